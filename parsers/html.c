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

/* The elements the writer treats specially. */
enum element_tag {
	TAG_OTHER,
	TAG_A,
	TAG_BR,
	TAG_DIR,
	TAG_LI,
	TAG_MENU,
	TAG_OL,
	TAG_P,
	TAG_PRE,
	TAG_TD,
	TAG_TH,
	TAG_UL,
};

struct element_name {
	const char *name; /* lower case */
	enum element_kind kind;
	enum element_tag tag;
};

/* Every element with a kind other than inline or a tag, sorted by name
 * for bsearch.  Skipped: neither it nor its content is text. */
static const struct element_name element_names[] = {
	{"a", ELEMENT_INLINE, TAG_A},
	{"address", ELEMENT_LINE, TAG_OTHER},
	{"applet", ELEMENT_SKIP, TAG_OTHER},
	{"article", ELEMENT_LINE, TAG_OTHER},
	{"aside", ELEMENT_LINE, TAG_OTHER},
	{"audio", ELEMENT_SKIP, TAG_OTHER},
	{"blockquote", ELEMENT_PARAGRAPH, TAG_OTHER},
	{"body", ELEMENT_LINE, TAG_OTHER},
	{"br", ELEMENT_INLINE, TAG_BR},
	{"button", ELEMENT_SKIP, TAG_OTHER},
	{"canvas", ELEMENT_SKIP, TAG_OTHER},
	{"caption", ELEMENT_LINE, TAG_OTHER},
	{"center", ELEMENT_LINE, TAG_OTHER},
	{"dd", ELEMENT_LINE, TAG_OTHER},
	{"details", ELEMENT_LINE, TAG_OTHER},
	{"dialog", ELEMENT_LINE, TAG_OTHER},
	{"dir", ELEMENT_LINE, TAG_DIR},
	{"div", ELEMENT_LINE, TAG_OTHER},
	{"dl", ELEMENT_LINE, TAG_OTHER},
	{"dt", ELEMENT_LINE, TAG_OTHER},
	{"embed", ELEMENT_SKIP, TAG_OTHER},
	{"fieldset", ELEMENT_LINE, TAG_OTHER},
	{"figcaption", ELEMENT_LINE, TAG_OTHER},
	{"figure", ELEMENT_LINE, TAG_OTHER},
	{"footer", ELEMENT_LINE, TAG_OTHER},
	{"form", ELEMENT_LINE, TAG_OTHER},
	{"h1", ELEMENT_PARAGRAPH, TAG_OTHER},
	{"h2", ELEMENT_PARAGRAPH, TAG_OTHER},
	{"h3", ELEMENT_PARAGRAPH, TAG_OTHER},
	{"h4", ELEMENT_PARAGRAPH, TAG_OTHER},
	{"h5", ELEMENT_PARAGRAPH, TAG_OTHER},
	{"h6", ELEMENT_PARAGRAPH, TAG_OTHER},
	{"head", ELEMENT_SKIP, TAG_OTHER},
	{"header", ELEMENT_LINE, TAG_OTHER},
	{"hr", ELEMENT_LINE, TAG_OTHER},
	{"html", ELEMENT_LINE, TAG_OTHER},
	{"iframe", ELEMENT_SKIP, TAG_OTHER},
	{"img", ELEMENT_SKIP, TAG_OTHER},
	{"input", ELEMENT_SKIP, TAG_OTHER},
	{"li", ELEMENT_LINE, TAG_LI},
	{"main", ELEMENT_LINE, TAG_OTHER},
	{"map", ELEMENT_SKIP, TAG_OTHER},
	{"math", ELEMENT_SKIP, TAG_OTHER},
	{"menu", ELEMENT_LINE, TAG_MENU},
	{"nav", ELEMENT_LINE, TAG_OTHER},
	{"noscript", ELEMENT_LINE, TAG_OTHER},
	{"object", ELEMENT_SKIP, TAG_OTHER},
	{"ol", ELEMENT_LINE, TAG_OL},
	{"p", ELEMENT_PARAGRAPH, TAG_P},
	{"pre", ELEMENT_LINE, TAG_PRE},
	{"script", ELEMENT_SKIP, TAG_OTHER},
	{"section", ELEMENT_LINE, TAG_OTHER},
	{"select", ELEMENT_SKIP, TAG_OTHER},
	{"style", ELEMENT_SKIP, TAG_OTHER},
	{"summary", ELEMENT_LINE, TAG_OTHER},
	{"svg", ELEMENT_SKIP, TAG_OTHER},
	{"table", ELEMENT_LINE, TAG_OTHER},
	{"tbody", ELEMENT_LINE, TAG_OTHER},
	{"td", ELEMENT_INLINE, TAG_TD},
	{"template", ELEMENT_SKIP, TAG_OTHER},
	{"textarea", ELEMENT_SKIP, TAG_OTHER},
	{"tfoot", ELEMENT_LINE, TAG_OTHER},
	{"th", ELEMENT_INLINE, TAG_TH},
	{"thead", ELEMENT_LINE, TAG_OTHER},
	{"title", ELEMENT_SKIP, TAG_OTHER},
	{"tr", ELEMENT_LINE, TAG_OTHER},
	{"ul", ELEMENT_LINE, TAG_UL},
	{"video", ELEMENT_SKIP, TAG_OTHER},
	{"xml", ELEMENT_SKIP, TAG_OTHER},
};

