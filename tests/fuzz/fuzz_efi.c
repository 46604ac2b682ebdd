// SPDX-License-Identifier: BSD-2-Clause
/*
 * libFuzzer target for drivers/firmware/efi_memmap.c. The first two input
 * bytes choose the geometry:
 *
 *   byte 0, bits 0-2: desc_size = 40 + 8 * n
 *   byte 0, bit 3:    desc_size = byte 1 instead (often refused)
 *   byte 0, bit 4:    desc_version = byte 1 instead of 1
 *   byte 0, bit 5:    compact descriptors instead of a raw map: 8 bytes
 *		       each, small page-granular addresses, a type and an
 *		       attribute set from short lists, so that overlaps and
 *		       every class are hit often
 *   byte 0, bit 6:    map_size not a multiple of desc_size (raw only)
 *
 * The rest is the map. memblock and the provenance log are reset for
 * every input. After each input: fw_fuzz.h's invariants (memblock sorted,
 * disjoint, merged; records consistent with their input and memblock;
 * the memory the records add is exactly memblock.memory), then the UEFI
 * rules: no memory where MMIO, unusable or unaccepted memory was
 * described, memory in cacheable firmware ranges NOMAP, ACPI memory
 * reserved.
 *
 * Built with -Dfuzz=true; seeds in tests/fuzz/corpus/fuzz_efi/.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairn/efi.h>
#include <cairn/errno.h>
#include <cairn/fwmap.h>
#include <cairn/memblock.h>

#include "fw_fuzz.h"

#define MAX_DESC	(EFI_MEMMAP_MAX_DESCS + 16)

static uint8_t map[MAX_DESC * 96];

static const uint32_t compact_types[] = {
	EFI_CONVENTIONAL_MEMORY, EFI_CONVENTIONAL_MEMORY, EFI_LOADER_CODE,
	EFI_LOADER_DATA, EFI_BOOT_SERVICES_CODE, EFI_BOOT_SERVICES_DATA,
	EFI_RUNTIME_SERVICES_CODE, EFI_RUNTIME_SERVICES_DATA,
	EFI_RESERVED_MEMORY, EFI_UNUSABLE_MEMORY, EFI_ACPI_RECLAIM_MEMORY,
	EFI_ACPI_MEMORY_NVS, EFI_MEMORY_MAPPED_IO,
	EFI_MEMORY_MAPPED_IO_PORT_SPACE, EFI_PAL_CODE, EFI_PERSISTENT_MEMORY,
	EFI_UNACCEPTED_MEMORY, 0x70000000, 16, EFI_CONVENTIONAL_MEMORY,
};

static const uint64_t compact_attrs[] = {
	EFI_MEMORY_WB,
	EFI_MEMORY_UC | EFI_MEMORY_WC | EFI_MEMORY_WT | EFI_MEMORY_WB,
	EFI_MEMORY_UC,
	EFI_MEMORY_WC,
	0,
	EFI_MEMORY_WB | EFI_MEMORY_SP,
	EFI_MEMORY_WB | EFI_MEMORY_MORE_RELIABLE,
	EFI_MEMORY_RUNTIME | EFI_MEMORY_WB,
};

static uint32_t cur_desc_size;

/*
 * Whether a kept record put memory in: memory and NOMAP targets always,
 * reservations only for cacheable ACPI reclaimable memory (the others
 * reserve what is not memory, or less than a page).
 */
static bool adds_memory(const struct fw_record *r)
{
	struct efi_memory_desc d;

	if (r->target == FW_TO_MEMORY || r->target == FW_TO_NOMAP) {
		return true;
	}
	if (r->target != FW_TO_RESERVED ||
	    r->type != EFI_ACPI_RECLAIM_MEMORY) {
		return false;
	}
	memcpy(&d, map + (size_t)r->index * cur_desc_size, sizeof(d));
	return (d.attribute & EFI_MEMORY_WB) != 0;
}

static bool is_firmware(uint32_t type)
{
	return type == EFI_RUNTIME_SERVICES_CODE ||
	       type == EFI_RUNTIME_SERVICES_DATA ||
	       type == EFI_RESERVED_MEMORY || type == EFI_ACPI_MEMORY_NVS ||
	       type == EFI_PAL_CODE || type >= EFI_MAX_MEMORY_TYPE;
}

