/* test_issue.c - the one decision path: claims, room, rules, token. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bridge/issue.h"
#include "bridge/keys.h"
#include "bridge/log.h"

#define NOW ((time_t)1764560000)

static unsigned char secret[] = "an HMAC secret of more than 32 bytes, for tests only";

struct fixture {
	struct br_config cfg;
	struct br_keys *keys;
	struct br_policy *policy;
	json_t *member;   /* in jitsi-meet */
	json_t *outsider; /* in no group */
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct br_error err = {0};

	br_log_set_level(BR_LOG_ERROR);
	f->cfg.jitsi_url = "https://meet.example.org";
	f->cfg.app_id = "jitsi";
	f->cfg.audience = "jitsi";
	f->cfg.domain = "meet.example.org";
	f->cfg.algorithm = BR_ALG_HS256;
	f->cfg.app_secret = secret;
	f->cfg.app_secret_len = sizeof(secret) - 1;
	f->cfg.clock_skew = 60;
	f->cfg.token_lifetime = 3600;
	f->cfg.room = BR_ROOM_REQUESTED;
	f->cfg.claims.id = "sub";
	f->cfg.claims.name = "name";
	f->cfg.claims.groups = "groups";
	f->cfg.rules.allow = (struct br_rule_src){
	        "allow", "inGroup(\"jitsi-meet\") or room == \"café zoë\" and tenant == \"sales\"",
	        1};
	f->cfg.rules.moderator = (struct br_rule_src){"moderator", "user.name == \"Ada\"", 2};
	f->keys = br_keys_load(&f->cfg, &err);
	if (f->keys == NULL)
		fail_msg("keys: %s", err.msg);
	f->policy = br_policy_new(&f->cfg.rules, f->cfg.path, &err);
	if (f->policy == NULL)
		fail_msg("policy: %s", err.msg);
	f->member =
	        json_pack("{s:s, s:s, s:[s]}", "sub", "u-1", "name", "Ada", "groups", "jitsi-meet");
	f->outsider = json_pack("{s:s, s:s}", "sub", "u-2", "name", "Bob");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	json_decref(f->member);
	json_decref(f->outsider);
	br_policy_free(f->policy);
	br_keys_free(f->keys);
	free(f);
	return 0;
}

static void test_allowed(void **state)
{
	struct fixture *f = *state;
	struct br_issue is;
	struct br_error err = {0};

	assert_int_equal(
	        br_issue(&f->cfg, f->keys, f->policy, f->member, "My Room", NULL, NOW, &is, &err),
	        0);
	assert_string_equal(is.user.id, "u-1");
	assert_string_equal(is.room.readable, "my room");
	assert_string_equal(is.room.backend, "my%20room");
	assert_true(is.decision.allow);
	assert_true(is.decision.moderator);
	assert_non_null(is.token);
	assert_int_equal(strncmp(is.token, "eyJ", 3), 0);
	br_issue_clear(&is);
	assert_null(is.token);
}

/* Denied is an answer, not a failure: no token. */
static void test_denied(void **state)
{
	struct fixture *f = *state;
	struct br_issue is;
	struct br_error err = {0};

	assert_int_equal(
	        br_issue(&f->cfg, f->keys, f->policy, f->outsider, "My Room", NULL, NOW, &is, &err),
	        0);
	assert_false(is.decision.allow);
	assert_null(is.token);
	br_issue_clear(&is);
}

/* The rules see the readable room and the tenant the token carries. */
static void test_rules_see_token_values(void **state)
{
	struct fixture *f = *state;
	struct br_issue is;
	struct br_error err = {0};

	assert_int_equal(br_issue(&f->cfg, f->keys, f->policy, f->outsider, "Café Zoë", "sales",
	                          NOW, &is, &err),
	                 0);
	assert_true(is.decision.allow);
	assert_false(is.decision.moderator);
	assert_non_null(is.token);
	br_issue_clear(&is);
	assert_int_equal(br_issue(&f->cfg, f->keys, f->policy, f->outsider, "Café Zoë", NULL, NOW,
	                          &is, &err),
	                 0);
	assert_false(is.decision.allow);
	br_issue_clear(&is);
}

static void test_failures(void **state)
{
	struct fixture *f = *state;
	struct br_issue is;
	struct br_error err = {0};
	json_t *no_sub = json_pack("{s:s}", "name", "Eve");

	assert_int_equal(br_issue(&f->cfg, f->keys, f->policy, no_sub, "r", NULL, NOW, &is, &err),
	                 -1);
	assert_int_equal(is.failed, BR_ISSUE_CLAIMS);
	assert_null(is.token);
	br_issue_clear(&is);
	json_decref(no_sub);

	assert_int_equal(
	        br_issue(&f->cfg, f->keys, f->policy, f->member, "a/b", NULL, NOW, &is, &err), -1);
	assert_int_equal(is.failed, BR_ISSUE_ROOM);
	assert_null(is.token);
	br_issue_clear(&is);
	br_issue_clear(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_allowed),
	        cmocka_unit_test(test_denied),
	        cmocka_unit_test(test_rules_see_token_values),
	        cmocka_unit_test(test_failures),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
