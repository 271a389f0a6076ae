/*
 * oidc.c - /login, /callback and /logout: the authorization code flow with
 * PKCE, state and nonce, and the hand-over to mapping, rules and token.
 *
 * /login keeps nothing in memory: the login lives in a sealed cookie.
 * /callback is asynchronous (token endpoint, maybe a JWKS refetch, maybe
 * userinfo); one struct login owns everything of it and login_free() is its
 * one exit.  Every answer expires the login cookie it consumed.
 */
#include "config.h"

#include <ctype.h>
#include <strings.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/buffer.h>
#include <event2/http.h>
#include <jansson.h>
#include <openssl/evp.h>

#include "bridge/catalogue.h"
#include "bridge/claims.h"
#include "bridge/http_client.h"
#include "bridge/inline.h"
#include "bridge/issue.h"
#include "bridge/jitsi.h"
#include "bridge/jose.h"
#include "bridge/jwks.h"
#include "bridge/log.h"
#include "bridge/metrics.h"
#include "bridge/oidc.h"
#include "bridge/pages.h"
#include "bridge/provider.h"
#include "bridge/room.h"
#include "bridge/rule.h"
#include "bridge/seal.h"
#include "bridge/session.h"
#include "bridge/sso.h"
#include "bridge/state.h"
#include "bridge/strbuf.h"
#include "bridge/token.h"

/* --- small helpers ------------------------------------------------------------ */

/* Appends "&name=value" (or "?name=value" as the first parameter), value
 * form-encoded. */
static void sb_param(struct br_strbuf *b, const char *name, const char *value)
{
	char *enc = br_http_form_encode(value);

	if (enc == NULL) {
		b->failed = true;
		return;
	}
	br_strbuf_puts(b, strchr(b->s ? b->s : "", '?') ? "&" : "?");
	br_strbuf_puts(b, name);
	br_strbuf_puts(b, "=");
	br_strbuf_puts(b, enc);
	br_strbuf_wipe_free(enc);
}

static const char *cookie_path(const struct br_config *cfg, char *buf, size_t cap)
{
	snprintf(buf, cap, "%s/", cfg->public_path);
	return buf;
}

/* Sets a cookie for path (NULL: P/). */
static void set_cookie_at(struct br_req *r, const char *name, const char *value, long max_age,
                          const char *path)
{
	const struct br_config *cfg = r->snap->cfg;
	char buf[280];
	char *hdr;
	size_t n;

	n = strlen(name) + strlen(value) + 400;
	hdr = malloc(n);
	if (hdr == NULL)
		return;
	snprintf(hdr, n, "%s=%s; Path=%s; Max-Age=%ld; HttpOnly; SameSite=Lax%s", name, value,
	         path != NULL ? path : cookie_path(cfg, buf, sizeof(buf)), max_age,
	         cfg->public_https ? "; Secure" : "");
	br_req_add_header(r, "Set-Cookie", hdr);
	explicit_bzero(hdr, n);
	free(hdr);
}

static void set_cookie(struct br_req *r, const char *name, const char *value, long max_age)
{
	set_cookie_at(r, name, value, max_age, NULL);
}

static void expire_cookie(struct br_req *r, const char *name)
{
	if (name[0] != '\0') /* a renewal has no login cookie */
		set_cookie(r, name, "", 0);
}

/* The logout hint cookie lives at P/logout only. */
static const char *logout_path(const struct br_config *cfg, char *buf, size_t cap)
{
	snprintf(buf, cap, "%s/logout", cfg->public_path);
	return buf;
}

/* The keys sealed values open with. */
static struct br_seal_keys seal_keys(const struct br_config *cfg)
{
	struct br_seal_keys k = {cfg->state_key,
	                         cfg->has_previous_state_key ? cfg->previous_state_key : NULL};
	return k;
}

/* Sends an HTML document of inline.c with its own CSP, in the request's
 * page language (Content-Language: lang of that catalogue); frees r. */
static void send_inline(struct br_req *r, int status, struct br_strbuf *html, const char *csp)
{
	const struct br_catalogue *cat;
	size_t lang = br_req_language(r, &cat);
	struct br_reply rep = {
	        .status = status,
	        .content_type = "text/html; charset=utf-8",
	        .csp = csp,
	        .content_language = br_catalogue_tag(cat, lang),
	};
	size_t len = 0;
	char *body = br_strbuf_finish(html, &len);

	if (body == NULL || csp == NULL) {
		rep.status = 500;
		rep.csp = BR_PAGES_CSP;
		rep.body = br_pages_fallback(&rep.len);
		rep.content_language = "en";
	} else {
		rep.body = body;
		rep.len = len;
	}
	br_req_reply(r, &rep);
	if (body != NULL) {
		explicit_bzero(body, len);
		free(body);
	}
}

/* The popup's answer to a failed or denied login: posts oauth-error with
 * code to Jitsi (which only logs it and shows "Login failed."), and shows
 * text and the code, in the request's language, when there is no opener. */
static void send_popup_error(struct br_req *r, int status, const char *code, enum br_msg text)
{
	const struct br_config *cfg = r->snap->cfg;
	char origin[BR_INLINE_ORIGIN_MAX], csp[BR_INLINE_CSP_MAX];
	struct br_strbuf html = {0};
	struct br_inline_result res = {.error = code, .text = text};

	res.lang = br_req_language(r, &res.catalogue);

	if (br_inline_origin(cfg->jitsi_url, origin) != 0 || br_inline_csp_result(csp) != 0) {
		send_inline(r, 500, &html, NULL);
		return;
	}
	res.origin = origin;
	br_inline_render_result(&html, &res);
	send_inline(r, status, &html, csp);
}

/* An error page for err; room and tenant (may be NULL) give the login
 * expired page its "try again" link. */
static void send_error_page(struct br_req *r, const struct br_error *err, const char *room,
                            const char *tenant, const char *idp_code)
{
	struct br_page page = {0};

	page.kind = br_page_kind_for_error(err->code);
	page.room = room;
	page.tenant = tenant;
	page.detail = idp_code ? idp_code : err->msg;
	r->log_note = err->msg;
	br_req_send_page(r, &page);
}

/* --- Jitsi's native SSO: answers ------------------------------------------------ */

/* An RFC 6749 5.2 error answer of P/token: JSON, no-store (the default). */
static void token_error(struct br_req *r, int status, const char *code, const char *desc)
{
	json_t *doc = json_pack("{s:s, s:s}", "error", code, "error_description",
	                        desc != NULL ? desc : code);
	char *body = doc != NULL ? json_dumps(doc, JSON_COMPACT) : NULL;
	struct br_reply rep = {
	        .status = body != NULL ? status : 500,
	        .content_type = "application/json",
	        .body = body != NULL ? body : "{\"error\":\"server_error\"}",
	};

	rep.len = strlen(rep.body);
	if (status == 401)
		br_req_add_header(r, "WWW-Authenticate", "Basic realm=\"token\"");
	br_req_add_header(r, "Pragma", "no-cache");
	if (r->log_note == NULL)
		r->log_note = code;
	br_req_reply(r, &rep);
	json_decref(doc);
	free(body);
}

/* <sso_redirect_uri>?name=value&state=<Jitsi's state>: the state encoded
 * once more than Jitsi sent it, because sso.html decodes it twice
 * (URLSearchParams, then decodeURIComponent). */
static char *sso_location(const struct br_config *cfg, const struct br_sso_request *sso,
                          const char *name, const char *value)
{
	char *once = br_sso_uri_encode(sso->jitsi_state);
	char *twice = once != NULL ? br_sso_uri_encode(once) : NULL;
	char *enc = br_sso_uri_encode(value);
	char *url = NULL;

	if (twice != NULL && enc != NULL &&
	    asprintf(&url, "%s?%s=%s&state=%s", cfg->sso_redirect_uri, name, enc, twice) < 0)
		url = NULL;
	br_strbuf_wipe_free(once);
	br_strbuf_wipe_free(twice);
	br_strbuf_wipe_free(enc);
	return url;
}

/* Sends sso.html an RFC 6749 4.1.2.1 error; frees r.  Only ever to the
 * configured sso_redirect_uri. */
static void sso_redirect_error(struct br_req *r, const struct br_sso_request *sso, const char *code)
{
	char *location = sso_location(r->snap->cfg, sso, "error", code);
	struct br_error err;

	if (location == NULL) {
		br_error_set(&err, BR_E_NOMEM, "out of memory");
		send_error_page(r, &err, NULL, NULL, NULL);
		return;
	}
	br_req_send_redirect(r, location);
	free(location);
}

/* --- /login ------------------------------------------------------------------ */

/* Seals a new login for room and tenant, where it started (app) and Jitsi's
 * overrides (NULL when none), sets its cookie (expiring the oldest beyond
 * the cap) and redirects to the authorization endpoint. */
