// SPDX-License-Identifier: BSD-2-Clause
/*
 * drivers/firmware/e820.c: sanitising (sort, precedence, merge), the type
 * conversion, the PC low-memory rules, both table layouts, every kind of
 * bad entry, and the tables SeaBIOS hands over on QEMU q35 and pc. Each
 * case checks memblock exactly, the provenance records and the diagnostic
 * counts.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cairn/e820.h>
#include <cairn/errno.h>
#include <cairn/fwmap.h>
#include <cairn/memblock.h>

#include "fw_expect.h"
#include "tap.h"

#define KiB		UINT64_C(0x400)
#define MiB		UINT64_C(0x100000)
#define GiB		UINT64_C(0x40000000)

#define RAM		E820_TYPE_RAM
#define RSV		E820_TYPE_RESERVED
#define ACPI		E820_TYPE_ACPI
#define NVS		E820_TYPE_NVS
#define UNUSABLE	E820_TYPE_UNUSABLE
#define PMEM		E820_TYPE_PMEM
#define PRAM		E820_TYPE_PRAM
#define SOFT		E820_TYPE_SOFT_RESERVED

/* An entry as e820_scan_entries() takes it; index = position. */
#define E(a, s, t)	{ .addr = (a), .size = (s), .type = (t) }

static uint32_t scan(struct e820_entry *map, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		map[i].index = i;
	}
	return (uint32_t)e820_scan_entries(map, n);
}

#define SCAN(...)							\
	({								\
		struct e820_entry m_[] = { __VA_ARGS__ };		\
		(int)scan(m_, (uint32_t)ARRAY_SIZE(m_));		\
	})

/* The PVH layout: struct hvm_memmap_table_entry. */
struct pvh_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
	uint32_t reserved;
};

/* Put @n entries in the boot_params layout (20 bytes, packed) at @buf. */
static void pack_bp(uint8_t *buf, const struct pvh_entry *e, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++, buf += 20) {
		memcpy(buf, &e[i].addr, 8);
		memcpy(buf + 8, &e[i].size, 8);
		memcpy(buf + 16, &e[i].type, 4);
	}
}

/*
 * SeaBIOS 1.16 on QEMU 7.2 (captured from its debug console with
 * "-device isa-debugcon,iobase=0x402": "e820 map has N items").
 */
static const struct pvh_entry pc_512m[] = {
	{ 0x0000000000, 0x0009fc00, RAM, 0 },
	{ 0x000009fc00, 0x00000400, RSV, 0 },	/* EBDA */
	{ 0x00000f0000, 0x00010000, RSV, 0 },	/* BIOS */
	{ 0x0000100000, 0x1fee0000, RAM, 0 },
	{ 0x001ffe0000, 0x00020000, RSV, 0 },	/* SeaBIOS tables */
	{ 0x00fffc0000, 0x00040000, RSV, 0 },	/* BIOS flash */
	{ 0xfd00000000, 0x0300000000, RSV, 0 },	/* HyperTransport */
};

static const struct pvh_entry q35_512m[] = {
	{ 0x0000000000, 0x0009fc00, RAM, 0 },
	{ 0x000009fc00, 0x00000400, RSV, 0 },
	{ 0x00000f0000, 0x00010000, RSV, 0 },
	{ 0x0000100000, 0x1fee0000, RAM, 0 },
	{ 0x001ffe0000, 0x00020000, RSV, 0 },
	{ 0x00b0000000, 0x10000000, RSV, 0 },	/* MMCONFIG */
	{ 0x00fed1c000, 0x00004000, RSV, 0 },	/* ICH9 RCRB */
	{ 0x00fffc0000, 0x00040000, RSV, 0 },
	{ 0xfd00000000, 0x0300000000, RSV, 0 },
};

/* -m 4G: q35 splits RAM at 2 GiB, pc at 3 GiB; the rest goes above 4 GiB. */
static const struct pvh_entry q35_4g[] = {
	{ 0x0000000000, 0x0009fc00, RAM, 0 },
	{ 0x000009fc00, 0x00000400, RSV, 0 },
	{ 0x00000f0000, 0x00010000, RSV, 0 },
	{ 0x0000100000, 0x7fee0000, RAM, 0 },
	{ 0x007ffe0000, 0x00020000, RSV, 0 },
	{ 0x00b0000000, 0x10000000, RSV, 0 },
	{ 0x00fed1c000, 0x00004000, RSV, 0 },
	{ 0x00fffc0000, 0x00040000, RSV, 0 },
	{ 0x0100000000, 0x80000000, RAM, 0 },
	{ 0xfd00000000, 0x0300000000, RSV, 0 },
};

