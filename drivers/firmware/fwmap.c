// SPDX-License-Identifier: BSD-2-Clause
/*
 * Provenance and diagnostics of the firmware converters: the log of every
 * range they handed to memblock (or refused), the one-line diagnostics with
 * stable IDs, and a final check of memblock as a whole (fw_lint()). Data
 * only, host-buildable; see <cairn/fwmap.h> and docs/firmware.md.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <cairn/fwmap.h>
#include <cairn/init.h>
#include <cairn/log.h>
#include <cairn/memblock.h>

/* Not zeroed at entry: fw_log_init() resets the counts (<cairn/fwmap.h>). */
struct fw_log fw_log __noclear;
struct fw_diag_log fw_diags;
void (*fw_diag_hook)(enum fw_diag_id id, const char *origin,
		     phys_addr_t base, phys_addr_t size, const char *msg);

static const struct {
	const char *name;
	enum fw_diag_level level;
} diag_info[FWD_MAX] = {
	[FWD_BAD_TABLE] = { "bad-table", FWD_ERROR },
	[FWD_BAD_CELLS] = { "bad-cells", FWD_ERROR },
	[FWD_BAD_PROPERTY] = { "bad-property", FWD_WARN },
	[FWD_EMPTY_RANGE] = { "empty-range", FWD_NOTE },
	[FWD_WRAPS] = { "range-wraps", FWD_WARN },
	[FWD_UNALIGNED] = { "unaligned", FWD_NOTE },
	[FWD_RESERVED_OUTSIDE_MEMORY] = { "reserved-outside-memory", FWD_NOTE },
	[FWD_TYPE_OVERLAP] = { "type-overlap", FWD_WARN },
	[FWD_TABLE_OVERFLOW] = { "table-overflow", FWD_ERROR },
	[FWD_FIRMWARE_WITHOUT_NOMAP] = { "firmware-without-no-map", FWD_WARN },
	[FWD_DT_EFI_DISAGREE] = { "dt-efi-disagree", FWD_WARN },
	[FWD_UNKNOWN_TYPE] = { "unknown-type", FWD_WARN },
	[FWD_ALLOC_FAILED] = { "alloc-failed", FWD_ERROR },
	[FWD_MEMORY_CAPPED] = { "memory-capped", FWD_NOTE },
};

static const char *const format_names[] = {
	[FW_FMT_NONE] = "-",
	[FW_FMT_DT] = "dt",
	[FW_FMT_EFI] = "efi",
	[FW_FMT_E820] = "e820",
	[FW_FMT_KERNEL] = "kernel",
};

static const char *const target_names[] = {
	[FW_TO_NONE] = "dropped",
	[FW_TO_MEMORY] = "memory",
	[FW_TO_RESERVED] = "reserved",
	[FW_TO_NOMAP] = "nomap",
	[FW_TO_REMOVED] = "removed",
};

const char *fw_diag_name(enum fw_diag_id id)
{
	if (id <= 0 || id >= FWD_MAX || diag_info[id].name == NULL) {
		return "unknown";
	}
	return diag_info[id].name;
}

enum fw_diag_level fw_diag_level(enum fw_diag_id id)
{
	if (id <= 0 || id >= FWD_MAX) {
		return FWD_ERROR;
	}
	return diag_info[id].level;
}

void fw_diag(enum fw_diag_id id, const char *origin, phys_addr_t base,
	     phys_addr_t size, const char *fmt, ...)
{
	static const int levels[] = {
		[FWD_NOTE] = LOG_INFO,
		[FWD_WARN] = LOG_WARN,
		[FWD_ERROR] = LOG_ERR,
	};
	char msg[160];
	char range[48] = "";
	va_list ap;

	if (id > 0 && id < FWD_MAX) {
		fw_diags.count[id]++;
	}
	fw_diags.total++;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (size != 0) {
		/* Half-open: the end of a wrapping range still prints. */
		snprintf(range, sizeof(range), " [0x%llx-0x%llx)",
			 (unsigned long long)base,
			 (unsigned long long)(base + size));
	}
	printk(levels[fw_diag_level(id)], "fw: fw%03d %s: %s%s: %s\n", (int)id,
	       fw_diag_name(id), origin ? origin : "-", range, msg);
	if (fw_diag_hook != NULL) {
		fw_diag_hook(id, origin, base, size, msg);
	}
}

struct fw_record *fw_record(enum fw_format format, const char *origin,
			    uint32_t index, uint32_t type, phys_addr_t base,
			    phys_addr_t size)
{
	struct fw_record *r;

	if (fw_log.cnt >= FW_LOG_MAX) {
		if (fw_log.lost++ == 0) {
			fw_diag(FWD_TABLE_OVERFLOW, origin, base, size,
				"provenance log full at %d records; later "
				"ranges are used but not logged", FW_LOG_MAX);
		}
		return NULL;
	}
	r = &fw_log.rec[fw_log.cnt++];
	memset(r, 0, sizeof(*r));
	r->base = r->kept_base = base;
	r->size = r->kept_size = size;
	r->index = index;
	r->type = type;
	r->format = (uint16_t)format;
	r->target = FW_TO_NONE;
	r->fate = FW_KEPT;
	r->nid = NUMA_NO_NODE;
	if (origin != NULL) {
		size_t n = strnlen(origin, FW_ORIGIN_LEN - 1);

		memcpy(r->origin, origin, n);
		r->origin[n] = '\0';
	}
	return r;
}

