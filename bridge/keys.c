/*
 * keys.c - the bridge's own signing keys: load, check, publish, sign.
 *
 * Everything a request may need (kid, sha256hex(kid), SPKI PEM, JWK set) is
 * computed here once, so that /asap and /jwks.json only copy bytes and the
 * loaded struct is read-only afterwards, hence shared by worker threads
 * without locks.  Signing calls OpenSSL EVP directly (cjose is used only for
 * verification, in jose.c): it is the hot path of every login and cjose would
 * re-import the key each time.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/decoder.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "bridge/evp.h"
#include "bridge/b64url.h"
#include "bridge/file.h"
#include "bridge/jwa.h"
#include "bridge/keys.h"
#include "bridge/log.h"

struct br_pubkey {
	char *kid;
	char kid_hash[BR_KEYS_SHA256_HEX_LEN + 1];
	char *pem; /* SPKI "-----BEGIN PUBLIC KEY-----" */
	size_t pem_len;
	json_t *jwk;
};

struct br_keys {
	uint64_t gen; /* unique per load: tells a thread's cached context is stale */
	enum br_jitsi_alg alg;
	const char *alg_name;
	EVP_MD *md;            /* fetched once: no name lookup per signature */
	EVP_PKEY *sign_key;    /* RS*: the RSA private key */
	unsigned char *secret; /* HS*: a copy of app_secret */
	size_t secret_len;
	struct br_pubkey *pub; /* pub[0] signs (RS*) */
	size_t n_pub;
	char *jwks;
	size_t jwks_len;
};

/*
 * Each thread keeps one prepared EVP_PKEY_CTX (sign_init, padding and digest
 * set) for the keys it last signed with, and calls EVP_PKEY_sign on it as
 * `openssl speed` does: a fresh context per token costs a provider fetch and
 * setup, some 5 % of an RSA-2048 signature.  The context holds its own
 * reference to the key, so br_keys_free() of a reloaded set is safe; the
 * next signature with a new set (another gen) replaces it, and the
 * thread-specific destructor frees it when the thread ends.
 */
struct sign_cache {
	uint64_t gen;
	EVP_PKEY_CTX *ctx;
};

static pthread_key_t cache_key;
static pthread_once_t cache_once = PTHREAD_ONCE_INIT;
static bool cache_ok;
static atomic_uint_fast64_t next_gen;

static void cache_free(void *p)
{
	struct sign_cache *c = p;
	EVP_PKEY_CTX_free(c->ctx);
	free(c);
}

static void cache_init(void)
{
	cache_ok = pthread_key_create(&cache_key, cache_free) == 0;
}

void br_keys_thread_cleanup(void)
{
	pthread_once(&cache_once, cache_init);
	if (!cache_ok)
		return;
	struct sign_cache *c = pthread_getspecific(cache_key);
	if (c != NULL) {
		pthread_setspecific(cache_key, NULL);
		cache_free(c);
	}
}

/*
 * The context is made on this thread's own copy of the key.  OpenSSL 3.0
 * keeps one RSA blinding per key for the thread that signed first and
 * makes every other thread take a write lock and a shared, locked "mt"
 * blinding (with an extra multiplication) per signature; with a copy per
 * thread every worker owns its blinding and no lock is shared.
 */
static EVP_PKEY_CTX *new_sign_ctx(const struct br_keys *keys)
{
	EVP_PKEY *own = EVP_PKEY_dup(keys->sign_key);
	EVP_PKEY_CTX *ctx = own ? EVP_PKEY_CTX_new_from_pkey(NULL, own, NULL) : NULL;

	EVP_PKEY_free(own); /* the context holds its own reference */
	if (ctx == NULL || EVP_PKEY_sign_init(ctx) != 1 ||
	    EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) != 1 ||
	    EVP_PKEY_CTX_set_signature_md(ctx, keys->md) != 1) {
		EVP_PKEY_CTX_free(ctx);
		return NULL;
	}
	return ctx;
}

/* This thread's prepared context for keys; *owned tells the caller to free
 * it (no thread-specific storage). */
