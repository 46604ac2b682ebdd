/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * PE/COFF constants [Microsoft "PE Format"; uefi 2.10 §2.1.1] for the
 * headers each arch writes by hand in assembly to make its image a UEFI
 * application (lld links ELF only). Plain #defines: included from .S files.
 */
#pragma once

#define PE_MACHINE_X86_64	0x8664
#define PE_MACHINE_ARM64	0xaa64
#define PE_MACHINE_RISCV64	0x5064

#define PE_OPT_MAGIC_PE32PLUS	0x20b
#define PE_SUBSYSTEM_EFI_APP	10
#define PE_NR_DATA_DIRS		16

/* Characteristics: EXECUTABLE_IMAGE | LINE_NUMS_STRIPPED | DEBUG_STRIPPED;
 * not RELOCS_STRIPPED: the loader may place the image anywhere. */
#define PE_FILE_CHARS		0x0206
/* DllCharacteristics: NX_COMPAT (nothing runs from data sections). */
#define PE_DLL_NX_COMPAT	0x0100

/* Section characteristics. */
#define PE_SCN_TEXT		0x60000020	/* CNT_CODE | MEM_EXECUTE | MEM_READ */
#define PE_SCN_DATA		0xc0000040	/* CNT_INITIALIZED_DATA | MEM_READ | MEM_WRITE */

/* Sections start on pages (EDK2 needs at least 4 KiB). */
#define PE_SECTION_ALIGN	4096
