// SPDX-License-Identifier: BSD-2-Clause
/*
 * The arch counter is the TSC. Its frequency comes from, in this order:
 *
 *   1. the hypervisor timing leaf 0x40000010 (VMware's, also offered by
 *      KVM/QEMU with invtsc): EAX = TSC kHz;
 *   2. KVM's pvclock (kvmclock), whose TSC-to-ns factor gives the rate;
 *   3. CPUID leaf 0x15: TSC = crystal * EBX / EAX, the crystal from ECX,
 *      else from the nominal crystal of the model [intel/vol3 §19.7.3,
 *      "Determining the Processor Base Frequency"], else leaf 0x16's
 *      base frequency (the TSC runs at the base frequency);
 *   4. PIT channel 2 [Intel 8254 datasheet; IBM PC port 0x61], counting
 *      down freely from 65536 at 1.193182 MHz: the TSC is read around
 *      changes of the latched count ("edges", each bracketed by two TSC
 *      reads), and the measurement stops as soon as the two brackets are
 *      small against the time between the edges (PIT_PRECISION).
 *      arch_post_mm_init() takes one more edge and redoes the division
 *      over the whole early boot (x86_tsc_refine()), unwrapping the
 *      16-bit count with the early value.
 *
 * Accuracy of 4. on QEMU TCG with -icount shift=0, where the TSC counts
 * 1 GHz of guest time: the early value is within ~0.3 % (8 PIT ticks,
 * ~8 k instructions); refined over the ~0.5 ms to arch_post_mm_init() it
 * is within ~50 ppm. Without icount QEMU's TSC is the host's and the PIT
 * follows the host clock: early within ~0.5 % after ~0.2 ms, refined
 * within ~30 ppm, also on a loaded host (the brackets absorb TCG's
 * jitter). The same under nested KVM with the KVM clock hidden. Under
 * KVM the KVM clock gives the host's kHz value exactly. On hardware,
 * where a port access takes ~1 us, the early measurement lasts ~1 ms.
 *
 * Runs before the console exists, so the source is kept for arch_setup()
 * to log.
 */
#include <cairn/arch.h>
#include <cairn/log.h>

#include "x86.h"

#define PIT_HZ		1193182
#define PIT_CH2		0x42
#define PIT_CMD		0x43
/* Channel 2, low then high byte, mode 2 (rate generator), binary. */
#define PIT_CMD_CH2_MODE2 0xb4
/* Counter latch command for channel 2. */
#define PIT_CMD_CH2_LATCH 0x80
#define PORT_B		0x61	/* system control port B */
#define PORT_B_GATE2	0x01	/* channel 2 gate */
#define PORT_B_SPEAKER	0x02	/* speaker data enable */

/*
 * The early measurement ends at the first edge at least PIT_MIN_TICKS
 * after the first one whose two TSC brackets, summed, are at most
 * 1/PIT_PRECISION of the time between the edges (so the error is below
 * 1/(2 * PIT_PRECISION) = 0.8 %). Loose on purpose: x86_tsc_refine() does
 * better at no cost, and each doubling of the precision doubles the time
 * spent here (~1 ms on hardware or TCG without icount, where a port read
 * takes ~1 us). A window restarts from the current edge after
 * PIT_MAX_TICKS (~20 ms) or a jump (PIT_JUMP_TICKS); after PIT_BUDGET
 * ticks (~50 ms: a host so loaded that the vCPU keeps stalling) the best
 * window seen counts if its error is below 1/(2 * PIT_WORST) = 25 %, with
 * a warning: still far better than a guess.
 */
#define PIT_PRECISION	64
#define PIT_WORST	2
#define PIT_MIN_TICKS	8
#define PIT_MAX_TICKS	24000
#define PIT_BUDGET	60000
/*
 * A PIT whose count does not change in this many reads is dead: they take
 * far longer than the 838 ns of one tick (> 20 us under TCG -icount).
 */
#define PIT_STALL_POLLS	1000
/*
 * Two reads normally see the count a few ticks apart. Seeing it move this
 * much means a stall between them (vCPU preempted, SMI) that could also
 * have wrapped the 16-bit count: the window restarts after it.
 */
