// SPDX-License-Identifier: BSD-2-Clause
/*
 * Page-table entry format of the fake host arch, for tests/host/test_pgtable.c:
 * made up, but shaped like the real ones (4 levels of 512 8-byte entries,
 * 48-bit VA, like x86 and arm64 4K). Only <cairn/pgtable.h> includes it.
 *
 *   63      52 51                    12 11   5  4   3   2   1   0
 *  +----------+------------------------+------+---+---+---+---+---+
 *  | ignored  | output / table address | zero |DEV|XN | W | T | V |
 *  +----------+------------------------+------+---+---+---+---+---+
 *
 *   V    valid
 *   T    next-level table (levels 0-2); a leaf has T clear, at every level
 *   W    writable; every valid leaf is readable
 *   XN   execute-never
 *   DEV  device memory
 *
 * Which levels may hold a leaf is up to the test: fake_pt_leaf_levels
 * (bit n = level n; default levels 1-3, i.e. 1 GiB, 2 MiB and 4 KiB), so
 * the generic code can be run against an x86 without 1 GiB pages too.
 * Included by <cairn/pgtable.h> only, after phys_addr_t and PROT_*.
 */
#pragma once

#include <cairn/types.h>

#define PT_LEVELS 4
#define PT_BITS 9
#define PT_VA_BITS 48
#define PT_PA_BITS 52

/* A user-space address on the host, for SPARSEMEM_VMEMMAP's memmap. */
#define VMEMMAP_START UINT64_C(0x200000000000)

typedef uint64_t pte_t;

#define FAKE_PTE_V (UINT64_C(1) << 0)
#define FAKE_PTE_T (UINT64_C(1) << 1)
#define FAKE_PTE_W (UINT64_C(1) << 2)
#define FAKE_PTE_XN (UINT64_C(1) << 3)
#define FAKE_PTE_DEV (UINT64_C(1) << 4)
#define FAKE_PTE_ADDR (((UINT64_C(1) << 52) - 1) & ~((UINT64_C(1) << 12) - 1))

/*
 * tests/host/arch/fake_arch.c: bit n of fake_pt_leaf_levels set means level
 * n may hold a leaf; the root arch_pgtable_activate() was given; how often
 * the TLB was flushed (arch_pgtable_activate() counts as one).
 */
#define FAKE_PT_LEAF_LEVELS_DEFAULT 0xeu
extern unsigned int fake_pt_leaf_levels;
extern phys_addr_t fake_pt_active_root;
extern uint64_t fake_tlb_flushes;

static inline bool pte_valid(pte_t e)
{
	return (e & FAKE_PTE_V) != 0;
}

static inline bool pte_is_table(pte_t e, int level)
{
	return level < PT_LEVELS - 1 &&
	       (e & (FAKE_PTE_V | FAKE_PTE_T)) == (FAKE_PTE_V | FAKE_PTE_T);
}

static inline pte_t pte_mk_table(phys_addr_t table, int level)
{
	(void)level;
	return (table & FAKE_PTE_ADDR) | FAKE_PTE_T | FAKE_PTE_V;
}

static inline pte_t pte_mk_leaf(phys_addr_t pa, int level, unsigned int prot)
{
	pte_t e = (pa & FAKE_PTE_ADDR) | FAKE_PTE_V;

	(void)level;
	if (prot & PROT_WRITE) {
		e |= FAKE_PTE_W;
	}
	if (!(prot & PROT_EXEC)) {
		e |= FAKE_PTE_XN;
	}
	if (prot & PROT_DEVICE) {
		e |= FAKE_PTE_DEV;
	}
	return e;
}

static inline phys_addr_t pte_pa(pte_t e, int level)
{
	(void)level;
	return e & FAKE_PTE_ADDR;
}

static inline unsigned int pte_prot(pte_t e, int level)
{
	unsigned int prot = PROT_READ;

	(void)level;
	if (e & FAKE_PTE_W) {
		prot |= PROT_WRITE;
	}
	if (!(e & FAKE_PTE_XN)) {
		prot |= PROT_EXEC;
	}
	if (e & FAKE_PTE_DEV) {
		prot |= PROT_DEVICE;
	}
	return prot;
}

static inline bool pt_block_ok(int level)
{
	return level >= 0 && level < PT_LEVELS &&
	       (fake_pt_leaf_levels & (1u << level)) != 0;
}
