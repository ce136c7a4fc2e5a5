/* template.h — reply templates: "Header: value" lines, a blank line, then
 * the body, with mustache-style tags.  Pure: text in, compiled template
 * out; context in, text out.
 *
 * Tags:
 *   {{name}}              value of a variable ("" when unset)
 *   {{#name}}..{{/name}}  section: repeated for each item of a list, shown
 *                         once when a variable is set and not "" / false
 *   {{^name}}..{{/name}}  inverted: shown when unset, empty, false or []
 *   {{! comment }}        dropped
 * A line holding only a section or comment tag leaves no blank line.
 *
 * Names are [a-z0-9_]+, blanks inside the braces are allowed ({{ name }}),
 * a tag never spans lines, sections nest at most 16 deep.  A list item is
 * a context of its own whose lookups fall back to the enclosing ones.
 *
 * Header lines may only name headers in MAIL_TEMPLATE_HEADERS (folded
 * continuation lines allowed); a value substituted into a header has CR,
 * LF and other control characters replaced by spaces, so it can never
 * start a header of its own, and the header value is trimmed.  Body values
 * go in verbatim (plain text: no escaping) except that their CRLF / CR
 * become LF.  The body keeps the template's lines and ends with exactly
 * one LF.  Input is UTF-8 of at most 1 MiB; CRLF counts as LF. */
#ifndef INTAKED_TEMPLATE_H
#define INTAKED_TEMPLATE_H

#include <glib.h>

#define TEMPLATE_ERROR (template_error_quark())
GQuark template_error_quark(void);
enum template_error {
	TEMPLATE_ERROR_SYNTAX,	/* unclosed tag or section, stray {{/x}} */
	TEMPLATE_ERROR_UNKNOWN, /* variable or header not allowed */
	TEMPLATE_ERROR_MISSING, /* a required header (Subject) is absent */
};

/* Headers a template may set. */
/* clang-format off */
#define MAIL_TEMPLATE_HEADERS { "Subject", NULL }
/* clang-format on */

/* ---- values a template is rendered with ---- */
struct template_context;
/* Returns an empty context; free with template_context_free(). */
struct template_context *template_context_new(void);
void template_context_free(struct template_context **context);
/* Sets name to a copy of value (NULL unsets). */
void template_context_set(struct template_context *context, const char *name,
			  const char *value);
void template_context_set_bool(struct template_context *context,
			       const char *name, gboolean value);
/* Appends an item to list name and returns it; the item belongs to
 * context.  Lookups inside an item fall back to the enclosing contexts. */
struct template_context *
template_context_add_item(struct template_context *context, const char *name);

/* ---- one mail template ---- */
struct mail_template;

/* Compiles text (from filename, used in errors).  known is the
 * NULL-terminated list of variable and section names this kind of mail
 * may use.  Errors read "filename:line: what is wrong".  Returns NULL with
 * error, or a template to free with mail_template_free(). */
struct mail_template *mail_template_parse(const char *text, gsize len,
					  const char *filename,
					  const char *const *known,
					  GError **error);
void mail_template_free(struct mail_template **template);

struct mail_template_output {
	GPtrArray *header_names;  /* char*, in template order */
	GPtrArray *header_values; /* char*, single-line, UTF-8 */
	char *body;		  /* UTF-8, LF line ends, ends with LF */
};
/* Renders (context may be NULL: every variable unset).  Caller clears
 * output with mail_template_output_clear(). */
void mail_template_render(const struct mail_template *template,
			  const struct template_context *context,
			  struct mail_template_output *output);
void mail_template_output_clear(struct mail_template_output *output);
/* Value of header name in output (case-insensitive), or NULL. */
const char *
mail_template_output_header(const struct mail_template_output *output,
			    const char *name);

#endif
