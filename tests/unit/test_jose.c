/* test_jose.c - ID token verification: happy paths and every refusal. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <pthread.h>
#include <jansson.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "bridge/error.h"
#include "bridge/b64url.h"
#include "bridge/jose.h"
#include "bridge/jwks.h"

#include "fixtures.h"

/* the tables leave trailing fields to their zero default */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#define NOW 1700000000L
#define ISS "https://idp.example/realms/r"

static EVP_PKEY *load_key(const char *name)
{
	char file[64];
	FILE *f;
	EVP_PKEY *pk;

	snprintf(file, sizeof(file), "%s.pem", name);
	f = fopen(fx_path("jose/%s", file), "r");
	assert_non_null(f);
	pk = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	fclose(f);
	assert_non_null(pk);
	return pk;
}

static char *b64(const void *data, size_t len)
{
	char *out = malloc(br_b64url_len(len) + 1);

	assert_non_null(out);
	br_b64url_encode(data, len, out);
	return out;
}

/* Signs header.payload with alg ("RS256", "PS384", "ES256", "HS256",
 * "none") under the named key file, or, for HS*, with the bytes of the
 * named file as the secret. */
static char *make_token(const char *header, const char *payload, const char *alg, const char *key)
{
	char *h = b64(header, strlen(header)), *p = b64(payload, strlen(payload));
	size_t in_len = strlen(h) + 1 + strlen(p);
	char *in = malloc(in_len + 1), *sig, *token;
	unsigned char raw[1024];
	size_t raw_len = sizeof(raw);
	const EVP_MD *md;

	assert_non_null(in);
	snprintf(in, in_len + 1, "%s.%s", h, p);
	md = strstr(alg, "384") ? EVP_sha384() : strstr(alg, "512") ? EVP_sha512() : EVP_sha256();
	if (strcmp(alg, "none") == 0) {
		raw_len = 0;
	} else if (alg[0] == 'H') {
		size_t slen;
		char *secret = fx_read(fx_path("jose/%s", key), &slen);
		unsigned int n = 0;

		assert_non_null(secret);
		assert_non_null(HMAC(md, secret, (int)slen, (unsigned char *)in, in_len, raw, &n));
		raw_len = n;
		free(secret);
	} else {
		EVP_PKEY *pk = load_key(key);
		EVP_MD_CTX *ctx = EVP_MD_CTX_new();
		EVP_PKEY_CTX *pctx = NULL;

		assert_int_equal(EVP_DigestSignInit(ctx, &pctx, md, NULL, pk), 1);
		if (alg[0] == 'P') {
			assert_int_equal(EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING),
			                 1);
			assert_int_equal(
			        EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST), 1);
		}
		assert_int_equal(EVP_DigestSign(ctx, raw, &raw_len, (unsigned char *)in, in_len),
		                 1);
		if (alg[0] == 'E') {
			const unsigned char *q = raw;
			ECDSA_SIG *es = d2i_ECDSA_SIG(NULL, &q, (long)raw_len);
			int size = (EVP_PKEY_get_bits(pk) + 7) / 8;

			assert_non_null(es);
			BN_bn2binpad(ECDSA_SIG_get0_r(es), raw, size);
			BN_bn2binpad(ECDSA_SIG_get0_s(es), raw + size, size);
			raw_len = (size_t)size * 2;
			ECDSA_SIG_free(es);
		}
		EVP_MD_CTX_free(ctx);
		EVP_PKEY_free(pk);
	}
	sig = b64(raw, raw_len);
	token = malloc(in_len + 2 + strlen(sig));
	assert_non_null(token);
	sprintf(token, "%s.%s", in, sig);
	free(h);
	free(p);
	free(in);
	free(sig);
	return token;
}

static const struct br_jose_expect expect_default = {
        .issuer = ISS,
        .client_id = "bridge",
        .nonce = "n0nce",
        .algs = 0,
        .clock_skew = 60,
        .max_token_age = 600,
        .access_token = NULL,
};

