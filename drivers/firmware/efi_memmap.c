// SPDX-License-Identifier: BSD-2-Clause
/*
 * The UEFI memory map -> memblock (<cairn/efi.h>, docs/firmware.md "UEFI
 * memory map"). Data only: no firmware calls, no arch headers, so it also
 * builds on the host (tests/host/test_efi_memmap.c, tests/fuzz/fuzz_efi.c).
 * It runs after ExitBootServices(): boot services memory is free memory.
 *
 * The map is untrusted. It is walked by the descriptor size the firmware
 * reported [uefi 2.10 §7.2.3 GetMemoryMap()], never by sizeof; each
 * descriptor is checked (page count, overflow, alignment) and classed by
 * its type and attributes; overlapping descriptors are resolved in favour
 * of the more restrictive class. It must not merge in the device tree:
 * fdt_scan_reservations() and fdt_compare_memory() do that afterwards.
 */
#include <stdio.h>
#include <string.h>

#include <cairn/efi.h>
#include <cairn/errno.h>
#include <cairn/fwmap.h>
#include <cairn/init.h>
#include <cairn/memblock.h>

#include "fw_ranges.h"

_Static_assert(EFI_MEMMAP_MAX_DESCS <= FWR_MAX_ENTRIES,
	       "fw_ranges work arrays");

/*
 * Precedence, highest wins where descriptors overlap: the more
 * restrictive outcome. Unusable memory may fault; what is not memory at
 * all (MMIO, unaccepted, uncached firmware ranges) must not be mapped as
 * memory; firmware memory must not be handed out or mapped; driver-managed
 * memory must not be handed out; ACPI tables must stay until read;
 * general memory yields to all.
 */
enum efi_rank {
	RANK_MEMORY = 0,
	RANK_ACPI,
	RANK_DRIVER,
	RANK_FIRMWARE,
	RANK_NOT_MEMORY,
	RANK_UNUSABLE,
};

#define MEMORY_RANKS	((1u << RANK_MEMORY) | (1u << RANK_ACPI) |	\
			 (1u << RANK_DRIVER) | (1u << RANK_FIRMWARE))

/* Attributes that say the range can be accessed as memory at all. */
#define EFI_MEMORY_CACHE_ATTRS	(EFI_MEMORY_UC | EFI_MEMORY_WC |	\
				 EFI_MEMORY_WT | EFI_MEMORY_WB |	\
				 EFI_MEMORY_UCE)

static const char *const efi_type_names[EFI_MAX_MEMORY_TYPE] = {
	[EFI_RESERVED_MEMORY] = "Reserved",
	[EFI_LOADER_CODE] = "LoaderCode",
	[EFI_LOADER_DATA] = "LoaderData",
	[EFI_BOOT_SERVICES_CODE] = "BootServicesCode",
	[EFI_BOOT_SERVICES_DATA] = "BootServicesData",
	[EFI_RUNTIME_SERVICES_CODE] = "RuntimeServicesCode",
	[EFI_RUNTIME_SERVICES_DATA] = "RuntimeServicesData",
	[EFI_CONVENTIONAL_MEMORY] = "Conventional",
	[EFI_UNUSABLE_MEMORY] = "Unusable",
	[EFI_ACPI_RECLAIM_MEMORY] = "ACPIReclaim",
	[EFI_ACPI_MEMORY_NVS] = "ACPINVS",
	[EFI_MEMORY_MAPPED_IO] = "MMIO",
	[EFI_MEMORY_MAPPED_IO_PORT_SPACE] = "MMIOPortSpace",
	[EFI_PAL_CODE] = "PalCode",
	[EFI_PERSISTENT_MEMORY] = "Persistent",
	[EFI_UNACCEPTED_MEMORY] = "Unaccepted",
};

static const char *type_name(uint32_t type)
{
	return type < EFI_MAX_MEMORY_TYPE ? efi_type_names[type] : "unknown";
}

