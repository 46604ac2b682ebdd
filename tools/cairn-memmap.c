// SPDX-License-Identifier: BSD-2-Clause
/*
 * cairn-memmap: run Cairn's firmware converters on files and show what the
 * kernel would make of them. Inputs are a device tree blob, an e820 table
 * and a UEFI memory map, each either binary or (e820, EFI) the text Linux
 * prints at boot; tools/memmap_text.c reads the text. The converters are
 * the kernel's own (drivers/firmware/), run in the order detect_memory()
 * runs them, then fw_lint(). Output: the kernel log (diagnostics as they
 * happen, the memblock dump, the provenance log), or one JSON document.
 *
 * This file is the command line, file I/O and output only: it must not
 * interpret firmware data itself (that is the converters' job) nor change
 * what they print. Exit status: 0, 2 if an input was refused, 64 on a
 * usage error. docs/firmware.md ("cairn-memmap") documents it.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairn/console.h>
#include <cairn/e820.h>
#include <cairn/efi.h>
#include <cairn/fdt.h>
#include <cairn/fwmap.h>
#include <cairn/log.h>
#include <cairn/memblock.h>

#include "memmap_text.h"

#define EXIT_REFUSED	2
#define EXIT_USAGE	64

/* Largest input file read; a boot log or a table is far smaller. */
#define INPUT_MAX	(64u << 20)

/* Most descriptors read from text (a large server map has a few hundred). */
#define EFI_TEXT_MAX	4096

/* Bad text lines printed per input, and kept for --json. */
#define BAD_PRINT_MAX	20
#define BAD_KEEP_MAX	1000

/* PVH hvm_memmap_table_entry and boot_params e820_entry sizes. */
#define E820_PVH_SIZE		24
#define E820_BOOT_PARAMS_SIZE	20

enum input_kind { IN_DTB, IN_E820, IN_EFI, IN_MAX };

static const char *const kind_option[IN_MAX] = {
	[IN_DTB] = "--dtb",
	[IN_E820] = "--e820",
	[IN_EFI] = "--efi-memmap",
};

static const char *const kind_name[IN_MAX] = {
	[IN_DTB] = "dtb",
	[IN_E820] = "e820",
	[IN_EFI] = "efi-memmap",
};

struct bad_line {
	uint32_t line;
	const char *why;
};

struct input {
	const char *path;	/* NULL: not given */
	uint8_t *buf;
	size_t len;
	bool text;
	bool refused;		/* refused by the tool or a converter */
	bool scanned;		/* a converter ran on it */
	int result;		/* what the last converter returned */
	struct memmap_text_stats st;
	struct bad_line *bad;
	uint32_t nbad;
};

struct diag {
	enum fw_diag_id id;
	char *origin;		/* NULL: none */
	phys_addr_t base;
	phys_addr_t size;
	char *msg;
};

static struct {
	struct input in[IN_MAX];
	enum boot_e820_format e820_format;
	uint32_t desc_size;
	uint32_t desc_version;
	bool json;
	const char *steps[8];	/* converters run, in order */
	uint32_t nsteps;
	/* --json: the kernel log and the diagnostics, captured. */
	char *log;
	size_t log_len, log_cap;
	struct diag *diags;
	uint32_t ndiags, diags_cap;
} tool = {
	.e820_format = BOOT_E820_PVH,
	.desc_size = sizeof(struct efi_memory_desc),
	.desc_version = EFI_MEMORY_DESCRIPTOR_VERSION,
};

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n);
	if (p == NULL) {
		fprintf(stderr, "cairn-memmap: out of memory\n");
		exit(EXIT_FAILURE);
	}
	return p;
}

