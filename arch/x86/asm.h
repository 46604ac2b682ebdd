/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Constants shared by the x86 assembly and C files: control-register and
 * MSR bits [intel/vol3 §2.5, §2.2.1], the boot GDT's selectors and the
 * trap-frame layout. Plain numbers only, so both assemblers and C read it.
 */
#pragma once

#define CR0_PE		(1 << 0)
#define CR0_WP		(1 << 16)
#define CR0_PG		0x80000000
#define CR4_PAE		(1 << 5)
#define CR4_PGE		(1 << 7)
#define MSR_EFER	0xc0000080
#define EFER_LME	(1 << 8)
#define EFER_NXE	(1 << 11)

/* Page-table entry bits [intel/vol3 §4.5]. */
#define PTE_P		(1 << 0)
#define PTE_RW		(1 << 1)
#define PTE_PS		(1 << 7)	/* in a PD entry: a 2 MiB page */

/* Boot GDT (entry.S): null, 64-bit code, data. */
#define KERNEL_CS	0x08
#define KERNEL_DS	0x10

/* Number of exception vectors with an IDT gate; interrupts stay off. */
#define NR_EXCEPTIONS	32

/*
 * struct trap_frame (x86.h) from the top of the stack down: the 15 general
 * registers trap.S pushes, the vector and error code, then what the CPU
 * pushed: RIP, CS, RFLAGS, RSP, SS.
 */
#define FRAME_REGS	15
#define FRAME_SIZE	((FRAME_REGS + 2 + 5) * 8)

/*
 * Linux/x86 boot protocol [Linux Documentation/arch/x86/boot.rst]: the
 * bzImage layout header.S writes and the boot_params (zero page) offsets
 * that header.S's real-mode code and bootparams.c use.
 */
#define BZ_SETUP_SECTS		15	/* setup = (15 + 1) * 512 bytes */
#define BZ_SETUP_SIZE		0x2000
#define BZ_REALMODE_OFFSET	0x1200	/* the real-mode code, after the PE header */
#define BZ_PROTOCOL		0x020e	/* 2.14: acpi_rsdp_addr */
#define BZ_LOADED_HIGH		0x01	/* loadflags: protected-mode part at 1 MiB */
#define BZ_CAN_USE_HEAP		0x80	/* loadflags: heap_end_ptr is valid */
#define BZ_XLF_KERNEL_64	0x0001	/* xloadflags: 64-bit entry at +0x200 */
#define BZ_KERNEL_ALIGN		0x1000
#define BZ_MIN_ALIGN_SHIFT	12
#define BZ_CMDLINE_MAX		4096
#define BZ_ENTRY64_OFFSET	0x200	/* linux64_start - linux32_start */
#define BZ_LOAD_ADDR		0x100000	/* code32_start: loaders put it here */
#define BZ_SCRATCH		0x1e4	/* boot_params u32 the 32-bit entry may use */
#define BZ_BOOT_CS		0x10	/* the protocol's flat 32-bit selectors */
#define BZ_BOOT_DS		0x18
#define BZ_SMAP			0x534d4150	/* "SMAP" for INT 15h E820h */
#define BZ_E820_ENTRIES		0x1e8	/* u8 */
#define BZ_E820_TABLE		0x2d0	/* 128 packed entries of 20 bytes */
#define BZ_E820_MAX		128

/* How the kernel was entered: x86_boot()'s first argument. */
#define X86_BOOT_PVH		0
#define X86_BOOT_LINUX32	1
#define X86_BOOT_LINUX64	2
#define X86_BOOT_EFI		3

/*
 * What efi_pe_entry (entry.S) calls before any C runs [uefi 2.10 §4.3,
 * §4.4, §12.4]: offsets in EFI_SYSTEM_TABLE, EFI_BOOT_SERVICES and
 * EFI_SIMPLE_TEXT_OUTPUT_PROTOCOL (<cairn/efi_stub.h> asserts the same).
 */
#define EFI_ST_CON_OUT		64
#define EFI_ST_BOOT_SERVICES	96
#define EFI_BS_ALLOCATE_PAGES	40
#define EFI_BS_FREE_PAGES	48
#define EFI_TEXT_OUTPUT_STRING	8
#define EFI_ALLOCATE_ADDRESS	2
#define EFI_LOADER_CODE		1
