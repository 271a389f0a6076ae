/*
 * main.c - command line, worker threads, signals, reload, sd_notify.
 *
 * The main thread owns the signals: it blocks them before the workers start
 * and then waits for them with sigtimedwait(), waking once a second to feed
 * the systemd watchdog when every worker loop has shown a heartbeat.
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <getopt.h>
#include <locale.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <event2/event.h>
#include <event2/thread.h>

#include "bridge/cli.h"
#include "bridge/configuration.h"
#include "bridge/http_client.h"
#include "bridge/httpd.h"
#include "bridge/log.h"
#include "bridge/notify.h"
#include "bridge/oidc.h"
#include "bridge/provider.h"
#include "bridge/snapshot.h"

#define SHUTDOWN_GRACE_MS 4500

struct worker_thread {
	struct br_worker w;
	pthread_t thread;
	struct event *heartbeat_ev;
	struct event *drain_ev;
	unsigned long heartbeat; /* atomic */
	unsigned long seen;
	int done; /* atomic: the loop has ended */
};

static void notify(const char *state)
{
	if (br_notify(state) < 0)
		br_log(BR_LOG_WARN, "cannot notify systemd", "state", state, "error",
		       strerror(errno), (char *)NULL);
}

static void usage(FILE *out)
{
	fprintf(out,
	        "usage: jitsi-oidc-bridge [-c FILE]                run the bridge\n"
	        "       jitsi-oidc-bridge -c FILE --check          check the config and the "
	        "identity "
	        "provider,\n"
	        "                                                  print the Jitsi-side settings\n"
	        "       jitsi-oidc-bridge --generate-key FILE [--bits N]\n"
	        "       jitsi-oidc-bridge -c FILE --issue-token --room R [--tenant T] --claims "
	        "FILE.json\n"
	        "       jitsi-oidc-bridge --help | --version\n"
	        "The default config file is " BR_CONFIG_DEFAULT_PATH ".\n");
}

static void heartbeat_cb(evutil_socket_t fd, short what, void *arg)
{
	struct worker_thread *t = arg;

	__atomic_add_fetch(&t->heartbeat, 1, __ATOMIC_RELAXED);
}

static void drain_cb(evutil_socket_t fd, short what, void *arg)
{
	struct worker_thread *t = arg;

	if (t->w.inflight == 0)
		event_base_loopexit(t->w.base, NULL);
}

/* Runs on the worker's loop: stop accepting, exit once idle. */
static void stop_cb(evutil_socket_t fd, short what, void *arg)
{
	struct worker_thread *t = arg;
	struct timeval tick = {0, 20000};

	br_httpd_stop_accepting(t->w.httpd);
	t->drain_ev = event_new(t->w.base, -1, EV_PERSIST, drain_cb, t);
	if (t->drain_ev)
		event_add(t->drain_ev, &tick);
	else
		event_base_loopexit(t->w.base, NULL);
}

struct start_arg {
	struct br_provider *provider;
	struct worker_thread *t;
};

static void start_provider_cb(evutil_socket_t fd, short what, void *arg)
{
	struct start_arg *sa = arg;

	br_provider_start(sa->provider, sa->t->w.base, sa->t->w.client);
	br_provider_unref(sa->provider);
	free(sa);
}

/* Starts a provider's background work on worker 0, from any thread. */
static void start_provider_on(struct worker_thread *t, struct br_provider *p)
{
	struct start_arg *sa = malloc(sizeof(*sa));

	if (sa == NULL)
		return;
	sa->provider = br_provider_ref(p);
	sa->t = t;
	if (event_base_once(t->w.base, -1, EV_TIMEOUT, start_provider_cb, sa, NULL) != 0) {
		br_provider_unref(p);
		free(sa);
	}
}

