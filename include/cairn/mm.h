// SPDX-License-Identifier: BSD-2-Clause
/*
 * Memory management after memblock: struct page and the memory models
 * (generic/mm/memmap.c), zones and the buddy page allocator
 * (generic/mm/page_alloc.c), kmalloc (generic/mm/kmalloc.c) and the page
 * accounting. docs/mm.md is the design; this header is the contract.
 *
 * One CPU, interrupts off: nothing here takes a lock, and nothing may be
 * called from a trap handler. Every function is usable after memmap_init()
 * and memblock_free_all(); before that the allocators return NULL.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cairn/arch.h>
#include <cairn/compiler.h>
#include <cairn/types.h>

/*
 * Orders 0..MAX_ORDER, both INCLUSIVE (Linux >= 6.4 semantics, where
 * MAX_ORDER was redefined to be the largest order, not one past it): with
 * 4 KiB pages the largest block is 2^10 pages = 4 MiB.
 */
#define MAX_ORDER 10
#define NR_PAGE_ORDERS (MAX_ORDER + 1)
#define MAX_ORDER_NR_PAGES (UINT64_C(1) << MAX_ORDER)

/*
 * SPARSEMEM sections: 2^27 bytes = 128 MiB, as Linux on x86-64 and arm64
 * (4K pages). Physical addresses above 2^MAX_PHYSMEM_BITS (256 TiB) are
 * ignored by memmap_init() with a warning.
 */
#define SECTION_SIZE_BITS 27
#define MAX_PHYSMEM_BITS 48
#define PFN_SECTION_SHIFT (SECTION_SIZE_BITS - PAGE_SHIFT)
#define PAGES_PER_SECTION (UINT64_C(1) << PFN_SECTION_SHIFT)
#define NR_MEM_SECTIONS (UINT64_C(1) << (MAX_PHYSMEM_BITS - SECTION_SIZE_BITS))

_Static_assert(SECTION_SIZE_BITS >= PAGE_SHIFT + MAX_ORDER,
	       "a max-order block never spans two sections");

/**
 * enum zone_type - physical address ranges with different DMA reach
 * @ZONE_DMA: below the narrowest DMA master's limit (x86: 16 MiB ISA DMA;
 *	the Raspberry Pi 4: 1 GiB)
 * @ZONE_DMA32: below 4 GiB, for 32-bit DMA masters
 * @ZONE_NORMAL: everything else
 *
 * Zones are consecutive pfn ranges in this order. arch_zone_limits() gives
 * each zone's end (0: the platform has no such zone).
 */
enum zone_type { ZONE_DMA, ZONE_DMA32, ZONE_NORMAL, MAX_NR_ZONES };

/* arch_zone_limits(): "this zone takes everything above the previous one". */
#define ZONE_NO_LIMIT UINT64_MAX

/**
 * struct page - one page frame; 32 bytes (0.78% of memory with 4K pages)
 * @flags: the PG_* state bits (bits 0-7), the zone (bits 8-9) and the
 *	SPARSEMEM section number (bits 10-31); see PAGE_ZONE_SHIFT
 * @order: PG_buddy: the order of the free block this page heads;
 *	PG_head: the order of the allocated block
 * @kclass: PG_slab: kmalloc cache index (type * classes + class)
 * @inuse: PG_slab: objects handed out from this page
 * @next, @prev: PG_buddy: the zone's free list of this order; PG_slab: the
 *	cache's list of partially used pages
 * @freelist: PG_slab: first free object (each points to the next), or NULL
 *
 * The size is a power of two on purpose: SPARSEMEM aligns each section's
 * memmap to its size so page_to_pfn() needs no per-page section field to
 * be initialised (docs/mm.md, "Lazy initialisation").
 */
struct page {
	uint32_t flags;
	uint8_t order;
	uint8_t kclass;
	uint16_t inuse;
	struct page *next;
	struct page *prev;
	void *freelist;
};

_Static_assert(sizeof(struct page) == 32, "struct page is 32 bytes");

/* State bits of page->flags. */
#define PG_reserved 0x01u /* not the page allocator's (reserved, hole) */
#define PG_buddy 0x02u	  /* heads a free block of page->order */
#define PG_head 0x04u	  /* heads an allocated block of page->order */
#define PG_lazy                                                                \
	0x08u	       /* max-order block head: the other struct               \
			* pages of the block are not initialised */
#define PG_slab 0x10u  /* a kmalloc size-class page */
#define PG_large 0x20u /* a kmalloc allocation above the classes */
#define PG_STATE_MASK 0xffu