static const struct pvh_entry pc_4g[] = {
	{ 0x0000000000, 0x0009fc00, RAM, 0 },
	{ 0x000009fc00, 0x00000400, RSV, 0 },
	{ 0x00000f0000, 0x00010000, RSV, 0 },
	{ 0x0000100000, 0xbfee0000, RAM, 0 },
	{ 0x00bffe0000, 0x00020000, RSV, 0 },
	{ 0x00fffc0000, 0x00040000, RSV, 0 },
	{ 0x0100000000, 0x40000000, RAM, 0 },
	{ 0xfd00000000, 0x0300000000, RSV, 0 },
};

static const struct pvh_entry q35_16g[] = {
	{ 0x0000000000, 0x0009fc00, RAM, 0 },
	{ 0x000009fc00, 0x00000400, RSV, 0 },
	{ 0x00000f0000, 0x00010000, RSV, 0 },
	{ 0x0000100000, 0x7fee0000, RAM, 0 },
	{ 0x007ffe0000, 0x00020000, RSV, 0 },
	{ 0x00b0000000, 0x10000000, RSV, 0 },
	{ 0x00fed1c000, 0x00004000, RSV, 0 },
	{ 0x00fffc0000, 0x00040000, RSV, 0 },
	{ 0x0100000000, 0x380000000, RAM, 0 },
	{ 0xfd00000000, 0x0300000000, RSV, 0 },
};

static const struct pvh_entry pc_16g[] = {
	{ 0x0000000000, 0x0009fc00, RAM, 0 },
	{ 0x000009fc00, 0x00000400, RSV, 0 },
	{ 0x00000f0000, 0x00010000, RSV, 0 },
	{ 0x0000100000, 0xbfee0000, RAM, 0 },
	{ 0x00bffe0000, 0x00020000, RSV, 0 },
	{ 0x00fffc0000, 0x00040000, RSV, 0 },
	{ 0x0100000000, 0x340000000, RAM, 0 },
	{ 0xfd00000000, 0x0300000000, RSV, 0 },
};

/*
 * The QEMU tables: RAM below the EBDA rounded down to a page, page 0
 * reserved, the reserved entries left out (none overlaps RAM), the two or
 * three RAM banks as memory. The 0x9fc00 edge is the only diagnostic.
 *
 *   e820:   |RAM 0-0x9fc00|E|  |BIOS|RAM 1M-low_top|rsv| ... |RAM 4G-high|
 *   memory: [0-0x9f000)         [1M-low_top)                 [4G-high)
 *   rsvd:   [0-0x1000)
 */
static void check_qemu(const struct pvh_entry *t, uint32_t n,
		       phys_addr_t low_top, phys_addr_t high_end)
{
	int ret;

	fwx_reset();
	ret = e820_scan(t, n, BOOT_E820_PVH);
	CHECK_EQ(ret, 0);
	if (high_end == 0) {
		CHECK_MEMORY({ 0, 0x9f000, NONE_F },
			     { MiB, low_top - MiB, NONE_F });
	} else {
		CHECK_MEMORY({ 0, 0x9f000, NONE_F },
			     { MiB, low_top - MiB, NONE_F },
			     { 4 * GiB, high_end - 4 * GiB, NONE_F });
	}
	CHECK_RESERVED({ 0, 0x1000, NONE_F });
	CHECK_DIAGS([FWD_UNALIGNED] = 1);
	/* Every entry has a record, plus the page 0 rule's. */
	CHECK_EQ(fw_log.cnt, n + 1);
	fwx_check_record(fwx_record(FW_FMT_E820, 0, 0), FW_TO_MEMORY,
			 FW_CLIPPED, 0, 0x9f000);
	fwx_check_record(fwx_record(FW_FMT_E820, 1, 0), FW_TO_NONE,
			 FW_DROPPED, 0, 0);
	fwx_check_record(fwx_record(FW_FMT_E820, 3, 0), FW_TO_MEMORY,
			 FW_KEPT, MiB, low_top - MiB);
	fwx_check_record(fwx_record(FW_FMT_KERNEL, 0, 0), FW_TO_RESERVED,
			 FW_KEPT, 0, 0x1000);
	/* Where did address 0x200000 come from? e820 entry 3. */
	CHECK(fw_record_find(0x200000) != NULL &&
	      fw_record_find(0x200000)->index == 3);
	CHECK(fw_record_find(0xfffc0000) == NULL);
	fwx_check_invariants();
}

/* QEMU pc, -m 512M: one low bank up to SeaBIOS's tables at 0x1ffe0000. */
static void test_qemu_pc_512m(void)
{
	check_qemu(pc_512m, ARRAY_SIZE(pc_512m), 0x1ffe0000, 0);
}

