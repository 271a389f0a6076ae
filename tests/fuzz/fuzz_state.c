/*
 * fuzz_state.c - libFuzzer target: open arbitrary login state cookie values
 * and Cookie headers under a fixed key.
 *
 * `make fuzz` builds and runs it (tests/fuzz/build.sh, run.sh).  By hand,
 * from the top of the source tree:
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Iinclude -Itests/fuzz \
 *     tests/fuzz/fuzz_state.c bridge/state.c bridge/jose.c bridge/jwks.c bridge/error.c \
 *     $(pkg-config --cflags --libs cjose jansson libcrypto) -o fuzz_state
 *   ./fuzz_state -max_total_time=60 tests/fuzz/corpus/state
 *
 * (tests/fuzz/config.h is the stand-in for autoconf's config.h.)
 * The seeds are sealed under the key below by tests/fuzz/gen_seeds.py.
 * The input is also sealed as it is, as the plaintext record, so that the
 * record parser (fixed part, fields, optional tagged fields) sees arbitrary
 * bytes behind a valid tag: what it opens must be well-formed.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "bridge/error.h"
#include "bridge/jitsi.h"
#include "bridge/b64url.h"
#include "bridge/state.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const unsigned char key[32] = "0123456789abcdef0123456789abcdef";

/* Seals data as the plaintext record under cookie name "jitsi_oidc_AAAAAAAA"
 * and opens it. */
static void open_plaintext(const uint8_t *data, size_t size)
{
	static const char name[] = "jitsi_oidc_AAAAAAAA";
	unsigned char *sealed = malloc(12 + size + 16);
	char *value = malloc(br_b64url_len(12 + size + 16) + 1);
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	struct br_login_state st;
	int outl = 0, finl = 0;

	if (sealed == NULL || value == NULL || ctx == NULL || size > 4096)
		goto out;
	memset(sealed, 1, 12);
	if (EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, key, sealed) != 1 ||
	    EVP_EncryptUpdate(ctx, NULL, &outl, (const unsigned char *)name, sizeof(name) - 1) !=
	            1 ||
	    EVP_EncryptUpdate(ctx, sealed + 12, &outl, data, (int)size) != 1 ||
	    EVP_EncryptFinal_ex(ctx, sealed + 12 + outl, &finl) != 1 ||
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, sealed + 12 + size) != 1)
		goto out;
	br_b64url_encode(sealed, 12 + size + 16, value);
	if (br_state_open(key, name, value, 1700000000, 1L << 40, &st, NULL) == 0) {
		if (strlen(st.state) != 22 || strlen(st.nonce) != 22 || strlen(st.verifier) != 43 ||
		    (unsigned)st.app > BR_JITSI_ELECTRON ||
		    (st.overrides != NULL && !br_jitsi_overrides_valid(st.overrides)))
			abort();
		br_state_clear(&st);
	}
out:
	EVP_CIPHER_CTX_free(ctx);
	free(sealed);
	free(value);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct br_login_state st;
	struct br_state_cookie *list = NULL;
	struct br_error err;
	char *text = malloc(size + 1);
	size_t n = 0;

	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (br_state_open(key, "jitsi_oidc_AAAAAAAA", text, 1700000000, 600, &st, &err) == 0) {
		if (strlen(st.state) != 22 || strlen(st.nonce) != 22 || strlen(st.verifier) != 43)
			abort();
		br_state_clear(&st);
	}
	if (br_state_open_from_header(key, text, "AAAAAAAAAAAAAAAAAAAAAA", 1700000000, 600, &st,
	                              &err) == 0)
		br_state_clear(&st);
	if (br_state_cookies_to_expire(key, text, 1700000000, 600, 7, &list, &n, &err) == 0)
		free(list);
	if (br_state_cookies_to_expire_within(key, text, 1700000000, 600, 7, 512, &list, &n,
	                                      &err) == 0)
		free(list);
	free(text);
	open_plaintext(data, size);
	return 0;
}
