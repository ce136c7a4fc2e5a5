/* html.c — HTML mail bodies to readable plain text.
 *
 * libxml2's forgiving HTML parser builds the tree (never touching the
 * network or files); we walk it without recursion, using the nodes'
 * parent/next pointers, so deep nesting costs no stack.  The writer keeps
 * line breaks as "pending" requests that only turn into newlines when text
 * follows, the way a browser collapses empty blocks and margins. */
#include <limits.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "html.h"

/* Nested ordered lists numbered beyond this depth get "- " instead. */
#define MAX_LIST_DEPTH 16

struct html_writer {
	GString *out;
	guint pending_breaks;	/* newlines wanted before the next text */
	gboolean pending_space; /* collapsible whitespace seen */
	gboolean pending_cell;	/* a table cell separator is due */
	guint pre_depth;
	guint list_depth;
	guint list_counter[MAX_LIST_DEPTH]; /* 0: unordered */
	xmlNode *anchor;    /* the <a href> we are inside, or NULL */
	gsize anchor_start; /* out->len when it began */
};

enum element_kind {
	ELEMENT_INLINE,
	ELEMENT_SKIP,	   /* neither it nor its content is text */
	ELEMENT_LINE,	   /* starts and ends a line */
	ELEMENT_PARAGRAPH, /* a blank line before and after */
};

static const char *const skipped_elements[] = {
	"head",	  "style",  "script", "title",	"template", "svg",   "math",
	"object", "iframe", "img",    "select", "textarea", "input", "button",
	"xml",	  "map",    "audio",  "video",	"canvas",   "embed", "applet",
};

static const char *const line_elements[] = {
	"address",  "article",	  "aside",   "body",	"center",  "dd",
	"details",  "dialog",	  "dir",     "div",	"dl",	   "dt",
	"fieldset", "figcaption", "figure",  "footer",	"form",	   "header",
	"hr",	    "html",	  "li",	     "main",	"menu",	   "nav",
	"ol",	    "pre",	  "section", "summary", "table",   "tbody",
	"thead",    "tfoot",	  "tr",	     "ul",	"caption", "noscript",
};

static const char *const paragraph_elements[] = {
	"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
};

static gboolean
name_in(const char *name, const char *const *names, gsize n)
{
	for (gsize i = 0; i < n; i++) {
		if (g_ascii_strcasecmp(name, names[i]) == 0)
			return TRUE;
	}
	return FALSE;
}

static gboolean
is_element(const xmlNode *node, const char *name)
{
	return node != NULL && node->type == XML_ELEMENT_NODE &&
	       g_ascii_strcasecmp((const char *)node->name, name) == 0;
}

/* Returns attribute name of node, or NULL; caller frees with xmlFree. */
static char *
attribute(const xmlNode *node, const char *name)
{
	return (char *)xmlGetProp(node, (const xmlChar *)name);
}

/* Hidden preheaders ("display:none") are tracking text, not content. */
static gboolean
is_hidden(const xmlNode *node)
{
	char *style = attribute(node, "style");
	char *hidden = attribute(node, "hidden");
	gboolean result = hidden != NULL;

	if (style != NULL) {
		g_autoptr(GString) compact = g_string_new(NULL);

		for (const char *p = style; *p; p++) {
			if (!g_ascii_isspace(*p))
				g_string_append_c(compact, g_ascii_tolower(*p));
		}
		if (strstr(compact->str, "display:none") != NULL)
			result = TRUE;
	}
	xmlFree(style);
	xmlFree(hidden);
	return result;
}

