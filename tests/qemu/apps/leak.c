// SPDX-License-Identifier: BSD-2-Clause
/*
 * An application that returns 0 with a page and a kmalloc object still
 * allocated: the kernel's exit check (mm_check_exit()) must report the
 * leak, turn the status into 1, and ci/qemu-run.py must call the boot a
 * failure ("--expect-leak" inverts that). tests/qemu/meson.build runs it.
 */
#include <stdio.h>

#include <cairn/mm.h>

int main(int argc, char *argv[])
{
	struct page *page = alloc_page(GFP_KERNEL);
	void *p = kmalloc(100, GFP_KERNEL);

	(void)argc;
	(void)argv;
	printf("leak: returning with page %p and object %p allocated\n",
	       (void *)page, p);
	return 0;
}
