/* report-time.c — the report parser's time pattern ("om 7u", "7:30", "à
 * 8h", "at 7am") matched by hand, with exactly the matches PCRE2 finds.
 *
 * find_time() searches every clause with a digit and every day word's
 * surroundings; a GRegex search of this pattern (caseless, Unicode \b,
 * \d and \p{L}) costs thousands of instructions and a GMatchInfo, and
 * fetching its five groups as many copies.  The pattern is small and
 * its backtracking order is plain, so it is written out here: at each
 * start, the alternatives are tried in the order PCRE2 tries them, and
 * the first that gets through the end's lookaheads is the match.
 *
 * Only characters whose every property the pattern asks about is known
 * here are taken: ASCII, the Latin letters U+00C0 to U+024F (letters to
 * Unicode, word characters, no digits; × and ÷ are neither) and some
 * punctuation mails use (no-break space, quotes, dashes).  The long s,
 * the dotted and dotless I (which PCRE2 may match caselessly with an
 * ASCII letter) and every other character make report_time_scannable()
 * say no: the caller searches with the regex then. */
#include "report-internal.h"

/* What the pattern needs to know of a character. */
enum time_char_class {
	TC_END,	    /* the subject's end */
	TC_DIGIT,   /* an ASCII digit */
	TC_LETTER,  /* a letter: \w, \p{L} */
	TC_WORD,    /* '_': \w, not a letter */
	TC_OTHER,   /* none of those */
	TC_UNKNOWN, /* not known here */
};

struct time_char {
	enum time_char_class type;
	gunichar c;
	gsize length; /* bytes */
};

static gunichar
decode(const char *p, gsize *length)
{
	guchar b = (guchar)*p;

	if (b < 0x80) {
		*length = 1;
		return b;
	}
	if ((b & 0xe0) == 0xc0) {
		*length = 2;
		return ((gunichar)(b & 0x1f) << 6) | ((guchar)p[1] & 0x3f);
	}
	if ((b & 0xf0) == 0xe0) {
		*length = 3;
		return ((gunichar)(b & 0x0f) << 12) |
		       ((gunichar)((guchar)p[1] & 0x3f) << 6) |
		       ((guchar)p[2] & 0x3f);
	}
	*length = 4;
	return 0x110000; /* outside the table: unknown */
}

/* The character at text[at], the subject ending at end. */
static inline struct time_char
char_at(const char *text, gsize at, gsize end)
{
	struct time_char ch = {TC_END, 0, 0};
	gunichar c;

	if (at >= end)
		return ch;
	if ((guchar)text[at] < 0x80) {
		c = (guchar)text[at];
		ch.c = c;
		ch.length = 1;
		ch.type = g_ascii_isdigit(c)   ? TC_DIGIT
			  : g_ascii_isalpha(c) ? TC_LETTER
			  : c == '_'	       ? TC_WORD
					       : TC_OTHER;
		return ch;
	}
	c = decode(text + at, &ch.length);
	ch.c = c;
	if (c < 0x80)
		ch.type = g_ascii_isdigit(c)   ? TC_DIGIT
			  : g_ascii_isalpha(c) ? TC_LETTER
			  : c == '_'	       ? TC_WORD
					       : TC_OTHER;
	else if (c == 0x17f || c == 0x130 || c == 0x131)
		ch.type = TC_UNKNOWN;
	else if (c >= 0xc0 && c <= 0x24f)
		ch.type = c == 0xd7 || c == 0xf7 ? TC_OTHER : TC_LETTER;
	else if (c == 0xa0 || c == 0xab || c == 0xbb || c == 0xb0 ||
		 c == 0x2013 || c == 0x2014 || c == 0x2018 || c == 0x2019 ||
		 c == 0x201c || c == 0x201d || c == 0x2026 || c == 0x20ac)
		ch.type = TC_OTHER;
	else
		ch.type = TC_UNKNOWN;
	return ch;
}

/* The start of the character before text[at] (at > 0). */
static gsize
previous_start(const char *text, gsize at)
{
	do
		at--;
	while (at > 0 && ((guchar)text[at] & 0xc0) == 0x80);
	return at;
}

static struct time_char
char_before(const char *text, gsize at, gsize end)
{
	struct time_char none = {TC_END, 0, 0};

	return at == 0 ? none : char_at(text, previous_start(text, at), end);
}

gboolean
report_time_scannable(const char *text, gsize from, gsize end)
{
	gsize at = from > 0 ? previous_start(text, from) : 0;

	while (at < end) {
		struct time_char ch;

		if ((guchar)text[at] < 0x80) {
			at++;
			continue;
		}
		ch = char_at(text, at, end);
		if (ch.type == TC_UNKNOWN)
			return FALSE;
		at += ch.length;
	}
	return TRUE;
}

