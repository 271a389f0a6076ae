/*
 * rule.c - the rule language of [rules] and [features].
 *
 * A rule is parsed once, at load, into a small tree (recursive descent over
 * the grammar of DESIGN.md); regexes are compiled then.  Evaluation walks
 * the tree and is total: every claim shape gives true or false, a missing
 * value is never an error.  Limits keep both bounded: rule length, nesting
 * depth and list length at parse time; at evaluation the only allocation is
 * lower(), whose input is capped.
 *
 * Semantics that the grammar does not say:
 * - a missing claim and JSON null are the same; `==` with a missing side is
 *   false, and `a != b` is always `not (a == b)`;
 * - `==` between scalars of different types compares their string forms
 *   ("42" == 42, "true" == true); arrays and objects are never equal to
 *   anything;
 * - `x =~ "re"` is false unless x is a string; `!~` is `not =~`;
 * - `x in y`: y an array (or [list], or groups) holding an element whose
 *   string form is x's, or y a string with the space-separated word x;
 *   anything else false;
 * - a bare value is true when it is true, a non-empty string, array or
 *   object, or a number other than 0;
 * - lower() lower-cases (Unicode) the string form of a scalar, else gives a
 *   missing value;
 * - back-references are refused in regexes (their matching can be
 *   exponential);
 * - error columns count characters from 1 at the start of the rule text.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <regex.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicase.h>
#include <uninorm.h>
#include <unistr.h>

#include "bridge/rule.h"

#define RULE_MAX_LEN   4096
#define RULE_MAX_DEPTH 64
#define RULE_MAX_LIST  256
/* lower() refuses longer strings rather than copy them. */
#define LOWER_MAX (64 * 1024)

enum node_kind {
	N_STR,
	N_NUM,
	N_BOOL,
	N_LIST,
	N_CLAIM,
	N_VAR,
	N_CALL,
	N_NOT,
	N_AND,
	N_OR,
	N_CMP,
};

enum var_id { VAR_ROOM, VAR_TENANT, VAR_GROUPS, VAR_ID, VAR_NAME, VAR_EMAIL, VAR_AVATAR };

enum func_id { F_INGROUP, F_EXISTS, F_LOWER, F_STARTSWITH, F_ENDSWITH };

enum cmp_op { OP_EQ, OP_NE, OP_MATCH, OP_NOMATCH, OP_IN };

struct node {
	enum node_kind kind;
	size_t pos; /* offset of its first token in the rule text, for errors */
	int op;     /* enum var_id, func_id or cmp_op */
	char *str;
	size_t len;
	double num;
	long long ival;
	bool is_int;
	bool b;
	struct br_claim_path path;
	regex_t re;
	bool has_re;
	struct node **kids;
	size_t n_kids;
};

struct br_rule {
	struct node *root;
};

/* ---- parsing ----------------------------------------------------------- */

enum tok_kind {
	T_END,
	T_STR,
	T_NUM,
	T_PATH,
	T_LP,
	T_RP,
	T_LB,
	T_RB,
	T_COMMA,
	T_OR,
	T_AND,
	T_NOT,
	T_EQ,
	T_NE,
	T_MATCH,
	T_NOMATCH,
	T_IN,
	T_TRUE,
	T_FALSE,
	T_ERROR,
};

struct tok {
	enum tok_kind kind;
	size_t start, end;
	char *str; /* T_STR: unescaped, owned until taken */
	size_t len;
	struct br_claim_path path; /* T_PATH: owned until taken */
	bool ident;                /* T_PATH: a single plain name */
};

struct parser {
	const char *text;
	size_t len;
	const char *file;
	int line;
	const char *name;
	struct tok tok;
	bool failed;
	struct br_error *err;
};

static void tok_release(struct tok *t)
{
	free(t->str);
	t->str = NULL;
	br_claims_path_clear(&t->path);
}

