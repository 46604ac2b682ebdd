// SPDX-License-Identifier: BSD-2-Clause
/*
 * memblock benchmark (not a test): realistic and stress workloads, each
 * printed as nanoseconds per operation. Built by ci/bench.sh without
 * sanitizers; docs/memblock.md records the results.
 *
 * Host memory: one real buffer, the arena, is memory, so that grown arrays
 * and zeroing allocations write where the process may. Ranges that are
 * only described (added, reserved, removed) use made-up addresses below
 * the arena, and allocations go top-down, so they come from the arena.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cairn/memblock.h>

#define SZ_4K UINT64_C(0x1000)
#define SZ_1M UINT64_C(0x100000)
#define SZ_2M UINT64_C(0x200000)
#define SZ_1G UINT64_C(0x40000000)
#define ARENA_SIZE (64 * SZ_1M)
#define FAKE_BASE SZ_1G
#define MAX_N 100000

static uint8_t *arena;
static phys_addr_t arena_pa;
static phys_addr_t addrs[MAX_N];
static uint64_t rng = 0x2545f4914f6cdd1dULL;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void report(const char *what, uint64_t ops, uint64_t ns)
{
	printf("%-52s %8llu ops %10.1f ns/op\n", what, (unsigned long long)ops,
	       ops ? (double)ns / (double)ops : 0.0);
}

/* Empty memblock whose only memory is the arena; arrays may grow. */
static void fresh(void)
{
	memblock_reset();
	memblock_add(arena_pa, ARENA_SIZE);
	memblock_allow_resize();
}

static void shuffle(phys_addr_t *a, uint64_t n)
{
	for (uint64_t i = n - 1; i > 0; i--) {
		uint64_t j = rnd() % (i + 1);
		phys_addr_t t = a[i];

		a[i] = a[j];
		a[j] = t;
	}
}

/*
 * Firmware-like boot: 64 banks on 4 nodes, 256 reservations (image, DTB,
 * firmware carve-outs), then 512 mixed allocations (page tables, per-CPU
 * areas, small structures), as a device-tree or UEFI boot does.
 */
static void bench_firmware(void)
{
	const int rounds = 200;
	uint64_t t0, t_add = 0, t_rsv = 0, t_alloc = 0;

	for (int r = 0; r < rounds; r++) {
		uint64_t t;

		fresh();
		t = now_ns();
		for (int i = 0; i < 64; i++) {
			memblock_add_node(FAKE_BASE +
					      (phys_addr_t)i * 256 * SZ_1M,
					  240 * SZ_1M, i / 16, MEMBLOCK_NONE);
		}
		t0 = now_ns();
		t_add += t0 - t;
		for (int i = 0; i < 256; i++) {
			memblock_reserve(FAKE_BASE +
					     (rnd() % (64 * 256)) * SZ_1M +
					     (rnd() % 16) * SZ_4K,
					 SZ_4K * (1 + rnd() % 64));
		}
		t = now_ns();
		t_rsv += t - t0;
		for (int i = 0; i < 512; i++) {
			switch (i % 4) {
			case 0:
				memblock_phys_alloc(SZ_4K, SZ_4K);
				break;
			case 1:
				memblock_alloc(64 + rnd() % 512, 64);
				break;
			case 2:
				/* Physical: the node's memory is made up. */
				memblock_phys_alloc_try_nid(
				    SZ_4K * (1 + rnd() % 8), SZ_4K,
				    (int)(rnd() % 4));
				break;
			default:
				memblock_phys_alloc(SZ_2M, SZ_2M);
				break;
			}
		}
		t_alloc += now_ns() - t;
	}
	report("firmware map: add 64 banks", 64ull * rounds, t_add);
	report("firmware map: 256 reservations", 256ull * rounds, t_rsv);
	report("firmware map: 512 mixed allocations", 512ull * rounds, t_alloc);
}

/* @n disjoint regions added in ascending, descending or random order. */
static void bench_add_order(uint64_t n, int order)
{
	static const char *names[] = {"ascending", "descending", "random"};
	uint64_t rounds = 100000 / n, total = 0;
	char what[80];

	for (uint64_t r = 0; r < rounds; r++) {
		uint64_t t;

		for (uint64_t i = 0; i < n; i++) {
			addrs[i] = FAKE_BASE + i * SZ_2M;
		}
		if (order == 1) {
			for (uint64_t i = 0; i < n / 2; i++) {
				phys_addr_t x = addrs[i];

				addrs[i] = addrs[n - 1 - i];
				addrs[n - 1 - i] = x;
			}
		} else if (order == 2) {
			shuffle(addrs, n);
		}
		fresh();
		t = now_ns();
		for (uint64_t i = 0; i < n; i++) {
			memblock_add(addrs[i], SZ_1M);
		}
		total += now_ns() - t;
		if (memblock.memory.cnt != n + 1) {
			printf("bench: lost regions (%lu)\n",
			       memblock.memory.cnt);
			exit(1);
		}
	}
	snprintf(what, sizeof(what), "add %llu disjoint regions, %s",
		 (unsigned long long)n, names[order]);
	report(what, n * rounds, total);
}