static gboolean
is_word(enum time_char_class type)
{
	return type == TC_DIGIT || type == TC_LETTER || type == TC_WORD;
}

/* The bytes of word (lower-case ASCII, or "à", "dès") at text[at],
 * compared caselessly, before end; 0 when it is not there. */
static gsize
word_at(const char *text, gsize at, gsize end, const char *word)
{
	gsize i = 0;

	/* Most words differ at once. */
	if ((guchar)*word < 0x80 && (guchar)text[at] < 0x80 &&
	    g_ascii_tolower(text[at]) != *word)
		return 0;
	for (const char *w = word; *w != '\0';) {
		struct time_char ch = char_at(text, at + i, end);
		gunichar want = (guchar)*w;
		gsize want_length = 1;

		if (want >= 0x80)
			want = decode(w, &want_length);
		if (ch.type == TC_END)
			return 0;
		if (want < 0x80) {
			if (ch.c >= 0x80 ||
			    g_ascii_tolower((gchar)ch.c) != (gchar)want)
				return 0;
		} else if (ch.c != want && ch.c != want - 0x20) {
			/* "à", "è": their capitals stand 0x20 below. */
			return 0;
		}
		i += ch.length;
		w += want_length;
	}
	return i;
}

static gsize
blanks_at(const char *text, gsize at, gsize end)
{
	gsize i = at;

	while (i < end && (text[i] == ' ' || text[i] == '\t'))
		i++;
	return i - at;
}

static void
set_group(int *group, gsize start, gsize end)
{
	group[0] = (int)start;
	group[1] = (int)end;
}

static void
unset_group(int *group)
{
	group[0] = group[1] = -1;
}

/* The end of the pattern: "(?![\d/.]\d)(?!\p{L})" at at. */
static gboolean
tail_holds(const char *text, gsize at, gsize end)
{
	struct time_char ch = char_at(text, at, end);

	if (ch.type == TC_LETTER)
		return FALSE;
	if (ch.type == TC_DIGIT || ch.c == '/' || ch.c == '.') {
		if (char_at(text, at + ch.length, end).type == TC_DIGIT)
			return FALSE;
	}
	return TRUE;
}

static const char *const units[] = {
	"a.m.", "p.m.", "am", "pm", "uur", "heures", "heure", "uhr",
};

/* The pattern from the hour on, the hour at text[at]; the match's end
 * and groups go to *match. */
static gboolean
match_from_hour(const char *text, gsize at, gsize end,
		struct report_time_match *match)
{
	struct time_char before = char_before(text, at, end);
	gsize hours[2];
	guint n_hours = 0;
	struct time_char c0, c1;

	/* (?<![\d:.,/-]) */
	if (before.type == TC_DIGIT || before.c == ':' || before.c == '.' ||
	    before.c == ',' || before.c == '/' || before.c == '-')
		return FALSE;
	c0 = char_at(text, at, end);
	if (c0.type != TC_DIGIT)
		return FALSE;
	c1 = char_at(text, at + 1, end);
	/* 2[0-3](?!\d), then [01]?\d(?!\d) with and without the [01] */
	if (c0.c == '2' && c1.c >= '0' && c1.c <= '3' &&
	    char_at(text, at + 2, end).type != TC_DIGIT)
		hours[n_hours++] = at + 2;
	if ((c0.c == '0' || c0.c == '1') && c1.type == TC_DIGIT &&
	    char_at(text, at + 2, end).type != TC_DIGIT)
		hours[n_hours++] = at + 2;
	if (c1.type != TC_DIGIT)
		hours[n_hours++] = at + 1;
	for (guint h = 0; h < n_hours; h++) {
		gsize after_hour = hours[h];
		struct time_char sep = char_at(text, after_hour, end);
		gboolean has_sep =
			sep.c < 0x80 && (sep.c == ':' || sep.c == '.' ||
					 g_ascii_tolower((gchar)sep.c) == 'h' ||
					 g_ascii_tolower((gchar)sep.c) == 'u');
		/* (sep, m) choices in PCRE2's order: sep with minutes, sep
		 * alone, neither. */
		for (int choice = 0; choice < 3; choice++) {
			gsize r = after_hour;
			gsize blanks;

			if (choice < 2) {
				if (!has_sep)
					continue;
				r = after_hour + 1;
				if (choice == 0) {
					struct time_char m0 =
						char_at(text, r, end);
					struct time_char m1 =
						char_at(text, r + 1, end);

					if (!(m0.c >= '0' && m0.c <= '5' &&
					      m1.type == TC_DIGIT))
						continue;
					r += 2;
				}
			}
			blanks = blanks_at(text, r, end);
			for (gsize b = blanks + 1; b-- > 0;) {
				gsize u = r + b;

				for (guint k = 0; k <= G_N_ELEMENTS(units);
				     k++) {
					gsize unit_length =
						k < G_N_ELEMENTS(units)
							? word_at(text, u, end,
								  units[k])
							: 0;

					if (k < G_N_ELEMENTS(units) &&
					    unit_length == 0)
						continue;
					if (!tail_holds(text, u + unit_length,
							end))
						continue;
					set_group(match->hour, at, after_hour);
					if (choice < 2)
						set_group(match->separator,
							  after_hour,
							  after_hour + 1);
					else
						unset_group(match->separator);
					if (choice == 0)
						set_group(match->minute,
							  after_hour + 1,
							  after_hour + 3);
					else
						unset_group(match->minute);
					if (k < G_N_ELEMENTS(units))
						set_group(match->unit, u,
							  u + unit_length);
					else
						unset_group(match->unit);
					match->end = u + unit_length;
					return TRUE;
				}
			}
		}
	}
	return FALSE;
}

