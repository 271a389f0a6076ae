/* test_pages.c - HTML pages, rendered without evhttp: status, visible text,
 * escaping, links, CSP choice.  The headers they are sent with: test_httpd. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <cmocka.h>

#include "bridge/catalogue.h"
#include "bridge/look.h"
#include "bridge/pages.h"
#include "bridge/strbuf.h"

#define HOSTILE     "<script>alert(1)</script>"
#define HOSTILE_ESC "&lt;script&gt;alert(1)&lt;/script&gt;"
#define REPL        "\xEF\xBF\xBD"
#define NCASES(a)   (sizeof(a) / sizeof((a)[0]))

static char *render(const struct br_page *page)
{
	struct br_strbuf b = {0};
	size_t len = 0;
	assert_int_equal(br_pages_render(&b, page), 0);
	char *html = br_strbuf_finish(&b, &len);
	assert_non_null(html);
	assert_int_equal(len, strlen(html));
	return html;
}

static void assert_contains(const char *html, const char *want)
{
	if (strstr(html, want) == NULL)
		fail_msg("page lacks \"%s\":\n%s", want, html);
}

static void assert_lacks(const char *html, const char *bad)
{
	if (strcasestr(html, bad) != NULL)
		fail_msg("page holds \"%s\":\n%s", bad, html);
}

/* The landing page's room field as it reaches the browser: what is between
 * value=" and the next quote (an escaped value never holds one); "" when
 * the page has no value attribute. */
static char *room_value(const char *room)
{
	struct br_page page = {.kind = BR_PAGE_LANDING, .room = room};
	char *html = render(&page);
	const char *v = strstr(html, " value=\"");
	char *out;

	if (v == NULL) {
		out = strdup("");
	} else {
		v += strlen(" value=\"");
		out = strndup(v, strcspn(v, "\""));
	}
	free(html);
	return out;
}

/* Every value goes through one escaper; these cases reach it through the
 * landing page's room field. */
static void test_html_escape(void **state)
{
	static const struct {
		const char *in;
		const char *want;
	} cases[] = {
	        {"", ""},
	        {"plain text", "plain text"},
	        {"&<>\"'", "&amp;&lt;&gt;&quot;&#39;"},
	        {HOSTILE, HOSTILE_ESC},
	        {"\"onmouseover=alert(1)", "&quot;onmouseover=alert(1)"},
	        {"Zoë & Co", "Zoë &amp; Co"},
	        {"tab\tnewline\n", "tab\tnewline\n"},
	        {"\xF0\x9F\x98\x80", "\xF0\x9F\x98\x80"}, /* U+1F600, 4 bytes */
	        {"a\x01"
	         "b\x7F",
	         "a" REPL "b" REPL},                       /* controls */
	        {"\xC2\x85", REPL},                        /* C1 control NEL */
	        {"x\xC3", "x" REPL},                       /* cut sequence */
	        {"\xC0\xAF", REPL REPL},                   /* overlong "/" */
	        {"\xED\xA0\x80", REPL REPL REPL},          /* surrogate */
	        {"\xF4\x90\x80\x80", REPL REPL REPL REPL}, /* above U+10FFFF */
	        {"\xFF<", REPL "&lt;"},
	};
	for (size_t i = 0; i < NCASES(cases); i++) {
		char *got = room_value(cases[i].in);
		assert_non_null(got);
		assert_string_equal(got, cases[i].want);
		free(got);
	}
}

static void test_status(void **state)
{
	static const struct {
		enum br_page_kind kind;
		int status;
		int want;
	} cases[] = {
	        {BR_PAGE_LANDING, 0, 200},         {BR_PAGE_DENIED, 0, 403},
	        {BR_PAGE_IDP_UNAVAILABLE, 0, 503}, {BR_PAGE_IDP_TIMEOUT, 0, 504},
	        {BR_PAGE_IDP_ERROR, 0, 502},       {BR_PAGE_LOGIN_EXPIRED, 0, 400},
	        {BR_PAGE_INVALID, 0, 400},         {BR_PAGE_NOT_FOUND, 0, 404},
	        {BR_PAGE_METHOD, 0, 405},          {BR_PAGE_INTERNAL, 0, 500},
	        {BR_PAGE_DENIED, 401, 401},        {BR_PAGE_INTERNAL, 42, 500},
	        {(enum br_page_kind)99, 0, 500},
	};
	for (size_t i = 0; i < NCASES(cases); i++) {
		struct br_page page = {.kind = cases[i].kind, .status = cases[i].status};
		assert_int_equal(br_page_status(&page), cases[i].want);
	}
}

