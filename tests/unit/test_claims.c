/* test_claims.c - claim paths and the [claims] mapping on real IdP shapes. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bridge/claims.h"

#include "fixtures.h"

static json_t *parse(const char *text)
{
	json_error_t jerr;
	json_t *j = json_loads(text, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerr);
	if (j == NULL)
		fail_msg("bad test JSON: %s: %s", text, jerr.text);
	return j;
}

static const char BAD[] = "malformed";

static void test_lookup(void **state)
{
	static const char doc[] =
	        "{\"sub\":\"u1\",\"realm_access\":{\"roles\":[\"a\",\"b\"]},"
	        "\"resource_access\":{\"jitsi\":{\"roles\":[\"recorder\"]}},"
	        "\"https://example.org/groups\":[\"g\"],\"x.y\":{\"roles\":\"r\"},"
	        "\"n\":null,\"o\":{\"n\":null,\"k\":1},\"zoë\":\"z\",\"a b\":2,"
	        "\"q\\\"q\":3,\"claims\":{\"x\":4},\"$id\":5,\"dash-ed\":6}";
	static const struct {
		const char *path;
		const char *want; /* compact JSON, NULL when absent, BAD when malformed */
	} cases[] = {
	        {"sub", "\"u1\""},
	        {"realm_access.roles", "[\"a\",\"b\"]"},
	        {"resource_access.jitsi.roles", "[\"recorder\"]"},
	        {"resource_access.jitsi", "{\"roles\":[\"recorder\"]}"},
	        {"claims[\"https://example.org/groups\"]", "[\"g\"]"},
	        {"claims['https://example.org/groups']", "[\"g\"]"},
	        {"claims[\"x.y\"].roles", "\"r\""},
	        {"claims[\"x.y\"][\"roles\"]", "\"r\""},
	        {"claims[\"x.y\"].[\"roles\"]", "\"r\""},
	        {"resource_access[\"jitsi\"].roles", "[\"recorder\"]"},
	        {"claims[\"a b\"]", "2"},
	        {"claims[\"q\\\"q\"]", "3"},
	        {"claims.x", "4"},
	        {"zoë", "\"z\""},
	        {"$id", "5"},
	        {"dash-ed", "6"},
	        {"o.k", "1"},
	        {"n", NULL},
	        {"o.n", NULL},
	        {"sub.x", NULL},
	        {"realm_access.roles.x", NULL},
	        {"missing", NULL},
	        {"x.y", NULL},
	        {"", BAD},
	        {".sub", BAD},
	        {"sub.", BAD},
	        {"sub..x", BAD},
	        {"sub x", BAD},
	        {"1sub", BAD},
	        {"claims[sub]", BAD},
	        {"claims[\"sub\"", BAD},
	        {"claims[\"sub]", BAD},
	        {"claims[\"\"]", BAD},
	        {"claims[\"s\\qb\"]", BAD},
	};
	json_t *claims = parse(doc);

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *path = cases[i].path;
		struct br_claim_path p;
		size_t used = 0, epos;
		/* As the mapping and the rules read a path: parsed, then walked. */
		int rc = br_claims_path_parse(path, strlen(path), &used, &p, &epos, NULL);
		if (rc == 0 && used != strlen(path)) {
			br_claims_path_clear(&p);
			rc = -1;
		}
		if (cases[i].want == BAD) {
			if (rc == 0)
				fail_msg("case %zu (%s): parsed, want malformed", i, path);
			continue;
		}
		if (rc != 0)
			fail_msg("case %zu (%s): malformed", i, path);
		const json_t *v = br_claims_path_get(claims, &p);
		br_claims_path_clear(&p);
		if (cases[i].want == NULL) {
			if (v != NULL)
				fail_msg("case %zu (%s): want absent", i, path);
			continue;
		}
		if (v == NULL)
			fail_msg("case %zu (%s): absent, want %s", i, path, cases[i].want);
		char *got = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
		if (strcmp(got, cases[i].want) != 0)
			fail_msg("case %zu (%s): got %s want %s", i, path, got, cases[i].want);
		free(got);
	}
	assert_null(br_claims_path_get(NULL, &(struct br_claim_path){0}));
	json_decref(claims);
}

