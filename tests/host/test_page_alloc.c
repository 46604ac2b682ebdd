// SPDX-License-Identifier: BSD-2-Clause
/*
 * Unit tests of the buddy page allocator (generic/mm/page_alloc.c) on
 * simulated memory (tests/host/mm_test.h): zones from fake limits, every
 * order, coalescing, zone fallback, exhaustion, counters, the accounting
 * invariant, the report line, and a random differential test against a
 * page bitmap. Built once per memory model (tests/host/meson.build).
 * Each case starts from sim_reset() and says what it checks.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairn/console.h>
#include <cairn/log.h>
#include <cairn/memblock.h>
#include <cairn/mm.h>

#include "mm_test.h"

/* NR_FREE_RUNS of generic/mm/mm_internal.h, which tests do not include. */
#define NR_FREE_RUNS_TEST 32
#include "tap.h"

#define NOWARN (GFP_KERNEL | __GFP_NOWARN)

static struct page *alloc(gfp_t gfp, unsigned int order)
{
	return alloc_pages(gfp | __GFP_NOWARN, order);
}

static pfn_t pfn_of(const struct page *page)
{
	return page_to_pfn(page);
}

/* The end pfn of zone @z as the fake limits say (absent: unlimited). */
static pfn_t zone_limit(enum zone_type z)
{
	if (z == ZONE_NORMAL || fake_max_zone_pfn[z] == 0) {
		return UINT64_MAX;
	}
	return fake_max_zone_pfn[z];
}

/*
 * What the free lists must hold: memblock's free ranges, each cut into the
 * largest aligned blocks that stay inside a zone (a contiguous run of free
 * pages in canonical buddy form is exactly that).
 */
static void expected_free(uint64_t nr[MAX_NR_ZONES][NR_PAGE_ORDERS])
{
	phys_addr_t s, e;
	uint64_t i;

	memset(nr, 0, sizeof(uint64_t) * MAX_NR_ZONES * NR_PAGE_ORDERS);
	for_each_free_mem_range(i, NUMA_NO_NODE, MEMBLOCK_NONE, &s, &e, NULL)
	{
		pfn_t p = PFN_UP(s), end = PFN_DOWN(e);

		while (p < end) {
			enum zone_type z = sim_zone_of(p);
			pfn_t zend = min(end, zone_limit(z));
			unsigned int o = 0;

			while (o < MAX_ORDER &&
			       IS_ALIGNED(p, UINT64_C(2) << o) &&
			       p + (UINT64_C(2) << o) <= zend) {
				o++;
			}
			nr[z][o]++;
			p += UINT64_C(1) << o;
		}
	}
}

static void check_expected_free(void)
{
	uint64_t nr[MAX_NR_ZONES][NR_PAGE_ORDERS];
	struct mm_stats st;

	expected_free(nr);
	mm_snapshot(&st);
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		for (int o = 0; o <= MAX_ORDER; o++) {
			CHECK_EQ(st.nr_free[z][o], nr[z][o]);
		}
	}
}

/*
 * Fake limits split memory into the three zones, each getting exactly the
 * free pages of its span in max-order blocks:
 *
 *   0         16M        32M                    64M
 *   |   DMA    |  DMA32   |   Normal ... memmap  |
 */
static void test_zone_split(void)
{
	struct mm_accounting acct;
	struct mm_stats st;

	sim_reset();
	sim_zones(16 * SZ_1M, 32 * SZ_1M);
	memblock_add(sim(0), 64 * SZ_1M);
	CHECK_EQ(sim_boot(), 0);
	mm_snapshot(&st);
	CHECK_EQ(st.zone_start_pfn[ZONE_DMA], sim_pfn(0));
	CHECK_EQ(st.zone_end_pfn[ZONE_DMA], sim_pfn(16 * SZ_1M));
	CHECK_EQ(st.zone_start_pfn[ZONE_DMA32], sim_pfn(16 * SZ_1M));
	CHECK_EQ(st.zone_end_pfn[ZONE_DMA32], sim_pfn(32 * SZ_1M));
	CHECK_EQ(st.zone_start_pfn[ZONE_NORMAL], sim_pfn(32 * SZ_1M));
	CHECK_EQ(st.zone_end_pfn[ZONE_NORMAL], sim_pfn(64 * SZ_1M));
	CHECK_EQ(st.managed[ZONE_DMA], 4096);
	CHECK_EQ(st.managed[ZONE_DMA32], 4096);
	CHECK(mm_check_accounting(&acct));
	CHECK_EQ(st.managed[ZONE_NORMAL], 8192 - acct.memmap - SIM_PT_PAGES);
	CHECK_EQ(st.nr_free[ZONE_DMA][MAX_ORDER], 4);
	CHECK_EQ(st.nr_free[ZONE_DMA32][MAX_ORDER], 4);
	CHECK_EQ(nr_free_pages(), 16384 - acct.memmap - SIM_PT_PAGES);
	check_expected_free();
}

