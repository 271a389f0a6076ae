/*
 * sso.c - the pure parts of Jitsi's native SSO token service: the sealed
 * request cookie and code, PKCE S256, the strict token form, the ID token
 * and the state encoding sso.html expects.
 *
 * Sealed values are JSON objects with short member names, sealed by seal.c
 * under their own purpose labels, so neither opens as a renewal handle, a
 * logout hint or the other.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/crypto.h>

#include "bridge/b64url.h"
#include "bridge/keys.h"
#include "bridge/sso.h"
#include "bridge/state.h"
#include "bridge/strbuf.h"
#include "bridge/token.h"

/* A string member, copied; NULL when absent.  *ok false when present but
 * not a non-empty string of at most max bytes, or out of memory. */
static char *take_str(const json_t *doc, const char *name, size_t max, bool required, bool *ok)
{
	const json_t *v = json_object_get(doc, name);
	char *s;

	if (v == NULL) {
		if (required)
			*ok = false;
		return NULL;
	}
	if (!json_is_string(v) || json_string_length(v) == 0 || json_string_length(v) > max ||
	    strlen(json_string_value(v)) != json_string_length(v)) {
		*ok = false;
		return NULL;
	}
	s = strdup(json_string_value(v));
	if (s == NULL)
		*ok = false;
	return s;
}

/* Seals doc (consumed) for purpose. */
static char *seal_json(const unsigned char key[BR_SEAL_KEY_LEN], const char *purpose, json_t *doc,
                       struct br_error *err)
{
	char *plain, *text;

	if (doc == NULL) {
		br_error_set(err, BR_E_NOMEM, "out of memory");
		return NULL;
	}
	plain = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	if (plain == NULL) {
		br_error_set(err, BR_E_NOMEM, "out of memory");
		return NULL;
	}
	text = br_seal(key, purpose, (const unsigned char *)plain, strlen(plain), err);
	br_strbuf_wipe_free(plain);
	return text;
}

/* Opens text for purpose as a JSON object. */
static json_t *open_json(const struct br_seal_keys *keys, const char *purpose, const char *text,
                         size_t max, const char *what, struct br_error *err)
{
	unsigned char *plain;
	size_t len = 0;
	json_error_t jerr;
	json_t *doc;

	plain = br_seal_open(keys, purpose, text, max, &len, NULL, err);
	if (plain == NULL)
		return NULL;
	doc = json_loadb((const char *)plain, len, JSON_REJECT_DUPLICATES, &jerr);
	OPENSSL_cleanse(plain, len);
	free(plain);
	if (!json_is_object(doc)) {
		json_decref(doc);
		br_error_set(err, BR_E_STATE, "%s is malformed", what);
		return NULL;
	}
	return doc;
}

/* --- the request cookie -------------------------------------------------------- */

char *br_sso_request_seal(const unsigned char key[BR_SEAL_KEY_LEN],
                          const struct br_sso_request *req, struct br_error *err)
{
	json_t *doc;

	if (strlen(req->state) != 22 || req->challenge == NULL || req->jitsi_state == NULL ||
	    strlen(req->jitsi_state) > BR_SSO_STATE_MAX ||
	    (req->nonce != NULL && strlen(req->nonce) > BR_SSO_NONCE_MAX)) {
		br_error_set(err, BR_E_INVALID, "native SSO request fields malformed");
		return NULL;
	}
	doc = json_pack("{s:s, s:s, s:s}", "s", req->state, "js", req->jitsi_state, "cc",
	                req->challenge);
	if (doc != NULL && req->nonce != NULL &&
	    json_object_set_new(doc, "n", json_string(req->nonce)) != 0) {
		json_decref(doc);
		doc = NULL;
	}
	return seal_json(key, BR_SEAL_SSO_REQUEST, doc, err);
}

int br_sso_request_open(const struct br_seal_keys *keys, const char *text, const char *state,
                        struct br_sso_request *out, struct br_error *err)
{
	json_t *doc;
	const json_t *s;
	bool ok = true;

