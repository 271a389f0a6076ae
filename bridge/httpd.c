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
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/listener.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/util.h>

#include "bridge/addr.h"
#include "bridge/asap.h"
#include "bridge/catalogue.h"
#include "bridge/httpd.h"
#include "bridge/log.h"
#include "bridge/metrics.h"
#include "bridge/pages.h"
#include "bridge/provider.h"
#include "bridge/strbuf.h"

#define MAX_LISTENERS 16

struct conn {
	struct bufferevent *bev;
	long long since_ms; /* accepted, or last answered */
	bool busy;          /* a request is being handled */
	bool closing;       /* past its deadline, shut down */
};

struct br_httpd {
	struct br_worker *worker;
	struct evhttp *http;
	struct evhttp_bound_socket *bound[MAX_LISTENERS];
	size_t n_bound;
	/* Every connection, for the cap and the request deadline.  libevent
	 * 2.1 has neither and tells nobody when it frees a connection, so each
	 * connection's bufferevent is created here with one extra reference:
	 * once evhttp has freed it (its callbacks are cleared), the sweep drops
	 * our reference, which closes the socket, and counts it gone.  At the
	 * cap the listeners pause and new connections wait in the kernel's
	 * backlog.  libevent's own timeout only measures inactivity, so a
	 * client dribbling a byte at a time would never be cut off: the sweep
	 * also closes a connection that has not delivered a complete request
	 * within header_timeout of being accepted or answered. */
	struct conn *conns;
	size_t n_conns, cap_conns;
	size_t max_conns;
	int *slot_of_fd; /* index into conns by socket, -1 when unknown */
	size_t n_slots;
	long long header_timeout_ms;
	bool paused;
	struct event *sweep_ev;
	int port;
	char prefix[256];
	const struct br_route *routes; /* the creator's (borrowed), before own_routes */
	size_t n_routes;
	size_t max_query;
};

static void req_free(struct br_req *r);
static void conn_busy(struct br_httpd *httpd, struct evhttp_request *ev, bool busy);

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
	if (!br_log_enabled(status >= 500 ? BR_LOG_WARN : BR_LOG_INFO))
		return;
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

static void conn_closed(struct evhttp_connection *conn, void *arg)
{
	struct br_req *r = arg;

	/* evhttp frees the request with the connection: forget it. */
	r->ev = NULL;
}

/* Before any request is answered: an asynchronous one's connection must no
 * longer point at r, which is freed right after; and the connection is idle
 * from now on, so the sweep's header_timeout runs for the next request. */
static void detach(struct br_req *r)
{
	if (r->ev == NULL)
		return;
	if (r->async)
		evhttp_connection_set_closecb(evhttp_request_get_connection(r->ev), NULL, NULL);
	conn_busy(r->worker->httpd, r->ev, false);
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

/* The reason phrase of an HTTP status ("Not Found"), "Error" if unknown. */
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
		return "Error";
	}
}

static void set_header(struct evkeyvalq *h, const char *key, const char *value)
{
	evhttp_remove_header(h, key);
	evhttp_add_header(h, key, value);
}

/* Writes the response to r->ev; returns the status actually sent. */
static int write_reply(struct br_req *r, const struct br_reply *rep)
{
	struct evkeyvalq *h = evhttp_request_get_output_headers(r->ev);
	const char *type = rep->content_type;
	struct evbuffer *buf = NULL;
	int status = rep->status;

	if (type == NULL && rep->body != NULL)
		type = "text/plain; charset=utf-8";
	if (type != NULL)
		set_header(h, "Content-Type", type);
	set_header(h, "Cache-Control",
	           rep->cache == BR_CACHE_PUBLIC ? "public, max-age=300" : "no-store");
	set_header(h, "Referrer-Policy", "no-referrer");
	set_header(h, "X-Content-Type-Options", "nosniff");
	if (type != NULL && strncmp(type, "text/html", 9) == 0)
		set_header(h, "Content-Security-Policy", rep->csp ? rep->csp : BR_PAGES_CSP);
	if (rep->allow)
		set_header(h, "Allow", rep->allow);
	if (rep->location)
		set_header(h, "Location", rep->location);
	if (rep->content_language) {
		set_header(h, "Content-Language", rep->content_language);
		set_header(h, "Vary", "Accept-Language");
	}
	if (rep->body != NULL && r->method == EVHTTP_REQ_HEAD) {
		/* libevent 2.1 (checked with 2.1.12) writes a reply's body also
		 * to HEAD and then leaves out Content-Length: give no body, and
		 * say how long it would be. */
		char clen[32];
		snprintf(clen, sizeof(clen), "%zu", rep->len);
		set_header(h, "Content-Length", clen);
	} else if (rep->body != NULL) {
		/* A copy, not a reference: a reload may free the keys asap's
		 * bytes live in before a slow client has read the answer. */
		buf = evbuffer_new();
		if (buf == NULL || evbuffer_add(buf, rep->body, rep->len) != 0) {
			if (buf != NULL)
				evbuffer_free(buf);
			evhttp_send_error(r->ev, HTTP_INTERNAL, NULL);
			return HTTP_INTERNAL;
		}
	}
	evhttp_send_reply(r->ev, status, reason_phrase(status), buf);
	if (buf != NULL)
		evbuffer_free(buf);
	return status;
}

