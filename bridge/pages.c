/*
 * pages.c - the HTML pages a person sees (landing, denied, error pages).
 *
 * Every value is hostile: the room and tenant come from the query, the user
 * name and error code from the IdP.  So each one goes through sb_escape()
 * (text and attribute values) or sb_url() (link components), and links are
 * built only from the configured public path.  No page carries JavaScript:
 * the CSP forbids it, and a page that needs none cannot be turned into a
 * login loop by a redirect that fires on its own.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bridge/pages.h"
#include "bridge/strbuf.h"

#define REPLACEMENT "\xEF\xBF\xBD" /* U+FFFD */

/* Length of the well-formed UTF-8 sequence at s (RFC 3629: no overlong
 * forms, no surrogates, nothing above U+10FFFF) with its code point in *cp,
 * or 0 when the bytes there are not one. */
static size_t utf8_seq(const unsigned char *s, uint32_t *cp)
{
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	size_t n;
	uint32_t c, min;
	if ((s[0] & 0xE0) == 0xC0) {
		n = 2, c = s[0] & 0x1Fu, min = 0x80;
	} else if ((s[0] & 0xF0) == 0xE0) {
		n = 3, c = s[0] & 0x0Fu, min = 0x800;
	} else if ((s[0] & 0xF8) == 0xF0) {
		n = 4, c = s[0] & 0x07u, min = 0x10000;
	} else {
		return 0;
	}
	/* The terminating NUL fails the continuation test, so no over-read. */
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3Fu);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return n;
}

/* Appends s HTML-escaped, at most max input bytes of it (cut at a character
 * boundary, then "…").  Control characters would be invisible or mangle the
 * layout, and invalid UTF-8 would be guessed at by the browser: both are
 * shown as U+FFFD instead. */
static void sb_escape(struct br_strbuf *b, const char *s, size_t max)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	while (u[i] != '\0') {
		uint32_t cp = 0;
		size_t n = utf8_seq(u + i, &cp);
		if (i + (n ? n : 1) > max) {
			br_strbuf_puts(b, "\xE2\x80\xA6"); /* … */
			return;
		}
		if (n == 0) {
			br_strbuf_puts(b, REPLACEMENT);
			i++;
			continue;
		}
		switch (cp) {
		case '&':
			br_strbuf_puts(b, "&amp;");
			break;
		case '<':
			br_strbuf_puts(b, "&lt;");
			break;
		case '>':
			br_strbuf_puts(b, "&gt;");
			break;
		case '"':
			br_strbuf_puts(b, "&quot;");
			break;
		case '\'':
			br_strbuf_puts(b, "&#39;");
			break;
		default:
			if ((cp < 0x20 && cp != '\t' && cp != '\n') || (cp >= 0x7F && cp <= 0x9F))
				br_strbuf_puts(b, REPLACEMENT);
			else
				br_strbuf_add(b, s + i, n);
		}
		i += n;
	}
}

void br_pages_escape(struct br_strbuf *b, const char *s)
{
	if (s != NULL)
		sb_escape(b, s, SIZE_MAX);
}

/* Appends s percent-encoded with encodeURIComponent's rules (UTF-8 bytes,
 * upper-case hex), so a link carries the room exactly as typed. */
static void br_pages_url_encode(struct br_strbuf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *u = (const unsigned char *)s; *u != '\0'; u++) {
		if ((*u >= 'A' && *u <= 'Z') || (*u >= 'a' && *u <= 'z') ||
		    (*u >= '0' && *u <= '9') || strchr("-_.!~*'()", *u) != NULL) {
			br_strbuf_add(b, (const char *)u, 1);
		} else {
			char e[3] = {'%', hex[*u >> 4], hex[*u & 0x0F]};
			br_strbuf_add(b, e, sizeof(e));
		}
	}
}