#define PIT_JUMP_TICKS	1024

/* Plausible TSC frequencies; a source outside is ignored. */
#define TSC_MIN_HZ	UINT64_C(10000000)
#define TSC_MAX_HZ	UINT64_C(100000000000)

/* Used only when every source fails; a guess, named in the log. */
#define TSC_FALLBACK_HZ	UINT64_C(1000000000)

/* CPUID leaf 0 "GenuineIntel" in EBX, EDX, ECX. */
#define CPUID_INTEL_EBX	0x756e6547
#define CPUID_INTEL_EDX	0x49656e69
#define CPUID_INTEL_ECX	0x6c65746e

static uint64_t tsc_hz __ro_after_init;
static const char *source __initdata = "none";

/* One edge of the PIT count, bracketed in TSC ticks. */
struct pit_edge {
	uint64_t lo, hi;	/* the count changed within [lo, hi] */
	uint16_t count;		/* to this value */
};

/*
 * The early measurement, kept for the refinement: its first edge and its
 * quality, the brackets' summed width over the time between the edges.
 */
static struct pit_edge pit_start __initdata, pit_end __initdata;
static uint64_t pit_width __initdata, pit_dt __initdata;
static bool pit_used __initdata;
static const char *pit_problem __initdata;

static bool __init plausible(uint64_t hz)
{
	return hz >= TSC_MIN_HZ && hz <= TSC_MAX_HZ;
}

/* KVM/VMware-style leaf 0x40000010: EAX = TSC kHz. */
static uint64_t __init tsc_hz_hypervisor(void)
{
	if (!(cpuid(1, 0).ecx & CPUID1_ECX_HYPERVISOR) ||
	    cpuid(0x40000000, 0).eax < 0x40000010) {
		return 0;
	}
	return (uint64_t)cpuid(0x40000010, 0).eax * 1000;
}

/*
 * KVM's clock [linux Documentation/virt/kvm/x86/msr.rst]: the hypervisor
 * writes a struct pvclock_vcpu_time_info where MSR_KVM_SYSTEM_TIME_NEW
 * points; ns = (TSC delta shifted by tsc_shift) * tsc_to_system_mul / 2^32.
 * Read once for the rate, then switched off again.
 */
#define KVM_SIG_EBX		0x4b4d564b	/* "KVMKVMKVM\0\0\0" */
#define KVM_SIG_ECX		0x564b4d56
#define KVM_SIG_EDX		0x0000004d
#define KVM_FEATURE_CLOCKSOURCE2 (UINT32_C(1) << 3)
#define MSR_KVM_SYSTEM_TIME_NEW	0x4b564d01

struct pvclock_vcpu_time_info {
	uint32_t version;	/* odd while the hypervisor updates */
	uint32_t pad0;
	uint64_t tsc_timestamp;
	uint64_t system_time;
	uint32_t tsc_to_system_mul;
	int8_t tsc_shift;
	uint8_t flags;
	uint8_t pad[2];
};

_Static_assert(sizeof(struct pvclock_vcpu_time_info) == 32, "pvclock");

/* 32-aligned: never across a page. In BSS, so VA == PA. */
static struct pvclock_vcpu_time_info kvm_clock __aligned(32) __initdata;

