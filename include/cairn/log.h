// SPDX-License-Identifier: BSD-2-Clause
/*
 * The kernel log. Each line gets a timestamp from the arch counter and a
 * level prefix:  "[    0.001234] I: text". Lines below the build's
 * log level (meson -Dlog_level) compile to nothing.
 */
#pragma once

#include <stdarg.h>

#include <cairn/compiler.h>

#define LOG_ERR		0
#define LOG_WARN	1
#define LOG_INFO	2
#define LOG_DEBUG	3

#ifndef CAIRN_LOG_LEVEL
#define CAIRN_LOG_LEVEL	LOG_INFO
#endif

/* Print one log record at @level. */
__printf(2, 3) void printk(int level, const char *fmt, ...);
void vprintk(int level, const char *fmt, va_list ap);

#define pr_level(lvl, ...)						\
	do {								\
		if ((lvl) <= CAIRN_LOG_LEVEL) {				\
			printk((lvl), __VA_ARGS__);			\
		}							\
	} while (0)

#define pr_err(...)	pr_level(LOG_ERR, __VA_ARGS__)
#define pr_warn(...)	pr_level(LOG_WARN, __VA_ARGS__)
#define pr_info(...)	pr_level(LOG_INFO, __VA_ARGS__)
#define pr_debug(...)	pr_level(LOG_DEBUG, __VA_ARGS__)

/* Report a broken invariant of our own and stop: never for firmware input. */
__noreturn __printf(1, 2) void panic(const char *fmt, ...);

#define ASSERT(cond)							\
	do {								\
		if (unlikely(!(cond))) {				\
			panic("%s: assertion '%s' failed (%s:%d)",	\
			      __func__, #cond, __FILE__, __LINE__);	\
		}							\
	} while (0)
