// SPDX-License-Identifier: BSD-2-Clause
/*
 * drivers/firmware/fdt_memory.c and fdt_chosen.c on the dts/test/ fixtures
 * (compiled by dtc at build time; their paths are the arguments, found by
 * name). Each case starts from an empty memblock and provenance log, runs
 * one converter and checks memblock, the records and the diagnostics.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairn/console.h>
#include <cairn/errno.h>
#include <cairn/fdt.h>
#include <cairn/fwmap.h>
#include <cairn/memblock.h>

#include "tap.h"
#include "tap_console.h"

#define MAX_FIXTURES	32

static int nfixtures;
static char *fixture_path[MAX_FIXTURES];
static void *fixture_blob[MAX_FIXTURES];


/* The fixture NAME.dtb among the arguments, read once; NULL if missing. */
static const void *dtb(const char *name)
{
	for (int i = 0; i < nfixtures; i++) {
		const char *base = strrchr(fixture_path[i], '/');
		size_t n = strlen(name);
		FILE *f;
		long len;

		base = base ? base + 1 : fixture_path[i];
		if (strncmp(base, name, n) != 0 ||
		    strcmp(base + n, ".dtb") != 0) {
			continue;
		}
		if (fixture_blob[i] != NULL) {
			return fixture_blob[i];
		}
		f = fopen(fixture_path[i], "rb");
		if (f == NULL) {
			return NULL;
		}
		fseek(f, 0, SEEK_END);
		len = ftell(f);
		rewind(f);
		/* malloc() aligns to 16 bytes, as fdt_blob_check() wants. */
		fixture_blob[i] = malloc((size_t)len);
		if (fixture_blob[i] == NULL ||
		    fread(fixture_blob[i], 1, (size_t)len, f) != (size_t)len ||
		    fdt_blob_check(fixture_blob[i], (size_t)len) != NULL) {
			printf("# cannot use %s\n", fixture_path[i]);
			free(fixture_blob[i]);
			fixture_blob[i] = NULL;
		}
		fclose(f);
		return fixture_blob[i];
	}
	printf("# fixture %s.dtb not given\n", name);
	return NULL;
}

static void reset(void)
{
	memblock_reset();
	fw_reset();
}

/* Region @i of @t is [@base, +@size) with @nid and @flags. */
static int region_is(const struct memblock_type *t, unsigned long i,
		     phys_addr_t base, phys_addr_t size, int nid,
		     uint32_t flags)
{
	const struct memblock_region *r = &t->regions[i];

	if (i < t->cnt && r->base == base && r->size == size &&
	    r->nid == nid && (uint32_t)r->flags == flags) {
		return 1;
	}
	printf("# %s[%lu]: want [%#llx +%#llx] nid %d flags %#x, have", t->name,
	       i, (unsigned long long)base, (unsigned long long)size, nid,
	       flags);
	if (i < t->cnt) {
		printf(" [%#llx +%#llx] nid %d flags %#x\n",
		       (unsigned long long)r->base, (unsigned long long)r->size,
		       r->nid, (unsigned int)r->flags);
	} else {
		printf(" only %lu regions\n", t->cnt);
	}
	return 0;
}

#define MEM(i, b, s, nid, fl) region_is(&memblock.memory, i, b, s, nid, fl)
#define RSV(i, b, s) region_is(&memblock.reserved, i, b, s, MAX_NUMNODES, 0)
#define NONODE MAX_NUMNODES

/* The newest record from @origin with @index, or NULL. */
static const struct fw_record *rec(const char *origin, uint32_t index)
{
	for (uint32_t i = fw_log.cnt; i-- > 0;) {
		if (strcmp(fw_log.rec[i].origin, origin) == 0 &&
		    fw_log.rec[i].index == index) {
			return &fw_log.rec[i];
		}
	}
	printf("# no record %s#%u\n", origin, index);
	return NULL;
}

/* Whether [@base, +@size) lies inside one reserved region. */
static int reserved_whole(phys_addr_t base, phys_addr_t size)
{
	const struct memblock_region *r;

	for_each_reserved_mem_region(r) {
		if (base >= r->base && base + size <= r->base + r->size) {
			return 1;
		}
	}
	return 0;
}

