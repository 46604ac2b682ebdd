// SPDX-License-Identifier: BSD-2-Clause
/*
 * Private to drivers/firmware/{e820,efi_memmap}.c: the engine both table
 * converters share. fwr_resolve() turns a list of typed ranges that may
 * overlap into disjoint pieces, each owned by the entry of highest
 * precedence there; fwr_apply() hands planned pieces to memblock in the
 * order that matters (memory, then reservations, then flags). Nothing
 * outside this folder includes it; the public APIs are <cairn/e820.h> and
 * <cairn/efi.h>.
 *
 * The work arrays are static (the kernel has no malloc), so neither
 * converter is reentrant; they run one after the other on the boot CPU.
 */
#pragma once

#include <cairn/fwmap.h>
#include <cairn/memblock.h>
#include <cairn/types.h>

/* Entries one table may have (e820 and the UEFI map alike). */
#define FWR_MAX_ENTRIES		1024
/* Pieces: every entry edge starts at most one new piece. */
#define FWR_MAX_PIECES		(2 * FWR_MAX_ENTRIES)
/* Plans: a piece, a second part after a hole is cut out, page 0. */
#define FWR_MAX_PLANS		(FWR_MAX_PIECES + 2)
#define FWR_NONE		UINT32_MAX

/*
 * What a range becomes in memblock. The converters map their types (and,
 * for UEFI, attributes) to one of these; docs/firmware.md has the tables.
 */
enum fwr_class {
	FWR_MEMORY = 0,		/* general memory */
	FWR_ACPI,		/* memory, reserved until released */
	FWR_DRIVER,		/* memory with MEMBLOCK_DRIVER_MANAGED */
	FWR_FIRMWARE,		/* memory, reserved and MEMBLOCK_NOMAP */
	FWR_NOT_MEMORY,		/* none; reserved where it took memory */
};

static inline bool fwr_class_is_memory(enum fwr_class c)
{
	return c != FWR_NOT_MEMORY;
}

/**
 * struct fwr_entry - one input range for fwr_resolve()
 * @base: first address
 * @end: one past the last address; @base < @end (callers clamp first)
 * @rank: precedence, 0..31: where entries overlap, the higher rank owns
 *	the range; equal ranks go to the entry that comes first in the array
 * @type: the firmware's type, only compared for equality (@lost_to)
 * @lost_to: out: FWR_NONE, or an entry that owns part of this one's
 *	range, preferring one of another type
 * @first: out: this entry's first piece, or FWR_NONE if it owns none
 */
struct fwr_entry {
	phys_addr_t base;
	phys_addr_t end;
	uint32_t rank;
	uint32_t type;
	uint32_t lost_to;
	uint32_t first;
};

/**
 * struct fwr_piece - a maximal range that one entry owns
 * @base, @end: the range, [base, end)
 * @owner: the entry that owns it
 * @next: the owner's next piece (ascending), or FWR_NONE
 * @under: bit r set: an entry of rank r also covers part of the piece
 */
struct fwr_piece {
	phys_addr_t base;
	phys_addr_t end;
	uint32_t owner;
	uint32_t next;
	uint32_t under;
};

/**
 * fwr_resolve() - split overlapping entries into owned pieces
 * @e: the entries; @lost_to and @first are written
 * @n: how many, at most FWR_MAX_ENTRIES
 * @p: out: the pieces, sorted, disjoint; room for 2 * @n
 *
 * O(n log n) to sort the edges, then O(n) per elementary interval in the
 * worst case (every entry overlapping every other). Touching pieces of one
 * owner are one piece. Return: the number of pieces.
 */
uint32_t fwr_resolve(struct fwr_entry *e, uint32_t n, struct fwr_piece *p);

/**
 * struct fwr_plan - what one range does to memblock
 * @rec: its provenance record (may be NULL when the log is full)
 * @mbase, @msize: memory to add (page-aligned; size 0: none)
 * @rbase, @rsize: range to reserve (size 0: none)
 * @add_flags: flags given to memblock_add_node() (DRIVER_MANAGED or NONE)
 * @nomap: mark [@rbase, +@rsize) MEMBLOCK_NOMAP once all memory is in
 * @mirror: mark [@mbase, +@msize) MEMBLOCK_MIRROR once all memory is in
 */
struct fwr_plan {
	struct fw_record *rec;
	phys_addr_t mbase;
	phys_addr_t msize;
	phys_addr_t rbase;
	phys_addr_t rsize;
	uint32_t add_flags;
	bool nomap;
	bool mirror;
};

/* Shared work arrays: one converter at a time uses them. */
extern struct fwr_entry fwr_entries[FWR_MAX_ENTRIES];
extern struct fwr_piece fwr_pieces[FWR_MAX_PIECES];
extern struct fwr_plan fwr_plans[FWR_MAX_PLANS];

/**
 * fwr_apply() - carry plans out in memblock
 * @plan: the plans
 * @n: how many
 *
 * Every add first, then every reservation, then the NOMAP and MIRROR
 * marks (they only touch memory that exists). A failed call drops the
 * plan's record ("memblock full") and the others still run: reservations
 * matter more than a complete map. Return: 0, or -ENOMEM if any failed.
 */
int fwr_apply(struct fwr_plan *plan, uint32_t n);

/* Round down / up to a page; up saturates at PHYS_ADDR_MAX. */
static inline phys_addr_t fwr_page_down(phys_addr_t a)
{
	return a & PAGE_MASK;
}

static inline phys_addr_t fwr_page_up(phys_addr_t a)
{
	if (a > PHYS_ADDR_MAX - (PAGE_SIZE - 1)) {
		return PHYS_ADDR_MAX;
	}
	return ALIGN_UP(a, PAGE_SIZE);
}

/*
 * The whole pages inside [@base, @end) as *@mb, *@ms (size 0 if none):
 * how memory is rounded.
 */
static inline void fwr_inward(phys_addr_t base, phys_addr_t end,
			      phys_addr_t *mb, phys_addr_t *ms)
{
	phys_addr_t b = fwr_page_up(base), e = fwr_page_down(end);

	*mb = b;
	*ms = b < e ? e - b : 0;
}

/* The pages touching [@base, @end): how reservations are rounded. */
static inline void fwr_outward(phys_addr_t base, phys_addr_t end,
			       phys_addr_t *rb, phys_addr_t *rs)
{
	*rb = fwr_page_down(base);
	*rs = fwr_page_up(end) - *rb;
}

/**
 * fwr_report_overlaps() - one fw008 line per entry that lost to another type
 * @n: entries in fwr_entries[] (after fwr_resolve())
 * @index: the firmware's number of each entry
 * @table: "e820" or "efi": names the entries in the lines
 * @type_name: the name of a firmware type
 *
 * Overlapping duplicates of one type merge silently.
 */
void fwr_report_overlaps(uint32_t n, const uint32_t *index, const char *table,
			 const char *(*type_name)(uint32_t type));
