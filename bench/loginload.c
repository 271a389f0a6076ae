/*
 * loginload - a small C login driver for the benchmarks: the same logins as
 * bench/logins.py (GET /login, then GET /callback with the sealed cookie
 * and the code bench/fastop accepts, "n." + the nonce), but cheap enough
 * that the driver does not compete with the bridge for the cores (the
 * Python driver spends more CPU per login than the bridge's own HTTP work).
 * Used by bench/workers.sh, where the bridge must be able to use both cores.
 *
 *     loginload [--split PID] PORT PREFIX COUNT SECONDS CONCURRENCY
 *
 * CONCURRENCY threads, each a browser with one keep-alive connection to
 * 127.0.0.1:PORT, run logins until COUNT have been started or SECONDS have
 * passed.  A login is good when /callback answers 302 with "#jwt=" in its
 * Location.  Prints one line: "logins N ok N failed N seconds S".  Never
 * prints tokens, codes or cookies.
 *
 * With --split PID (as bench/logins.py): all the /login requests first,
 * then all the /callback requests, and the line adds the CPU ticks process
 * PID spent in each phase: "login_ticks A callback_ticks B".
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define BUF 16384

static int port;
static const char *prefix;
static long count;
static double deadline;
static atomic_long started, ok, failed;

struct conn {
	int fd;
	char buf[BUF]; /* one response: head and body */
	size_t len;
};

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void conn_close(struct conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}

static int conn_open(struct conn *c)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((unsigned short)port)};
	struct timeval tv = {5, 0};
	int one = 1;

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	c->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c->fd < 0)
		return -1;
	setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(c->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(c->fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		conn_close(c);
		return -1;
	}
	return 0;
}

/* The value of header NAME (lower case, with ": ") in the head, copied. */
static int header(const char *head, const char *name, char *out, size_t cap, const char **from)
{
	const char *p = from && *from ? *from : head;
	size_t n = strlen(name);

	while ((p = strstr(p, "\r\n")) != NULL) {
		p += 2;
		if (strncasecmp(p, name, n) == 0) {
			const char *e = strstr(p, "\r\n");
			size_t len = (e ? (size_t)(e - p) : strlen(p)) - n;
			if (len >= cap)
				return -1;
			memcpy(out, p + n, len);
			out[len] = '\0';
			if (from)
				*from = p + n;
			return 0;
		}
	}
	return -1;
}

/* GET TARGET (with COOKIE when not NULL); the status, the head in c->buf. */
static int get(struct conn *c, const char *target, const char *cookie)
{
	char req[4096];
	int n, status;

	for (int attempt = 0; attempt < 2; attempt++) {
		size_t have = 0;
		char *end = NULL;
		long clen = 0;

		if (c->fd < 0 && conn_open(c) != 0)
			return -1;
		n = snprintf(req, sizeof(req),
		             "GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n%s%s%s\r\n", target, port,
		             cookie ? "Cookie: " : "", cookie ? cookie : "", cookie ? "\r\n" : "");
		if (n < 0 || (size_t)n >= sizeof(req) ||
		    send(c->fd, req, (size_t)n, MSG_NOSIGNAL) != n) {
			conn_close(c);
			continue;
		}
		for (;;) {
			ssize_t r = recv(c->fd, c->buf + have, BUF - 1 - have, 0);
			if (r <= 0)
				break;
			have += (size_t)r;
			c->buf[have] = '\0';
			if (end == NULL && (end = strstr(c->buf, "\r\n\r\n")) != NULL) {
				char v[32];
				*end = '\0';
				if (header(c->buf, "content-length: ", v, sizeof(v), NULL) == 0)
					clen = atol(v);
			}
			if (end != NULL && have >= (size_t)(end + 4 - c->buf) + (size_t)clen)
				break;
			if (have >= BUF - 1)
				break;
		}
		if (end == NULL) {
			conn_close(c);
			if (have == 0)
				continue; /* the keep-alive connection had been closed */
			return -1;
		}
		if (sscanf(c->buf, "HTTP/1.%*d %d", &status) != 1)
			return -1;
		{
			char v[32];
			if (header(c->buf, "connection: ", v, sizeof(v), NULL) == 0 &&
			    strcasecmp(v, "close") == 0)
				conn_close(c);
		}
		return status;
	}
	return -1;
}

/* PARAM's value in the query of URL into out. */
static int query_param(const char *url, const char *param, char *out, size_t cap)
{
	const char *q = strchr(url, '?');
	size_t n = strlen(param);

	while (q != NULL) {
		q++;
		if (strncmp(q, param, n) == 0 && q[n] == '=') {
			size_t len = strcspn(q + n + 1, "&#");
			if (len >= cap)
				return -1;
			memcpy(out, q + n + 1, len);
			out[len] = '\0';
			return 0;
		}
		q = strchr(q, '&');
	}
	return -1;
}

/* One login started: what /callback needs. */
struct started {
	char cookie[2048];
	char state[128];
	char nonce[128];
};

