// SPDX-License-Identifier: BSD-2-Clause
/*
 * The UEFI application side of the kernel image (drivers/efi/stub.c): what
 * runs while UEFI boot services are still up, when firmware (EDK2, U-Boot's
 * bootefi) starts the image as BOOT<ARCH>.EFI. It finds the configuration
 * tables, gets the memory map by the descriptor size the firmware gives,
 * exits boot services with the retry the spec requires [uefi 2.10 §7.4.6]
 * and records everything in struct boot_handoff; then the arch's entry code
 * moves to the kernel's own stack and calls start_kernel(). Kernel only.
 *
 * Only the parts of the tables Cairn calls are typed; the rest are padding
 * kept in the spec's order, with the layout checked by _Static_assert.
 */
#pragma once

#include <cairn/boot.h>
#include <cairn/types.h>

typedef uint64_t efi_status_t;
typedef void *efi_handle_t;

#define EFI_SUCCESS		0
#define EFI_ERROR_BIT		(UINT64_C(1) << 63)
#define EFI_LOAD_ERROR		(EFI_ERROR_BIT | 1)
#define EFI_INVALID_PARAMETER	(EFI_ERROR_BIT | 2)
#define EFI_UNSUPPORTED		(EFI_ERROR_BIT | 3)
#define EFI_BUFFER_TOO_SMALL	(EFI_ERROR_BIT | 5)
#define EFI_OUT_OF_RESOURCES	(EFI_ERROR_BIT | 9)
#define EFI_NOT_FOUND		(EFI_ERROR_BIT | 14)

struct efi_guid {
	uint32_t d1;
	uint16_t d2;
	uint16_t d3;
	uint8_t d4[8];
};

#define EFI_GUID(a, b, c, d0, d1, d2, d3, d4, d5, d6, d7)		\
	((struct efi_guid){ (a), (b), (c),				\
			    { (d0), (d1), (d2), (d3), (d4), (d5), (d6), (d7) } })

/* Configuration tables [uefi 2.10 §4.6] and protocols Cairn looks for. */
#define EFI_DTB_TABLE_GUID						\
	EFI_GUID(0xb1b621d5, 0xf19c, 0x41a5, 0x83, 0x0b, 0xd9, 0x15, 0x2c,	\
		 0x69, 0xaa, 0xe0)
#define EFI_ACPI_20_TABLE_GUID						\
	EFI_GUID(0x8868e871, 0xe4f1, 0x11d3, 0xbc, 0x22, 0x00, 0x80, 0xc7,	\
		 0x3c, 0x88, 0x81)
#define EFI_ACPI_10_TABLE_GUID						\
	EFI_GUID(0xeb9d2d30, 0x2d88, 0x11d3, 0x9a, 0x16, 0x00, 0x90, 0x27,	\
		 0x3f, 0xc1, 0x4d)
#define RISCV_EFI_BOOT_PROTOCOL_GUID					\
	EFI_GUID(0xccd15fec, 0x6f73, 0x4eec, 0x83, 0x95, 0x3e, 0x69, 0xe4,	\
		 0xb9, 0x40, 0xbf)
#define EFI_RNG_PROTOCOL_GUID						\
	EFI_GUID(0x3152bca5, 0xeade, 0x433d, 0x86, 0x2e, 0xc0, 0x1c, 0xdc,	\
		 0x29, 0x1f, 0x44)

struct efi_table_header {
	uint64_t signature;
	uint32_t revision;
	uint32_t header_size;
	uint32_t crc32;
	uint32_t reserved;
};

#define EFI_SYSTEM_TABLE_SIGNATURE	UINT64_C(0x5453595320494249)
#define EFI_BOOT_SERVICES_SIGNATURE	UINT64_C(0x56524553544f4f42)

struct efi_simple_text_output {
	void *reset;
	efi_status_t (EFIAPI *output_string)(struct efi_simple_text_output *out,
					     const uint16_t *str);
};

struct efi_config_table {
	struct efi_guid guid;
	void *table;
};

enum efi_allocate_type {
	EFI_ALLOCATE_ANY_PAGES,
	EFI_ALLOCATE_MAX_ADDRESS,
	EFI_ALLOCATE_ADDRESS,
};