/* What one descriptor becomes, before overlaps are resolved. */
struct efi_class {
	enum fwr_class cls;
	enum efi_rank rank;
	uint32_t add_flags;	/* MEMBLOCK_DRIVER_MANAGED or NONE */
	bool mirror;		/* EFI_MEMORY_MORE_RELIABLE memory */
	const char *why;	/* record note when kept as described */
};

/*
 * Per fwr_entries[] slot: prepare_desc() writes slot n of each as it
 * adds fwr_entries[n], and only slots below the count it returns are
 * read. Boot-only, not zeroed (__initscratch, <cairn/init.h>), like
 * fw_ranges.c's arrays.
 */
static struct efi_class ent_class[EFI_MEMMAP_MAX_DESCS] __initscratch;
static uint32_t ent_index[EFI_MEMMAP_MAX_DESCS] __initscratch;
static struct fw_record *ent_rec[EFI_MEMMAP_MAX_DESCS] __initscratch;
static phys_addr_t ent_given[EFI_MEMMAP_MAX_DESCS] __initscratch; /* as given */

static void origin_of(char *buf, size_t len, uint32_t index)
{
	snprintf(buf, len, "efi[%u]", index);
}

/* Firmware-owned types: NOMAP memory if cacheable, else not memory. */
static struct efi_class firmware_class(uint64_t attr, const char *why)
{
	if (attr & EFI_MEMORY_WB) {
		return (struct efi_class){ FWR_FIRMWARE, RANK_FIRMWARE,
					   MEMBLOCK_NONE, false, why };
	}
	return (struct efi_class){ FWR_NOT_MEMORY, RANK_NOT_MEMORY,
				   MEMBLOCK_NONE, false,
				   "firmware range, not cacheable: "
				   "not memory" };
}

/*
 * The conversion table of docs/firmware.md. @origin names the descriptor
 * in the diagnostics an odd attribute set earns.
 */