static EVP_PKEY_CTX *sign_ctx(const struct br_keys *keys, bool *owned)
{
	*owned = false;
	pthread_once(&cache_once, cache_init);
	struct sign_cache *c = cache_ok ? pthread_getspecific(cache_key) : NULL;
	if (c != NULL && c->gen == keys->gen)
		return c->ctx;
	EVP_PKEY_CTX *ctx = new_sign_ctx(keys);
	if (ctx == NULL)
		return NULL;
	if (c == NULL && cache_ok) {
		c = calloc(1, sizeof(*c));
		if (c != NULL && pthread_setspecific(cache_key, c) != 0) {
			free(c);
			c = NULL;
		}
	}
	if (c == NULL) {
		*owned = true;
		return ctx;
	}
	EVP_PKEY_CTX_free(c->ctx);
	c->ctx = ctx;
	c->gen = keys->gen;
	return ctx;
}

static bool alg_is_rsa(enum br_jitsi_alg alg)
{
	return (alg & BR_JWA_RS) != 0;
}

void br_keys_sha256_hex(const char *s, char out[BR_KEYS_SHA256_HEX_LEN + 1])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[32];
	unsigned int mdlen = 0;

	if (EVP_Digest(s, strlen(s), md, &mdlen, br_evp_sha256(), NULL) != 1 || mdlen != 32) {
		/* Cannot happen with the default provider; fail closed with a
		 * hash no hex request can match. */
		memset(out, 'x', BR_KEYS_SHA256_HEX_LEN);
		out[BR_KEYS_SHA256_HEX_LEN] = '\0';
		return;
	}
	for (size_t i = 0; i < 32; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[BR_KEYS_SHA256_HEX_LEN] = '\0';
}

/* The newest OpenSSL error as text, for messages. */
static const char *ssl_reason(void)
{
	unsigned long e = ERR_peek_last_error();
	const char *r = e != 0 ? ERR_reason_error_string(e) : NULL;
	return r != NULL ? r : "unknown error";
}

/* Reads a whole key file (at most BR_KEYS_MAX_FILE_SIZE, file.c) into a
 * new buffer; *mode gets its permission bits. */
static char *read_key_file(const char *path, size_t *len, mode_t *mode, struct br_error *err)
{
	char *buf = NULL;
	int e = 0;

	switch (br_file_read_small(path, BR_KEYS_MAX_FILE_SIZE, &buf, len, mode, &e)) {
	case BR_FILE_OK:
		return buf;
	case BR_FILE_OPEN:
		br_error_set(err, BR_E_IO, "%s: cannot open: %s", path, strerror(e));
		break;
	case BR_FILE_STAT:
		br_error_set(err, BR_E_IO, "%s: cannot stat: %s", path, strerror(e));
		break;
	case BR_FILE_NOT_REGULAR:
		br_error_set(err, BR_E_CONFIG, "%s: not a regular file", path);
		break;
	case BR_FILE_TOO_LARGE:
		br_error_set(err, BR_E_CONFIG, "%s: too large for a key (more than %d bytes)", path,
		             BR_KEYS_MAX_FILE_SIZE);
		break;
	case BR_FILE_NOMEM:
		br_error_set(err, BR_E_NOMEM, "out of memory");
		break;
	case BR_FILE_READ:
		br_error_set(err, BR_E_IO, "%s: cannot read: %s", path, strerror(e));
		break;
	}
	return NULL;
}

/* A passphrase callback that refuses: the daemon starts unattended, so an
 * encrypted key cannot be used; it records that one was asked for. */
static int refuse_passphrase(char *buf, int size, int rwflag, void *u)
{
	*(bool *)u = true;
	return -1;
}

static bool is_encrypted_pem(const char *text)
{
	return strstr(text, "-----BEGIN ENCRYPTED PRIVATE KEY-----") != NULL ||
	       strstr(text, "Proc-Type: 4,ENCRYPTED") != NULL;
}

/* Loads one PEM key.  want_private: only a private key will do.  Sets
 * *is_private.  Checks type and size. */
static EVP_PKEY *load_pem(const char *path, bool want_private, bool *is_private,
                          struct br_error *err)
{
	EVP_PKEY *pkey = NULL;
	BIO *bio = NULL;
	size_t len = 0;
	mode_t mode = 0;
	bool asked = false;
	char *text = read_key_file(path, &len, &mode, err);

