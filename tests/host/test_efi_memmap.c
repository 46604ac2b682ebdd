// SPDX-License-Identifier: BSD-2-Clause
/*
 * drivers/firmware/efi_memmap.c: the walk by descriptor size, every check
 * on the map and its descriptors, the type and attribute conversion,
 * overlaps, and maps shaped like those OVMF (x86_64), U-Boot (riscv64,
 * under OpenSBI) and EDK2 (arm64 virt) hand over. Each case checks
 * memblock exactly, the provenance records and the diagnostic counts.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cairn/efi.h>
#include <cairn/errno.h>
#include <cairn/fwmap.h>
#include <cairn/memblock.h>

#include "fw_expect.h"
#include "tap.h"

#define KiB		UINT64_C(0x400)
#define MiB		UINT64_C(0x100000)
#define GiB		UINT64_C(0x40000000)

/* The attributes EDK2 gives RAM, and runtime ranges. */
#define RAM_ATTR	(EFI_MEMORY_UC | EFI_MEMORY_WC | EFI_MEMORY_WT | \
			 EFI_MEMORY_WB)
#define RT		EFI_MEMORY_RUNTIME

/* A descriptor by its range [start, end), as firmware dumps print them. */
struct desc {
	uint32_t type;
	uint64_t start;
	uint64_t end;
	uint64_t attr;
};

#define D(t, s, e, a)	{ EFI_##t, (s), (e), (a) }

/* Room for the largest map a case builds (1100 descriptors of 48). */
static uint8_t mapbuf[1100 * 48 + 64];

/*
 * Lay @n descriptors out as firmware does, @desc_size apart, at @off
 * bytes into the buffer; the bytes past each struct are filled with
 * garbage, which must never be read. Return: the map.
 */
static void *build(const struct desc *d, uint32_t n, uint32_t desc_size,
		   size_t off)
{
	uint8_t *p = mapbuf + off;

	memset(mapbuf, 0xa5, sizeof(mapbuf));
	for (uint32_t i = 0; i < n; i++) {
		struct efi_memory_desc e = {
			.type = d[i].type,
			.phys_addr = d[i].start,
			.virt_addr = 0,
			.num_pages = (d[i].end - d[i].start) >> EFI_PAGE_SHIFT,
			.attribute = d[i].attr,
		};

		memcpy(p + (size_t)i * desc_size, &e, sizeof(e));
	}
	return p;
}

static int scan(const struct desc *d, uint32_t n, uint32_t desc_size)
{
	void *map = build(d, n, desc_size, 0);

	return efi_memmap_scan(map, (uint64_t)n * desc_size, desc_size,
			       EFI_MEMORY_DESCRIPTOR_VERSION);
}

#define SCAN(...)							\
	({								\
		static const struct desc d_[] = { __VA_ARGS__ };	\
		scan(d_, (uint32_t)ARRAY_SIZE(d_), 48);			\
	})

/*
 * Shaped like OVMF on QEMU q35 -m 512M (edk2-stable202211), which reports
 * 48-byte descriptors: boot services memory in several places, ACPI NVS
 * early and at the top, runtime services code and data, MMCONFIG as
 * uncached Reserved and the flash as runtime MMIO.
 */
