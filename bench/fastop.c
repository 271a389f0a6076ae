/*
 * A fast, minimal mock OpenID provider for the /callback benchmark only (not
 * for tests: it checks nothing). One libevent loop on 127.0.0.1; a key made
 * at start-up (RSA-2048 for RS256, or P-256 for ES256); the ID token is
 * signed per /token request with OpenSSL because its nonce is the one the
 * bridge sealed for that login.
 *
 * The code is stateless: /authorize answers code = "n." + nonce, and /token
 * reads the nonce back from the code. So a driver may skip /authorize and
 * build the code itself.
 *
 *     fastop [PORT [ALG]]   (PORT 0 or none: any free port; ALG RS256 or ES256)
 *
 * Prints "PORT <n>" on stdout once it listens. The signing cost of this
 * process is on the OP's side: the benchmark measures the bridge's own CPU
 * time per login, so it does not count.  ES256 makes it about ten times
 * cheaper than RS256, which leaves the cores to the bridge in the worker
 * scaling benchmark (bench/workers.sh).
 */
#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

static EVP_PKEY *key;
static int es256; /* else RS256 */
static char issuer[64];
static char discovery[1024];
static char jwks[2048];

static size_t b64u(const unsigned char *in, size_t n, char *out)
{
	static const char tab[] =
	        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	size_t o = 0, i;
	for (i = 0; i + 2 < n; i += 3) {
		unsigned v = (unsigned)in[i] << 16 | (unsigned)in[i + 1] << 8 | in[i + 2];
		out[o++] = tab[v >> 18 & 63];
		out[o++] = tab[v >> 12 & 63];
		out[o++] = tab[v >> 6 & 63];
		out[o++] = tab[v & 63];
	}
	if (n - i == 1) {
		unsigned v = (unsigned)in[i] << 16;
		out[o++] = tab[v >> 18 & 63];
		out[o++] = tab[v >> 12 & 63];
	} else if (n - i == 2) {
		unsigned v = (unsigned)in[i] << 16 | (unsigned)in[i + 1] << 8;
		out[o++] = tab[v >> 18 & 63];
		out[o++] = tab[v >> 12 & 63];
		out[o++] = tab[v >> 6 & 63];
	}
	out[o] = '\0';
	return o;
}

/* WIDTH: the fixed length in bytes (EC coordinates), 0 for the minimum. */
static void b64u_bn(const char *name, int width, char *out)
{
	BIGNUM *bn = NULL;
	unsigned char buf[512];
	int n;
	EVP_PKEY_get_bn_param(key, name, &bn);
	n = width ? BN_bn2binpad(bn, buf, width) : BN_bn2bin(bn, buf);
	b64u(buf, (size_t)n, out);
	BN_free(bn);
}

static void reply(struct evhttp_request *r, int code, const char *type, const char *body)
{
	struct evbuffer *b = evbuffer_new();
	evhttp_add_header(evhttp_request_get_output_headers(r), "Content-Type", type);
	evbuffer_add(b, body, strlen(body));
	evhttp_send_reply(r, code, code == 200 ? "OK" : "Error", b);
	evbuffer_free(b);
}

/* Only base64url characters may go into the code and the JSON. */
static int safe(const char *s)
{
	if (!s || !*s || strlen(s) > 200)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		      (*s >= '0' && *s <= '9') || *s == '-' || *s == '_'))
			return 0;
	return 1;
}

static void on_authorize(struct evhttp_request *r)
{
	struct evkeyvalq q;
	const char *ru, *state, *nonce;
	char loc[2048];
	evhttp_parse_query_str(evhttp_uri_get_query(evhttp_request_get_evhttp_uri(r)), &q);
	ru = evhttp_find_header(&q, "redirect_uri");
	state = evhttp_find_header(&q, "state");
	nonce = evhttp_find_header(&q, "nonce");
	if (!ru || !safe(state) || !safe(nonce) || strncmp(ru, "http://127.0.0.1:", 17)) {
		reply(r, 400, "text/plain", "bad request\n");
	} else {
		snprintf(loc, sizeof(loc), "%s?code=n.%s&state=%s", ru, nonce, state);
		evhttp_add_header(evhttp_request_get_output_headers(r), "Location", loc);
		evhttp_send_reply(r, 302, "Found", NULL);
	}
	evhttp_clear_headers(&q);
}

