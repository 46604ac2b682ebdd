/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * arm64 entry. The image starts with the arm64 Image header [Linux
 * Documentation/arm64/booting.rst], so QEMU's -kernel, U-Boot's booti and
 * the Raspberry Pi firmware load it, and that header doubles as the DOS and
 * PE/COFF headers of a UEFI application (the "EFI stub"), so EDK2 and
 * U-Boot's bootefi start the same file as BOOTAA64.EFI.
 *
 * booting.rst entry (primary_entry): offset 0, MMU and D-cache off, x0 =
 * DTB physical address, x1..x3 = 0, at EL2 or EL1. Entered at EL2 we
 * configure EL2 to stay out of the way and drop to EL1, where Cairn runs.
 * The image is linked at 0 as a static PIE and relocates itself to
 * wherever it was loaded, then clears BSS, installs the exception vectors
 * and calls arm64_boot() in C.
 *
 * UEFI entry (efi_pe_entry): x0 = image handle, x1 = system table, MMU and
 * caches on with the firmware's identity map, EL2 or EL1. It relocates and
 * clears BSS in place, lets efi.c take the memory map and exit boot
 * services on the firmware's stack, then turns the firmware's MMU and
 * caches off and joins the booting.rst path at the EL switch, with
 * relocation and BSS already done: from there on both paths are one.
 *
 * Nothing before the relocation loop may load an absolute address: every
 * address here comes from adr/adrp, which are PC-relative.
 */
#include "asm.h"

	.section .text.head, "ax"
	.globl _start
_start:
	/*
	 * text_offset 0 with flag bit 3: the loader may put the image at any
	 * 2 MiB-aligned base (QEMU uses RAM + 2 MiB, as its boot stub sits in
	 * the first 4 KiB). The code needs only 4 KiB alignment (adrp, and the
	 * 2 KiB-aligned vectors), so the Pi firmware's fixed 0x80000 and a
	 * UEFI loader's page-aligned choice work too. Linux has used
	 * text_offset 0 since v5.8.
	 */
	.long	PE_CODE0_MZ		/* code0: "MZ", a harmless add */
	b	primary_entry		/* code1 */
	.quad	0			/* text_offset */
	.quad	__image_end - _start	/* image_size, BSS included */
	.quad	IMAGE_FLAG_LE | IMAGE_FLAG_PAGE_4K | IMAGE_FLAG_ANYWHERE
	.quad	0			/* res2 */
	.quad	0			/* res3 */
	.quad	0			/* res4 */
	.ascii	"ARM\x64"		/* magic */
	.long	pe_header - _start	/* res5: e_lfanew of the DOS header */

	/*
	 * PE32+ headers [Microsoft PE format]. No base relocations: the image
	 * relocates itself, and without IMAGE_FILE_RELOCS_STRIPPED a loader
	 * may place it anywhere (page-aligned, by SectionAlignment). The
	 * headers fill the first page; the sections follow kernel.ld and the
	 * permissions paging.c gives the same ranges, because a firmware with
	 * strict image protection (EDK2 on QEMU virt) maps them by these
	 * characteristics while the stub runs:
	 *
	 *   .text  [__pe_headers_end, __text_end)      RX  code
	 *   .data  [__text_end, __init_start)          RW  rodata, data
	 *   .init  [__init_start, __init_text_end)     RX  .init.text
	 *   .bss   [__init_text_end, __image_end)      RW  .init.data from the
	 *          file up to __pe_file_end, then zero-filled by the loader:
	 *          .init.bss, BSS and the boot stack are allocated.
	 *
	 * Sizes the assembler cannot subtract come from kernel.ld.
	 */
	.balign	8
pe_header:
	.ascii	"PE\0\0"
	.short	PE_MACHINE_ARM64	/* Machine */
	.short	(pe_sections_end - pe_sections) / 40	/* NumberOfSections */
	.long	0			/* TimeDateStamp */
	.long	0			/* PointerToSymbolTable */
	.long	0			/* NumberOfSymbols */
	.short	pe_sections - pe_opt_header	/* SizeOfOptionalHeader */
	.short	PE_FILE_CHARS		/* Characteristics */
