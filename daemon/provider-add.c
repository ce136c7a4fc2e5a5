/* provider-add.c — a provider group inserted into providers.conf text. */
#include "provider-add.h"

#include <string.h>
#include <gio/gio.h>

/* Where the top-level "providers" list is: the offset of its "(" and of
 * the end of its last element ('}' or 0 when empty), and of its ")". */
struct list_span {
	gssize open;
	gssize last_group_end;
	gssize close;
};

static gboolean
is_name_char(char c)
{
	return g_ascii_isalnum(c) || c == '_' || c == '-' || c == '*';
}

/* Skips a comment or string at text[*i] (moving *i past it); FALSE when
 * it does not end. */
static gboolean
skip_comment_or_string(const char *text, gsize len, gsize *i)
{
	gsize p = *i;

	if (text[p] == '#' ||
	    (text[p] == '/' && p + 1 < len && text[p + 1] == '/')) {
		while (p < len && text[p] != '\n')
			p++;
		*i = p;
		return TRUE;
	}
	if (text[p] == '/' && p + 1 < len && text[p + 1] == '*') {
		const char *end = g_strstr_len(text + p + 2, len - p - 2, "*/");

		if (end == NULL)
			return FALSE;
		*i = (gsize)(end - text) + 2;
		return TRUE;
	}
	/* a string */
	for (p++; p < len && text[p] != '"'; p++)
		if (text[p] == '\\' && p + 1 < len)
			p++;
	if (p >= len)
		return FALSE;
	*i = p + 1;
	return TRUE;
}

/* Finds the providers list.  *found FALSE when the file has none. */
static gboolean
find_list(const char *text, struct list_span *span, gboolean *found,
	  GError **error)
{
	gsize len = strlen(text);
	int depth = 0;
	gboolean want_value = FALSE, in_list = FALSE;

	*found = FALSE;
	*span = (struct list_span){-1, 0, -1};
	for (gsize i = 0; i < len;) {
		char c = text[i];

		if (c == '"' && depth == 0 && want_value) {
			g_set_error_literal(
				error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
				"\"providers\" is not a list ( ... )");
			return FALSE;
		}
		if (c == '#' || c == '"' ||
		    (c == '/' && i + 1 < len &&
		     (text[i + 1] == '/' || text[i + 1] == '*'))) {
			if (!skip_comment_or_string(text, len, &i)) {
				g_set_error(error, G_IO_ERROR,
					    G_IO_ERROR_INVALID_DATA,
					    "an unterminated string or comment "
					    "at byte %zu",
					    i);
				return FALSE;
			}
			continue;
		}
		if (depth == 0 && !in_list && is_name_char(c)) {
			gsize start = i;

			while (i < len && is_name_char(text[i]))
				i++;
			want_value = i - start == strlen("providers") &&
				     strncmp(text + start, "providers",
					     i - start) == 0;
			continue;
		}
		if (c == '(' || c == '[' || c == '{') {
			if (depth == 0 && want_value) {
				if (c != '(') {
					g_set_error_literal(
						error, G_IO_ERROR,
						G_IO_ERROR_INVALID_DATA,
						"\"providers\" is not a list "
						"( ... )");
					return FALSE;
				}
				in_list = TRUE;
				span->open = (gssize)i;
			}
			depth++;
		} else if (c == ')' || c == ']' || c == '}') {
			depth--;
			if (in_list && depth == 1 && c == '}')
				span->last_group_end = (gssize)i + 1;
			if (in_list && depth == 0) {
				span->close = (gssize)i;
				*found = TRUE;
				return TRUE;
			}
		} else if (c == ';' && depth == 0) {
			want_value = FALSE;
		}
		i++;
	}
	if (in_list) {
		g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
				    "the \"providers\" list is not closed");
		return FALSE;
	}
	return TRUE;
}

