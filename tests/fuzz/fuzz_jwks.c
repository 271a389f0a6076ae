/*
 * fuzz_jwks.c - libFuzzer target: parse an arbitrary JWK set and look keys up.
 *
 * `make fuzz` builds and runs it (tests/fuzz/build.sh, run.sh).  By hand,
 * from the top of the source tree:
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Iinclude -Itests/fuzz \
 *     tests/fuzz/fuzz_jwks.c bridge/jose.c bridge/jwks.c bridge/error.c \
 *     $(pkg-config --cflags --libs cjose jansson libcrypto) -o fuzz_jwks
 *   ./fuzz_jwks -max_total_time=60 tests/fuzz/corpus/jwks
 *
 * (tests/fuzz/config.h is the stand-in for autoconf's config.h.)
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bridge/error.h"
#include "bridge/jwa.h"
#include "bridge/jwks.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const kids[] = {NULL, "rsa1", "ec256", ""};
	struct br_error err;
	struct br_jwks *set = br_jwks_parse((const char *)data, size, &err);

	if (set == NULL)
		return 0;
	for (size_t i = 0; i < br_jwks_skipped_count(set); i++) {
		if (strlen(br_jwks_skipped(set, i)) == 0)
			abort();
	}
	for (size_t i = 0; i < br_jwks_count(set); i++) {
		const struct br_jwk *k = br_jwks_key(set, i);

		if (k->jwk == NULL || k->sig_len == 0 ||
		    (k->kty == BR_JWK_RSA && k->bits < BR_JWKS_MIN_RSA_BITS))
			abort();
	}
	for (unsigned alg = BR_JWA_RS256; alg <= BR_JWA_ES512; alg <<= 1) {
		for (size_t j = 0; j < sizeof(kids) / sizeof(kids[0]); j++) {
			const struct br_jwk *k = br_jwks_find(set, kids[j], alg, &err);

			if (k != NULL && k->alg != 0 && k->alg != alg)
				abort();
		}
	}
	br_jwks_ref(set);
	br_jwks_unref(set);
	br_jwks_unref(set);
	return 0;
}
