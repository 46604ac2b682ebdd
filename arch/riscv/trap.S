/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Supervisor trap entry: save every register in a struct trap_frame on the
 * current stack (or the fault stack, below), call riscv_trap(), restore and
 * sret (riscv_trap() may have
 * moved sepc to a fixup). Also the semihosting exit, whose magic sequence
 * QEMU recognises only as three uncompressed instructions [riscv semihosting
 * spec v0.2 §2.1].
 */
#include "asm.h"

/*
 * A trap taken with sp on the boot stack's guard page (an overflow) or in
 * its last TRAP_STACK_MARGIN bytes could not push its frame, or the report
 * would overflow: it runs on the fault stack instead. sscratch holds t0
 * while the entry decides.
 */
#define TRAP_STACK_MARGIN	2048
#define FAULT_STACK_SIZE	8192

	.text
	.balign 4
	.globl riscv_trap_entry
riscv_trap_entry:
	csrw	sscratch, t0
	lla	t0, __stack_bottom - 4096
	bltu	sp, t0, 1f
	lla	t0, __stack_bottom + TRAP_STACK_MARGIN
	bgeu	sp, t0, 1f
	lla	t0, riscv_fault_stack_top
	j	2f
1:	mv	t0, sp
2:	addi	t0, t0, -FRAME_SIZE
	sd	sp, 8(t0)		/* x2 (sp) as it was before the frame */
	mv	sp, t0
	csrr	t0, sscratch
	sd	x1, 0(sp)
	.irp n, 3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	sd	x\n, ((\n - 1) * 8)(sp)
	.endr
	csrr	t0, sepc
	sd	t0, FRAME_SEPC(sp)
	csrr	t0, sstatus
	sd	t0, FRAME_SSTATUS(sp)
	csrr	t0, scause
	sd	t0, FRAME_SCAUSE(sp)
	csrr	t0, stval
	sd	t0, FRAME_STVAL(sp)

	mv	a0, sp
	call	riscv_trap

	ld	t0, FRAME_SEPC(sp)
	csrw	sepc, t0
	ld	t0, FRAME_SSTATUS(sp)
	csrw	sstatus, t0
	ld	x1, 0(sp)
	.irp n, 3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	ld	x\n, ((\n - 1) * 8)(sp)
	.endr
	ld	sp, 8(sp)
	sret

	/* Not cleared (<cairn/init.h> __noclear): a stack needs no zeroes. */
	.section .noclear.riscv_fault_stack, "aw", @nobits
	.balign 16
riscv_fault_stack:
	.space	FAULT_STACK_SIZE
riscv_fault_stack_top:

	.text
/* void riscv_semihosting_exit(int status) */
	.globl riscv_semihosting_exit
riscv_semihosting_exit:
	addi	sp, sp, -16
	li	t0, 0x20026		/* ADP_Stopped_ApplicationExit */
	sd	t0, 0(sp)
	sd	a0, 8(sp)		/* exit code */
	li	a0, 0x18		/* SYS_EXIT */
	mv	a1, sp
	.balign 16			/* the three must share a page */
	.option push
	.option norvc
1:	slli	x0, x0, 0x1f
2:	ebreak
	srai	x0, x0, 7
	.option pop
3:	addi	sp, sp, 16
	ret

	/* Without a semihosting host the ebreak traps: resume at 3. */
	.pushsection __ex_table, "a"
	.balign 4
	.word	2b - ., 3b - .		/* struct ex_entry: PC-relative */
	.popsection
