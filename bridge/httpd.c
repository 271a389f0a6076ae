/*
 * httpd.c - listeners, routing, limits, security headers, access log.
 *
 * Each worker binds its own listening sockets with SO_REUSEPORT, so the
 * kernel spreads connections over the workers and no lock is shared on the
 * accept path.  The router checks method, prefix and query size, parses the
 * query once, and hands a struct br_req to the route's handler.
 */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/util.h>

#include "bridge/asap.h"
#include "bridge/httpd.h"
#include "bridge/log.h"
#include "bridge/metrics.h"
#include "bridge/oidc.h"
#include "bridge/pages.h"
#include "bridge/provider.h"

#define MAX_LISTENERS 16

struct br_httpd {
	struct br_worker *worker;
	struct evhttp *http;
	struct evhttp_bound_socket *bound[MAX_LISTENERS];
	size_t n_bound;
	int port;
	char prefix[256];
	size_t max_query;
};

static void req_free(struct br_req *r);

static double elapsed_ms(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start->tv_sec) * 1e3 +
	       (double)(now.tv_nsec - start->tv_nsec) / 1e6;
}

static const char *method_name(enum evhttp_cmd_type m)
{
	switch (m) {
	case EVHTTP_REQ_GET:
		return "GET";
	case EVHTTP_REQ_HEAD:
		return "HEAD";
	case EVHTTP_REQ_POST:
		return "POST";
	case EVHTTP_REQ_PUT:
		return "PUT";
	case EVHTTP_REQ_DELETE:
		return "DELETE";
	case EVHTTP_REQ_OPTIONS:
		return "OPTIONS";
	case EVHTTP_REQ_TRACE:
		return "TRACE";
	case EVHTTP_REQ_CONNECT:
		return "CONNECT";
	case EVHTTP_REQ_PATCH:
		return "PATCH";
	}
	return "?";
}

static void access_log(struct br_req *r, int status)
{
	char st[8], ms[32];

	br_metrics_http_response(status);
	snprintf(st, sizeof(st), "%d", status);
	snprintf(ms, sizeof(ms), "%.1f", elapsed_ms(&r->start));
	const char *note = r->log_note ? r->log_note : (r->ev ? NULL : "client went away");

	if (note)
		br_log(status >= 500 ? BR_LOG_WARN : BR_LOG_INFO, "request", "method",
		       method_name(r->method), "path", r->path, "status", st, "ms", ms, "peer",
		       r->peer, "note", note, (char *)NULL);
	else
		br_log(status >= 500 ? BR_LOG_WARN : BR_LOG_INFO, "request", "method",
		       method_name(r->method), "path", r->path, "status", st, "ms", ms, "peer",
		       r->peer, (char *)NULL);
}

void br_httpd_security_headers(struct evkeyvalq *hdrs, bool html, bool per_user)
{
	evhttp_add_header(hdrs, "X-Content-Type-Options", "nosniff");
	if (per_user)
		evhttp_add_header(hdrs, "Cache-Control", "no-store");
	if (html) {
		/* A handler may have set its own (the landing page). */
		if (evhttp_find_header(hdrs, "Content-Security-Policy") == NULL)
			evhttp_add_header(hdrs, "Content-Security-Policy", BR_PAGES_CSP);
		evhttp_add_header(hdrs, "Referrer-Policy", "no-referrer");
	}
}

static void conn_closed(struct evhttp_connection *conn, void *arg)
{
	struct br_req *r = arg;

	/* evhttp frees the request with the connection: forget it. */
	r->ev = NULL;
}

void br_req_begin_async(struct br_req *r)
{
	if (!r->async) {
		r->async = true;
		r->worker->inflight++;
		if (r->ev)
			evhttp_connection_set_closecb(evhttp_request_get_connection(r->ev),
			                              conn_closed, r);
	}
}

const char *br_req_query(const struct br_req *r, const char *name)
{
	return evhttp_find_header(&r->query, name);
}

const char *br_req_header(const struct br_req *r, const char *name)
{
	if (r->ev == NULL)
		return NULL;
	return evhttp_find_header(evhttp_request_get_input_headers(r->ev), name);
}

void br_req_add_header(struct br_req *r, const char *name, const char *value)
{
	if (r->ev)
		evhttp_add_header(evhttp_request_get_output_headers(r->ev), name, value);
}