static struct efi_class classify(const struct efi_memory_desc *d,
				 const char *origin, phys_addr_t base,
				 phys_addr_t size)
{
	uint64_t attr = d->attribute;

	switch (d->type) {
	case EFI_LOADER_CODE:
	case EFI_LOADER_DATA:
	case EFI_BOOT_SERVICES_CODE:
	case EFI_BOOT_SERVICES_DATA:
	case EFI_CONVENTIONAL_MEMORY:
	case EFI_ACPI_RECLAIM_MEMORY:
		if (!(attr & EFI_MEMORY_WB)) {
			/*
			 * Not cacheable, so not general memory: keep it
			 * described but out of the direct map and the
			 * allocator, or leave it out if no access works.
			 */
			bool any = attr & EFI_MEMORY_CACHE_ATTRS;

			fw_diag(FWD_BAD_PROPERTY, origin, base, size,
				"%s without EFI_MEMORY_WB (attributes 0x%llx): "
				"%s", type_name(d->type),
				(unsigned long long)attr,
				any ? "not general memory, made NOMAP" :
				      "no memory attribute, ignored");
			if (!any) {
				return (struct efi_class){
					FWR_NOT_MEMORY, RANK_NOT_MEMORY,
					MEMBLOCK_NONE, false,
					"no memory attribute: not memory" };
			}
			return (struct efi_class){
				FWR_FIRMWARE, RANK_FIRMWARE, MEMBLOCK_NONE,
				false, "not cacheable (no EFI_MEMORY_WB): "
				"reserved, NOMAP" };
		}
		if (d->type == EFI_ACPI_RECLAIM_MEMORY) {
			return (struct efi_class){
				FWR_ACPI, RANK_ACPI, MEMBLOCK_NONE, false,
				"ACPI reclaimable: memory, reserved until "
				"released" };
		}
		if (attr & EFI_MEMORY_SP) {
			return (struct efi_class){
				FWR_DRIVER, RANK_DRIVER,
				MEMBLOCK_DRIVER_MANAGED, false,
				"specific-purpose (EFI_MEMORY_SP): "
				"driver-managed" };
		}
		return (struct efi_class){
			FWR_MEMORY, RANK_MEMORY, MEMBLOCK_NONE,
			(attr & EFI_MEMORY_MORE_RELIABLE) != 0,
			(attr & EFI_MEMORY_MORE_RELIABLE) ?
				"more reliable: mirrored memory" : NULL };
	case EFI_RUNTIME_SERVICES_CODE:
	case EFI_RUNTIME_SERVICES_DATA:
		return firmware_class(attr, "runtime services: reserved, "
				      "NOMAP (mapped by the EFI runtime map)");
	case EFI_RESERVED_MEMORY:
		return firmware_class(attr, "firmware reserved: reserved, "
				      "NOMAP");
	case EFI_ACPI_MEMORY_NVS:
		return firmware_class(attr, "ACPI NVS: reserved, NOMAP");
	case EFI_PAL_CODE:
		return firmware_class(attr, "PAL code: reserved, NOMAP");
	case EFI_PERSISTENT_MEMORY:
		if (attr & EFI_MEMORY_CACHE_ATTRS) {
			return (struct efi_class){
				FWR_DRIVER, RANK_DRIVER,
				MEMBLOCK_DRIVER_MANAGED, false,
				"persistent memory: driver-managed" };
		}
		return (struct efi_class){ FWR_NOT_MEMORY, RANK_NOT_MEMORY,
					   MEMBLOCK_NONE, false,
					   "no memory attribute: not memory" };
	case EFI_UNUSABLE_MEMORY:
		return (struct efi_class){ FWR_NOT_MEMORY, RANK_UNUSABLE,
					   MEMBLOCK_NONE, false,
					   "unusable: not memory" };
	case EFI_MEMORY_MAPPED_IO:
	case EFI_MEMORY_MAPPED_IO_PORT_SPACE:
		return (struct efi_class){ FWR_NOT_MEMORY, RANK_NOT_MEMORY,
					   MEMBLOCK_NONE, false,
					   "MMIO: not memory" };
	case EFI_UNACCEPTED_MEMORY:
		/*
		 * Memory of a confidential guest (TDX, SEV-SNP) that must be
		 * accepted before first use; Cairn accepts none, so it is
		 * left out like memory beyond a limit.
		 */
		fw_diag(FWD_MEMORY_CAPPED, origin, base, size,
			"unaccepted memory left out (acceptance not "
			"supported)");
		return (struct efi_class){ FWR_NOT_MEMORY, RANK_NOT_MEMORY,
					   MEMBLOCK_NONE, false,
					   "unaccepted: not usable" };
	default:
		fw_diag(FWD_UNKNOWN_TYPE, origin, base, size,
			"type %#x unknown: taken as Reserved", d->type);
		return firmware_class(attr, "unknown type: taken as Reserved, "
				      "NOMAP");
	}
}

/*
 * Check descriptor @i and fill fwr_entries[@n]. Return: 1 if it was
 * added, 0 if it was dropped.
 */
static uint32_t prepare_desc(const struct efi_memory_desc *d, uint32_t i,
			     uint32_t n)
{
	phys_addr_t base = d->phys_addr, size, room;
	struct fw_record *r;
	char origin[24];

	origin_of(origin, sizeof(origin), i);
	room = PHYS_ADDR_MAX - base;
	if (d->num_pages > (PHYS_ADDR_MAX >> EFI_PAGE_SHIFT)) {
		size = room;	/* The byte count itself overflows. */
	} else {
		size = d->num_pages << EFI_PAGE_SHIFT;
	}
	r = fw_record(FW_FMT_EFI, "efi", i, d->type, base, min(size, room));
	if (d->num_pages == 0) {
		fw_diag(FWD_EMPTY_RANGE, origin, 0, 0,
			"%s at 0x%llx of 0 pages ignored", type_name(d->type),
			(unsigned long long)base);
		fw_record_drop(r, "0 pages");
		return 0;
	}
	if (d->num_pages > (PHYS_ADDR_MAX >> EFI_PAGE_SHIFT) ||
	    size - 1 > room || room == 0) {
		fw_diag(FWD_WRAPS, origin, 0, 0,
			"0x%llx + 0x%llx pages passes the top of the address "
			"space: %s", (unsigned long long)base,
			(unsigned long long)d->num_pages,
			room ? "clamped" : "ignored");
	}
	size = min(size, room);	/* Ending at 2^64 loses its last byte. */
	if (size == 0) {
		fw_record_drop(r, "passes the top of the address space");
		return 0;
	}
	if (!IS_ALIGNED(base, UINT64_C(1) << EFI_PAGE_SHIFT)) {
		fw_diag(FWD_UNALIGNED, origin, base, size,
			"descriptor not 4 KiB-aligned: memory rounded inward, "
			"reservations outward");
	}
	ent_class[n] = classify(d, origin, base, size);
	fwr_entries[n] = (struct fwr_entry){
		.base = base,
		.end = base + size,
		.rank = ent_class[n].rank,
		.type = d->type,
	};
	ent_index[n] = i;
	ent_rec[n] = r;
	ent_given[n] = r != NULL ? r->size : size;
	return 1;
}

