// SPDX-License-Identifier: BSD-2-Clause
/*
 * The firmware memory maps Linux prints at boot, read back into tables
 * (tools/memmap_text.c), because a boot log is how people share them:
 *
 *   BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable
 *   efi: mem00: [Conventional|   |  |  |  |  |  |  |  |  |   |WB|WT|WC|UC] range=[0x0000000000000000-0x000000000009ffff] (0MB)
 *
 * Pure functions from a text buffer to struct e820_entry / struct
 * efi_memory_desc: no I/O, no allocation, no global state. The text is
 * untrusted: every line is bounded (MEMMAP_TEXT_LINE_MAX), every number is
 * checked for overflow, and a line that looks like a map line but does not
 * parse is reported through a callback with its line number and skipped.
 * Lines without the marker (the rest of a boot log) are ignored silently.
 * What is accepted exactly is in docs/firmware.md, "cairn-memmap".
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cairn/e820.h>
#include <cairn/efi.h>

/* Longest line read; longer ones are skipped (reported if they are map lines). */
#define MEMMAP_TEXT_LINE_MAX	512

/*
 * EFI_MEMORY_HOT_PLUGGABLE [uefi 2.11 §7.2.3], printed as "HP" by Linux
 * 6.14 and later; <cairn/efi.h> stops at UEFI 2.10.
 */
#define MEMMAP_EFI_MEMORY_HP	UINT64_C(0x100000)

/* What a parse saw. */
struct memmap_text_stats {
	uint32_t lines;		/* lines in the buffer */
	uint32_t candidates;	/* lines carrying the marker */
	uint32_t entries;	/* entries written to the output */
	uint32_t bad;		/* candidate lines refused, each reported */
	uint32_t excess;	/* good lines that found the output full */
};

/*
 * Called for every candidate line that is not used: @line counts from 1,
 * @why is a static string without a newline. May be NULL.
 */
typedef void (*memmap_text_report_fn)(void *ctx, uint32_t line,
				      const char *why);

/**
 * memmap_text_e820() - read the "BIOS-e820:" lines of a boot log
 * @text: the log; need not be NUL-terminated, may hold any bytes
 * @len: bytes in @text
 * @out: entries, in the order of the log; index is the line's position
 *	among the BIOS-e820 lines (bad ones included)
 * @max: capacity of @out
 * @st: out: counts (may be NULL)
 * @report: called for each refused line (may be NULL)
 * @ctx: passed to @report
 *
 * Accepts "BIOS-e820: [mem 0xSTART-0xEND] TYPE" (END inclusive; TYPE as
 * Linux prints it: usable, reserved, ACPI data, ACPI NVS, unusable,
 * persistent (type N), soft reserved, type N) and the pre-3.7 form
 * "BIOS-e820: START - END (TYPE)" (END exclusive), with any prefix before
 * the marker (printk timestamp, syslog fields).
 * Return: the number of entries written to @out.
 */
uint32_t memmap_text_e820(const char *text, size_t len,
			  struct e820_entry *out, uint32_t max,
			  struct memmap_text_stats *st,
			  memmap_text_report_fn report, void *ctx);

/**
 * memmap_text_efi() - read the EFI memory map lines of a boot log
 * @text, @len, @st, @report, @ctx: as for memmap_text_e820()
 * @out: descriptors (virt_addr 0), in the order of the log
 * @max: capacity of @out
 *
 * Accepts the x86 form "efi: memNN: [TYPE|ATTRS] range=[0xSTART-0xEND]
 * (NMB)" and the arm64/riscv64 efi=debug form "efi:   0xSTART-0xEND
 * [TYPE|ATTRS]" (a trailing '*' allowed). TYPE is any name Linux has
 * printed ("Conventional", older "Conventional Memory", "type=N"); ATTRS
 * is either the columns (RUN, HP, MR, CC, SP, NV, XP, RP, WP, RO, UCE,
 * WB, WT, WC, UC, in any order and number) or "attr=0x...". The range
 * must be whole 4 KiB pages.
 * Return: the number of descriptors written to @out.
 */
uint32_t memmap_text_efi(const char *text, size_t len,
			 struct efi_memory_desc *out, uint32_t max,
			 struct memmap_text_stats *st,
			 memmap_text_report_fn report, void *ctx);

/**
 * memmap_is_text() - the rule cairn-memmap uses to tell text from a table
 * @buf, @len: the file
 *
 * Binary tables hold NUL bytes in their first entry (high address bytes,
 * small type numbers, padding); text never does. Return: true if the
 * first 4096 bytes hold no NUL byte and @len is not 0.
 */
bool memmap_is_text(const void *buf, size_t len);
