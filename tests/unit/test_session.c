/* test_session.c - the purpose-labelled seal, the renewal handle and the
 * logout hint: round trips, expiry, tampering, wrong purpose, another key,
 * the previous key. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bridge/error.h"
#include "bridge/seal.h"
#include "bridge/session.h"
#include "bridge/state.h"

#define NOW 1700000000L

static const unsigned char key[32] = "0123456789abcdef0123456789abcdef";
static const unsigned char key2[32] = "0123456789abcdef0123456789abcdeF";

static const struct br_seal_keys only_key = {key, NULL};
static const struct br_seal_keys only_key2 = {key2, NULL};
static const struct br_seal_keys rolled = {key2, key}; /* key2 new, key previous */

static struct br_session_handle sample(void)
{
	struct br_session_handle h = {
	        .issued = NOW,
	        .end = NOW + 12 * 3600,
	        .sub = "248289761001",
	        .user_id = "alice@example.org",
	        .room = "Zoë's room",
	        .tenant = "acme",
	        .nonce = "n-0S6_WzA2Mj",
	        .refresh_token = "rt.opaque-from-the-idp",
	};
	return h;
}

static bool url_safe(const char *s)
{
	return strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
	       strlen(s);
}

static void test_seal_round_trip(void **state)
{
	const unsigned char plain[] = "hello\0world";
	unsigned char *out;
	size_t len = 0;
	bool prev = true;
	char *a = br_seal(key, "seal:test:1", plain, sizeof(plain), NULL);
	char *b = br_seal(key, "seal:test:1", plain, sizeof(plain), NULL);

	assert_non_null(a);
	assert_non_null(b);
	assert_string_not_equal(a, b); /* a fresh IV each time */
	assert_int_equal(strlen(a), br_seal_len(sizeof(plain)));
	assert_true(url_safe(a));
	out = br_seal_open(&only_key, "seal:test:1", a, 4096, &len, &prev, NULL);
	assert_non_null(out);
	assert_false(prev);
	assert_int_equal(len, sizeof(plain));
	assert_memory_equal(out, plain, sizeof(plain));
	free(out);
	free(a);
	free(b);
}

static void test_seal_refused(void **state)
{
	const unsigned char plain[] = "value";
	struct br_error err;
	size_t len = 0;
	char *a = br_seal(key, "seal:test:1", plain, sizeof(plain), NULL);
	char *t;

	assert_non_null(a);
	/* another purpose */
	assert_null(br_seal_open(&only_key, "seal:other:1", a, 4096, &len, NULL, &err));
	assert_int_equal(err.code, BR_E_STATE);
	/* another key */
	assert_null(br_seal_open(&only_key2, "seal:test:1", a, 4096, &len, NULL, &err));
	assert_int_equal(err.code, BR_E_STATE);
	/* one character changed anywhere: IV, ciphertext, tag */
	for (size_t i = 0; i < strlen(a); i += 5) {
		t = strdup(a);
		t[i] = t[i] == 'A' ? 'B' : 'A';
		assert_null(br_seal_open(&only_key, "seal:test:1", t, 4096, &len, NULL, &err));
		assert_int_equal(err.code, BR_E_STATE);
		free(t);
	}
	/* cut short, not base64url, too long to read */
	t = strdup(a);
	t[20] = '\0';
	assert_null(br_seal_open(&only_key, "seal:test:1", t, 4096, &len, NULL, &err));
	free(t);
	assert_null(br_seal_open(&only_key, "seal:test:1", "a+b/", 4096, &len, NULL, &err));
	assert_string_equal(err.msg, "sealed value is not base64url");
	assert_null(br_seal_open(&only_key, "seal:test:1", a, 10, &len, NULL, &err));
	assert_string_equal(err.msg, "sealed value too long");
	assert_null(br_seal_open(&only_key, "seal:test:1", NULL, 10, &len, NULL, &err));
	free(a);
}

