/* error.c - struct br_error helpers. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "bridge/error.h"

void br_error_set(struct br_error *err, enum br_error_code code, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
}

void br_error_prefix(struct br_error *err, const char *fmt, ...)
{
	char prefix[BR_ERROR_MSG_MAX];
	char old[BR_ERROR_MSG_MAX];
	va_list ap;

	if (err == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	memcpy(old, err->msg, sizeof(old));
	/* Truncation is fine: a message is for people, and stays terminated. */
	size_t n = strlen(prefix);
	if (n > sizeof(err->msg) - 3)
		n = sizeof(err->msg) - 3;
	memcpy(err->msg, prefix, n);
	memcpy(err->msg + n, ": ", 2);
	n += 2;
	size_t m = strlen(old);
	if (m > sizeof(err->msg) - 1 - n)
		m = sizeof(err->msg) - 1 - n;
	memcpy(err->msg + n, old, m);
	err->msg[n + m] = '\0';
}

void br_error_clear(struct br_error *err)
{
	if (err == NULL)
		return;
	err->code = BR_E_NONE;
	err->msg[0] = '\0';
}
