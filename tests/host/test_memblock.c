// SPDX-License-Identifier: BSD-2-Clause
/*
 * Unit tests of memblock (generic/mm/memblock.c), one case per behaviour
 * of every API function, in the manner of Linux's memblock simulator
 * (tools/testing/memblock): each case starts from memblock_reset(), says
 * in one sentence what it checks and draws the ranges before and after.
 *
 * Ranges that are only described use made-up physical addresses. Cases
 * that write through memblock (zeroing allocations, grown arrays) describe
 * a real host buffer, the arena, because the fake arch maps physical to
 * virtual by identity.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairn/console.h>
#include <cairn/errno.h>
#include <cairn/memblock.h>

#include "memblock_check.h"
#include "tap.h"

#define SZ_4K UINT64_C(0x1000)
#define SZ_8K UINT64_C(0x2000)
#define SZ_16K UINT64_C(0x4000)
#define SZ_64K UINT64_C(0x10000)
#define SZ_1M UINT64_C(0x100000)
#define SZ_2M UINT64_C(0x200000)
#define SZ_4M UINT64_C(0x400000)
#define SZ_16M UINT64_C(0x1000000)
#define SZ_1G UINT64_C(0x40000000)

#define ARENA_SIZE SZ_4M

static uint8_t *arena;
static phys_addr_t A; /* physical address of the arena */

static struct memblock_type *mem = &memblock.memory;
static struct memblock_type *rsv = &memblock.reserved;

#define CHECK_RGN(type, i, b, s)                                               \
	do {                                                                   \
		CHECK_EQ((type)->regions[i].base, (b));                        \
		CHECK_EQ((type)->regions[i].size, (s));                        \
	} while (0)

#define CHECK_INVARIANTS() CHECK(mbt_check_invariants() == NULL)

static void reset(void)
{
	memblock_reset();
}

/* The arena as the only memory. */
static void reset_arena(void)
{
	memblock_reset();
	memblock_add(A, ARENA_SIZE);
}

/* Console capture for the golden dump and the debug trace. */
static char cap_buf[16384];
static size_t cap_len;

static void cap_putc(const struct console *con, char c)
{
	(void)con;
	if (cap_len + 1 < sizeof(cap_buf)) {
		cap_buf[cap_len++] = c;
		cap_buf[cap_len] = '\0';
	}
}

static const struct console cap_console = {.name = "capture", .putc = cap_putc};

static void capture_start(void)
{
	cap_len = 0;
	cap_buf[0] = '\0';
	console_register(&cap_console);
}

/*
 * The captured text without the log's per-line prefix ("[  time] I: "),
 * whatever its exact width, and without carriage returns.
 */
static const char *capture_text(void)
{
	static char out[sizeof(cap_buf)];
	size_t o = 0;
	const char *p = cap_buf;

	console_register(NULL);
	while (*p != '\0') {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) + 1 : strlen(p);
		const char *s = p;

		if (*s == '[') {
			const char *q = memchr(s, ']', len);

			if (q != NULL) {
				s = q + 1;
				while (*s == ' ') {
					s++;
				}
				if (s[0] != '\0' && s[1] == ':' &&
				    s[2] == ' ') {
					s += 3;
				}
			}
		}
		for (; s < p + len; s++) {
			if (*s != '\r') {
				out[o++] = *s;
			}
		}
		p += len;
	}
	out[o] = '\0';
	return out;
}

/* memblock starts empty: two static arrays, top-down, no limit. */
static void test_init(void)
{
	reset();
	CHECK(mem->regions != NULL);
	CHECK_EQ(mem->cnt, 0);
	CHECK_EQ(mem->max, INIT_MEMBLOCK_REGIONS);
	CHECK(strcmp(mem->name, "memory") == 0);
	CHECK(rsv->regions != NULL);
	CHECK_EQ(rsv->cnt, 0);
	CHECK_EQ(rsv->max, INIT_MEMBLOCK_REGIONS);
	CHECK(strcmp(rsv->name, "reserved") == 0);
	CHECK(!memblock.bottom_up);
	CHECK_EQ(memblock.current_limit, MEMBLOCK_ALLOC_ANYWHERE);
	CHECK_EQ(MEMBLOCK_ALLOC_ACCESSIBLE, 0);
	CHECK_EQ(MEMBLOCK_NONE, 0x0);
	CHECK_EQ(MEMBLOCK_HOTPLUG, 0x1);
	CHECK_EQ(MEMBLOCK_MIRROR, 0x2);
	CHECK_EQ(MEMBLOCK_NOMAP, 0x4);
	CHECK_EQ(MEMBLOCK_DRIVER_MANAGED, 0x8);
	CHECK_EQ(MEMBLOCK_RSRV_NOINIT, 0x10);
}

/*
 * memblock_reset() undoes everything: regions, direction, limit, resizing.
 *
 *   before:  |  r1  |  bottom-up, limit, resizable
 *   after:   (empty), top-down, no limit
 */
static void test_reset(void)
{
	memblock_add(SZ_1G, SZ_1M);
	memblock_reserve(SZ_1G, SZ_4K);
	memblock_set_bottom_up(true);
	memblock_set_current_limit(SZ_1G);
	memblock_debug = true;
	reset();
	CHECK_EQ(mem->cnt, 0);
	CHECK_EQ(rsv->cnt, 0);
	CHECK_EQ(mem->total_size, 0);
	CHECK(!memblock_bottom_up());
	CHECK_EQ(memblock_get_current_limit(), MEMBLOCK_ALLOC_ANYWHERE);
	CHECK(!memblock_debug);
	CHECK(!memblock_allocator_off());
}

/*
 * memblock_add() of one range makes one region with no node and no flags.
 *
 *   after:   |  r1  |
 */
static void test_add_simple(void)
{
	reset();
	CHECK_EQ(memblock_add(SZ_1G, SZ_16M), 0);
	CHECK_EQ(mem->cnt, 1);
	CHECK_RGN(mem, 0, SZ_1G, SZ_16M);
	CHECK_EQ(mem->regions[0].flags, MEMBLOCK_NONE);
	CHECK_EQ(mem->regions[0].nid, MAX_NUMNODES);
	CHECK_EQ(mem->total_size, SZ_16M);
	CHECK_EQ(rsv->cnt, 0);
}

/*
 * memblock_add_node() records the node and the flags.
 *
 *   after:   |  r1 (nid 1, HOTPLUG)  |
 */
static void test_add_node_simple(void)
{
	reset();
	CHECK_EQ(memblock_add_node(SZ_1G, SZ_16M, 1, MEMBLOCK_HOTPLUG), 0);
	CHECK_EQ(mem->cnt, 1);
	CHECK_RGN(mem, 0, SZ_1G, SZ_16M);
	CHECK_EQ(mem->regions[0].nid, 1);
	CHECK_EQ(mem->regions[0].flags, MEMBLOCK_HOTPLUG);
	CHECK_EQ(mem->total_size, SZ_16M);
}

/*
 * Two disjoint ranges make two regions, sorted whatever the order added.
 *
 *   after:   |  r1  |      |  r2  |
 */
static void test_add_disjoint(void)
{
	reset();
	CHECK_EQ(memblock_add(SZ_1G + SZ_16M, SZ_1M), 0);
	CHECK_EQ(memblock_add(SZ_1G, SZ_1M), 0);
	CHECK_EQ(mem->cnt, 2);
	CHECK_RGN(mem, 0, SZ_1G, SZ_1M);
	CHECK_RGN(mem, 1, SZ_1G + SZ_16M, SZ_1M);
	CHECK_EQ(mem->total_size, 2 * SZ_1M);
	CHECK_INVARIANTS();
}

/*
 * A range overlapping the top of a region extends it.
 *
 *   before:  |  r1  |
 *   add:          |  r2  |
 *   after:   |    r1+r2   |
 */
static void test_add_overlap_top(void)
{
	reset();
	memblock_add(SZ_1G, SZ_2M);
	CHECK_EQ(memblock_add(SZ_1G + SZ_1M, SZ_2M), 0);
	CHECK_EQ(mem->cnt, 1);
	CHECK_RGN(mem, 0, SZ_1G, SZ_1M + SZ_2M);
	CHECK_EQ(mem->total_size, SZ_1M + SZ_2M);
}

/*
 * A range overlapping the bottom of a region extends it downwards.
 *
 *   before:       |  r1  |
 *   add:     |  r2  |
 *   after:   |   r2+r1    |
 */
static void test_add_overlap_bottom(void)
{
	reset();
	memblock_add(SZ_1G + SZ_1M, SZ_2M);
	CHECK_EQ(memblock_add(SZ_1G, SZ_2M), 0);
	CHECK_EQ(mem->cnt, 1);
	CHECK_RGN(mem, 0, SZ_1G, SZ_1M + SZ_2M);
	CHECK_EQ(mem->total_size, SZ_1M + SZ_2M);
}

/*
 * A range within a region changes nothing.
 *
 *   before:  |     r1     |
 *   add:        | r2 |
 *   after:   |     r1     |
 */
static void test_add_within(void)
{
	reset();
	memblock_add(SZ_1G, SZ_4M);
	CHECK_EQ(memblock_add(SZ_1G + SZ_1M, SZ_1M), 0);
	CHECK_EQ(mem->cnt, 1);
	CHECK_RGN(mem, 0, SZ_1G, SZ_4M);
	CHECK_EQ(mem->total_size, SZ_4M);
}

/*
 * A range covering a region swallows it.
 *
 *   before:     | r1 |
 *   add:     |    r2    |
 *   after:   |    r2    |
 */
static void test_add_covering(void)
{
	reset();
	memblock_add(SZ_1G + SZ_1M, SZ_1M);
	CHECK_EQ(memblock_add(SZ_1G, SZ_4M), 0);
	CHECK_EQ(mem->cnt, 1);
	CHECK_RGN(mem, 0, SZ_1G, SZ_4M);
	CHECK_EQ(mem->total_size, SZ_4M);
}

/*
 * Adding the same range twice is the same as adding it once.
 *
 *   after:   |  r1  |
 */
static void test_add_twice(void)
{
	reset();
	memblock_add(SZ_1G, SZ_1M);
	CHECK_EQ(memblock_add(SZ_1G, SZ_1M), 0);
	CHECK_EQ(mem->cnt, 1);
	CHECK_EQ(mem->total_size, SZ_1M);
}

/*
 * Touching ranges with equal attributes merge into one region.
 *
 *   before:  |  r1  |
 *   add:            |  r2  |
 *   after:   |    r1+r2    |
 */
static void test_add_touching(void)
{
	reset();
	memblock_add(SZ_1G, SZ_1M);
	CHECK_EQ(memblock_add(SZ_1G + SZ_1M, SZ_1M), 0);
	CHECK_EQ(mem->cnt, 1);
	CHECK_RGN(mem, 0, SZ_1G, SZ_2M);
}

