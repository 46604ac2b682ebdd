// SPDX-License-Identifier: BSD-2-Clause
/*
 * Unit tests of the generic page-table walker (generic/mm/pgtable.c)
 * against the fake arch's entry format (tests/host/arch/include/cairn/arch/
 * pgtable.h: 4 levels of 512, leaves at levels 1-3 unless a case says
 * otherwise). Each case says in one sentence what it checks and draws the
 * mapping. Virtual and physical addresses of mappings are made up and never
 * touched; only table pages are real host memory, from a counted pool (the
 * fake arch maps physical to virtual by identity).
 *
 * Levels: L0 (root, 512 GiB per entry), L1 (1 GiB), L2 (2 MiB), L3 (4 KiB).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cairn/errno.h>
#include <cairn/memblock.h>
#include <cairn/pgtable.h>

#include "tap.h"

#define SZ_4K UINT64_C(0x1000)
#define SZ_8K UINT64_C(0x2000)
#define SZ_2M UINT64_C(0x200000)
#define SZ_4M UINT64_C(0x400000)
#define SZ_1G UINT64_C(0x40000000)
#define SZ_512G (UINT64_C(1) << 39)

#define POOL_PAGES 64

static void *pool[POOL_PAGES];
static unsigned int pool_used, pool_limit;
static struct pgtable pt;

static phys_addr_t pool_alloc(void)
{
	void *p;

	if (pool_used >= pool_limit || pool_used >= POOL_PAGES) {
		return 0;
	}
	p = aligned_alloc(SZ_4K, SZ_4K);
	if (p == NULL) {
		abort();
	}
	memset(p, 0, SZ_4K);
	pool[pool_used++] = p;
	return (phys_addr_t)(uintptr_t)p;
}

/* Fresh pool of @limit table pages, default leaf levels, empty tables. */
static void reset_pages(unsigned int limit)
{
	for (unsigned int i = 0; i < pool_used; i++) {
		free(pool[i]);
	}
	pool_used = 0;
	pool_limit = limit;
	fake_pt_leaf_levels = FAKE_PT_LEAF_LEVELS_DEFAULT;
	pt_set_allocator(pool_alloc);
	pt = (struct pgtable){0};
}

static void reset(void)
{
	reset_pages(POOL_PAGES);
	if (pt_init(&pt) != 0) {
		abort();
	}
}

/* What pt_walk() reported, for comparison. */
#define MAX_RANGES 16
static struct pt_range ranges[MAX_RANGES];
static unsigned int nr_ranges;

static void collect(const struct pt_range *r, void *arg)
{
	(void)arg;
	if (nr_ranges < MAX_RANGES) {
		ranges[nr_ranges] = *r;
	}
	nr_ranges++;
}

static unsigned int walk(void)
{
	nr_ranges = 0;
	memset(ranges, 0, sizeof(ranges));
	CHECK_EQ(pt_walk(&pt, collect, NULL), nr_ranges);
	return nr_ranges;
}

#define CHECK_RANGE(i, v, p, s, pr)                                            \
	do {                                                                   \
		CHECK_EQ(ranges[i].va, (v));                                   \
		CHECK_EQ(ranges[i].pa, (p));                                   \
		CHECK_EQ(ranges[i].size, (s));                                 \
		CHECK_EQ(ranges[i].prot, (pr));                                \
	} while (0)

#define CHECK_BLOCKS(i, n1g, n2m, n4k)                                         \
	do {                                                                   \
		CHECK_EQ(ranges[i].blocks[0], 0);                              \
		CHECK_EQ(ranges[i].blocks[1], (n1g));                          \
		CHECK_EQ(ranges[i].blocks[2], (n2m));                          \
		CHECK_EQ(ranges[i].blocks[3], (n4k));                          \
	} while (0)

/* Lookup @va: expect @pa at @level with @prot. */
#define CHECK_MAPS(va, pa, level, prot)                                        \
	do {                                                                   \
		phys_addr_t pa_ = 0;                                           \
		unsigned int prot_ = 0;                                        \
		int level_ = -1;                                               \
		CHECK(pt_lookup(&pt, (va), &pa_, &prot_, &level_));            \
		CHECK_EQ(pa_, (pa));                                           \
		CHECK_EQ(level_, (level));                                     \
		CHECK_EQ(prot_, (prot));                                       \
	} while (0)

#define RW (PROT_READ | PROT_WRITE)
#define RO PROT_READ
#define RX (PROT_READ | PROT_EXEC)

