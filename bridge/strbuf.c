/*
 * strbuf.c - a growing, NUL-terminated string buffer (see strbuf.h).
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bridge/strbuf.h"

void br_strbuf_add(struct br_strbuf *b, const char *s, size_t n)
{
	if (b->failed)
		return;
	if (n >= SIZE_MAX / 2 - b->len) {
		b->failed = true;
		return;
	}
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *p;
		if (b->secret) {
			/* no copy of a secret left behind in freed memory */
			p = malloc(cap);
			if (p != NULL && b->s != NULL) {
				memcpy(p, b->s, b->len + 1);
				explicit_bzero(b->s, b->cap);
				free(b->s);
			}
		} else {
			p = realloc(b->s, cap);
		}
		if (p == NULL) {
			b->failed = true;
			return;
		}
		b->s = p;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void br_strbuf_puts(struct br_strbuf *b, const char *s)
{
	br_strbuf_add(b, s, strlen(s));
}

char *br_strbuf_finish(struct br_strbuf *b, size_t *len)
{
	char *s = b->s;

	if (b->failed || s == NULL) {
		if (s != NULL && b->secret)
			explicit_bzero(s, b->cap);
		free(s);
		s = NULL;
	} else if (len != NULL) {
		*len = b->len;
	}
	*b = (struct br_strbuf){0};
	return s;
}

void br_strbuf_reset(struct br_strbuf *b)
{
	if (b->s == NULL)
		return;
	if (b->secret)
		explicit_bzero(b->s, b->len);
	b->len = 0;
	b->s[0] = '\0';
}

void br_strbuf_free(struct br_strbuf *b)
{
	if (b->s != NULL && b->secret)
		explicit_bzero(b->s, b->cap);
	free(b->s);
	*b = (struct br_strbuf){0};
}

void br_strbuf_wipe_free(char *s)
{
	if (s == NULL)
		return;
	explicit_bzero(s, strlen(s));
	free(s);
}