static char *xstrndup(const char *s, size_t max)
{
	size_t n = strnlen(s, max);
	char *d = xrealloc(NULL, n + 1);

	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

/* ---- Output of the kernel log ---- */

/*
 * The console's putc. console_write() turns "\n" into "\r\n" for serial
 * lines; a host stream wants "\n", so the '\r' is dropped. Other control
 * bytes, which only a hostile input can smuggle into the log (a DT node
 * name), are shown as '?' rather than sent to a terminal.
 */
static void con_putc(const struct console *con, char c)
{
	(void)con;
	if (c == '\r') {
		return;
	}
	if (((unsigned char)c < 0x20 && c != '\n' && c != '\t') || c == 0x7f) {
		c = '?';
	}
	if (!tool.json) {
		putchar(c);
		return;
	}
	if (tool.log_len + 1 > tool.log_cap) {
		tool.log_cap = tool.log_cap ? tool.log_cap * 2 : 4096;
		tool.log = xrealloc(tool.log, tool.log_cap);
	}
	tool.log[tool.log_len++] = c;
}

static const struct console stdout_console = {
	.name = "cairn-memmap",
	.putc = con_putc,
};

/* fw_diag_hook: keep every diagnostic for --json. */
static void collect_diag(enum fw_diag_id id, const char *origin,
			 phys_addr_t base, phys_addr_t size, const char *msg)
{
	struct diag *d;

	if (tool.ndiags == tool.diags_cap) {
		tool.diags_cap = tool.diags_cap ? tool.diags_cap * 2 : 64;
		tool.diags = xrealloc(tool.diags,
				      tool.diags_cap * sizeof(*tool.diags));
	}
	d = &tool.diags[tool.ndiags++];
	d->id = id;
	d->origin = origin != NULL ? xstrndup(origin, 256) : NULL;
	d->base = base;
	d->size = size;
	d->msg = xstrndup(msg, 256);
}

/* A line of the tool's own, in text mode only (--json says it in JSON). */
__attribute__((format(printf, 1, 2)))
static void say(const char *fmt, ...)
{
	va_list ap;

	if (tool.json) {
		return;
	}
	fputs("cairn-memmap: ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* ---- Command line ---- */

static void usage(FILE *f)
{
	fprintf(f,
		"usage: cairn-memmap [--json] INPUT...\n"
		"inputs (each at most once; --e820 goes alone, --dtb may join --efi-memmap):\n"
		"  --dtb FILE             flattened device tree blob\n"
		"  --e820 FILE            e820 table: binary, or Linux \"BIOS-e820:\" lines\n"
		"  --e820-format FMT      binary entry layout: pvh (24 bytes, default)\n"
		"                         or bootparams (20 bytes)\n"
		"  --efi-memmap FILE      UEFI memory map: binary, or Linux \"efi: memNN:\"\n"
		"                         / \"efi:   0x...-0x... [...]\" lines\n"
		"  --desc-size N          binary map: bytes per descriptor (default 40)\n"
		"  --desc-version N       binary map: descriptor version (default 1)\n"
		"  --json                 print one JSON document instead of the log\n"
		"A file with a NUL byte in its first 4 KiB is binary, else text.\n"
		"Exit status: 0; 2 if an input was refused; 64 on a usage error.\n");
}

static __attribute__((noreturn, format(printf, 1, 2)))
void usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("cairn-memmap: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\n", stderr);
	usage(stderr);
	exit(EXIT_USAGE);
}

/* A u32 option value: decimal or 0x-hexadecimal, nothing else. */
static uint32_t parse_u32(const char *opt, const char *s)
{
	unsigned long long v;
	char *end;

	if (s[0] < '0' || s[0] > '9') {
		usage_error("%s: '%s' is not a number", opt, s);
	}
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno != 0 || *end != '\0' || v > UINT32_MAX) {
		usage_error("%s: '%s' is not a 32-bit number", opt, s);
	}
	return (uint32_t)v;
}

static void set_input(enum input_kind k, const char *path)
{
	if (tool.in[k].path != NULL) {
		usage_error("%s given twice", kind_option[k]);
	}
	tool.in[k].path = path;
}

static void parse_args(int argc, char **argv)
{
	enum { O_DTB = 256, O_E820, O_E820_FMT, O_EFI, O_DSIZE, O_DVER };
	static const struct option opts[] = {
		{ "dtb", required_argument, NULL, O_DTB },
		{ "e820", required_argument, NULL, O_E820 },
		{ "e820-format", required_argument, NULL, O_E820_FMT },
		{ "efi-memmap", required_argument, NULL, O_EFI },
		{ "desc-size", required_argument, NULL, O_DSIZE },
		{ "desc-version", required_argument, NULL, O_DVER },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool fmt_given = false, dsize_given = false, dver_given = false;
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case O_DTB:
			set_input(IN_DTB, optarg);
			break;
		case O_E820:
			set_input(IN_E820, optarg);
			break;
		case O_EFI:
			set_input(IN_EFI, optarg);
			break;
		case O_E820_FMT:
			if (strcmp(optarg, "pvh") == 0) {
				tool.e820_format = BOOT_E820_PVH;
			} else if (strcmp(optarg, "bootparams") == 0) {
				tool.e820_format = BOOT_E820_BOOT_PARAMS;
			} else {
				usage_error("--e820-format: '%s' is not pvh or "
					    "bootparams", optarg);
			}
			fmt_given = true;
			break;
		case O_DSIZE:
			tool.desc_size = parse_u32("--desc-size", optarg);
			dsize_given = true;
			break;
		case O_DVER:
			tool.desc_version = parse_u32("--desc-version", optarg);
			dver_given = true;
			break;
		case 'j':
			tool.json = true;
			break;
		case 'h':
			usage(stdout);
			exit(EXIT_SUCCESS);
		default:
			usage_error("unknown or incomplete option '%s'",
				    argv[optind - 1]);
		}
	}
	if (optind < argc) {
		usage_error("unexpected argument '%s'", argv[optind]);
	}
	if (tool.in[IN_DTB].path == NULL && tool.in[IN_E820].path == NULL &&
	    tool.in[IN_EFI].path == NULL) {
		usage_error("no input: give --dtb, --e820 or --efi-memmap");
	}
	if (tool.in[IN_E820].path != NULL && tool.in[IN_EFI].path != NULL) {
		usage_error("--e820 and --efi-memmap both describe memory: "
			    "give one");
	}
	if (tool.in[IN_E820].path != NULL && tool.in[IN_DTB].path != NULL) {
		usage_error("--e820 with --dtb: detect_memory() reads the "
			    "device tree and ignores an e820 table; give one");
	}
	if (fmt_given && tool.in[IN_E820].path == NULL) {
		usage_error("--e820-format without --e820");
	}
	if ((dsize_given || dver_given) && tool.in[IN_EFI].path == NULL) {
		usage_error("--desc-size/--desc-version without --efi-memmap");
	}
}

