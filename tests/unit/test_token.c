/* test_token.c - the Jitsi token: header, claims, signature, redirect. */
#include "config.h"

#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/sha.h>

#include "bridge/keys.h"
#include "bridge/log.h"
#include "bridge/token.h"

#include "jwt_check.h"

#define NOW      ((time_t)1764560000)
#define KID_2048 "cVKu5ct4jlyWE-SUxWSC6xPCNCDZSOyrsbcUnLOa0zk"

static unsigned char secret[] = "an HMAC secret of more than 32 bytes, for tests only";

static void test_config(struct br_config *cfg, enum br_jitsi_alg alg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->jitsi_url = "https://meet.example.org";
	cfg->app_id = "jitsi";
	cfg->audience = "jitsi-aud";
	cfg->domain = "meet.example.org";
	cfg->algorithm = alg;
	cfg->clock_skew = 60;
	cfg->token_lifetime = 3600;
	cfg->room = BR_ROOM_REQUESTED;
	cfg->delivery = BR_DELIVERY_FRAGMENT;
	if (alg == BR_ALG_RS256 || alg == BR_ALG_RS384 || alg == BR_ALG_RS512) {
		cfg->signing_key = (char *)fx_path("keys/rsa2048.pem");
	} else {
		cfg->app_secret = secret;
		cfg->app_secret_len = sizeof(secret) - 1;
	}
}

static struct br_user full_user = {
        .id = "u-1",
        .name = "Zoë Doe",
        .email = "zoe@example.org",
        .avatar = "https://x.example/a.png",
};

static const char *const feature_names[] = {"recording", "livestreaming"};
static bool feature_values[] = {true, false};

static struct br_decision moderator_decision = {
        .allow = true,
        .moderator = true,
        .n_features = 2,
        .feature_names = feature_names,
        .feature_values = feature_values,
};

static struct br_decision member_decision = {
        .allow = true,
        .moderator = false,
};

static int setup(void **state)
{
	br_log_set_level(BR_LOG_ERROR); /* fixture keys are 0644 after checkout */
	return 0;
}

static struct br_keys *load(const struct br_config *cfg)
{
	struct br_error err = {0};
	struct br_keys *keys = br_keys_load(cfg, &err);
	if (keys == NULL)
		fail_msg("%s", err.msg);
	return keys;
}

/* The bypasses are written only when true (the Prosody modules act on true
 * only). */
static void test_bypass(void **state)
{
	struct br_config cfg;
	struct br_error err = {0};
	struct br_room room;
	struct jc_token t;
	struct br_decision d = {.allow = true, .lobby_bypass = true};

	test_config(&cfg, BR_ALG_HS256);
	struct br_keys *keys = load(&cfg);
	assert_int_equal(br_room_parse("room", &room, &err), 0);
	for (int i = 0; i < 3; i++) {
		d.lobby_bypass = i == 0;
		d.security_bypass = i == 1;
		char *token = br_token_build(&cfg, keys, &full_user, &d, &room, NULL, NOW, &err);
		assert_non_null(token);
		assert_true(jc_parse(token, &t));
		json_t *user = json_object_get(json_object_get(t.claims, "context"), "user");
		if (i == 0)
			assert_true(json_is_true(json_object_get(user, "lobby_bypass")));
		else
			assert_null(json_object_get(user, "lobby_bypass"));
		if (i == 1)
			assert_true(json_is_true(json_object_get(user, "security_bypass")));
		else
			assert_null(json_object_get(user, "security_bypass"));
		assert_int_equal(json_object_size(user), i == 2 ? 6 : 7);
		jc_free(&t);
		free(token);
	}
	br_room_clear(&room);
	br_keys_free(keys);
}

