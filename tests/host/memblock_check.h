// SPDX-License-Identifier: BSD-2-Clause
/*
 * The memblock invariant checker and reference model shared by
 * test_memblock_random.c (random operations from a seeded generator) and
 * tests/fuzz/fuzz_memblock.c (operations decoded from fuzz input).
 *
 * The model is a page-granular map of an arena: a real, aligned host
 * buffer, so that zeroing allocations and grown arrays land in memory the
 * process owns (the fake arch's phys<->virt is the identity). For every
 * page it knows whether it is memory and reserved, with flags and node.
 * memblock's regions must always equal the maximal runs of equal pages,
 * which checks sorting, disjointness and merging at once; queries and
 * walks are checked against plain linear scans of those runs, and each
 * allocation against the address Linux's rules give.
 *
 * Each operation is drawn from a source of numbers (mbt_rand_fn) so the
 * same code serves a PRNG and a fuzzer's bytes.
 */
#pragma once

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairn/errno.h>
#include <cairn/memblock.h>

#define MBT_PAGES 1024
#define MBT_ARENA (MBT_PAGES * PAGE_SIZE)
#define MBT_ARENA_ALIGN (1u << 20)
#define MBT_MAX_RUNS (MBT_PAGES + 1)

/* One invariant check, written as a plain scan of the arrays. */
static inline const char *mbt_check_type(const struct memblock_type *t)
{
	phys_addr_t total = 0;

	if (t->cnt > t->max) {
		return "cnt > max";
	}
	if (t->cnt == 0) {
		const struct memblock_region *r0 = &t->regions[0];

		if (r0->base != 0 || r0->size != 0 || r0->flags != 0) {
			return "empty type without a zeroed entry 0";
		}
	}
	for (unsigned long i = 0; i < t->cnt; i++) {
		const struct memblock_region *r = &t->regions[i];

		if (r->size == 0) {
			return "empty region";
		}
		if (r->base + r->size < r->base) {
			return "region passes the top";
		}
		if (i > 0) {
			const struct memblock_region *p = &t->regions[i - 1];

			if (p->base + p->size > r->base) {
				return "regions unsorted or overlapping";
			}
			if (p->base + p->size == r->base &&
			    p->flags == r->flags &&
			    memblock_get_region_node(p) ==
				memblock_get_region_node(r)) {
				return "touching equal regions not merged";
			}
		}
		total += r->size;
	}
	if (total != t->total_size) {
		return "total_size is not the sum of the sizes";
	}
	return NULL;
}

/* Sorted, disjoint, merged, sizes summed: both types. NULL if all hold. */
static inline const char *mbt_check_invariants(void)
{
	const char *why = mbt_check_type(&memblock.memory);

	return why != NULL ? why : mbt_check_type(&memblock.reserved);
}

/* A model page. nid is an int8_t: -1 .. MAX_NUMNODES fit. */
struct mbt_page {
	uint8_t mem, mflags, rsv, rflags;
	int8_t mnid, rnid;
};

struct mbt_run {
	phys_addr_t base, size;
	uint32_t flags;
	int nid;
};

struct mbt {
	uint8_t *arena;	  /* MBT_ARENA bytes, MBT_ARENA_ALIGN aligned */
	phys_addr_t base; /* its physical address */
	struct mbt_page pg[MBT_PAGES];
	bool can_resize, has_mirror, off;
	bool fragment;	      /* no big ranges or removers: many regions */
	uint64_t freed_pages; /* counted by the free_pages hook */
	struct mbt_run mem[MBT_MAX_RUNS], rsv[MBT_MAX_RUNS];
	unsigned int nmem, nrsv;
	char op[200];  /* the operation being checked */
	char err[400]; /* what failed, NULL-free after a failure */
	uint64_t nops;
};

typedef uint32_t (*mbt_rand_fn)(void *ctx, uint32_t n); /* in [0, n) */

static struct mbt *mbt_hook_owner;

static inline void mbt_free_pages_hook(phys_addr_t base, phys_addr_t size)
{
	if (mbt_hook_owner != NULL) {
		mbt_hook_owner->freed_pages += size / PAGE_SIZE;
	}
}

static inline phys_addr_t mbt_addr(const struct mbt *t, uint32_t page)
{
	return t->base + (phys_addr_t)page * PAGE_SIZE;
}

/* Both memblock and the model back to empty. The arena stays. */
static inline void mbt_reset(struct mbt *t)
{
	memblock_reset();
	memset(t->pg, 0, sizeof(t->pg));
	t->can_resize = false;
	t->has_mirror = false;
	t->off = false;
	t->fragment = false;
	t->freed_pages = 0;
	t->nmem = 0;
	t->nrsv = 0;
	t->err[0] = '\0';
	mbt_hook_owner = t;
	memblock_set_free_pages(mbt_free_pages_hook);
}

static inline int mbt_init(struct mbt *t)
{
	memset(t, 0, sizeof(*t));
	t->arena = aligned_alloc(MBT_ARENA_ALIGN, MBT_ARENA);
	if (t->arena == NULL) {
		return -1;
	}
	t->base = (phys_addr_t)(uintptr_t)t->arena;
	mbt_reset(t);
	return 0;
}

__attribute__((format(printf, 2, 3))) static inline void
mbt_fail(struct mbt *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (t->err[0] != '\0') {
		return; /* Keep the first failure. */
	}
	n = snprintf(t->err, sizeof(t->err),
		     "op %llu (%s): ", (unsigned long long)t->nops, t->op);
	va_start(ap, fmt);
	vsnprintf(t->err + n, sizeof(t->err) - (size_t)n, fmt, ap);
	va_end(ap);
}

/* The maximal runs of equal pages of one type (@rsv) into @out. */
static inline unsigned int mbt_runs(const struct mbt *t, bool rsv,
				    struct mbt_run *out)
{
	unsigned int n = 0;

