/* test_inline.c - the inline-mode pages: one script, allowed by the CSP
 * hash it carries; values escaped into data attributes; the Jitsi origin
 * as targetOrigin; origins of URLs. */
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

#include "bridge/catalogue.h"
#include "bridge/inline.h"
#include "bridge/strbuf.h"

static int count(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = strstr(hay, needle); p != NULL; p = strstr(p + 1, needle))
		n++;
	return n;
}

/* Computes the CSP source of the page's one script, from the page. */
static void hash_of_script(const char *html, char out[64])
{
	const char *s = strstr(html, "<script>");
	const char *e = strstr(html, "</script>");
	unsigned char md[32];
	unsigned int len = 0;

	assert_non_null(s);
	assert_non_null(e);
	s += strlen("<script>");
	assert_int_equal(EVP_Digest(s, (size_t)(e - s), md, &len, EVP_sha256(), NULL), 1);
	strcpy(out, "'sha256-");
	EVP_EncodeBlock((unsigned char *)out + 8, md, 32);
	strcat(out, "'");
}

static char *render(const struct br_inline_result *res)
{
	struct br_strbuf b = {0};
	char *html;

	br_inline_render_result(&b, res);
	html = br_strbuf_finish(&b, NULL);
	assert_non_null(html);
	return html;
}

static void test_success_page(void **state)
{
	struct br_inline_result res = {
	        .origin = "https://meet.example.org",
	        .access_token = "eyJ.tok.sig",
	        .id_token = "hint_value-1",
	        .refresh_token = "handle_value-2",
	        .next = "https://meet.example.org/room#jwt=%22eyJ.tok.sig%22&a=\"<b>",
	};
	char *html = render(&res);
	char csp[BR_INLINE_CSP_MAX], hash[64];

	assert_int_equal(count(html, "<script"), 1);
	assert_null(strstr(html, " onload"));
	assert_null(strstr(html, "'*'"));
	assert_non_null(strstr(html, "data-type=\"oauth-success\""));
	assert_non_null(strstr(html, "data-origin=\"https://meet.example.org\""));
	assert_non_null(strstr(html, "data-access-token=\"eyJ.tok.sig\""));
	assert_non_null(strstr(html, "data-id-token=\"hint_value-1\""));
	assert_non_null(strstr(html, "data-refresh-token=\"handle_value-2\""));
	/* escaped: the quote and angle brackets cannot leave the attribute */
	assert_null(strstr(html, "\"<b>"));
	assert_non_null(strstr(html, "&quot;&lt;b&gt;"));
	assert_non_null(strstr(html, "postMessage(m, d.origin)"));
	assert_non_null(strstr(html, "<title>Signed in</title>"));
	assert_non_null(strstr(html, "You can close this window and return to the meeting."));
	assert_non_null(strstr(html, "\">Continue to the meeting</a>"));

	assert_int_equal(br_inline_csp_result(csp), 0);
	hash_of_script(html, hash);
	assert_non_null(strstr(csp, hash));
	assert_non_null(strstr(csp, "default-src 'none'"));
	assert_non_null(strstr(csp, "frame-ancestors 'none'"));
	assert_null(strstr(csp, "unsafe-inline'; script")); /* no unsafe-inline for scripts */
	free(html);

	/* without a hint, no idToken attribute at all */
	res.id_token = NULL;
	html = render(&res);
	assert_null(strstr(html, "data-id-token"));
	free(html);
}