/* Turns a byte offset into the LINE:COL of an error message. */
static void fail_at(struct parser *p, size_t pos, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

static void fail_at(struct parser *p, size_t pos, const char *fmt, ...)
{
	char msg[BR_ERROR_MSG_MAX];
	va_list ap;
	int line = p->line;
	int col = 1;

	if (p->failed)
		return;
	p->failed = true;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (pos > p->len)
		pos = p->len;
	for (size_t i = 0; i < pos; i++) {
		unsigned char c = (unsigned char)p->text[i];
		if (c == '\n') {
			line++;
			col = 1;
		} else if ((c & 0xC0) != 0x80) {
			col++;
		}
	}
	if (p->line > 0)
		br_error_set(p->err, BR_E_CONFIG, "%s:%d:%d: %s: %s",
		             p->file != NULL ? p->file : "(config)", line, col, p->name, msg);
	else
		br_error_set(p->err, BR_E_CONFIG, "%s: column %d: %s", p->name, col, msg);
}

static bool is_word_start(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$' ||
	       c >= 0x80;
}

/* Reads the token at p->pos into p->tok. */
static void lex(struct parser *p, size_t pos)
{
	const char *s = p->text;
	struct tok *t = &p->tok;

	tok_release(t);
	while (pos < p->len &&
	       (s[pos] == ' ' || s[pos] == '\t' || s[pos] == '\n' || s[pos] == '\r'))
		pos++;
	t->start = pos;
	t->end = pos + 1;
	t->ident = false;
	if (pos >= p->len) {
		t->kind = T_END;
		t->end = pos;
		return;
	}
	unsigned char c = (unsigned char)s[pos];
	char c1 = pos + 1 < p->len ? s[pos + 1] : '\0';
	switch (c) {
	case '(':
		t->kind = T_LP;
		return;
	case ')':
		t->kind = T_RP;
		return;
	case '[':
		t->kind = T_LB;
		return;
	case ']':
		t->kind = T_RB;
		return;
	case ',':
		t->kind = T_COMMA;
		return;
	case '|':
	case '&':
		if (c1 == (char)c) {
			t->kind = c == '|' ? T_OR : T_AND;
			t->end = pos + 2;
			return;
		}
		t->kind = T_ERROR;
		fail_at(p, pos, "unexpected '%c' (did you mean '%c%c'?)", c, c, c);
		return;
	case '=':
		if (c1 == '=' || c1 == '~') {
			t->kind = c1 == '=' ? T_EQ : T_MATCH;
			t->end = pos + 2;
			return;
		}
		t->kind = T_ERROR;
		fail_at(p, pos, "unexpected '=' (did you mean '=='?)");
		return;
	case '!':
		if (c1 == '=' || c1 == '~') {
			t->kind = c1 == '=' ? T_NE : T_NOMATCH;
			t->end = pos + 2;
			return;
		}
		t->kind = T_NOT;
		return;
	case '"':
	case '\'': {
		size_t used, epos;
		const char *emsg;
		t->str = malloc(p->len - pos);
		if (t->str == NULL) {
			t->kind = T_ERROR;
			fail_at(p, pos, "out of memory");
			return;
		}
		if (br_claims_scan_string(s + pos, p->len - pos, &used, t->str, &t->len, &epos,
		                          &emsg) < 0) {
			t->kind = T_ERROR;
			fail_at(p, pos + epos, "%s", emsg);
			return;
		}
		t->kind = T_STR;
		t->end = pos + used;
		return;
	}
	default:
		break;
	}
	if ((c >= '0' && c <= '9') || (c == '-' && c1 >= '0' && c1 <= '9')) {
		size_t e = pos + 1;
		while (e < p->len &&
		       ((s[e] >= '0' && s[e] <= '9') || s[e] == '.' || s[e] == 'e' || s[e] == 'E' ||
		        s[e] == '_' ||
		        ((s[e] == '+' || s[e] == '-') && (s[e - 1] == 'e' || s[e - 1] == 'E')) ||
		        (s[e] >= 'a' && s[e] <= 'z') || (s[e] >= 'A' && s[e] <= 'Z')))
			e++;
		t->kind = T_NUM;
		t->end = e;
		return;
	}
	if (is_word_start(c)) {
		size_t w = pos;
		while (w < p->len && (is_word_start((unsigned char)s[w]) ||
		                      (s[w] >= '0' && s[w] <= '9') || s[w] == '-'))
			w++;
		static const struct {
			const char *word;
			enum tok_kind kind;
		} keywords[] = {
		        {"or", T_OR}, {"and", T_AND},   {"not", T_NOT},
		        {"in", T_IN}, {"true", T_TRUE}, {"false", T_FALSE},
		};
		for (size_t i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++) {
			if (strlen(keywords[i].word) == w - pos &&
			    memcmp(keywords[i].word, s + pos, w - pos) == 0) {
				t->kind = keywords[i].kind;
				t->end = w;
				return;
			}
		}
		size_t used, epos;
		struct br_error perr;
		if (br_claims_path_parse(s + pos, p->len - pos, &used, &t->path, &epos, &perr) <
		    0) {
			t->kind = T_ERROR;
			fail_at(p, pos + epos, "%s", perr.msg);
			return;
		}
		t->kind = T_PATH;
		t->end = pos + used;
		t->ident = used == w - pos;
		return;
	}
	t->kind = T_ERROR;
	if (c >= 0x21 && c < 0x7f)
		fail_at(p, pos, "unexpected character '%c'", c);
	else
		fail_at(p, pos, "unexpected byte 0x%02x", c);
}

static void next(struct parser *p)
{
	lex(p, p->tok.end);
}

/* Describes the current token for "expected X but found Y". */
static const char *found(struct parser *p, char *buf, size_t size)
{
	const struct tok *t = &p->tok;
	size_t n;

	if (t->kind == T_END)
		return "end of rule";
	if (t->kind == T_STR)
		return "a string";
	n = t->end - t->start;
	if (n > 32) {
		n = 32;
		/* Do not cut a UTF-8 sequence. */
		while (n > 0 && ((unsigned char)p->text[t->start + n] & 0xC0) == 0x80)
			n--;
	}
	snprintf(buf, size, "'%.*s'", (int)n, p->text + t->start);
	return buf;
}

static void expected(struct parser *p, const char *what)
{
	char buf[48];
	if (p->tok.kind != T_ERROR)
		fail_at(p, p->tok.start, "expected %s but found %s", what,
		        found(p, buf, sizeof(buf)));
}

static void node_free(struct node *n)
{
	if (n == NULL)
		return;
	for (size_t i = 0; i < n->n_kids; i++)
		node_free(n->kids[i]);
	free(n->kids);
	free(n->str);
	br_claims_path_clear(&n->path);
	if (n->has_re)
		regfree(&n->re);
	free(n);
}

static struct node *node_new(struct parser *p, enum node_kind kind)
{
	struct node *n = calloc(1, sizeof(*n));
	if (n == NULL) {
		fail_at(p, p->tok.start, "out of memory");
	} else {
		n->kind = kind;
		n->pos = p->tok.start;
	}
	return n;
}

static int add_kid(struct parser *p, struct node *n, struct node *kid)
{
	if ((n->n_kids & (n->n_kids - 1)) == 0) {
		size_t cap = n->n_kids == 0 ? 2 : n->n_kids * 2;
		struct node **k = realloc(n->kids, cap * sizeof(*k));
		if (k == NULL) {
			node_free(kid);
			fail_at(p, p->tok.start, "out of memory");
			return -1;
		}
		n->kids = k;
	}
	n->kids[n->n_kids++] = kid;
	return 0;
}

static bool deeper(struct parser *p, int depth)
{
	if (depth > RULE_MAX_DEPTH) {
		fail_at(p, p->tok.start, "rule nested too deeply (more than %d levels)",
		        RULE_MAX_DEPTH);
		return false;
	}
	return true;
}

static struct node *parse_or(struct parser *p, int depth);
static struct node *parse_value(struct parser *p, int depth);
static void check_case(struct parser *p, const struct node *value, const struct node *lit);

static struct node *parse_number(struct parser *p)
{
	const struct tok *t = &p->tok;
	size_t n = t->end - t->start;
	char buf[64];
	char *end;
	struct node *node;

	if (n >= sizeof(buf))
		goto bad;
	memcpy(buf, p->text + t->start, n);
	buf[n] = '\0';
	for (size_t i = 0; i < n; i++)
		if (!(buf[i] == '-' || buf[i] == '+' || buf[i] == '.' || buf[i] == 'e' ||
		      buf[i] == 'E' || (buf[i] >= '0' && buf[i] <= '9')))
			goto bad;
	/* strtod would take hex and "inf"; the loop above keeps it decimal.  A
	 * number must have digits after the '.', as in JSON. */
	const char *dot = strchr(buf, '.');
	if (dot != NULL && !(dot[1] >= '0' && dot[1] <= '9'))
		goto bad;
	errno = 0;
	double d = strtod(buf, &end);
	if (*end != '\0' || errno != 0 || !isfinite(d))
		goto bad;
	node = node_new(p, N_NUM);
	if (node == NULL)
		return NULL;
	node->num = d;
	if (strpbrk(buf, ".eE") == NULL) {
		errno = 0;
		long long v = strtoll(buf, &end, 10);
		if (errno == 0 && *end == '\0') {
			node->is_int = true;
			node->ival = v;
		}
	}
	next(p);
	return node;
bad:
	fail_at(p, t->start, "invalid number '%.*s'", (int)(n > 32 ? 32 : n), p->text + t->start);
	return NULL;
}

static const struct {
	const char *name;
	enum func_id id;
	size_t n_args;
} funcs[] = {
        {"inGroup", F_INGROUP, 1},       {"exists", F_EXISTS, 1},     {"lower", F_LOWER, 1},
        {"startsWith", F_STARTSWITH, 2}, {"endsWith", F_ENDSWITH, 2},
};

static struct node *parse_call(struct parser *p, int depth)
{
	const struct tok *t = &p->tok;
	const char *name = t->path.segs[0];
	size_t name_pos = t->start;
	struct node *node = NULL;
	size_t f;

	for (f = 0; f < sizeof(funcs) / sizeof(funcs[0]); f++)
		if (strcmp(funcs[f].name, name) == 0)
			break;
	if (f == sizeof(funcs) / sizeof(funcs[0])) {
		fail_at(p, name_pos,
		        "unknown function '%s' (known: inGroup, exists, lower, "
		        "startsWith, endsWith)",
		        name);
		return NULL;
	}
	if (!deeper(p, depth + 1))
		return NULL;
	node = node_new(p, N_CALL);
	if (node == NULL)
		return NULL;
	node->op = (int)funcs[f].id;
	next(p); /* the name */
	next(p); /* '(' */
	if (p->tok.kind != T_RP) {
		for (;;) {
			size_t arg_pos = p->tok.start;
			if (node->n_kids == funcs[f].n_args) {
				fail_at(p, arg_pos, "%s() takes %zu argument%s", funcs[f].name,
				        funcs[f].n_args, funcs[f].n_args == 1 ? "" : "s");
				goto fail;
			}
			struct node *arg = parse_value(p, depth + 1);
			if (arg == NULL)
				goto fail;
			if (funcs[f].id == F_EXISTS && arg->kind != N_CLAIM && arg->kind != N_VAR) {
				node_free(arg);
				fail_at(p, arg_pos, "exists() takes a claim path");
				goto fail;
			}
			if (add_kid(p, node, arg) < 0)
				goto fail;
			if (p->tok.kind == T_RP)
				break;
			if (p->tok.kind != T_COMMA) {
				expected(p, "',' or ')'");
				goto fail;
			}
			next(p);
		}
	}
	if (node->n_kids != funcs[f].n_args) {
		fail_at(p, p->tok.start, "%s() takes %zu argument%s", funcs[f].name,
		        funcs[f].n_args, funcs[f].n_args == 1 ? "" : "s");
		goto fail;
	}
	if (funcs[f].id == F_STARTSWITH || funcs[f].id == F_ENDSWITH) {
		check_case(p, node->kids[0], node->kids[1]);
		if (p->failed)
			goto fail;
	}
	next(p); /* ')' */
	return node;
fail:
	node_free(node);
	return NULL;
}

static const struct {
	const char *name;
	enum var_id id;
} vars[] = {
        {"room", VAR_ROOM},          {"tenant", VAR_TENANT},  {"groups", VAR_GROUPS},
        {"user.id", VAR_ID},         {"user.name", VAR_NAME}, {"user.email", VAR_EMAIL},
        {"user.avatar", VAR_AVATAR},
};

static struct node *parse_path(struct parser *p, int depth)
{
	struct tok *t = &p->tok;
	struct node *node;

	if (t->ident) {
		/* A name directly followed by '(' is a call. */
		size_t q = t->end;
		while (q < p->len && (p->text[q] == ' ' || p->text[q] == '\t'))
			q++;
		if (q < p->len && p->text[q] == '(')
			return parse_call(p, depth);
	}
	node = node_new(p, N_CLAIM);
	if (node == NULL)
		return NULL;
	/* Variables are only the plain spellings: claims["room"] is the claim. */
	size_t n = t->end - t->start;
	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		if (strlen(vars[i].name) == n && memcmp(vars[i].name, p->text + t->start, n) == 0) {
			node->kind = N_VAR;
			node->op = (int)vars[i].id;
			break;
		}
	}
	if (node->kind == N_CLAIM) {
		node->path = t->path;
		t->path.segs = NULL;
		t->path.n = 0;
	}
	next(p);
	return node;
}