static void test_seal_previous_key(void **state)
{
	const unsigned char plain[] = "value";
	size_t len = 0;
	bool prev = false;
	char *old = br_seal(key, "seal:test:1", plain, sizeof(plain), NULL);
	char *cur = br_seal(key2, "seal:test:1", plain, sizeof(plain), NULL);
	unsigned char *out;

	/* sealed under the previous key: opens, and says so */
	out = br_seal_open(&rolled, "seal:test:1", old, 4096, &len, &prev, NULL);
	assert_non_null(out);
	assert_true(prev);
	free(out);
	out = br_seal_open(&rolled, "seal:test:1", cur, 4096, &len, &prev, NULL);
	assert_non_null(out);
	assert_false(prev);
	free(out);
	/* without the previous key configured, the old value is refused */
	assert_null(br_seal_open(&only_key2, "seal:test:1", old, 4096, &len, NULL, NULL));
	free(old);
	free(cur);
}

static void test_login_state_is_not_a_handle(void **state)
{
	struct br_login_state st;
	struct br_session_handle h;
	struct br_error err;
	char name[BR_STATE_COOKIE_NAME_MAX];
	char *cookie;

	assert_int_equal(br_state_new(&st, "room", NULL, NOW, NULL), 0);
	cookie = br_state_seal(key, &st, name, NULL);
	assert_non_null(cookie);
	assert_int_equal(br_session_handle_open(&only_key, cookie, NOW, &h, &err), -1);
	assert_int_equal(err.code, BR_E_STATE);
	assert_null(h.sub);
	free(cookie);
	br_state_clear(&st);
}

static void test_handle_round_trip(void **state)
{
	struct br_session_handle h = sample(), out;
	char *text = br_session_handle_seal(key, &h, NULL);

	assert_non_null(text);
	assert_true(url_safe(text));
	assert_null(strstr(text, "rt.opaque")); /* nothing of the IdP's token in clear */
	assert_int_equal(br_session_handle_open(&only_key, text, NOW + 3600, &out, NULL), 0);
	assert_int_equal(out.issued, NOW);
	assert_int_equal(out.end, NOW + 12 * 3600);
	assert_string_equal(out.sub, h.sub);
	assert_string_equal(out.user_id, h.user_id);
	assert_string_equal(out.room, h.room);
	assert_string_equal(out.tenant, h.tenant);
	assert_string_equal(out.nonce, h.nonce);
	assert_string_equal(out.refresh_token, h.refresh_token);
	br_session_handle_clear(&out);
	assert_null(out.sub);
	free(text);

	/* optional fields absent */
	h.room = NULL;
	h.tenant = NULL;
	h.refresh_token = NULL;
	text = br_session_handle_seal(key, &h, NULL);
	assert_non_null(text);
	assert_int_equal(br_session_handle_open(&only_key, text, NOW, &out, NULL), 0);
	assert_null(out.room);
	assert_null(out.tenant);
	assert_null(out.refresh_token);
	br_session_handle_clear(&out);
	free(text);
}

static void test_handle_expiry(void **state)
{
	struct br_session_handle h = sample(), out;
	struct br_error err;
	char *text = br_session_handle_seal(key, &h, NULL);

	assert_int_equal(br_session_handle_open(&only_key, text, h.end - 1, &out, NULL), 0);
	br_session_handle_clear(&out);
	assert_int_equal(br_session_handle_open(&only_key, text, h.end, &out, &err), -1);
	assert_string_equal(err.msg, "renewal handle expired");
	assert_null(out.refresh_token);
	assert_int_equal(br_session_handle_open(&only_key, text, NOW - 61, &out, &err), -1);
	assert_string_equal(err.msg, "renewal handle from the future");
	free(text);
}

static void test_handle_refused(void **state)
{
	struct br_session_handle h = sample(), out;
	struct br_error err;
	char *text = br_session_handle_seal(key, &h, NULL);
	char *hint = br_session_hint_seal(key, "e.y.z", NOW + 60, NULL);
	char *t;

	/* tampered */
	t = strdup(text);
	t[strlen(t) / 2] ^= 1;
	assert_int_equal(br_session_handle_open(&only_key, t, NOW, &out, &err), -1);
	assert_int_equal(err.code, BR_E_STATE);
	assert_non_null(strstr(err.msg, "renewal handle"));
	free(t);
	/* wrong purpose: a logout hint is not a handle, and the reverse */
	assert_int_equal(br_session_handle_open(&only_key, hint, NOW, &out, &err), -1);
	assert_null(br_session_hint_open(&only_key, text, NOW, &err));
	assert_int_equal(err.code, BR_E_STATE);
	/* another key; the same with it as the previous key */
	assert_int_equal(br_session_handle_open(&only_key2, text, NOW, &out, &err), -1);
	assert_int_equal(br_session_handle_open(&rolled, text, NOW, &out, NULL), 0);
	br_session_handle_clear(&out);
	/* empty and garbage */
	assert_int_equal(br_session_handle_open(&only_key, "", NOW, &out, &err), -1);
	assert_int_equal(br_session_handle_open(&only_key, "{}", NOW, &out, &err), -1);
	free(text);
	free(hint);
}