/* ---- Inputs ---- */

/* Read all of @in->path; false (with a message) if it cannot be read. */
static bool read_input(struct input *in)
{
	FILE *f = fopen(in->path, "rb");
	size_t cap = 0;

	if (f == NULL) {
		fprintf(stderr, "cairn-memmap: %s: %s\n", in->path,
			strerror(errno));
		return false;
	}
	for (;;) {
		size_t n;

		if (in->len == cap) {
			cap = cap ? cap * 2 : 65536;
			in->buf = xrealloc(in->buf, cap);
		}
		n = fread(in->buf + in->len, 1, cap - in->len, f);
		in->len += n;
		if (n == 0 || in->len > INPUT_MAX) {
			break;
		}
	}
	if (ferror(f)) {
		fprintf(stderr, "cairn-memmap: %s: read error\n", in->path);
		fclose(f);
		return false;
	}
	fclose(f);
	return true;
}

/* Refuse @in whole: one FWD_BAD_TABLE diagnostic naming the file. */
__attribute__((format(printf, 2, 3)))
static void refuse(struct input *in, const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	in->refused = true;
	fw_diag(FWD_BAD_TABLE, in->path, 0, 0, "%s", msg);
}

/* Size checks shared by every input; false if @in was refused. */
static bool input_usable(struct input *in)
{
	if (in->len == 0) {
		refuse(in, "empty file");
		return false;
	}
	if (in->len > INPUT_MAX) {
		refuse(in, "larger than %u MiB", INPUT_MAX >> 20);
		return false;
	}
	return true;
}

