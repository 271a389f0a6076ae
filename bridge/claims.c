/*
 * claims.c - claim paths and the [claims] mapping.
 *
 * The claims are whatever the IdP chose to send, so every value is checked
 * for its type, size and encoding before it becomes part of a struct
 * br_user; anything odd counts as absent rather than as an error, except
 * the user id, without which no token can be issued.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistr.h>

#include "bridge/claims.h"

/* A groups claim given as one string: longer than this is not a list of
 * group names any IdP sends. */
#define GROUPS_STRING_MAX (256 * 1024)

static bool is_plain_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '$' || c == '-' || c >= 0x80;
}

int br_claims_scan_string(const char *s, size_t len, size_t *used, char *out, size_t *outlen,
                          size_t *errpos, const char **errmsg)
{
	char quote = s[0];
	size_t i = 1, o = 0;

	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		if (c == (unsigned char)quote) {
			*used = i + 1;
			*outlen = o;
			out[o] = '\0';
			return 0;
		}
		if (c == '\\') {
			if (i + 1 >= len)
				break;
			switch (s[i + 1]) {
			case '\\':
			case '"':
			case '\'':
				out[o++] = s[i + 1];
				break;
			case 'n':
				out[o++] = '\n';
				break;
			case 't':
				out[o++] = '\t';
				break;
			default:
				*errpos = i;
				*errmsg = "unknown escape in string (use \\\\ \\\" \\' \\n or \\t)";
				return -1;
			}
			i += 2;
			continue;
		}
		if (c < 0x20 && c != '\t') {
			*errpos = i;
			*errmsg = c == '\n' ? "unterminated string" : "control character in string";
			if (c == '\n')
				*errpos = 0;
			return -1;
		}
		out[o++] = (char)c;
		i++;
	}
	*errpos = 0;
	*errmsg = "unterminated string";
	return -1;
}

void br_claims_path_clear(struct br_claim_path *path)
{
	if (path == NULL)
		return;
	for (size_t i = 0; i < path->n; i++)
		free(path->segs[i]);
	free(path->segs);
	path->segs = NULL;
	path->n = 0;
}

static int path_push(struct br_claim_path *path, const char *seg, size_t n, size_t pos,
                     size_t *errpos, struct br_error *err)
{
	if (path->n >= BR_CLAIM_PATH_SEGS_MAX) {
		*errpos = pos;
		br_error_set(err, BR_E_CONFIG, "claim path too long (more than %d parts)",
		             BR_CLAIM_PATH_SEGS_MAX);
		return -1;
	}
	if (path->segs == NULL) {
		path->segs = calloc(BR_CLAIM_PATH_SEGS_MAX, sizeof(*path->segs));
		if (path->segs == NULL)
			goto nomem;
	}
	char *copy = strndup(seg, n);
	if (copy == NULL)
		goto nomem;
	path->segs[path->n++] = copy;
	return 0;
nomem:
	*errpos = pos;
	br_error_set(err, BR_E_NOMEM, "out of memory");
	return -1;
}

/* Parses ["name"] at s[i] == '['. */
static int parse_bracket(const char *s, size_t len, size_t *i, struct br_claim_path *path,
                         size_t *errpos, struct br_error *err)
{
	size_t start = *i, used, outlen, epos;
	const char *emsg;
	int rc = -1;
	char *buf = NULL;

	if (start + 1 >= len || (s[start + 1] != '"' && s[start + 1] != '\'')) {
		*errpos = start + 1;
		br_error_set(err, BR_E_CONFIG, "expected a quoted claim name after '['");
		return -1;
	}
	buf = malloc(len - start);
	if (buf == NULL) {
		*errpos = start;
		br_error_set(err, BR_E_NOMEM, "out of memory");
		return -1;
	}
	if (br_claims_scan_string(s + start + 1, len - start - 1, &used, buf, &outlen, &epos,
	                          &emsg) < 0) {
		*errpos = start + 1 + epos;
		br_error_set(err, BR_E_CONFIG, "%s", emsg);
		goto out;
	}
	if (start + 1 + used >= len || s[start + 1 + used] != ']') {
		*errpos = start + 1 + used;
		br_error_set(err, BR_E_CONFIG, "expected ']' after the claim name");
		goto out;
	}
	if (outlen == 0) {
		*errpos = start + 1;
		br_error_set(err, BR_E_CONFIG, "empty claim name");
		goto out;
	}
	if (path_push(path, buf, outlen, start, errpos, err) < 0)
		goto out;
	*i = start + 1 + used + 1;
	rc = 0;
out:
	free(buf);
	return rc;
}

