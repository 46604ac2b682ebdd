// SPDX-License-Identifier: BSD-2-Clause
/*
 * The stack-protector canary's seed (docs/hardening.md): the best entropy
 * this boot offers, in order
 *
 *   1. the DT's /chosen/rng-seed, else /chosen/kaslr-seed (QEMU virt on
 *      riscv64 and arm64, U-Boot and most boot loaders), wiped after use;
 *   2. EFI_RNG_PROTOCOL, read by the UEFI stub (bh->rng_seed), wiped;
 *   3. the CPU's RNG: arch_random_seed() (RDSEED/RDRAND, RNDR);
 *   4. the arch counter and a few addresses (the stack, the hand-off
 *      record, the image): hardly random under an emulator, but no two
 *      boots on real hardware read the same counter.
 *
 * The first of 1-3 that delivers is the one named in the log line; 4 is
 * always mixed in too. The DT and the EFI seed are untrusted input: any
 * length is accepted, and nothing is read outside the property.
 *
 * Also built on the host (tests/host/test_random.c), which is why the
 * canary itself is written by generic/stackprot.c.
 */
#include <string.h>

#include <cairn/arch.h>
#include <cairn/boot.h>
#include <cairn/fdt.h>
#include <cairn/random.h>
#include <cairn/sections.h>
#include <cairn/stackprot.h>

/* Not all zero: a seed that was wiped already, or a firmware placeholder. */
static bool any_nonzero(const uint8_t *p, size_t len)
{
	uint8_t acc = 0;

	for (size_t i = 0; i < len; i++) {
		acc |= p[i];
	}
	return acc != 0;
}

const char *random_dt_seed(void *fdt, uint64_t *h)
{
	static const struct {
		enum fdt_index_prop prop;
		const char *name;
		int min, max;	/* acceptable lengths */
	} props[] = {
		{ FDT_P_RNG_SEED, "/chosen/rng-seed", 1, 0x7fffffff },
		{ FDT_P_KASLR_SEED, "/chosen/kaslr-seed", 8, 8 },
	};
	int chosen, len;

	if (fdt == NULL) {
		return NULL;
	}
	chosen = fdt_index_path_offset(fdt, "/chosen");
	if (chosen < 0) {
		return NULL;
	}
	for (size_t i = 0; i < ARRAY_SIZE(props); i++) {
		/*
		 * fdt_getprop() checks that the value lies inside the
		 * structure block; the blob passed fdt_blob_check().
		 */
		uint8_t *p = (uint8_t *)fdt_index_getprop(fdt, chosen,
							  props[i].prop, &len);

		if (p == NULL || len < props[i].min || len > props[i].max ||
		    !any_nonzero(p, (size_t)len)) {
			continue;
		}
		*h = random_mix_bytes(*h, p,
				      min((size_t)len, (size_t)RANDOM_DT_SEED_MAX));
		/* As Linux does: no later reader of the DT sees the seed. */
		memset(p, 0, (size_t)len);
		return props[i].name;
	}
	return NULL;
}

const char *random_boot_seed(struct boot_handoff *bh, uint64_t *h)
{
	const char *src = NULL;
	uint64_t hw;

	*h = RANDOM_MIX_INIT;
	if (bh->fdt != 0) {
		src = random_dt_seed(arch_phys_to_virt(bh->fdt), h);
	}
	if (src == NULL && bh->rng_seed_len != 0 &&
	    bh->rng_seed_len <= sizeof(bh->rng_seed) &&
	    any_nonzero(bh->rng_seed, bh->rng_seed_len)) {
		*h = random_mix_bytes(*h, bh->rng_seed, bh->rng_seed_len);
		src = "EFI_RNG_PROTOCOL";
	}
	/* The EFI seed goes whichever source won. */
	memset(bh->rng_seed, 0, sizeof(bh->rng_seed));
	bh->rng_seed_len = 0;
	if (src == NULL && arch_random_seed(&hw)) {
		*h = random_mix(*h, hw);
		src = "the CPU's RNG";
	}
	if (src == NULL) {
		src = "the arch counter (weak: no entropy source)";
	}
	*h = random_mix(*h, arch_counter_read());
	*h = random_mix(*h, bh->entry_ticks);
	*h = random_mix(*h, (uint64_t)(uintptr_t)h);
	*h = random_mix(*h, (uint64_t)(uintptr_t)bh);
	*h = random_mix(*h, (uint64_t)(uintptr_t)__image_start);
	return src;
}

/*
 * Not protected, as the canary changes while it runs; start_kernel(), its
 * caller, is not either.
 */
const char *__no_stack_protector random_init_canary(struct boot_handoff *bh)
{
	uint64_t h;
	const char *src = random_boot_seed(bh, &h);

	stackprot_set_canary((uintptr_t)random_canary(h));
	return src;
}