static const char *reason_phrase(int status)
{
	switch (status) {
	case 200:
		return "OK";
	case 302:
		return "Found";
	case 400:
		return "Bad Request";
	case 403:
		return "Forbidden";
	case 404:
		return "Not Found";
	case 405:
		return "Method Not Allowed";
	case 414:
		return "URI Too Long";
	case 500:
		return "Internal Server Error";
	case 502:
		return "Bad Gateway";
	case 503:
		return "Service Unavailable";
	case 504:
		return "Gateway Timeout";
	default:
		return "Unknown";
	}
}

/* Logs and frees a request whose answer another module sent itself
 * (asap.c answers from its precomputed buffers). */
static void req_answered(struct br_req *r, int status)
{
	access_log(r, status);
	req_free(r);
}

/* Sends and frees: the one exit of every request. */
static void req_finish(struct br_req *r, int status, struct evbuffer *body)
{
	if (r->ev) {
		if (r->async)
			evhttp_connection_set_closecb(evhttp_request_get_connection(r->ev), NULL,
			                              NULL);
		evhttp_send_reply(r->ev, status, reason_phrase(status),
		                  r->method == EVHTTP_REQ_HEAD ? NULL : body);
	}
	access_log(r, status);
	req_free(r);
}

void br_req_send_text(struct br_req *r, int status, const char *content_type, const char *body,
                      size_t len, bool per_user)
{
	struct evbuffer *buf = NULL;

	if (r->ev) {
		struct evkeyvalq *h = evhttp_request_get_output_headers(r->ev);
		bool html = strncmp(content_type, "text/html", 9) == 0;
		evhttp_add_header(h, "Content-Type", content_type);
		br_httpd_security_headers(h, html, per_user);
		buf = evbuffer_new();
		if (buf)
			evbuffer_add(buf, body, len);
		if (r->method == EVHTTP_REQ_HEAD) {
			char n[32];
			snprintf(n, sizeof(n), "%zu", len);
			evhttp_add_header(h, "Content-Length", n);
		}
	}
	req_finish(r, status, buf);
	if (buf)
		evbuffer_free(buf);
}

void br_req_send_redirect(struct br_req *r, const char *location)
{
	if (r->ev) {
		struct evkeyvalq *h = evhttp_request_get_output_headers(r->ev);
		evhttp_add_header(h, "Location", location);
		br_httpd_security_headers(h, false, true);
		evhttp_add_header(h, "Referrer-Policy", "no-referrer");
	}
	req_finish(r, 302, NULL);
}

void br_req_send_error(struct br_req *r, const struct br_error *err)
{
	int status = br_error_http_status(err->code);
	char msg[BR_ERROR_MSG_MAX + 2];

	snprintf(msg, sizeof(msg), "%s\n", err->msg);
	r->log_note = err->msg;
	br_req_send_text(r, status, "text/plain; charset=utf-8", msg, strlen(msg), true);
}

static void req_free(struct br_req *r)
{
	if (r->async)
		r->worker->inflight--;
	evhttp_clear_headers(&r->query);
	br_snapshot_unref(r->snap);
	free(r);
}

static void send_plain(struct br_req *r, int status, const char *msg)
{
	br_req_send_text(r, status, "text/plain; charset=utf-8", msg, strlen(msg), false);
}

static void method_not_allowed(struct br_req *r, const char *allow)
{
	br_req_add_header(r, "Allow", allow);
	send_plain(r, 405, "method not allowed\n");
}

static void handle_healthz(struct br_req *r)
{
	char reason[BR_ERROR_MSG_MAX + 2];

	if (br_provider_ready(r->snap->provider, reason, sizeof(reason) - 1)) {
		br_req_send_text(r, 200, "text/plain; charset=utf-8", "ok\n", 3, true);
		return;
	}
	strcat(reason, "\n");
	br_req_send_text(r, 503, "text/plain; charset=utf-8", reason, strlen(reason), true);
}

static void handle_landing(struct br_req *r)
{
	struct br_page page = {.kind = BR_PAGE_LANDING};
	size_t len = 0;
	char *html;

	page.public_path = r->snap->cfg->public_path;
	html = br_page_render(&page, &len);
	if (html == NULL) {
		send_plain(r, 500, "internal error\n");
		return;
	}
	br_req_add_header(r, "Content-Security-Policy", BR_PAGES_CSP_LANDING);
	br_req_send_text(r, 200, "text/html; charset=utf-8", html, len, false);
	free(html);
}

