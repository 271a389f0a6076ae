/*
 * discovery.h - the provider's metadata document (OpenID Connect Discovery).
 *
 * Pure parsing and validation; provider.c fetches the document and keeps the
 * result.  With [provider] discovery = false the metadata comes from the
 * configured endpoints instead.
 */
#ifndef BR_DISCOVERY_H
#define BR_DISCOVERY_H

#include <stddef.h>

#include "bridge/configuration.h"
#include "bridge/error.h"

#define BR_DISCOVERY_MAX_BODY (256 * 1024)

/* The provider's metadata, what this module makes of the document (or the
 * configured endpoints); immutable once published.  provider.c counts the
 * references (refs) and shares it between workers. */
struct br_provider_meta {
	char *issuer;
	char *authorization_endpoint;
	char *token_endpoint;
	char *userinfo_endpoint; /* NULL when none */
	char *jwks_uri;
	char *end_session_endpoint; /* NULL when none */
	unsigned int id_token_algs; /* bit set of enum br_jwa the bridge accepts */
	int refs;
};

/* The URL of the discovery document: the issuer with one trailing '/'
 * dropped, then "/.well-known/openid-configuration".  A new string. */
char *br_discovery_url(const char *issuer);

/* Parses and validates a discovery document for cfg: "issuer" must equal
 * cfg->issuer exactly; authorization, token and jwks endpoints are required
 * http(s) URLs; the ID token algorithms are [provider] id_token_algs, or the
 * document's list intersected with RS/PS/ES 256/384/512 (RS256 when the
 * document lists none).  Returns new metadata (one reference) or NULL with
 * err (BR_E_PROTOCOL) saying what is wrong. */
struct br_provider_meta *br_discovery_parse(const char *body, size_t len,
                                            const struct br_config *cfg, struct br_error *err);

/* Metadata from the configured endpoints (discovery = false). */
struct br_provider_meta *br_discovery_from_config(const struct br_config *cfg,
                                                  struct br_error *err);

/* The bit set of enum br_jwa of a space-separated list of names;
 * -1 with err when a name is unknown or not allowed (none, HS*). */
long br_discovery_parse_algs(const char *list, struct br_error *err);

void br_provider_meta_free(struct br_provider_meta *m);

#endif
