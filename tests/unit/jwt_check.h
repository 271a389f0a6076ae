/*
 * jwt_check.h - test helpers that take a compact JWS apart and check its
 * signature with OpenSSL directly (independently of keys.c), the way
 * Prosody would.  Included by test_keys.c, test_token.c and test_asap.c.
 */
#ifndef BR_TEST_JWT_CHECK_H
#define BR_TEST_JWT_CHECK_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "bridge/configuration.h"
#include "bridge/keys.h"

#include "fixtures.h"

/* Strict base64url (no padding) decoding; NULL on a bad character or length. */
static inline unsigned char *jc_b64url_decode(const char *s, size_t n, size_t *outlen)
{
	unsigned char *out = malloc(n * 3 / 4 + 3);
	size_t o = 0;
	unsigned int acc = 0;
	int bits = 0;

	if (out == NULL || n % 4 == 1) {
		free(out);
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		int v;
		if (c >= 'A' && c <= 'Z')
			v = c - 'A';
		else if (c >= 'a' && c <= 'z')
			v = c - 'a' + 26;
		else if (c >= '0' && c <= '9')
			v = c - '0' + 52;
		else if (c == '-')
			v = 62;
		else if (c == '_')
			v = 63;
		else {
			free(out);
			return NULL;
		}
		acc = (acc << 6) | (unsigned int)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (unsigned char)(acc >> bits);
			acc &= (1u << bits) - 1;
		}
	}
	*outlen = o;
	return out;
}

/* The parts of a token. */
struct jc_token {
	char *header_json; /* decoded header, as sent */
	char *claims_json; /* decoded claims, as sent */
	json_t *header;
	json_t *claims;
	unsigned char *sig;
	size_t siglen;
	size_t signed_len; /* bytes of "<h64>.<c64>" */
};

static inline void jc_free(struct jc_token *t)
{
	free(t->header_json);
	free(t->claims_json);
	json_decref(t->header);
	json_decref(t->claims);
	free(t->sig);
	memset(t, 0, sizeof(*t));
}

/* Splits and decodes token; false when it is not three base64url parts of
 * JSON objects. */
static inline bool jc_parse(const char *token, struct jc_token *t)
{
	memset(t, 0, sizeof(*t));
	const char *d1 = strchr(token, '.');
	const char *d2 = d1 != NULL ? strchr(d1 + 1, '.') : NULL;
	if (d1 == NULL || d2 == NULL || strchr(d2 + 1, '.') != NULL)
		return false;
	size_t hl = 0, cl = 0;
	unsigned char *h = jc_b64url_decode(token, (size_t)(d1 - token), &hl);
	unsigned char *c = jc_b64url_decode(d1 + 1, (size_t)(d2 - d1 - 1), &cl);
	t->sig = jc_b64url_decode(d2 + 1, strlen(d2 + 1), &t->siglen);
	t->signed_len = (size_t)(d2 - token);
	if (h == NULL || c == NULL || t->sig == NULL) {
		free(h);
		free(c);
		jc_free(t);
		return false;
	}
	t->header_json = strndup((char *)h, hl);
	t->claims_json = strndup((char *)c, cl);
	free(h);
	free(c);
	t->header = json_loads(t->header_json, JSON_REJECT_DUPLICATES, NULL);
	t->claims = json_loads(t->claims_json, JSON_REJECT_DUPLICATES, NULL);
	if (!json_is_object(t->header) || !json_is_object(t->claims)) {
		jc_free(t);
		return false;
	}
	return true;
}

static inline const EVP_MD *jc_md(enum br_jitsi_alg alg)
{
	switch (alg) {
	case BR_ALG_RS256:
	case BR_ALG_HS256:
		return EVP_sha256();
	case BR_ALG_RS384:
	case BR_ALG_HS384:
		return EVP_sha384();
	default:
		return EVP_sha512();
	}
}

/* Verifies an RS* token with an SPKI PEM, as Prosody does. */
static inline bool jc_verify_rsa(const char *token, const char *pem, enum br_jitsi_alg alg)
{
	struct jc_token t;
	bool ok = false;

	if (!jc_parse(token, &t))
		return false;
	BIO *bio = BIO_new_mem_buf(pem, -1);
	EVP_PKEY *pkey = bio != NULL ? PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL) : NULL;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	if (pkey != NULL && ctx != NULL &&
	    EVP_DigestVerifyInit(ctx, NULL, jc_md(alg), NULL, pkey) == 1 &&
	    EVP_DigestVerify(ctx, t.sig, t.siglen, (const unsigned char *)token, t.signed_len) == 1)
		ok = true;
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(pkey);
	BIO_free(bio);
	jc_free(&t);
	return ok;
}

/* Verifies an HS* token with the shared secret. */
static inline bool jc_verify_hmac(const char *token, const unsigned char *secret, size_t len,
                                  enum br_jitsi_alg alg)
{
	struct jc_token t;
	unsigned char mac[EVP_MAX_MD_SIZE];
	size_t maclen = 0;
	bool ok = false;

	if (!jc_parse(token, &t))
		return false;
	const char *mdname = EVP_MD_get0_name(jc_md(alg));
	if (EVP_Q_mac(NULL, "HMAC", NULL, mdname, NULL, secret, len, (const unsigned char *)token,
	              t.signed_len, mac, sizeof(mac), &maclen) != NULL &&
	    maclen == t.siglen && memcmp(mac, t.sig, maclen) == 0)
		ok = true;
	jc_free(&t);
	return ok;
}

/* The published SPKI PEM of the key kid, looked up as /asap does it (by
 * the hex SHA-256 of the kid); borrowed, NULL when not published. */
static inline const char *jc_pem(const struct br_keys *keys, const char *kid)
{
	char hex[BR_KEYS_SHA256_HEX_LEN + 1];

	if (kid == NULL)
		return NULL;
	br_keys_sha256_hex(kid, hex);
	return br_keys_pem_by_hash(keys, hex, NULL);
}

/* The number of keys in the JWK set keys publishes (-1 when it does not
 * parse), and whether its i-th key has this kid. */
static inline long jc_jwks_count(const struct br_keys *keys)
{
	json_t *set = json_loads(br_keys_jwks(keys, NULL), JSON_REJECT_DUPLICATES, NULL);
	long n = json_is_array(json_object_get(set, "keys"))
	                 ? (long)json_array_size(json_object_get(set, "keys"))
	                 : -1;

	json_decref(set);
	return n;
}

static inline bool jc_jwks_kid_is(const struct br_keys *keys, size_t i, const char *kid)
{
	json_t *set = json_loads(br_keys_jwks(keys, NULL), JSON_REJECT_DUPLICATES, NULL);
	const char *got = json_string_value(
	        json_object_get(json_array_get(json_object_get(set, "keys"), i), "kid"));
	bool same = got != NULL && strcmp(got, kid) == 0;

	json_decref(set);
	return same;
}

#endif
