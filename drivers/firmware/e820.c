// SPDX-License-Identifier: BSD-2-Clause
/*
 * e820 tables -> memblock (<cairn/e820.h>, docs/firmware.md "e820"). Data
 * only: no port I/O, no BIOS calls, no arch headers, so it also builds on
 * the host (tests/host/test_e820.c, tests/fuzz/fuzz_e820.c). It must not
 * read anything but the table it is given: the EBDA pointer in the BDA is
 * arch/x86's to read.
 *
 * Entries are untrusted, unsorted and may overlap. They are sanitised
 * first: empty ones dropped, wrapping ones clamped, overlaps given to the
 * more restrictive type (the precedence below), neighbours of one type
 * merged. Then each piece is converted by its type, the low-memory rules
 * of the PC are applied, and every entry gets a provenance record.
 */
#include <stdio.h>
#include <string.h>

#include <cairn/e820.h>
#include <cairn/errno.h>
#include <cairn/fwmap.h>
#include <cairn/init.h>
#include <cairn/memblock.h>

#include "fw_ranges.h"

_Static_assert(E820_MAX_ENTRIES <= FWR_MAX_ENTRIES, "fw_ranges work arrays");

/* Entry sizes of the two layouts [xen hvm/start_info.h; Linux boot.rst]. */
#define E820_PVH_ENTRY	24	/* u64 addr, u64 size, u32 type, u32 */
#define E820_BP_ENTRY	20	/* packed u64 addr, size; u32 type */

/*
 * Below 1 MiB on a PC [PC BIOS conventions]: page 0 holds the real-mode
 * IVT and the BDA; the EBDA sits at the top of conventional memory, in
 * its last page at least; 0xa0000-0x100000 is the VGA window and the ROMs.
 */
#define LOW_EBDA_PAGE		0x9f000
#define LOW_HOLE_END		0x100000

/*
 * Precedence, highest wins where entries overlap: the more restrictive
 * type. Unusable memory may fault when touched; ACPI NVS is firmware
 * state that must survive sleep; reserved (and every unknown type) is the
 * firmware's; persistent memory holds data that outlives the boot;
 * soft-reserved memory is set aside for a driver; ACPI reclaimable
 * memory must stay intact until the tables are read; RAM yields to all.
 */
enum e820_rank {
	RANK_RAM = 0,
	RANK_ACPI,
	RANK_SOFT_RESERVED,
	RANK_PMEM,
	RANK_RESERVED,
	RANK_NVS,
	RANK_UNUSABLE,
};

struct e820_type_info {
	uint32_t type;
	enum e820_rank rank;
	enum fwr_class cls;
	const char *name;
	const char *why;	/* record note when kept as described */
};

static const struct e820_type_info e820_types[] = {
	{ E820_TYPE_RAM, RANK_RAM, FWR_MEMORY, "RAM", NULL },
	{ E820_TYPE_RESERVED, RANK_RESERVED, FWR_NOT_MEMORY, "reserved",
	  "reserved: not memory" },
	{ E820_TYPE_ACPI, RANK_ACPI, FWR_ACPI, "ACPI",
	  "ACPI reclaimable: memory, reserved until released" },
	{ E820_TYPE_NVS, RANK_NVS, FWR_NOT_MEMORY, "NVS",
	  "ACPI NVS: not memory" },
	{ E820_TYPE_UNUSABLE, RANK_UNUSABLE, FWR_NOT_MEMORY, "unusable",
	  "unusable: not memory" },
	{ E820_TYPE_PMEM, RANK_PMEM, FWR_DRIVER, "persistent",
	  "persistent memory: driver-managed" },
	{ E820_TYPE_PRAM, RANK_PMEM, FWR_DRIVER, "PRAM",
	  "persistent memory (PRAM): driver-managed" },
	{ E820_TYPE_SOFT_RESERVED, RANK_SOFT_RESERVED, FWR_DRIVER,
	  "soft-reserved", "soft-reserved: driver-managed" },
};

static const struct e820_type_info e820_unknown = {
	0, RANK_RESERVED, FWR_NOT_MEMORY, "unknown",
	"unknown type: taken as reserved, not memory"
};

