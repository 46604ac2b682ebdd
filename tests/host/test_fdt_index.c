// SPDX-License-Identifier: BSD-2-Clause
/*
 * drivers/firmware/fdt_index.c: on every fixture DTB given in argv, each
 * fdt_index_*() lookup answers as libfdt does on every node, and the
 * converters do the same with and without the index; then trees the index
 * must refuse or treat with care (more nodes or properties than it holds,
 * a property after a subnode, aliases), another blob at another address,
 * a header changed after the build.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairn/errno.h>
#include <cairn/fdt.h>

#include "fdt_index_check.h"
#include "tap.h"

#define BLOB_SIZE	(256 * 1024)

static int nfixtures;
static void *fixtures[32];

static void *load(const char *path)
{
	FILE *f = fopen(path, "rb");
	void *buf;
	long len;

	if (f == NULL) {
		return NULL;
	}
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	buf = malloc((size_t)len);	/* 16-byte aligned */
	if (buf != NULL && fread(buf, 1, (size_t)len, f) != (size_t)len) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

/* Every fixture: indexed, and every lookup as libfdt's. */
static void test_fixtures_agree(void)
{
	for (int i = 0; i < nfixtures; i++) {
		const char *why;

		CHECK(fdt_blob_check(fixtures[i], 0) == NULL);
		CHECK(fdt_index_ready(fixtures[i]));
		why = fdt_index_compare(fixtures[i]);
		if (why != NULL) {
			printf("# fixture %d: %s\n", i, why);
		}
		CHECK(why == NULL);
	}
}

/* Every fixture: the converters give the same with and without index. */
static void test_fixtures_scans(void)
{
	for (int i = 0; i < nfixtures; i++) {
		CHECK(fdt_index_compare_scans(fixtures[i]));
	}
}

/* Without an index (disabled) every lookup is libfdt's own. */
static void test_disabled(void)
{
	fdt_index_disable(true);
	CHECK(fdt_blob_check(fixtures[0], 0) == NULL);
	CHECK(!fdt_index_ready(fixtures[0]));
	CHECK(fdt_index_compare(fixtures[0]) == NULL);
	fdt_index_disable(false);
	CHECK(fdt_blob_check(fixtures[0], 0) == NULL);
	CHECK(fdt_index_ready(fixtures[0]));
}

/* A tree of @nodes children of the root, each with @props kept ones. */
static void *make_tree(int nodes, int props)
{
	void *fdt = malloc(BLOB_SIZE);
	char name[32];

	fdt_create(fdt, BLOB_SIZE);
	fdt_finish_reservemap(fdt);
	fdt_begin_node(fdt, "");
	fdt_property_u32(fdt, "#address-cells", 1);
	fdt_property_u32(fdt, "#size-cells", 1);
	for (int i = 0; i < nodes; i++) {
		snprintf(name, sizeof(name), "dev@%x", i * 0x1000);
		fdt_begin_node(fdt, name);
		fdt_property_string(fdt, "compatible",
				    i == nodes - 1 ? "test,last" : "test,dev");
		if (props > 1) {
			fdt_property_u32(fdt, "clock-frequency", 1000 + i);
		}
		if (props > 2) {
			fdt_property_string(fdt, "status", "okay");
		}
		if (props > 3) {
			fdt_property_u32(fdt, "reg-shift", 2);
		}
		fdt_property_string(fdt, "unrelated", "x");
		fdt_end_node(fdt);
	}
	fdt_end_node(fdt);
	fdt_finish(fdt);
	return fdt;
}

/* More nodes than the index holds: libfdt answers, correctly. */
static void test_too_many_nodes(void)
{
	void *fdt = make_tree(FDT_INDEX_MAX_NODES + 10, 1);
	int node;

	CHECK(fdt_blob_check(fdt, BLOB_SIZE) == NULL);
	CHECK(!fdt_index_ready(fdt));
	CHECK(fdt_index_compare(fdt) == NULL);
	node = fdt_index_node_offset_by_compatible(fdt, -1, "test,last");
	CHECK(node > 0);
	CHECK_EQ(node, fdt_node_offset_by_compatible(fdt, -1, "test,last"));
	CHECK(fdt_index_compare_scans(fdt));
	free(fdt);

	/* The most it holds (the root is one). */
	fdt = make_tree(FDT_INDEX_MAX_NODES - 1, 1);
	CHECK(fdt_blob_check(fdt, BLOB_SIZE) == NULL);
	CHECK(fdt_index_ready(fdt));
	CHECK(fdt_index_compare(fdt) == NULL);
	free(fdt);
}

/* More kept properties than the index holds. */
static void test_too_many_props(void)
{
	void *fdt = make_tree(FDT_INDEX_MAX_PROPS / 4 + 1, 4);

	CHECK(fdt_blob_check(fdt, BLOB_SIZE) == NULL);
	CHECK(!fdt_index_ready(fdt));
	CHECK(fdt_index_compare(fdt) == NULL);
	free(fdt);
}

/*
 * A property after a subnode belongs to no node for fdt_getprop(); a
 * duplicate property is found first-come. The index must agree.
 */
