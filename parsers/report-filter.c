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
 * Two refinements keep the same exactness.  A literal with \b right
 * beside it ("\bER\b") does not count where an ASCII word character
 * stands on that side in the text ("server"), unless the subject is cut
 * right there.  And each literal knows the most bytes a match can hold
 * before it (its "reach", counted generously: four bytes for any
 * character but plain ASCII, none known past *, + or {n,}), so no match
 * starts before the earliest occurrence minus its reach, and a search
 * that starts there finds the same matches.
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

/* p at the '[' of a character class: its closing ']' ("]" right after
 * "[" or "[^" is a member), or the end of the pattern. */
static const char *
class_close(const char *p)
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
			p = class_close(p);
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
};

#define WIDTH_UNBOUNDED G_MAXSIZE

static void
literal_candidate_free(gpointer data)
{
	struct literal_candidate *c = data;

	g_free(c->text);
	g_free(c);
}

/* g_ascii_tolower() is a function call; the scan does this per byte. */
static inline char
lower_byte(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c + ('a' - 'A')) : c;
}

static gboolean
is_word_byte(char c)
{
	return g_ascii_isalnum(c) || c == '_';
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
			p = class_close(p);
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

/* Adds to literals (char *) one literal, lower-cased, that every match
 * of the alternative [start, end) contains: its first run of at least
 * REPORT_FILTER_MIN_LITERAL plain characters that cannot be absent, or
 * the literals of a group that cannot be absent and has one in every
 * alternative.  FALSE when it finds none, or meets a construct it does
 * not know (inline options, which might switch on extended mode). */
static gboolean
add_alternative(const char *start, const char *end, GPtrArray *literals,
		gboolean word_start, gboolean word_end)
{
	g_autoptr(GString) run = g_string_new(NULL);
	const char *p = start;
	/* \b right before the run's first character; right after its
	 * last one so far. */
	gboolean boundary_before = word_start, boundary_after = FALSE;
	gboolean run_word_start = FALSE;
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
			p = class_close(p);
			if (p >= end)
				return FALSE;
			p++;
		} else {
			literal = is_plain_literal(c);
			p++;
		}
		item_end = p;
		p = skip_quantifier(p, end, &optional, &repeated, &most);
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
			}
			g_string_append_c(run, g_ascii_tolower(c));
			boundary_before = FALSE;
			boundary_after = FALSE;
			if (!repeated)
				continue;
		}
		if (run->len >= REPORT_FILTER_MIN_LITERAL) {
			add_candidate(literals, run, run_word_start,
				      boundary_after && !repeated, run_reach);
			return TRUE;
		}
		g_string_truncate(run, 0);
		if (inner != NULL && !optional && !repeated) {
			guint before = literals->len;
			/* The group's alternatives start where it does and
			 * end where it does: "\b(?:spoed|SEH)\b". */
			gboolean inner_end_boundary =
				(p + 1 < end && p[0] == '\\' && p[1] == 'b') ||
				(p >= end && word_end);

			if (add_alternatives(inner, inner_end, literals,
					     boundary_before,
					     inner_end_boundary)) {
				reach_after(literals, before, consumed_before);
				return TRUE;
			}
			g_ptr_array_remove_range(literals, before,
						 literals->len - before);
		} else if (inner != NULL && !optional) {
			guint before = literals->len;

			if (add_alternatives(inner, inner_end, literals, FALSE,
					     FALSE)) {
				reach_after(literals, before, consumed_before);
				return TRUE;
			}
			g_ptr_array_remove_range(literals, before,
						 literals->len - before);
		}
		boundary_before = FALSE;
		boundary_after = FALSE;
	}
	if (run->len >= REPORT_FILTER_MIN_LITERAL) {
		add_candidate(literals, run, run_word_start,
			      boundary_after || word_end, run_reach);
		return TRUE;
	}
	return FALSE;
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
	filters->buckets = g_ptr_array_new_with_free_func(
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
	g_ptr_array_unref(f->regexes);
	g_ptr_array_unref(f->buckets);
	g_free(f);
	*filters = NULL;
}