static void start_login(struct br_req *r, const struct br_provider_meta *meta, const char *room,
                        const char *tenant, enum br_jitsi_app app, const char *overrides,
                        bool prompt_none, bool popup, const struct br_sso_request *sso)
{
	const struct br_config *cfg = r->snap->cfg;
	struct br_login_state st = {0};
	struct br_state_cookie *old = NULL;
	struct br_strbuf url = {0};
	char name[BR_STATE_COOKIE_NAME_MAX];
	char challenge[44];
	char redirect[2100];
	char *value = NULL, *location = NULL, *sso_value = NULL;
	size_t n_old = 0, mine;
	struct br_error err;
	time_t now = time(NULL);

	br_error_clear(&err);
	if (br_state_new(&st, room, tenant, now, &err) != 0)
		goto fail;
	st.prompt_none = prompt_none;
	st.app = app;
	if (overrides != NULL && (st.overrides = strdup(overrides)) == NULL) {
		br_error_set(&err, BR_E_NOMEM, "out of memory");
		goto fail;
	}
	st.popup = popup && sso == NULL;
	st.sso = sso != NULL;
	value = br_state_seal(cfg->state_key, &st, name, &err);
	if (value == NULL)
		goto fail;
	if (sso != NULL) {
		/* what Jitsi's /authorize asked, bound to this login state */
		struct br_sso_request req = *sso;
		memcpy(req.state, st.state, sizeof(req.state));
		sso_value = br_sso_request_seal(cfg->state_key, &req, &err);
		if (sso_value == NULL)
			goto fail;
	}
	/* At most 8 logins, and the older ones go while they would take more
	 * than half of max_header_size with the new one: a browser that
	 * abandons logins (a closed popup, retried) must not reach the header
	 * limit, or it could not come back to /callback. */
	mine = strlen(name) + 1 + strlen(value) + 2;
	if (sso_value != NULL)
		mine += strlen(BR_STATE_COMPANION_PREFIX) + 8 + 1 + strlen(sso_value) + 2;
	if (br_state_cookies_to_expire_within(
	            cfg->state_key, br_req_header(r, "Cookie"), now, cfg->login_timeout,
	            BR_STATE_MAX_COOKIES - 1,
	            cfg->max_header_size / 2 > mine ? cfg->max_header_size / 2 - mine : 0, &old,
	            &n_old, &err) == 0) {
		for (size_t i = 0; i < n_old; i++) {
			expire_cookie(r, old[i].name);
			if (old[i].companion) { /* its native SSO request goes with it */
				char sso_name[32];
				br_sso_cookie_name(old[i].name + strlen(BR_STATE_COOKIE_PREFIX),
				                   sso_name);
				expire_cookie(r, sso_name);
			}
		}
	}
	free(old);
	if (br_state_challenge(st.verifier, challenge) != 0) {
		br_error_set(&err, BR_E_INTERNAL, "computing the PKCE challenge failed");
		goto fail;
	}
	snprintf(redirect, sizeof(redirect), "%s/callback", cfg->public_url);

	br_strbuf_puts(&url, meta->authorization_endpoint);
	sb_param(&url, "response_type", "code");
	sb_param(&url, "client_id", cfg->client_id);
	sb_param(&url, "redirect_uri", redirect);
	sb_param(&url, "scope", cfg->scopes);
	sb_param(&url, "state", st.state);
	sb_param(&url, "nonce", st.nonce);
	sb_param(&url, "code_challenge", challenge);
	sb_param(&url, "code_challenge_method", "S256");
	if (prompt_none)
		sb_param(&url, "prompt", "none");
	if (cfg->extra_auth_params && *cfg->extra_auth_params) {
		br_strbuf_puts(&url, "&");
		br_strbuf_puts(&url, cfg->extra_auth_params);
	}
	location = br_strbuf_finish(&url, NULL);
	if (location == NULL) {
		br_error_set(&err, BR_E_NOMEM, "out of memory");
		goto fail;
	}
	set_cookie(r, name, value, cfg->login_timeout);
	if (sso_value != NULL) {
		char sso_name[32];
		br_sso_cookie_name(st.state, sso_name);
		set_cookie(r, sso_name, sso_value, cfg->login_timeout);
	}
	br_metrics_login_started();
	br_req_send_redirect(r, location);
	goto out;
fail:
	send_error_page(r, &err, room, tenant, NULL);
out:
	free(location);
	free(value);
	free(sso_value);
	br_state_clear(&st);
}

int br_oidc_login_target(const char *room_q, const char *tenant_q, const char *state_q, char **room,
                         char **tenant, struct br_jitsi_state *js, struct br_error *err)
{
	char *s_room = NULL, *s_tenant = NULL;
	struct br_room parsed = {0};
	int rc = -1;

	*room = *tenant = NULL;
	memset(js, 0, sizeof(*js));
	if (state_q && *state_q) {
		if (br_jitsi_state_parse(state_q, js, err) != 0)
			goto out;
		/* the room and tenant are taken over from here */
		s_room = js->room;
		s_tenant = js->tenant;
		js->room = js->tenant = NULL;
	}
	if (room_q && *room_q) {
		free(s_room);
		s_room = strdup(room_q);
		if (s_room == NULL)
			goto nomem;
	}
	if (tenant_q && *tenant_q) {
		free(s_tenant);
		s_tenant = strdup(tenant_q);
		if (s_tenant == NULL)
			goto nomem;
	}
	if (s_room == NULL) {
		br_error_set(err, BR_E_INVALID, "no room name was given");
		goto out;
	}
	if (br_room_parse(s_room, &parsed, err) != 0)
		goto out;
	/* Lower-cased once, here, before it is sealed into the login state. */
	if (s_tenant && !br_tenant_normalize(s_tenant)) {
		br_error_set(err, BR_E_INVALID, "the tenant name is not valid");
		goto out;
	}
	*room = s_room;
	*tenant = s_tenant;
	s_room = s_tenant = NULL;
	rc = 0;
	goto out;
nomem:
	br_error_set(err, BR_E_NOMEM, "out of memory");
out:
	br_room_clear(&parsed);
	free(s_room);
	free(s_tenant);
	return rc;
}

static void start_renewal(struct br_req *r, struct br_provider_meta *meta, const char *room,
                          const char *tenant, const char *overrides, struct br_session_handle *h,
                          const struct br_sso_request *sso);

/* Jitsi's state carries a renewal handle (at /login in inline mode, at
 * /authorize for native SSO): renews when it opens and returns true.  A
 * handle that does not open (expired, tampered, another key) is logged and
 * counted, and false tells the caller to sign in again, silently first. */
static bool renew_with_handle(struct br_req *r, struct br_provider_meta *meta, const char *room,
                              const char *tenant, const char *overrides, const char *handle_text,
                              const struct br_sso_request *sso)
{
	struct br_seal_keys keys = seal_keys(r->snap->cfg);
	struct br_session_handle h = {0};
	struct br_error err;

	br_error_clear(&err);
	if (br_session_handle_open(&keys, handle_text, time(NULL), &h, &err) != 0) {
		br_log(BR_LOG_INFO, "renewal handle refused, signing in again", "error", err.msg,
		       (char *)NULL);
		br_metrics_renewal(BR_METRICS_RENEWAL_REFUSED);
		return false;
	}
	start_renewal(r, meta, room, tenant, overrides, &h, sso);
	br_session_handle_clear(&h);
	return true;
}

void br_oidc_login(struct br_req *r)
{
	const struct br_config *cfg = r->snap->cfg;
	const char *room_q = br_req_query(r, "room");
	const char *prompt = br_req_query(r, "prompt");
	const char *state_q = br_req_query(r, "state");
	const char *nonce_q = br_req_query(r, "nonce");
	char *room = NULL, *tenant = NULL;
	struct br_jitsi_state js = {0};
	struct br_provider_meta *meta = NULL;
	struct br_error err;
	bool popup;

	br_error_clear(&err);
	if (br_oidc_login_target(room_q, br_req_query(r, "tenant"), state_q, &room, &tenant, &js,
	                         &err) != 0)
		goto fail;
	if (prompt && strcmp(prompt, "none") != 0) {
		br_error_set(&err, BR_E_INVALID, "prompt must be \"none\" when given");
		goto fail;
	}
	meta = br_provider_meta(r->snap->provider, &err);
	if (meta == NULL)
		goto fail;
	/* Jitsi's inline popup appends &nonce=; without sessionStorage it
	 * cannot, so a login from Jitsi's tokenAuthUrl (it has a state) answers
	 * the popup page too, which decides from window.opener.  Not for a login
	 * from an app: it ends in the app (jitsi.c). */
	popup = cfg->inline_on && js.app == BR_JITSI_BROWSER &&
	        ((nonce_q != NULL && *nonce_q) || (state_q != NULL && *state_q));
	/* the new token is for the state's room, not the handle's */
	if (popup && js.refresh_token != NULL) {
		if (renew_with_handle(r, meta, room, tenant, js.overrides, js.refresh_token, NULL))
			goto out;
		prompt = "none"; /* the normal login, silent first */
	}
	start_login(r, meta, room, tenant, js.app, js.overrides, prompt != NULL, popup, NULL);
	goto out;
fail:
	send_error_page(r, &err, err.code == BR_E_INVALID ? NULL : room_q, NULL, NULL);
out:
	br_provider_meta_unref(meta);
	free(room);
	free(tenant);
	br_jitsi_state_clear(&js);
}

/* --- /logout ------------------------------------------------------------------- */

/* The silent logout of Jitsi's inline mode: Jitsi loads tokenLogoutUrl in a
 * hidden iframe and waits, with no timeout, for {type:'logout-success'}
 * from its own origin (jitsi-meet react/features/authentication/
 * actions.web.ts silentLogout).  So the answer is always our page that
 * posts it at once: never the IdP's end-session page, which may ask for a
 * confirmation, refuse to be framed or not come back. */
static void silent_logout(struct br_req *r)
{
	const struct br_config *cfg = r->snap->cfg;
	char origin[BR_INLINE_ORIGIN_MAX], csp[BR_INLINE_CSP_MAX];
	struct br_strbuf html = {0};

	if (br_inline_origin(cfg->jitsi_url, origin) != 0 ||
	    br_inline_csp_logout(origin, csp) != 0) {
		send_inline(r, 500, &html, NULL);
		return;
	}
	r->log_note = "silent logout (Jitsi's hidden frame)";
	const struct br_catalogue *cat;
	size_t lang = br_req_language(r, &cat);
	br_inline_render_logout(&html, origin, cat, lang);
	send_inline(r, 200, &html, csp);
}