#define PAYLOAD                                                                                    \
	"{\"iss\":\"" ISS "\",\"aud\":\"bridge\",\"exp\":1700000300,\"iat\":1699999990,"           \
	"\"nonce\":\"n0nce\",\"sub\":\"alice\"}"

static void happy(const char *jwks, const char *header, const char *alg, const char *key)
{
	struct br_jwks *set = fx_jwks(jwks);
	char *token = make_token(header, PAYLOAD, alg, key);
	struct br_error err = {0};
	struct br_jose_result res;
	json_t *claims;

	claims = br_jose_verify_id_token(token, strlen(token), set, &expect_default, NOW, &res,
	                                 &err);
	if (claims == NULL)
		fail_msg("%s: %s", alg, err.msg);
	assert_string_equal(json_string_value(json_object_get(claims, "sub")), "alice");
	assert_int_equal(res.alg, br_jwa_from_name(alg));
	assert_false(res.unknown_kid);
	json_decref(claims);
	free(token);
	br_jwks_unref(set);
}

static void test_happy_paths(void **state)
{
	happy("jwks_all.json", "{\"alg\":\"RS256\",\"kid\":\"rsa1\",\"typ\":\"JWT\"}", "RS256",
	      "rsa1");
	happy("jwks_all.json", "{\"alg\":\"RS512\",\"kid\":\"rsa1\"}", "RS512", "rsa1");
	happy("jwks_all.json", "{\"alg\":\"PS256\",\"kid\":\"rsa1\"}", "PS256", "rsa1");
	happy("jwks_all.json", "{\"alg\":\"PS384\",\"kid\":\"rsa1\",\"typ\":\"jwt\"}", "PS384",
	      "rsa1");
	happy("jwks_all.json", "{\"alg\":\"ES256\",\"kid\":\"ec256\"}", "ES256", "ec256");
	happy("jwks_all.json", "{\"alg\":\"ES384\",\"kid\":\"ec384\"}", "ES384", "ec384");
	happy("jwks_all.json", "{\"alg\":\"ES512\",\"kid\":\"ec521\"}", "ES512", "ec521");
	/* no kid: the only key there is */
	happy("jwks_rsa1_nokid.json", "{\"alg\":\"RS256\"}", "RS256", "rsa1");
	/* no kid: the only RSA key among EC keys */
	happy("jwks_rsa1.json", "{\"alg\":\"RS256\"}", "RS256", "rsa1");
}

static void test_at_hash_ok(void **state)
{
	struct br_jwks *set = fx_jwks("jwks_rsa1.json");
	struct br_jose_expect x = expect_default;
	unsigned char hash[32];
	unsigned int n = 0;
	char at_hash[64], payload[512];
	struct br_error err = {0};
	char *token;
	json_t *claims;

	x.access_token = "access-token-1";
	EVP_Digest(x.access_token, strlen(x.access_token), hash, &n, EVP_sha256(), NULL);
	br_b64url_encode(hash, 16, at_hash);
	snprintf(payload, sizeof(payload),
	         "{\"iss\":\"" ISS "\",\"aud\":[\"bridge\",\"other\"],\"azp\":\"bridge\","
	         "\"exp\":1700000300.5,\"iat\":1699999990,\"nbf\":1699999990,"
	         "\"nonce\":\"n0nce\",\"sub\":\"alice\",\"at_hash\":\"%s\"}",
	         at_hash);
	token = make_token("{\"alg\":\"RS256\",\"kid\":\"rsa1\"}", payload, "RS256", "rsa1");
	claims = br_jose_verify_id_token(token, strlen(token), set, &x, NOW, NULL, &err);
	if (claims == NULL)
		fail_msg("%s", err.msg);
	json_decref(claims);
	free(token);
	br_jwks_unref(set);
}

