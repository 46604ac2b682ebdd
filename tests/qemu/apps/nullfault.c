// SPDX-License-Identifier: BSD-2-Clause
/*
 * An application that reads through a NULL pointer (a member at offset 8,
 * as a NULL struct pointer would): page 0 is never mapped, so the read
 * faults and the fault report must name a NULL pointer dereference, with
 * read_member() and main() in the backtrace, and power off with status
 * 255. Should the read go through, main() returns 1.
 */
#include <stdio.h>

#include <cairn/compiler.h>

struct thing {
	long a;
	long b;
};

/* Opaque to the compiler: a NULL it cannot see through. */
static struct thing *volatile no_thing;

static __attribute__((noinline)) long read_member(struct thing *t)
{
	printf("nullfault: reading t->b through t = %p\n", (void *)t);
	return READ_ONCE(t->b);
}

int main(int argc, char *argv[])
{
	long v;

	(void)argc;
	(void)argv;
	v = read_member(no_thing);
	printf("nullfault: the read went through (value %ld)\n", v);
	return 1;
}
