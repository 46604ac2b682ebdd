// SPDX-License-Identifier: BSD-2-Clause
/*
 * Simulated memory for the page allocator, memmap and kmalloc host tests.
 * The fake arch maps physical to virtual by identity, so "physical memory"
 * is a real host range: SIM_SIZE bytes of anonymous, lazily backed mmap,
 * aligned to a SPARSEMEM section, emptied (madvise) between cases. Zone
 * limits come from fake_max_zone_pfn (tests/host/arch/fake_arch.c).
 *
 *   sim_pa                                       sim_pa + SIM_SIZE
 *   |-- section 0 --|-- section 1 --| ... |-- section 7 --|
 *        128 MiB each; a case adds to memblock the parts it wants
 */
#pragma once

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "tap.h"
#include "tap_console.h"

#include <cairn/console.h>
#include <cairn/memblock.h>
#include <cairn/mm.h>
#if defined(CONFIG_SPARSEMEM_VMEMMAP)
#include <cairn/pgtable.h>
#endif

#define SZ_4K UINT64_C(0x1000)
#define SZ_1M UINT64_C(0x100000)
#define SZ_4M UINT64_C(0x400000)
#define SZ_16M UINT64_C(0x1000000)
#define SZ_128M UINT64_C(0x8000000)
#define SIM_SECTION SZ_128M
#define SIM_SIZE (8 * SIM_SECTION)

extern uint64_t fake_max_zone_pfn[MAX_NR_ZONES];

static uint8_t *sim_base;
static phys_addr_t sim_pa;

/* Physical address @off bytes into the simulated memory, and its pfn. */
static inline phys_addr_t sim(uint64_t off)
{
	return sim_pa + off;
}

static inline pfn_t sim_pfn(uint64_t off)
{
	return PHYS_PFN(sim_pa + off);
}

#if defined(CONFIG_SPARSEMEM_VMEMMAP)
/*
 * SPARSEMEM_VMEMMAP: the fake page tables map nothing on the host, so the
 * vmemmap window of the simulated memory is host anonymous memory at the
 * very addresses memmap_init() maps (it checks the tables with
 * pt_lookup()). <cairn/pgtable.h> and <sys/mman.h> both define PROT_*,
 * hence these two declarations instead of the header.
 */
struct pgtable;
extern struct pgtable kernel_pgtable;
int pt_init(struct pgtable *pt);

static inline uint8_t *vmemmap_window(void);
#define SIM_WINDOW_SIZE (SIM_SIZE / PAGE_SIZE * sizeof(struct page))
#endif

/* Pages sim_memmap_init() takes for page tables before memmap_init(). */
#if defined(CONFIG_SPARSEMEM_VMEMMAP)
#define SIM_PT_PAGES 1 /* the root table, as paging_init() would */
#else
#define SIM_PT_PAGES 0
#endif

/* Map @size bytes of anonymous memory at exactly @addr, or exit. */
static inline void sim_map_fixed(void *addr, uint64_t size)
{
	void *p = mmap(addr, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE |
			   MAP_FIXED_NOREPLACE,
		       -1, 0);

	if (p != addr) {
		perror("mmap MAP_FIXED_NOREPLACE");
		exit(1);
	}
}

/* Reserve the host range once: nothing is backed until touched. */
static inline void sim_init(void)
{
	uint8_t *p = mmap(NULL, SIM_SIZE + SIM_SECTION, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED) {
		perror("mmap");
		exit(1);
	}
	sim_pa = ALIGN_UP((phys_addr_t)(uintptr_t)p, SIM_SECTION);
	sim_base = (uint8_t *)(uintptr_t)sim_pa;
#if defined(CONFIG_SPARSEMEM_VMEMMAP)
	sim_map_fixed(vmemmap_window(), SIM_WINDOW_SIZE);
#endif
}

#if defined(CONFIG_SPARSEMEM_VMEMMAP)
/* Where the struct pages of the simulated memory live. */
static inline uint8_t *vmemmap_window(void)
{
	return (uint8_t *)(uintptr_t)(VMEMMAP_START +
				      PHYS_PFN(sim_pa) * sizeof(struct page));
}
#endif

/* Empty memblock and mm, zero the simulated memory, all zones NORMAL. */
static inline void sim_reset(void)
{
	madvise(sim_base, SIM_SIZE, MADV_DONTNEED);
	memblock_reset();
	mm_reset();
	fake_max_zone_pfn[ZONE_DMA] = 0;
	fake_max_zone_pfn[ZONE_DMA32] = 0;
	fake_max_zone_pfn[ZONE_NORMAL] = ZONE_NO_LIMIT;
}

/* Set the ends of DMA and DMA32 at offsets into the simulated memory. */
static inline void sim_zones(uint64_t dma_end, uint64_t dma32_end)
{
	fake_max_zone_pfn[ZONE_DMA] = dma_end ? sim_pfn(dma_end) : 0;
	fake_max_zone_pfn[ZONE_DMA32] = dma32_end ? sim_pfn(dma32_end) : 0;
	fake_max_zone_pfn[ZONE_NORMAL] = ZONE_NO_LIMIT;
}

/*
 * memmap_init() (after the kernel page tables it maps the vmemmap into,
 * for SPARSEMEM_VMEMMAP); return its result.
 */
static inline int sim_memmap_init(void)
{
#if defined(CONFIG_SPARSEMEM_VMEMMAP)
	if (memblock_phys_mem_size() != 0 && pt_init(&kernel_pgtable) != 0) {
		return -12; /* -ENOMEM */
	}
#endif
	return memmap_init();
}

/* sim_memmap_init() and memblock_free_all(). */
static inline int sim_boot(void)
{
	int err = sim_memmap_init();

	if (err == 0) {
		memblock_free_all();
	}
	return err;
}

/* The zone of the pfn @off bytes in, as the zone limits say. */
static inline enum zone_type sim_zone_of(pfn_t pfn)
{
	if (pfn < fake_max_zone_pfn[ZONE_DMA]) {
		return ZONE_DMA;
	}
	if (pfn < fake_max_zone_pfn[ZONE_DMA32]) {
		return ZONE_DMA32;
	}
	return ZONE_NORMAL;
}

/* xorshift64: a fixed-seed generator for the random cases. */
static inline uint64_t sim_rand(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*state = x;
	return x;
}

/* Kernel log to stdout as TAP comments when MM_TEST_VERBOSE is set. */
static inline void sim_verbose(void)
{
	if (getenv("MM_TEST_VERBOSE") != NULL) {
		console_register(&tap_console);
	}
}

/*
 * Nothing lost: an allocator case run with MM_TEST() instead of TEST() is
 * followed by mm_check_accounting() and mm_check_free_lists(), which must
 * hold whatever the case did (docs/mm.md, "Misuse and accounting checks").
 */
static void (*mm_case_fn)(void);

static inline void mm_case_checked(void)
{
	mm_case_fn();
	CHECK(mm_check_accounting(NULL));
	CHECK(mm_check_free_lists());
}

#define MM_TEST(fn)                                                            \
	do {                                                                   \
		mm_case_fn = (fn);                                             \
		tap_run(mm_case_checked, #fn);                                 \
	} while (0)
