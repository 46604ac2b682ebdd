// SPDX-License-Identifier: BSD-2-Clause
/*
 * The end of the boot, the same on every arch (docs/mm.md "After boot"):
 * free_initmem() gives back the initrd, unless the application keeps it
 * with CAIRN_KEEP_INITRD() (<cairn/app.h>), and the .init sections;
 * mark_rodata_ro() write-protects the __ro_after_init data and calls
 * arch_finalize_boot(). Both run at the end of mm_init(), the page
 * allocator up and memblock's allocator off, so they must not be __init
 * nor call anything that is. No arch code here but that hook; the page
 * tables change only through <cairn/pgtable.h>.
 */
#include <string.h>

#include <cairn/app.h>
#include <cairn/arch.h>
#include <cairn/boot.h>
#include <cairn/errno.h>
#include <cairn/fdt.h>
#include <cairn/fwmap.h>
#include <cairn/init.h>
#include <cairn/log.h>
#include <cairn/memblock.h>
#include <cairn/mm.h>
#include <cairn/pgtable.h>
#include <cairn/sections.h>

/* Freed .init memory is filled with this first (Linux's 0xcc, int3). */
#define POISON_FREE_INITMEM 0xcc

struct initmem_stats initmem_stats __ro_after_init;

/* The initrd, physical; empty when there is none or it was freed. */
static phys_addr_t initrd_start __ro_after_init;
static phys_addr_t initrd_end __ro_after_init;

/* The device tree, which must never be freed with the initrd. */
static phys_addr_t fdt_start, fdt_end;

/**
 * initrd_locate() - note where the loader put the initrd
 * @bh: the boot record: bh->initrd (x86 PVH module 0), else the device
 *	tree's /chosen linux,initrd-start and -end
 *
 * Called by early_reserve_memory(). Only notes it: early_reserve_memory()
 * reserves bh->initrd, the DT converter the /chosen one.
 */
void __init initrd_locate(const struct boot_handoff *bh)
{
	phys_addr_t start = bh->initrd, end = bh->initrd + bh->initrd_size;

	if (bh->fdt != 0) {
		fdt_start = bh->fdt;
		fdt_end = bh->fdt + fdt_totalsize(arch_phys_to_virt(bh->fdt));
	}
	if (start == 0 && bh->fdt != 0) {
		struct fdt_chosen c;

		/* Bad properties are left out (and reported) by the parser. */
		fdt_scan_chosen(arch_phys_to_virt(bh->fdt), &c);
		start = c.initrd_start;
		end = c.initrd_end;
	}
	if (start == 0 || end <= start) {
		return;
	}
	initrd_start = start;
	initrd_end = end;
}

const void *initrd_get(uint64_t *size)
{
	if (initrd_end <= initrd_start) {
		*size = 0;
		return NULL;
	}
	*size = initrd_end - initrd_start;
	return arch_phys_to_virt(initrd_start);
}

/*
 * Whether a CAIRN_KEEP_INITRD() marker was linked in. The asm hides the
 * two addresses from the compiler, which could otherwise assume that two
 * distinct arrays never share one.
 */
static bool initrd_keep_marked(void)
{
	uintptr_t start = (uintptr_t)__keep_initrd_start;
	uintptr_t end = (uintptr_t)__keep_initrd_end;

	__asm__("" : "+r"(start), "+r"(end));
	return start != end;
}

static bool overlaps(phys_addr_t a, phys_addr_t a_end, phys_addr_t b,
		     phys_addr_t b_end)
{
	return a < b_end && b < a_end;
}

/* Whether one memblock.reserved region holds all of [s, e). */
static bool reserved_in_full(phys_addr_t s, phys_addr_t e)
{
	struct memblock_region *r;

	for_each_reserved_mem_region(r)
	{
		if (r->base <= s && e <= r->base + r->size) {
			return true;
		}
	}
	return false;
}

