// SPDX-License-Identifier: BSD-2-Clause
/*
 * The C library's allocation functions for applications, on top of
 * kmalloc (GFP_KERNEL: any zone). Kernel builds only: the host has its C
 * library. No errno: failure is a NULL return, as the prototypes in
 * lib/include/stdlib.h say. Must not grow its own heap or cache.
 */
#include <stdint.h>
#include <stdlib.h>

#include <cairn/mm.h>

#include "mm_internal.h"

/* A size-0 request still gets a unique pointer that free() accepts. */
void *malloc(size_t size)
{
	return kmalloc_caller(size != 0 ? size : 1, GFP_KERNEL,
			      __builtin_return_address(0));
}

void free(void *ptr)
{
	kfree_caller(ptr, __builtin_return_address(0));
}

void *calloc(size_t n, size_t size)
{
	if (n == 0 || size == 0) {
		return kzalloc(1, GFP_KERNEL);
	}
	return kcalloc(n, size, GFP_KERNEL);
}

/* realloc(p, 0) frees p and returns NULL (glibc's choice; C17 leaves it). */
void *realloc(void *ptr, size_t size)
{
	if (ptr == NULL) {
		return malloc(size);
	}
	if (size == 0) {
		kfree(ptr);
		return NULL;
	}
	return krealloc(ptr, size, GFP_KERNEL);
}

/*
 * kmalloc(n) of a power of two is n-aligned up to PAGE_SIZE, and a larger
 * block is a buddy block aligned to its size in physical memory, hence in
 * the linear map when that keeps the alignment: so asking for at least
 * @align bytes is enough. The result is checked all the same.
 */
void *aligned_alloc(size_t align, size_t size)
{
	void *p;

	if (align == 0 || (align & (align - 1)) != 0) {
		return NULL;
	}
	p = kmalloc(size > align ? size : align, GFP_KERNEL);
	if (p != NULL && ((uintptr_t)p & (align - 1)) != 0) {
		kfree(p);
		return NULL;
	}
	return p;
}
