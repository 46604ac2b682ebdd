// SPDX-License-Identifier: BSD-2-Clause
/*
 * snprintf() and vsnprintf() for the kernel and applications, on top of
 * vbufprintf(): the caller's buffer is the printf_buf, without a flush(),
 * so what does not fit is counted and dropped. Kernel builds only: host
 * builds have the C library's.
 */
#include <stdio.h>

#include <cairn/printf.h>

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct printf_buf pb = {
		.buf = buf, .size = size > 0 ? size - 1 : 0,
	};
	int n = vbufprintf(&pb, fmt, ap);

	if (size > 0) {
		buf[pb.len] = '\0';
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
