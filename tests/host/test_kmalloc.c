// SPDX-License-Identifier: BSD-2-Clause
/*
 * Unit tests of kmalloc (generic/mm/kmalloc.c) on simulated memory
 * (tests/host/mm_test.h): size classes, large allocations, krealloc
 * growth and shrinking, kcalloc's overflow check, alignment, zones, pages
 * going back to the page allocator, and a random stress against a model.
 * Each case starts from a fresh 64 MiB of memory.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairn/memblock.h>
#include <cairn/mm.h>

#include "mm_test.h"
#include "tap.h"

#define NOWARN (GFP_KERNEL | __GFP_NOWARN)

/*
 *   0        16M                                64M
 *   |  DMA   |============ Normal ... memmap =====|
 */
static void boot_64m(void)
{
	sim_reset();
	sim_zones(16 * SZ_1M, 0);
	memblock_add(sim(0), 64 * SZ_1M);
	if (sim_boot() != 0) {
		printf("# boot failed\n");
		exit(1);
	}
}

static size_t pow2_at_least(size_t n)
{
	size_t p = 1;

	while (p < n) {
		p <<= 1;
	}
	return p;
}

/* Each size 1..2048 lands in the power-of-two class that holds it (>= 16). */
static void test_classes(void)
{
	struct mm_stats before, after;

	boot_64m();
	mm_snapshot(&before);
	for (size_t n = 1; n <= KMALLOC_MAX_CACHE_SIZE; n++) {
		void *p = kmalloc(n, GFP_KERNEL);
		size_t want = pow2_at_least(n < 16 ? 16 : n);

		CHECK(p != NULL);
		CHECK_EQ(ksize(p), want);
		memset(p, 0x33, ksize(p));
		kfree(p);
	}
	mm_snapshot(&after);
	CHECK(mm_stats_free_equal(&before, &after));
	CHECK_EQ(after.kmalloc_objects, 0);
	CHECK_EQ(after.kmalloc_slab_pages, 0);
}

/*
 * Every kmalloc(n) is aligned to min(n rounded to its class or block,
 * PAGE_SIZE), for sizes around each power of two, with other objects live.
 */
static void test_alignment(void)
{
	static void *keep[64];
	int k = 0;

	boot_64m();
	for (size_t p2 = 1; p2 <= 64 * 1024; p2 <<= 1) {
		size_t sizes[] = {p2 - 1, p2, p2 + 1};

		for (size_t i = 0; i < 3; i++) {
			size_t n = sizes[i] ? sizes[i] : 1;
			size_t align = pow2_at_least(n < 16 ? 16 : n);
			void *p = kmalloc(n, GFP_KERNEL);

			if (align > PAGE_SIZE) {
				align = PAGE_SIZE;
			}
			CHECK(p != NULL && IS_ALIGNED((uintptr_t)p, align));
			if (k < 64) {
				keep[k++] = p;
			} else {
				kfree(p);
			}
		}
	}
	while (k > 0) {
		kfree(keep[--k]);
	}
	CHECK(mm_check_accounting(NULL));
}

/* Sizes above the classes come from the page allocator by order. */
static void test_large(void)
{
	struct mm_stats before, st;
	void *p;

	boot_64m();
	mm_snapshot(&before);
	p = kmalloc(KMALLOC_MAX_CACHE_SIZE + 1, GFP_KERNEL);
	CHECK(p != NULL && IS_ALIGNED((uintptr_t)p, PAGE_SIZE));
	CHECK_EQ(ksize(p), PAGE_SIZE);
	kfree(p);
	p = kmalloc(5000, GFP_KERNEL);
	CHECK_EQ(ksize(p), 2 * PAGE_SIZE);
	mm_snapshot(&st);
	CHECK_EQ(st.kmalloc_large_pages, 2);
	CHECK_EQ(st.kmalloc_objects, 1);
	kfree(p);
	p = kmalloc(KMALLOC_MAX_SIZE, GFP_KERNEL);
	CHECK(p != NULL);
	CHECK_EQ(ksize(p), KMALLOC_MAX_SIZE);
	kfree(p);
	CHECK(kmalloc(KMALLOC_MAX_SIZE + 1, NOWARN) == NULL);
	CHECK(kmalloc(SIZE_MAX, NOWARN) == NULL);
	mm_snapshot(&st);
	CHECK(mm_stats_free_equal(&before, &st));
	CHECK_EQ(st.kmalloc_large_pages, 0);
}

/* kmalloc(0) is ZERO_SIZE_PTR; kfree() takes it and NULL; ksize() 0. */
static void test_zero_and_null(void)
{
	struct mm_stats before, after;

	boot_64m();
	mm_snapshot(&before);
	CHECK(kmalloc(0, GFP_KERNEL) == ZERO_SIZE_PTR);
	kfree(ZERO_SIZE_PTR);
	kfree(NULL);
	CHECK_EQ(ksize(NULL), 0);
	CHECK_EQ(ksize(ZERO_SIZE_PTR), 0);
	mm_snapshot(&after);
	CHECK(memcmp(&before, &after, sizeof(before)) == 0);
}

