// SPDX-License-Identifier: BSD-2-Clause
/*
 * riscv64 boot: record what OpenSBI (or U-Boot, later) handed over and call
 * the generic sequence. Nothing here interprets the device tree beyond the
 * timer frequency; memory comes from the generic converters.
 */
#include <cairn/arch.h>
#include <cairn/boot.h>
#include <cairn/fdt.h>
#include <cairn/sections.h>

#include "riscv.h"

static struct boot_handoff handoff;
static uint64_t timebase_hz;

__noreturn void riscv_boot(uint64_t hartid, uint64_t dtb);

/* Called by entry.S with the MMU off, on the boot hart, BSS cleared. */
void riscv_boot(uint64_t hartid, uint64_t dtb)
{
	handoff.entry_ticks = csr_read(time);
	handoff.boot_path = "opensbi";
	handoff.boot_cpu = hartid;
	handoff.image_base = (uint64_t)(uintptr_t)__image_start;
	handoff.fdt = dtb;
	start_kernel(&handoff);
}

/*
 * The timer frequency is a property of /cpus [dt-spec 0.4 §3.7]; 10 MHz is
 * what QEMU virt uses, the fallback if the DT says nothing usable.
 */
void arch_early_init(struct boot_handoff *bh)
{
	const void *fdt = (const void *)(uintptr_t)bh->fdt;
	int cpus;

	timebase_hz = 10000000;
	if (fdt == NULL) {
		return;
	}
	cpus = fdt_path_offset(fdt, "/cpus");
	if (cpus >= 0) {
		uint32_t hz = fdt_prop_u32(fdt, cpus, "timebase-frequency", 0);

		if (hz != 0) {
			timebase_hz = hz;
		}
	}
}

void arch_early_reserve(struct boot_handoff *bh)
{
	(void)bh; /* OpenSBI describes its own memory in /reserved-memory. */
}

uint64_t arch_counter_read(void)
{
	return csr_read(time);
}

uint64_t arch_counter_hz(void)
{
	return timebase_hz;
}
