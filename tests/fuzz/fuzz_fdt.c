// SPDX-License-Identifier: BSD-2-Clause
/*
 * libFuzzer target for the device tree converters (drivers/firmware/
 * fdt_memory.c, fdt_chosen.c): each input is a blob; if fdt_blob_check()
 * accepts it, fdt_scan_memory(), fdt_scan_chosen(), fdt_compare_memory()
 * and fdt_scan_reservations() run on it from an empty memblock and log,
 * and the invariants below are checked. A broken one aborts, which
 * libFuzzer reports as a crash with the input.
 *
 *   - memblock sorted, disjoint, merged, sizes summed (memblock_check.h);
 *   - every record: a memory range kept inside what was given, a
 *     reservation kept as given (capped at the top) and wholly reserved,
 *     and where it is memory, a NOMAP one is NOMAP there;
 *   - /chosen strings end with a NUL inside the blob;
 *   - the node index (fdt_index.c) answers every lookup as libfdt does,
 *     and the converters do the same with it and without it
 *     (../host/fdt_index_check.h).
 *
 * Seeds: the DTBs compiled from dts/ into the build folder (BUILD/dts).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairn/fdt.h>
#include <cairn/fwmap.h>
#include <cairn/memblock.h>

#include "../host/fdt_index_check.h"
#include "../host/memblock_check.h"

static void fail(const char *what, const struct fw_record *r)
{
	fprintf(stderr, "fuzz_fdt: %s", what);
	if (r != NULL) {
		fprintf(stderr, " (record %s#%u [%#llx +%#llx] kept [%#llx +%#llx] target %u)",
			r->origin, r->index, (unsigned long long)r->base,
			(unsigned long long)r->size,
			(unsigned long long)r->kept_base,
			(unsigned long long)r->kept_size, r->target);
	}
	fprintf(stderr, "\n");
	abort();
}

static void check_memblock(void)
{
	const char *err = mbt_check_invariants();

	if (err != NULL) {
		fail(err, NULL);
	}
}

/* [@base, @base + @size) lies inside one reserved region. */
static bool reserved_whole(phys_addr_t base, phys_addr_t size)
{
	const struct memblock_region *r;

	for_each_reserved_mem_region(r) {
		if (base >= r->base && base + size <= r->base + r->size) {
			return true;
		}
	}
	return false;
}

/* Every memory region overlapping the range is NOMAP. */
static bool nomap_where_memory(phys_addr_t base, phys_addr_t size)
{
	const struct memblock_region *m;

	for_each_mem_region(m) {
		if (m->base < base + size && base < m->base + m->size &&
		    !memblock_is_nomap(m)) {
			return false;
		}
	}
	return true;
}

static void check_records(bool complete)
{
	for (uint32_t i = 0; i < fw_log.cnt; i++) {
		const struct fw_record *r = &fw_log.rec[i];
		phys_addr_t end = r->base + r->size;

		if (r->base + r->size < r->base) {
			end = PHYS_ADDR_MAX;	/* given past the top */
		}
		if (r->fate == FW_DROPPED) {
			if (r->kept_size != 0 || r->why == NULL) {
				fail("dropped record without a reason", r);
			}
			continue;
		}
		if (r->kept_base < r->base ||
		    r->kept_size > end - r->kept_base) {
			fail("kept range outside the given one", r);
		}
		if (r->target != FW_TO_RESERVED && r->target != FW_TO_NOMAP) {
			continue;
		}
		if (r->kept_base != r->base) {
			fail("reservation moved", r);
		}
		/* After -ENOMEM, later steps did not run: no more checks. */
		if (!complete) {
			continue;
		}
		if (!reserved_whole(r->kept_base, r->kept_size)) {
			fail("reservation not wholly reserved", r);
		}
		if (r->target == FW_TO_NOMAP &&
		    !nomap_where_memory(r->kept_base, r->kept_size)) {
			fail("no-map reservation on mapped memory", r);
		}
	}
}

static void check_string(const char *s, const uint8_t *blob, size_t size)
{
	const uint8_t *p = (const uint8_t *)s;

	if (s == NULL) {
		return;
	}
	if (p < blob || p >= blob + size ||
	    memchr(p, '\0', (size_t)(blob + size - p)) == NULL) {
		fail("/chosen string outside the blob or without a NUL", NULL);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fdt_chosen c;
	uint8_t *blob;
	int ret;

	/* max_size 0 means "unknown" to fdt_blob_check(): not a fuzz case. */
	if (size == 0) {
		return 0;
	}
	/* libFuzzer's buffer may be unaligned: the blob must be 8-aligned. */
	blob = malloc(size);
	if (blob == NULL) {
		return 0;
	}
	memcpy(blob, data, size);
	if (fdt_blob_check(blob, size) != NULL) {
		free(blob);
		return 0;
	}

	{
		const char *why = fdt_index_compare(blob);

		if (why != NULL) {
			fprintf(stderr, "fuzz_fdt: index: %s\n", why);
			fail("the index disagrees with libfdt", NULL);
		}
	}
	if (!fdt_index_compare_scans(blob)) {
		fail("the converters differ with and without the index", NULL);
	}

	memblock_reset();
	fw_reset();
	ret = fdt_scan_memory(blob);
	if (ret != 0 && ret != -EINVAL && ret != -ENOMEM) {
		fail("fdt_scan_memory() returned an unknown error", NULL);
	}
	check_memblock();
	check_records(ret != -ENOMEM);
	/* As detect_memory() ends: reservations against memory (fw007). */
	fw_lint();
	if (fdt_compare_memory(blob) < 0) {
		fail("fdt_compare_memory() < 0", NULL);
	}

	ret = fdt_scan_chosen(blob, &c);
	if (ret != 0 && ret != -EINVAL) {
		fail("fdt_scan_chosen() returned an unknown error", NULL);
	}
	check_string(c.bootargs, blob, size);
	check_string(c.stdout_path, blob, size);
	if (c.initrd_end < c.initrd_start) {
		fail("initrd ends before it starts", NULL);
	}

	/* As after a UEFI map: memory first, then the DT's reservations. */
	memblock_reset();
	fw_reset();
	memblock_add(0x40000000, 0x100000000);
	ret = fdt_scan_reservations(blob);
	check_memblock();
	check_records(ret != -ENOMEM);

	free(blob);
	return 0;
}