/*
 * What holds for every record of any case: memory kept inside what was
 * given; reservations kept as given (capped) and wholly reserved.
 */
static void check_records(void)
{
	for (uint32_t i = 0; i < fw_log.cnt; i++) {
		const struct fw_record *r = &fw_log.rec[i];

		CHECK(r->format == FW_FMT_DT);
		if (r->fate == FW_DROPPED) {
			CHECK(r->kept_size == 0 && r->why != NULL);
			continue;
		}
		CHECK(r->kept_base >= r->base);
		CHECK(r->kept_base + r->kept_size <= r->base + r->size ||
		      r->base + r->size < r->base);
		if (r->target == FW_TO_RESERVED || r->target == FW_TO_NOMAP) {
			CHECK(reserved_whole(r->kept_base, r->kept_size));
		}
	}
}

/* How many records went to @target. */
static uint32_t records_to(enum fw_target target)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < fw_log.cnt; i++) {
		n += fw_log.rec[i].target == target &&
		     fw_log.rec[i].fate != FW_DROPPED;
	}
	return n;
}

static uint32_t diags(enum fw_diag_id id)
{
	return fw_diags.count[id];
}

/*
 * Banks of one node and nodes of any name and depth all count; disabled,
 * size-0 and untyped nodes do not.
 *
 *   0x80000000   0xa0000000   0xd0000000   0x100000000      0x201000000
 *   |=bank 0=|   |=bank 1=|   |=ok=|       |=ram nid 1 HP=|  |=sram nid 0=|
 *                 0xc0000000 disabled, 0xe0000000 untyped: not memory
 */
static void test_banks_and_nodes(void)
{
	const struct fw_record *r;

	reset();
	CHECK_EQ(fdt_scan_memory(dtb("fdt-mem-banks")), 0);
	CHECK_EQ(memblock.memory.cnt, 5);
	CHECK(MEM(0, 0x80000000, 0x10000000, NONODE, 0));
	CHECK(MEM(1, 0xa0000000, 0x10000000, NONODE, 0));
	CHECK(MEM(2, 0xd0000000, 0x01000000, NONODE, 0));
	CHECK(MEM(3, 0x100000000, 0x40000000, 1, MEMBLOCK_HOTPLUG));
	CHECK(MEM(4, 0x201000000, 0x00100000, 0, 0));
	CHECK_EQ(memblock.reserved.cnt, 0);
	CHECK_EQ(diags(FWD_EMPTY_RANGE), 1);	/* memory@0 */
	CHECK_EQ(diags(FWD_BAD_PROPERTY), 1);	/* memory@e0000000 */
	CHECK_EQ(fw_diags.total, 2);
	r = rec("/memory@80000000", 1);
	CHECK(r && r->target == FW_TO_MEMORY && r->base == 0xa0000000);
	r = rec("/memory@c0000000", 0);
	CHECK(r && r->fate == FW_DROPPED);
	r = rec("/ram@100000000", 0);
	CHECK(r && r->nid == 1 && r->flags == MEMBLOCK_HOTPLUG);
	r = rec("/bus@200000000/sram@1000000", 0);
	CHECK(r && r->base == 0x201000000 && r->nid == 0);
	r = rec("/memory@0", 0);
	CHECK(r && r->fate == FW_DROPPED);
	check_records();
}

/*
 * Parents with 1/1, 2/2 and 2/1 cells are read in their own cells; 3
 * address cells, 0 size cells and a reg of 1.5 tuples are refused.
 *
 *   0x80000000  0x90000000  0xa0000000  0x100000000
 *   |=1/1=|     |=2/1=|     |2/1|       |=2/2=|
 *   0xb0000000 (3 cells), 0xc0000000 (0 size cells), 0xf0000000: refused
 */