static void test_rs256_full(void **state)
{
	struct br_config cfg;
	struct br_error err = {0};
	struct br_room room;
	struct jc_token t;

	test_config(&cfg, BR_ALG_RS256);
	struct br_keys *keys = load(&cfg);
	assert_int_equal(br_room_parse("Zoë's Room", &room, &err), 0);
	char *token =
	        br_token_build(&cfg, keys, &full_user, &moderator_decision, &room, NULL, NOW, &err);
	assert_non_null(token);
	assert_true(jc_parse(token, &t));
	assert_string_equal(t.header_json,
	                    "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"" KID_2048 "\"}");
	assert_string_equal(t.claims_json,
	                    "{\"iss\":\"jitsi\",\"aud\":\"jitsi-aud\",\"sub\":\"meet.example.org\","
	                    "\"room\":\"zo%C3%AB's%20room\",\"iat\":1764560000,\"nbf\":1764559940,"
	                    "\"exp\":1764563600,\"context\":{\"user\":{\"id\":\"u-1\",\"name\":"
	                    "\"Zoë Doe\",\"email\":\"zoe@example.org\",\"avatar\":"
	                    "\"https://x.example/a.png\",\"affiliation\":\"owner\",\"moderator\":"
	                    "true},\"features\":{\"recording\":true,\"livestreaming\":false}}}");
	/* And field by field, as a verifier reads them. */
	json_t *c = t.claims;
	assert_int_equal(json_object_size(c), 8);
	assert_string_equal(json_string_value(json_object_get(c, "iss")), "jitsi");
	assert_string_equal(json_string_value(json_object_get(c, "aud")), "jitsi-aud");
	assert_string_equal(json_string_value(json_object_get(c, "sub")), "meet.example.org");
	assert_string_equal(json_string_value(json_object_get(c, "room")), "zo%C3%AB's%20room");
	assert_int_equal(json_integer_value(json_object_get(c, "iat")), NOW);
	assert_int_equal(json_integer_value(json_object_get(c, "nbf")), NOW - 60);
	assert_int_equal(json_integer_value(json_object_get(c, "exp")), NOW + 3600);
	json_t *user = json_object_get(json_object_get(c, "context"), "user");
	assert_string_equal(json_string_value(json_object_get(user, "id")), "u-1");
	assert_string_equal(json_string_value(json_object_get(user, "name")), "Zoë Doe");
	assert_string_equal(json_string_value(json_object_get(user, "email")), "zoe@example.org");
	assert_string_equal(json_string_value(json_object_get(user, "avatar")),
	                    "https://x.example/a.png");
	assert_string_equal(json_string_value(json_object_get(user, "affiliation")), "owner");
	assert_true(json_is_true(json_object_get(user, "moderator")));
	json_t *features = json_object_get(json_object_get(c, "context"), "features");
	assert_int_equal(json_object_size(features), 2);
	assert_true(json_is_true(json_object_get(features, "recording")));
	assert_true(json_is_false(json_object_get(features, "livestreaming")));

	assert_true(jc_verify_rsa(token, jc_pem(keys, br_keys_kid(keys)), BR_ALG_RS256));
	jc_free(&t);
	free(token);
	br_room_clear(&room);
	br_keys_free(keys);
}

static void test_algorithms(void **state)
{
	static const struct {
		enum br_jitsi_alg alg;
		const char *header;
		size_t siglen;
	} cases[] = {
	        {BR_ALG_RS256, "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"" KID_2048 "\"}", 256},
	        {BR_ALG_RS384, "{\"alg\":\"RS384\",\"typ\":\"JWT\",\"kid\":\"" KID_2048 "\"}", 256},
	        {BR_ALG_RS512, "{\"alg\":\"RS512\",\"typ\":\"JWT\",\"kid\":\"" KID_2048 "\"}", 256},
	        {BR_ALG_HS256, "{\"alg\":\"HS256\",\"typ\":\"JWT\"}", 32},
	        {BR_ALG_HS384, "{\"alg\":\"HS384\",\"typ\":\"JWT\"}", 48},
	        {BR_ALG_HS512, "{\"alg\":\"HS512\",\"typ\":\"JWT\"}", 64},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct br_config cfg;
		struct br_error err = {0};
		struct br_room room;
		struct jc_token t;
		test_config(&cfg, cases[i].alg);
		struct br_keys *keys = load(&cfg);
		assert_int_equal(br_room_parse("room", &room, &err), 0);
		char *token = br_token_build(&cfg, keys, &full_user, &member_decision, &room, NULL,
		                             NOW, &err);
		assert_non_null(token);
		assert_true(jc_parse(token, &t));
		assert_string_equal(t.header_json, cases[i].header);
		assert_int_equal(t.siglen, cases[i].siglen);
		if (i < 3) {
			assert_true(jc_verify_rsa(token, jc_pem(keys, br_keys_kid(keys)),
			                          cases[i].alg));
			/* the digest is the one alg names, not another */
			assert_false(jc_verify_rsa(token, jc_pem(keys, br_keys_kid(keys)),
			                           cases[(i + 1) % 3].alg));
		} else {
			assert_true(
			        jc_verify_hmac(token, secret, sizeof(secret) - 1, cases[i].alg));
			assert_false(jc_verify_hmac(token, secret, 32, cases[i].alg));
		}
		jc_free(&t);
		free(token);
		br_room_clear(&room);
		br_keys_free(keys);
	}
}