static void check_rules(uint32_t n, uint32_t desc_size)
{
	for (uint32_t i = 0; i < n && i < EFI_MEMMAP_MAX_DESCS; i++) {
		struct efi_memory_desc d;
		phys_addr_t b, e;

		memcpy(&d, map + (size_t)i * desc_size, sizeof(d));
		if (d.num_pages == 0 || d.phys_addr == PHYS_ADDR_MAX) {
			continue;
		}
		b = d.phys_addr;
		e = d.num_pages > (PHYS_ADDR_MAX >> EFI_PAGE_SHIFT) ?
			    PHYS_ADDR_MAX :
			    fwf_end(b, d.num_pages << EFI_PAGE_SHIFT);
		if ((d.type == EFI_MEMORY_MAPPED_IO ||
		     d.type == EFI_MEMORY_MAPPED_IO_PORT_SPACE ||
		     d.type == EFI_UNUSABLE_MEMORY ||
		     d.type == EFI_UNACCEPTED_MEMORY) &&
		    fwf_overlaps(&memblock.memory, b, e)) {
			fwf_fail("memory over efi[%u] of type %u", i, d.type);
		}
		if (is_firmware(d.type) && (d.attribute & EFI_MEMORY_WB) &&
		    !fwf_memory_flagged(b, e, MEMBLOCK_NOMAP)) {
			fwf_fail("firmware memory of efi[%u] not NOMAP", i);
		}
		if (d.type == EFI_ACPI_RECLAIM_MEMORY &&
		    !fwf_memory_protected(b, e, MEMBLOCK_NOMAP |
						MEMBLOCK_DRIVER_MANAGED)) {
			fwf_fail("ACPI memory of efi[%u] not reserved", i);
		}
	}
}

/* Compact descriptors from 8 bytes each, laid out 48 bytes apart. */
static uint32_t compact(const uint8_t *p, size_t size)
{
	uint32_t n = 0;

	memset(map, 0x5a, sizeof(map));
	for (; size >= 8 && n < MAX_DESC; p += 8, size -= 8, n++) {
		uint16_t a, pages;
		struct efi_memory_desc d;

		memcpy(&a, p, 2);
		memcpy(&pages, p + 2, 2);
		d = (struct efi_memory_desc){
			.type = compact_types[p[4] % ARRAY_SIZE(compact_types)],
			.phys_addr = (phys_addr_t)a << EFI_PAGE_SHIFT,
			.num_pages = pages % 4096,
			.attribute = compact_attrs[p[5] & 7],
		};
		if (p[6] & 1) {
			d.phys_addr += p[7];	/* not page-aligned */
		}
		if (p[6] & 2) {
			d.phys_addr = PHYS_ADDR_MAX - d.phys_addr;
		}
		if (p[6] & 4) {
			d.num_pages = UINT64_MAX - pages;
		}
		memcpy(map + (size_t)n * 48, &d, sizeof(d));
	}
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint32_t desc_size, version = EFI_MEMORY_DESCRIPTOR_VERSION, n;
	uint64_t map_size;
	uint8_t mode;
	int ret;

	if (size < 2) {
		return 0;
	}
	mode = data[0];
	desc_size = 40 + 8 * (mode & 7);
	if (mode & 8) {
		desc_size = data[1];
	}
	if (mode & 16) {
		version = data[1];
	}
	data += 2;
	size -= 2;
	memblock_reset();
	fw_reset();
	if (mode & 32) {
		n = compact(data, size);
		desc_size = 48;
		map_size = (uint64_t)n * 48;
		ret = efi_memmap_scan(map, map_size, desc_size, version);
	} else {
		size = size < sizeof(map) ? size : sizeof(map);
		memcpy(map, data, size);
		map_size = size;
		if (!(mode & 64) && desc_size != 0) {
			map_size -= size % desc_size;
		}
		ret = efi_memmap_scan(map, map_size, desc_size, version);
		n = desc_size ? (uint32_t)(map_size / desc_size) : 0;
	}
	if (version != EFI_MEMORY_DESCRIPTOR_VERSION || desc_size < 40 ||
	    desc_size % 8 != 0 || n == 0) {
		if (ret != -EINVAL || memblock.memory.cnt != 0 ||
		    fw_log.cnt != 0) {
			fwf_fail("bad map accepted (ret %d)", ret);
		}
		return 0;
	}
	if (ret != 0 && ret != -ENOMEM) {
		fwf_fail("efi_memmap_scan returned %d", ret);
	}
	cur_desc_size = desc_size;
	fwf_check_records(adds_memory, ret == 0);
	if (ret == 0) {
		check_rules(n, desc_size);
	}
	return 0;
}
