// SPDX-License-Identifier: BSD-2-Clause
/*
 * Basic kernel types. Physical addresses are 64-bit on every architecture
 * Cairn supports; the arch header fixes page size and the like, and the
 * checks below hold every arch to the contract.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cairn/arch/types.h>

typedef uint64_t phys_addr_t;
typedef uint64_t pfn_t;

#ifndef PAGE_SHIFT
#error "<cairn/arch/types.h> must define PAGE_SHIFT"
#endif
#ifndef EFIAPI
#error "<cairn/arch/types.h> must define EFIAPI (empty where UEFI uses the C ABI)"
#endif
#define PAGE_SIZE	(UINT64_C(1) << PAGE_SHIFT)
#define PAGE_MASK	(~(PAGE_SIZE - 1))

#define PFN_DOWN(x)	((x) >> PAGE_SHIFT)
#define PFN_UP(x)	(((x) + PAGE_SIZE - 1) >> PAGE_SHIFT)
#define PFN_PHYS(x)	((phys_addr_t)(x) << PAGE_SHIFT)
#define PHYS_PFN(x)	((pfn_t)((x) >> PAGE_SHIFT))

_Static_assert(sizeof(phys_addr_t) == 8, "phys_addr_t is 64-bit");
_Static_assert(sizeof(void *) == sizeof(uintptr_t), "flat pointers");
