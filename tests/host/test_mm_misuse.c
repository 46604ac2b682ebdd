// SPDX-License-Identifier: BSD-2-Clause
/*
 * Allocator misuse and "nothing lost" (docs/mm.md, "Misuse and accounting
 * checks"): each misuse runs in a child process, which must panic (exit
 * status 255) with one line naming the misuse and a caller inside the
 * case's function; mm_check_exit() must catch a leak and a lost page.
 * Built twice (tests/host/meson.build): as the kernel is by default, and
 * with -DCONFIG_MM_DEBUG=1, which adds the write-after-free cases of page
 * and object poisoning and a stress run that must not trip them.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cairn/console.h>
#include <cairn/log.h>
#include <cairn/memblock.h>
#include <cairn/mm.h>

#include "mm_test.h"
#include "tap.h"

#include "../../generic/mm/mm_internal.h"

/* How far past a case function's address its call sites may be. */
#define CASE_CODE_SIZE 0x4000

static void child_putc(const struct console *con, char c)
{
	(void)con;
	putchar(c);
}

static const struct console child_console = {
    .name = "pipe",
    .putc = child_putc,
};

/* 64 MiB of memory, reserved [4 MiB, 4 MiB + 64 KiB) and the last 4 MiB. */
static void boot_64m(void)
{
	sim_reset();
	memblock_add(sim(0), 64 * SZ_1M);
	memblock_reserve(sim(SZ_4M), 16 * SZ_4K);
	memblock_reserve(sim(60 * SZ_1M), SZ_4M);
	if (sim_boot() != 0) {
		printf("# boot failed\n");
		exit(1);
	}
}

/*
 * Run @fn in a child, its kernel log and stdout into a pipe: it must exit
 * with status 255 (panic()) having printed a line that contains @want
 * followed by " by caller 0x<address>" with the address inside @fn.
 */
static void expect_misuse(void (*fn)(void), const char *want)
{
	static char out[1 << 16];
	size_t len = 0;
	int fds[2], status;
	const char *line, *at;
	uintptr_t caller;
	pid_t pid;
	ssize_t n;

	fflush(stdout);
	if (pipe(fds) != 0 || (pid = fork()) < 0) {
		perror("pipe/fork");
		exit(1);
	}
	if (pid == 0) {
		close(fds[0]);
		dup2(fds[1], STDOUT_FILENO);
		console_register(&child_console);
		boot_64m();
		fn();
		printf("misuse went through\n");
		fflush(stdout);
		_exit(1);
	}
	close(fds[1]);
	while (len < sizeof(out) - 1 &&
	       (n = read(fds[0], out + len, sizeof(out) - 1 - len)) > 0) {
		len += (size_t)n;
	}
	out[len] = '\0';
	close(fds[0]);
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 255);
	line = strstr(out, want);
	CHECK(line != NULL);
	if (line == NULL) {
		printf("# wanted '%s'; the child said:\n", want);
		for (char *l = strtok(out, "\n"); l != NULL; l = strtok(NULL, "\n")) {
			printf("#   %s\n", l);
		}
		return;
	}
	at = line + strlen(want);
	CHECK(sscanf(at, " by caller %" SCNxPTR, &caller) == 1);
	CHECK(caller > (uintptr_t)fn &&
	      caller < (uintptr_t)fn + CASE_CODE_SIZE);
	printf("# %.*s\n", (int)(strcspn(line, "\n")), line);
}

static void page_double_free(void)
{
	struct page *page = alloc_page(GFP_KERNEL);

	__free_page(page);
	__free_page(page);
	printf("after\n");
}

/* A page inside a free (merged) block: its struct page is in state 0. */
static void page_double_free_merged(void)
{
	struct page *page = alloc_pages(GFP_KERNEL, 3);

	__free_pages(page, 3);
	__free_pages(page + 5, 0);
	printf("after\n");
}

static void page_double_free_addr(void)
{
	uintptr_t addr = __get_free_pages(GFP_KERNEL, 1);

	free_pages(addr, 1);
	free_pages(addr, 1);
	printf("after\n");
}

/* A page memblock kept reserved: never the page allocator's. */
static void page_free_reserved(void)
{
	__free_page(pfn_to_page(sim_pfn(SZ_4M + SZ_4K)));
	printf("after\n");
}

