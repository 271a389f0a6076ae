/*
 * fuzz_claims.c - libFuzzer target: arbitrary bytes as the claims JSON of a
 * login, mapped with [claims] paths of every kind and run through a fixed
 * set of rules.
 *
 * Build and run from the source root (not wired into make yet):
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Iinclude -I. -Ib \
 *     tests/fuzz/fuzz_claims.c bridge/rule.c bridge/claims.c bridge/error.c \
 *     -ljansson -lunistring -o tests/fuzz/fuzz_claims
 *   ./tests/fuzz/fuzz_claims -max_total_time=60 tests/fuzz/corpus/claims
 * (-Ib: the build dir that holds autoconf's config.h.)
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bridge/rule.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const rules[] = {
        "inGroup(\"jitsi\") and not room =~ \"^board-\" or inGroup(\"board\")",
        "\"admin\" in realm_access.roles or \"recorder\" in resource_access.jitsi.roles",
        "lower(email) =~ \"@example\\\\.org$\" && exists(claims[\"https://x/y\"].z)",
        "user.name == name or sub == 42 or groups or a.b.c in [1, \"2\", true]",
        "startsWith(user.id, sub) and endsWith(lower(preferred_username), \"x\")",
};
static struct br_rule *compiled[sizeof(rules) / sizeof(rules[0])];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct br_config cfg;
	struct br_user user;
	struct br_error err;
	json_error_t jerr;
	json_t *claims;

	if (compiled[0] == NULL) {
		for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
			compiled[i] =
			        br_rule_parse(rules[i], "fuzz.conf", 1, "[rules] allow", &err);
			if (compiled[i] == NULL)
				abort();
		}
	}
	claims = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL,
	                    &jerr);
	if (claims == NULL)
		return 0;
	memset(&cfg, 0, sizeof(cfg));
	cfg.claim_id = "sub oid claims[\"https://x/y\"].id";
	cfg.claim_name = "name preferred_username a.b.c";
	cfg.claim_email = "email upn";
	cfg.claim_avatar = "picture claims['a b']";
	cfg.claim_groups = "groups realm_access.roles resource_access.jitsi.roles";
	(void)br_claims_incomplete(&cfg, claims);
	if (br_claims_map(&cfg, claims, &user, &err) == 0) {
		if (user.id == NULL || user.id[0] == '\0' || user.n_groups > BR_CLAIM_GROUPS_MAX)
			abort();
		struct br_rule_ctx ctx = {claims, &user, "board-x", NULL};
		for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
			(void)br_rule_eval(compiled[i], &ctx);
		br_user_clear(&user);
	}
	json_decref(claims);
	return 0;
}
