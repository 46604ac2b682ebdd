// SPDX-License-Identifier: BSD-2-Clause
/*
 * The arm64 entry encodings (arch/arm64/include/cairn/arch/pgtable.h),
 * built natively: meson puts the arm64 arch include folder ahead of the
 * fake arch, so <cairn/pgtable.h> here is the contract exactly as the
 * arm64 kernel sees it. Every expected descriptor below was worked out by
 * hand from the VMSAv8-64 descriptor formats, field by field, not by
 * calling the encoder; the round-trip cases then cover every protection at
 * every level.
 *
 * The last cases run the real walker (generic/mm/pgtable.c, compiled into
 * this test with the arm64 encodings) on host memory and read the raw
 * descriptors it wrote: the QEMU virt kernel map at 512M and 8G, and a
 * split. Table pages are host pages whose addresses stand in for physical
 * ones (below 2^47 on the hosts we run on), so the few arch and memblock
 * functions pgtable.c calls are defined here, not taken from the fake arch.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairn/arch.h>
#include <cairn/log.h>
#include <cairn/memblock.h>
#include <cairn/pgtable.h>

#include "tap.h"

#define MiB	UINT64_C(0x100000)
#define GiB	UINT64_C(0x40000000)

/*
 * Where the fields sit, spelt out once more by bit number so that a wrong
 * constant in the header cannot hide behind itself.
 */
#define B(n)		(UINT64_C(1) << (n))
#define V		B(0)
#define TBL		B(1)		/* table, or page at level 3 */
#define IDX1		B(2)		/* AttrIndx = 1: Device-nGnRE */
#define AP_RO		B(7)
#define SH_IS		(B(9) | B(8))
#define AF		B(10)
#define PXN		B(53)
#define UXN		B(54)

/*
 * RAM in the linear map: a 1 GiB block at level 1, read/write, never
 * executable (QEMU virt's first GiB of RAM).
 *
 *   0x0060000040000701 = UXN | PXN | PA 0x40000000 | AF | SH=11 | V
 */
static void test_ram_block_1g(void)
{
	pte_t e = pte_mk_leaf(0x40000000, 1, PROT_RW);

	CHECK_EQ(e, UINT64_C(0x0060000040000701));
	CHECK_EQ(e, UXN | PXN | 0x40000000 | AF | SH_IS | V);
	CHECK(pte_valid(e));
	CHECK(!pte_is_table(e, 1));
	CHECK_EQ(pte_pa(e, 1), 0x40000000);
	CHECK_EQ(pte_prot(e, 1), PROT_RW);
}

/* The same at level 2: a 2 MiB block. */
static void test_ram_block_2m(void)
{
	pte_t e = pte_mk_leaf(0x40400000, 2, PROT_RW);

	CHECK_EQ(e, UINT64_C(0x0060000040400701));
	CHECK(!pte_is_table(e, 2));
	CHECK_EQ(pte_pa(e, 2), 0x40400000);
}

/*
 * Kernel text: a page at level 3, read-only, executable at EL1 (PXN
 * clear), never at EL0 (UXN set). Bits 1:0 = 11 at level 3 is a page.
 *
 *   0x0040000040200783 = UXN | PA 0x40200000 | AF | SH=11 | AP=10 | page
 */
static void test_text_page(void)
{
	pte_t e = pte_mk_leaf(0x40200000, 3, PROT_RX);

	CHECK_EQ(e, UINT64_C(0x0040000040200783));
	CHECK_EQ(e, UXN | 0x40200000 | AF | SH_IS | AP_RO | TBL | V);
	CHECK(!pte_is_table(e, 3));
	CHECK_EQ(pte_prot(e, 3), PROT_RX);
}

/* Rodata: read-only and never executable. */
static void test_rodata_page(void)
{
	pte_t e = pte_mk_leaf(0x40234000, 3, PROT_READ);

	CHECK_EQ(e, UINT64_C(0x0060000040234783));
	CHECK_EQ(pte_prot(e, 3), PROT_READ);
}

/* Data and BSS: read/write, never executable. */
static void test_data_page(void)
{
	pte_t e = pte_mk_leaf(0x40235000, 3, PROT_RW);

	CHECK_EQ(e, UINT64_C(0x0060000040235703));
	CHECK_EQ(pte_prot(e, 3), PROT_RW);
}

