// SPDX-License-Identifier: BSD-2-Clause
/*
 * Trap handling. Cairn runs with interrupts off, so every trap is either an
 * expected fault with an exception-table fixup (the semihosting probe) or
 * a bug: that one goes to the generic fault report (<cairn/fault.h>), which
 * names it, prints the registers through arch_fault_dump_regs() and a
 * backtrace, and powers off with a failure status.
 */
#include <cairn/arch.h>
#include <cairn/fault.h>
#include <cairn/log.h>

#include "riscv.h"

extern const struct ex_entry __ex_table_start[], __ex_table_end[];

static const char *const cause_names[] = {
	[0] = "instruction address misaligned",
	[1] = "instruction access fault",
	[2] = "illegal instruction",
	[3] = "breakpoint",
	[4] = "load address misaligned",
	[5] = "load access fault",
	[6] = "store address misaligned",
	[7] = "store access fault",
	[8] = "environment call from U-mode",
	[9] = "environment call from S-mode",
	[12] = "instruction page fault",
	[13] = "load page fault",
	[15] = "store page fault",
};

static bool fixup(struct trap_frame *tf)
{
	for (const struct ex_entry *e = __ex_table_start; e < __ex_table_end; e++) {
		uintptr_t insn = (uintptr_t)&e->insn + (intptr_t)e->insn;

		if (insn == tf->sepc) {
			tf->sepc = (uintptr_t)&e->fixup + (intptr_t)e->fixup;
			return true;
		}
	}
	return false;
}

/* The generic fault report's view of scause [riscv priv spec §4.1.9]. */
static void classify(uint64_t cause, struct fault *f)
{
	f->class = FAULT_CLASS_MEMORY;
	f->addr_valid = true;
	switch (cause) {
	case 1:
	case 12:
		f->access = FAULT_ACCESS_EXEC;
		break;
	case 5:
	case 13:
		f->access = FAULT_ACCESS_READ;
		break;
	case 7:
	case 15:
		f->access = FAULT_ACCESS_WRITE;
		break;
	case 0:
	case 4:
	case 6:
		f->class = FAULT_CLASS_MISALIGNED;
		break;
	case 2:
		f->class = FAULT_CLASS_ILLEGAL;
		f->addr_valid = false;
		break;
	case 3:
		f->class = FAULT_CLASS_BREAKPOINT;
		f->addr_valid = false;
		break;
	default:
		f->class = FAULT_CLASS_OTHER;
		f->addr_valid = false;
		break;
	}
}

void riscv_trap(struct trap_frame *tf)
{
	uint64_t cause = tf->scause & ~SCAUSE_INTERRUPT;
	struct fault f = {
		.cause = "unknown",
		.pc = tf->sepc,
		.sp = tf->x[1],
		.fp = tf->x[7],
		.ra = tf->x[0],
		.addr = tf->stval,
		.regs = tf,
	};

	if (!(tf->scause & SCAUSE_INTERRUPT) && fixup(tf)) {
		return;
	}
	if (tf->scause & SCAUSE_INTERRUPT) {
		f.cause = "unexpected interrupt";
		f.class = FAULT_CLASS_OTHER;
	} else {
		if (cause < ARRAY_SIZE(cause_names) && cause_names[cause]) {
			f.cause = cause_names[cause];
		}
		classify(cause, &f);
	}
	fault_report(&f);
}

/* s0 points above the record: ra at -8, the caller's s0 at -16. */
uintptr_t arch_frame_record(uintptr_t fp)
{
	return fp - 16;
}

void arch_fault_dump_regs(const struct fault *f)
{
	const struct trap_frame *tf = f->regs;

	pr_err("  scause %#llx  sepc %#llx  stval %#llx  sstatus %#llx\n",
	       (unsigned long long)tf->scause, (unsigned long long)tf->sepc,
	       (unsigned long long)tf->stval, (unsigned long long)tf->sstatus);
	for (int i = 0; i < 30; i += 2) {
		pr_err("  x%-2d 0x%016llx  x%-2d 0x%016llx\n", i + 1,
		       (unsigned long long)tf->x[i], i + 2,
		       (unsigned long long)tf->x[i + 1]);
	}
	pr_err("  x31 0x%016llx\n", (unsigned long long)tf->x[30]);
}
