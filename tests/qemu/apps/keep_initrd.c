// SPDX-License-Identifier: BSD-2-Clause
/*
 * An application that keeps the initrd (CAIRN_KEEP_INITRD()): booted with
 * -initrd tests/qemu/initrd.txt, it checks in main() that the initrd is
 * still there, still reserved in memblock and byte for byte the fixture
 * (which it rebuilds: two header lines, then numbered lines). Prints TAP;
 * tests/qemu/meson.build runs it.
 */
#include <stdio.h>
#include <string.h>

#include <cairn/app.h>
#include <cairn/arch.h>
#include <cairn/init.h>
#include <cairn/memblock.h>

CAIRN_KEEP_INITRD();

#define FIXTURE_LINES 150

static const char fixture_head[] =
    "# SPDX-License-Identifier: BSD-2-Clause\n"
    "# An initrd for the QEMU tests: keep_initrd.c checks every byte.\n";

static int failed, n;

static void ok(int cond, const char *what)
{
	n++;
	if (!cond) {
		failed++;
	}
	printf("%s %d - %s\n", cond ? "ok" : "not ok", n, what);
}

/* Whether @p, @size bytes, is the fixture. */
static int is_fixture(const char *p, uint64_t size)
{
	size_t head = sizeof(fixture_head) - 1;
	uint64_t off = head;

	if (size < head || memcmp(p, fixture_head, head) != 0) {
		return 0;
	}
	for (int i = 0; i < FIXTURE_LINES; i++) {
		char line[40];
		int len = snprintf(line, sizeof(line),
				   "cairn initrd fixture line %04d\n", i);

		if (off + (uint64_t)len > size ||
		    memcmp(p + off, line, (size_t)len) != 0) {
			return 0;
		}
		off += (uint64_t)len;
	}
	return off == size;
}

int main(int argc, char *argv[])
{
	uint64_t size;
	const char *initrd = initrd_get(&size);

	(void)argc;
	(void)argv;
	printf("# initrd at %p, %llu bytes\n", (const void *)initrd,
	       (unsigned long long)size);
	ok(initrd != NULL && size != 0, "the initrd is kept");
	ok(initmem_stats.initrd_kept && initmem_stats.initrd_pages == 0,
	   "free_initmem() left it alone");
	ok(initrd != NULL &&
	       memblock_is_region_reserved(arch_virt_to_phys(initrd), size),
	   "it is still reserved in memblock");
	ok(initrd != NULL && is_fixture(initrd, size),
	   "its bytes are the fixture's");
	printf("1..%d\n", n);
	return failed ? 1 : 0;
}
