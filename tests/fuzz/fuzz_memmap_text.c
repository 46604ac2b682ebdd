// SPDX-License-Identifier: BSD-2-Clause
/*
 * libFuzzer target for the text parsers of cairn-memmap
 * (tools/memmap_text.c). The first input byte picks the parser (bit 0:
 * e820 or EFI) and the output capacity (the other bits: 0 to 127 entries,
 * so that a full table is reached often); the rest is the text.
 *
 * After each input: no more entries than the capacity; the counts add up
 * (every map line is an entry, a refused line or an excess line, each
 * refused or excess line reported once, in order, with a line number in
 * range); and every entry is well-formed: an e820 range that does not wrap,
 * an EFI range of 1 to 2^52 whole pages that does not wrap. A broken
 * invariant aborts, which libFuzzer reports with the input.
 *
 * Built with -Dfuzz=true; seeds in tests/fuzz/corpus/fuzz_memmap_text/.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "../../tools/memmap_text.h"

#define FUZZ_MAX_OUT	128

struct reports {
	uint32_t n;
	uint32_t last_line;
	uint32_t lines;		/* upper bound: newlines + 1 */
};

static void fail(const char *what)
{
	fprintf(stderr, "fuzz_memmap_text: invariant broken: %s\n", what);
	abort();
}

static void report(void *ctx, uint32_t line, const char *why)
{
	struct reports *r = ctx;

	if (why == NULL || why[0] == '\0') {
		fail("report without a reason");
	}
	if (line == 0 || line > r->lines || line <= r->last_line) {
		fail("report line number out of order or range");
	}
	r->last_line = line;
	r->n++;
}

static void check_stats(const struct memmap_text_stats *st, uint32_t n,
			uint32_t max, const struct reports *r)
{
	if (n > max || n != st->entries) {
		fail("entry count");
	}
	if (st->candidates != st->entries + st->bad + st->excess) {
		fail("map lines = entries + bad + excess");
	}
	if (r->n != st->bad + st->excess) {
		fail("every refused line reported once");
	}
	if (st->lines > r->lines) {
		fail("line count");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct e820_entry e820[FUZZ_MAX_OUT];
	static struct efi_memory_desc efi[FUZZ_MAX_OUT];
	struct memmap_text_stats st;
	struct reports r = { 0 };
	const char *text;
	uint32_t max, n;
	size_t len;

	if (size == 0) {
		return 0;
	}
	max = (uint32_t)(data[0] >> 1);
	text = (const char *)data + 1;
	len = size - 1;
	r.lines = 1;
	for (size_t i = 0; i < len; i++) {
		r.lines += text[i] == '\n';
	}

	if ((data[0] & 1) == 0) {
		n = memmap_text_e820(text, len, e820, max, &st, report, &r);
		check_stats(&st, n, max, &r);
		for (uint32_t i = 0; i < n; i++) {
			const struct e820_entry *e = &e820[i];

			if (e->size != 0 && e->addr + (e->size - 1) < e->addr) {
				fail("e820 entry wraps");
			}
			if (e->index >= st.candidates) {
				fail("e820 index beyond the map lines");
			}
		}
		return 0;
	}
	n = memmap_text_efi(text, len, efi, max, &st, report, &r);
	check_stats(&st, n, max, &r);
	for (uint32_t i = 0; i < n; i++) {
		const struct efi_memory_desc *d = &efi[i];

		if (d->num_pages == 0 || d->num_pages > (UINT64_C(1) << 52)) {
			fail("EFI page count");
		}
		/* Offset of the last byte: below 2^64 for up to 2^52 pages. */
		if (d->phys_addr > UINT64_MAX -
				   (((d->num_pages - 1) << EFI_PAGE_SHIFT) +
				    ((UINT64_C(1) << EFI_PAGE_SHIFT) - 1))) {
			fail("EFI descriptor wraps");
		}
		if (d->virt_addr != 0 || d->pad != 0) {
			fail("EFI descriptor fields not cleared");
		}
	}
	return 0;
}
