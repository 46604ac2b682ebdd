// SPDX-License-Identifier: BSD-2-Clause
/*
 * setup_arch() and the mm hooks for x86_64. entry.S identity-maps the first
 * 4 GiB with 2 MiB pages; paging_init() then switches to the kernel map
 * (mm.c), also VA == PA, so physical and virtual addresses stay the same.
 */
#include <cairn/arch.h>
#include <cairn/log.h>
#include <cairn/mm.h>

#include "x86.h"

void __init arch_setup(struct boot_handoff *bh)
{
	(void)bh;
	x86_idt_init();
	x86_mm_init();
	if (tsc_source() == NULL) {
		pr_warn("x86: no TSC frequency (no hypervisor leaf, no CPUID "
			"0x15, %s): timestamps assume %llu kHz\n",
			tsc_pit_problem(),
			(unsigned long long)(arch_counter_hz() / 1000));
	}
	if (tsc_pit_noisy_ppm() != 0) {
		pr_warn("x86: PIT channel 2 too noisy (loaded host?): TSC rate "
			"within %u ppm only\n", tsc_pit_noisy_ppm());
	}
	pr_info("arch_setup: IDT with %d exception gates, TSC %llu kHz from %s,"
		" boot map 0-4 GiB until paging_init()\n", NR_EXCEPTIONS,
		(unsigned long long)(arch_counter_hz() / 1000),
		tsc_source() ? tsc_source() : "a guess");
}

void __init arch_pre_mm_init(void)
{
	/* Nothing to do before memmap_init(): the boot page tables suffice. */
}

void __init arch_post_mm_init(void)
{
	/* Last chance to write tsc_hz (__ro_after_init). */
	x86_tsc_refine();
}

/* PC: ISA DMA reaches the low 16 MiB, 32-bit PCI masters 4 GiB. */
void __init arch_zone_limits(uint64_t *max_zone_pfn)
{
	max_zone_pfn[ZONE_DMA] = PFN_DOWN(UINT64_C(16) << 20);
	max_zone_pfn[ZONE_DMA32] = PFN_DOWN(UINT64_C(1) << 32);
	max_zone_pfn[ZONE_NORMAL] = ZONE_NO_LIMIT;
}

void *arch_phys_to_virt(phys_addr_t pa)
{
	return (void *)(uintptr_t)pa;
}

phys_addr_t arch_virt_to_phys(const void *va)
{
	return (phys_addr_t)(uintptr_t)va;
}
