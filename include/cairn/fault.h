// SPDX-License-Identifier: BSD-2-Clause
/*
 * Faults that explain themselves (docs/faults.md). An arch trap handler that
 * meets an unexpected trap fills a struct fault from its cause registers and
 * calls fault_report(), which prints
 *
 *   FAULT: <kind in words> at <address> (pc <symbol+offset>)
 *     <the arch's cause line(s) and registers: arch_fault_dump_regs()>
 *   Backtrace:
 *     #0 <pc symbol+offset>
 *     #1 ...
 *
 * and powers off with status 255 (panic()'s). The pure parts (classifier,
 * frame-pointer walk, symbol lookup) live in generic/fault.c and are host
 * tested; fault_report() and the kernel's symbol table in
 * generic/fault_report.c and the table generated at link time
 * (tools/gen_ksyms.py, two-pass link in meson.build).
 */
#pragma once

#include <cairn/compiler.h>
#include <cairn/types.h>

/* What the faulting instruction was doing, as far as the arch can tell. */
enum fault_access {
	FAULT_ACCESS_NONE,	/* not a memory access fault */
	FAULT_ACCESS_READ,
	FAULT_ACCESS_WRITE,
	FAULT_ACCESS_EXEC,	/* instruction fetch */
};

/* The arch's coarse class of a trap that is not a memory access fault. */
enum fault_class {
	FAULT_CLASS_MEMORY,	/* page/permission/translation fault */
	FAULT_CLASS_ILLEGAL,	/* undefined or illegal instruction */
	FAULT_CLASS_MISALIGNED,	/* alignment fault (data, pc or sp) */
	FAULT_CLASS_BREAKPOINT,	/* breakpoint or trap instruction */
	FAULT_CLASS_ARITH,	/* divide error and the like */
	FAULT_CLASS_OTHER,	/* anything else: the cause name says it */
};

/* The verdict of fault_classify(), printed by fault_kind_name(). */
enum fault_kind {
	FAULT_NULL_DEREF,
	FAULT_WRITE_RO,
	FAULT_EXEC_NX,
	FAULT_STACK_OVERFLOW,
	FAULT_UNMAPPED,
	FAULT_PROTECTION,	/* mapped, and the access was allowed: odd */
	FAULT_ILLEGAL_INSN,
	FAULT_MISALIGNED,
	FAULT_BREAKPOINT,
	FAULT_ARITH,
	FAULT_UNEXPECTED,
};

/**
 * struct fault - one unexpected trap, as the arch handler saw it
 * @class: coarse class of the trap
 * @access: for FAULT_CLASS_MEMORY, what the access was
 * @cause: the arch's own name of the cause ("store page fault")
 * @addr: the faulting data address (or fetch address), if @addr_valid
 * @addr_valid: the arch reported a faulting address
 * @pc: address of the faulting instruction
 * @sp: stack pointer at the fault
 * @fp: frame pointer at the fault (start of the backtrace)
 * @ra: the return address the faulting function was called with, where
 *	the arch can tell (the link register; x86: the word at @sp), else 0:
 *	printed when @pc is in no function (a jump into data)
 * @regs: the arch's saved state, for arch_fault_dump_regs()
 */
struct fault {
	enum fault_class class;
	enum fault_access access;
	const char *cause;
	uint64_t addr;
	bool addr_valid;
	uint64_t pc;
	uint64_t sp;
	uint64_t fp;
	uint64_t ra;
	const void *regs;
};

/* What the kernel map says about an address, for fault_classify(). */
struct fault_mapping {
	bool known;		/* false: no page tables (yet) to ask */
	bool mapped;
	unsigned int prot;	/* PROT_* of the leaf, if mapped */
};

/* Addresses below this count as NULL plus a small offset (a member). */
#define FAULT_NULL_LIMIT	4096

/**
 * fault_classify() - name a fault
 * @f: the fault
 * @map: what the kernel map says about @f->addr
 * @guard_lo: start of the stack guard range (unmapped, below the stack)
 * @guard_hi: its end (the stack's lowest address)
 *
 * A memory fault at an address (or with @f->sp) in [@guard_lo, @guard_hi)
 * is a stack overflow; below FAULT_NULL_LIMIT a NULL dereference; then the
 * mapping decides: unmapped, write to a mapping without PROT_WRITE, fetch
 * from one without PROT_EXEC (or with PROT_WRITE: the kernel map is W^X).
 * Return: the kind.
 */
enum fault_kind fault_classify(const struct fault *f,
			       const struct fault_mapping *map,
			       uint64_t guard_lo, uint64_t guard_hi);

/* "NULL pointer dereference", "stack overflow (guard page hit)", ... */
const char *fault_kind_name(enum fault_kind kind);

/**
 * struct ksym_table - function symbols, sorted by offset
 * @offs: offset of each symbol from the image start, ascending
 * @names: offset of each symbol's name in @strs
 * @strs: the NUL-terminated names, back to back
 * @count: entries
 * @end: offset of the end of the text (no symbol matches beyond it)
 */
struct ksym_table {
	const uint32_t *offs;
	const uint32_t *names;
	const char *strs;
	uint32_t count;
	uint32_t end;
};

/* The kernel's own table, generated at link time (tools/gen_ksyms.py). */
extern const struct ksym_table cairn_ksyms;

/**
 * ksym_lookup() - the function containing an address
 * @t: the table
 * @base: run-time address of the image start (offset 0 of the table)
 * @addr: the address
 * @offset: out: @addr minus the symbol's address
 *
 * Return: the name, or NULL when @addr is outside the table's text.
 */
const char *ksym_lookup(const struct ksym_table *t, uintptr_t base,
			uintptr_t addr, uintptr_t *offset);

/* Deepest backtrace fault_report() prints. */
#define FAULT_BACKTRACE_MAX	32

/**
 * fault_backtrace() - follow frame pointers, without ever faulting
 * @fp: frame pointer to start from
 * @lo: lowest address of the stack @fp lives in
 * @hi: one past its highest address
 * @pcs: out: return addresses, innermost first
 * @max: room in @pcs
 *
 * Each frame record (arch_frame_record(): the saved frame pointer, then the
 * return address) must lie inside [@lo, @hi), be 8-byte aligned, and each
 * next frame pointer must be above the last one (stacks grow down): the
 * walk stops at the first one that is not, at a 0 return address or after
 * @max frames. Return: the number of return addresses in @pcs.
 */
unsigned int fault_backtrace(uintptr_t fp, uintptr_t lo, uintptr_t hi,
			     uintptr_t *pcs, unsigned int max);

/**
 * fault_report() - explain an unexpected trap and power off
 * @f: the fault, filled in by the arch trap handler
 *
 * Prints the report (see the top of this file) and calls arch_poweroff(255).
 * A fault while reporting powers off at once.
 */
__noreturn void fault_report(const struct fault *f);
