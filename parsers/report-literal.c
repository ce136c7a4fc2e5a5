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

/* The end of the class starting at p ('['). */
static const char *
class_end(const char *p)
{
	p++;
	if (*p == '^')
		p++;
	/* A ']' first is a member. */
	if (*p == ']')
		p++;
	while (*p != '\0' && *p != ']') {
		if (*p == '\\' && p[1] != '\0')
			p++;
		p++;
	}
	return *p == ']' ? p + 1 : p;
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

char **
report_required_literals(const char *pattern)
{
	g_autoptr(GPtrArray) runs = g_ptr_array_new_with_free_func(g_free);
	gsize best_start = 0, best_length = 0, run_start = 0, run_length = 0;
	int depth = 0;
	const char *p = pattern;

	/* Options or verbs ("(?x)", "(*UCP)") might change what a plain
	 * character means: such a pattern is not read. */
	for (const char *q = strstr(pattern, "(?"); q != NULL;
	     q = strstr(q + 2, "(?"))
		if (q[2] != ':' && q[2] != '=' && q[2] != '!' && q[2] != '<' &&
		    !(q[2] == 'i' && q[3] == ':'))
			return NULL;
	if (strstr(pattern, "(*") != NULL)
		return NULL;
	for (;;) {
		char c = *p;

		if (depth == 0 && is_plain(c)) {
			if (run_length == 0)
				run_start = (gsize)(p - pattern);
			/* x? x* x{n,m}: x may be missing. */
			if (p[1] == '?' || p[1] == '*' || p[1] == '{') {
				if (run_length > best_length) {
					best_start = run_start;
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
			best_start = run_start;
			best_length = run_length;
		}
		run_length = 0;
		if (c == '\0' || (depth == 0 && c == '|')) {
			if (best_length < REQUIRED_MIN_LENGTH)
				return NULL;
			g_ptr_array_add(runs,
					g_ascii_strdown(pattern + best_start,
							(gssize)best_length));
			best_length = 0;
			if (c == '\0')
				break;
			p++;
		} else if (c == '\\') {
			p = escape_end(p);
		} else if (c == '[') {
			p = class_end(p);
		} else if (c == '{') {
			/* A quantifier's "{0,3}" is no text; a literal '{'
			 * just ends the run. */
			const char *close = strchr(p, '}');

			p = close != NULL ? close + 1 : p + 1;
		} else if (c == '(') {
			depth++;
			p++;
		} else if (c == ')') {
			depth = MAX(depth - 1, 0);
			p++;
		} else {
			/* ^ $ . ? * + { }, '|' in a group, non-ASCII bytes */
			p++;
		}
	}
	g_ptr_array_add(runs, NULL);
	return (char **)g_ptr_array_free(g_steal_pointer(&runs), FALSE);
}

char *
report_required_subject(const char *text)
{
	gsize length = strlen(text);
	char *lower = g_malloc(length + 1);

	/* One pass: lower-cased, and the partners' lead bytes looked at
	 * (U+017F C5 BF, U+212A E2 84 AA, U+0130 C4 B0, U+0131 C4 B1). */
	for (gsize i = 0; i <= length; i++) {
		guchar c = (guchar)text[i];

		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		else if ((c == 0xc5 && (guchar)text[i + 1] == 0xbf) ||
			 (c == 0xc4 && ((guchar)text[i + 1] == 0xb0 ||
					(guchar)text[i + 1] == 0xb1)) ||
			 (c == 0xe2 && (guchar)text[i + 1] == 0x84 &&
			  (guchar)text[i + 2] == 0xaa)) {
			g_free(lower);
			return NULL;
		}
		lower[i] = (char)c;
	}
	return lower;
}

gboolean
report_required_present(char *const *required, const char *subject)
{
	if (required == NULL || subject == NULL)
		return TRUE;
	for (gsize i = 0; required[i] != NULL; i++)
		if (strstr(subject, required[i]) != NULL)
			return TRUE;
	return FALSE;
}
