/*
 * fuzz_pages.c - libFuzzer target for what the pages module reads from the
 * outside: an Accept-Language header (br_catalogue_negotiate, against the
 * built-in catalogue, with and without a default) and an operator's style
 * sheet (br_look_css_check); also br_lang_tag_valid and
 * br_msg_placeholders on the same bytes.
 *
 * Invariants: the chosen language is one the catalogue has; an accepted
 * style sheet holds no "@import" or "url(" outside strings and comments
 * (checked here by a second, simpler scan); a refused one names a line
 * within the input and says why.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bridge/catalogue.h"
#include "bridge/look.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* "@import" or "url(" outside strings and comments, case-insensitively. */
static int loads_something(const char *s, size_t n)
{
	char q = 0;
	for (size_t i = 0; i < n; i++) {
		if (q) {
			if (s[i] == '\\')
				i++;
			else if (s[i] == q)
				q = 0;
			continue;
		}
		if (s[i] == '/' && i + 1 < n && s[i + 1] == '*') {
			const char *e = NULL;
			for (size_t j = i + 2; j + 1 < n; j++)
				if (s[j] == '*' && s[j + 1] == '/') {
					e = s + j;
					break;
				}
			if (e == NULL)
				return 0;
			i = (size_t)(e - s) + 1;
			continue;
		}
		if (s[i] == '"' || s[i] == '\'')
			q = s[i];
		else if ((n - i >= 7 && strncasecmp(s + i, "@import", 7) == 0) ||
		         (n - i >= 4 && strncasecmp(s + i, "url(", 4) == 0))
			return 1;
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct br_catalogue *cat = br_catalogue_builtin();
	char *s = malloc(size + 1);
	char why[256];
	int line = 0;

	if (s == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';

	/* A header is a C string: evhttp hands us no NULs. */
	for (int def = -1; def < 2; def++)
		if (br_catalogue_negotiate(cat, s, def) >= br_catalogue_count(cat))
			abort();
	(void)br_lang_tag_valid(s);
	long unknown;
	(void)br_msg_placeholders(s, &unknown);
	if (unknown >= (long)strlen(s))
		abort();

	if (br_look_css_check(s, size, &line, why, sizeof(why)) == 0) {
		if (memchr(s, '\0', size) != NULL || loads_something(s, size))
			abort();
	} else {
		size_t lines = 1;
		for (size_t i = 0; i < size; i++)
			lines += s[i] == '\n';
		if (line < 1 || (size_t)line > lines || why[0] == '\0')
			abort();
	}
	free(s);
	return 0;
}
