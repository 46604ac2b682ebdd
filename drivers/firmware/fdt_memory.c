// SPDX-License-Identifier: BSD-2-Clause
/*
 * Device tree -> memblock: memory nodes, /memreserve/, /reserved-memory,
 * the /chosen initrd and usable range [dt-spec 0.4 §3.4, §3.5, §5.3], and
 * the comparison of the DT's memory with a memblock filled from the UEFI
 * map. Data only (no arch headers, no I/O, no allocation besides memblock's
 * own), so it also builds on the host: tests/host/test_fdt_memory.c,
 * tests/fuzz/fuzz_fdt.c. docs/firmware.md "Device tree" is the contract.
 *
 * The blob has passed fdt_blob_check(), which vouches for its header and
 * block offsets only: every property length is checked here before a read.
 * Bad input is reported (fw_diag(), one line, stable ID) and skipped on the
 * safe side: in doubt, memory is left out and a reservation is kept. Every
 * range read is logged with fw_record(), origin = node path, index = tuple.
 *
 * Order matters and is fixed: memory first, then the usable-range cap, then
 * the static reservations and the initrd, then the dynamic ones (which are
 * allocated from memblock and so must see all the rest). NOMAP ranges are
 * reserved as well as marked, so they are never handed out even if memory
 * arrives later from another source.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cairn/errno.h>
#include <cairn/fdt.h>
#include <cairn/fwmap.h>
#include <cairn/memblock.h>

#include "fdt_local.h"

#define CHOSEN		"/chosen"
#define MEMRESERVE	"/memreserve/"

/* Room for a node path before it is shortened to fit FW_ORIGIN_LEN. */
#define FDT_PATH_BUF	256

/* DT memory ranges fdt_compare_memory() can hold; more are reported. */
#define FDT_COMPARE_MAX	128

/*
 * Firmware reservations that must never be mapped or handed out, whatever
 * their node says. Matched on the node name before '@'-unit address,
 * by prefix, for children of /reserved-memory. A match without "no-map"
 * is made NOMAP anyway and reported (fw010). docs/firmware.md lists them.
 */
static const struct {
	const char *prefix;	/* node name prefix */
	const char *owner;	/* who adds it, for the diagnostic */
} fdt_firmware_regions[] = {
	/*
	 * OpenSBI's M-mode region, protected by PMP: an S-mode access
	 * faults. OpenSBI 1.1 adds it without no-map on QEMU virt and spike
	 * (with it on sifive_u); Limine #401, OpenSBI #306.
	 */
	{ "mmode_resv", "OpenSBI" },
	/* OP-TEE OS's secure DRAM (TZDRAM), added by OP-TEE for itself. */
	{ "optee_core", "OP-TEE" },
};

/*
 * @node's path for provenance and diagnostics, at most FW_ORIGIN_LEN - 1
 * characters: a longer one keeps its end ("...bus@0/memory@80000000"),
 * which names the node.
 */
static void node_origin(const void *fdt, int node, char out[FW_ORIGIN_LEN])
{
	char path[FDT_PATH_BUF];
	size_t n;

	if (fdt_index_get_path(fdt, node, path, sizeof(path)) < 0) {
		const char *name = fdt_index_get_name(fdt, node, NULL);

		snprintf(path, sizeof(path), ".../%s", name ? name : "?");
	}
	n = strlen(path);
	if (n < FW_ORIGIN_LEN) {
		memcpy(out, path, n + 1);
		return;
	}
	snprintf(out, FW_ORIGIN_LEN, "...%s", path + n - (FW_ORIGIN_LEN - 4));
}

/*
 * [dt-spec 0.4 §2.3.4]: a node counts when "status" is absent, "okay" or
 * "ok" (the older spelling). *@malformed is set when it is not a string;
 * the caller picks the safe side.
 */
static bool node_okay(const void *fdt, int node, bool *malformed)
{
	const char *s;
	int len;

	*malformed = false;
	s = fdt_index_getprop(fdt, node, FDT_P_STATUS, &len);
	if (s == NULL) {
		return true;
	}
	if (len <= 0 || memchr(s, '\0', (size_t)len) == NULL) {
		*malformed = true;
		return false;
	}
	return strcmp(s, "okay") == 0 || strcmp(s, "ok") == 0;
}

/*
 * The cell counts @parent gives its children, 1 or 2 each
 * [dt-spec 0.4 §2.3.5]; on anything else one fw002 line names @parent and
 * the node @origin that cannot be read.
 */
static bool child_cells(const void *fdt, int parent, const char *origin,
			bool report, int *ac, int *sc)
{
	char porigin[FW_ORIGIN_LEN];

	if (fdt_cells(fdt, parent, ac, sc) == 0 && *sc != 0) {
		return true;
	}
	if (report) {
		node_origin(fdt, parent, porigin);
		fw_diag(FWD_BAD_CELLS, origin, 0, 0,
			"%s has #address-cells %u, #size-cells %u (1 or 2 each): node ignored",
			porigin, fdt_prop_u32(fdt, parent, "#address-cells", 2),
			fdt_prop_u32(fdt, parent, "#size-cells", 1));
	}
	return false;
}

