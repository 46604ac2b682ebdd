// SPDX-License-Identifier: BSD-2-Clause
/*
 * Device tree helpers on top of libfdt: the blob check every user runs
 * first, and "reg" tuples with the parent's cell counts, made CPU addresses
 * through the ancestors' "ranges". Data only, host-buildable. The blob is
 * untrusted; lengths are checked before every read.
 */
#include <stdint.h>

#include <cairn/errno.h>
#include <cairn/fdt.h>

/* The checks of fdt_blob_check(), without the index. */
static const char *blob_check(const void *fdt, size_t max_size)
{
	int err;

	if (fdt == NULL) {
		return "no blob";
	}
	/* libfdt reads the header and the blocks with aligned loads. */
	if ((uintptr_t)fdt % 8 != 0) {
		return "blob not 8-byte aligned";
	}
	/* Nothing of the header may be read past a known buffer's end. */
	if (max_size != 0 && max_size < sizeof(struct fdt_header)) {
		return "blob smaller than a header";
	}
	if (fdt_magic(fdt) != FDT_MAGIC) {
		return "bad magic";
	}
	if (max_size != 0 && fdt_totalsize(fdt) > max_size) {
		return "totalsize larger than the blob's buffer";
	}
	err = fdt_check_header(fdt);
	if (err != 0) {
		return fdt_strerror(err);
	}
	/*
	 * [dt-spec 0.4 §5.3, §5.4]: the reservation block is 8-byte and the
	 * structure block 4-byte aligned. fdt_check_header() does not check
	 * this, and a misaligned block faults while the MMU is off.
	 */
	if (fdt_off_mem_rsvmap(fdt) % 8 != 0) {
		return "memory reservation block misaligned";
	}
	if (fdt_off_dt_struct(fdt) % 4 != 0) {
		return "structure block misaligned";
	}
	return NULL;
}

const char *fdt_blob_check(const void *fdt, size_t max_size)
{
	const char *why = blob_check(fdt, max_size);

	/* Every later reader looks its nodes up in the index. */
	if (why == NULL) {
		fdt_index_build(fdt);
	} else {
		fdt_index_forget();
	}
	return why;
}

int fdt_cells(const void *fdt, int node, int *ac, int *sc)
{
	const fdt32_t *p;
	int len;

	*ac = 2;	/* [dt-spec 0.4 §2.3.5]: the defaults */
	*sc = 1;
	p = fdt_index_getprop(fdt, node, FDT_P_ADDRESS_CELLS, &len);
	if (p != NULL) {
		if (len != 4) {
			return -EINVAL;
		}
		*ac = (int)fdt32_to_cpu(*p);
	}
	p = fdt_index_getprop(fdt, node, FDT_P_SIZE_CELLS, &len);
	if (p != NULL) {
		if (len != 4) {
			return -EINVAL;
		}
		*sc = (int)fdt32_to_cpu(*p);
	}
	if (*ac < 1 || *ac > FDT_MAX_CELLS || *sc < 0 || *sc > FDT_MAX_CELLS) {
		return -EINVAL;
	}
	return 0;
}

/*
 * Translate @addr, a child address of bus node @bus, into @bus's parent's
 * address space using @bus's "ranges". @cac is the child #address-cells.
 */
static int translate_one(const void *fdt, int bus, int cac, uint64_t *addr)
{
	const fdt32_t *r;
	int len, parent, pac, psc, dummy, stride;

	r = fdt_index_getprop(fdt, bus, FDT_P_RANGES, &len);
	if (r == NULL) {
		return -ENOENT;
	}
	if (len == 0) {
		return 0;	/* identity */
	}
	parent = fdt_index_parent_offset(fdt, bus);
	if (parent < 0) {
		return -EINVAL;
	}
	if (fdt_cells(fdt, parent, &pac, &dummy) < 0 ||
	    fdt_cells(fdt, bus, &dummy, &psc) < 0) {
		return -EINVAL;
	}
	/* Each entry: child address, parent address, size (child's size cells). */
	stride = (cac + pac + psc) * 4;
	if (psc == 0 || len % stride != 0) {
		return -EINVAL;
	}
	for (int off = 0; off < len; off += stride) {
		const fdt32_t *e = r + off / 4;
		uint64_t child = fdt_read_number(e, cac);
		uint64_t par = fdt_read_number(e + cac, pac);
		uint64_t size = fdt_read_number(e + cac + pac, psc);

		if (*addr >= child && *addr - child < size) {
			*addr = *addr - child + par;
			return 0;
		}
	}
	return -ENOENT;
}

int fdt_node_reg(const void *fdt, int node, int index, uint64_t *base,
		 uint64_t *size)
{
	const fdt32_t *reg;
	int parent, ac, sc, len, stride;

	parent = fdt_index_parent_offset(fdt, node);
	if (parent < 0 || fdt_cells(fdt, parent, &ac, &sc) < 0) {
		return -EINVAL;
	}
	reg = fdt_index_getprop(fdt, node, FDT_P_REG, &len);
	if (reg == NULL || index < 0) {
		return -ENOENT;
	}
	stride = (ac + sc) * 4;
	if (len % stride != 0) {
		return -EINVAL;
	}
	if ((index + 1) * stride > len) {
		return -ENOENT;
	}
	reg += index * (ac + sc);
	*base = fdt_read_number(reg, ac);
	*size = sc > 0 ? fdt_read_number(reg + ac, sc) : 0;

	/* Walk up: each bus above the node maps its children's addresses. */
	for (int bus = parent, cac = ac; bus != 0;) {
		int up, dummy, err;

		err = translate_one(fdt, bus, cac, base);
		if (err < 0) {
			return err;
		}
		up = fdt_index_parent_offset(fdt, bus);
		if (up < 0 || fdt_cells(fdt, up, &cac, &dummy) < 0) {
			return -EINVAL;
		}
		bus = up;
	}
	return 0;
}

uint32_t fdt_prop_u32(const void *fdt, int node, const char *name, uint32_t def)
{
	const fdt32_t *p;
	int len;

	p = fdt_getprop(fdt, node, name, &len);
	if (p == NULL || len != 4) {
		return def;
	}
	return fdt32_to_cpu(*p);
}
