// SPDX-License-Identifier: BSD-2-Clause
/*
 * Unit tests of initmem_free() (generic/mm/initmem.c), which gives a
 * boot-time reservation (the .init sections, the initrd) back after
 * memblock_free_all(), on simulated memory (tests/host/mm_test.h): the
 * pages handed over for aligned and unaligned ranges, edge pages shared
 * with another reservation, holes, NOMAP and zone boundaries, the refusals,
 * and after each the accounting invariant and the free lists' form.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cairn/errno.h>
#include <cairn/memblock.h>
#include <cairn/mm.h>

#include "mm_test.h"
#include "tap.h"

/* The free lists hold memblock's free ranges, as test_page_alloc checks. */
static bool free_lists_match_memblock(void)
{
	struct mm_accounting a;

	return mm_check_accounting(&a) && a.free == a.available;
}

/* Free [off, off + size) after booting; return the pages handed over. */
static uint64_t boot_and_free(uint64_t off, uint64_t size, int *err)
{
	uint64_t pages = UINT64_MAX;

	CHECK_EQ(sim_boot(), 0);
	CHECK(mm_check_accounting(NULL));
	*err = initmem_free(sim(off), size, &pages);
	return pages;
}

/*
 * Whole pages: exactly they go; the range is no longer reserved.
 *
 *   0        4M [rsv 3 pages]                        16M
 *   |=========|xxxxxxxx|==============================|
 */
static void test_aligned(void)
{
	uint64_t before, pages;
	int err;

	sim_reset();
	memblock_add(sim(0), 16 * SZ_1M);
	memblock_reserve(sim(SZ_4M), 3 * SZ_4K);
	CHECK_EQ(sim_boot(), 0);
	before = nr_free_pages();
	err = initmem_free(sim(SZ_4M), 3 * SZ_4K, &pages);
	CHECK_EQ(err, 0);
	CHECK_EQ(pages, 3);
	CHECK_EQ(nr_free_pages(), before + 3);
	CHECK(!memblock_is_region_reserved(sim(SZ_4M), 3 * SZ_4K));
	CHECK(free_lists_match_memblock());
}

/*
 * An unaligned end whose page is otherwise free (an initrd reserved by its
 * bytes): that page goes too, or the page allocator would miss a page
 * memblock now calls free.
 *
 *   4M         +3 pages + 0x293
 *   |xxxxxxxxxxxxxxxx|x|.....   the 4th page is partly reserved
 */
static void test_unaligned_end_free_rest(void)
{
	uint64_t pages;
	int err;

	sim_reset();
	memblock_add(sim(0), 16 * SZ_1M);
	memblock_reserve(sim(SZ_4M), 3 * SZ_4K + 0x293);
	pages = boot_and_free(SZ_4M, 3 * SZ_4K + 0x293, &err);
	CHECK_EQ(err, 0);
	CHECK_EQ(pages, 4);
	CHECK(!memblock_is_reserved(sim(SZ_4M + 3 * SZ_4K + 0x100)));
	CHECK(free_lists_match_memblock());
}

/* The same at an unaligned start. */
static void test_unaligned_start_free_rest(void)
{
	uint64_t pages;
	int err;

	sim_reset();
	memblock_add(sim(0), 16 * SZ_1M);
	memblock_reserve(sim(SZ_4M + 0x800), 2 * SZ_4K);
	pages = boot_and_free(SZ_4M + 0x800, 2 * SZ_4K, &err);
	CHECK_EQ(err, 0);
	CHECK_EQ(pages, 3);
	CHECK(free_lists_match_memblock());
}

/*
 * An edge page shared with another reservation stays out, and that
 * reservation stays reserved.
 *
 *   4M       +0x1800   +0x2000
 *   |xxxxxxxxx|yyyyyyyy|.....   x: freed, y: another owner
 */
static void test_shared_edge_page(void)
{
	uint64_t pages;
	int err;

	sim_reset();
	memblock_add(sim(0), 16 * SZ_1M);
	memblock_reserve(sim(SZ_4M), 0x1800);
	memblock_reserve(sim(SZ_4M + 0x1800), 0x800);
	pages = boot_and_free(SZ_4M, 0x1800, &err);
	CHECK_EQ(err, 0);
	CHECK_EQ(pages, 1);
	CHECK(memblock_is_reserved(sim(SZ_4M + 0x1800)));
	CHECK(!memblock_is_reserved(sim(SZ_4M + 0x17ff)));
	CHECK(free_lists_match_memblock());
}

/* A range running past the end of memory: only memory pages go. */
static void test_past_memory(void)
{
	uint64_t pages;
	int err;

	sim_reset();
	memblock_add(sim(0), 8 * SZ_1M);
	memblock_reserve(sim(8 * SZ_1M - 2 * SZ_4K), 5 * SZ_4K);
	pages = boot_and_free(8 * SZ_1M - 2 * SZ_4K, 5 * SZ_4K, &err);
	CHECK_EQ(err, 0);
	CHECK_EQ(pages, 2);
	CHECK(free_lists_match_memblock());
}

