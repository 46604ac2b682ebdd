// SPDX-License-Identifier: BSD-2-Clause
/*
 * Allocator test application (test-alloc): from main(), with the whole
 * machine's memory in the allocators, it
 *
 *   1. checks the page accounting as boot left it;
 *   2. allocates every free page in blocks of random orders 0..MAX_ORDER
 *      (falling back to smaller orders until order 0 fails), writes each
 *      page's pfn into its first and last 8 bytes (not the whole page:
 *      TCG time), verifies, frees all, and finds the free lists and the
 *      accounting as before;
 *   3. checks that GFP_DMA32 / GFP_DMA blocks lie below their zone ends;
 *   4. and 5. runs a kmalloc/krealloc/kfree stress, then a malloc/calloc/
 *      realloc/aligned_alloc/free stress, with random sizes from a fixed
 *      seed, tags at both ends of each object, and the same checks.
 *
 * Prints TAP and the time of each part in ms; returns non-zero on any
 * failure. Reads allocator state only through <cairn/mm.h>.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairn/arch.h>
#include <cairn/mm.h>

static int failed, n;

static void ok(int cond, const char *what)
{
	n++;
	if (!cond) {
		failed++;
	}
	printf("%s %d - %s\n", cond ? "ok" : "not ok", n, what);
}

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static uint64_t t0;

static void timer_start(void)
{
	t0 = arch_counter_read();
}

static void timer_print(const char *what)
{
	uint64_t ticks = arch_counter_read() - t0;

	printf("# %s: %llu ms\n", what,
	       (unsigned long long)(ticks * 1000 / arch_counter_hz()));
}

static void print_accounting(const struct mm_accounting *a)
{
	printf("# pages: %llu free + %llu allocated + %llu memmap + %llu "
	       "kernel + %llu reserved = %llu total\n",
	       (unsigned long long)a->free, (unsigned long long)a->allocated,
	       (unsigned long long)a->memmap, (unsigned long long)a->kernel,
	       (unsigned long long)a->reserved, (unsigned long long)a->total);
}

/*
 * An allocated block: its first page holds the pfn (offset 0), then these
 * links; every page's last 8 bytes hold ~pfn.
 */
struct blk {
	uint64_t pfn;
	struct blk *next;
	uint64_t order;
};

static void page_mark(uint64_t pfn)
{
	uint64_t *va = arch_phys_to_virt(PFN_PHYS(pfn));

	va[0] = pfn;
	va[PAGE_SIZE / 8 - 1] = ~pfn;
}

static int page_check(uint64_t pfn)
{
	const uint64_t *va = arch_phys_to_virt(PFN_PHYS(pfn));

	return va[0] == pfn && va[PAGE_SIZE / 8 - 1] == ~pfn;
}

/* Part 2: every free page, in random orders, then back. */
static void test_all_pages(void)
{
	struct mm_stats before, after;
	uint64_t free0 = nr_free_pages(), pages = 0, blocks = 0, bad = 0;
	uint64_t per_order[NR_PAGE_ORDERS] = {0};
	struct blk *list = NULL;

	timer_start();
	mm_snapshot(&before);
	for (;;) {
		unsigned int order = (unsigned int)(rnd() % NR_PAGE_ORDERS);
		struct page *page;

		while ((page = alloc_pages(GFP_KERNEL | __GFP_NOWARN, order)) ==
			   NULL &&
		       order > 0) {
			order--;
		}
		if (page == NULL) {
			break;
		}
		pfn_t pfn = page_to_pfn(page);
		struct blk *b = page_address(page);

		for (uint64_t i = 0; i < (UINT64_C(1) << order); i++) {
			page_mark(pfn + i);
		}
		b->next = list;
		b->order = order;
		list = b;
		pages += UINT64_C(1) << order;
		blocks++;
		per_order[order]++;
	}
	printf(
	    "# %llu pages in %llu blocks; by order 0-10: %llu %llu %llu "
	    "%llu %llu %llu %llu %llu %llu %llu %llu\n",
	    (unsigned long long)pages, (unsigned long long)blocks,
	    (unsigned long long)per_order[0], (unsigned long long)per_order[1],
	    (unsigned long long)per_order[2], (unsigned long long)per_order[3],
	    (unsigned long long)per_order[4], (unsigned long long)per_order[5],
	    (unsigned long long)per_order[6], (unsigned long long)per_order[7],
	    (unsigned long long)per_order[8], (unsigned long long)per_order[9],
	    (unsigned long long)per_order[10]);
	ok(pages == free0 && nr_free_pages() == 0,
	   "every free page was allocated");
	for (struct blk *b = list; b != NULL; b = b->next) {
		for (uint64_t i = 0; i < (UINT64_C(1) << b->order); i++) {
			bad += !page_check(b->pfn + i);
		}
	}
	ok(bad == 0, "every page kept its pattern");
	ok(mm_check_accounting(NULL) && mm_check_free_lists(),
	   "accounting holds with all pages taken");
	while (list != NULL) {
		struct blk *b = list;

		list = b->next;
		__free_pages(virt_to_page(b), (unsigned int)b->order);
	}
	mm_snapshot(&after);
	ok(nr_free_pages() == free0 && mm_stats_free_equal(&before, &after),
	   "the free lists are restored, per zone and order");
	ok(mm_check_accounting(NULL) && mm_check_free_lists(),
	   "accounting holds after freeing all");
	timer_print("all pages");
}

