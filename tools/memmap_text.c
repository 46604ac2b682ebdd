// SPDX-License-Identifier: BSD-2-Clause
/*
 * Text parsers of cairn-memmap: the e820 and EFI memory maps as Linux prints
 * them at boot, back into struct e820_entry and struct efi_memory_desc.
 * Pure functions over a bounded buffer (see memmap_text.h): no I/O, no
 * allocation, no reliance on NUL termination. They must never read past a
 * line, trust a number, or turn a malformed line into an entry: such lines
 * are reported and skipped. Written from the formats' description (Linux
 * arch/x86/kernel/e820.c e820__print_table(), drivers/firmware/efi/efi.c
 * efi_md_typeattr_format(), efi_print_memmap(), efi-init.c
 * reserve_regions()), not from their code.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cairn/compiler.h>
#include <cairn/e820.h>
#include <cairn/efi.h>

#include "memmap_text.h"

#define EFI_PAGE_MASK	((UINT64_C(1) << EFI_PAGE_SHIFT) - 1)

/* A cursor over one line: [p, end). */
struct cur {
	const char *p;
	const char *end;
};

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static void skip_blanks(struct cur *c)
{
	while (c->p < c->end && is_blank(*c->p)) {
		c->p++;
	}
}

/* Drop trailing blanks (and the '\r' of a CRLF file) from the line. */
static void trim_end(struct cur *c)
{
	while (c->end > c->p && (is_blank(c->end[-1]) || c->end[-1] == '\r')) {
		c->end--;
	}
}

/* Consume @s if the line continues with it. */
static bool eat(struct cur *c, const char *s)
{
	size_t n = strlen(s);

	if ((size_t)(c->end - c->p) < n || memcmp(c->p, s, n) != 0) {
		return false;
	}
	c->p += n;
	return true;
}

/* True if the rest of the line is exactly @s. */
static bool rest_is(const struct cur *c, const char *s)
{
	size_t n = strlen(s);

	return (size_t)(c->end - c->p) == n && memcmp(c->p, s, n) == 0;
}

static int hex_digit(char ch)
{
	if (ch >= '0' && ch <= '9') {
		return ch - '0';
	}
	if (ch >= 'a' && ch <= 'f') {
		return ch - 'a' + 10;
	}
	if (ch >= 'A' && ch <= 'F') {
		return ch - 'A' + 10;
	}
	return -1;
}

enum num_err {
	NUM_OK = 0,
	NUM_NONE,	/* no digits */
	NUM_OVERFLOW,	/* does not fit */
};

/* Hexadecimal digits ("0x" already consumed if any), at most 64 bits. */
static enum num_err parse_hex(struct cur *c, uint64_t *v)
{
	uint64_t x = 0;
	const char *start = c->p;
	int d;

	while (c->p < c->end && (d = hex_digit(*c->p)) >= 0) {
		if (x > (UINT64_MAX >> 4)) {
			return NUM_OVERFLOW;
		}
		x = (x << 4) | (uint64_t)d;
		c->p++;
	}
	if (c->p == start) {
		return NUM_NONE;
	}
	*v = x;
	return NUM_OK;
}

/* "0x" and hexadecimal digits. */
static enum num_err parse_0x(struct cur *c, uint64_t *v)
{
	if (!eat(c, "0x") && !eat(c, "0X")) {
		return NUM_NONE;
	}
	return parse_hex(c, v);
}

/* Decimal digits, at most @limit. */
static enum num_err parse_dec(struct cur *c, uint64_t limit, uint64_t *v)
{
	uint64_t x = 0;
	const char *start = c->p;

	while (c->p < c->end && *c->p >= '0' && *c->p <= '9') {
		uint64_t d = (uint64_t)(*c->p - '0');

		if (x > (limit - d) / 10) {
			return NUM_OVERFLOW;
		}
		x = x * 10 + d;
		c->p++;
	}
	if (c->p == start) {
		return NUM_NONE;
	}
	*v = x;
	return NUM_OK;
}

