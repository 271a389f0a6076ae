/*
 * cli.c - the one-shot commands: --check (the doctor), --generate-key and
 * --issue-token.
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <event2/event.h>
#include <jansson.h>

#include "bridge/catalogue.h"
#include "bridge/claims.h"
#include "bridge/cli.h"
#include "bridge/discovery.h"
#include "bridge/http_client.h"
#include "bridge/inline.h"
#include "bridge/issue.h"
#include "bridge/jwks.h"
#include "bridge/keys.h"
#include "bridge/log.h"
#include "bridge/room.h"
#include "bridge/rule.h"
#include "bridge/snapshot.h"
#include "bridge/sso.h"
#include "bridge/token.h"

int br_cli_generate_key(const char *path, int bits)
{
	struct br_error err;
	char *kid = NULL;

	br_error_clear(&err);
	if (br_keys_generate(path, bits, &kid, &err) != 0) {
		fprintf(stderr, "jitsi-oidc-bridge: %s\n", err.msg);
		return BR_EXIT_CONFIG;
	}
	printf("%s\n", kid);
	free(kid);
	return BR_EXIT_OK;
}

int br_cli_issue_token(const char *config_path, const char *room_name, const char *tenant,
                       const char *claims_path)
{
	struct br_snapshot *snap;
	struct br_issue is = {0};
	struct br_error err;
	json_error_t jerr;
	json_t *claims = NULL;
	char tenant_buf[64];
	int status = BR_EXIT_CONFIG;

	br_error_clear(&err);
	snap = br_snapshot_build(config_path, NULL, &err);
	if (snap == NULL) {
		fprintf(stderr, "jitsi-oidc-bridge: %s\n", err.msg);
		return BR_EXIT_CONFIG;
	}
	claims = json_load_file(claims_path, JSON_REJECT_DUPLICATES, &jerr);
	if (!json_is_object(claims)) {
		fprintf(stderr, "jitsi-oidc-bridge: %s:%d: %s\n", claims_path, jerr.line,
		        claims ? "the claims are not a JSON object" : jerr.text);
		goto out;
	}
	/* The form a login uses: the rules see what the token carries. */
	if (tenant) {
		snprintf(tenant_buf, sizeof(tenant_buf), "%s", tenant);
		if (strlen(tenant) >= sizeof(tenant_buf) || !br_tenant_normalize(tenant_buf)) {
			fprintf(stderr, "jitsi-oidc-bridge: --tenant: not a valid tenant name\n");
			status = BR_EXIT_USAGE;
			goto out;
		}
		tenant = tenant_buf;
	}
	/* The very decision a login makes (br_issue), then what it was. */
	if (br_issue(snap->cfg, snap->keys, snap->policy, claims, room_name, tenant, time(NULL),
	             &is, &err) != 0) {
		if (is.failed == BR_ISSUE_ROOM) {
			fprintf(stderr, "jitsi-oidc-bridge: --room: %s\n", err.msg);
			status = BR_EXIT_USAGE;
		} else {
			fprintf(stderr, "jitsi-oidc-bridge: %s\n", err.msg);
		}
		goto out;
	}
	fprintf(stderr, "user: %s\nroom: %s (token room \"%s\")\nallow: %s\n", is.user.id,
	        is.room.readable, snap->cfg->room == BR_ROOM_WILDCARD ? "*" : is.room.backend,
	        is.decision.allow ? "true" : "false");
	if (!is.decision.allow) {
		fprintf(stderr, "jitsi-oidc-bridge: denied by [rules] allow\n");
		status = BR_EXIT_DENIED;
		goto out;
	}
	fprintf(stderr, "moderator: %s\n", is.decision.moderator ? "true" : "false");
	if (is.decision.lobby_bypass)
		fprintf(stderr, "lobby_bypass: true\n");
	if (is.decision.security_bypass)
		fprintf(stderr, "security_bypass: true\n");
	for (size_t i = 0; i < is.decision.n_features; i++)
		fprintf(stderr, "feature %s: %s\n", is.decision.feature_names[i],
		        is.decision.feature_values[i] ? "true" : "false");
	printf("%s\n", is.token);
	status = BR_EXIT_OK;
