// SPDX-License-Identifier: BSD-2-Clause
/*
 * The console sink: where the kernel log and application output go. One
 * console at a time, registered by drivers/serial/ (or a host test). Output
 * written before a console exists is dropped, not buffered: the console is
 * registered before the first log line of start_kernel().
 */
#include <cairn/console.h>

static const struct console *console;

void console_register(const struct console *con)
{
	console = con;
}

const struct console *console_get(void)
{
	return console;
}

/**
 * console_write() - send bytes to the console
 * @s: the bytes
 * @len: how many
 *
 * Each "\n" goes out as "\r\n" (serial terminals want both). Through the
 * console's write() when it has one (a whole log record in one call),
 * else one putc() per byte.
 */
void console_write(const char *s, size_t len)
{
	const struct console *con = console;

	if (con == NULL || len == 0) {
		return;
	}
	if (con->write != NULL) {
		con->write(con, s, len);
		return;
	}
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n') {
			con->putc(con, '\r');
		}
		con->putc(con, s[i]);
	}
}