/* A zone the platform lacks (limit 0) is empty; its neighbours close up. */
static void test_zone_absent(void)
{
	struct mm_stats st;

	sim_reset();
	sim_zones(0, 32 * SZ_1M);
	memblock_add(sim(0), 64 * SZ_1M);
	CHECK_EQ(sim_boot(), 0);
	mm_snapshot(&st);
	CHECK_EQ(st.zone_end_pfn[ZONE_DMA] - st.zone_start_pfn[ZONE_DMA], 0);
	CHECK_EQ(st.managed[ZONE_DMA], 0);
	CHECK_EQ(st.zone_start_pfn[ZONE_DMA32], sim_pfn(0));
	CHECK_EQ(st.managed[ZONE_DMA32], 8192);
	CHECK(alloc(GFP_DMA, 0) == NULL);
	CHECK(mm_check_accounting(NULL));
}

/*
 * Limits that leave memory in no zone (NORMAL 0 with DMA32 ending inside
 * memory) give the rest to ZONE_NORMAL, with a warning.
 */
static void test_zone_limits_short(void)
{
	struct mm_stats st;

	sim_reset();
	fake_max_zone_pfn[ZONE_DMA32] = sim_pfn(16 * SZ_1M);
	fake_max_zone_pfn[ZONE_NORMAL] = 0;
	memblock_add(sim(0), 64 * SZ_1M);
	CHECK_EQ(sim_boot(), 0);
	mm_snapshot(&st);
	CHECK_EQ(st.zone_start_pfn[ZONE_NORMAL], sim_pfn(16 * SZ_1M));
	CHECK_EQ(st.zone_end_pfn[ZONE_NORMAL], sim_pfn(64 * SZ_1M));
	CHECK(mm_check_accounting(NULL));
}

/* Every order 0..MAX_ORDER allocates an aligned, writable block and frees. */
static void test_alloc_each_order(void)
{
	struct mm_stats before, after;

	sim_reset();
	memblock_add(sim(0), 64 * SZ_1M);
	CHECK_EQ(sim_boot(), 0);
	mm_snapshot(&before);
	for (unsigned int o = 0; o <= MAX_ORDER; o++) {
		struct page *page = alloc(GFP_KERNEL, o);
		uint64_t n = UINT64_C(1) << o;
		uint8_t *va;

		CHECK(page != NULL);
		if (page == NULL) {
			continue;
		}
		CHECK(IS_ALIGNED(pfn_of(page), n));
		CHECK(page_has(page, PG_head));
		CHECK_EQ(page->order, o);
		va = page_address(page);
		CHECK_EQ((phys_addr_t)(uintptr_t)va, PFN_PHYS(pfn_of(page)));
		CHECK(virt_to_page(va) == page);
		memset(va, 0x5a, PAGE_SIZE << o);
		mm_snapshot(&after);
		CHECK_EQ(after.allocated[ZONE_NORMAL], n);
		CHECK_EQ(after.free[ZONE_NORMAL], before.free[ZONE_NORMAL] - n);
		__free_pages(page, o);
	}
	mm_snapshot(&after);
	CHECK(mm_stats_free_equal(&before, &after));
	CHECK_EQ(after.allocated[ZONE_NORMAL], 0);
	CHECK(mm_check_accounting(NULL));
}

/* Orders above MAX_ORDER are refused and change nothing. */
static void test_order_too_large(void)
{
	struct mm_stats before, after;

	sim_reset();
	memblock_add(sim(0), 64 * SZ_1M);
	CHECK_EQ(sim_boot(), 0);
	mm_snapshot(&before);
	CHECK(alloc(GFP_KERNEL, MAX_ORDER + 1) == NULL);
	CHECK(alloc(GFP_KERNEL, 40) == NULL);
	mm_snapshot(&after);
	CHECK(memcmp(&before, &after, sizeof(before)) == 0);
}