/*
 * The PL011 at 0x09000000: Device-nGnRE (AttrIndx 1), read/write, never
 * executable even if asked to be.
 *
 *   0x0060000009000707 = UXN | PXN | PA | AF | SH=11 | AttrIndx=1 | page
 */
static void test_device_page(void)
{
	pte_t e = pte_mk_leaf(0x09000000, 3, PROT_RW | PROT_DEVICE);

	CHECK_EQ(e, UINT64_C(0x0060000009000707));
	CHECK_EQ(e, UXN | PXN | 0x09000000 | AF | SH_IS | IDX1 | TBL | V);
	CHECK_EQ(pte_prot(e, 3), PROT_RW | PROT_DEVICE);
	CHECK_EQ(pte_mk_leaf(0x09000000, 3, PROT_ALL), e);
}

/* A 2 MiB device block (AttrIndx 1, block type). */
static void test_device_block(void)
{
	pte_t e = pte_mk_leaf(0x08000000, 2, PROT_RW | PROT_DEVICE);

	CHECK_EQ(e, UINT64_C(0x0060000008000705));
	CHECK_EQ(pte_prot(e, 2), PROT_RW | PROT_DEVICE);
}

/*
 * Table descriptors: bits 1:0 = 11 and the next table's address, no
 * hierarchical attributes, the same at levels 0, 1 and 2.
 */
static void test_table(void)
{
	for (int level = 0; level < PT_LEVELS - 1; level++) {
		pte_t e = pte_mk_table(0x41234000, level);

		CHECK_EQ(e, UINT64_C(0x0000000041234003));
		CHECK(pte_valid(e));
		CHECK(pte_is_table(e, level));
		CHECK_EQ(pte_pa(e, level), 0x41234000);
		CHECK_EQ(pte_prot(e, level), 0);
	}
	CHECK_EQ(pte_mk_table(UINT64_C(0xfffffffff000), 0),
		 UINT64_C(0x0000fffffffff003));
}

/*
 * 11 at level 3 is a page, not a table; 01 is a block at levels 1-2; an
 * all-zero entry and any entry with bit 0 clear are invalid.
 */
static void test_types(void)
{
	CHECK(!pte_is_table(0x3, 3));
	CHECK(pte_is_table(0x3, 2));
	CHECK(!pte_is_table(0x1, 1));
	CHECK(!pte_is_table(0x2, 0));
	CHECK(!pte_valid(0));
	CHECK(!pte_valid(UINT64_C(0x0060000040000700)));
	CHECK_EQ(pte_prot(0, 3), 0);
	CHECK_EQ(pte_prot(UINT64_C(0x0060000040000700), 1), 0);
}

/*
 * Leaves go at levels 1 (1 GiB), 2 (2 MiB) and 3 (4 KiB); level 0 blocks
 * do not exist without FEAT_LPA2, and a 01 entry at level 0 would fault.
 */
static void test_block_levels(void)
{
	CHECK(!pt_block_ok(0));
	CHECK(pt_block_ok(1));
	CHECK(pt_block_ok(2));
	CHECK(pt_block_ok(3));
	CHECK_EQ(pt_level_size(0), 512 * GiB);
	CHECK_EQ(pt_level_size(1), GiB);
	CHECK_EQ(pt_level_size(2), 2 * MiB);
	CHECK_EQ(pt_level_size(3), 4096);
}

/*
 * The walker's indices for a 48-bit VA: 0x0000_7fc0_8040_3000 has
 * 255 at level 0 (bits 47:39), 258 at level 1, 2 at level 2, 3 at level 3.
 *
 *   0x7fc0_8040_3000 = 0b 0_1111_1111 | 1_0000_0010 | 0_0000_0010 |
 *                         0_0000_0011 | 0000_0000_0000
 */
