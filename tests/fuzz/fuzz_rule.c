/*
 * fuzz_rule.c - libFuzzer target: arbitrary bytes as a rule (and as a claim
 * path), parsed and, when valid, evaluated against a fixed claims document
 * that holds every odd shape (null, numbers, nested objects, a 100k-element
 * array, NUL in a string).
 *
 * `make fuzz` builds and runs it (tests/fuzz/build.sh, run.sh).  By hand,
 * from the source root:
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Iinclude -Itests/fuzz \
 *     tests/fuzz/fuzz_rule.c bridge/rule.c bridge/claims.c bridge/error.c \
 *     -ljansson -lunistring -o tests/fuzz/fuzz_rule
 *   ./tests/fuzz/fuzz_rule -max_total_time=60 -max_len=4200 tests/fuzz/corpus/rule
 * (tests/fuzz/config.h is the stand-in for autoconf's config.h.)
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bridge/rule.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static json_t *claims;
static char *groups[] = {"/jitsi-meet", "/staff/jitsi-moderators", "plain", "1", ""};
static struct br_user user = {
        .id = "u1", .name = "Zoë", .email = "zoe@example.org", .groups = groups, .n_groups = 5};

static void init(void)
{
	json_error_t jerr;
	claims = json_loads(
	        "{\"sub\":\"u1\",\"n\":null,\"num\":42,\"real\":1.5,\"zero\":0,\"t\":true,"
	        "\"f\":false,\"s\":\"\",\"str\":\"Hello World\",\"words\":\"a b  c\","
	        "\"arr\":[\"x\",1,true,null,{\"k\":\"v\"},[[[]]]],\"empty\":[],"
	        "\"obj\":{\"k\":\"v\",\"n\":{\"m\":[1,2]}},\"eobj\":{},"
	        "\"https://example.org/groups\":[\"ext\"],\"x.y\":{\"roles\":[\"r1\"]},"
	        "\"room\":\"claimroom\",\"groups\":[\"claimgroup\"],\"user\":{\"id\":\"c\"},"
	        "\"mail\":\"ZOË@Example.ORG\",\"nul\":\"a\\u0000b\",\"neg\":-3,\"big_real\":1e308,"
	        "\"realm_access\":{\"roles\":[\"admin\"]},\"a\":{\"b\":{\"c\":{\"d\":\"deep\"}}}}",
	        JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerr);
	if (claims == NULL)
		abort();
	json_t *big = json_array();
	for (int i = 0; i < 100000; i++)
		json_array_append_new(big, i % 2 ? json_integer(i) : json_string("g"));
	json_object_set_new(claims, "big", big);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct br_error err;
	char *text;

	if (claims == NULL)
		init();
	text = malloc(size + 1);
	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';

	struct br_rule *rule = br_rule_parse(text, "fuzz.conf", 1, "[rules] allow", &err);
	if (rule != NULL) {
		const struct br_rule_ctx ctxs[] = {
		        {claims, &user, "café zoë", "acme"},
		        {claims, NULL, NULL, NULL},
		        {NULL, NULL, "", NULL},
		};
		for (size_t i = 0; i < sizeof(ctxs) / sizeof(ctxs[0]); i++)
			(void)br_rule_eval(rule, &ctxs[i]);
		/* A rule that does not read room (what room = wildcard
		 * relies on) decides the same for every room. */
		const struct br_rule_ctx other = {claims, &user, "board-x", "acme"};
		if (!br_rule_reads(rule, "room") &&
		    br_rule_eval(rule, &ctxs[0]) != br_rule_eval(rule, &other))
			abort();
		(void)br_rule_is_const(rule, true);
		br_rule_free(rule);
	} else if (strlen(err.msg) == 0 || strncmp(err.msg, "fuzz.conf:", 10) != 0) {
		/* Every failure must say where. */
		abort();
	}
	struct br_claim_path path;
	size_t used, epos;
	if (br_claims_path_parse(text, strlen(text), &used, &path, &epos, NULL) == 0) {
		if (used > strlen(text))
			abort();
		(void)br_claims_path_get(claims, &path);
		br_claims_path_clear(&path);
	}
	/* A list the loader accepts is one the mapping can read: every word
	 * parses as a whole. */
	struct br_error perr;
	if (br_claims_paths_check(text, &perr) < 0 && strncmp(perr.msg, "claim path \"", 12) != 0 &&
	    perr.code != BR_E_NOMEM)
		abort();
	free(text);
	return 0;
}