/*
 * Cap [@base, @base + *@size) below the top of the address space (memblock
 * cannot hold the last byte either). Return: true if it had to.
 */
static bool cap_top(phys_addr_t base, phys_addr_t *size)
{
	if (*size > PHYS_ADDR_MAX - base) {
		*size = PHYS_ADDR_MAX - base;
		return true;
	}
	return false;
}

/* A (base, size) tuple of @ac then @sc cells at @p. */
static void read_tuple(const fdt32_t *p, int ac, int sc, phys_addr_t *base,
		       phys_addr_t *size)
{
	*base = fdt_read_number(p, ac);
	*size = fdt_read_number(p + ac, sc);
}

static int memblock_full(struct fw_record *r, const char *origin,
			 phys_addr_t base, phys_addr_t size, const char *what)
{
	fw_diag(FWD_TABLE_OVERFLOW, origin, base, size,
		"memblock.%s full (%d regions): range not added", what,
		INIT_MEMBLOCK_REGIONS);
	fw_record_drop(r, "memblock full");
	return -ENOMEM;
}

/*
 * One memory range into memblock.memory, rounded in to whole pages, with
 * its record. @r is the record fw_record() made for it (may be NULL).
 * Return: 0, or -ENOMEM.
 */
static int add_memory(struct fw_record *r, const char *origin, uint32_t index,
		      phys_addr_t base, phys_addr_t size, int nid,
		      enum memblock_flags flags)
{
	const char *why = NULL;
	phys_addr_t lo, hi, end;

	if (size == 0) {
		fw_diag(FWD_EMPTY_RANGE, origin, base, 0,
			"reg[%u] of size 0 (for the boot firmware to fill in), ignored",
			index);
		fw_record_drop(r, "size 0");
		return 0;
	}
	if (cap_top(base, &size)) {
		fw_diag(FWD_WRAPS, origin, base, size,
			"reg[%u] passes the top of the address space, capped",
			index);
		why = "capped at the top of the address space";
	}
	end = base + size;
	lo = ALIGN_UP(base, PAGE_SIZE);
	hi = ALIGN_DOWN(end, PAGE_SIZE);
	if (lo < base || lo >= hi) {
		fw_diag(FWD_UNALIGNED, origin, base, size,
			"reg[%u] holds no whole page, ignored", index);
		fw_record_drop(r, "no whole page");
		return 0;
	}
	if (lo != base || hi != end) {
		fw_diag(FWD_UNALIGNED, origin, base, size,
			"reg[%u] rounded in to pages: [0x%llx-0x%llx)", index,
			(unsigned long long)lo, (unsigned long long)hi);
		if (why == NULL) {
			why = "rounded in to pages";
		}
	}
	if (memblock_add_node(lo, hi - lo, nid < 0 ? MAX_NUMNODES : nid,
			      flags) < 0) {
		return memblock_full(r, origin, lo, hi - lo, "memory");
	}
	fw_record_done(r, FW_TO_MEMORY, lo, hi - lo, flags, nid, why);
	return 0;
}

/*
 * One reservation into memblock.reserved, rounded out to whole pages, and
 * marked NOMAP if @nomap. The record keeps the range as given (capped at
 * the top); fw006 names the rounded one. Return: 0, or -ENOMEM.
 */
static int reserve_range(struct fw_record *r, const char *origin,
			 uint32_t index, phys_addr_t base, phys_addr_t size,
			 bool nomap, const char *why)
{
	phys_addr_t lo, hi, end;

	if (size == 0) {
		fw_diag(FWD_EMPTY_RANGE, origin, base, 0,
			"entry %u of size 0, ignored", index);
		fw_record_drop(r, "size 0");
		return 0;
	}
	if (cap_top(base, &size)) {
		fw_diag(FWD_WRAPS, origin, base, size,
			"entry %u passes the top of the address space, capped",
			index);
		if (size == 0) {
			fw_record_drop(r, "at the top of the address space");
			return 0;
		}
	}
	end = base + size;
	lo = ALIGN_DOWN(base, PAGE_SIZE);
	hi = end > ALIGN_DOWN(PHYS_ADDR_MAX, PAGE_SIZE) ?
		     PHYS_ADDR_MAX : ALIGN_UP(end, PAGE_SIZE);
	if (lo != base || hi != end) {
		fw_diag(FWD_UNALIGNED, origin, base, size,
			"entry %u rounded out to pages: [0x%llx-0x%llx)", index,
			(unsigned long long)lo, (unsigned long long)hi);
	}
	if (memblock_reserve(lo, hi - lo) < 0) {
		return memblock_full(r, origin, lo, hi - lo, "reserved");
	}
	if (nomap && memblock_mark_nomap(lo, hi - lo) < 0) {
		return memblock_full(r, origin, lo, hi - lo, "memory");
	}
	fw_record_done(r, nomap ? FW_TO_NOMAP : FW_TO_RESERVED, base, size,
		       nomap ? MEMBLOCK_NOMAP : MEMBLOCK_NONE, NUMA_NO_NODE,
		       why);
	return 0;
}