/* The one exit of every request: sends, logs and frees.  detach() also
 * marks the connection idle, so that the next request on it has
 * header_timeout from now, whatever this answer was. */
void br_req_reply(struct br_req *r, const struct br_reply *reply)
{
	int status = reply->status;

	if (r->ev) {
		detach(r);
		status = write_reply(r, reply);
	}
	access_log(r, status);
	req_free(r);
}

void br_req_send_text(struct br_req *r, int status, const char *content_type, const char *body,
                      size_t len)
{
	struct br_reply rep = {
	        .status = status, .content_type = content_type, .body = body, .len = len};

	br_req_reply(r, &rep);
}

void br_req_send_redirect(struct br_req *r, const char *location)
{
	struct br_reply rep = {.status = 302, .location = location};

	br_req_reply(r, &rep);
}

/* The branding of cfg as pages.c wants it. */
static void page_look(const struct br_config *cfg, struct br_pages_look *look)
{
	look->organisation = cfg->organisation;
	look->support = cfg->support;
	look->accent = cfg->accent;
	look->logo = cfg->logo != NULL;
	look->css = cfg->css != NULL;
}

size_t br_req_language(const struct br_req *r, const struct br_catalogue **cat)
{
	const struct br_config *cfg = r->snap->cfg;

	*cat = cfg->catalogue ? cfg->catalogue : br_catalogue_builtin();
	return br_catalogue_negotiate(*cat, br_req_header(r, "Accept-Language"),
	                              (int)cfg->default_lang);
}

void br_req_send_page(struct br_req *r, struct br_page *page)
{
	const struct br_config *cfg = r->snap->cfg;
	const struct br_catalogue *cat;
	struct br_pages_look look;
	struct br_strbuf html = {.secret = page->kind == BR_PAGE_APP}; /* its links hold a token */

	page_look(cfg, &look);
	page->public_path = cfg->public_path;
	page->lang = br_req_language(r, &cat);
	page->catalogue = cat;
	page->look = &look;

	struct br_reply rep = {
	        .status = br_page_status(page),
	        .content_type = "text/html; charset=utf-8",
	        .csp = br_pages_csp(page),
	        .allow = page->kind == BR_PAGE_METHOD && page->allow && page->allow[0] ? page->allow
	                                                                               : NULL,
	        .content_language = br_catalogue_tag(cat, page->lang),
	};
	if (br_pages_render(&html, page) == 0) {
		rep.body = html.s;
		rep.len = html.len;
	} else {
		/* The fixed page is English. */
		rep.status = 500;
		rep.csp = BR_PAGES_CSP;
		rep.body = br_pages_fallback(&rep.len);
		rep.content_language = "en";
	}
	br_req_reply(r, &rep);
	size_t len = 0;
	char *doc = br_strbuf_finish(&html, &len);
	if (doc != NULL)
		explicit_bzero(doc, len);
	free(doc);
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
	br_req_send_text(r, status, NULL, msg, strlen(msg));
}

static void method_not_allowed(struct br_req *r, const char *allow)
{
	static const char msg[] = "method not allowed\n";
	struct br_reply rep = {.status = 405, .body = msg, .len = sizeof(msg) - 1, .allow = allow};

	br_req_reply(r, &rep);
}

static void handle_healthz(struct br_req *r)
{
	char reason[BR_ERROR_MSG_MAX + 2];

	if (br_provider_ready(r->snap->provider, reason, sizeof(reason) - 1)) {
		send_plain(r, 200, "ok\n");
		return;
	}
	strcat(reason, "\n");
	send_plain(r, 503, reason);
}

static void handle_landing(struct br_req *r)
{
	struct br_page page = {.kind = BR_PAGE_LANDING};

	br_req_send_page(r, &page);
}