static const struct {
	int status;
	const char *title;
} kinds[BR_PAGE_KIND_COUNT] = {
        [BR_PAGE_LANDING] = {200, "Join a meeting"},
        [BR_PAGE_DENIED] = {403, "Access denied"},
        [BR_PAGE_APP] = {200, "Open the Jitsi app"},
        [BR_PAGE_IDP_UNAVAILABLE] = {503, "Sign-in unavailable"},
        [BR_PAGE_IDP_TIMEOUT] = {504, "Sign-in timed out"},
        [BR_PAGE_IDP_ERROR] = {502, "Sign-in failed"},
        [BR_PAGE_LOGIN_EXPIRED] = {400, "Sign-in expired"},
        [BR_PAGE_INVALID] = {400, "Invalid request"},
        [BR_PAGE_NOT_FOUND] = {404, "Page not found"},
        [BR_PAGE_METHOD] = {405, "Method not allowed"},
        [BR_PAGE_INTERNAL] = {500, "Internal error"},
};

static enum br_page_kind page_kind(const struct br_page *page)
{
	/* A kind out of range is a bug; an error page is the safe answer. */
	if ((unsigned)page->kind >= BR_PAGE_KIND_COUNT)
		return BR_PAGE_INTERNAL;
	return page->kind;
}

int br_page_status(const struct br_page *page)
{
	if (page->status >= 200 && page->status <= 599)
		return page->status;
	return kinds[page_kind(page)].status;
}

enum br_page_kind br_page_kind_for_error(enum br_error_code code)
{
	switch (code) {
	case BR_E_INVALID:
		return BR_PAGE_INVALID;
	case BR_E_STATE:
		return BR_PAGE_LOGIN_EXPIRED;
	case BR_E_DENIED:
		return BR_PAGE_DENIED;
	case BR_E_PROTOCOL:
		return BR_PAGE_IDP_ERROR;
	case BR_E_UNAVAILABLE:
		return BR_PAGE_IDP_UNAVAILABLE;
	case BR_E_TIMEOUT:
		return BR_PAGE_IDP_TIMEOUT;
	default:
		return BR_PAGE_INTERNAL;
	}
}

/* Phones first: one readable column, large tap targets, long unbroken
 * values (a 200-byte room) wrap instead of scrolling sideways. */
static const char page_css[] =
        ":root{color-scheme:light dark}"
        "body{margin:0;padding:1rem;font:1rem/1.5 system-ui,-apple-system,\"Segoe UI\",Roboto,"
        "sans-serif;background:#f2f4f7;color:#1d2025}"
        "main{box-sizing:border-box;max-width:32rem;margin:1.5rem auto;padding:1.5rem;"
        "background:#fff;border-radius:12px;box-shadow:0 1px 4px rgba(0,0,0,.15);"
        "overflow-wrap:anywhere;word-break:break-word}"
        "h1{font-size:1.4rem;line-height:1.25;margin:0 0 1rem}"
        "p{margin:0 0 1rem}"
        "label{display:block;font-weight:600;margin-bottom:.4rem}"
        "input[type=text]{box-sizing:border-box;width:100%;font:inherit;padding:.65rem .75rem;"
        "border:1px solid #8a9099;border-radius:8px;background:#fff;color:#1d2025}"
        ".button{display:inline-block;box-sizing:border-box;font:inherit;font-weight:600;"
        "padding:.65rem 1.25rem;margin:.5rem 0 1rem;border:0;border-radius:8px;"
        "background:#1a5fd0;color:#fff;text-decoration:none;cursor:pointer}"
        ".code{font-family:ui-monospace,Menlo,Consolas,monospace;background:#eceff3;"
        "padding:.1rem .35rem;border-radius:4px}"
        ".small{color:#596069;font-size:.875rem;margin:0}"
        "a{color:#1a5fd0}"
        "@media (prefers-color-scheme:dark){body{background:#17181b;color:#e6e8eb}"
        "main{background:#24262a;box-shadow:none}.code{background:#34373c}"
        ".small{color:#a3a8ae}a{color:#8ab4f8}.button{background:#3b7be8;color:#fff}"
        "input[type=text]{background:#17181b;color:#e6e8eb}}";

/* The public path without trailing slashes, so that "/auth/", "/auth" and
 * "/" all give links like "/auth/login" and "/login". */
static void sb_prefix(struct br_strbuf *b, const char *public_path)
{
	const char *p = public_path ? public_path : "";
	size_t n = strlen(p);
	while (n > 0 && p[n - 1] == '/')
		n--;
	struct br_strbuf tmp = {0};
	br_strbuf_add(&tmp, p, n);
	if (tmp.failed) {
		b->failed = true;
	} else if (tmp.s != NULL) {
		sb_escape(b, tmp.s, SIZE_MAX);
	}
	free(tmp.s);
}