static enum element_kind
element_kind(const xmlNode *node)
{
	const char *name = (const char *)node->name;

	if (name_in(name, skipped_elements, G_N_ELEMENTS(skipped_elements)))
		return ELEMENT_SKIP;
	if (is_hidden(node))
		return ELEMENT_SKIP;
	if (is_element(node, "p")) {
		char *class = NULL;
		enum element_kind kind = ELEMENT_PARAGRAPH;

		/* libxml2 drops namespace prefixes, so Outlook's <o:p>
		 * arrives as a <p> inside a <p>, which HTML cannot nest. */
		if (is_element(node->parent, "p"))
			return ELEMENT_INLINE;
		/* Word's paragraphs (MsoNormal, MsoPlainText,
		 * MsoListParagraph) have no margins: one line each, and
		 * empty ones hold &nbsp; to make a blank line. */
		class = attribute(node, "class");
		if (class != NULL && g_ascii_strncasecmp(class, "Mso", 3) == 0)
			kind = ELEMENT_LINE;
		xmlFree(class);
		return kind;
	}
	if (name_in(name, paragraph_elements, G_N_ELEMENTS(paragraph_elements)))
		return ELEMENT_PARAGRAPH;
	if (name_in(name, line_elements, G_N_ELEMENTS(line_elements)))
		return ELEMENT_LINE;
	return ELEMENT_INLINE;
}

static gboolean
at_line_start(const struct html_writer *w)
{
	return w->out->len == 0 || w->out->str[w->out->len - 1] == '\n';
}

static void
request_breaks(struct html_writer *w, guint n)
{
	w->pending_breaks = MAX(w->pending_breaks, n);
}

/* Emits what is pending before content: newlines, a cell separator or a
 * collapsed space. */
static void
begin_content(struct html_writer *w)
{
	if (w->pending_breaks > 0 && w->out->len > 0) {
		guint trailing = 0;

		while (trailing < w->out->len && trailing < 2 &&
		       w->out->str[w->out->len - 1 - trailing] == '\n')
			trailing++;
		while (trailing < w->pending_breaks) {
			g_string_append_c(w->out, '\n');
			trailing++;
		}
	} else if (w->pending_breaks == 0 && !at_line_start(w)) {
		if (w->pending_cell)
			g_string_append(w->out, " | ");
		else if (w->pending_space &&
			 w->out->str[w->out->len - 1] != ' ')
			g_string_append_c(w->out, ' ');
	}
	w->pending_breaks = 0;
	w->pending_space = FALSE;
	w->pending_cell = FALSE;
}

static void
emit_text(struct html_writer *w, const char *text, gsize len)
{
	begin_content(w);
	g_string_append_len(w->out, text, len);
}

static void
emit_newline(struct html_writer *w)
{
	begin_content(w);
	g_string_append_c(w->out, '\n');
}

/* Appends a text node's content, collapsing whitespace outside <pre>. */
static void
emit_text_node(struct html_writer *w, const char *text)
{
	const char *p = text;

	while (*p) {
		gunichar c;
		const char *next;

		/* Word's downlevel-revealed conditionals (<![if
		 * !supportLists]>, <![endif]>) reach us as text. */
		if (p[0] == '<' && p[1] == '!' && p[2] == '[') {
			const char *close = strstr(p, "]>");

			if (close != NULL) {
				p = close + 2;
				continue;
			}
		}
		c = g_utf8_get_char(p);
		next = g_utf8_next_char(p);
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
		    c == '\f') {
			if (w->pre_depth > 0 && c == '\n')
				emit_newline(w);
			else if (w->pre_depth > 0 && c != '\r')
				emit_text(w, p, 1);
			else
				w->pending_space = TRUE;
		} else if (c == 0x00A0) {
			/* &nbsp; is a space that does not collapse. */
			emit_text(w, " ", 1);
		} else if (c == 0x200B || c == 0xFEFF || c == 0x00AD ||
			   c == 0x200C || c == 0x200D) {
			/* Zero-width characters and soft hyphens. */
		} else {
			emit_text(w, p, next - p);
		}
		p = next;
	}
}

