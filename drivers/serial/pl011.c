// SPDX-License-Identifier: BSD-2-Clause
/*
 * Arm PrimeCell PL011 UART (QEMU virt, Raspberry Pi 4). Output only, polled;
 * the firmware has enabled it and set the baud rate. FR.TXFF says exactly
 * whether one more byte fits (FIFO or holding register), so each byte
 * costs one look at the flags [PL011 TRM r1p5, §3.3.3].
 */
#include <cairn/compiler.h>
#include <cairn/serial.h>

#define UARTDR		0x00
#define UARTFR		0x18
#define FR_TXFF		(1u << 5)	/* transmit FIFO full */

/* Bounded wait: a dead UART must not hang the boot. */
#define TX_POLL_MAX	1000000

/* The bounded wait for room, kept out of the per-byte path. */
static __attribute__((noinline)) void pl011_wait(volatile uint32_t *fr)
{
	for (int i = 0; (*fr & FR_TXFF) && i < TX_POLL_MAX; i++) {
	}
}

static inline void pl011_tx(volatile uint32_t *dr, volatile uint32_t *fr,
			    char c)
{
	if (unlikely(*fr & FR_TXFF)) {
		pl011_wait(fr);
	}
	*dr = (uint8_t)c;
}

static void pl011_putc(const struct console *con, char c)
{
	pl011_tx((volatile uint32_t *)(con->base + UARTDR),
		 (volatile uint32_t *)(con->base + UARTFR), c);
}

static void pl011_write(const struct console *con, const char *s, size_t len)
{
	volatile uint32_t *dr = (volatile uint32_t *)(con->base + UARTDR);
	volatile uint32_t *fr = (volatile uint32_t *)(con->base + UARTFR);

	for (const char *end = s + len; s < end; s++) {
		if (unlikely(*s == '\n')) {
			pl011_tx(dr, fr, '\r');
		}
		pl011_tx(dr, fr, *s);
	}
}

static void pl011_init(struct console *con)
{
	/* Firmware (or QEMU) leaves the PL011 enabled. */
	con->write = pl011_write;
}

static const char *const pl011_compatible[] = { "arm,pl011", NULL };

const struct serial_driver pl011_driver = {
	.name = "pl011",
	.compatible = pl011_compatible,
	.init = pl011_init,
	.putc = pl011_putc,
};
