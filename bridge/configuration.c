/*
 * configuration.c - INI file + environment -> struct br_config.
 *
 * Everything about a key lives in one row of br_config_keys[] below:
 * section, name, type, default, doc line, flags and where the value goes.
 * That table drives the parser, the defaults, validation, the environment
 * overrides, and (config_doc.c) the example config and the man page, so
 * they cannot disagree.  A row's type (T_URL, T_DURATION, ...) is a small
 * struct naming its converter; what only one key needs is a check hook on
 * its row (config_keys.h).
 *
 * Loading happens in three passes: collect raw strings (file, then
 * environment, later wins) remembering where each came from; convert each
 * key in table order; then check the rules that tie keys together.  Every
 * error goes through fail() and names its origin: "FILE:LINE: [section]
 * key: what is wrong", or the environment variable instead of FILE:LINE.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ini.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "bridge/catalogue.h"
#include "bridge/claims.h"
#include "bridge/configuration.h"
#include "bridge/error.h"
#include "bridge/file.h"
#include "bridge/jitsi.h"
#include "bridge/inline.h"
#include "bridge/jwa.h"
#include "bridge/log.h"
#include "bridge/look.h"
#include "bridge/rule.h"
#include "bridge/strbuf.h"

#include "config_keys.h"

extern char **environ;

#define ENV_PREFIX "JITSI_OIDC_BRIDGE_"

/* Longest line we accept; inih is told to allow a little more so that it
 * never truncates a line behind our back. */
#define LINE_MAX_BYTES   8192
#define SECRET_MAX_BYTES 4096
#define MAX_LISTEN       16
#define MAX_CIDRS        64
#define MAX_FEATURES     64
#define FEATURE_NAME_MAX 64
#define DURATION_MAX     (10L * 365 * 86400)

static const char *const auth_names[] = {"client_secret_basic", "client_secret_post", "none", NULL};
static const char *const userinfo_names[] = {"auto", "always", "never", NULL};
static const char *const room_names[] = {"requested", "wildcard", NULL};
static const char *const delivery_names[] = {"fragment", "query", NULL};
/* [jitsi] apps words, index = enum br_jitsi_app */
static const char *const app_words[] = {"", "ios", "android", "electron", NULL};
static const char *const inline_names[] = {"auto", "off", NULL};

/* The value types (defined with their converters below).  A row's type is
 * one of these words. */
static const struct br_config_type type_string;
static const struct br_config_type type_url;
static const struct br_config_type type_bool;
static const struct br_config_type type_duration;
static const struct br_config_type type_int;
static const struct br_config_type type_size;
static const struct br_config_type type_workers;
static const struct br_config_type type_listen;
static const struct br_config_type type_cidrs;
static const struct br_config_type type_enum;
static const struct br_config_type type_jitsi_alg;
static const struct br_config_type type_loglevel;
static const struct br_config_type type_secret;
static const struct br_config_type type_state_key;
static const struct br_config_type type_path;
static const struct br_config_type type_paths;
static const struct br_config_type type_claims;
static const struct br_config_type type_scopes;
static const struct br_config_type type_algs;
static const struct br_config_type type_params;
static const struct br_config_type type_rule;
static const struct br_config_type type_apps;
static const struct br_config_type type_language;
static const struct br_config_type type_messages;
static const struct br_config_type type_colour;
static const struct br_config_type type_logo;
static const struct br_config_type type_stylesheet;

#define T_STRING     (&type_string)     /* free text, NULL when unset */
#define T_URL        (&type_url)        /* absolute http(s) URL */
#define T_BOOL       (&type_bool)       /* true/false/yes/no/on/off/1/0 */
#define T_DURATION   (&type_duration)   /* seconds, see br_config_parse_duration() */
#define T_INT        (&type_int)        /* int in [min, max] */
#define T_SIZE       (&type_size)       /* size_t in [min, max] */
#define T_WORKERS    (&type_workers)    /* N or auto */
#define T_LISTEN     (&type_listen)     /* space-separated numeric host:port */
#define T_CIDRS      (&type_cidrs)      /* space-separated addr[/prefix] */
#define T_ENUM       (&type_enum)       /* one of names[] */
#define T_JITSI_ALG  (&type_jitsi_alg)  /* a JWS algorithm the bridge signs with (BR_JWA_JITSI) */
#define T_LOGLEVEL   (&type_loglevel)   /* debug|info|warn|error */
#define T_SECRET     (&type_secret)     /* inline or <key>_file */
#define T_STATE_KEY  (&type_state_key)  /* path of the 32-byte state key */
#define T_PATH       (&type_path)       /* a file path, resolved against the config directory */
#define T_PATHS      (&type_paths)      /* space-separated paths */
#define T_CLAIMS     (&type_claims)     /* space-separated claim paths */
#define T_SCOPES     (&type_scopes)     /* space-separated scopes holding openid */
#define T_ALGS       (&type_algs)       /* space-separated JWS algorithms */
#define T_PARAMS     (&type_params)     /* k=v&k2=v2 */
#define T_RULE       (&type_rule)       /* rule text, parsed by rule.c */
#define T_APPS       (&type_apps)       /* space-separated ios android electron */
#define T_LANGUAGE   (&type_language)   /* a language tag the catalogue has */
#define T_MESSAGES   (&type_messages)   /* a directory of message override files */
#define T_COLOUR     (&type_colour)     /* #rgb or #rrggbb */
#define T_LOGO       (&type_logo)       /* a PNG, JPEG or WebP file, read at load */
#define T_STYLESHEET (&type_stylesheet) /* a CSS file that loads nothing, read at load */

/* Check hooks of the keys that need more than their type. */
static int public_url_parts(struct br_config_loader *ld, const struct br_config_key *k,
                            const struct br_config_raw *r);
static int secret_length(struct br_config_loader *ld, const struct br_config_key *k,
                         const struct br_config_raw *r);
static int file_readable(struct br_config_loader *ld, const struct br_config_key *k,
                         const struct br_config_raw *r);
static int app_scheme_valid(struct br_config_loader *ld, const struct br_config_key *k,
                            const struct br_config_raw *r);
static int android_package_valid(struct br_config_loader *ld, const struct br_config_key *k,
                                 const struct br_config_raw *r);

#define OFF(f) offsetof(struct br_config, f)
#define KEY(s, n, t, d, doc_, fl, fld)                                                             \
	.section = (s), .name = (n), .type = (t), .def = (d), .doc = (doc_), .flags = (fl),        \
	.off = OFF(fld)

