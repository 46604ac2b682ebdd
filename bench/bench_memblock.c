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
 *
 * Every workload runs twice: on Cairn's memblock and on the linear-array
 * baseline of linear_memblock.c (the classic design), through the small
 * table of operations below, and both figures are printed side by side.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cairn/memblock.h>

#include "linear_memblock.h"

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
#define RNG_SEED 0x2545f4914f6cdd1dULL
static uint64_t rng = RNG_SEED;

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

/* Empty memblock whose only memory is the arena; arrays may grow. */
static void fresh(void)
{
	memblock_reset();
	memblock_add(arena_pa, ARENA_SIZE);
	memblock_allow_resize();
}

/* The operations the workloads use, for each implementation. */
struct impl {
	const char *name;
	void (*fresh)(void);
	void (*add)(phys_addr_t base, phys_addr_t size, int nid);
	void (*reserve)(phys_addr_t base, phys_addr_t size);
	/* Top-down, below @limit, on @nid first (NUMA_NO_NODE: any). */
	phys_addr_t (*alloc)(phys_addr_t size, phys_addr_t align,
			     phys_addr_t limit, int nid);
	void *(*alloc_zeroed)(phys_addr_t size, phys_addr_t align);
	void (*free)(phys_addr_t base, phys_addr_t size);
	void (*remove)(phys_addr_t base, phys_addr_t size);
	bool (*is_memory)(phys_addr_t addr);
	unsigned long (*memory_cnt)(void);
	unsigned long (*reserved_cnt)(void);
};

static void mb_add(phys_addr_t base, phys_addr_t size, int nid)
{
	memblock_add_node(base, size, nid, MEMBLOCK_NONE);
}

static void mb_reserve(phys_addr_t base, phys_addr_t size)
{
	memblock_reserve(base, size);
}

static phys_addr_t mb_alloc(phys_addr_t size, phys_addr_t align,
			    phys_addr_t limit, int nid)
{
	if (nid != NUMA_NO_NODE) {
		return memblock_phys_alloc_try_nid(size, align, nid);
	}
	return memblock_phys_alloc_range(size, align, 0, limit);
}

static void mb_free(phys_addr_t base, phys_addr_t size)
{
	memblock_phys_free(base, size);
}

static void mb_remove(phys_addr_t base, phys_addr_t size)
{
	memblock_remove(base, size);
}

static bool mb_is_memory(phys_addr_t addr)
{
	return memblock_is_memory(addr);
}

static unsigned long mb_memory_cnt(void)
{
	return memblock.memory.cnt;
}

static unsigned long mb_reserved_cnt(void)
{
	return memblock.reserved.cnt;
}

static const struct impl cairn_impl = {
	.name = "cairn",
	.fresh = fresh,
	.add = mb_add,
	.reserve = mb_reserve,
	.alloc = mb_alloc,
	.alloc_zeroed = memblock_alloc,
	.free = mb_free,
	.remove = mb_remove,
	.is_memory = mb_is_memory,
	.memory_cnt = mb_memory_cnt,
	.reserved_cnt = mb_reserved_cnt,
};

static void lin_fresh(void)
{
	lin_reset();
	lin_add(arena_pa, ARENA_SIZE, 0);
}

static void lin_add_node(phys_addr_t base, phys_addr_t size, int nid)
{
	lin_add(base, size, nid);
}

static void lin_reserve_v(phys_addr_t base, phys_addr_t size)
{
	lin_reserve(base, size);
}

static phys_addr_t lin_alloc_v(phys_addr_t size, phys_addr_t align,
			       phys_addr_t limit, int nid)
{
	return lin_alloc(size, align, limit, nid);
}

/* memblock_alloc(): zeroed, through the (identity) linear map. */
static void *lin_alloc_zeroed(phys_addr_t size, phys_addr_t align)
{
	phys_addr_t pa = lin_alloc(size, align, MEMBLOCK_ALLOC_ANYWHERE, -1);

	if (pa == 0) {
		return NULL;
	}
	return memset((void *)(uintptr_t)pa, 0, size);
}

static const struct impl linear_impl = {
	.name = "linear",
	.fresh = lin_fresh,
	.add = lin_add_node,
	.reserve = lin_reserve_v,
	.alloc = lin_alloc_v,
	.alloc_zeroed = lin_alloc_zeroed,
	.free = lin_free,
	.remove = lin_remove,
	.is_memory = lin_is_memory,
	.memory_cnt = lin_memory_cnt,
	.reserved_cnt = lin_reserved_cnt,
};

static const struct impl *const impls[] = { &cairn_impl, &linear_impl };
#define NR_IMPLS 2

