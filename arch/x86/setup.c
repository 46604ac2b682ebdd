// SPDX-License-Identifier: BSD-2-Clause
/*
 * setup_arch() and the mm hooks for x86_64. entry.S identity-maps the first
 * 4 GiB with 2 MiB pages, so physical and virtual addresses are the same
 * until the page-table work of the mm issue lands.
 */
#include <cairn/arch.h>
#include <cairn/log.h>

#include "x86.h"

void arch_setup(struct boot_handoff *bh)
{
	(void)bh;
	x86_idt_init();
	pr_info("arch_setup: IDT with %d exception gates, TSC %llu kHz from %s,"
		" 0-4 GiB identity-mapped\n", NR_EXCEPTIONS,
		(unsigned long long)(arch_counter_hz() / 1000), tsc_source());
}

void arch_pre_mm_init(void)
{
	/* Nothing to do before memmap_init(): the boot page tables suffice. */
}

void arch_post_mm_init(void)
{
	/* Nothing to do once the page allocator is up on x86_64 (yet). */
}

void *arch_phys_to_virt(phys_addr_t pa)
{
	return (void *)(uintptr_t)pa;
}

phys_addr_t arch_virt_to_phys(const void *va)
{
	return (phys_addr_t)(uintptr_t)va;
}
