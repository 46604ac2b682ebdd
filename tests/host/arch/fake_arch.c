// SPDX-License-Identifier: BSD-2-Clause
/*
 * The fake arch of the host build: every hook of <cairn/arch.h>, done with
 * the C library, so that the real generic and firmware code runs in host
 * tests. Physical addresses are host virtual addresses (identity), which is
 * why tests that allocate through memblock describe a real host buffer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <cairn/arch.h>
#include <cairn/boot.h>

void arch_early_init(struct boot_handoff *bh)
{
	(void)bh; /* Nothing to calibrate: the host clock counts in ns. */
}

const struct console *arch_console_fallback(const struct boot_handoff *bh)
{
	(void)bh;
	return NULL;
}

void arch_early_reserve(struct boot_handoff *bh)
{
	(void)bh; /* A host process owns no firmware memory. */
}

void arch_setup(struct boot_handoff *bh)
{
	(void)bh; /* No traps or page tables to set up on the host. */
}

void arch_pre_mm_init(void)
{
	/* Nothing arch-specific before the memory map on the host. */
}

void arch_post_mm_init(void)
{
	/* Nothing arch-specific after the page allocator on the host. */
}

uint64_t arch_counter_read(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t arch_counter_hz(void)
{
	return 1000000000u;
}

void *arch_phys_to_virt(phys_addr_t pa)
{
	return (void *)(uintptr_t)pa;
}

phys_addr_t arch_virt_to_phys(const void *va)
{
	return (phys_addr_t)(uintptr_t)va;
}

void arch_poweroff(int status)
{
	fflush(stdout);
	exit(status);
}

void arch_halt(void)
{
	abort();
}
