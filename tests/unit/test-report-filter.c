/* test-report-filter.c — the report parser's literal filters
 * (parsers/report-filter.c): which prefixes a pattern yields, and that a
 * filter never rules out a pattern that matches: every filtered pattern
 * of the real parser is run against the corpus texts, their clauses and
 * hand-made texts (upper case, Kelvin sign, long s), and wherever the
 * pattern matches, the filter must have said it may. */
#include <string.h>

#include "report-internal.h"

struct prefix_case {
	const char *pattern;
	/* prefixes joined by '|', NULL: no filter; "<" before a prefix
	 * that wants a word boundary before it, ">" after one that wants
	 * one after it */
	const char *want;
};

static const struct prefix_case prefix_cases[] = {
	{"ransomware|ransom ?(?:note|demand)", "ransomware|ransom"},
	{"\\bconti\\b|Ryuk", "<conti>|ryuk"},
	{"servers?|drives?", "server|drive"},
	{"cancel+ed", "cancel"},
	{"l+ed", "ed"},
	{"(?:files|data) (?:\\S+ ){0,3}encrypted", "files|data"},
	{"\\b(?:spoed|SEH)\\b", "<spoed>|<seh>"},
	{"A&E|ER", "a&e|er"},
	{"(?:^|[\\s(])\\.lockbit\\w*", "lockbit"},
	{"\\b\\w{16,56}\\.onion\\b", "onion>"},
	{"[\\w-]*(?:README|DECRYPT)[\\w-]*\\.txt", "readme|decrypt"},
	{"(?:ab)?cd", "cd"},
	{"[ab]cd", "cd"},
	{"(?=abc)abc", "abc"},
	{"ab(?=x)cd", "abcd"},
	{"(?<h>2[0-3]|1\\d)uur", "uur"},
	{"Lösegeld|losgeld", "segeld|losgeld"},
	{"a\\.b", NULL},
	{"x|yz", NULL},
	{"(?:x|yz)", NULL},
	{"(?i:abc)", "abc"},
	{"(?i)abc", NULL},
	{"(?x:a b)", NULL},
	{"(?im:abc)", NULL},
	/* Word boundaries: only right beside the literal, and only where
	 * the literal's end is a word character. */
	{"\\bER\\b|A&E", "<er>|a&e"},
	{"\\b(?:patient care|\\bOK\\b|OPs?)\\b", "<patient care>|<ok>|<op"},
	{"\\bab(?:x|y)", "<ab"},
	{"\\ba(?:bc|de)", "bc|de"},
	{"\\b(?:ab)?cd\\b", "cd>"},
	{"\\b?abc\\b?", "abc"},
	{"\\bab+\\b", "<ab"},
	{"\\b-ab\\b", "-ab>"},
	{"ab\\b-", "ab-"},
	{"ab\\bcd", "abcd"},
	{"\\b(?:ab|cd)+\\b", "ab|cd"},
	{"\\b(ab|cd)", "<ab|<cd"},
	{"(?:\\b(?:ab|cd))|(?:ef)\\b", "<ab|<cd|ef>"},
	{"\\Bab\\B", "ab"},
	{"(?x)a b c", NULL},
	{"abc|", NULL},
	{"(?!)", NULL},
	{"[a|b]", NULL},
	{"[[:alpha:]ab]cd", NULL},
	{"\\x41BC|\\cAB", NULL},
	{"\\pLab|\\101bc", NULL},
	{"\\x{a0}abc|\\p{L}de", "abc|de"},
};

/* The C prerequisites of the patterns without literals. */
struct digits_case {
	const char *text;
	guint run;
	gboolean want;
};

static const struct digits_case digits_cases[] = {
	{"", 1, FALSE},
	{"", 0, TRUE},
	{"geen cijfers hier", 1, FALSE},
	{"om 7u", 1, TRUE},
	{"12 34", 3, FALSE},
	{"B-1234 Gent", 4, TRUE},
	{"1234", 5, FALSE},
	/* Accents, curly quotes, dashes: no digits. */
	{"é’—… Liège Köln", 1, FALSE},
	/* Unicode digits: PCRE2's \d takes them. */
	{"\xD9\xA3", 1, TRUE},		       /* ARABIC-INDIC DIGIT THREE */
	{"\xEF\xBC\x91\xEF\xBC\x92", 2, TRUE}, /* fullwidth 12 */
	{"1\xEF\xBC\x92", 2, TRUE},
	/* Broken UTF-8 is no digit. */
	{"\xff\xfe\xC3", 1, FALSE},
};

