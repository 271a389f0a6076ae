/*
 * state.c - the sealed login state cookie.
 *
 * The cookie value is base64url(IV(12) || ciphertext || tag(16)), AES-256-GCM
 * under the state key with the cookie name as additional data, so a value
 * cannot be moved to another name.  The plaintext is a small versioned binary
 * record, parsed with exact lengths:
 *
 *   u8 version (2) | i64 created (big-endian) | u8 flags |
 *   state[22] | nonce[22] | verifier[43] |
 *   u16 room_len | room | u16 tenant_len | tenant |
 *   then optional fields, each u8 tag | u16 len | bytes, in tag order:
 *     tag 1: Jitsi's overrides (the fragment tail, br_jitsi_overrides_valid())
 *   (later tags: the inline login's nonce, a renewal handle).
 *
 * flags: bit 0 prompt_none, bit 1 room present, bit 2 tenant present,
 * bits 3-4 the app the login started in (enum br_jitsi_app), bit 5 popup
 * (Jitsi's inline mode), bit 6 sso (Jitsi's native SSO: a jitsi_sso_*
 * cookie of the same state holds its request).  An unknown tag, a tag
 * out of order or a malformed value makes the record malformed: a bridge
 * never guesses at what a newer one sealed.  Version 1 (no optional
 * fields, app, popup and sso bits 0) is still opened.
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "bridge/error.h"
#include "bridge/evp.h"
#include "bridge/b64url.h"
#include "bridge/state.h"

#define STATE_VERSION 2
#define IV_LEN        12
#define TAG_LEN       16
#define STATE_LEN     22
#define VERIFIER_LEN  43
#define FIXED_LEN     (1 + 8 + 1 + STATE_LEN + STATE_LEN + VERIFIER_LEN + 2 + 2)
#define PREFIX_LEN    (sizeof(BR_STATE_COOKIE_PREFIX) - 1)
#define MAX_LIST      64

#define F_PROMPT_NONE 1u
#define F_ROOM        2u
#define F_TENANT      4u
#define F_APP_SHIFT   3
#define F_APP_MASK    (3u << F_APP_SHIFT)
#define F_POPUP       32u
#define F_SSO         64u /* Jitsi's native SSO */

#define TAG_OVERRIDES 1

int br_state_new(struct br_login_state *st, const char *room, const char *tenant, time_t now,
                 struct br_error *err)
{
	unsigned char rnd[16 + 16 + 32];

	memset(st, 0, sizeof(*st));
	st->created = now;
	/* One draw for all three: each RAND_bytes call costs a getpid(). */
	if (RAND_bytes(rnd, sizeof(rnd)) != 1) {
		br_error_set(err, BR_E_INTERNAL, "random generator failed");
		goto fail;
	}
	br_b64url_encode(rnd, 16, st->state);
	br_b64url_encode(rnd + 16, 16, st->nonce);
	br_b64url_encode(rnd + 32, 32, st->verifier);
	OPENSSL_cleanse(rnd, sizeof(rnd));
	if ((room != NULL && (st->room = strdup(room)) == NULL) ||
	    (tenant != NULL && (st->tenant = strdup(tenant)) == NULL)) {
		br_error_set(err, BR_E_NOMEM, "out of memory");
		goto fail;
	}
	return 0;
fail:
	br_state_clear(st);
	return -1;
}

void br_state_clear(struct br_login_state *st)
{
	if (st == NULL)
		return;
	free(st->room);
	free(st->tenant);
	free(st->overrides);
	OPENSSL_cleanse(st, sizeof(*st));
	st->room = NULL;
	st->tenant = NULL;
	st->overrides = NULL;
}

int br_state_challenge(const char *verifier, char out[44])
{
	unsigned char hash[32];
	unsigned int len = 0;

	if (EVP_Digest(verifier, strlen(verifier), hash, &len, br_evp_sha256(), NULL) != 1 ||
	    len != sizeof(hash)) {
		out[0] = '\0';
		return -1;
	}
	br_b64url_encode(hash, sizeof(hash), out);
	return 0;
}

