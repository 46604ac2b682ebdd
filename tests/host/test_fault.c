// SPDX-License-Identifier: BSD-2-Clause
/*
 * generic/fault.c: the classifier (every kind from the arch's class, the
 * address, the stack guard and the kernel map), the symbol lookup on a
 * small table, and the frame-pointer walk on fake stacks, including the
 * records it must refuse: outside the stack, misaligned, not going up.
 * The fake arch's frame record is at the frame pointer (x86/arm64 layout).
 */
#include <string.h>

#include <cairn/fault.h>
#include <cairn/pgtable.h>

#include "tap.h"

#define GUARD_LO 0x10000
#define GUARD_HI 0x11000

static enum fault_kind classify(enum fault_class class, enum fault_access acc,
				uint64_t addr, bool mapped, unsigned int prot)
{
	struct fault f = {
		.class = class,
		.access = acc,
		.addr = addr,
		.addr_valid = true,
		.sp = 0x12000,
	};
	struct fault_mapping m = {
		.known = true,
		.mapped = mapped,
		.prot = prot,
	};

	return fault_classify(&f, &m, GUARD_LO, GUARD_HI);
}

static void test_classify_memory(void)
{
	CHECK_EQ(classify(FAULT_CLASS_MEMORY, FAULT_ACCESS_READ, 0, false, 0),
		 FAULT_NULL_DEREF);
	CHECK_EQ(classify(FAULT_CLASS_MEMORY, FAULT_ACCESS_WRITE, 0x18, false,
			  0),
		 FAULT_NULL_DEREF);
	CHECK_EQ(classify(FAULT_CLASS_MEMORY, FAULT_ACCESS_EXEC, 0, false, 0),
		 FAULT_NULL_DEREF);
	CHECK_EQ(classify(FAULT_CLASS_MEMORY, FAULT_ACCESS_READ, 0x1000, false,
			  0),
		 FAULT_UNMAPPED);
	CHECK_EQ(classify(FAULT_CLASS_MEMORY, FAULT_ACCESS_WRITE, 0x200000,
			  true, PROT_READ),
		 FAULT_WRITE_RO);
	CHECK_EQ(classify(FAULT_CLASS_MEMORY, FAULT_ACCESS_WRITE, 0x200000,
			  true, PROT_RX),
		 FAULT_WRITE_RO);
	CHECK_EQ(classify(FAULT_CLASS_MEMORY, FAULT_ACCESS_EXEC, 0x200000, true,
			  PROT_RW),
		 FAULT_EXEC_NX);
	CHECK_EQ(classify(FAULT_CLASS_MEMORY, FAULT_ACCESS_EXEC, 0x200000, true,
			  PROT_READ),
		 FAULT_EXEC_NX);
	/* W^X: a writable page is not executable, whatever the bits say. */
	CHECK_EQ(classify(FAULT_CLASS_MEMORY, FAULT_ACCESS_EXEC, 0x200000, true,
			  PROT_READ | PROT_WRITE | PROT_EXEC),
		 FAULT_EXEC_NX);
	/* Allowed by the map, and still a fault: say so, do not guess. */
	CHECK_EQ(classify(FAULT_CLASS_MEMORY, FAULT_ACCESS_WRITE, 0x200000,
			  true, PROT_RW),
		 FAULT_PROTECTION);
	CHECK_EQ(classify(FAULT_CLASS_MEMORY, FAULT_ACCESS_READ, 0x200000, true,
			  PROT_READ),
		 FAULT_PROTECTION);
}

static void test_classify_stack_overflow(void)
{
	struct fault f = {
		.class = FAULT_CLASS_MEMORY,
		.access = FAULT_ACCESS_WRITE,
		.addr = GUARD_HI - 8,
		.addr_valid = true,
		.sp = GUARD_HI - 8,
	};
	struct fault_mapping m = { .known = true };

	CHECK_EQ(fault_classify(&f, &m, GUARD_LO, GUARD_HI),
		 FAULT_STACK_OVERFLOW);
	/* The first and last bytes of the guard count, the stack does not. */
	f.addr = GUARD_LO;
	f.sp = GUARD_HI;
	CHECK_EQ(fault_classify(&f, &m, GUARD_LO, GUARD_HI),
		 FAULT_STACK_OVERFLOW);
	f.addr = GUARD_HI;
	CHECK_EQ(fault_classify(&f, &m, GUARD_LO, GUARD_HI), FAULT_UNMAPPED);
	/* x86 #DF: no address, only the stack pointer in the guard. */
	f.addr_valid = false;
	f.sp = GUARD_LO + 0x800;
	CHECK_EQ(fault_classify(&f, &m, GUARD_LO, GUARD_HI),
		 FAULT_STACK_OVERFLOW);
	f.sp = GUARD_HI + 0x800;
	CHECK_EQ(fault_classify(&f, &m, GUARD_LO, GUARD_HI), FAULT_UNEXPECTED);
	/* No guard (an empty range): never an overflow. */
	f.addr_valid = true;
	f.addr = GUARD_LO;
	CHECK_EQ(fault_classify(&f, &m, 0, 0), FAULT_UNMAPPED);
}

