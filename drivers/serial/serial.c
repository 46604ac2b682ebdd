// SPDX-License-Identifier: BSD-2-Clause
/*
 * Console selection: /chosen/stdout-path (or the older linux,stdout-path),
 * an alias or a full path with optional ":options", to a node whose
 * "compatible" one of our drivers knows. Without a device tree, or when the
 * path leads nowhere known, the arch's fallback is used.
 */
#include <string.h>

#include <cairn/arch.h>
#include <cairn/boot.h>
#include <cairn/fdt.h>
#include <cairn/io.h>
#include <cairn/log.h>
#include <cairn/serial.h>

static const struct serial_driver *const drivers[] = {
	&bcm2835_aux_driver,
	&ns16550_driver,
	&pl011_driver,
	&sifive_uart_driver,
};

static struct console dt_console;
static uint64_t dt_console_phys;	/* for the log line */

static const struct serial_driver *match(const void *fdt, int node)
{
	for (size_t i = 0; i < ARRAY_SIZE(drivers); i++) {
		for (const char *const *c = drivers[i]->compatible; *c; c++) {
			if (fdt_index_node_check_compatible(fdt, node, *c) ==
			    0) {
				return drivers[i];
			}
		}
	}
	return NULL;
}

/* The node /chosen/stdout-path names, or a negative libfdt error. */
static int stdout_node(const void *fdt)
{
	const char *path;
	const char *colon;
	int chosen, len;

	chosen = fdt_index_path_offset(fdt, "/chosen");
	if (chosen < 0) {
		return chosen;
	}
	path = fdt_index_getprop(fdt, chosen, FDT_P_STDOUT_PATH, &len);
	if (path == NULL) {
		path = fdt_index_getprop(fdt, chosen,
					 FDT_P_LINUX_STDOUT_PATH, &len);
	}
	if (path == NULL || len < 2 || path[len - 1] != '\0') {
		return -FDT_ERR_NOTFOUND;
	}
	/* "serial0:115200n8": the options after ':' are the firmware's business. */
	colon = memchr(path, ':', (size_t)len);
	return fdt_index_path_offset_namelen(fdt, path,
					     colon ? (int)(colon - path) :
						     len - 1);
}

static const struct console *probe_dt(const void *fdt)
{
	const struct serial_driver *drv;
	uint64_t base, size;
	void *regs;
	int node;

	if (fdt == NULL) {
		return NULL;
	}
	node = stdout_node(fdt);
	if (node < 0 || (drv = match(fdt, node)) == NULL) {
		return NULL;
	}
	if (fdt_node_reg(fdt, node, 0, &base, &size) < 0) {
		return NULL;
	}
	/* The kernel map covers device registers only through ioremap(). */
	regs = ioremap(base, size != 0 ? size : PAGE_SIZE);
	if (regs == NULL) {
		return NULL;
	}
	dt_console = (struct console){
		.name = drv->name,
		.putc = drv->putc,
		.base = (uintptr_t)regs,
		.reg_shift = fdt_index_u32(fdt, node, FDT_P_REG_SHIFT, 0),
		.io_width = fdt_index_u32(fdt, node, FDT_P_REG_IO_WIDTH, 1),
	};
	if (dt_console.reg_shift > 3 ||
	    (dt_console.io_width != 1 && dt_console.io_width != 4)) {
		return NULL;
	}
	drv->init(&dt_console);
	dt_console_phys = base;
	return &dt_console;
}

void serial_console_init(const struct boot_handoff *bh)
{
	const struct console *con = NULL;

	if (bh->fdt != 0) {
		con = probe_dt(arch_phys_to_virt(bh->fdt));
	}
	if (con == NULL) {
		con = arch_console_fallback(bh);
	}
	console_register(con);
	if (con == &dt_console) {
		pr_info("console: %s at %#llx, from /chosen/stdout-path\n",
			con->name, (unsigned long long)dt_console_phys);
	}
}
