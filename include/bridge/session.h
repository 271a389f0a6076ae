/*
 * session.h - what the browser keeps of a signed-in session for the bridge:
 * the renewal handle and the logout hint.  Both are sealed (seal.h), so the
 * bridge keeps no server memory and every replica sharing the state key
 * reads them.
 *
 * The renewal handle is Jitsi's "refreshToken" in inline mode: opaque to
 * Jitsi, it comes back in tokenAuthUrl's {state} and lets /login issue a new
 * Jitsi token without an IdP page.  It holds the IdP's refresh token (if the
 * IdP gave one), so it never leaves the bridge in clear.
 *
 * The logout hint holds the IdP's ID token for the end-session request's
 * id_token_hint (without it LemonLDAP::NG and Keycloak ask "really log
 * out?").  It travels in an HttpOnly cookie scoped to P/logout, and is also
 * the "idToken" the inline page posts to Jitsi, which appends it verbatim to
 * tokenLogoutUrl as id_token_hint=… (so it must be URL-safe as it is).
 */
#ifndef BR_SESSION_H
#define BR_SESSION_H

#include <stddef.h>
#include <time.h>

#include "bridge/error.h"
#include "bridge/seal.h"

#define BR_SESSION_FIELD_MAX       1024 /* sub, user id, room, tenant, nonce */
#define BR_SESSION_REFRESH_MAX     2048 /* longest IdP refresh token kept */
#define BR_SESSION_HANDLE_TEXT_MAX 8192 /* longest handle opened */
#define BR_SESSION_ID_TOKEN_MAX    2800 /* longest ID token kept as a hint */
#define BR_SESSION_HINT_TEXT_MAX   4000 /* longest hint opened (one cookie) */
#define BR_SESSION_FUTURE_SKEW     60   /* seconds a value may come from the future */
#define BR_SESSION_HINT_COOKIE     "jitsi_logout_hint"

struct br_session_handle {
	time_t issued;       /* when this handle was sealed */
	time_t end;          /* absolute end: the first login + session_lifetime */
	char *sub;           /* the IdP's sub; a renewal must name the same */
	char *user_id;       /* the mapped user id (for the log) */
	char *room;          /* the room and tenant of the login (NULL: none) */
	char *tenant;        /*   a renewal through /login uses the state's */
	char *nonce;         /* the upstream nonce of the first login */
	char *refresh_token; /* the IdP's refresh token; NULL when it gave none */
};

/* Seals h (all strings borrowed; sub, user_id and nonce required).
 * Returns the handle text (new string) or NULL with err set: BR_E_INVALID
 * when a field is too long (refresh_token: BR_SESSION_REFRESH_MAX). */
char *br_session_handle_seal(const unsigned char key[BR_SEAL_KEY_LEN],
                             const struct br_session_handle *h, struct br_error *err);

/* Opens a handle text at now: -1 with BR_E_STATE when it does not open
 * (tampered, another purpose, neither key), is malformed, comes from the
 * future or is past its end ("renewal handle expired").  Fills out
 * (release with br_session_handle_clear()). */
int br_session_handle_open(const struct br_seal_keys *keys, const char *text, time_t now,
                           struct br_session_handle *out, struct br_error *err);

/* Frees and wipes the strings of h.  NULL is fine. */
void br_session_handle_clear(struct br_session_handle *h);

/* Seals a logout hint: the IdP's ID token (up to BR_SESSION_ID_TOKEN_MAX,
 * else BR_E_INVALID) valid until end.  Returns the text (new string) or
 * NULL with err set. */
char *br_session_hint_seal(const unsigned char key[BR_SEAL_KEY_LEN], const char *id_token,
                           time_t end, struct br_error *err);

/* Opens a hint at now; returns the ID token (new string) or NULL with
 * BR_E_STATE (also when past its end). */
char *br_session_hint_open(const struct br_seal_keys *keys, const char *text, time_t now,
                           struct br_error *err);

/* The value of the logout hint cookie in a Cookie header (NULL or "" is
 * fine): the first one that opens at now, as an ID token (new string), or
 * NULL. */
char *br_session_hint_from_cookies(const struct br_seal_keys *keys, const char *cookie_header,
                                   time_t now);

#endif
