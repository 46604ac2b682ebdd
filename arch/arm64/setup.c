// SPDX-License-Identifier: BSD-2-Clause
/*
 * setup_arch() and the mm hooks for arm64. The MMU stays off: physical and
 * virtual addresses are the same, and every data access is Device-nGnRnE,
 * which is why the kernel is built -mstrict-align. The identity map with
 * Normal memory comes with the page-table work of the mm issue.
 */
#include <cairn/arch.h>
#include <cairn/log.h>

#include "arm64.h"

/*
 * entry.S installed the vectors already, so that faults in early C are
 * reported; doing it again here is what the hook contract promises.
 */
void arch_setup(struct boot_handoff *bh)
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

void arch_pre_mm_init(void)
{
	/* Nothing to do before memmap_init() while the MMU is off. */
}

void arch_post_mm_init(void)
{
	/* Nothing to do once the page allocator is up while the MMU is off. */
}

void *arch_phys_to_virt(phys_addr_t pa)
{
	return (void *)(uintptr_t)pa;
}

phys_addr_t arch_virt_to_phys(const void *va)
{
	return (phys_addr_t)(uintptr_t)va;
}
