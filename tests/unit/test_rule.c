/* test_rule.c - the rule language: parse errors, precedence, semantics on
 * odd and real claim shapes, and the policy of a config. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bridge/rule.h"

#include "fixtures.h"

/* ---- parse errors ---------------------------------------------------------- */

static void test_parse_errors(void **state)
{
	static const struct {
		const char *text;
		int line;
		const char *want;
	} cases[] = {
	        {"inGroup(\"a\"", 12,
	         "bridge.conf:12:12: [rules] allow: expected ',' or ')' but found end of rule"},
	        {"(a == \"b\"", 12,
	         "bridge.conf:12:10: [rules] allow: expected ')' but found end of rule"},
	        {"", 12, "bridge.conf:12:1: [rules] allow: expected a value but found end of rule"},
	        {"   ", 3,
	         "bridge.conf:3:4: [rules] allow: expected a value but found end of rule"},
	        {"a ==", 12,
	         "bridge.conf:12:5: [rules] allow: expected a value but found end of rule"},
	        {"a = \"b\"", 12,
	         "bridge.conf:12:3: [rules] allow: unexpected '=' (did you mean '=='?)"},
	        {"a & b", 12,
	         "bridge.conf:12:3: [rules] allow: unexpected '&' (did you mean '&&'?)"},
	        {"a | b", 12,
	         "bridge.conf:12:3: [rules] allow: unexpected '|' (did you mean '||'?)"},
	        {"a b", 12,
	         "bridge.conf:12:3: [rules] allow: expected an operator or end of rule but found "
	         "'b'"},
	        {"a == \"x", 12, "bridge.conf:12:6: [rules] allow: unterminated string"},
	        {"a == 'x\"", 12, "bridge.conf:12:6: [rules] allow: unterminated string"},
	        {"\"a\\qb\"", 12,
	         "bridge.conf:12:3: [rules] allow: unknown escape in string (use \\\\ \\\" \\' \\n "
	         "or "
	         "\\t)"},
	        {"room =~ user.name", 12,
	         "bridge.conf:12:9: [rules] allow: the right side of '=~' must be a string literal "
	         "(a "
	         "regular expression)"},
	        {"room !~ 5", 12,
	         "bridge.conf:12:9: [rules] allow: the right side of '!~' must be a string literal "
	         "(a "
	         "regular expression)"},
	        {"room =~ \"(a\"", 12,
	         "bridge.conf:12:9: [rules] allow: invalid regular expression: Unmatched ( or \\("},
	        {"room =~ \"(a)\\\\1\"", 12,
	         "bridge.conf:12:9: [rules] allow: back-references are not allowed in regular "
	         "expressions"},
	        {"email =~ \"@ex++++++amp\"", 12,
	         "bridge.conf:12:10: [rules] allow: a quantifier cannot follow another quantifier "
	         "in a "
	         "regular expression"},
	        {"room =~ \"a{2}{3}\"", 12,
	         "bridge.conf:12:9: [rules] allow: a quantifier cannot follow another quantifier "
	         "in a "
	         "regular expression"},
	        {"room =~ \"(a{,100}){,100}\"", 12,
	         "bridge.conf:12:9: [rules] allow: regular expression too complex (repetitions "
	         "expand "
	         "too far)"},
	        {"room =~ \"((a{100}){100})\"", 12,
	         "bridge.conf:12:9: [rules] allow: regular expression too complex (repetitions "
	         "expand "
	         "too far)"},
	        {"room =~ \"(((((((((((((((((((((((((((((((((a)))))))))))))))))))))))))))))))))\"",
	         12, "bridge.conf:12:9: [rules] allow: regular expression nested too deeply"},
	        {"foo(\"x\")", 12,
	         "bridge.conf:12:1: [rules] allow: unknown function 'foo' (known: inGroup, exists, "
	         "lower, startsWith, endsWith)"},
	        {"inGroup(\"a\", \"b\")", 12,
	         "bridge.conf:12:14: [rules] allow: inGroup() takes 1 argument"},
	        {"startsWith(\"a\")", 12,
	         "bridge.conf:12:15: [rules] allow: startsWith() takes 2 arguments"},
	        {"lower()", 12, "bridge.conf:12:7: [rules] allow: lower() takes 1 argument"},
	        {"exists(\"x\")", 12,
	         "bridge.conf:12:8: [rules] allow: exists() takes a claim path"},
	        {"exists(lower(a))", 12,
	         "bridge.conf:12:8: [rules] allow: exists() takes a claim path"},
	        {"a == b == c", 12,
	         "bridge.conf:12:8: [rules] allow: comparisons cannot be chained; use parentheses"},
	        {"a)", 12, "bridge.conf:12:2: [rules] allow: unbalanced ')'"},
	        {"[1, 2", 12,
	         "bridge.conf:12:6: [rules] allow: expected ',' or ']' but found end of rule"},
	        {"[1 2]", 12, "bridge.conf:12:4: [rules] allow: expected ',' or ']' but found '2'"},
	        {"12abc == 1", 12, "bridge.conf:12:1: [rules] allow: invalid number '12abc'"},
	        {"x == 1.", 12, "bridge.conf:12:6: [rules] allow: invalid number '1.'"},
	        {"x == 0x10", 12, "bridge.conf:12:6: [rules] allow: invalid number '0x10'"},
	        {"x == 1e999", 12, "bridge.conf:12:6: [rules] allow: invalid number '1e999'"},
	        {"a.", 12, "bridge.conf:12:3: [rules] allow: expected a claim name after '.'"},
	        {"claims[x]", 12,
	         "bridge.conf:12:8: [rules] allow: expected a quoted claim name after '['"},
	        {"claims[\"x\"", 12,
	         "bridge.conf:12:11: [rules] allow: expected ']' after the claim name"},
	        {"a @ b", 12, "bridge.conf:12:3: [rules] allow: unexpected character '@'"},
	        {"a \x01", 12, "bridge.conf:12:3: [rules] allow: unexpected byte 0x01"},
	        {"- 1", 12, "bridge.conf:12:1: [rules] allow: unexpected character '-'"},
	        /* Columns count characters, not bytes. */
	        {"\"é\" @", 12, "bridge.conf:12:5: [rules] allow: unexpected character '@'"},
	        {"a == \"\xff\"", 12, "bridge.conf:12:7: [rules] allow: invalid UTF-8"},
	        /* A rule over several lines: the line moves on, the column restarts. */
	        {"a and\n  b c", 12,
	         "bridge.conf:13:5: [rules] allow: expected an operator or end of rule but found "
	         "'c'"},
	        {"not", 12,
	         "bridge.conf:12:4: [rules] allow: expected a value but found end of rule"},
	        {"a in", 12,
	         "bridge.conf:12:5: [rules] allow: expected a value but found end of rule"},
	        {"a and or b", 12,
	         "bridge.conf:12:7: [rules] allow: expected a value but found 'or'"},
	        {"\"abc\" \"def\"", 12,
	         "bridge.conf:12:7: [rules] allow: expected an operator or end of rule but found a "
	         "string"},
	        {"a bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", 12,
	         "bridge.conf:12:3: [rules] allow: expected an operator or end of rule but found "
	         "'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb'"},
	        {"true.x", 12, "bridge.conf:12:5: [rules] allow: unexpected character '.'"},
	        {"in == 1", 12, "bridge.conf:12:1: [rules] allow: expected a value but found 'in'"},
	        {"\"a\nb\"", 12, "bridge.conf:12:1: [rules] allow: unterminated string"},
	        /* room, tenant and lower() are lower-case: a literal with upper case
	         * never equals them, and `tenant != "Sales" or ...` would let
	         * everyone in. */
	        {"tenant != \"Sales\" or inGroup(\"sales\")", 12,
	         "bridge.conf:12:11: [rules] allow: \"Sales\" never equals tenant, which is "
	         "lower-case: write \"sales\""},
	        {"\"SALES\" == tenant", 12,
	         "bridge.conf:12:1: [rules] allow: \"SALES\" never equals tenant, which is "
	         "lower-case: write \"sales\""},
	        {"tenant in [\"hr\", \"Sales\"]", 12,
	         "bridge.conf:12:18: [rules] allow: \"Sales\" never equals tenant, which is "
	         "lower-case: write \"sales\""},
	        {"not room == \"Board\"", 12,
	         "bridge.conf:12:13: [rules] allow: \"Board\" never equals room, which is "
	         "lower-case and NFKC-normalised: write \"board\""},
	        {"room == \"ﬁx\"", 12,
	         "bridge.conf:12:9: [rules] allow: \"ﬁx\" never equals room, which is lower-case "
	         "and NFKC-normalised: write \"fix\""},
	        {"startsWith(room, \"Board-\")", 12,
	         "bridge.conf:12:18: [rules] allow: \"Board-\" never equals room, which is "
	         "lower-case and NFKC-normalised: write \"board-\""},
	        {"lower(email) == \"Zoë@example.org\"", 12,
	         "bridge.conf:12:17: [rules] allow: \"Zoë@example.org\" never equals lower(...), "
	         "which is lower-case: write \"zoë@example.org\""},
	        {"tenant !~ \"^Sales$\" or inGroup(\"sales\")", 12,
	         "bridge.conf:12:11: [rules] allow: the regular expression holds 'S', which never "
	         "matches tenant (it is lower-case): write it in lower case"},
	        {"room =~ \"^[a-z]+-Zoë\"", 12,
	         "bridge.conf:12:9: [rules] allow: the regular expression holds 'Z', which never "
	         "matches room (it is lower-case): write it in lower case"},
	        {"room =~ \"^board-É\"", 12,
	         "bridge.conf:12:9: [rules] allow: the regular expression holds 'É', which never "
	         "matches room (it is lower-case): write it in lower case"},
	        /* line 0: the built-in default or the environment, no file line. */
	        {"a ==", 0, "[rules] allow: column 5: expected a value but found end of rule"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct br_error err = {0};
		struct br_rule *r = br_rule_parse(cases[i].text, "bridge.conf", cases[i].line,
		                                  "[rules] allow", &err);
		if (r != NULL)
			fail_msg("case %zu (%s): parsed", i, cases[i].text);
		assert_int_equal(err.code, BR_E_CONFIG);
		if (strcmp(err.msg, cases[i].want) != 0)
			fail_msg("case %zu (%s):\n got  %s\n want %s", i, cases[i].text, err.msg,
			         cases[i].want);
	}
}

static char *repeat(const char *unit, size_t n, const char *tail)
{
	size_t u = strlen(unit), t = strlen(tail);
	char *s = malloc(u * n + t + 1);
	for (size_t i = 0; i < n; i++)
		memcpy(s + i * u, unit, u);
	memcpy(s + u * n, tail, t + 1);
	return s;
}

static void expect_parse(const char *text, const char *want_err)
{
	struct br_error err = {0};
	struct br_rule *r = br_rule_parse(text, "bridge.conf", 7, "[rules] moderator", &err);
	if (want_err == NULL) {
		if (r == NULL)
			fail_msg("did not parse: %s", err.msg);
		br_rule_free(r);
	} else {
		assert_null(r);
		assert_string_equal(err.msg, want_err);
	}
}

static void test_parse_limits(void **state)
{
	char *s;

	s = repeat("not ", 64, "true");
	expect_parse(s, NULL);
	free(s);
	s = repeat("not ", 65, "true");
	expect_parse(s,
	             "bridge.conf:7:257: [rules] moderator: rule nested too deeply (more than 64 "
	             "levels)");
	free(s);
	s = repeat("!", 100000 / 100, "true");
	expect_parse(s, "bridge.conf:7:65: [rules] moderator: rule nested too deeply (more than 64 "
	                "levels)");
	free(s);
	s = repeat("(", 64, "");
	char *t = repeat(")", 64, "");
	char *both = malloc(strlen(s) + strlen(t) + 2);
	sprintf(both, "%sa%s", s, t);
	expect_parse(both, NULL);
	free(both);
	free(s);
	free(t);
	s = repeat("(", 65, "a");
	expect_parse(s, "bridge.conf:7:65: [rules] moderator: rule nested too deeply (more than 64 "
	                "levels)");
	free(s);
	s = repeat("[", 65, "");
	expect_parse(s, "bridge.conf:7:65: [rules] moderator: rule nested too deeply (more than 64 "
	                "levels)");
	free(s);
	s = repeat("lower(", 65, "a");
	expect_parse(s,
	             "bridge.conf:7:385: [rules] moderator: rule nested too deeply (more than 64 "
	             "levels)");
	free(s);

	s = repeat(" ", 4096, "");
	s[0] = 'a';
	expect_parse(s, NULL);
	free(s);
	s = repeat(" ", 4097, "");
	s[0] = 'a';
	expect_parse(s, "bridge.conf:7:1: [rules] moderator: rule too long (more than 4096 bytes)");
	free(s);

	/* 256 list elements are fine, the 257th is not. */
	s = repeat("1,", 255, "1]");
	t = malloc(strlen(s) + 16);
	sprintf(t, "a in [%s", s);
	expect_parse(t, NULL);
	free(s);
	free(t);
	s = repeat("1,", 256, "1]");
	t = malloc(strlen(s) + 16);
	sprintf(t, "a in [%s", s);
	expect_parse(
	        t, "bridge.conf:7:519: [rules] moderator: list too long (more than 256 elements)");
	free(s);
	free(t);

	/* A long flat chain is no nesting. */
	s = repeat("a or ", 800, "b");
	expect_parse(s, NULL);
	free(s);
}

/* ---- evaluation ------------------------------------------------------------- */

enum ctx_id { KC, LLNG, ODD, EMPTY };

struct fixture {
	json_t *kc_claims, *llng_claims, *odd_claims;
	struct br_user kc_user, llng_user, odd_user;
	struct br_rule_ctx ctx[4];
};

static char *odd_groups[] = {"/jitsi-meet", "/staff/jitsi-moderators", "plain", "1"};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct br_config cfg;
	struct br_error err = {0};
	json_error_t jerr;

	fx_claims_cfg(&cfg, "bridge.conf");
	f->kc_claims = fx_json(fx_path("claims/%s", "keycloak-id-token.json"));
	f->llng_claims = fx_json(fx_path("claims/%s", "lemonldap-id-token.json"));
	if (br_claims_map(&cfg.claims, f->kc_claims, &f->kc_user, &err) < 0 ||
	    br_claims_map(&cfg.claims, f->llng_claims, &f->llng_user, &err) < 0)
		fail_msg("%s", err.msg);
	f->odd_claims = json_loads(
	        "{\"sub\":\"u1\",\"n\":null,\"num\":42,\"real\":1.5,\"zero\":0,\"t\":true,"
	        "\"f\":false,\"s\":\"\",\"str\":\"Hello World\",\"words\":\"a b  c\","
	        "\"arr\":[\"x\",1,true,null,{\"k\":\"v\"}],\"empty\":[],"
	        "\"obj\":{\"k\":\"v\",\"n\":{\"m\":[1,2]}},\"eobj\":{},"
	        "\"https://example.org/groups\":[\"ext\"],\"x.y\":{\"roles\":[\"r1\"]},"
	        "\"room\":\"claimroom\",\"groups\":[\"claimgroup\"],"
	        "\"user\":{\"id\":\"claimuser\",\"foo\":\"bar\"},\"mail\":\"ZOË@Example.ORG\","
	        "\"nul\":\"a\\u0000b\",\"neg\":-3,\"and\":\"kw\"}",
	        JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerr);
	assert_non_null(f->odd_claims);
	json_t *big = json_array();
	for (int i = 0; i < 100000; i++)
		json_array_append_new(big, json_integer(i));
	json_object_set_new(f->odd_claims, "big", big);
	f->odd_user.id = "u1";
	f->odd_user.name = "Odd";
	f->odd_user.groups = odd_groups;
	f->odd_user.n_groups = 4;

	f->ctx[KC] = (struct br_rule_ctx){f->kc_claims, &f->kc_user, "café zoë", NULL};
	f->ctx[LLNG] = (struct br_rule_ctx){f->llng_claims, &f->llng_user, "board-meeting", "acme"};
	f->ctx[ODD] = (struct br_rule_ctx){f->odd_claims, &f->odd_user, "r1", "t"};
	f->ctx[EMPTY] = (struct br_rule_ctx){NULL, NULL, NULL, NULL};
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	json_decref(f->kc_claims);
	json_decref(f->llng_claims);
	json_decref(f->odd_claims);
	br_user_clear(&f->kc_user);
	br_user_clear(&f->llng_user);
	free(f);
	return 0;
}