static struct node *parse_list(struct parser *p, int depth)
{
	struct node *node;

	if (!deeper(p, depth + 1))
		return NULL;
	node = node_new(p, N_LIST);
	if (node == NULL)
		return NULL;
	next(p); /* '[' */
	if (p->tok.kind != T_RB) {
		for (;;) {
			if (node->n_kids == RULE_MAX_LIST) {
				fail_at(p, p->tok.start, "list too long (more than %d elements)",
				        RULE_MAX_LIST);
				goto fail;
			}
			struct node *e = parse_value(p, depth + 1);
			if (e == NULL || add_kid(p, node, e) < 0)
				goto fail;
			if (p->tok.kind == T_RB)
				break;
			if (p->tok.kind != T_COMMA) {
				expected(p, "',' or ']'");
				goto fail;
			}
			next(p);
		}
	}
	next(p); /* ']' */
	return node;
fail:
	node_free(node);
	return NULL;
}

static struct node *parse_value(struct parser *p, int depth)
{
	struct tok *t = &p->tok;
	struct node *node;

	switch (t->kind) {
	case T_STR:
		node = node_new(p, N_STR);
		if (node == NULL)
			return NULL;
		node->str = t->str;
		node->len = t->len;
		t->str = NULL;
		next(p);
		return node;
	case T_NUM:
		return parse_number(p);
	case T_TRUE:
	case T_FALSE:
		node = node_new(p, N_BOOL);
		if (node == NULL)
			return NULL;
		node->b = t->kind == T_TRUE;
		next(p);
		return node;
	case T_PATH:
		return parse_path(p, depth);
	case T_LB:
		return parse_list(p, depth);
	case T_LP:
		if (!deeper(p, depth + 1))
			return NULL;
		next(p);
		node = parse_or(p, depth + 1);
		if (node == NULL)
			return NULL;
		if (p->tok.kind != T_RP) {
			expected(p, "')'");
			node_free(node);
			return NULL;
		}
		next(p);
		return node;
	default:
		expected(p, "a value");
		return NULL;
	}
}