int br_state_cookie_name(const char *state, char name[BR_STATE_COOKIE_NAME_MAX],
                         struct br_error *err)
{
	if (state == NULL || strlen(state) != STATE_LEN || !br_b64url_chars(state, STATE_LEN)) {
		br_error_set(err, BR_E_STATE, "login state parameter malformed");
		return -1;
	}
	memcpy(name, BR_STATE_COOKIE_PREFIX, PREFIX_LEN);
	memcpy(name + PREFIX_LEN, state, 8);
	name[PREFIX_LEN + 8] = '\0';
	return 0;
}

static bool valid_field(const char *s)
{
	return s == NULL || strlen(s) <= BR_STATE_FIELD_MAX;
}

char *br_state_seal(const unsigned char key[BR_STATE_KEY_LEN], const struct br_login_state *st,
                    char cookie_name[BR_STATE_COOKIE_NAME_MAX], struct br_error *err)
{
	size_t room_len = st->room != NULL ? strlen(st->room) : 0;
	size_t tenant_len = st->tenant != NULL ? strlen(st->tenant) : 0;
	size_t over_len = st->overrides != NULL ? strlen(st->overrides) : 0;
	size_t plain_len = FIXED_LEN + room_len + tenant_len + (over_len > 0 ? 3 + over_len : 0);
	unsigned char *plain = NULL, *sealed = NULL, *p;
	char *value = NULL;
	EVP_CIPHER_CTX *ctx = NULL;
	uint64_t created = (uint64_t)(int64_t)st->created;
	int outl = 0, finl = 0;

	if (br_state_cookie_name(st->state, cookie_name, err) < 0)
		goto out;
	if (strlen(st->nonce) != STATE_LEN || strlen(st->verifier) != VERIFIER_LEN ||
	    !valid_field(st->room) || !valid_field(st->tenant) ||
	    (unsigned)st->app > BR_JITSI_ELECTRON ||
	    (st->overrides != NULL && !br_jitsi_overrides_valid(st->overrides))) {
		br_error_set(err, BR_E_INTERNAL, "login state fields malformed");
		goto out;
	}
	plain = malloc(plain_len);
	sealed = malloc(IV_LEN + plain_len + TAG_LEN);
	value = malloc(br_b64url_len(IV_LEN + plain_len + TAG_LEN) + 1);
	if (plain == NULL || sealed == NULL || value == NULL) {
		br_error_set(err, BR_E_NOMEM, "out of memory");
		goto fail;
	}
	p = plain;
	*p++ = STATE_VERSION;
	for (int i = 7; i >= 0; i--)
		*p++ = (unsigned char)(created >> (i * 8));
	*p++ = (unsigned char)((st->prompt_none ? F_PROMPT_NONE : 0) |
	                       (st->room != NULL ? F_ROOM : 0) |
	                       (st->tenant != NULL ? F_TENANT : 0) |
	                       ((unsigned)st->app << F_APP_SHIFT) | (st->popup ? F_POPUP : 0) |
	                       (st->sso ? F_SSO : 0));
	memcpy(p, st->state, STATE_LEN);
	p += STATE_LEN;
	memcpy(p, st->nonce, STATE_LEN);
	p += STATE_LEN;
	memcpy(p, st->verifier, VERIFIER_LEN);
	p += VERIFIER_LEN;
	*p++ = (unsigned char)(room_len >> 8);
	*p++ = (unsigned char)room_len;
	if (room_len > 0)
		memcpy(p, st->room, room_len);
	p += room_len;
	*p++ = (unsigned char)(tenant_len >> 8);
	*p++ = (unsigned char)tenant_len;
	if (tenant_len > 0)
		memcpy(p, st->tenant, tenant_len);
	p += tenant_len;
	if (over_len > 0) {
		*p++ = TAG_OVERRIDES;
		*p++ = (unsigned char)(over_len >> 8);
		*p++ = (unsigned char)over_len;
		memcpy(p, st->overrides, over_len);
	}

	ctx = EVP_CIPHER_CTX_new();
	if (ctx == NULL || RAND_bytes(sealed, IV_LEN) != 1 ||
	    EVP_EncryptInit_ex(ctx, br_evp_aes256gcm(), NULL, key, sealed) != 1 ||
	    EVP_EncryptUpdate(ctx, NULL, &outl, (const unsigned char *)cookie_name,
	                      (int)strlen(cookie_name)) != 1 ||
	    EVP_EncryptUpdate(ctx, sealed + IV_LEN, &outl, plain, (int)plain_len) != 1 ||
	    EVP_EncryptFinal_ex(ctx, sealed + IV_LEN + outl, &finl) != 1 ||
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, TAG_LEN, sealed + IV_LEN + plain_len) !=
	            1) {
		br_error_set(err, BR_E_INTERNAL, "sealing the login state failed");
		goto fail;
	}
	br_b64url_encode(sealed, IV_LEN + plain_len + TAG_LEN, value);
	/* Never set a cookie that br_state_open() would refuse. */
	if (strlen(value) > BR_STATE_COOKIE_MAX) {
		br_error_set(err, BR_E_INTERNAL, "the login state is too big for a cookie");
		goto fail;
	}
	goto out;
