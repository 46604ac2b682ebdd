// SPDX-License-Identifier: BSD-2-Clause
/*
 * String and memory functions for the freestanding kernel. The compiler
 * emits calls to memcpy/memset/memmove/memcmp on its own, so these must
 * exist, and must not be turned back into calls to themselves: the kernel is
 * built -ffreestanding (which implies -fno-builtin), so clang does not
 * rewrite these loops as library calls.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Word-at-a-time copy when both pointers share alignment. */
void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if ((((uintptr_t)d ^ (uintptr_t)s) & 7) == 0) {
		while (n > 0 && ((uintptr_t)d & 7) != 0) {
			*d++ = *s++;
			n--;
		}
		for (; n >= 8; n -= 8, d += 8, s += 8) {
			*(uint64_t *)(void *)d = *(const uint64_t *)(const void *)s;
		}
	}
	while (n-- > 0) {
		*d++ = *s++;
	}
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d == s || n == 0) {
		return dst;
	}
	if (d < s || d >= s + n) {
		return memcpy(dst, src, n);
	}
	/* Overlap with dst above src: copy backwards. */
	d += n;
	s += n;
	if ((((uintptr_t)d ^ (uintptr_t)s) & 7) == 0) {
		while (n > 0 && ((uintptr_t)d & 7) != 0) {
			*--d = *--s;
			n--;
		}
		for (; n >= 8; n -= 8) {
			d -= 8;
			s -= 8;
			*(uint64_t *)(void *)d = *(const uint64_t *)(const void *)s;
		}
	}
	while (n-- > 0) {
		*--d = *--s;
	}
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	uint64_t pattern = (unsigned char)c * UINT64_C(0x0101010101010101);

	while (n > 0 && ((uintptr_t)d & 7) != 0) {
		*d++ = (unsigned char)c;
		n--;
	}
	for (; n >= 8; n -= 8, d += 8) {
		*(uint64_t *)(void *)d = pattern;
	}
	while (n-- > 0) {
		*d++ = (unsigned char)c;
	}
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (size_t i = 0; i < n; i++) {
		if (x[i] != y[i]) {
			return x[i] - y[i];
		}
	}
	return 0;
}

void *memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (size_t i = 0; i < n; i++) {
		if (p[i] == (unsigned char)c) {
			return (void *)(p + i);
		}
	}
	return NULL;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n] != '\0') {
		n++;
	}
	return n;
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n] != '\0') {
		n++;
	}
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a != '\0' && *a == *b) {
		a++;
		b++;
	}
	return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (a[i] != b[i] || a[i] == '\0') {
			return (unsigned char)a[i] - (unsigned char)b[i];
		}
	}
	return 0;
}

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c) {
			return (char *)s;
		}
		if (*s == '\0') {
			return NULL;
		}
	}
}

char *strrchr(const char *s, int c)
{
	const char *last = NULL;

	for (;; s++) {
		if (*s == (char)c) {
			last = s;
		}
		if (*s == '\0') {
			return (char *)last;
		}
	}
}