static uint64_t __init tsc_hz_kvmclock(void)
{
	struct cpuid_regs r;
	uint32_t version, mul;
	int8_t shift;
	uint64_t hz;

	if (!(cpuid(1, 0).ecx & CPUID1_ECX_HYPERVISOR)) {
		return 0;
	}
	r = cpuid(0x40000000, 0);
	if (r.ebx != KVM_SIG_EBX || r.ecx != KVM_SIG_ECX ||
	    r.edx != KVM_SIG_EDX || r.eax < 0x40000001 ||
	    !(cpuid(0x40000001, 0).eax & KVM_FEATURE_CLOCKSOURCE2)) {
		return 0;
	}
	wrmsr(MSR_KVM_SYSTEM_TIME_NEW, arch_virt_to_phys(&kvm_clock) | 1);
	for (int i = 0; i < 1000; i++) {
		version = READ_ONCE(kvm_clock.version);
		__asm__ volatile("" ::: "memory");
		mul = READ_ONCE(kvm_clock.tsc_to_system_mul);
		shift = READ_ONCE(kvm_clock.tsc_shift);
		__asm__ volatile("" ::: "memory");
		if (!(version & 1) && version == READ_ONCE(kvm_clock.version)) {
			break;
		}
		mul = 0;
	}
	wrmsr(MSR_KVM_SYSTEM_TIME_NEW, 0);
	if (mul == 0 || shift < -31 || shift > 31) {
		return 0;
	}
	/* Hz = 10^9 * 2^32 / mul, undone by the shift. */
	hz = (UINT64_C(1000000000) << 32) / mul;
	return shift < 0 ? hz << -shift : hz >> shift;
}

/*
 * Nominal crystal of the Intel models whose leaf 0x15 leaves ECX 0
 * [intel/vol3 §19.7.3]: family 6 display models.
 */
static uint32_t __init intel_crystal_hz(uint32_t model)
{
	switch (model) {
	case 0x4e: /* Skylake to Coffee Lake client */
	case 0x5e:
	case 0x8e:
	case 0x9e:
		return 24000000;
	case 0x55: /* Xeon Scalable */
	case 0x5f: /* Atom Denverton */
		return 25000000;
	case 0x5c: /* Atom Goldmont, Goldmont Plus */
	case 0x7a:
		return 19200000;
	default:
		return 0;
	}
}

/*
 * Leaf 0x15: TSC = crystal * EBX / EAX. The crystal is ECX when given,
 * else the model's nominal one, else leaf 0x16 EAX (base MHz) stands for
 * the TSC directly.
 */
static uint64_t __init tsc_hz_cpuid15(void)
{
	struct cpuid_regs r0 = cpuid(0, 0), r, r1;
	uint32_t family, model, crystal;

	if (r0.eax < 0x15 || r0.ebx != CPUID_INTEL_EBX ||
	    r0.edx != CPUID_INTEL_EDX || r0.ecx != CPUID_INTEL_ECX) {
		return 0;
	}
	r = cpuid(0x15, 0);
	if (r.eax == 0 || r.ebx == 0) {
		return 0;
	}
	crystal = r.ecx;
	if (crystal == 0) {
		r1 = cpuid(1, 0);
		family = (r1.eax >> 8) & 0xf;
		model = ((r1.eax >> 4) & 0xf) | ((r1.eax >> 12) & 0xf0);
		crystal = family == 6 ? intel_crystal_hz(model) : 0;
	}
	if (crystal != 0) {
		return (uint64_t)crystal * r.ebx / r.eax;
	}
	if (r0.eax >= 0x16) {
		return (uint64_t)(cpuid(0x16, 0).eax & 0xffff) * 1000000;
	}
	return 0;
}

/* The count of channel 2 at the latch, which happens at the outb. */
static inline uint16_t pit_latch_read(uint64_t *latched)
{
	uint8_t lo, hi;

	outb(PIT_CMD, PIT_CMD_CH2_LATCH);
	*latched = rdtsc();
	lo = inb(PIT_CH2);
	hi = inb(PIT_CH2);
	return (uint16_t)(lo | hi << 8);
}

/*
 * Read the count until it differs from @e->count. The change happened
 * after the latch before (TSC @*before, taken just before that latch) and
 * before the TSC read just after the latch that saw it. When the count
 * moved by d > 1 ticks, d - 1 tick periods fit in that bracket, and the
 * change to the count seen is less than one period before its latch: the
 * bracket shrinks to that. (Without this, a slow first read, a stall or
 * port reads slower than a tick would skew the edge early.) Updates
 * @*before for the next call. False if the count is stuck.
 */
