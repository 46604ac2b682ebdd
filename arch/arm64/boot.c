// SPDX-License-Identifier: BSD-2-Clause
/*
 * arm64 boot: record what the loader handed over (QEMU's -kernel today; the
 * Pi firmware and U-Boot's booti hand over the same way) and call the
 * generic sequence. Nothing here interprets the device tree beyond the
 * counter frequency and the PSCI conduit; memory comes from the generic
 * converters.
 */
#include <cairn/arch.h>
#include <cairn/boot.h>
#include <cairn/fdt.h>
#include <cairn/sections.h>

#include "arm64.h"

static struct boot_handoff handoff;
static uint64_t counter_hz;
static uint32_t boot_el;

__noreturn void arm64_boot(uint64_t dtb, uint64_t entry_el);

/*
 * Called by entry.S at EL1 with the MMU off, relocated, BSS cleared, on
 * the boot stack; @entry_el is the EL the loader entered us at.
 */
void arm64_boot(uint64_t dtb, uint64_t entry_el)
{
	handoff.entry_ticks = read_sysreg(cntvct_el0);
	handoff.boot_path = "qemu-direct";
	handoff.boot_cpu = read_sysreg(mpidr_el1) & MPIDR_AFFINITY_MASK;
	handoff.image_base = (uint64_t)(uintptr_t)__image_start;
	handoff.fdt = dtb;
	boot_el = (uint32_t)entry_el;
	start_kernel(&handoff);
}

uint32_t arm64_boot_el(void)
{
	return boot_el;
}

/*
 * The DT's timer "clock-frequency" overrides CNTFRQ_EL0, as in Linux: the
 * binding exists only for firmware that leaves CNTFRQ_EL0 unset or wrong
 * [Linux Documentation/devicetree/bindings/timer/arm,arch_timer.yaml].
 */
static uint64_t timer_dt_hz(const void *fdt)
{
	static const char *const compatible[] = {
		"arm,armv8-timer", "arm,armv7-timer",
	};

	for (size_t i = 0; i < ARRAY_SIZE(compatible); i++) {
		int node;

		node = fdt_node_offset_by_compatible(fdt, -1, compatible[i]);

		if (node >= 0) {
			return fdt_prop_u32(fdt, node, "clock-frequency", 0);
		}
	}
	return 0;
}

/*
 * The counter is CNTVCT_EL0, which an EL2 entry has made equal to the
 * physical count (CNTVOFF_EL2 = 0). 62.5 MHz, QEMU 7.2's frequency, is
 * the last resort if neither CNTFRQ_EL0 nor the DT says anything.
 */
void arch_early_init(struct boot_handoff *bh)
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

void arch_early_reserve(struct boot_handoff *bh)
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
