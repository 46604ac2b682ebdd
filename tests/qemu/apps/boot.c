// SPDX-License-Identifier: BSD-2-Clause
/*
 * Boot test application: runs after the whole generic sequence and checks,
 * from inside the kernel, what a boot must give an application. Prints TAP;
 * ci/qemu-run.py checks the lines and the exit status.
 */
#include <stdio.h>
#include <string.h>

#include <cairn/console.h>
#include <cairn/memblock.h>

static int failed, n;

static void ok(int cond, const char *what)
{
	n++;
	if (!cond) {
		failed++;
	}
	printf("%s %d - %s\n", cond ? "ok" : "not ok", n, what);
}

int main(int argc, char *argv[])
{
	char buf[64];

	ok(argc == 1 && strcmp(argv[0], "cairn") == 0, "argv[0] is cairn");
	ok(console_get() != NULL, "a console is registered");
	snprintf(buf, sizeof(buf), "%#llx|%-4s|%05d", 0x80200000ull, "ab", -42);
	ok(strcmp(buf, "0x80200000|ab  |-0042") == 0, "snprintf formats");
	ok(memblock_reserved_size() > 0, "the kernel image is reserved");
	printf("1..%d\n", n);
	return failed ? 1 : 0;
}
