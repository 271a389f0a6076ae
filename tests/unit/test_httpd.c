/* test_httpd.c - the HTTP server over real loopback sockets: routing,
 * methods, limits, the reply path (headers, HEAD, CSP, caching), hostile
 * input. */
#include "config.h"

#include <arpa/inet.h>
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
#include <event2/event.h>
#include <event2/thread.h>

#include "bridge/configuration.h"
#include "bridge/http_client.h"
#include "bridge/httpd.h"
#include "bridge/keys.h"
#include "bridge/log.h"
#include "bridge/oidc.h"
#include "bridge/pages.h"
#include "bridge/provider.h"
#include "bridge/snapshot.h"
#include "bridge/strbuf.h"

static struct br_worker worker;
static pthread_t loop_thread;
static int port;
static struct br_config cfg;
static char *log_buf;
static size_t log_len;
static FILE *log_stream;

static void *loop_main(void *arg)
{
	event_base_loop(worker.base, EVLOOP_NO_EXIT_ON_EMPTY);
	return NULL;
}

static int setup(void **state)
{
	struct br_error err;
	struct br_snapshot *snap;
	static struct br_listen l;

	evthread_use_pthreads();
	log_stream = open_memstream(&log_buf, &log_len);
	br_log_set_stream(log_stream);

	memset(&l, 0, sizeof(l));
	struct sockaddr_in *sin = (struct sockaddr_in *)&l.addr;
	sin->sin_family = AF_INET;
	sin->sin_port = 0;
	sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	l.addrlen = sizeof(*sin);
	strcpy(l.host, "127.0.0.1");
	strcpy(l.port, "0");
	cfg.listen = &l;
	cfg.n_listen = 1;
	cfg.public_url = "http://127.0.0.1/auth";
	cfg.public_path = "/auth";
	cfg.max_header_size = 8192;
	cfg.max_query_size = 4096;
	cfg.header_timeout = 5;
	cfg.max_connections = 20;
	cfg.issuer = "http://127.0.0.1:1/";
	cfg.discovery = true;
	cfg.timeout = 1;

	snap = calloc(1, sizeof(*snap));
	snap->refs = 1;
	snap->cfg = NULL; /* owned by the test: freed by hand */
	snap->provider = br_provider_new(&cfg, &err);
	assert_non_null(snap->provider);
	/* HS256: /jwks.json serves {"keys":[]}, /asap/ has no key. */
	static struct br_config kcfg;
	kcfg.algorithm = BR_ALG_HS256;
	kcfg.app_secret = (unsigned char *)"0123456789abcdef0123456789abcdef";
	kcfg.app_secret_len = 32;
	snap->keys = br_keys_load(&kcfg, &err);
	assert_non_null(snap->keys);
	/* The snapshot's cfg must be set for routing; keep ownership here by
	 * holding an extra reference until the end of the test run. */
	snap->cfg = &cfg;
	br_snapshot_install(snap);

	worker.base = event_base_new();
	worker.httpd = br_httpd_new(&worker, &cfg, br_oidc_routes, br_oidc_n_routes, &err);
	assert_non_null(worker.httpd);
	port = br_httpd_port(worker.httpd);
	assert_true(port > 0);
	pthread_create(&loop_thread, NULL, loop_main, NULL);
	return 0;
}

