// SPDX-License-Identifier: BSD-2-Clause
/*
 * The one page-table walker (include/cairn/pgtable.h, docs/paging.md): map a
 * range with the largest blocks the arch allows, split blocks when part of
 * one changes, change protections, unmap, look up and describe. Every arch
 * uses this file; what differs is only the entry format, which comes from
 * the inlines of <cairn/arch/pgtable.h>, and the TLB flush, which is the
 * arch_tlb_flush_all() hook.
 *
 * It must not contain arch code or know any entry bit, and it never frees a
 * table page: a table once installed stays, even when it becomes empty or a
 * later mapping could have used a block (no merging). Table memory is
 * reached through arch_phys_to_virt(). Not reentrant: the caller serialises
 * (the kernel map is built on the boot CPU before anything else runs).
 */
#include <string.h>

#include <cairn/arch.h>
#include <cairn/compiler.h>
#include <cairn/errno.h>
#include <cairn/log.h>
#include <cairn/memblock.h>
#include <cairn/pgtable.h>

_Static_assert(PT_ENTRIES * sizeof(pte_t) == PAGE_SIZE,
	       "a table fills exactly one page");

static pt_alloc_fn pt_alloc;

/*
 * The default table-page source while memblock is the allocator; @zero:
 * false when the caller writes every entry before anything reads one.
 */
static phys_addr_t pt_alloc_memblock(bool zero)
{
	phys_addr_t pa = memblock_phys_alloc(PAGE_SIZE, PAGE_SIZE);

	if (pa != 0 && zero) {
		memset(arch_phys_to_virt(pa), 0, PAGE_SIZE);
	}
	return pa;
}

/**
 * pt_set_allocator() - choose where table pages come from
 * @fn: returns the physical address of a zeroed, page-aligned page, or 0;
 *	NULL selects the default, memblock_phys_alloc()
 */
void pt_set_allocator(pt_alloc_fn fn)
{
	pt_alloc = fn;
}

/* A table page, zeroed unless @zero is false (see pt_alloc_memblock()). */
static phys_addr_t alloc_table(struct pgtable *pt, bool zero)
{
	phys_addr_t pa =
	    pt_alloc != NULL ? pt_alloc() : pt_alloc_memblock(zero);

	if (pa == 0) {
		return 0;
	}
	ASSERT(IS_ALIGNED(pa, PAGE_SIZE));
	pt->nr_tables++;
	return pa;
}

static pte_t *table_of(phys_addr_t pa)
{
	return arch_phys_to_virt(pa);
}

/* What one call of pt_map(), pt_protect() or pt_unmap() does to a range. */
enum pt_op_kind {
	PT_OP_MAP,
	PT_OP_PROTECT,
	PT_OP_UNMAP,
};

struct pt_op {
	struct pgtable *pt;
	enum pt_op_kind kind;
	uint64_t delta;	   /* PT_OP_MAP: pa - va, modulo 2^64 */
	unsigned int prot; /* PT_OP_MAP, PT_OP_PROTECT */
	bool written;	   /* an entry changed: flush the TLB */
	bool fresh;	   /* a split into a table not zeroed: write every
			    * entry, read none */
};

static void set_entry(struct pt_op *op, pte_t *slot, pte_t e)
{
	if (READ_ONCE(*slot) != e) {
		WRITE_ONCE(*slot, e);
		op->written = true;
	}
}

static int apply(struct pt_op *op, phys_addr_t table, int level, uint64_t va,
		 uint64_t end);

/*
 * The next-level table under @slot, which maps the @level entry holding
 * @va: the existing one, a new empty one, or a new one that repeats the
 * block in @slot with leaves one level down (a split). The new table is
 * complete before it is installed, so the translation of the block's range
 * never changes on the way; the caller flushes afterwards. @fill_out: in,
 * whether the caller's map covers all of the entry with leaves one level
 * down; out, whether the new table was left unzeroed for it (the caller
 * must then write every entry before anything reads one).
 */
