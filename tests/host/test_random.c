// SPDX-License-Identifier: BSD-2-Clause
/*
 * The canary's seed: the mixer (generic/random.c) and the boot sources
 * (init/random.c), above all the DT reader, whose input is untrusted:
 * short, empty, all-zero, overlong and corrupted rng-seed/kaslr-seed
 * properties. Trees are made here with libfdt's sequential-write API.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairn/boot.h>
#include <cairn/fdt.h>
#include <cairn/random.h>
#include <cairn/stackprot.h>

#include "tap.h"

/* init/random.c installs the canary through this; the host keeps it here. */
static uintptr_t installed;

void stackprot_set_canary(uintptr_t canary)
{
	installed = canary;
}

static uint64_t blob[4096 / 8];

struct prop {
	const char *name;
	const void *val;
	int len;
};

/* A tree with /chosen holding @props (NULL name ends), checked and indexed. */
static void *make_dt(bool chosen, const struct prop *props)
{
	void *fdt = blob;

	memset(blob, 0, sizeof(blob));
	CHECK_EQ(fdt_create(fdt, sizeof(blob)), 0);
	CHECK_EQ(fdt_finish_reservemap(fdt), 0);
	CHECK_EQ(fdt_begin_node(fdt, ""), 0);
	CHECK_EQ(fdt_property_u32(fdt, "#address-cells", 2), 0);
	if (chosen) {
		CHECK_EQ(fdt_begin_node(fdt, "chosen"), 0);
		CHECK_EQ(fdt_property_string(fdt, "bootargs", "quiet"), 0);
		for (; props != NULL && props->name != NULL; props++) {
			CHECK_EQ(fdt_property(fdt, props->name, props->val,
					      props->len), 0);
		}
		CHECK_EQ(fdt_end_node(fdt), 0);
	}
	CHECK_EQ(fdt_end_node(fdt), 0);
	CHECK_EQ(fdt_finish(fdt), 0);
	CHECK(fdt_blob_check(fdt, sizeof(blob)) == NULL);
	return fdt;
}

static const uint8_t *prop_bytes(void *fdt, const char *name, int *len)
{
	int node = fdt_path_offset(fdt, "/chosen");

	return node < 0 ? NULL : fdt_getprop(fdt, node, name, len);
}

static bool all_zero(const uint8_t *p, int len)
{
	for (int i = 0; i < len; i++) {
		if (p[i] != 0) {
			return false;
		}
	}
	return true;
}

static int popcount64(uint64_t x)
{
	return __builtin_popcountll(x);
}

/* Deterministic, order-sensitive, and 0 is not a no-op. */
static void test_mix_basics(void)
{
	uint64_t a = random_mix(random_mix(RANDOM_MIX_INIT, 1), 2);
	uint64_t b = random_mix(random_mix(RANDOM_MIX_INIT, 2), 1);

	CHECK_EQ(a, random_mix(random_mix(RANDOM_MIX_INIT, 1), 2));
	CHECK(a != b);
	CHECK(random_mix(RANDOM_MIX_INIT, 0) != RANDOM_MIX_INIT);
	CHECK(random_mix(0, 0) != 0);
}

/*
 * Avalanche: flipping one input bit flips about half the output bits,
 * for every bit of the value and of the running hash.
 */
