/* test_state.c - the sealed login state cookie and the cookie jar helpers. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/evp.h>

#include "bridge/error.h"
#include "bridge/jose.h"
#include "bridge/state.h"

#define NOW     1700000000L
#define TIMEOUT 600L

static const unsigned char key[32] = "0123456789abcdef0123456789abcdef";
static const unsigned char key2[32] = "0123456789abcdef0123456789abcdeF";

static bool all_b64url(const char *s)
{
	return strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
	       strlen(s);
}

static void test_new(void **state)
{
	struct br_login_state a, b;

	assert_int_equal(br_state_new(&a, "room1", NULL, NOW, NULL), 0);
	assert_int_equal(br_state_new(&b, NULL, "t", NOW, NULL), 0);
	assert_int_equal(strlen(a.state), 22);
	assert_int_equal(strlen(a.nonce), 22);
	assert_int_equal(strlen(a.verifier), 43);
	assert_true(all_b64url(a.state) && all_b64url(a.nonce) && all_b64url(a.verifier));
	assert_string_not_equal(a.state, b.state);
	assert_string_not_equal(a.state, a.nonce);
	assert_string_equal(a.room, "room1");
	assert_null(a.tenant);
	assert_null(b.room);
	assert_string_equal(b.tenant, "t");
	assert_int_equal(a.created, NOW);
	br_state_clear(&a);
	br_state_clear(&b);
	assert_null(a.room);
}

static void test_challenge(void **state)
{
	/* RFC 7636 appendix B */
	char out[44];

	br_state_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk", out);
	assert_string_equal(out, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

static char *seal(const struct br_login_state *st, char name[32])
{
	struct br_error err = {0};
	char *v = br_state_seal(key, st, name, &err);

	if (v == NULL)
		fail_msg("%s", err.msg);
	return v;
}

static void test_round_trip(void **state)
{
	static const struct {
		const char *room, *tenant;
		bool prompt_none, popup, sso;
	} cases[] = {
	        {"room1", NULL, false, false, false},         {NULL, NULL, true, true, false},
	        {"zoë's room", "tenant", false, true, false}, {"", "", true, false, false},
	        {"Team Room", NULL, false, false, true}, /* native SSO (flag bit 6) */
	        {"Team Room", "t", true, false, true},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct br_login_state st, out;
		struct br_error err = {0};
		char name[32];
		char *v;

		assert_int_equal(br_state_new(&st, cases[i].room, cases[i].tenant, NOW, NULL), 0);
		st.prompt_none = cases[i].prompt_none;
		st.popup = cases[i].popup;
		st.sso = cases[i].sso;
		v = seal(&st, name);
		assert_int_equal(strncmp(name, "jitsi_oidc_", 11), 0);
		assert_memory_equal(name + 11, st.state, 8);
		assert_int_equal(strlen(name), 19);
		if (br_state_open(key, name, v, NOW + 10, TIMEOUT, &out, &err) != 0)
			fail_msg("%s", err.msg);
		assert_string_equal(out.state, st.state);
		assert_string_equal(out.nonce, st.nonce);
		assert_string_equal(out.verifier, st.verifier);
		assert_int_equal(out.created, NOW);
		assert_int_equal(out.prompt_none, cases[i].prompt_none);
		assert_int_equal(out.popup, cases[i].popup);
		assert_int_equal(out.sso, cases[i].sso);
		if (cases[i].room == NULL)
			assert_null(out.room);
		else
			assert_string_equal(out.room, cases[i].room);
		if (cases[i].tenant == NULL)
			assert_null(out.tenant);
		else
			assert_string_equal(out.tenant, cases[i].tenant);
		br_state_clear(&out);
		br_state_clear(&st);
		free(v);
	}
}

static void test_refused(void **state)
{
	struct br_login_state st, out;
	char name[32], other[32];
	char *v, *bad;
	size_t len;
	struct br_error err;

	assert_int_equal(br_state_new(&st, "room", NULL, NOW, NULL), 0);
	v = seal(&st, name);
	len = strlen(v);
	bad = malloc(8192);
	assert_non_null(bad);
	snprintf(other, sizeof(other), "jitsi_oidc_AAAAAAAA");

	struct {
		const char *what;
		const unsigned char *key;
		const char *name;
		const char *value;
		time_t now;
		const char *want;
	} cases[] = {
	        {"wrong key", key2, name, v, NOW, "login state tampered"},
	        {"wrong name", key, other, v, NOW, "login state tampered"},
	        {"tampered byte", key, name, bad, NOW, "login state tampered"},
	        {"expired", key, name, v, NOW + TIMEOUT + 1, "login expired"},
	        {"future", key, name, v, NOW - 61, "login state from the future"},
	        {"truncated", key, name, NULL, NOW, "login state cookie too short"},
	        {"4 chars cut from the middle", key, name, NULL, NOW, "login state tampered"},
	        {"garbage", key, name, "not base64!", NOW, "login state cookie is not base64url"},
	        {"padded", key, name, NULL, NOW, "login state cookie is not base64url"},
	        {"empty", key, name, "", NOW, "login state cookie too short"},
	        {"oversized", key, name, NULL, NOW, "login state cookie too long"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *value = cases[i].value;

		strcpy(bad, v);
		if (strcmp(cases[i].what, "tampered byte") == 0)
			bad[len / 2] = bad[len / 2] == 'A' ? 'B' : 'A';
		else if (strcmp(cases[i].what, "truncated") == 0)
			bad[40] = '\0';
		else if (strcmp(cases[i].what, "4 chars cut from the middle") == 0)
			memmove(bad + len / 2, bad + len / 2 + 4, len / 2 - 3);
		else if (strcmp(cases[i].what, "padded") == 0)
			strcat(bad, "==");
		else if (strcmp(cases[i].what, "oversized") == 0) {
			memset(bad, 'A', 4097);
			bad[4097] = '\0';
		}
		if (value == NULL)
			value = bad;
		memset(&err, 0, sizeof(err));
		if (br_state_open(cases[i].key, cases[i].name, value, cases[i].now, TIMEOUT, &out,
		                  &err) == 0)
			fail_msg("case \"%s\" opened", cases[i].what);
		if (strcmp(err.msg, cases[i].want) != 0)
			fail_msg("case \"%s\": got \"%s\"", cases[i].what, err.msg);
		assert_int_equal(err.code, BR_E_STATE);
		assert_null(out.room);
	}
	/* the edges are still fine */
	assert_int_equal(br_state_open(key, name, v, NOW + TIMEOUT, TIMEOUT, &out, NULL), 0);
	br_state_clear(&out);
	assert_int_equal(br_state_open(key, name, v, NOW - 60, TIMEOUT, &out, NULL), 0);
	br_state_clear(&out);
	free(bad);
	free(v);
	br_state_clear(&st);
}

/* Where the login started and Jitsi's overrides survive the cookie. */
static void test_jitsi_round_trip(void **state)
{
	static const enum br_jitsi_app apps[] = {BR_JITSI_BROWSER, BR_JITSI_IOS, BR_JITSI_ANDROID,
	                                         BR_JITSI_ELECTRON};

	for (size_t i = 0; i < sizeof(apps) / sizeof(apps[0]); i++) {
		struct br_login_state st, out;
		struct br_error err = {0};
		char name[32];
		char *v;

		assert_int_equal(br_state_new(&st, "room", "acme", NOW, NULL), 0);
		st.app = apps[i];
		st.prompt_none = i % 2 == 1;
		if (i != 2)
			st.overrides = strdup("config.prejoinConfig.enabled=false&"
			                      "config.startWithAudioMuted=true");
		v = seal(&st, name);
		if (br_state_open(key, name, v, NOW, TIMEOUT, &out, &err) != 0)
			fail_msg("%s", err.msg);
		assert_int_equal(out.app, apps[i]);
		assert_int_equal(out.prompt_none, i % 2 == 1);
		if (i != 2)
			assert_string_equal(out.overrides, st.overrides);
		else
			assert_null(out.overrides);
		assert_string_equal(out.tenant, "acme");
		br_state_clear(&out);
		br_state_clear(&st);
		free(v);
	}
}

/* The largest login state /login can make still fits a cookie (4 KiB for
 * name, value and attributes in browsers): a room of 200 bytes, a tenant of
 * 63, 1 KiB of overrides. */
static void test_worst_case_size(void **state)
{
	struct br_login_state st, out;
	struct br_error err = {0};
	char room[201], tenant[64], over[BR_JITSI_OVERRIDES_MAX_BYTES + 1];
	char name[32];
	char *v;
	size_t n = 0;

	memset(room, 'r', 200);
	room[200] = '\0';
	memset(tenant, 't', 63);
	tenant[63] = '\0';
	/* config.k<i>=%22xxx...%22 pairs up to exactly 1024 bytes */
	for (int i = 0; n < sizeof(over) - 1; i++) {
		int w = snprintf(over + n, sizeof(over) - n, "%sconfig.k%d=", i ? "&" : "", i);
		n += (size_t)w;
		while (n < sizeof(over) - 1)
			over[n++] = '7';
		over[n] = '\0';
	}
	assert_int_equal(strlen(over), BR_JITSI_OVERRIDES_MAX_BYTES);
	assert_true(br_jitsi_overrides_valid(over));
	assert_int_equal(br_state_new(&st, room, tenant, NOW, NULL), 0);
	st.app = BR_JITSI_ANDROID;
	st.prompt_none = true;
	st.overrides = strdup(over);
	v = seal(&st, name);
	/* name=value plus "; Path=<280>; Max-Age=...; HttpOnly; SameSite=Lax; Secure" */
	assert_true(strlen(name) + 1 + strlen(v) + 400 < 4096);
	assert_true(strlen(v) <= BR_STATE_COOKIE_MAX);
	assert_int_equal(br_state_open(key, name, v, NOW, TIMEOUT, &out, &err), 0);
	assert_string_equal(out.overrides, over);
	assert_string_equal(out.room, room);
	br_state_clear(&out);
	free(v);

	/* overrides that br_jitsi_state_parse() could not have made are refused */
	free(st.overrides);
	st.overrides = strdup("config.a=1#x");
	assert_null(br_state_seal(key, &st, name, &err));
	assert_int_equal(err.code, BR_E_INTERNAL);
	free(st.overrides);
	st.overrides = NULL;
	st.app = (enum br_jitsi_app)7;
	assert_null(br_state_seal(key, &st, name, &err));
	br_state_clear(&st);
}

/* Seals a hand-made plaintext record the way state.c does. */
static char *seal_raw(const char *name, const unsigned char *plain, size_t len)
{
	unsigned char buf[4096], b64[6000];
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int outl = 0, finl = 0, n;
	char *v;

	assert_true(len + 28 <= sizeof(buf));
	memset(buf, 7, 12);
	assert_int_equal(EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, key, buf), 1);
	assert_int_equal(
	        EVP_EncryptUpdate(ctx, NULL, &outl, (const unsigned char *)name, (int)strlen(name)),
	        1);
	assert_int_equal(EVP_EncryptUpdate(ctx, buf + 12, &outl, plain, (int)len), 1);
	assert_int_equal(EVP_EncryptFinal_ex(ctx, buf + 12 + outl, &finl), 1);
	assert_int_equal(EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, buf + 12 + len), 1);
	EVP_CIPHER_CTX_free(ctx);
	n = EVP_EncodeBlock(b64, buf, (int)(12 + len + 16));
	while (n > 0 && b64[n - 1] == '=')
		n--;
	b64[n] = '\0';
	v = strdup((char *)b64);
	for (char *p = v; *p; p++)
		*p = *p == '+' ? '-' : *p == '/' ? '_' : *p;
	return v;
}

