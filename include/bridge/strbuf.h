/*
 * strbuf.h - a growing, NUL-terminated string buffer.
 *
 * Appends never fail loudly: a failed allocation (or a size that would
 * overflow) marks the buffer failed, and every later append is a no-op, so
 * the code that builds a string checks once, at br_strbuf_finish().  A
 * zeroed struct is an empty buffer.
 */
#ifndef BR_STRBUF_H
#define BR_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

struct br_strbuf {
	char *s; /* NULL until the first append; always NUL-terminated after */
	size_t len;
	size_t cap;
	bool failed;
	bool secret; /* set before the first append: growing wipes the old copy */
};

/* Appends n bytes of s (which may hold NULs). */
void br_strbuf_add(struct br_strbuf *b, const char *s, size_t n);

/* Appends the string s. */
void br_strbuf_puts(struct br_strbuf *b, const char *s);

/* Takes the string out of b (the caller frees it), its length in *len when
 * len is not NULL; NULL when an append failed or nothing was appended.
 * Leaves b empty either way. */
char *br_strbuf_finish(struct br_strbuf *b, size_t *len);

/* Empties b for the next string, keeping its memory (wiped first when
 * secret).  A failed buffer stays failed. */
void br_strbuf_reset(struct br_strbuf *b);

/* Frees what b holds (wiped first when secret) and leaves b empty. */
void br_strbuf_free(struct br_strbuf *b);

/* Wipes the string s (up to its NUL) and frees it: for a string that holds
 * a secret, a token or a URL carrying one, wherever it was made.  NULL is
 * fine. */
void br_strbuf_wipe_free(char *s);

#endif
