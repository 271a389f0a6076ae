/*
 * claims.h - claim path lookup and the [claims] mapping.
 *
 * The raw claims are the ID token payload merged with userinfo (a jansson
 * object).  The mapping turns them into a struct br_user, the person a Jitsi
 * token is issued to.
 */
#ifndef BR_CLAIMS_H
#define BR_CLAIMS_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "bridge/config.h"
#include "bridge/error.h"

/* The mapped user.  Every string is owned by the struct, UTF-8, NUL-free;
 * NULL when the claim is absent (id never is after a successful map). */
struct br_user {
	char *id;
	char *name;
	char *email;
	char *avatar;
	char **groups; /* n_groups strings, as the IdP wrote them ("/a/b" kept) */
	size_t n_groups;
};

/* Looks up one claim path in claims: "sub", "realm_access.roles",
 * "resource_access.jitsi.roles", or claims["https://example.org/groups"]
 * (possibly followed by .more or ["more"]).  Returns a borrowed reference or
 * NULL when absent or the path is malformed. */
json_t *br_claims_lookup(const json_t *claims, const char *path);

/* Maps claims into user with the [claims] paths of cfg (space-separated
 * fallbacks, first present wins).  On failure (the id claim is missing or
 * unusable) returns -1 with err naming the claim path(s) (BR_E_PROTOCOL). */
int br_claims_map(const struct br_config *cfg, const json_t *claims, struct br_user *user,
                  struct br_error *err);

/* Whether the mapped user would still miss a claim that userinfo may supply
 * (for [provider] userinfo = auto): true when a configured claim of the
 * mapping resolves to nothing in claims. */
bool br_claims_incomplete(const struct br_config *cfg, const json_t *claims);

/* Frees the strings of user and zeroes it. */
void br_user_clear(struct br_user *user);

#endif
