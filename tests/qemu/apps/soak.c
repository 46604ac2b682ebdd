// SPDX-License-Identifier: BSD-2-Clause
/*
 * The allocator soak (test-soak): a fixed number of random operations on a
 * table of slots, each holding nothing, a page block or a kmalloc object:
 *
 *   - page blocks of every order 0..MAX_ORDER through alloc_pages() /
 *     alloc_page() / __get_free_pages() / get_zeroed_page(), freed through
 *     the matching call;
 *   - kmalloc objects of random sizes (0, the classes, large ones up to
 *     KMALLOC_MAX_SIZE and beyond it) through kmalloc() / kzalloc() /
 *     kcalloc() / kmalloc_array() / krealloc(NULL) / malloc() / calloc() /
 *     aligned_alloc(), resized with krealloc(), freed with kfree() /
 *     krealloc(p, 0) / free();
 *   - each with GFP_KERNEL, GFP_DMA32 or GFP_DMA, some with __GFP_ZERO.
 *
 * Every allocation is filled with a pattern derived from its address and a
 * per-allocation generation number, and checked when it is resized or freed
 * (and in a sweep every 100 000 operations): a write into it from anywhere,
 * or memory handed out twice, breaks the pattern. Zeroed memory is checked
 * zero, blocks aligned and inside a zone the GFP flags allow, and every
 * allocation failure must be justified by the free lists (no free block of
 * the order in any allowed zone). Every 10 000 operations the allocator's
 * counters are compared with the soak's own bookkeeping and
 * mm_check_accounting() / mm_check_free_lists() run. At the end everything
 * is freed: the free page count and the free lists per zone and order must
 * be what they were at the start.
 *
 * The seed and the operation count are read from soak_params below, which
 * ci/soak.sh patches in a copy of the image ("seed=S ops=N [corrupt=K]",
 * corrupt=K flipping a byte of a live allocation at operation K on
 * purpose): main() has no bootargs. The defaults are the short QEMU
 * test's. The last line is
 *
 *   soak: summary: ops N seed 0x... errors E pages back all peak pages P ...
 *
 * and the exit status is 0 only when nothing went wrong.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairn/arch.h>
#include <cairn/compiler.h>
#include <cairn/mm.h>

/*
 * Parameters, patched in the image file by ci/soak.sh: the text after the
 * marker, NUL-padded. Read through a volatile pointer so the compiler
 * cannot fold the default in.
 */
#define SOAK_MARKER "CAIRN-SOAK-PARAMS:"
#define SOAK_PARAMS_SIZE 96
static const volatile char soak_params[SOAK_PARAMS_SIZE] __used =
    SOAK_MARKER "seed=0x5eed ops=20000";

#define NR_SLOTS 2048
#define CHECK_EVERY 10000
#define SWEEP_EVERY 100000
#define MAX_ERRORS 20
/* Allocations above this are patterned one word per 64-byte line. */
#define FULL_FILL_MAX (16 * 1024)
#define SPARSE_STRIDE 64

enum kind { K_NONE, K_PAGES, K_KMALLOC };

/* How a slot was allocated, so that it is freed the matching way. */
enum api {
	A_ALLOC_PAGES, /* alloc_pages / __free_pages */
	A_ALLOC_PAGE,  /* alloc_page / __free_page */
	A_GET_FREE,    /* __get_free_pages / free_pages */
	A_GET_ZEROED,  /* get_zeroed_page / free_page */
	A_KMALLOC,     /* kmalloc / kfree */
	A_KZALLOC,     /* kzalloc */
	A_KCALLOC,     /* kcalloc */
	A_KARRAY,      /* kmalloc_array */
	A_KREALLOC,    /* krealloc(NULL, ...) */
	A_MALLOC,      /* malloc / free */
	A_CALLOC,      /* calloc / free */
	A_ALIGNED,     /* aligned_alloc / free */
};

/**
 * struct slot - one live allocation of the soak
 * @p: its address (ZERO_SIZE_PTR for kmalloc(0))
 * @size: bytes asked for and patterned
 * @gen: the pattern's generation
 * @kind: K_*
 * @api: A_*
 * @order: K_PAGES: the block's order
 * @zone: the zone the GFP flags asked for (ZONE_DMA..ZONE_NORMAL)
 * @pzone: the zone of the first page it got
 * @pages: K_KMALLOC above the classes: the block's pages; else 0
 * @ksz: K_KMALLOC: the class or block size it must have
 */
struct slot {
	uint8_t *p;
	size_t size;
	uint64_t gen;
	uint8_t kind;
	uint8_t api;
	uint8_t order;
	uint8_t zone;
	uint8_t pzone;
	uint64_t pages;
	size_t ksz;
};

static struct slot slots[NR_SLOTS];