static const struct e820_type_info *type_info(uint32_t type)
{
	for (size_t i = 0; i < ARRAY_SIZE(e820_types); i++) {
		if (e820_types[i].type == type) {
			return &e820_types[i];
		}
	}
	return &e820_unknown;
}

/* Ranks whose class is memory of some kind: what a reservation protects. */
#define MEMORY_RANKS	((1u << RANK_RAM) | (1u << RANK_ACPI) |	\
			 (1u << RANK_SOFT_RESERVED) | (1u << RANK_PMEM))

/*
 * Per fwr_entries[] slot: its firmware index, @map slot and record;
 * prepare() writes slots [0, n), and only those are read. Boot-only, not
 * zeroed (__initscratch, <cairn/init.h>), like fw_ranges.c's arrays.
 */
static uint32_t ent_index[E820_MAX_ENTRIES] __initscratch;
static uint32_t ent_src[E820_MAX_ENTRIES] __initscratch;
static struct fw_record *ent_rec[E820_MAX_ENTRIES] __initscratch;
/* e820_scan()'s unpacked copy of the table: the first @n written, read. */
static struct e820_entry e820_copy[E820_MAX_ENTRIES] __initscratch;

static void origin_of(char *buf, size_t len, uint32_t index)
{
	snprintf(buf, len, "e820[%u]", index);
}

/*
 * Check each entry and fill fwr_entries[]: empty entries dropped, wrapping
 * ones clamped to the top of the address space, with a diagnostic each.
 * With @records, every entry gets a provenance record. Return: the number
 * of fwr_entries[] filled.
 */
static uint32_t prepare(const struct e820_entry *map, uint32_t nr,
			bool records)
{
	uint32_t n = 0;

	if (nr > E820_MAX_ENTRIES) {
		fw_diag(FWD_TABLE_OVERFLOW, "e820", 0, 0,
			"%u entries; the first %u are used, the rest ignored "
			"(E820_MAX_ENTRIES)", nr, E820_MAX_ENTRIES);
		nr = E820_MAX_ENTRIES;
	}
	for (uint32_t i = 0; i < nr; i++) {
		const struct e820_entry *m = &map[i];
		struct fw_record *r = NULL;
		phys_addr_t size = m->size, room;
		char origin[24];

		origin_of(origin, sizeof(origin), m->index);
		if (records) {
			r = fw_record(FW_FMT_E820, "e820", m->index, m->type,
				      m->addr, m->size);
		}
		if (size == 0) {
			fw_diag(FWD_EMPTY_RANGE, origin, 0, 0,
				"entry at 0x%llx of size 0 ignored",
				(unsigned long long)m->addr);
			fw_record_drop(r, "size 0");
			continue;
		}
		/*
		 * memblock ends every range below 2^64 (memblock_cap_size),
		 * so one ending exactly there loses its last byte quietly.
		 */
		room = PHYS_ADDR_MAX - m->addr;
		if (size - 1 > room || room == 0) {
			fw_diag(FWD_WRAPS, origin, 0, 0,
				"[0x%llx +0x%llx) passes the top of the "
				"address space: %s",
				(unsigned long long)m->addr,
				(unsigned long long)m->size,
				room ? "clamped" : "ignored");
		}
		size = min(size, room);
		if (size == 0) {
			fw_record_drop(r, "passes the top of the address "
				       "space");
			continue;
		}
		fwr_entries[n] = (struct fwr_entry){
			.base = m->addr,
			.end = m->addr + size,
			.rank = type_info(m->type)->rank,
			.type = m->type,
		};
		ent_index[n] = m->index;
		ent_src[n] = i;
		ent_rec[n] = r;
		n++;
	}
	return n;
}

static const char *e820_type_name(uint32_t type)
{
	return type_info(type)->name;
}

/* One line for each entry that lost part of its range to another type. */
static void report_overlaps(uint32_t n)
{
	fwr_report_overlaps(n, ent_index, "e820", e820_type_name);
}