/* --- memory nodes ------------------------------------------------------ */

/* The DT memory ranges fdt_compare_memory() collects: sorted, merged. */
struct dt_ranges {
	unsigned int n;
	bool overflow;
	struct {
		phys_addr_t base, end;
		int node;	/* first node seen in the range */
	} r[FDT_COMPARE_MAX];
};

/* Add [@base, @end) to @c, merging what it overlaps or touches. */
static void dt_ranges_add(struct dt_ranges *c, phys_addr_t base,
			  phys_addr_t end, int node)
{
	unsigned int i = 0, j;

	while (i < c->n && c->r[i].end < base) {
		i++;
	}
	for (j = i; j < c->n && c->r[j].base <= end; j++) {
		base = min(base, c->r[j].base);
		end = max(end, c->r[j].end);
	}
	if (j == i) {
		if (c->n == FDT_COMPARE_MAX) {
			c->overflow = true;
			return;
		}
		memmove(&c->r[i + 1], &c->r[i], (c->n - i) * sizeof(c->r[0]));
		c->n++;
	} else {
		node = c->r[i].node;
		memmove(&c->r[i + 1], &c->r[j], (c->n - j) * sizeof(c->r[0]));
		c->n -= j - i - 1;
	}
	c->r[i].base = base;
	c->r[i].end = end;
	c->r[i].node = node;
}

/*
 * One device_type = "memory" node: every reg tuple in its parent's cells,
 * translated through the buses above it. With @collect, the ranges (capped,
 * rounded in) go to @collect instead of memblock, silently.
 */
static int scan_memory_node(const void *fdt, int node,
			    struct dt_ranges *collect)
{
	char origin[FW_ORIGIN_LEN];
	enum memblock_flags flags = MEMBLOCK_NONE;
	bool report = collect == NULL, okay, malformed;
	int parent, ac, sc, len, reg_len, nid = NUMA_NO_NODE;
	const fdt32_t *reg, *p;

	node_origin(fdt, node, origin);
	okay = node_okay(fdt, node, &malformed);
	if (malformed && report) {
		fw_diag(FWD_BAD_PROPERTY, origin, 0, 0,
			"status is not a string: memory node ignored");
	}
	if (!okay && collect != NULL) {
		return 0;
	}
	parent = fdt_index_parent_offset(fdt, node);
	if (parent < 0 ||
	    !child_cells(fdt, parent, origin, report && okay, &ac, &sc)) {
		return 0;
	}
	reg = fdt_index_getprop(fdt, node, FDT_P_REG, &reg_len);
	if (reg == NULL || reg_len == 0) {
		if (report && okay) {
			fw_diag(FWD_EMPTY_RANGE, origin, 0, 0,
				"no reg (for the boot firmware to fill in), ignored");
		}
		return 0;
	}
	if (reg_len < 0 || reg_len % ((ac + sc) * 4) != 0) {
		/* Memory in doubt is left out: the safe side. */
		if (report && okay) {
			fw_diag(FWD_BAD_PROPERTY, origin, 0, 0,
				"reg is %d bytes, not whole (%d + %d)-cell tuples: memory node ignored",
				reg_len, ac, sc);
		}
		return 0;
	}
	p = fdt_index_getprop(fdt, node, FDT_P_NUMA_NODE_ID, &len);
	if (p != NULL && okay && report) {
		uint32_t v = len == 4 ? fdt32_to_cpu(*p) : UINT32_MAX;

		if (len != 4) {
			fw_diag(FWD_BAD_PROPERTY, origin, 0, 0,
				"numa-node-id is %d bytes, not 4: node unknown",
				len);
		} else if (v >= MAX_NUMNODES) {
			fw_diag(FWD_BAD_PROPERTY, origin, 0, 0,
				"numa-node-id %u is not below MAX_NUMNODES (%d): node unknown",
				v, MAX_NUMNODES);
		} else {
			nid = (int)v;
		}
	}
	if (fdt_index_getprop(fdt, node, FDT_P_HOTPLUGGABLE, NULL) != NULL) {
		flags |= MEMBLOCK_HOTPLUG;
	}
	for (int i = 0; i < reg_len / ((ac + sc) * 4); i++) {
		phys_addr_t base, size, tb, ts;
		struct fw_record *r;
		int err;

		read_tuple(reg + i * (ac + sc), ac, sc, &base, &size);
		if (okay && parent != 0 &&
		    fdt_node_reg(fdt, node, i, &tb, &ts) < 0) {
			if (report) {
				r = fw_record(FW_FMT_DT, origin, (uint32_t)i, 0,
					      base, size);
				fw_record_drop(r, "no CPU address");
				fw_diag(FWD_BAD_PROPERTY, origin, base, size,
					"reg[%d] has no CPU address (a bus above lacks a matching ranges), ignored",
					i);
			}
			continue;
		}
		if (okay && parent != 0) {
			base = tb;
		}
		if (collect != NULL) {
			phys_addr_t lo, hi;

			cap_top(base, &size);
			lo = ALIGN_UP(base, PAGE_SIZE);
			hi = ALIGN_DOWN(base + size, PAGE_SIZE);
			if (lo >= base && lo < hi) {
				dt_ranges_add(collect, lo, hi, node);
			}
			continue;
		}
		r = fw_record(FW_FMT_DT, origin, (uint32_t)i, 0, base, size);
		if (!okay) {
			fw_record_drop(r, "status is not okay");
			continue;
		}
		err = add_memory(r, origin, (uint32_t)i, base, size, nid,
				 flags);
		if (err < 0) {
			return err;
		}
	}
	return 0;
}

