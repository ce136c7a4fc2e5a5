/* report-literal.c — words every match of a keyword pattern holds,
 * wherever they stand in it, to skip searches that cannot match.
 *
 * report-filter.c reads the literal each alternative starts with, which
 * suits most patterns; but where an alternative starts with a short or
 * non-ASCII piece ("geëncrypteerd" starts with "ge", "on[- ]site
 * support" with "on") that literal is in nearly every mail, and the
 * search runs for nothing.  Here each alternative at the top of the
 * pattern gives its longest run of plain ASCII characters outside any
 * group, class or escape ("ncrypteerd", "site support"): a match of the
 * alternative holds that run, and when no alternative's run is in the
 * text (ASCII lower-cased: the keywords are caseless) the pattern
 * cannot match.
 *
 * Exactness rests on three facts.  A run holds only characters PCRE2
 * takes as themselves, none followed by ?, * or {..} (which may leave it
 * out; + keeps one), so every match of its alternative holds it as
 * written, but for the case of ASCII letters.  The patterns run without
 * extended mode ("(?x)" would make blanks mean nothing; the tables have
 * none, and a pattern with "(?" other than a group is not read).  And
 * PCRE2 matches an ASCII letter caselessly with itself, its other case
 * and, beside those, only four characters (long s, Kelvin sign, dotted
 * and dotless I): a text holding one of them is not checked. */
#include <string.h>

#include "report-internal.h"

/* Shorter runs are in too many texts to rule anything out. */
#define REQUIRED_MIN_LENGTH 3

/* Characters PCRE2 (not in extended mode) takes as themselves outside a
 * class. */
static gboolean
is_plain(char c)
{
	return g_ascii_isalnum(c) ||
	       (c != '\0' && strchr(" -'\",:;/@&%_!=<>~#`", c) != NULL);
}

/* The end of the class starting at p ('['): right after its ']'. */
static const char *
class_end(const char *p)
{
	const char *close = report_pattern_class_close(p);

	return *close == ']' ? close + 1 : close;
}

/* The end of the escape starting at p ('\\'): "\\x{e9}", "\\p{L}" whole. */
static const char *
escape_end(const char *p)
{
	if (p[1] == '\0')
		return p + 1;
	if (strchr("xpPNogk", p[1]) != NULL && p[2] == '{') {
		const char *close = strchr(p + 2, '}');

		return close != NULL ? close + 1 : p + strlen(p);
	}
	return p + 2;
}

/* The ')' closing the group that opens at p ('('), or end. */
static const char *
group_end(const char *p, const char *end)
{
	int depth = 0;

	while (p < end) {
		if (*p == '\\') {
			p = escape_end(p);
			continue;
		}
		if (*p == '[') {
			p = class_end(p);
			continue;
		}
		if (*p == '(')
			depth++;
		else if (*p == ')' && --depth == 0)
			return p;
		p++;
	}
	return end;
}

/* The shortest of words[from, to). */
static gsize
shortest(const GPtrArray *words, guint from, guint to)
{
	gsize length = G_MAXSIZE;

	for (guint i = from; i < to; i++)
		length = MIN(length, strlen(words->pdata[i]));
	return length;
}

/* Adds to words, for each alternative of pattern[start, end), the words
 * one of which each of its matches holds: its longest run of plain
 * characters, or the words of a group it cannot do without ("(?:paper|
 * papier)"), whichever has the longer shortest word.  FALSE when some
 * alternative has none of REQUIRED_MIN_LENGTH bytes. */
