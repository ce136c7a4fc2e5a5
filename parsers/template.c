/* template.c — compile and render the reply templates.
 *
 * Compiling works line by line: a tag never spans lines, so every error
 * carries the line of the tag that caused it, and the mustache
 * "standalone" rule (a line holding only a section or comment tag
 * disappears with its line end) is a per-line decision.  The compiled form
 * is a tree of text, variable and section nodes per header and for the
 * body. */
#include "template.h"

#include <string.h>

/* Templates are written by administrators; anything this large is a
 * mistake, and bounding it bounds the work of the parser. */
#define TEMPLATE_MAX_INPUT (1024 * 1024)
/* Sections nest at most this deep. */
#define TEMPLATE_MAX_DEPTH 16

GQuark
template_error_quark(void)
{
	return g_quark_from_static_string("template-error-quark");
}

/* ---- contexts ---- */

enum value_kind {
	VALUE_STRING,
	VALUE_BOOL,
	VALUE_LIST,
};

struct value {
	enum value_kind kind;
	char *string;
	gboolean boolean;
	GPtrArray *items; /* struct template_context*, owned */
};

struct template_context {
	GHashTable *values; /* name -> struct value* */
	struct template_context *parent;
};

static void
context_free_item(gpointer item)
{
	struct template_context *context = item;

	template_context_free(&context);
}

static void
value_free(gpointer data)
{
	struct value *value = data;

	g_free(value->string);
	if (value->items != NULL)
		g_ptr_array_unref(value->items);
	g_free(value);
}

struct template_context *
template_context_new(void)
{
	struct template_context *context = g_new0(struct template_context, 1);

	context->values = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
						value_free);
	return context;
}

void
template_context_free(struct template_context **context)
{
	if (*context == NULL)
		return;
	g_hash_table_unref((*context)->values);
	g_free(*context);
	*context = NULL;
}

void
template_context_set(struct template_context *context, const char *name,
		     const char *value)
{
	struct value *v;

	if (value == NULL) {
		g_hash_table_remove(context->values, name);
		return;
	}
	v = g_new0(struct value, 1);
	v->kind = VALUE_STRING;
	v->string = g_strdup(value);
	g_hash_table_replace(context->values, g_strdup(name), v);
}

void
template_context_set_bool(struct template_context *context, const char *name,
			  gboolean value)
{
	struct value *v = g_new0(struct value, 1);

	v->kind = VALUE_BOOL;
	v->boolean = value;
	g_hash_table_replace(context->values, g_strdup(name), v);
}

struct template_context *
template_context_add_item(struct template_context *context, const char *name)
{
	struct value *v = g_hash_table_lookup(context->values, name);
	struct template_context *item;

	if (v == NULL || v->kind != VALUE_LIST) {
		v = g_new0(struct value, 1);
		v->kind = VALUE_LIST;
		v->items = g_ptr_array_new_with_free_func(context_free_item);
		g_hash_table_replace(context->values, g_strdup(name), v);
	}
	item = template_context_new();
	item->parent = context;
	g_ptr_array_add(v->items, item);
	return item;
}

/* ---- compiled form ---- */

enum node_kind {
	NODE_TEXT,
	NODE_VARIABLE,
	NODE_SECTION,
	NODE_INVERTED,
};

struct node {
	enum node_kind kind;
	char *text;	     /* the variable or section name */
	GString *literal;    /* text nodes: the text */
	GPtrArray *children; /* sections: struct node* */
};

struct template_header {
	char *name;
	GPtrArray *nodes;
};

struct mail_template {
	GPtrArray *headers; /* struct template_header* */
	GPtrArray *body;    /* struct node* */
};

static void
node_free(gpointer data)
{
	struct node *node = data;

	g_free(node->text);
	if (node->literal != NULL)
		g_string_free(node->literal, TRUE);
	if (node->children != NULL)
		g_ptr_array_unref(node->children);
	g_free(node);
}

static GPtrArray *
node_list_new(void)
{
	return g_ptr_array_new_with_free_func(node_free);
}

static void
header_free(gpointer data)
{
	struct template_header *header = data;

	g_free(header->name);
	g_ptr_array_unref(header->nodes);
	g_free(header);
}