/*
 * Whether the rest [s, e) of an edge page of the initrd [base, end) was
 * reserved for the initrd too: reserved, and by no other reservation the
 * provenance log knows (the DT converter rounds the initrd out to whole
 * pages, fw006; early_reserve_memory() reserves its bytes only). What the
 * log does not know, memblock's own allocations (tables, memmap, arrays),
 * are whole aligned pages, so they never share a page with the initrd.
 */
static bool edge_is_initrds(phys_addr_t s, phys_addr_t e, phys_addr_t base,
			    phys_addr_t end)
{
	if (s >= e || !reserved_in_full(s, e)) {
		return false;
	}
	for (uint32_t i = 0; i < fw_log.cnt && i < FW_LOG_MAX; i++) {
		const struct fw_record *r = &fw_log.rec[i];
		phys_addr_t rs = r->kept_base, re = r->kept_base + r->kept_size;

		if ((r->target != FW_TO_RESERVED && r->target != FW_TO_NOMAP) ||
		    r->fate == FW_DROPPED || (rs == base && re == end)) {
			continue;
		}
		if (rs < e && s < re) {
			return false;
		}
	}
	return true;
}

/* What was reserved for the initrd: its bytes, or the pages they lie in. */
static void initrd_reserved_span(phys_addr_t *base, phys_addr_t *end)
{
	phys_addr_t lo = ALIGN_DOWN(*base, PAGE_SIZE);
	phys_addr_t hi = ALIGN_UP(*end, PAGE_SIZE);
	phys_addr_t b = *base, e = *end;

	if (edge_is_initrds(lo, b, b, e)) {
		*base = lo;
	}
	if (edge_is_initrds(e, hi, b, e)) {
		*end = hi;
	}
}

/* The initrd goes to the page allocator unless the application keeps it. */
static void free_initrd(void)
{
	phys_addr_t image = arch_virt_to_phys(__image_start);
	phys_addr_t image_end = arch_virt_to_phys(__image_end);
	phys_addr_t base = initrd_start, end = initrd_end;
	uint64_t pages;
	int err;

	if (initrd_end <= initrd_start) {
		return;
	}
	if (initrd_keep_marked()) {
		initmem_stats.initrd_kept = true;
		pr_info("initrd: [%#llx-%#llx] kept for the application "
			"(CAIRN_KEEP_INITRD)\n",
			(unsigned long long)initrd_start,
			(unsigned long long)(initrd_end - 1));
		return;
	}
	initrd_reserved_span(&base, &end);
	if (overlaps(base, end, image, image_end) ||
	    overlaps(base, end, fdt_start, fdt_end)) {
		pr_warn("initrd: [%#llx-%#llx] overlaps the kernel image or "
			"the device tree: not freed\n",
			(unsigned long long)initrd_start,
			(unsigned long long)(initrd_end - 1));
		return;
	}
	err = initmem_free(base, end - base, &pages);
	if (err != 0) {
		/* The converter may have refused it (outside memory, say). */
		pr_warn("initrd: [%#llx-%#llx] not freed (%d): not wholly "
			"reserved in memblock\n",
			(unsigned long long)initrd_start,
			(unsigned long long)(initrd_end - 1), err);
		return;
	}
	initmem_stats.initrd_pages = pages;
	initrd_start = 0;
	initrd_end = 0;
	/* Linux's wording. */
	pr_info("Freeing initrd memory: %lluK\n",
		(unsigned long long)(pages << (PAGE_SHIFT - 10)));
}

/**
 * free_initmem() - give the boot-only memory to the page allocator
 *
 * The initrd (unless kept) and [__init_start, __init_end): the latter is
 * remapped as ordinary memory first (RW, never executable, as the rest of
 * the linear map), so that a late call into __init code faults, and
 * poisoned up to .init.bss: its users write before they read
 * (__initscratch), so poison there could reveal nothing. Both leave
 * memblock.reserved (initmem_free()). Panics if the .init range cannot be
 * freed or the page accounting breaks.
 */
