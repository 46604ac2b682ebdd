// SPDX-License-Identifier: BSD-2-Clause
/*
 * Helpers shared by test_e820.c and test_efi_memmap.c: compare memblock's
 * regions with an expected list, check provenance records, and check the
 * invariants every converter result must keep. Host tests only.
 */
#pragma once

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cairn/fwmap.h>
#include <cairn/memblock.h>

#include "tap.h"

struct fwx_region {
	phys_addr_t base;
	phys_addr_t size;
	uint32_t flags;
};

#define NONE_F	MEMBLOCK_NONE
#define NOMAP_F	MEMBLOCK_NOMAP
#define DM_F	MEMBLOCK_DRIVER_MANAGED
#define MIRR_F	MEMBLOCK_MIRROR

/* Print a type, for a failing case's log. */
static inline void fwx_dump_type(const struct memblock_type *t)
{
	for (unsigned long i = 0; i < t->cnt; i++) {
		const struct memblock_region *r = &t->regions[i];

		printf("#   %s[%lu] [%#llx-%#llx) flags %#x\n", t->name, i,
		       (unsigned long long)r->base,
		       (unsigned long long)(r->base + r->size), r->flags);
	}
}

/* @t must hold exactly the regions @x[0..@n), in order. */
static inline void fwx_check_type(const struct memblock_type *t,
				  const struct fwx_region *x, unsigned long n)
{
	bool ok = t->cnt == n;

	CHECK_EQ(t->cnt, n);
	for (unsigned long i = 0; i < n && i < t->cnt; i++) {
		const struct memblock_region *r = &t->regions[i];

		CHECK_EQ(r->base, x[i].base);
		CHECK_EQ(r->size, x[i].size);
		CHECK_EQ(r->flags, x[i].flags);
		ok = ok && r->base == x[i].base && r->size == x[i].size &&
		     r->flags == x[i].flags;
	}
	if (!ok) {
		fwx_dump_type(t);
	}
}

#define FWX_N(...)						\
	(sizeof((struct fwx_region[]){ __VA_ARGS__ }) /		\
	 sizeof(struct fwx_region))
#define CHECK_MEMORY(...)						\
	fwx_check_type(&memblock.memory,				\
		       (const struct fwx_region[]){ __VA_ARGS__ },	\
		       FWX_N(__VA_ARGS__))
#define CHECK_RESERVED(...)						\
	fwx_check_type(&memblock.reserved,				\
		       (const struct fwx_region[]){ __VA_ARGS__ },	\
		       FWX_N(__VA_ARGS__))

/* [base, base + size) as an end, saturating at the top. */
static inline phys_addr_t fwx_end(phys_addr_t base, phys_addr_t size)
{
	return size > PHYS_ADDR_MAX - base ? PHYS_ADDR_MAX : base + size;
}

/*
 * The invariants of any converter run: memblock sorted, disjoint and
 * merged with consistent totals; each record's kept range inside the
 * range it was given; dropped records keep nothing.
 */
static inline void fwx_check_invariants(void)
{
	const struct memblock_type *types[] = { &memblock.memory,
						&memblock.reserved };

	for (int k = 0; k < 2; k++) {
		const struct memblock_type *t = types[k];
		phys_addr_t total = 0;

		for (unsigned long i = 0; i < t->cnt; i++) {
			const struct memblock_region *r = &t->regions[i];

			CHECK(r->size != 0);
			if (i > 0) {
				const struct memblock_region *p = r - 1;

				CHECK(p->base + p->size <= r->base);
				CHECK(!(p->base + p->size == r->base &&
					p->flags == r->flags &&
					p->nid == r->nid));
			}
			total += r->size;
		}
		CHECK_EQ(total, t->total_size);
	}
	for (uint32_t i = 0; i < fw_log.cnt; i++) {
		const struct fw_record *r = &fw_log.rec[i];

		if (r->fate == FW_DROPPED) {
			CHECK_EQ(r->kept_size, 0);
			CHECK_EQ(r->target, FW_TO_NONE);
			continue;
		}
		CHECK(r->kept_base >= r->base);
		CHECK(fwx_end(r->kept_base, r->kept_size) <=
		      fwx_end(r->base, r->size));
	}
}

/* The @nth record (0-based) of format @fmt and index @index, or NULL. */
static inline const struct fw_record *fwx_record(enum fw_format fmt,
						 uint32_t index, int nth)
{
	for (uint32_t i = 0; i < fw_log.cnt; i++) {
		const struct fw_record *r = &fw_log.rec[i];

		if (r->format == fmt && r->index == index && nth-- == 0) {
			return r;
		}
	}
	return NULL;
}

/* Check one record: where it went and what of it. */
static inline void fwx_check_record(const struct fw_record *r,
				    enum fw_target target, enum fw_fate fate,
				    phys_addr_t kept_base,
				    phys_addr_t kept_size)
{
	CHECK(r != NULL);
	if (r == NULL) {
		return;
	}
	CHECK_EQ(r->target, target);
	CHECK_EQ(r->fate, fate);
	if (fate != FW_DROPPED) {
		CHECK_EQ(r->kept_base, kept_base);
		CHECK_EQ(r->kept_size, kept_size);
	}
}

/* How many diagnostics of each ID, all others 0. */
static inline void fwx_check_diags(const uint32_t want[FWD_MAX])
{
	for (int id = 1; id < FWD_MAX; id++) {
		if (fw_diags.count[id] != want[id]) {
			printf("# diag fw%03d %s: %u, want %u\n", id,
			       fw_diag_name((enum fw_diag_id)id),
			       fw_diags.count[id], want[id]);
		}
		CHECK_EQ(fw_diags.count[id], want[id]);
	}
}

#define CHECK_DIAGS(...)						\
	fwx_check_diags((const uint32_t[FWD_MAX]){ __VA_ARGS__ })

static inline void fwx_reset(void)
{
	memblock_reset();
	fw_reset();
}
