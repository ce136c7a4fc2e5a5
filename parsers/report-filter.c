/* report-filter.c — which report patterns cannot match a text, found in
 * one pass instead of one regular-expression search per pattern.
 *
 * Most patterns are alternations of words ("versleuteld|gecrypt"), and a
 * mail mentions few of them; yet each GRegex search scans the whole text
 * (about half of report_parse() went to the keyword searches alone).  So
 * when the parser is built, every pattern each of whose alternatives
 * contains a literal that no match can lack gets the set of those
 * literals, lower-cased ("ransomware|ransom ?(?:note|demand)" ->
 * "ransomware", "ransom"; "(?:^|\s)\.lockbit\w*" -> "lockbit").  A pattern
 * none of whose literals occurs in a text cannot match that text nor any
 * part of it.  report_filters_scan() finds all literals in one pass over
 * an ASCII-lower-cased copy of the text; the patterns it rules out are
 * not searched.  Only searches that would find nothing are skipped: the
 * results are those of running every pattern.
 *
 * Exactness rests on two facts.  The literals are read conservatively:
 * runs of ASCII letters, digits and plain punctuation; a character
 * followed by ?, * or {..} may be absent and ends the run before it, one
 * followed by + ends the run after it; escapes, classes, dots and
 * non-ASCII bytes end a run, \b and lookarounds match no text and do
 * not; a group that cannot be absent gives the literals of its
 * alternatives; inline options ("(?i)", which could mean extended mode;
 * only the scoped "(?i:" is read) leave the pattern unfiltered, as does
 * an alternative without a literal of REPORT_FILTER_MIN_LITERAL bytes.
 * And PCRE2's caseless matching of ASCII letters equals ASCII
 * lower-casing except for four non-ASCII characters (U+017F long s,
 * U+212A Kelvin sign, the Turkish dotted and dotless I); a text with any
 * of them is not filtered at all.
 *
 * Where an alternative's first literal is under five bytes ("no",
 * "pas "), which many texts hold, a longer one later in it is
 * taken when it has one (with a bound on its reach, see below): fewer
 * occurrences to list, and more patterns ruled out.
 *
 * Three refinements keep the same exactness.  A literal with \b right
 * beside it ("\bER\b") does not count where an ASCII word character
 * stands on that side in the text ("server"), unless the subject is cut
 * right there.  A literal that only "^" and \s items precede
 * ("^\s*(?:whether|if)\b") counts only for subjects that start in the
 * white space before it (any non-ASCII character may be a \s); the
 * patterns are not compiled multi-line.  And each literal knows the
 * most bytes a match can hold before it (its "reach", counted
 * generously: four bytes for any character but plain ASCII, none known
 * past *, + or {n,}), so no match starts before the earliest occurrence
 * minus its reach, and a search that starts there finds the same
 * matches.
 *
 * Patterns without literals (times, dates, phone numbers, e-mail
 * addresses, postal codes) get checks in C at the end of this file. */
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

const char *
report_pattern_class_close(const char *p)
{
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
	return p;
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
			p = report_pattern_class_close(p);
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

/* A literal found in a pattern, and whether \b stands right before or
 * after it there (with a word character at that end of the literal):
 * an occurrence in a text with a word character on that side can then
 * only match in a subject that starts or ends right at it. */
struct literal_candidate {
	char *text;
	gboolean word_start, word_end;
	gsize reach; /* a match starts at most this many bytes before it */
	/* Only "^" and white space stand before it: see filter_literal. */
	gboolean anchored;
};

#define WIDTH_UNBOUNDED G_MAXSIZE

static void
literal_candidate_free(gpointer data)
{
	struct literal_candidate *c = data;

	g_free(c->text);
	g_free(c);
}

/* Whether c may be (part of) a character PCRE2's \s matches: ASCII
 * white space, and any byte of a non-ASCII character (no-break and
 * other Unicode spaces). */
static inline gboolean
may_be_space(char c)
{
	return (guchar)c >= 0x80 || c == ' ' || (c >= '\t' && c <= '\r');
}

/* Whether text[0, at) may be white space only. */
static gboolean
space_up_to(const char *text, gsize at)
{
	for (gsize i = 0; i < at; i++)
		if (!may_be_space(text[i]))
			return FALSE;
	return TRUE;
}

/* g_ascii_tolower() is a function call; the scan does this per byte. */
static inline char
lower_byte(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c + ('a' - 'A')) : c;
}

/* What \b sees as a word character in ASCII: letters, digits and '_'
 * (a table: the scan asks this at every literal it finds). */
static const guint8 word_bytes[256] = {
	['0' ... '9'] = 1,
	['A' ... 'Z'] = 1,
	['_'] = 1,
	['a' ... 'z'] = 1,
};

static inline gboolean
is_word_byte(char c)
{
	return word_bytes[(guchar)c];
}

static void
add_candidate(GPtrArray *literals, const GString *run, gboolean word_start,
	      gboolean word_end, gsize reach)
{
	struct literal_candidate *c = g_new0(struct literal_candidate, 1);

	c->reach = reach;
	c->text = g_strdup(run->str);
	c->word_start = word_start && is_word_byte(run->str[0]);
	c->word_end = word_end && is_word_byte(run->str[run->len - 1]);
	g_ptr_array_add(literals, c);
}

static gsize width_add(gsize a, gsize b);

/* The literal at index at follows "^" and white space only. */
static void
mark_anchored(GPtrArray *literals, guint at)
{
	struct literal_candidate *c = literals->pdata[at];

	c->anchored = TRUE;
}

/* The literals from index first on were found inside a group that
 * starts at most before bytes into the alternative. */
static void
reach_after(GPtrArray *literals, guint first, gsize before)
{
	for (guint i = first; i < literals->len; i++) {
		struct literal_candidate *c = literals->pdata[i];

		c->reach = width_add(c->reach, before);
	}
}

static gboolean add_alternatives(const char *start, const char *end,
				 GPtrArray *prefixes, gboolean word_start,
				 gboolean word_end);

/* The ')' closing the group whose contents start at p. */
static const char *
group_end(const char *p, const char *end)
{
	while (p < end && *p != ')') {
		p = alternative_end(p);
		if (p < end && *p == '|')
			p++;
	}
	return p;
}

/* After an item ending at p: skips its quantifier, if any, and says
 * whether the item may be absent (?, *, {..}) or repeated (+). */
static const char *
skip_quantifier(const char *p, const char *end, gboolean *optional,
		gboolean *repeated, gsize *most)
{
	*optional = FALSE;
	*repeated = FALSE;
	*most = 1;
	if (p >= end)
		return p;
	if (*p == '?' || *p == '*') {
		*optional = TRUE;
		*most = *p == '?' ? 1 : WIDTH_UNBOUNDED;
		p++;
	} else if (*p == '+') {
		*repeated = TRUE;
		*most = WIDTH_UNBOUNDED;
		p++;
	} else if (*p == '{') {
		/* "{0,3}" may be absent; "{2}" is treated so too.  At most
		 * the last number; none after the comma: unbounded. */
		const char *number = p + 1;

		*optional = TRUE;
		while (p < end && *p != '}') {
			if (*p == ',')
				number = p + 1;
			p++;
		}
		*most = number < p && g_ascii_isdigit(*number)
				? (gsize)g_ascii_strtoull(number, NULL, 10)
				: WIDTH_UNBOUNDED;
		if (p < end)
			p++;
	} else {
		return p;
	}
	/* Lazy or possessive: "??", "+?", "*+". */
	if (p < end && (*p == '?' || *p == '+'))
		p++;
	return p;
}

