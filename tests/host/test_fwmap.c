// SPDX-License-Identifier: BSD-2-Clause
/*
 * drivers/firmware/fwmap.c: the provenance log, the diagnostics with their
 * stable IDs, and fw_lint() over a memblock set up by hand. The console is
 * captured so that the exact diagnostic lines can be checked.
 */
#include <stdio.h>
#include <string.h>

#include <cairn/console.h>
#include <cairn/fwmap.h>
#include <cairn/memblock.h>

#include "tap.h"

static char out[8192];
static size_t out_len;

static void capture(const struct console *con, char c)
{
	(void)con;
	if (c != '\r' && out_len + 1 < sizeof(out)) {
		out[out_len++] = c;
		out[out_len] = '\0';
	}
}

static const struct console capture_console = {
	.name = "capture",
	.putc = capture,
};

static void reset(void)
{
	memblock_reset();
	fw_reset();
	out_len = 0;
	out[0] = '\0';
}

/* A record starts as given and says where it went once done. */
static void test_record_done(void)
{
	struct fw_record *r;

	reset();
	r = fw_record(FW_FMT_DT, "/memory@80000000", 1, 0, 0x80000000,
		      0x10000000);
	CHECK(r != NULL);
	CHECK_EQ(fw_log.cnt, 1);
	CHECK_EQ(r->fate, FW_KEPT);
	CHECK_EQ(r->target, FW_TO_NONE);
	fw_record_done(r, FW_TO_MEMORY, 0x80000000, 0x10000000, 0, 0, NULL);
	CHECK_EQ(r->fate, FW_KEPT);
	CHECK_EQ(r->target, FW_TO_MEMORY);
	CHECK(strcmp(r->origin, "/memory@80000000") == 0);
	CHECK_EQ(r->index, 1);
}

/*
 * A clipped range records what reached memblock:
 *
 *   given  [0x1000 ........................ 0x9000)
 *   kept        [0x2000 .......... 0x8000)
 */
static void test_record_clipped_and_find(void)
{
	struct fw_record *r;

	reset();
	r = fw_record(FW_FMT_E820, "e820", 3, 1, 0x1000, 0x8000);
	fw_record_done(r, FW_TO_MEMORY, 0x2000, 0x6000, 0, NUMA_NO_NODE,
		       "legacy hole");
	CHECK_EQ(r->fate, FW_CLIPPED);
	CHECK(fw_record_find(0x2000) == r);
	CHECK(fw_record_find(0x7fff) == r);
	CHECK(fw_record_find(0x1000) == NULL);	/* clipped away */
	CHECK(fw_record_find(0x8000) == NULL);
	r = fw_record(FW_FMT_E820, "e820", 4, 2, 0x3000, 0x1000);
	fw_record_drop(r, "duplicate");
	CHECK_EQ(r->fate, FW_DROPPED);
	CHECK(fw_record_find(0x3000) != r);	/* dropped: never found */
}

/* Origins longer than the field are cut short, NUL-terminated. */
static void test_record_long_origin(void)
{
	char path[200];
	struct fw_record *r;

	reset();
	memset(path, 'a', sizeof(path) - 1);
	path[sizeof(path) - 1] = '\0';
	r = fw_record(FW_FMT_DT, path, 0, 0, 0, 0x1000);
	CHECK_EQ(strlen(r->origin), FW_ORIGIN_LEN - 1);
}

/* Past FW_LOG_MAX records are counted as lost, with one diagnostic. */
static void test_log_full(void)
{
	reset();
	console_register(&capture_console);
	for (int i = 0; i < FW_LOG_MAX + 5; i++) {
		struct fw_record *r = fw_record(FW_FMT_EFI, "efi", (uint32_t)i,
						7, (phys_addr_t)i << 12, 0x1000);

		CHECK(i < FW_LOG_MAX ? r != NULL : r == NULL);
	}
	console_register(NULL);
	CHECK_EQ(fw_log.cnt, FW_LOG_MAX);
	CHECK_EQ(fw_log.lost, 5);
	CHECK_EQ(fw_diags.count[FWD_TABLE_OVERFLOW], 1);
	CHECK(strstr(out, "fw009 table-overflow") != NULL);
}

