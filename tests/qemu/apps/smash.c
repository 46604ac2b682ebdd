// SPDX-License-Identifier: BSD-2-Clause
/*
 * An application that overflows a local array in a function that then
 * returns: the stack protector must catch it at that return, report
 * "stack protector: stack smashed in <address>" and panic() with status
 * 255. Should the function return, main() says so and returns 1.
 * tests/qemu/meson.build runs it on each arch's default boot path.
 */
#include <stdio.h>

#include <cairn/compiler.h>

/*
 * Writes @n bytes into a 16-byte array. The volatile pointer keeps the
 * compiler from reasoning about (or removing) the out-of-bounds stores.
 */
static __attribute__((noinline)) int fill(size_t n)
{
	char buf[16];
	volatile char *p = buf;

	for (size_t i = 0; i < n; i++) {
		p[i] = 'A';
	}
	return p[0];
}

int main(int argc, char *argv[])
{
	(void)argv;
	/* 16 within bounds, then 32 past them, over the canary. */
	size_t n = 16 + 32 * (size_t)argc;

	printf("smash: writing %zu bytes into a 16-byte stack array\n", n);
	fill(n);
	printf("smash: the overflow went unnoticed\n");
	return 1;
}