/* Bits of page->flags fixed at initialisation: zone and section. */
#define PAGE_ZONE_SHIFT 8
#define PAGE_ZONE_MASK (0x3u << PAGE_ZONE_SHIFT)
#define PAGE_SECTION_SHIFT 10
#define PAGE_SECTION_BITS 22
#define PAGE_FIXED_MASK (~PG_STATE_MASK)

_Static_assert(MAX_NR_ZONES <= 4, "the zone fits in two bits");
_Static_assert(MAX_PHYSMEM_BITS - SECTION_SIZE_BITS <= PAGE_SECTION_BITS,
	       "the section number fits in page->flags");

static inline enum zone_type page_zonenum(const struct page *page)
{
	return (enum zone_type)((page->flags & PAGE_ZONE_MASK) >>
				PAGE_ZONE_SHIFT);
}

static inline bool page_has(const struct page *page, uint32_t pg)
{
	return (page->flags & pg) != 0;
}

/* Memory model conversions (generic/mm/memmap.c; chosen by -Dmemory_model). */

/**
 * pfn_to_page() - the struct page of page frame @pfn
 *
 * Return: the struct page, or NULL when @pfn has none (outside the memmap:
 * beyond the FLATMEM array, in a SPARSEMEM section without memory).
 */
struct page *pfn_to_page(pfn_t pfn);

/* The page frame number of @page, which must come from pfn_to_page(). */
pfn_t page_to_pfn(const struct page *page);

/* Whether @pfn has a struct page (not: whether it is memory). */
bool pfn_valid(pfn_t pfn);

/* "FLATMEM", "SPARSEMEM" or "SPARSEMEM_VMEMMAP". */
const char *memmap_model_name(void);

/* Kernel virtual address of the page (the linear map). */
static inline void *page_address(const struct page *page)
{
	return arch_phys_to_virt(PFN_PHYS(page_to_pfn(page)));
}

/* The struct page of a linear-map address, or NULL. */
static inline struct page *virt_to_page(const void *addr)
{
	return pfn_to_page(PHYS_PFN(arch_virt_to_phys(addr)));
}

/**
 * memmap_init() - struct pages for all memory, zones, page allocator intake
 *
 * Reads the zone limits from arch_zone_limits(), allocates the memmap of
 * the build's memory model from memblock, initialises one struct page per
 * max-order block (the rest lazily, docs/mm.md) and registers the page
 * allocator with memblock_set_free_pages(). Called by mm_init() before
 * memblock_free_all(), once.
 * Return: 0; -ENOMEM if memblock has no room for the memmap; -EINVAL if
 * there is no memory or memmap_init() already ran.
 */
int memmap_init(void);

/* GFP flags: where a page may come from and what to do with it. */
typedef uint32_t gfp_t;

#define __GFP_DMA 0x01u	    /* ZONE_DMA only */
#define __GFP_DMA32 0x02u   /* ZONE_DMA32, else ZONE_DMA */
#define __GFP_ZERO 0x100u   /* zero the memory */
#define __GFP_NOWARN 0x200u /* fail without a log line */

/* Nothing to reclaim in Cairn: GFP_KERNEL is "any zone, may not sleep". */
#define GFP_KERNEL 0x0u
#define GFP_DMA __GFP_DMA
#define GFP_DMA32 __GFP_DMA32

/**
 * alloc_pages() - allocate 2^@order physically contiguous pages
 * @gfp: GFP_KERNEL (NORMAL, then DMA32, then DMA), GFP_DMA32 (DMA32, then
 *	DMA) or GFP_DMA (DMA only), with __GFP_ZERO / __GFP_NOWARN
 * @order: 0..MAX_ORDER
 *
 * The block is aligned to its size (pfn a multiple of 2^@order).
 * Return: the first page, or NULL (logged unless __GFP_NOWARN).
 */
struct page *alloc_pages(gfp_t gfp, unsigned int order);

/**
 * __free_pages() - give back a block from alloc_pages()
 * @page: its first page (NULL does nothing)
 * @order: the order it was allocated with
 *
 * Coalesces with its free buddies. Panics on a page that does not head an
 * allocated block of that order (a double free or a wrong order).
 */
void __free_pages(struct page *page, unsigned int order);

/* The same with linear-map addresses; 0 means failure / nothing to free. */
uintptr_t __get_free_pages(gfp_t gfp, unsigned int order);
uintptr_t get_zeroed_page(gfp_t gfp);
void free_pages(uintptr_t addr, unsigned int order);

