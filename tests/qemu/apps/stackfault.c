// SPDX-License-Identifier: BSD-2-Clause
/*
 * An application that recurses without end: the boot stack runs into its
 * guard page, and the fault report (taken on the arch's fault stack) must
 * name a stack overflow, with recurse() at the fault, and power off with
 * status 255. Should the recursion ever end, main() returns 1.
 */
#include <stdio.h>

#include <cairn/compiler.h>

/* Never reached; read at run time so that the compiler sees an end. */
static volatile unsigned int depth_limit = ~0u;

static __attribute__((noinline)) unsigned int recurse(unsigned int depth)
{
	volatile char frame[128];

	frame[0] = (char)depth;
	if (depth == depth_limit) {
		return 0;
	}
	return recurse(depth + 1) + (unsigned int)frame[0];
}

int main(int argc, char *argv[])
{
	(void)argc;
	(void)argv;
	printf("stackfault: recursing until the stack runs out\n");
	printf("stackfault: the recursion ended (%u)\n", recurse(0));
	return 1;
}
