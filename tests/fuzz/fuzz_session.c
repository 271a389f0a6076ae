/*
 * fuzz_session.c - libFuzzer target: the renewal handle and the logout hint.
 * The input is opened as a handle, as a hint and as a Cookie header, and
 * also sealed as the plaintext record under the fixed key, so that the
 * record parsers behind a valid tag see arbitrary bytes too.
 *
 * `make fuzz` builds and runs it (tests/fuzz/build.sh, run.sh).  The seeds
 * in tests/fuzz/corpus/session are plaintext records.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bridge/error.h"
#include "bridge/seal.h"
#include "bridge/session.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const unsigned char key[32] = "0123456789abcdef0123456789abcdef";
static const unsigned char old[32] = "fedcba9876543210fedcba9876543210";
#define NOW 1700000000

static void check_handle(const struct br_session_handle *h)
{
	if (h->sub == NULL || h->user_id == NULL || h->nonce == NULL || *h->sub == '\0' ||
	    h->end <= NOW || h->issued > NOW + BR_SESSION_FUTURE_SKEW)
		abort();
	if (h->refresh_token != NULL && strlen(h->refresh_token) > BR_SESSION_REFRESH_MAX)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct br_seal_keys keys = {key, old};
	struct br_session_handle h;
	struct br_error err;
	char *text = malloc(size + 1), *s;

	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (br_session_handle_open(&keys, text, NOW, &h, &err) == 0) {
		check_handle(&h);
		br_session_handle_clear(&h);
	}
	free(br_session_hint_open(&keys, text, NOW, &err));
	free(br_session_hint_from_cookies(&keys, text, NOW));

	/* the input as the plaintext behind a valid tag */
	s = br_seal(key, BR_SEAL_RENEWAL, data, size, &err);
	if (s != NULL) {
		if (br_session_handle_open(&keys, s, NOW, &h, &err) == 0) {
			check_handle(&h);
			/* what opens seals again and opens the same */
			char *again = br_session_handle_seal(key, &h, &err);
			struct br_session_handle h2;
			if (again == NULL ||
			    br_session_handle_open(&keys, again, NOW, &h2, &err) != 0 ||
			    strcmp(h.sub, h2.sub) != 0 || h.end != h2.end)
				abort();
			br_session_handle_clear(&h2);
			free(again);
			br_session_handle_clear(&h);
		}
		free(s);
	}
	s = br_seal(old, BR_SEAL_LOGOUT_HINT, data, size, &err);
	if (s != NULL) {
		char *tok = br_session_hint_open(&keys, s, NOW, &err);
		if (tok != NULL && (*tok == '\0' || strlen(tok) > BR_SESSION_ID_TOKEN_MAX))
			abort();
		free(tok);
		free(s);
	}
	free(text);
	return 0;
}
