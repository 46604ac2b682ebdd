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

/*
 * Boot-only code and data (__init, __initdata in <cairn/compiler.h>):
 * [__init_start, __init_text_end) is .init.text, mapped RX, then
 * [__init_text_end, __init_end) is .init.data, mapped RW, ending with
 * .init.bss from __init_bss_start (__initscratch in <cairn/init.h>: not
 * in the file, not cleared); all but __init_bss_start are page-aligned,
 * and the range lies between __data_end and __bss_start. Freed by
 * free_initmem() before main().
 */
extern char __init_start[], __init_text_end[], __init_end[];
extern char __init_bss_start[];

/*
 * __ro_after_init data: page-aligned, at the start of [__data_start,
 * __data_end); read-only from mark_rodata_ro() on. May be empty.
 */
extern char __ro_after_init_start[], __ro_after_init_end[];

/*
 * The application's CAIRN_KEEP_INITRD() markers (<cairn/app.h>), in
 * rodata: the range is empty unless the application keeps the initrd.
 */
extern char __keep_initrd_start[], __keep_initrd_end[];
