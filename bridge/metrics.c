/*
 * metrics.c - process-wide counters and histograms.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bridge/metrics.h"

static const double buckets[] = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
#define NBUCKETS (sizeof(buckets) / sizeof(buckets[0]))

static const char *const endpoint_names[BR_METRICS_EP_COUNT] = {"discovery", "jwks", "token",
                                                                "userinfo"};
static const char *const failure_names[BR_METRICS_FAIL_COUNT] = {
        "state", "idp_error", "invalid_token", "unavailable", "timeout", "claims", "internal"};

static const char *const renewal_names[BR_METRICS_RENEWAL_COUNT] = {"refreshed", "prompt_none",
                                                                    "refused", "denied", "failed"};

static unsigned long logins_started, logins_completed, logins_denied;
static unsigned long renewals[BR_METRICS_RENEWAL_COUNT];
static unsigned long logins_failed[BR_METRICS_FAIL_COUNT];
static unsigned long jwks_ok, jwks_failed;
static int discovery_ok;
static unsigned long responses[6]; /* by status class 1xx..5xx */
static long connections;

struct histogram {
	unsigned long counts[NBUCKETS + 1]; /* the last one is +Inf */
	unsigned long sum_us;
};
static struct histogram latency[BR_METRICS_EP_COUNT];

#define INC(x) __atomic_add_fetch(&(x), 1, __ATOMIC_RELAXED)
#define GET(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)

void br_metrics_login_started(void)
{
	INC(logins_started);
}

void br_metrics_login_completed(void)
{
	INC(logins_completed);
}

void br_metrics_login_denied(void)
{
	INC(logins_denied);
}

void br_metrics_renewal(enum br_metrics_renewal result)
{
	if (result < BR_METRICS_RENEWAL_COUNT)
		INC(renewals[result]);
}

void br_metrics_login_failed(enum br_metrics_failure why)
{
	if (why < BR_METRICS_FAIL_COUNT)
		INC(logins_failed[why]);
}

const char *br_metrics_failure_name(enum br_metrics_failure why)
{
	return why < BR_METRICS_FAIL_COUNT ? failure_names[why] : "unknown";
}

void br_metrics_idp_latency(enum br_metrics_endpoint ep, double seconds)
{
	size_t i;

	if (ep >= BR_METRICS_EP_COUNT || seconds < 0)
		return;
	for (i = 0; i < NBUCKETS && seconds > buckets[i]; i++)
		;
	INC(latency[ep].counts[i]);
	__atomic_add_fetch(&latency[ep].sum_us, (unsigned long)(seconds * 1e6), __ATOMIC_RELAXED);
}

void br_metrics_jwks_refresh(bool ok)
{
	if (ok)
		INC(jwks_ok);
	else
		INC(jwks_failed);
}

void br_metrics_discovery_state(bool ok)
{
	__atomic_store_n(&discovery_ok, ok ? 1 : 0, __ATOMIC_RELAXED);
}

void br_metrics_connections(int delta)
{
	__atomic_add_fetch(&connections, delta, __ATOMIC_RELAXED);
}

void br_metrics_http_response(int status)
{
	int cls = status / 100;

	if (cls >= 1 && cls <= 5)
		INC(responses[cls]);
}

