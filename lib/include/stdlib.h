// SPDX-License-Identifier: BSD-2-Clause
/*
 * Freestanding <stdlib.h> of kernel builds: the allocation functions an
 * application may use, implemented by generic/mm/malloc.c on top of
 * kmalloc (docs/mm.md). No errno: failures return NULL. Host builds use
 * the C library's <stdlib.h>; libfdt's environment includes this one.
 */
#pragma once

#include <stddef.h>

/* @size bytes, aligned to min(size rounded to a power of two, 4096). */
void *malloc(size_t size);

/* Free what malloc() and the others returned; NULL is fine. */
void free(void *ptr);

/* @n * @size zeroed bytes; NULL if the product overflows. */
void *calloc(size_t n, size_t size);

/* Resize; realloc(NULL, n) is malloc(n), realloc(p, 0) frees p -> NULL. */
void *realloc(void *ptr, size_t size);

/* @size bytes aligned to @align, a power of two; NULL otherwise. */
void *aligned_alloc(size_t align, size_t size);
