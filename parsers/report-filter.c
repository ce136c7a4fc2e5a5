/* report-filter.c — which report patterns cannot match a text, found in
 * one pass instead of one regular-expression search per pattern.
 *
 * Most patterns are alternations of words ("versleuteld|gecrypt"), and a
 * mail mentions few of them; yet each GRegex search scans the whole text
 * (about half of report_parse() went to the keyword searches alone).  So
 * when the parser is built, every pattern whose every alternative starts
 * with literal text gets the set of those literal prefixes, lower-cased
 * ("ransomware|ransom ?(?:note|demand)" -> "ransomware", "ransom").  A
 * match of the pattern starts with one of them, so a pattern none of
 * whose prefixes occurs in the text cannot match the text nor any part
 * of it.  report_filter_scan() finds all prefixes in one pass over an
 * ASCII-lower-cased copy of the text; patterns it rules out are not
 * searched.  This only skips searches that would find nothing: the
 * results are those of running every pattern.
 *
 * Exactness rests on two facts.  The prefixes are read conservatively:
 * only ASCII letters, digits and plain punctuation, stopping at anything
 * else (escape, class, group, dot, non-ASCII byte); a character followed
 * by ?, * or { is dropped, as it may be absent; "\b" is skipped (it
 * matches no text); a leading (?:...) group gives the prefixes of its
 * alternatives; any other start, or an alternative with less than
 * REPORT_FILTER_MIN_LITERAL bytes, leaves the pattern unfiltered.  And
 * PCRE2's caseless matching of ASCII letters equals ASCII lower-casing
 * except for four non-ASCII characters (U+017F long s, U+212A Kelvin
 * sign, and the Turkish dotted and dotless I); a text with any of them
 * is not filtered at all. */
#include <string.h>

#include "report-internal.h"

#define REPORT_FILTER_MIN_LITERAL 2

/* Characters PCRE2 (not in extended mode) takes as themselves outside a
 * character class, and that ASCII lower-casing handles exactly. */
static gboolean
is_plain_literal(char c)
{
	return g_ascii_isalnum(c) ||
	       (c != '\0' && strchr(" -'&,:/\"%@!=<>~;_", c));
}

static gboolean
is_quantifier(char c)
{
	return c == '?' || c == '*' || c == '{';
}

/* The end of the alternative starting at p: the '|' or ')' that closes
 * it at depth 0, or the end of the pattern. */
static const char *
alternative_end(const char *p)
{
	int depth = 0;

	for (; *p != '\0'; p++) {
		if (*p == '\\') {
			if (p[1] == '\0')
				break;
			p++;
		} else if (*p == '[') {
			/* A class: "]" right after "[" or "[^" is literal. */
			p++;
			if (*p == '^')
				p++;
			if (*p == ']')
				p++;
			while (*p != '\0' && *p != ']') {
				if (*p == '\\' && p[1] != '\0')
					p++;
				p++;
			}
			if (*p == '\0')
				break;
		} else if (*p == '(') {
			depth++;
		} else if (*p == ')') {
			if (depth == 0)
				break;
			depth--;
		} else if (*p == '|' && depth == 0) {
			break;
		}
	}
	return p;
}

static gboolean add_alternatives(const char *start, const char *end,
				 GPtrArray *prefixes);

/* Adds the literal prefixes of the alternative [start, end) to prefixes
 * (char *); FALSE when it has none. */
static gboolean
add_alternative(const char *start, const char *end, GPtrArray *prefixes)
{
	const char *p = start;
	GString *literal;

	while (end - p >= 2 && p[0] == '\\' && p[1] == 'b')
		p += 2;
	if (end - p >= 3 && strncmp(p, "(?:", 3) == 0) {
		const char *close = p + 3;

		/* The group's own end, then what follows it. */
		while (close < end && *close != ')') {
			close = alternative_end(close);
			if (*close == '|')
				close++;
		}
		if (close >= end || *close != ')')
			return FALSE;
		if (close + 1 < end && (is_quantifier(close[1])))
			return FALSE;
		return add_alternatives(p + 3, close, prefixes);
	}
	literal = g_string_new(NULL);
	for (; p < end && is_plain_literal(*p); p++) {
		if (p + 1 < end && is_quantifier(p[1]))
			break;
		g_string_append_c(literal, g_ascii_tolower(*p));
		if (p + 1 < end && p[1] == '+')
			break;
	}
	if (literal->len < REPORT_FILTER_MIN_LITERAL) {
		g_string_free(literal, TRUE);
		return FALSE;
	}
	g_ptr_array_add(prefixes, g_string_free(literal, FALSE));
	return TRUE;
}

