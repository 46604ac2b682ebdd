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