/* Part 3: zone modifiers stay below their zone's end. */
static void test_zones(void)
{
	struct mm_stats st;
	struct page *p;

	mm_snapshot(&st);
	p = alloc_pages(GFP_DMA32 | __GFP_NOWARN, 0);
	ok(p != NULL && page_to_pfn(p) < PFN_DOWN(UINT64_C(1) << 32),
	   "GFP_DMA32 is below 4 GiB");
	__free_pages(p, 0);
	p = alloc_pages(GFP_DMA | __GFP_NOWARN, 0);
	if (st.managed[ZONE_DMA] == 0) {
		ok(p == NULL, "GFP_DMA fails: this platform has no DMA zone");
	} else {
		ok(p != NULL && page_to_pfn(p) < st.zone_end_pfn[ZONE_DMA],
		   "GFP_DMA is inside ZONE_DMA");
		__free_pages(p, 0);
	}
}

struct obj {
	uint8_t *p;
	size_t size;
	uint8_t tag;
	uint8_t kind; /* malloc stress: 0 malloc, 1 calloc, 2 aligned */
};

#define NR_OBJS 1024
static struct obj objs[NR_OBJS];

static void obj_fill(const struct obj *o)
{
	size_t k = o->size < 16 ? o->size : 16;

	memset(o->p, o->tag, k);
	memset(o->p + o->size - k, o->tag, k);
}

static int obj_intact(const struct obj *o)
{
	size_t k = o->size < 16 ? o->size : 16;

	for (size_t i = 0; i < k; i++) {
		if (o->p[i] != o->tag || o->p[o->size - 1 - i] != o->tag) {
			return 0;
		}
	}
	return 1;
}

/* Mostly small, one in eight up to 128 KiB. */
static size_t rnd_size(void)
{
	return (rnd() % 8 == 0) ? 1 + rnd() % (128 * 1024) : 1 + rnd() % 2048;
}

/* Part 4 (@libc 0) or 5 (@libc 1): random allocate/resize/free. */
static void test_stress(int libc, int ops)
{
	struct mm_stats before, after;
	int bad = 0, nulls = 0;

	timer_start();
	mm_snapshot(&before);
	memset(objs, 0, sizeof(objs));
	for (int op = 0; op < ops; op++) {
		struct obj *o = &objs[rnd() % NR_OBJS];
		size_t size = rnd_size();
		uint64_t r = rnd();

		if (o->p != NULL && !obj_intact(o)) {
			bad++;
		}
		if (o->p == NULL) {
			if (!libc) {
				o->p = kmalloc(size, GFP_KERNEL);
			} else if (r % 3 == 0) {
				o->p = calloc(1, size);
				for (size_t i = 0; o->p != NULL && i < size;
				     i += 61) {
					bad += o->p[i] != 0;
				}
			} else if (r % 3 == 1) {
				size_t align = (size_t)16 << (rnd() % 10);

				o->p = aligned_alloc(align, size);
				bad += o->p != NULL &&
				       ((uintptr_t)o->p & (align - 1)) != 0;
			} else {
				o->p = malloc(size);
			}
			o->size = size;
		} else if (r % 4 == 0) {
			uint8_t *q = libc ? realloc(o->p, size)
					  : krealloc(o->p, size, GFP_KERNEL);
			size_t keep = o->size < size ? o->size : size;

			if (q == NULL) {
				nulls++;
				continue;
			}
			keep = keep < 16 ? keep : 16;
			for (size_t i = 0; i < keep; i++) {
				bad += q[i] != o->tag;
			}
			o->p = q;
			o->size = size;
		} else {
			if (libc) {
				free(o->p);
			} else {
				kfree(o->p);
			}
			o->p = NULL;
			continue;
		}
		if (o->p == NULL) {
			nulls++;
			continue;
		}
		o->tag = (uint8_t)(r >> 16);
		obj_fill(o);
	}
	ok(bad == 0 && nulls == 0, libc ? "malloc stress: objects intact"
					: "kmalloc stress: objects intact");
	ok(mm_check_accounting(NULL) && mm_check_free_lists(),
	   "accounting holds with objects live");
	for (int i = 0; i < NR_OBJS; i++) {
		if (objs[i].p != NULL) {
			bad += !obj_intact(&objs[i]);
			if (libc) {
				free(objs[i].p);
			} else {
				kfree(objs[i].p);
			}
		}
	}
	mm_snapshot(&after);
	ok(bad == 0 && after.kmalloc_objects == 0 &&
	       mm_stats_free_equal(&before, &after),
	   "everything freed: free lists restored");
	ok(mm_check_accounting(NULL) && mm_check_free_lists(),
	   "accounting holds after the stress");
	timer_print(libc ? "malloc stress" : "kmalloc stress");
}

int main(int argc, char *argv[])
{
	struct mm_accounting a;

	(void)argc;
	(void)argv;
	ok(mm_check_accounting(&a) && mm_check_free_lists(),
	   "accounting holds at main()");
	print_accounting(&a);
	test_all_pages();
	test_zones();
	test_stress(0, 20000);
	test_stress(1, 20000);
	printf("1..%d\n", n);
	return failed ? 1 : 0;
}
