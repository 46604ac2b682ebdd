// SPDX-License-Identifier: BSD-2-Clause
/*
 * Arm PrimeCell PL011 UART (QEMU virt, Raspberry Pi 4). Output only, polled;
 * the firmware has enabled it and set the baud rate.
 */
#include <cairn/serial.h>

#define UARTDR		0x00
#define UARTFR		0x18
#define FR_TXFF		(1u << 5)	/* transmit FIFO full */

static void pl011_init(struct console *con)
{
	(void)con; /* Firmware (or QEMU) leaves the PL011 enabled. */
}

static void pl011_putc(const struct console *con, char c)
{
	volatile uint32_t *fr = (volatile uint32_t *)(con->base + UARTFR);

	for (int i = 0; i < 1000000 && (*fr & FR_TXFF); i++) {
	}
	*(volatile uint32_t *)(con->base + UARTDR) = (uint8_t)c;
}

static const char *const pl011_compatible[] = { "arm,pl011", NULL };

const struct serial_driver pl011_driver = {
	.name = "pl011",
	.compatible = pl011_compatible,
	.init = pl011_init,
	.putc = pl011_putc,
};
