/*
 * catalogue.h - the text of every page, per language, and the choice of a
 * language from a request's Accept-Language.
 *
 * The built-in catalogue (messages.c) has every message in English, German,
 * French, Spanish, Italian, Dutch and Portuguese.  An operator may override
 * any message per language, or add a language, with files in
 * [pages] messages_dir (br_catalogue_load).  A message is plain UTF-8 text
 * (pages.c escapes it) with named placeholders such as {room}; every
 * language has the placeholders of the English text, no more and no fewer,
 * so a translation can neither drop the room name nor show a value the page
 * does not have.
 */
#ifndef BR_CATALOGUE_H
#define BR_CATALOGUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "bridge/error.h"

/* X(ENUM_SUFFIX, "message.id"): the ids an override file names. */
#define BR_MESSAGES(X)                                                                             \
	X(TITLE_ORG, "title_org")                                                                  \
	X(LANDING_TITLE, "landing.title")                                                          \
	X(LANDING_INTRO, "landing.intro")                                                          \
	X(LANDING_INTRO_ORG, "landing.intro_org")                                                  \
	X(LANDING_ROOM_LABEL, "landing.room_label")                                                \
	X(LANDING_SUBMIT, "landing.submit")                                                        \
	X(DENIED_TITLE, "denied.title")                                                            \
	X(DENIED_USER_ROOM, "denied.user_room")                                                    \
	X(DENIED_USER, "denied.user")                                                              \
	X(DENIED_ROOM, "denied.room")                                                              \
	X(DENIED_PLAIN, "denied.plain")                                                            \
	X(DENIED_HINT, "denied.hint")                                                              \
	X(DENIED_SWITCH, "denied.switch")                                                          \
	X(REASON, "reason")                                                                        \
	X(UNAVAILABLE_TITLE, "unavailable.title")                                                  \
	X(UNAVAILABLE_TEXT, "unavailable.text")                                                    \
	X(TIMEOUT_TITLE, "timeout.title")                                                          \
	X(TIMEOUT_TEXT, "timeout.text")                                                            \
	X(IDP_ERROR_TITLE, "idp_error.title")                                                      \
	X(IDP_ERROR_TEXT, "idp_error.text")                                                        \
	X(IDP_ERROR_CODE, "idp_error.code")                                                        \
	X(IDP_ERROR_ADVICE, "idp_error.advice")                                                    \
	X(EXPIRED_TITLE, "expired.title")                                                          \
	X(EXPIRED_TEXT, "expired.text")                                                            \
	X(EXPIRED_ROOM, "expired.room")                                                            \
	X(INVALID_TITLE, "invalid.title")                                                          \
	X(INVALID_TEXT, "invalid.text")                                                            \
	X(NOT_FOUND_TITLE, "not_found.title")                                                      \
	X(NOT_FOUND_TEXT, "not_found.text")                                                        \
	X(METHOD_TITLE, "method.title")                                                            \
	X(METHOD_TEXT, "method.text")                                                              \
	X(INTERNAL_TITLE, "internal.title")                                                        \
	X(INTERNAL_TEXT, "internal.text")                                                          \
	X(TRY_AGAIN, "try_again")                                                                  \
	X(START_AGAIN, "start_again")                                                              \
	X(HOME, "home")                                                                            \
	X(STATUS, "status")                                                                        \
	X(SUPPORT, "support")                                                                      \
	X(APP_TITLE, "app.title")                                                                  \
	X(APP_USER_ROOM, "app.user_room")                                                          \
	X(APP_USER, "app.user")                                                                    \
	X(APP_ROOM, "app.room")                                                                    \
	X(APP_PLAIN, "app.plain")                                                                  \
	X(APP_OPEN, "app.open")                                                                    \
	X(APP_CONTINUE, "app.continue")                                                            \
	X(APP_NOTE, "app.note")                                                                    \
	X(INLINE_OK_TITLE, "inline.ok_title")                                                      \
	X(INLINE_OK_TEXT, "inline.ok_text")                                                        \
	X(INLINE_CONTINUE, "inline.continue")                                                      \
	X(INLINE_FAILED_TEXT, "inline.failed_text")                                                \
	X(LOGOUT_TITLE, "logout.title")                                                            \
	X(LOGOUT_TEXT, "logout.text")

