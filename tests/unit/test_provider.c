/* test_provider.c - the provider's refetch and retry policy (the rate limit
 * of JWKS refetches forced by an unknown kid, the capped backoff), and the
 * provider state against a loopback IdP served in the same event loop:
 * discovery and keys installed, the /healthz reasons, retries after 1 s
 * then 2 s (+-20 %), configured endpoints without discovery, a reload's
 * provider taking over, and forced JWKS refetches (coalesced,
 * rate-limited). */
#include "config.h"

#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <curl/curl.h>
#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>

#include "bridge/http_client.h"
#include "bridge/jwa.h"
#include "bridge/jwks.h"
#include "bridge/provider.h"

#include "fixtures.h"

#define HITS_MAX 16

/* One path of the test IdP: what it answers and when it was asked. */
struct route {
	const char *path;
	int status;
	char body[8192];
	int hits;
	double at[HITS_MAX]; /* monotonic seconds of each hit */
};

enum { DISC, JWKS, B_DISC, B_JWKS, C_DISC, NROUTES };

static struct route routes[NROUTES] = {
        [DISC] = {.path = "/.well-known/openid-configuration"},     [JWKS] = {.path = "/jwks"},
        [B_DISC] = {.path = "/b/.well-known/openid-configuration"}, [B_JWKS] = {.path = "/b/jwks"},
        [C_DISC] = {.path = "/c/.well-known/openid-configuration"},
};

static struct event_base *base;
static struct evhttp *server;
static struct br_http_client *client;
static int port;
static char issuer[64], issuer_b[64], issuer_c[64];
static char *jwks_rsa1, *jwks_two;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void serve(struct evhttp_request *req, void *arg)
{
	const char *uri = evhttp_request_get_uri(req);
	struct evbuffer *out = evbuffer_new();

	for (int i = 0; i < NROUTES; i++) {
		struct route *r = &routes[i];
		if (strcmp(uri, r->path) != 0)
			continue;
		if (r->hits < HITS_MAX)
			r->at[r->hits] = now();
		r->hits++;
		evbuffer_add(out, r->body, strlen(r->body));
		evhttp_send_reply(req, r->status, "X", out);
		evbuffer_free(out);
		return;
	}
	evhttp_send_reply(req, 404, "Not Found", out);
	evbuffer_free(out);
}

static void set_route(int i, int status, const char *body)
{
	routes[i].status = status;
	snprintf(routes[i].body, sizeof(routes[i].body), "%s", body);
}

static void set_discovery(int i, const char *iss, const char *jwks_path)
{
	char doc[1024];

	snprintf(doc, sizeof(doc),
	         "{\"issuer\":\"%s\",\"authorization_endpoint\":\"%sauth\","
	         "\"token_endpoint\":\"%stoken\",\"jwks_uri\":\"http://127.0.0.1:%d%s\","
	         "\"id_token_signing_alg_values_supported\":[\"RS256\",\"ES256\",\"HS256\"]}",
	         iss, iss, iss, port, jwks_path);
	set_route(i, 200, doc);
}

/* Runs the loop until pred() holds or ms passed; returns pred(). */
static bool spin(bool (*pred)(void *), void *arg, int ms)
{
	double end = now() + ms / 1000.0;

	while (!pred(arg) && now() < end) {
		event_base_loop(base, EVLOOP_NONBLOCK);
		usleep(1000);
	}
	return pred(arg);
}

static bool is_ready(void *p)
{
	return br_provider_ready(p, NULL, 0);
}

static const char *reason_wanted;
static bool reason_is(void *p)
{
	char reason[128] = "";
	return !br_provider_ready(p, reason, sizeof(reason)) && strcmp(reason, reason_wanted) == 0;
}

/* Waits until p is not ready for the reason want. */
static bool wait_reason(struct br_provider *p, const char *want)
{
	reason_wanted = want;
	return spin(reason_is, p, 5000);
}

static int hits_wanted;
static bool route_hit(void *r)
{
	return ((struct route *)r)->hits >= hits_wanted;
}

static bool wait_hits(int route, int n, int ms)
{
	hits_wanted = n;
	return spin(route_hit, &routes[route], ms);
}

static void cfg_init(struct br_config *cfg, const char *iss)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->issuer = (char *)iss;
	cfg->discovery = true;
	cfg->timeout = 5;
}

