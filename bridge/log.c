/*
 * log.c - logfmt lines on stderr.
 *
 * Each line is formatted into one buffer and written with a single fwrite so
 * that lines of different worker threads never interleave.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "bridge/log.h"

#define LINE_MAX_BYTES 2048

static enum br_log_level min_level = BR_LOG_INFO;
static FILE *stream;

static const char *const level_names[] = {"debug", "info", "warn", "error"};

void br_log_set_level(enum br_log_level level)
{
	min_level = level;
}

void br_log_set_stream(FILE *out)
{
	stream = out;
}

int br_log_level_parse(const char *s)
{
	for (size_t i = 0; i < sizeof(level_names) / sizeof(level_names[0]); i++)
		if (strcmp(s, level_names[i]) == 0)
			return (int)i;
	if (strcmp(s, "warning") == 0)
		return BR_LOG_WARN;
	return -1;
}

static int needs_quotes(const char *v)
{
	if (*v == '\0')
		return 1;
	for (; *v; v++) {
		unsigned char c = (unsigned char)*v;
		if (c <= ' ' || c == '"' || c == '=' || c == '\\' || c == 0x7f)
			return 1;
	}
	return 0;
}

size_t br_log_append(char *buf, size_t cap, size_t len, const char *key, const char *value)
{
	static const char hex[] = "0123456789abcdef";
	const char *v = value ? value : "";
	int quote = needs_quotes(v);

	if (cap == 0 || len >= cap - 1)
		return len;
#define PUT(ch)                                                                                    \
	do {                                                                                       \
		if (len < cap - 1)                                                                 \
			buf[len++] = (ch);                                                         \
	} while (0)
	PUT(' ');
	for (const char *k = key; *k; k++)
		PUT(*k);
	PUT('=');
	if (quote)
		PUT('"');
	for (; *v; v++) {
		unsigned char c = (unsigned char)*v;
		if (c == '"' || c == '\\') {
			PUT('\\');
			PUT((char)c);
		} else if (c == '\n') {
			PUT('\\');
			PUT('n');
		} else if (c < 0x20 || c == 0x7f) {
			PUT('\\');
			PUT('x');
			PUT(hex[c >> 4]);
			PUT(hex[c & 15]);
		} else {
			PUT((char)c);
		}
	}
	if (quote)
		PUT('"');
#undef PUT
	buf[len] = '\0';
	return len;
}

static size_t line_start(char *buf, size_t cap, enum br_log_level level)
{
	struct timeval tv;
	struct tm tm;
	size_t len;

	gettimeofday(&tv, NULL);
	gmtime_r(&tv.tv_sec, &tm);
	len = strftime(buf, cap, "ts=%Y-%m-%dT%H:%M:%S", &tm);
	len += (size_t)snprintf(buf + len, cap - len, ".%03ldZ level=%s", (long)(tv.tv_usec / 1000),
	                        level_names[level]);
	return len;
}

static void line_end(char *buf, size_t cap, size_t len)
{
	FILE *out = stream ? stream : stderr;

	if (len > cap - 2)
		len = cap - 2;
	buf[len++] = '\n';
	fwrite(buf, 1, len, out);
	fflush(out);
}

bool br_log_enabled(enum br_log_level level)
{
	return level >= min_level;
}

void br_log(enum br_log_level level, const char *msg, ...)
{
	char buf[LINE_MAX_BYTES];
	size_t len;
	va_list ap;
	const char *key;

	if (level < min_level)
		return;
	len = line_start(buf, sizeof(buf), level);
	len = br_log_append(buf, sizeof(buf), len, "msg", msg);
	va_start(ap, msg);
	while ((key = va_arg(ap, const char *)) != NULL) {
		const char *value = va_arg(ap, const char *);
		len = br_log_append(buf, sizeof(buf), len, key, value);
	}
	va_end(ap);
	line_end(buf, sizeof(buf), len);
}
