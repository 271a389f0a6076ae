/*
 * jose.c - ID token verification, the only caller of cjose for it.
 *
 * cjose 0.6.2 trusts the token's header: it verifies RS384 or PS256
 * signatures under a key meant for RS256, lets "alg":"none" through to the
 * payload, reads past short HMAC signatures and ignores "crit".  So the
 * compact form, the header, the key and the signature length are all checked
 * here first, and cjose_jws_verify() only does the arithmetic.  The steps
 * run in the order of DESIGN.md and stop at the first failure, each with its
 * own message so an operator can tell what the IdP got wrong.
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjose/jws.h>
#include <jansson.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "bridge/error.h"
#include "bridge/b64url.h"
#include "bridge/evp.h"
#include "bridge/jose.h"
#include "bridge/jwa.h"
#include "bridge/jwks.h"

#define MAX_TOKEN_LEN (16 * 1024)

unsigned br_jose_algs_from_discovery(const json_t *values)
{
	unsigned algs = 0;
	size_t i;
	json_t *v;

	if (values == NULL)
		return BR_JWA_RS256;
	if (!json_is_array(values))
		return 0;
	json_array_foreach((json_t *)values, i, v)
	{
		algs |= br_jwa_from_name(json_string_value(v));
	}
	return algs & BR_JWA_ID_TOKEN;
}

/* --- verification ---------------------------------------------------------- */

struct parts {
	const char *text[3];
	size_t len[3];
	unsigned char *bin[3];
	size_t bin_len[3];
};

static void parts_free(struct parts *p)
{
	for (int i = 0; i < 3; i++)
		free(p->bin[i]);
}

static int check_compact(const char *token, size_t len, struct parts *p, struct br_error *err)
{
	static const char *const names[] = {"header", "payload", "signature"};
	size_t start = 0;
	int n = 0;

	if (len > MAX_TOKEN_LEN) {
		br_error_set(err, BR_E_PROTOCOL, "ID token larger than %d bytes", MAX_TOKEN_LEN);
		return -1;
	}
	if (len == 0) {
		br_error_set(err, BR_E_PROTOCOL, "ID token is empty");
		return -1;
	}
	for (size_t i = 0; i < len; i++) {
		if (token[i] == '=') {
			br_error_set(err, BR_E_PROTOCOL, "ID token has base64 padding");
			return -1;
		}
		if (token[i] != '.' && !br_b64url_chars(&token[i], 1)) {
			br_error_set(err, BR_E_PROTOCOL,
			             "ID token has a character outside base64url");
			return -1;
		}
	}
	for (size_t i = 0; i <= len; i++) {
		if (i < len && token[i] != '.')
			continue;
		if (n == 3) {
			br_error_set(err, BR_E_PROTOCOL,
			             "ID token does not have exactly three parts");
			return -1;
		}
		p->text[n] = token + start;
		p->len[n] = i - start;
		n++;
		start = i + 1;
	}
	if (n != 3) {
		br_error_set(err, BR_E_PROTOCOL, "ID token does not have exactly three parts");
		return -1;
	}
	for (int i = 0; i < 3; i++) {
		p->bin[i] = br_b64url_decode(p->text[i], p->len[i], &p->bin_len[i]);
		if (p->bin[i] == NULL) {
			br_error_set(err, BR_E_PROTOCOL, "ID token %s is not valid base64url",
			             names[i]);
			return -1;
		}
	}
	return 0;
}

/* Parses a JSON object with duplicates rejected; what says which part. */
static json_t *parse_object(const unsigned char *bin, size_t len, const char *what,
                            struct br_error *err)
{
	json_error_t jerr;
	json_t *o = json_loadb((const char *)bin, len, JSON_REJECT_DUPLICATES, &jerr);

	if (o == NULL) {
		if (json_error_code(&jerr) == json_error_duplicate_key)
			br_error_set(err, BR_E_PROTOCOL, "ID token %s has a duplicate member",
			             what);
		else
			br_error_set(err, BR_E_PROTOCOL, "ID token %s is not valid JSON", what);
		return NULL;
	}
	if (!json_is_object(o)) {
		br_error_set(err, BR_E_PROTOCOL, "ID token %s is not a JSON object", what);
		json_decref(o);
		return NULL;
	}
	return o;
}

static int check_header(json_t *hdr, unsigned allowed, unsigned *alg, const char **kid,
                        struct br_error *err)
{
	json_t *v = json_object_get(hdr, "alg");
	const char *name;