static const struct {
	enum ctx_id ctx;
	const char *rule;
	bool want;
} eval_cases[] = {
        /* Keycloak */
        {KC, "inGroup(\"jitsi-meet\")", true},
        {KC, "inGroup(\"/jitsi-meet\")", true},
        {KC, "inGroup(\"staff/jitsi-moderators\")", true},
        {KC, "inGroup(\"jitsi-moderators\")", false},
        {KC, "inGroup(\"Jitsi-Meet\")", false},
        {KC, "inGroup(\"staff\")", false},
        {KC, "\"admin\" in realm_access.roles", true},
        {KC, "\"recorder\" in resource_access.jitsi.roles", true},
        {KC, "\"recorder\" in resource_access[\"account\"].roles", false},
        {KC, "\"view-profile\" in claims[\"resource_access\"].account.roles", true},
        {KC, "preferred_username == \"zoe\"", true},
        {KC, "name == \"Zoë Ångström\"", true},
        {KC, "lower(name) == \"zoë ångström\"", true},
        {KC, "email =~ \"@example\\\\.org$\"", true},
        {KC, "email =~ \"@example\\\\.com$\"", false},
        {KC, "room == \"café zoë\"", true},
        {KC, "room =~ \"^café\"", true},
        {KC, "tenant == \"x\"", false},
        {KC, "tenant != \"x\"", true},
        {KC, "exists(tenant)", false},
        {KC, "not tenant", true},
        {KC, "email_verified", true},
        {KC, "email_verified == true", true},
        {KC, "email_verified == \"true\"", true},
        {KC, "aud == \"jitsi\" && azp == aud", true},
        {KC, "inGroup(\"jitsi\") and not room =~ \"^board-\" or inGroup(\"board\")", false},
        {KC, "exists(realm_access.roles)", true},
        {KC, "exists(realm_access.nothing)", false},
        {KC, "user.name == name and user.id == sub and user.email == email", true},
        {KC, "exists(user.avatar)", false},
        {KC, "groups", true},
        {KC, "\"/jitsi-meet\" in groups", true},
        {KC, "\"jitsi-meet\" in groups", false},
        {KC, "startsWith(email, \"zoe@\") && endsWith(email, \"@example.org\")", true},
        {KC, "endsWith(email, \"@example.com\")", false},
        {KC, "realm_access", true},
        {KC, "iat == 1795000000", true},
        /* LemonLDAP::NG */
        {LLNG, "inGroup(\"jitsi-moderators\")", true},
        {LLNG, "\"timelords\" in groups", true},
        {LLNG, "aud == \"jitsi\"", false},
        {LLNG, "\"jitsi\" in aud", true},
        {LLNG, "room =~ \"^board-\"", true},
        {LLNG, "room !~ \"^board-\"", false},
        {LLNG, "tenant == \"acme\" and exists(tenant)", true},
        {LLNG, "inGroup(\"jitsi\") and not room =~ \"^board-\" or inGroup(\"timelords\")", true},
        {LLNG, "user.id == \"dwho\"", true},
        {LLNG, "room =~ \"^(board|exec)-[a-z]+$\"", true},
        {LLNG, "room =~ \"^(board|exec)-[a-z]{3,8}$\"", true},
        {LLNG, "room =~ \"^[]a-z[:digit:]-]+$\"", true},
        {LLNG, "room =~ \"^[^x]{2}ard[+*]?-\"", true},
        {LLNG, "room =~ \"(b|c){1}o(a){1,}rd\"", true},
        {LLNG, "room =~ \"^(board|exec){1,50}-\"", true},

        /* precedence */
        {LLNG, "true or false and false", true},
        {LLNG, "(true or false) and false", false},
        {LLNG, "not true or true", true},
        {LLNG, "not (true or true)", false},
        {LLNG, "! false && false", false},
        {LLNG, "false || true && true", true},
        {LLNG, "not not true", true},
        {LLNG, "!!!true", false},
        {LLNG, "not \"a\" == \"b\"", true},
        {LLNG, "false and false or true", true},
        {LLNG, "true and (false or (true and true))", true},
        /* missing and null */
        {ODD, "n == n", false},
        {ODD, "n != \"x\"", true},
        {ODD, "missing == missing", false},
        {ODD, "missing != missing", true},
        {ODD, "n", false},
        {ODD, "missing", false},
        {ODD, "not missing", true},
        {ODD, "missing.deeper.still", false},
        {ODD, "str.deeper", false},
        /* numbers and strings */
        {ODD, "num == 42", true},
        {ODD, "num == \"42\"", true},
        {ODD, "\"42\" == num", true},
        {ODD, "num == 42.0", true},
        {ODD, "real == 1.5", true},
        {ODD, "real == \"1.5\"", true},
        {ODD, "neg == -3", true},
        {ODD, "1e2 == 100", true},
        {ODD, "0.1 == \"0.1\"", true},
        {ODD, "num != 43", true},
        {ODD, "true == 1", false},
        {ODD, "false == \"\"", false},
        {ODD, "t == \"true\"", true},
        /* truthiness */
        {ODD, "zero", false},
        {ODD, "num", true},
        {ODD, "real", true},
        {ODD, "t", true},
        {ODD, "f", false},
        {ODD, "s", false},
        {ODD, "str", true},
        {ODD, "empty", false},
        {ODD, "arr", true},
        {ODD, "eobj", false},
        {ODD, "obj", true},
        {ODD, "obj.n.m", true},
        {ODD, "[]", false},
        {ODD, "[0]", true},
        {ODD, "\"0\"", true},
        {ODD, "0", false},
        /* in */
        {ODD, "\"x\" in arr", true},
        {ODD, "1 in arr", true},
        {ODD, "\"1\" in arr", true},
        {ODD, "\"true\" in arr", true},
        {ODD, "\"v\" in arr", false},
        {ODD, "\"k\" in obj", false},
        {ODD, "\"b\" in words", true},
        {ODD, "\"c\" in words", true},
        {ODD, "\"a b\" in words", false},
        {ODD, "\"\" in words", false},
        {ODD, "\"Hello\" in str", true},
        {ODD, "\"hello\" in str", false},
        {ODD, "\"x\" in num", false},
        {ODD, "\"x\" in missing", false},
        {ODD, "missing in arr", false},
        {ODD, "arr in arr", false},
        {ODD, "\"2\" in obj.n.m", true},
        {ODD, "\"x\" in [\"x\", \"y\"]", true},
        {ODD, "num in [1, 42]", true},
        {ODD, "room in ['r1', 'r2']", true},
        {ODD, "\"z\" in []", false},
        {ODD, "\"zoë@example.org\" in [lower(mail), \"x\"]", true},
        {ODD, "\"99999\" in big", true},
        {ODD, "100000 in big", false},
        {ODD, "big", true},
        /* regexes */
        {ODD, "str =~ \"^Hello\"", true},
        {ODD, "str =~ \"^hello\"", false},
        {ODD, "str =~ \"W.r\"", true},
        {ODD, "num =~ \"4\"", false},
        {ODD, "num !~ \"4\"", true},
        {ODD, "missing =~ \".*\"", false},
        {ODD, "missing !~ \"x\"", true},
        {ODD, "arr =~ \"x\"", false},
        {ODD, "nul =~ \"a\"", false},
        {ODD, "lower(str) =~ \"^hello world$\"", true},
        {ODD, "s =~ \"^$\"", true},
        /* variables win over raw claims of the same name */
        {ODD, "room == \"claimroom\"", false},
        {ODD, "room == \"r1\"", true},
        {ODD, "claims[\"room\"] == \"claimroom\"", true},
        {ODD, "\"claimgroup\" in claims[\"groups\"]", true},
        {ODD, "\"claimgroup\" in groups", false},
        {ODD, "user.id == \"u1\"", true},
        {ODD, "user.foo == \"bar\"", true},
        {ODD, "claims[\"user\"].id == \"claimuser\"", true},
        {ODD, "tenant == \"t\"", true},
        {ODD, "claims[\"and\"] == \"kw\"", true},
        /* claim names with dots and slashes */
        {ODD, "\"ext\" in claims[\"https://example.org/groups\"]", true},
        {ODD, "\"r1\" in claims[\"x.y\"].roles", true},
        {ODD, "\"r1\" in claims['x.y']['roles']", true},
        /* functions */
        {ODD, "lower(mail) == \"zoë@example.org\"", true},
        {ODD, "lower(num) == \"42\"", true},
        {ODD, "lower(arr)", false},
        {ODD, "lower(missing) == \"\"", false},
        {ODD, "lower(s) == \"\"", true},
        {ODD, "inGroup(1)", true},
        {ODD, "inGroup(\"plain\")", true},
        {ODD, "inGroup(\"\")", false},
        {ODD, "inGroup(arr)", false},
        {ODD, "exists(n)", false},
        {ODD, "exists(obj.k)", true},
        {ODD, "exists(groups)", true},
        {ODD, "exists(claims[\"x.y\"].roles)", true},
        {ODD, "startsWith(num, 4)", true},
        {ODD, "endsWith(arr, \"x\")", false},
        {ODD, "startsWith(\"\", \"\")", true},
        {ODD, "startsWith(\"a\", \"ab\")", false},
        {ODD, "endsWith(str, \"World\")", true},
        {ODD, "arr == arr", false},
        {ODD, "obj == obj", false},
        {ODD, "arr != arr", true},
        /* strings */
        {ODD, "\"it's\" == 'it\\'s'", true},
        {ODD, "\"a\\tb\" == 'a\tb'", true},
        {ODD, "\"line\\n\" != \"line\"", true},
        {ODD, "\"\\\\\" == '\\\\'", true},
        /* nothing known at all */
        {EMPTY, "room == \"\"", false},
        {EMPTY, "not room", true},
        {EMPTY, "groups", false},
        {EMPTY, "inGroup(\"x\")", false},
        {EMPTY, "user.id == \"u\"", false},
        {EMPTY, "user.id != \"u\"", true},
        {EMPTY, "sub", false},
        {EMPTY, "exists(sub) or exists(room) or exists(groups)", false},
        {EMPTY, "true", true},
};