fail:
	free(value);
	value = NULL;
out:
	EVP_CIPHER_CTX_free(ctx);
	if (plain != NULL)
		OPENSSL_cleanse(plain, plain_len);
	free(plain);
	free(sealed);
	return value;
}

static char *take_field(const unsigned char **p, const unsigned char *end, bool present, bool *ok)
{
	size_t n;
	char *s;

	if (end - *p < 2) {
		*ok = false;
		return NULL;
	}
	n = (size_t)(*p)[0] << 8 | (*p)[1];
	*p += 2;
	if (n > BR_STATE_FIELD_MAX || (size_t)(end - *p) < n || (!present && n != 0) ||
	    memchr(*p, '\0', n) != NULL) {
		*ok = false;
		return NULL;
	}
	if (!present)
		return NULL;
	s = malloc(n + 1);
	if (s == NULL) {
		*ok = false;
		return NULL;
	}
	memcpy(s, *p, n);
	s[n] = '\0';
	*p += n;
	return s;
}

/* The optional tagged fields after the tenant. */
static int parse_optional(const unsigned char *p, const unsigned char *end,
                          struct br_login_state *out)
{
	unsigned last = 0;

	while (p < end) {
		unsigned tag;
		size_t n;

		if (end - p < 3)
			return -1;
		tag = p[0];
		n = (size_t)p[1] << 8 | p[2];
		p += 3;
		if (tag <= last || (size_t)(end - p) < n || n == 0 || memchr(p, '\0', n) != NULL)
			return -1;
		last = tag;
		switch (tag) {
		case TAG_OVERRIDES:
			if (n > BR_JITSI_OVERRIDES_MAX_BYTES)
				return -1;
			out->overrides = malloc(n + 1);
			if (out->overrides == NULL)
				return -1;
			memcpy(out->overrides, p, n);
			out->overrides[n] = '\0';
			if (!br_jitsi_overrides_valid(out->overrides))
				return -1;
			break;
		default:
			return -1;
		}
		p += n;
	}
	return 0;
}

