/* conf-problems.h — the "file:line: what is wrong" list that the loaders
 * of questionnaire.conf and providers.conf collect, so an admin sees every
 * problem of an edit at once.  Both loaders share it; only they (and
 * config.c) include libconfig. */
#ifndef INTAKED_CONF_PROBLEMS_H
#define INTAKED_CONF_PROBLEMS_H

#include <stdarg.h>
#include <glib.h>
#include <libconfig.h>

/* Where problems go and how to name the file: name is the file as given
 * (used when a problem has no setting), base_dir resolves relative
 * @include names.  Nothing is owned. */
struct conf_problems {
	GString *problems;
	const char *name;
	const char *base_dir;
};

/* Appends one problem, on a line of its own, as "file:line: message"
 * (or "name: message" when setting is NULL). */
void conf_problem_vadd(const struct conf_problems *where,
		       const config_setting_t *setting, const char *format,
		       va_list args) G_GNUC_PRINTF(3, 0);

/* "; did you mean 'x'?" when a candidate is close to word, else "".
 * Caller frees. */
char *conf_hint(const char *word, const char *const *candidates);

/* Reports every member of group whose name is not in known, with a
 * hint; where names the group in the message ("field 'x'"). */
void conf_check_keys(const struct conf_problems *problems,
		     const config_setting_t *group, const char *const *known,
		     const char *where);

#endif
