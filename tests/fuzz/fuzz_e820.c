// SPDX-License-Identifier: BSD-2-Clause
/*
 * libFuzzer target for drivers/firmware/e820.c. The first input byte
 * chooses the mode:
 *
 *   bit 0: raw table layout, PVH (24-byte entries) or boot_params (20)
 *   bit 1: compact entries instead of a raw table: 6 bytes each, small
 *	    addresses and sizes in half pages and a type from a short list,
 *	    so that overlaps, touching entries and the low-memory rules are
 *	    hit often (raw 64-bit addresses rarely meet)
 *
 * The rest is the table. memblock and the provenance log are reset for
 * every input. After each input: fw_fuzz.h's invariants (memblock sorted,
 * disjoint, merged; records consistent with their input and memblock;
 * the memory the records add is exactly memblock.memory), then the e820
 * rules: no memory where a non-memory type was described, ACPI memory
 * reserved, nothing of the EBDA page and legacy hole is memory, page 0
 * reserved if it is memory; and e820_sanitize() of the same entries
 * sorted, disjoint, merged and covering exactly the union of the valid
 * entries.
 *
 * Built with -Dfuzz=true; seeds in tests/fuzz/corpus/fuzz_e820/.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairn/e820.h>
#include <cairn/errno.h>
#include <cairn/fwmap.h>
#include <cairn/memblock.h>

#include "fw_fuzz.h"

#define MAX_IN	(E820_MAX_ENTRIES + 64)

static struct e820_entry in[MAX_IN];
static struct e820_entry out[2 * MAX_IN];

static const uint32_t compact_types[] = {
	E820_TYPE_RAM, E820_TYPE_RAM, E820_TYPE_RAM, E820_TYPE_RESERVED,
	E820_TYPE_ACPI, E820_TYPE_NVS, E820_TYPE_UNUSABLE, E820_TYPE_PMEM,
	E820_TYPE_PRAM, E820_TYPE_SOFT_RESERVED, 0, 6, 13, 0x99,
	E820_TYPE_RAM, E820_TYPE_RESERVED,
};

static bool is_memory_type(uint32_t t)
{
	return t == E820_TYPE_RAM || t == E820_TYPE_ACPI ||
	       t == E820_TYPE_PMEM || t == E820_TYPE_PRAM ||
	       t == E820_TYPE_SOFT_RESERVED;
}

static bool adds_memory(const struct fw_record *r)
{
	if (r->format != FW_FMT_E820) {
		return false; /* The page 0 reservation. */
	}
	return r->target == FW_TO_MEMORY || r->target == FW_TO_NOMAP ||
	       (r->target == FW_TO_RESERVED && r->type == E820_TYPE_ACPI);
}

/* [base, end) of an entry as the converter clamps it; false if empty. */
static bool entry_range(const struct e820_entry *m, phys_addr_t *base,
			phys_addr_t *end)
{
	if (m->size == 0 || m->addr == PHYS_ADDR_MAX) {
		return false;
	}
	*base = m->addr;
	*end = fwf_end(m->addr, m->size);
	return true;
}

static void check_rules(uint32_t n)
{
	for (uint32_t i = 0; i < n && i < E820_MAX_ENTRIES; i++) {
		phys_addr_t b, e;

		if (!entry_range(&in[i], &b, &e)) {
			continue;
		}
		if (!is_memory_type(in[i].type) &&
		    fwf_overlaps(&memblock.memory, b, e)) {
			fwf_fail("memory over e820[%u] of type %#x", i,
				 in[i].type);
		}
		if (in[i].type == E820_TYPE_ACPI &&
		    !fwf_memory_protected(b, e, MEMBLOCK_DRIVER_MANAGED)) {
			fwf_fail("ACPI memory of e820[%u] not reserved", i);
		}
	}
	if (fwf_overlaps(&memblock.memory, 0x9f000, 0x100000)) {
		fwf_fail("memory in the EBDA page or the legacy hole");
	}
	if (fwf_overlaps(&memblock.memory, 0, PAGE_SIZE) &&
	    !fwf_covered(&memblock.reserved, 0, PAGE_SIZE, 0)) {
		fwf_fail("page 0 is memory and not reserved");
	}
}

static int cmp_range(const void *a, const void *b)
{
	const phys_addr_t *x = a, *y = b;

	return x[0] < y[0] ? -1 : x[0] > y[0];
}