static void test_classify_other(void)
{
	struct fault f = { .addr = 0x200000, .addr_valid = true };
	struct fault_mapping unknown = { .known = false };

	f.class = FAULT_CLASS_ILLEGAL;
	CHECK_EQ(fault_classify(&f, &unknown, 0, 0), FAULT_ILLEGAL_INSN);
	f.class = FAULT_CLASS_MISALIGNED;
	CHECK_EQ(fault_classify(&f, &unknown, 0, 0), FAULT_MISALIGNED);
	f.class = FAULT_CLASS_BREAKPOINT;
	CHECK_EQ(fault_classify(&f, &unknown, 0, 0), FAULT_BREAKPOINT);
	f.class = FAULT_CLASS_ARITH;
	CHECK_EQ(fault_classify(&f, &unknown, 0, 0), FAULT_ARITH);
	f.class = FAULT_CLASS_OTHER;
	CHECK_EQ(fault_classify(&f, &unknown, 0, 0), FAULT_UNEXPECTED);
	/* A memory fault with no page tables to ask: no guessing. */
	f.class = FAULT_CLASS_MEMORY;
	f.access = FAULT_ACCESS_WRITE;
	CHECK_EQ(fault_classify(&f, &unknown, 0, 0), FAULT_UNEXPECTED);
	/* ...but NULL is NULL without them. */
	f.addr = 0x10;
	CHECK_EQ(fault_classify(&f, &unknown, 0, 0), FAULT_NULL_DEREF);
}

static void test_kind_names(void)
{
	CHECK(strcmp(fault_kind_name(FAULT_NULL_DEREF),
		     "NULL pointer dereference") == 0);
	CHECK(strcmp(fault_kind_name(FAULT_WRITE_RO),
		     "write to read-only memory") == 0);
	CHECK(strcmp(fault_kind_name(FAULT_EXEC_NX),
		     "execute from non-executable memory") == 0);
	CHECK(strcmp(fault_kind_name(FAULT_STACK_OVERFLOW),
		     "stack overflow (guard page hit)") == 0);
	CHECK(strcmp(fault_kind_name(FAULT_UNMAPPED),
		     "access to unmapped memory") == 0);
	CHECK(strcmp(fault_kind_name(FAULT_ILLEGAL_INSN),
		     "illegal instruction") == 0);
	CHECK(strcmp(fault_kind_name((enum fault_kind)1000),
		     "unexpected trap") == 0);
	for (int k = FAULT_NULL_DEREF; k <= FAULT_UNEXPECTED; k++) {
		CHECK(fault_kind_name((enum fault_kind)k)[0] != '\0');
	}
}

static const uint32_t offs[] = { 0x100, 0x140, 0x140 + 0x20, 0x400 };
static const uint32_t names[] = { 0, 6, 11, 17 };
static const char strs[] = "alpha\0beta\0gamma\0delta";
static const struct ksym_table table = {
	.offs = offs, .names = names, .strs = strs, .count = 4, .end = 0x480,
};

