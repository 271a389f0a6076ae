/*
 * jwks.c - the provider's signing keys.
 *
 * A JWK set comes from the network, so every key is checked by us before
 * cjose imports it: only RSA (>= 2048 bits) and EC (P-256/384/521) keys meant
 * for signatures are kept, and only their public members reach cjose.  Keys
 * that do not pass are skipped with a reason, so one odd key at the IdP
 * (an encryption key, a new key type) never breaks logins.
 */
#include "config.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjose/jwk.h>
#include <jansson.h>
#include <openssl/obj_mac.h>

#include "bridge/error.h"
#include "bridge/b64url.h"
#include "bridge/jwa.h"
#include "bridge/jwks.h"

#define MAX_KID_LEN  256
#define MAX_RSA_BITS 16384

struct br_jwks {
	atomic_uint refs;
	size_t nkeys;
	struct br_jwk keys[BR_JWKS_MAX_KEYS];
	size_t nskipped;
	char *skipped[BR_JWKS_MAX_KEYS + 1];
};

static void add_skipped(struct br_jwks *set, size_t i, const char *kid, const char *reason)
{
	char buf[BR_ERROR_MSG_MAX];

	if (set->nskipped >= sizeof(set->skipped) / sizeof(set->skipped[0]))
		return;
	if (kid != NULL)
		snprintf(buf, sizeof(buf), "key %zu (kid \"%.64s\"): %s", i, kid, reason);
	else
		snprintf(buf, sizeof(buf), "key %zu: %s", i, reason);
	set->skipped[set->nskipped] = strdup(buf);
	if (set->skipped[set->nskipped] != NULL)
		set->nskipped++;
}

static bool fits_alg(enum br_jwk_kty kty, int crv, unsigned alg)
{
	if (kty == BR_JWK_RSA)
		return (alg & BR_JWA_RSA) != 0;
	switch (alg) {
	case BR_JWA_ES256:
		return crv == NID_X9_62_prime256v1;
	case BR_JWA_ES384:
		return crv == NID_secp384r1;
	case BR_JWA_ES512:
		return crv == NID_secp521r1;
	default:
		return false;
	}
}

static const char *crv_name(int crv)
{
	switch (crv) {
	case NID_X9_62_prime256v1:
		return "P-256";
	case NID_secp384r1:
		return "P-384";
	case NID_secp521r1:
		return "P-521";
	default:
		return "?";
	}
}

/* Decodes a base64url member and returns its length, or -1. */
static long member_len(json_t *key, const char *name, unsigned char **out)
{
	json_t *v = json_object_get(key, name);
	size_t n;

	*out = NULL;
	if (!json_is_string(v))
		return -1;
	*out = br_b64url_decode(json_string_value(v), json_string_length(v), &n);
	if (*out == NULL || n == 0) {
		free(*out);
		*out = NULL;
		return -1;
	}
	return (long)n;
}

/* Checks the members of one key; fills k (except jwk) and the public-only
 * JSON for cjose in *pub; returns NULL or the reason it is skipped. */
