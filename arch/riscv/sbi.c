// SPDX-License-Identifier: BSD-2-Clause
/*
 * SBI calls [riscv-sbi-doc v1.0]: the console fallback and power off.
 * The firmware interface, not a firmware data parser.
 */
#include <cairn/arch.h>
#include <cairn/console.h>

#include "riscv.h"

struct sbiret sbi_call(uint64_t ext, uint64_t fid, uint64_t a0, uint64_t a1,
		       uint64_t a2)
{
	register uint64_t r_a0 __asm__("a0") = a0;
	register uint64_t r_a1 __asm__("a1") = a1;
	register uint64_t r_a2 __asm__("a2") = a2;
	register uint64_t r_a6 __asm__("a6") = fid;
	register uint64_t r_a7 __asm__("a7") = ext;

	__asm__ volatile("ecall"
			 : "+r"(r_a0), "+r"(r_a1)
			 : "r"(r_a2), "r"(r_a6), "r"(r_a7)
			 : "memory");
	return (struct sbiret){ .error = (int64_t)r_a0, .value = (int64_t)r_a1 };
}

bool sbi_probe(uint64_t ext)
{
	struct sbiret r = sbi_call(SBI_EXT_BASE, SBI_BASE_PROBE_EXT, ext, 0, 0);

	return r.error == 0 && r.value != 0;
}

static void sbi_putc(const struct console *con, char c)
{
	(void)con;
	sbi_call(SBI_EXT_LEGACY_PUTCHAR, 0, (uint8_t)c, 0, 0);
}

static const struct console sbi_console = {
	.name = "sbi",
	.putc = sbi_putc,
};

const struct console *arch_console_fallback(const struct boot_handoff *bh)
{
	(void)bh;
	return sbi_probe(SBI_EXT_LEGACY_PUTCHAR) ? &sbi_console : NULL;
}

/*
 * A failure status first goes to semihosting, which QEMU turns into its own
 * exit status when run with -semihosting (ci/qemu-run.py does); without it
 * the probe traps and returns. Then SRST, then the legacy call.
 *
 * SRST returns when the platform cannot power off: OpenSBI 1.1 on QEMU
 * sifive_u knows only the board's gpio-restart (reboot). Its legacy
 * shutdown would then park the hart in M-mode for good, so semihosting
 * gets its chance first, with status 0 too.
 */
void arch_poweroff(int status)
{
	if (status != 0) {
		riscv_semihosting_exit(status);
	}
	if (sbi_probe(SBI_EXT_SRST)) {
		sbi_call(SBI_EXT_SRST, 0, SBI_SRST_SHUTDOWN,
			 status ? SBI_SRST_REASON_SYSFAIL : SBI_SRST_REASON_NONE,
			 0);
	}
	if (status == 0) {
		riscv_semihosting_exit(0);
	}
	sbi_call(SBI_EXT_LEGACY_SHUTDOWN, 0, 0, 0, 0);
	arch_halt();
}

void arch_halt(void)
{
	csr_write(sie, 0);
	for (;;) {
		__asm__ volatile("wfi");
	}
}
