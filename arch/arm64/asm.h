/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Constants shared by the arm64 assembly files and, where marked, by C
 * (arm64.h checks the trap frame against struct trap_frame). Register bit
 * names and positions follow the Arm ARM (DDI 0487); only what Cairn writes.
 */
#pragma once

#include <cairn/pe.h>

#define R_AARCH64_RELATIVE	1027

/* Image header flags [Linux Documentation/arm64/booting.rst]. */
#define IMAGE_FLAG_LE		(0 << 0)	/* bit 0: endianness */
#define IMAGE_FLAG_PAGE_4K	(1 << 1)	/* bits 1-2: page size */
#define IMAGE_FLAG_ANYWHERE	(1 << 3)	/* bit 3: placed anywhere */

/*
 * The EFI stub's PE/COFF header (<cairn/pe.h> has the common values).
 * The Image header's code0 doubles as the
 * DOS "MZ" magic: 0x91005a4d is "add x13, x18, #0x16", which harms nothing
 * when a booting.rst loader executes it.
 */
#define PE_CODE0_MZ		0x91005a4d
#define PE_FILE_ALIGN		512

/* SCTLR_ELx bits the stub clears to leave the firmware's MMU and caches. */
#define SCTLR_ELX_M		(1 << 0)
#define SCTLR_ELX_C		(1 << 2)

/* CurrentEL.EL is bits [3:2]. */
#define CURRENTEL_EL1		(1 << 2)
#define CURRENTEL_EL2		(2 << 2)

/* HCR_EL2: only RW, so EL1 is AArch64; no traps, no stage 2, E2H = 0. */
#define HCR_EL2_RW		(1 << 31)

/* CNTHCTL_EL2 (E2H = 0): EL1/EL0 may read the physical counter and timer. */
#define CNTHCTL_EL2_EL1PCTEN	(1 << 0)
#define CNTHCTL_EL2_EL1PCEN	(1 << 1)

/*
 * CPTR_EL2 (E2H = 0): the RES1 bits 13:12 and 9:0 with TFP (bit 10) clear,
 * so FP/SIMD is not trapped to EL2 once an application enables it at EL1.
 * TZ (bit 8) stays set: SVE traps, as nothing here saves SVE state.
 */
#define CPTR_EL2_DEFAULT	0x33ff

/*
 * SCTLR_EL1 with the MMU and both caches off, little-endian: the RES1 bits
 * of ARMv8.0 (29, 28, 23, 22, 20, 11), as Linux's INIT_SCTLR_EL1_MMU_OFF
 * has them, plus SA (bit 3: SP must be 16-byte aligned when used as a base)
 * and A (bit 1: every data access must be aligned to its size). With the
 * MMU off all data accesses are Device-nGnRnE, where hardware faults on
 * unaligned ones anyway; A makes QEMU, which does not model that (7.2),
 * fault the same way, so the boot tests catch what a board would. mm.c
 * clears A when it turns the MMU on and RAM becomes Normal memory.
 */
#define SCTLR_EL1_A		(1 << 1)
#define SCTLR_EL1_SA		(1 << 3)
#define SCTLR_EL1_RES1		0x30d00800
#define SCTLR_EL1_MMU_OFF	(SCTLR_EL1_RES1 | SCTLR_EL1_SA | SCTLR_EL1_A)

/* What mm.c sets to turn the MMU on: M, C, I and WXN. */
#define SCTLR_EL1_M		(1 << 0)
#define SCTLR_EL1_C		(1 << 2)
#define SCTLR_EL1_I		(1 << 12)
#define SCTLR_EL1_WXN		(1 << 19)

/* SPSR_ELx: AArch64 EL1 using SP_EL1 (EL1h), D, A, I and F masked. */
#define SPSR_EL1H_DAIF		0x3c5

/* Semihosting [Arm semihosting v2.0 §5.6.1]: a HLT #0xF000 trap on A64. */
#define SEMIHOSTING_SYS_EXIT		0x18
#define ADP_STOPPED_APPLICATION_EXIT	0x20026

/*
 * Trap frame (trap.S <-> struct trap_frame in arm64.h): x0..x30, the
 * interrupted SP, then ELR, SPSR, ESR and FAR of EL1, and which of the 16
 * vector entries was taken. 16-byte aligned, as SP must stay.
 */
#define FRAME_X(n)	((n) * 8)
#define FRAME_SP	(31 * 8)
#define FRAME_ELR	(32 * 8)
#define FRAME_SPSR	(33 * 8)
#define FRAME_ESR	(34 * 8)
#define FRAME_FAR	(35 * 8)
#define FRAME_VECTOR	(36 * 8)
#define FRAME_SIZE	(38 * 8)
