// SPDX-License-Identifier: BSD-2-Clause
/*
 * The highest CPU address every DMA master reaches, from the device tree's
 * "dma-ranges" [dt-spec 0.4 §2.3.9]: the limit of ZONE_DMA on boards whose
 * buses see only part of memory (the Raspberry Pi 4's /soc reaches only the
 * lowest GiB). The rule is the one Linux's of_dma_get_max_cpu_address()
 * follows: for each available node with a non-empty dma-ranges, the end of
 * the highest CPU range it maps; the lowest of those ends over the whole
 * tree. A parent address is made a CPU address through the ancestors'
 * dma-ranges, where a missing or empty one is the identity. Data only,
 * host-buildable (tests/host: fdt_expect dma-limit=); the blob is untrusted
 * and a malformed property is logged and ignored.
 */
#include <stdint.h>
#include <string.h>

#include <cairn/errno.h>
#include <cairn/fdt.h>
#include <cairn/log.h>

/* PCI buses have 3 address cells (phys.hi flags + a 64-bit address). */
#define DMA_MAX_CHILD_CELLS	3

/* A cell count property of @node within [lo, hi], or -EINVAL. */
static int cells(const void *fdt, int node, enum fdt_index_prop name,
		 int def, int lo, int hi)
{
	int v = (int)fdt_index_u32(fdt, node, name, (uint32_t)def);

	return v >= lo && v <= hi ? v : -EINVAL;
}

static bool available(const void *fdt, int node)
{
	const char *s;
	int len;

	s = fdt_index_getprop(fdt, node, FDT_P_STATUS, &len);
	if (s == NULL) {
		return true;
	}
	return (len == 5 && memcmp(s, "okay", 5) == 0) ||
	       (len == 3 && memcmp(s, "ok", 3) == 0);
}

/*
 * Make @addr, an address on the bus that node @bus's children see, a CPU
 * address, bus by bus up to the root. Return: 0, or -ENOENT if some bus on
 * the way maps no range that holds it (or has a form we cannot read).
 */
static int dma_translate_up(const void *fdt, int bus, uint64_t *addr)
{
	while (bus > 0) {
		const fdt32_t *r;
		int len, parent, cac, pac, sc, stride, off;

		parent = fdt_index_parent_offset(fdt, bus);
		if (parent < 0) {
			return -ENOENT;
		}
		r = fdt_index_getprop(fdt, bus, FDT_P_DMA_RANGES, &len);
		if (r == NULL || len == 0) {
			bus = parent;	/* identity */
			continue;
		}
		cac = cells(fdt, bus, FDT_P_ADDRESS_CELLS, 2, 1, FDT_MAX_CELLS);
		sc = cells(fdt, bus, FDT_P_SIZE_CELLS, 1, 1, FDT_MAX_CELLS);
		pac = cells(fdt, parent, FDT_P_ADDRESS_CELLS, 2, 1, FDT_MAX_CELLS);
		if (cac < 0 || sc < 0 || pac < 0) {
			return -ENOENT;
		}
		stride = (cac + pac + sc) * 4;
		if (len % stride != 0) {
			return -ENOENT;
		}
		for (off = 0; off < len; off += stride) {
			const fdt32_t *e = r + off / 4;
			uint64_t child = fdt_read_number(e, cac);
			uint64_t par = fdt_read_number(e + cac, pac);
			uint64_t size = fdt_read_number(e + cac + pac, sc);

			if (*addr >= child && *addr - child < size) {
				*addr = *addr - child + par;
				break;
			}
		}
		if (off >= len) {
			return -ENOENT;
		}
		bus = parent;
	}
	return 0;
}

/*
 * The last CPU address of the highest range @node's dma-ranges maps, in
 * @end. Return: 0, -ENOENT if the node has no limiting dma-ranges (none,
 * empty: 1:1, or no entry with a CPU address), -EINVAL if malformed.
 */
static int node_dma_end(const void *fdt, int node, uint64_t *end)
{
	const fdt32_t *r;
	int len, parent, cac, pac, sc, stride;
	bool found = false;

	r = fdt_index_getprop(fdt, node, FDT_P_DMA_RANGES, &len);
	if (r == NULL || len == 0 || node == 0) {
		return -ENOENT;
	}
	parent = fdt_index_parent_offset(fdt, node);
	if (parent < 0) {
		return -EINVAL;
	}
	cac = cells(fdt, node, FDT_P_ADDRESS_CELLS, 2, 1, DMA_MAX_CHILD_CELLS);
	sc = cells(fdt, node, FDT_P_SIZE_CELLS, 1, 1, FDT_MAX_CELLS);
	pac = cells(fdt, parent, FDT_P_ADDRESS_CELLS, 2, 1, FDT_MAX_CELLS);
	if (cac < 0 || sc < 0 || pac < 0) {
		return -EINVAL;
	}
	stride = (cac + pac + sc) * 4;
	if (len < 0 || len % stride != 0) {
		return -EINVAL;
	}
	*end = 0;
	for (int off = 0; off < len; off += stride) {
		const fdt32_t *e = r + off / 4;
		uint64_t cpu = fdt_read_number(e + cac, pac);
		uint64_t size = fdt_read_number(e + cac + pac, sc);
		uint64_t last;

		if (size == 0 || dma_translate_up(fdt, parent, &cpu) < 0) {
			continue;
		}
		last = cpu + (size - 1) < cpu ? UINT64_MAX : cpu + (size - 1);
		if (!found || last > *end) {
			*end = last;
		}
		found = true;
	}
	return found ? 0 : -ENOENT;
}

/**
 * fdt_dma_max_cpu_address() - highest CPU address every DMA master reaches
 * @fdt: a blob that passed fdt_blob_check()
 *
 * Walks every available node (a disabled node's subtree is skipped) and
 * takes the lowest of the ends of their dma-ranges, as described at the
 * top of this file. Malformed dma-ranges are logged and ignored.
 * Return: that address (inclusive), or UINT64_MAX when no dma-ranges
 * limits DMA (QEMU virt) or @fdt is NULL.
 */
uint64_t fdt_dma_max_cpu_address(const void *fdt)
{
	struct fdt_index_walk w;
	uint64_t max = UINT64_MAX;
	int skip = -1;

	if (fdt == NULL) {
		return max;
	}
	for (fdt_index_walk_start(&w, fdt); fdt_index_walk_next(&w);) {
		uint64_t end;
		int err;

		if (skip >= 0 && w.depth > skip) {
			continue;
		}
		skip = -1;
		/* Neither status nor dma-ranges: available, no limit. */
		if ((w.props & (1u << FDT_P_STATUS |
				1u << FDT_P_DMA_RANGES)) == 0) {
			continue;
		}
		if (!available(fdt, w.node)) {
			skip = w.depth;
			continue;
		}
		err = node_dma_end(fdt, w.node, &end);
		if (err == -EINVAL) {
			pr_warn("fdt: %s: malformed dma-ranges ignored\n",
				fdt_index_get_name(fdt, w.node, NULL));
		} else if (err == 0 && end < max) {
			max = end;
		}
	}
	return max;
}