/* krealloc() growing through classes into pages keeps the contents. */
static void test_krealloc_grow(void)
{
	uint8_t *p;
	size_t n = 10;
	int bad = 0;

	boot_64m();
	p = krealloc(NULL, 10, GFP_KERNEL);
	for (size_t i = 0; i < n; i++) {
		p[i] = (uint8_t)i;
	}
	while (n < 300000) {
		size_t m = n * 3;
		uint8_t *q = krealloc(p, m, GFP_KERNEL);

		CHECK(q != NULL);
		if (q == NULL) {
			kfree(p);
			return;
		}
		for (size_t i = 0; i < n; i++) {
			bad |= q[i] != (uint8_t)i;
		}
		for (size_t i = n; i < m; i++) {
			q[i] = (uint8_t)i;
		}
		p = q;
		n = m;
	}
	CHECK_EQ(bad, 0);
	CHECK(ksize(p) >= n);
	kfree(p);
	CHECK(mm_check_accounting(NULL));
}

/*
 * krealloc() shrinking: within the same class it stays in place; to a
 * smaller class or block it moves and gives the memory back; to 0 it
 * frees and returns ZERO_SIZE_PTR.
 */
static void test_krealloc_shrink(void)
{
	struct mm_stats before, st;
	uint8_t *p, *q;

	boot_64m();
	mm_snapshot(&before);
	p = kmalloc(1000, GFP_KERNEL);
	CHECK(krealloc(p, 600, GFP_KERNEL) == p);
	memset(p, 7, 600);
	q = krealloc(p, 100, GFP_KERNEL);
	CHECK(q != p && ksize(q) == 128 && q[99] == 7);
	p = kmalloc(64 * 1024, GFP_KERNEL);
	memset(p, 9, 64 * 1024);
	p = krealloc(p, 9000, GFP_KERNEL);
	CHECK(p != NULL && ksize(p) == 16384 && p[8999] == 9);
	mm_snapshot(&st);
	CHECK_EQ(st.kmalloc_large_pages, 4);
	CHECK(krealloc(p, 0, GFP_KERNEL) == ZERO_SIZE_PTR);
	kfree(q);
	mm_snapshot(&st);
	CHECK(mm_stats_free_equal(&before, &st));
}

/* kcalloc() zeroes, and refuses n * size that overflows size_t. */
static void test_kcalloc(void)
{
	uint8_t *p;
	int dirty = 0;

	boot_64m();
	p = kmalloc(1000, GFP_KERNEL);
	memset(p, 0xff, 1000);
	kfree(p);
	p = kcalloc(10, 100, GFP_KERNEL);
	CHECK(p != NULL);
	for (int i = 0; i < 1000; i++) {
		dirty |= p[i];
	}
	CHECK_EQ(dirty, 0);
	kfree(p);
	CHECK(kcalloc(SIZE_MAX / 2, 4, NOWARN) == NULL);
	CHECK(kcalloc(SIZE_MAX, SIZE_MAX, NOWARN) == NULL);
	CHECK(kmalloc_array(SIZE_MAX / 8 + 1, 8, NOWARN) == NULL);
	p = kcalloc(0, 16, GFP_KERNEL);
	CHECK(p == ZERO_SIZE_PTR);
	p = kzalloc(3000, GFP_KERNEL);
	CHECK(p != NULL && p[2999] == 0);
	kfree(p);
	CHECK(mm_check_accounting(NULL));
}

/*
 * A class page goes back to the page allocator when its last object is
 * freed: 300 16-byte objects fill two pages (256 each), and freeing them
 * all gives both back.
 */
static void test_pages_returned(void)
{
	static void *obj[300];
	struct mm_stats before, st;

	boot_64m();
	mm_snapshot(&before);
	for (int i = 0; i < 300; i++) {
		obj[i] = kmalloc(16, GFP_KERNEL);
	}
	mm_snapshot(&st);
	CHECK_EQ(st.kmalloc_slab_pages, 2);
	CHECK_EQ(st.kmalloc_objects, 300);
	CHECK_EQ(st.kmalloc_bytes, 300 * 16);
	CHECK_EQ(nr_free_pages(),
		 before.free[ZONE_NORMAL] + before.free[ZONE_DMA] - 2);
	for (int i = 0; i < 300; i += 2) {
		kfree(obj[i]);
	}
	mm_snapshot(&st);
	CHECK_EQ(st.kmalloc_slab_pages, 2);
	for (int i = 1; i < 300; i += 2) {
		kfree(obj[i]);
	}
	mm_snapshot(&st);
	CHECK_EQ(st.kmalloc_slab_pages, 0);
	CHECK(mm_stats_free_equal(&before, &st));
}