/* A root child called "memory" or "memory@..." (the usual name). */
static bool named_memory(const void *fdt, int node)
{
	int len;
	const char *name = fdt_index_get_name(fdt, node, &len);

	return name != NULL && len >= 6 && memcmp(name, "memory", 6) == 0 &&
	       (len == 6 || name[6] == '@');
}

/*
 * Every node with device_type = "memory", at any depth and of any name
 * [dt-spec 0.4 §3.4]. Return: 0, -ENOMEM, or -EINVAL if the structure
 * block breaks off (what came before it is kept).
 */
static int scan_memory_nodes(const void *fdt, struct dt_ranges *collect)
{
	struct fdt_index_walk w;
	int err;

	fdt_index_walk_start(&w, fdt);
	fdt_index_walk_next(&w);	/* the root */
	while (fdt_index_walk_next(&w) && w.depth > 0) {
		const char *type = NULL;
		int len;

		if ((w.props & 1u << FDT_P_DEVICE_TYPE) != 0) {
			type = fdt_index_getprop(fdt, w.node,
						 FDT_P_DEVICE_TYPE, &len);
		}
		if (type != NULL && len == sizeof("memory") &&
		    memcmp(type, "memory", sizeof("memory")) == 0) {
			err = scan_memory_node(fdt, w.node, collect);
			if (err < 0) {
				return err;
			}
		} else if (w.depth == 1 && collect == NULL &&
			   named_memory(fdt, w.node)) {
			char origin[FW_ORIGIN_LEN];

			node_origin(fdt, w.node, origin);
			fw_diag(FWD_BAD_PROPERTY, origin, 0, 0,
				"named like a memory node but device_type is not \"memory\": ignored");
		}
	}
	if (w.node < 0 && w.node != -FDT_ERR_NOTFOUND) {
		if (collect == NULL) {
			fw_diag(FWD_BAD_TABLE, "/", 0, 0,
				"structure block breaks off (%s): the rest of the tree is ignored",
				fdt_strerror(w.node));
		}
		return -EINVAL;
	}
	return 0;
}

/* --- reservations ------------------------------------------------------ */

/* What a /reserved-memory child asks for. */
struct rsv_node {
	char origin[FW_ORIGIN_LEN];
	bool okay;
	bool nomap;
	const char *why;	/* for the record */
};

/* The quirk table entry @node's name matches, or -1. */
static int firmware_region(const void *fdt, int node)
{
	const char *name = fdt_index_get_name(fdt, node, NULL);

	for (size_t i = 0; name != NULL && i < ARRAY_SIZE(fdt_firmware_regions);
	     i++) {
		const char *pre = fdt_firmware_regions[i].prefix;

		if (strncmp(name, pre, strlen(pre)) == 0) {
			return (int)i;
		}
	}
	return -1;
}

/* Read status, no-map, reusable and the quirk table for one child. */
static void rsv_node_read(const void *fdt, int node, struct rsv_node *rn)
{
	bool malformed, reusable;
	int fw;

	node_origin(fdt, node, rn->origin);
	rn->okay = node_okay(fdt, node, &malformed);
	if (malformed) {
		/* The safe side for a reservation is to keep it. */
		fw_diag(FWD_BAD_PROPERTY, rn->origin, 0, 0,
			"status is not a string: reservation kept");
		rn->okay = true;
	}
	rn->nomap = fdt_index_getprop(fdt, node, FDT_P_NO_MAP, NULL) != NULL;
	reusable = fdt_index_getprop(fdt, node, FDT_P_REUSABLE, NULL) != NULL;
	rn->why = rn->nomap ? "no-map" : reusable ? "reusable" : NULL;
	if (rn->nomap && reusable && rn->okay) {
		fw_diag(FWD_BAD_PROPERTY, rn->origin, 0, 0,
			"both no-map and reusable: taken as no-map");
	}
	fw = firmware_region(fdt, node);
	if (fw >= 0 && !rn->nomap) {
		if (rn->okay) {
			fw_diag(FWD_FIRMWARE_WITHOUT_NOMAP, rn->origin, 0, 0,
				"%s region without no-map: made NOMAP",
				fdt_firmware_regions[fw].owner);
		}
		rn->nomap = true;
		rn->why = "firmware region without no-map";
	}
}

