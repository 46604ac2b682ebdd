// SPDX-License-Identifier: BSD-2-Clause
/*
 * An application that writes to a kmalloc object after kfree() and then
 * allocates again: kmalloc hands out the last freed object first, finds
 * its free marker overwritten and must report "write after free" with the
 * address and the caller and panic (status 255), in every build (with
 * -Dmm_debug=true any byte of the object is checked, here the first
 * check to fail is the marker too). Should the allocation go through,
 * main() says so and returns 1. tests/qemu/meson.build runs it.
 */
#include <stdio.h>
#include <string.h>

#include <cairn/compiler.h>
#include <cairn/mm.h>

int main(int argc, char *argv[])
{
	void *keep = kmalloc(64, GFP_KERNEL);
	char *p = kmalloc(64, GFP_KERNEL);
	char *q;

	(void)argc;
	(void)argv;
	if (keep == NULL || p == NULL) {
		printf("kmalloc_uaf: no memory\n");
		return 2;
	}
	kfree(p);
	printf("kmalloc_uaf: writing to %p after kfree()\n", (void *)p);
	/* Through a volatile pointer: the compiler may not drop the stores. */
	for (int i = 0; i < 64; i++) {
		((volatile char *)p)[i] = 0;
	}
	q = kmalloc(64, GFP_KERNEL);
	printf("kmalloc_uaf: allocated %p after the write\n", (void *)q);
	return 1;
}