void
mail_template_free(struct mail_template **template)
{
	if (*template == NULL)
		return;
	g_ptr_array_unref((*template)->headers);
	g_ptr_array_unref((*template)->body);
	g_free(*template);
	*template = NULL;
}

/* ---- compiler ---- */

/* One open section while compiling. */
struct open_section {
	struct node *node;
	guint line;
};

struct compiler {
	const char *filename;
	const char *const *known;
	GPtrArray *root; /* where the current header/body goes */
	struct open_section stack[TEMPLATE_MAX_DEPTH];
	guint depth;
	GError **error;
};

static GPtrArray *
compiler_current(struct compiler *c)
{
	return c->depth == 0 ? c->root : c->stack[c->depth - 1].node->children;
}

static void G_GNUC_PRINTF(4, 5)
	compile_error(struct compiler *c, enum template_error code, guint line,
		      const char *format, ...)
{
	g_autofree char *what = NULL;
	va_list args;

	va_start(args, format);
	what = g_strdup_vprintf(format, args);
	va_end(args);
	g_set_error(c->error, TEMPLATE_ERROR, code, "%s:%u: %s", c->filename,
		    line, what);
}

static void
append_text(struct compiler *c, const char *text, gsize len)
{
	GPtrArray *nodes = compiler_current(c);
	struct node *last;

	if (len == 0)
		return;
	last = nodes->len > 0 ? g_ptr_array_index(nodes, nodes->len - 1) : NULL;
	/* Appending to a GString keeps a long template linear to compile. */
	if (last != NULL && last->kind == NODE_TEXT) {
		g_string_append_len(last->literal, text, (gssize)len);
		return;
	}
	last = g_new0(struct node, 1);
	last->kind = NODE_TEXT;
	last->literal = g_string_new_len(text, (gssize)len);
	g_ptr_array_add(nodes, last);
}

static gboolean
name_is_valid(const char *name)
{
	if (*name == '\0')
		return FALSE;
	for (const char *p = name; *p != '\0'; p++)
		if (!g_ascii_islower(*p) && !g_ascii_isdigit(*p) && *p != '_')
			return FALSE;
	return TRUE;
}

static gboolean
name_is_known(struct compiler *c, const char *name)
{
	if (c->known == NULL)
		return FALSE;
	for (gsize i = 0; c->known[i] != NULL; i++)
		if (strcmp(c->known[i], name) == 0)
			return TRUE;
	return FALSE;
}

/* Handles one tag: sigil is '#', '^', '/', '!' or 0 for a variable;
 * inner is the text between the braces. */
static gboolean
compile_tag(struct compiler *c, char sigil, const char *inner, gsize len,
	    guint line)
{
	g_autofree char *name = NULL;
	struct node *node;

	if (sigil == '!')
		return TRUE;
	name = g_strstrip(g_strndup(inner, len));
	if (!name_is_valid(name)) {
		compile_error(c, TEMPLATE_ERROR_SYNTAX, line,
			      "invalid tag name \"%s\" (use a-z, 0-9 and _)",
			      name);
		return FALSE;
	}
	if (sigil == '/') {
		if (c->depth == 0) {
			compile_error(c, TEMPLATE_ERROR_SYNTAX, line,
				      "{{/%s}} closes no open section", name);
			return FALSE;
		}
		node = c->stack[c->depth - 1].node;
		if (strcmp(node->text, name) != 0) {
			compile_error(c, TEMPLATE_ERROR_SYNTAX, line,
				      "{{/%s}} does not match {{%c%s}} "
				      "opened on line %u",
				      name,
				      node->kind == NODE_INVERTED ? '^' : '#',
				      node->text, c->stack[c->depth - 1].line);
			return FALSE;
		}
		c->depth--;
		return TRUE;
	}
	if (!name_is_known(c, name)) {
		compile_error(c, TEMPLATE_ERROR_UNKNOWN, line,
			      "unknown %s \"%s\"",
			      sigil == 0 ? "variable" : "section", name);
		return FALSE;
	}
	node = g_new0(struct node, 1);
	node->text = g_steal_pointer(&name);
	if (sigil == 0) {
		node->kind = NODE_VARIABLE;
		g_ptr_array_add(compiler_current(c), node);
		return TRUE;
	}
	if (c->depth == TEMPLATE_MAX_DEPTH) {
		compile_error(c, TEMPLATE_ERROR_SYNTAX, line,
			      "sections nested deeper than %d",
			      TEMPLATE_MAX_DEPTH);
		node_free(node);
		return FALSE;
	}
	node->kind = sigil == '#' ? NODE_SECTION : NODE_INVERTED;
	node->children = node_list_new();
	g_ptr_array_add(compiler_current(c), node);
	c->stack[c->depth].node = node;
	c->stack[c->depth].line = line;
	c->depth++;
	return TRUE;
}

