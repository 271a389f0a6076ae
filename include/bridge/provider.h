/*
 * provider.h - what the bridge knows of the identity provider: its metadata
 * (from discovery or the config) and its signing keys (JWKS), shared by all
 * workers and kept fresh in the background.
 *
 * Readers take references to the current metadata and key set under a short
 * mutex; fetches run on the event loop of the worker that needs them, so
 * nothing blocks.  Discovery and an empty key cache are retried with capped
 * backoff (1 s doubling to 30 s, +-20 % jitter).
 */
#ifndef BR_PROVIDER_H
#define BR_PROVIDER_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "bridge/configuration.h"
#include "bridge/discovery.h"
#include "bridge/error.h"

struct br_provider;
struct br_jwks;
struct br_http_client;
struct event_base;

/* Rate limit of refetches forced by an unknown kid: the first is always
 * allowed; after one succeeds, others are refused for
 * BR_PROVIDER_REFETCH_INTERVAL seconds; a failed refetch does not start the
 * window, so an outage never locks new keys out.  Zero-initialise.  Not
 * locked: share one per provider under the caller's lock. */
#define BR_PROVIDER_REFETCH_INTERVAL 60
struct br_provider_refetch {
	bool succeeded;
	time_t last_success;
};
bool br_provider_refetch_allowed(const struct br_provider_refetch *r, time_t now);
void br_provider_refetch_succeeded(struct br_provider_refetch *r, time_t now);

/* Retry delays while a cache (JWKS, discovery) is empty: 1 s doubling to
 * 30 s, each with ±20 % jitter.  Zero-initialise or br_backoff_reset(). */
#define BR_BACKOFF_FIRST_MS 1000L
#define BR_BACKOFF_MAX_MS   30000L
struct br_backoff {
	long next_ms; /* the un-jittered next delay; 0 means the first */
};
/* The delay in milliseconds before the next attempt. */
long br_backoff_next(struct br_backoff *b);
void br_backoff_reset(struct br_backoff *b);

/* Creates the provider state for cfg; it copies what it needs (it may
 * outlive cfg when a reload keeps it).  Nothing is fetched until
 * br_provider_start(). */
struct br_provider *br_provider_new(const struct br_config *cfg, struct br_error *err);
struct br_provider *br_provider_ref(struct br_provider *p);
void br_provider_unref(struct br_provider *p);

/* A reload's new provider p takes over from prev (the running one): until p
 * has metadata and keys of its own, or its first attempt at them failed,
 * br_provider_ready(), _meta(), _keys() and _refetch_keys() on p answer
 * with prev's, so sign-in stays available while p's discovery runs.  p
 * holds a reference to prev until then.  Call before p is shared. */
void br_provider_take_over(struct br_provider *p, struct br_provider *prev);

/* Whether two configs describe the same provider (so a reload can keep the
 * provider state and its caches). */
bool br_provider_same(const struct br_config *a, const struct br_config *b);

/* Starts discovery (or takes the configured endpoints) and the first JWKS
 * fetch on the loop of base with client, and keeps them fresh there.  Call
 * once, from that loop's thread. */
void br_provider_start(struct br_provider *p, struct event_base *base,
                       struct br_http_client *client);

/* Stops background timers and fetches of p and of the providers it is
 * still taking over from (before the loop goes away). */
void br_provider_stop(struct br_provider *p);

/* Whether metadata and at least one usable key are loaded; otherwise the
 * reason, for /healthz and error pages: the missing part only ("provider
 * metadata not loaded", "provider keys not loaded"), never transport error
 * text, which is logged. */
bool br_provider_ready(struct br_provider *p, char *reason, size_t cap);

/* New references to the current metadata / key set, or NULL (with err:
 * BR_E_UNAVAILABLE and the reason) when not loaded yet. */
struct br_provider_meta *br_provider_meta(struct br_provider *p, struct br_error *err);
void br_provider_meta_unref(struct br_provider_meta *m);
struct br_jwks *br_provider_keys(struct br_provider *p, struct br_error *err);

/* Asks for a JWKS refetch because an ID token names a key we do not have.
 * Rate-limited per DESIGN.md; done(arg, refetched) runs on base's loop once
 * the refetch ended (refetched false: not allowed now, or it failed). */
void br_provider_refetch_keys(struct br_provider *p, struct event_base *base,
                              struct br_http_client *client,
                              void (*done)(void *arg, bool refetched), void *arg);

#endif