static void test_eval(void **state)
{
	struct fixture *f = *state;

	for (size_t i = 0; i < sizeof(eval_cases) / sizeof(eval_cases[0]); i++) {
		struct br_error err = {0};
		struct br_rule *r =
		        br_rule_parse(eval_cases[i].rule, "t.conf", 1, "[rules] allow", &err);
		if (r == NULL)
			fail_msg("case %zu (%s): %s", i, eval_cases[i].rule, err.msg);
		bool got = br_rule_eval(r, &f->ctx[eval_cases[i].ctx]);
		if (got != eval_cases[i].want)
			fail_msg("case %zu (%s): got %d want %d", i, eval_cases[i].rule, got,
			         eval_cases[i].want);
		br_rule_free(r);
	}
	assert_false(br_rule_eval(NULL, &f->ctx[KC]));
}

/* ---- policy ----------------------------------------------------------------- */

static void test_policy(void **state)
{
	struct fixture *f = *state;
	struct br_config cfg;
	struct br_error err = {0};
	struct br_rule_src features[] = {
	        {"recording",
	         "inGroup(\"jitsi-moderators\") or \"recorder\" in "
	         "resource_access.jitsi.roles",
	         31},
	        {"livestreaming", "false", 32},
	        {"screen-sharing", "true", 0},
	};
	struct br_decision d;

	fx_claims_cfg(&cfg, "bridge.conf");
	cfg.rules.allow = (struct br_rule_src){"allow", "inGroup(\"jitsi-meet\")", 20};
	cfg.rules.moderator =
	        (struct br_rule_src){"moderator", "\"admin\" in realm_access.roles", 21};
	cfg.rules.lobby_bypass =
	        (struct br_rule_src){"lobby_bypass", "inGroup(\"jitsi-meet\")", 22};
	cfg.rules.security_bypass =
	        (struct br_rule_src){"security_bypass", "\"admin\" in realm_access.roles", 23};
	cfg.rules.features = features;
	cfg.rules.n_features = 3;
	struct br_policy *pol = br_policy_new(&cfg.rules, cfg.path, &err);
	if (pol == NULL)
		fail_msg("%s", err.msg);

	assert_int_equal(br_policy_decide(pol, &f->ctx[KC], &d), 0);
	assert_true(d.allow);
	assert_true(d.moderator);
	assert_true(d.lobby_bypass);
	assert_true(d.security_bypass);
	assert_int_equal(d.n_features, 3);
	assert_string_equal(d.feature_names[0], "recording");
	assert_string_equal(d.feature_names[1], "livestreaming");
	assert_string_equal(d.feature_names[2], "screen-sharing");
	assert_true(d.feature_values[0]);
	assert_false(d.feature_values[1]);
	assert_true(d.feature_values[2]);
	br_decision_clear(&d);
	assert_null(d.feature_values);

	assert_int_equal(br_policy_decide(pol, &f->ctx[LLNG], &d), 0);
	assert_true(d.allow);
	assert_false(d.moderator);
	assert_true(d.lobby_bypass);
	assert_false(d.security_bypass);
	assert_true(d.feature_values[0]);
	br_decision_clear(&d);

	assert_int_equal(br_policy_decide(pol, &f->ctx[EMPTY], &d), 0);
	assert_false(d.allow);
	assert_false(d.moderator);
	assert_false(d.lobby_bypass);
	assert_false(d.security_bypass);
	assert_false(d.feature_values[0]);
	br_decision_clear(&d);
	br_policy_free(pol);

	cfg.rules.lobby_bypass.text = "inGroup(";
	pol = br_policy_new(&cfg.rules, cfg.path, &err);
	assert_null(pol);
	assert_string_equal(err.msg, "bridge.conf:22:9: [rules] lobby_bypass: expected a value but "
	                             "found end of rule");
	cfg.rules.lobby_bypass.text = "true";

	/* Errors name the section, the key and where. */
	features[1].text = "inGroup(\"a\" or";
	pol = br_policy_new(&cfg.rules, cfg.path, &err);
	assert_null(pol);
	assert_int_equal(err.code, BR_E_CONFIG);
	assert_string_equal(err.msg, "bridge.conf:32:13: [features] livestreaming: expected ',' or "
	                             "')' but found 'or'");
	features[1].text = "false";
	cfg.rules.moderator.text = "a ==";
	pol = br_policy_new(&cfg.rules, cfg.path, &err);
	assert_null(pol);
	assert_string_equal(err.msg, "bridge.conf:21:5: [rules] moderator: expected a value but "
	                             "found end of rule");
	features[2].text = "x y";
	cfg.rules.moderator.text = "true";
	pol = br_policy_new(&cfg.rules, cfg.path, &err);
	assert_null(pol);
	assert_string_equal(err.msg, "[features] screen-sharing: column 3: expected an operator or "
	                             "end of rule but found 'y'");

	/* No [rules] and no [features]: the defaults, allow and moderator true. */
	fx_claims_cfg(&cfg, "bridge.conf");
	pol = br_policy_new(&cfg.rules, cfg.path, &err);
	assert_non_null(pol);
	assert_int_equal(br_policy_decide(pol, &f->ctx[EMPTY], &d), 0);
	assert_true(d.allow);
	assert_true(d.moderator);
	assert_false(d.lobby_bypass);
	assert_false(d.security_bypass);
	assert_int_equal(d.n_features, 0);
	assert_null(d.feature_values);
	br_decision_clear(&d);
	br_policy_free(pol);
	br_policy_free(NULL);
}