/* One row: the workload's ns/op for each implementation, and the ratio. */
static void report(const char *what, uint64_t ops, const uint64_t ns[NR_IMPLS])
{
	double a = (double)ns[0] / (double)ops, b = (double)ns[1] / (double)ops;

	printf("%-48s %7llu ops %10.1f %10.1f %7.1fx\n", what,
	       (unsigned long long)ops, a, b, a > 0 ? b / a : 0.0);
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
	uint64_t t_add[NR_IMPLS] = {0}, t_rsv[NR_IMPLS] = {0};
	uint64_t t_alloc[NR_IMPLS] = {0};

	for (int k = 0; k < NR_IMPLS; k++) {
		const struct impl *im = impls[k];

		rng = RNG_SEED;
		for (int r = 0; r < rounds; r++) {
			uint64_t t, t0;

			im->fresh();
			t = now_ns();
			for (int i = 0; i < 64; i++) {
				im->add(FAKE_BASE +
					    (phys_addr_t)i * 256 * SZ_1M,
					240 * SZ_1M, i / 16);
			}
			t0 = now_ns();
			t_add[k] += t0 - t;
			for (int i = 0; i < 256; i++) {
				im->reserve(FAKE_BASE +
						(rnd() % (64 * 256)) * SZ_1M +
						(rnd() % 16) * SZ_4K,
					    SZ_4K * (1 + rnd() % 64));
			}
			t = now_ns();
			t_rsv[k] += t - t0;
			for (int i = 0; i < 512; i++) {
				switch (i % 4) {
				case 0:
					im->alloc(SZ_4K, SZ_4K,
						  MEMBLOCK_ALLOC_ANYWHERE,
						  NUMA_NO_NODE);
					break;
				case 1:
					im->alloc_zeroed(64 + rnd() % 512, 64);
					break;
				case 2:
					/* Physical: the node's memory is made up. */
					im->alloc(SZ_4K * (1 + rnd() % 8), SZ_4K,
						  MEMBLOCK_ALLOC_ANYWHERE,
						  (int)(rnd() % 4));
					break;
				default:
					im->alloc(SZ_2M, SZ_2M,
						  MEMBLOCK_ALLOC_ANYWHERE,
						  NUMA_NO_NODE);
					break;
				}
			}
			t_alloc[k] += now_ns() - t;
		}
	}
	report("firmware map: add 64 banks", 64ull * rounds, t_add);
	report("firmware map: 256 reservations", 256ull * rounds, t_rsv);
	report("firmware map: 512 mixed allocations", 512ull * rounds, t_alloc);
}

static void fail(const char *impl, const char *what)
{
	printf("bench: %s: %s\n", impl, what);
	exit(1);
}

/* @n disjoint regions added in ascending, descending or random order. */
static void bench_add_order(uint64_t n, int order)
{
	static const char *names[] = {"ascending", "descending", "random"};
	uint64_t rounds = 100000 / n, total[NR_IMPLS] = {0};
	char what[80];

	for (int k = 0; k < NR_IMPLS; k++) {
		const struct impl *im = impls[k];

		rng = RNG_SEED;
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
			im->fresh();
			t = now_ns();
			for (uint64_t i = 0; i < n; i++) {
				im->add(addrs[i], SZ_1M, 0);
			}
			total[k] += now_ns() - t;
			if (im->memory_cnt() != n + 1) {
				fail(im->name, "lost regions");
			}
		}
	}
	snprintf(what, sizeof(what), "add %llu disjoint regions, %s",
		 (unsigned long long)n, names[order]);
	report(what, n * rounds, total);
}

/* 100 000 small zeroed allocations that merge into one reservation. */
static void bench_small_allocs(void)
{
	uint64_t total[NR_IMPLS];

	for (int k = 0; k < NR_IMPLS; k++) {
		const struct impl *im = impls[k];
		uint64_t t;

		rng = RNG_SEED;
		im->fresh();
		t = now_ns();
		for (int i = 0; i < 100000; i++) {
			if (im->alloc_zeroed(64 * (1 + rnd() % 4), 64) == NULL) {
				fail(im->name, "allocation failed");
			}
		}
		total[k] = now_ns() - t;
		if (im->reserved_cnt() > 2) {
			fail(im->name, "small allocations did not merge");
		}
	}
	report("100000 small zeroed allocations", 100000, total);
}

/*
 * 10 000 allocations that never merge (the alignment leaves a gap), so
 * the reserved array grows to 10 000 regions. The second run alternates
 * two kinds of request, so that half of them cannot use the hint.
 */
