/*
 * jose.h - ID token verification: the only place that calls cjose to verify.
 *
 * cjose 0.6.2 is not safe on its own (it does not pin the algorithm, reads
 * "alg":"none" payloads, over-reads on short HMAC signatures, ignores "crit",
 * accepts small RSA keys), so br_jose_verify_id_token() checks the compact
 * token, its header and the key itself, in the order DESIGN.md gives, before
 * cjose_jws_verify() ever sees it.  Algorithm names are jwa.h's, the
 * base64url codec b64url.h's.
 */
#ifndef BR_JOSE_H
#define BR_JOSE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <jansson.h>

#include "bridge/error.h"
#include "bridge/jwa.h"

struct br_jwks;

/* The allowed set for a provider: the default set intersected with the
 * discovery document's id_token_signing_alg_values_supported (borrowed; NULL
 * or absent means RS256 only, as OIDC Discovery says).  May return 0. */
unsigned br_jose_algs_from_discovery(const json_t *values);

/* What the ID token must match.  Strings are borrowed. */
struct br_jose_expect {
	const char *issuer;       /* exact, byte for byte */
	const char *client_id;    /* must be in aud; azp must equal it when present */
	const char *nonce;        /* from the login state; required */
	bool nonce_optional;      /* a refresh grant's ID token: nonce, when present, must equal */
	unsigned algs;            /* allowed set of enum br_jwa bits; 0 → BR_JWA_ID_TOKEN */
	long clock_skew;          /* seconds */
	long max_token_age;       /* seconds iat may lie in the past (plus skew) */
	const char *access_token; /* optional: checks at_hash when both are present */
};

/* Details of a verification beyond the error. */
struct br_jose_result {
	bool unknown_kid; /* the token's kid (or any key) was not in the set:
	                   * the caller may refetch the JWKS once and retry */
	unsigned alg;     /* the header's alg bit, once parsed */
	char kid[128];    /* the header's kid (truncated), "" if none */
};

/* Verifies a compact JWS ID token against keys and expect at time now.
 * Returns the payload's claims (a new reference) or NULL with err set to
 * BR_E_PROTOCOL and a specific message (or BR_E_NOMEM / BR_E_INTERNAL).
 * keys is borrowed and may be NULL (treated as empty); res may be NULL. */
json_t *br_jose_verify_id_token(const char *token, size_t len, const struct br_jwks *keys,
                                const struct br_jose_expect *expect, time_t now,
                                struct br_jose_result *res, struct br_error *err);

#endif