	if (text == NULL)
		return NULL;
	if (is_encrypted_pem(text)) {
		br_error_set(
		        err, BR_E_CONFIG,
		        "%s: the key is encrypted; decrypt it (openssl pkey -in %s -out %s.plain)",
		        path, path, path);
		goto out;
	}
	bio = BIO_new_mem_buf(text, (int)len);
	if (bio == NULL) {
		br_error_set(err, BR_E_NOMEM, "out of memory");
		goto out;
	}
	pkey = PEM_read_bio_PrivateKey(bio, NULL, refuse_passphrase, &asked);
	*is_private = pkey != NULL;
	/* A read-only memory BIO rewinds with BIO_reset() for the next try. */
	if (pkey == NULL && !want_private && !asked) {
		ERR_clear_error();
		(void)BIO_reset(bio);
		pkey = PEM_read_bio_PUBKEY(bio, NULL, refuse_passphrase, &asked);
		if (pkey == NULL) {
			/* PKCS#1 "BEGIN RSA PUBLIC KEY" */
			ERR_clear_error();
			(void)BIO_reset(bio);
			OSSL_DECODER_CTX *dctx = OSSL_DECODER_CTX_new_for_pkey(
			        &pkey, "PEM", NULL, "RSA", OSSL_KEYMGMT_SELECT_PUBLIC_KEY, NULL,
			        NULL);
			if (dctx != NULL)
				(void)OSSL_DECODER_from_bio(dctx, bio);
			OSSL_DECODER_CTX_free(dctx);
		}
	}
	if (pkey == NULL) {
		if (want_private && strstr(text, " PUBLIC KEY-----") != NULL &&
		    strstr(text, " PRIVATE KEY-----") == NULL)
			br_error_set(err, BR_E_CONFIG,
			             "%s: is a public key; signing needs the private key", path);
		else if (asked)
			br_error_set(
			        err, BR_E_CONFIG,
			        "%s: the key is encrypted; decrypt it (openssl pkey -in %s -out "
			        "%s.plain)",
			        path, path, path);
		else
			/* OpenSSL's reason ("nested asn1 error") helps nobody; its
			 * CLI tells more to whoever wants to know. */
			br_error_set(err, BR_E_CONFIG,
			             "%s: not a PEM %s (openssl pkey -in %s -noout %s)", path,
			             want_private ? "private key" : "key", path,
			             want_private ? "tells why"
			                          : "tells why; -pubin for a public key");
		ERR_clear_error();
		goto out;
	}
	if (EVP_PKEY_get_base_id(pkey) != EVP_PKEY_RSA) {
		const char *type = EVP_PKEY_get0_type_name(pkey);
		br_error_set(
		        err, BR_E_CONFIG,
		        "%s: the key is %s, not RSA; the Jitsi token is signed with RS256, RS384 "
		        "or RS512 (Jitsi accepts no EC, PS or EdDSA keys)",
		        path, type != NULL ? type : "non-RSA");
		EVP_PKEY_free(pkey);
		pkey = NULL;
		goto out;
	}
	int bits = EVP_PKEY_get_bits(pkey);
	if (bits < BR_KEYS_MIN_RSA_BITS || bits > BR_KEYS_MAX_RSA_BITS) {
		br_error_set(
		        err, BR_E_CONFIG,
		        "%s: RSA key of %d bits; it must have %d to %d bits (generate one with "
		        "jitsi-oidc-bridge --generate-key)",
		        path, bits, BR_KEYS_MIN_RSA_BITS, BR_KEYS_MAX_RSA_BITS);
		EVP_PKEY_free(pkey);
		pkey = NULL;
		goto out;
	}
	if (*is_private && (mode & (S_IRWXG | S_IRWXO)) != 0) {
		char m[8];
		snprintf(m, sizeof(m), "%04o", (unsigned)(mode & 07777));
		br_log(BR_LOG_WARN,
		       "private key file is readable by group or others (chmod 600 it)", "path",
		       path, "mode", m, (char *)NULL);
	}
out:
	BIO_free(bio);
	OPENSSL_cleanse(text, len);
	free(text);
	return pkey;
}