/* How many bytes of text an item matches at most (WIDTH_UNBOUNDED:
 * no bound), counted generously: a character other than a plain ASCII
 * one may be four bytes, and so may each non-ASCII byte of the pattern
 * (caseless matching may pair characters of different lengths). */
static gsize
width_add(gsize a, gsize b)
{
	return a >= WIDTH_UNBOUNDED - b ? WIDTH_UNBOUNDED : a + b;
}

static gsize
width_times(gsize a, gsize n)
{
	if (a == 0 || n == 0)
		return 0;
	return a >= WIDTH_UNBOUNDED / n ? WIDTH_UNBOUNDED : a * n;
}

static gsize alternatives_width(const char *start, const char *end);

/* The most bytes the items of [start, end) (one alternative) match. */
static gsize
sequence_width(const char *start, const char *end)
{
	gsize total = 0;

	for (const char *p = start; p < end && total < WIDTH_UNBOUNDED;) {
		gsize item = WIDTH_UNBOUNDED;
		gboolean optional, repeated;
		gsize most;

		if (*p == '\\' && p + 1 < end) {
			/* \b \B match no text; \X, \R and back references
			 * any amount; other escapes one character. */
			item = strchr("bB", p[1]) != NULL ? 0
			       : strchr("XRkg0123456789", p[1]) != NULL
				       ? WIDTH_UNBOUNDED
				       : 4;
			if (p + 2 < end && p[2] == '{' &&
			    strchr("xopPNg", p[1]) != NULL) {
				p += 2;
				while (p < end && *p != '}')
					p++;
			} else {
				p++;
			}
			p++;
		} else if (*p == '(') {
			const char *q = p + 1;
			const char *close;

			if (q < end && *q == '?' && q + 1 < end &&
			    (q[1] == '=' || q[1] == '!' ||
			     (q[1] == '<' && q + 2 < end &&
			      (q[2] == '=' || q[2] == '!')))) {
				item = 0;
				q = end; /* not read */
			} else if (q < end && *q == '?') {
				/* "(?:", "(?>", "(?i:", "(?<name>" */
				while (q < end && *q != ':' && *q != '>' &&
				       *q != ')')
					q++;
				q++;
			}
			close = group_end(q < end ? q : p + 1, end);
			if (q < end)
				item = alternatives_width(q, close);
			p = close < end ? close + 1 : end;
		} else if (*p == '[') {
			item = 4;
			p = report_pattern_class_close(p);
			if (p < end)
				p++;
		} else if (*p == '^' || *p == '$') {
			item = 0;
			p++;
		} else {
			item = (guchar)*p < 0x80 && *p != '.' ? 1 : 4;
			p++;
		}
		p = skip_quantifier(p, end, &optional, &repeated, &most);
		total = width_add(total, width_times(item, most));
	}
	return total;
}

static gsize
alternatives_width(const char *start, const char *end)
{
	gsize widest = 0;

	for (const char *p = start;;) {
		const char *alt_end = alternative_end(p);

		if (alt_end > end)
			alt_end = end;
		widest = MAX(widest, sequence_width(p, alt_end));
		if (alt_end >= end || *alt_end != '|')
			return widest;
		p = alt_end + 1;
	}
}

/* A literal shorter than this stands in many texts ("er", "no", "pas "):
 * its filter rules little out and the scan lists it often, so a longer
 * one later in the alternative is taken instead.  (Five measured a
 * little better than four or six.) */
#define REPORT_FILTER_GOOD_LITERAL 5

/* The shortest of the literals from index first on; 0 when bounded
 * and one of them has no bound on its reach.  A later literal replaces
 * an earlier, shorter one only with a bound: the search for a pattern
 * starts at its earliest literal less the reach, so one without a
 * bound gives away that skip. */
static gsize
shortest_literal(const GPtrArray *literals, guint first, gboolean bounded)
{
	gsize shortest = G_MAXSIZE;

	for (guint i = first; i < literals->len; i++) {
		const struct literal_candidate *c = literals->pdata[i];

		if (bounded && c->reach == WIDTH_UNBOUNDED)
			return 0;
		shortest = MIN(shortest, strlen(c->text));
	}
	return shortest;
}

/* The best choice of an alternative so far, while it is read: a run
 * (run set) or the literals of a group (literals[first, first + count)),
 * its shortest literal length bytes; length 0: none yet. */
struct literal_choice {
	gsize length;
	GString *run;
	gboolean word_start, word_end;
	gsize reach;
	gboolean anchored;
	guint first, count;
};

/* Drops choice's group literals from literals, if it has any. */
static void
choice_drop(struct literal_choice *choice, GPtrArray *literals)
{
	if (choice->count > 0)
		g_ptr_array_remove_range(literals, choice->first,
					 choice->count);
	choice->count = 0;
	if (choice->run != NULL)
		g_string_truncate(choice->run, 0);
	choice->length = 0;
}

/* The end of an alternative, the run being read there (if any) ended
 * with the flags given: adds the choice, or the run when longer.
 * FALSE when there is neither. */
static gboolean
choose(struct literal_choice *choice, GPtrArray *literals, const GString *run,
       gboolean run_word_start, gboolean run_word_end, gsize run_reach,
       gboolean run_anchored)
{
	if (run->len >= REPORT_FILTER_MIN_LITERAL &&
	    run->len > choice->length &&
	    (choice->length == 0 || run_reach != WIDTH_UNBOUNDED)) {
		choice_drop(choice, literals);
		add_candidate(literals, run, run_word_start, run_word_end,
			      run_reach);
		if (run_anchored)
			mark_anchored(literals, literals->len - 1);
		return TRUE;
	}
	if (choice->length == 0)
		return FALSE;
	if (choice->count == 0) {
		add_candidate(literals, choice->run, choice->word_start,
			      choice->word_end, choice->reach);
		if (choice->anchored)
			mark_anchored(literals, literals->len - 1);
	}
	return TRUE;
}

/* Adds to literals (char *) one literal, lower-cased, that every match
 * of the alternative [start, end) contains: its first run of at least
 * REPORT_FILTER_MIN_LITERAL plain characters that cannot be absent, or
 * the literals of a group that cannot be absent and has one in every
 * alternative; but where those are shorter than
 * REPORT_FILTER_GOOD_LITERAL, the longest such choice of the
 * alternative.  FALSE when it finds none, or meets a construct it does
 * not know (inline options, which might switch on extended mode). */