pe_opt_header:
	.short	PE_OPT_MAGIC_PE32PLUS	/* Magic */
	.byte	0, 0			/* linker version */
	.long	__pe_code_size		/* SizeOfCode */
	.long	__pe_idata_size		/* SizeOfInitializedData */
	.long	__pe_udata_size		/* SizeOfUninitializedData */
	.long	efi_pe_entry - _start	/* AddressOfEntryPoint */
	.long	__pe_headers_end - _start	/* BaseOfCode */
	.quad	0			/* ImageBase */
	.long	PE_SECTION_ALIGN	/* SectionAlignment */
	.long	PE_FILE_ALIGN		/* FileAlignment */
	.short	0, 0			/* operating system version */
	.short	0, 0			/* image version */
	.short	0, 0			/* subsystem version */
	.long	0			/* Win32VersionValue */
	.long	__image_end - _start	/* SizeOfImage */
	.long	__pe_headers_end - _start	/* SizeOfHeaders */
	.long	0			/* CheckSum */
	.short	PE_SUBSYSTEM_EFI_APP	/* Subsystem */
	.short	PE_DLL_NX_COMPAT	/* DllCharacteristics */
	.quad	0, 0, 0, 0		/* stack and heap reserve, commit */
	.long	0			/* LoaderFlags */
	.long	PE_NR_DATA_DIRS		/* NumberOfRvaAndSizes */
	.fill	PE_NR_DATA_DIRS, 8, 0	/* data directories: none used */

	/*
	 * Section headers: name, VirtualSize, VirtualAddress, SizeOfRawData,
	 * PointerToRawData (file offset == address: the file is the image
	 * from 0), no relocations or line numbers, characteristics.
	 */
pe_sections:
	.ascii	".text\0\0\0"
	.long	__text_end - __pe_headers_end
	.long	__pe_headers_end - _start
	.long	__text_end - __pe_headers_end
	.long	__pe_headers_end - _start
	.long	0, 0
	.short	0, 0
	.long	PE_SCN_TEXT

	.ascii	".data\0\0\0"
	.long	__pe_data_size
	.long	__text_end - _start
	.long	__pe_data_size
	.long	__text_end - _start
	.long	0, 0
	.short	0, 0
	.long	PE_SCN_DATA

	.ascii	".init\0\0\0"
	.long	__pe_init_size
	.long	__init_start - _start
	.long	__pe_init_size
	.long	__init_start - _start
	.long	0, 0
	.short	0, 0
	.long	PE_SCN_TEXT

	.ascii	".bss\0\0\0\0"
	.long	__pe_bss_vsize
	.long	__init_text_end - _start
	.long	__pe_bss_rawsize
	.long	__init_text_end - _start
	.long	0, 0
	.short	0, 0
	.long	PE_SCN_DATA
pe_sections_end:

	/* The headers take the first page; the PE .text section follows. */
	.balign	PE_SECTION_ALIGN
	.globl	__pe_headers_end
__pe_headers_end:

primary_entry:
	mov	x19, x0			/* DTB */
	mov	x22, xzr		/* not from the UEFI stub */

	/*
	 * Both entries meet here, MMU and caches off; x19 = DTB (0 from the
	 * stub, which recorded it already), x22 = 1 if the stub ran.
	 */
enter_el1:
	mrs	x20, CurrentEL
	cmp	x20, #CURRENTEL_EL1
	b.eq	el1_entry
	cmp	x20, #CURRENTEL_EL2
	b.ne	halt			/* EL3: not booting.rst */

	/*
	 * EL2 (QEMU virt,virtualization=on; most real firmware). EL1 becomes
	 * AArch64 with no stage 2 and nothing trapped: it may read both
	 * counters, the virtual one with no offset, and sees the real MIDR
	 * and MPIDR (EL1 reads VPIDR_EL2/VMPIDR_EL2 when EL2 is implemented).
	 * E2H becomes 0 before anything else, so that the _EL1 names below
	 * are not redirected to EL2 registers and CNTHCTL_EL2 has its
	 * non-VHE layout, whatever firmware left.
	 */
	mov	x9, #HCR_EL2_RW
	msr	hcr_el2, x9
	isb
	mov	x9, #(CNTHCTL_EL2_EL1PCTEN | CNTHCTL_EL2_EL1PCEN)
	msr	cnthctl_el2, x9
	msr	cntvoff_el2, xzr
	mov	x9, #CPTR_EL2_DEFAULT
	msr	cptr_el2, x9
	msr	hstr_el2, xzr
	msr	vttbr_el2, xzr
	mrs	x9, midr_el1
	msr	vpidr_el2, x9
	mrs	x9, mpidr_el1
	msr	vmpidr_el2, x9
	mov	x9, #(SCTLR_EL1_MMU_OFF & 0xffff)
	movk	x9, #(SCTLR_EL1_MMU_OFF >> 16), lsl #16
	msr	sctlr_el1, x9
	mov	x9, #SPSR_EL1H_DAIF
	msr	spsr_el2, x9
	adr	x9, el1_entry
	msr	elr_el2, x9
	eret

