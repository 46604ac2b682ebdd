// SPDX-License-Identifier: BSD-2-Clause
/*
 * Randomised differential test of memblock against a page-granular
 * reference model (memblock_check.h): at least 100 000 random operations
 * per run, in epochs that each start from memblock_reset(), checking after
 * every operation that the arrays are sorted, disjoint and merged, that
 * total_size and the queries agree with the model, and that every
 * allocation lands where Linux's rules put it.
 *
 * The seed is printed; pass one back as argv[1] or CAIRN_SEED to replay.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <cairn/memblock.h>

#include "memblock_check.h"
#include "tap.h"

#define MIN_OPS 100000

static uint64_t rng_state;

/* splitmix64: small, fast and good enough to drive a test. */
static uint64_t rng_next(void)
{
	uint64_t z = (rng_state += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static uint32_t rng_below(void *ctx, uint32_t n)
{
	(void)ctx;
	return n ? (uint32_t)(rng_next() % n) : 0;
}

static struct mbt model;
static uint64_t seed;

/*
 * Random operations in epochs from an empty memblock: each epoch starts
 * with a few memory banks, top-down or bottom-up, resizable or not.
 */
static void test_random_ops(void)
{
	uint64_t done = 0;
	unsigned int epochs = 0;

	while (done < MIN_OPS) {
		uint64_t len = 2000 + rng_below(NULL, 20000);

		mbt_reset(&model);
		memblock_set_bottom_up(rng_below(NULL, 2));
		switch (rng_below(NULL, 3)) {
		case 0:
			break;
		case 1:
			memblock_allow_resize();
			model.can_resize = true;
			break;
		default:
			/* Small ranges on all-memory: the arrays grow. */
			mbt_start_fragmenting(&model);
			break;
		}
		for (uint64_t i = 0; i < len; i++) {
			if (!mbt_step(&model, rng_below, NULL)) {
				printf("# seed %" PRIu64 " epoch %u: %s\n",
				       seed, epochs, model.err);
				CHECK(model.err[0] == '\0');
				return;
			}
		}
		done += len;
		epochs++;
	}
	printf("# %" PRIu64 " operations in %u epochs\n", done, epochs);
	CHECK(done >= MIN_OPS);
}

int main(int argc, char **argv)
{
	const char *env = getenv("CAIRN_SEED");

	if (argc > 1) {
		seed = strtoull(argv[1], NULL, 0);
	} else if (env != NULL && *env != '\0') {
		seed = strtoull(env, NULL, 0);
	} else {
		seed = (uint64_t)time(NULL) ^ ((uint64_t)clock() << 32);
	}
	printf("# seed %" PRIu64 " (replay: CAIRN_SEED=%" PRIu64 ")\n", seed,
	       seed);
	rng_state = seed;
	if (mbt_init(&model) != 0) {
		printf("Bail out! no memory for the arena\n");
		return 1;
	}
	TEST(test_random_ops);
	free(model.arena);
	return tap_done();
}