/* QEMU q35, -m 512M: the same memory; MMCONFIG and RCRB are reserved. */
static void test_qemu_q35_512m(void)
{
	check_qemu(q35_512m, ARRAY_SIZE(q35_512m), 0x1ffe0000, 0);
}

/* QEMU q35, -m 4G: RAM split at 2 GiB, the other 2 GiB above 4 GiB. */
static void test_qemu_q35_4g(void)
{
	check_qemu(q35_4g, ARRAY_SIZE(q35_4g), 0x7ffe0000, 6 * GiB);
}

/* QEMU pc, -m 4G: RAM split at 3 GiB, 1 GiB above 4 GiB. */
static void test_qemu_pc_4g(void)
{
	check_qemu(pc_4g, ARRAY_SIZE(pc_4g), 0xbffe0000, 5 * GiB);
}

/* QEMU q35, -m 16G: 2 GiB low, 14 GiB from 4 GiB up. */
static void test_qemu_q35_16g(void)
{
	check_qemu(q35_16g, ARRAY_SIZE(q35_16g), 0x7ffe0000, 18 * GiB);
}

/* QEMU pc, -m 16G: 3 GiB low, 13 GiB from 4 GiB up. */
static void test_qemu_pc_16g(void)
{
	check_qemu(pc_16g, ARRAY_SIZE(pc_16g), 0xbffe0000, 17 * GiB);
}

/*
 * The boot_params layout (packed 20-byte entries), read from an odd
 * address, gives what the PVH layout gives.
 *
 *   buf: |x|e0 (20)|e1 (20)|...     (entries unaligned)
 */
static void test_boot_params_layout(void)
{
	static uint8_t buf[1 + 20 * ARRAY_SIZE(q35_4g)];

	pack_bp(buf + 1, q35_4g, ARRAY_SIZE(q35_4g));
	fwx_reset();
	CHECK_EQ(e820_scan(buf + 1, ARRAY_SIZE(q35_4g), BOOT_E820_BOOT_PARAMS),
		 0);
	CHECK_MEMORY({ 0, 0x9f000, NONE_F }, { MiB, 0x7fee0000, NONE_F },
		     { 4 * GiB, 2 * GiB, NONE_F });
	CHECK_RESERVED({ 0, 0x1000, NONE_F });
	CHECK_DIAGS([FWD_UNALIGNED] = 1);
	fwx_check_invariants();
}

/*
 * A table in reverse order: the same result, records keep the firmware's
 * entry numbers.
 *
 *   e820: [2] RAM 1M-16M   [1] RSV 0xf0000-1M   [0] RAM 0-0x9f000
 */
static void test_unsorted(void)
{
	fwx_reset();
	CHECK_EQ(SCAN(E(MiB, 15 * MiB, RAM), E(0xf0000, 0x10000, RSV),
		      E(0, 0x9f000, RAM)), 0);
	CHECK_MEMORY({ 0, 0x9f000, NONE_F }, { MiB, 15 * MiB, NONE_F });
	CHECK_RESERVED({ 0, 0x1000, NONE_F });
	CHECK_DIAGS(0);
	fwx_check_record(fwx_record(FW_FMT_E820, 0, 0), FW_TO_MEMORY, FW_KEPT,
			 MiB, 15 * MiB);
	fwx_check_record(fwx_record(FW_FMT_E820, 2, 0), FW_TO_MEMORY, FW_KEPT,
			 0, 0x9f000);
	fwx_check_invariants();
}

/*
 * A reserved entry inside RAM: the RAM is split around it, the hole is
 * not memory and is reserved (it was described as RAM too), fw008.
 *
 *   e820:   [RAM 1M ------------------------------- 256M)
 *                    [RSV 8M - 9M)
 *   memory: [1M - 8M)             [9M ------------- 256M)
 *   rsvd:            [8M - 9M)
 */
static void test_reserved_inside_ram(void)
{
	const struct fw_record *r;

	fwx_reset();
	CHECK_EQ(SCAN(E(MiB, 255 * MiB, RAM), E(8 * MiB, MiB, RSV)), 0);
	CHECK_MEMORY({ MiB, 7 * MiB, NONE_F }, { 9 * MiB, 247 * MiB, NONE_F });
	CHECK_RESERVED({ 8 * MiB, MiB, NONE_F });
	CHECK_DIAGS([FWD_TYPE_OVERLAP] = 1);
	/* The RAM entry has two records, one per piece; both "split". */
	fwx_check_record(fwx_record(FW_FMT_E820, 0, 0), FW_TO_MEMORY,
			 FW_CLIPPED, MiB, 7 * MiB);
	r = fwx_record(FW_FMT_E820, 0, 1);
	fwx_check_record(r, FW_TO_MEMORY, FW_CLIPPED, 9 * MiB, 247 * MiB);
	CHECK(r != NULL && r->why != NULL && strstr(r->why, "split") != NULL);
	fwx_check_record(fwx_record(FW_FMT_E820, 1, 0), FW_TO_RESERVED,
			 FW_KEPT, 8 * MiB, MiB);
	fwx_check_invariants();
}

