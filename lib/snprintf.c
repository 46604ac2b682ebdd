// SPDX-License-Identifier: BSD-2-Clause
/*
 * snprintf() and vsnprintf() for the kernel and applications, on top of
 * vcbprintf(). Kernel builds only: host builds have the C library's.
 */
#include <stdio.h>

#include <cairn/printf.h>

struct buf {
	char *p;
	size_t size;
	size_t len;
};

static void buf_out(void *ctx, char c)
{
	struct buf *b = ctx;

	if (b->len + 1 < b->size) {
		b->p[b->len] = c;
	}
	b->len++;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct buf b = { .p = buf, .size = size, .len = 0 };
	int n = vcbprintf(buf_out, &b, fmt, ap);

	if (size > 0) {
		buf[b.len < size ? b.len : size - 1] = '\0';
	}
	return n;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