static bool is_cmp(enum tok_kind k)
{
	return k == T_EQ || k == T_NE || k == T_MATCH || k == T_NOMATCH || k == T_IN;
}

/* glibc's regcomp expands repetitions by copying the repeated part
 * ("a{100}" is a hundred nodes, "x++++" doubles at each '+'), so a short
 * pattern can take gigabytes.  Before compiling, estimate the expanded size
 * and refuse patterns above this, stacked quantifiers and back-references
 * (whose matching can take exponential time). */
#define REGEX_MAX_LEN    512
#define REGEX_MAX_SIZE   1000
#define REGEX_MAX_GROUPS 32

static size_t sat_mul(size_t a, size_t b)
{
	if (a != 0 && b > (SIZE_MAX / 2) / a)
		return SIZE_MAX / 2;
	return a * b;
}

/* Reads "{m}", "{m,}" or "{m,n}" at re[i]; returns the copies it makes
 * (0 when it is not a bound) and its length in *n. */
static size_t regex_bound(const char *re, size_t len, size_t i, size_t *n)
{
	size_t j = i + 1, lo = 0, hi = 0;
	bool comma = false, digits = false;

	while (j < len && re[j] >= '0' && re[j] <= '9') {
		lo = lo < 100000 ? lo * 10 + (size_t)(re[j] - '0') : lo;
		digits = true;
		j++;
	}
	if (j < len && re[j] == ',') {
		comma = true;
		j++;
		while (j < len && re[j] >= '0' && re[j] <= '9') {
			hi = hi < 100000 ? hi * 10 + (size_t)(re[j] - '0') : hi;
			j++;
		}
	}
	/* glibc also takes "{,n}" as {0,n}. */
	if ((!digits && !comma) || j >= len || re[j] != '}')
		return 0;
	*n = j + 1 - i;
	if (!comma)
		return lo > 0 ? lo : 1;
	if (hi == 0 && re[j - 1] == ',')
		return lo + 1;
	return (hi > lo ? hi : lo) + 1;
}

static const char *regex_check(const char *re, size_t len)
{
	size_t sum[REGEX_MAX_GROUPS + 1] = {0}, last[REGEX_MAX_GROUPS + 1] = {0};
	int depth = 0;
	bool after_quant = false;

	if (len > REGEX_MAX_LEN)
		return "regular expression too long (more than 512 bytes)";
	for (size_t i = 0; i < len;) {
		char c = re[i];
		size_t mult = 0, n = 1;
		if (c == '*' || c == '?')
			mult = 1;
		else if (c == '+')
			mult = 2;
		else if (c == '{')
			mult = regex_bound(re, len, i, &n);
		if (mult > 0) {
			if (after_quant)
				return "a quantifier cannot follow another quantifier in a regular "
				       "expression";
			size_t grown = sat_mul(last[depth], mult);
			sum[depth] = sum[depth] - last[depth] + grown;
			last[depth] = grown;
			after_quant = true;
			i += n;
		} else {
			size_t atom = 1;
			after_quant = false;
			if (c == '\\') {
				if (i + 1 < len && re[i + 1] >= '1' && re[i + 1] <= '9')
					return "back-references are not allowed in regular "
					       "expressions";
				n = i + 1 < len ? 2 : 1;
			} else if (c == '[') {
				/* A bracket expression: ']' first is literal, [:x:] [=x=] [.x.]
				 * are classes. */
				size_t j = i + 1;
				if (j < len && re[j] == '^')
					j++;
				if (j < len && re[j] == ']')
					j++;
				while (j < len && re[j] != ']') {
					if (re[j] == '[' && j + 1 < len &&
					    (re[j + 1] == ':' || re[j + 1] == '=' ||
					     re[j + 1] == '.')) {
						const char *end = NULL;
						for (size_t k = j + 2; k + 1 < len; k++)
							if (re[k] == re[j + 1] &&
							    re[k + 1] == ']') {
								end = re + k;
								break;
							}
						j = end != NULL ? (size_t)(end - re) + 2 : len;
					} else {
						j++;
					}
				}
				n = (j < len ? j + 1 : len) - i;
				atom = n;
			} else if (c == '(') {
				if (depth == REGEX_MAX_GROUPS)
					return "regular expression nested too deeply";
				depth++;
				sum[depth] = 0;
				last[depth] = 0;
				i++;
				continue;
			} else if (c == ')' && depth > 0) {
				atom = sum[depth] + 1;
				depth--;
			} else if (c == '|') {
				last[depth] = 0;
				i++;
				continue;
			}
			last[depth] = atom;
			sum[depth] += atom;
			i += n;
		}
		if (sum[depth] > REGEX_MAX_SIZE)
			return "regular expression too complex (repetitions expand too far)";
	}
	return NULL;
}

/* Compiles the regex of an =~ / !~ node from the string token. */
static int compile_regex(struct parser *p, struct node *node)
{
	const struct tok *t = &p->tok;
	char msg[128];
	const char *bad;
	int rc;

	bad = regex_check(t->str, t->len);
	if (bad != NULL) {
		fail_at(p, t->start, "%s", bad);
		return -1;
	}
	rc = regcomp(&node->re, t->str, REG_EXTENDED | REG_NOSUB);
	if (rc != 0) {
		regerror(rc, NULL, msg, sizeof(msg));
		fail_at(p, t->start, "invalid regular expression: %s", msg);
		return -1;
	}
	node->has_re = true;
	return 0;
}

/* room, tenant and lower() are lower-case (room also NFKC): a literal they
 * are compared with must be too, or the comparison is constant, and
 * `tenant != "Sales" or inGroup("sales")` would let everyone in.  Returns
 * the value's name, or NULL for a value of any case. */
static const char *lowercase_value(const struct node *n)
{
	if (n->kind == N_VAR && n->op == (int)VAR_ROOM)
		return "room";
	if (n->kind == N_VAR && n->op == (int)VAR_TENANT)
		return "tenant";
	if (n->kind == N_CALL && n->op == (int)F_LOWER)
		return "lower(...)";
	return NULL;
}

/* Fails the parse when value is lower-case and lit is a string literal
 * that lower-casing (and for room NFKC) changes. */