static void test_indices(void)
{
	uint64_t va = UINT64_C(0x00007fc080403000);

	CHECK_EQ(PT_LEVELS, 4);
	CHECK_EQ(PT_VA_BITS, 48);
	CHECK_EQ(PT_ENTRIES, 512);
	CHECK_EQ(PT_VA_END, UINT64_C(1) << 48);
	CHECK_EQ(pt_index(va, 0), 255);
	CHECK_EQ(pt_index(va, 1), 258);
	CHECK_EQ(pt_index(va, 2), 2);
	CHECK_EQ(pt_index(va, 3), 3);
	CHECK_EQ(pt_index(UINT64_C(0x0000ffffffffffff), 0), 511);
}

/*
 * Address bits below a block's size are RES0 in a block descriptor, and
 * bits at and above 48 are attributes: neither may leak in from @pa.
 */
static void test_address_masking(void)
{
	CHECK_EQ(pte_mk_leaf(0x40201000, 2, PROT_RW),
		 UINT64_C(0x0060000040200701));
	CHECK_EQ(pte_mk_leaf(0x7fe00000, 1, PROT_RW),
		 UINT64_C(0x0060000040000701));
	CHECK_EQ(pte_mk_leaf(B(53) | 0x40000000, 3, PROT_RX),
		 UINT64_C(0x0040000040000783));
	CHECK_EQ(pte_pa(UINT64_C(0x0060ffffc0000701), 1),
		 UINT64_C(0x0000ffffc0000000));
}

/* Memory above 4 GiB (QEMU virt -m 8G ends at 0x2_4000_0000). */
static void test_high_memory(void)
{
	pte_t e = pte_mk_leaf(UINT64_C(0x200000000), 1, PROT_RW);

	CHECK_EQ(e, UINT64_C(0x0060000200000701));
	CHECK_EQ(pte_pa(e, 1), UINT64_C(0x200000000));
	e = pte_mk_leaf(UINT64_C(0xfffffffff000), 3, PROT_RW);
	CHECK_EQ(pte_pa(e, 3), UINT64_C(0xfffffffff000));
}

/*
 * Every protection the contract allows, at every leaf level: what
 * pte_prot() reads back is what was asked for, with PROT_EXEC dropped
 * from device memory. EL0 never gets access (AP[1], UXN), the entry is
 * global (nG clear) and the access flag is always set.
 */
static void test_round_trip(void)
{
	for (int level = 1; level < PT_LEVELS; level++) {
		uint64_t pa = 3 * pt_level_size(level);

		for (unsigned int prot = 0; prot <= PROT_ALL; prot++) {
			unsigned int want = prot;
			pte_t e;

			if (!(prot & PROT_READ)) {
				continue;
			}
			if (prot & PROT_DEVICE) {
				want &= ~PROT_EXEC;
			}
			e = pte_mk_leaf(pa, level, prot);
			CHECK_EQ(pte_prot(e, level), want);
			CHECK_EQ(pte_pa(e, level), pa);
			CHECK(pte_valid(e));
			CHECK(!pte_is_table(e, level));
			CHECK((e & AF) != 0);
			CHECK((e & UXN) != 0);
			CHECK((e & (B(6) | B(11))) == 0);
			CHECK_EQ(e & 3, level == 3 ? 3 : 1);
		}
	}
}

/* A leaf that grants nothing at all is an invalid entry. */
static void test_no_access(void)
{
	CHECK_EQ(pte_mk_leaf(0x40000000, 3, 0), 0);
	CHECK_EQ(pte_mk_leaf(0x40000000, 3, PROT_DEVICE), 0);
}

/* MAIR_EL1: Attr0 = 0xff (Normal WB RA WA), Attr1 = 0x04 (Device-nGnRE). */
static void test_mair(void)
{
	CHECK_EQ(MAIR_EL1_VALUE, 0x04ff);
	CHECK_EQ(PTE_ATTRINDX(MT_DEVICE_NGNRE), IDX1);
}

/* What generic/mm/pgtable.c needs from the arch and memblock. */
static uint64_t tlb_flushes;

void *arch_phys_to_virt(phys_addr_t pa)
{
	return (void *)(uintptr_t)pa;
}

void arch_tlb_flush_all(void)
{
	tlb_flushes++;
}

phys_addr_t memblock_phys_alloc_range(phys_addr_t size, phys_addr_t align,
				      phys_addr_t start, phys_addr_t end)
{
	(void)size, (void)align, (void)start, (void)end;
	return 0;	/* table pages come from host_table() */
}

