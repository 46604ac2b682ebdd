// SPDX-License-Identifier: BSD-2-Clause
/*
 * The BCM2835 auxiliary "mini UART" (Raspberry Pi 3 and 4: uart1, the
 * console on GPIO 14/15 unless config.txt moves the PL011 there). Output
 * only, polled. The DT's "reg" is the mini UART block itself (0x7e215040 on
 * the VideoCore bus: 0x3f215040 on the Pi 3, 0xfe215040 on the Pi 4), not
 * the AUX block at 0x...215000 that also holds the two SPI masters. The
 * firmware (config.txt enable_uart=1) has enabled it and set its baud rate
 * from the core clock; nothing is touched here [BCM2835 ARM Peripherals
 * §2.2].
 */
#include <cairn/compiler.h>
#include <cairn/serial.h>

#define AUX_MU_IO	0x00	/* write: the byte to send */
#define AUX_MU_LSR	0x14	/* line status */
#define LSR_TX_EMPTY	(1u << 5)	/* can accept at least one byte */

/* How long to poll before writing anyway: a stuck UART must not hang. */
#define TX_POLL_LIMIT	1000000

/* The bounded wait for room, kept out of the per-byte path. */
static __attribute__((noinline)) void aux_wait(volatile uint32_t *lsr)
{
	for (int i = 0; !(*lsr & LSR_TX_EMPTY) && i < TX_POLL_LIMIT; i++) {
	}
}

static inline void aux_tx(volatile uint32_t *io, volatile uint32_t *lsr,
			  char c)
{
	if (unlikely(!(*lsr & LSR_TX_EMPTY))) {
		aux_wait(lsr);
	}
	*io = (uint8_t)c;
}

static void bcm2835_aux_putc(const struct console *con, char c)
{
	aux_tx((volatile uint32_t *)(con->base + AUX_MU_IO),
	       (volatile uint32_t *)(con->base + AUX_MU_LSR), c);
}

static void bcm2835_aux_write(const struct console *con, const char *s,
			      size_t len)
{
	volatile uint32_t *io = (volatile uint32_t *)(con->base + AUX_MU_IO);
	volatile uint32_t *lsr = (volatile uint32_t *)(con->base + AUX_MU_LSR);

	for (const char *end = s + len; s < end; s++) {
		if (unlikely(*s == '\n')) {
			aux_tx(io, lsr, '\r');
		}
		aux_tx(io, lsr, *s);
	}
}

static void bcm2835_aux_init(struct console *con)
{
	/* The firmware left it enabled, 8-bit mode, baud set. */
	con->write = bcm2835_aux_write;
}

static const char *const bcm2835_aux_compatible[] = {
	"brcm,bcm2835-aux-uart", NULL,
};

const struct serial_driver bcm2835_aux_driver = {
	.name = "bcm2835-aux",
	.compatible = bcm2835_aux_compatible,
	.init = bcm2835_aux_init,
	.putc = bcm2835_aux_putc,
};
