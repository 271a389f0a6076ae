/*
 * fuzz_jose.c - libFuzzer target: verify arbitrary token text against a
 * fixed JWK set (the keys of tests/data/jose/jwks_all.json).  An input that
 * starts with '{' is instead taken as the payload of a token the target
 * signs itself (ES256, tests/data/jose/ec256.pem), so the claim checks
 * behind the signature are fuzzed too.
 *
 * `make fuzz` builds and runs it (tests/fuzz/build.sh, run.sh).  By hand,
 * from the top of the source tree:
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Iinclude -Itests/fuzz \
 *     tests/fuzz/fuzz_jose.c bridge/jose.c bridge/jwks.c bridge/error.c \
 *     $(pkg-config --cflags --libs cjose jansson libcrypto) -o fuzz_jose
 *   ./fuzz_jose -max_total_time=60 tests/fuzz/corpus/jose
 *
 * (tests/fuzz/config.h is the stand-in for autoconf's config.h.)
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "bridge/error.h"
#include "bridge/b64url.h"
#include "bridge/jose.h"
#include "bridge/jwks.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char jwks_text[] =
        "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"rsa1\",\"n\":\"y3tHYfFtbfqkxCn-ItV0J_PpbVblF8O_"
        "Mc0u06EyVyPXnU8yrw"
        "bJ2QfV7VtOmt4X87uCtkNuUsoAoPGgwiEum4VMoyVRFUSrH5StQz-YfHNhcUFpxBVg-W1d4Smc0uk0Lj73JX9z_K0Q"
        "Zjm_s9GoECmRtf69X-hUhtfE0tvoGOJPQCAGxiG0rhE31i_XbZMMvu7XY-NO05cmQKow-4Hv_YfDkHfmVgtXqSmFhf"
        "RUa3RGVjb_hoOIfl8E3SFWRbUXxVlx8Li0vvfuI6njxXK5GvQKYfvjDh25S2dZARlxQzHVPwSnZqWp16arBd7hYS-w"
        "xHxXVXjrYgIpUzsSgYRdFw\",\"e\":\"AQAB\",\"use\":\"sig\"},{\"kty\":\"RSA\",\"kid\":"
        "\"rsa2\",\"n\":\"xW6mVvXsPpl"
        "XsUxgDx84CpVoqVsy7hf9QQGWQ4TBLwYmqWs-6comZf6DZdTJsmZGZVSMvWd2Tm1mKb1yYhGF8hoA9NfNAzty6heT6"
        "Mep-28kgFlX_Hqr_VHcWB5hbpCR1pEREPhsKhrE6Ek9xxJcFyDI_J0a8mWBPEoVEaCZL9RU2o9i67uq0cEpaoQKuWf"
        "nrp4c4KC1nUPxsMxx1NhmgmMd2t-HSJEOZsjupSQMRAkeHU47z2B_oSbtZ4D5HaFAFXwJnfL1Leh6UjY0aQGw9rIDJ"
        "kBuvgSC0fSp5_5TdpzmozVHs-YAC92l0yFqF6zLY70x7NSspi7UbWzzs8T6Bw\",\"e\":\"AQAB\",\"alg\":"
        "\"RS256\"},{"
        "\"kty\":\"EC\",\"kid\":\"ec256\",\"crv\":\"P-256\",\"x\":\"QoZGoHlVRvwjmjZQNbgcSHkaTwBaz-"
        "igtn-1CKblZGI\",\""
        "y\":\"StNuep_Ja1T6ZJVaC31W2Uu9zUHK8vdsMChvMbjQoxw\"},{\"kty\":\"EC\",\"kid\":\"ec384\","
        "\"crv\":\"P-384\","
        "\"x\":\"9cGoGB_9xbqaXWln1GX8zMH7NAO7QnmSY2tBoWOtT8X-sGTxHFq4a5XyyQDMpeQx\",\"y\":\"Y23nU_"
        "9C2NbABf"
        "Z2FWrIV9hVoHYr12sUSQR9oMj2oQVlhSDVXB9VgV6Mwm961546\"},{\"kty\":\"EC\",\"kid\":\"ec521\","
        "\"crv\":\"P-52"
        "1\",\"x\":\"Afe61s7F3yeOLnKhp3-BW4-"
        "kRdaxWBDpmfDWXoR9FQnsrEBGuI8FedBQ6dKHIOBmBKe1sGtMz2f2yy9Kvc"
        "PAUEKR\",\"y\":"
        "\"AT2Hfh9hY9iJiC0QInp5V7FDSWzKu5wrYNFPyZ8BakZM2s39yrNbnoupXySdRsjWRhZTCnZxcwTbG"
        "qgqX06Txysz\"}]}";

static const char ec256_pem[] = "-----BEGIN PRIVATE KEY-----\n"
                                "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgwfGZqst1lyImJYmB\n"
                                "r6KFhgwZsjjvuLsJZGvhoHBLW5ChRANCAARChkageVVG/COaNlA1uBxIeRpPAFrP\n"
                                "6KC2f7UIpuVkYkrTbnqfyWtU+mSVWgt9VtlLvc1ByvL3bDAobzG40KMc\n"
                                "-----END PRIVATE KEY-----\n";

static struct br_jwks *keys;
static EVP_PKEY *signer;

/* header.payload.signature for payload, signed ES256 by signer. */
static char *sign_payload(const uint8_t *data, size_t size)
{
	static const char header[] = "{\"alg\":\"ES256\",\"kid\":\"ec256\"}";
	size_t cap = br_b64url_len(sizeof(header)) + br_b64url_len(size) + 100;
	char *token = malloc(cap);
	unsigned char der[80], raw[64];
	const unsigned char *q = der;
	size_t der_len = sizeof(der), n;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	ECDSA_SIG *sig = NULL;

	if (token == NULL || ctx == NULL)
		abort();
	n = br_b64url_encode((const unsigned char *)header, sizeof(header) - 1, token);
	token[n++] = '.';
	n += br_b64url_encode(data, size, token + n);
	if (EVP_DigestSignInit(ctx, NULL, EVP_sha256(), NULL, signer) != 1 ||
	    EVP_DigestSign(ctx, der, &der_len, (unsigned char *)token, n) != 1 ||
	    (sig = d2i_ECDSA_SIG(NULL, &q, (long)der_len)) == NULL)
		abort();
	BN_bn2binpad(ECDSA_SIG_get0_r(sig), raw, 32);
	BN_bn2binpad(ECDSA_SIG_get0_s(sig), raw + 32, 32);
	token[n++] = '.';
	br_b64url_encode(raw, sizeof(raw), token + n);
	ECDSA_SIG_free(sig);
	EVP_MD_CTX_free(ctx);
	return token;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct br_jose_expect expect = {
	        .issuer = "https://idp.example/realms/r",
	        .client_id = "bridge",
	        .nonce = "n0nce",
	        .clock_skew = 60,
	        .max_token_age = 600,
	        .access_token = "access-token-1",
	};
	struct br_jose_result res;
	struct br_error err;
	json_t *claims;

	if (keys == NULL) {
		BIO *bio = BIO_new_mem_buf(ec256_pem, -1);

		keys = br_jwks_parse(jwks_text, strlen(jwks_text), NULL);
		signer = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
		BIO_free(bio);
		if (keys == NULL || br_jwks_count(keys) != 5 || signer == NULL)
			abort();
	}
	if (size > 0 && data[0] == '{' && size < 8192) {
		char *token = sign_payload(data, size);

		claims = br_jose_verify_id_token(token, strlen(token), keys, &expect, 1700000000,
		                                 &res, &err);
		free(token);
		/* whatever verifies must hold what the checks promise */
		if (claims != NULL &&
		    (strcmp(json_string_value(json_object_get(claims, "nonce")), "n0nce") != 0 ||
		     strcmp(json_string_value(json_object_get(claims, "iss")), expect.issuer) !=
		             0 ||
		     json_string_length(json_object_get(claims, "sub")) == 0))
			abort();
		json_decref(claims);
		return 0;
	}
	claims = br_jose_verify_id_token((const char *)data, size, keys, &expect, 1700000000, &res,
	                                 &err);
	/* a forged token must never verify */
	if (claims != NULL)
		abort();
	return 0;
}