void br_oidc_logout(struct br_req *r)
{
	const struct br_config *cfg = r->snap->cfg;
	const char *dest = br_req_header(r, "Sec-Fetch-Dest");
	struct br_provider_meta *meta;
	struct br_seal_keys keys = seal_keys(cfg);
	struct br_strbuf url = {.secret = true};
	char path[280];
	char *location, *hint;
	time_t now = time(NULL);

	/* Jitsi's hidden frame: Sec-Fetch-Dest says so; a browser without Fetch
	 * Metadata (Safari before 16.4) is known by the id_token_hint that only
	 * Jitsi's silent logout appends (settings/actions.web.ts). */
	if (cfg->inline_on && ((dest != NULL && strcmp(dest, "iframe") == 0) ||
	                       (dest == NULL && br_req_query(r, "id_token_hint") != NULL))) {
		silent_logout(r);
		return;
	}
	meta = br_provider_meta(r->snap->provider, NULL);
	/* The hint: our HttpOnly cookie, else the idToken Jitsi appended
	 * (the same sealed value, posted by the inline page). */
	hint = br_session_hint_from_cookies(&keys, br_req_header(r, "Cookie"), now);
	if (hint == NULL && br_req_query(r, "id_token_hint") != NULL)
		hint = br_session_hint_open(&keys, br_req_query(r, "id_token_hint"), now, NULL);
	if (meta && meta->end_session_endpoint) {
		br_strbuf_puts(&url, meta->end_session_endpoint);
		sb_param(&url, "client_id", cfg->client_id);
		sb_param(&url, "post_logout_redirect_uri", cfg->jitsi_url);
		if (hint != NULL)
			sb_param(&url, "id_token_hint", hint);
		r->log_note = hint != NULL ? "logout with id_token_hint" : "logout without a hint";
	} else {
		br_strbuf_puts(&url, cfg->jitsi_url);
	}
	br_provider_meta_unref(meta);
	br_strbuf_wipe_free(hint);
	set_cookie_at(r, BR_SESSION_HINT_COOKIE, "", 0, logout_path(cfg, path, sizeof(path)));
	location = br_strbuf_finish(&url, NULL);
	if (location == NULL) {
		struct br_error err;
		br_error_set(&err, BR_E_NOMEM, "out of memory");
		send_error_page(r, &err, NULL, NULL, NULL);
		return;
	}
	br_req_send_redirect(r, location);
	br_strbuf_wipe_free(location);
}

/* --- /callback ----------------------------------------------------------------- */

void br_oidc_tokens_clear(struct br_oidc_tokens *t)
{
	br_strbuf_wipe_free(t->id_token);
	br_strbuf_wipe_free(t->access_token);
	br_strbuf_wipe_free(t->refresh_token);
	t->id_token = t->access_token = t->refresh_token = NULL;
}

static bool nonempty_string(const json_t *v)
{
	return json_is_string(v) && json_string_length(v) > 0;
}

int br_oidc_parse_tokens(long status, const char *content_type, const char *body, size_t len,
                         bool refresh, struct br_oidc_tokens *out, struct br_error *err)
{
	json_error_t jerr;
	json_t *doc = NULL;
	const json_t *v;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (len > BR_OIDC_TOKEN_RESPONSE_MAX) {
		br_error_set(err, BR_E_PROTOCOL, "the token endpoint's answer is too big");
		return -1;
	}
	doc = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
	if (status != 200) {
		v = json_is_object(doc) ? json_object_get(doc, "error") : NULL;
		if (json_is_string(v) && json_string_length(v) <= 64)
			br_error_set(err, BR_E_PROTOCOL,
			             "the token endpoint refused the %s (HTTP %ld, %s)",
			             refresh ? "refresh token" : "code", status,
			             json_string_value(v));
		else
			br_error_set(err, BR_E_PROTOCOL, "the token endpoint answered HTTP %ld",
			             status);
		goto out;
	}
	if (content_type == NULL || strcmp(content_type, "application/json") != 0) {
		br_error_set(err, BR_E_PROTOCOL, "the token endpoint did not answer with JSON");
		goto out;
	}
	if (!json_is_object(doc)) {
		br_error_set(err, BR_E_PROTOCOL,
		             "the token endpoint's answer is not a JSON object");
		goto out;
	}
	v = json_object_get(doc, "token_type");
	if (!json_is_string(v) || strcasecmp(json_string_value(v), "bearer") != 0) {
		br_error_set(err, BR_E_PROTOCOL, "the token endpoint's token_type is not Bearer");
		goto out;
	}
	/* A refresh answer may leave the ID token out (OIDC Core 12.2). */
	v = json_object_get(doc, "id_token");
	if (!nonempty_string(v) && !(refresh && v == NULL)) {
		br_error_set(err, BR_E_PROTOCOL, "the token endpoint sent no id_token");
		goto out;
	}
	if (v != NULL && (out->id_token = strdup(json_string_value(v))) == NULL)
		goto nomem;
	v = json_object_get(doc, "access_token");
	if (nonempty_string(v) && (out->access_token = strdup(json_string_value(v))) == NULL)
		goto nomem;
	v = json_object_get(doc, "refresh_token");
	if (nonempty_string(v) && (out->refresh_token = strdup(json_string_value(v))) == NULL)
		goto nomem;
	if (refresh && out->id_token == NULL && out->access_token == NULL) {
		br_error_set(err, BR_E_PROTOCOL,
		             "the token endpoint sent neither an id_token nor an access_token");
		goto out;
	}
	rc = 0;
	goto out;
nomem:
	br_error_set(err, BR_E_NOMEM, "out of memory");
out:
	if (rc != 0)
		br_oidc_tokens_clear(out);
	json_decref(doc);
	return rc;
}

int br_oidc_parse_token_response(long status, const char *content_type, const char *body,
                                 size_t len, char **id_token, char **access_token,
                                 struct br_error *err)
{
	struct br_oidc_tokens t;
	int rc = br_oidc_parse_tokens(status, content_type, body, len, false, &t, err);

	*id_token = t.id_token;
	*access_token = t.access_token;
	br_strbuf_wipe_free(t.refresh_token);
	return rc;
}

/* One /callback in flight. */
struct login {
	struct br_req *r;
	struct br_login_state st;
	char cookie_name[BR_STATE_COOKIE_NAME_MAX];
	struct br_provider_meta *meta;
	char *id_token;
	char *access_token;
	char *refresh_token; /* the IdP's, from this answer; NULL when none */
	json_t *claims;
	bool refetched;             /* the JWKS was refetched once for an unknown kid */
	bool renewing;              /* a renewal through a handle: no login cookie, no IdP page */
	struct br_session_handle h; /* renewing: the handle that was opened */
	bool has_sso;               /* Jitsi's native SSO: the answer goes to sso.html */
	struct br_sso_request sso;  /*   what its /authorize asked */
	bool token_grant;           /* POST P/token refresh_token: the answer is JSON */
};

static void login_free(struct login *l)
{
	br_state_clear(&l->st);
	br_provider_meta_unref(l->meta);
	br_strbuf_wipe_free(l->id_token);
	br_strbuf_wipe_free(l->access_token);
	br_strbuf_wipe_free(l->refresh_token);
	br_session_handle_clear(&l->h);
	br_sso_request_clear(&l->sso);
	json_decref(l->claims);
	free(l);
}

static enum br_metrics_failure failure_of(enum br_error_code code)
{
	switch (code) {
	case BR_E_STATE:
		return BR_METRICS_FAIL_STATE;
	case BR_E_UNAVAILABLE:
		return BR_METRICS_FAIL_UNAVAILABLE;
	case BR_E_TIMEOUT:
		return BR_METRICS_FAIL_TIMEOUT;
	case BR_E_PROTOCOL:
		return BR_METRICS_FAIL_TOKEN;
	default:
		return BR_METRICS_FAIL_INTERNAL;
	}
}

/* The short code the popup posts for an error (Jitsi only logs it). */
static const char *popup_error_code(enum br_error_code code)
{
	switch (code) {
	case BR_E_DENIED:
		return "access_denied";
	case BR_E_UNAVAILABLE:
	case BR_E_TIMEOUT:
		return "temporarily_unavailable";
	case BR_E_STATE:
	case BR_E_INVALID:
		return "invalid_request";
	default:
		return "server_error";
	}
}

/* A renewal at POST P/token that failed (RFC 6749 5.2): the reason goes
 * to the log only.  An unreachable IdP and our own failures are not the
 * grant's fault. */
static void token_grant_error(struct br_req *r, const struct br_error *err)
{
	switch (err->code) {
	case BR_E_UNAVAILABLE:
	case BR_E_TIMEOUT:
		token_error(r, 503, "temporarily_unavailable",
		            "the identity provider did not answer");
		return;
	case BR_E_INTERNAL:
	case BR_E_NOMEM:
	case BR_E_CRYPTO:
	case BR_E_IO:
		token_error(r, 500, "server_error", "the renewal failed");
		return;
	default:
		token_error(r, 400, "invalid_grant", "the renewal was refused");
	}
}

/* An error page, or in the popup the page that posts oauth-error; for
 * native SSO the error to sso.html, or the token endpoint's JSON. */