/*
 * Index and offset at every level come from the right VA bits, and each
 * level's entry covers 512 times the next one.
 *
 *   va = | L0 = 3 | L1 = 5 | L2 = 7 | L3 = 9 | offset 0x123 |
 *         47    39 38    30 29    21 20    12 11           0
 */
static void test_index_offset_every_level(void)
{
	uint64_t va = 3 * SZ_512G + 5 * SZ_1G + 7 * SZ_2M + 9 * SZ_4K + 0x123;

	CHECK_EQ(pt_level_size(0), SZ_512G);
	CHECK_EQ(pt_level_size(1), SZ_1G);
	CHECK_EQ(pt_level_size(2), SZ_2M);
	CHECK_EQ(pt_level_size(3), SZ_4K);
	CHECK_EQ(pt_index(va, 0), 3);
	CHECK_EQ(pt_index(va, 1), 5);
	CHECK_EQ(pt_index(va, 2), 7);
	CHECK_EQ(pt_index(va, 3), 9);
	CHECK_EQ(pt_offset(va, 3), 0x123);
	CHECK_EQ(pt_offset(va, 2), 9 * SZ_4K + 0x123);
	CHECK_EQ(pt_offset(va, 1), 7 * SZ_2M + 9 * SZ_4K + 0x123);
	CHECK_EQ(pt_offset(va, 0), 5 * SZ_1G + 7 * SZ_2M + 9 * SZ_4K + 0x123);
	/* The top index of each level. */
	CHECK_EQ(pt_index(PT_VA_END - 1, 0), PT_ENTRIES - 1);
	CHECK_EQ(pt_index(PT_VA_END - 1, 3), PT_ENTRIES - 1);
}

/*
 * pt_init() takes one zeroed page for the root, and an empty set of tables
 * maps nothing.
 *
 *   root: [ 0 0 0 ... 0 ]
 */
static void test_init_empty(void)
{
	reset();
	CHECK(pt.root != 0);
	CHECK_EQ(pt.nr_tables, 1);
	CHECK_EQ(pool_used, 1);
	CHECK(!pt_lookup(&pt, 0, NULL, NULL, NULL));
	CHECK(!pt_lookup(&pt, SZ_1G, NULL, NULL, NULL));
	CHECK_EQ(walk(), 0);
}

/*
 * A range aligned alike in VA and PA gets the largest blocks: one 1 GiB,
 * one 2 MiB and one 4 KiB leaf, with one table per level below the root.
 *
 *   va 1G            2G       2G+2M   +4K
 *      |==== 1 GiB ===|= 2 MiB =|=4K=|
 *   L1: [1]=leaf  [2]=table -> L2: [0]=leaf [1]=table -> L3: [0]=leaf
 */
static void test_map_largest_blocks(void)
{
	reset();
	CHECK_EQ(pt_map(&pt, SZ_1G, 5 * SZ_1G, SZ_1G + SZ_2M + SZ_4K, RW), 0);
	CHECK_MAPS(SZ_1G, 5 * SZ_1G, 1, RW);
	CHECK_MAPS(SZ_1G + 0x12345, 5 * SZ_1G + 0x12345, 1, RW);
	CHECK_MAPS(2 * SZ_1G, 6 * SZ_1G, 2, RW);
	CHECK_MAPS(2 * SZ_1G + SZ_2M + 0xff8, 6 * SZ_1G + SZ_2M + 0xff8, 3, RW);
	CHECK(!pt_lookup(&pt, 2 * SZ_1G + SZ_2M + SZ_4K, NULL, NULL, NULL));
	CHECK(!pt_lookup(&pt, SZ_1G - SZ_4K, NULL, NULL, NULL));
	CHECK_EQ(pt.nr_tables, 4);
	CHECK_EQ(walk(), 1);
	CHECK_RANGE(0, SZ_1G, 5 * SZ_1G, SZ_1G + SZ_2M + SZ_4K, RW);
	CHECK_BLOCKS(0, 1, 1, 1);
}

/*
 * When PA is only page-aligned relative to VA, no block fits: every leaf
 * is 4 KiB, however large and aligned the VA range is.
 *
 *   va 1G (2M-aligned)                 1G+4M
 *      |4K|4K|4K| ...  1024 pages  |4K|
 *   pa 8G+4K (not 2M-aligned)
 */