char *br_metrics_render(size_t *len)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);

	if (f == NULL)
		return NULL;
	fprintf(f, "# HELP jitsi_oidc_bridge_build_info Build information.\n"
	           "# TYPE jitsi_oidc_bridge_build_info gauge\n"
	           "jitsi_oidc_bridge_build_info{version=\"" PACKAGE_VERSION "\"} 1\n");
	fprintf(f,
	        "# HELP jitsi_oidc_bridge_logins_started_total Logins sent to the identity "
	        "provider.\n"
	        "# TYPE jitsi_oidc_bridge_logins_started_total counter\n"
	        "jitsi_oidc_bridge_logins_started_total %lu\n"
	        "# HELP jitsi_oidc_bridge_logins_completed_total Logins that ended with a Jitsi "
	        "token.\n"
	        "# TYPE jitsi_oidc_bridge_logins_completed_total counter\n"
	        "jitsi_oidc_bridge_logins_completed_total %lu\n"
	        "# HELP jitsi_oidc_bridge_logins_denied_total Logins denied by the rules or the "
	        "identity provider.\n"
	        "# TYPE jitsi_oidc_bridge_logins_denied_total counter\n"
	        "jitsi_oidc_bridge_logins_denied_total %lu\n",
	        GET(logins_started), GET(logins_completed), GET(logins_denied));
	fprintf(f, "# HELP jitsi_oidc_bridge_logins_failed_total Logins that failed, by reason.\n"
	           "# TYPE jitsi_oidc_bridge_logins_failed_total counter\n");
	for (int i = 0; i < BR_METRICS_FAIL_COUNT; i++)
		fprintf(f, "jitsi_oidc_bridge_logins_failed_total{reason=\"%s\"} %lu\n",
		        failure_names[i], GET(logins_failed[i]));
	fprintf(f, "# HELP jitsi_oidc_bridge_renewals_total Renewals through a handle (inline "
	           "mode), by result.\n"
	           "# TYPE jitsi_oidc_bridge_renewals_total counter\n");
	for (int i = 0; i < BR_METRICS_RENEWAL_COUNT; i++)
		fprintf(f, "jitsi_oidc_bridge_renewals_total{result=\"%s\"} %lu\n",
		        renewal_names[i], GET(renewals[i]));
	fprintf(f, "# HELP jitsi_oidc_bridge_idp_request_duration_seconds Requests to the identity "
	           "provider, by endpoint.\n"
	           "# TYPE jitsi_oidc_bridge_idp_request_duration_seconds histogram\n");
	for (int e = 0; e < BR_METRICS_EP_COUNT; e++) {
		unsigned long cum = 0;
		for (size_t i = 0; i <= NBUCKETS; i++) {
			cum += GET(latency[e].counts[i]);
			if (i < NBUCKETS)
				fprintf(f,
				        "jitsi_oidc_bridge_idp_request_duration_seconds_bucket{"
				        "endpoint="
				        "\"%s\",le=\"%g\"} %lu\n",
				        endpoint_names[e], buckets[i], cum);
			else
				fprintf(f,
				        "jitsi_oidc_bridge_idp_request_duration_seconds_bucket{"
				        "endpoint="
				        "\"%s\",le=\"+Inf\"} %lu\n",
				        endpoint_names[e], cum);
		}
		fprintf(f,
		        "jitsi_oidc_bridge_idp_request_duration_seconds_sum{endpoint=\"%s\"} %.6f\n"
		        "jitsi_oidc_bridge_idp_request_duration_seconds_count{endpoint=\"%s\"} "
		        "%lu\n",
		        endpoint_names[e], (double)GET(latency[e].sum_us) / 1e6, endpoint_names[e],
		        cum);
	}
	fprintf(f,
	        "# HELP jitsi_oidc_bridge_jwks_refreshes_total Fetches of the provider's JWKS.\n"
	        "# TYPE jitsi_oidc_bridge_jwks_refreshes_total counter\n"
	        "jitsi_oidc_bridge_jwks_refreshes_total{result=\"ok\"} %lu\n"
	        "jitsi_oidc_bridge_jwks_refreshes_total{result=\"failed\"} %lu\n"
	        "# HELP jitsi_oidc_bridge_discovery_up Whether the last discovery succeeded.\n"
	        "# TYPE jitsi_oidc_bridge_discovery_up gauge\n"
	        "jitsi_oidc_bridge_discovery_up %d\n",
	        GET(jwks_ok), GET(jwks_failed), GET(discovery_ok));
	fprintf(f,
	        "# HELP jitsi_oidc_bridge_connections Open client connections.\n"
	        "# TYPE jitsi_oidc_bridge_connections gauge\n"
	        "jitsi_oidc_bridge_connections %ld\n",
	        GET(connections));
	fprintf(f, "# HELP jitsi_oidc_bridge_http_responses_total Responses, by status class.\n"
	           "# TYPE jitsi_oidc_bridge_http_responses_total counter\n");
	for (int c = 1; c <= 5; c++)
		fprintf(f, "jitsi_oidc_bridge_http_responses_total{code=\"%dxx\"} %lu\n", c,
		        GET(responses[c]));
	fclose(f);
	*len = size;
	return buf;
}
