/* test_jitsi.c - Jitsi's {state} (every field, hostile values) and the URLs
 * that take the token back to the web app and to the apps. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bridge/jitsi.h"
#include "bridge/room.h"
#include "bridge/strbuf.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void assert_str_or_null(const char *got, const char *want)
{
	if (want == NULL)
		assert_null(got);
	else
		assert_non_null(got), assert_string_equal(got, want);
}

/* What current Jitsi sends, and each field on its own. */
static void test_state_fields(void **state)
{
	static const struct {
		const char *json;
		const char *room, *room_safe, *tenant, *refresh, *overrides;
		enum br_jitsi_app app;
		size_t kept, dropped;
	} cases[] = {
	        /* jitsi-meet's _getTokenAuthState() with every choice made */
	        {"{\"refreshToken\":\"h.1\",\"room\":\"My Room\",\"roomSafe\":\"my%20room\","
	         "\"tenant\":\"acme\",\"config.startWithAudioMuted\":true,"
	         "\"config.startAudioOnly\":true,\"config.prejoinConfig.enabled\":false,"
	         "\"config.startWithVideoMuted\":true}",
	         "My Room", "my%20room", "acme", "h.1",
	         "config.startWithAudioMuted=true&config.startAudioOnly=true&"
	         "config.prejoinConfig.enabled=false&config.startWithVideoMuted=true",
	         BR_JITSI_BROWSER, 4, 0},
	        /* newer Jitsi: audio-only became low-bandwidth mode (PR #17623) */
	        {"{\"room\":\"a\",\"config.startLowBandwidthMode\":true}", "a", NULL, NULL, NULL,
	         "config.startLowBandwidthMode=true", BR_JITSI_BROWSER, 1, 0},
	        {"{\"room\":\"a\"}", "a", NULL, NULL, NULL, NULL, BR_JITSI_BROWSER, 0, 0},
	        {"{}", NULL, NULL, NULL, NULL, NULL, BR_JITSI_BROWSER, 0, 0},
	        {"{\"room\":null,\"tenant\":null,\"roomSafe\":null,\"refreshToken\":null}", NULL,
	         NULL, NULL, NULL, NULL, BR_JITSI_BROWSER, 0, 0},
	        {"{\"room\":\"a\",\"tenant\":\"\"}", "a", NULL, NULL, NULL, NULL, BR_JITSI_BROWSER,
	         0, 0},
	        /* the apps */
	        {"{\"room\":\"a\",\"ios\":true}", "a", NULL, NULL, NULL, NULL, BR_JITSI_IOS, 0, 0},
	        {"{\"room\":\"a\",\"android\":true}", "a", NULL, NULL, NULL, NULL, BR_JITSI_ANDROID,
	         0, 0},
	        {"{\"room\":\"a\",\"electron\":true}", "a", NULL, NULL, NULL, NULL,
	         BR_JITSI_ELECTRON, 0, 0},
	        {"{\"room\":\"a\",\"ios\":false,\"electron\":true,\"android\":false}", "a", NULL,
	         NULL, NULL, NULL, BR_JITSI_ELECTRON, 0, 0},
	        /* strings and numbers go back as JSON, percent-encoded */
	        {"{\"config.subject\":\"Q&A #1 / \\\"x\\\" =\",\"config.channelLastN\":-5,"
	         "\"config.localSubject\":\"\",\"interfaceConfig.SHOW_CHROME_EXTENSION_BANNER\":0,"
	         "\"iceServers.replace\":\"\\u00e9\",\"config.x\":1.5}",
	         NULL, NULL, NULL, NULL,
	         "config.subject=%22Q%26A%20%231%20%2F%20%5C%22x%5C%22%20%3D%22&"
	         "config.channelLastN=-5&config.localSubject=%22%22&"
	         "interfaceConfig.SHOW_CHROME_EXTENSION_BANNER=0&iceServers.replace=%22%C3%A9%22&"
	         "config.x=1.5",
	         BR_JITSI_BROWSER, 6, 0},
	        /* hostile overrides are dropped, the rest kept */
	        {"{\"config.a\":{\"b\":1},\"config.c\":[1],\"config.d\":null,"
	         "\"config.__proto__\":true,\"config.constructor.x\":1,"
	         "\"interfaceConfig.prototype\":1,\"config.\":1,\"config..a\":1,\"config.a.\":1,"
	         "\"config.a-b\":1,\"config.a b\":1,\"config.%61\":1,\"config.ok\":true,"
	         "\"configX.a\":1,\"iceServers.\":1}",
	         NULL, NULL, NULL, NULL, "config.ok=true", BR_JITSI_BROWSER, 1, 13},
	        /* unknown members are ignored, not counted */
	        {"{\"room\":\"a\",\"foo\":{\"deep\":[1,2,{}]},\"Config.x\":1,\"nonce\":\"n\"}", "a",
	         NULL, NULL, NULL, NULL, BR_JITSI_BROWSER, 0, 0},
	};

	for (size_t i = 0; i < N(cases); i++) {
		struct br_jitsi_state st;
		struct br_error err = {0};

		if (br_jitsi_state_parse(cases[i].json, &st, &err) != 0)
			fail_msg("case %zu: %s", i, err.msg);
		assert_str_or_null(st.room, cases[i].room);
		assert_str_or_null(st.room_safe, cases[i].room_safe);
		assert_str_or_null(st.tenant, cases[i].tenant);
		assert_str_or_null(st.refresh_token, cases[i].refresh);
		assert_str_or_null(st.overrides, cases[i].overrides);
		assert_int_equal(st.app, cases[i].app);
		assert_int_equal(st.n_overrides, cases[i].kept);
		assert_int_equal(st.n_dropped, cases[i].dropped);
		if (st.overrides != NULL)
			assert_true(br_jitsi_overrides_valid(st.overrides));
		br_jitsi_state_clear(&st);
	}
}

