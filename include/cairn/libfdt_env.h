// SPDX-License-Identifier: BSD-2-Clause
/*
 * Cairn's environment for upstream libfdt, used instead of the one that ships
 * with it: meson force-includes this file (-include) when it builds libfdt,
 * <cairn/fdt.h> includes it before <libfdt.h>, and the shared include guard
 * makes libfdt's own libfdt_env.h a no-op. Include <cairn/fdt.h>, never
 * <libfdt.h> directly. It
 * needs only the freestanding headers and Cairn's <string.h>, so the same
 * file serves the kernel builds and the host build.
 *
 * The blob is big-endian [dt-spec 0.4 §5.1]; every arch Cairn supports runs
 * little-endian, checked below.
 */
#ifndef LIBFDT_ENV_H
#define LIBFDT_ENV_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "Cairn's libfdt environment assumes a little-endian CPU"
#endif

typedef uint16_t fdt16_t;
typedef uint32_t fdt32_t;
typedef uint64_t fdt64_t;

static inline uint16_t fdt16_to_cpu(fdt16_t x) { return __builtin_bswap16(x); }
static inline fdt16_t cpu_to_fdt16(uint16_t x) { return __builtin_bswap16(x); }
static inline uint32_t fdt32_to_cpu(fdt32_t x) { return __builtin_bswap32(x); }
static inline fdt32_t cpu_to_fdt32(uint32_t x) { return __builtin_bswap32(x); }
static inline uint64_t fdt64_to_cpu(fdt64_t x) { return __builtin_bswap64(x); }
static inline fdt64_t cpu_to_fdt64(uint64_t x) { return __builtin_bswap64(x); }

#endif /* LIBFDT_ENV_H */