/* /memreserve/ entries [dt-spec 0.4 §5.3]: reserved, never NOMAP. */
static int scan_memreserve(const void *fdt)
{
	int n = fdt_num_mem_rsv(fdt);

	if (n < 0) {
		fw_diag(FWD_BAD_TABLE, MEMRESERVE, 0, 0,
			"no terminating entry: every entry up to the end of the blob is reserved");
	}
	for (int i = 0; n < 0 || i < n; i++) {
		struct fw_record *r;
		uint64_t addr, size;
		int err;

		if (fdt_get_mem_rsv(fdt, i, &addr, &size) < 0) {
			break;
		}
		r = fw_record(FW_FMT_DT, MEMRESERVE, (uint32_t)i, 0, addr,
			      size);
		err = reserve_range(r, MEMRESERVE, (uint32_t)i, addr, size,
				    false, NULL);
		if (err < 0) {
			return err;
		}
	}
	return 0;
}

/* A static /reserved-memory child: every reg tuple. */
static int reserve_static(const void *fdt, int node, int ac, int sc,
			  const struct rsv_node *rn)
{
	const fdt32_t *reg;
	int len, stride = (ac + sc) * 4;

	reg = fdt_index_getprop(fdt, node, FDT_P_REG, &len);
	if (len % stride != 0 && rn->okay) {
		/* Whole tuples are still reserved: the safe side. */
		fw_diag(FWD_BAD_PROPERTY, rn->origin, 0, 0,
			"reg is %d bytes, not whole (%d + %d)-cell tuples: the %d whole ones are used",
			len, ac, sc, len / stride);
	}
	for (int i = 0; i < len / stride; i++) {
		phys_addr_t base, size;
		struct fw_record *r;
		int err;

		read_tuple(reg + i * (ac + sc), ac, sc, &base, &size);
		r = fw_record(FW_FMT_DT, rn->origin, (uint32_t)i, 0, base,
			      size);
		if (!rn->okay) {
			fw_record_drop(r, "status is not okay");
			continue;
		}
		err = reserve_range(r, rn->origin, (uint32_t)i, base, size,
				    rn->nomap, rn->why);
		if (err < 0) {
			return err;
		}
	}
	return 0;
}

/* A number property of exactly @cells cells; false (reported) otherwise. */
static bool read_cells_prop(const void *fdt, int node,
			    enum fdt_index_prop prop, int cells,
			    const char *origin, phys_addr_t *v)
{
	const char *name = fdt_index_prop_names[prop];
	const fdt32_t *p;
	int len;

	p = fdt_index_getprop(fdt, node, prop, &len);
	if (p == NULL) {
		return false;
	}
	if (len != cells * 4) {
		fw_diag(FWD_BAD_PROPERTY, origin, 0, 0,
			"%s is %d bytes, not %d (#size-cells of /reserved-memory)",
			name, len, cells * 4);
		return false;
	}
	*v = fdt_read_number(p, cells);
	return true;
}

static const char *dynamic_why(const struct rsv_node *rn)
{
	if (rn->why == NULL) {
		return "dynamic";
	}
	if (strcmp(rn->why, "no-map") == 0) {
		return "dynamic, no-map";
	}
	if (strcmp(rn->why, "reusable") == 0) {
		return "dynamic, reusable";
	}
	return rn->why;
}

/*
 * A dynamic /reserved-memory child: "size" bytes at "alignment", placed by
 * memblock inside the first "alloc-ranges" tuple that has room, else
 * anywhere below memblock's current limit [dt-spec 0.4 §3.5.2]. Sizes are
 * rounded up and alignments raised to whole pages.
 */