/*
 * A range bridging two regions merges all three, and only the gaps count
 * towards total_size.
 *
 *   before:  | r1 |      | r2 |      | r3 |
 *   add:        |   r4    |
 *   after:   |  r1+r4+r2      |      | r3 |
 */
static void test_add_bridge(void)
{
	reset();
	memblock_add(SZ_1G, SZ_1M);
	memblock_add(SZ_1G + SZ_4M, SZ_1M);
	memblock_add(SZ_1G + SZ_16M, SZ_1M);
	CHECK_EQ(memblock_add(SZ_1G + SZ_1M / 2, SZ_4M), 0);
	CHECK_EQ(mem->cnt, 2);
	CHECK_RGN(mem, 0, SZ_1G, SZ_4M + SZ_1M);
	CHECK_RGN(mem, 1, SZ_1G + SZ_16M, SZ_1M);
	CHECK_EQ(mem->total_size, SZ_4M + 2 * SZ_1M);
}

/*
 * A range spanning several regions fills every gap between them.
 *
 *   before:    |r1|  |r2|  |r3|
 *   add:     |      r4          |
 *   after:   |        r4        |
 */
static void test_add_spanning_many(void)
{
	reset();
	for (int i = 0; i < 3; i++) {
		memblock_add(SZ_1G + SZ_1M + (phys_addr_t)i * SZ_2M, SZ_1M);
	}
	CHECK_EQ(memblock_add(SZ_1G, SZ_16M), 0);
	CHECK_EQ(mem->cnt, 1);
	CHECK_RGN(mem, 0, SZ_1G, SZ_16M);
	CHECK_EQ(mem->total_size, SZ_16M);
}

/*
 * Touching ranges with different flags stay apart, and an overlap keeps
 * the existing region's flags (only the new part gets the new ones).
 *
 *   before:  |  r1 (NONE)  |
 *   add:           |  r2 (HOTPLUG)  |
 *   after:   |  r1 (NONE)  | HOTPLUG |
 */
static void test_add_flags_no_merge(void)
{
	reset();
	memblock_add(SZ_1G, SZ_2M);
	CHECK_EQ(memblock_add_node(SZ_1G + SZ_1M, SZ_2M, MAX_NUMNODES,
				   MEMBLOCK_HOTPLUG),
		 0);
	CHECK_EQ(mem->cnt, 2);
	CHECK_RGN(mem, 0, SZ_1G, SZ_2M);
	CHECK_EQ(mem->regions[0].flags, MEMBLOCK_NONE);
	CHECK_RGN(mem, 1, SZ_1G + SZ_2M, SZ_1M);
	CHECK_EQ(mem->regions[1].flags, MEMBLOCK_HOTPLUG);
	CHECK_EQ(mem->total_size, SZ_2M + SZ_1M);
	CHECK_INVARIANTS();
}

/*
 * Touching ranges on different nodes stay apart.
 *
 *   after:   |  r1 (nid 0)  |  r2 (nid 1)  |
 */
static void test_add_nid_no_merge(void)
{
	reset();
	memblock_add_node(SZ_1G, SZ_1M, 0, MEMBLOCK_NONE);
	memblock_add_node(SZ_1G + SZ_1M, SZ_1M, 1, MEMBLOCK_NONE);
	CHECK_EQ(mem->cnt, 2);
	CHECK_EQ(mem->regions[0].nid, 0);
	CHECK_EQ(mem->regions[1].nid, 1);
	CHECK_INVARIANTS();
}

/*
 * A size that passes the top of the address space is capped.
 *
 *   add:     ...|  r1 ---------> past the top
 *   after:   ...|  r1  |top
 */
static void test_add_cap_size(void)
{
	phys_addr_t base = PHYS_ADDR_MAX - SZ_1M + 1;

	reset();
	CHECK_EQ(memblock_add(base, SZ_16M), 0);
	CHECK_EQ(mem->cnt, 1);
	CHECK_RGN(mem, 0, base, PHYS_ADDR_MAX - base);
	CHECK_EQ(mem->total_size, SZ_1M - 1);
}

/*
 * A zero size adds nothing.
 *
 *   after:   (empty)
 */
static void test_add_zero_size(void)
{
	reset();
	CHECK_EQ(memblock_add(SZ_1G, 0), 0);
	CHECK_EQ(mem->cnt, 0);
	CHECK_EQ(mem->total_size, 0);
}

/*
 * Without memblock_allow_resize() the 129th region is refused with
 * -ENOMEM and nothing changes, but a range that merges still fits.
 *
 *   before:  |r0| |r1| ... |r127|
 *   add:                          |r128|  -> -ENOMEM
 */
static void test_add_full_no_resize(void)
{
	reset();
	for (int i = 0; i < INIT_MEMBLOCK_REGIONS; i++) {
		CHECK_EQ(memblock_add(SZ_1G + (phys_addr_t)i * SZ_2M, SZ_1M),
			 0);
	}
	CHECK_EQ(mem->cnt, INIT_MEMBLOCK_REGIONS);
	CHECK_EQ(memblock_add(SZ_1G + SZ_1G, SZ_1M), -ENOMEM);
	CHECK_EQ(mem->cnt, INIT_MEMBLOCK_REGIONS);
	CHECK_EQ(mem->max, INIT_MEMBLOCK_REGIONS);
	CHECK_EQ(mem->total_size, INIT_MEMBLOCK_REGIONS * SZ_1M);
	/* Within an existing region: no new slot needed. */
	CHECK_EQ(memblock_add(SZ_1G, SZ_4K), 0);
	CHECK_INVARIANTS();
}

/*
 * After memblock_allow_resize() the memory array doubles past 128; the
 * new array comes from memblock and is reserved; the static one is not
 * freed (it never was reserved). The extra regions are NOMAP, so that
 * nothing is allocated from addresses the host does not own.
 *
 *   before:  [arena ..........................]  r0 r1 ... r127 (static)
 *   after:   [arena ...... |new array (rsv)| ..]  r0 ... r128 (doubled)
 */
static void test_add_resize(void)
{
	phys_addr_t arr;

	reset_arena();
	memblock_allow_resize();
	for (int i = 1; i <= INIT_MEMBLOCK_REGIONS; i++) {
		CHECK_EQ(memblock_add_node(SZ_1G * 64 + (phys_addr_t)i * SZ_2M,
					   SZ_1M, MAX_NUMNODES, MEMBLOCK_NOMAP),
			 0);
	}
	CHECK_EQ(mem->cnt, INIT_MEMBLOCK_REGIONS + 1);
	CHECK_EQ(mem->max, 2 * INIT_MEMBLOCK_REGIONS);
	arr = (phys_addr_t)(uintptr_t)mem->regions;
	CHECK(arr >= A && arr < A + ARENA_SIZE);
	CHECK_EQ(rsv->cnt, 1);
	CHECK_RGN(
	    rsv, 0, arr,
	    ALIGN_UP(2 * INIT_MEMBLOCK_REGIONS * sizeof(struct memblock_region),
		     PAGE_SIZE));
	CHECK_EQ(mem->total_size, ARENA_SIZE + INIT_MEMBLOCK_REGIONS * SZ_1M);
	CHECK_INVARIANTS();
}

/*
 * The reserved array doubles twice (128 -> 256 -> 512): the second time
 * the first grown array is freed and only the newest stays reserved.
 *
 *   before:  [arena: |x| |x| ... |x| (300 reservations)            ]
 *   after:   [arena: |x| |x| ... |x|    |array 512 (rsv)|           ]
 */
static void test_reserve_resize_twice(void)
{
	phys_addr_t arr, len;

	reset_arena();
	memblock_allow_resize();
	for (int i = 0; i < 300; i++) {
		CHECK_EQ(memblock_reserve(A + (phys_addr_t)i * SZ_8K, SZ_4K),
			 0);
	}
	CHECK_EQ(rsv->max, 4 * INIT_MEMBLOCK_REGIONS);
	arr = (phys_addr_t)(uintptr_t)rsv->regions;
	len = ALIGN_UP(rsv->max * sizeof(struct memblock_region), PAGE_SIZE);
	CHECK_EQ(rsv->cnt, 301);
	CHECK(memblock_is_region_reserved(arr, len));
	CHECK_EQ(rsv->total_size, 300 * SZ_4K + len);
	/* The array of 256 was freed: exactly 300 + the array are reserved. */
	CHECK_INVARIANTS();
	for (int i = 0; i < 300; i++) {
		CHECK(memblock_is_reserved(A + (phys_addr_t)i * SZ_8K));
	}
}

/*
 * Growing never places the new array inside the range being reserved:
 * top-down it would go to the top of the arena, which is that range, so
 * it goes into a gap below instead.
 *
 *   before:  [x   x   x ... x (128)   |          free          ]
 *   reserve:                          |        new range       |
 *   after:   [x   x |arr| ... x       |        reserved        ]
 */
static void test_resize_excludes_range(void)
{
	phys_addr_t arr;

	reset_arena();
	memblock_allow_resize();
	for (int i = 0; i < INIT_MEMBLOCK_REGIONS; i++) {
		memblock_reserve(A + (phys_addr_t)i * SZ_16K, SZ_4K);
	}
	CHECK_EQ(rsv->cnt, INIT_MEMBLOCK_REGIONS);
	CHECK_EQ(memblock_reserve(A + SZ_2M, SZ_2M), 0);
	arr = (phys_addr_t)(uintptr_t)rsv->regions;
	CHECK_EQ(rsv->max, 2 * INIT_MEMBLOCK_REGIONS);
	CHECK(arr >= A && arr + SZ_8K <= A + SZ_2M);
	CHECK(memblock_is_region_reserved(arr, SZ_8K));
	CHECK_EQ(rsv->total_size,
		 INIT_MEMBLOCK_REGIONS * SZ_4K + SZ_2M + SZ_8K);
	CHECK_INVARIANTS();
}

/*
 * Growing fails with -ENOMEM, changing nothing, when no free memory is
 * left for the new array.
 *
 *   before:  [arena: all reserved]  r0 ... r127 (memory full)
 *   add:                                   |r128|  -> -ENOMEM
 */
static void test_resize_no_memory(void)
{
	reset_arena();
	memblock_allow_resize();
	memblock_reserve(A, ARENA_SIZE);
	for (int i = 1; i < INIT_MEMBLOCK_REGIONS; i++) {
		memblock_add_node(SZ_1G * 64 + (phys_addr_t)i * SZ_2M, SZ_1M,
				  MAX_NUMNODES, MEMBLOCK_NOMAP);
	}
	CHECK_EQ(mem->cnt, INIT_MEMBLOCK_REGIONS);
	CHECK_EQ(memblock_add(SZ_1G * 32, SZ_1M), -ENOMEM);
	CHECK_EQ(mem->max, INIT_MEMBLOCK_REGIONS);
	CHECK(!memblock_is_memory(SZ_1G * 32));
	CHECK_INVARIANTS();
}