/* 100 000 small zeroed allocations that merge into one reservation. */
static void bench_small_allocs(void)
{
	uint64_t t;

	fresh();
	t = now_ns();
	for (int i = 0; i < 100000; i++) {
		if (memblock_alloc(64 * (1 + rnd() % 4), 64) == NULL) {
			printf("bench: allocation failed\n");
			exit(1);
		}
	}
	report("100000 small allocations (memblock_alloc)", 100000,
	       now_ns() - t);
	printf("%-52s %8lu regions\n", "  reserved after",
	       memblock.reserved.cnt);
}

/*
 * 10 000 allocations that never merge (the alignment leaves a gap), so
 * the reserved array grows to 10 000 regions. The second run alternates
 * two kinds of request, so that half of them cannot use the hint.
 */
static void bench_non_merging(bool alternate)
{
	phys_addr_t end = arena_pa + ARENA_SIZE;
	uint64_t t;

	fresh();
	t = now_ns();
	for (int i = 0; i < 10000; i++) {
		phys_addr_t lim =
		    alternate && (i & 1) ? end : MEMBLOCK_ALLOC_ANYWHERE;

		addrs[i] = memblock_phys_alloc_range(64, 128, 0, lim);
		if (addrs[i] == 0) {
			printf("bench: allocation failed\n");
			exit(1);
		}
	}
	report(alternate ? "10000 non-merging allocations, hint missed 1/2"
			 : "10000 non-merging allocations",
	       10000, now_ns() - t);
	if (alternate) {
		return;
	}
	shuffle(addrs, 10000);
	t = now_ns();
	for (int i = 0; i < 10000; i++) {
		memblock_phys_free(addrs[i], 64);
	}
	report("free those 10000 reservations, random order", 10000,
	       now_ns() - t);
}

/* Remove 10 000 memory regions in random order, and split 10 000. */
static void bench_remove(void)
{
	uint64_t t;

	fresh();
	for (uint64_t i = 0; i < 10000; i++) {
		addrs[i] = FAKE_BASE + i * SZ_2M;
		memblock_add(addrs[i], SZ_1M);
	}
	shuffle(addrs, 10000);
	t = now_ns();
	for (int i = 0; i < 10000; i++) {
		memblock_remove(addrs[i] + SZ_4K, SZ_4K);
	}
	report("split 10000 regions (remove from the middle)", 10000,
	       now_ns() - t);
	t = now_ns();
	for (int i = 0; i < 10000; i++) {
		memblock_remove(addrs[i], SZ_1M);
	}
	report("remove those 10000 split regions, random order", 10000,
	       now_ns() - t);
}

/* Point queries on a map of 10 000 regions. */
static void bench_queries(void)
{
	uint64_t t, hits = 0;

	fresh();
	for (uint64_t i = 0; i < 10000; i++) {
		memblock_add(FAKE_BASE + i * SZ_2M, SZ_1M);
	}
	t = now_ns();
	for (int i = 0; i < 1000000; i++) {
		hits += memblock_is_memory(FAKE_BASE + rnd() % (10000 * SZ_2M));
	}
	report("memblock_is_memory on 10000 regions", 1000000, now_ns() - t);
	if (hits == 0) {
		printf("bench: no hits\n");
	}
}

int main(void)
{
	arena = aligned_alloc(SZ_2M, ARENA_SIZE);
	if (arena == NULL) {
		printf("bench: no memory for the arena\n");
		return 1;
	}
	arena_pa = (phys_addr_t)(uintptr_t)arena;
	if (arena_pa < FAKE_BASE + MAX_N * SZ_2M * 2) {
		printf("bench: the arena is too low for the made-up ranges\n");
		return 1;
	}
	printf("memblock benchmark (ns per operation, lower is better)\n");
	bench_firmware();
	for (int order = 0; order < 3; order++) {
		bench_add_order(100, order);
		bench_add_order(1000, order);
		bench_add_order(10000, order);
	}
	bench_small_allocs();
	bench_non_merging(false);
	bench_non_merging(true);
	bench_remove();
	bench_queries();
	memblock_reset();
	free(arena);
	return 0;
}