/* Splits the tag starting at text ("{{...}}", text[0..1] == "{{") into
 * sigil and inner text; returns the length of the whole tag or 0 when
 * it is not closed on this line. */
static gsize
scan_tag(const char *text, gsize len, char *sigil, const char **inner,
	 gsize *inner_len)
{
	const char *start = text + 2;
	const char *end = g_strstr_len(start, len - 2, "}}");

	if (end == NULL)
		return 0;
	while (start < end && (*start == ' ' || *start == '\t'))
		start++;
	*sigil = 0;
	if (start < end && strchr("#^/!", *start) != NULL)
		*sigil = *start++;
	*inner = start;
	*inner_len = (gsize)(end - start);
	return (gsize)(end + 2 - text);
}

/* Compiles one line (without its line end). */
static gboolean
compile_line(struct compiler *c, const char *line, gsize len, guint lineno)
{
	gsize i = 0;

	while (i < len) {
		const char *open = g_strstr_len(line + i, len - i, "{{");
		gsize at, taglen, inner_len;
		const char *inner;
		char sigil;

		if (open == NULL) {
			append_text(c, line + i, len - i);
			break;
		}
		at = (gsize)(open - line);
		append_text(c, line + i, at - i);
		taglen = scan_tag(open, len - at, &sigil, &inner, &inner_len);
		if (taglen == 0) {
			compile_error(c, TEMPLATE_ERROR_SYNTAX, lineno,
				      "unclosed {{");
			return FALSE;
		}
		if (!compile_tag(c, sigil, inner, inner_len, lineno))
			return FALSE;
		i = at + taglen;
	}
	return TRUE;
}

/* TRUE when the line holds only one section, inverted, close or comment
 * tag and blanks: mustache drops such a line entirely. */
static gboolean
line_is_standalone(const char *line, gsize len, gsize *tag_at, gsize *tag_len)
{
	gsize i = 0, taglen, inner_len;
	const char *inner;
	char sigil;

	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	if (len - i < 2 || line[i] != '{' || line[i + 1] != '{')
		return FALSE;
	taglen = scan_tag(line + i, len - i, &sigil, &inner, &inner_len);
	if (taglen == 0 || sigil == 0)
		return FALSE;
	*tag_at = i;
	*tag_len = taglen;
	for (i += taglen; i < len; i++)
		if (line[i] != ' ' && line[i] != '\t')
			return FALSE;
	return TRUE;
}

static gboolean
compile_check_closed(struct compiler *c)
{
	if (c->depth == 0)
		return TRUE;
	compile_error(c, TEMPLATE_ERROR_SYNTAX, c->stack[c->depth - 1].line,
		      "section {{%c%s}} is never closed",
		      c->stack[c->depth - 1].node->kind == NODE_INVERTED ? '^'
									 : '#',
		      c->stack[c->depth - 1].node->text);
	return FALSE;
}

/* The physical lines of the template, CRLF already folded to LF. */
struct line {
	const char *text;
	gsize len;
};

static const struct template_header *
mail_template_find_header(const struct mail_template *template,
			  const char *name)
{
	for (guint h = 0; h < template->headers->len; h++) {
		const struct template_header *header =
			g_ptr_array_index(template->headers, h);

		if (g_ascii_strcasecmp(header->name, name) == 0)
			return header;
	}
	return NULL;
}

static gboolean
header_is_allowed(const char *name, const char **canonical)
{
	static const char *const allowed[] = MAIL_TEMPLATE_HEADERS;

	for (gsize i = 0; allowed[i] != NULL; i++)
		if (g_ascii_strcasecmp(allowed[i], name) == 0) {
			*canonical = allowed[i];
			return TRUE;
		}
	return FALSE;
}