int e820_sanitize(struct e820_entry *map, uint32_t *nr, uint32_t max)
{
	uint32_t n, np, out = 0;

	if (map == NULL || nr == NULL) {
		return -EINVAL;
	}
	n = prepare(map, *nr, false);
	np = fwr_resolve(fwr_entries, n, fwr_pieces);
	report_overlaps(n);
	/* Count first: on -ENOSPC, @map stays as it was. */
	for (uint32_t k = 0; k < np; k++) {
		const struct fwr_piece *p = &fwr_pieces[k];

		if (k == 0 || fwr_pieces[k - 1].end != p->base ||
		    fwr_entries[fwr_pieces[k - 1].owner].type !=
			    fwr_entries[p->owner].type) {
			out++;
		}
	}
	if (out > max) {
		return -ENOSPC;
	}
	out = 0;
	for (uint32_t k = 0; k < np; k++) {
		const struct fwr_piece *p = &fwr_pieces[k];
		uint32_t type = fwr_entries[p->owner].type;
		struct e820_entry *prev = out > 0 ? &map[out - 1] : NULL;

		if (prev != NULL && prev->addr + prev->size == p->base &&
		    prev->type == type) {
			prev->size = p->end - prev->addr;
			continue;
		}
		map[out++] = (struct e820_entry){
			.addr = p->base,
			.size = p->end - p->base,
			.type = type,
			.index = ent_index[p->owner],
		};
	}
	*nr = out;
	return 0;
}

/*
 * The record for the @nth piece of entry @i: its own for the first, a new
 * one (same index, same range as given) for each further piece.
 */
static struct fw_record *piece_record(uint32_t i, const struct e820_entry *m,
				      uint32_t nth)
{
	if (nth == 0) {
		return ent_rec[i];
	}
	return fw_record(FW_FMT_E820, "e820", m->index, m->type, m->addr,
			 m->size);
}

/* Why a kept piece differs from its entry, most telling reason first. */
static const char *piece_why(const struct fwr_entry *e, bool split, bool low,
			     bool rounded, const struct e820_type_info *ti)
{
	if (low) {
		return "EBDA page and legacy hole [0x9f000-0x100000) are "
		       "not RAM";
	}
	if (split) {
		return e->lost_to != FWR_NONE &&
		       fwr_entries[e->lost_to].type == e->type ?
			       "split by an entry of the same type" :
			       "split by an entry of higher precedence";
	}
	if (e->lost_to != FWR_NONE) {
		return fwr_entries[e->lost_to].type == e->type ?
			       "overlaps an entry of the same type" :
			       "clipped by an entry of higher precedence";
	}
	if (rounded) {
		return "rounded inward to pages";
	}
	return ti->why;
}

/*
 * Memory [@mb, +@ms) of a piece, less the EBDA page and the legacy hole:
 * up to two parts in @part. Return: how many; *@cut says if any was cut.
 */
static uint32_t cut_low_hole(phys_addr_t mb, phys_addr_t ms,
			     phys_addr_t part[2][2], bool *cut)
{
	phys_addr_t me = mb + ms;
	uint32_t k = 0;

	*cut = ms != 0 && mb < LOW_HOLE_END && me > LOW_EBDA_PAGE;
	if (!*cut) {
		if (ms != 0) {
			part[k][0] = mb;
			part[k++][1] = ms;
		}
		return k;
	}
	if (mb < LOW_EBDA_PAGE) {
		part[k][0] = mb;
		part[k++][1] = LOW_EBDA_PAGE - mb;
	}
	if (me > LOW_HOLE_END) {
		part[k][0] = LOW_HOLE_END;
		part[k++][1] = me - LOW_HOLE_END;
	}
	return k;
}

/* Why an entry has no piece left at all. */
static const char *covered_why(const struct fwr_entry *e)
{
	if (e->lost_to != FWR_NONE && fwr_entries[e->lost_to].type == e->type) {
		return "duplicate of an entry of the same type";
	}
	return "covered by an entry of higher precedence";
}

/*
 * A piece of a type that is not memory. Where it took the range from
 * memory (RAM described there too), reserve it in case another source
 * describes that memory; otherwise it only has a record, one per entry.
 */
