/* test_b64url.c - strict base64url without padding: table-driven encode and
 * decode cases, every length round-trips, the alphabet check. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bridge/b64url.h"

static void test_encode(void **state)
{
	static const struct {
		const char *in;
		size_t len;
		const char *want;
	} cases[] = {
	        {"", 0, ""},
	        {"f", 1, "Zg"},
	        {"fo", 2, "Zm8"},
	        {"foo", 3, "Zm9v"},
	        {"foob", 4, "Zm9vYg"},
	        {"fooba", 5, "Zm9vYmE"},
	        {"foobar", 6, "Zm9vYmFy"},
	        {"\xfb\xff", 2, "-_8"},
	        {"\xff\xfe\xfd", 3, "__79"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *s = br_b64url_encode_new((const unsigned char *)cases[i].in, cases[i].len);
		assert_non_null(s);
		assert_string_equal(s, cases[i].want);
		assert_int_equal(br_b64url_len(cases[i].len), strlen(cases[i].want));
		char buf[16];
		memset(buf, 'x', sizeof(buf));
		assert_int_equal(
		        br_b64url_encode((const unsigned char *)cases[i].in, cases[i].len, buf),
		        strlen(cases[i].want));
		assert_string_equal(buf, cases[i].want);
		free(s);
	}
}

/* Strict decoding: one encoding per byte string, nothing outside the
 * alphabet, no padding. */
static void test_decode(void **state)
{
	static const struct {
		const char *in;
		const char *out; /* NULL: refused */
	} cases[] = {
	        {"", ""},
	        {"Zg", "f"},
	        {"Zm8", "fo"},
	        {"Zm9v", "foo"},
	        {"Zh", NULL},
	        {"Zm9", NULL},
	        {"Z", NULL},
	        {"Zm9v=", NULL},
	        {"Zm+v", NULL},
	        {"Zm/v", NULL},
	        {"Zm9vYg", "foob"},
	        {"-_-_", "\xfb\xff\xbf"},
	        {"____", "\xff\xff\xff"},
	        {"AAAA", "\0\0\0"},
	        {".m9v", NULL},
	        {"Z.9v", NULL},
	        {"Zm.v", NULL},
	        {"Zm9.", NULL},
	        {"Zm9vY.", NULL},
	        {".m9vYg", NULL},
	        {"Zm9vYh", NULL},
	        {"Zm9vYmF", NULL},
	        {"Zm9v\xc3\xa9", NULL},
	        {"Zm9v\x7f\x80", NULL},
	        {"Zm9v Yg", NULL},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t n = 0;
		unsigned char *d = br_b64url_decode(cases[i].in, strlen(cases[i].in), &n);

		if (cases[i].out == NULL) {
			assert_null(d);
			continue;
		}
		assert_non_null(d);
		assert_int_equal(n, cases[i].out[0] ? strlen(cases[i].out)
		                                    : strlen(cases[i].in) * 3 / 4);
		assert_memory_equal(d, cases[i].out, n);
		free(d);
	}
	/* every length and byte value round-trips through the encoder */
	{
		unsigned char bytes[300];
		char text[401];
		for (size_t i = 0; i < sizeof(bytes); i++)
			bytes[i] = (unsigned char)(i * 7 + 3);
		for (size_t len = 0; len <= sizeof(bytes); len++) {
			size_t n = 0, tl = br_b64url_encode(bytes, len, text);
			unsigned char *d = br_b64url_decode(text, tl, &n);
			assert_non_null(d);
			assert_int_equal(n, len);
			assert_memory_equal(d, bytes, len);
			free(d);
		}
	}
}

static void test_chars(void **state)
{
	static const struct {
		const char *s;
		bool want;
	} cases[] = {
	        {"", true},
	        {"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", true},
	        {"Zm9v=", false},
	        {"Zm+v", false},
	        {"Zm/v", false},
	        {"Zm.v", false},
	        {"Zm v", false},
	        {"Zm9v\xc3\xa9", false},
	        {"\x7f", false},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (br_b64url_chars(cases[i].s, strlen(cases[i].s)) != cases[i].want)
			fail_msg("\"%s\": want %d", cases[i].s, cases[i].want);
	/* The length is what counts, not a NUL: bytes past len are not read,
	 * and a NUL inside is refused. */
	assert_true(br_b64url_chars("ab+", 2));
	assert_false(br_b64url_chars("a\0b", 3));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_encode),
	        cmocka_unit_test(test_decode),
	        cmocka_unit_test(test_chars),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