static void test_kind_for_error(void **state)
{
	static const struct {
		enum br_error_code code;
		enum br_page_kind want;
	} cases[] = {
	        {BR_E_INVALID, BR_PAGE_INVALID},
	        {BR_E_STATE, BR_PAGE_LOGIN_EXPIRED},
	        {BR_E_DENIED, BR_PAGE_DENIED},
	        {BR_E_PROTOCOL, BR_PAGE_IDP_ERROR},
	        {BR_E_UNAVAILABLE, BR_PAGE_IDP_UNAVAILABLE},
	        {BR_E_TIMEOUT, BR_PAGE_IDP_TIMEOUT},
	        {BR_E_NOMEM, BR_PAGE_INTERNAL},
	        {BR_E_CRYPTO, BR_PAGE_INTERNAL},
	        {BR_E_INTERNAL, BR_PAGE_INTERNAL},
	};
	for (size_t i = 0; i < NCASES(cases); i++)
		assert_int_equal(br_page_kind_for_error(cases[i].code), cases[i].want);
}

/* Each kind: its title, heading and the text and links a person needs. */
static void test_render_kinds(void **state)
{
	static const struct {
		struct br_page page;
		const char *want[6];
	} cases[] = {
	        {{.kind = BR_PAGE_LANDING, .public_path = "/auth", .tenant = "acme"},
	         {"<title>Join a meeting</title>", "<form method=\"get\" action=\"/auth/login\">",
	          "<input type=\"text\" id=\"room\" name=\"room\" required",
	          "<input type=\"hidden\" name=\"tenant\" value=\"acme\">", "Sign in and join"}},
	        {{.kind = BR_PAGE_DENIED,
	          .public_path = "/auth",
	          .room = "Board",
	          .user = "Zoë Ünïcode"},
	         {"<title>Access denied</title>",
	          "You are signed in as <strong><bdi>Zoë Ünïcode</bdi></strong>. This account may "
	          "not "
	          "join the room <strong><bdi>Board</bdi></strong>.",
	          "<a class=\"button\" href=\"/auth/logout\">Sign in with another account</a>",
	          "Error 403"}},
	        {{.kind = BR_PAGE_DENIED, .detail = "access_denied"},
	         {"Your account may not join this room.",
	          "Reason: <span class=\"code\"><bdi>access_denied</bdi></span>",
	          "href=\"/logout\""}},
	        {{.kind = BR_PAGE_IDP_UNAVAILABLE, .public_path = "/auth", .room = "r"},
	         {"<title>Sign-in is temporarily unavailable</title>",
	          "<h1>Sign-in is temporarily unavailable</h1>", "Please try again later.",
	          "href=\"/auth/login?room=r\">Try again</a>", "Error 503"}},
	        {{.kind = BR_PAGE_IDP_TIMEOUT, .public_path = "/auth"},
	         {"<title>The sign-in service did not answer</title>", "did not answer in time",
	          "Please try again later.", "Error 504"}},
	        {{.kind = BR_PAGE_IDP_ERROR, .detail = "invalid_client"},
	         {"<title>Sign-in failed</title>",
	          "Error code: <span class=\"code\"><bdi>invalid_client</bdi></span>",
	          "Error 502"}},
	        {{.kind = BR_PAGE_LOGIN_EXPIRED,
	          .public_path = "/auth",
	          .room = "r",
	          .tenant = "t"},
	         {"<title>Your sign-in has expired</title>", "<html lang=\"en\">",
	          "<p>Room: <strong><bdi>r</bdi></strong></p>",
	          "<a class=\"button\" href=\"/auth/login?room=r&amp;tenant=t\">Try again</a>",
	          "Error 400"}},
	        {{.kind = BR_PAGE_LOGIN_EXPIRED, .public_path = "/auth"},
	         {"<a class=\"button\" href=\"/auth/\">Start again</a>"}},
	        {{.kind = BR_PAGE_INVALID, .public_path = "/", .detail = "room: too long"},
	         {"<title>Invalid request</title>",
	          "Reason: <span class=\"code\"><bdi>room: too long</bdi></span>",
	          "<a href=\"/\">Go to the start page</a>", "Error 400"}},
	        {{.kind = BR_PAGE_INVALID}, {"The request could not be understood.", "Error 400"}},
	        {{.kind = BR_PAGE_NOT_FOUND, .public_path = "/auth/"},
	         {"<title>Page not found</title>", "<a href=\"/auth/\">", "Error 404"}},
	        {{.kind = BR_PAGE_METHOD}, {"<title>Method not allowed</title>", "Error 405"}},
	        {{.kind = BR_PAGE_INTERNAL},
	         {"<title>Internal error</title>", "Something went wrong on our side",
	          "Error 500"}},
	};
	for (size_t i = 0; i < NCASES(cases); i++) {
		char *html = render(&cases[i].page);
		for (size_t j = 0; j < NCASES(cases[i].want) && cases[i].want[j]; j++)
			assert_contains(html, cases[i].want[j]);
		if (cases[i].page.kind == BR_PAGE_LANDING)
			assert_lacks(html, "Error ");
		free(html);
	}
}

