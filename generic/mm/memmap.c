// SPDX-License-Identifier: BSD-2-Clause
/*
 * The memmap: a struct page for every page frame of memory, laid out by the
 * memory model the build chose (-Dmemory_model, docs/mm.md):
 *
 *   FLATMEM            one array for [lowest, highest pfn of memory), rounded
 *                      out to max-order blocks; holes inside cost 32 bytes
 *                      per 4 KiB page
 *   SPARSEMEM          one 1 MiB array per 128 MiB section that holds
 *                      memory, found through a two-level section table;
 *                      sections without memory cost nothing
 *   SPARSEMEM_VMEMMAP  the same sections, mapped virtually contiguous at
 *                      VMEMMAP_START with pt_map(), so the conversions are
 *                      arithmetic
 *
 * memmap_init() also computes the zone spans from arch_zone_limits(), and
 * writes only one struct page per max-order block of memory: the rest of a
 * block is initialised on first use (page_alloc.c), so boot does not touch
 * 0.78% of memory. This file never hands pages to the allocator and never
 * maps anything but the vmemmap.
 */
#include <string.h>

#include <cairn/arch.h>
#include <cairn/errno.h>
#include <cairn/log.h>
#include <cairn/memblock.h>
#include <cairn/mm.h>
#if defined(CONFIG_SPARSEMEM_VMEMMAP)
#include <cairn/pgtable.h>
#endif

#include "mm_internal.h"

#if defined(CONFIG_FLATMEM) && defined(CONFIG_SPARSEMEM)
#error "choose one memory model: CONFIG_FLATMEM or CONFIG_SPARSEMEM"
#endif
#if !defined(CONFIG_FLATMEM) && !defined(CONFIG_SPARSEMEM)
#error "no memory model: meson -Dmemory_model defines CONFIG_FLATMEM etc."
#endif
#if defined(CONFIG_SPARSEMEM_VMEMMAP) && !defined(CONFIG_SPARSEMEM)
#error "CONFIG_SPARSEMEM_VMEMMAP needs CONFIG_SPARSEMEM, as in Linux"
#endif

/* Bytes of memmap one section needs: 1 MiB, a power of two. */
#define SECTION_MEMMAP_SIZE (PAGES_PER_SECTION * sizeof(struct page))
/* Section table: a root entry points to a page of section entries. */
#define SECTIONS_PER_ROOT (PAGE_SIZE / sizeof(struct page *))

#if defined(CONFIG_SPARSEMEM_VMEMMAP)
#ifndef VMEMMAP_START
#error "SPARSEMEM_VMEMMAP needs VMEMMAP_START in <cairn/arch/pgtable.h>"
#endif
#define vmemmap ((struct page *)(uintptr_t)(VMEMMAP_START))
#endif

static struct {
	bool ready;
	pfn_t min_pfn;	       /* first pfn of memory */
	pfn_t max_pfn;	       /* one past the last */
	uint64_t memmap_pages; /* pages of memory taken from memblock */
#if defined(CONFIG_FLATMEM)
	struct page *map; /* struct page of map_start */
	pfn_t map_start;  /* covered: [map_start, map_end) */
	pfn_t map_end;
#else
	struct page ***roots; /* roots[r][i]: memmap of section r * SPR + i */
	uint64_t nr_roots;
	uint64_t nr_present; /* sections with a memmap */
#endif
} mm_map;

/* Allocate memmap memory from memblock and count it. */
static void *memmap_alloc(uint64_t size, uint64_t align, bool zero)
{
	void *p;

	size = ALIGN_UP(size, PAGE_SIZE);
	p = zero ? memblock_alloc(size, align)
		 : memblock_alloc_raw(size, align);
	if (p != NULL) {
		mm_map.memmap_pages += size >> PAGE_SHIFT;
	}
	return p;
}

#if defined(CONFIG_FLATMEM)

struct page *pfn_to_page(pfn_t pfn)
{
	if (pfn < mm_map.map_start || pfn >= mm_map.map_end) {
		return NULL;
	}
	return mm_map.map + (pfn - mm_map.map_start);
}

pfn_t page_to_pfn(const struct page *page)
{
	return mm_map.map_start + (pfn_t)(page - mm_map.map);
}

const char *memmap_model_name(void)
{
	return "FLATMEM";
}

