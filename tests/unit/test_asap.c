/*
 * test_asap.c - /asap/<sha256hex(kid)>.pem and /jwks.json over real HTTP.
 *
 * An evhttp server on 127.0.0.1 (ephemeral port) runs in a thread; a tiny
 * blocking socket client fetches the key the way Prosody does and checks a
 * token's signature with it.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cmocka.h>
#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/thread.h>
#include <openssl/sha.h>

#include "bridge/asap.h"
#include "bridge/keys.h"
#include "bridge/log.h"
#include "bridge/token.h"

#include "jwt_check.h"

#define KID_2048_HASH "3ee5a16dccc3a3d10a464756200db0d14f97800256409f023323abb801855ecf"
#define KID_3072_HASH "cb3b2c6a2213acd15f30c1253aa42462e6495768da0c4a9a6cde706f67f908fb"

struct server {
	struct event_base *base;
	struct evhttp *http;
	const struct br_keys *keys;
	pthread_t thread;
	int port;
};

static void handle(struct evhttp_request *req, void *arg)
{
	struct server *srv = arg;
	const char *path = evhttp_uri_get_path(evhttp_request_get_evhttp_uri(req));
	if (path == NULL || br_asap_handle(req, srv->keys, path) < 0) {
		/* What httpd does: the path is not asap's. */
		struct evbuffer *b = evbuffer_new();
		evbuffer_add_printf(b, "caller 404\n");
		evhttp_send_reply(req, HTTP_NOTFOUND, "Not Found", b);
		evbuffer_free(b);
	}
}

static void *loop(void *arg)
{
	struct server *srv = arg;
	event_base_dispatch(srv->base);
	return NULL;
}

static void server_start(struct server *srv, const struct br_keys *keys)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);

	srv->keys = keys;
	srv->base = event_base_new();
	assert_non_null(srv->base);
	srv->http = evhttp_new(srv->base);
	assert_non_null(srv->http);
	evhttp_set_allowed_methods(srv->http, EVHTTP_REQ_GET | EVHTTP_REQ_HEAD | EVHTTP_REQ_POST);
	evhttp_set_gencb(srv->http, handle, srv);
	struct evhttp_bound_socket *bs = evhttp_bind_socket_with_handle(srv->http, "127.0.0.1", 0);
	assert_non_null(bs);
	assert_int_equal(getsockname(evhttp_bound_socket_get_fd(bs), (struct sockaddr *)&sin, &len),
	                 0);
	srv->port = ntohs(sin.sin_port);
	assert_int_equal(pthread_create(&srv->thread, NULL, loop, srv), 0);
}

static void server_stop(struct server *srv)
{
	event_base_loopbreak(srv->base);
	pthread_join(srv->thread, NULL);
	evhttp_free(srv->http);
	event_base_free(srv->base);
}

struct response {
	int status;
	char *head; /* status line and headers */
	char *body;
	size_t body_len;
};

static void response_free(struct response *r)
{
	free(r->head);
	free(r->body);
	memset(r, 0, sizeof(*r));
}

/* The value of header name in r (static buffer), or NULL. */
static const char *header(const struct response *r, const char *name)
{
	static char value[512];
	size_t n = strlen(name);
	for (const char *p = strstr(r->head, "\r\n"); p != NULL; p = strstr(p, "\r\n")) {
		p += 2;
		if (strncasecmp(p, name, n) == 0 && p[n] == ':') {
			const char *v = p + n + 1;
			while (*v == ' ')
				v++;
			const char *e = strstr(v, "\r\n");
			size_t l = e != NULL ? (size_t)(e - v) : strlen(v);
			if (l >= sizeof(value))
				l = sizeof(value) - 1;
			memcpy(value, v, l);
			value[l] = '\0';
			return value;
		}
	}
	return NULL;
}

/* One HTTP/1.0 request; reads until the server closes (bounded by a 5 s
 * receive timeout and a 64 KiB cap). */