out:
	br_issue_clear(&is);
	json_decref(claims);
	br_snapshot_unref(snap);
	return status;
}

/* --- --check ----------------------------------------------------------------- */

struct probe {
	struct event_base *base;
	struct br_http_response resp;
	struct br_error err;
	bool ok;
	bool done;
};

static void probe_done(const struct br_http_response *resp, const struct br_error *err, void *arg)
{
	struct probe *p = arg;

	p->done = true;
	if (err) {
		p->err = *err;
	} else {
		p->ok = true;
		p->resp.status = resp->status;
		p->resp.len = resp->len;
		p->resp.body = malloc(resp->len + 1);
		if (p->resp.body) {
			memcpy(p->resp.body, resp->body, resp->len);
			p->resp.body[resp->len] = '\0';
		}
	}
	event_base_loopbreak(p->base);
}

/* One GET, run to completion on a private loop. */
static int probe_get(struct br_http_client *client, struct event_base *base, const char *url,
                     const char *what, long timeout_s, const char *ca_file, struct probe *p)
{
	struct br_http_request req = {
	        .url = url, .timeout_ms = timeout_s * 1000, .what = what, .ca_file = ca_file};

	memset(p, 0, sizeof(*p));
	p->base = base;
	if (br_http_fetch(client, &req, probe_done, p, &p->err) == NULL)
		return -1;
	while (!p->done)
		event_base_loop(base, EVLOOP_ONCE);
	if (!p->ok)
		return -1;
	if (p->resp.status != 200) {
		br_error_set(&p->err, BR_E_PROTOCOL, "the %s answered HTTP %ld", what,
		             p->resp.status);
		return -1;
	}
	return 0;
}

static int check_provider(const struct br_config *cfg)
{
	struct event_base *base = event_base_new();
	struct br_http_client *client = NULL;
	struct br_provider_meta *meta = NULL;
	struct br_jwks *jwks = NULL;
	struct probe p = {0};
	struct br_error err;
	char *url = NULL;
	int rc = -1;

	br_error_clear(&err);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	client = base ? br_http_client_new(base, &err) : NULL;
	if (client == NULL) {
		printf("FAIL  cannot start an HTTP client: %s\n", err.msg);
		goto out;
	}
	if (cfg->discovery) {
		url = br_discovery_url(cfg->issuer);
		if (probe_get(client, base, url, "discovery endpoint", cfg->timeout, cfg->ca_file,
		              &p) != 0) {
			printf("FAIL  discovery %s: %s\n      fix: check [provider] issuer and "
			       "that "
			       "this host reaches the provider\n",
			       url, p.err.msg);
			goto out;
		}
		meta = br_discovery_parse(p.resp.body, p.resp.len, cfg, &err);
		free(p.resp.body);
		if (meta == NULL) {
			printf("FAIL  discovery %s: %s\n", url, err.msg);
			goto out;
		}
		printf("ok    discovery %s\n", url);
	} else {
		meta = br_discovery_from_config(cfg, &err);
		if (meta == NULL) {
			printf("FAIL  provider endpoints: %s\n", err.msg);
			goto out;
		}
		printf("ok    provider endpoints from the config (discovery = false)\n");
	}
	if (probe_get(client, base, meta->jwks_uri, "JWKS endpoint", cfg->timeout, cfg->ca_file,
	              &p) != 0) {
		printf("FAIL  JWKS %s: %s\n", meta->jwks_uri, p.err.msg);
		goto out;
	}
	jwks = br_jwks_parse(p.resp.body, p.resp.len, &err);
	free(p.resp.body);
	if (jwks == NULL) {
		printf("FAIL  JWKS %s: %s\n", meta->jwks_uri, err.msg);
		goto out;
	}
	for (size_t i = 0; i < br_jwks_skipped_count(jwks); i++)
		printf("warn  JWKS: skipping %s\n", br_jwks_skipped(jwks, i));
	if (br_jwks_count(jwks) == 0) {
		printf("FAIL  JWKS %s: no usable signing key\n", meta->jwks_uri);
		goto out;
	}
	printf("ok    JWKS %s: %zu usable key(s)\n", meta->jwks_uri, br_jwks_count(jwks));
	if (meta->end_session_endpoint == NULL)
		printf("note  the provider has no end_session_endpoint: /logout goes straight back "
		       "to Jitsi\n");
	rc = 0;
out:
	br_jwks_unref(jwks);
	if (meta)
		br_provider_meta_free(meta);
	free(url);
	br_http_client_free(client);
	if (base)
		event_base_free(base);
	curl_global_cleanup();
	return rc;
}

