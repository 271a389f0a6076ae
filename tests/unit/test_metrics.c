/* test_metrics.c - the Prometheus text of /metrics, byte for byte, for
 * known counter and histogram values; counters stay exact under concurrent
 * updates from several threads. */
#include "config.h"

#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bridge/metrics.h"

#define P "jitsi_oidc_bridge_"
#define B(ep, le, n)                                                                               \
	P "idp_request_duration_seconds_bucket{endpoint=\"" ep "\",le=\"" le "\"} " n "\n"
#define SUM(ep, v)   P "idp_request_duration_seconds_sum{endpoint=\"" ep "\"} " v "\n"
#define COUNT(ep, n) P "idp_request_duration_seconds_count{endpoint=\"" ep "\"} " n "\n"

/* The value of the sample line that starts with name (labels included). */
static unsigned long sample(const char *text, const char *name)
{
	size_t n = strlen(name);

	for (const char *l = text; l != NULL && *l != '\0'; l = strchr(l, '\n'), l = l ? l + 1 : l)
		if (strncmp(l, name, n) == 0 && l[n] == ' ')
			return strtoul(l + n + 1, NULL, 10);
	fail_msg("no sample %s", name);
	return 0;
}

/* Runs first: the counters start at zero in a fresh process. */
static void test_render_exact(void **state)
{
	static const char want[] =
	        "# HELP " P "build_info Build information.\n"
	        "# TYPE " P "build_info gauge\n" P "build_info{version=\"" PACKAGE_VERSION "\"} 1\n"
	        "# HELP " P "logins_started_total Logins sent to the identity provider.\n"
	        "# TYPE " P "logins_started_total counter\n" P "logins_started_total 3\n"
	        "# HELP " P "logins_completed_total Logins that ended with a Jitsi token.\n"
	        "# TYPE " P "logins_completed_total counter\n" P "logins_completed_total 1\n"
	        "# HELP " P
	        "logins_denied_total Logins denied by the rules or the identity provider.\n"
	        "# TYPE " P "logins_denied_total counter\n" P "logins_denied_total 1\n"
	        "# HELP " P "logins_failed_total Logins that failed, by reason.\n"
	        "# TYPE " P "logins_failed_total counter\n" P
	        "logins_failed_total{reason=\"state\"} 1\n" P
	        "logins_failed_total{reason=\"idp_error\"} 0\n" P
	        "logins_failed_total{reason=\"invalid_token\"} 0\n" P
	        "logins_failed_total{reason=\"unavailable\"} 0\n" P
	        "logins_failed_total{reason=\"timeout\"} 1\n" P
	        "logins_failed_total{reason=\"claims\"} 2\n" P
	        "logins_failed_total{reason=\"internal\"} 0\n"
	        "# HELP " P "renewals_total Renewals through a handle (inline mode), by result.\n"
	        "# TYPE " P "renewals_total counter\n" P
	        "renewals_total{result=\"refreshed\"} 2\n" P
	        "renewals_total{result=\"prompt_none\"} 0\n" P
	        "renewals_total{result=\"refused\"} 1\n" P "renewals_total{result=\"denied\"} 0\n" P
	        "renewals_total{result=\"failed\"} 0\n"
	        "# HELP " P
	        "idp_request_duration_seconds Requests to the identity provider, by endpoint.\n"
	        "# TYPE " P
	        "idp_request_duration_seconds histogram\n" B("discovery", "0.005", "0") B(
	                "discovery", "0.01",
	                "0") B("discovery", "0.025",
	                       "0") B("discovery", "0.05",
	                              "0") B("discovery", "0.1",
	                                     "1") B("discovery", "0.25",
	                                            "1") B("discovery", "0.5",
	                                                   "1") B("discovery", "1",
	                                                          "1") B("discovery", "2.5",
	                                                                 "1") B("discovery", "5",
	                                                                        "1") B("discovery",
	                                                                               "10", "1")
	                B("discovery", "+Inf", "1") SUM("discovery", "0.062500") COUNT("discovery", "1") B(
	                        "jwks",
	                        "0.005",
	                        "1") B("jwks", "0.01",
	                               "1") B("jwks", "0.025",
	                                      "1") B("jwks", "0.05",
	                                             "1") B("jwks", "0.1",
	                                                    "1") B("jwks", "0.25",
	                                                           "1") B("jwks", "0.5", "2")
	                        B("jwks", "1", "2") B("jwks", "2.5", "2") B("jwks", "5", "2") B(
	                                "jwks",
	                                "10", "2") B("jwks", "+Inf",
	                                             "2") SUM("jwks",
	                                                      "0.505000") COUNT("jwks", "2")
	                                B("token", "0.005", "0") B("token", "0.01", "0") B(
	                                        "token",
	                                        "0.025",
	                                        "0") B("token", "0.05",
	                                               "0") B("token", "0.1",
	                                                      "0") B("token", "0.25",
	                                                             "0") B("token", "0.5", "1")
	                                        B("token", "1", "1") B("token", "2.5", "1") B(
	                                                "token",
	                                                "5",
	                                                "1") B("token", "10",
	                                                       "1") B("token", "+Inf",
	                                                              "2") SUM("token",
	                                                                       "12.500000") COUNT("token",
	                                                                                          "2")
	                                                B("userinfo", "0.005", "0") B("userinfo", "0.01", "0") B(
	                                                        "userinfo", "0.025",
	                                                        "0") B("userinfo", "0.05",
	                                                               "0") B("userinfo", "0.1",
	                                                                      "0") B("userinfo",
	                                                                             "0.25", "0")
	                                                        B("userinfo", "0.5", "0") B(
	                                                                "userinfo", "1",
	                                                                "0") B("userinfo", "2.5",
	                                                                       "0") B("userinfo",
	                                                                              "5", "0")
	                                                                B("userinfo", "10", "0") B(
	                                                                        "user"
	                                                                        "inf"
	                                                                        "o",
	                                                                        "+In"
	                                                                        "f",
	                                                                        "0") SUM("userinfo",
	                                                                                 "0."
	                                                                                 "00"
	                                                                                 "00"
	                                                                                 "0"
	                                                                                 "0")
	                                                                        COUNT("userinfo",
	                                                                              "0") "# "
	                                                                                   "HELP"
	                                                                                   " " P
	                                                                                   "jwks_"
	                                                                                   "refre"
	                                                                                   "shes_"
	                                                                                   "total"
	                                                                                   " Fetc"
	                                                                                   "hes "
	                                                                                   "of "
	                                                                                   "the "
	                                                                                   "provi"
	                                                                                   "der'"
	                                                                                   "s "
	                                                                                   "JWKS."
	                                                                                   "\n"
	                                                                                   "# "
	                                                                                   "TYPE"
	                                                                                   " " P
	                                                                                   "jwks_"
	                                                                                   "refre"
	                                                                                   "shes_"
	                                                                                   "total"
	                                                                                   " coun"
	                                                                                   "ter"
	                                                                                   "\n" P
	                                                                                   "jwks_"
	                                                                                   "refre"
	                                                                                   "shes_"
	                                                                                   "total"
	                                                                                   "{resu"
	                                                                                   "lt="
	                                                                                   "\"ok"
	                                                                                   "\"} "
	                                                                                   "2\n" P
	                                                                                   "jwks_"
	                                                                                   "refre"
	                                                                                   "shes_"
	                                                                                   "total"
	                                                                                   "{resu"
	                                                                                   "lt="
	                                                                                   "\"fai"
	                                                                                   "led\""
	                                                                                   "} 1\n"
	                                                                                   "# "
	                                                                                   "HELP"
	                                                                                   " " P
	                                                                                   "disco"
	                                                                                   "very_"
	                                                                                   "up "
	                                                                                   "Wheth"
	                                                                                   "er "
	                                                                                   "the "
	                                                                                   "last "
	                                                                                   "disco"
	                                                                                   "very "
	                                                                                   "succe"
	                                                                                   "eded."
	                                                                                   "\n"
	                                                                                   "# "
	                                                                                   "TYPE"
	                                                                                   " " P
	                                                                                   "disco"
	                                                                                   "very_"
	                                                                                   "up "
	                                                                                   "gauge"
	                                                                                   "\n" P
	                                                                                   "disco"
	                                                                                   "very_"
	                                                                                   "up "
	                                                                                   "1\n"
	                                                                                   "# "
	                                                                                   "HELP"
	                                                                                   " " P
	                                                                                   "conne"
	                                                                                   "ction"
	                                                                                   "s "
	                                                                                   "Open "
	                                                                                   "clien"
	                                                                                   "t "
	                                                                                   "conne"
	                                                                                   "ction"
	                                                                                   "s.\n"
	                                                                                   "# "
	                                                                                   "TYPE"
	                                                                                   " " P
	                                                                                   "conne"
	                                                                                   "ction"
	                                                                                   "s "
	                                                                                   "gauge"
	                                                                                   "\n" P
	                                                                                   "conne"
	                                                                                   "ction"
	                                                                                   "s 2\n"
	                                                                                   "# "
	                                                                                   "HELP"
	                                                                                   " " P
	                                                                                   "http_"
	                                                                                   "respo"
	                                                                                   "nses_"
	                                                                                   "total"
	                                                                                   " Resp"
	                                                                                   "onses"
	                                                                                   ", by "
	                                                                                   "statu"
	                                                                                   "s "
	                                                                                   "class"
	                                                                                   ".\n"
	                                                                                   "# "
	                                                                                   "TYPE"
	                                                                                   " " P
	                                                                                   "http_"
	                                                                                   "respo"
	                                                                                   "nses_"
	                                                                                   "total"
	                                                                                   " coun"
	                                                                                   "ter"
	                                                                                   "\n" P
	                                                                                   "http_"
	                                                                                   "respo"
	                                                                                   "nses_"
	                                                                                   "total"
	                                                                                   "{code"
	                                                                                   "=\"1x"
	                                                                                   "x\"} "
	                                                                                   "0\n" P
	                                                                                   "http_"
	                                                                                   "respo"
	                                                                                   "nses_"
	                                                                                   "total"
	                                                                                   "{code"
	                                                                                   "=\"2x"
	                                                                                   "x\"} "
	                                                                                   "2\n" P
	                                                                                   "http_"
	                                                                                   "respo"
	                                                                                   "nses_"
	                                                                                   "total"
	                                                                                   "{code"
	                                                                                   "=\"3x"
	                                                                                   "x\"} "
	                                                                                   "1\n" P
	                                                                                   "http_"
	                                                                                   "respo"
	                                                                                   "nses_"
	                                                                                   "total"
	                                                                                   "{code"
	                                                                                   "=\"4x"
	                                                                                   "x\"} "
	                                                                                   "1\n" P
	                                                                                   "http_"
	                                                                                   "respo"
	                                                                                   "nses_"
	                                                                                   "total"
	                                                                                   "{code"
	                                                                                   "=\"5x"
	                                                                                   "x\"} "
	                                                                                   "1\n";
	size_t len = 0;
	char *got;

	for (int i = 0; i < 3; i++)
		br_metrics_login_started();
	br_metrics_login_completed();
	br_metrics_login_denied();
	br_metrics_login_failed(BR_METRICS_FAIL_STATE);
	br_metrics_login_failed(BR_METRICS_FAIL_TIMEOUT);
	br_metrics_login_failed(BR_METRICS_FAIL_CLAIMS);
	br_metrics_login_failed(BR_METRICS_FAIL_CLAIMS);
	br_metrics_login_failed(BR_METRICS_FAIL_COUNT); /* out of range: ignored */
	br_metrics_renewal(BR_METRICS_RENEWAL_REFRESHED);
	br_metrics_renewal(BR_METRICS_RENEWAL_REFRESHED);
	br_metrics_renewal(BR_METRICS_RENEWAL_REFUSED);
	br_metrics_renewal(BR_METRICS_RENEWAL_COUNT); /* out of range: ignored */
	/* A value on a bucket's bound counts in that bucket (le is "<="). */
	br_metrics_idp_latency(BR_METRICS_EP_DISCOVERY, 0.0625);
	br_metrics_idp_latency(BR_METRICS_EP_JWKS, 0.005);
	br_metrics_idp_latency(BR_METRICS_EP_JWKS, 0.5);
	br_metrics_idp_latency(BR_METRICS_EP_TOKEN, 0.5);
	br_metrics_idp_latency(BR_METRICS_EP_TOKEN, 12);    /* beyond the last bound: +Inf only */
	br_metrics_idp_latency(BR_METRICS_EP_USERINFO, -1); /* ignored */
	br_metrics_idp_latency(BR_METRICS_EP_COUNT, 1);     /* ignored */
	br_metrics_jwks_refresh(true);
	br_metrics_jwks_refresh(false);
	br_metrics_jwks_refresh(true);
	br_metrics_discovery_state(false);
	br_metrics_discovery_state(true);
	br_metrics_connections(3);
	br_metrics_connections(-1);
	br_metrics_http_response(200);
	br_metrics_http_response(204);
	br_metrics_http_response(302);
	br_metrics_http_response(404);
	br_metrics_http_response(503);
	br_metrics_http_response(99);  /* no class: ignored */
	br_metrics_http_response(600); /* no class: ignored */

	got = br_metrics_render(&len);
	assert_non_null(got);
	assert_string_equal(got, want);
	assert_int_equal(len, strlen(want));
	free(got);

	br_metrics_discovery_state(false);
	got = br_metrics_render(&len);
	assert_int_equal(sample(got, P "discovery_up"), 0);
	free(got);
}

