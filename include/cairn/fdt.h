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
 * (fdt_check_header()), plus the block alignments libfdt relies on.
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