static void sb_link_home(struct br_strbuf *b, const struct br_page *page, const char *text)
{
	br_strbuf_puts(b, "<p><a href=\"");
	sb_prefix(b, page->public_path);
	br_strbuf_puts(b, "/\">");
	br_strbuf_puts(b, text);
	br_strbuf_puts(b, "</a></p>\n");
}

static bool has(const char *s)
{
	return s != NULL && s[0] != '\0';
}

/* The link that starts the login for the same room again (or, without a
 * usable room, the landing page).  The query is built here from the
 * percent-encoded room and tenant, then HTML-escaped as a whole for the
 * attribute ("&" -> "&amp;"). */
static void sb_try_again(struct br_strbuf *b, const struct br_page *page, const char *text)
{
	if (!has(page->room) || strlen(page->room) > BR_PAGE_FIELD_MAX ||
	    (has(page->tenant) && strlen(page->tenant) > BR_PAGE_FIELD_MAX)) {
		br_strbuf_puts(b, "<p><a class=\"button\" href=\"");
		sb_prefix(b, page->public_path);
		br_strbuf_puts(b, "/\">Start again</a></p>\n");
		return;
	}
	struct br_strbuf q = {0};
	br_pages_url_encode(&q, page->room);
	br_strbuf_add(&q, "", 0);
	if (has(page->tenant)) {
		br_strbuf_puts(&q, "&tenant=");
		br_pages_url_encode(&q, page->tenant);
	}
	if (q.failed) {
		b->failed = true;
		free(q.s);
		return;
	}
	br_strbuf_puts(b, "<p><a class=\"button\" href=\"");
	sb_prefix(b, page->public_path);
	br_strbuf_puts(b, "/login?room=");
	sb_escape(b, q.s, SIZE_MAX);
	br_strbuf_puts(b, "\">");
	br_strbuf_puts(b, text);
	br_strbuf_puts(b, "</a></p>\n");
	free(q.s);
}

/* "<strong><bdi>value</bdi></strong>": bdi keeps a right-to-left name from
 * reordering the sentence around it. */
static void sb_value(struct br_strbuf *b, const char *s)
{
	br_strbuf_puts(b, "<strong><bdi>");
	sb_escape(b, s, BR_PAGE_FIELD_MAX);
	br_strbuf_puts(b, "</bdi></strong>");
}

static void sb_code(struct br_strbuf *b, const char *label, const char *s)
{
	br_strbuf_puts(b, "<p>");
	br_strbuf_puts(b, label);
	br_strbuf_puts(b, " <span class=\"code\"><bdi>");
	sb_escape(b, s, BR_PAGE_FIELD_MAX);
	br_strbuf_puts(b, "</bdi></span></p>\n");
}

static void render_landing(struct br_strbuf *b, const struct br_page *page)
{
	br_strbuf_puts(
	        b, "<h1>Join a meeting</h1>\n"
	           "<p>Enter the name of the meeting room. You will be asked to sign in with your "
	           "organisation&#39;s account.</p>\n"
	           "<form method=\"get\" action=\"");
	sb_prefix(b, page->public_path);
	br_strbuf_puts(b,
	               "/login\">\n"
	               "<label for=\"room\">Room name</label>\n"
	               "<input type=\"text\" id=\"room\" name=\"room\" required maxlength=\"200\" "
	               "autocomplete=\"off\" autocapitalize=\"none\" spellcheck=\"false\"");
	if (has(page->room) && strlen(page->room) <= BR_PAGE_FIELD_MAX) {
		br_strbuf_puts(b, " value=\"");
		sb_escape(b, page->room, BR_PAGE_FIELD_MAX);
		br_strbuf_puts(b, "\"");
	}
	br_strbuf_puts(b, ">\n");
	if (has(page->tenant) && strlen(page->tenant) <= BR_PAGE_FIELD_MAX) {
		br_strbuf_puts(b, "<input type=\"hidden\" name=\"tenant\" value=\"");
		sb_escape(b, page->tenant, BR_PAGE_FIELD_MAX);
		br_strbuf_puts(b, "\">\n");
	}
	br_strbuf_puts(b, "<button class=\"button\" type=\"submit\">Sign in and join</button>\n"
	                  "</form>\n");
}

