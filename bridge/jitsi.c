/*
 * jitsi.c - Jitsi's {state} and the URLs that take the token back to Jitsi.
 *
 * The overrides are kept in the form they go back in: the fragment tail
 * "key=<encodeURIComponent(JSON)>&...", which is what jitsi-meet's
 * parseURLParams() reads (key as is, value percent-decoded and then
 * JSON-parsed).  So the login state seals exactly what the callback
 * appends, and the size limit bounds the sealed cookie.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "bridge/jitsi.h"
#include "bridge/log.h"
#include "bridge/room.h"
#include "bridge/strbuf.h"

static const char *const app_names[] = {"browser", "ios", "android", "electron"};

static const char *const override_prefixes[] = {"config.", "interfaceConfig.", "iceServers."};

/* Segments jitsi-meet's parseURLParams() refuses: they would reach
 * Object.prototype. */
static const char *const forbidden_segments[] = {"__proto__", "constructor", "prototype"};

const char *br_jitsi_app_name(enum br_jitsi_app app)
{
	if ((unsigned)app >= sizeof(app_names) / sizeof(app_names[0]))
		return "browser";
	return app_names[app];
}

static bool is_alnum(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

static bool is_unreserved(char c)
{
	return is_alnum(c) || c == '-' || c == '_' || c == '.' || c == '~';
}

static bool has_override_prefix(const char *key)
{
	for (size_t i = 0; i < sizeof(override_prefixes) / sizeof(override_prefixes[0]); i++)
		if (strncmp(key, override_prefixes[i], strlen(override_prefixes[i])) == 0)
			return true;
	return false;
}

/* An override key we hand back: a known prefix, [A-Za-z0-9_.], no empty
 * segment, no forbidden segment, at most BR_JITSI_OVERRIDE_KEY_MAX bytes.
 * len is the key's length (the key need not be terminated there). */
static bool override_key_valid(const char *key, size_t len)
{
	size_t seg = 0;

	if (len == 0 || len > BR_JITSI_OVERRIDE_KEY_MAX)
		return false;
	for (size_t i = 0; i <= len; i++) {
		if (i == len || key[i] == '.') {
			size_t n = i - seg;
			if (n == 0)
				return false;
			for (size_t f = 0;
			     f < sizeof(forbidden_segments) / sizeof(forbidden_segments[0]); f++)
				if (n == strlen(forbidden_segments[f]) &&
				    memcmp(key + seg, forbidden_segments[f], n) == 0)
					return false;
			seg = i + 1;
		} else if (!is_alnum(key[i]) && key[i] != '_') {
			return false;
		}
	}
	/* the prefix check needs a terminated copy */
	char buf[BR_JITSI_OVERRIDE_KEY_MAX + 1];
	memcpy(buf, key, len);
	buf[len] = '\0';
	return has_override_prefix(buf);
}

/* Appends s percent-encoded: everything but the unreserved characters, so
 * that the value holds no '&', '=', '#' or '/' (the desktop app splits its
 * protocol URL at the last '/'). */
static void put_encoded(struct br_strbuf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (is_unreserved((char)c)) {
			br_strbuf_add(b, (const char *)&c, 1);
		} else {
			char e[3] = {'%', hex[c >> 4], hex[c & 15]};
			br_strbuf_add(b, e, 3);
		}
	}
}

static void drop(struct br_jitsi_state *st, const char *key, const char *why)
{
	st->n_dropped++;
	br_log(BR_LOG_DEBUG, "Jitsi state override dropped", "key",
	       override_key_valid(key, strnlen(key, BR_JITSI_OVERRIDE_KEY_MAX + 1)) ? key
	                                                                            : "(not shown)",
	       "reason", why, (char *)NULL);
}

