/*
 * provider.c - the identity provider's metadata and keys, shared by all
 * workers and refreshed in the background.
 *
 * Background work (discovery, the scheduled JWKS refresh, retries) runs on
 * one home loop.  A refetch forced by an unknown kid runs on the loop of the
 * worker that met it; concurrent ones are coalesced and every waiter is told
 * on its own loop.  Shared fields are guarded by one mutex that is only held
 * to swap or copy pointers.
 *
 * A provider made by a reload takes over from the one before it
 * (br_provider_take_over): until it has metadata and keys of its own, or its
 * first attempt at them failed, every reader is served by its predecessor,
 * so a reload never makes sign-in unavailable while discovery runs.
 * /healthz and error pages name the part that is missing, never the
 * transport error, which goes to the log.
 */
#include "config.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>
#include <openssl/rand.h>

#include "bridge/discovery.h"
#include "bridge/http_client.h"
#include "bridge/jwks.h"
#include "bridge/log.h"
#include "bridge/metrics.h"
#include "bridge/provider.h"

#define META_REFRESH_S (60 * 60)
#define JWKS_REFRESH_S (10 * 60)

/* What /healthz and the error pages say; the details go to the log. */
#define REASON_META "provider metadata not loaded"
#define REASON_KEYS "provider keys not loaded"

struct waiter {
	struct event_base *base;
	void (*done)(void *arg, bool refetched);
	void *arg;
	bool refetched;
	struct waiter *next;
};

struct br_provider {
	int refs; /* atomic */
	pthread_mutex_t lock;
	struct br_config cfg_copy; /* only the strings below are set */
	char *discovery_url;
	long timeout_ms;
	bool discovery;

	/* under lock */
	struct br_provider_meta *meta;
	struct br_jwks *jwks;
	char reason[BR_ERROR_MSG_MAX];
	struct br_provider_refetch refetch;
	bool refetching;
	struct waiter *waiters;
	char *last_skipped;       /* the skipped-key reasons last logged */
	struct br_provider *prev; /* serves readers until this one is ready */

	/* home loop only */
	struct event_base *base;
	struct br_http_client *client;
	struct event *timer;
	struct br_http_call *call;
	struct br_backoff backoff;
	time_t meta_at; /* when the metadata was last fetched */
	bool started;
};

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

bool br_provider_same(const struct br_config *a, const struct br_config *b)
{
#define SAME(f) ((a->f == NULL && b->f == NULL) || (a->f && b->f && strcmp(a->f, b->f) == 0))
	return SAME(issuer) && a->discovery == b->discovery && SAME(authorization_endpoint) &&
	       SAME(token_endpoint) && SAME(userinfo_endpoint) && SAME(jwks_uri) &&
	       SAME(end_session_endpoint) && SAME(id_token_algs) && SAME(ca_file) &&
	       a->timeout == b->timeout;
#undef SAME
}

struct br_provider *br_provider_new(const struct br_config *cfg, struct br_error *err)
{
	struct br_provider *p = calloc(1, sizeof(*p));

	if (p == NULL)
		goto nomem;
	p->refs = 1;
	pthread_mutex_init(&p->lock, NULL);
	p->discovery = cfg->discovery;
	p->timeout_ms = cfg->timeout * 1000;
	p->cfg_copy.issuer = strdup(cfg->issuer);
	p->cfg_copy.discovery = cfg->discovery;
	p->cfg_copy.authorization_endpoint = dup_or_null(cfg->authorization_endpoint);
	p->cfg_copy.token_endpoint = dup_or_null(cfg->token_endpoint);
	p->cfg_copy.userinfo_endpoint = dup_or_null(cfg->userinfo_endpoint);
	p->cfg_copy.jwks_uri = dup_or_null(cfg->jwks_uri);
	p->cfg_copy.end_session_endpoint = dup_or_null(cfg->end_session_endpoint);
	p->cfg_copy.id_token_algs = dup_or_null(cfg->id_token_algs);
	p->cfg_copy.ca_file = dup_or_null(cfg->ca_file);
	p->discovery_url = br_discovery_url(cfg->issuer);
	if (p->cfg_copy.issuer == NULL || p->discovery_url == NULL)
		goto nomem;
	snprintf(p->reason, sizeof(p->reason), "%s", REASON_META);
	return p;
nomem:
	br_error_set(err, BR_E_NOMEM, "out of memory");
	br_provider_unref(p);
	return NULL;
}

