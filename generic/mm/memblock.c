// SPDX-License-Identifier: BSD-2-Clause
/*
 * memblock: the boot-time description of physical memory and its early
 * allocator, written from the documented Linux semantics ("Boot time memory
 * management"). docs/memblock.md is the contract.
 *
 * Two types, "memory" and "reserved", each a sorted array of disjoint
 * regions in which touching regions with equal flags and node merge. Every
 * firmware parser adds to it, every early allocation comes from it, and it
 * stays queryable after memblock_free_all() switches the allocator off.
 *
 * It must not depend on anything but <string.h> and <cairn/...>: the same
 * file builds freestanding into the kernel and natively into host tests.
 * It reaches physical memory only through arch_phys_to_virt() and
 * arch_virt_to_phys(), for zeroing allocations and for growing its arrays.
 *
 * The arrays are the Linux ones; what makes this fast is how they are
 * walked: binary search for every position (the regions are sorted), one
 * memmove() per insertion or removal, merging only around the touched
 * regions, free-range walks that start at the right place, and an
 * allocation hint that lets a run of equal allocations skip what the
 * previous one already proved full.
 */
#include <stdio.h>
#include <string.h>

#include <cairn/arch.h>
#include <cairn/compiler.h>
#include <cairn/errno.h>
#include <cairn/log.h>
#include <cairn/memblock.h>
#include <cairn/types.h>

static struct memblock_region
    memblock_memory_init_regions[INIT_MEMBLOCK_MEMORY_REGIONS];
static struct memblock_region
    memblock_reserved_init_regions[INIT_MEMBLOCK_RESERVED_REGIONS];

struct memblock memblock = {
    .bottom_up = false,
    .current_limit = MEMBLOCK_ALLOC_ANYWHERE,
    .memory =
	{
	    .cnt = 0,
	    .max = INIT_MEMBLOCK_MEMORY_REGIONS,
	    .regions = memblock_memory_init_regions,
	    .name = "memory",
	},
    .reserved =
	{
	    .cnt = 0,
	    .max = INIT_MEMBLOCK_RESERVED_REGIONS,
	    .regions = memblock_reserved_init_regions,
	    .name = "reserved",
	},
};

bool memblock_debug;

/*
 * The allocation hint. After an allocation at @bound, no request for at
 * least @size bytes at an alignment of at least @align, on the same node
 * and flags, inside [@start, @end), fits above @bound (top-down) or below
 * it (bottom-up): the previous search proved it and the reservation only
 * took space away. It holds while nothing else changed, which @gen and the
 * copy of the array heads check.
 */
struct memblock_hint {
	bool valid;
	bool bottom_up;
	int nid;
	enum memblock_flags flags;
	uint32_t gen;
	phys_addr_t start, end, size, align, bound;
	unsigned long mem_cnt, rsv_cnt;
	phys_addr_t mem_total, rsv_total;
	const struct memblock_region *mem_regions, *rsv_regions;
};

/*
 * All state besides struct memblock and memblock_debug, in one place so
 * that memblock_reset() restores it: what Linux keeps in
 * memblock_can_resize, slab_is_available() and system_has_some_mirror, the
 * page allocator's hook, and the hint (a cache: dropping it changes no
 * result).
 */
static struct {
	bool can_resize;    /* memblock_allow_resize() was called */
	bool allocator_off; /* memblock_free_all() was called */
	bool has_mirror;    /* memblock_mark_mirror() was called */
	memblock_free_pages_fn free_pages;
	uint32_t gen;	  /* bumped by every change of a type */
	uint32_t resizes; /* bumped by every array doubling */
	struct memblock_hint hint;
} mb_state;

#define memblock_dbg(...)                                                      \
	do {                                                                   \
		if (memblock_debug) {                                          \
			pr_info(__VA_ARGS__);                                  \
		}                                                              \
	} while (0)

#define MB_CALLER __builtin_return_address(0)

static inline unsigned long long ull(phys_addr_t x)
{
	return (unsigned long long)x;
}

static void mb_trace(const char *fn, phys_addr_t base, phys_addr_t size,
		     const void *caller)
{
	memblock_dbg("%s: [0x%016llx-0x%016llx] caller %p\n", fn, ull(base),
		     ull(base + size - 1), caller);
}

static void mb_trace_alloc(const char *fn, phys_addr_t size, phys_addr_t align,
			   phys_addr_t min_addr, phys_addr_t max_addr, int nid,
			   const void *caller)
{
	memblock_dbg("%s: %llu bytes align=%#llx nid=%d from=0x%016llx "
		     "max_addr=0x%016llx caller %p\n",
		     fn, ull(size), ull(align), nid, ull(min_addr),
		     ull(max_addr), caller);
}

static inline phys_addr_t mb_end(const struct memblock_region *r)
{
	return r->base + r->size;
}

static inline bool mb_same_attrs(const struct memblock_region *a,
				 const struct memblock_region *b)
{
	return a->flags == b->flags &&
	       memblock_get_region_node(a) == memblock_get_region_node(b);
}

/* Clip @size so that [@base, @base + @size) does not pass the top. */
static inline phys_addr_t mb_cap_size(phys_addr_t base, phys_addr_t *size)
{
	*size = min(*size, PHYS_ADDR_MAX - base);
	return *size;
}

static inline bool mb_is_pow2(phys_addr_t x)
{
	return x != 0 && (x & (x - 1)) == 0;
}

static inline void mb_touch(void)
{
	mb_state.gen++;
}

/*
 * The first index k of @type whose key exceeds @addr (or reaches it, with
 * @inclusive), or cnt if none. The key is the region's end with @by_end,
 * else its base; both are sorted because the regions are disjoint.
 */
static unsigned long mb_bsearch(const struct memblock_type *type,
				phys_addr_t addr, bool by_end, bool inclusive)
{
	const struct memblock_region *r = type->regions;
	unsigned long lo = 0, hi = type->cnt;

	while (lo < hi) {
		unsigned long mid = lo + (hi - lo) / 2;
		phys_addr_t key = by_end ? mb_end(&r[mid]) : r[mid].base;

		if (key > addr || (inclusive && key == addr)) {
			hi = mid;
		} else {
			lo = mid + 1;
		}
	}
	return lo;
}

/* The first region that ends above @addr: the first that may hold it. */
static inline unsigned long mb_first_end_above(const struct memblock_type *t,
					       phys_addr_t addr)
{
	return mb_bsearch(t, addr, true, false);
}

/* The index of the region of @type holding @addr, or -1. */
static int64_t memblock_search(const struct memblock_type *type,
			       phys_addr_t addr)
{
	unsigned long k = mb_first_end_above(type, addr);

	if (k < type->cnt && type->regions[k].base <= addr) {
		return (int64_t)k;
	}
	return -1;
}

static void mb_set(struct memblock_region *r, phys_addr_t base,
		   phys_addr_t size, enum memblock_flags flags, int nid)
{
	r->base = base;
	r->size = size;
	r->flags = flags;
	memblock_set_region_node(r, nid);
}

/*
 * Merge touching regions with equal attributes among the indices
 * [@lo, @hi] and close the hole behind them with one memmove().
 */
static void mb_merge(struct memblock_type *type, unsigned long lo,
		     unsigned long hi)
{
	struct memblock_region *r = type->regions;
	unsigned long w, i, gone;

	if (type->cnt == 0) {
		return;
	}
	hi = min(hi, type->cnt - 1);
	if (lo >= hi) {
		return;
	}
	for (w = lo, i = lo + 1; i <= hi; i++) {
		if (mb_end(&r[w]) == r[i].base && mb_same_attrs(&r[w], &r[i])) {
			r[w].size += r[i].size;
		} else if (++w != i) {
			r[w] = r[i];
		}
	}
	gone = hi - w;
	if (gone != 0) {
		memmove(&r[w + 1], &r[hi + 1],
			(type->cnt - hi - 1) * sizeof(*r));
		type->cnt -= gone;
	}
}

/* Drop the regions [@start, @end) of @type. */
static void mb_remove_regions(struct memblock_type *type, unsigned long start,
			      unsigned long end)
{
	struct memblock_region *r = type->regions;
	phys_addr_t gone = 0;

	if (start >= end) {
		return;
	}
	for (unsigned long i = start; i < end; i++) {
		gone += r[i].size;
	}
	memmove(&r[start], &r[end], (type->cnt - end) * sizeof(*r));
	type->cnt -= end - start;
	type->total_size -= gone;
	if (type->cnt == 0) {
		/* Linux's empty type: cnt 0 and a zeroed entry 0. */
		memset(&r[0], 0, sizeof(r[0]));
	}
	mb_touch();
}