/* Appends value as a libconfig string.  FALSE for control characters. */
static gboolean
append_string(GString *out, const char *value)
{
	g_string_append_c(out, '"');
	for (const char *p = value; *p != '\0'; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return FALSE;
		if (*p == '"' || *p == '\\')
			g_string_append_c(out, '\\');
		g_string_append_c(out, *p);
	}
	g_string_append_c(out, '"');
	return TRUE;
}

static gboolean
append_key(GString *out, const char *indent, const char *key, const char *value)
{
	if (value == NULL)
		return TRUE;
	g_string_append_printf(out, "%s%s = ", indent, key);
	if (!append_string(out, value))
		return FALSE;
	g_string_append(out, ";\n");
	return TRUE;
}

static gboolean
append_array(GString *out, const char *indent, const char *key,
	     const char *const *values)
{
	if (values == NULL || values[0] == NULL)
		return TRUE;
	g_string_append_printf(out, "%s%s = [ ", indent, key);
	for (gsize i = 0; values[i] != NULL; i++) {
		if (i > 0)
			g_string_append(out, ", ");
		if (!append_string(out, values[i]))
			return FALSE;
	}
	g_string_append(out, " ];\n");
	return TRUE;
}

/* The group, indented one tab as in the shipped file. */
static char *
provider_group(const struct provider_new *p)
{
	g_autoptr(GString) out = g_string_new("\t{\n");
	const char *in = "\t\t";

	if (!append_key(out, in, "id", p->id) ||
	    !append_key(out, in, "name", p->name) ||
	    !append_array(out, in, "contacts", p->contacts) ||
	    !append_key(out, in, "fingerprint", p->fingerprint) ||
	    !append_array(out, in, "services", p->services) ||
	    !append_array(out, in, "regions", p->regions) ||
	    !append_array(out, in, "languages", p->languages))
		return NULL;
	g_string_append_printf(out, "%scapacity = {\n", in);
	if (p->max_open_cases > 0)
		g_string_append_printf(out, "%s\tmax_open_cases = %d;\n", in,
				       p->max_open_cases);
	if (p->pledged_hours > 0)
		g_string_append_printf(out, "%s\tpledged_hours = %d;\n", in,
				       p->pledged_hours);
	g_string_append_printf(out, "%s};\n", in);
	if (p->paused || p->timezone != NULL ||
	    (p->on_call != NULL && p->on_call[0] != NULL)) {
		g_autofree char *inner = g_strconcat(in, "\t", NULL);

		g_string_append_printf(out, "%savailability = {\n", in);
		if (p->paused)
			g_string_append_printf(out, "%spaused = true;\n",
					       inner);
		if (!append_key(out, inner, "timezone", p->timezone) ||
		    !append_array(out, inner, "on_call", p->on_call))
			return NULL;
		g_string_append_printf(out, "%s};\n", in);
	}
	if (!append_key(out, in, "offer", p->offer) ||
	    !append_array(out, in, "domains", p->domains))
		return NULL;
	g_string_append(out, "\t}");
	return g_string_free(g_steal_pointer(&out), FALSE);
}

char *
provider_add_to_text(const char *text, const struct provider_new *p,
		     GError **error)
{
	g_autofree char *group = provider_group(p);
	struct list_span span;
	gboolean found;
	GString *out;

	if (group == NULL) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
			    "provider '%s': a value holds a control character",
			    p->id != NULL ? p->id : "");
		return NULL;
	}
	if (!find_list(text, &span, &found, error))
		return NULL;
	out = g_string_new(NULL);
	if (!found) {
		g_string_append(out, text);
		if (out->len > 0 && out->str[out->len - 1] != '\n')
			g_string_append_c(out, '\n');
		g_string_append_printf(out, "\nproviders = (\n%s\n);\n", group);
	} else if (span.last_group_end > 0) {
		g_string_append_len(out, text, span.last_group_end);
		g_string_append_printf(out, ",\n%s", group);
		g_string_append(out, text + span.last_group_end);
	} else {
		g_string_append_len(out, text, span.open + 1);
		g_string_append_printf(out, "\n%s\n", group);
		g_string_append(out, text + span.open + 1);
	}
	return g_string_free(out, FALSE);
}