static void test_map_misaligned_pa_uses_pages(void)
{
	reset();
	CHECK_EQ(pt_map(&pt, SZ_1G, 8 * SZ_1G + SZ_4K, SZ_4M, RO), 0);
	CHECK_MAPS(SZ_1G, 8 * SZ_1G + SZ_4K, 3, RO);
	CHECK_MAPS(SZ_1G + SZ_4M - SZ_4K, 8 * SZ_1G + SZ_4M, 3, RO);
	/* root, L1, L2, two L3 */
	CHECK_EQ(pt.nr_tables, 5);
	CHECK_EQ(walk(), 1);
	CHECK_BLOCKS(0, 0, 0, 1024);
}

/*
 * A range that starts and ends off block boundaries gets pages at the
 * edges, 2 MiB blocks up to the 1 GiB boundary, then a 1 GiB block.
 *
 *   va 1G-2M-4K   1G-2M       1G              2G   2G+4K
 *      |=4K=|====2M====|===== 1 GiB =====|=4K=|
 */
static void test_map_mixed_alignment(void)
{
	uint64_t va = SZ_1G - SZ_2M - SZ_4K;
	uint64_t size = SZ_4K + SZ_2M + SZ_1G + SZ_4K;

	reset();
	CHECK_EQ(pt_map(&pt, va, va, size, RW), 0);
	CHECK_MAPS(va, va, 3, RW);
	CHECK_MAPS(SZ_1G - SZ_2M, SZ_1G - SZ_2M, 2, RW);
	CHECK_MAPS(SZ_1G, SZ_1G, 1, RW);
	CHECK_MAPS(2 * SZ_1G, 2 * SZ_1G, 3, RW);
	CHECK_EQ(walk(), 1);
	CHECK_RANGE(0, va, va, size, RW);
	CHECK_BLOCKS(0, 1, 1, 2);
	/* root, L1, L2 under L1[0], L3 under it, L2 and L3 under L1[2] */
	CHECK_EQ(pt.nr_tables, 6);
}

/*
 * Without 1 GiB leaves (an x86 without Page1GB), a 1 GiB range becomes
 * 512 blocks of 2 MiB.
 *
 *   va 0x40000000      0x80000000
 *      |2M|2M|2M| ... |2M|      (L1[1] is a table, not a leaf)
 */
static void test_map_without_1g_blocks(void)
{
	reset();
	fake_pt_leaf_levels = (1u << 2) | (1u << 3);
	CHECK_EQ(pt_map(&pt, SZ_1G, SZ_1G, SZ_1G, RW), 0);
	CHECK_MAPS(SZ_1G + SZ_2M + 5, SZ_1G + SZ_2M + 5, 2, RW);
	CHECK_EQ(walk(), 1);
	CHECK_BLOCKS(0, 0, 512, 0);
	CHECK_EQ(pt.nr_tables, 3);
}

/*
 * Protecting one page in the middle of a 2 MiB block splits it into 512
 * pages with the same translation; only that page changes.
 *
 *   before:  |============ 2M RW ============|
 *   after:   |4K RW ...|4K R|... 4K RW       |   (+1 table)
 */
static void test_protect_splits_block(void)
{
	reset();
	CHECK_EQ(pt_map(&pt, SZ_2M, 3 * SZ_2M, SZ_2M, RW), 0);
	CHECK_EQ(pt.nr_tables, 3);
	CHECK_EQ(pt_protect(&pt, SZ_2M + 16 * SZ_4K, SZ_4K, RO), 0);
	CHECK_EQ(pt.nr_tables, 4);
	CHECK_MAPS(SZ_2M, 3 * SZ_2M, 3, RW);
	CHECK_MAPS(SZ_2M + 16 * SZ_4K + 8, 3 * SZ_2M + 16 * SZ_4K + 8, 3, RO);
	CHECK_MAPS(SZ_2M + 17 * SZ_4K, 3 * SZ_2M + 17 * SZ_4K, 3, RW);
	CHECK_EQ(walk(), 3);
	CHECK_RANGE(0, SZ_2M, 3 * SZ_2M, 16 * SZ_4K, RW);
	CHECK_RANGE(1, SZ_2M + 16 * SZ_4K, 3 * SZ_2M + 16 * SZ_4K, SZ_4K, RO);
	CHECK_RANGE(2, SZ_2M + 17 * SZ_4K, 3 * SZ_2M + 17 * SZ_4K,
		    SZ_2M - 17 * SZ_4K, RW);
}

