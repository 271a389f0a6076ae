/*
 * config_keys.h - the configuration key table, shared by the loader
 * (configuration.c, which owns the table) and the documentation writer
 * (config_doc.c).  Private to the configuration module: not under include/.
 *
 * A row names its value type; a type is a small struct (pgbouncer's cf_*
 * lookups are the model) holding the converter from text to the row's field
 * in struct br_config, how to free that field, and the type's name in
 * bridge.conf(5).  What only one key needs is a check hook on its row, run
 * after the conversion.
 */
#ifndef BR_CONFIG_KEYS_H
#define BR_CONFIG_KEYS_H

#include <stdbool.h>
#include <stddef.h>

struct br_config_loader; /* configuration.c: the state of one load */
struct br_config_raw;    /* configuration.c: one raw value and its origin */
struct br_config_key;

struct br_config_type {
	const char *doc; /* the type's name in bridge.conf(5): "URL", "duration" */
	/* Converts v (never NULL) into the key's field of the config being
	 * loaded; 0, or -1 after reporting what is wrong. */
	int (*convert)(struct br_config_loader *ld, const struct br_config_key *k,
	               const struct br_config_raw *r, const char *v);
	void (*free)(void *field); /* frees what convert stored; NULL: nothing */
	bool empty_ok;             /* an empty value is a value: "" or an empty list */
	bool has_file;             /* may also be given as <key>_file = PATH */
};

enum {
	F_REQUIRED = 1 << 0,    /* no default: must be given */
	F_ZERO_OK = 1 << 1,     /* a duration that may be 0 */
	F_STRIP_SLASH = 1 << 2, /* drop exactly one trailing '/' */
	F_NO_QUERY = 1 << 3,    /* URL without query or fragment */
	F_HOSTNAME = 1 << 4,    /* a lowercase DNS name */
	F_WORD = 1 << 5,        /* letters, digits and . _ ~ : / @ + - */
	F_NONEMPTY = 1 << 6,    /* empty is a mistake even where the type allows it */
};

struct br_config_key {
	const char *section;
	const char *name;
	const struct br_config_type *type;
	const char *def; /* NULL: no default */
	const char *doc;
	unsigned flags;
	size_t off;               /* offsetof(struct br_config, field) */
	const char *example;      /* shown commented out in the example config */
	const char *const *names; /* enum type: the allowed words, index = value */
	long min, max;            /* integer types */
	/* Runs after a successful conversion, for what only this key needs
	 * (NULL: nothing); 0, or -1 after reporting what is wrong. */
	int (*check)(struct br_config_loader *ld, const struct br_config_key *k,
	             const struct br_config_raw *r);
};

struct br_config_section {
	const char *name;
	const char *doc;
};

/* The table, in the order of the example config and the man page. */
extern const struct br_config_key br_config_keys[];
extern const size_t br_config_n_keys;
extern const struct br_config_section br_config_sections[];
extern const size_t br_config_n_sections;

#endif