/* Offset of the first @needle in [p, p + len), or -1. */
static ptrdiff_t find(const char *p, size_t len, const char *needle)
{
	size_t n = strlen(needle);

	for (size_t i = 0; n <= len && i <= len - n; i++) {
		if (p[i] == needle[0] && memcmp(p + i, needle, n) == 0) {
			return (ptrdiff_t)i;
		}
	}
	return -1;
}

/*
 * Walk the lines of @text, calling @fn on each line of at most
 * MEMMAP_TEXT_LINE_MAX bytes (newline excluded). Longer lines are given to
 * @fn with long_line set, so that it can decide whether they mattered.
 */
struct walker {
	const char *text;
	size_t len;
	size_t pos;
	uint32_t line;
};

static bool next_line(struct walker *w, struct cur *c, bool *long_line)
{
	const char *nl;
	size_t rest;

	if (w->pos >= w->len) {
		return false;
	}
	rest = w->len - w->pos;
	c->p = w->text + w->pos;
	nl = memchr(c->p, '\n', rest);
	c->end = nl != NULL ? nl : c->p + rest;
	w->pos += (size_t)(c->end - c->p) + (nl != NULL ? 1 : 0);
	w->line++;
	*long_line = (size_t)(c->end - c->p) > MEMMAP_TEXT_LINE_MAX;
	return true;
}

struct sink {
	struct memmap_text_stats st;
	memmap_text_report_fn report;
	void *ctx;
};

static void refuse(struct sink *s, uint32_t line, const char *why)
{
	s->st.bad++;
	if (s->report != NULL) {
		s->report(s->ctx, line, why);
	}
}

#define WHY_TYPE_OVERFLOW	"type number does not fit in 32 bits"
#define WHY_FULL		"table full: entry not used"

/*
 * The end of one candidate line, the same for both parsers: refuse it
 * (@why set), count it as one too many, or say there is room to store it.
 */
static bool sink_accept(struct sink *s, uint32_t line, const char *why,
			uint32_t max)
{
	if (why != NULL) {
		refuse(s, line, why);
		return false;
	}
	if (s->st.entries >= max) {
		s->st.excess++;
		if (s->report != NULL) {
			s->report(s->ctx, line, WHY_FULL);
		}
		return false;
	}
	return true;
}

/* The end of a parse: the line count, the stats out, the entries kept. */
static uint32_t sink_finish(struct sink *s, const struct walker *w,
			    struct memmap_text_stats *st)
{
	s->st.lines = w->line;
	if (st != NULL) {
		*st = s->st;
	}
	return s->st.entries;
}

static const char *num_why(enum num_err e, const char *none)
{
	return e == NUM_OVERFLOW ? "number does not fit in 64 bits" : none;
}

/* ---- e820 ---- */

#define E820_MARKER	"BIOS-e820:"

static const struct {
	const char *name;
	uint32_t type;
} e820_names[] = {
	{ "usable", E820_TYPE_RAM },
	{ "reserved", E820_TYPE_RESERVED },
	{ "ACPI data", E820_TYPE_ACPI },
	{ "ACPI NVS", E820_TYPE_NVS },
	{ "unusable", E820_TYPE_UNUSABLE },
	{ "soft reserved", E820_TYPE_SOFT_RESERVED },
};

/* The type words at @c, up to the end of @c. NULL or why not. */
static const char *e820_type(struct cur *c, uint32_t *type)
{
	uint64_t v;
	enum num_err e;

	for (size_t i = 0; i < ARRAY_SIZE(e820_names); i++) {
		if (rest_is(c, e820_names[i].name)) {
			*type = e820_names[i].type;
			return NULL;
		}
	}
	if (eat(c, "persistent (type ")) {
		e = parse_dec(c, UINT32_MAX, &v);
		if (e != NUM_OK || !rest_is(c, ")")) {
			return e == NUM_OVERFLOW ? WHY_TYPE_OVERFLOW :
				"expected \"persistent (type N)\"";
		}
		*type = (uint32_t)v;
		return NULL;
	}
	if (eat(c, "type ")) {
		e = parse_dec(c, UINT32_MAX, &v);
		if (e != NUM_OK || c->p != c->end) {
			return e == NUM_OVERFLOW ? WHY_TYPE_OVERFLOW :
				"expected \"type N\"";
		}
		*type = (uint32_t)v;
		return NULL;
	}
	return "unknown e820 type name";
}

