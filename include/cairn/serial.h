// SPDX-License-Identifier: BSD-2-Clause
/*
 * Serial console drivers (drivers/serial/). serial_console_init() follows
 * /chosen/stdout-path [dt-spec 0.4 §3.6] to a UART node, matches its
 * "compatible" against the drivers below and registers the console; with no
 * usable DT it takes arch_console_fallback().
 */
#pragma once

#include <cairn/console.h>

struct boot_handoff;

struct serial_driver {
	const char *name;
	const char *const *compatible;	/* NULL-terminated */
	/* Start the UART; may set con->write and con->tx_burst. */
	void (*init)(struct console *con);
	void (*putc)(const struct console *con, char c);
};

extern const struct serial_driver bcm2835_aux_driver;
extern const struct serial_driver ns16550_driver;
extern const struct serial_driver pl011_driver;
extern const struct serial_driver sifive_uart_driver;

/* Choose and start the console for this boot. No console is not an error. */
void serial_console_init(const struct boot_handoff *bh);