static void test_error_page(void **state)
{
	struct br_inline_result res = {
	        .origin = "https://meet.example.org",
	        .error = "access_denied",
	        .text = BR_MSG_DENIED_PLAIN,
	        .next = "https://ignored.example",
	};
	char *html = render(&res);
	char csp[BR_INLINE_CSP_MAX], hash[64];

	assert_non_null(strstr(html, "data-type=\"oauth-error\""));
	assert_non_null(strstr(html, "data-error=\"access_denied\""));
	assert_null(strstr(html, "data-access-token"));
	assert_null(strstr(html, "data-next")); /* an error never redirects */
	assert_non_null(strstr(html, "<html lang=\"en\">"));
	assert_non_null(strstr(html, "<title>Sign-in failed</title>"));
	assert_non_null(strstr(html, "<p>Your account may not join this room.</p>"));
	assert_non_null(strstr(html, "<p>Error code: <span class=\"code\"><bdi>access_denied</bdi>"
	                             "</span></p>"));
	free(html);

	/* in German; a hostile code stays escaped in the text too */
	const struct br_catalogue *cat = br_catalogue_builtin();
	res.catalogue = cat;
	res.lang = (size_t)br_catalogue_find(cat, "de");
	res.error = "<x>";
	res.text = BR_MSG_TITLE_ORG; /* unset: the default sentence */
	html = render(&res);
	assert_non_null(strstr(html, "<html lang=\"de\">"));
	assert_non_null(strstr(html, "<h1>Die Anmeldung ist fehlgeschlagen</h1>"));
	assert_non_null(strstr(html, "<p>Die Anmeldung war nicht erfolgreich.</p>"));
	assert_non_null(strstr(html, "Fehlercode: <span class=\"code\"><bdi>&lt;x&gt;</bdi>"));
	assert_non_null(strstr(html, "data-error=\"&lt;x&gt;\""));
	assert_null(strstr(html, "<x>"));
	/* the same script, so the same hash */
	br_inline_csp_result(csp);
	hash_of_script(html, hash);
	assert_non_null(strstr(csp, hash));
	free(html);
}

static void test_logout_page(void **state)
{
	struct br_strbuf b = {0};
	char csp[BR_INLINE_CSP_MAX], hash[64];
	char *html;

	br_inline_render_logout(&b, "https://meet.example.org", br_catalogue_builtin(),
	                        (size_t)br_catalogue_find(br_catalogue_builtin(), "fr"));
	html = br_strbuf_finish(&b, NULL);
	assert_non_null(strstr(html, "<html lang=\"fr\">"));
	assert_non_null(strstr(html, "<title>Session fermée</title>"));
	assert_non_null(strstr(html, "<p>Votre session est fermée.</p>"));
	assert_int_equal(count(html, "<script"), 1);
	assert_non_null(strstr(html, "{ type: 'logout-success' }, d.origin"));
	assert_non_null(strstr(html, "data-origin=\"https://meet.example.org\""));
	assert_int_equal(br_inline_csp_logout("https://meet.example.org", csp), 0);
	hash_of_script(html, hash);
	assert_non_null(strstr(csp, hash));
	assert_non_null(strstr(csp, "frame-ancestors https://meet.example.org"));
	/* an origin that would add a CSP directive is refused */
	assert_int_equal(br_inline_csp_logout("https://a; script-src *", csp), -1);
	assert_int_equal(br_inline_csp_logout(NULL, csp), -1);
	free(html);
}

static void test_origin(void **state)
{
	static const struct {
		const char *url, *origin;
	} good[] = {
	        {"https://meet.example.org", "https://meet.example.org"},
	        {"https://Meet.Example.ORG/auth", "https://meet.example.org"},
	        {"HTTPS://meet.example.org:443/x?y#z", "https://meet.example.org"},
	        {"https://meet.example.org:8443/", "https://meet.example.org:8443"},
	        {"http://127.0.0.1:80/auth", "http://127.0.0.1"},
	        {"http://127.0.0.1:8800/auth", "http://127.0.0.1:8800"},
	        {"http://[::1]:8800/a", "http://[::1]:8800"},
	        {"https://[FE80::1]", "https://[fe80::1]"},
	};
	static const char *const bad[] = {
	        "ftp://x",          "https://",      "https:///path",    "https://u:p@host/",
	        "https://host:8x/", "https://[::1/", "meet.example.org", "",
	};
	char out[BR_INLINE_ORIGIN_MAX];

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_int_equal(br_inline_origin(good[i].url, out), 0);
		assert_string_equal(out, good[i].origin);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(br_inline_origin(bad[i], out), -1);
	assert_int_equal(br_inline_origin(NULL, out), -1);
	assert_true(
	        br_inline_same_origin("https://meet.example.org/auth", "https://meet.example.org"));
	assert_false(
	        br_inline_same_origin("https://auth.example.org/", "https://meet.example.org"));
	assert_false(br_inline_same_origin("http://meet.example.org", "https://meet.example.org"));
	assert_false(
	        br_inline_same_origin("https://meet.example.org:444", "https://meet.example.org"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_success_page),
	        cmocka_unit_test(test_error_page),
	        cmocka_unit_test(test_logout_page),
	        cmocka_unit_test(test_origin),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
