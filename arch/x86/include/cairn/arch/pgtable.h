// SPDX-License-Identifier: BSD-2-Clause
/*
 * x86_64 4-level page-table entries for the generic walker
 * (<cairn/pgtable.h>, docs/paging.md) [intel/vol3 §4.5]: PML4, PDPT, PD,
 * PT; 512 entries each, 48-bit VA. Leaves: 4 KiB in a PT, 2 MiB in a PD
 * (PS set), 1 GiB in a PDPT (PS set) only where CPUID 0x80000001 EDX bit 26
 * (Page1GB) says so. Only the encoding lives here; CR3, EFER and the TLB are
 * in arch/x86/mm.c, which also sets the two feature variables below before
 * paging_init() runs.
 *
 *   63  62   52 51           12 11  9 8 7  6 5 4   3   2  1  0
 *  +--+--------+---------------+-----+-+--+-+-+---+---+--+--+-+
 *  |XD|ignored | address       | ign |G|PS|D|A|PCD|PWT|US|RW|P|
 *  +--+--------+---------------+-----+-+--+-+-+---+---+--+--+-+
 *
 * (In a 2 MiB or 1 GiB leaf, bit 12 is PAT and the address starts at bit
 * 21 or 30; Cairn leaves PAT clear.) Table entries are P|RW and leave the
 * permissions to the leaf. Leaves are supervisor-only, global, with A and
 * D preset (the CPU would set them; presetting saves the locked update).
 * XD needs EFER.NXE: x86_pte_nx is 0 on a CPU without NX, and then
 * nothing is execute-protected. PROT_DEVICE is PCD|PWT: uncached (UC with
 * the power-on PAT, whose entry 3 is UC).
 *
 * Bits 63-47 of a VA must equal bit 47: the upper half of the PML4 is the
 * negative half of the address space, unused by Cairn, so the kernel map
 * (VA == PA) ends at 128 TiB (PT_VA_END).
 */
#pragma once

#define PT_LEVELS 4
#define PT_BITS 9
#define PT_VA_BITS 48
#define PT_VA_END (UINT64_C(1) << 47)
#define PT_PA_BITS 52

/* SPARSEMEM_VMEMMAP's virtual memmap: 1 TiB below the end of the lower half. */
#define VMEMMAP_START UINT64_C(0x7f0000000000)

typedef uint64_t pte_t;

#define X86_PTE_P (UINT64_C(1) << 0)
#define X86_PTE_RW (UINT64_C(1) << 1)
#define X86_PTE_US (UINT64_C(1) << 2)
#define X86_PTE_PWT (UINT64_C(1) << 3)
#define X86_PTE_PCD (UINT64_C(1) << 4)
#define X86_PTE_A (UINT64_C(1) << 5)
#define X86_PTE_D (UINT64_C(1) << 6)
#define X86_PTE_PS (UINT64_C(1) << 7)
#define X86_PTE_G (UINT64_C(1) << 8)
#define X86_PTE_XD (UINT64_C(1) << 63)
#define X86_PTE_ADDR (((UINT64_C(1) << 52) - 1) & ~UINT64_C(0xfff))

/* arch/x86/mm.c, from CPUID, before paging_init(). */
extern bool x86_pt_1g;	 /* Page1GB: a PDPT entry may be a leaf */
extern pte_t x86_pte_nx; /* X86_PTE_XD if NX is on, else 0 */

static inline bool pte_valid(pte_t e)
{
	return (e & X86_PTE_P) != 0;
}

/* The PML4 holds only tables; a PT only pages; in between PS decides. */
static inline bool pte_is_table(pte_t e, int level)
{
	return pte_valid(e) && level < PT_LEVELS - 1 &&
	       (level == 0 || !(e & X86_PTE_PS));
}

static inline pte_t pte_mk_table(phys_addr_t table, int level)
{
	(void)level;
	return (table & X86_PTE_ADDR) | X86_PTE_P | X86_PTE_RW;
}

static inline pte_t pte_mk_leaf(phys_addr_t pa, int level, unsigned int prot)
{
	pte_t e =
	    (pa & X86_PTE_ADDR) | X86_PTE_P | X86_PTE_A | X86_PTE_D | X86_PTE_G;

	if (level < PT_LEVELS - 1) {
		e |= X86_PTE_PS;
	}
	if (prot & PROT_WRITE) {
		e |= X86_PTE_RW;
	}
	if (!(prot & PROT_EXEC)) {
		e |= x86_pte_nx;
	}
	if (prot & PROT_DEVICE) {
		e |= X86_PTE_PCD | X86_PTE_PWT;
	}
	return e;
}

/* A large leaf's address starts above its PAT bit (bit 12). */
static inline phys_addr_t pte_pa(pte_t e, int level)
{
	unsigned int shift = 12;

	if (!pte_is_table(e, level)) {
		shift += (unsigned int)(PT_LEVELS - 1 - level) * PT_BITS;
	}
	return e & X86_PTE_ADDR & ~((UINT64_C(1) << shift) - 1);
}

static inline unsigned int pte_prot(pte_t e, int level)
{
	unsigned int prot = PROT_READ;

	(void)level;
	if (e & X86_PTE_RW) {
		prot |= PROT_WRITE;
	}
	if (!(e & X86_PTE_XD)) {
		prot |= PROT_EXEC;
	}
	if (e & X86_PTE_PCD) {
		prot |= PROT_DEVICE;
	}
	return prot;
}

/* 4 KiB and 2 MiB always, 1 GiB with Page1GB, never 512 GiB. */
static inline bool pt_block_ok(int level)
{
	return level == 2 || level == 3 || (level == 1 && x86_pt_1g);
}
