// SPDX-License-Identifier: BSD-2-Clause
/*
 * CHANGED (issue 5, page-table engineer; no existing signature changed):
 *  - struct pgtable gained @nr_tables (table pages it holds, root included).
 *  - new: pt_walk() and struct pt_range (describe a map: paging_init() logs
 *    it at LOG_DEBUG, host tests compare it); pt_offset(); kernel_pgtable,
 *    paging_init() and paging_reset() (host tests) are declared here;
 *    ioremap() is in <cairn/io.h>.
 *  - new optional arch macros PT_VA_END and PT_PA_BITS (defaults below), so
 *    an arch whose upper index half is the sign-extended high half (riscv
 *    Sv39, x86) keeps the kernel map in the lower half.
 *  - @prot must hold PROT_READ (every mapping is readable); pt_map(),
 *    pt_protect() and pt_unmap() call arch_tlb_flush_all() after writing
 *    an entry, also before the first arch_pgtable_activate() (so it must
 *    be harmless with the MMU off); table pages are never freed.
 *  - PROT_* (and PROT_RW/PROT_RX/PROT_ALL) are defined before the arch
 *    header is included, so <cairn/arch/pgtable.h> may use them.
 *
 * Page tables, once, for every arch (generic/mm/pgtable.c). The walker, the
 * mapping of a range with the largest blocks the arch allows, protection
 * changes and lookups are generic; each arch supplies only its constants and
 * entry encodings in <cairn/arch/pgtable.h>, and the register/TLB work
 * through arch_pgtable_activate()/arch_tlb_flush_all() in <cairn/arch.h>.
 * docs/paging.md is the long form.
 *
 * The kernel map (generic/mm/paging.c, built by paging_init() from memblock):
 *
 *   VA == PA for all memory that is not NOMAP: read/write, never executable;
 *   the kernel image at its load address: text RX, rodata R, data/bss RW;
 *   device windows from ioremap() (<cairn/io.h>): device memory, RW, never
 *   executable;
 *   page 0 (and everything else) unmapped, so NULL faults.
 *
 * Contract of <cairn/arch/pgtable.h> (checked below where it can be):
 *
 *   PT_LEVELS	levels in use (3: riscv Sv39; 4: arm64 4K/48-bit, x86)
 *   PT_VA_BITS	bits of virtual address the tables translate
 *   PT_BITS	index bits per level (9: 4 KiB tables of 8-byte entries)
 *   PT_VA_END	optional: one past the highest VA mapped from 0
 *		(default 1 << PT_VA_BITS; riscv and x86 use half that)
 *   PT_PA_BITS	optional: output-address bits of an entry (default 48)
 *   typedef uint64_t pte_t;
 *   bool   pte_valid(pte_t e);
 *   bool   pte_is_table(pte_t e, int level);	  points to a next-level table
 *   pte_t  pte_mk_table(phys_addr_t table, int level);
 *   pte_t  pte_mk_leaf(phys_addr_t pa, int level, unsigned int prot);
 *   phys_addr_t pte_pa(pte_t e, int level);	  table or output address
 *   unsigned int pte_prot(pte_t e, int level);  PROT_* of a leaf
 *   bool   pt_block_ok(int level);	  may a leaf live at this level?
 *
 * pt_block_ok(PT_LEVELS - 1) must be true. pte_prot() returns what the
 * format can express: PROT_DEVICE only where the format has memory types.
 * An all-zero entry is invalid. Levels count from the root: level 0 is the
 * root table, level PT_LEVELS - 1 maps single pages.
 */
#pragma once

#include <cairn/types.h>

/*
 * Protections, combined; no PROT_WRITE with PROT_EXEC in the kernel map.
 * READ/WRITE/EXEC are spelt exactly as POSIX <sys/mman.h> spells them, so
 * that host tests may include both.
 */
#define PROT_READ 0x1
#define PROT_WRITE 0x2
#define PROT_EXEC 0x4
#define PROT_DEVICE 0x8 /* device memory: uncached, no speculation */
#define PROT_RW (PROT_READ | PROT_WRITE)
#define PROT_RX (PROT_READ | PROT_EXEC)
#define PROT_ALL (PROT_READ | PROT_WRITE | PROT_EXEC | PROT_DEVICE)

/* The arch header may use phys_addr_t and PROT_*; only this file includes it. */
#include <cairn/arch/pgtable.h>

#ifndef PT_LEVELS
#error "<cairn/arch/pgtable.h> must define PT_LEVELS"
#endif
#ifndef PT_VA_BITS
#error "<cairn/arch/pgtable.h> must define PT_VA_BITS"
#endif
#ifndef PT_BITS
#error "<cairn/arch/pgtable.h> must define PT_BITS"
#endif
#ifndef PT_VA_END
#define PT_VA_END (UINT64_C(1) << PT_VA_BITS)
#endif
#ifndef PT_PA_BITS
#define PT_PA_BITS 48
#endif
_Static_assert(PAGE_SHIFT + PT_LEVELS * PT_BITS >= PT_VA_BITS,
	       "the levels cover the virtual address space");
_Static_assert(PT_VA_BITS < 64 && PT_VA_END <= (UINT64_C(1) << PT_VA_BITS),
	       "PT_VA_END lies within PT_VA_BITS");
