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
#define UART_FCR	2	/* FIFO control (write) */
#define UART_IIR	2	/* interrupt identification (read) */
#define UART_LCR	3	/* line control */
#define UART_MCR	4	/* modem control */
#define UART_LSR	5	/* line status */
#define LCR_8N1		0x03
#define LCR_DLAB	0x80
#define FCR_ENABLE_CLEAR 0x07	/* FIFOs on, both cleared */
#define MCR_DTR_RTS	0x03
#define LSR_THRE	0x20
#define IIR_FIFOS_ON	0xc0	/* both bits: FIFOs enabled (16550A) */
#define FIFO_DEPTH	16
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

/* Bytes an empty transmitter takes: 16 with the FIFOs on, else 1. */
static unsigned int com_burst = 1;

/* Bounded wait for an empty transmitter; how many bytes it takes now. */
static unsigned int com_wait(uint16_t port)
{
	for (int i = 0; i < THRE_POLL_MAX; i++) {
		if (inb(port + UART_LSR) & LSR_THRE) {
			return com_burst;
		}
	}
	return 1;
}

/* The console's write(): "\n" as "\r\n", LSR read once per burst. */
static void com_write(const struct console *con, const char *s, size_t len)
{
	uint16_t port = (uint16_t)con->base;
	unsigned int room = 0;

	for (const char *end = s + len; s < end; s++) {
		if (*s == '\n') {
			if (room == 0) {
				room = com_wait(port);
			}
			room--;
			outb(port + UART_THR, '\r');
		}
		if (room == 0) {
			room = com_wait(port);
		}
		room--;
		outb(port + UART_THR, (uint8_t)*s);
	}
}

static const struct console com1_console = {
	.name = "com1",
	.putc = com_putc,
	.write = com_write,
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
	com_burst = (inb(COM1 + UART_IIR) & IIR_FIFOS_ON) == IIR_FIFOS_ON ?
		    FIFO_DEPTH : 1;
	return &com1_console;
}
