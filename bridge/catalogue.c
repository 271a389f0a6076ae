/*
 * catalogue.c - messages per language: the built-in ones, the operator's
 * override files, and the choice of a language from Accept-Language.
 *
 * Override files are read at load and reload only, checked line by line,
 * and refused whole with FILE:LINE when anything in them is wrong: a page
 * is never rendered from a text that lost its {room} or carries bytes a
 * browser would guess at.  Accept-Language is hostile input: it is parsed
 * in one pass over at most BR_ACCEPT_LANGUAGE_MAX_ENTRIES entries into a
 * fixed array, and a malformed entry is skipped, never fatal.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <unistr.h>

#include "bridge/catalogue.h"

#define MAX_FILES 64

struct lang {
	char tag[BR_LANG_TAG_MAX + 1];
	const char *text[BR_MSG_COUNT];
};

struct br_catalogue {
	bool builtin;
	size_t n;
	struct lang langs[BR_CATALOGUE_MAX_LANGS];
	char **owned; /* the override texts */
	size_t n_owned, cap_owned;
};

static const char *const msg_ids[BR_MSG_COUNT] = {
#define BR_MSG_ID(e, id) [BR_MSG_##e] = id,
        BR_MESSAGES(BR_MSG_ID)
#undef BR_MSG_ID
};

static const char *const placeholder_names[] = {
        "title", "org", "user", "room", "reason", "code", "status", "contact", "app", NULL,
};

const char *const *br_placeholder_names(void)
{
	return placeholder_names;
}

const char *br_msg_id(enum br_msg m)
{
	return (unsigned)m < BR_MSG_COUNT ? msg_ids[m] : "?";
}

/* --- the built-in catalogue ---------------------------------------------------------------- */

static struct br_catalogue builtin;
static pthread_once_t builtin_once = PTHREAD_ONCE_INIT;

static void fill_builtin(struct br_catalogue *cat)
{
	cat->n = br_builtin_n_langs < BR_CATALOGUE_MAX_LANGS ? br_builtin_n_langs
	                                                     : BR_CATALOGUE_MAX_LANGS;
	for (size_t i = 0; i < cat->n; i++) {
		snprintf(cat->langs[i].tag, sizeof(cat->langs[i].tag), "%s",
		         br_builtin_langs[i].tag);
		for (size_t m = 0; m < BR_MSG_COUNT; m++) {
			const char *t = br_builtin_langs[i].text[m];
			/* A missing translation (test_catalogue fails on it)
			 * shows the English text, not nothing. */
			cat->langs[i].text[m] = t ? t : br_builtin_langs[0].text[m];
		}
	}
}

static void init_builtin(void)
{
	fill_builtin(&builtin);
	builtin.builtin = true;
}

const struct br_catalogue *br_catalogue_builtin(void)
{
	pthread_once(&builtin_once, init_builtin);
	return &builtin;
}

size_t br_catalogue_count(const struct br_catalogue *cat)
{
	return cat->n;
}

const char *br_catalogue_tag(const struct br_catalogue *cat, size_t lang)
{
	return cat->langs[lang < cat->n ? lang : 0].tag;
}

const char *br_catalogue_text(const struct br_catalogue *cat, size_t lang, enum br_msg m)
{
	if ((unsigned)m >= BR_MSG_COUNT)
		return "";
	return cat->langs[lang < cat->n ? lang : 0].text[m];
}

int br_catalogue_find(const struct br_catalogue *cat, const char *tag)
{
	for (size_t i = 0; i < cat->n; i++)
		if (strcasecmp(cat->langs[i].tag, tag) == 0)
			return (int)i;
	return -1;
}

/* --- language tags and placeholders --------------------------------------------------------- */

static bool is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_alnum(int c)
{
	return is_alpha(c) || (c >= '0' && c <= '9');
}

bool br_lang_tag_valid(const char *s)
{
	size_t n = 0, sub = 0, i;
	bool first = true;

	for (i = 0; s[i] != '\0'; i++) {
		if (i >= BR_LANG_TAG_MAX)
			return false;
		if (s[i] == '-') {
			if ((first && (n < 2 || n > 3)) || n == 0)
				return false;
			first = false;
			n = 0;
			sub++;
			continue;
		}
		if (first ? !is_alpha(s[i]) : !is_alnum(s[i]))
			return false;
		if (++n > 8)
			return false;
	}
	if (first)
		return n >= 2 && n <= 3;
	return n > 0;
}