/* One array for every pfn from the lowest to the highest of memory. */
static int memmap_model_init(void)
{
	pfn_t start = ALIGN_DOWN(mm_map.min_pfn, MAX_ORDER_NR_PAGES);
	pfn_t end = ALIGN_UP(mm_map.max_pfn, MAX_ORDER_NR_PAGES);
	uint64_t bytes = (end - start) * sizeof(struct page);

	mm_map.map = memmap_alloc(bytes, PAGE_SIZE, false);
	if (mm_map.map == NULL) {
		pr_err("memmap_init: no room for the FLATMEM memmap, %llu KiB "
		       "for pfns [%#llx-%#llx)\n",
		       (unsigned long long)(bytes >> 10),
		       (unsigned long long)start, (unsigned long long)end);
		return -ENOMEM;
	}
	mm_map.map_start = start;
	mm_map.map_end = end;
	return 0;
}

#else /* CONFIG_SPARSEMEM */

/* The memmap of section @sec (its first struct page), or NULL. */
static struct page *section_map(uint64_t sec)
{
	struct page **entries;

	if (sec / SECTIONS_PER_ROOT >= mm_map.nr_roots) {
		return NULL;
	}
	entries = mm_map.roots[sec / SECTIONS_PER_ROOT];
	return entries == NULL ? NULL : entries[sec % SECTIONS_PER_ROOT];
}

struct page *pfn_to_page(pfn_t pfn)
{
	struct page *map = section_map(pfn >> PFN_SECTION_SHIFT);

	return map == NULL ? NULL : map + (pfn & (PAGES_PER_SECTION - 1));
}

#if defined(CONFIG_SPARSEMEM_VMEMMAP)

pfn_t page_to_pfn(const struct page *page)
{
	return (pfn_t)(page - vmemmap);
}

const char *memmap_model_name(void)
{
	return "SPARSEMEM_VMEMMAP";
}

#else

/*
 * Each section's memmap is aligned to its size, so the start of the array a
 * struct page is in is its address rounded down; that first struct page
 * carries the section number (memmap_section_add() wrote it), so no other
 * struct page needs to be initialised for this to work.
 */
pfn_t page_to_pfn(const struct page *page)
{
	uintptr_t base =
	    (uintptr_t)page & ~(uintptr_t)(SECTION_MEMMAP_SIZE - 1);
	const struct page *first = (const struct page *)base;
	uint64_t sec = first->flags >> PAGE_SECTION_SHIFT;

	return (sec << PFN_SECTION_SHIFT) + (pfn_t)(page - first);
}

const char *memmap_model_name(void)
{
	return "SPARSEMEM";
}

#endif

#if defined(CONFIG_SPARSEMEM_VMEMMAP)

/*
 * Back [va, va + size) of the vmemmap with memblock memory. 2 MiB at a time
 * where the virtual address allows it, so that pt_map() can use a block
 * mapping; else 1 MiB (one section), which pt_map() maps with pages.
 */
static int vmemmap_populate(uint64_t va, uint64_t size)
{
	const uint64_t big = 2 * SECTION_MEMMAP_SIZE;

	while (size > 0) {
		uint64_t chunk = SECTION_MEMMAP_SIZE;
		void *p = NULL;
		int err;

		if (IS_ALIGNED(va, big) && size >= big) {
			/* All the 2 MiB of the run at once: one alloc, one map.
			 */
			chunk = ALIGN_DOWN(size, big);
			p = memmap_alloc(chunk, big, false);
			if (p == NULL) {
				chunk = big;
			}
		}
		if (p == NULL) {
			p = memmap_alloc(chunk, chunk, false);
		}

		if (p == NULL) {
			pr_err("memmap_init: no room for %llu KiB of vmemmap "
			       "at %#llx\n",
			       (unsigned long long)(chunk >> 10),
			       (unsigned long long)va);
			return -ENOMEM;
		}
		err = pt_map(&kernel_pgtable, va, arch_virt_to_phys(p), chunk,
			     PROT_READ | PROT_WRITE);
		if (err != 0) {
			pr_err("memmap_init: pt_map of the vmemmap at %#llx "
			       "failed (%d)\n",
			       (unsigned long long)va, err);
			return err;
		}
		va += chunk;
		size -= chunk;
	}
	return 0;
}