static void test_path_parse_errors(void **state)
{
	static const struct {
		const char *text;
		size_t used;   /* when ok */
		size_t errpos; /* when not */
		const char *msg;
	} cases[] = {
	        {"a.b == 1", 3, 0, NULL},
	        {"claims[\"x\"].y)", 13, 0, NULL},
	        {"a.", 0, 2, "expected a claim name after '.'"},
	        {"claims[x]", 0, 7, "expected a quoted claim name after '['"},
	        {"claims[\"x\"", 0, 10, "expected ']' after the claim name"},
	        {"claims[\"x", 0, 7, "unterminated string"},
	        {"a[\"\\z\"]", 0, 3, "unknown escape in string (use \\\\ \\\" \\' \\n or \\t)"},
	        {"(", 0, 0, "expected a claim name"},
	        {"a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.x.y.z.A.B.C.D.E.F.G", 0, 64,
	         "claim path too long (more than 32 parts)"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct br_claim_path path;
		struct br_error err = {0};
		size_t used = 0, errpos = 99;
		int rc = br_claims_path_parse(cases[i].text, strlen(cases[i].text), &used, &path,
		                              &errpos, &err);
		if (cases[i].msg == NULL) {
			assert_int_equal(rc, 0);
			assert_int_equal(used, cases[i].used);
			br_claims_path_clear(&path);
		} else {
			if (rc != -1)
				fail_msg("case %zu: parsed", i);
			assert_string_equal(err.msg, cases[i].msg);
			assert_int_equal(errpos, cases[i].errpos);
			assert_int_equal(path.n, 0);
		}
	}
}

static void test_paths_check(void **state)
{
	static const struct {
		const char *list;
		const char *msg; /* NULL when valid */
	} cases[] = {
	        {NULL, NULL},
	        {"", NULL},
	        {"name preferred_username", NULL},
	        {"claims[\"a b\"] sub", NULL},
	        {"  sub\t oid ", NULL},
	        {"claims['x y'].z resource_access.jitsi.roles", NULL},
	        {"sub a..b", "claim path \"a..b\" at column 3: expected a claim name after '.'"},
	        {"name claims[\"x\"",
	         "claim path \"claims[\"x\"\" at column 11: expected ']' after the claim name"},
	        {"a=b", "claim path \"a=b\" at column 2: unexpected '=' (write claims[\"...\"] for "
	                "a name holding it)"},
	        {"https://x/groups",
	         "claim path \"https://x/groups\" at column 6: unexpected ':' (write "
	         "claims[\"...\"] for a name holding it)"},
	        {"1sub", "claim path \"1sub\" at column 1: expected a claim name"},
	        {"zoë.x.", "claim path \"zoë.x.\" at column 7: expected a claim name after '.'"},
	        {"claims[\"\\q\"]",
	         "claim path \"claims[\"\\q\"]\" at column 9: unknown escape in string (use \\\\ "
	         "\\\" \\' \\n or \\t)"},
	        {"sub claims[\"x y",
	         "claim path \"claims[\"x y\" at column 8: unterminated string"},
	        {"a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.x.y.z.A.B.C.D.E.F.G",
	         "claim path "
	         "\"a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.x.y.z.A.B.C.D.E.F....\" "
	         "at column 65: claim path too long (more than 32 parts)"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct br_error err = {0};
		int rc = br_claims_paths_check(cases[i].list, &err);
		if (cases[i].msg == NULL) {
			if (rc != 0)
				fail_msg("case %zu (%s): %s", i, cases[i].list, err.msg);
			continue;
		}
		if (rc != -1)
			fail_msg("case %zu (%s): accepted", i, cases[i].list);
		assert_int_equal(err.code, BR_E_CONFIG);
		assert_string_equal(err.msg, cases[i].msg);
	}
	/* err may be NULL. */
	assert_int_equal(br_claims_paths_check("a..b", NULL), -1);
}

static void expect_groups(const struct br_user *u, const char *const *want, size_t n)
{
	if (u->n_groups != n)
		fail_msg("got %zu groups, want %zu", u->n_groups, n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(u->groups[i], want[i]);
}

static void test_map_keycloak(void **state)
{
	struct br_config cfg;
	struct br_user u;
	struct br_error err = {0};
	json_t *claims = fx_json(fx_path("claims/%s", "keycloak-id-token.json"));
	static const char *const groups[] = {"/jitsi-meet", "/staff/jitsi-moderators"};
	static const char *const roles[] = {"offline_access", "uma_authorization",
	                                    "default-roles-acme", "admin"};
	static const char *const client_roles[] = {"recorder"};

	fx_claims_cfg(&cfg, "test.conf");
	assert_int_equal(br_claims_map(&cfg.claims, claims, &u, &err), 0);
	assert_string_equal(u.id, "f3b2c1d0-5e6f-4a7b-8c9d-0e1f2a3b4c5d");
	assert_string_equal(u.name, "Zoë Ångström");
	assert_string_equal(u.email, "zoe@example.org");
	assert_null(u.avatar);
	expect_groups(&u, groups, 2);
	br_user_clear(&u);
	assert_null(u.id);
	assert_int_equal(u.n_groups, 0);

	cfg.claims.name = "preferred_username name";
	cfg.claims.groups = "realm_access.roles";
	assert_int_equal(br_claims_map(&cfg.claims, claims, &u, &err), 0);
	assert_string_equal(u.name, "zoe");
	expect_groups(&u, roles, 4);
	br_user_clear(&u);

	cfg.claims.groups = "resource_access.jitsi.roles groups";
	assert_int_equal(br_claims_map(&cfg.claims, claims, &u, &err), 0);
	expect_groups(&u, client_roles, 1);
	br_user_clear(&u);

	/* First present wins: no merging with the fallback. */
	cfg.claims.groups = "missing groups realm_access.roles";
	assert_int_equal(br_claims_map(&cfg.claims, claims, &u, &err), 0);
	expect_groups(&u, groups, 2);
	br_user_clear(&u);
	/* Keycloak sends no picture unless the user has one. */
	assert_true(br_claims_incomplete(&cfg.claims, claims));
	cfg.claims.avatar = NULL;
	assert_false(br_claims_incomplete(&cfg.claims, claims));
	json_decref(claims);

	/* Userinfo has no realm roles. */
	claims = fx_json(fx_path("claims/%s", "keycloak-userinfo.json"));
	cfg.claims.groups = "realm_access.roles";
	assert_true(br_claims_incomplete(&cfg.claims, claims));
	assert_int_equal(br_claims_map(&cfg.claims, claims, &u, &err), 0);
	assert_int_equal(u.n_groups, 0);
	assert_null(u.groups);
	br_user_clear(&u);
	json_decref(claims);
}

static void test_map_lemonldap(void **state)
{
	struct br_config cfg;
	struct br_user u;
	struct br_error err = {0};
	json_t *claims = fx_json(fx_path("claims/%s", "lemonldap-id-token.json"));
	static const char *const groups[] = {"jitsi-meet", "jitsi-moderators", "timelords"};

	fx_claims_cfg(&cfg, "test.conf");
	assert_int_equal(br_claims_map(&cfg.claims, claims, &u, &err), 0);
	assert_string_equal(u.id, "dwho");
	assert_string_equal(u.name, "Doctor Who");
	assert_string_equal(u.email, "dwho@badwolf.org");
	expect_groups(&u, groups, 3);
	br_user_clear(&u);
	/* No picture claim: userinfo may have one. */
	assert_true(br_claims_incomplete(&cfg.claims, claims));
	cfg.claims.avatar = NULL;
	assert_false(br_claims_incomplete(&cfg.claims, claims));
	cfg.claims.avatar = "  ";
	assert_false(br_claims_incomplete(&cfg.claims, claims));
	json_decref(claims);
}

static void test_map_authentik(void **state)
{
	struct br_config cfg;
	struct br_user u;
	struct br_error err = {0};
	json_t *claims = fx_json(fx_path("claims/%s", "authentik-id-token.json"));
	static const char *const groups[] = {"authentik Admins", "jitsi-meet"};

	fx_claims_cfg(&cfg, "test.conf");
	cfg.claims.name = "nickname name";
	assert_int_equal(br_claims_map(&cfg.claims, claims, &u, &err), 0);
	assert_string_equal(u.id,
	                    "8c1e9d2f0a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5");
	assert_string_equal(u.name, "ada");
	assert_string_equal(u.email, "ada@example.org");
	/* Names with spaces stay whole when the claim is an array. */
	expect_groups(&u, groups, 2);
	br_user_clear(&u);
	json_decref(claims);
}

static void test_map_azure(void **state)
{
	struct br_config cfg;
	struct br_user u;
	struct br_error err = {0};
	json_t *claims = fx_json(fx_path("claims/%s", "azure-id-token.json"));
	static const char *const roles[] = {"Jitsi.Moderator"};

	fx_claims_cfg(&cfg, "test.conf");
	cfg.claims.id = "oid sub";
	cfg.claims.email = "upn email preferred_username";
	cfg.claims.groups = "roles";
	assert_int_equal(br_claims_map(&cfg.claims, claims, &u, &err), 0);
	assert_string_equal(u.id, "00000000-0000-0000-66f3-3332eca7ea81");
	assert_string_equal(u.name, "Grace Hopper");
	assert_string_equal(u.email, "grace@contoso.com");
	expect_groups(&u, roles, 1);
	br_user_clear(&u);

	cfg.claims.id = "upn";
	assert_int_equal(br_claims_map(&cfg.claims, claims, &u, &err), -1);
	assert_int_equal(err.code, BR_E_PROTOCOL);
	assert_string_equal(err.msg, "the identity provider sent no \"upn\" claim for the user id");
	assert_null(u.id);
	assert_null(u.name);
	json_decref(claims);
}

/* Odd shapes: each case maps one document with id = "sub" and the given
 * path lists for name and groups. */
static void test_map_odd_shapes(void **state)
{
	static const struct {
		const char *doc;
		const char *name_paths;
		const char *want_id;   /* NULL: mapping fails */
		const char *want_name; /* NULL: absent */
		const char *groups;    /* groups joined with '|', NULL: none */
	} cases[] = {
	        {"{\"sub\":42}", "name", "42", NULL, NULL},
	        {"{\"sub\":-7}", "name", "-7", NULL, NULL},
	        {"{\"sub\":1.5}", "name", "1.5", NULL, NULL},
	        {"{\"sub\":42.0}", "name", "42", NULL, NULL},
	        {"{\"sub\":0.1}", "name", "0.1", NULL, NULL},
	        {"{\"sub\":1e300}", "name", "1e+300", NULL, NULL},
	        {"{\"sub\":true}", "name", "true", NULL, NULL},
	        {"{\"sub\":\"u\",\"name\":false}", "name", "u", "false", NULL},
	        {"{\"sub\":null}", "name", NULL, NULL, NULL},
	        {"{\"sub\":{}}", "name", NULL, NULL, NULL},
	        {"{\"sub\":[\"a\"]}", "name", NULL, NULL, NULL},
	        {"{\"sub\":\"a\\u0000b\"}", "name", NULL, NULL, NULL},
	        {"{}", "name", NULL, NULL, NULL},
	        {"{\"sub\":\"\"}", "name", NULL, NULL, NULL},
	        {"{\"sub\":\"u\",\"name\":{\"x\":1},\"pu\":\"p\"}", "name pu", "u", "p", NULL},
	        {"{\"sub\":\"u\",\"name\":null,\"pu\":\"p\"}", "name pu", "u", "p", NULL},
	        {"{\"sub\":\"u\",\"name\":[\"n\"]}", "name", "u", NULL, NULL},
	        {"{\"sub\":\"u\",\"name\":\"\"}", "name pu", "u", "", NULL},
	        {"{\"sub\":\"u\",\"name\":\"日本語 ñ\"}", "name", "u", "日本語 ñ", NULL},
	        {"{\"sub\":\"u\",\"a\":{\"b\":{\"c\":\"deep\"}}}", "a.b.c", "u", "deep", NULL},
	        {"{\"sub\":\"u\",\"groups\":\"a b  c\"}", "name", "u", NULL, "a|b|c"},
	        {"{\"sub\":\"u\",\"groups\":\"\"}", "name", "u", NULL, NULL},
	        {"{\"sub\":\"u\",\"groups\":[]}", "name", "u", NULL, NULL},
	        {"{\"sub\":\"u\",\"groups\":[\"a\",1,true,null,{\"x\":1},[\"y\"],\"\",\"b\"]}",
	         "name", "u", NULL, "a|1|true|b"},
	        {"{\"sub\":\"u\",\"groups\":7}", "name", "u", NULL, "7"},
	        {"{\"sub\":\"u\",\"groups\":{\"a\":1}}", "name", "u", NULL, NULL},
	        {"{\"sub\":\"u\",\"groups\":[\"x\\u0000y\",\"ok\"]}", "name", "u", NULL, "ok"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct br_config cfg;
		struct br_user u;
		struct br_error err = {0};
		json_t *claims = parse(cases[i].doc);
		fx_claims_cfg(&cfg, "test.conf");
		cfg.claims.name = (char *)cases[i].name_paths;
		int rc = br_claims_map(&cfg.claims, claims, &u, &err);
		if (cases[i].want_id == NULL) {
			if (rc != -1)
				fail_msg("case %zu: mapped", i);
			assert_string_equal(
			        err.msg,
			        "the identity provider sent no \"sub\" claim for the user id");
			json_decref(claims);
			continue;
		}
		if (rc != 0)
			fail_msg("case %zu: %s", i, err.msg);
		assert_string_equal(u.id, cases[i].want_id);
		if (cases[i].want_name == NULL)
			assert_null(u.name);
		else
			assert_string_equal(u.name, cases[i].want_name);
		char joined[256] = "";
		for (size_t g = 0; g < u.n_groups; g++) {
			if (g > 0)
				strcat(joined, "|");
			strcat(joined, u.groups[g]);
		}
		if (cases[i].groups == NULL)
			assert_int_equal(u.n_groups, 0);
		else if (strcmp(joined, cases[i].groups) != 0)
			fail_msg("case %zu: groups %s want %s", i, joined, cases[i].groups);
		br_user_clear(&u);
		json_decref(claims);
	}
}

static void test_map_limits(void **state)
{
	struct br_config cfg;
	struct br_user u;
	struct br_error err = {0};
	json_t *claims = json_object();
	json_t *groups = json_array();
	char long_str[BR_CLAIM_STRING_MAX + 2];

	fx_claims_cfg(&cfg, "test.conf");
	memset(long_str, 'a', sizeof(long_str) - 1);
	long_str[sizeof(long_str) - 1] = '\0';
	/* 1025 bytes: an error, never "absent" (which would try the next path
	 * or leave the field empty, and a `not (email =~ ...)` rule would pass). */
	json_object_set_new(claims, "sub", json_string(long_str));
	json_object_set_new(claims, "name", json_string(long_str + 1)); /* 1024: kept */
	assert_int_equal(br_claims_map(&cfg.claims, claims, &u, &err), -1);
	assert_string_equal(err.msg, "the identity provider sent a user id of 1025 bytes (at most "
	                             "1024 are accepted)");
	json_object_set_new(claims, "sub", json_string("u"));
	cfg.claims.email = "email upn";
	json_object_set_new(claims, "email", json_string(long_str));
	json_object_set_new(claims, "upn", json_string("someone@example.org"));
	assert_int_equal(br_claims_map(&cfg.claims, claims, &u, &err), -1);
	assert_int_equal(err.code, BR_E_PROTOCOL);
	assert_string_equal(err.msg, "the identity provider sent an email of 1025 bytes (at most "
	                             "1024 are accepted)");
	assert_null(u.id);
	json_object_del(claims, "email");
	json_object_del(claims, "upn");
	json_object_set_new(claims, "sub", json_string("u"));
	assert_int_equal(br_claims_map(&cfg.claims, claims, &u, &err), 0);
	assert_int_equal(strlen(u.name), BR_CLAIM_STRING_MAX);
	br_user_clear(&u);

	/* Group names up to BR_CLAIM_GROUP_MAX bytes and BR_CLAIM_GROUPS_MAX
	 * groups are kept; one byte or one group more fails the mapping, since
	 * a dropped group could let `not inGroup("suspended")` pass. */
	char big[BR_CLAIM_GROUP_MAX + 2];
	memset(big, 'g', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	json_array_append_new(groups, json_string(big + 1)); /* BR_CLAIM_GROUP_MAX bytes */
	for (int i = 1; i < BR_CLAIM_GROUPS_MAX - 1; i++)
		json_array_append_new(groups, json_integer(i));
	json_array_append_new(groups, json_string("suspended"));
	json_object_set(claims, "groups", groups);
	assert_int_equal(br_claims_map(&cfg.claims, claims, &u, &err), 0);
	assert_int_equal(u.n_groups, BR_CLAIM_GROUPS_MAX);
	assert_int_equal(strlen(u.groups[0]), BR_CLAIM_GROUP_MAX);
	assert_string_equal(u.groups[1], "1");
	assert_string_equal(u.groups[BR_CLAIM_GROUPS_MAX - 1], "suspended");
	br_user_clear(&u);

	/* Empty names, objects and null do not count. */
	json_array_insert_new(groups, 0, json_string(""));
	json_array_insert_new(groups, 0, json_null());
	json_array_insert_new(groups, 0, json_object());
	assert_int_equal(br_claims_map(&cfg.claims, claims, &u, &err), 0);
	assert_int_equal(u.n_groups, BR_CLAIM_GROUPS_MAX);
	br_user_clear(&u);

	json_array_insert_new(groups, 0, json_string("one-too-many"));
	err.code = BR_E_NONE;
	assert_int_equal(br_claims_map(&cfg.claims, claims, &u, &err), -1);
	assert_int_equal(err.code, BR_E_PROTOCOL);
	assert_string_equal(err.msg, "the identity provider sent more than 4096 groups");
	assert_null(u.id);
	assert_null(u.groups);

	json_array_clear(groups);
	json_array_append_new(groups, json_string("ok"));
	json_array_append_new(groups, json_string(big)); /* one byte too long */
	assert_int_equal(br_claims_map(&cfg.claims, claims, &u, &err), -1);
	assert_string_equal(err.msg, "the identity provider sent a group name of 1025 bytes (at "
	                             "most 1024 are accepted)");
	json_decref(groups);

	/* The same limits for a space-separated string. */
	char *words = malloc((BR_CLAIM_GROUPS_MAX + 1) * 2 + 1);
	for (int i = 0; i < BR_CLAIM_GROUPS_MAX; i++) {
		words[2 * i] = 'g';
		words[2 * i + 1] = ' ';
	}
	words[BR_CLAIM_GROUPS_MAX * 2] = '\0';
	json_object_set_new(claims, "groups", json_string(words));
	assert_int_equal(br_claims_map(&cfg.claims, claims, &u, &err), 0);
	assert_int_equal(u.n_groups, BR_CLAIM_GROUPS_MAX);
	br_user_clear(&u);
	strcat(words, "s");
	json_object_set_new(claims, "groups", json_string(words));
	free(words);
	assert_int_equal(br_claims_map(&cfg.claims, claims, &u, &err), -1);
	assert_string_equal(err.msg, "the identity provider sent more than 4096 groups");
	json_object_set_new(claims, "groups", json_string(big));
	assert_int_equal(br_claims_map(&cfg.claims, claims, &u, &err), -1);
	assert_string_equal(err.msg, "the identity provider sent a group name of 1025 bytes (at "
	                             "most 1024 are accepted)");
	char *huge = malloc(256 * 1024 + 2);
	memset(huge, 'h', 256 * 1024 + 1);
	huge[256 * 1024 + 1] = '\0';
	json_object_set_new(claims, "groups", json_string(huge));
	free(huge);
	assert_int_equal(br_claims_map(&cfg.claims, claims, &u, &err), -1);
	assert_string_equal(err.msg, "the identity provider sent a groups string of 262145 bytes "
	                             "(at most 262144 are accepted)");

	/* Not an object at all. */
	json_t *arr = json_array();
	assert_int_equal(br_claims_map(&cfg.claims, arr, &u, &err), -1);
	assert_int_equal(err.code, BR_E_PROTOCOL);
	json_decref(arr);
	json_decref(claims);
}

static void test_scalar_string(void **state)
{
	static const struct {
		const char *json;
		const char *want;
	} cases[] = {
	        {"\"x\"", "x"},
	        {"0", "0"},
	        {"-12", "-12"},
	        {"2.5", "2.5"},
	        {"1e2", "100"},
	        {"true", "true"},
	        {"false", "false"},
	        {"null", NULL},
	        {"[]", NULL},
	        {"{}", NULL},
	        {"9007199254740993", "9007199254740993"},
	        {"0.3", "0.3"},
	        {"-0.0", "-0"},
	        {"123456789.125", "123456789.125"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_error_t jerr;
		json_t *j = json_loads(cases[i].json, JSON_DECODE_ANY, &jerr);
		char buf[32];
		size_t n = 0;
		assert_non_null(j);
		const char *s = br_claims_scalar_string(j, buf, sizeof(buf), 100, &n);
		if (cases[i].want == NULL) {
			assert_null(s);
		} else {
			assert_non_null(s);
			assert_int_equal(n, strlen(cases[i].want));
			assert_memory_equal(s, cases[i].want, n);
		}
		json_decref(j);
	}
}

/* One word splitter for a groups string and the rules' "x in string":
 * space, tab, CR and LF separate, runs of them and both ends are no word,
 * the end pointer (not a NUL) bounds the text. */
static void test_next_word(void **state)
{
	static const struct {
		const char *text;
		size_t len;
		const char *want[4];
	} cases[] = {
	        {"", 0, {NULL}},
	        {" \t\r\n ", 5, {NULL}},
	        {"a", 1, {"a", NULL}},
	        {"  a\tbc\r\n\nd  ", 12, {"a", "bc", "d", NULL}},
	        {"jitsi staff", 9, {"jitsi", "sta", NULL}},
	        {"x\fy", 3, {"x\fy", NULL}},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *p = cases[i].text, *end = p + cases[i].len, *w = NULL;
		size_t n = 0, k = 0;
		while (br_claims_next_word(&p, end, &w, &n)) {
			assert_non_null(cases[i].want[k]);
			assert_int_equal(n, strlen(cases[i].want[k]));
			assert_memory_equal(w, cases[i].want[k], n);
			assert_ptr_equal(p, w + n);
			k++;
		}
		assert_null(cases[i].want[k]);
		assert_ptr_equal(p, end);
	}
	(void)state;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_lookup),        cmocka_unit_test(test_path_parse_errors),
	        cmocka_unit_test(test_paths_check),   cmocka_unit_test(test_map_keycloak),
	        cmocka_unit_test(test_map_lemonldap), cmocka_unit_test(test_map_authentik),
	        cmocka_unit_test(test_map_azure),     cmocka_unit_test(test_map_odd_shapes),
	        cmocka_unit_test(test_map_limits),    cmocka_unit_test(test_scalar_string),
	        cmocka_unit_test(test_next_word),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