static int reserve_dynamic(const void *fdt, int node, int ac, int sc,
			   const struct rsv_node *rn)
{
	phys_addr_t size = 0, align = PAGE_SIZE, v, got = 0, asize;
	const fdt32_t *ranges;
	struct fw_record *r;
	uint32_t index = 0;
	int len, stride = (ac + sc) * 4;

	if (fdt_index_getprop(fdt, node, FDT_P_SIZE, NULL) == NULL) {
		fw_diag(FWD_BAD_PROPERTY, rn->origin, 0, 0,
			"neither reg nor size: ignored");
		return 0;
	}
	if (!read_cells_prop(fdt, node, FDT_P_SIZE, sc, rn->origin, &size)) {
		return 0;
	}
	if (size == 0) {
		fw_diag(FWD_EMPTY_RANGE, rn->origin, 0, 0,
			"dynamic reservation of size 0, ignored");
		return 0;
	}
	if (read_cells_prop(fdt, node, FDT_P_ALIGNMENT, sc, rn->origin, &v)) {
		if ((v & (v - 1)) != 0) {
			fw_diag(FWD_BAD_PROPERTY, rn->origin, 0, 0,
				"alignment 0x%llx is not a power of two: page alignment used",
				(unsigned long long)v);
		} else if (v > PAGE_SIZE) {
			align = v;
		}
	}
	asize = size > PHYS_ADDR_MAX - PAGE_SIZE ? 0 :
						   ALIGN_UP(size, PAGE_SIZE);
	ranges = fdt_index_getprop(fdt, node, FDT_P_ALLOC_RANGES, &len);
	if (ranges != NULL && len % stride != 0) {
		fw_diag(FWD_BAD_PROPERTY, rn->origin, 0, 0,
			"alloc-ranges is %d bytes, not whole (%d + %d)-cell tuples: the %d whole ones are used",
			len, ac, sc, len / stride);
	}
	if (asize != 0 && ranges == NULL) {
		got = memblock_phys_alloc_range(asize, align, 0,
						MEMBLOCK_ALLOC_ACCESSIBLE);
	}
	for (int i = 0; asize != 0 && ranges != NULL && i < len / stride;
	     i++) {
		phys_addr_t start, rsize;

		read_tuple(ranges + i * (ac + sc), ac, sc, &start, &rsize);
		cap_top(start, &rsize);
		if (rsize == 0) {
			continue;
		}
		got = memblock_phys_alloc_range(asize, align, start,
						start + rsize);
		if (got != 0) {
			index = (uint32_t)i;
			break;
		}
	}
	if (got == 0) {
		r = fw_record(FW_FMT_DT, rn->origin, 0, 0, 0, size);
		fw_record_drop(r, "dynamic: no room");
		fw_diag(FWD_ALLOC_FAILED, rn->origin, 0, 0,
			"0x%llx bytes aligned to 0x%llx: no free memory %s",
			(unsigned long long)size, (unsigned long long)align,
			ranges != NULL ? "in alloc-ranges" : "anywhere");
		return 0;
	}
	r = fw_record(FW_FMT_DT, rn->origin, index, 0, got, size);
	if (rn->nomap && memblock_mark_nomap(got, asize) < 0) {
		return memblock_full(r, rn->origin, got, asize, "memory");
	}
	fw_record_done(r, rn->nomap ? FW_TO_NOMAP : FW_TO_RESERVED, got, size,
		       rn->nomap ? MEMBLOCK_NOMAP : MEMBLOCK_NONE, NUMA_NO_NODE,
		       dynamic_why(rn));
	return 0;
}

/*
 * The children of /reserved-memory [dt-spec 0.4 §3.5], in that node's own
 * cells: the static ones (with reg) or, with @dynamic, the others.
 */
static int scan_reserved_memory(const void *fdt, bool dynamic)
{
	int rm, node, ac, sc, err;

	rm = fdt_index_path_offset(fdt, "/reserved-memory");
	if (rm < 0) {
		return 0;
	}
	if (!child_cells(fdt, rm, "/reserved-memory", !dynamic, &ac, &sc)) {
		return 0;
	}
	for (node = fdt_index_first_subnode(fdt, rm); node >= 0;
	     node = fdt_index_next_subnode(fdt, node)) {
		struct rsv_node rn;
		int len;
		bool has_reg = fdt_index_getprop(fdt, node, FDT_P_REG, &len) != NULL &&
			       len > 0;

		if (has_reg == dynamic) {
			continue;
		}
		rsv_node_read(fdt, node, &rn);
		if (dynamic && !rn.okay) {
			continue;
		}
		err = dynamic ? reserve_dynamic(fdt, node, ac, sc, &rn) :
				reserve_static(fdt, node, ac, sc, &rn);
		if (err < 0) {
			return err;
		}
	}
	if (node != -FDT_ERR_NOTFOUND) {
		if (!dynamic) {
			fw_diag(FWD_BAD_TABLE, "/reserved-memory", 0, 0,
				"structure block breaks off (%s)",
				fdt_strerror(node));
		}
		return -EINVAL;
	}
	return 0;
}

/* The initrd /chosen names: reserved, as given. */
static int reserve_initrd(const struct fdt_chosen *c)
{
	struct fw_record *r;

	if (c->initrd_end <= c->initrd_start) {
		return 0;
	}
	r = fw_record(FW_FMT_DT, CHOSEN, 0, 0, c->initrd_start,
		      c->initrd_end - c->initrd_start);
	return reserve_range(r, CHOSEN, 0, c->initrd_start,
			     c->initrd_end - c->initrd_start, false, "initrd");
}