struct date_case {
	const char *text;
	gboolean want;
};

static const struct date_case date_cases[] = {
	{"", FALSE},
	{"2026-03-02", TRUE},
	{"op 2/3 om 7u", TRUE},
	{"7.30", TRUE},
	{"-/. a-b x. 7 -", FALSE},
	{"\xD9\xA1/", TRUE}, /* ARABIC-INDIC DIGIT ONE, "/" */
	{"é-ß/’.", FALSE},
	{"\xff-", FALSE},
};

static void
test_prerequisites(void)
{
	g_autoptr(GString) long_text = g_string_new(NULL);

	for (gsize i = 0; i < G_N_ELEMENTS(digits_cases); i++) {
		const struct digits_case *c = &digits_cases[i];

		g_test_message("digits case %zu", i);
		g_assert_cmpint(report_text_may_hold_digits(
					c->text, 0, strlen(c->text), c->run),
				==, c->want);
	}
	for (gsize i = 0; i < G_N_ELEMENTS(date_cases); i++) {
		g_test_message("date case %zu", i);
		g_assert_cmpint(report_text_may_hold_date(date_cases[i].text),
				==, date_cases[i].want);
	}
	/* The range is honoured, and long text is no problem. */
	g_assert_false(report_text_may_hold_digits("ab7", 0, 2, 1));
	g_assert_true(report_text_may_hold_digits("ab7", 2, 3, 1));
	for (int i = 0; i < 100000; i++)
		g_string_append(long_text, "é-");
	g_assert_false(report_text_may_hold_digits(long_text->str, 0,
						   long_text->len, 1));
	g_assert_false(report_text_may_hold_date(long_text->str));
	g_string_append(long_text, "2026-03-02");
	g_assert_true(report_text_may_hold_digits(long_text->str, 0,
						  long_text->len, 4));
	g_assert_true(report_text_may_hold_date(long_text->str));
}

/* A literal as "<text>", with < and > where it wants a word boundary. */
static void
append_bounds(GString *out, const struct filter_literal *l)
{
	if (l->word_start)
		g_string_append_c(out, '<');
	g_string_append(out, l->text);
	if (l->word_end)
		g_string_append_c(out, '>');
}

/* A literal as "text@reach", "text@-" when unbounded. */
static void
append_reach(GString *out, const struct filter_literal *l)
{
	if (l->reach == G_MAXSIZE)
		g_string_append_printf(out, "%s@-", l->text);
	else
		g_string_append_printf(out, "%s@%zu", l->text, l->reach);
}

/* The literals the filter takes from pattern, each written by append and
 * joined with "|"; NULL when the pattern gets no filter. */
static char *
literals_of(const char *pattern,
	    void (*append)(GString *, const struct filter_literal *))
{
	struct report_filters *filters = report_filters_new();
	GString *out = g_string_new(NULL);
	char *result;

	/* The pattern string itself stands in for a GRegex: only its
	 * address is used as the key. */
	report_filters_add(filters, (const GRegex *)pattern, pattern);
	for (guint i = 0; i < filters->literals->len; i++) {
		if (out->len > 0)
			g_string_append_c(out, '|');
		append(out, filters->literals->pdata[i]);
	}
	result = filters->count > 0 ? g_strdup(out->str) : NULL;
	g_string_free(out, TRUE);
	report_filters_free(&filters);
	return result;
}

static char *
prefixes_of(const char *pattern)
{
	return literals_of(pattern, append_bounds);
}

/* How far before its literal a match may start: "literal@bytes",
 * "literal@-" when unbounded. */
