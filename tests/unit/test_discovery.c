/* test_discovery.c - the provider metadata document: issuer, endpoints, algs. */
#include "config.h"

#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bridge/discovery.h"
#include "bridge/jwa.h"

#define GOOD_ENDPOINTS                                                                             \
	"\"authorization_endpoint\":\"https://idp/auth\",\"token_endpoint\":\"https://idp/"        \
	"token\","                                                                                 \
	"\"jwks_uri\":\"https://idp/jwks\""

static void test_url(void **state)
{
	static const struct {
		const char *issuer, *want;
	} cases[] = {
	        {"https://idp/realms/a", "https://idp/realms/a/.well-known/openid-configuration"},
	        {"https://idp/realms/a/", "https://idp/realms/a/.well-known/openid-configuration"},
	        {"http://127.0.0.1:8801/",
	         "http://127.0.0.1:8801/.well-known/openid-configuration"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *u = br_discovery_url(cases[i].issuer);
		assert_string_equal(u, cases[i].want);
		free(u);
	}
}

static void test_parse(void **state)
{
	static const struct {
		const char *issuer;
		const char *doc;
		const char *algs_cfg;
		const char *err; /* NULL: success */
		unsigned algs;
	} cases[] = {
	        {"https://idp/", "{\"issuer\":\"https://idp/\"," GOOD_ENDPOINTS "}", NULL, NULL,
	         BR_JWA_RS256},
	        {"https://idp/",
	         "{\"issuer\":\"https://idp/\"," GOOD_ENDPOINTS
	         ",\"id_token_signing_alg_values_supported\":[\"none\",\"HS256\",\"RS256\","
	         "\"ES256\"]}",
	         NULL, NULL, BR_JWA_RS256 | BR_JWA_ES256},
	        {"https://idp/",
	         "{\"issuer\":\"https://idp/\"," GOOD_ENDPOINTS
	         ",\"id_token_signing_alg_values_supported\":[\"none\",\"HS256\"]}",
	         NULL,
	         "the provider signs ID tokens with no algorithm the bridge accepts (RS, PS or ES "
	         "256/384/512; never none or HS*)",
	         0},
	        {"https://idp/",
	         "{\"issuer\":\"https://idp/\"," GOOD_ENDPOINTS
	         ",\"id_token_signing_alg_values_supported\":[\"RS256\"]}",
	         "PS256 ES384", NULL, BR_JWA_PS256 | BR_JWA_ES384},
	        {"https://idp/", "{\"issuer\":\"https://idp/\"," GOOD_ENDPOINTS "}", "HS256",
	         "[provider] id_token_algs: ID token algorithm \"HS256\" is not allowed (use RS, "
	         "PS "
	         "or ES 256/384/512)",
	         0},
	        {"https://idp/", "{\"issuer\":\"https://idp\"," GOOD_ENDPOINTS "}", NULL,
	         "the discovery document's issuer \"https://idp\" is not the configured issuer "
	         "\"https://idp/\" (they must match exactly, trailing '/' included)",
	         0},
	        {"https://idp/", "{\"issuer\":\"https://evil/\"," GOOD_ENDPOINTS "}", NULL,
	         "the discovery document's issuer \"https://evil/\" is not the configured issuer "
	         "\"https://idp/\" (they must match exactly, trailing '/' included)",
	         0},
	        {"https://idp/", "{" GOOD_ENDPOINTS "}", NULL,
	         "the discovery document has no \"issuer\"", 0},
	        {"https://idp/", "[1,2]", NULL, "the discovery document is not a JSON object", 0},
	        {"https://idp/", "<html>", NULL, "the discovery document is not a JSON object", 0},
	        {"https://idp/", "{\"issuer\":\"https://idp/\",\"issuer\":\"https://idp/\"}", NULL,
	         "the discovery document is not a JSON object", 0},
	        {"https://idp/",
	         "{\"issuer\":\"https://idp/\",\"token_endpoint\":\"https://idp/t\",\"jwks_uri\":"
	         "\"https://idp/j\"}",
	         NULL, "the discovery document has no \"authorization_endpoint\"", 0},
	        {"https://idp/",
	         "{\"issuer\":\"https://idp/\",\"authorization_endpoint\":\"https://idp/a\","
	         "\"token_endpoint\":\"ftp://idp/t\",\"jwks_uri\":\"https://idp/j\"}",
	         NULL, "the discovery document's \"token_endpoint\" is not an http(s) URL", 0},
	        {"https://idp/",
	         "{\"issuer\":\"https://idp/\"," GOOD_ENDPOINTS ",\"userinfo_endpoint\":42}", NULL,
	         "the discovery document's \"userinfo_endpoint\" is not an http(s) URL", 0},
	        {"https://idp/",
	         "{\"issuer\":\"https://idp/\"," GOOD_ENDPOINTS
	         ",\"id_token_signing_alg_values_supported\":\"RS256\"}",
	         NULL,
	         "the discovery document's \"id_token_signing_alg_values_supported\" is not an "
	         "array",
	         0},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct br_config cfg = {0};
		struct br_error err = {0};
		struct br_provider_meta *m;
		char algs[32];

		cfg.issuer = (char *)cases[i].issuer;
		if (cases[i].algs_cfg) {
			snprintf(algs, sizeof(algs), "%s", cases[i].algs_cfg);
			cfg.id_token_algs = algs;
		}
		m = br_discovery_parse(cases[i].doc, strlen(cases[i].doc), &cfg, &err);
		if (cases[i].err == NULL) {
			if (m == NULL)
				fail_msg("case %zu: %s", i, err.msg);
			assert_int_equal(m->id_token_algs, cases[i].algs);
			assert_string_equal(m->token_endpoint, "https://idp/token");
			br_provider_meta_free(m);
		} else {
			if (m != NULL)
				fail_msg("case %zu: accepted", i);
			assert_string_equal(err.msg, cases[i].err);
		}
	}
}

static void test_from_config(void **state)
{
	struct br_config cfg = {0};
	struct br_error err = {0};
	struct br_provider_meta *m;

	cfg.issuer = "https://idp/";
	cfg.authorization_endpoint = "https://idp/a";
	cfg.token_endpoint = "https://idp/t";
	cfg.jwks_uri = "https://idp/j";
	m = br_discovery_from_config(&cfg, &err);
	assert_non_null(m);
	assert_int_equal(m->id_token_algs, BR_JWA_RS256);
	assert_null(m->userinfo_endpoint);
	br_provider_meta_free(m);
}

/* An https issuer: every endpoint https too, plain http only for a loopback
 * IP literal; an http issuer may name http endpoints. */
static void test_transport(void **state)
{
	static const char *const keys[] = {"authorization_endpoint", "token_endpoint", "jwks_uri",
	                                   "userinfo_endpoint", "end_session_endpoint"};
	static const struct {
		const char *issuer, *url;
		bool ok;
	} cases[] = {
	        {"https://idp", "http://idp/x", false},
	        {"https://idp", "http://127.sso.example.org/x", false},
	        {"https://idp", "http://localhost:8080/x", false},
	        {"https://idp", "http://127.0.0.1.nip.io/x", false},
	        {"https://idp", "http://[::2]/x", false},
	        {"https://idp", "http://127.0.0.1:8080/x", true},
	        {"https://idp", "http://127.9.8.7/x", true},
	        {"https://idp", "http://[::1]:8080/x", true},
	        {"https://idp", "https://idp/x", true},
	        {"http://idp", "http://idp/x", true},
	};
	char doc[2048], want[512];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
			struct br_config cfg = {0};
			struct br_error err = {0};
			struct br_provider_meta *m;
			int n = snprintf(doc, sizeof(doc), "{\"issuer\":\"%s\"", cases[i].issuer);
			for (size_t j = 0; j < sizeof(keys) / sizeof(keys[0]); j++)
				n += snprintf(doc + n, sizeof(doc) - (size_t)n, ",\"%s\":\"%s\"",
				              keys[j], j == k ? cases[i].url : "https://idp/e");
			snprintf(doc + n, sizeof(doc) - (size_t)n, "}");
			cfg.issuer = (char *)cases[i].issuer;
			m = br_discovery_parse(doc, strlen(doc), &cfg, &err);
			if (cases[i].ok) {
				if (m == NULL)
					fail_msg("%s %s: %s", keys[k], cases[i].url, err.msg);
				br_provider_meta_free(m);
				continue;
			}
			if (m != NULL)
				fail_msg("%s %s: accepted", keys[k], cases[i].url);
			snprintf(want, sizeof(want),
			         "the provider's \"%s\" is plain http (%s) while the issuer is "
			         "https: refusing it (the client secret and the keys would travel "
			         "in clear)",
			         keys[k], cases[i].url);
			assert_string_equal(err.msg, want);
		}
	}
}

