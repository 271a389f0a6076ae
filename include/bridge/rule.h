/*
 * rule.h - the rule language of [rules] and [features].
 *
 * Parsed once at load into a struct br_rule; evaluated per login against a
 * struct br_rule_ctx.  Evaluation is total: any claim shape gives true or
 * false.  A struct br_policy bundles allow, moderator and the features of a
 * config.
 */
#ifndef BR_RULE_H
#define BR_RULE_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "bridge/claims.h"
#include "bridge/config.h"
#include "bridge/error.h"

struct br_rule;

/* What a rule sees at evaluation time; everything borrowed. */
struct br_rule_ctx {
	const json_t *claims;       /* raw claims (ID token + userinfo) */
	const struct br_user *user; /* the mapped user */
	const char *room;           /* readable room name (NFKC, lower-case, not %-encoded) */
	const char *tenant;         /* NULL when none */
};

/* Parses text.  file and line say where the text starts, for errors of the
 * form "FILE:LINE:COL: [rules] allow: expected ')' after ..." (section and
 * key come from name, e.g. "[rules] allow").  Returns NULL with err set
 * (BR_E_CONFIG) on a syntax error or an invalid regex. */
struct br_rule *br_rule_parse(const char *text, const char *file, int line, const char *name,
                              struct br_error *err);
bool br_rule_eval(const struct br_rule *rule, const struct br_rule_ctx *ctx);
void br_rule_free(struct br_rule *rule);

/* The decisions of one login. */
struct br_decision {
	bool allow;
	bool moderator;
	size_t n_features;
	const char *const *feature_names; /* borrowed from the policy */
	bool *feature_values;             /* owned: free with br_decision_clear() */
};

struct br_policy;

/* Compiles [rules] allow, moderator and every [features] key of cfg. */
struct br_policy *br_policy_new(const struct br_config *cfg, struct br_error *err);
void br_policy_free(struct br_policy *policy);

/* Evaluates every rule of the policy.  Returns 0, or -1 on allocation
 * failure. */
int br_policy_decide(const struct br_policy *policy, const struct br_rule_ctx *ctx,
                     struct br_decision *out);
void br_decision_clear(struct br_decision *d);

#endif
