/*
 * pages.h - the HTML pages a person sees: landing, denied, and error pages.
 *
 * Pure renderers (no evhttp): br_pages_render() writes a document into a
 * strbuf; httpd sends it (status, headers, HEAD) like every other reply.
 * Every text comes from the message catalogue (catalogue.h) in the language
 * httpd chose, and every value that reaches the page is HTML-escaped; every
 * link is built from the configured public path prefix plus
 * percent-encoded values, never from a URL taken from the request.  The
 * pages carry no JavaScript; their CSS is one inline <style> element plus,
 * when the operator gives one, P/static/custom.css, and their only image is
 * the operator's logo at P/static/logo: all the CSP allows.
 */
#ifndef BR_PAGES_H
#define BR_PAGES_H

#include <stdbool.h>
#include <stddef.h>

#include "bridge/catalogue.h"
#include "bridge/error.h"
#include "bridge/strbuf.h"

enum br_page_kind {
	BR_PAGE_LANDING, /* 200: the room-name form */
	BR_PAGE_DENIED,  /* 403: this account may not join this room */
	BR_PAGE_APP,     /* 200: open the Jitsi app with the token, or stay in the browser */
	BR_PAGE_IDP_UNAVAILABLE, /* 503: the IdP is unreachable or not ready */
	BR_PAGE_IDP_TIMEOUT,     /* 504: the IdP did not answer in time */
	BR_PAGE_IDP_ERROR,       /* 502: the IdP answered wrongly; detail = its error code */
	BR_PAGE_LOGIN_EXPIRED,   /* 400: login state missing, tampered or expired */
	BR_PAGE_INVALID,         /* 400: invalid request; detail = the reason */
	BR_PAGE_NOT_FOUND,       /* 404 */
	BR_PAGE_METHOD,          /* 405 */
	BR_PAGE_INTERNAL,        /* 500 */
};

#define BR_PAGE_KIND_COUNT (BR_PAGE_INTERNAL + 1)

/* Longest value (in bytes) shown on a page; longer ones are cut at a
 * character boundary and end in "…".  A room longer than this gets no
 * "try again" link (br_room_parse refuses it anyway). */
#define BR_PAGE_FIELD_MAX 512

/* The operator's look ([pages]); strings borrowed, NULL or "" when unset. */
struct br_pages_look {
	const char *organisation; /* in titles and the landing text */
	const char *support;      /* a contact line at the foot of every page */
	const char *accent;       /* "#rrggbb" (validated by the config) */
	bool logo;                /* P/static/logo exists: shown above the heading */
	bool css;                 /* P/static/custom.css exists: linked after the inline style */
};

/* What to render.  All strings are borrowed, may be NULL, and are shown or
 * percent-encoded as given (UTF-8; invalid sequences and control characters
 * are shown as U+FFFD). */
struct br_page {
	enum br_page_kind kind;
	int status;              /* 0: the kind's own status (br_page_status) */
	const char *public_path; /* path of public_url, e.g. "/auth"; NULL or "" for the root */
	const char *room;        /* the room as typed */
	const char *tenant;      /* the tenant, if any */
	const char *user;        /* display name (or id) of the signed-in account */
	const char *detail;      /* reason (INVALID, DENIED) or the IdP's error code (IDP_ERROR) */
	const char *allow;       /* METHOD: value of the Allow header, e.g. "GET" */
	/* APP: the URLs that carry the token (built by jitsi.c from the config
	 * only), the app's name, and whether the page opens app_url by itself
	 * (only for a URL that pins the app, Android's intent with package). */
	const char *app_url;
	const char *browser_url;
	const char *app_name;
	bool open_app;
	const struct br_catalogue *catalogue; /* NULL: the built-in one */
	size_t lang;                          /* index into the catalogue (0: English) */
	const struct br_pages_look *look;     /* NULL: no branding */
};

/* The HTTP status a page is sent with: page->status when set, else the
 * kind's own (200, 403, 503, 504, 502, 400, 400, 404, 405, 500). */
int br_page_status(const struct br_page *page);

/* The page kind for an error code from the login flow (BR_E_STATE ->
 * LOGIN_EXPIRED, BR_E_PROTOCOL -> IDP_ERROR, ...; unknown -> INTERNAL). */
enum br_page_kind br_page_kind_for_error(enum br_error_code code);

/* Appends the page as a complete HTML document to b.  Returns 0, or -1
 * when memory runs out (b is then marked failed; br_strbuf_finish() frees
 * it). */
int br_pages_render(struct br_strbuf *b, const struct br_page *page);

/* Appends message m of cat (NULL: the built-in one) in language lang,
 * escaped, with the placeholder named ph (NULL: none) filled with value,
 * escaped and marked up as on the pages (a code in <span class="code">):
 * for pages rendered outside this module (inline.c). */
void br_pages_say(struct br_strbuf *b, const struct br_catalogue *cat, size_t lang, enum br_msg m,
                  const char *ph, const char *value);

/* The sentence that explains a page kind's error (BR_PAGE_IDP_TIMEOUT ->
 * BR_MSG_TIMEOUT_TEXT, ...; BR_PAGE_DENIED -> BR_MSG_DENIED_PLAIN). */
enum br_msg br_pages_error_text(enum br_page_kind kind);

/* The Content-Security-Policy the page is sent with (static):
 * BR_PAGES_CSP_LANDING for the landing page, else BR_PAGES_CSP; with a logo
 * "img-src 'self'" is added, with a custom CSS file 'self' joins style-src.
 * Nothing else: no remote origin is ever allowed. */
const char *br_pages_csp(const struct br_page *page);

/* A fixed "Internal error" document (static), for when rendering fails. */
const char *br_pages_fallback(size_t *len);

/* The Content-Security-Policy value of every HTML page but the landing page. */
#define BR_PAGES_CSP                                                                               \
	"default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors "      \
	"'none'"

/* The landing page's: no form-action.  Its form's GET to P/login is
 * redirected to the IdP and, with a live IdP session, on to P/callback and
 * the Jitsi url, all in the one navigation the form started; browsers check
 * form-action on every redirect of a form submission (CSP 3), so 'self'
 * blocks the sign-in (Chromium: "violates ... form-action 'self'"). */
#define BR_PAGES_CSP_LANDING "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"

/* Appends s (NULL: nothing) to b HTML-escaped, as every page value is: & < >
 * " ' become entities, invalid UTF-8 and control characters U+FFFD.  Fit
 * for text and quoted attribute values (inline.c's pages use it). */
void br_pages_escape(struct br_strbuf *b, const char *s);

#endif
