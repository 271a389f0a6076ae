/*
 * keys.h - the bridge's own signing keys and their publication.
 *
 * RS256/384/512: one RSA private key signs ([jitsi] signing_key); it and the
 * keys of previous_keys are published as SPKI PEM at /asap/<sha256hex(kid)>.pem
 * (what Prosody's asap_key_server fetches) and as a JWK set.  kid is the RFC
 * 7638 JWK thumbprint.  HS256/384/512: the shared app_secret signs and
 * nothing is published.
 *
 * Everything published is computed once at load: a loaded struct br_keys is
 * immutable and may be shared by any number of threads (reload builds a new
 * one).  Signing uses OpenSSL's EVP API directly; cjose is only used for
 * verification (jose.c).
 */
#ifndef BR_KEYS_H
#define BR_KEYS_H

#include <stdbool.h>
#include <stddef.h>

#include "bridge/configuration.h"
#include "bridge/error.h"

#define BR_KEYS_MIN_RSA_BITS   2048
#define BR_KEYS_MAX_RSA_BITS   8192
#define BR_KEYS_MIN_SECRET_LEN 32
#define BR_KEYS_DEFAULT_BITS   2048
#define BR_KEYS_MAX_FILE_SIZE  (64 * 1024)
#define BR_KEYS_MAX_PREVIOUS   16
#define BR_KEYS_SHA256_HEX_LEN 64

struct br_keys;

/* Loads the keys that cfg names for cfg->algorithm.  RS*: signing_key (PEM,
 * PKCS#1 or PKCS#8, not encrypted, RSA >= 2048 bits) plus previous_keys
 * (space-separated paths; private or public PEM; published, never used to
 * sign).  HS*: app_secret (>= 32 bytes).  Warns (log) when a private key
 * file is readable by group or others.  Returns a new struct, or NULL with
 * err set (BR_E_IO for unreadable files, BR_E_CONFIG for unusable keys). */
struct br_keys *br_keys_load(const struct br_config *cfg, struct br_error *err);

/* Frees keys (NULL is fine). */
void br_keys_free(struct br_keys *keys);

/* Signs in[0..len) with the signing key: RSASSA-PKCS1-v1_5 with
 * SHA-256/384/512, or HMAC.  *sig is a new malloc'd buffer of *siglen bytes
 * (free() it).  Thread-safe: each thread keeps one prepared signing
 * context (see br_keys_thread_cleanup). */
int br_keys_sign(const struct br_keys *keys, const unsigned char *in, size_t len,
                 unsigned char **sig, size_t *siglen, struct br_error *err);

/* Frees the calling thread's cached signing context now (it is otherwise
 * freed when the thread ends, or replaced after a reload).  For tests and
 * leak checkers; never needed for correctness. */
void br_keys_thread_cleanup(void);

/* Writes a new RSA key of bits bits (0: 2048; 2048..8192) to path as an
 * unencrypted PKCS#8 PEM, mode 0600.  Never overwrites: an existing path is
 * an error.  On success *kid_out (if kid_out is not NULL) is a new string
 * (free() it) holding the key's kid. */
int br_keys_generate(const char *path, int bits, char **kid_out, struct br_error *err);

/* The JOSE name of the configured algorithm ("RS256"). */
const char *br_keys_alg_name(const struct br_keys *keys);
bool br_keys_is_rsa(const struct br_keys *keys);

/* The kid of the signing key (borrowed); NULL with HS*. */
const char *br_keys_kid(const struct br_keys *keys);

/* The published keys are the signing key, then previous_keys in order
 * (duplicates dropped); none with HS*.
 *
 * The SPKI PEM of the published key whose lowercase hex sha256(kid) is hex
 * (64 characters), or NULL.  *len (if not NULL) gets its length.  Borrowed. */
const char *br_keys_pem_by_hash(const struct br_keys *keys, const char *hex, size_t *len);

/* The JWK set {"keys":[...]} of the published keys, in that order
 * ({"keys":[]} with HS*).  Borrowed. */
const char *br_keys_jwks(const struct br_keys *keys, size_t *len);

/* Lowercase hex SHA-256 of s into out (65 bytes with the NUL). */
void br_keys_sha256_hex(const char *s, char out[BR_KEYS_SHA256_HEX_LEN + 1]);

#endif