static gboolean
add_alternative(const char *start, const char *end, GPtrArray *literals,
		gboolean word_start, gboolean word_end)
{
	g_autoptr(GString) run = g_string_new(NULL);
	g_autoptr(GString) chosen_run = g_string_new(NULL);
	struct literal_choice choice = {.run = chosen_run};
	guint n_before = literals->len;
	const char *p = start;
	/* \b right before the run's first character; right after its
	 * last one so far. */
	gboolean boundary_before = word_start, boundary_after = FALSE;
	gboolean run_word_start = FALSE;
	/* The items so far are "^" and then only \s: a match starts at
	 * the subject's start with white space up to here.  The same at
	 * the run's start. */
	gboolean anchored = FALSE, run_anchored = FALSE;
	/* The most bytes the items so far match; the same before the
	 * run. */
	gsize consumed = 0, run_reach = 0;

	while (p < end) {
		const char *inner = NULL, *inner_end = NULL;
		const char *item = p, *item_end;
		gboolean literal = FALSE, zero_width = FALSE;
		gboolean boundary = FALSE;
		gboolean optional, repeated;
		gsize most, width, consumed_before = consumed;
		gboolean item_anchored = anchored;
		char c = *p;

		if (c == '\\' && p + 1 < end) {
			/* \b and \B match no text; other escapes do.  Those
			 * that read on ("\x41", "\cA", "\pL", "\012") are
			 * read only in their braced form ("\x{a0}"). */
			zero_width = p[1] == 'b' || p[1] == 'B';
			boundary = p[1] == 'b';
			if (strchr("xocpPNgkQE0123456789", p[1]) != NULL) {
				if (p + 2 >= end || p[2] != '{')
					return FALSE;
				p += 2;
				while (p < end && *p != '}')
					p++;
				if (p >= end)
					return FALSE;
				p++;
			} else {
				p += 2;
			}
		} else if (c == '(') {
			const char *q = p + 1;

			if (q < end && *q == '?') {
				q++;
				if (q < end && (*q == ':' || *q == '>')) {
					inner = q + 1;
				} else if (q < end &&
					   (*q == '=' || *q == '!' ||
					    (*q == '<' && q + 1 < end &&
					     (q[1] == '=' || q[1] == '!')))) {
					zero_width = TRUE;
					inner = q + (*q == '<' ? 2 : 1);
				} else if (q < end && *q == '<') {
					/* A named group. */
					while (q < end && *q != '>')
						q++;
					inner = q + 1;
				} else if (q + 1 < end && q[0] == 'i' &&
					   q[1] == ':') {
					/* "(?i:...)": caseless inside, which
					 * the lower-cased scan is anyway. */
					inner = q + 2;
				} else {
					return FALSE;
				}
			} else {
				inner = q;
			}
			inner_end = group_end(inner, end);
			if (inner_end >= end)
				return FALSE;
			p = inner_end + 1;
			if (zero_width)
				inner = NULL;
		} else if (c == '[') {
			p = report_pattern_class_close(p);
			if (p >= end)
				return FALSE;
			p++;
		} else {
			literal = is_plain_literal(c);
			p++;
		}
		item_end = p;
		p = skip_quantifier(p, end, &optional, &repeated, &most);
		/* Not multi-line: "^" is the subject's start wherever it
		 * stands.  \s (quantified or not) matches white space only;
		 * anything else ends the anchored part. */
		anchored = (item == start && item_end == item + 1 &&
			    *item == '^') ||
			   (anchored && item_end == item + 2 &&
			    item[0] == '\\' && item[1] == 's');
		width = zero_width ? 0 : sequence_width(item, item_end);
		consumed = width_add(consumed, width_times(width, most));
		if (zero_width && inner == NULL) {
			/* A quantified \b ("\b?") may be absent. */
			if (boundary && !optional) {
				if (run->len == 0)
					boundary_before = TRUE;
				else
					boundary_after = TRUE;
			}
			continue;
		}
		if (literal && !optional) {
			if (run->len == 0) {
				run_word_start = boundary_before;
				run_reach = consumed_before;
				run_anchored = item_anchored;
			}
			g_string_append_c(run, g_ascii_tolower(c));
			boundary_before = FALSE;
			boundary_after = FALSE;
			if (!repeated)
				continue;
		}
		if (run->len >= REPORT_FILTER_MIN_LITERAL &&
		    run->len > choice.length &&
		    (choice.length == 0 || run_reach != WIDTH_UNBOUNDED)) {
			choice_drop(&choice, literals);
			if (run->len >= REPORT_FILTER_GOOD_LITERAL) {
				add_candidate(literals, run, run_word_start,
					      boundary_after && !repeated,
					      run_reach);
				if (run_anchored)
					mark_anchored(literals,
						      literals->len - 1);
				return TRUE;
			}
			g_string_assign(choice.run, run->str);
			choice.length = run->len;
			choice.word_start = run_word_start;
			choice.word_end = boundary_after && !repeated;
			choice.reach = run_reach;
			choice.anchored = run_anchored;
		}
		g_string_truncate(run, 0);
		if (inner != NULL && !optional) {
			guint before = literals->len;
			/* The group's alternatives start where it does and
			 * end where it does: "\b(?:spoed|SEH)\b". */
			gboolean inner_end_boundary =
				!repeated &&
				((p + 1 < end && p[0] == '\\' && p[1] == 'b') ||
				 (p >= end && word_end));
			gsize shortest;

			if (!add_alternatives(inner, inner_end, literals,
					      !repeated && boundary_before,
					      inner_end_boundary)) {
				g_ptr_array_remove_range(literals, before,
							 literals->len -
								 before);
				goto next;
			}
			/* Those that start their alternatives of the group
			 * (nothing before them) follow the "^\s*". */
			if (item_anchored)
				for (guint i = before; i < literals->len; i++)
					if (((struct literal_candidate *)
						     literals->pdata[i])
						    ->reach == 0)
						mark_anchored(literals, i);
			reach_after(literals, before, consumed_before);
			shortest = shortest_literal(literals, before,
						    choice.length > 0);
			if (shortest <= choice.length) {
				g_ptr_array_remove_range(literals, before,
							 literals->len -
								 before);
				goto next;
			}
			/* Its literals follow those of the choice they
			 * replace. */
			choice_drop(&choice, literals);
			if (shortest >= REPORT_FILTER_GOOD_LITERAL)
				return TRUE;
			choice.length = shortest;
			choice.first = n_before;
			choice.count = literals->len - n_before;
		}
	next:
		boundary_before = FALSE;
		boundary_after = FALSE;
	}
	return choose(&choice, literals, run, run_word_start,
		      boundary_after || word_end, run_reach, run_anchored);
}

/* The same for every alternative of [start, end) at depth 0. */
static gboolean
add_alternatives(const char *start, const char *end, GPtrArray *prefixes,
		 gboolean word_start, gboolean word_end)
{
	const char *p = start;

	for (;;) {
		const char *alt_end = alternative_end(p);

		if (alt_end > end)
			alt_end = end;
		if (!add_alternative(p, alt_end, prefixes, word_start,
				     word_end))
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
	filters->regexes = g_ptr_array_new();
	return filters;
}

static void automaton_free(struct filter_automaton *automaton);
static void hits_destroy(struct filter_hits *hits);

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
	if (f->automaton != NULL)
		automaton_free(f->automaton);
	for (guint s = 0; s < REPORT_FILTER_SPARE_HITS; s++)
		if (f->spare_hits[s] != NULL)
			hits_destroy(f->spare_hits[s]);
	g_ptr_array_unref(f->literals);
	g_ptr_array_unref(f->regexes);
	g_free(f);
	*filters = NULL;
}

/* The slot of regex in filters->by_regex, or the empty one where it
 * would go. */
static inline guint
slot_of(const struct report_filters *filters, const GRegex *regex)
{
	/* The product's high bits: its low ones follow the pointer's,
	 * which are alike for objects of one size. */
	guint slot = (guint)((guint32)((guintptr)regex >> 4) * 2654435761u >>
			     (32 - REPORT_FILTER_SLOT_BITS));

	while (filters->slot_regex[slot] != regex &&
	       filters->slot_regex[slot] != NULL)
		slot = (slot + 1) & (REPORT_FILTER_SLOTS - 1);
	return slot;
}

guint
report_filter_index(const struct report_filters *filters, const GRegex *regex)
{
	return filters->slot_index[slot_of(filters, regex)];
}

