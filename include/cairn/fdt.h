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