/*
 * Freed buddies merge back, pair by pair, up to one max-order block:
 *
 *   DMA zone, one 4 MiB block: [0][1][2][3] ... [1023]
 *   free 0 -> order-0 block; free 1 -> 0+1 merge into order 1;
 *   free 3, then 2 -> 2+3 merge, then with 0-1 into order 2; ... all -> 10
 */
static void test_coalescing(void)
{
	static struct page *pages[1024];
	uint64_t state = 0x9e3779b97f4a7c15ULL;
	struct mm_stats st;
	pfn_t base = sim_pfn(0);

	sim_reset();
	sim_zones(SZ_4M, 0);
	memblock_add(sim(0), 16 * SZ_1M);
	CHECK_EQ(sim_boot(), 0);
	for (int i = 0; i < 1024; i++) {
		struct page *p = alloc(GFP_DMA, 0);

		CHECK(p != NULL);
		if (p == NULL) {
			return;
		}
		pages[pfn_of(p) - base] = p;
	}
	CHECK(alloc(GFP_DMA, 0) == NULL);
	__free_pages(pages[0], 0);
	mm_snapshot(&st);
	CHECK_EQ(st.nr_free[ZONE_DMA][0], 1);
	__free_pages(pages[1], 0);
	mm_snapshot(&st);
	CHECK_EQ(st.nr_free[ZONE_DMA][0], 0);
	CHECK_EQ(st.nr_free[ZONE_DMA][1], 1);
	__free_pages(pages[3], 0);
	__free_pages(pages[2], 0);
	mm_snapshot(&st);
	CHECK_EQ(st.nr_free[ZONE_DMA][1], 0);
	CHECK_EQ(st.nr_free[ZONE_DMA][2], 1);
	pages[0] = pages[1] = pages[2] = pages[3] = NULL;
	/* The rest in a random order. */
	for (int left = 1020; left > 0; left--) {
		int k = (int)(sim_rand(&state) % (uint64_t)left), i;

		for (i = 4; i < 1024; i++) {
			if (pages[i] != NULL && k-- == 0) {
				break;
			}
		}
		__free_pages(pages[i], 0);
		pages[i] = NULL;
	}
	mm_snapshot(&st);
	for (int o = 0; o < MAX_ORDER; o++) {
		CHECK_EQ(st.nr_free[ZONE_DMA][o], 0);
	}
	CHECK_EQ(st.nr_free[ZONE_DMA][MAX_ORDER], 1);
	CHECK(mm_check_accounting(NULL));
}

/*
 * GFP_KERNEL falls back NORMAL -> DMA32 -> DMA, GFP_DMA32 DMA32 -> DMA, and
 * GFP_DMA stays in DMA; never upwards.
 *
 *   0      4M       8M                16M
 *   | DMA  | DMA32  |  Normal (memmap) |
 */
static void test_fallback(void)
{
	struct mm_stats st;
	int z_prev;
	uint64_t n;

	/* GFP_DMA: only the DMA zone, then failure. */
	sim_reset();
	sim_zones(SZ_4M, 8 * SZ_1M);
	memblock_add(sim(0), 16 * SZ_1M);
	CHECK_EQ(sim_boot(), 0);
	for (n = 0; alloc(GFP_DMA, 0) != NULL; n++) {
	}
	CHECK_EQ(n, 1024);
	mm_snapshot(&st);
	CHECK_EQ(st.free[ZONE_DMA], 0);
	CHECK_EQ(st.free[ZONE_DMA32], 1024);
	CHECK(st.free[ZONE_NORMAL] > 0);

	/* GFP_DMA32: DMA32 first, then DMA, never Normal. */
	sim_reset();
	sim_zones(SZ_4M, 8 * SZ_1M);
	memblock_add(sim(0), 16 * SZ_1M);
	CHECK_EQ(sim_boot(), 0);
	z_prev = ZONE_DMA32;
	for (n = 0;; n++) {
		struct page *p = alloc(GFP_DMA32, 0);

		if (p == NULL) {
			break;
		}
		CHECK(pfn_of(p) < sim_pfn(8 * SZ_1M));
		CHECK((int)page_zonenum(p) <= z_prev);
		z_prev = page_zonenum(p);
	}
	CHECK_EQ(n, 2048);
	mm_snapshot(&st);
	CHECK(st.free[ZONE_NORMAL] > 0);

	/* GFP_KERNEL: Normal, then DMA32, then DMA: everything. */
	sim_reset();
	sim_zones(SZ_4M, 8 * SZ_1M);
	memblock_add(sim(0), 16 * SZ_1M);
	CHECK_EQ(sim_boot(), 0);
	n = nr_free_pages();
	z_prev = ZONE_NORMAL;
	for (;;) {
		struct page *p = alloc(GFP_KERNEL, 0);

		if (p == NULL) {
			break;
		}
		CHECK((int)page_zonenum(p) <= z_prev);
		CHECK_EQ(page_zonenum(p), sim_zone_of(pfn_of(p)));
		z_prev = page_zonenum(p);
		n--;
	}
	CHECK_EQ(n, 0);
	CHECK_EQ(nr_free_pages(), 0);
	CHECK(mm_check_accounting(NULL));
}