const struct br_config_key br_config_keys[] = {
        /* [server] */
        {KEY("server", "listen", T_LISTEN, "127.0.0.1:8800",
             "space-separated numeric addresses to listen on, IPv6 as [::1]:8800", 0, listen)},
        {KEY("server", "public_url", T_URL, NULL,
             "how browsers reach the bridge (http or https); its path is the route prefix",
             F_REQUIRED | F_STRIP_SLASH | F_NO_QUERY, public_url),
         .example = "https://meet.example.org/auth", .check = public_url_parts},
        {KEY("server", "workers", T_WORKERS, "auto",
             "event-loop threads sharing the listeners (SO_REUSEPORT); auto = online CPUs", 0,
             workers),
         .min = 1, .max = 1024},
        {KEY("server", "state_key_file", T_STATE_KEY, NULL,
             "file of exactly 32 bytes or 64 hex characters (+ newline) sealing login state; "
             "replicas must share it; unset: a random key per process",
             0, state_key),
         .example = "/etc/jitsi-oidc-bridge/state.key"},
        {KEY("server", "previous_state_key_file", T_STATE_KEY, NULL,
             "the state key before the last roll: login states, renewal handles and logout hints "
             "sealed with it still open; nothing new is sealed with it",
             0, previous_state_key),
         .example = "/etc/jitsi-oidc-bridge/state.key.old"},
        {KEY("server", "login_timeout", T_DURATION, "10m", "lifetime of a login in progress", 0,
             login_timeout)},
        {KEY("server", "session_lifetime", T_DURATION, "12h",
             "absolute end of a renewal handle (inline mode): after it, renewing needs a full "
             "login",
             0, session_lifetime)},
        {KEY("server", "admin_allow", T_CIDRS, "127.0.0.1 ::1",
             "addresses and networks (a.b.c.d/n, x::/n) that may read /metrics; empty: nobody", 0,
             admin_allow)},
        {KEY("server", "trusted_proxies", T_CIDRS, "",
             "proxies whose X-Forwarded-For is believed (for logging only)", 0, trusted_proxies)},
        {KEY("server", "max_header_size", T_SIZE, "8192", "largest request line + headers in bytes",
             0, max_header_size),
         .min = 1024, .max = 1048576},
        {KEY("server", "max_query_size", T_SIZE, "4096", "largest query string in bytes", 0,
             max_query_size),
         .min = 256, .max = 65536},
        {KEY("server", "header_timeout", T_DURATION, "10s",
             "how long a client may take to send its request", 0, header_timeout)},
        {KEY("server", "max_connections", T_INT, "10000", "open connections per worker", 0,
             max_connections),
         .min = 1, .max = 1000000},
        {KEY("server", "log_level", T_LOGLEVEL, "info", "debug | info | warn | error", 0,
             log_level)},

        /* [provider] */
        {KEY("provider", "issuer", T_URL, NULL,
             "the OP's issuer, compared byte for byte with the ID token's iss",
             F_REQUIRED | F_NO_QUERY, issuer),
         .example = "https://sso.example.org/realms/acme"},
        {KEY("provider", "client_id", T_STRING, NULL, "the bridge's client id at the OP",
             F_REQUIRED, client_id),
         .example = "jitsi"},
        {KEY("provider", "client_secret", T_SECRET, NULL,
             "client secret, or client_secret_file = PATH (needed unless token_endpoint_auth = "
             "none)",
             0, client_secret)},
        {KEY("provider", "token_endpoint_auth", T_ENUM, "client_secret_basic",
             "client_secret_basic | client_secret_post | none (public client + PKCE)", 0,
             token_endpoint_auth),
         .names = auth_names},
        {KEY("provider", "scopes", T_SCOPES, "openid profile email",
             "space-separated scopes to request; must hold openid", 0, scopes)},
        {KEY("provider", "discovery", T_BOOL, "true",
             "fetch <issuer>/.well-known/openid-configuration; false: give the endpoints below "
             "(set ones override discovery; all https with an https issuer)",
             0, discovery)},
        {KEY("provider", "authorization_endpoint", T_URL, NULL,
             "overrides discovery; required with discovery = false", 0, authorization_endpoint)},
        {KEY("provider", "token_endpoint", T_URL, NULL,
             "overrides discovery; required with discovery = false", 0, token_endpoint)},
        {KEY("provider", "userinfo_endpoint", T_URL, NULL,
             "overrides discovery; required with discovery = false and userinfo = always", 0,
             userinfo_endpoint)},
        {KEY("provider", "jwks_uri", T_URL, NULL,
             "overrides discovery; required with discovery = false", 0, jwks_uri)},
        {KEY("provider", "end_session_endpoint", T_URL, NULL,
             "overrides discovery; where /logout sends people", 0, end_session_endpoint)},
        {KEY("provider", "extra_auth_params", T_PARAMS, NULL,
             "extra authorization request parameters, k=v&k2=v2, already URL-encoded", 0,
             extra_auth_params),
         .example = "kc_idp_hint=github"},
        {KEY("provider", "userinfo", T_ENUM, "auto",
             "auto: call userinfo when a mapped claim is missing from the ID token | always | "
             "never",
             0, userinfo),
         .names = userinfo_names},
        {KEY("provider", "id_token_algs", T_ALGS, NULL,
             "accepted ID token algorithms; unset: what discovery lists, intersected with RS/PS/ES "
             "256/384/512",
             0, id_token_algs),
         .example = "RS256"},
        {KEY("provider", "ca_file", T_PATH, NULL, "extra trust anchors (PEM) for talking to the OP",
             0, ca_file),
         .example = "/etc/ssl/certs/sso-ca.pem", .check = file_readable},
        {KEY("provider", "timeout", T_DURATION, "10s", "how long to wait for the OP", 0, timeout)},
        {KEY("provider", "clock_skew", T_DURATION, "60s", "tolerated clock difference with the OP",
             F_ZERO_OK, clock_skew)},
        {KEY("provider", "max_token_age", T_DURATION, "10m", "ID token iat no older than this", 0,
             max_token_age)},

        /* [claims] */
        {KEY("claims", "id", T_CLAIMS, "sub",
             "user id; space-separated claim paths, the first present wins", F_NONEMPTY,
             claims.id)},
        {KEY("claims", "name", T_CLAIMS, "name preferred_username",
             "display name; empty: not mapped", 0, claims.name)},
        {KEY("claims", "email", T_CLAIMS, "email", "e-mail address; empty: not mapped", 0,
             claims.email)},
        {KEY("claims", "avatar", T_CLAIMS, "picture", "avatar URL; empty: not mapped", 0,
             claims.avatar)},
        {KEY("claims", "groups", T_CLAIMS, "groups",
             "groups: an array or a space-separated string; Keycloak \"/a/b\" paths kept as is", 0,
             claims.groups)},

        /* [jitsi] */
        {KEY("jitsi", "url", T_URL, NULL,
             "the Jitsi Meet site; users go back to <url>/<tenant>/<room>",
             F_REQUIRED | F_STRIP_SLASH | F_NO_QUERY, jitsi_url),
         .example = "https://meet.example.org"},
        {KEY("jitsi", "app_id", T_STRING, "jitsi",
             "token iss (Prosody app_id); letters, digits and . _ ~ : / @ + -", F_WORD, app_id)},
        {KEY("jitsi", "audience", T_STRING, "jitsi",
             "token aud; letters, digits and . _ ~ : / @ + -", F_WORD, audience)},
        {KEY("jitsi", "domain", T_STRING, NULL,
             "token sub: the XMPP domain, in lower case; a tenant replaces it",
             F_REQUIRED | F_HOSTNAME, domain),
         .example = "meet.example.org"},
        {KEY("jitsi", "algorithm", T_JITSI_ALG, "RS256",
             "RS256 RS384 RS512 (with signing_key) | HS256 HS384 HS512 (with app_secret)", 0,
             algorithm)},
        {KEY("jitsi", "signing_key", T_PATH, "/var/lib/jitsi-oidc-bridge/signing.pem",
             "RSA private key (PEM) signing RS* tokens", 0, signing_key)},
        {KEY("jitsi", "previous_keys", T_PATHS, NULL,
             "space-separated old key files: still published at /asap, no longer used to sign", 0,
             previous_keys),
         .example = "/var/lib/jitsi-oidc-bridge/signing-2025.pem"},
        {KEY("jitsi", "app_secret", T_SECRET, NULL,
             "shared HS* secret (at least 32 bytes), or app_secret_file = PATH", 0, app_secret),
         .check = secret_length},
        {KEY("jitsi", "token_lifetime", T_DURATION, "1h", "lifetime of a Jitsi token", 0,
             token_lifetime)},
        {KEY("jitsi", "room", T_ENUM, "requested",
             "requested: the token is valid for that room only | wildcard: \"*\" (then no "
             "rule may read room)",
             0, room),
         .names = room_names},
        {KEY("jitsi", "delivery", T_ENUM, "fragment",
             "fragment: <url>/<room>#jwt=%22<token>%22 | query: ?jwt=<token>", 0, delivery),
         .names = delivery_names},
        {KEY("jitsi", "apps", T_APPS, NULL,
             "apps a login that started in them may return to: ios android electron "
             "(unset: the browser only)",
             0, jitsi_apps),
         .example = "ios android electron"},
        {KEY("jitsi", "app_scheme", T_STRING, "org.jitsi.meet",
             "URL scheme of the iOS and Android apps (white-labelled apps have their own)", 0,
             app_scheme),
         .check = app_scheme_valid},
        {KEY("jitsi", "android_package", T_STRING, "org.jitsi.meet",
             "application id of the Android app: only that app may take the token", 0,
             android_package),
         .check = android_package_valid},
        {KEY("jitsi", "desktop_scheme", T_STRING, "jitsi-meet",
             "URL scheme of the desktop (Electron) app", 0, desktop_scheme),
         .check = app_scheme_valid},
        {KEY("jitsi", "inline", T_ENUM, "auto",
             "auto: answer Jitsi's inline mode (popup login, renewal, silent logout) when "
             "public_url is on the Jitsi url's origin | off",
             0, inline_mode),
         .names = inline_names},
        {KEY("jitsi", "sso_client_id", T_STRING, NULL,
             "set: serve Jitsi's native SSO (config.sso.clientId) at <public_url>/authorize and "
             "/token; unset: those endpoints do not exist; letters, digits and . _ ~ : / @ + -",
             F_WORD, sso_client_id),
         .example = "jitsi-meet"},
        {KEY("jitsi", "sso_redirect_uri", T_URL, NULL,
             "the one redirect_uri /authorize accepts and sends the code to (native SSO); "
             "unset: <url>/static/sso.html",
             F_NO_QUERY, sso_redirect_uri),
         .example = "https://meet.example.org/static/sso.html"},

        /* [pages] */
        {KEY("pages", "messages_dir", T_MESSAGES, NULL,
             "directory of per-language message overrides: <tag>.ini files (de.ini, pt-br.ini) "
             "of lines message.id = text; checked at start and reload",
             0, messages_dir),
         .example = "/etc/jitsi-oidc-bridge/messages"},
        {KEY("pages", "default_language", T_LANGUAGE, "en",
             "page language when Accept-Language names none the bridge has (built in: en de fr "
             "es it nl pt)",
             0, default_lang)},
        {KEY("pages", "organisation", T_STRING, NULL,
             "the organisation's name, shown in page titles, the landing text and as the "
             "logo's text",
             0, organisation),
         .example = "Example University"},
        {KEY("pages", "logo", T_LOGO, NULL,
             "a PNG, JPEG or WebP file (at most 256 KiB) served at P/static/logo and shown on "
             "every page",
             0, logo_file),
         .example = "/etc/jitsi-oidc-bridge/logo.png"},
        {KEY("pages", "accent_colour", T_COLOUR, NULL,
             "colour of links and the button, #rgb or #rrggbb; --check warns below 4.5:1 "
             "contrast with the white page",
             0, accent),
         .example = "#0b6e4f"},
        {KEY("pages", "stylesheet", T_STYLESHEET, NULL,
             "an extra CSS file (at most 64 KiB, loading nothing: no @import or url()) served "
             "at P/static/custom.css after the built-in style",
             0, css_file),
         .example = "/etc/jitsi-oidc-bridge/pages.css"},
        {KEY("pages", "support", T_STRING, NULL,
             "a contact line at the foot of every page, e.g. an e-mail address or phone number", 0,
             support),
         .example = "IT service desk, +49 30 1234-5678"},

        /* [rules] */
        {KEY("rules", "allow", T_RULE, "true", "rule: who may get a token at all", 0, rules.allow)},
        {KEY("rules", "moderator", T_RULE, "true",
             "rule: true gives the owner affiliation (moderator), false member; left at "
             "true, everyone allowed in moderates (--check warns)",
             0, rules.moderator)},
        {KEY("rules", "lobby_bypass", T_RULE, "false",
             "rule: true sets context.user.lobby_bypass (Prosody module token_lobby_bypass)", 0,
             rules.lobby_bypass)},
        {KEY("rules", "security_bypass", T_RULE, "false",
             "rule: true sets context.user.security_bypass (no lobby, no room password; "
             "Prosody module token_security_ondemand)",
             0, rules.security_bypass)},
};

const size_t br_config_n_keys = sizeof(br_config_keys) / sizeof(br_config_keys[0]);
#define N_KEYS (sizeof(br_config_keys) / sizeof(br_config_keys[0]))

const struct br_config_section br_config_sections[] = {
        {"server", "the HTTP side: listeners, public URL, limits"},
        {"provider", "the OpenID Connect provider (OP)"},
        {"claims", "where the user's attributes are found in the ID token and userinfo claims"},
        {"jitsi", "the Jitsi token and where users are sent back to"},
        {"pages", "the pages people see: their language, the organisation's name and look"},
        {"rules",
         "rules decide who gets a token and who moderates (the language: bridge.conf(5), RULES)"},
        {"features", "optional: each key becomes context.features.<key> = the rule's result"},
};

const size_t br_config_n_sections = sizeof(br_config_sections) / sizeof(br_config_sections[0]);
#define N_SECTIONS (sizeof(br_config_sections) / sizeof(br_config_sections[0]))

/* One raw value and where it came from. */
struct br_config_raw {
	char *value;
	int line;        /* file line; 0 for default or environment */
	char *env;       /* the variable's name when it came from the environment */
	bool set;        /* given in the file or environment */
	bool is_file;    /* T_SECRET given as <key>_file */
	bool inline_cut; /* the raw line held " ;" after '=' */
};

struct feature_raw {
	char *name;
	struct br_config_raw r;
};

struct br_config_loader {
	const char *path;
	char *dir;
	const char *creddir;
	char *const *env;
	FILE *fp;
	int line;
	bool at_line_start;
	size_t cur_len;
	struct br_strbuf rawline; /* the current line as read, for check_line() */
	bool failed;
	struct br_error *err;
	struct br_config *cfg;
	struct br_config_raw raws[N_KEYS];
	struct feature_raw features[MAX_FEATURES];
	size_t n_features;
	struct br_strbuf warn; /* one warning a line */
};

/* --- small helpers ------------------------------------------------------------------------- */