/* Split region @idx at @at (strictly inside it); one slot must be free. */
static void mb_split(struct memblock_type *type, unsigned long idx,
		     phys_addr_t at)
{
	struct memblock_region *r = type->regions;
	phys_addr_t end = mb_end(&r[idx]);

	memmove(&r[idx + 1], &r[idx], (type->cnt - idx) * sizeof(*r));
	type->cnt++;
	r[idx].size = at - r[idx].base;
	r[idx + 1].base = at;
	r[idx + 1].size = end - at;
	mb_touch();
}

static int memblock_double_array(struct memblock_type *type,
				 phys_addr_t excl_base, phys_addr_t excl_size);

/*
 * The common case of add (a top-down allocation just below a reservation,
 * memory banks in order): [@base, @end) touches exactly one region with
 * the same attributes, overlaps nothing and leaves no gap to another
 * region; grow that region in place. @first is the first region ending
 * above @base. Return: true if done.
 */
static bool mb_extend_neighbour(struct memblock_type *type,
				unsigned long first, phys_addr_t base,
				phys_addr_t end, int nid,
				enum memblock_flags flags)
{
	struct memblock_region *r = type->regions, *n, want;

	/* Linux counts the slot before merging: a full array takes the
	 * slow path, which grows it or fails, as Linux does. */
	if (type->cnt >= type->max) {
		return false;
	}
	if (first < type->cnt && r[first].base == end &&
	    (first == 0 || mb_end(&r[first - 1]) < base)) {
		n = &r[first];		/* grows down */
	} else if (first > 0 && mb_end(&r[first - 1]) == base &&
		   (first == type->cnt || r[first].base > end)) {
		n = &r[first - 1];	/* grows up */
	} else {
		return false;
	}
	mb_set(&want, base, end - base, flags, nid);
	if (!mb_same_attrs(n, &want)) {
		return false;
	}
	if (n->base == end) {
		n->base = base;
	}
	n->size += end - base;
	type->total_size += end - base;
	mb_touch();
	return true;
}
/**
 * memblock_add_range() - add [@base, @base + @size) to @type
 * @type: memblock.memory or memblock.reserved
 * @base: first address
 * @size: bytes, capped at the top of the address space
 * @nid: node of the new parts
 * @flags: flags of the new parts
 *
 * Only the parts not yet in @type are inserted (existing regions keep their
 * attributes), then touching equal neighbours merge. Nothing changes on
 * failure. Linux counts the array slots the same way, before merging.
 * Return: 0, or -ENOMEM if the array is full and cannot grow.
 */
static int memblock_add_range(struct memblock_type *type, phys_addr_t base,
			      phys_addr_t size, int nid,
			      enum memblock_flags flags)
{
	struct memblock_region *r;
	unsigned long first, last, need, w;
	phys_addr_t end, pos, hi, added = 0;

	if (mb_cap_size(base, &size) == 0) {
		return 0;
	}
	end = base + size;
	r = type->regions;
	first = mb_first_end_above(type, base);
	if (mb_extend_neighbour(type, first, base, end, nid, flags)) {
		return 0;
	}
	for (;;) {
		r = type->regions;
		first = mb_first_end_above(type, base);
		need = 0;
		pos = base;
		for (last = first; last < type->cnt && r[last].base < end;
		     last++) {
			if (r[last].base > pos) {
				need++;
			}
			pos = mb_end(&r[last]);
		}
		if (pos < end) {
			need++;
		}
		if (need == 0) {
			return 0;
		}
		if (type->cnt + need <= type->max) {
			break;
		}
		if (memblock_double_array(type, base, size) < 0) {
			return -ENOMEM;
		}
	}

	/*
	 * Open @need slots after the overlapped regions [first, last), then
	 * refill the span from its top down, gaps between the old regions
	 * becoming new regions:
	 *
	 *   before:  |first ... last-1|..... tail .....|
	 *   after:   |new? first new? ... last-1 new?|..... tail .....|
	 */
	memmove(&r[last + need], &r[last], (type->cnt - last) * sizeof(*r));
	w = last + need;
	hi = end;
	for (unsigned long j = last; j-- > first;) {
		phys_addr_t rend = mb_end(&r[j]);

		if (rend < hi) {
			mb_set(&r[--w], rend, hi - rend, flags, nid);
			added += hi - rend;
		}
		r[--w] = r[j];
		hi = r[j].base;
	}
	if (hi > base) {
		mb_set(&r[--w], base, hi - base, flags, nid);
		added += hi - base;
	}
	type->cnt += need;
	type->total_size += added;
	mb_merge(type, first ? first - 1 : 0, last + need);
	mb_touch();
	return 0;
}

/*
 * Split the regions of @type at @base and @base + @size so that the range
 * is covered by whole regions [*@start_rgn, *@end_rgn). Grows the array
 * only by the slots the splits need (Linux asks for two every time).
 */
static int memblock_isolate_range(struct memblock_type *type, phys_addr_t base,
				  phys_addr_t size, unsigned long *start_rgn,
				  unsigned long *end_rgn)
{
	struct memblock_region *r;
	unsigned long first, last, need;
	phys_addr_t end;

	*start_rgn = 0;
	*end_rgn = 0;
	if (mb_cap_size(base, &size) == 0) {
		return 0;
	}
	end = base + size;
	for (;;) {
		r = type->regions;
		first = mb_first_end_above(type, base);
		last = mb_bsearch(type, end, false, true);
		need = 0;
		if (first < last) {
			need += r[first].base < base;
			need += mb_end(&r[last - 1]) > end;
		}
		if (type->cnt + need <= type->max) {
			break;
		}
		if (memblock_double_array(type, base, size) < 0) {
			return -ENOMEM;
		}
	}
	if (first < last && r[first].base < base) {
		mb_split(type, first, base);
		first++;
		last++;
	}
	if (first < last && mb_end(&r[last - 1]) > end) {
		mb_split(type, last - 1, end);
	}
	*start_rgn = first;
	*end_rgn = last;
	mb_touch();
	return 0;
}

static int memblock_remove_range(struct memblock_type *type, phys_addr_t base,
				 phys_addr_t size)
{
	struct memblock_region *r = type->regions;
	unsigned long start, end;
	int ret;

	/*
	 * A hole strictly inside one region (freeing part of a merged
	 * reservation, say) needs one new slot and one memmove(), not the
	 * two splits and the removal of the general path.
	 */
	start = mb_first_end_above(type, base);
	if (mb_cap_size(base, &size) != 0 && start < type->cnt &&
	    r[start].base < base && mb_end(&r[start]) > base + size &&
	    type->cnt < type->max) {
		mb_split(type, start, base);
		r[start + 1].base = base + size;
		r[start + 1].size -= size;
		type->total_size -= size;
		return 0;
	}
	ret = memblock_isolate_range(type, base, size, &start, &end);
	if (ret == 0) {
		mb_remove_regions(type, start, end);
	}
	return ret;
}

/* Set (@set) or clear @flag on the parts of @type inside the range. */
static int memblock_setclr_flag(struct memblock_type *type, phys_addr_t base,
				phys_addr_t size, bool set,
				enum memblock_flags flag)
{
	unsigned long start, end;
	int ret;

	ret = memblock_isolate_range(type, base, size, &start, &end);
	if (ret != 0) {
		return ret;
	}
	for (unsigned long i = start; i < end; i++) {
		struct memblock_region *r = &type->regions[i];

		r->flags = set ? (r->flags | flag) : (r->flags & ~flag);
	}
	mb_merge(type, start ? start - 1 : 0, end);
	return 0;
}

/*
 * Free-range walks. A gap k of @type_b is the space between its regions
 * k - 1 and k: [end of k - 1 (or 0), base of k (or the top)).
 */
static inline phys_addr_t mb_gap_start(const struct memblock_type *t,
				       unsigned long k)
{
	return k ? mb_end(&t->regions[k - 1]) : 0;
}

static inline phys_addr_t mb_gap_end(const struct memblock_type *t,
				     unsigned long k)
{
	return k < t->cnt ? t->regions[k].base : PHYS_ADDR_MAX;
}

/* Linux's should_skip_region(); there is no movable_node to skip hotplug. */
static bool mb_skip_region(const struct memblock_type *type,
			   const struct memblock_region *m, int nid,
			   enum memblock_flags flags)
{
	/* Only memory regions carry nodes and allocation attributes. */
	if (type != &memblock.memory) {
		return false;
	}
	if (nid != NUMA_NO_NODE && nid != memblock_get_region_node(m)) {
		return true;
	}
	if ((flags & MEMBLOCK_MIRROR) && !memblock_is_mirror(m)) {
		return true;
	}
	if (!(flags & MEMBLOCK_NOMAP) && memblock_is_nomap(m)) {
		return true;
	}
	if (!(flags & MEMBLOCK_DRIVER_MANAGED) &&
	    memblock_is_driver_managed(m)) {
		return true;
	}
	return false;
}