/* "[mem 0xSTART-0xEND] TYPE", END inclusive. */
static const char *e820_modern(struct cur *c, struct e820_entry *e)
{
	uint64_t start, end;
	enum num_err err;

	if (!eat(c, "[mem ")) {
		return "expected \"[mem 0xSTART-0xEND]\"";
	}
	err = parse_0x(c, &start);
	if (err != NUM_OK) {
		return num_why(err, "expected \"[mem 0xSTART-0xEND]\"");
	}
	if (!eat(c, "-")) {
		return "expected \"[mem 0xSTART-0xEND]\"";
	}
	err = parse_0x(c, &end);
	if (err != NUM_OK) {
		return num_why(err, "expected \"[mem 0xSTART-0xEND]\"");
	}
	if (!eat(c, "]")) {
		return "expected \"[mem 0xSTART-0xEND]\"";
	}
	if (end < start) {
		return "range end below its start";
	}
	if (start == 0 && end == UINT64_MAX) {
		return "range covers all 64 bits: size does not fit";
	}
	if (c->p == c->end || !is_blank(*c->p)) {
		return "expected a type after the range";
	}
	skip_blanks(c);
	e->addr = start;
	e->size = end - start + 1;
	return e820_type(c, &e->type);
}

/* Before Linux 3.7: "START - END (TYPE)" in bare hex, END exclusive. */
static const char *e820_legacy(struct cur *c, struct e820_entry *e)
{
	uint64_t start, end;
	enum num_err err;

	err = parse_hex(c, &start);
	if (err != NUM_OK) {
		return num_why(err, "expected \"[mem 0xSTART-0xEND]\"");
	}
	skip_blanks(c);
	if (!eat(c, "-")) {
		return "expected \"START - END\"";
	}
	skip_blanks(c);
	err = parse_hex(c, &end);
	if (err != NUM_OK) {
		return num_why(err, "expected \"START - END\"");
	}
	if (end < start) {
		return "range end below its start";
	}
	if (c->p == c->end || !is_blank(*c->p)) {
		return "expected a type after the range";
	}
	skip_blanks(c);
	e->addr = start;
	e->size = end - start;
	if (c->p < c->end && *c->p == '(') {
		if (c->end[-1] != ')') {
			return "expected \"(TYPE)\"";
		}
		c->p++;
		c->end--;
	}
	return e820_type(c, &e->type);
}

uint32_t memmap_text_e820(const char *text, size_t len,
			  struct e820_entry *out, uint32_t max,
			  struct memmap_text_stats *st,
			  memmap_text_report_fn report, void *ctx)
{
	struct sink s = { .report = report, .ctx = ctx };
	struct walker w = { .text = text, .len = text != NULL ? len : 0 };
	struct cur c;
	bool long_line;

	while (next_line(&w, &c, &long_line)) {
		struct e820_entry e = { 0 };
		ptrdiff_t at = find(c.p, (size_t)(c.end - c.p), E820_MARKER);
		const char *why;

		if (at < 0) {
			continue;
		}
		s.st.candidates++;
		if (long_line) {
			refuse(&s, w.line, "line longer than 512 bytes");
			continue;
		}
		c.p += at + (ptrdiff_t)strlen(E820_MARKER);
		trim_end(&c);
		skip_blanks(&c);
		e.index = s.st.candidates - 1;
		if (c.p < c.end && *c.p == '[') {
			why = e820_modern(&c, &e);
		} else {
			why = e820_legacy(&c, &e);
		}
		if (sink_accept(&s, w.line, why, max)) {
			out[s.st.entries++] = e;
		}
	}
	return sink_finish(&s, &w, st);
}

/* ---- EFI ---- */