/* The soak's own bookkeeping, compared with the allocator's counters. */
static struct {
	uint64_t pages[MAX_NR_ZONES]; /* K_PAGES blocks, by page zone */
	uint64_t large[MAX_NR_ZONES]; /* kmalloc large blocks, by zone */
	uint64_t kobjects;	      /* live kmalloc objects (not size 0) */
	uint64_t kbytes;	      /* their class / block sizes */
	uint64_t small_objects;	      /* of which in the classes */
	uint64_t small_bytes;
} own;

static struct {
	uint64_t allocs, frees, reallocs, failed, zeroed, checks, sweeps;
	uint64_t peak_pages;
	uint64_t per_order[NR_PAGE_ORDERS];
	uint64_t per_zone[MAX_NR_ZONES];
} st;

static uint64_t op_nr, errors, seed, nr_ops, corrupt_op;
static struct mm_stats base;
static uint64_t free0;

static uint64_t rng;

/* xorshift64*: deterministic for a seed, on every arch. */
static uint64_t rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545f4914f6cdd1dULL;
}

static uint64_t rnd_below(uint64_t n)
{
	return rnd() % n;
}

static void error(const char *fmt, ...) __printf(1, 2);

static void error(const char *fmt, ...)
{
	va_list ap;

	errors++;
	if (errors > MAX_ERRORS) {
		return;
	}
	printf("soak: ERROR at op %llu (seed %#llx): ",
	       (unsigned long long)op_nr, (unsigned long long)seed);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/* The word expected at address @a of an allocation of generation @gen. */
static inline uint64_t pat(uintptr_t a, uint64_t gen)
{
	return ((uint64_t)a * 0x9e3779b97f4a7c15ULL) ^ gen;
}

static inline uint8_t pat_byte(uintptr_t a, uint64_t gen)
{
	return (uint8_t)(pat(a & ~(uintptr_t)7, gen) >> (8 * (a & 7)));
}

/*
 * Fill @size bytes at @p with the pattern of @gen for addresses starting
 * at @p: every word up to FULL_FILL_MAX, above that one word per
 * SPARSE_STRIDE bytes (TCG time). The tail bytes of a size that is not a
 * multiple of 8 are patterned one by one.
 */
static void fill(uint8_t *p, size_t size, uint64_t gen)
{
	size_t words = size / 8,
	       step = size > FULL_FILL_MAX ? SPARSE_STRIDE / 8 : 1;
	uint64_t *w = (uint64_t *)p;

	for (size_t i = 0; i < words; i += step) {
		w[i] = pat((uintptr_t)&w[i], gen);
	}
	if (words > 0) {
		w[words - 1] = pat((uintptr_t)&w[words - 1], gen);
	}
	for (size_t b = words * 8; b < size; b++) {
		p[b] = pat_byte((uintptr_t)p + b, gen);
	}
}

/*
 * Check the first @size bytes at @p against the pattern that fill() wrote
 * at @base (a different address when krealloc() moved the data). Returns
 * true if intact; reports the first difference.
 */
static bool check(const uint8_t *p, size_t size, const uint8_t *base,
		  size_t filled, uint64_t gen, const char *what)
{
	size_t words = size / 8,
	       step = filled > FULL_FILL_MAX ? SPARSE_STRIDE / 8 : 1;
	const uint64_t *w = (const uint64_t *)p;
	uintptr_t b0 = (uintptr_t)base;

	for (size_t i = 0; i < words; i += step) {
		if (w[i] != pat(b0 + 8 * i, gen)) {
			error("%s %p (%zu bytes): word at +%#zx is %#llx, "
			      "expected %#llx",
			      what, (const void *)p, size, 8 * i,
			      (unsigned long long)w[i],
			      (unsigned long long)pat(b0 + 8 * i, gen));
			return false;
		}
	}
	/* The last word of the filled size, when @size covers it. */
	if (filled / 8 > 0 && filled / 8 <= words) {
		size_t i = filled / 8 - 1;

		if (w[i] != pat(b0 + 8 * i, gen)) {
			error("%s %p: last word at +%#zx is %#llx", what,
			      (const void *)p, 8 * i, (unsigned long long)w[i]);
			return false;
		}
	}
	/* The tail bytes, if fill() wrote the word they sit in. */
	if (size != filled && words % step != 0 && words + 1 != filled / 8) {
		return true;
	}
	for (size_t b = words * 8; b < size; b++) {
		if (p[b] != pat_byte(b0 + b, gen)) {
			error("%s %p: byte at +%#zx is %#x, expected %#x", what,
			      (const void *)p, b, p[b], pat_byte(b0 + b, gen));
			return false;
		}
	}
	return true;
}

/* Zeroed memory: the same coverage as check(). */
static bool check_zero(const uint8_t *p, size_t size, const char *what)
{
	size_t words = size / 8,
	       step = size > FULL_FILL_MAX ? SPARSE_STRIDE / 8 : 1;
	const uint64_t *w = (const uint64_t *)p;

	st.zeroed++;
	for (size_t i = 0; i < words; i += step) {
		if (w[i] != 0) {
			error("%s %p (%zu bytes) not zeroed: word at +%#zx is "
			      "%#llx",
			      what, (const void *)p, size, 8 * i,
			      (unsigned long long)w[i]);
			return false;
		}
	}
	for (size_t b = words * 8; b < size; b++) {
		if (p[b] != 0) {
			error("%s %p not zeroed at +%#zx", what,
			      (const void *)p, b);
			return false;
		}
	}
	return true;
}

static const gfp_t zone_gfp[MAX_NR_ZONES] = {
    [ZONE_DMA] = GFP_DMA,
    [ZONE_DMA32] = GFP_DMA32,
    [ZONE_NORMAL] = GFP_KERNEL,
};

/* GFP_KERNEL mostly, GFP_DMA32 one in five, GFP_DMA one in ten. */
static enum zone_type rnd_zone(void)
{
	uint64_t r = rnd_below(10);

	return r < 7 ? ZONE_NORMAL : r < 9 ? ZONE_DMA32 : ZONE_DMA;
}

/* Small orders mostly: weights out of 100. */
static unsigned int rnd_order(void)
{
	static const uint8_t weight[NR_PAGE_ORDERS] = {
	    50, 16, 10, 7, 5, 4, 3, 2, 1, 1, 1,
	};
	uint64_t r = rnd_below(100);
	unsigned int o = 0;

	while (r >= weight[o]) {
		r -= weight[o];
		o++;
	}
	return o;
}

/* Mostly small, some large, a few at and past KMALLOC_MAX_SIZE. */
static size_t rnd_size(void)
{
	uint64_t r = rnd_below(1000);

	if (r < 10) {
		return 0;
	}
	if (r < 60) { /* a power of two: its alignment is checked */
		return (size_t)1 << rnd_below(20);
	}
	if (r < 600) {
		return 1 + rnd_below(256);
	}
	if (r < 850) {
		return 257 + rnd_below(KMALLOC_MAX_CACHE_SIZE - 256);
	}
	if (r < 970) {
		return KMALLOC_MAX_CACHE_SIZE + 1 + rnd_below(64 * 1024);
	}
	if (r < 997) {
		return 1 + rnd_below(1024 * 1024);
	}
	if (r < 999) {
		return 1 + rnd_below(KMALLOC_MAX_SIZE);
	}
	return KMALLOC_MAX_SIZE + 1 + rnd_below(PAGE_SIZE);
}

/* What kmalloc(@size) must give: its class or block size. */
static size_t kmalloc_expect(size_t size)
{
	size_t c = KMALLOC_MIN_SIZE;

	if (size == 0) {
		return 0;
	}
	if (size > KMALLOC_MAX_CACHE_SIZE) {
		return (size_t)PAGE_SIZE << get_order(size);
	}
	while (c < size) {
		c <<= 1;
	}
	return c;
}

static uint64_t pages_in_use(void)
{
	return free0 - nr_free_pages();
}

static void note_peak(void)
{
	uint64_t n = pages_in_use();

	if (n > st.peak_pages) {
		st.peak_pages = n;
	}
}

/*
 * An allocation of @order with @zone's GFP flags failed: the allocator
 * takes from @zone and each lower one, so none of them may hold a free
 * block of @order or above.
 */
static void check_failure(enum zone_type zone, unsigned int order,
			  const char *what)
{
	struct mm_stats s;

	st.failed++;
	mm_snapshot(&s);
	for (int z = (int)zone; z >= 0; z--) {
		for (unsigned int o = order; o <= MAX_ORDER; o++) {
			if (s.nr_free[z][o] != 0) {
				error("%s of order %u (%s) failed with %llu "
				      "free blocks of order %u in %s",
				      what, order, zone_name(zone),
				      (unsigned long long)s.nr_free[z][o], o,
				      zone_name((enum zone_type)z));
				return;
			}
		}
	}
}

/*
 * A block of 2^@order pages at @page came for @zone's GFP flags: aligned,
 * inside the span of its zone, not above @zone, and from a lower zone only
 * if the higher allowed ones had no block of @order.
 */
static void check_block(struct page *page, unsigned int order,
			enum zone_type zone, const char *what)
{
	enum zone_type pz = page_zonenum(page);
	pfn_t pfn = page_to_pfn(page);
	struct mm_stats s;

	mm_snapshot(&s);
	if (pfn & ((UINT64_C(1) << order) - 1)) {
		error("%s: pfn %#llx is not aligned to order %u", what,
		      (unsigned long long)pfn, order);
	}
	if (pz > zone) {
		error("%s: %s page for %s flags", what, zone_name(pz),
		      zone_name(zone));
	}
	if (pfn < s.zone_start_pfn[pz] ||
	    pfn + (UINT64_C(1) << order) > s.zone_end_pfn[pz]) {
		error("%s: pfn %#llx order %u outside zone %s [%#llx, %#llx)",
		      what, (unsigned long long)pfn, order, zone_name(pz),
		      (unsigned long long)s.zone_start_pfn[pz],
		      (unsigned long long)s.zone_end_pfn[pz]);
	}
	for (int z = (int)zone; z > (int)pz; z--) {
		for (unsigned int o = order; o <= MAX_ORDER; o++) {
			if (s.nr_free[z][o] != 0) {
				error("%s: took order %u from %s while %s "
				      "has a free block of order %u",
				      what, order, zone_name(pz),
				      zone_name((enum zone_type)z), o);
				return;
			}
		}
	}
}

static void alloc_pages_slot(struct slot *sl)
{
	enum zone_type zone = rnd_zone();
	gfp_t gfp = zone_gfp[zone] | __GFP_NOWARN;
	unsigned int order = rnd_order();
	enum api api = (enum api)(A_ALLOC_PAGES + rnd_below(4));
	bool zero = false;
	struct page *page = NULL;
	uintptr_t va;

	if (order > 0 && (api == A_ALLOC_PAGE || api == A_GET_ZEROED)) {
		api = A_ALLOC_PAGES;
	}
	switch (api) {
	case A_ALLOC_PAGES:
		zero = rnd_below(8) == 0;
		page = alloc_pages(gfp | (zero ? __GFP_ZERO : 0), order);
		break;
	case A_ALLOC_PAGE:
		page = alloc_page(gfp);
		break;
	case A_GET_FREE:
		va = __get_free_pages(gfp, order);
		page = va != 0 ? virt_to_page((void *)va) : NULL;
		if (va != 0 &&
		    (page == NULL || page_address(page) != (void *)va)) {
			error("__get_free_pages: %#lx has no struct page",
			      (unsigned long)va);
			return;
		}
		break;
	default:
		zero = true;
		va = get_zeroed_page(gfp);
		page = va != 0 ? virt_to_page((void *)va) : NULL;
		break;
	}
	if (page == NULL) {
		check_failure(zone, order, "alloc_pages");
		return;
	}
	check_block(page, order, zone, "alloc_pages");
	sl->p = page_address(page);
	sl->size = (size_t)PAGE_SIZE << order;
	sl->kind = K_PAGES;
	sl->api = (uint8_t)api;
	sl->order = (uint8_t)order;
	sl->zone = (uint8_t)zone;
	sl->pzone = (uint8_t)page_zonenum(page);
	sl->pages = 0;
	sl->ksz = 0;
	if (zero) {
		check_zero(sl->p, sl->size, "alloc_pages(__GFP_ZERO)");
	}
	sl->gen = rnd();
	fill(sl->p, sl->size, sl->gen);
	own.pages[sl->pzone] += UINT64_C(1) << order;
	st.per_order[order]++;
	st.per_zone[sl->pzone]++;
	st.allocs++;
	note_peak();
}

static void free_pages_slot(struct slot *sl)
{
	check(sl->p, sl->size, sl->p, sl->size, sl->gen, "page block");
	switch (sl->api) {
	case A_ALLOC_PAGES:
		__free_pages(virt_to_page(sl->p), sl->order);
		break;
	case A_ALLOC_PAGE:
		__free_page(virt_to_page(sl->p));
		break;
	case A_GET_FREE:
		free_pages((uintptr_t)sl->p, sl->order);
		break;
	default:
		free_page((uintptr_t)sl->p);
		break;
	}
	own.pages[sl->pzone] -= UINT64_C(1) << sl->order;
	sl->kind = K_NONE;
	st.frees++;
}

/* Count a new kmalloc object of @sl, checking its size, zone, alignment. */
static void kobj_add(struct slot *sl, const char *what)
{
	struct page *page;

	sl->ksz = kmalloc_expect(sl->size);
	sl->pages = 0;
	if (sl->size == 0) {
		if (sl->p != ZERO_SIZE_PTR) {
			error("%s(0) gave %p, not ZERO_SIZE_PTR", what,
			      (void *)sl->p);
		}
		return;
	}
	if (ksize(sl->p) != sl->ksz) {
		error("%s(%zu): ksize %zu, expected %zu", what, sl->size,
		      ksize(sl->p), sl->ksz);
	}
	if ((uintptr_t)sl->p & (min(sl->ksz, (size_t)PAGE_SIZE) - 1)) {
		error("%s(%zu) = %p: not aligned to %zu", what, sl->size,
		      (void *)sl->p, min(sl->ksz, (size_t)PAGE_SIZE));
	}
	page = virt_to_page(sl->p);
	sl->pzone = (uint8_t)page_zonenum(page);
	if (sl->pzone > sl->zone) {
		error("%s(%zu): %s memory for %s flags", what, sl->size,
		      zone_name((enum zone_type)sl->pzone),
		      zone_name((enum zone_type)sl->zone));
	}
	own.kobjects++;
	own.kbytes += sl->ksz;
	if (sl->size > KMALLOC_MAX_CACHE_SIZE) {
		sl->pages = sl->ksz / PAGE_SIZE;
		own.large[sl->pzone] += sl->pages;
		check_block(page, get_order(sl->size), (enum zone_type)sl->zone,
			    what);
	} else {
		own.small_objects++;
		own.small_bytes += sl->ksz;
	}
}

static void kobj_del(struct slot *sl)
{
	if (sl->size == 0) {
		return;
	}
	own.kobjects--;
	own.kbytes -= sl->ksz;
	if (sl->pages != 0) {
		own.large[sl->pzone] -= sl->pages;
	} else {
		own.small_objects--;
		own.small_bytes -= sl->ksz;
	}
}

/* A kmalloc-family failure for @size: justified only by the free lists. */
static void kmalloc_failed(size_t size, enum zone_type zone, const char *what)
{
	if (size > KMALLOC_MAX_SIZE) {
		st.failed++;
		return;
	}
	check_failure(zone, size > KMALLOC_MAX_CACHE_SIZE ? get_order(size) : 0,
		      what);
}

static void alloc_kmalloc_slot(struct slot *sl)
{
	enum zone_type zone = rnd_zone();
	gfp_t gfp = zone_gfp[zone] | __GFP_NOWARN;
	size_t size = rnd_size(), align = 0, n = 1;
	enum api api = (enum api)(A_KMALLOC + rnd_below(8));
	const char *what = "kmalloc";
	bool zero = false;
	void *p;

	/*
	 * The C library's functions are GFP_KERNEL only and warn on failure:
	 * keep them to 64 KiB, which seldom fails.
	 */
	if (api >= A_MALLOC) {
		zone = ZONE_NORMAL;
		size = size > 64 * 1024 ? 1 + size % (64 * 1024) : size;
	}
	switch (api) {
	case A_KMALLOC:
		p = kmalloc(size, gfp);
		break;
	case A_KZALLOC:
		what = "kzalloc";
		zero = true;
		p = kzalloc(size, gfp);
		break;
	case A_KCALLOC:
	case A_KARRAY:
		/* n elements of size / n bytes, n a small power of two. */
		n = (size_t)1 << rnd_below(5);
		size -= size % n;
		zero = api == A_KCALLOC;
		what = zero ? "kcalloc" : "kmalloc_array";
		p = zero ? kcalloc(n, size / n, gfp)
			 : kmalloc_array(n, size / n, gfp);
		break;
	case A_KREALLOC:
		what = "krealloc(NULL)";
		p = krealloc(NULL, size, gfp);
		break;
	case A_MALLOC:
		what = "malloc";
		size += size == 0; /* malloc(0) is kmalloc(1) */
		p = malloc(size);
		break;
	case A_CALLOC:
		what = "calloc";
		size += size == 0;
		zero = true;
		p = calloc(1, size);
		break;
	default:
		what = "aligned_alloc";
		align = (size_t)16 << rnd_below(9);
		size += size == 0;
		p = aligned_alloc(align, size);
		break;
	}
	if (p == NULL) {
		kmalloc_failed(align > size ? align : size, zone, what);
		return;
	}
	if (align != 0 && ((uintptr_t)p & (align - 1))) {
		error("aligned_alloc(%zu, %zu) = %p: misaligned", align, size,
		      p);
	}
	sl->p = p;
	sl->kind = K_KMALLOC;
	sl->api = (uint8_t)api;
	sl->zone = (uint8_t)zone;
	sl->order = 0;
	/* aligned_alloc() asks kmalloc for the larger of the two. */
	sl->size = align > size ? align : size;
	kobj_add(sl, what);
	sl->size = size;
	if (zero && size != 0) {
		check_zero(sl->p, size, what);
	}
	sl->gen = rnd();
	if (size != 0) {
		fill(sl->p, size, sl->gen);
	}
	st.allocs++;
	note_peak();
}

static void free_kmalloc_slot(struct slot *sl)
{
	if (sl->size != 0) {
		check(sl->p, sl->size, sl->p, sl->size, sl->gen,
		      "kmalloc object");
	}
	kobj_del(sl);
	if (sl->api >= A_MALLOC) {
		free(sl->p);
	} else if (rnd_below(8) == 0) {
		void *q = krealloc(sl->p, 0, GFP_KERNEL);

		if (q != ZERO_SIZE_PTR) {
			error("krealloc(%p, 0) gave %p", (void *)sl->p, q);
		}
	} else {
		kfree(sl->p);
	}
	sl->kind = K_NONE;
	st.frees++;
}

/* krealloc() a kmalloc-family object (not the C library's) to a new size. */
static void realloc_kmalloc_slot(struct slot *sl)
{
	size_t size = rnd_size(), keep;
	gfp_t gfp = zone_gfp[sl->zone] | __GFP_NOWARN;
	uint8_t *q;

	if (size == 0) {
		size = 1;
	}
	q = krealloc(sl->p, size, gfp);
	if (q == NULL) {
		if (size <= sl->ksz && sl->size != 0) {
			error("krealloc(%p, %zu) of a %zu-byte object failed",
			      (void *)sl->p, size, sl->ksz);
		}
		kmalloc_failed(size, (enum zone_type)sl->zone, "krealloc");
		return;
	}
	st.reallocs++;
	keep = min(sl->size, size);
	if (keep != 0) {
		check(q, keep, sl->p, sl->size, sl->gen, "krealloc'd object");
	}
	if (q == sl->p && sl->size != 0 && kmalloc_expect(size) != sl->ksz &&
	    size > sl->ksz) {
		error("krealloc(%p, %zu) grew a %zu-byte object in place",
		      (void *)q, size, sl->ksz);
	}
	if (sl->size != 0 && q != sl->p && kmalloc_expect(size) == sl->ksz) {
		error("krealloc(%p, %zu) moved within its class", (void *)sl->p,
		      size);
	}
	if (q == sl->p && sl->size != 0) {
		/* In place: still the old object, now @size bytes used. */
		sl->size = size;
	} else {
		kobj_del(sl);
		sl->p = q;
		sl->size = size;
		kobj_add(sl, "krealloc");
	}
	sl->gen = rnd();
	fill(sl->p, sl->size, sl->gen);
	note_peak();
}

/* Every live allocation's pattern. */
static void sweep(void)
{
	st.sweeps++;
	for (int i = 0; i < NR_SLOTS; i++) {
		struct slot *sl = &slots[i];

		if (sl->kind != K_NONE && sl->size != 0) {
			check(sl->p, sl->size, sl->p, sl->size, sl->gen,
			      "sweep: live allocation");
		}
	}
}

/* The allocator's counters against the soak's bookkeeping. */
static void check_counters(void)
{
	struct mm_stats s;
	uint64_t alloc_delta = 0, slab_delta, mine = 0, nfree = 0;

	st.checks++;
	mm_snapshot(&s);
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		uint64_t d = s.allocated[z] - base.allocated[z];
		uint64_t own_z = own.pages[z] + own.large[z];

		if (d < own_z) {
			error("zone %s: %llu pages allocated since the start, "
			      "the soak holds %llu",
			      zone_name((enum zone_type)z),
			      (unsigned long long)d, (unsigned long long)own_z);
		}
		alloc_delta += d;
		mine += own_z;
		nfree += s.free[z];
	}
	slab_delta = s.kmalloc_slab_pages - base.kmalloc_slab_pages;
	if (alloc_delta != mine + slab_delta) {
		error("pages allocated since the start %llu != soak's %llu + "
		      "slab pages %llu",
		      (unsigned long long)alloc_delta, (unsigned long long)mine,
		      (unsigned long long)slab_delta);
	}
	if (nfree != nr_free_pages() || free0 - nfree != alloc_delta) {
		error("free pages %llu (nr_free_pages %llu), %llu at the "
		      "start, %llu allocated since",
		      (unsigned long long)nfree,
		      (unsigned long long)nr_free_pages(),
		      (unsigned long long)free0,
		      (unsigned long long)alloc_delta);
	}
	if (s.kmalloc_objects - base.kmalloc_objects != own.kobjects ||
	    s.kmalloc_bytes - base.kmalloc_bytes != own.kbytes) {
		error(
		    "kmalloc counts %llu objects %llu bytes over the start, "
		    "the soak holds %llu objects %llu bytes",
		    (unsigned long long)(s.kmalloc_objects -
					 base.kmalloc_objects),
		    (unsigned long long)(s.kmalloc_bytes - base.kmalloc_bytes),
		    (unsigned long long)own.kobjects,
		    (unsigned long long)own.kbytes);
	}
	if (s.kmalloc_large_pages - base.kmalloc_large_pages !=
	    own.large[0] + own.large[1] + own.large[2]) {
		error("kmalloc large pages %llu over the start, the soak's "
		      "%llu",
		      (unsigned long long)(s.kmalloc_large_pages -
					   base.kmalloc_large_pages),
		      (unsigned long long)(own.large[0] + own.large[1] +
					   own.large[2]));
	}
	/* Each slab page holds at least one object and at most a page. */
	if (slab_delta > own.small_objects ||
	    slab_delta * PAGE_SIZE < own.small_bytes) {
		error("%llu slab pages for %llu objects of %llu bytes",
		      (unsigned long long)slab_delta,
		      (unsigned long long)own.small_objects,
		      (unsigned long long)own.small_bytes);
	}
	if (!mm_check_accounting(NULL)) {
		error("mm_check_accounting() failed");
	}
	if (!mm_check_free_lists()) {
		error("mm_check_free_lists() failed");
	}
}

