/*
 * claims.h - claim path lookup and the [claims] mapping.
 *
 * The raw claims are the ID token payload merged with userinfo (a jansson
 * object).  The mapping turns them into a struct br_user, the person a Jitsi
 * token is issued to.
 */
#ifndef BR_CLAIMS_H
#define BR_CLAIMS_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "bridge/error.h"

/* The mapped user.  Every string is owned by the struct, UTF-8, NUL-free;
 * NULL when the claim is absent (id never is after a successful map). */
struct br_user {
	char *id;
	char *name;
	char *email;
	char *avatar;
	char **groups; /* n_groups strings, as the IdP wrote them ("/a/b" kept) */
	size_t n_groups;
};

/* Limits of the mapping: longer strings are treated as absent (the next
 * fallback path is tried); a group name or a group count beyond its limit
 * fails the mapping (dropping a group could let `not inGroup(..)` pass). */
#define BR_CLAIM_STRING_MAX    1024
#define BR_CLAIM_GROUP_MAX     1024
#define BR_CLAIM_GROUPS_MAX    4096
#define BR_CLAIM_PATH_SEGS_MAX 32

/* A parsed claim path: the object keys to walk from the claims root. */
struct br_claim_path {
	char **segs; /* n strings, owned, NUL-free */
	size_t n;
};

/* Parses the claim path at the start of s (at most len bytes) and stops at
 * the first byte that cannot continue it; *used is the number of bytes
 * taken.  Plain parts are [A-Za-z0-9_$-] or non-ASCII bytes (the first may
 * not be a digit or '-'), joined by '.'; a part may also be written
 * ["any name"] or ['any name'] (escapes \\ \" \' \n \t), and a path may
 * start with claims["..."].  On error returns -1 with err set (BR_E_CONFIG,
 * a message without position) and *errpos the offset the error is at. */
int br_claims_path_parse(const char *s, size_t len, size_t *used, struct br_claim_path *path,
                         size_t *errpos, struct br_error *err);

/* Walks path in claims.  Borrowed reference; NULL when absent or JSON null. */
const json_t *br_claims_path_get(const json_t *claims, const struct br_claim_path *path);

void br_claims_path_clear(struct br_claim_path *path);

/* Checks that every space-separated path of list parses as a whole, as
 * br_claims_map() reads it (the [claims] keys are checked with it at load).
 * An empty or NULL list is valid.  On the first bad path returns -1 with
 * err set (BR_E_CONFIG): the path (its first 64 bytes), the column and why. */
int br_claims_paths_check(const char *list, struct br_error *err);

/* The next word of the space-separated text [*p, end) (separators: space,
 * tab, CR, LF), as a groups claim and the rules' "x in string" read it:
 * sets *word and *n to it and moves *p past it.  false when nothing but
 * separators is left. */
bool br_claims_next_word(const char **p, const char *end, const char **word, size_t *n);

/* Scans a quoted string at s[0] ('"' or '\'') with the escapes above into
 * out (which has room for len bytes); *used counts the bytes taken
 * including both quotes.  Returns -1 with *errmsg and *errpos on an
 * unterminated string, an unknown escape, or a control character. */
int br_claims_scan_string(const char *s, size_t len, size_t *used, char *out, size_t *outlen,
                          size_t *errpos, const char **errmsg);

/* The string form of a scalar claim: strings as they are (valid UTF-8, no
 * NUL, at most max bytes), integers without ".0", reals in the shortest
 * form that reads back, booleans as "true"/"false".  buf (>= 32 bytes)
 * holds the number forms.  Returns NULL for anything else. */
const char *br_claims_scalar_string(const json_t *v, char *buf, size_t bufsize, size_t max,
                                    size_t *lenp);

/* Writes the string form of a number to buf (>= 32 bytes): an integer
 * without ".0", a real in the shortest %g form that reads back the same. */
void br_claims_format_number(bool is_int, long long ival, double d, char *buf, size_t size);

/* The [claims] keys: space-separated claim paths (br_claims_paths_check()),
 * the first present wins.  Never NULL once loaded; "" (set empty by the
 * operator) means "not mapped".  id always names at least one path.  The
 * config owns them (struct br_config claims). */
struct br_claim_paths {
	char *id;
	char *name;
	char *email;
	char *avatar;
	char *groups;
};

/* Maps claims into user with the [claims] paths (space-separated
 * fallbacks: the first that gives a usable value wins; for groups an array,
 * a string or a scalar is usable, even an empty one).  Strings that are not
 * valid UTF-8 or hold NUL count as absent; objects, arrays and null too.  A
 * string longer than BR_CLAIM_STRING_MAX fails the mapping (BR_E_PROTOCOL):
 * taking the next fallback instead could let a deny rule pass.  Groups: array elements that are
 * strings, numbers or booleans (others, empty names and names holding NUL
 * skipped), or the words of a string.  A group name longer than
 * BR_CLAIM_GROUP_MAX bytes, more than BR_CLAIM_GROUPS_MAX groups, or a
 * groups string over 256 KiB fail the mapping (BR_E_PROTOCOL, the limit in
 * the message): never truncated.
 * An empty string is a usable name, email or avatar, but not a user id.
 * On failure (the id claim is missing or unusable, or a limit above) returns
 * -1 with err set (BR_E_PROTOCOL; BR_E_NOMEM); user is then zeroed. */
int br_claims_map(const struct br_claim_paths *paths, const json_t *claims, struct br_user *user,
                  struct br_error *err);

/* Whether the mapped user would still miss a claim that userinfo may supply
 * (for [provider] userinfo = auto): true when a configured claim of the
 * mapping resolves to nothing in claims. */
bool br_claims_incomplete(const struct br_claim_paths *paths, const json_t *claims);

/* Frees the strings of user and zeroes it. */
void br_user_clear(struct br_user *user);

#endif
