/*
 * state.h - the sealed login state cookie.
 *
 * /login keeps state, nonce, the PKCE verifier, room and tenant in a cookie
 * named jitsi_oidc_<first 8 chars of state>, sealed with AES-256-GCM under
 * the state key with the cookie name as authenticated data, so no server
 * memory holds logins and any replica sharing the key can finish them.
 */
#ifndef BR_STATE_H
#define BR_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "bridge/error.h"
#include "bridge/jitsi.h"

#define BR_STATE_KEY_LEN         32
#define BR_STATE_COOKIE_PREFIX   "jitsi_oidc_"
#define BR_STATE_COOKIE_NAME_MAX 32
#define BR_STATE_COOKIE_MAX      4096 /* longest cookie value opened */
#define BR_STATE_FIELD_MAX       1024 /* longest room or tenant sealed */
#define BR_STATE_FUTURE_SKEW     60   /* seconds a state may come from the future */
#define BR_STATE_MAX_COOKIES     8    /* login cookies a browser may hold */

struct br_login_state {
	time_t created;
	char state[23];    /* 128 random bits, 22 base64url chars */
	char nonce[23];    /* 128 random bits, 22 base64url chars */
	char verifier[44]; /* PKCE: 32 random bytes, 43 base64url chars */
	char *room;        /* owned, NULL when none */
	char *tenant;      /* owned, NULL when none */
	bool prompt_none;
	enum br_jitsi_app app; /* where the login started (Jitsi's state) */
	char *overrides;       /* owned, NULL when none: Jitsi's overrides, the fragment tail */
	bool popup;            /* Jitsi's inline mode: /callback answers the popup page */
	bool sso;              /* Jitsi's native SSO: /callback answers sso.html (sso.h) */
};

/* Draws a new state for room and tenant (copied; either may be NULL) at now.
 * BR_E_INTERNAL when the random generator fails. */
int br_state_new(struct br_login_state *st, const char *room, const char *tenant, time_t now,
                 struct br_error *err);
/* Frees room and tenant and wipes st.  NULL is fine. */
void br_state_clear(struct br_login_state *st);

/* The RFC 7636 S256 code_challenge of verifier into out (43 chars + NUL).
 * -1 (out empty) when the digest fails. */
int br_state_challenge(const char *verifier, char out[44]);

/* The cookie name for a state value: "jitsi_oidc_" and its first 8 chars.
 * -1 (BR_E_STATE) when state is not 22 base64url characters. */
int br_state_cookie_name(const char *state, char name[BR_STATE_COOKIE_NAME_MAX],
                         struct br_error *err);

/* Seals st under key: returns the cookie value (malloc'ed) and writes its
 * name to cookie_name, or NULL.  st->overrides must satisfy
 * br_jitsi_overrides_valid(); a value longer than BR_STATE_COOKIE_MAX is
 * refused (BR_E_INTERNAL), as br_state_open() would refuse it. */
char *br_state_seal(const unsigned char key[BR_STATE_KEY_LEN], const struct br_login_state *st,
                    char cookie_name[BR_STATE_COOKIE_NAME_MAX], struct br_error *err);

/* Opens the cookie value sealed under cookie_name: checks the tag and the
 * name, the format, and that it was created at most login_timeout seconds
 * ago and not more than BR_STATE_FUTURE_SKEW in the future.  Fills out
 * (release with br_state_clear()) or returns -1 with BR_E_STATE. */
int br_state_open(const unsigned char key[BR_STATE_KEY_LEN], const char *cookie_name,
                  const char *value, time_t now, long login_timeout, struct br_login_state *out,
                  struct br_error *err);

/* Constant-time comparison of two NUL-terminated strings. */
bool br_state_equal(const char *a, const char *b);

/* For /callback: finds the cookie for state_param in a Cookie header and
 * opens it; out->state equals state_param when it returns 0.  Tries every
 * cookie of that name (a browser may send several).  BR_E_STATE with
 * "login state cookie missing" when there is none. */
int br_state_open_from_header(const unsigned char key[BR_STATE_KEY_LEN], const char *cookie_header,
                              const char *state_param, time_t now, long login_timeout,
                              struct br_login_state *out, struct br_error *err);

/* A login cookie may have one companion, named with this prefix and the
 * same 8 characters: native SSO's request cookie (sso.c names it so).  It
 * is counted and expired with its login cookie. */
#define BR_STATE_COMPANION_PREFIX "jitsi_sso_"

/* One jitsi_oidc_* cookie in a Cookie header. */
struct br_state_cookie {
	char name[BR_STATE_COOKIE_NAME_MAX];
	bool valid;     /* it opens under key and is not expired */
	time_t created; /* when valid */
	bool companion; /* the header also holds its companion cookie
	                   (BR_STATE_COMPANION_PREFIX + the same 8 characters) */
	size_t bytes;   /* what it and its companion take in the Cookie header */
};

/* Lists the jitsi_oidc_* cookies of a Cookie header (NULL is empty), at most
 * 64.  *list is malloc'ed (NULL when *n is 0).  Cookies whose name is not
 * a possible state cookie name are left out. */
int br_state_cookies_list(const unsigned char key[BR_STATE_KEY_LEN], const char *cookie_header,
                          time_t now, long login_timeout, struct br_state_cookie **list, size_t *n,
                          struct br_error *err);

/* For /login: the names of the login cookies to expire so that at most keep
 * remain (/login passes BR_STATE_MAX_COOKIES - 1, then adds its own).
 * Invalid ones go first, then the oldest.  *names is a malloc'ed array whose
 * first *n entries are to expire (free it with free()). */
int br_state_cookies_to_expire(const unsigned char key[BR_STATE_KEY_LEN], const char *cookie_header,
                               time_t now, long login_timeout, size_t keep,
                               struct br_state_cookie **names, size_t *n, struct br_error *err);

/* The same, and also so that the cookies that remain (with their
 * companions) take at most keep_bytes of the Cookie header: the oldest go
 * first, so that abandoned logins cannot push the header past the server's
 * limit. */
int br_state_cookies_to_expire_within(const unsigned char key[BR_STATE_KEY_LEN],
                                      const char *cookie_header, time_t now, long login_timeout,
                                      size_t keep, size_t keep_bytes,
                                      struct br_state_cookie **names, size_t *n,
                                      struct br_error *err);

#endif
