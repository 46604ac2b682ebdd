// SPDX-License-Identifier: BSD-2-Clause
/*
 * The arm64 MMU: the register side of <cairn/pgtable.h>. generic/mm/
 * pgtable.c builds the tables with the encodings of
 * <cairn/arch/pgtable.h>; this file programs MAIR_EL1, TCR_EL1 and
 * TTBR0_EL1, does the cache and TLB maintenance, and turns the MMU on.
 * It does not build or walk tables itself (it asks pt_lookup() to check
 * that the tables it is handed map what it runs on).
 *
 * Translation regime: EL1&0 stage 1, TTBR0_EL1 only (the kernel map is an
 * identity map in the lower half), 4 KiB granule, 48-bit VA, no ASIDs (all
 * entries global), TTBR1_EL1 walks disabled (EPD1), so every address with
 * bits 63:48 set faults at level 0.
 */
#include <cairn/arch.h>
#include <cairn/boot.h>
#include <cairn/fdt.h>
#include <cairn/log.h>
#include <cairn/memblock.h>
#include <cairn/pgtable.h>
#include <cairn/sections.h>

#include "arm64.h"

/* ID_AA64MMFR0_EL1 [Arm ARM, ID_AA64MMFR0_EL1]. */
#define MMFR0_PARANGE(r)	((r) & 0xf)
#define MMFR0_TGRAN4(r)		(((r) >> 28) & 0xf)
#define MMFR0_TGRAN4_NONE	0xf

/* CTR_EL0.DminLine: log2 of the smallest D-cache line, in 4-byte words. */
#define CTR_DMINLINE(r)		(((r) >> 16) & 0xf)

/* TCR_EL1 [Arm ARM, TCR_EL1]; fields Cairn leaves 0 are not listed. */
#define TCR_T0SZ(bits)		((uint64_t)(64 - (bits)) << 0)
#define TCR_IRGN0_WBWA		(UINT64_C(1) << 8)
#define TCR_ORGN0_WBWA		(UINT64_C(1) << 10)
#define TCR_SH0_INNER		(UINT64_C(3) << 12)
#define TCR_TG0_4K		(UINT64_C(0) << 14)
#define TCR_T1SZ(bits)		((uint64_t)(64 - (bits)) << 16)
#define TCR_EPD1		(UINT64_C(1) << 23)
#define TCR_TG1_4K		(UINT64_C(2) << 30)	/* TG1 encodes 4K as 10 */
#define TCR_IPS(parange)	((uint64_t)(parange) << 32)

/* PARange/IPS encodings: 32, 36, 40, 42, 44, 48, 52 bits. */
static const uint8_t parange_bits[] = { 32, 36, 40, 42, 44, 48, 52 };
#define PARANGE_48		5

static bool mmu_on;

static inline void dsb_ishst(void)
{
	__asm__ volatile("dsb ishst" ::: "memory");
}

static inline void dsb_ish(void)
{
	__asm__ volatile("dsb ish" ::: "memory");
}

static inline void dsb_sy(void)
{
	__asm__ volatile("dsb sy" ::: "memory");
}

static inline void tlbi_vmalle1(void)
{
	__asm__ volatile("tlbi vmalle1" ::: "memory");
}

static uint64_t dcache_line(void)
{
	return UINT64_C(4) << CTR_DMINLINE(read_sysreg(ctr_el0));
}

/*
 * Invalidate the data cache lines of [start, end) to the point of
 * coherency, by VA (== PA while the MMU is off). Set/way operations would
 * miss system caches [Linux Documentation/arm64/booting.rst].
 */