enum mutation {
	M_NONE,
	M_PAD,       /* '=' at the end of the signature */
	M_STRAY,     /* a space in the payload */
	M_FOUR,      /* ".xyz" appended */
	M_TWO,       /* the signature part cut off with its dot */
	M_OVERSIZE,  /* 17 KiB of 'A' in the payload */
	M_SHORT_SIG, /* signature cut by 6 characters (4 bytes) */
	M_EMPTY_SIG, /* signature removed, dot kept */
	M_FLIP_SIG,  /* one signature character changed */
	M_BAD_B64,   /* impossible base64url length in the header */
};

struct neg {
	const char *what;
	const char *jwks;
	const char *header;
	const char *payload; /* NULL: PAYLOAD */
	const char *alg;     /* signing alg */
	const char *key;     /* signing key (or HMAC secret file) */
	enum mutation m;
	const char *access_token;
	unsigned algs;
	const char *want;
	bool unknown_kid;
};

#define HRS     "{\"alg\":\"RS256\",\"kid\":\"rsa1\"}"
#define P(rest) "{\"iss\":\"" ISS "\"," rest "}"
#define AUD     "\"aud\":\"bridge\","
#define TIMES   "\"exp\":1700000300,\"iat\":1699999990,"
#define NS      "\"nonce\":\"n0nce\",\"sub\":\"alice\""

