// SPDX-License-Identifier: BSD-2-Clause
/*
 * Symbols every arch linker script must define. They bound the image's
 * parts so that early_reserve_memory() and, later, the page tables know
 * them. Taken by address only; the addresses are where the image runs.
 */
#pragma once

extern char __image_start[], __image_end[];
extern char __text_start[], __text_end[];
extern char __rodata_start[], __rodata_end[];
extern char __data_start[], __data_end[];
extern char __bss_start[], __bss_end[];
extern char __stack_bottom[], __stack_top[];