static void send_login_error(struct login *l, const struct br_error *err, const char *idp_code)
{
	if (l->token_grant) {
		l->r->log_note = err->msg;
		token_grant_error(l->r, err);
		return;
	}
	if (l->has_sso) {
		l->r->log_note = err->msg;
		sso_redirect_error(l->r, &l->sso,
		                   idp_code ? idp_code : popup_error_code(err->code));
		return;
	}
	if (l->st.popup) {
		l->r->log_note = err->msg;
		struct br_page kind = {.kind = br_page_kind_for_error(err->code)};
		send_popup_error(l->r, br_page_status(&kind),
		                 idp_code ? idp_code : popup_error_code(err->code),
		                 br_pages_error_text(kind.kind));
		return;
	}
	send_error_page(l->r, err, l->st.room, l->st.tenant, idp_code);
}

/* Ends a login with an error page; frees l.  A renewal the IdP refused (or
 * answered wrongly) falls back to the normal login, silent first. */
static void login_fail(struct login *l, const struct br_error *err, enum br_metrics_failure why)
{
	struct br_req *r = l->r;

	if (l->renewing && !l->token_grant && err->code == BR_E_PROTOCOL && l->meta != NULL) {
		br_log(BR_LOG_INFO, "renewal refused, signing in again", "user", l->h.user_id,
		       "error", err->msg, (char *)NULL);
		br_metrics_renewal(BR_METRICS_RENEWAL_REFUSED);
		start_login(r, l->meta, l->st.room, l->st.tenant, l->st.app, l->st.overrides, true,
		            true, l->has_sso ? &l->sso : NULL);
		login_free(l);
		return;
	}
	br_metrics_login_failed(why);
	if (l->renewing)
		br_metrics_renewal(BR_METRICS_RENEWAL_FAILED);
	br_log(BR_LOG_WARN, l->renewing ? "renewal failed" : "login failed", "reason",
	       br_metrics_failure_name(why), "error", err->msg, (char *)NULL);
	expire_cookie(r, l->cookie_name);
	send_login_error(l, err, NULL);
	login_free(l);
}

static void finish_login(struct login *l);

static void userinfo_done(const struct br_http_response *resp, const struct br_error *herr,
                          void *arg)
{
	struct login *l = arg;
	struct br_error err;
	json_error_t jerr;
	json_t *info = NULL;
	const json_t *sub;
	const char *key;
	json_t *value;

	br_error_clear(&err);
	if (resp)
		br_metrics_idp_latency(BR_METRICS_EP_USERINFO, resp->seconds);
	if (herr) {
		login_fail(l, herr, failure_of(herr->code));
		return;
	}
	if (resp->status != 200) {
		br_error_set(&err, BR_E_PROTOCOL, "the userinfo endpoint answered HTTP %ld",
		             resp->status);
		goto fail;
	}
	if (resp->content_type && strcmp(resp->content_type, "application/jwt") == 0) {
		br_error_set(&err, BR_E_PROTOCOL,
		             "the userinfo endpoint answered with a signed JWT; configure the "
		             "provider to send plain JSON userinfo");
		goto fail;
	}
	if (resp->content_type == NULL || strcmp(resp->content_type, "application/json") != 0) {
		br_error_set(&err, BR_E_PROTOCOL, "the userinfo endpoint did not answer with JSON");
		goto fail;
	}
	info = json_loadb(resp->body, resp->len, JSON_REJECT_DUPLICATES, &jerr);
	if (!json_is_object(info)) {
		br_error_set(&err, BR_E_PROTOCOL, "the userinfo answer is not a JSON object");
		goto fail;
	}
	sub = json_object_get(info, "sub");
	if (!json_is_string(sub) || !json_equal(sub, json_object_get(l->claims, "sub"))) {
		br_error_set(&err, BR_E_PROTOCOL,
		             "the userinfo answer is for another user (its sub differs from the ID "
		             "token's)");
		goto fail;
	}
	/* The signed ID token wins where both name a claim. */
	json_object_foreach(info, key, value)
	{
		if (json_object_get(l->claims, key) == NULL)
			json_object_set(l->claims, key, value);
	}
	json_decref(info);
	finish_login(l);
	return;
fail:
	json_decref(info);
	login_fail(l, &err, BR_METRICS_FAIL_TOKEN);
}

static void fetch_userinfo(struct login *l)
{
	const struct br_config *cfg = l->r->snap->cfg;
	/* Sized from the token (itself bounded by the token response's cap):
	 * never cut. */
	size_t n = sizeof("Bearer ") + strlen(l->access_token);
	char *auth = malloc(n);
	struct br_http_request req = {
	        .url = l->meta->userinfo_endpoint,
	        .authorization = auth,
	        .timeout_ms = cfg->timeout * 1000,
	        .what = "userinfo endpoint",
	        .ca_file = cfg->ca_file,
	};
	struct br_error err;

	if (auth == NULL) {
		br_error_set(&err, BR_E_NOMEM, "out of memory");
		login_fail(l, &err, BR_METRICS_FAIL_INTERNAL);
		return;
	}
	snprintf(auth, n, "Bearer %s", l->access_token);
	if (br_http_fetch(l->r->worker->client, &req, userinfo_done, l, &err) == NULL)
		login_fail(l, &err, failure_of(err.code));
	explicit_bzero(auth, n);
	free(auth);
}

static void verify_id_token(struct login *l);

static void refetched_cb(void *arg, bool refetched)
{
	struct login *l = arg;

	if (!refetched) {
		struct br_error err;
		br_error_set(&err, BR_E_PROTOCOL,
		             "the ID token is signed with a key the provider does not publish");
		login_fail(l, &err, BR_METRICS_FAIL_TOKEN);
		return;
	}
	verify_id_token(l);
}

static void verify_id_token(struct login *l)
{
	const struct br_config *cfg = l->r->snap->cfg;
	struct br_jose_expect expect = {
	        .issuer = cfg->issuer,
	        .client_id = cfg->client_id,
	        .nonce = l->renewing ? l->h.nonce : l->st.nonce,
	        .nonce_optional = l->renewing,
	        .algs = l->meta->id_token_algs,
	        .clock_skew = cfg->clock_skew,
	        .max_token_age = cfg->max_token_age,
	        .access_token = l->access_token,
	};
	struct br_jose_result res;
	struct br_error err;
	struct br_jwks *keys;

	br_error_clear(&err);
	memset(&res, 0, sizeof(res));
	keys = br_provider_keys(l->r->snap->provider, &err);
	if (keys == NULL) {
		login_fail(l, &err, BR_METRICS_FAIL_UNAVAILABLE);
		return;
	}
	l->claims = br_jose_verify_id_token(l->id_token, strlen(l->id_token), keys, &expect,
	                                    time(NULL), &res, &err);
	br_jwks_unref(keys);
	if (l->claims == NULL) {
		if (res.unknown_kid && !l->refetched) {
			l->refetched = true;
			br_provider_refetch_keys(l->r->snap->provider, l->r->worker->base,
			                         l->r->worker->client, refetched_cb, l);
			return;
		}
		login_fail(l, &err, BR_METRICS_FAIL_TOKEN);
		return;
	}
	if (l->renewing &&
	    (json_string_value(json_object_get(l->claims, "sub")) == NULL ||
	     strcmp(json_string_value(json_object_get(l->claims, "sub")), l->h.sub) != 0)) {
		br_error_set(&err, BR_E_PROTOCOL,
		             "the refreshed ID token is for another user (its sub differs)");
		login_fail(l, &err, BR_METRICS_FAIL_TOKEN);
		return;
	}
	if (l->meta->userinfo_endpoint && l->access_token &&
	    (cfg->userinfo == BR_USERINFO_ALWAYS ||
	     (cfg->userinfo == BR_USERINFO_AUTO &&
	      br_claims_incomplete(&cfg->claims, l->claims)))) {
		fetch_userinfo(l);
		return;
	}
	finish_login(l);
}

static void audit(const struct login *l, const struct br_user *user, const struct br_room *room,
                  const struct br_decision *d)
{
	const char *rule = d->allow ? "[rules] moderator" : "[rules] allow";

	br_log(BR_LOG_INFO, "login decision", "user", user->id, "room", room->readable, "tenant",
	       l->st.tenant, "decision", d->allow ? "allow" : "deny", "moderator",
	       d->allow ? (d->moderator ? "true" : "false") : NULL, "rule", rule, (char *)NULL);
}

/* Sets the logout hint cookie (at P/logout) for the ID token of this login,
 * valid until end; its text in *text when text is not NULL (the caller
 * frees it), else NULL.  Nothing when there is no new ID token (a refresh
 * without one keeps the cookie the browser has) or it is too long. */
static void set_hint_cookie(struct login *l, time_t end, char **text)
{
	const struct br_config *cfg = l->r->snap->cfg;
	struct br_error err;
	char path[280];
	char *hint;
	time_t now = time(NULL);

	if (text != NULL)
		*text = NULL;
	if (l->id_token == NULL || end <= now)
		return;
	hint = br_session_hint_seal(cfg->state_key, l->id_token, end, &err);
	if (hint == NULL) {
		br_log(BR_LOG_INFO, "no logout hint kept", "error", err.msg, (char *)NULL);
		return;
	}
	set_cookie_at(l->r, BR_SESSION_HINT_COOKIE, hint, (long)(end - now),
	              logout_path(cfg, path, sizeof(path)));
	if (text != NULL)
		*text = hint;
	else
		free(hint);
}

/* Jitsi appends idToken to its logout URL (a query parameter of P/logout);
 * a hint longer than this is not posted (the cookie still carries it). */
#define POSTED_HINT_MAX 2048

