/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Exception entry for vectors 0-31. Each stub makes the stack look the same
 * (a 0 in place of the error code for vectors where the CPU pushes none
 * [intel/vol3 §6.13]), pushes its vector and joins the common path, which
 * saves the general registers as a struct trap_frame (x86.h) and calls
 * x86_trap(). Every exception is fatal for now, so x86_trap() never
 * returns; the restore path is there for when fixups arrive.
 */
#include "asm.h"

/* Vectors for which the CPU pushes an error code. */
#define HAS_ERROR(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || \
		      (v) == 21 || (v) == 29 || (v) == 30)

	.text
	.balign 16
trap_common:
	pushq	%rax
	pushq	%rbx
	pushq	%rcx
	pushq	%rdx
	pushq	%rsi
	pushq	%rdi
	pushq	%rbp
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	cld
	/* RSP is 16-byte aligned at the call [SysV psABI §3.2.2]. */
	movq	%rsp, %rdi
	call	x86_trap
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rbp
	popq	%rdi
	popq	%rsi
	popq	%rdx
	popq	%rcx
	popq	%rbx
	popq	%rax
	addq	$16, %rsp		/* vector and error code */
	iretq

	.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	.balign 16
trap_stub_\v:
	.if !HAS_ERROR(\v)
	pushq	$0
	.endif
	pushq	$\v
	jmp	trap_common
	.endr

	.section .rodata
	.balign 8
	.globl x86_trap_stubs
x86_trap_stubs:
	.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	.quad	trap_stub_\v
	.endr
