/*
 * asap.h - the bridge's public keys over HTTP: /asap/<sha256hex(kid)>.pem
 * (Prosody's asap_key_server) and /jwks.json.
 *
 * Pure: it picks the bytes and their content type; httpd sends them (with
 * Cache-Control: public, max-age=300 for a 200, HEAD without body).
 */
#ifndef BR_ASAP_H
#define BR_ASAP_H

#include <stddef.h>

#include "bridge/keys.h"

/* What to answer for one of asap's paths.  body is borrowed from keys (or
 * static): copy it before keys may be freed by a reload. */
struct br_asap_answer {
	int status;               /* 200 or 404 */
	const char *content_type; /* static */
	const char *body;
	size_t len;
};

/* Looks up subpath (the request path below the public prefix, no query):
 *   - "/asap/<64 lowercase hex>.pem" of a published key: 200, the SPKI PEM
 *     (application/x-pem-file);
 *   - "/jwks.json": 200, the JWK set (application/json; {"keys":[]} with HS*);
 *   - any other path under "/asap/" (bad hex, unknown key, HS* mode): 404,
 *     "not found\n" (text/plain).
 * Returns 0 with *out filled in, or -1 when the path is not asap's (out is
 * untouched; the caller answers 404). */
int br_asap_lookup(const struct br_keys *keys, const char *subpath, struct br_asap_answer *out);

#endif