void
report_filters_add(struct report_filters *filters, const GRegex *regex,
		   const char *pattern)
{
	g_autoptr(GPtrArray) prefixes =
		g_ptr_array_new_with_free_func(literal_candidate_free);
	guint index, slot;

	/* The automaton reads the literals once, at the first scan. */
	if (filters->automaton != NULL)
		g_error("report filters: pattern added after a scan");
	/* A POSIX class ("[[:alpha:]]") would end the class early here. */
	if (strstr(pattern, "[:") != NULL ||
	    !add_alternatives(pattern, pattern + strlen(pattern), prefixes,
			      FALSE, FALSE))
		return;
	/* The table is sized for the built-in patterns. */
	if (filters->count >= REPORT_FILTER_SLOTS / 2)
		g_error("report filters: more than %d patterns",
			REPORT_FILTER_SLOTS / 2);
	index = filters->count++;
	slot = slot_of(filters, regex);
	filters->slot_regex[slot] = regex;
	filters->slot_index[slot] = (guint16)(index + 1);
	g_ptr_array_add(filters->regexes, (gpointer)regex);
	for (guint i = 0; i < prefixes->len; i++) {
		const struct literal_candidate *c = prefixes->pdata[i];
		struct filter_literal *l = g_new0(struct filter_literal, 1);

		l->text = g_strdup(c->text);
		l->length = strlen(l->text);
		l->word_start = c->word_start;
		l->word_end = c->word_end;
		l->reach = c->reach;
		l->anchored = c->anchored;
		l->filter = index;
		g_ptr_array_add(filters->literals, l);
	}
}

/* --- the automaton ------------------------------------------------------
 *
 * The literals are found by an Aho-Corasick automaton, one table step
 * per byte.  Capitals share the class of their small letters, so it can
 * read a short string as it is, where lowering a copy would cost more
 * than the rest.  It knows only the first `depth` bytes of each literal
 * (its key), which keeps the table small (about 1,800 states of 32
 * classes for the built-in patterns, against 7,000 for whole literals):
 * where a key ends, the rest of its literals is compared.  About one
 * place in six ends a key, most of them a whole short literal; the scan
 * this replaced looked up buckets at half of them.  The first bytes of
 * the case partners lead to a state of their own, where a scan of the
 * text as it is looks for one.  The parser adds its patterns one at a
 * time, then report_filters_prepare() builds the automaton (else the
 * first scan does).
 *
 * The steps' chain of dependent loads is not what costs: a scan of the
 * text's two halves at once, two chains the processor overlaps, was no
 * faster, nor was a lookup of hashed keys without a chain (a small
 * bitset per key length).  The time goes to the occurrences, about one
 * per five bytes before the longer literals (see the top), each
 * compared and listed. */

/* A literal as the scan tests it, copied out of its filter_literal so
 * that a candidate costs no pointer to follow: its first eight bytes
 * (fewer when shorter) as they lie in memory and which of those bytes
 * count.  One masked comparison settles all but longer literals. */
struct filter_probe {
	guint64 head, head_mask;
	const char *text; /* the literal's, read past the eighth byte */
	gsize length, reach;
	guint32 key_length; /* how much of it the automaton reads */
	guint16 filter;
	guint8 word_start, word_end, anchored;
};

#define AUTOMATON_MAX_DEPTH 4

struct filter_automaton {
	/* The bytes of the keys have classes from 1 (ASCII capitals those
	 * of their small letters), the others 0 but for the first bytes of
	 * the case partners (see lower_text()): a row of the table has 1
	 * << shift cells, one per class. */
	guint8 classes[256];
	guint shift;
	guint depth; /* key length: a literal's first bytes the table reads */
	/* By row (state << shift) + class: the next state's row.  The
	 * rows from first_output on are those of the states where keys
	 * end. */
	guint16 *next;
	guint first_output;
	/* The row of the state after the first byte of a case partner:
	 * the last, which lists nothing and moves as the start does. */
	guint partner_row;
	/* For state first_output >> shift + s: its keys' literals are
	 * listed[output_start[s] .. output_start[s + 1]). */
	guint32 *output_start;
	const struct filter_probe **listed;
	struct filter_probe *probes; /* one per literal, by index */
};

static void
automaton_free(struct filter_automaton *automaton)
{
	g_free(automaton->next);
	g_free(automaton->output_start);
	g_free(automaton->listed);
	g_free(automaton->probes);
	g_free(automaton);
}

/* A state of the trie of the keys, while the automaton is built. */
struct trie_node {
	guint32 own;	      /* first literal whose key it is + 1, or 0 */
	guint32 first_child;  /* or 0, then next_sibling */
	guint32 next_sibling; /* or 0 */
	guint32 path;	      /* the classes of its bytes, the first lowest */
	guint8 length;	      /* of its path */
	guint8 last_class;    /* of its last byte */
	/* Its longest proper suffix that is a state too: where the
	 * automaton goes on when the trie does not */
	guint32 fail;
	guint32 n_listed; /* literals whose key ends its path */
	guint32 number;	  /* its state in the automaton */
};

/* The trie: nodes by index (the root 0, which no transition reaches),
 * and by index << shift + class the child, or 0. */
struct trie {
	struct trie_node *nodes;
	guint16 *go;
	guint shift, n_nodes, max_nodes;
};

/* The child of parent by the byte class, added if need be; 0 when the
 * trie would outgrow max_nodes. */
static guint32
trie_child(struct trie *trie, guint32 parent, guint8 byte_class)
{
	gsize cell = ((gsize)parent << trie->shift) + byte_class;
	struct trie_node *p = &trie->nodes[parent], *node;

	if (trie->go[cell] != 0 || trie->n_nodes == trie->max_nodes)
		return trie->go[cell];
	node = &trie->nodes[trie->n_nodes];
	*node = (struct trie_node){
		.next_sibling = p->first_child,
		.path = p->path | (guint32)byte_class << (8 * p->length),
		.length = (guint8)(p->length + 1),
		.last_class = byte_class,
	};
	p->first_child = trie->n_nodes;
	trie->go[cell] = (guint16)trie->n_nodes++;
	return trie->go[cell];
}

/* The node of the path of length classes (first lowest), or 0. */
static guint32
trie_find(const struct trie *trie, guint32 path, guint length)
{
	guint32 node = 0;

	for (guint k = 0; k < length; k++) {
		node = trie->go[((gsize)node << trie->shift) +
				(path >> (8 * k) & 0xff)];
		if (node == 0)
			return 0;
	}
	return node;
}

/* The automaton of the keys of depth bytes, or NULL when its table has
 * more rows than a 16-bit cell can name. */