/*
 * Every type over one RAM entry, each overlapping the next: the more
 * restrictive type wins each overlap (unusable > NVS > reserved > pmem >
 * ACPI > RAM); one fw008 per entry that lost to another type.
 *
 *   RAM      [1M -------------------------------------------------- 16M)
 *   ACPI        [2M ----- 4M)
 *   PMEM             [3M ------ 5M)
 *   RSV                  [4.5M ----- 6M)
 *   NVS                       [5.5M ------ 7M)
 *   UNUSABLE                        [6.5M ------ 8M)
 *   result:  RAM|ACPI|PMEM |RSV  |NVS  |UNUSABLE |RAM
 *           1M  2M   3M   4.5M  5.5M  6.5M      8M            16M
 *   memory: [1M ----- 3M)[3M-4.5M DM)            [8M ----------- 16M)
 *   rsvd:       [2M-3M)       [4.5M -------- 8M)
 */
static void test_precedence(void)
{
	struct e820_entry map[] = {
		E(MiB, 15 * MiB, RAM),
		E(2 * MiB, 2 * MiB, ACPI),
		E(3 * MiB, 2 * MiB, PMEM),
		E(0x480000, 0x180000, RSV),
		E(0x580000, 0x180000, NVS),
		E(0x680000, 0x180000, UNUSABLE),
	};
	struct e820_entry copy[ARRAY_SIZE(map) * 2];
	uint32_t nr = ARRAY_SIZE(map);

	fwx_reset();
	CHECK_EQ(scan(map, ARRAY_SIZE(map)), 0);
	CHECK_MEMORY({ MiB, 2 * MiB, NONE_F }, { 3 * MiB, 0x180000, DM_F },
		     { 8 * MiB, 8 * MiB, NONE_F });
	CHECK_RESERVED({ 2 * MiB, MiB, NONE_F },
		       { 0x480000, 0x380000, NONE_F });
	CHECK_DIAGS([FWD_TYPE_OVERLAP] = 5);
	fwx_check_record(fwx_record(FW_FMT_E820, 1, 0), FW_TO_RESERVED,
			 FW_CLIPPED, 2 * MiB, MiB);
	fwx_check_record(fwx_record(FW_FMT_E820, 5, 0), FW_TO_RESERVED,
			 FW_KEPT, 0x680000, 0x180000);
	fwx_check_invariants();

	/* The sanitised table itself, through the public function. */
	fw_reset();
	memcpy(copy, map, sizeof(map));
	CHECK_EQ(e820_sanitize(copy, &nr, ARRAY_SIZE(copy)), 0);
	CHECK_EQ(nr, 7);
	CHECK_EQ(copy[0].addr, MiB);
	CHECK_EQ(copy[0].type, RAM);
	CHECK_EQ(copy[1].addr, 2 * MiB);
	CHECK_EQ(copy[1].type, ACPI);
	CHECK_EQ(copy[2].addr, 3 * MiB);
	CHECK_EQ(copy[2].type, PMEM);
	CHECK_EQ(copy[3].addr, 0x480000);
	CHECK_EQ(copy[3].type, RSV);
	CHECK_EQ(copy[4].addr, 0x580000);
	CHECK_EQ(copy[4].type, NVS);
	CHECK_EQ(copy[5].addr, 0x680000);
	CHECK_EQ(copy[5].size, 0x180000);
	CHECK_EQ(copy[5].type, UNUSABLE);
	CHECK_EQ(copy[6].addr, 8 * MiB);
	CHECK_EQ(copy[6].size, 8 * MiB);
	CHECK_EQ(copy[6].index, 0);
	CHECK_DIAGS([FWD_TYPE_OVERLAP] = 5);
}

/*
 * Sanitising merges touching entries of one type and overlapping ones;
 * with too little room it returns -ENOSPC and leaves the table alone.
 *
 *   in:  [RAM 0-1M)[RAM 1M-2M)  [RAM 4M-8M)   [RSV 5M-6M)
 *             [RAM 0.5M-1.5M)
 *   out: [RAM 0 ------- 2M)     [RAM 4M-5M)[RSV)[RAM 6M-8M)
 */