	memset(out, 0, sizeof(*out));
	doc = open_json(keys, BR_SEAL_SSO_REQUEST, text, BR_SSO_REQUEST_TEXT_MAX,
	                "the native SSO request", err);
	if (doc == NULL)
		return -1;
	s = json_object_get(doc, "s");
	if (!json_is_string(s) || json_string_length(s) != 22 ||
	    !br_state_equal(json_string_value(s), state)) {
		json_decref(doc);
		br_error_set(err, BR_E_STATE, "the native SSO request is for another login");
		return -1;
	}
	memcpy(out->state, json_string_value(s), 23);
	out->jitsi_state = take_str(doc, "js", BR_SSO_STATE_MAX, true, &ok);
	out->challenge = take_str(doc, "cc", 43, true, &ok);
	out->nonce = take_str(doc, "n", BR_SSO_NONCE_MAX, false, &ok);
	json_decref(doc);
	if (!ok) {
		br_sso_request_clear(out);
		br_error_set(err, BR_E_STATE, "the native SSO request is malformed");
		return -1;
	}
	return 0;
}

void br_sso_cookie_name(const char *state, char name[32])
{
	snprintf(name, 32, "%s%.8s", BR_STATE_COMPANION_PREFIX, state);
}

int br_sso_request_from_header(const struct br_seal_keys *keys, const char *cookie_header,
                               const char *state, struct br_sso_request *out, struct br_error *err)
{
	char name[32];
	size_t nlen;
	const char *p = cookie_header;

	memset(out, 0, sizeof(*out));
	br_sso_cookie_name(state, name);
	nlen = strlen(name);
	while (p != NULL && *p != '\0') {
		const char *end;
		p += strspn(p, " \t;");
		end = strchr(p, ';');
		if (end == NULL)
			end = p + strlen(p);
		if ((size_t)(end - p) > nlen + 1 && strncmp(p, name, nlen) == 0 && p[nlen] == '=') {
			size_t vlen = (size_t)(end - p) - nlen - 1;
			char *v = vlen <= BR_SSO_REQUEST_TEXT_MAX ? strndup(p + nlen + 1, vlen)
			                                          : NULL;
			int rc = v != NULL ? br_sso_request_open(keys, v, state, out, NULL) : -1;
			free(v);
			if (rc == 0)
				return 0;
		}
		p = end;
	}
	br_error_set(err, BR_E_STATE, "native SSO request cookie missing");
	return -1;
}

void br_sso_request_clear(struct br_sso_request *req)
{
	if (req == NULL)
		return;
	br_strbuf_wipe_free(req->jitsi_state);
	free(req->challenge);
	free(req->nonce);
	memset(req, 0, sizeof(*req));
}

/* --- the code -------------------------------------------------------------------- */

char *br_sso_code_seal(const unsigned char key[BR_SEAL_KEY_LEN], const struct br_sso_code *c,
                       struct br_error *err)
{
	json_t *doc;
	char *text;

	if (c->client_id == NULL || c->redirect_uri == NULL || c->challenge == NULL ||
	    c->sub == NULL || c->access_token == NULL) {
		br_error_set(err, BR_E_INTERNAL, "native SSO code fields missing");
		return NULL;
	}
	doc = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:I}", "e", (json_int_t)c->end, "c",
	                c->client_id, "r", c->redirect_uri, "cc", c->challenge, "sub", c->sub, "at",
	                c->access_token, "x", (json_int_t)c->expires_in);
	if (doc != NULL && c->nonce != NULL &&
	    json_object_set_new(doc, "n", json_string(c->nonce)) != 0)
		goto nomem;
	if (doc != NULL && c->refresh_token != NULL &&
	    json_object_set_new(doc, "rt", json_string(c->refresh_token)) != 0)
		goto nomem;
	text = seal_json(key, BR_SEAL_SSO_CODE, doc, err);
	if (text != NULL && strlen(text) > BR_SSO_CODE_TEXT_MAX) {
		br_strbuf_wipe_free(text);
		br_error_set(err, BR_E_INVALID, "the native SSO code would be too long");
		return NULL;
	}
	return text;
nomem:
	json_decref(doc);
	br_error_set(err, BR_E_NOMEM, "out of memory");
	return NULL;
}

int br_sso_code_open(const struct br_seal_keys *keys, const char *text, time_t now,
                     struct br_sso_code *out, struct br_error *err)
{
	json_t *doc;
	const json_t *e, *x;
	bool ok = true;