static void test_cells_mix(void)
{
	reset();
	CHECK_EQ(fdt_scan_memory(dtb("fdt-mem-cells")), 0);
	CHECK_EQ(memblock.memory.cnt, 4);
	CHECK(MEM(0, 0x80000000, 0x08000000, NONODE, 0));
	CHECK(MEM(1, 0x90000000, 0x08000000, NONODE, 0));
	CHECK(MEM(2, 0xa0000000, 0x00001000, NONODE, 0));
	CHECK(MEM(3, 0x100000000, 0x08000000, NONODE, 0));
	CHECK_EQ(diags(FWD_BAD_CELLS), 2);
	CHECK_EQ(diags(FWD_BAD_PROPERTY), 1);
	CHECK(!memblock_is_memory(0xb0000000));
	CHECK(!memblock_is_memory(0xc0000000));
	CHECK(!memblock_is_memory(0xf0000000));
	check_records();
}

/*
 * A root with 3 address cells: no memory can be read below it, but
 * /reserved-memory, with its own cells, still is.
 *
 *   0x80000000 0x80200000
 *   |fw no-map| reserved, outside any memory
 */
static void test_bad_root_cells(void)
{
	const struct fw_record *r;

	reset();
	CHECK_EQ(fdt_scan_memory(dtb("fdt-mem-badroot")), 0);
	CHECK_EQ(memblock.memory.cnt, 0);
	CHECK_EQ(memblock.reserved.cnt, 1);
	CHECK(RSV(0, 0x80000000, 0x200000));
	/* The root memory node, and the usable range in root cells. */
	CHECK_EQ(diags(FWD_BAD_CELLS), 2);
	/* The bus's memory has no CPU address through a broken root. */
	CHECK_EQ(diags(FWD_BAD_PROPERTY), 1);
	r = rec("/reserved-memory/fw@80000000", 0);
	CHECK(r && r->target == FW_TO_NOMAP);
	check_records();
}

/*
 * A range past 2^64 is capped, edges are rounded in, a range without a
 * whole page is dropped, unusable NUMA ids leave the node unknown.
 *
 *   0x80000800 -> 0x80001000 .. 0x80100000          rounded in
 *   0xa0000000 + 0x800                              no whole page
 *   0xffffffff00000000 + 8 GiB -> .. 0xfffffffffffff000   capped
 */
static void test_edges(void)
{
	const struct fw_record *r;

	reset();
	CHECK_EQ(fdt_scan_memory(dtb("fdt-mem-edges")), 0);
	CHECK_EQ(memblock.memory.cnt, 4);
	CHECK(MEM(0, 0x80001000, 0x000ff000, NONODE, 0));
	CHECK(MEM(1, 0x90000000, 0x01000000, NONODE, 0));
	CHECK(MEM(2, 0xb0000000, 0x01000000, NONODE, 0));
	CHECK(MEM(3, 0xffffffff00000000, 0xfffff000, NONODE, 0));
	CHECK_EQ(diags(FWD_WRAPS), 1);
	CHECK_EQ(diags(FWD_UNALIGNED), 3);
	CHECK_EQ(diags(FWD_BAD_PROPERTY), 2);	/* both numa-node-id */
	r = rec("/memory@ffffffff00000000", 0);
	CHECK(r && r->fate == FW_CLIPPED && r->why != NULL &&
	      strstr(r->why, "top") != NULL);
	r = rec("/memory@a0000000", 0);
	CHECK(r && r->fate == FW_DROPPED);
	r = rec("/memory@90000000", 0);
	CHECK(r && r->nid == NUMA_NO_NODE);
	check_records();
}

/*
 * /memreserve/ entries are reserved, an unaligned one rounded out to the
 * page; its record keeps the range as given.
 *
 *   0x80000000 +64K        0x8f000000 [0x8f000100 +0x100] 0x8f001000
 *   |memreserve 0|         |.......memreserve 1..........|
 */
static void test_memreserve(void)
{
	const struct fw_record *r;

	reset();
	CHECK_EQ(fdt_scan_memory(dtb("fdt-rsv")), 0);
	CHECK(reserved_whole(0x80000000, 0x10000));
	CHECK(reserved_whole(0x8f000000, 0x1000));
	CHECK(memblock_is_map_memory(0x8f000000));	/* not NOMAP */
	r = rec("/memreserve/", 1);
	CHECK(r && r->target == FW_TO_RESERVED && r->kept_base == 0x8f000100 &&
	      r->kept_size == 0x100);
	CHECK_EQ(diags(FWD_UNALIGNED), 1);
	check_records();
}