static void report_overlaps(uint32_t n)
{
	fwr_report_overlaps(n, ent_index, "efi", type_name);
}

static struct fw_record *piece_record(uint32_t i, uint32_t nth)
{
	const struct fwr_entry *e = &fwr_entries[i];

	if (nth == 0) {
		return ent_rec[i];
	}
	return fw_record(FW_FMT_EFI, "efi", ent_index[i], e->type, e->base,
			 ent_given[i]);
}

static const char *piece_why(const struct fwr_entry *e, uint32_t npieces,
			     bool rounded, const struct efi_class *c)
{
	bool same = e->lost_to != FWR_NONE &&
		    fwr_entries[e->lost_to].type == e->type;

	if (npieces > 1) {
		return same ? "split by a descriptor of the same type" :
			      "split by a descriptor of higher precedence";
	}
	if (e->lost_to != FWR_NONE) {
		return same ? "overlaps a descriptor of the same type" :
			      "clipped by a descriptor of higher precedence";
	}
	if (rounded) {
		return "rounded inward to pages";
	}
	return c->why;
}

/* Plans for the pieces of entry @i; returns the new plan count. */
static uint32_t plan_entry(uint32_t i, uint32_t nplans)
{
	const struct fwr_entry *e = &fwr_entries[i];
	const struct efi_class *c = &ent_class[i];
	uint32_t npieces = 0, nth = 0;

	for (uint32_t k = e->first; k != FWR_NONE; k = fwr_pieces[k].next) {
		npieces++;
	}
	if (npieces == 0) {
		bool same = e->lost_to != FWR_NONE &&
			    fwr_entries[e->lost_to].type == e->type;

		fw_record_drop(ent_rec[i],
			       same ? "duplicate of a descriptor of the same "
				      "type" :
				      "covered by a descriptor of higher "
				      "precedence");
		return nplans;
	}
	for (uint32_t k = e->first; k != FWR_NONE; k = fwr_pieces[k].next) {
		const struct fwr_piece *p = &fwr_pieces[k];
		phys_addr_t mb, ms, psize = p->end - p->base;
		struct fwr_plan *pl;
		struct fw_record *r;
		enum fw_target target;
		uint32_t flags;

		if (c->cls == FWR_NOT_MEMORY) {
			if (!(p->under & MEMORY_RANKS)) {
				if (nth++ == 0) {
					fw_record_drop(ent_rec[i], c->why);
				}
				continue;
			}
			/* It took the range from memory: keep it unused. */
			r = piece_record(i, nth++);
			pl = &fwr_plans[nplans++];
			*pl = (struct fwr_plan){ .rec = r };
			fwr_outward(p->base, p->end, &pl->rbase, &pl->rsize);
			fw_record_done(r, FW_TO_RESERVED, p->base, psize,
				       MEMBLOCK_NONE, NUMA_NO_NODE,
				       "not memory; reserved where it overlaps "
				       "memory");
			continue;
		}
		r = piece_record(i, nth++);
		fwr_inward(p->base, p->end, &mb, &ms);
		if (ms == 0 && c->cls != FWR_FIRMWARE) {
			fw_record_drop(r, "smaller than a page after rounding");
			continue;
		}
		pl = &fwr_plans[nplans++];
		*pl = (struct fwr_plan){
			.rec = r,
			.mbase = mb,
			.msize = ms,
			.add_flags = c->add_flags,
			.mirror = c->mirror,
		};
		target = FW_TO_MEMORY;
		if (c->cls == FWR_ACPI) {
			pl->rbase = mb;
			pl->rsize = ms;
			target = FW_TO_RESERVED;
		} else if (c->cls == FWR_FIRMWARE) {
			/* Outward: a page shared with firmware is its. */
			fwr_outward(p->base, p->end, &pl->rbase, &pl->rsize);
			pl->nomap = true;
			target = FW_TO_NOMAP;
			if (ms == 0) {
				fw_record_done(r, FW_TO_RESERVED, p->base,
					       psize, MEMBLOCK_NONE,
					       NUMA_NO_NODE,
					       "no whole page: reserved only");
				continue;
			}
		}
		flags = pl->add_flags | (pl->nomap ? MEMBLOCK_NOMAP : 0) |
			(pl->mirror ? MEMBLOCK_MIRROR : 0);
		fw_record_done(r, target, mb, ms, flags, NUMA_NO_NODE,
			       piece_why(e, npieces, ms != psize, c));
	}
	return nplans;
}

