// SPDX-License-Identifier: BSD-2-Clause
/*
 * The generic boot sequence (init/main.c), the same on every arch, after
 * Mike Rapoport's RFC "arch, mm: consolidate memory initialisation":
 *
 *   start_kernel():  early_reserve_memory(); detect_memory(); setup_arch();
 *   mm_init():       arch_pre_mm_init(); memmap_init(); memblock_free_all();
 *                    arch_post_mm_init(); free_initmem(); mark_rodata_ro();
 *   then the application's main(), then arch_poweroff(status).
 *
 * Each step is exported for tests and documented in docs/boot-flow.md.
 */
#pragma once

#include <cairn/boot.h>
#include <cairn/compiler.h>

/*
 * Two kinds of zero-initialised data that the arch entry code does not
 * clear, so that it need not spend an instruction per word on them:
 *
 * __initscratch: boot-only work arrays, in .init.bss, after .init.data
 * in [__init_start, __init_end), so free_initmem() gives them to the page
 * allocator with the rest of .init. Their contents are whatever the loader
 * left: only for arrays their user writes before it reads (each run resets
 * its counts and reads nothing beyond what it wrote), and, like
 * __initdata, never touched once start_kernel() has called free_initmem().
 *
 * __noclear: data that lives on after boot but whose contents need no
 * zeroing, in .noclear after .bss: its owner resets what it reads (such
 * as a count) before the first use. Kept, never freed.
 *
 * Both are plain .bss in the host build, which has no linker script.
 */
#if defined(CAIRN_HOST)
#define __initscratch
#define __noclear
#else
#define __initscratch	__section(".init.bss")
#define __noclear	__section(".noclear")
#endif

void early_reserve_memory(struct boot_handoff *bh);

/**
 * early_reserve_range() - reserve a range in use before memblock knows memory
 * @base, @size: the range (size 0 does nothing)
 * @what: a static name for the log line
 *
 * For early_reserve_memory() and arch_early_reserve(). Panics if memblock
 * is full, naming the constant to raise: nothing can boot safely then.
 */
void early_reserve_range(phys_addr_t base, phys_addr_t size, const char *what);
int detect_memory(struct boot_handoff *bh);
void setup_arch(struct boot_handoff *bh);
void mm_init(void);	/* memmap_init() is in <cairn/mm.h> */

/*
 * The end of mm_init() (init/finalize.c, docs/mm.md "After boot"):
 * initrd_locate() notes the initrd in early_reserve_memory(); then, with
 * the page allocator up, free_initmem() gives back the initrd (unless the
 * application uses CAIRN_KEEP_INITRD(), <cairn/app.h>) and the .init
 * sections, and mark_rodata_ro() write-protects the __ro_after_init data
 * and calls arch_finalize_boot(). Neither may be __init.
 */
void initrd_locate(const struct boot_handoff *bh);
void free_initmem(void);
void mark_rodata_ro(void);

/**
 * struct initmem_stats - what free_initmem() gave back, for tests
 * @free_before: nr_free_pages() just before the first free
 * @free_after: nr_free_pages() just after the last
 * @init_pages: pages of [__init_start, __init_end) handed over
 * @initrd_pages: pages of the initrd handed over (0 if kept or none)
 * @initrd_kept: the application keeps the initrd
 */
struct initmem_stats {
	uint64_t free_before;
	uint64_t free_after;
	uint64_t init_pages;
	uint64_t initrd_pages;
	bool initrd_kept;
};

/* Filled in by free_initmem(); read-only after boot. */
extern struct initmem_stats initmem_stats;

/*
 * Boot phases, in order, for the cost report printed before main(): each
 * mark records the arch counter at the end of that phase.
 */
enum boot_phase {
	BOOT_PHASE_ENTRY,		/* kernel entry -> start_kernel() */
	BOOT_PHASE_CONSOLE,		/* early init and console */
	BOOT_PHASE_EARLY_RESERVE,	/* early_reserve_memory() */
	BOOT_PHASE_DETECT,		/* detect_memory() */
	BOOT_PHASE_SETUP_ARCH,		/* setup_arch() */
	BOOT_PHASE_MEMMAP,		/* arch_pre_mm_init(), memmap_init() */
	BOOT_PHASE_FREE_ALL,		/* memblock_free_all() */
	BOOT_PHASE_MM_REST,		/* the rest of mm_init() */
	BOOT_PHASE_MAX
};

/* Note that @phase ends now. */
void boot_phase_mark(enum boot_phase phase);

/* The application's entry point: argv[0] is "cairn", argv[argc] is NULL. */
int main(int argc, char *argv[]);
