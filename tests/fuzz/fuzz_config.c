/*
 * fuzz_config.c - libFuzzer target: arbitrary config files through
 * br_config_load().  The loader reads a path (there is no load-from-memory
 * entry point), so each input is written to one file in a private directory
 * on tmpfs (/dev/shm when it is there: no disk I/O).  The first input byte
 * picks the environment: even, an empty one (the file must give every
 * required key); odd, one with every required key plus a feature and a
 * $CREDENTIALS_DIRECTORY holding "client" and "app" secret files, so that
 * files with only a few keys still reach validation and the checks of
 * combinations.  The rest of the input is the file.
 *
 * Build with `make fuzz` (tests/fuzz/build.sh OUTDIR fuzz_config); run:
 *   ./fuzz_config -max_total_time=60 tests/fuzz/corpus/config
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bridge/config.h"
#include "bridge/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[64];
static char path[96];
static char creds_env[128];
static char *env_full[] = {
        creds_env,
        "JITSI_OIDC_BRIDGE_SERVER_PUBLIC_URL=https://meet.example.org/auth/",
        "JITSI_OIDC_BRIDGE_PROVIDER_ISSUER=https://sso.example.org/realms/acme/",
        "JITSI_OIDC_BRIDGE_PROVIDER_CLIENT_ID=jitsi",
        "JITSI_OIDC_BRIDGE_JITSI_URL=https://meet.example.org/",
        "JITSI_OIDC_BRIDGE_JITSI_DOMAIN=meet.example.org",
        "JITSI_OIDC_BRIDGE_FEATURES_SCREEN_SHARING=inGroup(\"x\")",
        NULL,
};
static char *env_empty[] = {NULL};

static void put(const char *name, const char *text)
{
	char p[128];
	snprintf(p, sizeof(p), "%s/%s", dir, name);
	FILE *f = fopen(p, "w");
	if (f == NULL || fputs(text, f) < 0 || fclose(f) != 0)
		abort();
}

static void cleanup(void)
{
	static const char *const names[] = {"bridge.conf", "creds/client", "creds/app", "creds"};
	char p[128];
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", dir, names[i]);
		(void)remove(p);
	}
	(void)rmdir(dir);
}

static void init(void)
{
	const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	snprintf(dir, sizeof(dir), "%s/br-fuzz-config-XXXXXX", base);
	if (mkdtemp(dir) == NULL)
		abort();
	atexit(cleanup);
	snprintf(path, sizeof(path), "%s/bridge.conf", dir);
	snprintf(creds_env, sizeof(creds_env), "CREDENTIALS_DIRECTORY=%s/creds", dir);
	char p[128];
	snprintf(p, sizeof(p), "%s/creds", dir);
	if (mkdir(p, 0700) != 0)
		abort();
	put("creds/client", "s3cret\n");
	put("creds/app", "0123456789abcdef0123456789abcdef\n");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct br_error err = {0};

	if (size < 1)
		return 0;
	if (dir[0] == '\0')
		init();
	FILE *f = fopen(path, "w");
	if (f == NULL)
		abort();
	if (size > 1 && fwrite(data + 1, 1, size - 1, f) != size - 1)
		abort();
	if (fclose(f) != 0)
		abort();

	struct br_config *cfg = br_config_load(path, data[0] % 2 ? env_full : env_empty, &err);
	if (cfg != NULL) {
		/* What the rest of the bridge relies on after a successful load. */
		if (cfg->issuer == NULL || cfg->client_id == NULL || cfg->public_url == NULL ||
		    cfg->public_path == NULL || cfg->jitsi_url == NULL || cfg->domain == NULL ||
		    cfg->claim_id == NULL || cfg->n_listen == 0 || cfg->workers < 1)
			abort();
		if ((cfg->signing_key == NULL) == br_config_alg_is_rsa(cfg->algorithm))
			abort();
		for (size_t i = 0; i < cfg->n_features; i++)
			if (cfg->features[i].name == NULL || cfg->features[i].text == NULL)
				abort();
		br_config_free(cfg);
	} else if (err.msg[0] == '\0') {
		abort();
	}
	return 0;
}