static void check_case(struct parser *p, const struct node *value, const struct node *lit)
{
	const char *what = lowercase_value(value);
	uint8_t *nfkc = NULL, *low = NULL;
	const uint8_t *src = (const uint8_t *)lit->str;
	size_t n = lit->len, low_len = 0;

	if (what == NULL || lit->kind != N_STR || u8_check(src, n) != NULL)
		return;
	if (value->kind == N_VAR && value->op == (int)VAR_ROOM) {
		nfkc = u8_normalize(UNINORM_NFKC, src, n, NULL, &n);
		if (nfkc == NULL)
			return;
		src = nfkc;
	}
	low = u8_tolower(src, n, NULL, NULL, NULL, &low_len);
	if (low != NULL && (low_len != lit->len || memcmp(low, lit->str, low_len) != 0))
		fail_at(p, lit->pos,
		        "\"%.60s\" never equals %s, which is lower-case%s: write \"%.*s\"",
		        lit->str, what, nfkc != NULL ? " and NFKC-normalised" : "",
		        (int)(low_len > 60 ? 60 : low_len), (const char *)low);
	free(low);
	free(nfkc);
}

/* Fails the parse when a regex matched against a lower-case value holds a
 * character that lower-casing changes outside a bracket expression (such
 * a character never matches).  Escapes (\W, \S, \B) are left alone. */
static void check_regex_case(struct parser *p, const struct node *value, const char *re, size_t len,
                             size_t pos)
{
	const char *what = lowercase_value(value);

	if (what == NULL || u8_check((const uint8_t *)re, len) != NULL)
		return;
	for (size_t i = 0; i < len;) {
		ucs4_t c;
		int n;
		if (re[i] == '\\') {
			i += 2;
			continue;
		}
		if (re[i] == '[') {
			/* Bracket expressions may name upper case ([A-Z],
			 * [[:upper:]]): skip to the closing ']'. */
			size_t j = i + 1;
			if (j < len && re[j] == '^')
				j++;
			if (j < len && re[j] == ']')
				j++;
			while (j < len && re[j] != ']') {
				if (re[j] == '[' && j + 1 < len &&
				    (re[j + 1] == ':' || re[j + 1] == '=' || re[j + 1] == '.')) {
					size_t k = j + 2;
					while (k + 1 < len &&
					       !(re[k] == re[j + 1] && re[k + 1] == ']'))
						k++;
					j = k + 2;
				} else {
					j++;
				}
			}
			i = j + 1;
			continue;
		}
		n = u8_mbtouc(&c, (const uint8_t *)re + i, len - i);
		if (uc_tolower(c) != c) {
			fail_at(p, pos,
			        "the regular expression holds '%.*s', which never matches %s (it "
			        "is lower-case): write it in lower case",
			        n, re + i, what);
			return;
		}
		i += (size_t)n;
	}
}

static struct node *parse_cmp(struct parser *p, int depth)
{
	struct node *left, *node = NULL, *right;
	enum cmp_op op;

	left = parse_value(p, depth);
	if (left == NULL)
		return NULL;
	if (!is_cmp(p->tok.kind))
		return left;
	switch (p->tok.kind) {
	case T_EQ:
		op = OP_EQ;
		break;
	case T_NE:
		op = OP_NE;
		break;
	case T_MATCH:
		op = OP_MATCH;
		break;
	case T_NOMATCH:
		op = OP_NOMATCH;
		break;
	default:
		op = OP_IN;
		break;
	}
	node = node_new(p, N_CMP);
	if (node == NULL)
		goto fail;
	node->op = (int)op;
	if (add_kid(p, node, left) < 0) {
		left = NULL;
		goto fail;
	}
	left = NULL;
	next(p);
	if (op == OP_MATCH || op == OP_NOMATCH) {
		if (p->tok.kind != T_STR) {
			if (p->tok.kind != T_ERROR)
				fail_at(p, p->tok.start,
				        "the right side of '%s' must be a string literal (a "
				        "regular "
				        "expression)",
				        op == OP_MATCH ? "=~" : "!~");
			goto fail;
		}
		if (compile_regex(p, node) < 0)
			goto fail;
		check_regex_case(p, node->kids[0], p->tok.str, p->tok.len, p->tok.start);
		if (p->failed)
			goto fail;
		next(p);
	} else {
		right = parse_value(p, depth);
		if (right == NULL || add_kid(p, node, right) < 0)
			goto fail;
		if (op == OP_EQ || op == OP_NE) {
			check_case(p, node->kids[0], right);
			check_case(p, right, node->kids[0]);
		} else if (right->kind == N_LIST) {
			for (size_t i = 0; i < right->n_kids; i++)
				check_case(p, node->kids[0], right->kids[i]);
		} else {
			check_case(p, right, node->kids[0]);
		}
		if (p->failed)
			goto fail;
	}
	if (is_cmp(p->tok.kind)) {
		fail_at(p, p->tok.start, "comparisons cannot be chained; use parentheses");
		goto fail;
	}
	return node;
fail:
	node_free(left);
	node_free(node);
	return NULL;
}

static struct node *parse_not(struct parser *p, int depth)
{
	if (p->tok.kind != T_NOT)
		return parse_cmp(p, depth);
	if (!deeper(p, depth + 1))
		return NULL;
	struct node *node = node_new(p, N_NOT);
	if (node == NULL)
		return NULL;
	next(p);
	struct node *kid = parse_not(p, depth + 1);
	if (kid == NULL || add_kid(p, node, kid) < 0) {
		node_free(node);
		return NULL;
	}
	return node;
}

/* and := not (("and"|"&&") not)* ; or alike: one node with n kids. */
static struct node *parse_chain(struct parser *p, int depth, enum tok_kind op)
{
	struct node *first, *node;

	first = op == T_AND ? parse_not(p, depth) : parse_chain(p, depth, T_AND);
	if (first == NULL || p->tok.kind != op)
		return first;
	node = node_new(p, op == T_AND ? N_AND : N_OR);
	if (node == NULL || add_kid(p, node, first) < 0) {
		if (node == NULL)
			node_free(first);
		node_free(node);
		return NULL;
	}
	while (p->tok.kind == op) {
		next(p);
		struct node *kid = op == T_AND ? parse_not(p, depth) : parse_chain(p, depth, T_AND);
		if (kid == NULL || add_kid(p, node, kid) < 0) {
			node_free(node);
			return NULL;
		}
	}
	return node;
}

static struct node *parse_or(struct parser *p, int depth)
{
	return parse_chain(p, depth, T_OR);
}

