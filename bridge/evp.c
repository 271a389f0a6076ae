/*
 * evp.c - algorithm objects fetched once (see evp.h).
 */
#include "config.h"

#include <pthread.h>

#include "bridge/evp.h"

static pthread_once_t once = PTHREAD_ONCE_INIT;
static EVP_MD *sha256, *sha384, *sha512;
static EVP_CIPHER *aes256gcm;

static void fetch_all(void)
{
	sha256 = EVP_MD_fetch(NULL, "SHA2-256", NULL);
	sha384 = EVP_MD_fetch(NULL, "SHA2-384", NULL);
	sha512 = EVP_MD_fetch(NULL, "SHA2-512", NULL);
	aes256gcm = EVP_CIPHER_fetch(NULL, "AES-256-GCM", NULL);
}

const EVP_MD *br_evp_sha256(void)
{
	pthread_once(&once, fetch_all);
	return sha256;
}

const EVP_MD *br_evp_sha384(void)
{
	pthread_once(&once, fetch_all);
	return sha384;
}

const EVP_MD *br_evp_sha512(void)
{
	pthread_once(&once, fetch_all);
	return sha512;
}

const EVP_CIPHER *br_evp_aes256gcm(void)
{
	pthread_once(&once, fetch_all);
	return aes256gcm;
}
