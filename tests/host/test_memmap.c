// SPDX-License-Identifier: BSD-2-Clause
/*
 * Unit tests of the memmap (generic/mm/memmap.c), built once per memory
 * model with that model's CONFIG_* (tests/host/meson.build): pfn <-> page
 * round trips across holes and absent sections, what each model costs,
 * lazy struct page initialisation, blocks that straddle a zone boundary,
 * and the errors. Memory is simulated (tests/host/mm_test.h).
 *
 * SPARSEMEM_VMEMMAP: the fake page tables map nothing on the host, so the
 * test maps the vmemmap window itself (anonymous memory at the virtual
 * addresses pt_map() was asked for) and checks with pt_lookup() that
 * memmap_init() mapped it from memblock memory.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairn/errno.h>
#include <cairn/memblock.h>
#include <cairn/mm.h>

#include "mm_test.h"
#include "tap.h"

#if defined(CONFIG_SPARSEMEM_VMEMMAP)
/* <sys/mman.h> (mm_test.h) has PROT_* with the same values, other spelling. */
#undef PROT_READ
#undef PROT_WRITE
#undef PROT_EXEC
#include <cairn/pgtable.h>
#endif

#define PATTERN 0xa5

static bool model_is(const char *name)
{
	return strcmp(memmap_model_name(), name) == 0;
}

/*
 * sim_reset(), and the memory that will hold struct pages filled with
 * PATTERN, so that a test can tell which struct pages were written.
 */
static void reset(void)
{
	sim_reset();
	memset(sim_base, PATTERN, 16 * SZ_1M);
#if defined(CONFIG_SPARSEMEM_VMEMMAP)
	memset(vmemmap_window(), PATTERN, SIM_WINDOW_SIZE);
#endif
}

/* Shorter names for the two steps. */
static int init(void)
{
	return sim_memmap_init();
}

static int boot(void)
{
	return sim_boot();
}

/* Were the bytes of @page ever written (is any not PATTERN)? */
static bool page_written(const struct page *page)
{
	const uint8_t *b = (const uint8_t *)page;

	for (size_t i = 0; i < sizeof(*page); i++) {
		if (b[i] != PATTERN) {
			return true;
		}
	}
	return false;
}

/*
 * Memory in section 0 and section 3 of the simulated range, with a hole
 * in each and sections 1 and 2 absent:
 *
 *   0        64M      128M     256M     384M 388M        484M   512M
 *   |=========|........|........|........|....|===========|......|
 *    section 0          1 (none) 2 (none) section 3
 */
static void add_holey_memory(void)
{
	memblock_add(sim(0), 64 * SZ_1M);
	memblock_add(sim(3 * SZ_128M + SZ_4M), 96 * SZ_1M);
}

/*
 * pfn_to_page()/page_to_pfn() round trip for every pfn of memory and of
 * holes inside a section that has memory, before any struct page but the
 * block heads was written (lazy tails); absent sections have no struct
 * page in the SPARSEMEM models, and pfns outside the memmap none at all.
 */
static void test_round_trip_across_holes(void)
{
	const pfn_t ranges[][2] = {
	    {sim_pfn(0), sim_pfn(SZ_128M)},
	    {sim_pfn(3 * SZ_128M), sim_pfn(484 * SZ_1M)},
	};
	int bad = 0;

	reset();
	add_holey_memory();
	CHECK(!pfn_valid(sim_pfn(0)));
	CHECK_EQ(boot(), 0);
	for (size_t r = 0; r < ARRAY_SIZE(ranges); r++) {
		for (pfn_t pfn = ranges[r][0]; pfn < ranges[r][1]; pfn++) {
			struct page *page = pfn_to_page(pfn);

			if (page == NULL || page_to_pfn(page) != pfn ||
			    !pfn_valid(pfn)) {
				bad++;
			}
		}
	}
	CHECK_EQ(bad, 0);
	/* Neighbouring struct pages are neighbours in every model. */
	CHECK(pfn_to_page(sim_pfn(SZ_4M)) + 1 ==
	      pfn_to_page(sim_pfn(SZ_4M) + 1));
	if (model_is("FLATMEM")) {
		CHECK(pfn_to_page(sim_pfn(SZ_128M)) != NULL);
		CHECK(pfn_valid(sim_pfn(2 * SZ_128M)));
		CHECK(pfn_to_page(sim_pfn(2 * SZ_128M) + 5) + 1 ==
		      pfn_to_page(sim_pfn(2 * SZ_128M) + 6));
		CHECK(pfn_to_page(sim_pfn(484 * SZ_1M)) == NULL);
	} else {
		CHECK(pfn_to_page(sim_pfn(SZ_128M)) == NULL);
		CHECK(!pfn_valid(sim_pfn(2 * SZ_128M)));
		CHECK(pfn_valid(sim_pfn(4 * SZ_128M) - 1));
		CHECK(pfn_to_page(sim_pfn(4 * SZ_128M)) == NULL);
	}
	CHECK(pfn_to_page(sim_pfn(0) - 1) == NULL);
	CHECK(!pfn_valid(sim_pfn(0) - 1));
	CHECK(mm_check_accounting(NULL));
}