static const struct desc ovmf_q35_512m[] = {
	D(BOOT_SERVICES_DATA, 0x0, 0x1000, RAM_ATTR),
	D(CONVENTIONAL_MEMORY, 0x1000, 0xa0000, RAM_ATTR),
	D(CONVENTIONAL_MEMORY, 0x100000, 0x800000, RAM_ATTR),
	D(ACPI_MEMORY_NVS, 0x800000, 0x808000, RAM_ATTR),
	D(CONVENTIONAL_MEMORY, 0x808000, 0x80b000, RAM_ATTR),
	D(ACPI_MEMORY_NVS, 0x80b000, 0x80c000, RAM_ATTR),
	D(CONVENTIONAL_MEMORY, 0x80c000, 0x810000, RAM_ATTR),
	D(ACPI_MEMORY_NVS, 0x810000, 0x900000, RAM_ATTR),
	D(BOOT_SERVICES_DATA, 0x900000, 0x1300000, RAM_ATTR),
	D(CONVENTIONAL_MEMORY, 0x1300000, 0x1e000000, RAM_ATTR),
	D(LOADER_CODE, 0x1e000000, 0x1e100000, RAM_ATTR),
	D(BOOT_SERVICES_CODE, 0x1e100000, 0x1f800000, RAM_ATTR),
	D(RUNTIME_SERVICES_DATA, 0x1f800000, 0x1f900000, RT | RAM_ATTR),
	D(RUNTIME_SERVICES_CODE, 0x1f900000, 0x1fa00000, RT | RAM_ATTR),
	D(RESERVED_MEMORY, 0x1fa00000, 0x1fa80000, RAM_ATTR),
	D(ACPI_RECLAIM_MEMORY, 0x1fa80000, 0x1fa90000, RAM_ATTR),
	D(ACPI_MEMORY_NVS, 0x1fa90000, 0x1fb00000, RAM_ATTR),
	D(BOOT_SERVICES_DATA, 0x1fb00000, 0x1ff00000, RAM_ATTR),
	D(RUNTIME_SERVICES_DATA, 0x1ff00000, 0x1ff78000, RT | RAM_ATTR),
	D(ACPI_MEMORY_NVS, 0x1ff78000, 0x20000000, RAM_ATTR),
	D(RESERVED_MEMORY, 0xb0000000, 0xc0000000, EFI_MEMORY_UC),
	D(MEMORY_MAPPED_IO, 0xffc00000, 0x100000000, RT | EFI_MEMORY_UC),
	D(RESERVED_MEMORY, 0xfd00000000, 0x10000000000, EFI_MEMORY_UC),
};

/*
 * The OVMF map: boot services and loader memory is memory, runtime
 * services, Reserved and NVS are NOMAP memory and reserved, ACPI
 * reclaimable memory is memory and reserved, the uncached Reserved ranges
 * and the flash are not memory. No diagnostic.
 *
 *   0     0xa0000  1M      8M  [NVS][C][NVS][C][NVS]  9M ...
 *   [BS][Conv]     [Conv----)                        [BS|Conv|LC|BC ...
 *   ... 0x1f800000 [RTD][RTC][Rsv][ACPI][NVS][BS][RTD][NVS] 0x20000000
 *   memory: NONE except NOMAP over NVS/RT/Rsv; rsvd: NVS/RT/Rsv/ACPI
 */
static void test_ovmf_q35(void)
{
	uint32_t n = ARRAY_SIZE(ovmf_q35_512m);

	fwx_reset();
	CHECK_EQ(scan(ovmf_q35_512m, n, 48), 0);
	CHECK_MEMORY({ 0, 0xa0000, NONE_F },
		     { 0x100000, 0x700000, NONE_F },
		     { 0x800000, 0x8000, NOMAP_F },
		     { 0x808000, 0x3000, NONE_F },
		     { 0x80b000, 0x1000, NOMAP_F },
		     { 0x80c000, 0x4000, NONE_F },
		     { 0x810000, 0xf0000, NOMAP_F },
		     { 0x900000, 0x1f800000 - 0x900000, NONE_F },
		     { 0x1f800000, 0x280000, NOMAP_F },
		     { 0x1fa80000, 0x10000, NONE_F },
		     { 0x1fa90000, 0x70000, NOMAP_F },
		     { 0x1fb00000, 0x400000, NONE_F },
		     { 0x1ff00000, 0x100000, NOMAP_F });
	CHECK_RESERVED({ 0x800000, 0x8000, NONE_F },
		       { 0x80b000, 0x1000, NONE_F },
		       { 0x810000, 0xf0000, NONE_F },
		       { 0x1f800000, 0x300000, NONE_F },
		       { 0x1ff00000, 0x100000, NONE_F });
	CHECK_DIAGS(0);
	CHECK_EQ(fw_log.cnt, n);
	fwx_check_record(fwx_record(FW_FMT_EFI, 12, 0), FW_TO_NOMAP, FW_KEPT,
			 0x1f800000, 0x100000);
	CHECK_EQ(fwx_record(FW_FMT_EFI, 12, 0)->flags, NOMAP_F);
	CHECK_EQ(fwx_record(FW_FMT_EFI, 12, 0)->type,
		 EFI_RUNTIME_SERVICES_DATA);
	fwx_check_record(fwx_record(FW_FMT_EFI, 15, 0), FW_TO_RESERVED,
			 FW_KEPT, 0x1fa80000, 0x10000);
	fwx_check_record(fwx_record(FW_FMT_EFI, 20, 0), FW_TO_NONE,
			 FW_DROPPED, 0, 0);
	fwx_check_record(fwx_record(FW_FMT_EFI, 21, 0), FW_TO_NONE,
			 FW_DROPPED, 0, 0);
	fwx_check_invariants();

	/* The same map with the 40-byte descriptors of the spec. */
	fwx_reset();
	CHECK_EQ(scan(ovmf_q35_512m, n, 40), 0);
	CHECK_EQ(memblock.memory.cnt, 13);
	CHECK_EQ(memblock.reserved.cnt, 5);
	CHECK_DIAGS(0);
}

