// SPDX-License-Identifier: BSD-2-Clause
/*
 * arm64 internals shared by the files of arch/arm64/: system registers, the
 * trap frame, the exception table and the PSCI conduit.
 */
#pragma once

#include <stddef.h>

#include <cairn/types.h>

#include "asm.h"

#define read_sysreg(reg) ({						\
	uint64_t v_;							\
	__asm__ volatile("mrs %0, " #reg : "=r"(v_));			\
	v_;								\
})
#define write_sysreg(reg, v)						\
	__asm__ volatile("msr " #reg ", %0" :: "rZ"((uint64_t)(v)))

static inline void isb(void)
{
	__asm__ volatile("isb" ::: "memory");
}

/* MPIDR_EL1 affinity fields: Aff3 in bits 39:32, Aff2..Aff0 in bits 23:0. */
#define MPIDR_AFFINITY_MASK	UINT64_C(0xff00ffffff)

/* ESR_ELx [Arm ARM D17.2.37]: exception class and the abort ISS fields. */
#define ESR_EC(esr)		(((esr) >> 26) & 0x3f)
#define ESR_IL			(UINT64_C(1) << 25)
#define ESR_ISS_WNR		(UINT64_C(1) << 6)
#define ESR_ISS_FNV		(UINT64_C(1) << 10)	/* FAR not valid */
#define ESR_ISS_FSC(esr)	((esr) & 0x3f)
#define EC_IABT_LOW		0x20
#define EC_IABT_CUR		0x21
#define EC_DABT_LOW		0x24
#define EC_DABT_CUR		0x25

/* Saved by trap.S; asm.h has the offsets, checked below. */
struct trap_frame {
	uint64_t x[31];
	uint64_t sp;
	uint64_t elr;
	uint64_t spsr;
	uint64_t esr;
	uint64_t far;
	uint64_t vector;	/* 0..15: which entry of the table */
	uint64_t pad;
};

_Static_assert(offsetof(struct trap_frame, sp) == FRAME_SP, "frame");
_Static_assert(offsetof(struct trap_frame, elr) == FRAME_ELR, "frame");
_Static_assert(offsetof(struct trap_frame, spsr) == FRAME_SPSR, "frame");
_Static_assert(offsetof(struct trap_frame, esr) == FRAME_ESR, "frame");
_Static_assert(offsetof(struct trap_frame, far) == FRAME_FAR, "frame");
_Static_assert(offsetof(struct trap_frame, vector) == FRAME_VECTOR, "frame");
_Static_assert(sizeof(struct trap_frame) == FRAME_SIZE, "trap frame size");
_Static_assert(FRAME_SIZE % 16 == 0, "SP stays 16-byte aligned");

/*
 * An instruction that may trap, and where to resume if it does; each field
 * is an offset from itself, so the table needs no relocation.
 */
struct ex_entry {
	int32_t insn;
	int32_t fixup;
};

void arm64_trap(struct trap_frame *tf);
extern char arm64_vectors[];

/* Semihosting SYS_EXIT: returns only if no semihosting host is there. */
void arm64_semihosting_exit(int status);

struct boot_handoff;

/* The hand-off record (boot.c), filled by efi.c on a UEFI boot. */
extern struct boot_handoff arm64_handoff;

/*
 * The EFI stub's C side (efi.c), called by entry.S's efi_pe_entry: 0 once
 * boot services are gone, else the EFI status to return to the firmware.
 */
struct efi_system_table;
uint64_t arm64_efi_main(void *image, struct efi_system_table *st);

/* The exception level entry.S was entered at (1 or 2), for the log. */
uint32_t arm64_boot_el(void);

/*
 * PSCI [Arm DEN 0022]: how calls reach the firmware, from the DT's /psci
 * "method". Until psci_init() has looked, there is none, and PSCI is not
 * called at all (a stray HVC from EL1 after an EL2 entry would land in our
 * own, empty, EL2 vectors).
 */
enum psci_conduit {
	PSCI_CONDUIT_NONE,
	PSCI_CONDUIT_HVC,
	PSCI_CONDUIT_SMC,
};

#define PSCI_0_2_FN_SYSTEM_OFF	UINT64_C(0x84000008)

void psci_init(const void *fdt);
const char *psci_conduit_name(void);

/*
 * Read where ZONE_DMA ends from the DT's dma-ranges (setup.c), once, in
 * arch_early_init(), for arch_zone_limits() to use later.
 */
void arm64_zone_init(const void *fdt);