struct br_provider *br_provider_ref(struct br_provider *p)
{
	__atomic_add_fetch(&p->refs, 1, __ATOMIC_RELAXED);
	return p;
}

static void stop_one(struct br_provider *p);

static void provider_free(struct br_provider *p)
{
	stop_one(p);
	br_provider_unref(p->prev);
	br_provider_meta_unref(p->meta);
	br_jwks_unref(p->jwks);
	while (p->waiters) {
		struct waiter *w = p->waiters;
		p->waiters = w->next;
		free(w);
	}
	free(p->last_skipped);
	free(p->discovery_url);
	free(p->cfg_copy.issuer);
	free(p->cfg_copy.authorization_endpoint);
	free(p->cfg_copy.token_endpoint);
	free(p->cfg_copy.userinfo_endpoint);
	free(p->cfg_copy.jwks_uri);
	free(p->cfg_copy.end_session_endpoint);
	free(p->cfg_copy.id_token_algs);
	free(p->cfg_copy.ca_file);
	pthread_mutex_destroy(&p->lock);
	free(p);
}

static void free_on_home_loop(evutil_socket_t fd, short what, void *arg)
{
	provider_free(arg);
}

/* The last reference may go on any thread (a request ending, a reload), but
 * the provider's timer and fetch belong to its home loop: free it there. */