static void handle_asap(struct br_req *r)
{
	int status = br_asap_handle(r->ev, r->snap->keys, r->subpath);

	if (status < 0)
		send_plain(r, 404, "not found\n");
	else
		req_answered(r, status);
}

static void handle_metrics(struct br_req *r)
{
	const struct sockaddr *peer = NULL;
	size_t len = 0;
	char *text;

	if (r->ev)
		peer = evhttp_connection_get_addr(evhttp_request_get_connection(r->ev));
	if (peer == NULL || !br_cidr_list_match(&r->snap->cfg->admin_allow, peer)) {
		r->log_note = "not in admin_allow";
		send_plain(r, 403, "forbidden\n");
		return;
	}
	text = br_metrics_render(&len);
	if (text == NULL) {
		send_plain(r, 500, "internal error\n");
		return;
	}
	br_req_send_text(r, 200, "text/plain; version=0.0.4; charset=utf-8", text, len, true);
	free(text);
}

/* The routes below the public prefix.  Pages without side effects answer
 * GET and HEAD; the login steps answer GET only, so that a link scanner's
 * HEAD can never spend a code or a login state. */
struct route {
	const char *path;
	bool prefix_match;
	bool head_ok;
	void (*handler)(struct br_req *r);
};

static const struct route routes[] = {
        {"/", false, true, handle_landing},
        {"/login", false, false, br_oidc_login},
        {"/callback", false, false, br_oidc_callback},
        {"/logout", false, false, br_oidc_logout},
        {"/healthz", false, true, handle_healthz},
        {"/asap/", true, true, handle_asap},
        {"/jwks.json", false, true, handle_asap},
        {"/metrics", false, true, handle_metrics},
};

static void dispatch(struct br_req *r)
{
	for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		const struct route *rt = &routes[i];
		bool match = rt->prefix_match ? strncmp(r->subpath, rt->path, strlen(rt->path)) == 0
		                              : strcmp(r->subpath, rt->path) == 0;
		if (!match)
			continue;
		if (r->method == EVHTTP_REQ_GET || (r->method == EVHTTP_REQ_HEAD && rt->head_ok)) {
			rt->handler(r);
			return;
		}
		method_not_allowed(r, rt->head_ok ? "GET, HEAD" : "GET");
		return;
	}
	send_plain(r, 404, "not found\n");
}

static void peer_of(struct evhttp_request *ev, char *out, size_t cap)
{
	struct evhttp_connection *conn = evhttp_request_get_connection(ev);
	char *addr = NULL;
	ev_uint16_t port = 0;

	out[0] = '\0';
	if (conn == NULL)
		return;
	evhttp_connection_get_peer(conn, &addr, &port);
	if (addr)
		snprintf(out, cap, "%s", addr);
}

static void route(struct evhttp_request *ev, void *arg)
{
	struct br_httpd *httpd = arg;
	const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(ev);
	const char *path = uri ? evhttp_uri_get_path(uri) : NULL;
	const char *query = uri ? evhttp_uri_get_query(uri) : NULL;
	struct br_req *r;
	size_t plen = strlen(httpd->prefix);

	r = calloc(1, sizeof(*r));
	if (r == NULL) {
		evhttp_send_error(ev, 500, NULL);
		return;
	}
	clock_gettime(CLOCK_MONOTONIC, &r->start);
	r->ev = ev;
	r->worker = httpd->worker;
	r->method = evhttp_request_get_command(ev);
	TAILQ_INIT(&r->query);
	peer_of(ev, r->peer, sizeof(r->peer));
	r->snap = br_snapshot_current();
	if (path == NULL || *path == '\0')
		path = "/";
	/* The log shows the route only, never the query string. */
	snprintf(r->path, sizeof(r->path), "%s", path);
	r->subpath = r->path;

	if (r->snap == NULL) {
		send_plain(r, 503, "starting\n");
		return;
	}
	if (plen > 0) {
		if (strncmp(path, httpd->prefix, plen) != 0 ||
		    (path[plen] != '/' && path[plen] != '\0')) {
			send_plain(r, 404, "not found\n");
			return;
		}
		r->subpath = r->path + plen;
		if (*r->subpath == '\0')
			r->subpath = "/";
	}
	if (query && strlen(query) > httpd->max_query) {
		r->log_note = "query too long";
		send_plain(r, 414, "query too long\n");
		return;
	}
	if (query && evhttp_parse_query_str(query, &r->query) != 0) {
		r->log_note = "malformed query";
		send_plain(r, 400, "malformed query\n");
		return;
	}
	dispatch(r);
}