/* Compiles the header block, lines[0..count); every line is non-empty.
 * Continuation lines (leading blank) join the header above them; the line
 * end between them is dropped as in RFC 5322 unfolding. */
static gboolean
compile_headers(struct compiler *c, const struct line *lines, guint count,
		struct mail_template *template)
{
	guint i = 0;

	while (i < count) {
		const char *text = lines[i].text, *colon, *canonical;
		g_autofree char *name = NULL;
		struct template_header *header;

		if (text[0] == ' ' || text[0] == '\t') {
			compile_error(c, TEMPLATE_ERROR_SYNTAX, i + 1,
				      "continuation line before any header");
			return FALSE;
		}
		colon = memchr(text, ':', lines[i].len);
		if (colon == NULL) {
			compile_error(c, TEMPLATE_ERROR_SYNTAX, i + 1,
				      "header line without a colon");
			return FALSE;
		}
		name = g_strstrip(g_strndup(text, (gsize)(colon - text)));
		if (!header_is_allowed(name, &canonical)) {
			compile_error(c, TEMPLATE_ERROR_UNKNOWN, i + 1,
				      "header \"%s\" may not be set by a "
				      "template",
				      name);
			return FALSE;
		}
		if (mail_template_find_header(template, canonical) != NULL) {
			compile_error(c, TEMPLATE_ERROR_SYNTAX, i + 1,
				      "header \"%s\" set twice", canonical);
			return FALSE;
		}
		header = g_new0(struct template_header, 1);
		header->name = g_strdup(canonical);
		header->nodes = node_list_new();
		g_ptr_array_add(template->headers, header);
		c->root = header->nodes;
		c->depth = 0;
		if (!compile_line(c, colon + 1,
				  lines[i].len - (gsize)(colon + 1 - text),
				  i + 1))
			return FALSE;
		for (i++; i < count &&
			  (lines[i].text[0] == ' ' || lines[i].text[0] == '\t');
		     i++)
			if (!compile_line(c, lines[i].text, lines[i].len,
					  i + 1))
				return FALSE;
		if (!compile_check_closed(c))
			return FALSE;
	}
	return TRUE;
}

static gboolean
compile_body(struct compiler *c, const struct line *lines, guint first,
	     guint count, GPtrArray *body)
{
	c->root = body;
	c->depth = 0;
	for (guint i = first; i < count; i++) {
		gsize tag_at, tag_len;

		if (line_is_standalone(lines[i].text, lines[i].len, &tag_at,
				       &tag_len)) {
			/* Only the tag: its line's blanks and end go. */
			if (!compile_line(c, lines[i].text + tag_at, tag_len,
					  i + 1))
				return FALSE;
			continue;
		}
		if (!compile_line(c, lines[i].text, lines[i].len, i + 1))
			return FALSE;
		append_text(c, "\n", 1);
	}
	return compile_check_closed(c);
}

/* Line number (1-based) of byte offset in text. */
static guint
line_of_offset(const char *text, gsize offset)
{
	guint line = 1;

	for (gsize i = 0; i < offset; i++)
		if (text[i] == '\n')
			line++;
	return line;
}