static void test_sanitize(void)
{
	struct e820_entry map[] = {
		E(MiB, MiB, RAM), E(4 * MiB, 4 * MiB, RAM),
		E(0, MiB, RAM), E(5 * MiB, MiB, RSV),
		E(MiB / 2, MiB, RAM), E(9 * MiB, 0, RAM),
	};
	struct e820_entry small[6];
	uint32_t nr = ARRAY_SIZE(map);

	fwx_reset();
	for (uint32_t i = 0; i < nr; i++) {
		map[i].index = i;
	}
	memcpy(small, map, sizeof(map));
	CHECK_EQ(e820_sanitize(small, &nr, 3), -ENOSPC);
	CHECK_EQ(nr, 6);
	CHECK(memcmp(small, map, sizeof(map)) == 0);
	nr = ARRAY_SIZE(map);
	CHECK_EQ(e820_sanitize(map, &nr, ARRAY_SIZE(map)), 0);
	CHECK_EQ(nr, 4);
	CHECK_EQ(map[0].addr, 0);
	CHECK_EQ(map[0].size, 2 * MiB);
	CHECK_EQ(map[0].index, 2);
	CHECK_EQ(map[1].addr, 4 * MiB);
	CHECK_EQ(map[1].size, MiB);
	CHECK_EQ(map[2].type, RSV);
	CHECK_EQ(map[3].addr, 6 * MiB);
	CHECK_EQ(map[3].size, 2 * MiB);
	CHECK_EQ(map[3].index, 1);
	/* Two calls, each: the empty entry and the reserved one in RAM. */
	CHECK_DIAGS([FWD_EMPTY_RANGE] = 2, [FWD_TYPE_OVERLAP] = 2);
	CHECK_EQ(e820_sanitize(NULL, &nr, 4), -EINVAL);
}

/*
 * Two RAM entries overlapping, and an exact duplicate: one memory range,
 * no diagnostic; the records say which entry kept what.
 *
 *   [0] RAM [16M ----------- 64M)
 *   [1] RAM          [32M ----------- 128M)
 *   [2] RAM [16M ----------- 64M)
 *   memory: [16M --------------------- 128M)
 */
static void test_same_type_overlap(void)
{
	fwx_reset();
	CHECK_EQ(SCAN(E(16 * MiB, 48 * MiB, RAM), E(32 * MiB, 96 * MiB, RAM),
		      E(16 * MiB, 48 * MiB, RAM)), 0);
	CHECK_MEMORY({ 16 * MiB, 112 * MiB, NONE_F });
	CHECK_EQ(memblock.reserved.cnt, 0);
	CHECK_DIAGS(0);
	fwx_check_record(fwx_record(FW_FMT_E820, 0, 0), FW_TO_MEMORY, FW_KEPT,
			 16 * MiB, 48 * MiB);
	fwx_check_record(fwx_record(FW_FMT_E820, 1, 0), FW_TO_MEMORY,
			 FW_CLIPPED, 64 * MiB, 64 * MiB);
	fwx_check_record(fwx_record(FW_FMT_E820, 2, 0), FW_TO_NONE, FW_DROPPED,
			 0, 0);
	fwx_check_invariants();
}

/*
 * ACPI reclaimable memory is memory kept reserved; persistent memory
 * (7 and 12) and soft-reserved memory are driver-managed memory; NVS and
 * unusable entries that overlap nothing are left out.
 *
 *   [RAM 1M-8M)[ACPI 8M-9M)[NVS 9M-10M) [PMEM 4G-5G)[PRAM 5G-6G) [SOFT 8G-9G)
 *                                  [UNUSABLE 10M-11M)
 *   memory: [1M ----- 9M)           [4G -- DM ------ 6G)  [8G DM 9G)
 *   rsvd:        [8M-9M)
 */
static void test_types(void)
{
	fwx_reset();
	CHECK_EQ(SCAN(E(MiB, 7 * MiB, RAM), E(8 * MiB, MiB, ACPI),
		      E(9 * MiB, MiB, NVS), E(10 * MiB, MiB, UNUSABLE),
		      E(4 * GiB, GiB, PMEM), E(5 * GiB, GiB, PRAM),
		      E(8 * GiB, GiB, SOFT)), 0);
	CHECK_MEMORY({ MiB, 8 * MiB, NONE_F }, { 4 * GiB, 2 * GiB, DM_F },
		     { 8 * GiB, GiB, DM_F });
	CHECK_RESERVED({ 8 * MiB, MiB, NONE_F });
	CHECK_DIAGS(0);
	fwx_check_record(fwx_record(FW_FMT_E820, 1, 0), FW_TO_RESERVED,
			 FW_KEPT, 8 * MiB, MiB);
	fwx_check_record(fwx_record(FW_FMT_E820, 2, 0), FW_TO_NONE, FW_DROPPED,
			 0, 0);
	fwx_check_record(fwx_record(FW_FMT_E820, 4, 0), FW_TO_MEMORY, FW_KEPT,
			 4 * GiB, GiB);
	CHECK_EQ(fwx_record(FW_FMT_E820, 4, 0)->flags, DM_F);
	fwx_check_invariants();
}

