// SPDX-License-Identifier: BSD-2-Clause
/*
 * The arch hook contract: every function that generic code (init/, generic/,
 * drivers/) may call in an architecture, and nothing else. Each arch defines
 * every hook in arch/<arch>/; there are no weak defaults, so a missing hook is
 * a link error. Host tests link a fake arch (tests/host/arch/).
 *
 * Order of the calls, all on the boot CPU with interrupts off:
 *
 *   arch entry (asm, then arch C): stack, BSS, fill struct boot_handoff
 *   start_kernel(bh)
 *     arch_early_init(bh)           counter ready; no console, no memblock
 *     console_init(bh)              may call arch_console_fallback()
 *     early_reserve_memory(bh)      calls arch_early_reserve(bh)
 *     detect_memory(bh)             generic firmware converters only
 *     setup_arch(bh)                calls arch_setup(bh), then paging_init():
 *                                   arch_pgtable_activate()
 *     mm_init()
 *       arch_pre_mm_init()
 *       memmap_init()               calls arch_zone_limits()
 *       memblock_free_all()
 *       arch_post_mm_init()
 *       free_initmem()              the initrd and .init back (init/finalize.c)
 *       mark_rodata_ro()            __ro_after_init read-only, then:
 *         arch_finalize_boot()
 *     main()
 *     arch_poweroff(status)
 *
 * arch_counter_read(), arch_counter_hz(), arch_phys_to_virt(),
 * arch_virt_to_phys() and arch_poweroff() may be called at any time after
 * arch_early_init() returns.
 */
#pragma once

#include <cairn/compiler.h>
#include <cairn/types.h>

struct boot_handoff;
struct console;

/**
 * arch_early_init() - first hook, before anything is printed
 * @bh: the hand-off record the arch entry code filled in
 *
 * Makes arch_counter_read()/arch_counter_hz() usable (x86 calibrates the
 * TSC here). MMU state is whatever the entry code left. bh->fdt, if not 0,
 * has passed fdt_blob_check(). Cannot fail.
 */
void arch_early_init(struct boot_handoff *bh);

/**
 * arch_console_fallback() - the console to use when the DT names none
 * @bh: the hand-off record
 *
 * Called by console_init() when there is no device tree or its
 * /chosen/stdout-path leads to no known device. Return: a console, or NULL.
 */
const struct console *arch_console_fallback(const struct boot_handoff *bh);

/**
 * arch_early_reserve() - reserve what only the arch knows about
 * @bh: the hand-off record
 *
 * Runs inside early_reserve_memory(), after the generic reservations (image,
 * DTB, initrd, bh->reserved[]) and before detect_memory(). memblock is usable
 * but holds no memory yet: only memblock_reserve() makes sense here.
 */
void arch_early_reserve(struct boot_handoff *bh);

/**
 * arch_setup() - trap vectors and the rest of setup_arch()
 * @bh: the hand-off record
 *
 * Runs after detect_memory(): memblock describes all memory and may be
 * allocated from. Cannot fail; on a fatal problem it panics.
 */
void arch_setup(struct boot_handoff *bh);

/* Just before the generic memory-map set-up; memblock still allocates. */
void arch_pre_mm_init(void);

/* Just after memblock_free_all(): the page allocator is up. */
void arch_post_mm_init(void);

/**
 * arch_zone_limits() - where each memory zone ends on this platform
 * @max_zone_pfn: out, indexed by enum zone_type (<cairn/mm.h>): one past
 *	the highest pfn the zone may hold; 0 for a zone the platform lacks
 *
 * Called by memmap_init(). x86: DMA below 16 MiB, DMA32 below 4 GiB; a
 * board with a narrow DMA master (the Pi 4's 30-bit one) says so here.
 */
void arch_zone_limits(uint64_t *max_zone_pfn);

/**
 * arch_pgtable_activate() - run on the page tables rooted at @root
 * @root: physical address of the root table built by generic/mm/pgtable.c
 *
 * The first call turns the MMU on (or, on x86, replaces the boot tables);
 * later calls switch tables. Flushes the TLB. Called by paging_init() in
 * setup_arch(), on the boot CPU.
 */
void arch_pgtable_activate(phys_addr_t root);

/*
 * Make every change to the live tables visible to this CPU (whole TLB).
 * generic/mm/pgtable.c calls it after every change, also while it builds
 * tables before the first arch_pgtable_activate(): then it must be harmless.
 */
void arch_tlb_flush_all(void);

/**
 * arch_finalize_boot() - last hook before main()
 *
 * The generic code has freed the boot-only memory; the arch may now
 * write-protect what must stay read-only (it is called after the generic
 * code made kernel text and read-only-after-init data read-only). Runs
 * after the .init sections are freed, so it must not be __init.
 */
void arch_finalize_boot(void);

/**
 * arch_random_seed() - 64 bits from the CPU's hardware RNG, if it has one
 * @seed: out, filled only on success
 *
 * For seeding (init/random.c), any time after arch_early_init(). x86:
 * RDSEED, else RDRAND, each checked in CPUID and retried a bounded number
 * of times; arm64: RNDR where ID_AA64ISAR0_EL1 has FEAT_RNG; riscv64: none.
 * Return: true if @seed holds hardware randomness.
 */
bool arch_random_seed(uint64_t *seed);

/* Free-running counter since some point before entry; monotonic. */
uint64_t arch_counter_read(void);

/* Ticks per second of arch_counter_read(); never 0 after arch_early_init(). */
uint64_t arch_counter_hz(void);

/* Kernel virtual address of physical @pa, and back (identity or linear map). */
void *arch_phys_to_virt(phys_addr_t pa);
phys_addr_t arch_virt_to_phys(const void *va);

/**
 * arch_poweroff() - power the machine off, reporting @status
 * @status: 0 for success, else the failure code
 *
 * Under QEMU the emulator exits with a status derived from @status
 * (docs/boot-flow.md lists how, per arch). Never returns.
 */
__noreturn void arch_poweroff(int status);

/* Stop this CPU for good, with interrupts off. */
__noreturn void arch_halt(void);

struct fault;

/**
 * arch_frame_record() - where a frame's record lies
 * @fp: a frame pointer value (x86 RBP, arm64 x29, riscv s0)
 *
 * Return: the address of the two-word record {caller's frame pointer,
 * return address} that the frame @fp points to was built with: @fp itself
 * on x86 and arm64, @fp - 16 on riscv. Only arithmetic: fault_backtrace()
 * checks the result lies inside the stack before reading it.
 */
uintptr_t arch_frame_record(uintptr_t fp);

/**
 * arch_fault_dump_regs() - print the arch's part of a fault report
 * @f: the fault; @f->regs is the arch's saved trap state
 *
 * Called by fault_report() after the one-line summary: the cause registers
 * decoded, then every general register, with pr_err().
 */
void arch_fault_dump_regs(const struct fault *f);
