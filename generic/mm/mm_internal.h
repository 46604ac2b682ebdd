// SPDX-License-Identifier: BSD-2-Clause
/*
 * What memmap.c, page_alloc.c and kmalloc.c share and nobody else may use:
 * the zones, the free lists and the struct page initialisation helpers.
 * Everything public is in <cairn/mm.h>.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cairn/mm.h>
#include <cairn/types.h>

/* One free list per order: a NULL-terminated doubly linked list. */
struct free_area {
	struct page *head;
	uint64_t nr_free; /* blocks on the list */
};

/*
 * A run of wholly free max-order blocks, [start, end) in pfns, both
 * MAX_ORDER_NR_PAGES-aligned, that memblock_free_all() handed over and
 * nothing has taken yet: counted on the MAX_ORDER free list (nr_free, the
 * zone's free and managed pages) but not linked into it. Their heads stay
 * PG_reserved | PG_lazy as memmap_init() wrote them; rmqueue() takes a
 * block from a run's end when the lists have none.
 */
struct free_run {
	pfn_t start;
	pfn_t end;
};

/* Runs per zone; more intake of whole blocks goes onto the list. */
#define NR_FREE_RUNS 32

/**
 * struct zone - one zone's span and page allocator state
 * @start_pfn, @end_pfn: the pfns of the zone, [start, end), clipped to
 *	memory; empty when equal
 * @managed: pages memblock handed to this zone
 * @free: pages on the free lists
 * @allocated: pages handed out by alloc_pages()
 * @free_area: the free lists, by order
 * @runs, @nr_runs: runs of free max-order blocks not on the list
 */
struct zone {
	pfn_t start_pfn;
	pfn_t end_pfn;
	uint64_t managed;
	uint64_t free;
	uint64_t allocated;
	struct free_area free_area[NR_PAGE_ORDERS];
	struct free_run runs[NR_FREE_RUNS];
	unsigned int nr_runs;
};

extern struct zone mm_zones[MAX_NR_ZONES];

/*
 * page_alloc.c: take the zone spans (memmap_init() computed them from
 * arch_zone_limits()) and register the intake with memblock.
 */
void page_alloc_init(const pfn_t *start, const pfn_t *end);

/*
 * The zone @pfn belongs to: the first non-empty zone that ends above it,
 * else the last non-empty one (pfns beyond memory in memory's last block).
 */
enum zone_type pfn_zone(pfn_t pfn);

/*
 * Misuse of the allocators (docs/mm.md, "Misuse and accounting checks").
 * mm_misuse() logs one line, "@who: @what by caller <address>: <detail>",
 * and panics (status 255). @caller is __builtin_return_address(0) of the
 * public entry point the misuse came through.
 */
__noreturn __printf(4, 5) void mm_misuse(const char *who, const char *what,
					 const void *caller, const char *fmt,
					 ...);

/* The first byte of [@p, @p + @len) that is not @poison, or NULL. */
const uint8_t *mm_find_unpoisoned(const void *p, size_t len, uint8_t poison);

/* CONFIG_MM_DEBUG (-Dmm_debug=true): free pages are filled with this. */
#define PAGE_POISON 0xaa

/* alloc_pages() and __free_pages() with the caller to report. */
struct page *alloc_pages_caller(gfp_t gfp, unsigned int order,
				const void *caller);
void free_pages_caller(struct page *page, unsigned int order,
		       const void *caller);

/* kmalloc() and kfree() with the caller to report (malloc.c's too). */
void *kmalloc_caller(size_t size, gfp_t gfp, const void *caller);
void kfree_caller(const void *ptr, const void *caller);

/* Whether @page (with a struct page) is in a free block of the buddy. */
bool mm_page_is_free(struct page *page);

/* memmap.c: pages of memory the memmap took from memblock. */
uint64_t memmap_nr_pages(void);
void memmap_reset(void);

/* kmalloc.c: counters for mm_snapshot(), and the host-test reset. */
void kmalloc_stats(struct mm_stats *s);
void kmalloc_reset(void);

/* Zone and section bits of the struct page of @pfn. */
static inline uint32_t page_fixed_flags(pfn_t pfn)
{
	uint32_t section = (uint32_t)(pfn >> PFN_SECTION_SHIFT) &
			   ((UINT32_C(1) << PAGE_SECTION_BITS) - 1);

	return ((uint32_t)pfn_zone(pfn) << PAGE_ZONE_SHIFT) |
	       (section << PAGE_SECTION_SHIFT);
}

/*
 * Write @page from scratch with @flags, every other field zero: field by
 * field, which compilers turn into a few wide stores (a compound literal
 * may go through a copy on the stack).
 */
static inline void page_write(struct page *page, uint32_t flags)
{
	page->flags = flags;
	page->order = 0;
	page->kclass = 0;
	page->inuse = 0;
	page->next = NULL;
	page->prev = NULL;
	page->freelist = NULL;
}

/* Write the struct page of @pfn from scratch, in state @state. */
static inline void page_init(struct page *page, pfn_t pfn, uint32_t state)
{
	page_write(page, page_fixed_flags(pfn) | state);
}

/* Replace the state bits of @page, keeping its zone and section. */
static inline void page_set_state(struct page *page, uint32_t state)
{
	page->flags = (page->flags & PAGE_FIXED_MASK) | state;
}