static int next_table(struct pt_op *op, pte_t *slot, int level, uint64_t va,
		      phys_addr_t *out, bool *fill_out)
{
	pte_t e = READ_ONCE(*slot);
	bool block = pte_valid(e) && !pte_is_table(e, level);
	/*
	 * A split to leaves one level down writes all of the new table; so
	 * does the caller's map when *@fill_out says it will.
	 */
	bool fill =
	    (block || (!pte_valid(e) && *fill_out)) && pt_block_ok(level + 1);
	phys_addr_t table;

	if (pte_is_table(e, level)) {
		*out = pte_pa(e, level);
		*fill_out = false;
		return 0;
	}
	table = alloc_table(op->pt, !fill);
	if (table == 0) {
		return -ENOMEM;
	}
	if (block) {
		uint64_t base = ALIGN_DOWN(va, pt_level_size(level));
		struct pt_op split = {
		    .pt = op->pt,
		    .kind = PT_OP_MAP,
		    .delta = pte_pa(e, level) - base,
		    .prot = pte_prot(e, level),
		    .fresh = fill,
		};
		int err = apply(&split, table, level + 1, base,
				base + pt_level_size(level));

		if (err < 0) {
			return err; /* @table stays allocated: never freed */
		}
	}
	set_entry(op, slot, pte_mk_table(table, level));
	*out = table;
	*fill_out = fill && !block;
	return 0;
}

/* Do @op to [va, end), which lies within the one entry @slot at @level. */
static int apply_entry(struct pt_op *op, pte_t *slot, int level, uint64_t va,
		       uint64_t end)
{
	uint64_t size = pt_level_size(level);
	bool whole = IS_ALIGNED(va, size) && end - va == size;
	pte_t e = READ_ONCE(*slot);
	phys_addr_t next;
	bool fill;
	int err;

	switch (op->kind) {
	case PT_OP_MAP:
		if (whole && !pte_is_table(e, level) && pt_block_ok(level) &&
		    IS_ALIGNED(va + op->delta, size)) {
			set_entry(op, slot,
				  pte_mk_leaf(va + op->delta, level, op->prot));
			return 0;
		}
		break;
	case PT_OP_PROTECT:
		if (!pte_valid(e)) {
			return 0; /* pt_protect() checked for holes */
		}
		if (whole && !pte_is_table(e, level)) {
			set_entry(
			    op, slot,
			    pte_mk_leaf(pte_pa(e, level), level, op->prot));
			return 0;
		}
		break;
	case PT_OP_UNMAP:
		if (!pte_valid(e)) {
			return 0;
		}
		if (whole && !pte_is_table(e, level)) {
			set_entry(op, slot, 0);
			return 0;
		}
		break;
	}
	/* Page-aligned ranges always cover whole last-level entries. */
	ASSERT(level < PT_LEVELS - 1);
	/* Mapping all of an empty entry with leaves one level down? */
	fill = op->kind == PT_OP_MAP && whole &&
	       IS_ALIGNED(op->delta, pt_level_size(level + 1));
	err = next_table(op, slot, level, va, &next, &fill);
	if (err < 0) {
		return err;
	}
	if (fill) {
		/* A new table not zeroed: the map writes every entry. */
		op->fresh = true;
		err = apply(op, next, level + 1, va, end);
		op->fresh = false;
		return err;
	}
	return apply(op, next, level + 1, va, end);
}

/*
 * PT_OP_MAP fast path: @va and its pa are aligned to @level's size and at
 * least one whole entry is left. Write the run of whole leaves at @level in
 * one loop, as apply_entry() would one by one (a split, the linear map),
 * up to @end, the end of @tbl or an entry that is a table. The leaves of a
 * run differ by a constant step (the address is a bit field of the entry);
 * that is checked on the run's last leaf, else one entry is done. Return:
 * the first va not done.
 */
static uint64_t map_leaves(struct pt_op *op, pte_t *tbl, int level, uint64_t va,
			   uint64_t end)
{
	const uint64_t size = pt_level_size(level);
	const unsigned int first = pt_index(va, level);
	const uint64_t pa = va + op->delta;
	uint64_t n = min((end - va) / size, (uint64_t)(PT_ENTRIES - first));
	pte_t leaf = pte_mk_leaf(pa, level, op->prot);
	pte_t step = 0;
	bool written = false;
	unsigned int i;

	if (n > 1) {
		step = pte_mk_leaf(pa + size, level, op->prot) - leaf;
		if (pte_mk_leaf(pa + (n - 1) * size, level, op->prot) !=
		    leaf + (n - 1) * step) {
			n = 1;
		}
	}
	if (op->fresh) {
		for (i = first; i < first + n; i++, leaf += step) {
			WRITE_ONCE(tbl[i], leaf);
		}
		op->written = true;
		return va + n * size;
	}
	for (i = first; i < first + n; i++, leaf += step) {
		pte_t e = READ_ONCE(tbl[i]);

		if (e == leaf) {
			continue;
		}
		if (pte_is_table(e, level)) {
			break;
		}
		WRITE_ONCE(tbl[i], leaf);
		written = true;
	}
	op->written |= written;
	return va + (i - first) * size;
}

