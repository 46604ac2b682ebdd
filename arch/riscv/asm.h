/* SPDX-License-Identifier: BSD-2-Clause */
/* Constants shared by the riscv assembly files. */
#pragma once

#define R_RISCV_RELATIVE	3

/* Trap frame layout (trap.S <-> struct trap_frame in riscv.h): x1..x31, sepc, sstatus, scause, stval. */
#define FRAME_REGS	31
#define FRAME_SEPC	(31 * 8)
#define FRAME_SSTATUS	(32 * 8)
#define FRAME_SCAUSE	(33 * 8)
#define FRAME_STVAL	(34 * 8)
#define FRAME_SIZE	(36 * 8)	/* 16-byte aligned */

/*
 * PE/COFF [Microsoft PE format, "PE Format" in the Windows docs]: what
 * entry.S writes to make the Image a UEFI application.
 */
#define PE_MACHINE_RISCV64	0x5064
#define PE_OPT_MAGIC_PE32PLUS	0x20b
#define PE_SUBSYSTEM_EFI_APP	10
#define PE_NR_DATA_DIRS		16
/* EXECUTABLE_IMAGE | LINE_NUMS_STRIPPED | DEBUG_STRIPPED; no RELOCS_STRIPPED. */
#define PE_FILE_CHARS		0x0206
/* The loader may keep data non-executable and code read-only: see README. */
#define PE_DLL_NX_COMPAT	0x0100
/* CNT_CODE | MEM_EXECUTE | MEM_READ */
#define PE_SCN_TEXT		0x60000020
/* CNT_INITIALIZED_DATA | MEM_READ | MEM_WRITE */
#define PE_SCN_DATA		0xc0000040
#define PE_SECTION_ALIGN	4096
#define PE_FILE_ALIGN		4096

/* sstatus.SIE: supervisor interrupts enabled. */
#define SR_SIE			0x2
