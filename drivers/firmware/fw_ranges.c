// SPDX-License-Identifier: BSD-2-Clause
/*
 * The overlap resolver and memblock applier that e820.c and efi_memmap.c
 * share (fw_ranges.h). Data only, host-buildable, no allocation: static
 * work arrays sized for FWR_MAX_ENTRIES entries. It must not know any
 * firmware format: the converters give ranks and classes, it owns no
 * policy beyond "the higher rank wins" and "memory before reservations".
 *
 * Resolution is a sweep over the sorted entry edges. Between two edges
 * the set of covering entries is constant; its highest-ranked entry owns
 * that elementary interval, and runs of intervals with one owner become
 * one piece:
 *
 *   entries:  0 RAM      [-----------------------)
 *             1 reserved        [-----)
 *   pieces:              [-0---)[-1---)[-0-------)
 */
#include <stdio.h>
#include <string.h>

#include <cairn/errno.h>
#include <cairn/fwmap.h>
#include <cairn/init.h>
#include <cairn/memblock.h>

#include "fw_ranges.h"

/*
 * Boot-only work arrays, not zeroed at entry and freed with .init
 * (__initscratch, <cairn/init.h>): the converters run once, from
 * detect_memory(). Each run writes every slot it reads: prepare() fills
 * fwr_entries[0..n), fwr_resolve() resets their links and writes the
 * pieces, edges and active set it reads, and the plans are written before
 * fwr_apply() reads the first @n.
 */
struct fwr_entry fwr_entries[FWR_MAX_ENTRIES] __initscratch;
struct fwr_piece fwr_pieces[FWR_MAX_PIECES] __initscratch;
struct fwr_plan fwr_plans[FWR_MAX_PLANS] __initscratch;

/* An entry edge: where entry @ent starts (@start) or ends. */
struct fwr_edge {
	phys_addr_t addr;
	uint32_t ent;
	uint32_t start;
};

/*
 * fwr_resolve()'s: edges[0..ne) and active[0..nact) as it fills them;
 * active_pos[x] from x's start edge, which sorts before its end edge;
 * tail[w] only once e[w].first is set, which sets it too.
 */
static struct fwr_edge edges[2 * FWR_MAX_ENTRIES] __initscratch;
static uint32_t active[FWR_MAX_ENTRIES] __initscratch;	/* covering entries */
static uint32_t active_pos[FWR_MAX_ENTRIES] __initscratch; /* in active[] */
static uint32_t tail[FWR_MAX_ENTRIES] __initscratch;	/* last piece */

/* Heap sort by address: in place, O(n log n), no recursion. */
static void sift_down(struct fwr_edge *a, uint32_t root, uint32_t n)
{
	for (;;) {
		uint32_t child = 2 * root + 1;
		struct fwr_edge t;

		if (child >= n) {
			return;
		}
		if (child + 1 < n && a[child + 1].addr > a[child].addr) {
			child++;
		}
		if (a[root].addr >= a[child].addr) {
			return;
		}
		t = a[root];
		a[root] = a[child];
		a[child] = t;
		root = child;
	}
}

static void sort_edges(struct fwr_edge *a, uint32_t n)
{
	for (uint32_t i = n / 2; i-- > 0;) {
		sift_down(a, i, n);
	}
	for (uint32_t end = n; end-- > 1;) {
		struct fwr_edge t = a[0];

		a[0] = a[end];
		a[end] = t;
		sift_down(a, 0, end);
	}
}

/* Whether entry @a beats entry @b: higher rank, then earlier entry. */
static bool beats(const struct fwr_entry *e, uint32_t a, uint32_t b)
{
	if (e[a].rank != e[b].rank) {
		return e[a].rank > e[b].rank;
	}
	return a < b;
}

/* The elementary interval [@lo, @hi), covered by active[0..@nact). */
static uint32_t interval(struct fwr_entry *e, struct fwr_piece *p,
			 uint32_t np, uint32_t nact, phys_addr_t lo,
			 phys_addr_t hi)
{
	uint32_t w = active[0], under = 0;

	for (uint32_t k = 1; k < nact; k++) {
		if (beats(e, active[k], w)) {
			w = active[k];
		}
	}
	for (uint32_t k = 0; k < nact; k++) {
		uint32_t x = active[k], old;

		if (x == w) {
			continue;
		}
		under |= 1u << (e[x].rank & 31);
		old = e[x].lost_to;
		if (old == FWR_NONE ||
		    (e[old].type == e[x].type && e[w].type != e[x].type)) {
			e[x].lost_to = w;
		}
	}
	if (np > 0 && p[np - 1].owner == w && p[np - 1].end == lo) {
		p[np - 1].end = hi;
		p[np - 1].under |= under;
		return np;
	}
	p[np] = (struct fwr_piece){ .base = lo, .end = hi, .owner = w,
				    .next = FWR_NONE, .under = under };
	if (e[w].first == FWR_NONE) {
		e[w].first = np;
	} else {
		p[tail[w]].next = np;
	}
	tail[w] = np;
	return np + 1;
}

