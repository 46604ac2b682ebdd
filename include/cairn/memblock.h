// SPDX-License-Identifier: BSD-2-Clause
/*
 * memblock: the boot-time description of physical memory and its early
 * allocator, with the Linux memblock API and semantics (Linux documentation
 * "Boot time memory management"), so that code written against Linux's
 * memblock reads and behaves the same. Two sorted arrays of disjoint
 * regions: "memory" (what RAM exists) and "reserved" (what of it is in use).
 * docs/memblock.md is the contract; generic/mm/memblock.c the code.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cairn/compiler.h>
#include <cairn/types.h>

/* Regions carry a node id, as in a Linux CONFIG_NUMA build (on by default). */
#ifndef CONFIG_NUMA
#define CONFIG_NUMA 1
#endif
#define MAX_NUMNODES 64
#define NUMA_NO_NODE (-1)

/* Entries of each static array; more only after memblock_allow_resize(). */
#define INIT_MEMBLOCK_REGIONS 128
#define INIT_MEMBLOCK_MEMORY_REGIONS INIT_MEMBLOCK_REGIONS
#define INIT_MEMBLOCK_RESERVED_REGIONS INIT_MEMBLOCK_REGIONS

/* Limits for the allocation functions' @end / @max_addr arguments. */
#define PHYS_ADDR_MAX (~(phys_addr_t)0)
#define MEMBLOCK_ALLOC_ANYWHERE (~(phys_addr_t)0)
#define MEMBLOCK_ALLOC_ACCESSIBLE 0
#define MEMBLOCK_ALLOC_NOLEAKTRACE 1
#define MEMBLOCK_LOW_LIMIT 0

/* Highest address memblock_alloc_low() returns (Linux's default). */
#ifndef ARCH_LOW_ADDRESS_LIMIT
#define ARCH_LOW_ADDRESS_LIMIT 0xffffffffULL
#endif

/* Alignment used when an allocation asks for 0 (a cache line). */
#ifndef SMP_CACHE_BYTES
#define SMP_CACHE_BYTES 64
#endif

/**
 * enum memblock_flags - attributes of a memory region
 * @MEMBLOCK_NONE: no special request
 * @MEMBLOCK_HOTPLUG: memory that may be hot-removed later
 * @MEMBLOCK_MIRROR: mirrored (reliable) memory
 * @MEMBLOCK_NOMAP: not in the kernel's direct map; never allocated from
 * @MEMBLOCK_DRIVER_MANAGED: added by a driver; never allocated from
 * @MEMBLOCK_RSRV_NOINIT: reserved memory whose page structures are not
 *	initialised (reserved type only)
 */
enum memblock_flags {
	MEMBLOCK_NONE = 0x0,
	MEMBLOCK_HOTPLUG = 0x1,
	MEMBLOCK_MIRROR = 0x2,
	MEMBLOCK_NOMAP = 0x4,
	MEMBLOCK_DRIVER_MANAGED = 0x8,
	MEMBLOCK_RSRV_NOINIT = 0x10,
};

/**
 * struct memblock_region - one range of physical memory
 * @base: first address
 * @size: length in bytes (never 0 in a used entry)
 * @flags: enum memblock_flags
 * @nid: node id; MAX_NUMNODES when none was given
 */
struct memblock_region {
	phys_addr_t base;
	phys_addr_t size;
	enum memblock_flags flags;
#if CONFIG_NUMA
	int nid;
#endif
};

/**
 * struct memblock_type - a sorted array of disjoint regions
 * @cnt: regions in use; 0 when empty (then regions[0] is all zero)
 * @max: capacity of @regions
 * @total_size: sum of the sizes of the regions in use
 * @regions: the array
 * @name: "memory" or "reserved"
 */
struct memblock_type {
	unsigned long cnt;
	unsigned long max;
	phys_addr_t total_size;
	struct memblock_region *regions;
	char *name;
};

/**
 * struct memblock - the state of the boot memory allocator
 * @bottom_up: allocate upwards from low addresses (default: top-down)
 * @current_limit: highest address MEMBLOCK_ALLOC_ACCESSIBLE allocations use
 * @memory: the usable physical memory
 * @reserved: the parts of @memory (or of anything) in use
 */
struct memblock {
	bool bottom_up;
	phys_addr_t current_limit;
	struct memblock_type memory;
	struct memblock_type reserved;
};

extern struct memblock memblock;