/*
 * Protecting a whole block rewrites the leaf in place: no split, no table.
 *
 *   |==== 1G RW ====|  ->  |==== 1G RX ====|
 */
static void test_protect_whole_block(void)
{
	reset();
	CHECK_EQ(pt_map(&pt, SZ_1G, SZ_1G, SZ_1G, RW), 0);
	CHECK_EQ(pt_protect(&pt, SZ_1G, SZ_1G, RX), 0);
	CHECK_EQ(pt.nr_tables, 2);
	CHECK_MAPS(SZ_1G + 77, SZ_1G + 77, 1, RX);
}

/*
 * Unmapping one page inside a 1 GiB block splits it twice (1G -> 2M ->
 * 4K); everything around it keeps its translation.
 *
 *   before:  |=================== 1 GiB ===================|
 *   after:   |2M|  |4K|hole|4K ... |  |2M|2M| ... 510 more |
 */
static void test_unmap_splits_block_twice(void)
{
	uint64_t hole = SZ_1G + SZ_2M + SZ_4K;

	reset();
	CHECK_EQ(pt_map(&pt, SZ_1G, 7 * SZ_1G, SZ_1G, RW), 0);
	CHECK_EQ(pt_unmap(&pt, hole, SZ_4K), 0);
	CHECK(!pt_lookup(&pt, hole, NULL, NULL, NULL));
	CHECK_MAPS(SZ_1G, 7 * SZ_1G, 2, RW);
	CHECK_MAPS(hole - SZ_4K, 7 * SZ_1G + SZ_2M, 3, RW);
	CHECK_MAPS(hole + SZ_4K, 7 * SZ_1G + SZ_2M + SZ_8K, 3, RW);
	CHECK_MAPS(SZ_1G + 2 * SZ_2M, 7 * SZ_1G + 2 * SZ_2M, 2, RW);
	/* root, L1, the new L2 and L3 */
	CHECK_EQ(pt.nr_tables, 4);
	CHECK_EQ(walk(), 2);
	CHECK_BLOCKS(0, 0, 1, 1);
	CHECK_BLOCKS(1, 0, 510, 510);
}

/*
 * A smaller mapping over part of a block splits it and wins where it
 * lies; the rest of the block keeps its old translation.
 *
 *   first:   |============ 2M RW -> pa 0x10000000 =============|
 *   then:          |4K RX -> pa 0x7000|
 *   result:  |4K..|4K RX 0x7000|4K.. RW 0x10000000+ ...         |
 */
static void test_map_over_part_of_block(void)
{
	reset();
	CHECK_EQ(pt_map(&pt, 0, 0x10000000, SZ_2M, RW), 0);
	CHECK_EQ(pt_map(&pt, SZ_8K, 0x7000, SZ_4K, RX), 0);
	CHECK_MAPS(SZ_8K, 0x7000, 3, RX);
	CHECK_MAPS(SZ_4K, 0x10000000 + SZ_4K, 3, RW);
	CHECK_MAPS(SZ_8K + SZ_4K, 0x10000000 + SZ_8K + SZ_4K, 3, RW);
	CHECK_EQ(walk(), 3);
	CHECK_EQ(pt.nr_tables, 4);
}

/*
 * Mapping a whole block again with another PA rewrites the leaf: no
 * split, no new table.
 *
 *   |== 2M -> 0x40000000 ==|  ->  |== 2M -> 0x80000000 ==|
 */
static void test_map_over_whole_block(void)
{
	reset();
	CHECK_EQ(pt_map(&pt, SZ_2M, SZ_1G, SZ_2M, RW), 0);
	CHECK_EQ(pt_map(&pt, SZ_2M, 2 * SZ_1G, SZ_2M, RO), 0);
	CHECK_MAPS(SZ_2M + 3, 2 * SZ_1G + 3, 2, RO);
	CHECK_EQ(pt.nr_tables, 3);
}

/*
 * Tables are never merged back into blocks: once split, a range that is
 * mapped again as a whole stays in pages (and no table is freed).
 *
 *   |== 2M ==| -> unmap 4K -> |4K|..|  |4K| -> map 2M -> |4K|4K|...|4K|
 */