/* A new renewal handle for this login or renewal (new string), or NULL
 * (logged); *end gets its end.  Jitsi overwrites the handle it holds with
 * whatever comes back, so every success makes one. */
static char *make_handle(struct login *l, const struct br_user *user, time_t *end)
{
	const struct br_config *cfg = l->r->snap->cfg;
	time_t now = time(NULL);
	struct br_session_handle h = {
	        .issued = now,
	        .end = l->renewing ? l->h.end : now + cfg->session_lifetime,
	        .sub = (char *)json_string_value(json_object_get(l->claims, "sub")),
	        .user_id = user->id,
	        .room = l->st.room,
	        .tenant = l->st.tenant,
	        .nonce = l->renewing ? l->h.nonce : l->st.nonce,
	        /* a rotating IdP sends a new one; else the one we had */
	        .refresh_token = l->refresh_token != NULL ? l->refresh_token : l->h.refresh_token,
	};
	struct br_error err;
	char *handle;

	*end = h.end;
	handle = br_session_handle_seal(cfg->state_key, &h, &err);
	if (handle == NULL && h.refresh_token != NULL && err.code == BR_E_INVALID) {
		/* an IdP refresh token too long to keep: renew by prompt=none */
		br_log(BR_LOG_INFO, "renewal without the IdP's refresh token", "error", err.msg,
		       (char *)NULL);
		h.refresh_token = NULL;
		handle = br_session_handle_seal(cfg->state_key, &h, &err);
	}
	if (handle == NULL)
		br_log(BR_LOG_WARN, "no renewal handle", "error", err.msg, (char *)NULL);
	return handle;
}

/* The popup's success: a new renewal handle, the logout hint, and the
 * page that posts them with the token. */
static void deliver_popup(struct login *l, const struct br_user *user, const char *token,
                          const char *location)
{
	struct br_req *r = l->r;
	const struct br_config *cfg = r->snap->cfg;
	char origin[BR_INLINE_ORIGIN_MAX], csp[BR_INLINE_CSP_MAX];
	struct br_strbuf html = {.secret = true};
	struct br_inline_result res = {.access_token = token, .next = location};
	char *handle, *hint = NULL;
	time_t end;

	res.lang = br_req_language(r, &res.catalogue);
	handle = make_handle(l, user, &end);
	set_hint_cookie(l, end, &hint);
	if (br_inline_origin(cfg->jitsi_url, origin) != 0 || br_inline_csp_result(csp) != 0) {
		send_inline(r, 500, &html, NULL);
		goto out;
	}
	res.origin = origin;
	res.refresh_token = handle;
	res.id_token = hint != NULL && strlen(hint) <= POSTED_HINT_MAX ? hint : NULL;
	r->log_note = l->renewing ? "renewed (popup)" : "token for the popup";
	if (l->renewing)
		br_metrics_renewal(BR_METRICS_RENEWAL_REFRESHED);
	br_inline_render_result(&html, &res);
	send_inline(r, 200, &html, csp);
out:
	br_strbuf_wipe_free(handle);
	br_strbuf_wipe_free(hint);
}

/* The token endpoint's success (RFC 6749 5.1): the Jitsi token, the ID
 * token the bridge signs for sso.html (nonce: Jitsi's, in the code flow),
 * and a new renewal handle.  Frees r. */
static void send_token_answer(struct br_req *r, const char *access_token, long expires_in,
                              const char *sub, const char *nonce, const char *handle)
{
	const struct br_config *cfg = r->snap->cfg;
	struct br_error err;
	char *id_token, *body = NULL;
	json_t *doc = NULL;

	id_token = br_sso_id_token(r->snap->keys, cfg->public_url, cfg->sso_client_id, sub, nonce,
	                           time(NULL), &err);
	if (id_token == NULL) {
		token_error(r, 500, "server_error", "signing the ID token failed");
		return;
	}
	doc = json_pack("{s:s, s:s, s:I, s:s}", "access_token", access_token, "token_type",
	                "Bearer", "expires_in", (json_int_t)expires_in, "id_token", id_token);
	if (doc != NULL && handle != NULL &&
	    json_object_set_new(doc, "refresh_token", json_string(handle)) != 0) {
		json_decref(doc);
		doc = NULL;
	}
	body = doc != NULL ? json_dumps(doc, JSON_COMPACT) : NULL;
	if (body == NULL) {
		token_error(r, 500, "server_error", "out of memory");
	} else {
		struct br_reply rep = {
		        .status = 200,
		        .content_type = "application/json",
		        .body = body,
		        .len = strlen(body),
		};
		br_req_add_header(r, "Pragma", "no-cache");
		br_req_reply(r, &rep);
	}
	json_decref(doc);
	br_strbuf_wipe_free(body);
	br_strbuf_wipe_free(id_token);
}

/* Native SSO's success: at /callback (or a renewal begun at /authorize) a
 * sealed 60-second code sent to sso.html; at POST P/token (refresh_token)
 * the JSON answer itself. */
static void deliver_sso(struct login *l, const struct br_user *user, const char *token)
{
	struct br_req *r = l->r;
	const struct br_config *cfg = r->snap->cfg;
	const char *sub = json_string_value(json_object_get(l->claims, "sub"));
	struct br_sso_code c = {0};
	struct br_error err;
	char *handle, *code = NULL, *location = NULL;
	time_t end;

	handle = make_handle(l, user, &end);
	if (l->renewing)
		br_metrics_renewal(BR_METRICS_RENEWAL_REFRESHED);
	if (l->token_grant) {
		r->log_note = "renewed (token endpoint)";
		send_token_answer(r, token, cfg->token_lifetime, sub, NULL, handle);
		goto out;
	}
	set_hint_cookie(l, end, NULL);
	c.end = time(NULL) + BR_SSO_CODE_LIFETIME;
	c.client_id = cfg->sso_client_id;
	c.redirect_uri = cfg->sso_redirect_uri;
	c.challenge = l->sso.challenge;
	c.nonce = l->sso.nonce;
	c.sub = (char *)sub;
	c.access_token = (char *)token;
	c.expires_in = cfg->token_lifetime;
	c.refresh_token = handle;
	code = br_sso_code_seal(cfg->state_key, &c, &err);
	if (code == NULL && handle != NULL && err.code == BR_E_INVALID) {
		/* too long with the handle: no renewal, but the login works */
		br_log(BR_LOG_INFO, "native SSO code without a renewal handle", "error", err.msg,
		       (char *)NULL);
		c.refresh_token = NULL;
		code = br_sso_code_seal(cfg->state_key, &c, &err);
	}
	if (code == NULL || (location = sso_location(cfg, &l->sso, "code", code)) == NULL) {
		if (code != NULL)
			br_error_set(&err, BR_E_NOMEM, "out of memory");
		br_log(BR_LOG_ERROR, "native SSO code failed", "error", err.msg, (char *)NULL);
		r->log_note = err.msg;
		sso_redirect_error(r, &l->sso, "server_error");
		goto out;
	}
	r->log_note = l->renewing ? "renewed (native SSO code)" : "native SSO code";
	br_req_send_redirect(r, location);
out:
	br_strbuf_wipe_free(location);
	br_strbuf_wipe_free(code);
	br_strbuf_wipe_free(handle);
}

/* Mapping, rules, token (br_issue), then the way back to Jitsi. */
static void finish_login(struct login *l)
{
	struct br_req *r = l->r;
	const struct br_config *cfg = r->snap->cfg;
	const struct br_jitsi_site site = {
	        .url = cfg->jitsi_url,
	        .query = cfg->delivery == BR_DELIVERY_QUERY,
	        .apps = cfg->jitsi_apps,
	        .app_scheme = cfg->app_scheme,
	        .desktop_scheme = cfg->desktop_scheme,
	        .android_package = cfg->android_package,
	};
	struct br_issue is;
	struct br_error err;
	char *location = NULL, *app_url = NULL;

	br_error_clear(&err);
	if (br_issue(cfg, r->snap->keys, r->snap->policy, l->claims, l->st.room, l->st.tenant,
	             time(NULL), &is, &err) != 0) {
		if (is.failed != BR_ISSUE_CLAIMS)
			goto internal;
		br_metrics_login_failed(BR_METRICS_FAIL_CLAIMS);
		br_log(BR_LOG_WARN, "login failed", "reason", "claims", "error", err.msg,
		       (char *)NULL);
		expire_cookie(r, l->cookie_name);
		send_login_error(l, &err, NULL);
		goto out;
	}
	audit(l, &is.user, &is.room, &is.decision);
	expire_cookie(r, l->cookie_name);
	if (!is.decision.allow && (l->token_grant || l->has_sso)) {
		br_metrics_login_denied();
		if (l->renewing)
			br_metrics_renewal(BR_METRICS_RENEWAL_DENIED);
		r->log_note = "denied by [rules] allow";
		if (l->token_grant)
			token_error(r, 400, "invalid_grant",
			            "this account may not join this meeting");
		else
			sso_redirect_error(r, &l->sso, "access_denied");
		goto out;
	}
	if (!is.decision.allow && l->st.popup) {
		br_metrics_login_denied();
		if (l->renewing)
			br_metrics_renewal(BR_METRICS_RENEWAL_DENIED);
		r->log_note =
		        l->renewing ? "renewal denied by [rules] allow" : "denied by [rules] allow";
		send_popup_error(r, 403, "access_denied", BR_MSG_DENIED_PLAIN);
		goto out;
	}
	if (!is.decision.allow) {
		struct br_page page = {.kind = BR_PAGE_DENIED};
		page.room = l->st.room;
		page.tenant = l->st.tenant;
		page.user = is.user.name ? is.user.name : is.user.id;
		br_metrics_login_denied();
		r->log_note = "denied by [rules] allow";
		br_req_send_page(r, &page);
		goto out;
	}
	if (l->token_grant || l->has_sso) {
		br_metrics_login_completed();
		deliver_sso(l, &is.user, is.token);
		goto out;
	}
	if (br_jitsi_return_urls(&site, l->st.app, &is.room, l->st.tenant, is.token,
	                         l->st.overrides, &location, &app_url, &err) != 0)
		goto internal;
	br_metrics_login_completed();
	if (l->st.popup) {
		deliver_popup(l, &is.user, is.token, location);
		goto out;
	}
	set_hint_cookie(l, time(NULL) + cfg->session_lifetime, NULL);
	if (app_url != NULL) {
		/* Back to the app it started in: a page with both ways, never a
		 * silent redirect to a scheme another app may have claimed. */
		struct br_page page = {.kind = BR_PAGE_APP};
		page.room = l->st.room;
		page.tenant = l->st.tenant;
		page.user = is.user.name ? is.user.name : is.user.id;
		page.app_url = app_url;
		page.browser_url = location;
		page.app_name = l->st.app == BR_JITSI_IOS       ? "iOS"
		                : l->st.app == BR_JITSI_ANDROID ? "Android"
		                                                : "desktop";
		page.open_app = l->st.app == BR_JITSI_ANDROID; /* the intent pins the package */
		r->log_note = "token for the app";
		br_req_send_page(r, &page);
	} else {
		br_req_send_redirect(r, location);
	}
	goto out;
internal:
	br_metrics_login_failed(BR_METRICS_FAIL_INTERNAL);
	br_log(BR_LOG_ERROR, "login failed", "reason", "internal", "error", err.msg, (char *)NULL);
	expire_cookie(r, l->cookie_name);
	send_login_error(l, &err, NULL);
out:
	br_jitsi_url_free(location);
	br_jitsi_url_free(app_url);
	br_issue_clear(&is);
	login_free(l);
}