static void bench_non_merging(bool alternate)
{
	phys_addr_t end = arena_pa + ARENA_SIZE;
	uint64_t t_alloc[NR_IMPLS], t_free[NR_IMPLS];

	for (int k = 0; k < NR_IMPLS; k++) {
		const struct impl *im = impls[k];
		uint64_t t;

		rng = RNG_SEED;
		im->fresh();
		t = now_ns();
		for (int i = 0; i < 10000; i++) {
			phys_addr_t lim = alternate && (i & 1)
					      ? end
					      : MEMBLOCK_ALLOC_ANYWHERE;

			addrs[i] = im->alloc(64, 128, lim, NUMA_NO_NODE);
			if (addrs[i] == 0) {
				fail(im->name, "allocation failed");
			}
		}
		t_alloc[k] = now_ns() - t;
		if (im->reserved_cnt() < 10000) {
			fail(im->name, "allocations merged");
		}
		shuffle(addrs, 10000);
		t = now_ns();
		for (int i = 0; i < 10000; i++) {
			im->free(addrs[i], 64);
		}
		t_free[k] = now_ns() - t;
		/* Cairn's grown arrays stay reserved: one region at most. */
		if (im->reserved_cnt() > 1) {
			fail(im->name, "reservations left after freeing");
		}
	}
	if (alternate) {
		report("10000 non-merging allocations, hint missed 1/2", 10000,
		       t_alloc);
		return;
	}
	report("10000 non-merging allocations", 10000, t_alloc);
	report("free those 10000 reservations, random order", 10000, t_free);
}

/* Remove 10 000 memory regions in random order, and split 10 000. */
static void bench_remove(void)
{
	uint64_t t_split[NR_IMPLS], t_remove[NR_IMPLS];

	for (int k = 0; k < NR_IMPLS; k++) {
		const struct impl *im = impls[k];
		uint64_t t;

		rng = RNG_SEED;
		im->fresh();
		for (uint64_t i = 0; i < 10000; i++) {
			addrs[i] = FAKE_BASE + i * SZ_2M;
			im->add(addrs[i], SZ_1M, 0);
		}
		shuffle(addrs, 10000);
		t = now_ns();
		for (int i = 0; i < 10000; i++) {
			im->remove(addrs[i] + SZ_4K, SZ_4K);
		}
		t_split[k] = now_ns() - t;
		if (im->memory_cnt() != 20001) {
			fail(im->name, "split lost regions");
		}
		t = now_ns();
		for (int i = 0; i < 10000; i++) {
			im->remove(addrs[i], SZ_1M);
		}
		t_remove[k] = now_ns() - t;
		if (im->memory_cnt() != 1) {
			fail(im->name, "regions left after removing");
		}
	}
	report("split 10000 regions (remove from the middle)", 10000,
	       t_split);
	report("remove those 10000 split regions, random order", 10000,
	       t_remove);
}

/* Point queries on a map of 10 000 regions. */
static void bench_queries(void)
{
	uint64_t total[NR_IMPLS], hits[NR_IMPLS] = {0};

	for (int k = 0; k < NR_IMPLS; k++) {
		const struct impl *im = impls[k];
		uint64_t t;

		rng = RNG_SEED;
		im->fresh();
		for (uint64_t i = 0; i < 10000; i++) {
			im->add(FAKE_BASE + i * SZ_2M, SZ_1M, 0);
		}
		t = now_ns();
		for (int i = 0; i < 1000000; i++) {
			hits[k] += im->is_memory(FAKE_BASE +
						 rnd() % (10000 * SZ_2M));
		}
		total[k] = now_ns() - t;
	}
	if (hits[0] != hits[1] || hits[0] == 0) {
		fail("both", "queries disagree");
	}
	report("memblock_is_memory on 10000 regions", 1000000, total);
}

int main(void)
{
	arena = aligned_alloc(SZ_2M, ARENA_SIZE);
	if (arena == NULL) {
		printf("bench: no memory for the arena\n");
		return 1;
	}
	/* Fault the arena in now: whichever implementation ran first
	 * would otherwise pay the host's page faults. */
	memset(arena, 0, ARENA_SIZE);
	arena_pa = (phys_addr_t)(uintptr_t)arena;
	if (arena_pa < FAKE_BASE + MAX_N * SZ_2M * 2) {
		printf("bench: the arena is too low for the made-up ranges\n");
		return 1;
	}
	printf("memblock benchmark: ns per operation (lower is better), Cairn\n"
	       "beside a linear-array memblock (bench/linear_memblock.c)\n");
	printf("%-48s %11s %10s %10s %8s\n", "workload", "", "cairn",
	       "linear", "speedup");
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