/*
 * Exhaustion: with one page of a 4 MiB zone taken, order 10 fails there
 * while order 9 still works; allocating until failure takes every page.
 */
static void test_exhaustion(void)
{
	struct page *one, *half;
	struct mm_stats before, after;

	sim_reset();
	sim_zones(SZ_4M, 0);
	memblock_add(sim(0), 16 * SZ_1M);
	CHECK_EQ(sim_boot(), 0);
	mm_snapshot(&before);
	one = alloc(GFP_DMA, 0);
	CHECK(one != NULL);
	CHECK(alloc(GFP_DMA, MAX_ORDER) == NULL);
	half = alloc(GFP_DMA, MAX_ORDER - 1);
	CHECK(half != NULL);
	CHECK(alloc(GFP_DMA, MAX_ORDER - 1) == NULL);
	__free_pages(one, 0);
	__free_pages(half, MAX_ORDER - 1);
	mm_snapshot(&after);
	CHECK(mm_stats_free_equal(&before, &after));
}

/*
 * Counters: an order-3 allocation from a zone holding only max-order
 * blocks splits one, leaving one free block at each order 3..9.
 */
static void test_counters(void)
{
	struct mm_stats before, after;
	struct page *p;

	sim_reset();
	sim_zones(16 * SZ_1M, 0);
	memblock_add(sim(0), 32 * SZ_1M);
	CHECK_EQ(sim_boot(), 0);
	mm_snapshot(&before);
	CHECK_EQ(before.nr_free[ZONE_DMA][MAX_ORDER], 4);
	p = alloc(GFP_DMA, 3);
	CHECK(p != NULL);
	mm_snapshot(&after);
	CHECK_EQ(after.free[ZONE_DMA], before.free[ZONE_DMA] - 8);
	CHECK_EQ(after.allocated[ZONE_DMA], 8);
	CHECK_EQ(after.nr_free[ZONE_DMA][MAX_ORDER], 3);
	for (int o = 0; o < MAX_ORDER; o++) {
		CHECK_EQ(after.nr_free[ZONE_DMA][o], o >= 3 ? 1 : 0);
	}
	CHECK_EQ(after.managed[ZONE_DMA], before.managed[ZONE_DMA]);
	__free_pages(p, 3);
	mm_snapshot(&after);
	CHECK(mm_stats_free_equal(&before, &after));
	CHECK_EQ(after.allocated[ZONE_DMA], 0);
}

/*
 * Memory not aligned to max-order blocks, with reservations inside
 * blocks, goes to the free lists in the largest aligned blocks:
 *
 *   12K                        1M+100..1M+5000 (rsv)         8M-20K
 *   |=====================|xx|==================================|
 */
static void test_partial_blocks(void)
{
	sim_reset();
	memblock_add(sim(3 * SZ_4K), 8 * SZ_1M - 5 * SZ_4K - 3 * SZ_4K);
	memblock_reserve(sim(SZ_1M + 100), 4900);
	CHECK_EQ(sim_boot(), 0);
	check_expected_free();
	CHECK(mm_check_accounting(NULL));
}

/*
 * The accounting terms: total = memory pages, reserved = pages touched by
 * reservations or NOMAP, memmap = what memmap_init() took, kernel = 0 (the
 * fake image is outside the simulated memory); the sum holds before and
 * after allocations.
 *
 *   0     1M (2 pages rsv)      32M..33M NOMAP               64M
 *   |======|xx|==================|nnnn|===========... memmap ==|
 */
