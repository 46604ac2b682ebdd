// SPDX-License-Identifier: BSD-2-Clause
/*
 * Exception handling. Cairn runs with DAIF masked, so every exception is
 * either an expected one with an exception-table fixup (the semihosting
 * probe) or a bug: that one goes to the generic fault report
 * (<cairn/fault.h>), which names it and prints a backtrace; the registers
 * come from arch_fault_dump_regs() here: ESR_EL1, ELR_EL1, FAR_EL1, SPSR_EL1
 * and every register (for an abort also the fault, its table level and
 * what the live tables map at FAR_EL1). Then the machine powers off with a
 * failure status.
 */
#include <cairn/arch.h>
#include <cairn/fault.h>
#include <cairn/log.h>
#include <cairn/pgtable.h>

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

/*
 * Instruction and data abort fault status codes (ISS bits 5:0) [Arm ARM
 * D17.2.37]. The MMU faults carry the level of the table walk in bits 1:0;
 * *level is that level, or -1 for the codes that have none.
 */
static const char *fsc_name(uint32_t fsc, int *level)
{
	*level = (int)(fsc & 3);
	switch (fsc & 0x3c) {
	case 0x00:
		return "address size fault";
	case 0x04:
		return "translation fault";
	case 0x08:
		return "access flag fault";
	case 0x0c:
		return "permission fault";
	case 0x14:
		return "synchronous external abort on a table walk";
	case 0x1c:
		return "parity or ECC error on a table walk";
	default:
		break;
	}
	*level = -1;
	switch (fsc) {
	case 0x10:
		return "synchronous external abort";
	case 0x11:
		return "synchronous tag check fault";
	case 0x18:
		return "parity or ECC error";
	case 0x21:
		return "alignment fault";
	case 0x30:
		return "TLB conflict abort";
	case 0x31:
		return "unsupported atomic hardware update fault";
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

/*
 * What the live tables say about @va, when the MMU is on: the generic
 * walker reads the table TTBR0_EL1 points at, as the hardware did.
 */
static void dump_mapping(uint64_t va)
{
	const struct pgtable pt = {
		.root = read_sysreg(ttbr0_el1) & PTE_ADDR_MASK,
	};
	unsigned int prot;
	phys_addr_t pa;
	int level;

	if (!(read_sysreg(sctlr_el1) & SCTLR_EL1_M) || pt.root == 0) {
		return;
	}
	if (!pt_lookup(&pt, va, &pa, &prot, &level)) {
		pr_err("  FAR_EL1 is not mapped\n");
		return;
	}
	/* SCTLR_EL1.WXN (mm.c): writable means not executable. */
	if (prot & PROT_WRITE) {
		prot &= ~PROT_EXEC;
	}
	pr_err("  FAR_EL1 is mapped %c%c%c%s at level %d, PA 0x%016llx\n",
	       (prot & PROT_READ) ? 'r' : '-', (prot & PROT_WRITE) ? 'w' : '-',
	       (prot & PROT_EXEC) ? 'x' : '-',
	       (prot & PROT_DEVICE) ? " device" : "", level,
	       (unsigned long long)pa);
}

static void dump_abort(uint64_t esr, uint64_t far)
{
	uint32_t ec = ESR_EC(esr);
	uint32_t fsc = ESR_ISS_FSC(esr);
	const char *access;
	const char *name;
	int level;

	if (ec == EC_DABT_CUR || ec == EC_DABT_LOW) {
		access = (esr & ESR_ISS_WNR) ? "a write" : "a read";
	} else if (ec == EC_IABT_CUR || ec == EC_IABT_LOW) {
		access = "an instruction fetch";
	} else {
		return;
	}
	name = fsc_name(fsc, &level);
	if (level >= 0) {
		pr_err("  %s, level %d (FSC 0x%02x) on %s\n", name, level, fsc,
		       access);
	} else {
		pr_err("  %s (FSC 0x%02x) on %s\n", name, fsc, access);
	}
	if (esr & ESR_ISS_FNV) {
		pr_err("  FAR_EL1 is not valid for this abort\n");
	} else {
		dump_mapping(far);
	}
}

/* The generic fault report's view of a synchronous exception. */
static void classify(const struct trap_frame *tf, struct fault *f)
{
	uint32_t ec = ESR_EC(tf->esr);

	f->class = FAULT_CLASS_OTHER;
	switch (ec) {
	case EC_IABT_CUR:
	case EC_IABT_LOW:
	case EC_DABT_CUR:
	case EC_DABT_LOW:
		f->class = FAULT_CLASS_MEMORY;
		f->addr_valid = !(tf->esr & ESR_ISS_FNV);
		if (ec == EC_IABT_CUR || ec == EC_IABT_LOW) {
			f->access = FAULT_ACCESS_EXEC;
		} else {
			f->access = (tf->esr & ESR_ISS_WNR) ? FAULT_ACCESS_WRITE
							     : FAULT_ACCESS_READ;
		}
		if (ESR_ISS_FSC(tf->esr) == 0x21) {
			f->class = FAULT_CLASS_MISALIGNED;
		}
		break;
	case 0x00:
	case 0x0e:
		f->class = FAULT_CLASS_ILLEGAL;
		break;
	case 0x22:
	case 0x26:
		f->class = FAULT_CLASS_MISALIGNED;
		break;
	case 0x31:
	case 0x3c:
		f->class = FAULT_CLASS_BREAKPOINT;
		break;
	default:
		break;
	}
}

void arm64_trap(struct trap_frame *tf)
{
	uint32_t kind = tf->vector & 3, ec = ESR_EC(tf->esr);
	struct fault f = {
		.cause = kind_names[kind],
		.class = FAULT_CLASS_OTHER,
		.addr = tf->far,
		.pc = tf->elr,
		.sp = tf->sp,
		.fp = tf->x[29],
		.ra = tf->x[30],
		.regs = tf,
	};

	if (kind == 0 && fixup(tf)) {
		return;
	}
	if (kind == 0) {
		f.cause = ec_names[ec] ? ec_names[ec] : "unknown exception class";
		classify(tf, &f);
	}
	fault_report(&f);
}

/* x29 points at the record: the caller's x29, then x30. */
uintptr_t arch_frame_record(uintptr_t fp)
{
	return fp;
}

void arch_fault_dump_regs(const struct fault *f)
{
	const struct trap_frame *tf = f->regs;
	uint32_t kind = tf->vector & 3;

	pr_err("  %s (EC 0x%02x) taken from %s\n", kind_names[kind],
	       (unsigned int)ESR_EC(tf->esr),
	       origin_names[(tf->vector >> 2) & 3]);
	pr_err("  ESR_EL1 0x%016llx  ELR_EL1  0x%016llx\n",
	       (unsigned long long)tf->esr, (unsigned long long)tf->elr);
	pr_err("  FAR_EL1 0x%016llx  SPSR_EL1 0x%016llx\n",
	       (unsigned long long)tf->far, (unsigned long long)tf->spsr);
	if (kind == 0) {
		dump_abort(tf->esr, tf->far);
	}
	for (int i = 0; i < 30; i += 2) {
		pr_err("  x%-2d 0x%016llx  x%-2d 0x%016llx\n", i,
		       (unsigned long long)tf->x[i], i + 1,
		       (unsigned long long)tf->x[i + 1]);
	}
	pr_err("  x30 0x%016llx  sp  0x%016llx\n",
	       (unsigned long long)tf->x[30], (unsigned long long)tf->sp);
}
