// SPDX-License-Identifier: BSD-2-Clause
/*
 * printf(), puts() and putchar() for the kernel and applications: plain
 * console output without the log prefix. Kernel builds only. printf()
 * formats into a buffer on the stack and writes it to the console in
 * buffer-sized pieces.
 */
#include <stdio.h>
#include <string.h>

#include <cairn/console.h>
#include <cairn/printf.h>

static void out_console(struct printf_buf *pb)
{
	console_write(pb->buf, pb->len);
}

int vprintf(const char *fmt, va_list ap)
{
	char buf[128];
	struct printf_buf pb = {
		.buf = buf, .size = sizeof(buf), .flush = out_console,
	};
	int n = vbufprintf(&pb, fmt, ap);

	printf_buf_flush(&pb);
	return n;
}

int printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}

int puts(const char *s)
{
	size_t len = strlen(s);

	console_write(s, len);
	console_write("\n", 1);
	return (int)len + 1;
}

int putchar(int c)
{
	char ch = (char)c;

	console_write(&ch, 1);
	return (unsigned char)c;
}
