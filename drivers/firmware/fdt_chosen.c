// SPDX-License-Identifier: BSD-2-Clause
/*
 * /chosen [dt-spec 0.4 §3.6]: bootargs, stdout-path, the initrd, the usable
 * memory range and the random seed, each checked for its form before use.
 * Data only, host-buildable (tests/host/test_fdt_memory.c). It reads and
 * reports; it changes nothing in memblock: fdt_memory.c reserves the initrd
 * and applies the usable range. The blob is untrusted: a property of the
 * wrong size or form is left out with one fw003 diagnostic.
 */
#include <stdint.h>
#include <string.h>

#include <cairn/errno.h>
#include <cairn/fdt.h>
#include <cairn/fwmap.h>

#include "fdt_local.h"

#define CHOSEN	"/chosen"

/*
 * A string property: *@out points into the blob when the property holds a
 * NUL within its length, else it stays NULL. Return: 0, or -EINVAL if the
 * property is present but not a string.
 */
static int read_string(const void *fdt, int node, enum fdt_index_prop prop,
		       const char **out, bool report)
{
	const char *name = fdt_index_prop_names[prop];
	const char *p;
	int len;

	p = fdt_index_getprop(fdt, node, prop, &len);
	if (p == NULL) {
		return 0;
	}
	if (len <= 0 || memchr(p, '\0', (size_t)len) == NULL) {
		if (report) {
			fw_diag(FWD_BAD_PROPERTY, CHOSEN, 0, 0,
				"%s is not a NUL-terminated string (%d bytes), ignored",
				name, len);
		}
		return -EINVAL;
	}
	*out = p;
	return 0;
}

/*
 * linux,initrd-start or -end: a u32 or a u64 [Linux
 * Documentation/devicetree/bindings/chosen.txt]. Return: 1 if present and
 * well formed, 0 if absent, -EINVAL otherwise.
 */
static int read_initrd_addr(const void *fdt, int node,
			    enum fdt_index_prop prop, uint64_t *v, bool report)
{
	const char *name = fdt_index_prop_names[prop];
	const fdt32_t *p;
	int len;

	p = fdt_index_getprop(fdt, node, prop, &len);
	if (p == NULL) {
		return 0;
	}
	if (len != 4 && len != 8) {
		if (report) {
			fw_diag(FWD_BAD_PROPERTY, CHOSEN, 0, 0,
				"%s is %d bytes, not 4 or 8", name, len);
		}
		return -EINVAL;
	}
	*v = fdt_read_number(p, len / 4);
	return 1;
}

static int parse_initrd(const void *fdt, int node, struct fdt_chosen *c,
			bool report)
{
	uint64_t start = 0, end = 0;
	int s, e;

	s = read_initrd_addr(fdt, node, FDT_P_INITRD_START, &start, report);
	e = read_initrd_addr(fdt, node, FDT_P_INITRD_END, &end, report);
	if (s < 0 || e < 0) {
		return -EINVAL;
	}
	if (s == 0 && e == 0) {
		return 0;
	}
	if (s == 0 || e == 0) {
		if (report) {
			fw_diag(FWD_BAD_PROPERTY, CHOSEN, 0, 0,
				"linux,initrd-%s without linux,initrd-%s, initrd ignored",
				s ? "start" : "end", s ? "end" : "start");
		}
		return -EINVAL;
	}
	if (end < start) {
		if (report) {
			fw_diag(FWD_BAD_PROPERTY, CHOSEN, 0, 0,
				"linux,initrd-end 0x%llx below linux,initrd-start 0x%llx, initrd ignored",
				(unsigned long long)end,
				(unsigned long long)start);
		}
		return -EINVAL;
	}
	if (end == start) {
		if (report) {
			fw_diag(FWD_EMPTY_RANGE, CHOSEN, 0, 0,
				"initrd of size 0 at 0x%llx, ignored",
				(unsigned long long)start);
		}
		return 0;
	}
	c->initrd_start = start;
	c->initrd_end = end;
	return 0;
}

/*
 * linux,usable-memory-range: (base, size) tuples in the root's cells; the
 * first is the range memory is capped to [Linux chosen.txt]. fdt_memory.c
 * reads the further tuples itself.
 */
