/*
 * b64url.h - base64url without padding (RFC 4648 section 5, as JOSE uses
 * it), strict: one encoding per byte string.
 */
#ifndef BR_B64URL_H
#define BR_B64URL_H

#include <stdbool.h>
#include <stddef.h>

/* Decodes in[0..len): returns a new malloc'd buffer of *out_len bytes (plus
 * a NUL not counted; the caller frees it) or NULL when in contains anything
 * but the alphabet (padding included), has an impossible length, has
 * non-zero trailing bits, or memory runs out. */
unsigned char *br_b64url_decode(const char *in, size_t len, size_t *out_len);

/* Characters br_b64url_encode() writes for len bytes (without the NUL). */
size_t br_b64url_len(size_t len);

/* Encodes in[0..len) into out, which needs br_b64url_len(len) + 1 bytes
 * (NUL-terminated); returns the characters written. */
size_t br_b64url_encode(const unsigned char *in, size_t len, char *out);

/* Encodes in[0..len) into a new malloc'd NUL-terminated string (the caller
 * frees it), or NULL when memory runs out. */
char *br_b64url_encode_new(const unsigned char *in, size_t len);

/* Whether s[0..len) holds only base64url characters. */
bool br_b64url_chars(const char *s, size_t len);

#endif
