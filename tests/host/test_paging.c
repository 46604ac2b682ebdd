// SPDX-License-Identifier: BSD-2-Clause
/*
 * Unit tests of the kernel map and ioremap() (generic/mm/paging.c) on the
 * fake arch's entry format. The fake arch's 5-page image plays the kernel
 * (tests/host/arch/fake_arch.c defines the <cairn/sections.h> symbols; it
 * lies outside memory, so it must be mapped for its own sake); a heap
 * arena is all of memory, where memblock finds the table pages. Device
 * windows use made-up addresses that are mapped but never touched.
 *
 *   fake image (not memory)                 arena (memory)
 *   |text|text|rodata|data|bss|             |======= 4 MiB =======|
 *   0    1    2      3    4   5 pages
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cairn/io.h>
#include <cairn/memblock.h>
#include <cairn/pgtable.h>
#include <cairn/sections.h>

#include "tap.h"

#define SZ_4K UINT64_C(0x1000)
#define SZ_2M UINT64_C(0x200000)
#define SZ_4M UINT64_C(0x400000)
#define P(n) ((n)*4096)

#define DEV_A UINT64_C(0x10000000)
#define DEV_B UINT64_C(0x20000000)

static uint8_t *arena;
static phys_addr_t image, mem;

static void reset(void)
{
	paging_reset();
	pt_set_allocator(NULL);
	fake_pt_leaf_levels = FAKE_PT_LEAF_LEVELS_DEFAULT;
	memblock_reset();
	image = (phys_addr_t)(uintptr_t)__image_start;
	mem = (phys_addr_t)(uintptr_t)arena;
	memblock_add(mem, SZ_4M);
}

#define CHECK_MAP(va, expect_prot)                                             \
	do {                                                                   \
		phys_addr_t pa_ = 0;                                           \
		unsigned int prot_ = 0;                                        \
		CHECK(pt_lookup(&kernel_pgtable, (va), &pa_, &prot_, NULL));   \
		CHECK_EQ(pa_, (va));                                           \
		CHECK_EQ(prot_, (expect_prot));                                \
	} while (0)

#define CHECK_UNMAPPED(va)                                                     \
	CHECK(!pt_lookup(&kernel_pgtable, (va), NULL, NULL, NULL))

static void no_wx(const struct pt_range *r, void *arg)
{
	unsigned int *bad = arg;

	if ((r->prot & PROT_WRITE) && (r->prot & PROT_EXEC)) {
		(*bad)++;
	}
}

/*
 * The image gets text RX, rodata R and data/bss/stack RW; memory is RW and
 * never executable; the map is VA == PA and switched to.
 *
 *   image: |RX|RX|R |RW|RW|    (then unmapped)
 *   arena: |RW ................................ RW|
 */
static void test_image_and_memory(void)
{
	uint64_t reserved;
	unsigned int bad = 0;

	reset();
	reserved = memblock_reserved_size();
	paging_init();
	CHECK(kernel_pgtable.root != 0);
	CHECK_EQ(fake_pt_active_root, kernel_pgtable.root);
	CHECK_MAP(image, PROT_RX);
	CHECK_MAP(image + P(1) + 8, PROT_RX);
	CHECK_MAP(image + P(2), PROT_READ);
	CHECK_MAP(image + P(3), PROT_RW);
	CHECK_MAP(image + P(4) + 4095, PROT_RW);
	CHECK_UNMAPPED(image + P(5));
	CHECK_MAP(mem, PROT_RW);
	CHECK_MAP(mem + SZ_4M - 1, PROT_RW);
	CHECK_UNMAPPED(mem + SZ_4M);
	CHECK_UNMAPPED(0);
	pt_walk(&kernel_pgtable, no_wx, &bad);
	CHECK_EQ(bad, 0);
	/* Every table page came from memblock and stays reserved. */
	CHECK_EQ(memblock_reserved_size(),
		 reserved + kernel_pgtable.nr_tables * SZ_4K);
}

/*
 * Windows asked for before paging_init() are mapped by it as device
 * memory; page 0 stays unmapped even inside a window.
 *
 *   ioremap(0x800, 4K), ioremap(DEV_A + 0x10, 0x100) -> paging_init()
 *   |page 0: none|page 1: RW dev|   ...   |DEV_A: RW dev|
 */
static void test_windows_before_paging(void)
{
	reset();
	CHECK(ioremap(DEV_A + 0x10, 0x100) ==
	      (void *)(uintptr_t)(DEV_A + 0x10));
	CHECK(ioremap(0x800, SZ_4K) == (void *)0x800);
	CHECK_UNMAPPED(DEV_A);
	paging_init();
	CHECK_MAP(DEV_A, PROT_RW | PROT_DEVICE);
	CHECK_UNMAPPED(DEV_A + SZ_4K);
	CHECK_UNMAPPED(0);
	CHECK_MAP(SZ_4K, PROT_RW | PROT_DEVICE);
}

/*
 * After paging_init(), ioremap() maps at once, reuses a window that holds
 * the range, and refuses memory, empty and wrapping ranges.
 *
 *   ioremap(DEV_B, 3 pages) -> |dev|dev|dev|;  ioremap(arena) -> NULL
 */
static void test_windows_after_paging(void)
{
	reset();
	paging_init();
	CHECK(ioremap(DEV_B + 0x800, 2 * SZ_4K) != NULL);
	CHECK_MAP(DEV_B, PROT_RW | PROT_DEVICE);
	CHECK_MAP(DEV_B + 2 * SZ_4K, PROT_RW | PROT_DEVICE);
	CHECK_UNMAPPED(DEV_B + 3 * SZ_4K);
	CHECK(ioremap(DEV_B + SZ_4K, 4) == (void *)(uintptr_t)(DEV_B + SZ_4K));
	CHECK(ioremap((phys_addr_t)(uintptr_t)arena, SZ_4K) == NULL);
	CHECK_MAP(mem, PROT_RW);
	CHECK(ioremap(DEV_B, 0) == NULL);
	CHECK(ioremap(UINT64_MAX - 0xff, 0x1000) == NULL);
}

/*
 * The window table is finite: once IOREMAP_MAX_WINDOWS are recorded, a
 * new one is refused, while one inside a recorded window still works.
 *
 *   |w0|w1|...|w15|  + w16 -> NULL
 */
static void test_window_table_full(void)
{
	reset();
	for (int i = 0; i < IOREMAP_MAX_WINDOWS; i++) {
		CHECK(ioremap(DEV_A + (uint64_t)i * SZ_2M, SZ_4K) != NULL);
	}
	CHECK(ioremap(DEV_B, SZ_4K) == NULL);
	CHECK(ioremap(DEV_A, 16) != NULL);
}

int main(void)
{
	arena = aligned_alloc(SZ_2M, SZ_4M);
	if (arena == NULL) {
		return 1;
	}
	TEST(test_image_and_memory);
	TEST(test_windows_before_paging);
	TEST(test_windows_after_paging);
	TEST(test_window_table_full);
	memblock_reset();
	paging_reset();
	free(arena);
	return tap_done();
}