/* The documented email rule: an address the IdP has not verified does not
 * count, whether email_verified is a JSON boolean or (some IdPs) a string. */
static void test_email_verified(void **state)
{
	static const struct {
		const char *claims;
		bool want;
	} cases[] = {
	        {"{\"email\":\"a@example.org\",\"email_verified\":true}", true},
	        {"{\"email\":\"a@example.org\",\"email_verified\":\"true\"}", true},
	        {"{\"email\":\"a@example.org\",\"email_verified\":false}", false},
	        {"{\"email\":\"a@example.org\",\"email_verified\":\"false\"}", false},
	        {"{\"email\":\"a@example.org\",\"email_verified\":null}", false},
	        {"{\"email\":\"a@example.org\",\"email_verified\":1}", false},
	        {"{\"email\":\"a@example.org\"}", false},
	        {"{\"email\":\"a@example.org.evil\",\"email_verified\":true}", false},
	        {"{\"email\":\"a@example.com\",\"email_verified\":true}", false},
	};
	struct br_error err = {0};
	struct br_rule *r =
	        br_rule_parse("email =~ \"@example\\\\.org$\" and email_verified == true", "t.conf",
	                      1, "[rules] allow", &err);

	if (r == NULL)
		fail_msg("%s", err.msg);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_t *claims = json_loads(cases[i].claims, 0, NULL);
		struct br_rule_ctx ctx = {.claims = claims, .room = "r"};
		if (br_rule_eval(r, &ctx) != cases[i].want)
			fail_msg("%s: want %d", cases[i].claims, cases[i].want);
		json_decref(claims);
	}
	br_rule_free(r);
}