struct br_rule *br_rule_parse(const char *text, const char *file, int line, const char *name,
                              struct br_error *err)
{
	struct parser p = {
	        .text = text != NULL ? text : "",
	        .file = file,
	        .line = line,
	        .name = name != NULL ? name : "rule",
	        .err = err,
	};
	struct br_rule *rule = NULL;
	struct node *root = NULL;

	p.len = strlen(p.text);
	if (p.len > RULE_MAX_LEN) {
		p.len = RULE_MAX_LEN;
		fail_at(&p, 0, "rule too long (more than %d bytes)", RULE_MAX_LEN);
		goto out;
	}
	const uint8_t *bad = u8_check((const uint8_t *)p.text, p.len);
	if (bad != NULL) {
		fail_at(&p, (size_t)(bad - (const uint8_t *)p.text), "invalid UTF-8");
		goto out;
	}
	lex(&p, 0);
	if (p.failed)
		goto out;
	root = parse_or(&p, 0);
	if (root == NULL)
		goto out;
	if (p.tok.kind != T_END) {
		if (p.tok.kind == T_RP)
			fail_at(&p, p.tok.start, "unbalanced ')'");
		else
			expected(&p, "an operator or end of rule");
		goto out;
	}
	rule = calloc(1, sizeof(*rule));
	if (rule == NULL) {
		fail_at(&p, 0, "out of memory");
		goto out;
	}
	rule->root = root;
	root = NULL;
out:
	if (rule == NULL && !p.failed)
		fail_at(&p, p.tok.start, "out of memory");
	node_free(root);
	tok_release(&p.tok);
	return rule;
}

static bool node_reads(const struct node *n, enum var_id id)
{
	if (n == NULL)
		return false;
	if (n->kind == N_VAR && n->op == (int)id)
		return true;
	/* inGroup() reads the groups as well. */
	if (n->kind == N_CALL && n->op == F_INGROUP && id == VAR_GROUPS)
		return true;
	for (size_t i = 0; i < n->n_kids; i++)
		if (node_reads(n->kids[i], id))
			return true;
	return false;
}

bool br_rule_reads(const struct br_rule *rule, const char *name)
{
	if (rule == NULL || name == NULL)
		return false;
	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
		if (strcmp(vars[i].name, name) == 0)
			return node_reads(rule->root, vars[i].id);
	return false;
}

bool br_rule_is_const(const struct br_rule *rule, bool value)
{
	return rule != NULL && rule->root != NULL && rule->root->kind == N_BOOL &&
	       rule->root->b == value;
}

void br_rule_free(struct br_rule *rule)
{
	if (rule == NULL)
		return;
	node_free(rule->root);
	free(rule);
}

/* ---- evaluation -------------------------------------------------------- */

enum vkind { V_MISSING, V_BOOL, V_NUM, V_STR, V_JARRAY, V_JOBJECT, V_LIST, V_GROUPS };

struct val {
	enum vkind k;
	bool b;
	bool is_int;
	double num;
	long long ival;
	const char *s; /* V_STR: len bytes, NUL after them */
	size_t len;
	char *owned; /* what s points to when lower() made it */
	const json_t *j;
	const struct node *list;
	const struct br_user *user;
};

static void val_clear(struct val *v)
{
	free(v->owned);
	v->owned = NULL;
}

static void val_json(const json_t *j, struct val *v)
{
	memset(v, 0, sizeof(*v));
	switch (json_typeof(j)) {
	case JSON_STRING:
		v->k = V_STR;
		v->s = json_string_value(j);
		v->len = json_string_length(j);
		break;
	case JSON_INTEGER:
		v->k = V_NUM;
		v->is_int = true;
		v->ival = json_integer_value(j);
		v->num = (double)v->ival;
		break;
	case JSON_REAL:
		v->k = V_NUM;
		v->num = json_real_value(j);
		break;
	case JSON_TRUE:
	case JSON_FALSE:
		v->k = V_BOOL;
		v->b = json_is_true(j);
		break;
	case JSON_ARRAY:
		v->k = V_JARRAY;
		v->j = j;
		break;
	case JSON_OBJECT:
		v->k = V_JOBJECT;
		v->j = j;
		break;
	default:
		v->k = V_MISSING;
		break;
	}
}

static void val_cstr(const char *s, struct val *v)
{
	memset(v, 0, sizeof(*v));
	if (s != NULL) {
		v->k = V_STR;
		v->s = s;
		v->len = strlen(s);
	}
}

/* The string form of a scalar value into s/n (buf holds number forms). */
static bool str_form(const struct val *v, char *buf, size_t size, const char **s, size_t *n)
{
	switch (v->k) {
	case V_STR:
		*s = v->s;
		*n = v->len;
		return true;
	case V_BOOL:
		*s = v->b ? "true" : "false";
		*n = strlen(*s);
		return true;
	case V_NUM:
		br_claims_format_number(v->is_int, v->ival, v->num, buf, size);
		*s = buf;
		*n = strlen(buf);
		return true;
	default:
		return false;
	}
}

static bool bytes_eq(const char *a, size_t an, const char *b, size_t bn)
{
	return an == bn && memcmp(a, b, an) == 0;
}

static bool val_eq(const struct val *a, const struct val *b)
{
	char ba[40], bb[40];
	const char *sa, *sb;
	size_t na, nb;

	if (a->k == V_NUM && b->k == V_NUM) {
		if (a->is_int && b->is_int)
			return a->ival == b->ival;
		return a->num == b->num;
	}
	if (a->k == V_BOOL && b->k == V_BOOL)
		return a->b == b->b;
	if (!str_form(a, ba, sizeof(ba), &sa, &na) || !str_form(b, bb, sizeof(bb), &sb, &nb))
		return false;
	return bytes_eq(sa, na, sb, nb);
}

static bool truthy(const struct val *v)
{
	switch (v->k) {
	case V_BOOL:
		return v->b;
	case V_NUM:
		return v->is_int ? v->ival != 0 : v->num != 0;
	case V_STR:
		return v->len > 0;
	case V_JARRAY:
		return json_array_size(v->j) > 0;
	case V_JOBJECT:
		return json_object_size(v->j) > 0;
	case V_LIST:
		return v->list->n_kids > 0;
	case V_GROUPS:
		return v->user->n_groups > 0;
	default:
		return false;
	}
}

static bool eval_bool(const struct node *n, const struct br_rule_ctx *ctx);
static void eval_value(const struct node *n, const struct br_rule_ctx *ctx, struct val *v);