/*
 * memblock_reserve() of one range makes one reserved region; it need not
 * be memory.
 *
 *   after:   reserved: |  r1  |
 */
static void test_reserve_simple(void)
{
	reset();
	CHECK_EQ(memblock_reserve(SZ_1G, SZ_64K), 0);
	CHECK_EQ(rsv->cnt, 1);
	CHECK_RGN(rsv, 0, SZ_1G, SZ_64K);
	CHECK_EQ(rsv->regions[0].nid, MAX_NUMNODES);
	CHECK_EQ(rsv->total_size, SZ_64K);
	CHECK_EQ(mem->cnt, 0);
}

/*
 * Disjoint reservations stay apart and sorted.
 *
 *   after:   | r1 |     | r2 |
 */
static void test_reserve_disjoint(void)
{
	reset();
	memblock_reserve(SZ_1G + SZ_1M, SZ_64K);
	memblock_reserve(SZ_1G, SZ_64K);
	CHECK_EQ(rsv->cnt, 2);
	CHECK_RGN(rsv, 0, SZ_1G, SZ_64K);
	CHECK_RGN(rsv, 1, SZ_1G + SZ_1M, SZ_64K);
	CHECK_EQ(rsv->total_size, 2 * SZ_64K);
}

/*
 * Overlapping reservations merge; the overlap counts once.
 *
 *   before:  |  r1  |
 *   reserve:     |  r2  |
 *   after:   |   r1+r2  |
 */
static void test_reserve_overlap(void)
{
	reset();
	memblock_reserve(SZ_1G, SZ_64K);
	memblock_reserve(SZ_1G + SZ_16K, SZ_64K);
	CHECK_EQ(rsv->cnt, 1);
	CHECK_RGN(rsv, 0, SZ_1G, SZ_64K + SZ_16K);
	CHECK_EQ(rsv->total_size, SZ_64K + SZ_16K);
}

/*
 * A reservation within one, twice, or touching one merges.
 *
 *   before:  |   r1   |
 *   reserve:   |r2|    |r3|      (r2 within, r3 touching)
 *   after:   |   r1      r3|
 */
static void test_reserve_within_touching(void)
{
	reset();
	memblock_reserve(SZ_1G, SZ_64K);
	memblock_reserve(SZ_1G + SZ_4K, SZ_4K);
	memblock_reserve(SZ_1G, SZ_64K);
	CHECK_EQ(rsv->cnt, 1);
	memblock_reserve(SZ_1G + SZ_64K, SZ_4K);
	CHECK_EQ(rsv->cnt, 1);
	CHECK_RGN(rsv, 0, SZ_1G, SZ_64K + SZ_4K);
	CHECK_EQ(rsv->total_size, SZ_64K + SZ_4K);
}

/*
 * Without resizing, the 129th reservation is refused with -ENOMEM.
 *
 *   before:  |x| |x| ... |x| (128)
 *   reserve:                    |x|  -> -ENOMEM
 */
static void test_reserve_full_no_resize(void)
{
	reset();
	for (int i = 0; i < INIT_MEMBLOCK_REGIONS; i++) {
		memblock_reserve(SZ_1G + (phys_addr_t)i * SZ_8K, SZ_4K);
	}
	CHECK_EQ(memblock_reserve(SZ_2M, SZ_4K), -ENOMEM);
	CHECK_EQ(rsv->cnt, INIT_MEMBLOCK_REGIONS);
	CHECK_EQ(rsv->max, INIT_MEMBLOCK_REGIONS);
	CHECK_EQ(rsv->total_size, INIT_MEMBLOCK_REGIONS * SZ_4K);
}

/*
 * memblock_remove() of a whole region drops it.
 *
 *   before:  | r1 |   | r2 |
 *   remove:  | r1 |
 *   after:            | r2 |
 */
static void test_remove_simple(void)
{
	reset();
	memblock_add(SZ_1G, SZ_1M);
	memblock_add(SZ_1G + SZ_4M, SZ_1M);
	CHECK_EQ(memblock_remove(SZ_1G, SZ_1M), 0);
	CHECK_EQ(mem->cnt, 1);
	CHECK_RGN(mem, 0, SZ_1G + SZ_4M, SZ_1M);
	CHECK_EQ(mem->total_size, SZ_1M);
}

/*
 * Removing a range that is not memory changes nothing.
 *
 *   before:  | r1 |
 *   remove:          | r2 |
 *   after:   | r1 |
 */
static void test_remove_absent(void)
{
	reset();
	memblock_add(SZ_1G, SZ_1M);
	CHECK_EQ(memblock_remove(SZ_1G + SZ_4M, SZ_1M), 0);
	CHECK_EQ(mem->cnt, 1);
	CHECK_RGN(mem, 0, SZ_1G, SZ_1M);
}

/*
 * Removing over the top of a region trims its end.
 *
 *   before:  |   r1   |
 *   remove:       |  r2  |
 *   after:   | r1 |
 */
static void test_remove_overlap_top(void)
{
	reset();
	memblock_add(SZ_1G, SZ_2M);
	CHECK_EQ(memblock_remove(SZ_1G + SZ_1M, SZ_2M), 0);
	CHECK_EQ(mem->cnt, 1);
	CHECK_RGN(mem, 0, SZ_1G, SZ_1M);
	CHECK_EQ(mem->total_size, SZ_1M);
}

/*
 * Removing over the bottom of a region trims its start.
 *
 *   before:      |   r1   |
 *   remove:  |  r2  |
 *   after:          | r1  |
 */
static void test_remove_overlap_bottom(void)
{
	reset();
	memblock_add(SZ_1G + SZ_1M, SZ_2M);
	CHECK_EQ(memblock_remove(SZ_1G, SZ_2M), 0);
	CHECK_EQ(mem->cnt, 1);
	CHECK_RGN(mem, 0, SZ_1G + SZ_2M, SZ_1M);
	CHECK_EQ(mem->total_size, SZ_1M);
}

/*
 * Removing from within a region splits it in two.
 *
 *   before:  |      r1       |
 *   remove:       | r2 |
 *   after:   | r1 |    | r1' |
 */
static void test_remove_within(void)
{
	reset();
	memblock_add_node(SZ_1G, SZ_4M, 3, MEMBLOCK_HOTPLUG);
	CHECK_EQ(memblock_remove(SZ_1G + SZ_1M, SZ_1M), 0);
	CHECK_EQ(mem->cnt, 2);
	CHECK_RGN(mem, 0, SZ_1G, SZ_1M);
	CHECK_RGN(mem, 1, SZ_1G + SZ_2M, SZ_2M);
	CHECK_EQ(mem->regions[1].nid, 3);
	CHECK_EQ(mem->regions[1].flags, MEMBLOCK_HOTPLUG);
	CHECK_EQ(mem->total_size, SZ_1M + SZ_2M);
}

/*
 * Removing a range covering several regions and parts of two more.
 *
 *   before:  | r1 |  |r2| |r3|  | r4 |
 *   remove:     |                 |
 *   after:   |r1|                 |r4|
 */
static void test_remove_covering(void)
{
	reset();
	memblock_add(SZ_1G, SZ_2M);
	memblock_add(SZ_1G + SZ_4M, SZ_1M);
	memblock_add(SZ_1G + 2 * SZ_4M, SZ_1M);
	memblock_add(SZ_1G + 4 * SZ_4M, SZ_2M);
	CHECK_EQ(memblock_remove(SZ_1G + SZ_1M, 4 * SZ_4M), 0);
	CHECK_EQ(mem->cnt, 2);
	CHECK_RGN(mem, 0, SZ_1G, SZ_1M);
	CHECK_RGN(mem, 1, SZ_1G + 4 * SZ_4M + SZ_1M, SZ_1M);
	CHECK_EQ(mem->total_size, SZ_2M);
	CHECK_INVARIANTS();
}

/*
 * Removing the only region leaves an empty type: cnt 0 and a zeroed
 * entry 0 (as in Linux since 5.x).
 *
 *   before:  | r1 |
 *   after:   (empty; regions[0] = {0, 0})
 */
static void test_remove_last(void)
{
	reset();
	memblock_add_node(SZ_1G, SZ_1M, 2, MEMBLOCK_MIRROR);
	CHECK_EQ(memblock_remove(SZ_1G, SZ_1M), 0);
	CHECK_EQ(mem->cnt, 0);
	CHECK_EQ(mem->total_size, 0);
	CHECK_EQ(mem->regions[0].base, 0);
	CHECK_EQ(mem->regions[0].size, 0);
	CHECK_EQ(mem->regions[0].flags, 0);
	CHECK_EQ(memblock_start_of_DRAM(), 0);
	CHECK_EQ(memblock_end_of_DRAM(), 0);
}

/*
 * A split needs a slot: with a full array and no resizing it fails with
 * -ENOMEM and changes nothing; removing a whole region still works.
 *
 *   before:  |  r0  | |r1| ... |r127|   (128 regions)
 *   remove:    |  |                     -> -ENOMEM
 *   remove:  |  r0  |                   -> 0
 */
static void test_remove_split_full(void)
{
	reset();
	for (int i = 0; i < INIT_MEMBLOCK_REGIONS; i++) {
		memblock_add(SZ_1G + (phys_addr_t)i * SZ_4M, SZ_2M);
	}
	CHECK_EQ(memblock_remove(SZ_1G + SZ_1M, SZ_4K), -ENOMEM);
	CHECK_EQ(mem->cnt, INIT_MEMBLOCK_REGIONS);
	CHECK_EQ(mem->total_size, INIT_MEMBLOCK_REGIONS * SZ_2M);
	CHECK_EQ(memblock_remove(SZ_1G, SZ_2M), 0);
	CHECK_EQ(mem->cnt, INIT_MEMBLOCK_REGIONS - 1);
	CHECK_RGN(mem, 0, SZ_1G + SZ_4M, SZ_2M);
}

/*
 * memblock_phys_free() removes from reserved only, splitting as needed.
 *
 *   before:  reserved: |     r1     |
 *   free:                 | r2 |
 *   after:   reserved: |r1|    |r1'|
 */
static void test_phys_free(void)
{
	reset();
	memblock_add(SZ_1G, SZ_16M);
	memblock_reserve(SZ_1G, SZ_64K);
	CHECK_EQ(memblock_phys_free(SZ_1G + SZ_16K, SZ_16K), 0);
	CHECK_EQ(rsv->cnt, 2);
	CHECK_RGN(rsv, 0, SZ_1G, SZ_16K);
	CHECK_RGN(rsv, 1, SZ_1G + 2 * SZ_16K, 2 * SZ_16K);
	CHECK_EQ(rsv->total_size, 3 * SZ_16K);
	CHECK_EQ(mem->cnt, 1);
	CHECK_EQ(memblock_phys_free(SZ_1G, SZ_1M), 0);
	CHECK_EQ(rsv->cnt, 0);
	CHECK_EQ(rsv->total_size, 0);
}

