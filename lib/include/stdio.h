// SPDX-License-Identifier: BSD-2-Clause
/*
 * The part of <stdio.h> a Cairn kernel and its applications have: formatted
 * output to the console (generic/stdio.c) and into buffers (lib/snprintf.c).
 */
#pragma once

#include <stdarg.h>
#include <stddef.h>

#define EOF (-1)

__attribute__((format(printf, 1, 2))) int printf(const char *fmt, ...);
int vprintf(const char *fmt, va_list ap);
int puts(const char *s);
int putchar(int c);
__attribute__((format(printf, 3, 4)))
int snprintf(char *buf, size_t size, const char *fmt, ...);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
