// SPDX-License-Identifier: BSD-2-Clause
/*
 * An application that frees a page the page allocator never had: the
 * first page of the kernel image, which memblock keeps reserved. The page
 * allocator must report "free of a never-allocated page" with the pfn and
 * the caller and panic (status 255); should the free go through, main()
 * says so and returns 1. tests/qemu/meson.build runs it.
 */
#include <stdio.h>

#include <cairn/mm.h>
#include <cairn/sections.h>

int main(int argc, char *argv[])
{
	pfn_t pfn = PHYS_PFN(arch_virt_to_phys(__image_start));
	struct page *page = pfn_to_page(pfn);

	(void)argc;
	(void)argv;
	printf("mm_bad_free: freeing pfn %#llx of the kernel image\n",
	       (unsigned long long)pfn);
	__free_page(page);
	printf("mm_bad_free: the free went through\n");
	return 1;
}
