/*
 * fixtures.h - test fixtures under $BR_TEST_DATA (tests/data by default),
 * for the cmocka unit tests: include after <cmocka.h>.
 */
#ifndef BR_TEST_FIXTURES_H
#define BR_TEST_FIXTURES_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "bridge/configuration.h"
#include "bridge/error.h"
#include "bridge/jwks.h"

/* The path of the fixture named by fmt (relative to the data directory);
 * one of four static buffers, so a few may be used in one call. */
__attribute__((format(printf, 1, 2))) static inline const char *fx_path(const char *fmt, ...)
{
	static char buf[4][1024];
	static int i;
	const char *dir = getenv("BR_TEST_DATA");
	char *out = buf[i++ % 4];
	int n = snprintf(out, sizeof(buf[0]), "%s/", dir != NULL ? dir : "tests/data");
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(out + n, sizeof(buf[0]) - (size_t)n, fmt, ap);
	va_end(ap);
	return out;
}

/* A whole file as a new NUL-terminated string, its length in *len when len
 * is not NULL (0 on failure); NULL when it cannot be read. */
static inline char *fx_read(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t size = 0;
	char chunk[4096];
	size_t n;

	if (len != NULL)
		*len = 0;
	if (f == NULL)
		return NULL;
	FILE *m = open_memstream(&buf, &size);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		fwrite(chunk, 1, n, m);
	fclose(m);
	fclose(f);
	if (len != NULL)
		*len = size;
	return buf;
}

/* A JSON fixture (duplicates refused); fails the test when it is not one. */
static inline json_t *fx_json(const char *path)
{
	json_error_t jerr;
	json_t *j = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);

	if (j == NULL)
		fail_msg("cannot load %s: %s", path, jerr.text);
	return j;
}

/* A JWKS fixture under jose/, parsed; fails the test when it does not parse. */
static inline struct br_jwks *fx_jwks(const char *name)
{
	size_t len;
	char *body = fx_read(fx_path("jose/%s", name), &len);
	struct br_error err = {0};
	struct br_jwks *set = body ? br_jwks_parse(body, len, &err) : NULL;

	if (set == NULL)
		fail_msg("%s: %s", name, body ? err.msg : "cannot be read");
	free(body);
	return set;
}

/* A config with only the [claims] defaults of DESIGN.md, named path. */
static inline void fx_claims_cfg(struct br_config *cfg, const char *path)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->path = (char *)path;
	cfg->claims.id = "sub";
	cfg->claims.name = "name preferred_username";
	cfg->claims.email = "email";
	cfg->claims.avatar = "picture";
	cfg->claims.groups = "groups";
}

#endif