static void render_denied(struct br_strbuf *b, const struct br_page *page)
{
	br_strbuf_puts(b, "<h1>Access denied</h1>\n<p>");
	if (has(page->user)) {
		br_strbuf_puts(b, "You are signed in as ");
		sb_value(b, page->user);
		br_strbuf_puts(b, ". This account may not join ");
	} else {
		br_strbuf_puts(b, "Your account may not join ");
	}
	if (has(page->room)) {
		br_strbuf_puts(b, "the room ");
		sb_value(b, page->room);
	} else {
		br_strbuf_puts(b, "this room");
	}
	br_strbuf_puts(b, ".</p>\n");
	if (has(page->detail))
		sb_code(b, "Reason:", page->detail);
	/* A link, not a redirect: sending the browser back to the IdP on its
	 * own would sign the same account in again and loop. */
	br_strbuf_puts(b, "<p>If you have another account that may join, sign out and sign in with "
	                  "it.</p>\n<p><a class=\"button\" href=\"");
	sb_prefix(b, page->public_path);
	br_strbuf_puts(b, "/logout\">Sign in with another account</a></p>\n");
}

/* Both links carry the token: the page is sent no-store, and neither URL
 * comes from the request (jitsi.c builds them from the configured Jitsi
 * url and app names). */
static void render_app(struct br_strbuf *b, const struct br_page *page)
{
	br_strbuf_puts(b, "<h1>Open the Jitsi app</h1>\n<p>");
	if (has(page->user)) {
		br_strbuf_puts(b, "You are signed in as ");
		sb_value(b, page->user);
		br_strbuf_puts(b, ". ");
	} else {
		br_strbuf_puts(b, "You are signed in. ");
	}
	if (has(page->room)) {
		br_strbuf_puts(b, "The room ");
		sb_value(b, page->room);
		br_strbuf_puts(b, " is waiting for you");
	} else {
		br_strbuf_puts(b, "Your meeting is waiting for you");
	}
	br_strbuf_puts(b, " in the ");
	sb_escape(b, has(page->app_name) ? page->app_name : "Jitsi", BR_PAGE_FIELD_MAX);
	br_strbuf_puts(b, " app.</p>\n");
	if (has(page->app_url)) {
		br_strbuf_puts(b, "<p><a class=\"button\" id=\"open-app\" href=\"");
		sb_escape(b, page->app_url, SIZE_MAX);
		br_strbuf_puts(b, "\">Open in the Jitsi app</a></p>\n");
	}
	if (has(page->browser_url)) {
		br_strbuf_puts(b, "<p><a id=\"continue\" href=\"");
		sb_escape(b, page->browser_url, SIZE_MAX);
		br_strbuf_puts(b, "\">Continue in this browser</a></p>\n");
	}
	br_strbuf_puts(b, "<p class=\"small\">Both links hold your sign-in for this meeting: do "
	                  "not share them. If the app does not open, it is not installed on this "
	                  "device: continue in the browser.</p>\n");
}

