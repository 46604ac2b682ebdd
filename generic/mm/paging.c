// SPDX-License-Identifier: BSD-2-Clause
/*
 * The kernel map (docs/paging.md) and ioremap(). paging_init() builds one
 * set of tables with the generic walker (pgtable.c), from memblock and the
 * linker's section symbols, and hands its root to arch_pgtable_activate():
 *
 *   0 .. PAGE_SIZE               never mapped: NULL faults
 *   memory not NOMAP             VA == PA, RW, never executable
 *   [image, rodata_end)          R, and the text inside it RX
 *   [rodata_end, image_end)      data, .init, bss, boot stack: RW, and
 *                                .init.text inside it RX
 *   the page under the boot stack  unmapped: the stack's guard
 *   ioremap() windows            RW device memory, never executable
 *   everything else              unmapped
 *
 * No arch code here and nothing arch-specific beyond what
 * <cairn/pgtable.h> exposes; it must not map anything writable and
 * executable at once. Runs once, on the boot CPU, in setup_arch(): what
 * only paging_init() calls is __init. free_initmem() later remaps the .init
 * range as ordinary memory, mark_rodata_ro() the __ro_after_init data R.
 */
#include <stdio.h>

#include <cairn/arch.h>
#include <cairn/compiler.h>
#include <cairn/errno.h>
#include <cairn/io.h>
#include <cairn/log.h>
#include <cairn/memblock.h>
#include <cairn/mm.h>
#include <cairn/pgtable.h>
#include <cairn/sections.h>

struct io_window {
	phys_addr_t base;
	phys_addr_t end;
};

struct pgtable kernel_pgtable;

static struct io_window io_windows[IOREMAP_MAX_WINDOWS];
static unsigned int nr_io_windows;
static bool paging_live __ro_after_init;

/* Does [base, end) overlap memory the kernel map covers (not NOMAP)? */
static bool overlaps_mapped_memory(phys_addr_t base, phys_addr_t end)
{
	for (unsigned long i = 0; i < memblock.memory.cnt; i++) {
		const struct memblock_region *r = &memblock.memory.regions[i];

		if (!memblock_is_nomap(r) && base < r->base + r->size &&
		    r->base < end) {
			return true;
		}
	}
	return false;
}

static int map_window(const struct io_window *w)
{
	return pt_map(&kernel_pgtable, w->base, w->base, w->end - w->base,
		      PROT_RW | PROT_DEVICE);
}

/**
 * ioremap() - map device registers; see <cairn/io.h>
 * @pa: physical address of the registers
 * @size: bytes
 *
 * Return: the kernel virtual address of @pa, or NULL.
 */
void *ioremap(phys_addr_t pa, uint64_t size)
{
	struct io_window w;

	if (size == 0 || pa + size - 1 < pa ||
	    pa + size - 1 > PHYS_ADDR_MAX - PAGE_SIZE) {
		return NULL;
	}
	w.base = ALIGN_DOWN(pa, PAGE_SIZE);
	w.end = ALIGN_UP(pa + size, PAGE_SIZE);
	for (unsigned int i = 0; i < nr_io_windows; i++) {
		if (io_windows[i].base <= w.base &&
		    w.end <= io_windows[i].end) {
			return arch_phys_to_virt(pa);
		}
	}
	if (nr_io_windows == IOREMAP_MAX_WINDOWS) {
		pr_err("ioremap: [%#llx-%#llx) refused: all %d windows in use; "
		       "raise IOREMAP_MAX_WINDOWS\n",
		       (unsigned long long)w.base, (unsigned long long)w.end,
		       IOREMAP_MAX_WINDOWS);
		return NULL;
	}
	if (paging_live) {
		if (overlaps_mapped_memory(w.base, w.end)) {
			pr_err("ioremap: [%#llx-%#llx) overlaps memory: "
			       "refused\n",
			       (unsigned long long)w.base,
			       (unsigned long long)w.end);
			return NULL;
		}
		if (map_window(&w) < 0) {
			pr_err("ioremap: [%#llx-%#llx) could not be mapped\n",
			       (unsigned long long)w.base,
			       (unsigned long long)w.end);
			return NULL;
		}
	}
	io_windows[nr_io_windows++] = w;
	return arch_phys_to_virt(pa);
}

static void __init map_or_panic(uint64_t base, uint64_t end, unsigned int prot,
				const char *what)
{
	int err = pt_map(&kernel_pgtable, base, base, end - base, prot);

	if (err == -ENOMEM) {
		panic("paging_init: memblock has no page for a table while "
		      "mapping %s [%#llx-%#llx)",
		      what, (unsigned long long)base, (unsigned long long)end);
	}
	if (err < 0) {
		panic("paging_init: cannot map %s [%#llx-%#llx): error %d",
		      what, (unsigned long long)base, (unsigned long long)end,
		      err);
	}
}