static void test_mix_avalanche(void)
{
	uint64_t s = 12345;
	long total = 0, n = 0;
	int worst_lo = 64, worst_hi = 0;

	for (int t = 0; t < 200; t++) {
		uint64_t h, v, base;

		s = random_fmix64(s + 1);
		h = s;
		v = random_fmix64(s ^ 0xabcdef);
		base = random_mix(h, v);
		for (int bit = 0; bit < 64; bit++) {
			int dv = popcount64(base ^ random_mix(h, v ^ (1ull << bit)));
			int dh = popcount64(base ^ random_mix(h ^ (1ull << bit), v));

			total += dv + dh;
			n += 2;
			worst_lo = min(worst_lo, min(dv, dh));
			worst_hi = max(worst_hi, max(dv, dh));
		}
	}
	/* Mean within 1 bit of 32; no flip leaves fewer than 8 changed. */
	CHECK(total > 31 * n && total < 33 * n);
	CHECK(worst_lo >= 8);
	CHECK(worst_hi <= 56);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Consecutive counter values (the weak source) give no collisions. */
static void test_mix_no_collisions(void)
{
	enum { N = 1 << 16 };
	uint64_t *v = malloc(N * sizeof(*v));
	int dups = 0;

	CHECK(v != NULL);
	for (uint64_t i = 0; i < N; i++) {
		v[i] = random_canary(random_mix(RANDOM_MIX_INIT, 1000000 + i));
	}
	qsort(v, N, sizeof(*v), cmp_u64);
	for (int i = 1; i < N; i++) {
		dups += v[i] == v[i - 1];
	}
	CHECK_EQ(dups, 0);
	free(v);
}

/* Bytes: length and every byte count, also in a tail that is not 8. */
static void test_mix_bytes(void)
{
	uint8_t buf[19] = { 0 };
	uint64_t h0 = random_mix_bytes(RANDOM_MIX_INIT, buf, sizeof(buf));

	CHECK(random_mix_bytes(RANDOM_MIX_INIT, buf, 18) != h0);
	CHECK(random_mix_bytes(RANDOM_MIX_INIT, buf, 0) != RANDOM_MIX_INIT);
	for (size_t i = 0; i < sizeof(buf); i++) {
		buf[i] = 1;
		CHECK(random_mix_bytes(RANDOM_MIX_INIT, buf, sizeof(buf)) != h0);
		buf[i] = 0;
	}
	/* Alignment does not matter. */
	{
		uint8_t big[32];

		memset(big, 7, sizeof(big));
		CHECK_EQ(random_mix_bytes(1, big, 16),
			 random_mix_bytes(1, big + 3, 16));
	}
}

/* The inverse of fmix64, to hit the one input that finalises to 0. */
static uint64_t inv_mul(uint64_t a)
{
	uint64_t x = a;	/* Newton: a is odd, x = a is right to 3 bits */

	for (int i = 0; i < 5; i++) {
		x *= 2 - a * x;
	}
	return x;
}

static uint64_t fmix64_inverse(uint64_t y)
{
	y ^= y >> 33;
	y *= inv_mul(0xc4ceb9fe1a85ec53ull);
	y ^= y >> 33;
	y *= inv_mul(0xff51afd7ed558ccdull);
	y ^= y >> 33;
	return y;
}

/* Never 0, lowest byte always 0, even for the inputs that finalise to 0. */
static void test_canary_form(void)
{
	uint64_t s = 1;

	CHECK_EQ(random_fmix64(fmix64_inverse(0x1234)), 0x1234);
	for (int i = 0; i < 10000; i++) {
		uint64_t c = random_canary(s);

		CHECK(c != 0);
		CHECK_EQ(c & 0xff, 0);
		s = random_fmix64(s + i);
	}
	for (uint64_t low = 0; low < 256; low++) {
		uint64_t h = fmix64_inverse(low) ^ 0x6a09e667f3bcc909ull;

		CHECK(random_canary(h) != 0);
	}
}

/* rng-seed: mixed in (all of it), named, wiped; a second read finds none. */
static void test_dt_rng_seed(void)
{
	static const uint8_t seed[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
					  11, 12, 13, 14, 15, 16 };
	const struct prop props[] = {
		{ "rng-seed", seed, sizeof(seed) },
		{ "kaslr-seed", "\1\2\3\4\5\6\7\10", 8 },
		{ NULL, NULL, 0 },
	};
	void *fdt = make_dt(true, props);
	uint64_t h = RANDOM_MIX_INIT;
	const uint8_t *p;
	const char *src;
	int len;

	src = random_dt_seed(fdt, &h);
	CHECK(src != NULL && strcmp(src, "/chosen/rng-seed") == 0);
	CHECK_EQ(h, random_mix_bytes(RANDOM_MIX_INIT, seed, sizeof(seed)));
	p = prop_bytes(fdt, "rng-seed", &len);
	CHECK(p != NULL && len == 16 && all_zero(p, len));
	/* The tree is intact: still valid, other properties untouched. */
	CHECK_EQ(fdt_check_header(fdt), 0);
	p = prop_bytes(fdt, "bootargs", &len);
	CHECK(p != NULL && strcmp((const char *)p, "quiet") == 0);
	/* rng-seed is spent: kaslr-seed is next, then nothing. */
	src = random_dt_seed(fdt, &h);
	CHECK(src != NULL && strcmp(src, "/chosen/kaslr-seed") == 0);
	p = prop_bytes(fdt, "kaslr-seed", &len);
	CHECK(p != NULL && len == 8 && all_zero(p, len));
	h = 5;
	CHECK(random_dt_seed(fdt, &h) == NULL);
	CHECK_EQ(h, 5);
}

/* Short and odd lengths: rng-seed of 1 and 13 bytes is used whole. */
static void test_dt_rng_seed_short(void)
{
	const struct prop one[] = { { "rng-seed", "\x5a", 1 }, { NULL, NULL, 0 } };
	const struct prop odd[] = { { "rng-seed", "0123456789abc", 13 },
				    { NULL, NULL, 0 } };
	uint64_t h = RANDOM_MIX_INIT;
	void *fdt = make_dt(true, one);
	const uint8_t *p;
	int len;

	CHECK(random_dt_seed(fdt, &h) != NULL);
	CHECK_EQ(h, random_mix_bytes(RANDOM_MIX_INIT, "\x5a", 1));
	p = prop_bytes(fdt, "rng-seed", &len);
	CHECK(p != NULL && len == 1 && p[0] == 0);
	fdt = make_dt(true, odd);
	h = RANDOM_MIX_INIT;
	CHECK(random_dt_seed(fdt, &h) != NULL);
	CHECK_EQ(h, random_mix_bytes(RANDOM_MIX_INIT, "0123456789abc", 13));
}

/* Empty or all-zero rng-seed, kaslr-seed not 8 bytes: not used, not wiped. */
static void test_dt_seed_unusable(void)
{
	static const uint8_t zeros[32];
	const struct prop props[] = {
		{ "rng-seed", zeros, sizeof(zeros) },
		{ "kaslr-seed", "\1\2\3\4", 4 },
		{ NULL, NULL, 0 },
	};
	const struct prop empty[] = {
		{ "rng-seed", "", 0 },
		{ "kaslr-seed", "\1\2\3\4\5\6\7\10\11", 9 },
		{ NULL, NULL, 0 },
	};
	uint64_t h = 77;
	void *fdt = make_dt(true, props);
	const uint8_t *p;
	int len;

	CHECK(random_dt_seed(fdt, &h) == NULL);
	CHECK_EQ(h, 77);
	p = prop_bytes(fdt, "kaslr-seed", &len);
	CHECK(p != NULL && len == 4 && p[0] == 1);
	fdt = make_dt(true, empty);
	CHECK(random_dt_seed(fdt, &h) == NULL);
	CHECK_EQ(h, 77);
	/* No /chosen, no tree. */
	CHECK(random_dt_seed(make_dt(false, NULL), &h) == NULL);
	CHECK(random_dt_seed(NULL, &h) == NULL);
	CHECK_EQ(h, 77);
}

/* Beyond RANDOM_DT_SEED_MAX bytes only the first count; all are wiped. */
static void test_dt_rng_seed_long(void)
{
	static uint8_t seed[RANDOM_DT_SEED_MAX + 100];
	const struct prop props[] = { { "rng-seed", seed, sizeof(seed) },
				      { NULL, NULL, 0 } };
	uint64_t h = RANDOM_MIX_INIT;
	const uint8_t *p;
	void *fdt;
	int len;

	memset(seed, 0xa5, sizeof(seed));
	fdt = make_dt(true, props);
	CHECK(random_dt_seed(fdt, &h) != NULL);
	CHECK_EQ(h, random_mix_bytes(RANDOM_MIX_INIT, seed, RANDOM_DT_SEED_MAX));
	p = prop_bytes(fdt, "rng-seed", &len);
	CHECK(p != NULL && len == (int)sizeof(seed) && all_zero(p, len));
}

/*
 * A corrupted length: rng-seed claims to run past the structure block.
 * libfdt refuses the property (no read or write outside the blob, which
 * ASan would catch) and kaslr-seed, or nothing, is used instead.
 */
static void test_dt_rng_seed_corrupt_len(void)
{
	static const uint8_t seed[8] = { 0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4 };
	const struct prop props[] = { { "rng-seed", seed, sizeof(seed) },
				      { NULL, NULL, 0 } };
	void *fdt = make_dt(true, props);
	const char *why;
	uint8_t *p;
	uint64_t h = 9;
	int len;

	p = (uint8_t *)prop_bytes(fdt, "rng-seed", &len);
	CHECK(p != NULL && len == 8);
	/* struct fdt_property: tag, len, nameoff, then the value. */
	/*
	 * 64 KiB: past the blob's end. (A length near INT_MAX overflows an
	 * int inside upstream libfdt's fdt_next_tag(), which UBSan reports:
	 * that is libfdt's to fix, not this reader's.)
	 */
	((fdt32_t *)p)[-2] = cpu_to_fdt32(0x10000);
	fdt_index_forget();
	why = fdt_blob_check(fdt, sizeof(blob));
	printf("# fdt_blob_check: %s\n", why ? why : "accepted");
	/* Accepted or not, the reader must not take the seed. */
	CHECK(random_dt_seed(fdt, &h) == NULL);
	CHECK_EQ(h, 9);
	CHECK(memcmp(p, seed, sizeof(seed)) == 0);
}

/* The order: DT before EFI before the CPU; the EFI seed is always wiped. */
static void test_boot_seed_order(void)
{
	const struct prop props[] = { { "rng-seed", "abcdefgh", 8 },
				      { NULL, NULL, 0 } };
	struct boot_handoff bh;
	uint64_t h1, h2;
	const char *src;

	memset(&bh, 0, sizeof(bh));
	bh.fdt = (uint64_t)(uintptr_t)make_dt(true, props);
	memset(bh.rng_seed, 0x3c, sizeof(bh.rng_seed));
	bh.rng_seed_len = sizeof(bh.rng_seed);
	src = random_boot_seed(&bh, &h1);
	CHECK(strcmp(src, "/chosen/rng-seed") == 0);
	CHECK(bh.rng_seed_len == 0 && all_zero(bh.rng_seed, sizeof(bh.rng_seed)));

	/* The DT's seed is spent: the EFI one is next. */
	memset(bh.rng_seed, 0x3c, sizeof(bh.rng_seed));
	bh.rng_seed_len = sizeof(bh.rng_seed);
	src = random_boot_seed(&bh, &h2);
	CHECK(strcmp(src, "EFI_RNG_PROTOCOL") == 0);
	CHECK(h1 != h2);
	CHECK(bh.rng_seed_len == 0 && all_zero(bh.rng_seed, sizeof(bh.rng_seed)));

	/* A length the stub cannot have written is not trusted. */
	memset(bh.rng_seed, 0x3c, sizeof(bh.rng_seed));
	bh.rng_seed_len = 1000;
	src = random_boot_seed(&bh, &h2);
	CHECK(strncmp(src, "the arch counter", 16) == 0);
	CHECK(all_zero(bh.rng_seed, sizeof(bh.rng_seed)));

	/* No DT, no EFI seed, no CPU RNG (the fake arch has none). */
	bh.fdt = 0;
	src = random_boot_seed(&bh, &h2);
	CHECK(strncmp(src, "the arch counter", 16) == 0);
}

/* random_init_canary() installs a canary of the right form. */
static void test_init_canary(void)
{
	struct boot_handoff bh;
	const char *src;

	memset(&bh, 0, sizeof(bh));
	installed = 0;
	src = random_init_canary(&bh);
	CHECK(src != NULL);
	CHECK(installed != 0);
	CHECK_EQ(installed & 0xff, 0);
}

int main(void)
{
	TEST(test_mix_basics);
	TEST(test_mix_avalanche);
	TEST(test_mix_no_collisions);
	TEST(test_mix_bytes);
	TEST(test_canary_form);
	TEST(test_dt_rng_seed);
	TEST(test_dt_rng_seed_short);
	TEST(test_dt_seed_unusable);
	TEST(test_dt_rng_seed_long);
	TEST(test_dt_rng_seed_corrupt_len);
	TEST(test_boot_seed_order);
	TEST(test_init_canary);
	return tap_done();
}