static const struct prefix_case reach_cases[] = {
	{"ransomware|ransom ?(?:note|demand)", "ransomware@0|ransom@0"},
	{"\\bconti\\b", "conti@0"},
	{"(?:^|[\\s(*\"'])\\.(?:lockbit\\w*|locked)", "lockbit@8|locked@8"},
	{"(?:files|data) (?:\\S+ ){0,3}encrypted", "files@0|data@0"},
	{"\\b\\w{16,56}\\.onion\\b", "onion@228"},
	{"[\\w-]*(?:README|DECRYPT)", "readme@-|decrypt@-"},
	{"\\p{Lu}[\\p{L}']+ziekenhuis", "ziekenhuis@-"},
	{"(?:St\\.?|Sint)?[ \\t-]+AZ", "az@-"},
	{"(?:St\\.?|Sint)?[ \\t-]{1,2}AZ", "az@14"},
	{"é?ab", "ab@8"},
	{"(?<![\\w+])(?:\\+|00)x{2}yy", "yy@6"},
	{"(?=abc)abc|(?<!x)de", "abc@0|de@0"},
	{"(?<h>2[0-3]|1\\d)uur", "uur@5"},
	{"(?i:\\b(?:in|te)\\b)[ \\t]+(?:(?i:campus)[ \\t]+)?\\b(Gent|Aalst)\\b",
	 "in@0|te@0"},
	{"a(?:b|cd)?(?:ef|gh)", "ef@3|gh@3"},
	{"\\X?ab|\\R?cd", "ab@-|cd@-"},
};

static char *
reaches_of(const char *pattern)
{
	return literals_of(pattern, append_reach);
}

static void
test_reach(void)
{
	for (gsize i = 0; i < G_N_ELEMENTS(reach_cases); i++) {
		g_autofree char *got = reaches_of(reach_cases[i].pattern);

		g_test_message("%s", reach_cases[i].pattern);
		g_assert_cmpstr(got, ==, reach_cases[i].want);
	}
}

static void
test_prefixes(void)
{
	for (gsize i = 0; i < G_N_ELEMENTS(prefix_cases); i++) {
		g_autofree char *got = prefixes_of(prefix_cases[i].pattern);

		g_test_message("%s", prefix_cases[i].pattern);
		g_assert_cmpstr(got, ==, prefix_cases[i].want);
	}
}

/* Every regex of the parser that has a filter. */
static GPtrArray *
filtered_regexes(const struct report_parser *parser)
{
	GPtrArray *regexes = g_ptr_array_new();

	for (guint i = 0; i < parser->filters->regexes->len; i++) {
		const GRegex *regex = parser->filters->regexes->pdata[i];

		g_assert_cmpuint(report_filter_index(parser->filters, regex),
				 ==, i + 1);
		g_ptr_array_add(regexes, (gpointer)regex);
	}
	return regexes;
}

/* For text and each piece of it between ",.;\n": a filtered regex that
 * matches there must be one the filter keeps for that range. */
static void
same_first_match(const GRegex *regex, const char *text, gsize offset)
{
	gsize start = 0, end = 0, from_start = 0, from_end = 0;
	gboolean found = report_regex_first(regex, text, &start, &end);
	gboolean found_from = report_regex_first_from(regex, text, offset,
						      &from_start, &from_end);

	if (found != found_from || start != from_start || end != from_end)
		g_error("searching /%s/ from %zu finds another first match "
			"in \"%.80s\"",
			g_regex_get_pattern(regex), offset, text);
}

/* Every match of regex in text[0, length), searched from start and
 * from offset, must be the same: a later start loses no match. */
static void
same_matches(const GRegex *regex, const char *text, gsize length, gsize start,
	     gsize offset)
{
	g_autoptr(GMatchInfo) all = NULL;
	g_autoptr(GMatchInfo) later = NULL;
	gboolean a = g_regex_match_full(regex, text, (gssize)length,
					(gint)start, 0, &all, NULL);
	gboolean b = g_regex_match_full(regex, text, (gssize)length,
					(gint)offset, 0, &later, NULL);

	while (a || b) {
		int s1 = -1, e1 = -1, s2 = -1, e2 = -1;

		if (a)
			g_match_info_fetch_pos(all, 0, &s1, &e1);
		if (b)
			g_match_info_fetch_pos(later, 0, &s2, &e2);
		if (a != b || s1 != s2 || e1 != e2)
			g_error("searching /%.40s/ from %zu loses a match "
				"of [%zu, %zu) in \"%.80s\"",
				g_regex_get_pattern(regex), offset, start,
				length, text + start);
		a = g_match_info_next(all, NULL);
		b = g_match_info_next(later, NULL);
	}
}

/* The time pattern has no literal: its searches start where
 * report_time_search_from() says, also in windows of the text. */