static inline uint64_t mb_idx(uint64_t a, uint64_t b)
{
	return (uint32_t)a | b << 32;
}

static inline void mb_out(phys_addr_t *out_start, phys_addr_t *out_end,
			  int *out_nid, phys_addr_t s, phys_addr_t e, int nid)
{
	if (out_start != NULL) {
		*out_start = s;
	}
	if (out_end != NULL) {
		*out_end = e;
	}
	if (out_nid != NULL) {
		*out_nid = nid;
	}
}

/**
 * __next_mem_range() - next range of @type_a not in @type_b, ascending
 * @idx: walk state: 0 to start, UINT64_MAX when done
 * @nid: node of the @type_a regions to walk, or NUMA_NO_NODE for all
 * @flags: MEMBLOCK_MIRROR: mirrored regions only; MEMBLOCK_NOMAP and
 *	MEMBLOCK_DRIVER_MANAGED: include such regions (skipped otherwise)
 * @type_a: the type walked, usually &memblock.memory
 * @type_b: what to cut out of it, or NULL
 * @out_start: start of the range, or NULL
 * @out_end: end (exclusive) of the range, or NULL
 * @out_nid: node of the range, or NULL
 *
 * Filters by @nid and @flags apply to memblock.memory only, as in Linux.
 * Each time a walk enters a region of @type_a it finds its place in
 * @type_b by binary search, so a walk costs O(log n) per step.
 */
void __next_mem_range(uint64_t *idx, int nid, enum memblock_flags flags,
		      struct memblock_type *type_a,
		      struct memblock_type *type_b, phys_addr_t *out_start,
		      phys_addr_t *out_end, int *out_nid)
{
	unsigned long ia = (uint32_t)*idx, ib = *idx >> 32;

	if (nid == MAX_NUMNODES) {
		nid = NUMA_NO_NODE;
	}
	for (; ia < type_a->cnt; ia++) {
		const struct memblock_region *m = &type_a->regions[ia];
		phys_addr_t m_end = mb_end(m);
		int m_nid = memblock_get_region_node(m);

		if (mb_skip_region(type_a, m, nid, flags)) {
			continue;
		}
		if (type_b == NULL) {
			mb_out(out_start, out_end, out_nid, m->base, m_end,
			       m_nid);
			*idx = mb_idx(ia + 1, ib);
			return;
		}
		if (mb_gap_end(type_b, ib) <= m->base) {
			ib = mb_bsearch(type_b, m->base, false, false);
		}
		for (; ib <= type_b->cnt; ib++) {
			phys_addr_t gs = mb_gap_start(type_b, ib);
			phys_addr_t ge = mb_gap_end(type_b, ib);
			phys_addr_t s = max(m->base, gs), e = min(m_end, ge);

			if (gs >= m_end) {
				break;
			}
			if (s < e) {
				mb_out(out_start, out_end, out_nid, s, e,
				       m_nid);
				/* Advance whichever of the two ends first. */
				if (m_end <= ge) {
					ia++;
				} else {
					ib++;
				}
				*idx = mb_idx(ia, ib);
				return;
			}
		}
	}
	*idx = UINT64_MAX;
}

/**
 * __next_mem_range_rev() - next range of @type_a not in @type_b, descending
 * @idx: walk state: UINT64_MAX to start and again when done
 * @nid: as for __next_mem_range()
 * @flags: as for __next_mem_range()
 * @type_a: the type walked
 * @type_b: what to cut out of it, or NULL
 * @out_start: start of the range, or NULL
 * @out_end: end (exclusive) of the range, or NULL
 * @out_nid: node of the range, or NULL
 */
void __next_mem_range_rev(uint64_t *idx, int nid, enum memblock_flags flags,
			  struct memblock_type *type_a,
			  struct memblock_type *type_b, phys_addr_t *out_start,
			  phys_addr_t *out_end, int *out_nid)
{
	int64_t ia;
	unsigned long ib;

	if (*idx == UINT64_MAX) {
		ia = (int64_t)type_a->cnt - 1;
		ib = type_b != NULL ? type_b->cnt : 0;
	} else {
		ia = (int32_t)(uint32_t)*idx;
		ib = *idx >> 32;
	}
	if (nid == MAX_NUMNODES) {
		nid = NUMA_NO_NODE;
	}
	for (; ia >= 0; ia--) {
		const struct memblock_region *m = &type_a->regions[ia];
		phys_addr_t m_end = mb_end(m);
		int m_nid = memblock_get_region_node(m);

		if (mb_skip_region(type_a, m, nid, flags)) {
			continue;
		}
		if (type_b == NULL) {
			mb_out(out_start, out_end, out_nid, m->base, m_end,
			       m_nid);
			*idx = mb_idx((uint64_t)(ia - 1), ib);
			return;
		}
		if (mb_gap_start(type_b, ib) >= m_end) {
			ib = mb_bsearch(type_b, m_end, true, true);
		}
		for (;; ib--) {
			phys_addr_t gs = mb_gap_start(type_b, ib);
			phys_addr_t ge = mb_gap_end(type_b, ib);
			phys_addr_t s = max(m->base, gs), e = min(m_end, ge);

			if (ge <= m->base) {
				break;
			}
			if (s < e) {
				mb_out(out_start, out_end, out_nid, s, e,
				       m_nid);
				/* Advance whichever of the two starts last. */
				if (m->base >= gs) {
					ia--;
				} else {
					ib--;
				}
				*idx = mb_idx((uint64_t)ia, ib);
				return;
			}
			if (ib == 0) {
				break;
			}
		}
	}
	*idx = UINT64_MAX;
}

/*
 * A free-range walk of memblock that starts at @addr instead of an end:
 * both indices found by binary search. Forward, the walk then yields the
 * free ranges that end above @addr; reversed, those that start below it.
 */
static uint64_t mb_seek_free(phys_addr_t addr, bool rev)
{
	unsigned long k;

	if (!rev) {
		return mb_idx(
		    mb_first_end_above(&memblock.memory, addr),
		    mb_bsearch(&memblock.reserved, addr, false, false));
	}
	k = mb_bsearch(&memblock.memory, addr, false, true);
	if (k == 0) {
		return UINT64_MAX;
	}
	return mb_idx(k - 1, mb_bsearch(&memblock.reserved, addr, true, true));
}

/*
 * Top-down search, Linux's rule (the highest aligned fit in the highest
 * free range that has one) in one tight loop: memory regions from the top
 * below @end, and within each the gaps between reserved regions from the
 * top, both found by binary search. A gap k of reserved is the space
 * between its regions k - 1 and k.
 */
static phys_addr_t mb_find_top_down(phys_addr_t start, phys_addr_t end,
				    phys_addr_t size, phys_addr_t align,
				    int nid, enum memblock_flags flags)
{
	const struct memblock_type *mem = &memblock.memory;
	const struct memblock_type *rsv = &memblock.reserved;
	unsigned long k = mb_bsearch(mem, end, false, true);

	while (k-- > 0) {
		const struct memblock_region *m = &mem->regions[k];
		phys_addr_t lo = max(m->base, start), hi = min(mb_end(m), end);
		unsigned long g;

		if (mb_end(m) <= start) {
			break;
		}
		if (lo >= hi || mb_skip_region(mem, m, nid, flags)) {
			continue;
		}
		for (g = mb_bsearch(rsv, hi, false, true);; g--) {
			phys_addr_t gs = mb_gap_start(rsv, g);
			phys_addr_t s = max(gs, lo);
			phys_addr_t e = min(mb_gap_end(rsv, g), hi);

			if (e < size) {
				return 0; /* every lower range ends lower */
			}
			if (e > s && ALIGN_DOWN(e - size, align) >= s) {
				return ALIGN_DOWN(e - size, align);
			}
			if (gs <= lo || g == 0) {
				break;
			}
		}
	}
	return 0;
}

static phys_addr_t mb_find_bottom_up(phys_addr_t start, phys_addr_t end,
				     phys_addr_t size, phys_addr_t align,
				     int nid, enum memblock_flags flags)
{
	uint64_t i = mb_seek_free(start, false);
	phys_addr_t s, e, cand;

	for (;;) {
		__next_mem_range(&i, nid, flags, &memblock.memory,
				 &memblock.reserved, &s, &e, NULL);
		if (i == UINT64_MAX || s >= end) {
			break;
		}
		s = max(s, start);
		e = min(e, end);
		cand = ALIGN_UP(s, align);
		if (cand < s) {
			break; /* Rounding passed the top. */
		}
		if (cand < e && e - cand >= size) {
			return cand;
		}
	}
	return 0;
}