static bool __init pit_next_edge(struct pit_edge *e, uint64_t *before)
{
	uint64_t t0, t1, period;
	uint16_t c, d;

	for (int i = 0; i < PIT_STALL_POLLS; i++) {
		t0 = rdtsc();
		c = pit_latch_read(&t1);
		if (c != e->count) {
			d = (uint16_t)(e->count - c);
			e->lo = *before;
			e->hi = t1;
			e->count = c;
			if (d > 1) {
				period = (t1 - e->lo) / (d - 1);
				if (period < t0 && t0 - period > e->lo) {
					e->lo = t0 - period;
				}
			}
			*before = t0;
			return true;
		}
		*before = t0;
	}
	return false;
}

static uint64_t __init edge_mid(const struct pit_edge *e)
{
	return e->lo + (e->hi - e->lo) / 2;
}

static uint64_t __init edge_width(const struct pit_edge *a,
				  const struct pit_edge *b)
{
	return (a->hi - a->lo) + (b->hi - b->lo);
}

/* Whether the edges @a and @b, after @a, bound the TSC rate to 1/@div. */
static bool __init edges_within(const struct pit_edge *a,
				const struct pit_edge *b, uint64_t div)
{
	return b->lo > a->hi &&
	       edge_width(a, b) * div <= edge_mid(b) - edge_mid(a);
}

/* TSC Hz from two edges @ticks PIT ticks apart; 0 if not sensible. */
static uint64_t __init pit_hz(const struct pit_edge *a,
			      const struct pit_edge *b, uint64_t ticks)
{
	uint64_t dt = edge_mid(b) - edge_mid(a);

	if (ticks == 0 || b->lo <= a->hi) {
		return 0;
	}
	/* No overflow for dt < 2^64 / PIT_HZ: 4.9 years at 100 GHz. */
	return dt / ticks * PIT_HZ + dt % ticks * PIT_HZ / ticks;
}

/* Whether the window @s..@e bounds the rate better than @bs..@be. */
static bool __init edges_better(const struct pit_edge *s,
				const struct pit_edge *e,
				const struct pit_edge *bs,
				const struct pit_edge *be)
{
	return (unsigned __int128)edge_width(s, e) *
		   (edge_mid(be) - edge_mid(bs)) <
	       (unsigned __int128)edge_width(bs, be) *
		   (edge_mid(e) - edge_mid(s));
}

static uint64_t __init tsc_hz_pit(void)
{
	struct pit_edge s, e;
	uint64_t before, unused, hz;
	uint32_t ticks, spent = 0;
	uint16_t last;

	/* Gate on, speaker off, then count down from 65536, for ever. */
	outb(PORT_B, (inb(PORT_B) & ~PORT_B_SPEAKER) | PORT_B_GATE2);
	outb(PIT_CMD, PIT_CMD_CH2_MODE2);
	outb(PIT_CH2, 0);
	outb(PIT_CH2, 0);

	before = rdtsc();
	e.count = pit_latch_read(&unused);
	if (!pit_next_edge(&e, &before)) {
		goto dead;
	}
	s = e;
	pit_dt = 0;
	while (spent < PIT_BUDGET) {
		last = e.count;
		if (!pit_next_edge(&e, &before)) {
			goto dead;
		}
		spent += (uint16_t)(last - e.count);
		ticks = (uint16_t)(s.count - e.count);
		if ((uint16_t)(last - e.count) >= PIT_JUMP_TICKS ||
		    ticks >= PIT_MAX_TICKS) {
			s = e;
			continue;
		}
		if (ticks < PIT_MIN_TICKS || e.lo <= s.hi) {
			continue;
		}
		if (pit_dt == 0 ||
		    edges_better(&s, &e, &pit_start, &pit_end)) {
			pit_start = s;
			pit_end = e;
			pit_width = edge_width(&s, &e);
			pit_dt = edge_mid(&e) - edge_mid(&s);
			if (edges_within(&s, &e, PIT_PRECISION)) {
				break;
			}
		}
	}
	if (pit_dt == 0 || !edges_within(&pit_start, &pit_end, PIT_WORST)) {
		pit_problem = "PIT channel 2 too noisy to time";
		return 0;
	}
	hz = pit_hz(&pit_start, &pit_end,
		    (uint16_t)(pit_start.count - pit_end.count));
	pit_used = plausible(hz);
	if (!pit_used) {
		pit_problem = "PIT channel 2 gave an implausible rate";
	}
	return hz;
dead:
	pit_problem = "PIT channel 2 does not count: no PIT?";
	return 0;
}

