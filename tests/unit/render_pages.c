/*
 * render_pages.c - writes every page kind to DIR/<name>.html (English),
 * DIR/de/<name>.html (German) and DIR/branded/<name>.html (French, with an
 * organisation, logo, style sheet, accent colour and support line), each
 * with its Content-Security-Policy in <file>.csp, for the browser test
 * (tests/integration/browser/pages.test.js), which loads them in Chromium
 * and checks what a person sees.  The names and inputs here are what that
 * test expects.  The branded pages link DIR/auth/static/logo and
 * DIR/auth/static/custom.css, which the caller writes first: they are
 * checked here as the config loader checks them.
 *
 *   render_pages DIR
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <errno.h>

#include "bridge/catalogue.h"
#include "bridge/look.h"
#include "bridge/pages.h"
#include "bridge/strbuf.h"

#define HOSTILE "<script>alert(1)</script>"
#define LONG_ROOM                                                                                  \
	"a-very-long-room-name-without-any-spaces-that-must-wrap-on-a-phone-screen-"               \
	"instead-of-scrolling-sideways-0123456789-0123456789-0123456789-0123456789-0123456789-end"

static const struct {
	const char *name;
	struct br_page page;
} pages[] = {
        {"landing", {.kind = BR_PAGE_LANDING, .public_path = "/auth", .tenant = "acme"}},
        {"denied",
         {.kind = BR_PAGE_DENIED, .public_path = "/auth", .room = HOSTILE, .user = "Zoë Ünïcode"}},
        {"denied-hostile-user",
         {.kind = BR_PAGE_DENIED,
          .public_path = "/auth",
          .room = "Zoë & Co",
          .user = "\"onmouseover=alert(1) x='<img src=x onerror=alert(2)>",
          .detail = "access_denied"}},
        {"idp-unavailable",
         {.kind = BR_PAGE_IDP_UNAVAILABLE, .public_path = "/auth", .room = "Zoë & Co"}},
        {"idp-timeout", {.kind = BR_PAGE_IDP_TIMEOUT, .public_path = "/auth", .room = "Zoë & Co"}},
        {"idp-error",
         {.kind = BR_PAGE_IDP_ERROR, .public_path = "/auth", .room = HOSTILE, .detail = HOSTILE}},
        {"login-expired",
         {.kind = BR_PAGE_LOGIN_EXPIRED,
          .public_path = "/auth",
          .room = "Zoë & Co",
          .tenant = "acme"}},
        {"login-expired-hostile",
         {.kind = BR_PAGE_LOGIN_EXPIRED, .public_path = "/auth", .room = HOSTILE}},
        {"login-expired-long",
         {.kind = BR_PAGE_LOGIN_EXPIRED, .public_path = "/auth", .room = LONG_ROOM}},
        {"denied-long",
         {.kind = BR_PAGE_DENIED, .public_path = "/auth", .room = LONG_ROOM, .user = LONG_ROOM}},
        {"invalid", {.kind = BR_PAGE_INVALID, .public_path = "/auth", .detail = "room: " HOSTILE}},
        {"app",
         {.kind = BR_PAGE_APP,
          .public_path = "/auth",
          .room = "Zoë & Co",
          .user = "Zoë Ünïcode",
          .app_name = "iOS",
          .app_url = "org.jitsi.meet://meet.example.org/Zo%C3%AB%20%26%20Co#jwt=%22h.c.s%22"
                     "&config.prejoinConfig.enabled=false",
          .browser_url = "https://meet.example.org/Zo%C3%AB%20%26%20Co#jwt=%22h.c.s%22"
                         "&config.prejoinConfig.enabled=false"}},
        {"not-found", {.kind = BR_PAGE_NOT_FOUND, .public_path = "/auth"}},
        {"method", {.kind = BR_PAGE_METHOD, .public_path = "/auth"}},
        {"internal", {.kind = BR_PAGE_INTERNAL, .public_path = "/auth"}},
};

static int write_all(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "w");
	bool bad = f == NULL;
	if (f != NULL) {
		bad = fwrite(data, 1, len, f) != len;
		bad = (fclose(f) != 0) || bad;
	}
	if (bad)
		perror(path);
	return bad ? -1 : 0;
}

/* DIR/SUB/NAME.html and .csp for page in language lang with look. */
static int write_page(const char *dir, const char *sub, const char *name, struct br_page page,
                      const char *lang, const struct br_pages_look *look)
{
	const struct br_catalogue *cat = br_catalogue_builtin();
	char path[4096];
	size_t len = 0;
	int n;

	page.catalogue = cat;
	page.lang = (size_t)br_catalogue_find(cat, lang);
	page.look = look;
	n = snprintf(path, sizeof(path), "%s%s%s/%s.html", dir, sub[0] ? "/" : "", sub, name);
	if (n < 0 || (size_t)n >= sizeof(path) - 8) {
		fprintf(stderr, "render_pages: path too long\n");
		return -1;
	}
	struct br_strbuf b = {0};
	br_pages_render(&b, &page);
	char *html = br_strbuf_finish(&b, &len);
	if (html == NULL) {
		fprintf(stderr, "render_pages: %s: out of memory\n", name);
		return -1;
	}
	int rc = write_all(path, html, len);
	free(html);
	const char *csp = br_pages_csp(&page);
	strcpy(path + n - 5, ".csp");
	return rc == 0 ? write_all(path, csp, strlen(csp)) : -1;
}

/* The branding files the caller wrote must pass the loader's checks. */
static int check_static(const char *dir)
{
	char path[4096];
	static char buf[BR_LOOK_LOGO_MAX + 1];
	size_t len;
	int line = 0;
	char why[256];

	snprintf(path, sizeof(path), "%s/auth/static/logo", dir);
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		perror(path);
		return -1;
	}
	len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	if (len > BR_LOOK_LOGO_MAX || br_look_logo_type((unsigned char *)buf, len) == NULL) {
		fprintf(stderr, "render_pages: %s: not a logo the bridge accepts\n", path);
		return -1;
	}
	snprintf(path, sizeof(path), "%s/auth/static/custom.css", dir);
	f = fopen(path, "rb");
	if (f == NULL) {
		perror(path);
		return -1;
	}
	len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	if (len > BR_LOOK_CSS_MAX || br_look_css_check(buf, len, &line, why, sizeof(why)) != 0) {
		fprintf(stderr, "render_pages: %s:%d: %s\n", path, line, why);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct br_pages_look branded = {
	        .organisation = "Université d'Exemple <&>",
	        .support = "Service informatique : 01 23 45 67 89, support@exemple.fr",
	        .accent = "#0b6e4f",
	        .logo = true,
	        .css = true,
	};
	char sub[4096];

	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	if (check_static(argv[1]) != 0)
		return 1;
	snprintf(sub, sizeof(sub), "%s/de", argv[1]);
	if (mkdir(sub, 0755) != 0 && errno != EEXIST) {
		perror(sub);
		return 1;
	}
	snprintf(sub, sizeof(sub), "%s/branded", argv[1]);
	if (mkdir(sub, 0755) != 0 && errno != EEXIST) {
		perror(sub);
		return 1;
	}
	for (size_t i = 0; i < sizeof(pages) / sizeof(pages[0]); i++) {
		if (write_page(argv[1], "", pages[i].name, pages[i].page, "en", NULL) != 0 ||
		    write_page(argv[1], "de", pages[i].name, pages[i].page, "de", NULL) != 0 ||
		    write_page(argv[1], "branded", pages[i].name, pages[i].page, "fr", &branded) !=
		            0)
			return 1;
	}
	return 0;
}
