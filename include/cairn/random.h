// SPDX-License-Identifier: BSD-2-Clause
/*
 * Boot-time seed material (generic/random.c, init/random.c): a small mixing
 * function that folds whatever entropy the platform offers into 64 bits,
 * and the boot code that picks the best source for the stack-protector
 * canary (docs/hardening.md). The mixer is a hash, not a cryptographic
 * RNG: it spreads the bits of its inputs over the result, it adds no
 * entropy of its own, and the result is as unpredictable as the best
 * input only.
 */
#pragma once

#include <cairn/compiler.h>
#include <cairn/types.h>

struct boot_handoff;

/**
 * random_fmix64() - the 64-bit finaliser of MurmurHash3
 * @x: the value
 *
 * A bijection on 64-bit values in which every input bit flips each output
 * bit with probability close to 1/2 (xorshift, multiply, xorshift,
 * multiply, xorshift; the constants are MurmurHash3's).
 * Return: the mixed value.
 */
static inline uint64_t random_fmix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ull;
	x ^= x >> 33;
	return x;
}

/**
 * random_mix() - fold one 64-bit value into a running hash
 * @h: the hash so far (start from any constant, e.g. RANDOM_MIX_INIT)
 * @v: the value to add
 *
 * Order matters: mixing a then b differs from b then a, and mixing 0 still
 * changes @h.
 * Return: the new hash.
 */
uint64_t random_mix(uint64_t h, uint64_t v);

/**
 * random_mix_bytes() - fold @len bytes at @p into a running hash
 * @h: the hash so far
 * @p: the bytes (any alignment)
 * @len: how many; 0 is allowed and still mixes in the length
 *
 * Return: the new hash.
 */
uint64_t random_mix_bytes(uint64_t h, const void *p, size_t len);

/**
 * random_canary() - a stack-protector canary from a hash
 * @h: the hash of the seed material
 *
 * Finalises @h and clears the canary's lowest byte, the first one in
 * memory on every little-endian arch Cairn runs on: a string copy that
 * runs into the canary stops there, and a string read cannot print it
 * (Linux's CANARY_MASK). Never returns 0.
 * Return: the canary.
 */
uint64_t random_canary(uint64_t h);

/* Start value of a hash: the fractional part of the golden ratio. */
#define RANDOM_MIX_INIT		0x9e3779b97f4a7c15ull

/* Most bytes of a DT seed that are mixed in; the rest are only zeroed. */
#define RANDOM_DT_SEED_MAX	512

/**
 * random_dt_seed() - mix in /chosen/rng-seed (else kaslr-seed), then wipe it
 * @fdt: a blob that passed fdt_blob_check(); writable
 * @h: in/out, the running hash
 *
 * rng-seed may have any non-zero length (the first RANDOM_DT_SEED_MAX
 * bytes count); kaslr-seed must be 8 bytes. The property's bytes are then
 * overwritten with zeros in the blob, so that nothing that reads the DT
 * later (or an application given it) learns the seed. A seed of only zero
 * bytes (one wiped already) or of a wrong length is not used.
 * Return: the property's name, or NULL if the DT offers no usable seed.
 */
const char *random_dt_seed(void *fdt, uint64_t *h);

/**
 * random_boot_seed() - hash the best seed material this boot offers
 * @bh: the hand-off record
 * @h: out, the hash
 *
 * Tries, in order: the DT's /chosen/rng-seed or kaslr-seed, the seed the
 * UEFI stub read from EFI_RNG_PROTOCOL (bh->rng_seed, wiped after use),
 * the arch's hardware RNG (arch_random_seed(): RDSEED/RDRAND, RNDR), and
 * takes the first that delivers. The arch counter and a few addresses are
 * always mixed in as well, and are all there is when nothing else is.
 * Call after arch_early_init().
 * Return: the source used, for one log line.
 */
const char *random_boot_seed(struct boot_handoff *bh, uint64_t *h);

/**
 * random_init_canary() - seed the stack-protector canary, once, at boot
 * @bh: the hand-off record
 *
 * Called by start_kernel() right after arch_early_init(). It and every
 * function active while the canary changes is built without the stack
 * protector (__no_stack_protector).
 * Return: the source used (random_boot_seed()).
 */
const char *random_init_canary(struct boot_handoff *bh);