static void one_op(void)
{
	struct slot *sl = &slots[rnd_below(NR_SLOTS)];

	switch (sl->kind) {
	case K_NONE:
		if (rnd_below(2) == 0) {
			alloc_pages_slot(sl);
		} else {
			alloc_kmalloc_slot(sl);
		}
		break;
	case K_PAGES:
		free_pages_slot(sl);
		break;
	default:
		if (sl->api < A_MALLOC && rnd_below(4) == 0) {
			realloc_kmalloc_slot(sl);
		} else {
			free_kmalloc_slot(sl);
		}
		break;
	}
}

/* A decimal or 0x-prefixed hexadecimal number; *@end after its digits. */
static uint64_t parse_u64(const char *s, char **end)
{
	unsigned int radix = 10;
	uint64_t v = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		radix = 16;
		s += 2;
	}
	for (;; s++) {
		unsigned int d;

		if (*s >= '0' && *s <= '9') {
			d = (unsigned int)(*s - '0');
		} else if (radix == 16 && (*s | 0x20) >= 'a' &&
			   (*s | 0x20) <= 'f') {
			d = (unsigned int)((*s | 0x20) - 'a' + 10);
		} else {
			break;
		}
		v = v * radix + d;
	}
	*end = (char *)(uintptr_t)s;
	return v;
}