#endif

/*
 * Give section @sec a memmap (and its table entries) unless it has one:
 * @map if not NULL (SPARSEMEM: part of a run allocated at once), else
 * memory of its own.
 */
static int memmap_section_add(uint64_t sec, struct page *map)
{
	struct page ***root = &mm_map.roots[sec / SECTIONS_PER_ROOT];

	if (*root == NULL) {
		*root = memmap_alloc(PAGE_SIZE, PAGE_SIZE, true);
		if (*root == NULL) {
			pr_err(
			    "memmap_init: no room for a section table page\n");
			return -ENOMEM;
		}
	}
	if ((*root)[sec % SECTIONS_PER_ROOT] != NULL) {
		return 0;
	}
#if defined(CONFIG_SPARSEMEM_VMEMMAP)
	map = vmemmap + (sec << PFN_SECTION_SHIFT);
#else
	if (map == NULL) {
		map = memmap_alloc(SECTION_MEMMAP_SIZE, SECTION_MEMMAP_SIZE,
				   false);
	}
	if (map == NULL) {
		pr_err("memmap_init: no room for the memmap of section %#llx "
		       "(%llu KiB)\n",
		       (unsigned long long)sec,
		       (unsigned long long)(SECTION_MEMMAP_SIZE >> 10));
		return -ENOMEM;
	}
	if (!IS_ALIGNED((uintptr_t)map, SECTION_MEMMAP_SIZE)) {
		/* page_to_pfn() relies on it; the linear map must keep it. */
		pr_err("memmap_init: section memmap at %p is not aligned to "
		       "its size: the linear map offset breaks SPARSEMEM\n",
		       (void *)map);
		return -EINVAL;
	}
#endif
	(*root)[sec % SECTIONS_PER_ROOT] = map;
	mm_map.nr_present++;
	return 0;
}

#if defined(CONFIG_SPARSEMEM_VMEMMAP)
/*
 * Map the memmap of every run of present sections, then flush the TLB.
 * The table pages pt_map() takes from memblock count as memmap too.
 */
static int memmap_vmemmap_map(uint64_t nr_sections)
{
	uint64_t sec = 0, tables = kernel_pgtable.nr_tables;

	while (sec < nr_sections) {
		uint64_t run = sec;
		int err;

		if (section_map(sec) == NULL) {
			sec++;
			continue;
		}
		while (run < nr_sections && section_map(run) != NULL) {
			run++;
		}
		err = vmemmap_populate((uint64_t)(uintptr_t)section_map(sec),
				       (run - sec) * SECTION_MEMMAP_SIZE);
		if (err != 0) {
			return err;
		}
		sec = run;
	}
	mm_map.memmap_pages += kernel_pgtable.nr_tables - tables;
	arch_tlb_flush_all();
	return 0;
}
#endif

