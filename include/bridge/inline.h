/*
 * inline.h - the two pages Jitsi's inline mode (config.tokenAuthInline)
 * talks to: the result of a login in Jitsi's popup, and the silent logout
 * in Jitsi's hidden iframe.
 *
 * Each page has exactly one script, the same bytes on every request, so a
 * CSP 'sha256-…' source allows it and nothing else.  What varies (the
 * tokens, the Jitsi origin, where to go without an opener) is carried in
 * data-* attributes, HTML-escaped.  The result page posts
 * {type:'oauth-success', accessToken, idToken, refreshToken} or
 * {type:'oauth-error', error} to window.opener with targetOrigin = the
 * Jitsi origin (never '*'); Jitsi closes the popup itself.  Without an
 * opener it goes on to data-next (the normal redirect) when one is given,
 * else it stays as a page that says what happened.  The logout page posts
 * {type:'logout-success'} to its parent; only the Jitsi origin may frame it.
 * (Upstream: jitsi-meet react/features/authentication/actions.web.ts
 * loginWithPopup, silentLogout; docs/upstream/inline-login-and-native-sso.md.)
 */
#ifndef BR_INLINE_H
#define BR_INLINE_H

#include <stdbool.h>
#include <stddef.h>

#include "bridge/catalogue.h"

struct br_strbuf;

#define BR_INLINE_ORIGIN_MAX 300
#define BR_INLINE_CSP_MAX    600

/* The popup's answer.  Strings are borrowed; access_token NULL means an
 * error. */
struct br_inline_result {
	const char *origin;        /* the Jitsi origin, targetOrigin of the post */
	const char *access_token;  /* the Jitsi token, or NULL for an error */
	const char *id_token;      /* Jitsi's idToken (the sealed logout hint); may be NULL */
	const char *refresh_token; /* the renewal handle; may be NULL */
	const char *error;         /* error: the short code posted (e.g. "access_denied") */
	/* error: the sentence shown (with the code) when there is no opener;
	 * 0 (BR_MSG_TITLE_ORG, never a sentence) gives BR_MSG_INLINE_FAILED_TEXT */
	enum br_msg text;
	const char *next; /* without an opener: go here (success only); may be NULL */
	const struct br_catalogue *catalogue; /* the texts (NULL: built in) */
	size_t lang;                          /* their language (br_req_language) */
};

/* Appends the popup result page to b (b->failed on memory trouble). */
void br_inline_render_result(struct br_strbuf *b, const struct br_inline_result *res);

/* Appends the silent-logout page to b, its text from cat (NULL: built in)
 * in language lang. */
void br_inline_render_logout(struct br_strbuf *b, const char *origin,
                             const struct br_catalogue *cat, size_t lang);

/* The Content-Security-Policy of the result page (its script's hash,
 * frame-ancestors 'none') into out; -1 when it does not fit or the digest
 * fails. */
int br_inline_csp_result(char out[BR_INLINE_CSP_MAX]);

/* The logout page's: its script's hash and frame-ancestors <origin>. */
int br_inline_csp_logout(const char *origin, char out[BR_INLINE_CSP_MAX]);

/* The origin of an http(s) URL: scheme://host[:port], scheme and host in
 * lower case, the default port dropped.  -1 when url is not an absolute
 * http(s) URL with a host (or has userinfo) or the origin does not fit. */
int br_inline_origin(const char *url, char out[BR_INLINE_ORIGIN_MAX]);

/* True when both URLs are http(s) URLs of the same origin. */
bool br_inline_same_origin(const char *a, const char *b);

#endif
