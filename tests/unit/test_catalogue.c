/* test_catalogue.c - the message catalogue: every built-in language
 * complete, Accept-Language negotiation, override files and their errors. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "bridge/catalogue.h"

#define NCASES(a) (sizeof(a) / sizeof((a)[0]))

/* Valid UTF-8 without control characters (RFC 3629 forms only). */
static bool clean_utf8(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	while (*u) {
		size_t n;
		uint32_t c;
		if (*u < 0x80) {
			if (*u < 0x20 || *u == 0x7F)
				return false;
			u++;
			continue;
		}
		if ((*u & 0xE0) == 0xC0)
			n = 2, c = *u & 0x1Fu;
		else if ((*u & 0xF0) == 0xE0)
			n = 3, c = *u & 0x0Fu;
		else if ((*u & 0xF8) == 0xF0)
			n = 4, c = *u & 0x07u;
		else
			return false;
		for (size_t i = 1; i < n; i++) {
			if ((u[i] & 0xC0) != 0x80)
				return false;
			c = (c << 6) | (u[i] & 0x3Fu);
		}
		if ((n == 2 && c < 0x80) || (n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
		    c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF) || (c >= 0x80 && c <= 0x9F))
			return false;
		u += n;
	}
	return true;
}

/* Every built-in language has every message, with exactly the English
 * placeholders, in clean UTF-8.  A translation left out fails here. */
static void test_every_language_complete(void **state)
{
	(void)state;
	static const char *const required[] = {"en", "de", "fr", "es", "it", "nl", "pt"};
	const struct br_catalogue *cat = br_catalogue_builtin();

	assert_string_equal(br_builtin_langs[0].tag, "en");
	for (size_t i = 0; i < NCASES(required); i++)
		if (br_catalogue_find(cat, required[i]) < 0)
			fail_msg("language %s missing", required[i]);
	for (size_t l = 0; l < br_builtin_n_langs; l++) {
		const struct br_builtin_lang *lang = &br_builtin_langs[l];
		assert_true(br_lang_tag_valid(lang->tag));
		for (size_t m = 0; m < BR_MSG_COUNT; m++) {
			const char *t = lang->text[m];
			const char *en = br_builtin_langs[0].text[m];
			long unknown;
			if (t == NULL || t[0] == '\0')
				fail_msg("%s: %s has no text", lang->tag,
				         br_msg_id((enum br_msg)m));
			if (!clean_utf8(t))
				fail_msg("%s: %s: not clean UTF-8", lang->tag,
				         br_msg_id((enum br_msg)m));
			unsigned have = br_msg_placeholders(t, &unknown);
			if (unknown >= 0)
				fail_msg("%s: %s: unknown placeholder at %ld", lang->tag,
				         br_msg_id((enum br_msg)m), unknown);
			if (have != br_msg_placeholders(en, NULL))
				fail_msg("%s: %s: placeholders differ from English", lang->tag,
				         br_msg_id((enum br_msg)m));
			/* Not simply the English text (short identical words such
			 * as "Error {status}" in Spanish aside). */
			if (l > 0 && strcmp(t, en) == 0 && strlen(en) > 16 && m != BR_MSG_TITLE_ORG)
				fail_msg("%s: %s is untranslated", lang->tag,
				         br_msg_id((enum br_msg)m));
		}
	}
}

static void test_lang_tag_valid(void **state)
{
	(void)state;
	static const struct {
		const char *tag;
		bool ok;
	} cases[] = {
	        {"en", true},
	        {"de", true},
	        {"pt-br", true},
	        {"zh-hant-tw", true},
	        {"es-419", true},
	        {"ast", true},
	        {"DE-at", true},
	        {"", false},
	        {"e", false},
	        {"engl", false},
	        {"de-", false},
	        {"-de", false},
	        {"de--at", false},
	        {"d3", false},
	        {"de_at", false},
	        {"de-abcdefghi", false},
	        {"de at", false},
	        {"../x", false},
	        {"de.ini", false},
	        {"*", false},
	        {"en-aaaaaaaa-bbbbbbbb-cccccccc-ddddd", true},    /* 35 bytes */
	        {"en-aaaaaaaa-bbbbbbbb-cccccccc-ddddd-e", false}, /* 37 bytes */
	};
	for (size_t i = 0; i < NCASES(cases); i++)
		if (br_lang_tag_valid(cases[i].tag) != cases[i].ok)
			fail_msg("\"%s\": expected %s", cases[i].tag,
			         cases[i].ok ? "valid" : "invalid");
}

