/*
 * rule.h - the rule language of [rules] and [features].
 *
 * Parsed once at load into a struct br_rule; evaluated per login against a
 * struct br_rule_ctx.  Evaluation is total: any claim shape gives true or
 * false.  A struct br_policy bundles allow, moderator and the features of a
 * config.
 *
 * Semantics (see docs/rules.md for the operator's version):
 * - missing claims and JSON null are the same: `==` with one is false,
 *   `a != b` is always `not (a == b)`;
 * - `==` between scalars of different types compares string forms
 *   (42 == "42", true == "true"); arrays and objects equal nothing;
 * - `x =~ "re"` is false unless x is a string; `!~` is `not =~`;
 * - `x in y`: y an array, [list] or groups with an element whose string form
 *   is x's, or a string with the space-separated word x; else false;
 * - a bare value is true when it is true, a number other than 0, or a
 *   non-empty string, array or object;
 * - room, tenant, groups, user.id/name/email/avatar are the bridge's
 *   values; claims["room"] reaches a claim of that name.
 * Limits: 4096 bytes, nesting 64, lists 256, regexes 512 bytes without
 * back-references or stacked quantifiers.  Error columns count characters
 * from 1 at the start of the rule text; a rule over several lines counts
 * lines from the config line.
 */
#ifndef BR_RULE_H
#define BR_RULE_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "bridge/claims.h"
#include "bridge/error.h"

struct br_rule;

/* A rule expression as written in the config, with where it was written
 * (for error messages of the rule parser: file, line; the column is
 * counted from the first character of the value). */
struct br_rule_src {
	char *name; /* "allow", "moderator", or the feature name */
	char *text;
	int line; /* 0 when it is the built-in default or came from the environment */
};

/* [rules] and [features] as written (struct br_config rules, which owns
 * them).  Rule text is not parsed by the config loader (br_policy_new()
 * does); features keep the order of the file, then new ones from the
 * environment (JITSI_OIDC_BRIDGE_FEATURES_SCREEN_SHARING names the feature
 * "screen-sharing": lower-cased, '_' -> '-'). */
struct br_rules {
	struct br_rule_src allow;
	struct br_rule_src moderator;
	struct br_rule_src lobby_bypass;
	struct br_rule_src security_bypass;
	struct br_rule_src *features;
	size_t n_features;
};

/* What a rule sees at evaluation time; everything borrowed. */
struct br_rule_ctx {
	const json_t *claims;       /* raw claims (ID token + userinfo) */
	const struct br_user *user; /* the mapped user */
	const char *room;           /* readable room name (NFKC, lower-case, not %-encoded) */
	const char *tenant;         /* NULL when none */
};

/* Parses text.  file and line say where the text starts, for errors of the
 * form "FILE:LINE:COL: [rules] allow: expected ')' but found end of rule"
 * (section and key come from name, e.g. "[rules] allow").  With line <= 0
 * (a default or the environment) the form is "NAME: column COL: ...".
 * Returns NULL with err set (BR_E_CONFIG) on a syntax error or an invalid
 * regex. */
struct br_rule *br_rule_parse(const char *text, const char *file, int line, const char *name,
                              struct br_error *err);
bool br_rule_eval(const struct br_rule *rule, const struct br_rule_ctx *ctx);
void br_rule_free(struct br_rule *rule);

/* Whether rule reads the bridge's value name ("room", "tenant", "groups",
 * "user.id", "user.name", "user.email", "user.avatar") anywhere in its
 * tree, even where evaluation would not reach it (`false and room == "x"`
 * reads room).  inGroup() reads "groups".  A claim path such as
 * claims["room"] is not the bridge's value; an unknown name gives false. */
bool br_rule_reads(const struct br_rule *rule, const char *name);

/* Whether rule is the literal value (`true`, `(true)`), not an expression
 * that happens to evaluate to it. */
bool br_rule_is_const(const struct br_rule *rule, bool value);

/* The decisions of one login. */
struct br_decision {
	bool allow;
	bool moderator;
	bool lobby_bypass;    /* context.user.lobby_bypass */
	bool security_bypass; /* context.user.security_bypass */
	size_t n_features;
	const char *const *feature_names; /* borrowed from the policy */
	bool *feature_values;             /* owned: free with br_decision_clear() */
};

struct br_policy;

/* Compiles [rules] allow, moderator, lobby_bypass, security_bypass and every
 * [features] key of rules (a NULL text takes the documented default: "true"
 * for allow and moderator, "false" for the bypasses and a feature); path is
 * the config file the rules were read from, for FILE:LINE in errors. */
struct br_policy *br_policy_new(const struct br_rules *rules, const char *path,
                                struct br_error *err);
void br_policy_free(struct br_policy *policy);

/* Evaluates every rule of the policy.  Returns 0, or -1 on allocation
 * failure. */
int br_policy_decide(const struct br_policy *policy, const struct br_rule_ctx *ctx,
                     struct br_decision *out);
void br_decision_clear(struct br_decision *d);

#endif