static int setup(void **state)
{
	struct evhttp_bound_socket *s;
	struct sockaddr_in sin;
	socklen_t sl = sizeof(sin);
	struct br_error err = {0};

	curl_global_init(CURL_GLOBAL_DEFAULT);
	base = event_base_new();
	server = evhttp_new(base);
	evhttp_set_gencb(server, serve, NULL);
	s = evhttp_bind_socket_with_handle(server, "127.0.0.1", 0);
	assert_non_null(s);
	getsockname(evhttp_bound_socket_get_fd(s), (struct sockaddr *)&sin, &sl);
	port = ntohs(sin.sin_port);
	snprintf(issuer, sizeof(issuer), "http://127.0.0.1:%d/", port);
	snprintf(issuer_b, sizeof(issuer_b), "http://127.0.0.1:%d/b/", port);
	snprintf(issuer_c, sizeof(issuer_c), "http://127.0.0.1:%d/c/", port);
	jwks_rsa1 = fx_read(fx_path("jose/jwks_rsa1.json"), NULL);
	jwks_two = fx_read(fx_path("jose/jwks_two_rsa.json"), NULL);
	assert_non_null(jwks_rsa1);
	assert_non_null(jwks_two);
	client = br_http_client_new(base, &err);
	assert_non_null(client);
	return 0;
}

static int teardown(void **state)
{
	br_http_client_free(client);
	evhttp_free(server);
	event_base_free(base);
	free(jwks_rsa1);
	free(jwks_two);
	curl_global_cleanup();
	return 0;
}

static void reset_routes(void)
{
	for (int i = 0; i < NROUTES; i++) {
		routes[i].hits = 0;
		set_route(i, 500, "");
	}
}

static void stop_free(struct br_provider *p)
{
	br_provider_stop(p);
	br_provider_unref(p);
}

static void test_refetch_policy(void **state)
{
	struct br_provider_refetch r = {0};

	/* the first is never blocked, nor are any while they fail */
	assert_true(br_provider_refetch_allowed(&r, 1000));
	assert_true(br_provider_refetch_allowed(&r, 1001));
	/* a success starts the 60 s window */
	br_provider_refetch_succeeded(&r, 1002);
	assert_false(br_provider_refetch_allowed(&r, 1002));
	assert_false(br_provider_refetch_allowed(&r, 1061));
	assert_true(br_provider_refetch_allowed(&r, 1062));
	/* a clock stepping back does not block */
	assert_true(br_provider_refetch_allowed(&r, 900));
}

static void test_backoff(void **state)
{
	static const long want[] = {1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000};
	struct br_backoff b = {0};

	for (int round = 0; round < 2; round++) {
		for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
			long d = br_backoff_next(&b);

			assert_in_range(d, want[i] - want[i] / 5, want[i] + want[i] / 5);
		}
		br_backoff_reset(&b);
	}
}