/* The optional fields: what is refused, and version 1 records. */
static void test_optional_fields(void **state)
{
	static const char st22[] = "AAAAAAAAAAAAAAAAAAAAAA";
	static const char v43[] = "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB";
	static const struct {
		const char *what;
		unsigned char version, flags;
		const char *tail; /* after room "r" and no tenant */
		size_t tail_len;
		bool ok;
	} cases[] = {
	        {"v2, no optional field", 2, 2 | (1 << 3), "", 0, true},
	        {"v2, malformed overrides", 2, 2,
	         "\x01\x00\x0b"
	         "config.a=%2",
	         14, false},
	        {"v2, overrides ok", 2, 2,
	         "\x01\x00\x0a"
	         "config.a=1",
	         13, true},
	        {"v2, unknown tag", 2, 2, "\x09\x00\x01x", 4, false},
	        {"v2, tag twice", 2, 2,
	         "\x01\x00\x0a"
	         "config.a=1\x01\x00\x0a"
	         "config.b=1",
	         26, false},
	        {"v2, empty field", 2, 2, "\x01\x00\x00", 3, false},
	        {"v2, field cut short", 2, 2,
	         "\x01\x00\x0b"
	         "config.a=1",
	         13, false},
	        {"v2, tag without length", 2, 2, "\x01\x00", 2, false},
	        {"v1, plain", 1, 2, "", 0, true},
	        {"v1, app bits", 1, 2 | (1 << 3), "", 0, false},
	        {"v1, trailing bytes", 1, 2,
	         "\x01\x00\x0a"
	         "config.a=1",
	         13, false},
	        {"v3", 3, 2, "", 0, false},
	        {"v2, popup", 2, 2 | 32, "", 0, true},
	        {"v1, popup bit", 1, 2 | 32, "", 0, false},
	        {"v2, sso", 2, 2 | 64, "", 0, true},
	        {"v1, sso bit", 1, 2 | 64, "", 0, false},
	        {"unknown flag", 2, 2 | 128, "", 0, false},
	};
	const char *name = "jitsi_oidc_AAAAAAAA";

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned char plain[512], *p = plain;
		struct br_login_state out;
		struct br_error err = {0};

		*p++ = cases[i].version;
		for (int b = 7; b >= 0; b--)
			*p++ = (unsigned char)((uint64_t)NOW >> (b * 8));
		*p++ = cases[i].flags;
		memcpy(p, st22, 22), p += 22;
		memcpy(p, st22, 22), p += 22;
		memcpy(p, v43, 43), p += 43;
		*p++ = 0, *p++ = 1, *p++ = 'r';
		*p++ = 0, *p++ = 0;
		memcpy(p, cases[i].tail, cases[i].tail_len), p += cases[i].tail_len;
		char *v = seal_raw(name, plain, (size_t)(p - plain));
		int rc = br_state_open(key, name, v, NOW, TIMEOUT, &out, &err);
		if ((rc == 0) != cases[i].ok)
			fail_msg("case \"%s\": %s", cases[i].what, rc == 0 ? "opened" : err.msg);
		if (rc == 0) {
			assert_string_equal(out.room, "r");
			assert_int_equal(out.app, (cases[i].flags >> 3) & 3);
			assert_int_equal(out.popup, (cases[i].flags & 32) != 0);
			assert_int_equal(out.sso, (cases[i].flags & 64) != 0);
		} else {
			assert_null(out.overrides);
			assert_int_equal(err.code, BR_E_STATE);
		}
		br_state_clear(&out);
		free(v);
	}
}

