/*
 * render_pages.c - writes every page kind to DIR/<name>.html, for the
 * browser test (tests/integration/browser/pages.test.js), which loads them
 * in Chromium and checks what a person sees.  The names and inputs here are
 * what that test expects.
 *
 *   render_pages DIR
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	for (size_t i = 0; i < sizeof(pages) / sizeof(pages[0]); i++) {
		char path[4096];
		size_t len = 0;
		int n = snprintf(path, sizeof(path), "%s/%s.html", argv[1], pages[i].name);
		if (n < 0 || (size_t)n >= sizeof(path)) {
			fprintf(stderr, "render_pages: path too long\n");
			return 1;
		}
		struct br_strbuf b = {0};
		br_pages_render(&b, &pages[i].page);
		char *html = br_strbuf_finish(&b, &len);
		if (html == NULL) {
			fprintf(stderr, "render_pages: %s: out of memory\n", pages[i].name);
			return 1;
		}
		FILE *f = fopen(path, "w");
		bool bad = f == NULL;
		if (f != NULL) {
			bad = fwrite(html, 1, len, f) != len;
			bad = (fclose(f) != 0) || bad;
		}
		free(html);
		if (bad) {
			perror(path);
			return 1;
		}
	}
	return 0;
}
