/*
 * look.c - the operator's look, checked at load: the logo's type by its
 * magic bytes, the extra style sheet that may load nothing, and the WCAG
 * contrast of colours.  Used by the configuration loader and by pages.c.
 */
#include "config.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistr.h>
#include <strings.h>

#include "bridge/look.h"

bool br_look_colour_valid(const char *s)
{
	if (s == NULL || s[0] != '#' || strlen(s) != 7)
		return false;
	for (size_t i = 1; i < 7; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f') ||
		      (s[i] >= 'A' && s[i] <= 'F')))
			return false;
	return true;
}

const char *br_look_logo_type(const unsigned char *b, size_t len)
{
	if (len >= 8 && memcmp(b, "\x89PNG\r\n\x1a\n", 8) == 0)
		return "image/png";
	if (len >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF)
		return "image/jpeg";
	if (len >= 12 && memcmp(b, "RIFF", 4) == 0 && memcmp(b + 8, "WEBP", 4) == 0)
		return "image/webp";
	return NULL;
}

static bool css_word_at(const char *s, size_t n, size_t i, const char *w)
{
	size_t l = strlen(w);
	return i + l <= n && strncasecmp(s + i, w, l) == 0;
}

int br_look_css_check(const char *css, size_t len, int *line, char *why, size_t whylen)
{
	const unsigned char *u = (const unsigned char *)css;
	int ln = 1;
	char quote = 0;

	/* First the bytes, all of them (comments and strings too). */
	for (size_t i = 0; i < len;) {
		ucs4_t cp;
		/* libunistring's strict decoder, bounded by what is left */
		int n = u8_mbtoucr(&cp, u + i, len - i);
		if (n <= 0) {
			snprintf(why, whylen, "invalid UTF-8");
			goto bad;
		}
		if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r' && cp != '\f') ||
		    cp == 0x7F) {
			snprintf(why, whylen, "control character");
			goto bad;
		}
		if (cp == '\n')
			ln++;
		i += (size_t)n;
	}
	/* Then what it would load: outside comments and strings. */
	ln = 1;
	for (size_t i = 0; i < len; i++) {
		char c = css[i];
		if (c == '\n')
			ln++;
		if (quote) {
			if (c == '\\' && i + 1 < len) {
				if (css[i + 1] == '\n')
					ln++;
				i++;
			} else if (c == quote) {
				quote = 0;
			}
			continue;
		}
		if (c == '/' && i + 1 < len && css[i + 1] == '*') {
			for (i += 2;
			     i < len && !(css[i] == '*' && i + 1 < len && css[i + 1] == '/'); i++)
				if (css[i] == '\n')
					ln++;
			i++; /* the '/' of the end (or past the input) */
			continue;
		}
		if (c == '"' || c == '\'') {
			quote = c;
		} else if (c == '\\') {
			snprintf(why, whylen,
			         "a backslash escape outside a string (it could spell "
			         "url( or @import)");
			goto bad;
		} else if (css_word_at(css, len, i, "@import")) {
			snprintf(why, whylen, "@import: the style sheet may not load anything");
			goto bad;
		} else if (css_word_at(css, len, i, "url(") ||
		           css_word_at(css, len, i, "image-set(") ||
		           css_word_at(css, len, i, "image(") || css_word_at(css, len, i, "src(")) {
			snprintf(why, whylen,
			         "url(), image() and image-set() are not allowed: the style sheet "
			         "may not load anything (the logo has its own key)");
			goto bad;
		}
	}
	return 0;
bad:
	*line = ln;
	return -1;
}

/* sRGB channel to linear light (WCAG 2.x relative luminance). */
static double channel(int v)
{
	double c = v / 255.0;
	return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

static double luminance(const char *hex)
{
	int rgb[3];
	for (int i = 0; i < 3; i++) {
		char part[3] = {hex[1 + 2 * i], hex[2 + 2 * i], '\0'};
		rgb[i] = (int)strtol(part, NULL, 16);
	}
	return 0.2126 * channel(rgb[0]) + 0.7152 * channel(rgb[1]) + 0.0722 * channel(rgb[2]);
}

double br_look_contrast(const char *a, const char *b)
{
	if (!br_look_colour_valid(a) || !br_look_colour_valid(b))
		return 0;
	double la = luminance(a), lb = luminance(b);
	double hi = la > lb ? la : lb, lo = la > lb ? lb : la;
	return (hi + 0.05) / (lo + 0.05);
}
