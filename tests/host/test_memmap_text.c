// SPDX-License-Identifier: BSD-2-Clause
/*
 * The text parsers of cairn-memmap (tools/memmap_text.c) on boot-log
 * excerpts as Linux prints them: QEMU q35 with SeaBIOS at 512 MiB and
 * 4 GiB, OVMF's EFI map (x86 "efi: memNN:" form), EDK2 on arm64 virt
 * ("efi:   0x...-0x... [...]" form), and the hostile cases: garbage,
 * overlong lines, numbers that overflow, reversed ranges, NUL bytes.
 */
#include <stdio.h>
#include <string.h>

#include <cairn/e820.h>
#include <cairn/efi.h>

#include "../../tools/memmap_text.h"
#include "tap.h"

/* What the report callback saw. */
struct seen {
	uint32_t n;
	uint32_t line[16];
	const char *why[16];
};

static void record(void *ctx, uint32_t line, const char *why)
{
	struct seen *s = ctx;

	if (s->n < ARRAY_SIZE(s->line)) {
		s->line[s->n] = line;
		s->why[s->n] = why;
	}
	s->n++;
}

static uint32_t e820(const char *text, struct e820_entry *out, uint32_t max,
		     struct memmap_text_stats *st, struct seen *seen)
{
	memset(seen, 0, sizeof(*seen));
	return memmap_text_e820(text, strlen(text), out, max, st, record, seen);
}

static uint32_t efi(const char *text, struct efi_memory_desc *out,
		    uint32_t max, struct memmap_text_stats *st,
		    struct seen *seen)
{
	memset(seen, 0, sizeof(*seen));
	return memmap_text_efi(text, strlen(text), out, max, st, record, seen);
}

#define CHECK_E820(e, a, s, t)						\
	do {								\
		CHECK_EQ((e).addr, (a));				\
		CHECK_EQ((e).size, (s));				\
		CHECK_EQ((e).type, (t));				\
	} while (0)

/*
 * QEMU 7.2 q35, SeaBIOS, -m 512: RAM below the EBDA, the BIOS area,
 * RAM up to SeaBIOS's tables, MMCONFIG and the chipset ranges.
 *
 *   0 ----- 9fc00 | f0000-100000 | 100000 ------- 1ffe0000 | ... 4G
 *     usable         reserved       usable          reserved
 */
static const char q35_512m[] =
	"[    0.000000] Linux version 6.1.0-18-amd64 (debian-kernel@lists.debian.org)\n"
	"[    0.000000] Command line: console=ttyS0 earlyprintk=serial\n"
	"[    0.000000] BIOS-provided physical RAM map:\n"
	"[    0.000000] BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable\n"
	"[    0.000000] BIOS-e820: [mem 0x000000000009fc00-0x000000000009ffff] reserved\n"
	"[    0.000000] BIOS-e820: [mem 0x00000000000f0000-0x00000000000fffff] reserved\n"
	"[    0.000000] BIOS-e820: [mem 0x0000000000100000-0x000000001ffdffff] usable\n"
	"[    0.000000] BIOS-e820: [mem 0x000000001ffe0000-0x000000001fffffff] reserved\n"
	"[    0.000000] BIOS-e820: [mem 0x00000000b0000000-0x00000000bfffffff] reserved\n"
	"[    0.000000] BIOS-e820: [mem 0x00000000fed1c000-0x00000000fed1ffff] reserved\n"
	"[    0.000000] BIOS-e820: [mem 0x00000000feffc000-0x00000000feffffff] reserved\n"
	"[    0.000000] BIOS-e820: [mem 0x00000000fffc0000-0x00000000ffffffff] reserved\n"
	"[    0.000000] NX (Execute Disable) protection: active\n"
	"[    0.000000] e820: update [mem 0x00000000-0x00000fff] usable ==> reserved\n"
	"[    0.000000] e820: remove [mem 0x000a0000-0x000fffff] usable\n";