	for (uint32_t p = 0; p < MBT_PAGES; p++) {
		const struct mbt_page *g = &t->pg[p];
		uint8_t present = rsv ? g->rsv : g->mem;
		uint32_t fl = rsv ? g->rflags : g->mflags;
		int nid = rsv ? g->rnid : g->mnid;

		if (!present) {
			continue;
		}
		if (n > 0 &&
		    out[n - 1].base + out[n - 1].size == mbt_addr(t, p) &&
		    out[n - 1].flags == fl && out[n - 1].nid == nid) {
			out[n - 1].size += PAGE_SIZE;
			continue;
		}
		out[n++] = (struct mbt_run){mbt_addr(t, p), PAGE_SIZE, fl, nid};
	}
	return n;
}

static inline void mbt_update_runs(struct mbt *t)
{
	t->nmem = mbt_runs(t, false, t->mem);
	t->nrsv = mbt_runs(t, true, t->rsv);
}

/* The page index of @addr, or -1 outside the arena. */
static inline int64_t mbt_page_of(const struct mbt *t, phys_addr_t addr)
{
	if (addr < t->base || addr - t->base >= MBT_ARENA) {
		return -1;
	}
	return (int64_t)((addr - t->base) / PAGE_SIZE);
}

/* Page range [*@p0, *@p1) of [@base, @base + @size), clipped to the arena. */
static inline void mbt_pages(const struct mbt *t, phys_addr_t base,
			     phys_addr_t size, uint32_t *p0, uint32_t *p1)
{
	phys_addr_t end;

	size = min(size, PHYS_ADDR_MAX - base);
	end = base + size;
	base = max(base, t->base);
	end = min(end, t->base + MBT_ARENA);
	if (base >= end) {
		*p0 = *p1 = 0;
		return;
	}
	*p0 = (uint32_t)((base - t->base) / PAGE_SIZE);
	*p1 = (uint32_t)((end - t->base + PAGE_SIZE - 1) / PAGE_SIZE);
}

static inline void mbt_model_add(struct mbt *t, bool rsv, uint32_t p0,
				 uint32_t p1, int nid, uint32_t flags)
{
	for (uint32_t p = p0; p < p1; p++) {
		struct mbt_page *g = &t->pg[p];

		if (rsv && !g->rsv) {
			g->rsv = 1;
			g->rflags = (uint8_t)flags;
			g->rnid = (int8_t)nid;
		} else if (!rsv && !g->mem) {
			g->mem = 1;
			g->mflags = (uint8_t)flags;
			g->mnid = (int8_t)nid;
		}
	}
}

static inline void mbt_model_clear(struct mbt *t, bool rsv, uint32_t p0,
				   uint32_t p1)
{
	for (uint32_t p = p0; p < p1; p++) {
		if (rsv) {
			t->pg[p].rsv = t->pg[p].rflags = 0;
			t->pg[p].rnid = 0;
		} else {
			t->pg[p].mem = t->pg[p].mflags = 0;
			t->pg[p].mnid = 0;
		}
	}
}

/* Start an epoch in which the arrays must grow: all the arena is memory. */
static inline void mbt_start_fragmenting(struct mbt *t)
{
	t->fragment = true;
	memblock_allow_resize();
	t->can_resize = true;
	if (memblock_add(t->base, MBT_ARENA) == 0) {
		mbt_model_add(t, false, 0, MBT_PAGES, MAX_NUMNODES,
			      MEMBLOCK_NONE);
	}
}

/* Pre-merge slots an add needs: runs of absent pages in [p0, p1). */
static inline unsigned long mbt_add_need(const struct mbt *t, bool rsv,
					 uint32_t p0, uint32_t p1)
{
	unsigned long need = 0;

	for (uint32_t p = p0; p < p1; p++) {
		bool here = rsv ? t->pg[p].rsv : t->pg[p].mem;
		bool prev =
		    p > p0 && (rsv ? t->pg[p - 1].rsv : t->pg[p - 1].mem);

		need += !here && (p == p0 || prev);
	}
	return need;
}

/* Whether pages @a and @b (a + 1 == b) lie in one region of a type. */
static inline bool mbt_same_region(const struct mbt *t, bool rsv, uint32_t a,
				   uint32_t b)
{
	const struct mbt_page *x = &t->pg[a], *y = &t->pg[b];

	if (rsv) {
		return x->rsv && y->rsv && x->rflags == y->rflags &&
		       x->rnid == y->rnid;
	}
	return x->mem && y->mem && x->mflags == y->mflags && x->mnid == y->mnid;
}

/* Slots a split of [p0, p1) needs: each end strictly inside a region. */
static inline unsigned long mbt_split_need(const struct mbt *t, bool rsv,
					   uint32_t p0, uint32_t p1)
{
	unsigned long need = 0;

	if (p0 >= p1) {
		return 0;
	}
	need += p0 > 0 && mbt_same_region(t, rsv, p0 - 1, p0);
	need += p1 < MBT_PAGES && mbt_same_region(t, rsv, p1 - 1, p1);
	return need;
}

/* The ranges that must never be freed: doubled arrays. */
static inline bool mbt_hits_arrays(phys_addr_t base, phys_addr_t size)
{
	const struct memblock_type *types[] = {&memblock.memory,
					       &memblock.reserved};

	size = min(size, PHYS_ADDR_MAX - base);
	for (int i = 0; i < 2; i++) {
		phys_addr_t a = (phys_addr_t)(uintptr_t)types[i]->regions;
		phys_addr_t len = ALIGN_UP(
		    types[i]->max * sizeof(struct memblock_region), PAGE_SIZE);

		if (types[i]->max == INIT_MEMBLOCK_REGIONS) {
			continue; /* The static array: not in the arena. */
		}
		if (base < a + len && a < base + size) {
			return true;
		}
	}
	return false;
}

/* Compare one memblock type with the model's runs. */
static inline void mbt_compare_type(struct mbt *t,
				    const struct memblock_type *type,
				    const struct mbt_run *runs, unsigned int n)
{
	const char *why = mbt_check_type(type);

	if (why != NULL) {
		mbt_fail(t, "%s: %s", type->name, why);
		return;
	}
	if (type->cnt != n) {
		mbt_fail(t, "%s.cnt %lu, model %u", type->name, type->cnt, n);
		return;
	}
	for (unsigned int i = 0; i < n; i++) {
		const struct memblock_region *r = &type->regions[i];

		if (r->base != runs[i].base || r->size != runs[i].size ||
		    r->flags != runs[i].flags ||
		    memblock_get_region_node(r) != runs[i].nid) {
			mbt_fail(t,
				 "%s[%u] = [%#llx +%#llx f%#x n%d], model "
				 "[%#llx +%#llx f%#x n%d]",
				 type->name, i, (unsigned long long)r->base,
				 (unsigned long long)r->size, r->flags,
				 memblock_get_region_node(r),
				 (unsigned long long)runs[i].base,
				 (unsigned long long)runs[i].size,
				 runs[i].flags, runs[i].nid);
			return;
		}
	}
}

