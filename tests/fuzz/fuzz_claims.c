/*
 * fuzz_claims.c - libFuzzer target: arbitrary JSON as the raw claims (ID
 * token payload + userinfo), mapped with br_claims_map() under a [claims]
 * section that exercises every path form, then judged by a policy compiled
 * once (br_policy_decide) whose rules touch groups, claims, room, tenant.
 *
 * Build with `make fuzz` (tests/fuzz/build.sh OUTDIR fuzz_claims); run:
 *   ./fuzz_claims -max_total_time=60 tests/fuzz/corpus/claims
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "bridge/claims.h"
#include "bridge/configuration.h"
#include "bridge/error.h"
#include "bridge/rule.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char s_id[] = "sub preferred_username oid";
static char s_name[] = "name given_name";
static char s_email[] = "email upn";
static char s_avatar[] = "picture claims[\"https://example.org/avatar\"]";
static char s_groups[] = "groups realm_access.roles resource_access.jitsi.roles "
                         "claims[\"https://example.org/groups\"] roles";
static char n_allow[] = "allow", n_mod[] = "moderator", n_rec[] = "recording",
            n_live[] = "livestreaming";
static char r_allow[] = "inGroup(\"/jitsi-meet\") or \"jitsi\" in realm_access.roles or "
                        "email =~ \"@example\\\\.org$\" or exists(claims[\"x.y\"].roles)";
static char r_mod[] = "inGroup(\"/staff/jitsi-moderators\") and not room =~ \"^board-\" or "
                      "\"admin\" in resource_access.jitsi.roles && tenant == \"acme\"";
static char r_rec[] = "lower(user.email) in [lower(email), \"x\", 1.5, -3] || "
                      "startsWith(user.name, \"Z\") && endsWith(user.id, 'c')";
static char r_live[] = "!(email_verified == true) and \"g\" in groups or user.email !~ \"^$\"";

static struct br_rule_src features[] = {{n_rec, r_rec, 0}, {n_live, r_live, 0}};
static struct br_config cfg = {
        .claims.id = s_id,
        .claims.name = s_name,
        .claims.email = s_email,
        .claims.avatar = s_avatar,
        .claims.groups = s_groups,
        .rules.allow = {n_allow, r_allow, 0},
        .rules.moderator = {n_mod, r_mod, 0},
        .rules.features = features,
        .rules.n_features = 2,
};
static struct br_policy *policy;

static void check_string(const char *s)
{
	if (s != NULL && strlen(s) > BR_CLAIM_STRING_MAX)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct br_error err = {0};
	json_error_t jerr;

	if (policy == NULL) {
		policy = br_policy_new(&cfg.rules, cfg.path, &err);
		if (policy == NULL)
			abort();
	}
	/* As the callback reads claims: ID token payload, no NUL escapes. */
	json_t *claims = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &jerr);
	if (claims == NULL)
		return 0;

	struct br_user user = {0};
	(void)br_claims_incomplete(&cfg.claims, claims);
	if (br_claims_map(&cfg.claims, claims, &user, &err) == 0) {
		if (user.id == NULL || user.n_groups > BR_CLAIM_GROUPS_MAX)
			abort();
		check_string(user.id);
		check_string(user.name);
		check_string(user.email);
		check_string(user.avatar);
		for (size_t i = 0; i < user.n_groups; i++)
			if (user.groups[i] == NULL || strlen(user.groups[i]) > BR_CLAIM_GROUP_MAX)
				abort();
		const struct br_rule_ctx ctxs[] = {
		        {claims, &user, "board-meeting", "acme"},
		        {claims, &user, "café zoë", NULL},
		};
		for (size_t i = 0; i < sizeof(ctxs) / sizeof(ctxs[0]); i++) {
			struct br_decision d = {0};
			if (br_policy_decide(policy, &ctxs[i], &d) == 0) {
				if (d.n_features != 2)
					abort();
				br_decision_clear(&d);
			}
		}
		br_user_clear(&user);
	} else if (err.msg[0] == '\0' || user.id != NULL) {
		abort();
	}
	json_decref(claims);
	return 0;
}