static void test_split_table_is_kept(void)
{
	reset();
	CHECK_EQ(pt_map(&pt, SZ_2M, SZ_2M, SZ_2M, RW), 0);
	CHECK_EQ(pt_unmap(&pt, SZ_2M, SZ_4K), 0);
	CHECK_EQ(pt.nr_tables, 4);
	CHECK_EQ(pt_map(&pt, SZ_2M, SZ_2M, SZ_2M, RW), 0);
	CHECK_EQ(pt.nr_tables, 4);
	CHECK_MAPS(SZ_2M, SZ_2M, 3, RW);
	CHECK_EQ(walk(), 1);
	CHECK_BLOCKS(0, 0, 0, 512);
}

/*
 * Unmapping a range with holes (and an empty table set) is fine and
 * allocates nothing.
 *
 *   |== 4K ==|  hole  |== 4K ==|   unmap [0, 16K) -> nothing left
 */
static void test_unmap_with_holes(void)
{
	reset();
	CHECK_EQ(pt_unmap(&pt, 0, SZ_1G), 0);
	CHECK_EQ(pt.nr_tables, 1);
	CHECK_EQ(pt_map(&pt, 0, SZ_1G, SZ_4K, RW), 0);
	CHECK_EQ(pt_map(&pt, 3 * SZ_4K, SZ_1G, SZ_4K, RW), 0);
	CHECK_EQ(pt_unmap(&pt, 0, 4 * SZ_4K), 0);
	CHECK(!pt_lookup(&pt, 0, NULL, NULL, NULL));
	CHECK(!pt_lookup(&pt, 3 * SZ_4K, NULL, NULL, NULL));
	CHECK_EQ(walk(), 0);
}

/*
 * pt_protect() over a range with a hole changes nothing and says -ENOENT.
 *
 *   |== 4K RW ==| hole |== 4K RW ==|   protect all 3 pages R -> -ENOENT
 */
static void test_protect_hole_refused(void)
{
	reset();
	CHECK_EQ(pt_map(&pt, 0x10000, 0x10000, SZ_4K, RW), 0);
	CHECK_EQ(pt_map(&pt, 0x12000, 0x12000, SZ_4K, RW), 0);
	CHECK_EQ(pt_protect(&pt, 0x10000, 3 * SZ_4K, RO), -ENOENT);
	CHECK_MAPS(0x10000, 0x10000, 3, RW);
	CHECK_MAPS(0x12000, 0x12000, 3, RW);
	CHECK_EQ(pt_protect(&pt, 0x20000, SZ_4K, RO), -ENOENT);
}

/*
 * Lookup reports the leaf's level and protection and adds the offset;
 * device mappings keep PROT_DEVICE; addresses past PT_VA_END are never
 * mapped.
 *
 *   |== 2M RW|DEVICE -> 0xfe000000 ==|   lookup(+0x1234) = 0xfe001234, L2
 */
static void test_lookup(void)
{
	reset();
	CHECK_EQ(pt_map(&pt, 0xfe000000, 0xfe000000, SZ_2M, RW | PROT_DEVICE),
		 0);
	CHECK_MAPS(0xfe001234, 0xfe001234, 2, RW | PROT_DEVICE);
	CHECK(pt_lookup(&pt, 0xfe000000, NULL, NULL, NULL));
	CHECK(!pt_lookup(&pt, 0xfe000000 + SZ_2M, NULL, NULL, NULL));
	CHECK(!pt_lookup(&pt, PT_VA_END, NULL, NULL, NULL));
	CHECK(!pt_lookup(&pt, UINT64_MAX, NULL, NULL, NULL));
	CHECK(!pt_lookup(NULL, 0, NULL, NULL, NULL));
}

/*
 * The last page below PT_VA_END can be mapped; a range reaching past it
 * cannot.
 *
 *            PT_VA_END - 4K   PT_VA_END
 *   ... hole |====== 4K ======|  (nothing beyond)
 */
static void test_map_top_of_va(void)
{
	reset();
	CHECK_EQ(pt_map(&pt, PT_VA_END - SZ_4K, SZ_4K, SZ_4K, RO), 0);
	CHECK_MAPS(PT_VA_END - 1, SZ_8K - 1, 3, RO);
	CHECK_EQ(pt_map(&pt, PT_VA_END - SZ_4K, SZ_4K, SZ_8K, RO), -EINVAL);
	CHECK_EQ(pt_map(&pt, PT_VA_END, SZ_4K, SZ_4K, RO), -EINVAL);
	CHECK_EQ(pt_unmap(&pt, PT_VA_END - SZ_4K, SZ_8K), -EINVAL);
	CHECK_EQ(pt_unmap(&pt, PT_VA_END - SZ_4K, SZ_4K), 0);
}