/* Every kind, with hostile values everywhere: the common head, escaped
 * values, no script, no refresh, no raw quote from the input. */
static void test_every_kind_safe(void **state)
{
	for (int k = 0; k < BR_PAGE_KIND_COUNT; k++) {
		struct br_page page = {
		        .kind = (enum br_page_kind)k,
		        .public_path = "/auth",
		        .room = HOSTILE,
		        .tenant = "\"x'<>",
		        .user = "\"onmouseover=alert(1) '",
		        .detail = HOSTILE,
		        .allow = "GET",
		};
		char *html = render(&page);
		assert_int_equal(
		        strncmp(html,
		                "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
		                "<meta charset=\"utf-8\">\n<meta name=\"viewport\" "
		                "content=\"width=device-width, initial-scale=1\">\n",
		                strlen("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
		                       "<meta charset=\"utf-8\">\n<meta name=\"viewport\" "
		                       "content=\"width=device-width, initial-scale=1\">\n")),
		        0);
		assert_contains(html, "<style>");
		assert_contains(html, "</html>\n");
		assert_lacks(html, "<script");
		assert_lacks(html, "javascript:");
		assert_lacks(html, "http-equiv");
		assert_lacks(html, "\"onmouseover");
		assert_lacks(html, "'");
		assert_lacks(html, "\"x");
		assert_lacks(html, "://");
		free(html);
	}

	/* The kinds that show the room, the user or the detail show them escaped. */
	static const struct {
		enum br_page_kind kind;
		const char *want;
	} shown[] = {
	        {BR_PAGE_DENIED, "<bdi>" HOSTILE_ESC "</bdi>"},
	        {BR_PAGE_DENIED, "<bdi>&quot;onmouseover=alert(1) &#39;</bdi>"},
	        {BR_PAGE_IDP_ERROR, "<bdi>" HOSTILE_ESC "</bdi>"},
	        {BR_PAGE_INVALID, "<bdi>" HOSTILE_ESC "</bdi>"},
	        {BR_PAGE_LOGIN_EXPIRED, "Room: <strong><bdi>" HOSTILE_ESC "</bdi></strong>"},
	        {BR_PAGE_LANDING, "value=\"" HOSTILE_ESC "\""},
	        {BR_PAGE_LANDING, "name=\"tenant\" value=\"&quot;x&#39;&lt;&gt;\""},
	        {BR_PAGE_LOGIN_EXPIRED,
	         "href=\"/auth/"
	         "login?room=%3Cscript%3Ealert(1)%3C%2Fscript%3E&amp;tenant=%22x&#39;%3C%"
	         "3E\""},
	};
	for (size_t i = 0; i < NCASES(shown); i++) {
		struct br_page page = {
		        .kind = shown[i].kind,
		        .public_path = "/auth",
		        .room = HOSTILE,
		        .tenant = "\"x'<>",
		        .user = "\"onmouseover=alert(1) '",
		        .detail = HOSTILE,
		};
		char *html = render(&page);
		assert_contains(html, shown[i].want);
		free(html);
	}
}

/* The page that hands the token to an app: both links, escaped; it opens
 * the app by itself only when told (a package-pinned Android intent). */
