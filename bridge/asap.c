/*
 * asap.c - /asap/<sha256hex(kid)>.pem and /jwks.json.
 *
 * Prosody fetches <asap_key_server>/<sha256hex(kid)>.pem, accepts only 200
 * or 204 and an SPKI PEM, and caches the key by kid forever.  Everything
 * served here was computed by keys.c at load; httpd sends a copy.
 */
#include "config.h"

#include <stdbool.h>
#include <string.h>

#include "bridge/asap.h"

#define ASAP_PREFIX "/asap/"
#define PEM_SUFFIX  ".pem"

static bool is_lower_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	}
	return true;
}

/* The PEM for "/asap/<hex>.pem", or NULL. */
static const char *find_pem(const struct br_keys *keys, const char *subpath, size_t *len)
{
	const char *name = subpath + strlen(ASAP_PREFIX);
	char hex[BR_KEYS_SHA256_HEX_LEN + 1];

	if (strlen(name) != BR_KEYS_SHA256_HEX_LEN + strlen(PEM_SUFFIX) ||
	    strcmp(name + BR_KEYS_SHA256_HEX_LEN, PEM_SUFFIX) != 0 ||
	    !is_lower_hex(name, BR_KEYS_SHA256_HEX_LEN))
		return NULL;
	memcpy(hex, name, BR_KEYS_SHA256_HEX_LEN);
	hex[BR_KEYS_SHA256_HEX_LEN] = '\0';
	return br_keys_pem_by_hash(keys, hex, len);
}

int br_asap_lookup(const struct br_keys *keys, const char *subpath, struct br_asap_answer *out)
{
	static const char not_found[] = "not found\n";

	if (strcmp(subpath, "/jwks.json") == 0) {
		*out = (struct br_asap_answer){.status = 200, .content_type = "application/json"};
		out->body = br_keys_jwks(keys, &out->len);
		return 0;
	}
	if (strncmp(subpath, ASAP_PREFIX, strlen(ASAP_PREFIX)) != 0)
		return -1;
	*out = (struct br_asap_answer){.status = 200, .content_type = "application/x-pem-file"};
	out->body = find_pem(keys, subpath, &out->len);
	if (out->body == NULL)
		*out = (struct br_asap_answer){.status = 404,
		                               .content_type = "text/plain; charset=utf-8",
		                               .body = not_found,
		                               .len = sizeof(not_found) - 1};
	return 0;
}