static const char *check_key(json_t *key, struct br_jwk *k, json_t **pub)
{
	const char *kty, *s;
	json_t *v;
	unsigned char *bin = NULL;
	long n;

	*pub = NULL;
	kty = json_string_value(json_object_get(key, "kty"));
	if (kty == NULL)
		return "no kty";
	v = json_object_get(key, "use");
	if (v != NULL && (!json_is_string(v) || strcmp(json_string_value(v), "sig") != 0))
		return "use is not sig";
	v = json_object_get(key, "key_ops");
	if (v != NULL) {
		size_t i;
		json_t *op;
		bool verify = false;

		if (!json_is_array(v))
			return "key_ops is not an array";
		json_array_foreach(v, i, op)
		{
			if (json_is_string(op) && strcmp(json_string_value(op), "verify") == 0)
				verify = true;
		}
		if (!verify)
			return "key_ops without verify";
	}
	v = json_object_get(key, "alg");
	if (v != NULL) {
		if (!json_is_string(v))
			return "alg is not a string";
		k->alg = br_jwa_from_name(json_string_value(v)) & BR_JWA_ID_TOKEN;
		if (k->alg == 0)
			return "unsupported alg";
	}
	v = json_object_get(key, "kid");
	if (v != NULL && (!json_is_string(v) || json_string_length(v) > MAX_KID_LEN ||
	                  strlen(json_string_value(v)) != json_string_length(v)))
		return "kid is not a string";

	if (strcmp(kty, "RSA") == 0) {
		unsigned char *e = NULL;
		size_t skip = 0;

		k->kty = BR_JWK_RSA;
		n = member_len(key, "n", &bin);
		if (n < 0)
			return "RSA key without a valid n";
		while (skip < (size_t)n && bin[skip] == 0)
			skip++;
		if (skip == (size_t)n) {
			free(bin);
			return "RSA key without a valid n";
		}
		k->bits = (int)(((size_t)n - skip) * 8);
		for (unsigned char top = bin[skip]; (top & 0x80) == 0;
		     top = (unsigned char)(top << 1))
			k->bits--;
		free(bin);
		/* an even or tiny exponent is never a real key (e = 1 signs nothing) */
		n = member_len(key, "e", &e);
		if (n < 0 || n > 8 || (e[n - 1] & 1) == 0 || (n == 1 && e[0] < 3)) {
			free(e);
			return "RSA key without a valid e";
		}
		free(e);
		if (k->bits < BR_JWKS_MIN_RSA_BITS)
			return "RSA key too small (at least 2048 bits needed)";
		if (k->bits > MAX_RSA_BITS)
			return "RSA key too large";
		k->sig_len = ((size_t)k->bits + 7) / 8;
		*pub = json_pack("{s:s, s:O, s:O}", "kty", "RSA", "n", json_object_get(key, "n"),
		                 "e", json_object_get(key, "e"));
	} else if (strcmp(kty, "EC") == 0) {
		size_t size;

		k->kty = BR_JWK_EC;
		s = json_string_value(json_object_get(key, "crv"));
		if (s == NULL)
			return "EC key without crv";
		if (strcmp(s, "P-256") == 0) {
			k->crv = NID_X9_62_prime256v1;
			k->bits = 256;
		} else if (strcmp(s, "P-384") == 0) {
			k->crv = NID_secp384r1;
			k->bits = 384;
		} else if (strcmp(s, "P-521") == 0) {
			k->crv = NID_secp521r1;
			k->bits = 521;
		} else {
			return "unsupported EC curve";
		}
		size = ((size_t)k->bits + 7) / 8;
		n = member_len(key, "x", &bin);
		free(bin);
		if (n < 0 || (size_t)n != size)
			return "EC key without a valid x";
		n = member_len(key, "y", &bin);
		free(bin);
		if (n < 0 || (size_t)n != size)
			return "EC key without a valid y";
		k->sig_len = 2 * size;
		*pub = json_pack("{s:s, s:s, s:O, s:O}", "kty", "EC", "crv", s, "x",
		                 json_object_get(key, "x"), "y", json_object_get(key, "y"));
	} else {
		return "unsupported kty";
	}
	if (k->alg != 0 && !fits_alg(k->kty, k->crv, k->alg))
		return "alg does not fit the key";
	if (*pub == NULL)
		return "out of memory";
	return NULL;
}

static void free_set(struct br_jwks *set)
{
	for (size_t i = 0; i < set->nkeys; i++) {
		cjose_jwk_release(set->keys[i].jwk);
		free(set->keys[i].kid);
	}
	for (size_t i = 0; i < set->nskipped; i++)
		free(set->skipped[i]);
	free(set);
}

struct br_jwks *br_jwks_parse(const char *body, size_t len, struct br_error *err)
{
	struct br_jwks *set = NULL;
	json_t *doc = NULL, *keys, *key;
	json_error_t jerr;
	size_t i;

	if (len > BR_JWKS_MAX_BODY) {
		br_error_set(err, BR_E_PROTOCOL, "JWKS larger than %d bytes", BR_JWKS_MAX_BODY);
		goto out;
	}
	doc = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
	if (doc == NULL) {
		br_error_set(err, BR_E_PROTOCOL, "JWKS is not valid JSON: %s", jerr.text);
		goto out;
	}
	keys = json_object_get(doc, "keys");
	if (!json_is_object(doc) || !json_is_array(keys)) {
		br_error_set(err, BR_E_PROTOCOL, "JWKS is not an object with a keys array");
		goto out;
	}
	set = calloc(1, sizeof(*set));
	if (set == NULL) {
		br_error_set(err, BR_E_NOMEM, "out of memory");
		goto out;
	}
	atomic_init(&set->refs, 1);
	json_array_foreach(keys, i, key)
	{
		struct br_jwk k = {0};
		json_t *pub = NULL;
		const char *reason, *kid = NULL;
		char *pubtext = NULL;
		cjose_err cerr;

		if (i >= BR_JWKS_MAX_KEYS) {
			add_skipped(set, i, NULL, "more than 64 keys, the rest are ignored");
			break;
		}
		if (!json_is_object(key)) {
			add_skipped(set, i, NULL, "not a JSON object");
			continue;
		}
		if (json_is_string(json_object_get(key, "kid")))
			kid = json_string_value(json_object_get(key, "kid"));
		reason = check_key(key, &k, &pub);
		if (reason == NULL) {
			pubtext = json_dumps(pub, JSON_COMPACT);
			k.jwk = pubtext != NULL ? cjose_jwk_import(pubtext, strlen(pubtext), &cerr)
			                        : NULL;
			if (k.jwk == NULL)
				reason = "not importable";
		}
		if (reason == NULL && kid != NULL && (k.kid = strdup(kid)) == NULL)
			reason = "out of memory";
		free(pubtext);
		json_decref(pub);
		if (reason != NULL) {
			if (k.jwk != NULL)
				cjose_jwk_release(k.jwk);
			add_skipped(set, i, kid, reason);
			continue;
		}
		set->keys[set->nkeys++] = k;
	}
out:
	json_decref(doc);
	return set;
}