static void test_app_page(void **state)
{
	struct br_page page = {
	        .kind = BR_PAGE_APP,
	        .public_path = "/auth",
	        .room = HOSTILE,
	        .user = "\"onmouseover=alert(1) '",
	        .app_url = "intent://meet.example.org/R#jwt=%22a.b.c%22&config.a=1"
	                   "#Intent;scheme=org.jitsi.meet;package=org.jitsi.meet;end",
	        .browser_url = "https://meet.example.org/R#jwt=%22a.b.c%22&config.a=1",
	        .app_name = "Android",
	};
	char *html;

	assert_int_equal(br_page_status(&page), 200);
	html = render(&page);
	assert_contains(html, "<title>Open the Jitsi app</title>");
	assert_contains(html,
	                "<a class=\"button\" id=\"open-app\" "
	                "href=\"intent://meet.example.org/R#jwt=%22a.b.c%22&amp;config.a=1"
	                "#Intent;scheme=org.jitsi.meet;package=org.jitsi.meet;end\">Open in the "
	                "Jitsi app</a>");
	assert_contains(html, "<a id=\"continue\" href=\"https://meet.example.org/"
	                      "R#jwt=%22a.b.c%22&amp;config.a=1\">Continue in this browser</a>");
	assert_contains(html, "The room <strong><bdi>" HOSTILE_ESC "</bdi></strong>");
	assert_contains(html, "<bdi>&quot;onmouseover=alert(1) &#39;</bdi>");
	assert_contains(html, "in the Android app.");
	assert_lacks(html, "http-equiv");
	assert_lacks(html, "<script");
	assert_lacks(html, "Error 200");
	free(html);

	page.open_app = true;
	html = render(&page);
	assert_contains(html, "<meta http-equiv=\"refresh\" content=\"0; url=intent://"
	                      "meet.example.org/R#jwt=%22a.b.c%22&amp;config.a=1#Intent;scheme=org."
	                      "jitsi.meet;package=org.jitsi.meet;end\">\n<style>");
	free(html);

	/* a URL with a quote cannot break out of the attribute */
	page.open_app = false;
	page.app_url = "org.jitsi.meet://x/\"><script>";
	html = render(&page);
	assert_contains(html, "href=\"org.jitsi.meet://x/&quot;&gt;&lt;script&gt;\"");
	assert_lacks(html, "<script");
	free(html);

	/* without URLs (a bug upstream) no empty link */
	page.app_url = page.browser_url = NULL;
	html = render(&page);
	assert_lacks(html, "href=\"\"");
	assert_lacks(html, "open-app");
	free(html);
}

static void test_try_again_link(void **state)
{
	static const struct {
		const char *public_path;
		const char *room;
		const char *tenant;
		const char *want;
	} cases[] = {
	        {"/auth", "Zoë & Co", "acme",
	         "href=\"/auth/login?room=Zo%C3%AB%20%26%20Co&amp;tenant=acme\">Try again</a>"},
	        {"/auth/", "Zoë & Co", NULL, "href=\"/auth/login?room=Zo%C3%AB%20%26%20Co\">"},
	        {NULL, "Zoë & Co", "", "href=\"/login?room=Zo%C3%AB%20%26%20Co\">"},
	        {"/", "a'b(c)!*~._-", NULL, "href=\"/login?room=a&#39;b(c)!*~._-\">"},
	        {"", "a/b?c#d+e=f%g\"h", NULL,
	         "href=\"/login?room=a%2Fb%3Fc%23d%2Be%3Df%25g%22h\">"},
	        {"/p&q", "r", NULL, "href=\"/p&amp;q/login?room=r\">"},
	};
	for (size_t i = 0; i < NCASES(cases); i++) {
		struct br_page page = {.kind = BR_PAGE_LOGIN_EXPIRED,
		                       .public_path = cases[i].public_path,
		                       .room = cases[i].room,
		                       .tenant = cases[i].tenant};
		char *html = render(&page);
		assert_contains(html, cases[i].want);
		free(html);
	}
}

/* Values longer than BR_PAGE_FIELD_MAX are cut; a room that long gets no
 * try-again link with a half room in it. */
static void test_long_values(void **state)
{
	char big[BR_PAGE_FIELD_MAX + 100];
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	char want[BR_PAGE_FIELD_MAX + 32];
	memset(want, 'x', BR_PAGE_FIELD_MAX);
	strcpy(want + BR_PAGE_FIELD_MAX, "\xE2\x80\xA6</bdi>");

	struct br_page page = {.kind = BR_PAGE_IDP_ERROR, .detail = big};
	char *html = render(&page);
	assert_contains(html, want);
	free(html);

	struct br_page expired = {.kind = BR_PAGE_LOGIN_EXPIRED, .public_path = "/a", .room = big};
	html = render(&expired);
	assert_contains(html, "href=\"/a/\">Start again</a>");
	assert_contains(html, want);
	assert_lacks(html, "/login?");
	free(html);

	/* A cut never splits a character: 511 x and then a 2-byte ë. */
	char utf[BR_PAGE_FIELD_MAX + 8];
	memset(utf, 'x', BR_PAGE_FIELD_MAX - 1);
	strcpy(utf + BR_PAGE_FIELD_MAX - 1, "ëë");
	struct br_page cut = {.kind = BR_PAGE_INVALID, .detail = utf};
	html = render(&cut);
	assert_contains(html, "xx\xE2\x80\xA6</bdi>");
	assert_lacks(html, "xë");
	free(html);
}

