// SPDX-License-Identifier: BSD-2-Clause
/*
 * fdt_expect: run fdt_scan_memory() on one DTB and check the resulting
 * memblock against expectations given on the command line, printing TAP.
 * The board tests (dts/boards/) and the QEMU-generated DTBs
 * (tests/host/qemu_dtb.py) use it, each configuration one meson test.
 *
 *   fdt_expect FILE.dtb EXPECT...
 *
 *   memory=BASE+SIZE[@NID|@none][:nomap][:hotplug]
 *			the memblock.memory regions, all of them, in order
 *   reserved=BASE+SIZE	the memblock.reserved regions, all, in order
 *   reserved=none	no reservation at all
 *   hole=BASE+SIZE	no memory anywhere in the range
 *   diag=NAME:COUNT	that many diagnostics of that name (fw_diag_name())
 *   warnings=N		that many diagnostics at warn or error level
 *   stdout=COMPAT@BASE[/shift=N][/width=N]
 *			/chosen/stdout-path (alias and :options resolved)
 *			leads to a node with that compatible at that CPU
 *			address, reg-shift and reg-io-width
 *   ret=N		what fdt_scan_memory() returns (default 0)
 *   dma-limit=ADDR|none
 *			fdt_dma_max_cpu_address(): the highest CPU address
 *			every DMA master reaches (inclusive), or no limit
 *
 * Missing or unreadable input fails ("Bail out!"): nothing is skipped.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairn/console.h>
#include <cairn/fdt.h>
#include <cairn/fwmap.h>
#include <cairn/memblock.h>
#include "tap_console.h"

#define MAX_EXPECT	32

static int tests, failed;

static void ok(int cond, const char *what)
{
	tests++;
	failed += !cond;
	printf("%s %d - %s\n", cond ? "ok" : "not ok", tests, what);
}


struct want_region {
	phys_addr_t base, size;
	int nid;		/* -2: not checked */
	uint32_t flags;
};

/* "BASE+SIZE[@NID|@none][:nomap][:hotplug]"; false if malformed. */
static int parse_region(const char *s, struct want_region *w)
{
	char *end;

	w->base = strtoull(s, &end, 0);
	if (*end != '+') {
		return 0;
	}
	w->size = strtoull(end + 1, &end, 0);
	w->nid = -2;
	w->flags = 0;
	if (*end == '@') {
		if (strncmp(end + 1, "none", 4) == 0) {
			w->nid = MAX_NUMNODES;
			end += 5;
		} else {
			w->nid = (int)strtol(end + 1, &end, 0);
		}
	}
	while (*end == ':') {
		if (strncmp(end, ":nomap", 6) == 0) {
			w->flags |= MEMBLOCK_NOMAP;
			end += 6;
		} else if (strncmp(end, ":hotplug", 8) == 0) {
			w->flags |= MEMBLOCK_HOTPLUG;
			end += 8;
		} else {
			return 0;
		}
	}
	return *end == '\0';
}

static void dump_type(const struct memblock_type *t)
{
	for (unsigned long i = 0; i < t->cnt; i++) {
		const struct memblock_region *r = &t->regions[i];

		printf("# %s[%lu] [0x%llx +0x%llx] nid %d flags %#x\n", t->name,
		       i, (unsigned long long)r->base,
		       (unsigned long long)r->size, r->nid,
		       (unsigned int)r->flags);
	}
}

static void check_type(const struct memblock_type *t,
		       const struct want_region *w, int n)
{
	char what[96];
	int match = (int)t->cnt == n;

	for (int i = 0; match && i < n; i++) {
		const struct memblock_region *r = &t->regions[i];

		match = r->base == w[i].base && r->size == w[i].size &&
			(w[i].nid == -2 || r->nid == w[i].nid) &&
			(t == &memblock.reserved || r->flags == w[i].flags);
	}
	snprintf(what, sizeof(what), "memblock.%s is the %d expected regions",
		 t->name, n);
	ok(match, what);
	if (!match) {
		dump_type(t);
	}
}

/* COMPAT@BASE[/shift=N][/width=N] against /chosen/stdout-path. */
static void check_stdout(const void *fdt, const char *spec)
{
	char compat[64], what[160];
	const char *at = strrchr(spec, '@'), *colon;
	uint32_t shift = 0, width = 1;
	struct fdt_chosen c;
	phys_addr_t want, base = 0, size;
	int node = -1, len;
	char *end;

	snprintf(what, sizeof(what), "stdout-path leads to %s", spec);
	if (at == NULL || (size_t)(at - spec) >= sizeof(compat)) {
		ok(0, what);
		return;
	}
	memcpy(compat, spec, (size_t)(at - spec));
	compat[at - spec] = '\0';
	want = strtoull(at + 1, &end, 0);
	while (*end == '/') {
		if (strncmp(end, "/shift=", 7) == 0) {
			shift = (uint32_t)strtoul(end + 7, &end, 0);
		} else if (strncmp(end, "/width=", 7) == 0) {
			width = (uint32_t)strtoul(end + 7, &end, 0);
		} else {
			break;
		}
	}
	if (fdt_scan_chosen(fdt, &c) == 0 && c.stdout_path != NULL) {
		colon = strchr(c.stdout_path, ':');
		len = colon ? (int)(colon - c.stdout_path) :
			      (int)strlen(c.stdout_path);
		node = fdt_path_offset_namelen(fdt, c.stdout_path, len);
	}
	if (node >= 0) {
		fdt_node_reg(fdt, node, 0, &base, &size);
	}
	ok(*end == '\0' && node >= 0 &&
	   fdt_node_check_compatible(fdt, node, compat) == 0 && base == want &&
	   fdt_prop_u32(fdt, node, "reg-shift", 0) == shift &&
	   fdt_prop_u32(fdt, node, "reg-io-width", 1) == width, what);
	if (node >= 0) {
		printf("# stdout node at 0x%llx, reg-shift %u, reg-io-width %u\n",
		       (unsigned long long)base,
		       fdt_prop_u32(fdt, node, "reg-shift", 0),
		       fdt_prop_u32(fdt, node, "reg-io-width", 1));
	}
}

