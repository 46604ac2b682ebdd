// SPDX-License-Identifier: BSD-2-Clause
/*
 * fdt_index_compare(): every fdt_index_*() lookup against the libfdt call
 * it stands for, on every node of a blob (and on offsets that are no
 * node), for tests/host/test_fdt_index.c and tests/fuzz/fuzz_fdt.c. The
 * blob has passed fdt_blob_check(); the index may hold it or not (both
 * must answer as libfdt does).
 */
#pragma once

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <cairn/fdt.h>

/* Nodes compared; a fuzz input may hold more, which are not visited. */
#define FIC_MAX_NODES	512
/* Nodes whose path and compatible searches are compared (quadratic). */
#define FIC_MAX_SEARCH	64

static char fic_why[256];

/*
 * A node name holding '/' (no valid tree has one) breaks libfdt's
 * fdt_get_path(): backing out of that node stops at its inner '/', so every
 * later path is wrong (a fuzz finding, tests/fuzz/regress/). There libfdt's
 * paths are no reference: the path comparisons are skipped for that blob.
 */
static bool fic_slash_names;

#define FIC_FAIL(...)							\
	do {								\
		snprintf(fic_why, sizeof(fic_why), __VA_ARGS__);	\
		return fic_why;						\
	} while (0)

/* fdt_getprop() and fdt_index_getprop() of every kept property. */
static const char *fic_props(const void *fdt, int node)
{
	for (int id = 0; id < FDT_P_COUNT; id++) {
		int la = 0x5a5a, lb = 0x5a5a;
		const void *a = fdt_getprop(fdt, node, fdt_index_prop_names[id],
					    &la);
		const void *b = fdt_index_getprop(fdt, node, id, &lb);

		if (a != b || la != lb) {
			FIC_FAIL("getprop(%d, %s): %p/%d, index %p/%d", node,
				 fdt_index_prop_names[id], a, la, b, lb);
		}
		if (fdt_prop_u32(fdt, node, fdt_index_prop_names[id], 7) !=
		    fdt_index_u32(fdt, node, id, 7)) {
			FIC_FAIL("u32(%d, %s)", node, fdt_index_prop_names[id]);
		}
	}
	return NULL;
}

/* Name, parent, subnodes and the path at several buffer sizes. */
static const char *fic_node(const void *fdt, int node, bool deep)
{
	int buflens[] = { 0, 1, 2, 256, 0, 0 };
	char pa[256], pb[256];
	int la = -1, lb = -1, ra, rb;
	const char *na, *nb;

	na = fdt_get_name(fdt, node, &la);
	nb = fdt_index_get_name(fdt, node, &lb);
	if (na != nb || la != lb) {
		FIC_FAIL("get_name(%d): %p/%d, index %p/%d", node, na, la, nb,
			 lb);
	}
	ra = fdt_parent_offset(fdt, node);
	rb = fdt_index_parent_offset(fdt, node);
	if (ra != rb) {
		FIC_FAIL("parent_offset(%d): %d, index %d", node, ra, rb);
	}
	ra = fdt_first_subnode(fdt, node);
	rb = fdt_index_first_subnode(fdt, node);
	if (ra != rb) {
		FIC_FAIL("first_subnode(%d): %d, index %d", node, ra, rb);
	}
	ra = fdt_next_subnode(fdt, node);
	rb = fdt_index_next_subnode(fdt, node);
	if (ra != rb) {
		FIC_FAIL("next_subnode(%d): %d, index %d", node, ra, rb);
	}
	/*
	 * libfdt's fdt_get_path() reads before the buffer when a name that
	 * did not fit is backed out of, or for an offset past the root's
	 * end: only sizes and offsets it survives are compared.
	 */
	deep = deep && !fic_slash_names;
	ra = deep ? fdt_get_path(fdt, node, pa, sizeof(pa)) : -1;
	buflens[4] = ra == 0 ? (int)strlen(pa) + 1 : 0;
	buflens[5] = ra == 0 ? (int)strlen(pa) : 0;
	for (size_t i = 0; deep && i < sizeof(buflens) / sizeof(buflens[0]);
	     i++) {
		memset(pa, 'x', sizeof(pa));
		memset(pb, 'x', sizeof(pb));
		ra = fdt_get_path(fdt, node, pa, buflens[i]);
		rb = fdt_index_get_path(fdt, node, pb, buflens[i]);
		if (ra != rb || (ra == 0 && strcmp(pa, pb) != 0)) {
			FIC_FAIL("get_path(%d, %d): %d, index %d", node,
				 buflens[i], ra, rb);
		}
	}
	return fic_props(fdt, node);
}

