/*
 * fuzz_room.c - libFuzzer target for br_room_parse() and br_tenant_valid().
 *
 * Checks the invariants on every accepted name: the backend and URL forms
 * hold only encodeURIComponent's unreserved characters and %XX escapes, and
 * the readable form has no forbidden character.
 *
 *   clang -g -fsanitize=fuzzer,address,undefined -Iinclude -I<builddir> \
 *     tests/fuzz/fuzz_room.c bridge/room.c bridge/error.c -lunistring
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bridge/room.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_encoded(const char *s)
{
	for (const char *p = s; *p != '\0'; p++) {
		if (*p == '%') {
			if (strchr("0123456789ABCDEF", p[1]) == NULL || p[1] == '\0' ||
			    strchr("0123456789ABCDEF", p[2]) == NULL || p[2] == '\0')
				abort();
			p += 2;
		} else if (strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
		                  "-_.!~*'()",
		                  *p) == NULL) {
			abort();
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	struct br_room room;
	struct br_error err;

	if (s == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (br_room_parse(s, &room, &err) == 0) {
		if (strlen(s) > BR_ROOM_MAX_BYTES || strcmp(room.typed, s) != 0)
			abort();
		check_encoded(room.backend);
		check_encoded(room.url_path);
		if (strpbrk(room.readable, "/\\?#\r\n\t") != NULL)
			abort();
		br_room_clear(&room);
	} else if (err.code != BR_E_INVALID && err.code != BR_E_NOMEM) {
		abort();
	}
	(void)br_tenant_valid(s);
	free(s);
	return 0;
}