static bool contains(const struct val *hay, const struct val *needle, const struct br_rule_ctx *ctx)
{
	char buf[40];
	const char *s;
	size_t n;

	if (!str_form(needle, buf, sizeof(buf), &s, &n))
		return false;
	switch (hay->k) {
	case V_JARRAY: {
		size_t i;
		json_t *e;
		json_array_foreach(hay->j, i, e)
		{
			struct val ev;
			val_json(e, &ev);
			if (val_eq(&ev, needle))
				return true;
		}
		return false;
	}
	case V_LIST:
		for (size_t i = 0; i < hay->list->n_kids; i++) {
			struct val ev;
			eval_value(hay->list->kids[i], ctx, &ev);
			bool eq = val_eq(&ev, needle);
			val_clear(&ev);
			if (eq)
				return true;
		}
		return false;
	case V_GROUPS:
		for (size_t i = 0; i < hay->user->n_groups; i++)
			if (bytes_eq(hay->user->groups[i], strlen(hay->user->groups[i]), s, n))
				return true;
		return false;
	case V_STR: {
		const char *p = hay->s, *w;
		size_t wn;
		while (br_claims_next_word(&p, hay->s + hay->len, &w, &wn))
			if (bytes_eq(w, wn, s, n))
				return true;
		return false;
	}
	default:
		return false;
	}
}

static bool in_group(const struct br_user *user, const struct val *g)
{
	char buf[40];
	const char *s;
	size_t n;

	if (user == NULL || !str_form(g, buf, sizeof(buf), &s, &n) || n == 0)
		return false;
	for (size_t i = 0; i < user->n_groups; i++) {
		const char *grp = user->groups[i];
		size_t gn = strlen(grp);
		if (bytes_eq(grp, gn, s, n) ||
		    (gn > 0 && grp[0] == '/' && bytes_eq(grp + 1, gn - 1, s, n)))
			return true;
	}
	return false;
}

static void eval_var(const struct node *n, const struct br_rule_ctx *ctx, struct val *v)
{
	const struct br_user *u = ctx->user;

	memset(v, 0, sizeof(*v));
	switch ((enum var_id)n->op) {
	case VAR_ROOM:
		val_cstr(ctx->room, v);
		break;
	case VAR_TENANT:
		val_cstr(ctx->tenant, v);
		break;
	case VAR_GROUPS:
		if (u != NULL) {
			v->k = V_GROUPS;
			v->user = u;
		}
		break;
	case VAR_ID:
		val_cstr(u != NULL ? u->id : NULL, v);
		break;
	case VAR_NAME:
		val_cstr(u != NULL ? u->name : NULL, v);
		break;
	case VAR_EMAIL:
		val_cstr(u != NULL ? u->email : NULL, v);
		break;
	case VAR_AVATAR:
		val_cstr(u != NULL ? u->avatar : NULL, v);
		break;
	}
}

static void eval_lower(const struct node *n, const struct br_rule_ctx *ctx, struct val *v)
{
	struct val a;
	char buf[40];
	const char *s;
	size_t len, outlen = 0;
	uint8_t *low = NULL;

	eval_value(n->kids[0], ctx, &a);
	memset(v, 0, sizeof(*v));
	if (!str_form(&a, buf, sizeof(buf), &s, &len) || len > LOWER_MAX)
		goto out;
	if (len > 0) {
		low = u8_tolower((const uint8_t *)s, len, NULL, NULL, NULL, &outlen);
		if (low == NULL)
			goto out;
	}
	v->owned = malloc(outlen + 1);
	if (v->owned == NULL)
		goto out;
	if (outlen > 0)
		memcpy(v->owned, low, outlen);
	v->owned[outlen] = '\0';
	v->k = V_STR;
	v->s = v->owned;
	v->len = outlen;
out:
	free(low);
	val_clear(&a);
}

static bool affix(const struct node *n, const struct br_rule_ctx *ctx, bool start)
{
	struct val a, b;
	char ba[40], bb[40];
	const char *sa, *sb;
	size_t na, nb;
	bool r = false;

	eval_value(n->kids[0], ctx, &a);
	eval_value(n->kids[1], ctx, &b);
	if (str_form(&a, ba, sizeof(ba), &sa, &na) && str_form(&b, bb, sizeof(bb), &sb, &nb) &&
	    nb <= na)
		r = memcmp(start ? sa : sa + na - nb, sb, nb) == 0;
	val_clear(&a);
	val_clear(&b);
	return r;
}

static bool eval_call_bool(const struct node *n, const struct br_rule_ctx *ctx)
{
	struct val a;
	bool r;

	switch ((enum func_id)n->op) {
	case F_INGROUP:
		eval_value(n->kids[0], ctx, &a);
		r = in_group(ctx->user, &a);
		val_clear(&a);
		return r;
	case F_EXISTS:
		if (n->kids[0]->kind == N_CLAIM)
			return br_claims_path_get(ctx->claims, &n->kids[0]->path) != NULL;
		eval_var(n->kids[0], ctx, &a);
		return a.k != V_MISSING && (a.k != V_GROUPS || a.user->n_groups > 0);
	case F_STARTSWITH:
		return affix(n, ctx, true);
	case F_ENDSWITH:
		return affix(n, ctx, false);
	default:
		return false;
	}
}

static bool regex_match(const struct node *n, const struct val *v)
{
	if (v->k != V_STR || memchr(v->s, '\0', v->len) != NULL)
		return false;
	return regexec(&n->re, v->s, 0, NULL, 0) == 0;
}

static bool eval_cmp(const struct node *n, const struct br_rule_ctx *ctx)
{
	struct val a, b;
	bool r = false;

	eval_value(n->kids[0], ctx, &a);
	switch ((enum cmp_op)n->op) {
	case OP_MATCH:
		r = regex_match(n, &a);
		break;
	case OP_NOMATCH:
		r = !regex_match(n, &a);
		break;
	case OP_EQ:
	case OP_NE:
		eval_value(n->kids[1], ctx, &b);
		r = val_eq(&a, &b);
		if (n->op == OP_NE)
			r = !r;
		val_clear(&b);
		break;
	case OP_IN:
		eval_value(n->kids[1], ctx, &b);
		r = contains(&b, &a, ctx);
		val_clear(&b);
		break;
	}
	val_clear(&a);
	return r;
}

