/* SPDX-License-Identifier: BSD-2-Clause */
/* Constants shared by the riscv assembly files. */
#pragma once

#include <cairn/pe.h>

#define R_RISCV_RELATIVE	3

/* Trap frame layout (trap.S <-> struct trap_frame in riscv.h): x1..x31, sepc, sstatus, scause, stval. */
#define FRAME_REGS	31
#define FRAME_SEPC	(31 * 8)
#define FRAME_SSTATUS	(32 * 8)
#define FRAME_SCAUSE	(33 * 8)
#define FRAME_STVAL	(34 * 8)
#define FRAME_SIZE	(36 * 8)	/* 16-byte aligned */

/* The EFI stub's PE file alignment (<cairn/pe.h> has the rest). */
#define PE_FILE_ALIGN		4096

/* sstatus.SIE: supervisor interrupts enabled. */
#define SR_SIE			0x2
