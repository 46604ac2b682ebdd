// SPDX-License-Identifier: BSD-2-Clause
/*
 * An application that frees a page twice: the page allocator must report
 * "double free" with the pfn and the caller and panic (status 255). Should
 * the second free go through, main() says so and returns 1.
 * tests/qemu/meson.build runs it.
 */
#include <stdio.h>

#include <cairn/mm.h>

int main(int argc, char *argv[])
{
	struct page *page = alloc_page(GFP_KERNEL);

	(void)argc;
	(void)argv;
	if (page == NULL) {
		printf("mm_double_free: no page\n");
		return 2;
	}
	printf("mm_double_free: freeing pfn %#llx twice\n",
	       (unsigned long long)page_to_pfn(page));
	__free_page(page);
	__free_page(page);
	printf("mm_double_free: the second free went through\n");
	return 1;
}