static const struct neg negs[] = {
        {"alg none", "jwks_rsa1.json", "{\"alg\":\"none\"}", NULL, "none", NULL, M_NONE, NULL, 0,
         "ID token alg none is refused"},
        {"alg none with a signature", "jwks_rsa1.json", "{\"alg\":\"none\",\"kid\":\"rsa1\"}", NULL,
         "HS256", "rsa1.pub.pem", M_NONE, NULL, 0, "ID token alg none is refused"},
        {"HS256 with a secret", "jwks_rsa1.json", "{\"alg\":\"HS256\",\"kid\":\"rsa1\"}", NULL,
         "HS256", "jwks_rsa1.json", M_NONE, NULL, 0, "ID token alg HS* (HMAC) is refused"},
        {"HS256 with the RSA public key PEM as secret", "jwks_rsa1.json",
         "{\"alg\":\"HS256\",\"kid\":\"rsa1\"}", NULL, "HS256", "rsa1.pub.pem", M_NONE, NULL, 0,
         "ID token alg HS* (HMAC) is refused"},
        {"RS384 signature under an RS256 key", "jwks_all.json",
         "{\"alg\":\"RS384\",\"kid\":\"rsa2\"}", NULL, "RS384", "rsa2", M_NONE, NULL, 0,
         "the key with the token's kid does not fit: the key is for RS256, the token says "
         "RS384"},
        {"PS256 under an RS256 key", "jwks_all.json", "{\"alg\":\"PS256\",\"kid\":\"rsa2\"}", NULL,
         "PS256", "rsa2", M_NONE, NULL, 0,
         "the key with the token's kid does not fit: the key is for RS256, the token says "
         "PS256"},
        {"RS256 header, RS384 signature", "jwks_rsa1.json", HRS, NULL, "RS384", "rsa1", M_NONE,
         NULL, 0, "ID token signature is invalid"},
        {"RS256 header, PS256 signature", "jwks_rsa1.json", HRS, NULL, "PS256", "rsa1", M_NONE,
         NULL, 0, "ID token signature is invalid"},
        {"alg not allowed by discovery", "jwks_rsa1.json", "{\"alg\":\"PS256\",\"kid\":\"rsa1\"}",
         NULL, "PS256", "rsa1", M_NONE, NULL, BR_JWA_RS256,
         "ID token alg PS256 is not allowed for this provider"},
        {"unknown alg", "jwks_rsa1.json", "{\"alg\":\"EdDSA\",\"kid\":\"rsa1\"}", NULL, "RS256",
         "rsa1", M_NONE, NULL, 0, "ID token alg is not supported"},
        {"alg with an embedded NUL", "jwks_rsa1.json",
         "{\"alg\":\"RS256\\u0000\",\"kid\":\"rsa1\"}", NULL, "RS256", "rsa1", M_NONE, NULL, 0,
         "ID token header is not valid JSON"},
        {"no alg", "jwks_rsa1.json", "{\"kid\":\"rsa1\"}", NULL, "RS256", "rsa1", M_NONE, NULL, 0,
         "ID token header has no alg"},
        {"signature by another key", "jwks_rsa1.json", HRS, NULL, "RS256", "rsa2", M_NONE, NULL, 0,
         "ID token signature is invalid"},
        {"flipped signature", "jwks_rsa1.json", HRS, NULL, "RS256", "rsa1", M_FLIP_SIG, NULL, 0,
         "ID token signature is invalid"},
        {"short signature", "jwks_rsa1.json", HRS, NULL, "RS256", "rsa1", M_SHORT_SIG, NULL, 0,
         "ID token signature has 252 bytes, RS256 with this key needs 256"},
        {"empty signature", "jwks_rsa1.json", HRS, NULL, "RS256", "rsa1", M_EMPTY_SIG, NULL, 0,
         "ID token signature has 0 bytes, RS256 with this key needs 256"},
        {"ES256 signature in DER length", "jwks_ec.json", "{\"alg\":\"ES256\",\"kid\":\"ec256\"}",
         NULL, "RS256", "rsa1", M_NONE, NULL, 0,
         "ID token signature has 256 bytes, ES256 with this key needs 64"},
        {"crit", "jwks_rsa1.json", "{\"alg\":\"RS256\",\"kid\":\"rsa1\",\"crit\":[\"exp\"]}", NULL,
         "RS256", "rsa1", M_NONE, NULL, 0, "ID token header has crit"},
        {"typ not JWT", "jwks_rsa1.json", "{\"alg\":\"RS256\",\"kid\":\"rsa1\",\"typ\":\"at+jwt\"}",
         NULL, "RS256", "rsa1", M_NONE, NULL, 0, "ID token typ is not JWT"},
        {"kid not a string", "jwks_rsa1.json", "{\"alg\":\"RS256\",\"kid\":1}", NULL, "RS256",
         "rsa1", M_NONE, NULL, 0, "ID token kid is not a string"},
        {"duplicate alg in header", "jwks_rsa1.json",
         "{\"alg\":\"RS256\",\"kid\":\"rsa1\",\"alg\":\"RS256\"}", NULL, "RS256", "rsa1", M_NONE,
         NULL, 0, "ID token header has a duplicate member"},
        {"header not JSON", "jwks_rsa1.json", "{\"alg\":", NULL, "RS256", "rsa1", M_NONE, NULL, 0,
         "ID token header is not valid JSON"},
        {"header an array", "jwks_rsa1.json", "[1]", NULL, "RS256", "rsa1", M_NONE, NULL, 0,
         "ID token header is not a JSON object"},
        {"duplicate sub in payload", "jwks_rsa1.json", HRS, P(AUD TIMES NS ",\"sub\":\"mallory\""),
         "RS256", "rsa1", M_NONE, NULL, 0, "ID token payload has a duplicate member"},
        {"payload not an object", "jwks_rsa1.json", HRS, "[\"x\"]", "RS256", "rsa1", M_NONE, NULL,
         0, "ID token payload is not a JSON object"},
        {"padding", "jwks_rsa1.json", HRS, NULL, "RS256", "rsa1", M_PAD, NULL, 0,
         "ID token has base64 padding"},
        {"stray character", "jwks_rsa1.json", HRS, NULL, "RS256", "rsa1", M_STRAY, NULL, 0,
         "ID token has a character outside base64url"},
        {"four parts", "jwks_rsa1.json", HRS, NULL, "RS256", "rsa1", M_FOUR, NULL, 0,
         "ID token does not have exactly three parts"},
        {"two parts", "jwks_rsa1.json", HRS, NULL, "RS256", "rsa1", M_TWO, NULL, 0,
         "ID token does not have exactly three parts"},
        {"oversize", "jwks_rsa1.json", HRS, NULL, "RS256", "rsa1", M_OVERSIZE, NULL, 0,
         "ID token larger than 16384 bytes"},
        {"impossible base64url length", "jwks_rsa1.json", HRS, NULL, "RS256", "rsa1", M_BAD_B64,
         NULL, 0, "ID token header is not valid base64url"},
        {"iss mismatch", "jwks_rsa1.json", HRS,
         "{\"iss\":\"https://evil.example/realms/r\"," AUD TIMES NS "}", "RS256", "rsa1", M_NONE,
         NULL, 0, "ID token iss does not match the issuer"},
        {"iss with trailing slash", "jwks_rsa1.json", HRS,
         "{\"iss\":\"" ISS "/\"," AUD TIMES NS "}", "RS256", "rsa1", M_NONE, NULL, 0,
         "ID token iss does not match the issuer"},
        {"no iss", "jwks_rsa1.json", HRS, "{" AUD TIMES NS "}", "RS256", "rsa1", M_NONE, NULL, 0,
         "ID token has no iss"},
        {"aud wrong", "jwks_rsa1.json", HRS, P("\"aud\":\"other\"," TIMES NS), "RS256", "rsa1",
         M_NONE, NULL, 0, "ID token aud does not contain the client_id"},
        {"aud a prefix", "jwks_rsa1.json", HRS, P("\"aud\":\"bridgex\"," TIMES NS), "RS256", "rsa1",
         M_NONE, NULL, 0, "ID token aud does not contain the client_id"},
        {"aud array without client_id", "jwks_rsa1.json", HRS,
         P("\"aud\":[\"a\",\"b\"],\"azp\":\"bridge\"," TIMES NS), "RS256", "rsa1", M_NONE, NULL, 0,
         "ID token aud does not contain the client_id"},
        {"aud array with a number", "jwks_rsa1.json", HRS,
         P("\"aud\":[\"bridge\",1],\"azp\":\"bridge\"," TIMES NS), "RS256", "rsa1", M_NONE, NULL, 0,
         "ID token aud has a non-string member"},
        {"aud array without azp", "jwks_rsa1.json", HRS,
         P("\"aud\":[\"bridge\",\"other\"]," TIMES NS), "RS256", "rsa1", M_NONE, NULL, 0,
         "ID token has several audiences and no azp"},
        {"wrong azp", "jwks_rsa1.json", HRS, P(AUD "\"azp\":\"other\"," TIMES NS), "RS256", "rsa1",
         M_NONE, NULL, 0, "ID token azp is not the client_id"},
        {"no aud", "jwks_rsa1.json", HRS, P(TIMES NS), "RS256", "rsa1", M_NONE, NULL, 0,
         "ID token has no aud"},
        {"no exp", "jwks_rsa1.json", HRS, P(AUD "\"iat\":1699999990," NS), "RS256", "rsa1", M_NONE,
         NULL, 0, "ID token has no exp"},
        {"exp a string", "jwks_rsa1.json", HRS,
         P(AUD "\"exp\":\"1700000300\",\"iat\":1699999990," NS), "RS256", "rsa1", M_NONE, NULL, 0,
         "ID token exp is not a number"},
        {"expired", "jwks_rsa1.json", HRS, P(AUD "\"exp\":1699999940,\"iat\":1699999900," NS),
         "RS256", "rsa1", M_NONE, NULL, 0, "ID token has expired"},
        {"no iat", "jwks_rsa1.json", HRS, P(AUD "\"exp\":1700000300," NS), "RS256", "rsa1", M_NONE,
         NULL, 0, "ID token has no iat"},
        {"old iat", "jwks_rsa1.json", HRS, P(AUD "\"exp\":1700000300,\"iat\":1699999339," NS),
         "RS256", "rsa1", M_NONE, NULL, 0, "ID token iat is too old"},
        {"future iat", "jwks_rsa1.json", HRS, P(AUD "\"exp\":1700000300,\"iat\":1700000061," NS),
         "RS256", "rsa1", M_NONE, NULL, 0, "ID token iat is in the future"},
        {"future nbf", "jwks_rsa1.json", HRS, P(AUD TIMES "\"nbf\":1700000061," NS), "RS256",
         "rsa1", M_NONE, NULL, 0, "ID token is not valid yet (nbf)"},
        {"nbf a string", "jwks_rsa1.json", HRS, P(AUD TIMES "\"nbf\":\"0\"," NS), "RS256", "rsa1",
         M_NONE, NULL, 0, "ID token nbf is not a number"},
        {"no nonce", "jwks_rsa1.json", HRS, P(AUD TIMES "\"sub\":\"alice\""), "RS256", "rsa1",
         M_NONE, NULL, 0, "ID token has no nonce"},
        {"wrong nonce", "jwks_rsa1.json", HRS, P(AUD TIMES "\"nonce\":\"n0ncf\",\"sub\":\"a\""),
         "RS256", "rsa1", M_NONE, NULL, 0, "ID token nonce does not match"},
        {"nonce a prefix", "jwks_rsa1.json", HRS, P(AUD TIMES "\"nonce\":\"n0n\",\"sub\":\"a\""),
         "RS256", "rsa1", M_NONE, NULL, 0, "ID token nonce does not match"},
        {"no sub", "jwks_rsa1.json", HRS, P(AUD TIMES "\"nonce\":\"n0nce\""), "RS256", "rsa1",
         M_NONE, NULL, 0, "ID token has no sub"},
        {"empty sub", "jwks_rsa1.json", HRS, P(AUD TIMES "\"nonce\":\"n0nce\",\"sub\":\"\""),
         "RS256", "rsa1", M_NONE, NULL, 0, "ID token has no sub"},
        {"at_hash mismatch", "jwks_rsa1.json", HRS,
         P(AUD TIMES NS ",\"at_hash\":\"AAAAAAAAAAAAAAAAAAAAAA\""), "RS256", "rsa1", M_NONE,
         "access-token-1", 0, "ID token at_hash does not match the access token"},
        {"JWKS with only a 1024-bit key", "jwks_rsa1024.json",
         "{\"alg\":\"RS256\",\"kid\":\"small\"}", NULL, "RS256", "rsa1024", M_NONE, NULL, 0,
         "no usable key in the provider's JWKS", true},
        {"several keys and no kid", "jwks_two_rsa.json", "{\"alg\":\"RS256\"}", NULL, "RS256",
         "rsa1", M_NONE, NULL, 0, "the token has no kid and several keys fit RS256"},
        {"unknown kid", "jwks_two_rsa.json", "{\"alg\":\"RS256\",\"kid\":\"rsa3\"}", NULL, "RS256",
         "rsa1", M_NONE, NULL, 0, "no key with the token's kid in the provider's JWKS", true},
        {"EC key with the wrong curve", "jwks_ec.json", "{\"alg\":\"ES256\",\"kid\":\"ec384\"}",
         NULL, "ES256", "ec384", M_NONE, NULL, 0,
         "the key with the token's kid does not fit: an EC key on P-384 cannot verify ES256"},
        {"RSA header under an EC key", "jwks_ec.json", "{\"alg\":\"RS256\",\"kid\":\"ec256\"}",
         NULL, "RS256", "rsa1", M_NONE, NULL, 0,
         "the key with the token's kid does not fit: an EC key cannot verify RS256"},
        {"no EC key for ES512", "jwks_ec.json", "{\"alg\":\"ES512\"}", NULL, "ES512", "ec521",
         M_NONE, NULL, 0, "no key in the provider's JWKS fits ES512"},
};

