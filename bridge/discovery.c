/*
 * discovery.c - parsing and validating the provider's metadata.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "bridge/addr.h"
#include "bridge/discovery.h"
#include "bridge/jose.h"
#include "bridge/jwa.h"

char *br_discovery_url(const char *issuer)
{
	static const char wk[] = "/.well-known/openid-configuration";
	size_t n = strlen(issuer);
	char *url;

	if (n > 0 && issuer[n - 1] == '/')
		n--;
	url = malloc(n + sizeof(wk));
	if (url == NULL)
		return NULL;
	memcpy(url, issuer, n);
	memcpy(url + n, wk, sizeof(wk));
	return url;
}

static int is_http_url(const char *s)
{
	return strncmp(s, "https://", 8) == 0 || strncmp(s, "http://", 7) == 0;
}

void br_provider_meta_free(struct br_provider_meta *m)
{
	if (m == NULL)
		return;
	free(m->issuer);
	free(m->authorization_endpoint);
	free(m->token_endpoint);
	free(m->userinfo_endpoint);
	free(m->jwks_uri);
	free(m->end_session_endpoint);
	free(m);
}

long br_discovery_parse_algs(const char *list, struct br_error *err)
{
	long set = 0;
	const char *p = list;

	while (*p) {
		char name[16];
		size_t n = strcspn(p, " \t");
		unsigned bit;
		if (n == 0) {
			p++;
			continue;
		}
		if (n >= sizeof(name)) {
			br_error_set(err, BR_E_CONFIG, "unknown ID token algorithm \"%.*s\"",
			             (int)n, p);
			return -1;
		}
		memcpy(name, p, n);
		name[n] = '\0';
		bit = br_jwa_from_name(name) & BR_JWA_ID_TOKEN;
		if (bit == 0) {
			br_error_set(err, BR_E_CONFIG,
			             "ID token algorithm \"%s\" is not allowed (use RS, PS or ES "
			             "256/384/512)",
			             name);
			return -1;
		}
		set |= (long)bit;
		p += n;
	}
	if (set == 0) {
		br_error_set(err, BR_E_CONFIG, "no ID token algorithm given");
		return -1;
	}
	return set;
}

/* A string member that must be an http(s) URL when present; required ones
 * must be present. */
static int take_url(const json_t *doc, const char *name, int required, char **out,
                    struct br_error *err)
{
	const json_t *v = json_object_get(doc, name);

	*out = NULL;
	if (v == NULL || json_is_null(v)) {
		if (!required)
			return 0;
		br_error_set(err, BR_E_PROTOCOL, "the discovery document has no \"%s\"", name);
		return -1;
	}
	if (!json_is_string(v) || !is_http_url(json_string_value(v)) ||
	    strlen(json_string_value(v)) > 2048) {
		br_error_set(err, BR_E_PROTOCOL,
		             "the discovery document's \"%s\" is not an http(s) URL", name);
		return -1;
	}
	*out = strdup(json_string_value(v));
	if (*out == NULL) {
		br_error_set(err, BR_E_NOMEM, "out of memory");
		return -1;
	}
	return 0;
}

/* With an https issuer every endpoint must be https too, or the client
 * secret, the code, the tokens and the keys would travel in clear; plain
 * http only for a loopback IP literal (br_addr_url_is_loopback). */
static int check_transport(const struct br_provider_meta *m, struct br_error *err)
{
	const struct {
		const char *name;
		const char *url;
	} eps[] = {
	        {"authorization_endpoint", m->authorization_endpoint},
	        {"token_endpoint", m->token_endpoint},
	        {"jwks_uri", m->jwks_uri},
	        {"userinfo_endpoint", m->userinfo_endpoint},
	        {"end_session_endpoint", m->end_session_endpoint},
	};

	if (strncmp(m->issuer, "https://", 8) != 0)
		return 0;
	for (size_t i = 0; i < sizeof(eps) / sizeof(eps[0]); i++) {
		if (eps[i].url == NULL || strncmp(eps[i].url, "http://", 7) != 0 ||
		    br_addr_url_is_loopback(eps[i].url))
			continue;
		br_error_set(err, BR_E_PROTOCOL,
		             "the provider's \"%s\" is plain http (%.200s) while the issuer is "
		             "https: refusing it (the client secret and the keys would travel in "
		             "clear)",
		             eps[i].name, eps[i].url);
		return -1;
	}
	return 0;
}