static guint
pair_key(const char *p)
{
	return ((guint)(guchar)p[0] << 8) | (guchar)p[1];
}

/* The bucket key of the literals that may start at p: table 0 for those
 * of two bytes, 1 for longer ones (p[2] may be the NUL at the end). */
static guint
bucket_key(const char *p, guint table)
{
	guint32 bytes = ((guint32)(guchar)p[0] << 16) |
			((guint32)(guchar)p[1] << 8) |
			(table == 1 ? (guchar)p[2] : 0);

	return (bytes * 2654435761u) >> 20 & (REPORT_FILTER_KEYS - 1);
}

/* The literals that may start at lower (lower-cased, with at least two
 * bytes readable after p[1]): up to two buckets in out, returns how
 * many. */
static inline guint
buckets_at(const struct report_filters *filters, const char *lower,
	   const GPtrArray *out[2])
{
	guint key = pair_key(lower), n = 0;

	if (!(filters->first_pairs[key / 8] & (1u << (key % 8))))
		return 0;
	for (guint table = 0; table < 2; table++) {
		guint index =
			filters->bucket_of_key[table][bucket_key(lower, table)];

		if (index != 0)
			out[n++] = filters->buckets->pdata[index - 1];
	}
	return n;
}

/* The slot of regex in filters->by_regex, or the empty one where it
 * would go. */
static guint
slot_of(const struct report_filters *filters, const GRegex *regex)
{
	guint slot = (guint)(((guintptr)regex >> 4) * 2654435761u) &
		     (REPORT_FILTER_SLOTS - 1);

	while (filters->by_regex[slot].regex != NULL &&
	       filters->by_regex[slot].regex != regex)
		slot = (slot + 1) & (REPORT_FILTER_SLOTS - 1);
	return slot;
}

guint
report_filter_index(const struct report_filters *filters, const GRegex *regex)
{
	return filters->by_regex[slot_of(filters, regex)].index;
}