/*
 * Persistent memory inside RAM: driver-managed wins over RAM (fw008); an
 * unknown type is reserved (fw012) and, inside RAM, reserved memblock-wise.
 *
 *   [RAM 1M --------------------------------- 64M)
 *         [PMEM 16M-32M)   [type 0x99 40M-41M)
 *   memory: [1M-16M)[16M-32M DM)[32M-40M)  [41M-64M)
 *   rsvd:                        [40M-41M)
 */
static void test_unknown_and_pmem_in_ram(void)
{
	fwx_reset();
	CHECK_EQ(SCAN(E(MiB, 63 * MiB, RAM), E(16 * MiB, 16 * MiB, PMEM),
		      E(40 * MiB, MiB, 0x99)), 0);
	CHECK_MEMORY({ MiB, 15 * MiB, NONE_F }, { 16 * MiB, 16 * MiB, DM_F },
		     { 32 * MiB, 8 * MiB, NONE_F },
		     { 41 * MiB, 23 * MiB, NONE_F });
	CHECK_RESERVED({ 40 * MiB, MiB, NONE_F });
	CHECK_DIAGS([FWD_TYPE_OVERLAP] = 1, [FWD_UNKNOWN_TYPE] = 1);
	/* The RAM entry split in three, three records. */
	CHECK(fwx_record(FW_FMT_E820, 0, 2) != NULL);
	CHECK(fwx_record(FW_FMT_E820, 0, 3) == NULL);
	fwx_check_invariants();

	/* An unknown type alone is not memory at all. */
	fwx_reset();
	CHECK_EQ(SCAN(E(MiB, MiB, 0x99)), 0);
	CHECK_EQ(memblock.memory.cnt, 0);
	CHECK_EQ(memblock.reserved.cnt, 0);
	CHECK_DIAGS([FWD_UNKNOWN_TYPE] = 1);
	fwx_check_record(fwx_record(FW_FMT_E820, 0, 0), FW_TO_NONE, FW_DROPPED,
			 0, 0);
}

/*
 * A buggy table that calls all of the first 2 MiB RAM: page 0 stays
 * memory but reserved, the EBDA page and the legacy hole are cut out
 * (fw008); the entry gets a record per part.
 *
 *   e820:   [RAM 0 ----------------------------------------- 2M)
 *   memory: [0 ---- 0x9f000)              [1M ------------- 2M)
 *   rsvd:   [0-4K)
 *   cut:             [EBDA page|VGA+ROM 0xa0000-1M)
 */
static void test_low_memory_rules(void)
{
	fwx_reset();
	CHECK_EQ(SCAN(E(0, 2 * MiB, RAM)), 0);
	CHECK_MEMORY({ 0, 0x9f000, NONE_F }, { MiB, MiB, NONE_F });
	CHECK_RESERVED({ 0, 0x1000, NONE_F });
	CHECK_DIAGS([FWD_TYPE_OVERLAP] = 1);
	fwx_check_record(fwx_record(FW_FMT_E820, 0, 0), FW_TO_MEMORY,
			 FW_CLIPPED, 0, 0x9f000);
	fwx_check_record(fwx_record(FW_FMT_E820, 0, 1), FW_TO_MEMORY,
			 FW_CLIPPED, MiB, MiB);
	fwx_check_record(fwx_record(FW_FMT_KERNEL, 0, 0), FW_TO_RESERVED,
			 FW_KEPT, 0, 0x1000);
	fwx_check_invariants();

	/* RAM only inside the hole: nothing of it is memory. */
	fwx_reset();
	CHECK_EQ(SCAN(E(0xa0000, 0x20000, RAM), E(MiB, MiB, RAM)), 0);
	CHECK_MEMORY({ MiB, MiB, NONE_F });
	CHECK_EQ(memblock.reserved.cnt, 0);
	CHECK_DIAGS([FWD_TYPE_OVERLAP] = 1);
	fwx_check_record(fwx_record(FW_FMT_E820, 0, 0), FW_TO_NONE, FW_DROPPED,
			 0, 0);

	/* No RAM at page 0: nothing to reserve there. */
	fwx_reset();
	CHECK_EQ(SCAN(E(0x1000, 0x9e000, RAM)), 0);
	CHECK_MEMORY({ 0x1000, 0x9e000, NONE_F });
	CHECK_EQ(memblock.reserved.cnt, 0);
	CHECK_DIAGS(0);
}

