/*
 * configuration.h - the bridge's configuration: INI file -> struct br_config.
 *
 * One table of keys (in configuration.c) drives parsing, defaults, validation, the
 * environment overrides, the example config and the man page.  A loaded
 * struct br_config is immutable: reload builds a new one and swaps it.
 *
 * Sources, later wins: built-in default, the INI file, the environment
 * (JITSI_OIDC_BRIDGE_<SECTION>_<KEY>).  Secrets may be given as
 * <key>_file = PATH; a relative PATH is looked up in $CREDENTIALS_DIRECTORY
 * first.  Errors read "FILE:LINE: [section] key: what is wrong".
 */
#ifndef BR_CONFIGURATION_H
#define BR_CONFIGURATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/socket.h>

#include "bridge/addr.h"
#include "bridge/claims.h"
#include "bridge/error.h"
#include "bridge/jwa.h"
#include "bridge/rule.h"

#define BR_CONFIG_DEFAULT_PATH "/etc/jitsi-oidc-bridge/bridge.conf"
/* Longest URL of any URL key, and longest path of public_url: longer ones
 * are configuration errors, never cut (redirect_uri, routes, cookie paths). */
#define BR_CONFIG_URL_MAX         2048
#define BR_CONFIG_PUBLIC_PATH_MAX 200

enum br_token_auth {
	BR_AUTH_CLIENT_SECRET_BASIC = 0,
	BR_AUTH_CLIENT_SECRET_POST,
	BR_AUTH_NONE,
};

enum br_userinfo_mode {
	BR_USERINFO_AUTO = 0,
	BR_USERINFO_ALWAYS,
	BR_USERINFO_NEVER,
};

/* Signing algorithms of the Jitsi token: the BR_JWA_JITSI bits of jwa.h
 * (0 is none of them). */
enum br_jitsi_alg {
	BR_ALG_RS256 = BR_JWA_RS256,
	BR_ALG_RS384 = BR_JWA_RS384,
	BR_ALG_RS512 = BR_JWA_RS512,
	BR_ALG_HS256 = BR_JWA_HS256,
	BR_ALG_HS384 = BR_JWA_HS384,
	BR_ALG_HS512 = BR_JWA_HS512,
};

enum br_room_mode {
	BR_ROOM_REQUESTED = 0,
	BR_ROOM_WILDCARD,
};

enum br_inline_mode {
	BR_INLINE_AUTO = 0, /* on when public_url is on the Jitsi url's origin */
	BR_INLINE_OFF,
};

enum br_delivery {
	BR_DELIVERY_FRAGMENT = 0,
	BR_DELIVERY_QUERY,
};

struct br_config {
	char *path; /* the file it was loaded from */

	/* [server] */
	struct br_listen *listen;
	size_t n_listen;
	char *public_url;  /* as configured, without a trailing '/' */
	char *public_path; /* path part of public_url without trailing '/': "" or "/auth" */
	bool public_https; /* public_url is https: cookies get Secure */
	int workers;       /* >= 1; "auto" is resolved to the number of cores */
	unsigned char state_key[32];
	bool state_key_random; /* no state_key_file: random per process */
	unsigned char previous_state_key[32];
	bool has_previous_state_key; /* previous_state_key_file given: opens, never seals */
	long login_timeout;          /* seconds */
	long session_lifetime;       /* seconds: absolute end of a renewal handle */
	struct br_cidr_list admin_allow;
	struct br_cidr_list trusted_proxies;
	size_t max_header_size; /* request line + headers, bytes */
	size_t max_query_size;  /* bytes */
	long header_timeout;    /* seconds a client may take to send its request */
	int max_connections;    /* per worker */
	int log_level;          /* enum br_log_level: debug, info, warn, error */

	/* [provider] */
	char *issuer; /* exact string, as the OP writes it in iss */
	char *client_id;
	char *client_secret; /* NULL when token_endpoint_auth = none; NUL-free */
	enum br_token_auth token_endpoint_auth;
	char *scopes;
	bool discovery;
	char *authorization_endpoint; /* NULL when unset */
	char *token_endpoint;
	char *userinfo_endpoint;
	char *jwks_uri;
	char *end_session_endpoint;
	char *extra_auth_params; /* "k=v&k2=v2", already URL-encoded by the operator; NULL if unset
	                          */
	enum br_userinfo_mode userinfo;
	char *id_token_algs; /* space-separated; NULL: discovery's list ∩ RS/PS/ES 256/384/512 */
	char *ca_file;       /* NULL when unset; a relative path is already resolved */
	long timeout;        /* seconds */
	long clock_skew;     /* seconds */
	long max_token_age;  /* seconds */

