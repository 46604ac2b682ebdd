// SPDX-License-Identifier: BSD-2-Clause
/*
 * Seed mixing for the stack-protector canary (docs/hardening.md). Pure
 * integer code, also built on the host (tests/host/test_random.c). Each
 * value is folded in as h = fmix64(rotl(h, 23) ^ v) + odd constant: fmix64
 * is a bijection, so distinct inputs at one step give distinct hashes, and
 * its avalanche spreads every input bit. It makes no cryptographic claim:
 * the canary is as hard to guess as the best input, no harder.
 */
#include <string.h>

#include <cairn/random.h>

static uint64_t rotl64(uint64_t x, unsigned int r)
{
	return (x << r) | (x >> (64 - r));
}

uint64_t random_mix(uint64_t h, uint64_t v)
{
	return random_fmix64(rotl64(h, 23) ^ v) + RANDOM_MIX_INIT;
}

uint64_t random_mix_bytes(uint64_t h, const void *p, size_t len)
{
	const uint8_t *b = p;
	uint64_t v;

	h = random_mix(h, (uint64_t)len);
	for (; len >= 8; b += 8, len -= 8) {
		memcpy(&v, b, 8);
		h = random_mix(h, v);
	}
	if (len > 0) {
		v = 0;
		memcpy(&v, b, len);
		h = random_mix(h, v);
	}
	return h;
}

uint64_t random_canary(uint64_t h)
{
	uint64_t c = random_fmix64(h ^ 0x6a09e667f3bcc909ull);

	c &= ~(uint64_t)0xff;
	/* fmix64 is a bijection: exactly one h gives 0 here, plus the mask's 255. */
	if (c == 0) {
		c = 0x5a17c0de00ull;
	}
	return c;
}
