/*
 * fuzz_discovery.c - libFuzzer target: parse arbitrary discovery documents
 * (br_discovery_parse) for two fixed configs: one that takes the document's
 * ID token algorithms, one with [provider] id_token_algs and configured
 * userinfo/end_session endpoints.  All three issuers are https: an accepted
 * document never names a plain http endpoint outside this host.
 *
 * Build with `make fuzz` (tests/fuzz/build.sh OUTDIR fuzz_discovery), which
 * links the library compiled with clang; run:
 *   ./fuzz_discovery -max_total_time=60 tests/fuzz/corpus/discovery
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bridge/addr.h"
#include "bridge/configuration.h"
#include "bridge/discovery.h"
#include "bridge/error.h"
#include "bridge/provider.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char issuer[] = "https://auth.example.org/realms/jitsi";
static char issuer_llng[] = "https://auth.example.org/";
static char algs[] = "RS256 ES256 PS384";
static char userinfo[] = "https://auth.example.org/userinfo";
static char end_session[] = "https://auth.example.org/logout";

static void check(const struct br_provider_meta *m, const struct br_error *err)
{
	if (m == NULL) {
		/* Every refusal says why. */
		if (err->msg[0] == '\0')
			abort();
		return;
	}
	if (m->issuer == NULL || m->authorization_endpoint == NULL || m->token_endpoint == NULL ||
	    m->jwks_uri == NULL || m->id_token_algs == 0)
		abort();
	/* An https issuer's endpoints are never plain http to another host. */
	const char *eps[] = {m->authorization_endpoint, m->token_endpoint, m->jwks_uri,
	                     m->userinfo_endpoint, m->end_session_endpoint};
	for (size_t i = 0; i < sizeof(eps) / sizeof(eps[0]); i++)
		if (eps[i] && strncmp(eps[i], "http://", 7) == 0 &&
		    !br_addr_url_is_loopback(eps[i]))
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct br_config plain = {.issuer = issuer};
	struct br_config llng = {.issuer = issuer_llng};
	struct br_config pinned = {.issuer = issuer,
	                           .id_token_algs = algs,
	                           .userinfo_endpoint = userinfo,
	                           .end_session_endpoint = end_session};
	const struct br_config *cfgs[] = {&plain, &llng, &pinned};

	for (size_t i = 0; i < sizeof(cfgs) / sizeof(cfgs[0]); i++) {
		struct br_error err = {0};
		struct br_provider_meta *m =
		        br_discovery_parse((const char *)data, size, cfgs[i], &err);
		check(m, &err);
		br_provider_meta_free(m);
	}
	return 0;
}
