// SPDX-License-Identifier: BSD-2-Clause
/*
 * printk(): one log record per call, prefixed with seconds since boot from
 * the arch counter and a level letter:
 *
 *	[    0.012345] I: memblock: 2 memory regions
 *
 * The timestamp is the counter converted to µs; before arch_early_init() has
 * made the counter usable nothing is printed anyway (no console yet).
 */
#include <stdarg.h>

#include <cairn/arch.h>
#include <cairn/console.h>
#include <cairn/log.h>
#include <cairn/printf.h>

static void out_console(void *ctx, char c)
{
	(void)ctx;
	console_write(&c, 1);
}

/* Microseconds since the counter started, without overflow for ~500 years. */
static uint64_t uptime_us(void)
{
	uint64_t ticks = arch_counter_read(), hz = arch_counter_hz();

	if (hz == 0) {
		return 0;
	}
	return ticks / hz * 1000000u + ticks % hz * 1000000u / hz;
}

static int cb_printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vcbprintf(out_console, NULL, fmt, ap);
	va_end(ap);
	return n;
}

void vprintk(int level, const char *fmt, va_list ap)
{
	static const char letters[] = "EWID";
	uint64_t us = uptime_us();

	cb_printf("[%5llu.%06llu] %c: ", (unsigned long long)(us / 1000000u),
		  (unsigned long long)(us % 1000000u),
		  letters[level < 0 ? 0 : level > 3 ? 3 : level]);
	vcbprintf(out_console, NULL, fmt, ap);
}

void printk(int level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk(level, fmt, ap);
	va_end(ap);
}

void panic(const char *fmt, ...)
{
	va_list ap;

	cb_printf("\n");
	va_start(ap, fmt);
	vprintk(LOG_ERR, fmt, ap);
	va_end(ap);
	cb_printf("\nPANIC: the kernel stopped; powering off with status 255\n");
	arch_poweroff(255);
}
