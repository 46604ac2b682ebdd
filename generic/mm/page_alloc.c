// SPDX-License-Identifier: BSD-2-Clause
/*
 * The buddy page allocator: per zone, one free list per order 0..MAX_ORDER
 * (inclusive); a free block of order k is 2^k pages aligned to its size,
 * and a freed block merges with its buddy (the other half of the block of
 * order k + 1) while that is free too. memblock_free_all() feeds it through
 * page_alloc_intake(), in the largest aligned blocks. Also here: the
 * "Memory:" report line, the counters and snapshots, and the accounting
 * check (docs/mm.md).
 *
 * Lazy struct pages: memmap_init() wrote only the head of each max-order
 * block (PG_lazy). Wholly free blocks are recorded as free runs (struct
 * free_run: counted on the MAX_ORDER list, not linked) and go onto the
 * list one at a time when allocated; a block's other 1023 struct pages
 * are written when it is first split (block_init()). A block that is
 * partly reserved is initialised when memblock hands over its free part.
 * Buddies are only looked up below MAX_ORDER, i.e. inside a block that is
 * already initialised.
 *
 * Must not: allocate from memblock, sleep, or be called from traps (there
 * is no lock: one CPU, interrupts off).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <cairn/arch.h>
#include <cairn/log.h>
#include <cairn/memblock.h>
#include <cairn/mm.h>
#include <cairn/sections.h>

#include "mm_internal.h"

struct zone mm_zones[MAX_NR_ZONES];

static const char *const zone_names[MAX_NR_ZONES] = {
    [ZONE_DMA] = "DMA",
    [ZONE_DMA32] = "DMA32",
    [ZONE_NORMAL] = "Normal",
};

/* Pages memblock offered that had no struct page or were given twice. */
static uint64_t intake_refused;