/* No name in element_names is longer. */
#define MAX_ELEMENT_NAME 16

static int
element_name_compare(const void *key, const void *entry)
{
	return strcmp(key, ((const struct element_name *)entry)->name);
}

/* Looks an element's name up, case-insensitively (ASCII); NULL for the
 * inline elements without a tag. */
static const struct element_name *
element_name_find(const xmlNode *node)
{
	const char *name = (const char *)node->name;
	char lower[MAX_ELEMENT_NAME + 1];
	gsize n = 0;

	if (name == NULL)
		return NULL;
	for (; name[n] != '\0'; n++) {
		if (n == MAX_ELEMENT_NAME)
			return NULL;
		lower[n] = g_ascii_tolower(name[n]);
	}
	lower[n] = '\0';
	return bsearch(lower, element_names, G_N_ELEMENTS(element_names),
		       sizeof(element_names[0]), element_name_compare);
}

static enum element_tag
element_tag(const xmlNode *node)
{
	const struct element_name *entry;

	if (node == NULL || node->type != XML_ELEMENT_NODE)
		return TAG_OTHER;
	entry = element_name_find(node);
	return entry != NULL ? entry->tag : TAG_OTHER;
}

/* The attribute xmlGetProp() reads: the first of that name in any
 * namespace (libxml2's HTML documents declare no attribute defaults),
 * or NULL. */
static const xmlAttr *
attribute_find(const xmlNode *node, const char *name)
{
	for (const xmlAttr *a = node->properties; a != NULL; a = a->next) {
		if (xmlStrEqual(a->name, (const xmlChar *)name))
			return a;
	}
	return NULL;
}

/* Returns attribute name of node, or NULL; caller frees with xmlFree. */
static char *
attribute(const xmlNode *node, const char *name)
{
	if (attribute_find(node, name) == NULL)
		return NULL;
	return (char *)xmlGetProp(node, (const xmlChar *)name);
}

/* Hidden preheaders ("display:none") are tracking text, not content. */
static gboolean
is_hidden(const xmlNode *node)
{
	char *style;
	char *compact;
	gsize n = 0;
	gboolean result;

	if (attribute_find(node, "hidden") != NULL)
		return TRUE;
	style = attribute(node, "style");
	if (style == NULL)
		return FALSE;
	compact = g_malloc(strlen(style) + 1);
	for (const char *p = style; *p; p++) {
		if (!g_ascii_isspace(*p))
			compact[n++] = g_ascii_tolower(*p);
	}
	compact[n] = '\0';
	result = strstr(compact, "display:none") != NULL;
	g_free(compact);
	xmlFree(style);
	return result;
}

static enum element_kind
element_kind_of(const xmlNode *node, const struct element_name *entry)
{
	if (entry != NULL && entry->kind == ELEMENT_SKIP)
		return ELEMENT_SKIP;
	if (is_hidden(node))
		return ELEMENT_SKIP;
	if (entry != NULL && entry->tag == TAG_P) {
		char *class = NULL;
		enum element_kind kind = ELEMENT_PARAGRAPH;

		/* libxml2 drops namespace prefixes, so Outlook's <o:p>
		 * arrives as a <p> inside a <p>, which HTML cannot nest. */
		if (element_tag(node->parent) == TAG_P)
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
	return entry != NULL ? entry->kind : ELEMENT_INLINE;
}

/* What the writer needs to know of an element, worked out when it is
 * entered and kept in the node's _private for when it is left (nothing
 * it depends on changes in between). */
struct element_info {
	enum element_kind kind;
	enum element_tag tag;
};

#define INFO_PACK(kind, tag) GUINT_TO_POINTER(1u + (kind) + ((tag) << 4))

static struct element_info
element_info(xmlNode *node)
{
	struct element_info info;

	if (node->_private == NULL) {
		const struct element_name *entry = element_name_find(node);

		info.kind = element_kind_of(node, entry);
		info.tag = entry != NULL ? entry->tag : TAG_OTHER;
		node->_private = INFO_PACK(info.kind, info.tag);
	} else {
		guint packed = GPOINTER_TO_UINT(node->_private) - 1;

		info.kind = (enum element_kind)(packed & 0x0f);
		info.tag = (enum element_tag)(packed >> 4);
	}
	return info;
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

/* Appends a text node's content, collapsing whitespace outside <pre>.
 * Runs of ordinary characters go out in one piece: after the first of
 * them begin_content() has nothing left to emit. */
static void
emit_text_node(struct html_writer *w, const char *text)
{
	const char *p = text;
	const char *run = NULL; /* start of pending ordinary characters */

	while (*p) {
		gunichar c;
		const char *next;

		if ((guchar)*p < 0x80 && *p != '<' && *p != ' ' && *p != '\t' &&
		    *p != '\n' && *p != '\r' && *p != '\f') {
			if (run == NULL)
				run = p;
			p++;
			continue;
		}
		/* Word's downlevel-revealed conditionals (<![if
		 * !supportLists]>, <![endif]>) reach us as text. */
		if (p[0] == '<' && p[1] == '!' && p[2] == '[') {
			const char *close = strstr(p, "]>");

			if (close != NULL) {
				if (run != NULL)
					emit_text(w, run, p - run);
				run = NULL;
				p = close + 2;
				continue;
			}
		}
		c = g_utf8_get_char(p);
		next = g_utf8_next_char(p);
		if (c != ' ' && c != '\t' && c != '\n' && c != '\r' &&
		    c != '\f' && c != 0x00A0 && c != 0x200B && c != 0xFEFF &&
		    c != 0x00AD && c != 0x200C && c != 0x200D) {
			if (run == NULL)
				run = p;
			p = next;
			continue;
		}
		if (run != NULL)
			emit_text(w, run, p - run);
		run = NULL;
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
		}
		/* Else zero-width characters and soft hyphens: dropped. */
		p = next;
	}
	if (run != NULL)
		emit_text(w, run, p - run);
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
		if (node->type == XML_ELEMENT_NODE) {
			enum element_tag tag = element_tag(node);

			return tag == TAG_TD || tag == TAG_TH;
		}
	}
	return FALSE;
}