/*
 * memblock_free() takes the virtual address an allocation returned; NULL
 * is ignored.
 *
 *   before:  reserved: | alloc |
 *   after:   reserved: (empty)
 */
static void test_free_virtual(void)
{
	void *p;

	reset_arena();
	p = memblock_alloc(SZ_16K, SZ_4K);
	CHECK(p != NULL);
	CHECK_EQ(rsv->cnt, 1);
	memblock_free(NULL, SZ_16K);
	CHECK_EQ(rsv->cnt, 1);
	memblock_free(p, SZ_16K);
	CHECK_EQ(rsv->cnt, 0);
	CHECK_EQ(rsv->total_size, 0);
}

/*
 * memblock_mark_hotplug() on the middle of a region splits it in three;
 * memblock_clear_hotplug() merges them back.
 *
 *   before:  |          r1          |
 *   mark:    |  r1  |HOTPLUG|  r1'  |
 *   clear:   |          r1          |
 */
static void test_mark_clear_hotplug(void)
{
	reset();
	memblock_add(SZ_1G, SZ_4M);
	CHECK_EQ(memblock_mark_hotplug(SZ_1G + SZ_1M, SZ_1M), 0);
	CHECK_EQ(mem->cnt, 3);
	CHECK_RGN(mem, 1, SZ_1G + SZ_1M, SZ_1M);
	CHECK_EQ(mem->regions[0].flags, MEMBLOCK_NONE);
	CHECK_EQ(mem->regions[1].flags, MEMBLOCK_HOTPLUG);
	CHECK(memblock_is_hotpluggable(&mem->regions[1]));
	CHECK_EQ(mem->regions[2].flags, MEMBLOCK_NONE);
	CHECK_EQ(mem->total_size, SZ_4M);
	CHECK_EQ(memblock_clear_hotplug(SZ_1G, SZ_4M), 0);
	CHECK_EQ(mem->cnt, 1);
	CHECK_RGN(mem, 0, SZ_1G, SZ_4M);
	CHECK_INVARIANTS();
}

/*
 * Marking a range that spans two regions marks only memory, and marked
 * neighbours merge.
 *
 *   before:  |  r1  |HOTPLUG|   gap   |  r2  |
 *   mark:        |                       |
 *   after:   |r1|   HOTPLUG   |   gap   |HP|r2|
 */
static void test_mark_spanning(void)
{
	reset();
	memblock_add(SZ_1G, SZ_2M);
	memblock_mark_hotplug(SZ_1G + SZ_1M, SZ_1M);
	memblock_add(SZ_1G + SZ_4M, SZ_2M);
	CHECK_EQ(memblock_mark_hotplug(SZ_1G + SZ_1M / 2, SZ_4M), 0);
	CHECK_EQ(mem->cnt, 4);
	CHECK_RGN(mem, 0, SZ_1G, SZ_1M / 2);
	CHECK_RGN(mem, 1, SZ_1G + SZ_1M / 2, SZ_1M + SZ_1M / 2);
	CHECK_EQ(mem->regions[1].flags, MEMBLOCK_HOTPLUG);
	CHECK_RGN(mem, 2, SZ_1G + SZ_4M, SZ_1M / 2);
	CHECK_EQ(mem->regions[2].flags, MEMBLOCK_HOTPLUG);
	CHECK_RGN(mem, 3, SZ_1G + SZ_4M + SZ_1M / 2, SZ_1M + SZ_1M / 2);
	CHECK_EQ(mem->total_size, SZ_4M);
	CHECK_INVARIANTS();
}

/*
 * memblock_mark_mirror() flags memory MIRROR.
 *
 *   before:  |     r1     |
 *   after:   | r1 |MIRROR |
 */
static void test_mark_mirror(void)
{
	reset();
	memblock_add(SZ_1G, SZ_2M);
	CHECK_EQ(memblock_mark_mirror(SZ_1G + SZ_1M, SZ_1M), 0);
	CHECK_EQ(mem->cnt, 2);
	CHECK(memblock_is_mirror(&mem->regions[1]));
	CHECK(!memblock_is_mirror(&mem->regions[0]));
}

/*
 * NOMAP memory is memory but not map memory; clearing NOMAP merges back.
 *
 *   before:  |     r1     |
 *   mark:    | r1 | NOMAP |
 *   clear:   |     r1     |
 */
static void test_mark_clear_nomap(void)
{
	reset();
	memblock_add(SZ_1G, SZ_2M);
	CHECK_EQ(memblock_mark_nomap(SZ_1G + SZ_1M, SZ_1M), 0);
	CHECK_EQ(mem->cnt, 2);
	CHECK(memblock_is_nomap(&mem->regions[1]));
	CHECK(memblock_is_memory(SZ_1G + SZ_1M));
	CHECK(!memblock_is_map_memory(SZ_1G + SZ_1M));
	CHECK(memblock_is_map_memory(SZ_1G));
	CHECK_EQ(memblock_clear_nomap(SZ_1G, SZ_2M), 0);
	CHECK_EQ(mem->cnt, 1);
	CHECK(memblock_is_map_memory(SZ_1G + SZ_1M));
}

/*
 * memblock_reserved_mark_noinit() flags reserved regions only.
 *
 *   reserved before:  |    r1    |
 *   reserved after:   |r1|NOINIT |
 */
static void test_reserved_mark_noinit(void)
{
	reset();
	memblock_add(SZ_1G, SZ_2M);
	memblock_reserve(SZ_1G, SZ_64K);
	CHECK_EQ(memblock_reserved_mark_noinit(SZ_1G + SZ_16K, SZ_1M), 0);
	CHECK_EQ(rsv->cnt, 2);
	CHECK_RGN(rsv, 1, SZ_1G + SZ_16K, SZ_64K - SZ_16K);
	CHECK(memblock_is_reserved_noinit(&rsv->regions[1]));
	CHECK(!memblock_is_reserved_noinit(&rsv->regions[0]));
	CHECK_EQ(mem->regions[0].flags, MEMBLOCK_NONE);
}

/*
 * memblock_set_node() sets the node of part of a region, in memory or in
 * reserved, and equal nodes merge again.
 *
 *   before:  |       r1 (none)      |
 *   set 1:   | none | nid 1 | none  |
 *   set 1:   |        nid 1         |
 */
static void test_set_node(void)
{
	reset();
	memblock_add(SZ_1G, SZ_4M);
	CHECK_EQ(memblock_set_node(SZ_1G + SZ_1M, SZ_1M, mem, 1), 0);
	CHECK_EQ(mem->cnt, 3);
	CHECK_EQ(mem->regions[1].nid, 1);
	CHECK_EQ(mem->regions[0].nid, MAX_NUMNODES);
	CHECK_EQ(memblock_set_node(SZ_1G, SZ_4M, mem, 1), 0);
	CHECK_EQ(mem->cnt, 1);
	CHECK_EQ(mem->regions[0].nid, 1);
	memblock_reserve(SZ_1G, SZ_1M);
	CHECK_EQ(memblock_set_node(SZ_1G, SZ_16M, rsv, 1), 0);
	CHECK_EQ(rsv->regions[0].nid, 1);
	CHECK_INVARIANTS();
}

/*
 * Physical allocation is top-down by default, and allocations that touch
 * merge into one reservation.
 *
 *   memory:   |                  r1                  |
 *   reserved:                                |a2 |a1 |
 */
static void test_phys_alloc_top_down(void)
{
	reset();
	memblock_add(SZ_1G, SZ_16M);
	CHECK_EQ(memblock_phys_alloc(SZ_4K, SZ_4K), SZ_1G + SZ_16M - SZ_4K);
	CHECK_EQ(memblock_phys_alloc(SZ_4K, SZ_4K), SZ_1G + SZ_16M - SZ_8K);
	CHECK_EQ(rsv->cnt, 1);
	CHECK_RGN(rsv, 0, SZ_1G + SZ_16M - SZ_8K, SZ_8K);
	CHECK_EQ(memblock_reserved_size(), SZ_8K);
}

/*
 * With memblock_set_bottom_up(true) allocation starts at the bottom.
 *
 *   memory:   |                  r1                  |
 *   reserved: |a1 |a2 |
 */
static void test_phys_alloc_bottom_up(void)
{
	reset();
	memblock_set_bottom_up(true);
	CHECK(memblock_bottom_up());
	memblock_add(SZ_1G, SZ_16M);
	CHECK_EQ(memblock_phys_alloc(SZ_4K, SZ_4K), SZ_1G);
	CHECK_EQ(memblock_phys_alloc(SZ_4K, SZ_4K), SZ_1G + SZ_4K);
	CHECK_EQ(rsv->cnt, 1);
	CHECK_RGN(rsv, 0, SZ_1G, SZ_8K);
	memblock_set_bottom_up(false);
	CHECK(!memblock_bottom_up());
}

/*
 * The result honours the alignment, top-down and bottom-up.
 *
 *   memory:   |4K|                            |4K|
 *   top-down:                        |a (64K aligned)|
 *   bottom-up:    |a (64K aligned)|
 */
static void test_phys_alloc_align(void)
{
	reset();
	memblock_add(SZ_1G + SZ_4K, SZ_16M - SZ_8K);
	CHECK_EQ(memblock_phys_alloc(SZ_4K, SZ_64K), SZ_1G + SZ_16M - SZ_64K);
	memblock_set_bottom_up(true);
	CHECK_EQ(memblock_phys_alloc(SZ_4K, SZ_64K), SZ_1G + SZ_64K);
	CHECK_INVARIANTS();
}

/*
 * Alignment 0 means SMP_CACHE_BYTES (with a warning); an alignment that is
 * not a power of two is refused.
 *
 *   memory:   |1G ........ 1G+1M+100|
 *   alloc 8 bytes:       |at 1G+1M+64|
 */
static void test_phys_alloc_align_zero(void)
{
	reset();
	memblock_add(SZ_1G, SZ_1M + 100);
	CHECK_EQ(memblock_phys_alloc(8, 0), SZ_1G + SZ_1M + SMP_CACHE_BYTES);
	CHECK_EQ(memblock_phys_alloc(8, 3), 0);
	CHECK_EQ(memblock_phys_alloc(0, SZ_4K), 0);
	CHECK_EQ(rsv->cnt, 1);
}

/*
 * Allocation never returns address 0: the first page is skipped, so a
 * request that only fits at 0 fails.
 *
 *   memory:   |0 ... 16K|
 *   bottom-up alloc:  |4K|
 *   alloc 16K:  fails (would need 0)
 */
