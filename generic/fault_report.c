// SPDX-License-Identifier: BSD-2-Clause
/*
 * fault_report() (<cairn/fault.h>): the kernel side of the fault report.
 * It asks the live kernel map what the faulting address is, names the
 * fault, prints the arch's registers and a symbolised backtrace along the
 * boot stack, and powers off with panic()'s status 255. Everything here
 * must work on a broken kernel: no allocation, nothing that could fault
 * again (the frame walk stays inside the boot stack), and a second fault
 * while reporting powers off at once.
 */
#include <stdio.h>

#include <cairn/arch.h>
#include <cairn/fault.h>
#include <cairn/log.h>
#include <cairn/mm.h>
#include <cairn/pgtable.h>
#include <cairn/sections.h>

/*
 * "0x... name+0x1c" (or "0x... ?" when no function covers it) into @buf;
 * @lookup is the address to look up: @pc, or a return address minus 1
 * (the call is the instruction before it).
 */
static void format_pc(char *buf, size_t len, uintptr_t pc, uintptr_t lookup)
{
	uintptr_t off = 0;
	const char *name = ksym_lookup(&cairn_ksyms, (uintptr_t)__image_start,
				       lookup, &off);

	if (name) {
		snprintf(buf, len, "0x%016llx %s+%#llx", (unsigned long long)pc,
			 name, (unsigned long long)(off + (pc - lookup)));
	} else {
		snprintf(buf, len, "0x%016llx ?", (unsigned long long)pc);
	}
}

static struct fault_mapping lookup_mapping(uint64_t addr)
{
	struct fault_mapping m = {0};

	if (kernel_pgtable.root != 0) {
		m.known = true;
		m.mapped = pt_lookup(&kernel_pgtable, addr, NULL, &m.prot,
				     NULL);
	}
	return m;
}

void fault_report(const struct fault *f)
{
	static bool reporting;
	uintptr_t pcs[FAULT_BACKTRACE_MAX];
	char buf[128];
	uintptr_t stack_lo = (uintptr_t)__stack_bottom;
	uintptr_t stack_hi = (uintptr_t)__stack_top;
	struct fault_mapping map = {0};
	uintptr_t off = 0;
	const char *sym;
	enum fault_kind kind;
	unsigned int n;

	if (reporting) {
		/* Faulted while reporting a fault: say no more. */
		arch_poweroff(255);
	}
	reporting = true;
	if (f->class == FAULT_CLASS_MEMORY && f->addr_valid) {
		map = lookup_mapping(f->addr);
	}
	kind = fault_classify(f, &map, stack_lo - PAGE_SIZE, stack_lo);
	sym = ksym_lookup(&cairn_ksyms, (uintptr_t)__image_start, f->pc, &off);
	if (sym) {
		snprintf(buf, sizeof(buf), "pc %s+%#llx", sym,
			 (unsigned long long)off);
	} else {
		snprintf(buf, sizeof(buf), "pc 0x%016llx, in no function",
			 (unsigned long long)f->pc);
	}
	if (f->addr_valid) {
		pr_err("FAULT: %s at 0x%016llx (%s)\n", fault_kind_name(kind),
		       (unsigned long long)f->addr, buf);
	} else {
		pr_err("FAULT: %s (%s)\n", fault_kind_name(kind), buf);
	}
	pr_err("  cause: %s\n", f->cause ? f->cause : "unknown");
	arch_fault_dump_regs(f);

	pr_err("Backtrace:\n");
	format_pc(buf, sizeof(buf), (uintptr_t)f->pc, (uintptr_t)f->pc);
	pr_err("  #0  %s\n", buf);
	if (!sym && f->ra) {
		/* A jump to nowhere: who made it, if the arch knows. */
		format_pc(buf, sizeof(buf), (uintptr_t)f->ra,
			  (uintptr_t)f->ra - 1);
		pr_err("      called from %s\n", buf);
	}
	n = fault_backtrace((uintptr_t)f->fp, stack_lo, stack_hi, pcs,
			    ARRAY_SIZE(pcs));
	for (unsigned int i = 0; i < n; i++) {
		unsigned int same = 0;

		format_pc(buf, sizeof(buf), pcs[i], pcs[i] - 1);
		pr_err("  #%-2u %s\n", i + 1, buf);
		while (i + 1 < n && pcs[i + 1] == pcs[i]) {
			same++;
			i++;
		}
		if (same) {
			pr_err("  ... the same %u more times (recursion)\n",
			       same);
		}
	}
	if (n == ARRAY_SIZE(pcs)) {
		pr_err("  ... (deeper frames not shown)\n");
	}
	pr_err("PANIC: the kernel stopped; powering off with status 255\n");
	arch_poweroff(255);
}