static void *worker_main(void *arg)
{
	struct worker_thread *t = arg;

	event_base_loop(t->w.base, EVLOOP_NO_EXIT_ON_EMPTY);
	__atomic_store_n(&t->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

/* An event loop whose epoll backend batches the interest changes of one
 * loop iteration into one epoll_ctl per fd: evhttp enables and disables
 * read and write events several times per request, and each epoll_ctl is a
 * syscall (bench/asap.sh: about a third more /healthz requests per
 * CPU-second).  The caveat libevent documents (fds cloned with dup()) does
 * not apply: neither the bridge nor curl dup()s sockets. */
static struct event_base *new_base(void)
{
	struct event_config *ec = event_config_new();
	struct event_base *base;

	if (ec == NULL)
		return NULL;
	event_config_set_flag(ec, EVENT_BASE_FLAG_EPOLL_USE_CHANGELIST);
	base = event_base_new_with_config(ec);
	event_config_free(ec);
	return base;
}

static int setup_worker(struct worker_thread *t, int index, const struct br_config *cfg,
                        struct br_error *err)
{
	struct timeval second = {1, 0};

	t->w.index = index;
	t->w.base = new_base();
	if (t->w.base == NULL) {
		br_error_set(err, BR_E_NOMEM, "cannot create an event loop");
		return -1;
	}
	t->w.client = br_http_client_new(t->w.base, err);
	if (t->w.client == NULL)
		return -1;
	t->w.httpd = br_httpd_new(&t->w, cfg, br_oidc_routes, br_oidc_n_routes, err);
	if (t->w.httpd == NULL)
		return -1;
	t->heartbeat_ev = event_new(t->w.base, -1, EV_PERSIST, heartbeat_cb, t);
	if (t->heartbeat_ev == NULL || event_add(t->heartbeat_ev, &second) != 0) {
		br_error_set(err, BR_E_NOMEM, "cannot create a timer");
		return -1;
	}
	return 0;
}

static void teardown_worker(struct worker_thread *t)
{
	if (t->w.base == NULL)
		return;
	if (t->heartbeat_ev)
		event_free(t->heartbeat_ev);
	if (t->drain_ev)
		event_free(t->drain_ev);
	br_httpd_free(t->w.httpd);
	br_http_client_free(t->w.client);
	event_base_free(t->w.base);
}

static void reload(const char *path, struct worker_thread *workers)
{
	struct br_snapshot *old = br_snapshot_current();
	struct br_snapshot *snap;
	struct br_error err;

	notify("RELOADING=1");
	br_error_clear(&err);
	snap = br_snapshot_build(path, old, &err);
	if (snap == NULL) {
		br_log(BR_LOG_ERROR, "reload failed, keeping the running configuration", "error",
		       err.msg, (char *)NULL);
	} else {
		bool new_provider = snap->provider != old->provider;
		if (snap->cfg->n_listen != old->cfg->n_listen ||
		    snap->cfg->workers != old->cfg->workers ||
		    strcmp(snap->cfg->public_path, old->cfg->public_path) != 0)
			br_log(BR_LOG_WARN,
			       "listen, workers and the public_url path change only on "
			       "restart",
			       (char *)NULL);
		br_log_set_level((enum br_log_level)snap->cfg->log_level);
		if (new_provider)
			start_provider_on(&workers[0], snap->provider);
		br_snapshot_install(snap);
		br_log(BR_LOG_INFO, "configuration reloaded", (char *)NULL);
		if (snap->cfg->warnings)
			br_log(BR_LOG_WARN, "configuration warnings", "warnings",
			       snap->cfg->warnings, (char *)NULL);
	}
	br_snapshot_unref(old);
	notify("READY=1");
}

static int run(const char *path)
{
	struct br_snapshot *snap;
	struct worker_thread *workers = NULL;
	struct br_error err;
	sigset_t sigs;
	int nworkers, status = BR_EXIT_OK;
	uint64_t wd_usec = 0;
	struct timespec last_ping = {0, 0};

	br_error_clear(&err);
	snap = br_snapshot_build(path, NULL, &err);
	if (snap == NULL) {
		fprintf(stderr, "jitsi-oidc-bridge: %s\n", err.msg);
		return BR_EXIT_CONFIG;
	}
	br_log_set_level((enum br_log_level)snap->cfg->log_level);
	if (snap->cfg->warnings)
		br_log(BR_LOG_WARN, "configuration warnings", "warnings", snap->cfg->warnings,
		       (char *)NULL);
	if (snap->cfg->state_key_random && snap->cfg->workers > 0)
		br_log(BR_LOG_INFO, "no state_key_file: logins must finish on this process",
		       (char *)NULL);
	evthread_use_pthreads();
	curl_global_init(CURL_GLOBAL_DEFAULT);

	/* Signals go to the main thread only: block them before any thread
	 * starts, the workers inherit the mask. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGHUP);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);

	nworkers = snap->cfg->workers > 0 ? snap->cfg->workers : 1;
	workers = calloc((size_t)nworkers, sizeof(*workers));
	if (workers == NULL) {
		fprintf(stderr, "jitsi-oidc-bridge: out of memory\n");
		status = BR_EXIT_CONFIG;
		goto out;
	}
	for (int i = 0; i < nworkers; i++) {
		if (setup_worker(&workers[i], i, snap->cfg, &err) != 0) {
			fprintf(stderr, "jitsi-oidc-bridge: %s\n", err.msg);
			status = BR_EXIT_CONFIG;
			goto out;
		}
	}
	br_snapshot_install(br_snapshot_ref(snap));
	start_provider_on(&workers[0], snap->provider);
	for (int i = 0; i < nworkers; i++) {
		if (pthread_create(&workers[i].thread, NULL, worker_main, &workers[i]) != 0) {
			fprintf(stderr, "jitsi-oidc-bridge: cannot start worker threads\n");
			exit(BR_EXIT_CONFIG);
		}
	}
	{
		char port[16], n[16];
		snprintf(port, sizeof(port), "%d", br_httpd_port(workers[0].w.httpd));
		snprintf(n, sizeof(n), "%d", nworkers);
		br_log(BR_LOG_INFO, "listening", "version", PACKAGE_VERSION, "port", port,
		       "workers", n, "public_url", snap->cfg->public_url, (char *)NULL);
	}
	/* From here on the registry owns the snapshot: a reload must be able
	 * to free it (and its provider, on worker 0's loop, which is alive
	 * then). */
	br_snapshot_unref(snap);
	snap = NULL;
	wd_usec = br_notify_watchdog_usec();
	notify("READY=1");

	for (;;) {
		struct timespec tick = {1, 0};
		int sig = sigtimedwait(&sigs, NULL, &tick);
		if (sig == SIGHUP) {
			reload(path, workers);
		} else if (sig == SIGTERM || sig == SIGINT) {
			br_log(BR_LOG_INFO, "shutting down", "signal",
			       sig == SIGTERM ? "TERM" : "INT", (char *)NULL);
			break;
		}
		if (wd_usec > 0) {
			struct timespec now;
			bool alive = true;
			clock_gettime(CLOCK_MONOTONIC, &now);
			if ((uint64_t)(now.tv_sec - last_ping.tv_sec) * 1000000u < wd_usec / 2)
				continue;
			for (int i = 0; i < nworkers; i++) {
				unsigned long hb =
				        __atomic_load_n(&workers[i].heartbeat, __ATOMIC_RELAXED);
				if (hb == workers[i].seen)
					alive = false;
				workers[i].seen = hb;
			}
			if (alive)
				notify("WATCHDOG=1");
			last_ping = now;
		}
	}

	notify("STOPPING=1");
	for (int i = 0; i < nworkers; i++)
		event_base_once(workers[i].w.base, -1, EV_TIMEOUT, stop_cb, &workers[i], NULL);
	{
		struct timespec t0, now;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		for (int i = 0; i < nworkers; i++) {
			for (;;) {
				if (__atomic_load_n(&workers[i].done, __ATOMIC_ACQUIRE))
					break;
				clock_gettime(CLOCK_MONOTONIC, &now);
				if ((now.tv_sec - t0.tv_sec) * 1000 +
				            (now.tv_nsec - t0.tv_nsec) / 1000000 >
				    SHUTDOWN_GRACE_MS) {
					event_base_loopbreak(workers[i].w.base);
					break;
				}
				usleep(10000);
			}
			pthread_join(workers[i].thread, NULL);
		}
	}
	{
		struct br_snapshot *cur = br_snapshot_current();
		br_provider_stop(cur->provider);
		br_snapshot_unref(cur);
	}
	/* The loops are gone: run what is still queued on them (providers
	 * replaced by a reload are freed on their home loop) before freeing. */
	for (int i = 0; i < nworkers; i++)
		event_base_loop(workers[i].w.base, EVLOOP_NONBLOCK);
out:
	if (workers) {
		for (int i = 0; i < nworkers; i++)
			teardown_worker(&workers[i]);
		free(workers);
	}
	br_snapshot_unref(snap);
	curl_global_cleanup();
	return status;
}

int main(int argc, char **argv)
{
	enum {
		OPT_CHECK = 256,
		OPT_GENKEY,
		OPT_BITS,
		OPT_ISSUE,
		OPT_ROOM,
		OPT_TENANT,
		OPT_CLAIMS,
		OPT_VERSION
	};
	static const struct option opts[] = {
	        {"config", required_argument, NULL, 'c'},
	        {"check", no_argument, NULL, OPT_CHECK},
	        {"generate-key", required_argument, NULL, OPT_GENKEY},
	        {"bits", required_argument, NULL, OPT_BITS},
	        {"issue-token", no_argument, NULL, OPT_ISSUE},
	        {"room", required_argument, NULL, OPT_ROOM},
	        {"tenant", required_argument, NULL, OPT_TENANT},
	        {"claims", required_argument, NULL, OPT_CLAIMS},
	        {"help", no_argument, NULL, 'h'},
	        {"version", no_argument, NULL, OPT_VERSION},
	        {NULL, 0, NULL, 0},
	};
	const char *config = BR_CONFIG_DEFAULT_PATH;
	const char *genkey = NULL, *room = NULL, *tenant = NULL, *claims = NULL;
	int check = 0, issue = 0, bits = 2048, c;

	/* Rules' regexes match room names and claims as UTF-8 characters,
	 * not bytes; nothing else here depends on the locale. */
	if (setlocale(LC_CTYPE, "C.UTF-8") == NULL)
		setlocale(LC_CTYPE, "");
	while ((c = getopt_long(argc, argv, "c:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			config = optarg;
			break;
		case OPT_CHECK:
			check = 1;
			break;
		case OPT_GENKEY:
			genkey = optarg;
			break;
		case OPT_BITS: {
			char *end;
			long v = strtol(optarg, &end, 10);
			if (*end != '\0' || v < 2048 || v > 8192) {
				fprintf(stderr, "jitsi-oidc-bridge: --bits: a number from 2048 to "
				                "8192\n");
				return BR_EXIT_USAGE;
			}
			bits = (int)v;
			break;
		}
		case OPT_ISSUE:
			issue = 1;
			break;
		case OPT_ROOM:
			room = optarg;
			break;
		case OPT_TENANT:
			tenant = optarg;
			break;
		case OPT_CLAIMS:
			claims = optarg;
			break;
		case 'h':
			usage(stdout);
			return BR_EXIT_OK;
		case OPT_VERSION:
			printf("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
			return BR_EXIT_OK;
		default:
			usage(stderr);
			return BR_EXIT_USAGE;
		}
	}
	if (optind < argc || check + issue + (genkey != NULL) > 1) {
		usage(stderr);
		return BR_EXIT_USAGE;
	}
	if (genkey)
		return br_cli_generate_key(genkey, bits);
	if (issue) {
		if (room == NULL || claims == NULL) {
			fprintf(stderr,
			        "jitsi-oidc-bridge: --issue-token needs --room and --claims\n");
			return BR_EXIT_USAGE;
		}
		return br_cli_issue_token(config, room, tenant, claims);
	}
	if (check)
		return br_cli_check(config);
	return run(config);
}
