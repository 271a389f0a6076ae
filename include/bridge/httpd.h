/*
 * httpd.h - the HTTP server of one worker: listeners, routing below the
 * public_url prefix, limits, security headers, the access log.
 *
 * Every evhttp request gets one struct br_req, created by the router and
 * freed by exactly one br_req_reply() (or one of its wrappers below), which
 * also writes the access log line.  br_req_reply() is the only place that
 * writes a response: status, headers (security headers, CSP for HTML,
 * Cache-Control), body, and HEAD (headers and Content-Length, no body).
 * pages.c and asap.c only produce bytes.  When the client goes away while a
 * handler waits on the IdP, the request is marked gone and the reply only
 * frees it.
 */
#ifndef BR_HTTPD_H
#define BR_HTTPD_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "bridge/configuration.h"
#include "bridge/error.h"
#include "bridge/snapshot.h"

struct br_http_client;
struct br_httpd;

/* One event-loop thread with its server and outbound HTTP client. */
struct br_worker {
	int index;
	struct event_base *base;
	struct br_httpd *httpd;
	struct br_http_client *client;
	size_t inflight; /* requests waiting on an asynchronous step */
};

struct br_req {
	struct evhttp_request *ev; /* NULL once the client has gone */
	struct br_worker *worker;
	struct br_snapshot *snap; /* our reference, for the whole request */
	enum evhttp_cmd_type method;
	char path[256];      /* the route below the public prefix, e.g. "/login" (for the log) */
	const char *subpath; /* = path */
	struct evkeyvalq query;
	char peer[64];
	struct timespec start;
	bool async;           /* counted in worker->inflight */
	const char *log_note; /* short reason for the access log (no secrets) */
};

/* A route below the public prefix: path (exact, or a prefix with
 * prefix_match), its handler, and the methods it answers: POST only with
 * post, else GET, and HEAD too with head_ok (a login step answers GET only,
 * so that a link scanner's HEAD can never spend a code or a login state).
 * With sso the route exists only when [jitsi] sso_client_id is set. */
struct br_route {
	const char *path;
	bool prefix_match;
	bool head_ok;
	void (*handler)(struct br_req *r);
	bool post;
	bool sso;
};

/* Creates the server of worker w on its base, listening on every
 * cfg->listen address (SO_REUSEPORT, so that each worker has its own
 * listener).  It answers routes[0..n_routes) (borrowed: they must outlive
 * the server; the login flow's are br_oidc_routes) and its own pages: /,
 * /healthz, /asap/, /jwks.json, /metrics, /static/.  Returns NULL with err
 * set when an address cannot be bound. */
struct br_httpd *br_httpd_new(struct br_worker *w, const struct br_config *cfg,
                              const struct br_route *routes, size_t n_routes, struct br_error *err);

/* Stops accepting new connections (graceful shutdown). */
void br_httpd_stop_accepting(struct br_httpd *httpd);

void br_httpd_free(struct br_httpd *httpd);

/* Connections open on this server (the max_connections count). */
size_t br_httpd_connections(const struct br_httpd *httpd);

/* Port actually bound by the first listener (tests use port 0). */
int br_httpd_port(const struct br_httpd *httpd);

/* Marks a request as waiting on an asynchronous step (counted for graceful
 * shutdown). */
void br_req_begin_async(struct br_req *r);

/* Value of a query parameter (decoded), or NULL. */
const char *br_req_query(const struct br_req *r, const char *name);

/* A request header, or NULL. */
const char *br_req_header(const struct br_req *r, const char *name);

/* Adds a response header (before the reply). */
void br_req_add_header(struct br_req *r, const char *name, const char *value);

/* Who may keep a copy of a reply. */
enum br_cache {
	BR_CACHE_NO_STORE = 0, /* Cache-Control: no-store (the default) */
	BR_CACHE_PUBLIC,       /* Cache-Control: public, max-age=300 (public keys) */
};

/* One response.  Strings are borrowed; body is copied before the call
 * returns. */
struct br_reply {
	int status;
	const char *content_type; /* NULL: text/plain; charset=utf-8 when there is a body */
	const char *body;         /* len bytes; NULL: no body */
	size_t len;
	enum br_cache cache;
	const char *csp;      /* text/html: the CSP (NULL: BR_PAGES_CSP); ignored otherwise */
	const char *allow;    /* the Allow header (405), or NULL */
	const char *location; /* the Location header (302), or NULL */
	/* The Content-Language header, or NULL; set, the reply also says
	 * Vary: Accept-Language (the language was chosen from it). */
	const char *content_language;
};

/* Every response carries Cache-Control (per reply->cache), Referrer-Policy:
 * no-referrer, X-Content-Type-Options: nosniff and Content-Type; HTML also
 * its Content-Security-Policy.  A HEAD request gets the headers and the
 * Content-Length of the body, without the body.  Frees r. */
void br_req_reply(struct br_req *r, const struct br_reply *reply);

/* Shorthands of br_req_reply(); each frees r. */
void br_req_send_text(struct br_req *r, int status, const char *content_type, const char *body,
                      size_t len);
void br_req_send_redirect(struct br_req *r, const char *location);
/* The page language for this request: the catalogue of its snapshot's
 * config (borrowed, in *cat) and the index chosen from its Accept-Language
 * and [pages] default_language.  Pages rendered outside pages.c use it too,
 * and send br_catalogue_tag(*cat, lang) as reply->content_language. */
struct br_catalogue;
size_t br_req_language(const struct br_req *r, const struct br_catalogue **cat);

/* An HTML page of pages.c, rendered here (public_path is filled in), sent
 * with its status, its CSP and, for BR_PAGE_METHOD, its Allow header; a
 * page that cannot be rendered is sent as pages' fixed 500 page. */
struct br_page;
void br_req_send_page(struct br_req *r, struct br_page *page);

#endif
