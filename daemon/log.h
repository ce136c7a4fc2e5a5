/* log.h — one event per line, key=value, to stderr (journald).
 *
 * Callers write the event as a printf format of key=value pairs.  Any value
 * that comes from outside (addresses, subjects, server replies) must go
 * through log_value() so a hostile string cannot forge a key or a line. */
#ifndef INTAKED_LOG_H
#define INTAKED_LOG_H

#include <glib.h>

enum log_level {
	LOG_LEVEL_DEBUG,
	LOG_LEVEL_INFO,
	LOG_LEVEL_WARNING,
	LOG_LEVEL_ERROR
};

/* Sets the lowest level written; default LOG_LEVEL_INFO. */
void log_set_level(enum log_level level);
/* Parses "debug", "info", "warning" or "error"; FALSE when unknown. */
gboolean log_level_parse(const char *name, enum log_level *level);
/* When TRUE, lines carry a syslog priority prefix ("<6>") for journald. */
void log_set_journal_prefix(gboolean enabled);

void log_write(enum log_level level, const char *format, ...)
	G_GNUC_PRINTF(2, 3);
#define log_debug(...)	 log_write(LOG_LEVEL_DEBUG, __VA_ARGS__)
#define log_info(...)	 log_write(LOG_LEVEL_INFO, __VA_ARGS__)
#define log_warning(...) log_write(LOG_LEVEL_WARNING, __VA_ARGS__)
#define log_error(...)	 log_write(LOG_LEVEL_ERROR, __VA_ARGS__)

/* Returns a newly allocated, log-safe rendering of an untrusted value:
 * bare when it is a plain token, otherwise double-quoted with \" \\ \n \r
 * \t and \xNN escapes, cut to 200 bytes (with "..." appended).  NULL gives
 * "-".  The caller frees it (use g_autofree). */
char *log_value(const char *value);

#endif