static void test_e820_q35_512m(void)
{
	struct e820_entry e[16];
	struct memmap_text_stats st;
	struct seen seen;

	CHECK_EQ(e820(q35_512m, e, 16, &st, &seen), 9);
	CHECK_EQ(st.lines, 15);
	CHECK_EQ(st.candidates, 9);
	CHECK_EQ(st.entries, 9);
	CHECK_EQ(st.bad, 0);
	CHECK_EQ(seen.n, 0);
	CHECK_E820(e[0], 0, 0x9fc00, E820_TYPE_RAM);
	CHECK_E820(e[1], 0x9fc00, 0x400, E820_TYPE_RESERVED);
	CHECK_E820(e[3], 0x100000, 0x1fee0000, E820_TYPE_RAM);
	CHECK_E820(e[5], 0xb0000000, 0x10000000, E820_TYPE_RESERVED);
	CHECK_E820(e[8], 0xfffc0000, 0x40000, E820_TYPE_RESERVED);
	CHECK_EQ(e[8].index, 8);
}

/*
 * The same machine with -m 4G: q35 puts 2 GiB below the PCI hole and the
 * rest above 4 GiB; QEMU 7.1+ reserves the HyperTransport range below
 * 1 TiB. Without timestamps, as `dmesg -t` prints it.
 */
static const char q35_4g[] =
	"BIOS-provided physical RAM map:\n"
	"BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable\n"
	"BIOS-e820: [mem 0x000000000009fc00-0x000000000009ffff] reserved\n"
	"BIOS-e820: [mem 0x00000000000f0000-0x00000000000fffff] reserved\n"
	"BIOS-e820: [mem 0x0000000000100000-0x000000007ffdffff] usable\n"
	"BIOS-e820: [mem 0x000000007ffe0000-0x000000007fffffff] reserved\n"
	"BIOS-e820: [mem 0x00000000b0000000-0x00000000bfffffff] reserved\n"
	"BIOS-e820: [mem 0x00000000fed1c000-0x00000000fed1ffff] reserved\n"
	"BIOS-e820: [mem 0x00000000feffc000-0x00000000feffffff] reserved\n"
	"BIOS-e820: [mem 0x00000000fffc0000-0x00000000ffffffff] reserved\n"
	"BIOS-e820: [mem 0x0000000100000000-0x000000017fffffff] usable\n"
	"BIOS-e820: [mem 0x000000fd00000000-0x000000ffffffffff] reserved";

static void test_e820_q35_4g(void)
{
	struct e820_entry e[16];
	struct memmap_text_stats st;
	struct seen seen;

	/* No newline after the last line: it still counts. */
	CHECK_EQ(e820(q35_4g, e, 16, &st, &seen), 11);
	CHECK_EQ(st.lines, 12);
	CHECK_EQ(seen.n, 0);
	CHECK_E820(e[3], 0x100000, 0x7fee0000, E820_TYPE_RAM);
	CHECK_E820(e[9], 0x100000000, 0x80000000, E820_TYPE_RAM);
	CHECK_E820(e[10], 0xfd00000000, 0x300000000, E820_TYPE_RESERVED);
}

/* Every type word Linux prints, with timestamps, a syslog prefix, CRLF. */
static void test_e820_type_words(void)
{
	static const char text[] =
		"[    0.000000] BIOS-e820: [mem 0x0000000000000000-0x0000000000000fff] usable\n"
		"[    0.000000] BIOS-e820: [mem 0x0000000000001000-0x0000000000001fff] reserved\r\n"
		"Jan 02 03:04:05 host kernel: BIOS-e820: [mem 0x0000000000002000-0x0000000000002fff] ACPI data\n"
		"<6>[    0.000000] BIOS-e820: [mem 0x0000000000003000-0x0000000000003fff] ACPI NVS\n"
		"BIOS-e820: [mem 0x0000000000004000-0x0000000000004fff] unusable   \n"
		"BIOS-e820: [mem 0x0000000000005000-0x0000000000005fff] persistent (type 7)\n"
		"BIOS-e820: [mem 0x0000000000006000-0x0000000000006fff] persistent (type 12)\n"
		"BIOS-e820: [mem 0x0000000000007000-0x0000000000007fff] soft reserved\n"
		"BIOS-e820: [mem 0x0000000000008000-0x0000000000008fff] type 20\n"
		"BIOS-e820: [mem 0x0000000000009000-0x0000000000009fff] type 4294967295\n";
	static const uint32_t types[] = {
		E820_TYPE_RAM, E820_TYPE_RESERVED, E820_TYPE_ACPI,
		E820_TYPE_NVS, E820_TYPE_UNUSABLE, E820_TYPE_PMEM,
		E820_TYPE_PRAM, E820_TYPE_SOFT_RESERVED, 20, UINT32_MAX,
	};
	struct e820_entry e[16];
	struct memmap_text_stats st;
	struct seen seen;

	CHECK_EQ(e820(text, e, 16, &st, &seen), ARRAY_SIZE(types));
	CHECK_EQ(seen.n, 0);
	for (uint32_t i = 0; i < ARRAY_SIZE(types); i++) {
		CHECK_E820(e[i], i * 0x1000, 0x1000, types[i]);
	}
}

