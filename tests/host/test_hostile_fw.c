// SPDX-License-Identifier: BSD-2-Clause
/*
 * Hostile firmware input (docs/robustness.md): the rows of that table that
 * no other host test covers. Device trees are built here with libfdt's
 * sequential-write API, then broken on purpose; UEFI maps and e820 tables
 * are arrays. Each case checks the converter's return, the diagnostics
 * (fwNNN counts) and what memblock holds afterwards.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairn/console.h>
#include <cairn/e820.h>
#include <cairn/efi.h>
#include <cairn/errno.h>
#include <cairn/fdt.h>
#include <cairn/fwmap.h>
#include <cairn/memblock.h>

#include "tap.h"
#include "tap_console.h"

#define MiB	UINT64_C(0x100000)
#define BUF	(1u << 20)


static void reset(void)
{
	memblock_reset();
	fw_reset();
}

static uint32_t diags(enum fw_diag_id id)
{
	return fw_diags.count[id];
}

/* A tree under construction: 16-byte aligned, as fdt_blob_check() wants. */
static void *tree_begin(uint32_t ac, uint32_t sc, const uint64_t *rsv,
			int nrsv)
{
	void *fdt = aligned_alloc(16, BUF);

	if (fdt == NULL) {
		abort();
	}
	fdt_create(fdt, BUF);
	for (int i = 0; i < nrsv; i++) {
		fdt_add_reservemap_entry(fdt, rsv[2 * i], rsv[2 * i + 1]);
	}
	fdt_finish_reservemap(fdt);
	fdt_begin_node(fdt, "");
	fdt_property_u32(fdt, "#address-cells", ac);
	fdt_property_u32(fdt, "#size-cells", sc);
	return fdt;
}

/* A "reg" of one (@base, @size) tuple in @ac/@sc cells. */
static void prop_reg(void *fdt, uint32_t ac, uint32_t sc, uint64_t base,
		     uint64_t size)
{
	fdt32_t cells[8];
	int n = 0;

	for (uint32_t i = ac; i-- > 0;) {
		cells[n++] = cpu_to_fdt32(i < 2 ? (uint32_t)(base >> (32 * i)) :
					  0);
	}
	for (uint32_t i = sc; i-- > 0;) {
		cells[n++] = cpu_to_fdt32(i < 2 ? (uint32_t)(size >> (32 * i)) :
					  0);
	}
	fdt_property(fdt, "reg", cells, n * (int)sizeof(cells[0]));
}

static void memory_node(void *fdt, uint32_t ac, uint32_t sc, uint64_t base,
			uint64_t size)
{
	char name[40];

	snprintf(name, sizeof(name), "memory@%llx", (unsigned long long)base);
	fdt_begin_node(fdt, name);
	fdt_property_string(fdt, "device_type", "memory");
	prop_reg(fdt, ac, sc, base, size);
	fdt_end_node(fdt);
}

static void *tree_end(void *fdt)
{
	fdt_end_node(fdt);
	fdt_finish(fdt);
	return fdt;
}

/* The usual good tree: 2/2 cells, 256 MiB at 2 GiB. */
static void *good_tree(void)
{
	void *fdt = tree_begin(2, 2, NULL, 0);

	memory_node(fdt, 2, 2, 0x80000000, 256 * MiB);
	fdt_begin_node(fdt, "zz-last");
	fdt_end_node(fdt);
	return tree_end(fdt);
}

static void set_header(void *fdt, size_t off, uint32_t v)
{
	fdt32_t be = cpu_to_fdt32(v);

	memcpy((uint8_t *)fdt + off, &be, sizeof(be));
}

/*
 * Truncated blobs: fdt_blob_check() with the size the loader knows, a
 * header claiming more than the buffer, blocks outside totalsize. All are
 * refused whole before any converter reads them (fw001 from the scanners).
 */
