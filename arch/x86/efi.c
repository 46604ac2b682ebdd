// SPDX-License-Identifier: BSD-2-Clause
/*
 * x86_64 UEFI path (OVMF, U-Boot's bootefi): the C side of efi_pe_entry
 * (entry.S). By the time x86_efi_main() runs the image has been copied to
 * its link address (2 MiB) and BSS cleared, but boot services are still up
 * and the firmware's stack and page tables are in use: it only calls the
 * generic stub (drivers/efi/stub.c) to record the configuration tables and
 * the memory map and to exit boot services. entry.S then loads Cairn's
 * page tables, GDT and stack and calls x86_boot(), which calls
 * x86_efi_record() to check what the stub recorded.
 */
#include <cairn/boot.h>
#include <cairn/efi_stub.h>
#include <cairn/init.h>
#include <cairn/log.h>

#include "x86.h"

uint64_t x86_efi_main(efi_handle_t image, struct efi_system_table *st);

/* What x86_efi_record() dropped, for x86_efi_log(). */
static uint32_t efi_dropped __initdata;

/**
 * x86_efi_main() - take the machine from the firmware
 * @image: the image handle the firmware passed
 * @st: the system table the firmware passed
 *
 * Called by entry.S on the firmware's stack, boot services up.
 * Return: EFI_SUCCESS once boot services are gone (entry.S then enters
 * the kernel), else an error status for the firmware, which still runs.
 */
uint64_t __init x86_efi_main(efi_handle_t image, struct efi_system_table *st)
{
	struct boot_handoff *bh = &x86_boot_handoff;

	bh->entry_ticks = rdtsc();
	if (efi_stub_start(image, st, bh) < 0) {
		return EFI_LOAD_ERROR;
	}
	if (efi_stub_exit_boot_services(bh) < 0) {
		return EFI_LOAD_ERROR;
	}
	return EFI_SUCCESS;
}

/**
 * x86_efi_record() - check the record the stub filled in
 * @bh: the record
 *
 * Runs on Cairn's boot map, which covers only the first 4 GiB until
 * paging_init(): a memory map or RSDP above it cannot be read yet and is
 * dropped (the boot then fails for want of a memory map, loudly).
 */
void __init x86_efi_record(struct boot_handoff *bh)
{
	if (bh->efi_mmap != 0 &&
	    !x86_boot_readable(bh->efi_mmap, bh->efi_mmap_size)) {
		bh->efi_mmap = 0;
		bh->efi_mmap_size = 0;
		efi_dropped++;
	}
	if (bh->rsdp != 0 && !x86_boot_readable(bh->rsdp, 36)) {
		bh->rsdp = 0;
		efi_dropped++;
	}
}

/**
 * x86_efi_log() - report the UEFI hand-over
 * @bh: the record
 */
void __init x86_efi_log(const struct boot_handoff *bh)
{
	pr_info("uefi: memory map at %#llx, %llu bytes in descriptors of %u "
		"(version %u), rsdp %#llx\n",
		(unsigned long long)bh->efi_mmap,
		(unsigned long long)bh->efi_mmap_size, bh->efi_desc_size,
		bh->efi_desc_version, (unsigned long long)bh->rsdp);
	if (efi_dropped != 0) {
		pr_warn("uefi: %u tables beyond the 4 GiB boot map ignored\n",
			efi_dropped);
	}
}