static void eval_value(const struct node *n, const struct br_rule_ctx *ctx, struct val *v)
{
	memset(v, 0, sizeof(*v));
	switch (n->kind) {
	case N_STR:
		v->k = V_STR;
		v->s = n->str;
		v->len = n->len;
		return;
	case N_NUM:
		v->k = V_NUM;
		v->num = n->num;
		v->is_int = n->is_int;
		v->ival = n->ival;
		return;
	case N_BOOL:
		v->k = V_BOOL;
		v->b = n->b;
		return;
	case N_LIST:
		v->k = V_LIST;
		v->list = n;
		return;
	case N_CLAIM: {
		const json_t *j = br_claims_path_get(ctx->claims, &n->path);
		if (j != NULL)
			val_json(j, v);
		return;
	}
	case N_VAR:
		eval_var(n, ctx, v);
		return;
	case N_CALL:
		if (n->op == F_LOWER) {
			eval_lower(n, ctx, v);
			return;
		}
		break;
	default:
		break;
	}
	v->k = V_BOOL;
	v->b = eval_bool(n, ctx);
}

static bool eval_bool(const struct node *n, const struct br_rule_ctx *ctx)
{
	struct val v;
	bool r;

	switch (n->kind) {
	case N_NOT:
		return !eval_bool(n->kids[0], ctx);
	case N_AND:
		for (size_t i = 0; i < n->n_kids; i++)
			if (!eval_bool(n->kids[i], ctx))
				return false;
		return true;
	case N_OR:
		for (size_t i = 0; i < n->n_kids; i++)
			if (eval_bool(n->kids[i], ctx))
				return true;
		return false;
	case N_CMP:
		return eval_cmp(n, ctx);
	case N_CALL:
		if (n->op != F_LOWER)
			return eval_call_bool(n, ctx);
		break;
	default:
		break;
	}
	eval_value(n, ctx, &v);
	r = truthy(&v);
	val_clear(&v);
	return r;
}

bool br_rule_eval(const struct br_rule *rule, const struct br_rule_ctx *ctx)
{
	static const struct br_rule_ctx empty;

	if (rule == NULL)
		return false;
	return eval_bool(rule->root, ctx != NULL ? ctx : &empty);
}

/* ---- policy ------------------------------------------------------------ */

struct br_policy {
	struct br_rule *allow;
	struct br_rule *moderator;
	struct br_rule *lobby_bypass;
	struct br_rule *security_bypass;
	size_t n_features;
	char **names;
	struct br_rule **features;
};

static struct br_rule *compile(const char *path, const struct br_rule_src *src, const char *section,
                               const char *fallback, struct br_error *err)
{
	char name[160];
	const char *text = src->text != NULL ? src->text : fallback;

	snprintf(name, sizeof(name), "[%s] %s", section, src->name != NULL ? src->name : "?");
	return br_rule_parse(text, path, src->line, name, err);
}

struct br_policy *br_policy_new(const struct br_rules *rules, const char *path,
                                struct br_error *err)
{
	struct br_policy *pol = calloc(1, sizeof(*pol));
	struct br_rule_src allow = rules->allow, mod = rules->moderator;
	struct br_rule_src lobby = rules->lobby_bypass, security = rules->security_bypass;

	if (pol == NULL)
		goto nomem;
	if (allow.name == NULL)
		allow.name = "allow";
	if (mod.name == NULL)
		mod.name = "moderator";
	if (lobby.name == NULL)
		lobby.name = "lobby_bypass";
	if (security.name == NULL)
		security.name = "security_bypass";
	/* The defaults of DESIGN.md, should the config leave them out. */
	pol->allow = compile(path, &allow, "rules", "true", err);
	if (pol->allow == NULL)
		goto fail;
	pol->moderator = compile(path, &mod, "rules", "true", err);
	if (pol->moderator == NULL)
		goto fail;
	pol->lobby_bypass = compile(path, &lobby, "rules", "false", err);
	if (pol->lobby_bypass == NULL)
		goto fail;
	pol->security_bypass = compile(path, &security, "rules", "false", err);
	if (pol->security_bypass == NULL)
		goto fail;
	if (rules->n_features > 0) {
		pol->names = calloc(rules->n_features, sizeof(*pol->names));
		pol->features = calloc(rules->n_features, sizeof(*pol->features));
		if (pol->names == NULL || pol->features == NULL)
			goto nomem;
	}
	for (size_t i = 0; i < rules->n_features; i++) {
		const struct br_rule_src *src = &rules->features[i];
		pol->names[i] = strdup(src->name != NULL ? src->name : "");
		if (pol->names[i] == NULL) {
			pol->n_features = i + 1;
			goto nomem;
		}
		pol->features[i] = compile(path, src, "features", "false", err);
		pol->n_features = i + 1;
		if (pol->features[i] == NULL)
			goto fail;
	}
	return pol;
nomem:
	br_error_set(err, BR_E_NOMEM, "out of memory while compiling the rules");
fail:
	br_policy_free(pol);
	return NULL;
}

void br_policy_free(struct br_policy *policy)
{
	if (policy == NULL)
		return;
	br_rule_free(policy->allow);
	br_rule_free(policy->moderator);
	br_rule_free(policy->lobby_bypass);
	br_rule_free(policy->security_bypass);
	for (size_t i = 0; i < policy->n_features; i++) {
		free(policy->names[i]);
		br_rule_free(policy->features[i]);
	}
	free(policy->names);
	free(policy->features);
	free(policy);
}

int br_policy_decide(const struct br_policy *policy, const struct br_rule_ctx *ctx,
                     struct br_decision *out)
{
	memset(out, 0, sizeof(*out));
	out->allow = br_rule_eval(policy->allow, ctx);
	out->moderator = br_rule_eval(policy->moderator, ctx);
	out->lobby_bypass = br_rule_eval(policy->lobby_bypass, ctx);
	out->security_bypass = br_rule_eval(policy->security_bypass, ctx);
	if (policy->n_features > 0) {
		out->feature_values = calloc(policy->n_features, sizeof(*out->feature_values));
		if (out->feature_values == NULL) {
			out->allow = false;
			return -1;
		}
		for (size_t i = 0; i < policy->n_features; i++)
			out->feature_values[i] = br_rule_eval(policy->features[i], ctx);
	}
	out->n_features = policy->n_features;
	out->feature_names = (const char *const *)policy->names;
	return 0;
}

void br_decision_clear(struct br_decision *d)
{
	if (d == NULL)
		return;
	free(d->feature_values);
	memset(d, 0, sizeof(*d));
}
