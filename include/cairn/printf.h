// SPDX-License-Identifier: BSD-2-Clause
/*
 * Formatted output without a C library (lib/printf.c). The conversions are
 * C11's integer, character, string and pointer ones: %d %i %u %x %X %o %c
 * %s %p %%, with flags "-+ #0", width, precision ('*' too) and the length
 * modifiers hh h l ll z j t. Floating point is not supported (the kernel
 * is built without FP registers); "%f" prints as "%f". snprintf() and
 * printf() in <stdio.h> are built on it.
 */
#pragma once

#include <stdarg.h>
#include <stddef.h>

#include <cairn/compiler.h>

/* Format into @out one character at a time; return the character count. */
int vcbprintf(void (*out)(void *ctx, char c), void *ctx, const char *fmt,
	      va_list ap);