static char *bn_b64url(const EVP_PKEY *pkey, const char *param)
{
	BIGNUM *bn = NULL;
	unsigned char *bin = NULL;
	char *out = NULL;

	if (EVP_PKEY_get_bn_param(pkey, param, &bn) != 1)
		return NULL;
	int n = BN_num_bytes(bn);
	bin = malloc(n > 0 ? (size_t)n : 1);
	if (bin != NULL && BN_bn2bin(bn, bin) == n)
		out = br_b64url_encode_new(bin, (size_t)n);
	free(bin);
	BN_free(bn);
	return out;
}

/* Fills pub from an RSA key: kid (RFC 7638 thumbprint), its hash, the SPKI
 * PEM and the JWK. */
static int describe_key(EVP_PKEY *pkey, const char *alg, struct br_pubkey *pub,
                        struct br_error *err)
{
	int ret = -1;
	char *n = bn_b64url(pkey, OSSL_PKEY_PARAM_RSA_N);
	char *e = bn_b64url(pkey, OSSL_PKEY_PARAM_RSA_E);
	char *canon = NULL;
	BIO *bio = NULL;

	if (n == NULL || e == NULL)
		goto nomem;
	/* RFC 7638 §3.2: the required members in lexicographic order, no
	 * whitespace; n and e are base64url, so no escaping is needed. */
	size_t clen = strlen(n) + strlen(e) + 32;
	canon = malloc(clen);
	if (canon == NULL)
		goto nomem;
	snprintf(canon, clen, "{\"e\":\"%s\",\"kty\":\"RSA\",\"n\":\"%s\"}", e, n);
	unsigned char md[32];
	unsigned int mdlen = 0;
	if (EVP_Digest(canon, strlen(canon), md, &mdlen, br_evp_sha256(), NULL) != 1) {
		br_error_set(err, BR_E_CRYPTO, "SHA-256 failed: %s", ssl_reason());
		goto out;
	}
	pub->kid = br_b64url_encode_new(md, mdlen);
	if (pub->kid == NULL)
		goto nomem;
	br_keys_sha256_hex(pub->kid, pub->kid_hash);

	bio = BIO_new(BIO_s_mem());
	if (bio == NULL || PEM_write_bio_PUBKEY(bio, pkey) != 1) {
		br_error_set(err, BR_E_CRYPTO, "cannot write the public key as PEM: %s",
		             ssl_reason());
		goto out;
	}
	char *data = NULL;
	long dlen = BIO_get_mem_data(bio, &data);
	if (dlen <= 0 || data == NULL) {
		br_error_set(err, BR_E_CRYPTO, "cannot write the public key as PEM");
		goto out;
	}
	pub->pem = malloc((size_t)dlen + 1);
	if (pub->pem == NULL)
		goto nomem;
	memcpy(pub->pem, data, (size_t)dlen);
	pub->pem[dlen] = '\0';
	pub->pem_len = (size_t)dlen;

	pub->jwk = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "kty", "RSA", "n", n, "e", e, "kid",
	                     pub->kid, "use", "sig", "alg", alg);
	if (pub->jwk == NULL)
		goto nomem;
	ret = 0;
	goto out;
nomem:
	br_error_set(err, BR_E_NOMEM, "out of memory");
out:
	BIO_free(bio);
	free(canon);
	free(n);
	free(e);
	return ret;
}

static int add_key(struct br_keys *keys, EVP_PKEY *pkey, struct br_error *err)
{
	struct br_pubkey pub = {0};

	if (describe_key(pkey, keys->alg_name, &pub, err) != 0)
		goto fail;
	for (size_t i = 0; i < keys->n_pub; i++) {
		if (strcmp(keys->pub[i].kid, pub.kid) == 0)
			goto dup; /* the same key listed twice: publish it once */
	}
	struct br_pubkey *p = realloc(keys->pub, (keys->n_pub + 1) * sizeof(*p));
	if (p == NULL) {
		br_error_set(err, BR_E_NOMEM, "out of memory");
		goto fail;
	}
	keys->pub = p;
	keys->pub[keys->n_pub++] = pub;
	return 0;
dup:
	free(pub.kid);
	free(pub.pem);
	json_decref(pub.jwk);
	return 0;
fail:
	free(pub.kid);
	free(pub.pem);
	json_decref(pub.jwk);
	return -1;
}