/* Before Linux 3.7: bare hex, exclusive end, type in parentheses. */
static void test_e820_legacy(void)
{
	static const char text[] =
		"[    0.000000] BIOS-provided physical RAM map:\n"
		"[    0.000000]  BIOS-e820: 0000000000000000 - 000000000009fc00 (usable)\n"
		"[    0.000000]  BIOS-e820: 00000000000f0000 - 0000000000100000 (reserved)\n"
		"[    0.000000]  BIOS-e820: 0000000000100000 - 000000001fffd000 (usable)\n"
		"[    0.000000]  BIOS-e820: 00000000fffc0000 - 0000000100000000 (reserved)\n"
		"[    0.000000]  BIOS-e820: 0000000100000000 - 0000000100001000 type 9\n";
	struct e820_entry e[8];
	struct memmap_text_stats st;
	struct seen seen;

	CHECK_EQ(e820(text, e, 8, &st, &seen), 5);
	CHECK_EQ(seen.n, 0);
	CHECK_E820(e[0], 0, 0x9fc00, E820_TYPE_RAM);
	CHECK_E820(e[2], 0x100000, 0x1fefd000, E820_TYPE_RAM);
	CHECK_E820(e[3], 0xfffc0000, 0x40000, E820_TYPE_RESERVED);
	CHECK_E820(e[4], 0x100000000, 0x1000, 9);
}

/*
 * Lines with the marker that do not parse are reported with their number
 * and skipped; the good ones around them still count, and keep their
 * position in the table (index).
 */
static void test_e820_bad_lines(void)
{
	static const char text[] =
		"garbage \x01\x02\xff and more garbage\n"			/* 1: ignored */
		"BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable\n" /* 2 */
		"BIOS-e820: [mem 0x0000000000100000-0x00000000000fffff] usable\n" /* 3: reversed */
		"BIOS-e820: [mem 0x10000000000000000-0x20000000000000000] usable\n" /* 4: > 64 bits */
		"BIOS-e820: [mem 0x0000000000000000-0xffffffffffffffff] reserved\n" /* 5: 2^64 */
		"BIOS-e820: [mem 0x0000000000100000-0x000000001ffdffff] usable-ish\n" /* 6 */
		"BIOS-e820: [mem 0x0000000000100000-0x000000001ffdffff] type 4294967296\n" /* 7 */
		"BIOS-e820: [mem 0x0000000000100000 0x000000001ffdffff] usable\n" /* 8 */
		"BIOS-e820:\n"							/* 9 */
		"BIOS-e820: [mem 0x0000000000100000-0x000000001ffdffff]usable\n" /* 10 */
		"BIOS-e820: [mem 0x0000000000100000-0x000000001ffdffff] persistent (type 7\n" /* 11 */
		"BIOS-e820: [mem 0x0000000000100000-0x000000001ffdffff] usable\n"; /* 12 */
	static const uint32_t bad[] = { 3, 4, 5, 6, 7, 8, 9, 10, 11 };
	struct e820_entry e[8];
	struct memmap_text_stats st;
	struct seen seen;

	CHECK_EQ(e820(text, e, 8, &st, &seen), 2);
	CHECK_EQ(st.candidates, 11);
	CHECK_EQ(st.bad, ARRAY_SIZE(bad));
	CHECK_EQ(seen.n, ARRAY_SIZE(bad));
	for (uint32_t i = 0; i < ARRAY_SIZE(bad) && i < seen.n; i++) {
		CHECK_EQ(seen.line[i], bad[i]);
		CHECK(seen.why[i] != NULL && seen.why[i][0] != '\0');
	}
	CHECK(strstr(seen.why[0], "below") != NULL);
	CHECK(strstr(seen.why[1], "64 bits") != NULL);
	CHECK_E820(e[0], 0, 0x9fc00, E820_TYPE_RAM);
	CHECK_E820(e[1], 0x100000, 0x1fee0000, E820_TYPE_RAM);
	CHECK_EQ(e[1].index, 10);
}

