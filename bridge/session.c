/*
 * session.c - the renewal handle and the logout hint, sealed.
 *
 * Plaintext records, parsed with exact lengths (big-endian integers):
 *
 *   handle: u8 version (1) | i64 issued | i64 end |
 *           6 × (u16 len | bytes): sub, user_id, room, tenant, nonce,
 *           refresh_token   (len 0: absent for room, tenant, refresh_token)
 *   hint:   u8 version (1) | i64 end | u16 len | id_token
 *
 * Each is sealed with its own purpose label (seal.h), so neither opens as
 * the other, nor as a login state.
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "bridge/seal.h"
#include "bridge/session.h"
#include "bridge/strbuf.h"

#define SESSION_VERSION 1

static void put_i64(struct br_strbuf *b, time_t t)
{
	uint64_t v = (uint64_t)(int64_t)t;
	char out[8];

	for (int i = 0; i < 8; i++)
		out[i] = (char)(v >> ((7 - i) * 8));
	br_strbuf_add(b, out, 8);
}

static void put_str(struct br_strbuf *b, const char *s)
{
	size_t n = s != NULL ? strlen(s) : 0;
	char len[2] = {(char)(n >> 8), (char)n};

	br_strbuf_add(b, len, 2);
	if (n > 0)
		br_strbuf_add(b, s, n);
}

struct reader {
	const unsigned char *p, *end;
	bool ok;
};

static time_t get_i64(struct reader *r)
{
	uint64_t v = 0;

	if (r->end - r->p < 8) {
		r->ok = false;
		return 0;
	}
	for (int i = 0; i < 8; i++)
		v = v << 8 | *r->p++;
	return (time_t)(int64_t)v;
}

/* A string field: NULL when empty (and not required), or on error. */
static char *get_str(struct reader *r, size_t max, bool required)
{
	size_t n;
	char *s;

	if (!r->ok || r->end - r->p < 2) {
		r->ok = false;
		return NULL;
	}
	n = (size_t)r->p[0] << 8 | r->p[1];
	r->p += 2;
	if (n > max || (size_t)(r->end - r->p) < n || memchr(r->p, '\0', n) != NULL ||
	    (required && n == 0)) {
		r->ok = false;
		return NULL;
	}
	if (n == 0)
		return NULL;
	s = malloc(n + 1);
	if (s == NULL) {
		r->ok = false;
		return NULL;
	}
	memcpy(s, r->p, n);
	s[n] = '\0';
	r->p += n;
	return s;
}

static bool fits(const char *s, size_t max, bool required)
{
	if (s == NULL)
		return !required;
	return strlen(s) <= max && (!required || *s != '\0');
}

static char *seal_buf(const unsigned char key[BR_SEAL_KEY_LEN], const char *purpose,
                      struct br_strbuf *b, struct br_error *err)
{
	size_t len = 0;
	char *plain = br_strbuf_finish(b, &len);
	char *text;

	if (plain == NULL) {
		br_error_set(err, BR_E_NOMEM, "out of memory");
		return NULL;
	}
	text = br_seal(key, purpose, (const unsigned char *)plain, len, err);
	OPENSSL_cleanse(plain, len);
	free(plain);
	return text;
}

/* --- the renewal handle ------------------------------------------------------- */

char *br_session_handle_seal(const unsigned char key[BR_SEAL_KEY_LEN],
                             const struct br_session_handle *h, struct br_error *err)
{
	struct br_strbuf b = {.secret = true};
	char version = SESSION_VERSION;

	if (!fits(h->sub, BR_SESSION_FIELD_MAX, true) ||
	    !fits(h->user_id, BR_SESSION_FIELD_MAX, true) ||
	    !fits(h->room, BR_SESSION_FIELD_MAX, false) ||
	    !fits(h->tenant, BR_SESSION_FIELD_MAX, false) ||
	    !fits(h->nonce, BR_SESSION_FIELD_MAX, true)) {
		br_error_set(err, BR_E_INVALID, "a renewal handle field is missing or too long");
		return NULL;
	}
	if (!fits(h->refresh_token, BR_SESSION_REFRESH_MAX, false)) {
		br_error_set(err, BR_E_INVALID, "the IdP's refresh token is too long to keep");
		return NULL;
	}
	br_strbuf_add(&b, &version, 1);
	put_i64(&b, h->issued);
	put_i64(&b, h->end);
	put_str(&b, h->sub);
	put_str(&b, h->user_id);
	put_str(&b, h->room);
	put_str(&b, h->tenant);
	put_str(&b, h->nonce);
	put_str(&b, h->refresh_token);
	return seal_buf(key, BR_SEAL_RENEWAL, &b, err);
}

void br_session_handle_clear(struct br_session_handle *h)
{
	if (h == NULL)
		return;
	br_strbuf_wipe_free(h->sub);
	br_strbuf_wipe_free(h->user_id);
	br_strbuf_wipe_free(h->room);
	br_strbuf_wipe_free(h->tenant);
	br_strbuf_wipe_free(h->nonce);
	br_strbuf_wipe_free(h->refresh_token);
	memset(h, 0, sizeof(*h));
}