static void test_equal(void **state)
{
	assert_true(br_state_equal("abc", "abc"));
	assert_true(br_state_equal("", ""));
	assert_false(br_state_equal("abc", "abd"));
	assert_false(br_state_equal("abc", "ab"));
	assert_false(br_state_equal("ab", "abc"));
}

static void test_cookie_name(void **state)
{
	char name[32];
	struct br_error err = {0};

	assert_int_equal(br_state_cookie_name("abcdefgh-_ABCDEFGH0123", name, &err), 0);
	assert_string_equal(name, "jitsi_oidc_abcdefgh");
	assert_int_equal(br_state_cookie_name("abcdefgh", name, &err), -1);
	assert_string_equal(err.msg, "login state parameter malformed");
	assert_int_equal(br_state_cookie_name("abcdefgh;_ABCDEFGH0123", name, &err), -1);
	assert_int_equal(br_state_cookie_name(NULL, name, &err), -1);
}

static void test_open_from_header(void **state)
{
	struct br_login_state a, b, out;
	char na[32], nb[32], hdr[2048];
	char *va, *vb;
	struct br_error err = {0};

	assert_int_equal(br_state_new(&a, "ra", NULL, NOW, NULL), 0);
	assert_int_equal(br_state_new(&b, "rb", NULL, NOW, NULL), 0);
	va = seal(&a, na);
	vb = seal(&b, nb);
	snprintf(hdr, sizeof(hdr), "other=1; %s=\"%s\" ;x=y;  %s=%s", na, va, nb, vb);

	assert_int_equal(br_state_open_from_header(key, hdr, b.state, NOW, TIMEOUT, &out, &err), 0);
	assert_string_equal(out.room, "rb");
	br_state_clear(&out);
	assert_int_equal(br_state_open_from_header(key, hdr, a.state, NOW, TIMEOUT, &out, &err), 0);
	assert_string_equal(out.room, "ra");
	br_state_clear(&out);

	/* same prefix, other state: opens but does not match */
	{
		char st[23];

		memcpy(st, a.state, 23);
		st[20] = st[20] == 'A' ? 'B' : 'A';
		assert_int_equal(br_state_open_from_header(key, hdr, st, NOW, TIMEOUT, &out, &err),
		                 -1);
		assert_string_equal(err.msg, "login state does not match");
	}
	/* a stale duplicate first, then the good one */
	snprintf(hdr, sizeof(hdr), "%s=AAAA; %s=%s", na, na, va);
	assert_int_equal(br_state_open_from_header(key, hdr, a.state, NOW, TIMEOUT, &out, &err), 0);
	br_state_clear(&out);
	/* only a bad one */
	snprintf(hdr, sizeof(hdr), "%s=AAAA", na);
	assert_int_equal(br_state_open_from_header(key, hdr, a.state, NOW, TIMEOUT, &out, &err),
	                 -1);
	assert_string_equal(err.msg, "login state cookie too short");
	/* a value moved to the other cookie's name */
	snprintf(hdr, sizeof(hdr), "%s=%s", nb, va);
	assert_int_equal(br_state_open_from_header(key, hdr, b.state, NOW, TIMEOUT, &out, &err),
	                 -1);
	assert_string_equal(err.msg, "login state tampered");
	assert_int_equal(br_state_open_from_header(key, "a=b", a.state, NOW, TIMEOUT, &out, &err),
	                 -1);
	assert_string_equal(err.msg, "login state cookie missing");
	assert_int_equal(br_state_open_from_header(key, NULL, a.state, NOW, TIMEOUT, &out, &err),
	                 -1);
	assert_string_equal(err.msg, "login state cookie missing");
	assert_int_equal(br_state_open_from_header(key, hdr, "short", NOW, TIMEOUT, &out, &err),
	                 -1);
	assert_string_equal(err.msg, "login state parameter malformed");
	free(va);
	free(vb);
	br_state_clear(&a);
	br_state_clear(&b);
}

