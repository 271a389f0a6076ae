/*
 * fuzz_jitsi_state.c - libFuzzer target: what /login receives.  The first
 * input byte picks the mode:
 *   even: the rest is a query string, parsed as the router does
 *         (evhttp_parse_query_str), then room, tenant and {state} are taken
 *         the way br_oidc_login() does;
 *   odd:  the rest is Jitsi's {state} (JSON) as such.
 * Either way the room goes through br_room_parse() and the tenant through
 * br_tenant_valid(), and the raw rest is also tried as a room and a tenant.
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

static void login(const char *room_q, const char *tenant_q, const char *state_q)
{
	char *s_room = NULL, *s_tenant = NULL;
	struct br_error err = {0};

	if (state_q && *state_q) {
		if (br_oidc_parse_jitsi_state(state_q, &s_room, &s_tenant, &err) != 0) {
			if (s_room != NULL || s_tenant != NULL || err.msg[0] == '\0')
				abort();
			return;
		}
	}
	const char *room = room_q && *room_q ? room_q : s_room;
	const char *tenant = tenant_q && *tenant_q ? tenant_q : s_tenant;
	if (room != NULL)
		check_room(room);
	if (tenant != NULL)
		(void)br_tenant_valid(tenant);
	free(s_room);
	free(s_tenant);
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