static inline struct page *alloc_page(gfp_t gfp)
{
	return alloc_pages(gfp, 0);
}

static inline void __free_page(struct page *page)
{
	__free_pages(page, 0);
}

static inline uintptr_t __get_free_page(gfp_t gfp)
{
	return __get_free_pages(gfp, 0);
}

static inline void free_page(uintptr_t addr)
{
	free_pages(addr, 0);
}

/* Smallest order whose block holds @size bytes (0 for 0). */
static inline unsigned int get_order(size_t size)
{
	uint64_t pages;

	if (size <= PAGE_SIZE) {
		return 0;
	}
	pages = ((uint64_t)size - 1) >> PAGE_SHIFT;
	return 64u - (unsigned int)__builtin_clzll(pages);
}

/* Free pages in all zones. */
uint64_t nr_free_pages(void);

/* Name of a zone: "DMA", "DMA32", "Normal". */
const char *zone_name(enum zone_type zone);

/**
 * struct mm_stats - a snapshot of the allocators' counters
 * @zone_start_pfn, @zone_end_pfn: span of each zone, clipped to memory
 * @managed: pages each zone was given by memblock_free_all()/free_late()
 * @free: free pages per zone
 * @allocated: pages per zone handed out by alloc_pages() (kmalloc's too)
 * @nr_free: free blocks per zone and order
 * @kmalloc_objects: kmalloc allocations in use (classes and large)
 * @kmalloc_slab_pages: pages the size classes hold
 * @kmalloc_large_pages: pages of kmalloc allocations above the classes
 * @kmalloc_bytes: bytes in use, counted in class / block sizes
 */
struct mm_stats {
	uint64_t zone_start_pfn[MAX_NR_ZONES];
	uint64_t zone_end_pfn[MAX_NR_ZONES];
	uint64_t managed[MAX_NR_ZONES];
	uint64_t free[MAX_NR_ZONES];
	uint64_t allocated[MAX_NR_ZONES];
	uint64_t nr_free[MAX_NR_ZONES][NR_PAGE_ORDERS];
	uint64_t kmalloc_objects;
	uint64_t kmalloc_slab_pages;
	uint64_t kmalloc_large_pages;
	uint64_t kmalloc_bytes;
};

/* Take a snapshot of every counter. */
void mm_snapshot(struct mm_stats *s);

/*
 * Whether two snapshots have the same free pages, per zone and per order:
 * after freeing all it allocated, a test finds the snapshot it took before.
 */
bool mm_stats_free_equal(const struct mm_stats *a, const struct mm_stats *b);

/**
 * struct mm_accounting - where every page of memory is, in pages
 * @total: whole pages of memblock.memory (every region, NOMAP included)
 * @free: pages in the buddy free lists (by the per-order block counters;
 *	walking the lists in host tests and debug builds)
 * @allocated: pages handed out by alloc_pages() and not freed
 * @memmap: pages memmap_init() took from memblock (struct pages, section
 *	tables)
 * @kernel: pages of memory the kernel image [__image_start, __image_end)
 *	touches and memblock still reserves (free_initmem() gives the .init
 *	pages back: they count as free or allocated from then on)
 * @reserved: all other pages of memory the page allocator never got: those
 *	touched by a memblock.reserved range (firmware, DTB, initrd, page
 *	tables, memblock's arrays) or in a NOMAP / driver-managed region
 * @available: whole pages of memblock's free ranges now (the pages
 *	memblock_free_all() hands over, plus those freed late)
 *
 * The invariant: free + allocated + memmap + kernel + reserved == total,
 * where reserved = total - available - kernel - memmap >= 0; i.e. the page
 * allocator holds exactly memblock's free pages, in the right zones.
 */
struct mm_accounting {
	uint64_t total;
	uint64_t free;
	uint64_t allocated;
	uint64_t memmap;
	uint64_t kernel;
	uint64_t reserved;
	uint64_t available;
};

/**
 * mm_check_accounting() - check the page accounting invariant
 * @acct: out, the terms (may be NULL)
 *
 * Per zone, the pages of the per-order free block counters must match the
 * free page counter, and free + allocated must equal memblock's free pages
 * in the zone's span. Host tests and debug builds (log_level=debug) also
 * walk every free list as mm_check_free_lists() does. Logs each broken
 * rule at LOG_ERR. O(memory regions + reservations); the walk adds
 * O(free blocks).
 * Return: true if everything holds.
 */
bool mm_check_accounting(struct mm_accounting *acct);