static void test_phys_alloc_never_zero(void)
{
	reset();
	memblock_add(0, SZ_16K);
	CHECK_EQ(memblock_phys_alloc(SZ_16K, SZ_4K), 0);
	memblock_set_bottom_up(true);
	CHECK_EQ(memblock_phys_alloc(SZ_4K, SZ_4K), SZ_4K);
	CHECK(!memblock_is_reserved(0));
}

/*
 * MEMBLOCK_ALLOC_ACCESSIBLE allocations stay below current_limit; an
 * explicit end overrides it, as in Linux.
 *
 *   memory:   |        r1        |
 *   limit:          ^
 *   a1:        |a1|  (below the limit)
 *   a2 (end 1G+8M):      |a2|
 */
static void test_phys_alloc_current_limit(void)
{
	reset();
	memblock_add(SZ_1G, SZ_16M);
	memblock_set_current_limit(SZ_1G + SZ_1M);
	CHECK_EQ(memblock_get_current_limit(), SZ_1G + SZ_1M);
	CHECK_EQ(memblock_phys_alloc(SZ_4K, SZ_4K), SZ_1G + SZ_1M - SZ_4K);
	CHECK_EQ(memblock_phys_alloc_range(SZ_4K, SZ_4K, 0, SZ_1G + 8 * SZ_1M),
		 SZ_1G + 8 * SZ_1M - SZ_4K);
	memblock_set_current_limit(SZ_1G);
	CHECK_EQ(memblock_phys_alloc(SZ_4K, SZ_4K), 0);
}

/*
 * memblock_phys_alloc_range() stays inside [start, end), in either
 * direction, and fails when the range holds no free memory.
 *
 *   memory:   |              r1              |
 *   range:         [start        end)
 *   top-down:               |a|
 *   bottom-up:     |a|
 */
static void test_phys_alloc_range(void)
{
	reset();
	memblock_add(SZ_1G, SZ_16M);
	CHECK_EQ(memblock_phys_alloc_range(SZ_4K, SZ_4K, SZ_1G + SZ_4M,
					   SZ_1G + 2 * SZ_4M),
		 SZ_1G + 2 * SZ_4M - SZ_4K);
	memblock_set_bottom_up(true);
	CHECK_EQ(memblock_phys_alloc_range(SZ_4K, SZ_4K, SZ_1G + SZ_4M,
					   SZ_1G + 2 * SZ_4M),
		 SZ_1G + SZ_4M);
	CHECK_EQ(memblock_phys_alloc_range(SZ_4K, SZ_4K, 2 * SZ_1G, 3 * SZ_1G),
		 0);
	CHECK_EQ(memblock_phys_alloc_range(SZ_8K, SZ_4K, SZ_1G, SZ_1G + SZ_4K),
		 0);
}

/*
 * A free range too small is skipped for the next one down.
 *
 *   memory:   |                 r1                  |
 *   reserved:           |xxxxxxxx|  |x|
 *   alloc 1M:   |a|       (the 512K gap is too small)
 */
static void test_phys_alloc_skip_small(void)
{
	reset();
	memblock_add(SZ_1G, SZ_16M);
	memblock_reserve(SZ_1G + SZ_4M, SZ_16M - SZ_4M - SZ_1M / 2 - SZ_4K);
	memblock_reserve(SZ_1G + SZ_16M - SZ_4K, SZ_4K);
	CHECK_EQ(memblock_phys_alloc(SZ_1M, SZ_4K), SZ_1G + SZ_4M - SZ_1M);
}

/*
 * memblock_phys_alloc_try_nid() prefers the node, then falls back to any.
 *
 *   memory:   | nid 0 | nid 1 |
 *   nid 0:         |a|
 *   nid 1:                 |a|
 *   nid 2:              |a|   (fallback: top of all memory)
 */
static void test_phys_alloc_try_nid(void)
{
	reset();
	memblock_add_node(SZ_1G, SZ_4M, 0, MEMBLOCK_NONE);
	memblock_add_node(SZ_1G + SZ_4M, SZ_4M, 1, MEMBLOCK_NONE);
	CHECK_EQ(memblock_phys_alloc_try_nid(SZ_4K, SZ_4K, 0),
		 SZ_1G + SZ_4M - SZ_4K);
	CHECK_EQ(memblock_phys_alloc_try_nid(SZ_4K, SZ_4K, 1),
		 SZ_1G + 2 * SZ_4M - SZ_4K);
	CHECK_EQ(memblock_phys_alloc_try_nid(SZ_4K, SZ_4K, 2),
		 SZ_1G + 2 * SZ_4M - SZ_8K);
	CHECK_EQ(memblock_phys_alloc_try_nid(SZ_4K, SZ_4K, NUMA_NO_NODE),
		 SZ_1G + 2 * SZ_4M - 3 * SZ_4K);
}

/*
 * memblock_alloc_range_nid() with exact_nid never leaves the node.
 *
 *   memory:   | nid 0 | nid 1 |
 *   nid 2 exact:  fails;  nid 0 exact: top of nid 0
 */
static void test_alloc_range_nid_exact(void)
{
	reset();
	memblock_add_node(SZ_1G, SZ_4M, 0, MEMBLOCK_NONE);
	memblock_add_node(SZ_1G + SZ_4M, SZ_4M, 1, MEMBLOCK_NONE);
	CHECK_EQ(memblock_alloc_range_nid(SZ_4K, SZ_4K, 0,
					  MEMBLOCK_ALLOC_ACCESSIBLE, 2, true),
		 0);
	CHECK_EQ(memblock_alloc_range_nid(SZ_4K, SZ_4K, 0,
					  MEMBLOCK_ALLOC_ACCESSIBLE, 0, true),
		 SZ_1G + SZ_4M - SZ_4K);
	CHECK_EQ(memblock_alloc_range_nid(SZ_4K, SZ_4K, 0,
					  MEMBLOCK_ALLOC_ACCESSIBLE, 2, false),
		 SZ_1G + 2 * SZ_4M - SZ_4K);
}

/*
 * NOMAP and driver-managed memory are never allocated from.
 *
 *   memory:   | r1 | NOMAP | DRIVER_MANAGED |
 *   alloc:       |a|
 */
static void test_phys_alloc_skips_nomap(void)
{
	reset();
	memblock_add(SZ_1G, SZ_1M);
	memblock_add_node(SZ_1G + SZ_1M, SZ_1M, MAX_NUMNODES, MEMBLOCK_NOMAP);
	memblock_add_node(SZ_1G + SZ_2M, SZ_1M, MAX_NUMNODES,
			  MEMBLOCK_DRIVER_MANAGED);
	CHECK_EQ(memblock_phys_alloc(SZ_4K, SZ_4K), SZ_1G + SZ_1M - SZ_4K);
	CHECK_EQ(memblock_phys_alloc(SZ_2M, SZ_4K), 0);
}

/*
 * Once memory is marked mirrored, allocations try it first and fall back
 * to any memory when it is too small.
 *
 *   memory:   | MIRROR |          r1          |
 *   a1 (4K):      |a1|
 *   a2 (2M):                      |   a2   |
 */
static void test_phys_alloc_mirror(void)
{
	reset();
	memblock_add(SZ_1G, SZ_4M);
	memblock_mark_mirror(SZ_1G, SZ_1M);
	CHECK_EQ(memblock_phys_alloc(SZ_4K, SZ_4K), SZ_1G + SZ_1M - SZ_4K);
	CHECK_EQ(memblock_phys_alloc(SZ_2M, SZ_4K), SZ_1G + SZ_2M);
}

/*
 * memblock_find_in_range_node() finds without reserving; its flags select
 * mirrored memory only.
 *
 *   memory:   | MIRROR |     r1     |
 *   find:                       |f| (nothing reserved)
 *   find MIRROR:   |f|
 */
static void test_find_in_range_node(void)
{
	reset();
	memblock_add(SZ_1G, SZ_4M);
	memblock_mark_mirror(SZ_1G, SZ_1M);
	CHECK_EQ(memblock_find_in_range_node(SZ_4K, SZ_4K, 0,
					     MEMBLOCK_ALLOC_ANYWHERE,
					     NUMA_NO_NODE, MEMBLOCK_NONE),
		 SZ_1G + SZ_4M - SZ_4K);
	CHECK_EQ(memblock_find_in_range_node(SZ_4K, SZ_4K, 0,
					     MEMBLOCK_ALLOC_ANYWHERE,
					     NUMA_NO_NODE, MEMBLOCK_MIRROR),
		 SZ_1G + SZ_1M - SZ_4K);
	CHECK_EQ(memblock_find_in_range_node(SZ_4K, SZ_4K, 0,
					     MEMBLOCK_ALLOC_ANYWHERE, 3,
					     MEMBLOCK_NONE),
		 0);
	CHECK_EQ(rsv->cnt, 0);
}

/*
 * Allocations that cannot merge (alignment leaves a gap each time) still
 * land on the highest fit, and a freed hole is found again: the search
 * hint never changes a result.
 *
 *   memory:   |                        r1                        |
 *   reserved:            ... |a3|  |a2|  |a1|  (8K apart)
 *   free a50, alloc:  lands in a50's place
 */
static void test_phys_alloc_non_merging(void)
{
	phys_addr_t top = SZ_1G + SZ_16M, hole;

	reset();
	memblock_add(SZ_1G, SZ_16M);
	for (int i = 0; i < 100; i++) {
		CHECK_EQ(memblock_phys_alloc(SZ_4K, SZ_8K),
			 top - (phys_addr_t)(i + 1) * SZ_8K);
	}
	CHECK_EQ(rsv->cnt, 100);
	hole = top - 51 * SZ_8K;
	memblock_phys_free(hole, SZ_4K);
	CHECK_EQ(memblock_phys_alloc(SZ_4K, SZ_8K), hole);
	/* A bigger request of the same kind skips the 4K holes. */
	CHECK_EQ(memblock_phys_alloc(SZ_8K, SZ_8K), top - 101 * SZ_8K);
	memblock_set_bottom_up(true);
	CHECK_EQ(memblock_phys_alloc(SZ_4K, SZ_8K), SZ_1G);
	CHECK_EQ(memblock_phys_alloc(SZ_4K, SZ_8K), SZ_1G + SZ_8K);
	CHECK_INVARIANTS();
}

/*
 * memblock_alloc() returns zeroed memory from the top of the arena.
 *
 *   arena:    |0xff 0xff 0xff ........ 0xff|
 *   after:    |0xff ...           | 0 0 0 0 |
 */
static void test_alloc_zeroed(void)
{
	uint8_t *p;
	bool zero = true;

	reset_arena();
	memset(arena, 0xff, ARENA_SIZE);
	p = memblock_alloc(SZ_16K, SZ_4K);
	CHECK(p == arena + ARENA_SIZE - SZ_16K);
	for (size_t i = 0; p != NULL && i < SZ_16K; i++) {
		zero = zero && p[i] == 0;
	}
	CHECK(zero);
	CHECK(memblock_is_region_reserved((phys_addr_t)(uintptr_t)p, SZ_16K));
}

