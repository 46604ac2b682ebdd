/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * x86_64 entry points, one per boot path; all end in x86_boot(kind, ptr)
 * in long mode on the kernel's boot stack, BSS cleared, the first 4 GiB
 * identity-mapped with 2 MiB pages, our GDT loaded. No firmware data is
 * read here. The kernel is linked at 2 MiB (kernel.ld) and always runs
 * there; the entries that may run elsewhere move it first:
 *
 *   linux32_start  image + 0 (code32_start, the loader puts it at 1 MiB):
 *                  Linux boot protocol, 32-bit protected mode, ESI =
 *                  boot_params (header.S's real-mode code after QEMU's
 *                  linuxboot ROM, or a 32-bit loader such as U-Boot's zboot)
 *   linux64_start  image + 0x200 (XLF_KERNEL_64): 64-bit, RSI = boot_params
 *                  (no loader on QEMU uses it: 64-bit U-Boot cannot zboot)
 *   pvh_start      the XEN_ELFNOTE_PHYS32_ENTRY note: QEMU -kernel ELF or
 *                  Xen, 32-bit, paging off, EBX = struct hvm_start_info
 *                  [xen public/arch-x86/hvm/start_info.h]
 *   efi_pe_entry   the PE entry of the bzImage: UEFI firmware loads it
 *                  anywhere; it claims 2 MiB with AllocatePages and
 *                  copies the kernel there before any C code runs
 */
#include "asm.h"

#define XEN_ELFNOTE_PHYS32_ENTRY	18

/*
 * The note must sit in a PT_NOTE segment aligned to 4: QEMU 7.2 pads the
 * name to the segment's p_align. Its desc is the 32-bit entry address.
 */
	.section .note.Xen, "a", @note
	.balign 4
	.long	4			/* namesz: "Xen\0" */
	.long	4			/* descsz */
	.long	XEN_ELFNOTE_PHYS32_ENTRY
	.asciz	"Xen"
	.long	pvh_start

	.section .text.head, "ax"
	.code32
	.globl linux32_start
linux32_start:
	cli
	cld
	/*
	 * The loader put us at code32_start (BZ_LOAD_ADDR); we are linked
	 * at pref_address and, not being relocatable, move there [boot.rst:
	 * "A non-relocatable kernel will unconditionally move itself"]. The
	 * boot_params scratch field is the one-slot stack of the call that
	 * finds where we are, as the protocol intends.
	 */
	movl	%esi, %ebx		/* boot_params */
	leal	(BZ_SCRATCH + 4)(%esi), %esp
	call	1f
1:	popl	%esi
	subl	$(1b - linux32_start), %esi
	movl	$__image_start, %edi
	movl	$__bz_file_size, %ecx
	cmpl	%esi, %edi
	je	3f
	jb	2f
	/* Moving up: copy backwards, the ranges may overlap. */
	leal	-1(%esi, %ecx), %esi
	leal	-1(%edi, %ecx), %edi
	std
2:	rep movsb
	cld
3:	movl	$X86_BOOT_LINUX32, %ebp
	movl	$boot32, %eax
	jmp	*%eax

	.org	linux32_start + BZ_ENTRY64_OFFSET
	.code64
	.globl linux64_start
linux64_start:
	/*
	 * Long mode, identity-mapped by the loader, RSI = boot_params, our
	 * segments not loaded yet: move to the link address as above.
	 */
	cli
	cld
	movq	%rsi, %rbx		/* boot_params */
	leaq	linux32_start(%rip), %rsi
	movq	$__image_start, %rdi
	movq	$__bz_file_size, %rcx
	cmpq	%rsi, %rdi
	je	2f
	jb	1f
	leaq	-1(%rsi, %rcx), %rsi
	leaq	-1(%rdi, %rcx), %rdi
	std
1:	rep movsb
	cld
2:	movq	$linux64_linked, %rax
	jmp	*%rax
linux64_linked:
	movl	$X86_BOOT_LINUX64, %ebp
	movq	$__bss_start, %rdi
	movq	$__bss_end, %rcx
	subq	%rdi, %rcx
	xorl	%eax, %eax
	rep stosb
	jmp	boot64

	.code32
	.globl pvh_start
pvh_start:
	cli
	cld
	movl	$X86_BOOT_PVH, %ebp
	/* EBX (start_info) and EBP (the kind) are left alone below. */
boot32:
	/*
	 * Clear BSS first, while nothing in it is in use: the page tables
	 * and the boot stack live there and are built/used only afterwards.
	 */
	movl	$__bss_start, %edi
	movl	$__bss_end, %ecx
	subl	%edi, %ecx
	shrl	$2, %ecx
	xorl	%eax, %eax
	rep stosl

	movl	$__stack_top, %esp

	/* PML4[0] -> PDPT; PDPT[0..3] -> the four page directories. */
	movl	$boot_pdpt + (PTE_P | PTE_RW), boot_pml4
	movl	$boot_pd + (PTE_P | PTE_RW), %eax
	xorl	%ecx, %ecx
1:	movl	%eax, boot_pdpt(, %ecx, 8)
	addl	$4096, %eax
	incl	%ecx
	cmpl	$4, %ecx
	jb	1b

	/*
	 * 2048 PD entries of 2 MiB: identity 0..4 GiB (high halves stay 0),
	 * four per iteration.
	 */
	movl	$(PTE_P | PTE_RW | PTE_PS), %eax
	xorl	%ecx, %ecx
2:	movl	%eax, boot_pd(, %ecx, 8)
	leal	0x200000(%eax), %edx
	movl	%edx, boot_pd + 8(, %ecx, 8)
	leal	0x400000(%eax), %edx
	movl	%edx, boot_pd + 16(, %ecx, 8)
	leal	0x600000(%eax), %edx
	movl	%edx, boot_pd + 24(, %ecx, 8)
	addl	$0x800000, %eax
	addl	$4, %ecx
	cmpl	$2048, %ecx
	jb	2b

	/* Long mode [intel/vol3 §10.8.5]: PAE, CR3, EFER.LME, then paging. */
	movl	%cr4, %eax
	orl	$CR4_PAE, %eax
	movl	%eax, %cr4
	movl	$boot_pml4, %eax
	movl	%eax, %cr3
	movl	$MSR_EFER, %ecx
	rdmsr
	orl	$EFER_LME, %eax
	wrmsr
	lgdt	boot_gdt_ptr
	movl	%cr0, %eax
	orl	$(CR0_PG | CR0_PE), %eax
	movl	%eax, %cr0
	ljmp	$KERNEL_CS, $long_mode

	.code64
long_mode:
	/* The upper halves are undefined after the switch. */
	movl	%ebx, %ebx
	movl	%ebp, %ebp
boot_long:
	/* From here on: our CS, RBX = pointer, EBP = kind, BSS clear. */
	movl	$KERNEL_DS, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	xorl	%eax, %eax
	movl	%eax, %fs
	movl	%eax, %gs

	movq	$__stack_top, %rsp
	movl	%ebp, %edi		/* kind */
	movq	%rbx, %rsi		/* start_info, boot_params or 0 */
	xorl	%ebp, %ebp
	call	x86_boot
3:	cli
	hlt
	jmp	3b

	/*
	 * Already in long mode (linux64_start, after UEFI): replace the
	 * loader's page tables (they may sit in memory we are about to hand
	 * out), GDT and IDT by ours. RBX, EBP as for boot_long; BSS clear.
	 * CR4 is reset to PAE only, as on the 32-bit paths: the firmware may
	 * have enabled SSE (OSFXSR), which Cairn keeps off.
	 */
boot64:
	movq	$boot_pdpt + (PTE_P | PTE_RW), %rax
	movq	%rax, boot_pml4
	movq	$boot_pd + (PTE_P | PTE_RW), %rax
	xorl	%ecx, %ecx
1:	movq	%rax, boot_pdpt(, %rcx, 8)
	addq	$4096, %rax
	incl	%ecx
	cmpl	$4, %ecx
	jb	1b
	movq	$(PTE_P | PTE_RW | PTE_PS), %rax
	xorl	%ecx, %ecx
2:	movq	%rax, boot_pd(, %rcx, 8)
	leaq	0x200000(%rax), %rdx
	movq	%rdx, boot_pd + 8(, %rcx, 8)
	leaq	0x400000(%rax), %rdx
	movq	%rdx, boot_pd + 16(, %rcx, 8)
	leaq	0x600000(%rax), %rdx
	movq	%rdx, boot_pd + 24(, %rcx, 8)
	addq	$0x800000, %rax
	addl	$4, %ecx
	cmpl	$2048, %ecx
	jb	2b
	movq	$boot_pml4, %rax
	movq	%rax, %cr3
	movl	$CR4_PAE, %eax
	movq	%rax, %cr4
	lgdt	boot_gdt_ptr
	lidt	null_idt_ptr		/* a fault before arch_setup() resets */
	movq	$__stack_top, %rsp
	pushq	$KERNEL_CS
	pushq	$boot_long
	lretq

	/*
	 * UEFI entry [uefi 2.10 §2.1.2, §2.3.4.1]: Microsoft x64 convention,
	 * RCX = image handle, RDX = system table, on the firmware's stack with
	 * its identity map, anywhere in memory. Position-independent until
	 * the copy: RIP-relative addressing only. The kernel is not PIE, so
	 * it takes its link address from the firmware (AllocatePages at that
	 * address) and runs from there; if the firmware uses that range the
	 * boot fails with a message. 2 MiB is free on both firmware Cairn
	 * boots through on QEMU: 1 MiB is not (64-bit U-Boot 2023.01 keeps
	 * live data at 0x108000 that its EFI memory map calls free), nor is
	 * 16 MiB, Linux's LOAD_PHYSICAL_ADDR (OVMF's boot services data
	 * spans 9-21 MiB). TODO(issue 6): a PIE kernel would need no fixed
	 * address at all. Returns to the firmware only on failure, with the
	 * callee-saved registers of the x64 convention restored.
	 */
	.globl efi_pe_entry
efi_pe_entry:
	pushq	%rbp
	movq	%rsp, %rbp
	pushq	%rbx
	pushq	%rsi
	pushq	%rdi
	pushq	%r12
	pushq	%r13
	pushq	%r14
	subq	$48, %rsp		/* shadow space, the address; 16-aligned */
	cld
	movq	%rcx, %r12
	movq	%rdx, %r13
	movq	EFI_ST_BOOT_SERVICES(%r13), %r14

	/* AllocatePages(AllocateAddress, EfiLoaderCode, pages, &addr) */
	movq	$__image_start, %rax
	movq	%rax, 32(%rsp)
	movl	$EFI_ALLOCATE_ADDRESS, %ecx
	movl	$EFI_LOADER_CODE, %edx
	movq	$__bz_image_pages, %r8
	leaq	32(%rsp), %r9
	call	*EFI_BS_ALLOCATE_PAGES(%r14)
	testq	%rax, %rax
	jnz	.Lefi_no_room

	/* The whole image, BSS included (the loader zero-filled it). */
	leaq	__image_start(%rip), %rsi
	movq	$__image_start, %rdi
	movq	$__bz_init_size, %rcx
	rep movsb

	/* Run the copy; it comes back only if the stub failed. */
	movq	%r12, %rdi
	movq	%r13, %rsi
	movq	$efi_linked_entry, %rax
	call	*%rax
	movq	%rax, %rbx
	movq	$__image_start, %rcx
	movq	$__bz_image_pages, %rdx
	call	*EFI_BS_FREE_PAGES(%r14)
	movq	%rbx, %rax
	jmp	.Lefi_out

.Lefi_no_room:
	movq	%rax, %rbx
	movq	EFI_ST_CON_OUT(%r13), %rcx
	leaq	efi_no_room_msg(%rip), %rdx
	call	*EFI_TEXT_OUTPUT_STRING(%rcx)
	movq	%rbx, %rax
.Lefi_out:
	addq	$48, %rsp
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rdi
	popq	%rsi
	popq	%rbx
	popq	%rbp
	ret

	/*
	 * Now at the link address, System V convention from efi_pe_entry:
	 * RDI = image handle, RSI = system table. Clear BSS, let the stub
	 * (x86_efi_main(), still on the firmware's stack) take the memory
	 * map and exit boot services, then enter the kernel as above.
	 */
efi_linked_entry:
	pushq	%rbp
	movq	%rsp, %rbp
	pushq	%rdi
	pushq	%rsi
	movq	$__bss_start, %rdi
	movq	$__bss_end, %rcx
	subq	%rdi, %rcx
	xorl	%eax, %eax
	rep stosb
	popq	%rsi
	popq	%rdi
	call	x86_efi_main
	testq	%rax, %rax
	jnz	1f
	cli
	xorl	%ebx, %ebx
	movl	$X86_BOOT_EFI, %ebp
	jmp	boot64
1:	popq	%rbp
	ret

	.section .rodata
	.balign 8
boot_gdt:
	.quad	0			/* null */
	/*
	 * Accessed bits preset: the CPU would otherwise write them on a
	 * segment load, and the GDT is read-only in the kernel map.
	 */
	.quad	0x00af9b000000ffff	/* KERNEL_CS: 64-bit code */
	.quad	0x00cf93000000ffff	/* KERNEL_DS: flat data */
boot_gdt_end:
	.balign 8
boot_gdt_ptr:
	.word	boot_gdt_end - boot_gdt - 1
	.quad	boot_gdt
null_idt_ptr:
	.word	0
	.quad	0

	/* UTF-16 for the firmware console: EFI_SIMPLE_TEXT_OUTPUT. */
	.balign 2
efi_no_room_msg:
	/* "Cairn: 2 MiB is in use by the firmware: cannot boot\r\n" */
	.short	0x43, 0x61, 0x69, 0x72, 0x6e, 0x3a, 0x20, 0x32, 0x20, 0x4d
	.short	0x69, 0x42, 0x20, 0x69, 0x73, 0x20, 0x69, 0x6e, 0x20, 0x75
	.short	0x73, 0x65, 0x20, 0x62, 0x79, 0x20, 0x74, 0x68, 0x65, 0x20
	.short	0x66, 0x69, 0x72, 0x6d, 0x77, 0x61, 0x72, 0x65, 0x3a, 0x20
	.short	0x63, 0x61, 0x6e, 0x6e, 0x6f, 0x74, 0x20, 0x62, 0x6f, 0x6f
	.short	0x74, 0xd, 0xa, 0

	/* Page tables: cleared with the rest of BSS before they are built. */
	.section .bss.pgtable, "aw", @nobits
	.balign 4096
boot_pml4:
	.skip	4096
boot_pdpt:
	.skip	4096
boot_pd:
	.skip	4 * 4096
