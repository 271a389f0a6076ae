/* test_room.c - room names in Jitsi's forms, and tenants. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bridge/room.h"

/* Expected values: what Jitsi's getBackendSafeRoomName() gives (JavaScript
 * normalize('NFKC').toLowerCase() then encodeURIComponent), cross-checked
 * with Python's unicodedata.normalize('NFKC', s).lower() and
 * urllib.parse.quote(s, safe="-_.!~*'()"). */
static void test_good(void **state)
{
	static const struct {
		const char *typed, *readable, *backend, *url_path;
	} cases[] = {
	        {"myroom", "myroom", "myroom", "myroom"},
	        {"UPPER", "upper", "upper", "UPPER"},
	        {"My Room", "my room", "my%20room", "My%20Room"},
	        {"Zoë", "zoë", "zo%C3%AB", "Zo%C3%AB"},
	        {"Café Zoë", "café zoë", "caf%C3%A9%20zo%C3%AB", "Caf%C3%A9%20Zo%C3%AB"},
	        /* fullwidth letters: NFKC folds them to ASCII */
	        {"ＭｙＲｏｏｍ", "myroom", "myroom",
	         "%EF%BC%AD%EF%BD%99%EF%BC%B2%EF%BD%8F%EF%BD%8F%EF%BD%8D"},
	        {"\xef\xac\x81le", "file", "file", "%EF%AC%81le"}, /* U+FB01 ligature */
	        {"Straße", "straße", "stra%C3%9Fe", "Stra%C3%9Fe"},
	        /* full case mapping and final sigma, as JavaScript does */
	        {"İstanbul", "i\xcc\x87stanbul", "i%CC%87stanbul", "%C4%B0stanbul"},
	        {"ΣΑΣ", "σας", "%CF%83%CE%B1%CF%82", "%CE%A3%CE%91%CE%A3"},
	        /* encodeURIComponent leaves exactly these unescaped */
	        {"a-b_c.d!e~f*g'h(i)j", "a-b_c.d!e~f*g'h(i)j", "a-b_c.d!e~f*g'h(i)j",
	         "a-b_c.d!e~f*g'h(i)j"},
	        {"x+y&z=1;@$,:%", "x+y&z=1;@$,:%", "x%2By%26z%3D1%3B%40%24%2C%3A%25",
	         "x%2By%26z%3D1%3B%40%24%2C%3A%25"},
	        {"...", "...", "...", "..."},
	        {".a", ".a", ".a", ".a"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct br_room room;
		struct br_error err = {0};
		if (br_room_parse(cases[i].typed, &room, &err) != 0)
			fail_msg("%s: %s", cases[i].typed, err.msg);
		assert_string_equal(room.typed, cases[i].typed);
		assert_string_equal(room.readable, cases[i].readable);
		assert_string_equal(room.backend, cases[i].backend);
		assert_string_equal(room.url_path, cases[i].url_path);
		br_room_clear(&room);
		assert_null(room.typed);
		assert_null(room.backend);
	}
}

static void test_bad(void **state)
{
	static const char *const ctl = "the room name contains a control character";
	static const char *const sep = "the room name must not contain '/', '\\', '?' or '#'";
	static const char *const dots = "the room name must not be '.' or '..'";
	static const char *const utf8 = "the room name is not valid UTF-8";
	static const struct {
		const char *typed;
		const char *want;
	} cases[] = {
	        {"", "the room name is empty"},
	        {NULL, "the room name is empty"},
	        {"a/b", sep},
	        {"/", sep},
	        {"a\\b", sep},
	        {"a?b", sep},
	        {"a#b", sep},
	        {"a\xef\xbc\x8f"
	         "b",
	         sep},                  /* U+FF0F FULLWIDTH SOLIDUS: '/' after NFKC */
	        {"a\xef\xb9\x96", sep}, /* U+FE56 SMALL QUESTION MARK */
	        {".", dots},
	        {"..", dots},
	        {"\xef\xbc\x8e\xef\xbc\x8e", dots}, /* fullwidth full stops */
	        {"a\r\nb", ctl},
	        {"a\tb", ctl},
	        {"a\x1b", ctl},
	        {"a\x7f", ctl},
	        {"a\xc2\x85", ctl}, /* U+0085 NEL, a C1 control */
	        {"a\xc2\x9f", ctl}, /* U+009F */
	        {"\xff", utf8},
	        {"a\xc3", utf8},            /* truncated sequence */
	        {"\xc0\xaf", utf8},         /* overlong '/' */
	        {"\xed\xa0\x80", utf8},     /* surrogate */
	        {"\xf4\x90\x80\x80", utf8}, /* above U+10FFFF */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct br_room room;
		struct br_error err = {0};
		assert_int_equal(br_room_parse(cases[i].typed, &room, &err), -1);
		assert_int_equal(err.code, BR_E_INVALID);
		assert_string_equal(err.msg, cases[i].want);
		assert_null(room.typed);
		assert_null(room.readable);
		assert_null(room.backend);
		assert_null(room.url_path);
	}
}

static void test_length(void **state)
{
	char name[BR_ROOM_MAX_BYTES + 2];
	struct br_room room;
	struct br_error err = {0};

	memset(name, 'a', sizeof(name));
	name[200] = '\0';
	assert_int_equal(br_room_parse(name, &room, &err), 0);
	assert_int_equal(strlen(room.backend), 200);
	br_room_clear(&room);

	name[200] = 'a';
	name[201] = '\0';
	assert_int_equal(br_room_parse(name, &room, &err), -1);
	assert_string_equal(err.msg, "the room name is too long (at most 200 bytes)");

	/* Bytes, not characters: 100 x "é" is 200 bytes, 201 with one more. */
	char wide[204] = "";
	for (int i = 0; i < 100; i++)
		strcat(wide, "é");
	assert_int_equal(strlen(wide), 200);
	assert_int_equal(br_room_parse(wide, &room, &err), 0);
	assert_int_equal(strlen(room.backend), 600);
	br_room_clear(&room);
	strcat(wide, "a");
	assert_int_equal(br_room_parse(wide, &room, &err), -1);
	assert_string_equal(err.msg, "the room name is too long (at most 200 bytes)");

	/* NFKC expansion: 66 x U+FDFA (198 bytes typed) become 1188 characters,
	 * several KB encoded; 10 of them (30 bytes) stay below the bound. */
	char ligatures[204] = "";
	for (int i = 0; i < 10; i++)
		strcat(ligatures, "\xef\xb7\xba");
	assert_int_equal(br_room_parse(ligatures, &room, &err), 0);
	assert_true(strlen(room.backend) <= BR_ROOM_MAX_BACKEND_BYTES);
	br_room_clear(&room);
	for (int i = 10; i < 66; i++)
		strcat(ligatures, "\xef\xb7\xba");
	assert_int_equal(strlen(ligatures), 198);
	assert_int_equal(br_room_parse(ligatures, &room, &err), -1);
	assert_string_equal(
	        err.msg, "the room name is too long once normalised (at most 1023 bytes encoded)");
}

static void test_tenant(void **state)
{
	static const struct {
		const char *tenant;
		bool valid;
	} cases[] = {
	        {"acme", true},
	        {"Acme-Corp_2.eu", true},
	        {"a", true},
	        {"...", true},
	        {"012345678901234567890123456789012345678901234567890123456789012", true},
	        {"0123456789012345678901234567890123456789012345678901234567890123", false},
	        {"", false},
	        {NULL, false},
	        {".", false},
	        {"..", false},
	        {"a/b", false},
	        {"a b", false},
	        {"a%2F", false},
	        {"zoë", false},
	        {"a?", false},
	        {"a#", false},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (br_tenant_valid(cases[i].tenant) != cases[i].valid)
			fail_msg("tenant %s: want %d", cases[i].tenant ? cases[i].tenant : "(null)",
			         cases[i].valid);
	}
}

/* The tenant the rules see is the one the token's sub carries. */
static void test_tenant_normalize(void **state)
{
	char t[80];

	snprintf(t, sizeof(t), "SALES");
	assert_true(br_tenant_normalize(t));
	assert_string_equal(t, "sales");
	snprintf(t, sizeof(t), "Acme-Corp_2.EU");
	assert_true(br_tenant_normalize(t));
	assert_string_equal(t, "acme-corp_2.eu");
	snprintf(t, sizeof(t), "Zoë");
	assert_false(br_tenant_normalize(t));
	assert_string_equal(t, "Zoë");
	snprintf(t, sizeof(t), "..");
	assert_false(br_tenant_normalize(t));
	assert_false(br_tenant_normalize(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_good),
	        cmocka_unit_test(test_bad),
	        cmocka_unit_test(test_length),
	        cmocka_unit_test(test_tenant),
	        cmocka_unit_test(test_tenant_normalize),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
