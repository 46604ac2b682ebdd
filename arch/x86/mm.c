// SPDX-License-Identifier: BSD-2-Clause
/*
 * The x86_64 side of paging (docs/paging.md): the CPU features the entry
 * format depends on (NX, 1 GiB pages), the switch from entry.S's boot
 * tables (0-4 GiB, 2 MiB pages, all RWX) to the kernel map the generic code
 * built, and the TLB flush. The entry format is in
 * include/cairn/arch/pgtable.h; nothing here walks or writes a table.
 *
 * The kernel map is VA == PA like the boot tables, so the switch is one
 * CR3 write: the code, the stack (bss), the GDT (rodata) and the IDT (bss)
 * stay where they were.
 */
#include <cairn/arch.h>
#include <cairn/log.h>
#include <cairn/memblock.h>
#include <cairn/pgtable.h>

#include "x86.h"

/* CPUID 0x80000001 EDX [intel/vol2 CPUID]. */
#define CPUID_EXT_NX (UINT32_C(1) << 20)
#define CPUID_EXT_PAGE1GB (UINT32_C(1) << 26)

/* The boot tables map 0-4 GiB; memblock must stay below until the switch. */
#define BOOT_MAP_LIMIT (UINT64_C(1) << 32)

bool x86_pt_1g __ro_after_init;
pte_t x86_pte_nx __ro_after_init;

static phys_addr_t saved_limit;
static bool limit_lowered;

static inline uint64_t read_cr0(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr0, %0" : "=r"(v));
	return v;
}

static inline void write_cr0(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr0" : : "r"(v) : "memory");
}

static inline uint64_t read_cr4(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

static inline void write_cr4(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr4" : : "r"(v) : "memory");
}

static inline void write_cr3(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory");
}

/**
 * x86_mm_early() - keep memblock inside the boot tables' 4 GiB
 *
 * Called from arch_early_reserve(), before memblock knows any memory:
 * until arch_pgtable_activate() every memblock allocation (table pages,
 * a grown region array) is touched through the boot identity map.
 */
void __init x86_mm_early(void)
{
	saved_limit = memblock_get_current_limit();
	if (saved_limit > BOOT_MAP_LIMIT) {
		memblock_set_current_limit(BOOT_MAP_LIMIT);
		limit_lowered = true;
	}
}

/**
 * x86_mm_init() - read the paging features the entry format uses
 *
 * Called from arch_setup(), before paging_init(). Turns on EFER.NXE when
 * the CPU has NX: the boot tables set no XD bit, so that changes nothing
 * until the kernel map is live.
 */
void __init x86_mm_init(void)
{
	uint32_t edx = 0;

	if (cpuid(0x80000000, 0).eax >= 0x80000001) {
		edx = cpuid(0x80000001, 0).edx;
	}
	x86_pt_1g = (edx & CPUID_EXT_PAGE1GB) != 0;
	if (edx & CPUID_EXT_NX) {
		wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
		x86_pte_nx = X86_PTE_XD;
	} else {
		x86_pte_nx = 0;
		pr_warn("x86: no NX: data and stacks stay executable\n");
	}
}

/**
 * arch_pgtable_activate() - switch to the tables at @root
 * @root: physical address of the PML4, page-aligned
 *
 * CR0.WP first, so that read-only pages bind the kernel too, and
 * CR4.PGE, so that the global kernel leaves survive later CR3 writes.
 * Then CR3, and a full flush. memblock may allocate anywhere afterwards.
 */
void arch_pgtable_activate(phys_addr_t root)
{
	write_cr0(read_cr0() | CR0_WP);
	write_cr4(read_cr4() | CR4_PGE);
	write_cr3(root);
	arch_tlb_flush_all();
	if (limit_lowered) {
		memblock_set_current_limit(saved_limit);
		limit_lowered = false;
	}
	pr_info("x86: CR3 %#llx, NX %s, 1 GiB pages %s, CR0.WP on\n",
		(unsigned long long)root, x86_pte_nx ? "on" : "off",
		x86_pt_1g ? "used" : "not available");
}

/* With CR4.PGE a CR3 write keeps global entries: toggle PGE to drop all. */
void arch_tlb_flush_all(void)
{
	uint64_t cr4 = read_cr4();

	if (cr4 & CR4_PGE) {
		write_cr4(cr4 & ~(uint64_t)CR4_PGE);
		write_cr4(cr4);
	} else {
		write_cr3(read_cr3());
	}
}

/*
 * Nothing more on x86_64: CR0.WP (set at activation) makes the read-only
 * pages bind the kernel, pt_protect() flushed the TLB, and instruction
 * fetch is coherent with stores, so the poisoned .init.text needs no
 * cache maintenance.
 */
void arch_finalize_boot(void)
{
}