/* Linux's rules for the range an allocation searches. */
static void mb_pump_range(phys_addr_t *start, phys_addr_t *end)
{
	if (*end == MEMBLOCK_ALLOC_ACCESSIBLE ||
	    *end == MEMBLOCK_ALLOC_NOLEAKTRACE) {
		*end = memblock.current_limit;
	}
	/* Never hand out the first page, so that 0 can mean failure. */
	*start = max(*start, PAGE_SIZE);
	*end = max(*start, *end);
}

static bool mb_hint_applies(const struct memblock_hint *h, phys_addr_t size,
			    phys_addr_t align, phys_addr_t start,
			    phys_addr_t end, int nid, enum memblock_flags flags)
{
	return h->valid && h->gen == mb_state.gen &&
	       h->bottom_up == memblock.bottom_up && h->nid == nid &&
	       h->flags == flags && start >= h->start && end <= h->end &&
	       size >= h->size && align >= h->align &&
	       h->mem_cnt == memblock.memory.cnt &&
	       h->rsv_cnt == memblock.reserved.cnt &&
	       h->mem_total == memblock.memory.total_size &&
	       h->rsv_total == memblock.reserved.total_size &&
	       h->mem_regions == memblock.memory.regions &&
	       h->rsv_regions == memblock.reserved.regions;
}

/* The search behind every allocation; @align is a power of two. */
static phys_addr_t mb_find(phys_addr_t size, phys_addr_t align,
			   phys_addr_t start, phys_addr_t end, int nid,
			   enum memblock_flags flags)
{
	mb_pump_range(&start, &end);
	if (nid == MAX_NUMNODES) {
		nid = NUMA_NO_NODE;
	}
	if (mb_hint_applies(&mb_state.hint, size, align, start, end, nid,
			    flags)) {
		if (memblock.bottom_up) {
			start = max(start, mb_state.hint.bound);
			end = max(start, end);
		} else {
			end = min(end, mb_state.hint.bound);
		}
	}
	if (memblock.bottom_up) {
		return mb_find_bottom_up(start, end, size, align, nid, flags);
	}
	return mb_find_top_down(start, end, size, align, nid, flags);
}

/* Remember that the allocation at @found was the first fit of its kind. */
static void mb_hint_record(phys_addr_t found, phys_addr_t size,
			   phys_addr_t align, phys_addr_t start,
			   phys_addr_t end, int nid, enum memblock_flags flags)
{
	struct memblock_hint *h = &mb_state.hint;

	mb_pump_range(&start, &end);
	*h = (struct memblock_hint){
	    .valid = true,
	    .bottom_up = memblock.bottom_up,
	    .nid = nid == MAX_NUMNODES ? NUMA_NO_NODE : nid,
	    .flags = flags,
	    .gen = mb_state.gen,
	    .start = start,
	    .end = end,
	    .size = size,
	    .align = align,
	    .bound = memblock.bottom_up ? found + size : found,
	    .mem_cnt = memblock.memory.cnt,
	    .rsv_cnt = memblock.reserved.cnt,
	    .mem_total = memblock.memory.total_size,
	    .rsv_total = memblock.reserved.total_size,
	    .mem_regions = memblock.memory.regions,
	    .rsv_regions = memblock.reserved.regions,
	};
}

/* Linux's memblock_find_in_range(): any node, mirrored memory first. */
static phys_addr_t mb_find_any(phys_addr_t size, phys_addr_t align,
			       phys_addr_t start, phys_addr_t end)
{
	phys_addr_t found = 0;

	if (mb_state.has_mirror) {
		found = mb_find(size, align, start, end, NUMA_NO_NODE,
				MEMBLOCK_MIRROR);
	}
	if (found == 0) {
		found = mb_find(size, align, start, end, NUMA_NO_NODE,
				MEMBLOCK_NONE);
	}
	return found;
}

/*
 * Double the array of @type, with the new array allocated from memblock
 * outside [@excl_base, @excl_base + @excl_size) (the range being added or
 * split, which is not free yet or about to change) and reserved. The old
 * array is freed unless it is the static one.
 */
static int memblock_double_array(struct memblock_type *type,
				 phys_addr_t excl_base, phys_addr_t excl_size)
{
	struct memblock_region *old_array = type->regions, *new_array;
	phys_addr_t old_size, new_size, old_alloc, new_alloc, addr;
	phys_addr_t excl_end;
	bool old_static;

	if (!mb_state.can_resize) {
		pr_err(
		    "memblock: %s array is full (%lu regions): raise "
		    "INIT_MEMBLOCK_REGIONS or call memblock_allow_resize()\n",
		    type->name, type->max);
		return -ENOMEM;
	}
	if (mb_state.allocator_off) {
		pr_err("memblock: %s array is full after memblock_free_all()\n",
		       type->name);
		return -ENOMEM;
	}
	old_size = type->max * sizeof(struct memblock_region);
	new_size = old_size * 2;
	old_alloc = ALIGN_UP(old_size, PAGE_SIZE);
	new_alloc = ALIGN_UP(new_size, PAGE_SIZE);
	excl_end = excl_base + mb_cap_size(excl_base, &excl_size);

	addr =
	    mb_find_any(new_alloc, PAGE_SIZE, excl_end, memblock.current_limit);
	if (addr == 0 && excl_base > PAGE_SIZE) {
		addr = mb_find_any(new_alloc, PAGE_SIZE, 0,
				   min(excl_base, memblock.current_limit));
	}
	if (addr == 0) {
		pr_err("memblock: failed to double %s array from %lu to %lu "
		       "regions\n",
		       type->name, type->max, type->max * 2);
		return -ENOMEM;
	}
	/*
	 * Reserving the new memory array may grow the reserved array (which
	 * then keeps clear of it); a new reserved array can only be reserved
	 * once it is in place, where it has room.
	 */
	if (type != &memblock.reserved &&
	    memblock_add_range(&memblock.reserved, addr, new_alloc,
			       MAX_NUMNODES, MEMBLOCK_NONE) != 0) {
		return -ENOMEM;
	}
	new_array = arch_phys_to_virt(addr);
	memcpy(new_array, old_array, old_size);
	memset(new_array + type->max, 0, old_size);
	type->regions = new_array;
	type->max *= 2;
	mb_state.resizes++;
	mb_touch();
	memblock_dbg(
	    "memblock: %s array is doubled to %lu at [0x%016llx-0x%016llx]\n",
	    type->name, type->max, ull(addr), ull(addr + new_alloc - 1));

	old_static = old_array == memblock_memory_init_regions ||
		     old_array == memblock_reserved_init_regions;
	if (type == &memblock.reserved &&
	    memblock_add_range(type, addr, new_alloc, MAX_NUMNODES,
			       MEMBLOCK_NONE) != 0) {
		panic("memblock_double_array: cannot reserve the new array");
	}
	if (!old_static && memblock_remove_range(&memblock.reserved,
						 arch_virt_to_phys(old_array),
						 old_alloc) != 0) {
		pr_warn("memblock: old %s array not freed\n", type->name);
	}
	return 0;
}

/**
 * memblock_add_node() - add new memory on a node
 * @base: first address
 * @size: bytes; capped at the top of the address space
 * @nid: node id
 * @flags: flags of the new memory
 *
 * Parts already in memblock.memory keep their node and flags.
 * Return: 0, or -ENOMEM if the memory array is full.
 */
int memblock_add_node(phys_addr_t base, phys_addr_t size, int nid,
		      enum memblock_flags flags)
{
	memblock_dbg("memblock_add_node: [0x%016llx-0x%016llx] nid=%d "
		     "flags=%#x caller %p\n",
		     ull(base), ull(base + size - 1), nid, (unsigned int)flags,
		     MB_CALLER);
	return memblock_add_range(&memblock.memory, base, size, nid, flags);
}

/**
 * memblock_add() - add new memory, node unknown (MAX_NUMNODES)
 * @base: first address
 * @size: bytes; capped at the top of the address space
 *
 * Return: 0, or -ENOMEM if the memory array is full.
 */
int memblock_add(phys_addr_t base, phys_addr_t size)
{
	mb_trace("memblock_add", base, size, MB_CALLER);
	return memblock_add_range(&memblock.memory, base, size, MAX_NUMNODES,
				  MEMBLOCK_NONE);
}

/**
 * memblock_remove() - remove a range from memblock.memory
 * @base: first address
 * @size: bytes
 *
 * Regions partly inside the range are split. Reservations stay.
 * Return: 0, or -ENOMEM if a split needs a slot the array cannot give.
 */
int memblock_remove(phys_addr_t base, phys_addr_t size)
{
	mb_trace("memblock_remove", base, size, MB_CALLER);
	return memblock_remove_range(&memblock.memory, base, size);
}