/* A page is appended to what the buffer holds: one complete document. */
static void test_render_appends(void **state)
{
	struct br_page page = {.kind = BR_PAGE_NOT_FOUND, .public_path = "/auth"};
	struct br_strbuf b = {0};
	char *alone = render(&page);

	br_strbuf_puts(&b, "prefix:");
	assert_int_equal(br_pages_render(&b, &page), 0);
	char *got = br_strbuf_finish(&b, NULL);
	assert_non_null(got);
	assert_int_equal(strncmp(got, "prefix:", 7), 0);
	assert_string_equal(got + 7, alone);
	assert_int_equal(strncmp(alone, "<!DOCTYPE html>\n", 16), 0);
	assert_contains(alone, "<p class=\"small\">Error 404</p>\n</main>\n</body>\n</html>\n");
	free(got);
	free(alone);

	/* A failed buffer stays failed: the caller sends the fallback page. */
	b.failed = true;
	assert_int_equal(br_pages_render(&b, &page), -1);
	assert_null(br_strbuf_finish(&b, NULL));
}

/* The landing page's form leads through the IdP to Jitsi in one navigation,
 * so its CSP has no form-action (browsers apply it to each redirect); every
 * other page keeps form-action 'self'. */
static void test_csp(void **state)
{
	for (int k = 0; k < BR_PAGE_KIND_COUNT; k++) {
		struct br_page page = {.kind = (enum br_page_kind)k};
		const char *csp = br_pages_csp(&page);
		if (k == BR_PAGE_LANDING) {
			assert_string_equal(csp, "default-src 'none'; style-src 'unsafe-inline'; "
			                         "frame-ancestors 'none'");
		} else {
			assert_string_equal(csp, "default-src 'none'; style-src 'unsafe-inline'; "
			                         "form-action 'self'; frame-ancestors 'none'");
		}
	}
	struct br_page bad = {.kind = (enum br_page_kind)99};
	assert_string_equal(br_pages_csp(&bad), BR_PAGES_CSP);
}

/* s with & < > " ' as the pages escape them (for expected text). */
static char *escape_text(const char *s)
{
	char *out = calloc(1, strlen(s) * 6 + 1), *o = out;
	assert_non_null(out);
	for (; *s; s++) {
		const char *e = *s == '&'    ? "&amp;"
		                : *s == '<'  ? "&lt;"
		                : *s == '>'  ? "&gt;"
		                : *s == '"'  ? "&quot;"
		                : *s == '\'' ? "&#39;"
		                             : NULL;
		if (e) {
			strcpy(o, e);
			o += strlen(e);
		} else {
			*o++ = *s;
		}
	}
	return out;
}

/* Every language, every kind, hostile values: the page is in that language
 * (lang, title), the values are there escaped, nothing else is raw. */
static void test_render_languages(void **state)
{
	const struct br_catalogue *cat = br_catalogue_builtin();
	for (size_t l = 0; l < br_catalogue_count(cat); l++) {
		char want[64];
		const char *tag = br_catalogue_tag(cat, l);
		snprintf(want, sizeof(want), "<html lang=\"%s\">", tag);
		for (int k = 0; k < BR_PAGE_KIND_COUNT; k++) {
			struct br_page page = {.kind = (enum br_page_kind)k,
			                       .public_path = "/auth",
			                       .room = HOSTILE,
			                       .user = HOSTILE,
			                       .detail = HOSTILE,
			                       .catalogue = cat,
			                       .lang = l};
			char *html = render(&page);
			assert_contains(html, want);
			assert_lacks(html, "<script");
			char title[512];
			char *esc = escape_text(
			        br_catalogue_text(cat, l,
			                          k == BR_PAGE_LANDING  ? BR_MSG_LANDING_TITLE
			                          : k == BR_PAGE_DENIED ? BR_MSG_DENIED_TITLE
			                                                : BR_MSG_COUNT));
			if (esc != NULL && esc[0] != '\0') {
				snprintf(title, sizeof(title), "<title>%s</title>", esc);
				assert_contains(html, title);
			}
			free(esc);
			if (k != BR_PAGE_LANDING && k != BR_PAGE_NOT_FOUND && k != BR_PAGE_METHOD &&
			    k != BR_PAGE_INTERNAL && k != BR_PAGE_IDP_UNAVAILABLE &&
			    k != BR_PAGE_IDP_TIMEOUT)
				assert_contains(html, HOSTILE_ESC);
			free(html);
		}
	}
}

