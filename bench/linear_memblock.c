// SPDX-License-Identifier: BSD-2-Clause
/*
 * A linear-array memblock, the baseline of bench_memblock.c (issue 8 asks
 * for numbers "at least as good as a linear array implementation"). It
 * keeps the same sorted, disjoint arrays as generic/mm/memblock.c but does
 * every operation the way the classic design does (Linux's memblock):
 *
 *  - add/reserve: one scan over the whole array that inserts the missing
 *    pieces one at a time (a memmove per piece), then a merge pass over
 *    the whole array;
 *  - remove/free: a scan that splits the regions at both ends (isolate),
 *    then each covered region removed on its own (a memmove each);
 *  - allocation, top-down: for each memory region from the top, the free
 *    gaps between reserved regions from the top, a linear walk of the
 *    reserved array per request;
 *  - is_memory: binary search (Linux's memblock_search() bisects too).
 *
 * Written for the benchmark from the algorithm's description, not from any
 * implementation; it is not a test oracle (tests/host has the page model).
 * No resizing: the arrays are sized for the largest workload, which only
 * flatters this baseline.
 */
#include <stdbool.h>
#include <string.h>

#include "linear_memblock.h"

#define LIN_MAX 65536

struct lin_region {
	uint64_t base, size;
	int nid;
};

struct lin_type {
	unsigned long cnt;
	struct lin_region r[LIN_MAX];
};

static struct lin_type lin_mem, lin_rsv;

static uint64_t rend(const struct lin_region *r)
{
	return r->base + r->size;
}

static bool insert(struct lin_type *t, unsigned long i, uint64_t base,
		   uint64_t size, int nid)
{
	if (t->cnt == LIN_MAX) {
		return false;
	}
	memmove(&t->r[i + 1], &t->r[i], (t->cnt - i) * sizeof(t->r[0]));
	t->r[i] = (struct lin_region){ base, size, nid };
	t->cnt++;
	return true;
}

static void remove_at(struct lin_type *t, unsigned long i)
{
	memmove(&t->r[i], &t->r[i + 1], (t->cnt - i - 1) * sizeof(t->r[0]));
	t->cnt--;
}

/* Merge every pair of touching neighbours on the same node. */
static void merge(struct lin_type *t)
{
	unsigned long i = 0;

	while (i + 1 < t->cnt) {
		struct lin_region *a = &t->r[i], *b = &t->r[i + 1];

		if (rend(a) != b->base || a->nid != b->nid) {
			i++;
			continue;
		}
		a->size += b->size;
		remove_at(t, i + 1);
	}
}

static bool add_range(struct lin_type *t, uint64_t base, uint64_t size,
		      int nid)
{
	uint64_t end = base + size;
	unsigned long i;

	if (size == 0) {
		return true;
	}
	for (i = 0; i < t->cnt && base < end; i++) {
		struct lin_region *r = &t->r[i];

		if (r->base >= end) {
			break;
		}
		if (rend(r) <= base) {
			continue;
		}
		if (r->base > base) {
			if (!insert(t, i, base, r->base - base, nid)) {
				return false;
			}
			i++;
		}
		base = rend(&t->r[i]) < end ? rend(&t->r[i]) : end;
	}
	if (base < end && !insert(t, i, base, end - base, nid)) {
		return false;
	}
	merge(t);
	return true;
}

static void remove_range(struct lin_type *t, uint64_t base, uint64_t size)
{
	uint64_t end = base + size;
	unsigned long first = t->cnt, last = 0;

	/* Isolate: split the regions that straddle base or end. */
	for (unsigned long i = 0; i < t->cnt; i++) {
		struct lin_region *r = &t->r[i];

		if (r->base >= end) {
			break;
		}
		if (rend(r) <= base) {
			continue;
		}
		if (r->base < base) {
			uint64_t cut = base - r->base;

			if (!insert(t, i, r->base, cut, r->nid)) {
				return;
			}
			t->r[i + 1].base = base;
			t->r[i + 1].size -= cut;
			continue;	/* the upper part is looked at next */
		}
		if (rend(r) > end) {
			if (!insert(t, i, r->base, end - r->base, r->nid)) {
				return;
			}
			t->r[i + 1].base = end;
			t->r[i + 1].size -= end - r->base;
		}
		if (i < first) {
			first = i;
		}
		last = i + 1;
	}
	/* Remove the isolated regions, one at a time from the top. */
	for (unsigned long i = last; i-- > first && first < t->cnt;) {
		remove_at(t, i);
	}
}

void lin_reset(void)
{
	lin_mem.cnt = 0;
	lin_rsv.cnt = 0;
}

bool lin_add(uint64_t base, uint64_t size, int nid)
{
	return add_range(&lin_mem, base, size, nid);
}

bool lin_reserve(uint64_t base, uint64_t size)
{
	return add_range(&lin_rsv, base, size, -1);
}

void lin_remove(uint64_t base, uint64_t size)
{
	remove_range(&lin_mem, base, size);
}

void lin_free(uint64_t base, uint64_t size)
{
	remove_range(&lin_rsv, base, size);
}

/* Top-down: the highest @align-aligned @size bytes free below @limit. */
uint64_t lin_alloc(uint64_t size, uint64_t align, uint64_t limit, int nid)
{
	for (unsigned long m = lin_mem.cnt; m-- > 0;) {
		const struct lin_region *mr = &lin_mem.r[m];
		uint64_t top = rend(mr) < limit ? rend(mr) : limit;

		if (nid >= 0 && mr->nid != nid) {
			continue;
		}
		/* The gaps of reserved, walked from the top each time. */
		for (unsigned long g = lin_rsv.cnt + 1; g-- > 0;) {
			uint64_t lo = g == 0 ? 0 : rend(&lin_rsv.r[g - 1]);
			uint64_t hi = g == lin_rsv.cnt ? UINT64_MAX
						       : lin_rsv.r[g].base;
			uint64_t s = lo > mr->base ? lo : mr->base;
			uint64_t e = hi < top ? hi : top;
			uint64_t a;

			if (s >= e || e - s < size) {
				if (hi <= mr->base) {
					break;
				}
				continue;
			}
			a = (e - size) & ~(align - 1);
			if (a >= s) {
				return lin_reserve(a, size) ? a : 0;
			}
		}
	}
	return nid >= 0 ? lin_alloc(size, align, limit, -1) : 0;
}

bool lin_is_memory(uint64_t addr)
{
	unsigned long lo = 0, hi = lin_mem.cnt;

	while (lo < hi) {
		unsigned long mid = lo + (hi - lo) / 2;

		if (addr < lin_mem.r[mid].base) {
			hi = mid;
		} else if (addr >= rend(&lin_mem.r[mid])) {
			lo = mid + 1;
		} else {
			return true;
		}
	}
	return false;
}

unsigned long lin_memory_cnt(void)
{
	return lin_mem.cnt;
}

unsigned long lin_reserved_cnt(void)
{
	return lin_rsv.cnt;
}
