// SPDX-License-Identifier: BSD-2-Clause
/*
 * Trap handling. Cairn runs with interrupts off, so every trap is either an
 * expected fault with an exception-table fixup (the semihosting probe) or
 * a bug: that one is reported by name with the registers, and the machine
 * powers off with a failure status.
 */
#include <cairn/arch.h>
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

void riscv_trap(struct trap_frame *tf)
{
	uint64_t cause = tf->scause & ~SCAUSE_INTERRUPT;
	const char *name = "unknown";

	if (!(tf->scause & SCAUSE_INTERRUPT) && fixup(tf)) {
		return;
	}
	if (tf->scause & SCAUSE_INTERRUPT) {
		name = "unexpected interrupt";
	} else if (cause < ARRAY_SIZE(cause_names) && cause_names[cause]) {
		name = cause_names[cause];
	}
	pr_err("trap: %s (scause %#llx) at sepc %#llx, stval %#llx\n", name,
	       (unsigned long long)tf->scause, (unsigned long long)tf->sepc,
	       (unsigned long long)tf->stval);
	for (int i = 0; i < 31; i += 2) {
		pr_err("  x%-2d %#018llx  x%-2d %#018llx\n", i + 1,
		       (unsigned long long)tf->x[i], i + 2,
		       (unsigned long long)(i + 1 < 31 ? tf->x[i + 1] : 0));
	}
	panic("trap: unexpected %s", name);
}