/* The same for every alternative of [start, end) at depth 0. */
static gboolean
add_alternatives(const char *start, const char *end, GPtrArray *prefixes)
{
	const char *p = start;

	for (;;) {
		const char *alt_end = alternative_end(p);

		if (alt_end > end)
			alt_end = end;
		if (!add_alternative(p, alt_end, prefixes))
			return FALSE;
		if (alt_end >= end || *alt_end != '|')
			return TRUE;
		p = alt_end + 1;
	}
}

struct report_filters *
report_filters_new(void)
{
	struct report_filters *filters = g_new0(struct report_filters, 1);

	filters->literals = g_ptr_array_new();
	filters->by_regex = g_hash_table_new(g_direct_hash, g_direct_equal);
	filters->buckets =
		g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
				      (GDestroyNotify)g_ptr_array_unref);
	return filters;
}

void
report_filters_free(struct report_filters **filters)
{
	struct report_filters *f;

	if (filters == NULL || *filters == NULL)
		return;
	f = *filters;
	for (guint i = 0; i < f->literals->len; i++) {
		struct filter_literal *l = f->literals->pdata[i];

		g_free(l->text);
		g_free(l);
	}
	g_ptr_array_unref(f->literals);
	g_hash_table_unref(f->by_regex);
	g_hash_table_unref(f->buckets);
	g_free(f);
	*filters = NULL;
}

static guint
pair_key(const char *p)
{
	return ((guint)(guchar)p[0] << 8) | (guchar)p[1];
}

void
report_filters_add(struct report_filters *filters, const GRegex *regex,
		   const char *pattern)
{
	g_autoptr(GPtrArray) prefixes = g_ptr_array_new_with_free_func(g_free);
	guint index;

	if (!add_alternatives(pattern, pattern + strlen(pattern), prefixes))
		return;
	index = filters->count++;
	g_hash_table_insert(filters->by_regex, (gpointer)regex,
			    GUINT_TO_POINTER(index + 1));
	for (guint i = 0; i < prefixes->len; i++) {
		struct filter_literal *l = g_new0(struct filter_literal, 1);
		guint key;
		GPtrArray *bucket;

		l->text = g_strdup(prefixes->pdata[i]);
		l->length = strlen(l->text);
		l->filter = index;
		g_ptr_array_add(filters->literals, l);
		key = pair_key(l->text);
		filters->first_pairs[key / 8] |= (guint8)(1u << (key % 8));
		bucket = g_hash_table_lookup(filters->buckets,
					     GUINT_TO_POINTER(key));
		if (bucket == NULL) {
			bucket = g_ptr_array_new();
			g_hash_table_insert(filters->buckets,
					    GUINT_TO_POINTER(key), bucket);
		}
		g_ptr_array_add(bucket, l);
	}
}

/* Characters that PCRE2 matches caselessly with an ASCII letter: long s,
 * Kelvin sign, capital I with dot, dotless i. */
static const char *const ascii_case_partners[] = {
	"\xC5\xBF",
	"\xE2\x84\xAA",
	"\xC4\xB0",
	"\xC4\xB1",
};

guint8 *
report_filters_scan(const struct report_filters *filters, const char *text)
{
	guint8 *possible = g_malloc0(MAX(filters->count, 1));
	g_autofree char *lower = NULL;
	gsize length;

	for (gsize i = 0; i < G_N_ELEMENTS(ascii_case_partners); i++) {
		if (strstr(text, ascii_case_partners[i]) != NULL) {
			memset(possible, 1, MAX(filters->count, 1));
			return possible;
		}
	}
	lower = g_ascii_strdown(text, -1);
	length = strlen(lower);
	for (gsize i = 0; i + 1 < length; i++) {
		guint key = pair_key(lower + i);
		GPtrArray *bucket;

		if (!(filters->first_pairs[key / 8] & (1u << (key % 8))))
			continue;
		bucket = g_hash_table_lookup(filters->buckets,
					     GUINT_TO_POINTER(key));
		for (guint b = 0; bucket != NULL && b < bucket->len; b++) {
			const struct filter_literal *l = bucket->pdata[b];

			if (!possible[l->filter] && l->length <= length - i &&
			    memcmp(lower + i, l->text, l->length) == 0)
				possible[l->filter] = 1;
		}
	}
	return possible;
}

gboolean
report_may_match(const struct parse *parse, const GRegex *regex)
{
	guint index = GPOINTER_TO_UINT(
		g_hash_table_lookup(parse->parser->filters->by_regex, regex));

	return index == 0 || parse->possible[index - 1];
}
