/*
 * fuzz_config.c - libFuzzer target: arbitrary config files through
 * br_config_load().  The loader reads a path (there is no load-from-memory
 * entry point), so each input is written to a memfd that the loader opens as
 * /proc/self/fd/N: no disk I/O and nothing left behind.  The first input
 * byte picks the environment: even, an empty one (the file must give every
 * required key); odd, one with every required key (the client secret from
 * fd 1001) plus a feature, so that files with only a few keys still reach
 * validation and the checks of combinations.  $CREDENTIALS_DIRECTORY is
 * /proc/self/fd, where fd 1001 holds a client secret and fd 1002 an app
 * secret ("client_secret_file = 1001", "app_secret_file = 1002").  The rest
 * of the input is the file.
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
#include <sys/mman.h>
#include <unistd.h>

#include "bridge/configuration.h"
#include "bridge/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int conf_fd = -1;
static char path[64];
static char *env_full[] = {
        "CREDENTIALS_DIRECTORY=/proc/self/fd",
        "JITSI_OIDC_BRIDGE_SERVER_PUBLIC_URL=https://meet.example.org/auth/",
        "JITSI_OIDC_BRIDGE_PROVIDER_ISSUER=https://sso.example.org/realms/acme/",
        "JITSI_OIDC_BRIDGE_PROVIDER_CLIENT_ID=jitsi",
        "JITSI_OIDC_BRIDGE_PROVIDER_CLIENT_SECRET_FILE=1001",
        "JITSI_OIDC_BRIDGE_JITSI_URL=https://meet.example.org/",
        "JITSI_OIDC_BRIDGE_JITSI_DOMAIN=meet.example.org",
        "JITSI_OIDC_BRIDGE_FEATURES_SCREEN_SHARING=inGroup(\"x\")",
        NULL,
};
static char *env_empty[] = {"CREDENTIALS_DIRECTORY=/proc/self/fd", NULL};

static void secret_fd(int want, const char *text)
{
	int fd = memfd_create("secret", 0);
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text) ||
	    dup2(fd, want) != want)
		abort();
	close(fd);
}

static void init(void)
{
	conf_fd = memfd_create("bridge.conf", 0);
	if (conf_fd < 0)
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", conf_fd);
	secret_fd(1001, "s3cret\n");
	secret_fd(1002, "0123456789abcdef0123456789abcdef\n");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct br_error err = {0};

	if (size < 1)
		return 0;
	if (conf_fd < 0)
		init();
	if (ftruncate(conf_fd, 0) != 0)
		abort();
	if (size > 1 && pwrite(conf_fd, data + 1, size - 1, 0) != (ssize_t)(size - 1))
		abort();

	struct br_config *cfg = br_config_load(path, data[0] % 2 ? env_full : env_empty, &err);
	if (cfg != NULL) {
		/* What the rest of the bridge relies on after a successful load. */
		if (cfg->issuer == NULL || cfg->client_id == NULL || cfg->public_url == NULL ||
		    cfg->public_path == NULL || cfg->jitsi_url == NULL || cfg->domain == NULL ||
		    cfg->claims.id == NULL || cfg->n_listen == 0 || cfg->workers < 1)
			abort();
		if ((cfg->signing_key == NULL) == br_config_alg_is_rsa(cfg->algorithm))
			abort();
		for (size_t i = 0; i < cfg->rules.n_features; i++)
			if (cfg->rules.features[i].name == NULL ||
			    cfg->rules.features[i].text == NULL)
				abort();
		br_config_free(cfg);
	} else if (err.msg[0] == '\0') {
		abort();
	}
	return 0;
}
