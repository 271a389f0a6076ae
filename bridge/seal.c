/*
 * seal.c - AES-256-GCM sealing of small values with a purpose label.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "bridge/evp.h"
#include "bridge/b64url.h"
#include "bridge/seal.h"

#define IV_LEN  12
#define TAG_LEN 16

size_t br_seal_len(size_t len)
{
	return br_b64url_len(IV_LEN + len + TAG_LEN);
}

char *br_seal(const unsigned char key[BR_SEAL_KEY_LEN], const char *purpose,
              const unsigned char *plain, size_t len, struct br_error *err)
{
	unsigned char *sealed = NULL;
	char *text = NULL;
	EVP_CIPHER_CTX *ctx = NULL;
	int outl = 0, finl = 0;

	if (len > INT32_MAX - IV_LEN - TAG_LEN) {
		br_error_set(err, BR_E_INTERNAL, "value too long to seal");
		return NULL;
	}
	sealed = malloc(IV_LEN + len + TAG_LEN);
	text = malloc(br_seal_len(len) + 1);
	ctx = EVP_CIPHER_CTX_new();
	if (sealed == NULL || text == NULL || ctx == NULL) {
		br_error_set(err, BR_E_NOMEM, "out of memory");
		goto fail;
	}
	if (RAND_bytes(sealed, IV_LEN) != 1 ||
	    EVP_EncryptInit_ex(ctx, br_evp_aes256gcm(), NULL, key, sealed) != 1 ||
	    EVP_EncryptUpdate(ctx, NULL, &outl, (const unsigned char *)purpose,
	                      (int)strlen(purpose)) != 1 ||
	    EVP_EncryptUpdate(ctx, sealed + IV_LEN, &outl, plain, (int)len) != 1 ||
	    EVP_EncryptFinal_ex(ctx, sealed + IV_LEN + outl, &finl) != 1 ||
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, TAG_LEN, sealed + IV_LEN + len) != 1) {
		br_error_set(err, BR_E_INTERNAL, "sealing failed");
		goto fail;
	}
	br_b64url_encode(sealed, IV_LEN + len + TAG_LEN, text);
	goto out;
fail:
	free(text);
	text = NULL;
out:
	EVP_CIPHER_CTX_free(ctx);
	if (sealed != NULL)
		OPENSSL_cleanse(sealed, IV_LEN + len + TAG_LEN);
	free(sealed);
	return text;
}

/* Decrypts sealed (len bytes, IV first) under key into plain; -1 when the
 * tag does not match. */
static int open_with(const unsigned char *key, const char *purpose, const unsigned char *sealed,
                     size_t len, unsigned char *plain)
{
	size_t plain_len = len - IV_LEN - TAG_LEN;
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int outl = 0, finl = 0, rc = -1;

	if (ctx == NULL)
		return -1;
	if (EVP_DecryptInit_ex(ctx, br_evp_aes256gcm(), NULL, key, sealed) == 1 &&
	    EVP_DecryptUpdate(ctx, NULL, &outl, (const unsigned char *)purpose,
	                      (int)strlen(purpose)) == 1 &&
	    EVP_DecryptUpdate(ctx, plain, &outl, sealed + IV_LEN, (int)plain_len) == 1 &&
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, TAG_LEN,
	                        (void *)(sealed + IV_LEN + plain_len)) == 1 &&
	    EVP_DecryptFinal_ex(ctx, plain + outl, &finl) == 1)
		rc = 0;
	EVP_CIPHER_CTX_free(ctx);
	return rc;
}

unsigned char *br_seal_open(const struct br_seal_keys *keys, const char *purpose, const char *text,
                            size_t max_text, size_t *len, bool *used_previous, struct br_error *err)
{
	size_t tlen = text != NULL ? strnlen(text, max_text + 1) : 0;
	unsigned char *sealed = NULL, *plain = NULL;
	size_t slen = 0, plain_len = 0;

	*len = 0;
	if (used_previous != NULL)
		*used_previous = false;
	if (tlen > max_text) {
		br_error_set(err, BR_E_STATE, "sealed value too long");
		return NULL;
	}
	sealed = br_b64url_decode(text != NULL ? text : "", tlen, &slen);
	if (sealed == NULL) {
		br_error_set(err, BR_E_STATE, "sealed value is not base64url");
		return NULL;
	}
	if (slen < IV_LEN + TAG_LEN) {
		br_error_set(err, BR_E_STATE, "sealed value too short");
		goto fail;
	}
	plain_len = slen - IV_LEN - TAG_LEN;
	plain = malloc(plain_len + 1);
	if (plain == NULL) {
		br_error_set(err, BR_E_NOMEM, "out of memory");
		goto fail;
	}
	if (open_with(keys->current, purpose, sealed, slen, plain) != 0) {
		if (keys->previous == NULL ||
		    open_with(keys->previous, purpose, sealed, slen, plain) != 0) {
			br_error_set(err, BR_E_STATE, "sealed value tampered or of another key");
			goto fail;
		}
		if (used_previous != NULL)
			*used_previous = true;
	}
	plain[plain_len] = '\0';
	*len = plain_len;
	free(sealed);
	return plain;
fail:
	if (plain != NULL)
		OPENSSL_cleanse(plain, plain_len);
	free(plain);
	free(sealed);
	return NULL;
}
