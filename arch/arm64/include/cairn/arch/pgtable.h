// SPDX-License-Identifier: BSD-2-Clause
/*
 * arm64 translation table entries for the generic walker (<cairn/pgtable.h>
 * states the contract): the VMSAv8-64 descriptor format [Arm ARM,
 * "VMSAv8-64 translation table format descriptors"] with the 4 KiB granule
 * and a 48-bit input address, four levels, stage 1 of the EL1&0 regime,
 * TTBR0_EL1 only. Only <cairn/pgtable.h> includes this file, after
 * defining PROT_*. Only encodings live here: no system registers, no
 * barriers, nothing that cannot compile on the host (tests/host/
 * test_pgtable_arm64.c builds it natively). arch/arm64/mm.c programs
 * MAIR_EL1 from the attribute indices below.
 *
 *   VA bits  47..39  38..30  29..21  20..12  11..0
 *   level       0       1       2       3    offset
 *   leaf        -     1 GiB   2 MiB   4 KiB
 *
 * Descriptor bits that Cairn uses (same source):
 *
 *   63..59  58..55  54   53   47..12       11  10  9..8  7..6  4..2  1  0
 *   table   ignored UXN  PXN  output/next  nG  AF  SH    AP    Attr  T  V
 *
 *   V  (0)      valid
 *   T  (1)      1: table at levels 0-2, page at level 3; 0: block
 *   AttrIndx    MAIR_EL1 attribute: 0 Normal WB, 1 Device-nGnRE
 *   AP  (7:6)   00 EL1 read/write, 10 EL1 read-only; EL0 never has access
 *   SH  (9:8)   11 inner shareable
 *   AF  (10)    set at creation: no hardware access flag management here,
 *               and a clear AF would fault on first use
 *   nG  (11)    0: global (no ASIDs)
 *   PXN (53)    set unless PROT_EXEC; UXN (54) always set
 *
 * Table descriptors carry no hierarchical attributes (APTable, PXNTable,
 * UXNTable all 0), so a leaf's own bits are its whole protection.
 */
#pragma once

#include <cairn/types.h>

#define PT_LEVELS	4
#define PT_VA_BITS	48
#define PT_BITS		9
#define PT_PA_BITS	48	/* OA[47:12]; mm.c checks the CPU's PARange */

/* SPARSEMEM_VMEMMAP's virtual memmap: 2 TiB below the end of TTBR0's range. */
#define VMEMMAP_START	UINT64_C(0xfe0000000000)

typedef uint64_t pte_t;

#define PTE_VALID		(UINT64_C(1) << 0)
#define PTE_TYPE_TABLE		(UINT64_C(1) << 1)	/* or page, at level 3 */
#define PTE_ATTRINDX(i)		((uint64_t)(i) << 2)
#define PTE_ATTRINDX_MASK	PTE_ATTRINDX(7)
#define PTE_AP_RDONLY		(UINT64_C(1) << 7)	/* AP[2] */
#define PTE_AP_EL0		(UINT64_C(1) << 6)	/* AP[1]; never set */
#define PTE_SH_INNER		(UINT64_C(3) << 8)
#define PTE_AF			(UINT64_C(1) << 10)
#define PTE_NG			(UINT64_C(1) << 11)	/* never set */
#define PTE_PXN			(UINT64_C(1) << 53)
#define PTE_UXN			(UINT64_C(1) << 54)
#define PTE_ADDR_MASK		UINT64_C(0x0000fffffffff000)	/* [47:12] */

/*
 * MAIR_EL1 attribute indices and their encodings [Arm ARM, MAIR_EL1]:
 * Normal memory, inner and outer write-back non-transient, read- and
 * write-allocate (0xff); Device-nGnRE (0x04), as Linux maps MMIO.
 */