/* Every endpoint set in the config wins over the discovered one, and a
 * document may lack an endpoint the config gives. */
static void test_overrides(void **state)
{
	static const char doc[] = "{\"issuer\":\"https://idp\","
	                          "\"authorization_endpoint\":\"https://idp/a\","
	                          "\"token_endpoint\":\"https://idp/t\","
	                          "\"userinfo_endpoint\":\"https://idp/u\","
	                          "\"end_session_endpoint\":\"https://idp/e\"}";
	struct br_config cfg = {0};
	struct br_error err = {0};
	struct br_provider_meta *m;

	cfg.issuer = "https://idp";
	cfg.jwks_uri = "https://keys.example/j";
	m = br_discovery_parse(doc, strlen(doc), &cfg, &err);
	if (m == NULL)
		fail_msg("%s", err.msg);
	assert_string_equal(m->jwks_uri, "https://keys.example/j");
	assert_string_equal(m->token_endpoint, "https://idp/t");
	assert_string_equal(m->userinfo_endpoint, "https://idp/u");
	br_provider_meta_free(m);

	cfg.authorization_endpoint = "https://o.example/a";
	cfg.token_endpoint = "https://o.example/t";
	cfg.userinfo_endpoint = "https://o.example/u";
	cfg.end_session_endpoint = "https://o.example/e";
	m = br_discovery_parse(doc, strlen(doc), &cfg, &err);
	if (m == NULL)
		fail_msg("%s", err.msg);
	assert_string_equal(m->authorization_endpoint, "https://o.example/a");
	assert_string_equal(m->token_endpoint, "https://o.example/t");
	assert_string_equal(m->userinfo_endpoint, "https://o.example/u");
	assert_string_equal(m->jwks_uri, "https://keys.example/j");
	assert_string_equal(m->end_session_endpoint, "https://o.example/e");
	br_provider_meta_free(m);

	/* the overridden endpoint is not read: an http one does no harm */
	static const char doc2[] = "{\"issuer\":\"https://idp\","
	                           "\"authorization_endpoint\":\"https://idp/a\","
	                           "\"token_endpoint\":\"http://idp/t\","
	                           "\"jwks_uri\":\"https://idp/j\"}";
	cfg.authorization_endpoint = cfg.userinfo_endpoint = cfg.end_session_endpoint = NULL;
	cfg.jwks_uri = NULL;
	m = br_discovery_parse(doc2, strlen(doc2), &cfg, &err);
	if (m == NULL)
		fail_msg("%s", err.msg);
	assert_string_equal(m->token_endpoint, "https://o.example/t");
	br_provider_meta_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_url),         cmocka_unit_test(test_parse),
	        cmocka_unit_test(test_from_config), cmocka_unit_test(test_transport),
	        cmocka_unit_test(test_overrides),
	};
	return cmocka_run_group_tests_name("discovery", tests, NULL, NULL);
}
