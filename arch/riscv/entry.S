/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * riscv64 entry. The image starts with the RISC-V Image header [Linux
 * Documentation/riscv/boot-image-header.rst], so QEMU's -kernel, OpenSBI's
 * fw_jump and U-Boot's booti load it, and that header doubles as the DOS and
 * PE/COFF headers of a UEFI application (the "EFI stub"), so U-Boot's
 * bootefi (or any UEFI firmware) starts the same file as BOOTRISCV64.EFI.
 * lld writes no riscv COFF, so the PE headers are written out here.
 *
 * Image entry (entry): S-mode, MMU off, a0 = hart id, a1 = DTB. OpenSBI
 * and U-Boot's booti jump here.
 *
 * UEFI entry (efi_pe_entry) [uefi 2.10 §2.3.7]: the RV64 C calling
 * convention, a0 = image handle, a1 = system table, ra = back to the
 * firmware, on the firmware's stack, MMU Bare or an identity map.
 *
 * The image is linked at 0 as a static PIE and relocates itself to wherever
 * it was loaded (any 4 KiB-aligned address), then clears BSS. Nothing
 * before relocate() returns may load an absolute address: every address
 * here comes from lla, which is PC-relative.
 */
#include "asm.h"

	.section .text.head, "ax"
	.globl _start
_start:
	/*
	 * code0/code1. The first two bytes are also the DOS header's "MZ":
	 * "c.li s4, -13" encodes as 0x5a4d and clobbers only s4. Then a
	 * 4-byte jump over the headers, and padding to 8 bytes.
	 */
	.option push
	.option rvc
	c.li	s4, -13
	.option norvc
	j	entry
	.option pop
	.short	0
	.dword	0x200000		/* text_offset: 2 MiB from DRAM start */
	.dword	__image_end - _start	/* image_size, BSS included */
	.dword	0			/* flags: little-endian */
	.word	0x2			/* header version 0.2 */
	.word	0			/* res1 */
	.dword	0			/* res2 */
	.ascii	"RISCV\0\0\0"		/* magic (deprecated, still checked) */
	.ascii	"RSC\x05"		/* magic2 */
	.word	pe_header - _start	/* res3: e_lfanew of the DOS header */

	/*
	 * PE32+ headers, right after the 64-byte DOS/Image header (U-Boot
	 * copies only the headers' own sizes from there). No base
	 * relocations: the image relocates itself, and without
	 * IMAGE_FILE_RELOCS_STRIPPED a loader may place it at any
	 * SectionAlignment boundary. Two sections: .text (pe_text to
	 * __text_end, RX) holds all the code that runs before boot services
	 * exit; .data (from __text_end, RW) is raw up to __file_end and
	 * zero-filled by the loader up to __image_end, so .init.bss, BSS
	 * and the boot stack are allocated too. The .init.text that
	 * follows .data in the kernel layout runs only after the MMU is off
	 * (Bare).
	 */
pe_header:
	.ascii	"PE\0\0"
	.short	PE_MACHINE_RISCV64	/* Machine */
	.short	2			/* NumberOfSections */
	.word	0			/* TimeDateStamp */
	.word	0			/* PointerToSymbolTable */
	.word	0			/* NumberOfSymbols */
	.short	pe_sections - pe_opt_header	/* SizeOfOptionalHeader */
	.short	PE_FILE_CHARS		/* Characteristics */
pe_opt_header:
	.short	PE_OPT_MAGIC_PE32PLUS	/* Magic */
	.byte	0, 0			/* linker version */
	.word	__text_end - pe_text	/* SizeOfCode */
	.word	__file_end - __text_end	/* SizeOfInitializedData */
	.word	__image_end - __file_end	/* SizeOfUninitializedData */
	.word	efi_pe_entry - _start	/* AddressOfEntryPoint */
	.word	pe_text - _start	/* BaseOfCode */
	.dword	0			/* ImageBase */
	.word	PE_SECTION_ALIGN	/* SectionAlignment */
	.word	PE_FILE_ALIGN		/* FileAlignment */
	.short	0, 0			/* operating system version */
	.short	0, 0			/* image version */
	.short	0, 0			/* subsystem version */
	.word	0			/* Win32VersionValue */
	.word	__image_end - _start	/* SizeOfImage */
	.word	pe_text - _start	/* SizeOfHeaders */
	.word	0			/* CheckSum */
	.short	PE_SUBSYSTEM_EFI_APP	/* Subsystem */
	.short	PE_DLL_NX_COMPAT	/* DllCharacteristics */
	.dword	0, 0, 0, 0		/* stack and heap reserve, commit */
	.word	0			/* LoaderFlags */
	.word	PE_NR_DATA_DIRS		/* NumberOfRvaAndSizes */
	.fill	PE_NR_DATA_DIRS, 8, 0	/* data directories: none used */
