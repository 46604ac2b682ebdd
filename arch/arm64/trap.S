/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * EL1 exception vectors: 16 entries of 0x80 bytes, the table 2 KiB aligned
 * [Arm ARM D1.10.2]. Every entry saves a struct trap_frame on the current
 * stack (SP_EL1: an exception taken to EL1 always selects it; the fault
 * stack below when that one overflowed), calls
 * arm64_trap() with the entry's index and returns with eret, through
 * whatever ELR_EL1 arm64_trap() left (a fixup moves it). Also the
 * semihosting exit, whose trap is guarded by an exception-table entry.
 */
#include "asm.h"

/*
 * A trap taken with SP on the boot stack's guard page (an overflow) or in
 * its last TRAP_STACK_MARGIN bytes could not push its frame, or the report
 * would overflow: it runs on the fault stack instead. TPIDR_EL1 and
 * TPIDRRO_EL0 (Cairn has no EL0 and no per-CPU data) hold x0 and x1 while
 * the entry decides.
 */
#define TRAP_STACK_MARGIN	2048
#define FAULT_STACK_SIZE	8192

	.macro	vector_entry idx
	.balign	0x80
	msr	tpidr_el1, x0
	msr	tpidrro_el0, x1
	mov	x1, #\idx
	b	arm64_trap_common
	.endm

	.section .text.vectors, "ax"
	.balign	2048
	.globl	arm64_vectors
arm64_vectors:
	/* Current EL with SP_EL0, current EL with SP_ELx, lower EL A64, A32. */
	.irp	idx, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	vector_entry \idx
	.endr

arm64_trap_common:
	adrp	x0, __stack_bottom - 4096
	add	x0, x0, :lo12:__stack_bottom - 4096
	cmp	sp, x0
	b.lo	1f
	adrp	x0, __stack_bottom + TRAP_STACK_MARGIN
	add	x0, x0, :lo12:__stack_bottom + TRAP_STACK_MARGIN
	cmp	sp, x0
	b.hs	1f
	adrp	x0, arm64_fault_stack_top
	add	x0, x0, :lo12:arm64_fault_stack_top
	b	2f
1:	mov	x0, sp
2:	sub	x0, x0, #FRAME_SIZE
	str	x1, [x0, #FRAME_VECTOR]
	mov	x1, sp
	str	x1, [x0, #FRAME_SP]	/* SP before the frame */
	mov	sp, x0
	mrs	x0, tpidr_el1
	mrs	x1, tpidrro_el0
	stp	x0, x1, [sp, #FRAME_X(0)]
	stp	x2, x3, [sp, #FRAME_X(2)]
	stp	x4, x5, [sp, #FRAME_X(4)]
	stp	x6, x7, [sp, #FRAME_X(6)]
	stp	x8, x9, [sp, #FRAME_X(8)]
	stp	x10, x11, [sp, #FRAME_X(10)]
	stp	x12, x13, [sp, #FRAME_X(12)]
	stp	x14, x15, [sp, #FRAME_X(14)]
	stp	x16, x17, [sp, #FRAME_X(16)]
	stp	x18, x19, [sp, #FRAME_X(18)]
	stp	x20, x21, [sp, #FRAME_X(20)]
	stp	x22, x23, [sp, #FRAME_X(22)]
	stp	x24, x25, [sp, #FRAME_X(24)]
	stp	x26, x27, [sp, #FRAME_X(26)]
	stp	x28, x29, [sp, #FRAME_X(28)]
	str	x30, [sp, #FRAME_X(30)]
	mrs	x1, elr_el1
	mrs	x2, spsr_el1
	stp	x1, x2, [sp, #FRAME_ELR]
	mrs	x1, esr_el1
	mrs	x2, far_el1
	stp	x1, x2, [sp, #FRAME_ESR]

	mov	x0, sp
	bl	arm64_trap

	ldp	x1, x2, [sp, #FRAME_ELR]
	msr	elr_el1, x1
	msr	spsr_el1, x2
	ldp	x2, x3, [sp, #FRAME_X(2)]
	ldp	x4, x5, [sp, #FRAME_X(4)]
	ldp	x6, x7, [sp, #FRAME_X(6)]
	ldp	x8, x9, [sp, #FRAME_X(8)]
	ldp	x10, x11, [sp, #FRAME_X(10)]
	ldp	x12, x13, [sp, #FRAME_X(12)]
	ldp	x14, x15, [sp, #FRAME_X(14)]
	ldp	x16, x17, [sp, #FRAME_X(16)]
	ldp	x18, x19, [sp, #FRAME_X(18)]
	ldp	x20, x21, [sp, #FRAME_X(20)]
	ldp	x22, x23, [sp, #FRAME_X(22)]
	ldp	x24, x25, [sp, #FRAME_X(24)]
	ldp	x26, x27, [sp, #FRAME_X(26)]
	ldp	x28, x29, [sp, #FRAME_X(28)]
	ldr	x30, [sp, #FRAME_X(30)]
	/*
	 * Back to the saved SP, which may be another stack: x0 and x1 go
	 * through the 16 bytes below it (no red zone on AArch64; on the
	 * boot stack they are the frame's own last two words).
	 */
	ldr	x1, [sp, #FRAME_SP]
	ldr	x0, [sp, #FRAME_X(0)]
	str	x0, [x1, #-16]
	ldr	x0, [sp, #FRAME_X(1)]
	str	x0, [x1, #-8]
	mov	sp, x1
	ldp	x0, x1, [sp, #-16]
	eret

	/* Not cleared (<cairn/init.h> __noclear): a stack needs no zeroes. */
	.section .noclear.arm64_fault_stack, "aw", %nobits
	.balign	16
arm64_fault_stack:
	.space	FAULT_STACK_SIZE
arm64_fault_stack_top:

/*
 * void arm64_semihosting_exit(int status)
 *
 * SYS_EXIT with a parameter block {reason, subcode} of 64-bit fields: on
 * A64 this is what SYS_EXIT_EXTENDED is on A32, so one call carries the
 * status [Arm semihosting v2.0 §6.4, §6.5]. QEMU with -semihosting exits
 * with the subcode. Without a semihosting host HLT is UNDEFINED: the trap
 * finds the exception-table entry below and resumes after it, so this
 * returns.
 */
	.text
	.balign	4
	.globl	arm64_semihosting_exit
arm64_semihosting_exit:
	sub	sp, sp, #16
	mov	x1, #(ADP_STOPPED_APPLICATION_EXIT & 0xffff)
	movk	x1, #(ADP_STOPPED_APPLICATION_EXIT >> 16), lsl #16
	sxtw	x2, w0
	stp	x1, x2, [sp]
	mov	x1, sp
	mov	w0, #SEMIHOSTING_SYS_EXIT
1:	hlt	#0xf000
2:	add	sp, sp, #16
	ret

	.pushsection __ex_table, "a"
	.balign	4
	.long	1b - .			/* struct ex_entry */
	.long	2b - .
	.popsection