/* The run of @runs holding @addr, or -1: a linear scan. */
static inline int mbt_find_run(const struct mbt_run *runs, unsigned int n,
			       phys_addr_t addr)
{
	for (unsigned int i = 0; i < n; i++) {
		if (runs[i].base <= addr &&
		    addr - runs[i].base < runs[i].size) {
			return (int)i;
		}
	}
	return -1;
}

/* Linux's memblock_overlaps_region() definition, as a linear scan. */
static inline bool mbt_overlaps(const struct mbt_run *runs, unsigned int n,
				phys_addr_t base, phys_addr_t size)
{
	size = min(size, PHYS_ADDR_MAX - base);
	for (unsigned int i = 0; i < n; i++) {
		if (base < runs[i].base + runs[i].size &&
		    runs[i].base < base + size) {
			return true;
		}
	}
	return false;
}

/* Check the point and range queries at @addr against the model. */
static inline void mbt_probe(struct mbt *t, phys_addr_t addr, phys_addr_t size)
{
	int m = mbt_find_run(t->mem, t->nmem, addr);
	int r = mbt_find_run(t->rsv, t->nrsv, addr);
	bool region_mem = false;
	unsigned long spfn = 0, epfn = 0;
	int nid;

	if (memblock_is_memory(addr) != (m >= 0)) {
		mbt_fail(t, "memblock_is_memory(%#llx)",
			 (unsigned long long)addr);
	}
	if (memblock_is_reserved(addr) != (r >= 0)) {
		mbt_fail(t, "memblock_is_reserved(%#llx)",
			 (unsigned long long)addr);
	}
	if (memblock_is_map_memory(addr) !=
	    (m >= 0 && !(t->mem[m].flags & MEMBLOCK_NOMAP))) {
		mbt_fail(t, "memblock_is_map_memory(%#llx)",
			 (unsigned long long)addr);
	}
	if (m >= 0) {
		phys_addr_t s = min(size, PHYS_ADDR_MAX - addr);

		region_mem = t->mem[m].base + t->mem[m].size >= addr + s;
	}
	if (memblock_is_region_memory(addr, size) != region_mem) {
		mbt_fail(t, "memblock_is_region_memory(%#llx, %#llx)",
			 (unsigned long long)addr, (unsigned long long)size);
	}
	if (memblock_is_region_reserved(addr, size) !=
	    mbt_overlaps(t->rsv, t->nrsv, addr, size)) {
		mbt_fail(t, "memblock_is_region_reserved(%#llx, %#llx)",
			 (unsigned long long)addr, (unsigned long long)size);
	}
	if (memblock_overlaps_region(&memblock.memory, addr, size) !=
	    mbt_overlaps(t->mem, t->nmem, addr, size)) {
		mbt_fail(t, "memblock_overlaps_region(memory, %#llx, %#llx)",
			 (unsigned long long)addr, (unsigned long long)size);
	}
	nid = memblock_search_pfn_nid(PFN_DOWN(addr), &spfn, &epfn);
	m = mbt_find_run(t->mem, t->nmem, PFN_PHYS(PFN_DOWN(addr)));
	if (m < 0 ? nid != NUMA_NO_NODE
		  : (nid != t->mem[m].nid || spfn != PFN_DOWN(t->mem[m].base) ||
		     epfn != PFN_DOWN(t->mem[m].base + t->mem[m].size))) {
		mbt_fail(t, "memblock_search_pfn_nid(%#llx)",
			 (unsigned long long)PFN_DOWN(addr));
	}
}

/* Linux's should_skip_region() on a model memory run. */
static inline bool mbt_skip(const struct mbt_run *m, int nid, uint32_t flags)
{
	if (nid == MAX_NUMNODES) {
		nid = NUMA_NO_NODE;
	}
	if (nid != NUMA_NO_NODE && nid != m->nid) {
		return true;
	}
	if ((flags & MEMBLOCK_MIRROR) && !(m->flags & MEMBLOCK_MIRROR)) {
		return true;
	}
	if (!(flags & MEMBLOCK_NOMAP) && (m->flags & MEMBLOCK_NOMAP)) {
		return true;
	}
	return !(flags & MEMBLOCK_DRIVER_MANAGED) &&
	       (m->flags & MEMBLOCK_DRIVER_MANAGED);
}

/*
 * The free ranges for (@nid, @flags), ascending: each memory run that is
 * not skipped, minus reserved pages. Returns the count.
 */
static inline unsigned int mbt_free_ranges(const struct mbt *t, int nid,
					   uint32_t flags, struct mbt_run *out)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < t->nmem; i++) {
		const struct mbt_run *m = &t->mem[i];

		if (mbt_skip(m, nid, flags)) {
			continue;
		}
		for (phys_addr_t a = m->base; a < m->base + m->size;
		     a += PAGE_SIZE) {
			const struct mbt_page *g =
			    &t->pg[(a - t->base) / PAGE_SIZE];

			if (g->rsv) {
				continue;
			}
			if (n > 0 && out[n - 1].base + out[n - 1].size == a &&
			    out[n - 1].nid == m->nid && a != m->base) {
				out[n - 1].size += PAGE_SIZE;
			} else {
				out[n++] = (struct mbt_run){a, PAGE_SIZE,
							    m->flags, m->nid};
			}
		}
	}
	return n;
}

static struct mbt_run mbt_tmp[MBT_MAX_RUNS];

