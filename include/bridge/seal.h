/*
 * seal.h - small values the browser carries back to the bridge, sealed.
 *
 * AES-256-GCM under the state key (random 96-bit IV), with a purpose label
 * as additional authenticated data: a value sealed for one purpose never
 * opens for another, and none opens as a login state (whose data is its
 * cookie name, "jitsi_oidc_…", never a "seal:" label).  The sealed form is
 * base64url without padding: IV(12) || ciphertext || tag(16), safe in a
 * URL, a cookie and JSON as it is.
 *
 * Opening tries the previous state key ([server] previous_state_key_file)
 * after the current one, so that replicas can roll the key one at a time;
 * sealing always uses the current key.
 */
#ifndef BR_SEAL_H
#define BR_SEAL_H

#include <stdbool.h>
#include <stddef.h>

#include "bridge/error.h"

#define BR_SEAL_KEY_LEN  32
#define BR_SEAL_OVERHEAD (12 + 16) /* IV and tag, before base64url */

/* The purpose labels in use.  Each is bound into the tag. */
#define BR_SEAL_RENEWAL     "seal:renewal-handle:1"
#define BR_SEAL_LOGOUT_HINT "seal:logout-hint:1"

/* The keys a value may be opened with.  previous is NULL when none is
 * configured.  Both borrowed. */
struct br_seal_keys {
	const unsigned char *current;  /* BR_SEAL_KEY_LEN bytes */
	const unsigned char *previous; /* BR_SEAL_KEY_LEN bytes or NULL */
};

/* Seals len bytes of plain for purpose under key.  Returns the base64url
 * text as a new string (free() it), or NULL with err set (BR_E_INTERNAL,
 * BR_E_NOMEM). */
char *br_seal(const unsigned char key[BR_SEAL_KEY_LEN], const char *purpose,
              const unsigned char *plain, size_t len, struct br_error *err);

/* Length of the text br_seal() returns for len bytes of plain. */
size_t br_seal_len(size_t len);

/* Opens text (at most max_text characters, else refused unread) sealed for
 * purpose under keys->current, else keys->previous.  Returns the plaintext
 * (malloc'ed, len bytes in *len plus a NUL not counted; the caller wipes and
 * frees it) or NULL with BR_E_STATE ("… tampered", "… too long", …).
 * *used_previous (may be NULL) tells which key opened it. */
unsigned char *br_seal_open(const struct br_seal_keys *keys, const char *purpose, const char *text,
                            size_t max_text, size_t *len, bool *used_previous,
                            struct br_error *err);

#endif