/*
 * What each model costs for the holey layout: FLATMEM one struct page per
 * pfn of the whole span; the SPARSEMEM models 1 MiB per present section
 * plus a few pages of section table; holes cost nothing there.
 */
static void test_memmap_cost(void)
{
	const uint64_t span_pages = (3 * SZ_128M + 100 * SZ_1M) / PAGE_SIZE;
	struct mm_accounting a;

	reset();
	add_holey_memory();
	CHECK_EQ(boot(), 0);
	CHECK(mm_check_accounting(&a));
	printf("# %s: %llu pages of memmap for %llu pages of memory\n",
	       memmap_model_name(), (unsigned long long)a.memmap,
	       (unsigned long long)a.total);
	if (model_is("FLATMEM")) {
		CHECK_EQ(a.memmap,
			 span_pages * sizeof(struct page) / PAGE_SIZE);
	} else {
		/* Two sections, the root array, one or two table pages. */
		uint64_t roots = ((sim_pfn(SIM_SIZE) >> PFN_SECTION_SHIFT) /
				      (PAGE_SIZE / 8) +
				  1) *
				 8;

		/* SPARSEMEM_VMEMMAP: and the vmemmap's page tables. */
		uint64_t tables = model_is("SPARSEMEM_VMEMMAP") ? 8 : 0;

		CHECK(a.memmap >= 2 * 256 + 1);
		CHECK(a.memmap <= 2 * 256 + PFN_UP(roots) + 2 + tables);
	}
}

/*
 * Lazy initialisation: after memblock_free_all() only the head of each
 * wholly free max-order block was written, and every struct page of
 * blocks that are partly reserved (here the one holding the memmap).
 * Splitting a block writes all its struct pages, once.
 *
 *   0     4M     8M     12M    16M
 *   |lazy |lazy  |lazy  |memmap| <- partly reserved: written whole
 */
static void test_lazy_init(void)
{
	uint64_t written = 0, expected = 0;
	struct page *p, *head;
	phys_addr_t s, e;
	uint64_t i;

	reset();
	memblock_add(sim(0), 16 * SZ_1M);
	CHECK_EQ(boot(), 0);
	for (pfn_t b = sim_pfn(0); b < sim_pfn(16 * SZ_1M);
	     b += MAX_ORDER_NR_PAGES) {
		bool whole = false;

		for_each_free_mem_range(i, NUMA_NO_NODE, MEMBLOCK_NONE, &s, &e,
					NULL)
		{
			if (PFN_UP(s) <= b &&
			    b + MAX_ORDER_NR_PAGES <= PFN_DOWN(e)) {
				whole = true;
			}
		}
		expected += whole ? 1 : MAX_ORDER_NR_PAGES;
		for (pfn_t pfn = b; pfn < b + MAX_ORDER_NR_PAGES; pfn++) {
			written += page_written(pfn_to_page(pfn));
		}
		if (whole) {
			/* In a free run: the head as memmap_init() wrote it. */
			head = pfn_to_page(b);
			CHECK_EQ(head->flags & PG_STATE_MASK,
				 PG_reserved | PG_lazy);
		}
	}
	CHECK_EQ(written, expected);
	CHECK(expected < 4 * MAX_ORDER_NR_PAGES);

	/* Block 0 is wholly free; take it and split it by hand. */
	head = pfn_to_page(sim_pfn(0));
	CHECK(page_has(head, PG_lazy));
	p = alloc_pages(GFP_KERNEL | __GFP_NOWARN, MAX_ORDER);
	while (p != NULL && p != head) {
		p = alloc_pages(GFP_KERNEL | __GFP_NOWARN, MAX_ORDER);
	}
	CHECK(p == head);
	if (p == NULL) {
		return;
	}
	CHECK(page_has(head, PG_lazy)); /* whole: still untouched */
	CHECK(!page_written(head + 1));
	/* Use up every smaller free block, so that order 0 must split. */
	for (unsigned int o = 0; o < MAX_ORDER; o++) {
		struct mm_stats st;

		for (mm_snapshot(&st); st.nr_free[ZONE_NORMAL][o] != 0;
		     mm_snapshot(&st)) {
			CHECK(alloc_pages(GFP_KERNEL, o) != NULL);
		}
	}
	__free_pages(head, MAX_ORDER);
	CHECK(!page_written(head + 1));
	p = alloc_pages(GFP_KERNEL | __GFP_NOWARN, 0);
	CHECK(p == head);
	CHECK(!page_has(head, PG_lazy));
	written = 0;
	for (uint64_t k = 0; k < MAX_ORDER_NR_PAGES; k++) {
		written += page_written(head + k);
		CHECK_EQ(page_zonenum(head + k), ZONE_NORMAL);
	}
	CHECK_EQ(written, MAX_ORDER_NR_PAGES);
	CHECK(!page_written(pfn_to_page(sim_pfn(SZ_4M) + 1)));
	__free_pages(p, 0);
	CHECK(mm_check_accounting(NULL));
}