/* A page of a max-order block that is reserved whole (never touched). */
static void page_free_untouched(void)
{
	__free_page(pfn_to_page(sim_pfn(60 * SZ_1M + 7 * SZ_4K)));
	printf("after\n");
}

/* A page of a wholly free block nobody has taken (a free run). */
static void page_free_in_run(void)
{
	__free_page(pfn_to_page(sim_pfn(32 * SZ_1M + 3 * SZ_4K)));
	printf("after\n");
}

static void page_free_not_memory(void)
{
	static char not_a_page[2 * PAGE_SIZE];

	free_page(ALIGN_UP((uintptr_t)not_a_page, PAGE_SIZE) + 8);
	printf("after\n");
}

static void page_free_inside(void)
{
	struct page *page = alloc_pages(GFP_KERNEL, 2);

	__free_pages(page + 1, 0);
	printf("after\n");
}

static void page_free_wrong_order(void)
{
	struct page *page = alloc_pages(GFP_KERNEL, 2);

	__free_pages(page, 1);
	printf("after\n");
}

static void page_free_kmalloc(void)
{
	void *p = kmalloc(32, GFP_KERNEL);

	__free_pages(virt_to_page(p), 0);
	printf("after\n");
}

static void kfree_twice(void)
{
	void *keep = kmalloc(64, GFP_KERNEL);
	void *p = kmalloc(64, GFP_KERNEL);

	kfree(p);
	kfree(p);
	printf("after %p\n", keep);
}

/* The last object of its page: the page went back, then the kfree. */
static void kfree_twice_page_gone(void)
{
	void *p = kmalloc(512, GFP_KERNEL);

	kfree(p);
	kfree(p);
	printf("after\n");
}

static void kfree_twice_large(void)
{
	void *p = kmalloc(3 * PAGE_SIZE, GFP_KERNEL);

	kfree(p);
	kfree(p);
	printf("after\n");
}

static void kfree_mid_object(void)
{
	char *p = kmalloc(64, GFP_KERNEL);

	kfree(p + 16);
	printf("after\n");
}

static void kfree_page_alloc_page(void)
{
	kfree((void *)__get_free_page(GFP_KERNEL));
	printf("after\n");
}

static void kfree_mid_large(void)
{
	char *p = kmalloc(3 * PAGE_SIZE, GFP_KERNEL);

	kfree(p + PAGE_SIZE);
	printf("after\n");
}

static void kfree_not_memory(void)
{
	static uint64_t not_kmalloc[4];

	kfree(&not_kmalloc[2]);
	printf("after\n");
}

/* The free marker is checked in every build. */
static void kmalloc_write_after_free_marker(void)
{
	void *keep = kmalloc(128, GFP_KERNEL);
	uint64_t *p = kmalloc(128, GFP_KERNEL);

	kfree(p);
	p[1] = 0;
	p = kmalloc(128, GFP_KERNEL);
	printf("after %p %p\n", keep, (void *)p);
}

static void test_page_misuse(void)
{
	expect_misuse(page_double_free, "page_alloc: double free");
	expect_misuse(page_double_free_merged, "page_alloc: double free");
	expect_misuse(page_double_free_addr, "page_alloc: double free");
	expect_misuse(page_free_in_run, "page_alloc: double free");
	expect_misuse(page_free_reserved,
		      "page_alloc: free of a never-allocated page");
	expect_misuse(page_free_untouched,
		      "page_alloc: free of a never-allocated page");
	expect_misuse(page_free_not_memory,
		      "page_alloc: free of a never-allocated page");
	expect_misuse(page_free_inside,
		      "page_alloc: free of a page inside an allocation");
	expect_misuse(page_free_wrong_order,
		      "page_alloc: free with the wrong order");
	expect_misuse(page_free_kmalloc, "page_alloc: free of a kmalloc page");
}

static void test_kmalloc_misuse(void)
{
	expect_misuse(kfree_twice, "kfree: double kfree");
	expect_misuse(kfree_twice_page_gone, "kfree: double kfree");
	expect_misuse(kfree_twice_large, "kfree: double kfree");
	expect_misuse(kfree_mid_object, "kfree: kfree of a bad pointer");
	expect_misuse(kfree_page_alloc_page, "kfree: kfree of a bad pointer");
	expect_misuse(kfree_mid_large, "kfree: kfree of a bad pointer");
	expect_misuse(kfree_not_memory, "kfree: kfree of a bad pointer");
	expect_misuse(kmalloc_write_after_free_marker,
		      "kmalloc: write after free");
}

