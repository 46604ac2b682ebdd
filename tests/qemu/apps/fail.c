// SPDX-License-Identifier: BSD-2-Clause
/* An application that fails: its boot must end with QEMU reporting status 3. */
#include <stdio.h>

int main(int argc, char *argv[])
{
	(void)argc;
	(void)argv;
	puts("failing on purpose with status 3");
	return 3;
}
