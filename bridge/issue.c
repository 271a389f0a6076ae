/*
 * issue.c - the one decision path: claims -> user -> room -> rules -> token.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "bridge/issue.h"
#include "bridge/strbuf.h"
#include "bridge/token.h"

int br_issue(const struct br_config *cfg, const struct br_keys *keys,
             const struct br_policy *policy, const json_t *claims, const char *room,
             const char *tenant, time_t now, struct br_issue *out, struct br_error *err)
{
	struct br_rule_ctx ctx;

	memset(out, 0, sizeof(*out));
	if (br_claims_map(&cfg->claims, claims, &out->user, err) != 0) {
		out->failed = BR_ISSUE_CLAIMS;
		return -1;
	}
	if (br_room_parse(room ? room : "", &out->room, err) != 0) {
		out->failed = BR_ISSUE_ROOM;
		return -1;
	}
	ctx.claims = claims;
	ctx.user = &out->user;
	ctx.room = out->room.readable;
	ctx.tenant = tenant;
	if (br_policy_decide(policy, &ctx, &out->decision) != 0) {
		br_error_set(err, BR_E_INTERNAL, "evaluating the rules failed");
		out->failed = BR_ISSUE_RULES;
		return -1;
	}
	if (!out->decision.allow)
		return 0;
	out->token =
	        br_token_build(cfg, keys, &out->user, &out->decision,
	                       cfg->room == BR_ROOM_WILDCARD ? NULL : &out->room, tenant, now, err);
	if (out->token == NULL) {
		out->failed = BR_ISSUE_TOKEN;
		return -1;
	}
	return 0;
}

void br_issue_clear(struct br_issue *out)
{
	if (out == NULL)
		return;
	br_strbuf_wipe_free(out->token);
	br_decision_clear(&out->decision);
	br_room_clear(&out->room);
	br_user_clear(&out->user);
	memset(out, 0, sizeof(*out));
}
