/* test_discovery.c - the provider metadata document: issuer, endpoints, algs. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bridge/discovery.h"
#include "bridge/jose.h"

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
	         BR_JOSE_RS256},
	        {"https://idp/",
	         "{\"issuer\":\"https://idp/\"," GOOD_ENDPOINTS
	         ",\"id_token_signing_alg_values_supported\":[\"none\",\"HS256\",\"RS256\","
	         "\"ES256\"]}",
	         NULL, NULL, BR_JOSE_RS256 | BR_JOSE_ES256},
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
	         "PS256 ES384", NULL, BR_JOSE_PS256 | BR_JOSE_ES384},
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
	assert_int_equal(m->id_token_algs, BR_JOSE_RS256);
	assert_null(m->userinfo_endpoint);
	br_provider_meta_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_url),
	        cmocka_unit_test(test_parse),
	        cmocka_unit_test(test_from_config),
	};
	return cmocka_run_group_tests_name("discovery", tests, NULL, NULL);
}