/* Adds key=value to the overrides when it may go back to Jitsi. */
static int add_override(struct br_jitsi_state *st, struct br_strbuf *tail, const char *key,
                        const json_t *value, struct br_error *err)
{
	struct br_strbuf one = {0};
	char *json = NULL, *enc = NULL;
	size_t enc_len = 0;
	int rc = 0;

	if (!override_key_valid(key, strlen(key))) {
		drop(st, key, "the key is not [A-Za-z0-9_.] of at most 64 bytes");
		return 0;
	}
	if (!json_is_string(value) && !json_is_number(value) && !json_is_boolean(value)) {
		drop(st, key, "the value is not a string, number or boolean");
		return 0;
	}
	if (st->n_overrides >= BR_JITSI_OVERRIDES_MAX) {
		drop(st, key, "more than 32 overrides");
		return 0;
	}
	json = json_dumps(value, JSON_ENCODE_ANY | JSON_COMPACT);
	if (json == NULL)
		goto nomem;
	br_strbuf_puts(&one, tail->len > 0 ? "&" : "");
	br_strbuf_puts(&one, key);
	br_strbuf_puts(&one, "=");
	put_encoded(&one, json, strlen(json));
	enc = br_strbuf_finish(&one, &enc_len);
	if (enc == NULL)
		goto nomem;
	if (tail->len + enc_len > BR_JITSI_OVERRIDES_MAX_BYTES) {
		drop(st, key, "the overrides would exceed 1 KiB");
		goto out;
	}
	br_strbuf_add(tail, enc, enc_len);
	st->n_overrides++;
	goto out;
nomem:
	br_error_set(err, BR_E_NOMEM, "out of memory");
	rc = -1;
out:
	free(json);
	free(enc);
	return rc;
}

/* A string member (or null: absent).  -1 when it is something else. */
static int take_string(const json_t *v, const char *name, char **out, struct br_error *err)
{
	if (json_is_null(v))
		return 0;
	if (!json_is_string(v)) {
		br_error_set(err, BR_E_INVALID, "the state parameter's %s is not a string", name);
		return -1;
	}
	free(*out);
	*out = strdup(json_string_value(v));
	if (*out == NULL) {
		br_error_set(err, BR_E_NOMEM, "out of memory");
		return -1;
	}
	return 0;
}

static int take_app(const json_t *v, const char *name, enum br_jitsi_app app,
                    struct br_jitsi_state *st, struct br_error *err)
{
	if (!json_is_boolean(v)) {
		br_error_set(err, BR_E_INVALID, "the state parameter's %s is not true or false",
		             name);
		return -1;
	}
	if (!json_is_true(v))
		return 0;
	if (st->app != BR_JITSI_BROWSER) {
		br_error_set(err, BR_E_INVALID, "the state parameter names more than one app");
		return -1;
	}
	st->app = app;
	return 0;
}

int br_jitsi_state_parse(const char *json, struct br_jitsi_state *out, struct br_error *err)
{
	struct br_strbuf tail = {0};
	json_error_t jerr;
	json_t *doc = NULL, *v;
	const char *key;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (strnlen(json, BR_JITSI_STATE_MAX + 1) > BR_JITSI_STATE_MAX) {
		br_error_set(err, BR_E_INVALID, "the state parameter is too long");
		return -1;
	}
	doc = json_loads(json, JSON_REJECT_DUPLICATES, &jerr);
	if (!json_is_object(doc)) {
		br_error_set(err, BR_E_INVALID, "the state parameter is not a JSON object");
		goto out;
	}
	/* jansson keeps insertion order: the overrides go back in Jitsi's. */
	json_object_foreach(doc, key, v)
	{
		int r = 0;

		if (strcmp(key, "room") == 0)
			r = take_string(v, "room", &out->room, err);
		else if (strcmp(key, "roomSafe") == 0)
			r = take_string(v, "roomSafe", &out->room_safe, err);
		else if (strcmp(key, "tenant") == 0)
			r = take_string(v, "tenant", &out->tenant, err);
		else if (strcmp(key, "refreshToken") == 0)
			r = take_string(v, "refreshToken", &out->refresh_token, err);
		else if (strcmp(key, "ios") == 0)
			r = take_app(v, "ios", BR_JITSI_IOS, out, err);
		else if (strcmp(key, "android") == 0)
			r = take_app(v, "android", BR_JITSI_ANDROID, out, err);
		else if (strcmp(key, "electron") == 0)
			r = take_app(v, "electron", BR_JITSI_ELECTRON, out, err);
		else if (has_override_prefix(key))
			r = add_override(out, &tail, key, v, err);
		if (r != 0)
			goto out;
	}
	if (out->tenant != NULL && out->tenant[0] == '\0') {
		free(out->tenant);
		out->tenant = NULL;
	}
	if (tail.len > 0) {
		out->overrides = br_strbuf_finish(&tail, NULL);
		if (out->overrides == NULL) {
			br_error_set(err, BR_E_NOMEM, "out of memory");
			goto out;
		}
	}
	rc = 0;
out:
	free(br_strbuf_finish(&tail, NULL));
	if (rc != 0)
		br_jitsi_state_clear(out);
	json_decref(doc);
	return rc;
}

