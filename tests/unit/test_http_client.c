/* test_http_client.c - curl multi on libevent against a real loopback
 * server in the same loop: statuses, size cap, timeout, refused connection,
 * redirects not followed, POST bodies and headers. */
#include "config.h"

#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <curl/curl.h>
#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "bridge/http_client.h"

static struct event_base *base;
static struct evhttp *server;
static int port;
static struct evhttp_request *parked; /* a request the server never answers */

static void serve(struct evhttp_request *req, void *arg)
{
	const char *uri = evhttp_request_get_uri(req);
	struct evbuffer *out = evbuffer_new();
	struct evkeyvalq *h = evhttp_request_get_output_headers(req);

	if (strcmp(uri, "/json") == 0) {
		evhttp_add_header(h, "Content-Type", "Application/JSON; charset=utf-8");
		evbuffer_add_printf(out, "{\"ok\":true}");
		evhttp_send_reply(req, 200, "OK", out);
	} else if (strcmp(uri, "/big") == 0) {
		char chunk[4096];
		memset(chunk, 'x', sizeof(chunk));
		for (int i = 0; i < 64; i++)
			evbuffer_add(out, chunk, sizeof(chunk));
		evhttp_send_reply(req, 200, "OK", out);
	} else if (strcmp(uri, "/redirect") == 0) {
		evhttp_add_header(h, "Location", "/json");
		evhttp_send_reply(req, 302, "Found", out);
	} else if (strcmp(uri, "/echo") == 0) {
		struct evbuffer *in = evhttp_request_get_input_buffer(req);
		const char *auth =
		        evhttp_find_header(evhttp_request_get_input_headers(req), "Authorization");
		evbuffer_add_printf(out, "%s %s|",
		                    evhttp_request_get_command(req) == EVHTTP_REQ_POST ? "POST"
		                                                                       : "GET",
		                    auth ? auth : "-");
		evbuffer_add_buffer(out, in);
		evhttp_send_reply(req, 200, "OK", out);
	} else if (strcmp(uri, "/authlen") == 0) {
		const char *auth =
		        evhttp_find_header(evhttp_request_get_input_headers(req), "Authorization");
		size_t n = auth ? strlen(auth) : 0;
		evbuffer_add_printf(out, "%zu %s", n, n >= 3 ? auth + n - 3 : "-");
		evhttp_send_reply(req, 200, "OK", out);
	} else if (strcmp(uri, "/hang") == 0) {
		parked = req;
	} else {
		evhttp_send_reply(req, 500, "Oops", out);
	}
	evbuffer_free(out);
}

struct result {
	int done;
	long status;
	char body[1024];
	char ct[64];
	size_t len;
	enum br_error_code code;
	char msg[BR_ERROR_MSG_MAX];
};

static void done(const struct br_http_response *resp, const struct br_error *err, void *arg)
{
	struct result *r = arg;

	r->done = 1;
	if (err) {
		r->code = err->code;
		snprintf(r->msg, sizeof(r->msg), "%s", err->msg);
		return;
	}
	r->status = resp->status;
	r->len = resp->len;
	snprintf(r->body, sizeof(r->body), "%s", resp->body);
	snprintf(r->ct, sizeof(r->ct), "%s", resp->content_type ? resp->content_type : "");
}

static void run(struct br_http_client *c, const struct br_http_request *req, struct result *r)
{
	struct br_error err = {0};

	memset(r, 0, sizeof(*r));
	assert_non_null(br_http_fetch(c, req, done, r, &err));
	while (!r->done)
		event_base_loop(base, EVLOOP_ONCE);
}

static int setup(void **state)
{
	struct evhttp_bound_socket *s;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	base = event_base_new();
	server = evhttp_new(base);
	evhttp_set_gencb(server, serve, NULL);
	s = evhttp_bind_socket_with_handle(server, "127.0.0.1", 0);
	assert_non_null(s);
	{
		struct sockaddr_in sin;
		socklen_t sl = sizeof(sin);
		getsockname(evhttp_bound_socket_get_fd(s), (struct sockaddr *)&sin, &sl);
		port = ntohs(sin.sin_port);
	}
	return 0;
}