static void test_to_expire(void **state)
{
	char hdr[16384] = "x=1";
	char names[10][32];
	struct br_state_cookie *list = NULL;
	size_t n = 99;

	/* ten cookies created at NOW-9 .. NOW, one broken jitsi_oidc_ cookie */
	for (int i = 0; i < 10; i++) {
		struct br_login_state st;
		char *v;

		assert_int_equal(br_state_new(&st, "r", NULL, NOW - 9 + i, NULL), 0);
		v = seal(&st, names[i]);
		snprintf(hdr + strlen(hdr), sizeof(hdr) - strlen(hdr), "; %s=%s", names[i], v);
		free(v);
		br_state_clear(&st);
	}
	strcat(hdr, "; jitsi_oidc_brokenAA=xyz; jitsi_oidc_toolongname=1");

	assert_int_equal(br_state_cookies_list(key, hdr, NOW, TIMEOUT, &list, &n, NULL), 0);
	assert_int_equal(n, 11);
	assert_true(list[0].valid);
	assert_int_equal(list[0].created, NOW - 9);
	assert_false(list[10].valid);
	assert_string_equal(list[10].name, "jitsi_oidc_brokenAA");
	free(list);

	assert_int_equal(br_state_cookies_to_expire(key, hdr, NOW, TIMEOUT, 7, &list, &n, NULL), 0);
	assert_int_equal(n, 4);
	assert_string_equal(list[0].name, "jitsi_oidc_brokenAA");
	assert_string_equal(list[1].name, names[0]);
	assert_string_equal(list[2].name, names[1]);
	assert_string_equal(list[3].name, names[2]);
	free(list);

	/* few enough valid ones: only the broken one goes */
	assert_int_equal(br_state_cookies_to_expire(key, hdr, NOW, TIMEOUT, 20, &list, &n, NULL),
	                 0);
	assert_int_equal(n, 1);
	assert_string_equal(list[0].name, "jitsi_oidc_brokenAA");
	free(list);

	assert_int_equal(br_state_cookies_to_expire(key, "a=b", NOW, TIMEOUT, 7, &list, &n, NULL),
	                 0);
	assert_int_equal(n, 0);
	assert_null(list);
}