int br_claims_path_parse(const char *s, size_t len, size_t *used, struct br_claim_path *path,
                         size_t *errpos, struct br_error *err)
{
	size_t i = 0;

	path->segs = NULL;
	path->n = 0;
	*errpos = 0;
	if (len >= 7 && memcmp(s, "claims[", 7) == 0) {
		i = 6;
		if (parse_bracket(s, len, &i, path, errpos, err) < 0)
			goto fail;
	} else {
		size_t b = 0;
		unsigned char c0 = len > 0 ? (unsigned char)s[0] : 0;
		if (len == 0 || !is_plain_char(c0) || c0 == '-' || (c0 >= '0' && c0 <= '9')) {
			br_error_set(err, BR_E_CONFIG, "expected a claim name");
			goto fail;
		}
		while (b < len && is_plain_char((unsigned char)s[b]))
			b++;
		if (path_push(path, s, b, 0, errpos, err) < 0)
			goto fail;
		i = b;
	}
	for (;;) {
		if (i < len && s[i] == '[') {
			if (parse_bracket(s, len, &i, path, errpos, err) < 0)
				goto fail;
		} else if (i < len && s[i] == '.') {
			size_t b = i + 1;
			if (b < len && s[b] == '[') {
				i = b;
				continue;
			}
			while (b < len && is_plain_char((unsigned char)s[b]))
				b++;
			if (b == i + 1) {
				*errpos = i + 1;
				br_error_set(err, BR_E_CONFIG, "expected a claim name after '.'");
				goto fail;
			}
			if (path_push(path, s + i + 1, b - i - 1, i + 1, errpos, err) < 0)
				goto fail;
			i = b;
		} else {
			break;
		}
	}
	*used = i;
	return 0;
fail:
	br_claims_path_clear(path);
	return -1;
}

const json_t *br_claims_path_get(const json_t *claims, const struct br_claim_path *path)
{
	const json_t *v = claims;

	if (v == NULL || path == NULL || path->n == 0)
		return NULL;
	for (size_t i = 0; i < path->n; i++) {
		if (!json_is_object(v))
			return NULL;
		v = json_object_get(v, path->segs[i]);
		if (v == NULL)
			return NULL;
	}
	return json_is_null(v) ? NULL : v;
}

