// SPDX-License-Identifier: BSD-2-Clause
/*
 * Prints memblock as boot left it (the stable dump format of
 * docs/memblock.md) and the provenance of every range, for the cross-path
 * consistency test (tests/qemu/paths_consistency.py) and for people.
 */
#include <cairn/fwmap.h>
#include <cairn/memblock.h>

int main(int argc, char *argv[])
{
	(void)argc;
	(void)argv;
	__memblock_dump_all();
	fw_log_dump();
	return 0;
}
