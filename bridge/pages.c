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

#include <unistr.h>
#include <strings.h>

#include "bridge/look.h"
#include "bridge/pages.h"
#include "bridge/strbuf.h"

#define REPLACEMENT "\xEF\xBF\xBD" /* U+FFFD */

/* Appends the n bytes at s HTML-escaped, at most max of them (cut at a
 * character boundary, then "…").  Control characters would be invisible or
 * mangle the layout, and invalid UTF-8 would be guessed at by the browser:
 * both are shown as U+FFFD instead. */
static void sb_escape_n(struct br_strbuf *b, const char *s, size_t n_in, size_t max)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	while (i < n_in && u[i] != '\0') {
		ucs4_t cp = 0;
		/* libunistring's strict decoder (RFC 3629: no overlong forms, no
		 * surrogates, nothing above U+10FFFF), bounded by what is left. */
		int r = u8_mbtoucr(&cp, u + i, n_in - i);
		size_t n = r > 0 ? (size_t)r : 0;
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

/* Appends the string s HTML-escaped, at most max bytes of it. */
static void sb_escape(struct br_strbuf *b, const char *s, size_t max)
{
	sb_escape_n(b, s, SIZE_MAX, max);
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
	enum br_msg title;
} kinds[BR_PAGE_KIND_COUNT] = {
        [BR_PAGE_LANDING] = {200, BR_MSG_LANDING_TITLE},
        [BR_PAGE_DENIED] = {403, BR_MSG_DENIED_TITLE},
        [BR_PAGE_APP] = {200, BR_MSG_APP_TITLE},
        [BR_PAGE_IDP_UNAVAILABLE] = {503, BR_MSG_UNAVAILABLE_TITLE},
        [BR_PAGE_IDP_TIMEOUT] = {504, BR_MSG_TIMEOUT_TITLE},
        [BR_PAGE_IDP_ERROR] = {502, BR_MSG_IDP_ERROR_TITLE},
        [BR_PAGE_LOGIN_EXPIRED] = {400, BR_MSG_EXPIRED_TITLE},
        [BR_PAGE_INVALID] = {400, BR_MSG_INVALID_TITLE},
        [BR_PAGE_NOT_FOUND] = {404, BR_MSG_NOT_FOUND_TITLE},
        [BR_PAGE_METHOD] = {405, BR_MSG_METHOD_TITLE},
        [BR_PAGE_INTERNAL] = {500, BR_MSG_INTERNAL_TITLE},
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
 * values (a 200-byte room) wrap instead of scrolling sideways.  The accent
 * colour (links, the button) is #1a5fd0 unless the operator sets one; it
 * is written after this sheet (see sb_accent). */
static const char page_css[] =
        ":root{color-scheme:light dark}"
        "body{margin:0;padding:1rem;font:1rem/1.5 system-ui,-apple-system,\"Segoe UI\",Roboto,"
        "sans-serif;background:#f2f4f7;color:#1d2025}"
        "main{box-sizing:border-box;max-width:32rem;margin:1.5rem auto;padding:1.5rem;"
        "background:#fff;border-radius:12px;box-shadow:0 1px 4px rgba(0,0,0,.15);"
        "overflow-wrap:anywhere;word-break:break-word}"
        "h1{font-size:1.4rem;line-height:1.25;margin:0 0 1rem}"
        "p{margin:0 0 1rem}"
        ".logo{display:block;max-width:100%;max-height:4rem;margin:0 0 1rem}"
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
        ".small{color:#a3a8ae}a{color:#8ab4f8}.button{background:#2f6fdf;color:#fff}"
        "input[type=text]{background:#17181b;color:#e6e8eb}}";

/* The public path without trailing slashes, so that "/auth/", "/auth" and
 * "/" all give links like "/auth/login" and "/login". */
static void sb_prefix(struct br_strbuf *b, const char *public_path)
{
	const char *p = public_path ? public_path : "";
	size_t n = strlen(p);
	while (n > 0 && p[n - 1] == '/')
		n--;
	sb_escape_n(b, p, n, SIZE_MAX);
}

static bool has(const char *s)
{
	return s != NULL && s[0] != '\0';
}

/* --- messages -------------------------------------------------------------------------------- */

/* Placeholder indices, in the order of br_placeholder_names(). */
enum {
	PH_TITLE,
	PH_ORG,
	PH_USER,
	PH_ROOM,
	PH_REASON,
	PH_CODE,
	PH_STATUS,
	PH_CONTACT,
	PH_APP,
	PH_COUNT
};

struct render {
	struct br_strbuf *b;
	const struct br_page *page;
	const struct br_catalogue *cat;
	const char *org; /* NULL when unset */
};

static const char *text_of(const struct render *r, enum br_msg m)
{
	return br_catalogue_text(r->cat, r->page->lang, m);
}

/* Appends message m with its placeholders filled from vals (indexed by
 * PH_*): the text escaped, each value escaped and, unless plain (for
 * <title>, which shows tags as text), marked up for what it is.  The
 * catalogue guarantees each message has exactly the English placeholders;
 * one without a value shows nothing. */
static void say_vals(const struct render *r, enum br_msg m, const char *const vals[PH_COUNT],
                     bool plain)
{
	const char *t = text_of(r, m);
	const char *const *names = br_placeholder_names();
	struct br_strbuf *b = r->b;

	for (;;) {
		const char *open = strchr(t, '{');
		int k = -1;
		size_t n = 0;
		while (open != NULL) {
			n = 0;
			while ((open[1 + n] >= 'a' && open[1 + n] <= 'z') || open[1 + n] == '_')
				n++;
			if (n > 0 && open[1 + n] == '}') {
				for (k = 0; k < PH_COUNT; k++)
					if (strlen(names[k]) == n &&
					    memcmp(names[k], open + 1, n) == 0)
						break;
				if (k < PH_COUNT)
					break;
			}
			k = -1;
			open = strchr(open + 1, '{');
		}
		if (open == NULL) {
			sb_escape(b, t, SIZE_MAX);
			return;
		}
		sb_escape_n(b, t, (size_t)(open - t), SIZE_MAX);
		t = open + n + 2;
		const char *v = vals[k];
		if (v == NULL)
			continue;
		if (plain) {
			sb_escape(b, v, BR_PAGE_FIELD_MAX);
			continue;
		}
		switch (k) {
		case PH_USER:
		case PH_ROOM:
			/* bdi keeps a right-to-left name from reordering the
			 * sentence around it. */
			br_strbuf_puts(b, "<strong><bdi>");
			sb_escape(b, v, BR_PAGE_FIELD_MAX);
			br_strbuf_puts(b, "</bdi></strong>");
			break;
		case PH_REASON:
		case PH_CODE:
			br_strbuf_puts(b, "<span class=\"code\"><bdi>");
			sb_escape(b, v, BR_PAGE_FIELD_MAX);
			br_strbuf_puts(b, "</bdi></span>");
			break;
		case PH_STATUS:
		case PH_APP: /* a number, an app's name from the config: no markup */
			sb_escape(b, v, BR_PAGE_FIELD_MAX);
			break;
		default:
			br_strbuf_puts(b, "<bdi>");
			sb_escape(b, v, BR_PAGE_FIELD_MAX);
			br_strbuf_puts(b, "</bdi>");
		}
	}
}

/* Message m with at most one value, for placeholder ph (-1: none). */
static void say1(const struct render *r, enum br_msg m, int ph, const char *v)
{
	const char *vals[PH_COUNT] = {0};
	if (ph >= 0)
		vals[ph] = v;
	say_vals(r, m, vals, false);
}

static void say(const struct render *r, enum br_msg m)
{
	say1(r, m, -1, NULL);
}

/* "<p>message</p>\n" */
static void para(const struct render *r, enum br_msg m, int ph, const char *v)
{
	br_strbuf_puts(r->b, "<p>");
	say1(r, m, ph, v);
	br_strbuf_puts(r->b, "</p>\n");
}

static void heading(const struct render *r, enum br_msg m)
{
	br_strbuf_puts(r->b, "<h1>");
	say(r, m);
	br_strbuf_puts(r->b, "</h1>\n");
}

static void link_home(const struct render *r)
{
	br_strbuf_puts(r->b, "<p><a href=\"");
	sb_prefix(r->b, r->page->public_path);
	br_strbuf_puts(r->b, "/\">");
	say(r, BR_MSG_HOME);
	br_strbuf_puts(r->b, "</a></p>\n");
}

/* The link that starts the login for the same room again (or, without a
 * usable room, the landing page).  The query is built here from the
 * percent-encoded room and tenant, then HTML-escaped as a whole for the
 * attribute ("&" -> "&amp;"). */
static void try_again(const struct render *r)
{
	const struct br_page *page = r->page;
	struct br_strbuf *b = r->b;

	if (!has(page->room) || strlen(page->room) > BR_PAGE_FIELD_MAX ||
	    (has(page->tenant) && strlen(page->tenant) > BR_PAGE_FIELD_MAX)) {
		br_strbuf_puts(b, "<p><a class=\"button\" href=\"");
		sb_prefix(b, page->public_path);
		br_strbuf_puts(b, "/\">");
		say(r, BR_MSG_START_AGAIN);
		br_strbuf_puts(b, "</a></p>\n");
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
	say(r, BR_MSG_TRY_AGAIN);
	br_strbuf_puts(b, "</a></p>\n");
	free(q.s);
}

/* --- the pages ------------------------------------------------------------------------------- */

static void render_landing(const struct render *r)
{
	const struct br_page *page = r->page;
	struct br_strbuf *b = r->b;

	heading(r, BR_MSG_LANDING_TITLE);
	if (r->org)
		para(r, BR_MSG_LANDING_INTRO_ORG, PH_ORG, r->org);
	else
		para(r, BR_MSG_LANDING_INTRO, -1, NULL);
	br_strbuf_puts(b, "<form method=\"get\" action=\"");
	sb_prefix(b, page->public_path);
	br_strbuf_puts(b, "/login\">\n<label for=\"room\">");
	say(r, BR_MSG_LANDING_ROOM_LABEL);
	br_strbuf_puts(b,
	               "</label>\n"
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
	br_strbuf_puts(b, "<button class=\"button\" type=\"submit\">");
	say(r, BR_MSG_LANDING_SUBMIT);
	br_strbuf_puts(b, "</button>\n</form>\n");
}

static void render_denied(const struct render *r)
{
	const struct br_page *page = r->page;
	const char *vals[PH_COUNT] = {0};
	enum br_msg m;

	heading(r, BR_MSG_DENIED_TITLE);
	vals[PH_USER] = has(page->user) ? page->user : NULL;
	vals[PH_ROOM] = has(page->room) ? page->room : NULL;
	if (vals[PH_USER])
		m = vals[PH_ROOM] ? BR_MSG_DENIED_USER_ROOM : BR_MSG_DENIED_USER;
	else
		m = vals[PH_ROOM] ? BR_MSG_DENIED_ROOM : BR_MSG_DENIED_PLAIN;
	br_strbuf_puts(r->b, "<p>");
	say_vals(r, m, vals, false);
	br_strbuf_puts(r->b, "</p>\n");
	if (has(page->detail))
		para(r, BR_MSG_REASON, PH_REASON, page->detail);
	/* A link, not a redirect: sending the browser back to the IdP on its
	 * own would sign the same account in again and loop. */
	para(r, BR_MSG_DENIED_HINT, -1, NULL);
	br_strbuf_puts(r->b, "<p><a class=\"button\" href=\"");
	sb_prefix(r->b, page->public_path);
	br_strbuf_puts(r->b, "/logout\">");
	say(r, BR_MSG_DENIED_SWITCH);
	br_strbuf_puts(r->b, "</a></p>\n");
}

/* Both links carry the token: the page is sent no-store, and neither URL
 * comes from the request (jitsi.c builds them from the configured Jitsi
 * url and app names). */
static void render_app(const struct render *r)
{
	const struct br_page *page = r->page;
	struct br_strbuf *b = r->b;
	const char *vals[PH_COUNT] = {0};
	enum br_msg m;

	heading(r, BR_MSG_APP_TITLE);
	vals[PH_USER] = has(page->user) ? page->user : NULL;
	vals[PH_ROOM] = has(page->room) ? page->room : NULL;
	vals[PH_APP] = has(page->app_name) ? page->app_name : "Jitsi";
	if (vals[PH_USER])
		m = vals[PH_ROOM] ? BR_MSG_APP_USER_ROOM : BR_MSG_APP_USER;
	else
		m = vals[PH_ROOM] ? BR_MSG_APP_ROOM : BR_MSG_APP_PLAIN;
	br_strbuf_puts(b, "<p>");
	say_vals(r, m, vals, false);
	br_strbuf_puts(b, "</p>\n");
	if (has(page->app_url)) {
		br_strbuf_puts(b, "<p><a class=\"button\" id=\"open-app\" href=\"");
		sb_escape(b, page->app_url, SIZE_MAX);
		br_strbuf_puts(b, "\">");
		say(r, BR_MSG_APP_OPEN);
		br_strbuf_puts(b, "</a></p>\n");
	}
	if (has(page->browser_url)) {
		br_strbuf_puts(b, "<p><a id=\"continue\" href=\"");
		sb_escape(b, page->browser_url, SIZE_MAX);
		br_strbuf_puts(b, "\">");
		say(r, BR_MSG_APP_CONTINUE);
		br_strbuf_puts(b, "</a></p>\n");
	}
	br_strbuf_puts(b, "<p class=\"small\">");
	say(r, BR_MSG_APP_NOTE);
	br_strbuf_puts(b, "</p>\n");
}

static void render_error(const struct render *r, enum br_page_kind kind)
{
	const struct br_page *page = r->page;

	heading(r, kinds[kind].title);
	switch (kind) {
	case BR_PAGE_IDP_UNAVAILABLE:
		para(r, BR_MSG_UNAVAILABLE_TEXT, -1, NULL);
		if (has(page->room))
			try_again(r);
		break;
	case BR_PAGE_IDP_TIMEOUT:
		para(r, BR_MSG_TIMEOUT_TEXT, -1, NULL);
		if (has(page->room))
			try_again(r);
		break;
	case BR_PAGE_IDP_ERROR:
		para(r, BR_MSG_IDP_ERROR_TEXT, -1, NULL);
		if (has(page->detail))
			para(r, BR_MSG_IDP_ERROR_CODE, PH_CODE, page->detail);
		para(r, BR_MSG_IDP_ERROR_ADVICE, -1, NULL);
		if (has(page->room))
			try_again(r);
		break;
	case BR_PAGE_LOGIN_EXPIRED:
		para(r, BR_MSG_EXPIRED_TEXT, -1, NULL);
		if (has(page->room))
			para(r, BR_MSG_EXPIRED_ROOM, PH_ROOM, page->room);
		try_again(r);
		break;
	case BR_PAGE_INVALID:
		if (has(page->detail))
			para(r, BR_MSG_REASON, PH_REASON, page->detail);
		else
			para(r, BR_MSG_INVALID_TEXT, -1, NULL);
		link_home(r);
		break;
	case BR_PAGE_NOT_FOUND:
		para(r, BR_MSG_NOT_FOUND_TEXT, -1, NULL);
		link_home(r);
		break;
	case BR_PAGE_METHOD:
		para(r, BR_MSG_METHOD_TEXT, -1, NULL);
		link_home(r);
		break;
	default:
		para(r, BR_MSG_INTERNAL_TEXT, -1, NULL);
		link_home(r);
		break;
	}
}

void br_pages_say(struct br_strbuf *b, const struct br_catalogue *cat, size_t lang, enum br_msg m,
                  const char *ph, const char *value)
{
	struct br_page page = {.lang = lang};
	struct render r = {.b = b, .page = &page, .cat = cat ? cat : br_catalogue_builtin()};
	const char *vals[PH_COUNT] = {0};
	const char *const *names = br_placeholder_names();

	for (int k = 0; ph != NULL && k < PH_COUNT; k++)
		if (strcmp(names[k], ph) == 0)
			vals[k] = value;
	say_vals(&r, m, vals, false);
}

enum br_msg br_pages_error_text(enum br_page_kind kind)
{
	switch (kind) {
	case BR_PAGE_DENIED:
		return BR_MSG_DENIED_PLAIN;
	case BR_PAGE_IDP_UNAVAILABLE:
		return BR_MSG_UNAVAILABLE_TEXT;
	case BR_PAGE_IDP_TIMEOUT:
		return BR_MSG_TIMEOUT_TEXT;
	case BR_PAGE_IDP_ERROR:
		return BR_MSG_IDP_ERROR_TEXT;
	case BR_PAGE_LOGIN_EXPIRED:
		return BR_MSG_EXPIRED_TEXT;
	case BR_PAGE_INVALID:
		return BR_MSG_INVALID_TEXT;
	default:
		return BR_MSG_INTERNAL_TEXT;
	}
}

/* The operator's accent for links and the button, light scheme only: the
 * dark scheme keeps its own colours, which are checked against its dark
 * background.  The config validated it; checked again so that nothing but
 * "#rrggbb" ever reaches the style sheet. */
static void sb_accent(struct br_strbuf *b, const struct br_pages_look *look)
{
	if (look == NULL || !br_look_colour_valid(look->accent))
		return;
	br_strbuf_puts(b, "@media not (prefers-color-scheme:dark){a{color:");
	br_strbuf_puts(b, look->accent);
	br_strbuf_puts(b, "}.button{background:");
	br_strbuf_puts(b, look->accent);
	br_strbuf_puts(b, "}}");
}

int br_pages_render(struct br_strbuf *b, const struct br_page *page)
{
	enum br_page_kind kind = page_kind(page);
	int status = br_page_status(page);
	const struct br_pages_look *look = page->look;
	struct render r = {
	        .b = b,
	        .page = page,
	        .cat = page->catalogue ? page->catalogue : br_catalogue_builtin(),
	        .org = look && has(look->organisation) ? look->organisation : NULL,
	};
	const char *vals[PH_COUNT] = {0};

	br_strbuf_puts(b, "<!DOCTYPE html>\n<html lang=\"");
	sb_escape(b, br_catalogue_tag(r.cat, page->lang), SIZE_MAX);
	br_strbuf_puts(b,
	               "\">\n"
	               "<head>\n"
	               "<meta charset=\"utf-8\">\n"
	               "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	               "<meta name=\"referrer\" content=\"no-referrer\">\n"
	               "<meta name=\"robots\" content=\"noindex, nofollow\">\n"
	               "<title>");
	if (r.org) {
		vals[PH_TITLE] = text_of(&r, kinds[kind].title);
		vals[PH_ORG] = r.org;
		say_vals(&r, BR_MSG_TITLE_ORG, vals, true);
	} else {
		say_vals(&r, kinds[kind].title, vals, true);
	}
	br_strbuf_puts(b, "</title>\n");
	if (kind == BR_PAGE_APP && page->open_app && has(page->app_url)) {
		/* No script (the CSP allows none): a refresh opens the app. */
		br_strbuf_puts(b, "<meta http-equiv=\"refresh\" content=\"0; url=");
		sb_escape(b, page->app_url, SIZE_MAX);
		br_strbuf_puts(b, "\">\n");
	}
	br_strbuf_puts(b, "<style>");
	br_strbuf_puts(b, page_css);
	sb_accent(b, look);
	br_strbuf_puts(b, "</style>\n");
	if (look && look->css) {
		br_strbuf_puts(b, "<link rel=\"stylesheet\" href=\"");
		sb_prefix(b, page->public_path);
		br_strbuf_puts(b, "/static/custom.css\">\n");
	}
	br_strbuf_puts(b, "</head>\n<body>\n<main>\n");
	if (look && look->logo) {
		/* The organisation's name is the logo's text; without one the
		 * logo is decoration and the heading says it all. */
		br_strbuf_puts(b, "<img class=\"logo\" src=\"");
		sb_prefix(b, page->public_path);
		br_strbuf_puts(b, "/static/logo\" alt=\"");
		if (r.org)
			sb_escape(b, r.org, BR_PAGE_FIELD_MAX);
		br_strbuf_puts(b, "\">\n");
	}
	if (kind == BR_PAGE_LANDING)
		render_landing(&r);
	else if (kind == BR_PAGE_DENIED)
		render_denied(&r);
	else if (kind == BR_PAGE_APP)
		render_app(&r);
	else
		render_error(&r, kind);
	if (look && has(look->support)) {
		br_strbuf_puts(b, "<p class=\"small support\">");
		say1(&r, BR_MSG_SUPPORT, PH_CONTACT, look->support);
		br_strbuf_puts(b, "</p>\n");
	}
	if (status != 200) {
		char num[16];
		snprintf(num, sizeof(num), "%d", status);
		br_strbuf_puts(b, "<p class=\"small\">");
		say1(&r, BR_MSG_STATUS, PH_STATUS, num);
		br_strbuf_puts(b, "</p>\n");
	}
	br_strbuf_puts(b, "</main>\n</body>\n</html>\n");
	return b->failed ? -1 : 0;
}

/* The policies, by [landing][logo][css]: every combination is a fixed
 * string, so that no value of the config or the request can reach it. */
#define CSP_TAIL_FORM "; form-action 'self'; frame-ancestors 'none'"
#define CSP_TAIL      "; frame-ancestors 'none'"
static const char *const csps[2][2][2] = {
        {{"default-src 'none'; style-src 'unsafe-inline'" CSP_TAIL_FORM,
          "default-src 'none'; style-src 'self' 'unsafe-inline'" CSP_TAIL_FORM},
         {"default-src 'none'; img-src 'self'; style-src 'unsafe-inline'" CSP_TAIL_FORM,
          "default-src 'none'; img-src 'self'; style-src 'self' 'unsafe-inline'" CSP_TAIL_FORM}},
        {{"default-src 'none'; style-src 'unsafe-inline'" CSP_TAIL,
          "default-src 'none'; style-src 'self' 'unsafe-inline'" CSP_TAIL},
         {"default-src 'none'; img-src 'self'; style-src 'unsafe-inline'" CSP_TAIL,
          "default-src 'none'; img-src 'self'; style-src 'self' 'unsafe-inline'" CSP_TAIL}},
};

const char *br_pages_csp(const struct br_page *page)
{
	const struct br_pages_look *look = page->look;
	return csps[page_kind(page) == BR_PAGE_LANDING][look && look->logo][look && look->css];
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