static bool unreserved_only(const char *s)
{
	for (; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		      (*s >= '0' && *s <= '9') || strchr("-._~", *s)))
			return false;
	return true;
}

/*
 * The Jitsi side: what Prosody, Jicofo, config.js, docker-jitsi-meet and
 * nginx need, from the configuration alone (no IdP involved). Every Jitsi
 * fact here is read from upstream source; docs/design-decisions.md ("The
 * Jitsi side, issue 16") names the file for each.
 */

/* A [rules] bypass rule that can hold for someone: set, and not "false". */
static bool bypass_rule_set(const struct br_rule_src *rs)
{
	return rs->text != NULL && strcmp(rs->text, "false") != 0;
}

/* MUC modules beyond token_verification (which checks the token's room and
 * which docker-jitsi-meet loads by itself with AUTH_TYPE=jwt), in the order
 * printed: token_affiliation makes the token's affiliation the occupant's;
 * then the modules the token's context.user flags need (jitsi-contrib's
 * prosody-plugins: they act on lobby_bypass / security_bypass == true),
 * *n_bypass of them, from out[1] on. */
static size_t muc_modules(const struct br_config *cfg, const char *out[3], size_t *n_bypass)
{
	size_t n = 0;

	out[n++] = "token_affiliation";
	if (bypass_rule_set(&cfg->rules.lobby_bypass))
		out[n++] = "token_lobby_bypass";
	if (bypass_rule_set(&cfg->rules.security_bypass))
		out[n++] = "token_security_ondemand";
	*n_bypass = n - 1;
	return n;
}

static void print_prosody(const struct br_config *cfg, bool rsa)
{
	const char *domain = cfg->domain;

	printf("\n# --- Prosody (the VirtualHost \"%s\" of /etc/prosody/conf.d/<domain>.cfg.lua) "
	       "---\n",
	       domain);
	printf("VirtualHost \"%s\"\n", domain);
	printf("    authentication = \"token\"\n");
	printf("    app_id = \"%s\"\n", cfg->app_id);
	if (rsa)
		printf("    asap_key_server = \"%s/asap\"   -- no trailing slash\n",
		       cfg->public_url);
	else
		printf("    app_secret = \"<the [jitsi] app_secret>\"\n");
	printf("    allow_empty_token = false\n");
	printf("    -- the token's sub must be this domain (or the tenant of /tenant/room);\n"
	       "    -- off (docker-jitsi-meet's default) a /tenant/room token is refused\n");
	printf("    enable_domain_verification = true\n");
	printf("    asap_accepted_issuers = { \"%s\" }\n", cfg->app_id);
	printf("    asap_accepted_audiences = { \"%s\" }\n", cfg->audience);
	printf("Component \"conference.%s\" \"muc\"\n", domain);
	printf("    -- add to the existing modules_enabled (where token_affiliation comes\n"
	       "    -- from on older installs: the operator guide, \"Prosody\"):\n");
	printf("    modules_enabled = { \"token_verification\";");
	const char *mods[3];
	size_t nb, nm = muc_modules(cfg, mods, &nb);
	for (size_t i = 0; i < nm; i++)
		printf(" \"%s\";", mods[i]);
	printf(" }\n");
	if (nb > 0)
		printf("    -- %s: jitsi-contrib/prosody-plugins, copied into\n"
		       "    -- /usr/share/jitsi-meet/prosody-plugins/ ([rules] lobby_bypass /\n"
		       "    -- security_bypass set context.user.lobby_bypass / security_bypass)\n",
		       nb == 2 ? "token_lobby_bypass and token_security_ondemand" : mods[1]);
	if (bypass_rule_set(&cfg->rules.security_bypass))
		printf("    -- token_security_ondemand also needs \"muc_lobby_rooms\" and\n"
		       "    -- \"persistent_lobby\" in the modules_enabled of VirtualHost \"%s\"\n",
		       domain);
}