#define EFI_MARKER	"efi:"

/*
 * Type names as Linux prints them: the current short names and the longer
 * ones of Linux 3.19 to 5.x. Anything else is "type=N".
 */
static const struct {
	const char *name;
	uint32_t type;
} efi_names[] = {
	{ "Reserved", EFI_RESERVED_MEMORY },
	{ "Loader Code", EFI_LOADER_CODE },
	{ "Loader Data", EFI_LOADER_DATA },
	{ "Boot Code", EFI_BOOT_SERVICES_CODE },
	{ "Boot Data", EFI_BOOT_SERVICES_DATA },
	{ "Runtime Code", EFI_RUNTIME_SERVICES_CODE },
	{ "Runtime Data", EFI_RUNTIME_SERVICES_DATA },
	{ "Conventional", EFI_CONVENTIONAL_MEMORY },
	{ "Conventional Memory", EFI_CONVENTIONAL_MEMORY },
	{ "Unusable", EFI_UNUSABLE_MEMORY },
	{ "Unusable Memory", EFI_UNUSABLE_MEMORY },
	{ "ACPI Reclaim", EFI_ACPI_RECLAIM_MEMORY },
	{ "ACPI Reclaim Memory", EFI_ACPI_RECLAIM_MEMORY },
	{ "ACPI Mem NVS", EFI_ACPI_MEMORY_NVS },
	{ "ACPI Memory NVS", EFI_ACPI_MEMORY_NVS },
	{ "MMIO", EFI_MEMORY_MAPPED_IO },
	{ "Memory Mapped I/O", EFI_MEMORY_MAPPED_IO },
	{ "MMIO Port", EFI_MEMORY_MAPPED_IO_PORT_SPACE },
	{ "MMIO Port Space", EFI_MEMORY_MAPPED_IO_PORT_SPACE },
	{ "PAL Code", EFI_PAL_CODE },
	{ "Persistent", EFI_PERSISTENT_MEMORY },
	{ "Persistent Memory", EFI_PERSISTENT_MEMORY },
	{ "Unaccepted", EFI_UNACCEPTED_MEMORY },
};

/* The attribute columns, by the word Linux prints for each bit. */
static const struct {
	const char *name;
	uint64_t bit;
} efi_attrs[] = {
	{ "RUN", EFI_MEMORY_RUNTIME },
	{ "HP", MEMMAP_EFI_MEMORY_HP },
	{ "MR", EFI_MEMORY_MORE_RELIABLE },
	{ "CC", EFI_MEMORY_CPU_CRYPTO },
	{ "SP", EFI_MEMORY_SP },
	{ "NV", EFI_MEMORY_NV },
	{ "XP", EFI_MEMORY_XP },
	{ "RP", EFI_MEMORY_RP },
	{ "WP", EFI_MEMORY_WP },
	{ "RO", EFI_MEMORY_RO },
	{ "UCE", EFI_MEMORY_UCE },
	{ "WB", EFI_MEMORY_WB },
	{ "WT", EFI_MEMORY_WT },
	{ "WC", EFI_MEMORY_WC },
	{ "UC", EFI_MEMORY_UC },
};

static bool span_is(const char *p, const char *end, const char *s)
{
	size_t n = strlen(s);

	return (size_t)(end - p) == n && memcmp(p, s, n) == 0;
}

/* The type field: a padded name or "type=N". */
static const char *efi_type(const char *p, const char *end, uint32_t *type)
{
	struct cur c = { p, end };
	uint64_t v;
	enum num_err e;

	trim_end(&c);
	if (eat(&c, "type=")) {
		e = parse_dec(&c, UINT32_MAX, &v);
		if (e != NUM_OK || c.p != c.end) {
			return e == NUM_OVERFLOW ? WHY_TYPE_OVERFLOW :
				"expected \"type=N\"";
		}
		*type = (uint32_t)v;
		return NULL;
	}
	for (size_t i = 0; i < ARRAY_SIZE(efi_names); i++) {
		if (span_is(c.p, c.end, efi_names[i].name)) {
			*type = efi_names[i].type;
			return NULL;
		}
	}
	return "unknown EFI memory type name";
}