static void test_failure_names(void **state)
{
	static const char *const want[BR_METRICS_FAIL_COUNT] = {
	        "state",   "idp_error", "invalid_token", "unavailable",
	        "timeout", "claims",    "internal"};

	for (int i = 0; i < BR_METRICS_FAIL_COUNT; i++)
		assert_string_equal(br_metrics_failure_name((enum br_metrics_failure)i), want[i]);
	assert_string_equal(br_metrics_failure_name(BR_METRICS_FAIL_COUNT), "unknown");
}

#define THREADS 4
#define ROUNDS  50000

static void *hammer(void *arg)
{
	for (int i = 0; i < ROUNDS; i++) {
		br_metrics_login_started();
		br_metrics_idp_latency(BR_METRICS_EP_USERINFO, 0.25);
		br_metrics_connections(1);
		br_metrics_connections(-1);
	}
	return arg;
}

/* Every worker thread updates the same counters: none may be lost. */
static void test_concurrent_updates(void **state)
{
	pthread_t t[THREADS];
	size_t len;
	char *before = br_metrics_render(&len);
	unsigned long started = sample(before, P "logins_started_total");
	unsigned long conns = sample(before, P "connections");
	char *after;

	for (int i = 0; i < THREADS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, hammer, NULL), 0);
	for (int i = 0; i < THREADS; i++)
		assert_int_equal(pthread_join(t[i], NULL), 0);
	after = br_metrics_render(&len);
	assert_int_equal(sample(after, P "logins_started_total"), started + THREADS * ROUNDS);
	assert_int_equal(sample(after, P "connections"), conns);
	assert_int_equal(sample(after,
	                        P "idp_request_duration_seconds_bucket{endpoint=\"userinfo\","
	                          "le=\"0.1\"}"),
	                 0);
	assert_int_equal(sample(after,
	                        P "idp_request_duration_seconds_bucket{endpoint=\"userinfo\","
	                          "le=\"0.25\"}"),
	                 THREADS * ROUNDS);
	assert_int_equal(
	        sample(after, P "idp_request_duration_seconds_count{endpoint=\"userinfo\"}"),
	        THREADS * ROUNDS);
	assert_non_null(strstr(after, SUM("userinfo", "50000.000000")));
	free(before);
	free(after);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_render_exact),
	        cmocka_unit_test(test_failure_names),
	        cmocka_unit_test(test_concurrent_updates),
	};
	return cmocka_run_group_tests_name("metrics", tests, NULL, NULL);
}