static void on_token(struct evhttp_request *r)
{
	struct evbuffer *in = evhttp_request_get_input_buffer(r);
	size_t len = evbuffer_get_length(in);
	char body[4096], hdr[128], claims[1024], input[2048], sig64[400], out[4096];
	unsigned char sig[512];
	size_t siglen = sizeof(sig), n;
	struct evkeyvalq q;
	const char *code;
	long now = (long)time(NULL);
	EVP_MD_CTX *md;

	if (len >= sizeof(body)) {
		reply(r, 400, "application/json", "{\"error\":\"invalid_request\"}");
		return;
	}
	evbuffer_copyout(in, body, len);
	body[len] = '\0';
	evhttp_parse_query_str(body, &q);
	code = evhttp_find_header(&q, "code");
	if (!code || strncmp(code, "n.", 2) || !safe(code + 2)) {
		reply(r, 400, "application/json", "{\"error\":\"invalid_grant\"}");
		evhttp_clear_headers(&q);
		return;
	}
	b64u((const unsigned char *)(es256 ? "{\"alg\":\"ES256\",\"kid\":\"k1\",\"typ\":\"JWT\"}"
	                                   : "{\"alg\":\"RS256\",\"kid\":\"k1\",\"typ\":\"JWT\"}"),
	     38, hdr);
	snprintf(claims, sizeof(claims),
	         "{\"iss\":\"%s\",\"aud\":\"jitsi\",\"sub\":\"bench-user\",\"iat\":%ld,"
	         "\"exp\":%ld,\"nonce\":\"%s\",\"name\":\"Bench User\",\"email\":"
	         "\"bench@example.org\",\"picture\":\"https://example.org/a.png\","
	         "\"groups\":[\"jitsi-meet\",\"jitsi-moderators\"]}",
	         issuer, now, now + 300, code + 2);
	n = (size_t)snprintf(input, sizeof(input), "%s.", hdr);
	n += b64u((const unsigned char *)claims, strlen(claims), input + n);
	md = EVP_MD_CTX_new();
	EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, key);
	EVP_DigestSign(md, sig, &siglen, (const unsigned char *)input, n);
	EVP_MD_CTX_free(md);
	if (es256) {
		/* JWS wants r || s, 32 bytes each, not DER */
		const unsigned char *p = sig;
		ECDSA_SIG *es = d2i_ECDSA_SIG(NULL, &p, (long)siglen);
		if (es == NULL) {
			reply(r, 500, "application/json", "{\"error\":\"server_error\"}");
			evhttp_clear_headers(&q);
			return;
		}
		BN_bn2binpad(ECDSA_SIG_get0_r(es), sig, 32);
		BN_bn2binpad(ECDSA_SIG_get0_s(es), sig + 32, 32);
		siglen = 64;
		ECDSA_SIG_free(es);
	}
	b64u(sig, siglen, sig64);
	snprintf(out, sizeof(out),
	         "{\"access_token\":\"bench-at\",\"token_type\":\"Bearer\",\"expires_in\":300,"
	         "\"id_token\":\"%s.%s\"}",
	         input, sig64);
	evhttp_add_header(evhttp_request_get_output_headers(r), "Cache-Control", "no-store");
	reply(r, 200, "application/json", out);
	evhttp_clear_headers(&q);
}

static void on_request(struct evhttp_request *r, void *arg)
{
	const char *path = evhttp_uri_get_path(evhttp_request_get_evhttp_uri(r));
	(void)arg;
	if (!path)
		reply(r, 404, "text/plain", "not found\n");
	else if (!strcmp(path, "/.well-known/openid-configuration"))
		reply(r, 200, "application/json", discovery);
	else if (!strcmp(path, "/jwks"))
		reply(r, 200, "application/json", jwks);
	else if (!strcmp(path, "/authorize"))
		on_authorize(r);
	else if (!strcmp(path, "/token") && evhttp_request_get_command(r) == EVHTTP_REQ_POST)
		on_token(r);
	else
		reply(r, 404, "text/plain", "not found\n");
}

int main(int argc, char **argv)
{
	struct event_base *base = event_base_new();
	struct evhttp *http = evhttp_new(base);
	struct evhttp_bound_socket *bs;
	struct sockaddr_in sa;
	socklen_t sl = sizeof(sa);
	char n[400], e[64];
	unsigned short port;

	es256 = argc > 2 && strcmp(argv[2], "ES256") == 0;
	key = es256 ? EVP_EC_gen("P-256") : EVP_RSA_gen(2048);
	if (!key)
		return 1;
	bs = evhttp_bind_socket_with_handle(http, "127.0.0.1",
	                                    (unsigned short)(argc > 1 ? atoi(argv[1]) : 0));
	if (!bs)
		return 1;
	getsockname(evhttp_bound_socket_get_fd(bs), (struct sockaddr *)&sa, &sl);
	port = ntohs(sa.sin_port);
	snprintf(issuer, sizeof(issuer), "http://127.0.0.1:%u", port);
	snprintf(discovery, sizeof(discovery),
	         "{\"issuer\":\"%s\",\"authorization_endpoint\":\"%s/authorize\","
	         "\"token_endpoint\":\"%s/token\",\"jwks_uri\":\"%s/jwks\","
	         "\"response_types_supported\":[\"code\"],\"subject_types_supported\":"
	         "[\"public\"],\"id_token_signing_alg_values_supported\":[\"%s\"]}",
	         issuer, issuer, issuer, issuer, es256 ? "ES256" : "RS256");
	/* the public key's two numbers: x and y of the EC point, or n and e */
	b64u_bn(es256 ? OSSL_PKEY_PARAM_EC_PUB_X : OSSL_PKEY_PARAM_RSA_N, es256 ? 32 : 0, n);
	b64u_bn(es256 ? OSSL_PKEY_PARAM_EC_PUB_Y : OSSL_PKEY_PARAM_RSA_E, es256 ? 32 : 0, e);
	snprintf(jwks, sizeof(jwks),
	         es256 ? "{\"keys\":[{\"kty\":\"EC\",\"use\":\"sig\",\"alg\":\"ES256\",\"kid\":"
	                 "\"k1\",\"crv\":\"P-256\",\"x\":\"%s\",\"y\":\"%s\"}]}"
	               : "{\"keys\":[{\"kty\":\"RSA\",\"use\":\"sig\",\"alg\":\"RS256\","
	                 "\"kid\":\"k1\",\"n\":\"%s\",\"e\":\"%s\"}]}",
	         n, e);
	evhttp_set_allowed_methods(http, EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_HEAD);
	evhttp_set_gencb(http, on_request, NULL);
	printf("PORT %u\n", port);
	fflush(stdout);
	event_base_dispatch(base);
	return 0;
}