static void test_optional_omitted(void **state)
{
	struct br_config cfg;
	struct br_error err = {0};
	struct br_room room;
	struct jc_token t;
	struct br_user user = {.id = "only-id", .name = "", .email = NULL, .avatar = ""};

	test_config(&cfg, BR_ALG_HS256);
	struct br_keys *keys = load(&cfg);
	assert_int_equal(br_room_parse("room", &room, &err), 0);
	char *token = br_token_build(&cfg, keys, &user, &member_decision, &room, NULL, NOW, &err);
	assert_non_null(token);
	assert_true(jc_parse(token, &t));
	/* no empty strings, no features object */
	assert_non_null(strstr(t.claims_json,
	                       ",\"context\":{\"user\":{\"id\":\"only-id\",\"affiliation\":"
	                       "\"member\",\"moderator\":false}}}"));
	json_t *context = json_object_get(t.claims, "context");
	assert_int_equal(json_object_size(context), 1);
	assert_null(json_object_get(context, "features"));
	assert_int_equal(json_object_size(json_object_get(context, "user")), 3);
	jc_free(&t);
	free(token);
	br_room_clear(&room);
	br_keys_free(keys);
}

static void test_wildcard_and_tenant(void **state)
{
	struct br_config cfg;
	struct br_error err = {0};
	struct br_room room;
	struct jc_token t;

	test_config(&cfg, BR_ALG_HS256);
	struct br_keys *keys = load(&cfg);
	assert_int_equal(br_room_parse("My Room", &room, &err), 0);

	cfg.room = BR_ROOM_WILDCARD;
	char *token =
	        br_token_build(&cfg, keys, &full_user, &member_decision, NULL, NULL, NOW, &err);
	assert_non_null(token);
	assert_true(jc_parse(token, &t));
	assert_string_equal(json_string_value(json_object_get(t.claims, "room")), "*");
	jc_free(&t);
	free(token);
	token = br_token_build(&cfg, keys, &full_user, &member_decision, &room, NULL, NOW, &err);
	assert_true(jc_parse(token, &t));
	assert_string_equal(json_string_value(json_object_get(t.claims, "room")), "*");
	jc_free(&t);
	free(token);

	cfg.room = BR_ROOM_REQUESTED;
	token = br_token_build(&cfg, keys, &full_user, &member_decision, &room, "AcMe.EU", NOW,
	                       &err);
	assert_non_null(token);
	assert_true(jc_parse(token, &t));
	assert_string_equal(json_string_value(json_object_get(t.claims, "sub")), "acme.eu");
	assert_string_equal(json_string_value(json_object_get(t.claims, "room")), "my%20room");
	jc_free(&t);
	free(token);

	/* refusals */
	assert_null(
	        br_token_build(&cfg, keys, &full_user, &member_decision, &room, "a/b", NOW, &err));
	assert_int_equal(err.code, BR_E_INVALID);
	assert_string_equal(err.msg, "the tenant is not valid (1 to 63 of A-Z a-z 0-9 . _ -)");
	assert_null(
	        br_token_build(&cfg, keys, &full_user, &member_decision, NULL, NULL, NOW, &err));
	assert_string_equal(err.msg, "no room given");
	struct br_user nobody = {0};
	assert_null(br_token_build(&cfg, keys, &nobody, &member_decision, &room, NULL, NOW, &err));
	assert_string_equal(err.msg, "cannot build the token: no user id");
	struct br_user bad = {.id = "u", .name = "bad \xff utf-8"};
	assert_null(br_token_build(&cfg, keys, &bad, &member_decision, &room, NULL, NOW, &err));
	assert_string_equal(err.msg,
	                    "cannot build the token: a claim value is missing or not valid UTF-8");

	br_room_clear(&room);
	br_keys_free(keys);
}

/* One assertion per rule of Jitsi's verifier (DESIGN.md, "The Jitsi
 * token"): our token satisfies each. */
