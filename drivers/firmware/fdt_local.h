// SPDX-License-Identifier: BSD-2-Clause
/*
 * Private to drivers/firmware/fdt_*.c: what fdt_memory.c needs from
 * fdt_chosen.c. Nothing outside this folder includes it; the public API is
 * <cairn/fdt.h>.
 */
#pragma once

#include <cairn/fdt.h>

/*
 * Which /chosen properties fdt_chosen_parse() reports problems of: MEMORY
 * the initrd and the usable range, OTHER bootargs, stdout-path, the seeds.
 */
#define FDT_CHOSEN_REPORT_MEMORY	0x1
#define FDT_CHOSEN_REPORT_OTHER		0x2
#define FDT_CHOSEN_REPORT_ALL		0x3

/*
 * fdt_scan_chosen() with a choice of diagnostics: fdt_scan_memory() reads
 * /chosen for the initrd and the usable range only, and must not report a
 * bad bootargs a second time. Same return as fdt_scan_chosen().
 */
int fdt_chosen_parse(const void *fdt, struct fdt_chosen *chosen,
		     unsigned int report);