/* Sends raw bytes, reads the whole answer (connection: close). */
static char *exchange(const char *req, size_t len)
{
	struct sockaddr_in sin = {0};
	struct timeval tv = {5, 0};
	size_t cap = 65536, n = 0;
	char *out = calloc(1, cap + 1);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	assert_int_equal(connect(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	if (len)
		(void)!write(fd, req, len);
	shutdown(fd, SHUT_WR);
	for (;;) {
		ssize_t r = read(fd, out + n, cap - n);
		if (r <= 0)
			break;
		n += (size_t)r;
		if (n == cap)
			break;
	}
	out[n] = '\0';
	close(fd);
	return out;
}

static char *get(const char *method, const char *target, const char *extra)
{
	char req[20000];
	int n = snprintf(req, sizeof(req),
	                 "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n%s\r\n", method,
	                 target, extra ? extra : "");
	return exchange(req, (size_t)n);
}

static int status_of(const char *resp)
{
	int st = 0;
	if (sscanf(resp, "HTTP/1.1 %d", &st) != 1)
		return -1;
	return st;
}

static void test_healthz_not_ready(void **state)
{
	char *r = get("GET", "/auth/healthz", NULL);
	assert_int_equal(status_of(r), 503);
	/* the missing part only, never transport error text */
	assert_non_null(strstr(r, "\r\n\r\n"));
	assert_string_equal(strstr(r, "\r\n\r\n") + 4, "provider metadata not loaded\n");
	assert_non_null(strstr(r, "X-Content-Type-Options: nosniff"));
	assert_non_null(strstr(r, "Cache-Control: no-store"));
	free(r);
}

static void test_routes(void **state)
{
	static const struct {
		const char *method, *target;
		int status;
		const char *needle;
	} cases[] = {
	        {"GET", "/auth/nothing-here", 404, "not found"},
	        {"GET", "/other", 404, "not found"},
	        {"GET", "/authx/healthz", 404, "not found"},
	        {"GET", "/", 404, "not found"},
	        {"POST", "/auth/healthz", 405, "Allow: GET, HEAD"},
	        {"DELETE", "/auth/healthz", 405, "Allow: GET, HEAD"},
	        {"PUT", "/auth/login", 405, "Allow: GET"},
	        {"HEAD", "/auth/login", 405, "Allow: GET"},
	        {"HEAD", "/auth/callback", 405, "Allow: GET"},
	        {"HEAD", "/auth/logout", 405, "Allow: GET"},
	        {"OPTIONS", "/auth/logout", 405, "Allow: GET"},
	        {"GET", "/auth/metrics", 403, "forbidden"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *r = get(cases[i].method, cases[i].target, NULL);
		if (status_of(r) != cases[i].status || strstr(r, cases[i].needle) == NULL)
			fail_msg("%s %s: got %s", cases[i].method, cases[i].target, r);
		free(r);
	}
}

static void test_metrics_admin_only(void **state)
{
	static struct br_cidr loopback = {AF_INET, {127, 0, 0, 1}, 32};
	char *r;

	r = get("GET", "/auth/metrics", NULL);
	assert_int_equal(status_of(r), 403);
	free(r);

	cfg.admin_allow.items = &loopback;
	cfg.admin_allow.n = 1;
	r = get("GET", "/auth/metrics", NULL);
	assert_int_equal(status_of(r), 200);
	assert_non_null(strstr(r, "# TYPE jitsi_oidc_bridge_logins_started_total counter"));
	assert_non_null(strstr(r, "jitsi_oidc_bridge_http_responses_total{code=\"4xx\"}"));
	free(r);
	/* Through a proxy the peer is the proxy: never an admin. */
	r = get("GET", "/auth/metrics", "X-Forwarded-For: 203.0.113.9\r\n");
	assert_int_equal(status_of(r), 403);
	free(r);
	cfg.admin_allow.items = NULL;
	cfg.admin_allow.n = 0;
}

static int connect_idle(void)
{
	struct sockaddr_in sin = {0};
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(connect(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	return fd;
}

static void wait_connections(size_t want)
{
	for (int i = 0; i < 200 && br_httpd_connections(worker.httpd) != want; i++)
		usleep(10000);
	assert_int_equal(br_httpd_connections(worker.httpd), want);
}

/* At max_connections the server stops accepting; a connection beyond the
 * cap waits in the backlog and is served once others close. */
static void test_connection_cap(void **state)
{
	int idle[20];
	struct timeval short_wait = {0, 400000}, long_wait = {3, 0};
	char buf[512];
	ssize_t n;
	int extra;

	wait_connections(0);
	for (int i = 0; i < 20; i++)
		idle[i] = connect_idle();
	wait_connections(20);
	extra = connect_idle();
	setsockopt(extra, SOL_SOCKET, SO_RCVTIMEO, &short_wait, sizeof(short_wait));
	static const char req[] =
	        "GET /auth/healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
	(void)!write(extra, req, sizeof(req) - 1);
	n = read(extra, buf, sizeof(buf) - 1);
	assert_true(n < 0); /* not served while at the cap */
	for (int i = 0; i < 5; i++)
		close(idle[i]);
	setsockopt(extra, SOL_SOCKET, SO_RCVTIMEO, &long_wait, sizeof(long_wait));
	n = read(extra, buf, sizeof(buf) - 1);
	assert_true(n > 0);
	buf[n] = '\0';
	assert_int_equal(status_of(buf), 503);
	close(extra);
	for (int i = 5; i < 20; i++)
		close(idle[i]);
	wait_connections(0);
}

/* The landing page's form leads through the IdP to Jitsi in one navigation:
 * no form-action (browsers apply it to each redirect); other pages keep it. */
static void test_landing_csp(void **state)
{
	char *r = get("GET", "/auth/", NULL);
	assert_int_equal(status_of(r), 200);
	assert_non_null(strstr(r, "\r\nContent-Security-Policy: " BR_PAGES_CSP_LANDING "\r\n"));
	assert_null(strstr(r, "form-action"));
	assert_non_null(strstr(r, "action=\"/auth/login\""));
	free(r);
}

static void test_head_has_no_body(void **state)
{
	char *r = get("HEAD", "/auth/healthz", NULL);
	assert_int_equal(status_of(r), 503);
	assert_null(strstr(r, "provider metadata"));
	assert_non_null(strstr(r, "Content-Length: "));
	free(r);
}

/* The value of header name in the response r (static buffer), or NULL. */
static const char *header_of(const char *r, const char *name)
{
	static char value[512];
	const char *end = strstr(r, "\r\n\r\n");
	size_t n = strlen(name);
	for (const char *p = strstr(r, "\r\n"); p != NULL && p < end; p = strstr(p, "\r\n")) {
		p += 2;
		if (strncasecmp(p, name, n) == 0 && p[n] == ':') {
			const char *v = p + n + 1 + strspn(p + n + 1, " ");
			size_t l = (size_t)(strstr(v, "\r\n") - v);
			if (l >= sizeof(value))
				l = sizeof(value) - 1;
			memcpy(value, v, l);
			value[l] = '\0';
			return value;
		}
	}
	return NULL;
}

static const char *body_of(const char *r)
{
	const char *end = strstr(r, "\r\n\r\n");
	assert_non_null(end);
	return end + 4;
}

/* Each header name at most once in the response head. */
static void assert_headers_unique(const char *r)
{
	static const char *const names[] = {"Content-Type",
	                                    "Cache-Control",
	                                    "Referrer-Policy",
	                                    "X-Content-Type-Options",
	                                    "Content-Security-Policy",
	                                    "Content-Length",
	                                    "Allow"};
	const char *end = strstr(r, "\r\n\r\n");
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		int n = 0;
		size_t l = strlen(names[i]);
		for (const char *p = strstr(r, "\r\n"); p != NULL && p < end;
		     p = strstr(p, "\r\n")) {
			p += 2;
			if (strncasecmp(p, names[i], l) == 0 && p[l] == ':')
				n++;
		}
		if (n > 1)
			fail_msg("%s %d times:\n%s", names[i], n, r);
	}
}

/* The reply path: one set of headers for every kind of answer, GET and HEAD
 * alike; HEAD carries the GET body's Content-Length and no body. */
static void test_reply_headers(void **state)
{
	struct br_page landing = {.kind = BR_PAGE_LANDING, .public_path = "/auth"};
	struct br_page invalid = {.kind = BR_PAGE_INVALID,
	                          .public_path = "/auth",
	                          .detail = "no room name was given"};
	struct br_strbuf b = {0};
	char clen[32];

	assert_int_equal(br_pages_render(&b, &landing), 0);
	size_t landing_len = 0;
	char *landing_html = br_strbuf_finish(&b, &landing_len);
	assert_int_equal(br_pages_render(&b, &invalid), 0);
	char *invalid_html = br_strbuf_finish(&b, NULL);

	static const struct {
		const char *method, *target;
		int status;
		const char *type, *cache, *csp, *allow, *body;
	} cases[] = {
	        {"GET", "/auth/", 200, "text/html; charset=utf-8", "no-store", BR_PAGES_CSP_LANDING,
	         NULL, "landing"},
	        {"HEAD", "/auth/", 200, "text/html; charset=utf-8", "no-store",
	         BR_PAGES_CSP_LANDING, NULL, "landing"},
	        {"GET", "/auth/login", 400, "text/html; charset=utf-8", "no-store", BR_PAGES_CSP,
	         NULL, "invalid"},
	        {"GET", "/auth/jwks.json", 200, "application/json", "public, max-age=300", NULL,
	         NULL, "{\"keys\":[]}"},
	        {"HEAD", "/auth/jwks.json", 200, "application/json", "public, max-age=300", NULL,
	         NULL, "{\"keys\":[]}"},
	        {"GET", "/auth/asap/00.pem", 404, "text/plain; charset=utf-8", "no-store", NULL,
	         NULL, "not found\n"},
	        {"HEAD", "/auth/asap/00.pem", 404, "text/plain; charset=utf-8", "no-store", NULL,
	         NULL, "not found\n"},
	        {"POST", "/auth/jwks.json", 405, "text/plain; charset=utf-8", "no-store", NULL,
	         "GET, HEAD", "method not allowed\n"},
	        {"HEAD", "/auth/login", 405, "text/plain; charset=utf-8", "no-store", NULL, "GET",
	         "method not allowed\n"},
	        {"GET", "/auth/nothing-here", 404, "text/plain; charset=utf-8", "no-store", NULL,
	         NULL, "not found\n"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *want = cases[i].body;
		if (strcmp(want, "landing") == 0)
			want = landing_html;
		else if (strcmp(want, "invalid") == 0)
			want = invalid_html;
		char *r =
		        get(cases[i].method, cases[i].target,
		            strcmp(cases[i].method, "POST") == 0 ? "Content-Length: 0\r\n" : NULL);
		if (status_of(r) != cases[i].status)
			fail_msg("%s %s: got %s", cases[i].method, cases[i].target, r);
		assert_string_equal(header_of(r, "Content-Type"), cases[i].type);
		assert_string_equal(header_of(r, "Cache-Control"), cases[i].cache);
		assert_string_equal(header_of(r, "Referrer-Policy"), "no-referrer");
		assert_string_equal(header_of(r, "X-Content-Type-Options"), "nosniff");
		if (cases[i].csp != NULL)
			assert_string_equal(header_of(r, "Content-Security-Policy"), cases[i].csp);
		else
			assert_null(header_of(r, "Content-Security-Policy"));
		if (cases[i].allow != NULL)
			assert_string_equal(header_of(r, "Allow"), cases[i].allow);
		else
			assert_null(header_of(r, "Allow"));
		snprintf(clen, sizeof(clen), "%zu", strlen(want));
		assert_string_equal(header_of(r, "Content-Length"), clen);
		assert_string_equal(body_of(r), strcmp(cases[i].method, "HEAD") == 0 ? "" : want);
		assert_headers_unique(r);
		free(r);
	}
	assert_int_equal(strlen(landing_html), landing_len);
	free(landing_html);
	free(invalid_html);
}

/* The page language comes from Accept-Language; the reply says which
 * (Content-Language, <html lang>) and that it varies with the header.
 * Answers that are not pages carry neither. */
static void test_page_language(void **state)
{
	static const struct {
		const char *header; /* NULL: no Accept-Language */
		const char *lang, *text;
	} cases[] = {
	        {NULL, "en", "<title>Join a meeting</title>"},
	        {"Accept-Language: de-DE,de;q=0.9,en;q=0.8\r\n", "de",
	         "<title>Einer Konferenz beitreten</title>"},
	        {"Accept-Language: fr-CH;q=0.8, nl\r\n", "nl",
	         "<title>Deelnemen aan een vergadering</title>"},
	        {"Accept-Language: zh, *;q=0.1\r\n", "en", "<title>Join a meeting</title>"},
	        {"Accept-Language: ;;;,,q=x\r\n", "en", "<title>Join a meeting</title>"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char want[64];
		char *r = get("GET", "/auth/", cases[i].header);
		assert_int_equal(status_of(r), 200);
		assert_string_equal(header_of(r, "Content-Language"), cases[i].lang);
		assert_string_equal(header_of(r, "Vary"), "Accept-Language");
		snprintf(want, sizeof(want), "<html lang=\"%s\">", cases[i].lang);
		assert_non_null(strstr(r, want));
		assert_non_null(strstr(r, cases[i].text));
		assert_headers_unique(r);
		free(r);
	}
	char *r = get("GET", "/auth/login", "Accept-Language: es\r\n");
	assert_int_equal(status_of(r), 400);
	assert_string_equal(header_of(r, "Content-Language"), "es");
	assert_non_null(strstr(r, "<h1>Solicitud no válida</h1>"));
	free(r);
	r = get("GET", "/auth/jwks.json", "Accept-Language: de\r\n");
	assert_int_equal(status_of(r), 200);
	assert_null(header_of(r, "Content-Language"));
	assert_null(header_of(r, "Vary"));
	free(r);
}

/* The operator's logo and style sheet are served as read at load, with
 * their type and nosniff; the pages then link them and their CSP allows
 * exactly 'self' for them.  Unset, they are 404. */
static void test_static_branding(void **state)
{
	static const unsigned char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\x01";
	static const char css[] = "main{border-top:4px solid #0b6e4f}";
	char *r = get("GET", "/auth/static/logo", NULL);
	assert_int_equal(status_of(r), 404);
	free(r);
	r = get("GET", "/auth/static/custom.css", NULL);
	assert_int_equal(status_of(r), 404);
	free(r);

	cfg.logo = (unsigned char *)png;
	cfg.logo_len = sizeof(png) - 1;
	cfg.logo_type = "image/png";
	cfg.css = (char *)css;
	cfg.css_len = sizeof(css) - 1;
	cfg.organisation = "Acme";
	r = get("GET", "/auth/static/logo", NULL);
	assert_int_equal(status_of(r), 200);
	assert_string_equal(header_of(r, "Content-Type"), "image/png");
	assert_string_equal(header_of(r, "X-Content-Type-Options"), "nosniff");
	assert_string_equal(header_of(r, "Cache-Control"), "public, max-age=300");
	assert_string_equal(header_of(r, "Content-Length"), "18");
	assert_memory_equal(strstr(r, "\r\n\r\n") + 4, png, 8);
	assert_null(header_of(r, "Content-Security-Policy"));
	free(r);
	r = get("HEAD", "/auth/static/custom.css", NULL);
	assert_int_equal(status_of(r), 200);
	assert_string_equal(header_of(r, "Content-Type"), "text/css; charset=utf-8");
	assert_string_equal(body_of(r), "");
	free(r);
	r = get("GET", "/auth/static/custom.css", NULL);
	assert_string_equal(body_of(r), css);
	free(r);
	r = get("POST", "/auth/static/logo", "Content-Length: 0\r\n");
	assert_int_equal(status_of(r), 405);
	free(r);
	r = get("GET", "/auth/", NULL);
	assert_string_equal(header_of(r, "Content-Security-Policy"),
	                    "default-src 'none'; img-src 'self'; style-src 'self' 'unsafe-inline'; "
	                    "frame-ancestors 'none'");
	assert_non_null(strstr(r, "<img class=\"logo\" src=\"/auth/static/logo\" alt=\"Acme\">"));
	assert_non_null(strstr(r, "<link rel=\"stylesheet\" href=\"/auth/static/custom.css\">"));
	assert_non_null(strstr(r, "<title>Join a meeting · Acme</title>"));
	free(r);
	cfg.logo = NULL;
	cfg.logo_len = 0;
	cfg.logo_type = NULL;
	cfg.css = NULL;
	cfg.css_len = 0;
	cfg.organisation = NULL;
}

static void test_limits(void **state)
{
	char *big = malloc(10000);
	char *target = malloc(6000);
	char *r;

	memset(big, 'a', 9000);
	memcpy(big, "X-Big: ", 7);
	strcpy(big + 9000, "\r\n");
	r = get("GET", "/auth/healthz", big);
	assert_true(status_of(r) == 400 || status_of(r) == 413 || status_of(r) == 431 ||
	            r[0] == '\0');
	free(r);

	strcpy(target, "/auth/login?room=");
	memset(target + 17, 'r', 4200);
	target[17 + 4200] = '\0';
	r = get("GET", target, NULL);
	assert_int_equal(status_of(r), 414);
	free(r);
	free(big);
	free(target);
}

static void test_access_log_has_no_query(void **state)
{
	char *r = get("GET", "/auth/nope?code=SECRETCODE&state=abc",
	              "Cookie: jitsi_oidc_x=COOKIEVAL\r\n");
	assert_int_equal(status_of(r), 404);
	free(r);
	fflush(log_stream);
	assert_non_null(strstr(log_buf, "path=/auth/nope "));
	assert_null(strstr(log_buf, "SECRETCODE"));
	assert_null(strstr(log_buf, "COOKIEVAL"));
}

/* X-Forwarded-For names the client in the log only when the peer is a
 * trusted proxy. */
static void test_trusted_proxy_log(void **state)
{
	static struct br_cidr loopback = {AF_INET, {127, 0, 0, 1}, 32};
	char *r;

	r = get("GET", "/auth/xff-untrusted", "X-Forwarded-For: 198.51.100.7\r\n");
	free(r);
	cfg.trusted_proxies.items = &loopback;
	cfg.trusted_proxies.n = 1;
	r = get("GET", "/auth/xff-trusted", "X-Forwarded-For: 10.9.8.7, 198.51.100.8\r\n");
	free(r);
	r = get("GET", "/auth/xff-garbage", "X-Forwarded-For: <script>\r\n");
	free(r);
	cfg.trusted_proxies.items = NULL;
	cfg.trusted_proxies.n = 0;
	fflush(log_stream);
	assert_non_null(strstr(log_buf, "path=/auth/xff-untrusted status=404 ms="));
	assert_null(strstr(log_buf, "198.51.100.7"));
	assert_non_null(strstr(log_buf, "peer=198.51.100.8"));
	assert_null(strstr(log_buf, "10.9.8.7"));
	assert_null(strstr(log_buf, "<script>"));
}

static void test_malformed_burst(void **state)
{
	static const char *const junk[] = {
	        "GARBAGE\r\n\r\n",
	        "GET\r\n\r\n",
	        "GET / HTTP/9.9\r\n\r\n",
	        "GET /auth/healthz HTTP/1.1\r\nHost",
	        "\x00\x01\x02\x03",
	        "GET /auth/%%%%% HTTP/1.1\r\n\r\n",
	        "GET /auth/login?room=%00 HTTP/1.1\r\nConnection: close\r\n\r\n",
	        "GET http://evil.example/ HTTP/1.1\r\n\r\n",
	        "POST /auth/login HTTP/1.1\r\nContent-Length: 999999999\r\n\r\nxx",
	        "GET /auth/healthz HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
	};
	for (int i = 0; i < 1000; i++) {
		const char *j = junk[i % 10];
		size_t len = (i % 10 == 4) ? 4 : strlen(j);
		/* Truncate some at a random-ish point. */
		if (i % 3 == 0 && len > 5)
			len = len / 2;
		free(exchange(j, len));
	}
	char *r = get("GET", "/auth/healthz", NULL);
	assert_int_equal(status_of(r), 503);
	free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_healthz_not_ready),
	        cmocka_unit_test(test_routes),
	        cmocka_unit_test(test_metrics_admin_only),
	        cmocka_unit_test(test_landing_csp),
	        cmocka_unit_test(test_head_has_no_body),
	        cmocka_unit_test(test_reply_headers),
	        cmocka_unit_test(test_page_language),
	        cmocka_unit_test(test_static_branding),
	        cmocka_unit_test(test_limits),
	        cmocka_unit_test(test_access_log_has_no_query),
	        cmocka_unit_test(test_trusted_proxy_log),
	        cmocka_unit_test(test_malformed_burst),
	        cmocka_unit_test(test_connection_cap),
	};
	return cmocka_run_group_tests_name("httpd", tests, setup, NULL);
}