/* Bytes in the union of the valid entries of in[0..n). */
static phys_addr_t union_size(uint32_t n)
{
	static phys_addr_t r[MAX_IN][2];
	phys_addr_t total = 0, cur_b = 0, cur_e = 0;
	uint32_t k = 0;

	for (uint32_t i = 0; i < n && i < E820_MAX_ENTRIES; i++) {
		if (entry_range(&in[i], &r[k][0], &r[k][1])) {
			k++;
		}
	}
	qsort(r, k, sizeof(r[0]), cmp_range);
	for (uint32_t i = 0; i < k; i++) {
		if (i == 0 || r[i][0] > cur_e) {
			total += cur_e - cur_b;
			cur_b = r[i][0];
			cur_e = r[i][1];
		} else if (r[i][1] > cur_e) {
			cur_e = r[i][1];
		}
	}
	return total + (cur_e - cur_b);
}

static void check_sanitize(uint32_t n)
{
	uint32_t nr = n;
	phys_addr_t total = 0;

	memcpy(out, in, n * sizeof(in[0]));
	fw_reset();
	if (e820_sanitize(out, &nr, ARRAY_SIZE(out)) != 0) {
		fwf_fail("e820_sanitize failed with room for 2n entries");
	}
	for (uint32_t i = 0; i < nr; i++) {
		if (out[i].size == 0 ||
		    out[i].addr + out[i].size < out[i].addr) {
			fwf_fail("sanitised entry %u empty or wrapping", i);
		}
		if (i > 0 && out[i - 1].addr + out[i - 1].size > out[i].addr) {
			fwf_fail("sanitised entry %u unsorted or overlaps",
				 i);
		}
		if (i > 0 && out[i - 1].addr + out[i - 1].size == out[i].addr &&
		    out[i - 1].type == out[i].type) {
			fwf_fail("sanitised entry %u not merged", i);
		}
		total += out[i].size;
	}
	if (total != union_size(n)) {
		fwf_fail("sanitised table covers %#llx bytes, input %#llx",
			 (unsigned long long)total,
			 (unsigned long long)union_size(n));
	}
	if (nr > 0) {
		uint32_t cnt = n;

		/* One slot short: refused, the table untouched. */
		memcpy(out, in, n * sizeof(in[0]));
		if (e820_sanitize(out, &cnt, nr - 1) != -ENOSPC || cnt != n ||
		    memcmp(out, in, n * sizeof(in[0])) != 0) {
			fwf_fail("e820_sanitize with too little room");
		}
	}
}

/* Read the raw table as the converter would, for the rule checks. */
static uint32_t unpack(const uint8_t *p, uint32_t n, size_t stride)
{
	for (uint32_t i = 0; i < n && i < MAX_IN; i++, p += stride) {
		memcpy(&in[i].addr, p, 8);
		memcpy(&in[i].size, p + 8, 8);
		memcpy(&in[i].type, p + 16, 4);
		in[i].index = i;
	}
	return n < MAX_IN ? n : MAX_IN;
}

static uint32_t compact(const uint8_t *p, size_t size)
{
	uint32_t n = 0;

	for (; size >= 6 && n < MAX_IN; p += 6, size -= 6, n++) {
		uint16_t a, s;

		memcpy(&a, p, 2);
		memcpy(&s, p + 2, 2);
		in[n] = (struct e820_entry){
			.addr = (phys_addr_t)a * 0x800,
			.size = p[5] == 0xff ? PHYS_ADDR_MAX - p[4] :
				(phys_addr_t)s * 0x800 + (p[5] == 0xfe),
			.type = compact_types[p[4] & 15],
			.index = n,
		};
		if (p[4] & 0x80) {
			in[n].addr = PHYS_ADDR_MAX - (phys_addr_t)a * 0x800;
		}
	}
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t mode;
	uint32_t n;
	size_t stride;
	int ret;

	if (size < 1) {
		return 0;
	}
	mode = data[0];
	data++;
	size--;
	memblock_reset();
	fw_reset();
	if (mode & 2) {
		n = compact(data, size);
		ret = e820_scan_entries(in, n);
	} else {
		stride = mode & 1 ? 20 : 24;
		n = (uint32_t)(size / stride);
		ret = e820_scan(data, n, mode & 1 ? BOOT_E820_BOOT_PARAMS :
					 BOOT_E820_PVH);
		n = unpack(data, n, stride);
	}
	if (n == 0) {
		if (ret != -EINVAL) {
			fwf_fail("empty table accepted");
		}
		return 0;
	}
	if (ret != 0 && ret != -ENOMEM) {
		fwf_fail("e820 returned %d", ret);
	}
	fwf_check_records(adds_memory, ret == 0);
	if (ret == 0) {
		check_rules(n);
	}
	check_sanitize(n < E820_MAX_ENTRIES ? n : E820_MAX_ENTRIES);
	return 0;
}