/*
 * A map line longer than MEMMAP_TEXT_LINE_MAX is refused whole; a long
 * line without the marker (a kernel command line) is not a problem.
 */
static void test_e820_overlong(void)
{
	static char text[4096];
	struct e820_entry e[4];
	struct memmap_text_stats st;
	struct seen seen;
	size_t n = 0;

	memset(text, 0, sizeof(text));
	n += (size_t)snprintf(text + n, sizeof(text) - n, "Command line:");
	memset(text + n, 'x', 1000);
	n += 1000;
	text[n++] = '\n';
	n += (size_t)snprintf(text + n, sizeof(text) - n,
			      "BIOS-e820: [mem 0x0000000000000000-0x0000000000000fff] usable");
	memset(text + n, ' ', 600);
	n += 600;
	text[n++] = '\n';
	n += (size_t)snprintf(text + n, sizeof(text) - n,
			      "BIOS-e820: [mem 0x0000000000001000-0x0000000000001fff] usable\n");
	CHECK_EQ(e820(text, e, 4, &st, &seen), 1);
	CHECK_EQ(st.lines, 3);
	CHECK_EQ(seen.n, 1);
	CHECK_EQ(seen.line[0], 2);
	CHECK_E820(e[0], 0x1000, 0x1000, E820_TYPE_RAM);
}

/* NUL bytes do not end the buffer, and nothing is read past @len. */
static void test_e820_nul_and_length(void)
{
	static const char text[] =
		"BIOS-e820: [mem 0x0000000000000000-0x0000000000000fff] usable\n"
		"BIOS-e820: [mem 0x0000000000001000-0x0000000000001fff] us\0ble\n"
		"BIOS-e820: [mem 0x0000000000002000-0x0000000000002fff] usable\n";
	struct e820_entry e[4];
	struct memmap_text_stats st;
	struct seen seen = { 0 };
	size_t len = sizeof(text) - 1;

	CHECK_EQ(memmap_text_e820(text, len, e, 4, &st, record, &seen), 2);
	CHECK_EQ(seen.n, 1);
	CHECK_EQ(seen.line[0], 2);
	CHECK_EQ(e[1].addr, 0x2000);
	/* Cut in the middle of the third line's type: "usa" is no type. */
	memset(&seen, 0, sizeof(seen));
	CHECK_EQ(memmap_text_e820(text, len - 4, e, 4, &st, record, &seen), 1);
	CHECK_EQ(seen.n, 2);
	/* Nothing at all. */
	CHECK_EQ(memmap_text_e820(NULL, 0, e, 4, &st, NULL, NULL), 0);
	CHECK_EQ(st.lines, 0);
}

/* A full output keeps the first entries and reports the rest. */
static void test_e820_capacity(void)
{
	struct e820_entry e[3];
	struct memmap_text_stats st;
	struct seen seen;

	CHECK_EQ(e820(q35_512m, e, 3, &st, &seen), 3);
	CHECK_EQ(st.excess, 6);
	CHECK_EQ(st.bad, 0);
	CHECK_EQ(seen.n, 6);
	CHECK_E820(e[2], 0xf0000, 0x10000, E820_TYPE_RESERVED);
	CHECK_EQ(e820(q35_512m, e, 0, &st, &seen), 0);
	CHECK_EQ(st.excess, 9);
}

/*
 * OVMF (edk2-stable202302) on q35 -m 512, Linux 6.1 with efi=debug.
 *
 *   0 BootCode 1000 Conv a0000 ... 100000 Conv 800000 NVS ... e0000000 Res
 */