static evutil_socket_t bind_one(const struct br_listen *l, struct br_error *err)
{
	evutil_socket_t fd;
	int one = 1;

	fd = socket(l->addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		goto fail;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)) < 0)
		goto fail;
	if (l->addr.ss_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(fd, (const struct sockaddr *)&l->addr, l->addrlen) < 0 || listen(fd, 1024) < 0)
		goto fail;
	return fd;
fail:
	br_error_set(err, BR_E_IO, "cannot listen on %s%s%s:%s: %s",
	             l->addr.ss_family == AF_INET6 ? "[" : "", l->host,
	             l->addr.ss_family == AF_INET6 ? "]" : "", l->port, strerror(errno));
	if (fd >= 0)
		close(fd);
	return -1;
}

struct br_httpd *br_httpd_new(struct br_worker *w, const struct br_config *cfg,
                              struct br_error *err)
{
	struct br_httpd *httpd;

	httpd = calloc(1, sizeof(*httpd));
	if (httpd == NULL) {
		br_error_set(err, BR_E_NOMEM, "out of memory");
		return NULL;
	}
	httpd->worker = w;
	snprintf(httpd->prefix, sizeof(httpd->prefix), "%s", cfg->public_path);
	httpd->max_query = cfg->max_query_size;
	httpd->http = evhttp_new(w->base);
	if (httpd->http == NULL) {
		br_error_set(err, BR_E_NOMEM, "out of memory");
		goto fail;
	}
	/* Every method reaches the router, which answers 405 itself. */
	evhttp_set_allowed_methods(httpd->http, EVHTTP_REQ_GET | EVHTTP_REQ_HEAD | EVHTTP_REQ_POST |
	                                                EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE |
	                                                EVHTTP_REQ_OPTIONS | EVHTTP_REQ_PATCH |
	                                                EVHTTP_REQ_TRACE | EVHTTP_REQ_CONNECT);
	evhttp_set_max_headers_size(httpd->http, (ev_ssize_t)cfg->max_header_size);
	evhttp_set_max_body_size(httpd->http, 8192);
	evhttp_set_timeout(httpd->http, (int)cfg->header_timeout);
	evhttp_set_gencb(httpd->http, route, httpd);

	for (size_t i = 0; i < cfg->n_listen && i < MAX_LISTENERS; i++) {
		evutil_socket_t fd = bind_one(&cfg->listen[i], err);
		if (fd < 0)
			goto fail;
		httpd->bound[i] = evhttp_accept_socket_with_handle(httpd->http, fd);
		if (httpd->bound[i] == NULL) {
			close(fd);
			br_error_set(err, BR_E_IO, "cannot accept on %s:%s", cfg->listen[i].host,
			             cfg->listen[i].port);
			goto fail;
		}
		httpd->n_bound++;
		if (i == 0) {
			struct sockaddr_storage ss;
			socklen_t sl = sizeof(ss);
			if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0)
				httpd->port =
				        ntohs(ss.ss_family == AF_INET6
				                      ? ((struct sockaddr_in6 *)&ss)->sin6_port
				                      : ((struct sockaddr_in *)&ss)->sin_port);
		}
	}
	return httpd;
fail:
	br_httpd_free(httpd);
	return NULL;
}

void br_httpd_stop_accepting(struct br_httpd *httpd)
{
	for (size_t i = 0; i < httpd->n_bound; i++)
		evhttp_del_accept_socket(httpd->http, httpd->bound[i]);
	httpd->n_bound = 0;
}

void br_httpd_free(struct br_httpd *httpd)
{
	if (httpd == NULL)
		return;
	if (httpd->http)
		evhttp_free(httpd->http);
	free(httpd);
}

int br_httpd_port(const struct br_httpd *httpd)
{
	return httpd->port;
}