void mm_misuse(const char *who, const char *what, const void *caller,
	       const char *fmt, ...)
{
	char detail[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	/* TODO: name the caller once generic/fault.c has a symbol lookup. */
	panic("%s: %s by caller %p: %s", who, what, caller, detail);
}

const uint8_t *mm_find_unpoisoned(const void *p, size_t len, uint8_t poison)
{
	typedef uint64_t __attribute__((may_alias)) word_t;
	const uint8_t *b = p, *end = b + len;
	uint64_t want = poison * UINT64_C(0x0101010101010101);

	for (; b < end && !IS_ALIGNED((uintptr_t)b, 8); b++) {
		if (*b != poison) {
			return b;
		}
	}
	for (; b + 8 <= end; b += 8) {
		if (*(const word_t *)(const void *)b != want) {
			break;
		}
	}
	for (; b < end; b++) {
		if (*b != poison) {
			return b;
		}
	}
	return NULL;
}

const char *zone_name(enum zone_type zone)
{
	return (unsigned int)zone < MAX_NR_ZONES ? zone_names[zone] : "?";
}

static bool zone_empty(const struct zone *zone)
{
	return zone->end_pfn <= zone->start_pfn;
}

enum zone_type pfn_zone(pfn_t pfn)
{
	enum zone_type last = ZONE_NORMAL;

	for (int z = 0; z < MAX_NR_ZONES; z++) {
		if (zone_empty(&mm_zones[z])) {
			continue;
		}
		if (pfn < mm_zones[z].end_pfn) {
			return (enum zone_type)z;
		}
		last = (enum zone_type)z;
	}
	return last;
}

/* Put @page at the head of the free list of @order (keeps PG_lazy). */
static void free_list_add(struct zone *zone, struct page *page,
			  unsigned int order)
{
	struct free_area *area = &zone->free_area[order];

	page_set_state(page, PG_buddy | (page->flags & PG_lazy));
	page->order = (uint8_t)order;
	page->prev = NULL;
	page->next = area->head;
	if (area->head != NULL) {
		area->head->prev = page;
	}
	area->head = page;
	area->nr_free++;
	zone->free += UINT64_C(1) << order;
}

/* Take @page off its free list; it is left in state 0 (plus PG_lazy). */
static void free_list_del(struct zone *zone, struct page *page,
			  unsigned int order)
{
	struct free_area *area = &zone->free_area[order];

	if (page->prev != NULL) {
		page->prev->next = page->next;
	} else {
		area->head = page->next;
	}
	if (page->next != NULL) {
		page->next->prev = page->prev;
	}
	page->next = NULL;
	page->prev = NULL;
	area->nr_free--;
	zone->free -= UINT64_C(1) << order;
	page_set_state(page, page->flags & PG_lazy);
}

/*
 * Write the struct pages of a lazy max-order block, all but the head, in
 * state @state, with the head's zone and section (a lazy block never
 * straddles a zone or a section). 32 KiB of stores, once per block.
 */
static void block_init(struct page *head, uint32_t state)
{
	uint32_t fixed = head->flags & PAGE_FIXED_MASK;

	for (uint64_t i = 1; i < MAX_ORDER_NR_PAGES; i++) {
		page_write(&head[i], fixed | state);
	}
	head->flags &= ~PG_lazy;
}

/*
 * Write every struct page of a lazy max-order block, the head too: pages
 * [@s, @e) of the block in state 0 (about to be freed), the others
 * PG_reserved; all with the head's zone and section.
 */
static void block_init_part(struct page *head, uint64_t s, uint64_t e)
{
	uint32_t fixed = head->flags & PAGE_FIXED_MASK;

	for (uint64_t i = 1; i < s; i++) {
		page_write(&head[i], fixed | PG_reserved);
	}
	for (uint64_t i = s > 1 ? s : 1; i < e; i++) {
		page_write(&head[i], fixed);
	}
	for (uint64_t i = e > 1 ? e : 1; i < MAX_ORDER_NR_PAGES; i++) {
		page_write(&head[i], fixed | PG_reserved);
	}
	head->flags = fixed | (s == 0 ? 0 : PG_reserved);
}

#if defined(CONFIG_MM_DEBUG)
/* Fill the 2^@order pages at @page with PAGE_POISON (free memory). */
static void poison_block(struct page *page, unsigned int order)
{
	memset(page_address(page), PAGE_POISON, PAGE_SIZE << order);
}

/*
 * The 2^@order pages at @page are about to be handed out: every byte must
 * still be PAGE_POISON, else something wrote to them while they were free.
 */
static void check_poison(struct page *page, unsigned int order,
			 const void *caller)
{
	const uint8_t *p = page_address(page);
	const uint8_t *bad = mm_find_unpoisoned(p, PAGE_SIZE << order,
						PAGE_POISON);

	if (bad != NULL) {
		mm_misuse("page_alloc", "write after free", caller,
			  "pfn %#llx (%p): byte at offset %#llx is %#x, not "
			  "%#x; found allocating order %u",
			  (unsigned long long)page_to_pfn(page), (const void *)p,
			  (unsigned long long)(bad - p), *bad, PAGE_POISON,
			  order);
	}
}
#else
static inline void poison_block(struct page *page, unsigned int order)
{
}

static inline void check_poison(struct page *page, unsigned int order,
				const void *caller)
{
}
#endif

/* The struct page @delta pfns away inside the same max-order block. */
static struct page *page_near(struct page *page, pfn_t pfn, pfn_t other)
{
	return other >= pfn ? page + (other - pfn) : page - (pfn - other);
}

/*
 * Free the block of 2^@order pages at @page (pfn @pfn, state 0), merging
 * it with its buddy while the buddy heads a free block of the same order
 * in the same zone. Struct pages of holes and reservations are
 * PG_reserved, never PG_buddy, so they stop the merge.
 */
static void free_one(struct zone *zone, struct page *page, pfn_t pfn,
		     unsigned int order)
{
	if (order < MAX_ORDER) {
		struct page *head = page - (pfn & (MAX_ORDER_NR_PAGES - 1));

		ASSERT(!page_has(head, PG_lazy));
	}
	poison_block(page, order);
	while (order < MAX_ORDER) {
		pfn_t buddy_pfn = pfn ^ (UINT64_C(1) << order);
		struct page *buddy = page_near(page, pfn, buddy_pfn);

		if (!page_has(buddy, PG_buddy) || buddy->order != order ||
		    page_zonenum(buddy) != page_zonenum(page)) {
			break;
		}
		free_list_del(zone, buddy, order);
		if (buddy_pfn < pfn) {
			page = buddy;
			pfn = buddy_pfn;
		}
		order++;
	}
	free_list_add(zone, page, order);
}

/*
 * The run of @zone that holds @pfn, or NULL; then *@stop is lowered to the
 * start of the first run in [@pfn, *@stop), if any.
 */
static const struct free_run *run_at(const struct zone *zone, pfn_t pfn,
				     pfn_t *stop)
{
	for (unsigned int i = 0; i < zone->nr_runs; i++) {
		const struct free_run *run = &zone->runs[i];

		if (pfn >= run->start && pfn < run->end) {
			return run;
		}
		if (run->start > pfn && run->start < *stop) {
			*stop = run->start;
		}
	}
	return NULL;
}

/* Record the free blocks [@s, @e) as a run. Return: false if no slot. */
static bool run_add(struct zone *zone, pfn_t s, pfn_t e)
{
	if (zone->nr_runs > 0 && zone->runs[zone->nr_runs - 1].end == s) {
		zone->runs[zone->nr_runs - 1].end = e;
		return true;
	}
	if (zone->nr_runs == NR_FREE_RUNS) {
		return false;
	}
	zone->runs[zone->nr_runs++] = (struct free_run){.start = s, .end = e};
	return true;
}

/*
 * Move the last block of @zone's last run onto the MAX_ORDER list (the
 * highest pfn first, as the list would have given it). Return: its head,
 * or NULL if there are no runs.
 */
static struct page *run_take(struct zone *zone)
{
	struct free_run *run;
	struct page *head;

	if (zone->nr_runs == 0) {
		return NULL;
	}
	run = &zone->runs[zone->nr_runs - 1];
	run->end -= MAX_ORDER_NR_PAGES;
	head = pfn_to_page(run->end);
	if (run->end == run->start) {
		zone->nr_runs--;
	}
	/* It is counted as free already; free_list_add() counts it again. */
	zone->free_area[MAX_ORDER].nr_free--;
	zone->free -= MAX_ORDER_NR_PAGES;
	poison_block(head, MAX_ORDER);
	free_list_add(zone, head, MAX_ORDER);
	return head;
}

/* Take a block of @order from @zone, splitting a larger one if needed. */
static struct page *rmqueue(struct zone *zone, unsigned int order)
{
	for (unsigned int o = order; o <= MAX_ORDER; o++) {
		struct page *page = zone->free_area[o].head;

		if (page == NULL && o == MAX_ORDER) {
			page = run_take(zone);
		}
		if (page == NULL) {
			continue;
		}
		free_list_del(zone, page, o);
		if (o > order && page_has(page, PG_lazy)) {
			block_init(page, 0);
		}
		/* Keep the lower half, free the upper half, down to @order. */
		while (o > order) {
			o--;
			free_list_add(zone, page + (UINT64_C(1) << o), o);
		}
		page_set_state(page, PG_head | (page->flags & PG_lazy));
		page->order = (uint8_t)order;
		zone->allocated += UINT64_C(1) << order;
		return page;
	}
	return NULL;
}

static enum zone_type gfp_zone(gfp_t gfp)
{
	if (gfp & __GFP_DMA) {
		return ZONE_DMA;
	}
	if (gfp & __GFP_DMA32) {
		return ZONE_DMA32;
	}
	return ZONE_NORMAL;
}

struct page *alloc_pages_caller(gfp_t gfp, unsigned int order,
				const void *caller)
{
	struct page *page = NULL;

	if (order <= MAX_ORDER) {
		/* The zone asked for, then each lower one: never upwards. */
		for (int z = gfp_zone(gfp); z >= 0 && page == NULL; z--) {
			page = rmqueue(&mm_zones[z], order);
		}
	}
	if (page == NULL) {
		if (!(gfp & __GFP_NOWARN)) {
			pr_warn("page allocation failure: order:%u, mode:%#x, "
				"%llu pages free\n",
				order, gfp,
				(unsigned long long)nr_free_pages());
		}
		return NULL;
	}
	check_poison(page, order, caller);
	if (gfp & __GFP_ZERO) {
		memset(page_address(page), 0, PAGE_SIZE << order);
	}
	return page;
}

struct page *alloc_pages(gfp_t gfp, unsigned int order)
{
	return alloc_pages_caller(gfp, order, __builtin_return_address(0));
}

/*
 * Whether pfn @pfn (struct page @page, initialised) lies in a free block:
 * on a free list (the head of a PG_buddy block of an order that covers
 * it) or in a free run. *@at gets the free block's head pfn.
 */
static bool pfn_in_free_block(struct page *page, pfn_t pfn, pfn_t *at)
{
	const struct zone *zone = &mm_zones[page_zonenum(page)];

	for (unsigned int o = 0; o <= MAX_ORDER; o++) {
		pfn_t h = ALIGN_DOWN(pfn, UINT64_C(1) << o);
		struct page *hp = page_near(page, pfn, h);

		if (page_has(hp, PG_buddy) && hp->order >= o) {
			*at = h;
			return true;
		}
	}
	*at = ALIGN_DOWN(pfn, MAX_ORDER_NR_PAGES);
	return run_at(zone, pfn, &(pfn_t){0}) != NULL;
}

bool mm_page_is_free(struct page *page)
{
	pfn_t pfn = page_to_pfn(page), at;
	struct page *head = page - (pfn & (MAX_ORDER_NR_PAGES - 1));

	if (page_has(head, PG_lazy)) {
		/* An untouched block is free if it is in a run. */
		return page == head ? pfn_in_free_block(page, pfn, &at)
				    : run_at(&mm_zones[page_zonenum(head)], pfn,
					     &(pfn_t){0}) != NULL;
	}
	return pfn_in_free_block(page, pfn, &at);
}

/*
 * __free_pages() of something that is not an allocated block of @order:
 * say what it is, one line, and panic. Off the fast path.
 */
static __noreturn void bad_free(struct page *page, pfn_t pfn,
				unsigned int order, const void *caller)
{
	struct page *head = page - (pfn & (MAX_ORDER_NR_PAGES - 1));
	/* The head of a max-order block is always written (memmap_init()). */
	enum zone_type z = page_zonenum(head);
	pfn_t at;

	if (pfn_to_page(pfn) != page || zone_empty(&mm_zones[z]) ||
	    pfn < mm_zones[z].start_pfn || pfn >= mm_zones[z].end_pfn) {
		mm_misuse("page_alloc", "free of a never-allocated page",
			  caller, "pfn %#llx (order %u) is outside every zone",
			  (unsigned long long)pfn, order);
	}
	if (page_has(head, PG_lazy) && page != head) {
		if (run_at(&mm_zones[z], pfn, &(pfn_t){0}) != NULL) {
			mm_misuse("page_alloc", "double free", caller,
				  "pfn %#llx (order %u) is free (in an untouched "
				  "block)",
				  (unsigned long long)pfn, order);
		}
		mm_misuse("page_alloc", "free of a never-allocated page",
			  caller,
			  "pfn %#llx (order %u) is in a block never handed out",
			  (unsigned long long)pfn, order);
	}
	if (!page_has(page, PG_reserved) && !page_has(page, PG_head) &&
	    pfn_in_free_block(page, pfn, &at)) {
		mm_misuse("page_alloc", "double free", caller,
			  "pfn %#llx (order %u) is free already (free block "
			  "at pfn %#llx)",
			  (unsigned long long)pfn, order,
			  (unsigned long long)at);
	}
	if (page_has(page, PG_reserved)) {
		mm_misuse("page_alloc", "free of a never-allocated page",
			  caller,
			  "pfn %#llx (order %u) is reserved, never the page "
			  "allocator's",
			  (unsigned long long)pfn, order);
	}
	if (page_has(page, PG_slab | PG_large)) {
		mm_misuse("page_alloc", "free of a kmalloc page", caller,
			  "pfn %#llx (order %u) belongs to kmalloc: kfree() it",
			  (unsigned long long)pfn, order);
	}
	if (!page_has(page, PG_head)) {
		mm_misuse("page_alloc", "free of a page inside an allocation",
			  caller,
			  "pfn %#llx (order %u) is not the first page of an "
			  "allocated block",
			  (unsigned long long)pfn, order);
	}
	mm_misuse("page_alloc", "free with the wrong order", caller,
		  "pfn %#llx was allocated with order %u, freed with order %u",
		  (unsigned long long)pfn, page->order, order);
}

void free_pages_caller(struct page *page, unsigned int order,
		       const void *caller)
{
	struct page *head;
	struct zone *zone;
	pfn_t pfn;

	if (page == NULL) {
		return;
	}
	pfn = page_to_pfn(page);
	head = page - (pfn & (MAX_ORDER_NR_PAGES - 1));
	/*
	 * The fast check: @page heads an allocated block of @order. A page
	 * of a lazy block other than its head has an unwritten struct page.
	 */
	if (unlikely((page->flags & (PG_STATE_MASK & ~PG_lazy)) != PG_head ||
		     page->order != order ||
		     (page != head && page_has(head, PG_lazy)))) {
		bad_free(page, pfn, order, caller);
	}
	zone = &mm_zones[page_zonenum(page)];
	zone->allocated -= UINT64_C(1) << order;
	page_set_state(page, page->flags & PG_lazy);
	free_one(zone, page, pfn, order);
}

void __free_pages(struct page *page, unsigned int order)
{
	free_pages_caller(page, order, __builtin_return_address(0));
}

uintptr_t __get_free_pages(gfp_t gfp, unsigned int order)
{
	struct page *page = alloc_pages(gfp, order);

	return page == NULL ? 0 : (uintptr_t)page_address(page);
}

uintptr_t get_zeroed_page(gfp_t gfp)
{
	return __get_free_pages(gfp | __GFP_ZERO, 0);
}

void free_pages(uintptr_t addr, unsigned int order)
{
	struct page *page;

	if (addr == 0) {
		return;
	}
	page = virt_to_page((const void *)addr);
	if (page == NULL || !IS_ALIGNED(addr, PAGE_SIZE)) {
		mm_misuse("page_alloc", "free of a never-allocated page",
			  __builtin_return_address(0),
			  "%#llx (order %u) is not the start of a page of memory",
			  (unsigned long long)addr, order);
	}
	free_pages_caller(page, order, __builtin_return_address(0));
}

uint64_t nr_free_pages(void)
{
	uint64_t n = 0;

	for (int z = 0; z < MAX_NR_ZONES; z++) {
		n += mm_zones[z].free;
	}
	return n;
}

/* Free the pfns [s, e) of the initialised block at @head, aligned blocks. */
static void intake_run(struct page *head, pfn_t block, pfn_t s, pfn_t e)
{
	while (s < e) {
		struct page *page = head + (s - block);
		struct zone *zone = &mm_zones[page_zonenum(page)];
		pfn_t end = zone->end_pfn > s ? min(e, zone->end_pfn) : e;
		unsigned int order = 0;

		while (order < MAX_ORDER &&
		       IS_ALIGNED(s, UINT64_C(2) << order) &&
		       s + (UINT64_C(2) << order) <= end) {
			order++;
		}
		zone->managed += UINT64_C(1) << order;
		free_one(zone, page, s, order);
		s += UINT64_C(1) << order;
	}
}

/*
 * Part of a max-order block, [s, e): initialise the block if it is still
 * lazy (everything reserved), then free each run of pages that are still
 * PG_reserved. A page that is not was given twice: refused, logged.
 */
static void intake_partial(struct page *head, pfn_t block, pfn_t s, pfn_t e)
{
	pfn_t run = s;

	if (page_has(head, PG_lazy)) {
		if ((head->flags & (PG_reserved | PG_buddy | PG_head)) !=
		    PG_reserved) {
			pr_err("page_alloc: pfns [%#llx-%#llx) are in a block "
			       "already in use; refused\n",
			       (unsigned long long)s, (unsigned long long)e);
			intake_refused += e - s;
			return;
		}
		/* Nothing of it given yet: free [s, e), reserve the rest. */
		block_init_part(head, s - block, e - block);
		intake_run(head, block, s, e);
		return;
	}
	for (pfn_t pfn = s; pfn < e; pfn++) {
		struct page *page = head + (pfn - block);

		if (page_has(page, PG_reserved)) {
			page_set_state(page, 0);
			continue;
		}
		pr_err("page_alloc: pfn %#llx given twice; refused\n",
		       (unsigned long long)pfn);
		intake_refused++;
		intake_run(head, block, run, pfn);
		run = pfn + 1;
	}
	intake_run(head, block, run, e);
}

/*
 * Whole lazy blocks from @pfn (whose head @head is lazy and reserved) up
 * to @e, while they are lazy, reserved and in @head's zone, within
 * @head's section (SPARSEMEM: the struct pages are one array): recorded as
 * one free run, else put on the MAX_ORDER list one by one. A block in a
 * run already was given twice: it is refused. Return: the first pfn not
 * taken.
 */
static pfn_t intake_blocks(struct page *head, pfn_t pfn, pfn_t e)
{
	const uint32_t mask = PAGE_ZONE_MASK | PG_lazy | PG_reserved;
	const uint32_t want = (head->flags & mask) | PG_lazy | PG_reserved;
	struct zone *zone = &mm_zones[page_zonenum(head)];
#if defined(CONFIG_FLATMEM)
	pfn_t stop = ALIGN_DOWN(e, MAX_ORDER_NR_PAGES); /* one array */
#else
	pfn_t stop =
	    min(ALIGN_DOWN(e, MAX_ORDER_NR_PAGES),
		ALIGN_DOWN(pfn, PAGES_PER_SECTION) + PAGES_PER_SECTION);
#endif
	pfn_t start = pfn;
	struct page *first = head;
	uint64_t n;

	if (run_at(zone, pfn, &stop) != NULL) {
		pr_err("page_alloc: pfns [%#llx-%#llx) are free already; "
		       "refused\n",
		       (unsigned long long)pfn,
		       (unsigned long long)(pfn + MAX_ORDER_NR_PAGES));
		intake_refused += MAX_ORDER_NR_PAGES;
		return pfn + MAX_ORDER_NR_PAGES;
	}
	for (; pfn < stop; pfn += MAX_ORDER_NR_PAGES) {
		if ((head->flags & mask) != want) {
			break;
		}
		head += MAX_ORDER_NR_PAGES;
	}
	n = (pfn - start) >> MAX_ORDER;
	zone->managed += n << MAX_ORDER;
	if (run_add(zone, start, pfn)) {
		zone->free_area[MAX_ORDER].nr_free += n;
		zone->free += n << MAX_ORDER;
		return pfn;
	}
	for (; first != head; first += MAX_ORDER_NR_PAGES) {
		poison_block(first, MAX_ORDER);
		free_list_add(zone, first, MAX_ORDER);
	}
	return pfn;
}

/*
 * memblock_free_all()'s and memblock_free_late()'s way in: whole pages
 * [base, base + size). Wholly covered lazy blocks become a free run: no
 * struct page is written for them.
 */
static void page_alloc_intake(phys_addr_t base, phys_addr_t size)
{
	pfn_t s = PFN_UP(base), e = PFN_DOWN(base + size);

	while (s < e) {
		pfn_t block = ALIGN_DOWN(s, MAX_ORDER_NR_PAGES);
		pfn_t next = min(e, block + MAX_ORDER_NR_PAGES);
		struct page *head = pfn_to_page(block);

		if (head == NULL) {
			pr_err("page_alloc: pfns [%#llx-%#llx) have no struct "
			       "page; not used\n",
			       (unsigned long long)s, (unsigned long long)next);
			intake_refused += next - s;
		} else if (s == block && next == block + MAX_ORDER_NR_PAGES &&
			   (head->flags & (PG_lazy | PG_reserved)) ==
			       (PG_lazy | PG_reserved)) {
			s = intake_blocks(head, block, e);
			continue;
		} else if (page_has(head, PG_lazy) &&
			   run_at(&mm_zones[page_zonenum(head)], block,
				  &(pfn_t){0}) != NULL) {
			pr_err("page_alloc: pfns [%#llx-%#llx) are free "
			       "already; refused\n",
			       (unsigned long long)s, (unsigned long long)next);
			intake_refused += next - s;
		} else {
			intake_partial(head, block, s, next);
		}
		s = next;
	}
}

void page_alloc_init(const pfn_t *start, const pfn_t *end)
{
	memset(mm_zones, 0, sizeof(mm_zones));
	intake_refused = 0;
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		mm_zones[z].start_pfn = start[z];
		mm_zones[z].end_pfn = end[z];
	}
	memblock_set_free_pages(page_alloc_intake);
}