static void token_done(const struct br_http_response *resp, const struct br_error *herr, void *arg)
{
	struct login *l = arg;
	struct br_error err;

	br_error_clear(&err);
	if (herr) {
		login_fail(l, herr, failure_of(herr->code));
		return;
	}
	br_metrics_idp_latency(BR_METRICS_EP_TOKEN, resp->seconds);
	{
		struct br_oidc_tokens t;
		if (br_oidc_parse_tokens(resp->status, resp->content_type, resp->body, resp->len,
		                         l->renewing, &t, &err) != 0) {
			login_fail(l, &err, BR_METRICS_FAIL_TOKEN);
			return;
		}
		l->id_token = t.id_token;
		l->access_token = t.access_token;
		l->refresh_token = t.refresh_token;
	}
	if (l->id_token == NULL) {
		/* A refresh answer without an ID token: who it is comes from
		 * userinfo, which must name the handle's sub. */
		if (l->meta->userinfo_endpoint == NULL) {
			br_error_set(&err, BR_E_PROTOCOL,
			             "the refresh answer has no ID token and there is no userinfo "
			             "endpoint");
			login_fail(l, &err, BR_METRICS_FAIL_TOKEN);
			return;
		}
		l->claims = json_pack("{s:s}", "sub", l->h.sub);
		if (l->claims == NULL) {
			br_error_set(&err, BR_E_NOMEM, "out of memory");
			login_fail(l, &err, BR_METRICS_FAIL_INTERNAL);
			return;
		}
		fetch_userinfo(l);
		return;
	}
	verify_id_token(l);
}

/* The token request: the code, PKCE verifier and client authentication. */
/* POSTs body (the grant's parameters, built with sb_param) plus the client
 * authentication to the token endpoint; token_done() takes the answer. */
static void post_token(struct login *l, struct br_strbuf *body)
{
	const struct br_config *cfg = l->r->snap->cfg;
	char *auth = NULL, *form = NULL;
	struct br_http_request req = {
	        .url = l->meta->token_endpoint,
	        .timeout_ms = cfg->timeout * 1000,
	        .what = "token endpoint",
	        .max_body = BR_OIDC_TOKEN_RESPONSE_MAX,
	        .ca_file = cfg->ca_file,
	};
	struct br_error err;

	br_error_clear(&err);
	if (cfg->token_endpoint_auth != BR_AUTH_CLIENT_SECRET_BASIC)
		sb_param(body, "client_id", cfg->client_id);
	if (cfg->token_endpoint_auth == BR_AUTH_CLIENT_SECRET_POST)
		sb_param(body, "client_secret", cfg->client_secret);
	form = br_strbuf_finish(body, NULL);
	if (cfg->token_endpoint_auth == BR_AUTH_CLIENT_SECRET_BASIC) {
		/* RFC 6749 2.3.1: form-encode id and secret, then base64. */
		char *id = br_http_form_encode(cfg->client_id);
		char *secret = br_http_form_encode(cfg->client_secret ? cfg->client_secret : "");
		if (id && secret) {
			size_t n = strlen(id) + strlen(secret) + 2;
			char *plain = malloc(n);
			auth = malloc(4 * ((n + 2) / 3) + 8);
			if (plain && auth) {
				snprintf(plain, n, "%s:%s", id, secret);
				memcpy(auth, "Basic ", 6);
				EVP_EncodeBlock((unsigned char *)auth + 6, (unsigned char *)plain,
				                (int)strlen(plain));
			} else {
				free(auth);
				auth = NULL;
			}
			br_strbuf_wipe_free(plain);
		}
		br_strbuf_wipe_free(secret);
		free(id);
		if (auth == NULL)
			goto nomem;
	}
	if (form == NULL)
		goto nomem;
	req.post_body = form + 1;
	req.authorization = auth;
	if (br_http_fetch(l->r->worker->client, &req, token_done, l, &err) == NULL)
		login_fail(l, &err, failure_of(err.code));
	goto out;
nomem:
	br_error_set(&err, BR_E_NOMEM, "out of memory");
	login_fail(l, &err, BR_METRICS_FAIL_INTERNAL);
out:
	br_strbuf_wipe_free(form);
	br_strbuf_wipe_free(auth);
}

/* The token request for the code: the code, PKCE verifier and client
 * authentication. */
static void redeem_code(struct login *l, const char *code)
{
	const struct br_config *cfg = l->r->snap->cfg;
	struct br_strbuf body = {.secret = true}; /* the code, the verifier, maybe the secret */
	char redirect[2100];

	snprintf(redirect, sizeof(redirect), "%s/callback", cfg->public_url);
	/* Built as "?a=b&..." and sent without the '?'. */
	sb_param(&body, "grant_type", "authorization_code");
	sb_param(&body, "code", code);
	sb_param(&body, "redirect_uri", redirect);
	sb_param(&body, "code_verifier", l->st.verifier);
	post_token(l, &body);
}

/* A /login whose state carries a renewal handle that opened (stolen from
 * h): the IdP's refresh grant when the handle holds an IdP refresh token,
 * with the same client authentication as the code; the answer goes through
 * the checks of a first login (ID token, same sub, userinfo) and the rules,
 * for the state's room.  Without an IdP refresh token: the normal login
 * with prompt=none, which the IdP answers without a page while its session
 * lives. */
static int sso_request_copy(struct br_sso_request *dst, const struct br_sso_request *src)
{
	memset(dst, 0, sizeof(*dst));
	memcpy(dst->state, src->state, sizeof(dst->state));
	dst->jitsi_state = strdup(src->jitsi_state);
	dst->challenge = strdup(src->challenge);
	dst->nonce = src->nonce != NULL ? strdup(src->nonce) : NULL;
	if (dst->jitsi_state == NULL || dst->challenge == NULL ||
	    (src->nonce != NULL && dst->nonce == NULL)) {
		br_sso_request_clear(dst);
		return -1;
	}
	return 0;
}

/* The IdP's refresh grant for the refresh token l->h holds; the answer goes
 * where a code's does (token_done), so a renewal is checked like a login. */
static void post_refresh_grant(struct login *l)
{
	struct br_req *r = l->r;
	struct br_strbuf body = {.secret = true};
	struct br_error err;

	br_error_clear(&err);
	l->meta = br_provider_meta(r->snap->provider, &err);
	if (l->meta == NULL) {
		login_fail(l, &err, BR_METRICS_FAIL_UNAVAILABLE);
		return;
	}
	br_req_begin_async(r);
	sb_param(&body, "grant_type", "refresh_token");
	sb_param(&body, "refresh_token", l->h.refresh_token);
	post_token(l, &body);
}
static void start_renewal(struct br_req *r, struct br_provider_meta *meta, const char *room,
                          const char *tenant, const char *overrides, struct br_session_handle *h,
                          const struct br_sso_request *sso)
{
	struct login *l;
	struct br_error err;

	br_error_clear(&err);
	if (h->refresh_token == NULL) {
		br_log(BR_LOG_INFO, "renewal by prompt=none", "user", h->user_id, (char *)NULL);
		br_metrics_renewal(BR_METRICS_RENEWAL_PROMPT_NONE);
		start_login(r, meta, room, tenant, BR_JITSI_BROWSER, overrides, true, true, sso);
		return;
	}
	l = calloc(1, sizeof(*l));
	if (l == NULL || br_state_new(&l->st, room, tenant, time(NULL), &err) != 0 ||
	    (sso != NULL && sso_request_copy(&l->sso, sso) != 0)) {
		if (l != NULL)
			br_state_clear(&l->st);
		free(l);
		br_error_set(&err, BR_E_NOMEM, "out of memory");
		r->log_note = err.msg;
		if (sso != NULL)
			sso_redirect_error(r, sso, "server_error");
		else
			send_popup_error(r, 500, "server_error", BR_MSG_INTERNAL_TEXT);
		return;
	}
	l->r = r;
	l->renewing = true;
	l->has_sso = sso != NULL;
	l->st.popup = sso == NULL;
	if (overrides != NULL && (l->st.overrides = strdup(overrides)) == NULL) {
		br_error_set(&err, BR_E_NOMEM, "out of memory");
		login_fail(l, &err, BR_METRICS_FAIL_INTERNAL);
		return;
	}
	l->h = *h;
	memset(h, 0, sizeof(*h));
	post_refresh_grant(l);
}

