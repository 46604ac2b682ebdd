// SPDX-License-Identifier: BSD-2-Clause
/*
 * drivers/firmware/fdt_util.c on dts/test/fdt-util.dts (compiled by dtc at
 * build time, path in argv[1]): the blob check, reg tuples, cell counts, and
 * translation through nested "ranges".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairn/errno.h>
#include <cairn/fdt.h>

#include "tap.h"

static void *fdt;

static int node(const char *path)
{
	return fdt_path_offset(fdt, path);
}

/*
 * Two levels of "ranges": serial@100 on bus@10000000 under soc.
 *
 *   bus 0x100 -> soc 0x10000100 -> CPU 0x10000100
 */
static void test_nested_ranges(void)
{
	uint64_t base = 0, size = 0;

	CHECK_EQ(fdt_node_reg(fdt, node("/soc/bus@10000000/serial@100"), 0,
			      &base, &size), 0);
	CHECK_EQ(base, 0x10000100);
	CHECK_EQ(size, 0x20);
	/* The second tuple translates the same way. */
	CHECK_EQ(fdt_node_reg(fdt, node("/soc/bus@10000000/serial@100"), 1,
			      &base, &size), 0);
	CHECK_EQ(base, 0x10000200);
	CHECK_EQ(size, 0x10);
}

/* A node under the root: two-cell address and size, no translation. */
static void test_root_child(void)
{
	uint64_t base = 0, size = 0;

	CHECK_EQ(fdt_node_reg(fdt, node("/uart@9000000"), 0, &base, &size), 0);
	CHECK_EQ(base, 0x9000000);
	CHECK_EQ(size, 0x1000);
}

/* No third tuple, no "ranges", outside the window: all -ENOENT. */
static void test_missing(void)
{
	uint64_t base, size;

	CHECK_EQ(fdt_node_reg(fdt, node("/soc/bus@10000000/serial@100"), 2,
			      &base, &size), -ENOENT);
	CHECK_EQ(fdt_node_reg(fdt, node("/soc/isolated/dev@0"), 0, &base,
			      &size), -ENOENT);
	CHECK_EQ(fdt_node_reg(fdt, node("/soc/outside/dev@1000"), 0, &base,
			      &size), -ENOENT);
	CHECK_EQ(fdt_node_reg(fdt, node("/chosen"), 0, &base, &size), -ENOENT);
}

/* #address-cells = 3 and a reg that is not whole tuples are refused. */
static void test_malformed(void)
{
	uint64_t base, size;
	int ac, sc;

	CHECK_EQ(fdt_cells(fdt, node("/badcells"), &ac, &sc), -EINVAL);
	CHECK_EQ(fdt_node_reg(fdt, node("/badcells/child@0"), 0, &base, &size),
		 -EINVAL);
	CHECK_EQ(fdt_node_reg(fdt, node("/short/child@0"), 0, &base, &size),
		 -EINVAL);
}

/* Cell counts of a node, and u32 properties with their defaults. */
static void test_cells_and_u32(void)
{
	int ac = 0, sc = 0;
	int serial = node("/soc/bus@10000000/serial@100");

	CHECK_EQ(fdt_cells(fdt, node("/soc"), &ac, &sc), 0);
	CHECK_EQ(ac, 1);
	CHECK_EQ(sc, 1);
	CHECK_EQ(fdt_cells(fdt, node("/chosen"), &ac, &sc), 0);
	CHECK_EQ(ac, 2);	/* defaults */
	CHECK_EQ(sc, 1);
	CHECK_EQ(fdt_prop_u32(fdt, serial, "reg-shift", 0), 2);
	CHECK_EQ(fdt_prop_u32(fdt, serial, "reg-io-width", 1), 4);
	CHECK_EQ(fdt_prop_u32(fdt, serial, "absent", 7), 7);
	CHECK_EQ(fdt_prop_u32(fdt, serial, "compatible", 9), 9);
}

/* A copy of the fixture at an 8-byte aligned address, to corrupt. */
static void *copy_blob(void)
{
	size_t n = fdt_totalsize(fdt);
	void *c = aligned_alloc(8, (n + 7) & ~(size_t)7);

	memcpy(c, fdt, n);
	return c;
}

/* The blob check accepts the fixture and names each kind of damage. */
static void test_blob_check(void)
{
	uint8_t *c = copy_blob();
	size_t n = fdt_totalsize(fdt);

	CHECK(fdt_blob_check(fdt, 0) == NULL);
	CHECK(fdt_blob_check(fdt, n) == NULL);
	CHECK(fdt_blob_check(NULL, 0) != NULL);
	/* Claims more bytes than the buffer has. */
	CHECK(strcmp(fdt_blob_check(fdt, n - 1),
		     "totalsize larger than the blob's buffer") == 0);
	/* A buffer too small for the header is refused before it is read. */
	CHECK(strcmp(fdt_blob_check(fdt, 8), "blob smaller than a header") == 0);
	/* Not 8-byte aligned. */
	CHECK(strcmp(fdt_blob_check(c + 4, 0), "blob not 8-byte aligned") == 0);
	/* Bad magic. */
	c[0] ^= 0xff;
	CHECK(strcmp(fdt_blob_check(c, 0), "bad magic") == 0);
	c[0] ^= 0xff;
	/* A reservation block offset that is 4- but not 8-byte aligned. */
	fdt_set_off_mem_rsvmap(c, fdt_off_mem_rsvmap(c) + 4);
	CHECK(fdt_blob_check(c, 0) != NULL);
	fdt_set_off_mem_rsvmap(c, fdt_off_mem_rsvmap(c) - 4);
	CHECK(fdt_blob_check(c, 0) == NULL);
	/* A structure block running past totalsize. */
	fdt_set_size_dt_struct(c, (uint32_t)n);
	CHECK(fdt_blob_check(c, 0) != NULL);
	free(c);
}

int main(int argc, char *argv[])
{
	FILE *f;
	long len;

	if (argc != 2 || (f = fopen(argv[1], "rb")) == NULL) {
		printf("Bail out! usage: test_fdt_util FIXTURE.dtb\n");
		return 1;
	}
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	fdt = malloc((size_t)len);
	if (fdt == NULL || fread(fdt, 1, (size_t)len, f) != (size_t)len ||
	    fdt_check_header(fdt) != 0) {
		printf("Bail out! cannot read %s\n", argv[1]);
		return 1;
	}
	fclose(f);
	TEST(test_blob_check);
	TEST(test_nested_ranges);
	TEST(test_root_child);
	TEST(test_missing);
	TEST(test_malformed);
	TEST(test_cells_and_u32);
	free(fdt);
	return tap_done();
}