static void test_state_errors(void **state)
{
	static const struct {
		const char *json, *err;
	} cases[] = {
	        {"{\"room\":5}", "the state parameter's room is not a string"},
	        {"{\"room\":{\"a\":1}}", "the state parameter's room is not a string"},
	        {"{\"tenant\":[]}", "the state parameter's tenant is not a string"},
	        {"{\"roomSafe\":true}", "the state parameter's roomSafe is not a string"},
	        {"{\"refreshToken\":1}", "the state parameter's refreshToken is not a string"},
	        {"{\"ios\":\"true\"}", "the state parameter's ios is not true or false"},
	        {"{\"android\":1}", "the state parameter's android is not true or false"},
	        {"{\"electron\":null}", "the state parameter's electron is not true or false"},
	        {"{\"ios\":true,\"android\":true}", "the state parameter names more than one app"},
	        {"[]", "the state parameter is not a JSON object"},
	        {"\"room\"", "the state parameter is not a JSON object"},
	        {"not json", "the state parameter is not a JSON object"},
	        {"", "the state parameter is not a JSON object"},
	        {"{\"room\":\"a\",\"room\":\"b\"}", "the state parameter is not a JSON object"},
	        {"{\"config.a\":1,\"config.a\":2}", "the state parameter is not a JSON object"},
	        {"{\"room\":\"a\"} trailing", "the state parameter is not a JSON object"},
	};

	for (size_t i = 0; i < N(cases); i++) {
		struct br_jitsi_state st;
		struct br_error err = {0};

		assert_int_equal(br_jitsi_state_parse(cases[i].json, &st, &err), -1);
		assert_string_equal(err.msg, cases[i].err);
		assert_int_equal(err.code, BR_E_INVALID);
		assert_null(st.room);
		assert_null(st.overrides);
	}
}

/* Builds {"config.k<i>":<value>, ...} with n keys. */
static char *many_keys(size_t n, const char *value)
{
	struct br_strbuf b = {0};
	char key[160];

	br_strbuf_puts(&b, "{");
	for (size_t i = 0; i < n; i++) {
		snprintf(key, sizeof(key), "%s\"config.k%zu\":%s", i ? "," : "", i, value);
		br_strbuf_puts(&b, key);
	}
	br_strbuf_puts(&b, "}");
	return br_strbuf_finish(&b, NULL);
}