static void *read_blob(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	void *buf;
	long n;

	if (f == NULL) {
		return NULL;
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = n > 0 ? malloc((size_t)n) : NULL;	/* 16-byte aligned */
	if (buf != NULL && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*len = (size_t)n;
	return buf;
}

int main(int argc, char *argv[])
{
	static struct want_region mem[MAX_EXPECT], rsv[MAX_EXPECT];
	int nmem = 0, nrsv = 0, want_ret = 0, ret, rsv_given = 0;
	const char *why;
	size_t len;
	void *fdt;

	if (argc < 3) {
		printf("Bail out! usage: fdt_expect FILE.dtb EXPECT...\n");
		return 1;
	}
	fdt = read_blob(argv[1], &len);
	if (fdt == NULL) {
		printf("Bail out! cannot read %s\n", argv[1]);
		return 1;
	}
	console_register(&tap_console);
	why = fdt_blob_check(fdt, len);
	ok(why == NULL, "the blob passes fdt_blob_check()");
	if (why != NULL) {
		printf("# %s: %s\n", argv[1], why);
		printf("1..%d\n", tests);
		return 1;
	}
	/* Collect the expectations that need the whole list first. */
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];

		if (strncmp(a, "memory=", 7) == 0 && nmem < MAX_EXPECT) {
			if (!parse_region(a + 7, &mem[nmem++])) {
				printf("Bail out! bad expectation %s\n", a);
				return 1;
			}
		} else if (strcmp(a, "reserved=none") == 0) {
			rsv_given = 1;
		} else if (strncmp(a, "reserved=", 9) == 0 && nrsv < MAX_EXPECT) {
			rsv_given = 1;
			if (!parse_region(a + 9, &rsv[nrsv++])) {
				printf("Bail out! bad expectation %s\n", a);
				return 1;
			}
		} else if (strncmp(a, "ret=", 4) == 0) {
			want_ret = atoi(a + 4);
		}
	}
	ret = fdt_scan_memory(fdt);
	ok(ret == want_ret, "fdt_scan_memory() returns as expected");
	if (nmem > 0) {
		check_type(&memblock.memory, mem, nmem);
	}
	if (rsv_given) {
		check_type(&memblock.reserved, rsv, nrsv);
	}
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];
		char what[128];

		snprintf(what, sizeof(what), "%s", a);
		if (strncmp(a, "hole=", 5) == 0) {
			struct want_region h;

			ok(parse_region(a + 5, &h) &&
			   !memblock_overlaps_region(&memblock.memory, h.base,
						     h.size), what);
		} else if (strncmp(a, "diag=", 5) == 0) {
			const char *c = strrchr(a, ':');
			uint32_t n = 0;
			int found = 0;

			for (int id = 1; c && id < FWD_MAX; id++) {
				if (strncmp(fw_diag_name(id), a + 5,
					    (size_t)(c - a - 5)) == 0 &&
				    fw_diag_name(id)[c - a - 5] == '\0') {
					n = fw_diags.count[id];
					found = 1;
				}
			}
			ok(found && n == (uint32_t)atoi(c + 1), what);
		} else if (strncmp(a, "warnings=", 9) == 0) {
			uint32_t n = 0;

			for (int id = 1; id < FWD_MAX; id++) {
				if (fw_diag_level(id) >= FWD_WARN) {
					n += fw_diags.count[id];
				}
			}
			ok(n == (uint32_t)atoi(a + 9), what);
		} else if (strncmp(a, "stdout=", 7) == 0) {
			check_stdout(fdt, a + 7);
		} else if (strncmp(a, "dma-limit=", 10) == 0) {
			uint64_t got = fdt_dma_max_cpu_address(fdt);
			uint64_t want = strcmp(a + 10, "none") == 0 ?
				UINT64_MAX : strtoull(a + 10, NULL, 0);

			ok(got == want, what);
			printf("# dma limit %#llx\n", (unsigned long long)got);
		} else if (strncmp(a, "memory=", 7) != 0 &&
			   strncmp(a, "reserved=", 9) != 0 &&
			   strncmp(a, "ret=", 4) != 0) {
			printf("Bail out! unknown expectation %s\n", a);
			return 1;
		}
	}
	fw_log_dump();
	free(fdt);
	printf("1..%d\n", tests);
	return failed ? 1 : 0;
}