/* fdt_path_offset() of @path, as given and a few ways re-written. */
static const char *fic_path(const void *fdt, const char *path)
{
	char alt[300];
	const char *at;
	int ra, rb;

	ra = fdt_path_offset(fdt, path);
	rb = fdt_index_path_offset(fdt, path);
	if (ra != rb) {
		FIC_FAIL("path_offset(%s): %d, index %d", path, ra, rb);
	}
	snprintf(alt, sizeof(alt), "/%s/", path);	/* extra slashes */
	if (fdt_path_offset(fdt, alt) != fdt_index_path_offset(fdt, alt)) {
		FIC_FAIL("path_offset(%s)", alt);
	}
	/* Without the last unit address: matches up to '@'. */
	snprintf(alt, sizeof(alt), "%s", path);
	at = strrchr(alt, '@');
	if (at != NULL && strchr(at, '/') == NULL) {
		alt[at - alt] = '\0';
		if (fdt_path_offset(fdt, alt) !=
		    fdt_index_path_offset(fdt, alt)) {
			FIC_FAIL("path_offset(%s)", alt);
		}
	}
	/* As a prefix of a longer path, namelen stops it. */
	snprintf(alt, sizeof(alt), "%s/nonexistent", path);
	if (fdt_path_offset_namelen(fdt, alt, (int)strlen(path)) !=
	    fdt_index_path_offset_namelen(fdt, alt, (int)strlen(path))) {
		FIC_FAIL("path_offset_namelen(%s)", alt);
	}
	return NULL;
}

/* The first string of @node's compatible, searched from a few starts. */
static const char *fic_compatible(const void *fdt, int node)
{
	const char *c;
	int len, ra, rb;

	c = fdt_getprop(fdt, node, "compatible", &len);
	if (c == NULL || len < 1 || memchr(c, '\0', (size_t)len) == NULL) {
		return NULL;
	}
	for (int start = -1; start <= node; start = start < 0 ? 0 : node) {
		ra = fdt_node_offset_by_compatible(fdt, start, c);
		rb = fdt_index_node_offset_by_compatible(fdt, start, c);
		if (ra != rb) {
			FIC_FAIL("by_compatible(%d, %s): %d, index %d", start, c,
				 ra, rb);
		}
		if (fdt_node_check_compatible(fdt, start < 0 ? 0 : start, c) !=
		    fdt_index_node_check_compatible(fdt, start < 0 ? 0 : start,
						    c)) {
			FIC_FAIL("check_compatible(%d, %s)", start, c);
		}
		if (start == node) {
			break;
		}
	}
	return NULL;
}

/* Each alias that holds a full path resolves as libfdt resolves it. */
static const char *fic_aliases(const void *fdt)
{
	int aliases = fdt_path_offset(fdt, "/aliases"), prop;

	if (aliases < 0) {
		return NULL;
	}
	fdt_for_each_property_offset(prop, fdt, aliases) {
		const char *name, *val;
		char path[300];
		int len;

		val = fdt_getprop_by_offset(fdt, prop, &name, &len);
		if (val == NULL || len < 2 || val[0] != '/' ||
		    memchr(val, '\0', (size_t)len) == NULL ||
		    strchr(name, '/') != NULL || name[0] == '\0') {
			continue;	/* the index refuses what libfdt may not */
		}
		if (fdt_path_offset(fdt, name) !=
		    fdt_index_path_offset(fdt, name)) {
			FIC_FAIL("alias %s", name);
		}
		snprintf(path, sizeof(path), "%s/", name);
		if (fdt_path_offset(fdt, path) !=
		    fdt_index_path_offset(fdt, path)) {
			FIC_FAIL("alias %s", path);
		}
	}
	return NULL;
}