static char *mutate(char *token, enum mutation m)
{
	size_t len = strlen(token);
	char *out = malloc(len + 20 * 1024);
	char *sig = strrchr(token, '.');

	assert_non_null(out);
	strcpy(out, token);
	switch (m) {
	case M_NONE:
		break;
	case M_PAD:
		strcat(out, "=");
		break;
	case M_STRAY:
		out[strchr(token, '.') - token + 3] = ' ';
		break;
	case M_FOUR:
		strcat(out, ".xyz");
		break;
	case M_TWO:
		out[sig - token] = '\0';
		break;
	case M_OVERSIZE:
		memset(out + (sig - token), 'A', 17 * 1024);
		strcpy(out + (sig - token) + 17 * 1024, sig);
		break;
	case M_SHORT_SIG:
		out[len - 6] = '\0';
		break;
	case M_EMPTY_SIG:
		out[sig - token + 1] = '\0';
		break;
	case M_FLIP_SIG:
		out[sig - token + 5] = out[sig - token + 5] == 'A' ? 'B' : 'A';
		break;
	case M_BAD_B64:
		memmove(out + 1, out, len + 1);
		out[0] = 'A';
		/* the header had a length % 4 of 0, 2 or 3: make it 1 */
		while ((strchr(out, '.') - out) % 4 != 1) {
			memmove(out + 1, out, strlen(out) + 1);
			out[0] = 'A';
		}
		break;
	}
	free(token);
	return out;
}

