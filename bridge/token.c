/*
 * token.c - building and signing the Jitsi token.
 *
 * Each claim is shaped by what Jitsi's own verifier (Prosody's token
 * module, luajwtjitsi) and web app accept; DESIGN.md "The Jitsi token" has
 * the reasons.  JSON is built with jansson (compact, member order as
 * inserted) and signed by keys.c.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "bridge/token.h"
#include "bridge/b64url.h"

/* Sets key to a string, skipping absent and empty values: Jitsi shows an
 * empty name or avatar as such, so absent is better. */
static int set_opt(json_t *obj, const char *key, const char *value)
{
	if (value == NULL || value[0] == '\0')
		return 0;
	return json_object_set_new(obj, key, json_string(value));
}

static json_t *build_claims(const struct br_config *cfg, const struct br_user *user,
                            const struct br_decision *d, const char *room, const char *sub,
                            time_t now, struct br_error *err)
{
	json_t *claims = json_object();
	json_t *context = json_object();
	json_t *juser = json_object();
	json_t *features = NULL;
	int r = 0;

	if (claims == NULL || context == NULL || juser == NULL)
		goto nomem;
	/* Insertion order is the output order: keep it readable. */
	r |= json_object_set_new(claims, "iss", json_string(cfg->app_id));
	r |= json_object_set_new(claims, "aud", json_string(cfg->audience));
	r |= json_object_set_new(claims, "sub", json_string(sub));
	r |= json_object_set_new(claims, "room", json_string(room));
	r |= json_object_set_new(claims, "iat", json_integer((json_int_t)now));
	r |= json_object_set_new(claims, "nbf", json_integer((json_int_t)(now - cfg->clock_skew)));
	r |= json_object_set_new(claims, "exp",
	                         json_integer((json_int_t)(now + cfg->token_lifetime)));
	if (r != 0)
		goto invalid;

	r |= set_opt(juser, "id", user->id);
	r |= set_opt(juser, "name", user->name);
	r |= set_opt(juser, "email", user->email);
	r |= set_opt(juser, "avatar", user->avatar);
	r |= json_object_set_new(juser, "affiliation",
	                         json_string(d->moderator ? "owner" : "member"));
	r |= json_object_set_new(juser, "moderator", json_boolean(d->moderator));
	/* jitsi-contrib's token_lobby_bypass and token_security_ondemand act on
	 * true only: absent is the same as false, so only true is written. */
	if (d->lobby_bypass)
		r |= json_object_set_new(juser, "lobby_bypass", json_true());
	if (d->security_bypass)
		r |= json_object_set_new(juser, "security_bypass", json_true());
	if (r != 0)
		goto invalid;
	r = json_object_set(context, "user", juser);
	if (d->n_features > 0) {
		features = json_object();
		if (features == NULL)
			goto nomem;
		for (size_t i = 0; i < d->n_features; i++)
			r |= json_object_set_new(features, d->feature_names[i],
			                         json_boolean(d->feature_values[i]));
		r |= json_object_set(context, "features", features);
	}
	r |= json_object_set(claims, "context", context);
	if (r != 0)
		goto invalid;
	json_decref(juser);
	json_decref(features);
	json_decref(context);
	return claims;
invalid:
	/* json_string() refuses NULL and invalid UTF-8; the config and the
	 * claim mapping are meant to rule both out. */
	br_error_set(err, BR_E_INTERNAL,
	             "cannot build the token: a claim value is missing or not valid UTF-8");
	goto fail;
nomem:
	br_error_set(err, BR_E_NOMEM, "out of memory");
fail:
	json_decref(juser);
	json_decref(features);
	json_decref(context);
	json_decref(claims);
	return NULL;
}

/* base64url(JSON of obj), compact. */
static char *encode_part(const json_t *obj)
{
	char *json = json_dumps(obj, JSON_COMPACT);
	if (json == NULL)
		return NULL;
	char *b64 = br_b64url_encode_new((const unsigned char *)json, strlen(json));
	free(json);
	return b64;
}

char *br_token_sign(const struct br_keys *keys, const json_t *claims, struct br_error *err)
{
	json_t *header;
	char *h64 = NULL, *c64 = NULL, *s64 = NULL, *input = NULL, *token = NULL;
	unsigned char *sig = NULL;
	size_t siglen = 0;

	header = json_pack("{s:s, s:s}", "alg", br_keys_alg_name(keys), "typ", "JWT");
	if (header == NULL)
		goto nomem;
	if (br_keys_is_rsa(keys) &&
	    json_object_set_new(header, "kid", json_string(br_keys_kid(keys))) != 0)
		goto nomem;
	h64 = encode_part(header);
	c64 = encode_part(claims);
	if (h64 == NULL || c64 == NULL || asprintf(&input, "%s.%s", h64, c64) < 0) {
		input = NULL;
		goto nomem;
	}
	if (br_keys_sign(keys, (const unsigned char *)input, strlen(input), &sig, &siglen, err) !=
	    0)
		goto out;
	s64 = br_b64url_encode_new(sig, siglen);
	if (s64 == NULL || asprintf(&token, "%s.%s", input, s64) < 0) {
		token = NULL;
		goto nomem;
	}
	goto out;
nomem:
	br_error_set(err, BR_E_NOMEM, "out of memory");
out:
	json_decref(header);
	free(h64);
	free(c64);
	free(s64);
	free(input);
	free(sig);
	return token;
}

char *br_token_build(const struct br_config *cfg, const struct br_keys *keys,
                     const struct br_user *user, const struct br_decision *d,
                     const struct br_room *room, const char *tenant, time_t now,
                     struct br_error *err)
{
	json_t *claims;
	char *token;
	char sub[64];
	const char *room_claim;

	if (user == NULL || user->id == NULL || user->id[0] == '\0') {
		br_error_set(err, BR_E_INTERNAL, "cannot build the token: no user id");
		return NULL;
	}
	if (cfg->room == BR_ROOM_WILDCARD) {
		room_claim = "*";
	} else if (room != NULL && room->backend != NULL) {
		room_claim = room->backend;
	} else {
		br_error_set(err, BR_E_INVALID, "no room given");
		return NULL;
	}
	if (tenant != NULL) {
		if (!br_tenant_valid(tenant)) {
			br_error_set(err, BR_E_INVALID,
			             "the tenant is not valid (1 to 63 of A-Z a-z 0-9 . _ -)");
			return NULL;
		}
		/* Prosody compares sub with the tenant in lower case. */
		size_t i = 0;
		for (; tenant[i] != '\0' && i < sizeof(sub) - 1; i++)
			sub[i] = (char)tolower((unsigned char)tenant[i]);
		sub[i] = '\0';
	}
	claims = build_claims(cfg, user, d, room_claim, tenant != NULL ? sub : cfg->domain, now,
	                      err);
	if (claims == NULL)
		return NULL;
	token = br_token_sign(keys, claims, err);
	json_decref(claims);
	return token;
}
