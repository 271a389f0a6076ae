/*
 * asap.c - /asap/<sha256hex(kid)>.pem and /jwks.json.
 *
 * Prosody fetches <asap_key_server>/<sha256hex(kid)>.pem, accepts only 200
 * or 204 and an SPKI PEM, and caches the key by kid forever.  Everything
 * served here was computed by keys.c at load, so an answer is a copy.
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

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

static void reply(struct evhttp_request *req, int code, const char *reason, const char *type,
                  const char *body, size_t len, bool cache)
{
	struct evkeyvalq *h = evhttp_request_get_output_headers(req);
	struct evbuffer *buf = NULL;
	char clen[24];

	evhttp_add_header(h, "Content-Type", type);
	evhttp_add_header(h, "X-Content-Type-Options", "nosniff");
	evhttp_add_header(h, "Cache-Control", cache ? "public, max-age=300" : "no-store");
	if (evhttp_request_get_command(req) == EVHTTP_REQ_HEAD) {
		/* libevent 2.1 (checked with 2.1.12) writes whatever body it
		 * is given, also to HEAD, and then leaves out Content-Length:
		 * give no body, and say how long it would be. */
		snprintf(clen, sizeof(clen), "%zu", len);
		evhttp_add_header(h, "Content-Length", clen);
	} else {
		/* A copy, not a reference: a reload may free keys before a
		 * slow client has read the answer. */
		buf = evbuffer_new();
		if (buf != NULL && evbuffer_add(buf, body, len) != 0) {
			evbuffer_free(buf);
			buf = NULL;
		}
		if (buf == NULL) {
			evhttp_send_error(req, HTTP_INTERNAL, NULL);
			return;
		}
	}
	evhttp_send_reply(req, code, reason, buf);
	if (buf != NULL)
		evbuffer_free(buf);
}

int br_asap_handle(struct evhttp_request *req, const struct br_keys *keys, const char *subpath)
{
	static const char not_found[] = "not found\n";
	static const char not_allowed[] = "method not allowed\n";
	bool jwks = strcmp(subpath, "/jwks.json") == 0;

	if (!jwks && strncmp(subpath, ASAP_PREFIX, strlen(ASAP_PREFIX)) != 0)
		return -1;
	enum evhttp_cmd_type cmd = evhttp_request_get_command(req);
	if (cmd != EVHTTP_REQ_GET && cmd != EVHTTP_REQ_HEAD) {
		evhttp_add_header(evhttp_request_get_output_headers(req), "Allow", "GET, HEAD");
		reply(req, 405, "Method Not Allowed", "text/plain; charset=utf-8", not_allowed,
		      sizeof(not_allowed) - 1, false);
		return 405;
	}
	if (jwks) {
		size_t len = 0;
		const char *body = br_keys_jwks(keys, &len);
		reply(req, HTTP_OK, "OK", "application/json", body, len, true);
		return HTTP_OK;
	}
	size_t len = 0;
	const char *pem = find_pem(keys, subpath, &len);
	if (pem == NULL) {
		reply(req, HTTP_NOTFOUND, "Not Found", "text/plain; charset=utf-8", not_found,
		      sizeof(not_found) - 1, false);
		return HTTP_NOTFOUND;
	}
	reply(req, HTTP_OK, "OK", "application/x-pem-file", pem, len, true);
	return HTTP_OK;
}