static uint32_t plan_not_memory(uint32_t i, const struct e820_entry *m,
				const struct fwr_piece *p, uint32_t *nth,
				uint32_t nplans, const char *origin)
{
	const struct e820_type_info *ti = type_info(m->type);
	struct fw_record *r;
	struct fwr_plan *pl;

	if (!(p->under & MEMORY_RANKS)) {
		if ((*nth)++ == 0) {
			fw_record_drop(ent_rec[i], ti->why);
		}
		return nplans;
	}
	r = piece_record(i, m, (*nth)++);
	pl = &fwr_plans[nplans++];
	*pl = (struct fwr_plan){ .rec = r };
	fwr_outward(p->base, p->end, &pl->rbase, &pl->rsize);
	if (pl->rbase != p->base || pl->rbase + pl->rsize != p->end) {
		fw_diag(FWD_UNALIGNED, origin, p->base, p->end - p->base,
			"reservation rounded outward to pages");
	}
	fw_record_done(r, FW_TO_RESERVED, p->base, p->end - p->base,
		       MEMBLOCK_NONE, NUMA_NO_NODE,
		       "not memory; reserved where it overlaps RAM");
	return nplans;
}

/*
 * A piece of a memory type: rounded inward to pages, less the EBDA page
 * and the legacy hole, then added (and reserved, for ACPI).
 */
static uint32_t plan_memory(uint32_t i, const struct e820_entry *m,
			    const struct fwr_piece *p, bool split,
			    uint32_t *nth, uint32_t nplans, const char *origin)
{
	const struct fwr_entry *e = &fwr_entries[i];
	const struct e820_type_info *ti = type_info(m->type);
	phys_addr_t mb, ms, psize = p->end - p->base, part[2][2];
	uint32_t nparts;
	bool cut, rounded;

	fwr_inward(p->base, p->end, &mb, &ms);
	rounded = ms != psize;
	if (rounded && ms != 0) {
		fw_diag(FWD_UNALIGNED, origin, p->base, psize,
			"memory rounded inward to [0x%llx-0x%llx)",
			(unsigned long long)mb, (unsigned long long)(mb + ms));
	} else if (rounded) {
		fw_diag(FWD_UNALIGNED, origin, p->base, psize,
			"no whole page: not memory");
	}
	nparts = cut_low_hole(mb, ms, part, &cut);
	if (cut) {
		phys_addr_t lo = max(mb, (phys_addr_t)LOW_EBDA_PAGE);
		phys_addr_t hi = min(mb + ms, (phys_addr_t)LOW_HOLE_END);

		fw_diag(FWD_TYPE_OVERLAP, origin, lo, hi - lo,
			"%s over the EBDA page or the legacy VGA/ROM hole: "
			"not RAM, left out", ti->name);
	}
	if (nparts == 0) {
		fw_record_drop(piece_record(i, m, (*nth)++),
			       cut ? piece_why(e, false, true, false, ti) :
				     "smaller than a page after rounding");
		return nplans;
	}
	for (uint32_t j = 0; j < nparts; j++) {
		struct fw_record *r = piece_record(i, m, (*nth)++);
		struct fwr_plan *pl = &fwr_plans[nplans++];
		enum fw_target target = FW_TO_MEMORY;

		*pl = (struct fwr_plan){
			.rec = r,
			.mbase = part[j][0],
			.msize = part[j][1],
		};
		if (ti->cls == FWR_ACPI) {
			pl->rbase = pl->mbase;
			pl->rsize = pl->msize;
			target = FW_TO_RESERVED;
		} else if (ti->cls == FWR_DRIVER) {
			pl->add_flags = MEMBLOCK_DRIVER_MANAGED;
		}
		fw_record_done(r, target, pl->mbase, pl->msize, pl->add_flags,
			       NUMA_NO_NODE,
			       piece_why(e, split || nparts > 1, cut, rounded,
					 ti));
	}
	return nplans;
}

