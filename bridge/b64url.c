/*
 * b64url.c - strict base64url without padding (see b64url.h).
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "bridge/b64url.h"

/* The value of each base64url character, -1 for every other byte. */
/* clang-format off */
static const signed char b64url_values[256] = {
#define X16 -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1
	X16, X16,
	/* 0x20: "-" is 62 */
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 62, -1, -1,
	/* 0x30: "0".."9" */
	52, 53, 54, 55, 56, 57, 58, 59, 60, 61, -1, -1, -1, -1, -1, -1,
	/* 0x40: "A".."O" */
	-1,  0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11, 12, 13, 14,
	/* 0x50: "P".."Z", "_" is 63 */
	15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, -1, -1, -1, -1, 63,
	/* 0x60: "a".."o" */
	-1, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40,
	/* 0x70: "p".."z" */
	41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, -1, -1, -1, -1, -1,
	X16, X16, X16, X16, X16, X16, X16, X16,
#undef X16
};
/* clang-format on */

unsigned char *br_b64url_decode(const char *in, size_t len, size_t *out_len)
{
	const unsigned char *p = (const unsigned char *)in;
	size_t full = len / 4 * 4, rest = len % 4, n = 0;
	unsigned char *out;
	int32_t v;

	if (rest == 1 || len > SIZE_MAX / 3)
		return NULL;
	out = malloc(len * 3 / 4 + 1);
	if (out == NULL)
		return NULL;
	/* Four characters to three bytes; a negative value anywhere makes the
	 * whole group negative. */
	for (size_t i = 0; i < full; i += 4) {
		v = (int32_t)b64url_values[p[i]] * (1 << 18) | b64url_values[p[i + 1]] * (1 << 12) |
		    b64url_values[p[i + 2]] * (1 << 6) | b64url_values[p[i + 3]];
		if (v < 0)
			goto fail;
		out[n++] = (unsigned char)(v >> 16);
		out[n++] = (unsigned char)(v >> 8);
		out[n++] = (unsigned char)v;
	}
	if (rest > 0) {
		v = (int32_t)b64url_values[p[full]] * (1 << 18) |
		    b64url_values[p[full + 1]] * (1 << 12) |
		    (rest == 3 ? b64url_values[p[full + 2]] * (1 << 6) : 0);
		if (v < 0)
			goto fail;
		/* one encoding per byte string: the unused low bits must be zero */
		if ((rest == 2 && (v & 0xffff) != 0) || (rest == 3 && (v & 0xff) != 0))
			goto fail;
		out[n++] = (unsigned char)(v >> 16);
		if (rest == 3)
			out[n++] = (unsigned char)(v >> 8);
	}
	out[n] = '\0';
	*out_len = n;
	return out;
fail:
	free(out);
	return NULL;
}

size_t br_b64url_len(size_t len)
{
	return len / 3 * 4 + (len % 3 == 0 ? 0 : len % 3 + 1);
}

size_t br_b64url_encode(const unsigned char *in, size_t len, char *out)
{
	static const char abc[] =
	        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	size_t n = 0, i = 0;

	for (; i + 3 <= len; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];

		out[n++] = abc[v >> 18];
		out[n++] = abc[(v >> 12) & 63];
		out[n++] = abc[(v >> 6) & 63];
		out[n++] = abc[v & 63];
	}
	if (len - i == 1) {
		uint32_t v = (uint32_t)in[i] << 16;

		out[n++] = abc[v >> 18];
		out[n++] = abc[(v >> 12) & 63];
	} else if (len - i == 2) {
		uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8;

		out[n++] = abc[v >> 18];
		out[n++] = abc[(v >> 12) & 63];
		out[n++] = abc[(v >> 6) & 63];
	}
	out[n] = '\0';
	return n;
}

char *br_b64url_encode_new(const unsigned char *in, size_t len)
{
	char *out;

	if (len > (SIZE_MAX - 1) / 4 * 3 - 3)
		return NULL;
	out = malloc(br_b64url_len(len) + 1);
	if (out != NULL)
		br_b64url_encode(in, len, out);
	return out;
}

bool br_b64url_chars(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (b64url_values[(unsigned char)s[i]] < 0)
			return false;
	return true;
}
