/*
 * inline.c - the popup result page and the silent-logout page of Jitsi's
 * inline mode.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "bridge/evp.h"
#include "bridge/inline.h"
#include "bridge/pages.h"
#include "bridge/strbuf.h"

/* The one script of the result page.  Its bytes are hashed into the CSP:
 * change nothing here without the test that checks the hash. */
static const char result_script[] =
        "(function () {\n"
        "\tvar d = document.getElementById('r').dataset, o = window.opener, m;\n"
        "\tif (o && o !== window) {\n"
        "\t\tm = d.type === 'oauth-success'\n"
        "\t\t\t? { type: 'oauth-success', accessToken: d.accessToken,"
        " idToken: d.idToken, refreshToken: d.refreshToken }\n"
        "\t\t\t: { type: 'oauth-error', error: d.error };\n"
        "\t\to.postMessage(m, d.origin);\n"
        "\t\treturn;\n"
        "\t}\n"
        "\tif (d.type === 'oauth-success' && d.next) {\n"
        "\t\tlocation.replace(d.next);\n"
        "\t}\n"
        "})();\n";

static const char logout_script[] =
        "(function () {\n"
        "\tvar d = document.getElementById('r').dataset;\n"
        "\tif (window.parent && window.parent !== window) {\n"
        "\t\twindow.parent.postMessage({ type: 'logout-success' }, d.origin);\n"
        "\t}\n"
        "})();\n";

static const char style[] = "body{font-family:system-ui,sans-serif;margin:2em;color:#222}";

static void attr(struct br_strbuf *b, const char *name, const char *value)
{
	if (value == NULL)
		return;
	br_strbuf_puts(b, " data-");
	br_strbuf_puts(b, name);
	br_strbuf_puts(b, "=\"");
	br_pages_escape(b, value);
	br_strbuf_puts(b, "\"");
}

static void text(struct br_strbuf *b, const char *s)
{
	br_pages_escape(b, s);
}

/* The texts come from the catalogue, in the language the request asked
 * for; the scripts and data attributes do not depend on it. */