static gboolean
is_list(enum element_tag tag)
{
	return tag == TAG_UL || tag == TAG_OL || tag == TAG_MENU ||
	       tag == TAG_DIR;
}

/* Starts an element; FALSE when its content is to be skipped. */
static gboolean
element_enter(struct html_writer *w, xmlNode *node)
{
	struct element_info info = element_info(node);

	switch (info.kind) {
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
	if (info.tag == TAG_BR) {
		emit_newline(w);
	} else if (info.tag == TAG_PRE) {
		w->pre_depth++;
	} else if (is_list(info.tag)) {
		if (w->list_depth < MAX_LIST_DEPTH)
			w->list_counter[w->list_depth] =
				info.tag == TAG_OL ? 1 : 0;
		w->list_depth++;
	} else if (info.tag == TAG_LI) {
		guint depth = MIN(w->list_depth, MAX_LIST_DEPTH);

		begin_content(w);
		for (guint i = 1; i < depth; i++)
			g_string_append(w->out, "  ");
		if (depth > 0 && w->list_counter[depth - 1] > 0)
			g_string_append_printf(w->out, "%u. ",
					       w->list_counter[depth - 1]++);
		else
			g_string_append(w->out, "- ");
	} else if (info.tag == TAG_TD || info.tag == TAG_TH) {
		if (previous_is_cell(node))
			w->pending_cell = TRUE;
	} else if (info.tag == TAG_A && w->anchor == NULL) {
		if (attribute_find(node, "href") != NULL) {
			begin_content(w);
			w->anchor = node;
			w->anchor_start = w->out->len;
		}
	}
	return TRUE;
}

static void
element_leave(struct html_writer *w, xmlNode *node)
{
	struct element_info info = element_info(node);

	switch (info.kind) {
	case ELEMENT_LINE:
		request_breaks(w, 1);
		break;
	case ELEMENT_PARAGRAPH:
		request_breaks(w, 2);
		break;
	default:
		break;
	}
	if (info.tag == TAG_PRE && w->pre_depth > 0) {
		w->pre_depth--;
	} else if (is_list(info.tag) && w->list_depth > 0) {
		w->list_depth--;
	} else if (node == w->anchor) {
		anchor_end(w);
	} else if (info.tag == TAG_TD || info.tag == TAG_TH) {
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
tidy_lines(const char *text, gsize len)
{
	GString *out = g_string_sized_new(len + 1);
	gboolean blank_pending = FALSE;
	const char *line = text;
	const char *end = text + len;

	for (;;) {
		const char *newline = memchr(line, '\n', end - line);
		const char *stop = newline != NULL ? newline : end;

		/* g_strchomp(): ASCII blanks. */
		while (stop > line && g_ascii_isspace(stop[-1]))
			stop--;
		if (stop == line) {
			blank_pending = out->len > 0;
		} else {
			if (out->len > 0)
				g_string_append(out,
						blank_pending ? "\n\n" : "\n");
			g_string_append_len(out, line, stop - line);
			blank_pending = FALSE;
		}
		if (newline == NULL)
			break;
		line = newline + 1;
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
	result = tidy_lines(w.out->str, w.out->len);
	g_string_free(w.out, TRUE);
	return result;
}
