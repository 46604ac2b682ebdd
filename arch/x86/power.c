// SPDX-License-Identifier: BSD-2-Clause
/*
 * Power off and halt. Under QEMU the status leaves through isa-debug-exit
 * (-device isa-debug-exit,iobase=0xf4,iosize=0x04), which makes QEMU exit
 * with (status << 1) | 1. Without that device the write is ignored and the
 * CPU halts; ACPI power-off can come with the ACPI work.
 */
#include <cairn/arch.h>

#include "x86.h"

#define DEBUG_EXIT_PORT	0xf4

void arch_poweroff(int status)
{
	outl(DEBUG_EXIT_PORT, (uint32_t)status);
	arch_halt();
}

void arch_halt(void)
{
	for (;;) {
		__asm__ volatile("cli; hlt");
	}
}