/* EFI_BOOT_SERVICES [uefi 2.10 §4.4], in the spec's order. */
struct efi_boot_services {
	struct efi_table_header hdr;
	void *raise_tpl;
	void *restore_tpl;
	efi_status_t (EFIAPI *allocate_pages)(uint32_t type, uint32_t mem_type,
					      uint64_t pages, uint64_t *addr);
	efi_status_t (EFIAPI *free_pages)(uint64_t addr, uint64_t pages);
	efi_status_t (EFIAPI *get_memory_map)(uint64_t *size, void *map,
					      uint64_t *key,
					      uint64_t *desc_size,
					      uint32_t *desc_version);
	efi_status_t (EFIAPI *allocate_pool)(uint32_t mem_type, uint64_t size,
					     void **buf);
	efi_status_t (EFIAPI *free_pool)(void *buf);
	void *create_event;
	void *set_timer;
	void *wait_for_event;
	void *signal_event;
	void *close_event;
	void *check_event;
	void *install_protocol_interface;
	void *reinstall_protocol_interface;
	void *uninstall_protocol_interface;
	efi_status_t (EFIAPI *handle_protocol)(efi_handle_t handle,
					       const struct efi_guid *guid,
					       void **iface);
	void *reserved;
	void *register_protocol_notify;
	void *locate_handle;
	void *locate_device_path;
	void *install_configuration_table;
	void *load_image;
	void *start_image;
	void *exit;
	void *unload_image;
	efi_status_t (EFIAPI *exit_boot_services)(efi_handle_t image,
						  uint64_t map_key);
	void *get_next_monotonic_count;
	void *stall;
	efi_status_t (EFIAPI *set_watchdog_timer)(uint64_t timeout,
						  uint64_t code,
						  uint64_t data_size,
						  const uint16_t *data);
	void *connect_controller;
	void *disconnect_controller;
	void *open_protocol;
	void *close_protocol;
	void *open_protocol_information;
	void *protocols_per_handle;
	void *locate_handle_buffer;
	efi_status_t (EFIAPI *locate_protocol)(const struct efi_guid *guid,
					       void *registration,
					       void **iface);
};

_Static_assert(__builtin_offsetof(struct efi_boot_services, exit_boot_services)
	       == 24 + 26 * 8, "EFI_BOOT_SERVICES.ExitBootServices");
_Static_assert(__builtin_offsetof(struct efi_boot_services, locate_protocol)
	       == 24 + 37 * 8, "EFI_BOOT_SERVICES.LocateProtocol");

/* EFI_SYSTEM_TABLE [uefi 2.10 §4.3]. */
struct efi_system_table {
	struct efi_table_header hdr;
	uint16_t *firmware_vendor;
	uint32_t firmware_revision;
	efi_handle_t console_in_handle;
	void *con_in;
	efi_handle_t console_out_handle;
	struct efi_simple_text_output *con_out;
	efi_handle_t standard_error_handle;
	void *std_err;
	void *runtime_services;
	struct efi_boot_services *boot_services;
	uint64_t nr_tables;
	struct efi_config_table *tables;
};

_Static_assert(__builtin_offsetof(struct efi_system_table, boot_services) ==
	       96, "EFI_SYSTEM_TABLE.BootServices");

/*
 * EFI_RNG_PROTOCOL [uefi 2.10 §37.5.1]: GetRNG() with a NULL algorithm
 * uses the firmware's default one.
 */
struct efi_rng_protocol {
	efi_status_t (EFIAPI *get_info)(struct efi_rng_protocol *self,
					uint64_t *list_size,
					struct efi_guid *list);
	efi_status_t (EFIAPI *get_rng)(struct efi_rng_protocol *self,
				       const struct efi_guid *algorithm,
				       uint64_t size, uint8_t *value);
};

/* RISCV_EFI_BOOT_PROTOCOL [RISC-V UEFI protocol spec 1.0]. */
struct riscv_efi_boot_protocol {
	uint64_t revision;
	efi_status_t (EFIAPI *get_boot_hartid)(
		struct riscv_efi_boot_protocol *self, uint64_t *hartid);
};

/**
 * efi_stub_start() - first C code of a UEFI boot
 * @image: the image handle the firmware passed
 * @st: the system table the firmware passed
 * @bh: the hand-off record to fill in
 *
 * Checks the system table, prints a line on the firmware console, and
 * records the DT and ACPI tables it finds. Return: 0, or -EINVAL if @st is
 * not a UEFI system table (the caller returns EFI_LOAD_ERROR).
 */
int efi_stub_start(efi_handle_t image, struct efi_system_table *st,
		   struct boot_handoff *bh);

/* Print @msg (ASCII) on the firmware console; before exit only. */
void efi_stub_print(const char *msg);

/* The interface of protocol @guid, or NULL; before exit only. */
void *efi_stub_locate_protocol(const struct efi_guid *guid);

/**
 * efi_stub_exit_boot_services() - take the memory map and the machine
 * @bh: the record; its efi_mmap fields are filled in
 *
 * Allocates a map buffer with room to spare (as LoaderData, recorded in
 * bh->reserved[] so that it is never handed out), gets the map, and calls
 * ExitBootServices(); when the key is stale it gets the map again into the
 * same buffer and retries, as the spec requires. Return: 0, or a negative
 * errno after printing why (boot services are then still up).
 */
int efi_stub_exit_boot_services(struct boot_handoff *bh);