/*
 * memblock=debug: when true every API call is logged with its caller
 * (pr_info), and memblock_dump_all() prints the arrays. Off by default.
 */
extern bool memblock_debug;

/* Add and remove ranges. All return 0 or -ENOMEM (array full). */
int memblock_add_node(phys_addr_t base, phys_addr_t size, int nid,
		      enum memblock_flags flags);
int memblock_add(phys_addr_t base, phys_addr_t size);
int memblock_remove(phys_addr_t base, phys_addr_t size);
int memblock_reserve(phys_addr_t base, phys_addr_t size);
void memblock_free(void *ptr, size_t size);
int memblock_phys_free(phys_addr_t base, phys_addr_t size);
int memblock_mark_hotplug(phys_addr_t base, phys_addr_t size);
int memblock_clear_hotplug(phys_addr_t base, phys_addr_t size);
int memblock_mark_mirror(phys_addr_t base, phys_addr_t size);
int memblock_mark_nomap(phys_addr_t base, phys_addr_t size);
int memblock_clear_nomap(phys_addr_t base, phys_addr_t size);
int memblock_reserved_mark_noinit(phys_addr_t base, phys_addr_t size);
int memblock_set_node(phys_addr_t base, phys_addr_t size,
		      struct memblock_type *type, int nid);

/* Physical allocation: 0 on failure. */
phys_addr_t memblock_find_in_range_node(phys_addr_t size, phys_addr_t align,
					phys_addr_t start, phys_addr_t end,
					int nid, enum memblock_flags flags);
phys_addr_t memblock_alloc_range_nid(phys_addr_t size, phys_addr_t align,
				     phys_addr_t start, phys_addr_t end,
				     int nid, bool exact_nid);
phys_addr_t memblock_phys_alloc_range(phys_addr_t size, phys_addr_t align,
				      phys_addr_t start, phys_addr_t end);
phys_addr_t memblock_phys_alloc_try_nid(phys_addr_t size, phys_addr_t align,
					int nid);

/**
 * memblock_phys_alloc() - allocate physical memory below current_limit
 * @size: bytes
 * @align: alignment, a power of two (0: SMP_CACHE_BYTES, with a warning)
 *
 * Return: the physical address of the reserved range, or 0.
 */
static inline phys_addr_t memblock_phys_alloc(phys_addr_t size,
					      phys_addr_t align)
{
	return memblock_phys_alloc_range(size, align, 0,
					 MEMBLOCK_ALLOC_ACCESSIBLE);
}

/* Virtual allocation (through arch_phys_to_virt()): NULL on failure. */
void *memblock_alloc_exact_nid_raw(phys_addr_t size, phys_addr_t align,
				   phys_addr_t min_addr, phys_addr_t max_addr,
				   int nid);
void *memblock_alloc_try_nid_raw(phys_addr_t size, phys_addr_t align,
				 phys_addr_t min_addr, phys_addr_t max_addr,
				 int nid);
void *memblock_alloc_try_nid(phys_addr_t size, phys_addr_t align,
			     phys_addr_t min_addr, phys_addr_t max_addr,
			     int nid);

/* Zeroed memory below current_limit, from any node. */
static inline void *memblock_alloc(phys_addr_t size, phys_addr_t align)
{
	return memblock_alloc_try_nid(size, align, MEMBLOCK_LOW_LIMIT,
				      MEMBLOCK_ALLOC_ACCESSIBLE, NUMA_NO_NODE);
}

/* Like memblock_alloc() but not zeroed. */
static inline void *memblock_alloc_raw(phys_addr_t size, phys_addr_t align)
{
	return memblock_alloc_try_nid_raw(size, align, MEMBLOCK_LOW_LIMIT,
					  MEMBLOCK_ALLOC_ACCESSIBLE,
					  NUMA_NO_NODE);
}

/* Zeroed memory at or above @min_addr if possible, else anywhere. */
static inline void *memblock_alloc_from(phys_addr_t size, phys_addr_t align,
					phys_addr_t min_addr)
{
	return memblock_alloc_try_nid(size, align, min_addr,
				      MEMBLOCK_ALLOC_ACCESSIBLE, NUMA_NO_NODE);
}

/* Zeroed memory below ARCH_LOW_ADDRESS_LIMIT. */
static inline void *memblock_alloc_low(phys_addr_t size, phys_addr_t align)
{
	return memblock_alloc_try_nid(size, align, MEMBLOCK_LOW_LIMIT,
				      ARCH_LOW_ADDRESS_LIMIT, NUMA_NO_NODE);
}