static void test_jitsi_verifier_rules(void **state)
{
	struct br_config cfg;
	struct br_error err = {0};
	struct br_room room;
	struct jc_token t;

	test_config(&cfg, BR_ALG_RS256);
	struct br_keys *keys = load(&cfg);
	assert_int_equal(br_room_parse("Team Café", &room, &err), 0);
	char *token =
	        br_token_build(&cfg, keys, &full_user, &moderator_decision, &room, NULL, NOW, &err);
	assert_non_null(token);
	assert_true(jc_parse(token, &t));
	json_t *h = t.header, *c = t.claims;

	/* typ exactly "JWT" (case-sensitive) */
	assert_string_equal(json_string_value(json_object_get(h, "typ")), "JWT");
	/* alg: the one configured, one of HS/RS 256/384/512 */
	assert_string_equal(json_string_value(json_object_get(h, "alg")), "RS256");
	/* kid required for RS*: the RFC 7638 thumbprint */
	const char *kid = json_string_value(json_object_get(h, "kid"));
	assert_non_null(kid);
	assert_string_equal(kid, KID_2048);
	/* Prosody fetches <asap_key_server>/<lowercase hex sha256(kid)>.pem: compute
	 * that path independently and check that the PEM found there verifies. */
	unsigned char md[32];
	char hex[65];
	SHA256((const unsigned char *)kid, strlen(kid), md);
	for (int i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	const char *pem = br_keys_pem_by_hash(keys, hex, NULL);
	assert_non_null(pem);
	assert_true(strncmp(pem, "-----BEGIN PUBLIC KEY-----\n", 27) == 0);
	assert_true(jc_verify_rsa(token, pem, BR_ALG_RS256));
	/* iss = app_id */
	assert_string_equal(json_string_value(json_object_get(c, "iss")), cfg.app_id);
	/* aud a string, equal to the accepted audience */
	assert_true(json_is_string(json_object_get(c, "aud")));
	assert_string_equal(json_string_value(json_object_get(c, "aud")), cfg.audience);
	/* sub present: the XMPP domain */
	assert_string_equal(json_string_value(json_object_get(c, "sub")), cfg.domain);
	/* room: getBackendSafeRoomName() of the room; Prosody lower-cases (ASCII)
	 * and compares, so the claim must survive that unchanged apart from
	 * the hex digits of escapes */
	const char *rc = json_string_value(json_object_get(c, "room"));
	assert_string_equal(rc, "team%20caf%C3%A9");
	for (const char *p = rc; *p != '\0'; p++) {
		if (*p == '%') {
			assert_true(isxdigit((unsigned char)p[1]) && isxdigit((unsigned char)p[2]));
			p += 2;
			continue;
		}
		assert_false(isupper((unsigned char)*p));
	}
	/* nbf <= now; exp > now (Jitsi: no skew on exp); iat <= now */
	assert_true(json_integer_value(json_object_get(c, "nbf")) <= NOW);
	assert_true(json_integer_value(json_object_get(c, "exp")) > NOW);
	assert_true(json_integer_value(json_object_get(c, "iat")) <= NOW);
	/* moderator via context.user (a top-level moderator claim is ignored) */
	json_t *user = json_object_get(json_object_get(c, "context"), "user");
	assert_string_equal(json_string_value(json_object_get(user, "affiliation")), "owner");
	assert_true(json_is_true(json_object_get(user, "moderator")));
	assert_null(json_object_get(c, "moderator"));
	/* context.features values are booleans */
	json_t *features = json_object_get(json_object_get(c, "context"), "features");
	const char *k;
	json_t *v;
	json_object_foreach(features, k, v) assert_true(json_is_boolean(v));

	jc_free(&t);
	free(token);
	br_room_clear(&room);
	br_keys_free(keys);
}

static void test_rotation(void **state)
{
	struct br_config cfg;
	struct br_error err = {0};
	struct br_room room;
	struct jc_token t;

	/* New key signs, old key still published. */
	test_config(&cfg, BR_ALG_RS256);
	cfg.signing_key = (char *)fx_path("keys/rsa3072.pem");
	cfg.previous_keys = (char *)fx_path("keys/rsa2048.pem");
	struct br_keys *keys = load(&cfg);
	assert_int_equal(br_room_parse("r", &room, &err), 0);
	char *token =
	        br_token_build(&cfg, keys, &full_user, &member_decision, &room, NULL, NOW, &err);
	assert_true(jc_parse(token, &t));
	assert_string_equal(json_string_value(json_object_get(t.header, "kid")),
	                    "l1QnoI-eYQm9scp0TqTuJe-X-heaC-8YhSV9knTZtto");
	assert_true(jc_verify_rsa(token, jc_pem(keys, br_keys_kid(keys)), BR_ALG_RS256));
	assert_false(jc_verify_rsa(token, jc_pem(keys, KID_2048), BR_ALG_RS256));
	assert_true(jc_jwks_kid_is(keys, 1, KID_2048));
	jc_free(&t);
	free(token);
	br_room_clear(&room);
	br_keys_free(keys);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup(test_rs256_full, setup),
	        cmocka_unit_test_setup(test_algorithms, setup),
	        cmocka_unit_test_setup(test_optional_omitted, setup),
	        cmocka_unit_test_setup(test_bypass, setup),
	        cmocka_unit_test_setup(test_wildcard_and_tenant, setup),
	        cmocka_unit_test_setup(test_jitsi_verifier_rules, setup),
	        cmocka_unit_test_setup(test_rotation, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
