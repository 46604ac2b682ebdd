// SPDX-License-Identifier: BSD-2-Clause
/*
 * An application that kfree()s a pointer into the middle of an object:
 * kmalloc must report "kfree of a bad pointer" with the address and the
 * caller and panic (status 255); should the kfree() go through, main()
 * says so and returns 1. tests/qemu/meson.build runs it.
 */
#include <stdio.h>

#include <cairn/mm.h>

int main(int argc, char *argv[])
{
	char *p = kmalloc(64, GFP_KERNEL);

	(void)argc;
	(void)argv;
	if (p == NULL) {
		printf("kfree_bad: no memory\n");
		return 2;
	}
	printf("kfree_bad: freeing %p, 8 bytes into a 64-byte object\n",
	       (void *)(p + 8));
	kfree(p + 8);
	printf("kfree_bad: the kfree went through\n");
	return 1;
}
