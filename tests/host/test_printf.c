// SPDX-License-Identifier: BSD-2-Clause
/*
 * lib/printf.c against the C library's printf on the same formats: every
 * case is formatted by both and must match byte for byte.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <cairn/printf.h>

#include "tap.h"

struct out {
	char buf[256];
	size_t len;
};

static void out_c(void *ctx, char c)
{
	struct out *o = ctx;

	if (o->len + 1 < sizeof(o->buf)) {
		o->buf[o->len++] = c;
		o->buf[o->len] = '\0';
	}
}

/* Format with both and compare; returns true when they agree. */
__attribute__((format(printf, 1, 2)))
static int same(const char *fmt, ...)
{
	struct out o = { .len = 0 };
	char want[256];
	va_list ap, ap2;
	int n, m;

	va_start(ap, fmt);
	va_copy(ap2, ap);
	n = vcbprintf(out_c, &o, fmt, ap);
	m = vsnprintf(want, sizeof(want), fmt, ap2);
	va_end(ap2);
	va_end(ap);
	if (n != m || strcmp(o.buf, want) != 0) {
		printf("# fmt \"%s\": got \"%s\" (%d), libc \"%s\" (%d)\n", fmt,
		       o.buf, n, want, m);
		return 0;
	}
	return 1;
}

/* Signed and unsigned decimals of every length, with their extremes. */
static void test_decimal(void)
{
	CHECK(same("%d %i %u", 0, -1, 4000000000u));
	/* hh and h must truncate a wider int argument, as C11 says. */
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wformat"
	CHECK(same("%hhd %hd %hhu %hx", -129, 70000, 300, 0x12345));
#pragma clang diagnostic pop
	CHECK(same("%ld %lld", -5L, -9223372036854775807LL - 1));
	CHECK(same("%zu %jd %td", (size_t)-1, (intmax_t)-3, (ptrdiff_t)7));
	CHECK(same("%llu", 18446744073709551615ULL));
}

/* Width, precision, and the flags "-+ #0", alone and together. */
static void test_flags(void)
{
	CHECK(same("[%5d] [%-5d] [%05d] [%+d] [% d]", 42, 42, -42, 42, 42));
	CHECK(same("[%.3d] [%8.3d] [%-8.3d] [%.0d]", 7, -7, 7, 0));
	CHECK(same("[%*d] [%-*d] [%.*d]", 6, 1, 6, 1, 4, 1));
	CHECK(same("[%*d]", -6, 1));
	CHECK(same("[%#x] [%#X] [%#o] [%#x] [%#o]", 255, 255, 8, 0, 0));
	CHECK(same("[%08x] [%#010llx] [%-#10x]", 0xbeef, 0x80200000ULL, 1));
}

/* Strings, characters, pointers and the percent sign. */
static void test_strings(void)
{
	CHECK(same("[%s] [%10s] [%-10s] [%.2s] [%c] [%%]", "abc", "abc",
		   "abc", "abc", 'z'));
	CHECK(same("[%5c] [%-3c]", 'a', 'b'));
	CHECK(same("%p", (void *)0x1234));
}

static int cairn_fmt(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vcbprintf(out_c, o, fmt, ap);
	va_end(ap);
	return n;
}

/* Unsupported conversions come out as written, and the count is right. */
static void test_unknown(void)
{
	struct out o = { .len = 0 };
	int n;

	n = cairn_fmt(&o, "a%qb%f");
	CHECK(strcmp(o.buf, "a%qb%f") == 0);
	CHECK_EQ(n, 6);
}

/* A trailing lone '%' ends the output without reading past the string. */
static void test_trailing_percent(void)
{
	struct out o = { .len = 0 };
	int n;

	n = cairn_fmt(&o, "50%");
	CHECK(strcmp(o.buf, "50%") == 0);
	CHECK_EQ(n, 3);
}

int main(void)
{
	TEST(test_decimal);
	TEST(test_flags);
	TEST(test_strings);
	TEST(test_unknown);
	TEST(test_trailing_percent);
	return tap_done();
}