/* memmap_text report callback: one refused line of a text input. */
static void bad_line(void *ctx, uint32_t line, const char *why)
{
	struct input *in = ctx;

	if (in->nbad < BAD_PRINT_MAX) {
		say("%s:%u: line skipped: %s", in->path, line, why);
	} else if (in->nbad == BAD_PRINT_MAX) {
		say("%s: more lines skipped, not shown", in->path);
	}
	if (in->nbad < BAD_KEEP_MAX) {
		in->bad = xrealloc(in->bad, (in->nbad + 1) * sizeof(*in->bad));
		in->bad[in->nbad] = (struct bad_line){ line, why };
	}
	in->nbad++;
}

static void step(const char *name)
{
	if (tool.nsteps < sizeof(tool.steps) / sizeof(tool.steps[0])) {
		tool.steps[tool.nsteps++] = name;
	}
}

/* Note what a converter returned; a negative value refuses the input. */
static void converter_done(struct input *in, const char *name, int ret)
{
	step(name);
	in->scanned = true;
	in->result = ret;
	if (ret < 0) {
		in->refused = true;
		say("%s() returned %d for %s", name, ret, in->path);
	}
}

static void run_e820(struct input *in)
{
	uint32_t esize = tool.e820_format == BOOT_E820_BOOT_PARAMS ?
			 E820_BOOT_PARAMS_SIZE : E820_PVH_SIZE;

	if (!input_usable(in)) {
		return;
	}
	in->text = memmap_is_text(in->buf, in->len);
	if (in->text) {
		static struct e820_entry map[E820_MAX_ENTRIES];
		uint32_t n;

		n = memmap_text_e820((const char *)in->buf, in->len, map,
				     E820_MAX_ENTRIES, &in->st, bad_line, in);
		say("e820 from %s: text, %u entries from %u BIOS-e820 lines "
		    "(%u lines read)", in->path, n, in->st.candidates,
		    in->st.lines);
		if (n == 0) {
			refuse(in, "no usable BIOS-e820 line in %u lines",
			       in->st.lines);
			return;
		}
		converter_done(in, "e820_scan_entries",
			       e820_scan_entries(map, n));
		return;
	}
	say("e820 from %s: binary, %zu bytes of %u-byte entries (%s)",
	    in->path, in->len, esize,
	    esize == E820_PVH_SIZE ? "pvh" : "bootparams");
	if (in->len % esize != 0) {
		refuse(in, "%zu bytes is not a whole number of %u-byte "
		       "entries (see --e820-format)", in->len, esize);
		return;
	}
	converter_done(in, "e820_scan",
		       e820_scan(in->buf, (uint32_t)(in->len / esize),
				 tool.e820_format));
}

static void run_efi(struct input *in)
{
	if (!input_usable(in)) {
		return;
	}
	in->text = memmap_is_text(in->buf, in->len);
	if (in->text) {
		static struct efi_memory_desc map[EFI_TEXT_MAX];
		uint32_t n;

		n = memmap_text_efi((const char *)in->buf, in->len, map,
				    EFI_TEXT_MAX, &in->st, bad_line, in);
		say("efi-memmap from %s: text, %u descriptors from %u efi: "
		    "lines (%u lines read)", in->path, n, in->st.candidates,
		    in->st.lines);
		if (n == 0) {
			refuse(in, "no usable EFI memory map line in %u lines",
			       in->st.lines);
			return;
		}
		converter_done(in, "efi_memmap_scan",
			       efi_memmap_scan(map,
					       (uint64_t)n * sizeof(map[0]),
					       sizeof(map[0]),
					       EFI_MEMORY_DESCRIPTOR_VERSION));
		return;
	}
	say("efi-memmap from %s: binary, %zu bytes, desc_size %u, "
	    "desc_version %u", in->path, in->len, tool.desc_size,
	    tool.desc_version);
	converter_done(in, "efi_memmap_scan",
		       efi_memmap_scan(in->buf, in->len, tool.desc_size,
				       tool.desc_version));
}

/*
 * The device tree is checked before anything else, as start_kernel()
 * does; false if it was refused.
 */
static bool check_dtb(struct input *in)
{
	const char *why;

	if (!input_usable(in)) {
		return false;
	}
	why = fdt_blob_check(in->buf, in->len);
	say("dtb from %s: %zu bytes%s%s", in->path, in->len,
	    why ? ", refused: " : "", why ? why : "");
	if (why != NULL) {
		refuse(in, "device tree refused: %s", why);
		return false;
	}
	return true;
}