static const char ovmf[] =
	"[    0.000000] efi: EFI v2.70 by EDK II\n"
	"[    0.000000] efi: SMBIOS=0x1f9b8000 ACPI=0x1fb7e000 ACPI 2.0=0x1fb7e014 MEMATTR=0x1e6c5018\n"
	"[    0.000000] efi: mem00: [Boot Code   |   |  |  |  |  |  |  |  |  |   |WB|WT|WC|UC] range=[0x0000000000000000-0x0000000000000fff] (0MB)\n"
	"[    0.000000] efi: mem01: [Conventional|   |  |  |  |  |  |  |  |  |   |WB|WT|WC|UC] range=[0x0000000000001000-0x000000000009ffff] (0MB)\n"
	"[    0.000000] efi: mem02: [Conventional|   |  |  |  |  |  |  |  |  |   |WB|WT|WC|UC] range=[0x0000000000100000-0x00000000007fffff] (7MB)\n"
	"[    0.000000] efi: mem03: [ACPI Mem NVS|   |  |  |  |  |  |  |  |  |   |WB|WT|WC|UC] range=[0x0000000000800000-0x0000000000807fff] (0MB)\n"
	"[    0.000000] efi: mem04: [Conventional|   |  |  |  |  |  |  |  |  |   |WB|WT|WC|UC] range=[0x0000000000808000-0x000000000080ffff] (0MB)\n"
	"[    0.000000] efi: mem05: [ACPI Mem NVS|   |  |  |  |  |  |  |  |  |   |WB|WT|WC|UC] range=[0x0000000000810000-0x00000000008fffff] (0MB)\n"
	"[    0.000000] efi: mem06: [Boot Data   |   |  |  |  |  |  |  |  |  |   |WB|WT|WC|UC] range=[0x0000000000900000-0x00000000009fffff] (1MB)\n"
	"[    0.000000] efi: mem07: [Conventional|   |  |  |  |  |  |  |  |  |   |WB|WT|WC|UC] range=[0x0000000000a00000-0x000000001b1a0fff] (423MB)\n"
	"[    0.000000] efi: mem08: [Loader Data |   |  |  |  |  |  |  |  |  |   |WB|WT|WC|UC] range=[0x000000001b1a1000-0x000000001c5fcfff] (20MB)\n"
	"[    0.000000] efi: mem09: [Loader Code |   |  |  |  |  |  |  |  |  |   |WB|WT|WC|UC] range=[0x000000001c5fd000-0x000000001c71bfff] (1MB)\n"
	"[    0.000000] efi: mem10: [Runtime Data|RUN|  |  |  |  |  |  |  |  |   |WB|WT|WC|UC] range=[0x000000001fb9b000-0x000000001fbcefff] (0MB)\n"
	"[    0.000000] efi: mem11: [Runtime Code|RUN|  |  |  |  |  |  |  |  |   |WB|WT|WC|UC] range=[0x000000001fbcf000-0x000000001fbfefff] (0MB)\n"
	"[    0.000000] efi: mem12: [ACPI Reclaim|   |  |  |  |  |  |  |  |  |   |WB|WT|WC|UC] range=[0x000000001fbff000-0x000000001fbfffff] (0MB)\n"
	"[    0.000000] efi: mem13: [Reserved    |   |  |  |  |  |  |  |  |  |   |  |  |  |UC] range=[0x00000000e0000000-0x00000000efffffff] (256MB)\n"
	"[    0.000000] efi: mem14: [MMIO        |RUN|  |  |  |  |  |  |  |  |   |  |  |  |UC] range=[0x00000000ffc00000-0x00000000ffffffff] (4MB)\n"
	"[    0.000000] efi: Remove mem14: MMIO range=[0xffc00000-0xffffffff] (4MB) from e820 map\n";

#define WB_WT_WC_UC	(EFI_MEMORY_WB | EFI_MEMORY_WT | EFI_MEMORY_WC | \
			 EFI_MEMORY_UC)