/*
 * Shaped like U-Boot 2023.01 (qemu-riscv64_smode) under OpenSBI 1.1 on
 * QEMU virt -m 512M, 40-byte descriptors (bdinfo: DRAM 0x80000000 +512M,
 * U-Boot relocated to 0x9ff57000, OpenSBI's mmode_resv0 0x80000000
 * +512K without no-map). U-Boot reports OpenSBI's range as
 * BootServicesData: after ExitBootServices() the map alone calls it free.
 */
static const struct desc uboot_riscv64_512m[] = {
	D(BOOT_SERVICES_DATA, 0x80000000, 0x80080000, EFI_MEMORY_WB),
	D(CONVENTIONAL_MEMORY, 0x80080000, 0x80200000, EFI_MEMORY_WB),
	D(LOADER_DATA, 0x80200000, 0x80400000, EFI_MEMORY_WB),
	D(CONVENTIONAL_MEMORY, 0x80400000, 0x9e731000, EFI_MEMORY_WB),
	D(BOOT_SERVICES_DATA, 0x9e731000, 0x9f735000, EFI_MEMORY_WB),
	D(RUNTIME_SERVICES_DATA, 0x9f735000, 0x9f736000, RT | EFI_MEMORY_WB),
	D(BOOT_SERVICES_DATA, 0x9f736000, 0x9ff57000, EFI_MEMORY_WB),
	D(RUNTIME_SERVICES_CODE, 0x9ff57000, 0x9ff58000, RT | EFI_MEMORY_WB),
	D(BOOT_SERVICES_CODE, 0x9ff58000, 0xa0000000, EFI_MEMORY_WB),
};

/*
 * The U-Boot map: OpenSBI's 512K is general memory as far as this map
 * goes (the trap of REFERENCES.md); the DT's reservation, which
 * fdt_scan_reservations() applies next, makes it reserved and NOMAP.
 *
 *   0x80000000 [BSD OpenSBI][Conv][LD][Conv ...][BSD][RTD][BSD][RTC][BSC]
 *   memory:    [NONE ------------------------ )[NM)[ NONE )[NM)[NONE)
 *   after DT:  [NOMAP 512K)[NONE ...
 */
static void test_uboot_riscv64(void)
{
	fwx_reset();
	CHECK_EQ(scan(uboot_riscv64_512m, ARRAY_SIZE(uboot_riscv64_512m), 40),
		 0);
	CHECK_MEMORY({ 0x80000000, 0x1f735000, NONE_F },
		     { 0x9f735000, 0x1000, NOMAP_F },
		     { 0x9f736000, 0x821000, NONE_F },
		     { 0x9ff57000, 0x1000, NOMAP_F },
		     { 0x9ff58000, 0xa8000, NONE_F });
	CHECK_RESERVED({ 0x9f735000, 0x1000, NONE_F },
		       { 0x9ff57000, 0x1000, NONE_F });
	CHECK_DIAGS(0);
	/* The map alone hands OpenSBI's memory out. */
	CHECK(!memblock_is_region_reserved(0x80000000, 0x80000));
	fwx_check_record(fwx_record(FW_FMT_EFI, 0, 0), FW_TO_MEMORY, FW_KEPT,
			 0x80000000, 0x80000);

	/* What the DT's mmode_resv0 adds (see test_fdt_memory). */
	CHECK_EQ(memblock_reserve(0x80000000, 0x80000), 0);
	CHECK_EQ(memblock_mark_nomap(0x80000000, 0x80000), 0);
	CHECK_MEMORY({ 0x80000000, 0x80000, NOMAP_F },
		     { 0x80080000, 0x1f6b5000, NONE_F },
		     { 0x9f735000, 0x1000, NOMAP_F },
		     { 0x9f736000, 0x821000, NONE_F },
		     { 0x9ff57000, 0x1000, NOMAP_F },
		     { 0x9ff58000, 0xa8000, NONE_F });
	fwx_check_invariants();
}

