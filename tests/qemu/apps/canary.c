// SPDX-License-Identifier: BSD-2-Clause
/*
 * An application that prints the stack-protector canary, for
 * tests/qemu/canary_boots.py, which boots it twice and compares: test
 * builds only, a real application has no business printing it. It checks
 * the form here (never 0, lowest byte 0) and fails with status 1 if wrong.
 */
#include <stdio.h>

#include <cairn/stackprot.h>

int main(int argc, char *argv[])
{
	uintptr_t c = __stack_chk_guard;

	(void)argc;
	(void)argv;
	printf("canary: %#llx\n", (unsigned long long)c);
	if (c == 0 || (c & 0xff) != 0) {
		printf("canary: bad form (0, or lowest byte not 0)\n");
		return 1;
	}
	return 0;
}
