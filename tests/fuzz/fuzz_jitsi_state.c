/*
 * fuzz_jitsi_state.c - libFuzzer target: what /login receives.  The first
 * input byte picks the mode:
 *   even: the rest is a query string, parsed as the router does
 *         (evhttp_parse_query_str), then room, tenant and {state} are taken
 *         by br_oidc_login_target(), as br_oidc_login() does;
 *   odd:  the rest is Jitsi's {state} (JSON) as such.
 * Either way the room goes through br_room_parse() and the tenant through
 * br_tenant_valid(), and the raw rest is also tried as a room and a tenant.
 * A state that parses must give overrides br_jitsi_overrides_valid()
 * accepts, within the limits, and every return URL built from it must keep
 * its structure (no stray characters, the app's own '#Intent;' last, no '/'
 * after the room for the desktop app).
 *
 * Build with `make fuzz` (tests/fuzz/build.sh OUTDIR fuzz_jitsi_state); run:
 *   ./fuzz_jitsi_state -max_total_time=60 tests/fuzz/corpus/jitsi_state
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sys/queue.h>

#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "bridge/error.h"
#include "bridge/jitsi.h"
#include "bridge/oidc.h"
#include "bridge/room.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int uri_component(const char *s)
{
	static const char ok[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	                         "0123456789-_.!~*'()%";
	return s[strspn(s, ok)] == '\0';
}

static void check_room(const char *typed)
{
	struct br_room room;
	struct br_error err = {0};

	if (br_room_parse(typed, &room, &err) == 0) {
		if (room.typed == NULL || room.readable == NULL || room.backend == NULL ||
		    room.url_path == NULL || room.readable[0] == '\0' || room.backend[0] == '\0')
			abort();
		/* The encoded forms are encodeURIComponent output: they go into
		 * a URL path and the token's room claim. */
		if (!uri_component(room.backend) || !uri_component(room.url_path))
			abort();
		br_room_clear(&room);
	} else if (err.msg[0] == '\0') {
		abort();
	}
}

/* A built URL: printable ASCII without spaces, quotes or angle brackets,
 * and no more '#' than the form has. */
static void check_url(const char *url, int max_hash)
{
	int hashes = 0;

	if (url == NULL)
		abort();
	for (const char *p = url; *p; p++) {
		if (*p <= ' ' || *p >= 0x7f || *p == '"' || *p == '<' || *p == '>' || *p == '\\')
			abort();
		hashes += *p == '#';
	}
	if (hashes > max_hash)
		abort();
}

static void check_urls(const char *room, const char *tenant, const char *overrides)
{
	static const char intent[] = "#Intent;scheme=org.jitsi.meet;package=org.jitsi.meet;end";
	struct br_room parsed;
	struct br_jitsi_target t = {.jitsi_url = "https://meet.example.org", .token = "h.c.s"};
	char *url;

	if (br_room_parse(room, &parsed, NULL) != 0)
		return;
	t.room_path = parsed.url_path;
	t.tenant = tenant != NULL && br_tenant_valid(tenant) ? tenant : NULL;
	t.overrides = overrides;
	url = br_jitsi_browser_url(&t, NULL);
	check_url(url, 1);
	free(url);
	url = br_jitsi_app_url(&t, BR_JITSI_ANDROID, "org.jitsi.meet", "org.jitsi.meet", NULL);
	check_url(url, 2);
	if (strcmp(url + strlen(url) - strlen(intent), intent) != 0)
		abort();
	free(url);
	t.query = true;
	url = br_jitsi_app_url(&t, BR_JITSI_ELECTRON, "jitsi-meet", NULL, NULL);
	check_url(url, 1);
	/* the desktop app splits at the last '/': the room must follow it */
	const char *slash = strrchr(url, '/');
	size_t n = strlen(parsed.url_path);
	if (strncmp(slash + 1, parsed.url_path, n) != 0 || slash[1 + n] != '?')
		abort();
	free(url);
	br_room_clear(&parsed);
}

static void login(const char *room_q, const char *tenant_q, const char *state_q)
{
	struct br_jitsi_state st = {0};
	struct br_error err = {0};

	/* the state on its own, as jitsi.c parses it */
	if (state_q && *state_q) {
		if (br_jitsi_state_parse(state_q, &st, &err) != 0) {
			if (st.room != NULL || st.tenant != NULL || st.overrides != NULL ||
			    err.msg[0] == '\0')
				abort();
		} else {
			if (st.overrides != NULL &&
			    (!br_jitsi_overrides_valid(st.overrides) ||
			     st.n_overrides > BR_JITSI_OVERRIDES_MAX ||
			     strlen(st.overrides) > BR_JITSI_OVERRIDES_MAX_BYTES))
				abort();
			if ((st.overrides == NULL) != (st.n_overrides == 0))
				abort();
			if (st.tenant != NULL && st.tenant[0] == '\0')
				abort();
		}
		br_jitsi_state_clear(&st);
	}

	/* what /login takes from the query and the state */
	char *room = NULL, *tenant = NULL;
	if (br_oidc_login_target(room_q, tenant_q, state_q, &room, &tenant, &st, &err) != 0) {
		if (room != NULL || tenant != NULL || err.msg[0] == '\0')
			abort();
		br_jitsi_state_clear(&st);
		return;
	}
	if (room == NULL || (tenant != NULL && !br_tenant_valid(tenant)) || st.room != NULL ||
	    st.tenant != NULL)
		abort();
	check_room(room);
	check_urls(room, tenant, st.overrides);
	free(room);
	free(tenant);
	br_jitsi_state_clear(&st);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	char *text = malloc(size);
	if (text == NULL)
		return 0;
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';

	if (data[0] % 2 == 0) {
		struct evkeyvalq q;
		TAILQ_INIT(&q);
		if (evhttp_parse_query_str(text, &q) == 0)
			login(evhttp_find_header(&q, "room"), evhttp_find_header(&q, "tenant"),
			      evhttp_find_header(&q, "state"));
		evhttp_clear_headers(&q);
	} else {
		login(NULL, NULL, text);
	}
	check_room(text);
	(void)br_tenant_valid(text);
	free(text);
	return 0;
}