static void *field(struct br_config *cfg, const struct br_config_key *k)
{
	return (char *)cfg + k->off;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* Where something was written, for messages: a line of the file (line >
 * 0), an environment variable (env), or the file as a whole; and the
 * section and key it is about, either of which may be NULL.  file: the key
 * was given in its <key>_file form. */
struct origin {
	int line;
	const char *env;
	const char *section;
	const char *key;
	bool file;
};

/* Appends "FILE:LINE: [section] key: what" (or ENV instead of FILE:LINE,
 * FILE alone for the whole file; without the parts that are NULL): the one
 * form of every error and warning the loader reports. */
__attribute__((format(printf, 4, 0))) static void put_message(struct br_strbuf *b,
                                                              const struct br_config_loader *ld,
                                                              const struct origin *o,
                                                              const char *fmt, va_list ap)
{
	char tmp[BR_ERROR_MSG_MAX];

	if (o->env != NULL) {
		br_strbuf_puts(b, o->env);
	} else if (o->line > 0) {
		snprintf(tmp, sizeof(tmp), "%s:%d", ld->path, o->line);
		br_strbuf_puts(b, tmp);
	} else {
		br_strbuf_puts(b, ld->path);
	}
	if (o->section != NULL || o->key != NULL)
		br_strbuf_puts(b, ": ");
	if (o->section != NULL) {
		br_strbuf_puts(b, "[");
		br_strbuf_puts(b, o->section);
		br_strbuf_puts(b, o->key != NULL ? "] " : "]");
	}
	if (o->key != NULL) {
		br_strbuf_puts(b, o->key);
		if (o->file)
			br_strbuf_puts(b, "_file");
	}
	br_strbuf_puts(b, ": ");
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	br_strbuf_puts(b, tmp);
}

/* Reports an error (see put_message()) and marks the load failed. */
__attribute__((format(printf, 4, 0))) static void report(struct br_config_loader *ld,
                                                         enum br_error_code code,
                                                         const struct origin *o, const char *fmt,
                                                         va_list ap)
{
	struct br_strbuf b = {0};

	put_message(&b, ld, o, fmt, ap);
	char *s = br_strbuf_finish(&b, NULL);
	if (s != NULL)
		br_error_set(ld->err, code, "%s", s);
	else
		br_error_set(ld->err, BR_E_NOMEM, "out of memory");
	free(s);
	ld->failed = true;
}

/* The one way the loader reports an error.  Returns -1, so that a caller
 * can return fail(...). */
__attribute__((format(printf, 4, 5))) static int fail(struct br_config_loader *ld,
                                                      enum br_error_code code,
                                                      const struct origin *o, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(ld, code, o, fmt, ap);
	va_end(ap);
	return -1;
}

/* "FILE: out of memory". */
static int fail_nomem(struct br_config_loader *ld)
{
	return fail(ld, BR_E_NOMEM, &(struct origin){0}, "out of memory");
}

/* Where key k's raw value r came from. */
static struct origin key_origin(const struct br_config_key *k, const struct br_config_raw *r)
{
	return (struct origin){.line = r->line,
	                       .env = r->env,
	                       .section = k->section,
	                       .key = k->name,
	                       .file = k->type->has_file && r->is_file};
}

/* An error about key k's value r; returns -1. */
__attribute__((format(printf, 4, 5))) static int key_err(struct br_config_loader *ld,
                                                         const struct br_config_key *k,
                                                         const struct br_config_raw *r,
                                                         const char *fmt, ...)
{
	struct origin o = key_origin(k, r);
	va_list ap;

	va_start(ap, fmt);
	report(ld, BR_E_CONFIG, &o, fmt, ap);
	va_end(ap);
	return -1;
}

/* Adds a line to the warnings, in the same form as errors. */
__attribute__((format(printf, 3, 4))) static void
warn_at(struct br_config_loader *ld, const struct origin *o, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	put_message(&ld->warn, ld, o, fmt, ap);
	va_end(ap);
	br_strbuf_puts(&ld->warn, "\n");
}

/* A warning about key k's value r. */
__attribute__((format(printf, 4, 5))) static void key_warn(struct br_config_loader *ld,
                                                           const struct br_config_key *k,
                                                           const struct br_config_raw *r,
                                                           const char *fmt, ...)
{
	struct origin o = key_origin(k, r);
	va_list ap;

	va_start(ap, fmt);
	put_message(&ld->warn, ld, &o, fmt, ap);
	va_end(ap);
	br_strbuf_puts(&ld->warn, "\n");
}

static char *join_path(const char *dir, const char *name)
{
	size_t a = strlen(dir), b = strlen(name);
	char *p = malloc(a + b + 2);

	if (p == NULL)
		return NULL;
	memcpy(p, dir, a);
	if (a > 0 && dir[a - 1] == '/')
		a--; /* "/" + "x" is "/x", not "//x" */
	p[a] = '/';
	memcpy(p + a + 1, name, b + 1);
	return p;
}

/* A relative path names a systemd credential when $CREDENTIALS_DIRECTORY
 * holds it, else a file next to the config file. */
static char *resolve_path(const struct br_config_loader *ld, const char *p)
{
	if (p[0] == '/')
		return strdup(p);
	if (ld->creddir != NULL && ld->creddir[0] != '\0') {
		char *c = join_path(ld->creddir, p);
		if (c == NULL || access(c, F_OK) == 0)
			return c;
		free(c);
	}
	return join_path(ld->dir, p);
}

/* Reads a small file whole (file.c).  Returns 0, or -1 with why saying
 * what is wrong in the loader's words. */
static int read_small_file(const char *path, size_t max, unsigned char **out, size_t *len,
                           mode_t *mode, char *why, size_t whylen)
{
	char *buf = NULL;
	int e = 0;

	switch (br_file_read_small(path, max, &buf, len, mode, &e)) {
	case BR_FILE_OK:
		*out = (unsigned char *)buf;
		return 0;
	case BR_FILE_OPEN:
		snprintf(why, whylen, "cannot open %s: %s", path, strerror(e));
		break;
	case BR_FILE_STAT:
	case BR_FILE_NOT_REGULAR:
		snprintf(why, whylen, "%s is not a regular file", path);
		break;
	case BR_FILE_TOO_LARGE:
		snprintf(why, whylen, "%s is too large (more than %zu bytes)", path, max);
		break;
	case BR_FILE_NOMEM:
		snprintf(why, whylen, "out of memory");
		break;
	case BR_FILE_READ:
		snprintf(why, whylen, "cannot read %s: %s", path, strerror(e));
		break;
	}
	return -1;
}

static void raw_clear(struct br_config_raw *r)
{
	if (r->value != NULL) {
		OPENSSL_cleanse(r->value, strlen(r->value));
		free(r->value);
	}
	free(r->env);
	memset(r, 0, sizeof(*r));
}

/* --- parsing the file ---------------------------------------------------------------------- */

static int section_index(const char *name)
{
	for (size_t i = 0; i < N_SECTIONS; i++)
		if (strcmp(br_config_sections[i].name, name) == 0)
			return (int)i;
	return -1;
}

static const struct br_config_key *find_key(const char *section, const char *name, bool *is_file)
{
	size_t nlen = strlen(name);

	*is_file = false;
	for (size_t i = 0; i < N_KEYS; i++) {
		const struct br_config_key *k = &br_config_keys[i];
		if (strcmp(k->section, section) != 0)
			continue;
		if (strcmp(k->name, name) == 0)
			return k;
		size_t klen = strlen(k->name);
		if (k->type->has_file && nlen == klen + 5 && strncmp(name, k->name, klen) == 0 &&
		    strcmp(name + klen, "_file") == 0) {
			*is_file = true;
			return k;
		}
	}
	return NULL;
}

static bool feature_name_valid(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > FEATURE_NAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_' && s[i] != '-')
			return false;
	return true;
}

/* Checks a completed raw line: a section header must name a known section
 * (inih does not tell the handler about sections without keys). */
static void check_line(struct br_config_loader *ld)
{
	const char *p = ld->rawline.s;

	if (p == NULL)
		return;
	if (ld->line == 1 && (unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBB &&
	    (unsigned char)p[2] == 0xBF)
		p += 3;
	while (is_space(*p))
		p++;
	if (*p != '[')
		return;
	const char *end = strchr(p, ']');
	if (end == NULL)
		return; /* inih reports it */
	char name[64];
	size_t n = (size_t)(end - p - 1);
	if (n >= sizeof(name)) {
		fail(ld, BR_E_CONFIG, &(struct origin){.line = ld->line}, "unknown section");
		return;
	}
	memcpy(name, p + 1, n);
	name[n] = '\0';
	if (section_index(name) < 0)
		fail(ld, BR_E_CONFIG, &(struct origin){.line = ld->line, .section = name},
		     "unknown section");
}

/* fgets-like reader for inih that counts lines (inih's handler does not
 * get them), refuses NUL bytes and overlong lines, and keeps the raw line
 * so that the handler can see what inih cut as an inline comment. */
static char *reader(char *str, int num, void *stream)
{
	struct br_config_loader *ld = stream;
	int i = 0, c = EOF;

	if (num < 1)
		return NULL;
	str[0] = '\0';
	if (ld->failed || num < 2)
		return NULL;
	if (ld->at_line_start) {
		ld->line++;
		ld->cur_len = 0;
		br_strbuf_reset(&ld->rawline);
	}
	/* On failure str is emptied: when inih grows its buffer for a long
	 * line it keeps parsing what it has even if we return NULL, and what
	 * it has must stay terminated (libFuzzer found this). */
	while (i < num - 1 && (c = getc(ld->fp)) != EOF) {
		if (c == '\0') {
			fail(ld, BR_E_CONFIG, &(struct origin){.line = ld->line},
			     "NUL byte in the file");
			str[0] = '\0';
			return NULL;
		}
		str[i++] = (char)c;
		if (c == '\n')
			break;
	}
	if (i == 0)
		return NULL;
	str[i] = '\0';
	ld->cur_len += (size_t)i;
	if (ld->cur_len > LINE_MAX_BYTES) {
		fail(ld, BR_E_CONFIG, &(struct origin){.line = ld->line},
		     "line too long (more than %d bytes)", LINE_MAX_BYTES);
		str[0] = '\0';
		return NULL;
	}
	br_strbuf_add(&ld->rawline, str, (size_t)i);
	if (ld->rawline.failed) {
		fail_nomem(ld);
		str[0] = '\0';
		return NULL;
	}
	ld->at_line_start = str[i - 1] == '\n' || c == EOF;
	if (ld->at_line_start)
		check_line(ld);
	if (ld->failed) {
		str[0] = '\0';
		return NULL;
	}
	return str;
}

/* Whether inih cut the value of the current line at an inline comment. */
static bool line_has_inline_comment(const struct br_config_loader *ld)
{
	const char *eq = ld->rawline.s != NULL ? strpbrk(ld->rawline.s, "=:") : NULL;

	if (eq == NULL)
		return false;
	for (const char *p = eq + 1; *p != '\0'; p++)
		if (*p == ';' && p > eq + 1 && is_space(p[-1]))
			return true;
	return false;
}

static int set_raw(struct br_config_loader *ld, struct br_config_raw *r, const char *value,
                   int line, const char *env, bool is_file)
{
	raw_clear(r);
	r->value = strdup(value);
	r->env = env != NULL ? strdup(env) : NULL;
	if (r->value == NULL || (env != NULL && r->env == NULL))
		return fail_nomem(ld);
	r->line = line;
	r->set = true;
	r->is_file = is_file;
	return 0;
}

static struct feature_raw *find_feature(struct br_config_loader *ld, const char *name)
{
	for (size_t i = 0; i < ld->n_features; i++)
		if (strcmp(ld->features[i].name, name) == 0)
			return &ld->features[i];
	return NULL;
}

static int add_feature(struct br_config_loader *ld, const char *name, const char *value, int line,
                       const char *env)
{
	struct feature_raw *f = find_feature(ld, name);
	struct origin o = {.line = line, .env = env, .section = "features", .key = name};

	if (f == NULL) {
		if (ld->n_features == MAX_FEATURES)
			return fail(ld, BR_E_CONFIG, &o, "too many features (at most %d)",
			            MAX_FEATURES);
		f = &ld->features[ld->n_features];
		f->name = strdup(name);
		if (f->name == NULL)
			return fail_nomem(ld);
		ld->n_features++;
	} else if (env == NULL) {
		return fail(ld, BR_E_CONFIG, &o, "duplicate key (first set at line %d)", f->r.line);
	}
	return set_raw(ld, &f->r, value, line, env, false);
}

static int on_value(void *user, const char *section, const char *name, const char *value)
{
	struct br_config_loader *ld = user;
	struct origin o = {.line = ld->line, .section = section, .key = name};
	bool is_file;

	if (ld->failed)
		return 0;
	if (value == NULL)
		value = "";
	if (section[0] == '\0') {
		fail(ld, BR_E_CONFIG, &(struct origin){.line = ld->line, .key = name},
		     "key outside any [section]");
		return 0;
	}
	if (section_index(section) < 0) {
		fail(ld, BR_E_CONFIG, &(struct origin){.line = ld->line, .section = section},
		     "unknown section");
		return 0;
	}
	if (strcmp(section, "features") == 0) {
		if (!feature_name_valid(name)) {
			fail(ld, BR_E_CONFIG, &o,
			     "a feature name is 1 to %d characters of A-Z a-z 0-9 _ -",
			     FEATURE_NAME_MAX);
			return 0;
		}
		return add_feature(ld, name, value, ld->line, NULL) == 0;
	}
	const struct br_config_key *k = find_key(section, name, &is_file);
	if (k == NULL) {
		fail(ld, BR_E_CONFIG, &o, "unknown key");
		return 0;
	}
	struct br_config_raw *r = &ld->raws[k - br_config_keys];
	if (r->set) {
		if (r->is_file == is_file)
			fail(ld, BR_E_CONFIG, &o, "duplicate key (first set at line %d)", r->line);
		else
			fail(ld, BR_E_CONFIG, &o,
			     "%s%s is set too (line %d); give only one of them", k->name,
			     r->is_file ? "_file" : "", r->line);
		return 0;
	}
	if (set_raw(ld, r, value, ld->line, NULL, is_file) != 0)
		return 0;
	r->inline_cut = k->type->has_file && !is_file && line_has_inline_comment(ld);
	return 1;
}

static int parse_file(struct br_config_loader *ld)
{
	ld->fp = fopen(ld->path, "re");
	if (ld->fp == NULL) {
		return fail(ld, BR_E_CONFIG, &(struct origin){0}, "cannot open: %s",
		            strerror(errno));
	}
	/* Debian's libinih exposes its compile-time options as globals: a
	 * growing heap line buffer (so that long rules are not cut), no
	 * Python-style continuation lines (an indented line is a key of its
	 * own), stop at the first error. */
	ini_use_stack = false;
	ini_allow_realloc = true;
	ini_max_line = LINE_MAX_BYTES + 64;
	ini_allow_multiline = false;
	ini_stop_on_first_error = true;
	ini_allow_no_value = false;
	ld->at_line_start = true;
	int rc = ini_parse_stream(reader, ld, on_value, ld);
	if (ferror(ld->fp) && !ld->failed)
		fail(ld, BR_E_CONFIG, &(struct origin){0}, "cannot read: %s", strerror(errno));
	fclose(ld->fp);
	ld->fp = NULL;
	if (ld->failed)
		return -1;
	if (rc == -2)
		return fail_nomem(ld);
	if (rc != 0)
		return fail(ld, BR_E_CONFIG, &(struct origin){.line = rc},
		            "syntax error: expected [section], key = value or a comment");
	return 0;
}

/* --- the environment ----------------------------------------------------------------------- */

static void env_name(const struct br_config_key *k, bool is_file, char *buf, size_t cap)
{
	size_t n = (size_t)snprintf(buf, cap, ENV_PREFIX "%s_%s%s", k->section, k->name,
	                            is_file ? "_file" : "");
	for (size_t i = 0; i < n && i < cap; i++)
		buf[i] = buf[i] == '-' ? '_' : (char)toupper((unsigned char)buf[i]);
}

static int parse_env(struct br_config_loader *ld)
{
	for (char *const *e = ld->env; e != NULL && *e != NULL; e++) {
		const char *eq = strchr(*e, '=');
		char name[128];

		if (eq == NULL || strncmp(*e, ENV_PREFIX, strlen(ENV_PREFIX)) != 0)
			continue;
		size_t nlen = (size_t)(eq - *e);
		if (nlen >= sizeof(name)) {
			snprintf(name, sizeof(name), "%.100s", *e);
			return fail(ld, BR_E_CONFIG, &(struct origin){.env = name},
			            "unknown variable");
		}
		memcpy(name, *e, nlen);
		name[nlen] = '\0';
		const char *value = eq + 1;

		static const char fprefix[] = ENV_PREFIX "FEATURES_";
		if (strncmp(name, fprefix, sizeof(fprefix) - 1) == 0) {
			/* Jitsi's feature names use '-', which a variable name
			 * cannot hold: FEATURES_SCREEN_SHARING is screen-sharing. */
			char fname[FEATURE_NAME_MAX + 1];
			const char *s = name + sizeof(fprefix) - 1;
			size_t i = 0;
			for (; i < FEATURE_NAME_MAX && s[i] != '\0'; i++)
				fname[i] = s[i] == '_' ? '-' : (char)tolower((unsigned char)s[i]);
			fname[i] = '\0';
			if (s[i] != '\0' || !feature_name_valid(fname))
				return fail(
				        ld, BR_E_CONFIG,
				        &(struct origin){
				                .env = name, .section = "features", .key = fname},
				        "a feature name is 1 to %d characters of A-Z a-z 0-9 _ -",
				        FEATURE_NAME_MAX);
			if (add_feature(ld, fname, value, 0, name) != 0)
				return -1;
			continue;
		}

		bool found = false;
		for (size_t i = 0; i < N_KEYS && !found; i++) {
			for (int f = 0; f <= br_config_keys[i].type->has_file && !found; f++) {
				char want[128];
				env_name(&br_config_keys[i], f, want, sizeof(want));
				if (strcmp(want, name) != 0)
					continue;
				found = true;
				/* The environment replaces what the file said,
				 * in either form of a secret; both forms in the
				 * environment are an error. */
				struct br_config_raw *r = &ld->raws[i];
				if (r->set && r->env != NULL && (bool)f != r->is_file)
					return fail(ld, BR_E_CONFIG,
					            &(struct origin){
					                    .env = name,
					                    .section = br_config_keys[i].section,
					                    .key = br_config_keys[i].name,
					                    .file = f},
					            "%s is set too; give only one of them", r->env);
				if (set_raw(ld, r, value, 0, name, f) != 0)
					return -1;
			}
		}
		if (!found)
			return fail(ld, BR_E_CONFIG, &(struct origin){.env = name},
			            "unknown variable");
	}
	return 0;
}

/* --- value converters ---------------------------------------------------------------------- */

long br_config_parse_duration(const char *s)
{
	long v = 0;
	const char *p = s;

	if (s == NULL || !isdigit((unsigned char)*p))
		return -1;
	while (isdigit((unsigned char)*p)) {
		if (v > DURATION_MAX / 10)
			return -1;
		v = v * 10 + (*p - '0');
		p++;
	}
	long mul = 1;
	switch (*p) {
	case '\0':
		break;
	case 's':
		p++;
		break;
	case 'm':
		mul = 60;
		p++;
		break;
	case 'h':
		mul = 3600;
		p++;
		break;
	case 'd':
		mul = 86400;
		p++;
		break;
	default:
		return -1;
	}
	if (*p != '\0' || v > DURATION_MAX / mul)
		return -1;
	return v * mul;
}

/* Absolute http(s) URL; fills the path start offset.  Returns NULL or why
 * it is wrong. */
static const char *check_url(const char *v, unsigned flags, bool *https, size_t *path_off,
                             bool *loopback)
{
	size_t skip;

	if (strncmp(v, "https://", 8) == 0) {
		*https = true;
		skip = 8;
	} else if (strncmp(v, "http://", 7) == 0) {
		*https = false;
		skip = 7;
	} else {
		return "must be an absolute http:// or https:// URL";
	}
	for (const char *p = v; *p != '\0'; p++)
		if ((unsigned char)*p <= 0x20 || *p == 0x7f)
			return "must not hold spaces or control characters";
	const char *host = v + skip;
	size_t hlen = strcspn(host, "/?#");
	if (hlen == 0)
		return "has no host";
	if (memchr(host, '@', hlen) != NULL)
		return "must not hold user information (user@host)";
	if (strchr(v, '#') != NULL)
		return "must not have a #fragment";
	if ((flags & F_NO_QUERY) && strchr(v, '?') != NULL)
		return "must not have a ?query";
	/* host[:port]: the port, when given, is 1..65535 digits */
	const char *colon = NULL;
	if (host[0] == '[') {
		const char *rb = memchr(host, ']', hlen);
		if (rb == NULL)
			return "has an unterminated [IPv6] host";
		if ((size_t)(rb - host) + 1 < hlen) {
			if (rb[1] != ':')
				return "has garbage after the [IPv6] host";
			colon = rb + 1;
		}
	} else {
		colon = memchr(host, ':', hlen);
	}
	if (colon != NULL) {
		size_t plen = hlen - (size_t)(colon + 1 - host);
		long port = 0;
		if (plen == 0 || plen > 5)
			return "has an invalid port";
		for (size_t i = 0; i < plen; i++) {
			if (!isdigit((unsigned char)colon[1 + i]))
				return "has an invalid port";
			port = port * 10 + (colon[1 + i] - '0');
		}
		if (port < 1 || port > 65535)
			return "has an invalid port";
	}
	*path_off = skip + hlen;
	*loopback = br_addr_url_is_loopback(v);
	return NULL;
}

/* Splits v at spaces and tabs into at most max words; returns the count or
 * -1 when there are more. */
static int split_words(char *v, char **words, int max)
{
	int n = 0;
	char *save = NULL;

	for (char *t = strtok_r(v, " \t", &save); t != NULL; t = strtok_r(NULL, " \t", &save)) {
		if (n == max)
			return -1;
		words[n++] = t;
	}
	return n;
}

static bool unreserved(const char *s)
{
	for (; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) && strchr("-._~", *s) == NULL)
			return false;
	return true;
}

static int load_state_key(struct br_config_loader *ld, const struct br_config_key *k,
                          const struct br_config_raw *r, const char *v)
{
	struct br_config *cfg = ld->cfg;
	unsigned char *buf = NULL;
	size_t len = 0;
	mode_t mode = 0;
	char why[300];
	int rc = -1;

	char *path = resolve_path(ld, v);
	if (path == NULL) {
		key_err(ld, k, r, "out of memory");
		return -1;
	}
	if (read_small_file(path, 128, &buf, &len, &mode, why, sizeof(why)) != 0) {
		key_err(ld, k, r, "%s", why);
		goto out;
	}
	size_t hexlen = len;
	if (hexlen == 65 && buf[64] == '\n')
		hexlen = 64;
	bool hex = hexlen == 64;
	for (size_t i = 0; hex && i < 64; i++)
		hex = OPENSSL_hexchar2int((unsigned char)buf[i]) >= 0;
	unsigned char *dst = (unsigned char *)cfg + k->off; /* state_key or previous_state_key */
	if (hex) {
		for (size_t i = 0; i < 32; i++) {
			int hi = OPENSSL_hexchar2int((unsigned char)buf[2 * i]);
			int lo = OPENSSL_hexchar2int((unsigned char)buf[2 * i + 1]);
			dst[i] = (unsigned char)(hi << 4 | lo);
		}
	} else if (len == 32) {
		memcpy(dst, buf, 32);
	} else {
		key_err(ld, k, r,
		        "%s must hold exactly 32 bytes or 64 hex characters (it holds %zu bytes)",
		        path, len);
		goto out;
	}
	if (mode & S_IROTH)
		warn_at(ld, &(struct origin){.section = k->section, .key = k->name},
		        "%s is readable by everyone", path);
	if (k->off == OFF(state_key))
		cfg->state_key_random = false;
	else
		cfg->has_previous_state_key = true;
	rc = 0;
out:
	if (buf != NULL) {
		OPENSSL_cleanse(buf, len);
		free(buf);
	}
	free(path);
	return rc;
}

/* Sets a secret: inline, or read from <key>_file. */
static int load_secret(struct br_config_loader *ld, const struct br_config_key *k,
                       const struct br_config_raw *r, const char *v, unsigned char **out,
                       size_t *outlen)
{
	unsigned char *buf = NULL;
	size_t len = 0;
	char why[300];

	if (r->is_file) {
		mode_t mode = 0;
		char *path = resolve_path(ld, v);
		if (path == NULL) {
			key_err(ld, k, r, "out of memory");
			return -1;
		}
		if (read_small_file(path, SECRET_MAX_BYTES, &buf, &len, &mode, why, sizeof(why)) !=
		    0) {
			key_err(ld, k, r, "%s", why);
			free(path);
			return -1;
		}
		if (len > 0 && buf[len - 1] == '\n')
			buf[--len] = '\0';
		if (mode & S_IROTH)
			warn_at(ld,
			        &(struct origin){
			                .section = k->section, .key = k->name, .file = true},
			        "%s is readable by everyone", path);
		free(path);
	} else {
		len = strlen(v);
		buf = (unsigned char *)strdup(v);
		if (buf == NULL) {
			key_err(ld, k, r, "out of memory");
			return -1;
		}
	}
	if (len == 0 || memchr(buf, '\0', len) != NULL) {
		key_err(ld, k, r, len == 0 ? "the secret is empty" : "the secret holds a NUL byte");
		OPENSSL_cleanse(buf, len);
		free(buf);
		return -1;
	}
	*out = buf;
	*outlen = len;
	return 0;
}

static int lookup_enum(const char *const *names, const char *v)
{
	for (int i = 0; names[i] != NULL; i++)
		if (strcmp(names[i], v) == 0)
			return i;
	return -1;
}

static void enum_list(const char *const *names, char *buf, size_t cap)
{
	size_t n = 0;

	buf[0] = '\0';
	for (int i = 0; names[i] != NULL && n < cap; i++)
		n += (size_t)snprintf(buf + n, cap - n, "%s%s", i ? ", " : "", names[i]);
}

static const char *check_params(const char *v)
{
	static const char *const reserved[] = {
	        "client_id", "redirect_uri",  "response_type",  "scope",
	        "state",     "nonce",         "code_challenge", "code_challenge_method",
	        "prompt",    "response_mode", "request",        "request_uri"};
	const char *p = v;

	while (*p != '\0') {
		size_t n = strcspn(p, "&");
		const char *eq = memchr(p, '=', n);
		if (eq == NULL || eq == p)
			return "expected name=value pairs joined by &";
		for (const char *q = p; q < p + n; q++)
			if ((unsigned char)*q <= 0x20 || *q == 0x7f || *q == '#')
				return "must not hold spaces, control characters or #";
		for (size_t i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
			if (strlen(reserved[i]) == (size_t)(eq - p) &&
			    strncmp(reserved[i], p, (size_t)(eq - p)) == 0)
				return "must not set a parameter the bridge sets itself";
		p += n;
		if (*p == '&')
			p++;
	}
	return NULL;
}

static char *dup_or_fail(struct br_config_loader *ld, const struct br_config_key *k,
                         const struct br_config_raw *r, const char *s)
{
	char *d = strdup(s);
	if (d == NULL)
		key_err(ld, k, r, "out of memory");
	return d;
}

/* A lowercase DNS name: labels of a-z 0-9 and inner '-', 1 to 63 long,
 * joined by single dots, 253 characters at most. */
static bool is_hostname(const char *v)
{
	size_t n = strlen(v), label = 0;

	if (n == 0 || n > 253)
		return false;
	for (size_t i = 0; i <= n; i++) {
		char c = v[i];
		if (c == '.' || c == '\0') {
			if (label == 0 || label > 63 || v[i - 1] == '-')
				return false;
			label = 0;
		} else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		           (c == '-' && label > 0)) {
			label++;
		} else {
			return false;
		}
	}
	return true;
}

/* What goes unquoted into Prosody's Lua config, config.js and the
 * comma-separated lists of docker-jitsi-meet's .env. */
static bool is_word(const char *v)
{
	size_t n = strlen(v);

	if (n == 0 || n > 255)
		return false;
	for (; *v; v++)
		if (!((*v >= 'A' && *v <= 'Z') || (*v >= 'a' && *v <= 'z') ||
		      (*v >= '0' && *v <= '9') || strchr("._~:/@+-", *v)))
			return false;
	return true;
}

/* --- the types ----------------------------------------------------------------------------- */

static void free_string(void *f)
{
	free(*(char **)f);
}

static bool has_control(const char *v)
{
	for (const char *p = v; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return true;
	return false;
}

/* Stores a copy of v in the key's char * field. */
static int store_copy(struct br_config_loader *ld, const struct br_config_key *k,
                      const struct br_config_raw *r, const char *v)
{
	char *d = dup_or_fail(ld, k, r, v);

	if (d == NULL)
		return -1;
	*(char **)field(ld->cfg, k) = d;
	return 0;
}

static int convert_string(struct br_config_loader *ld, const struct br_config_key *k,
                          const struct br_config_raw *r, const char *v)
{
	if (has_control(v)) {
		key_err(ld, k, r, "must not hold control characters");
		return -1;
	}
	if ((k->flags & F_HOSTNAME) && !is_hostname(v)) {
		key_err(ld, k, r,
		        "expected a host name in lower case (a-z 0-9 - and dots), as Jitsi "
		        "compares the token's sub with it, not \"%.64s\"",
		        v);
		return -1;
	}
	if ((k->flags & F_WORD) && !is_word(v)) {
		key_err(ld, k, r,
		        "may hold only letters, digits and . _ ~ : / @ + - (1 to 255 of them), as "
		        "it goes into Prosody's and Jitsi's configuration: not \"%.64s\"",
		        v);
		return -1;
	}
	return store_copy(ld, k, r, v);
}

/* Claim paths parse as the mapping reads them: a path it could never read
 * fails here, not silently at every login. */
static int convert_claims(struct br_config_loader *ld, const struct br_config_key *k,
                          const struct br_config_raw *r, const char *v)
{
	struct br_error perr = {0};

	if (!has_control(v) && br_claims_paths_check(v, &perr) < 0) {
		key_err(ld, k, r, "%s", perr.msg);
		return -1;
	}
	return convert_string(ld, k, r, v);
}

static int convert_scopes(struct br_config_loader *ld, const struct br_config_key *k,
                          const struct br_config_raw *r, const char *v)
{
	char *copy = dup_or_fail(ld, k, r, v), *w[32];
	if (copy == NULL)
		return -1;
	int n = split_words(copy, w, 32);
	bool openid = false;
	for (int i = 0; i < n; i++)
		openid = openid || strcmp(w[i], "openid") == 0;
	free(copy);
	if (n < 0) {
		key_err(ld, k, r, "too many scopes (at most 32)");
		return -1;
	}
	if (!openid) {
		key_err(ld, k, r, "must hold openid");
		return -1;
	}
	for (const char *p = v; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 && *p != '\t') {
			key_err(ld, k, r, "must not hold control characters");
			return -1;
		}
	return store_copy(ld, k, r, v);
}

static int convert_algs(struct br_config_loader *ld, const struct br_config_key *k,
                        const struct br_config_raw *r, const char *v)
{
	char *copy = dup_or_fail(ld, k, r, v), *w[16];
	if (copy == NULL)
		return -1;
	int n = split_words(copy, w, 16);
	for (int i = 0; i < n; i++)
		if ((br_jwa_from_name(w[i]) & BR_JWA_ID_TOKEN) == 0) {
			char list[200];
			br_jwa_list(BR_JWA_ID_TOKEN, " ", list, sizeof(list));
			key_err(ld, k, r, "unsupported algorithm %.20s (%s)", w[i], list);
			free(copy);
			return -1;
		}
	free(copy);
	if (n <= 0) {
		key_err(ld, k, r, n < 0 ? "too many algorithms" : "no algorithm given");
		return -1;
	}
	return store_copy(ld, k, r, v);
}

static int convert_params(struct br_config_loader *ld, const struct br_config_key *k,
                          const struct br_config_raw *r, const char *v)
{
	const char *bad = check_params(v);

	if (bad != NULL) {
		key_err(ld, k, r, "%s", bad);
		return -1;
	}
	return store_copy(ld, k, r, v);
}

static int convert_url(struct br_config_loader *ld, const struct br_config_key *k,
                       const struct br_config_raw *r, const char *v)
{
	bool https = false, loopback = false;
	size_t path_off = 0;
	const char *bad = check_url(v, k->flags, &https, &path_off, &loopback);

	if (strlen(v) > BR_CONFIG_URL_MAX) {
		key_err(ld, k, r, "is longer than %d bytes", BR_CONFIG_URL_MAX);
		return -1;
	}
	if (bad != NULL) {
		key_err(ld, k, r, "%s", bad);
		return -1;
	}
	char *d = dup_or_fail(ld, k, r, v);
	if (d == NULL)
		return -1;
	size_t len = strlen(d);
	if ((k->flags & F_STRIP_SLASH) && len > path_off && d[len - 1] == '/')
		d[--len] = '\0';
	if ((k->flags & F_STRIP_SLASH) && len > path_off && d[len - 1] == '/') {
		free(d);
		key_err(ld, k, r, "must not end with //");
		return -1;
	}
	*(char **)field(ld->cfg, k) = d;
	if (!https && !loopback)
		key_warn(ld, k, r, "plain http outside this host; use https");
	return 0;
}

/* [server] public_url: its scheme and path, which the routes and cookies
 * use (check_url() accepted it, so it has "://" and a host). */
static int public_url_parts(struct br_config_loader *ld, const struct br_config_key *k,
                            const struct br_config_raw *r)
{
	struct br_config *cfg = ld->cfg;
	const char *host = strstr(cfg->public_url, "://") + 3;

	cfg->public_https = strncmp(cfg->public_url, "https://", 8) == 0;
	cfg->public_path = strdup(host + strcspn(host, "/?#"));
	if (cfg->public_path == NULL) {
		key_err(ld, k, r, "out of memory");
		return -1;
	}
	/* The routes' prefix and the cookie paths are built from it. */
	if (strlen(cfg->public_path) > BR_CONFIG_PUBLIC_PATH_MAX) {
		key_err(ld, k, r, "its path is longer than %d bytes", BR_CONFIG_PUBLIC_PATH_MAX);
		return -1;
	}
	return 0;
}

static int convert_bool(struct br_config_loader *ld, const struct br_config_key *k,
                        const struct br_config_raw *r, const char *v)
{
	static const char *const yes[] = {"true", "yes", "on", "1"};
	static const char *const no[] = {"false", "no", "off", "0"};
	bool *f = field(ld->cfg, k);

	for (size_t i = 0; i < 4; i++) {
		if (strcasecmp(v, yes[i]) == 0) {
			*f = true;
			return 0;
		}
		if (strcasecmp(v, no[i]) == 0) {
			*f = false;
			return 0;
		}
	}
	key_err(ld, k, r, "expected true or false (yes/no, on/off, 1/0), not \"%.40s\"", v);
	return -1;
}

static int convert_duration(struct br_config_loader *ld, const struct br_config_key *k,
                            const struct br_config_raw *r, const char *v)
{
	long d = br_config_parse_duration(v);

	if (d < 0 || (d == 0 && !(k->flags & F_ZERO_OK))) {
		key_err(ld, k, r, "expected a %sduration such as 30s, 10m, 1h or 2d, not \"%.40s\"",
		        (k->flags & F_ZERO_OK) ? "" : "positive ", v);
		return -1;
	}
	*(long *)field(ld->cfg, k) = d;
	return 0;
}

/* A decimal integer in [k->min, k->max]; what says what was expected. */
static int parse_range(struct br_config_loader *ld, const struct br_config_key *k,
                       const struct br_config_raw *r, const char *v, const char *what, long *out)
{
	char *end = NULL;
	long n;

	errno = 0;
	n = isdigit((unsigned char)v[0]) ? strtol(v, &end, 10) : -1;
	if (n < 0 || errno != 0 || end == NULL || *end != '\0' || n < k->min || n > k->max) {
		key_err(ld, k, r, "expected %s%ld to %ld, not \"%.40s\"", what, k->min, k->max, v);
		return -1;
	}
	*out = n;
	return 0;
}

/* Stores n in k's field: a size_t for T_SIZE, an int for T_INT and
 * T_WORKERS (n is already within [k->min, k->max]). */
static void store_integer(struct br_config_loader *ld, const struct br_config_key *k, long n)
{
	if (k->type == &type_size)
		*(size_t *)field(ld->cfg, k) = (size_t)n;
	else
		*(int *)field(ld->cfg, k) = (int)n;
}

static int convert_integer(struct br_config_loader *ld, const struct br_config_key *k,
                           const struct br_config_raw *r, const char *v)
{
	long n;

	if (parse_range(ld, k, r, v, "an integer from ", &n) != 0)
		return -1;
	store_integer(ld, k, n);
	return 0;
}

static int convert_workers(struct br_config_loader *ld, const struct br_config_key *k,
                           const struct br_config_raw *r, const char *v)
{
	long n;

	if (strcmp(v, "auto") == 0) {
		n = sysconf(_SC_NPROCESSORS_ONLN);
		if (n < 1)
			n = 1;
		if (n > k->max)
			n = k->max;
	} else if (parse_range(ld, k, r, v, "auto or ", &n) != 0) {
		return -1;
	}
	store_integer(ld, k, n);
	return 0;
}

static int convert_enum(struct br_config_loader *ld, const struct br_config_key *k,
                        const struct br_config_raw *r, const char *v)
{
	int e = lookup_enum(k->names, v);

	if (e < 0) {
		char list[200];
		enum_list(k->names, list, sizeof(list));
		key_err(ld, k, r, "expected one of %s, not \"%.40s\"", list, v);
		return -1;
	}
	*(int *)field(ld->cfg, k) = e;
	return 0;
}

static int convert_jitsi_alg(struct br_config_loader *ld, const struct br_config_key *k,
                             const struct br_config_raw *r, const char *v)
{
	unsigned a = br_jwa_from_name(v) & BR_JWA_JITSI;

	if (a == 0) {
		char list[200];
		br_jwa_list(BR_JWA_JITSI, ", ", list, sizeof(list));
		key_err(ld, k, r, "expected one of %s, not \"%.40s\"", list, v);
		return -1;
	}
	*(int *)field(ld->cfg, k) = (int)a;
	return 0;
}

static int convert_loglevel(struct br_config_loader *ld, const struct br_config_key *k,
                            const struct br_config_raw *r, const char *v)
{
	int e = br_log_level_parse(v);

	if (e < 0) {
		key_err(ld, k, r, "expected one of debug, info, warn, error, not \"%.40s\"", v);
		return -1;
	}
	*(int *)field(ld->cfg, k) = e;
	return 0;
}

/* [server] listen: the array and its count (cfg->n_listen). */
static int convert_listen(struct br_config_loader *ld, const struct br_config_key *k,
                          const struct br_config_raw *r, const char *v)
{
	struct br_config *cfg = ld->cfg;
	struct br_listen **list = field(cfg, k);
	char *copy = dup_or_fail(ld, k, r, v), *w[MAX_LISTEN];
	int rc = -1;

	if (copy == NULL)
		return -1;
	int n = split_words(copy, w, MAX_LISTEN);
	if (n <= 0) {
		key_err(ld, k, r, n < 0 ? "too many addresses (at most %d)" : "no address given",
		        MAX_LISTEN);
		goto out;
	}
	*list = calloc((size_t)n, sizeof(**list));
	if (*list == NULL) {
		key_err(ld, k, r, "out of memory");
		goto out;
	}
	for (int i = 0; i < n; i++) {
		struct br_listen *l = &(*list)[i];
		const char *bad = NULL;
		if (br_addr_parse_listen(w[i], l, &bad) != 0) {
			key_err(ld, k, r, "%.80s: %s", w[i], bad);
			goto out;
		}
		for (int j = 0; j < i; j++)
			if ((*list)[j].addrlen == l->addrlen &&
			    memcmp(&(*list)[j].addr, &l->addr, l->addrlen) == 0) {
				key_err(ld, k, r, "%.80s is listed twice", w[i]);
				goto out;
			}
		cfg->n_listen = (size_t)i + 1;
	}
	rc = 0;
out:
	free(copy);
	return rc;
}

static void free_listen(void *f)
{
	free(*(struct br_listen **)f);
}

static int convert_cidrs(struct br_config_loader *ld, const struct br_config_key *k,
                         const struct br_config_raw *r, const char *v)
{
	struct br_cidr_list *list = field(ld->cfg, k);
	char *copy = dup_or_fail(ld, k, r, v), *w[MAX_CIDRS];
	char why[300];
	int rc = -1;

	if (copy == NULL)
		return -1;
	int n = split_words(copy, w, MAX_CIDRS);
	if (n < 0) {
		key_err(ld, k, r, "too many entries (at most %d)", MAX_CIDRS);
		goto out;
	}
	if (n > 0) {
		list->items = calloc((size_t)n, sizeof(*list->items));
		if (list->items == NULL) {
			key_err(ld, k, r, "out of memory");
			goto out;
		}
	}
	for (int i = 0; i < n; i++) {
		if (br_addr_parse_cidr(w[i], &list->items[i], why, sizeof(why)) != 0) {
			key_err(ld, k, r, "%s", why);
			goto out;
		}
		list->n = (size_t)i + 1;
	}
	rc = 0;
out:
	free(copy);
	return rc;
}

static void free_cidrs(void *f)
{
	free(((struct br_cidr_list *)f)->items);
}

static int convert_secret(struct br_config_loader *ld, const struct br_config_key *k,
                          const struct br_config_raw *r, const char *v)
{
	unsigned char *s = NULL;
	size_t len = 0;

	if (load_secret(ld, k, r, v, &s, &len) != 0)
		return -1;
	*(char **)field(ld->cfg, k) = (char *)s;
	if (!r->is_file && r->inline_cut)
		key_warn(ld, k, r,
		         "the value was cut at \" ;\" (an inline comment); if the secret holds \" "
		         ";\", use %s_file",
		         k->name);
	return 0;
}

/* A secret never holds a NUL (load_secret() refuses one), so its length is
 * its string length. */
static void free_secret_string(void *f)
{
	br_strbuf_wipe_free(*(char **)f);
}

/* [jitsi] app_secret: HMAC keys are bytes with a length. */
static int secret_length(struct br_config_loader *ld, const struct br_config_key *k,
                         const struct br_config_raw *r)
{
	ld->cfg->app_secret_len = strlen((const char *)ld->cfg->app_secret);
	return 0;
}

static int convert_path(struct br_config_loader *ld, const struct br_config_key *k,
                        const struct br_config_raw *r, const char *v)
{
	char *p = resolve_path(ld, v);

	if (p == NULL) {
		key_err(ld, k, r, "out of memory");
		return -1;
	}
	*(char **)field(ld->cfg, k) = p;
	return 0;
}

/* [provider] ca_file: a missing CA file would only show as a TLS error at
 * the first login.  (The signing key is checked by the keys module, and
 * may not exist yet before --generate-key.) */
static int file_readable(struct br_config_loader *ld, const struct br_config_key *k,
                         const struct br_config_raw *r)
{
	const char *p = *(char **)field(ld->cfg, k);

	if (access(p, R_OK) != 0) {
		key_err(ld, k, r, "cannot read %s: %s", p, strerror(errno));
		return -1;
	}
	return 0;
}

/* Resolves each word, so that the keys module opens the same files
 * whatever its working directory. */
static int convert_paths(struct br_config_loader *ld, const struct br_config_key *k,
                         const struct br_config_raw *r, const char *v)
{
	char *copy = dup_or_fail(ld, k, r, v), *w[16];
	struct br_strbuf out = {0};

	if (copy == NULL)
		return -1;
	int n = split_words(copy, w, 16);
	if (n < 0) {
		key_err(ld, k, r, "too many paths (at most 16)");
		free(copy);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		char *p = resolve_path(ld, w[i]);
		if (p == NULL)
			out.failed = true;
		if (i > 0)
			br_strbuf_puts(&out, " ");
		if (p != NULL)
			br_strbuf_puts(&out, p);
		free(p);
	}
	free(copy);
	if (out.failed) {
		br_strbuf_finish(&out, NULL);
		key_err(ld, k, r, "out of memory");
		return -1;
	}
	*(char **)field(ld->cfg, k) = br_strbuf_finish(&out, NULL);
	return 0;
}

static int convert_state_key(struct br_config_loader *ld, const struct br_config_key *k,
                             const struct br_config_raw *r, const char *v)
{
	return load_state_key(ld, k, r, v);
}

static int convert_rule(struct br_config_loader *ld, const struct br_config_key *k,
                        const struct br_config_raw *r, const char *v)
{
	struct br_rule_src *rs = field(ld->cfg, k);

	rs->name = strdup(k->name);
	rs->text = strdup(v);
	rs->line = r->line;
	if (rs->name == NULL || rs->text == NULL) {
		key_err(ld, k, r, "out of memory");
		return -1;
	}
	return 0;
}

/* --- [pages] ------------------------------------------------------------------------------ */

/* [pages] messages_dir: the catalogue is loaded here, so that a broken
 * override file stops start-up and reload like any other bad value. */
static int convert_messages(struct br_config_loader *ld, const struct br_config_key *k,
                            const struct br_config_raw *r, const char *v)
{
	struct br_error e;
	char *p;

	if (convert_path(ld, k, r, v) != 0)
		return -1;
	p = *(char **)field(ld->cfg, k);
	br_error_clear(&e);
	ld->cfg->catalogue = br_catalogue_load(p, &e);
	if (ld->cfg->catalogue == NULL)
		return key_err(ld, k, r, "%s", e.msg);
	return 0;
}

static int convert_language(struct br_config_loader *ld, const struct br_config_key *k,
                            const struct br_config_raw *r, const char *v)
{
	const struct br_catalogue *cat =
	        ld->cfg->catalogue ? ld->cfg->catalogue : br_catalogue_builtin();
	int i;

	if (!br_lang_tag_valid(v))
		return key_err(ld, k, r, "not a language tag (like de or pt-br)");
	i = br_catalogue_find(cat, v);
	if (i < 0)
		return key_err(ld, k, r,
		               "no messages for \"%s\" (built in: en de fr es it nl pt; add others "
		               "as <tag>.ini in messages_dir)",
		               v);
	*(size_t *)field(ld->cfg, k) = (size_t)i;
	return 0;
}

/* [pages] accent_colour: stored as "#rrggbb" in lower case, the only form
 * pages.c writes into a style sheet; warns when links and the button's
 * white text would be hard to read (WCAG 2 AA: 4.5:1 for normal text). */
static int convert_colour(struct br_config_loader *ld, const struct br_config_key *k,
                          const struct br_config_raw *r, const char *v)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = strlen(v);
	char out[8];

	if (v[0] != '#' || (n != 4 && n != 7))
		return key_err(ld, k, r, "not a colour: write #rgb or #rrggbb (e.g. #0b6e4f)");
	for (size_t i = 1; i < n; i++)
		if (OPENSSL_hexchar2int((unsigned char)v[i]) < 0)
			return key_err(ld, k, r,
			               "not a colour: write #rgb or #rrggbb (e.g. #0b6e4f)");
	out[0] = '#';
	for (size_t i = 0; i < 6; i++)
		out[1 + i] = hex[OPENSSL_hexchar2int((unsigned char)v[n == 4 ? 1 + i / 2 : 1 + i])];
	out[7] = '\0';
	double c = br_look_contrast(out, BR_LOOK_BACKGROUND);
	if (c < 4.5)
		key_warn(ld, k, r,
		         "%s has a contrast of %.2f:1 with the white page and the button's white "
		         "text; WCAG 2 AA asks for at least 4.5:1 (choose a darker colour)",
		         out, c);
	return store_copy(ld, k, r, out);
}

static int convert_logo(struct br_config_loader *ld, const struct br_config_key *k,
                        const struct br_config_raw *r, const char *v)
{
	unsigned char *buf = NULL;
	size_t len = 0;
	mode_t mode;
	char why[512];
	const char *type;

	if (convert_path(ld, k, r, v) != 0)
		return -1;
	if (read_small_file(*(char **)field(ld->cfg, k), BR_LOOK_LOGO_MAX, &buf, &len, &mode, why,
	                    sizeof(why)) != 0)
		return key_err(ld, k, r, "%s", why);
	type = br_look_logo_type(buf, len);
	if (type == NULL) {
		free(buf);
		return key_err(ld, k, r,
		               "not a PNG, JPEG or WebP image (by its first bytes; SVG is not "
		               "accepted: it can carry script)");
	}
	ld->cfg->logo = buf;
	ld->cfg->logo_len = len;
	ld->cfg->logo_type = type;
	return 0;
}

static int convert_stylesheet(struct br_config_loader *ld, const struct br_config_key *k,
                              const struct br_config_raw *r, const char *v)
{
	unsigned char *buf = NULL;
	size_t len = 0;
	mode_t mode;
	char why[512];
	int line = 0;
	const char *path;

	if (convert_path(ld, k, r, v) != 0)
		return -1;
	path = *(char **)field(ld->cfg, k);
	if (read_small_file(path, BR_LOOK_CSS_MAX, &buf, &len, &mode, why, sizeof(why)) != 0)
		return key_err(ld, k, r, "%s", why);
	if (br_look_css_check((const char *)buf, len, &line, why, sizeof(why)) != 0) {
		free(buf);
		return key_err(ld, k, r, "%s:%d: %s", path, line, why);
	}
	ld->cfg->css = (char *)buf;
	ld->cfg->css_len = len;
	return 0;
}

static void free_rule(void *f)
{
	free(((struct br_rule_src *)f)->name);
	free(((struct br_rule_src *)f)->text);
}

static const struct br_config_type type_string = {
        .doc = "string", .convert = convert_string, .free = free_string};
static const struct br_config_type type_url = {
        .doc = "URL", .convert = convert_url, .free = free_string};
static const struct br_config_type type_bool = {.doc = "boolean", .convert = convert_bool};
static const struct br_config_type type_duration = {.doc = "duration", .convert = convert_duration};
static const struct br_config_type type_int = {.doc = "integer", .convert = convert_integer};
static const struct br_config_type type_size = {.doc = "integer", .convert = convert_integer};
static const struct br_config_type type_workers = {.doc = "integer or auto",
                                                   .convert = convert_workers};
static const struct br_config_type type_listen = {
        .doc = "address list", .convert = convert_listen, .free = free_listen};
static const struct br_config_type type_cidrs = {
        .doc = "network list", .convert = convert_cidrs, .free = free_cidrs, .empty_ok = true};
static const struct br_config_type type_enum = {.doc = "keyword", .convert = convert_enum};
static const struct br_config_type type_jitsi_alg = {.doc = "keyword",
                                                     .convert = convert_jitsi_alg};
static const struct br_config_type type_loglevel = {.doc = "keyword", .convert = convert_loglevel};
static const struct br_config_type type_secret = {
        .doc = "secret", .convert = convert_secret, .free = free_secret_string, .has_file = true};
static const struct br_config_type type_state_key = {.doc = "path", .convert = convert_state_key};
static const struct br_config_type type_path = {
        .doc = "path", .convert = convert_path, .free = free_string};
static const struct br_config_type type_paths = {
        .doc = "path list", .convert = convert_paths, .free = free_string};
static const struct br_config_type type_claims = {
        .doc = "claim path list", .convert = convert_claims, .free = free_string, .empty_ok = true};
static const struct br_config_type type_scopes = {
        .doc = "scope list", .convert = convert_scopes, .free = free_string};
static const struct br_config_type type_algs = {
        .doc = "algorithm list", .convert = convert_algs, .free = free_string};
static const struct br_config_type type_params = {
        .doc = "query string", .convert = convert_params, .free = free_string};
static int convert_apps(struct br_config_loader *ld, const struct br_config_key *k,
                        const struct br_config_raw *r, const char *v)
{
	char *copy = dup_or_fail(ld, k, r, v), *w[8];
	unsigned apps = 0;

	if (copy == NULL)
		return -1;
	int n = split_words(copy, w, 8);
	if (n < 0) {
		key_err(ld, k, r, "expected a list of ios, android, electron");
		free(copy);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		int e = lookup_enum(app_words, w[i]);
		if (e <= 0) {
			key_err(ld, k, r,
			        "expected a list of ios, android, electron, not \"%.40s\"", w[i]);
			free(copy);
			return -1;
		}
		apps |= BR_JITSI_APP_BIT(e);
	}
	free(copy);
	*(unsigned *)field(ld->cfg, k) = apps;
	return 0;
}

static const struct br_config_type type_apps = {
        .doc = "app list", .convert = convert_apps, .empty_ok = true};

static int app_scheme_valid(struct br_config_loader *ld, const struct br_config_key *k,
                            const struct br_config_raw *r)
{
	const char *v = *(char **)field(ld->cfg, k);

	if (br_jitsi_scheme_valid(v))
		return 0;
	key_err(ld, k, r,
	        "expected an app's own URL scheme (a letter, then letters, digits, + - or ., at "
	        "most 64; not http, https, javascript, data, file, intent, ...), not \"%.64s\"",
	        v ? v : "");
	return -1;
}

static int android_package_valid(struct br_config_loader *ld, const struct br_config_key *k,
                                 const struct br_config_raw *r)
{
	const char *v = *(char **)field(ld->cfg, k);

	if (br_jitsi_package_valid(v))
		return 0;
	key_err(ld, k, r,
	        "expected an Android application id (two or more dot-separated names of letters, "
	        "digits and _, each starting with a letter), not \"%.64s\"",
	        v ? v : "");
	return -1;
}

static const struct br_config_type type_rule = {
        .doc = "rule", .convert = convert_rule, .free = free_rule};
static const struct br_config_type type_language = {.doc = "language tag",
                                                    .convert = convert_language};
static const struct br_config_type type_messages = {
        .doc = "directory", .convert = convert_messages, .free = free_string};
static const struct br_config_type type_colour = {
        .doc = "colour", .convert = convert_colour, .free = free_string};
static const struct br_config_type type_logo = {
        .doc = "path", .convert = convert_logo, .free = free_string};
static const struct br_config_type type_stylesheet = {
        .doc = "path", .convert = convert_stylesheet, .free = free_string};

/* --- cross-key checks ---------------------------------------------------------------------- */

static const struct br_config_key *key_by_off(size_t off)
{
	for (size_t i = 0; i < N_KEYS; i++)
		if (br_config_keys[i].off == off)
			return &br_config_keys[i];
	return NULL;
}

static int missing(struct br_config_loader *ld, size_t off, const char *why)
{
	const struct br_config_key *k = key_by_off(off);

	return fail(ld, BR_E_CONFIG, &(struct origin){.section = k->section, .key = k->name},
	            "missing required key%s", why);
}

/* With room = wildcard the token says "*": a rule that reads room would
 * carry a decision made for one room to every room.  A rule that does not
 * parse is left to br_policy_new(), which reports it. */
static int check_wildcard_rule(struct br_config_loader *ld, const struct br_rule_src *src,
                               const char *section, const char *name, const struct br_config_raw *r)
{
	struct br_rule *rule;
	bool reads;

	if (src->text == NULL)
		return 0;
	rule = br_rule_parse(src->text, ld->path, src->line, name, NULL);
	reads = br_rule_reads(rule, "room");
	br_rule_free(rule);
	if (!reads)
		return 0;
	return fail(
	        ld, BR_E_CONFIG,
	        &(struct origin){.line = r->line, .env = r->env, .section = section, .key = name},
	        "reads room, but [jitsi] room = wildcard gives one token for every room: a "
	        "decision made for one room would hold in all of them (use room = requested, "
	        "or a rule without room)");
}

static int check_wildcard_rules(struct br_config_loader *ld)
{
	const struct br_config *cfg = ld->cfg;
	const struct br_config_key *ka = key_by_off(OFF(rules.allow));
	const struct br_config_key *km = key_by_off(OFF(rules.moderator));
	const struct br_config_key *kl = key_by_off(OFF(rules.lobby_bypass));
	const struct br_config_key *ks = key_by_off(OFF(rules.security_bypass));

	if (cfg->room != BR_ROOM_WILDCARD)
		return 0;
	if (check_wildcard_rule(ld, &cfg->rules.allow, "rules", "allow",
	                        &ld->raws[ka - br_config_keys]) != 0 ||
	    check_wildcard_rule(ld, &cfg->rules.moderator, "rules", "moderator",
	                        &ld->raws[km - br_config_keys]) != 0 ||
	    check_wildcard_rule(ld, &cfg->rules.lobby_bypass, "rules", "lobby_bypass",
	                        &ld->raws[kl - br_config_keys]) != 0 ||
	    check_wildcard_rule(ld, &cfg->rules.security_bypass, "rules", "security_bypass",
	                        &ld->raws[ks - br_config_keys]) != 0)
		return -1;
	for (size_t i = 0; i < cfg->rules.n_features; i++)
		if (check_wildcard_rule(ld, &cfg->rules.features[i], "features",
		                        cfg->rules.features[i].name, &ld->features[i].r) != 0)
			return -1;
	return 0;
}

static int check_combinations(struct br_config_loader *ld)
{
	struct br_config *cfg = ld->cfg;
	const struct br_config_key *k;
	const struct br_config_raw *r;

	k = key_by_off(OFF(client_secret));
	r = &ld->raws[k - br_config_keys];
	if (cfg->token_endpoint_auth == BR_AUTH_NONE) {
		if (cfg->client_secret != NULL) {
			key_err(ld, k, r, "not used with token_endpoint_auth = none; remove it");
			return -1;
		}
	} else {
		if (cfg->client_secret == NULL)
			return missing(ld, OFF(client_secret),
			               " (or client_secret_file; token_endpoint_auth = none for a "
			               "public client)");
		if (!r->is_file && cfg->token_endpoint_auth == BR_AUTH_CLIENT_SECRET_BASIC &&
		    !unreserved(cfg->client_secret))
			key_warn(
			        ld, k, r,
			        "the secret holds characters outside A-Za-z0-9-._~; some providers "
			        "do not decode them in client_secret_basic: prefer an unreserved "
			        "secret or token_endpoint_auth = client_secret_post");
	}

	/* An https issuer: every configured endpoint too (the client secret,
	 * the code and the keys never travel in clear), except on this host. */
	if (cfg->issuer && strncmp(cfg->issuer, "https://", 8) == 0) {
		static const size_t eps[] = {OFF(authorization_endpoint), OFF(token_endpoint),
		                             OFF(userinfo_endpoint), OFF(jwks_uri),
		                             OFF(end_session_endpoint)};
		for (size_t i = 0; i < sizeof(eps) / sizeof(eps[0]); i++) {
			const char *v = *(char **)((char *)cfg + eps[i]);
			if (v == NULL || strncmp(v, "http://", 7) != 0 ||
			    br_addr_url_is_loopback(v))
				continue;
			k = key_by_off(eps[i]);
			key_err(ld, k, &ld->raws[k - br_config_keys],
			        "plain http while the issuer is https; use https (plain http only "
			        "for a loopback address: 127.0.0.0/8 or [::1])");
			return -1;
		}
	}

	if (!cfg->discovery) {
		if (cfg->authorization_endpoint == NULL)
			return missing(ld, OFF(authorization_endpoint), " (discovery = false)");
		if (cfg->token_endpoint == NULL)
			return missing(ld, OFF(token_endpoint), " (discovery = false)");
		if (cfg->jwks_uri == NULL)
			return missing(ld, OFF(jwks_uri), " (discovery = false)");
		if (cfg->userinfo == BR_USERINFO_ALWAYS && cfg->userinfo_endpoint == NULL)
			return missing(ld, OFF(userinfo_endpoint),
			               " (discovery = false and userinfo = always)");
	}

	if (cfg->has_previous_state_key && cfg->state_key_random)
		return missing(ld, OFF(state_key), " (previous_state_key_file is set)");
	if (cfg->has_previous_state_key &&
	    CRYPTO_memcmp(cfg->state_key, cfg->previous_state_key, sizeof(cfg->state_key)) == 0) {
		k = key_by_off(OFF(previous_state_key));
		key_err(ld, k, &ld->raws[k - br_config_keys],
		        "holds the same key as state_key_file");
		return -1;
	}
	cfg->inline_on = cfg->inline_mode == BR_INLINE_AUTO &&
	                 br_inline_same_origin(cfg->public_url, cfg->jitsi_url);
	if (cfg->sso_client_id != NULL && cfg->sso_redirect_uri == NULL &&
	    asprintf(&cfg->sso_redirect_uri, "%s/static/sso.html", cfg->jitsi_url) < 0) {
		cfg->sso_redirect_uri = NULL;
		br_error_set(ld->err, BR_E_NOMEM, "out of memory");
		return -1;
	}

	if (cfg->claims.id == NULL || cfg->claims.id[strspn(cfg->claims.id, " \t")] == '\0') {
		k = key_by_off(OFF(claims.id));
		key_err(ld, k, &ld->raws[k - br_config_keys], "must name at least one claim");
		return -1;
	}

	const struct br_config_key *ks = key_by_off(OFF(signing_key));
	const struct br_config_key *kp = key_by_off(OFF(previous_keys));
	const struct br_config_key *ka = key_by_off(OFF(app_secret));
	const char *alg = br_config_alg_name(cfg->algorithm);
	if (br_config_alg_is_rsa(cfg->algorithm)) {
		if (cfg->app_secret != NULL) {
			key_err(ld, ka, &ld->raws[ka - br_config_keys],
			        "not used with algorithm = %s; remove it or choose HS256/384/512",
			        alg);
			return -1;
		}
		if (cfg->signing_key == NULL)
			return missing(ld, OFF(signing_key), "");
	} else {
		if (ld->raws[ks - br_config_keys].set) {
			key_err(ld, ks, &ld->raws[ks - br_config_keys],
			        "not used with algorithm = %s (it signs with app_secret)", alg);
			return -1;
		}
		if (ld->raws[kp - br_config_keys].set) {
			key_err(ld, kp, &ld->raws[kp - br_config_keys],
			        "not used with algorithm = %s", alg);
			return -1;
		}
		free(cfg->signing_key);
		cfg->signing_key = NULL;
		if (cfg->app_secret == NULL)
			return missing(ld, OFF(app_secret),
			               " (or app_secret_file) with HS* algorithms");
		if (cfg->app_secret_len < 32) {
			key_err(ld, ka, &ld->raws[ka - br_config_keys],
			        "too short for %s: %zu bytes, at least 32 needed", alg,
			        cfg->app_secret_len);
			return -1;
		}
	}
	return check_wildcard_rules(ld);
}

/* --- load ---------------------------------------------------------------------------------- */

static const char *env_get(char *const *env, const char *name)
{
	size_t n = strlen(name);

	for (char *const *e = env; e != NULL && *e != NULL; e++)
		if (strncmp(*e, name, n) == 0 && (*e)[n] == '=')
			return *e + n + 1;
	return NULL;
}

static int convert_all(struct br_config_loader *ld)
{
	for (size_t i = 0; i < N_KEYS; i++) {
		const struct br_config_key *k = &br_config_keys[i];
		struct br_config_raw *r = &ld->raws[i];
		const char *v = r->set ? r->value : NULL;

		/* An empty value means "not given" for keys without a default
		 * and for claims (not mapped); an empty address list is a
		 * list; elsewhere it is a mistake. */
		if (v != NULL && v[strspn(v, " \t")] == '\0') {
			if (k->type->empty_ok && !(k->flags & F_NONEMPTY)) {
				v = "";
			} else if (k->def == NULL) {
				v = NULL;
			} else {
				key_err(ld, k, r,
				        "empty value (remove the line to get the default, %s)",
				        k->def);
				return -1;
			}
		}
		if (v == NULL && k->def != NULL)
			v = k->def;
		if (v == NULL) {
			if (k->flags & F_REQUIRED)
				return missing(ld, k->off, "");
			continue;
		}
		if (k->type->convert(ld, k, r, v) != 0 ||
		    (k->check != NULL && k->check(ld, k, r) != 0))
			return -1;
	}
	for (size_t i = 0; i < ld->n_features; i++) {
		struct feature_raw *fr = &ld->features[i];
		struct br_rule_src *rs = &ld->cfg->rules.features[i];
		if (fr->r.value[strspn(fr->r.value, " \t")] == '\0')
			return fail(ld, BR_E_CONFIG,
			            &(struct origin){.line = fr->r.line,
			                             .env = fr->r.env,
			                             .section = "features",
			                             .key = fr->name},
			            "empty rule");
		rs->name = strdup(fr->name);
		rs->text = strdup(fr->r.value);
		rs->line = fr->r.line;
		ld->cfg->rules.n_features = i + 1;
		if (rs->name == NULL || rs->text == NULL)
			return fail_nomem(ld);
	}
	return 0;
}

struct br_config *br_config_load(const char *path, char *const *env, struct br_error *err)
{
	struct br_config_loader *ld = calloc(1, sizeof(*ld));
	struct br_config *cfg = NULL, *ret = NULL;

	if (ld == NULL) {
		br_error_set(err, BR_E_NOMEM, "out of memory"); /* no loader to report with */
		return NULL;
	}
	if (path == NULL)
		path = BR_CONFIG_DEFAULT_PATH;
	ld->path = path;
	ld->err = err;
	ld->rawline.secret = true; /* a line may hold an inline secret */
	ld->env = env != NULL ? env : environ;
	ld->creddir = env_get(ld->env, "CREDENTIALS_DIRECTORY");
	cfg = calloc(1, sizeof(*cfg));
	ld->dir = strdup(path);
	if (cfg == NULL || ld->dir == NULL) {
		fail_nomem(ld);
		goto out;
	}
	ld->cfg = cfg;
	char *slash = strrchr(ld->dir, '/');
	if (slash == NULL)
		strcpy(ld->dir, ".");
	else if (slash == ld->dir)
		slash[1] = '\0';
	else
		*slash = '\0';
	cfg->path = strdup(path);
	if (cfg->path == NULL) {
		fail_nomem(ld);
		goto out;
	}

	if (parse_file(ld) != 0 || parse_env(ld) != 0)
		goto out;
	if (ld->n_features > 0) {
		cfg->rules.features = calloc(ld->n_features, sizeof(*cfg->rules.features));
		if (cfg->rules.features == NULL) {
			fail_nomem(ld);
			goto out;
		}
	}
	/* Without a key file every process draws its own: logins then only
	 * finish on the replica that started them, and not across restarts. */
	cfg->state_key_random = true;
	if (RAND_bytes(cfg->state_key, sizeof(cfg->state_key)) != 1) {
		fail(ld, BR_E_CRYPTO, &(struct origin){0}, "cannot draw a random state key");
		goto out;
	}
	if (convert_all(ld) != 0 || check_combinations(ld) != 0)
		goto out;
	if (ld->warn.failed) {
		fail_nomem(ld);
		goto out;
	}
	cfg->warnings = br_strbuf_finish(&ld->warn, NULL);
	ret = cfg;
	cfg = NULL;
out:
	br_config_free(cfg);
	for (size_t i = 0; i < N_KEYS; i++)
		raw_clear(&ld->raws[i]);
	for (size_t i = 0; i < ld->n_features; i++) {
		free(ld->features[i].name);
		raw_clear(&ld->features[i].r);
	}
	br_strbuf_free(&ld->rawline);
	free(br_strbuf_finish(&ld->warn, NULL));
	free(ld->dir);
	free(ld);
	return ret;
}

void br_config_free(struct br_config *cfg)
{
	if (cfg == NULL)
		return;
	for (size_t i = 0; i < N_KEYS; i++) {
		const struct br_config_key *k = &br_config_keys[i];
		if (k->type->free != NULL)
			k->type->free(field(cfg, k));
	}
	for (size_t i = 0; i < cfg->rules.n_features; i++) {
		free(cfg->rules.features[i].name);
		free(cfg->rules.features[i].text);
	}
	free(cfg->rules.features);
	br_catalogue_free(cfg->catalogue);
	free(cfg->logo);
	free(cfg->css);
	free(cfg->public_path);
	free(cfg->warnings);
	free(cfg->path);
	OPENSSL_cleanse(cfg->state_key, sizeof(cfg->state_key));
	OPENSSL_cleanse(cfg->previous_state_key, sizeof(cfg->previous_state_key));
	free(cfg);
}

const char *br_config_alg_name(enum br_jitsi_alg alg)
{
	const char *name = br_jwa_name(alg & BR_JWA_JITSI);
	return name != NULL ? name : "?";
}

bool br_config_alg_is_rsa(enum br_jitsi_alg alg)
{
	return (alg & BR_JWA_RS) != 0;
}