void br_provider_unref(struct br_provider *p)
{
	if (p == NULL || __atomic_sub_fetch(&p->refs, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	if (p->started && event_base_once(p->base, -1, EV_TIMEOUT, free_on_home_loop, p, NULL) == 0)
		return;
	provider_free(p);
}

void br_provider_meta_unref(struct br_provider_meta *m)
{
	if (m && __atomic_sub_fetch(&m->refs, 1, __ATOMIC_ACQ_REL) == 0)
		br_provider_meta_free(m);
}

void br_provider_take_over(struct br_provider *p, struct br_provider *prev)
{
	pthread_mutex_lock(&p->lock);
	br_provider_unref(p->prev);
	p->prev = prev ? br_provider_ref(prev) : NULL;
	pthread_mutex_unlock(&p->lock);
}

/* The provider still taking over from another: a new reference to that
 * one, which serves readers meanwhile; NULL once p serves itself. */
static struct br_provider *serving_prev(struct br_provider *p)
{
	struct br_provider *prev;

	pthread_mutex_lock(&p->lock);
	prev = p->prev ? br_provider_ref(p->prev) : NULL;
	pthread_mutex_unlock(&p->lock);
	return prev;
}

/* p is ready, or its first attempt failed: from now on it serves alone. */
static void end_take_over(struct br_provider *p, bool ready)
{
	struct br_provider *prev;

	pthread_mutex_lock(&p->lock);
	prev = p->prev;
	p->prev = NULL;
	pthread_mutex_unlock(&p->lock);
	if (prev == NULL)
		return;
	br_log(ready ? BR_LOG_INFO : BR_LOG_WARN,
	       ready ? "the reloaded provider configuration took over"
	             : "the reloaded provider configuration failed; it takes over anyway",
	       "issuer", p->cfg_copy.issuer, (char *)NULL);
	br_provider_unref(prev);
}

bool br_provider_ready(struct br_provider *p, char *reason, size_t cap)
{
	struct br_provider *prev = serving_prev(p);
	bool ready;

	if (prev) {
		ready = br_provider_ready(prev, reason, cap);
		br_provider_unref(prev);
		return ready;
	}
	pthread_mutex_lock(&p->lock);
	ready = p->meta != NULL && br_jwks_count(p->jwks) > 0;
	if (!ready && reason && cap)
		snprintf(reason, cap, "%s", p->reason);
	pthread_mutex_unlock(&p->lock);
	return ready;
}

struct br_provider_meta *br_provider_meta(struct br_provider *p, struct br_error *err)
{
	struct br_provider *prev = serving_prev(p);
	struct br_provider_meta *m;

	if (prev) {
		m = br_provider_meta(prev, err);
		br_provider_unref(prev);
		return m;
	}
	pthread_mutex_lock(&p->lock);
	m = p->meta;
	if (m)
		__atomic_add_fetch(&m->refs, 1, __ATOMIC_RELAXED);
	else
		br_error_set(err, BR_E_UNAVAILABLE, "sign-in is temporarily unavailable: %s",
		             p->reason);
	pthread_mutex_unlock(&p->lock);
	return m;
}

struct br_jwks *br_provider_keys(struct br_provider *p, struct br_error *err)
{
	struct br_provider *prev = serving_prev(p);
	struct br_jwks *k = NULL;

	if (prev) {
		k = br_provider_keys(prev, err);
		br_provider_unref(prev);
		return k;
	}
	pthread_mutex_lock(&p->lock);
	if (br_jwks_count(p->jwks) > 0)
		k = br_jwks_ref(p->jwks);
	else
		br_error_set(err, BR_E_UNAVAILABLE, "sign-in is temporarily unavailable: %s",
		             p->reason);
	pthread_mutex_unlock(&p->lock);
	return k;
}

/* A background step failed: reason is what readers are told (the caller
 * logs the details).  A provider taking over from another stops waiting. */
static void failed(struct br_provider *p, const char *reason)
{
	pthread_mutex_lock(&p->lock);
	snprintf(p->reason, sizeof(p->reason), "%s", reason);
	pthread_mutex_unlock(&p->lock);
	end_take_over(p, false);
}

static void schedule(struct br_provider *p, long ms)
{
	struct timeval tv = {ms / 1000, (ms % 1000) * 1000};

	if (p->timer)
		evtimer_add(p->timer, &tv);
}

static void fetch_meta(struct br_provider *p);
static void fetch_jwks_home(struct br_provider *p);

/* Publishes new metadata (stealing m's reference) and fetches its keys. */
static void install_meta(struct br_provider *p, struct br_provider_meta *m)
{
	pthread_mutex_lock(&p->lock);
	br_provider_meta_unref(p->meta);
	p->meta = m;
	pthread_mutex_unlock(&p->lock);
	p->meta_at = time(NULL);
	br_metrics_discovery_state(true);
	br_backoff_reset(&p->backoff);
	fetch_jwks_home(p);
}

/* Installs a freshly fetched key set; logs the keys it had to skip when
 * they differ from the last time.  Returns the number of usable keys. */
static size_t install_jwks(struct br_provider *p, struct br_jwks *set)
{
	size_t n = br_jwks_count(set);
	size_t cap = 1, len = 0;
	char *skipped;

	for (size_t i = 0; i < br_jwks_skipped_count(set); i++)
		cap += strlen(br_jwks_skipped(set, i)) + 2;
	skipped = malloc(cap);
	if (skipped) {
		skipped[0] = '\0';
		for (size_t i = 0; i < br_jwks_skipped_count(set); i++)
			len += (size_t)snprintf(skipped + len, cap - len, "%s%s", i ? "; " : "",
			                        br_jwks_skipped(set, i));
	}
	pthread_mutex_lock(&p->lock);
	if (n > 0) {
		br_jwks_unref(p->jwks);
		p->jwks = br_jwks_ref(set);
	} else {
		snprintf(p->reason, sizeof(p->reason), "%s", REASON_KEYS);
	}
	if (skipped && len > 0 && (p->last_skipped == NULL || strcmp(p->last_skipped, skipped))) {
		br_log(BR_LOG_WARN, "skipping unusable keys of the provider's JWKS", "keys",
		       skipped, (char *)NULL);
		free(p->last_skipped);
		p->last_skipped = skipped;
		skipped = NULL;
	}
	pthread_mutex_unlock(&p->lock);
	free(skipped);
	if (n == 0)
		br_log(BR_LOG_WARN, "the provider's JWKS has no usable key", (char *)NULL);
	return n;
}

static void meta_done(const struct br_http_response *resp, const struct br_error *herr, void *arg)
{
	struct br_provider *p = arg;
	struct br_provider_meta *m = NULL;
	struct br_error err;

	p->call = NULL;
	br_error_clear(&err);
	if (herr) {
		err = *herr;
	} else if (resp->status != 200) {
		br_error_set(&err, BR_E_PROTOCOL, "the discovery document answered HTTP %ld",
		             resp->status);
	} else {
		m = br_discovery_parse(resp->body, resp->len, &p->cfg_copy, &err);
	}
	if (resp)
		br_metrics_idp_latency(BR_METRICS_EP_DISCOVERY, resp->seconds);
	if (m == NULL) {
		long delay = br_backoff_next(&p->backoff);
		char d[32];
		snprintf(d, sizeof(d), "%ld", delay);
		br_metrics_discovery_state(false);
		br_log(BR_LOG_WARN, "provider discovery failed", "error", err.msg, "retry_ms", d,
		       (char *)NULL);
		failed(p, REASON_META);
		/* Keep serving with the metadata we had, if any. */
		schedule(p, delay);
		return;
	}
	br_log(BR_LOG_INFO, "provider discovered", "issuer", m->issuer, (char *)NULL);
	install_meta(p, m);
}

static void fetch_meta(struct br_provider *p)
{
	struct br_http_request req = {
	        .url = p->discovery_url,
	        .timeout_ms = p->timeout_ms,
	        .max_body = BR_DISCOVERY_MAX_BODY,
	        .what = "discovery endpoint",
	        .ca_file = p->cfg_copy.ca_file,
	};
	struct br_error err;

	if (!p->discovery) {
		struct br_provider_meta *m = br_discovery_from_config(&p->cfg_copy, &err);
		if (m == NULL) {
			br_log(BR_LOG_ERROR, "the provider endpoints are unusable", "error",
			       err.msg, (char *)NULL);
			failed(p, REASON_META);
			return;
		}
		install_meta(p, m);
		return;
	}
	p->call = br_http_fetch(p->client, &req, meta_done, p, &err);
	if (p->call == NULL) {
		br_log(BR_LOG_WARN, "provider discovery failed", "error", err.msg, (char *)NULL);
		failed(p, REASON_META);
		schedule(p, br_backoff_next(&p->backoff));
	}
}

/* A JWKS fetch: from the home loop (scheduled) or forced by a worker. */
struct jwks_fetch {
	struct br_provider *p;
	bool forced;
};

static void notify_waiters(struct br_provider *p, bool refetched);

static void jwks_done(const struct br_http_response *resp, const struct br_error *herr, void *arg)
{
	struct jwks_fetch *f = arg;
	struct br_provider *p = f->p;
	struct br_jwks *set = NULL;
	struct br_error err;
	size_t usable = 0;

	if (!f->forced)
		p->call = NULL;
	br_error_clear(&err);
	if (herr)
		err = *herr;
	else if (resp->status != 200)
		br_error_set(&err, BR_E_PROTOCOL, "the JWKS endpoint answered HTTP %ld",
		             resp->status);
	else
		set = br_jwks_parse(resp->body, resp->len, &err);
	if (resp)
		br_metrics_idp_latency(BR_METRICS_EP_JWKS, resp->seconds);
	if (set)
		usable = install_jwks(p, set);
	br_metrics_jwks_refresh(usable > 0);
	if (usable == 0 && set == NULL) {
		pthread_mutex_lock(&p->lock);
		snprintf(p->reason, sizeof(p->reason), "%s", REASON_KEYS);
		pthread_mutex_unlock(&p->lock);
		br_log(BR_LOG_WARN, "fetching the provider's JWKS failed", "error", err.msg,
		       (char *)NULL);
	}
	if (!f->forced) {
		bool ready;
		pthread_mutex_lock(&p->lock);
		ready = p->meta != NULL && br_jwks_count(p->jwks) > 0;
		pthread_mutex_unlock(&p->lock);
		/* Taking over, p has no keys of its own before this fetch:
		 * ready now, or this first attempt failed. */
		if (ready || usable == 0)
			end_take_over(p, ready);
	}
	br_jwks_unref(set);
	if (f->forced) {
		pthread_mutex_lock(&p->lock);
		if (usable > 0)
			br_provider_refetch_succeeded(&p->refetch, time(NULL));
		p->refetching = false;
		pthread_mutex_unlock(&p->lock);
		notify_waiters(p, usable > 0);
	} else if (usable > 0) {
		br_backoff_reset(&p->backoff);
		schedule(p, JWKS_REFRESH_S * 1000L);
	} else {
		schedule(p, br_backoff_next(&p->backoff));
	}
	br_provider_unref(p);
	free(f);
}

/* Fetches p's own keys from p's own jwks_uri: never from the metadata of
 * a provider p is taking over from (br_provider_meta() would answer with
 * that one's, and p would then trust the previous IdP's keys). */
static struct br_http_call *start_jwks(struct br_provider *p, struct br_http_client *client,
                                       bool forced, struct br_error *err)
{
	struct br_provider_meta *m;
	struct jwks_fetch *f;
	struct br_http_call *call = NULL;

	pthread_mutex_lock(&p->lock);
	m = p->meta;
	if (m)
		__atomic_add_fetch(&m->refs, 1, __ATOMIC_RELAXED);
	else
		br_error_set(err, BR_E_UNAVAILABLE, "%s", REASON_META);
	pthread_mutex_unlock(&p->lock);
	if (m == NULL)
		return NULL;
	f = malloc(sizeof(*f));
	if (f) {
		struct br_http_request req = {
		        .url = m->jwks_uri,
		        .timeout_ms = p->timeout_ms,
		        .max_body = BR_JWKS_MAX_BODY,
		        .what = "JWKS endpoint",
		        .ca_file = p->cfg_copy.ca_file,
		};
		f->p = br_provider_ref(p);
		f->forced = forced;
		call = br_http_fetch(client, &req, jwks_done, f, err);
		if (call == NULL) {
			br_provider_unref(p);
			free(f);
		}
	}
	br_provider_meta_unref(m);
	return call;
}

static void fetch_jwks_home(struct br_provider *p)
{
	struct br_error err;

	p->call = start_jwks(p, p->client, false, &err);
	if (p->call == NULL) {
		br_log(BR_LOG_WARN, "fetching the provider's JWKS failed", "error", err.msg,
		       (char *)NULL);
		failed(p, REASON_KEYS);
		schedule(p, br_backoff_next(&p->backoff));
	}
}

/* The home loop's one timer: retries after failures, and the scheduled
 * refreshes (the JWKS every 10 minutes, the metadata every hour). */
static void timer_cb(evutil_socket_t fd, short what, void *arg)
{
	struct br_provider *p = arg;
	bool have_meta;

	if (p->call)
		return;
	pthread_mutex_lock(&p->lock);
	have_meta = p->meta != NULL;
	pthread_mutex_unlock(&p->lock);
	if (!have_meta || time(NULL) - p->meta_at >= META_REFRESH_S)
		fetch_meta(p);
	else
		fetch_jwks_home(p);
}

void br_provider_start(struct br_provider *p, struct event_base *base,
                       struct br_http_client *client)
{
	if (p->started)
		return;
	p->started = true;
	p->base = base;
	p->client = client;
	p->timer = evtimer_new(base, timer_cb, p);
	fetch_meta(p);
}

static void stop_one(struct br_provider *p)
{
	if (!p->started)
		return;
	br_http_cancel(p->call);
	p->call = NULL;
	if (p->timer) {
		event_free(p->timer);
		p->timer = NULL;
	}
	p->started = false;
}

void br_provider_stop(struct br_provider *p)
{
	struct br_provider *prev = serving_prev(p);

	stop_one(p);
	if (prev) {
		br_provider_stop(prev);
		br_provider_unref(prev);
	}
}

static void waiter_cb(evutil_socket_t fd, short what, void *arg)
{
	struct waiter *w = arg;

	w->done(w->arg, w->refetched);
	free(w);
}

static void notify_waiters(struct br_provider *p, bool refetched)
{
	struct waiter *w;

	pthread_mutex_lock(&p->lock);
	w = p->waiters;
	p->waiters = NULL;
	pthread_mutex_unlock(&p->lock);
	while (w) {
		struct waiter *next = w->next;
		w->refetched = refetched;
		if (event_base_once(w->base, -1, EV_TIMEOUT, waiter_cb, w, NULL) != 0)
			waiter_cb(-1, 0, w);
		w = next;
	}
}

void br_provider_refetch_keys(struct br_provider *p, struct event_base *base,
                              struct br_http_client *client,
                              void (*done)(void *arg, bool refetched), void *arg)
{
	struct br_provider *prev = serving_prev(p);
	struct waiter *w;
	bool start = false;
	struct br_error err;

	if (prev) {
		/* the keys in use are the predecessor's: refetch those */
		br_provider_refetch_keys(prev, base, client, done, arg);
		br_provider_unref(prev);
		return;
	}
	w = calloc(1, sizeof(*w));
	if (w == NULL) {
		done(arg, false);
		return;
	}
	w->base = base;
	w->done = done;
	w->arg = arg;
	pthread_mutex_lock(&p->lock);
	if (!p->refetching && !br_provider_refetch_allowed(&p->refetch, time(NULL))) {
		pthread_mutex_unlock(&p->lock);
		free(w);
		done(arg, false);
		return;
	}
	w->next = p->waiters;
	p->waiters = w;
	if (!p->refetching) {
		p->refetching = true;
		start = true;
	}
	pthread_mutex_unlock(&p->lock);
	if (start && start_jwks(p, client, true, &err) == NULL) {
		pthread_mutex_lock(&p->lock);
		p->refetching = false;
		pthread_mutex_unlock(&p->lock);
		notify_waiters(p, false);
	}
}

/* --- refetch and retry policy ------------------------------------------------ */

bool br_provider_refetch_allowed(const struct br_provider_refetch *r, time_t now)
{
	if (!r->succeeded)
		return true;
	/* a clock stepping back must not block refetches for long */
	return now < r->last_success || now - r->last_success >= BR_PROVIDER_REFETCH_INTERVAL;
}

void br_provider_refetch_succeeded(struct br_provider_refetch *r, time_t now)
{
	r->succeeded = true;
	r->last_success = now;
}

long br_backoff_next(struct br_backoff *b)
{
	long base = b->next_ms > 0 ? b->next_ms : BR_BACKOFF_FIRST_MS;
	uint32_t rnd = 0;
	long jitter;

	b->next_ms = base >= BR_BACKOFF_MAX_MS / 2 ? BR_BACKOFF_MAX_MS : base * 2;
	if (RAND_bytes((unsigned char *)&rnd, sizeof(rnd)) != 1)
		return base;
	/* uniform in [-20 %, +20 %] of base */
	jitter = (long)(rnd % (uint32_t)(base * 2 / 5 + 1)) - base / 5;
	return base + jitter;
}

void br_backoff_reset(struct br_backoff *b)
{
	b->next_ms = 0;
}