/*
 * A zone boundary inside a max-order block: the block is initialised at
 * boot page by page with each page's own zone, and never merges across:
 *
 *   0        4M   6M   8M
 *   |  DMA   |DMA |Nrm |=== Normal ...
 *            ^ one block, two zones: two order-9 blocks
 */
static void test_straddling_block(void)
{
	struct mm_stats st;

	reset();
	sim_zones(6 * SZ_1M, 0);
	memblock_add(sim(0), 32 * SZ_1M);
	CHECK_EQ(boot(), 0);
	CHECK(!page_has(pfn_to_page(sim_pfn(SZ_4M)), PG_lazy));
	CHECK_EQ(page_zonenum(pfn_to_page(sim_pfn(6 * SZ_1M) - 1)), ZONE_DMA);
	CHECK_EQ(page_zonenum(pfn_to_page(sim_pfn(6 * SZ_1M))), ZONE_NORMAL);
	CHECK(page_written(pfn_to_page(sim_pfn(SZ_4M) + 700)));
	mm_snapshot(&st);
	CHECK_EQ(st.nr_free[ZONE_DMA][MAX_ORDER], 1);
	CHECK_EQ(st.nr_free[ZONE_DMA][MAX_ORDER - 1], 1);
	CHECK(st.nr_free[ZONE_NORMAL][MAX_ORDER - 1] >= 1);
	CHECK_EQ(st.managed[ZONE_DMA], 6 * SZ_1M / PAGE_SIZE);
	CHECK(mm_check_accounting(NULL));
}

/* Block heads carry the zone of their pfn, whatever the model. */
static void test_page_zones(void)
{
	reset();
	sim_zones(16 * SZ_1M, 32 * SZ_1M);
	memblock_add(sim(0), 64 * SZ_1M);
	CHECK_EQ(boot(), 0);
	for (uint64_t off = 0; off < 64 * SZ_1M; off += SZ_4M) {
		struct page *head = pfn_to_page(sim_pfn(off));

		CHECK_EQ(page_zonenum(head), sim_zone_of(sim_pfn(off)));
	}
}

/* Errors: no memory, twice, and no room for the memmap. */
static void test_init_errors(void)
{
	reset();
	CHECK_EQ(init(), -EINVAL);

	reset();
	memblock_add(sim(0), 16 * SZ_1M);
	CHECK_EQ(init(), 0);
	CHECK_EQ(memmap_init(), -EINVAL);

	reset();
	memblock_add(sim(0), 16 * SZ_1M);
	memblock_reserve(sim(0), 16 * SZ_1M);
	CHECK_EQ(init(), -ENOMEM);
}

#if defined(CONFIG_SPARSEMEM_VMEMMAP)
/*
 * The vmemmap is mapped from memblock memory: each present section's
 * struct pages translate, through the kernel page tables, into a range
 * memblock reserved; absent sections are not mapped.
 */
static void test_vmemmap_mapped(void)
{
	phys_addr_t pa;

	reset();
	add_holey_memory();
	CHECK_EQ(boot(), 0);
	CHECK(pt_lookup(&kernel_pgtable,
			(uint64_t)(uintptr_t)pfn_to_page(sim_pfn(0)), &pa, NULL,
			NULL));
	CHECK(memblock_is_reserved(pa));
	CHECK(pt_lookup(&kernel_pgtable,
			(uint64_t)(uintptr_t)pfn_to_page(sim_pfn(3 * SZ_128M)),
			&pa, NULL, NULL));
	CHECK(memblock_is_reserved(pa));
	CHECK(!pt_lookup(
	    &kernel_pgtable,
	    (uint64_t)(uintptr_t)(vmemmap_window() +
				  SZ_128M / PAGE_SIZE * sizeof(struct page)),
	    NULL, NULL, NULL));
}
#endif

int main(void)
{
	sim_init();
	sim_verbose();
	printf("# memory model %s\n", memmap_model_name());
	TEST(test_round_trip_across_holes);
	TEST(test_memmap_cost);
	TEST(test_lazy_init);
	TEST(test_straddling_block);
	TEST(test_page_zones);
	TEST(test_init_errors);
#if defined(CONFIG_SPARSEMEM_VMEMMAP)
	TEST(test_vmemmap_mapped);
#endif
	return tap_done();
}