/* GFP_DMA objects and blocks come from ZONE_DMA pages. */
static void test_gfp_dma(void)
{
	void *a, *b;

	boot_64m();
	a = kmalloc(64, GFP_DMA);
	b = kmalloc(20000, GFP_DMA);
	CHECK(a != NULL && b != NULL);
	CHECK(PHYS_PFN((phys_addr_t)(uintptr_t)a) < sim_pfn(16 * SZ_1M));
	CHECK(PHYS_PFN((phys_addr_t)(uintptr_t)b) < sim_pfn(16 * SZ_1M));
	CHECK_EQ(page_zonenum(virt_to_page(a)), ZONE_DMA);
	kfree(a);
	kfree(b);
	a = kmalloc(64, GFP_KERNEL);
	CHECK_EQ(page_zonenum(virt_to_page(a)), ZONE_NORMAL);
	kfree(a);
}

/* Out of pages: kmalloc() returns NULL, then works again after frees. */
static void test_exhaustion(void)
{
	static void *blocks[64];
	int n = 0;

	boot_64m();
	while (n < 64 && (blocks[n] = kmalloc(SZ_4M, NOWARN)) != NULL) {
		n++;
	}
	CHECK(n > 0 && n < 64);
	while (kmalloc(2048, NOWARN) != NULL) {
	}
	CHECK(kmalloc(16, NOWARN) == NULL);
	kfree(blocks[--n]);
	CHECK(kmalloc(16, NOWARN) != NULL);
}

struct obj {
	uint8_t *p;
	size_t size;
	uint8_t tag;
};

static void fill(const struct obj *o)
{
	size_t head = min(o->size, (size_t)64);

	memset(o->p, o->tag, head);
	memset(o->p + o->size - head, o->tag, head);
}

static bool intact(const struct obj *o)
{
	size_t head = min(o->size, (size_t)64);

	for (size_t i = 0; i < head; i++) {
		if (o->p[i] != o->tag || o->p[o->size - 1 - i] != o->tag) {
			return false;
		}
	}
	return true;
}

/*
 * Random kmalloc / krealloc / kfree with sizes from 1 byte to 256 KiB
 * (mostly small), a tag written at both ends of each object and checked
 * until it is freed; no two live objects overlap (ASan would see it too);
 * afterwards the free lists are what they were.
 */
static void test_stress(void)
{
	static struct obj objs[2048];
	const char *env = getenv("CAIRN_SEED");
	uint64_t seed = env ? strtoull(env, NULL, 0) : 0x853c49e6748fea9bULL;
	uint64_t state = seed;
	struct mm_stats before, after;
	int bad = 0;

	printf("# test_stress seed %#llx (CAIRN_SEED=...)\n",
	       (unsigned long long)seed);
	boot_64m();
	mm_snapshot(&before);
	memset(objs, 0, sizeof(objs));
	for (int op = 0; op < 200000 && !bad; op++) {
		struct obj *o = &objs[sim_rand(&state) % ARRAY_SIZE(objs)];
		uint64_t r = sim_rand(&state);
		size_t size = (r % 8 == 0) ? 1 + sim_rand(&state) % (256 * 1024)
					   : 1 + sim_rand(&state) % 2048;

		if (o->p != NULL && !intact(o)) {
			printf("# op %d: object %p of %zu bytes corrupted\n",
			       op, (void *)o->p, o->size);
			bad = 1;
			break;
		}
		if (o->p == NULL) {
			o->p = kmalloc(size, NOWARN);
			o->size = size;
		} else if (r % 3 == 0) {
			uint8_t *q = krealloc(o->p, size, NOWARN);

			if (q == NULL) {
				continue;
			}
			o->p = q;
			/* The kept prefix must still carry the tag. */
			for (size_t i = 0;
			     i < min(min(o->size, size), (size_t)64); i++) {
				bad |= q[i] != o->tag;
			}
			o->size = size;
		} else {
			kfree(o->p);
			o->p = NULL;
			continue;
		}
		if (o->p != NULL) {
			o->tag = (uint8_t)(r >> 8);
			fill(o);
		}
	}
	CHECK_EQ(bad, 0);
	CHECK(mm_check_accounting(NULL));
	for (size_t i = 0; i < ARRAY_SIZE(objs); i++) {
		if (objs[i].p != NULL) {
			CHECK(intact(&objs[i]));
			kfree(objs[i].p);
		}
	}
	mm_snapshot(&after);
	CHECK(mm_stats_free_equal(&before, &after));
	CHECK_EQ(after.kmalloc_objects, 0);
	CHECK_EQ(after.kmalloc_bytes, 0);
	CHECK(mm_check_accounting(NULL));
}

int main(void)
{
	sim_init();
	sim_verbose();
	MM_TEST(test_classes);
	MM_TEST(test_alignment);
	MM_TEST(test_large);
	MM_TEST(test_zero_and_null);
	MM_TEST(test_krealloc_grow);
	MM_TEST(test_krealloc_shrink);
	MM_TEST(test_kcalloc);
	MM_TEST(test_pages_returned);
	MM_TEST(test_gfp_dma);
	MM_TEST(test_exhaustion);
	MM_TEST(test_stress);
	return tap_done();
}