void mm_snapshot(struct mm_stats *s)
{
	memset(s, 0, sizeof(*s));
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		const struct zone *zone = &mm_zones[z];

		s->zone_start_pfn[z] = zone->start_pfn;
		s->zone_end_pfn[z] = zone->end_pfn;
		s->managed[z] = zone->managed;
		s->free[z] = zone->free;
		s->allocated[z] = zone->allocated;
		for (int o = 0; o <= MAX_ORDER; o++) {
			s->nr_free[z][o] = zone->free_area[o].nr_free;
		}
	}
	kmalloc_stats(s);
}

bool mm_stats_free_equal(const struct mm_stats *a, const struct mm_stats *b)
{
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		if (a->free[z] != b->free[z]) {
			return false;
		}
		for (int o = 0; o <= MAX_ORDER; o++) {
			if (a->nr_free[z][o] != b->nr_free[z][o]) {
				return false;
			}
		}
	}
	return true;
}

/*
 * mm_check_accounting() walks the free lists in host tests and debug
 * builds; otherwise it adds up the per-order block counters, which the
 * walk (mm_check_free_lists()) proves equal to the lists.
 */
#if defined(CAIRN_HOST) || CAIRN_LOG_LEVEL >= LOG_DEBUG
#define MM_CHECK_WALK 1
#else
#define MM_CHECK_WALK 0
#endif