/* mm_check_exit(): a leaked page, a leaked object, a lost page. */
static void test_exit_check(void)
{
	struct mm_stats before;
	struct page *page;
	void *p;

	boot_64m();
	mm_snapshot(&before);
	CHECK(mm_check_exit(&before));
	page = alloc_page(GFP_KERNEL);
	CHECK(!mm_check_exit(&before));
	__free_page(page);
	CHECK(mm_check_exit(&before));
	p = kmalloc(40, GFP_KERNEL);
	CHECK(!mm_check_exit(&before));
	kfree(p);
	CHECK(mm_check_exit(&before));
	/* Lost: off the free lists, but not counted as allocated. */
	page = alloc_page(GFP_KERNEL);
	mm_zones[page_zonenum(page)].allocated--;
	CHECK(!mm_check_accounting(NULL));
	CHECK(!mm_check_exit(&before));
	mm_zones[page_zonenum(page)].allocated++;
	__free_page(page);
	CHECK(mm_check_exit(&before));
	/* Lost the other way: a free page the counter does not know. */
	mm_zones[ZONE_NORMAL].free--;
	CHECK(!mm_check_exit(&before));
	mm_zones[ZONE_NORMAL].free++;
	CHECK(mm_check_exit(&before));
}

#if defined(CONFIG_MM_DEBUG)
/* A write to a freed max-order block: found when it is handed out again. */
static void page_write_after_free(void)
{
	uint8_t *p = page_address(alloc_pages(GFP_KERNEL, MAX_ORDER));

	__free_pages(virt_to_page(p), MAX_ORDER);
	p[0x1234] = 0;
	p = page_address(alloc_pages(GFP_KERNEL, MAX_ORDER));
	printf("after %p\n", (void *)p);
}

/* An order-0 page: every page of memory is poisoned, any one is checked. */
static void page_write_after_free_small(void)
{
	uint8_t *p = (uint8_t *)__get_free_page(GFP_KERNEL);

	free_page((uintptr_t)p);
	p[4095] = 1;
	p = (uint8_t *)__get_free_page(GFP_KERNEL);
	printf("after %p\n", (void *)p);
}

static void kmalloc_write_after_free_body(void)
{
	void *keep = kmalloc(128, GFP_KERNEL);
	uint8_t *p = kmalloc(128, GFP_KERNEL);

	kfree(p);
	p[100] = 0;
	p = kmalloc(128, GFP_KERNEL);
	printf("after %p %p\n", keep, (void *)p);
}

static void test_write_after_free(void)
{
	expect_misuse(page_write_after_free,
		      "page_alloc: write after free");
	expect_misuse(page_write_after_free_small,
		      "page_alloc: write after free");
	expect_misuse(kmalloc_write_after_free_body,
		      "kmalloc: write after free");
}

/* Poisoning must not trip over correct use: mixed traffic, then all back. */
static void test_debug_no_false_alarm(void)
{
	static void *objs[2000];
	static struct page *pages[200];
	struct mm_stats before;
	uint64_t x = 0x9e3779b97f4a7c15ULL;

	boot_64m();
	mm_snapshot(&before);
	for (int round = 0; round < 20; round++) {
		for (size_t i = 0; i < 2000; i++) {
			size_t size;

			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			size = 1 + x % 6000;
			objs[i] = kmalloc(size, GFP_KERNEL);
			memset(objs[i], 0x5c, size);
		}
		for (size_t i = 0; i < 200; i++) {
			pages[i] = alloc_pages(GFP_KERNEL, (unsigned int)(i % 4));
			memset(page_address(pages[i]), 0x11, PAGE_SIZE << (i % 4));
		}
		for (size_t i = 0; i < 2000; i++) {
			kfree(objs[(i * 7) % 2000]);
		}
		for (size_t i = 0; i < 200; i++) {
			__free_pages(pages[i], (unsigned int)(i % 4));
		}
	}
	CHECK(mm_check_exit(&before));
}
#endif

int main(void)
{
	sim_init();
	TEST(test_page_misuse);
	TEST(test_kmalloc_misuse);
	TEST(test_exit_check);
#if defined(CONFIG_MM_DEBUG)
	TEST(test_write_after_free);
	TEST(test_debug_no_false_alarm);
#endif
	return tap_done();
}
