/*
 * issue.h - the one decision path: claims -> user -> room -> rules -> token.
 *
 * /callback (a first login and every renewal) and --issue-token both call
 * br_issue(), so what the CLI prints for a set of claims is the decision a
 * login with those claims gets, and nothing else decides who may join.
 */
#ifndef BR_ISSUE_H
#define BR_ISSUE_H

#include <time.h>

#include <jansson.h>

#include "bridge/claims.h"
#include "bridge/configuration.h"
#include "bridge/error.h"
#include "bridge/keys.h"
#include "bridge/room.h"
#include "bridge/rule.h"

/* Which step failed, when br_issue() returns -1. */
enum br_issue_step {
	BR_ISSUE_CLAIMS = 1, /* the claims do not map (missing id, beyond a limit) */
	BR_ISSUE_ROOM,       /* the room is not a valid room name */
	BR_ISSUE_RULES,      /* evaluating the rules failed */
	BR_ISSUE_TOKEN,      /* building or signing the token failed */
};

struct br_issue {
	struct br_user user;         /* the mapped claims */
	struct br_room room;         /* the room, parsed */
	struct br_decision decision; /* what the rules said */
	char *token;                 /* the signed token when decision.allow, else NULL */
	enum br_issue_step failed;   /* set when br_issue() returns -1 */
};

/* Maps claims (borrowed) with cfg's [claims], parses room (the name as the
 * person typed it, "" for none), evaluates policy on what the token will
 * carry (the readable room, tenant as given: NULL or a valid lower-case
 * tenant), and when the rules allow it signs the token at now.  Returns 0
 * with out filled (out->token NULL when denied), or -1 with out->failed and
 * err set; either way release out with br_issue_clear(). */
int br_issue(const struct br_config *cfg, const struct br_keys *keys,
             const struct br_policy *policy, const json_t *claims, const char *room,
             const char *tenant, time_t now, struct br_issue *out, struct br_error *err);

/* Wipes and frees the token and releases the rest of out.  NULL is fine. */
void br_issue_clear(struct br_issue *out);

#endif
