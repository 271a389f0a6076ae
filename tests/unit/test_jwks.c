/* test_jwks.c - JWK set parsing, key selection, refetch and backoff policy. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bridge/error.h"
#include "bridge/jwa.h"
#include "bridge/jwks.h"

#include "fixtures.h"

/* the tables leave trailing fields to their zero default */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

static void test_skips(void **state)
{
	static const char *const want[] = {
	        "key 0 (kid \"small\"): RSA key too small (at least 2048 bits needed)",
	        "key 1 (kid \"enc\"): use is not sig",
	        "key 2 (kid \"hs\"): unsupported alg",
	        "key 3 (kid \"oct\"): unsupported kty",
	        "key 4 (kid \"ops\"): key_ops without verify",
	        "key 5 (kid \"k1\"): unsupported EC curve",
	        "key 6 (kid \"broken\"): RSA key without a valid n",
	        "key 7: not a JSON object",
	};
	struct br_jwks *set = fx_jwks("jwks_skips.json");
	const struct br_jwk *k;

	assert_int_equal(br_jwks_count(set), 1);
	assert_int_equal(br_jwks_skipped_count(set), sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		assert_string_equal(br_jwks_skipped(set, i), want[i]);
	assert_null(br_jwks_skipped(set, 8));
	k = br_jwks_key(set, 0);
	assert_string_equal(k->kid, "rsa1");
	assert_int_equal(k->kty, BR_JWK_RSA);
	assert_int_equal(k->bits, 2048);
	assert_int_equal(k->sig_len, 256);
	assert_int_equal(k->alg, 0);
	assert_null(br_jwks_key(set, 1));
	br_jwks_unref(set);
}

static void test_all(void **state)
{
	static const struct {
		const char *kid;
		enum br_jwk_kty kty;
		unsigned alg;
		int bits;
		size_t sig_len;
	} want[] = {
	        {"rsa1", BR_JWK_RSA, 0, 2048, 256}, {"rsa2", BR_JWK_RSA, BR_JWA_RS256, 2048, 256},
	        {"ec256", BR_JWK_EC, 0, 256, 64},   {"ec384", BR_JWK_EC, 0, 384, 96},
	        {"ec521", BR_JWK_EC, 0, 521, 132},
	};
	struct br_jwks *set = fx_jwks("jwks_all.json");

	assert_int_equal(br_jwks_count(set), 5);
	assert_int_equal(br_jwks_skipped_count(set), 0);
	for (size_t i = 0; i < 5; i++) {
		const struct br_jwk *k = br_jwks_key(set, i);

		assert_string_equal(k->kid, want[i].kid);
		assert_int_equal(k->kty, want[i].kty);
		assert_int_equal(k->alg, want[i].alg);
		assert_int_equal(k->bits, want[i].bits);
		assert_int_equal(k->sig_len, want[i].sig_len);
		assert_non_null(k->jwk);
	}
	/* shared between owners */
	assert_ptr_equal(br_jwks_ref(set), set);
	br_jwks_unref(set);
	assert_int_equal(br_jwks_count(set), 5);
	br_jwks_unref(set);
	br_jwks_unref(NULL);
}

#define N1                                                                                         \
	"y3tHYfFtbfqkxCn-ItV0J_PpbVblF8O_"                                                         \
	"Mc0u06EyVyPXnU8yrwbJ2QfV7VtOmt4X87uCtkNuUsoAoPGgwiEum4VMoyVRFUSrH5StQz-YfHNhcUFpxBVg-"    \
	"W1d4Smc0uk0Lj73JX9z_K0QZjm_s9GoECmRtf69X-hUhtfE0tvoGOJPQCAGxiG0rhE31i_XbZMMvu7XY-"        \
	"NO05cmQKow-4Hv_YfDkHfmVgtXqSmFhfRUa3RGVjb_"                                               \
	"hoOIfl8E3SFWRbUXxVlx8Li0vvfuI6njxXK5GvQKYfvjDh25S2dZARlxQzHVPwSnZqWp16arBd7hYS-"          \
	"wxHxXVXjrYgIpUzsSgYRdFw"

static void test_parse_errors(void **state)
{
	static const struct {
		const char *body;
		const char *want; /* NULL: parses, with skipped[0] == skip */
		const char *skip;
	} cases[] = {
	        {"", "JWKS is not valid JSON: '[' or '{' expected near end of file"},
	        {"[]", "JWKS is not an object with a keys array"},
	        {"{\"keys\":{}}", "JWKS is not an object with a keys array"},
	        {"{\"keys\":[],\"keys\":[]}",
	         "JWKS is not valid JSON: duplicate object key near '\"keys\"'"},
	        {"{\"keys\":[]}", NULL, NULL},
	        {"{\"keys\":[{}]}", NULL, "key 0: no kty"},
	        {"{\"keys\":[{\"kty\":\"RSA\",\"kid\":7}]}", NULL, "key 0: kid is not a string"},
	        {"{\"keys\":[{\"kty\":\"RSA\",\"use\":1}]}", NULL, "key 0: use is not sig"},
	        {"{\"keys\":[{\"kty\":\"RSA\",\"alg\":\"none\"}]}", NULL, "key 0: unsupported alg"},
	        {"{\"keys\":[{\"kty\":\"RSA\",\"key_ops\":\"verify\"}]}", NULL,
	         "key 0: key_ops is not an array"},
	        {"{\"keys\":[{\"kty\":\"RSA\",\"n\":\"AAAA\",\"e\":\"AQAB\"}]}", NULL,
	         "key 0: RSA key without a valid n"},
	        {"{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"AA\",\"y\":\"AA\"}]}", NULL,
	         "key 0: EC key without a valid x"},
	        {"{\"keys\":[{\"kty\":\"RSA\",\"e\":\"AQ\",\"n\":\"" N1 "\"}]}", NULL,
	         "key 0: RSA key without a valid e"},
	        {"{\"keys\":[{\"kty\":\"RSA\",\"e\":\"Ag\",\"n\":\"" N1 "\"}]}", NULL,
	         "key 0: RSA key without a valid e"},
	        {"{\"keys\":[{\"kty\":\"RSA\",\"e\":\"AAAAAAAAAAAB\",\"n\":\"" N1 "\"}]}", NULL,
	         "key 0: RSA key without a valid e"},
	        {"{\"keys\":[{\"kty\":\"EC\",\"x\":\"AA\",\"y\":\"AA\"}]}", NULL,
	         "key 0: EC key without crv"},
	        {"{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\","
	         "\"x\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\","
	         "\"y\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"}]}",
	         NULL, "key 0: not importable"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct br_error err = {0};
		struct br_jwks *set = br_jwks_parse(cases[i].body, strlen(cases[i].body), &err);

		if (cases[i].want != NULL) {
			assert_null(set);
			assert_int_equal(err.code, BR_E_PROTOCOL);
			assert_string_equal(err.msg, cases[i].want);
			continue;
		}
		assert_non_null(set);
		assert_int_equal(br_jwks_count(set), 0);
		if (cases[i].skip != NULL)
			assert_string_equal(br_jwks_skipped(set, 0), cases[i].skip);
		else
			assert_int_equal(br_jwks_skipped_count(set), 0);
		br_jwks_unref(set);
	}
}