_Static_assert(PT_PA_BITS > PAGE_SHIFT && PT_PA_BITS <= 64,
	       "PT_PA_BITS is a sensible width");
_Static_assert(sizeof(pte_t) == 8, "entries are 64-bit");

#define PT_ENTRIES (1u << PT_BITS)

/* Bytes one entry at @level maps. */
static inline uint64_t pt_level_size(int level)
{
	return UINT64_C(1) << (PAGE_SHIFT + (PT_LEVELS - 1 - level) * PT_BITS);
}

/* Index of @va in a table at @level. */
static inline unsigned int pt_index(uint64_t va, int level)
{
	return (unsigned int)(va >> (PAGE_SHIFT +
				     (PT_LEVELS - 1 - level) * PT_BITS)) &
	       (PT_ENTRIES - 1);
}

/* Offset of @va within the entry at @level that maps it. */
static inline uint64_t pt_offset(uint64_t va, int level)
{
	return va & (pt_level_size(level) - 1);
}

/**
 * struct pgtable - one set of tables
 * @root: physical address of the root table (0: not initialised)
 * @nr_tables: table pages it holds, the root included
 */
struct pgtable {
	phys_addr_t root;
	uint64_t nr_tables;
};

/*
 * Where table pages come from: memblock before the page allocator is up,
 * the page allocator after. Returns a zeroed page's physical address, or 0.
 * NULL restores the default: memblock_phys_alloc(PAGE_SIZE, PAGE_SIZE),
 * zeroed through arch_phys_to_virt().
 */
typedef phys_addr_t (*pt_alloc_fn)(void);
void pt_set_allocator(pt_alloc_fn fn);

/* After memblock_free_all(): take later table pages from the page allocator. */
void paging_use_page_allocator(void);

/* Start an empty set of tables. Return: 0, or -ENOMEM. */
int pt_init(struct pgtable *pt);

/**
 * pt_map() - map [va, va + size) to [pa, pa + size) with @prot
 *
 * All three must be page-aligned. Uses the largest blocks pt_block_ok()
 * allows where va and pa are aligned alike; replaces what was mapped there,
 * splitting a block that the range covers only in part. A range that
 * already has a next-level table is mapped inside that table (tables are
 * never merged back into blocks, nor freed).
 * Return: 0, -EINVAL (misaligned, empty, outside PT_VA_END or PT_PA_BITS,
 * @prot without PROT_READ or with unknown bits), -ENOMEM (then part of the
 * range may be mapped).
 */
int pt_map(struct pgtable *pt, uint64_t va, phys_addr_t pa, uint64_t size,
	   unsigned int prot);

/**
 * pt_protect() - change the protection of a mapped range
 *
 * Splits blocks the range covers in part. Nothing changes if any page of
 * the range is unmapped. Return: 0, -EINVAL (as pt_map()), -ENOENT (a hole
 * in the range), -ENOMEM (a split failed; translations are unchanged, part
 * of the range may have the new protection).
 */
int pt_protect(struct pgtable *pt, uint64_t va, uint64_t size,
	       unsigned int prot);

/**
 * pt_unmap() - unmap a range, splitting blocks it covers in part
 *
 * Holes in the range are fine. Return: 0, -EINVAL (misaligned, empty,
 * outside PT_VA_END), -ENOMEM (a split failed; part may be unmapped).
 */
int pt_unmap(struct pgtable *pt, uint64_t va, uint64_t size);

/**
 * pt_lookup() - translate @va
 * @pa, @prot, @level: out, may be NULL; @level is the level of the leaf
 * Return: true if mapped.
 */
bool pt_lookup(const struct pgtable *pt, uint64_t va, phys_addr_t *pa,
	       unsigned int *prot, int *level);

/**
 * struct pt_range - a run of leaves, as pt_walk() reports it
 * @va: first virtual address
 * @pa: physical address @va maps to; the run is contiguous in both
 * @size: bytes
 * @prot: the same PROT_* for the whole run
 * @blocks: how many leaves of each level make it up
 */
struct pt_range {
	uint64_t va;
	phys_addr_t pa;
	uint64_t size;
	unsigned int prot;
	uint64_t blocks[PT_LEVELS];
};

typedef void (*pt_walk_fn)(const struct pt_range *r, void *arg);

/**
 * pt_walk() - report every mapping in ascending VA order
 *
 * Adjacent leaves that continue each other in VA and PA with the same
 * protection are merged into one range. Return: the number of ranges.
 */
uint64_t pt_walk(const struct pgtable *pt, pt_walk_fn fn, void *arg);

/*
 * The kernel map, built by paging_init() (generic/mm/paging.c). Later
 * changes (write-protection at the end of boot, new device windows) go
 * through pt_*() on it.
 */
extern struct pgtable kernel_pgtable;

/**
 * paging_init() - build the kernel map from memblock and switch to it
 *
 * Called by setup_arch() after arch_setup(), with memblock describing all
 * memory; table pages come from memblock. Maps what the top of this file
 * says, then arch_pgtable_activate(). Panics if memblock runs out.
 */
void paging_init(void);

/* Host tests: forget the kernel map and the ioremap() windows. */
void paging_reset(void);

/*
 * The arch side (arch_pgtable_activate(), arch_tlb_flush_all()) is declared
 * with every other hook in <cairn/arch.h>.
 */