void
report_filters_add(struct report_filters *filters, const GRegex *regex,
		   const char *pattern)
{
	g_autoptr(GPtrArray) prefixes =
		g_ptr_array_new_with_free_func(literal_candidate_free);
	guint index;

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
	filters->by_regex[slot_of(filters, regex)] =
		(struct filter_slot){regex, index + 1};
	g_ptr_array_add(filters->regexes, (gpointer)regex);
	for (guint i = 0; i < prefixes->len; i++) {
		const struct literal_candidate *c = prefixes->pdata[i];
		struct filter_literal *l = g_new0(struct filter_literal, 1);
		guint key, table;
		guint16 *slot;
		GPtrArray *bucket;

		l->text = g_strdup(c->text);
		l->length = strlen(l->text);
		l->word_start = c->word_start;
		l->word_end = c->word_end;
		l->reach = c->reach;
		memcpy(&l->head, l->text, MIN(l->length, sizeof(l->head)));
		memset(&l->head_mask, 0xff, MIN(l->length, sizeof(l->head)));
		l->filter = index;
		g_ptr_array_add(filters->literals, l);
		key = pair_key(l->text);
		filters->first_pairs[key / 8] |= (guint8)(1u << (key % 8));
		table = l->length > 2 ? 1 : 0;
		slot = &filters->bucket_of_key[table]
					      [bucket_key(l->text, table)];
		if (*slot == 0) {
			g_ptr_array_add(filters->buckets, g_ptr_array_new());
			*slot = (guint16)filters->buckets->len;
		}
		bucket = filters->buckets->pdata[*slot - 1];
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

/* TRUE when the text has a character that matches an ASCII letter
 * caselessly: the byte-wise filter cannot rule anything out then. */
static gboolean
has_case_partner(const char *text)
{
	for (gsize i = 0; i < G_N_ELEMENTS(ascii_case_partners); i++)
		if (strstr(text, ascii_case_partners[i]) != NULL)
			return TRUE;
	return FALSE;
}

/* The text lower-cased byte by byte, with four NUL bytes after it so
 * that four bytes can be read at every position.  Returns a new buffer;
 * its text length goes to *length. */
static char *
lowered_padded(const char *text, gsize *length)
{
	gsize n = strlen(text);
	char *lower = g_malloc0(n + sizeof(guint32));

	for (gsize i = 0; i < n; i++)
		lower[i] = lower_byte(text[i]);
	*length = n;
	return lower;
}

static void
set_all(struct filter_hits *hits, guint count, enum filter_state state)
{
	memset(hits->state, state, MAX(count, 1));
}

/* Lists literal l as found at lower[i] (word: the four bytes there)
 * when it is. */
static void
note_occurrence(struct filter_hits *hits, const struct filter_literal *l,
		const char *lower, gsize length, gsize i, guint32 word)
{
	guint f = l->filter;
	struct filter_occurrence *o;
	gboolean cut_before, cut_after;

	if ((word & l->head_mask) != l->head ||
	    hits->state[f] == FILTER_ANYWHERE || l->length > length - i ||
	    (l->length > sizeof(word) &&
	     memcmp(lower + i + sizeof(word), l->text + sizeof(word),
		    l->length - sizeof(word)) != 0))
		return;
	/* "\bER\b" in "server": only a subject cut right there can see
	 * a word boundary. */
	cut_before = l->word_start && i > 0 && is_word_byte(lower[i - 1]);
	cut_after = l->word_end && is_word_byte(lower[i + l->length]);
	if (!cut_before && !cut_after)
		hits->whole[f] = TRUE;
	if (hits->count[f] >= REPORT_FILTER_MAX_OCCURRENCES) {
		/* Not listed: it may match anywhere. */
		hits->state[f] = FILTER_ANYWHERE;
		hits->whole[f] = TRUE;
		hits->earliest[f] = 0;
		return;
	}
	hits->earliest[f] =
		MIN(hits->earliest[f], l->reach < i ? i - l->reach : 0);
	hits->state[f] = FILTER_LISTED;
	hits->count[f]++;
	if (hits->n_occurrences == hits->occurrences_size) {
		hits->occurrences_size *= 2;
		hits->occurrences =
			g_renew(struct filter_occurrence, hits->occurrences,
				hits->occurrences_size);
	}
	o = &hits->occurrences[hits->n_occurrences];
	*o = (struct filter_occurrence){
		i,	    i + l->length, hits->head[f],
		cut_before, cut_after,	   l->reach};
	hits->head[f] = (gint)hits->n_occurrences++;
}

struct filter_hits *
report_filters_scan(const struct report_filters *filters, const char *text)
{
	struct filter_hits *hits = g_new0(struct filter_hits, 1);
	guint n = MAX(filters->count, 1);
	g_autofree char *lower = NULL;
	gsize length;

	/* One block for the per-filter arrays (earliest owns it): the
	 * block is freed with the hits. */
	hits->earliest = g_malloc(n * (sizeof(gsize) + sizeof(gint) + 3));
	hits->head = (gint *)(hits->earliest + n);
	hits->state = (guint8 *)(hits->head + n);
	hits->count = hits->state + n;
	hits->whole = hits->count + n;
	memset(hits->state, 0, 3 * (gsize)n);
	for (guint f = 0; f < n; f++)
		hits->earliest[f] = G_MAXSIZE;
	for (guint f = 0; f < n; f++)
		hits->head[f] = -1;
	/* Room for what a mail usually has: growing costs more than the
	 * scan. */
	hits->occurrences_size = 128;
	hits->occurrences =
		g_new(struct filter_occurrence, hits->occurrences_size);
	if (has_case_partner(text)) {
		set_all(hits, n, FILTER_ANYWHERE);
		memset(hits->whole, TRUE, n);
		memset(hits->earliest, 0, n * sizeof(gsize));
		return hits;
	}
	lower = lowered_padded(text, &length);
	for (gsize i = 0; i + 1 < length; i++) {
		const GPtrArray *buckets[2];
		guint found = buckets_at(filters, lower + i, buckets);
		guint32 word;

		if (found == 0)
			continue;
		memcpy(&word, lower + i, sizeof(word));
		for (guint k = 0; k < found; k++)
			for (guint b = 0; b < buckets[k]->len; b++)
				note_occurrence(hits, buckets[k]->pdata[b],
						lower, length, i, word);
	}
	return hits;
}

void
report_filter_hits_free(struct filter_hits **hits)
{
	if (hits == NULL || *hits == NULL)
		return;
	/* state, count, whole and head live in the block of earliest. */
	g_free((*hits)->earliest);
	g_free((*hits)->occurrences);
	g_free(*hits);
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

	return index == 0 || hits->state[index - 1] != FILTER_NONE;
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
	return occurrence->start >= start && occurrence->end <= end &&
	       (!occurrence->cut_before || occurrence->start == start) &&
	       (!occurrence->cut_after || occurrence->end == end);
}

gboolean
report_may_match_in(const struct parse *parse, const GRegex *regex, gsize start,
		    gsize end)
{
	guint index = filter_of(parse, regex);
	const struct filter_hits *hits = parse->hits;

	if (index == 0 || hits->state[index - 1] == FILTER_ANYWHERE)
		return TRUE;
	for (gint o = hits->head[index - 1]; o >= 0;) {
		const struct filter_occurrence *occurrence =
			&hits->occurrences[o];

		if (occurrence_fits(occurrence, start, end))
			return TRUE;
		o = occurrence->next;
	}
	return FALSE;
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
	for (const char *p = text; *p != '\0'; p++) {
		const char *prev;
		gsize at;

		if ((*p != '-' && *p != '/' && *p != '.') || p == text)
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
	 * after it. */
	while (i < end && text[i] != '\0' && !may_be_digit(text + i)) {
		i++;
		while (i < end && ((guchar)text[i] & 0xc0) == 0x80)
			i++;
	}
	if (i >= end || text[i] == '\0')
		return G_MAXSIZE;
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

guint
report_filters_which_may_match(const struct report_filters *filters,
			       const GRegex *const *regexes, guint n,
			       const char *text)
{
	guint index[32];
	guint all, found = 0;
	g_autofree char *lower = NULL;
	gsize length;

	g_return_val_if_fail(n > 0 && n <= G_N_ELEMENTS(index), 0);
	all = n == 32 ? ~0u : (1u << n) - 1;
	for (guint r = 0; r < n; r++) {
		index[r] = report_filter_index(filters, regexes[r]);
		if (index[r] == 0)
			found |= 1u << r;
	}
	if (found == all || has_case_partner(text))
		return all;
	lower = lowered_padded(text, &length);
	for (gsize i = 0; i + 1 < length; i++) {
		const GPtrArray *buckets[2];
		guint nb = buckets_at(filters, lower + i, buckets);

		for (guint k = 0; k < nb; k++) {
			for (guint b = 0; b < buckets[k]->len; b++) {
				const struct filter_literal *l =
					buckets[k]->pdata[b];
				guint r = 0;

				while (r < n && ((found >> r & 1) ||
						 l->filter + 1 != index[r]))
					r++;
				if (r == n || l->length > length - i ||
				    memcmp(lower + i, l->text, l->length) != 0)
					continue;
				if (l->word_start && i > 0 &&
				    is_word_byte(lower[i - 1]))
					continue;
				if (l->word_end &&
				    is_word_byte(lower[i + l->length]))
					continue;
				found |= 1u << r;
				if (found == all)
					return all;
			}
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
	if (hits->state[index - 1] == FILTER_LISTED)
		*offset = back_to_character(text, hits->earliest[index - 1]);
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
	if (index == 0 || hits->state[index - 1] == FILTER_ANYWHERE)
		return TRUE;
	for (gint o = hits->head[index - 1]; o >= 0;) {
		const struct filter_occurrence *occurrence =
			&hits->occurrences[o];

		if (occurrence_fits(occurrence, start, end)) {
			gsize reach = occurrence->reach;

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