/**
 * x86_tsc_refine() - redo the PIT measurement over the early boot
 *
 * Called from arch_post_mm_init(), while tsc_hz is still writable. When
 * the PIT gave the frequency, reads one more edge of the still running
 * count and divides the TSC ticks since the first edge of the early
 * measurement by the PIT ticks between them, unwrapping the 16-bit count
 * with the early value. Keeps the early value when that is ambiguous (the
 * early error bound spans 32768 ticks: seconds), the two disagree by more
 * than twice that bound, or the new edge's bracket is so wide (a stall)
 * that the result would be no better.
 */
void __init x86_tsc_refine(void)
{
	struct pit_edge e;
	uint64_t before, unused, dt, expect, tol, ticks, hz;
	int64_t off;

	if (!pit_used) {
		return;
	}
	before = rdtsc();
	e.count = pit_latch_read(&unused);
	if (!pit_next_edge(&e, &before) || e.lo <= pit_start.hi) {
		return;
	}
	dt = edge_mid(&e) - edge_mid(&pit_start);
	/* No better than the early measurement (a stall in a bracket)? */
	if ((unsigned __int128)edge_width(&pit_start, &e) * pit_dt >=
	    (unsigned __int128)pit_width * dt) {
		return;
	}
	expect = dt / tsc_hz * PIT_HZ + dt % tsc_hz * PIT_HZ / tsc_hz;
	/*
	 * The count only gives the ticks modulo 65536: take the number
	 * nearest to @expect, when twice the early error bound (@tol, in
	 * ticks) leaves one candidate.
	 */
	tol = expect / pit_dt * pit_width +
	      expect % pit_dt * pit_width / pit_dt + 2;
	if (tol >= 0x8000) {
		return;
	}
	off = (int16_t)(uint16_t)(pit_start.count - e.count - expect);
	if (off > (int64_t)tol || -off > (int64_t)tol ||
	    (int64_t)expect + off <= 0) {
		return;
	}
	ticks = (uint64_t)((int64_t)expect + off);
	hz = pit_hz(&pit_start, &e, ticks);
	if (plausible(hz)) {
		tsc_hz = hz;
	}
}

void __init arch_early_init(struct boot_handoff *bh)
{
	(void)bh;
	tsc_hz = tsc_hz_hypervisor();
	source = "hypervisor leaf 0x40000010";
	if (!plausible(tsc_hz)) {
		tsc_hz = tsc_hz_kvmclock();
		source = "KVM clock";
	}
	if (!plausible(tsc_hz)) {
		tsc_hz = tsc_hz_cpuid15();
		source = "CPUID leaf 0x15";
	}
	if (!plausible(tsc_hz)) {
		tsc_hz = tsc_hz_pit();
		source = "PIT channel 2";
	}
	if (!plausible(tsc_hz)) {
		tsc_hz = TSC_FALLBACK_HZ;
		source = NULL;
	}
}

/* NULL when no source worked and the frequency is a guess. */
const char *__init tsc_source(void)
{
	return source;
}

/* Why the PIT gave no frequency, for the log; NULL if it did. */
const char *__init tsc_pit_problem(void)
{
	return pit_problem;
}

/*
 * The error bound of the early PIT measurement in ppm when it is worse
 * than PIT_PRECISION asked for (a loaded host), else 0.
 */
uint32_t __init tsc_pit_noisy_ppm(void)
{
	if (!pit_used || edges_within(&pit_start, &pit_end, PIT_PRECISION)) {
		return 0;
	}
	return (uint32_t)(pit_width * 500000 / pit_dt);
}

uint64_t arch_counter_read(void)
{
	return rdtsc();
}

uint64_t arch_counter_hz(void)
{
	return tsc_hz;
}