static int build_jwks(struct br_keys *keys, struct br_error *err)
{
	json_t *arr = json_array();
	json_t *set = json_object();
	int ret = -1;

	if (arr == NULL || set == NULL)
		goto out;
	for (size_t i = 0; i < keys->n_pub; i++) {
		if (json_array_append(arr, keys->pub[i].jwk) != 0)
			goto out;
	}
	if (json_object_set(set, "keys", arr) != 0)
		goto out;
	keys->jwks = json_dumps(set, JSON_COMPACT);
	if (keys->jwks == NULL)
		goto out;
	keys->jwks_len = strlen(keys->jwks);
	ret = 0;
out:
	if (ret != 0)
		br_error_set(err, BR_E_NOMEM, "out of memory");
	json_decref(arr);
	json_decref(set);
	return ret;
}

static int load_previous(struct br_keys *keys, const char *list, struct br_error *err)
{
	char *copy = strdup(list);
	char *save = NULL;
	int ret = -1;
	size_t n = 0;

	if (copy == NULL) {
		br_error_set(err, BR_E_NOMEM, "out of memory");
		return -1;
	}
	for (char *path = strtok_r(copy, " \t", &save); path != NULL;
	     path = strtok_r(NULL, " \t", &save)) {
		if (++n > BR_KEYS_MAX_PREVIOUS) {
			br_error_set(err, BR_E_CONFIG,
			             "[jitsi] previous_keys: more than %d keys; drop the oldest",
			             BR_KEYS_MAX_PREVIOUS);
			goto out;
		}
		bool is_private = false;
		EVP_PKEY *pkey = load_pem(path, false, &is_private, err);
		if (pkey == NULL) {
			br_error_prefix(err, "[jitsi] previous_keys");
			goto out;
		}
		int r = add_key(keys, pkey, err);
		EVP_PKEY_free(pkey);
		if (r != 0)
			goto out;
	}
	ret = 0;
out:
	free(copy);
	return ret;
}

struct br_keys *br_keys_load(const struct br_config *cfg, struct br_error *err)
{
	struct br_keys *keys = calloc(1, sizeof(*keys));

	if (keys == NULL) {
		br_error_set(err, BR_E_NOMEM, "out of memory");
		return NULL;
	}
	keys->gen = atomic_fetch_add(&next_gen, 1) + 1;
	keys->alg = cfg->algorithm;
	keys->alg_name = br_jwa_name(cfg->algorithm & BR_JWA_JITSI);
	if (keys->alg_name == NULL) {
		br_error_set(err, BR_E_CONFIG, "[jitsi] algorithm: unknown algorithm");
		goto fail;
	}
	keys->md = EVP_MD_fetch(NULL, br_jwa_digest(cfg->algorithm), NULL);
	if (keys->md == NULL) {
		br_error_set(err, BR_E_CRYPTO, "%s is not available: %s",
		             br_jwa_digest(cfg->algorithm), ssl_reason());
		goto fail;
	}
	if (!alg_is_rsa(cfg->algorithm)) {
		if (cfg->app_secret == NULL || cfg->app_secret_len == 0) {
			br_error_set(err, BR_E_CONFIG,
			             "[jitsi] app_secret: required with %s (or app_secret_file)",
			             keys->alg_name);
			goto fail;
		}
		if (cfg->app_secret_len < BR_KEYS_MIN_SECRET_LEN) {
			br_error_set(err, BR_E_CONFIG,
			             "[jitsi] app_secret: too short (%zu bytes; at least %d)",
			             cfg->app_secret_len, BR_KEYS_MIN_SECRET_LEN);
			goto fail;
		}
		keys->secret = malloc(cfg->app_secret_len);
		if (keys->secret == NULL) {
			br_error_set(err, BR_E_NOMEM, "out of memory");
			goto fail;
		}
		memcpy(keys->secret, cfg->app_secret, cfg->app_secret_len);
		keys->secret_len = cfg->app_secret_len;
	} else {
		if (cfg->signing_key == NULL || cfg->signing_key[0] == '\0') {
			br_error_set(err, BR_E_CONFIG, "[jitsi] signing_key: required with %s",
			             keys->alg_name);
			goto fail;
		}
		bool is_private = false;
		keys->sign_key = load_pem(cfg->signing_key, true, &is_private, err);
		if (keys->sign_key == NULL) {
			br_error_prefix(err, "[jitsi] signing_key");
			goto fail;
		}
		if (add_key(keys, keys->sign_key, err) != 0)
			goto fail;
		if (cfg->previous_keys != NULL && load_previous(keys, cfg->previous_keys, err) != 0)
			goto fail;
	}
	if (build_jwks(keys, err) != 0)
		goto fail;
	return keys;
fail:
	br_keys_free(keys);
	return NULL;
}

