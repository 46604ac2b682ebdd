/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The first BZ_SETUP_SIZE bytes of cairn-APP.bzimage: what makes the flat
 * image a Linux/x86 boot-protocol kernel and a UEFI PE32+ application at
 * once [Linux Documentation/arch/x86/boot.rst; PE format, Microsoft].
 * The section is not allocated: it is linked with the kernel (so every
 * size and entry below comes from the same link) but never loaded from the
 * ELF; arch/x86/mkbzimage.py puts it in front of the loadable segments.
 *
 *   0x0000  "MZ", PE header offset at 0x3c; the rest of the zero page's
 *           fields stay 0 so that a loader copying these bytes verbatim
 *           hands over no garbage (ext_* fields, acpi_rsdp_addr...)
 *   0x01f1  Linux setup header, version 2.14 (ends at 0x26c)
 *   0x026c  jump to the real-mode code (boot_params' padding)
 *   0x02d0  e820_table, filled by the real-mode code below
 *   0x1000  PE signature, COFF and PE32+ headers, one section
 *   0x1200  real-mode setup code (QEMU's linuxboot ROM enters it)
 *   0x2000  end: the protected-mode image follows; loaders put it at
 *           1 MiB (code32_start), it moves itself to 2 MiB (pref_address)
 *
 * Offsets in this section are offsets from its start: all references are
 * written as differences from setup_base so the assembler resolves them.
 */
#include <cairn/pe.h>

#include "asm.h"

#define PE_OFFSET		0x1000
#define PE_FILE_ALIGN		0x200

	.section .bzsetup, "", @progbits
	.code16
setup_base:
	.ascii	"MZ"
	.org	setup_base + 0x3c
	.long	PE_OFFSET		/* e_lfanew */

	/* Linux setup header [boot.rst "The real-mode kernel header"]. */
	.org	setup_base + 0x1f1
	.byte	BZ_SETUP_SECTS		/* setup_sects: 512-byte sectors after the first */
	.word	0			/* root_flags */
	.long	__bz_syssize		/* syssize: 16-byte paragraphs */
	.word	0			/* ram_size (obsolete) */
	.word	0xffff			/* vid_mode: "normal" */
	.word	0			/* root_dev */
	.word	0xaa55			/* boot_flag */
	/* 0x200: the real-mode entry (CS = setup segment + 0x20, IP = 0). */
	.byte	0xeb, setup_trampoline - 1f	/* jump: short jmp */
1:	.ascii	"HdrS"			/* header */
	.word	BZ_PROTOCOL		/* version */
	.long	0			/* realmode_swtch */
	.word	0			/* start_sys_seg (obsolete) */
	.word	kernel_version - setup_base - 0x200
	.byte	0			/* type_of_loader: set by the loader */
	.byte	BZ_LOADED_HIGH		/* loadflags */
	.word	0			/* setup_move_size */
	.long	BZ_LOAD_ADDR		/* code32_start: where the loader puts it */
	.long	0			/* ramdisk_image: set by the loader */
	.long	0			/* ramdisk_size */
	.long	0			/* bootsect_kludge */
	.word	0			/* heap_end_ptr: set by the loader */
	.byte	0			/* ext_loader_ver */
	.byte	0			/* ext_loader_type */
	.long	0			/* cmd_line_ptr: set by the loader */
	.long	0x7fffffff		/* initrd_addr_max */
	.long	BZ_KERNEL_ALIGN		/* kernel_alignment */
	.byte	0			/* relocatable_kernel: load at pref_address */
	.byte	BZ_MIN_ALIGN_SHIFT	/* min_alignment */
	.word	BZ_XLF_KERNEL_64	/* xloadflags: 64-bit entry at +0x200 */
	.long	BZ_CMDLINE_MAX - 1	/* cmdline_size */
	.long	0			/* hardware_subarch: PC */
	.quad	0			/* hardware_subarch_data */
	.long	0			/* payload_offset: not compressed */
	.long	0			/* payload_length */
	.quad	0			/* setup_data: set by the loader */
	.quad	__image_start		/* pref_address: we move there (entry.S) */
	.long	__bz_init_size		/* init_size: image + BSS from the load address */
	.long	0			/* handover_offset: no EFI handover */
	.long	0			/* kernel_info_offset (2.15; unused) */

	/* 0x26c: boot_params padding, free for a near jump to the code. */
setup_trampoline:
	jmp	setup_start

	/* The zero page's other fields stay 0; e820_table at 0x2d0. */
	.org	setup_base + PE_OFFSET

	/* PE signature and COFF file header [PE format §"COFF File Header"]. */
pe_header:
	.ascii	"PE\0\0"
	.word	PE_MACHINE_X86_64	/* Machine */
	.word	1			/* NumberOfSections */
	.long	0			/* TimeDateStamp: reproducible */
	.long	0			/* PointerToSymbolTable */
	.long	0			/* NumberOfSymbols */
	.word	section_table - pe_opt	/* SizeOfOptionalHeader */
	/* EXECUTABLE_IMAGE | LINE_NUMS_STRIPPED | LARGE_ADDRESS_AWARE |
	 * DEBUG_STRIPPED */
	.word	0x0002 | 0x0004 | 0x0020 | 0x0200

	/* PE32+ optional header. */
pe_opt:
	.word	PE_OPT_MAGIC_PE32PLUS	/* Magic */
	.byte	0, 0			/* linker version */
	.long	__bz_file_size		/* SizeOfCode */
	.long	0			/* SizeOfInitializedData */
	.long	0			/* SizeOfUninitializedData */
	.long	__bz_efi_entry + BZ_SETUP_SIZE	/* AddressOfEntryPoint (RVA) */
	.long	BZ_SETUP_SIZE		/* BaseOfCode */
	/*
	 * ImageBase is only a hint: the loader picks the address and the
	 * entry copies the kernel to 2 MiB (entry.S, efi_pe_entry).
	 */
	.quad	0			/* ImageBase */
	.long	PE_SECTION_ALIGN	/* SectionAlignment */
	.long	PE_FILE_ALIGN		/* FileAlignment */
	.word	0, 0			/* OS version */
	.word	0, 0			/* image version */
	.word	0, 0			/* subsystem version */
	.long	0			/* Win32VersionValue */
	.long	__bz_init_size + BZ_SETUP_SIZE	/* SizeOfImage */
	.long	PE_OFFSET + 0x200	/* SizeOfHeaders: MZ up to the section table */
	.long	0			/* CheckSum */
	.word	10			/* Subsystem: EFI application */
	.word	0			/* DllCharacteristics */
	.quad	0			/* SizeOfStackReserve */
	.quad	0			/* SizeOfStackCommit */
	.quad	0			/* SizeOfHeapReserve */
	.quad	0			/* SizeOfHeapCommit */
	.long	0			/* LoaderFlags */
	.long	6			/* NumberOfRvaAndSizes */
	.quad	0, 0, 0, 0, 0, 0	/* no export..base relocation tables */

section_table:
	/* One section: the protected-mode image, file offset == RVA. */
	.ascii	".text\0\0\0"
	.long	__bz_init_size		/* VirtualSize: BSS is zero-filled */
	.long	BZ_SETUP_SIZE		/* VirtualAddress */
	.long	__bz_file_size		/* SizeOfRawData */
	.long	BZ_SETUP_SIZE		/* PointerToRawData */
	.long	0			/* PointerToRelocations */
	.long	0			/* PointerToLinenumbers */
	.word	0			/* NumberOfRelocations */
	.word	0			/* NumberOfLinenumbers */
	/* CODE | INITIALIZED_DATA | MEM_EXECUTE | MEM_READ | MEM_WRITE */
	.long	0xe0000060

kernel_version:
	.asciz	"Cairn"

	/*
	 * Real-mode setup, entered by QEMU's linuxboot option ROM with
	 * CS = setup segment + 0x20, DS = ES = SS = setup segment, after
	 * SeaBIOS: it does what Linux's setup does for a 32-bit entry. It
	 * asks the BIOS for the e820 map (INT 15h, EAX = E820h) into the zero
	 * page (this very segment), enables A20, masks the PICs and enters
	 * 32-bit protected mode at code32_start with ESI = the zero page,
	 * CS = 0x10 and DS = ES = SS = 0x18, as the boot protocol's 32-bit
	 * entry requires. Interrupts stay off from here on.
	 */
	.org	setup_base + BZ_REALMODE_OFFSET
setup_start:
	cli
	cld
	/* CS = DS: offsets from setup_base address everything below. */
	movw	%ds, %ax
	pushw	%ax
	pushw	$(1f - setup_base)
	lretw
1:	movw	%ax, %es
	movw	%ax, %ss
	/*
	 * Stack: the loader's heap end if it gave one [boot.rst], else
	 * 1 KiB past the setup.
	 */
	movw	$(BZ_SETUP_SIZE + 0x400), %sp
	testb	$BZ_CAN_USE_HEAP, (0x211)
	jz	2f
	movw	(0x224), %sp
	addw	$0x200, %sp
2:
	/* e820: up to 128 entries of 20 bytes at 0x2d0, count at 0x1e8. */
	movb	$0, (BZ_E820_ENTRIES)
	movw	$BZ_E820_TABLE, %di
	xorl	%ebx, %ebx
3:	movl	$0xe820, %eax
	movl	$BZ_SMAP, %edx
	movl	$20, %ecx
	int	$0x15
	jc	4f			/* CF: error or end of the list */
	cmpl	$BZ_SMAP, %eax
	jne	4f
	cmpl	$20, %ecx
	jb	5f			/* malformed entry: skip it */
	incb	(BZ_E820_ENTRIES)
	addw	$20, %di
	cmpb	$BZ_E820_MAX, (BZ_E820_ENTRIES)
	jae	4f
5:	testl	%ebx, %ebx
	jnz	3b
4:
	/* A20 through the fast gate (port 0x92 bit 1; bit 0 would reset). */
	inb	$0x92, %al
	orb	$0x02, %al
	andb	$0xfe, %al
	outb	%al, $0x92
	/* Mask both PICs; nothing may interrupt before the kernel's IDT. */
	movb	$0xff, %al
	outb	%al, $0xa1
	outb	%al, $0x21

	/* Physical addresses: the GDT's, the zero page's, the entry's. */
	xorl	%esi, %esi
	movw	%ds, %si
	shll	$4, %esi
	leal	(gdt - setup_base)(%esi), %eax
	movl	%eax, (gdt_ptr - setup_base + 2)
	movl	(0x214), %eax		/* code32_start, as the loader left it */
	movl	%eax, (far_ptr - setup_base)
	lgdtl	(gdt_ptr - setup_base)
	lidtl	(null_idt - setup_base)

	movl	%cr0, %eax
	orl	$CR0_PE, %eax
	movl	%eax, %cr0
	/* Data segments now; CS keeps its real-mode base until the jump. */
	movw	$BZ_BOOT_DS, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	movw	%ax, %fs
	movw	%ax, %gs
	xorl	%ebx, %ebx
	xorl	%ebp, %ebp
	xorl	%edi, %edi
	ljmpl	*%cs:(far_ptr - setup_base)

	.balign 8
	/* Linux's boot selectors: 0x10 flat 32-bit code, 0x18 flat data. */
gdt:
	.quad	0
	.quad	0
	.quad	0x00cf9b000000ffff
	.quad	0x00cf93000000ffff
gdt_end:
	.balign 4
gdt_ptr:
	.word	gdt_end - gdt - 1
	.long	0			/* base: patched above */
null_idt:
	.word	0
	.long	0
far_ptr:
	.long	0			/* code32_start: patched above */
	.word	BZ_BOOT_CS

	.org	setup_base + BZ_SETUP_SIZE
