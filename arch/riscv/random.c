// SPDX-License-Identifier: BSD-2-Clause
/*
 * arch_random_seed() on riscv64: none. The Zkr seed CSR is not in the
 * rv64imac baseline Cairn builds for, and S-mode may read it only where
 * M-mode firmware allows (mseccfg.SSEED); the DT's /chosen/rng-seed
 * (QEMU virt, OpenSBI + U-Boot pass it on) and EFI_RNG_PROTOCOL serve.
 */
#include <cairn/arch.h>

bool arch_random_seed(uint64_t *seed)
{
	(void)seed;
	return false;
}