static const char *const prepositions[] = {
	"om",	 "at",	   "à",	    "a",     "um",    "vers",
	"rond",	 "around", "gegen", "tegen", "vanaf", "since",
	"sinds", "depuis", "seit",  "dès",   "ab",    "from",
};

static const char *const fillers[] = {
	"ongeveer", "circa",  "environ", "ca.",	 "ca",
	"about",    "around", "rond",	 "vers", "gegen",
};

/* The match PCRE2 finds starting right at text[at], if any. */
static gboolean
match_at(const char *text, gsize at, gsize end, struct report_time_match *match)
{
	struct time_char here = char_at(text, at, end);

	/* The prepositions start with a letter, after \b. */
	if (here.type == TC_LETTER &&
	    !is_word(char_before(text, at, end).type)) {
		for (guint w = 0; w < G_N_ELEMENTS(prepositions); w++) {
			gsize word = word_at(text, at, end, prepositions[w]);
			gsize after, blanks;

			if (word == 0)
				continue;
			after = at + word;
			/* [ \t]+ gives back no blank: a blank can start
			 * neither a filler nor the hour. */
			if ((blanks = blanks_at(text, after, end)) == 0)
				continue;
			after += blanks;
			for (guint f = 0; f <= G_N_ELEMENTS(fillers); f++) {
				gsize filler = 0, hour = after;

				if (f < G_N_ELEMENTS(fillers)) {
					filler = word_at(text, after, end,
							 fillers[f]);
					if (filler == 0)
						continue;
					blanks = blanks_at(text, after + filler,
							   end);
					if (blanks == 0)
						continue;
					hour = after + filler + blanks;
				}
				if (match_from_hour(text, hour, end, match)) {
					set_group(match->prep, at, hour);
					match->start = at;
					return TRUE;
				}
			}
		}
	}
	if (!match_from_hour(text, at, end, match))
		return FALSE;
	unset_group(match->prep);
	match->start = at;
	return TRUE;
}

/* Where a match whose hour is the digit at text[hour] may start at the
 * earliest: before the hour stand at most blanks, a filler ("ca.",
 * "ongeveer"), blanks and a preposition. */
static gsize
earliest_start(const char *text, gsize hour)
{
	gsize at = hour;

	for (int part = 0; part < 4; part++) {
		for (;;) {
			gsize before;
			struct time_char ch;

			if (at == 0)
				return 0;
			before = previous_start(text, at);
			ch = char_at(text, before, hour);
			if (part % 2 == 0 ? ch.c != ' ' && ch.c != '\t'
					  : ch.type != TC_LETTER && ch.c != '.')
				break;
			at = before;
		}
	}
	return at;
}

gboolean
report_time_next(const char *text, gsize from, gsize end,
		 struct report_time_match *match)
{
	gsize next = from;

	/* Every match has an hour, an ASCII digit here: the starts worth
	 * trying lie just before each digit, and are tried in order. */
	for (gsize hour = from; hour < end; hour++) {
		/* A digit right before: no hour starts here, nor anything
		 * before it that would take this digit as its hour. */
		if (!g_ascii_isdigit(text[hour]) ||
		    (hour > from && g_ascii_isdigit(text[hour - 1])))
			continue;
		for (gsize at = MAX(next, earliest_start(text, hour));
		     at <= hour;) {
			struct time_char ch = char_at(text, at, end);

			if ((ch.type == TC_LETTER || ch.type == TC_DIGIT) &&
			    match_at(text, at, end, match))
				return TRUE;
			at += ch.length;
		}
		next = hour + 1;
	}
	return FALSE;
}