/* GET /login: fills st from the redirect and the Set-Cookie headers. */
static int start_login(struct conn *c, struct started *st)
{
	char target[4096], loc[8192], setc[2048];
	const char *from = NULL;
	size_t cl = 0;

	snprintf(target, sizeof(target), "%s/login?room=Bench%%20Room", prefix);
	if (get(c, target, NULL) != 302 || header(c->buf, "location: ", loc, sizeof(loc), NULL) ||
	    query_param(loc, "state", st->state, sizeof(st->state)) ||
	    query_param(loc, "nonce", st->nonce, sizeof(st->nonce)))
		return -1;
	/* every Set-Cookie's name=value, joined */
	st->cookie[0] = '\0';
	while (header(c->buf, "set-cookie: ", setc, sizeof(setc), &from) == 0) {
		size_t n = strcspn(setc, ";");
		if (cl + n + 3 >= sizeof(st->cookie))
			return -1;
		if (cl > 0) {
			memcpy(st->cookie + cl, "; ", 2);
			cl += 2;
		}
		memcpy(st->cookie + cl, setc, n);
		cl += n;
		st->cookie[cl] = '\0';
	}
	return cl > 0 ? 0 : -1;
}

/* GET /callback with the code fastop accepts: 0 when it sends us to Jitsi. */
static int finish_login(struct conn *c, const struct started *st)
{
	char target[4096], loc[8192];

	snprintf(target, sizeof(target), "%s/callback?code=n.%s&state=%s", prefix, st->nonce,
	         st->state);
	if (get(c, target, st->cookie) != 302 ||
	    header(c->buf, "location: ", loc, sizeof(loc), NULL) || strstr(loc, "#jwt=") == NULL)
		return -1;
	return 0;
}

static long cpu_ticks(long pid)
{
	char path[64], buf[1024], *p;
	unsigned long ut = 0, st = 0;
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	f = fopen(path, "r");
	if (f == NULL)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = strrchr(buf, ')'); /* the command name may hold spaces */
	if (p == NULL ||
	    sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2)
		return -1;
	return (long)(ut + st);
}

/* --split: every browser runs its /login requests, all wait, then every
 * browser runs its /callback requests; main reads the CPU time of split_pid
 * at the two barriers. */
static long split_pid;
static pthread_barrier_t logins_done, callbacks_go;

static void *browser(void *arg)
{
	struct conn *c = calloc(1, sizeof(*c));
	long share = (long)(intptr_t)arg, n = 0;
	struct started *st = NULL;

	if (c == NULL)
		return NULL;
	c->fd = -1;
	if (split_pid == 0) {
		struct started one;
		while (now() < deadline && atomic_fetch_add(&started, 1) < count) {
			if (start_login(c, &one) == 0 && finish_login(c, &one) == 0) {
				atomic_fetch_add(&ok, 1);
			} else {
				atomic_fetch_add(&failed, 1);
				conn_close(c);
			}
		}
	} else {
		st = calloc((size_t)share + 1, sizeof(*st));
		for (long i = 0; st != NULL && i < share && now() < deadline; i++) {
			if (start_login(c, &st[n]) == 0) {
				n++;
			} else {
				atomic_fetch_add(&failed, 1);
				conn_close(c);
			}
		}
		pthread_barrier_wait(&logins_done);
		pthread_barrier_wait(&callbacks_go);
		for (long i = 0; i < n; i++) {
			if (now() < deadline && finish_login(c, &st[i]) == 0) {
				atomic_fetch_add(&ok, 1);
			} else {
				atomic_fetch_add(&failed, 1);
				conn_close(c);
			}
		}
		free(st);
	}
	conn_close(c);
	free(c);
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t th[256];
	long t0 = 0, t1 = 0, t2 = 0;
	int conc;
	double start;

	if (argc > 2 && strcmp(argv[1], "--split") == 0) {
		split_pid = atol(argv[2]);
		argc -= 2;
		argv += 2;
	}
	if (argc != 6) {
		fprintf(stderr,
		        "usage: loginload [--split PID] PORT PREFIX COUNT SECONDS CONCURRENCY\n");
		return 2;
	}
	port = atoi(argv[1]);
	prefix = argv[2];
	count = atol(argv[3]);
	conc = atoi(argv[5]);
	if (port <= 0 || count < 0 || conc < 1 || conc > 256 ||
	    (split_pid != 0 && cpu_ticks(split_pid) < 0)) {
		fprintf(stderr, "loginload: bad arguments\n");
		return 2;
	}
	if (split_pid != 0 && (pthread_barrier_init(&logins_done, NULL, (unsigned)conc + 1) != 0 ||
	                       pthread_barrier_init(&callbacks_go, NULL, (unsigned)conc + 1) != 0))
		return 1;
	start = now();
	deadline = start + atof(argv[4]);
	t0 = split_pid ? cpu_ticks(split_pid) : 0;
	for (int i = 0; i < conc; i++) {
		long share = count / conc + (i < count % conc ? 1 : 0);
		if (pthread_create(&th[i], NULL, browser, (void *)(intptr_t)share) != 0)
			return 1;
	}
	if (split_pid != 0) {
		pthread_barrier_wait(&logins_done);
		t1 = cpu_ticks(split_pid);
		pthread_barrier_wait(&callbacks_go);
	}
	for (int i = 0; i < conc; i++)
		pthread_join(th[i], NULL);
	t2 = split_pid ? cpu_ticks(split_pid) : 0;
	printf("logins %ld ok %ld failed %ld seconds %.2f", atomic_load(&ok) + atomic_load(&failed),
	       atomic_load(&ok), atomic_load(&failed), now() - start);
	if (split_pid != 0)
		printf(" login_ticks %ld callback_ticks %ld", t1 - t0, t2 - t1);
	printf("\n");
	return 0;
}