/**
 * memblock_reserve() - mark a range as in use
 * @base: first address
 * @size: bytes; capped at the top of the address space
 *
 * The range need not be memory. Return: 0, or -ENOMEM.
 */
int memblock_reserve(phys_addr_t base, phys_addr_t size)
{
	mb_trace("memblock_reserve", base, size, MB_CALLER);
	return memblock_add_range(&memblock.reserved, base, size, MAX_NUMNODES,
				  MEMBLOCK_NONE);
}

/**
 * memblock_phys_free() - free a reservation
 * @base: first address
 * @size: bytes
 *
 * Return: 0, or -ENOMEM if a split needs a slot the array cannot give.
 */
int memblock_phys_free(phys_addr_t base, phys_addr_t size)
{
	mb_trace("memblock_phys_free", base, size, MB_CALLER);
	return memblock_remove_range(&memblock.reserved, base, size);
}

/**
 * memblock_free() - free a reservation given by its virtual address
 * @ptr: what a memblock_alloc*() returned (NULL: nothing happens)
 * @size: bytes
 */
void memblock_free(void *ptr, size_t size)
{
	phys_addr_t base;

	if (ptr == NULL) {
		return;
	}
	base = arch_virt_to_phys(ptr);
	mb_trace("memblock_free", base, size, MB_CALLER);
	memblock_remove_range(&memblock.reserved, base, size);
}

/**
 * memblock_mark_hotplug() - flag memory as hot-pluggable
 * @base: first address
 * @size: bytes
 *
 * Return: 0, or -ENOMEM if a split needs a slot the array cannot give.
 */
int memblock_mark_hotplug(phys_addr_t base, phys_addr_t size)
{
	mb_trace("memblock_mark_hotplug", base, size, MB_CALLER);
	return memblock_setclr_flag(&memblock.memory, base, size, true,
				    MEMBLOCK_HOTPLUG);
}

/**
 * memblock_clear_hotplug() - clear MEMBLOCK_HOTPLUG on memory
 * @base: first address
 * @size: bytes
 *
 * Return: 0, or -ENOMEM.
 */
int memblock_clear_hotplug(phys_addr_t base, phys_addr_t size)
{
	mb_trace("memblock_clear_hotplug", base, size, MB_CALLER);
	return memblock_setclr_flag(&memblock.memory, base, size, false,
				    MEMBLOCK_HOTPLUG);
}

/**
 * memblock_mark_mirror() - flag memory as mirrored
 * @base: first address
 * @size: bytes
 *
 * From then on every allocation tries mirrored memory first (Linux does so
 * with kernelcore=mirror, which Cairn has no switch for).
 * Return: 0, or -ENOMEM.
 */
int memblock_mark_mirror(phys_addr_t base, phys_addr_t size)
{
	mb_trace("memblock_mark_mirror", base, size, MB_CALLER);
	mb_state.has_mirror = true;
	return memblock_setclr_flag(&memblock.memory, base, size, true,
				    MEMBLOCK_MIRROR);
}

/**
 * memblock_mark_nomap() - flag memory as not to be mapped
 * @base: first address
 * @size: bytes
 *
 * NOMAP memory stays memory but is never allocated from, and
 * memblock_is_map_memory() is false for it.
 * Return: 0, or -ENOMEM.
 */
int memblock_mark_nomap(phys_addr_t base, phys_addr_t size)
{
	mb_trace("memblock_mark_nomap", base, size, MB_CALLER);
	return memblock_setclr_flag(&memblock.memory, base, size, true,
				    MEMBLOCK_NOMAP);
}

/**
 * memblock_clear_nomap() - clear MEMBLOCK_NOMAP on memory
 * @base: first address
 * @size: bytes
 *
 * Return: 0, or -ENOMEM.
 */
int memblock_clear_nomap(phys_addr_t base, phys_addr_t size)
{
	mb_trace("memblock_clear_nomap", base, size, MB_CALLER);
	return memblock_setclr_flag(&memblock.memory, base, size, false,
				    MEMBLOCK_NOMAP);
}

/**
 * memblock_reserved_mark_noinit() - flag reservations MEMBLOCK_RSRV_NOINIT
 * @base: first address
 * @size: bytes
 *
 * Return: 0, or -ENOMEM.
 */
int memblock_reserved_mark_noinit(phys_addr_t base, phys_addr_t size)
{
	mb_trace("memblock_reserved_mark_noinit", base, size, MB_CALLER);
	return memblock_setclr_flag(&memblock.reserved, base, size, true,
				    MEMBLOCK_RSRV_NOINIT);
}

/**
 * memblock_set_node() - set the node of the regions of a range
 * @base: first address
 * @size: bytes
 * @type: &memblock.memory or &memblock.reserved
 * @nid: the node
 *
 * Return: 0, or -ENOMEM if a split needs a slot the array cannot give.
 */
int memblock_set_node(phys_addr_t base, phys_addr_t size,
		      struct memblock_type *type, int nid)
{
	unsigned long start, end;
	int ret;

	memblock_dbg(
	    "memblock_set_node: [0x%016llx-0x%016llx] %s nid=%d caller %p\n",
	    ull(base), ull(base + size - 1), type->name, nid, MB_CALLER);
	ret = memblock_isolate_range(type, base, size, &start, &end);
	if (ret != 0) {
		return ret;
	}
	for (unsigned long i = start; i < end; i++) {
		memblock_set_region_node(&type->regions[i], nid);
	}
	mb_merge(type, start ? start - 1 : 0, end);
	return 0;
}

/**
 * memblock_find_in_range_node() - find free memory, without reserving it
 * @size: bytes
 * @align: alignment, a power of two (0: SMP_CACHE_BYTES)
 * @start: lowest address (the first page is never returned)
 * @end: limit, or MEMBLOCK_ALLOC_ACCESSIBLE for memblock.current_limit
 * @nid: node, or NUMA_NO_NODE
 * @flags: MEMBLOCK_MIRROR for mirrored memory only, else MEMBLOCK_NONE
 *
 * Searches top-down unless memblock_bottom_up(). Unlike the alloc
 * functions it has no fallbacks.
 * Return: the start of the free range found, or 0.
 */
phys_addr_t memblock_find_in_range_node(phys_addr_t size, phys_addr_t align,
					phys_addr_t start, phys_addr_t end,
					int nid, enum memblock_flags flags)
{
	if (align == 0) {
		align = SMP_CACHE_BYTES;
	}
	if (size == 0 || !mb_is_pow2(align)) {
		return 0;
	}
	return mb_find(size, align, start, end, nid, flags);
}

/* Find and reserve; 0 if either fails. Feeds the hint. */
static phys_addr_t mb_find_reserve(phys_addr_t size, phys_addr_t align,
				   phys_addr_t start, phys_addr_t end, int nid,
				   enum memblock_flags flags)
{
	phys_addr_t found = mb_find(size, align, start, end, nid, flags);
	uint32_t resizes = mb_state.resizes;

	if (found == 0 ||
	    memblock_add_range(&memblock.reserved, found, size, MAX_NUMNODES,
			       MEMBLOCK_NONE) != 0) {
		return 0;
	}
	/* A doubling freed the old array: that space was not searched. */
	if (resizes == mb_state.resizes) {
		mb_hint_record(found, size, align, start, end, nid, flags);
	}
	return found;
}

/* The allocator off or a bad request: log it, naming the caller. */
static bool mb_alloc_refused(phys_addr_t size, phys_addr_t *align,
			     const void *caller)
{
	if (mb_state.allocator_off) {
		pr_err("memblock: allocation of %llu bytes after "
		       "memblock_free_all(), caller %p\n",
		       ull(size), caller);
		return true;
	}
	if (size == 0) {
		return true;
	}
	if (*align == 0) {
		pr_warn("memblock: alignment 0 from caller %p, using %u\n",
			caller, (unsigned int)SMP_CACHE_BYTES);
		*align = SMP_CACHE_BYTES;
	}
	if (!mb_is_pow2(*align)) {
		pr_err("memblock: alignment %#llx is not a power of two, "
		       "caller %p\n",
		       ull(*align), caller);
		return true;
	}
	return false;
}

/* memblock_alloc_range_nid() after the checks: the Linux fallbacks. */
static phys_addr_t mb_alloc_range(phys_addr_t size, phys_addr_t align,
				  phys_addr_t start, phys_addr_t end, int nid,
				  bool exact_nid)
{
	enum memblock_flags flags =
	    mb_state.has_mirror ? MEMBLOCK_MIRROR : MEMBLOCK_NONE;
	phys_addr_t found;

	if (nid == MAX_NUMNODES) {
		nid = NUMA_NO_NODE;
	}
	for (;;) {
		found = mb_find_reserve(size, align, start, end, nid, flags);
		if (found != 0) {
			return found;
		}
		if (nid != NUMA_NO_NODE && !exact_nid) {
			found = mb_find_reserve(size, align, start, end,
						NUMA_NO_NODE, flags);
			if (found != 0) {
				return found;
			}
		}
		if (!(flags & MEMBLOCK_MIRROR)) {
			return 0;
		}
		pr_warn("memblock: could not allocate %llu bytes of mirrored "
			"memory\n",
			ull(size));
		flags &= ~MEMBLOCK_MIRROR;
	}
}

