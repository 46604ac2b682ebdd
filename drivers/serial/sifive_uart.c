// SPDX-License-Identifier: BSD-2-Clause
/*
 * SiFive UART ("sifive,uart0": QEMU sifive_u, the FU540 and FU740 SoCs).
 * Output only, polled. The firmware has set the divisor (baud rate); we keep
 * it and only make sure the transmitter is on. Every register is 32 bits
 * wide whatever reg-io-width says [SiFive FU540-C000 manual, ch. 13].
 * Reading txdata says whether its FIFO is full: one look per byte.
 */
#include <cairn/compiler.h>
#include <cairn/serial.h>

#define SIFIVE_TXDATA	0x00	/* write: byte to send; read: bit 31 = full */
#define SIFIVE_TXCTRL	0x08	/* bit 0: transmit enable */
#define SIFIVE_IE	0x10	/* interrupt enables */
#define TXDATA_FULL	(1u << 31)
#define TXCTRL_TXEN	(1u << 0)

/* Bounded wait: a dead UART must not hang the boot. */
#define TX_POLL_MAX	1000000

static volatile uint32_t *reg(const struct console *con, uint32_t off)
{
	return (volatile uint32_t *)(con->base + off);
}

/* The bounded wait for room, kept out of the per-byte path. */
static __attribute__((noinline)) void sifive_wait(volatile uint32_t *txdata)
{
	for (int i = 0; (*txdata & TXDATA_FULL) && i < TX_POLL_MAX; i++) {
	}
}

static inline void sifive_tx(volatile uint32_t *txdata, char c)
{
	if (unlikely(*txdata & TXDATA_FULL)) {
		sifive_wait(txdata);
	}
	*txdata = (uint8_t)c;
}

static void sifive_uart_putc(const struct console *con, char c)
{
	sifive_tx(reg(con, SIFIVE_TXDATA), c);
}

static void sifive_uart_write(const struct console *con, const char *s,
			      size_t len)
{
	volatile uint32_t *txdata = reg(con, SIFIVE_TXDATA);

	for (const char *end = s + len; s < end; s++) {
		if (unlikely(*s == '\n')) {
			sifive_tx(txdata, '\r');
		}
		sifive_tx(txdata, *s);
	}
}

static void sifive_uart_init(struct console *con)
{
	*reg(con, SIFIVE_IE) = 0;	/* polled: no interrupts */
	*reg(con, SIFIVE_TXCTRL) |= TXCTRL_TXEN;
	con->write = sifive_uart_write;
}

static const char *const sifive_uart_compatible[] = { "sifive,uart0", NULL };

const struct serial_driver sifive_uart_driver = {
	.name = "sifive-uart",
	.compatible = sifive_uart_compatible,
	.init = sifive_uart_init,
	.putc = sifive_uart_putc,
};