static void test_efi_ovmf(void)
{
	struct efi_memory_desc d[32];
	struct memmap_text_stats st;
	struct seen seen;

	CHECK_EQ(efi(ovmf, d, 32, &st, &seen), 15);
	CHECK_EQ(st.candidates, 15);
	CHECK_EQ(seen.n, 0);
	CHECK_EQ(d[0].type, EFI_BOOT_SERVICES_CODE);
	CHECK_EQ(d[0].phys_addr, 0);
	CHECK_EQ(d[0].num_pages, 1);
	CHECK_EQ(d[0].attribute, WB_WT_WC_UC);
	CHECK_EQ(d[1].type, EFI_CONVENTIONAL_MEMORY);
	CHECK_EQ(d[1].num_pages, 0x9f);
	CHECK_EQ(d[3].type, EFI_ACPI_MEMORY_NVS);
	CHECK_EQ(d[6].type, EFI_BOOT_SERVICES_DATA);
	CHECK_EQ(d[7].num_pages, 0x1a7a1);
	CHECK_EQ(d[8].type, EFI_LOADER_DATA);
	CHECK_EQ(d[9].type, EFI_LOADER_CODE);
	CHECK_EQ(d[10].type, EFI_RUNTIME_SERVICES_DATA);
	CHECK_EQ(d[10].attribute, EFI_MEMORY_RUNTIME | WB_WT_WC_UC);
	CHECK_EQ(d[11].type, EFI_RUNTIME_SERVICES_CODE);
	CHECK_EQ(d[12].type, EFI_ACPI_RECLAIM_MEMORY);
	CHECK_EQ(d[13].type, EFI_RESERVED_MEMORY);
	CHECK_EQ(d[13].attribute, EFI_MEMORY_UC);
	CHECK_EQ(d[14].type, EFI_MEMORY_MAPPED_IO);
	CHECK_EQ(d[14].phys_addr, 0xffc00000);
	CHECK_EQ(d[14].num_pages, 0x400);
	CHECK_EQ(d[14].attribute, EFI_MEMORY_RUNTIME | EFI_MEMORY_UC);
	CHECK_EQ(d[14].virt_addr, 0);
}

/*
 * EDK2 on arm64 virt with efi=debug: the flash bank is runtime MMIO with
 * only WC; '*' marks what Linux reserved.
 */
static void test_efi_arm64_form(void)
{
	static const char text[] =
		"[    0.000000] efi: Processing EFI memory map:\n"
		"[    0.000000] efi:   0x000004000000-0x000007ffffff [MMIO        |RUN|  |  |  |  |  |  |  |  |   |  |  |WC|  ]\n"
		"[    0.000000] efi:   0x000040000000-0x0000403fffff [Conventional|   |  |  |  |  |  |  |  |  |   |WB|WT|WC|UC]\n"
		"[    0.000000] efi:   0x00007c000000-0x00007c0fffff [Runtime Data|RUN|  |  |  |  |  |  |  |  |   |WB|WT|WC|UC]*\n"
		"[    0.000000] efi:   0x0000bfe00000-0x0000bfffffff [Persistent  |   |  |  |SP|  |  |  |  |  |   |WB|WT|WC|UC]\n";
	struct efi_memory_desc d[8];
	struct memmap_text_stats st;
	struct seen seen;

	CHECK_EQ(efi(text, d, 8, &st, &seen), 4);
	CHECK_EQ(seen.n, 0);
	CHECK_EQ(d[0].type, EFI_MEMORY_MAPPED_IO);
	CHECK_EQ(d[0].phys_addr, 0x4000000);
	CHECK_EQ(d[0].num_pages, 0x4000);
	CHECK_EQ(d[0].attribute, EFI_MEMORY_RUNTIME | EFI_MEMORY_WC);
	CHECK_EQ(d[1].type, EFI_CONVENTIONAL_MEMORY);
	CHECK_EQ(d[1].num_pages, 0x400);
	CHECK_EQ(d[2].type, EFI_RUNTIME_SERVICES_DATA);
	CHECK_EQ(d[2].num_pages, 0x100);
	CHECK_EQ(d[3].type, EFI_PERSISTENT_MEMORY);
	CHECK_EQ(d[3].attribute, EFI_MEMORY_SP | WB_WT_WC_UC);
}

