/*
 * jose.h - ID token verification: the only place that calls cjose to verify.
 *
 * cjose 0.6.2 is not safe on its own (it does not pin the algorithm, reads
 * "alg":"none" payloads, over-reads on short HMAC signatures, ignores "crit",
 * accepts small RSA keys), so br_jose_verify_id_token() checks the compact
 * token, its header and the key itself, in the order DESIGN.md gives, before
 * cjose_jws_verify() ever sees it.  Also the strict base64url codec the
 * other modules share.
 */
#ifndef BR_JOSE_H
#define BR_JOSE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <jansson.h>

#include "bridge/error.h"

struct br_jwks;

/* Signature algorithms, as bits of a set.  HMAC and "none" do not exist here
 * on purpose: an ID token signed with the client secret is refused. */
enum br_jose_alg {
	BR_JOSE_RS256 = 1u << 0,
	BR_JOSE_RS384 = 1u << 1,
	BR_JOSE_RS512 = 1u << 2,
	BR_JOSE_PS256 = 1u << 3,
	BR_JOSE_PS384 = 1u << 4,
	BR_JOSE_PS512 = 1u << 5,
	BR_JOSE_ES256 = 1u << 6,
	BR_JOSE_ES384 = 1u << 7,
	BR_JOSE_ES512 = 1u << 8,
};
#define BR_JOSE_ALGS_RSA                                                                           \
	(BR_JOSE_RS256 | BR_JOSE_RS384 | BR_JOSE_RS512 | BR_JOSE_PS256 | BR_JOSE_PS384 |           \
	 BR_JOSE_PS512)
#define BR_JOSE_ALGS_EC      (BR_JOSE_ES256 | BR_JOSE_ES384 | BR_JOSE_ES512)
#define BR_JOSE_ALGS_DEFAULT (BR_JOSE_ALGS_RSA | BR_JOSE_ALGS_EC)

/* The bit of a JWS alg name (case-sensitive, as RFC 7518), 0 if unsupported. */
unsigned br_jose_alg_from_name(const char *name);
/* The name of one alg bit, NULL if not exactly one known bit. */
const char *br_jose_alg_name(unsigned alg);
/* The digest size in bytes an alg uses (32, 48, 64), 0 if unknown. */
size_t br_jose_alg_hash_len(unsigned alg);

/* The allowed set for a provider: the default set intersected with the
 * discovery document's id_token_signing_alg_values_supported (borrowed; NULL
 * or absent means RS256 only, as OIDC Discovery says).  May return 0. */
unsigned br_jose_algs_from_discovery(const json_t *values);

/* What the ID token must match.  Strings are borrowed. */
struct br_jose_expect {
	const char *issuer;       /* exact, byte for byte */
	const char *client_id;    /* must be in aud; azp must equal it when present */
	const char *nonce;        /* from the login state; required */
	unsigned algs;            /* allowed set of enum br_jose_alg bits; 0 → default */
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

/* Strict base64url without padding: returns a malloc'ed buffer of *out_len
 * bytes (plus a NUL not counted) or NULL when in contains anything but the
 * alphabet, has an impossible length or non-zero trailing bits. */
unsigned char *br_jose_b64url_decode(const char *in, size_t len, size_t *out_len);
/* base64url without padding into out (needs 4*ceil(len/3)+1 bytes, NUL
 * terminated); returns the characters written. */
size_t br_jose_b64url_encode(const unsigned char *in, size_t len, char *out);
/* Characters br_jose_b64url_encode() writes for len bytes (without NUL). */
size_t br_jose_b64url_len(size_t len);

#endif
