/*
 * metrics.h - counters and histograms, Prometheus text at /metrics.
 *
 * Process-wide, lock-free (atomic adds), so every worker updates them
 * without contention.  Names follow Prometheus conventions:
 * jitsi_oidc_bridge_<what>_total, _seconds.
 */
#ifndef BR_METRICS_H
#define BR_METRICS_H

#include <stdbool.h>
#include <stddef.h>

enum br_metrics_endpoint {
	BR_METRICS_EP_DISCOVERY = 0,
	BR_METRICS_EP_JWKS,
	BR_METRICS_EP_TOKEN,
	BR_METRICS_EP_USERINFO,
	BR_METRICS_EP_COUNT
};

/* Why a login failed; the label of jitsi_oidc_bridge_logins_failed_total. */
enum br_metrics_failure {
	BR_METRICS_FAIL_STATE = 0, /* missing, expired or tampered login state */
	BR_METRICS_FAIL_IDP_ERROR, /* the IdP answered with an error */
	BR_METRICS_FAIL_TOKEN,     /* token endpoint or ID token invalid */
	BR_METRICS_FAIL_UNAVAILABLE,
	BR_METRICS_FAIL_TIMEOUT,
	BR_METRICS_FAIL_CLAIMS, /* mapping failed */
	BR_METRICS_FAIL_INTERNAL,
	BR_METRICS_FAIL_COUNT
};

/* How a renewal through a handle (Jitsi's inline mode) ended; the label of
 * jitsi_oidc_bridge_renewals_total. */
enum br_metrics_renewal {
	BR_METRICS_RENEWAL_REFRESHED = 0, /* a new token through the IdP's refresh token */
	BR_METRICS_RENEWAL_PROMPT_NONE,   /* no IdP refresh token: a silent sign-in started */
	BR_METRICS_RENEWAL_REFUSED,       /* the handle or the IdP refused: a sign-in started */
	BR_METRICS_RENEWAL_DENIED,        /* the rules said no */
	BR_METRICS_RENEWAL_FAILED,        /* the IdP unreachable, or an error of ours */
	BR_METRICS_RENEWAL_COUNT
};

void br_metrics_renewal(enum br_metrics_renewal result);

void br_metrics_login_started(void);
void br_metrics_login_completed(void);
void br_metrics_login_denied(void);
void br_metrics_login_failed(enum br_metrics_failure why);
void br_metrics_idp_latency(enum br_metrics_endpoint ep, double seconds);
void br_metrics_jwks_refresh(bool ok);
void br_metrics_discovery_state(bool ok);
void br_metrics_http_response(int status);
/* Open client connections (all workers): +1 on accept, -1 when released. */
void br_metrics_connections(int delta);

/* The metric name label of a failure reason ("state", "idp_error", ...). */
const char *br_metrics_failure_name(enum br_metrics_failure why);

/* The Prometheus text exposition of every metric: a new string (free()),
 * its length in *len. */
char *br_metrics_render(size_t *len);

#endif