/* Linux's find: highest (or lowest) aligned fit in one clipped free range. */
static inline phys_addr_t mbt_find(struct mbt *t, phys_addr_t size,
				   phys_addr_t align, phys_addr_t start,
				   phys_addr_t end, int nid, uint32_t flags)
{
	unsigned int n = mbt_free_ranges(t, nid, flags, mbt_tmp);

	if (end == MEMBLOCK_ALLOC_ACCESSIBLE ||
	    end == MEMBLOCK_ALLOC_NOLEAKTRACE) {
		end = memblock.current_limit;
	}
	start = max(start, PAGE_SIZE);
	end = max(start, end);
	if (memblock.bottom_up) {
		for (unsigned int i = 0; i < n; i++) {
			phys_addr_t s = min(max(mbt_tmp[i].base, start), end);
			phys_addr_t e = min(
			    max(mbt_tmp[i].base + mbt_tmp[i].size, start), end);
			phys_addr_t c = ALIGN_UP(s, align);

			if (c >= s && c < e && e - c >= size) {
				return c;
			}
		}
		return 0;
	}
	for (unsigned int i = n; i-- > 0;) {
		phys_addr_t s = min(max(mbt_tmp[i].base, start), end);
		phys_addr_t e =
		    min(max(mbt_tmp[i].base + mbt_tmp[i].size, start), end);
		phys_addr_t c;

		if (e < size) {
			continue;
		}
		c = ALIGN_DOWN(e - size, align);
		if (c >= s) {
			return c;
		}
	}
	return 0;
}

/*
 * Find and reserve in the model, as memblock_alloc_range_nid() does per
 * attempt. A full reserved array that cannot grow makes the attempt fail.
 */
static inline phys_addr_t mbt_find_reserve(struct mbt *t, phys_addr_t size,
					   phys_addr_t align, phys_addr_t start,
					   phys_addr_t end, int nid,
					   uint32_t flags)
{
	phys_addr_t found = mbt_find(t, size, align, start, end, nid, flags);
	uint32_t p0, p1;

	if (found == 0) {
		return 0;
	}
	mbt_pages(t, found, size, &p0, &p1);
	if (memblock.reserved.cnt + mbt_add_need(t, true, p0, p1) >
		memblock.reserved.max &&
	    (!t->can_resize || t->off)) {
		return 0;
	}
	mbt_model_add(t, true, p0, p1, MAX_NUMNODES, MEMBLOCK_NONE);
	return found;
}

/* The Linux fallback chain of memblock_alloc_range_nid(). */
static inline phys_addr_t mbt_alloc_range(struct mbt *t, phys_addr_t size,
					  phys_addr_t align, phys_addr_t start,
					  phys_addr_t end, int nid, bool exact)
{
	uint32_t flags = t->has_mirror ? MEMBLOCK_MIRROR : MEMBLOCK_NONE;
	phys_addr_t found;

	if (t->off || size == 0) {
		return 0;
	}
	if (align == 0) {
		align = SMP_CACHE_BYTES;
	}
	if (nid == MAX_NUMNODES) {
		nid = NUMA_NO_NODE;
	}
	for (;;) {
		found =
		    mbt_find_reserve(t, size, align, start, end, nid, flags);
		if (found == 0 && nid != NUMA_NO_NODE && !exact) {
			found = mbt_find_reserve(t, size, align, start, end,
						 NUMA_NO_NODE, flags);
		}
		if (found != 0 || !(flags & MEMBLOCK_MIRROR)) {
			return found;
		}
		flags = MEMBLOCK_NONE;
	}
}

/* memblock_alloc_try_nid() and friends: cap at the limit, drop min_addr. */
static inline phys_addr_t
mbt_alloc_virt(struct mbt *t, phys_addr_t size, phys_addr_t align,
	       phys_addr_t min_addr, phys_addr_t max_addr, int nid, bool exact)
{
	phys_addr_t found;

	max_addr = min(max_addr, memblock.current_limit);
	found = mbt_alloc_range(t, size, align, min_addr, max_addr, nid, exact);
	if (found == 0 && min_addr != 0) {
		found =
		    mbt_alloc_range(t, size, align, 0, max_addr, nid, exact);
	}
	return found;
}

/* A walk of memblock against the model's list, both ascending. */
static inline void mbt_compare_walk(struct mbt *t, const char *what,
				    struct memblock_type *a,
				    struct memblock_type *b, int nid,
				    uint32_t flags, const struct mbt_run *want,
				    unsigned int n)
{
	phys_addr_t s, e;
	uint64_t i;
	unsigned int k = 0;
	int got_nid;

	__for_each_mem_range(i, a, b, nid, flags, &s, &e, &got_nid)
	{
		if (k >= n || s != want[k].base ||
		    e != want[k].base + want[k].size) {
			mbt_fail(t, "%s: range %u [%#llx-%#llx) unexpected",
				 what, k, (unsigned long long)s,
				 (unsigned long long)e);
			return;
		}
		k++;
	}
	if (k != n) {
		mbt_fail(t, "%s: %u ranges, model %u", what, k, n);
		return;
	}
	__for_each_mem_range_rev(i, a, b, nid, flags, &s, &e, &got_nid)
	{
		if (k == 0 || s != want[k - 1].base ||
		    e != want[k - 1].base + want[k - 1].size) {
			mbt_fail(
			    t, "%s reversed: range %u [%#llx-%#llx) unexpected",
			    what, k, (unsigned long long)s,
			    (unsigned long long)e);
			return;
		}
		k--;
	}
	if (k != 0) {
		mbt_fail(t, "%s reversed: %u ranges missing", what, k);
	}
}