/* Log the memory the cap will take away: one record and note per piece. */
static void note_removed(phys_addr_t base, phys_addr_t end)
{
	struct fw_record *r;

	if (base >= end) {
		return;
	}
	fw_diag(FWD_MEMORY_CAPPED, CHOSEN, base, end - base,
		"memory outside linux,usable-memory-range removed");
	r = fw_record(FW_FMT_DT, CHOSEN, 0, 0, base, end - base);
	fw_record_done(r, FW_TO_REMOVED, base, end - base, MEMBLOCK_NONE,
		       NUMA_NO_NODE, "outside linux,usable-memory-range");
}

/*
 * linux,usable-memory-range (a kdump kernel's memory): memory outside the
 * first tuple is removed except NOMAP, and so are reservations outside it
 * (memblock_cap_memory_range()); further tuples are added as memory
 * (Linux's low range for crashkernel=,low).
 */
static int apply_usable_range(const void *fdt, const struct fdt_chosen *c)
{
	phys_addr_t base = c->usable_base, size = c->usable_size, end;
	const struct memblock_region *m;
	const fdt32_t *p;
	struct fw_record *r;
	int len, ac, sc, err;

	if (!c->has_usable_range) {
		return 0;
	}
	r = fw_record(FW_FMT_DT, CHOSEN, 0, 0, base, size);
	if (cap_top(base, &size)) {
		fw_diag(FWD_WRAPS, CHOSEN, base, size,
			"linux,usable-memory-range passes the top of the address space, capped");
	}
	if (size == 0 || memblock.memory.total_size == 0) {
		fw_record_drop(r, size ? "no memory to cap" : "size 0");
		return 0;
	}
	end = base + size;
	for_each_mem_region(m) {
		if (memblock_is_nomap(m)) {
			continue;
		}
		note_removed(m->base, min(m->base + m->size, base));
		note_removed(max(m->base, end), m->base + m->size);
	}
	memblock_cap_memory_range(base, size);
	for_each_mem_region(m) {
		if (!memblock_is_nomap(m) &&
		    (m->base < base || m->base + m->size > end)) {
			return memblock_full(r, CHOSEN, base, size, "memory");
		}
	}
	fw_record_done(r, FW_TO_MEMORY, base, size, MEMBLOCK_NONE,
		       NUMA_NO_NODE, "linux,usable-memory-range");

	/* fdt_chosen_parse() checked the form already. */
	p = fdt_index_getprop(fdt, fdt_index_path_offset(fdt, CHOSEN),
			      FDT_P_USABLE_MEMORY_RANGE, &len);
	if (p == NULL || fdt_cells(fdt, 0, &ac, &sc) < 0 || sc == 0) {
		return 0;
	}
	for (int i = 1; i < len / ((ac + sc) * 4); i++) {
		phys_addr_t b, s;

		read_tuple(p + i * (ac + sc), ac, sc, &b, &s);
		r = fw_record(FW_FMT_DT, CHOSEN, (uint32_t)i, 0, b, s);
		err = add_memory(r, CHOSEN, (uint32_t)i, b, s, NUMA_NO_NODE,
				 MEMBLOCK_NONE);
		if (err < 0) {
			return err;
		}
	}
	return 0;
}

static bool blob_usable(const void *fdt)
{
	const char *why;

	/* The index holds only a blob fdt_blob_check() accepted. */
	if (fdt_index_ready(fdt)) {
		return true;
	}
	why = fdt_blob_check(fdt, 0);

	if (why != NULL) {
		fw_diag(FWD_BAD_TABLE, "dtb", 0, 0, "device tree refused: %s",
			why);
		return false;
	}
	return true;
}

/*
 * The order of fdt_scan_reservations(). A bad /chosen property is reported
 * and left out but does not make the tree unusable; a broken structure
 * block (-EINVAL) does, after what could be read was applied.
 */
static int scan_reservations(const void *fdt)
{
	struct fdt_chosen c;
	int err, bad = 0;

	fdt_chosen_parse(fdt, &c, FDT_CHOSEN_REPORT_MEMORY);
	err = apply_usable_range(fdt, &c);
	if (err == 0) {
		err = scan_memreserve(fdt);
	}
	if (err == 0) {
		bad = scan_reserved_memory(fdt, false);
		err = bad == -ENOMEM ? bad : 0;
	}
	if (err == 0) {
		err = reserve_initrd(&c);
	}
	if (err == 0) {
		err = scan_reserved_memory(fdt, true);
		err = err == -ENOMEM ? err : 0;
	}
	return err ? err : bad;
}

