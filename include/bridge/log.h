/*
 * log.h - leveled logfmt lines on stderr (journald picks them up).
 *
 *   ts=2026-12-01T04:33:39.123Z level=info msg="listening" addr=127.0.0.1:8800
 *
 * Values are quoted and escaped as logfmt needs.  This module never sees a
 * token, code, cookie or secret: callers must not pass them.
 */
#ifndef BR_LOG_H
#define BR_LOG_H

#include <stdbool.h>
#include <stdio.h>

enum br_log_level {
	BR_LOG_DEBUG = 0,
	BR_LOG_INFO,
	BR_LOG_WARN,
	BR_LOG_ERROR,
};

/* Lines below level are dropped.  Default: info. */
void br_log_set_level(enum br_log_level level);

/* Where lines go (default stderr); tests point it at a memstream.  Passing
 * NULL restores stderr. */
void br_log_set_stream(FILE *out);

/* Whether a line at level would be written: lets callers skip formatting
 * values for lines that are dropped. */
bool br_log_enabled(enum br_log_level level);

/* Parses "debug", "info", "warn", "error"; -1 when unknown. */
int br_log_level_parse(const char *s);

/* Writes one line: msg, then key/value pairs of strings, ended by NULL.
 * A NULL value is written as an empty string:
 *   br_log(BR_LOG_INFO, "listening", "addr", a, (char *)NULL); */
void br_log(enum br_log_level level, const char *msg, ...) __attribute__((sentinel));

/* Appends " key=value" to buf (of size cap, holding len bytes) with value
 * quoted and escaped as logfmt needs; returns the new length (truncated
 * lines stay NUL-terminated). */
size_t br_log_append(char *buf, size_t cap, size_t len, const char *key, const char *value);

#endif
