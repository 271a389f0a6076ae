/*
 * jwa.c - the JWS algorithm table (see jwa.h).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "bridge/jwa.h"

static const struct {
	const char *name;
	unsigned alg;
	size_t hash_len;
	const char *digest;
} algs[] = {
        {"RS256", BR_JWA_RS256, 32, "SHA256"}, {"RS384", BR_JWA_RS384, 48, "SHA384"},
        {"RS512", BR_JWA_RS512, 64, "SHA512"}, {"PS256", BR_JWA_PS256, 32, "SHA256"},
        {"PS384", BR_JWA_PS384, 48, "SHA384"}, {"PS512", BR_JWA_PS512, 64, "SHA512"},
        {"ES256", BR_JWA_ES256, 32, "SHA256"}, {"ES384", BR_JWA_ES384, 48, "SHA384"},
        {"ES512", BR_JWA_ES512, 64, "SHA512"}, {"HS256", BR_JWA_HS256, 32, "SHA256"},
        {"HS384", BR_JWA_HS384, 48, "SHA384"}, {"HS512", BR_JWA_HS512, 64, "SHA512"},
};

#define N_ALGS (sizeof(algs) / sizeof(algs[0]))

/* The table row of exactly one known bit, or -1. */
static int row(unsigned alg)
{
	for (size_t i = 0; i < N_ALGS; i++)
		if (algs[i].alg == alg)
			return (int)i;
	return -1;
}

unsigned br_jwa_from_name(const char *name)
{
	for (size_t i = 0; name != NULL && i < N_ALGS; i++)
		if (strcmp(algs[i].name, name) == 0)
			return algs[i].alg;
	return 0;
}

const char *br_jwa_name(unsigned alg)
{
	int i = row(alg);
	return i < 0 ? NULL : algs[i].name;
}

size_t br_jwa_hash_len(unsigned alg)
{
	int i = row(alg);
	return i < 0 ? 0 : algs[i].hash_len;
}

const char *br_jwa_digest(unsigned alg)
{
	int i = row(alg);
	return i < 0 ? NULL : algs[i].digest;
}

const char *br_jwa_list(unsigned set, const char *sep, char *buf, size_t cap)
{
	size_t n = 0;

	if (cap == 0)
		return buf;
	buf[0] = '\0';
	for (size_t i = 0; i < N_ALGS; i++) {
		if ((set & algs[i].alg) == 0)
			continue;
		int w = snprintf(buf + n, cap - n, "%s%s", n > 0 ? sep : "", algs[i].name);
		if (w < 0 || (size_t)w >= cap - n) {
			buf[n] = '\0'; /* no half name */
			break;
		}
		n += (size_t)w;
	}
	return buf;
}
