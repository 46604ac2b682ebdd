// SPDX-License-Identifier: BSD-2-Clause
/*
 * PSCI calls [Arm DEN 0022D] and power off. The conduit, HVC or SMC, is the
 * DT's /psci "method" [Linux Documentation/devicetree/bindings/arm/psci.yaml]:
 * QEMU virt says "hvc", and "smc" with virtualization=on, where HVC belongs
 * to the guest's EL2. The firmware interface, not a firmware data parser.
 */
#include <string.h>

#include <cairn/arch.h>
#include <cairn/fdt.h>
#include <cairn/log.h>

#include "arm64.h"

static enum psci_conduit conduit __ro_after_init = PSCI_CONDUIT_NONE;

/* SMCCC 1.0 [Arm DEN 0028]: x0 in and out, x1..x17 may be clobbered. */
static uint64_t psci_call(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 __asm__("x0") = fn;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;

	if (conduit == PSCI_CONDUIT_HVC) {
		__asm__ volatile("hvc #0"
				 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
				 :
				 : "x4", "x5", "x6", "x7", "x8", "x9", "x10",
				   "x11", "x12", "x13", "x14", "x15", "x16",
				   "x17", "memory");
	} else if (conduit == PSCI_CONDUIT_SMC) {
		__asm__ volatile("smc #0"
				 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
				 :
				 : "x4", "x5", "x6", "x7", "x8", "x9", "x10",
				   "x11", "x12", "x13", "x14", "x15", "x16",
				   "x17", "memory");
	}
	return x0;
}

/* The /psci node, or a negative libfdt error. */
static int __init psci_node(const void *fdt)
{
	static const char *const compatible[] = {
		"arm,psci-1.0", "arm,psci-0.2", "arm,psci",
	};
	int node = fdt_index_path_offset(fdt, "/psci");

	for (size_t i = 0; node < 0 && i < ARRAY_SIZE(compatible); i++) {
		node = fdt_index_node_offset_by_compatible(fdt, -1,
							    compatible[i]);
	}
	return node;
}

/**
 * psci_init() - choose the PSCI conduit from the device tree
 * @fdt: the blob, or NULL
 *
 * None when the DT has no PSCI node: the Raspberry Pi firmware's armstub
 * (and QEMU raspi3b) park secondary CPUs on a spin table and offer no PSCI,
 * and an HVC there would enter an EL2 nobody set up. HVC when the node
 * says nothing usable (no DT at all, or no "method"): that is QEMU virt's
 * default and Linux's assumption for firmware that predates "method".
 */
void __init psci_init(const void *fdt)
{
	const char *method;
	int node, len;

	conduit = PSCI_CONDUIT_HVC;
	if (fdt == NULL) {
		return;
	}
	node = psci_node(fdt);
	if (node < 0) {
		conduit = PSCI_CONDUIT_NONE;
		return;
	}
	method = fdt_index_getprop(fdt, node, FDT_P_METHOD, &len);
	if (method == NULL || len < 1 || method[len - 1] != '\0') {
		return;
	}
	if (strcmp(method, "smc") == 0) {
		conduit = PSCI_CONDUIT_SMC;
	}
}

const char *psci_conduit_name(void)
{
	switch (conduit) {
	case PSCI_CONDUIT_HVC:
		return "hvc";
	case PSCI_CONDUIT_SMC:
		return "smc";
	default:
		return "none";
	}
}

/*
 * A failure status first goes to semihosting, which QEMU turns into its own
 * exit status when run with -semihosting (ci/qemu-run.py does); without it
 * the HLT traps and returns. Then PSCI SYSTEM_OFF, which QEMU reports as
 * exit status 0. Without PSCI (the Pi's spin-table armstub, QEMU raspi3b)
 * success goes to semihosting too, and where nobody listens (a board) the
 * CPU halts after a last line saying so.
 */
void arch_poweroff(int status)
{
	if (status != 0) {
		arm64_semihosting_exit(status);
	}
	if (conduit == PSCI_CONDUIT_NONE) {
		if (status == 0) {
			arm64_semihosting_exit(0);
		}
		pr_info("cairn: no PSCI to power off with: halted\n");
	} else {
		psci_call(PSCI_0_2_FN_SYSTEM_OFF, 0, 0, 0);
	}
	arch_halt();
}

void arch_halt(void)
{
	__asm__ volatile("msr daifset, #0xf" ::: "memory");
	for (;;) {
		__asm__ volatile("wfi");
	}
}