/* Pages of [s, e) inside [lo, hi). */
static uint64_t overlap(pfn_t s, pfn_t e, pfn_t lo, pfn_t hi)
{
	pfn_t a = max(s, lo), b = min(e, hi);

	return a < b ? b - a : 0;
}

/* Walk the free lists of zone @z; return the free pages found. */
static uint64_t check_free_lists(int z, bool *ok)
{
	const struct zone *zone = &mm_zones[z];
	uint64_t pages = 0;

	for (unsigned int o = 0; o <= MAX_ORDER; o++) {
		uint64_t n = 0, limit = (zone->managed >> o) + 1;

		for (struct page *p = zone->free_area[o].head; p != NULL;
		     p = p->next) {
			pfn_t pfn = page_to_pfn(p);

			if (++n > limit) {
				pr_err("mm: zone %s order %u: free list "
				       "loops\n",
				       zone_names[z], o);
				*ok = false;
				break;
			}
			if (!page_has(p, PG_buddy) || p->order != o ||
			    (int)page_zonenum(p) != z ||
			    !IS_ALIGNED(pfn, UINT64_C(1) << o) ||
			    pfn < zone->start_pfn ||
			    pfn + (UINT64_C(1) << o) > zone->end_pfn) {
				pr_err("mm: zone %s order %u: bad free block "
				       "at pfn %#llx (flags %#x, order %u)\n",
				       zone_names[z], o,
				       (unsigned long long)pfn, p->flags,
				       p->order);
				*ok = false;
			}
			pages += UINT64_C(1) << o;
		}
		for (unsigned int i = 0; o == MAX_ORDER && i < zone->nr_runs;
		     i++) {
			const struct free_run *run = &zone->runs[i];

			if (run->start >= run->end ||
			    !IS_ALIGNED(run->start, MAX_ORDER_NR_PAGES) ||
			    !IS_ALIGNED(run->end, MAX_ORDER_NR_PAGES) ||
			    run->start < zone->start_pfn ||
			    run->end > zone->end_pfn) {
				pr_err(
				    "mm: zone %s: bad free run [%#llx-%#llx)\n",
				    zone_names[z],
				    (unsigned long long)run->start,
				    (unsigned long long)run->end);
				*ok = false;
				continue;
			}
			n += (run->end - run->start) >> MAX_ORDER;
			pages += run->end - run->start;
		}
		if (n != zone->free_area[o].nr_free) {
			pr_err("mm: zone %s order %u: %llu blocks listed, "
			       "counter says %llu\n",
			       zone_names[z], o, (unsigned long long)n,
			       (unsigned long long)zone->free_area[o].nr_free);
			*ok = false;
		}
	}
	return pages;
}