/*
 * A checked device tree: alone it describes memory; after a UEFI map it
 * adds its reservations and is compared with the map (detect_memory()).
 */
static void run_dtb(struct input *in, bool after_efi)
{
	if (!after_efi) {
		converter_done(in, "fdt_scan_memory", fdt_scan_memory(in->buf));
		return;
	}
	converter_done(in, "fdt_scan_reservations",
		       fdt_scan_reservations(in->buf));
	step("fdt_compare_memory");
	(void)fdt_compare_memory(in->buf);
}

static bool any_refused(void)
{
	if (fw_diags.count[FWD_BAD_TABLE] != 0) {
		return true;
	}
	for (int k = 0; k < IN_MAX; k++) {
		if (tool.in[k].refused) {
			return true;
		}
	}
	return false;
}

/* ---- Text output ---- */

static void print_summary(void)
{
	char line[1024] = "";
	size_t n = 0;

	for (int id = 1; id < FWD_MAX; id++) {
		if (fw_diags.count[id] == 0) {
			continue;
		}
		n += (size_t)snprintf(line + n, sizeof(line) - n,
				      "%sfw%03d %s %u", n ? ", " : "", id,
				      fw_diag_name((enum fw_diag_id)id),
				      fw_diags.count[id]);
		if (n >= sizeof(line)) {
			break;
		}
	}
	if (fw_diags.total == 0) {
		say("diagnostics: none");
	} else {
		say("diagnostics: %u (%s)", fw_diags.total, line);
	}
}

/* ---- JSON output ---- */

static void json_str(const char *s)
{
	putchar('"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\') {
			printf("\\%c", *p);
		} else if (*p == '\n') {
			fputs("\\n", stdout);
		} else if (*p == '\t') {
			fputs("\\t", stdout);
		} else if (*p < 0x20 || *p >= 0x7f) {
			/* Bytes, not UTF-8: each is itself (Latin-1). */
			printf("\\u%04x", *p);
		} else {
			putchar(*p);
		}
	}
	putchar('"');
}

static void json_str_or_null(const char *s)
{
	if (s == NULL) {
		fputs("null", stdout);
	} else {
		json_str(s);
	}
}

static void json_hex(uint64_t v)
{
	printf("\"0x%016llx\"", (unsigned long long)v);
}

static void json_flags(uint32_t flags)
{
	static const struct {
		uint32_t flag;
		const char *name;
	} names[] = {
		{ MEMBLOCK_HOTPLUG, "HOTPLUG" },
		{ MEMBLOCK_MIRROR, "MIRROR" },
		{ MEMBLOCK_NOMAP, "NOMAP" },
		{ MEMBLOCK_DRIVER_MANAGED, "DRIVER_MANAGED" },
		{ MEMBLOCK_RSRV_NOINIT, "RSRV_NOINIT" },
	};
	bool first = true;

	putchar('[');
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (flags & names[i].flag) {
			printf("%s\"%s\"", first ? "" : ", ", names[i].name);
			first = false;
			flags &= ~names[i].flag;
		}
	}
	if (flags != 0) {
		printf("%s\"0x%x\"", first ? "" : ", ", flags);
	}
	putchar(']');
}

static void json_regions(const char *name, const struct memblock_type *type)
{
	printf("  \"%s\": [", name);
	for (unsigned long i = 0; i < type->cnt; i++) {
		const struct memblock_region *r = &type->regions[i];
		int nid = memblock_get_region_node(r);

		printf("%s\n    {\"base\": ", i ? "," : "");
		json_hex(r->base);
		fputs(", \"size\": ", stdout);
		json_hex(r->size);
		fputs(", \"flags\": ", stdout);
		json_flags(r->flags);
		if (nid == MAX_NUMNODES || nid == NUMA_NO_NODE) {
			fputs(", \"nid\": null}", stdout);
		} else {
			printf(", \"nid\": %d}", nid);
		}
	}
	printf("%s],\n", type->cnt ? "\n  " : "");
}

