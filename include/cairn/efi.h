// SPDX-License-Identifier: BSD-2-Clause
/*
 * The UEFI memory map -> memblock (drivers/firmware/efi_memmap.c). The map
 * is an array of descriptors of the size the firmware reports, which may
 * be larger than struct efi_memory_desc [uefi 2.10 §7.2.3]: always step by
 * desc_size. Descriptors are untrusted.
 */
#pragma once

#include <cairn/types.h>

/* EFI_MEMORY_TYPE [uefi 2.10 §7.2.1]. */
enum efi_memory_type {
	EFI_RESERVED_MEMORY = 0,
	EFI_LOADER_CODE,
	EFI_LOADER_DATA,
	EFI_BOOT_SERVICES_CODE,
	EFI_BOOT_SERVICES_DATA,
	EFI_RUNTIME_SERVICES_CODE,
	EFI_RUNTIME_SERVICES_DATA,
	EFI_CONVENTIONAL_MEMORY,
	EFI_UNUSABLE_MEMORY,
	EFI_ACPI_RECLAIM_MEMORY,
	EFI_ACPI_MEMORY_NVS,
	EFI_MEMORY_MAPPED_IO,
	EFI_MEMORY_MAPPED_IO_PORT_SPACE,
	EFI_PAL_CODE,
	EFI_PERSISTENT_MEMORY,
	EFI_UNACCEPTED_MEMORY,
	EFI_MAX_MEMORY_TYPE
};

/* Attributes [uefi 2.10 §7.2.3]. */
#define EFI_MEMORY_UC			UINT64_C(0x1)
#define EFI_MEMORY_WC			UINT64_C(0x2)
#define EFI_MEMORY_WT			UINT64_C(0x4)
#define EFI_MEMORY_WB			UINT64_C(0x8)
#define EFI_MEMORY_UCE			UINT64_C(0x10)
#define EFI_MEMORY_WP			UINT64_C(0x1000)
#define EFI_MEMORY_RP			UINT64_C(0x2000)
#define EFI_MEMORY_XP			UINT64_C(0x4000)
#define EFI_MEMORY_NV			UINT64_C(0x8000)
#define EFI_MEMORY_MORE_RELIABLE	UINT64_C(0x10000)
#define EFI_MEMORY_RO			UINT64_C(0x20000)
#define EFI_MEMORY_SP			UINT64_C(0x40000)
#define EFI_MEMORY_CPU_CRYPTO		UINT64_C(0x80000)
#define EFI_MEMORY_RUNTIME		UINT64_C(0x8000000000000000)

#define EFI_MEMORY_DESCRIPTOR_VERSION	1
#define EFI_PAGE_SHIFT			12

/* The most descriptors Cairn reads from one map; more are ignored (fw009). */
#define EFI_MEMMAP_MAX_DESCS		1024

/* EFI_MEMORY_DESCRIPTOR: 40 bytes; firmware may hand larger ones. */
struct efi_memory_desc {
	uint32_t type;
	uint32_t pad;
	uint64_t phys_addr;
	uint64_t virt_addr;
	uint64_t num_pages;
	uint64_t attribute;
};

_Static_assert(sizeof(struct efi_memory_desc) == 40, "EFI_MEMORY_DESCRIPTOR");

/**
 * efi_memmap_scan() - add a UEFI memory map to memblock
 * @map: the descriptors (mapped)
 * @map_size: bytes in @map
 * @desc_size: bytes per descriptor, as GetMemoryMap() reported
 * @desc_version: descriptor version, as GetMemoryMap() reported
 *
 * Called after ExitBootServices(): boot services memory is usable. The
 * conversion table is in docs/firmware.md. Return: 0, -EINVAL if the map
 * is unusable as a whole, -ENOMEM if memblock is full.
 */
int efi_memmap_scan(const void *map, uint64_t map_size, uint32_t desc_size,
		    uint32_t desc_version);
