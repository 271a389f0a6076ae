/*
 * fuzz_token_response.c - libFuzzer target: parse arbitrary token endpoint
 * responses (br_oidc_parse_token_response).  The first input byte picks the
 * HTTP status, the second the media type (as http_client.c hands it over:
 * parameters cut, lower-cased, or NULL); the rest is the body.
 *
 * Build with `make fuzz` (tests/fuzz/build.sh OUTDIR fuzz_token_response),
 * which links the library compiled with clang; run:
 *   ./fuzz_token_response -max_total_time=60 tests/fuzz/corpus/token_response
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bridge/error.h"
#include "bridge/oidc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const long statuses[] = {200, 400, 401, 500, 302, 0, -1, 2000000000L};
	static const char *const types[] = {
	        "application/json", NULL,
	        "text/html",        "",
	        "application/jwt",  "application/x-www-form-urlencoded"};
	struct br_error err = {0};
	char *id_token = NULL, *access_token = NULL;

	if (size < 2)
		return 0;
	long status = statuses[data[0] % (sizeof(statuses) / sizeof(statuses[0]))];
	const char *type = types[data[1] % (sizeof(types) / sizeof(types[0]))];
	/* The body is not NUL-terminated: the parser must honour len. */
	size_t len = size - 2;
	char *body = malloc(len > 0 ? len : 1);
	if (body == NULL)
		return 0;
	memcpy(body, data + 2, len);

	int rc = br_oidc_parse_token_response(status, type, body, len, &id_token, &access_token,
	                                      &err);
	if (rc == 0) {
		if (id_token == NULL || *id_token == '\0' || status != 200)
			abort();
		if (access_token != NULL && *access_token == '\0')
			abort();
	} else if (rc != -1 || id_token != NULL || access_token != NULL || err.msg[0] == '\0') {
		abort();
	}
	free(id_token);
	free(access_token);
	free(body);
	return 0;
}