/* Do @op to [va, end) in @table, a table at @level. */
static int apply(struct pt_op *op, phys_addr_t table, int level, uint64_t va,
		 uint64_t end)
{
	pte_t *tbl = table_of(table);
	uint64_t size = pt_level_size(level);
	bool blocks = op->kind == PT_OP_MAP && pt_block_ok(level) &&
		      IS_ALIGNED(op->delta, size);
	int err = 0;

	while (va < end && err == 0) {
		uint64_t stop;

		if (blocks && IS_ALIGNED(va, size) && end - va >= size) {
			uint64_t done = map_leaves(op, tbl, level, va, end);

			if (done != va) {
				va = done;
				continue;
			}
		}
		/* A fresh table is written by map_leaves() alone. */
		ASSERT(!op->fresh);
		stop = min(ALIGN_DOWN(va, size) + size, end);

		err =
		    apply_entry(op, &tbl[pt_index(va, level)], level, va, stop);
		va = stop;
	}
	return err;
}

/* Run @op over [va, va + size) and flush if an entry changed. */
static int run(struct pt_op *op, uint64_t va, uint64_t size)
{
	int err = apply(op, op->pt->root, 0, va, va + size);

	if (op->written) {
		arch_tlb_flush_all();
	}
	return err;
}

static bool va_range_ok(const struct pgtable *pt, uint64_t va, uint64_t size)
{
	return pt != NULL && pt->root != 0 && size != 0 &&
	       IS_ALIGNED(va, PAGE_SIZE) && IS_ALIGNED(size, PAGE_SIZE) &&
	       va < PT_VA_END && size <= PT_VA_END - va;
}

static bool pa_range_ok(phys_addr_t pa, uint64_t size)
{
	const phys_addr_t limit =
	    PT_PA_BITS == 64 ? 0 : (phys_addr_t)1 << (PT_PA_BITS % 64);

	if (!IS_ALIGNED(pa, PAGE_SIZE) || pa + size - 1 < pa) {
		return false;
	}
	return limit == 0 || (pa < limit && size <= limit - pa);
}

static bool prot_ok(unsigned int prot)
{
	return (prot & ~PROT_ALL) == 0 && (prot & PROT_READ) != 0;
}

/**
 * pt_init() - start an empty set of tables
 * @pt: filled in: a zeroed root table, one table page
 *
 * Return: 0, or -ENOMEM.
 */
int pt_init(struct pgtable *pt)
{
	pt->root = 0;
	pt->nr_tables = 0;
	pt->root = alloc_table(pt, true);
	return pt->root != 0 ? 0 : -ENOMEM;
}

/**
 * pt_map() - map [va, va + size) to [pa, pa + size) with @prot
 * @pt: the tables
 * @va: first virtual address, page-aligned, below PT_VA_END
 * @pa: first physical address, page-aligned, below 1 << PT_PA_BITS
 * @size: bytes, a non-zero multiple of PAGE_SIZE
 * @prot: PROT_READ and any of PROT_WRITE, PROT_EXEC, PROT_DEVICE
 *
 * See <cairn/pgtable.h>. Return: 0, -EINVAL, -ENOMEM.
 */
int pt_map(struct pgtable *pt, uint64_t va, phys_addr_t pa, uint64_t size,
	   unsigned int prot)
{
	struct pt_op op = {
	    .pt = pt,
	    .kind = PT_OP_MAP,
	    .delta = pa - va,
	    .prot = prot,
	};

	if (!va_range_ok(pt, va, size) || !pa_range_ok(pa, size) ||
	    !prot_ok(prot)) {
		return -EINVAL;
	}
	return run(&op, va, size);
}

/* Is every page of [va, end) mapped? One lookup per leaf. */
static bool range_mapped(const struct pgtable *pt, uint64_t va, uint64_t end)
{
	while (va < end) {
		int level;

		if (!pt_lookup(pt, va, NULL, NULL, &level)) {
			return false;
		}
		va =
		    ALIGN_DOWN(va, pt_level_size(level)) + pt_level_size(level);
	}
	return true;
}

/**
 * pt_protect() - give the mapped range [va, va + size) protection @prot
 * @pt: the tables
 * @va: first virtual address, page-aligned
 * @size: bytes, a non-zero multiple of PAGE_SIZE
 * @prot: as for pt_map()
 *
 * See <cairn/pgtable.h>. Return: 0, -EINVAL, -ENOENT, -ENOMEM.
 */