static void render_error(struct br_strbuf *b, const struct br_page *page, enum br_page_kind kind)
{
	switch (kind) {
	case BR_PAGE_IDP_UNAVAILABLE:
		br_strbuf_puts(
		        b, "<h1>Sign-in is temporarily unavailable</h1>\n"
		           "<p>The sign-in service cannot be reached right now. Please try again "
		           "later.</p>\n");
		if (has(page->room))
			sb_try_again(b, page, "Try again");
		break;
	case BR_PAGE_IDP_TIMEOUT:
		br_strbuf_puts(b, "<h1>The sign-in service did not answer</h1>\n"
		                  "<p>It did not answer in time. Please try again later.</p>\n");
		if (has(page->room))
			sb_try_again(b, page, "Try again");
		break;
	case BR_PAGE_IDP_ERROR:
		br_strbuf_puts(
		        b,
		        "<h1>Sign-in failed</h1>\n"
		        "<p>The sign-in service gave an answer that could not be accepted.</p>\n");
		if (has(page->detail))
			sb_code(b, "Error code:", page->detail);
		br_strbuf_puts(b, "<p>Please try again later. If this keeps happening, tell your "
		                  "administrator.</p>\n");
		if (has(page->room))
			sb_try_again(b, page, "Try again");
		break;
	case BR_PAGE_LOGIN_EXPIRED:
		br_strbuf_puts(
		        b, "<h1>Your sign-in has expired</h1>\n"
		           "<p>The sign-in took too long, was already completed, or was started in "
		           "another browser.</p>\n");
		if (has(page->room)) {
			br_strbuf_puts(b, "<p>Room: ");
			sb_value(b, page->room);
			br_strbuf_puts(b, "</p>\n");
		}
		sb_try_again(b, page, "Try again");
		break;
	case BR_PAGE_INVALID:
		br_strbuf_puts(b, "<h1>Invalid request</h1>\n");
		if (has(page->detail))
			sb_code(b, "Reason:", page->detail);
		else
			br_strbuf_puts(b, "<p>The request could not be understood.</p>\n");
		sb_link_home(b, page, "Go to the start page");
		break;
	case BR_PAGE_NOT_FOUND:
		br_strbuf_puts(
		        b, "<h1>Page not found</h1>\n<p>There is nothing at this address.</p>\n");
		sb_link_home(b, page, "Go to the start page");
		break;
	case BR_PAGE_METHOD:
		br_strbuf_puts(b, "<h1>Method not allowed</h1>\n"
		                  "<p>This address does not accept this kind of request.</p>\n");
		sb_link_home(b, page, "Go to the start page");
		break;
	default:
		br_strbuf_puts(
		        b, "<h1>Internal error</h1>\n"
		           "<p>Something went wrong on our side. Please try again later.</p>\n");
		sb_link_home(b, page, "Go to the start page");
		break;
	}
}

int br_pages_render(struct br_strbuf *b, const struct br_page *page)
{
	enum br_page_kind kind = page_kind(page);
	int status = br_page_status(page);

	br_strbuf_puts(b,
	               "<!DOCTYPE html>\n"
	               "<html lang=\"en\">\n"
	               "<head>\n"
	               "<meta charset=\"utf-8\">\n"
	               "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	               "<meta name=\"referrer\" content=\"no-referrer\">\n"
	               "<meta name=\"robots\" content=\"noindex, nofollow\">\n"
	               "<title>");
	br_strbuf_puts(b, kinds[kind].title);
	br_strbuf_puts(b, "</title>\n");
	if (kind == BR_PAGE_APP && page->open_app && has(page->app_url)) {
		/* No script (the CSP allows none): a refresh opens the app. */
		br_strbuf_puts(b, "<meta http-equiv=\"refresh\" content=\"0; url=");
		sb_escape(b, page->app_url, SIZE_MAX);
		br_strbuf_puts(b, "\">\n");
	}
	br_strbuf_puts(b, "<style>");
	br_strbuf_puts(b, page_css);
	br_strbuf_puts(b, "</style>\n</head>\n<body>\n<main>\n");
	if (kind == BR_PAGE_LANDING)
		render_landing(b, page);
	else if (kind == BR_PAGE_DENIED)
		render_denied(b, page);
	else if (kind == BR_PAGE_APP)
		render_app(b, page);
	else
		render_error(b, page, kind);
	if (status != 200) {
		char line[64];
		snprintf(line, sizeof(line), "<p class=\"small\">Error %d</p>\n", status);
		br_strbuf_puts(b, line);
	}
	br_strbuf_puts(b, "</main>\n</body>\n</html>\n");
	return b->failed ? -1 : 0;
}

const char *br_pages_csp(const struct br_page *page)
{
	return page_kind(page) == BR_PAGE_LANDING ? BR_PAGES_CSP_LANDING : BR_PAGES_CSP;
}

/* Sent when rendering itself fails (out of memory): fixed text, nothing to
 * escape, nothing to allocate. */
static const char fallback_page[] =
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        "<title>Internal error</title>\n</head>\n<body>\n<h1>Internal error</h1>\n"
        "<p>Something went wrong on our side. Please try again later.</p>\n</body>\n</html>\n";

const char *br_pages_fallback(size_t *len)
{
	if (len != NULL)
		*len = sizeof(fallback_page) - 1;
	return fallback_page;
}
