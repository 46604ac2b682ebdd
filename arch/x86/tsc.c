// SPDX-License-Identifier: BSD-2-Clause
/*
 * The arch counter is the TSC. Its frequency comes from the hypervisor's
 * timing leaf, else from CPUID leaf 0x15, else from timing 1 ms of PIT
 * channel 2 [Intel 8254 datasheet; IBM PC port 0x61]. Runs before the
 * console exists, so the source is kept for arch_setup() to log.
 */
#include <cairn/arch.h>

#include "x86.h"

#define PIT_HZ		1193182
#define PIT_CH2		0x42
#define PIT_CMD		0x43
/* Channel 2, low then high byte, mode 0, binary. */
#define PIT_CMD_CH2_MODE0 0xb0
#define PORT_B		0x61	/* system control port B */
#define PORT_B_GATE2	0x01	/* channel 2 gate */
#define PORT_B_SPEAKER	0x02	/* speaker data enable */
#define PORT_B_OUT2	0x20	/* channel 2 output, read-only */
#define CALIBRATE_MS	1
/* A missing PIT must not hang the boot. */
#define PIT_POLL_MAX	10000000

/* Used only when every source fails; a guess, named in the log. */
#define TSC_FALLBACK_HZ	UINT64_C(1000000000)

static uint64_t tsc_hz __ro_after_init;
static const char *source __initdata = "none";

/* KVM/VMware-style leaf 0x40000010: EAX = TSC kHz. */
static uint64_t __init tsc_hz_hypervisor(void)
{
	if (!(cpuid(1, 0).ecx & CPUID1_ECX_HYPERVISOR) ||
	    cpuid(0x40000000, 0).eax < 0x40000010) {
		return 0;
	}
	return (uint64_t)cpuid(0x40000010, 0).eax * 1000;
}

/* Leaf 0x15: TSC = crystal (ECX Hz) * EBX / EAX, when all three are given. */
static uint64_t __init tsc_hz_cpuid15(void)
{
	struct cpuid_regs r;

	if (cpuid(0, 0).eax < 0x15) {
		return 0;
	}
	r = cpuid(0x15, 0);
	if (r.eax == 0 || r.ebx == 0 || r.ecx == 0) {
		return 0;
	}
	return (uint64_t)r.ecx * r.ebx / r.eax;
}

static uint64_t __init tsc_hz_pit(void)
{
	const uint32_t count = PIT_HZ * CALIBRATE_MS / 1000;
	uint64_t t0, t1;
	uint32_t i;

	/* Gate on, speaker off; mode 0 drives OUT2 low until the count ends. */
	outb(PORT_B, (inb(PORT_B) & ~PORT_B_SPEAKER) | PORT_B_GATE2);
	outb(PIT_CMD, PIT_CMD_CH2_MODE0);
	outb(PIT_CH2, count & 0xff);
	outb(PIT_CH2, count >> 8);
	t0 = rdtsc();
	for (i = 0; i < PIT_POLL_MAX; i++) {
		if (inb(PORT_B) & PORT_B_OUT2) {
			break;
		}
	}
	t1 = rdtsc();
	if (i == 0 || i == PIT_POLL_MAX || t1 <= t0) {
		return 0;
	}
	return (t1 - t0) * PIT_HZ / count;
}

void __init arch_early_init(struct boot_handoff *bh)
{
	(void)bh;
	tsc_hz = tsc_hz_hypervisor();
	source = "hypervisor leaf 0x40000010";
	if (tsc_hz == 0) {
		tsc_hz = tsc_hz_cpuid15();
		source = "CPUID leaf 0x15";
	}
	if (tsc_hz == 0) {
		tsc_hz = tsc_hz_pit();
		source = "PIT channel 2";
	}
	if (tsc_hz == 0) {
		tsc_hz = TSC_FALLBACK_HZ;
		source = "a guess (no PIT)";
	}
}

const char *__init tsc_source(void)
{
	return source;
}

uint64_t arch_counter_read(void)
{
	return rdtsc();
}

uint64_t arch_counter_hz(void)
{
	return tsc_hz;
}
