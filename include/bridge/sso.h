/*
 * sso.h - the bridge as the token service of Jitsi's native SSO
 * (jitsi-meet static/sso.html with config.sso = {tokenService, clientId}).
 *
 * GET P/authorize is Jitsi's authorization request; the bridge runs its
 * normal upstream login and sends the browser back to sso.html with a
 * bridge code.  POST P/token exchanges that code (PKCE S256), or a renewal
 * handle, for the Jitsi token and an ID token the bridge signs.  Nothing
 * is kept in memory: what /authorize received travels across the upstream
 * login in a sealed cookie (jitsi_sso_<first 8 chars of the login state>),
 * and the code is itself sealed (purpose label BR_SEAL_SSO_CODE) with a
 * 60-second end.  This module holds the pure parts: sealing, PKCE, the
 * strict form parser, the ID token and sso.html's double-encoded state.
 */
#ifndef BR_SSO_H
#define BR_SSO_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "bridge/error.h"
#include "bridge/keys.h"
#include "bridge/seal.h"

#define BR_SEAL_SSO_CODE    "seal:sso-code:1"
#define BR_SEAL_SSO_REQUEST "seal:sso-request:1"

#define BR_SSO_CODE_LIFETIME     60   /* seconds a bridge code may be exchanged */
#define BR_SSO_CODE_TEXT_MAX     7600 /* longest code opened (the form is 8 KiB) */
#define BR_SSO_STATE_MAX         2048 /* longest Jitsi state kept (refreshToken removed) */
#define BR_SSO_NONCE_MAX         128  /* longest Jitsi nonce (it sends 64 hex) */
#define BR_SSO_ID_TOKEN_LIFETIME 300  /* seconds: sso.html reads it at once */
#define BR_SSO_REQUEST_TEXT_MAX  4000 /* longest request cookie opened */

/* What /authorize received, carried across the upstream login. */
struct br_sso_request {
	char state[23];    /* the login state it belongs to (22 base64url chars) */
	char *jitsi_state; /* Jitsi's {state} JSON without refreshToken; owned */
	char *challenge;   /* Jitsi's code_challenge (S256, 43 chars); owned */
	char *nonce;       /* Jitsi's &nonce= (inline popup); owned, NULL when none */
};

/* Seals req for its login state (purpose BR_SEAL_SSO_REQUEST).  Returns the
 * cookie value (new string) or NULL with err set. */
char *br_sso_request_seal(const unsigned char key[BR_SEAL_KEY_LEN],
                          const struct br_sso_request *req, struct br_error *err);

/* Opens a request cookie value that must belong to login state (22 chars):
 * 0 and out filled (release with br_sso_request_clear()), or -1 with
 * BR_E_STATE. */
int br_sso_request_open(const struct br_seal_keys *keys, const char *text, const char *state,
                        struct br_sso_request *out, struct br_error *err);

/* For /callback: the jitsi_sso_* cookie of state in a Cookie header (NULL
 * is fine), opened; the first that opens wins.  -1 with BR_E_STATE ("native
 * SSO request cookie missing") when none does. */
int br_sso_request_from_header(const struct br_seal_keys *keys, const char *cookie_header,
                               const char *state, struct br_sso_request *out, struct br_error *err);

/* The request cookie's name for a login state: "jitsi_sso_" + 8 chars. */
void br_sso_cookie_name(const char *state, char name[32]);

void br_sso_request_clear(struct br_sso_request *req);

/* What a bridge code holds: everything /token needs to answer. */
struct br_sso_code {
	time_t end;          /* issue time + BR_SSO_CODE_LIFETIME */
	char *client_id;     /* the sso_client_id it was issued to */
	char *redirect_uri;  /* the redirect_uri it was issued for */
	char *challenge;     /* Jitsi's code_challenge (S256) */
	char *nonce;         /* Jitsi's nonce, NULL when none: the ID token's nonce */
	char *sub;           /* the ID token's sub (the IdP's sub) */
	char *access_token;  /* the Jitsi token */
	long expires_in;     /* its lifetime, seconds */
	char *refresh_token; /* the renewal handle, NULL when none */
};

/* Seals c (strings borrowed; client_id, redirect_uri, challenge, sub and
 * access_token required).  Returns the code text (new string) or NULL with
 * err set (BR_E_INVALID when it would be longer than BR_SSO_CODE_TEXT_MAX). */
char *br_sso_code_seal(const unsigned char key[BR_SEAL_KEY_LEN], const struct br_sso_code *c,
                       struct br_error *err);

/* Opens a code at now: -1 with BR_E_STATE when it does not open (tampered,
 * another purpose, neither key, too long), is malformed, or is past its
 * end ("code expired").  Release out with br_sso_code_clear(). */
int br_sso_code_open(const struct br_seal_keys *keys, const char *text, time_t now,
                     struct br_sso_code *out, struct br_error *err);

void br_sso_code_clear(struct br_sso_code *c);

/* RFC 6749 5.1 expires_in of the code's access token, answered at now: its
 * lifetime less the time since the code was issued (end -
 * BR_SSO_CODE_LIFETIME), never below 0 nor above the lifetime. */
long br_sso_code_expires_in(const struct br_sso_code *c, time_t now);

/* RFC 7636: whether verifier (43-128 of A-Z a-z 0-9 - . _ ~) hashes (S256)
 * to challenge.  Constant-time comparison. */
bool br_sso_pkce_ok(const char *verifier, const char *challenge);

/* Whether s is a plausible S256 code_challenge: 43 base64url characters. */
bool br_sso_challenge_valid(const char *s);

/* The parameters of a POST P/token form.  All owned, NULL when absent
 * (an empty value counts as absent, RFC 6749 3.1). */
struct br_sso_form {
	char *grant_type;
	char *code;
	char *redirect_uri;
	char *client_id;
	char *code_verifier;
	char *refresh_token;
};

/* Parses an application/x-www-form-urlencoded body strictly: every pair
 * has '=', %XX well formed, no NUL, no parameter twice (RFC 6749 3.2),
 * unknown ones ignored.  -1 with BR_E_INVALID (a message for
 * error_description) otherwise.  Release out with br_sso_form_clear(). */
int br_sso_form_parse(const char *body, size_t len, struct br_sso_form *out, struct br_error *err);

void br_sso_form_clear(struct br_sso_form *f);

/* Encodes s like JavaScript's encodeURIComponent (space as %20, never '+').
 * New string or NULL. */
char *br_sso_uri_encode(const char *s);

/* Signs the ID token for sso.html: {iss, aud, sub, iat, exp = iat +
 * BR_SSO_ID_TOKEN_LIFETIME, nonce when not NULL}, with the bridge's signing
 * key (kid as in /jwks.json).  New string or NULL with err set. */
char *br_sso_id_token(const struct br_keys *keys, const char *iss, const char *aud, const char *sub,
                      const char *nonce, time_t now, struct br_error *err);

/* Jitsi's {state} JSON without its refreshToken member: *out is a new
 * string (the text itself when there is none, re-serialised otherwise) and
 * *handle the removed handle (new string, NULL when none or not a string).
 * -1 with BR_E_INVALID when json is not an object. */
int br_sso_state_strip(const char *json, char **out, char **handle, struct br_error *err);

#endif