/*
 * Static /reserved-memory children in that node's own 1/1 cells: every
 * reg tuple, no-map made NOMAP, reusable recorded, disabled skipped.
 *
 *   0x80100000 0x80200000 0x80300000 0x80400000 0x80600000 0x80900000
 *   |multi#0|  |multi#1|  |multi#2|  |nomap|    |pool R|   |off: free|
 */
static void test_reserved_static(void)
{
	const struct fw_record *r;

	reset();
	CHECK_EQ(fdt_scan_memory(dtb("fdt-rsv")), 0);
	CHECK(reserved_whole(0x80100000, 0x1000));
	CHECK(reserved_whole(0x80200000, 0x2000));
	CHECK(reserved_whole(0x80300000, 0x3000));
	r = rec("/reserved-memory/multi@80100000", 2);
	CHECK(r && r->base == 0x80300000 && r->size == 0x3000);
	CHECK(reserved_whole(0x80400000, 0x100000));
	CHECK(!memblock_is_map_memory(0x80400000));
	CHECK(!memblock_is_map_memory(0x804fffff));
	CHECK(memblock_is_map_memory(0x80500000));
	r = rec("/reserved-memory/nomap@80400000", 0);
	CHECK(r && r->target == FW_TO_NOMAP && r->flags == MEMBLOCK_NOMAP);
	CHECK(reserved_whole(0x80600000, 0x200000));
	CHECK(memblock_is_map_memory(0x80600000));
	r = rec("/reserved-memory/pool@80600000", 0);
	CHECK(r && r->target == FW_TO_RESERVED && r->why != NULL &&
	      strcmp(r->why, "reusable") == 0);
	CHECK(!memblock_is_reserved(0x80900000));
	r = rec("/reserved-memory/off@80900000", 0);
	CHECK(r && r->fate == FW_DROPPED);
	check_records();
}

/*
 * Dynamic children are allocated after everything static: in the first
 * alloc-range with room at their alignment, else anywhere (top-down);
 * one that cannot fit and one without size are reported.
 *
 *   0x84000000   0x85000000 +1M  0x86000000  ..  0x8fe00000  0x90000000
 *   |alloc-ranges[1] ..|dyn-aligned|..|           |dyn-anywhere NOMAP|
 *   alloc-ranges[0] = 0x9f000000: no memory there
 */
static void test_reserved_dynamic(void)
{
	const struct fw_record *r;

	reset();
	CHECK_EQ(fdt_scan_memory(dtb("fdt-rsv")), 0);
	r = rec("/reserved-memory/dyn-aligned", 1);
	CHECK(r && r->target == FW_TO_RESERVED && r->base == 0x85000000 &&
	      r->size == 0x100000);
	CHECK(reserved_whole(0x85000000, 0x100000));
	r = rec("/reserved-memory/dyn-anywhere", 0);
	CHECK(r && r->target == FW_TO_NOMAP && r->base == 0x8fe00000);
	CHECK(!memblock_is_map_memory(0x8fe00000));
	r = rec("/reserved-memory/dyn-toobig", 0);
	CHECK(r && r->fate == FW_DROPPED);
	CHECK_EQ(diags(FWD_ALLOC_FAILED), 1);
	CHECK_EQ(diags(FWD_BAD_PROPERTY), 1);	/* dyn-nosize */
	/* Not on top of the initrd, which was reserved before. */
	CHECK(reserved_whole(0x88000000, 0x100000));
	check_records();
}

/*
 * OpenSBI's mmode_resv0 without no-map (what 1.1 hands over on QEMU virt)
 * ends NOMAP with a warning, and nothing is ever allocated from it.
 *
 *   0x80000000 0x80080000                         0x88000000
 *   |mmode NOMAP|........ memory .................|
 */
