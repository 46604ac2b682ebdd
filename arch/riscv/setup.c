// SPDX-License-Identifier: BSD-2-Clause
/*
 * setup_arch() and the mm hooks for riscv64. The MMU stays off (bare mode):
 * physical and virtual addresses are the same until the page-table work of
 * the mm issue lands.
 */
#include <cairn/arch.h>
#include <cairn/log.h>

#include "riscv.h"

void arch_setup(struct boot_handoff *bh)
{
	(void)bh;
	csr_write(stvec, (uint64_t)(uintptr_t)riscv_trap_entry);
	pr_info("arch_setup: trap vector at %p, MMU off (bare)\n",
		(void *)riscv_trap_entry);
}

void arch_pre_mm_init(void)
{
	/* Nothing to do before memmap_init() on riscv64. */
}

void arch_post_mm_init(void)
{
	/* Nothing to do once the page allocator is up on riscv64. */
}

void *arch_phys_to_virt(phys_addr_t pa)
{
	return (void *)(uintptr_t)pa;
}

phys_addr_t arch_virt_to_phys(const void *va)
{
	return (phys_addr_t)(uintptr_t)va;
}