static struct filter_automaton *
automaton_try(const struct report_filters *filters, guint depth)
{
	const GPtrArray *literals = filters->literals;
	struct filter_automaton *a = g_new0(struct filter_automaton, 1);
	struct trie trie = {0};
	g_autofree guint32 *own_next = g_new(guint32, literals->len + 1);
	g_autofree guint32 *order = NULL;
	guint n_classes = 1, n_plain = 0, n_outputs = 0, width, n_order = 1;
	guint partner_class;
	gsize total_listed = 0, bound = 1;
	gboolean fits = TRUE;

	a->depth = depth;
	for (guint i = 0; i < literals->len; i++) {
		const struct filter_literal *l = literals->pdata[i];

		bound += MIN(l->length, depth);
		for (gsize k = 0; k < MIN(l->length, depth); k++)
			if (a->classes[(guchar)l->text[k]] == 0)
				a->classes[(guchar)l->text[k]] =
					(guint8)n_classes++;
	}
	/* Literals are ASCII, so the case partners' bytes have no class
	 * yet; they get one, and capitals that of their small letters. */
	partner_class = n_classes++;
	a->classes[0xC4] = a->classes[0xC5] = a->classes[0xE2] =
		(guint8)partner_class;
	for (guint c = 'A'; c <= 'Z'; c++)
		a->classes[c] = a->classes[c - 'A' + 'a'];
	while ((1u << a->shift) < n_classes)
		a->shift++;
	width = 1u << a->shift;
	/* A row of the table is named by a 16-bit cell; one more row for
	 * the partner state. */
	trie.shift = a->shift;
	trie.max_nodes =
		(guint)MIN(bound, ((G_MAXUINT16 + 1u) >> a->shift) - 1);
	/* Nodes are set as they are added; the root here. */
	trie.nodes = g_new(struct trie_node, trie.max_nodes);
	trie.nodes[0] = (struct trie_node){0};
	trie.go = g_new0(guint16, (gsize)trie.max_nodes * width);
	trie.n_nodes = 1;
	/* The trie of the keys, each node with its literals. */
	for (guint i = 0; i < literals->len && fits; i++) {
		const struct filter_literal *l = literals->pdata[i];
		guint32 node = 0;

		for (gsize k = 0; k < MIN(l->length, depth) && fits; k++) {
			node = trie_child(&trie, node,
					  a->classes[(guchar)l->text[k]]);
			fits = node != 0;
		}
		own_next[i] = trie.nodes[node].own;
		trie.nodes[node].own = i + 1;
	}
	if (!fits) {
		g_free(trie.nodes);
		g_free(trie.go);
		g_free(a);
		return NULL;
	}
	/* Breadth first, so that a node's failure state (shorter) comes
	 * before it: each node's failure state and how many literals it
	 * lists, its own and its failure state's. */
	order = g_new(guint32, trie.n_nodes);
	order[0] = 0;
	for (guint head = 0; head < n_order; head++) {
		struct trie_node *n = &trie.nodes[order[head]];

		for (guint32 c = n->first_child; c != 0;
		     c = trie.nodes[c].next_sibling)
			order[n_order++] = c;
		for (guint k = 1; head > 0 && k < n->length && n->fail == 0;
		     k++)
			n->fail = trie_find(&trie, n->path >> (8 * k),
					    n->length - k);
		for (guint32 i = n->own; i != 0; i = own_next[i - 1])
			n->n_listed++;
		n->n_listed += trie.nodes[n->fail].n_listed;
		total_listed += n->n_listed;
	}
	/* The states that list literals go last, so that one comparison
	 * of the row tells whether the scan has anything to look at. */
	for (guint head = 0; head < n_order; head++)
		if (trie.nodes[order[head]].n_listed == 0)
			trie.nodes[order[head]].number = n_plain++;
	for (guint head = 0; head < n_order; head++)
		if (trie.nodes[order[head]].n_listed != 0)
			trie.nodes[order[head]].number = n_plain + n_outputs++;
	a->first_output = n_plain << a->shift;
	/* The table: a state moves as its failure state does (whose row
	 * is complete, being shorter), but where the trie goes on.  And
	 * the literals to look at in each state that has them: its own,
	 * then its failure state's (listed before it). */
	a->next = g_new(guint16, ((gsize)trie.n_nodes + 1) * width);
	a->probes = g_new(struct filter_probe, MAX(literals->len, 1));
	a->output_start = g_new(guint32, n_outputs + 2);
	a->listed = g_new(const struct filter_probe *, MAX(total_listed, 1));
	total_listed = 0;
	for (guint head = 0; head < n_order; head++) {
		const struct trie_node *n = &trie.nodes[order[head]];
		const struct trie_node *fail = &trie.nodes[n->fail];
		guint16 *row = a->next + ((gsize)n->number << a->shift);

		if (head == 0)
			memset(row, 0, width * sizeof(*row));
		else
			memcpy(row, a->next + ((gsize)fail->number << a->shift),
			       width * sizeof(*row));
		for (guint32 c = n->first_child; c != 0;
		     c = trie.nodes[c].next_sibling)
			row[trie.nodes[c].last_class] =
				(guint16)(trie.nodes[c].number << a->shift);
		if (n->n_listed == 0)
			continue;
		a->output_start[n->number - n_plain] = (guint32)total_listed;
		for (guint32 i = n->own; i != 0; i = own_next[i - 1])
			a->listed[total_listed++] = &a->probes[i - 1];
		if (fail->n_listed != 0)
			memcpy(a->listed + total_listed,
			       a->listed +
				       a->output_start[fail->number - n_plain],
			       fail->n_listed * sizeof(*a->listed));
		total_listed += fail->n_listed;
	}
	/* The partner state, and every state's move to it. */
	a->partner_row = trie.n_nodes << a->shift;
	memcpy(a->next + a->partner_row, a->next, width * sizeof(*a->next));
	for (gsize row = 0; row <= a->partner_row; row += width)
		a->next[row + partner_class] = (guint16)a->partner_row;
	a->output_start[n_outputs] = (guint32)total_listed;
	a->output_start[n_outputs + 1] = (guint32)total_listed;
	for (guint i = 0; i < literals->len; i++) {
		const struct filter_literal *l = literals->pdata[i];
		struct filter_probe *probe = &a->probes[i];
		gsize head_bytes = MIN(l->length, sizeof(probe->head));

		*probe = (struct filter_probe){
			.text = l->text,
			.length = l->length,
			.reach = l->reach,
			.key_length = (guint32)MIN(l->length, depth),
			.filter = (guint16)l->filter,
			.word_start = (guint8)l->word_start,
			.word_end = (guint8)l->word_end,
			.anchored = (guint8)l->anchored,
		};
		memcpy(&probe->head, l->text, head_bytes);
		memset(&probe->head_mask, 0xff, head_bytes);
	}
	g_free(trie.nodes);
	g_free(trie.go);
	return a;
}

/* The automaton of filters, built by the first caller. */
static G_NO_INLINE const struct filter_automaton *
automaton_build(const struct report_filters *filters)
{
	/* Built once, the one part besides the spares that is not
	 * read-only after the parser is built. */
	struct filter_automaton **automaton =
		(struct filter_automaton **)&filters->automaton;

	if (g_once_init_enter(automaton)) {
		struct filter_automaton *built = NULL;

		/* Shorter keys when the table would be too big. */
		for (guint depth = AUTOMATON_MAX_DEPTH;
		     built == NULL && depth >= REPORT_FILTER_MIN_LITERAL;
		     depth--)
			built = automaton_try(filters, depth);
		if (built == NULL)
			g_error("report filters: too many literals");
		g_once_init_leave(automaton, built);
	}
	return *automaton;
}

static inline const struct filter_automaton *
automaton_of(const struct report_filters *filters)
{
	const struct filter_automaton *automaton = g_atomic_pointer_get(
		(struct filter_automaton **)&filters->automaton);

	return G_LIKELY(automaton != NULL) ? automaton
					   : automaton_build(filters);
}

void
report_filters_prepare(const struct report_filters *filters)
{
	automaton_of(filters);
}

/* Whether a probe's literal lies at lower[i] (lower-cased, with at
 * least eight NUL bytes after its length bytes). */
static inline gboolean
probe_matches(const struct filter_probe *probe, const char *lower, gsize length,
	      gsize i)
{
	guint64 word;

	memcpy(&word, lower + i, sizeof(word));
	if ((word & probe->head_mask) != probe->head)
		return FALSE;
	/* A literal holds no NUL, so the padding stops a short one; a
	 * longer one is read on only inside the text. */
	return probe->length <= sizeof(word) ||
	       (probe->length <= length - i &&
		memcmp(lower + i + sizeof(word), probe->text + sizeof(word),
		       probe->length - sizeof(word)) == 0);
}

/* Characters that PCRE2 matches caselessly with an ASCII letter: long s
 * (C5 BF), Kelvin sign (E2 84 AA), capital I with dot (C4 B0), dotless
 * i (C4 B1).  Whether the NUL-terminated text has one starting at p. */
static inline gboolean
case_partner_at(const guchar *p)
{
	return (p[0] == 0xC5 && p[1] == 0xBF) ||
	       (p[0] == 0xC4 && (p[1] == 0xB0 || p[1] == 0xB1)) ||
	       (p[0] == 0xE2 && p[1] == 0x84 && p[2] == 0xAA);
}