static void fetch(int port, const char *method, const char *path, struct response *r)
{
	struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	struct timeval tv = {.tv_sec = 5};
	char req[1024];
	static char buf[65536];
	size_t len = 0;

	memset(r, 0, sizeof(*r));
	inet_pton(AF_INET, "127.0.0.1", &sin.sin_addr);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	assert_int_equal(connect(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	int n = snprintf(req, sizeof(req), "%s %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n", method,
	                 path);
	assert_int_equal(write(fd, req, (size_t)n), n);
	for (;;) {
		ssize_t got = read(fd, buf + len, sizeof(buf) - 1 - len);
		if (got < 0 && errno == EINTR)
			continue;
		assert_true(got >= 0);
		if (got == 0)
			break;
		len += (size_t)got;
		assert_true(len < sizeof(buf) - 1);
	}
	close(fd);
	buf[len] = '\0';
	char *end = strstr(buf, "\r\n\r\n");
	assert_non_null(end);
	r->head = strndup(buf, (size_t)(end - buf) + 2);
	r->body_len = len - (size_t)(end + 4 - buf);
	r->body = malloc(r->body_len + 1);
	memcpy(r->body, end + 4, r->body_len);
	r->body[r->body_len] = '\0';
	assert_int_equal(sscanf(buf, "HTTP/1.%*d %d", &r->status), 1);
}

static struct br_keys *load_rsa(const char *key, const char *previous)
{
	struct br_config cfg = {0};
	struct br_error err = {0};
	cfg.algorithm = BR_ALG_RS256;
	cfg.signing_key = (char *)key;
	cfg.previous_keys = (char *)previous;
	struct br_keys *keys = br_keys_load(&cfg, &err);
	if (keys == NULL)
		fail_msg("%s", err.msg);
	return keys;
}

static char *make_token(const struct br_keys *keys)
{
	struct br_config cfg = {0};
	struct br_error err = {0};
	struct br_user user = {.id = "u"};
	struct br_decision d = {.allow = true};
	struct br_room room;

	cfg.app_id = "jitsi";
	cfg.audience = "jitsi";
	cfg.domain = "meet.example.org";
	cfg.token_lifetime = 3600;
	assert_int_equal(br_room_parse("room", &room, &err), 0);
	char *token = br_token_build(&cfg, keys, &user, &d, &room, NULL, time(NULL), &err);
	assert_non_null(token);
	br_room_clear(&room);
	return token;
}

static int group_setup(void **state)
{
	br_log_set_level(BR_LOG_ERROR); /* fixture keys are 0644 after checkout */
	return evthread_use_pthreads();
}

/* Exactly what Prosody does: sha256hex(kid) -> GET .pem -> verify. */
static void test_prosody_fetch(void **state)
{
	struct server srv;
	struct response r;
	struct jc_token t;

	/* Rotation: the 3072-bit key signs, the 2048-bit one is still served. */
	struct br_keys *keys =
	        load_rsa(fx_path("keys/rsa3072.pem"), fx_path("keys/rsa2048.pub.pem"));
	server_start(&srv, keys);
	char *token = make_token(keys);
	assert_true(jc_parse(token, &t));
	const char *kid = json_string_value(json_object_get(t.header, "kid"));
	unsigned char md[32];
	char path[128];
	SHA256((const unsigned char *)kid, strlen(kid), md);
	int o = snprintf(path, sizeof(path), "/asap/");
	for (int i = 0; i < 32; i++)
		o += snprintf(path + o, sizeof(path) - (size_t)o, "%02x", md[i]);
	snprintf(path + o, sizeof(path) - (size_t)o, ".pem");
	assert_string_equal(path, "/asap/" KID_3072_HASH ".pem");

	fetch(srv.port, "GET", path, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(header(&r, "Content-Type"), "application/x-pem-file");
	assert_string_equal(header(&r, "Cache-Control"), "public, max-age=300");
	assert_string_equal(header(&r, "X-Content-Type-Options"), "nosniff");
	char *want = fx_read(fx_path("keys/rsa3072.pub.pem"), NULL);
	assert_string_equal(r.body, want);
	free(want);
	assert_true(jc_verify_rsa(token, r.body, BR_ALG_RS256));
	response_free(&r);

	/* The previous key is still served, and does not verify the new token. */
	fetch(srv.port, "GET", "/asap/" KID_2048_HASH ".pem", &r);
	assert_int_equal(r.status, 200);
	want = fx_read(fx_path("keys/rsa2048.pub.pem"), NULL);
	assert_string_equal(r.body, want);
	free(want);
	assert_false(jc_verify_rsa(token, r.body, BR_ALG_RS256));
	response_free(&r);

	jc_free(&t);
	free(token);
	server_stop(&srv);
	br_keys_free(keys);
}

static void test_jwks_and_head(void **state)
{
	struct server srv;
	struct response r;
	struct br_keys *keys = load_rsa(fx_path("keys/rsa2048.pem"), NULL);
	size_t jwks_len = 0, pem_len = 0;
	const char *jwks = br_keys_jwks(keys, &jwks_len);
	assert_non_null(br_keys_pem_by_hash(keys, KID_2048_HASH, &pem_len));
	char clen[32];

	server_start(&srv, keys);
	fetch(srv.port, "GET", "/jwks.json", &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(header(&r, "Content-Type"), "application/json");
	assert_string_equal(header(&r, "Cache-Control"), "public, max-age=300");
	assert_string_equal(header(&r, "X-Content-Type-Options"), "nosniff");
	assert_string_equal(r.body, jwks);
	response_free(&r);

	/* HEAD: same headers, the body's length, no body. */
	fetch(srv.port, "HEAD", "/jwks.json", &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(header(&r, "Content-Type"), "application/json");
	assert_string_equal(header(&r, "Cache-Control"), "public, max-age=300");
	snprintf(clen, sizeof(clen), "%zu", jwks_len);
	assert_string_equal(header(&r, "Content-Length"), clen);
	assert_int_equal(r.body_len, 0);
	response_free(&r);

	fetch(srv.port, "HEAD", "/asap/" KID_2048_HASH ".pem", &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(header(&r, "Content-Type"), "application/x-pem-file");
	assert_string_equal(header(&r, "X-Content-Type-Options"), "nosniff");
	snprintf(clen, sizeof(clen), "%zu", pem_len);
	assert_string_equal(header(&r, "Content-Length"), clen);
	assert_int_equal(r.body_len, 0);
	response_free(&r);

	/* Other methods on asap's paths: 405. */
	fetch(srv.port, "POST", "/asap/" KID_2048_HASH ".pem", &r);
	assert_int_equal(r.status, 405);
	assert_string_equal(header(&r, "Allow"), "GET, HEAD");
	assert_string_equal(r.body, "method not allowed\n");
	response_free(&r);

	server_stop(&srv);
	br_keys_free(keys);
}

static void test_not_found(void **state)
{
	static const struct {
		const char *path;
		const char *body; /* "not found\n": asap answered; "caller 404\n": not its path */
	} cases[] = {
	        {"/asap/" KID_3072_HASH ".pem", "not found\n"}, /* unknown key */
	        {"/asap/3EE5A16DCCC3A3D10A464756200DB0D14F97800256409F023323ABB801855ECF.pem",
	         "not found\n"}, /* upper-case hex */
	        {"/asap/" KID_2048_HASH ".PEM", "not found\n"},
	        {"/asap/" KID_2048_HASH ".pem.txt", "not found\n"},
	        {"/asap/" KID_2048_HASH, "not found\n"},
	        {"/asap/3ee5a16dccc3a3d10a464756200db0d14f97800256409f023323abb801855ec.pem",
	         "not found\n"}, /* 63 hex */
	        {"/asap/x" KID_2048_HASH ".pem", "not found\n"},
	        {"/asap/", "not found\n"},
	        {"/asap/../jwks.json", "not found\n"},
	        {"/asap", "caller 404\n"},
	        {"/jwks.json/", "caller 404\n"},
	        {"/JWKS.json", "caller 404\n"},
	        {"/", "caller 404\n"},
	        {"/healthz", "caller 404\n"},
	};
	struct server srv;
	struct br_keys *keys = load_rsa(fx_path("keys/rsa2048.pem"), NULL);

	server_start(&srv, keys);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct response r;
		fetch(srv.port, "GET", cases[i].path, &r);
		assert_int_equal(r.status, 404);
		if (strcmp(r.body, cases[i].body) != 0)
			fail_msg("%s: body %s", cases[i].path, r.body);
		if (cases[i].body[0] == 'n')
			assert_string_equal(header(&r, "X-Content-Type-Options"), "nosniff");
		response_free(&r);
	}
	server_stop(&srv);
	br_keys_free(keys);
}

static void test_hmac_mode(void **state)
{
	struct br_config cfg = {0};
	struct br_error err = {0};
	struct server srv;
	struct response r;

	cfg.algorithm = BR_ALG_HS256;
	cfg.app_secret = (unsigned char *)"0123456789abcdef0123456789abcdef";
	cfg.app_secret_len = 32;
	struct br_keys *keys = br_keys_load(&cfg, &err);
	assert_non_null(keys);
	server_start(&srv, keys);
	fetch(srv.port, "GET", "/jwks.json", &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body, "{\"keys\":[]}");
	response_free(&r);
	fetch(srv.port, "GET", "/asap/" KID_2048_HASH ".pem", &r);
	assert_int_equal(r.status, 404);
	assert_string_equal(r.body, "not found\n");
	response_free(&r);
	server_stop(&srv);
	br_keys_free(keys);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_prosody_fetch),
	        cmocka_unit_test(test_jwks_and_head),
	        cmocka_unit_test(test_not_found),
	        cmocka_unit_test(test_hmac_mode),
	};
	return cmocka_run_group_tests(tests, group_setup, NULL);
}