pe_sections:
	.ascii	".text\0\0\0"
	.word	__text_end - pe_text	/* VirtualSize */
	.word	pe_text - _start	/* VirtualAddress */
	.word	__text_end - pe_text	/* SizeOfRawData */
	.word	pe_text - _start	/* PointerToRawData */
	.word	0, 0			/* relocations, line numbers */
	.short	0, 0
	.word	PE_SCN_TEXT		/* Characteristics */
	.ascii	".data\0\0\0"
	.word	__image_end - __text_end	/* VirtualSize: BSS included */
	.word	__text_end - _start	/* VirtualAddress */
	.word	__file_end - __text_end	/* SizeOfRawData */
	.word	__text_end - _start	/* PointerToRawData */
	.word	0, 0
	.short	0, 0
	.word	PE_SCN_DATA

	/* The headers take the first page; the PE .text section follows. */
	.balign	PE_SECTION_ALIGN
pe_text:

entry:
	csrw	sie, zero
	csrw	sip, zero
	mv	s0, a0			/* hart id */
	mv	s1, a1			/* DTB */
	lla	sp, __stack_top
	call	relocate
	call	clear_bss
	mv	a0, s0
	mv	a1, s1
	call	riscv_boot
1:	wfi
	j	1b

	.balign	4
efi_pe_entry:
	addi	sp, sp, -32
	sd	ra, 0(sp)
	sd	s0, 8(sp)
	sd	s1, 16(sp)
	mv	s0, a0			/* image handle */
	mv	s1, a1			/* system table */
	call	relocate
	call	clear_bss
	mv	a0, s0
	mv	a1, s1
	call	riscv_efi_boot		/* takes the map, exits boot services */
	bnez	a0, 2f

	/*
	 * The machine is ours. Make sure of what the Image entry gets from
	 * OpenSBI: interrupts off, MMU Bare (UEFI identity-maps, so this
	 * keeps every address), nothing stale in the TLB. The firmware's
	 * stack is BootServicesData, free memory from now on: take ours.
	 */
	csrci	sstatus, SR_SIE
	csrw	sie, zero
	csrw	sip, zero
	csrw	satp, zero
	sfence.vma
	lla	sp, __stack_top
	lla	a0, riscv_handoff
	call	start_kernel
1:	wfi
	j	1b

	/* Boot services are still up: return the EFI status to the firmware. */
2:	ld	ra, 0(sp)
	ld	s0, 8(sp)
	ld	s1, 16(sp)
	addi	sp, sp, 32
	ret

/*
 * relocate(): linked at 0, so the load address is the delta to add to every
 * R_RISCV_RELATIVE target and addend. Clobbers t0-t2 and a2-a5 only.
 */
relocate:
	lla	t2, _start
	lla	t0, __rela_start
	lla	t1, __rela_end
1:	bgeu	t0, t1, 3f
	ld	a2, 0(t0)		/* r_offset */
	ld	a3, 8(t0)		/* r_info */
	ld	a4, 16(t0)		/* r_addend */
	li	a5, R_RISCV_RELATIVE
	bne	a3, a5, 2f		/* only RELATIVE exists in a static PIE */
	add	a2, a2, t2
	add	a4, a4, t2
	sd	a4, 0(a2)
2:	addi	t0, t0, 24
	j	1b
3:	fence.i
	ret

/*
 * clear_bss(): zero [__bss_start, __bss_end), 64 bytes a turn: kernel.ld
 * aligns both ends to 64. Only .bss: .init.bss, .noclear and the boot
 * stack need no zeroing (<cairn/init.h>). Clobbers t0 and t1 only.
 */
clear_bss:
	lla	t0, __bss_start
	lla	t1, __bss_end
	bgeu	t0, t1, 2f
1:	sd	zero, 0(t0)
	sd	zero, 8(t0)
	sd	zero, 16(t0)
	sd	zero, 24(t0)
	sd	zero, 32(t0)
	sd	zero, 40(t0)
	sd	zero, 48(t0)
	sd	zero, 56(t0)
	addi	t0, t0, 64
	bltu	t0, t1, 1b
2:	ret
