/*
 * http_client.h - outbound HTTP (discovery, JWKS, token, userinfo) on the
 * event loop: a libcurl multi handle driven by libevent, never blocking.
 *
 * One client per event loop (worker).  Every request has a timeout and a
 * response size cap, TLS verification is always on, only http and https are
 * allowed, and redirects are never followed.  The callback runs exactly once
 * per request (unless the request was cancelled), on the loop's thread.
 */
#ifndef BR_HTTP_CLIENT_H
#define BR_HTTP_CLIENT_H

#include <stddef.h>

#include <event2/event.h>

#include "bridge/error.h"

#define BR_HTTP_MAX_BODY (1024 * 1024)

struct br_http_client;
struct br_http_call;

struct br_http_response {
	long status;
	char *content_type; /* lower-cased media type without parameters, or NULL */
	char *body;         /* NUL-terminated (the NUL is not counted in len) */
	size_t len;
	double seconds; /* total time of the transfer */
};

/* Called once with either a response (err == NULL; any status) or an error
 * (resp == NULL): BR_E_UNAVAILABLE when the server could not be reached,
 * BR_E_TIMEOUT when it did not answer in time, BR_E_PROTOCOL for a response
 * over the size cap or a broken one.  Both are borrowed for the call. */
typedef void (*br_http_done_fn)(const struct br_http_response *resp, const struct br_error *err,
                                void *arg);

struct br_http_request {
	const char *url;
	const char *post_body;     /* NULL: GET; else POST application/x-www-form-urlencoded */
	const char *authorization; /* full Authorization header value, or NULL */
	const char *accept;        /* Accept header, or NULL for application/json */
	long timeout_ms;
	size_t max_body;     /* 0: BR_HTTP_MAX_BODY */
	const char *what;    /* short name of the endpoint for messages: "token endpoint" */
	const char *ca_file; /* extra trust anchors ([provider] ca_file), or NULL */
};

struct br_http_client *br_http_client_new(struct event_base *base, struct br_error *err);
/* Cancels every call in flight (their callbacks do not run) and frees. */
void br_http_client_free(struct br_http_client *client);

/* Starts a request.  Returns a handle for br_http_cancel(), or NULL with err
 * set when it could not even start (bad URL scheme, no memory); the callback
 * does not run then. */
struct br_http_call *br_http_fetch(struct br_http_client *client, const struct br_http_request *req,
                                   br_http_done_fn done, void *arg, struct br_error *err);

/* Aborts a call in flight; its callback will not run.  NULL is fine. */
void br_http_cancel(struct br_http_call *call);

/* Number of calls in flight (only tests ask: nothing may be left in flight
 * after a cancel or a finished call). */
size_t br_http_client_pending(const struct br_http_client *client);

/* Percent-encodes s as application/x-www-form-urlencoded (RFC 6749 2.3.1:
 * unreserved characters kept, space as '+'): a new string. */
char *br_http_form_encode(const char *s);

#endif