/* P/static/logo and P/static/custom.css: the operator's files, read and
 * checked at load ([pages] logo, stylesheet), 404 when not configured.
 * Public and cacheable like the keys; nosniff keeps the type we checked. */
static void handle_static(struct br_req *r)
{
	const struct br_config *cfg = r->snap->cfg;
	struct br_reply rep = {.status = 200, .cache = BR_CACHE_PUBLIC};

	if (strcmp(r->subpath, "/static/logo") == 0 && cfg->logo != NULL) {
		rep.content_type = cfg->logo_type;
		rep.body = (const char *)cfg->logo;
		rep.len = cfg->logo_len;
	} else if (strcmp(r->subpath, "/static/custom.css") == 0 && cfg->css != NULL) {
		rep.content_type = "text/css; charset=utf-8";
		rep.body = cfg->css;
		rep.len = cfg->css_len;
	} else {
		send_plain(r, 404, "not found\n");
		return;
	}
	br_req_reply(r, &rep);
}

static void handle_asap(struct br_req *r)
{
	struct br_asap_answer a;

	if (br_asap_lookup(r->snap->keys, r->subpath, &a) != 0) {
		send_plain(r, 404, "not found\n");
		return;
	}
	struct br_reply rep = {
	        .status = a.status,
	        .content_type = a.content_type,
	        .body = a.body,
	        .len = a.len,
	        .cache = a.status == 200 ? BR_CACHE_PUBLIC : BR_CACHE_NO_STORE,
	};
	br_req_reply(r, &rep);
}

static void handle_metrics(struct br_req *r)
{
	const struct sockaddr *peer = NULL;
	size_t len = 0;
	char *text;

	if (r->ev)
		peer = evhttp_connection_get_addr(evhttp_request_get_connection(r->ev));
	/* Behind a reverse proxy every peer is the proxy itself, which is
	 * usually in admin_allow: a forwarded request is never an admin's. */
	if (peer == NULL || !br_addr_list_match(&r->snap->cfg->admin_allow, peer) ||
	    br_req_header(r, "X-Forwarded-For") != NULL || br_req_header(r, "Forwarded") != NULL) {
		r->log_note = "not in admin_allow";
		send_plain(r, 403, "forbidden\n");
		return;
	}
	text = br_metrics_render(&len);
	if (text == NULL) {
		send_plain(r, 500, "internal error\n");
		return;
	}
	br_req_send_text(r, 200, "text/plain; version=0.0.4; charset=utf-8", text, len);
	free(text);
}

/* httpd's own routes below the public prefix (the creator adds its own,
 * struct br_route).  Pages without side effects answer GET and HEAD. */
static const struct br_route own_routes[] = {
        {"/", false, true, handle_landing, false, false},
        {"/healthz", false, true, handle_healthz, false, false},
        {"/asap/", true, true, handle_asap, false, false},
        {"/jwks.json", false, true, handle_asap, false, false},
        {"/metrics", false, true, handle_metrics, false, false},
        {"/static/logo", false, true, handle_static, false, false},
        {"/static/custom.css", false, true, handle_static, false, false},
};

static const struct br_route *find_route(const struct br_httpd *httpd, const char *subpath)
{
	for (size_t i = 0; i < httpd->n_routes + sizeof(own_routes) / sizeof(own_routes[0]); i++) {
		const struct br_route *rt =
		        i < httpd->n_routes ? &httpd->routes[i] : &own_routes[i - httpd->n_routes];
		bool match = rt->prefix_match ? strncmp(subpath, rt->path, strlen(rt->path)) == 0
		                              : strcmp(subpath, rt->path) == 0;
		if (match)
			return rt;
	}
	return NULL;
}

static void dispatch(struct br_httpd *httpd, struct br_req *r)
{
	const struct br_route *rt = find_route(httpd, r->subpath);

	/* Without [jitsi] sso_client_id the native SSO endpoints do not exist. */
	if (rt == NULL || (rt->sso && r->snap->cfg->sso_client_id == NULL)) {
		send_plain(r, 404, "not found\n");
		return;
	}
	if (rt->post) {
		if (r->method == EVHTTP_REQ_POST)
			rt->handler(r);
		else
			method_not_allowed(r, "POST");
		return;
	}
	if (r->method == EVHTTP_REQ_GET || (r->method == EVHTTP_REQ_HEAD && rt->head_ok)) {
		rt->handler(r);
		return;
	}
	method_not_allowed(r, rt->head_ok ? "GET, HEAD" : "GET");
}

