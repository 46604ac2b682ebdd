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
#include <cairn/arch.h>
#include <cairn/fault.h>
#include <cairn/log.h>
#include <cairn/mm.h>
#include <cairn/pgtable.h>
#include <cairn/sections.h>

/* "name+0x1c", or the bare address when no symbol covers it. */
static void print_pc(unsigned int idx, uintptr_t pc, uintptr_t lookup)
{
	uintptr_t off = 0;
	const char *name = ksym_lookup(&cairn_ksyms, (uintptr_t)__image_start,
				       lookup, &off);

	if (name) {
		off += pc - lookup;
		pr_err("  #%-2u 0x%016llx %s+%#llx\n", idx,
		       (unsigned long long)pc, name, (unsigned long long)off);
	} else {
		pr_err("  #%-2u 0x%016llx ?\n", idx, (unsigned long long)pc);
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
	if (f->addr_valid) {
		pr_err("FAULT: %s at 0x%016llx (pc %s+%#llx)\n",
		       fault_kind_name(kind), (unsigned long long)f->addr,
		       sym ? sym : "?", (unsigned long long)off);
	} else {
		pr_err("FAULT: %s (pc %s+%#llx)\n", fault_kind_name(kind),
		       sym ? sym : "?", (unsigned long long)off);
	}
	pr_err("  cause: %s\n", f->cause ? f->cause : "unknown");
	arch_fault_dump_regs(f);

	pr_err("Backtrace:\n");
	print_pc(0, (uintptr_t)f->pc, (uintptr_t)f->pc);
	n = fault_backtrace((uintptr_t)f->fp, stack_lo, stack_hi, pcs,
			    ARRAY_SIZE(pcs));
	for (unsigned int i = 0; i < n; i++) {
		/* A return address: the call is the instruction before. */
		print_pc(i + 1, pcs[i], pcs[i] - 1);
	}
	if (n == ARRAY_SIZE(pcs)) {
		pr_err("  ... (deeper frames not shown)\n");
	}
	pr_err("PANIC: the kernel stopped; powering off with status 255\n");
	arch_poweroff(255);
}