/*
 * memblock_alloc_raw() does not zero.
 *
 *   arena:    |0xff ...                0xff|
 *   after:    |0xff ...           |  0xff  |  (reserved, untouched)
 */
static void test_alloc_raw(void)
{
	uint8_t *p;

	reset_arena();
	memset(arena, 0xff, ARENA_SIZE);
	p = memblock_alloc_raw(SZ_4K, SZ_4K);
	CHECK(p == arena + ARENA_SIZE - SZ_4K);
	CHECK(p != NULL && p[0] == 0xff && p[SZ_4K - 1] == 0xff);
}

/*
 * memblock_alloc_from() allocates at or above min_addr if it can, else
 * drops the lower bound.
 *
 *   arena (bottom-up):  |     |a1 (>= min)      |
 *   min above memory:   |a2|
 */
static void test_alloc_from(void)
{
	reset_arena();
	memblock_set_bottom_up(true);
	CHECK(memblock_alloc_from(SZ_4K, SZ_4K, A + SZ_2M) == arena + SZ_2M);
	CHECK(memblock_alloc_from(SZ_4K, SZ_4K, A + 2 * ARENA_SIZE) == arena);
}

/*
 * memblock_alloc_low() stays below ARCH_LOW_ADDRESS_LIMIT (4 GiB): the
 * arena is host memory, usually above it, and then nothing fits.
 *
 *   [0 ... 4G)   |arena|?
 */
static void test_alloc_low(void)
{
	void *p;

	reset_arena();
	p = memblock_alloc_low(SZ_4K, SZ_4K);
	if (A + ARENA_SIZE <= ARCH_LOW_ADDRESS_LIMIT) {
		CHECK(p == arena + ARENA_SIZE - SZ_4K);
	} else {
		CHECK(p == NULL);
		CHECK_EQ(rsv->cnt, 0);
	}
}

/*
 * memblock_alloc_node() prefers the node and falls back to any node.
 *
 *   arena:  |  nid 0  |  nid 1  |
 *   nid 0:         |a|
 *   nid 5:                   |a|  (fallback)
 */
static void test_alloc_node(void)
{
	reset();
	memblock_add_node(A, SZ_2M, 0, MEMBLOCK_NONE);
	memblock_add_node(A + SZ_2M, SZ_2M, 1, MEMBLOCK_NONE);
	CHECK(memblock_alloc_node(SZ_4K, SZ_4K, 0) == arena + SZ_2M - SZ_4K);
	CHECK(memblock_alloc_node(SZ_4K, SZ_4K, 5) ==
	      arena + ARENA_SIZE - SZ_4K);
}

/*
 * memblock_alloc_try_nid() and _raw honour [min_addr, max_addr) and the
 * node, and max_addr is capped at current_limit.
 *
 *   arena:  |  nid 0  |  nid 1  |
 *   range:     [      )
 *   nid 0:          |a|
 *   limit:    ^  -> |a| below it
 */
static void test_alloc_try_nid(void)
{
	reset();
	memblock_add_node(A, SZ_2M, 0, MEMBLOCK_NONE);
	memblock_add_node(A + SZ_2M, SZ_2M, 1, MEMBLOCK_NONE);
	CHECK(memblock_alloc_try_nid(SZ_4K, SZ_4K, A + SZ_1M, A + 3 * SZ_1M,
				     0) == arena + SZ_2M - SZ_4K);
	CHECK(memblock_alloc_try_nid_raw(SZ_4K, SZ_4K, A + SZ_1M, A + 3 * SZ_1M,
					 1) == arena + 3 * SZ_1M - SZ_4K);
	memblock_set_current_limit(A + SZ_1M);
	CHECK(memblock_alloc_try_nid(SZ_4K, SZ_4K, 0, A + 3 * SZ_1M,
				     NUMA_NO_NODE) == arena + SZ_1M - SZ_4K);
	CHECK(memblock_alloc_try_nid(SZ_4K, SZ_4K, 0, A + 3 * SZ_1M, 1) ==
	      arena + SZ_1M - SZ_8K);
}

/*
 * memblock_alloc_exact_nid_raw() fails rather than leave the node.
 *
 *   arena:  |  nid 0  |  nid 1  |
 *   nid 5: NULL;  nid 1: top of nid 1
 */
static void test_alloc_exact_nid_raw(void)
{
	reset();
	memblock_add_node(A, SZ_2M, 0, MEMBLOCK_NONE);
	memblock_add_node(A + SZ_2M, SZ_2M, 1, MEMBLOCK_NONE);
	CHECK(memblock_alloc_exact_nid_raw(
		  SZ_4K, SZ_4K, 0, MEMBLOCK_ALLOC_ACCESSIBLE, 5) == NULL);
	CHECK(memblock_alloc_exact_nid_raw(SZ_4K, SZ_4K, 0,
					   MEMBLOCK_ALLOC_ACCESSIBLE,
					   1) == arena + ARENA_SIZE - SZ_4K);
	CHECK(memblock_alloc_exact_nid_raw(SZ_4K, SZ_4K, 0,
					   MEMBLOCK_ALLOC_ACCESSIBLE,
					   0) == arena + SZ_2M - SZ_4K);
}

/*
 * A full reserved array without resizing makes allocation fail cleanly.
 *
 *   reserved: |x| |x| ... |x| (128)   alloc -> NULL, nothing changed
 */
static void test_alloc_reserved_full(void)
{
	reset_arena();
	for (int i = 0; i < INIT_MEMBLOCK_REGIONS; i++) {
		memblock_reserve(A + (phys_addr_t)i * SZ_8K, SZ_4K);
	}
	CHECK(memblock_alloc(SZ_4K, SZ_4K) == NULL);
	CHECK_EQ(rsv->cnt, INIT_MEMBLOCK_REGIONS);
	/* One that merges with a neighbour still needs a slot (Linux). */
	CHECK(memblock_alloc(SZ_4K, SZ_4K) == NULL);
	memblock_allow_resize();
	CHECK(memblock_alloc(SZ_4K, SZ_4K) == arena + ARENA_SIZE - SZ_4K);
	CHECK_EQ(rsv->max, 2 * INIT_MEMBLOCK_REGIONS);
	CHECK_INVARIANTS();
}

/*
 * memblock_enforce_memory_limit() keeps the first bytes of memory and cuts
 * memory and reservations above them.
 *
 *   before:   |  r1 4M  |     |   r2 4M   |
 *   reserved:                   |  x  |
 *   limit 5M: |  r1 4M  |     |r2|
 *   reserved:                   |x|
 */
static void test_enforce_memory_limit(void)
{
	reset();
	memblock_add(SZ_1G, SZ_4M);
	memblock_add(SZ_1G + 2 * SZ_4M, SZ_4M);
	memblock_reserve(SZ_1G + 2 * SZ_4M + SZ_1M / 2, SZ_1M);
	memblock_enforce_memory_limit(0);
	memblock_enforce_memory_limit(SZ_1G);
	CHECK_EQ(mem->total_size, 2 * SZ_4M);
	memblock_enforce_memory_limit(SZ_4M + SZ_1M);
	CHECK_EQ(mem->cnt, 2);
	CHECK_RGN(mem, 1, SZ_1G + 2 * SZ_4M, SZ_1M);
	CHECK_EQ(mem->total_size, SZ_4M + SZ_1M);
	CHECK_EQ(rsv->cnt, 1);
	CHECK_RGN(rsv, 0, SZ_1G + 2 * SZ_4M + SZ_1M / 2, SZ_1M / 2);
}

/*
 * memblock_cap_memory_range() keeps one range of memory plus every NOMAP
 * region, and the reservations inside the range.
 *
 *   before:   |   r1 4M   |  | NOMAP |  |  r3  |
 *   reserved:  |x|    |x|               |x|
 *   cap:         [  2M  )
 *   after:       | r1 |      | NOMAP |
 *   reserved:         |x|
 */
static void test_cap_memory_range(void)
{
	reset();
	memblock_cap_memory_range(SZ_1G, SZ_1M); /* No memory: warns only. */
	memblock_add(SZ_1G, SZ_4M);
	memblock_add_node(SZ_1G + 2 * SZ_4M, SZ_2M, MAX_NUMNODES,
			  MEMBLOCK_NOMAP);
	memblock_add(SZ_1G + 4 * SZ_4M, SZ_4M);
	memblock_reserve(SZ_1G, SZ_4K);
	memblock_reserve(SZ_1G + SZ_2M, SZ_4K);
	memblock_reserve(SZ_1G + 4 * SZ_4M, SZ_4K);
	memblock_cap_memory_range(SZ_1G + SZ_1M, SZ_2M);
	CHECK_EQ(mem->cnt, 2);
	CHECK_RGN(mem, 0, SZ_1G + SZ_1M, SZ_2M);
	CHECK_RGN(mem, 1, SZ_1G + 2 * SZ_4M, SZ_2M);
	CHECK_EQ(mem->total_size, 2 * SZ_2M);
	CHECK_EQ(rsv->cnt, 1);
	CHECK_RGN(rsv, 0, SZ_1G + SZ_2M, SZ_4K);
	CHECK_INVARIANTS();
}

/*
 * memblock_mem_limit_remove_map() is a memory limit that spares NOMAP.
 *
 *   before:  |   r1 4M   |  | NOMAP |
 *   limit 1M: | r1 |        | NOMAP |
 */
static void test_mem_limit_remove_map(void)
{
	reset();
	memblock_add(SZ_1G, SZ_4M);
	memblock_add_node(SZ_1G + 2 * SZ_4M, SZ_2M, MAX_NUMNODES,
			  MEMBLOCK_NOMAP);
	memblock_mem_limit_remove_map(0);
	CHECK_EQ(mem->cnt, 2);
	memblock_mem_limit_remove_map(SZ_1M);
	CHECK_EQ(mem->cnt, 2);
	CHECK_RGN(mem, 0, SZ_1G, SZ_1M);
	CHECK_RGN(mem, 1, SZ_1G + 2 * SZ_4M, SZ_2M);
}

/*
 * memblock_trim_memory() rounds regions inwards and drops those left
 * empty; total_size follows.
 *
 *   before:  |.r1 (unaligned).|   |.r2 < 4K.|   |r3 aligned|
 *   after:    |r1 (aligned)|                    |r3 aligned|
 */
static void test_trim_memory(void)
{
	reset();
	memblock_add(SZ_1G + 100, SZ_1M);
	memblock_add(SZ_1G + SZ_2M + 100, SZ_4K - 200);
	memblock_add(SZ_1G + SZ_4M, SZ_1M);
	memblock_trim_memory(SZ_4K);
	CHECK_EQ(mem->cnt, 2);
	CHECK_RGN(mem, 0, SZ_1G + SZ_4K, SZ_1M - SZ_4K);
	CHECK_RGN(mem, 1, SZ_1G + SZ_4M, SZ_1M);
	CHECK_EQ(mem->total_size, 2 * SZ_1M - SZ_4K);
	CHECK_INVARIANTS();
}

