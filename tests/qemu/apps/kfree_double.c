// SPDX-License-Identifier: BSD-2-Clause
/*
 * An application that kfree()s an object twice (a second object keeps its
 * page in use): kmalloc must report "double kfree" with the address and
 * the caller and panic (status 255); should the second kfree() go through,
 * main() says so and returns 1. tests/qemu/meson.build runs it.
 */
#include <stdio.h>

#include <cairn/mm.h>

int main(int argc, char *argv[])
{
	void *keep = kmalloc(64, GFP_KERNEL);
	void *p = kmalloc(64, GFP_KERNEL);

	(void)argc;
	(void)argv;
	if (keep == NULL || p == NULL) {
		printf("kfree_double: no memory\n");
		return 2;
	}
	printf("kfree_double: freeing %p twice\n", p);
	kfree(p);
	kfree(p);
	printf("kfree_double: the second kfree went through\n");
	return 1;
}