static void test_accounting_invariant(void)
{
	struct mm_accounting a;
	struct page *p;

	sim_reset();
	memblock_add(sim(0), 64 * SZ_1M);
	memblock_reserve(sim(SZ_1M + 100), 4900);
	memblock_mark_nomap(sim(32 * SZ_1M), SZ_1M);
	CHECK_EQ(sim_boot(), 0);
	CHECK(mm_check_accounting(&a));
	CHECK_EQ(a.total, 16384);
	CHECK_EQ(a.kernel, 0);
	CHECK(a.memmap > 0);
	CHECK_EQ(a.reserved, 2 + 256 + SIM_PT_PAGES);
	CHECK_EQ(a.allocated, 0);
	CHECK_EQ(a.free, a.total - a.reserved - a.memmap);
	CHECK_EQ(a.available, a.free);
	p = alloc(GFP_KERNEL, 5);
	CHECK(mm_check_accounting(&a));
	CHECK_EQ(a.allocated, 32);
	CHECK_EQ(a.free + a.allocated + a.memmap + a.kernel + a.reserved,
		 a.total);
	__free_pages(p, 5);
	CHECK(mm_check_accounting(&a));
	CHECK_EQ(a.allocated, 0);
}

/*
 * The check is not a tautology: a range memblock calls reserved after
 * memblock_free_all() while the allocator still holds it breaks it.
 */
static void test_accounting_detects_mismatch(void)
{
	sim_reset();
	memblock_add(sim(0), 16 * SZ_1M);
	CHECK_EQ(sim_boot(), 0);
	CHECK(mm_check_accounting(NULL));
	memblock_reserve(sim(SZ_4M), 16 * SZ_4K);
	CHECK(!mm_check_accounting(NULL));
}

/*
 * Wholly free max-order blocks are kept as runs, NR_FREE_RUNS per zone;
 * more go onto the MAX_ORDER list. 64 free ranges of one whole block each
 * (a 4 KiB reservation every 8 MiB in the lower half; the upper half for
 * the memmap): every block can be taken and given back, and the free
 * lists and counters agree.
 */
static void test_many_runs(void)
{
	static struct page *taken[256];
	struct mm_stats before, after;
	uint64_t want = 0, n = 0;
	struct page *p;

	sim_reset();
	memblock_add(sim(0), SIM_SIZE);
	for (uint64_t off = 0; off < SIM_SIZE / 2; off += 2 * SZ_4M) {
		memblock_reserve(sim(off), SZ_4K);
	}
	CHECK_EQ(sim_boot(), 0);
	CHECK(mm_check_accounting(NULL));
	CHECK(mm_check_free_lists());
	mm_snapshot(&before);
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		want += before.nr_free[z][MAX_ORDER];
	}
	CHECK(want > 2 * NR_FREE_RUNS_TEST);
	while (n < 256 && (p = alloc_pages(GFP_KERNEL | __GFP_NOWARN,
					   MAX_ORDER)) != NULL) {
		CHECK(IS_ALIGNED(page_to_pfn(p), MAX_ORDER_NR_PAGES));
		taken[n++] = p;
	}
	CHECK_EQ(n, want);
	CHECK(mm_check_accounting(NULL));
	while (n > 0) {
		__free_pages(taken[--n], MAX_ORDER);
	}
	CHECK(mm_check_accounting(NULL));
	CHECK(mm_check_free_lists());
	mm_snapshot(&after);
	CHECK(mm_stats_free_equal(&before, &after));
}

/* memblock_free_late() hands a reservation over; the invariant follows. */
static void test_free_late(void)
{
	struct mm_accounting a, b;

	sim_reset();
	memblock_add(sim(0), 16 * SZ_1M);
	memblock_reserve(sim(10 * SZ_1M), 64 * 1024);
	CHECK_EQ(sim_boot(), 0);
	CHECK(mm_check_accounting(&a));
	memblock_free_late(sim(10 * SZ_1M), 64 * 1024);
	CHECK(mm_check_accounting(&b));
	CHECK_EQ(b.free, a.free + 16);
	CHECK_EQ(b.reserved, a.reserved - 16);
	check_expected_free();
}

