// SPDX-License-Identifier: BSD-2-Clause
/*
 * lib/printf.c against the C library's printf on the same formats: every
 * case is formatted by both and must match byte for byte.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <cairn/compiler.h>
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

/* Every length of decimal and hex, around the two-digit steps. */
static void test_digits(void)
{
	unsigned long long v = 1;

	for (int i = 0; i < 20; i++, v *= 10) {
		CHECK(same("%llu %llu %llu %llx %llo", v - 1, v, v + 1, v, v));
	}
	CHECK(same("%d %d %u %x", 9, 10, 99u, 0xfu));
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

/* Wider than emit_num()'s local buffer: the piecewise path. */
static void test_wide(void)
{
	CHECK(same("[%100d] [%-70x] [%.70d]", -5, 0xabcu, 42));
	CHECK(same("[%#070x] [%+80.60lld] [%-90s]", 0x1234u, 7LL, "x"));
	CHECK(same("[%0*llu] [%*s]", 120, 99ULL, 75, "right"));
}

static const char *const flush_fmts[] = {
	"plain text, no conversion at all, longer than the small buffers",
	"[%5llu.%06llu] I: detect_memory: %llu KiB in %lu regions\n",
	"  reserved [0x%016llx-0x%016llx] %s\n",
	"%s%s%s|%-12s|%12s|%c%c%%",
	"%#llx %#o %+d % d %.0d %x %X %p",
	"%80d|%-40u|",
};

struct flushed {
	char out[512];
	size_t len;
	size_t size;		/* of the printf_buf: no flush may exceed it */
	int bad;
};

static void collect(struct printf_buf *pb)
{
	struct flushed *f = pb->ctx;

	if (pb->len == 0 || pb->len > f->size ||
	    f->len + pb->len >= sizeof(f->out)) {
		f->bad = 1;
		return;
	}
	memcpy(f->out + f->len, pb->buf, pb->len);
	f->len += pb->len;
	f->out[f->len] = '\0';
}

static int buf_fmt(struct printf_buf *pb, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vbufprintf(pb, fmt, ap);
	va_end(ap);
	return n;
}

#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wformat-nonliteral"
#pragma clang diagnostic ignored "-Wformat-security"
/* Format @fmt's case into a @size-byte printf_buf (flushed, or not). */
static int one_case(int i, struct printf_buf *pb)
{
	switch (i) {
	case 0:
		return buf_fmt(pb, flush_fmts[0]);
	case 1:
		return buf_fmt(pb, flush_fmts[1], 12ULL, 3456ULL,
			       1048576ULL, 2UL);
	case 2:
		return buf_fmt(pb, flush_fmts[2], 0x80200000ULL,
			       0x8028cfffULL, "kernel image");
	case 3:
		return buf_fmt(pb, flush_fmts[3], "a", "", "bcd", "left",
			       "right", 'x', 'y');
	case 4:
		return buf_fmt(pb, flush_fmts[4], 0xdeadbeefULL, 8u, 1, 2, 0,
			       255u, 255u, (void *)0x1000);
	default:
		return buf_fmt(pb, flush_fmts[5], -3, 4u);
	}
}

static int libc_case(int i, char *out, size_t size)
{
	switch (i) {
	case 0:
		return snprintf(out, size, flush_fmts[0]);
	case 1:
		return snprintf(out, size, flush_fmts[1], 12ULL, 3456ULL,
				1048576ULL, 2UL);
	case 2:
		return snprintf(out, size, flush_fmts[2], 0x80200000ULL,
				0x8028cfffULL, "kernel image");
	case 3:
		return snprintf(out, size, flush_fmts[3], "a", "", "bcd",
				"left", "right", 'x', 'y');
	case 4:
		return snprintf(out, size, flush_fmts[4], 0xdeadbeefULL, 8u, 1,
				2, 0, 255u, 255u, (void *)0x1000);
	default:
		return snprintf(out, size, flush_fmts[5], -3, 4u);
	}
}
#pragma clang diagnostic pop

/*
 * Every buffer size from 1 byte up, with a flush: the output comes out
 * whole and in order, in pieces no larger than the buffer, with the right
 * count; and with text already in the buffer in front (the log's prefix).
 */
static void test_flush_boundaries(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(flush_fmts); i++) {
		char want[512];
		int m = libc_case((int)i, want, sizeof(want));

		for (size_t size = 1; size <= 100; size++) {
			struct flushed f = { .size = size };
			char buf[100];
			struct printf_buf pb = {
				.buf = buf, .size = size, .flush = collect,
				.ctx = &f,
			};
			int n;

			buf[0] = '>';
			pb.len = 1;
			n = one_case((int)i, &pb);
			printf_buf_flush(&pb);
			if (n != m || f.bad || f.out[0] != '>' ||
			    strcmp(f.out + 1, want) != 0 || pb.len != 0 ||
			    pb.done != (size_t)m + 1) {
				printf("# case %zu size %zu: got \"%s\" (%d)\n",
				       i, size, f.out, n);
				CHECK(0);
				return;
			}
		}
	}
	CHECK(1);
}

/* Without a flush the output is cut at the buffer's end, counted whole. */
static void test_no_flush_truncates(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(flush_fmts); i++) {
		char want[512];
		int m = libc_case((int)i, want, sizeof(want));

		for (size_t size = 0; size <= 100; size++) {
			char buf[101];
			struct printf_buf pb = { .buf = buf, .size = size };
			int n = one_case((int)i, &pb);

			buf[pb.len] = '\0';
			if (n != m || pb.len != (size < (size_t)m ? size : (size_t)m) ||
			    strncmp(buf, want, pb.len) != 0) {
				printf("# case %zu size %zu: got \"%s\" (%d)\n",
				       i, size, buf, n);
				CHECK(0);
				return;
			}
			printf_buf_flush(&pb);	/* no flush(): a no-op */
			CHECK_EQ(pb.len, size < (size_t)m ? size : (size_t)m);
		}
	}
}

/* printf_buf_put() across flushes, and printf_dec(). */
static void test_put_and_dec(void)
{
	struct flushed f = { .size = 3 };
	char buf[3], digits[24];
	struct printf_buf pb = {
		.buf = buf, .size = sizeof(buf), .flush = collect, .ctx = &f,
	};
	char *p;

	printf_buf_put(&pb, "abcdefgh", 8);
	printf_buf_put(&pb, "", 0);
	printf_buf_put(&pb, "ij", 2);
	printf_buf_flush(&pb);
	CHECK(f.bad == 0);
	CHECK(strcmp(f.out, "abcdefghij") == 0);
	CHECK_EQ(pb.done, 10);

	p = printf_dec(digits + sizeof(digits), 0);
	CHECK(p == digits + sizeof(digits));
	p = printf_dec(digits + sizeof(digits) - 1, 18446744073709551615ULL);
	digits[sizeof(digits) - 1] = '\0';
	CHECK(strcmp(p, "18446744073709551615") == 0);
	p = printf_dec(digits + sizeof(digits) - 1, 7);
	CHECK(strcmp(p, "7") == 0);
	p = printf_dec(digits + sizeof(digits) - 1, 1000000);
	CHECK(strcmp(p, "1000000") == 0);
}

int main(void)
{
	TEST(test_decimal);
	TEST(test_flags);
	TEST(test_digits);
	TEST(test_strings);
	TEST(test_unknown);
	TEST(test_trailing_percent);
	TEST(test_wide);
	TEST(test_flush_boundaries);
	TEST(test_no_flush_truncates);
	TEST(test_put_and_dec);
	return tap_done();
}