/* Parses the plaintext record; -1 on any deviation. */
static int parse_plain(const unsigned char *plain, size_t len, struct br_login_state *out)
{
	const unsigned char *p = plain, *end = plain + len;
	uint64_t created = 0;
	unsigned flags;
	bool ok = true;

	if (len < FIXED_LEN)
		return -1;
	p++; /* version, checked by the caller */
	for (int i = 0; i < 8; i++)
		created = created << 8 | *p++;
	out->created = (time_t)(int64_t)created;
	flags = *p++;
	if ((flags & ~(F_PROMPT_NONE | F_ROOM | F_TENANT | F_APP_MASK | F_POPUP | F_SSO)) != 0 ||
	    (plain[0] == 1 && (flags & (F_APP_MASK | F_POPUP | F_SSO)) != 0))
		return -1;
	out->prompt_none = (flags & F_PROMPT_NONE) != 0;
	out->app = (enum br_jitsi_app)((flags & F_APP_MASK) >> F_APP_SHIFT);
	out->popup = (flags & F_POPUP) != 0;
	out->sso = (flags & F_SSO) != 0;
	memcpy(out->state, p, STATE_LEN);
	p += STATE_LEN;
	memcpy(out->nonce, p, STATE_LEN);
	p += STATE_LEN;
	memcpy(out->verifier, p, VERIFIER_LEN);
	p += VERIFIER_LEN;
	if (!br_b64url_chars(out->state, STATE_LEN) || !br_b64url_chars(out->nonce, STATE_LEN) ||
	    !br_b64url_chars(out->verifier, VERIFIER_LEN))
		return -1;
	out->room = take_field(&p, end, (flags & F_ROOM) != 0, &ok);
	if (ok)
		out->tenant = take_field(&p, end, (flags & F_TENANT) != 0, &ok);
	if (!ok)
		return -1;
	if (plain[0] == 1)
		return p == end ? 0 : -1;
	return parse_optional(p, end, out);
}

int br_state_open(const unsigned char key[BR_STATE_KEY_LEN], const char *cookie_name,
                  const char *value, time_t now, long login_timeout, struct br_login_state *out,
                  struct br_error *err)
{
	unsigned char *sealed = NULL, *plain = NULL;
	size_t vlen = value != NULL ? strnlen(value, BR_STATE_COOKIE_MAX + 1) : 0;
	size_t len = 0, plain_len = 0;
	EVP_CIPHER_CTX *ctx = NULL;
	int outl = 0, finl = 0, ret = -1;

	memset(out, 0, sizeof(*out));
	if (vlen > BR_STATE_COOKIE_MAX) {
		br_error_set(err, BR_E_STATE, "login state cookie too long");
		goto out;
	}
	sealed = br_b64url_decode(value != NULL ? value : "", vlen, &len);
	if (sealed == NULL) {
		br_error_set(err, BR_E_STATE, "login state cookie is not base64url");
		goto out;
	}
	if (len < IV_LEN + FIXED_LEN + TAG_LEN) {
		br_error_set(err, BR_E_STATE, "login state cookie too short");
		goto out;
	}
	plain_len = len - IV_LEN - TAG_LEN;
	plain = malloc(plain_len);
	ctx = EVP_CIPHER_CTX_new();
	if (plain == NULL || ctx == NULL) {
		br_error_set(err, BR_E_NOMEM, "out of memory");
		goto out;
	}
	if (EVP_DecryptInit_ex(ctx, br_evp_aes256gcm(), NULL, key, sealed) != 1 ||
	    EVP_DecryptUpdate(ctx, NULL, &outl, (const unsigned char *)cookie_name,
	                      (int)strlen(cookie_name)) != 1 ||
	    EVP_DecryptUpdate(ctx, plain, &outl, sealed + IV_LEN, (int)plain_len) != 1 ||
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, TAG_LEN, sealed + IV_LEN + plain_len) !=
	            1 ||
	    EVP_DecryptFinal_ex(ctx, plain + outl, &finl) != 1) {
		br_error_set(err, BR_E_STATE, "login state tampered");
		goto out;
	}
	if (plain[0] != STATE_VERSION && plain[0] != 1) {
		br_error_set(err, BR_E_STATE, "login state version unknown");
		goto out;
	}
	if (parse_plain(plain, plain_len, out) < 0) {
		br_error_set(err, BR_E_STATE, "login state malformed");
		goto out;
	}
	if (out->created > now + BR_STATE_FUTURE_SKEW) {
		br_error_set(err, BR_E_STATE, "login state from the future");
		goto out;
	}
	/* compared this way round so a huge created cannot overflow */
	if (out->created < now - login_timeout) {
		br_error_set(err, BR_E_STATE, "login expired");
		goto out;
	}
	ret = 0;