/* get_zeroed_page() and __GFP_ZERO clear what a previous user wrote. */
static void test_gfp_zero(void)
{
	uintptr_t a, b;
	struct page *p;
	const uint8_t *q;
	int dirty = 0;

	sim_reset();
	memblock_add(sim(0), 16 * SZ_1M);
	CHECK_EQ(sim_boot(), 0);
	a = __get_free_page(GFP_KERNEL);
	CHECK(a != 0);
	memset((void *)a, 0xff, PAGE_SIZE);
	free_page(a);
	b = get_zeroed_page(GFP_KERNEL);
	CHECK_EQ(b, a); /* the free list is LIFO: the same page again */
	for (q = (const uint8_t *)b; q < (const uint8_t *)b + PAGE_SIZE; q++) {
		dirty |= *q;
	}
	CHECK_EQ(dirty, 0);
	memset((void *)b, 0xff, PAGE_SIZE);
	free_page(b);
	p = alloc(GFP_KERNEL | __GFP_ZERO, 0);
	CHECK(p != NULL && *(uint64_t *)page_address(p) == 0);
	__free_page(p);
}

/* The address-based API: aligned addresses, and NULL / 0 ignored. */
static void test_address_api(void)
{
	struct mm_stats before, after;
	uintptr_t a;

	sim_reset();
	memblock_add(sim(0), 16 * SZ_1M);
	CHECK_EQ(sim_boot(), 0);
	mm_snapshot(&before);
	a = __get_free_pages(GFP_KERNEL, 2);
	CHECK(a != 0 && IS_ALIGNED(a, 4 * PAGE_SIZE));
	CHECK(virt_to_page((void *)a) != NULL);
	CHECK_EQ(virt_to_page((void *)a)->order, 2);
	free_pages(a, 2);
	free_pages(0, 3);
	__free_pages(NULL, 1);
	CHECK_EQ(__get_free_pages(NOWARN, MAX_ORDER + 1), 0);
	mm_snapshot(&after);
	CHECK(mm_stats_free_equal(&before, &after));
	CHECK_EQ(get_order(0), 0);
	CHECK_EQ(get_order(1), 0);
	CHECK_EQ(get_order(PAGE_SIZE), 0);
	CHECK_EQ(get_order(PAGE_SIZE + 1), 1);
	CHECK_EQ(get_order(SZ_4M), MAX_ORDER);
	CHECK_EQ(get_order(SZ_4M + 1), MAX_ORDER + 1);
}

/* Nothing allocates before memmap_init(): NULL, not a crash. */
static void test_alloc_before_init(void)
{
	sim_reset();
	CHECK(alloc(GFP_KERNEL, 0) == NULL);
	CHECK_EQ(nr_free_pages(), 0);
}

/* Console capture for the report line. */
static char cap[4096];
static size_t cap_len;

static void cap_putc(const struct console *con, char c)
{
	(void)con;
	if (cap_len + 1 < sizeof(cap)) {
		cap[cap_len++] = c;
		cap[cap_len] = '\0';
	}
}

static const struct console cap_console = {.name = "cap", .putc = cap_putc};

/*
 * The report line has Linux's form; avail = managed pages in KiB, total =
 * memblock's memory in KiB, reserved = total - avail; then the per-zone
 * and per-order free counts.
 */
static void test_report_line(void)
{
	unsigned long long avail, total, code, rw, ro, init, bss, rsv;
	const struct console *old = console_get();
	struct mm_stats st;
	char want[128];
	const char *line;
	uint64_t managed = 0;

	sim_reset();
	sim_zones(16 * SZ_1M, 0);
	memblock_add(sim(0), 64 * SZ_1M);
	memblock_reserve(sim(SZ_1M), SZ_1M);
	CHECK_EQ(sim_boot(), 0);
	cap_len = 0;
	cap[0] = '\0';
	console_register(&cap_console);
	mem_init_print_info();
	console_register(old);
	line = strstr(cap, "Memory: ");
	CHECK(line != NULL);
	if (line == NULL) {
		return;
	}
	CHECK_EQ(sscanf(line,
			"Memory: %lluK/%lluK available (%lluK kernel "
			"code, %lluK rwdata, %lluK rodata, %lluK init, %lluK "
			"bss, %lluK reserved)",
			&avail, &total, &code, &rw, &ro, &init, &bss, &rsv),
		 8);
	mm_snapshot(&st);
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		managed += st.managed[z];
	}
	CHECK_EQ(avail, managed * 4);
	CHECK_EQ(total, 64 * 1024);
	CHECK_EQ(rsv, total - avail);
	CHECK_EQ(code, 8);
	CHECK_EQ(ro, 4);
	CHECK_EQ(init, 0);
	CHECK_EQ(bss, 4);
	snprintf(want, sizeof(want),
		 "page_alloc: free pages: DMA %llu, "
		 "DMA32 0, Normal %llu",
		 (unsigned long long)st.free[ZONE_DMA],
		 (unsigned long long)st.free[ZONE_NORMAL]);
	CHECK(strstr(cap, want) != NULL);
	CHECK_EQ(st.free[ZONE_DMA], 4096 - 256);
	/* The per-order summary is detail: debug level only. */
	CHECK((strstr(cap, "page_alloc: free blocks by order 0-10: ") !=
	       NULL) == (CAIRN_LOG_LEVEL >= LOG_DEBUG));
}

