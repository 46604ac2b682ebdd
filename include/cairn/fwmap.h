// SPDX-License-Identifier: BSD-2-Clause
/*
 * The firmware map's record of itself (drivers/firmware/fwmap.c).
 *
 * Provenance: every range a converter (DT, UEFI memory map, e820) hands to
 * memblock, or refuses, is logged with where it came from (format, DT node
 * path and reg index, descriptor or entry index, type) and what happened to
 * it (kept, clipped, dropped, and why). It lives beside memblock, not inside
 * struct memblock_region, and can be asked about any address afterwards.
 *
 * Diagnostics: problems found in the firmware's tables, each one log line
 * with a stable ID ("fw007 reserved-outside-memory: ..."). IDs never change
 * meaning; new ones are added at the end. docs/firmware.md lists them.
 *
 * Both are plain static arrays with a reset function for host tests and the
 * cairn-memmap tool; nothing here allocates.
 */
#pragma once

#include <cairn/compiler.h>
#include <cairn/types.h>

enum fw_format {
	FW_FMT_NONE = 0,
	FW_FMT_DT,		/* flattened device tree */
	FW_FMT_EFI,		/* UEFI memory map */
	FW_FMT_E820,		/* e820 table (PVH or boot_params) */
	FW_FMT_KERNEL,		/* the kernel's own reservations */
};

/* Where a range went in memblock. */
enum fw_target {
	FW_TO_NONE = 0,		/* nowhere: dropped */
	FW_TO_MEMORY,		/* memblock.memory */
	FW_TO_RESERVED,		/* memblock.reserved */
	FW_TO_NOMAP,		/* reserved and marked MEMBLOCK_NOMAP */
	FW_TO_REMOVED,		/* taken out of memory (e.g. usable-memory-range) */
};

enum fw_fate {
	FW_KEPT = 0,		/* as described */
	FW_CLIPPED,		/* shrunk: kept_base/kept_size say to what */
	FW_DROPPED,		/* not used at all: why says why */
};

#define FW_ORIGIN_LEN	64	/* DT paths longer than this are cut short */
#define FW_LOG_MAX	1024	/* records; more are counted in fw_log.lost */

struct fw_record {
	phys_addr_t base;	/* as the firmware described it */
	phys_addr_t size;
	phys_addr_t kept_base;	/* what reached memblock */
	phys_addr_t kept_size;
	uint32_t index;		/* reg tuple, descriptor or entry number */
	uint32_t type;		/* e820 or EFI type; 0 for the DT */
	uint16_t format;	/* enum fw_format */
	uint16_t target;	/* enum fw_target */
	uint16_t fate;		/* enum fw_fate */
	uint16_t flags;		/* enum memblock_flags given to memblock */
	int32_t nid;
	const char *why;	/* static string, or NULL */
	char origin[FW_ORIGIN_LEN];	/* "/memory@80000000", "e820", "efi" */
};

struct fw_log {
	uint32_t cnt;
	uint32_t lost;
	struct fw_record rec[FW_LOG_MAX];
};

extern struct fw_log fw_log;

/**
 * fw_record() - log one range as the firmware described it
 * @format: enum fw_format
 * @origin: where in the input, e.g. a DT node path (copied, cut to fit)
 * @index: reg tuple, descriptor or entry number
 * @type: e820/EFI type, or 0
 * @base, @size: the range as given
 *
 * The record starts as FW_KEPT with kept_* = base/size and target
 * FW_TO_NONE; the converter then says what it did with fw_record_done()
 * or fw_record_drop(). Return: the record, or NULL once the log is full
 * (counted in fw_log.lost; callers go on without it).
 */
struct fw_record *fw_record(enum fw_format format, const char *origin,
			    uint32_t index, uint32_t type, phys_addr_t base,
			    phys_addr_t size);

/* Record where (@target, with @flags) the range [kept_base, +kept_size) went. */
void fw_record_done(struct fw_record *r, enum fw_target target,
		    phys_addr_t kept_base, phys_addr_t kept_size,
		    uint32_t flags, int nid, const char *why);

