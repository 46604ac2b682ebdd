// SPDX-License-Identifier: BSD-2-Clause
/*
 * start_kernel(): the one boot sequence every arch runs. The arch entry code
 * has set up a stack, cleared BSS and recorded the firmware hand-over in
 * struct boot_handoff; from here on nothing is arch-specific except through
 * the hooks of <cairn/arch.h>. This is the only place that decides what is
 * fatal.
 */
#include <cairn/arch.h>
#include <cairn/boot.h>
#include <cairn/e820.h>
#include <cairn/efi.h>
#include <cairn/errno.h>
#include <cairn/fdt.h>
#include <cairn/fwmap.h>
#include <cairn/init.h>
#include <cairn/log.h>
#include <cairn/memblock.h>
#include <cairn/mm.h>
#include <cairn/pgtable.h>
#include <cairn/random.h>
#include <cairn/sections.h>
#include <cairn/serial.h>
#include <cairn/stackprot.h>

int __init boot_handoff_reserve(struct boot_handoff *bh, uint64_t base,
				uint64_t size, const char *name, bool nomap)
{
	struct boot_range *r;

	if (bh->nr_reserved >= BOOT_MAX_RESERVED) {
		return -ENOSPC;
	}
	r = &bh->reserved[bh->nr_reserved++];
	r->base = base;
	r->size = size;
	r->name = name;
	r->nomap = nomap;
	return 0;
}

void __init early_reserve_range(phys_addr_t base, phys_addr_t size,
				const char *what)
{
	if (size == 0) {
		return;
	}
	if (memblock_reserve(base, size) < 0) {
		panic("early_reserve_memory: memblock full reserving %s; "
		      "raise INIT_MEMBLOCK_REGIONS", what);
	}
	/*
	 * Provenance too, so that "where does this reservation come from"
	 * has an answer for the kernel's own ranges as well.
	 */
	fw_record_done(fw_record(FW_FMT_KERNEL, what, 0, 0, base, size),
		       FW_TO_RESERVED, base, size, 0, NUMA_NO_NODE, NULL);
	pr_debug("  reserved [0x%016llx-0x%016llx] %s\n",
		 (unsigned long long)base,
		 (unsigned long long)(base + size - 1), what);
}

/*
 * Reserve everything that is in use before memblock knows any memory: the
 * kernel image, the firmware tables we were handed and what the arch entry
 * code recorded. Reservations may precede the memory they fall in.
 */
void __init early_reserve_memory(struct boot_handoff *bh)
{
	phys_addr_t image = arch_virt_to_phys(__image_start);

	pr_info("early_reserve_memory: image %#llx-%#llx\n",
		(unsigned long long)image,
		(unsigned long long)arch_virt_to_phys(__image_end));
	early_reserve_range(image, (phys_addr_t)(__image_end - __image_start),
			    "kernel image");
	if (bh->fdt != 0) {
		early_reserve_range(bh->fdt,
				    fdt_totalsize(arch_phys_to_virt(bh->fdt)),
				    "device tree");
	}
	if (bh->initrd != 0) {
		early_reserve_range(bh->initrd, bh->initrd_size, "initrd");
	}
	initrd_locate(bh);
	for (uint32_t i = 0; i < bh->nr_reserved && i < BOOT_MAX_RESERVED; i++) {
		early_reserve_range(bh->reserved[i].base, bh->reserved[i].size,
				    bh->reserved[i].name);
	}
	arch_early_reserve(bh);
}

/*
 * Describe memory from what the firmware handed over, through the generic
 * converters of drivers/firmware/ only (docs/firmware.md): a UEFI map is the
 * memory source when there is one, with the DT's reservations applied on
 * top; else the DT; else the e820 table. No arch code runs here.
 * Return: 0, -ENOMEM if memblock filled up, -ENODEV if nothing describes
 * memory.
 */