out:
	if (ret < 0)
		br_state_clear(out);
	EVP_CIPHER_CTX_free(ctx);
	if (plain != NULL)
		OPENSSL_cleanse(plain, plain_len);
	free(plain);
	free(sealed);
	return ret;
}

bool br_state_equal(const char *a, const char *b)
{
	size_t n = strlen(a);

	return n == strlen(b) && CRYPTO_memcmp(a, b, n) == 0;
}

/* --- Cookie header --------------------------------------------------------- */

/* Steps through "name=value; name=value" pairs: returns false at the end.
 * name and value point into the header and are not NUL terminated. */
static bool next_cookie(const char **pos, const char **name, size_t *name_len, const char **value,
                        size_t *value_len)
{
	const char *p = *pos, *end, *eq;

	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == ';')
			p++;
		if (*p == '\0')
			return false;
		end = strchr(p, ';');
		if (end == NULL)
			end = p + strlen(p);
		*pos = end;
		eq = memchr(p, '=', (size_t)(end - p));
		if (eq == NULL) {
			p = end;
			continue;
		}
		*name = p;
		*name_len = (size_t)(eq - p);
		while (*name_len > 0 && (p[*name_len - 1] == ' ' || p[*name_len - 1] == '\t'))
			(*name_len)--;
		*value = eq + 1;
		while (*value < end && (**value == ' ' || **value == '\t'))
			(*value)++;
		*value_len = (size_t)(end - *value);
		while (*value_len > 0 &&
		       ((*value)[*value_len - 1] == ' ' || (*value)[*value_len - 1] == '\t'))
			(*value_len)--;
		if (*value_len >= 2 && (*value)[0] == '"' && (*value)[*value_len - 1] == '"') {
			(*value)++;
			*value_len -= 2;
		}
		return true;
	}
}

static bool is_state_cookie_name(const char *name, size_t len)
{
	return len == PREFIX_LEN + 8 && memcmp(name, BR_STATE_COOKIE_PREFIX, PREFIX_LEN) == 0 &&
	       br_b64url_chars(name + PREFIX_LEN, 8);
}

/* The bytes the companion cookie of the login cookie named name
 * takes in the header ("name=value; "), 0 when it is not there. */
static size_t companion_bytes(const char *cookie_header, const char *name)
{
	const char *pos = cookie_header, *cname, *value;
	size_t cname_len, value_len, plen = strlen(BR_STATE_COMPANION_PREFIX);

	while (next_cookie(&pos, &cname, &cname_len, &value, &value_len))
		if (cname_len == plen + 8 && memcmp(cname, BR_STATE_COMPANION_PREFIX, plen) == 0 &&
		    memcmp(cname + plen, name + PREFIX_LEN, 8) == 0)
			return cname_len + 1 + value_len + 2;
	return 0;
}

/* Opens one value of a Cookie header (copied to cap and terminate it). */
static int open_value(const unsigned char key[BR_STATE_KEY_LEN], const char *name,
                      const char *value, size_t value_len, time_t now, long login_timeout,
                      struct br_login_state *out, struct br_error *err)
{
	char buf[BR_STATE_COOKIE_MAX + 1];

	if (value_len > BR_STATE_COOKIE_MAX) {
		memset(out, 0, sizeof(*out));
		br_error_set(err, BR_E_STATE, "login state cookie too long");
		return -1;
	}
	memcpy(buf, value, value_len);
	buf[value_len] = '\0';
	return br_state_open(key, name, buf, now, login_timeout, out, err);
}

int br_state_open_from_header(const unsigned char key[BR_STATE_KEY_LEN], const char *cookie_header,
                              const char *state_param, time_t now, long login_timeout,
                              struct br_login_state *out, struct br_error *err)
{
	char want[BR_STATE_COOKIE_NAME_MAX];
	const char *pos = cookie_header != NULL ? cookie_header : "";
	const char *name, *value;
	size_t name_len, value_len;
	bool seen = false;

