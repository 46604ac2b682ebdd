// SPDX-License-Identifier: BSD-2-Clause
/*
 * setup_arch() and the mm hooks for arm64. Until paging_init() turns the
 * MMU on (mm.c) every data access is Device-nGnRnE, which is why the kernel
 * is built -mstrict-align; after it, memory is Normal and identity-mapped.
 * Either way physical and virtual addresses are the same.
 */
#include <cairn/arch.h>
#include <cairn/fdt.h>
#include <cairn/log.h>
#include <cairn/mm.h>

#include "arm64.h"

/*
 * The highest CPU address every DMA master reaches, from the DT's
 * dma-ranges (drivers/firmware/fdt_dma.c): 0x3fffffff on the Raspberry
 * Pi 4, whose /soc bus sees only the lowest GiB; UINT64_MAX on QEMU virt.
 */
static uint64_t dma_max_cpu_address __initdata = UINT64_MAX;

void __init arm64_zone_init(const void *fdt)
{
	dma_max_cpu_address = fdt_dma_max_cpu_address(fdt);
}

/* One past the last pfn of ZONE_DMA, or 0 when the platform has none. */
static uint64_t __init dma_zone_end_pfn(void)
{
	if (dma_max_cpu_address >= UINT32_MAX) {
		return 0;	/* DMA32 serves every 32-bit master */
	}
	return PFN_DOWN(dma_max_cpu_address + 1);
}

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
	if (dma_zone_end_pfn() != 0) {
		pr_info("arch_setup: DT dma-ranges reach only [0, %#llx]: "
			"ZONE_DMA below %#llx\n",
			(unsigned long long)dma_max_cpu_address,
			(unsigned long long)(dma_zone_end_pfn() << PAGE_SHIFT));
	}
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
 * A DT whose dma-ranges stop below 4 GiB (the Pi 4: 1 GiB, 30 bits) gives
 * ZONE_DMA up to that limit, DMA32 the rest below 4 GiB and ZONE_NORMAL
 * everything above, as Linux's zone_sizes_init() does from
 * of_dma_get_max_cpu_address(); Linux rounds the limit up to a power of
 * two (zone_dma_bits), Cairn keeps the exact one, which is never above
 * what the narrowest master reaches. Without such a limit (QEMU virt)
 * there is no ZONE_DMA.
 */
void __init arch_zone_limits(uint64_t *max_zone_pfn)
{
	max_zone_pfn[ZONE_DMA] = dma_zone_end_pfn();
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