static gboolean
add_required(const char *start, const char *end, GPtrArray *words)
{
	const char *p = start;
	const char *best_run = NULL, *run = NULL;
	gsize best_length = 0, run_length = 0;
	/* The best group's words so far: words[group_from, ...) */
	g_autoptr(GPtrArray) group = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) candidate = g_ptr_array_new_with_free_func(g_free);
	gsize group_shortest = 0;

	for (;;) {
		char c = p < end ? *p : '\0';

		if (c != '\0' && is_plain(c)) {
			if (run_length == 0)
				run = p;
			/* x? x* x{n,m}: x may be missing. */
			if (p + 1 < end &&
			    (p[1] == '?' || p[1] == '*' || p[1] == '{')) {
				if (run_length > best_length) {
					best_run = run;
					best_length = run_length;
				}
				run_length = 0;
			} else {
				run_length++;
			}
			p++;
			continue;
		}
		if (run_length > best_length) {
			best_run = run;
			best_length = run_length;
		}
		run_length = 0;
		if (c == '\0' || c == '|') {
			if (best_length >= REQUIRED_MIN_LENGTH &&
			    best_length >= group_shortest) {
				g_ptr_array_add(
					words,
					g_ascii_strdown(best_run,
							(gssize)best_length));
			} else if (group_shortest >= REQUIRED_MIN_LENGTH) {
				for (guint i = 0; i < group->len; i++)
					g_ptr_array_add(
						words,
						g_strdup(group->pdata[i]));
			} else {
				return FALSE;
			}
			if (c == '\0')
				return TRUE;
			best_length = 0;
			group_shortest = 0;
			g_ptr_array_set_size(group, 0);
			p++;
		} else if (c == '\\') {
			p = escape_end(p);
		} else if (c == '[') {
			p = class_end(p);
		} else if (c == '{') {
			/* A quantifier's "{0,3}" is no text; a literal '{'
			 * just ends the run. */
			const char *close = memchr(p, '}', (gsize)(end - p));

			p = close != NULL ? close + 1 : p + 1;
		} else if (c == '(') {
			const char *close = group_end(p, end);
			const char *inner = p + 1;
			gboolean optional =
				close + 1 < end &&
				(close[1] == '?' || close[1] == '*' ||
				 close[1] == '{');

			/* Only a plain or non-capturing group: a lookaround
			 * matches no text, a negative one none of its
			 * words. */
			if (inner[0] == '?')
				inner = inner[1] == ':' ? inner + 2
					: inner[1] == 'i' && inner[2] == ':'
						? inner + 3
						: NULL;
			g_ptr_array_set_size(candidate, 0);
			if (inner != NULL && !optional && close < end &&
			    add_required(inner, close, candidate) &&
			    shortest(candidate, 0, candidate->len) >
				    group_shortest) {
				g_ptr_array_set_size(group, 0);
				for (guint i = 0; i < candidate->len; i++)
					g_ptr_array_add(
						group,
						g_strdup(candidate->pdata[i]));
				group_shortest =
					shortest(candidate, 0, candidate->len);
			}
			p = close < end ? close + 1 : end;
		} else {
			/* ^ $ . ? * + ) }, non-ASCII bytes */
			p++;
		}
	}
}

char **
report_required_literals(const char *pattern)
{
	g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func(g_free);

	/* Options or verbs ("(?x)", "(*UCP)") might change what a plain
	 * character means: such a pattern is not read. */
	for (const char *q = strstr(pattern, "(?"); q != NULL;
	     q = strstr(q + 2, "(?"))
		if (q[2] != ':' && q[2] != '=' && q[2] != '!' && q[2] != '<' &&
		    !(q[2] == 'i' && q[3] == ':'))
			return NULL;
	if (strstr(pattern, "(*") != NULL ||
	    !add_required(pattern, pattern + strlen(pattern), words))
		return NULL;
	g_ptr_array_add(words, NULL);
	return (char **)g_ptr_array_free(g_steal_pointer(&words), FALSE);
}

struct required_subject *
report_required_subject_new(const char *text)
{
	gsize length = strlen(text);
	struct required_subject *subject = g_new0(struct required_subject, 1);
	char *lower = g_malloc(length + 1);
	guchar previous = 0;

	/* One pass: lowered, and its pairs marked, as it goes. */
	for (gsize i = 0; i < length; i++) {
		guchar c = (guchar)text[i];
		guint pair;

		/* The partners' lead bytes: U+017F C5 BF, U+212A E2 84 AA,
		 * U+0130 C4 B0, U+0131 C4 B1. */
		if (G_UNLIKELY(c >= 0xc4) &&
		    ((c == 0xc5 && (guchar)text[i + 1] == 0xbf) ||
		     (c == 0xc4 && ((guchar)text[i + 1] == 0xb0 ||
				    (guchar)text[i + 1] == 0xb1)) ||
		     (c == 0xe2 && (guchar)text[i + 1] == 0x84 &&
		      (guchar)text[i + 2] == 0xaa))) {
			g_free(lower);
			g_free(subject);
			return NULL;
		}
		c = (guint)c - 'A' < 26u ? (guchar)(c + ('a' - 'A')) : c;
		lower[i] = (char)c;
		if (i > 0) {
			pair = REQUIRED_PAIR(previous, c);
			subject->pairs[pair / 8] |= (guint8)(1u << (pair % 8));
		}
		previous = c;
	}
	lower[length] = '\0';
	subject->lower = lower;
	return subject;
}

void
report_required_subject_free(struct required_subject *subject)
{
	if (subject == NULL)
		return;
	g_free(subject->lower);
	g_free(subject);
}

gboolean
report_required_present(char *const *required,
			const struct required_subject *subject)
{
	if (required == NULL || subject == NULL)
		return TRUE;
	for (gsize i = 0; required[i] != NULL; i++) {
		const char *word = required[i];
		gboolean pairs = TRUE;

		/* Every pair of the word must be in the text first. */
		for (gsize k = 1; word[k] != '\0' && pairs; k++) {
			guint pair = REQUIRED_PAIR(word[k - 1], word[k]);

			pairs = (subject->pairs[pair / 8] >> (pair % 8)) & 1;
		}
		if (pairs && strstr(subject->lower, word) != NULL)
			return TRUE;
	}
	return FALSE;
}