static void
check_time_search(const struct report_parser *parser, const char *text)
{
	gsize length = strlen(text);

	for (gsize lo = 0; lo < length; lo += 29) {
		for (gsize hi = length; hi > lo; hi = hi > 97 ? hi - 97 : 0) {
			gsize a = lo, b = hi, from;

			while (a < b && ((guchar)text[a] & 0xc0) == 0x80)
				a++;
			while (b > a && ((guchar)text[b] & 0xc0) == 0x80)
				b--;
			from = report_time_search_from(text, a, b);
			if (from == G_MAXSIZE)
				g_assert_false(g_regex_match_full(
					parser->time, text, (gssize)b, (gint)a,
					0, NULL, NULL));
			else
				same_matches(parser->time, text, b, a, from);
		}
	}
}

static void
check_text(const struct report_parser *parser, GPtrArray *regexes,
	   const char *text)
{
	struct parse parse = {.parser = parser, .text = (char *)text};
	gsize length = strlen(text);

	parse.hits = report_filters_scan(parser->filters, text);
	/* The C prerequisites of the patterns without literals. */
	if (g_regex_match(parser->time, text, 0, NULL))
		g_assert_true(report_text_may_hold_digits(text, 0, length, 1));
	if (g_regex_match(parser->absolute_date, text, 0, NULL))
		g_assert_true(report_text_may_hold_date(text));
	if (g_regex_match(parser->postal_city, text, 0, NULL))
		g_assert_true(report_text_may_hold_digits(text, 0, length, 4));
	if (g_regex_match(parser->phone, text, 0, NULL))
		g_assert_nonnull(strpbrk(text, "+0"));
	/* ... and where their searches may start. */
	check_time_search(parser, text);
	if (report_date_search_from(text) != G_MAXSIZE)
		same_first_match(parser->absolute_date, text,
				 report_date_search_from(text));
	else
		g_assert_false(
			g_regex_match(parser->absolute_date, text, 0, NULL));
	if (report_phone_search_from(text) != G_MAXSIZE)
		same_first_match(parser->phone, text,
				 report_phone_search_from(text));
	else
		g_assert_false(g_regex_match(parser->phone, text, 0, NULL));
	if (report_email_search_from(text) != G_MAXSIZE)
		same_first_match(parser->email, text,
				 report_email_search_from(text));
	else
		g_assert_false(g_regex_match(parser->email, text, 0, NULL));
	for (guint r = 0; r < regexes->len; r++) {
		const GRegex *regex = regexes->pdata[r];
		gsize start = 0;

		gsize offset;

		/* Searching from where the filter says a match may start
		 * finds the same first match. */
		if (report_filters_search_from(parser->filters, parse.hits,
					       regex, text, &offset))
			same_first_match(regex, text, offset);
		if (g_regex_match(regex, text, 0, NULL) &&
		    (!report_may_match(&parse, regex) ||
		     !report_may_match_whole(&parse, regex) ||
		     !report_filters_may_match_string(parser->filters, regex,
						      text)))
			g_error("filter ruled out /%s/, which matches "
				"\"%.80s\"",
				g_regex_get_pattern(regex), text);
		while (start <= length) {
			gsize end = start + strcspn(text + start, ",.;\n");
			g_autofree char *piece =
				g_strndup(text + start, end - start);

			if (report_search_from(&parse, regex, start, end,
					       &offset))
				same_first_match(regex, piece, offset);

			if (g_regex_match(regex, piece, 0, NULL) &&
			    (!report_may_match_in(&parse, regex, start, end) ||
			     !report_filters_may_match_string(parser->filters,
							      regex, piece)))
				g_error("filter ruled out /%s/, which matches "
					"\"%.80s\"",
					g_regex_get_pattern(regex), piece);
			start = end + 1;
		}
		/* Windows that begin and end inside words, as the
		 * negation window before a match does. */
		for (gsize from = 0; from < length; from += 37) {
			gsize to = MIN(length, from + 28);
			g_autofree char *window = NULL;

			while (from < length &&
			       ((guchar)text[from] & 0xc0) == 0x80)
				from++;
			while (to < length && ((guchar)text[to] & 0xc0) == 0x80)
				to++;
			if (from >= to)
				continue;
			window = g_strndup(text + from, to - from);
			if (report_search_from(&parse, regex, from, to,
					       &offset))
				same_first_match(regex, window, offset);
			else if (g_regex_match(regex, window, 0, NULL))
				g_error("filter ruled out /%s/, which matches "
					"\"%s\"",
					g_regex_get_pattern(regex), window);
		}
	}
	report_filter_hits_free(&parse.hits);
}