static void test_opensbi_without_nomap(void)
{
	const struct fw_record *r;

	reset();
	CHECK_EQ(fdt_scan_memory(dtb("opensbi-virt")), 0);
	CHECK_EQ(memblock.memory.cnt, 2);
	CHECK(MEM(0, 0x80000000, 0x80000, NONODE, MEMBLOCK_NOMAP));
	CHECK(MEM(1, 0x80080000, 0x8000000 - 0x80000, NONODE, 0));
	CHECK_EQ(memblock.reserved.cnt, 1);
	CHECK(RSV(0, 0x80000000, 0x80000));
	CHECK_EQ(diags(FWD_FIRMWARE_WITHOUT_NOMAP), 1);
	CHECK_EQ(fw_diags.total, 1);
	r = rec("/reserved-memory/mmode_resv0@80000000", 0);
	CHECK(r && r->target == FW_TO_NOMAP && r->why != NULL &&
	      strcmp(r->why, "firmware region without no-map") == 0);
	memblock_set_bottom_up(true);
	for (int i = 0; i < 8; i++) {
		phys_addr_t a = memblock_phys_alloc(0x10000, 0x1000);

		CHECK(a >= 0x80080000);
	}
	check_records();
}

/*
 * The quirk table also covers OP-TEE's optee_core.
 *
 *   0x8e000000 0x8e100000
 *   |optee NOMAP|
 */
static void test_optee_without_nomap(void)
{
	const struct fw_record *r;

	reset();
	CHECK_EQ(fdt_scan_memory(dtb("fdt-rsv")), 0);
	CHECK_EQ(diags(FWD_FIRMWARE_WITHOUT_NOMAP), 1);
	CHECK(!memblock_is_map_memory(0x8e000000));
	r = rec("/reserved-memory/optee_core@8e000000", 0);
	CHECK(r && r->target == FW_TO_NOMAP);
}

/*
 * A well-formed /chosen: every field read, no diagnostic.
 *
 *   initrd [0x84000000, 0x84400000)  usable [0x84000000 +128M)
 */
static void test_chosen_fields(void)
{
	struct fdt_chosen c;

	reset();
	CHECK_EQ(fdt_scan_chosen(dtb("fdt-chosen"), &c), 0);
	CHECK(c.bootargs && strcmp(c.bootargs, "console=ttyS0 loglevel=7") == 0);
	CHECK(c.stdout_path && strcmp(c.stdout_path, "serial0:115200n8") == 0);
	CHECK_EQ(c.initrd_start, 0x84000000);
	CHECK_EQ(c.initrd_end, 0x84400000);
	CHECK(c.has_usable_range);
	CHECK_EQ(c.usable_base, 0x84000000);
	CHECK_EQ(c.usable_size, 0x08000000);
	/* rng-seed wins over kaslr-seed. */
	CHECK_EQ(c.rng_seed_len, 16);
	CHECK(c.rng_seed && ((const uint8_t *)c.rng_seed)[0] == 1);
	CHECK_EQ(fw_diags.total, 0);
}

/*
 * linux,usable-memory-range caps memory (fw014 per piece removed) before
 * the reservations, which are all kept; the u32 initrd is reserved.
 *
 *   0x80000000  0x84000000        0x8c000000      0xa0000000  0xc0000000
 *   |removed....|==== usable =====|removed ........|          |removed|
 *               |initrd|
 */
static void test_usable_range(void)
{
	const struct fw_record *r;

	reset();
	CHECK_EQ(fdt_scan_memory(dtb("fdt-chosen")), 0);
	CHECK_EQ(memblock.memory.cnt, 1);
	CHECK(MEM(0, 0x84000000, 0x08000000, NONODE, 0));
	CHECK_EQ(diags(FWD_MEMORY_CAPPED), 3);
	CHECK(reserved_whole(0x84000000, 0x400000));
	CHECK(reserved_whole(0x80100000, 0x1000));
	CHECK(reserved_whole(0x9f000000, 0x100000));
	CHECK_EQ(records_to(FW_TO_REMOVED), 3);
	r = fw_record_find(0x84400000);
	CHECK(r && strcmp(r->origin, "/chosen") == 0 &&
	      r->target == FW_TO_MEMORY);
	r = fw_record_find(0x84000000);
	CHECK(r && r->why && strcmp(r->why, "initrd") == 0);
	check_records();
}

