// SPDX-License-Identifier: BSD-2-Clause
/*
 * Device tree helpers on top of libfdt (drivers/firmware/fdt_util.c): checking
 * a blob before use, reading
 * "reg" with the parent's cell counts and translating it through the
 * ancestors' "ranges" [dt-spec 0.4 §2.3.6, §2.3.8]. The blob is untrusted:
 * every function checks lengths and returns -EINVAL rather than read past a
 * property.
 */
#pragma once

#include <cairn/libfdt_env.h>

#include <libfdt.h>

#include <cairn/types.h>

/**
 * fdt_blob_check() - decide whether a blob may be read at all
 * @fdt: the blob
 * @max_size: bytes known to be readable at @fdt, or 0 if unknown
 *
 * Checks alignment, magic, version and the header's offsets and sizes
 * (fdt_check_header()), plus the block alignments libfdt relies on. A
 * usable blob is then indexed (fdt_index_build()), a refused one drops
 * the index.
 * Return: NULL if the blob is usable, else what is wrong, for one log line.
 */
const char *fdt_blob_check(const void *fdt, size_t max_size);

/* Largest #address-cells / #size-cells Cairn reads (64-bit values). */
#define FDT_MAX_CELLS	2

/* Big-endian cells at @p as one number; @cells is 1 or 2. */
static inline uint64_t fdt_read_number(const fdt32_t *p, int cells)
{
	uint64_t v = 0;

	for (int i = 0; i < cells; i++) {
		v = (v << 32) | fdt32_to_cpu(p[i]);
	}
	return v;
}

/**
 * fdt_cells() - #address-cells and #size-cells that apply to @node's children
 * @fdt: the blob
 * @node: a node offset
 * @ac, @sc: out: the counts (defaults 2 and 1 when absent)
 *
 * Return: 0, or -EINVAL if a count is present but not 1 or 2 (0 for size).
 */
int fdt_cells(const void *fdt, int node, int *ac, int *sc);

/**
 * fdt_node_reg() - the @index'th "reg" entry of @node, as a CPU address
 * @fdt: the blob
 * @node: a node offset
 * @index: which (address, size) tuple
 * @base, @size: out
 *
 * The address is translated through every ancestor's "ranges"; an empty
 * "ranges" is the identity, a missing one stops translation (the bus is not
 * memory-mapped) and gives -ENOENT.
 * Return: 0, -ENOENT if there is no such entry or no CPU address, -EINVAL if
 * the tree is malformed.
 */
int fdt_node_reg(const void *fdt, int node, int index, uint64_t *base,
		 uint64_t *size);

/* The u32 property @name of @node, or @def when absent or not 4 bytes long. */
uint32_t fdt_prop_u32(const void *fdt, int node, const char *name,
		      uint32_t def);

/* What /chosen says [dt-spec 0.4 §3.6]; pointers point into the blob. */
struct fdt_chosen {
	const char *bootargs;		/* NULL if absent */
	const char *stdout_path;	/* as written, ":options" included */
	uint64_t initrd_start;		/* 0 if absent */
	uint64_t initrd_end;
	const void *rng_seed;		/* rng-seed, else kaslr-seed */
	uint32_t rng_seed_len;
	bool has_usable_range;		/* linux,usable-memory-range */
	uint64_t usable_base;
	uint64_t usable_size;
};

/**
 * fdt_dma_max_cpu_address() - highest CPU address every DMA master reaches
 * @fdt: a blob that passed fdt_blob_check(), or NULL
 *
 * The lowest end, over all available nodes, of the highest CPU range each
 * one's "dma-ranges" maps (drivers/firmware/fdt_dma.c): where ZONE_DMA
 * ends on boards like the Raspberry Pi 4 (0x3fffffff).
 * Return: that address (inclusive), or UINT64_MAX if nothing limits DMA.
 */
uint64_t fdt_dma_max_cpu_address(const void *fdt);

/**
 * fdt_scan_chosen() - read /chosen, checking every property's form
 * @fdt: a blob that passed fdt_blob_check()
 * @chosen: out; zeroed first
 *
 * Return: 0 (also when /chosen is absent), or -EINVAL if it is malformed
 * (the fields that could be read are still filled in).
 */
int fdt_scan_chosen(const void *fdt, struct fdt_chosen *chosen);

/**
 * fdt_scan_memory() - describe memory from a device tree, in memblock
 * @fdt: a blob that passed fdt_blob_check()
 *
 * Every device_type = "memory" node with every reg tuple (status, NUMA
 * node, hotpluggable honoured), /memreserve/, /reserved-memory (static and
 * dynamic, no-map, reusable, firmware regions forced no-map), the /chosen
 * initrd and usable-memory-range. Provenance and diagnostics are logged
 * (<cairn/fwmap.h>). Return: 0, -EINVAL if the tree is unusable,
 * -ENOMEM if memblock is full.
 */
int fdt_scan_memory(const void *fdt);

/*
 * Only the reservations of fdt_scan_memory() (/memreserve/,
 * /reserved-memory, the initrd): for boots where the UEFI map describes
 * memory and the DT comes too.
 */
int fdt_scan_reservations(const void *fdt);

/*
 * Compare the DT's memory nodes with memblock.memory (filled from the UEFI
 * map) and report each difference as FWD_DT_EFI_DISAGREE. Returns the
 * number of differences.
 */
int fdt_compare_memory(const void *fdt);

