/*
 * error.h - the error value every fallible br_* function fills in.
 *
 * A struct br_error carries a code (what kind of failure; the error page of
 * each, br_page_kind_for_error(), carries its HTTP status) and a short human message that can go
 * straight to the log or, escaped, to an error page.  Functions take it last and accept NULL when
 * the caller does not care.
 */
#ifndef BR_ERROR_H
#define BR_ERROR_H

#include <stddef.h>

enum br_error_code {
	BR_E_NONE = 0,
	BR_E_NOMEM,       /* allocation failed */
	BR_E_IO,          /* file or socket error */
	BR_E_CONFIG,      /* invalid configuration */
	BR_E_INVALID,     /* invalid input from a client (400) */
	BR_E_STATE,       /* missing, expired or tampered login state (400) */
	BR_E_DENIED,      /* access denied (403) */
	BR_E_PROTOCOL,    /* the IdP answered wrongly: bad response or token (502) */
	BR_E_UNAVAILABLE, /* the IdP is unreachable or not ready (503) */
	BR_E_TIMEOUT,     /* the IdP did not answer in time (504) */
	BR_E_CRYPTO,      /* key or signature problem on our side */
	BR_E_INTERNAL,    /* a bug or unexpected library failure (500) */
};

#define BR_ERROR_MSG_MAX 512

struct br_error {
	enum br_error_code code;
	char msg[BR_ERROR_MSG_MAX];
};

/* Sets err (if not NULL) to code and the printf-formatted message.
 * A message already set is replaced. */
void br_error_set(struct br_error *err, enum br_error_code code, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

/* Prepends "prefix: " to the message already in err (if not NULL). */
void br_error_prefix(struct br_error *err, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));

/* Resets err to BR_E_NONE with an empty message. */
void br_error_clear(struct br_error *err);

#endif
