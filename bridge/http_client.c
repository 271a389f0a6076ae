/*
 * http_client.c - libcurl multi driven by libevent.
 *
 * curl tells us which sockets to watch (socket callback) and when to wake it
 * (timer callback); libevent tells curl when a socket is ready.  Finished
 * transfers are collected from curl_multi_info_read and handed to the
 * caller's callback.  Each call owns its easy handle, header list and body
 * buffer, all freed in call_free().
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <event2/event.h>

#include "bridge/http_client.h"
#include "bridge/log.h"
#include "bridge/strbuf.h"

/* Idle easy handles kept per client (per worker), and the cap on pooled
 * connections: enough for a burst of logins, not a resource sink. */
#define BR_HTTP_IDLE_HANDLES    16
#define BR_HTTP_MAX_CONNECTIONS 64L

struct br_http_client {
	struct event_base *base;
	CURLM *multi;
	struct event *timer;
	struct br_http_call *calls; /* doubly linked list of calls in flight */
	size_t n_calls;
	/* Easy handles of finished calls, kept for the next ones: a fresh
	 * handle costs several allocations (among them curl's 16 KiB receive
	 * buffer) on every exchange with the IdP. */
	CURL *idle[BR_HTTP_IDLE_HANDLES];
	size_t n_idle;
};

struct br_http_call {
	struct br_http_client *client;
	CURL *easy;
	struct curl_slist *headers;
	char *post_body;
	struct br_strbuf body;
	size_t max_body;
	int too_large;
	char what[48];
	char errbuf[CURL_ERROR_SIZE];
	br_http_done_fn done;
	void *arg;
	struct br_http_call *prev, *next;
};

/* Per-socket state: the libevent event watching it, assigned in place when
 * curl changes what it waits for (no free and new per change). */
struct sock_ctx {
	struct event *ev;
};

static void check_multi_info(struct br_http_client *client);

static CURL *acquire_easy(struct br_http_client *client)
{
	if (client->n_idle == 0)
		return curl_easy_init();
	return client->idle[--client->n_idle];
}

/* A finished call's handle goes back reset: none of its options may point
 * at the call's memory (headers, body, error buffer, write data), which is
 * freed next. */
static void release_easy(struct br_http_client *client, CURL *easy)
{
	if (client->n_idle < BR_HTTP_IDLE_HANDLES) {
		curl_easy_reset(easy);
		client->idle[client->n_idle++] = easy;
	} else {
		curl_easy_cleanup(easy);
	}
}

/* The headers may hold the client secret or a bearer token: wiped before
 * they are freed. */
static void headers_free(struct curl_slist *headers)
{
	for (struct curl_slist *h = headers; h != NULL; h = h->next)
		explicit_bzero(h->data, strlen(h->data));
	curl_slist_free_all(headers);
}

static void call_free(struct br_http_call *call)
{
	struct br_http_client *client = call->client;

	if (call->prev)
		call->prev->next = call->next;
	else
		client->calls = call->next;
	if (call->next)
		call->next->prev = call->prev;
	client->n_calls--;
	curl_multi_remove_handle(client->multi, call->easy);
	release_easy(client, call->easy);
	headers_free(call->headers);
	free(call->post_body);
	free(call->body.s);
	free(call);
}

static void event_cb(evutil_socket_t fd, short what, void *arg)
{
	struct br_http_client *client = arg;
	int running;
	int action = ((what & EV_READ) ? CURL_CSELECT_IN : 0) |
	             ((what & EV_WRITE) ? CURL_CSELECT_OUT : 0);

	curl_multi_socket_action(client->multi, fd, action, &running);
	check_multi_info(client);
}

