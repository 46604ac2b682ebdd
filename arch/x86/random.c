// SPDX-License-Identifier: BSD-2-Clause
/*
 * arch_random_seed() on x86_64: RDSEED (the conditioner's output, meant for
 * seeding) if CPUID offers it, else RDRAND (a DRBG seeded from it). Both
 * may fail transiently (CF=0) when the hardware is drained, so each is
 * retried a bounded number of times [Intel DRNG Software Implementation
 * Guide §5.2, §5.3]: a boot never waits on it. QEMU's default CPU models
 * have neither; -cpu max and most hardware have both.
 */
#include <cairn/arch.h>

#include "x86.h"

#define CPUID1_ECX_RDRAND	(1u << 30)
#define CPUID7_EBX_RDSEED	(1u << 18)

/* The guide's advice for RDRAND; RDSEED gets as many tries, with a pause. */
#define RDRAND_TRIES		10
#define RDSEED_TRIES		10

static bool rdseed64(uint64_t *v)
{
	unsigned char ok;

	for (int i = 0; i < RDSEED_TRIES; i++) {
		__asm__ volatile("rdseed %0; setc %1" : "=r"(*v), "=qm"(ok));
		if (ok) {
			return true;
		}
		__asm__ volatile("pause");
	}
	return false;
}

static bool rdrand64(uint64_t *v)
{
	unsigned char ok;

	for (int i = 0; i < RDRAND_TRIES; i++) {
		__asm__ volatile("rdrand %0; setc %1" : "=r"(*v), "=qm"(ok));
		if (ok) {
			return true;
		}
	}
	return false;
}

bool arch_random_seed(uint64_t *seed)
{
	uint32_t max_leaf = cpuid(0, 0).eax;
	uint64_t v;

	if (max_leaf >= 7 && (cpuid(7, 0).ebx & CPUID7_EBX_RDSEED) &&
	    rdseed64(&v)) {
		*seed = v;
		return true;
	}
	if ((cpuid(1, 0).ecx & CPUID1_ECX_RDRAND) && rdrand64(&v)) {
		*seed = v;
		return true;
	}
	return false;
}