/*
 * The size and bounds queries follow the arrays.
 *
 *   memory:   | r1 |     | r2 |
 *   reserved:   |x|
 */
static void test_size_queries(void)
{
	reset();
	CHECK_EQ(memblock_phys_mem_size(), 0);
	memblock_add(SZ_1G + SZ_4M, SZ_1M);
	memblock_add(SZ_1G, SZ_1M);
	memblock_reserve(SZ_1G, SZ_4K);
	CHECK_EQ(memblock_phys_mem_size(), SZ_2M);
	CHECK_EQ(memblock_reserved_size(), SZ_4K);
	CHECK_EQ(memblock_start_of_DRAM(), SZ_1G);
	CHECK_EQ(memblock_end_of_DRAM(), SZ_1G + SZ_4M + SZ_1M);
}

/*
 * Point queries: memory, map memory and reserved, with exclusive ends.
 *
 *   memory:   | r1 |NOMAP|
 *   reserved:  |x|
 */
static void test_point_queries(void)
{
	reset();
	memblock_add(SZ_1G, SZ_1M);
	memblock_add_node(SZ_1G + SZ_1M, SZ_1M, MAX_NUMNODES, MEMBLOCK_NOMAP);
	memblock_reserve(SZ_1G + SZ_4K, SZ_4K);
	CHECK(memblock_is_memory(SZ_1G));
	CHECK(memblock_is_memory(SZ_1G + SZ_2M - 1));
	CHECK(!memblock_is_memory(SZ_1G + SZ_2M));
	CHECK(!memblock_is_memory(SZ_1G - 1));
	CHECK(memblock_is_map_memory(SZ_1G + SZ_1M - 1));
	CHECK(!memblock_is_map_memory(SZ_1G + SZ_1M));
	CHECK(!memblock_is_reserved(SZ_1G + SZ_4K - 1));
	CHECK(memblock_is_reserved(SZ_1G + SZ_4K));
	CHECK(!memblock_is_reserved(SZ_1G + SZ_8K));
}

/*
 * memblock_is_region_memory() wants one region to hold the whole range,
 * so a range across two touching regions of different flags fails.
 *
 *   memory:   |   r1   |HOTPLUG|
 *   yes:        [   ]
 *   no:             [     ]
 */
static void test_is_region_memory(void)
{
	reset();
	memblock_add(SZ_1G, SZ_1M);
	memblock_add_node(SZ_1G + SZ_1M, SZ_1M, MAX_NUMNODES, MEMBLOCK_HOTPLUG);
	CHECK(memblock_is_region_memory(SZ_1G, SZ_1M));
	CHECK(memblock_is_region_memory(SZ_1G + SZ_4K, SZ_4K));
	CHECK(!memblock_is_region_memory(SZ_1G + SZ_1M / 2, SZ_1M));
	CHECK(!memblock_is_region_memory(SZ_1G - SZ_4K, SZ_8K));
	CHECK(!memblock_is_region_memory(SZ_2M, SZ_4K));
}

/*
 * memblock_is_region_reserved() and memblock_overlaps_region() report any
 * overlap; as in Linux an empty range strictly inside a region counts.
 *
 *   reserved:      |  x  |
 *   yes:        [    )  [  ]      (and empty at x's middle)
 *   no:      [  )          [  )   (touching is not overlapping)
 */
static void test_overlap_queries(void)
{
	reset();
	memblock_reserve(SZ_1G, SZ_64K);
	CHECK(memblock_is_region_reserved(SZ_1G - SZ_4K, SZ_8K));
	CHECK(memblock_is_region_reserved(SZ_1G + SZ_16K, SZ_1M));
	CHECK(!memblock_is_region_reserved(SZ_1G - SZ_4K, SZ_4K));
	CHECK(!memblock_is_region_reserved(SZ_1G + SZ_64K, SZ_4K));
	CHECK(memblock_overlaps_region(rsv, SZ_1G + SZ_4K, 0));
	CHECK(!memblock_overlaps_region(rsv, SZ_1G, 0));
	CHECK(!memblock_overlaps_region(mem, SZ_1G, SZ_1M));
	CHECK(memblock_is_region_reserved(0, PHYS_ADDR_MAX));
}

/*
 * memblock_search_pfn_nid() gives the node and page bounds of the region
 * holding a page frame.
 *
 *   memory:   | nid 0 (2M) | nid 1 (2M) |
 */
static void test_search_pfn_nid(void)
{
	unsigned long s = 0, e = 0;

	reset();
	memblock_add_node(SZ_1G, SZ_2M, 0, MEMBLOCK_NONE);
	memblock_add_node(SZ_1G + SZ_2M, SZ_2M, 1, MEMBLOCK_NONE);
	CHECK_EQ(memblock_search_pfn_nid(PFN_DOWN(SZ_1G + SZ_2M), &s, &e), 1);
	CHECK_EQ(s, PFN_DOWN(SZ_1G + SZ_2M));
	CHECK_EQ(e, PFN_DOWN(SZ_1G + SZ_4M));
	CHECK_EQ(memblock_search_pfn_nid(PFN_DOWN(SZ_1G), &s, &e), 0);
	CHECK_EQ(memblock_search_pfn_nid(PFN_DOWN(SZ_2M), &s, &e),
		 NUMA_NO_NODE);
}

/*
 * for_each_mem_range() and _rev() walk memory regions, skipping NOMAP.
 *
 *   memory:   | r1 |  |NOMAP|  | r3 |
 *   walk:     | r1 |           | r3 |   (and back)
 */
static void test_for_each_mem_range(void)
{
	phys_addr_t s, e,
	    want[2][2] = {{SZ_1G, SZ_1G + SZ_1M},
			  {SZ_1G + SZ_4M, SZ_1G + SZ_4M + SZ_1M}};
	uint64_t i;
	int n = 0;

	reset();
	memblock_add(SZ_1G, SZ_1M);
	memblock_add_node(SZ_1G + SZ_2M, SZ_1M, MAX_NUMNODES, MEMBLOCK_NOMAP);
	memblock_add(SZ_1G + SZ_4M, SZ_1M);
	for_each_mem_range(i, &s, &e)
	{
		CHECK(n < 2 && s == want[n][0] && e == want[n][1]);
		n++;
	}
	CHECK_EQ(n, 2);
	for_each_mem_range_rev(i, &s, &e)
	{
		n--;
		CHECK(n >= 0 && s == want[n][0] && e == want[n][1]);
	}
	CHECK_EQ(n, 0);
}

/*
 * for_each_free_mem_range() yields memory minus reservations, with the
 * node; _reverse() the same from the top; a node filter keeps one node.
 *
 *   memory:   |     nid 0     |     nid 1     |
 *   reserved:     |x|             |x|
 *   free:     |f0|   |  f1    |f2|   |  f3    |
 */
static void test_for_each_free_mem_range(void)
{
	phys_addr_t s, e;
	phys_addr_t want[4][2] = {
	    {SZ_1G, SZ_1G + SZ_1M},
	    {SZ_1G + SZ_2M, SZ_1G + SZ_4M},
	    {SZ_1G + SZ_4M, SZ_1G + SZ_4M + SZ_1M},
	    {SZ_1G + SZ_4M + SZ_2M, SZ_1G + 2 * SZ_4M},
	};
	uint64_t i;
	int n = 0, nid;

	reset();
	memblock_add_node(SZ_1G, SZ_4M, 0, MEMBLOCK_NONE);
	memblock_add_node(SZ_1G + SZ_4M, SZ_4M, 1, MEMBLOCK_NONE);
	memblock_reserve(SZ_1G + SZ_1M, SZ_1M);
	memblock_reserve(SZ_1G + SZ_4M + SZ_1M, SZ_1M);
	for_each_free_mem_range(i, NUMA_NO_NODE, MEMBLOCK_NONE, &s, &e, &nid)
	{
		CHECK(n < 4 && s == want[n][0] && e == want[n][1]);
		CHECK_EQ(nid, n / 2);
		n++;
	}
	CHECK_EQ(n, 4);
	for_each_free_mem_range_reverse(i, NUMA_NO_NODE, MEMBLOCK_NONE, &s, &e,
					NULL)
	{
		n--;
		CHECK(n >= 0 && s == want[n][0] && e == want[n][1]);
	}
	CHECK_EQ(n, 0);
	for_each_free_mem_range(i, 1, MEMBLOCK_NONE, &s, &e, NULL)
	{
		CHECK(s == want[2 + n][0] && e == want[2 + n][1]);
		n++;
	}
	CHECK_EQ(n, 2);
}

/*
 * A reservation covering all memory leaves no free range; one covering a
 * region's edges leaves the middle.
 *
 *   memory:   |    r1    |
 *   reserved: |x|      |x|
 *   free:       |  f   |
 */
static void test_free_range_edges(void)
{
	phys_addr_t s, e;
	uint64_t i;
	int n = 0;

	reset();
	memblock_add(SZ_1G, SZ_4M);
	memblock_reserve(SZ_1G, SZ_1M);
	memblock_reserve(SZ_1G + 3 * SZ_1M, SZ_1M);
	for_each_free_mem_range(i, NUMA_NO_NODE, MEMBLOCK_NONE, &s, &e, NULL)
	{
		CHECK(s == SZ_1G + SZ_1M && e == SZ_1G + 3 * SZ_1M);
		n++;
	}
	CHECK_EQ(n, 1);
	memblock_reserve(SZ_1G, SZ_4M);
	for_each_free_mem_range_reverse(i, NUMA_NO_NODE, MEMBLOCK_NONE, &s, &e,
					NULL)
	{
		n++;
	}
	CHECK_EQ(n, 1);
}

/*
 * for_each_reserved_mem_region(), for_each_reserved_mem_range(),
 * for_each_mem_region() and for_each_memblock_type() visit every region.
 *
 *   memory:   | r1 |  | r2 |
 *   reserved:  |x|      |x|
 */
static void test_region_walks(void)
{
	struct memblock_region *r;
	phys_addr_t s, e, total = 0;
	unsigned long idx;
	uint64_t i;
	int n = 0;

	reset();
	memblock_add(SZ_1G, SZ_1M);
	memblock_add(SZ_1G + SZ_4M, SZ_1M);
	memblock_reserve(SZ_1G, SZ_4K);
	memblock_reserve(SZ_1G + SZ_4M, SZ_8K);
	for_each_reserved_mem_region(r)
	{
		total += r->size;
		n++;
	}
	CHECK_EQ(n, 2);
	CHECK_EQ(total, SZ_4K + SZ_8K);
	for_each_reserved_mem_range(i, &s, &e)
	{
		total -= e - s;
	}
	CHECK_EQ(total, 0);
	for_each_mem_region(r)
	{
		total += r->size;
	}
	CHECK_EQ(total, SZ_2M);
	for_each_memblock_type(idx, mem, r)
	{
		CHECK(r == &mem->regions[idx]);
		n++;
	}
	CHECK_EQ(n, 4);
}

