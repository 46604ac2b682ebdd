// SPDX-License-Identifier: BSD-2-Clause
/*
 * setup_arch() and the mm hooks for arm64. Until paging_init() turns the
 * MMU on (mm.c) every data access is Device-nGnRnE, which is why the kernel
 * is built -mstrict-align; after it, memory is Normal and identity-mapped.
 * Either way physical and virtual addresses are the same.
 */
#include <cairn/arch.h>
#include <cairn/log.h>
#include <cairn/mm.h>

#include "arm64.h"

/*
 * entry.S installed the vectors already, so that faults in early C are
 * reported; doing it again here is what the hook contract promises.
 */
void __init arch_setup(struct boot_handoff *bh)
{
	uint32_t el = arm64_boot_el();

	(void)bh;
	write_sysreg(vbar_el1, (uint64_t)(uintptr_t)arm64_vectors);
	isb();
	pr_info("arch_setup: entered at EL%u%s, vectors at %p, PSCI via %s, "
		"counter %llu Hz, MMU off\n", el,
		el == 2 ? " (dropped to EL1)" : "", (void *)arm64_vectors,
		psci_conduit_name(), (unsigned long long)arch_counter_hz());
}

void __init arch_pre_mm_init(void)
{
	/* Nothing to do before memmap_init(): the kernel map is complete. */
}

void __init arch_post_mm_init(void)
{
	/* Nothing to do once the page allocator is up. */
}

/*
 * QEMU virt: no DMA zone, DMA32 below 4 GiB, ZONE_NORMAL above.
 * TODO(issue 5, rpi4 platform): the Raspberry Pi 4 (BCM2711) has DMA
 * masters that reach only the low 1 GiB (30 bits; its DT's dma-ranges):
 * there, max_zone_pfn[ZONE_DMA] = PFN_DOWN(1 GiB), as Linux's
 * zone_sizes_init() derives from the DT.
 */
void __init arch_zone_limits(uint64_t *max_zone_pfn)
{
	max_zone_pfn[ZONE_DMA] = 0;
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
