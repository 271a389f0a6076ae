/* test_sso.c - Jitsi's native SSO token service, the pure parts: the sealed
 * code (round trip, expiry, tampering, purpose label, keys), the request
 * cookie and its binding to a login state, PKCE S256 (RFC 7636 appendix B),
 * the strict token form, encodeURIComponent, the state without its
 * refreshToken, and the ID token the bridge signs. */
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
#include "bridge/keys.h"
#include "bridge/log.h"
#include "bridge/seal.h"
#include "bridge/session.h"
#include "bridge/sso.h"

#include "jwt_check.h"

#define NOW      1700000000L
#define KID_2048 "cVKu5ct4jlyWE-SUxWSC6xPCNCDZSOyrsbcUnLOa0zk"

/* RFC 7636 appendix B */
#define RFC_VERIFIER  "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
#define RFC_CHALLENGE "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"

static const unsigned char key[32] = "0123456789abcdef0123456789abcdef";
static const unsigned char key2[32] = "0123456789abcdef0123456789abcdeF";

static const struct br_seal_keys only_key = {key, NULL};
static const struct br_seal_keys only_key2 = {key2, NULL};
static const struct br_seal_keys rolled = {key2, key}; /* key2 new, key previous */

static struct br_sso_code sample_code(void)
{
	struct br_sso_code c = {
	        .end = NOW + BR_SSO_CODE_LIFETIME,
	        .client_id = "jitsi-meet",
	        .redirect_uri = "https://meet.example.org/static/sso.html",
	        .challenge = RFC_CHALLENGE,
	        .nonce = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
	        .sub = "248289761001",
	        .access_token = "eyJhbGciOiJSUzI1NiJ9.eyJyb29tIjoiYSJ9.c2ln",
	        .expires_in = 3600,
	        .refresh_token = "handle-text",
	};
	return c;
}