static void dcache_inval_poc(phys_addr_t start, phys_addr_t end)
{
	uint64_t line = dcache_line();
	phys_addr_t a = start & ~(line - 1);

	/* Four lines a turn: this runs over a few hundred KiB. */
	for (; a < end && end - a > 3 * line; a += 4 * line) {
		__asm__ volatile("dc ivac, %0\n\t"
				 "dc ivac, %1\n\t"
				 "dc ivac, %2\n\t"
				 "dc ivac, %3"
				 :: "r"(a), "r"(a + line), "r"(a + 2 * line),
				    "r"(a + 3 * line) : "memory");
	}
	for (; a < end; a += line) {
		__asm__ volatile("dc ivac, %0" :: "r"(a) : "memory");
	}
}

/* A range dcache_inval_written() leaves alone. */
struct inval_skip {
	phys_addr_t base;
	phys_addr_t end;
};

/*
 * dcache_inval_poc() on [start, end) less the @n ranges at @skip, each
 * shrunk to whole lines first: a line it shares with the rest is done.
 */
static void dcache_inval_except(phys_addr_t start, phys_addr_t end,
				const struct inval_skip *skip, unsigned int n)
{
	uint64_t line = dcache_line();

	for (; n > 0; skip++, n--) {
		phys_addr_t sb = (skip->base + line - 1) & ~(line - 1);
		phys_addr_t se = skip->end & ~(line - 1);

		if (sb >= se || se <= start || sb >= end) {
			continue;
		}
		if (sb > start) {
			dcache_inval_except(start, sb, skip + 1, n - 1);
		}
		start = se;
		if (start >= end) {
			return;
		}
	}
	dcache_inval_poc(start, end);
}

/*
 * What Cairn wrote before the MMU was on went straight to memory (with
 * SCTLR_EL1.C = 0 data accesses neither allocate in nor look up the
 * caches), but the loader may have left clean lines for those addresses
 * behind: the boot protocol only has it clean the image to the point of
 * coherency. Once the caches are on, such a line would hide what we wrote
 * from every later read. So the lines to drop are those of what we wrote
 * and will read again, and only those (a line of memory we did not write
 * holds what memory holds):
 *
 *  - the image's writable part: .data (relocate() writes only there:
 *    -z text), .init.data, .bss, .noclear and the boot stack; not
 *    .init.bss, whose scratch is dead since detect_memory() and is only
 *    ever written before it is read (__initscratch, <cairn/init.h>), nor
 *    text and rodata, which nothing writes;
 *  - every other reserved range of mapped memory (not NOMAP): memblock's
 *    allocations, the page tables among them (the table walk is
 *    cacheable, TCR_EL1.IRGN0/ORGN0), and the firmware's reservations as
 *    before; less the DTB and the initrd, which Cairn only reads (1 MiB
 *    and more, most of the cost before).
 */
static void dcache_inval_written(void)
{
	struct memblock_type *mem = &memblock.memory, *rsv = &memblock.reserved;
	const struct boot_handoff *bh = &arm64_handoff;
	struct inval_skip skip[3] = {
		{ arch_virt_to_phys(__image_start),
		  arch_virt_to_phys(__image_end) },
	};
	unsigned int nskip = 1;

	dcache_inval_poc(arch_virt_to_phys(__data_start),
			 arch_virt_to_phys(__data_end));
	dcache_inval_poc(arch_virt_to_phys(__init_text_end),
			 arch_virt_to_phys(__init_bss_start));
	dcache_inval_poc(arch_virt_to_phys(__init_end),
			 arch_virt_to_phys(__image_end));
	if (bh->fdt != 0) {
		skip[nskip++] = (struct inval_skip){
			bh->fdt,
			bh->fdt + fdt_totalsize(arch_phys_to_virt(bh->fdt)) };
	}
	if (bh->initrd != 0) {
		skip[nskip++] = (struct inval_skip){
			bh->initrd, bh->initrd + bh->initrd_size };
	}
	for (unsigned long i = 0; i < rsv->cnt; i++) {
		phys_addr_t rb = rsv->regions[i].base;
		phys_addr_t re = rb + rsv->regions[i].size;

		for (unsigned long j = 0; j < mem->cnt; j++) {
			phys_addr_t mb = mem->regions[j].base;
			phys_addr_t me = mb + mem->regions[j].size;

			if (memblock_is_nomap(&mem->regions[j]) || me <= rb ||
			    mb >= re) {
				continue;
			}
			dcache_inval_except(mb > rb ? mb : rb,
					    me < re ? me : re, skip, nskip);
		}
	}
	dsb_sy();
}