int efi_memmap_scan(const void *map, uint64_t map_size, uint32_t desc_size,
		    uint32_t desc_version)
{
	const uint8_t *p = map;
	uint64_t count;
	uint32_t n = 0, nplans = 0;

	if (map == NULL || map_size == 0) {
		fw_diag(FWD_BAD_TABLE, "efi", 0, 0, "no memory map");
		return -EINVAL;
	}
	if (desc_version != EFI_MEMORY_DESCRIPTOR_VERSION) {
		fw_diag(FWD_BAD_TABLE, "efi", 0, 0,
			"descriptor version %u, only %u is known: map refused",
			desc_version, EFI_MEMORY_DESCRIPTOR_VERSION);
		return -EINVAL;
	}
	if (desc_size < sizeof(struct efi_memory_desc) || desc_size % 8 != 0) {
		fw_diag(FWD_BAD_TABLE, "efi", 0, 0,
			"descriptor size %u (must be a multiple of 8, at least "
			"%zu): map refused", desc_size,
			sizeof(struct efi_memory_desc));
		return -EINVAL;
	}
	count = map_size / desc_size;
	if (count == 0) {
		fw_diag(FWD_BAD_TABLE, "efi", 0, 0,
			"map of %llu bytes holds no %u-byte descriptor",
			(unsigned long long)map_size, desc_size);
		return -EINVAL;
	}
	if (map_size % desc_size != 0) {
		fw_diag(FWD_BAD_PROPERTY, "efi", 0, 0,
			"map size %llu is not a multiple of the descriptor "
			"size %u: the last %llu bytes are ignored",
			(unsigned long long)map_size, desc_size,
			(unsigned long long)(map_size % desc_size));
	}
	if (count > EFI_MEMMAP_MAX_DESCS) {
		fw_diag(FWD_TABLE_OVERFLOW, "efi", 0, 0,
			"%llu descriptors; the first %u are used, the rest "
			"ignored (EFI_MEMMAP_MAX_DESCS)",
			(unsigned long long)count, EFI_MEMMAP_MAX_DESCS);
		count = EFI_MEMMAP_MAX_DESCS;
	}
	for (uint32_t i = 0; i < count; i++) {
		struct efi_memory_desc d;

		/* Step by desc_size; memcpy: no alignment is promised. */
		memcpy(&d, p + (size_t)i * desc_size, sizeof(d));
		n += prepare_desc(&d, i, n);
	}
	fwr_resolve(fwr_entries, n, fwr_pieces);
	report_overlaps(n);
	for (uint32_t i = 0; i < n; i++) {
		nplans = plan_entry(i, nplans);
	}
	return fwr_apply(fwr_plans, nplans);
}
