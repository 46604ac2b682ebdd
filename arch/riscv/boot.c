// SPDX-License-Identifier: BSD-2-Clause
/*
 * riscv64 boot: record what OpenSBI or U-Boot's booti handed over and call
 * the generic sequence (the UEFI entry is efi.c). Nothing here interprets
 * the device tree beyond the timer frequency and U-Boot's mark in /chosen;
 * memory comes from the generic converters.
 */
#include <cairn/arch.h>
#include <cairn/boot.h>
#include <cairn/fdt.h>
#include <cairn/sections.h>

#include "riscv.h"

struct boot_handoff riscv_handoff;
static uint64_t timebase_hz __ro_after_init;

__noreturn void riscv_boot(uint64_t hartid, uint64_t dtb);

/* Called by entry.S with the MMU off, on the boot hart, BSS cleared. */
void __init riscv_boot(uint64_t hartid, uint64_t dtb)
{
	struct boot_handoff *bh = &riscv_handoff;

	bh->entry_ticks = csr_read(time);
	bh->boot_path = "opensbi";
	bh->boot_cpu = hartid;
	bh->image_base = (uint64_t)(uintptr_t)__image_start;
	bh->fdt = dtb;
	start_kernel(bh);
}

/*
 * The timer frequency is a property of /cpus [dt-spec 0.4 §3.7]; 10 MHz is
 * what QEMU virt uses, the fallback if the DT says nothing usable.
 */
void __init arch_early_init(struct boot_handoff *bh)
{
	const void *fdt = (const void *)(uintptr_t)bh->fdt;
	int cpus;

	timebase_hz = 10000000;
	if (fdt == NULL) {
		return;
	}
	/*
	 * booti enters exactly as OpenSBI does; U-Boot's fdt_chosen() marks
	 * the DT it hands over with /chosen/u-boot,version. Only the log
	 * line's name depends on it.
	 */
	if (bh->efi_mmap == 0 &&
	    fdt_index_getprop(fdt, fdt_index_path_offset(fdt, "/chosen"),
			      FDT_P_UBOOT_VERSION, NULL) != NULL) {
		bh->boot_path = "u-boot";
	}
	cpus = fdt_index_path_offset(fdt, "/cpus");
	if (cpus >= 0) {
		uint32_t hz = fdt_index_u32(fdt, cpus,
					    FDT_P_TIMEBASE_FREQUENCY, 0);

		if (hz != 0) {
			timebase_hz = hz;
		}
	}
}

void __init arch_early_reserve(struct boot_handoff *bh)
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