/* One live allocation of the random test. */
struct live {
	pfn_t pfn;
	unsigned int order;
	gfp_t gfp;
};

#define STRESS_MAX_LIVE 4096

static pfn_t gfp_limit(gfp_t gfp)
{
	if (gfp & __GFP_DMA) {
		return fake_max_zone_pfn[ZONE_DMA];
	}
	if (gfp & __GFP_DMA32) {
		return fake_max_zone_pfn[ZONE_DMA32];
	}
	return UINT64_MAX;
}

/* Nothing of @order or more is free in the zones @gfp may use. */
static bool nothing_fits(gfp_t gfp, unsigned int order)
{
	int top = (gfp & __GFP_DMA)	? ZONE_DMA
		  : (gfp & __GFP_DMA32) ? ZONE_DMA32
					: ZONE_NORMAL;
	struct mm_stats st;

	mm_snapshot(&st);
	for (int z = 0; z <= top; z++) {
		for (unsigned int o = order; o <= MAX_ORDER; o++) {
			if (st.nr_free[z][o] != 0) {
				return false;
			}
		}
	}
	return true;
}

static void stress_write(const struct live *l)
{
	for (uint64_t i = 0; i < (UINT64_C(1) << l->order); i++) {
		uint64_t *va = arch_phys_to_virt(PFN_PHYS(l->pfn + i));

		va[0] = l->pfn + i;
		va[PAGE_SIZE / 8 - 1] = ~(l->pfn + i);
	}
}

static bool stress_verify(const struct live *l)
{
	for (uint64_t i = 0; i < (UINT64_C(1) << l->order); i++) {
		const uint64_t *va = arch_phys_to_virt(PFN_PHYS(l->pfn + i));

		if (va[0] != l->pfn + i ||
		    va[PAGE_SIZE / 8 - 1] != ~(l->pfn + i)) {
			return false;
		}
	}
	return true;
}

/*
 * Random alloc/free against a model: a bitmap of allocated pages. Every
 * block is aligned, in free memory of a zone the gfp allows, inside one
 * zone and overlapping nothing live; its pages keep their pattern; an
 * allocation fails only when no block that large is free in those zones;
 * the free count is the initial one minus what is live; everything freed
 * gives back the initial free lists.
 *
 *   0      16M        64M+1M (DMA32 ends inside a block)       100M
 *   |==DMA==|==DMA32==|=|=== hole 48M..64M+8K ===|==Normal==|
 */