	memset(out, 0, sizeof(*out));
	doc = open_json(keys, BR_SEAL_SSO_CODE, text, BR_SSO_CODE_TEXT_MAX, "the code", err);
	if (doc == NULL)
		return -1;
	e = json_object_get(doc, "e");
	x = json_object_get(doc, "x");
	if (!json_is_integer(e) || !json_is_integer(x)) {
		json_decref(doc);
		br_error_set(err, BR_E_STATE, "the code is malformed");
		return -1;
	}
	out->end = (time_t)json_integer_value(e);
	out->expires_in = (long)json_integer_value(x);
	out->client_id = take_str(doc, "c", 1024, true, &ok);
	out->redirect_uri = take_str(doc, "r", 2048, true, &ok);
	out->challenge = take_str(doc, "cc", 43, true, &ok);
	out->sub = take_str(doc, "sub", 1024, true, &ok);
	out->access_token = take_str(doc, "at", BR_SSO_CODE_TEXT_MAX, true, &ok);
	out->nonce = take_str(doc, "n", BR_SSO_NONCE_MAX, false, &ok);
	out->refresh_token = take_str(doc, "rt", BR_SSO_CODE_TEXT_MAX, false, &ok);
	json_decref(doc);
	if (!ok) {
		br_sso_code_clear(out);
		br_error_set(err, BR_E_STATE, "the code is malformed");
		return -1;
	}
	/* never valid longer than a code can be, whatever end it holds */
	if (now >= out->end || out->end - now > BR_SSO_CODE_LIFETIME + 60) {
		br_sso_code_clear(out);
		br_error_set(err, BR_E_STATE, "code expired");
		return -1;
	}
	return 0;
}

void br_sso_code_clear(struct br_sso_code *c)
{
	if (c == NULL)
		return;
	free(c->client_id);
	free(c->redirect_uri);
	free(c->challenge);
	free(c->nonce);
	free(c->sub);
	br_strbuf_wipe_free(c->access_token);
	br_strbuf_wipe_free(c->refresh_token);
	memset(c, 0, sizeof(*c));
}

long br_sso_code_expires_in(const struct br_sso_code *c, time_t now)
{
	time_t issued = c->end - BR_SSO_CODE_LIFETIME;

	if (c->expires_in <= 0)
		return 0;
	if (now <= issued) /* another replica's clock ahead of ours */
		return c->expires_in;
	if (now - issued >= c->expires_in)
		return 0;
	return c->expires_in - (long)(now - issued);
}

/* --- PKCE ------------------------------------------------------------------------ */

bool br_sso_challenge_valid(const char *s)
{
	return s != NULL && strlen(s) == 43 && br_b64url_chars(s, 43);
}

bool br_sso_pkce_ok(const char *verifier, const char *challenge)
{
	char computed[44];
	size_t n;

	if (verifier == NULL || challenge == NULL || !br_sso_challenge_valid(challenge))
		return false;
	n = strlen(verifier);
	if (n < 43 || n > 128)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)verifier[i];
		if (!isalnum(c) && c != '-' && c != '.' && c != '_' && c != '~')
			return false;
	}
	/* br_state_challenge() hashes any NUL-terminated verifier. */
	if (br_state_challenge(verifier, computed) != 0)
		return false;
	return br_state_equal(computed, challenge);
}

/* --- the token form -------------------------------------------------------------- */

/* Decodes s[0..n) (form-urlencoded) into a new string; NULL when malformed
 * (bad %XX, NUL) or out of memory. */
static char *form_decode(const char *s, size_t n)
{
	char *out = malloc(n + 1), *o = out;

	if (out == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '+') {
			*o++ = ' ';
		} else if (s[i] == '%') {
			if (i + 2 >= n) { /* fewer than two characters left */
				free(out);
				return NULL;
			}
			int a = OPENSSL_hexchar2int((unsigned char)s[i + 1]),
			    b = OPENSSL_hexchar2int((unsigned char)s[i + 2]);
			if (a < 0 || b < 0 || (a == 0 && b == 0)) {
				free(out);
				return NULL;
			}
			*o++ = (char)(a << 4 | b);
			i += 2;
		} else {
			*o++ = s[i];
		}
	}
	*o = '\0';
	return out;
}