/**
 * fdt_index_compare() - compare the index's answers with libfdt's
 * @fdt: a blob that passed fdt_blob_check()
 *
 * Return: NULL if every answer agrees, else the first difference.
 */
static inline const char *fdt_index_compare(const void *fdt)
{
	struct fdt_index_walk w;
	int nodes[FIC_MAX_NODES], n = 0, depth = 0, node;
	const char *why;

	/* The nodes as libfdt walks them, the walk of the index alongside. */
	fic_slash_names = false;
	fdt_index_walk_start(&w, fdt);
	for (node = 0; node >= 0 && depth >= 0 && n < FIC_MAX_NODES;
	     node = fdt_next_node(fdt, node, &depth)) {
		if (!fdt_index_walk_next(&w) || w.node != node ||
		    w.depth != depth) {
			FIC_FAIL("walk at %d (depth %d): index %d (depth %d)",
				 node, depth, w.node, w.depth);
		}
		nodes[n++] = node;
		{
			int len;
			const char *name = fdt_get_name(fdt, node, &len);

			if (name != NULL && memchr(name, '/', (size_t)len)) {
				fic_slash_names = true;
			}
		}
	}
	if (n < FIC_MAX_NODES) {
		if (fdt_index_walk_next(&w) || w.node != node) {
			FIC_FAIL("walk end %d: index %d", node, w.node);
		}
	}
	for (int i = 0; i < n; i++) {
		why = fic_node(fdt, nodes[i], i < FIC_MAX_SEARCH);
		if (why == NULL && i < FIC_MAX_SEARCH) {
			why = fic_compatible(fdt, nodes[i]);
		}
		if (why == NULL && i < FIC_MAX_SEARCH && !fic_slash_names) {
			char path[256];

			if (fdt_get_path(fdt, nodes[i], path, sizeof(path)) == 0) {
				why = fic_path(fdt, path);
			}
		}
		/* An offset inside the node is no node. */
		if (why == NULL) {
			why = fic_node(fdt, nodes[i] + 4, false);
		}
		if (why != NULL) {
			return why;
		}
	}
	why = fic_node(fdt, -1, true);
	if (why == NULL) {
		why = fic_node(fdt, 0x7ffffff0, false);
	}
	if (why == NULL) {
		why = fic_aliases(fdt);
	}
	if (why == NULL) {
		why = fic_path(fdt, "/nonexistent/node");
	}
	return why;
}

/* --- whole scans, with and without the index --------------------------- */

#include <cairn/fwmap.h>
#include <cairn/memblock.h>

static uint64_t fic_hash;

static void fic_mix(const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++) {
		fic_hash = (fic_hash ^ b[i]) * 0x100000001b3ull;
	}
}

static void fic_mix_u64(uint64_t v)
{
	fic_mix(&v, sizeof(v));
}

/* Set while a blob has a name with '/': strings carry libfdt's paths. */
static bool fic_skip_strings;

static void fic_mix_str(const char *s)
{
	if (fic_skip_strings) {
		return;
	}
	fic_mix(s != NULL ? s : "(null)", strlen(s != NULL ? s : "(null)") + 1);
}

static void fic_diag(enum fw_diag_id id, const char *origin, phys_addr_t base,
		     phys_addr_t size, const char *msg)
{
	fic_mix_u64(id);
	fic_mix_str(origin);
	fic_mix_u64(base);
	fic_mix_u64(size);
	fic_mix_str(msg);
}