void free_initmem(void)
{
	phys_addr_t init = arch_virt_to_phys(__init_start);
	phys_addr_t init_end = arch_virt_to_phys(__init_end);
	struct mm_accounting acct;
	uint64_t pages = 0;
	int err;

	/* May split a block: table pages come from the page allocator. */
	if (init_end > init) {
		err =
		    pt_protect(&kernel_pgtable, init, init_end - init, PROT_RW);
		if (err != 0) {
			panic("free_initmem: cannot remap .init [%#llx-%#llx) "
			      "as memory (%d)",
			      (unsigned long long)init,
			      (unsigned long long)init_end, err);
		}
	}
	initmem_stats.free_before = nr_free_pages();
	free_initrd();
	if (init_end > init) {
		memset(__init_start, POISON_FREE_INITMEM,
		       (size_t)(__init_bss_start - __init_start));
		err = initmem_free(init, init_end - init, &pages);
		if (err != 0) {
			panic("free_initmem: cannot free .init [%#llx-%#llx) "
			      "(%d)",
			      (unsigned long long)init,
			      (unsigned long long)init_end, err);
		}
	}
	initmem_stats.init_pages = pages;
	initmem_stats.free_after = nr_free_pages();
	/* Linux's wording. */
	pr_info("Freeing unused kernel memory: %lluK\n",
		(unsigned long long)(pages << (PAGE_SHIFT - 10)));
	if (!mm_check_accounting(&acct)) {
		panic("free_initmem: page accounting broken (lines above)");
	}
	pr_debug(
	    "free_initmem: pages: %llu free + %llu allocated + %llu "
	    "memmap + %llu kernel + %llu reserved = %llu total\n",
	    (unsigned long long)acct.free, (unsigned long long)acct.allocated,
	    (unsigned long long)acct.memmap, (unsigned long long)acct.kernel,
	    (unsigned long long)acct.reserved, (unsigned long long)acct.total);
}

/* Panic unless every page of [va, end) is mapped and not writable. */
static void check_read_only(const char *va, const char *end, const char *what)
{
	for (uint64_t p = (uint64_t)(uintptr_t)va; p < (uintptr_t)end;
	     p += PAGE_SIZE) {
		unsigned int prot;

		if (!pt_lookup(&kernel_pgtable, p, NULL, &prot, NULL) ||
		    (prot & PROT_WRITE)) {
			panic("mark_rodata_ro: %s page %#llx is %s", what,
			      (unsigned long long)p,
			      (prot & PROT_WRITE) ? "writable" : "unmapped");
		}
	}
}

/**
 * mark_rodata_ro() - write-protect what must stay as boot left it
 *
 * Text is RX and rodata R since paging_init(): checked. The
 * __ro_after_init pages become read-only (pt_protect() flushes the TLB);
 * then arch_finalize_boot(). Panics if the tables refuse.
 */
void mark_rodata_ro(void)
{
	phys_addr_t ro = arch_virt_to_phys(__ro_after_init_start);
	phys_addr_t ro_end = arch_virt_to_phys(__ro_after_init_end);
	int err;

	if (ro_end > ro) {
		err = pt_protect(&kernel_pgtable, ro, ro_end - ro, PROT_READ);
		if (err != 0) {
			panic("mark_rodata_ro: cannot write-protect "
			      "__ro_after_init [%#llx-%#llx) (%d)",
			      (unsigned long long)ro,
			      (unsigned long long)ro_end, err);
		}
	}
	check_read_only(__image_start, __rodata_end, "text/rodata");
	check_read_only(__ro_after_init_start, __ro_after_init_end,
			"__ro_after_init");
	pr_info("Write protecting the kernel read-only data: %lluk text and "
		"rodata, %lluk ro_after_init\n",
		(unsigned long long)((__rodata_end - __image_start) >> 10),
		(unsigned long long)((ro_end - ro) >> 10));
	arch_finalize_boot();
}