/* TRUE when the visible link text already says where the link goes. */
static gboolean
link_text_is_url(const char *text, const char *href)
{
	if (g_ascii_strcasecmp(text, href) == 0)
		return TRUE;
	if (g_ascii_strncasecmp(href, "mailto:", 7) == 0 &&
	    g_ascii_strcasecmp(text, href + 7) == 0)
		return TRUE;
	/* "example.org" for http://example.org/ and the like. */
	for (const char *scheme = href; *scheme; scheme++) {
		if (scheme[0] == ':' && scheme[1] == '/' && scheme[2] == '/') {
			g_autofree char *rest = g_strdup(scheme + 3);
			gsize n = strlen(rest);

			if (n > 0 && rest[n - 1] == '/')
				rest[n - 1] = '\0';
			return g_ascii_strcasecmp(text, rest) == 0;
		}
	}
	return FALSE;
}

static void
anchor_end(struct html_writer *w)
{
	char *href = attribute(w->anchor, "href");
	g_autofree char *text = NULL;

	text = g_strstrip(g_strdup(w->out->str + w->anchor_start));
	if (href != NULL) {
		g_strstrip(href);
		if (*text != '\0' &&
		    (g_ascii_strncasecmp(href, "http:", 5) == 0 ||
		     g_ascii_strncasecmp(href, "https:", 6) == 0 ||
		     g_ascii_strncasecmp(href, "mailto:", 7) == 0 ||
		     g_ascii_strncasecmp(href, "ftp:", 4) == 0) &&
		    !link_text_is_url(text, href)) {
			g_string_append(w->out, " <");
			g_string_append(w->out, href);
			g_string_append_c(w->out, '>');
		}
	}
	xmlFree(href);
	w->anchor = NULL;
}

static gboolean
previous_is_cell(const xmlNode *node)
{
	for (node = node->prev; node != NULL; node = node->prev) {
		if (node->type == XML_ELEMENT_NODE)
			return is_element(node, "td") || is_element(node, "th");
	}
	return FALSE;
}

/* Starts an element; FALSE when its content is to be skipped. */
static gboolean
element_enter(struct html_writer *w, xmlNode *node)
{
	enum element_kind kind = element_kind(node);

	switch (kind) {
	case ELEMENT_SKIP:
		return FALSE;
	case ELEMENT_LINE:
		request_breaks(w, 1);
		break;
	case ELEMENT_PARAGRAPH:
		request_breaks(w, 2);
		break;
	case ELEMENT_INLINE:
		break;
	}
	if (is_element(node, "br")) {
		emit_newline(w);
	} else if (is_element(node, "pre")) {
		w->pre_depth++;
	} else if (is_element(node, "ul") || is_element(node, "ol") ||
		   is_element(node, "menu") || is_element(node, "dir")) {
		if (w->list_depth < MAX_LIST_DEPTH)
			w->list_counter[w->list_depth] =
				is_element(node, "ol") ? 1 : 0;
		w->list_depth++;
	} else if (is_element(node, "li")) {
		guint depth = MIN(w->list_depth, MAX_LIST_DEPTH);
		g_autofree char *marker = NULL;

		begin_content(w);
		for (guint i = 1; i < depth; i++)
			g_string_append(w->out, "  ");
		if (depth > 0 && w->list_counter[depth - 1] > 0)
			marker = g_strdup_printf("%u. ",
						 w->list_counter[depth - 1]++);
		else
			marker = g_strdup("- ");
		g_string_append(w->out, marker);
	} else if (is_element(node, "td") || is_element(node, "th")) {
		if (previous_is_cell(node))
			w->pending_cell = TRUE;
	} else if (is_element(node, "a") && w->anchor == NULL) {
		char *href = attribute(node, "href");

		if (href != NULL) {
			begin_content(w);
			w->anchor = node;
			w->anchor_start = w->out->len;
		}
		xmlFree(href);
	}
	return TRUE;
}