/* Free pages of zone @z by its per-order block counters. */
static uint64_t counted_free(int z)
{
	uint64_t pages = 0;

	for (unsigned int o = 0; o <= MAX_ORDER; o++) {
		pages += mm_zones[z].free_area[o].nr_free << o;
	}
	return pages;
}

bool mm_check_free_lists(void)
{
	bool ok = true;

	for (int z = 0; z < MAX_NR_ZONES; z++) {
		uint64_t walked = check_free_lists(z, &ok);

		if (walked != mm_zones[z].free) {
			pr_err("mm: zone %s: %llu pages on the free lists, "
			       "counter says %llu\n",
			       zone_names[z], (unsigned long long)walked,
			       (unsigned long long)mm_zones[z].free);
			ok = false;
		}
	}
	return ok;
}

bool mm_check_accounting(struct mm_accounting *acct)
{
	pfn_t ks = PFN_DOWN(arch_virt_to_phys(__image_start));
	pfn_t ke = PFN_UP(arch_virt_to_phys(__image_end));
	uint64_t avail_zone[MAX_NR_ZONES] = {0};
	struct mm_accounting a = {0};
	struct memblock_region *r;
	phys_addr_t start, end;
	bool ok = true;
	uint64_t i;

	for_each_mem_region(r)
	{
		pfn_t s = PFN_UP(r->base), e = PFN_DOWN(r->base + r->size);

		if (s < e) {
			a.total += e - s;
			a.kernel += overlap(s, e, ks, ke);
		}
	}
	for_each_free_mem_range(i, NUMA_NO_NODE, MEMBLOCK_NONE, &start, &end,
				NULL)
	{
		pfn_t s = PFN_UP(start), e = PFN_DOWN(end);

		if (s >= e) {
			continue;
		}
		a.available += e - s;
		/* Image pages memblock freed (free_initmem()): not kernel. */
		a.kernel -= overlap(s, e, ks, ke);
		for (int z = 0; z < MAX_NR_ZONES; z++) {
			avail_zone[z] += overlap(s, e, mm_zones[z].start_pfn,
						 mm_zones[z].end_pfn);
		}
	}
	a.memmap = memmap_nr_pages();
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		const struct zone *zone = &mm_zones[z];
		uint64_t walked =
		    MM_CHECK_WALK ? check_free_lists(z, &ok) : counted_free(z);

		a.free += walked;
		a.allocated += zone->allocated;
		if (walked != zone->free) {
			pr_err("mm: zone %s: %llu pages in the free blocks, "
			       "counter says %llu\n",
			       zone_names[z], (unsigned long long)walked,
			       (unsigned long long)zone->free);
			ok = false;
		}
		if (zone->free + zone->allocated != zone->managed ||
		    zone->managed != avail_zone[z]) {
			pr_err("mm: zone %s: free %llu + allocated %llu, "
			       "managed %llu, memblock free %llu\n",
			       zone_names[z], (unsigned long long)zone->free,
			       (unsigned long long)zone->allocated,
			       (unsigned long long)zone->managed,
			       (unsigned long long)avail_zone[z]);
			ok = false;
		}
	}
	if (a.kernel + a.memmap > a.total - a.available) {
		pr_err("mm: kernel %llu + memmap %llu pages, but memblock "
		       "reserves only %llu\n",
		       (unsigned long long)a.kernel,
		       (unsigned long long)a.memmap,
		       (unsigned long long)(a.total - a.available));
		ok = false;
	} else {
		a.reserved = a.total - a.available - a.kernel - a.memmap;
	}
	if (a.free + a.allocated + a.memmap + a.kernel + a.reserved !=
	    a.total) {
		pr_err(
		    "mm: free %llu + allocated %llu + memmap %llu + kernel "
		    "%llu + reserved %llu != total %llu pages\n",
		    (unsigned long long)a.free, (unsigned long long)a.allocated,
		    (unsigned long long)a.memmap, (unsigned long long)a.kernel,
		    (unsigned long long)a.reserved,
		    (unsigned long long)a.total);
		ok = false;
	}
	if (intake_refused != 0) {
		pr_err("mm: %llu pages offered by memblock were refused\n",
		       (unsigned long long)intake_refused);
		ok = false;
	}
	if (acct != NULL) {
		*acct = a;
	}
	return ok;
}