/*
 * Entries not on page edges: memory rounded inward (fw006); a RAM entry
 * with no whole page is not memory.
 *
 *   [RAM 1M+2K ---------- 2M+2K)   [RAM 3M+256 - 3M+3840)
 *   memory: [1M+4K ---- 2M)
 */
static void test_unaligned(void)
{
	fwx_reset();
	CHECK_EQ(SCAN(E(MiB + 2 * KiB, MiB, RAM), E(3 * MiB + 256, 3584, RAM)),
		 0);
	CHECK_MEMORY({ MiB + 4 * KiB, MiB - 4 * KiB, NONE_F });
	CHECK_EQ(memblock.reserved.cnt, 0);
	CHECK_DIAGS([FWD_UNALIGNED] = 2);
	fwx_check_record(fwx_record(FW_FMT_E820, 0, 0), FW_TO_MEMORY,
			 FW_CLIPPED, MiB + 4 * KiB, MiB - 4 * KiB);
	fwx_check_record(fwx_record(FW_FMT_E820, 1, 0), FW_TO_NONE, FW_DROPPED,
			 0, 0);
	fwx_check_invariants();

	/* An unaligned reserved entry in RAM is reserved rounded outward. */
	fwx_reset();
	CHECK_EQ(SCAN(E(MiB, 3 * MiB, RAM), E(2 * MiB + 100, 200, RSV)), 0);
	CHECK_MEMORY({ MiB, MiB, NONE_F }, { 2 * MiB + 4 * KiB,
					     2 * MiB - 4 * KiB, NONE_F });
	CHECK_RESERVED({ 2 * MiB, 4 * KiB, NONE_F });
	CHECK_DIAGS([FWD_TYPE_OVERLAP] = 1, [FWD_UNALIGNED] = 3);
	fwx_check_invariants();
}

/*
 * Empty and wrapping entries: size 0 dropped (fw004); an entry passing
 * 2^64 clamped to the top (fw005), one starting at the last byte dropped.
 *
 *   [RAM 1M, size 0)   [RAM 2^64-1M --------- 2^64+1M)  [RAM 2^64-1, +2)
 *   memory:            [2^64-1M -- 2^64-4K)
 */
static void test_empty_and_wrapping(void)
{
	const phys_addr_t top = PHYS_ADDR_MAX - MiB + 1;

	fwx_reset();
	CHECK_EQ(SCAN(E(MiB, 0, RAM), E(top, 2 * MiB, RAM),
		      E(PHYS_ADDR_MAX, 2, RAM)), 0);
	CHECK_MEMORY({ top, MiB - 4 * KiB, NONE_F });
	CHECK_DIAGS([FWD_EMPTY_RANGE] = 1, [FWD_WRAPS] = 2,
		    [FWD_UNALIGNED] = 1);
	fwx_check_record(fwx_record(FW_FMT_E820, 0, 0), FW_TO_NONE, FW_DROPPED,
			 0, 0);
	fwx_check_record(fwx_record(FW_FMT_E820, 1, 0), FW_TO_MEMORY,
			 FW_CLIPPED, top, MiB - 4 * KiB);
	fwx_check_record(fwx_record(FW_FMT_E820, 2, 0), FW_TO_NONE, FW_DROPPED,
			 0, 0);
	fwx_check_invariants();

	/* Ending exactly at 2^64 is not wrapping: no fw005. */
	fwx_reset();
	CHECK_EQ(SCAN(E(top, MiB, RAM)), 0);
	CHECK_MEMORY({ top, MiB - 4 * KiB, NONE_F });
	CHECK_DIAGS([FWD_UNALIGNED] = 1);
}

/*
 * A table longer than boot_params' 128 entries (SETUP_E820_EXT gives
 * more): 200 entries, RAM and ACPI alternating, all used.
 *
 *   [RAM][ACPI][RAM][ACPI] ... 200 x 64K from 16M
 *   memory: [16M ------------------------ 16M+200*64K)
 *   rsvd:        [ACPI] x 100
 */
