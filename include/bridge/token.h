/*
 * token.h - building and signing the Jitsi token.
 *
 * The token is what Jitsi's Prosody token module and web app accept (see
 * DESIGN.md, "The Jitsi token"): header {"alg","typ":"JWT","kid"}, claims
 * iss, aud, sub, room, iat, nbf, exp, context.user, context.features.
 */
#ifndef BR_TOKEN_H
#define BR_TOKEN_H

#include <time.h>

#include <jansson.h>

#include "bridge/claims.h"
#include "bridge/configuration.h"
#include "bridge/error.h"
#include "bridge/keys.h"
#include "bridge/room.h"
#include "bridge/rule.h"

/* Signs claims (borrowed) with the bridge's current key: header
 * {"alg","typ":"JWT"} plus "kid" for RS*, then the compact JWS as a new
 * string (free() it), or NULL with err set.  The Jitsi token and the ID
 * token of the native SSO token service are both made here. */
char *br_token_sign(const struct br_keys *keys, const json_t *claims, struct br_error *err);

/* Builds and signs the token for user with the decisions d (moderator and
 * features; d->allow is the caller's business).  room is the parsed room
 * (its backend form becomes the room claim); it may be NULL with
 * cfg->room == BR_ROOM_WILDCARD, which always gives room "*".  tenant (NULL
 * when none) must satisfy br_tenant_valid(); sub is then the tenant
 * lower-cased instead of cfg->domain.  now is the issue time.  Returns the
 * compact JWS as a new string (free() it), or NULL with err set. */
char *br_token_build(const struct br_config *cfg, const struct br_keys *keys,
                     const struct br_user *user, const struct br_decision *d,
                     const struct br_room *room, const char *tenant, time_t now,
                     struct br_error *err);

#endif