#define HIGH_BITS 0x8080808080808080ULL

/* word with its ASCII capitals lowered, its other bytes kept: a byte
 * below 0x80 whose low seven bits lie in 'A'..'Z' gets bit 0x20. */
static inline guint64
lower_word(guint64 word)
{
	guint64 seven = word & ~HIGH_BITS;
	guint64 from_a = seven + 0x0101010101010101ULL * (0x80 - 'A');
	guint64 past_z = seven + 0x0101010101010101ULL * (0x7f - 'Z');

	return word | (((from_a ^ past_z) & ~word & HIGH_BITS) >> 2);
}

/* Copies text (length bytes) to lower, ASCII letters lowered, with
 * eight NUL bytes after it.  FALSE when text holds a character that
 * matches an ASCII letter caselessly: the byte-wise filter cannot rule
 * anything out then. */
static gboolean
lower_text(const char *text, gsize length, char *lower)
{
	gboolean partner = FALSE;
	gsize i = 0;

	for (; i + sizeof(guint64) <= length; i += sizeof(guint64)) {
		guint64 word;

		memcpy(&word, text + i, sizeof(word));
		/* The partners are rare and non-ASCII: only words with a
		 * byte of 0x80 or more are looked at (a partner may run
		 * on past the word, never past the NUL). */
		if (G_UNLIKELY(word & HIGH_BITS))
			for (gsize k = i; k < i + sizeof(word); k++)
				partner |= case_partner_at(
					(const guchar *)text + k);
		word = lower_word(word);
		memcpy(lower + i, &word, sizeof(word));
	}
	for (; i < length; i++) {
		partner |= case_partner_at((const guchar *)text + i);
		lower[i] = lower_byte(text[i]);
	}
	memset(lower + length, 0, sizeof(guint64));
	return !partner;
}

/* Texts up to this long are lowered on the stack. */
#define LOWER_ON_STACK 4096

/* The block of one scan result for count filters: the struct, the
 * per-filter arrays and room for the first occurrences. */
#define HITS_FIRST_OCCURRENCES 64

static struct filter_hits *
hits_new(const struct report_filters *filters)
{
	gsize n = MAX(filters->count, 1);
	gsize size = sizeof(struct filter_hits) +
		     n * (sizeof(struct filter_tally) + 2) +
		     HITS_FIRST_OCCURRENCES * sizeof(struct filter_occurrence);
	struct filter_hits *hits = g_malloc(size);

	/* Largest alignment first. */
	hits->filters = filters;
	hits->tally = (struct filter_tally *)(hits + 1);
	hits->occurrences = (struct filter_occurrence *)(hits->tally + n);
	hits->occurrences_size = HITS_FIRST_OCCURRENCES;
	hits->count = (guint8 *)(hits->occurrences + HITS_FIRST_OCCURRENCES);
	hits->whole = hits->count + n;
	return hits;
}

static gboolean
hits_own_occurrences(const struct filter_hits *hits)
{
	return hits->occurrences !=
	       (struct filter_occurrence *)(hits->tally +
					    MAX(hits->filters->count, 1));
}

static void
hits_destroy(struct filter_hits *hits)
{
	if (hits_own_occurrences(hits))
		g_free(hits->occurrences);
	g_free(hits);
}

/* A spare scan result of filters, or a new one. */
static struct filter_hits *
hits_take(const struct report_filters *filters)
{
	/* The spares are the one part that changes after building. */
	gpointer *spares = (gpointer *)filters->spare_hits;

	for (guint s = 0; s < REPORT_FILTER_SPARE_HITS; s++) {
		gpointer hits = g_atomic_pointer_get(&spares[s]);

		if (hits != NULL && g_atomic_pointer_compare_and_exchange(
					    &spares[s], hits, NULL))
			return hits;
	}
	return hits_new(filters);
}

/* Literals found by the automaton, listed in bulk: the scan keeps the
 * automaton's fields in registers, the listing those of the hits. */
struct found_literal {
	const struct filter_probe *probe;
	gsize start;
};

#define FOUND_AT_ONCE 128

#define COUNT_ANYWHERE (REPORT_FILTER_MAX_OCCURRENCES + 1)

static inline enum filter_state
state_of(const struct filter_hits *hits, guint f)
{
	return hits->count[f] == 0		  ? FILTER_NONE
	       : hits->count[f] == COUNT_ANYWHERE ? FILTER_ANYWHERE
						  : FILTER_LISTED;
}

/* Lists the n literals found in lower in hits. */
static void
note_found(struct filter_hits *hits, const struct found_literal *found, guint n,
	   const char *lower)
{
	/* Local copies: the byte stores below would otherwise make the
	 * compiler read each pointer again after each. */
	guint8 *count = hits->count, *whole = hits->whole;
	struct filter_tally *tally = hits->tally;
	struct filter_occurrence *occurrences = hits->occurrences;
	guint n_occurrences = hits->n_occurrences;

	for (guint k = 0; k < n; k++) {
		const struct filter_probe *probe = found[k].probe;
		gsize i = found[k].start;
		guint f = probe->filter, listed = count[f];
		gboolean cut_before, cut_after;
		gsize from, fits_from = 0;
		gint later = -1, earlier;

		if (listed == COUNT_ANYWHERE)
			continue;
		/* "\bER\b" in "server": only a subject cut right there can
		 * see a word boundary. */
		cut_before = probe->word_start && i > 0 &&
			     is_word_byte(lower[i - 1]);
		cut_after = probe->word_end &&
			    is_word_byte(lower[i + probe->length]);
		if (cut_before)
			fits_from = i;
		if (probe->anchored) {
			/* "^\s*if\b": only a subject starting in the white
			 * space before it (any non-ASCII character may be
			 * a \s). */
			gsize space = i;

			while (space > 0 && may_be_space(lower[space - 1]))
				space--;
			fits_from = MAX(fits_from, space);
			cut_before = fits_from > 0;
		}
		if (!cut_before && !cut_after)
			whole[f] = TRUE;
		if (listed == REPORT_FILTER_MAX_OCCURRENCES) {
			/* Not listed: it may match anywhere. */
			count[f] = COUNT_ANYWHERE;
			whole[f] = TRUE;
			tally[f].earliest = 0;
			continue;
		}
		count[f] = (guint8)(listed + 1);
		from = probe->reach < i ? i - probe->reach : 0;
		tally[f].earliest =
			listed == 0 ? from : MIN(tally[f].earliest, from);
		if (G_UNLIKELY(n_occurrences == hits->occurrences_size)) {
			struct filter_occurrence *more =
				g_new(struct filter_occurrence,
				      2 * hits->occurrences_size);

			memcpy(more, occurrences,
			       n_occurrences * sizeof(*more));
			if (hits_own_occurrences(hits))
				g_free(occurrences);
			hits->occurrences = occurrences = more;
			hits->occurrences_size *= 2;
		}
		/* Found by where their keys end, a few bytes apart from
		 * their starts: kept in the order of their starts, the
		 * latest first, by walking back the few that start after. */
		earlier = listed == 0 ? -1 : tally[f].head;
		while (earlier >= 0 && occurrences[earlier].start > i) {
			later = earlier;
			earlier = occurrences[earlier].next;
		}
		occurrences[n_occurrences] = (struct filter_occurrence){
			.start = i,
			.probe = probe,
			.next = earlier,
			.cut_before = (guint8)cut_before,
			.cut_after = (guint8)cut_after,
			.fits_from = fits_from,
		};
		if (later < 0)
			tally[f].head = (gint)n_occurrences;
		else
			occurrences[later].next = (gint)n_occurrences;
		n_occurrences++;
	}
	hits->n_occurrences = n_occurrences;
}