static const char *const hand_made[] = {
	"RANSOMWARE OP DE FILESERVER, SPOED LIGT STIL",
	"Ransomware; Backups: ONDUIDELIJK",
	"ransom\xC5\xBF"
	"are (long s), \xE2\x84\xAA"
	"onti (Kelvin sign)",
	"\xC4\xB0"
	"nfected, \xC4\xB1"
	"nfected",
	"Die Dateien sind VERSCHLÜSSELT, die Notaufnahme ist geschlossen.",
	"Les serveurs sont CHIFFRÉS depuis hier soir, pas de sauvegarde.",
	/* Word boundaries: cut inside words by the pieces below, beside
	 * digits, '_', accents and curly quotes. */
	"ServER,ER;xER.ERx\nER_ER 7ER ER7 éER ERé ’ER’ (ER) OK,OKé",
	"AZ Gent,xAZ Gent;CHU de Liège.CHUx\n_AZ_ EPD,EPDs,KIS.ISKIS",
	"Klinikum,Universitätsklinikum;Marienhospital.Gent,Gentbrugge",
	"Met vriendelijke groet,\nJan Peeters\nIT-Dienst AZ Voorbeeld",
	"Sinds 14/03/2026 om 7u30, 2026-03-02T07:00, \xD9\xA1/\xD9\xA2/2026",
	"B-9000 Gent, +32 475 55 01 23, \xEF\xBC\x91\xEF\xBC\x92:30",
	"Bel (0)475 55 01 23 of 0032 475 55 01 23; ICT: \xE2\x84\xAAlaas."
	"Peeters@az-voorbeeld.be, 2026-03-02, 02.03.26 \xD9\xA1\xD9\xA2-3",
	/* Times: words, dots, tabs, other cases and Unicode digits before
	 * the hour. */
	"(vanaf\tca. 7u), ONGEVEER OM 7, \xC5\xBF"
	"ince 22h, D\xC3\x88S 8H, \xC3\x80 9h30",
	"x,around about 10:15;rond 7.30!7,8 \xD9\xA3 pm (7am) 13/8 um 6 Uhr",
	"",
};

/* Where a search for a time may start: the first character \d may
 * match, less the words, dots and blanks before it. */
struct time_case {
	const char *text;
	gsize start, end; /* G_MAXSIZE: the text's length */
	gsize want;	  /* G_MAXSIZE: no digit */
};

static const struct time_case time_cases[] = {
	{"", 0, G_MAXSIZE, G_MAXSIZE},
	{"geen cijfers", 0, G_MAXSIZE, G_MAXSIZE},
	{"om 7u", 0, G_MAXSIZE, 0},
	{"x, om 7u", 0, G_MAXSIZE, 2},
	{"x, om 7u", 4, G_MAXSIZE, 4},
	{"x, om 7u", 0, 6, G_MAXSIZE},
	{"(vanaf\tca. 7u)", 0, G_MAXSIZE, 1},
	{"ab-cd 12:30", 0, G_MAXSIZE, 3},
	{"\xC3\xA0 9h30", 0, G_MAXSIZE, 0}, /* "à 9h30" */
	{"x-\xD9\xA3 pm", 0, G_MAXSIZE, 2}, /* ARABIC-INDIC THREE */
	{"x-\xEF\xBC\x91\xEF\xBC\x92", 0, G_MAXSIZE, 2}, /* fullwidth 12 */
	{"x-\xC3\xA9\xC3\xA9", 0, G_MAXSIZE, G_MAXSIZE}, /* no digit */
	{"x-a\x80\x80"
	 "7",
	 0, G_MAXSIZE, 2}, /* stray continuations */
	{"7", 1, G_MAXSIZE, G_MAXSIZE},
};

static void
test_time_search(void)
{
	for (gsize i = 0; i < G_N_ELEMENTS(time_cases); i++) {
		const struct time_case *c = &time_cases[i];
		gsize end = c->end == G_MAXSIZE ? strlen(c->text) : c->end;

		g_test_message("time case %zu", i);
		g_assert_cmpuint(
			report_time_search_from(c->text, c->start, end), ==,
			c->want);
	}
}