void panic(const char *fmt, ...)
{
	printf("# panic: %s\n", fmt);
	abort();
}

/* Table pages: zeroed host pages, all freed at the end of each case. */
#define MAX_TABLES	64
static void *tables[MAX_TABLES];
static unsigned int nr_tables;

static phys_addr_t host_table(void)
{
	void *p;

	if (nr_tables == MAX_TABLES) {
		return 0;
	}
	p = aligned_alloc(4096, 4096);
	if (p == NULL) {
		return 0;
	}
	memset(p, 0, 4096);
	tables[nr_tables++] = p;
	return (phys_addr_t)(uintptr_t)p;
}

static void host_tables_free(void)
{
	while (nr_tables > 0) {
		free(tables[--nr_tables]);
	}
}

/* The raw entry at @level on the walk to @va (0 if the walk stops above). */
static pte_t raw_entry(const struct pgtable *pt, uint64_t va, int level)
{
	phys_addr_t table = pt->root;

	for (int l = 0; l < level; l++) {
		pte_t e = ((const pte_t *)arch_phys_to_virt(table))
				[pt_index(va, l)];

		if (!pte_is_table(e, l)) {
			return 0;
		}
		table = pte_pa(e, l);
	}
	return ((const pte_t *)arch_phys_to_virt(table))[pt_index(va, level)];
}

static int map(struct pgtable *pt, uint64_t base, uint64_t end,
	       unsigned int prot)
{
	return pt_map(pt, base, base, end - base, prot);
}

/*
 * paging_init()'s map of QEMU virt with -m 512M, image as observed:
 *
 *   0x09000000  PL011, one device page
 *   0x40000000  RAM, 512 MiB: 2 MiB blocks (not 1 GiB: it ends mid-GiB)
 *   0x40200000  text RX (14 pages), rodata R (5), then data RW
 *   0x60000000  end of RAM
 *
 * root[0] -> L1[0] -> L2[72] -> L3[0]: the PL011 page
 * root[0] -> L1[1] -> L2[0] 2 MiB block; L2[1] -> L3: the image's pages
 */
static void test_walker_virt_512m(void)
{
	struct pgtable pt;
	unsigned int prot;
	phys_addr_t pa;
	int level;

	pt_set_allocator(host_table);
	CHECK_EQ(pt_init(&pt), 0);
	CHECK_EQ(map(&pt, 0x40000000, 0x60000000, PROT_RW), 0);
	CHECK_EQ(map(&pt, 0x40200000, 0x40213000, PROT_READ), 0);
	CHECK_EQ(map(&pt, 0x40200000, 0x4020e000, PROT_RX), 0);
	CHECK_EQ(map(&pt, 0x09000000, 0x09001000, PROT_RW | PROT_DEVICE), 0);

	CHECK(pte_is_table(raw_entry(&pt, 0x40000000, 0), 0));
	CHECK(pte_is_table(raw_entry(&pt, 0x40000000, 1), 1));
	CHECK_EQ(raw_entry(&pt, 0x40000000, 2), UINT64_C(0x0060000040000701));
	CHECK_EQ(raw_entry(&pt, 0x5fe00000, 2), UINT64_C(0x006000005fe00701));
	CHECK_EQ(raw_entry(&pt, 0x60000000, 2), 0);
	CHECK(pte_is_table(raw_entry(&pt, 0x40200000, 2), 2));
	CHECK_EQ(raw_entry(&pt, 0x40200000, 3), UINT64_C(0x0040000040200783));
	CHECK_EQ(raw_entry(&pt, 0x4020d000, 3), UINT64_C(0x004000004020d783));
	CHECK_EQ(raw_entry(&pt, 0x4020e000, 3), UINT64_C(0x006000004020e783));
	CHECK_EQ(raw_entry(&pt, 0x40213000, 3), UINT64_C(0x0060000040213703));
	CHECK_EQ(raw_entry(&pt, 0x403ff000, 3), UINT64_C(0x00600000403ff703));
	CHECK_EQ(raw_entry(&pt, 0x09000000, 3), UINT64_C(0x0060000009000707));
	CHECK_EQ(raw_entry(&pt, 0x09001000, 3), 0);
	CHECK_EQ(raw_entry(&pt, 0, 2), 0);

	CHECK(pt_lookup(&pt, 0x40200123, &pa, &prot, &level));
	CHECK_EQ(pa, 0x40200123);
	CHECK_EQ(prot, PROT_RX);
	CHECK_EQ(level, 3);
	CHECK(pt_lookup(&pt, 0x41234567, &pa, &prot, &level));
	CHECK_EQ(pa, 0x41234567);
	CHECK_EQ(prot, PROT_RW);
	CHECK_EQ(level, 2);
	CHECK(!pt_lookup(&pt, 0, NULL, NULL, NULL));
	/* Root, L1 for the first 512 GiB, two L2, two L3. */
	CHECK_EQ(pt.nr_tables, 6);
	host_tables_free();
}

