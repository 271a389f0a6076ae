/*
 * test_asap.c - what /asap/<sha256hex(kid)>.pem and /jwks.json answer: the
 * bytes and content type, without HTTP (the headers they are sent with are
 * test_httpd's).  A key is looked up the way Prosody does and a token's
 * signature checked with it.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <openssl/sha.h>

#include "bridge/asap.h"
#include "bridge/keys.h"
#include "bridge/log.h"
#include "bridge/token.h"

#include "fixtures.h"
#include "jwt_check.h"

#define KID_2048_HASH "3ee5a16dccc3a3d10a464756200db0d14f97800256409f023323abb801855ecf"
#define KID_3072_HASH "cb3b2c6a2213acd15f30c1253aa42462e6495768da0c4a9a6cde706f67f908fb"

/* The answer for path, which must be asap's. */
static struct br_asap_answer lookup(const struct br_keys *keys, const char *path)
{
	struct br_asap_answer a;
	if (br_asap_lookup(keys, path, &a) != 0)
		fail_msg("%s: not asap's", path);
	return a;
}

static struct br_keys *load_rsa(const char *key, const char *previous)
{
	struct br_config cfg = {0};
	struct br_error err = {0};
	cfg.algorithm = BR_ALG_RS256;
	cfg.signing_key = (char *)key;
	cfg.previous_keys = (char *)previous;
	struct br_keys *keys = br_keys_load(&cfg, &err);
	if (keys == NULL)
		fail_msg("%s", err.msg);
	return keys;
}

static char *make_token(const struct br_keys *keys)
{
	struct br_config cfg = {0};
	struct br_error err = {0};
	struct br_user user = {.id = "u"};
	struct br_decision d = {.allow = true};
	struct br_room room;

	cfg.app_id = "jitsi";
	cfg.audience = "jitsi";
	cfg.domain = "meet.example.org";
	cfg.token_lifetime = 3600;
	assert_int_equal(br_room_parse("room", &room, &err), 0);
	char *token = br_token_build(&cfg, keys, &user, &d, &room, NULL, time(NULL), &err);
	assert_non_null(token);
	br_room_clear(&room);
	return token;
}

static int group_setup(void **state)
{
	br_log_set_level(BR_LOG_ERROR); /* fixture keys are 0644 after checkout */
	return 0;
}

/* Exactly what Prosody does: sha256hex(kid) -> GET .pem -> verify. */
static void test_prosody_fetch(void **state)
{
	struct jc_token t;

	/* Rotation: the 3072-bit key signs, the 2048-bit one is still served. */
	struct br_keys *keys =
	        load_rsa(fx_path("keys/rsa3072.pem"), fx_path("keys/rsa2048.pub.pem"));
	char *token = make_token(keys);
	assert_true(jc_parse(token, &t));
	const char *kid = json_string_value(json_object_get(t.header, "kid"));
	unsigned char md[32];
	char path[128];
	SHA256((const unsigned char *)kid, strlen(kid), md);
	int o = snprintf(path, sizeof(path), "/asap/");
	for (int i = 0; i < 32; i++)
		o += snprintf(path + o, sizeof(path) - (size_t)o, "%02x", md[i]);
	snprintf(path + o, sizeof(path) - (size_t)o, ".pem");
	assert_string_equal(path, "/asap/" KID_3072_HASH ".pem");

	struct br_asap_answer a = lookup(keys, path);
	assert_int_equal(a.status, 200);
	assert_string_equal(a.content_type, "application/x-pem-file");
	char *want = fx_read(fx_path("keys/rsa3072.pub.pem"), NULL);
	assert_int_equal(a.len, strlen(want));
	assert_memory_equal(a.body, want, a.len);
	free(want);
	char *pem = strndup(a.body, a.len);
	assert_true(jc_verify_rsa(token, pem, BR_ALG_RS256));
	free(pem);

	/* The previous key is still served, and does not verify the new token. */
	a = lookup(keys, "/asap/" KID_2048_HASH ".pem");
	assert_int_equal(a.status, 200);
	want = fx_read(fx_path("keys/rsa2048.pub.pem"), NULL);
	assert_int_equal(a.len, strlen(want));
	assert_memory_equal(a.body, want, a.len);
	free(want);
	pem = strndup(a.body, a.len);
	assert_false(jc_verify_rsa(token, pem, BR_ALG_RS256));
	free(pem);

	jc_free(&t);
	free(token);
	br_keys_free(keys);
}

