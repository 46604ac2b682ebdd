// SPDX-License-Identifier: BSD-2-Clause
/*
 * An application that writes to __ro_after_init data from main():
 * mark_rodata_ro() made it read-only, so the write must fault, the arch's
 * trap handler report it and panic() power off with status 255. Should the
 * write go through, main() says so and returns 1. tests/qemu/meson.build
 * runs it and expects the fault.
 */
#include <stdio.h>

#include <cairn/compiler.h>

static int guarded __ro_after_init = 1;

int main(int argc, char *argv[])
{
	(void)argc;
	(void)argv;
	printf("rofault: writing to __ro_after_init data at %p\n",
	       (void *)&guarded);
	WRITE_ONCE(guarded, 2);
	printf("rofault: the write went through (value %d)\n",
	       READ_ONCE(guarded));
	return 1;
}
