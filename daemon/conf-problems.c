/* conf-problems.c — collecting the problems of a libconfig file. */
#include "conf-problems.h"

#include "answer.h"

/* Edits this far from a known key get a "did you mean". */
#define HINT_MAX_DISTANCE 2

void
conf_problem_vadd(const struct conf_problems *where,
		  const config_setting_t *setting, const char *format,
		  va_list args)
{
	GString *problems = where->problems;

	if (problems->len > 0)
		g_string_append_c(problems, '\n');
	if (setting != NULL) {
		const char *file = config_setting_source_file(setting);
		g_autofree char *path = NULL;

		if (file == NULL)
			path = g_strdup(where->name);
		else if (g_path_is_absolute(file))
			path = g_strdup(file);
		else
			path = g_build_filename(where->base_dir, file, NULL);
		g_string_append_printf(problems, "%s:%u: ", path,
				       config_setting_source_line(setting));
	} else {
		g_string_append_printf(problems, "%s: ", where->name);
	}
	g_string_append_vprintf(problems, format, args);
}

static void conf_problem_add(const struct conf_problems *where,
			     const config_setting_t *setting,
			     const char *format, ...) G_GNUC_PRINTF(3, 4);

static void
conf_problem_add(const struct conf_problems *where,
		 const config_setting_t *setting, const char *format, ...)
{
	va_list args;

	va_start(args, format);
	conf_problem_vadd(where, setting, format, args);
	va_end(args);
}

char *
conf_hint(const char *word, const char *const *candidates)
{
	const char *closest =
		answer_closest(word, candidates, HINT_MAX_DISTANCE);

	return closest ? g_strdup_printf("; did you mean '%s'?", closest)
		       : g_strdup("");
}

void
conf_check_keys(const struct conf_problems *problems,
		const config_setting_t *group, const char *const *known,
		const char *where)
{
	int count = config_setting_length(group);

	for (int i = 0; i < count; i++) {
		config_setting_t *member = config_setting_get_elem(group, i);
		const char *name = config_setting_name(member);
		g_autofree char *suggestion = NULL;

		if (name == NULL || g_strv_contains(known, name))
			continue;
		suggestion = conf_hint(name, known);
		conf_problem_add(problems, member, "unknown key '%s' in %s%s",
				 name, where, suggestion);
	}
}
