/* config-keys.h — the declaration of every intaked.conf key (private to
 * config.c; config-keys.c holds the table, which docs/man/intaked.conf.5
 * mirrors). */
#ifndef INTAKED_CONFIG_KEYS_H
#define INTAKED_CONFIG_KEYS_H

#include <stddef.h>
#include <glib.h>

enum key_type {
	KEY_STRING,	   /* char * */
	KEY_PATH,	   /* char *, relative to the file's directory */
	KEY_INT,	   /* int */
	KEY_INT64,	   /* gint64 */
	KEY_BOOL,	   /* gboolean */
	KEY_ENUM,	   /* int (an enum), index into enum_names */
	KEY_STRING_LIST,   /* char **, NULL-terminated */
	KEY_PASSWORD_FILE, /* char *: the first line of the file */
	KEY_SECRET_FILE,   /* GBytes *: the whole file */
};

enum key_flags {
	KEY_REQUIRED = 1 << 0,
	/* "" means "not set" and is stored as NULL. */
	KEY_EMPTY_IS_NULL = 1 << 1,
	/* "" is a valid value (otherwise it is an error). */
	KEY_ALLOW_EMPTY = 1 << 2,
	/* Not set: 0 now, filled in from other keys after loading. */
	KEY_DEFAULT_DERIVED = 1 << 3,
};

/* Returns NULL when the loaded value is fine, else a description of what
 * is wrong (without location) that the caller frees. */
typedef char *(*key_check_func)(const void *field);

struct config_key {
	const char *path;
	enum key_type type;
	unsigned flags;
	const char *default_string;
	gint64 default_number; /* int, int64, bool, enum index */
	const char *const *default_list;
	gint64 min, max;
	const char *const *enum_names;
	const char *enum_hint; /* appended to a bad enum value's error */
	key_check_func check;
	size_t offset;
	const char *description;
};

/* Every key, in the order errors about them are reported. */
extern const struct config_key config_keys[];
extern const size_t config_keys_count;

#endif