/* --- the scan against a plain reading of what it promises ------------ */

/* What the scan must find for one filter, found the slow way: every
 * literal compared at every place of the lower-cased text. */
struct reference_occurrence {
	gsize start, end, reach;
	gboolean cut_before, cut_after;
	gsize fits_from; /* the earliest start of a subject it fits */
};

struct reference_filter {
	guint count;
	gboolean anywhere, whole;
	gsize earliest;
	struct reference_occurrence occurrences[REPORT_FILTER_MAX_OCCURRENCES];
};

static gboolean
word_byte(char c)
{
	return g_ascii_isalnum(c) || c == '_';
}

static gboolean
has_case_partner(const char *text)
{
	return strstr(text, "\xC5\xBF") != NULL ||
	       strstr(text, "\xE2\x84\xAA") != NULL ||
	       strstr(text, "\xC4\xB0") != NULL ||
	       strstr(text, "\xC4\xB1") != NULL;
}

/* Whether PCRE2's \s may match every character of text[0, at): ASCII
 * white space, or a non-ASCII character. */
static gboolean
space_byte(char c)
{
	return (guchar)c >= 0x80 || strchr(" \t\n\v\f\r", c) != NULL;
}

static gboolean
only_space(const char *text, gsize at)
{
	for (gsize i = 0; i < at; i++)
		if (!space_byte(text[i]))
			return FALSE;
	return TRUE;
}

static struct reference_filter *
reference_scan(const struct report_filters *filters, const char *text)
{
	struct reference_filter *ref =
		g_new0(struct reference_filter, MAX(filters->count, 1));
	g_autofree char *lower = g_ascii_strdown(text, -1);
	gsize length = strlen(text);

	for (guint f = 0; f < filters->count; f++) {
		ref[f].earliest = G_MAXSIZE;
		if (has_case_partner(text))
			ref[f].anywhere = ref[f].whole = TRUE;
	}
	for (guint k = 0; k < filters->literals->len; k++) {
		const struct filter_literal *l = filters->literals->pdata[k];
		struct reference_filter *r = &ref[l->filter];

		for (gsize i = 0; i + l->length <= length && !r->anywhere;
		     i++) {
			struct reference_occurrence o = {
				i, i + l->length, l->reach, FALSE, FALSE, 0};

			if (memcmp(lower + i, l->text, l->length) != 0)
				continue;
			o.cut_before = l->word_start && i > 0 &&
				       word_byte(lower[i - 1]);
			o.cut_after = l->word_end && word_byte(lower[o.end]);
			if (o.cut_before)
				o.fits_from = i;
			/* "^\s*if": white space (or non-ASCII) only
			 * between the subject's start and it. */
			if (l->anchored) {
				gsize space = i;

				while (space > 0 &&
				       space_byte(lower[space - 1]))
					space--;
				o.fits_from = MAX(o.fits_from, space);
				o.cut_before = o.fits_from > 0;
			}
			if (!o.cut_before && !o.cut_after)
				r->whole = TRUE;
			if (r->count == REPORT_FILTER_MAX_OCCURRENCES) {
				r->anywhere = r->whole = TRUE;
				continue;
			}
			r->earliest = MIN(r->earliest,
					  l->reach < i ? i - l->reach : 0);
			r->occurrences[r->count++] = o;
		}
	}
	return ref;
}

static gsize
character_start(const char *text, gsize at)
{
	while (at > 0 && ((guchar)text[at] & 0xc0) == 0x80)
		at--;
	return at;
}

/* The answers of report_search_from() and report_may_match_in() for
 * [start, end), from the reference. */
static gboolean
reference_search_from(const struct reference_filter *r, const char *text,
		      gsize start, gsize end, gsize *offset, gboolean *in)
{
	gsize earliest = G_MAXSIZE;

	*offset = 0;
	*in = r->anywhere;
	if (r->anywhere)
		return TRUE;
	for (guint k = 0; k < r->count; k++) {
		const struct reference_occurrence *o = &r->occurrences[k];

		if (o->start < start || o->end > end || start < o->fits_from ||
		    (o->cut_after && o->end != end))
			continue;
		*in = TRUE;
		earliest = MIN(earliest, o->reach < o->start - start
						 ? o->start - o->reach
						 : start);
	}
	if (earliest == G_MAXSIZE)
		return FALSE;
	earliest = character_start(text, earliest);
	*offset = earliest > start ? earliest - start : 0;
	return TRUE;
}