uint32_t fwr_resolve(struct fwr_entry *e, uint32_t n, struct fwr_piece *p)
{
	uint32_t ne = 0, np = 0, nact = 0;
	phys_addr_t prev = 0;

	if (n > FWR_MAX_ENTRIES) {
		n = FWR_MAX_ENTRIES; /* Callers cap first; never overrun. */
	}
	for (uint32_t i = 0; i < n; i++) {
		e[i].lost_to = FWR_NONE;
		e[i].first = FWR_NONE;
		if (e[i].base >= e[i].end) {
			continue; /* Callers drop these; be safe anyway. */
		}
		edges[ne++] = (struct fwr_edge){ e[i].base, i, 1 };
		edges[ne++] = (struct fwr_edge){ e[i].end, i, 0 };
	}
	sort_edges(edges, ne);
	for (uint32_t k = 0; k < ne;) {
		phys_addr_t a = edges[k].addr;

		if (nact > 0 && a > prev) {
			np = interval(e, p, np, nact, prev, a);
		}
		for (; k < ne && edges[k].addr == a; k++) {
			uint32_t x = edges[k].ent;

			if (edges[k].start) {
				active_pos[x] = nact;
				active[nact++] = x;
			} else {
				uint32_t pos = active_pos[x];

				active[pos] = active[--nact];
				active_pos[active[pos]] = pos;
			}
		}
		prev = a;
	}
	return np;
}

static void plan_failed(struct fwr_plan *pl, int *ret)
{
	fw_record_drop(pl->rec, "memblock full");
	pl->rec = NULL;
	*ret = -ENOMEM;
}

int fwr_apply(struct fwr_plan *plan, uint32_t n)
{
	int ret = 0;

	for (uint32_t i = 0; i < n; i++) {
		struct fwr_plan *pl = &plan[i];
		int r;

		if (pl->msize == 0) {
			continue;
		}
		if (pl->add_flags == MEMBLOCK_NONE) {
			r = memblock_add(pl->mbase, pl->msize);
		} else {
			enum memblock_flags f = pl->add_flags;

			r = memblock_add_node(pl->mbase, pl->msize,
					      MAX_NUMNODES, f);
		}
		if (r != 0) {
			plan_failed(pl, &ret);
		}
	}
	for (uint32_t i = 0; i < n; i++) {
		struct fwr_plan *pl = &plan[i];

		if (pl->rsize != 0 && memblock_reserve(pl->rbase, pl->rsize)) {
			plan_failed(pl, &ret);
		}
	}
	for (uint32_t i = 0; i < n; i++) {
		struct fwr_plan *pl = &plan[i];

		if (pl->nomap && pl->rsize != 0 &&
		    memblock_mark_nomap(pl->rbase, pl->rsize) != 0) {
			plan_failed(pl, &ret);
		}
		if (pl->mirror && pl->msize != 0 &&
		    memblock_mark_mirror(pl->mbase, pl->msize) != 0) {
			plan_failed(pl, &ret);
		}
	}
	return ret;
}

void fwr_report_overlaps(uint32_t n, const uint32_t *index, const char *table,
			 const char *(*type_name)(uint32_t type))
{
	for (uint32_t i = 0; i < n; i++) {
		const struct fwr_entry *e = &fwr_entries[i];
		const struct fwr_entry *w;
		char origin[24];

		if (e->lost_to == FWR_NONE) {
			continue;
		}
		w = &fwr_entries[e->lost_to];
		if (w->type == e->type) {
			continue;
		}
		snprintf(origin, sizeof(origin), "%s[%u]", table, index[i]);
		fw_diag(FWD_TYPE_OVERLAP, origin, e->base, e->end - e->base,
			"%s overlaps %s[%u] %s [0x%llx-0x%llx): %s wins",
			type_name(e->type), table, index[e->lost_to],
			type_name(w->type), (unsigned long long)w->base,
			(unsigned long long)w->end, type_name(w->type));
	}
}