int __init detect_memory(struct boot_handoff *bh)
{
	const void *fdt = bh->fdt ? arch_phys_to_virt(bh->fdt) : NULL;
	int err = 0;

	if (bh->efi_mmap != 0) {
		pr_info("detect_memory: UEFI memory map at %#llx, %llu bytes\n",
			(unsigned long long)bh->efi_mmap,
			(unsigned long long)bh->efi_mmap_size);
		err = efi_memmap_scan(arch_phys_to_virt(bh->efi_mmap),
				      bh->efi_mmap_size, bh->efi_desc_size,
				      bh->efi_desc_version);
		if (err == 0 && fdt != NULL) {
			err = fdt_scan_reservations(fdt);
			fdt_compare_memory(fdt);
		}
	} else if (fdt != NULL) {
		pr_info("detect_memory: device tree at %#llx\n",
			(unsigned long long)bh->fdt);
		err = fdt_scan_memory(fdt);
	} else if (bh->e820 != 0) {
		pr_info("detect_memory: e820 table at %#llx, %u entries\n",
			(unsigned long long)bh->e820, bh->e820_entries);
		err = e820_scan(arch_phys_to_virt(bh->e820), bh->e820_entries,
				(enum boot_e820_format)bh->e820_format);
	} else {
		pr_info("detect_memory: no firmware memory description\n");
	}
	if (err == -ENOMEM) {
		return err;
	}
	fw_lint();
	if (memblock_phys_mem_size() == 0) {
		return -ENODEV;
	}
	pr_info("detect_memory: %llu KiB of memory in %lu regions, "
		"%llu KiB reserved in %lu\n",
		(unsigned long long)(memblock_phys_mem_size() >> 10),
		memblock.memory.cnt,
		(unsigned long long)(memblock_reserved_size() >> 10),
		memblock.reserved.cnt);
	return 0;
}

void __init setup_arch(struct boot_handoff *bh)
{
	pr_debug("setup_arch\n");
	arch_setup(bh);
	paging_init();
}

/*
 * The generic memory initialisation (docs/mm.md): struct pages and zones,
 * every free page to the buddy allocator, the report line, and the page
 * accounting checked once before anything allocates.
 */
void mm_init(void)
{
	struct mm_accounting acct;
	bool ok;
	uint64_t pages;
	int err;

	pr_debug("mm_init: arch_pre_mm_init\n");
	arch_pre_mm_init();
	err = memmap_init();
	if (err != 0) {
		panic("memmap_init: failed (%d): memblock has no room for the "
		      "struct pages of this memory model (docs/mm.md)", err);
	}
	boot_phase_mark(BOOT_PHASE_MEMMAP);
	pages = memblock_free_all();
	boot_phase_mark(BOOT_PHASE_FREE_ALL);
	/* memblock no longer allocates: later table pages come from the buddy. */
	paging_use_page_allocator();
	pr_info("mm_init: memblock_free_all released %llu pages\n",
		(unsigned long long)pages);
	mem_init_print_info();
	arch_post_mm_init();
	pr_debug("mm_init: arch_post_mm_init done\n");
	/* memblock_free_all() switched memblock's allocator off for good. */
	if (!memblock_allocator_off()) {
		panic("mm_init: memblock still allocates after "
		      "memblock_free_all()");
	}
	ok = mm_check_accounting(&acct);
	pr_info("mm_init: pages: %llu free + %llu allocated + %llu memmap + "
		"%llu kernel + %llu reserved %s %llu total\n",
		(unsigned long long)acct.free,
		(unsigned long long)acct.allocated,
		(unsigned long long)acct.memmap,
		(unsigned long long)acct.kernel,
		(unsigned long long)acct.reserved, ok ? "=" : "!=",
		(unsigned long long)acct.total);
	if (!ok) {
		panic("mm_init: page accounting broken (see the lines above)");
	}
	/* Boot-only memory back, then what must stay read-only (finalize.c). */
	free_initmem();
	mark_rodata_ro();
}

/*
 * Check the device tree once, before anyone reads it: every later user
 * (arch_early_init(), the console, the converters) may then rely on its
 * header and block offsets. A refused blob is dropped from the record.
 */
static const char *__init check_fdt(struct boot_handoff *bh,
				    uint64_t *refused)
{
	const char *why;

	*refused = 0;
	if (bh->fdt == 0) {
		return NULL;
	}
	why = fdt_blob_check(arch_phys_to_virt(bh->fdt), 0);
	if (why != NULL) {
		*refused = bh->fdt;
		bh->fdt = 0;
	}
	return why;
}

