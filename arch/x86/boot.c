// SPDX-License-Identifier: BSD-2-Clause
/*
 * x86_64 PVH boot: record what the loader handed over in struct
 * hvm_start_info [xen public/arch-x86/hvm/start_info.h] and call the generic
 * sequence; also the reservations only x86 knows about (real-mode data and
 * the legacy hole below 1 MiB). The e820 table itself is interpreted by the
 * generic converters, not here. Everything in start_info is untrusted.
 */
#include <cairn/arch.h>
#include <cairn/boot.h>
#include <cairn/init.h>
#include <cairn/log.h>
#include <cairn/sections.h>

#include "x86.h"

/* "xEn3" with bit 7 of the 'E' set. */
#define HVM_START_MAGIC		0x336ec578

/*
 * Layout as in the Xen header. Fields from memmap_paddr on exist from
 * version 1; a version 0 structure is 0x28 bytes long.
 */
struct hvm_start_info {
	uint32_t magic;
	uint32_t version;
	uint32_t flags;
	uint32_t nr_modules;
	uint64_t modlist_paddr;
	uint64_t cmdline_paddr;
	uint64_t rsdp_paddr;
	uint64_t memmap_paddr;		/* version >= 1 */
	uint32_t memmap_entries;	/* version >= 1 */
	uint32_t reserved;
};

struct hvm_modlist_entry {
	uint64_t paddr;
	uint64_t size;
	uint64_t cmdline_paddr;
	uint64_t reserved;
};

/* The table behind BOOT_E820_PVH: struct hvm_memmap_table_entry. */
#define HVM_MEMMAP_ENTRY_SIZE	24

_Static_assert(sizeof(struct hvm_start_info) == 0x38, "hvm_start_info");
_Static_assert(sizeof(struct hvm_modlist_entry) == 0x20, "hvm_modlist_entry");

/* entry.S maps only the first 4 GiB: pointers beyond it cannot be read. */
#define IDENTITY_LIMIT		(UINT64_C(1) << 32)
#define CMDLINE_MAX		4096

/* Real-mode leftovers below 1 MiB [PC BIOS conventions]. */
#define BDA_EBDA_SEGMENT	0x40e	/* u16: EBDA segment, in the BDA */
#define EBDA_LOWEST		0x80000
#define LEGACY_HOLE_START	0xa0000
#define LEGACY_HOLE_END		0x100000

static struct boot_handoff handoff;

/* What x86_boot() saw, for arch_early_reserve() to log. */
static uint32_t start_info_pa;
static uint32_t start_info_magic;
static uint32_t start_info_version;
static uint32_t dropped_pointers;

__noreturn void x86_boot(uint32_t start_info);

static bool readable(uint64_t pa, uint64_t size)
{
	return pa != 0 && pa < IDENTITY_LIMIT && size <= IDENTITY_LIMIT - pa;
}

/* Reserve the pages [pa, pa + size) lie in under @name. */
static void reserve_pages(uint64_t pa, uint64_t size, const char *name)
{
	uint64_t base = ALIGN_DOWN(pa, PAGE_SIZE);
	uint64_t end = ALIGN_UP(pa + size, PAGE_SIZE);

	boot_handoff_reserve(&handoff, base, end - base, name, false);
}

static uint64_t cmdline_size(uint64_t pa)
{
	const char *s = arch_phys_to_virt(pa);
	uint64_t n = 0;

	while (n < CMDLINE_MAX - 1 && s[n] != '\0') {
		n++;
	}
	return n + 1;
}