/* Zeroed memory on node @nid if possible, else on any node. */
static inline void *memblock_alloc_node(phys_addr_t size, phys_addr_t align,
					int nid)
{
	return memblock_alloc_try_nid(size, align, MEMBLOCK_LOW_LIMIT,
				      MEMBLOCK_ALLOC_ACCESSIBLE, nid);
}

/* Control. */
void memblock_allow_resize(void);
void memblock_set_bottom_up(bool enable);
bool memblock_bottom_up(void);
void memblock_set_current_limit(phys_addr_t limit);
phys_addr_t memblock_get_current_limit(void);
void memblock_enforce_memory_limit(phys_addr_t memory_limit);
void memblock_cap_memory_range(phys_addr_t base, phys_addr_t size);
void memblock_mem_limit_remove_map(phys_addr_t limit);
void memblock_trim_memory(phys_addr_t align);

/* Queries. */
phys_addr_t memblock_phys_mem_size(void);
phys_addr_t memblock_reserved_size(void);
phys_addr_t memblock_start_of_DRAM(void);
phys_addr_t memblock_end_of_DRAM(void);
bool memblock_is_memory(phys_addr_t addr);
bool memblock_is_map_memory(phys_addr_t addr);
bool memblock_is_region_memory(phys_addr_t base, phys_addr_t size);
bool memblock_is_reserved(phys_addr_t addr);
bool memblock_is_region_reserved(phys_addr_t base, phys_addr_t size);
bool memblock_overlaps_region(struct memblock_type *type, phys_addr_t base,
			      phys_addr_t size);
int memblock_search_pfn_nid(unsigned long pfn, unsigned long *start_pfn,
			    unsigned long *end_pfn);

/* Region attribute helpers, as in Linux. */
static inline bool memblock_is_hotpluggable(const struct memblock_region *m)
{
	return m->flags & MEMBLOCK_HOTPLUG;
}

static inline bool memblock_is_mirror(const struct memblock_region *m)
{
	return m->flags & MEMBLOCK_MIRROR;
}

static inline bool memblock_is_nomap(const struct memblock_region *m)
{
	return m->flags & MEMBLOCK_NOMAP;
}

static inline bool memblock_is_driver_managed(const struct memblock_region *m)
{
	return m->flags & MEMBLOCK_DRIVER_MANAGED;
}

static inline bool memblock_is_reserved_noinit(const struct memblock_region *m)
{
	return m->flags & MEMBLOCK_RSRV_NOINIT;
}

static inline int memblock_get_region_node(const struct memblock_region *r)
{
#if CONFIG_NUMA
	return r->nid;
#else
	return 0;
#endif
}

static inline void memblock_set_region_node(struct memblock_region *r, int nid)
{
#if CONFIG_NUMA
	r->nid = nid;
#else
	(void)r;
	(void)nid;
#endif
}

/* First and last page frame of a region, rounded inwards / outwards. */
static inline unsigned long
memblock_region_memory_base_pfn(const struct memblock_region *reg)
{
	return PFN_UP(reg->base);
}

static inline unsigned long
memblock_region_memory_end_pfn(const struct memblock_region *reg)
{
	return PFN_DOWN(reg->base + reg->size);
}

static inline unsigned long
memblock_region_reserved_base_pfn(const struct memblock_region *reg)
{
	return PFN_DOWN(reg->base);
}

static inline unsigned long
memblock_region_reserved_end_pfn(const struct memblock_region *reg)
{
	return PFN_UP(reg->base + reg->size);
}

/*
 * Iteration. The state is a u64 index: the low 32 bits count regions of
 * @type_a, the high 32 bits gaps of @type_b. 0 starts a forward walk,
 * ~0 a reverse one, and ~0 again means done. Without @type_b the walk
 * yields the regions of @type_a; with it, the parts of @type_a outside
 * @type_b (for memory and reserved: the free ranges). Empty ranges are
 * never yielded.
 */
void __next_mem_range(uint64_t *idx, int nid, enum memblock_flags flags,
		      struct memblock_type *type_a,
		      struct memblock_type *type_b, phys_addr_t *out_start,
		      phys_addr_t *out_end, int *out_nid);
void __next_mem_range_rev(uint64_t *idx, int nid, enum memblock_flags flags,
			  struct memblock_type *type_a,
			  struct memblock_type *type_b, phys_addr_t *out_start,
			  phys_addr_t *out_end, int *out_nid);