static void test_odd_order(void)
{
	void *fdt = malloc(BLOB_SIZE);

	fdt_create(fdt, BLOB_SIZE);
	fdt_finish_reservemap(fdt);
	fdt_begin_node(fdt, "");
	fdt_property_u32(fdt, "reg", 1);
	fdt_property_u32(fdt, "reg", 2);
	fdt_begin_node(fdt, "a");
	fdt_end_node(fdt);
	fdt_property_u32(fdt, "status", 3);
	fdt_begin_node(fdt, "b@1");
	fdt_property_string(fdt, "compatible", "x");
	fdt_end_node(fdt);
	fdt_end_node(fdt);
	fdt_finish(fdt);

	CHECK(fdt_blob_check(fdt, BLOB_SIZE) == NULL);
	CHECK(fdt_index_ready(fdt));
	CHECK(fdt_index_compare(fdt) == NULL);
	CHECK(fdt_index_getprop(fdt, 0, FDT_P_STATUS, NULL) == NULL);
	CHECK_EQ(fdt_index_u32(fdt, 0, FDT_P_REG, 0), 1);
	CHECK_EQ(fdt_index_path_offset(fdt, "/b"),
		 fdt_path_offset(fdt, "/b@1"));
	free(fdt);
}

/* Aliases: a full path resolves; one naming an alias does not recurse. */
static void test_aliases(void)
{
	void *fdt = malloc(BLOB_SIZE);
	int uart;

	fdt_create(fdt, BLOB_SIZE);
	fdt_finish_reservemap(fdt);
	fdt_begin_node(fdt, "");
	fdt_begin_node(fdt, "aliases");
	fdt_property_string(fdt, "serial0", "/soc/uart@1000");
	fdt_property_string(fdt, "soc", "/soc");
	fdt_property_string(fdt, "loop", "loop");
	fdt_property(fdt, "nonul", "/soc", 4);
	fdt_end_node(fdt);
	fdt_begin_node(fdt, "soc");
	fdt_begin_node(fdt, "uart@1000");
	fdt_end_node(fdt);
	fdt_end_node(fdt);
	fdt_end_node(fdt);
	fdt_finish(fdt);

	CHECK(fdt_blob_check(fdt, BLOB_SIZE) == NULL);
	CHECK(fdt_index_ready(fdt));
	CHECK(fdt_index_compare(fdt) == NULL);
	uart = fdt_path_offset(fdt, "/soc/uart@1000");
	CHECK(uart > 0);
	CHECK_EQ(fdt_index_path_offset(fdt, "serial0"), uart);
	CHECK_EQ(fdt_index_path_offset_namelen(fdt, "serial0:115200", 7), uart);
	CHECK_EQ(fdt_index_path_offset(fdt, "soc/uart"), uart);
	CHECK_EQ(fdt_index_path_offset(fdt, "loop"), -FDT_ERR_BADPATH);
	CHECK_EQ(fdt_index_path_offset(fdt, "nonul"), -FDT_ERR_BADPATH);
	CHECK_EQ(fdt_index_path_offset(fdt, "none"), -FDT_ERR_BADPATH);
	/* The same without the index. */
	fdt_index_forget();
	CHECK_EQ(fdt_index_path_offset(fdt, "serial0"), uart);
	CHECK_EQ(fdt_index_path_offset(fdt, "soc/uart"), uart);
	CHECK_EQ(fdt_index_path_offset(fdt, "loop"), -FDT_ERR_BADPATH);
	free(fdt);
}

/* An index of one blob is not used for another, nor after a change. */
static void test_other_blob(void)
{
	void *a = fixtures[0];
	size_t n = fdt_totalsize(a);
	char *b = malloc(n + 64);
	int chosen;

	CHECK(fdt_blob_check(a, 0) == NULL);
	CHECK(fdt_index_ready(a));
	memcpy(b, a, n);
	CHECK(!fdt_index_ready(b));
	chosen = fdt_path_offset(b, "/chosen");
	if (chosen >= 0) {
		CHECK((const char *)fdt_index_getprop(b, chosen,
						      FDT_P_BOOTARGS, NULL) ==
		      (const char *)fdt_getprop(b, chosen, "bootargs", NULL));
	}
	CHECK(fdt_index_compare(b) == NULL);

	/* A header word changed after the build: no longer the same blob. */
	fdt_set_totalsize(a, (uint32_t)n + 8);
	CHECK(!fdt_index_ready(a));
	fdt_set_totalsize(a, (uint32_t)n);
	CHECK(fdt_index_ready(a));
	/* A refused blob drops the index. */
	CHECK(fdt_blob_check(a, 8) != NULL);
	CHECK(!fdt_index_ready(a));
	free(b);
}

int main(int argc, char **argv)
{
	for (int i = 1; i < argc && nfixtures < 32; i++) {
		fixtures[nfixtures] = load(argv[i]);
		if (fixtures[nfixtures] == NULL) {
			printf("Bail out! cannot read %s\n", argv[i]);
			return 1;
		}
		nfixtures++;
	}
	if (nfixtures == 0) {
		printf("Bail out! usage: test_fdt_index FIXTURE.dtb...\n");
		return 1;
	}
	TEST(test_fixtures_agree);
	TEST(test_fixtures_scans);
	TEST(test_disabled);
	TEST(test_too_many_nodes);
	TEST(test_too_many_props);
	TEST(test_odd_order);
	TEST(test_aliases);
	TEST(test_other_blob);
	for (int i = 0; i < nfixtures; i++) {
		free(fixtures[i]);
	}
	return tap_done();
}
