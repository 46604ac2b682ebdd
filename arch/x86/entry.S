/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * x86_64 PVH entry. QEMU (-kernel with this ELF) or Xen finds pvh_start
 * through the XEN_ELFNOTE_PHYS32_ENTRY note and enters it in 32-bit
 * protected mode with paging off, flat CS/DS/ES/SS and EBX = physical
 * address of struct hvm_start_info [xen public/arch-x86/hvm/start_info.h].
 * The image is linked and loaded at 1 MiB; this code clears BSS, identity
 * maps the first 4 GiB with 2 MiB pages, enters long mode and calls
 * x86_boot(start_info) in C. No firmware data is read here.
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
	.globl pvh_start
pvh_start:
	cli
	cld
	/* EBX (start_info) is left alone by everything below. */

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

	/* 2048 PD entries of 2 MiB: identity 0..4 GiB (high halves stay 0). */
	movl	$(PTE_P | PTE_RW | PTE_PS), %eax
	xorl	%ecx, %ecx
2:	movl	%eax, boot_pd(, %ecx, 8)
	addl	$0x200000, %eax
	incl	%ecx
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
	movl	$KERNEL_DS, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	xorl	%eax, %eax
	movl	%eax, %fs
	movl	%eax, %gs

	/* The upper halves are undefined after the switch: reload. */
	movq	$__stack_top, %rsp
	xorl	%ebp, %ebp
	movl	%ebx, %edi		/* start_info, zero-extended */
	call	x86_boot
3:	cli
	hlt
	jmp	3b

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

	/* Page tables: cleared with the rest of BSS before they are built. */
	.section .bss.pgtable, "aw", @nobits
	.balign 4096
boot_pml4:
	.skip	4096
boot_pdpt:
	.skip	4096
boot_pd:
	.skip	4 * 4096