/* The attribute fields after the type: "|RUN|  |...|UC" or "|attr=0x...". */
static const char *efi_attr(const char *p, const char *end, uint64_t *attr)
{
	struct cur c = { p, end };
	uint64_t a = 0;
	enum num_err e;

	if (eat(&c, "attr=")) {
		e = parse_0x(&c, &a);
		if (e != NUM_OK || c.p != c.end) {
			return num_why(e, "expected \"attr=0x...\"");
		}
		*attr = a;
		return NULL;
	}
	while (c.p <= c.end) {
		const char *bar = memchr(c.p, '|', (size_t)(c.end - c.p));
		struct cur f = { c.p, bar != NULL ? bar : c.end };
		size_t i;

		skip_blanks(&f);
		trim_end(&f);
		if (f.p < f.end) {
			for (i = 0; i < ARRAY_SIZE(efi_attrs); i++) {
				if (span_is(f.p, f.end, efi_attrs[i].name)) {
					break;
				}
			}
			if (i == ARRAY_SIZE(efi_attrs)) {
				return "unknown EFI attribute column";
			}
			a |= efi_attrs[i].bit;
		}
		if (bar == NULL) {
			break;
		}
		c.p = bar + 1;
	}
	*attr = a;
	return NULL;
}

/*
 * "TYPE|ATTRS" between the brackets (the closing one already cut off):
 * efi_md_typeattr_format() output.
 */
static const char *efi_typeattr(const char *p, const char *end,
				struct efi_memory_desc *d)
{
	const char *bar = memchr(p, '|', (size_t)(end - p));
	const char *why;

	if (bar == NULL) {
		return "expected \"[TYPE|ATTRIBUTES]\"";
	}
	why = efi_type(p, bar, &d->type);
	if (why != NULL) {
		return why;
	}
	return efi_attr(bar + 1, end, &d->attribute);
}

/* 0xSTART-0xEND (inclusive) as whole pages. */
static const char *efi_range(struct cur *c, struct efi_memory_desc *d)
{
	uint64_t start, end;
	enum num_err e;

	e = parse_0x(c, &start);
	if (e != NUM_OK) {
		return num_why(e, "expected \"0xSTART-0xEND\"");
	}
	if (!eat(c, "-")) {
		return "expected \"0xSTART-0xEND\"";
	}
	e = parse_0x(c, &end);
	if (e != NUM_OK) {
		return num_why(e, "expected \"0xSTART-0xEND\"");
	}
	if (end < start) {
		return "range end below its start";
	}
	/* Whole pages; [0, 2^64) is 2^52 pages, so count without adding 1. */
	if (((end - start) & EFI_PAGE_MASK) != EFI_PAGE_MASK) {
		return "range is not a whole number of 4 KiB pages";
	}
	d->phys_addr = start;
	d->num_pages = ((end - start) >> EFI_PAGE_SHIFT) + 1;
	return NULL;
}

/* x86: "memNN: [TYPE|ATTRS] range=[0xSTART-0xEND] (NMB)" after the marker. */
static const char *efi_x86(struct cur *c, struct efi_memory_desc *d)
{
	ptrdiff_t at;
	const char *ta, *ta_end, *why;
	uint64_t v;

	if (!eat(c, "mem") || parse_dec(c, UINT32_MAX, &v) != NUM_OK ||
	    !eat(c, ":")) {
		return "expected \"memNN:\"";
	}
	skip_blanks(c);
	if (!eat(c, "[")) {
		return "expected \"[TYPE|ATTRIBUTES]\"";
	}
	/*
	 * The attribute field ends at "] range=["; find that first, so that a
	 * field cut short by Linux's 64-byte buffer (a "type=N" of ten digits
	 * loses its ']') still reads.
	 */
	at = find(c->p, (size_t)(c->end - c->p), " range=[");
	if (at < 0) {
		return "expected \"range=[0xSTART-0xEND]\"";
	}
	ta = c->p;
	ta_end = c->p + at;
	if (ta_end > ta && ta_end[-1] == ']') {
		ta_end--;
	}
	why = efi_typeattr(ta, ta_end, d);
	if (why != NULL) {
		return why;
	}
	c->p += at + (ptrdiff_t)strlen(" range=[");
	why = efi_range(c, d);
	if (why != NULL) {
		return why;
	}
	if (!eat(c, "]")) {
		return "expected \"range=[0xSTART-0xEND]\"";
	}
	skip_blanks(c);
	/* "(NMB)" derives from the range: optional, only its form checked. */
	if (eat(c, "(")) {
		if (parse_dec(c, UINT64_MAX, &v) != NUM_OK || !eat(c, "MB)")) {
			return "expected \"(NMB)\"";
		}
		skip_blanks(c);
	}
	if (c->p != c->end) {
		return "unexpected text after the range";
	}
	return NULL;
}

