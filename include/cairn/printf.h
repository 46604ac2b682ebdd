// SPDX-License-Identifier: BSD-2-Clause
/*
 * Formatted output without a C library (lib/printf.c). The conversions are
 * C11's integer, character, string and pointer ones: %d %i %u %x %X %o %c
 * %s %p %%, with flags "-+ #0", width, precision ('*' too) and the length
 * modifiers hh h l ll z j t. Floating point is not supported (the kernel
 * is built without FP registers); "%f" prints as "%f". snprintf() and
 * printf() in <stdio.h> and the kernel log are built on it.
 *
 * Output goes to a bounded buffer, struct printf_buf: the formatter appends
 * whole runs to it, and when it is full calls its flush() to empty it (the
 * console: a record longer than the buffer comes out in pieces, in order,
 * nothing lost) or, without a flush(), drops and only counts the rest
 * (snprintf()).
 */
#pragma once

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cairn/compiler.h>

struct printf_buf {
	char *buf;
	size_t size;		/* capacity of @buf */
	size_t len;		/* bytes in @buf now */
	size_t done;		/* bytes flushed or dropped before them */
	/*
	 * Consume buf[0 .. len); the formatter then empties the buffer.
	 * NULL: once the buffer is full, further output is dropped.
	 */
	void (*flush)(struct printf_buf *pb);
	void *ctx;		/* the flush()'s */
};

/**
 * vbufprintf() - format into a struct printf_buf
 * @pb: the buffer; its @len bytes already there stay in front
 * @fmt: the format
 * @ap: its arguments
 *
 * What is left in the buffer at the end is not flushed: the caller does
 * that, with printf_buf_flush(), once its record is complete.
 * Return: the number of characters produced, dropped ones included.
 */
int vbufprintf(struct printf_buf *pb, const char *fmt, va_list ap);

/* Append @len bytes of @s to @pb, flushing (or dropping) as needed. */
void printf_buf_put(struct printf_buf *pb, const char *s, size_t len);

/* Hand what @pb holds to its flush() (if any) and empty it. */
void printf_buf_flush(struct printf_buf *pb);

/**
 * printf_dec() - the decimal digits of a number, written backwards
 * @end: where the last digit goes (exclusive end)
 * @v: the number
 *
 * For callers that lay out fixed fields themselves (the log's timestamp).
 * Return: the first digit; @end itself, no digit, for 0.
 */
char *printf_dec(char *end, uint64_t v);

/*
 * Format into @out one character at a time; return the character count.
 * Kept for callers with a character sink; the characters reach @out in
 * batches, all of them before it returns.
 */
int vcbprintf(void (*out)(void *ctx, char c), void *ctx, const char *fmt,
	      va_list ap);