static void head(struct br_strbuf *b, const struct br_catalogue *cat, size_t lang,
                 enum br_msg title)
{
	if (cat == NULL)
		cat = br_catalogue_builtin();
	br_strbuf_puts(b, "<!DOCTYPE html>\n<html lang=\"");
	text(b, br_catalogue_tag(cat, lang));
	br_strbuf_puts(b,
	               "\">\n<head>\n<meta charset=\"utf-8\">\n"
	               "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	               "<title>");
	text(b, br_catalogue_text(cat, lang, title));
	br_strbuf_puts(b, "</title>\n<style>");
	br_strbuf_puts(b, style);
	br_strbuf_puts(b, "</style>\n</head>\n<body>\n");
}

static void foot(struct br_strbuf *b, const char *script)
{
	br_strbuf_puts(b, "<script>");
	br_strbuf_puts(b, script);
	br_strbuf_puts(b, "</script>\n</body>\n</html>\n");
}

void br_inline_render_result(struct br_strbuf *b, const struct br_inline_result *res)
{
	bool ok = res->access_token != NULL;
	const struct br_catalogue *cat = res->catalogue;
	enum br_msg title = ok ? BR_MSG_INLINE_OK_TITLE : BR_MSG_IDP_ERROR_TITLE;
	const char *code = res->error != NULL ? res->error : "server_error";

	head(b, cat, res->lang, title);
	br_strbuf_puts(b, "<main id=\"r\"");
	attr(b, "type", ok ? "oauth-success" : "oauth-error");
	attr(b, "origin", res->origin);
	if (ok) {
		attr(b, "access-token", res->access_token);
		attr(b, "id-token", res->id_token);
		attr(b, "refresh-token", res->refresh_token);
		attr(b, "next", res->next);
	} else {
		attr(b, "error", code);
	}
	br_strbuf_puts(b, ">\n<h1>");
	br_pages_say(b, cat, res->lang, title, NULL, NULL);
	br_strbuf_puts(b, "</h1>\n<p>");
	if (ok)
		br_pages_say(b, cat, res->lang, BR_MSG_INLINE_OK_TEXT, NULL, NULL);
	else
		br_pages_say(b, cat, res->lang,
		             res->text != BR_MSG_TITLE_ORG ? res->text : BR_MSG_INLINE_FAILED_TEXT,
		             NULL, NULL);
	br_strbuf_puts(b, "</p>\n");
	if (!ok) {
		br_strbuf_puts(b, "<p>");
		br_pages_say(b, cat, res->lang, BR_MSG_IDP_ERROR_CODE, "code", code);
		br_strbuf_puts(b, "</p>\n");
	}
	if (ok && res->next != NULL) {
		br_strbuf_puts(b, "<p><a href=\"");
		text(b, res->next);
		br_strbuf_puts(b, "\">");
		br_pages_say(b, cat, res->lang, BR_MSG_INLINE_CONTINUE, NULL, NULL);
		br_strbuf_puts(b, "</a></p>\n");
	}
	br_strbuf_puts(b, "</main>\n");
	foot(b, result_script);
}

void br_inline_render_logout(struct br_strbuf *b, const char *origin,
                             const struct br_catalogue *cat, size_t lang)
{
	head(b, cat, lang, BR_MSG_LOGOUT_TITLE);
	br_strbuf_puts(b, "<main id=\"r\"");
	attr(b, "origin", origin);
	br_strbuf_puts(b, ">\n<p>");
	br_pages_say(b, cat, lang, BR_MSG_LOGOUT_TEXT, NULL, NULL);
	br_strbuf_puts(b, "</p>\n</main>\n");
	foot(b, logout_script);
}

/* 'sha256-<base64 of the digest>' of script. */
static int script_hash(const char *script, char out[64])
{
	unsigned char md[32];
	unsigned int len = 0;

	if (EVP_Digest(script, strlen(script), md, &len, br_evp_sha256(), NULL) != 1 ||
	    len != sizeof(md))
		return -1;
	memcpy(out, "'sha256-", 8);
	EVP_EncodeBlock((unsigned char *)out + 8, md, (int)sizeof(md)); /* 44 chars + NUL */
	strcat(out, "'");
	return 0;
}

static int csp(const char *script, const char *ancestors, char out[BR_INLINE_CSP_MAX])
{
	char hash[64];
	int n;

	if (script_hash(script, hash) != 0)
		return -1;
	n = snprintf(out, BR_INLINE_CSP_MAX,
	             "default-src 'none'; script-src %s; style-src 'unsafe-inline'; base-uri "
	             "'none'; form-action 'none'; frame-ancestors %s",
	             hash, ancestors);
	return n > 0 && n < BR_INLINE_CSP_MAX ? 0 : -1;
}

int br_inline_csp_result(char out[BR_INLINE_CSP_MAX])
{
	return csp(result_script, "'none'", out);
}

int br_inline_csp_logout(const char *origin, char out[BR_INLINE_CSP_MAX])
{
	if (origin == NULL || strpbrk(origin, " ;,'\"") != NULL)
		return -1;
	return csp(logout_script, origin, out);
}

int br_inline_origin(const char *url, char out[BR_INLINE_ORIGIN_MAX])
{
	const char *host, *end, *port = NULL;
	size_t scheme_len, host_len;
	bool https;
	int n;

	if (url == NULL)
		return -1;
	if (strncasecmp(url, "https://", 8) == 0) {
		https = true;
		scheme_len = 5;
	} else if (strncasecmp(url, "http://", 7) == 0) {
		https = false;
		scheme_len = 4;
	} else {
		return -1;
	}
	host = url + scheme_len + 3;
	end = host + strcspn(host, "/?#");
	if (memchr(host, '@', (size_t)(end - host)) != NULL || end == host)
		return -1;
	if (*host == '[') {
		const char *close = memchr(host, ']', (size_t)(end - host));
		if (close == NULL)
			return -1;
		if (close + 1 < end) {
			if (close[1] != ':')
				return -1;
			port = close + 2;
		}
		host_len = (size_t)(close + 1 - host);
	} else {
		const char *colon = memchr(host, ':', (size_t)(end - host));
		host_len = (size_t)((colon != NULL ? colon : end) - host);
		if (colon != NULL)
			port = colon + 1;
	}
	if (host_len == 0)
		return -1;
	if (port != NULL) {
		for (const char *p = port; p < end; p++)
			if (!isdigit((unsigned char)*p))
				return -1;
		if (port == end || (https && end - port == 3 && memcmp(port, "443", 3) == 0) ||
		    (!https && end - port == 2 && memcmp(port, "80", 2) == 0))
			port = NULL;
	}
	n = snprintf(out, BR_INLINE_ORIGIN_MAX, "%s://%.*s%s%.*s", https ? "https" : "http",
	             (int)host_len, host, port ? ":" : "", port ? (int)(end - port) : 0,
	             port ? port : "");
	if (n <= 0 || n >= BR_INLINE_ORIGIN_MAX)
		return -1;
	for (char *p = out + (https ? 8 : 7); *p && *p != ':'; p++)
		*p = (char)tolower((unsigned char)*p);
	if (out[https ? 8 : 7] == '[') /* IPv6 literal: lower-case up to ']' */
		for (char *p = out + (https ? 8 : 7); *p && *p != ']'; p++)
			*p = (char)tolower((unsigned char)*p);
	return 0;
}

bool br_inline_same_origin(const char *a, const char *b)
{
	char oa[BR_INLINE_ORIGIN_MAX], ob[BR_INLINE_ORIGIN_MAX];

	return br_inline_origin(a, oa) == 0 && br_inline_origin(b, ob) == 0 && strcmp(oa, ob) == 0;
}