/* Lists the occurrences of every literal in lower (length bytes,
 * lower-cased, eight NUL bytes after). */
static void
scan_lowered(const struct filter_automaton *a, struct filter_hits *hits,
	     const char *lower, gsize length)
{
	const guint8 *classes = a->classes;
	const guint16 *next = a->next;
	const guint first_output = a->first_output, shift = a->shift;
	const guint32 *output_start = a->output_start;
	const struct filter_probe *const *listed = a->listed;
	struct found_literal found[FOUND_AT_ONCE];
	guint n = 0, row = 0;

	for (gsize i = 0; i < length;) {
		guint output;

		row = next[row + classes[(guchar)lower[i++]]];
		if (G_LIKELY(row < first_output))
			continue;
		/* Keys end here: their literals start key_length bytes
		 * back, and those longer than their key are compared. */
		output = (row - first_output) >> shift;
		for (guint32 at = output_start[output],
			     stop = output_start[output + 1];
		     at < stop; at++) {
			const struct filter_probe *probe = listed[at];
			gsize start = i - probe->key_length;

			if (probe->length != probe->key_length &&
			    !probe_matches(probe, lower, length, start))
				continue;
			found[n++] = (struct found_literal){probe, start};
			if (n == FOUND_AT_ONCE) {
				note_found(hits, found, n, lower);
				n = 0;
			}
		}
	}
	note_found(hits, found, n, lower);
}

struct filter_hits *
report_filters_scan(const struct report_filters *filters, const char *text)
{
	const struct filter_automaton *automaton = automaton_of(filters);
	struct filter_hits *hits = hits_take(filters);
	guint n = MAX(filters->count, 1);
	char on_stack[LOWER_ON_STACK];
	g_autofree char *on_heap = NULL;
	char *lower = on_stack;
	gsize length = strlen(text);

	memset(hits->count, 0, n);
	memset(hits->whole, FALSE, n);
	hits->n_occurrences = 0;
	if (length + sizeof(guint64) > sizeof(on_stack))
		lower = on_heap = g_malloc(length + sizeof(guint64));
	if (!lower_text(text, length, lower)) {
		memset(hits->count, COUNT_ANYWHERE, n);
		memset(hits->whole, TRUE, n);
		for (guint f = 0; f < n; f++)
			hits->tally[f].earliest = 0;
		return hits;
	}
	scan_lowered(automaton, hits, lower, length);
	return hits;
}

void
report_filter_hits_free(struct filter_hits **hits)
{
	gpointer *spares;

	if (hits == NULL || *hits == NULL)
		return;
	/* Kept for the next scan when a spare place is free. */
	spares = (gpointer *)(*hits)->filters->spare_hits;
	for (guint s = 0; s < REPORT_FILTER_SPARE_HITS; s++) {
		if (g_atomic_pointer_compare_and_exchange(&spares[s], NULL,
							  *hits)) {
			*hits = NULL;
			return;
		}
	}
	hits_destroy(*hits);
	*hits = NULL;
}

/* The filter index + 1 of regex, or 0 when it has none. */
static guint
filter_of(const struct parse *parse, const GRegex *regex)
{
	return report_filter_index(parse->parser->filters, regex);
}

gboolean
report_filters_may_match(const struct report_filters *filters,
			 const struct filter_hits *hits, const GRegex *regex)
{
	guint index = report_filter_index(filters, regex);

	return index == 0 || state_of(hits, index - 1) != FILTER_NONE;
}

gboolean
report_filters_may_match_whole(const struct report_filters *filters,
			       const struct filter_hits *hits,
			       const GRegex *regex)
{
	guint index = report_filter_index(filters, regex);

	return index == 0 || hits->whole[index - 1];
}

gboolean
report_may_match(const struct parse *parse, const GRegex *regex)
{
	return report_filters_may_match(parse->parser->filters, parse->hits,
					regex);
}

gboolean
report_may_match_whole(const struct parse *parse, const GRegex *regex)
{
	return report_filters_may_match_whole(parse->parser->filters,
					      parse->hits, regex);
}

/* TRUE if an occurrence lies inside the subject [start, end) and can
 * match there: one with a word character before (after) it in the whole
 * text, where the literal wants \b, only when the subject starts (ends)
 * right at it. */
static gboolean
occurrence_fits(const struct filter_occurrence *occurrence, gsize start,
		gsize end)
{
	gsize occurrence_end = occurrence->start + occurrence->probe->length;

	return occurrence->start >= start && occurrence_end <= end &&
	       start >= occurrence->fits_from &&
	       (!occurrence->cut_after || occurrence_end == end);
}

gboolean
report_may_match_in(const struct parse *parse, const GRegex *regex, gsize start,
		    gsize end)
{
	return report_filters_may_match_in(parse->parser->filters, parse->hits,
					   regex, start, end);
}

gboolean
report_filters_may_match_in(const struct report_filters *filters,
			    const struct filter_hits *hits, const GRegex *regex,
			    gsize start, gsize end)
{
	guint index = report_filter_index(filters, regex);

	if (index == 0 || state_of(hits, index - 1) == FILTER_ANYWHERE)
		return TRUE;
	if (state_of(hits, index - 1) == FILTER_NONE)
		return FALSE;
	for (gint o = hits->tally[index - 1].head; o >= 0;) {
		const struct filter_occurrence *occurrence =
			&hits->occurrences[o];

		if (occurrence_fits(occurrence, start, end))
			return TRUE;
		o = occurrence->next;
	}
	return FALSE;
}

gint
report_filters_listed(const struct report_filters *filters,
		      const struct filter_hits *hits, const GRegex *regex)
{
	guint index = report_filter_index(filters, regex);

	if (index == 0 || state_of(hits, index - 1) == FILTER_ANYWHERE)
		return -2;
	if (state_of(hits, index - 1) == FILTER_NONE)
		return -1;
	return hits->tally[index - 1].head;
}

gsize
report_filter_occurrence_end(const struct filter_occurrence *occurrence)
{
	return occurrence->start + occurrence->probe->length;
}

gsize
report_filter_occurrence_reach(const struct filter_occurrence *occurrence)
{
	return occurrence->probe->reach;
}

/* --- character prerequisites ------------------------------------------ */

/* Whether the character at p may be one that PCRE2's Unicode \d
 * matches.  ASCII digits are; below U+0660 (ARABIC-INDIC DIGIT ZERO)
 * nothing else is; above it, decimal digits and, in case PCRE2 knows a
 * newer Unicode than GLib, unassigned code points count. */
static gboolean
may_be_digit(const char *p)
{
	gunichar c;

	if ((guchar)*p < 0x80)
		return g_ascii_isdigit(*p);
	c = g_utf8_get_char_validated(p, -1);
	if (c == (gunichar)-1 || c == (gunichar)-2)
		return FALSE;
	return c >= 0x660 && (g_unichar_isdigit(c) ||
			      g_unichar_type(c) == G_UNICODE_UNASSIGNED);
}

gboolean
report_text_may_hold_digits(const char *text, gsize start, gsize end, guint run)
{
	guint seen = 0;

	if (run == 0)
		return TRUE;
	for (gsize i = start; i < end && text[i] != '\0';) {
		if (may_be_digit(text + i)) {
			if (++seen >= run)
				return TRUE;
		} else {
			seen = 0;
		}
		if ((guchar)text[i] < 0x80) {
			i++;
			continue;
		}
		/* Step over the whole character: a continuation byte is
		 * never a character of its own. */
		i++;
		while (i < end && ((guchar)text[i] & 0xc0) == 0x80)
			i++;
	}
	return FALSE;
}

/* A character boundary at or before at: the start of the character
 * holding text[at]. */
