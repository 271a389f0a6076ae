/* test_oidc.c - parsers of the login flow: the token
 * endpoint's answer, and the form encoding of client credentials. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bridge/http_client.h"
#include "bridge/oidc.h"

/* /login's room and tenant: the tenant is lower-cased before it is sealed,
 * so that a rule `tenant != "sales" or inGroup("sales")` sees what the
 * token's sub will carry (a tenant of SALES once bypassed it). */
static void test_login_target(void **state)
{
	static const struct {
		const char *room_q, *tenant_q, *state_q;
		const char *room, *tenant, *err;
	} cases[] = {
	        {"Team Room", "SALES", NULL, "Team Room", "sales", NULL},
	        {"x", "Sales", NULL, "x", "sales", NULL},
	        {"x", "sales", NULL, "x", "sales", NULL},
	        {"x", NULL, NULL, "x", NULL, NULL},
	        {"x", "", NULL, "x", NULL, NULL},
	        {NULL, NULL, "{\"room\":\"Board\",\"tenant\":\"SaLeS\"}", "Board", "sales", NULL},
	        {"q", NULL, "{\"room\":\"Board\",\"tenant\":\"ACME\"}", "q", "acme", NULL},
	        {"q", "Other", "{\"room\":\"Board\",\"tenant\":\"ACME\"}", "q", "other", NULL},
	        {NULL, NULL, NULL, NULL, NULL, "no room name was given"},
	        {"x", "a/b", NULL, NULL, NULL, "the tenant name is not valid"},
	        {"x", NULL, "{\"tenant\":\"..\"}", NULL, NULL, "the tenant name is not valid"},
	        {"a/b", NULL, NULL, NULL, NULL, NULL},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct br_error err = {0};
		char *room = (char *)"unset", *tenant = (char *)"unset";
		struct br_jitsi_state js;
		int rc = br_oidc_login_target(cases[i].room_q, cases[i].tenant_q, cases[i].state_q,
		                              &room, &tenant, &js, &err);
		assert_null(js.room);
		assert_null(js.tenant);
		br_jitsi_state_clear(&js);
		if (cases[i].room == NULL) {
			if (rc != -1)
				fail_msg("case %zu: accepted", i);
			assert_int_equal(err.code, BR_E_INVALID);
			if (cases[i].err)
				assert_string_equal(err.msg, cases[i].err);
			assert_null(room);
			assert_null(tenant);
			continue;
		}
		if (rc != 0)
			fail_msg("case %zu: %s", i, err.msg);
		assert_string_equal(room, cases[i].room);
		if (cases[i].tenant)
			assert_string_equal(tenant, cases[i].tenant);
		else
			assert_null(tenant);
		free(room);
		free(tenant);
	}
}

/* The rest of Jitsi's state comes out of /login's target as well. */
static void test_login_target_state(void **state)
{
	struct br_error err = {0};
	struct br_jitsi_state js;
	char *room, *tenant;

	assert_int_equal(
	        br_oidc_login_target(NULL, NULL,
	                             "{\"room\":\"R\",\"tenant\":\"ACME\",\"android\":true,"
	                             "\"config.prejoinConfig.enabled\":false}",
	                             &room, &tenant, &js, &err),
	        0);
	assert_string_equal(room, "R");
	assert_string_equal(tenant, "acme");
	assert_int_equal(js.app, BR_JITSI_ANDROID);
	assert_string_equal(js.overrides, "config.prejoinConfig.enabled=false");
	free(room);
	free(tenant);
	br_jitsi_state_clear(&js);
	/* a bad room after a good state: the state is still the caller's to clear */
	assert_int_equal(br_oidc_login_target("a/b", NULL, "{\"config.a\":1,\"ios\":true}", &room,
	                                      &tenant, &js, &err),
	                 -1);
	assert_int_equal(js.app, BR_JITSI_IOS);
	br_jitsi_state_clear(&js);
	assert_int_equal(br_oidc_login_target("x", NULL, NULL, &room, &tenant, &js, &err), 0);
	assert_int_equal(js.app, BR_JITSI_BROWSER);
	assert_null(js.overrides);
	free(room);
	free(tenant);
}

