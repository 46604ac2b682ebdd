// SPDX-License-Identifier: BSD-2-Clause
/*
 * Invariants shared by the table converter fuzzers (fuzz_e820.c,
 * fuzz_efi.c), checked after every input: memblock sorted, disjoint,
 * merged and summed; every provenance record consistent with its input
 * and with memblock; the memory the records say was added is exactly
 * memblock.memory. A broken invariant prints why and aborts, which
 * libFuzzer reports as a crash with the input. Host fuzzers only.
 */
#pragma once

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cairn/fwmap.h>
#include <cairn/memblock.h>

__attribute__((noreturn, format(printf, 1, 2)))
static void fwf_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "invariant broken: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	abort();
}

static inline phys_addr_t fwf_end(phys_addr_t base, phys_addr_t size)
{
	return size > PHYS_ADDR_MAX - base ? PHYS_ADDR_MAX : base + size;
}

static inline void fwf_check_type(const struct memblock_type *t)
{
	phys_addr_t total = 0;

	for (unsigned long i = 0; i < t->cnt; i++) {
		const struct memblock_region *r = &t->regions[i];

		if (r->size == 0 || r->base + r->size < r->base) {
			fwf_fail("%s[%lu] empty or wrapping", t->name, i);
		}
		if (i > 0) {
			const struct memblock_region *p = r - 1;

			if (p->base + p->size > r->base) {
				fwf_fail("%s[%lu] unsorted or overlapping",
					 t->name, i);
			}
			if (p->base + p->size == r->base &&
			    p->flags == r->flags && p->nid == r->nid) {
				fwf_fail("%s[%lu] not merged", t->name, i);
			}
		}
		total += r->size;
	}
	if (total != t->total_size) {
		fwf_fail("%s total_size", t->name);
	}
}

/*
 * Whether every byte of [@base, @end) lies in a region of @t whose flags
 * include @flags.
 */
static inline bool fwf_covered(const struct memblock_type *t,
			       phys_addr_t base, phys_addr_t end,
			       uint32_t flags)
{
	for (unsigned long i = 0; i < t->cnt && base < end; i++) {
		const struct memblock_region *r = &t->regions[i];

		if (r->base + r->size <= base) {
			continue;
		}
		if (r->base > base || (r->flags & flags) != flags) {
			return false;
		}
		base = r->base + r->size;
	}
	return base >= end;
}

/* Whether any byte of [@base, @end) is in @t. */
static inline bool fwf_overlaps(const struct memblock_type *t,
				phys_addr_t base, phys_addr_t end)
{
	for (unsigned long i = 0; i < t->cnt; i++) {
		const struct memblock_region *r = &t->regions[i];

		if (r->base < end && base < r->base + r->size) {
			return true;
		}
	}
	return false;
}

/*
 * Every byte of memory inside [@base, @end) is in a memory region with
 * one of @ok_flags, or is reserved.
 */
static inline bool fwf_memory_protected(phys_addr_t base, phys_addr_t end,
					uint32_t ok_flags)
{
	const struct memblock_type *m = &memblock.memory;

	for (unsigned long i = 0; i < m->cnt; i++) {
		const struct memblock_region *r = &m->regions[i];
		phys_addr_t lo = r->base > base ? r->base : base;
		phys_addr_t re = r->base + r->size;
		phys_addr_t hi = re < end ? re : end;

		if (lo >= hi || (r->flags & ok_flags)) {
			continue;
		}
		if (!fwf_covered(&memblock.reserved, lo, hi, 0)) {
			return false;
		}
	}
	return true;
}

/* Every byte of memory inside [@base, @end) has @flag. */
static inline bool fwf_memory_flagged(phys_addr_t base, phys_addr_t end,
				      uint32_t flag)
{
	const struct memblock_type *m = &memblock.memory;

	for (unsigned long i = 0; i < m->cnt; i++) {
		const struct memblock_region *r = &m->regions[i];

		if (r->base < end && base < r->base + r->size &&
		    !(r->flags & flag)) {
			return false;
		}
	}
	return true;
}

/*
 * The records against memblock. @adds_memory says whether a kept record
 * put its kept range into memblock.memory; @complete is false when the
 * converter ran out of memblock slots (then only the local checks hold).
 */
static inline void
fwf_check_records(bool (*adds_memory)(const struct fw_record *),
		  bool complete)
{
	phys_addr_t sum = 0;

	fwf_check_type(&memblock.memory);
	fwf_check_type(&memblock.reserved);
	for (uint32_t i = 0; i < fw_log.cnt; i++) {
		const struct fw_record *r = &fw_log.rec[i];
		phys_addr_t ke = fwf_end(r->kept_base, r->kept_size);

		if (r->fate == FW_DROPPED) {
			if (r->kept_size != 0 || r->target != FW_TO_NONE) {
				fwf_fail("fw[%u] dropped but keeps a range",
					 i);
			}
			continue;
		}
		if (r->kept_size == 0) {
			fwf_fail("fw[%u] kept but empty", i);
		}
		if (r->kept_base < r->base ||
		    ke > fwf_end(r->base, r->size)) {
			fwf_fail("fw[%u] kept range outside the given one",
				 i);
		}
		if ((r->fate == FW_KEPT) !=
		    (r->kept_base == r->base && r->kept_size == r->size)) {
			fwf_fail("fw[%u] fate does not match its ranges", i);
		}
		if (!adds_memory(r)) {
			if (complete && r->target == FW_TO_RESERVED &&
			    !fwf_covered(&memblock.reserved, r->kept_base, ke,
					 0)) {
				fwf_fail("fw[%u] reservation not reserved", i);
			}
			continue;
		}
		if (!IS_ALIGNED(r->kept_base | r->kept_size, PAGE_SIZE)) {
			fwf_fail("fw[%u] memory not page-aligned", i);
		}
		sum += r->kept_size;
		if (!complete) {
			continue;
		}
		if (!fwf_covered(&memblock.memory, r->kept_base, ke,
				 r->flags & (MEMBLOCK_NOMAP |
					     MEMBLOCK_DRIVER_MANAGED |
					     MEMBLOCK_MIRROR))) {
			fwf_fail("fw[%u] memory missing or lacking flags %#x",
				 i, r->flags);
		}
		if (r->target != FW_TO_MEMORY &&
		    !fwf_covered(&memblock.reserved, r->kept_base, ke, 0)) {
			fwf_fail("fw[%u] reserved memory not reserved", i);
		}
	}
	if (complete && fw_log.lost == 0 && sum != memblock.memory.total_size) {
		fwf_fail("records add %#llx bytes of memory, "
			 "memblock has %#llx",
			 (unsigned long long)sum,
			 (unsigned long long)memblock.memory.total_size);
	}
}