unsigned br_msg_placeholders(const char *text, long *unknown)
{
	unsigned bits = 0;

	if (unknown)
		*unknown = -1;
	for (const char *p = text; (p = strchr(p, '{')) != NULL; p++) {
		size_t n = 0;
		while ((p[1 + n] >= 'a' && p[1 + n] <= 'z') || p[1 + n] == '_')
			n++;
		if (n == 0 || p[1 + n] != '}')
			continue; /* a literal brace */
		size_t k;
		for (k = 0; placeholder_names[k] != NULL; k++)
			if (strlen(placeholder_names[k]) == n &&
			    memcmp(placeholder_names[k], p + 1, n) == 0)
				break;
		if (placeholder_names[k] != NULL)
			bits |= 1u << k;
		else if (unknown && *unknown < 0)
			*unknown = (long)(p - text);
	}
	return bits;
}

/* --- Accept-Language -------------------------------------------------------------------------- */

struct range {
	char tag[BR_LANG_TAG_MAX + 1]; /* lower case; "*" for the wildcard */
	int q;                         /* 0..1000 */
};

static bool ows(char c)
{
	return c == ' ' || c == '\t';
}

/* qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ), RFC 9110
 * 12.4.2; *q gets it in thousandths.  Anything else is not a weight. */
static bool parse_qvalue(const char *s, size_t n, int *q)
{
	if (n == 0 || (s[0] != '0' && s[0] != '1'))
		return false;
	int v = s[0] == '1' ? 1000 : 0, scale = 100;
	if (n == 1) {
		*q = v;
		return true;
	}
	if (s[1] != '.' || n > 5)
		return false;
	for (size_t i = 2; i < n; i++) {
		if (s[i] < '0' || s[i] > '9' || (v == 1000 && s[i] != '0'))
			return false;
		v += (s[i] - '0') * scale;
		scale /= 10;
	}
	*q = v;
	return true;
}

/* One entry "range *( OWS ";" OWS param )" of length n at s into *r;
 * false when it is not one. */
static bool parse_range(const char *s, size_t n, struct range *r)
{
	size_t i = 0, t = 0;

	while (i < n && ows(s[i]))
		i++;
	while (n > i && ows(s[n - 1]))
		n--;
	if (i < n && s[i] == '*') {
		r->tag[t++] = '*';
		i++;
	} else {
		size_t start = i;
		while (i < n && s[i] != ';' && !ows(s[i])) {
			if (t >= BR_LANG_TAG_MAX)
				return false;
			char c = s[i++];
			r->tag[t++] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
		}
		r->tag[t] = '\0';
		/* Browsers send the primary subtag in 1-8 letters ("i-klingon"
		 * is long gone); what the catalogue can hold is checked when
		 * matching. */
		if (i == start)
			return false;
		for (size_t k = 0; k < t; k++)
			if (!is_alnum(r->tag[k]) && r->tag[k] != '-')
				return false;
		if (!is_alpha(r->tag[0]) || r->tag[t - 1] == '-')
			return false;
	}
	r->tag[t] = '\0';
	r->q = 1000;
	while (i < n && ows(s[i]))
		i++;
	while (i < n) {
		if (s[i] != ';')
			return false;
		i++;
		while (i < n && ows(s[i]))
			i++;
		size_t p = i;
		while (i < n && s[i] != ';')
			i++;
		size_t e = i;
		while (e > p && ows(s[e - 1]))
			e--;
		if (e - p >= 2 && (s[p] == 'q' || s[p] == 'Q') && s[p + 1] == '=') {
			if (!parse_qvalue(s + p + 2, e - p - 2, &r->q))
				return false;
		}
		/* Other parameters are not part of Accept-Language: ignored. */
	}
	return true;
}

