/*
 * jwks.h - the provider's signing keys: parse a JWK set, pick the key for a
 * token.  (When to refetch it is provider.c's.)
 *
 * No network here: the caller fetches the document and hands its body to
 * br_jwks_parse().  A parsed set is immutable and reference counted, so
 * worker threads can share one and the fetcher can swap in a new one.
 */
#ifndef BR_JWKS_H
#define BR_JWKS_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <cjose/jwk.h>

#include "bridge/error.h"

#define BR_JWKS_MAX_BODY     (1024 * 1024)
#define BR_JWKS_MAX_KEYS     64
#define BR_JWKS_MIN_RSA_BITS 2048

enum br_jwk_kty {
	BR_JWK_RSA = 1,
	BR_JWK_EC,
};

/* One usable key.  All members are owned by the set. */
struct br_jwk {
	cjose_jwk_t *jwk;
	enum br_jwk_kty kty;
	char *kid;      /* NULL when the JWK has none */
	unsigned alg;   /* the JWK's alg as an enum br_jwa bit, 0 if absent */
	int crv;        /* EC: NID of the curve; RSA: 0 */
	int bits;       /* RSA modulus bits; EC field bits (256, 384, 521) */
	size_t sig_len; /* the exact signature length this key produces */
};

struct br_jwks;

/* Parses a JWK set document.  Keys that cannot be used are skipped and
 * their reasons kept (br_jwks_skipped()); a set without usable keys is not
 * an error.  Fails (BR_E_PROTOCOL) only when the document itself is not a
 * JSON object with a "keys" array, or too big.  Returns a new set with one
 * reference. */
struct br_jwks *br_jwks_parse(const char *body, size_t len, struct br_error *err);

/* Takes one more reference; returns set. */
struct br_jwks *br_jwks_ref(struct br_jwks *set);
/* Drops a reference, freeing the set with the last one.  NULL is fine. */
void br_jwks_unref(struct br_jwks *set);

/* Usable keys in the set (0 for NULL) and the i-th one (borrowed). */
size_t br_jwks_count(const struct br_jwks *set);
const struct br_jwk *br_jwks_key(const struct br_jwks *set, size_t i);
/* Reasons for skipped keys, e.g. "key 0 (kid \"a\"): RSA key of 1024 bits,
 * at least 2048 needed" (borrowed), for logging each once. */
size_t br_jwks_skipped_count(const struct br_jwks *set);
const char *br_jwks_skipped(const struct br_jwks *set, size_t i);

/* Whether any usable key has this kid. */
bool br_jwks_has_kid(const struct br_jwks *set, const char *kid);

/* The key to verify a token with header alg (one enum br_jwa bit) and
 * kid (may be NULL): with a kid the usable key of that kid, without one the
 * only key suitable for alg.  A key is suitable when its kty fits alg, its
 * own alg (if any) equals alg and its EC curve fits alg.  NULL with
 * BR_E_PROTOCOL otherwise.  Borrowed from set. */
const struct br_jwk *br_jwks_find(const struct br_jwks *set, const char *kid, unsigned alg,
                                  struct br_error *err);

#endif