/* Copy what start_info says into the hand-off record, dropping bad pointers. */
static void pvh_record(const struct hvm_start_info *si)
{
	reserve_pages(start_info_pa, sizeof(*si), "pvh start_info");

	if (si->version >= 1 && si->memmap_entries != 0) {
		uint64_t size = (uint64_t)si->memmap_entries *
				HVM_MEMMAP_ENTRY_SIZE;

		if (readable(si->memmap_paddr, size)) {
			handoff.e820 = si->memmap_paddr;
			handoff.e820_entries = si->memmap_entries;
			handoff.e820_format = BOOT_E820_PVH;
			reserve_pages(si->memmap_paddr, size, "pvh memmap");
		} else {
			dropped_pointers++;
		}
	}
	if (si->cmdline_paddr != 0) {
		if (readable(si->cmdline_paddr, CMDLINE_MAX)) {
			handoff.cmdline = si->cmdline_paddr;
			reserve_pages(si->cmdline_paddr,
				      cmdline_size(si->cmdline_paddr),
				      "pvh cmdline");
		} else {
			dropped_pointers++;
		}
	}
	handoff.rsdp = si->rsdp_paddr;
	if (si->nr_modules != 0) {
		const struct hvm_modlist_entry *mod;

		if (!readable(si->modlist_paddr, sizeof(*mod))) {
			dropped_pointers++;
			return;
		}
		/* Module 0 is the initrd; the generic code reserves it. */
		mod = arch_phys_to_virt(si->modlist_paddr);
		reserve_pages(si->modlist_paddr, sizeof(*mod), "pvh modlist");
		if (mod->paddr != 0 && mod->size != 0) {
			handoff.initrd = mod->paddr;
			handoff.initrd_size = mod->size;
		}
	}
}

/**
 * x86_boot() - first C code, called by entry.S
 * @start_info: physical address of struct hvm_start_info (EBX at entry)
 *
 * Runs in long mode on the boot stack, BSS cleared, the first 4 GiB
 * identity-mapped, no console yet. Never returns.
 */
void x86_boot(uint32_t start_info)
{
	const struct hvm_start_info *si = arch_phys_to_virt(start_info);

	handoff.entry_ticks = rdtsc();
	handoff.boot_path = "pvh";
	handoff.boot_cpu = cpuid(1, 0).ebx >> 24;	/* initial APIC id */
	handoff.image_base = arch_virt_to_phys(__image_start);

	start_info_pa = start_info;
	if (readable(start_info, sizeof(*si))) {
		start_info_magic = si->magic;
		start_info_version = si->version;
		if (si->magic == HVM_START_MAGIC) {
			pvh_record(si);
		}
	}
	start_kernel(&handoff);
}

void arch_early_reserve(struct boot_handoff *bh)
{
	uint64_t ebda;

	if (start_info_magic != HVM_START_MAGIC) {
		pr_warn("pvh: start_info at %#x has magic %#x, not %#x: "
			"ignored, booting without it\n", start_info_pa,
			start_info_magic, HVM_START_MAGIC);
	} else {
		pr_info("pvh: start_info v%u at %#x, cmdline %#llx, "
			"rsdp %#llx, initrd %#llx+%#llx\n", start_info_version,
			start_info_pa, (unsigned long long)bh->cmdline,
			(unsigned long long)bh->rsdp,
			(unsigned long long)bh->initrd,
			(unsigned long long)bh->initrd_size);
	}
	if (dropped_pointers != 0) {
		pr_warn("pvh: %u start_info pointers beyond 4 GiB ignored\n",
			dropped_pointers);
	}

	x86_mm_early();
	early_reserve_range(0, PAGE_SIZE, "real-mode IVT and BDA");
	ebda = (uint64_t)*(volatile uint16_t *)arch_phys_to_virt(
		BDA_EBDA_SEGMENT) << 4;
	if (ebda >= EBDA_LOWEST && ebda < LEGACY_HOLE_START) {
		early_reserve_range(ebda, LEGACY_HOLE_START - ebda, "EBDA");
	} else if (ebda != 0) {
		pr_warn("  x86: EBDA segment in the BDA points to %#llx; "
			"ignored\n", (unsigned long long)ebda);
	}
	early_reserve_range(LEGACY_HOLE_START,
			    LEGACY_HOLE_END - LEGACY_HOLE_START,
			    "legacy VGA/ROM hole");
}
