// SPDX-License-Identifier: BSD-2-Clause
/*
 * e820 memory tables -> memblock (drivers/firmware/e820.c). The table comes
 * from the PVH start_info or the Linux boot protocol's boot_params (and its
 * SETUP_E820_EXT setup_data), unsorted and overlapping as firmware makes it:
 * e820_sanitize() sorts it, resolves overlaps by type precedence and merges
 * neighbours before anything reaches memblock. Entries are untrusted.
 */
#pragma once

#include <cairn/boot.h>
#include <cairn/types.h>

/* Types [ACPI 6.5 §15, Linux e820 types]. */
#define E820_TYPE_RAM		1
#define E820_TYPE_RESERVED	2
#define E820_TYPE_ACPI		3	/* ACPI reclaimable */
#define E820_TYPE_NVS		4	/* ACPI NVS */
#define E820_TYPE_UNUSABLE	5
#define E820_TYPE_PMEM		7	/* persistent memory */
#define E820_TYPE_PRAM		12	/* legacy persistent memory */
#define E820_TYPE_SOFT_RESERVED	0xefffffff

/* The most entries Cairn handles in one table (boot_params holds 128). */
#define E820_MAX_ENTRIES	1024

/* One entry, unpacked, whatever the input's layout was. */
struct e820_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
	uint32_t index;		/* position in the firmware's table */
};

/**
 * e820_sanitize() - make a table sorted, disjoint and merged
 * @map: the entries, rewritten in place
 * @nr: in: entries in @map; out: entries after sanitising
 * @max: capacity of @map (overlaps can split an entry in three)
 *
 * Zero-size entries are dropped and wrapping ones clamped to the top of
 * the address space (with a diagnostic each), overlaps are resolved by the
 * precedence in docs/firmware.md, neighbours of the same type are merged.
 * Return: 0, -EINVAL without @map or @nr, or -ENOSPC if @max is too small
 * (then @map and @nr are unchanged).
 */
int e820_sanitize(struct e820_entry *map, uint32_t *nr, uint32_t max);

/**
 * e820_scan() - add an e820 table to memblock
 * @table: the table as handed over (physical memory, already mapped)
 * @entries: entry count as handed over
 * @format: BOOT_E820_PVH (24-byte entries) or BOOT_E820_BOOT_PARAMS (20)
 *
 * Sanitises a copy, then adds RAM to memblock.memory and reserves the rest
 * as docs/firmware.md says, logging provenance and diagnostics.
 * Return: 0, -EINVAL if the table is unusable, -ENOMEM if memblock is full.
 */
int e820_scan(const void *table, uint32_t entries, enum boot_e820_format format);

/* The same for entries already unpacked (the host tool, tests). */
int e820_scan_entries(const struct e820_entry *map, uint32_t entries);