/* Plans for the pieces of entry @i; returns the new plan count. */
static uint32_t plan_entry(uint32_t i, const struct e820_entry *m,
			   uint32_t nplans)
{
	const struct fwr_entry *e = &fwr_entries[i];
	bool memory = fwr_class_is_memory(type_info(e->type)->cls);
	uint32_t npieces = 0, nth = 0;
	char origin[24];

	origin_of(origin, sizeof(origin), m->index);
	for (uint32_t k = e->first; k != FWR_NONE; k = fwr_pieces[k].next) {
		npieces++;
	}
	if (npieces == 0) {
		fw_record_drop(ent_rec[i], covered_why(e));
		return nplans;
	}
	for (uint32_t k = e->first; k != FWR_NONE; k = fwr_pieces[k].next) {
		if (memory) {
			nplans = plan_memory(i, m, &fwr_pieces[k], npieces > 1,
					     &nth, nplans, origin);
		} else {
			nplans = plan_not_memory(i, m, &fwr_pieces[k], &nth,
						 nplans, origin);
		}
	}
	return nplans;
}

/*
 * Page 0 is memory on every PC but is never handed out: it holds the
 * real-mode IVT and the BDA, and a 0 physical address reads as NULL.
 */
static uint32_t plan_page0(uint32_t nplans)
{
	for (uint32_t k = 0; k < nplans; k++) {
		struct fwr_plan *pl;

		if (fwr_plans[k].msize == 0 || fwr_plans[k].mbase != 0) {
			continue;
		}
		pl = &fwr_plans[nplans++];
		*pl = (struct fwr_plan){
			.rec = fw_record(FW_FMT_KERNEL, "e820 page 0", 0, 0, 0,
					 PAGE_SIZE),
			.rbase = 0,
			.rsize = PAGE_SIZE,
		};
		fw_record_done(pl->rec, FW_TO_RESERVED, 0, PAGE_SIZE,
			       MEMBLOCK_NONE, NUMA_NO_NODE,
			       "page 0 (real-mode IVT, BDA) is never handed "
			       "out");
		break;
	}
	return nplans;
}

int e820_scan_entries(const struct e820_entry *map, uint32_t entries)
{
	uint32_t n, nplans = 0;

	if (map == NULL || entries == 0) {
		fw_diag(FWD_BAD_TABLE, "e820", 0, 0, "no table or no entries");
		return -EINVAL;
	}
	n = prepare(map, entries, true);
	fwr_resolve(fwr_entries, n, fwr_pieces);
	report_overlaps(n);
	/* Plans in table order: the records of an entry's pieces follow it. */
	for (uint32_t i = 0; i < n; i++) {
		const struct e820_entry *m = &map[ent_src[i]];

		if (type_info(m->type) == &e820_unknown) {
			char origin[24];

			origin_of(origin, sizeof(origin), m->index);
			fw_diag(FWD_UNKNOWN_TYPE, origin, m->addr,
				fwr_entries[i].end - m->addr,
				"type %#x unknown: taken as reserved", m->type);
		}
		nplans = plan_entry(i, m, nplans);
	}
	nplans = plan_page0(nplans);
	return fwr_apply(fwr_plans, nplans);
}

int e820_scan(const void *table, uint32_t entries,
	      enum boot_e820_format format)
{
	const uint8_t *p = table;
	size_t stride;
	uint32_t n = entries;

	if (format == BOOT_E820_PVH) {
		stride = E820_PVH_ENTRY;
	} else if (format == BOOT_E820_BOOT_PARAMS) {
		stride = E820_BP_ENTRY;
	} else {
		fw_diag(FWD_BAD_TABLE, "e820", 0, 0, "unknown format %d",
			(int)format);
		return -EINVAL;
	}
	if (table == NULL || entries == 0) {
		fw_diag(FWD_BAD_TABLE, "e820", 0, 0, "no table or no entries");
		return -EINVAL;
	}
	if (n > E820_MAX_ENTRIES) {
		fw_diag(FWD_TABLE_OVERFLOW, "e820", 0, 0,
			"%u entries; the first %u are used, the rest ignored "
			"(E820_MAX_ENTRIES)", entries, E820_MAX_ENTRIES);
		n = E820_MAX_ENTRIES;
	}
	for (uint32_t i = 0; i < n; i++, p += stride) {
		struct e820_entry *m = &e820_copy[i];

		/* memcpy: boot_params entries are packed, so unaligned. */
		memcpy(&m->addr, p, sizeof(m->addr));
		memcpy(&m->size, p + 8, sizeof(m->size));
		memcpy(&m->type, p + 16, sizeof(m->type));
		m->index = i;
	}
	return e820_scan_entries(e820_copy, n);
}
