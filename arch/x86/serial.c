// SPDX-License-Identifier: BSD-2-Clause
/*
 * COM1, a 16550 UART at I/O port 0x3f8: the console on x86, where there is
 * no device tree to name one. Polled output only; we program 115200 8N1
 * ourselves because nothing says the firmware did.
 */
#include <cairn/arch.h>
#include <cairn/console.h>

#include "x86.h"

#define COM1		0x3f8
#define UART_THR	0	/* transmit holding (DLAB 0) */
#define UART_DLL	0	/* divisor low (DLAB 1) */
#define UART_IER	1	/* interrupt enable (DLAB 0) */
#define UART_DLM	1	/* divisor high (DLAB 1) */
#define UART_FCR	2	/* FIFO control */
#define UART_LCR	3	/* line control */
#define UART_MCR	4	/* modem control */
#define UART_LSR	5	/* line status */
#define LCR_8N1		0x03
#define LCR_DLAB	0x80
#define FCR_ENABLE_CLEAR 0x07	/* FIFOs on, both cleared */
#define MCR_DTR_RTS	0x03
#define LSR_THRE	0x20
#define UART_CLOCK_DIV	115200	/* 1.8432 MHz / 16 */
#define BAUD		115200
/* A dead UART must not hang the boot. */
#define THRE_POLL_MAX	100000

/* Out of line (a tail call): the transmitter is almost always ready. */
static __attribute__((noinline, cold)) void com_putc_wait(uint16_t port,
							   char c)
{
	for (int i = 0; i < THRE_POLL_MAX; i++) {
		if (inb(port + UART_LSR) & LSR_THRE) {
			break;
		}
	}
	outb(port + UART_THR, (uint8_t)c);
}

/* One status read and one write per character when THR is empty. */
static void com_putc(const struct console *con, char c)
{
	uint16_t port = (uint16_t)con->base;

	if (unlikely(!(inb(port + UART_LSR) & LSR_THRE))) {
		com_putc_wait(port, c);
		return;
	}
	outb(port + UART_THR, (uint8_t)c);
}

static const struct console com1_console = {
	.name = "com1",
	.putc = com_putc,
	.base = COM1,
	.io_width = 1,
};

const struct console *arch_console_fallback(const struct boot_handoff *bh)
{
	const uint16_t div = UART_CLOCK_DIV / BAUD;

	(void)bh;
	outb(COM1 + UART_IER, 0);
	outb(COM1 + UART_LCR, LCR_DLAB);
	outb(COM1 + UART_DLL, div & 0xff);
	outb(COM1 + UART_DLM, div >> 8);
	outb(COM1 + UART_LCR, LCR_8N1);
	outb(COM1 + UART_FCR, FCR_ENABLE_CLEAR);
	outb(COM1 + UART_MCR, MCR_DTR_RTS);
	return &com1_console;
}