static void test_render_german_french(void **state)
{
	const struct br_catalogue *cat = br_catalogue_builtin();
	struct br_page de = {.kind = BR_PAGE_DENIED,
	                     .public_path = "/auth",
	                     .room = "Vorstand",
	                     .user = "Zoë",
	                     .catalogue = cat,
	                     .lang = (size_t)br_catalogue_find(cat, "de")};
	char *html = render(&de);
	assert_contains(html, "<title>Kein Zugang</title>");
	assert_contains(html, "Sie sind als <strong><bdi>Zoë</bdi></strong> angemeldet. Mit "
	                      "diesem Konto können Sie dem Raum <strong><bdi>Vorstand</bdi>"
	                      "</strong> nicht beitreten.");
	assert_contains(html, "<p class=\"small\">Fehler 403</p>");
	assert_contains(html, ">Mit einem anderen Konto anmelden</a>");
	free(html);

	struct br_page fr = {.kind = BR_PAGE_IDP_ERROR,
	                     .detail = "invalid_grant",
	                     .room = "r",
	                     .catalogue = cat,
	                     .lang = (size_t)br_catalogue_find(cat, "fr")};
	html = render(&fr);
	assert_contains(html, "<html lang=\"fr\">");
	assert_contains(html, "Code d&#39;erreur\u00a0: <span class=\"code\"><bdi>invalid_grant"
	                      "</bdi></span>");
	assert_contains(html, ">Réessayer</a>");
	assert_contains(html, "Erreur 502");
	free(html);
}

