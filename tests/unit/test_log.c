/* test_log.c - logfmt lines: quoting, escaping, levels. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bridge/log.h"

static char *capture_buf;
static size_t capture_len;
static FILE *capture;

static int setup(void **state)
{
	capture = open_memstream(&capture_buf, &capture_len);
	br_log_set_stream(capture);
	br_log_set_level(BR_LOG_INFO);
	return 0;
}

static int teardown(void **state)
{
	br_log_set_stream(NULL);
	fclose(capture);
	free(capture_buf);
	capture_buf = NULL;
	return 0;
}

static void test_append_quotes(void **state)
{
	static const struct {
		const char *value;
		const char *want;
	} cases[] = {
	        {"plain", " k=plain"},
	        {"", " k=\"\""},
	        {"two words", " k=\"two words\""},
	        {"a\"b", " k=\"a\\\"b\""},
	        {"x=y", " k=\"x=y\""},
	        {"line\nbreak", " k=\"line\\nbreak\""},
	        {"bell\a", " k=\"bell\\x07\""},
	        {"back\\slash", " k=\"back\\\\slash\""},
	        {"zoë", " k=zoë"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char buf[128];
		size_t n = br_log_append(buf, sizeof(buf), 0, "k", cases[i].value);
		assert_string_equal(buf, cases[i].want);
		assert_int_equal(n, strlen(cases[i].want));
	}
}

static void test_append_truncates(void **state)
{
	char buf[8];
	size_t n = br_log_append(buf, sizeof(buf), 0, "key", "a long value");
	assert_int_equal(n, 7);
	assert_int_equal(buf[7], '\0');
}

static void test_line_and_levels(void **state)
{
	br_log(BR_LOG_DEBUG, "hidden", "a", "1", (char *)NULL);
	br_log(BR_LOG_INFO, "listening", "addr", "127.0.0.1:8800", "note", "", (char *)NULL);
	br_log(BR_LOG_ERROR, "failed", "times", "3", "why", "a \"b\"", (char *)NULL);
	fflush(capture);
	assert_null(strstr(capture_buf, "hidden"));
	assert_non_null(
	        strstr(capture_buf, " level=info msg=listening addr=127.0.0.1:8800 note=\"\"\n"));
	assert_non_null(
	        strstr(capture_buf, " level=error msg=failed times=3 why=\"a \\\"b\\\"\"\n"));
	assert_int_equal(strncmp(capture_buf, "ts=", 3), 0);
	assert_false(br_log_enabled(BR_LOG_DEBUG));
	assert_true(br_log_enabled(BR_LOG_INFO));
	assert_true(br_log_enabled(BR_LOG_ERROR));
	br_log_set_level(BR_LOG_WARN);
	assert_false(br_log_enabled(BR_LOG_INFO));
	assert_true(br_log_enabled(BR_LOG_WARN));
	br_log_set_level(BR_LOG_INFO);
}

static void test_level_parse(void **state)
{
	assert_int_equal(br_log_level_parse("debug"), BR_LOG_DEBUG);
	assert_int_equal(br_log_level_parse("info"), BR_LOG_INFO);
	assert_int_equal(br_log_level_parse("warn"), BR_LOG_WARN);
	assert_int_equal(br_log_level_parse("error"), BR_LOG_ERROR);
	assert_int_equal(br_log_level_parse("loud"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_append_quotes),
	        cmocka_unit_test(test_append_truncates),
	        cmocka_unit_test_setup_teardown(test_line_and_levels, setup, teardown),
	        cmocka_unit_test(test_level_parse),
	};
	return cmocka_run_group_tests_name("log", tests, NULL, NULL);
}