/* "seed=S ops=N" after the marker; unknown words are an error. */
static void read_params(void)
{
	const volatile char *v = soak_params;
	char buf[SOAK_PARAMS_SIZE + 1];
	char *s, *end;
	size_t i;

	for (i = 0; i < SOAK_PARAMS_SIZE && v[i] != '\0'; i++) {
		buf[i] = v[i];
	}
	buf[i] = '\0';
	seed = 0x5eed;
	nr_ops = 20000;
	s = buf + sizeof(SOAK_MARKER) - 1;
	while (*s != '\0') {
		while (*s == ' ') {
			s++;
		}
		if (strncmp(s, "seed=", 5) == 0) {
			seed = parse_u64(s + 5, &end);
		} else if (strncmp(s, "ops=", 4) == 0) {
			nr_ops = parse_u64(s + 4, &end);
		} else if (strncmp(s, "corrupt=", 8) == 0) {
			corrupt_op = parse_u64(s + 8, &end);
		} else if (*s == '\0') {
			break;
		} else {
			error("bad parameter text '%s'", s);
			return;
		}
		if (end[-1] == '=' || (*end != ' ' && *end != '\0')) {
			error("bad parameter text '%s'", s);
			return;
		}
		s = end;
	}
}

/*
 * corrupt=N: at operation N, flip the first byte of a live allocation, as
 * a stray write would: the soak must report it (ci/soak.sh --corrupt, the
 * test that the checks check).
 */
