// SPDX-License-Identifier: BSD-2-Clause
/*
 * printk(): one log record per call, prefixed with seconds since boot from
 * the arch counter and a level letter:
 *
 *	[    0.012345] I: memblock: 2 memory regions
 *
 * The timestamp is the counter converted to µs; before arch_early_init() has
 * made the counter usable nothing is printed anyway (no console yet).
 *
 * A record is formatted into a line buffer on the stack and handed to the
 * console in one console_write(): a record longer than the buffer goes out
 * in buffer-sized pieces, in order, nothing lost. Before a console exists
 * nothing is formatted at all.
 */
#include <stdarg.h>

#include <cairn/arch.h>
#include <cairn/console.h>
#include <cairn/log.h>
#include <cairn/printf.h>

/* Most records fit in one console_write(); longer ones take more. */
#define LOG_LINE_MAX	160

/*
 * "[%5llu.%06llu] %c: " of the time since the counter started (s and µs)
 * and the letter of @level, written at @p (room for 32 bytes) by hand: it
 * is on every line. Returns its length.
 */
static size_t log_prefix(char *p, int level)
{
	static const char letters[] = "EWID";
	uint64_t ticks = arch_counter_read(), hz = arch_counter_hz();
	uint64_t sec = 0;
	uint32_t us = 0;
	size_t width = 5;
	char *q, *d;

	if (hz != 0) {
		/* ticks % hz < hz: no overflow below 18 THz (2^64 / 10^6). */
		sec = ticks / hz;
		us = (uint32_t)(ticks % hz * 1000000u / hz);
	}
	for (uint64_t t = sec / 100000u; t != 0; t /= 10) {
		width++;
	}
	/* Right to left: the µs after the '.', then the seconds before it. */
	q = p + 1 + width;
	q[0] = '.';
	for (int i = 1; i <= 6; i++) {
		q[i] = '0';
	}
	printf_dec(q + 7, us);
	q[7] = ']';
	q[8] = ' ';
	q[9] = letters[level < 0 ? 0 : level > 3 ? 3 : level];
	q[10] = ':';
	q[11] = ' ';
	d = printf_dec(q, sec);
	if (d == q) {
		*--d = '0';
	}
	while (d > p + 1) {
		*--d = ' ';
	}
	p[0] = '[';
	return 1 + width + 12;
}

static void log_flush(struct printf_buf *pb)
{
	console_write(pb->buf, pb->len);
}

void vprintk(int level, const char *fmt, va_list ap)
{
	char line[LOG_LINE_MAX];
	struct printf_buf pb = {
		.buf = line, .size = sizeof(line), .flush = log_flush,
	};

	if (console_get() == NULL) {
		return;
	}
	pb.len = log_prefix(line, level);
	vbufprintf(&pb, fmt, ap);
	printf_buf_flush(&pb);
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
	static const char tail[] =
		"\nPANIC: the kernel stopped; powering off with status 255\n";
	va_list ap;

	console_write("\n", 1);
	va_start(ap, fmt);
	vprintk(LOG_ERR, fmt, ap);
	va_end(ap);
	console_write(tail, sizeof(tail) - 1);
	arch_poweroff(255);
}