struct br_jwks *br_jwks_ref(struct br_jwks *set)
{
	if (set != NULL)
		atomic_fetch_add(&set->refs, 1);
	return set;
}

void br_jwks_unref(struct br_jwks *set)
{
	if (set != NULL && atomic_fetch_sub(&set->refs, 1) == 1)
		free_set(set);
}

size_t br_jwks_count(const struct br_jwks *set)
{
	return set != NULL ? set->nkeys : 0;
}

const struct br_jwk *br_jwks_key(const struct br_jwks *set, size_t i)
{
	return set != NULL && i < set->nkeys ? &set->keys[i] : NULL;
}

size_t br_jwks_skipped_count(const struct br_jwks *set)
{
	return set != NULL ? set->nskipped : 0;
}

const char *br_jwks_skipped(const struct br_jwks *set, size_t i)
{
	return set != NULL && i < set->nskipped ? set->skipped[i] : NULL;
}

bool br_jwks_has_kid(const struct br_jwks *set, const char *kid)
{
	for (size_t i = 0; kid != NULL && i < br_jwks_count(set); i++) {
		if (set->keys[i].kid != NULL && strcmp(set->keys[i].kid, kid) == 0)
			return true;
	}
	return false;
}

/* Why key k cannot verify alg, or NULL when it can. */
static const char *unsuitable(const struct br_jwk *k, unsigned alg, char *buf, size_t size)
{
	const char *name = br_jwa_name(alg);

	if (name == NULL)
		return "unsupported alg";
	if (k->kty == BR_JWK_RSA && (alg & BR_JWA_RSA) == 0) {
		snprintf(buf, size, "an RSA key cannot verify %s", name);
		return buf;
	}
	if (k->kty == BR_JWK_EC && (alg & BR_JWA_EC) == 0) {
		snprintf(buf, size, "an EC key cannot verify %s", name);
		return buf;
	}
	if (k->alg != 0 && k->alg != alg) {
		snprintf(buf, size, "the key is for %s, the token says %s", br_jwa_name(k->alg),
		         name);
		return buf;
	}
	if (!fits_alg(k->kty, k->crv, alg)) {
		snprintf(buf, size, "an EC key on %s cannot verify %s", crv_name(k->crv), name);
		return buf;
	}
	return NULL;
}

const struct br_jwk *br_jwks_find(const struct br_jwks *set, const char *kid, unsigned alg,
                                  struct br_error *err)
{
	const struct br_jwk *found = NULL;
	const char *why = NULL;
	char buf[128];
	size_t n = 0;

	if (br_jwks_count(set) == 0) {
		br_error_set(err, BR_E_PROTOCOL, "no usable key in the provider's JWKS");
		return NULL;
	}
	if (kid != NULL) {
		if (!br_jwks_has_kid(set, kid)) {
			br_error_set(err, BR_E_PROTOCOL,
			             "no key with the token's kid in the provider's JWKS");
			return NULL;
		}
		for (size_t i = 0; i < set->nkeys; i++) {
			const struct br_jwk *k = &set->keys[i];
			const char *w;

			if (k->kid == NULL || strcmp(k->kid, kid) != 0)
				continue;
			w = unsuitable(k, alg, buf, sizeof(buf));
			if (w == NULL)
				return k;
			if (why == NULL)
				why = w;
		}
		br_error_set(err, BR_E_PROTOCOL, "the key with the token's kid does not fit: %s",
		             why);
		return NULL;
	}
	for (size_t i = 0; i < set->nkeys; i++) {
		if (unsuitable(&set->keys[i], alg, buf, sizeof(buf)) == NULL) {
			found = &set->keys[i];
			n++;
		}
	}
	if (n == 0) {
		br_error_set(err, BR_E_PROTOCOL, "no key in the provider's JWKS fits %s",
		             br_jwa_name(alg) != NULL ? br_jwa_name(alg) : "the alg");
		return NULL;
	}
	if (n > 1) {
		br_error_set(err, BR_E_PROTOCOL, "the token has no kid and several keys fit %s",
		             br_jwa_name(alg));
		return NULL;
	}
	return found;
}