static void test_oversize(void **state)
{
	size_t len = BR_JWKS_MAX_BODY + 1;
	char *body = malloc(len);
	struct br_error err = {0};

	assert_non_null(body);
	memset(body, ' ', len);
	assert_null(br_jwks_parse(body, len, &err));
	assert_string_equal(err.msg, "JWKS larger than 1048576 bytes");
	free(body);
}

static void test_mismatched_alg(void **state)
{
	size_t len;
	char *body = fx_read(fx_path("jose/jwks_all.json"), &len);
	char *p;
	struct br_jwks *set;

	assert_non_null(body);

	/* make rsa2 claim ES256: a key whose alg does not fit its type is skipped */
	p = strstr(body, "\"RS256\"");
	assert_non_null(p);
	memcpy(p, "\"ES256\"", 7);
	set = br_jwks_parse(body, len, NULL);
	assert_non_null(set);
	assert_int_equal(br_jwks_count(set), 4);
	assert_string_equal(br_jwks_skipped(set, 0),
	                    "key 1 (kid \"rsa2\"): alg does not fit the key");
	br_jwks_unref(set);
	free(body);
}

static void test_find(void **state)
{
	static const struct {
		const char *jwks;
		const char *kid;
		unsigned alg;
		const char *want_kid; /* NULL: refused with msg */
		const char *msg;
	} cases[] = {
	        {"jwks_all.json", "rsa1", BR_JWA_PS512, "rsa1", NULL},
	        {"jwks_all.json", "rsa2", BR_JWA_RS256, "rsa2", NULL},
	        {"jwks_all.json", "rsa2", BR_JWA_RS512, NULL,
	         "the key with the token's kid does not fit: the key is for RS256, the token says "
	         "RS512"},
	        {"jwks_all.json", "ec521", BR_JWA_ES512, "ec521", NULL},
	        {"jwks_all.json", "ec521", BR_JWA_ES384, NULL,
	         "the key with the token's kid does not fit: an EC key on P-521 cannot verify "
	         "ES384"},
	        {"jwks_all.json", "rsa1", BR_JWA_ES256, NULL,
	         "the key with the token's kid does not fit: an RSA key cannot verify ES256"},
	        {"jwks_all.json", NULL, BR_JWA_ES384, "ec384", NULL},
	        {"jwks_all.json", NULL, BR_JWA_RS256, NULL,
	         "the token has no kid and several keys fit RS256"},
	        /* rsa2 is RS256-only, so for PS256 only rsa1 fits */
	        {"jwks_all.json", NULL, BR_JWA_PS256, "rsa1", NULL},
	        {"jwks_all.json", "nope", BR_JWA_RS256, NULL,
	         "no key with the token's kid in the provider's JWKS"},
	        {"jwks_rsa1_nokid.json", "rsa1", BR_JWA_RS256, NULL,
	         "no key with the token's kid in the provider's JWKS"},
	        {"jwks_rsa1024.json", NULL, BR_JWA_RS256, NULL,
	         "no usable key in the provider's JWKS"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct br_jwks *set = fx_jwks(cases[i].jwks);
		struct br_error err = {0};
		const struct br_jwk *k = br_jwks_find(set, cases[i].kid, cases[i].alg, &err);

		if (cases[i].want_kid != NULL) {
			if (k == NULL)
				fail_msg("case %zu: %s", i, err.msg);
			assert_string_equal(k->kid, cases[i].want_kid);
		} else {
			assert_null(k);
			assert_int_equal(err.code, BR_E_PROTOCOL);
			assert_string_equal(err.msg, cases[i].msg);
		}
		br_jwks_unref(set);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_skips),          cmocka_unit_test(test_all),
	        cmocka_unit_test(test_parse_errors),   cmocka_unit_test(test_oversize),
	        cmocka_unit_test(test_mismatched_alg), cmocka_unit_test(test_find),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