/* Every walk: free ranges for a node and flags, memory, reserved, pfns. */
static inline void mbt_check_walks(struct mbt *t, int nid, uint32_t flags)
{
	static struct mbt_run want[MBT_MAX_RUNS];
	unsigned int n = mbt_free_ranges(t, nid, flags, want);
	unsigned long sp, ep;
	int i, rn, k = 0;

	mbt_compare_walk(t, "free ranges", &memblock.memory, &memblock.reserved,
			 nid, flags, want, n);
	n = 0;
	for (unsigned int j = 0; j < t->nmem; j++) {
		if (!mbt_skip(&t->mem[j], nid, flags)) {
			want[n++] = t->mem[j];
		}
	}
	mbt_compare_walk(t, "memory ranges", &memblock.memory, NULL, nid, flags,
			 want, n);
	mbt_compare_walk(t, "reserved ranges", &memblock.reserved, NULL, nid,
			 flags, t->rsv, t->nrsv);
	if (nid == MAX_NUMNODES) {
		nid = NUMA_NO_NODE;
	}
	for_each_mem_pfn_range(i, nid, &sp, &ep, &rn)
	{
		while ((unsigned int)k < t->nmem && nid != NUMA_NO_NODE &&
		       t->mem[k].nid != nid) {
			k++;
		}
		if ((unsigned int)k >= t->nmem ||
		    sp != PFN_UP(t->mem[k].base) ||
		    ep != PFN_DOWN(t->mem[k].base + t->mem[k].size) ||
		    rn != t->mem[k].nid) {
			mbt_fail(t, "for_each_mem_pfn_range: entry %d", k);
			return;
		}
		k++;
	}
}

/* The full comparison after an operation. */
static inline void mbt_compare(struct mbt *t)
{
	mbt_update_runs(t);
	mbt_compare_type(t, &memblock.memory, t->mem, t->nmem);
	mbt_compare_type(t, &memblock.reserved, t->rsv, t->nrsv);
	if (memblock_phys_mem_size() != memblock.memory.total_size ||
	    memblock_reserved_size() != memblock.reserved.total_size) {
		mbt_fail(t, "size queries disagree with total_size");
	}
	if (memblock_start_of_DRAM() != (t->nmem ? t->mem[0].base : 0) ||
	    memblock_end_of_DRAM() !=
		(t->nmem ? t->mem[t->nmem - 1].base + t->mem[t->nmem - 1].size
			 : 0)) {
		mbt_fail(t, "memblock_start/end_of_DRAM");
	}
}

/*
 * A page range drawn from @rnd: mostly a few pages, so that the arrays
 * fill up and must grow; sometimes long, so that regions merge.
 */
static inline void mbt_draw_range(mbt_rand_fn rnd, void *ctx, bool fragment,
				  uint32_t *p0, uint32_t *n)
{
	uint32_t pick = fragment ? 0 : rnd(ctx, 16);
	uint32_t maxlen = pick < 11 ? 4 : pick < 15 ? 32 : MBT_PAGES;

	*p0 = rnd(ctx, MBT_PAGES);
	*n = 1 + rnd(ctx, min(maxlen, MBT_PAGES - *p0));
}

static inline int mbt_draw_nid(mbt_rand_fn rnd, void *ctx)
{
	static const int nids[] = {NUMA_NO_NODE, 0, 1, 2, MAX_NUMNODES};

	return nids[rnd(ctx, ARRAY_SIZE(nids))];
}

/* Sync the model with doubled arrays: old ones freed, new ones reserved. */
static inline void mbt_sync_arrays(struct mbt *t,
				   struct memblock_region *const old[2],
				   const unsigned long old_max[2],
				   const struct mbt_page *before, uint32_t k0,
				   uint32_t k1)
{
	const struct memblock_type *types[2] = {&memblock.memory,
						&memblock.reserved};
	uint32_t p0, p1;

	for (int i = 0; i < 2; i++) {
		const struct memblock_type *ty = types[i];

		if (ty->regions == old[i]) {
			continue;
		}
		if (old_max[i] != INIT_MEMBLOCK_REGIONS) {
			mbt_pages(
			    t, (phys_addr_t)(uintptr_t)old[i],
			    ALIGN_UP(old_max[i] * sizeof(**old), PAGE_SIZE),
			    &p0, &p1);
			/* Pages the operation itself reserved stay reserved. */
			for (uint32_t p = p0; p < p1; p++) {
				if (p < k0 || p >= k1) {
					mbt_model_clear(t, true, p, p + 1);
				}
			}
		}
		mbt_pages(t, (phys_addr_t)(uintptr_t)ty->regions,
			  ALIGN_UP(ty->max * sizeof(**old), PAGE_SIZE), &p0,
			  &p1);
		for (uint32_t p = p0; p < p1; p++) {
			if (!before[p].mem || before[p].rsv) {
				mbt_fail(t,
					 "%s array grown onto page %u, which "
					 "was not free",
					 ty->name, p);
			}
		}
		mbt_model_add(t, true, p0, p1, MAX_NUMNODES, MEMBLOCK_NONE);
	}
}

/* Whether both arrays have @n free slots (no growth can be needed). */
static inline bool mbt_room(unsigned long n)
{
	return memblock.memory.cnt + n <= memblock.memory.max &&
	       memblock.reserved.cnt + n <= memblock.reserved.max;
}

/* Check a result that may be -ENOMEM: allowed only if slots ran out. */
static inline bool mbt_check_ret(struct mbt *t, int ret, unsigned long cnt,
				 unsigned long max, unsigned long need)
{
	if (ret == 0) {
		return true;
	}
	if (ret != -ENOMEM || cnt + need <= max) {
		mbt_fail(t, "returned %d with %lu + %lu slots of %lu", ret, cnt,
			 need, max);
	}
	return false;
}

/*
 * One random operation on memblock and the model, then the checks.
 * Returns false once a check failed (t->err says what).
 */