static void json_inputs(void)
{
	bool first = true;

	fputs("  \"inputs\": [", stdout);
	for (int k = 0; k < IN_MAX; k++) {
		const struct input *in = &tool.in[k];

		if (in->path == NULL) {
			continue;
		}
		printf("%s\n    {\"kind\": \"%s\", \"path\": ",
		       first ? "" : ",", kind_name[k]);
		first = false;
		json_str(in->path);
		printf(", \"bytes\": %zu, \"encoding\": \"%s\", "
		       "\"refused\": %s, ", in->len,
		       k == IN_DTB ? "binary" : in->text ? "text" : "binary",
		       in->refused ? "true" : "false");
		if (in->scanned) {
			printf("\"result\": %d", in->result);
		} else {
			fputs("\"result\": null", stdout);
		}
		if (in->text) {
			printf(", \"lines\": %u, \"map_lines\": %u, "
			       "\"entries\": %u, \"excess\": %u, "
			       "\"bad_lines\": [", in->st.lines,
			       in->st.candidates, in->st.entries,
			       in->st.excess);
			for (uint32_t i = 0; i < in->nbad && i < BAD_KEEP_MAX;
			     i++) {
				printf("%s{\"line\": %u, \"why\": ",
				       i ? ", " : "", in->bad[i].line);
				json_str(in->bad[i].why);
				putchar('}');
			}
			printf("], \"bad_line_count\": %u", in->nbad);
		}
		putchar('}');
	}
	fputs("\n  ],\n", stdout);
}

static void json_provenance(void)
{
	static const char *const formats[] = { "-", "dt", "efi", "e820",
					       "kernel" };
	static const char *const targets[] = { "dropped", "memory",
					       "reserved", "nomap",
					       "removed" };
	static const char *const fates[] = { "kept", "clipped", "dropped" };

	fputs("  \"provenance\": [", stdout);
	for (uint32_t i = 0; i < fw_log.cnt; i++) {
		const struct fw_record *r = &fw_log.rec[i];

		printf("%s\n    {\"format\": \"%s\", \"origin\": ",
		       i ? "," : "",
		       r->format < 5 ? formats[r->format] : "?");
		json_str(r->origin);
		printf(", \"index\": %u, \"type\": %u, \"base\": ", r->index,
		       r->type);
		json_hex(r->base);
		fputs(", \"size\": ", stdout);
		json_hex(r->size);
		printf(", \"target\": \"%s\", \"fate\": \"%s\", "
		       "\"kept_base\": ",
		       r->target < 5 ? targets[r->target] : "?",
		       r->fate < 3 ? fates[r->fate] : "?");
		json_hex(r->kept_base);
		fputs(", \"kept_size\": ", stdout);
		json_hex(r->kept_size);
		fputs(", \"flags\": ", stdout);
		json_flags(r->flags);
		if (r->nid == NUMA_NO_NODE || r->nid == MAX_NUMNODES) {
			fputs(", \"nid\": null", stdout);
		} else {
			printf(", \"nid\": %d", (int)r->nid);
		}
		fputs(", \"why\": ", stdout);
		json_str_or_null(r->why);
		putchar('}');
	}
	printf("%s],\n  \"provenance_lost\": %u,\n", fw_log.cnt ? "\n  " : "",
	       fw_log.lost);
}

static void json_diagnostics(void)
{
	static const char *const levels[] = { "note", "warning", "error" };
	bool first = true;

	fputs("  \"diagnostics\": [", stdout);
	for (uint32_t i = 0; i < tool.ndiags; i++) {
		const struct diag *d = &tool.diags[i];
		enum fw_diag_level lvl = fw_diag_level(d->id);

		printf("%s\n    {\"id\": \"fw%03d\", \"name\": \"%s\", "
		       "\"level\": \"%s\", \"origin\": ", i ? "," : "",
		       (int)d->id, fw_diag_name(d->id),
		       lvl <= FWD_ERROR ? levels[lvl] : "?");
		json_str_or_null(d->origin);
		fputs(", \"range\": ", stdout);
		if (d->size == 0) {
			fputs("null", stdout);
		} else {
			fputs("{\"base\": ", stdout);
			json_hex(d->base);
			fputs(", \"size\": ", stdout);
			json_hex(d->size);
			putchar('}');
		}
		fputs(", \"message\": ", stdout);
		json_str(d->msg);
		putchar('}');
	}
	printf("%s],\n  \"summary\": {\"total\": %u, \"by_id\": {",
	       tool.ndiags ? "\n  " : "", fw_diags.total);
	for (int id = 1; id < FWD_MAX; id++) {
		if (fw_diags.count[id] != 0) {
			printf("%s\"fw%03d\": %u", first ? "" : ", ", id,
			       fw_diags.count[id]);
			first = false;
		}
	}
	fputs("}},\n", stdout);
}