static int parse_usable_range(const void *fdt, int node, struct fdt_chosen *c,
			      bool report)
{
	const fdt32_t *p;
	int len, ac, sc;

	p = fdt_index_getprop(fdt, node, FDT_P_USABLE_MEMORY_RANGE, &len);
	if (p == NULL) {
		return 0;
	}
	if (fdt_cells(fdt, 0, &ac, &sc) < 0 || sc == 0) {
		if (report) {
			fw_diag(FWD_BAD_CELLS, "/", 0, 0,
				"root #address-cells/#size-cells unreadable: linux,usable-memory-range ignored");
		}
		return -EINVAL;
	}
	if (len <= 0 || len % ((ac + sc) * 4) != 0) {
		if (report) {
			fw_diag(FWD_BAD_PROPERTY, CHOSEN, 0, 0,
				"linux,usable-memory-range is %d bytes, not whole (%d + %d)-cell tuples; ignored",
				len, ac, sc);
		}
		return -EINVAL;
	}
	c->usable_base = fdt_read_number(p, ac);
	c->usable_size = fdt_read_number(p + ac, sc);
	if (c->usable_size == 0) {
		if (report) {
			fw_diag(FWD_EMPTY_RANGE, CHOSEN, c->usable_base, 0,
				"linux,usable-memory-range of size 0, ignored");
		}
		return 0;
	}
	c->has_usable_range = true;
	return 0;
}

/* rng-seed (any length), else kaslr-seed (a u64). */
static int parse_seed(const void *fdt, int node, struct fdt_chosen *c,
		      bool report)
{
	const void *p;
	int len;

	p = fdt_index_getprop(fdt, node, FDT_P_RNG_SEED, &len);
	if (p != NULL && len > 0) {
		c->rng_seed = p;
		c->rng_seed_len = (uint32_t)len;
		return 0;
	}
	p = fdt_index_getprop(fdt, node, FDT_P_KASLR_SEED, &len);
	if (p == NULL) {
		return 0;
	}
	if (len != 8) {
		if (report) {
			fw_diag(FWD_BAD_PROPERTY, CHOSEN, 0, 0,
				"kaslr-seed is %d bytes, not 8; ignored", len);
		}
		return -EINVAL;
	}
	c->rng_seed = p;
	c->rng_seed_len = 8;
	return 0;
}

int fdt_chosen_parse(const void *fdt, struct fdt_chosen *chosen,
		     unsigned int report)
{
	bool mem = report & FDT_CHOSEN_REPORT_MEMORY;
	bool other = report & FDT_CHOSEN_REPORT_OTHER;
	int node, err = 0;

	memset(chosen, 0, sizeof(*chosen));
	if (fdt == NULL) {
		return -EINVAL;
	}
	node = fdt_index_path_offset(fdt, CHOSEN);
	if (node < 0) {
		return 0;
	}
	err |= read_string(fdt, node, FDT_P_BOOTARGS, &chosen->bootargs, other);
	err |= read_string(fdt, node, FDT_P_STDOUT_PATH, &chosen->stdout_path,
			   other);
	if (chosen->stdout_path == NULL &&
	    fdt_index_getprop(fdt, node, FDT_P_STDOUT_PATH, NULL) == NULL) {
		/* The name before dt-spec 0.1 [Linux chosen.txt]. */
		err |= read_string(fdt, node, FDT_P_LINUX_STDOUT_PATH,
				   &chosen->stdout_path, other);
	}
	err |= parse_seed(fdt, node, chosen, other);
	err |= parse_initrd(fdt, node, chosen, mem);
	err |= parse_usable_range(fdt, node, chosen, mem);
	return err ? -EINVAL : 0;
}

/**
 * fdt_scan_chosen() - read /chosen, checking every property's form
 * @fdt: a blob that passed fdt_blob_check()
 * @chosen: out; zeroed first
 *
 * bootargs and stdout-path must hold a NUL within the property; the initrd
 * bounds are u32 or u64 each with end above start; the usable range is in
 * the root's cells; kaslr-seed is a u64. A bad property is left out with an
 * fw003 diagnostic.
 * Return: 0 (also when /chosen is absent), or -EINVAL if it is malformed
 * (the fields that could be read are still filled in).
 */
int fdt_scan_chosen(const void *fdt, struct fdt_chosen *chosen)
{
	return fdt_chosen_parse(fdt, chosen, FDT_CHOSEN_REPORT_ALL);
}