#define MT_NORMAL		0
#define MT_DEVICE_NGNRE		1
#define MAIR_ATTR_NORMAL	UINT64_C(0xff)
#define MAIR_ATTR_DEVICE_NGNRE	UINT64_C(0x04)
#define MAIR_EL1_VALUE		((MAIR_ATTR_NORMAL << (8 * MT_NORMAL)) | \
				 (MAIR_ATTR_DEVICE_NGNRE << (8 * MT_DEVICE_NGNRE)))

/* Bytes one entry at @level covers: 512 GiB, 1 GiB, 2 MiB, 4 KiB. */
static inline uint64_t pte_level_size(int level)
{
	return UINT64_C(1) << (PAGE_SHIFT + (PT_LEVELS - 1 - level) * PT_BITS);
}

static inline bool pte_valid(pte_t e)
{
	return (e & PTE_VALID) != 0;
}

/*
 * Bits 1:0 = 11 is a table descriptor at levels 0-2 and a page at level 3;
 * 01 is a block at levels 1-2, and reserved (it faults) at levels 0 and 3.
 */
static inline bool pte_is_table(pte_t e, int level)
{
	const pte_t type = PTE_VALID | PTE_TYPE_TABLE;

	return level < PT_LEVELS - 1 && (e & type) == type;
}

/* Level 0 blocks need FEAT_LPA2 with TCR_EL1.DS = 1, which Cairn leaves off. */
static inline bool pt_block_ok(int level)
{
	return level >= 1 && level <= PT_LEVELS - 1;
}

static inline pte_t pte_mk_table(phys_addr_t table, int level)
{
	(void)level;
	return (table & PTE_ADDR_MASK) | PTE_TYPE_TABLE | PTE_VALID;
}

/*
 * A block or page mapping @pa, which the walker has aligned to the level's
 * size; address bits below it are RES0 in a block and are masked off. EL1
 * can read every valid mapping, so PROT_READ is implied and a leaf with no
 * access at all is encoded as an invalid entry. PROT_DEVICE mappings are
 * never executable: speculative instruction fetches from MMIO are not
 * something to allow.
 */
static inline pte_t pte_mk_leaf(phys_addr_t pa, int level, unsigned int prot)
{
	pte_t e = PTE_VALID | PTE_AF | PTE_SH_INNER | PTE_UXN;

	if ((prot & (PROT_READ | PROT_WRITE | PROT_EXEC)) == 0) {
		return 0;
	}
	e |= pa & PTE_ADDR_MASK & ~(pte_level_size(level) - 1);
	if (level == PT_LEVELS - 1) {
		e |= PTE_TYPE_TABLE;	/* the page descriptor type */
	}
	if (prot & PROT_DEVICE) {
		e |= PTE_ATTRINDX(MT_DEVICE_NGNRE);
		prot &= ~PROT_EXEC;
	} else {
		e |= PTE_ATTRINDX(MT_NORMAL);
	}
	if (!(prot & PROT_WRITE)) {
		e |= PTE_AP_RDONLY;
	}
	if (!(prot & PROT_EXEC)) {
		e |= PTE_PXN;
	}
	return e;
}

/* The next table's address, or a leaf's output address. */
static inline phys_addr_t pte_pa(pte_t e, int level)
{
	(void)level;
	return e & PTE_ADDR_MASK;
}

/* The PROT_* bits a valid leaf grants; 0 for anything else. */
static inline unsigned int pte_prot(pte_t e, int level)
{
	unsigned int prot = PROT_READ;

	if (!pte_valid(e) || pte_is_table(e, level)) {
		return 0;
	}
	if (!(e & PTE_AP_RDONLY)) {
		prot |= PROT_WRITE;
	}
	if (!(e & PTE_PXN)) {
		prot |= PROT_EXEC;
	}
	if ((e & PTE_ATTRINDX_MASK) == PTE_ATTRINDX(MT_DEVICE_NGNRE)) {
		prot |= PROT_DEVICE;
	}
	return prot;
}