/*
 * Memory beyond what the tables can map (PT_VA_END) stays out of the map, so
 * memblock must not allocate there: not table pages now, nothing later.
 * Called before the first table page and again after the switch (the arch
 * may have moved the limit in between).
 */
static void __init limit_to_map(void)
{
	if (memblock_end_of_DRAM() > PT_VA_END &&
	    memblock_get_current_limit() > PT_VA_END) {
		memblock_set_current_limit(PT_VA_END);
	}
}

/*
 * Memory that is not NOMAP, VA == PA, RW and not executable; page 0 never;
 * nothing at or above PT_VA_END. Return: regions mapped.
 */
static unsigned int __init map_memory(uint64_t *bytes)
{
	unsigned int mapped = 0;

	*bytes = 0;
	/*
	 * By index and by value: allocating table pages changes the
	 * reserved array, and may move it, while this loop runs.
	 */
	for (unsigned long i = 0; i < memblock.memory.cnt; i++) {
		struct memblock_region r = memblock.memory.regions[i];
		uint64_t base = max(ALIGN_UP(r.base, PAGE_SIZE), PAGE_SIZE);
		uint64_t end = ALIGN_DOWN(r.base + r.size, PAGE_SIZE);

		if (memblock_is_nomap(&r)) {
			continue;
		}
		if (end > PT_VA_END) {
			pr_warn("paging_init: memory [%#llx-%#llx) beyond the "
				"%#llx the tables map: removed\n",
				(unsigned long long)max(base, PT_VA_END),
				(unsigned long long)end,
				(unsigned long long)PT_VA_END);
			end = PT_VA_END;
		}
		if (base >= end) {
			continue;
		}
		map_or_panic(base, end, PROT_RW, "memory");
		*bytes += end - base;
		mapped++;
	}
	return mapped;
}

/* The linker scripts promise page-aligned section boundaries; check. */
static void __init check_image_layout(void)
{
	static const struct {
		const char *name;
		const char *addr;
	} syms[] = {
	    {"__image_start", __image_start},
	    {"__text_start", __text_start},
	    {"__text_end", __text_end},
	    {"__rodata_start", __rodata_start},
	    {"__rodata_end", __rodata_end},
	    {"__ro_after_init_start", __ro_after_init_start},
	    {"__ro_after_init_end", __ro_after_init_end},
	    {"__init_start", __init_start},
	    {"__init_text_end", __init_text_end},
	    {"__init_end", __init_end},
	    {"__image_end", __image_end},
	};

	for (size_t i = 0; i < ARRAY_SIZE(syms); i++) {
		if (!IS_ALIGNED(arch_virt_to_phys(syms[i].addr), PAGE_SIZE)) {
			panic("paging_init: %s at %p is not page-aligned: "
			      "fix the arch's kernel.ld",
			      syms[i].name, (const void *)syms[i].addr);
		}
		if (i > 0 && syms[i].addr < syms[i - 1].addr) {
			panic("paging_init: %s lies below %s: fix the arch's "
			      "kernel.ld",
			      syms[i].name, syms[i - 1].name);
		}
	}
}

/*
 * The image: read-only up to rodata's end, text executable, then RW but
 * for .init.text, which is executable until free_initmem().
 */
static void __init map_image(void)
{
	phys_addr_t image = arch_virt_to_phys(__image_start);
	phys_addr_t text = arch_virt_to_phys(__text_start);
	phys_addr_t text_end = arch_virt_to_phys(__text_end);
	phys_addr_t ro_end = arch_virt_to_phys(__rodata_end);
	phys_addr_t end = arch_virt_to_phys(__image_end);
	phys_addr_t init = arch_virt_to_phys(__init_start);
	phys_addr_t init_text_end = arch_virt_to_phys(__init_text_end);
	phys_addr_t stack = arch_virt_to_phys(__stack_bottom);
	phys_addr_t stack_top = arch_virt_to_phys(__stack_top);

	check_image_layout();
	map_or_panic(image, ro_end, PROT_READ, "kernel rodata");
	map_or_panic(text, text_end, PROT_RX, "kernel text");
	if (end > ro_end) {
		map_or_panic(ro_end, end, PROT_RW, "kernel data and bss");
	}
	if (init_text_end > init) {
		map_or_panic(init, init_text_end, PROT_RX, "kernel .init.text");
	}
	/*
	 * The boot stack's guard (kernel.ld): an overflow faults there
	 * instead of writing over .noclear and .bss. The image's VA is its
	 * PA, so this also takes it out of the map of memory.
	 */
	if (stack_top > stack && stack - PAGE_SIZE >= image) {
		phys_addr_t guard = stack - PAGE_SIZE;

		if (!IS_ALIGNED(guard, PAGE_SIZE) ||
		    pt_unmap(&kernel_pgtable, guard, PAGE_SIZE) < 0) {
			panic("paging_init: cannot unmap the stack guard page "
			      "at %#llx", (unsigned long long)guard);
		}
	}
}

