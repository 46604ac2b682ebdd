// SPDX-License-Identifier: BSD-2-Clause
/*
 * arm64 boot: record what the loader handed over and call the generic
 * sequence. A booting.rst loader (QEMU's -kernel, U-Boot's booti, the Pi
 * firmware) passes only the DTB; on a UEFI boot efi.c has filled the record
 * already. Nothing here interprets the device tree beyond the counter
 * frequency and the PSCI conduit; memory comes from the generic converters.
 */
#include <cairn/arch.h>
#include <cairn/boot.h>
#include <cairn/fdt.h>
#include <cairn/sections.h>

#include "arm64.h"

struct boot_handoff arm64_handoff;
static uint64_t counter_hz __ro_after_init;
static uint32_t boot_el __initdata;

__noreturn void arm64_boot(uint64_t dtb, uint64_t entry_el, uint64_t efi);

/*
 * Called by entry.S at EL1 with the MMU off, relocated, BSS cleared, on
 * the boot stack; @entry_el is the EL the loader (or the UEFI firmware)
 * entered us at. @efi is 1 when efi.c ran and filled arm64_handoff, DTB
 * included; then @dtb is 0.
 */
void __init arm64_boot(uint64_t dtb, uint64_t entry_el, uint64_t efi)
{
	struct boot_handoff *bh = &arm64_handoff;

	if (efi == 0) {
		bh->entry_ticks = read_sysreg(cntvct_el0);
		/* booting.rst: QEMU -kernel, U-Boot booti, Pi firmware. */
		bh->boot_path = "image";
		bh->boot_cpu = read_sysreg(mpidr_el1) & MPIDR_AFFINITY_MASK;
		bh->image_base = (uint64_t)(uintptr_t)__image_start;
		bh->fdt = dtb;
	}
	boot_el = (uint32_t)entry_el;
	start_kernel(bh);
}

uint32_t __init arm64_boot_el(void)
{
	return boot_el;
}

/*
 * The DT's timer "clock-frequency" overrides CNTFRQ_EL0, as in Linux: the
 * binding exists only for firmware that leaves CNTFRQ_EL0 unset or wrong
 * [Linux Documentation/devicetree/bindings/timer/arm,arch_timer.yaml].
 */
static uint64_t __init timer_dt_hz(const void *fdt)
{
	static const char *const compatible[] = {
		"arm,armv8-timer", "arm,armv7-timer",
	};

	for (size_t i = 0; i < ARRAY_SIZE(compatible); i++) {
		int node;

		node = fdt_index_node_offset_by_compatible(fdt, -1,
							    compatible[i]);
		if (node >= 0) {
			return fdt_index_u32(fdt, node, FDT_P_CLOCK_FREQUENCY,
					     0);
		}
	}
	return 0;
}

/*
 * The counter is CNTVCT_EL0, which an EL2 entry has made equal to the
 * physical count (CNTVOFF_EL2 = 0). 62.5 MHz, QEMU 7.2's frequency, is
 * the last resort if neither CNTFRQ_EL0 nor the DT says anything.
 */
void __init arch_early_init(struct boot_handoff *bh)
{
	const void *fdt = (const void *)(uintptr_t)bh->fdt;

	counter_hz = read_sysreg(cntfrq_el0) & 0xffffffff;
	if (fdt != NULL) {
		uint64_t hz = timer_dt_hz(fdt);

		if (hz != 0) {
			counter_hz = hz;
		}
	} else {
		fdt = NULL;
	}
	if (counter_hz == 0) {
		counter_hz = 62500000;
	}
	psci_init(fdt);
	arm64_zone_init(fdt);
}

/*
 * arm64 always has a DT, and QEMU virt's /chosen/stdout-path names its
 * PL011, which drivers/serial/ finds: no arch console to fall back on.
 */
const struct console *arch_console_fallback(const struct boot_handoff *bh)
{
	(void)bh;
	return NULL;
}

void __init arch_early_reserve(struct boot_handoff *bh)
{
	(void)bh; /* QEMU emulates PSCI; its 4 KiB boot stub is dead by now. */
}

uint64_t arch_counter_read(void)
{
	return read_sysreg(cntvct_el0);
}

uint64_t arch_counter_hz(void)
{
	return counter_hz;
}