static void test_ksym_lookup(void)
{
	const uintptr_t base = 0x80200000;
	uintptr_t off = 99;
	const char *name;

	CHECK(ksym_lookup(&table, base, base + 0xff, &off) == NULL);
	CHECK(ksym_lookup(&table, base, base - 4, &off) == NULL);
	CHECK(ksym_lookup(&table, base, 0x100, &off) == NULL);
	name = ksym_lookup(&table, base, base + 0x100, &off);
	CHECK(name && strcmp(name, "alpha") == 0);
	CHECK_EQ(off, 0);
	name = ksym_lookup(&table, base, base + 0x13f, &off);
	CHECK(name && strcmp(name, "alpha") == 0);
	CHECK_EQ(off, 0x3f);
	name = ksym_lookup(&table, base, base + 0x140, &off);
	CHECK(name && strcmp(name, "beta") == 0);
	CHECK_EQ(off, 0);
	name = ksym_lookup(&table, base, base + 0x165, &off);
	CHECK(name && strcmp(name, "gamma") == 0);
	CHECK_EQ(off, 5);
	name = ksym_lookup(&table, base, base + 0x47f, &off);
	CHECK(name && strcmp(name, "delta") == 0);
	CHECK_EQ(off, 0x7f);
	CHECK(ksym_lookup(&table, base, base + 0x480, &off) == NULL);
	/* @offset may be NULL; an empty table knows nothing. */
	CHECK(ksym_lookup(&table, base, base + 0x200, NULL) != NULL);
	CHECK(ksym_lookup(&(struct ksym_table){0}, base, base + 0x200,
			  NULL) == NULL);
}

/* A fake stack, and a frame record {next fp, return address} in it. */
static uintptr_t stack[64] __attribute__((aligned(16)));

static uintptr_t slot(unsigned int i)
{
	return (uintptr_t)&stack[i];
}

static void record(unsigned int i, uintptr_t next, uintptr_t ret)
{
	stack[i] = next;
	stack[i + 1] = ret;
}

#define LO slot(0)
#define HI slot(64)

static void test_backtrace_chain(void)
{
	uintptr_t pcs[8];

	memset(stack, 0, sizeof(stack));
	record(4, slot(10), 0x1004);
	record(10, slot(20), 0x2004);
	record(20, slot(40), 0x3004);
	record(40, 0, 0x4004);	/* outermost: next fp 0 */
	CHECK_EQ(fault_backtrace(slot(4), LO, HI, pcs, 8), 4);
	CHECK_EQ(pcs[0], 0x1004);
	CHECK_EQ(pcs[1], 0x2004);
	CHECK_EQ(pcs[2], 0x3004);
	CHECK_EQ(pcs[3], 0x4004);
	/* Bounded by @max. */
	CHECK_EQ(fault_backtrace(slot(4), LO, HI, pcs, 2), 2);
	CHECK_EQ(pcs[1], 0x2004);
	/* A 0 return address ends the walk. */
	record(20, slot(40), 0);
	CHECK_EQ(fault_backtrace(slot(4), LO, HI, pcs, 8), 2);
	/* A NULL start: nothing. */
	CHECK_EQ(fault_backtrace(0, LO, HI, pcs, 8), 0);
}

static void test_backtrace_refuses(void)
{
	uintptr_t pcs[8];

	memset(stack, 0, sizeof(stack));
	/* The next frame outside the stack: reported, then not followed. */
	record(4, (uintptr_t)&pcs[0], 0x1004);
	CHECK_EQ(fault_backtrace(slot(4), LO, HI, pcs, 8), 1);
	/* Starting outside the stack: nothing read. */
	CHECK_EQ(fault_backtrace(slot(4), slot(8), HI, pcs, 8), 0);
	CHECK_EQ(fault_backtrace(HI, LO, HI, pcs, 8), 0);
	/* A record that straddles the top of the stack. */
	CHECK_EQ(fault_backtrace(slot(63), LO, HI, pcs, 8), 0);
	/* Misaligned. */
	record(4, slot(10), 0x1004);
	record(10, slot(20) + 3, 0x2004);
	CHECK_EQ(fault_backtrace(slot(4), LO, HI, pcs, 8), 2);
	CHECK_EQ(fault_backtrace(slot(4) + 4, LO, HI, pcs, 8), 0);
	/* A loop, or a frame below the last: stop, never spin. */
	record(10, slot(4), 0x2004);
	CHECK_EQ(fault_backtrace(slot(4), LO, HI, pcs, 8), 2);
	record(10, slot(10), 0x2004);
	CHECK_EQ(fault_backtrace(slot(4), LO, HI, pcs, 8), 2);
	CHECK_EQ(pcs[1], 0x2004);
	/* A wild pointer far away (would fault if read). */
	record(10, (uintptr_t)0xdead0000, 0x2004);
	CHECK_EQ(fault_backtrace(slot(4), LO, HI, pcs, 8), 2);
}

int main(void)
{
	TEST(test_classify_memory);
	TEST(test_classify_stack_overflow);
	TEST(test_classify_other);
	TEST(test_kind_names);
	TEST(test_ksym_lookup);
	TEST(test_backtrace_chain);
	TEST(test_backtrace_refuses);
	return tap_done();
}
