/*
 * jwa.h - the JWS algorithms (RFC 7518 section 3) the bridge knows: their
 * names, their bits, their digests.  One table for the ID tokens it checks
 * (RS/PS/ES), the Jitsi tokens it signs (RS/HS) and the config keys that
 * name either.  No "none": it has no bit, so no set can hold it.
 */
#ifndef BR_JWA_H
#define BR_JWA_H

#include <stddef.h>

/* One bit per algorithm, so that a set of them is an unsigned. */
enum br_jwa {
	BR_JWA_RS256 = 1u << 0,
	BR_JWA_RS384 = 1u << 1,
	BR_JWA_RS512 = 1u << 2,
	BR_JWA_PS256 = 1u << 3,
	BR_JWA_PS384 = 1u << 4,
	BR_JWA_PS512 = 1u << 5,
	BR_JWA_ES256 = 1u << 6,
	BR_JWA_ES384 = 1u << 7,
	BR_JWA_ES512 = 1u << 8,
	BR_JWA_HS256 = 1u << 9,
	BR_JWA_HS384 = 1u << 10,
	BR_JWA_HS512 = 1u << 11,
};

#define BR_JWA_RS   (BR_JWA_RS256 | BR_JWA_RS384 | BR_JWA_RS512)
#define BR_JWA_PS   (BR_JWA_PS256 | BR_JWA_PS384 | BR_JWA_PS512)
#define BR_JWA_RSA  (BR_JWA_RS | BR_JWA_PS) /* signed with an RSA key */
#define BR_JWA_EC   (BR_JWA_ES256 | BR_JWA_ES384 | BR_JWA_ES512)
#define BR_JWA_HMAC (BR_JWA_HS256 | BR_JWA_HS384 | BR_JWA_HS512)
/* What an ID token may be signed with: never HMAC (the client secret is
 * not a key the IdP alone holds). */
#define BR_JWA_ID_TOKEN (BR_JWA_RSA | BR_JWA_EC)
/* What the bridge signs Jitsi tokens with (Prosody's token_verification
 * accepts RS* with asap_key_server, HS* with app_secret). */
#define BR_JWA_JITSI (BR_JWA_RS | BR_JWA_HMAC)

/* The bit of an algorithm name (case-sensitive, as RFC 7518), 0 when name
 * is NULL or unknown. */
unsigned br_jwa_from_name(const char *name);

/* The name of one bit (static), NULL unless alg is exactly one known bit. */
const char *br_jwa_name(unsigned alg);

/* The digest size in bytes of one bit (32, 48, 64), 0 if unknown. */
size_t br_jwa_hash_len(unsigned alg);

/* The digest's OpenSSL name of one bit ("SHA256"; static), NULL if unknown. */
const char *br_jwa_digest(unsigned alg);

/* The names of the algorithms in set, in table order (RS, PS, ES, HS),
 * joined by sep, into buf (NUL-terminated; the names that do not fit in cap
 * are left out).  Returns buf. */
const char *br_jwa_list(unsigned set, const char *sep, char *buf, size_t cap);

#endif