/*
 * Shaped like EDK2 (QEMU_EFI.fd) on QEMU arm64 virt -m 512M: the second
 * flash bank (variable store) is runtime MMIO with only WC, the PL031 RTC
 * runtime MMIO; neither is memory, and no diagnostic is due.
 *
 *   0x4000000 [MMIO WC flash 64M)  0x9010000 [RTC)  0x40000000 [RAM ... 512M)
 *   memory:                                         [NONE|NM|NONE ...)
 */
static const struct desc edk2_arm64_512m[] = {
	D(MEMORY_MAPPED_IO, 0x4000000, 0x8000000, RT | EFI_MEMORY_WC),
	D(MEMORY_MAPPED_IO, 0x9010000, 0x9011000, RT | EFI_MEMORY_UC),
	D(CONVENTIONAL_MEMORY, 0x40000000, 0x5b000000, RAM_ATTR),
	D(LOADER_DATA, 0x5b000000, 0x5b400000, RAM_ATTR),
	D(BOOT_SERVICES_DATA, 0x5b400000, 0x5e000000, RAM_ATTR),
	D(ACPI_RECLAIM_MEMORY, 0x5e000000, 0x5e010000, RAM_ATTR),
	D(RUNTIME_SERVICES_DATA, 0x5e010000, 0x5e200000, RT | RAM_ATTR),
	D(RUNTIME_SERVICES_CODE, 0x5e200000, 0x5e400000, RT | RAM_ATTR),
	D(RESERVED_MEMORY, 0x5e400000, 0x5e410000, RAM_ATTR),
	D(BOOT_SERVICES_CODE, 0x5e410000, 0x60000000, RAM_ATTR),
};

static void test_edk2_arm64(void)
{
	fwx_reset();
	CHECK_EQ(scan(edk2_arm64_512m, ARRAY_SIZE(edk2_arm64_512m), 48), 0);
	CHECK_MEMORY({ 0x40000000, 0x1e010000, NONE_F },
		     { 0x5e010000, 0x400000, NOMAP_F },
		     { 0x5e410000, 0x1bf0000, NONE_F });
	CHECK_RESERVED({ 0x5e000000, 0x410000, NONE_F });
	CHECK_DIAGS(0);
	CHECK(!memblock_is_memory(0x4000000));
	fwx_check_record(fwx_record(FW_FMT_EFI, 0, 0), FW_TO_NONE, FW_DROPPED,
			 0, 0);
	fwx_check_invariants();
}

/*
 * Usable types without EFI_MEMORY_WB are not general memory: with other
 * memory attributes NOMAP and reserved, with none left out (fw003 each).
 *
 *   [Conv UC 1M-2M)[Conv WB 2M-3M)[BSData no attr 3M-4M)
 *   memory: [1M-2M NOMAP)[2M-3M)
 */
static void test_not_write_back(void)
{
	fwx_reset();
	CHECK_EQ(SCAN(D(CONVENTIONAL_MEMORY, MiB, 2 * MiB, EFI_MEMORY_UC),
		      D(CONVENTIONAL_MEMORY, 2 * MiB, 3 * MiB, EFI_MEMORY_WB),
		      D(BOOT_SERVICES_DATA, 3 * MiB, 4 * MiB, 0)), 0);
	CHECK_MEMORY({ MiB, MiB, NOMAP_F }, { 2 * MiB, MiB, NONE_F });
	CHECK_RESERVED({ MiB, MiB, NONE_F });
	CHECK_DIAGS([FWD_BAD_PROPERTY] = 2);
	fwx_check_record(fwx_record(FW_FMT_EFI, 0, 0), FW_TO_NOMAP, FW_KEPT,
			 MiB, MiB);
	fwx_check_record(fwx_record(FW_FMT_EFI, 2, 0), FW_TO_NONE, FW_DROPPED,
			 0, 0);
	fwx_check_invariants();

	/* Runtime services without WB: not memory, nothing to say. */
	fwx_reset();
	CHECK_EQ(SCAN(D(RUNTIME_SERVICES_DATA, MiB, 2 * MiB,
			RT | EFI_MEMORY_UC)), 0);
	CHECK_EQ(memblock.memory.cnt, 0);
	CHECK_EQ(memblock.reserved.cnt, 0);
	CHECK_DIAGS(0);
}