static const char *pick(const struct br_catalogue *cat, const char *header, const char *def)
{
	int d = def ? br_catalogue_find(cat, def) : -1;
	if (def)
		assert_true(d >= 0);
	return br_catalogue_tag(cat, br_catalogue_negotiate(cat, header, d));
}

static void test_negotiate(void **state)
{
	(void)state;
	static const struct {
		const char *header;
		const char *def; /* default_language, NULL: unset */
		const char *want;
	} cases[] = {
	        /* no header, nothing usable: the default, else English */
	        {NULL, NULL, "en"},
	        {"", NULL, "en"},
	        {NULL, "nl", "nl"},
	        {"zh-CN, ja;q=0.8", NULL, "en"},
	        {"zh-CN, ja;q=0.8", "de", "de"},
	        /* plain choices, what browsers send */
	        {"de", NULL, "de"},
	        {"de-DE,de;q=0.9,en-US;q=0.8,en;q=0.7", NULL, "de"},
	        {"fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5", NULL, "fr"},
	        {"en;q=0.5, nl", NULL, "nl"},
	        {"it;q=0.001", NULL, "it"},
	        {"DE-at", NULL, "de"},
	        {"es-419,es;q=0.9", NULL, "es"},
	        {"pt-BR,pt;q=0.9,en;q=0.8", NULL, "pt"},
	        {"sv, nl;q=0.3, de;q=0.2", NULL, "nl"},
	        /* equal q: the first named wins */
	        {"de;q=0.5, fr;q=0.5", NULL, "de"},
	        {"de;q=0.50,fr;q=0.5", NULL, "de"},
	        {"de;q=1.000, fr", NULL, "de"},
	        {"fr;q=0.8, de;q=0.8, es;q=0.9", NULL, "es"},
	        /* odd q-values: the entry is skipped, not the header */
	        {"de;q=1.5, fr", NULL, "fr"},
	        {"de;q=0.9999, fr;q=0.5", NULL, "fr"},
	        {"de;q=abc, fr;q=0.1", NULL, "fr"},
	        {"de;q=-1, it;q=0.2", NULL, "it"},
	        {"de;q=.5, it;q=0.2", NULL, "it"},
	        {"de;q=1.001, nl;q=0.2", NULL, "nl"},
	        {"de;q=, nl;q=0.2", NULL, "nl"},
	        {"de;q=0.5;q=0.9x, es;q=0.1", NULL, "es"},
	        {"de;Q=0.5, fr;q=0.4", NULL, "de"},
	        {"de ; q=0.5 , fr ;q=0.6", NULL, "fr"},
	        {"de;level=1, fr;q=0.9", NULL, "de"}, /* unknown parameter ignored */
	        /* wildcards */
	        {"*", NULL, "en"},
	        {"*", "fr", "fr"},
	        {"zh, *;q=0.1", "it", "it"},
	        {"*;q=0.1, nl;q=0.2", "it", "nl"},
	        {"de;q=0, *", NULL, "en"},
	        {"en;q=0, *", "de", "de"},
	        {"de;q=0, *", "de", "en"},
	        /* "*" stands for the languages named nowhere else: a language
	         * the header weighs itself keeps its own q */
	        {"en;q=0.1, *;q=0.5", NULL, "de"},
	        {"en;q=0.1, *;q=0.5", "nl", "nl"},
	        {"nl;q=0.2, *;q=0.5", "nl", "en"},
	        {"*;q=0.5, nl;q=0.2", "nl", "en"},
	        {"de-at;q=0.1, *;q=0.5", "de", "en"},
	        {"en;q=0.1, de;q=0.1, fr;q=0.1, es;q=0.1, it;q=0.1, nl;q=0.1, pt;q=0.2, *", NULL,
	         "pt"},
	        /* q=0 excludes, also from the fallback */
	        {"en;q=0, fr;q=0.1", NULL, "fr"},
	        {"de, de;q=0", NULL, "en"},
	        {"de-at, de;q=0", NULL, "en"},
	        {"it;q=0", NULL, "en"},
	        {"en;q=0", NULL, "de"},
	        {"nl;q=0, zh", "nl", "en"},
	        {"en;q=0, nl;q=0, zh", "nl", "de"},
	        {"de-at;q=0, de", NULL, "de"}, /* a narrower exclusion leaves de */
	        /* garbage around a usable entry */
	        {";;;,,,  ,=,de", NULL, "de"},
	        {"\xff\xfe, it", NULL, "it"},
	        {"12, nl", NULL, "nl"},
	        {"de-, nl", NULL, "nl"},
	        {"d e, es", NULL, "es"},
	        {"<script>, pt", NULL, "pt"},
	        {"de;q=0.5 fr, es;q=0.1", NULL, "es"},
	        {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, fr", NULL, "fr"},
	        {",", NULL, "en"},
	        {";q=1", NULL, "en"},
	};
	const struct br_catalogue *cat = br_catalogue_builtin();
	for (size_t i = 0; i < NCASES(cases); i++) {
		const char *got = pick(cat, cases[i].header, cases[i].def);
		if (strcmp(got, cases[i].want) != 0)
			fail_msg("\"%s\" (default %s): got %s, want %s",
			         cases[i].header ? cases[i].header : "(none)",
			         cases[i].def ? cases[i].def : "-", got, cases[i].want);
	}
}

/* 50 languages: only the first BR_ACCEPT_LANGUAGE_MAX_ENTRIES entries
 * count, garbage ones included. */
static void test_negotiate_fifty(void **state)
{
	(void)state;
	static const char *const unknown[] = {
	        "af", "am", "ar", "az", "be", "bg", "bn", "bs", "ca", "cs", "cy", "da", "el",
	        "et", "eu", "fa", "fi", "ga", "gl", "gu", "he", "hi", "hr", "hu", "hy", "id",
	        "is", "ja", "ka", "kk", "km", "kn", "ko", "lo", "lt", "lv", "mk", "ml", "mn",
	        "mr", "ms", "mt", "my", "ne", "pa", "pl", "ro", "ru", "sk", "sl",
	};
	const struct br_catalogue *cat = br_catalogue_builtin();
	char header[2048];

	assert_int_equal(NCASES(unknown), 50);
	for (size_t pos = 0; pos < 50; pos++) {
		/* 50 entries; "nl" replaces the one at pos */
		size_t off = 0;
		for (size_t i = 0; i < 50; i++) {
			int w = snprintf(header + off, sizeof(header) - off, "%s%s;q=0.%03zu",
			                 i ? ", " : "", i == pos ? "nl" : unknown[i], 999 - i);
			assert_true(w > 0 && (size_t)w < sizeof(header) - off);
			off += (size_t)w;
		}
		const char *want = pos < BR_ACCEPT_LANGUAGE_MAX_ENTRIES ? "nl" : "en";
		assert_string_equal(br_catalogue_tag(cat, br_catalogue_negotiate(cat, header, -1)),
		                    want);
	}
	/* 40 garbage entries before a good one: not looked at. */
	size_t off = 0;
	for (size_t i = 0; i < 40; i++)
		off += (size_t)snprintf(header + off, sizeof(header) - off, "%d;q=x, ", (int)i);
	snprintf(header + off, sizeof(header) - off, "de");
	assert_string_equal(br_catalogue_tag(cat, br_catalogue_negotiate(cat, header, -1)), "en");
	/* 31 garbage entries, then de: the 32nd entry is still looked at. */
	off = 0;
	for (size_t i = 0; i < 31; i++)
		off += (size_t)snprintf(header + off, sizeof(header) - off, "%d;q=x, ", (int)i);
	snprintf(header + off, sizeof(header) - off, "de");
	assert_string_equal(br_catalogue_tag(cat, br_catalogue_negotiate(cat, header, -1)), "de");
}

/* --- override files ------------------------------------------------------------------------- */

static char tmpdir[64];

static int setup_dir(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/br-catalogue-XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static void clear_dir(void)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		fail_msg("cannot remove %s", tmpdir);
}

static int teardown_dir(void **state)
{
	(void)state;
	clear_dir();
	return 0;
}

static void write_file(const char *name, const char *text, size_t len)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static void fresh_dir(void)
{
	clear_dir();
	assert_int_equal(mkdir(tmpdir, 0700), 0);
}

/* A complete file for a language: every message, English placeholders. */
static void write_complete(const char *name, const char *prefix)
{
	char buf[16384];
	size_t off = 0;
	for (size_t m = 0; m < BR_MSG_COUNT; m++) {
		int w = snprintf(buf + off, sizeof(buf) - off, "%s = %s%s\n",
		                 br_msg_id((enum br_msg)m), prefix, br_builtin_langs[0].text[m]);
		assert_true(w > 0 && (size_t)w < sizeof(buf) - off);
		off += (size_t)w;
	}
	write_file(name, buf, off);
}

static void test_load_errors(void **state)
{
	(void)state;
	static const struct {
		const char *name;
		const char *text;
		const char *want; /* after "<dir>/" */
	} cases[] = {
	        {"de.ini", "landing.titel = Hallo\n",
	         "de.ini:1: unknown message id \"landing.titel\""},
	        {"de.ini", "# Deutsch\n\ndenied.room = Kein Zugang\n",
	         "de.ini:3: denied.room: missing placeholder {room} (it takes {room})"},
	        {"de.ini", "denied.user_room = Sie sind {user}.\n",
	         "de.ini:1: denied.user_room: missing placeholder {room} (it takes {user} {room})"},
	        {"de.ini", "landing.title = Raum {room}\n",
	         "de.ini:1: landing.title: placeholder {room} does not belong here (it takes "
	         "none)"},
	        {"de.ini", "expired.room = Raum: {raum}\n",
	         "de.ini:1: expired.room: unknown placeholder {raum}"},
	        {"fr.ini", "landing.title = ok\nlanding.submit = caf\xe9\n",
	         "fr.ini:2: invalid UTF-8"},
	        {"fr.ini", "landing.title = \xc0\xaf\n", "fr.ini:1: invalid UTF-8"},
	        {"fr.ini", "# caf\xe9\n", "fr.ini:1: invalid UTF-8"},
	        {"fr.ini",
	         "landing.title = a\x01"
	         "b\n",
	         "fr.ini:1: control character"},
	        {"fr.ini",
	         "landing.title = a\xc2\x85"
	         "b\n",
	         "fr.ini:1: control character"},
	        {"es.ini", "landing.title\n", "es.ini:1: expected \"message.id = text\""},
	        {"es.ini", "landing.title = Uno\r\nlanding.title = Dos\r\n",
	         "es.ini:2: landing.title: given twice (first on line 1)"},
	        {"es.ini", "landing.title =   \n", "es.ini:1: landing.title: empty text"},
	        {"german.ini", "landing.title = x\n",
	         "german.ini: the file name is not a language tag (like de.ini or pt-br.ini)"},
	        {"de_AT.ini", "landing.title = x\n",
	         "de_AT.ini: the file name is not a language tag (like de.ini or pt-br.ini)"},
	};
	for (size_t i = 0; i < NCASES(cases); i++) {
		struct br_error err;
		char want[512];
		fresh_dir();
		write_file(cases[i].name, cases[i].text, strlen(cases[i].text));
		br_error_clear(&err);
		struct br_catalogue *cat = br_catalogue_load(tmpdir, &err);
		if (cat != NULL)
			fail_msg("case %zu loaded", i);
		snprintf(want, sizeof(want), "%s/%s", tmpdir, cases[i].want);
		assert_int_equal(err.code, BR_E_CONFIG);
		assert_string_equal(err.msg, want);
	}
	/* a language that is not built in needs every message */
	struct br_error err;
	char want[512];
	fresh_dir();
	static const char pl[] = "landing.title = Dołącz do spotkania\n";
	write_file("pl.ini", pl, sizeof(pl) - 1);
	assert_null(br_catalogue_load(tmpdir, &err));
	snprintf(want, sizeof(want),
	         "%s/pl.ini: pl is not built in, so every message is needed; %d missing: "
	         "title_org, landing.intro, landing.intro_org, landing.room_label, ...",
	         tmpdir, BR_MSG_COUNT - 1);
	assert_string_equal(err.msg, want);
}

static void test_load_file_errors(void **state)
{
	(void)state;
	struct br_error err;
	char want[512];

	/* a directory that is not there */
	fresh_dir();
	char missing[128];
	snprintf(missing, sizeof(missing), "%s/nope", tmpdir);
	br_error_clear(&err);
	assert_null(br_catalogue_load(missing, &err));
	snprintf(want, sizeof(want), "%s: No such file or directory", missing);
	assert_string_equal(err.msg, want);

	/* a file over the cap */
	size_t big = BR_CATALOGUE_FILE_MAX + 1;
	char *text = malloc(big);
	assert_non_null(text);
	memset(text, '#', big);
	text[big - 1] = '\n';
	write_file("de.ini", text, big);
	free(text);
	br_error_clear(&err);
	assert_null(br_catalogue_load(tmpdir, &err));
	snprintf(want, sizeof(want), "%s/de.ini: larger than 65536 bytes", tmpdir);
	assert_string_equal(err.msg, want);

	/* a text over its cap */
	fresh_dir();
	char line[BR_CATALOGUE_TEXT_MAX + 64];
	int n = snprintf(line, sizeof(line), "landing.title = ");
	memset(line + n, 'x', BR_CATALOGUE_TEXT_MAX + 1);
	line[n + BR_CATALOGUE_TEXT_MAX + 1] = '\n';
	write_file("de.ini", line, (size_t)n + BR_CATALOGUE_TEXT_MAX + 2);
	br_error_clear(&err);
	assert_null(br_catalogue_load(tmpdir, &err));
	snprintf(want, sizeof(want), "%s/de.ini:1: landing.title: longer than 1024 bytes", tmpdir);
	assert_string_equal(err.msg, want);
}

static void test_load_overrides(void **state)
{
	(void)state;
	struct br_error err;
	static const char de[] =
	        "; Ersetzt nur zwei Texte\n"
	        "landing.title = Willkommen in der Videokonferenz\n"
	        "  denied.room   =   Der Raum {room} ist nur für Mitarbeitende.  \r\n";

	fresh_dir();
	write_file("de.ini", de, sizeof(de) - 1);
	write_file("README", "not a catalogue", 15); /* ignored: not .ini */
	write_complete("pt-BR.ini", "[br] ");
	br_error_clear(&err);
	struct br_catalogue *cat = br_catalogue_load(tmpdir, &err);
	if (cat == NULL)
		fail_msg("%s", err.msg);
	int d = br_catalogue_find(cat, "de");
	assert_true(d >= 0);
	assert_string_equal(br_catalogue_text(cat, (size_t)d, BR_MSG_LANDING_TITLE),
	                    "Willkommen in der Videokonferenz");
	assert_string_equal(br_catalogue_text(cat, (size_t)d, BR_MSG_DENIED_ROOM),
	                    "Der Raum {room} ist nur für Mitarbeitende.");
	/* the rest of German stays built in */
	assert_string_equal(br_catalogue_text(cat, (size_t)d, BR_MSG_TRY_AGAIN),
	                    "Erneut versuchen");
	/* the built-in catalogue is untouched */
	const struct br_catalogue *bi = br_catalogue_builtin();
	assert_string_equal(
	        br_catalogue_text(bi, (size_t)br_catalogue_find(bi, "de"), BR_MSG_LANDING_TITLE),
	        "Einer Konferenz beitreten");
	/* a new language, tag lower-cased */
	int br = br_catalogue_find(cat, "pt-br");
	assert_true(br >= 0);
	assert_string_equal(br_catalogue_tag(cat, (size_t)br), "pt-br");
	assert_string_equal(br_catalogue_text(cat, (size_t)br, BR_MSG_TRY_AGAIN), "[br] Try again");
	assert_int_equal(br_catalogue_count(cat), br_builtin_n_langs + 1);
	/* negotiation sees it: exact first, and "pt" still the built-in pt */
	assert_string_equal(pick(cat, "pt-BR,pt;q=0.9", NULL), "pt-br");
	assert_string_equal(pick(cat, "pt", NULL), "pt");
	assert_string_equal(pick(cat, "pt-PT", NULL), "pt");
	br_catalogue_free(cat);

	/* no directory: the built-in texts */
	cat = br_catalogue_load(NULL, &err);
	assert_non_null(cat);
	assert_int_equal(br_catalogue_count(cat), br_builtin_n_langs);
	br_catalogue_free(cat);
}

/* "pt" matches a catalogue that has only a regional variant. */
static void test_negotiate_prefix(void **state)
{
	(void)state;
	struct br_error err;

	fresh_dir();
	write_complete("sv-fi.ini", "");
	struct br_catalogue *cat = br_catalogue_load(tmpdir, &err);
	assert_non_null(cat);
	assert_string_equal(pick(cat, "sv", NULL), "sv-fi");
	assert_string_equal(pick(cat, "sv;q=0.5, de;q=0.4", NULL), "sv-fi");
	assert_string_equal(pick(cat, "sv-se", NULL), "en"); /* sv-se cuts to sv: none */
	br_catalogue_free(cat);
}

static void test_placeholders(void **state)
{
	(void)state;
	long unknown;
	assert_int_equal(br_msg_placeholders("no braces", &unknown), 0);
	assert_int_equal(unknown, -1);
	assert_int_equal(br_msg_placeholders("{ room} {} {Room} {room", &unknown), 0);
	assert_int_equal(unknown, -1);
	unsigned room = br_msg_placeholders("{room}", NULL);
	assert_int_not_equal(room, 0);
	assert_int_equal(br_msg_placeholders("a {room} b {room}", NULL), room);
	assert_int_equal(br_msg_placeholders("x {rooms} y", &unknown), 0);
	assert_int_equal(unknown, 2);
}

/* etc/messages/<tag>.ini are the built-in texts as override files: in sync
 * with the catalogue (make config-docs), and read back as the same texts. */
static void test_templates(void **state)
{
	(void)state;
	const char *srcdir = getenv("BR_SRCDIR");
	const struct br_catalogue *bi = br_catalogue_builtin();
	char dir[4096];
	struct br_error err;

	if (srcdir == NULL)
		fail_msg("BR_SRCDIR is not set (run the test through make check)");
	snprintf(dir, sizeof(dir), "%s/etc/messages", srcdir);
	for (size_t l = 0; l < br_catalogue_count(bi); l++) {
		char path[4200], *want = NULL, *got = NULL;
		size_t want_len = 0, got_len = 0;
		FILE *mem = open_memstream(&want, &want_len);
		br_catalogue_write(mem, bi, l);
		fclose(mem);
		snprintf(path, sizeof(path), "%s/%s.ini", dir, br_catalogue_tag(bi, l));
		FILE *f = fopen(path, "rb");
		if (f == NULL)
			fail_msg("%s missing: run make config-docs", path);
		got = calloc(1, want_len + 2);
		got_len = fread(got, 1, want_len + 1, f);
		fclose(f);
		if (got_len != want_len || memcmp(got, want, want_len) != 0)
			fail_msg("%s differs from the catalogue: run make config-docs", path);
		free(got);
		free(want);
	}
	struct br_catalogue *cat = br_catalogue_load(dir, &err);
	if (cat == NULL)
		fail_msg("%s", err.msg);
	assert_int_equal(br_catalogue_count(cat), br_catalogue_count(bi));
	for (size_t l = 0; l < br_catalogue_count(bi); l++)
		for (size_t m = 0; m < BR_MSG_COUNT; m++)
			assert_string_equal(br_catalogue_text(cat, l, (enum br_msg)m),
			                    br_catalogue_text(bi, l, (enum br_msg)m));
	br_catalogue_free(cat);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_every_language_complete),
	        cmocka_unit_test(test_lang_tag_valid),
	        cmocka_unit_test(test_negotiate),
	        cmocka_unit_test(test_negotiate_fifty),
	        cmocka_unit_test(test_placeholders),
	        cmocka_unit_test(test_load_errors),
	        cmocka_unit_test(test_load_file_errors),
	        cmocka_unit_test(test_load_overrides),
	        cmocka_unit_test(test_negotiate_prefix),
	        cmocka_unit_test(test_templates),
	};
	return cmocka_run_group_tests(tests, setup_dir, teardown_dir);
}