static void test_same(void **state)
{
	struct br_config a, b;

	cfg_init(&a, "https://idp/");
	a.id_token_algs = "RS256";
	b = a;
	assert_true(br_provider_same(&a, &b));
	b.client_id = "other"; /* not part of the provider state */
	assert_true(br_provider_same(&a, &b));
#define DIFFERS(field, value)                                                                      \
	do {                                                                                       \
		b = a;                                                                             \
		b.field = value;                                                                   \
		if (br_provider_same(&a, &b))                                                      \
			fail_msg(#field " differs, yet the same provider");                        \
	} while (0)
	DIFFERS(issuer, "https://idp");
	DIFFERS(discovery, false);
	DIFFERS(authorization_endpoint, "https://idp/auth");
	DIFFERS(token_endpoint, "https://idp/token");
	DIFFERS(userinfo_endpoint, "https://idp/userinfo");
	DIFFERS(jwks_uri, "https://idp/jwks");
	DIFFERS(end_session_endpoint, "https://idp/logout");
	DIFFERS(id_token_algs, "RS256 ES256");
	DIFFERS(id_token_algs, NULL);
	DIFFERS(ca_file, "/etc/ca.pem");
	DIFFERS(timeout, 6);
#undef DIFFERS
}

/* Before start: not ready, and every reader is told why. */
static void test_not_started(void **state)
{
	struct br_config cfg;
	struct br_error err = {0};
	char reason[128];
	struct br_provider *p;

	cfg_init(&cfg, issuer);
	p = br_provider_new(&cfg, &err);
	assert_non_null(p);
	assert_false(br_provider_ready(p, reason, sizeof(reason)));
	assert_string_equal(reason, "provider metadata not loaded");
	assert_null(br_provider_meta(p, &err));
	assert_int_equal(err.code, BR_E_UNAVAILABLE);
	assert_string_equal(err.msg,
	                    "sign-in is temporarily unavailable: provider metadata not loaded");
	br_error_clear(&err);
	assert_null(br_provider_keys(p, &err));
	assert_int_equal(err.code, BR_E_UNAVAILABLE);
	br_provider_unref(p);
}

static void test_discovery_and_keys(void **state)
{
	struct br_config cfg;
	struct br_error err = {0};
	char reason[128] = "";
	struct br_provider *p;
	struct br_provider_meta *m;
	struct br_jwks *k;
	char want[128];

	reset_routes();
	set_discovery(DISC, issuer, "/jwks");
	set_route(JWKS, 200, jwks_rsa1);
	cfg_init(&cfg, issuer);
	p = br_provider_new(&cfg, &err);
	br_provider_start(p, base, client);
	assert_true(spin(is_ready, p, 5000));
	assert_true(br_provider_ready(p, reason, sizeof(reason)));
	assert_string_equal(reason, ""); /* untouched when ready */

	m = br_provider_meta(p, &err);
	assert_non_null(m);
	assert_string_equal(m->issuer, issuer);
	snprintf(want, sizeof(want), "%stoken", issuer);
	assert_string_equal(m->token_endpoint, want);
	snprintf(want, sizeof(want), "http://127.0.0.1:%d/jwks", port);
	assert_string_equal(m->jwks_uri, want);
	assert_null(m->userinfo_endpoint);
	/* HS256 is never accepted for ID tokens. */
	assert_int_equal(m->id_token_algs, BR_JWA_RS256 | BR_JWA_ES256);
	br_provider_meta_unref(m);

	k = br_provider_keys(p, &err);
	assert_non_null(k);
	assert_int_equal(br_jwks_count(k), 1);
	br_jwks_unref(k);
	assert_int_equal(routes[DISC].hits, 1);
	assert_int_equal(routes[JWKS].hits, 1);
	stop_free(p);
}

/* The JWKS fails: metadata is there, keys are not, and /healthz says
 * exactly that; retries come after 1 s, then 2 s (each +-20 %); the one
 * that succeeds makes the provider ready. */
static void test_keys_retry_backoff(void **state)
{
	struct br_config cfg;
	struct br_error err = {0};
	char reason[128];
	struct br_provider *p;
	struct br_provider_meta *m;

	reset_routes();
	set_discovery(DISC, issuer, "/jwks");
	set_route(JWKS, 503, "");
	cfg_init(&cfg, issuer);
	p = br_provider_new(&cfg, &err);
	br_provider_start(p, base, client);
	assert_true(wait_reason(p, "provider keys not loaded"));
	assert_int_equal(routes[JWKS].hits, 1);
	m = br_provider_meta(p, &err);
	assert_non_null(m);
	br_provider_meta_unref(m);
	assert_null(br_provider_keys(p, &err));
	assert_string_equal(err.msg,
	                    "sign-in is temporarily unavailable: provider keys not loaded");

	/* A set without a usable key does not count as keys either. */
	set_route(JWKS, 200, "{\"keys\":[]}");
	assert_true(wait_hits(JWKS, 2, 5000));
	assert_false(spin(is_ready, p, 300));
	assert_false(br_provider_ready(p, reason, sizeof(reason)));
	assert_string_equal(reason, "provider keys not loaded");

	set_route(JWKS, 200, jwks_rsa1);
	assert_true(spin(is_ready, p, 5000));
	assert_int_equal(routes[JWKS].hits, 3);
	assert_int_equal(routes[DISC].hits, 1); /* the metadata was kept */
	double d1 = routes[JWKS].at[1] - routes[JWKS].at[0];
	double d2 = routes[JWKS].at[2] - routes[JWKS].at[1];
	/* The schedule itself (jitter bounds) is tested exactly by
	 * test_backoff; here the loop must follow it, so the upper
	 * bounds leave a second for a busy machine (valgrind, a loaded CI). */
	if (d1 < 0.79 || d1 > 2.2)
		fail_msg("first retry after %.3f s, want 1 s +-20 %%", d1);
	if (d2 < 1.59 || d2 > 3.4)
		fail_msg("second retry after %.3f s, want 2 s +-20 %%", d2);
	stop_free(p);
}

/* Discovery fails (the document's issuer is another one): not ready,
 * "metadata", retried after about 1 s; the JWKS is never asked for. */
static void test_discovery_retry(void **state)
{
	struct br_config cfg;
	struct br_error err = {0};
	char reason[128];
	struct br_provider *p;

	reset_routes();
	set_discovery(DISC, issuer_b, "/jwks");
	set_route(JWKS, 200, jwks_rsa1);
	cfg_init(&cfg, issuer);
	p = br_provider_new(&cfg, &err);
	br_provider_start(p, base, client);
	assert_true(wait_hits(DISC, 1, 5000));
	assert_false(spin(is_ready, p, 300));
	assert_false(br_provider_ready(p, reason, sizeof(reason)));
	assert_string_equal(reason, "provider metadata not loaded");
	set_discovery(DISC, issuer, "/jwks");
	assert_true(spin(is_ready, p, 5000));
	assert_int_equal(routes[DISC].hits, 2);
	assert_int_equal(routes[JWKS].hits, 1);
	double d = routes[DISC].at[1] - routes[DISC].at[0];
	if (d < 0.79 || d > 2.2)
		fail_msg("discovery retried after %.3f s, want 1 s +-20 %%", d);
	stop_free(p);
}

/* discovery = false: the configured endpoints, no discovery request. */
static void test_configured_endpoints(void **state)
{
	struct br_config cfg;
	struct br_error err = {0};
	struct br_provider *p;
	struct br_provider_meta *m;
	char auth[96], token[96], jwks[96], userinfo[96];

	reset_routes();
	set_route(B_JWKS, 200, jwks_two);
	snprintf(auth, sizeof(auth), "%sauth", issuer_b);
	snprintf(token, sizeof(token), "%stoken", issuer_b);
	snprintf(jwks, sizeof(jwks), "%sjwks", issuer_b);
	snprintf(userinfo, sizeof(userinfo), "%suserinfo", issuer_b);
	cfg_init(&cfg, issuer_b);
	cfg.discovery = false;
	cfg.authorization_endpoint = auth;
	cfg.token_endpoint = token;
	cfg.jwks_uri = jwks;
	cfg.userinfo_endpoint = userinfo;
	cfg.id_token_algs = "ES384";
	p = br_provider_new(&cfg, &err);
	/* The provider copies what it needs: cfg may go. */
	memset(&cfg, 0, sizeof(cfg));
	memset(auth, 'x', sizeof(auth) - 1);
	auth[sizeof(auth) - 1] = '\0';
	br_provider_start(p, base, client);
	assert_true(spin(is_ready, p, 5000));
	m = br_provider_meta(p, &err);
	snprintf(auth, sizeof(auth), "%sauth", issuer_b);
	assert_string_equal(m->authorization_endpoint, auth);
	assert_string_equal(m->userinfo_endpoint, userinfo);
	assert_int_equal(m->id_token_algs, BR_JWA_ES384);
	br_provider_meta_unref(m);
	struct br_jwks *k = br_provider_keys(p, &err);
	assert_int_equal(br_jwks_count(k), 2);
	br_jwks_unref(k);
	assert_int_equal(routes[B_DISC].hits, 0);
	assert_int_equal(routes[B_JWKS].hits, 1);
	stop_free(p);
}

static const char *meta_issuer(struct br_provider *p, char *buf, size_t cap)
{
	struct br_error err = {0};
	struct br_provider_meta *m = br_provider_meta(p, &err);

	snprintf(buf, cap, "%s", m ? m->issuer : "-");
	br_provider_meta_unref(m);
	return buf;
}

static bool own_meta_b(void *p)
{
	char buf[128];
	return strcmp(meta_issuer(p, buf, sizeof(buf)), issuer_b) == 0;
}

static bool not_ready(void *p)
{
	return !br_provider_ready(p, NULL, 0);
}

/* A reload's provider is served by its predecessor until it has its own
 * metadata and keys, or its first attempt failed. */
static void test_take_over(void **state)
{
	struct br_config cfg;
	struct br_error err = {0};
	char buf[128], reason[128];
	struct br_provider *old, *next, *broken;

	reset_routes();
	set_discovery(DISC, issuer, "/jwks");
	set_route(JWKS, 200, jwks_rsa1);
	set_discovery(B_DISC, issuer_b, "/b/jwks");
	set_route(B_JWKS, 200, jwks_two);
	cfg_init(&cfg, issuer);
	old = br_provider_new(&cfg, &err);
	br_provider_start(old, base, client);
	assert_true(spin(is_ready, old, 5000));

	cfg_init(&cfg, issuer_b);
	next = br_provider_new(&cfg, &err);
	br_provider_take_over(next, old);
	/* Not started yet: everything is old's. */
	assert_true(br_provider_ready(next, NULL, 0));
	assert_string_equal(meta_issuer(next, buf, sizeof(buf)), issuer);
	struct br_jwks *k = br_provider_keys(next, &err);
	assert_int_equal(br_jwks_count(k), 1);
	br_jwks_unref(k);

	br_provider_start(next, base, client);
	assert_true(spin(own_meta_b, next, 5000));
	/* Its keys come from its own IdP's jwks_uri, not the predecessor's. */
	k = br_provider_keys(next, &err);
	assert_int_equal(br_jwks_count(k), 2);
	br_jwks_unref(k);
	assert_int_equal(routes[B_JWKS].hits, 1);
	assert_int_equal(routes[JWKS].hits, 1);
	assert_true(br_provider_ready(next, NULL, 0));
	stop_free(next);

	/* A reload whose IdP does not answer: old serves until the first
	 * attempt failed, then the new one says what is missing. */
	cfg_init(&cfg, issuer_c);
	broken = br_provider_new(&cfg, &err);
	br_provider_take_over(broken, old);
	assert_true(br_provider_ready(broken, NULL, 0));
	br_provider_start(broken, base, client);
	assert_true(spin(not_ready, broken, 5000));
	assert_false(br_provider_ready(broken, reason, sizeof(reason)));
	assert_string_equal(reason, "provider metadata not loaded");
	assert_int_equal(routes[C_DISC].hits, 1);
	assert_true(br_provider_ready(old, NULL, 0)); /* old itself is untouched */
	stop_free(broken);
	stop_free(old);
}

struct refetch_result {
	int calls;
	bool refetched;
};

static void refetch_done(void *arg, bool refetched)
{
	struct refetch_result *r = arg;

	r->calls++;
	r->refetched = refetched;
}

static bool both_called(void *arg)
{
	struct refetch_result *r = arg;
	return r[0].calls > 0 && r[1].calls > 0;
}

/* An unknown kid forces a refetch: concurrent ones share one request; after
 * a success another is refused for a while; a failure does not start that
 * window. */
static void test_refetch_keys(void **state)
{
	struct br_config cfg;
	struct br_error err = {0};
	struct br_provider *p;
	struct refetch_result r[2];

	reset_routes();
	set_discovery(DISC, issuer, "/jwks");
	set_route(JWKS, 200, jwks_rsa1);
	cfg_init(&cfg, issuer);
	p = br_provider_new(&cfg, &err);
	br_provider_start(p, base, client);
	assert_true(spin(is_ready, p, 5000));
	assert_int_equal(routes[JWKS].hits, 1);

	/* The IdP fails the first forced refetch: both waiters hear false,
	 * the cached keys stay, and the next refetch is still allowed. */
	set_route(JWKS, 500, "");
	memset(r, 0, sizeof(r));
	br_provider_refetch_keys(p, base, client, refetch_done, &r[0]);
	br_provider_refetch_keys(p, base, client, refetch_done, &r[1]);
	assert_true(spin(both_called, r, 5000));
	assert_int_equal(routes[JWKS].hits, 2);
	assert_false(r[0].refetched);
	assert_false(r[1].refetched);
	assert_true(br_provider_ready(p, NULL, 0));

	/* Rotated keys: the refetch installs them. */
	set_route(JWKS, 200, jwks_two);
	memset(r, 0, sizeof(r));
	br_provider_refetch_keys(p, base, client, refetch_done, &r[0]);
	br_provider_refetch_keys(p, base, client, refetch_done, &r[1]);
	assert_true(spin(both_called, r, 5000));
	assert_int_equal(routes[JWKS].hits, 3);
	assert_true(r[0].refetched);
	assert_true(r[1].refetched);
	assert_int_equal(r[0].calls, 1);
	assert_int_equal(r[1].calls, 1);
	struct br_jwks *k = br_provider_keys(p, &err);
	assert_int_equal(br_jwks_count(k), 2);
	br_jwks_unref(k);

	/* Within BR_PROVIDER_REFETCH_INTERVAL of that success: refused at once,
	 * without a request. */
	memset(r, 0, sizeof(r));
	br_provider_refetch_keys(p, base, client, refetch_done, &r[0]);
	assert_int_equal(r[0].calls, 1);
	assert_false(r[0].refetched);
	spin(is_ready, p, 50);
	assert_int_equal(routes[JWKS].hits, 3);
	stop_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_refetch_policy),
	        cmocka_unit_test(test_backoff),
	        cmocka_unit_test(test_same),
	        cmocka_unit_test(test_not_started),
	        cmocka_unit_test(test_discovery_and_keys),
	        cmocka_unit_test(test_keys_retry_backoff),
	        cmocka_unit_test(test_discovery_retry),
	        cmocka_unit_test(test_configured_endpoints),
	        cmocka_unit_test(test_take_over),
	        cmocka_unit_test(test_refetch_keys),
	};
	return cmocka_run_group_tests_name("provider", tests, setup, teardown);
}