/*
 * Persistent memory and EFI_MEMORY_SP are driver-managed memory;
 * EFI_MEMORY_MORE_RELIABLE is mirrored memory.
 *
 *   [Conv MR 1M-2M)[Conv 2M-3M)[Conv SP 3M-4M)  [Persistent 4G-5G)
 *   memory: [1M-2M MIRROR)[2M-3M)[3M-4M DM)      [4G-5G DM)
 */
static void test_attributes(void)
{
	fwx_reset();
	CHECK_EQ(SCAN(D(CONVENTIONAL_MEMORY, MiB, 2 * MiB,
			RAM_ATTR | EFI_MEMORY_MORE_RELIABLE),
		      D(CONVENTIONAL_MEMORY, 2 * MiB, 3 * MiB, RAM_ATTR),
		      D(CONVENTIONAL_MEMORY, 3 * MiB, 4 * MiB,
			RAM_ATTR | EFI_MEMORY_SP),
		      D(PERSISTENT_MEMORY, 4 * GiB, 5 * GiB,
			RAM_ATTR | EFI_MEMORY_NV)), 0);
	CHECK_MEMORY({ MiB, MiB, MIRR_F }, { 2 * MiB, MiB, NONE_F },
		     { 3 * MiB, MiB, DM_F }, { 4 * GiB, GiB, DM_F });
	CHECK_EQ(memblock.reserved.cnt, 0);
	CHECK_DIAGS(0);
	CHECK_EQ(fwx_record(FW_FMT_EFI, 0, 0)->flags, MIRR_F);
	CHECK_EQ(fwx_record(FW_FMT_EFI, 3, 0)->flags, DM_F);
	fwx_check_invariants();
}

/*
 * Overlapping descriptors: the more restrictive one wins (fw008 for each
 * loser); MMIO over memory is reserved, runtime over memory NOMAP.
 *
 *   [Conv 1M ------------------------------------------- 16M)
 *          [RTData 4M-5M)        [MMIO 8M-9M)
 *                                    [Unusable 8.5M-10M)
 *   memory: [1M-4M)[4M-5M NM)[5M-8M)              [10M-16M)
 *   rsvd:          [4M-5M)   [8M -------- 10M)
 */
static void test_overlaps(void)
{
	fwx_reset();
	CHECK_EQ(SCAN(D(CONVENTIONAL_MEMORY, MiB, 16 * MiB, RAM_ATTR),
		      D(RUNTIME_SERVICES_DATA, 4 * MiB, 5 * MiB,
			RT | RAM_ATTR),
		      D(MEMORY_MAPPED_IO, 8 * MiB, 9 * MiB, EFI_MEMORY_UC),
		      D(UNUSABLE_MEMORY, 0x880000, 10 * MiB, RAM_ATTR)), 0);
	CHECK_MEMORY({ MiB, 3 * MiB, NONE_F }, { 4 * MiB, MiB, NOMAP_F },
		     { 5 * MiB, 3 * MiB, NONE_F },
		     { 10 * MiB, 6 * MiB, NONE_F });
	CHECK_RESERVED({ 4 * MiB, MiB, NONE_F }, { 8 * MiB, 2 * MiB, NONE_F });
	CHECK_DIAGS([FWD_TYPE_OVERLAP] = 2);
	/* Conventional: split in three; MMIO clipped by Unusable. */
	CHECK(fwx_record(FW_FMT_EFI, 0, 2) != NULL);
	fwx_check_record(fwx_record(FW_FMT_EFI, 2, 0), FW_TO_RESERVED,
			 FW_CLIPPED, 8 * MiB, 0x80000);
	fwx_check_invariants();

	/* Two identical descriptors: one range, the second dropped. */
	fwx_reset();
	CHECK_EQ(SCAN(D(CONVENTIONAL_MEMORY, MiB, 2 * MiB, RAM_ATTR),
		      D(CONVENTIONAL_MEMORY, MiB, 2 * MiB, RAM_ATTR)), 0);
	CHECK_MEMORY({ MiB, MiB, NONE_F });
	CHECK_DIAGS(0);
	fwx_check_record(fwx_record(FW_FMT_EFI, 1, 0), FW_TO_NONE, FW_DROPPED,
			 0, 0);
}