/*
 * With memory from a UEFI map (NOMAP parts included), the DT adds only
 * reservations, and the usable range keeps NOMAP memory outside it.
 *
 *   0x80000000  0x84000000        0x8c000000   0x9f000000  0xa0000000
 *   |removed....|==== usable =====|removed.....|NOMAP kept|
 */
static void test_reservations_only(void)
{
	reset();
	memblock_add(0x80000000, 0x20000000);
	memblock_mark_nomap(0x9f000000, 0x100000);
	CHECK_EQ(fdt_scan_reservations(dtb("fdt-chosen")), 0);
	CHECK_EQ(memblock.memory.cnt, 2);
	CHECK(MEM(0, 0x84000000, 0x08000000, NONODE, 0));
	CHECK(MEM(1, 0x9f000000, 0x100000, NONODE, MEMBLOCK_NOMAP));
	CHECK_EQ(diags(FWD_MEMORY_CAPPED), 3);
	CHECK(rec("/memory@80000000", 0) == NULL);	/* nodes not read */

	reset();
	memblock_add(0x80000000, 0x10000000);
	CHECK_EQ(fdt_scan_reservations(dtb("fdt-rsv")), 0);
	CHECK_EQ(memblock_phys_mem_size(), 0x10000000);
	CHECK(reserved_whole(0x80300000, 0x3000));
	CHECK(!memblock_is_map_memory(0x80400000));
	CHECK(reserved_whole(0x85000000, 0x100000));
	check_records();
}

/*
 * u64 initrd bounds, kaslr-seed alone, and a two-tuple usable range in
 * 2/1 root cells: the first caps, the second is added back.
 *
 *   0x40000000 +16M  0x80000000   0x100000000 +256M    0x140000000
 *   |added back|..removed..|      |== usable ==|removed|
 *                                 |initrd 8M|
 */
static void test_chosen_u64(void)
{
	struct fdt_chosen c;

	reset();
	CHECK_EQ(fdt_scan_chosen(dtb("fdt-chosen-u64"), &c), 0);
	CHECK_EQ(c.initrd_start, 0x100000000);
	CHECK_EQ(c.initrd_end, 0x100800000);
	CHECK_EQ(c.rng_seed_len, 8);
	CHECK(c.bootargs == NULL);
	CHECK(c.stdout_path && strcmp(c.stdout_path, "/serial@9000000") == 0);
	CHECK_EQ(c.usable_base, 0x100000000);
	CHECK_EQ(c.usable_size, 0x10000000);

	reset();
	CHECK_EQ(fdt_scan_memory(dtb("fdt-chosen-u64")), 0);
	CHECK_EQ(memblock.memory.cnt, 2);
	CHECK(MEM(0, 0x40000000, 0x01000000, NONODE, 0));
	CHECK(MEM(1, 0x100000000, 0x10000000, NONODE, 0));
	CHECK_EQ(diags(FWD_MEMORY_CAPPED), 2);
	CHECK(reserved_whole(0x100000000, 0x800000));
	check_records();
}

/*
 * Every /chosen property in a wrong form is left out with fw003;
 * fdt_scan_memory() reports only the memory ones and still succeeds.
 *
 *   initrd-start 0x88000000 > initrd-end 0x87000000: no initrd
 */
static void test_chosen_bad(void)
{
	struct fdt_chosen c;

	reset();
	CHECK_EQ(fdt_scan_chosen(dtb("fdt-chosen-bad"), &c), -EINVAL);
	CHECK(c.bootargs == NULL);
	CHECK(c.stdout_path == NULL);
	CHECK_EQ(c.initrd_start, 0);
	CHECK_EQ(c.initrd_end, 0);
	CHECK(!c.has_usable_range);
	CHECK(c.rng_seed == NULL);
	CHECK_EQ(diags(FWD_BAD_PROPERTY), 5);

	reset();
	CHECK_EQ(fdt_scan_memory(dtb("fdt-chosen-bad")), 0);
	CHECK_EQ(diags(FWD_BAD_PROPERTY), 2);	/* initrd, usable range */
	CHECK_EQ(memblock.reserved.cnt, 0);
	CHECK(MEM(0, 0x80000000, 0x10000000, NONODE, 0));

	reset();
	CHECK_EQ(fdt_scan_chosen(dtb("fdt-chosen-half"), &c), -EINVAL);
	CHECK_EQ(c.initrd_start, 0);
	CHECK(c.bootargs && c.bootargs[0] == '\0');
	CHECK_EQ(diags(FWD_BAD_PROPERTY), 1);
}