int br_sso_form_parse(const char *body, size_t len, struct br_sso_form *out, struct br_error *err)
{
	struct {
		const char *name;
		char **slot;
	} known[] = {
	        {"grant_type", &out->grant_type},       {"code", &out->code},
	        {"redirect_uri", &out->redirect_uri},   {"client_id", &out->client_id},
	        {"code_verifier", &out->code_verifier}, {"refresh_token", &out->refresh_token},
	};
	bool seen[sizeof(known) / sizeof(known[0])] = {false};
	size_t i = 0;

	memset(out, 0, sizeof(*out));
	if (memchr(body, '\0', len) != NULL) {
		br_error_set(err, BR_E_INVALID, "the request body holds a NUL byte");
		return -1;
	}
	while (i < len) {
		size_t end = i, eq;
		char *name, *value;
		size_t k;

		while (end < len && body[end] != '&')
			end++;
		if (end == i) { /* an empty pair ("a=1&&b=2", a trailing '&') */
			i = end + 1;
			continue;
		}
		for (eq = i; eq < end && body[eq] != '='; eq++)
			;
		if (eq == end) {
			br_error_set(err, BR_E_INVALID, "a form parameter has no '='");
			goto fail;
		}
		name = form_decode(body + i, eq - i);
		value = form_decode(body + eq + 1, end - eq - 1);
		if (name == NULL || value == NULL) {
			free(name);
			br_strbuf_wipe_free(value);
			br_error_set(err, BR_E_INVALID, "a form parameter is malformed");
			goto fail;
		}
		for (k = 0; k < sizeof(known) / sizeof(known[0]); k++)
			if (strcmp(name, known[k].name) == 0)
				break;
		if (k < sizeof(known) / sizeof(known[0])) {
			if (seen[k]) {
				br_error_set(err, BR_E_INVALID, "the parameter %s is given twice",
				             known[k].name);
				free(name);
				br_strbuf_wipe_free(value);
				goto fail;
			}
			seen[k] = true;
			if (*value != '\0') {
				*known[k].slot = value;
				value = NULL;
			}
		}
		free(name);
		br_strbuf_wipe_free(value);
		i = end + 1;
	}
	return 0;
fail:
	br_sso_form_clear(out);
	return -1;
}

void br_sso_form_clear(struct br_sso_form *f)
{
	free(f->grant_type);
	br_strbuf_wipe_free(f->code);
	free(f->redirect_uri);
	free(f->client_id);
	br_strbuf_wipe_free(f->code_verifier);
	br_strbuf_wipe_free(f->refresh_token);
	memset(f, 0, sizeof(*f));
}

/* --- encoding, the ID token, the state -------------------------------------------------- */

char *br_sso_uri_encode(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	char *out = malloc(3 * strlen(s) + 1), *o = out;

	if (out == NULL)
		return NULL;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (isalnum(c) || strchr("-_.!~*'()", c) != NULL) {
			*o++ = (char)c;
		} else {
			*o++ = '%';
			*o++ = hex[c >> 4];
			*o++ = hex[c & 15];
		}
	}
	*o = '\0';
	return out;
}

char *br_sso_id_token(const struct br_keys *keys, const char *iss, const char *aud, const char *sub,
                      const char *nonce, time_t now, struct br_error *err)
{
	json_t *claims;
	char *token = NULL;

	claims = json_pack("{s:s, s:s, s:s, s:I, s:I}", "iss", iss, "aud", aud, "sub", sub, "iat",
	                   (json_int_t)now, "exp", (json_int_t)(now + BR_SSO_ID_TOKEN_LIFETIME));
	if (claims == NULL ||
	    (nonce != NULL && json_object_set_new(claims, "nonce", json_string(nonce)) != 0)) {
		br_error_set(err, BR_E_NOMEM, "out of memory");
		goto out;
	}
	token = br_token_sign(keys, claims, err);
out:
	json_decref(claims);
	return token;
}

int br_sso_state_strip(const char *json, char **out, char **handle, struct br_error *err)
{
	json_error_t jerr;
	json_t *doc = json_loads(json, JSON_REJECT_DUPLICATES, &jerr);
	const json_t *v;

	*out = *handle = NULL;
	if (!json_is_object(doc)) {
		json_decref(doc);
		br_error_set(err, BR_E_INVALID, "the state parameter is not a JSON object");
		return -1;
	}
	v = json_object_get(doc, "refreshToken");
	if (v == NULL) {
		*out = strdup(json);
	} else {
		if (json_is_string(v))
			*handle = strdup(json_string_value(v));
		json_object_del(doc, "refreshToken");
		*out = json_dumps(doc, JSON_COMPACT);
	}
	json_decref(doc);
	if (*out == NULL) {
		br_strbuf_wipe_free(*handle);
		*handle = NULL;
		br_error_set(err, BR_E_NOMEM, "out of memory");
		return -1;
	}
	return 0;
}