/* Upper case is fine where the value keeps its case, in bracket
 * expressions and escapes, and where the literal is already lower-case. */
static void test_case_ok(void **state)
{
	static const char *const ok[] = {
	        "tenant == \"sales\" and room == \"café zoë\"",
	        "room =~ \"^[A-Za-z]+$\" or room =~ \"[[:upper:]]\" or room =~ \"\\\\W\"",
	        "room =~ \"^[]A]x\" or room =~ \"[^]B]\"",
	        "name == \"Zoë\" and user.name == \"Ada\" and claims[\"room\"] == \"Board\"",
	        "lower(name) == \"zoë\" and startsWith(name, \"Z\") and endsWith(tenant, \"s\")",
	        "\"Sales\" in groups and tenant == user.name",
	        "email =~ \"@Example\\\\.org$\"",
	};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		expect_parse(ok[i], NULL);
}

/* What a rule reads: the room check of room = wildcard relies on it. */
static void test_reads(void **state)
{
	static const struct {
		const char *rule, *name;
		bool want;
	} cases[] = {
	        {"room == \"x\"", "room", true},
	        {"inGroup(\"a\") or (not room =~ \"^b\")", "room", true},
	        {"false and lower(room) == \"x\"", "room", true},
	        {"startsWith(room, \"a\")", "room", true},
	        {"\"x\" in [room, \"y\"]", "room", true},
	        {"exists(room)", "room", true},
	        {"claims[\"room\"] == \"x\"", "room", false},
	        {"room2 == \"x\" or roomy", "room", false},
	        {"\"room\" in groups", "room", false},
	        {"tenant == \"room\"", "room", false},
	        {"tenant == \"room\"", "tenant", true},
	        {"inGroup(\"a\")", "groups", true},
	        {"inGroup(\"a\")", "room", false},
	        {"user.email == email", "user.email", true},
	        {"user.email == email", "email", false},
	        {"true", "room", false},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct br_error err = {0};
		struct br_rule *r =
		        br_rule_parse(cases[i].rule, "t.conf", 1, "[rules] allow", &err);
		if (r == NULL)
			fail_msg("%s: %s", cases[i].rule, err.msg);
		if (br_rule_reads(r, cases[i].name) != cases[i].want)
			fail_msg("%s reads %s: want %d", cases[i].rule, cases[i].name,
			         cases[i].want);
		br_rule_free(r);
	}
	assert_false(br_rule_reads(NULL, "room"));

	static const struct {
		const char *rule;
		bool is_true, is_false;
	} consts[] = {
	        {"true", true, false},       {" ( true ) ", true, false},
	        {"false", false, true},      {"not false", false, false},
	        {"true or x", false, false}, {"\"true\"", false, false},
	};
	for (size_t i = 0; i < sizeof(consts) / sizeof(consts[0]); i++) {
		struct br_error err = {0};
		struct br_rule *r =
		        br_rule_parse(consts[i].rule, "t.conf", 1, "[rules] allow", &err);
		assert_non_null(r);
		if (br_rule_is_const(r, true) != consts[i].is_true ||
		    br_rule_is_const(r, false) != consts[i].is_false)
			fail_msg("%s: constant?", consts[i].rule);
		br_rule_free(r);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_email_verified),
	        cmocka_unit_test(test_reads),
	        cmocka_unit_test(test_case_ok),
	        cmocka_unit_test(test_parse_errors),
	        cmocka_unit_test(test_parse_limits),
	        cmocka_unit_test_setup_teardown(test_eval, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_policy, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
