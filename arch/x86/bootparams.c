// SPDX-License-Identifier: BSD-2-Clause
/*
 * Linux/x86 boot protocol: record what struct boot_params (the "zero
 * page") hands over [Linux Documentation/arch/x86/boot.rst, zero-page.rst]
 * in struct boot_handoff. Its e820 table comes in two parts: up to 128
 * entries in the zero page (header.S's real-mode code asks the BIOS for
 * them on QEMU; other loaders fill them in) and any further ones in
 * SETUP_E820_EXT setup_data nodes. The generic converter takes one table,
 * so both are copied, in order, into one buffer inside the image (kept by
 * the kernel image's own reservation). Only the fields Cairn uses are
 * read, by offset; everything is untrusted, every pointer is checked
 * against the 4 GiB boot map, and the zero page, the command line and the
 * setup_data nodes are reserved.
 */
#include <string.h>

#include <cairn/arch.h>
#include <cairn/boot.h>
#include <cairn/e820.h>
#include <cairn/init.h>
#include <cairn/log.h>
#include <cairn/sections.h>

#include "x86.h"

/* boot_params offsets [zero-page.rst] beyond the e820 ones in asm.h. */
#define BP_ACPI_RSDP_ADDR	0x070	/* u64, protocol 2.14 */
#define BP_EXT_RAMDISK_IMAGE	0x0c0	/* u32: bits 63..32 */
#define BP_EXT_RAMDISK_SIZE	0x0c4
#define BP_EXT_CMD_LINE_PTR	0x0c8
#define BP_HDR_MAGIC		0x202	/* "HdrS" */
#define BP_HDR_VERSION		0x206	/* u16 */
#define BP_TYPE_OF_LOADER	0x210	/* u8 */
#define BP_RAMDISK_IMAGE	0x218	/* u32 */
#define BP_RAMDISK_SIZE		0x21c
#define BP_CMD_LINE_PTR		0x228
#define BP_SETUP_DATA		0x250	/* u64, protocol 2.09 */
#define BP_SIZE			4096

#define HDRS_MAGIC		0x53726448	/* "HdrS" */
#define E820_BP_ENTRY		20		/* packed u64 addr, size; u32 type */

/* setup_data [boot.rst "Details of header fields"]: a linked list. */
struct setup_data {
	uint64_t next;
	uint32_t type;
	uint32_t len;		/* of the payload that follows */
};

#define SETUP_E820_EXT		1
/* A loop or a runaway list stops here. */
#define SETUP_DATA_MAX		64

/* The whole e820 table for e820_scan(): zero page, then setup_data. */
static uint8_t e820_table[E820_MAX_ENTRIES * E820_BP_ENTRY];

/* What was seen, for x86_bootparams_log(). */
static struct {
	uint64_t pa;
	uint32_t magic;
	uint16_t version;
	uint8_t loader;
	uint32_t zero_page_entries;
	uint32_t ext_entries;
	uint32_t nodes;
	uint32_t clamped;	/* entries that did not fit */
	bool clobbered;		/* setup_data inside the image */
} seen __initdata;

static inline uint8_t bp_u8(const uint8_t *bp, uint32_t off)
{
	return bp[off];
}

static inline uint16_t bp_u16(const uint8_t *bp, uint32_t off)
{
	uint16_t v;

	memcpy(&v, bp + off, sizeof(v));
	return v;
}

static inline uint32_t bp_u32(const uint8_t *bp, uint32_t off)
{
	uint32_t v;

	memcpy(&v, bp + off, sizeof(v));
	return v;
}

static inline uint64_t bp_u64(const uint8_t *bp, uint32_t off)
{
	uint64_t v;

	memcpy(&v, bp + off, sizeof(v));
	return v;
}

/* Append @n packed entries to the table; count what does not fit. */
static uint32_t __init e820_append(uint32_t have, const uint8_t *src,
				   uint32_t n)
{
	uint32_t room = E820_MAX_ENTRIES - have;

	if (n > room) {
		seen.clamped += n - room;
		n = room;
	}
	memcpy(e820_table + (size_t)have * E820_BP_ENTRY, src,
	       (size_t)n * E820_BP_ENTRY);
	return have + n;
}

/* Whether [pa, pa + size) overlaps the image, which BSS clearing wiped. */
static bool __init in_image(uint64_t pa, uint64_t size)
{
	uint64_t start = arch_virt_to_phys(__image_start);
	uint64_t end = arch_virt_to_phys(__image_end);

	return pa < end && pa + size > start;
}

/*
 * Walk the setup_data list: reserve each node, append SETUP_E820_EXT
 * entries. Return: the new entry count.
 */
