// SPDX-License-Identifier: BSD-2-Clause
/*
 * What an application may ask of the kernel about its boot: whether the
 * initrd the loader handed over is kept for it, and where it is. Only
 * declarations and a marker; the kernel side is init/finalize.c.
 *
 * The initrd is freed before main() (its pages go to the page allocator)
 * unless the application says, at file scope in any of its sources:
 *
 *	CAIRN_KEEP_INITRD();
 *
 * The marker is a byte in the section .cairn.keep_initrd, which each
 * arch's kernel.ld keeps and bounds with __keep_initrd_start/_end: the
 * kernel frees the initrd only if that range is empty. A link-time marker
 * and not a weak symbol, which the project does not use.
 */
#pragma once

#include <stdint.h>

#include <cairn/compiler.h>

#define CAIRN_KEEP_INITRD()                                                    \
	static const uint8_t cairn_keep_initrd_marker __used                  \
	    __section(".cairn.keep_initrd") = 1

/**
 * initrd_get() - the initrd the loader handed over
 * @size: out, its size in bytes; 0 when there is none
 *
 * The initrd comes from the boot record (x86 PVH module 0) or the device
 * tree's /chosen linux,initrd-start and -end; it is as the loader left it.
 * Return: its kernel virtual address, or NULL when there is none or it
 * was freed because no CAIRN_KEEP_INITRD() asked to keep it.
 */
const void *initrd_get(uint64_t *size);
