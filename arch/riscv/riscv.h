// SPDX-License-Identifier: BSD-2-Clause
/* riscv64 internals shared by the files of arch/riscv/: CSRs, SBI calls, traps. */
#pragma once

#include <cairn/types.h>

struct boot_handoff;

/* The hand-off record both entries (boot.c, efi.c) fill in. */
extern struct boot_handoff riscv_handoff;

#define csr_read(csr) ({						\
	uint64_t v_;							\
	__asm__ volatile("csrr %0, " #csr : "=r"(v_));			\
	v_;								\
})
#define csr_write(csr, v) __asm__ volatile("csrw " #csr ", %0" :: "rK"(v))

#define SCAUSE_INTERRUPT	(UINT64_C(1) << 63)
#define CAUSE_BREAKPOINT	3

/* SBI [riscv-sbi-doc v1.0]: extension and function ids we use. */
#define SBI_EXT_BASE		0x10
#define SBI_EXT_SRST		0x53525354
#define SBI_EXT_LEGACY_PUTCHAR	0x01
#define SBI_EXT_LEGACY_SHUTDOWN	0x08
#define SBI_BASE_PROBE_EXT	3
#define SBI_SRST_SHUTDOWN	0
#define SBI_SRST_REASON_NONE	0
#define SBI_SRST_REASON_SYSFAIL	1

struct sbiret {
	int64_t error;
	int64_t value;
};

struct sbiret sbi_call(uint64_t ext, uint64_t fid, uint64_t a0, uint64_t a1,
		       uint64_t a2);
bool sbi_probe(uint64_t ext);

/* Saved by trap.S: x1..x31 then the trap CSRs (asm.h has the offsets). */
struct trap_frame {
	uint64_t x[31];		/* x[0] is ra (x1) ... x[30] is t6 (x31) */
	uint64_t sepc;
	uint64_t sstatus;
	uint64_t scause;
	uint64_t stval;
	uint64_t pad;
};

/*
 * An instruction that may trap, and where to resume if it does; each field
 * is an offset from itself, so the table needs no relocation.
 */
struct ex_entry {
	int32_t insn;
	int32_t fixup;
};

void riscv_trap(struct trap_frame *tf);
extern char riscv_trap_entry[];

/* Semihosting SYS_EXIT: returns only if the debugger is not there. */
void riscv_semihosting_exit(int status);