/**
 * fdt_scan_reservations() - apply only the reservations of a device tree
 * @fdt: a blob that passed fdt_blob_check()
 *
 * For boots where the UEFI map describes memory and the DT comes too:
 * linux,usable-memory-range, /memreserve/, static /reserved-memory, the
 * initrd, then dynamic /reserved-memory (allocated from the memory already
 * in memblock). Same rules and records as fdt_scan_memory().
 * Return: 0, -EINVAL if part of the tree was unusable (the rest is still
 * applied), -ENOMEM if memblock is full.
 */
int fdt_scan_reservations(const void *fdt)
{
	if (!blob_usable(fdt)) {
		return -EINVAL;
	}
	return scan_reservations(fdt);
}

/**
 * fdt_scan_memory() - describe memory from a device tree, in memblock
 * @fdt: a blob that passed fdt_blob_check()
 *
 * Every device_type = "memory" node with every reg tuple (status, NUMA
 * node, hotpluggable honoured), then what fdt_scan_reservations() applies.
 * Provenance and diagnostics are logged (<cairn/fwmap.h>).
 * Return: 0, -EINVAL if part of the tree was unusable (what could be read
 * is still applied), -ENOMEM if memblock is full.
 */
int fdt_scan_memory(const void *fdt)
{
	int err, bad;

	if (!blob_usable(fdt)) {
		return -EINVAL;
	}
	bad = scan_memory_nodes(fdt, NULL);
	if (bad == -ENOMEM) {
		return bad;
	}
	err = scan_reservations(fdt);
	return err ? err : bad;
}

/* --- comparison with the UEFI map -------------------------------------- */

static int disagree(const void *fdt, int node, phys_addr_t base,
		    phys_addr_t end)
{
	char origin[FW_ORIGIN_LEN];

	node_origin(fdt, node, origin);
	fw_diag(FWD_DT_EFI_DISAGREE, origin, base, end - base,
		"memory in the device tree but not in the UEFI map");
	return 1;
}

static int disagree_efi(phys_addr_t base, phys_addr_t end)
{
	const struct fw_record *rec = fw_record_find(base);

	fw_diag(FWD_DT_EFI_DISAGREE, rec ? rec->origin : "memblock", base,
		end - base,
		"memory in the UEFI map but in no device tree memory node");
	return 1;
}

/**
 * fdt_compare_memory() - compare the DT's memory with memblock.memory
 * @fdt: a blob that passed fdt_blob_check()
 *
 * memblock.memory was filled from the UEFI map. Both sides are compared
 * as sets of whole pages (DT ranges rounded in, adjacent ranges merged,
 * flags and nodes ignored); each maximal range in one and not the other
 * is one fw011 line. A DT without memory nodes (an EFI stub may have
 * removed them) is not compared.
 * Return: the number of differences reported.
 */
int fdt_compare_memory(const void *fdt)
{
	static struct dt_ranges dt;
	const struct memblock_type *mem = &memblock.memory;
	int count = 0;

	if (!fdt_index_ready(fdt) && fdt_blob_check(fdt, 0) != NULL) {
		return 0;
	}
	dt.n = 0;
	dt.overflow = false;
	scan_memory_nodes(fdt, &dt);
	if (dt.n == 0) {
		return 0;
	}
	if (dt.overflow) {
		fw_diag(FWD_TABLE_OVERFLOW, "/", 0, 0,
			"more than %d DT memory ranges: only those compared",
			FDT_COMPARE_MAX);
	}
	/* In the DT, not in memblock. Touching regions leave no gap. */
	for (unsigned int i = 0; i < dt.n; i++) {
		phys_addr_t cur = dt.r[i].base, end = dt.r[i].end;

		for (unsigned long k = 0; k < mem->cnt && cur < end; k++) {
			phys_addr_t mb = mem->regions[k].base;
			phys_addr_t me = mb + mem->regions[k].size;

			if (me <= cur) {
				continue;
			}
			if (mb >= end) {
				break;
			}
			if (mb > cur) {
				count += disagree(fdt, dt.r[i].node, cur, mb);
			}
			cur = me;
		}
		if (cur < end) {
			count += disagree(fdt, dt.r[i].node, cur, end);
		}
	}
	/* In memblock (touching regions taken as one), not in the DT. */
	for (unsigned long k = 0; k < mem->cnt;) {
		phys_addr_t cur = mem->regions[k].base;
		phys_addr_t end = cur + mem->regions[k].size;

		for (k++; k < mem->cnt && mem->regions[k].base == end; k++) {
			end += mem->regions[k].size;
		}
		for (unsigned int i = 0; i < dt.n && cur < end; i++) {
			if (dt.r[i].end <= cur) {
				continue;
			}
			if (dt.r[i].base >= end) {
				break;
			}
			if (dt.r[i].base > cur) {
				count += disagree_efi(cur, dt.r[i].base);
			}
			cur = dt.r[i].end;
		}
		if (cur < end) {
			count += disagree_efi(cur, end);
		}
	}
	return count;
}