static gsize
back_to_character(const char *text, gsize at)
{
	while (at > 0 && ((guchar)text[at] & 0xc0) == 0x80)
		at--;
	return at;
}

gsize
report_date_search_from(const char *text)
{
	/* strcspn() skips to each separator faster than a byte loop. */
	for (const char *p = text + strcspn(text, "-/."); *p != '\0';
	     p += 1 + strcspn(p + 1, "-/.")) {
		const char *prev;
		gsize at;

		if (p == text)
			continue;
		prev = g_utf8_find_prev_char(text, p);
		if (prev == NULL || !may_be_digit(prev))
			continue;
		/* "\d{4}-": four digits of up to four bytes before it. */
		at = (gsize)(p - text);
		return back_to_character(text, at > 16 ? at - 16 : 0);
	}
	return G_MAXSIZE;
}

/* The ASCII bytes that are neither digits nor NUL. */
static const guint8 not_digit_ascii[256] = {
	[1 ... '0' - 1] = 1,
	['9' + 1 ... 0x7f] = 1,
};

/* Whether c may stand in the optional words before a time's hour ("om",
 * "vers", "ca."): letters (other cases of which may be non-ASCII: long
 * s, Kelvin sign), '.', blanks, and every non-ASCII byte. */
static gboolean
may_be_before_hour(char c)
{
	return (guchar)c >= 0x80 || g_ascii_isalpha(c) || c == '.' ||
	       c == ' ' || c == '\t';
}

gsize
report_time_search_from(const char *text, gsize start, gsize end)
{
	gsize i = start;

	/* The first character \d may match: every hour starts at or
	 * after it.  The ASCII bytes but digits and NUL are passed over
	 * by the table, the others looked at one character at a time. */
	for (;;) {
		while (i < end && not_digit_ascii[(guchar)text[i]])
			i++;
		if (i >= end || text[i] == '\0')
			return G_MAXSIZE;
		if (may_be_digit(text + i))
			break;
		i++;
		while (i < end && ((guchar)text[i] & 0xc0) == 0x80)
			i++;
	}
	/* The words before it hold none of the bytes that stop this. */
	while (i > start && may_be_before_hour(text[i - 1]))
		i--;
	return i;
}

gboolean
report_text_may_hold_date(const char *text)
{
	return report_date_search_from(text) != G_MAXSIZE;
}

gsize
report_phone_search_from(const char *text)
{
	const char *first = strpbrk(text, "+0");

	if (first == NULL)
		return G_MAXSIZE;
	/* "(0)" starts one byte before its "0". */
	return first > text ? (gsize)(first - text) - 1 : 0;
}

gsize
report_email_search_from(const char *text)
{
	const char *at = strchr(text, '@');
	gsize offset;

	if (at == NULL)
		return G_MAXSIZE;
	/* At most 64 characters before the "@", each at most three bytes
	 * (caseless, "[A-Za-z]" takes the Kelvin sign). */
	offset = (gsize)(at - text);
	return back_to_character(text, offset > 192 ? offset - 192 : 0);
}

/* Whether the rest of probe's literal, past its key, follows in text
 * (NUL-terminated, not lower-cased) from start on. */
static inline gboolean
literal_goes_on(const struct filter_probe *probe, const char *text, gsize start)
{
	/* The NUL stops it: a literal holds none. */
	for (gsize k = probe->key_length; k < probe->length; k++)
		if (lower_byte(text[start + k]) != probe->text[k])
			return FALSE;
	return TRUE;
}

guint
report_filters_which_may_match(const struct report_filters *filters,
			       const GRegex *const *regexes, guint n,
			       const char *text)
{
	const struct filter_automaton *a = automaton_of(filters);
	guint index[32];
	/* The filters still looked for, by filter index. */
	guint32 wanted[REPORT_FILTER_SLOTS / 2 / 32] = {0};
	guint all, found = 0, row = 0;

	g_return_val_if_fail(n > 0 && n <= G_N_ELEMENTS(index), 0);
	all = n == 32 ? ~0u : (1u << n) - 1;
	for (guint r = 0; r < n; r++) {
		index[r] = report_filter_index(filters, regexes[r]);
		if (index[r] == 0)
			found |= 1u << r;
		else
			wanted[(index[r] - 1) / 32] |= 1u
						       << (index[r] - 1) % 32;
	}
	if (found == all)
		return all;
	/* The automaton reads capitals as small letters: for a short
	 * text, lowering a copy costs more than the rest. */
	for (gsize i = 0; text[i] != '\0';) {
		guint output;

		row = a->next[row + a->classes[(guchar)text[i++]]];
		if (G_LIKELY(row < a->first_output))
			continue;
		if (row == a->partner_row) {
			if (case_partner_at((const guchar *)text + i - 1))
				return all;
			continue;
		}
		output = (row - a->first_output) >> a->shift;
		for (guint32 at = a->output_start[output];
		     at < a->output_start[output + 1]; at++) {
			const struct filter_probe *probe = a->listed[at];
			gsize start = i - probe->key_length;
			guint f = probe->filter, r = 0;

			if (!(wanted[f / 32] >> f % 32 & 1) ||
			    !literal_goes_on(probe, text, start))
				continue;
			if (probe->word_start && start > 0 &&
			    is_word_byte(text[start - 1]))
				continue;
			if (probe->anchored && !space_up_to(text, start))
				continue;
			if (probe->word_end &&
			    is_word_byte(text[start + probe->length]))
				continue;
			/* Each occurrence answers for one regex of its
			 * filter (the same regex may be asked twice). */
			while (r < n && ((found >> r & 1) || index[r] != f + 1))
				r++;
			found |= 1u << r;
			if (found == all)
				return all;
			while (r < n && ((found >> r & 1) || index[r] != f + 1))
				r++;
			if (r == n)
				wanted[f / 32] &= ~(1u << f % 32);
		}
	}
	return found;
}

gboolean
report_filters_may_match_string(const struct report_filters *filters,
				const GRegex *regex, const char *text)
{
	return report_filters_which_may_match(filters, &regex, 1, text) != 0;
}

gboolean
report_filters_search_from(const struct report_filters *filters,
			   const struct filter_hits *hits, const GRegex *regex,
			   const char *text, gsize *offset)
{
	guint index = report_filter_index(filters, regex);

	*offset = 0;
	if (index == 0)
		return TRUE;
	if (!hits->whole[index - 1])
		return FALSE;
	if (state_of(hits, index - 1) == FILTER_LISTED)
		*offset = back_to_character(text,
					    hits->tally[index - 1].earliest);
	return TRUE;
}

gboolean
report_search_from(const struct parse *parse, const GRegex *regex, gsize start,
		   gsize end, gsize *offset)
{
	guint index = filter_of(parse, regex);
	const struct filter_hits *hits = parse->hits;
	gsize earliest = G_MAXSIZE;

	*offset = 0;
	if (index == 0 || state_of(hits, index - 1) == FILTER_ANYWHERE)
		return TRUE;
	if (state_of(hits, index - 1) == FILTER_NONE)
		return FALSE;
	for (gint o = hits->tally[index - 1].head; o >= 0;) {
		const struct filter_occurrence *occurrence =
			&hits->occurrences[o];

		if (occurrence_fits(occurrence, start, end)) {
			gsize reach = occurrence->probe->reach;

			earliest = MIN(earliest,
				       reach < occurrence->start - start
					       ? occurrence->start - reach
					       : start);
		}
		o = occurrence->next;
	}
	if (earliest == G_MAXSIZE)
		return FALSE;
	earliest = back_to_character(parse->text, earliest);
	*offset = earliest > start ? earliest - start : 0;
	return TRUE;
}
