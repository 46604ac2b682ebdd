// SPDX-License-Identifier: BSD-2-Clause
/*
 * setup_arch() and the mm hooks for riscv64. The MMU is off (bare mode)
 * until paging_init() switches to the Sv39 kernel map (mm.c), which maps
 * memory at its physical address: virtual and physical addresses are the
 * same before and after.
 */
#include <cairn/arch.h>
#include <cairn/log.h>
#include <cairn/mm.h>

#include "riscv.h"

void __init arch_setup(struct boot_handoff *bh)
{
	(void)bh;
	csr_write(stvec, (uint64_t)(uintptr_t)riscv_trap_entry);
	pr_info("arch_setup: trap vector at %p; paging_init() turns on "
		"Sv39\n", (void *)riscv_trap_entry);
}

void __init arch_pre_mm_init(void)
{
	/* Nothing to do before memmap_init() on riscv64. */
}

void __init arch_post_mm_init(void)
{
	/* Nothing to do once the page allocator is up on riscv64. */
}

/*
 * No DMA zone: QEMU virt's devices reach all memory. DMA32 is below 4 GiB
 * for 32-bit masters; ZONE_NORMAL has the rest.
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
