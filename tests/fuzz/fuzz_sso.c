/*
 * fuzz_sso.c - libFuzzer target: Jitsi's native SSO.  The input is parsed
 * as a POST P/token form, opened as a code, a request cookie and a Cookie
 * header, stripped as Jitsi's state, and sealed as the plaintext of a code
 * and of a request under the fixed key, so that the JSON readers behind a
 * valid tag see arbitrary bytes too.
 *
 * `make fuzz` builds and runs it (tests/fuzz/build.sh, run.sh).  The seeds
 * in tests/fuzz/corpus/sso are forms and plaintext records.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bridge/error.h"
#include "bridge/seal.h"
#include "bridge/sso.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const unsigned char key[32] = "0123456789abcdef0123456789abcdef";
static const unsigned char old[32] = "fedcba9876543210fedcba9876543210";
#define NOW   1700000000
#define STATE "abcdefghijklmnopqrstuv"

static void check_code(const struct br_sso_code *c)
{
	if (c->client_id == NULL || c->redirect_uri == NULL || c->challenge == NULL ||
	    c->sub == NULL || c->access_token == NULL || c->end <= NOW ||
	    c->end - NOW > BR_SSO_CODE_LIFETIME + 60)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct br_seal_keys keys = {key, old};
	struct br_sso_form f;
	struct br_sso_code c;
	struct br_sso_request req;
	struct br_error err;
	char *text = malloc(size + 1), *s, *out, *handle;

	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (br_sso_form_parse((const char *)data, size, &f, &err) == 0)
		br_sso_form_clear(&f);
	if (br_sso_code_open(&keys, text, NOW, &c, &err) == 0) {
		check_code(&c);
		br_sso_code_clear(&c);
	}
	if (br_sso_request_open(&keys, text, STATE, &req, &err) == 0)
		br_sso_request_clear(&req);
	if (br_sso_request_from_header(&keys, text, STATE, &req, &err) == 0)
		br_sso_request_clear(&req);
	if (br_sso_state_strip(text, &out, &handle, &err) == 0) {
		free(out);
		free(handle);
	}
	(void)br_sso_pkce_ok(text, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
	free(br_sso_uri_encode(text));

	/* the input as the plaintext behind a valid tag */
	s = br_seal(key, BR_SEAL_SSO_CODE, data, size, &err);
	if (s != NULL) {
		if (br_sso_code_open(&keys, s, NOW, &c, &err) == 0) {
			check_code(&c);
			/* what opens seals again and opens the same */
			char *again = br_sso_code_seal(key, &c, &err);
			struct br_sso_code c2;
			if (again != NULL) {
				if (br_sso_code_open(&keys, again, NOW, &c2, &err) != 0 ||
				    strcmp(c2.access_token, c.access_token) != 0 ||
				    strcmp(c2.sub, c.sub) != 0 || c2.end != c.end)
					abort();
				br_sso_code_clear(&c2);
				free(again);
			}
			br_sso_code_clear(&c);
		}
		free(s);
	}
	s = br_seal(key, BR_SEAL_SSO_REQUEST, data, size, &err);
	if (s != NULL) {
		if (br_sso_request_open(&keys, s, STATE, &req, &err) == 0) {
			if (req.jitsi_state == NULL || req.challenge == NULL)
				abort();
			br_sso_request_clear(&req);
		}
		free(s);
	}
	free(text);
	return 0;
}