/*
 * -m 8G: RAM [0x40000000, 0x240000000) is eight whole GiB, so eight 1 GiB
 * blocks at level 1, the last above 4 GiB at 0x200000000.
 */
static void test_walker_virt_8g(void)
{
	struct pgtable pt;

	pt_set_allocator(host_table);
	CHECK_EQ(pt_init(&pt), 0);
	CHECK_EQ(map(&pt, 0x40000000, UINT64_C(0x240000000), PROT_RW), 0);
	CHECK_EQ(raw_entry(&pt, 0x40000000, 1), UINT64_C(0x0060000040000701));
	CHECK_EQ(raw_entry(&pt, UINT64_C(0x100000000), 1),
		 UINT64_C(0x0060000100000701));
	CHECK_EQ(raw_entry(&pt, UINT64_C(0x200000000), 1),
		 UINT64_C(0x0060000200000701));
	CHECK_EQ(raw_entry(&pt, UINT64_C(0x240000000), 1), 0);
	CHECK_EQ(raw_entry(&pt, 0, 1), 0);
	CHECK_EQ(pt.nr_tables, 2);
	host_tables_free();
}

/*
 * Write-protecting one page of a 1 GiB block splits it: the L1 entry
 * becomes a table of 2 MiB blocks with the block's attributes, one of them
 * a table of pages, one of which is read-only.
 */
static void test_walker_split(void)
{
	struct pgtable pt;
	uint64_t flushes;

	pt_set_allocator(host_table);
	CHECK_EQ(pt_init(&pt), 0);
	CHECK_EQ(map(&pt, 0x40000000, 0x80000000, PROT_RW), 0);
	flushes = tlb_flushes;
	CHECK_EQ(pt_protect(&pt, 0x40201000, 0x1000, PROT_READ), 0);
	CHECK(tlb_flushes > flushes);
	CHECK(pte_is_table(raw_entry(&pt, 0x40000000, 1), 1));
	CHECK_EQ(raw_entry(&pt, 0x40000000, 2), UINT64_C(0x0060000040000701));
	CHECK_EQ(raw_entry(&pt, 0x7fe00000, 2), UINT64_C(0x006000007fe00701));
	CHECK_EQ(raw_entry(&pt, 0x40200000, 3), UINT64_C(0x0060000040200703));
	CHECK_EQ(raw_entry(&pt, 0x40201000, 3), UINT64_C(0x0060000040201783));
	CHECK_EQ(raw_entry(&pt, 0x40202000, 3), UINT64_C(0x0060000040202703));
	CHECK_EQ(pt_unmap(&pt, 0x40202000, 0x1000), 0);
	CHECK_EQ(raw_entry(&pt, 0x40202000, 3), 0);
	CHECK_EQ(pt.nr_tables, 4);
	host_tables_free();
}

int main(void)
{
	TEST(test_ram_block_1g);
	TEST(test_ram_block_2m);
	TEST(test_text_page);
	TEST(test_rodata_page);
	TEST(test_data_page);
	TEST(test_device_page);
	TEST(test_device_block);
	TEST(test_table);
	TEST(test_types);
	TEST(test_block_levels);
	TEST(test_indices);
	TEST(test_address_masking);
	TEST(test_high_memory);
	TEST(test_round_trip);
	TEST(test_no_access);
	TEST(test_mair);
	TEST(test_walker_virt_512m);
	TEST(test_walker_virt_8g);
	TEST(test_walker_split);
	return tap_done();
}