enum br_msg {
#define BR_MSG_ENUM(e, id) BR_MSG_##e,
	BR_MESSAGES(BR_MSG_ENUM)
#undef BR_MSG_ENUM
	        BR_MSG_COUNT
};

/* Longest language tag (RFC 5646 allows more; nobody sends more). */
#define BR_LANG_TAG_MAX 35

/* Most languages a catalogue holds, built-in ones included. */
#define BR_CATALOGUE_MAX_LANGS 32

/* Accept-Language entries looked at; later ones are ignored, so a long
 * header costs bounded work. */
#define BR_ACCEPT_LANGUAGE_MAX_ENTRIES 32

/* Override files: size caps. */
#define BR_CATALOGUE_FILE_MAX (64 * 1024)
#define BR_CATALOGUE_TEXT_MAX 1024

struct br_catalogue;

/* The built-in catalogue (static, never freed). */
const struct br_catalogue *br_catalogue_builtin(void);

/* The built-in catalogue plus the override files in dir (NULL or "": none):
 * every "<tag>.ini" there, e.g. de.ini or pt-br.ini, holds lines
 * "message.id = text" ('#' or ';' starts a comment line).  A file for a
 * built-in language overrides the messages it names; a file for another
 * language adds it and must name every message.  Returns a new catalogue,
 * or NULL with err set (BR_E_CONFIG) to "FILE:LINE: what is wrong" for an
 * unknown message id, a missing or unknown placeholder, a duplicate, a line
 * that is not "id = text", invalid UTF-8 or a control character, or
 * "FILE: what is wrong" for a file name that is not a language tag, a file
 * that is too big or cannot be read, and a new language that lacks
 * messages. */
struct br_catalogue *br_catalogue_load(const char *dir, struct br_error *err);

/* Frees a catalogue from br_catalogue_load (NULL and the built-in one are
 * fine). */
void br_catalogue_free(struct br_catalogue *cat);

/* Number of languages; index 0 is always English. */
size_t br_catalogue_count(const struct br_catalogue *cat);

/* The language's tag in lower case ("de", "pt-br"), borrowed. */
const char *br_catalogue_tag(const struct br_catalogue *cat, size_t lang);

/* The index of tag (compared case-insensitively), or -1. */
int br_catalogue_find(const struct br_catalogue *cat, const char *tag);

/* The text of message m in language lang (borrowed; never NULL). */
const char *br_catalogue_text(const struct br_catalogue *cat, size_t lang, enum br_msg m);

/* The id of m ("landing.title"). */
const char *br_msg_id(enum br_msg m);

/* Picks the page language for an Accept-Language header (NULL: none):
 * the acceptable language with the highest q-value, ties going to the one
 * named first.  A range matches a language of the same tag, a language
 * it is a prefix of ("pt" matches "pt-br"), or, cut at a '-', a shorter
 * one ("de-at" matches "de"); "*" matches the default.  q=0 excludes what
 * it names.  Entries that do not parse are skipped, and only the first
 * BR_ACCEPT_LANGUAGE_MAX_ENTRIES entries are looked at.  Without a match:
 * default_lang (an index; -1: none), else English. */
size_t br_catalogue_negotiate(const struct br_catalogue *cat, const char *accept_language,
                              int default_lang);

/* Whether s is a language tag as the catalogue accepts them: 2-3 letters,
 * then "-" subtags of 1-8 letters or digits, at most BR_LANG_TAG_MAX bytes. */
bool br_lang_tag_valid(const char *s);

/* Placeholders of a text: a bit per name of br_placeholder_names() found in
 * it as "{name}"; *unknown (may be NULL) gets the offset of the first
 * "{word}" whose word is no placeholder name, or -1. */
unsigned br_msg_placeholders(const char *text, long *unknown);

/* The placeholder names, NULL-terminated, in bit order. */
const char *const *br_placeholder_names(void);

/* Writes language lang of cat as an override file ("message.id = text"
 * lines under a comment header), which br_catalogue_load reads back as
 * the same texts: the templates in etc/messages/. */
void br_catalogue_write(FILE *out, const struct br_catalogue *cat, size_t lang);

/* Built-in texts (messages.c), for catalogue.c and the tests. */
struct br_builtin_lang {
	const char *tag;
	const char *text[BR_MSG_COUNT];
};
extern const struct br_builtin_lang br_builtin_langs[];
extern const size_t br_builtin_n_langs;

#endif