/* Sections holding any memory (NOMAP too) get a memmap; others nothing. */
static int memmap_model_init(void)
{
	uint64_t nr_sections = ((mm_map.max_pfn - 1) >> PFN_SECTION_SHIFT) + 1;
	struct memblock_region *r;
	int err;

	uint64_t nr_roots =
	    (nr_sections + SECTIONS_PER_ROOT - 1) / SECTIONS_PER_ROOT;

	mm_map.roots =
	    memmap_alloc(nr_roots * sizeof(*mm_map.roots), PAGE_SIZE, true);
	if (mm_map.roots == NULL) {
		pr_err("memmap_init: no room for the section table\n");
		return -ENOMEM;
	}
	mm_map.nr_roots = nr_roots; /* only now may section_map() look */
	for_each_mem_region(r)
	{
		pfn_t s = PFN_UP(r->base), e = PFN_DOWN(r->base + r->size);
		uint64_t lo = s >> PFN_SECTION_SHIFT, hi;
		struct page *run = NULL;

		if (s >= e) {
			continue;
		}
		hi = (e - 1) >> PFN_SECTION_SHIFT;
#if !defined(CONFIG_SPARSEMEM_VMEMMAP)
		/*
		 * Only the first section can have a memmap (sorted
		 * regions); the others' come from one allocation if
		 * memblock has it.
		 */
		if (section_map(lo) != NULL) {
			lo++;
		}
		if (lo < hi) {
			run = memmap_alloc((hi - lo + 1) * SECTION_MEMMAP_SIZE,
					   SECTION_MEMMAP_SIZE, false);
		}
#endif
		for (uint64_t sec = lo; sec <= hi; sec++) {
			err = memmap_section_add(
			    sec, run == NULL
				     ? NULL
				     : run + ((sec - lo) << PFN_SECTION_SHIFT));
			if (err != 0) {
				return err;
			}
		}
	}
#if defined(CONFIG_SPARSEMEM_VMEMMAP)
	/* The window must miss the VA == PA map of memory, inside the tables.
	 */
	if ((uint64_t)(uintptr_t)(vmemmap + mm_map.max_pfn) > PT_VA_END ||
	    memblock_overlaps_region(&memblock.memory, VMEMMAP_START,
				     mm_map.max_pfn * sizeof(struct page))) {
		pr_err(
		    "memmap_init: vmemmap [%#llx-%#llx) overlaps memory "
		    "or passes PT_VA_END: fix VMEMMAP_START\n",
		    (unsigned long long)VMEMMAP_START,
		    (unsigned long long)(uintptr_t)(vmemmap + mm_map.max_pfn));
		return -EINVAL;
	}
	err = memmap_vmemmap_map(nr_sections);
	if (err != 0) {
		return err;
	}
#endif
	/* page_to_pfn() reads the section number from each first page. */
	for (uint64_t sec = 0; sec < nr_sections; sec++) {
		struct page *map = section_map(sec);

		if (map != NULL) {
			page_init(map, sec << PFN_SECTION_SHIFT, PG_reserved);
		}
	}
	return 0;
}

#endif /* CONFIG_SPARSEMEM */

bool pfn_valid(pfn_t pfn)
{
	return mm_map.ready && pfn_to_page(pfn) != NULL;
}

uint64_t memmap_nr_pages(void)
{
	return mm_map.memmap_pages;
}

void memmap_reset(void)
{
	memset(&mm_map, 0, sizeof(mm_map));
}

/*
 * Zone spans from the arch's limits: consecutive, each from the end of the
 * previous present zone; an absent zone (limit 0) is empty. Memory above
 * every limit goes to ZONE_NORMAL, with a warning. Clipped to memory.
 */
static void memmap_zone_spans(pfn_t *start, pfn_t *end)
{
	uint64_t limit[MAX_NR_ZONES] = {0};
	pfn_t prev = 0;

	arch_zone_limits(limit);
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		pfn_t lim = limit[z];

		if (lim == 0) {
			start[z] = end[z] = prev;
			continue;
		}
		if (lim < prev) {
			pr_warn("memmap_init: zone %s ends at pfn %#llx, below "
				"the zone before it; made empty\n",
				zone_name((enum zone_type)z),
				(unsigned long long)lim);
			lim = prev;
		}
		start[z] = prev;
		end[z] = lim;
		prev = lim;
	}
	if (prev < mm_map.max_pfn) {
		pr_warn(
		    "memmap_init: arch_zone_limits() puts pfns [%#llx-%#llx) "
		    "in no zone; ZONE_NORMAL takes them\n",
		    (unsigned long long)prev,
		    (unsigned long long)mm_map.max_pfn);
		if (end[ZONE_NORMAL] == start[ZONE_NORMAL]) {
			start[ZONE_NORMAL] = prev;
		}
		end[ZONE_NORMAL] = mm_map.max_pfn;
	}
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		start[z] = min(max(start[z], mm_map.min_pfn), mm_map.max_pfn);
		end[z] = min(max(end[z], start[z]), mm_map.max_pfn);
	}
}

/*
 * The pfn up to which every pfn from @pfn on is in @pfn's zone (see
 * pfn_zone()): the end of that zone if a later zone is non-empty, else no
 * limit (the last zone takes the pfns beyond memory too).
 */
static pfn_t zone_run_end(pfn_t pfn)
{
	enum zone_type z = pfn_zone(pfn);

	for (int n = (int)z + 1; n < MAX_NR_ZONES; n++) {
		if (mm_zones[n].end_pfn > mm_zones[n].start_pfn) {
			return mm_zones[z].end_pfn;
		}
	}
	return UINT64_MAX;
}