void fw_record_done(struct fw_record *r, enum fw_target target,
		    phys_addr_t kept_base, phys_addr_t kept_size,
		    uint32_t flags, int nid, const char *why)
{
	if (r == NULL) {
		return;
	}
	r->target = (uint16_t)target;
	r->kept_base = kept_base;
	r->kept_size = kept_size;
	r->flags = (uint16_t)flags;
	r->nid = nid;
	r->why = why;
	r->fate = (kept_base == r->base && kept_size == r->size) ? FW_KEPT :
		  FW_CLIPPED;
}

void fw_record_drop(struct fw_record *r, const char *why)
{
	if (r == NULL) {
		return;
	}
	r->target = FW_TO_NONE;
	r->fate = FW_DROPPED;
	r->kept_size = 0;
	r->why = why;
}

const struct fw_record *fw_record_find(phys_addr_t addr)
{
	for (uint32_t i = fw_log.cnt; i-- > 0;) {
		const struct fw_record *r = &fw_log.rec[i];

		if (r->fate != FW_DROPPED && addr >= r->kept_base &&
		    addr - r->kept_base < r->kept_size) {
			return r;
		}
	}
	return NULL;
}

/* Bytes of [base, base + size) that memblock.memory covers. */
static phys_addr_t memory_overlap(phys_addr_t base, phys_addr_t size)
{
	phys_addr_t end = base + size, covered = 0;
	struct memblock_region *m;

	for_each_mem_region(m) {
		phys_addr_t lo = max(base, m->base);
		phys_addr_t hi = min(end, m->base + m->size);

		if (lo < hi) {
			covered += hi - lo;
		}
	}
	return covered;
}

void fw_lint(void)
{
	struct memblock_region *m;

	/*
	 * Per record, not per memblock region: memblock merges neighbours,
	 * and the kernel's own reservations of non-memory (x86's legacy
	 * hole) are deliberate, not the firmware's mistake.
	 */
	for (uint32_t i = 0; i < fw_log.cnt; i++) {
		const struct fw_record *r = &fw_log.rec[i];
		phys_addr_t covered;

		if (r->format == FW_FMT_KERNEL || r->fate == FW_DROPPED ||
		    (r->target != FW_TO_RESERVED && r->target != FW_TO_NOMAP) ||
		    r->kept_size == 0) {
			continue;
		}
		covered = memory_overlap(r->kept_base, r->kept_size);
		if (covered < r->kept_size) {
			fw_diag(FWD_RESERVED_OUTSIDE_MEMORY, r->origin,
				r->kept_base, r->kept_size,
				"%llu of %llu bytes lie outside memory",
				(unsigned long long)(r->kept_size - covered),
				(unsigned long long)r->kept_size);
		}
	}
	for_each_mem_region(m) {
		if (!IS_ALIGNED(m->base | m->size, PAGE_SIZE)) {
			const struct fw_record *rec = fw_record_find(m->base);

			fw_diag(FWD_UNALIGNED, rec ? rec->origin : NULL,
				m->base, m->size,
				"memory region edge not page-aligned");
		}
	}
}

/* " [first-last]" of a range, or " [base, empty]" for size 0. */
static void fmt_range(char *buf, size_t len, phys_addr_t base,
		      phys_addr_t size)
{
	if (size == 0) {
		snprintf(buf, len, " [0x%016llx, empty]",
			 (unsigned long long)base);
	} else {
		snprintf(buf, len, " [0x%016llx-0x%016llx]",
			 (unsigned long long)base,
			 (unsigned long long)(base + size - 1));
	}
}

void fw_log_dump(void)
{
	pr_info("fw: provenance, %u records%s\n", fw_log.cnt,
		fw_log.lost ? " (more were lost)" : "");
	for (uint32_t i = 0; i < fw_log.cnt; i++) {
		const struct fw_record *r = &fw_log.rec[i];
		const char *fmt = r->format < ARRAY_SIZE(format_names) ?
				  format_names[r->format] : "?";
		const char *tgt = r->target < ARRAY_SIZE(target_names) ?
				  target_names[r->target] : "?";
		char given[48], kept[48] = "";

		fmt_range(given, sizeof(given), r->base, r->size);
		/* A dropped range kept nothing: no second range. */
		if (r->fate != FW_DROPPED) {
			fmt_range(kept, sizeof(kept), r->kept_base,
				  r->kept_size);
		}
		pr_info(" fw[%u] %s %s#%u type %u%s -> %s%s%s%s\n", i, fmt,
			r->origin[0] ? r->origin : "-", r->index, r->type,
			given, tgt, kept, r->why ? ": " : "",
			r->why ? r->why : "");
	}
}

void fw_log_init(void)
{
	fw_log.cnt = 0;
	fw_log.lost = 0;
}

void fw_reset(void)
{
	memset(&fw_log, 0, sizeof(fw_log));
	memset(&fw_diags, 0, sizeof(fw_diags));
}