/* Whether range r covers tag (basic filtering, RFC 4647 3.3.1). */
static bool covers(const char *r, const char *tag)
{
	size_t n = strlen(r);
	return strncmp(r, tag, n) == 0 && (tag[n] == '\0' || tag[n] == '-');
}

static bool excluded(const struct range *rs, size_t n, const char *tag)
{
	for (size_t i = 0; i < n; i++)
		if (rs[i].q == 0 && strcmp(rs[i].tag, "*") != 0 && covers(rs[i].tag, tag))
			return true;
	return false;
}

/* Whether a range other than "*" names tag: covers it ("de" names "de-at")
 * or reaches it by lookup ("de-at" names "de"). */
static bool named(const struct range *rs, size_t n, const char *tag)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(rs[i].tag, "*") != 0 &&
		    (covers(rs[i].tag, tag) || covers(tag, rs[i].tag)))
			return true;
	return false;
}

static bool usable(const struct range *rs, size_t n, const char *tag, bool wildcard)
{
	return !excluded(rs, n, tag) && !(wildcard && named(rs, n, tag));
}

/* default_language, else English, else the first other language that
 * is not ruled out.  For "*" (wildcard), also not one the header names
 * with its own weight: "*" stands for the languages named nowhere else
 * (RFC 9110 12.5.4), so "en;q=0.1, *" does not mean English. */
static int fallback(const struct br_catalogue *cat, const struct range *rs, size_t n,
                    int default_lang, bool wildcard)
{
	if (default_lang >= 0 && (size_t)default_lang < cat->n &&
	    usable(rs, n, cat->langs[default_lang].tag, wildcard))
		return default_lang;
	for (size_t i = 0; i < cat->n; i++)
		if (usable(rs, n, cat->langs[i].tag, wildcard))
			return (int)i;
	return -1;
}

/* The language range r selects, or -1. */
static int match(const struct br_catalogue *cat, const struct range *r, const struct range *rs,
                 size_t n, int default_lang)
{
	char cut[BR_LANG_TAG_MAX + 1];
	int i;

	if (strcmp(r->tag, "*") == 0)
		return fallback(cat, rs, n, default_lang, true);
	i = br_catalogue_find(cat, r->tag);
	if (i >= 0 && !excluded(rs, n, cat->langs[i].tag))
		return i;
	/* "pt" for a catalogue that has only "pt-br". */
	for (size_t k = 0; k < cat->n; k++)
		if (covers(r->tag, cat->langs[k].tag) && !excluded(rs, n, cat->langs[k].tag))
			return (int)k;
	/* "de-at" for a catalogue that has "de" (lookup, RFC 4647 3.4). */
	snprintf(cut, sizeof(cut), "%s", r->tag);
	for (char *dash; (dash = strrchr(cut, '-')) != NULL;) {
		*dash = '\0';
		i = br_catalogue_find(cat, cut);
		if (i >= 0 && !excluded(rs, n, cat->langs[i].tag))
			return i;
	}
	return -1;
}

size_t br_catalogue_negotiate(const struct br_catalogue *cat, const char *accept_language,
                              int default_lang)
{
	struct range rs[BR_ACCEPT_LANGUAGE_MAX_ENTRIES];
	size_t n = 0, entries = 0;
	int best = -1, best_q = 0;

	/* Every non-blank entry counts toward the bound, garbage too. */
	for (const char *p = accept_language;
	     p != NULL && *p != '\0' && entries < BR_ACCEPT_LANGUAGE_MAX_ENTRIES;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		bool blank = true;
		for (size_t k = 0; k < len && blank; k++)
			blank = ows(p[k]);
		if (!blank) {
			entries++;
			if (parse_range(p, len, &rs[n]))
				n++;
		}
		p = comma ? comma + 1 : NULL;
	}
	for (size_t i = 0; i < n; i++) {
		if (rs[i].q <= best_q)
			continue;
		int m = match(cat, &rs[i], rs, n, default_lang);
		if (m >= 0) {
			best = m;
			best_q = rs[i].q;
		}
	}
	if (best < 0)
		best = fallback(cat, rs, n, default_lang, false);
	if (best < 0)
		best = default_lang >= 0 && (size_t)default_lang < cat->n ? default_lang : 0;
	return (size_t)best;
}

