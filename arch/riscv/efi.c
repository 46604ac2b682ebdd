// SPDX-License-Identifier: BSD-2-Clause
/*
 * riscv64 UEFI entry: the C half of efi_pe_entry (entry.S). It runs on the
 * firmware's stack with boot services up, after the image has relocated
 * itself and cleared BSS. The generic stub (drivers/efi/stub.c) finds the
 * DT and takes the memory map; this file adds what only riscv needs, the
 * boot hart id, which UEFI does not pass in a register [RISC-V UEFI
 * protocol spec 1.0]. On success entry.S turns the MMU off and calls
 * start_kernel() on the kernel's stack.
 *
 * Not __init: .init.text lies in the PE .data section, which a firmware
 * may map non-executable until the MMU is off (see README.md).
 */
#include <cairn/boot.h>
#include <cairn/efi_stub.h>
#include <cairn/errno.h>
#include <cairn/fdt.h>
#include <cairn/sections.h>

#include "riscv.h"

efi_status_t riscv_efi_boot(efi_handle_t image, struct efi_system_table *st);

/* The hart id from the firmware's RISCV_EFI_BOOT_PROTOCOL, if it has one. */
static int hartid_from_protocol(uint64_t *hartid)
{
	const struct efi_guid guid = RISCV_EFI_BOOT_PROTOCOL_GUID;
	struct riscv_efi_boot_protocol *proto;

	proto = efi_stub_locate_protocol(&guid);
	if (proto == NULL ||
	    proto->get_boot_hartid(proto, hartid) != EFI_SUCCESS) {
		return -ENOENT;
	}
	return 0;
}

/*
 * The older convention: /chosen/boot-hartid in the DT the firmware installs
 * (U-Boot writes it as one cell; two cells are accepted too).
 */
static int hartid_from_dt(uint64_t dtb, uint64_t *hartid)
{
	const void *fdt = (const void *)(uintptr_t)dtb;
	const fdt32_t *p;
	int chosen, len;

	if (fdt == NULL || fdt_blob_check(fdt, 0) != NULL) {
		return -EINVAL;
	}
	chosen = fdt_index_path_offset(fdt, "/chosen");
	if (chosen < 0) {
		return -ENOENT;
	}
	p = fdt_index_getprop(fdt, chosen, FDT_P_BOOT_HARTID, &len);
	if (p == NULL || (len != 4 && len != 8)) {
		return -ENOENT;
	}
	*hartid = fdt_read_number(p, len / 4);
	return 0;
}

/**
 * riscv_efi_boot() - the UEFI boot, up to the end of boot services
 * @image: the image handle the firmware passed in a0
 * @st: the system table the firmware passed in a1
 *
 * Fills riscv_handoff: the DT (and ACPI root) from the configuration
 * tables, the boot hart, the UEFI memory map; then exits boot services.
 * Return: EFI_SUCCESS with boot services gone, or an EFI error status for
 * the firmware, with boot services still up.
 */
efi_status_t riscv_efi_boot(efi_handle_t image, struct efi_system_table *st)
{
	struct boot_handoff *bh = &riscv_handoff;
	uint64_t hartid = 0;

	bh->entry_ticks = csr_read(time);
	if (efi_stub_start(image, st, bh) < 0) {
		return EFI_LOAD_ERROR;
	}
	if (hartid_from_protocol(&hartid) < 0 &&
	    hartid_from_dt(bh->fdt, &hartid) < 0) {
		efi_stub_print("Cairn: no boot hart id: neither "
			       "RISCV_EFI_BOOT_PROTOCOL nor "
			       "/chosen/boot-hartid\n");
		return EFI_UNSUPPORTED;
	}
	bh->boot_cpu = hartid;
	bh->image_base = (uint64_t)(uintptr_t)__image_start;
	if (efi_stub_exit_boot_services(bh) < 0) {
		return EFI_LOAD_ERROR;
	}
	return EFI_SUCCESS;
}