static void test_state_limits(void **state)
{
	struct br_jitsi_state st;
	struct br_error err = {0};
	char *json, *big;

	/* 200 small overrides: the first 32 are kept */
	json = many_keys(200, "1");
	assert_true(strlen(json) <= BR_JITSI_STATE_MAX);
	assert_int_equal(br_jitsi_state_parse(json, &st, &err), 0);
	assert_int_equal(st.n_overrides, 32);
	assert_int_equal(st.n_dropped, 168);
	assert_non_null(strstr(st.overrides, "config.k0=1&config.k1=1&"));
	assert_non_null(strstr(st.overrides, "&config.k31=1"));
	assert_null(strstr(st.overrides, "config.k32="));
	assert_true(br_jitsi_overrides_valid(st.overrides));
	br_jitsi_state_clear(&st);
	free(json);

	/* 1000 keys do not fit the state's size limit at all */
	json = many_keys(1000, "1");
	assert_int_equal(br_jitsi_state_parse(json, &st, &err), -1);
	assert_string_equal(err.msg, "the state parameter is too long");
	free(json);

	/* long strings: kept while the tail stays within 1 KiB */
	json = many_keys(20,
	                 "\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"");
	assert_int_equal(br_jitsi_state_parse(json, &st, &err), 0);
	assert_true(strlen(st.overrides) <= BR_JITSI_OVERRIDES_MAX_BYTES);
	assert_true(st.n_overrides >= 10 && st.n_overrides < 20);
	assert_int_equal(st.n_overrides + st.n_dropped, 20);
	assert_true(br_jitsi_overrides_valid(st.overrides));
	br_jitsi_state_clear(&st);
	free(json);

	/* one huge string is dropped, a small one after it still kept */
	big = malloc(3000);
	memcpy(big, "{\"config.big\":\"", 15);
	memset(big + 15, 'y', 2900);
	strcpy(big + 2915, "\",\"config.ok\":false}");
	assert_int_equal(br_jitsi_state_parse(big, &st, &err), 0);
	assert_string_equal(st.overrides, "config.ok=false");
	assert_int_equal(st.n_dropped, 1);
	br_jitsi_state_clear(&st);
	free(big);

	/* a key of 64 bytes is kept, 65 dropped */
	json = strdup("{\"config.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\":1,"
	              "\"config.bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\":1}");
	assert_int_equal(br_jitsi_state_parse(json, &st, &err), 0);
	assert_int_equal(strlen("config.bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"),
	                 64);
	assert_string_equal(st.overrides,
	                    "config.bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb=1");
	assert_int_equal(st.n_dropped, 1);
	br_jitsi_state_clear(&st);
	free(json);

	/* deeply nested values: refused by jansson or dropped, never a crash */
	big = malloc(4001);
	memcpy(big, "{\"config.a\":", 12);
	memset(big + 12, '[', 1990);
	memset(big + 2002, ']', 1990);
	strcpy(big + 3992, "}");
	if (br_jitsi_state_parse(big, &st, &err) == 0) {
		assert_null(st.overrides);
		br_jitsi_state_clear(&st);
	} else {
		assert_string_equal(err.msg, "the state parameter is not a JSON object");
	}
	free(big);

	/* a string with a NUL is refused (jansson without JSON_ALLOW_NUL) */
	assert_int_equal(br_jitsi_state_parse("{\"config.a\":\"x\\u0000y\"}", &st, &err), -1);
	assert_string_equal(err.msg, "the state parameter is not a JSON object");
}

static void test_overrides_valid(void **state)
{
	static const struct {
		const char *s;
		bool ok;
	} cases[] = {
	        {"config.a=true", true},
	        {"config.a=true&interfaceConfig.B_C=%22x%22", true},
	        {"iceServers.replace=%5B%5D", true},
	        {"", false},
	        {"config.a", false},
	        {"config.a=", false},
	        {"config.a=1&", false},
	        {"&config.a=1", false},
	        {"config.a=1&&config.b=2", false},
	        {"other.a=1", false},
	        {"config.__proto__=1", false},
	        {"config.a=%2", false},
	        {"config.a=%zz", false},
	        {"config.a=%2f", false}, /* we write upper-case hex only */
	        {"config.a=a/b", false},
	        {"config.a=a#b", false},
	        {"config.a=a=b", false},
	        {"config.a=\"x\"", false},
	};

	for (size_t i = 0; i < N(cases); i++)
		if (br_jitsi_overrides_valid(cases[i].s) != cases[i].ok)
			fail_msg("case %zu: \"%s\"", i, cases[i].s);
	assert_false(br_jitsi_overrides_valid(NULL));
}

static void test_browser_url(void **state)
{
	struct br_jitsi_target t = {
	        .jitsi_url = "https://meet.example.org",
	        .room_path = "My%20Room",
	        .token = "h.c.s",
	};
	struct br_error err = {0};
	char *url;

	url = br_jitsi_browser_url(&t, &err);
	assert_string_equal(url, "https://meet.example.org/My%20Room#jwt=%22h.c.s%22");
	free(url);

	t.tenant = "Acme";
	t.overrides = "config.prejoinConfig.enabled=false&config.startWithAudioMuted=true";
	url = br_jitsi_browser_url(&t, &err);
	assert_string_equal(url,
	                    "https://meet.example.org/Acme/My%20Room#jwt=%22h.c.s%22"
	                    "&config.prejoinConfig.enabled=false&config.startWithAudioMuted=true");
	free(url);

	t.query = true;
	url = br_jitsi_browser_url(&t, &err);
	assert_string_equal(url,
	                    "https://meet.example.org/Acme/My%20Room?jwt=h.c.s"
	                    "#config.prejoinConfig.enabled=false&config.startWithAudioMuted=true");
	free(url);

	t.overrides = NULL;
	url = br_jitsi_browser_url(&t, &err);
	assert_string_equal(url, "https://meet.example.org/Acme/My%20Room?jwt=h.c.s");
	free(url);

	/* what must never be built */
	t.query = false;
	t.tenant = "../x";
	assert_null(br_jitsi_browser_url(&t, &err));
	t.tenant = NULL;
	t.room_path = "a/b";
	assert_null(br_jitsi_browser_url(&t, &err));
	t.room_path = "a#b";
	assert_null(br_jitsi_browser_url(&t, &err));
	t.room_path = "";
	assert_null(br_jitsi_browser_url(&t, &err));
	t.room_path = "a";
	t.token = "a.b.c#x";
	assert_null(br_jitsi_browser_url(&t, &err));
	t.token = "a.b.c";
	t.overrides = "config.a=1#evil";
	assert_null(br_jitsi_browser_url(&t, &err));
}

static void test_app_urls(void **state)
{
	struct br_jitsi_target t = {
	        .jitsi_url = "https://meet.example.org",
	        .room_path = "%C3%A9t%C3%A9%20(1)",
	        .token = "h.c.s",
	        .overrides = "config.prejoinConfig.enabled=false",
	};
	struct br_error err = {0};
	char *url;

	url = br_jitsi_app_url(&t, BR_JITSI_IOS, "org.jitsi.meet", NULL, &err);
	assert_string_equal(url, "org.jitsi.meet://meet.example.org/%C3%A9t%C3%A9%20(1)"
	                         "#jwt=%22h.c.s%22&config.prejoinConfig.enabled=false");
	free(url);

	url = br_jitsi_app_url(&t, BR_JITSI_ANDROID, "org.jitsi.meet", "org.jitsi.meet", &err);
	assert_string_equal(url, "intent://meet.example.org/%C3%A9t%C3%A9%20(1)"
	                         "#jwt=%22h.c.s%22&config.prejoinConfig.enabled=false"
	                         "#Intent;scheme=org.jitsi.meet;package=org.jitsi.meet;end");
	free(url);

	t.tenant = "acme";
	t.jitsi_url = "https://example.org:8443/meet";
	url = br_jitsi_app_url(&t, BR_JITSI_ELECTRON, "jitsi-meet", NULL, &err);
	assert_string_equal(url, "jitsi-meet://example.org:8443/meet/acme/%C3%A9t%C3%A9%20(1)"
	                         "#jwt=%22h.c.s%22&config.prejoinConfig.enabled=false");
	free(url);

	/* white-labelled apps, query delivery */
	t.query = true;
	t.overrides = NULL;
	url = br_jitsi_app_url(&t, BR_JITSI_ANDROID, "com.example.meet", "com.example.meet_app",
	                       &err);
	assert_string_equal(url,
	                    "intent://example.org:8443/meet/acme/%C3%A9t%C3%A9%20(1)?jwt=h.c.s"
	                    "#Intent;scheme=com.example.meet;package=com.example.meet_app;end");
	free(url);

	/* the browser "app" is the web app */
	url = br_jitsi_app_url(&t, BR_JITSI_BROWSER, NULL, NULL, &err);
	assert_string_equal(url,
	                    "https://example.org:8443/meet/acme/%C3%A9t%C3%A9%20(1)?jwt=h.c.s");
	free(url);

	/* never a scheme or package that is not one */
	assert_null(br_jitsi_app_url(&t, BR_JITSI_IOS, "javascript", NULL, &err));
	assert_null(br_jitsi_app_url(&t, BR_JITSI_IOS, "https", NULL, &err));
	assert_null(br_jitsi_app_url(&t, BR_JITSI_IOS, NULL, NULL, &err));
	assert_null(br_jitsi_app_url(&t, BR_JITSI_ANDROID, "org.jitsi.meet", NULL, &err));
	assert_null(br_jitsi_app_url(&t, BR_JITSI_ANDROID, "org.jitsi.meet", "x;end", &err));
	t.jitsi_url = "ftp://x";
	assert_null(br_jitsi_app_url(&t, BR_JITSI_IOS, "org.jitsi.meet", NULL, &err));
}

static void test_return_urls(void **state)
{
	struct br_jitsi_site site = {
	        .url = "https://meet.example.org",
	        .app_scheme = "org.jitsi.meet",
	        .android_package = "org.jitsi.meet",
	        .desktop_scheme = "jitsi-meet",
	};
	struct br_error err = {0};
	struct br_room room;
	char *web, *app;
	static const struct {
		bool query; /* [jitsi] delivery */
		const char *tenant;
		const char *want;
	} web_cases[] = {
	        {false, NULL, "https://meet.example.org/My%20Zo%C3%AB#jwt=%22a.b.c%22"},
	        {false, "acme", "https://meet.example.org/acme/My%20Zo%C3%AB#jwt=%22a.b.c%22"},
	        {true, NULL, "https://meet.example.org/My%20Zo%C3%AB?jwt=a.b.c"},
	        {true, "Acme", "https://meet.example.org/Acme/My%20Zo%C3%AB?jwt=a.b.c"},
	};

	assert_int_equal(br_room_parse("My Zo\u00eb", &room, &err), 0);
	for (size_t i = 0; i < N(web_cases); i++) {
		site.query = web_cases[i].query;
		assert_int_equal(br_jitsi_return_urls(&site, BR_JITSI_IOS, &room,
		                                      web_cases[i].tenant, "a.b.c", NULL, &web,
		                                      &app, &err),
		                 0);
		assert_string_equal(web, web_cases[i].want);
		assert_null(app); /* no app enabled */
		br_jitsi_url_free(web);
	}
	site.query = false;

	/* an app only when [jitsi] apps names it */
	site.apps = BR_JITSI_APP_BIT(BR_JITSI_ANDROID) | BR_JITSI_APP_BIT(BR_JITSI_ELECTRON);
	assert_int_equal(br_jitsi_return_urls(&site, BR_JITSI_IOS, &room, NULL, "a.b.c",
	                                      "config.a=1", &web, &app, &err),
	                 0);
	assert_string_equal(web,
	                    "https://meet.example.org/My%20Zo%C3%AB#jwt=%22a.b.c%22&config.a=1");
	assert_null(app);
	br_jitsi_url_free(web);
	assert_int_equal(br_jitsi_return_urls(&site, BR_JITSI_ANDROID, &room, NULL, "a.b.c",
	                                      "config.a=1", &web, &app, &err),
	                 0);
	assert_string_equal(app,
	                    "intent://meet.example.org/My%20Zo%C3%AB#jwt=%22a.b.c%22&config.a=1"
	                    "#Intent;scheme=org.jitsi.meet;package=org.jitsi.meet;end");
	br_jitsi_url_free(web);
	br_jitsi_url_free(app);
	assert_int_equal(br_jitsi_return_urls(&site, BR_JITSI_ELECTRON, &room, "acme", "a.b.c",
	                                      NULL, &web, &app, &err),
	                 0);
	assert_string_equal(app,
	                    "jitsi-meet://meet.example.org/acme/My%20Zo%C3%AB#jwt=%22a.b.c%22");
	br_jitsi_url_free(web);
	br_jitsi_url_free(app);
	assert_int_equal(br_jitsi_return_urls(&site, BR_JITSI_BROWSER, &room, NULL, "a.b.c", NULL,
	                                      &web, &app, &err),
	                 0);
	assert_null(app);
	br_jitsi_url_free(web);

	/* failures leave nothing behind */
	assert_int_equal(br_jitsi_return_urls(&site, BR_JITSI_ANDROID, &room, "..", "a.b.c", NULL,
	                                      &web, &app, &err),
	                 -1);
	assert_string_equal(err.msg, "the tenant is not valid (1 to 63 of A-Z a-z 0-9 . _ -)");
	assert_null(web);
	assert_null(app);
	site.android_package = "nope";
	assert_int_equal(br_jitsi_return_urls(&site, BR_JITSI_ANDROID, &room, NULL, "a.b.c", NULL,
	                                      &web, &app, &err),
	                 -1);
	assert_null(web);
	assert_null(app);
	assert_int_equal(br_jitsi_return_urls(&site, BR_JITSI_IOS, NULL, NULL, "a.b.c", NULL, &web,
	                                      &app, &err),
	                 -1);
	br_room_clear(&room);
	br_jitsi_url_free(NULL);
}

static void test_scheme_and_package(void **state)
{
	static const struct {
		const char *s;
		bool ok;
	} schemes[] =
	        {
	                {"org.jitsi.meet", true}, {"jitsi-meet", true}, {"a+b", true},
	                {"Meet2", true},          {"", false},          {"1abc", false},
	                {"a b", false},           {"a:b", false},       {"a/b", false},
	                {"http", false},          {"HTTPS", false},     {"javascript", false},
	                {"data", false},          {"file", false},      {"intent", false},
	                {"JavaScript", false},    {"vbscript", false},  {"blob", false},
	        },
	  packages[] = {
	          {"org.jitsi.meet", true},
	          {"com.example.meet_app", true},
	          {"a.b", true},
	          {"org", false},
	          {"org.", false},
	          {".org.x", false},
	          {"org..x", false},
	          {"org.1x", false},
	          {"org.x-y", false},
	          {"org.x;end", false},
	          {"", false},
	  };

	for (size_t i = 0; i < N(schemes); i++)
		if (br_jitsi_scheme_valid(schemes[i].s) != schemes[i].ok)
			fail_msg("scheme \"%s\"", schemes[i].s);
	for (size_t i = 0; i < N(packages); i++)
		if (br_jitsi_package_valid(packages[i].s) != packages[i].ok)
			fail_msg("package \"%s\"", packages[i].s);
	assert_false(br_jitsi_scheme_valid(NULL));
	assert_false(br_jitsi_package_valid(NULL));
	char long_scheme[70];
	memset(long_scheme, 'a', 65);
	long_scheme[65] = '\0';
	assert_false(br_jitsi_scheme_valid(long_scheme));
	long_scheme[64] = '\0';
	assert_true(br_jitsi_scheme_valid(long_scheme));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_state_fields),       cmocka_unit_test(test_state_errors),
	        cmocka_unit_test(test_state_limits),       cmocka_unit_test(test_overrides_valid),
	        cmocka_unit_test(test_browser_url),        cmocka_unit_test(test_app_urls),
	        cmocka_unit_test(test_scheme_and_package), cmocka_unit_test(test_return_urls),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
