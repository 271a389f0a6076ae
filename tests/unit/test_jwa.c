/* test_jwa.c - the JWS algorithm table: names <-> bits, digests, the sets
 * the ID token check and the Jitsi signer use, the lists in messages. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "bridge/jwa.h"

static const struct {
	const char *name;
	unsigned alg;
	size_t hash_len;
	const char *digest;
	int id_token; /* in BR_JWA_ID_TOKEN */
	int jitsi;    /* in BR_JWA_JITSI */
} table[] = {
        {"RS256", BR_JWA_RS256, 32, "SHA256", 1, 1}, {"RS384", BR_JWA_RS384, 48, "SHA384", 1, 1},
        {"RS512", BR_JWA_RS512, 64, "SHA512", 1, 1}, {"PS256", BR_JWA_PS256, 32, "SHA256", 1, 0},
        {"PS384", BR_JWA_PS384, 48, "SHA384", 1, 0}, {"PS512", BR_JWA_PS512, 64, "SHA512", 1, 0},
        {"ES256", BR_JWA_ES256, 32, "SHA256", 1, 0}, {"ES384", BR_JWA_ES384, 48, "SHA384", 1, 0},
        {"ES512", BR_JWA_ES512, 64, "SHA512", 1, 0}, {"HS256", BR_JWA_HS256, 32, "SHA256", 0, 1},
        {"HS384", BR_JWA_HS384, 48, "SHA384", 0, 1}, {"HS512", BR_JWA_HS512, 64, "SHA512", 0, 1},
};

#define N (sizeof(table) / sizeof(table[0]))

static void test_known(void **state)
{
	unsigned all = 0;

	for (size_t i = 0; i < N; i++) {
		assert_int_equal(br_jwa_from_name(table[i].name), table[i].alg);
		assert_string_equal(br_jwa_name(table[i].alg), table[i].name);
		assert_int_equal(br_jwa_hash_len(table[i].alg), table[i].hash_len);
		assert_string_equal(br_jwa_digest(table[i].alg), table[i].digest);
		assert_int_equal((table[i].alg & BR_JWA_ID_TOKEN) != 0, table[i].id_token);
		assert_int_equal((table[i].alg & BR_JWA_JITSI) != 0, table[i].jitsi);
		assert_int_equal(all & table[i].alg, 0); /* one bit each */
		all |= table[i].alg;
	}
	assert_int_equal(all, BR_JWA_RSA | BR_JWA_EC | BR_JWA_HMAC);
	assert_int_equal(BR_JWA_RSA, BR_JWA_RS | BR_JWA_PS);
}

static void test_unknown(void **state)
{
	static const char *const names[] = {
	        "none",  "None",  "rs256",  "RS 256", "RS256 ", " RS256", "RS",
	        "RS128", "EdDSA", "ES256K", "HS",     "",       "RS2560", "RSA-OAEP",
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (br_jwa_from_name(names[i]) != 0)
			fail_msg("\"%s\" is known", names[i]);
	assert_int_equal(br_jwa_from_name(NULL), 0);
	/* A name is of exactly one bit: none for 0, a set or an unknown bit. */
	static const unsigned bits[] = {0, BR_JWA_RS256 | BR_JWA_RS384, BR_JWA_EC, 1u << 20};
	for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]); i++) {
		assert_null(br_jwa_name(bits[i]));
		assert_int_equal(br_jwa_hash_len(bits[i]), 0);
		assert_null(br_jwa_digest(bits[i]));
	}
}

static void test_list(void **state)
{
	static const struct {
		unsigned set;
		const char *sep;
		size_t cap;
		const char *want;
	} cases[] = {
	        {BR_JWA_ID_TOKEN, " ", 200,
	         "RS256 RS384 RS512 PS256 PS384 PS512 ES256 ES384 ES512"},
	        {BR_JWA_JITSI, ", ", 200, "RS256, RS384, RS512, HS256, HS384, HS512"},
	        {BR_JWA_ES512 | BR_JWA_RS256, "|", 200, "RS256|ES512"},
	        {0, " ", 200, ""},
	        {1u << 20, " ", 200, ""},
	        /* cut at a name, never in the middle of one */
	        {BR_JWA_RS, " ", 12, "RS256 RS384"},
	        {BR_JWA_RS, " ", 11, "RS256"},
	        {BR_JWA_RS, " ", 5, ""},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char buf[200];
		memset(buf, 'x', sizeof(buf));
		assert_ptr_equal(br_jwa_list(cases[i].set, cases[i].sep, buf, cases[i].cap), buf);
		assert_string_equal(buf, cases[i].want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_known),
	        cmocka_unit_test(test_unknown),
	        cmocka_unit_test(test_list),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
