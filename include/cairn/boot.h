// SPDX-License-Identifier: BSD-2-Clause
/*
 * The boot hand-off record: the one neutral description of what the firmware
 * handed over. Each arch's entry code fills it in (and does nothing else with
 * firmware data), then calls start_kernel(). Generic code reads only this.
 *
 * Every address is physical. A field that a boot path does not provide is 0.
 * Nothing in it is trusted: the parsers in drivers/firmware/ validate what the
 * pointers lead to.
 */
#pragma once

#include <cairn/compiler.h>
#include <cairn/types.h>

/* Memory ranges that the arch entry code knows must stay untouched. */
#define BOOT_MAX_RESERVED	8

struct boot_range {
	uint64_t base;
	uint64_t size;
	const char *name;	/* static string: "spin-table", "page0", ... */
	uint32_t nomap;		/* 1: never map it either */
	uint32_t pad;
};

/* Format of the e820-style table, which differs per x86 boot protocol. */
enum boot_e820_format {
	BOOT_E820_NONE = 0,
	BOOT_E820_PVH,		/* hvm_memmap_table_entry: u64 addr, size; u32 type, rsvd */
	BOOT_E820_BOOT_PARAMS,	/* boot_params: packed u64 addr, size; u32 type */
};

struct boot_handoff {
	const char *boot_path;	/* how we got here: "image", "uefi", ... */
	uint64_t entry_ticks;	/* arch counter at the first instruction of C */
	uint64_t boot_cpu;	/* hart id, MPIDR affinity or APIC id */
	uint64_t image_base;	/* physical address the image runs at */

	/*
	 * Flattened device tree blob. start_kernel() runs fdt_blob_check()
	 * on it before any hook, and zeroes this field if it is refused.
	 */
	uint64_t fdt;

	uint64_t e820;		/* e820-style memory table */
	uint32_t e820_entries;
	uint32_t e820_format;	/* enum boot_e820_format */

	uint64_t efi_mmap;	/* UEFI memory map, descriptors of efi_desc_size */
	uint64_t efi_mmap_size;
	uint32_t efi_desc_size;
	uint32_t efi_desc_version;

	uint64_t cmdline;	/* NUL-terminated, where not in the DT */
	uint64_t rsdp;		/* ACPI root pointer */
	uint64_t initrd;
	uint64_t initrd_size;

	/*
	 * Seed bytes the UEFI stub read from EFI_RNG_PROTOCOL (0 of them
	 * elsewhere); init/random.c mixes them into the canary, then wipes.
	 */
	uint8_t rng_seed[32];
	uint32_t rng_seed_len;
	uint32_t pad2;

	uint32_t nr_reserved;
	uint32_t pad;
	struct boot_range reserved[BOOT_MAX_RESERVED];
};

_Static_assert(sizeof(struct boot_range) % 8 == 0, "boot_range packs");
_Static_assert(sizeof(struct boot_handoff) % 8 == 0, "boot_handoff packs");

/**
 * boot_handoff_reserve() - note a range the arch entry code knows is in use
 * @bh: the record being filled in
 * @base, @size: the range
 * @name: a static string naming the owner
 * @nomap: true if the range must not be mapped either
 *
 * Return: 0, or -ENOSPC once BOOT_MAX_RESERVED ranges are recorded.
 */
int boot_handoff_reserve(struct boot_handoff *bh, uint64_t base, uint64_t size,
			 const char *name, bool nomap);

/* The generic entry point: the arch entry code calls it once, boot CPU. */
__noreturn void start_kernel(struct boot_handoff *bh);