void br_jitsi_state_clear(struct br_jitsi_state *st)
{
	if (st == NULL)
		return;
	free(st->room);
	free(st->room_safe);
	free(st->tenant);
	if (st->refresh_token != NULL) {
		explicit_bzero(st->refresh_token, strlen(st->refresh_token));
		free(st->refresh_token);
	}
	free(st->overrides);
	memset(st, 0, sizeof(*st));
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool br_jitsi_overrides_valid(const char *s)
{
	size_t n = 0;

	if (s == NULL || strlen(s) > BR_JITSI_OVERRIDES_MAX_BYTES || *s == '\0')
		return false;
	while (*s != '\0') {
		const char *eq = strchr(s, '='), *end = strchr(s, '&');

		if (end == NULL)
			end = s + strlen(s);
		if (eq == NULL || eq > end || !override_key_valid(s, (size_t)(eq - s)) ||
		    eq + 1 == end || ++n > BR_JITSI_OVERRIDES_MAX)
			return false;
		for (const char *p = eq + 1; p < end; p++) {
			if (*p == '%') {
				if (end - p < 3 || hexval(p[1]) < 0 || hexval(p[2]) < 0)
					return false;
				p += 2;
			} else if (!is_unreserved(*p)) {
				return false;
			}
		}
		s = *end == '&' ? end + 1 : end;
		if (*end == '&' && *s == '\0')
			return false;
	}
	return true;
}

/* --- URLs -------------------------------------------------------------------- */

static bool token_valid(const char *t)
{
	if (t == NULL || *t == '\0')
		return false;
	for (; *t; t++)
		if (!is_alnum(*t) && *t != '-' && *t != '_' && *t != '.')
			return false;
	return true;
}

/* encodeURIComponent output: no '/', '?', '#' or anything else that would
 * change the URL's structure. */
static bool room_path_valid(const char *p)
{
	if (p == NULL || *p == '\0')
		return false;
	for (; *p; p++)
		if (!is_unreserved(*p) && strchr("!*'()%", *p) == NULL)
			return false;
	return true;
}

/* Appends "[/<tenant>]/<room>" and the token part to b. */
static int put_tail(struct br_strbuf *b, const struct br_jitsi_target *t, struct br_error *err)
{
	if (!token_valid(t->token) || !room_path_valid(t->room_path)) {
		br_error_set(err, BR_E_INTERNAL, "cannot build the redirect: no room or token");
		return -1;
	}
	if (t->tenant != NULL && !br_tenant_valid(t->tenant)) {
		br_error_set(err, BR_E_INVALID,
		             "the tenant is not valid (1 to 63 of A-Z a-z 0-9 . _ -)");
		return -1;
	}
	if (t->overrides != NULL && !br_jitsi_overrides_valid(t->overrides)) {
		br_error_set(err, BR_E_INTERNAL, "cannot build the redirect: overrides malformed");
		return -1;
	}
	if (t->tenant != NULL) {
		br_strbuf_puts(b, "/");
		br_strbuf_puts(b, t->tenant);
	}
	br_strbuf_puts(b, "/");
	br_strbuf_puts(b, t->room_path);
	/* The fragment value is a JSON string (quotes as %22): Jitsi's apps
	 * JSON-parse fragment parameters.  A JWS needs no escaping. */
	if (t->query) {
		br_strbuf_puts(b, "?jwt=");
		br_strbuf_puts(b, t->token);
		if (t->overrides != NULL) {
			br_strbuf_puts(b, "#");
			br_strbuf_puts(b, t->overrides);
		}
	} else {
		br_strbuf_puts(b, "#jwt=%22");
		br_strbuf_puts(b, t->token);
		br_strbuf_puts(b, "%22");
		if (t->overrides != NULL) {
			br_strbuf_puts(b, "&");
			br_strbuf_puts(b, t->overrides);
		}
	}
	return 0;
}

static char *finish(struct br_strbuf *b, struct br_error *err)
{
	char *s = br_strbuf_finish(b, NULL);

	if (s == NULL)
		br_error_set(err, BR_E_NOMEM, "out of memory");
	return s;
}

char *br_jitsi_browser_url(const struct br_jitsi_target *t, struct br_error *err)
{
	struct br_strbuf b = {.secret = true};

	br_strbuf_puts(&b, t->jitsi_url);
	if (put_tail(&b, t, err) != 0) {
		free(br_strbuf_finish(&b, NULL));
		return NULL;
	}
	return finish(&b, err);
}

char *br_jitsi_app_url(const struct br_jitsi_target *t, enum br_jitsi_app app, const char *scheme,
                       const char *package, struct br_error *err)
{
	struct br_strbuf b = {.secret = true};
	const char *rest;

	if (app == BR_JITSI_BROWSER)
		return br_jitsi_browser_url(t, err);
	if (strncmp(t->jitsi_url, "https://", 8) == 0)
		rest = t->jitsi_url + 8;
	else if (strncmp(t->jitsi_url, "http://", 7) == 0)
		rest = t->jitsi_url + 7;
	else
		rest = NULL;
	if (rest == NULL || *rest == '\0' || !br_jitsi_scheme_valid(scheme) ||
	    (app == BR_JITSI_ANDROID && !br_jitsi_package_valid(package))) {
		br_error_set(err, BR_E_INTERNAL, "cannot build the %s app's URL",
		             br_jitsi_app_name(app));
		return NULL;
	}
	br_strbuf_puts(&b, app == BR_JITSI_ANDROID ? "intent" : scheme);
	br_strbuf_puts(&b, "://");
	br_strbuf_puts(&b, rest);
	if (put_tail(&b, t, err) != 0) {
		free(br_strbuf_finish(&b, NULL));
		return NULL;
	}
	if (app == BR_JITSI_ANDROID) {
		/* Android's Intent.parseUri() splits at the last '#', so a
		 * fragment before "#Intent;" stays part of the data URI. */
		br_strbuf_puts(&b, "#Intent;scheme=");
		br_strbuf_puts(&b, scheme);
		br_strbuf_puts(&b, ";package=");
		br_strbuf_puts(&b, package);
		br_strbuf_puts(&b, ";end");
	}
	return finish(&b, err);
}

int br_jitsi_return_urls(const struct br_jitsi_site *site, enum br_jitsi_app app,
                         const struct br_room *room, const char *tenant, const char *token,
                         const char *overrides, char **browser_url, char **app_url,
                         struct br_error *err)
{
	struct br_jitsi_target t = {
	        .jitsi_url = site->url,
	        .tenant = tenant,
	        .room_path = room != NULL ? room->url_path : NULL,
	        .token = token,
	        .overrides = overrides,
	        .query = site->query,
	};

	*app_url = NULL;
	*browser_url = br_jitsi_browser_url(&t, err);
	if (*browser_url == NULL)
		return -1;
	if (app == BR_JITSI_BROWSER || (site->apps & BR_JITSI_APP_BIT(app)) == 0)
		return 0;
	/* Only the configured scheme of the configured app, never one taken
	 * from the request. */
	*app_url = br_jitsi_app_url(
	        &t, app, app == BR_JITSI_ELECTRON ? site->desktop_scheme : site->app_scheme,
	        site->android_package, err);
	if (*app_url == NULL) {
		br_jitsi_url_free(*browser_url);
		*browser_url = NULL;
		return -1;
	}
	return 0;
}

void br_jitsi_url_free(char *url)
{
	br_strbuf_wipe_free(url);
}

bool br_jitsi_scheme_valid(const char *scheme)
{
	static const char *const reserved[] = {
	        "http",     "https",   "javascript", "data",       "file",        "blob", "about",
	        "vbscript", "ftp",     "ws",         "wss",        "mailto",      "tel",  "sms",
	        "intent",   "content", "chrome",     "filesystem", "view-source", NULL};
	size_t n;

	if (scheme == NULL)
		return false;
	n = strlen(scheme);
	if (n == 0 || n > 64 ||
	    !((scheme[0] >= 'A' && scheme[0] <= 'Z') || (scheme[0] >= 'a' && scheme[0] <= 'z')))
		return false;
	for (size_t i = 1; i < n; i++)
		if (!is_alnum(scheme[i]) && scheme[i] != '+' && scheme[i] != '-' &&
		    scheme[i] != '.')
			return false;
	for (size_t i = 0; reserved[i] != NULL; i++)
		if (strcasecmp(scheme, reserved[i]) == 0)
			return false;
	return true;
}

bool br_jitsi_package_valid(const char *package)
{
	size_t n, segments = 0;
	bool at_start = true;

	if (package == NULL)
		return false;
	n = strlen(package);
	if (n == 0 || n > 255)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = package[i];
		if (at_start) {
			if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')))
				return false;
			at_start = false;
			segments++;
		} else if (c == '.') {
			at_start = true;
		} else if (!is_alnum(c) && c != '_') {
			return false;
		}
	}
	return !at_start && segments >= 2;
}