static void test_pkce_rfc7636_vector(void **state)
{
	(void)state;
	assert_true(br_sso_pkce_ok(RFC_VERIFIER, RFC_CHALLENGE));
	/* one character off either side */
	assert_false(br_sso_pkce_ok("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXl", RFC_CHALLENGE));
	assert_false(br_sso_pkce_ok(RFC_VERIFIER, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cN"));
	/* RFC 7636 4.1: 43 to 128 unreserved characters */
	assert_false(br_sso_pkce_ok("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjX", RFC_CHALLENGE));
	assert_false(br_sso_pkce_ok("dBjftJeZ4CVP+mB92K27uhbUJU1p1r_wW1gFWFOEjXk", RFC_CHALLENGE));
	char longv[130];
	memset(longv, 'a', 129);
	longv[129] = '\0';
	assert_false(br_sso_pkce_ok(longv, RFC_CHALLENGE));
	assert_false(br_sso_pkce_ok(NULL, RFC_CHALLENGE));
	assert_false(br_sso_pkce_ok(RFC_VERIFIER, NULL));
	/* "plain" would compare the verifier itself: never accepted */
	assert_false(br_sso_pkce_ok(RFC_VERIFIER, RFC_VERIFIER));
	assert_true(br_sso_challenge_valid(RFC_CHALLENGE));
	assert_false(br_sso_challenge_valid("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-c"));
	assert_false(br_sso_challenge_valid("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw+cM"));
}

static void test_code_round_trip(void **state)
{
	struct br_sso_code c = sample_code(), out;
	struct br_error err = {0};
	char *text = br_sso_code_seal(key, &c, &err);

	(void)state;
	assert_non_null(text);
	assert_true(
	        strspn(text, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
	        strlen(text));
	assert_int_equal(br_sso_code_open(&only_key, text, NOW, &out, &err), 0);
	assert_int_equal(out.end, NOW + 60);
	assert_string_equal(out.client_id, "jitsi-meet");
	assert_string_equal(out.redirect_uri, "https://meet.example.org/static/sso.html");
	assert_string_equal(out.challenge, RFC_CHALLENGE);
	assert_string_equal(out.nonce, c.nonce);
	assert_string_equal(out.sub, "248289761001");
	assert_string_equal(out.access_token, c.access_token);
	assert_int_equal(out.expires_in, 3600);
	assert_string_equal(out.refresh_token, "handle-text");
	br_sso_code_clear(&out);
	/* the previous key still opens it (a key roll) */
	assert_int_equal(br_sso_code_open(&rolled, text, NOW, &out, &err), 0);
	br_sso_code_clear(&out);
	/* another key does not */
	assert_int_equal(br_sso_code_open(&only_key2, text, NOW, &out, &err), -1);
	assert_int_equal(err.code, BR_E_STATE);
	free(text);

	/* without nonce and handle */
	c.nonce = NULL;
	c.refresh_token = NULL;
	text = br_sso_code_seal(key, &c, &err);
	assert_non_null(text);
	assert_int_equal(br_sso_code_open(&only_key, text, NOW, &out, &err), 0);
	assert_null(out.nonce);
	assert_null(out.refresh_token);
	br_sso_code_clear(&out);
	free(text);
}

static void test_code_expiry(void **state)
{
	struct br_sso_code c = sample_code(), out;
	struct br_error err = {0};
	char *text = br_sso_code_seal(key, &c, &err);

	(void)state;
	assert_non_null(text);
	assert_int_equal(br_sso_code_open(&only_key, text, NOW + 59, &out, &err), 0);
	br_sso_code_clear(&out);
	assert_int_equal(br_sso_code_open(&only_key, text, NOW + 60, &out, &err), -1);
	assert_int_equal(err.code, BR_E_STATE);
	assert_string_equal(err.msg, "code expired");
	free(text);
	/* an end far in the future is not believed either */
	c.end = NOW + 3600;
	text = br_sso_code_seal(key, &c, &err);
	assert_int_equal(br_sso_code_open(&only_key, text, NOW, &out, &err), -1);
	free(text);
}

/* expires_in counts from the code's issue time (end - 60 s), when the
 * Jitsi token in it was made, not from the exchange. */
static void test_code_expires_in(void **state)
{
	struct br_sso_code c = sample_code();

	(void)state;
	assert_int_equal(br_sso_code_expires_in(&c, NOW), 3600);
	assert_int_equal(br_sso_code_expires_in(&c, NOW + 1), 3599);
	assert_int_equal(br_sso_code_expires_in(&c, NOW + 59), 3541);
	/* the issuing replica's clock ahead of ours: never above the lifetime */
	assert_int_equal(br_sso_code_expires_in(&c, NOW - 30), 3600);
	/* never below 0 */
	c.expires_in = 30;
	assert_int_equal(br_sso_code_expires_in(&c, NOW + 29), 1);
	assert_int_equal(br_sso_code_expires_in(&c, NOW + 30), 0);
	assert_int_equal(br_sso_code_expires_in(&c, NOW + 59), 0);
	c.expires_in = -5;
	assert_int_equal(br_sso_code_expires_in(&c, NOW), 0);
}

static void test_code_tampered(void **state)
{
	struct br_sso_code c = sample_code(), out;
	struct br_error err = {0};
	char *text = br_sso_code_seal(key, &c, &err);
	size_t n;

	(void)state;
	assert_non_null(text);
	n = strlen(text);
	for (size_t i = 0; i < n; i += 7) {
		char saved = text[i];
		text[i] = saved == 'A' ? 'B' : 'A';
		assert_int_equal(br_sso_code_open(&only_key, text, NOW, &out, &err), -1);
		assert_int_equal(err.code, BR_E_STATE);
		text[i] = saved;
	}
	text[n - 1] = '\0'; /* cut */
	assert_int_equal(br_sso_code_open(&only_key, text, NOW, &out, &err), -1);
	free(text);
}

static void test_code_purpose_label(void **state)
{
	struct br_sso_code c = sample_code(), out;
	struct br_session_handle h =
	                                 {
	                                         .issued = NOW,
	                                         .end = NOW + 3600,
	                                         .sub = "s",
	                                         .user_id = "u",
	                                         .nonce = "n",
	                                 },
	                         hout;
	struct br_sso_request req = {.state = "abcdefghijklmnopqrstuv",
	                             .jitsi_state = "{\"room\":\"a\"}",
	                             .challenge = RFC_CHALLENGE},
	                      rout;
	struct br_error err = {0};
	char *code = br_sso_code_seal(key, &c, &err);
	char *handle = br_session_handle_seal(key, &h, &err);
	char *reqtext = br_sso_request_seal(key, &req, &err);
	const unsigned char plain[] = "{}";
	char *other = br_seal(key, "seal:test:1", plain, 2, &err);

	(void)state;
	assert_non_null(code);
	assert_non_null(handle);
	assert_non_null(reqtext);
	/* a code is not a renewal handle, and neither is a code */
	assert_int_equal(br_session_handle_open(&only_key, code, NOW, &hout, &err), -1);
	assert_int_equal(br_sso_code_open(&only_key, handle, NOW, &out, &err), -1);
	assert_int_equal(br_sso_code_open(&only_key, reqtext, NOW, &out, &err), -1);
	assert_int_equal(br_sso_request_open(&only_key, code, req.state, &rout, &err), -1);
	assert_int_equal(br_sso_code_open(&only_key, other, NOW, &out, &err), -1);
	free(code);
	free(handle);
	free(reqtext);
	free(other);
}

static void test_request_binding(void **state)
{
	struct br_sso_request req = {.state = "abcdefghijklmnopqrstuv",
	                             .jitsi_state = "{\"room\":\"my%20room\",\"x\":\"+&=\"}",
	                             .challenge = RFC_CHALLENGE,
	                             .nonce = "abc"},
	                      out;
	struct br_error err = {0};
	char *text = br_sso_request_seal(key, &req, &err);
	char header[6000];

	(void)state;
	assert_non_null(text);
	assert_int_equal(br_sso_request_open(&only_key, text, req.state, &out, &err), 0);
	assert_string_equal(out.jitsi_state, req.jitsi_state);
	assert_string_equal(out.challenge, RFC_CHALLENGE);
	assert_string_equal(out.nonce, "abc");
	br_sso_request_clear(&out);
	/* for another login state: refused */
	assert_int_equal(br_sso_request_open(&only_key, text, "abcdefghijklmnopqrstuw", &out, &err),
	                 -1);
	/* found in a Cookie header by the state's prefix, among others */
	snprintf(header, sizeof(header),
	         "a=b; jitsi_sso_abcdefgh=garbage; jitsi_sso_abcdefgh=%s; c=d", text);
	assert_int_equal(br_sso_request_from_header(&only_key, header, req.state, &out, &err), 0);
	assert_string_equal(out.nonce, "abc");
	br_sso_request_clear(&out);
	assert_int_equal(br_sso_request_from_header(&only_key, "a=b", req.state, &out, &err), -1);
	assert_string_equal(err.msg, "native SSO request cookie missing");
	assert_int_equal(br_sso_request_from_header(&only_key, NULL, req.state, &out, &err), -1);
	free(text);
}

static void test_form_parse(void **state)
{
	struct br_sso_form f;
	struct br_error err = {0};
	const char *ok =
	        "grant_type=authorization_code&code=abc-_.&redirect_uri=https%3A%2F%2Fmeet."
	        "example.org%2Fstatic%2Fsso.html&client_id=jitsi+meet&code_verifier=" RFC_VERIFIER
	        "&unknown=1";

	(void)state;
	assert_int_equal(br_sso_form_parse(ok, strlen(ok), &f, &err), 0);
	assert_string_equal(f.grant_type, "authorization_code");
	assert_string_equal(f.code, "abc-_.");
	assert_string_equal(f.redirect_uri, "https://meet.example.org/static/sso.html");
	assert_string_equal(f.client_id, "jitsi meet");
	assert_string_equal(f.code_verifier, RFC_VERIFIER);
	assert_null(f.refresh_token);
	br_sso_form_clear(&f);

	/* an empty value counts as absent (RFC 6749 3.1) */
	assert_int_equal(br_sso_form_parse("grant_type=&code=x", 18, &f, &err), 0);
	assert_null(f.grant_type);
	assert_string_equal(f.code, "x");
	br_sso_form_clear(&f);

	static const char *const bad[] = {
	        "grant_type=refresh_token&grant_type=authorization_code", /* twice */
	        "code=a&code=a",                                          /* twice, same value */
	        "code=a&code=",                                           /* twice, once empty */
	        "grant_type",                                             /* no '=' */
	        "code=%zz",                                               /* bad escape */
	        "code=abc%2",                                             /* cut escape */
	        "code=a%00b",                                             /* NUL */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(br_sso_form_parse(bad[i], strlen(bad[i]), &f, &err), -1);
		assert_int_equal(err.code, BR_E_INVALID);
		assert_null(f.code);
	}
	/* a raw NUL in the body */
	assert_int_equal(br_sso_form_parse("code=a\0b", 8, &f, &err), -1);
}

static void test_uri_encode_twice(void **state)
{
	/* sso.html: JSON.parse(decodeURIComponent(URLSearchParams.get('state'))) */
	char *once = br_sso_uri_encode("{\"room\":\"my%20room\",\"a\":\"x y+z&\"}");
	char *twice;

	(void)state;
	assert_string_equal(once,
	                    "%7B%22room%22%3A%22my%2520room%22%2C%22a%22%3A%22x%20y%2Bz%26%22%7D");
	twice = br_sso_uri_encode(once);
	assert_null(strchr(twice, '+'));
	assert_null(strchr(twice, '&'));
	assert_non_null(strstr(twice, "my%252520room")); /* the room's %20, encoded twice more */
	free(once);
	free(twice);
	once = br_sso_uri_encode("-_.!~*'()");
	assert_string_equal(once, "-_.!~*'()");
	free(once);
}

static void test_state_strip(void **state)
{
	struct br_error err = {0};
	char *out = NULL, *handle = NULL;
	const char *plain = "{\"room\":\"a b\",  \"tenant\":\"t\"}";

	(void)state;
	assert_int_equal(br_sso_state_strip(plain, &out, &handle, &err), 0);
	assert_string_equal(out, plain); /* verbatim when there is nothing to drop */
	assert_null(handle);
	free(out);
	assert_int_equal(br_sso_state_strip("{\"room\":\"a\",\"refreshToken\":\"h1\",\"z\":1}",
	                                    &out, &handle, &err),
	                 0);
	assert_string_equal(out, "{\"room\":\"a\",\"z\":1}");
	assert_string_equal(handle, "h1");
	free(out);
	free(handle);
	assert_int_equal(br_sso_state_strip("[1]", &out, &handle, &err), -1);
	assert_int_equal(br_sso_state_strip("{\"a\":1,\"a\":2}", &out, &handle, &err), -1);
}

static void test_id_token(void **state)
{
	struct br_config cfg;
	struct br_error err = {0};
	struct br_keys *keys;
	struct jc_token t;
	char *tok;

	(void)state;
	br_log_set_level(BR_LOG_ERROR);
	memset(&cfg, 0, sizeof(cfg));
	cfg.algorithm = BR_ALG_RS256;
	cfg.signing_key = (char *)fx_path("keys/rsa2048.pem");
	keys = br_keys_load(&cfg, &err);
	assert_non_null(keys);
	tok = br_sso_id_token(keys, "https://meet.example.org/auth", "jitsi-meet", "sub-1", "n0nce",
	                      NOW, &err);
	assert_non_null(tok);
	assert_true(jc_parse(tok, &t));
	assert_string_equal(t.header_json,
	                    "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"" KID_2048 "\"}");
	assert_string_equal(t.claims_json,
	                    "{\"iss\":\"https://meet.example.org/auth\",\"aud\":\"jitsi-meet\","
	                    "\"sub\":\"sub-1\",\"iat\":1700000000,\"exp\":1700000300,\"nonce\":"
	                    "\"n0nce\"}");
	jc_free(&t);
	assert_true(jc_verify_rsa(tok, jc_pem(keys, br_keys_kid(keys)), BR_ALG_RS256));
	free(tok);
	tok = br_sso_id_token(keys, "i", "a", "s", NULL, NOW, &err);
	assert_true(jc_parse(tok, &t));
	assert_null(json_object_get(t.claims, "nonce"));
	jc_free(&t);
	free(tok);
	br_keys_free(keys);
	br_keys_thread_cleanup();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_pkce_rfc7636_vector),
	        cmocka_unit_test(test_code_round_trip),
	        cmocka_unit_test(test_code_expiry),
	        cmocka_unit_test(test_code_expires_in),
	        cmocka_unit_test(test_code_tampered),
	        cmocka_unit_test(test_code_purpose_label),
	        cmocka_unit_test(test_request_binding),
	        cmocka_unit_test(test_form_parse),
	        cmocka_unit_test(test_uri_encode_twice),
	        cmocka_unit_test(test_state_strip),
	        cmocka_unit_test(test_id_token),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