/*
 * Unaccepted memory is left out (fw014); unknown types are taken as
 * Reserved (fw012): NOMAP memory when cacheable, else nothing.
 *
 *   [Unaccepted 1M-2M)[type 0x70000000 WB 2M-3M)[type 99 UC 3M-4M)
 *   memory:           [2M-3M NOMAP)
 */
static void test_unaccepted_and_unknown(void)
{
	fwx_reset();
	CHECK_EQ(SCAN(D(UNACCEPTED_MEMORY, MiB, 2 * MiB, RAM_ATTR),
		      { 0x70000000, 2 * MiB, 3 * MiB, RAM_ATTR },
		      { 99, 3 * MiB, 4 * MiB, EFI_MEMORY_UC }), 0);
	CHECK_MEMORY({ 2 * MiB, MiB, NOMAP_F });
	CHECK_RESERVED({ 2 * MiB, MiB, NONE_F });
	CHECK_DIAGS([FWD_MEMORY_CAPPED] = 1, [FWD_UNKNOWN_TYPE] = 2);
	fwx_check_invariants();
}

/*
 * Bad descriptors: 0 pages (fw004), a page count whose byte size
 * overflows and one that passes 2^64 (fw005, clamped), an address not on
 * a 4 KiB edge (fw006, memory rounded inward).
 *
 *   [Conv 1M, 0 pages)  [Conv 2M+2K, 2 pages)  [Conv 2^64-1M, 2^60 pages)
 *   memory: [2M+4K-2M+8K)                     [2^64-1M -- 2^64-4K)
 */
static void test_bad_descriptors(void)
{
	static const struct efi_memory_desc d[] = {
		{ EFI_CONVENTIONAL_MEMORY, 0, MiB, 0, 0, RAM_ATTR },
		{ EFI_CONVENTIONAL_MEMORY, 0, 2 * MiB + 2 * KiB, 0, 2,
		  RAM_ATTR },
		{ EFI_CONVENTIONAL_MEMORY, 0, PHYS_ADDR_MAX - MiB + 1, 0,
		  UINT64_C(1) << 60, RAM_ATTR },
	};
	static const struct efi_memory_desc top = {
		EFI_CONVENTIONAL_MEMORY, 0, PHYS_ADDR_MAX - 4 * KiB + 1, 0, 2,
		RAM_ATTR
	};

	fwx_reset();
	CHECK_EQ(efi_memmap_scan(d, sizeof(d), sizeof(d[0]), 1), 0);
	CHECK_MEMORY({ 2 * MiB + 4 * KiB, 4 * KiB, NONE_F },
		     { PHYS_ADDR_MAX - MiB + 1, MiB - 4 * KiB, NONE_F });
	CHECK_DIAGS([FWD_EMPTY_RANGE] = 1, [FWD_WRAPS] = 1,
		    [FWD_UNALIGNED] = 1);
	fwx_check_record(fwx_record(FW_FMT_EFI, 0, 0), FW_TO_NONE, FW_DROPPED,
			 0, 0);
	fwx_check_record(fwx_record(FW_FMT_EFI, 1, 0), FW_TO_MEMORY,
			 FW_CLIPPED, 2 * MiB + 4 * KiB, 4 * KiB);
	fwx_check_invariants();

	/* Base + bytes passing 2^64: clamped, no whole page left. */
	fwx_reset();
	CHECK_EQ(efi_memmap_scan(&top, sizeof(top), sizeof(top), 1), 0);
	CHECK_EQ(memblock.memory.cnt, 0);
	CHECK_DIAGS([FWD_WRAPS] = 1);
	fwx_check_record(fwx_record(FW_FMT_EFI, 0, 0), FW_TO_NONE, FW_DROPPED,
			 0, 0);
}

