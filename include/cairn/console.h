// SPDX-License-Identifier: BSD-2-Clause
/*
 * Console: the one output device of the kernel log (generic/console.c).
 * drivers/serial/ picks it, from the device tree's /chosen/stdout-path or the
 * arch's fallback, and registers it here; host tests register their own.
 */
#pragma once

#include <cairn/types.h>

/*
 * @putc sends one byte as is. @write, optional, sends @len bytes with each
 * "\n" as "\r\n", in one call: what a whole log record goes through, so a
 * driver that can (drivers/serial/) sets it up in its init() and keeps the
 * per-byte work to the register accesses. Without it console_write() calls
 * @putc for each byte.
 */
struct console {
	const char *name;
	void (*putc)(const struct console *con, char c);
	void (*write)(const struct console *con, const char *s, size_t len);
	uintptr_t base;		/* MMIO base or I/O port */
	uint32_t reg_shift;	/* register stride is 1 << reg_shift */
	uint32_t io_width;	/* 1 or 4 bytes per register access */
	uint32_t tx_burst;	/* driver's: bytes an idle transmitter takes */
};

/* Make @con the console (NULL: none). Output before this is dropped. */
void console_register(const struct console *con);

/* The console in use, or NULL. */
const struct console *console_get(void);

/* Write @len bytes to the console, "\n" as "\r\n". */
void console_write(const char *s, size_t len);