static void test_dt_truncated(void)
{
	void *fdt = good_tree();
	uint32_t n = fdt_totalsize(fdt);

	CHECK(fdt_blob_check(fdt, n) == NULL);
	CHECK(fdt_blob_check(fdt, n - 1) != NULL);	/* file cut short */
	CHECK(fdt_blob_check(fdt, 20) != NULL);		/* header cut */
	CHECK(fdt_blob_check(fdt, 0) == NULL);		/* size unknown */

	/* totalsize far beyond what the loader read. */
	set_header(fdt, 4, n + 64 * 1024);
	CHECK(fdt_blob_check(fdt, n) != NULL);
	set_header(fdt, 4, n);

	/* The structure block runs past totalsize. */
	set_header(fdt, 36, fdt_size_dt_struct(fdt) + 4096);
	reset();
	CHECK(fdt_blob_check(fdt, 0) != NULL);
	CHECK_EQ(fdt_scan_memory(fdt), -EINVAL);
	CHECK_EQ(fdt_scan_reservations(fdt), -EINVAL);
	CHECK_EQ(diags(FWD_BAD_TABLE), 2);
	CHECK_EQ(memblock.memory.cnt, 0);
	free(fdt);
}

/* Wrong magic and versions libfdt cannot read: refused whole (fw001). */
static void test_dt_magic_version(void)
{
	static const struct { size_t off; uint32_t v; } bad[] = {
		{ 0, 0xd00dfeee },	/* magic */
		{ 0, 0 },
		{ 20, 1 },		/* version 1 */
		{ 20, 15 },		/* older than 16 */
		{ 24, 18 },		/* last_comp_version newer than 17 */
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		void *fdt = good_tree();

		set_header(fdt, bad[i].off, bad[i].v);
		reset();
		CHECK(fdt_blob_check(fdt, 0) != NULL);
		CHECK_EQ(fdt_scan_memory(fdt), -EINVAL);
		CHECK_EQ(diags(FWD_BAD_TABLE), 1);
		CHECK_EQ(memblock.memory.cnt, 0);
		free(fdt);
	}
}

/*
 * The structure block breaks off part-way: a node's token is garbage.
 * fw001, -EINVAL; what came before the break is kept.
 */
static void test_dt_struct_breaks_off(void)
{
	void *fdt = tree_begin(2, 2, NULL, 0);
	uint8_t *s, *hit = NULL;
	uint32_t len;

	memory_node(fdt, 2, 2, 0x80000000, 256 * MiB);
	memory_node(fdt, 2, 2, 0xa0000000, 256 * MiB);
	tree_end(fdt);
	s = (uint8_t *)fdt + fdt_off_dt_struct(fdt);
	len = fdt_size_dt_struct(fdt);
	for (uint32_t i = 4; i + 15 < len; i++) {
		if (memcmp(s + i, "memory@a0000000", 15) == 0) {
			hit = s + i - 4;	/* its FDT_BEGIN_NODE */
			break;
		}
	}
	CHECK(hit != NULL);
	if (hit == NULL) {
		free(fdt);
		return;
	}
	memcpy(hit, "\x12\x34\x56\x78", 4);
	reset();
	CHECK(fdt_blob_check(fdt, 0) == NULL);	/* the header is fine */
	CHECK_EQ(fdt_scan_memory(fdt), -EINVAL);
	CHECK_EQ(diags(FWD_BAD_TABLE), 1);
	CHECK_EQ(memblock.memory.cnt, 1);
	CHECK_EQ(memblock.memory.regions[0].base, 0x80000000);
	CHECK_EQ(memblock.memory.regions[0].size, 256 * MiB);
	free(fdt);
}

/*
 * Root #address-cells / #size-cells of 0 or 3: no memory can be read
 * through them (fw002), the scan itself goes on and returns 0.
 */
static void test_dt_root_cells(void)
{
	static const uint32_t cells[][2] = {
		{ 0, 1 }, { 3, 1 }, { 1, 0 }, { 1, 3 }, { 3, 3 }, { 0, 0 },
	};

	for (size_t i = 0; i < sizeof(cells) / sizeof(cells[0]); i++) {
		uint32_t ac = cells[i][0], sc = cells[i][1];
		void *fdt = tree_begin(ac, sc, NULL, 0);

		memory_node(fdt, ac, sc, 0x80000000, 256 * MiB);
		tree_end(fdt);
		reset();
		CHECK_EQ(fdt_scan_memory(fdt), 0);
		CHECK_EQ(memblock.memory.cnt, 0);
		CHECK(diags(FWD_BAD_CELLS) >= 1);
		free(fdt);
	}
}

