// SPDX-License-Identifier: BSD-2-Clause
/*
 * riscv64 Sv39 page-table entries for the generic walker (<cairn/pgtable.h>,
 * docs/paging.md) [riscv-privileged 1.12 §4.4]: 3 levels of 512 entries,
 * 39-bit VA, a leaf allowed at every level (1 GiB, 2 MiB, 4 KiB pages).
 * Only the encoding lives here; satp and sfence.vma are in arch/riscv/mm.c.
 *
 *   63 62 61 60   54 53                     10 9  8 7 6 5 4 3 2 1 0
 *  +--+-----+-------+-------------------------+----+-+-+-+-+-+-+-+-+
 *  |N |PBMT | rsvd  |     PPN (44 bits)       |RSW |D|A|G|U|X|W|R|V|
 *  +--+-----+-------+-------------------------+----+-+-+-+-+-+-+-+-+
 *
 * A valid entry with R, W and X all clear points to the next table; any
 * other valid entry is a leaf. Leaves are kernel-only (U clear), global
 * (one address space) and carry A and D already set: hardware without
 * Svadu, and QEMU, raises a page fault instead of setting them.
 *
 * PROT_DEVICE has no encoding: without Svpbmt, Sv39 has no memory types,
 * so device windows are plain RW mappings and the platform's physical
 * memory attributes (PMAs) make the MMIO range uncached and strongly
 * ordered. pte_prot() therefore never reports PROT_DEVICE.
 *
 * VA bit 38 is sign-extended into bits 63-39: the upper half of the root
 * table maps 0xffffffc000000000 and up, which Cairn does not use, so the
 * kernel map (VA == PA) ends at 256 GiB (PT_VA_END).
 */
#pragma once

#define PT_LEVELS 3
#define PT_BITS 9
#define PT_VA_BITS 39
#define PT_VA_END (UINT64_C(1) << 38)
#define PT_PA_BITS 56

/*
 * SPARSEMEM_VMEMMAP's virtual memmap: the top 2 GiB of the lower half,
 * room for the struct pages of 256 GiB of memory; memory reaching it
 * makes memmap_init() refuse to boot with that model.
 */
#define VMEMMAP_START UINT64_C(0x3f80000000)

typedef uint64_t pte_t;

#define SV39_PTE_V (UINT64_C(1) << 0)
#define SV39_PTE_R (UINT64_C(1) << 1)
#define SV39_PTE_W (UINT64_C(1) << 2)
#define SV39_PTE_X (UINT64_C(1) << 3)
#define SV39_PTE_U (UINT64_C(1) << 4)
#define SV39_PTE_G (UINT64_C(1) << 5)
#define SV39_PTE_A (UINT64_C(1) << 6)
#define SV39_PTE_D (UINT64_C(1) << 7)
#define SV39_PPN_SHIFT 10
#define SV39_PPN_MASK ((UINT64_C(1) << 44) - 1)

static inline bool pte_valid(pte_t e)
{
	return (e & SV39_PTE_V) != 0;
}

static inline bool pte_is_table(pte_t e, int level)
{
	(void)level;
	return (e & (SV39_PTE_V | SV39_PTE_R | SV39_PTE_W | SV39_PTE_X)) ==
	       SV39_PTE_V;
}

static inline pte_t sv39_ppn(phys_addr_t pa)
{
	return ((pa >> 12) & SV39_PPN_MASK) << SV39_PPN_SHIFT;
}

/* A, D and U are reserved in a non-leaf entry and stay clear. */
static inline pte_t pte_mk_table(phys_addr_t table, int level)
{
	(void)level;
	return sv39_ppn(table) | SV39_PTE_V;
}

static inline pte_t pte_mk_leaf(phys_addr_t pa, int level, unsigned int prot)
{
	pte_t e = sv39_ppn(pa) | SV39_PTE_V | SV39_PTE_R | SV39_PTE_G |
		  SV39_PTE_A | SV39_PTE_D;

	(void)level;
	if (prot & PROT_WRITE) {
		e |= SV39_PTE_W;
	}
	if (prot & PROT_EXEC) {
		e |= SV39_PTE_X;
	}
	return e;
}

static inline phys_addr_t pte_pa(pte_t e, int level)
{
	(void)level;
	return ((e >> SV39_PPN_SHIFT) & SV39_PPN_MASK) << 12;
}

static inline unsigned int pte_prot(pte_t e, int level)
{
	unsigned int prot = 0;

	(void)level;
	if (e & SV39_PTE_R) {
		prot |= PROT_READ;
	}
	if (e & SV39_PTE_W) {
		prot |= PROT_WRITE;
	}
	if (e & SV39_PTE_X) {
		prot |= PROT_EXEC;
	}
	return prot;
}

/* Sv39 allows a leaf at every level (naturally aligned superpages). */
static inline bool pt_block_ok(int level)
{
	return level >= 0 && level < PT_LEVELS;
}
