// SPDX-License-Identifier: BSD-2-Clause
/*
 * The arch hooks of cairn-memmap, a host process that runs the firmware
 * converters on files: the boot-sequence hooks and those the code it links
 * (log, console, memblock, drivers/firmware) reaches. Hooks that only the
 * page tables or the page allocator use are left out: the tool never links
 * that code, and a missing one is a link error, not a silent default. Like
 * the fake arch of the host tests (tests/host/arch/), except that the
 * clock stands still at 0, so that the kernel log the tool prints
 * ("[    0.000000] I: ...") is the same on every run and can be compared
 * with golden files. Physical addresses are never dereferenced by the
 * converters (they allocate with memblock_phys_alloc*() only); the
 * identity translation below only has to be consistent.
 */
#include <stdio.h>
#include <stdlib.h>

#include <cairn/arch.h>
#include <cairn/boot.h>

void arch_early_init(struct boot_handoff *bh)
{
	(void)bh; /* Nothing to calibrate: the clock is stopped. */
}

const struct console *arch_console_fallback(const struct boot_handoff *bh)
{
	(void)bh; /* The tool registers its own console. */
	return NULL;
}

void arch_early_reserve(struct boot_handoff *bh)
{
	(void)bh; /* A host process owns no firmware memory. */
}

void arch_setup(struct boot_handoff *bh)
{
	(void)bh; /* No traps or page tables on the host. */
}

void arch_pre_mm_init(void)
{
	/* The tool never brings up a page allocator. */
}

void arch_post_mm_init(void)
{
	/* The tool never brings up a page allocator. */
}

uint64_t arch_counter_read(void)
{
	return 0; /* Reproducible log timestamps. */
}

uint64_t arch_counter_hz(void)
{
	return 1000000u;
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
	/* Only panic() gets here: a broken invariant of Cairn's own code. */
	fflush(stdout);
	exit(status);
}

void arch_halt(void)
{
	abort();
}

/* No hardware RNG in the tool. */
bool arch_random_seed(uint64_t *seed)
{
	(void)seed;
	return false;
}