/*
 * Ranges: one wrapping exactly past 2^64 with no whole page left, one
 * wrapping with pages left (capped), one of size 0.
 */
static void test_dt_ranges(void)
{
	void *fdt = tree_begin(2, 2, NULL, 0);

	memory_node(fdt, 2, 2, 0xfffffffffffff800, 0x1000);	/* dropped */
	memory_node(fdt, 2, 2, 0xffffffff00000000, 0x200000000);	/* capped */
	memory_node(fdt, 2, 2, 0x80000000, 0);			/* empty */
	tree_end(fdt);
	reset();
	CHECK_EQ(fdt_scan_memory(fdt), 0);
	CHECK_EQ(memblock.memory.cnt, 1);
	CHECK_EQ(memblock.memory.regions[0].base, 0xffffffff00000000);
	CHECK_EQ(memblock.memory.regions[0].size, 0xfffff000);
	CHECK_EQ(diags(FWD_WRAPS), 2);
	CHECK_EQ(diags(FWD_EMPTY_RANGE), 1);
	free(fdt);
}

/* Memory nodes out of order and overlapping: sorted and merged, quietly. */
static void test_dt_unsorted_overlapping(void)
{
	void *fdt = tree_begin(2, 2, NULL, 0);

	memory_node(fdt, 2, 2, 0xc0000000, 256 * MiB);
	memory_node(fdt, 2, 2, 0x80000000, 512 * MiB);
	memory_node(fdt, 2, 2, 0x90000000, 256 * MiB);	/* inside */
	memory_node(fdt, 2, 2, 0xc8000000, 256 * MiB);	/* straddles */
	tree_end(fdt);
	reset();
	CHECK_EQ(fdt_scan_memory(fdt), 0);
	CHECK_EQ(memblock.memory.cnt, 2);
	CHECK_EQ(memblock.memory.regions[0].base, 0x80000000);
	CHECK_EQ(memblock.memory.regions[0].size, 512 * MiB);
	CHECK_EQ(memblock.memory.regions[1].base, 0xc0000000);
	CHECK_EQ(memblock.memory.regions[1].size, 384 * MiB);
	CHECK_EQ(memblock.memory.total_size, 896 * MiB);
	free(fdt);
}

/*
 * Reservations outside RAM (/memreserve/ and a no-map reserved-memory
 * node; fdt_scan_memory() applies both, as it does at boot): kept reserved, and fw_lint() names each (fw007).
 */
static void test_dt_reserved_outside_ram(void)
{
	static const uint64_t rsv[] = { 0x40000000, MiB };
	void *fdt = tree_begin(2, 2, rsv, 1);

	memory_node(fdt, 2, 2, 0x80000000, 256 * MiB);
	fdt_begin_node(fdt, "reserved-memory");
	fdt_property_u32(fdt, "#address-cells", 2);
	fdt_property_u32(fdt, "#size-cells", 2);
	fdt_property(fdt, "ranges", "", 0);
	fdt_begin_node(fdt, "far@100000000");
	prop_reg(fdt, 2, 2, 0x100000000, MiB);
	fdt_property(fdt, "no-map", "", 0);
	fdt_end_node(fdt);
	fdt_begin_node(fdt, "half@8ff00000");		/* half inside */
	prop_reg(fdt, 2, 2, 0x8ff00000, 2 * MiB);
	fdt_end_node(fdt);
	fdt_end_node(fdt);
	tree_end(fdt);
	reset();
	CHECK_EQ(fdt_scan_memory(fdt), 0);
	CHECK(memblock_is_region_reserved(0x40000000, MiB));
	CHECK(memblock_is_region_reserved(0x100000000, MiB));
	CHECK_EQ(memblock.memory.total_size, 256 * MiB);
	fw_lint();	/* as detect_memory() does at the end */
	CHECK_EQ(diags(FWD_RESERVED_OUTSIDE_MEMORY), 3);
	free(fdt);
}