/* --- override files ------------------------------------------------------------------------- */

/* NULL when the line is clean UTF-8 without control characters (tab
 * allowed), else what is wrong with it. */
static const char *line_bad(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	for (size_t i = 0; i < n;) {
		ucs4_t c;
		/* libunistring's strict decoder (RFC 3629), bounded by what is left */
		int r = u8_mbtoucr(&c, u + i, n - i);
		size_t l = r > 0 ? (size_t)r : 0;
		if (l == 0)
			return "invalid UTF-8";
		if (l == 1 && ((u[i] < 0x20 && u[i] != '\t') || u[i] == 0x7F))
			return "control character";
		if (l == 2 && u[i] == 0xC2 && u[i + 1] < 0xA0)
			return "control character"; /* U+0080..U+009F */
		i += l;
	}
	return NULL;
}

static int keep(struct br_catalogue *cat, char *s)
{
	if (cat->n_owned == cat->cap_owned) {
		size_t cap = cat->cap_owned ? cat->cap_owned * 2 : 64;
		char **p = realloc(cat->owned, cap * sizeof(*p));
		if (p == NULL)
			return -1;
		cat->owned = p;
		cat->cap_owned = cap;
	}
	cat->owned[cat->n_owned++] = s;
	return 0;
}

static void placeholder_list(unsigned bits, char *buf, size_t cap)
{
	size_t off = 0;
	buf[0] = '\0';
	for (size_t k = 0; placeholder_names[k] != NULL; k++) {
		if (!(bits & (1u << k)))
			continue;
		int w = snprintf(buf + off, cap - off, "%s{%s}", off ? " " : "",
		                 placeholder_names[k]);
		if (w < 0 || (size_t)w >= cap - off)
			return;
		off += (size_t)w;
	}
}

/* Reads the whole file at path (at most BR_CATALOGUE_FILE_MAX bytes). */
static char *read_file(const char *path, size_t *len, struct br_error *err)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	struct stat st;

	if (f == NULL) {
		br_error_set(err, BR_E_CONFIG, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
		br_error_set(err, BR_E_CONFIG, "%s: not a regular file", path);
		goto out;
	}
	if (st.st_size > BR_CATALOGUE_FILE_MAX) {
		br_error_set(err, BR_E_CONFIG, "%s: larger than %d bytes", path,
		             BR_CATALOGUE_FILE_MAX);
		goto out;
	}
	buf = malloc((size_t)BR_CATALOGUE_FILE_MAX + 2);
	if (buf == NULL) {
		br_error_set(err, BR_E_NOMEM, "out of memory");
		goto out;
	}
	*len = fread(buf, 1, (size_t)BR_CATALOGUE_FILE_MAX + 1, f);
	if (ferror(f) || *len > BR_CATALOGUE_FILE_MAX) {
		br_error_set(err, BR_E_CONFIG, "%s: %s", path,
		             ferror(f) ? "read error" : "larger than the cap");
		free(buf);
		buf = NULL;
		goto out;
	}
	buf[*len] = '\0';
out:
	fclose(f);
	return buf;
}

static int find_msg(const char *id, size_t n)
{
	for (size_t m = 0; m < BR_MSG_COUNT; m++)
		if (strlen(msg_ids[m]) == n && memcmp(msg_ids[m], id, n) == 0)
			return (int)m;
	return -1;
}

/* Applies one override file to language lang of cat. */
static int load_file(struct br_catalogue *cat, size_t lang, const char *path, bool is_new,
                     struct br_error *err)
{
	size_t len = 0;
	char *buf = read_file(path, &len, err);
	int first_line[BR_MSG_COUNT] = {0};
	int rc = -1, line = 0;

