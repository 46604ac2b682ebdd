// SPDX-License-Identifier: BSD-2-Clause
/*
 * Giving boot-time reservations back after memblock_free_all(): the .init
 * sections and the initrd (init/finalize.c decides which). The range
 * leaves memblock.reserved, so the memory description stays true, and the
 * page allocator gets exactly the pages that became wholly free in
 * memblock, so that the accounting of <cairn/mm.h> (page allocator ==
 * memblock's free pages) keeps holding: the whole pages of the range, and
 * a page it shares at either end when the rest of that page was free
 * already. Runs on the boot CPU; no page tables here (the caller maps the
 * range as ordinary memory first) and no knowledge of what the range was.
 */
#include <cairn/compiler.h>
#include <cairn/errno.h>
#include <cairn/memblock.h>
#include <cairn/mm.h>

/* Does any of memblock's free memory overlap [base, end)? */
static bool any_free_in(phys_addr_t base, phys_addr_t end)
{
	phys_addr_t s, e;
	uint64_t i;

	for_each_free_mem_range(i, NUMA_NO_NODE, MEMBLOCK_NONE, &s, &e, NULL)
	{
		if (s < end && base < e) {
			return true;
		}
	}
	return false;
}

/**
 * initmem_free() - give a reservation back to the page allocator
 * @base: first byte of the range
 * @size: bytes; the range must be reserved in full in memblock (parts
 *	that are not memory, or NOMAP, are fine: they stay as they are)
 * @pages: out, may be NULL: pages handed to the page allocator
 *
 * Only after memblock_free_all(). The range stops being reserved; then
 * every page of [ALIGN_DOWN(base), ALIGN_UP(base + size)) that memblock
 * now sees as wholly free goes to the page allocator through
 * memblock_free_late(). No such page was free before (each one overlaps
 * the reservation), and no page outside changes, so the page allocator
 * still holds exactly memblock's free pages.
 * Return: 0; -EINVAL if the range is empty, wraps or memblock_free_all()
 * has not run; -EBUSY if part of it is free already (it may be the page
 * allocator's: nothing is done); -ENOMEM if memblock.reserved has no slot
 * to split a region (nothing is done).
 */
int initmem_free(phys_addr_t base, phys_addr_t size, uint64_t *pages)
{
	phys_addr_t end = base + size, lo, hi, s, e;
	uint64_t i, n = 0;

	if (pages != NULL) {
		*pages = 0;
	}
	if (size == 0 || end < base || end > PHYS_ADDR_MAX - PAGE_SIZE ||
	    !memblock_allocator_off()) {
		return -EINVAL;
	}
	if (any_free_in(base, end)) {
		return -EBUSY;
	}
	if (memblock_phys_free(base, size) != 0) {
		return -ENOMEM;
	}
	lo = ALIGN_DOWN(base, PAGE_SIZE);
	hi = ALIGN_UP(end, PAGE_SIZE);
	/*
	 * memblock_free_late() on a range that is no longer reserved only
	 * hands its whole pages over: it does not change memblock.reserved,
	 * so the iteration stays valid.
	 */
	for_each_free_mem_range(i, NUMA_NO_NODE, MEMBLOCK_NONE, &s, &e, NULL)
	{
		phys_addr_t a = max(s, lo), b = min(e, hi);

		if (PFN_UP(a) >= PFN_DOWN(b)) {
			continue;
		}
		memblock_free_late(PFN_PHYS(PFN_UP(a)),
				   PFN_PHYS(PFN_DOWN(b) - PFN_UP(a)));
		n += PFN_DOWN(b) - PFN_UP(a);
	}
	if (pages != NULL) {
		*pages = n;
	}
	return 0;
}