static void test_negative(void **state)
{
	for (size_t i = 0; i < sizeof(negs) / sizeof(negs[0]); i++) {
		const struct neg *c = &negs[i];
		struct br_jwks *set = fx_jwks(c->jwks);
		struct br_jose_expect x = expect_default;
		struct br_error err = {0};
		struct br_jose_result res;
		char *token;
		json_t *claims;

		x.access_token = c->access_token;
		x.algs = c->algs;
		token = mutate(make_token(c->header, c->payload != NULL ? c->payload : PAYLOAD,
		                          c->alg, c->key),
		               c->m);
		claims = br_jose_verify_id_token(token, strlen(token), set, &x, NOW, &res, &err);
		if (claims != NULL)
			fail_msg("case \"%s\" verified", c->what);
		if (strcmp(err.msg, c->want) != 0)
			fail_msg("case \"%s\": got \"%s\", want \"%s\"", c->what, err.msg, c->want);
		assert_int_equal(err.code, BR_E_PROTOCOL);
		if (res.unknown_kid != c->unknown_kid)
			fail_msg("case \"%s\": unknown_kid %d", c->what, res.unknown_kid);
		free(token);
		br_jwks_unref(set);
	}
}

/* A refresh grant's ID token (OIDC Core 12.2): the nonce may be absent, but
 * one that is present must still be the first login's. */