struct mail_template *
mail_template_parse(const char *text, gsize len, const char *filename,
		    const char *const *known, GError **error)
{
	g_autoptr(GString) normal = NULL;
	g_autoptr(GArray) lines = NULL;
	struct mail_template *template;
	struct compiler c = {
		.filename = filename,
		.known = known,
		.error = error,
	};
	const char *end = NULL;
	guint blank = 0;
	gboolean have_blank = FALSE;

	if (len > TEMPLATE_MAX_INPUT) {
		g_set_error(error, TEMPLATE_ERROR, TEMPLATE_ERROR_SYNTAX,
			    "%s:1: template of %" G_GSIZE_FORMAT
			    " bytes is over the limit of %d",
			    filename, len, TEMPLATE_MAX_INPUT);
		return NULL;
	}
	/* g_utf8_validate() with a length also rejects NUL bytes. */
	if (!g_utf8_validate(text, (gssize)len, &end)) {
		g_set_error(error, TEMPLATE_ERROR, TEMPLATE_ERROR_SYNTAX,
			    "%s:%u: invalid UTF-8 or NUL byte", filename,
			    line_of_offset(text, (gsize)(end - text)));
		return NULL;
	}
	normal = g_string_sized_new(len + 1);
	for (gsize i = 0; i < len; i++) {
		if (text[i] == '\r' && i + 1 < len && text[i + 1] == '\n')
			continue;
		if (text[i] == '\r') {
			g_set_error(error, TEMPLATE_ERROR,
				    TEMPLATE_ERROR_SYNTAX,
				    "%s:%u: carriage return without line "
				    "feed",
				    filename, line_of_offset(text, i));
			return NULL;
		}
		g_string_append_c(normal, text[i]);
	}

	lines = g_array_new(FALSE, FALSE, sizeof(struct line));
	for (gsize start = 0; start < normal->len;) {
		const char *nl =
			memchr(normal->str + start, '\n', normal->len - start);
		struct line l = {
			.text = normal->str + start,
			.len = nl != NULL ? (gsize)(nl - l.text)
					  : normal->len - start,
		};

		g_array_append_val(lines, l);
		start += l.len + 1;
	}
	for (guint i = 0; i < lines->len; i++)
		if (g_array_index(lines, struct line, i).len == 0) {
			blank = i;
			have_blank = TRUE;
			break;
		}
	if (!have_blank) {
		/* Every line looked like a header line: either the body or
		 * the blank line is missing. */
		for (guint i = 0; i < lines->len; i++) {
			const struct line *l =
				&g_array_index(lines, struct line, i);

			if (l->text[0] != ' ' && l->text[0] != '\t' &&
			    memchr(l->text, ':', l->len) == NULL) {
				blank = i;
				break;
			}
			blank = i + 1;
		}
		if (blank >= lines->len) {
			g_set_error(error, TEMPLATE_ERROR,
				    TEMPLATE_ERROR_SYNTAX,
				    "%s:%u: no blank line between headers "
				    "and body",
				    filename, lines->len > 0 ? lines->len : 1);
			return NULL;
		}
	}

	template = g_new0(struct mail_template, 1);
	template->headers = g_ptr_array_new_with_free_func(header_free);
	template->body = node_list_new();
	if (!compile_headers(&c, (const struct line *)(void *)lines->data,
			     blank, template))
		goto fail;
	if (!have_blank) {
		compile_error(&c, TEMPLATE_ERROR_SYNTAX, blank + 1,
			      "no blank line between headers and body");
		goto fail;
	}
	if (mail_template_find_header(template, "Subject") == NULL) {
		compile_error(&c, TEMPLATE_ERROR_MISSING, blank + 1,
			      "missing Subject header");
		goto fail;
	}
	if (!compile_body(&c, (const struct line *)(void *)lines->data,
			  blank + 1, lines->len, template->body))
		goto fail;
	return template;
fail:
	mail_template_free(&template);
	return NULL;
}

/* ---- rendering ---- */

/* Contexts in scope while rendering, innermost last. */
struct scope {
	const struct template_context *stack[TEMPLATE_MAX_DEPTH + 1];
	guint depth;
};

static const struct value *
scope_lookup(const struct scope *scope, const char *name)
{
	const struct template_context *context;
	const struct value *value;

	if (scope->stack[0] == NULL) /* rendering without a context */
		return NULL;
	for (guint i = scope->depth; i > 0; i--) {
		value = g_hash_table_lookup(scope->stack[i - 1]->values, name);
		if (value != NULL)
			return value;
	}
	/* The root may itself be a list item: fall back to its owners. */
	for (context = scope->stack[0]->parent; context != NULL;
	     context = context->parent) {
		value = g_hash_table_lookup(context->values, name);
		if (value != NULL)
			return value;
	}
	return NULL;
}

static gboolean
value_is_true(const struct value *value)
{
	if (value == NULL)
		return FALSE;
	switch (value->kind) {
	case VALUE_STRING:
		return value->string[0] != '\0';
	case VALUE_BOOL:
		return value->boolean;
	case VALUE_LIST:
		return value->items->len > 0;
	}
	return FALSE;
}