void br_keys_free(struct br_keys *keys)
{
	if (keys == NULL)
		return;
	for (size_t i = 0; i < keys->n_pub; i++) {
		free(keys->pub[i].kid);
		free(keys->pub[i].pem);
		json_decref(keys->pub[i].jwk);
	}
	free(keys->pub);
	free(keys->jwks);
	if (keys->secret != NULL) {
		OPENSSL_cleanse(keys->secret, keys->secret_len);
		free(keys->secret);
	}
	EVP_PKEY_free(keys->sign_key);
	EVP_MD_free(keys->md);
	free(keys);
}

int br_keys_sign(const struct br_keys *keys, const unsigned char *in, size_t len,
                 unsigned char **sig, size_t *siglen, struct br_error *err)
{
	unsigned char *out = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	bool owned = false;
	int ret = -1;

	*sig = NULL;
	*siglen = 0;
	if (keys->secret != NULL) {
		size_t outlen = 0;
		out = malloc(EVP_MAX_MD_SIZE);
		if (out == NULL) {
			br_error_set(err, BR_E_NOMEM, "out of memory");
			goto out;
		}
		if (EVP_Q_mac(NULL, "HMAC", NULL, EVP_MD_get0_name(keys->md), NULL, keys->secret,
		              keys->secret_len, in, len, out, EVP_MAX_MD_SIZE, &outlen) == NULL) {
			br_error_set(err, BR_E_CRYPTO, "HMAC failed: %s", ssl_reason());
			goto out;
		}
		*sig = out;
		*siglen = outlen;
		out = NULL;
		ret = 0;
		goto out;
	}
	/* The context and its copy of the key are this thread's own (see
	 * sign_ctx and new_sign_ctx). */
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	if (EVP_Digest(in, len, md, &mdlen, keys->md, NULL) != 1) {
		br_error_set(err, BR_E_CRYPTO, "digest failed: %s", ssl_reason());
		goto out;
	}
	ctx = sign_ctx(keys, &owned);
	if (ctx == NULL) {
		br_error_set(err, BR_E_CRYPTO, "cannot start signing: %s", ssl_reason());
		goto out;
	}
	size_t outlen = (size_t)EVP_PKEY_get_size(keys->sign_key);
	out = malloc(outlen);
	if (out == NULL) {
		br_error_set(err, BR_E_NOMEM, "out of memory");
		goto out;
	}
	if (EVP_PKEY_sign(ctx, out, &outlen, md, mdlen) != 1) {
		br_error_set(err, BR_E_CRYPTO, "signing failed: %s", ssl_reason());
		/* Do not keep a context in an unknown state for the next token. */
		if (!owned)
			br_keys_thread_cleanup();
		goto out;
	}
	*sig = out;
	*siglen = outlen;
	out = NULL;
	ret = 0;
out:
	if (ret != 0)
		ERR_clear_error();
	if (owned)
		EVP_PKEY_CTX_free(ctx);
	free(out);
	return ret;
}