static void test_nonce_optional(void **state)
{
	struct br_jwks *set = fx_jwks("jwks_rsa1.json");
	struct br_jose_expect x = expect_default;
	struct br_error err = {0};
	char *no_nonce = make_token(HRS, P(AUD TIMES "\"sub\":\"alice\""), "RS256", "rsa1");
	char *other = make_token(HRS, P(AUD TIMES "\"nonce\":\"n0ncf\",\"sub\":\"alice\""), "RS256",
	                         "rsa1");
	char *same = make_token(HRS, PAYLOAD, "RS256", "rsa1");
	json_t *claims;

	/* required by default */
	assert_null(br_jose_verify_id_token(no_nonce, strlen(no_nonce), set, &x, NOW, NULL, &err));
	assert_string_equal(err.msg, "ID token has no nonce");
	x.nonce_optional = true;
	claims = br_jose_verify_id_token(no_nonce, strlen(no_nonce), set, &x, NOW, NULL, &err);
	if (claims == NULL)
		fail_msg("%s", err.msg);
	json_decref(claims);
	assert_null(br_jose_verify_id_token(other, strlen(other), set, &x, NOW, NULL, &err));
	assert_string_equal(err.msg, "ID token nonce does not match");
	claims = br_jose_verify_id_token(same, strlen(same), set, &x, NOW, NULL, &err);
	assert_non_null(claims);
	json_decref(claims);
	free(no_nonce);
	free(other);
	free(same);
	br_jwks_unref(set);
}