/* A diagnostic is one line with its stable ID, name, origin and range. */
static void test_diag_line(void)
{
	reset();
	console_register(&capture_console);
	fw_diag(FWD_FIRMWARE_WITHOUT_NOMAP, "/reserved-memory/mmode_resv0",
		0x80000000, 0x80000, "made no-map");
	fw_diag(FWD_BAD_TABLE, NULL, 0, 0, "bad magic");
	console_register(NULL);
	CHECK(strstr(out, "W: fw: fw010 firmware-without-no-map: "
		      "/reserved-memory/mmode_resv0 [0x80000000-0x80080000): "
		      "made no-map\n") != NULL);
	CHECK(strstr(out, "E: fw: fw001 bad-table: -: bad magic\n") != NULL);
	CHECK_EQ(fw_diags.total, 2);
	CHECK_EQ(fw_diags.count[FWD_FIRMWARE_WITHOUT_NOMAP], 1);
	CHECK(strcmp(fw_diag_name(FWD_MEMORY_CAPPED), "memory-capped") == 0);
	CHECK(strcmp(fw_diag_name(0), "unknown") == 0);
	CHECK(strcmp(fw_diag_name(FWD_MAX), "unknown") == 0);
}

/* Reserve [base, base + size) as a converter would, with its record. */
static void reserve_recorded(enum fw_format format, const char *origin,
			     phys_addr_t base, phys_addr_t size)
{
	struct fw_record *r = fw_record(format, origin, 0, 0, base, size);

	memblock_reserve(base, size);
	fw_record_done(r, FW_TO_RESERVED, base, size, 0, NUMA_NO_NODE, NULL);
}

/*
 * fw_lint() flags a firmware reservation partly outside memory, but not
 * one that spans two adjacent memory regions of different nodes, nor the
 * kernel's own reservation of non-memory:
 *
 *   memory    [0x100000 node0 0x200000)[0x200000 node1 0x300000)
 *   dt                [0x1f0000 ok 0x210000)      [0x2f0000 .. 0x310000)
 *   kernel   [0xa0000 .. 0x100000)                 ^ 64 KiB outside
 */
static void test_lint_reserved_outside(void)
{
	reset();
	memblock_add_node(0x100000, 0x100000, 0, MEMBLOCK_NONE);
	memblock_add_node(0x200000, 0x100000, 1, MEMBLOCK_NONE);
	reserve_recorded(FW_FMT_DT, "/reserved-memory/a", 0x1f0000, 0x20000);
	reserve_recorded(FW_FMT_DT, "/reserved-memory/b", 0x2f0000, 0x20000);
	reserve_recorded(FW_FMT_KERNEL, "legacy hole", 0xa0000, 0x60000);
	console_register(&capture_console);
	fw_lint();
	console_register(NULL);
	CHECK_EQ(fw_diags.count[FWD_RESERVED_OUTSIDE_MEMORY], 1);
	CHECK(strstr(out, "/reserved-memory/b [0x2f0000-0x310000): 65536 of "
		      "131072 bytes lie outside memory") != NULL);
	CHECK_EQ(fw_diags.count[FWD_UNALIGNED], 0);
}

/* fw_lint() notes memory whose edges are not page-aligned. */
static void test_lint_unaligned(void)
{
	reset();
	memblock_add(0x100800, 0x1000);
	console_register(&capture_console);
	fw_lint();
	console_register(NULL);
	CHECK_EQ(fw_diags.count[FWD_UNALIGNED], 1);
}

/* The dump prints every record with its origin, target and reason. */
static void test_dump(void)
{
	struct fw_record *r;

	reset();
	r = fw_record(FW_FMT_DT, "/reserved-memory/x", 0, 0, 0x80000000,
		      0x40000);
	fw_record_done(r, FW_TO_NOMAP, 0x80000000, 0x40000, MEMBLOCK_NOMAP,
		       NUMA_NO_NODE, "firmware region without no-map");
	console_register(&capture_console);
	fw_log_dump();
	console_register(NULL);
	CHECK(strstr(out, " fw[0] dt /reserved-memory/x#0 type 0 "
		      "[0x0000000080000000-0x000000008003ffff] -> nomap "
		      "[0x0000000080000000-0x000000008003ffff]: firmware region "
		      "without no-map\n") != NULL);
}

int main(void)
{
	TEST(test_record_done);
	TEST(test_record_clipped_and_find);
	TEST(test_record_long_origin);
	TEST(test_log_full);
	TEST(test_diag_line);
	TEST(test_lint_reserved_outside);
	TEST(test_lint_unaligned);
	TEST(test_dump);
	return tap_done();
}