/*
 * The node index (drivers/firmware/fdt_index.c): one pass over the
 * structure block, made by fdt_blob_check() when it accepts a blob, that
 * records every node's offset, depth, parent and name, and the first
 * occurrence of each property named in enum fdt_index_prop. The
 * fdt_index_*() lookups below answer exactly as the libfdt call each one
 * names, from the index when it holds @fdt and the offset is one of its
 * nodes, else by that libfdt call: a tree the index cannot hold (too
 * many nodes or properties, an unusual structure block) is only slower.
 *
 * A blob must not change after fdt_blob_check() accepted it; check it
 * again (or call fdt_index_forget()) after changing it.
 */

/* The properties the index keeps, in the order of fdt_index_prop_names. */
enum fdt_index_prop {
	FDT_P_COMPATIBLE,
	FDT_P_REG,
	FDT_P_STATUS,
	FDT_P_DEVICE_TYPE,
	FDT_P_ADDRESS_CELLS,
	FDT_P_SIZE_CELLS,
	FDT_P_RANGES,
	FDT_P_DMA_RANGES,
	FDT_P_NUMA_NODE_ID,
	FDT_P_HOTPLUGGABLE,
	FDT_P_NO_MAP,
	FDT_P_REUSABLE,
	FDT_P_SIZE,
	FDT_P_ALIGNMENT,
	FDT_P_ALLOC_RANGES,
	FDT_P_BOOTARGS,
	FDT_P_STDOUT_PATH,
	FDT_P_LINUX_STDOUT_PATH,
	FDT_P_RNG_SEED,
	FDT_P_KASLR_SEED,
	FDT_P_INITRD_START,
	FDT_P_INITRD_END,
	FDT_P_USABLE_MEMORY_RANGE,
	FDT_P_METHOD,
	FDT_P_CLOCK_FREQUENCY,
	FDT_P_TIMEBASE_FREQUENCY,
	FDT_P_UBOOT_VERSION,
	FDT_P_REG_SHIFT,
	FDT_P_REG_IO_WIDTH,
	FDT_P_BOOT_HARTID,
	FDT_P_COUNT
};

/* Property name of each enum fdt_index_prop. */
extern const char *const fdt_index_prop_names[FDT_P_COUNT];

/* Largest tree the index holds: nodes, and kept properties. */
#define FDT_INDEX_MAX_NODES	256
#define FDT_INDEX_MAX_PROPS	768

/**
 * fdt_index_build() - index a blob that passed fdt_check_header()
 * @fdt: the blob
 *
 * fdt_blob_check() calls it; host tests may too. A previous index is
 * dropped first.
 * Return: true if the blob is indexed, false if it is left to libfdt
 * (too large, or a structure block with anything but one well-formed
 * root node followed by FDT_END).
 */
bool fdt_index_build(const void *fdt);

/* Drop the index: every lookup goes to libfdt until the next build. */
void fdt_index_forget(void);

/*
 * For host tests and fuzzers, which compare the two: with @disable, no
 * index is built and every lookup goes to libfdt.
 */
void fdt_index_disable(bool disable);

/* Whether the index holds @fdt (same address, same header). */
bool fdt_index_ready(const void *fdt);

/**
 * fdt_index_getprop() - fdt_getprop() of a property the index keeps
 * @fdt: the blob
 * @node: a node offset
 * @prop: which property
 * @lenp: out (may be NULL): its length, or a negative libfdt error
 *
 * Return: the value, or NULL as fdt_getprop() returns it.
 */
const void *fdt_index_getprop(const void *fdt, int node,
			      enum fdt_index_prop prop, int *lenp);

/* fdt_prop_u32() of a property the index keeps. */
uint32_t fdt_index_u32(const void *fdt, int node, enum fdt_index_prop prop,
		       uint32_t def);

/* fdt_get_name(), fdt_parent_offset(), fdt_get_path() through the index. */
const char *fdt_index_get_name(const void *fdt, int node, int *lenp);
int fdt_index_parent_offset(const void *fdt, int node);
int fdt_index_get_path(const void *fdt, int node, char *buf, int buflen);

/*
 * fdt_path_offset_namelen() and fdt_path_offset() through the index; an
 * alias must hold a full path (fdt_index.c).
 */
int fdt_index_path_offset_namelen(const void *fdt, const char *path,
				  int namelen);
int fdt_index_path_offset(const void *fdt, const char *path);

/* fdt_node_offset_by_compatible() and fdt_node_check_compatible(). */
int fdt_index_node_offset_by_compatible(const void *fdt, int start,
					const char *compatible);
int fdt_index_node_check_compatible(const void *fdt, int node,
				    const char *compatible);

/* fdt_first_subnode() and fdt_next_subnode() through the index. */
int fdt_index_first_subnode(const void *fdt, int node);
int fdt_index_next_subnode(const void *fdt, int node);

/*
 * Every node from the root in tree order, with its depth below the root:
 *
 *	struct fdt_index_walk w;
 *
 *	for (fdt_index_walk_start(&w, fdt); fdt_index_walk_next(&w);)
 *		use w.node, w.depth, w.props;
 *
 * The root comes first, at depth 0. At the end w.node and w.depth are
 * what fdt_next_node() ended with: the offset after the root's
 * FDT_END_NODE and -1 after the whole tree, or a negative libfdt error
 * when the structure block breaks off.
 */
struct fdt_index_walk {
	const void *fdt;
	int node;
	int depth;
	int pos;	/* index position, or -1: libfdt */
	bool started;
	/*
	 * Bit per enum fdt_index_prop the node has, from the index; all
	 * set when it is not known (no index): then ask.
	 */
	uint32_t props;
};

void fdt_index_walk_start(struct fdt_index_walk *w, const void *fdt);
bool fdt_index_walk_next(struct fdt_index_walk *w);