/*
 * Older and newer layouts: the long names and 12 columns of Linux 4.x,
 * the HP column of 6.14, "attr=0x..." for bits without a column, and
 * "type=N" for types without a name (cut short by Linux's 64-byte buffer
 * when N has ten digits: no ']').
 */
static void test_efi_layouts(void)
{
	static const char text[] =
		"efi: mem00: [Conventional Memory|   |  |  |  |  |  |   |WB|WT|WC|UC] range=[0x0000000000000000-0x000000000009ffff] (0MB)\n"
		"efi: mem01: [ACPI Memory NVS|   |  |  |  |  |  |   |WB|WT|WC|UC] range=[0x0000000000100000-0x0000000000100fff] (0MB)\n"
		"efi: mem02: [Conventional|   |HP|MR|  |  |  |  |  |  |  |   |WB|WT|WC|UC] range=[0x0000000100000000-0x00000001ffffffff] (4096MB)\n"
		"efi: mem03: [Reserved    |attr=0x0000000000400008] range=[0x0000000000200000-0x0000000000200fff] (0MB)\n"
		"efi: mem04: [type=16|   |  |  |  |  |  |  |  |  |   |WB|WT|WC|UC] range=[0x0000000000300000-0x0000000000300fff] (0MB)\n"
		"efi: mem05: [type=4294967295|RUN|  |  |  |  |  |  |  |  |  |   |WB|WT|WC|UC range=[0x0000000000400000-0x0000000000400fff] (0MB)\n"
		"efi: mem06: [Unaccepted  |   |  |  |  |  |  |  |  |  |   |WB|WT|WC|UC] range=[0xfffffffffffff000-0xffffffffffffffff] (0MB)\n"
		"efi: mem07: [Reserved    |   |  |  |  |  |  |  |  |  |   |  |  |  |  ] range=[0x0000000000000000-0xffffffffffffffff] (17592186044415MB)\n";
	struct efi_memory_desc d[8];
	struct memmap_text_stats st;
	struct seen seen;

	CHECK_EQ(efi(text, d, 8, &st, &seen), 8);
	CHECK_EQ(seen.n, 0);
	CHECK_EQ(d[0].type, EFI_CONVENTIONAL_MEMORY);
	CHECK_EQ(d[0].num_pages, 0xa0);
	CHECK_EQ(d[1].type, EFI_ACPI_MEMORY_NVS);
	CHECK_EQ(d[2].attribute, MEMMAP_EFI_MEMORY_HP |
		 EFI_MEMORY_MORE_RELIABLE | WB_WT_WC_UC);
	CHECK_EQ(d[2].num_pages, 0x100000);
	CHECK_EQ(d[3].attribute, 0x400008);
	CHECK_EQ(d[4].type, 16);
	CHECK_EQ(d[5].type, UINT32_MAX);
	CHECK_EQ(d[5].attribute, EFI_MEMORY_RUNTIME | WB_WT_WC_UC);
	CHECK_EQ(d[6].type, EFI_UNACCEPTED_MEMORY);
	CHECK_EQ(d[6].num_pages, 1);
	/* All of the 64-bit space is 2^52 pages: representable, no wrap. */
	CHECK_EQ(d[7].phys_addr, 0);
	CHECK_EQ(d[7].num_pages, UINT64_C(1) << 52);
	CHECK_EQ(d[7].attribute, 0);
}