int br_session_handle_open(const struct br_seal_keys *keys, const char *text, time_t now,
                           struct br_session_handle *out, struct br_error *err)
{
	unsigned char *plain;
	size_t len = 0;
	struct reader r;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	plain = br_seal_open(keys, BR_SEAL_RENEWAL, text, BR_SESSION_HANDLE_TEXT_MAX, &len, NULL,
	                     err);
	if (plain == NULL) {
		br_error_prefix(err, "renewal handle");
		return -1;
	}
	r.p = plain;
	r.end = plain + len;
	r.ok = len > 0 && plain[0] == SESSION_VERSION;
	if (r.ok) {
		r.p++;
		out->issued = get_i64(&r);
		out->end = get_i64(&r);
		out->sub = get_str(&r, BR_SESSION_FIELD_MAX, true);
		out->user_id = get_str(&r, BR_SESSION_FIELD_MAX, true);
		out->room = get_str(&r, BR_SESSION_FIELD_MAX, false);
		out->tenant = get_str(&r, BR_SESSION_FIELD_MAX, false);
		out->nonce = get_str(&r, BR_SESSION_FIELD_MAX, true);
		out->refresh_token = get_str(&r, BR_SESSION_REFRESH_MAX, false);
	}
	if (!r.ok || r.p != r.end) {
		br_error_set(err, BR_E_STATE, "renewal handle malformed");
		goto out;
	}
	if (out->issued > now + BR_SESSION_FUTURE_SKEW) {
		br_error_set(err, BR_E_STATE, "renewal handle from the future");
		goto out;
	}
	if (now >= out->end) {
		br_error_set(err, BR_E_STATE, "renewal handle expired");
		goto out;
	}
	rc = 0;
out:
	if (rc != 0)
		br_session_handle_clear(out);
	OPENSSL_cleanse(plain, len);
	free(plain);
	return rc;
}

/* --- the logout hint ------------------------------------------------------------- */

char *br_session_hint_seal(const unsigned char key[BR_SEAL_KEY_LEN], const char *id_token,
                           time_t end, struct br_error *err)
{
	struct br_strbuf b = {.secret = true};
	char version = SESSION_VERSION;

	if (!fits(id_token, BR_SESSION_ID_TOKEN_MAX, true)) {
		br_error_set(err, BR_E_INVALID,
		             "the ID token is too long to keep as a logout hint");
		return NULL;
	}
	br_strbuf_add(&b, &version, 1);
	put_i64(&b, end);
	put_str(&b, id_token);
	return seal_buf(key, BR_SEAL_LOGOUT_HINT, &b, err);
}

char *br_session_hint_open(const struct br_seal_keys *keys, const char *text, time_t now,
                           struct br_error *err)
{
	unsigned char *plain;
	size_t len = 0;
	struct reader r;
	char *id_token = NULL;
	time_t end = 0;

	plain = br_seal_open(keys, BR_SEAL_LOGOUT_HINT, text, BR_SESSION_HINT_TEXT_MAX, &len, NULL,
	                     err);
	if (plain == NULL) {
		br_error_prefix(err, "logout hint");
		return NULL;
	}
	r.p = plain;
	r.end = plain + len;
	r.ok = len > 0 && plain[0] == SESSION_VERSION;
	if (r.ok) {
		r.p++;
		end = get_i64(&r);
		id_token = get_str(&r, BR_SESSION_ID_TOKEN_MAX, true);
	}
	if (!r.ok || r.p != r.end) {
		br_error_set(err, BR_E_STATE, "logout hint malformed");
		goto fail;
	}
	if (now >= end) {
		br_error_set(err, BR_E_STATE, "logout hint expired");
		goto fail;
	}
	goto out;
fail:
	br_strbuf_wipe_free(id_token);
	id_token = NULL;
out:
	OPENSSL_cleanse(plain, len);
	free(plain);
	return id_token;
}

char *br_session_hint_from_cookies(const struct br_seal_keys *keys, const char *cookie_header,
                                   time_t now)
{
	static const char name[] = BR_SESSION_HINT_COOKIE;
	const char *p = cookie_header != NULL ? cookie_header : "";

	while (*p != '\0') {
		const char *end, *v;
		size_t vlen;

		while (*p == ' ' || *p == '\t' || *p == ';')
			p++;
		end = strchr(p, ';');
		if (end == NULL)
			end = p + strlen(p);
		if ((size_t)(end - p) > sizeof(name) && memcmp(p, name, sizeof(name) - 1) == 0 &&
		    p[sizeof(name) - 1] == '=') {
			v = p + sizeof(name);
			vlen = (size_t)(end - v);
			while (vlen > 0 && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t'))
				vlen--;
			if (vlen <= BR_SESSION_HINT_TEXT_MAX) {
				char buf[BR_SESSION_HINT_TEXT_MAX + 1];
				char *id_token;

				memcpy(buf, v, vlen);
				buf[vlen] = '\0';
				id_token = br_session_hint_open(keys, buf, now, NULL);
				if (id_token != NULL)
					return id_token;
			}
		}
		p = end;
	}
	return NULL;
}