/**
 * memblock_alloc_range_nid() - allocate and reserve physical memory
 * @size: bytes
 * @align: alignment, a power of two (0: SMP_CACHE_BYTES, with a warning)
 * @start: lowest address
 * @end: limit, or MEMBLOCK_ALLOC_ACCESSIBLE for memblock.current_limit
 * @nid: preferred node, or NUMA_NO_NODE
 * @exact_nid: do not fall back to other nodes
 *
 * Tries mirrored memory first if any was marked, then any memory; on each
 * the node @nid, then (unless @exact_nid) every node.
 * Return: the physical address, or 0.
 */
phys_addr_t memblock_alloc_range_nid(phys_addr_t size, phys_addr_t align,
				     phys_addr_t start, phys_addr_t end,
				     int nid, bool exact_nid)
{
	mb_trace_alloc("memblock_alloc_range_nid", size, align, start, end, nid,
		       MB_CALLER);
	if (mb_alloc_refused(size, &align, MB_CALLER)) {
		return 0;
	}
	return mb_alloc_range(size, align, start, end, nid, exact_nid);
}

/**
 * memblock_phys_alloc_range() - allocate physical memory in a range
 * @size: bytes
 * @align: alignment, a power of two (0: SMP_CACHE_BYTES, with a warning)
 * @start: lowest address
 * @end: limit, or MEMBLOCK_ALLOC_ACCESSIBLE for memblock.current_limit
 *
 * Return: the physical address, or 0.
 */
phys_addr_t memblock_phys_alloc_range(phys_addr_t size, phys_addr_t align,
				      phys_addr_t start, phys_addr_t end)
{
	mb_trace_alloc("memblock_phys_alloc_range", size, align, start, end,
		       NUMA_NO_NODE, MB_CALLER);
	if (mb_alloc_refused(size, &align, MB_CALLER)) {
		return 0;
	}
	return mb_alloc_range(size, align, start, end, NUMA_NO_NODE, false);
}

/**
 * memblock_phys_alloc_try_nid() - allocate physical memory, node preferred
 * @size: bytes
 * @align: alignment, a power of two (0: SMP_CACHE_BYTES, with a warning)
 * @nid: preferred node, or NUMA_NO_NODE
 *
 * Return: the physical address below memblock.current_limit, or 0.
 */
phys_addr_t memblock_phys_alloc_try_nid(phys_addr_t size, phys_addr_t align,
					int nid)
{
	mb_trace_alloc("memblock_phys_alloc_try_nid", size, align, 0,
		       MEMBLOCK_ALLOC_ACCESSIBLE, nid, MB_CALLER);
	if (mb_alloc_refused(size, &align, MB_CALLER)) {
		return 0;
	}
	return mb_alloc_range(size, align, 0, MEMBLOCK_ALLOC_ACCESSIBLE, nid,
			      false);
}

/*
 * The virtual allocations: below current_limit always, at or above
 * @min_addr if possible, else anywhere below.
 */
static void *mb_alloc_internal(phys_addr_t size, phys_addr_t align,
			       phys_addr_t min_addr, phys_addr_t max_addr,
			       int nid, bool exact_nid, bool zero,
			       const void *caller)
{
	phys_addr_t found;
	void *ptr;

	if (mb_alloc_refused(size, &align, caller)) {
		return NULL;
	}
	max_addr = min(max_addr, memblock.current_limit);
	found = mb_alloc_range(size, align, min_addr, max_addr, nid, exact_nid);
	if (found == 0 && min_addr != 0) {
		found =
		    mb_alloc_range(size, align, 0, max_addr, nid, exact_nid);
	}
	if (found == 0) {
		return NULL;
	}
	ptr = arch_phys_to_virt(found);
	if (zero) {
		memset(ptr, 0, size);
	}
	return ptr;
}

/**
 * memblock_alloc_exact_nid_raw() - allocate on exactly one node, not zeroed
 * @size: bytes
 * @align: alignment, a power of two (0: SMP_CACHE_BYTES, with a warning)
 * @min_addr: preferred lowest address (dropped if nothing fits above it)
 * @max_addr: limit, or MEMBLOCK_ALLOC_ACCESSIBLE; capped at current_limit
 * @nid: the node
 *
 * Return: the virtual address, or NULL.
 */
void *memblock_alloc_exact_nid_raw(phys_addr_t size, phys_addr_t align,
				   phys_addr_t min_addr, phys_addr_t max_addr,
				   int nid)
{
	mb_trace_alloc("memblock_alloc_exact_nid_raw", size, align, min_addr,
		       max_addr, nid, MB_CALLER);
	return mb_alloc_internal(size, align, min_addr, max_addr, nid, true,
				 false, MB_CALLER);
}

/**
 * memblock_alloc_try_nid_raw() - allocate, node preferred, not zeroed
 * @size: bytes
 * @align: alignment, a power of two (0: SMP_CACHE_BYTES, with a warning)
 * @min_addr: preferred lowest address (dropped if nothing fits above it)
 * @max_addr: limit, or MEMBLOCK_ALLOC_ACCESSIBLE; capped at current_limit
 * @nid: preferred node, or NUMA_NO_NODE
 *
 * Return: the virtual address, or NULL.
 */
void *memblock_alloc_try_nid_raw(phys_addr_t size, phys_addr_t align,
				 phys_addr_t min_addr, phys_addr_t max_addr,
				 int nid)
{
	mb_trace_alloc("memblock_alloc_try_nid_raw", size, align, min_addr,
		       max_addr, nid, MB_CALLER);
	return mb_alloc_internal(size, align, min_addr, max_addr, nid, false,
				 false, MB_CALLER);
}

/**
 * memblock_alloc_try_nid() - allocate zeroed memory, node preferred
 * @size: bytes
 * @align: alignment, a power of two (0: SMP_CACHE_BYTES, with a warning)
 * @min_addr: preferred lowest address (dropped if nothing fits above it)
 * @max_addr: limit, or MEMBLOCK_ALLOC_ACCESSIBLE; capped at current_limit
 * @nid: preferred node, or NUMA_NO_NODE
 *
 * Return: the virtual address of @size zero bytes, or NULL.
 */
void *memblock_alloc_try_nid(phys_addr_t size, phys_addr_t align,
			     phys_addr_t min_addr, phys_addr_t max_addr,
			     int nid)
{
	mb_trace_alloc("memblock_alloc_try_nid", size, align, min_addr,
		       max_addr, nid, MB_CALLER);
	return mb_alloc_internal(size, align, min_addr, max_addr, nid, false,
				 true, MB_CALLER);
}

/**
 * memblock_allow_resize() - let the arrays grow past their static size
 *
 * Call once memblock describes enough memory to allocate the new arrays
 * from (on the kernel: mapped memory below current_limit).
 */
void memblock_allow_resize(void)
{
	mb_state.can_resize = true;
}

/**
 * memblock_set_bottom_up() - choose the allocation direction
 * @enable: true to allocate upwards from low addresses
 */
void memblock_set_bottom_up(bool enable)
{
	memblock.bottom_up = enable;
}

/**
 * memblock_bottom_up() - the allocation direction
 *
 * Return: true if allocations go upwards from low addresses.
 */
bool memblock_bottom_up(void)
{
	return memblock.bottom_up;
}

/**
 * memblock_set_current_limit() - limit MEMBLOCK_ALLOC_ACCESSIBLE allocations
 * @limit: the highest end (exclusive) such allocations may have
 */
void memblock_set_current_limit(phys_addr_t limit)
{
	memblock_dbg("memblock_set_current_limit: 0x%016llx caller %p\n",
		     ull(limit), MB_CALLER);
	memblock.current_limit = limit;
}

/**
 * memblock_get_current_limit() - the current allocation limit
 *
 * Return: memblock.current_limit.
 */
phys_addr_t memblock_get_current_limit(void)
{
	return memblock.current_limit;
}

/* The address below which the first @limit bytes of memory lie. */
static phys_addr_t mb_find_max_addr(phys_addr_t limit)
{
	const struct memblock_region *r;

	for_each_mem_region(r)
	{
		if (limit <= r->size) {
			return r->base + limit;
		}
		limit -= r->size;
	}
	return PHYS_ADDR_MAX;
}