bool mm_check_exit(const struct mm_stats *before)
{
	struct mm_accounting acct;
	struct mm_stats now;
	uint64_t pages = 0, was = 0;
	bool ok = mm_check_accounting(&acct) && mm_check_free_lists();

	mm_snapshot(&now);
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		pages += now.allocated[z];
		was += before->allocated[z];
	}
	if (!ok) {
		pr_err("mm: exit check: FAILED: page accounting broken (lines "
		       "above)\n");
		return false;
	}
	if (pages != was || now.kmalloc_objects != before->kmalloc_objects) {
		pr_err("mm: exit check: FAILED: leak: %llu pages allocated "
		       "(%llu kmalloc objects), %llu (%llu) before main()\n",
		       (unsigned long long)pages,
		       (unsigned long long)now.kmalloc_objects,
		       (unsigned long long)was,
		       (unsigned long long)before->kmalloc_objects);
		return false;
	}
	pr_info("mm: exit check: ok: %llu free + %llu allocated + %llu memmap "
		"+ %llu kernel + %llu reserved = %llu pages, nothing leaked\n",
		(unsigned long long)acct.free,
		(unsigned long long)acct.allocated,
		(unsigned long long)acct.memmap,
		(unsigned long long)acct.kernel,
		(unsigned long long)acct.reserved,
		(unsigned long long)acct.total);
	return true;
}