/* arm64/riscv64 efi=debug: "0xSTART-0xEND [TYPE|ATTRS]" and maybe '*'. */
static const char *efi_dt(struct cur *c, struct efi_memory_desc *d)
{
	const char *why;

	why = efi_range(c, d);
	if (why != NULL) {
		return why;
	}
	if (c->p == c->end || !is_blank(*c->p)) {
		return "expected \"[TYPE|ATTRIBUTES]\" after the range";
	}
	skip_blanks(c);
	if (!eat(c, "[")) {
		return "expected \"[TYPE|ATTRIBUTES]\" after the range";
	}
	/* '*' marks what Linux reserved; not part of the descriptor. */
	if (c->end > c->p && c->end[-1] == '*') {
		c->end--;
		trim_end(c);
	}
	if (c->end > c->p && c->end[-1] == ']') {
		c->end--;
	}
	return efi_typeattr(c->p, c->end, d);
}

/*
 * Move @c to where an EFI map line starts after some "efi:" ("memNN:" or
 * "0x"); false if no "efi:" of the line is followed by one.
 */
static bool efi_candidate(struct cur *c)
{
	const char *p = c->p;

	for (;;) {
		ptrdiff_t at = find(p, (size_t)(c->end - p), EFI_MARKER);
		struct cur t;

		if (at < 0) {
			return false;
		}
		t.p = p + at + (ptrdiff_t)strlen(EFI_MARKER);
		t.end = c->end;
		skip_blanks(&t);
		if ((t.end - t.p >= 4 && memcmp(t.p, "mem", 3) == 0 &&
		     t.p[3] >= '0' && t.p[3] <= '9') ||
		    (t.end - t.p >= 2 && memcmp(t.p, "0x", 2) == 0)) {
			c->p = t.p;
			return true;
		}
		p = t.p;
	}
}

uint32_t memmap_text_efi(const char *text, size_t len,
			 struct efi_memory_desc *out, uint32_t max,
			 struct memmap_text_stats *st,
			 memmap_text_report_fn report, void *ctx)
{
	struct sink s = { .report = report, .ctx = ctx };
	struct walker w = { .text = text, .len = text != NULL ? len : 0 };
	struct cur c;
	bool long_line;

	while (next_line(&w, &c, &long_line)) {
		struct efi_memory_desc d = { 0 };
		const char *why;

		if (!efi_candidate(&c)) {
			continue;
		}
		s.st.candidates++;
		if (long_line) {
			refuse(&s, w.line, "line longer than 512 bytes");
			continue;
		}
		trim_end(&c);
		if (c.p < c.end && *c.p == 'm') {
			why = efi_x86(&c, &d);
		} else {
			why = efi_dt(&c, &d);
		}
		if (sink_accept(&s, w.line, why, max)) {
			out[s.st.entries++] = d;
		}
	}
	return sink_finish(&s, &w, st);
}

bool memmap_is_text(const void *buf, size_t len)
{
	size_t n = len < 4096 ? len : 4096;

	return len != 0 && memchr(buf, '\0', n) == NULL;
}
