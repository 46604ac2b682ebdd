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
#include <cairn/errno.h>
#include <cairn/fdt.h>
#include <cairn/init.h>
#include <cairn/log.h>
#include <cairn/memblock.h>
#include <cairn/sections.h>
#include <cairn/serial.h>

int boot_handoff_reserve(struct boot_handoff *bh, uint64_t base, uint64_t size,
			 const char *name, bool nomap)
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

void early_reserve_range(phys_addr_t base, phys_addr_t size, const char *what)
{
	if (size == 0) {
		return;
	}
	if (memblock_reserve(base, size) < 0) {
		panic("early_reserve_memory: memblock full reserving %s; "
		      "raise INIT_MEMBLOCK_REGIONS", what);
	}
	pr_info("  reserved [0x%016llx-0x%016llx] %s\n",
		(unsigned long long)base, (unsigned long long)(base + size - 1),
		what);
}

/*
 * Reserve everything that is in use before memblock knows any memory: the
 * kernel image, the firmware tables we were handed and what the arch entry
 * code recorded. Reservations may precede the memory they fall in.
 */
void early_reserve_memory(struct boot_handoff *bh)
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
	for (uint32_t i = 0; i < bh->nr_reserved && i < BOOT_MAX_RESERVED; i++) {
		early_reserve_range(bh->reserved[i].base, bh->reserved[i].size,
				    bh->reserved[i].name);
	}
	arch_early_reserve(bh);
}

/*
 * Describe memory from what the firmware handed over. The converters of
 * drivers/firmware/ fill memblock in; until they land, this names the
 * source it found.
 */
void detect_memory(struct boot_handoff *bh)
{
	if (bh->fdt != 0) {
		pr_info("detect_memory: device tree at %#llx\n",
			(unsigned long long)bh->fdt);
	} else if (bh->e820 != 0) {
		pr_info("detect_memory: e820 table at %#llx, %u entries\n",
			(unsigned long long)bh->e820, bh->e820_entries);
	} else {
		pr_info("detect_memory: no firmware memory description\n");
	}
}

void setup_arch(struct boot_handoff *bh)
{
	pr_info("setup_arch\n");
	arch_setup(bh);
}

void memmap_init(void)
{
	pr_info("memmap_init: %llu MiB of memory, %llu KiB reserved\n",
		(unsigned long long)(memblock_phys_mem_size() >> 20),
		(unsigned long long)(memblock_reserved_size() >> 10));
}

void mm_init(void)
{
	uint64_t pages;

	pr_info("mm_init: arch_pre_mm_init\n");
	arch_pre_mm_init();
	memmap_init();
	pages = memblock_free_all();
	pr_info("mm_init: memblock_free_all released %llu pages\n",
		(unsigned long long)pages);
	arch_post_mm_init();
	pr_info("mm_init: arch_post_mm_init done\n");
}

/*
 * Check the device tree once, before anyone reads it: every later user
 * (arch_early_init(), the console, the converters) may then rely on its
 * header and block offsets. A refused blob is dropped from the record.
 */
static const char *check_fdt(struct boot_handoff *bh, uint64_t *refused)
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

void start_kernel(struct boot_handoff *bh)
{
	static char *argv[] = { "cairn", NULL };
	const char *fdt_problem;
	uint64_t bad_fdt;
	int status;

	fdt_problem = check_fdt(bh, &bad_fdt);
	arch_early_init(bh);
	serial_console_init(bh);
	pr_info("Cairn %s booting via %s, boot CPU %llu\n", CAIRN_VERSION,
		bh->boot_path, (unsigned long long)bh->boot_cpu);
	if (fdt_problem != NULL) {
		pr_err("fdt: device tree at %#llx refused: %s\n",
		       (unsigned long long)bad_fdt, fdt_problem);
	}

	early_reserve_memory(bh);
	detect_memory(bh);
	setup_arch(bh);
	mm_init();

	pr_info("start_kernel: calling main()\n");
	status = main(1, argv);
	pr_info("main() returned %d\n", status);
	/* The QEMU tests read this line: keep its wording. */
	pr_info("cairn: exit status %d\n", status);
	arch_poweroff(status);
}
