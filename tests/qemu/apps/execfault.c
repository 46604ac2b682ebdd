// SPDX-License-Identifier: BSD-2-Clause
/*
 * An application that jumps into data: the kernel map is W^X, so the
 * fetch from a writable page faults and the fault report must name an
 * execute from non-executable memory, with jump_into_data() as the caller
 * and main() in the backtrace, and
 * power off with status 255. Should the call return, main() returns 1.
 */
#include <stdint.h>
#include <stdio.h>

/* Writable data, never executable; whatever is in it never runs. */
static uint32_t not_code[4] = { 0, 0, 0, 0 };

static __attribute__((noinline)) void jump_into_data(void)
{
	void (*fn)(void) = (void (*)(void))(uintptr_t)not_code;

	printf("execfault: calling into data at %p\n", (void *)not_code);
	fn();
	/* Not a tail call: this frame stays for the backtrace. */
	printf("execfault: back from data\n");
}

int main(int argc, char *argv[])
{
	(void)argc;
	(void)argv;
	jump_into_data();
	printf("execfault: the call into data returned\n");
	return 1;
}