static void print_jicofo(void)
{
	printf("\n# --- Jicofo (append to /etc/jitsi/jicofo/jicofo.conf; docker: the .env below) "
	       "---\n");
	printf("# Moderators come from the token. Jicofo's own authentication makes every\n"
	       "# signed-in person an owner, auto-owner the first person in a room.\n");
	printf("jicofo.authentication.enabled = false\n");
	printf("jicofo.conference.enable-auto-owner = false\n");
	printf("# Also delete org.jitsi.jicofo.auth.URL (EXT_JWT:...) from\n"
	       "# /etc/jitsi/jicofo/sip-communicator.properties: it is read before jicofo.conf\n"
	       "# and turns Jicofo's authentication back on.\n");
}

/* Jitsi's native SSO (issue 21): the lines of config.js that point
 * static/sso.html at the bridge.  jitsi-meet's sso.html posts to
 * `https://${config.sso.tokenService}/token` (https hard-coded) and, in its
 * newest form, needs the nonce only the inline popup sets. */
static void print_config_js_sso(const struct br_config *cfg)
{
	const char *service = cfg->public_url;
	char *ruri = br_sso_uri_encode(cfg->sso_redirect_uri);
	char *cid = br_sso_uri_encode(cfg->sso_client_id);
	char jo[BR_INLINE_ORIGIN_MAX], ro[BR_INLINE_ORIGIN_MAX];

	if (strncmp(service, "https://", 8) == 0)
		service += 8;
	else if (strncmp(service, "http://", 7) == 0)
		service += 7;
	printf("// Jitsi's native SSO ([jitsi] sso_client_id): Jitsi's static/sso.html runs the\n"
	       "// code flow against the bridge's /authorize and /token\n");
	printf("config.tokenAuthUrl = '%s/authorize?response_type=code&client_id=%s&redirect_uri=%s"
	       "&state={state}&code_challenge={code_challenge}&code_challenge_method=S256';\n",
	       cfg->public_url, cid ? cid : "", ruri ? ruri : "");
	printf("config.sso = { tokenService: '%s', clientId: '%s' };\n", service,
	       cfg->sso_client_id);
	printf("// sso.html needs the popup's nonce: native SSO works in inline mode only\n");
	printf("config.tokenAuthInline = true;\n");
	if (cfg->inline_on) {
		printf("config.tokenLogoutUrl = '%s/logout';\n", cfg->public_url);
	} else {
		/* Inline mode loads tokenLogoutUrl in a hidden frame and waits,
		 * with no timeout, for logout-success from Jitsi's own origin:
		 * the bridge on another origin cannot send it, Jitsi's
		 * static/logout.html does (and keeps the IdP session). */
		printf("// the bridge is not on Jitsi's origin: Jitsi's own page ends the silent "
		       "logout\n"
		       "// (link %s/logout elsewhere to end the IdP session too)\n",
		       cfg->public_url);
		printf("config.tokenLogoutUrl = '%s/static/logout.html';\n", cfg->jitsi_url);
	}
	if (!cfg->public_https)
		printf("// warn: sso.html always posts to https://%s/token; public_url is http\n",
		       service);
	if (br_inline_origin(cfg->jitsi_url, jo) == 0 &&
	    (br_inline_origin(cfg->sso_redirect_uri, ro) != 0 || strcmp(jo, ro) != 0))
		printf("// warn: sso_redirect_uri is not on Jitsi's origin %s: Jitsi takes the\n"
		       "// popup's message only from there\n",
		       jo);
	free(ruri);
	free(cid);
}