/* How many occurrences of each filter's literals have no word
 * character where the literal wants \b. */
static guint *
reference_standalone(const struct report_filters *filters, const char *text)
{
	guint *standalone = g_new0(guint, MAX(filters->count, 1));
	g_autofree char *lower = g_ascii_strdown(text, -1);
	gsize length = strlen(text);

	for (guint k = 0; k < filters->literals->len; k++) {
		const struct filter_literal *l = filters->literals->pdata[k];

		for (gsize i = 0; i + l->length <= length; i++)
			if (memcmp(lower + i, l->text, l->length) == 0 &&
			    !(l->word_start && i > 0 &&
			      word_byte(lower[i - 1])) &&
			    !(l->word_end && word_byte(lower[i + l->length])) &&
			    !(l->anchored && !only_space(lower, i)))
				standalone[l->filter]++;
	}
	return standalone;
}

/* The answer of report_filters_which_may_match() for regexes: each
 * such occurrence answers for one of them, in order. */
static guint
reference_which(const struct report_filters *filters,
		const GRegex *const *regexes, guint n, const char *text,
		const guint *standalone)
{
	g_autofree guint *left = g_memdup2(
		standalone, MAX(filters->count, 1) * sizeof(*standalone));
	guint found = 0;

	for (guint r = 0; r < n; r++) {
		guint index = report_filter_index(filters, regexes[r]);

		if (index == 0 || has_case_partner(text))
			found |= 1u << r;
		else if (left[index - 1] > 0 && left[index - 1]--)
			found |= 1u << r;
	}
	return found;
}

static void
check_scan(const struct report_parser *parser, GPtrArray *regexes,
	   const char *text)
{
	const struct report_filters *filters = parser->filters;
	g_autofree struct reference_filter *ref = reference_scan(filters, text);
	struct parse parse = {.parser = parser, .text = (char *)text};
	gsize length = strlen(text);
	/* A stand-in for a regex without a filter. */
	const GRegex *unfiltered = (const GRegex *)parser;
	g_autofree guint *standalone = NULL;

	parse.hits = report_filters_scan(filters, text);
	for (guint f = 0; f <= regexes->len; f++) {
		const GRegex *regex =
			f < regexes->len ? regexes->pdata[f] : unfiltered;
		struct reference_filter none = {.whole = TRUE,
						.anywhere = TRUE};
		const struct reference_filter *r =
			f < regexes->len ? &ref[f] : &none;
		gsize offset, want_offset;
		gboolean in;

		g_assert_cmpint(report_may_match(&parse, regex), ==,
				r->anywhere || r->count > 0);
		g_assert_cmpint(report_may_match_whole(&parse, regex), ==,
				r->whole);
		g_assert_cmpint(report_filters_search_from(filters, parse.hits,
							   regex, text,
							   &offset),
				==, r->whole);
		want_offset = r->anywhere || !r->whole
				      ? 0
				      : character_start(text, r->earliest);
		g_assert_cmpuint(offset, ==, want_offset);
		/* Ranges all over short texts, some over long ones. */
		for (gsize start = 0; start <= length;
		     start += 1 + start % 13 + length / 32) {
			for (gsize end = start; end <= length;
			     end += 1 + (end - start) / 2) {
				gboolean want = reference_search_from(
					r, text, start, end, &want_offset, &in);

				g_assert_cmpint(
					report_search_from(&parse, regex, start,
							   end, &offset),
					==, want);
				g_assert_cmpuint(offset, ==, want_offset);
				g_assert_cmpint(report_may_match_in(&parse,
								    regex,
								    start, end),
						==, in);
			}
		}
	}
	/* The same filters asked for at once, and twice the same. */
	standalone = reference_standalone(filters, text);
	for (guint f = 0; f + 4 <= regexes->len; f += 3) {
		const GRegex *some[5] = {
			regexes->pdata[f], regexes->pdata[f + 1], unfiltered,
			regexes->pdata[f + 2], regexes->pdata[f]};

		g_assert_cmpuint(
			report_filters_which_may_match(filters, some, 5, text),
			==,
			reference_which(filters, some, 5, text, standalone));
	}
	report_filter_hits_free(&parse.hits);
}