	if (buf == NULL)
		return -1;
	for (size_t pos = 0; pos < len;) {
		char *s = buf + pos;
		char *nl = memchr(s, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - s) : len - pos;
		pos += n + (nl ? 1 : 0);
		line++;
		if (n > 0 && s[n - 1] == '\r')
			n--;
		const char *bad = line_bad(s, n);
		if (bad) {
			br_error_set(err, BR_E_CONFIG, "%s:%d: %s", path, line, bad);
			goto out;
		}
		s[n] = '\0';
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '\0' || *s == '#' || *s == ';')
			continue;
		char *eq = strchr(s, '=');
		if (eq == NULL) {
			br_error_set(err, BR_E_CONFIG, "%s:%d: expected \"message.id = text\"",
			             path, line);
			goto out;
		}
		size_t idn = (size_t)(eq - s);
		while (idn > 0 && (s[idn - 1] == ' ' || s[idn - 1] == '\t'))
			idn--;
		int m = find_msg(s, idn);
		if (m < 0) {
			br_error_set(err, BR_E_CONFIG, "%s:%d: unknown message id \"%.*s\"", path,
			             line, (int)(idn > 64 ? 64 : idn), s);
			goto out;
		}
		if (first_line[m]) {
			br_error_set(err, BR_E_CONFIG, "%s:%d: %s: given twice (first on line %d)",
			             path, line, msg_ids[m], first_line[m]);
			goto out;
		}
		first_line[m] = line;
		char *text = eq + 1;
		while (*text == ' ' || *text == '\t')
			text++;
		size_t tn = strlen(text);
		while (tn > 0 && (text[tn - 1] == ' ' || text[tn - 1] == '\t'))
			text[--tn] = '\0';
		if (tn == 0) {
			br_error_set(err, BR_E_CONFIG, "%s:%d: %s: empty text", path, line,
			             msg_ids[m]);
			goto out;
		}
		if (tn > BR_CATALOGUE_TEXT_MAX) {
			br_error_set(err, BR_E_CONFIG, "%s:%d: %s: longer than %d bytes", path,
			             line, msg_ids[m], BR_CATALOGUE_TEXT_MAX);
			goto out;
		}
		long unknown;
		unsigned have = br_msg_placeholders(text, &unknown);
		unsigned want = br_msg_placeholders(br_builtin_langs[0].text[m], NULL);
		if (unknown >= 0) {
			const char *u = text + unknown;
			br_error_set(err, BR_E_CONFIG, "%s:%d: %s: unknown placeholder %.*s", path,
			             line, msg_ids[m], (int)(strchr(u, '}') - u + 1), u);
			goto out;
		}
		if (have != want) {
			char list[160], wanted[160];
			bool missing = (want & ~have) != 0;
			placeholder_list(missing ? want & ~have : have & ~want, list, sizeof(list));
			placeholder_list(want, wanted, sizeof(wanted));
			if (want == 0)
				snprintf(wanted, sizeof(wanted), "none");
			if (missing)
				br_error_set(err, BR_E_CONFIG,
				             "%s:%d: %s: missing placeholder %s (it takes %s)",
				             path, line, msg_ids[m], list, wanted);
			else
				br_error_set(err, BR_E_CONFIG,
				             "%s:%d: %s: placeholder %s does not belong here (it "
				             "takes %s)",
				             path, line, msg_ids[m], list, wanted);
			goto out;
		}
		char *copy = strdup(text);
		if (copy == NULL || keep(cat, copy) != 0) {
			free(copy);
			br_error_set(err, BR_E_NOMEM, "out of memory");
			goto out;
		}
		cat->langs[lang].text[m] = copy;
	}
	if (is_new) {
		char missing[256];
		size_t off = 0, count = 0;
		missing[0] = '\0';
		for (size_t m = 0; m < BR_MSG_COUNT; m++) {
			if (cat->langs[lang].text[m] != NULL)
				continue;
			if (count++ < 4) {
				int w = snprintf(missing + off, sizeof(missing) - off, "%s%s",
				                 off ? ", " : "", msg_ids[m]);
				if (w > 0 && (size_t)w < sizeof(missing) - off)
					off += (size_t)w;
			}
		}
		if (count > 0) {
			br_error_set(err, BR_E_CONFIG,
			             "%s: %s is not built in, so every message is needed; %zu "
			             "missing: %s%s",
			             path, cat->langs[lang].tag, count, missing,
			             count > 4 ? ", ..." : "");
			goto out;
		}
	}
	rc = 0;
out:
	free(buf);
	return rc;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

