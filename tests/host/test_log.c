// SPDX-License-Identifier: BSD-2-Clause
/*
 * generic/log.c and generic/console.c: the record's prefix, "\n" as
 * "\r\n" through both console paths (putc() per byte, write() per record),
 * records longer than the line buffer out whole, nothing before a console.
 */
#include <stdio.h>
#include <string.h>

#include <cairn/console.h>
#include <cairn/log.h>

#include "tap.h"

static char got[4096];
static size_t got_len;
static int writes;

static void cap_putc(const struct console *con, char c)
{
	(void)con;
	if (got_len + 1 < sizeof(got)) {
		got[got_len++] = c;
		got[got_len] = '\0';
	}
}

/* A write() that translates like a UART driver does. */
static void cap_write(const struct console *con, const char *s, size_t len)
{
	writes++;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n') {
			cap_putc(con, '\r');
		}
		cap_putc(con, s[i]);
	}
}

static const struct console putc_console = { .name = "p", .putc = cap_putc };
static const struct console write_console = {
	.name = "w", .putc = cap_putc, .write = cap_write,
};

static void reset(void)
{
	got_len = 0;
	got[0] = '\0';
	writes = 0;
}

/* "[%5llu.%06llu] L: " at @s; returns its length or 0. */
static size_t prefix_ok(const char *s, char letter)
{
	size_t i = 0;

	if (s[i++] != '[') {
		return 0;
	}
	while (s[i] == ' ') {
		i++;
	}
	if (s[i] < '0' || s[i] > '9') {
		return 0;
	}
	while (s[i] >= '0' && s[i] <= '9') {
		i++;
	}
	if (i < 6 || s[i++] != '.') {
		return 0;
	}
	for (int k = 0; k < 6; k++, i++) {
		if (s[i] < '0' || s[i] > '9') {
			return 0;
		}
	}
	if (s[i] != ']' || s[i + 1] != ' ' || s[i + 2] != letter ||
	    s[i + 3] != ':' || s[i + 4] != ' ') {
		return 0;
	}
	return i + 5;
}

static void test_record(const struct console *con)
{
	size_t n;

	console_register(con);
	reset();
	printk(LOG_INFO, "hello %d\nsecond %s\n", 42, "line");
	n = prefix_ok(got, 'I');
	CHECK(n >= 18);
	CHECK(strcmp(got + n, "hello 42\r\nsecond line\r\n") == 0);
	reset();
	printk(LOG_WARN, "w\n");
	n = prefix_ok(got, 'W');
	CHECK(n != 0 && strcmp(got + n, "w\r\n") == 0);
	reset();
	printk(-5, "e\n");
	CHECK(prefix_ok(got, 'E') != 0);
	reset();
	printk(9, "d\n");
	CHECK(prefix_ok(got, 'D') != 0);
	console_register(NULL);
}

static void test_putc_console(void)
{
	test_record(&putc_console);
}

static void test_write_console(void)
{
	test_record(&write_console);
	/* One record, one write(). */
	console_register(&write_console);
	reset();
	printk(LOG_INFO, "%s and %llu\n", "one call", 5ULL);
	CHECK_EQ(writes, 1);
	console_register(NULL);
}

/* A record longer than the line buffer: several writes, nothing lost. */
static void test_long_record(void)
{
	char want[1200];
	size_t n;

	for (size_t i = 0; i < 1000; i++) {
		want[i] = (char)('a' + i % 26);
	}
	want[1000] = '\0';
	console_register(&write_console);
	reset();
	printk(LOG_INFO, "<%s>%d\n", want, 7);
	n = prefix_ok(got, 'I');
	CHECK(n != 0);
	CHECK(writes > 1);
	CHECK(strncmp(got + n, "<", 1) == 0);
	CHECK(strncmp(got + n + 1, want, 1000) == 0);
	CHECK(strcmp(got + n + 1001, ">7\r\n") == 0);
	console_register(NULL);
}

/* Without a console nothing is formatted or written. */
static void test_no_console(void)
{
	console_register(NULL);
	reset();
	printk(LOG_ERR, "lost %d\n", 1);
	console_write("x\n", 2);
	CHECK_EQ(got_len, 0);
}

int main(void)
{
	TEST(test_putc_console);
	TEST(test_write_console);
	TEST(test_long_record);
	TEST(test_no_console);
	return tap_done();
}