static void print_config_js(const struct br_config *cfg)
{
	printf("\n# --- Jitsi Meet config.js ---\n");
	if (cfg->sso_client_id != NULL) {
		print_config_js_sso(cfg);
		if (cfg->rules.n_features > 0)
			printf("// [features] arrive as context.features, which Jitsi applies as "
			       "they are.\n");
		return;
	}
	printf("// without a token: sign in through the bridge, not Jicofo's password dialog\n");
	printf("config.tokenAuthUrl = '%s/login?room={room}&state={state}';\n", cfg->public_url);
	printf("// Settings > Profile > Logout (shown with an email in the token): also link\n"
	       "// %s/logout elsewhere\n",
	       cfg->public_url);
	printf("config.tokenLogoutUrl = '%s/logout';\n", cfg->public_url);
	if (cfg->inline_on) {
		printf("// the bridge is on Jitsi's origin: sign-in in a popup without leaving "
		       "the\n"
		       "// meeting, renewal after a reconnect, logout in a hidden frame\n");
		printf("config.tokenAuthInline = true;\n");
	} else if (cfg->inline_mode == BR_INLINE_OFF) {
		printf("// [jitsi] inline = off: leave tokenAuthInline unset.\n");
	} else {
		char jo[BR_INLINE_ORIGIN_MAX], po[BR_INLINE_ORIGIN_MAX];
		if (br_inline_origin(cfg->jitsi_url, jo) != 0)
			snprintf(jo, sizeof(jo), "%s", cfg->jitsi_url);
		if (br_inline_origin(cfg->public_url, po) != 0)
			snprintf(po, sizeof(po), "%s", cfg->public_url);
		printf("// leave tokenAuthInline unset: Jitsi takes the popup's answer only from "
		       "its\n"
		       "// own origin %s, and public_url is on %s (serve the bridge under %s/...\n"
		       "// for inline sign-in and renewal).\n",
		       jo, po, jo);
	}
	if (cfg->rules.n_features > 0)
		printf("// [features] arrive as context.features, which Jitsi applies as they "
		       "are.\n");
}

static void print_docker_env(const struct br_config *cfg, bool rsa)
{
	printf("\n# --- docker-jitsi-meet .env ---\n");
	printf("ENABLE_AUTH=1\nAUTH_TYPE=jwt\nJWT_APP_ID=%s\n", cfg->app_id);
	if (rsa)
		printf("JWT_ASAP_KEYSERVER=%s/asap\n", cfg->public_url);
	else
		printf("JWT_APP_SECRET=<the [jitsi] app_secret>\n");
	printf("JWT_ACCEPTED_ISSUERS=%s\nJWT_ACCEPTED_AUDIENCES=%s\n", cfg->app_id, cfg->audience);
	printf("JWT_ALLOW_EMPTY=0\n");
	printf("# docker-jitsi-meet's default is off: /tenant/room tokens would be refused\n");
	printf("JWT_ENABLE_DOMAIN_VERIFICATION=1\n");
	if (cfg->sso_client_id != NULL)
		printf("# native SSO: leave TOKEN_AUTH_URL unset and put the config.js lines "
		       "above\n"
		       "# (tokenAuthUrl, sso, tokenAuthInline, tokenLogoutUrl) in "
		       "custom-config.js\n");
	else
		printf("TOKEN_AUTH_URL=%s/login?room={room}&state={state}\n", cfg->public_url);
	printf("# JICOFO_ENABLE_AUTH defaults to ENABLE_AUTH: every signed-in person an owner\n");
	printf("JICOFO_ENABLE_AUTH=0\n");
	printf("ENABLE_AUTO_OWNER=0\n");
	printf("# comma-separated; keep modules you already list here\n");
	printf("XMPP_MUC_MODULES=");
	const char *mods[3];
	size_t nb, nm = muc_modules(cfg, mods, &nb);
	for (size_t i = 0; i < nm; i++)
		printf("%s%s", i ? "," : "", mods[i]);
	printf("\n");
	if (nb > 0)
		printf("# the bypass module%s come%s from jitsi-contrib/prosody-plugins: put %s "
		       "into the\n"
		       "# prosody-plugins-custom volume\n",
		       nb == 2 ? "s" : "", nb == 2 ? "" : "s", nb == 2 ? "them" : "it");
	if (bypass_rule_set(&cfg->rules.security_bypass))
		printf("# token_security_ondemand needs persistent_lobby (and ENABLE_LOBBY, the "
		       "default)\nXMPP_MODULES=persistent_lobby\n");
}