/*
 * Bad arguments are refused with -EINVAL before anything is allocated or
 * written: misaligned VA, PA or size, an empty or wrapping range, a PA
 * beyond PT_PA_BITS, a protection without PROT_READ or with unknown bits,
 * tables that were never initialised.
 */
static void test_bad_arguments(void)
{
	struct pgtable none = {0};
	uint64_t flushes;

	reset();
	flushes = fake_tlb_flushes;
	CHECK_EQ(pt_map(&pt, 0x1800, 0x2000, SZ_4K, RW), -EINVAL);
	CHECK_EQ(pt_map(&pt, 0x2000, 0x1800, SZ_4K, RW), -EINVAL);
	CHECK_EQ(pt_map(&pt, 0x2000, 0x2000, 0x800, RW), -EINVAL);
	CHECK_EQ(pt_map(&pt, 0x2000, 0x2000, 0, RW), -EINVAL);
	CHECK_EQ(pt_map(&pt, 0x2000, UINT64_MAX & PAGE_MASK, SZ_8K, RW),
		 -EINVAL);
	CHECK_EQ(pt_map(&pt, 0x2000, UINT64_C(1) << PT_PA_BITS, SZ_4K, RW),
		 -EINVAL);
	CHECK_EQ(
	    pt_map(&pt, 0x2000, (UINT64_C(1) << PT_PA_BITS) - SZ_4K, SZ_8K, RW),
	    -EINVAL);
	CHECK_EQ(pt_map(&pt, UINT64_MAX & PAGE_MASK, 0x2000, SZ_8K, RW),
		 -EINVAL);
	CHECK_EQ(pt_map(&pt, 0x2000, 0x2000, SZ_4K, PROT_WRITE), -EINVAL);
	CHECK_EQ(pt_map(&pt, 0x2000, 0x2000, SZ_4K, RW | 0x100), -EINVAL);
	CHECK_EQ(pt_map(&none, 0x2000, 0x2000, SZ_4K, RW), -EINVAL);
	CHECK_EQ(pt_protect(&pt, 0x2000, 0x800, RO), -EINVAL);
	CHECK_EQ(pt_protect(&pt, 0x2000, SZ_4K, 0), -EINVAL);
	CHECK_EQ(pt_unmap(&pt, 0x2800, SZ_4K), -EINVAL);
	CHECK_EQ(pt_unmap(&pt, 0x2000, 0), -EINVAL);
	CHECK_EQ(pt_unmap(&none, 0x2000, SZ_4K), -EINVAL);
	CHECK_EQ(pt.nr_tables, 1);
	CHECK_EQ(fake_tlb_flushes, flushes);
	CHECK_EQ(walk(), 0);
}

/*
 * When the allocator runs dry: pt_init() and pt_map() return -ENOMEM, a
 * failed split leaves the block's translation intact.
 *
 *   pool: [root][L1][L2] then empty;  unmap 4K of a 2M block -> -ENOMEM
 */
static void test_out_of_table_pages(void)
{
	reset_pages(0);
	CHECK_EQ(pt_init(&pt), -ENOMEM);
	CHECK_EQ(pt.root, 0);

	reset_pages(3);
	CHECK_EQ(pt_init(&pt), 0);
	CHECK_EQ(pt_map(&pt, SZ_2M, SZ_2M, SZ_4K, RW), -ENOMEM);
	CHECK_EQ(pt_map(&pt, SZ_4M, SZ_4M, SZ_2M, RW), 0);
	CHECK_EQ(pt_unmap(&pt, SZ_4M, SZ_4K), -ENOMEM);
	CHECK_MAPS(SZ_4M, SZ_4M, 2, RW);
	CHECK_EQ(pt_protect(&pt, SZ_4M, SZ_4K, RO), -ENOMEM);
	CHECK_MAPS(SZ_4M + SZ_4K, SZ_4M + SZ_4K, 2, RW);
	CHECK_EQ(pt.nr_tables, 3);
}

/*
 * Every call that writes an entry flushes the TLB once; calls that write
 * nothing (the same mapping again, unmapping a hole) do not.
 *
 *   map 4K: +1   map it again: +0   unmap hole: +0   unmap it: +1
 */