static void test_jwks(void **state)
{
	struct br_keys *keys = load_rsa(fx_path("keys/rsa2048.pem"), NULL);
	size_t jwks_len = 0;
	const char *jwks = br_keys_jwks(keys, &jwks_len);

	struct br_asap_answer a = lookup(keys, "/jwks.json");
	assert_int_equal(a.status, 200);
	assert_string_equal(a.content_type, "application/json");
	assert_ptr_equal(a.body, jwks);
	assert_int_equal(a.len, jwks_len);
	json_t *doc = json_loadb(a.body, a.len, 0, NULL);
	assert_non_null(doc);
	assert_int_equal(json_array_size(json_object_get(doc, "keys")), 1);
	json_decref(doc);
	br_keys_free(keys);
}

static void test_not_found(void **state)
{
	static const struct {
		const char *path;
		bool asap; /* true: asap answers 404; false: not its path (-1) */
	} cases[] = {
	        {"/asap/" KID_3072_HASH ".pem", true}, /* unknown key */
	        {"/asap/3EE5A16DCCC3A3D10A464756200DB0D14F97800256409F023323ABB801855ECF.pem",
	         true}, /* upper-case hex */
	        {"/asap/" KID_2048_HASH ".PEM", true},
	        {"/asap/" KID_2048_HASH ".pem.txt", true},
	        {"/asap/" KID_2048_HASH, true},
	        {"/asap/3ee5a16dccc3a3d10a464756200db0d14f97800256409f023323abb801855ec.pem",
	         true}, /* 63 hex */
	        {"/asap/x" KID_2048_HASH ".pem", true},
	        {"/asap/", true},
	        {"/asap/../jwks.json", true},
	        {"/asap", false},
	        {"/jwks.json/", false},
	        {"/JWKS.json", false},
	        {"/", false},
	        {"/healthz", false},
	};
	struct br_keys *keys = load_rsa(fx_path("keys/rsa2048.pem"), NULL);

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct br_asap_answer a = {.status = -7};
		int rc = br_asap_lookup(keys, cases[i].path, &a);
		if (!cases[i].asap) {
			if (rc != -1 || a.status != -7)
				fail_msg("%s: answered by asap", cases[i].path);
			continue;
		}
		if (rc != 0 || a.status != 404)
			fail_msg("%s: rc %d status %d", cases[i].path, rc, a.status);
		assert_string_equal(a.content_type, "text/plain; charset=utf-8");
		assert_int_equal(a.len, strlen("not found\n"));
		assert_memory_equal(a.body, "not found\n", a.len);
	}
	br_keys_free(keys);
}

static void test_hmac_mode(void **state)
{
	struct br_config cfg = {0};
	struct br_error err = {0};

	cfg.algorithm = BR_ALG_HS256;
	cfg.app_secret = (unsigned char *)"0123456789abcdef0123456789abcdef";
	cfg.app_secret_len = 32;
	struct br_keys *keys = br_keys_load(&cfg, &err);
	assert_non_null(keys);
	struct br_asap_answer a = lookup(keys, "/jwks.json");
	assert_int_equal(a.status, 200);
	assert_int_equal(a.len, strlen("{\"keys\":[]}"));
	assert_memory_equal(a.body, "{\"keys\":[]}", a.len);
	a = lookup(keys, "/asap/" KID_2048_HASH ".pem");
	assert_int_equal(a.status, 404);
	br_keys_free(keys);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_prosody_fetch),
	        cmocka_unit_test(test_jwks),
	        cmocka_unit_test(test_not_found),
	        cmocka_unit_test(test_hmac_mode),
	};
	return cmocka_run_group_tests(tests, group_setup, NULL);
}