/**
 * memblock_enforce_memory_limit() - keep only the first bytes of memory
 * @memory_limit: bytes of memory to keep (0: no limit)
 *
 * Memory and reservations above the address where the first
 * @memory_limit bytes of memory end are removed (Linux's mem=).
 */
void memblock_enforce_memory_limit(phys_addr_t memory_limit)
{
	phys_addr_t max_addr;

	memblock_dbg("memblock_enforce_memory_limit: %#llx caller %p\n",
		     ull(memory_limit), MB_CALLER);
	if (memory_limit == 0) {
		return;
	}
	max_addr = mb_find_max_addr(memory_limit);
	if (max_addr == PHYS_ADDR_MAX) {
		return;
	}
	memblock_remove_range(&memblock.memory, max_addr, PHYS_ADDR_MAX);
	memblock_remove_range(&memblock.reserved, max_addr, PHYS_ADDR_MAX);
}

/**
 * memblock_cap_memory_range() - keep only one range of mapped memory
 * @base: first address to keep
 * @size: bytes to keep (0: nothing happens)
 *
 * Memory outside the range is removed except NOMAP regions, reservations
 * outside it are removed. Unlike Linux, regions split at the range's ends
 * merge again where their attributes allow.
 */
void memblock_cap_memory_range(phys_addr_t base, phys_addr_t size)
{
	struct memblock_type *type = &memblock.memory;
	struct memblock_region *r;
	unsigned long start, end, w = 0;

	mb_trace("memblock_cap_memory_range", base, size, MB_CALLER);
	if (size == 0) {
		return;
	}
	if (type->total_size == 0) {
		pr_warn(
		    "memblock_cap_memory_range: no memory registered yet\n");
		return;
	}
	if (memblock_isolate_range(type, base, size, &start, &end) != 0) {
		return;
	}
	r = type->regions;
	type->total_size = 0;
	for (unsigned long i = 0; i < type->cnt; i++) {
		if ((i >= start && i < end) || memblock_is_nomap(&r[i])) {
			r[w++] = r[i];
			type->total_size += r[i].size;
		}
	}
	type->cnt = w;
	if (w == 0) {
		memset(&r[0], 0, sizeof(r[0]));
	}
	mb_merge(type, 0, type->cnt);
	mb_touch();
	mb_cap_size(base, &size);
	memblock_remove_range(&memblock.reserved, 0, base);
	memblock_remove_range(&memblock.reserved, base + size, PHYS_ADDR_MAX);
}

/**
 * memblock_mem_limit_remove_map() - keep only the first bytes of memory,
 *	except NOMAP memory
 * @limit: bytes of memory to keep (0: no limit)
 */
void memblock_mem_limit_remove_map(phys_addr_t limit)
{
	phys_addr_t max_addr;

	memblock_dbg("memblock_mem_limit_remove_map: %#llx caller %p\n",
		     ull(limit), MB_CALLER);
	if (limit == 0) {
		return;
	}
	max_addr = mb_find_max_addr(limit);
	if (max_addr == PHYS_ADDR_MAX) {
		return;
	}
	memblock_cap_memory_range(0, max_addr);
}

/**
 * memblock_trim_memory() - round every memory region inwards to @align
 * @align: a power of two
 *
 * Regions left empty are removed. Unlike Linux, total_size follows.
 */
void memblock_trim_memory(phys_addr_t align)
{
	struct memblock_type *type = &memblock.memory;
	struct memblock_region *r = type->regions;
	unsigned long w = 0;

	memblock_dbg("memblock_trim_memory: %#llx caller %p\n", ull(align),
		     MB_CALLER);
	if (!mb_is_pow2(align)) {
		return;
	}
	type->total_size = 0;
	for (unsigned long i = 0; i < type->cnt; i++) {
		phys_addr_t start = ALIGN_UP(r[i].base, align);
		phys_addr_t end = ALIGN_DOWN(mb_end(&r[i]), align);

		if (start < r[i].base || start >= end) {
			continue;
		}
		r[w] = r[i];
		r[w].base = start;
		r[w].size = end - start;
		type->total_size += end - start;
		w++;
	}
	type->cnt = w;
	if (w == 0) {
		memset(&r[0], 0, sizeof(r[0]));
	}
	mb_touch();
}

/**
 * memblock_phys_mem_size() - bytes of memory
 *
 * Return: memblock.memory.total_size.
 */
phys_addr_t memblock_phys_mem_size(void)
{
	return memblock.memory.total_size;
}

/**
 * memblock_reserved_size() - bytes reserved
 *
 * Return: memblock.reserved.total_size.
 */
phys_addr_t memblock_reserved_size(void)
{
	return memblock.reserved.total_size;
}

/**
 * memblock_start_of_DRAM() - lowest memory address
 *
 * Return: the base of the first memory region (0 if there is none).
 */
phys_addr_t memblock_start_of_DRAM(void)
{
	return memblock.memory.regions[0].base;
}

/**
 * memblock_end_of_DRAM() - end of memory
 *
 * Return: the end (exclusive) of the last memory region, 0 if none.
 */
phys_addr_t memblock_end_of_DRAM(void)
{
	const struct memblock_type *t = &memblock.memory;

	return t->cnt ? mb_end(&t->regions[t->cnt - 1]) : 0;
}

/**
 * memblock_is_memory() - whether @addr is memory
 * @addr: physical address
 *
 * Return: true if a memory region holds @addr.
 */
bool memblock_is_memory(phys_addr_t addr)
{
	return memblock_search(&memblock.memory, addr) != -1;
}

/**
 * memblock_is_map_memory() - whether @addr is memory that may be mapped
 * @addr: physical address
 *
 * Return: true if a memory region without MEMBLOCK_NOMAP holds @addr.
 */
bool memblock_is_map_memory(phys_addr_t addr)
{
	int64_t i = memblock_search(&memblock.memory, addr);

	return i != -1 && !memblock_is_nomap(&memblock.memory.regions[i]);
}

/**
 * memblock_is_region_memory() - whether a range lies in one memory region
 * @base: first address
 * @size: bytes, capped at the top of the address space
 *
 * Return: true if a single memory region covers the whole range.
 */
bool memblock_is_region_memory(phys_addr_t base, phys_addr_t size)
{
	int64_t i = memblock_search(&memblock.memory, base);

	if (i == -1) {
		return false;
	}
	mb_cap_size(base, &size);
	return mb_end(&memblock.memory.regions[i]) >= base + size;
}

/**
 * memblock_is_reserved() - whether @addr is reserved
 * @addr: physical address
 *
 * Return: true if a reserved region holds @addr.
 */
bool memblock_is_reserved(phys_addr_t addr)
{
	return memblock_search(&memblock.reserved, addr) != -1;
}

/**
 * memblock_overlaps_region() - whether a range meets a region of @type
 * @type: the type to check
 * @base: first address
 * @size: bytes, capped at the top of the address space
 *
 * As in Linux, a region overlaps if base < its end and its base <
 * base + size, so an empty range strictly inside a region counts.
 * Return: true if a region of @type overlaps the range.
 */
bool memblock_overlaps_region(struct memblock_type *type, phys_addr_t base,
			      phys_addr_t size)
{
	unsigned long k;

	mb_cap_size(base, &size);
	k = mb_first_end_above(type, base);
	return k < type->cnt && type->regions[k].base < base + size;
}

/**
 * memblock_is_region_reserved() - whether a range meets a reservation
 * @base: first address
 * @size: bytes
 *
 * Return: true if any reserved region overlaps the range.
 */
bool memblock_is_region_reserved(phys_addr_t base, phys_addr_t size)
{
	return memblock_overlaps_region(&memblock.reserved, base, size);
}

/**
 * memblock_search_pfn_nid() - the memory region holding a page frame
 * @pfn: the page frame number
 * @start_pfn: set to the region's first page frame (rounded down)
 * @end_pfn: set to the region's end page frame (rounded down)
 *
 * Return: the region's node, or NUMA_NO_NODE if @pfn is not memory.
 */
int memblock_search_pfn_nid(unsigned long pfn, unsigned long *start_pfn,
			    unsigned long *end_pfn)
{
	const struct memblock_type *t = &memblock.memory;
	int64_t i = memblock_search(t, PFN_PHYS(pfn));

	if (i == -1) {
		return NUMA_NO_NODE;
	}
	*start_pfn = PFN_DOWN(t->regions[i].base);
	*end_pfn = PFN_DOWN(mb_end(&t->regions[i]));
	return memblock_get_region_node(&t->regions[i]);
}

/**
 * __next_mem_pfn_range() - next memory region with whole page frames
 * @idx: walk state: -1 to start, -1 again when done
 * @nid: node, or NUMA_NO_NODE (or MAX_NUMNODES) for all
 * @out_start_pfn: first whole page frame, or NULL
 * @out_end_pfn: end page frame (exclusive), or NULL
 * @out_nid: node of the region, or NULL
 */