int br_keys_generate(const char *path, int bits, char **kid_out, struct br_error *err)
{
	EVP_PKEY *pkey = NULL;
	BIO *bio = NULL;
	struct br_pubkey pub = {0};
	int fd = -1;
	int ret = -1;
	bool created = false;

	if (kid_out != NULL)
		*kid_out = NULL;
	if (bits == 0)
		bits = BR_KEYS_DEFAULT_BITS;
	if (bits < BR_KEYS_MIN_RSA_BITS || bits > BR_KEYS_MAX_RSA_BITS) {
		br_error_set(err, BR_E_INVALID, "--bits %d: an RSA key must have %d to %d bits",
		             bits, BR_KEYS_MIN_RSA_BITS, BR_KEYS_MAX_RSA_BITS);
		return -1;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOCTTY, 0600);
	if (fd < 0) {
		if (errno == EEXIST)
			br_error_set(err, BR_E_IO, "%s: already exists; refusing to overwrite it",
			             path);
		else
			br_error_set(err, BR_E_IO, "%s: cannot create: %s", path, strerror(errno));
		return -1;
	}
	created = true;
	/* umask may have left group/other bits off, never on; make sure. */
	if (fchmod(fd, 0600) != 0) {
		br_error_set(err, BR_E_IO, "%s: cannot chmod: %s", path, strerror(errno));
		goto out;
	}
	pkey = EVP_RSA_gen((unsigned int)bits);
	if (pkey == NULL) {
		br_error_set(err, BR_E_CRYPTO, "RSA key generation failed: %s", ssl_reason());
		goto out;
	}
	bio = BIO_new(BIO_s_mem());
	if (bio == NULL || PEM_write_bio_PrivateKey(bio, pkey, NULL, NULL, 0, NULL, NULL) != 1) {
		br_error_set(err, BR_E_CRYPTO, "cannot write the key as PEM: %s", ssl_reason());
		goto out;
	}
	char *data = NULL;
	long dlen = BIO_get_mem_data(bio, &data);
	for (long off = 0; off < dlen;) {
		ssize_t w = write(fd, data + off, (size_t)(dlen - off));
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			br_error_set(err, BR_E_IO, "%s: cannot write: %s", path,
			             w < 0 ? strerror(errno) : "short write");
			goto out;
		}
		off += w;
	}
	if (fsync(fd) != 0) {
		br_error_set(err, BR_E_IO, "%s: cannot sync: %s", path, strerror(errno));
		goto out;
	}
	int cfd = fd;
	fd = -1;
	if (close(cfd) != 0) {
		br_error_set(err, BR_E_IO, "%s: cannot close: %s", path, strerror(errno));
		goto out;
	}
	if (describe_key(pkey, br_jwa_name(BR_JWA_RS256), &pub, err) != 0)
		goto out;
	if (kid_out != NULL) {
		*kid_out = pub.kid;
		pub.kid = NULL;
	}
	ret = 0;
out:
	if (ret != 0)
		ERR_clear_error();
	if (fd >= 0)
		close(fd);
	if (ret != 0 && created)
		unlink(path);
	if (bio != NULL) {
		char *data2 = NULL;
		long l = BIO_get_mem_data(bio, &data2);
		if (data2 != NULL && l > 0)
			OPENSSL_cleanse(data2, (size_t)l);
		BIO_free(bio);
	}
	free(pub.kid);
	free(pub.pem);
	json_decref(pub.jwk);
	EVP_PKEY_free(pkey);
	return ret;
}

const char *br_keys_alg_name(const struct br_keys *keys)
{
	return keys->alg_name;
}

bool br_keys_is_rsa(const struct br_keys *keys)
{
	return alg_is_rsa(keys->alg);
}

const char *br_keys_kid(const struct br_keys *keys)
{
	return keys->sign_key != NULL && keys->n_pub > 0 ? keys->pub[0].kid : NULL;
}

const char *br_keys_pem_by_hash(const struct br_keys *keys, const char *hex, size_t *len)
{
	if (hex == NULL || strlen(hex) != BR_KEYS_SHA256_HEX_LEN)
		return NULL;
	for (size_t i = 0; i < keys->n_pub; i++) {
		if (memcmp(keys->pub[i].kid_hash, hex, BR_KEYS_SHA256_HEX_LEN) == 0) {
			if (len != NULL)
				*len = keys->pub[i].pem_len;
			return keys->pub[i].pem;
		}
	}
	return NULL;
}

const char *br_keys_jwks(const struct br_keys *keys, size_t *len)
{
	if (len != NULL)
		*len = keys->jwks_len;
	return keys->jwks;
}