el1_entry:
	/*
	 * EL1 from here on, whichever way we came. x20 still holds the
	 * CurrentEL value we were entered with. SCTLR_EL1 is set again for an
	 * EL1 entry: the boot protocol only promises M = 0 and C = 0.
	 */
	msr	daifset, #0xf
	mov	x9, #(SCTLR_EL1_MMU_OFF & 0xffff)
	movk	x9, #(SCTLR_EL1_MMU_OFF >> 16), lsl #16
	msr	sctlr_el1, x9
	isb
	cbnz	x22, 1f			/* the stub relocated and cleared */

	/*
	 * adrp needs a 4 KiB-aligned load address: anything else is a loader
	 * bug we cannot report yet.
	 */
	adr	x21, _start
	tst	x21, #0xfff
	b.ne	halt
	bl	relocate
	bl	clear_bss
1:
	adrp	x9, __stack_top
	add	x9, x9, :lo12:__stack_top
	mov	sp, x9
	/* Early, so that a fault anywhere in C is reported (trap.c). */
	adrp	x9, arm64_vectors
	add	x9, x9, :lo12:arm64_vectors
	msr	vbar_el1, x9
	isb

	mov	x29, xzr		/* end of frame chain */
	mov	x30, xzr
	mov	x0, x19
	lsr	x1, x20, #2		/* the EL we were entered at */
	mov	x2, x22
	bl	arm64_boot
halt:
	msr	daifset, #0xf
2:	wfi
	b	2b

/*
 * Linked at 0, so the load address x21 is the delta to add to every
 * R_AARCH64_RELATIVE target and addend. Leaf; no stack; clobbers x9-x14.
 * With the MMU on (UEFI) it writes through the caches like any store;
 * -z text keeps every target out of the code, so the instruction side
 * needs no maintenance.
 */
relocate:
	adrp	x9, __rela_start
	add	x9, x9, :lo12:__rela_start
	adrp	x10, __rela_end
	add	x10, x10, :lo12:__rela_end
