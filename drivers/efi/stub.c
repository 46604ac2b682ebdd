// SPDX-License-Identifier: BSD-2-Clause
/*
 * The UEFI stub: the only code in Cairn that calls UEFI boot services. It
 * runs on the firmware's stack with the firmware's page tables, before
 * start_kernel(), so it must not touch memblock, the console or anything
 * else of the kernel proper: it only fills struct boot_handoff. After a
 * successful efi_stub_exit_boot_services() the firmware is gone; the
 * arch's entry code then switches to the kernel's stack.
 *
 * The firmware's tables are trusted as far as calling them goes (there is
 * no alternative), but what they return is recorded for the converters,
 * which check it like any other firmware data.
 */
#include <string.h>

#include <cairn/efi.h>
#include <cairn/efi_stub.h>
#include <cairn/errno.h>

static struct efi_system_table *systab;
static efi_handle_t image_handle;

/* Descriptors of room to spare when the map buffer is allocated. */
#define MAP_SLACK_DESCS		32
/* ExitBootServices() attempts before giving up. */
#define EXIT_TRIES		8

static bool guid_eq(const struct efi_guid *a, const struct efi_guid *b)
{
	return memcmp(a, b, sizeof(*a)) == 0;
}

void efi_stub_print(const char *msg)
{
	uint16_t buf[128];
	size_t n = 0;

	if (systab == NULL || systab->con_out == NULL) {
		return;
	}
	for (; *msg != '\0'; msg++) {
		if (*msg == '\n') {
			buf[n++] = '\r';
		}
		buf[n++] = (uint8_t)*msg;
		if (n >= ARRAY_SIZE(buf) - 2 || msg[1] == '\0') {
			buf[n] = 0;
			systab->con_out->output_string(systab->con_out, buf);
			n = 0;
		}
	}
}

static void print_status(const char *what, efi_status_t status)
{
	char msg[96];
	static const char hex[] = "0123456789abcdef";
	size_t n = strlen(what);

	if (n > sizeof(msg) - 24) {
		n = sizeof(msg) - 24;
	}
	memcpy(msg, what, n);
	memcpy(msg + n, ": status 0x", 11);
	n += 11;
	for (int shift = 60; shift >= 0; shift -= 4) {
		msg[n++] = hex[(status >> shift) & 0xf];
	}
	msg[n++] = '\n';
	msg[n] = '\0';
	efi_stub_print(msg);
}

void *efi_stub_locate_protocol(const struct efi_guid *guid)
{
	void *iface = NULL;

	if (systab == NULL ||
	    systab->boot_services->locate_protocol(guid, NULL, &iface) !=
		    EFI_SUCCESS) {
		return NULL;
	}
	return iface;
}

/*
 * Seed material from EFI_RNG_PROTOCOL, for init/random.c: the firmware's
 * RNG is usable only now, before ExitBootServices(). Firmware without the
 * protocol (or with no entropy to give) leaves bh->rng_seed_len at 0.
 */
static void read_rng_seed(struct boot_handoff *bh)
{
	const struct efi_guid guid = EFI_RNG_PROTOCOL_GUID;
	struct efi_rng_protocol *rng = efi_stub_locate_protocol(&guid);

	if (rng == NULL) {
		return;
	}
	if (rng->get_rng(rng, NULL, sizeof(bh->rng_seed), bh->rng_seed) ==
	    EFI_SUCCESS) {
		bh->rng_seed_len = sizeof(bh->rng_seed);
	}
}

int efi_stub_start(efi_handle_t image, struct efi_system_table *st,
		   struct boot_handoff *bh)
{
	const struct efi_guid dtb = EFI_DTB_TABLE_GUID;
	const struct efi_guid acpi20 = EFI_ACPI_20_TABLE_GUID;
	const struct efi_guid acpi10 = EFI_ACPI_10_TABLE_GUID;

	if (st == NULL || st->hdr.signature != EFI_SYSTEM_TABLE_SIGNATURE ||
	    st->boot_services == NULL ||
	    st->boot_services->hdr.signature != EFI_BOOT_SERVICES_SIGNATURE) {
		return -EINVAL;
	}
	systab = st;
	image_handle = image;
	efi_stub_print("Cairn: UEFI stub, taking over\n");
	/* The watchdog would reset the machine 5 minutes in [§7.5.1]. */
	st->boot_services->set_watchdog_timer(0, 0, 0, NULL);

	bh->boot_path = "uefi";
	for (uint64_t i = 0; i < st->nr_tables && st->tables != NULL; i++) {
		const struct efi_config_table *t = &st->tables[i];

		if (guid_eq(&t->guid, &dtb)) {
			bh->fdt = (uint64_t)(uintptr_t)t->table;
		} else if (guid_eq(&t->guid, &acpi20)) {
			bh->rsdp = (uint64_t)(uintptr_t)t->table;
		} else if (guid_eq(&t->guid, &acpi10) && bh->rsdp == 0) {
			bh->rsdp = (uint64_t)(uintptr_t)t->table;
		}
	}
	read_rng_seed(bh);
	return 0;
}

int efi_stub_exit_boot_services(struct boot_handoff *bh)
{
	struct efi_boot_services *bs = systab->boot_services;
	uint64_t size = 0, key = 0, desc_size = 0, buf_size;
	uint32_t desc_version = 0;
	efi_status_t status;
	void *map = NULL;

	/* Ask for the size, then allocate with room for what allocating adds. */
	status = bs->get_memory_map(&size, NULL, &key, &desc_size,
				    &desc_version);
	if (status != EFI_BUFFER_TOO_SMALL || desc_size == 0) {
		print_status("Cairn: GetMemoryMap(size)", status);
		return -EIO;
	}
	buf_size = size + MAP_SLACK_DESCS * desc_size;
	status = bs->allocate_pool(EFI_LOADER_DATA, buf_size, &map);
	if (status != EFI_SUCCESS) {
		print_status("Cairn: AllocatePool(memory map)", status);
		return -ENOMEM;
	}
	for (int tries = 0; tries < EXIT_TRIES; tries++) {
		size = buf_size;
		status = bs->get_memory_map(&size, map, &key, &desc_size,
					    &desc_version);
		if (status != EFI_SUCCESS) {
			/* Too small after a failed exit: nothing may be allocated. */
			if (tries == 0) {
				print_status("Cairn: GetMemoryMap", status);
			}
			return -EIO;
		}
		/*
		 * Printing or allocating now would change the map; a stale key
		 * makes ExitBootServices() fail and we try again [§7.4.6].
		 */
		status = bs->exit_boot_services(image_handle, key);
		if (status == EFI_SUCCESS) {
			bh->efi_mmap = (uint64_t)(uintptr_t)map;
			bh->efi_mmap_size = size;
			bh->efi_desc_size = (uint32_t)desc_size;
			bh->efi_desc_version = desc_version;
			/* LoaderData: the converter would hand it out. */
			boot_handoff_reserve(bh, (uint64_t)(uintptr_t)map,
					     buf_size, "uefi memory map", false);
			systab = NULL;	/* boot services are gone */
			return 0;
		}
		if (status != EFI_INVALID_PARAMETER) {
			break;
		}
	}
	print_status("Cairn: ExitBootServices", status);
	return -EIO;
}
