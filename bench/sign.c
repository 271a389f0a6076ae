/*
 * sign.c - token signing rate against `openssl speed rsa2048`, on one core.
 *
 * Builds complete Jitsi tokens (claims JSON, base64url, RSA-2048 RS256
 * signature) with br_token_build() for a few seconds, then runs
 * `openssl speed -seconds N rsa2048` pinned to the same core, and prints
 * both rates and their ratio (target: >= 0.90).  Not part of `make check`:
 * run `make bench`.
 *
 * Usage: bench/sign [seconds]   (default 3)
 */
#include "config.h"

#include <sched.h>
#include <stdbool.h>
#include <sys/resource.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bridge/keys.h"
#include "bridge/log.h"
#include "bridge/room.h"
#include "bridge/token.h"

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* User CPU seconds of this process: what `openssl speed` divides by by
 * default (without -elapsed), which keeps the comparison fair on a machine
 * that other processes load. */
static double user_s(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6;
}

/* Runs openssl speed and returns its RSA-2048 sign/s, or -1.  elapsed:
 * divide by wall-clock time (-elapsed) instead of user CPU time. */
static double openssl_rate(int seconds, bool elapsed)
{
	char cmd[128], line[512];
	double rate = -1;

	snprintf(cmd, sizeof(cmd), "openssl speed%s -seconds %d rsa2048 2>/dev/null",
	         elapsed ? " -elapsed" : "", seconds);
	FILE *p = popen(cmd, "r");
	if (p == NULL)
		return -1;
	while (fgets(line, sizeof(line), p) != NULL) {
		/* "rsa 2048 bits 0.000693s 0.000020s   1443.0  49505.0" */
		int bits;
		double ts, tv, sps, vps;
		if (sscanf(line, "rsa %d bits %lfs %lfs %lf %lf", &bits, &ts, &tv, &sps, &vps) ==
		            5 &&
		    bits == 2048)
			rate = sps;
	}
	pclose(p);
	return rate;
}

int main(int argc, char **argv)
{
	int seconds = argc > 1 ? atoi(argv[1]) : 3;
	char dir[] = "/tmp/br-bench-sign-XXXXXX";
	char path[64];
	struct br_error err = {0};
	struct br_room room;
	int ret = 1;

	if (seconds < 1 || seconds > 60) {
		fprintf(stderr, "usage: %s [seconds (1-60)]\n", argv[0]);
		return 2;
	}
	/* One core for both measurements: pin to the one we are on. */
	int cpu = sched_getcpu();
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(cpu >= 0 ? cpu : 0, &set);
	if (sched_setaffinity(0, sizeof(set), &set) != 0)
		perror("sched_setaffinity (continuing unpinned)");

	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(path, sizeof(path), "%s/signing.pem", dir);
	if (br_keys_generate(path, 2048, NULL, &err) != 0) {
		fprintf(stderr, "generate: %s\n", err.msg);
		goto out;
	}
	struct br_config cfg = {0};
	cfg.jitsi_url = "https://meet.example.org";
	cfg.app_id = "jitsi";
	cfg.audience = "jitsi";
	cfg.domain = "meet.example.org";
	cfg.algorithm = BR_ALG_RS256;
	cfg.signing_key = path;
	cfg.clock_skew = 60;
	cfg.token_lifetime = 3600;
	struct br_keys *keys = br_keys_load(&cfg, &err);
	if (keys == NULL) {
		fprintf(stderr, "load: %s\n", err.msg);
		goto out;
	}
	struct br_user user = {.id = "0b6f9a9e-1f8e-4c1e-9a57-5f0e3c1d2b4a",
	                       .name = "Zoë Doe",
	                       .email = "zoe@example.org",
	                       .avatar = "https://sso.example.org/avatar/zoe.png"};
	static const char *const names[] = {"recording", "livestreaming", "transcription"};
	bool values[] = {true, false, true};
	struct br_decision d = {.allow = true,
	                        .moderator = true,
	                        .n_features = 3,
	                        .feature_names = names,
	                        .feature_values = values};
	if (br_room_parse("Weekly Café Meeting", &room, &err) != 0) {
		fprintf(stderr, "room: %s\n", err.msg);
		br_keys_free(keys);
		goto out;
	}

	long n = 0;
	double start = now_s(), ustart = user_s(), elapsed = 0;
	size_t token_len = 0;
	while (elapsed < seconds) {
		char *token = br_token_build(&cfg, keys, &user, &d, &room, NULL, time(NULL), &err);
		if (token == NULL) {
			fprintf(stderr, "build: %s\n", err.msg);
			br_room_clear(&room);
			br_keys_free(keys);
			goto out;
		}
		token_len = strlen(token);
		free(token);
		n++;
		if ((n & 15) == 0)
			elapsed = now_s() - start;
	}
	elapsed = now_s() - start;
	double cpu_s = user_s() - ustart;
	double ours = (double)n / cpu_s;
	double ours_wall = (double)n / elapsed;
	br_room_clear(&room);
	br_keys_free(keys);

	double ref = openssl_rate(seconds, false);
	double ref_wall = openssl_rate(seconds, true);
	printf("cpu (pinned):                    %d\n", cpu);
	printf("tokens built:                    %ld in %.2f s wall, %.2f s user CPU; %zu bytes "
	       "each\n",
	       n, elapsed, cpu_s, token_len);
	printf("br_token_build RS256/2048:       %.1f tokens/s per user CPU second\n", ours);
	if (ref <= 0 || ref_wall <= 0) {
		printf("openssl speed rsa2048:           (could not run or parse)\n");
		goto out;
	}
	printf("openssl speed rsa2048:           %.1f sign/s (per user CPU second, its "
	       "default)\n",
	       ref);
	printf("ratio:                           %.3f (target >= 0.90: %s)\n", ours / ref,
	       ours / ref >= 0.90 ? "met" : "NOT met");
	printf("wall clock: ours %.1f/s, openssl speed -elapsed %.1f/s, ratio %.3f\n", ours_wall,
	       ref_wall, ours_wall / ref_wall);
	ret = 0;
out:
	unlink(path);
	rmdir(dir);
	return ret;
}
