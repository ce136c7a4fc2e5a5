/* templates.h — the reply templates of every kind and language, loaded
 * from the templates directory (DIR/LANG/KIND.tmpl).
 *
 * A loaded set is immutable and reference counted.  Loading checks every
 * file against its kind's variables, so a broken template is reported at
 * load ("file:line: what") and never at send time.  Each kind must exist
 * in the fallback language (the first configured one); a missing
 * translation falls back to it. */
#ifndef INTAKED_TEMPLATES_H
#define INTAKED_TEMPLATES_H

#include <glib.h>
#include "template.h"

struct templates;

/* Loads dir for languages (NULL-terminated, first = fallback).  On any
 * problem returns NULL and sets error to all problems, one per line. */
struct templates *templates_load(const char *dir, const char *const *languages,
				 GError **error);
struct templates *templates_ref(struct templates *templates);
void templates_unref(struct templates **templates);

/* Renders kind in lang (or the fallback language; *used_lang, may be NULL,
 * tells which).  FALSE with error for an unknown kind. */
gboolean templates_render(const struct templates *templates, const char *kind,
			  const char *lang,
			  const struct template_context *context,
			  struct mail_template_output *output,
			  const char **used_lang, GError **error);

/* Number of template files loaded. */
guint templates_count(const struct templates *templates);

/* The kinds intaked knows (NULL-terminated, static). */
const char *const *templates_kinds(void);
/* Variables kind may use (NULL-terminated, static), or NULL if unknown. */
const char *const *templates_kind_variables(const char *kind);

#endif