void __next_mem_pfn_range(int *idx, int nid, unsigned long *out_start_pfn,
			  unsigned long *out_end_pfn, int *out_nid);

#define __for_each_mem_range(i, type_a, type_b, nid, flags, p_start, p_end,    \
			     p_nid)                                            \
	for (i = 0, __next_mem_range(&i, nid, flags, type_a, type_b, p_start,  \
				     p_end, p_nid);                            \
	     i != (uint64_t)UINT64_MAX; __next_mem_range(                      \
		 &i, nid, flags, type_a, type_b, p_start, p_end, p_nid))

#define __for_each_mem_range_rev(i, type_a, type_b, nid, flags, p_start,       \
				 p_end, p_nid)                                 \
	for (i = (uint64_t)UINT64_MAX,                                         \
	    __next_mem_range_rev(&i, nid, flags, type_a, type_b, p_start,      \
				 p_end, p_nid);                                \
	     i != (uint64_t)UINT64_MAX; __next_mem_range_rev(                  \
		 &i, nid, flags, type_a, type_b, p_start, p_end, p_nid))

/* Every allocatable memory range (NOMAP excluded), ascending / descending. */
#define for_each_mem_range(i, p_start, p_end)                                  \
	__for_each_mem_range(i, &memblock.memory, NULL, NUMA_NO_NODE,          \
			     MEMBLOCK_HOTPLUG | MEMBLOCK_DRIVER_MANAGED,       \
			     p_start, p_end, NULL)

#define for_each_mem_range_rev(i, p_start, p_end)                              \
	__for_each_mem_range_rev(i, &memblock.memory, NULL, NUMA_NO_NODE,      \
				 MEMBLOCK_HOTPLUG | MEMBLOCK_DRIVER_MANAGED,   \
				 p_start, p_end, NULL)

/* Every reserved range. */
#define for_each_reserved_mem_range(i, p_start, p_end)                         \
	__for_each_mem_range(i, &memblock.reserved, NULL, NUMA_NO_NODE,        \
			     MEMBLOCK_NONE, p_start, p_end, NULL)

/* Memory not reserved, on node @nid (NUMA_NO_NODE: any), ascending. */
#define for_each_free_mem_range(i, nid, flags, p_start, p_end, p_nid)          \
	__for_each_mem_range(i, &memblock.memory, &memblock.reserved, nid,     \
			     flags, p_start, p_end, p_nid)

/* The same, descending. */
#define for_each_free_mem_range_reverse(i, nid, flags, p_start, p_end, p_nid)  \
	__for_each_mem_range_rev(i, &memblock.memory, &memblock.reserved, nid, \
				 flags, p_start, p_end, p_nid)

/* Whole page frames of each memory region on node @nid (or any). */
#define for_each_mem_pfn_range(i, nid, p_start, p_end, p_nid)                  \
	for (i = -1, __next_mem_pfn_range(&i, nid, p_start, p_end, p_nid);     \
	     i >= 0; __next_mem_pfn_range(&i, nid, p_start, p_end, p_nid))

/* Every region of a type, by pointer. */
#define for_each_memblock_type(i, memblock_type, rgn)                          \
	for (i = 0, rgn = &(memblock_type)->regions[0];                        \
	     i < (memblock_type)->cnt;                                         \
	     i++, rgn = &(memblock_type)->regions[i])

#define for_each_mem_region(region)                                            \
	for (region = memblock.memory.regions;                                 \
	     region < (memblock.memory.regions + memblock.memory.cnt);         \
	     region++)

#define for_each_reserved_mem_region(region)                                   \
	for (region = memblock.reserved.regions;                               \
	     region < (memblock.reserved.regions + memblock.reserved.cnt);     \
	     region++)

/*
 * Late: hand the free memory to the page allocator and switch the allocator
 * off (the description stays queryable). The page allocator registers how
 * it takes whole pages, [base, base + size), before memblock_free_all().
 */
typedef void (*memblock_free_pages_fn)(phys_addr_t base, phys_addr_t size);
void memblock_set_free_pages(memblock_free_pages_fn fn);
uint64_t memblock_free_all(void);
void memblock_free_late(phys_addr_t base, phys_addr_t size);
bool memblock_allocator_off(void);

/* Debug. */
void __memblock_dump_all(void);
void memblock_dump_all(void);

/* Host tests and benchmarks: back to the static initial state. */
void memblock_reset(void);
