// SPDX-License-Identifier: BSD-2-Clause
/*
 * x86_64 boot: x86_boot() is the first C code of every boot path but UEFI
 * (whose stub runs before it, efi.c). It records what the loader handed
 * over in struct boot_handoff and calls the generic sequence: the PVH
 * start_info here [xen public/arch-x86/hvm/start_info.h], the Linux
 * boot_params in bootparams.c, the UEFI record in efi.c. Also the
 * reservations only x86 knows about (real-mode data and the legacy hole
 * below 1 MiB). The e820 table itself is interpreted by the generic
 * converters, not here. Everything the loader hands over is untrusted.
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
#define CMDLINE_MAX		BZ_CMDLINE_MAX

/* Real-mode leftovers below 1 MiB [PC BIOS conventions]. */
#define BDA_EBDA_SEGMENT	0x40e	/* u16: EBDA segment, in the BDA */
#define EBDA_LOWEST		0x80000
#define LEGACY_HOLE_START	0xa0000
#define LEGACY_HOLE_END		0x100000

struct boot_handoff x86_boot_handoff;

/* How we were entered (X86_BOOT_*), for arch_early_reserve() to log. */
static uint32_t boot_kind __initdata;

/* What x86_boot() saw of start_info, for arch_early_reserve() to log. */
static uint32_t start_info_pa __initdata;
static uint32_t start_info_magic __initdata;
static uint32_t start_info_version __initdata;
uint32_t x86_boot_dropped __initdata;

__noreturn void x86_boot(uint32_t kind, uint64_t ptr);

/**
 * x86_boot_readable() - whether the boot map covers [@pa, @pa + @size)
 * @pa, @size: a range the loader pointed to; @pa 0 counts as absent
 *
 * entry.S maps only the first 4 GiB: pointers beyond it cannot be read
 * before paging_init(). Return: true if the range can be read now.
 */
bool __init x86_boot_readable(uint64_t pa, uint64_t size)
{
	return pa != 0 && pa < IDENTITY_LIMIT && size <= IDENTITY_LIMIT - pa;
}

/**
 * x86_boot_reserve() - keep the pages of a hand-over structure
 * @pa, @size: the structure
 * @name: static string for the reservation's log line
 *
 * Rounds out to pages and records the range in the hand-off record;
 * warns if the record is full (the range then stays unreserved).
 */
void __init x86_boot_reserve(uint64_t pa, uint64_t size, const char *name)
{
	uint64_t base = ALIGN_DOWN(pa, PAGE_SIZE);
	uint64_t end = ALIGN_UP(pa + size, PAGE_SIZE);

	if (boot_handoff_reserve(&x86_boot_handoff, base, end - base, name,
				 false) < 0) {
		x86_boot_dropped++;
	}
}

/**
 * x86_boot_cmdline_size() - bytes of a NUL-terminated command line
 * @pa: its physical address (readable)
 *
 * Return: the length including the NUL, at most CMDLINE_MAX.
 */
uint64_t __init x86_boot_cmdline_size(uint64_t pa)
{
	const char *s = arch_phys_to_virt(pa);
	uint64_t n = 0;

	while (n < CMDLINE_MAX - 1 && s[n] != '\0') {
		n++;
	}
	return n + 1;
}

/* Copy what start_info says into the hand-off record, dropping bad pointers. */
static void __init pvh_record(struct boot_handoff *bh,
			      const struct hvm_start_info *si)
{
	x86_boot_reserve(start_info_pa, sizeof(*si), "pvh start_info");

	if (si->version >= 1 && si->memmap_entries != 0) {
		uint64_t size = (uint64_t)si->memmap_entries *
				HVM_MEMMAP_ENTRY_SIZE;

		if (x86_boot_readable(si->memmap_paddr, size)) {
			bh->e820 = si->memmap_paddr;
			bh->e820_entries = si->memmap_entries;
			bh->e820_format = BOOT_E820_PVH;
			x86_boot_reserve(si->memmap_paddr, size, "pvh memmap");
		} else {
			x86_boot_dropped++;
		}
	}
	if (si->cmdline_paddr != 0) {
		if (x86_boot_readable(si->cmdline_paddr, CMDLINE_MAX)) {
			bh->cmdline = si->cmdline_paddr;
			x86_boot_reserve(si->cmdline_paddr,
				      x86_boot_cmdline_size(si->cmdline_paddr),
				      "pvh cmdline");
		} else {
			x86_boot_dropped++;
		}
	}
	bh->rsdp = si->rsdp_paddr;
	if (si->nr_modules != 0) {
		const struct hvm_modlist_entry *mod;

		if (!x86_boot_readable(si->modlist_paddr, sizeof(*mod))) {
			x86_boot_dropped++;
			return;
		}
		/* Module 0 is the initrd; the generic code reserves it. */
		mod = arch_phys_to_virt(si->modlist_paddr);
		x86_boot_reserve(si->modlist_paddr, sizeof(*mod), "pvh modlist");
		if (mod->paddr != 0 && mod->size != 0) {
			bh->initrd = mod->paddr;
			bh->initrd_size = mod->size;
		}
	}
}

/**
 * x86_boot() - first C code after entry.S, every path
 * @kind: how the kernel was entered (X86_BOOT_* in asm.h)
 * @ptr: physical address of what that path hands over: struct
 *	hvm_start_info (PVH), struct boot_params (Linux), 0 (UEFI: efi.c
 *	has filled the record already)
 *
 * Runs in long mode on the boot stack, BSS cleared (UEFI: before the
 * stub ran), the first 4 GiB identity-mapped, no console yet. Never
 * returns.
 */
void __init x86_boot(uint32_t kind, uint64_t ptr)
{
	struct boot_handoff *bh = &x86_boot_handoff;

	if (bh->entry_ticks == 0) {
		bh->entry_ticks = rdtsc();
	}
	boot_kind = kind;
	bh->boot_cpu = cpuid(1, 0).ebx >> 24;	/* initial APIC id */
	bh->image_base = arch_virt_to_phys(__image_start);

	switch (kind) {
	case X86_BOOT_PVH:
		bh->boot_path = "pvh";
		start_info_pa = (uint32_t)ptr;
		if (x86_boot_readable(ptr, sizeof(struct hvm_start_info))) {
			const struct hvm_start_info *si = arch_phys_to_virt(ptr);

			start_info_magic = si->magic;
			start_info_version = si->version;
			if (si->magic == HVM_START_MAGIC) {
				pvh_record(bh, si);
			}
		}
		break;
	case X86_BOOT_LINUX32:
	case X86_BOOT_LINUX64:
		bh->boot_path = kind == X86_BOOT_LINUX32 ? "linux" : "linux64";
		x86_bootparams_record(bh, ptr);
		break;
	case X86_BOOT_EFI:
		x86_efi_record(bh);
		break;
	}
	start_kernel(bh);
}

static void __init pvh_log(const struct boot_handoff *bh)
{
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
}

void __init arch_early_reserve(struct boot_handoff *bh)
{
	uint64_t ebda;

	switch (boot_kind) {
	case X86_BOOT_PVH:
		pvh_log(bh);
		break;
	case X86_BOOT_LINUX32:
	case X86_BOOT_LINUX64:
		x86_bootparams_log(bh);
		break;
	case X86_BOOT_EFI:
		x86_efi_log(bh);
		break;
	}
	if (x86_boot_dropped != 0) {
		pr_warn("x86: %u hand-over pointers beyond 4 GiB or "
			"reservations beyond BOOT_MAX_RESERVED ignored\n",
			x86_boot_dropped);
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