static int set_algs(struct br_provider_meta *m, const json_t *listed, const struct br_config *cfg,
                    struct br_error *err)
{
	if (cfg->id_token_algs && *cfg->id_token_algs) {
		long set = br_discovery_parse_algs(cfg->id_token_algs, err);
		if (set < 0) {
			br_error_prefix(err, "[provider] id_token_algs");
			return -1;
		}
		m->id_token_algs = (unsigned)set;
		return 0;
	}
	if (listed != NULL && !json_is_array(listed)) {
		br_error_set(err, BR_E_PROTOCOL,
		             "the discovery document's "
		             "\"id_token_signing_alg_values_supported\" is not "
		             "an array");
		return -1;
	}
	m->id_token_algs = br_jose_algs_from_discovery(listed);
	if (m->id_token_algs == 0) {
		br_error_set(err, BR_E_PROTOCOL,
		             "the provider signs ID tokens with no algorithm the bridge accepts "
		             "(RS, PS or ES 256/384/512; never none or HS*)");
		return -1;
	}
	return 0;
}

struct br_provider_meta *br_discovery_parse(const char *body, size_t len,
                                            const struct br_config *cfg, struct br_error *err)
{
	struct br_provider_meta *m = NULL;
	json_error_t jerr;
	json_t *doc = NULL;
	const json_t *iss;

	if (len > BR_DISCOVERY_MAX_BODY) {
		br_error_set(err, BR_E_PROTOCOL, "the discovery document is too big");
		return NULL;
	}
	doc = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
	if (doc == NULL || !json_is_object(doc)) {
		br_error_set(err, BR_E_PROTOCOL, "the discovery document is not a JSON object");
		goto fail;
	}
	iss = json_object_get(doc, "issuer");
	if (!json_is_string(iss)) {
		br_error_set(err, BR_E_PROTOCOL, "the discovery document has no \"issuer\"");
		goto fail;
	}
	if (strcmp(json_string_value(iss), cfg->issuer) != 0) {
		br_error_set(err, BR_E_PROTOCOL,
		             "the discovery document's issuer \"%.200s\" is not the configured "
		             "issuer \"%.200s\" (they must match exactly, trailing '/' included)",
		             json_string_value(iss), cfg->issuer);
		goto fail;
	}
	m = calloc(1, sizeof(*m));
	if (m == NULL || (m->issuer = strdup(cfg->issuer)) == NULL) {
		br_error_set(err, BR_E_NOMEM, "out of memory");
		goto fail;
	}
	m->refs = 1;
	{
		/* An endpoint set in the config overrides the discovered one,
		 * which is then not read at all (a document may even lack it). */
		const struct {
			const char *name;
			int required;
			const char *configured;
			char **out;
		} eps[] = {
		        {"authorization_endpoint", 1, cfg->authorization_endpoint,
		         &m->authorization_endpoint},
		        {"token_endpoint", 1, cfg->token_endpoint, &m->token_endpoint},
		        {"jwks_uri", 1, cfg->jwks_uri, &m->jwks_uri},
		        {"userinfo_endpoint", 0, cfg->userinfo_endpoint, &m->userinfo_endpoint},
		        {"end_session_endpoint", 0, cfg->end_session_endpoint,
		         &m->end_session_endpoint},
		};
		for (size_t i = 0; i < sizeof(eps) / sizeof(eps[0]); i++) {
			if (eps[i].configured == NULL) {
				if (take_url(doc, eps[i].name, eps[i].required, eps[i].out, err))
					goto fail;
			} else if ((*eps[i].out = strdup(eps[i].configured)) == NULL) {
				br_error_set(err, BR_E_NOMEM, "out of memory");
				goto fail;
			}
		}
	}
	if (check_transport(m, err))
		goto fail;
	if (set_algs(m, json_object_get(doc, "id_token_signing_alg_values_supported"), cfg, err))
		goto fail;
	json_decref(doc);
	return m;
fail:
	json_decref(doc);
	br_provider_meta_free(m);
	return NULL;
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

struct br_provider_meta *br_discovery_from_config(const struct br_config *cfg, struct br_error *err)
{
	struct br_provider_meta *m = calloc(1, sizeof(*m));

	if (m == NULL)
		goto nomem;
	m->refs = 1;
	m->issuer = strdup(cfg->issuer);
	m->authorization_endpoint = dup_or_null(cfg->authorization_endpoint);
	m->token_endpoint = dup_or_null(cfg->token_endpoint);
	m->jwks_uri = dup_or_null(cfg->jwks_uri);
	m->userinfo_endpoint = dup_or_null(cfg->userinfo_endpoint);
	m->end_session_endpoint = dup_or_null(cfg->end_session_endpoint);
	if (!m->issuer || !m->authorization_endpoint || !m->token_endpoint || !m->jwks_uri)
		goto nomem;
	if (check_transport(m, err) || set_algs(m, NULL, cfg, err)) {
		br_provider_meta_free(m);
		return NULL;
	}
	return m;
nomem:
	br_provider_meta_free(m);
	br_error_set(err, BR_E_NOMEM, "out of memory");
	return NULL;
}