static void test_edges(void **state)
{
	struct br_jwks *set = fx_jwks("jwks_rsa1.json");
	struct br_error err = {0};
	struct br_jose_result res;
	char *token = make_token(HRS, PAYLOAD, "RS256", "rsa1");
	json_t *claims;

	/* a NUL inside the length is a stray character */
	claims = br_jose_verify_id_token("a.b\0c.d", 7, set, &expect_default, NOW, &res, &err);
	assert_null(claims);
	assert_string_equal(err.msg, "ID token has a character outside base64url");
	claims = br_jose_verify_id_token("", 0, set, &expect_default, NOW, &res, &err);
	assert_null(claims);
	assert_string_equal(err.msg, "ID token is empty");
	/* no keys at all: the caller should refetch */
	claims = br_jose_verify_id_token(token, strlen(token), NULL, &expect_default, NOW, &res,
	                                 &err);
	assert_null(claims);
	assert_true(res.unknown_kid);
	assert_string_equal(res.kid, "rsa1");
	/* exactly at the bounds of skew */
	claims = br_jose_verify_id_token(token, strlen(token), set, &expect_default,
	                                 1700000300L + 60, &res, &err);
	assert_null(claims);
	assert_string_equal(err.msg, "ID token has expired");
	claims = br_jose_verify_id_token(token, strlen(token), set, &expect_default,
	                                 1700000300L + 59, &res, &err);
	assert_non_null(claims);
	json_decref(claims);
	claims = br_jose_verify_id_token(token, strlen(token), set, &expect_default, NOW, &res,
	                                 &err);
	assert_non_null(claims);
	json_decref(claims);
	free(token);
	br_jwks_unref(set);
}

struct shared {
	struct br_jwks *set;
	const char *tokens[3];
	int ok;
};

/* Each thread owns a reference (taken for it before it starts), as a worker
 * does while a refetch swaps the provider's set. */
static void *verify_many(void *arg)
{
	struct shared *sh = arg;
	struct br_jwks *set = sh->set;

	for (int i = 0; i < 30; i++) {
		const char *t = sh->tokens[i % 3];
		json_t *c = br_jose_verify_id_token(t, strlen(t), set, &expect_default, NOW, NULL,
		                                    NULL);

		if (c != NULL)
			__atomic_add_fetch(&sh->ok, 1, __ATOMIC_RELAXED);
		json_decref(c);
	}
	br_jwks_unref(set);
	return NULL;
}

static void test_threads(void **state)
{
	struct shared sh = {.set = fx_jwks("jwks_all.json")};
	char *t[3];
	pthread_t th[4];

	t[0] = make_token("{\"alg\":\"RS256\",\"kid\":\"rsa1\"}", PAYLOAD, "RS256", "rsa1");
	t[1] = make_token("{\"alg\":\"PS256\",\"kid\":\"rsa1\"}", PAYLOAD, "PS256", "rsa1");
	t[2] = make_token("{\"alg\":\"ES256\",\"kid\":\"ec256\"}", PAYLOAD, "ES256", "ec256");
	for (int i = 0; i < 3; i++)
		sh.tokens[i] = t[i];
	for (int i = 0; i < 4; i++) {
		br_jwks_ref(sh.set);
		assert_int_equal(pthread_create(&th[i], NULL, verify_many, &sh), 0);
	}
	/* the fetcher drops its reference while the workers still verify */
	br_jwks_unref(sh.set);
	for (int i = 0; i < 4; i++)
		assert_int_equal(pthread_join(th[i], NULL), 0);
	assert_int_equal(sh.ok, 4 * 30);
	for (int i = 0; i < 3; i++)
		free(t[i]);
}

static void test_algs(void **state)
{
	json_t *v = json_loads("[\"RS256\",\"HS256\",\"none\",\"ES512\",3]", 0, NULL);

	assert_int_equal(br_jose_algs_from_discovery(NULL), BR_JWA_RS256);
	assert_int_equal(br_jose_algs_from_discovery(v), BR_JWA_RS256 | BR_JWA_ES512);
	json_decref(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_happy_paths), cmocka_unit_test(test_at_hash_ok),
	        cmocka_unit_test(test_negative),    cmocka_unit_test(test_nonce_optional),
	        cmocka_unit_test(test_edges),       cmocka_unit_test(test_threads),
	        cmocka_unit_test(test_algs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
