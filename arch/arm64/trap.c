// SPDX-License-Identifier: BSD-2-Clause
/*
 * Exception handling. Cairn runs with DAIF masked, so every exception is
 * either an expected one with an exception-table fixup (the semihosting
 * probe) or a bug: that one is reported by name with ESR_EL1, ELR_EL1,
 * FAR_EL1, SPSR_EL1 and every register, and the machine powers off with a
 * failure status.
 */
#include <cairn/arch.h>
#include <cairn/log.h>

#include "arm64.h"

extern const struct ex_entry __ex_table_start[], __ex_table_end[];

/* ESR_ELx.EC [Arm ARM D17.2.37], the classes an EL1 kernel can take. */
static const char *const ec_names[64] = {
	[0x00] = "undefined instruction or unknown reason",
	[0x01] = "trapped WFI/WFE",
	[0x03] = "trapped AArch32 MCR/MRC (coproc 15)",
	[0x04] = "trapped AArch32 MCRR/MRRC (coproc 15)",
	[0x05] = "trapped AArch32 MCR/MRC (coproc 14)",
	[0x06] = "trapped AArch32 LDC/STC",
	[0x07] = "trapped SVE/SIMD/FP access",
	[0x0a] = "trapped LD64B/ST64B",
	[0x0c] = "trapped AArch32 MRRC (coproc 14)",
	[0x0d] = "branch target exception",
	[0x0e] = "illegal execution state",
	[0x11] = "SVC in AArch32",
	[0x15] = "SVC in AArch64",
	[0x16] = "HVC in AArch64",
	[0x17] = "SMC in AArch64",
	[0x18] = "trapped MSR/MRS/system instruction",
	[0x19] = "trapped SVE access",
	[0x1c] = "pointer authentication failure",
	[0x20] = "instruction abort from a lower EL",
	[0x21] = "instruction abort",
	[0x22] = "PC alignment fault",
	[0x24] = "data abort from a lower EL",
	[0x25] = "data abort",
	[0x26] = "SP alignment fault",
	[0x28] = "AArch32 floating-point exception",
	[0x2c] = "AArch64 floating-point exception",
	[0x2f] = "SError interrupt",
	[0x30] = "breakpoint from a lower EL",
	[0x31] = "breakpoint",
	[0x32] = "software step from a lower EL",
	[0x33] = "software step",
	[0x34] = "watchpoint from a lower EL",
	[0x35] = "watchpoint",
	[0x38] = "AArch32 BKPT",
	[0x3c] = "BRK instruction",
};

/* The four kinds of vector entry, in table order [Arm ARM D1.10.2]. */
static const char *const kind_names[4] = {
	"synchronous exception", "IRQ", "FIQ", "SError",
};
static const char *const origin_names[4] = {
	"current EL, SP_EL0", "current EL, SP_ELx", "lower EL, AArch64",
	"lower EL, AArch32",
};

/* Instruction and data abort fault status codes (ISS bits 5:0). */
static const char *fsc_name(uint32_t fsc)
{
	switch (fsc & 0x3c) {
	case 0x00:
		return "address size fault";
	case 0x04:
		return "translation fault";
	case 0x08:
		return "access flag fault";
	case 0x0c:
		return "permission fault";
	default:
		break;
	}
	switch (fsc) {
	case 0x10:
		return "synchronous external abort";
	case 0x11:
		return "synchronous tag check fault";
	case 0x21:
		return "alignment fault";
	case 0x30:
		return "TLB conflict abort";
	default:
		return "other fault";
	}
}

static bool fixup(struct trap_frame *tf)
{
	const struct ex_entry *e;

	for (e = __ex_table_start; e < __ex_table_end; e++) {
		uintptr_t insn = (uintptr_t)&e->insn + (intptr_t)e->insn;

		if (insn == tf->elr) {
			tf->elr = (uintptr_t)&e->fixup + (intptr_t)e->fixup;
			return true;
		}
	}
	return false;
}

static void dump_abort(uint64_t esr)
{
	uint32_t ec = ESR_EC(esr);
	uint32_t fsc = ESR_ISS_FSC(esr);

	if (ec == EC_DABT_CUR || ec == EC_DABT_LOW) {
		pr_err("  %s (FSC 0x%02x) on a %s\n", fsc_name(fsc), fsc,
		       (esr & ESR_ISS_WNR) ? "write" : "read");
	} else if (ec == EC_IABT_CUR || ec == EC_IABT_LOW) {
		pr_err("  %s (FSC 0x%02x) on an instruction fetch\n",
		       fsc_name(fsc), fsc);
	}
}

void arm64_trap(struct trap_frame *tf)
{
	static bool in_trap;
	uint32_t kind = tf->vector & 3, ec = ESR_EC(tf->esr);
	const char *name = kind_names[kind];

	if (kind == 0 && fixup(tf)) {
		return;
	}
	if (in_trap) {
		/* Faulted while reporting a fault: print nothing more. */
		arch_poweroff(255);
	}
	in_trap = true;
	if (kind == 0) {
		name = ec_names[ec] ? ec_names[ec] : "unknown exception class";
	}
	pr_err("trap: %s (EC 0x%02x) taken from %s\n", name, ec,
	       origin_names[(tf->vector >> 2) & 3]);
	pr_err("  ESR_EL1 0x%016llx  ELR_EL1  0x%016llx\n",
	       (unsigned long long)tf->esr, (unsigned long long)tf->elr);
	pr_err("  FAR_EL1 0x%016llx  SPSR_EL1 0x%016llx\n",
	       (unsigned long long)tf->far, (unsigned long long)tf->spsr);
	dump_abort(tf->esr);
	for (int i = 0; i < 30; i += 2) {
		pr_err("  x%-2d 0x%016llx  x%-2d 0x%016llx\n", i,
		       (unsigned long long)tf->x[i], i + 1,
		       (unsigned long long)tf->x[i + 1]);
	}
	pr_err("  x30 0x%016llx  sp  0x%016llx\n",
	       (unsigned long long)tf->x[30], (unsigned long long)tf->sp);
	panic("trap: unexpected %s", name);
}