/* Parses one whole path (no trailing bytes allowed) into path. */
static int parse_whole(const char *s, size_t len, struct br_claim_path *path)
{
	size_t used, epos;

	if (br_claims_path_parse(s, len, &used, path, &epos, NULL) < 0)
		return -1;
	if (used != len) {
		br_claims_path_clear(path);
		return -1;
	}
	return 0;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

bool br_claims_next_word(const char **p, const char *end, const char **word, size_t *n)
{
	const char *q = *p;

	while (q < end && is_space(*q))
		q++;
	if (q == end) {
		*p = q;
		return false;
	}
	*word = q;
	while (q < end && !is_space(*q))
		q++;
	*n = (size_t)(q - *word);
	*p = q;
	return true;
}

/* Finds the next space-separated word of a path list at *p: spaces inside
 * claims["a b"] do not split.  Returns false at the end. */
static bool next_word(const char **p, const char **b, const char **e)
{
	const char *q = *p;
	char quote = 0;

	while (is_space(*q))
		q++;
	if (*q == '\0')
		return false;
	*b = q;
	while (*q != '\0' && (quote != 0 || !is_space(*q))) {
		if (quote != 0 && *q == '\\' && q[1] != '\0')
			q++;
		else if (quote != 0 && *q == quote)
			quote = 0;
		else if (quote == 0 && (*q == '"' || *q == '\''))
			quote = *q;
		q++;
	}
	*e = q;
	*p = q;
	return true;
}

/* The value of the first path of list whose value is usable. */
static const json_t *first_present(const json_t *claims, const char *list,
                                   bool (*usable)(const json_t *))
{
	const char *p = list;

	if (list == NULL)
		return NULL;
	const char *b, *e;
	while (next_word(&p, &b, &e)) {
		struct br_claim_path path;
		if (parse_whole(b, (size_t)(e - b), &path) < 0)
			continue;
		const json_t *v = br_claims_path_get(claims, &path);
		br_claims_path_clear(&path);
		if (v != NULL && usable(v))
			return v;
	}
	return NULL;
}

/* The column (in characters, from 1) of byte pos of s. */
static size_t column(const char *s, size_t pos)
{
	size_t col = 1;

	for (size_t i = 0; i < pos; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			col++;
	return col;
}

int br_claims_paths_check(const char *list, struct br_error *err)
{
	const char *p = list;
	const char *b, *e;

	if (list == NULL)
		return 0;
	while (next_word(&p, &b, &e)) {
		struct br_claim_path path;
		struct br_error perr = {0};
		size_t len = (size_t)(e - b), used, epos;
		int n = len > 64 ? 64 : (int)len;
		const char *cut = len > 64 ? "..." : "";

		if (br_claims_path_parse(b, len, &used, &path, &epos, &perr) < 0) {
			if (perr.code == BR_E_NOMEM) {
				br_error_set(err, BR_E_NOMEM, "out of memory");
				return -1;
			}
			br_error_set(err, BR_E_CONFIG, "claim path \"%.*s%s\" at column %zu: %s", n,
			             b, cut, column(b, epos), perr.msg);
			return -1;
		}
		br_claims_path_clear(&path);
		if (used != len) {
			unsigned char c = (unsigned char)b[used];
			if (c >= 0x21 && c < 0x7f)
				br_error_set(err, BR_E_CONFIG,
				             "claim path \"%.*s%s\" at column %zu: unexpected '%c' "
				             "(write claims[\"...\"] for a name holding it)",
				             n, b, cut, column(b, used), c);
			else
				br_error_set(err, BR_E_CONFIG,
				             "claim path \"%.*s%s\" at column %zu: unexpected byte "
				             "0x%02x",
				             n, b, cut, column(b, used), c);
			return -1;
		}
	}
	return 0;
}

static bool valid_text(const char *s, size_t n)
{
	return memchr(s, '\0', n) == NULL && u8_check((const uint8_t *)s, n) == NULL;
}

void br_claims_format_number(bool is_int, long long ival, double d, char *buf, size_t size)
{
	if (is_int) {
		snprintf(buf, size, "%lld", ival);
		return;
	}
	/* Integral values as integers ("42", not "4.2e+01"), others in the
	 * shortest form that reads back as the same double ("0.1"). */
	if (d > -1e15 && d < 1e15 && d == (double)(long long)d) {
		snprintf(buf, size, "%.0f", d);
		return;
	}
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(buf, size, "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			return;
	}
}

const char *br_claims_scalar_string(const json_t *v, char *buf, size_t bufsize, size_t max,
                                    size_t *lenp)
{
	const char *s;
	size_t n;

	switch (json_typeof(v)) {
	case JSON_STRING:
		s = json_string_value(v);
		n = json_string_length(v);
		if (n > max || !valid_text(s, n))
			return NULL;
		*lenp = n;
		return s;
	case JSON_INTEGER:
		br_claims_format_number(true, (long long)json_integer_value(v), 0, buf, bufsize);
		break;
	case JSON_REAL:
		if (!isfinite(json_real_value(v)))
			return NULL;
		br_claims_format_number(false, 0, json_real_value(v), buf, bufsize);
		break;
	case JSON_TRUE:
		snprintf(buf, bufsize, "true");
		break;
	case JSON_FALSE:
		snprintf(buf, bufsize, "false");
		break;
	default:
		return NULL;
	}
	*lenp = strlen(buf);
	return buf;
}

/* A string beyond BR_CLAIM_STRING_MAX is present, and fails the login in
 * map_string(): counting it as absent would try the next fallback path or
 * leave the field empty, and a rule such as `not (email =~ "...")` would
 * then pass. */
static bool too_long(const json_t *v)
{
	return json_is_string(v) && json_string_length(v) > BR_CLAIM_STRING_MAX;
}

static bool usable_string(const json_t *v)
{
	char buf[32];
	size_t n;
	return too_long(v) ||
	       br_claims_scalar_string(v, buf, sizeof(buf), BR_CLAIM_STRING_MAX, &n) != NULL;
}

/* An empty user id would merge everyone whose id is empty into one person. */
static bool usable_id(const json_t *v)
{
	char buf[32];
	size_t n;
	return too_long(v) ||
	       (br_claims_scalar_string(v, buf, sizeof(buf), BR_CLAIM_STRING_MAX, &n) != NULL &&
	        n > 0);
}

/* Any string is usable as groups: one beyond the limits fails the login in
 * map_groups() rather than counting as absent (a fallback path or no groups
 * at all would let `not inGroup(...)` pass). */
static bool usable_groups(const json_t *v)
{
	return json_is_array(v) || json_is_string(v) || json_is_number(v) || json_is_boolean(v);
}

/* Maps one string claim (what names it: "a user id", "a name", ...); 0 with
 * *out NULL when absent, -1 with err set when the value is too long or on
 * ENOMEM. */
static int map_string(const json_t *claims, const char *list, bool (*usable)(const json_t *),
                      const char *what, char **out, struct br_error *err)
{
	char buf[32];
	size_t n;
	const json_t *v;
	const char *s;

	*out = NULL;
	v = first_present(claims, list, usable);
	if (v == NULL)
		return 0;
	if (too_long(v)) {
		br_error_set(err, BR_E_PROTOCOL,
		             "the identity provider sent %s of %zu bytes (at most %d are accepted)",
		             what, json_string_length(v), BR_CLAIM_STRING_MAX);
		return -1;
	}
	s = br_claims_scalar_string(v, buf, sizeof(buf), BR_CLAIM_STRING_MAX, &n);
	*out = strndup(s, n);
	if (*out == NULL) {
		br_error_set(err, BR_E_NOMEM, "out of memory while mapping claims");
		return -1;
	}
	return 0;
}

/* Adds one group name.  An empty name is skipped; a name or a count beyond
 * the limits is an error: dropping it could turn a deny rule into an allow. */
static int add_group(struct br_user *user, const char *s, size_t n, struct br_error *err)
{
	if (n == 0)
		return 0;
	if (n > BR_CLAIM_GROUP_MAX) {
		br_error_set(err, BR_E_PROTOCOL,
		             "the identity provider sent a group name of %zu bytes (at most %d "
		             "are accepted)",
		             n, BR_CLAIM_GROUP_MAX);
		return -1;
	}
	if (user->n_groups >= BR_CLAIM_GROUPS_MAX) {
		br_error_set(err, BR_E_PROTOCOL, "the identity provider sent more than %d groups",
		             BR_CLAIM_GROUPS_MAX);
		return -1;
	}
	char *copy = strndup(s, n);
	if (copy == NULL) {
		br_error_set(err, BR_E_NOMEM, "out of memory while mapping claims");
		return -1;
	}
	user->groups[user->n_groups++] = copy;
	return 0;
}

static int map_groups(const json_t *claims, const char *list, struct br_user *user,
                      struct br_error *err)
{
	const json_t *v = first_present(claims, list, usable_groups);
	size_t cap;

	if (v == NULL)
		return 0;
	if (json_is_array(v)) {
		cap = json_array_size(v);
	} else if (json_is_string(v)) {
		if (json_string_length(v) > GROUPS_STRING_MAX) {
			br_error_set(err, BR_E_PROTOCOL,
			             "the identity provider sent a groups string of %zu bytes (at "
			             "most %d are accepted)",
			             json_string_length(v), GROUPS_STRING_MAX);
			return -1;
		}
		/* Upper bound of the number of words. */
		cap = json_string_length(v) / 2 + 1;
	} else {
		cap = 1;
	}
	/* One more than the limit, so that add_group() sees the excess. */
	if (cap > BR_CLAIM_GROUPS_MAX + 1)
		cap = BR_CLAIM_GROUPS_MAX + 1;
	if (cap == 0)
		return 0;
	user->groups = calloc(cap, sizeof(*user->groups));
	if (user->groups == NULL) {
		br_error_set(err, BR_E_NOMEM, "out of memory while mapping claims");
		return -1;
	}
	if (json_is_array(v)) {
		size_t i;
		json_t *e;
		json_array_foreach(v, i, e)
		{
			char buf[32];
			size_t n;
			const char *s;
			/* Objects, arrays and null are not group names; a string
			 * holding NUL matches no rule.  Both are skipped. */
			if (json_is_string(e)) {
				s = json_string_value(e);
				n = json_string_length(e);
				if (n <= BR_CLAIM_GROUP_MAX && !valid_text(s, n))
					continue;
			} else {
				s = br_claims_scalar_string(e, buf, sizeof(buf), sizeof(buf), &n);
				if (s == NULL)
					continue;
			}
			if (add_group(user, s, n, err) < 0)
				return -1;
		}
	} else if (json_is_string(v)) {
		const char *p = json_string_value(v);
		const char *end = p + json_string_length(v);
		if (!valid_text(p, (size_t)(end - p)))
			return 0;
		const char *w;
		size_t n;
		while (br_claims_next_word(&p, end, &w, &n))
			if (add_group(user, w, n, err) < 0)
				return -1;
	} else {
		char buf[32];
		size_t n;
		const char *s = br_claims_scalar_string(v, buf, sizeof(buf), sizeof(buf), &n);
		if (s != NULL && add_group(user, s, n, err) < 0)
			return -1;
	}
	return 0;
}

int br_claims_map(const struct br_claim_paths *paths, const json_t *claims, struct br_user *user,
                  struct br_error *err)
{
	memset(user, 0, sizeof(*user));
	if (!json_is_object(claims)) {
		br_error_set(err, BR_E_PROTOCOL, "the identity provider sent no claims");
		return -1;
	}
	if (map_string(claims, paths->id, usable_id, "a user id", &user->id, err) < 0)
		goto fail;
	if (user->id == NULL) {
		br_error_set(err, BR_E_PROTOCOL,
		             "the identity provider sent no \"%s\" claim for the user id",
		             paths->id != NULL ? paths->id : "");
		return -1;
	}
	if (map_string(claims, paths->name, usable_string, "a name", &user->name, err) < 0 ||
	    map_string(claims, paths->email, usable_string, "an email", &user->email, err) < 0 ||
	    map_string(claims, paths->avatar, usable_string, "an avatar", &user->avatar, err) < 0)
		goto fail;
	if (map_groups(claims, paths->groups, user, err) < 0)
		goto fail;
	return 0;
fail:
	br_user_clear(user);
	return -1;
}

static bool configured(const char *list)
{
	if (list == NULL)
		return false;
	for (const char *p = list; *p != '\0'; p++)
		if (!is_space(*p))
			return true;
	return false;
}

bool br_claims_incomplete(const struct br_claim_paths *paths, const json_t *claims)
{
	const char *strs[] = {paths->name, paths->email, paths->avatar};

	if (configured(paths->id) && first_present(claims, paths->id, usable_id) == NULL)
		return true;
	for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
		if (configured(strs[i]) && first_present(claims, strs[i], usable_string) == NULL)
			return true;
	return configured(paths->groups) &&
	       first_present(claims, paths->groups, usable_groups) == NULL;
}

void br_user_clear(struct br_user *user)
{
	if (user == NULL)
		return;
	free(user->id);
	free(user->name);
	free(user->email);
	free(user->avatar);
	for (size_t i = 0; i < user->n_groups; i++)
		free(user->groups[i]);
	free(user->groups);
	memset(user, 0, sizeof(*user));
}
