// SPDX-License-Identifier: BSD-2-Clause
/*
 * arch_random_seed() on arm64: RNDRRS, the "reseeded" read of FEAT_RNG,
 * where ID_AA64ISAR0_EL1.RNDR says the CPU has it [Arm ARM D17.2.66,
 * C5.2.16]. It reports failure in NZCV (Z set) and is retried a bounded
 * number of times. QEMU's cortex-a57 lacks it; -cpu max has it.
 */
#include <cairn/arch.h>

#include "arm64.h"

#define ISAR0_RNDR_SHIFT	60
#define RNDR_TRIES		10

/* RNDRRS by its encoding: assemblers without +rng still take it. */
static bool rndrrs(uint64_t *v)
{
	uint64_t ok;

	__asm__ volatile("mrs %0, s3_3_c2_c4_1\n\tcset %1, ne"
			 : "=r"(*v), "=r"(ok) : : "cc");
	return ok != 0;
}

bool arch_random_seed(uint64_t *seed)
{
	uint64_t v;

	if (((read_sysreg(id_aa64isar0_el1) >> ISAR0_RNDR_SHIFT) & 0xf) == 0) {
		return false;
	}
	for (int i = 0; i < RNDR_TRIES; i++) {
		if (rndrrs(&v)) {
			*seed = v;
			return true;
		}
	}
	return false;
}