/* Appends a value: in a header every control character (C0, DEL, C1 and
 * the Unicode line and paragraph separators) becomes a space so the value
 * can never end the header line; in the body line ends become LF. */
static void
append_value(GString *out, const char *value, gboolean in_header)
{
	g_autofree char *valid = g_utf8_make_valid(value, -1);

	for (const char *p = valid; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar ch = g_utf8_get_char(p);

		if (in_header && (ch < 0x20 || (ch >= 0x7f && ch < 0xa0) ||
				  ch == 0x2028 || ch == 0x2029)) {
			g_string_append_c(out, ' ');
		} else if (!in_header && ch == '\r') {
			if (p[1] != '\n')
				g_string_append_c(out, '\n');
		} else {
			g_string_append_len(out, p, g_utf8_next_char(p) - p);
		}
	}
}

static void
render_nodes(const GPtrArray *nodes, struct scope *scope, GString *out,
	     gboolean in_header)
{
	for (guint i = 0; i < nodes->len; i++) {
		const struct node *node = g_ptr_array_index(nodes, i);
		const struct value *value;

		switch (node->kind) {
		case NODE_TEXT:
			g_string_append_len(out, node->literal->str,
					    (gssize)node->literal->len);
			break;
		case NODE_VARIABLE:
			value = scope_lookup(scope, node->text);
			if (value != NULL && value->kind == VALUE_STRING)
				append_value(out, value->string, in_header);
			break;
		case NODE_INVERTED:
			value = scope_lookup(scope, node->text);
			if (!value_is_true(value))
				render_nodes(node->children, scope, out,
					     in_header);
			break;
		case NODE_SECTION:
			value = scope_lookup(scope, node->text);
			if (!value_is_true(value))
				break;
			if (value->kind != VALUE_LIST) {
				render_nodes(node->children, scope, out,
					     in_header);
				break;
			}
			/* Depth is bounded by the compiler's nesting limit. */
			g_assert(scope->depth <= TEMPLATE_MAX_DEPTH);
			for (guint k = 0; k < value->items->len; k++) {
				scope->stack[scope->depth++] =
					g_ptr_array_index(value->items, k);
				render_nodes(node->children, scope, out,
					     in_header);
				scope->depth--;
			}
			break;
		}
	}
}

void
mail_template_render(const struct mail_template *template,
		     const struct template_context *context,
		     struct mail_template_output *output)
{
	struct scope scope = {.stack = {context}, .depth = 1};
	GString *body = g_string_new(NULL);

	output->header_names = g_ptr_array_new_with_free_func(g_free);
	output->header_values = g_ptr_array_new_with_free_func(g_free);
	for (guint h = 0; h < template->headers->len; h++) {
		const struct template_header *header =
			g_ptr_array_index(template->headers, h);
		GString *value = g_string_new(NULL);

		render_nodes(header->nodes, &scope, value, TRUE);
		/* The template's own text may hold tabs from folding. */
		for (gsize i = 0; i < value->len; i++)
			if ((guchar)value->str[i] < 0x20)
				value->str[i] = ' ';
		g_ptr_array_add(output->header_names, g_strdup(header->name));
		g_ptr_array_add(output->header_values,
				g_strstrip(g_string_free(value, FALSE)));
	}
	render_nodes(template->body, &scope, body, FALSE);
	while (body->len > 0 && body->str[body->len - 1] == '\n')
		g_string_truncate(body, body->len - 1);
	g_string_append_c(body, '\n');
	output->body = g_string_free(body, FALSE);
}

void
mail_template_output_clear(struct mail_template_output *output)
{
	g_clear_pointer(&output->header_names, g_ptr_array_unref);
	g_clear_pointer(&output->header_values, g_ptr_array_unref);
	g_clear_pointer(&output->body, g_free);
}

const char *
mail_template_output_header(const struct mail_template_output *output,
			    const char *name)
{
	if (output->header_names == NULL)
		return NULL;
	for (guint i = 0; i < output->header_names->len; i++)
		if (g_ascii_strcasecmp(
			    g_ptr_array_index(output->header_names, i), name) ==
		    0)
			return g_ptr_array_index(output->header_values, i);
	return NULL;
}