/*
 * Panic, while the console still works, if @va is not identity-mapped
 * with at least @need in the tables at @root: turning the MMU on with the
 * running code, the stack or the vectors unmapped would end in a silent
 * loop of faults.
 */
static void check_mapped(phys_addr_t root, const void *va, unsigned int need,
			 const char *what)
{
	const struct pgtable pt = { .root = root };
	uint64_t v = (uint64_t)(uintptr_t)va;
	unsigned int prot = 0;
	phys_addr_t pa = 0;

	if (!pt_lookup(&pt, v, &pa, &prot, NULL) || pa != v ||
	    (prot & need) != need || (prot & PROT_DEVICE)) {
		panic("arch_pgtable_activate: tables at %#llx do not map %s "
		      "(%p) as normal memory with prot %#x (got %#x, pa %#llx)",
		      (unsigned long long)root, what, va, need, prot,
		      (unsigned long long)pa);
	}
}

/* The PA size for TCR_EL1.IPS: what the CPU has, at most 48 bits. */
static uint32_t mmu_parange(void)
{
	uint64_t mmfr0 = read_sysreg(id_aa64mmfr0_el1);
	uint32_t parange = MMFR0_PARANGE(mmfr0);

	if (MMFR0_TGRAN4(mmfr0) == MMFR0_TGRAN4_NONE) {
		panic("arch_pgtable_activate: this CPU has no 4 KiB granule "
		      "(ID_AA64MMFR0_EL1 %#llx)", (unsigned long long)mmfr0);
	}
	/* 52 bits needs FEAT_LPA2 and TCR_EL1.DS with a 4 KiB granule. */
	if (parange > PARANGE_48) {
		parange = PARANGE_48;
	}
	return parange;
}

/*
 * First activation: MMU and caches off until the last instruction. The
 * sequence is the usual one [Linux arch/arm64 __cpu_setup and
 * __enable_mmu]: registers, barrier, TLB and I-cache invalidation, then
 * SCTLR_EL1. This code runs identity-mapped, so the instruction after the
 * SCTLR_EL1 write is fetched at the same address through the new tables.
 */
