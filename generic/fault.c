// SPDX-License-Identifier: BSD-2-Clause
/*
 * The pure parts of the fault report (<cairn/fault.h>): naming a fault from
 * the arch's cause and the kernel map, the frame-pointer walk and the symbol
 * lookup. Nothing here touches hardware or the real tables, so host tests
 * (tests/host/test_fault.c) run all of it; generic/fault_report.c glues it to
 * the kernel.
 */
#include <cairn/arch.h>
#include <cairn/fault.h>
#include <cairn/pgtable.h>

static const char *const kind_names[] = {
	[FAULT_NULL_DEREF] = "NULL pointer dereference",
	[FAULT_WRITE_RO] = "write to read-only memory",
	[FAULT_EXEC_NX] = "execute from non-executable memory",
	[FAULT_STACK_OVERFLOW] = "stack overflow (guard page hit)",
	[FAULT_UNMAPPED] = "access to unmapped memory",
	[FAULT_PROTECTION] = "protection fault on mapped memory",
	[FAULT_ILLEGAL_INSN] = "illegal instruction",
	[FAULT_MISALIGNED] = "misaligned access",
	[FAULT_BREAKPOINT] = "breakpoint",
	[FAULT_ARITH] = "arithmetic fault",
	[FAULT_UNEXPECTED] = "unexpected trap",
};

/**
 * fault_kind_name() - the words for a fault kind
 * @kind: the kind
 *
 * Return: a constant string, never NULL.
 */
const char *fault_kind_name(enum fault_kind kind)
{
	if ((unsigned int)kind < ARRAY_SIZE(kind_names) && kind_names[kind]) {
		return kind_names[kind];
	}
	return "unexpected trap";
}

static bool in_range(uint64_t a, uint64_t lo, uint64_t hi)
{
	return a >= lo && a < hi;
}

enum fault_kind fault_classify(const struct fault *f,
			       const struct fault_mapping *map,
			       uint64_t guard_lo, uint64_t guard_hi)
{
	switch (f->class) {
	case FAULT_CLASS_MEMORY:
		break;
	case FAULT_CLASS_ILLEGAL:
		return FAULT_ILLEGAL_INSN;
	case FAULT_CLASS_MISALIGNED:
		return FAULT_MISALIGNED;
	case FAULT_CLASS_BREAKPOINT:
		return FAULT_BREAKPOINT;
	case FAULT_CLASS_ARITH:
		return FAULT_ARITH;
	default:
		return FAULT_UNEXPECTED;
	}
	/*
	 * A push that misses the stack faults in the guard; so may the
	 * trap entry's own frame (x86 reports the sp, not always a CR2).
	 */
	if (guard_lo < guard_hi &&
	    ((f->addr_valid && in_range(f->addr, guard_lo, guard_hi)) ||
	     in_range(f->sp, guard_lo, guard_hi))) {
		return FAULT_STACK_OVERFLOW;
	}
	if (!f->addr_valid) {
		return FAULT_UNEXPECTED;
	}
	if (f->addr < FAULT_NULL_LIMIT) {
		return FAULT_NULL_DEREF;
	}
	if (!map->known) {
		return FAULT_UNEXPECTED;
	}
	if (!map->mapped) {
		return FAULT_UNMAPPED;
	}
	switch (f->access) {
	case FAULT_ACCESS_WRITE:
		if (!(map->prot & PROT_WRITE)) {
			return FAULT_WRITE_RO;
		}
		break;
	case FAULT_ACCESS_EXEC:
		/* The kernel map is W^X: writable means not executable. */
		if (!(map->prot & PROT_EXEC) || (map->prot & PROT_WRITE)) {
			return FAULT_EXEC_NX;
		}
		break;
	default:
		break;
	}
	return FAULT_PROTECTION;
}

const char *ksym_lookup(const struct ksym_table *t, uintptr_t base,
			uintptr_t addr, uintptr_t *offset)
{
	uint64_t off;
	uint32_t lo = 0, hi;

	if (t->count == 0 || addr < base) {
		return NULL;
	}
	off = (uint64_t)(addr - base);
	if (off < t->offs[0] || off >= t->end) {
		return NULL;
	}
	/* The last entry whose offset is <= off. */
	hi = t->count;
	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (t->offs[mid] <= off) {
			lo = mid;
		} else {
			hi = mid;
		}
	}
	if (offset) {
		*offset = (uintptr_t)(off - t->offs[lo]);
	}
	return t->strs + t->names[lo];
}

unsigned int fault_backtrace(uintptr_t fp, uintptr_t lo, uintptr_t hi,
			     uintptr_t *pcs, unsigned int max)
{
	unsigned int n = 0;

	while (n < max) {
		uintptr_t rec = arch_frame_record(fp);
		const uintptr_t *r = (const uintptr_t *)rec;
		uintptr_t next, ret;

		/* The record: two words, inside the stack, aligned. */
		if (fp == 0 || rec < lo || rec > hi ||
		    hi - rec < 2 * sizeof(uintptr_t) ||
		    !IS_ALIGNED(rec, sizeof(uintptr_t))) {
			break;
		}
		next = r[0];
		ret = r[1];
		if (ret == 0) {
			break;
		}
		pcs[n++] = ret;
		/* Stacks grow down: the caller's frame is above. */
		if (next <= fp) {
			break;
		}
		fp = next;
	}
	return n;
}