static unsigned int __init map_io_windows(void)
{
	unsigned int mapped = 0;

	for (unsigned int i = 0; i < nr_io_windows; i++) {
		const struct io_window *w = &io_windows[i];

		if (overlaps_mapped_memory(w->base, w->end)) {
			pr_warn("paging_init: device window [%#llx-%#llx) "
				"overlaps memory: left as memory\n",
				(unsigned long long)w->base,
				(unsigned long long)w->end);
			continue;
		}
		if (map_window(w) < 0) {
			panic("paging_init: cannot map device window "
			      "[%#llx-%#llx)",
			      (unsigned long long)w->base,
			      (unsigned long long)w->end);
		}
		mapped++;
	}
	return mapped;
}

/* "4K", "2M", "1G", "512G": the size one entry at @level maps. */
static void __init level_name(int level, char *buf, size_t len)
{
	static const char units[] = "KMGTP";
	uint64_t size = pt_level_size(level) >> 10;
	unsigned int u = 0;

	while (size >= 1024 && u < sizeof(units) - 2) {
		size >>= 10;
		u++;
	}
	snprintf(buf, len, "%llu%c", (unsigned long long)size, units[u]);
}

static void __init describe_range(const struct pt_range *r, void *arg)
{
	char blocks[96] = "";
	size_t used = 0;

	(void)arg;
	for (int l = 0; l < PT_LEVELS && used < sizeof(blocks); l++) {
		char name[8];

		if (r->blocks[l] == 0) {
			continue;
		}
		level_name(l, name, sizeof(name));
		used += (size_t)snprintf(
		    blocks + used, sizeof(blocks) - used, " %llux%s",
		    (unsigned long long)r->blocks[l], name);
	}
	pr_debug("  [%#014llx-%#014llx] -> %#014llx %c%c%c%s%s\n",
		 (unsigned long long)r->va,
		 (unsigned long long)(r->va + r->size - 1),
		 (unsigned long long)r->pa, (r->prot & PROT_READ) ? 'r' : '-',
		 (r->prot & PROT_WRITE) ? 'w' : '-',
		 (r->prot & PROT_EXEC) ? 'x' : '-',
		 (r->prot & PROT_DEVICE) ? " device" : "", blocks);
}

/**
 * paging_reset() - forget the kernel map and every ioremap() window
 *
 * For host tests only (tests/host/test_paging.c): the table pages are not
 * given back, and nothing is switched on the CPU.
 */
void paging_reset(void)
{
	kernel_pgtable = (struct pgtable){0};
	nr_io_windows = 0;
	paging_live = false;
}

static phys_addr_t pt_page_from_buddy(void)
{
	uintptr_t va = get_zeroed_page(GFP_KERNEL);

	return va ? arch_virt_to_phys((const void *)va) : 0;
}

void paging_use_page_allocator(void)
{
	pt_set_allocator(pt_page_from_buddy);
}

/**
 * paging_init() - build the kernel map and switch to it
 *
 * See <cairn/pgtable.h>. Panics when memblock cannot supply a table page
 * or the linker script breaks the image layout promise.
 */
void __init paging_init(void)
{
	unsigned int regions, windows;
	uint64_t bytes;

	pt_set_allocator(NULL);
	limit_to_map();
	if (pt_init(&kernel_pgtable) < 0) {
		panic("paging_init: memblock has no page for the root table");
	}
	regions = map_memory(&bytes);
	/*
	 * Memory the tables cannot map is no memory for the page allocator
	 * either: a firmware range near 2^64 would otherwise size the memmap
	 * to the top of the address space (docs/robustness.md).
	 */
	if (memblock_end_of_DRAM() > PT_VA_END) {
		memblock_remove(PT_VA_END, PHYS_ADDR_MAX - PT_VA_END);
	}
	map_image();
	windows = map_io_windows();
	/* Whatever asked for it, page 0 stays out so that NULL faults. */
	if (pt_unmap(&kernel_pgtable, 0, PAGE_SIZE) < 0) {
		panic("paging_init: cannot keep page 0 unmapped");
	}

	arch_pgtable_activate(kernel_pgtable.root);
	paging_live = true;
	limit_to_map();

	pr_debug("paging_init: %u memory regions (%llu MiB), the image and %u "
		 "device windows mapped with %llu table pages, root %#llx\n",
		 regions, (unsigned long long)(bytes >> 20), windows,
		 (unsigned long long)kernel_pgtable.nr_tables,
		 (unsigned long long)kernel_pgtable.root);
	if (CAIRN_LOG_LEVEL >= LOG_DEBUG) {
		pr_debug("paging_init: the kernel map (VA -> PA):\n");
		pt_walk(&kernel_pgtable, describe_range, NULL);
	}
}