/* The client's address for the log: the socket peer, or, when the peer is
 * a trusted proxy, the last address of its X-Forwarded-For (the one that
 * proxy saw).  Only ever logged, never used for a decision. */
static void peer_of(struct evhttp_request *ev, const struct br_config *cfg, char *out, size_t cap)
{
	struct evhttp_connection *conn = evhttp_request_get_connection(ev);
	const struct sockaddr *sa;
	const char *xff, *last;
	char *addr = NULL;
	ev_uint16_t port = 0;
	size_t n;

	out[0] = '\0';
	if (conn == NULL)
		return;
	evhttp_connection_get_peer(conn, &addr, &port);
	if (addr)
		snprintf(out, cap, "%s", addr);
	sa = evhttp_connection_get_addr(conn);
	if (cfg == NULL || cfg->trusted_proxies.n == 0 || sa == NULL ||
	    !br_addr_list_match(&cfg->trusted_proxies, sa))
		return;
	xff = evhttp_find_header(evhttp_request_get_input_headers(ev), "X-Forwarded-For");
	if (xff == NULL)
		return;
	last = strrchr(xff, ',');
	last = last ? last + 1 : xff;
	last += strspn(last, " \t");
	n = strspn(last, "0123456789abcdefABCDEF:.");
	if (n == 0 || n >= cap || n > 45 || last[n + strspn(last + n, " \t")] != '\0')
		return;
	memcpy(out, last, n);
	out[n] = '\0';
}

static void route(struct evhttp_request *ev, void *arg)
{
	struct br_httpd *httpd = arg;
	const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(ev);
	const char *path = uri ? evhttp_uri_get_path(uri) : NULL;
	const char *query = uri ? evhttp_uri_get_query(uri) : NULL;
	struct br_req *r;
	size_t plen = strlen(httpd->prefix);

	conn_busy(httpd, ev, true);
	r = calloc(1, sizeof(*r));
	if (r == NULL) {
		conn_busy(httpd, ev, false);
		evhttp_send_error(ev, 500, NULL);
		return;
	}
	clock_gettime(CLOCK_MONOTONIC, &r->start);
	r->ev = ev;
	r->worker = httpd->worker;
	r->method = evhttp_request_get_command(ev);
	TAILQ_INIT(&r->query);
	r->snap = br_snapshot_current();
	peer_of(ev, r->snap ? r->snap->cfg : NULL, r->peer, sizeof(r->peer));
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
	dispatch(httpd, r);
}

static void set_accepting(struct br_httpd *httpd, bool on)
{
	for (size_t i = 0; i < httpd->n_bound; i++) {
		struct evconnlistener *l = evhttp_bound_socket_get_listener(httpd->bound[i]);
		if (on)
			evconnlistener_enable(l);
		else
			evconnlistener_disable(l);
	}
	httpd->paused = !on;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static struct bufferevent *new_conn(struct event_base *base, void *arg)
{
	struct br_httpd *httpd = arg;
	struct bufferevent *bev;

	if (httpd->n_conns == httpd->cap_conns) {
		size_t cap = httpd->cap_conns ? 2 * httpd->cap_conns : 256;
		struct conn *p = realloc(httpd->conns, cap * sizeof(*p));
		if (p == NULL)
			return NULL; /* evhttp makes its own; it is just not counted */
		httpd->conns = p;
		httpd->cap_conns = cap;
	}
	bev = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE);
	if (bev == NULL)
		return NULL;
	bufferevent_incref(bev);
	httpd->conns[httpd->n_conns++] = (struct conn){.bev = bev, .since_ms = now_ms()};
	br_metrics_connections(1);
	if (httpd->n_conns >= httpd->max_conns && !httpd->paused) {
		char n[32];
		snprintf(n, sizeof(n), "%zu", httpd->max_conns);
		br_log(BR_LOG_WARN, "connection limit reached, pausing accept", "max_connections",
		       n, (char *)NULL);
		set_accepting(httpd, false);
	}
	return bev;
}

static void index_fd(struct br_httpd *httpd, evutil_socket_t fd, size_t slot)
{
	if (fd < 0)
		return;
	if ((size_t)fd >= httpd->n_slots) {
		size_t n = (size_t)fd + 1024;
		int *p = realloc(httpd->slot_of_fd, n * sizeof(*p));
		if (p == NULL)
			return;
		for (size_t i = httpd->n_slots; i < n; i++)
			p[i] = -1;
		httpd->slot_of_fd = p;
		httpd->n_slots = n;
	}
	httpd->slot_of_fd[fd] = (int)slot;
}