	memset(out, 0, sizeof(*out));
	if (br_state_cookie_name(state_param, want, err) < 0)
		return -1;
	while (next_cookie(&pos, &name, &name_len, &value, &value_len)) {
		if (name_len != strlen(want) || memcmp(name, want, name_len) != 0)
			continue;
		seen = true;
		if (open_value(key, want, value, value_len, now, login_timeout, out, err) < 0)
			continue;
		if (br_state_equal(out->state, state_param))
			return 0;
		br_state_clear(out);
		br_error_set(err, BR_E_STATE, "login state does not match");
	}
	if (!seen)
		br_error_set(err, BR_E_STATE, "login state cookie missing");
	return -1;
}

int br_state_cookies_list(const unsigned char key[BR_STATE_KEY_LEN], const char *cookie_header,
                          time_t now, long login_timeout, struct br_state_cookie **list, size_t *n,
                          struct br_error *err)
{
	const char *pos = cookie_header != NULL ? cookie_header : "";
	const char *name, *value;
	size_t name_len, value_len;

	*list = NULL;
	*n = 0;
	while (*n < MAX_LIST && next_cookie(&pos, &name, &name_len, &value, &value_len)) {
		struct br_login_state st;
		struct br_state_cookie *c;

		if (!is_state_cookie_name(name, name_len))
			continue;
		if (*list == NULL) {
			*list = calloc(MAX_LIST, sizeof(**list));
			if (*list == NULL) {
				br_error_set(err, BR_E_NOMEM, "out of memory");
				return -1;
			}
		}
		c = &(*list)[(*n)++];
		memcpy(c->name, name, name_len);
		c->name[name_len] = '\0';
		c->bytes = companion_bytes(cookie_header, c->name);
		c->companion = c->bytes > 0;
		c->bytes += name_len + 1 + value_len + 2;
		if (open_value(key, c->name, value, value_len, now, login_timeout, &st, NULL) ==
		    0) {
			c->valid = true;
			c->created = st.created;
			br_state_clear(&st);
		}
	}
	return 0;
}

static int cmp_cookie(const void *pa, const void *pb)
{
	const struct br_state_cookie *a = pa, *b = pb;

	if (a->valid != b->valid)
		return a->valid ? 1 : -1;
	if (a->created != b->created)
		return a->created < b->created ? -1 : 1;
	return strcmp(a->name, b->name);
}

int br_state_cookies_to_expire(const unsigned char key[BR_STATE_KEY_LEN], const char *cookie_header,
                               time_t now, long login_timeout, size_t keep,
                               struct br_state_cookie **names, size_t *n, struct br_error *err)
{
	return br_state_cookies_to_expire_within(key, cookie_header, now, login_timeout, keep,
	                                         SIZE_MAX, names, n, err);
}

int br_state_cookies_to_expire_within(const unsigned char key[BR_STATE_KEY_LEN],
                                      const char *cookie_header, time_t now, long login_timeout,
                                      size_t keep, size_t keep_bytes,
                                      struct br_state_cookie **names, size_t *n,
                                      struct br_error *err)
{
	size_t count, drop, bytes = 0;

	if (br_state_cookies_list(key, cookie_header, now, login_timeout, names, &count, err) < 0)
		return -1;
	*n = 0;
	if (count == 0)
		return 0;
	/* invalid ones first, then oldest first */
	qsort(*names, count, sizeof(**names), cmp_cookie);
	drop = 0;
	while (drop < count && !(*names)[drop].valid)
		drop++;
	if (count - drop > keep)
		drop = count - keep;
	for (size_t i = drop; i < count; i++)
		bytes += (*names)[i].bytes;
	while (drop < count && bytes > keep_bytes)
		bytes -= (*names)[drop++].bytes;
	*n = drop;
	if (drop == 0) {
		free(*names);
		*names = NULL;
	}
	return 0;
}