/* EFI lines that do not parse: reported by line number, skipped. */
static void test_efi_bad_lines(void)
{
	static const char text[] =
		"efi: mem00: [Conventional|   |  |  |  |  |  |  |  |  |   |WB|WT|WC|UC] range=[0x0000000000000000-0x000000000009ffff] (0MB)\n"
		"efi: mem01: [Conventionl |   |  |  |  |  |  |  |  |  |   |WB|WT|WC|UC] range=[0x0000000000100000-0x0000000000100fff] (0MB)\n"
		"efi: mem02: [Conventional|   |  |  |  |  |  |  |  |  |   |ZZ|WT|WC|UC] range=[0x0000000000100000-0x0000000000100fff] (0MB)\n"
		"efi: mem03: [Conventional|   |  |  |  |  |  |  |  |  |   |WB|WT|WC|UC] range=[0x0000000000100000-0x0000000000100ffe] (0MB)\n"
		"efi: mem04: [Conventional|   |  |  |  |  |  |  |  |  |   |WB|WT|WC|UC] range=[0x0000000000200000-0x00000000001fffff] (0MB)\n"
		"efi: mem05: [Conventional|   |  |  |  |  |  |  |  |  |   |WB|WT|WC|UC] range=[0x00000000000000000000-0x10000000000000fff] (0MB)\n"
		"efi: mem06: [Conventional] range=[0x0000000000100000-0x0000000000100fff] (0MB)\n"
		"efi: mem07: [Conventional|   |  |  |  |  |  |  |  |  |   |WB|WT|WC|UC] (0MB)\n"
		"efi: mem08: [Conventional|   |  |  |  |  |  |  |  |  |   |WB|WT|WC|UC] range=[0x0000000000100000-0x0000000000100fff] (0MB) junk\n"
		"efi: mem09: [type=99999999999|   |  |  |  |  |  |  |  |  |   |WB|WT|WC|UC] range=[0x0000000000100000-0x0000000000100fff] (0MB)\n"
		"efi: mem10: [Reserved    |attr=0x10000000000000000] range=[0x0000000000100000-0x0000000000100fff] (0MB)\n"
		"efi:   0x000040000000-0x0000403fffff Conventional\n"
		"efi:   0x000040000000-0x0000403fffff [Conventional|   |  |  |  |  |  |  |  |  |   |WB|WT|WC|UC] x\n"
		"efi: memory attributes table: none\n"
		"efi: mem13: [Conventional|   |  |  |  |  |  |  |  |  |   |WB|WT|WC|UC] range=[0x0000000000300000-0x0000000000300fff] (0MB)\n";
	struct efi_memory_desc d[8];
	struct memmap_text_stats st;
	struct seen seen;

	CHECK_EQ(efi(text, d, 8, &st, &seen), 2);
	CHECK_EQ(st.candidates, 14);
	CHECK_EQ(st.bad, 12);
	CHECK_EQ(seen.n, 12);
	for (uint32_t i = 0; i < 12 && i < seen.n; i++) {
		CHECK_EQ(seen.line[i], i + 2);
	}
	CHECK(strstr(seen.why[0], "type name") != NULL);
	CHECK(strstr(seen.why[1], "attribute") != NULL);
	CHECK(strstr(seen.why[2], "4 KiB") != NULL);
	CHECK(strstr(seen.why[3], "below") != NULL);
	CHECK(strstr(seen.why[4], "64 bits") != NULL);
	CHECK_EQ(d[1].phys_addr, 0x300000);
}

/* Text versus binary: the first 4 KiB hold a NUL byte or not. */
static void test_is_text(void)
{
	static const uint8_t pvh_entry[24] = { 0, 0, 0, 0, 0, 0, 0, 0,
					       0, 0xfc, 9, 0, 0, 0, 0, 0,
					       1, 0, 0, 0, 0, 0, 0, 0 };
	static char big[8192];

	CHECK(memmap_is_text(q35_512m, strlen(q35_512m)));
	CHECK(!memmap_is_text(pvh_entry, sizeof(pvh_entry)));
	CHECK(!memmap_is_text("", 0));
	memset(big, 'a', sizeof(big));
	big[5000] = '\0';
	CHECK(memmap_is_text(big, sizeof(big)));
	big[4095] = '\0';
	CHECK(!memmap_is_text(big, sizeof(big)));
}

int main(void)
{
	TEST(test_e820_q35_512m);
	TEST(test_e820_q35_4g);
	TEST(test_e820_type_words);
	TEST(test_e820_legacy);
	TEST(test_e820_bad_lines);
	TEST(test_e820_overlong);
	TEST(test_e820_nul_and_length);
	TEST(test_e820_capacity);
	TEST(test_efi_ovmf);
	TEST(test_efi_arm64_form);
	TEST(test_efi_layouts);
	TEST(test_efi_bad_lines);
	TEST(test_is_text);
	return tap_done();
}