static struct conn *find_conn(struct br_httpd *httpd, struct evhttp_request *ev)
{
	struct evhttp_connection *evcon = evhttp_request_get_connection(ev);
	struct bufferevent *bev = evcon ? evhttp_connection_get_bufferevent(evcon) : NULL;
	evutil_socket_t fd;

	if (bev == NULL)
		return NULL;
	fd = bufferevent_getfd(bev);
	if (fd >= 0 && (size_t)fd < httpd->n_slots) {
		int slot = httpd->slot_of_fd[fd];
		if (slot >= 0 && (size_t)slot < httpd->n_conns && httpd->conns[slot].bev == bev)
			return &httpd->conns[slot];
	}
	/* Not indexed yet: new connections are at the end. */
	for (size_t i = httpd->n_conns; i-- > 0;) {
		if (httpd->conns[i].bev == bev) {
			index_fd(httpd, fd, i);
			return &httpd->conns[i];
		}
	}
	return NULL;
}

/* A request starts being handled (busy) or has been answered: the deadline
 * for the next one runs from now. */
static void conn_busy(struct br_httpd *httpd, struct evhttp_request *ev, bool busy)
{
	struct conn *c = find_conn(httpd, ev);

	if (c) {
		c->busy = busy;
		c->since_ms = now_ms();
	}
}

/* Every 100 ms: releases the connections evhttp has freed, shuts down those
 * past their request deadline, resumes accepting below the cap. */
static void sweep_conns(evutil_socket_t fd, short what, void *arg)
{
	struct br_httpd *httpd = arg;
	long long now = now_ms();
	size_t kept = 0;

	for (size_t i = 0; i < httpd->n_conns; i++) {
		struct conn c = httpd->conns[i];
		bufferevent_data_cb rcb, wcb;
		bufferevent_event_cb ecb;
		evutil_socket_t cfd = bufferevent_getfd(c.bev);
		void *cbarg;

		bufferevent_getcb(c.bev, &rcb, &wcb, &ecb, &cbarg);
		if (rcb == NULL && wcb == NULL && ecb == NULL) {
			if (cfd >= 0 && (size_t)cfd < httpd->n_slots)
				httpd->slot_of_fd[cfd] = -1;
			bufferevent_decref(c.bev);
			br_metrics_connections(-1);
			continue;
		}
		if (!c.busy && !c.closing && now - c.since_ms > httpd->header_timeout_ms &&
		    cfd >= 0) {
			/* evhttp sees the end of the stream and frees it. */
			shutdown(cfd, SHUT_RDWR);
			c.closing = true;
		}
		httpd->conns[kept] = c;
		index_fd(httpd, cfd, kept);
		kept++;
	}
	httpd->n_conns = kept;
	if (httpd->paused && httpd->n_conns < httpd->max_conns && httpd->n_bound > 0)
		set_accepting(httpd, true);
}

size_t br_httpd_connections(const struct br_httpd *httpd)
{
	return httpd->n_conns;
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
                              const struct br_route *routes, size_t n_routes, struct br_error *err)
{
	struct br_httpd *httpd;

	httpd = calloc(1, sizeof(*httpd));
	if (httpd == NULL) {
		br_error_set(err, BR_E_NOMEM, "out of memory");
		return NULL;
	}
	httpd->worker = w;
	httpd->routes = routes;
	httpd->n_routes = n_routes;
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
	httpd->max_conns = cfg->max_connections > 0 ? (size_t)cfg->max_connections : SIZE_MAX;
	httpd->header_timeout_ms = cfg->header_timeout * 1000LL;
	evhttp_set_bevcb(httpd->http, new_conn, httpd);
	httpd->sweep_ev = event_new(w->base, -1, EV_PERSIST, sweep_conns, httpd);
	{
		struct timeval tick = {0, 100000};
		if (httpd->sweep_ev == NULL || event_add(httpd->sweep_ev, &tick) != 0) {
			br_error_set(err, BR_E_NOMEM, "out of memory");
			goto fail;
		}
	}

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
	/* evhttp has freed every connection: drop our references. */
	for (size_t i = 0; i < httpd->n_conns; i++) {
		bufferevent_decref(httpd->conns[i].bev);
		br_metrics_connections(-1);
	}
	free(httpd->conns);
	free(httpd->slot_of_fd);
	if (httpd->sweep_ev)
		event_free(httpd->sweep_ev);
	free(httpd);
}

int br_httpd_port(const struct br_httpd *httpd)
{
	return httpd->port;
}