	struct br_claim_paths claims; /* [claims] */

	/* [jitsi] */
	char *jitsi_url; /* without a trailing '/' */
	char *app_id;
	char *audience;
	char *domain;
	enum br_jitsi_alg algorithm;
	char *signing_key;         /* path (relative ones resolved, see below); NULL with HS* */
	char *previous_keys;       /* space-separated resolved paths; NULL if none */
	unsigned char *app_secret; /* NULL with RS* */
	size_t app_secret_len;
	long token_lifetime; /* seconds */
	enum br_room_mode room;
	enum br_delivery delivery;
	unsigned jitsi_apps;   /* BR_JITSI_APP_BIT() of the apps a login may return to */
	char *app_scheme;      /* iOS and Android app's URL scheme */
	char *android_package; /* the Android app's application id */
	char *desktop_scheme;  /* the desktop app's URL scheme */
	enum br_inline_mode inline_mode;
	bool inline_on;         /* inline_mode auto and public_url on the Jitsi url's origin */
	char *sso_client_id;    /* native SSO (issue 21): NULL: /authorize and /token absent */
	char *sso_redirect_uri; /* with sso_client_id: never NULL (default <url>/static/sso.html) */

	struct br_rules rules; /* [rules] and [features] */

	/* [pages] */
	struct br_catalogue *catalogue; /* with messages_dir: built-in plus overrides; else NULL */
	char *messages_dir;             /* NULL when unset */
	size_t default_lang;            /* catalogue index of default_language (0: English) */
	char *organisation;             /* NULL when unset */
	char *support;                  /* NULL when unset */
	char *accent;                   /* "#rrggbb" in lower case, NULL when unset */
	char *logo_file;                /* NULL when unset */
	unsigned char *logo;            /* the logo's bytes, read at load */
	size_t logo_len;
	const char *logo_type; /* "image/png", "image/jpeg" or "image/webp" (static) */
	char *css_file;        /* NULL when unset */
	char *css;             /* the extra style sheet, read at load */
	size_t css_len;

	/* Warnings found while loading (e.g. an inline secret holding " ;"),
	 * one per line, for the log and --check; NULL when none. */
	char *warnings;
};

/* Loads and validates the file at path (NULL: BR_CONFIG_DEFAULT_PATH) plus
 * the environment.  Returns a new config, or NULL with err set to
 * "FILE:LINE: [section] key: what is wrong", "FILE: [section] key: missing
 * required key" or "JITSI_OIDC_BRIDGE_X_Y: [section] key: ..." (BR_E_CONFIG).
 * env may be NULL to read the process environment (environ); tests pass a
 * NULL-terminated "NAME=value" array.  $CREDENTIALS_DIRECTORY is taken from
 * the same array.  Relative paths (secrets, state_key_file, signing_key,
 * previous_keys, ca_file) are looked up in $CREDENTIALS_DIRECTORY when the
 * file exists there, else next to the config file.  Any other variable
 * starting with JITSI_OIDC_BRIDGE_ is an error.  Not thread-safe (libinih
 * options are process globals): load from one thread at a time. */
struct br_config *br_config_load(const char *path, char *const *env, struct br_error *err);

/* Frees a config (NULL is fine). */
void br_config_free(struct br_config *cfg);

/* Name of an algorithm ("RS256"); true if it is an RSA one. */
const char *br_config_alg_name(enum br_jitsi_alg alg);
bool br_config_alg_is_rsa(enum br_jitsi_alg alg);

/* Writes an example config generated from the key table (every section and
 * key, its default and doc line) to out: the source of
 * etc/bridge.conf.example. */
void br_config_write_example(FILE *out);

/* Writes the key table as man(7) source for bridge.conf(5). */
void br_config_write_man(FILE *out);

/* Parses a duration ("30", "30s", "10m", "1h", "2d") into seconds; -1 when
 * invalid.  Exposed for tests and the CLI. */
long br_config_parse_duration(const char *s);

#endif
