// SPDX-License-Identifier: BSD-2-Clause
/*
 * Boot test application: runs after the whole generic sequence and checks,
 * from inside the kernel, what a boot must give an application. Prints TAP;
 * ci/qemu-run.py checks the lines and the exit status.
 */
#include <stdio.h>
#include <string.h>

#include <cairn/app.h>
#include <cairn/console.h>
#include <cairn/init.h>
#include <cairn/memblock.h>
#include <cairn/mm.h>
#include <cairn/pgtable.h>
#include <cairn/sections.h>

static int failed, n;

static void ok(int cond, const char *what)
{
	n++;
	if (!cond) {
		failed++;
	}
	printf("%s %d - %s\n", cond ? "ok" : "not ok", n, what);
}

/* Whether every page of [start, end) is mapped with exactly @want. */
static int mapped_as(const char *start, const char *end, unsigned int want)
{
	for (uintptr_t va = (uintptr_t)start; va < (uintptr_t)end;
	     va += PAGE_SIZE) {
		unsigned int prot;

		if (!pt_lookup(&kernel_pgtable, va, NULL, &prot, NULL) ||
		    prot != want) {
			return 0;
		}
	}
	return 1;
}

/*
 * free_initmem() and mark_rodata_ro() (init/finalize.c): the .init range
 * is ordinary memory the page allocator owns, the free count grew by what
 * was freed, and text, rodata and __ro_after_init are not writable.
 */
static void check_finalize(void)
{
	uint64_t init_pages = (uint64_t)(__init_end - __init_start) / PAGE_SIZE;
	const struct initmem_stats *st = &initmem_stats;
	int owned = 1;
	uint64_t size;

	ok(mapped_as(__init_start, __init_end, PROT_RW),
	   ".init is mapped as memory, RW and not executable");
	for (const char *p = __init_start; p < __init_end; p += PAGE_SIZE) {
		const struct page *page = virt_to_page(p);

		owned &= page != NULL && !page_has(page, PG_reserved);
	}
	ok(owned && !memblock_is_region_reserved(
			arch_virt_to_phys(__init_start),
			(phys_addr_t)(__init_end - __init_start)),
	   ".init pages are the page allocator's, not reserved");
	printf("# free before %llu, after %llu, init %llu, initrd %llu\n",
	       (unsigned long long)st->free_before,
	       (unsigned long long)st->free_after,
	       (unsigned long long)st->init_pages,
	       (unsigned long long)st->initrd_pages);
	ok(init_pages > 0 && st->init_pages == init_pages &&
	       st->free_after - st->free_before ==
		   st->init_pages + st->initrd_pages,
	   "the free count grew by the .init and initrd pages");
	ok(mapped_as(__text_start, __text_end, PROT_RX) &&
	       mapped_as(__rodata_start, __rodata_end, PROT_READ),
	   "text is RX and rodata R");
	ok(mapped_as(__ro_after_init_start, __ro_after_init_end, PROT_READ),
	   "__ro_after_init data is read-only");
	ok(initrd_get(&size) == NULL && size == 0 && !st->initrd_kept,
	   "no initrd left to the application (none, or freed)");
}

int main(int argc, char *argv[])
{
	char buf[64];

	ok(argc == 1 && strcmp(argv[0], "cairn") == 0, "argv[0] is cairn");
	ok(console_get() != NULL, "a console is registered");
	snprintf(buf, sizeof(buf), "%#llx|%-4s|%05d", 0x80200000ull, "ab", -42);
	ok(strcmp(buf, "0x80200000|ab  |-0042") == 0, "snprintf formats");
	ok(memblock_reserved_size() > 0, "the kernel image is reserved");
	check_finalize();
	printf("1..%d\n", n);
	return failed ? 1 : 0;
}
