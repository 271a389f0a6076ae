/*
 * room.c - room names and tenants in the forms Jitsi uses.
 *
 * Jitsi's web app derives the name it sends to the backend with
 * getBackendSafeRoomName(): NFKC, lower-case (JavaScript's toLowerCase, a
 * full, locale-independent case mapping), encodeURIComponent.  Prosody
 * compares the token's room claim with that form, so we must produce exactly
 * it: libunistring gives the same Unicode normalisation and case mapping.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unicase.h>
#include <uninorm.h>
#include <unistr.h>

#include "bridge/room.h"

/* JavaScript's encodeURIComponent: everything but A-Z a-z 0-9 - _ . ! ~ * ' ( )
 * becomes %XX per UTF-8 byte, with upper-case hex. */
static char *uri_component(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(s);
	char *out = malloc(n * 3 + 1);
	size_t o = 0;

	if (out == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    strchr("-_.!~*'()", c) != NULL) {
			out[o++] = (char)c;
		} else {
			out[o++] = '%';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		}
	}
	out[o] = '\0';
	return out;
}

/* Checks the characters of a NUL-terminated valid UTF-8 string; returns the
 * message for the first forbidden one, or NULL. */
static const char *forbidden(const char *s)
{
	const uint8_t *p = (const uint8_t *)s;
	ucs4_t c;

	while ((p = u8_next(&c, p)) != NULL) {
		if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f))
			return "the room name contains a control character";
		if (c == '/' || c == '\\' || c == '?' || c == '#')
			return "the room name must not contain '/', '\\', '?' or '#'";
	}
	if (strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
		return "the room name must not be '.' or '..'";
	return NULL;
}

int br_room_parse(const char *typed, struct br_room *room, struct br_error *err)
{
	uint8_t *nfkc = NULL, *lower = NULL;
	size_t nfkc_len = 0, lower_len = 0;
	const char *why;

	memset(room, 0, sizeof(*room));
	if (typed == NULL || typed[0] == '\0') {
		br_error_set(err, BR_E_INVALID, "the room name is empty");
		return -1;
	}
	size_t len = strlen(typed);
	if (len > BR_ROOM_MAX_BYTES) {
		br_error_set(err, BR_E_INVALID, "the room name is too long (at most %d bytes)",
		             BR_ROOM_MAX_BYTES);
		return -1;
	}
	if (u8_check((const uint8_t *)typed, len) != NULL) {
		br_error_set(err, BR_E_INVALID, "the room name is not valid UTF-8");
		return -1;
	}
	if ((why = forbidden(typed)) != NULL) {
		br_error_set(err, BR_E_INVALID, "%s", why);
		return -1;
	}
	nfkc = u8_normalize(UNINORM_NFKC, (const uint8_t *)typed, len, NULL, &nfkc_len);
	if (nfkc == NULL)
		goto nomem;
	/* NULL language: the locale-independent mapping of JavaScript's
	 * toLowerCase(); no normalisation afterwards, as Jitsi does none. */
	lower = u8_tolower(nfkc, nfkc_len, NULL, NULL, NULL, &lower_len);
	if (lower == NULL)
		goto nomem;
	room->readable = malloc(lower_len + 1);
	if (room->readable == NULL)
		goto nomem;
	memcpy(room->readable, lower, lower_len);
	room->readable[lower_len] = '\0';
	/* NFKC can turn harmless characters into forbidden ones (U+FF0F
	 * FULLWIDTH SOLIDUS becomes '/', U+FE56 '?'): refuse those too, since
	 * rules and logs see the readable form. */
	if (memchr(room->readable, '\0', lower_len) != NULL) {
		br_error_set(err, BR_E_INVALID, "the room name contains a control character");
		goto fail;
	}
	if ((why = forbidden(room->readable)) != NULL) {
		br_error_set(err, BR_E_INVALID, "%s", why);
		goto fail;
	}
	room->typed = strdup(typed);
	room->backend = uri_component(room->readable);
	room->url_path = uri_component(typed);
	if (room->typed == NULL || room->backend == NULL || room->url_path == NULL)
		goto nomem;
	/* NFKC may expand a character many times over (U+FDFA becomes 18
	 * characters): bound the name the token and Prosody carry. */
	if (strlen(room->backend) > BR_ROOM_MAX_BACKEND_BYTES) {
		br_error_set(err, BR_E_INVALID,
		             "the room name is too long once normalised (at most %d bytes "
		             "encoded)",
		             BR_ROOM_MAX_BACKEND_BYTES);
		goto fail;
	}
	free(nfkc);
	free(lower);
	return 0;
nomem:
	br_error_set(err, BR_E_NOMEM, "out of memory");
fail:
	free(nfkc);
	free(lower);
	br_room_clear(room);
	return -1;
}

void br_room_clear(struct br_room *room)
{
	if (room == NULL)
		return;
	free(room->typed);
	free(room->readable);
	free(room->backend);
	free(room->url_path);
	memset(room, 0, sizeof(*room));
}

bool br_tenant_valid(const char *tenant)
{
	if (tenant == NULL)
		return false;
	size_t n = strlen(tenant);
	if (n < 1 || n > 63)
		return false;
	if (strcmp(tenant, ".") == 0 || strcmp(tenant, "..") == 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = tenant[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '-'))
			return false;
	}
	return true;
}

bool br_tenant_normalize(char *tenant)
{
	if (!br_tenant_valid(tenant))
		return false;
	for (char *p = tenant; *p != '\0'; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return true;
}