/* Texts made of the literals themselves, in any case, next to word
 * characters or not, many times over, with accents, case partners and
 * more bytes than the scan lowers on its stack. */
static char *
literal_text(const struct report_filters *filters, GRand *rand, guint words)
{
	static const char *const joins[] = {" ",  "",	"x", "_", "7",
					    ", ", "\n", "é", "’", "-"};
	GString *text = g_string_new(NULL);

	for (guint w = 0; w < words; w++) {
		const struct filter_literal *l =
			filters->literals->pdata[g_rand_int_range(
				rand, 0, filters->literals->len)];

		for (gsize k = 0; k < l->length; k++)
			g_string_append_c(text,
					  g_rand_boolean(rand)
						  ? g_ascii_toupper(l->text[k])
						  : l->text[k]);
		g_string_append(
			text,
			joins[g_rand_int_range(rand, 0, G_N_ELEMENTS(joins))]);
	}
	return g_string_free(text, FALSE);
}

static void
test_scan_is_exact(void)
{
	struct report_parser *parser = report_parser_new();
	g_autoptr(GPtrArray) regexes = filtered_regexes(parser);
	g_autoptr(GRand) rand = g_rand_new_with_seed(20260302);
	g_autoptr(GString) many = g_string_new(NULL);

	for (gsize i = 0; i < G_N_ELEMENTS(hand_made); i++)
		check_scan(parser, regexes, hand_made[i]);
	for (guint t = 0; t < 40; t++) {
		g_autofree char *text =
			literal_text(parser->filters, rand, 1 + t * t / 4);

		check_scan(parser, regexes, text);
	}
	/* More occurrences than are listed, and than the first block of
	 * them holds; a case partner at the end of a long text. */
	for (int i = 0; i < 40; i++)
		g_string_append(many, "Ransomware, ER Spoed. ");
	check_scan(parser, regexes, many->str);
	for (int i = 0; i < 200; i++)
		g_string_append(many, "verschlüsselt/CHIFFRÉS; ");
	check_scan(parser, regexes, many->str);
	g_string_append(many, "\xE2\x84\xAA");
	check_scan(parser, regexes, many->str);
	g_string_truncate(many, many->len - 1);
	check_scan(parser, regexes, many->str);
	report_parser_free(&parser);
}

static void
test_never_rules_out_a_match(void)
{
	struct report_parser *parser = report_parser_new();
	g_autoptr(GPtrArray) regexes = filtered_regexes(parser);
	const char *src = g_getenv("INTAKED_SRCDIR");
	const char *kinds[] = {"reports", "replies"};
	guint texts = 0;

	g_assert_cmpuint(regexes->len, >, 100);
	for (gsize i = 0; i < G_N_ELEMENTS(hand_made); i++, texts++)
		check_text(parser, regexes, hand_made[i]);
	for (gsize k = 0; k < G_N_ELEMENTS(kinds); k++) {
		g_autofree char *dir =
			g_build_filename(src != NULL ? src : ".", "tests",
					 "corpus", kinds[k], NULL);
		g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
		const char *name;

		g_assert_nonnull(d);
		while ((name = g_dir_read_name(d)) != NULL) {
			g_autofree char *path =
				g_build_filename(dir, name, NULL);
			g_autofree char *data = NULL;
			g_autofree char *upper = NULL;

			if (!g_str_has_suffix(name, ".eml") ||
			    !g_file_get_contents(path, &data, NULL, NULL) ||
			    !g_utf8_validate(data, -1, NULL))
				continue;
			upper = g_utf8_strup(data, -1);
			check_text(parser, regexes, data);
			check_text(parser, regexes, upper);
			texts += 2;
		}
	}
	g_test_message("%u texts, %u filtered patterns", texts, regexes->len);
	g_assert_cmpuint(texts, >, 150);
	report_parser_free(&parser);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/report-filter/prefixes", test_prefixes);
	g_test_add_func("/report-filter/prerequisites", test_prerequisites);
	g_test_add_func("/report-filter/reach", test_reach);
	g_test_add_func("/report-filter/time-search", test_time_search);
	g_test_add_func("/report-filter/scan-is-exact", test_scan_is_exact);
	g_test_add_func("/report-filter/never-rules-out-a-match",
			test_never_rules_out_a_match);
	return g_test_run();
}