	if (!json_is_string(v)) {
		br_error_set(err, BR_E_PROTOCOL, "ID token header has no alg");
		return -1;
	}
	name = json_string_value(v);
	if (strcasecmp(name, "none") == 0) {
		br_error_set(err, BR_E_PROTOCOL, "ID token alg none is refused");
		return -1;
	}
	if (strncmp(name, "HS", 2) == 0) {
		br_error_set(err, BR_E_PROTOCOL, "ID token alg HS* (HMAC) is refused");
		return -1;
	}
	/* an embedded NUL would make "RS256\u0000x" read as RS256 */
	*alg = strlen(name) == json_string_length(v) ? br_jwa_from_name(name) & BR_JWA_ID_TOKEN : 0;
	if (*alg == 0) {
		br_error_set(err, BR_E_PROTOCOL, "ID token alg is not supported");
		return -1;
	}
	if ((*alg & allowed) == 0) {
		br_error_set(err, BR_E_PROTOCOL, "ID token alg %s is not allowed for this provider",
		             br_jwa_name(*alg));
		return -1;
	}
	if (json_object_get(hdr, "crit") != NULL) {
		br_error_set(err, BR_E_PROTOCOL, "ID token header has crit");
		return -1;
	}
	/* RFC 7515 recommends "JWT" upper case but lets typ be compared
	 * case-insensitively (media types are), so "jwt" is accepted too. */
	v = json_object_get(hdr, "typ");
	if (v != NULL && (!json_is_string(v) || strcasecmp(json_string_value(v), "JWT") != 0 ||
	                  json_string_length(v) != 3)) {
		br_error_set(err, BR_E_PROTOCOL, "ID token typ is not JWT");
		return -1;
	}
	v = json_object_get(hdr, "kid");
	if (v != NULL &&
	    (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v))) {
		br_error_set(err, BR_E_PROTOCOL, "ID token kid is not a string");
		return -1;
	}
	*kid = v != NULL ? json_string_value(v) : NULL;
	return 0;
}

static int verify_signature(const char *token, size_t len, const struct parts *p,
                            const struct br_jwk *key, unsigned alg, struct br_error *err)
{
	cjose_jws_t *jws;
	cjose_err cerr;
	int ret = -1;

	if (p->bin_len[2] != key->sig_len) {
		br_error_set(err, BR_E_PROTOCOL,
		             "ID token signature has %zu bytes, %s with this key needs %zu",
		             p->bin_len[2], br_jwa_name(alg), key->sig_len);
		return -1;
	}
	jws = cjose_jws_import(token, len, &cerr);
	if (jws == NULL) {
		br_error_set(err, BR_E_PROTOCOL, "ID token not importable: %s", cerr.message);
		return -1;
	}
	if (!cjose_jws_verify(jws, key->jwk, &cerr)) {
		br_error_set(err, BR_E_PROTOCOL, "ID token signature is invalid");
		goto out;
	}
	ret = 0;
out:
	cjose_jws_release(jws);
	return ret;
}

static bool string_equal(json_t *v, const char *want)
{
	size_t n = strlen(want);

	return json_is_string(v) && json_string_length(v) == n &&
	       memcmp(json_string_value(v), want, n) == 0;
}

/* A numeric date: the claim must be a JSON number. */
static int get_date(json_t *claims, const char *name, bool required, double *out,
                    struct br_error *err)
{
	json_t *v = json_object_get(claims, name);

	if (v == NULL) {
		if (required)
			br_error_set(err, BR_E_PROTOCOL, "ID token has no %s", name);
		return required ? -1 : 1;
	}
	if (!json_is_number(v)) {
		br_error_set(err, BR_E_PROTOCOL, "ID token %s is not a number", name);
		return -1;
	}
	*out = json_number_value(v);
	return 0;
}

static int check_at_hash(json_t *v, unsigned alg, const char *access_token, struct br_error *err)
{
	const EVP_MD *md;
	unsigned char hash[EVP_MAX_MD_SIZE];
	unsigned int hlen = 0;
	char want[EVP_MAX_MD_SIZE * 2];
	size_t n;

	if (!json_is_string(v)) {
		br_error_set(err, BR_E_PROTOCOL, "ID token at_hash is not a string");
		return -1;
	}
	switch (br_jwa_hash_len(alg)) {
	case 32:
		md = br_evp_sha256();
		break;
	case 48:
		md = br_evp_sha384();
		break;
	default:
		md = br_evp_sha512();
		break;
	}
	if (EVP_Digest(access_token, strlen(access_token), hash, &hlen, md, NULL) != 1) {
		br_error_set(err, BR_E_INTERNAL, "at_hash digest failed");
		return -1;
	}
	n = br_b64url_encode(hash, hlen / 2, want);
	if (json_string_length(v) != n || CRYPTO_memcmp(json_string_value(v), want, n) != 0) {
		br_error_set(err, BR_E_PROTOCOL,
		             "ID token at_hash does not match the access token");
		return -1;
	}
	return 0;
}

static int check_claims(json_t *c, const struct br_jose_expect *x, unsigned alg, time_t now,
                        struct br_error *err)
{
	json_t *aud = json_object_get(c, "aud");
	json_t *azp = json_object_get(c, "azp");
	json_t *v;
	double exp, iat, nbf;
	double t = (double)now;
	double skew = (double)x->clock_skew;
	size_t naud = 1;
	bool has_client = false;
	int r;