/*
 * DT memory against a memblock filled as from a UEFI map: each maximal
 * difference is one fw011; touching regions of different flags, and DT
 * banks split over two nodes, compare as one.
 *
 *   DT   [0x40000000 .............. 0x80000000)  [0x100000000 .. 0x140000000)
 *   EFI  [0x40000000 .. 0x7fe00000) [0x80000000 +1M) [plain ...)[NOMAP ....)
 *   fw011: [0x7fe00000, 0x80000000) DT only; [0x80000000, +1M) EFI only
 */
static void test_compare(void)
{
	reset();
	memblock_add(0x40000000, 0x3fe00000);
	memblock_add(0x80000000, 0x100000);
	memblock_add(0x100000000, 0x20000000);
	memblock_add_node(0x120000000, 0x20000000, MAX_NUMNODES,
			  MEMBLOCK_NOMAP);
	CHECK_EQ(fdt_compare_memory(dtb("fdt-compare")), 2);
	CHECK_EQ(diags(FWD_DT_EFI_DISAGREE), 2);

	reset();
	CHECK_EQ(fdt_scan_memory(dtb("fdt-compare")), 0);
	CHECK_EQ(fdt_compare_memory(dtb("fdt-compare")), 0);
	CHECK_EQ(fw_diags.total, 0);

	/* Nothing in memblock: every DT range is a difference. */
	reset();
	CHECK_EQ(fdt_compare_memory(dtb("fdt-compare")), 2);
	/* No readable DT memory (the root's cells are bad): no comparison. */
	reset();
	memblock_add(0x80000000, 0x100000);
	CHECK_EQ(fdt_compare_memory(dtb("fdt-mem-badroot")), 0);
	CHECK_EQ(fw_diags.total, 0);
}

/* A blob that fails fdt_blob_check() is refused whole with fw001. */
static void test_refused_blob(void)
{
	const uint8_t *good = dtb("fdt-mem-banks");
	size_t n = good ? fdt_totalsize(good) : 0;
	uint8_t *bad = malloc(n + 8);

	reset();
	if (good == NULL || bad == NULL) {
		CHECK(0);
		free(bad);
		return;
	}
	memcpy(bad, good, n);
	bad[0] ^= 0xff;
	CHECK_EQ(fdt_scan_memory(bad), -EINVAL);
	CHECK_EQ(fdt_scan_reservations(bad), -EINVAL);
	CHECK_EQ(fdt_compare_memory(bad), 0);
	CHECK_EQ(diags(FWD_BAD_TABLE), 2);
	CHECK_EQ(memblock.memory.cnt, 0);
	free(bad);
}

int main(int argc, char *argv[])
{
	if (argc < 2 || argc - 1 > MAX_FIXTURES) {
		printf("Bail out! usage: test_fdt_memory FIXTURE.dtb...\n");
		return 1;
	}
	nfixtures = argc - 1;
	for (int i = 0; i < nfixtures; i++) {
		fixture_path[i] = argv[i + 1];
	}
	console_register(&tap_console);
	TEST(test_banks_and_nodes);
	TEST(test_cells_mix);
	TEST(test_bad_root_cells);
	TEST(test_edges);
	TEST(test_memreserve);
	TEST(test_reserved_static);
	TEST(test_reserved_dynamic);
	TEST(test_opensbi_without_nomap);
	TEST(test_optee_without_nomap);
	TEST(test_chosen_fields);
	TEST(test_usable_range);
	TEST(test_reservations_only);
	TEST(test_chosen_u64);
	TEST(test_chosen_bad);
	TEST(test_compare);
	TEST(test_refused_blob);
	for (int i = 0; i < nfixtures; i++) {
		free(fixture_blob[i]);
	}
	return tap_done();
}