void __next_mem_pfn_range(int *idx, int nid, unsigned long *out_start_pfn,
			  unsigned long *out_end_pfn, int *out_nid)
{
	const struct memblock_type *t = &memblock.memory;
	const struct memblock_region *r = NULL;

	while ((unsigned long)++*idx < t->cnt) {
		r = &t->regions[*idx];
		if (PFN_UP(r->base) >= PFN_DOWN(mb_end(r))) {
			continue;
		}
		if (nid == NUMA_NO_NODE || nid == MAX_NUMNODES ||
		    nid == memblock_get_region_node(r)) {
			break;
		}
	}
	if ((unsigned long)*idx >= t->cnt) {
		*idx = -1;
		return;
	}
	if (out_start_pfn != NULL) {
		*out_start_pfn = PFN_UP(r->base);
	}
	if (out_end_pfn != NULL) {
		*out_end_pfn = PFN_DOWN(mb_end(r));
	}
	if (out_nid != NULL) {
		*out_nid = memblock_get_region_node(r);
	}
}

/**
 * memblock_set_free_pages() - register the page allocator's intake
 * @fn: called by memblock_free_all() and memblock_free_late() with whole
 *	free pages [base, base + size); NULL: only count them
 */
void memblock_set_free_pages(memblock_free_pages_fn fn)
{
	mb_state.free_pages = fn;
}

/* Hand the whole pages of [@start, @end) over; return how many. */
static uint64_t mb_free_pages(phys_addr_t start, phys_addr_t end)
{
	uint64_t spfn = PFN_UP(start), epfn = PFN_DOWN(end);

	if (spfn >= epfn) {
		return 0;
	}
	if (mb_state.free_pages != NULL) {
		mb_state.free_pages(PFN_PHYS(spfn), PFN_PHYS(epfn - spfn));
	}
	return epfn - spfn;
}

/**
 * memblock_free_all() - release free memory to the page allocator
 *
 * Every free range (memory, not NOMAP or driver-managed, not reserved)
 * goes as whole pages to the function given to memblock_set_free_pages().
 * Then the allocator part is off: later memblock allocations fail with an
 * error naming their caller, while the regions stay queryable.
 * Return: the number of pages handed over.
 */
uint64_t memblock_free_all(void)
{
	phys_addr_t start, end;
	uint64_t i, pages = 0;

	memblock_dbg("memblock_free_all: caller %p\n", MB_CALLER);
	if (mb_state.allocator_off) {
		pr_warn("memblock_free_all: called twice, caller %p\n",
			MB_CALLER);
		return 0;
	}
	mb_state.allocator_off = true;
	for_each_free_mem_range(i, NUMA_NO_NODE, MEMBLOCK_NONE, &start, &end,
				NULL)
	{
		pages += mb_free_pages(start, end);
	}
	return pages;
}

/**
 * memblock_free_late() - free a reservation after memblock_free_all()
 * @base: first address
 * @size: bytes
 *
 * The range stops being reserved and its whole pages go to the page
 * allocator (Linux leaves memblock.reserved alone here; Cairn keeps it
 * exact because it stays queryable).
 */
void memblock_free_late(phys_addr_t base, phys_addr_t size)
{
	mb_trace("memblock_free_late", base, size, MB_CALLER);
	if (memblock_remove_range(&memblock.reserved, base, size) != 0) {
		pr_warn("memblock_free_late: [0x%016llx-0x%016llx] still "
			"marked reserved\n",
			ull(base), ull(base + size - 1));
	}
	mb_cap_size(base, &size);
	mb_free_pages(base, base + size);
}

/**
 * memblock_allocator_off() - whether memblock_free_all() has run
 *
 * Return: true once memblock allocations are refused.
 */
bool memblock_allocator_off(void)
{
	return mb_state.allocator_off;
}

/* Append @s to the buffer at *@p, keeping one byte for the NUL. */
static void mb_append(char **p, char *lim, const char *s)
{
	while (*s != '\0' && *p < lim - 1) {
		*(*p)++ = *s++;
	}
	**p = '\0';
}

/* "NONE", or the flags' names joined by '|', unknown bits in hex. */
static void mb_flags_name(enum memblock_flags flags, char *buf, size_t len)
{
	static const struct {
		enum memblock_flags flag;
		const char *name;
	} names[] = {
	    {MEMBLOCK_HOTPLUG, "HOTPLUG"},
	    {MEMBLOCK_MIRROR, "MIRROR"},
	    {MEMBLOCK_NOMAP, "NOMAP"},
	    {MEMBLOCK_DRIVER_MANAGED, "DRIVER_MANAGED"},
	    {MEMBLOCK_RSRV_NOINIT, "RSRV_NOINIT"},
	};
	uint32_t rest = flags;
	char *p = buf, *lim = buf + len;

	*p = '\0';
	if (flags == MEMBLOCK_NONE) {
		mb_append(&p, lim, "NONE");
		return;
	}
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		if (flags & names[i].flag) {
			mb_append(&p, lim, p == buf ? "" : "|");
			mb_append(&p, lim, names[i].name);
			rest &= ~(uint32_t)names[i].flag;
		}
	}
	if (rest != 0) {
		char hex[11] = "0x";
		int n = 2;

		for (int sh = 28; sh >= 0; sh -= 4) {
			if ((rest >> sh) != 0 || sh == 0) {
				hex[n++] =
				    "0123456789abcdef"[(rest >> sh) & 0xf];
			}
		}
		hex[n] = '\0';
		mb_append(&p, lim, p == buf ? "" : "|");
		mb_append(&p, lim, hex);
	}
}

static void mb_dump_type(const struct memblock_type *type)
{
	char flags[96];
	char nid[12];

	pr_info(" %s.cnt  = 0x%lx\n", type->name, type->cnt);
	for (unsigned long i = 0; i < type->cnt; i++) {
		const struct memblock_region *r = &type->regions[i];
		int n = memblock_get_region_node(r);

		mb_flags_name(r->flags, flags, sizeof(flags));
		if (n == MAX_NUMNODES) {
			memcpy(nid, "none", 5);
		} else {
			snprintf(nid, sizeof(nid), "%d", n);
		}
		pr_info(" %s[0x%lx] [0x%016llx-0x%016llx], 0x%016llx bytes "
			"flags: %s nid: %s\n",
			type->name, i, ull(r->base), ull(mb_end(r) - 1),
			ull(r->size), flags, nid);
	}
}

/**
 * __memblock_dump_all() - print both types, whatever memblock_debug says
 *
 * The format is fixed (docs/memblock.md), one pr_info() line each:
 *
 *   MEMBLOCK configuration:
 *    memory size = 0x... reserved size = 0x...
 *    memory.cnt  = 0x1
 *    memory[0x0] [0x...-0x...], 0x... bytes flags: NONE nid: 0
 *    reserved.cnt  = 0x0
 */
void __memblock_dump_all(void)
{
	pr_info("MEMBLOCK configuration:\n");
	pr_info(" memory size = 0x%016llx reserved size = 0x%016llx\n",
		ull(memblock.memory.total_size),
		ull(memblock.reserved.total_size));
	mb_dump_type(&memblock.memory);
	mb_dump_type(&memblock.reserved);
}

/**
 * memblock_dump_all() - print both types if memblock_debug is set
 *
 * As in Linux, silent unless memblock=debug; see __memblock_dump_all().
 */
void memblock_dump_all(void)
{
	if (memblock_debug) {
		__memblock_dump_all();
	}
}

/**
 * memblock_reset() - restore the static initial state
 *
 * For host tests and benchmarks: empty static arrays of
 * INIT_MEMBLOCK_REGIONS, top-down, no limit, no resizing, allocator on,
 * no mirror, no page allocator hook, memblock_debug off. Arrays that
 * were doubled are dropped, not freed (they live in memory memblock
 * described).
 */
void memblock_reset(void)
{
	memset(memblock_memory_init_regions, 0,
	       sizeof(memblock_memory_init_regions));
	memset(memblock_reserved_init_regions, 0,
	       sizeof(memblock_reserved_init_regions));
	memblock.memory = (struct memblock_type){
	    .max = INIT_MEMBLOCK_MEMORY_REGIONS,
	    .regions = memblock_memory_init_regions,
	    .name = "memory",
	};
	memblock.reserved = (struct memblock_type){
	    .max = INIT_MEMBLOCK_RESERVED_REGIONS,
	    .regions = memblock_reserved_init_regions,
	    .name = "reserved",
	};
	memblock.bottom_up = false;
	memblock.current_limit = MEMBLOCK_ALLOC_ANYWHERE;
	memblock_debug = false;
	memset(&mb_state, 0, sizeof(mb_state));
}
