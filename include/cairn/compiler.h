// SPDX-License-Identifier: BSD-2-Clause
/*
 * Compiler helpers shared by every folder. Kept tiny: attributes and a few
 * integer helpers that the C library does not give a freestanding build.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define __noreturn	__attribute__((noreturn))
#define __packed	__attribute__((packed))
#define __aligned(x)	__attribute__((aligned(x)))
#define __section(s)	__attribute__((section(s)))
#define __used		__attribute__((used))
#define __unused	__attribute__((unused))
#define __printf(a, b)	__attribute__((format(printf, a, b)))

/*
 * Boot-only code (__init) and data (__initdata): each arch's kernel.ld
 * gathers them into [__init_start, __init_end) (<cairn/sections.h>), which
 * free_initmem() gives to the page allocator before main(). Nothing that
 * can run after that may be __init, nor read __initdata: start_kernel()
 * and mm_init() run on after the free, as does anything main() may call.
 * __ro_after_init: written during boot only, read-only from
 * mark_rodata_ro() on (a later write faults). The host build has no linker
 * script to gather them: there they are plain code and data.
 */
#if defined(CAIRN_HOST)
#define __init
#define __initdata
#define __ro_after_init
#else
#define __init		__section(".init.text")
#define __initdata	__section(".init.data")
#define __ro_after_init	__section(".data..ro_after_init")
#endif

#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Round @x to a multiple of @a, a power of two. */
#define ALIGN_DOWN(x, a)	((x) & ~((__typeof__(x))(a) - 1))
#define ALIGN_UP(x, a)		ALIGN_DOWN((x) + ((__typeof__(x))(a) - 1), (a))
#define IS_ALIGNED(x, a)	(((x) & ((__typeof__(x))(a) - 1)) == 0)

#define min(a, b)	((a) < (b) ? (a) : (b))
#define max(a, b)	((a) > (b) ? (a) : (b))

#define READ_ONCE(x)	(*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))