int pt_protect(struct pgtable *pt, uint64_t va, uint64_t size,
	       unsigned int prot)
{
	struct pt_op op = {
	    .pt = pt,
	    .kind = PT_OP_PROTECT,
	    .prot = prot,
	};

	if (!va_range_ok(pt, va, size) || !prot_ok(prot)) {
		return -EINVAL;
	}
	if (!range_mapped(pt, va, va + size)) {
		return -ENOENT;
	}
	return run(&op, va, size);
}

/**
 * pt_unmap() - unmap [va, va + size)
 * @pt: the tables
 * @va: first virtual address, page-aligned
 * @size: bytes, a non-zero multiple of PAGE_SIZE
 *
 * See <cairn/pgtable.h>. Return: 0, -EINVAL, -ENOMEM.
 */
int pt_unmap(struct pgtable *pt, uint64_t va, uint64_t size)
{
	struct pt_op op = {
	    .pt = pt,
	    .kind = PT_OP_UNMAP,
	};

	if (!va_range_ok(pt, va, size)) {
		return -EINVAL;
	}
	return run(&op, va, size);
}

/**
 * pt_lookup() - translate @va through @pt
 * @pt: the tables
 * @va: any virtual address
 * @pa: out: the physical address, or NULL
 * @prot: out: PROT_* of the leaf as pte_prot() decodes it, or NULL
 * @level: out: the level of the leaf, or NULL
 *
 * Return: true if @va is mapped.
 */
bool pt_lookup(const struct pgtable *pt, uint64_t va, phys_addr_t *pa,
	       unsigned int *prot, int *level)
{
	phys_addr_t table;

	if (pt == NULL || pt->root == 0 || va >= PT_VA_END) {
		return false;
	}
	table = pt->root;
	for (int l = 0; l < PT_LEVELS; l++) {
		pte_t e = READ_ONCE(table_of(table)[pt_index(va, l)]);

		if (!pte_valid(e)) {
			return false;
		}
		if (pte_is_table(e, l)) {
			table = pte_pa(e, l);
			continue;
		}
		if (pa != NULL) {
			*pa = pte_pa(e, l) + pt_offset(va, l);
		}
		if (prot != NULL) {
			*prot = pte_prot(e, l);
		}
		if (level != NULL) {
			*level = l;
		}
		return true;
	}
	return false;
}

struct pt_walk_state {
	pt_walk_fn fn;
	void *arg;
	struct pt_range cur;
	bool have;
	uint64_t count;
};

static void walk_emit(struct pt_walk_state *st)
{
	if (st->have) {
		st->fn(&st->cur, st->arg);
		st->count++;
		st->have = false;
	}
}

static void walk_leaf(struct pt_walk_state *st, uint64_t va, phys_addr_t pa,
		      int level, unsigned int prot)
{
	struct pt_range *r = &st->cur;

	if (st->have && r->va + r->size == va && r->pa + r->size == pa &&
	    r->prot == prot) {
		r->size += pt_level_size(level);
		r->blocks[level]++;
		return;
	}
	walk_emit(st);
	*r = (struct pt_range){
	    .va = va,
	    .pa = pa,
	    .size = pt_level_size(level),
	    .prot = prot,
	};
	r->blocks[level] = 1;
	st->have = true;
}

static void walk_table(struct pt_walk_state *st, phys_addr_t table, int level,
		       uint64_t base)
{
	const pte_t *tbl = table_of(table);

	for (unsigned int i = 0; i < PT_ENTRIES; i++) {
		uint64_t va = base + (uint64_t)i * pt_level_size(level);
		pte_t e = READ_ONCE(tbl[i]);

		if (!pte_valid(e)) {
			walk_emit(st);
		} else if (pte_is_table(e, level)) {
			walk_table(st, pte_pa(e, level), level + 1, va);
		} else {
			walk_leaf(st, va, pte_pa(e, level), level,
				  pte_prot(e, level));
		}
	}
}

/**
 * pt_walk() - report the mappings of @pt in ascending VA order
 * @pt: the tables
 * @fn: called once per run of leaves (see struct pt_range)
 * @arg: passed to @fn
 *
 * Return: the number of calls of @fn.
 */
uint64_t pt_walk(const struct pgtable *pt, pt_walk_fn fn, void *arg)
{
	struct pt_walk_state st = {.fn = fn, .arg = arg};

	if (pt == NULL || pt->root == 0) {
		return 0;
	}
	walk_table(&st, pt->root, 0, 0);
	walk_emit(&st);
	return st.count;
}
