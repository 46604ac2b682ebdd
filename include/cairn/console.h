// SPDX-License-Identifier: BSD-2-Clause
/*
 * Console: the one output device of the kernel log (generic/console.c).
 * drivers/serial/ picks it, from the device tree's /chosen/stdout-path or the
 * arch's fallback, and registers it here; host tests register their own.
 */
#pragma once

#include <cairn/types.h>

struct console {
	const char *name;
	void (*putc)(const struct console *con, char c);
	uintptr_t base;		/* MMIO base or I/O port */
	uint32_t reg_shift;	/* register stride is 1 << reg_shift */
	uint32_t io_width;	/* 1 or 4 bytes per register access */
};

/* Make @con the console (NULL: none). Output before this is dropped. */
void console_register(const struct console *con);

/* The console in use, or NULL. */
const struct console *console_get(void);

/* Write @len bytes to the console, "\n" as "\r\n". */
void console_write(const char *s, size_t len);
