/*
 * asap.h - the bridge's public keys over HTTP: /asap/<sha256hex(kid)>.pem
 * (Prosody's asap_key_server) and /jwks.json.
 */
#ifndef BR_ASAP_H
#define BR_ASAP_H

#include <event2/http.h>

#include "bridge/keys.h"

/* Answers req when subpath (the request path below the public prefix, no
 * query) is one of this module's: "/jwks.json" or anything under "/asap/".
 *   - GET/HEAD /asap/<64 lowercase hex>.pem of a published key: 200, the
 *     SPKI PEM (application/x-pem-file);
 *   - GET/HEAD /jwks.json: 200, the JWK set (application/json;
 *     {"keys":[]} with HS*);
 *   - any other path under /asap/ (bad hex, unknown key, HS* mode): 404;
 *   - another method on these paths: 405 with Allow: GET, HEAD.
 * 200 answers carry Cache-Control: public, max-age=300; all carry
 * X-Content-Type-Options: nosniff.  HEAD gets the headers (with the
 * Content-Length of the body) and no body.
 * Returns the HTTP status it answered req with, or -1 when the path is not
 * its own: then req is untouched and the caller answers (404). */
int br_asap_handle(struct evhttp_request *req, const struct br_keys *keys, const char *subpath);

#endif
