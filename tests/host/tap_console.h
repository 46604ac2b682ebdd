// SPDX-License-Identifier: BSD-2-Clause
/*
 * A console for host tests that prints the kernel log as TAP comments, so
 * that a failing case shows the diagnostic lines it produced:
 *
 *	console_register(&tap_console);
 */
#pragma once

#include <stdio.h>

#include <cairn/console.h>

static void tap_console_putc(const struct console *con, char c)
{
	static int bol = 1;

	(void)con;
	if (c == '\r') {
		return;
	}
	if (bol) {
		fputs("# ", stdout);
	}
	putchar(c);
	bol = c == '\n';
}

static const struct console tap_console = {
	.name = "tap",
	.putc = tap_console_putc,
};