static void timer_cb(evutil_socket_t fd, short what, void *arg)
{
	struct br_http_client *client = arg;
	int running;

	curl_multi_socket_action(client->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	check_multi_info(client);
}

static int curl_timer_cb(CURLM *multi, long timeout_ms, void *arg)
{
	struct br_http_client *client = arg;
	struct timeval tv;

	if (timeout_ms < 0) {
		evtimer_del(client->timer);
		return 0;
	}
	tv.tv_sec = timeout_ms / 1000;
	tv.tv_usec = (timeout_ms % 1000) * 1000;
	evtimer_add(client->timer, &tv);
	return 0;
}

static int curl_socket_cb(CURL *easy, curl_socket_t s, int what, void *arg, void *sockp)
{
	struct br_http_client *client = arg;
	struct sock_ctx *sc = sockp;
	short kind;

	if (what == CURL_POLL_REMOVE) {
		if (sc) {
			event_free(sc->ev);
			free(sc);
			curl_multi_assign(client->multi, s, NULL);
		}
		return 0;
	}
	kind = (short)(((what & CURL_POLL_IN) ? EV_READ : 0) |
	               ((what & CURL_POLL_OUT) ? EV_WRITE : 0) | EV_PERSIST);
	if (sc == NULL) {
		sc = calloc(1, sizeof(*sc));
		if (sc == NULL)
			return -1;
		sc->ev = event_new(client->base, s, kind, event_cb, client);
		if (sc->ev == NULL) {
			free(sc);
			return -1;
		}
		curl_multi_assign(client->multi, s, sc);
	} else {
		event_del(sc->ev);
		event_assign(sc->ev, client->base, s, kind, event_cb, client);
	}
	return event_add(sc->ev, NULL) == 0 ? 0 : -1;
}

static size_t write_cb(char *data, size_t size, size_t nmemb, void *arg)
{
	struct br_http_call *call = arg;
	size_t n = size * nmemb;

	if (call->body.len + n > call->max_body) {
		call->too_large = 1;
		return 0; /* aborts the transfer */
	}
	br_strbuf_add(&call->body, data, n);
	return call->body.failed ? 0 : n;
}

static char *media_type(const char *ct)
{
	size_t n = 0;
	char *out;

	if (ct == NULL)
		return NULL;
	while (ct[n] && ct[n] != ';' && ct[n] != ' ')
		n++;
	out = malloc(n + 1);
	if (out == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++)
		out[i] = (char)tolower((unsigned char)ct[i]);
	out[n] = '\0';
	return out;
}

static void finish(struct br_http_call *call, CURLcode rc)
{
	struct br_http_response resp = {0};
	struct br_error err;
	const char *ct = NULL;

	br_error_clear(&err);
	if (call->too_large) {
		br_error_set(&err, BR_E_PROTOCOL, "the %s answered with more than %zu bytes",
		             call->what, call->max_body);
	} else if (rc == CURLE_OPERATION_TIMEDOUT) {
		br_error_set(&err, BR_E_TIMEOUT, "the %s did not answer in time", call->what);
	} else if (rc == CURLE_COULDNT_CONNECT || rc == CURLE_COULDNT_RESOLVE_HOST ||
	           rc == CURLE_COULDNT_RESOLVE_PROXY) {
		br_error_set(&err, BR_E_UNAVAILABLE, "cannot reach the %s: %s", call->what,
		             call->errbuf[0] ? call->errbuf : curl_easy_strerror(rc));
	} else if (rc != CURLE_OK) {
		br_error_set(&err, BR_E_UNAVAILABLE, "the %s failed: %s", call->what,
		             call->errbuf[0] ? call->errbuf : curl_easy_strerror(rc));
	}
	if (err.code == BR_E_NONE) {
		curl_easy_getinfo(call->easy, CURLINFO_RESPONSE_CODE, &resp.status);
		curl_easy_getinfo(call->easy, CURLINFO_CONTENT_TYPE, &ct);
		curl_easy_getinfo(call->easy, CURLINFO_TOTAL_TIME, &resp.seconds);
		resp.content_type = media_type(ct);
		resp.body = call->body.s ? call->body.s : (char *)"";
		resp.len = call->body.len;
		call->done(&resp, NULL, call->arg);
		free(resp.content_type);
	} else {
		call->done(NULL, &err, call->arg);
	}
	call_free(call);
}

static void check_multi_info(struct br_http_client *client)
{
	CURLMsg *msg;
	int left;

	while ((msg = curl_multi_info_read(client->multi, &left)) != NULL) {
		struct br_http_call *call = NULL;
		if (msg->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&call);
		finish(call, msg->data.result);
	}
}

struct br_http_client *br_http_client_new(struct event_base *base, struct br_error *err)
{
	struct br_http_client *client;

	client = calloc(1, sizeof(*client));
	if (client == NULL)
		goto nomem;
	client->base = base;
	client->multi = curl_multi_init();
	client->timer = evtimer_new(base, timer_cb, client);
	if (client->multi == NULL || client->timer == NULL)
		goto nomem;
	curl_multi_setopt(client->multi, CURLMOPT_SOCKETFUNCTION, curl_socket_cb);
	curl_multi_setopt(client->multi, CURLMOPT_SOCKETDATA, client);
	curl_multi_setopt(client->multi, CURLMOPT_TIMERFUNCTION, curl_timer_cb);
	curl_multi_setopt(client->multi, CURLMOPT_TIMERDATA, client);
	curl_multi_setopt(client->multi, CURLMOPT_MAX_HOST_CONNECTIONS, BR_HTTP_MAX_CONNECTIONS);
	/* curl's default keeps 4 connections per easy handle in use, so after
	 * a quiet moment the pool shrinks and the next burst of logins opens
	 * new connections to the IdP (a TCP and TLS handshake each). */
	curl_multi_setopt(client->multi, CURLMOPT_MAXCONNECTS, BR_HTTP_MAX_CONNECTIONS);
	return client;
nomem:
	br_error_set(err, BR_E_NOMEM, "out of memory");
	br_http_client_free(client);
	return NULL;
}

void br_http_client_free(struct br_http_client *client)
{
	if (client == NULL)
		return;
	while (client->calls)
		call_free(client->calls);
	while (client->n_idle > 0)
		curl_easy_cleanup(client->idle[--client->n_idle]);
	if (client->multi)
		curl_multi_cleanup(client->multi);
	if (client->timer)
		event_free(client->timer);
	free(client);
}

struct br_http_call *br_http_fetch(struct br_http_client *client, const struct br_http_request *req,
                                   br_http_done_fn done, void *arg, struct br_error *err)
{
	struct br_http_call *call;
	char hdr[4096];
	const char *what = req->what ? req->what : "identity provider";

	if (strncmp(req->url, "https://", 8) != 0 && strncmp(req->url, "http://", 7) != 0) {
		br_error_set(err, BR_E_CONFIG, "the %s URL is not http or https", what);
		return NULL;
	}
	call = calloc(1, sizeof(*call));
	if (call == NULL)
		goto nomem;
	call->client = client;
	call->done = done;
	call->arg = arg;
	call->max_body = req->max_body ? req->max_body : BR_HTTP_MAX_BODY;
	snprintf(call->what, sizeof(call->what), "%s", what);
	call->easy = acquire_easy(client);
	if (call->easy == NULL)
		goto nomem_call;

	snprintf(hdr, sizeof(hdr), "Accept: %s", req->accept ? req->accept : "application/json");
	call->headers = curl_slist_append(call->headers, hdr);
	if (req->authorization) {
		/* Sized from the credential: a bearer token is never cut. */
		size_t n = sizeof("Authorization: ") + strlen(req->authorization);
		char *auth = malloc(n);
		if (auth == NULL)
			goto nomem_call;
		snprintf(auth, n, "Authorization: %s", req->authorization);
		call->headers = curl_slist_append(call->headers, auth);
		explicit_bzero(auth, n);
		free(auth);
	}
	/* No "Expect: 100-continue" round trip on POSTs. */
	call->headers = curl_slist_append(call->headers, "Expect:");
	if (call->headers == NULL)
		goto nomem_call;

	curl_easy_setopt(call->easy, CURLOPT_URL, req->url);
	curl_easy_setopt(call->easy, CURLOPT_PRIVATE, call);
	curl_easy_setopt(call->easy, CURLOPT_HTTPHEADER, call->headers);
	curl_easy_setopt(call->easy, CURLOPT_WRITEFUNCTION, write_cb);
	curl_easy_setopt(call->easy, CURLOPT_WRITEDATA, call);
	curl_easy_setopt(call->easy, CURLOPT_ERRORBUFFER, call->errbuf);
	curl_easy_setopt(call->easy, CURLOPT_TIMEOUT_MS,
	                 req->timeout_ms > 0 ? req->timeout_ms : 10000L);
	curl_easy_setopt(call->easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(call->easy, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(call->easy, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(call->easy, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(call->easy, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(call->easy, CURLOPT_USERAGENT, PACKAGE_NAME "/" PACKAGE_VERSION);
	curl_easy_setopt(call->easy, CURLOPT_ACCEPT_ENCODING, NULL);
	/* The file is read per transfer, so a reload that changes it takes
	 * effect at once; the system's CA directory stays in use beside it. */
	if (req->ca_file)
		curl_easy_setopt(call->easy, CURLOPT_CAINFO, req->ca_file);
	if (req->post_body) {
		call->post_body = strdup(req->post_body);
		if (call->post_body == NULL)
			goto nomem_call;
		curl_easy_setopt(call->easy, CURLOPT_POSTFIELDS, call->post_body);
		curl_easy_setopt(call->easy, CURLOPT_POSTFIELDSIZE, (long)strlen(call->post_body));
	}

	call->next = client->calls;
	if (client->calls)
		client->calls->prev = call;
	client->calls = call;
	client->n_calls++;
	if (curl_multi_add_handle(client->multi, call->easy) != CURLM_OK) {
		call_free(call);
		br_error_set(err, BR_E_INTERNAL, "cannot start a request to the %s", what);
		return NULL;
	}
	return call;

nomem_call:
	if (call->easy)
		curl_easy_cleanup(call->easy);
	headers_free(call->headers);
	free(call->post_body);
	free(call);
nomem:
	br_error_set(err, BR_E_NOMEM, "out of memory");
	return NULL;
}

void br_http_cancel(struct br_http_call *call)
{
	if (call)
		call_free(call);
}

size_t br_http_client_pending(const struct br_http_client *client)
{
	return client->n_calls;
}

char *br_http_form_encode(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(s);
	char *out = malloc(3 * n + 1);
	char *o = out;

	if (out == NULL)
		return NULL;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
			*o++ = (char)c;
		} else if (c == ' ') {
			*o++ = '+';
		} else {
			*o++ = '%';
			*o++ = hex[c >> 4];
			*o++ = hex[c & 15];
		}
	}
	*o = '\0';
	return out;
}