static void test_handle_limits(void **state)
{
	struct br_session_handle h = sample();
	struct br_error err;
	char *big = malloc(BR_SESSION_REFRESH_MAX + 2);
	char *text;

	memset(big, 'r', BR_SESSION_REFRESH_MAX + 1);
	big[BR_SESSION_REFRESH_MAX + 1] = '\0';
	h.refresh_token = big;
	assert_null(br_session_handle_seal(key, &h, &err));
	assert_int_equal(err.code, BR_E_INVALID);
	big[BR_SESSION_REFRESH_MAX] = '\0';
	text = br_session_handle_seal(key, &h, NULL);
	assert_non_null(text);
	assert_true(strlen(text) <= BR_SESSION_HANDLE_TEXT_MAX);
	free(text);
	h = sample();
	h.sub = "";
	assert_null(br_session_handle_seal(key, &h, &err));
	h = sample();
	h.nonce = NULL;
	assert_null(br_session_handle_seal(key, &h, &err));
	free(big);
}

static void test_hint(void **state)
{
	struct br_error err;
	char *text = br_session_hint_seal(key, "eyJh.eyJi.c2ln", NOW + 100, NULL);
	char *tok, *hdr;

	assert_non_null(text);
	assert_true(url_safe(text));
	tok = br_session_hint_open(&only_key, text, NOW, NULL);
	assert_string_equal(tok, "eyJh.eyJi.c2ln");
	free(tok);
	assert_null(br_session_hint_open(&only_key, text, NOW + 100, &err));
	assert_string_equal(err.msg, "logout hint expired");
	assert_null(br_session_hint_open(&only_key2, text, NOW, &err));
	tok = br_session_hint_open(&rolled, text, NOW, NULL);
	assert_non_null(tok);
	free(tok);

	/* from a Cookie header: skips other cookies and ones that do not open */
	hdr = malloc(strlen(text) * 2 + 200);
	sprintf(hdr,
	        "a=b; jitsi_logout_hint=garbage; jitsi_logout_hintX=%s;  jitsi_logout_hint=%s ",
	        text, text);
	tok = br_session_hint_from_cookies(&only_key, hdr, NOW);
	assert_string_equal(tok, "eyJh.eyJi.c2ln");
	free(tok);
	assert_null(br_session_hint_from_cookies(&only_key2, hdr, NOW));
	assert_null(br_session_hint_from_cookies(&only_key, NULL, NOW));
	sprintf(hdr, "jitsi_logout_hintX=%s", text);
	assert_null(br_session_hint_from_cookies(&only_key, hdr, NOW));
	free(hdr);
	free(text);

	/* an ID token too big for one cookie is not kept */
	char *big = malloc(BR_SESSION_ID_TOKEN_MAX + 2);
	memset(big, 'a', BR_SESSION_ID_TOKEN_MAX + 1);
	big[BR_SESSION_ID_TOKEN_MAX + 1] = '\0';
	assert_null(br_session_hint_seal(key, big, NOW + 100, &err));
	big[BR_SESSION_ID_TOKEN_MAX] = '\0';
	text = br_session_hint_seal(key, big, NOW + 100, NULL);
	assert_non_null(text);
	assert_true(strlen(text) <= BR_SESSION_HINT_TEXT_MAX);
	free(text);
	free(big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_seal_round_trip),
	        cmocka_unit_test(test_seal_refused),
	        cmocka_unit_test(test_seal_previous_key),
	        cmocka_unit_test(test_login_state_is_not_a_handle),
	        cmocka_unit_test(test_handle_round_trip),
	        cmocka_unit_test(test_handle_expiry),
	        cmocka_unit_test(test_handle_refused),
	        cmocka_unit_test(test_handle_limits),
	        cmocka_unit_test(test_hint),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
