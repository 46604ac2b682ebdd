// SPDX-License-Identifier: BSD-2-Clause
/*
 * The arm64 side of the UEFI stub. entry.S's efi_pe_entry calls
 * arm64_efi_main() once the image is relocated and its BSS cleared, still
 * on the firmware's stack, with the firmware's MMU, caches and exception
 * vectors. drivers/efi/stub.c finds the configuration tables and exits
 * boot services; this file fills the arch fields of the hand-off record
 * and cleans, to the point of coherency, what the kernel will read with
 * the caches off once entry.S has left the firmware's MMU. It touches
 * nothing of the kernel proper (no console, no memblock).
 */
#include <cairn/boot.h>
#include <cairn/efi_stub.h>
#include <cairn/sections.h>

#include "arm64.h"

/* CTR_EL0.DminLine: log2 of the smallest D-cache line, in 4-byte words. */
#define CTR_DMINLINE(r)		(((r) >> 16) & 0xf)

/* Device tree header [dt-spec 0.4 §5.2]: big-endian magic and totalsize. */
#define FDT_MAGIC		0xd00dfeed
/* As Linux's MAX_FDT_SIZE: a larger blob is not believed (nor cleaned). */
#define FDT_MAX_SIZE		(UINT64_C(2) << 20)

static uint32_t __init be32_at(const void *p)
{
	const uint8_t *b = p;

	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	       (uint32_t)b[2] << 8 | b[3];
}

/*
 * Clean and invalidate [start, start + size) to the point of coherency by
 * address, through the firmware's identity map: what is dirty in any
 * cache, system caches included, reaches memory, where the kernel reads
 * it with the caches off.
 */
static void __init dcache_clean_inval_poc(uint64_t start, uint64_t size)
{
	uint64_t line = UINT64_C(4) << CTR_DMINLINE(read_sysreg(ctr_el0));

	for (uint64_t a = start & ~(line - 1); a < start + size; a += line) {
		__asm__ volatile("dc civac, %0" :: "r"(a) : "memory");
	}
}

/*
 * Everything the kernel reads before its own MMU is on: the image (code,
 * data, BSS with this record), the DTB the firmware installed, and the
 * ranges the stub reserved (the memory map). Last, after every write.
 */
static void __init clean_handoff(const struct boot_handoff *bh)
{
	dcache_clean_inval_poc((uint64_t)(uintptr_t)__image_start,
			       (uint64_t)(__image_end - __image_start));
	if (bh->fdt != 0) {
		const void *fdt = (const void *)(uintptr_t)bh->fdt;
		uint64_t size = be32_at((const uint8_t *)fdt + 4);

		if (be32_at(fdt) == FDT_MAGIC && size <= FDT_MAX_SIZE) {
			dcache_clean_inval_poc(bh->fdt, size);
		}
	}
	for (uint32_t i = 0; i < bh->nr_reserved; i++) {
		dcache_clean_inval_poc(bh->reserved[i].base,
				       bh->reserved[i].size);
	}
	__asm__ volatile("dsb sy" ::: "memory");
}

/**
 * arm64_efi_main() - the EFI stub's work, boot services up
 * @image: the image handle the firmware passed in x0
 * @st: the system table the firmware passed in x1
 *
 * Fills arm64_handoff (boot path "uefi", DTB and ACPI tables from the
 * configuration tables, the memory map, boot CPU, load address, counter)
 * and exits boot services. Return: 0 once boot services are gone (entry.S
 * then leaves the firmware's MMU and joins the booting.rst path), or an
 * EFI status for the firmware, boot services still up.
 */
uint64_t __init arm64_efi_main(void *image, struct efi_system_table *st)
{
	struct boot_handoff *bh = &arm64_handoff;
	uint64_t ticks = read_sysreg(cntvct_el0);

	if (efi_stub_start(image, st, bh) != 0) {
		return EFI_LOAD_ERROR;
	}
	bh->entry_ticks = ticks;
	bh->boot_cpu = read_sysreg(mpidr_el1) & MPIDR_AFFINITY_MASK;
	bh->image_base = (uint64_t)(uintptr_t)__image_start;
	if (bh->fdt == 0) {
		/*
		 * The console and the PSCI conduit come from the DT: without
		 * one the kernel would run blind. EDK2 on QEMU virt installs
		 * none when QEMU provides ACPI tables (see README.md).
		 */
		efi_stub_print("Cairn: the firmware installed no device tree "
			       "configuration table (ACPI only); giving up\n");
		return EFI_UNSUPPORTED;
	}
	if (efi_stub_exit_boot_services(bh) != 0) {
		return EFI_LOAD_ERROR;
	}
	clean_handoff(bh);
	return EFI_SUCCESS;
}