static void json_log(void)
{
	size_t start = 0;
	bool first = true;

	fputs("  \"log\": [", stdout);
	for (size_t i = 0; i < tool.log_len; i++) {
		if (tool.log[i] != '\n') {
			continue;
		}
		tool.log[i] = '\0';
		printf("%s\n    ", first ? "" : ",");
		json_str(tool.log + start);
		first = false;
		start = i + 1;
	}
	if (start < tool.log_len) {
		/* A last line without newline (none expected). */
		tool.log = xrealloc(tool.log, tool.log_len + 1);
		tool.log[tool.log_len] = '\0';
		printf("%s\n    ", first ? "" : ",");
		json_str(tool.log + start);
		first = false;
	}
	printf("%s]\n", first ? "" : "\n  ");
}

static void print_json(bool refused)
{
	printf("{\n  \"tool\": \"cairn-memmap\",\n  \"status\": \"%s\",\n",
	       refused ? "refused" : "ok");
	json_inputs();
	fputs("  \"converters\": [", stdout);
	for (uint32_t i = 0; i < tool.nsteps; i++) {
		printf("%s\"%s\"", i ? ", " : "", tool.steps[i]);
	}
	fputs("],\n", stdout);
	printf("  \"memory_size\": ");
	json_hex(memblock.memory.total_size);
	printf(",\n  \"reserved_size\": ");
	json_hex(memblock.reserved.total_size);
	fputs(",\n", stdout);
	json_regions("memory", &memblock.memory);
	json_regions("reserved", &memblock.reserved);
	json_provenance();
	json_diagnostics();
	json_log();
	fputs("}\n", stdout);
}

int main(int argc, char **argv)
{
	struct input *dtb = &tool.in[IN_DTB];
	struct input *e820 = &tool.in[IN_E820];
	struct input *efi = &tool.in[IN_EFI];
	bool dtb_ok = false, refused;

	parse_args(argc, argv);
	for (int k = 0; k < IN_MAX; k++) {
		if (tool.in[k].path != NULL && !read_input(&tool.in[k])) {
			return EXIT_REFUSED;
		}
	}

	memblock_reset();
	fw_reset();
	fw_diag_hook = collect_diag;
	console_register(&stdout_console);

	/*
	 * detect_memory()'s choice and order: the UEFI map, then the device
	 * tree's reservations if the map was accepted; else the device tree
	 * alone; else the e820 table.
	 */
	if (dtb->path != NULL) {
		dtb_ok = check_dtb(dtb);
	}
	if (efi->path != NULL) {
		run_efi(efi);
		if (dtb_ok && efi->scanned && efi->result == 0) {
			run_dtb(dtb, true);
		} else if (dtb_ok) {
			say("%s not read: the UEFI map was refused, and "
			    "detect_memory() then reads no device tree",
			    dtb->path);
		}
	} else if (dtb_ok) {
		run_dtb(dtb, false);
	} else if (e820->path != NULL) {
		run_e820(e820);
	}
	step("fw_lint");
	fw_lint();

	refused = any_refused();
	if (tool.json) {
		print_json(refused);
	} else {
		__memblock_dump_all();
		fw_log_dump();
		print_summary();
		if (refused) {
			say("an input was refused: exit status %d",
			    EXIT_REFUSED);
		}
	}
	fflush(stdout);
	return refused ? EXIT_REFUSED : EXIT_SUCCESS;
}