/*
 * Maps refused whole (fw001): no map, a descriptor size below 40 or not
 * a multiple of 8, an unknown version, a map shorter than a descriptor.
 */
static void test_bad_maps(void)
{
	void *map = build(ovmf_q35_512m, 4, 48, 0);

	fwx_reset();
	CHECK_EQ(efi_memmap_scan(NULL, 192, 48, 1), -EINVAL);
	CHECK_EQ(efi_memmap_scan(map, 0, 48, 1), -EINVAL);
	CHECK_EQ(efi_memmap_scan(map, 192, 32, 1), -EINVAL);
	CHECK_EQ(efi_memmap_scan(map, 192, 44, 1), -EINVAL);
	CHECK_EQ(efi_memmap_scan(map, 192, 0, 1), -EINVAL);
	CHECK_EQ(efi_memmap_scan(map, 192, 48, 2), -EINVAL);
	CHECK_EQ(efi_memmap_scan(map, 192, 48, 0), -EINVAL);
	CHECK_EQ(efi_memmap_scan(map, 47, 48, 1), -EINVAL);
	CHECK_DIAGS([FWD_BAD_TABLE] = 8);
	CHECK_EQ(memblock.memory.cnt, 0);
	CHECK_EQ(fw_log.cnt, 0);
}

/*
 * A map size that is not a multiple of the descriptor size: the whole
 * descriptors are used (fw003). Descriptors far larger than the struct,
 * from an odd address, are walked by their size.
 *
 *   |d0 (48)|d1 (48)|d2 (48)|10 bytes|       |x|d0 (4096)|d1 (4096)|...
 */
static void test_map_geometry(void)
{
	void *map = build(ovmf_q35_512m, 3, 48, 0);

	fwx_reset();
	CHECK_EQ(efi_memmap_scan(map, 3 * 48 + 10, 48, 1), 0);
	CHECK_MEMORY({ 0, 0xa0000, NONE_F }, { MiB, 7 * MiB, NONE_F });
	CHECK_DIAGS([FWD_BAD_PROPERTY] = 1);
	CHECK_EQ(fw_log.cnt, 3);

	fwx_reset();
	map = build(ovmf_q35_512m, 3, 4096, 1);
	CHECK_EQ(efi_memmap_scan(map, 3 * 4096, 4096, 1), 0);
	CHECK_MEMORY({ 0, 0xa0000, NONE_F }, { MiB, 7 * MiB, NONE_F });
	CHECK_DIAGS(0);
	fwx_check_invariants();
}

/*
 * More descriptors than EFI_MEMMAP_MAX_DESCS: the first 1024 are used
 * (fw009), here pages in reverse order.
 *
 *   d0..d1023: page 1023 ... page 0 from 1M    d1024..: more
 *   memory: [1M ---- 1M + 1024 pages)
 */
static void test_map_overflow(void)
{
	static struct desc d[1100];

	for (uint32_t i = 0; i < 1100; i++) {
		uint64_t page = i < 1024 ? 1023 - i : i;
		uint64_t base = MiB + page * 4 * KiB;

		d[i] = (struct desc){ EFI_CONVENTIONAL_MEMORY, base,
				      base + 4 * KiB, RAM_ATTR };
	}
	fwx_reset();
	CHECK_EQ(scan(d, 1100, 48), 0);
	CHECK_MEMORY({ MiB, 4 * MiB, NONE_F });
	CHECK_DIAGS([FWD_TABLE_OVERFLOW] = 1);
	CHECK_EQ(fw_log.cnt, 1024);
	fwx_check_invariants();
}

int main(void)
{
	TEST(test_ovmf_q35);
	TEST(test_uboot_riscv64);
	TEST(test_edk2_arm64);
	TEST(test_not_write_back);
	TEST(test_attributes);
	TEST(test_overlaps);
	TEST(test_unaccepted_and_unknown);
	TEST(test_bad_descriptors);
	TEST(test_bad_maps);
	TEST(test_map_geometry);
	TEST(test_map_overflow);
	return tap_done();
}