static uint32_t __init setup_data_scan(uint64_t pa, uint32_t entries)
{
	for (uint32_t i = 0; pa != 0; i++) {
		const struct setup_data *sd;

		if (i == SETUP_DATA_MAX ||
		    !x86_boot_readable(pa, sizeof(*sd))) {
			x86_boot_dropped++;
			break;
		}
		sd = arch_phys_to_virt(pa);
		if (!x86_boot_readable(pa, sizeof(*sd) + (uint64_t)sd->len)) {
			x86_boot_dropped++;
			break;
		}
		if (in_image(pa, sizeof(*sd) + (uint64_t)sd->len)) {
			seen.clobbered = true;
			break;
		}
		seen.nodes++;
		x86_boot_reserve(pa, sizeof(*sd) + (uint64_t)sd->len,
				 "linux setup_data");
		if (sd->type == SETUP_E820_EXT) {
			uint32_t n = sd->len / E820_BP_ENTRY;

			seen.ext_entries += n;
			entries = e820_append(entries, (const uint8_t *)(sd + 1),
					      n);
		}
		pa = sd->next;
	}
	return entries;
}

/**
 * x86_bootparams_record() - fill the hand-off record from boot_params
 * @bh: the record
 * @pa: physical address of struct boot_params (ESI/RSI at entry)
 *
 * A zero page without the "HdrS" header is ignored (logged later).
 */
void __init x86_bootparams_record(struct boot_handoff *bh, uint64_t pa)
{
	const uint8_t *bp;
	uint32_t entries, n;
	uint64_t cmdline, initrd, initrd_size;

	seen.pa = pa;
	if (!x86_boot_readable(pa, BP_SIZE)) {
		return;
	}
	bp = arch_phys_to_virt(pa);
	seen.magic = bp_u32(bp, BP_HDR_MAGIC);
	seen.version = bp_u16(bp, BP_HDR_VERSION);
	seen.loader = bp_u8(bp, BP_TYPE_OF_LOADER);
	if (seen.magic != HDRS_MAGIC) {
		return;
	}
	x86_boot_reserve(pa, BP_SIZE, "linux boot_params");

	n = bp_u8(bp, BZ_E820_ENTRIES);
	if (n > BZ_E820_MAX) {
		seen.clamped += n - BZ_E820_MAX;
		n = BZ_E820_MAX;
	}
	seen.zero_page_entries = n;
	entries = e820_append(0, bp + BZ_E820_TABLE, n);
	if (seen.version >= 0x0209) {
		entries = setup_data_scan(bp_u64(bp, BP_SETUP_DATA), entries);
	}
	if (entries != 0) {
		bh->e820 = arch_virt_to_phys(e820_table);
		bh->e820_entries = entries;
		bh->e820_format = BOOT_E820_BOOT_PARAMS;
	}

	cmdline = bp_u32(bp, BP_CMD_LINE_PTR) |
		  (uint64_t)bp_u32(bp, BP_EXT_CMD_LINE_PTR) << 32;
	if (cmdline != 0) {
		if (x86_boot_readable(cmdline, BZ_CMDLINE_MAX)) {
			bh->cmdline = cmdline;
			x86_boot_reserve(cmdline, x86_boot_cmdline_size(cmdline),
					 "linux cmdline");
		} else {
			x86_boot_dropped++;
		}
	}
	/* The generic code reserves the initrd. */
	initrd = bp_u32(bp, BP_RAMDISK_IMAGE) |
		 (uint64_t)bp_u32(bp, BP_EXT_RAMDISK_IMAGE) << 32;
	initrd_size = bp_u32(bp, BP_RAMDISK_SIZE) |
		      (uint64_t)bp_u32(bp, BP_EXT_RAMDISK_SIZE) << 32;
	if (initrd != 0 && initrd_size != 0) {
		bh->initrd = initrd;
		bh->initrd_size = initrd_size;
	}
	if (seen.version >= 0x020e) {
		bh->rsdp = bp_u64(bp, BP_ACPI_RSDP_ADDR);
	}
}

/**
 * x86_bootparams_log() - report what x86_bootparams_record() found
 * @bh: the record
 *
 * Called from arch_early_reserve(), once the console is up.
 */
void __init x86_bootparams_log(const struct boot_handoff *bh)
{
	if (seen.magic != HDRS_MAGIC) {
		pr_warn("linux: boot_params at %#llx has no HdrS header "
			"(%#x): ignored, booting without it\n",
			(unsigned long long)seen.pa, seen.magic);
		return;
	}
	pr_info("linux: boot_params at %#llx, protocol %#x, loader %#x, "
		"e820 %u + %u from %u setup_data, cmdline %#llx, rsdp %#llx, "
		"initrd %#llx+%#llx\n", (unsigned long long)seen.pa,
		seen.version, seen.loader, seen.zero_page_entries,
		seen.ext_entries, seen.nodes, (unsigned long long)bh->cmdline,
		(unsigned long long)bh->rsdp, (unsigned long long)bh->initrd,
		(unsigned long long)bh->initrd_size);
	if (seen.clamped != 0) {
		pr_warn("linux: %u e820 entries beyond E820_MAX_ENTRIES "
			"ignored\n", seen.clamped);
	}
	if (seen.clobbered) {
		pr_warn("linux: setup_data inside the kernel image (the loader "
			"ignored init_size): list ignored from there\n");
	}
}