/*
 * for_each_mem_pfn_range() gives whole page frames (rounded inwards),
 * skips regions without one, and filters by node.
 *
 *   memory:   |.nid 0 (unaligned).|  |<4K|  |  nid 1  |
 *   pfns:      |  whole pages  |             |  pages  |
 */
static void test_for_each_mem_pfn_range(void)
{
	unsigned long s, e;
	int i, nid, n = 0;

	reset();
	memblock_add_node(SZ_1G + 100, SZ_1M, 0, MEMBLOCK_NONE);
	memblock_add_node(SZ_1G + SZ_2M + 100, 200, 0, MEMBLOCK_NONE);
	memblock_add_node(SZ_1G + SZ_4M, SZ_1M, 1, MEMBLOCK_NONE);
	for_each_mem_pfn_range(i, NUMA_NO_NODE, &s, &e, &nid)
	{
		if (n == 0) {
			CHECK_EQ(s, PFN_UP(SZ_1G + 100));
			CHECK_EQ(e, PFN_DOWN(SZ_1G + 100 + SZ_1M));
			CHECK_EQ(nid, 0);
		} else {
			CHECK_EQ(s, PFN_DOWN(SZ_1G + SZ_4M));
			CHECK_EQ(nid, 1);
		}
		n++;
	}
	CHECK_EQ(n, 2);
	for_each_mem_pfn_range(i, 1, &s, &e, NULL)
	{
		CHECK_EQ(s, PFN_DOWN(SZ_1G + SZ_4M));
		n++;
	}
	CHECK_EQ(n, 3);
}

static uint64_t hook_pages;
static phys_addr_t hook_last_base;

static void hook(phys_addr_t base, phys_addr_t size)
{
	hook_pages += size / PAGE_SIZE;
	hook_last_base = base;
}

/*
 * memblock_free_all() hands whole free pages to the registered hook,
 * counts them, and switches the allocator off: later allocations fail
 * with an error naming the caller, queries still work.
 *
 *   memory:   |       r1 (16 pages)      | NOMAP |
 *   reserved:    |x|     (10 bytes inside page 1)
 *   freed:    |f|  |        f          |          (1 + 14 pages)
 */
static void test_free_all(void)
{
	const char *text;

	reset();
	memblock_add(SZ_1G, 16 * SZ_4K);
	memblock_add_node(SZ_1G + SZ_1M, SZ_1M, MAX_NUMNODES, MEMBLOCK_NOMAP);
	memblock_reserve(SZ_1G + SZ_4K + 1, 10);
	hook_pages = 0;
	memblock_set_free_pages(hook);
	CHECK_EQ(memblock_free_all(), 15);
	CHECK_EQ(hook_pages, 15);
	CHECK(memblock_allocator_off());
	capture_start();
	CHECK_EQ(memblock_phys_alloc(SZ_4K, SZ_4K), 0);
	CHECK(memblock_alloc(SZ_4K, SZ_4K) == NULL);
	text = capture_text();
	CHECK(strstr(text, "after memblock_free_all()") != NULL);
	CHECK(strstr(text, "caller 0x") != NULL);
	CHECK(memblock_is_memory(SZ_1G));
	CHECK(memblock_is_reserved(SZ_1G + SZ_4K + 1));
	CHECK_EQ(memblock_free_all(), 0);
}

/*
 * memblock_free_late() drops the reservation and hands its whole pages
 * over.
 *
 *   reserved before:  |  x (3 pages + a bit)  |
 *   after:            (empty); 3 pages to the hook
 */
static void test_free_late(void)
{
	reset();
	memblock_add(SZ_1G, SZ_1M);
	memblock_reserve(SZ_1G + 100, 3 * SZ_4K + 200);
	hook_pages = 0;
	memblock_set_free_pages(hook);
	CHECK_EQ(memblock_free_all(), 256 - 4);
	hook_pages = 0;
	memblock_free_late(SZ_1G, 4 * SZ_4K);
	CHECK_EQ(hook_pages, 4);
	CHECK_EQ(hook_last_base, SZ_1G);
	CHECK_EQ(rsv->cnt, 0);
	CHECK(!memblock_is_reserved(SZ_1G + 100));
}

/*
 * __memblock_dump_all() prints both types in the documented format;
 * memblock_dump_all() only with memblock_debug.
 *
 *   memory:   | nid 0 | MIRROR|NOMAP nid 1 |
 *   reserved:   |x|
 */
static void test_dump_golden(void)
{
	static const char golden[] =
	    "MEMBLOCK configuration:\n"
	    " memory size = 0x0000000000300000 reserved size = "
	    "0x0000000000001000\n"
	    " memory.cnt  = 0x2\n"
	    " memory[0x0] [0x0000000040000000-0x00000000401fffff], "
	    "0x0000000000200000 bytes flags: NONE nid: 0\n"
	    " memory[0x1] [0x0000000040200000-0x00000000402fffff], "
	    "0x0000000000100000 bytes flags: MIRROR|NOMAP nid: 1\n"
	    " reserved.cnt  = 0x1\n"
	    " reserved[0x0] [0x0000000040001000-0x0000000040001fff], "
	    "0x0000000000001000 bytes flags: RSRV_NOINIT nid: none\n";

	reset();
	memblock_add_node(SZ_1G, SZ_2M, 0, MEMBLOCK_NONE);
	memblock_add_node(SZ_1G + SZ_2M, SZ_1M, 1,
			  MEMBLOCK_MIRROR | MEMBLOCK_NOMAP);
	memblock_reserve(SZ_1G + SZ_4K, SZ_4K);
	memblock_reserved_mark_noinit(SZ_1G, SZ_1M);
	capture_start();
	memblock_dump_all();
	CHECK_EQ(strlen(capture_text()), 0);
	capture_start();
	__memblock_dump_all();
	CHECK(strcmp(capture_text(), golden) == 0);
	if (strcmp(capture_text(), golden) != 0) {
		printf("# got:\n%s", capture_text());
	}
}

/*
 * With memblock_debug every call is traced with its range and caller.
 *
 *   memblock_add: [0x0000000040000000-0x00000000400fffff] caller 0x...
 */
static void test_debug_trace(void)
{
	const char *text;

	reset();
	memblock_debug = true;
	capture_start();
	memblock_add(SZ_1G, SZ_1M);
	memblock_reserve(SZ_1G, SZ_4K);
	memblock_phys_alloc(SZ_4K, SZ_4K);
	memblock_dump_all();
	text = capture_text();
	memblock_debug = false;
	CHECK(strstr(text,
		     "memblock_add: [0x0000000040000000-0x00000000400fffff] "
		     "caller 0x") != NULL);
	CHECK(
	    strstr(
		text,
		"memblock_reserve: [0x0000000040000000-0x0000000040000fff]") !=
	    NULL);
	CHECK(strstr(text,
		     "memblock_phys_alloc_range: 4096 bytes align=0x1000") !=
	      NULL);
	CHECK(strstr(text, "MEMBLOCK configuration:") != NULL);
}

int main(void)
{
	arena = aligned_alloc(SZ_1M, ARENA_SIZE);
	if (arena == NULL) {
		printf("Bail out! no memory for the arena\n");
		return 1;
	}
	A = (phys_addr_t)(uintptr_t)arena;

	TEST(test_init);
	TEST(test_reset);
	TEST(test_add_simple);
	TEST(test_add_node_simple);
	TEST(test_add_disjoint);
	TEST(test_add_overlap_top);
	TEST(test_add_overlap_bottom);
	TEST(test_add_within);
	TEST(test_add_covering);
	TEST(test_add_twice);
	TEST(test_add_touching);
	TEST(test_add_bridge);
	TEST(test_add_spanning_many);
	TEST(test_add_flags_no_merge);
	TEST(test_add_nid_no_merge);
	TEST(test_add_cap_size);
	TEST(test_add_zero_size);
	TEST(test_add_full_no_resize);
	TEST(test_add_resize);
	TEST(test_reserve_resize_twice);
	TEST(test_resize_excludes_range);
	TEST(test_resize_no_memory);
	TEST(test_reserve_simple);
	TEST(test_reserve_disjoint);
	TEST(test_reserve_overlap);
	TEST(test_reserve_within_touching);
	TEST(test_reserve_full_no_resize);
	TEST(test_remove_simple);
	TEST(test_remove_absent);
	TEST(test_remove_overlap_top);
	TEST(test_remove_overlap_bottom);
	TEST(test_remove_within);
	TEST(test_remove_covering);
	TEST(test_remove_last);
	TEST(test_remove_split_full);
	TEST(test_phys_free);
	TEST(test_free_virtual);
	TEST(test_mark_clear_hotplug);
	TEST(test_mark_spanning);
	TEST(test_mark_mirror);
	TEST(test_mark_clear_nomap);
	TEST(test_reserved_mark_noinit);
	TEST(test_set_node);
	TEST(test_phys_alloc_top_down);
	TEST(test_phys_alloc_bottom_up);
	TEST(test_phys_alloc_align);
	TEST(test_phys_alloc_align_zero);
	TEST(test_phys_alloc_never_zero);
	TEST(test_phys_alloc_current_limit);
	TEST(test_phys_alloc_range);
	TEST(test_phys_alloc_skip_small);
	TEST(test_phys_alloc_try_nid);
	TEST(test_alloc_range_nid_exact);
	TEST(test_phys_alloc_skips_nomap);
	TEST(test_phys_alloc_mirror);
	TEST(test_find_in_range_node);
	TEST(test_phys_alloc_non_merging);
	TEST(test_alloc_zeroed);
	TEST(test_alloc_raw);
	TEST(test_alloc_from);
	TEST(test_alloc_low);
	TEST(test_alloc_node);
	TEST(test_alloc_try_nid);
	TEST(test_alloc_exact_nid_raw);
	TEST(test_alloc_reserved_full);
	TEST(test_enforce_memory_limit);
	TEST(test_cap_memory_range);
	TEST(test_mem_limit_remove_map);
	TEST(test_trim_memory);
	TEST(test_size_queries);
	TEST(test_point_queries);
	TEST(test_is_region_memory);
	TEST(test_overlap_queries);
	TEST(test_search_pfn_nid);
	TEST(test_for_each_mem_range);
	TEST(test_for_each_free_mem_range);
	TEST(test_free_range_edges);
	TEST(test_region_walks);
	TEST(test_for_each_mem_pfn_range);
	TEST(test_free_all);
	TEST(test_free_late);
	TEST(test_dump_golden);
	TEST(test_debug_trace);

	memblock_reset();
	free(arena);
	return tap_done();
}