static inline bool mbt_step(struct mbt *t, mbt_rand_fn rnd, void *ctx)
{
	static struct mbt_page before[MBT_PAGES];
	struct memblock_region *old[2] = {memblock.memory.regions,
					  memblock.reserved.regions};
	unsigned long old_max[2] = {memblock.memory.max, memblock.reserved.max};
	uint32_t p0, n, q0, q1, op = rnd(ctx, 32);
	phys_addr_t base, size, align, lo, hi, got, want;
	int nid = mbt_draw_nid(rnd, ctx), ret;
	uint32_t flags, keep0 = 0, keep1 = 0;
	bool rsv;

	/* Adds and reserves twice as often; the big removers seldom. */
	if (rnd(ctx, 3) == 0) {
		op &= 3;
	}
	if (op >= 25 && op <= 28 && rnd(ctx, 8) != 0) {
		op = 0;
	}
	if (t->fragment && (op == 4 || (op >= 25 && op <= 28))) {
		op = 14;
	}
	memcpy(before, t->pg, sizeof(before));
	mbt_update_runs(t);
	mbt_draw_range(rnd, ctx, t->fragment, &p0, &n);
	base = mbt_addr(t, p0);
	size = (phys_addr_t)n * PAGE_SIZE;
	q0 = p0;
	q1 = p0 + n;
	align = rnd(ctx, 4) == 0 ? rnd(ctx, 2) * 8 : PAGE_SIZE << rnd(ctx, 5);
	lo = rnd(ctx, 2) ? 0 : mbt_addr(t, rnd(ctx, MBT_PAGES));
	hi = rnd(ctx, 2)   ? MEMBLOCK_ALLOC_ACCESSIBLE
	     : rnd(ctx, 4) ? mbt_addr(t, rnd(ctx, MBT_PAGES + 1))
			   : MEMBLOCK_ALLOC_ANYWHERE;
	if (hi != MEMBLOCK_ALLOC_ACCESSIBLE && hi < lo && rnd(ctx, 4)) {
		phys_addr_t x = hi;

		hi = lo;
		lo = x;
	}
	t->nops++;

	switch (op) {
	case 0:
	case 1:
	case 2:
	case 3:
		rsv = op >= 2;
		flags = op == 1 ? rnd(ctx, 16) : 0;
		if (op == 1 && nid == NUMA_NO_NODE) {
			nid = 0;
		}
		snprintf(t->op, sizeof(t->op), "%s [%u +%u] nid %d flags %#x",
			 rsv	   ? "memblock_reserve"
			 : op == 1 ? "memblock_add_node"
				   : "memblock_add",
			 p0, n, op == 1 ? nid : MAX_NUMNODES, flags);
		{
			struct memblock_type *ty =
			    rsv ? &memblock.reserved : &memblock.memory;
			unsigned long cnt = ty->cnt, max = ty->max;
			unsigned long need = mbt_add_need(t, rsv, q0, q1);

			if (rsv) {
				ret = memblock_reserve(base, size);
			} else if (op == 1) {
				ret = memblock_add_node(base, size, nid, flags);
			} else {
				ret = memblock_add(base, size);
			}
			if (!t->can_resize || t->off) {
				if ((ret == 0) != (cnt + need <= max)) {
					mbt_fail(
					    t,
					    "returned %d with %lu + %lu of %lu",
					    ret, cnt, need, max);
				}
			}
			if (rsv) {
				keep0 = q0;
				keep1 = q1;
			}
			if (mbt_check_ret(t, ret, cnt, max, need)) {
				mbt_model_add(t, rsv, q0, q1,
					      op == 1 ? nid : MAX_NUMNODES,
					      flags);
			}
		}
		break;
	case 4:
	case 5:
	case 6:
		rsv = op != 4;
		if (rsv && mbt_hits_arrays(base, size)) {
			snprintf(t->op, sizeof(t->op), "skipped free");
			break;
		}
		snprintf(t->op, sizeof(t->op), "%s [%u +%u]",
			 op == 4   ? "memblock_remove"
			 : op == 5 ? "memblock_phys_free"
				   : "memblock_free",
			 p0, n);
		{
			struct memblock_type *ty =
			    rsv ? &memblock.reserved : &memblock.memory;
			unsigned long cnt = ty->cnt, max = ty->max;
			unsigned long need = mbt_split_need(t, rsv, q0, q1);
			phys_addr_t total = ty->total_size;

			if (op == 4) {
				ret = memblock_remove(base, size);
			} else if (op == 5) {
				ret = memblock_phys_free(base, size);
			} else {
				memblock_free((void *)(uintptr_t)base,
					      (size_t)size);
				/* A split that needed a slot it did not get. */
				ret = cnt + need > max && ty->max == max &&
					      ty->total_size == total
					  ? -ENOMEM
					  : 0;
			}
			if (mbt_check_ret(t, ret, cnt, max, need)) {
				mbt_model_clear(t, rsv, q0, q1);
			}
		}
		break;
	case 7:
	case 8:
	case 9:
	case 10:
	case 11:
	case 12:
	case 13: {
		static const struct {
			int (*fn)(phys_addr_t, phys_addr_t);
			const char *name;
			bool rsv, set;
			uint32_t flag;
		} ops[] = {
		    {memblock_mark_hotplug, "mark_hotplug", false, true,
		     MEMBLOCK_HOTPLUG},
		    {memblock_clear_hotplug, "clear_hotplug", false, false,
		     MEMBLOCK_HOTPLUG},
		    {memblock_mark_mirror, "mark_mirror", false, true,
		     MEMBLOCK_MIRROR},
		    {memblock_mark_nomap, "mark_nomap", false, true,
		     MEMBLOCK_NOMAP},
		    {memblock_clear_nomap, "clear_nomap", false, false,
		     MEMBLOCK_NOMAP},
		    {memblock_reserved_mark_noinit, "reserved_mark_noinit",
		     true, true, MEMBLOCK_RSRV_NOINIT},
		    {memblock_mark_nomap, "mark_nomap", false, true,
		     MEMBLOCK_NOMAP},
		};
		const struct memblock_type *ty;
		unsigned long cnt, max, need;

		op -= 7;
		rsv = ops[op].rsv;
		ty = rsv ? &memblock.reserved : &memblock.memory;
		cnt = ty->cnt;
		max = ty->max;
		need = mbt_split_need(t, rsv, q0, q1);
		snprintf(t->op, sizeof(t->op), "memblock_%s [%u +%u]",
			 ops[op].name, p0, n);
		if (ops[op].flag == MEMBLOCK_MIRROR) {
			t->has_mirror = true;
		}
		ret = ops[op].fn(base, size);
		if (!mbt_check_ret(t, ret, cnt, max, need)) {
			break;
		}
		for (uint32_t p = q0; p < q1; p++) {
			struct mbt_page *g = &t->pg[p];
			uint8_t *f = rsv ? &g->rflags : &g->mflags;

			if (!(rsv ? g->rsv : g->mem)) {
				continue;
			}
			*f = ops[op].set ? (uint8_t)(*f | ops[op].flag)
					 : (uint8_t)(*f & ~ops[op].flag);
		}
		break;
	}
	case 14: {
		struct memblock_type *ty;
		unsigned long cnt, max, need;

		rsv = rnd(ctx, 4) == 0;
		ty = rsv ? &memblock.reserved : &memblock.memory;
		cnt = ty->cnt;
		max = ty->max;
		need = mbt_split_need(t, rsv, q0, q1);
		snprintf(t->op, sizeof(t->op),
			 "memblock_set_node [%u +%u] %s nid %d", p0, n,
			 ty->name, nid);
		ret = memblock_set_node(base, size, ty, nid);
		if (!mbt_check_ret(t, ret, cnt, max, need)) {
			break;
		}
		for (uint32_t p = q0; p < q1; p++) {
			if (rsv && t->pg[p].rsv) {
				t->pg[p].rnid = (int8_t)nid;
			} else if (!rsv && t->pg[p].mem) {
				t->pg[p].mnid = (int8_t)nid;
			}
		}
		break;
	}
	case 15:
	case 16:
	case 17:
	case 18:
	case 19:
	case 20: {
		bool exact = op == 17;
		bool virt = op >= 18;
		bool zero = op == 18;

		size =
		    (phys_addr_t)(1 + rnd(ctx, 1u << rnd(ctx, 6))) * PAGE_SIZE;
		snprintf(t->op, sizeof(t->op),
			 "%s size %#llx align %#llx [%#llx, %#llx) nid %d",
			 op == 15   ? "memblock_phys_alloc_range"
			 : op == 16 ? "memblock_phys_alloc_try_nid"
			 : op == 17 ? "memblock_alloc_range_nid(exact)"
			 : op == 18 ? "memblock_alloc_try_nid"
			 : op == 19 ? "memblock_alloc_try_nid_raw"
				    : "memblock_alloc_exact_nid_raw",
			 (unsigned long long)size, (unsigned long long)align,
			 (unsigned long long)lo, (unsigned long long)hi, nid);
		if (op == 15) {
			want = mbt_alloc_range(t, size, align, lo, hi,
					       NUMA_NO_NODE, false);
			got = memblock_phys_alloc_range(size, align, lo, hi);
		} else if (op == 16) {
			want = mbt_alloc_range(t, size, align, 0,
					       MEMBLOCK_ALLOC_ACCESSIBLE, nid,
					       false);
			got = memblock_phys_alloc_try_nid(size, align, nid);
		} else if (op == 17) {
			want =
			    mbt_alloc_range(t, size, align, lo, hi, nid, exact);
			got = memblock_alloc_range_nid(size, align, lo, hi, nid,
						       exact);
		} else {
			void *ptr;

			want = mbt_alloc_virt(t, size, align, lo, hi, nid,
					      op == 20);
			if (op == 18) {
				ptr = memblock_alloc_try_nid(size, align, lo,
							     hi, nid);
			} else if (op == 19) {
				ptr = memblock_alloc_try_nid_raw(size, align,
								 lo, hi, nid);
			} else {
				ptr = memblock_alloc_exact_nid_raw(size, align,
								   lo, hi, nid);
			}
			got = (phys_addr_t)(uintptr_t)ptr;
			if (virt && ptr != NULL) {
				uint8_t *b = ptr;

				for (phys_addr_t k = 0; zero && k < size;
				     k += 61) {
					if (b[k] != 0) {
						mbt_fail(t,
							 "not zeroed at +%#llx",
							 (unsigned long long)k);
						break;
					}
				}
				memset(ptr, 0xa5, (size_t)size);
			}
		}
		if (got == 0 && want != 0 &&
		    old_max[1] == memblock.reserved.max &&
		    memblock.reserved.cnt == memblock.reserved.max) {
			/* The reserved array could not grow: no change. */
			memcpy(t->pg, before, sizeof(before));
			want = 0;
		}
		if (got != want) {
			mbt_fail(
			    t,
			    "allocated %#llx, model %#llx (reserved %lu/%lu, "
			    "resize %d, mirror %d, bottom-up %d, limit %#llx)",
			    (unsigned long long)got, (unsigned long long)want,
			    memblock.reserved.cnt, memblock.reserved.max,
			    t->can_resize, t->has_mirror, memblock.bottom_up,
			    (unsigned long long)memblock.current_limit);
		}
		break;
	}
	case 21: {
		uint32_t flags2 = rnd(ctx, 2) ? MEMBLOCK_MIRROR : MEMBLOCK_NONE;

		size = (phys_addr_t)(1 + rnd(ctx, 16)) * PAGE_SIZE;
		snprintf(t->op, sizeof(t->op),
			 "memblock_find_in_range_node size %#llx align %#llx",
			 (unsigned long long)size, (unsigned long long)align);
		got = memblock_find_in_range_node(size, align, lo, hi, nid,
						  flags2);
		want = mbt_find(t, size, align ? align : SMP_CACHE_BYTES, lo,
				hi, nid, flags2);
		if (got != want) {
			mbt_fail(t, "found %#llx, model %#llx",
				 (unsigned long long)got,
				 (unsigned long long)want);
		}
		break;
	}
	case 22:
		snprintf(t->op, sizeof(t->op), "memblock_set_bottom_up");
		memblock_set_bottom_up(rnd(ctx, 2));
		break;
	case 23:
		snprintf(t->op, sizeof(t->op), "memblock_set_current_limit");
		memblock_set_current_limit(
		    rnd(ctx, 2) ? MEMBLOCK_ALLOC_ANYWHERE
				: mbt_addr(t, rnd(ctx, MBT_PAGES)));
		break;
	case 24:
		snprintf(t->op, sizeof(t->op), "memblock_allow_resize");
		memblock_allow_resize();
		t->can_resize = true;
		break;
	case 25: {
		phys_addr_t ta = PAGE_SIZE << rnd(ctx, 4);

		snprintf(t->op, sizeof(t->op), "memblock_trim_memory %#llx",
			 (unsigned long long)ta);
		memblock_trim_memory(ta);
		mbt_update_runs(t);
		for (unsigned int i = 0; i < t->nmem; i++) {
			phys_addr_t s = ALIGN_UP(t->mem[i].base, ta);
			phys_addr_t e =
			    ALIGN_DOWN(t->mem[i].base + t->mem[i].size, ta);

			for (phys_addr_t a = t->mem[i].base;
			     a < t->mem[i].base + t->mem[i].size;
			     a += PAGE_SIZE) {
				if (a < s || a >= e) {
					uint32_t p = (uint32_t)((a - t->base) /
								PAGE_SIZE);

					mbt_model_clear(t, false, p, p + 1);
				}
			}
		}
		break;
	}
	case 26:
	case 27: {
		/* mem= and friends: memory up to the first @size bytes. */
		phys_addr_t limit = size, max_addr = PHYS_ADDR_MAX;

		mbt_update_runs(t);
		for (unsigned int i = 0; i < t->nmem; i++) {
			if (limit <= t->mem[i].size) {
				max_addr = t->mem[i].base + limit;
				break;
			}
			limit -= t->mem[i].size;
		}
		if (max_addr != PHYS_ADDR_MAX &&
		    (mbt_hits_arrays(max_addr, PHYS_ADDR_MAX) ||
		     !mbt_room(2))) {
			snprintf(t->op, sizeof(t->op), "skipped limit");
			break;
		}
		snprintf(t->op, sizeof(t->op), "%s %#llx",
			 op == 26 ? "memblock_enforce_memory_limit"
				  : "memblock_mem_limit_remove_map",
			 (unsigned long long)size);
		if (op == 26) {
			memblock_enforce_memory_limit(size);
		} else {
			memblock_mem_limit_remove_map(size);
		}
		if (max_addr == PHYS_ADDR_MAX) {
			break;
		}
		mbt_pages(t, max_addr, PHYS_ADDR_MAX, &q0, &q1);
		mbt_model_clear(t, true, q0, q1);
		for (uint32_t p = q0; p < q1; p++) {
			if (op == 26 || !(t->pg[p].mflags & MEMBLOCK_NOMAP)) {
				mbt_model_clear(t, false, p, p + 1);
			}
		}
		break;
	}
	case 28: {
		if (mbt_hits_arrays(0, base) ||
		    mbt_hits_arrays(base + size, PHYS_ADDR_MAX) ||
		    !mbt_room(2)) {
			snprintf(t->op, sizeof(t->op), "skipped cap");
			break;
		}
		snprintf(t->op, sizeof(t->op),
			 "memblock_cap_memory_range [%u +%u]", p0, n);
		mbt_update_runs(t);
		memblock_cap_memory_range(base, size);
		if (t->nmem == 0) {
			break; /* "No memory registered yet": nothing done. */
		}
		for (uint32_t p = 0; p < MBT_PAGES; p++) {
			if (p >= q0 && p < q1) {
				continue;
			}
			mbt_model_clear(t, true, p, p + 1);
			if (!(t->pg[p].mflags & MEMBLOCK_NOMAP)) {
				mbt_model_clear(t, false, p, p + 1);
			}
		}
		break;
	}
	case 29:
		/* A walk with random filters, checked against the model. */
		snprintf(t->op, sizeof(t->op), "walks nid %d", nid);
		mbt_update_runs(t);
		mbt_check_walks(t, nid, rnd(ctx, 16) & ~MEMBLOCK_HOTPLUG);
		break;
	case 30:
		if (rnd(ctx, 64) != 0 || t->off) {
			snprintf(t->op, sizeof(t->op), "nothing");
			break;
		}
		snprintf(t->op, sizeof(t->op), "memblock_free_all");
		{
			uint64_t pages, want_pages;

			mbt_update_runs(t);
			want_pages = 0;
			for (uint32_t p = 0; p < MBT_PAGES; p++) {
				const struct mbt_page *g = &t->pg[p];

				want_pages +=
				    g->mem && !g->rsv &&
				    !(g->mflags & (MEMBLOCK_NOMAP |
						   MEMBLOCK_DRIVER_MANAGED));
			}
			t->freed_pages = 0;
			pages = memblock_free_all();
			t->off = true;
			if (pages != want_pages || t->freed_pages != pages) {
				mbt_fail(
				    t,
				    "%llu pages freed, hook %llu, model %llu",
				    (unsigned long long)pages,
				    (unsigned long long)t->freed_pages,
				    (unsigned long long)want_pages);
			}
			if (memblock_alloc(PAGE_SIZE, PAGE_SIZE) != NULL ||
			    memblock_phys_alloc(PAGE_SIZE, PAGE_SIZE) != 0) {
				mbt_fail(
				    t, "allocation after memblock_free_all()");
			}
		}
		break;
	default:
		if (!t->off || mbt_hits_arrays(base, size)) {
			snprintf(t->op, sizeof(t->op), "nothing");
			break;
		}
		snprintf(t->op, sizeof(t->op), "memblock_free_late [%u +%u]",
			 p0, n);
		{
			unsigned long need = mbt_split_need(t, true, q0, q1);
			phys_addr_t total = memblock.reserved.total_size;
			bool ok = memblock.reserved.cnt + need <=
				  memblock.reserved.max;

			t->freed_pages = 0;
			memblock_free_late(base, size);
			/* A hole inside one region needs only one slot. */
			ok = ok || memblock.reserved.total_size != total;
			if (t->freed_pages != n) {
				mbt_fail(t, "free_late handed %llu pages",
					 (unsigned long long)t->freed_pages);
			}
			if (ok) {
				mbt_model_clear(t, true, q0, q1);
			}
		}
		break;
	}
	mbt_sync_arrays(t, old, old_max, before, keep0, keep1);
	mbt_compare(t);
	for (int k = 0; k < 4; k++) {
		phys_addr_t a = mbt_addr(t, rnd(ctx, MBT_PAGES)) +
				(rnd(ctx, 2) ? rnd(ctx, PAGE_SIZE) : 0);
		phys_addr_t s =
		    rnd(ctx, 8) == 0 ? 0 : (phys_addr_t)rnd(ctx, 8 * PAGE_SIZE);

		mbt_probe(t, a, s);
	}
	return t->err[0] == '\0';
}
