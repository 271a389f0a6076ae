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
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bridge/error.h"
#include "bridge/state.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const unsigned char key[32] = "0123456789abcdef0123456789abcdef";

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
	free(text);
	return 0;
}