static void print_nginx(const struct br_config *cfg)
{
	printf("\n# --- nginx (inside the server block that serves Jitsi) ---\n");
	if (*cfg->public_path == '\0') {
		printf("# public_url has no path: give the bridge its own server block (host "
		       "name),\n"
		       "# or set public_url to https://<jitsi host>/auth and use the block "
		       "below.\n");
		return;
	}
	printf("location ^~ %s/ {\n", cfg->public_path);
	if (cfg->n_listen > 0)
		printf("    proxy_pass http://%s%s%s:%s%s/;\n",
		       cfg->listen[0].addr.ss_family == AF_INET6 ? "[" : "", cfg->listen[0].host,
		       cfg->listen[0].addr.ss_family == AF_INET6 ? "]" : "", cfg->listen[0].port,
		       cfg->public_path);
	printf("    proxy_set_header Host $host;\n");
	printf("    proxy_set_header X-Forwarded-For $remote_addr;\n");
	printf("    proxy_set_header X-Forwarded-Proto $scheme;\n");
	printf("    proxy_redirect off;\n");
	printf("    proxy_buffer_size 16k;\n");
	printf("    proxy_buffers 8 16k;\n");
	printf("    proxy_buffering off;\n");
	printf("}\n");
	printf("location = %s/metrics { return 404; }\n", cfg->public_path);
	printf("# (contrib/nginx/jitsi-oidc-bridge.conf has the commented full version)\n");
}

static void print_traps(const struct br_config *cfg, const struct br_keys *keys, bool rsa)
{
	printf("\n# --- traps ---\n");
	printf("warn  Jicofo: with token_affiliation, Jicofo's own authentication must be off:\n"
	       "      the legacy org.jitsi.jicofo.auth.URL (EXT_JWT), jicofo.authentication\n"
	       "      { enabled = true } and docker-jitsi-meet's default (JICOFO_ENABLE_AUTH\n"
	       "      follows ENABLE_AUTH) each make every signed-in person an owner, and\n"
	       "      enable-auto-owner makes the first person in a room one.\n");
	printf("warn  guests: with a guest VirtualHost (config.js hosts.anonymousdomain; docker\n"
	       "      ENABLE_GUESTS=1) Jitsi joins a browser without a token as a guest and never\n"
	       "      sends it to tokenAuthUrl, and with Jicofo's authentication off a guest can\n"
	       "      open a room. Safe set-ups:\n"
	       "      1. no guests: no anonymousdomain (docker: no ENABLE_GUESTS);\n"
	       "      2. guests wait for a signed-in host: \"muc_wait_for_host\" in the MUC's\n"
	       "         modules_enabled with wait_for_host_disable_auto_owners = true (else\n"
	       "         every token holder becomes an owner), \"persistent_lobby\" in the\n"
	       "         VirtualHost's; signed-in people start at %s/ or\n"
	       "         %s/login?room=<room>, a waiting guest gets Jitsi's log-in offer;\n"
	       "      3. only owners open rooms: \"token_owner_party\" in the MUC's "
	       "modules_enabled\n"
	       "         (jitsi-contrib/prosody-plugins; not together with muc_wait_for_host).\n",
	       cfg->public_url, cfg->public_url);
	printf("note  Jitsi shows its static authError.html when it refuses a token: point its "
	       "link at %s/\n",
	       cfg->public_url);
	printf("note  Jitsi does not fetch a new token while it holds one, even an expired one:\n"
	       "      a reconnect after token_lifetime shows a log-in prompt that the person\n"
	       "      must click (it leaves the meeting for tokenAuthUrl).\n");
	if (rsa && keys)
		printf("note  the signing key's kid is %s; Prosody fetches "
		       "%s/asap/<sha256(kid)>.pem\n",
		       br_keys_kid(keys), cfg->public_url);
}