struct br_catalogue *br_catalogue_load(const char *dir, struct br_error *err)
{
	struct br_catalogue *cat = calloc(1, sizeof(*cat));
	char *names[MAX_FILES];
	size_t n_names = 0;
	DIR *d = NULL;
	struct dirent *de;

	if (cat == NULL) {
		br_error_set(err, BR_E_NOMEM, "out of memory");
		return NULL;
	}
	fill_builtin(cat);
	if (dir == NULL || dir[0] == '\0')
		return cat;
	d = opendir(dir);
	if (d == NULL) {
		br_error_set(err, BR_E_CONFIG, "%s: %s", dir, strerror(errno));
		goto fail;
	}
	while ((de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name);
		if (de->d_name[0] == '.' || l < 5 || strcmp(de->d_name + l - 4, ".ini") != 0)
			continue;
		if (n_names == MAX_FILES) {
			br_error_set(err, BR_E_CONFIG, "%s: more than %d .ini files", dir,
			             MAX_FILES);
			goto fail;
		}
		names[n_names] = strdup(de->d_name);
		if (names[n_names] == NULL) {
			br_error_set(err, BR_E_NOMEM, "out of memory");
			goto fail;
		}
		n_names++;
	}
	closedir(d);
	d = NULL;
	qsort(names, n_names, sizeof(names[0]), cmp_names);
	for (size_t i = 0; i < n_names; i++) {
		char path[4096], tag[BR_LANG_TAG_MAX + 1];
		size_t l = strlen(names[i]) - 4;
		snprintf(path, sizeof(path), "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/",
		         names[i]);
		if (l > BR_LANG_TAG_MAX) {
			br_error_set(err, BR_E_CONFIG,
			             "%s: the file name is not a language tag (like de.ini or "
			             "pt-br.ini)",
			             path);
			goto fail;
		}
		for (size_t k = 0; k < l; k++) {
			char c = names[i][k];
			tag[k] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
		}
		tag[l] = '\0';
		if (!br_lang_tag_valid(tag)) {
			br_error_set(err, BR_E_CONFIG,
			             "%s: the file name is not a language tag (like de.ini or "
			             "pt-br.ini)",
			             path);
			goto fail;
		}
		int lang = br_catalogue_find(cat, tag);
		bool is_new = lang < 0;
		if (is_new) {
			if (cat->n == BR_CATALOGUE_MAX_LANGS) {
				br_error_set(err, BR_E_CONFIG, "%s: more than %d languages", path,
				             BR_CATALOGUE_MAX_LANGS);
				goto fail;
			}
			lang = (int)cat->n++;
			memset(&cat->langs[lang], 0, sizeof(cat->langs[lang]));
			memcpy(cat->langs[lang].tag, tag, l + 1);
		}
		if (load_file(cat, (size_t)lang, path, is_new, err) != 0)
			goto fail;
	}
	for (size_t i = 0; i < n_names; i++)
		free(names[i]);
	return cat;
fail:
	if (d != NULL)
		closedir(d);
	for (size_t i = 0; i < n_names; i++)
		free(names[i]);
	br_catalogue_free(cat);
	return NULL;
}

void br_catalogue_free(struct br_catalogue *cat)
{
	if (cat == NULL || cat->builtin)
		return;
	for (size_t i = 0; i < cat->n_owned; i++)
		free(cat->owned[i]);
	free(cat->owned);
	free(cat);
}

void br_catalogue_write(FILE *out, const struct br_catalogue *cat, size_t lang)
{
	fprintf(out,
	        "# Page texts in \"%s\" for [pages] messages_dir (generated from the bridge's\n"
	        "# built-in catalogue by make config-docs; do not edit here).  Copy the lines you\n"
	        "# want to change to <messages_dir>/%s.ini, or the whole file to add a language\n"
	        "# as <tag>.ini.  Keep each text's {placeholders}; the text is plain UTF-8.\n",
	        br_catalogue_tag(cat, lang), br_catalogue_tag(cat, lang));
	for (size_t m = 0; m < BR_MSG_COUNT; m++)
		fprintf(out, "%s = %s\n", msg_ids[m], br_catalogue_text(cat, lang, (enum br_msg)m));
}