static void test_random_stress(void)
{
	static struct live live[STRESS_MAX_LIVE];
	static uint8_t used[(100 * SZ_1M / SZ_4K) / 8];
	const char *env = getenv("CAIRN_SEED");
	uint64_t seed = env ? strtoull(env, NULL, 0) : 0x2545f4914f6cdd1dULL;
	uint64_t state = seed, live_pages = 0, free0, fails = 0;
	const gfp_t gfps[] = {GFP_KERNEL, GFP_DMA32, GFP_DMA};
	struct mm_stats before, after;
	int nlive = 0, bad = 0;
	pfn_t base = sim_pfn(0);

	printf("# test_random_stress seed %#llx (CAIRN_SEED=...)\n",
	       (unsigned long long)seed);
	memset(used, 0, sizeof(used));
	sim_reset();
	sim_zones(16 * SZ_1M, 65 * SZ_1M);
	memblock_add(sim(0), 48 * SZ_1M);
	memblock_add(sim(64 * SZ_1M + 8192), 36 * SZ_1M - 8192);
	memblock_reserve(sim(20 * SZ_1M + 12345), 100000);
	CHECK_EQ(sim_boot(), 0);
	check_expected_free();
	mm_snapshot(&before);
	free0 = nr_free_pages();
	for (int op = 0; op < 100000 && !bad; op++) {
		uint64_t r = sim_rand(&state);

		if (nlive < STRESS_MAX_LIVE && (nlive == 0 || r % 100 < 55)) {
			unsigned int order = (unsigned int)min(
			    sim_rand(&state) % NR_PAGE_ORDERS,
			    sim_rand(&state) % NR_PAGE_ORDERS);
			gfp_t gfp = gfps[sim_rand(&state) % 3];
			struct page *p = alloc(gfp, order);
			struct live *l = &live[nlive];
			uint64_t n = UINT64_C(1) << order;

			if (p == NULL) {
				fails++;
				if (!nothing_fits(gfp, order)) {
					printf(
					    "# op %d: order %u gfp %#x failed "
					    "with a block free\n",
					    op, order, gfp);
					bad = 1;
				}
				continue;
			}
			*l = (struct live){pfn_of(p), order, gfp};
			if (!IS_ALIGNED(l->pfn, n) ||
			    l->pfn + n > gfp_limit(gfp) ||
			    sim_zone_of(l->pfn) !=
				sim_zone_of(l->pfn + n - 1) ||
			    page_zonenum(p) != sim_zone_of(l->pfn) ||
			    !memblock_is_region_memory(PFN_PHYS(l->pfn),
						       n * PAGE_SIZE) ||
			    memblock_is_region_reserved(PFN_PHYS(l->pfn),
							n * PAGE_SIZE)) {
				printf(
				    "# op %d: bad block pfn %#llx order %u\n",
				    op, (unsigned long long)l->pfn, order);
				bad = 1;
			}
			for (uint64_t i = 0; i < n && !bad; i++) {
				uint64_t b = l->pfn - base + i;

				if (used[b / 8] & (1u << (b % 8))) {
					printf(
					    "# op %d: pfn %#llx handed out "
					    "twice\n",
					    op,
					    (unsigned long long)(l->pfn + i));
					bad = 1;
				}
				used[b / 8] |= (uint8_t)(1u << (b % 8));
			}
			stress_write(l);
			live_pages += n;
			nlive++;
		} else {
			int k = (int)(r % (uint64_t)nlive);
			struct live l = live[k];

			if (!stress_verify(&l)) {
				printf("# op %d: pattern of pfn %#llx lost\n",
				       op, (unsigned long long)l.pfn);
				bad = 1;
			}
			for (uint64_t i = 0; i < (UINT64_C(1) << l.order);
			     i++) {
				uint64_t b = l.pfn - base + i;

				used[b / 8] &= (uint8_t) ~(1u << (b % 8));
			}
			__free_pages(pfn_to_page(l.pfn), l.order);
			live_pages -= UINT64_C(1) << l.order;
			live[k] = live[--nlive];
		}
		if (nr_free_pages() != free0 - live_pages) {
			printf("# op %d: %llu pages free, model says %llu\n",
			       op, (unsigned long long)nr_free_pages(),
			       (unsigned long long)(free0 - live_pages));
			bad = 1;
		}
		if (op % 5000 == 0 && !mm_check_accounting(NULL)) {
			bad = 1;
		}
	}
	CHECK(!bad);
	CHECK(fails > 0); /* the test does reach exhaustion */
	while (nlive > 0) {
		struct live *l = &live[--nlive];

		CHECK(stress_verify(l));
		__free_pages(pfn_to_page(l->pfn), l->order);
	}
	mm_snapshot(&after);
	CHECK(mm_stats_free_equal(&before, &after));
	CHECK(mm_check_accounting(NULL));
	check_expected_free();
}

int main(void)
{
	sim_init();
	sim_verbose();
	printf("# memory model %s, struct page %zu bytes\n",
	       memmap_model_name(), sizeof(struct page));
	MM_TEST(test_zone_split);
	MM_TEST(test_zone_absent);
	MM_TEST(test_zone_limits_short);
	MM_TEST(test_alloc_each_order);
	MM_TEST(test_order_too_large);
	MM_TEST(test_coalescing);
	MM_TEST(test_fallback);
	MM_TEST(test_exhaustion);
	MM_TEST(test_counters);
	MM_TEST(test_partial_blocks);
	MM_TEST(test_accounting_invariant);
	TEST(test_accounting_detects_mismatch);
	MM_TEST(test_free_late);
	MM_TEST(test_many_runs);
	MM_TEST(test_gfp_zero);
	MM_TEST(test_address_api);
	MM_TEST(test_alloc_before_init);
	MM_TEST(test_report_line);
	MM_TEST(test_random_stress);
	return tap_done();
}
