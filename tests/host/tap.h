// SPDX-License-Identifier: BSD-2-Clause
/*
 * A minimal TAP producer for host tests (meson test, protocol: 'tap').
 *
 *	static void test_add_simple(void) { ... CHECK(x == y); ... }
 *	int main(void) { TEST(test_add_simple); return tap_done(); }
 *
 * CHECK() records a failure with file, line and the expression and goes on;
 * each TEST() is one "ok"/"not ok" line. A test case that checks nothing is
 * reported as a failure: every case must assert something.
 */
#pragma once

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

static int tap_case_failed;
static int tap_case_checks;
static int tap_cases;
static int tap_failed;

#define CHECK(cond)							\
	do {								\
		tap_case_checks++;					\
		if (!(cond)) {						\
			tap_case_failed = 1;				\
			printf("# %s:%d: CHECK(%s) failed\n", __FILE__,	\
			       __LINE__, #cond);			\
		}							\
	} while (0)

/* Compare two integers and print both on failure. */
#define CHECK_EQ(a, b)							\
	do {								\
		uint64_t tap_a_ = (uint64_t)(a), tap_b_ = (uint64_t)(b); \
		tap_case_checks++;					\
		if (tap_a_ != tap_b_) {					\
			tap_case_failed = 1;				\
			printf("# %s:%d: %s == %s failed: %#" PRIx64	\
			       " != %#" PRIx64 "\n", __FILE__, __LINE__, \
			       #a, #b, tap_a_, tap_b_);			\
		}							\
	} while (0)

static inline void tap_run(void (*fn)(void), const char *name)
{
	tap_case_failed = 0;
	tap_case_checks = 0;
	fn();
	tap_cases++;
	if (tap_case_checks == 0) {
		printf("# %s asserted nothing\n", name);
		tap_case_failed = 1;
	}
	if (tap_case_failed) {
		tap_failed++;
	}
	printf("%s %d - %s\n", tap_case_failed ? "not ok" : "ok", tap_cases,
	       name);
	fflush(stdout);
}

#define TEST(fn) tap_run(fn, #fn)

static inline int tap_done(void)
{
	printf("1..%d\n", tap_cases);
	return tap_failed ? 1 : 0;
}
