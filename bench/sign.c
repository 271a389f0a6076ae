/*
 * sign.c - token signing against `openssl speed rsa2048`, on the same core.
 *
 * Builds and signs full Jitsi tokens (br_token_build: claims, JSON, base64url,
 * RS256 signature) and bare signatures (br_keys_sign) for a few CPU-seconds
 * each, then runs `openssl speed -seconds 3 rsa2048` (which divides by CPU
 * time too) and prints the rates and their ratios.  Target: tokens/s >= 0.9
 * of openssl's sign/s.  A benchmark, not a test: it asserts nothing.
 *
 *     bench/sign [SECONDS]        (default 3 CPU-seconds per measurement)
 */
#define _POSIX_C_SOURCE 200809L

#include "bridge/claims.h"
#include "bridge/configuration.h"
#include "bridge/error.h"
#include "bridge/keys.h"
#include "bridge/room.h"
#include "bridge/rule.h"
#include "bridge/token.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double cpu_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* openssl's RSA-2048 sign/s, or 0. */
static double openssl_sign_rate(void)
{
	FILE *p = popen("openssl speed -seconds 3 rsa2048 2>/dev/null", "r");
	char line[256];
	double sign = 0, verify = 0, s1, s2;

	if (p == NULL)
		return 0;
	while (fgets(line, sizeof(line), p) != NULL) {
		if (sscanf(line, "rsa 2048 bits %lfs %lfs %lf %lf", &s1, &s2, &sign, &verify) == 4)
			break;
	}
	pclose(p);
	return sign;
}

int main(int argc, char **argv)
{
	double seconds = argc > 1 ? atof(argv[1]) : 3.0;
	char dir[] = "/tmp/br-bench-sign.XXXXXX", key[64], conf[64];
	char *groups[] = {"jitsi-meet", "jitsi-moderators"};
	struct br_user user = {.id = "bench-user",
	                       .name = "Bench User",
	                       .email = "bench@example.org",
	                       .avatar = "https://example.org/a.png",
	                       .groups = groups,
	                       .n_groups = 2};
	struct br_decision d = {.allow = true, .moderator = true};
	struct br_room room = {0};
	struct br_error err = {0};
	struct br_config *cfg = NULL;
	struct br_keys *keys = NULL;
	double t0, t, token_rate, sign_rate, ossl;
	long n;
	FILE *f;
	int rc = 1;

	if (mkdtemp(dir) == NULL)
		return 1;
	snprintf(key, sizeof(key), "%s/signing.pem", dir);
	snprintf(conf, sizeof(conf), "%s/bridge.conf", dir);
	if (br_keys_generate(key, 2048, NULL, &err) != 0)
		goto out;
	f = fopen(conf, "w");
	if (f == NULL)
		goto out;
	fprintf(f,
	        "[server]\nlisten = 127.0.0.1:1\npublic_url = http://127.0.0.1:1/auth\n"
	        "[provider]\nissuer = http://127.0.0.1:1\nclient_id = jitsi\n"
	        "client_secret = bench-secret\n"
	        "[jitsi]\nurl = https://meet.example.org\napp_id = jitsi\n"
	        "domain = meet.example.org\nsigning_key = %s\n",
	        key);
	fclose(f);
	cfg = br_config_load(conf, NULL, &err);
	if (cfg == NULL)
		goto out;
	keys = br_keys_load(cfg, &err);
	if (keys == NULL || br_room_parse("Bench Room", &room, &err) != 0)
		goto out;

	t0 = cpu_now();
	for (n = 0; (t = cpu_now() - t0) < seconds; n++) {
		char *tok = br_token_build(cfg, keys, &user, &d, &room, NULL, time(NULL), &err);
		if (tok == NULL)
			goto out;
		free(tok);
	}
	token_rate = (double)n / t;

	t0 = cpu_now();
	for (n = 0; (t = cpu_now() - t0) < seconds; n++) {
		static const unsigned char in[] = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJiZW5jaCJ9";
		unsigned char *sig = NULL;
		size_t len = 0;
		if (br_keys_sign(keys, in, sizeof(in) - 1, &sig, &len, &err) != 0)
			goto out;
		free(sig);
	}
	sign_rate = (double)n / t;

	ossl = openssl_sign_rate();
	printf("br_token_build: %.1f tokens per CPU-second\n", token_rate);
	printf("br_keys_sign:   %.1f signatures per CPU-second\n", sign_rate);
	printf("openssl speed rsa2048: %.1f sign/s\n", ossl);
	if (ossl > 0)
		printf("ratio tokens/openssl %.2f (target >= 0.90), signatures/openssl %.2f\n",
		       token_rate / ossl, sign_rate / ossl);
	rc = 0;
out:
	if (rc != 0)
		fprintf(stderr, "bench/sign: %s\n", err.msg);
	br_room_clear(&room);
	br_keys_free(keys);
	br_config_free(cfg);
	unlink(key);
	unlink(conf);
	rmdir(dir);
	return rc;
}