/*
 * Thousands of memory nodes: adjacent ones merge into one region; 2000
 * disjoint ones fill memblock's static array: -ENOMEM, which start_kernel()
 * turns into a panic naming INIT_MEMBLOCK_REGIONS. Thousands of
 * /memreserve/ entries likewise.
 */
static void test_dt_thousands(void)
{
	void *fdt = tree_begin(2, 2, NULL, 0);
	uint64_t *rsv;

	for (uint64_t i = 0; i < 2000; i++) {
		memory_node(fdt, 2, 2, 0x80000000 + i * 4096, 4096);
	}
	tree_end(fdt);
	reset();
	CHECK(fdt_blob_check(fdt, 0) == NULL);	/* too big for the index */
	CHECK_EQ(fdt_scan_memory(fdt), 0);
	CHECK_EQ(memblock.memory.cnt, 1);
	CHECK_EQ(memblock.memory.total_size, 2000 * 4096);
	free(fdt);

	fdt = tree_begin(2, 2, NULL, 0);
	for (uint64_t i = 0; i < 2000; i++) {
		memory_node(fdt, 2, 2, 0x80000000 + i * 8192, 4096);
	}
	tree_end(fdt);
	reset();
	CHECK_EQ(fdt_scan_memory(fdt), -ENOMEM);
	CHECK_EQ(memblock.memory.cnt, INIT_MEMBLOCK_REGIONS);
	CHECK(diags(FWD_TABLE_OVERFLOW) >= 1);
	free(fdt);

	rsv = calloc(2 * 3000, sizeof(*rsv));
	if (rsv == NULL) {
		CHECK(0);
		return;
	}
	for (int i = 0; i < 3000; i++) {
		rsv[2 * i] = 0x80000000 + (uint64_t)i * 8192;
		rsv[2 * i + 1] = 4096;
	}
	fdt = tree_begin(2, 2, rsv, 3000);
	memory_node(fdt, 2, 2, 0x80000000, 256 * MiB);
	tree_end(fdt);
	reset();
	/* fdt_scan_memory() applies /memreserve/ as well. */
	CHECK_EQ(fdt_scan_memory(fdt), -ENOMEM);
	CHECK_EQ(memblock.reserved.cnt, INIT_MEMBLOCK_REGIONS);
	CHECK(diags(FWD_TABLE_OVERFLOW) >= 1);
	free(rsv);
	free(fdt);
}

/*
 * No usable memory: no memory node, a memory node without reg, one whose
 * every byte is reserved. The scanners return 0 with memblock.memory empty
 * (or wholly reserved); start_kernel() panics on the empty case
 * ("detect_memory: the firmware described no usable memory").
 */
static void test_dt_no_memory(void)
{
	void *fdt = tree_begin(2, 2, NULL, 0);

	fdt_begin_node(fdt, "chosen");
	fdt_end_node(fdt);
	fdt_begin_node(fdt, "memory@80000000");
	fdt_property_string(fdt, "device_type", "memory");
	fdt_end_node(fdt);
	tree_end(fdt);
	reset();
	CHECK_EQ(fdt_scan_memory(fdt), 0);
	CHECK_EQ(memblock.memory.cnt, 0);
	CHECK_EQ(diags(FWD_EMPTY_RANGE), 1);	/* the node without reg */
	free(fdt);

	{
		static const uint64_t rsv[] = { 0x80000000, 256 * MiB };

		fdt = tree_begin(2, 2, rsv, 1);
		memory_node(fdt, 2, 2, 0x80000000, 256 * MiB);
		tree_end(fdt);
	}
	reset();
	CHECK_EQ(fdt_scan_memory(fdt), 0);
	CHECK_EQ(memblock.memory.total_size, 256 * MiB);
	CHECK(memblock_is_region_reserved(0x80000000, 256 * MiB));
	CHECK_EQ(memblock_phys_alloc(4096, 4096), 0);	/* nothing to give */
	free(fdt);
}

/*
 * The kernel image inside a firmware no-map region: the kernel's own
 * reservation (made first, as early_reserve_memory() does) stays, the
 * region is made NOMAP around it, nothing is lost or handed out twice.
 */
