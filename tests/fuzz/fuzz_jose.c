/*
 * fuzz_jose.c - libFuzzer target: verify arbitrary token text against a
 * fixed JWK set (the keys of tests/data/jose/jwks_all.json).
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

#include "bridge/error.h"
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

static struct br_jwks *keys;

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
		keys = br_jwks_parse(jwks_text, strlen(jwks_text), NULL);
		if (keys == NULL || br_jwks_count(keys) != 5)
			abort();
	}
	claims = br_jose_verify_id_token((const char *)data, size, keys, &expect, 1700000000, &res,
	                                 &err);
	/* a forged token must never verify */
	if (claims != NULL)
		abort();
	return 0;
}