/* NOMAP memory inside the range is never the page allocator's. */
static void test_nomap_inside(void)
{
	uint64_t pages;
	int err;

	sim_reset();
	memblock_add(sim(0), 16 * SZ_1M);
	memblock_reserve(sim(SZ_4M), 8 * SZ_4K);
	memblock_mark_nomap(sim(SZ_4M + 2 * SZ_4K), 2 * SZ_4K);
	pages = boot_and_free(SZ_4M, 8 * SZ_4K, &err);
	CHECK_EQ(err, 0);
	CHECK_EQ(pages, 6);
	CHECK(free_lists_match_memblock());
}

/*
 * Across a zone boundary and inside max-order blocks that
 * memblock_free_all() handed over whole (lazily initialised): each page
 * lands in its zone.
 */
static void test_zone_boundary(void)
{
	struct mm_stats st;
	uint64_t pages;
	int err;

	sim_reset();
	sim_zones(16 * SZ_1M, 0);
	memblock_add(sim(0), 64 * SZ_1M);
	memblock_reserve(sim(16 * SZ_1M - 3 * SZ_4K), 7 * SZ_4K);
	pages = boot_and_free(16 * SZ_1M - 3 * SZ_4K, 7 * SZ_4K, &err);
	CHECK_EQ(err, 0);
	CHECK_EQ(pages, 7);
	mm_snapshot(&st);
	CHECK_EQ(st.managed[ZONE_DMA] + st.managed[ZONE_NORMAL],
		 nr_free_pages());
	CHECK(free_lists_match_memblock());
}

/*
 * Freed pages are usable: allocating every free page returns each of
 * them, writable; freeing all restores the free lists.
 *
 *   0        1M [freed 8 pages]     6M            8M
 *   |xxxxxxxx|ffffffff|xxxxxxxxxxxxx|== memmap ====|  x: reserved
 */
static void test_freed_pages_allocate(void)
{
	static struct page *got[2048];
	struct mm_stats before, after;
	uint64_t pages;
	int err, n = 0, seen = 0;

	sim_reset();
	memblock_add(sim(0), 8 * SZ_1M);
	memblock_reserve(sim(0), 6 * SZ_1M);
	pages = boot_and_free(SZ_1M, 8 * SZ_4K, &err);
	CHECK_EQ(err, 0);
	CHECK_EQ(pages, 8);
	mm_snapshot(&before);
	while (n < 2048 && (got[n] = alloc_pages(__GFP_NOWARN, 0)) != NULL) {
		pfn_t pfn = page_to_pfn(got[n]);

		memset(page_address(got[n]), 0x5a, PAGE_SIZE);
		seen +=
		    pfn >= sim_pfn(SZ_1M) && pfn < sim_pfn(SZ_1M + 8 * SZ_4K);
		n++;
	}
	CHECK(n < 2048);
	CHECK_EQ(seen, 8);
	CHECK_EQ(nr_free_pages(), 0);
	CHECK(mm_check_accounting(NULL));
	while (n > 0) {
		__free_pages(got[--n], 0);
	}
	mm_snapshot(&after);
	CHECK(mm_stats_free_equal(&before, &after));
}

/* What is refused changes nothing. */
static void test_refusals(void)
{
	struct mm_accounting a, b;
	phys_addr_t rsv;
	uint64_t pages = 1;

	sim_reset();
	memblock_add(sim(0), 16 * SZ_1M);
	memblock_reserve(sim(SZ_4M), 4 * SZ_4K);
	/* Before memblock_free_all(): too early. */
	CHECK_EQ(sim_memmap_init(), 0);
	CHECK_EQ(initmem_free(sim(SZ_4M), 4 * SZ_4K, &pages), -EINVAL);
	CHECK_EQ(pages, 0);
	memblock_free_all();
	CHECK(mm_check_accounting(&a));
	rsv = memblock_reserved_size();
	CHECK_EQ(initmem_free(sim(SZ_4M), 0, NULL), -EINVAL);
	CHECK_EQ(initmem_free(PHYS_ADDR_MAX - SZ_4K, 2 * SZ_4K, NULL), -EINVAL);
	/* Part of it is free already: may be the page allocator's. */
	CHECK_EQ(initmem_free(sim(SZ_4M), 5 * SZ_4K, NULL), -EBUSY);
	CHECK_EQ(initmem_free(sim(SZ_4M - 1), 2, NULL), -EBUSY);
	CHECK_EQ(memblock_reserved_size(), rsv);
	CHECK(mm_check_accounting(&b));
	CHECK_EQ(a.free, b.free);
	/* A second free of the same range is a double free: refused. */
	CHECK_EQ(initmem_free(sim(SZ_4M), 4 * SZ_4K, NULL), 0);
	CHECK_EQ(initmem_free(sim(SZ_4M), 4 * SZ_4K, NULL), -EBUSY);
	CHECK(free_lists_match_memblock());
}

int main(void)
{
	sim_init();
	sim_verbose();
	printf("# memory model %s\n", memmap_model_name());
	MM_TEST(test_aligned);
	MM_TEST(test_unaligned_end_free_rest);
	MM_TEST(test_unaligned_start_free_rest);
	MM_TEST(test_shared_edge_page);
	MM_TEST(test_past_memory);
	MM_TEST(test_nomap_inside);
	MM_TEST(test_zone_boundary);
	MM_TEST(test_freed_pages_allocate);
	MM_TEST(test_refusals);
	return tap_done();
}
