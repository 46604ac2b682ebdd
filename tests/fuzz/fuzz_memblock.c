// SPDX-License-Identifier: BSD-2-Clause
/*
 * libFuzzer target for memblock: the input bytes choose the operations
 * that tests/host/test_memblock_random.c draws from a PRNG (the shared
 * tests/host/memblock_check.h), against the same page-granular model and
 * with the same checks after each one. memblock is reset for every input.
 * A broken check aborts, which libFuzzer reports as a crash with the input.
 *
 * Built with -Dfuzz=true; ci/fuzz.sh runs it for a bounded time.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cairn/memblock.h>

#include "../host/memblock_check.h"

#define FUZZ_MAX_OPS 4096

struct fuzz_src {
	const uint8_t *data;
	size_t size, pos;
};

/* A number below @n from the next one to four input bytes; 0 when dry. */
static uint32_t fuzz_below(void *ctx, uint32_t n)
{
	struct fuzz_src *src = ctx;
	uint32_t v = 0;

	for (uint32_t span = 1; span != 0 && span < n; span <<= 8) {
		if (src->pos < src->size) {
			v = v << 8 | src->data[src->pos];
		}
		src->pos++;
		if (span > (UINT32_MAX >> 8)) {
			break;
		}
	}
	return n ? v % n : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct mbt model;
	static bool ready;
	struct fuzz_src src = {data, size, 0};
	uint32_t mode;

	if (!ready) {
		if (mbt_init(&model) != 0) {
			abort();
		}
		ready = true;
	}
	mbt_reset(&model);
	mode = fuzz_below(&src, 8);
	memblock_set_bottom_up(mode & 1);
	if (mode & 2) {
		memblock_allow_resize();
		model.can_resize = true;
	}
	if (mode & 4) {
		mbt_start_fragmenting(&model);
	}
	for (int i = 0; i < FUZZ_MAX_OPS && src.pos < src.size; i++) {
		if (!mbt_step(&model, fuzz_below, &src)) {
			fprintf(stderr, "fuzz_memblock: %s\n", model.err);
			abort();
		}
	}
	return 0;
}