static void corrupt(void)
{
	for (int i = 0; i < NR_SLOTS; i++) {
		struct slot *sl = &slots[(i + rnd_below(NR_SLOTS)) % NR_SLOTS];

		if (sl->kind != K_NONE && sl->size != 0) {
			printf("soak: corrupting %p (%zu bytes) on purpose\n",
			       (void *)sl->p, sl->size);
			sl->p[0] ^= 0xff;
			return;
		}
	}
}

static uint64_t ms_since(uint64_t t0)
{
	return (arch_counter_read() - t0) * 1000 / arch_counter_hz();
}

int main(int argc, char *argv[])
{
	struct mm_stats after;
	uint64_t t0 = arch_counter_read(), held;

	(void)argc;
	(void)argv;
	read_params();
	/* splitmix64 of the seed: any seed, 0 included, gives a good state. */
	rng = seed + 0x9e3779b97f4a7c15ULL;
	rng = (rng ^ (rng >> 30)) * 0xbf58476d1ce4e5b9ULL;
	rng = (rng ^ (rng >> 27)) * 0x94d049bb133111ebULL;
	rng ^= rng >> 31;
	rng |= rng == 0;
	printf("soak: seed %#llx, %llu operations, %d slots\n",
	       (unsigned long long)seed, (unsigned long long)nr_ops, NR_SLOTS);

	if (!mm_check_accounting(NULL) || !mm_check_free_lists()) {
		error("the accounting is broken at main()");
	}
	mm_snapshot(&base);
	free0 = nr_free_pages();
	printf("soak: %llu free pages at the start; zones DMA %llu DMA32 %llu "
	       "Normal %llu pages managed\n",
	       (unsigned long long)free0,
	       (unsigned long long)base.managed[ZONE_DMA],
	       (unsigned long long)base.managed[ZONE_DMA32],
	       (unsigned long long)base.managed[ZONE_NORMAL]);

	for (op_nr = 1; op_nr <= nr_ops; op_nr++) {
		one_op();
		if (op_nr == corrupt_op) {
			corrupt();
		}
		if (op_nr % CHECK_EVERY == 0) {
			check_counters();
		}
		if (op_nr % SWEEP_EVERY == 0) {
			sweep();
		}
		if (nr_ops >= 10 * SWEEP_EVERY && op_nr % (nr_ops / 10) == 0) {
			printf(
			    "soak: %llu ops, %llu pages in use, %llu errors, "
			    "%llu ms\n",
			    (unsigned long long)op_nr,
			    (unsigned long long)pages_in_use(),
			    (unsigned long long)errors,
			    (unsigned long long)ms_since(t0));
		}
	}
	op_nr = nr_ops;
	held = pages_in_use();
	check_counters();
	sweep();

	/* Everything back. */
	for (int i = 0; i < NR_SLOTS; i++) {
		if (slots[i].kind == K_PAGES) {
			free_pages_slot(&slots[i]);
		} else if (slots[i].kind == K_KMALLOC) {
			free_kmalloc_slot(&slots[i]);
		}
	}
	check_counters();
	mm_snapshot(&after);
	if (nr_free_pages() != free0) {
		error("%llu free pages after freeing everything, %llu at the "
		      "start",
		      (unsigned long long)nr_free_pages(),
		      (unsigned long long)free0);
	}
	if (!mm_stats_free_equal(&base, &after)) {
		error("the free lists differ from the start's, per zone and "
		      "order");
	}
	if (after.kmalloc_objects != base.kmalloc_objects ||
	    after.kmalloc_slab_pages != base.kmalloc_slab_pages) {
		error("kmalloc holds %llu objects in %llu pages, %llu in %llu "
		      "at the start",
		      (unsigned long long)after.kmalloc_objects,
		      (unsigned long long)after.kmalloc_slab_pages,
		      (unsigned long long)base.kmalloc_objects,
		      (unsigned long long)base.kmalloc_slab_pages);
	}

	printf("soak: page blocks by order 0-10: %llu %llu %llu %llu %llu "
	       "%llu %llu %llu %llu %llu %llu; by zone DMA %llu DMA32 %llu "
	       "Normal %llu\n",
	       (unsigned long long)st.per_order[0],
	       (unsigned long long)st.per_order[1],
	       (unsigned long long)st.per_order[2],
	       (unsigned long long)st.per_order[3],
	       (unsigned long long)st.per_order[4],
	       (unsigned long long)st.per_order[5],
	       (unsigned long long)st.per_order[6],
	       (unsigned long long)st.per_order[7],
	       (unsigned long long)st.per_order[8],
	       (unsigned long long)st.per_order[9],
	       (unsigned long long)st.per_order[10],
	       (unsigned long long)st.per_zone[ZONE_DMA],
	       (unsigned long long)st.per_zone[ZONE_DMA32],
	       (unsigned long long)st.per_zone[ZONE_NORMAL]);
	printf("soak: %llu allocations, %llu frees, %llu reallocs, %llu "
	       "justified failures, %llu zero checks, %llu counter checks, "
	       "%llu sweeps; %llu pages held at the end of the run\n",
	       (unsigned long long)st.allocs, (unsigned long long)st.frees,
	       (unsigned long long)st.reallocs, (unsigned long long)st.failed,
	       (unsigned long long)st.zeroed, (unsigned long long)st.checks,
	       (unsigned long long)st.sweeps, (unsigned long long)held);
	/* ci/soak.sh and the QEMU test read this line: keep its wording. */
	printf("soak: summary: ops %llu seed %#llx errors %llu pages back %s "
	       "peak pages %llu of %llu time %llu ms\n",
	       (unsigned long long)nr_ops, (unsigned long long)seed,
	       (unsigned long long)errors,
	       nr_free_pages() == free0 ? "all" : "NOT all",
	       (unsigned long long)st.peak_pages, (unsigned long long)free0,
	       (unsigned long long)ms_since(t0));
	return errors != 0 ? 1 : 0;
}