/**
 * mm_check_free_lists() - walk every free list of every zone
 *
 * Each block must head a free block of its order, aligned, inside its
 * zone; each list's length must match its counter and each zone's pages
 * its free page counter. Logs each broken rule at LOG_ERR. O(free
 * blocks): for tests, not for boot.
 * Return: true if everything holds.
 */
bool mm_check_free_lists(void);

/**
 * mm_check_exit() - "nothing lost": the check after main() returns
 * @before: mm_snapshot() taken just before main() was called
 *
 * mm_check_accounting() and mm_check_free_lists() must hold, and the pages
 * allocated and kmalloc objects in use must be what they were before
 * main(). Logs "mm: exit check: ok: ..." (LOG_INFO), or one
 * "mm: exit check: FAILED: ..." line (LOG_ERR) after the rule's own lines.
 * ci/qemu-run.py fails every boot whose main() returned without the ok
 * line.
 * Return: true if everything holds.
 */
bool mm_check_exit(const struct mm_stats *before);

/**
 * initmem_free() - give a boot-time reservation back to the page allocator
 * @base, @size: the range, reserved in full in memblock
 * @pages: out, may be NULL: the pages the page allocator got
 *
 * After memblock_free_all() only (generic/mm/initmem.c). The range leaves
 * memblock.reserved, and every page around it that is now wholly free in
 * memblock goes to the page allocator, so mm_check_accounting() still
 * holds. The caller maps the range as ordinary memory first.
 * Return: 0; -EINVAL (empty, wraps, too early); -EBUSY (part of it is
 * free already: nothing done); -ENOMEM (no memblock slot: nothing done).
 */
int initmem_free(phys_addr_t base, phys_addr_t size, uint64_t *pages);

/*
 * Log the report line, "Memory: <avail>K/<total>K available (...)", and
 * the free pages per zone and per order (two LOG_INFO lines).
 */
void mem_init_print_info(void);

/* Host tests: forget the memmap, the zones and kmalloc's caches. */
void mm_reset(void);

/* kmalloc: power-of-two size classes 16..2048 bytes, larger from pages. */
#define KMALLOC_MIN_SIZE 16u
#define KMALLOC_MAX_CACHE_SIZE 2048u
#define KMALLOC_MAX_SIZE ((size_t)(PAGE_SIZE << MAX_ORDER))

/* kmalloc(0) returns this: not NULL, but never dereferenceable (Linux). */
#define ZERO_SIZE_PTR ((void *)16)
#define ZERO_OR_NULL_PTR(p) ((uintptr_t)(p) <= (uintptr_t)ZERO_SIZE_PTR)

/**
 * kmalloc() - allocate @size bytes
 * @size: bytes; up to KMALLOC_MAX_CACHE_SIZE from a size class, above that
 *	straight from the page allocator (up to KMALLOC_MAX_SIZE)
 * @gfp: zone and flags as for alloc_pages(); __GFP_ZERO zeroes
 *
 * The result is aligned to min(size rounded up to its class or block,
 * PAGE_SIZE): kmalloc(n) for a power of two n is n-aligned.
 * Return: the memory, ZERO_SIZE_PTR for @size 0, or NULL.
 */
void *kmalloc(size_t size, gfp_t gfp);

/* Free what kmalloc() & co. returned; NULL and ZERO_SIZE_PTR are fine. */
void kfree(const void *ptr);

/* Usable bytes of a kmalloc() allocation (its class or block size). */
size_t ksize(const void *ptr);

/**
 * krealloc() - resize a kmalloc() allocation
 * @ptr: the allocation, or NULL / ZERO_SIZE_PTR (then like kmalloc())
 * @new_size: 0 frees @ptr and returns ZERO_SIZE_PTR
 * @gfp: as for kmalloc()
 *
 * Stays in place when kmalloc(@new_size) would give the same class or
 * block size as @ptr has; else moves, so a shrink gives memory back (a
 * shrink that cannot move stays in place).
 * Return: the allocation, or NULL with @ptr untouched.
 */
void *krealloc(const void *ptr, size_t new_size, gfp_t gfp);

/* @n * @size zeroed bytes; NULL if the product overflows. */
void *kcalloc(size_t n, size_t size, gfp_t gfp);

/* @n * @size bytes; NULL if the product overflows. */
void *kmalloc_array(size_t n, size_t size, gfp_t gfp);

static inline void *kzalloc(size_t size, gfp_t gfp)
{
	return kmalloc(size, gfp | __GFP_ZERO);
}
