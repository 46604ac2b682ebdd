/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * riscv64 entry. The image starts with the RISC-V Image header [Linux
 * Documentation/riscv/boot-image-header.rst], so U-Boot's booti and QEMU's
 * -kernel load it; OpenSBI jumps here in S-mode with the MMU off, a0 = hart
 * id, a1 = DTB. The image is linked at 0 as a static PIE and relocates itself
 * to wherever it was loaded, then clears BSS and calls riscv_boot() in C.
 */
#include "asm.h"

	.section .text.head, "ax"
	.globl _start
_start:
	/* code0/code1: jump over the header (uncompressed, 4 bytes each). */
	.option push
	.option norvc
	j	entry
	nop
	.option pop
	.dword	0x200000		/* text_offset: 2 MiB from DRAM start */
	.dword	__image_end - _start	/* image_size, BSS included */
	.dword	0			/* flags: little-endian */
	.word	0x2			/* header version 0.2 */
	.word	0
	.dword	0
	.ascii	"RISCV\0\0\0"		/* magic (deprecated, still checked) */
	.ascii	"RSC\x05"		/* magic2 */
	.word	0			/* PE header offset: no EFI stub yet */

entry:
	csrw	sie, zero
	csrw	sip, zero
	mv	s0, a0			/* hart id */
	mv	s1, a1			/* DTB */
	lla	sp, __stack_top

	/*
	 * Self-relocate: linked at 0, so the load address is the delta to
	 * add to every R_RISCV_RELATIVE target and addend.
	 */
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

	lla	t0, __bss_start
	lla	t1, __bss_end
4:	bgeu	t0, t1, 5f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	4b
5:
	mv	a0, s0
	mv	a1, s1
	call	riscv_boot
6:	wfi
	j	6b