static void test_dt_kernel_in_reserved(void)
{
	const phys_addr_t kbase = 0x80200000, ksize = 2 * MiB;
	void *fdt = tree_begin(2, 2, NULL, 0);

	memory_node(fdt, 2, 2, 0x80000000, 256 * MiB);
	fdt_begin_node(fdt, "reserved-memory");
	fdt_property_u32(fdt, "#address-cells", 2);
	fdt_property_u32(fdt, "#size-cells", 2);
	fdt_property(fdt, "ranges", "", 0);
	fdt_begin_node(fdt, "fw@80000000");
	prop_reg(fdt, 2, 2, 0x80000000, 4 * MiB);
	fdt_property(fdt, "no-map", "", 0);
	fdt_end_node(fdt);
	fdt_end_node(fdt);
	tree_end(fdt);
	reset();
	CHECK_EQ(memblock_reserve(kbase, ksize), 0);
	CHECK_EQ(fdt_scan_memory(fdt), 0);
	CHECK(memblock_is_region_reserved(kbase, ksize));
	CHECK(memblock_is_region_reserved(0x80000000, 4 * MiB));
	CHECK(!memblock_is_map_memory(kbase));
	/* Allocation never lands in the firmware region or the kernel. */
	for (int i = 0; i < 8; i++) {
		phys_addr_t p = memblock_phys_alloc(MiB, MiB);

		CHECK(p >= 0x80000000 + 4 * MiB);
	}
	free(fdt);
}

/* UEFI: a map with no EFI_CONVENTIONAL_MEMORY at all, and one descriptor
 * whose size is smaller than the struct (fw001). */
static void test_efi_no_memory(void)
{
	struct efi_memory_desc d[3] = {
		{ EFI_RESERVED_MEMORY, 0, 0, 0, 256, 0 },
		{ EFI_RUNTIME_SERVICES_DATA, 0, MiB, 0, 256,
		  EFI_MEMORY_WB | EFI_MEMORY_RUNTIME },
		{ EFI_MEMORY_MAPPED_IO, 0, 0xfe000000, 0, 16, EFI_MEMORY_UC },
	};

	reset();
	CHECK_EQ(efi_memmap_scan(d, sizeof(d), sizeof(d[0]), 1), 0);
	CHECK_EQ(memblock.memory.total_size == 0 ||
		 memblock.reserved.total_size >= memblock.memory.total_size, 1);
	CHECK_EQ(memblock_phys_alloc(4096, 4096), 0);

	reset();
	CHECK_EQ(efi_memmap_scan(d, sizeof(d), 24, 1), -EINVAL);
	CHECK_EQ(diags(FWD_BAD_TABLE), 1);
	CHECK_EQ(memblock.memory.cnt, 0);
}

/* e820: a table without one RAM entry. */
static void test_e820_no_ram(void)
{
	static const struct e820_entry map[] = {
		{ 0, 0xa0000, E820_TYPE_RESERVED, 0 },
		{ 0xf0000, 0x10000, E820_TYPE_RESERVED, 1 },
		{ 0xfec00000, 0x1000, E820_TYPE_RESERVED, 2 },
		{ 0x100000, 0x100000, E820_TYPE_ACPI, 3 },
	};

	reset();
	CHECK_EQ(e820_scan_entries(map, 4), 0);
	/* ACPI reclaimable is memory, kept reserved: nothing to allocate. */
	CHECK_EQ(memblock.memory.total_size, MiB);
	CHECK(memblock_is_region_reserved(0x100000, MiB));
	CHECK_EQ(memblock_phys_alloc(4096, 4096), 0);
}

int main(void)
{
	console_register(&tap_console);
	TEST(test_dt_truncated);
	TEST(test_dt_magic_version);
	TEST(test_dt_struct_breaks_off);
	TEST(test_dt_root_cells);
	TEST(test_dt_ranges);
	TEST(test_dt_unsorted_overlapping);
	TEST(test_dt_reserved_outside_ram);
	TEST(test_dt_thousands);
	TEST(test_dt_no_memory);
	TEST(test_dt_kernel_in_reserved);
	TEST(test_efi_no_memory);
	TEST(test_e820_no_ram);
	return tap_done();
}
