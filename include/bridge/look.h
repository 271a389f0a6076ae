/*
 * look.h - the operator's look, checked at load ([pages] logo, stylesheet,
 * accent_colour): a leaf below the configuration loader and pages.c.
 */
#ifndef BR_LOOK_H
#define BR_LOOK_H

#include <stdbool.h>
#include <stddef.h>

/* Caps of the operator's files, checked at load. */
#define BR_LOOK_LOGO_MAX (256 * 1024)
#define BR_LOOK_CSS_MAX  (64 * 1024)

/* The Content-Type of a logo by its first bytes: "image/png",
 * "image/jpeg" or "image/webp" (static), or NULL for anything else (SVG
 * too: it can carry script). */
const char *br_look_logo_type(const unsigned char *b, size_t len);

/* Checks the operator's extra style sheet: UTF-8 without NUL or control
 * characters other than tab, CR, LF and FF, and nothing that loads
 * anything (@import, url(), image-set(), and no backslash escape outside a
 * string, which could spell them).  Returns 0, or -1 with *line the line
 * (from 1) and why what is wrong. */
int br_look_css_check(const char *css, size_t len, int *line, char *why, size_t whylen);

/* Whether s is exactly "#rrggbb" (hex digits of either case). */
bool br_look_colour_valid(const char *s);

/* The WCAG 2 contrast ratio of two "#rrggbb" colours (1 to 21), or 0 when
 * either is not one. */
double br_look_contrast(const char *a, const char *b);

/* The background and text colours the accent colour is checked against. */
#define BR_LOOK_BACKGROUND  "#ffffff"
#define BR_LOOK_BUTTON_TEXT "#ffffff"

#endif