static void mmu_enable(phys_addr_t root)
{
	uint32_t parange = mmu_parange();
	uint64_t pa_limit = UINT64_C(1) << parange_bits[parange];
	uint64_t tcr, sctlr;
	uint64_t sp;

	if (memblock_end_of_DRAM() > pa_limit || root >= pa_limit) {
		panic("arch_pgtable_activate: memory ends at %#llx, beyond "
		      "this CPU's %u-bit physical address range",
		      (unsigned long long)memblock_end_of_DRAM(),
		      parange_bits[parange]);
	}
	__asm__ volatile("mov %0, sp" : "=r"(sp));
	check_mapped(root, (const void *)mmu_enable, PROT_EXEC, "this code");
	check_mapped(root, arm64_vectors, PROT_EXEC, "the vectors");
	check_mapped(root, (const void *)(uintptr_t)(sp - 16), PROT_RW,
		     "the stack");
	check_mapped(root, (const void *)(uintptr_t)root, PROT_RW,
		     "the root table");

	tcr = TCR_T0SZ(PT_VA_BITS) | TCR_IRGN0_WBWA | TCR_ORGN0_WBWA |
	      TCR_SH0_INNER | TCR_TG0_4K | TCR_T1SZ(PT_VA_BITS) | TCR_EPD1 |
	      TCR_TG1_4K | TCR_IPS(parange);

	dcache_inval_written();
	write_sysreg(mair_el1, MAIR_EL1_VALUE);
	write_sysreg(tcr_el1, tcr);
	write_sysreg(ttbr0_el1, root);
	isb();
	/* Whatever the loader left in the TLB and the I-cache goes. */
	tlbi_vmalle1();
	__asm__ volatile("ic iallu" ::: "memory");
	dsb_ish();
	isb();

	/*
	 * A (alignment checking) goes: it was there to make QEMU fault on
	 * the unaligned accesses that Device memory forbids while the MMU is
	 * off, and RAM is Normal memory from now on, where hardware allows
	 * them (Linux runs with A = 0). Device-nGnRE mappings still fault
	 * on them in hardware. SA (SP alignment) stays. WXN makes every
	 * writable mapping non-executable whatever its PXN says: the kernel
	 * map promises no writable executable page (<cairn/pgtable.h>), and
	 * this holds the walker's callers to it.
	 */
	sctlr = read_sysreg(sctlr_el1);
	sctlr |= SCTLR_EL1_M | SCTLR_EL1_C | SCTLR_EL1_I | SCTLR_EL1_WXN;
	sctlr &= ~(uint64_t)SCTLR_EL1_A;
	write_sysreg(sctlr_el1, sctlr);
	isb();
	mmu_on = true;

	pr_info("arch_pgtable_activate: MMU on, root %#llx, 48-bit VA, "
		"%u-bit PA, MAIR %#llx, TCR %#llx, SCTLR %#llx\n",
		(unsigned long long)root, parange_bits[parange],
		(unsigned long long)MAIR_EL1_VALUE, (unsigned long long)tcr,
		(unsigned long long)sctlr);
}

/**
 * arch_pgtable_activate() - run on the page tables rooted at @root
 * @root: physical address of a level 0 table built by generic/mm/pgtable.c
 *
 * The first call turns the MMU and both caches on; later calls switch
 * TTBR0_EL1 (the new tables must map this code, the stack and the vectors
 * as the old ones did) and flush the TLB. Panics if @root is not page
 * aligned or, on the first call, if the tables do not map what runs.
 */
void arch_pgtable_activate(phys_addr_t root)
{
	if (root == 0 || (root & ~PTE_ADDR_MASK) != 0) {
		panic("arch_pgtable_activate: bad root table %#llx",
		      (unsigned long long)root);
	}
	if (!mmu_on) {
		mmu_enable(root);
		return;
	}
	dsb_ishst();
	write_sysreg(ttbr0_el1, root);
	isb();
	arch_tlb_flush_all();
}

/**
 * arch_tlb_flush_all() - make table changes visible to this CPU
 *
 * Completes the table writes, drops every EL1&0 TLB entry of this CPU (no
 * ASIDs, no VMID in use) and resynchronises the instruction stream. Also
 * valid with the MMU off, when it costs a few cycles and changes nothing.
 */
void arch_tlb_flush_all(void)
{
	dsb_ishst();
	tlbi_vmalle1();
	dsb_ish();
	isb();
}

/*
 * free_initmem() rewrote the freed .init.text (poison) through the data
 * side, with which the instruction side is not coherent [Arm ARM,
 * "Concurrent modification and execution of instructions"]: clean those
 * lines to the PoU, then invalidate the I-cache, so that no later reuse of
 * the pages as code runs stale boot code. pt_protect() flushed the TLB.
 */
void arch_finalize_boot(void)
{
	uint64_t line = dcache_line();
	uint64_t start = (uint64_t)(uintptr_t)__init_start;
	uint64_t end = (uint64_t)(uintptr_t)__init_text_end;

	for (uint64_t a = start & ~(line - 1); a < end; a += line) {
		__asm__ volatile("dc cvau, %0" :: "r"(a) : "memory");
	}
	dsb_ish();
	__asm__ volatile("ic iallu" ::: "memory");
	dsb_ish();
	isb();
}
