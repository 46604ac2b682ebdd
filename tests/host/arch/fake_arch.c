// SPDX-License-Identifier: BSD-2-Clause
/*
 * The fake arch of the host build: every hook of <cairn/arch.h>, done with
 * the C library, so that the real generic and firmware code runs in host
 * tests. Physical addresses are host virtual addresses (identity), which is
 * why tests that allocate through memblock describe a real host buffer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <cairn/arch.h>
#include <cairn/boot.h>
#include <cairn/fault.h>
#include <cairn/mm.h>
#include <cairn/pgtable.h>

void arch_early_init(struct boot_handoff *bh)
{
	(void)bh; /* Nothing to calibrate: the host clock counts in ns. */
}

const struct console *arch_console_fallback(const struct boot_handoff *bh)
{
	(void)bh;
	return NULL;
}

void arch_early_reserve(struct boot_handoff *bh)
{
	(void)bh; /* A host process owns no firmware memory. */
}

void arch_setup(struct boot_handoff *bh)
{
	(void)bh; /* No traps or page tables to set up on the host. */
}

void arch_pre_mm_init(void)
{
	/* Nothing arch-specific before the memory map on the host. */
}

void arch_post_mm_init(void)
{
	/* Nothing arch-specific after the page allocator on the host. */
}

/*
 * Zone limits for memmap_init(), set by the mm tests (tests/host/mm_test.h)
 * around their simulated memory; by default everything is ZONE_NORMAL.
 */
uint64_t fake_max_zone_pfn[MAX_NR_ZONES] = { 0, 0, ZONE_NO_LIMIT };

void arch_zone_limits(uint64_t *max_zone_pfn)
{
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		max_zone_pfn[z] = fake_max_zone_pfn[z];
	}
}

/*
 * The linker-script symbols of <cairn/sections.h>, for the report line and
 * the accounting: a fake 5-page image (text 2, rodata 1, data 1, bss 1)
 * outside any simulated memory. glibc's crt1.o defines __data_start too:
 * ours is weak and loses, so rwdata means nothing on the host.
 */
__attribute__((used, aligned(4096))) static char fake_image[5 * 4096];
__asm__(".globl __image_start, __image_end, __text_start, __text_end\n"
	".globl __rodata_start, __rodata_end, __data_end\n"
	".weak __data_start\n"
	".globl __bss_start, __bss_end\n"
	".set __image_start, fake_image\n"
	".set __text_start, fake_image\n"
	".set __text_end, fake_image + 8192\n"
	".set __rodata_start, fake_image + 8192\n"
	".set __rodata_end, fake_image + 12288\n"
	".set __data_start, fake_image + 12288\n"
	".set __data_end, fake_image + 16384\n"
	".set __bss_start, fake_image + 16384\n"
	".set __bss_end, fake_image + 20480\n"
	".set __image_end, fake_image + 20480\n"
	/* No .init, __ro_after_init or keep-initrd content: empty ranges. */
	".globl __init_start, __init_text_end, __init_end\n"
	".globl __init_bss_start\n"
	".globl __ro_after_init_start, __ro_after_init_end\n"
	".globl __keep_initrd_start, __keep_initrd_end\n"
	".set __init_start, fake_image + 12288\n"
	".set __init_text_end, fake_image + 12288\n"
	".set __init_end, fake_image + 12288\n"
	".set __init_bss_start, fake_image + 12288\n"
	".set __ro_after_init_start, fake_image + 12288\n"
	".set __ro_after_init_end, fake_image + 12288\n"
	".set __keep_initrd_start, fake_image + 12288\n"
	".set __keep_initrd_end, fake_image + 12288\n"
	/* No boot stack (so no guard page): an empty range at the end. */
	".globl __stack_bottom, __stack_top\n"
	".set __stack_bottom, fake_image + 20480\n"
	".set __stack_top, fake_image + 20480\n");

/* Fake page-table state: tests/host/arch/include/cairn/arch/pgtable.h. */
unsigned int fake_pt_leaf_levels = FAKE_PT_LEAF_LEVELS_DEFAULT;
phys_addr_t fake_pt_active_root;
uint64_t fake_tlb_flushes;

void arch_pgtable_activate(phys_addr_t root)
{
	fake_pt_active_root = root; /* No MMU: just remember it for tests. */
	fake_tlb_flushes++;
}

void arch_tlb_flush_all(void)
{
	fake_tlb_flushes++; /* No TLB on the host: count, for the tests. */
}

void arch_finalize_boot(void)
{
	/* No caches or MMU to finish on the host. */
}

uint64_t arch_counter_read(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t arch_counter_hz(void)
{
	return 1000000000u;
}

void *arch_phys_to_virt(phys_addr_t pa)
{
	return (void *)(uintptr_t)pa;
}

phys_addr_t arch_virt_to_phys(const void *va)
{
	return (phys_addr_t)(uintptr_t)va;
}

void arch_poweroff(int status)
{
	fflush(stdout);
	exit(status);
}

void arch_halt(void)
{
	abort();
}

/* Host tests build fake stacks with x86/arm64 records: {fp, ret} at fp. */
uintptr_t arch_frame_record(uintptr_t fp)
{
	return fp;
}

void arch_fault_dump_regs(const struct fault *f)
{
	(void)f; /* No trap state on the host. */
	printf("# fake arch: no registers\n");
}

/* No hardware RNG: tests of init/random.c see the fallbacks. */
bool arch_random_seed(uint64_t *seed)
{
	(void)seed;
	return false;
}