/* Two lines: free pages per zone, free blocks per order (all zones). */
static void page_alloc_show_free(void)
{
	uint64_t n[NR_PAGE_ORDERS] = {0};

	for (int z = 0; z < MAX_NR_ZONES; z++) {
		for (int o = 0; o <= MAX_ORDER; o++) {
			n[o] += mm_zones[z].free_area[o].nr_free;
		}
	}
	pr_info("page_alloc: free pages: DMA %llu, DMA32 %llu, Normal %llu\n",
		(unsigned long long)mm_zones[ZONE_DMA].free,
		(unsigned long long)mm_zones[ZONE_DMA32].free,
		(unsigned long long)mm_zones[ZONE_NORMAL].free);
	_Static_assert(MAX_ORDER == 10, "one %llu per order below");
	pr_debug("page_alloc: free blocks by order 0-10: %llu %llu %llu %llu "
		 "%llu %llu %llu %llu %llu %llu %llu\n",
		 (unsigned long long)n[0], (unsigned long long)n[1],
		 (unsigned long long)n[2], (unsigned long long)n[3],
		 (unsigned long long)n[4], (unsigned long long)n[5],
		 (unsigned long long)n[6], (unsigned long long)n[7],
		 (unsigned long long)n[8], (unsigned long long)n[9],
		 (unsigned long long)n[10]);
}