static void print_jitsi_side(const struct br_config *cfg, const struct br_keys *keys)
{
	bool rsa = br_config_alg_is_rsa(cfg->algorithm);

	print_prosody(cfg, rsa);
	print_jicofo();
	print_config_js(cfg);
	print_docker_env(cfg, rsa);
	print_nginx(cfg);
	print_traps(cfg, keys, rsa);
}

/* "ok    pages: languages en de ..., default en[; logo ...][; stylesheet ...]":
 * what the pages will speak and show, as loaded. */
static void print_pages(const struct br_config *cfg)
{
	const struct br_catalogue *cat = cfg->catalogue ? cfg->catalogue : br_catalogue_builtin();

	printf("ok    pages: languages");
	for (size_t i = 0; i < br_catalogue_count(cat); i++)
		printf(" %s", br_catalogue_tag(cat, i));
	printf(", default %s", br_catalogue_tag(cat, cfg->default_lang));
	if (cfg->logo != NULL)
		printf("; logo %s, %zu bytes, at %s/static/logo", cfg->logo_type, cfg->logo_len,
		       cfg->public_url);
	if (cfg->css != NULL)
		printf("; stylesheet %zu bytes at %s/static/custom.css", cfg->css_len,
		       cfg->public_url);
	printf("\n");
}

/* Whether the rule text (NULL: the default, true) is the literal true. */
static bool rule_is_true(const char *text)
{
	struct br_rule *rule = br_rule_parse(text ? text : "true", NULL, 0, "rule", NULL);
	bool yes = br_rule_is_const(rule, true);

	br_rule_free(rule);
	return yes;
}

/* allow and moderator left at true: everyone the IdP knows moderates. */
static void warn_open_rules(const struct br_config *cfg)
{
	bool allow = rule_is_true(cfg->rules.allow.text);

	if (!rule_is_true(cfg->rules.moderator.text))
		return;
	if (allow)
		printf("warn  [rules] allow and moderator are both true: everyone the identity "
		       "provider knows\n"
		       "      gets a token as a moderator (owner); restrict them, e.g. allow = "
		       "inGroup(\"jitsi-meet\")\n"
		       "      and moderator = inGroup(\"jitsi-moderators\")\n");
	else
		printf("warn  [rules] moderator is true: everyone [rules] allow lets in is a "
		       "moderator (owner);\n"
		       "      restrict it, e.g. moderator = inGroup(\"jitsi-moderators\")\n");
}

int br_cli_check(const char *config_path)
{
	struct br_snapshot *snap;
	struct br_error err;
	const struct br_config *cfg;
	int status;

	br_error_clear(&err);
	snap = br_snapshot_build(config_path, NULL, &err);
	if (snap == NULL) {
		printf("FAIL  %s\n", err.msg);
		return BR_EXIT_CONFIG;
	}
	cfg = snap->cfg;
	printf("ok    configuration %s\n", config_path);
	printf("ok    signing key (%s)\n", br_config_alg_name(cfg->algorithm));
	printf("ok    rules\n");
	print_pages(cfg);
	warn_open_rules(cfg);
	if (cfg->warnings)
		printf("warn  %s\n", cfg->warnings);
	if (cfg->token_endpoint_auth == BR_AUTH_CLIENT_SECRET_BASIC && cfg->client_secret &&
	    !unreserved_only(cfg->client_secret))
		printf("warn  the client secret holds characters outside A-Za-z0-9-._~: "
		       "client_secret_basic\n      form-encodes it (RFC 6749 2.3.1) and some "
		       "providers do not decode it;\n      use an unreserved secret or "
		       "token_endpoint_auth = client_secret_post\n");
	if (cfg->state_key_random && cfg->workers > 0)
		printf("note  no state_key_file: a login must end on the process that began it\n");
	/* The Jitsi side depends on the configuration alone: print it before the
	 * IdP is asked, so that an operator who sets up Jitsi first gets it. */
	print_jitsi_side(cfg, snap->keys);
	printf("\n# --- identity provider ---\n");
	status = check_provider(cfg) == 0 ? BR_EXIT_OK : BR_EXIT_IDP;
	br_snapshot_unref(snap);
	return status;
}