1:	cmp	x9, x10
	b.hs	4f
	ldp	x11, x12, [x9]		/* r_offset, r_info */
	ldr	x13, [x9, #16]		/* r_addend */
	add	x9, x9, #24
	cmp	x12, #R_AARCH64_RELATIVE
	b.ne	1b			/* static PIE: only RELATIVE */
	add	x11, x11, x21
	add	x13, x13, x21
	tst	x11, #7
	b.ne	2f
	str	x13, [x11]
	b	1b
	/*
	 * A pointer in packed data: with the MMU off all memory is Device
	 * and an unaligned str faults, so store it a byte at a time.
	 */
2:	mov	x14, #8
3:	strb	w13, [x11], #1
	lsr	x13, x13, #8
	subs	x14, x14, #1
	b.ne	3b
	b	1b
4:	ret

/*
 * Zero [__bss_start, __bss_end), 64 bytes a turn: kernel.ld aligns both
 * ends to 64. Only .bss: .init.bss, .noclear and the boot stack need no
 * zeroing (<cairn/init.h>). Plain stores: with the MMU off memory is
 * Device, where DC ZVA faults. Leaf; x9, x10.
 */
clear_bss:
	adrp	x9, __bss_start
	add	x9, x9, :lo12:__bss_start
	adrp	x10, __bss_end
	add	x10, x10, :lo12:__bss_end
	cmp	x9, x10
	b.hs	2f
1:	stp	xzr, xzr, [x9]
	stp	xzr, xzr, [x9, #16]
	stp	xzr, xzr, [x9, #32]
	stp	xzr, xzr, [x9, #48]
	add	x9, x9, #64
	cmp	x9, x10
	b.lo	1b
2:	ret

/*
 * The UEFI entry point (AddressOfEntryPoint), an EFI_IMAGE_ENTRY_POINT
 * [uefi 2.10 §4.1]: x0 = image handle, x1 = system table, on the
 * firmware's stack, MMU and caches on, identity-mapped, EL2 or EL1. The
 * loader put the image at a page-aligned address of its choice and zeroed
 * the BSS (the PE .data section's virtual size); relocating and clearing
 * again here is the same code as the booting.rst path, run through the
 * caches.
 */
efi_pe_entry:
	stp	x29, x30, [sp, #-48]!
	mov	x29, sp
	stp	x19, x20, [sp, #16]
	stp	x21, x22, [sp, #32]
	mov	x19, x0
	mov	x20, x1
	adr	x21, _start
	tst	x21, #0xfff
	b.ne	efi_load_error
	bl	relocate
	bl	clear_bss
	mov	x0, x19
	mov	x1, x20
	bl	arm64_efi_main		/* efi.c: an EFI status on failure, */
	cbz	x0, efi_exited		/* 0 once boot services are gone */
	b	efi_return

efi_load_error:
	mov	x0, #1			/* EFI_LOAD_ERROR: bit 63 | 1 */
	orr	x0, x0, #(1 << 63)
efi_return:
	ldp	x21, x22, [sp, #32]
	ldp	x19, x20, [sp, #16]
	ldp	x29, x30, [sp], #48
	ret

	/*
	 * Boot services are gone and the firmware's page tables, now in
	 * memory we will hand out, are still live. Leave them: turn the MMU
	 * and the data cache off at this EL, then clean and invalidate every
	 * data cache level by set/way so that no line the firmware or the
	 * stub dirtied can later be written back over what the kernel
	 * writes with the caches off. efi.c already cleaned what the kernel
	 * will read (image, DTB, memory map) to the point of coherency by
	 * address, which also reaches system caches that set/way does not.
	 * From the SCTLR write to the end of the set/way loop nothing but
	 * registers is used: stale dirty lines still shadow memory then.
	 */
efi_exited:
	msr	daifset, #0xf
	mov	x10, #(SCTLR_ELX_M | SCTLR_ELX_C)
	mrs	x20, CurrentEL
	cmp	x20, #CURRENTEL_EL2
	b.eq	1f
	mrs	x9, sctlr_el1
	bic	x9, x9, x10
	msr	sctlr_el1, x9
	b	2f
1:	mrs	x9, sctlr_el2
	bic	x9, x9, x10
	msr	sctlr_el2, x9
2:	isb
	bl	dcache_clean_inval_all
	ic	iallu
	dsb	sy
	isb
	mov	x19, xzr		/* efi.c recorded the DTB */
	mov	x22, #1
	b	enter_el1

/*
 * Clean and invalidate all data and unified caches up to the level of
 * coherency, by set/way [Arm ARM, DC CISW and "Performing cache maintenance
 * instructions"; CLIDR_EL1, CSSELR_EL1, CCSIDR_EL1]. Only for this
 * single-CPU moment with the data cache already off, as U-Boot does
 * before booti. CCSIDR_EL1 has a second layout with FEAT_CCIDX
 * (ID_AA64MMFR2_EL1.CCIDX, bits 23:20). Leaf; clobbers x0-x13.
 */
dcache_clean_inval_all:
	mrs	x0, clidr_el1
	ubfx	x3, x0, #24, #3		/* LoC */
	cbz	x3, 5f
	mrs	x13, id_aa64mmfr2_el1
	ubfx	x13, x13, #20, #4	/* CCIDX */
	mov	x10, xzr		/* CSSELR: level << 1, data/unified */
1:	add	x2, x10, x10, lsr #1	/* 3 * level */
	lsr	x1, x0, x2
	and	x1, x1, #7		/* Ctype of this level */
	cmp	x1, #2
	b.lt	4f			/* none, or instruction only */
	msr	csselr_el1, x10
	isb
	mrs	x1, ccsidr_el1
	and	x2, x1, #7
	add	x2, x2, #4		/* log2 of the line size in bytes */
	cbnz	x13, 6f
	ubfx	x4, x1, #3, #10		/* associativity - 1 */
	ubfx	x7, x1, #13, #15	/* number of sets - 1 */
	b	7f
6:	ubfx	x4, x1, #3, #21
	ubfx	x7, x1, #32, #24
7:	clz	w5, w4			/* the way field's shift */
	mov	x9, x7			/* set */
2:	mov	x6, x4			/* way */
3:	lsl	x12, x6, x5
	orr	x11, x10, x12
	lsl	x12, x9, x2
	orr	x11, x11, x12
	dc	cisw, x11
	subs	x6, x6, #1
	b.ge	3b
	subs	x9, x9, #1
	b.ge	2b
4:	add	x10, x10, #2
	cmp	x3, x10, lsr #1
	b.gt	1b
5:	msr	csselr_el1, xzr
	dsb	sy
	isb
	ret