static void test_tlb_flushes(void)
{
	uint64_t before;

	reset();
	before = fake_tlb_flushes;
	CHECK_EQ(pt_map(&pt, SZ_4K, SZ_4K, SZ_4K, RW), 0);
	CHECK_EQ(fake_tlb_flushes, before + 1);
	CHECK_EQ(pt_map(&pt, SZ_4K, SZ_4K, SZ_4K, RW), 0);
	CHECK_EQ(fake_tlb_flushes, before + 1);
	CHECK_EQ(pt_unmap(&pt, SZ_1G, SZ_4K), 0);
	CHECK_EQ(fake_tlb_flushes, before + 1);
	CHECK_EQ(pt_unmap(&pt, SZ_4K, SZ_4K), 0);
	CHECK_EQ(fake_tlb_flushes, before + 2);
}

/*
 * pt_walk() merges leaves that continue each other in VA and PA with the
 * same protection, whatever their size, and splits where any differs.
 *
 *   va 0     2M        4M   4M+4K     4M+8K
 *      |2M RW|2M RW    |4K R |4K R -> pa elsewhere|
 *      \__ one range __/\_one_/\____ one ________/
 */
static void test_walk_merges_runs(void)
{
	reset();
	CHECK_EQ(pt_map(&pt, 0, SZ_1G, SZ_2M, RW), 0);
	CHECK_EQ(pt_map(&pt, SZ_2M, SZ_1G + SZ_2M, SZ_2M, RW), 0);
	CHECK_EQ(pt_map(&pt, SZ_4M, SZ_1G + SZ_4M, SZ_4K, RO), 0);
	CHECK_EQ(pt_map(&pt, SZ_4M + SZ_4K, 0x9000, SZ_4K, RO), 0);
	CHECK_EQ(walk(), 3);
	CHECK_RANGE(0, 0, SZ_1G, SZ_4M, RW);
	CHECK_BLOCKS(0, 0, 2, 0);
	CHECK_RANGE(1, SZ_4M, SZ_1G + SZ_4M, SZ_4K, RO);
	CHECK_RANGE(2, SZ_4M + SZ_4K, 0x9000, SZ_4K, RO);
}

/*
 * The default allocator takes table pages from memblock (here a host
 * buffer described as memory) and hands them over zeroed.
 *
 *   memblock.memory:   [===== arena 64K =====]
 *   reserved after:    [               |root] (top-down, one page)
 */
static void test_default_allocator_uses_memblock(void)
{
	const uint64_t arena_size = 16 * SZ_4K;
	uint8_t *arena = aligned_alloc(SZ_4K, arena_size);
	phys_addr_t a = (phys_addr_t)(uintptr_t)arena;
	struct pgtable mb = {0};

	reset();
	memset(arena, 0xa5, arena_size);
	memblock_reset();
	memblock_add(a, arena_size);
	pt_set_allocator(NULL);
	CHECK_EQ(pt_init(&mb), 0);
	CHECK(mb.root >= a && mb.root < a + arena_size);
	CHECK_EQ(memblock_reserved_size(), SZ_4K);
	CHECK(arena[mb.root - a] == 0 && arena[mb.root - a + SZ_4K - 1] == 0);
	CHECK_EQ(pt_map(&mb, 0, 0, SZ_4K, RO), 0);
	CHECK_EQ(mb.nr_tables, 4);
	CHECK_EQ(memblock_reserved_size(), 4 * SZ_4K);
	memblock_reset();
	free(arena);
	pt_set_allocator(pool_alloc);
}

int main(void)
{
	TEST(test_index_offset_every_level);
	TEST(test_init_empty);
	TEST(test_map_largest_blocks);
	TEST(test_map_misaligned_pa_uses_pages);
	TEST(test_map_mixed_alignment);
	TEST(test_map_without_1g_blocks);
	TEST(test_protect_splits_block);
	TEST(test_protect_whole_block);
	TEST(test_unmap_splits_block_twice);
	TEST(test_map_over_part_of_block);
	TEST(test_map_over_whole_block);
	TEST(test_split_table_is_kept);
	TEST(test_unmap_with_holes);
	TEST(test_protect_hole_refused);
	TEST(test_lookup);
	TEST(test_map_top_of_va);
	TEST(test_bad_arguments);
	TEST(test_out_of_table_pages);
	TEST(test_tlb_flushes);
	TEST(test_walk_merges_runs);
	TEST(test_default_allocator_uses_memblock);
	reset_pages(0);
	return tap_done();
}