static void test_token_response(void **state)
{
	static const struct {
		long status;
		const char *ct, *body, *err, *id_token, *access_token;
	} cases[] = {
	        {200, "application/json",
	         "{\"access_token\":\"AT\",\"id_token\":\"a.b.c\",\"token_type\":\"Bearer\"}", NULL,
	         "a.b.c", "AT"},
	        {200, "application/json", "{\"id_token\":\"a.b.c\",\"token_type\":\"bearer\"}",
	         NULL, "a.b.c", NULL},
	        {200, "application/json", "{\"access_token\":\"AT\",\"token_type\":\"Bearer\"}",
	         "the token endpoint sent no id_token", NULL, NULL},
	        {200, "application/json", "{\"id_token\":\"a.b.c\",\"token_type\":\"mac\"}",
	         "the token endpoint's token_type is not Bearer", NULL, NULL},
	        {200, "application/json", "{\"id_token\":7,\"token_type\":\"Bearer\"}",
	         "the token endpoint sent no id_token", NULL, NULL},
	        {200, "text/html", "<html>hello</html>",
	         "the token endpoint did not answer with JSON", NULL, NULL},
	        {200, NULL, "{}", "the token endpoint did not answer with JSON", NULL, NULL},
	        {200, "application/json", "garbage",
	         "the token endpoint's answer is not a JSON object", NULL, NULL},
	        {200, "application/json",
	         "{\"id_token\":\"a\",\"id_token\":\"b\",\"token_type\":\"Bearer\"}",
	         "the token endpoint's answer is not a JSON object", NULL, NULL},
	        {400, "application/json", "{\"error\":\"invalid_grant\"}",
	         "the token endpoint refused the code (HTTP 400, invalid_grant)", NULL, NULL},
	        {401, "application/json", "{\"error\":\"invalid_client\"}",
	         "the token endpoint refused the code (HTTP 401, invalid_client)", NULL, NULL},
	        {500, "text/html", "<h1>oops</h1>", "the token endpoint answered HTTP 500", NULL,
	         NULL},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *id = NULL, *at = NULL;
		struct br_error err = {0};
		int rc = br_oidc_parse_token_response(cases[i].status, cases[i].ct, cases[i].body,
		                                      strlen(cases[i].body), &id, &at, &err);
		if (cases[i].err) {
			if (rc != -1)
				fail_msg("case %zu accepted", i);
			assert_string_equal(err.msg, cases[i].err);
			assert_null(id);
			assert_null(at);
			continue;
		}
		assert_int_equal(rc, 0);
		assert_string_equal(id, cases[i].id_token);
		if (cases[i].access_token)
			assert_string_equal(at, cases[i].access_token);
		else
			assert_null(at);
		free(id);
		free(at);
	}
}

/* The refresh grant's answer: the id_token may be absent (then an
 * access_token is needed, for userinfo); a refresh_token is kept. */
static void test_tokens_refresh(void **state)
{
	static const struct {
		bool refresh;
		long status;
		const char *body, *err, *id, *at, *rt;
	} cases[] = {
	        {true, 200, "{\"access_token\":\"AT\",\"token_type\":\"Bearer\"}", NULL, NULL, "AT",
	         NULL},
	        {true, 200,
	         "{\"access_token\":\"AT\",\"id_token\":\"a.b.c\",\"refresh_token\":\"RT2\","
	         "\"token_type\":\"Bearer\"}",
	         NULL, "a.b.c", "AT", "RT2"},
	        {false, 200,
	         "{\"access_token\":\"AT\",\"id_token\":\"a.b.c\",\"refresh_token\":\"RT\","
	         "\"token_type\":\"Bearer\"}",
	         NULL, "a.b.c", "AT", "RT"},
	        {true, 200, "{\"token_type\":\"Bearer\"}",
	         "the token endpoint sent neither an id_token nor an access_token", NULL, NULL,
	         NULL},
	        {true, 200, "{\"id_token\":\"\",\"access_token\":\"AT\",\"token_type\":\"Bearer\"}",
	         "the token endpoint sent no id_token", NULL, NULL, NULL},
	        {false, 200, "{\"access_token\":\"AT\",\"token_type\":\"Bearer\"}",
	         "the token endpoint sent no id_token", NULL, NULL, NULL},
	        {true, 400, "{\"error\":\"invalid_grant\"}",
	         "the token endpoint refused the refresh token (HTTP 400, invalid_grant)", NULL,
	         NULL, NULL},
	        /* an empty refresh_token is none */
	        {true, 200,
	         "{\"access_token\":\"AT\",\"refresh_token\":\"\",\"token_type\":\"bearer\"}", NULL,
	         NULL, "AT", NULL},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct br_oidc_tokens t;
		struct br_error err = {0};
		int rc = br_oidc_parse_tokens(cases[i].status, "application/json", cases[i].body,
		                              strlen(cases[i].body), cases[i].refresh, &t, &err);
		if (cases[i].err) {
			if (rc != -1)
				fail_msg("case %zu accepted", i);
			assert_string_equal(err.msg, cases[i].err);
			assert_null(t.id_token);
			assert_null(t.access_token);
			assert_null(t.refresh_token);
			continue;
		}
		if (rc != 0)
			fail_msg("case %zu: %s", i, err.msg);
#define EQ(a, b) ((b) == NULL ? assert_null(a) : assert_string_equal(a, b))
		EQ(t.id_token, cases[i].id);
		EQ(t.access_token, cases[i].at);
		EQ(t.refresh_token, cases[i].rt);
#undef EQ
		br_oidc_tokens_clear(&t);
		assert_null(t.refresh_token);
	}
}

static void test_form_encode(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
	        {"jitsi", "jitsi"}, {"a b", "a+b"},  {"s:e%c+r", "s%3Ae%25c%2Br"},
	        {"~._-", "~._-"},   {"é", "%C3%A9"}, {"&=?#/", "%26%3D%3F%23%2F"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *e = br_http_form_encode(cases[i].in);
		assert_string_equal(e, cases[i].out);
		free(e);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_login_target),   cmocka_unit_test(test_login_target_state),
	        cmocka_unit_test(test_token_response), cmocka_unit_test(test_tokens_refresh),
	        cmocka_unit_test(test_form_encode),
	};
	return cmocka_run_group_tests_name("oidc", tests, NULL, NULL);
}
