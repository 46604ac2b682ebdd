// SPDX-License-Identifier: BSD-2-Clause
/*
 * The riscv64 side of paging (docs/paging.md): switch satp to the Sv39
 * tables the generic code built, and flush the TLB. The entry format is in
 * include/cairn/arch/pgtable.h; the tables themselves are generic
 * (generic/mm/pgtable.c, paging.c). Nothing here walks or writes a table.
 *
 * The kernel runs at its physical address, and the kernel map is VA == PA,
 * so turning translation on needs no trampoline: the instruction after
 * the satp write is fetched through the new tables, which map the text,
 * the trap vector (text) and the boot stack (bss).
 */
#include <cairn/arch.h>
#include <cairn/log.h>

#include "riscv.h"

/* satp [riscv-privileged 1.12 §4.1.11]: MODE in 63:60, ASID 59:44, PPN. */
#define SATP_MODE_SHIFT 60
#define SATP_MODE_SV39 UINT64_C(8)
#define SATP_PPN_MASK ((UINT64_C(1) << 44) - 1)

static inline void sfence_vma_all(void)
{
	__asm__ volatile("sfence.vma zero, zero" : : : "memory");
}

/**
 * arch_pgtable_activate() - translate through the Sv39 tables at @root
 * @root: physical address of the root table, page-aligned
 *
 * The fence before orders the table writes before the walker's reads; the
 * one after drops whatever was cached for the old satp (ASID 0 always).
 * satp's MODE is WARL: a hart without Sv39 keeps Bare, which is fatal.
 */
void arch_pgtable_activate(phys_addr_t root)
{
	uint64_t satp = (SATP_MODE_SV39 << SATP_MODE_SHIFT) |
			((root >> PAGE_SHIFT) & SATP_PPN_MASK);

	sfence_vma_all();
	csr_write(satp, satp);
	sfence_vma_all();
	if (csr_read(satp) != satp) {
		csr_write(satp, 0);
		sfence_vma_all();
		panic("arch_pgtable_activate: this hart refuses satp %#llx "
		      "(no Sv39?)",
		      (unsigned long long)satp);
	}
}

void arch_tlb_flush_all(void)
{
	sfence_vma_all();
}

/*
 * free_initmem() poisoned the freed .init.text with stores, which this
 * hart's instruction fetches need not see until a FENCE.I [riscv-unpriv
 * Zifencei]: drop what it may hold of the boot code, so that no later
 * reuse of those pages as code runs it. pt_protect() fenced the TLB.
 */
void arch_finalize_boot(void)
{
	__asm__ volatile("fence.i" ::: "memory");
}