static void
element_leave(struct html_writer *w, xmlNode *node)
{
	switch (element_kind(node)) {
	case ELEMENT_LINE:
		request_breaks(w, 1);
		break;
	case ELEMENT_PARAGRAPH:
		request_breaks(w, 2);
		break;
	default:
		break;
	}
	if (is_element(node, "pre") && w->pre_depth > 0) {
		w->pre_depth--;
	} else if ((is_element(node, "ul") || is_element(node, "ol") ||
		    is_element(node, "menu") || is_element(node, "dir")) &&
		   w->list_depth > 0) {
		w->list_depth--;
	} else if (node == w->anchor) {
		anchor_end(w);
	} else if (is_element(node, "td") || is_element(node, "th")) {
		/* Whitespace after a cell is not a space inside it. */
		w->pending_space = FALSE;
	}
}

/* Returns TRUE when the walk should descend into node's children. */
static gboolean
node_enter(struct html_writer *w, xmlNode *node)
{
	switch (node->type) {
	case XML_ELEMENT_NODE:
		return element_enter(w, node);
	case XML_TEXT_NODE:
	case XML_CDATA_SECTION_NODE:
		if (node->content != NULL)
			emit_text_node(w, (const char *)node->content);
		return FALSE;
	default:
		/* Comments (Outlook's <!--[if mso]> blocks), PIs, DTDs. */
		return FALSE;
	}
}

static void
node_leave(struct html_writer *w, xmlNode *node)
{
	if (node->type == XML_ELEMENT_NODE)
		element_leave(w, node);
}

/* Iterative pre-order walk: no recursion however deep the tree. */
static void
walk(struct html_writer *w, xmlDoc *doc)
{
	xmlNode *node = doc->children;

	while (node != NULL) {
		gboolean descend = node_enter(w, node);

		if (descend && node->children != NULL) {
			node = node->children;
			continue;
		}
		if (descend)
			node_leave(w, node);
		while (node != NULL && node->next == NULL) {
			node = node->parent;
			if (node == NULL || node == (xmlNode *)doc) {
				node = NULL;
				break;
			}
			node_leave(w, node);
		}
		if (node != NULL)
			node = node->next;
	}
}

/* Returns text with trailing blanks cut from every line, runs of blank
 * lines reduced to one and the ends trimmed.  Caller frees. */
static char *
tidy_lines(const char *text)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	GString *out = g_string_sized_new(strlen(text) + 1);
	gboolean blank_pending = FALSE;

	for (guint i = 0; lines[i] != NULL; i++) {
		char *line = g_strchomp(lines[i]);

		if (*line == '\0') {
			blank_pending = out->len > 0;
			continue;
		}
		if (out->len > 0)
			g_string_append(out, blank_pending ? "\n\n" : "\n");
		g_string_append(out, line);
		blank_pending = FALSE;
	}
	return g_string_free(out, FALSE);
}

char *
html_to_text(const char *html, gsize len)
{
	g_autofree char *valid = NULL;
	struct html_writer w = {0};
	htmlDocPtr doc;
	char *result;

	if (html == NULL || len == 0)
		return g_strdup("");
	if (len > INT_MAX)
		len = INT_MAX;
	/* libxml2 stops at bad UTF-8 or NUL; repair first. */
	if (!g_utf8_validate_len(html, len, NULL)) {
		valid = g_utf8_make_valid(html, len);
		html = valid;
		len = strlen(valid);
	}
	/* The explicit encoding overrides any <meta charset>: the MIME
	 * layer already converted the body to UTF-8. */
	doc = htmlReadMemory(html, (int)len, NULL, "UTF-8",
			     HTML_PARSE_NONET | HTML_PARSE_NOERROR |
				     HTML_PARSE_NOWARNING | HTML_PARSE_RECOVER);
	if (doc == NULL)
		return g_strdup("");
	w.out = g_string_sized_new(len / 2 + 1);
	walk(&w, doc);
	xmlFreeDoc(doc);
	result = tidy_lines(w.out->str);
	g_string_free(w.out, TRUE);
	return result;
}