	v = json_object_get(c, "iss");
	if (!json_is_string(v)) {
		br_error_set(err, BR_E_PROTOCOL, "ID token has no iss");
		return -1;
	}
	if (!string_equal(v, x->issuer)) {
		br_error_set(err, BR_E_PROTOCOL, "ID token iss does not match the issuer");
		return -1;
	}
	if (json_is_string(aud)) {
		has_client = string_equal(aud, x->client_id);
	} else if (json_is_array(aud)) {
		size_t i;

		naud = json_array_size(aud);
		json_array_foreach(aud, i, v)
		{
			if (!json_is_string(v)) {
				br_error_set(err, BR_E_PROTOCOL,
				             "ID token aud has a non-string member");
				return -1;
			}
			if (string_equal(v, x->client_id))
				has_client = true;
		}
	} else {
		br_error_set(err, BR_E_PROTOCOL, "ID token has no aud");
		return -1;
	}
	if (!has_client) {
		br_error_set(err, BR_E_PROTOCOL, "ID token aud does not contain the client_id");
		return -1;
	}
	if (naud > 1 && azp == NULL) {
		br_error_set(err, BR_E_PROTOCOL, "ID token has several audiences and no azp");
		return -1;
	}
	if (azp != NULL && !string_equal(azp, x->client_id)) {
		br_error_set(err, BR_E_PROTOCOL, "ID token azp is not the client_id");
		return -1;
	}
	if (get_date(c, "exp", true, &exp, err) < 0)
		return -1;
	if (!(exp > t - skew)) {
		br_error_set(err, BR_E_PROTOCOL, "ID token has expired");
		return -1;
	}
	if (get_date(c, "iat", true, &iat, err) < 0)
		return -1;
	if (iat > t + skew) {
		br_error_set(err, BR_E_PROTOCOL, "ID token iat is in the future");
		return -1;
	}
	if (iat < t - (double)x->max_token_age - skew) {
		br_error_set(err, BR_E_PROTOCOL, "ID token iat is too old");
		return -1;
	}
	r = get_date(c, "nbf", false, &nbf, err);
	if (r < 0)
		return -1;
	if (r == 0 && nbf > t + skew) {
		br_error_set(err, BR_E_PROTOCOL, "ID token is not valid yet (nbf)");
		return -1;
	}
	v = json_object_get(c, "nonce");
	if (v == NULL && !x->nonce_optional) {
		br_error_set(err, BR_E_PROTOCOL, "ID token has no nonce");
		return -1;
	}
	if (v != NULL && (!json_is_string(v) || json_string_length(v) != strlen(x->nonce) ||
	                  CRYPTO_memcmp(json_string_value(v), x->nonce, strlen(x->nonce)) != 0)) {
		br_error_set(err, BR_E_PROTOCOL, "ID token nonce does not match");
		return -1;
	}
	v = json_object_get(c, "sub");
	if (!json_is_string(v) || json_string_length(v) == 0) {
		br_error_set(err, BR_E_PROTOCOL, "ID token has no sub");
		return -1;
	}
	v = json_object_get(c, "at_hash");
	if (v != NULL && x->access_token != NULL && check_at_hash(v, alg, x->access_token, err) < 0)
		return -1;
	return 0;
}

json_t *br_jose_verify_id_token(const char *token, size_t len, const struct br_jwks *keys,
                                const struct br_jose_expect *expect, time_t now,
                                struct br_jose_result *res, struct br_error *err)
{
	struct br_jose_result dummy;
	struct parts p = {0};
	json_t *hdr = NULL, *claims = NULL;
	const struct br_jwk *key;
	const char *kid = NULL;
	unsigned alg = 0;
	unsigned allowed;

	if (res == NULL)
		res = &dummy;
	memset(res, 0, sizeof(*res));
	if (expect == NULL || expect->issuer == NULL || expect->client_id == NULL ||
	    expect->nonce == NULL) {
		br_error_set(err, BR_E_INTERNAL,
		             "ID token check without issuer, client_id or nonce");
		goto out;
	}
	allowed = (expect->algs != 0 ? expect->algs : BR_JWA_ID_TOKEN) & BR_JWA_ID_TOKEN;

	/* 1. the compact form */
	if (check_compact(token, len, &p, err) < 0)
		goto out;
	/* 2. the header, parsed by us */
	hdr = parse_object(p.bin[0], p.bin_len[0], "header", err);
	if (hdr == NULL || check_header(hdr, allowed, &alg, &kid, err) < 0)
		goto out;
	res->alg = alg;
	if (kid != NULL)
		snprintf(res->kid, sizeof(res->kid), "%s", kid);
	/* 3. the key */
	key = br_jwks_find(keys, kid, alg, err);
	if (key == NULL) {
		res->unknown_kid =
		        br_jwks_count(keys) == 0 || (kid != NULL && !br_jwks_has_kid(keys, kid));
		goto out;
	}
	/* 4. the signature */
	if (verify_signature(token, len, &p, key, alg, err) < 0)
		goto out;
	/* 5. the claims */
	claims = parse_object(p.bin[1], p.bin_len[1], "payload", err);
	if (claims == NULL)
		goto out;
	if (check_claims(claims, expect, alg, now, err) < 0) {
		json_decref(claims);
		claims = NULL;
	}
out:
	json_decref(hdr);
	parts_free(&p);
	return claims;
}
