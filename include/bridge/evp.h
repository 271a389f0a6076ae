/*
 * evp.h - OpenSSL 3 algorithm objects fetched once per process.
 *
 * Handing EVP_sha256() or EVP_aes_256_gcm() to an init function makes
 * OpenSSL 3 look the algorithm up in its provider store on every call (a
 * name lookup under a lock); a fetched object skips that.  The objects are
 * fetched on first use, shared by all threads (they are immutable and
 * reference counted) and live as long as the process.  NULL when the
 * default provider lacks the algorithm.
 */
#ifndef BR_EVP_H
#define BR_EVP_H

#include <openssl/evp.h>

const EVP_MD *br_evp_sha256(void);
const EVP_MD *br_evp_sha384(void);
const EVP_MD *br_evp_sha512(void);
const EVP_CIPHER *br_evp_aes256gcm(void);

#endif