/* Size of [a, b) in KiB. */
static uint64_t kib(const char *a, const char *b)
{
	return (uint64_t)(b - a) >> 10;
}

void mem_init_print_info(void)
{
	uint64_t managed = 0, total_k = memblock_phys_mem_size() >> 10;
	uint64_t avail_k;

	for (int z = 0; z < MAX_NR_ZONES; z++) {
		managed += mm_zones[z].managed;
	}
	avail_k = managed << (PAGE_SHIFT - 10);
	/* As Linux: reserved is everything present but not managed. */
	pr_info(
	    "Memory: %lluK/%lluK available (%lluK kernel code, %lluK "
	    "rwdata, %lluK rodata, %lluK init, %lluK bss, %lluK "
	    "reserved)\n",
	    (unsigned long long)avail_k, (unsigned long long)total_k,
	    (unsigned long long)kib(__text_start, __text_end),
	    (unsigned long long)kib(__data_start, __data_end),
	    (unsigned long long)kib(__rodata_start, __rodata_end),
	    (unsigned long long)kib(__init_start, __init_end),
	    (unsigned long long)kib(__bss_start, __bss_end),
	    (unsigned long long)(total_k > avail_k ? total_k - avail_k : 0));
	page_alloc_show_free();
}

void mm_reset(void)
{
	memset(mm_zones, 0, sizeof(mm_zones));
	intake_refused = 0;
	memblock_set_free_pages(NULL);
	memmap_reset();
	kmalloc_reset();
}
