/* test_strbuf.c - the growing string buffer: appends, growth, NULs, and
 * the failed state. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bridge/strbuf.h"

static void test_appends(void **state)
{
	struct br_strbuf b = {0};
	size_t len = 0;
	char *s;

	br_strbuf_puts(&b, "login");
	br_strbuf_add(&b, "?x\0y", 4);
	for (int i = 0; i < 1000; i++) /* past several doublings */
		br_strbuf_puts(&b, "0123456789");
	s = br_strbuf_finish(&b, &len);
	assert_non_null(s);
	assert_int_equal(len, 5 + 4 + 10000);
	assert_memory_equal(s, "login?x\0y0123", 13);
	assert_int_equal(s[len], '\0');
	assert_null(b.s); /* finish leaves b empty */
	assert_int_equal(b.len, 0);
	free(s);
}

static void test_empty_and_failed(void **state)
{
	struct br_strbuf b = {0};
	size_t len = 7;

	assert_null(br_strbuf_finish(&b, &len)); /* nothing appended */
	assert_int_equal(len, 7);
	br_strbuf_add(&b, "", 0); /* an empty string is a string */
	char *s = br_strbuf_finish(&b, NULL);
	assert_non_null(s);
	assert_string_equal(s, "");
	free(s);

	br_strbuf_puts(&b, "abc");
	br_strbuf_add(&b, "x", SIZE_MAX - 1); /* would overflow: fails, copies nothing */
	assert_true(b.failed);
	br_strbuf_puts(&b, "def"); /* a no-op once failed */
	assert_int_equal(b.len, 3);
	assert_null(br_strbuf_finish(&b, &len));
	assert_false(b.failed);
}

/* A secret buffer grows by copying (and wiping) instead of realloc: the
 * result is the same string. */
static void test_secret(void **state)
{
	struct br_strbuf b = {.secret = true};
	size_t len = 0;
	char *s;

	for (int i = 0; i < 100; i++)
		br_strbuf_puts(&b, "s3cret-");
	s = br_strbuf_finish(&b, &len);
	assert_non_null(s);
	assert_int_equal(len, 700);
	assert_memory_equal(s + 693, "s3cret-", 7);
	assert_false(b.secret); /* finish leaves b empty */
	free(s);
}

static void test_reset_and_free(void **state)
{
	struct br_strbuf b = {.secret = true};
	char *s;

	br_strbuf_reset(&b); /* nothing yet: a no-op */
	assert_null(b.s);
	br_strbuf_puts(&b, "client_secret = s3cret");
	char *mem = b.s;
	br_strbuf_reset(&b);
	assert_ptr_equal(b.s, mem); /* the memory is kept */
	assert_int_equal(b.len, 0);
	assert_string_equal(b.s, "");
	br_strbuf_puts(&b, "next");
	assert_string_equal(b.s, "next");
	br_strbuf_free(&b);
	assert_null(b.s);
	assert_int_equal(b.len, 0);
	br_strbuf_free(&b); /* twice is fine */

	/* a failed buffer stays failed across a reset */
	b.failed = true;
	br_strbuf_reset(&b);
	br_strbuf_puts(&b, "x");
	assert_true(b.failed);
	s = br_strbuf_finish(&b, NULL);
	assert_null(s);
}

/* The one wipe-and-free of a secret string: NULL is fine, an empty string
 * and a long one are freed (the leak checkers of the sanitizer and
 * valgrind runs see a missed free). */
static void test_wipe_free(void **state)
{
	struct br_strbuf b = {.secret = true};

	br_strbuf_wipe_free(NULL);
	br_strbuf_wipe_free(strdup(""));
	for (int i = 0; i < 100; i++)
		br_strbuf_puts(&b, "s3cret-");
	br_strbuf_wipe_free(br_strbuf_finish(&b, NULL));
	(void)state;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_appends),   cmocka_unit_test(test_empty_and_failed),
	        cmocka_unit_test(test_secret),    cmocka_unit_test(test_reset_and_free),
	        cmocka_unit_test(test_wipe_free),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