/*
 * The one struct page per max-order block that boot writes: each block
 * that holds memory gets its head marked PG_reserved | PG_lazy (nothing
 * free yet, the rest of the block not initialised). A block that straddles
 * a zone boundary is initialised whole now, page by page, because a lazy
 * block takes its zone from its head. The heads of a run of blocks in one
 * zone and section share their flags: one store loop per run, no per-block
 * lookups. Return: struct pages written.
 */
static uint64_t memmap_init_heads(void)
{
	struct memblock_region *r;
	pfn_t next = 0; /* the first block no region has written yet */
	uint64_t written = 0;

	for_each_mem_region(r)
	{
		pfn_t s = PFN_UP(r->base), e = PFN_DOWN(r->base + r->size);
		pfn_t b = max(ALIGN_DOWN(s, MAX_ORDER_NR_PAGES), next);

		while (b < e) {
			pfn_t zend = zone_run_end(b);
			pfn_t stop = min(ALIGN_UP(e, MAX_ORDER_NR_PAGES),
					 ALIGN_DOWN(b, PAGES_PER_SECTION) +
					     PAGES_PER_SECTION);
			struct page *head = pfn_to_page(b);
			uint32_t flags;

			if (zend - b < MAX_ORDER_NR_PAGES) {
				/* Straddles the end of its zone. */
				for (uint64_t i = 0; i < MAX_ORDER_NR_PAGES;
				     i++) {
					page_init(head + i, b + i, PG_reserved);
				}
				written += MAX_ORDER_NR_PAGES;
				b += MAX_ORDER_NR_PAGES;
				continue;
			}
			stop = min(stop, ALIGN_DOWN(zend, MAX_ORDER_NR_PAGES));
			flags = page_fixed_flags(b) | PG_reserved | PG_lazy;
			for (; b < stop; b += MAX_ORDER_NR_PAGES) {
				page_write(head, flags);
				head += MAX_ORDER_NR_PAGES;
				written++;
			}
		}
		next = max(next, b);
	}
	return written;
}

/* Memory above MAX_PHYSMEM_BITS has no section number: drop it (Linux). */
static void memmap_clamp_physmem(void)
{
#if defined(CONFIG_SPARSEMEM)
	const phys_addr_t limit = (phys_addr_t)1 << MAX_PHYSMEM_BITS;

	if (memblock_end_of_DRAM() > limit) {
		pr_warn("memmap_init: memory above %#llx ignored "
			"(MAX_PHYSMEM_BITS %d)\n",
			(unsigned long long)limit, MAX_PHYSMEM_BITS);
		memblock_remove(limit, PHYS_ADDR_MAX - limit);
	}
#endif
}

int memmap_init(void)
{
	pfn_t start[MAX_NR_ZONES], end[MAX_NR_ZONES];
	uint64_t written;
	int err;

	if (mm_map.ready) {
		pr_err("memmap_init: called twice\n");
		return -EINVAL;
	}
	memmap_clamp_physmem();
	if (memblock_phys_mem_size() == 0) {
		pr_err("memmap_init: no memory\n");
		return -EINVAL;
	}
	mm_map.min_pfn = PFN_UP(memblock_start_of_DRAM());
	mm_map.max_pfn = PFN_DOWN(memblock_end_of_DRAM());
	memmap_zone_spans(start, end);
	page_alloc_init(start, end);
	err = memmap_model_init();
	if (err != 0) {
		return err;
	}
	mm_map.ready = true;
	written = memmap_init_heads();
	pr_info("memmap_init: %s, pfns [%#llx-%#llx), %llu KiB of struct "
		"pages (%zu bytes each), %llu of %llu written now\n",
		memmap_model_name(), (unsigned long long)mm_map.min_pfn,
		(unsigned long long)mm_map.max_pfn,
		(unsigned long long)(mm_map.memmap_pages << (PAGE_SHIFT - 10)),
		sizeof(struct page), (unsigned long long)written,
		(unsigned long long)(mm_map.max_pfn - mm_map.min_pfn));
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		if (end[z] > start[z]) {
			pr_debug("  zone %-6s pfns [%#llx-%#llx)\n",
				 zone_name((enum zone_type)z),
				 (unsigned long long)start[z],
				 (unsigned long long)end[z]);
		}
	}
	return 0;
}
