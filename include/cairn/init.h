// SPDX-License-Identifier: BSD-2-Clause
/*
 * The generic boot sequence (init/main.c), the same on every arch, after
 * Mike Rapoport's RFC "arch, mm: consolidate memory initialisation":
 *
 *   start_kernel():  early_reserve_memory(); detect_memory(); setup_arch();
 *   mm_init():       arch_pre_mm_init(); memmap_init(); memblock_free_all();
 *                    arch_post_mm_init();
 *   then the application's main(), then arch_poweroff(status).
 *
 * Each step is exported for tests and documented in docs/boot-flow.md.
 */
#pragma once

#include <cairn/boot.h>

void early_reserve_memory(struct boot_handoff *bh);

/**
 * early_reserve_range() - reserve a range in use before memblock knows memory
 * @base, @size: the range (size 0 does nothing)
 * @what: a static name for the log line
 *
 * For early_reserve_memory() and arch_early_reserve(). Panics if memblock
 * is full, naming the constant to raise: nothing can boot safely then.
 */
void early_reserve_range(phys_addr_t base, phys_addr_t size, const char *what);
void detect_memory(struct boot_handoff *bh);
void setup_arch(struct boot_handoff *bh);
void mm_init(void);
void memmap_init(void);

/* The application's entry point: argv[0] is "cairn", argv[argc] is NULL. */
int main(int argc, char *argv[]);
