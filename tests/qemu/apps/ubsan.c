// SPDX-License-Identifier: BSD-2-Clause
/*
 * An application with undefined behaviour, for -Ddebug_checks=true builds
 * only: a shift by more than the width of its type. UBSan's check must
 * stop it with "ubsan: shift out of bounds" and panic()'s status 255.
 * Should the shift go through, main() says so and returns 1.
 */
#include <stdio.h>

int main(int argc, char *argv[])
{
	/* volatile: the compiler must not see the count, or fold the shift. */
	volatile int count = 31 + argc * 8;
	unsigned int one = 1;

	(void)argv;
	printf("ubsan: shifting by %d\n", count);
	printf("ubsan: the shift went unnoticed: %u\n", one << count);
	return 1;
}