static bool silent_auth_error(const char *e)
{
	return strcmp(e, "login_required") == 0 || strcmp(e, "interaction_required") == 0 ||
	       strcmp(e, "consent_required") == 0 || strcmp(e, "account_selection_required") == 0;
}

/* An IdP error code is shown on the page: keep only what an OAuth error code
 * may hold (RFC 6749: %x20-21 / %x23-5B / %x5D-7E), and not much of it. */
static bool plausible_error_code(const char *e)
{
	size_t n = strlen(e);

	if (n == 0 || n > 64)
		return false;
	for (; *e; e++)
		if (!isalnum((unsigned char)*e) && *e != '_' && *e != '-' && *e != '.')
			return false;
	return true;
}

void br_oidc_callback(struct br_req *r)
{
	const struct br_config *cfg = r->snap->cfg;
	const char *state = br_req_query(r, "state");
	const char *code = br_req_query(r, "code");
	const char *error = br_req_query(r, "error");
	const char *iss = br_req_query(r, "iss");
	struct login *l;
	struct br_error err;

	br_error_clear(&err);
	l = calloc(1, sizeof(*l));
	if (l == NULL) {
		br_error_set(&err, BR_E_NOMEM, "out of memory");
		send_error_page(r, &err, NULL, NULL, NULL);
		return;
	}
	l->r = r;
	if (state == NULL || *state == '\0') {
		br_error_set(&err, BR_E_STATE, "the sign-in answer has no state");
		goto state_fail;
	}
	/* A login begun before a key roll finishes under the previous key. */
	if (br_state_open_from_header(cfg->state_key, br_req_header(r, "Cookie"), state, time(NULL),
	                              cfg->login_timeout, &l->st, &err) != 0 &&
	    (!cfg->has_previous_state_key ||
	     br_state_open_from_header(cfg->previous_state_key, br_req_header(r, "Cookie"), state,
	                               time(NULL), cfg->login_timeout, &l->st, NULL) != 0))
		goto state_fail;
	br_state_cookie_name(l->st.state, l->cookie_name, NULL);
	/* /login seals the tenant lower-cased; a state sealed by an older
	 * version (replicas share the key) may not be: one form for the
	 * rules, the token and the redirect, whatever sealed it. */
	if (l->st.tenant != NULL && !br_tenant_normalize(l->st.tenant)) {
		br_error_set(&err, BR_E_STATE, "the login state holds an invalid tenant");
		goto state_fail;
	}
	if (l->st.sso) {
		/* Jitsi's native SSO: its request rides in a cookie of this state;
		 * without it there is nowhere safe to answer. */
		struct br_seal_keys keys = seal_keys(cfg);
		char sso_name[32];
		if (cfg->sso_client_id == NULL) {
			br_error_set(&err, BR_E_STATE, "native SSO is no longer configured");
			goto state_fail;
		}
		if (br_sso_request_from_header(&keys, br_req_header(r, "Cookie"), l->st.state,
		                               &l->sso, &err) != 0)
			goto state_fail;
		l->has_sso = true;
		br_sso_cookie_name(l->st.state, sso_name);
		expire_cookie(r, sso_name);
	}

	if (iss && strcmp(iss, cfg->issuer) != 0) {
		br_error_set(&err, BR_E_PROTOCOL,
		             "the sign-in answer comes from another issuer (RFC 9207 iss)");
		login_fail(l, &err, BR_METRICS_FAIL_IDP_ERROR);
		return;
	}
	if (error) {
		const char *desc = br_req_query(r, "error_description");
		bool shown = plausible_error_code(error);
		if (l->st.prompt_none && silent_auth_error(error)) {
			struct br_provider_meta *meta = br_provider_meta(r->snap->provider, &err);
			if (meta == NULL) {
				login_fail(l, &err, BR_METRICS_FAIL_UNAVAILABLE);
				return;
			}
			/* Silent sign-in did not work: once more, with a login form. */
			expire_cookie(r, l->cookie_name);
			start_login(r, meta, l->st.room, l->st.tenant, l->st.app, l->st.overrides,
			            false, l->st.popup, l->has_sso ? &l->sso : NULL);
			br_provider_meta_unref(meta);
			login_free(l);
			return;
		}
		br_log(BR_LOG_WARN, "the identity provider refused the sign-in", "error",
		       shown ? error : "(malformed)", "description", desc, (char *)NULL);
		expire_cookie(r, l->cookie_name);
		if (l->has_sso) {
			bool denied = strcmp(error, "access_denied") == 0;
			if (denied)
				br_metrics_login_denied();
			else
				br_metrics_login_failed(BR_METRICS_FAIL_IDP_ERROR);
			r->log_note = "the identity provider refused the sign-in";
			sso_redirect_error(r, &l->sso, denied ? "access_denied" : "server_error");
		} else if (l->st.popup) {
			bool denied = strcmp(error, "access_denied") == 0;
			if (denied)
				br_metrics_login_denied();
			else
				br_metrics_login_failed(BR_METRICS_FAIL_IDP_ERROR);
			r->log_note = "the identity provider refused the sign-in";
			send_popup_error(r, denied ? 403 : 502, shown ? error : "server_error",
			                 denied ? BR_MSG_DENIED_PLAIN : BR_MSG_INLINE_FAILED_TEXT);
		} else if (strcmp(error, "access_denied") == 0) {
			struct br_page page = {.kind = BR_PAGE_DENIED};
			page.room = l->st.room;
			page.tenant = l->st.tenant;
			page.detail = "the identity provider denied the sign-in";
			br_metrics_login_denied();
			r->log_note = "access_denied by the identity provider";
			br_req_send_page(r, &page);
		} else {
			br_error_set(&err, BR_E_PROTOCOL,
			             "the identity provider answered with an error");
			br_metrics_login_failed(BR_METRICS_FAIL_IDP_ERROR);
			send_error_page(r, &err, l->st.room, l->st.tenant,
			                shown ? error : "invalid error code");
		}
		login_free(l);
		return;
	}
	if (code == NULL || *code == '\0' || strlen(code) > 2048) {
		br_error_set(&err, BR_E_PROTOCOL, "the sign-in answer has no valid code");
		login_fail(l, &err, BR_METRICS_FAIL_IDP_ERROR);
		return;
	}
	l->meta = br_provider_meta(r->snap->provider, &err);
	if (l->meta == NULL) {
		login_fail(l, &err, BR_METRICS_FAIL_UNAVAILABLE);
		return;
	}
	br_req_begin_async(r);
	redeem_code(l, code);
	return;

state_fail:
	br_metrics_login_failed(BR_METRICS_FAIL_STATE);
	br_log(BR_LOG_INFO, "login state rejected", "error", err.msg, (char *)NULL);
	send_error_page(r, &err, NULL, NULL, NULL);
	login_free(l);
}

/* --- Jitsi's native SSO: GET P/authorize, POST P/token ------------------------- */

/* Whether a parameter Jitsi's authorization request may carry appears more
 * than once (RFC 6749 3.1: none may). */
static bool query_has_duplicates(const struct br_req *r)
{
	static const char *const names[] = {
	        "response_type",         "client_id", "redirect_uri", "state", "code_challenge",
	        "code_challenge_method", "nonce",     "scope"};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const struct evkeyval *kv;
		int n = 0;
		for (kv = r->query.tqh_first; kv != NULL; kv = kv->next.tqe_next)
			if (strcmp(kv->key, names[i]) == 0)
				n++;
		if (n > 1)
			return true;
	}
	return false;
}

static bool nonce_valid(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && n <= BR_SSO_NONCE_MAX &&
	       strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~") == n;
}

