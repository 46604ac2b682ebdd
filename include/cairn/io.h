// SPDX-License-Identifier: BSD-2-Clause
/*
 * Device memory windows (generic/mm/paging.c). A driver that touches MMIO
 * registers asks for them with ioremap() and uses the pointer it returns;
 * never arch_phys_to_virt() on a device address, which the kernel map does
 * not cover. Works before and after paging_init(): windows asked for
 * earlier (the console's, typically) are recorded and mapped by it;
 * later ones are mapped at once.
 */
#pragma once

#include <cairn/types.h>

/* How many windows can be recorded; raise it if ioremap() says so. */
#define IOREMAP_MAX_WINDOWS 16

/**
 * ioremap() - map the device registers at [pa, pa + size) for the kernel
 * @pa: physical address of the registers
 * @size: bytes (rounded out to whole pages)
 *
 * Device memory (PROT_DEVICE): read/write, never executable, uncached
 * where the arch has memory types. The window stays mapped for good
 * (there is no iounmap). Asking again for a range inside a recorded
 * window reuses it.
 * Return: the kernel virtual address of @pa (today VA == PA, so a window
 * at physical 0 cannot be told from failure: page 0 is never mapped
 * anyway), or NULL if
 * the range is empty or wraps, overlaps mapped memory (after
 * paging_init()), the window table is full, or mapping it failed.
 */
void *ioremap(phys_addr_t pa, uint64_t size);