/* An operator's text is escaped like any other. */
static void test_override_escaped(void **state)
{
	char dir[] = "/tmp/br-pages-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[64];
	snprintf(path, sizeof(path), "%s/en.ini", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("landing.title = <b>Welcome</b> & \"hi\"\n", f);
	fclose(f);
	struct br_error err;
	struct br_catalogue *cat = br_catalogue_load(dir, &err);
	assert_non_null(cat);
	struct br_page page = {.kind = BR_PAGE_LANDING, .catalogue = cat};
	char *html = render(&page);
	assert_contains(html, "<title>&lt;b&gt;Welcome&lt;/b&gt; &amp; &quot;hi&quot;</title>");
	assert_contains(html, "<h1>&lt;b&gt;Welcome&lt;/b&gt; &amp; &quot;hi&quot;</h1>");
	free(html);
	br_catalogue_free(cat);
	unlink(path);
	rmdir(dir);
}

static void test_branding(void **state)
{
	struct br_pages_look look = {
	        .organisation = "Acme <&> \"Univ\"",
	        .support = "helpdesk@example.org, +49 30 1234 <x>",
	        .accent = "#0b6e4f",
	        .logo = true,
	        .css = true,
	};
	struct br_page page = {.kind = BR_PAGE_LANDING, .public_path = "/auth", .look = &look};
	char *html = render(&page);
	assert_contains(html,
	                "<title>Join a meeting · Acme &lt;&amp;&gt; &quot;Univ&quot;</title>");
	assert_contains(html, "sign in with your <bdi>Acme &lt;&amp;&gt; &quot;Univ&quot;</bdi> "
	                      "account.");
	assert_contains(html, "<img class=\"logo\" src=\"/auth/static/logo\" alt=\"Acme "
	                      "&lt;&amp;&gt; &quot;Univ&quot;\">");
	assert_contains(html, "<link rel=\"stylesheet\" href=\"/auth/static/custom.css\">");
	assert_contains(html, "@media not (prefers-color-scheme:dark){a{color:#0b6e4f}"
	                      ".button{background:#0b6e4f}}</style>");
	assert_contains(html, "<p class=\"small support\">Need help? <bdi>helpdesk@example.org, "
	                      "+49 30 1234 &lt;x&gt;</bdi></p>");
	assert_lacks(html, "<x>");
	free(html);
	/* the CSP allows exactly what is there */
	assert_string_equal(br_pages_csp(&page),
	                    "default-src 'none'; img-src 'self'; style-src 'self' "
	                    "'unsafe-inline'; frame-ancestors 'none'");
	look.css = false;
	assert_string_equal(br_pages_csp(&page), "default-src 'none'; img-src 'self'; style-src "
	                                         "'unsafe-inline'; frame-ancestors 'none'");
	page.kind = BR_PAGE_DENIED;
	look.logo = false;
	look.css = true;
	assert_string_equal(br_pages_csp(&page), "default-src 'none'; style-src 'self' "
	                                         "'unsafe-inline'; form-action 'self'; "
	                                         "frame-ancestors 'none'");
	/* no organisation: a decorative logo, the plain intro; a bad accent
	 * never reaches the style sheet */
	struct br_pages_look bare = {.logo = true, .accent = "red;}body{x:y"};
	struct br_page p2 = {.kind = BR_PAGE_LANDING, .look = &bare};
	html = render(&p2);
	assert_contains(html, "<img class=\"logo\" src=\"/static/logo\" alt=\"\">");
	assert_contains(html, "<title>Join a meeting</title>");
	assert_contains(html, "your organisation&#39;s account");
	assert_lacks(html, "red;");
	assert_lacks(html, "support");
	free(html);
}

static void test_contrast(void **state)
{
	static const struct {
		const char *a, *b;
		double want;
	} cases[] = {
	        {"#000000", "#ffffff", 21.0},  {"#ffffff", "#000000", 21.0},
	        {"#ffffff", "#ffffff", 1.0},   {"#777777", "#ffffff", 4.478},
	        {"#767676", "#FFFFFF", 4.542}, {"#1a5fd0", "#ffffff", 5.847},
	        {"#ff0000", "#ffffff", 3.998},
	};
	for (size_t i = 0; i < NCASES(cases); i++) {
		double got = br_look_contrast(cases[i].a, cases[i].b);
		if (got < cases[i].want - 0.001 || got > cases[i].want + 0.001)
			fail_msg("%s on %s: %.4f, want %.3f", cases[i].a, cases[i].b, got,
			         cases[i].want);
	}
	assert_true(br_look_contrast("#fff", "#000000") == 0);
	assert_true(br_look_contrast("red", "#000000") == 0);
	/* the one "#rrggbb" check, shared by the contrast and the style sheet */
	assert_true(br_look_colour_valid("#0B6e4f"));
	assert_false(br_look_colour_valid("#0b6e4g"));
	assert_false(br_look_colour_valid("#0b6e4"));
	assert_false(br_look_colour_valid("#0b6e4f0"));
	assert_false(br_look_colour_valid("0b6e4ff"));
	assert_false(br_look_colour_valid(NULL));
}

/* The colour that follows needle in html ("#rrggbb"), copied into out. */
static void colour_after(const char *html, const char *needle, char out[8])
{
	const char *p = strstr(html, needle);
	if (p == NULL)
		fail_msg("no \"%s\" in the style sheet", needle);
	p += strlen(needle);
	assert_int_equal(p[0], '#');
	memcpy(out, p, 7);
	out[7] = '\0';
}

/* The built-in colours pass WCAG 2 AA (4.5:1) for text in both schemes:
 * body, small print, links and the button's white text.  The dark
 * scheme's button was #3b7be8 (4.05:1 with white) before. */
static void test_builtin_contrast(void **state)
{
	struct br_page page = {.kind = BR_PAGE_LANDING};
	char *html = render(&page);
	const char *dark = strstr(html, "@media (prefers-color-scheme:dark)");
	assert_non_null(dark);
	/* the light card is white, the dark one #24262a */
	assert_non_null(strstr(html, "padding:1.5rem;background:#fff;border-radius:12px"));
	static const struct {
		bool dark;
		const char *needle; /* the colour follows it */
		bool on_it;         /* white text on this colour, not it on the card */
	} pairs[] = {
	        {false, "sans-serif;background:#f2f4f7;color:", false},
	        {false, ".small{color:", false},
	        {false, "}a{color:", false},
	        {false, "border:0;border-radius:8px;background:", true}, /* the button */
	        {true, "body{background:#17181b;color:", false},
	        {true, ".small{color:", false},
	        {true, "a{color:", false},
	        {true, ".button{background:", true},
	};
	for (size_t i = 0; i < NCASES(pairs); i++) {
		char c1[8], card[8];
		colour_after(pairs[i].dark ? dark : html, pairs[i].needle, c1);
		if (pairs[i].dark)
			colour_after(dark, "main{background:", card);
		else
			snprintf(card, sizeof(card), "#ffffff");
		double c = br_look_contrast(c1, pairs[i].on_it ? "#ffffff" : card);
		if (c < 4.5)
			fail_msg("%s %s: %.2f:1", pairs[i].dark ? "dark" : "light", c1, c);
	}
	free(html);
}

static void test_css_check(void **state)
{
	static const struct {
		const char *css;
		size_t len; /* 0: strlen */
		int line;   /* 0: accepted */
		const char *why;
	} cases[] = {
	        {"main { color: #222 }\n", 0, 0, NULL},
	        {"/* url( @import */ a::before { content: \"url( \\\" @import\" }", 0, 0, NULL},
	        {"h1::before { content: '\\201C' }", 0, 0, NULL},
	        {"a{}\n\n@IMPORT \"x.css\";", 0, 3,
	         "@import: the style sheet may not load anything"},
	        {"a{background:Url(//x)}", 0, 1, "url(), image() and image-set() are not allowed"},
	        {"a{background:image-set(\"x.png\" 1x)}", 0, 1, "url(), image()"},
	        {"a{b:\\75 rl(x)}", 0, 1, "a backslash escape outside a string"},
	        {"a{}\n\xff", 0, 2, "invalid UTF-8"},
	        /* an unterminated comment or string hides nothing (fuzz_pages) */
	        {"/* url\0\0\nh1{}", 14, 1, "control character"},
	        {"/* x\n\xc0\xaf", 0, 2, "invalid UTF-8"},
	        {"a{content:\"\x01\"}", 0, 1, "control character"},
	        {"a{}\n/* no end\n@import x", 0, 0, NULL},
	};
	for (size_t i = 0; i < NCASES(cases); i++) {
		char why[256] = "";
		int line = 0;
		size_t len = cases[i].len ? cases[i].len : strlen(cases[i].css);
		int rc = br_look_css_check(cases[i].css, len, &line, why, sizeof(why));
		if (cases[i].line == 0) {
			if (rc != 0)
				fail_msg("case %zu refused: %d: %s", i, line, why);
			continue;
		}
		if (rc == 0)
			fail_msg("case %zu accepted", i);
		assert_int_equal(line, cases[i].line);
		if (strncmp(why, cases[i].why, strlen(cases[i].why)) != 0)
			fail_msg("case %zu: %s", i, why);
	}
	static const unsigned char png[] = "\x89PNG\r\n\x1a\nrest";
	static const unsigned char jpg[] = "\xff\xd8\xff\xe0";
	static const unsigned char webp[] = "RIFF\0\0\0\0WEBPVP8 ";
	assert_string_equal(br_look_logo_type(png, sizeof(png) - 1), "image/png");
	assert_string_equal(br_look_logo_type(jpg, sizeof(jpg) - 1), "image/jpeg");
	assert_string_equal(br_look_logo_type(webp, sizeof(webp) - 1), "image/webp");
	assert_null(br_look_logo_type((const unsigned char *)"<svg", 4));
	assert_null(br_look_logo_type((const unsigned char *)"GIF89a", 6));
	assert_null(br_look_logo_type(png, 7));
}

static void test_fallback(void **state)
{
	size_t len = 0;
	const char *page = br_pages_fallback(&len);
	assert_int_equal(len, strlen(page));
	assert_int_equal(strncmp(page, "<!DOCTYPE html>\n", 16), 0);
	assert_contains(page, "<title>Internal error</title>");
	assert_lacks(page, "<script");
	assert_lacks(page, "href=");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_html_escape),
	        cmocka_unit_test(test_status),
	        cmocka_unit_test(test_kind_for_error),
	        cmocka_unit_test(test_render_kinds),
	        cmocka_unit_test(test_every_kind_safe),
	        cmocka_unit_test(test_app_page),
	        cmocka_unit_test(test_try_again_link),
	        cmocka_unit_test(test_long_values),
	        cmocka_unit_test(test_render_appends),
	        cmocka_unit_test(test_csp),
	        cmocka_unit_test(test_fallback),
	        cmocka_unit_test(test_render_languages),
	        cmocka_unit_test(test_render_german_french),
	        cmocka_unit_test(test_override_escaped),
	        cmocka_unit_test(test_branding),
	        cmocka_unit_test(test_contrast),
	        cmocka_unit_test(test_builtin_contrast),
	        cmocka_unit_test(test_css_check),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