static uint64_t phase_end[BOOT_PHASE_MAX];

void boot_phase_mark(enum boot_phase phase)
{
	if (phase < BOOT_PHASE_MAX) {
		phase_end[phase] = arch_counter_read();
	}
}

static uint64_t ticks_to_ns(uint64_t ticks)
{
	uint64_t hz = arch_counter_hz();

	return ticks / hz * 1000000000u + ticks % hz * 1000000000u / hz;
}

/*
 * One line with what each phase cost, in ns of the arch counter (under
 * QEMU -icount shift=0, 1 ns is one guest instruction). A phase whose mark
 * is missing costs 0 and its time goes to the next one.
 */
static void report_phases(uint64_t entry_ticks)
{
	static const char *const names[BOOT_PHASE_MAX] = {
		"entry", "console", "early_reserve_memory", "detect_memory",
		"setup_arch", "memmap_init", "memblock_free_all", "mm_rest",
	};
	uint64_t prev = entry_ticks;

	pr_info("boot: phase costs in ns (counter %llu Hz):\n",
		(unsigned long long)arch_counter_hz());
	for (int i = 0; i < BOOT_PHASE_MAX; i++) {
		uint64_t end = phase_end[i] ? phase_end[i] : prev;

		pr_info("boot:   %-22s %10llu\n", names[i],
			(unsigned long long)ticks_to_ns(end - prev));
		prev = end;
	}
	pr_info("boot:   %-22s %10llu\n", "total to main()",
		(unsigned long long)ticks_to_ns(prev - entry_ticks));
}

/* Not protected: the canary changes under it (random_init_canary()). */
void __no_stack_protector start_kernel(struct boot_handoff *bh)
{
	static char *argv[] = { "cairn", NULL };
	const char *fdt_problem, *seed_source;
	uint64_t bad_fdt;
	struct mm_stats mm_before;
	int status;

	fw_log_init();	/* before any record: fw_log is not cleared at entry */
	fdt_problem = check_fdt(bh, &bad_fdt);
	arch_early_init(bh);
	seed_source = random_init_canary(bh);
	boot_phase_mark(BOOT_PHASE_ENTRY);
	serial_console_init(bh);
	pr_info("Cairn %s booting via %s, boot CPU %llu\n", CAIRN_VERSION,
		bh->boot_path, (unsigned long long)bh->boot_cpu);
	if (fdt_problem != NULL) {
		pr_err("fdt: device tree at %#llx refused: %s\n",
		       (unsigned long long)bad_fdt, fdt_problem);
	}
	pr_info("random: canary seeded from %s\n", seed_source);

	boot_phase_mark(BOOT_PHASE_CONSOLE);
	early_reserve_memory(bh);
	boot_phase_mark(BOOT_PHASE_EARLY_RESERVE);
	switch (detect_memory(bh)) {
	case 0:
		break;
	case -ENOMEM:
		panic("detect_memory: memblock is full; raise "
		      "INIT_MEMBLOCK_REGIONS (%d)", INIT_MEMBLOCK_REGIONS);
	default:
		panic("detect_memory: the firmware described no usable memory "
		      "(no DT memory node, UEFI map or e820 RAM)");
	}
	/* Memory and its reservations are known: memblock may now grow. */
	memblock_allow_resize();
	boot_phase_mark(BOOT_PHASE_DETECT);
	setup_arch(bh);
	boot_phase_mark(BOOT_PHASE_SETUP_ARCH);
	mm_init();
	boot_phase_mark(BOOT_PHASE_MM_REST);

	report_phases(bh->entry_ticks);
	mm_snapshot(&mm_before);
	pr_info("start_kernel: calling main()\n");
	status = main(1, argv);
	pr_info("main() returned %d\n", status);
	/* Nothing lost (docs/mm.md): a leak turns success into failure. */
	if (!mm_check_exit(&mm_before) && status == 0) {
		status = 1;
	}
	/* The QEMU tests read this line: keep its wording. */
	pr_info("cairn: exit status %d\n", status);
	arch_poweroff(status);
}