/* Record that the range was not used, and @why (a static string). */
void fw_record_drop(struct fw_record *r, const char *why);

/* The newest record whose kept range contains @addr, or NULL. */
const struct fw_record *fw_record_find(phys_addr_t addr);

enum fw_diag_id {
	FWD_BAD_TABLE = 1,		/* fw001: a blob or table refused whole */
	FWD_BAD_CELLS,			/* fw002: cell counts not 1 or 2 */
	FWD_BAD_PROPERTY,		/* fw003: property of the wrong size/form */
	FWD_EMPTY_RANGE,		/* fw004: size 0 */
	FWD_WRAPS,			/* fw005: passes the top of the address space */
	FWD_UNALIGNED,			/* fw006: edge not page-aligned */
	FWD_RESERVED_OUTSIDE_MEMORY,	/* fw007: reservation outside memory */
	FWD_TYPE_OVERLAP,		/* fw008: RAM overlaps another type */
	FWD_TABLE_OVERFLOW,		/* fw009: more entries than fit */
	FWD_FIRMWARE_WITHOUT_NOMAP,	/* fw010: firmware region lacks no-map */
	FWD_DT_EFI_DISAGREE,		/* fw011: DT and UEFI map differ */
	FWD_UNKNOWN_TYPE,		/* fw012: unknown type, taken as reserved */
	FWD_ALLOC_FAILED,		/* fw013: dynamic reservation not placed */
	FWD_MEMORY_CAPPED,		/* fw014: memory outside a usable limit */
	FWD_MAX
};

enum fw_diag_level {
	FWD_NOTE = 0,	/* handled as the spec says, worth knowing */
	FWD_WARN,	/* the firmware is wrong; Cairn worked around it */
	FWD_ERROR,	/* input refused */
};

struct fw_diag_log {
	uint32_t total;
	uint32_t count[FWD_MAX];
};

extern struct fw_diag_log fw_diags;

/* "reserved-outside-memory" for FWD_RESERVED_OUTSIDE_MEMORY. */
const char *fw_diag_name(enum fw_diag_id id);

/* The level a diagnostic is always reported at. */
enum fw_diag_level fw_diag_level(enum fw_diag_id id);

/**
 * fw_diag() - report one problem in the firmware's tables
 * @id: what kind of problem (stable)
 * @origin: where: a DT path, "e820[3]", "efi[12]"; may be NULL
 * @base, @size: the range concerned; size 0 prints none
 * @fmt: the rest of the line, printf-style, no newline
 *
 * Prints one line, "fw: fw007 reserved-outside-memory: ORIGIN [b-e): MSG",
 * at the ID's level and counts it.
 */
__printf(5, 6) void fw_diag(enum fw_diag_id id, const char *origin,
			    phys_addr_t base, phys_addr_t size,
			    const char *fmt, ...);

/*
 * If set, fw_diag() also hands each diagnostic to this function, with the
 * formatted message, after printing it. NULL in the kernel; the
 * cairn-memmap tool sets it to collect diagnostics for --json.
 */
extern void (*fw_diag_hook)(enum fw_diag_id id, const char *origin,
			    phys_addr_t base, phys_addr_t size,
			    const char *msg);

/*
 * Check memblock as a whole once every converter has run: reservations
 * outside memory, unaligned edges of memory. Diagnostics only.
 */
void fw_lint(void);

/* Print the provenance log, one record a line (docs/firmware.md). */
void fw_log_dump(void);

/* Forget every record and diagnostic (host tests, cairn-memmap). */
void fw_reset(void);

/**
 * fw_log_init() - empty the provenance log at boot
 *
 * fw_log is __noclear (<cairn/init.h>): the entry code does not zero its
 * 128 KiB, so its counts hold whatever the loader left until this runs.
 * start_kernel() calls it first, before anything can record or look up
 * a range. Records need no zeroing: fw_record() fills each as it hands
 * it out, and nothing reads past fw_log.cnt.
 */
void fw_log_init(void);