void br_oidc_authorize(struct br_req *r)
{
	const struct br_config *cfg = r->snap->cfg;
	const char *client_id = br_req_query(r, "client_id");
	const char *redirect_uri = br_req_query(r, "redirect_uri");
	const char *response_type = br_req_query(r, "response_type");
	const char *challenge = br_req_query(r, "code_challenge");
	const char *method = br_req_query(r, "code_challenge_method");
	const char *state_q = br_req_query(r, "state");
	const char *nonce = br_req_query(r, "nonce");
	struct br_sso_request req = {0};
	struct br_jitsi_state js = {0};
	struct br_provider_meta *meta = NULL;
	char *room = NULL, *tenant = NULL, *handle_text = NULL;
	struct br_error err;

	br_error_clear(&err);
	/* Nothing is sent back to a redirect_uri before both it and the
	 * client_id are known to be the configured ones (RFC 6749 4.1.2.1);
	 * every bad request gets a 400 page. */
	if (query_has_duplicates(r)) {
		br_error_set(&err, BR_E_INVALID,
		             "a parameter of the authorization request is given twice");
		goto fail;
	}
	if (client_id == NULL || strcmp(client_id, cfg->sso_client_id) != 0) {
		br_error_set(&err, BR_E_INVALID, "unknown client_id (not [jitsi] sso_client_id)");
		goto fail;
	}
	if (redirect_uri == NULL || strcmp(redirect_uri, cfg->sso_redirect_uri) != 0) {
		br_error_set(
		        &err, BR_E_INVALID,
		        "the redirect_uri is not the configured one ([jitsi] sso_redirect_uri)");
		goto fail;
	}
	if (response_type == NULL || strcmp(response_type, "code") != 0) {
		br_error_set(&err, BR_E_INVALID, "response_type must be \"code\"");
		goto fail;
	}
	if (method == NULL || strcmp(method, "S256") != 0 || !br_sso_challenge_valid(challenge)) {
		br_error_set(&err, BR_E_INVALID,
		             "PKCE is required: code_challenge (43 characters) with "
		             "code_challenge_method=S256");
		goto fail;
	}
	if (nonce != NULL && !nonce_valid(nonce)) {
		br_error_set(&err, BR_E_INVALID, "the nonce is not valid");
		goto fail;
	}
	if (state_q == NULL || *state_q == '\0') {
		br_error_set(&err, BR_E_INVALID,
		             "the state parameter (Jitsi's {state}) is missing");
		goto fail;
	}
	if (strlen(state_q) > BR_JITSI_STATE_MAX ||
	    br_sso_state_strip(state_q, &req.jitsi_state, &handle_text, &err) != 0) {
		if (err.code == BR_E_NONE)
			br_error_set(&err, BR_E_INVALID, "the state parameter is too long");
		goto fail;
	}
	if (strlen(req.jitsi_state) > BR_SSO_STATE_MAX) {
		br_error_set(&err, BR_E_INVALID, "the state parameter is too long");
		goto fail;
	}
	/* sso.html is Jitsi's web app: the login ends there, whatever app flag
	 * and overrides the state holds (sso.html applies them itself) */
	if (br_oidc_login_target(NULL, NULL, req.jitsi_state, &room, &tenant, &js, &err) != 0)
		goto fail;
	meta = br_provider_meta(r->snap->provider, &err);
	if (meta == NULL)
		goto fail;
	req.challenge = (char *)challenge;
	req.nonce = (char *)nonce;
	/* A renewal handle in Jitsi's state: sso.html would send it to /token
	 * and never fall back to a login when it fails.  So the renewal is
	 * done here, and the state goes back without it: sso.html then runs
	 * the code flow, with its fresh verifier and nonce. */
	if (handle_text != NULL &&
	    renew_with_handle(r, meta, room, tenant, NULL, handle_text, &req))
		goto out;
	start_login(r, meta, room, tenant, BR_JITSI_BROWSER, NULL, handle_text != NULL, false,
	            &req);
	goto out;
fail:
	send_error_page(r, &err, NULL, NULL, NULL);
out:
	req.challenge = req.nonce = NULL; /* borrowed from the query */
	br_sso_request_clear(&req);
	br_jitsi_state_clear(&js);
	br_provider_meta_unref(meta);
	br_strbuf_wipe_free(handle_text);
	free(room);
	free(tenant);
}

/* The body of a POST (at most the server's 8 KiB), as a new string. */
static char *request_body(struct br_req *r, size_t *len)
{
	struct evbuffer *in = r->ev != NULL ? evhttp_request_get_input_buffer(r->ev) : NULL;
	size_t n = in != NULL ? evbuffer_get_length(in) : 0;
	char *s = malloc(n + 1);

	if (s == NULL)
		return NULL;
	if (n > 0 && evbuffer_copyout(in, s, n) != (ev_ssize_t)n) {
		free(s);
		return NULL;
	}
	s[n] = '\0';
	*len = n;
	return s;
}

static void token_code_grant(struct br_req *r, const struct br_sso_form *f)
{
	const struct br_config *cfg = r->snap->cfg;
	struct br_seal_keys keys = seal_keys(cfg);
	struct br_sso_code c;
	struct br_error err;
	time_t now = time(NULL);

	if (f->code == NULL || f->redirect_uri == NULL || f->code_verifier == NULL) {
		token_error(r, 400, "invalid_request",
		            "code, redirect_uri and code_verifier are required");
		return;
	}
	if (br_sso_code_open(&keys, f->code, now, &c, &err) != 0) {
		r->log_note = err.msg;
		token_error(r, 400, "invalid_grant", "the code is not valid or has expired");
		return;
	}
	if (strcmp(c.client_id, f->client_id) != 0 ||
	    strcmp(c.redirect_uri, f->redirect_uri) != 0) {
		r->log_note = "code for another client_id or redirect_uri";
		token_error(r, 400, "invalid_grant",
		            "the code was issued for another client_id or redirect_uri");
		goto out;
	}
	if (!br_sso_pkce_ok(f->code_verifier, c.challenge)) {
		r->log_note = "PKCE verifier does not match";
		token_error(r, 400, "invalid_grant", "the code_verifier does not match");
		goto out;
	}
	r->log_note = "native SSO code exchanged";
	/* the token was made at /callback: what is left of it (RFC 6749 5.1) */
	send_token_answer(r, c.access_token, br_sso_code_expires_in(&c, now), c.sub, c.nonce,
	                  c.refresh_token);
out:
	br_sso_code_clear(&c);
}

/* grant_type=refresh_token: the renewal flow of a renewal handle, for the
 * handle's room; a token endpoint has no login page to fall back to, so
 * everything that fails is invalid_grant. */
static void token_refresh_grant(struct br_req *r, const struct br_sso_form *f)
{
	const struct br_config *cfg = r->snap->cfg;
	struct br_seal_keys keys = seal_keys(cfg);
	struct login *l;
	struct br_error err;

	if (f->refresh_token == NULL) {
		token_error(r, 400, "invalid_request", "refresh_token is required");
		return;
	}
	l = calloc(1, sizeof(*l));
	if (l == NULL) {
		token_error(r, 500, "server_error", "out of memory");
		return;
	}
	l->r = r;
	l->token_grant = true;
	l->renewing = true;
	if (br_session_handle_open(&keys, f->refresh_token, time(NULL), &l->h, &err) != 0) {
		r->log_note = err.msg;
		br_metrics_renewal(BR_METRICS_RENEWAL_REFUSED);
		token_error(r, 400, "invalid_grant",
		            "the refresh_token is not valid or has expired");
		login_free(l);
		return;
	}
	if (l->h.refresh_token == NULL) {
		/* renewing without the IdP's refresh token needs its login page */
		r->log_note = "renewal handle without an IdP refresh token";
		br_metrics_renewal(BR_METRICS_RENEWAL_REFUSED);
		token_error(r, 400, "invalid_grant",
		            "this session cannot be renewed without signing in again");
		login_free(l);
		return;
	}
	if (br_state_new(&l->st, l->h.room, l->h.tenant, time(NULL), &err) != 0) {
		token_error(r, 500, "server_error", err.msg);
		login_free(l);
		return;
	}
	post_refresh_grant(l);
}

void br_oidc_token(struct br_req *r)
{
	const struct br_config *cfg = r->snap->cfg;
	const char *ctype = br_req_header(r, "Content-Type");
	const char *origin = br_req_header(r, "Origin");
	char jitsi_origin[BR_INLINE_ORIGIN_MAX];
	struct br_sso_form f = {0};
	struct br_error err;
	char *body = NULL;
	size_t len = 0, n;

	/* sso.html's fetch is a CORS "simple" request (a form POST without
	 * credentials): no preflight, only this header, and only for Jitsi. */
	br_req_add_header(r, "Vary", "Origin");
	if (origin != NULL && br_inline_origin(cfg->jitsi_url, jitsi_origin) == 0 &&
	    strcmp(origin, jitsi_origin) == 0)
		br_req_add_header(r, "Access-Control-Allow-Origin", jitsi_origin);
	n = strlen("application/x-www-form-urlencoded");
	if (ctype == NULL || strncasecmp(ctype, "application/x-www-form-urlencoded", n) != 0 ||
	    (ctype[n] != '\0' && ctype[n] != ';')) {
		token_error(r, 400, "invalid_request",
		            "the body must be application/x-www-form-urlencoded");
		return;
	}
	body = request_body(r, &len);
	if (body == NULL) {
		token_error(r, 500, "server_error", "out of memory");
		return;
	}
	if (br_sso_form_parse(body, len, &f, &err) != 0) {
		token_error(r, 400, "invalid_request", err.msg);
		goto out;
	}
	if (f.grant_type == NULL) {
		token_error(r, 400, "invalid_request", "grant_type is required");
		goto out;
	}
	if (f.client_id == NULL || strcmp(f.client_id, cfg->sso_client_id) != 0) {
		token_error(r, 401, "invalid_client", "unknown client_id");
		goto out;
	}
	if (strcmp(f.grant_type, "authorization_code") == 0)
		token_code_grant(r, &f);
	else if (strcmp(f.grant_type, "refresh_token") == 0)
		token_refresh_grant(r, &f);
	else
		token_error(r, 400, "unsupported_grant_type",
		            "grant_type must be authorization_code or refresh_token");
out:
	br_sso_form_clear(&f);
	br_strbuf_wipe_free(body);
}

const struct br_route br_oidc_routes[] = {
        {"/login", false, false, br_oidc_login, false, false},
        {"/callback", false, false, br_oidc_callback, false, false},
        {"/logout", false, false, br_oidc_logout, false, false},
        {"/authorize", false, false, br_oidc_authorize, false, true},
        {"/token", false, false, br_oidc_token, true, true},
};
const size_t br_oidc_n_routes = sizeof(br_oidc_routes) / sizeof(br_oidc_routes[0]);
