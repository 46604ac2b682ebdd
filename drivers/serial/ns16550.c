// SPDX-License-Identifier: BSD-2-Clause
/*
 * 16550-compatible UARTs: QEMU virt's ns16550a, the Synopsys DW APB UART of
 * the VisionFive 2 (reg-shift 2, reg-io-width 4). Output only, polled. The
 * firmware has set the baud rate; we keep it.
 */
#include <cairn/serial.h>

#define UART_THR	0	/* transmit holding register (write) */
#define UART_IER	1	/* interrupt enable */
#define UART_LSR	5	/* line status */
#define LSR_THRE	0x20	/* transmit holding register empty */

static uint32_t reg_read(const struct console *con, unsigned int reg)
{
	uintptr_t a = con->base + ((uintptr_t)reg << con->reg_shift);

	if (con->io_width == 4) {
		return *(volatile uint32_t *)a;
	}
	return *(volatile uint8_t *)a;
}

static void reg_write(const struct console *con, unsigned int reg, uint32_t v)
{
	uintptr_t a = con->base + ((uintptr_t)reg << con->reg_shift);

	if (con->io_width == 4) {
		*(volatile uint32_t *)a = v;
	} else {
		*(volatile uint8_t *)a = (uint8_t)v;
	}
}

static void ns16550_init(struct console *con)
{
	reg_write(con, UART_IER, 0);	/* polled: no interrupts */
}

static void ns16550_putc(const struct console *con, char c)
{
	/* Bounded wait: a dead UART must not hang the boot. */
	for (int i = 0; i < 1000000; i++) {
		if (reg_read(con, UART_LSR) & LSR_THRE) {
			break;
		}
	}
	reg_write(con, UART_THR, (uint8_t)c);
}

static const char *const ns16550_compatible[] = {
	"ns16550a", "ns16550", "ns16450", "snps,dw-apb-uart", NULL,
};

const struct serial_driver ns16550_driver = {
	.name = "ns16550",
	.compatible = ns16550_compatible,
	.init = ns16550_init,
	.putc = ns16550_putc,
};