static void test_long_table(void)
{
	static struct pvh_entry t[200];
	static uint8_t buf[20 * 200];

	for (uint32_t i = 0; i < 200; i++) {
		t[i] = (struct pvh_entry){ 16 * MiB + i * 64 * KiB, 64 * KiB,
					   i % 2 ? ACPI : RAM, 0 };
	}
	pack_bp(buf, t, 200);
	fwx_reset();
	CHECK_EQ(e820_scan(buf, 200, BOOT_E820_BOOT_PARAMS), 0);
	CHECK_EQ(memblock.memory.cnt, 1);
	CHECK_EQ(memblock.memory.total_size, 200 * 64 * KiB);
	CHECK_EQ(memblock.reserved.cnt, 100);
	CHECK_EQ(memblock.reserved.total_size, 100 * 64 * KiB);
	CHECK_EQ(fw_log.cnt, 200);
	CHECK_DIAGS(0);
	fwx_check_invariants();
}

/*
 * More entries than E820_MAX_ENTRIES: the first 1024 are used, the rest
 * ignored with fw009. The first 1024 are pages in reverse order.
 *
 *   entries 0..1023: page 1023 ... page 0 from 1M   entries 1024..: more
 *   memory: [1M ---- 1M + 1024 pages)
 */
static void test_table_overflow(void)
{
	static struct pvh_entry t[1100];

	for (uint32_t i = 0; i < 1100; i++) {
		uint32_t page = i < 1024 ? 1023 - i : i;

		t[i] = (struct pvh_entry){ MiB + page * 4 * KiB, 4 * KiB, RAM,
					   0 };
	}
	fwx_reset();
	CHECK_EQ(e820_scan(t, 1100, BOOT_E820_PVH), 0);
	CHECK_MEMORY({ MiB, 1024 * 4 * KiB, NONE_F });
	CHECK_DIAGS([FWD_TABLE_OVERFLOW] = 1);
	CHECK_EQ(fw_log.cnt, 1024);
	CHECK_EQ(fw_log.lost, 0);
	fwx_check_invariants();
}

/*
 * More disjoint RAM ranges than memblock's static array holds: -ENOMEM,
 * the ranges that did not fit are recorded as dropped, memblock stays
 * consistent.
 *
 *   [RAM][gap][RAM][gap] ... 200 times
 */
static void test_memblock_full(void)
{
	static struct e820_entry map[200];
	uint32_t dropped = 0;

	for (uint32_t i = 0; i < 200; i++) {
		map[i] = (struct e820_entry){ 16 * MiB + i * 2 * MiB, MiB, RAM,
					      i };
	}
	fwx_reset();
	CHECK_EQ(e820_scan_entries(map, 200), -ENOMEM);
	CHECK_EQ(memblock.memory.cnt, INIT_MEMBLOCK_REGIONS);
	for (uint32_t i = 0; i < fw_log.cnt; i++) {
		dropped += fw_log.rec[i].fate == FW_DROPPED;
	}
	CHECK_EQ(dropped, 200 - INIT_MEMBLOCK_REGIONS);
	fwx_check_invariants();
}

/* Tables refused whole: no table, no entries, an unknown layout (fw001). */
static void test_bad_tables(void)
{
	struct e820_entry one = E(MiB, MiB, RAM);

	fwx_reset();
	CHECK_EQ(e820_scan(NULL, 4, BOOT_E820_PVH), -EINVAL);
	CHECK_EQ(e820_scan(pc_512m, 0, BOOT_E820_PVH), -EINVAL);
	CHECK_EQ(e820_scan(pc_512m, 7, BOOT_E820_NONE), -EINVAL);
	CHECK_EQ(e820_scan(pc_512m, 7, (enum boot_e820_format)7), -EINVAL);
	CHECK_EQ(e820_scan_entries(NULL, 1), -EINVAL);
	CHECK_EQ(e820_scan_entries(&one, 0), -EINVAL);
	CHECK_DIAGS([FWD_BAD_TABLE] = 6);
	CHECK_EQ(memblock.memory.cnt, 0);
	CHECK_EQ(fw_log.cnt, 0);
}

int main(void)
{
	TEST(test_qemu_pc_512m);
	TEST(test_qemu_q35_512m);
	TEST(test_qemu_q35_4g);
	TEST(test_qemu_pc_4g);
	TEST(test_qemu_q35_16g);
	TEST(test_qemu_pc_16g);
	TEST(test_boot_params_layout);
	TEST(test_unsorted);
	TEST(test_reserved_inside_ram);
	TEST(test_precedence);
	TEST(test_sanitize);
	TEST(test_same_type_overlap);
	TEST(test_types);
	TEST(test_unknown_and_pmem_in_ram);
	TEST(test_low_memory_rules);
	TEST(test_unaligned);
	TEST(test_empty_and_wrapping);
	TEST(test_long_table);
	TEST(test_table_overflow);
	TEST(test_memblock_full);
	TEST(test_bad_tables);
	return tap_done();
}
