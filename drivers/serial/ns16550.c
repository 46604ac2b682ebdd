// SPDX-License-Identifier: BSD-2-Clause
/*
 * 16550-compatible UARTs: QEMU virt's ns16550a, the Synopsys DW APB UART of
 * the VisionFive 2 (reg-shift 2, reg-io-width 4). Output only, polled. The
 * firmware has set the baud rate; we keep it.
 *
 * LSR.THRE only says "empty", never "room for one more": with the FIFOs on
 * (16550A and later; IIR bits 7:6 both set) an empty transmitter takes 16
 * bytes, so the line status is read once per 16 bytes, not per byte
 * [TI PC16550D datasheet, §8.4, §8.6.3]. The DW APB UART keeps that meaning
 * of THRE while its programmable THRE mode (IER bit 7) is off, which init
 * ensures; its FIFO is at least 16 deep when present.
 */
#include <cairn/serial.h>

#define UART_THR	0	/* transmit holding register (write) */
#define UART_IER	1	/* interrupt enable */
#define UART_IIR	2	/* interrupt identification (read) */
#define UART_LSR	5	/* line status */
#define IIR_FIFOS_ON	0xc0	/* both bits: FIFOs on and working */
#define LSR_THRE	0x20	/* transmitter (FIFO) empty */
#define FIFO_DEPTH	16

/* Bounded wait: a dead UART must not hang the boot. */
#define THRE_POLL_MAX	1000000

static inline uint32_t reg_read(uintptr_t a, bool wide)
{
	return wide ? *(volatile uint32_t *)a : *(volatile uint8_t *)a;
}

static inline void reg_write(uintptr_t a, bool wide, uint32_t v)
{
	if (wide) {
		*(volatile uint32_t *)a = v;
	} else {
		*(volatile uint8_t *)a = (uint8_t)v;
	}
}

static uintptr_t reg(const struct console *con, unsigned int r)
{
	return con->base + ((uintptr_t)r << con->reg_shift);
}

/*
 * Wait, bounded, for an empty transmitter; return how many bytes may be
 * written before looking again. A UART that never empties gets one byte
 * per wait, as if it had no FIFO.
 */
static inline uint32_t wait_empty(uintptr_t lsr, bool wide, uint32_t burst)
{
	for (int i = 0; i < THRE_POLL_MAX; i++) {
		if (reg_read(lsr, wide) & LSR_THRE) {
			return burst;
		}
	}
	return 1;
}

/*
 * Send @len bytes, "\n" as "\r\n": up to @room bytes between two looks at
 * the line status, copied by a loop that does nothing else per byte.
 */
static inline void ns16550_send(const struct console *con, const char *s,
				size_t len, bool wide)
{
	uintptr_t thr = reg(con, UART_THR), lsr = reg(con, UART_LSR);
	uint32_t burst = con->tx_burst > 1 ? con->tx_burst : 1;
	const char *end = s + len;
	uint32_t room = 0;

	while (s < end) {
		const char *start = s, *stop;

		if (room == 0) {
			room = wait_empty(lsr, wide, burst);
		}
		stop = (size_t)(end - s) > room ? s + room : end;
		for (; s < stop && *s != '\n'; s++) {
			reg_write(thr, wide, (uint8_t)*s);
		}
		room -= (uint32_t)(s - start);
		if (s < stop) {
			/* A "\n", and room for at least the "\r" before it. */
			reg_write(thr, wide, '\r');
			if (--room == 0) {
				room = wait_empty(lsr, wide, burst);
			}
			reg_write(thr, wide, '\n');
			room--;
			s++;
		}
	}
}

static void ns16550_write8(const struct console *con, const char *s,
			   size_t len)
{
	ns16550_send(con, s, len, false);
}

static void ns16550_write32(const struct console *con, const char *s,
			    size_t len)
{
	ns16550_send(con, s, len, true);
}

static void ns16550_putc(const struct console *con, char c)
{
	bool wide = con->io_width == 4;

	wait_empty(reg(con, UART_LSR), wide, 1);
	reg_write(reg(con, UART_THR), wide, (uint8_t)c);
}

static void ns16550_init(struct console *con)
{
	bool wide = con->io_width == 4;

	/* Polled: no interrupts, and on a DW APB UART no THRE mode. */
	reg_write(reg(con, UART_IER), wide, 0);
	con->tx_burst = (reg_read(reg(con, UART_IIR), wide) & IIR_FIFOS_ON) ==
			IIR_FIFOS_ON ? FIFO_DEPTH : 1;
	con->write = wide ? ns16550_write32 : ns16550_write8;
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
