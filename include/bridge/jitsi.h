/*
 * jitsi.h - what Jitsi sends the bridge and where a person goes back to.
 *
 * Jitsi's tokenAuthUrl carries {state}: encodeURIComponent(JSON.stringify())
 * of an object with room, roomSafe, tenant, refreshToken, ios / android /
 * electron, and config.*, interfaceConfig.*, iceServers.* overrides (the
 * person's mute and pre-join choices and the page's own URL overrides).
 * This module parses it, keeps the overrides that are safe to hand back
 * (as the fragment tail Jitsi's URL parser reads), and builds the URLs that
 * return the token: to the web app, or to the iOS, Android or desktop app.
 * docs/design-decisions.md, "Back to Jitsi", has the upstream facts.
 */
#ifndef BR_JITSI_H
#define BR_JITSI_H

#include <stdbool.h>
#include <stddef.h>

#include "bridge/error.h"
#include "bridge/room.h"

#define BR_JITSI_STATE_MAX           4096 /* longest {state} JSON (the query is 4 KiB) */
#define BR_JITSI_OVERRIDES_MAX       32   /* overrides kept */
#define BR_JITSI_OVERRIDE_KEY_MAX    64   /* longest override key */
#define BR_JITSI_OVERRIDES_MAX_BYTES 1024 /* longest fragment tail kept */

/* Where a login started, from the state's ios / android / electron flag. */
enum br_jitsi_app {
	BR_JITSI_BROWSER = 0,
	BR_JITSI_IOS,
	BR_JITSI_ANDROID,
	BR_JITSI_ELECTRON,
};

/* Bits of [jitsi] apps. */
#define BR_JITSI_APP_BIT(app) (1u << (unsigned)(app))

struct br_jitsi_state {
	char *room;          /* owned; NULL when absent or null */
	char *room_safe;     /* owned; Jitsi's getBackendSafeRoomName(room), NULL when absent */
	char *tenant;        /* owned; NULL when absent, null or "" */
	char *refresh_token; /* owned; the bridge's renewal handle, NULL when absent */
	enum br_jitsi_app app;
	/* The overrides kept, as the fragment tail Jitsi reads:
	 * "config.a=<urlenc JSON>&interfaceConfig.b=<urlenc JSON>", at most
	 * BR_JITSI_OVERRIDES_MAX of them and BR_JITSI_OVERRIDES_MAX_BYTES in
	 * all; owned, NULL when none. */
	char *overrides;
	size_t n_overrides; /* kept */
	size_t n_dropped;   /* config.* / interfaceConfig.* / iceServers.* members dropped */
};

/* Parses Jitsi's {state} (JSON text, already percent-decoded by the query
 * parser) into out (release with br_jitsi_state_clear()).  Known members
 * of the wrong type, duplicate members, more than one app flag, or text that
 * is not a JSON object give -1 with BR_E_INVALID and a message fit for a
 * 400 page.  Overrides that are not kept (key not of [A-Za-z0-9_.] below
 * config., interfaceConfig. or iceServers., a __proto__ / constructor /
 * prototype segment, longer than BR_JITSI_OVERRIDE_KEY_MAX, a value that is
 * not a string, number or boolean, or beyond the count and size limits) are
 * dropped and logged at debug level; other unknown members are ignored. */
int br_jitsi_state_parse(const char *json, struct br_jitsi_state *out, struct br_error *err);

/* Frees what st owns and zeroes it.  NULL is fine. */
void br_jitsi_state_clear(struct br_jitsi_state *st);

/* Whether s is a fragment tail br_jitsi_state_parse() could have made
 * (length, count, key and value characters): the login state checks what
 * it opens with it. */
bool br_jitsi_overrides_valid(const char *s);

/* "ios", "android", "electron" or "browser". */
const char *br_jitsi_app_name(enum br_jitsi_app app);

/* Where a token goes.  Everything is borrowed. */
struct br_jitsi_target {
	const char *jitsi_url; /* the configured site, http(s), no trailing '/' */
	const char *tenant;    /* NULL when none; must satisfy br_tenant_valid() */
	const char *room_path; /* encodeURIComponent(room as typed) (struct br_room url_path) */
	const char *token;     /* a compact JWS: [A-Za-z0-9_.-] */
	const char *overrides; /* fragment tail from the state, or NULL */
	bool query;            /* [jitsi] delivery = query: ?jwt=<token> */
};

/* The web app's URL: <jitsi_url>[/<tenant>]/<room_path> followed by
 * #jwt=%22<token>%22[&<overrides>] (fragment; Jitsi JSON-parses fragment
 * values) or ?jwt=<token>[#<overrides>] (query).  A new string, or NULL with
 * err set. */
char *br_jitsi_browser_url(const struct br_jitsi_target *t, struct br_error *err);

/* The URL that opens an app with the token: the web app's URL with its
 * http(s) scheme replaced by scheme (iOS: app_scheme, Electron:
 * desktop_scheme), or for Android the intent URL
 * intent://<host>/...#Intent;scheme=<scheme>;package=<package>;end (the
 * package pins the app).  scheme must satisfy br_jitsi_scheme_valid(),
 * package br_jitsi_package_valid() (Android only).  A new string, or NULL
 * with err set. */
char *br_jitsi_app_url(const struct br_jitsi_target *t, enum br_jitsi_app app, const char *scheme,
                       const char *package, struct br_error *err);

/* The configured way back to Jitsi: the [jitsi] keys the return URLs
 * read.  Everything is borrowed. */
struct br_jitsi_site {
	const char *url;             /* [jitsi] url: http(s), no trailing '/' */
	bool query;                  /* [jitsi] delivery = query */
	unsigned apps;               /* BR_JITSI_APP_BIT() of the apps [jitsi] apps enables */
	const char *app_scheme;      /* iOS and Android */
	const char *desktop_scheme;  /* Electron */
	const char *android_package; /* Android */
};

/* Where a finished login sends the person, by site: *browser_url is
 * always set (the web app's URL, [jitsi] delivery), *app_url only when the
 * login started in an app (app) that [jitsi] apps enables, else NULL.  room
 * is the parsed room (its url_path is used), tenant NULL or valid, token the
 * signed token, overrides the sealed fragment tail or NULL.  Both are new
 * strings holding the token (wipe and free them); -1 with err set and both
 * NULL on failure. */
int br_jitsi_return_urls(const struct br_jitsi_site *site, enum br_jitsi_app app,
                         const struct br_room *room, const char *tenant, const char *token,
                         const char *overrides, char **browser_url, char **app_url,
                         struct br_error *err);

/* Frees a URL from above after wiping it (it holds a token).  NULL is fine. */
void br_jitsi_url_free(char *url);

/* A custom URL scheme an app may own: ALPHA *(ALPHA / DIGIT / + - .), at
 * most 64 bytes, and none that a browser or the system handles itself
 * (http, https, javascript, data, file, intent, ...). */
bool br_jitsi_scheme_valid(const char *scheme);

/* An Android application id: two or more dot-separated segments of
 * [A-Za-z][A-Za-z0-9_]*, at most 255 bytes. */
bool br_jitsi_package_valid(const char *package);

#endif