static void test_requests(void **state)
{
	struct br_error err = {0};
	struct br_http_client *c = br_http_client_new(base, &err);
	char url[128];
	struct result r;
	struct br_http_request req = {.url = url, .timeout_ms = 2000, .what = "test endpoint"};

	assert_non_null(c);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/json", port);
	run(c, &req, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body, "{\"ok\":true}");
	assert_string_equal(r.ct, "application/json");

	snprintf(url, sizeof(url), "http://127.0.0.1:%d/redirect", port);
	run(c, &req, &r);
	assert_int_equal(r.status, 302); /* not followed */

	snprintf(url, sizeof(url), "http://127.0.0.1:%d/other", port);
	run(c, &req, &r);
	assert_int_equal(r.status, 500);

	snprintf(url, sizeof(url), "http://127.0.0.1:%d/big", port);
	req.max_body = 100000;
	run(c, &req, &r);
	assert_int_equal(r.code, BR_E_PROTOCOL);
	assert_string_equal(r.msg, "the test endpoint answered with more than 100000 bytes");
	req.max_body = 0;

	snprintf(url, sizeof(url), "http://127.0.0.1:%d/echo", port);
	req.post_body = "a=1&b=%2B";
	req.authorization = "Basic Zm9vOmJhcg==";
	run(c, &req, &r);
	assert_string_equal(r.body, "POST Basic Zm9vOmJhcg==|a=1&b=%2B");
	req.post_body = NULL;
	req.authorization = NULL;
	/* The next call gets the same (pooled) easy handle: nothing of the
	 * last one (method, body, Authorization) may carry over. */
	run(c, &req, &r);
	assert_string_equal(r.body, "GET -|");

	/* A long bearer token reaches the server whole (it was once cut at
	 * 4 KiB, so the userinfo request failed). */
	for (size_t len = 6000; len <= 200000; len *= 33) {
		char *auth = malloc(len + 1);
		char want[64];
		memcpy(auth, "Bearer ", 7);
		memset(auth + 7, 'a', len - 10);
		memcpy(auth + len - 3, "END", 4);
		snprintf(url, sizeof(url), "http://127.0.0.1:%d/authlen", port);
		req.authorization = auth;
		run(c, &req, &r);
		snprintf(want, sizeof(want), "%zu END", len);
		assert_string_equal(r.body, want);
		req.authorization = NULL;
		free(auth);
	}
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/echo", port);

	snprintf(url, sizeof(url), "http://127.0.0.1:%d/hang", port);
	req.timeout_ms = 300;
	run(c, &req, &r);
	assert_int_equal(r.code, BR_E_TIMEOUT);
	assert_string_equal(r.msg, "the test endpoint did not answer in time");
	req.timeout_ms = 2000;

	/* A port nobody listens on (the server's port + 0 is taken; bind and
	 * close one to find a free one). */
	snprintf(url, sizeof(url), "http://127.0.0.1:1/x");
	run(c, &req, &r);
	assert_int_equal(r.code, BR_E_UNAVAILABLE);
	assert_non_null(strstr(r.msg, "cannot reach the test endpoint"));

	snprintf(url, sizeof(url), "file:///etc/passwd");
	assert_null(br_http_fetch(c, &req, done, &r, &err));
	assert_string_equal(err.msg, "the test endpoint URL is not http or https");

	assert_int_equal(br_http_client_pending(c), 0);
	br_http_client_free(c);
}

static void test_cancel(void **state)
{
	struct br_error err = {0};
	struct br_http_client *c = br_http_client_new(base, &err);
	char url[128];
	struct result r = {0};
	struct br_http_request req = {.url = url, .timeout_ms = 5000};
	struct br_http_call *call;

	snprintf(url, sizeof(url), "http://127.0.0.1:%d/hang", port);
	call = br_http_fetch(c, &req, done, &r, &err);
	assert_non_null(call);
	for (int i = 0; i < 20; i++)
		event_base_loop(base, EVLOOP_NONBLOCK);
	assert_int_equal(br_http_client_pending(c), 1);
	br_http_cancel(call);
	assert_int_equal(br_http_client_pending(c), 0);
	assert_int_equal(r.done, 0);
	br_http_client_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_requests),
	        cmocka_unit_test(test_cancel),
	};
	return cmocka_run_group_tests_name("http_client", tests, setup, NULL);
}