static void fic_mix_memblock(void)
{
	const struct memblock_type *types[] = { &memblock.memory,
						&memblock.reserved };

	for (int t = 0; t < 2; t++) {
		fic_mix_u64(types[t]->cnt);
		for (unsigned long i = 0; i < types[t]->cnt; i++) {
			fic_mix_u64(types[t]->regions[i].base);
			fic_mix_u64(types[t]->regions[i].size);
			fic_mix_u64(types[t]->regions[i].flags);
		}
	}
	fic_mix_u64(fw_log.cnt);
	for (uint32_t i = 0; i < fw_log.cnt; i++) {
		const struct fw_record *r = &fw_log.rec[i];

		fic_mix_u64(r->base);
		fic_mix_u64(r->size);
		fic_mix_u64(r->kept_base);
		fic_mix_u64(r->kept_size);
		fic_mix_u64((uint64_t)r->index << 32 | r->target);
		fic_mix_u64((uint64_t)r->fate << 32 | r->flags);
		fic_mix_u64((uint64_t)(int64_t)r->nid);
		fic_mix_str(r->why);
		fic_mix_str(r->origin);
	}
}

/*
 * A digest of everything the DT converters do with @fdt: fdt_scan_memory()
 * and fdt_compare_memory() from an empty memblock, fdt_scan_chosen(),
 * fdt_dma_max_cpu_address(), fdt_scan_reservations() over memory as a
 * UEFI map would give it, every diagnostic with its text.
 */
static uint64_t fic_scan(const void *fdt)
{
	struct fdt_chosen c;

	fic_hash = 0xcbf29ce484222325ull;
	fw_diag_hook = fic_diag;
	memblock_reset();
	fw_reset();
	fic_mix_str(fdt_blob_check(fdt, 0));
	fic_mix_u64((uint64_t)fdt_scan_memory(fdt));
	fic_mix_u64((uint64_t)fdt_compare_memory(fdt));
	fic_mix_memblock();
	fic_mix_u64((uint64_t)fdt_scan_chosen(fdt, &c));
	fic_mix_u64((uintptr_t)c.bootargs - (uintptr_t)fdt);
	fic_mix_u64((uintptr_t)c.stdout_path - (uintptr_t)fdt);
	fic_mix_u64((uintptr_t)c.rng_seed - (uintptr_t)fdt);
	fic_mix_u64(c.rng_seed_len);
	fic_mix_u64(c.initrd_start);
	fic_mix_u64(c.initrd_end);
	fic_mix_u64(c.has_usable_range);
	fic_mix_u64(c.usable_base);
	fic_mix_u64(c.usable_size);
	fic_mix_u64(fdt_dma_max_cpu_address(fdt));
	memblock_reset();
	fw_reset();
	memblock_add(0x40000000, 0x100000000);
	fic_mix_u64((uint64_t)fdt_scan_reservations(fdt));
	fic_mix_memblock();
	fw_diag_hook = NULL;
	memblock_reset();
	fw_reset();
	return fic_hash;
}

/**
 * fdt_index_compare_scans() - the converters agree with and without index
 * @fdt: a blob that passed fdt_blob_check()
 *
 * Return: true if fic_scan() gives the same digest both ways. The index
 * is enabled and built for @fdt again afterwards.
 */
static inline bool fdt_index_compare_scans(const void *fdt)
{
	uint64_t plain, indexed;
	int depth = 0;

	/*
	 * Diagnostics and records name nodes by path: past a name with '/'
	 * libfdt's paths are wrong (see fic_slash_names), the index's right,
	 * so there only the numbers are compared.
	 */
	fic_skip_strings = false;
	for (int node = 0; node >= 0 && depth >= 0;
	     node = fdt_next_node(fdt, node, &depth)) {
		int len;
		const char *name = fdt_get_name(fdt, node, &len);

		if (name != NULL && memchr(name, '/', (size_t)len) != NULL) {
			fic_skip_strings = true;
			break;
		}
	}
	fdt_index_disable(true);
	plain = fic_scan(fdt);
	fdt_index_disable(false);
	indexed = fic_scan(fdt);
	fic_skip_strings = false;
	return plain == indexed;
}