/* The byte budget: the oldest go until the rest (with their native SSO
 * request cookies) fit; a companion is reported so that it goes too. */
static void test_to_expire_within(void **state)
{
	char hdr[8192] = "x=1";
	char names[3][32];
	size_t len[3];
	struct br_state_cookie *list = NULL;
	size_t n = 99;

	(void)state;
	for (int i = 0; i < 3; i++) {
		struct br_login_state st;
		char *v;

		assert_int_equal(br_state_new(&st, "r", NULL, NOW - 3 + i, NULL), 0);
		v = seal(&st, names[i]);
		len[i] = strlen(names[i]) + 1 + strlen(v) + 2;
		snprintf(hdr + strlen(hdr), sizeof(hdr) - strlen(hdr), "; %s=%s", names[i], v);
		free(v);
		br_state_clear(&st);
	}
	/* the middle one is an /authorize login: its request cookie takes 100 bytes with "; " */
	snprintf(hdr + strlen(hdr), sizeof(hdr) - strlen(hdr), "; jitsi_sso_%.8s=%079d",
	         names[1] + strlen(BR_STATE_COOKIE_PREFIX), 0);

	assert_int_equal(br_state_cookies_list(key, hdr, NOW, TIMEOUT, &list, &n, NULL), 0);
	assert_int_equal(n, 3);
	assert_false(list[0].companion);
	assert_int_equal(list[0].bytes, len[0]);
	assert_true(list[1].companion);
	assert_int_equal(list[1].bytes, len[1] + 100);
	free(list);

	/* everything fits: nothing goes */
	assert_int_equal(br_state_cookies_to_expire_within(key, hdr, NOW, TIMEOUT, 7,
	                                                   len[0] + len[1] + 100 + len[2], &list,
	                                                   &n, NULL),
	                 0);
	assert_int_equal(n, 0);
	free(list);
	/* one byte less: the oldest goes */
	assert_int_equal(br_state_cookies_to_expire_within(key, hdr, NOW, TIMEOUT, 7,
	                                                   len[0] + len[1] + 100 + len[2] - 1,
	                                                   &list, &n, NULL),
	                 0);
	assert_int_equal(n, 1);
	assert_string_equal(list[0].name, names[0]);
	free(list);
	/* room for the newest only: the middle one goes with its companion */
	assert_int_equal(br_state_cookies_to_expire_within(key, hdr, NOW, TIMEOUT, 7, len[2], &list,
	                                                   &n, NULL),
	                 0);
	assert_int_equal(n, 2);
	assert_string_equal(list[1].name, names[1]);
	assert_true(list[1].companion);
	free(list);
	/* no room at all: every one goes */
	assert_int_equal(
	        br_state_cookies_to_expire_within(key, hdr, NOW, TIMEOUT, 7, 0, &list, &n, NULL),
	        0);
	assert_int_equal(n, 3);
	free(list);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_new),
	        cmocka_unit_test(test_challenge),
	        cmocka_unit_test(test_round_trip),
	        cmocka_unit_test(test_refused),
	        cmocka_unit_test(test_jitsi_round_trip),
	        cmocka_unit_test(test_worst_case_size),
	        cmocka_unit_test(test_optional_fields),
	        cmocka_unit_test(test_equal),
	        cmocka_unit_test(test_cookie_name),
	        cmocka_unit_test(test_open_from_header),
	        cmocka_unit_test(test_to_expire),
	        cmocka_unit_test(test_to_expire_within),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
