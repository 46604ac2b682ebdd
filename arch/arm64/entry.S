/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * arm64 entry. The image starts with the arm64 Image header [Linux
 * Documentation/arm64/booting.rst], so QEMU's -kernel, U-Boot's booti and
 * the Raspberry Pi firmware load it. The loader enters at offset 0 with the
 * MMU and D-cache off, x0 = DTB physical address, x1..x3 = 0, at EL2 or
 * EL1. Entered at EL2 we configure EL2 to stay out of the way and drop to
 * EL1, where Cairn runs. The image is linked at 0 as a static PIE and
 * relocates itself to wherever it was loaded, then clears BSS, installs the
 * exception vectors and calls arm64_boot() in C.
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
	 * 2 KiB-aligned vectors), so the Pi firmware's fixed 0x80000 works
	 * too. Linux has used text_offset 0 since v5.8.
	 */
	b	primary_entry		/* code0 */
	.long	0			/* code1 */
	.quad	0			/* text_offset */
	.quad	__image_end - _start	/* image_size, BSS included */
	.quad	IMAGE_FLAG_LE | IMAGE_FLAG_PAGE_4K | IMAGE_FLAG_ANYWHERE
	.quad	0			/* res2 */
	.quad	0			/* res3 */
	.quad	0			/* res4 */
	.ascii	"ARM\x64"		/* magic */
	.long	0			/* res5: PE header offset */

primary_entry:
	mov	x19, x0			/* DTB */
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

	/*
	 * Linked at 0, so the load address is the delta to add to every
	 * R_AARCH64_RELATIVE target and addend. adrp needs a 4 KiB-aligned
	 * load address: anything else is a loader bug we cannot report yet.
	 */
	adr	x21, _start
	tst	x21, #0xfff
	b.ne	halt
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
4:
	/* BSS is 16-byte aligned at both ends (kernel.ld). */
	adrp	x9, __bss_start
	add	x9, x9, :lo12:__bss_start
	adrp	x10, __bss_end
	add	x10, x10, :lo12:__bss_end
5:	cmp	x9, x10
	b.hs	6f
	stp	xzr, xzr, [x9], #16
	b	5b
6:
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
	bl	arm64_boot
halt:
	msr	daifset, #0xf
7:	wfi
	b	7b
