/* report-people.c — the report parser's fields about the writer:
 * organisation, location and contact name (country, phone and e-mail
 * are in report-contact.c).  See report.h and docs/parsing.md.
 *
 * The answers are those of the patterns in report.c and
 * report-patterns.c; what changes is how often they run.  Where a
 * pattern can be read by hand on ASCII text (a phone number, a name
 * line, a city in an organisation's name), a scan answers and the regex
 * runs only from where non-ASCII text is in the way.  The searches of
 * the whole text cover only the runs of characters that hold one of a
 * pattern's literals, and a text is searched once for numbers, though
 * read twice. */
#include <string.h>

#include "answer.h"
#include "report-internal.h"

/* Whether regex matches text, a string of its own (not a substring of
 * the parsed text), skipping the search when its literals are not in
 * text. */
static gboolean
match_string(const struct parse *parse, const GRegex *regex, const char *text,
	     GMatchInfo **info)
{
	if (!report_filters_may_match_string(parse->parser->filters, regex,
					     text))
		return FALSE;
	return g_regex_match(regex, text, 0, info);
}

/* The same for text that hits were scanned from (parse->text or
 * parse->signature): the search also starts where the first match can
 * at the earliest. */
static gboolean
match_scanned(const struct parse *parse, const GRegex *regex, const char *text,
	      const struct filter_hits *hits, GMatchInfo **info)
{
	gsize offset;

	if (!report_filters_search_from(parse->parser->filters, hits, regex,
					text, &offset))
		return FALSE;
	return g_regex_match_full(regex, text, -1, (gint)offset, 0, info, NULL);
}

gboolean
report_is_ascii_word(char c)
{
	return g_ascii_isalnum(c) || c == '_';
}

gboolean
report_is_ascii(const char *text, gsize length)
{
	for (gsize i = 0; i < length; i++)
		if ((guchar)text[i] >= 0x80)
			return FALSE;
	return TRUE;
}

gboolean
report_next_listed_word(const char *text, gsize length, gsize *at,
			const char *words, gsize width, gsize count,
			gsize *start, gsize *end)
{
	char word[32];

	while (*at < length) {
		gsize s = *at, e = s;

		while (e < length && report_is_ascii_word(text[e]))
			e++;
		*at = e > s ? e : e + 1;
		if (e == s || e - s >= width)
			continue;
		for (gsize i = s; i < e; i++)
			word[i - s] = g_ascii_isupper(text[i]) ? text[i] + 32
							       : text[i];
		word[e - s] = '\0';
		for (gsize k = 0; k < count; k++)
			if (words[k * width] == word[0] &&
			    memcmp(words + k * width, word, e - s + 1) == 0) {
				*start = s;
				*end = e;
				return TRUE;
			}
	}
	return FALSE;
}

/* The role words of report_role_words (report-patterns.c) that pure
 * ASCII text can match, lowercased: the others hold a non-ASCII letter,
 * whose caseless forms are not ASCII either.  "service desk" and
 * "e-mail" are left out, as "service" and "mail" match wherever they
 * do.  Keep in step with the pattern. */
static const char role_words_ascii[][20] = {
	"it",
	"ict",
	"ciso",
	"cio",
	"cto",
	"ceo",
	"dpo",
	"manager",
	"head",
	"hoofd",
	"diensthoofd",
	"direktorin",
	"leiterin",
	"chefarzt",
	"oberarzt",
	"pflegedienstleitung",
	"directeur",
	"director",
	"direktor",
	"leiter",
	"responsable",
	"chef",
	"coordinator",
	"coordinateur",
	"officer",
	"engineer",
	"ingenieur",
	"administrator",
	"beheerder",
	"administrateur",
	"admin",
	"helpdesk",
	"servicedesk",
	"support",
	"team",
	"dienst",
	"service",
	"abteilung",
	"department",
	"afdeling",
	"security",
	"sicherheit",
	"beveiliging",
	"informatique",
	"informatica",
	"netwerk",
	"network",
	"systeem",
	"system",
	"infrastructure",
	"infrastructuur",
	"verpleegkundige",
	"infirmier",
	"arts",
	"arzt",
	"secretariaat",
	"sekretariat",
	"tel",
	"gsm",
	"mobile",
	"phone",
	"telefon",
	"fax",
	"www",
	"mail",
};

/* Whether the role-words pattern matches text, a string of its own:
 * in pure ASCII text a look at each word answers; other text is left
 * to the regex. */
gboolean
report_people_role_word_ascii(const char *text, gsize length)
{
	gsize at = 0, start, end;

	return report_next_listed_word(text, length, &at, role_words_ascii[0],
				       sizeof(role_words_ascii[0]),
				       G_N_ELEMENTS(role_words_ascii), &start,
				       &end);
}

static gboolean
has_role_word(const struct parse *parse, const char *text)
{
	gsize length = strlen(text);

	if (!report_is_ascii(text, length))
		return match_string(parse, parse->parser->role_words, text,
				    NULL);
	return report_people_role_word_ascii(text, length);
}

/* The sign-offs of report_signoff_pattern (report-patterns.c) that
 * pure ASCII text can match, each alternative written out, lowercased;
 * the others hold a non-ASCII letter.  Keep in step with the
 * pattern. */
static const char signoffs_ascii[][28] = {
	"vriendelijke groet",
	"vriendelijke groeten",
	"hartelijke groet",
	"hartelijke groeten",
	"beste groet",
	"beste groeten",
	"met vriendelijke groet",
	"met vriendelijke groeten",
	"met hartelijke groet",
	"met hartelijke groeten",
	"met beste groet",
	"met beste groeten",
	"mvg",
	"groet",
	"groeten",
	"groetjes",
	"kind regards",
	"best regards",
	"warm regards",
	"regards",
	"best",
	"best wishes",
	"cheers",
	"thank",
	"thanks",
	"thank you",
	"thanks you",
	"many thanks",
	"sincerely",
	"yours",
	"yours sincerely",
	"yours truly",
	"cordialement",
	"bien cordialement",
	"salutations",
	"merci",
	"mfg",
	"lg",
	"danke",
	"alvast bedankt",
	"bedankt",
	"dank u",
	"dank je",
};

/* Whether the sign-off pattern matches text, a string of its own:
 * "^\s*(?:...)\b[\s,.!]*$", compiled caseless.  In pure ASCII text a
 * match is a whole sign-off between leading blanks and trailing blanks
 * and ",.!" (each sign-off ends with a letter, so the \b holds); other
 * text is left to the regex. */
static gboolean
is_signoff(const struct parse *parse, const char *text)
{
	gsize length = strlen(text);

	if (!report_is_ascii(text, length))
		return g_regex_match(parse->parser->signoff, text, 0, NULL);
	return report_people_signoff_ascii(text, length);
}

gboolean
report_people_signoff_ascii(const char *text, gsize length)
{
	static const char ascii_space[] = " \t\n\v\f\r";
	gsize start = 0, end = length;

	while (start < end && strchr(ascii_space, text[start]) != NULL)
		start++;
	while (end > start && (strchr(ascii_space, text[end - 1]) != NULL ||
			       strchr(",.!", text[end - 1]) != NULL))
		end--;
	if (start == end || end - start >= sizeof(signoffs_ascii[0]))
		return FALSE;
	for (gsize i = 0; i < G_N_ELEMENTS(signoffs_ascii); i++)
		if (signoffs_ascii[i][end - start] == '\0' &&
		    signoffs_ascii[i][end - start - 1] != '\0' &&
		    g_ascii_strncasecmp(signoffs_ascii[i], text + start,
					end - start) == 0)
			return TRUE;
	return FALSE;
}

static gboolean
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* What a hand-written scan of a short text says about a pattern. */
enum scan_answer {
	SCAN_NO,     /* the pattern cannot match */
	SCAN_YES,    /* it matches, as the scan says */
	SCAN_UNSURE, /* non-ASCII on the way: ask the regex */
};

/* Whether c may stand in a hospital name: every pattern of
 * report_hospital_patterns matches only letters, marks, "'’.-", blanks
 * (names, connectors, "Medical Centre"); a non-ASCII byte may be any of
 * them. */
static gboolean
may_be_in_hospital_name(char c)
{
	return g_ascii_isalpha(c) || (c != '\0' && strchr("'.- \t", c)) ||
	       (guchar)c >= 0x80;
}

/* Whether c may stand in a city after a preposition ("in Gent", "op
 * campus Sint-Niklaas"): the prepositions and campus words are letters
 * ("à", and the case partners of caseless ASCII, are not ASCII), the
 * names letters, '-' and ' ', with blanks between. */
static gboolean
may_be_in_city_phrase(char c)
{
	return g_ascii_isalpha(c) || (c != '\0' && strchr("- \t", c)) ||
	       (guchar)c >= 0x80;
}

/* Where in text (scanned into hits) a search for a pattern may begin
 * (*from: no match starts before) and end (*length, -1: the end of
 * text), for a pattern whose every match holds a match of literal_regex
 * (the same pattern, or the cities in "in Gent") and consists of
 * characters may_be_in takes; FALSE when literal_regex cannot match.
 * Its filter lists where its literals stand, so a match lies in a run of
 * such characters holding one: the search covers those runs only.  The
 * subject ends after the last run when the byte there is ASCII and no
 * word character, as \b and the classes see the end of the subject as
 * they see that byte. */
static gboolean
literal_window(const struct parse *parse, const GRegex *literal_regex,
	       const char *text, const struct filter_hits *hits,
	       gboolean (*may_be_in)(char c), gsize *from, gssize *length)
{
	const struct report_filters *filters = parse->parser->filters;
	gsize first = G_MAXSIZE, last = 0;
	gint head;

	*from = 0;
	*length = -1;
	if (!report_filters_may_match_whole(filters, hits, literal_regex))
		return FALSE;
	head = report_filters_listed(filters, hits, literal_regex);
	if (head == -2)
		return TRUE;
	for (gint o = head; o >= 0; o = hits->occurrences[o].next) {
		const struct filter_occurrence *occurrence =
			&hits->occurrences[o];
		gsize start = occurrence->start,
		      end = report_filter_occurrence_end(occurrence);

		/* Where \b cannot stand beside it, no search of the whole
		 * text matches it. */
		if (occurrence->cut_before || occurrence->cut_after)
			continue;
		/* Runs are walked only where they widen the window, so
		 * a long run is read once, not once per literal in it. */
		if (start < first) {
			while (start > 0 && may_be_in(text[start - 1]))
				start--;
			first = start;
		}
		if (end > last) {
			while (may_be_in(text[end]))
				end++;
			last = MAX(last, end);
		}
	}
	if (first == G_MAXSIZE)
		return TRUE;
	*from = first;
	if (text[last] != '\0' && !g_ascii_isalnum(text[last]) &&
	    text[last] != '_')
		*length = (gssize)last;
	return TRUE;
}

gboolean
report_match_city(const struct parse *parse, const GRegex *regex,
		  const char *text, const struct filter_hits *hits,
		  GMatchInfo **info)
{
	gsize from, offset;
	gssize length;

	/* Every match holds a city of the cities pattern. */
	return literal_window(parse, parse->parser->cities, text, hits,
			      may_be_in_city_phrase, &from, &length) &&
	       report_filters_search_from(parse->parser->filters, hits, regex,
					  text, &offset) &&
	       g_regex_match_full(regex, text, length, (gint)MAX(from, offset),
				  0, info, NULL);
}

/* --- organisation, location, contact name ----------------------------- */

static void
trim_name(char *name)
{
	gsize n;

	g_strstrip(name);
	n = strlen(name);
	while (n > 0 && strchr(".,;:-|", name[n - 1]) != NULL)
		name[--n] = '\0';
	g_strstrip(name);
}

static gboolean
find_hospital(const struct parse *parse, const char *text,
	      const struct filter_hits *hits, double confidence,
	      gboolean offer_it, struct parse *mutable_parse)
{
	g_autofree char *best = NULL;
	int best_start = G_MAXINT, best_length = 0;
	const GPtrArray *hospitals = parse->parser->hospitals;
	/* Without a scan of text, the filter reads it once for (the first
	 * 32 of) the patterns: bit i set when pattern i may match. */
	guint may = 0;

	if (hits == NULL && hospitals->len > 0)
		may = report_filters_which_may_match(
			parse->parser->filters,
			(const GRegex *const *)hospitals->pdata,
			MIN(hospitals->len, 32), text);
	/* The earliest name wins, and at one place the longest:
	 * "Evangelisches Krankenhaus Bielefeld" over "Krankenhaus
	 * Bielefeld". */
	for (guint i = 0; i < hospitals->len; i++) {
		const GRegex *regex = hospitals->pdata[i];
		g_autoptr(GMatchInfo) info = NULL;
		g_autofree char *name = NULL;
		gboolean found;
		int s, e;

		/* hits: the literal scan of text, when there is one. */
		if (hits != NULL) {
			gsize from, offset;
			gssize length;

			/* A name after the best one cannot win. */
			found = literal_window(parse, regex, text, hits,
					       may_be_in_hospital_name, &from,
					       &length) &&
				report_filters_search_from(
					parse->parser->filters, hits, regex,
					text, &offset) &&
				MAX(from, offset) <= (gsize)best_start &&
				g_regex_match_full(regex, text, length,
						   (gint)MAX(from, offset), 0,
						   &info, NULL);
		} else if (i < 32)
			found = ((may >> i) & 1) &&
				g_regex_match(regex, text, 0, &info);
		else
			found = match_string(parse, regex, text, &info);
		if (!found)
			continue;
		g_match_info_fetch_pos(info, 0, &s, &e);
		name = g_match_info_fetch(info, 0);
		trim_name(name);
		if (g_utf8_strlen(name, -1) < 4)
			continue;
		if (s < best_start ||
		    (s == best_start && (int)strlen(name) > best_length)) {
			best_start = s;
			best_length = (int)strlen(name);
			g_free(best);
			best = g_steal_pointer(&name);
		}
	}
	if (best == NULL)
		return FALSE;
	if (offer_it)
		report_offer(mutable_parse, RF_ORGANISATION, best, confidence,
			     best, strlen(best));
	return TRUE;
}

/* "az-voorbeeld.be" -> "AZ Voorbeeld"; NULL for webmail. */
static char *
organisation_of_domain(const char *addr)
{
	static const char *const acronyms[] = {"az",  "uz",  "chu", "chr",
					       "chc", "ch",  "umc", "zna",
					       "gza", "ggz", "mc",  "hub"};
	const char *at, *domain, *last, *label;
	gsize length;
	GString *out;

	if (addr == NULL || (at = strrchr(addr, '@')) == NULL)
		return NULL;
	domain = at + 1;
	if (report_is_webmail(domain))
		return NULL;
	/* The label before the last: "az-voorbeeld" */
	if ((last = strrchr(domain, '.')) == NULL)
		return NULL;
	label = last;
	while (label > domain && label[-1] != '.')
		label--;
	length = (gsize)(last - label);
	if (length < 2)
		return NULL;
	out = g_string_sized_new(length + 8);
	/* Its words at '-', the eighth holding the rest. */
	for (guint n = 0; length > 0 || n == 0; n++) {
		const char *dash = n < 7 ? memchr(label, '-', length) : NULL;
		gsize word = dash != NULL ? (gsize)(dash - label) : length;
		gboolean acronym = FALSE;

		for (size_t i = 0; i < G_N_ELEMENTS(acronyms) && !acronym; i++)
			acronym = strlen(acronyms[i]) == word &&
				  memcmp(acronyms[i], label, word) == 0;
		if (word > 0) {
			if (out->len > 0)
				g_string_append_c(out, ' ');
			for (gsize i = 0; i < word; i++)
				g_string_append_c(
					out, acronym || i == 0
						     ? g_ascii_toupper(label[i])
						     : label[i]);
		}
		if (dash == NULL)
			break;
		label += word + 1;
		length -= word + 1;
	}
	return g_string_free(out, FALSE);
}

/* A part of a signature line that names an organisation and is not a
 * number or an address, as a new string; NULL when it does not.  The
 * part stands at signature[start] when in_signature (else it was
 * rewritten). */
static char *
organisation_part(const struct parse *parse, char *part, gsize length,
		  gboolean in_signature, gsize start)
{
	gsize lead = 0;
	const GRegex *words = parse->parser->organisation_words;

	/* g_strstrip() */
	while (length > 0 && g_ascii_isspace(part[length - 1]))
		length--;
	while (lead < length && g_ascii_isspace(part[lead]))
		lead++;
	part[length] = '\0';
	part += lead;
	length -= lead;
	if (length == 0 || memchr(part, '@', length) != NULL ||
	    report_has_phone(parse, part))
		return NULL;
	if (!(in_signature
		      ? report_filters_may_match_in(
				parse->parser->filters, parse->signature_hits,
				words, start + lead, start + lead + length)
		      : report_filters_may_match_string(parse->parser->filters,
							words, part)) ||
	    !g_regex_match(words, part, 0, NULL) ||
	    g_utf8_strlen(part, -1) > 80)
		return NULL;
	return g_strdup(part);
}

/* A signature line that names an organisation: "Regionaal Ziekenhuis
 * Heilig Hart vzw", "Service informatique - Clinique Saint-Luc".  The
 * lines are g_strsplit(signature, "\n", 40), each with its first five
 * "•" made "|" and cut in at most six parts at '|' and ','; read in
 * place, a part copied into one buffer. */
static char *
organisation_line(const struct parse *parse)
{
	const char *signature = parse->signature;
	gsize size = strlen(signature);
	g_autofree char *buffer = NULL;
	gsize line = 0;

	if (size == 0)
		return NULL;
	buffer = g_malloc(size + 1);
	for (guint n = 0; line <= size; n++) {
		const char *newline =
			n < 39 ? memchr(signature + line, '\n', size - line)
			       : NULL;
		gsize end =
			newline != NULL ? (gsize)(newline - signature) : size;
		guint bullets = 0, cuts = 0;
		gsize used = 0, part_start = line;
		gboolean rewritten = FALSE;

		for (gsize i = line; i <= end; i++) {
			gboolean bullet = i + 2 < end &&
					  memcmp(signature + i, "•", 3) == 0 &&
					  bullets < 5;
			gboolean cut =
				i == end || ((bullet || signature[i] == '|' ||
					      signature[i] == ',') &&
					     cuts < 5);
			char *found;

			if (!cut) {
				if (bullet) {
					buffer[used++] = '|';
					rewritten = TRUE;
					bullets++;
					i += 2;
				} else {
					buffer[used++] = signature[i];
				}
				continue;
			}
			/* An empty line has no parts at all. */
			found = end > line ? organisation_part(parse, buffer,
							       used, !rewritten,
							       part_start)
					   : NULL;
			if (found != NULL)
				return found;
			if (i == end)
				break;
			cuts++;
			if (bullet) {
				bullets++;
				i += 2;
			}
			used = 0;
			rewritten = FALSE;
			part_start = i + 1;
		}
		line = end + 1;
	}
	return NULL;
}

void
report_parse_organisation(struct parse *parse)
{
	g_autofree char *line = NULL;
	g_autofree char *domain = NULL;

	if (!find_hospital(parse, parse->signature, parse->signature_hits, 0.85,
			   TRUE, parse) &&
	    !find_hospital(parse, parse->text, parse->hits, 0.75, TRUE,
			   parse) &&
	    (parse->from_name == NULL ||
	     !find_hospital(parse, parse->from_name, NULL, 0.6, TRUE, parse))) {
		line = organisation_line(parse);
		if (line != NULL) {
			report_offer(parse, RF_ORGANISATION, line, 0.6, line,
				     strlen(line));
			return;
		}
		domain = organisation_of_domain(parse->from_addr);
		if (domain != NULL)
			report_offer(parse, RF_ORGANISATION, domain, 0.3,
				     parse->from_addr,
				     strlen(parse->from_addr));
	}
}

/* The cities pattern, "\b(Antwerpen|Anvers|...)\b" from report_cities
 * (names of letters, '-' and ' ', starting with an ASCII capital and
 * ending with an ASCII letter: test-report checks), on a short text of
 * its own, scanned by hand: on SCAN_YES, *city is the index of the
 * city found, *start its offset.  The first match is at the leftmost
 * place where a name stands between word boundaries, the name the
 * first in the table that does; a boundary beside a non-ASCII
 * character (a letter or not) is left to the regex. */
static enum scan_answer
cities_scan(const char *text, gsize *city, gsize *start)
{
	/* Where a name may start: a capital with no word character before
	 * it (at most 64 such places; more are left to the regex), listed
	 * by letter in text order: first[letter] and next[k] are an index
	 * into places + 1, 0 ending the list. */
	gsize places[64];
	guint8 first[26] = {0}, last[26] = {0}, next[64];
	guint n = 0;
	guint32 letters = 0;
	gsize best = G_MAXSIZE;

	for (gsize p = 0; text[p] != '\0'; p++) {
		guchar before = p > 0 ? (guchar)text[p - 1] : ' ';
		guint letter = (guchar)text[p] - 'A';

		if (letter >= 26 || report_is_ascii_word((char)before))
			continue;
		if (n == G_N_ELEMENTS(places))
			return SCAN_UNSURE;
		places[n] = p;
		next[n] = 0;
		if (last[letter] == 0)
			first[letter] = (guint8)(n + 1);
		else
			next[last[letter] - 1] = (guint8)(n + 1);
		last[letter] = (guint8)(n + 1);
		letters |= 1u << letter;
		n++;
	}
	/* One pass over the table: the leftmost place wins, and there the
	 * first name in the table. */
	for (gsize i = 0; i < report_city_count && letters != 0; i++) {
		const char *name = report_cities[i].name;
		guint letter = (guchar)name[0] - 'A';

		if (letter >= 26)
			return SCAN_UNSURE; /* not what test-report checks */
		if (!(letters >> letter & 1))
			continue;
		for (guint k = first[letter]; k != 0 && places[k - 1] < best;
		     k = next[k - 1]) {
			gsize p = places[k - 1];
			gsize length;
			guchar before = p > 0 ? (guchar)text[p - 1] : ' ';
			guchar after;

			if (text[p + 1] != name[1])
				continue;
			length = strlen(name);
			if (strncmp(text + p, name, length) != 0)
				continue;
			after = (guchar)text[p + length];
			if (before >= 0x80 || after >= 0x80)
				return SCAN_UNSURE;
			if (report_is_ascii_word((char)after))
				continue;
			best = p;
			*city = i;
			*start = p;
		}
	}
	return best != G_MAXSIZE ? SCAN_YES : SCAN_NO;
}

/* hits: the literal scan of text, or NULL when text is a string of its
 * own. */
static gboolean
city_in(const struct parse *parse, GRegex *regex, const char *text,
	const struct filter_hits *hits, double confidence,
	struct parse *mutable_parse)
{
	g_autoptr(GMatchInfo) info = NULL;
	g_autofree char *city = NULL;
	g_autofree char *whole = NULL;

	if (text == NULL)
		return FALSE;
	if (hits == NULL && regex == parse->parser->cities) {
		gsize index, start;

		switch (cities_scan(text, &index, &start)) {
		case SCAN_NO:
			return FALSE;
		case SCAN_YES: {
			const char *name = report_cities[index].name;

			report_offer(mutable_parse, RF_LOCATION, name,
				     confidence, text + start, strlen(name));
			return TRUE;
		}
		case SCAN_UNSURE:
			break;
		}
	}
	if (hits != NULL ? !report_match_city(parse, regex, text, hits, &info)
			 : !match_string(parse, regex, text, &info))
		return FALSE;
	city = g_match_info_fetch(info, 1);
	whole = g_match_info_fetch(info, 0);
	report_offer(mutable_parse, RF_LOCATION, city, confidence, whole,
		     strlen(whole));
	return TRUE;
}

/* Whether the character at text (UTF-8, not ASCII) is surely no
 * decimal digit (\d): Latin-1, Latin Extended-A and -B and General
 * Punctuation ("é", "ß", "’", "•") hold none. */
static gboolean
surely_no_digit(const char *text)
{
	gunichar c = g_utf8_get_char_validated(text, -1);

	return (c >= 0x80 && c <= 0x24f) || (c >= 0x2000 && c <= 0x206f);
}

/* Where a search of text for the postal-code pattern (report.c),
 * "\b(?:[A-Z]-)?\d{4,5}(?:[ \t][A-Z]{2})?[ \t]+(\p{Lu}...", may begin:
 * no match starts more than two bytes ("B-") before four or five
 * digits that a blank and, after blanks, a capital follow (read in
 * ASCII; a character that may be a digit, or beside one, counts as a
 * place).  G_MAXSIZE when there is no such place. */
static gsize
postal_search_from(const char *text)
{
	for (gsize i = 0; text[i] != '\0'; i++) {
		gsize at = i, end, k;
		guchar before = i > 0 ? (guchar)text[i - 1] : ' ';

		if ((guchar)text[i] >= 0x80) {
			/* At the first byte of the character only. */
			if (((guchar)text[i] & 0xc0) == 0x80 ||
			    surely_no_digit(text + i))
				continue;
		} else if (!g_ascii_isdigit(text[i]) ||
			   (i > 0 && g_ascii_isdigit(text[i - 1]))) {
			continue;
		} else {
			/* A run of ASCII digits: four or five, no word
			 * character before, a blank after, then a capital
			 * after the blanks. */
			for (end = i; g_ascii_isdigit(text[end]); end++)
				;
			for (k = end; is_blank(text[k]); k++)
				;
			if (before < 0x80 && (guchar)text[end] < 0x80 &&
			    (report_is_ascii_word((char)before) ||
			     end - i < 4 || end - i > 5 || k == end ||
			     !(g_ascii_isupper(text[k]) ||
			       (guchar)text[k] >= 0x80)))
				continue;
		}
		at = at > 2 ? at - 2 : 0;
		while (at > 0 && ((guchar)text[at] & 0xc0) == 0x80)
			at--;
		return at;
	}
	return G_MAXSIZE;
}

void
report_parse_location(struct parse *parse)
{
	const char *organisation = report_best_value(parse, RF_ORGANISATION);
	const struct report_parser *p = parse->parser;
	g_autoptr(GMatchInfo) info = NULL;
	gsize postal_from;

	if (organisation != NULL &&
	    city_in(parse, p->cities, organisation, NULL,
		    parse->best[RF_ORGANISATION]->confidence > 0.5 ? 0.8 : 0.45,
		    parse))
		return;
	if (city_in(parse, p->city_after_preposition, parse->text, parse->hits,
		    0.75, parse))
		return;
	/* The address line's city beats a city named in a street. */
	if ((postal_from = postal_search_from(parse->signature)) != G_MAXSIZE &&
	    g_regex_match_full(p->postal_city, parse->signature, -1,
			       (gint)postal_from, 0, &info, NULL)) {
		g_autofree char *city = g_match_info_fetch(info, 1);
		g_autofree char *whole = g_match_info_fetch(info, 0);

		if (!has_role_word(parse, city)) {
			report_offer(parse, RF_LOCATION, city, 0.7, whole,
				     strlen(whole));
			return;
		}
	}
	if (city_in(parse, p->cities, parse->signature, parse->signature_hits,
		    0.65, parse))
		return;
	city_in(parse, p->cities, parse->text, parse->hits, 0.5, parse);
}

/* One word of the person-name pattern at text[at], pure ASCII:
 * "\p{Lu}[\p{Ll}\p{M}'’]+(?:-\p{Lu}[\p{Ll}\p{M}'’]+)?", or with \p{L}
 * for \p{Ll} after the first word (any_case).  The word ends where the
 * classes do; the pattern goes on only with a blank or the end, so the
 * greedy runs never give back and the word has one length. */
static gboolean
name_word_ascii(const char *text, gsize at, gsize length, gboolean any_case,
		gsize *after)
{
	for (int part = 0; part < 2; part++) {
		gsize start;

		if (at >= length || !g_ascii_isupper(text[at]))
			return FALSE;
		start = ++at;
		while (at < length &&
		       (g_ascii_islower(text[at]) || text[at] == '\'' ||
			(any_case && g_ascii_isupper(text[at]))))
			at++;
		if (at == start)
			return FALSE;
		if (part == 1 || at >= length || text[at] != '-')
			break;
		at++;
	}
	*after = at;
	return TRUE;
}

/* The length of the final newline of text[0, length) that $ matches
 * before (GRegex takes any newline: LF, CR, CRLF, VT, FF and three
 * non-ASCII ones), 0 when none. */
static gsize
final_newline(const char *text, gsize length)
{
	if (length >= 2 && text[length - 2] == '\r' && text[length - 1] == '\n')
		return 2;
	if (length >= 1 && strchr("\n\r\v\f", text[length - 1]) != NULL &&
	    text[length - 1] != '\0')
		return 1;
	return 0;
}

/* "[ \t]*$" at text[at] of an ASCII text. */
static gboolean
blanks_to_end(const char *text, gsize at, gsize length)
{
	while (at < length && is_blank(text[at]))
		at++;
	return at == length || at == length - final_newline(text, length);
}

/* The rest of the person-name pattern after a word, pure ASCII: at most
 * words_left more "[ \t]+(?:CONNECTOR[ \t]+)?WORD", then "[ \t]*$".
 * Whether some way through matches, which is all the pattern's answer
 * depends on: the name is everything up to the trailing blanks. */
static gboolean
name_rest_ascii(const char *text, gsize at, gsize length, int words_left)
{
	static const char *const connectors[] = {
		"van", "de", "der", "den", "von",     "le",	 "la",
		"du",  "da", "ter", "ten", "van der", "van den", "van de",
	};
	gsize word, after;

	if (blanks_to_end(text, at, length))
		return TRUE;
	if (words_left == 0 || at >= length || !is_blank(text[at]))
		return FALSE;
	while (at < length && is_blank(text[at]))
		at++;
	if (name_word_ascii(text, at, length, TRUE, &after) &&
	    name_rest_ascii(text, after, length, words_left - 1))
		return TRUE;
	for (size_t i = 0; i < G_N_ELEMENTS(connectors); i++) {
		gsize n;

		if (text[at] != connectors[i][0])
			continue;
		n = strlen(connectors[i]);
		if (length - at <= n ||
		    memcmp(text + at, connectors[i], n) != 0 ||
		    !is_blank(text[at + n]))
			continue;
		word = at + n;
		while (word < length && is_blank(text[word]))
			word++;
		if (name_word_ascii(text, word, length, TRUE, &after) &&
		    name_rest_ascii(text, after, length, words_left - 1))
			return TRUE;
	}
	return FALSE;
}

/* The person-name pattern (report.c) on text[0, length), scanned by hand
 * when it is pure ASCII: *start and *end get group 1 on SCAN_YES. */
static enum scan_answer
person_name_scan(const char *text, gsize length, gsize *start, gsize *end)
{
	static const char *const titles[] = {
		"Dr",	"Prof", "Ir",  "Mr",   "Mrs",  "Ms",   "Mme",
		"Mlle", "M",	"Dhr", "Mevr", "Herr", "Frau", "Dipl.-Ing",
	};
	/* Where the name may start: after none, one or two titles. */
	gsize from[3] = {0};
	int n = 0;

	for (gsize i = 0; i < length; i++)
		if ((guchar)text[i] >= 0x80)
			return SCAN_UNSURE;
	/* "(?:TITLE\.?[ \t]+){0,2}": at most one title fits at a place
	 * (the one that a dot or a blank ends), and the blanks are taken
	 * whole, the name starting with a capital. */
	while (n < 2) {
		gsize at = from[n], next = 0;

		for (size_t i = 0; i < G_N_ELEMENTS(titles) && next == 0; i++) {
			gsize t, j;

			if (at >= length || text[at] != titles[i][0])
				continue;
			t = strlen(titles[i]);
			j = at + t;
			if (length - at < t ||
			    memcmp(text + at, titles[i], t) != 0)
				continue;
			if (j < length && text[j] == '.')
				j++;
			if (j >= length || !is_blank(text[j]))
				continue;
			while (j < length && is_blank(text[j]))
				j++;
			next = j;
		}
		if (next == 0)
			break;
		from[++n] = next;
	}
	/* The greedy titles first, then fewer. */
	for (int k = n; k >= 0; k--) {
		gsize after;

		if (!name_word_ascii(text, from[k], length, FALSE, &after) ||
		    !name_rest_ascii(text, after, length, 3))
			continue;
		*start = from[k];
		*end = length - final_newline(text, length);
		while (*end > *start && is_blank(text[*end - 1]))
			(*end)--;
		return SCAN_YES;
	}
	return SCAN_NO;
}

/* g_ascii_isspace(), which g_strstrip() strips. */
static gboolean
is_ascii_space(char c)
{
	return g_ascii_isspace(c);
}

/* Where a line's name part ends: at the first " | ", else the first
 * " - ", else the first " – ", else the first "|" or "(", else at the
 * end.  One pass over the blanks finds the first of each. */
static const char *
name_cut(const char *line, gsize length)
{
	static const char *const separators[] = {"| ", "- ", "– "};
	const char *first[G_N_ELEMENTS(separators)] = {NULL};
	const char *cut;

	for (const char *p = memchr(line, ' ', length);
	     p != NULL && first[0] == NULL;
	     p = memchr(p + 1, ' ', length - (gsize)(p + 1 - line))) {
		gsize left = (gsize)(line + length - (p + 1));

		for (guint i = 0; i < G_N_ELEMENTS(separators); i++) {
			gsize n = strlen(separators[i]);

			if (first[i] == NULL && left >= n &&
			    memcmp(p + 1, separators[i], n) == 0)
				first[i] = p;
		}
	}
	for (guint i = 0; i < G_N_ELEMENTS(separators); i++)
		if (first[i] != NULL)
			return first[i];
	if ((cut = memchr(line, '|', length)) == NULL &&
	    (cut = memchr(line, '(', length)) == NULL)
		cut = line + length;
	return cut;
}

/* The last text person_name_of() asked the regexes about, and their
 * answer: the display name, asked last, is mostly the text of the
 * signature's name line. */
struct name_memo {
	char *text; /* NULL: none yet */
	char *name; /* NULL: no name */
};

static void
name_memo_clear(struct name_memo *memo)
{
	g_clear_pointer(&memo->text, g_free);
	g_clear_pointer(&memo->name, g_free);
}

/* A person's name, or NULL: from a line (length bytes, not ended by a
 * NUL when in a text) or the display name, with a role or an
 * organisation ruling it out.  hits: the literal scan of the text line
 * stands in at offset, or NULL when line is a string of its own. */
static char *
person_name_of(const struct parse *parse, const char *line, gsize length,
	       const struct filter_hits *hits, gsize offset,
	       struct name_memo *memo)
{
	g_autoptr(GMatchInfo) info = NULL;
	char *copy;
	char *name = NULL;
	const char *cut;
	gsize start = 0, end, name_start = 0, name_end = 0;
	enum scan_answer answer;

	/* "Jan Peeters | CISO", "Jan Peeters - IT", "Jan, IT AZ ..." */
	cut = name_cut(line, length);
	/* What g_strstrip() and trim_name() leave, without a copy. */
	end = (gsize)(cut - line);
	while (start < end && is_ascii_space(line[start]))
		start++;
	while (end > start && is_ascii_space(line[end - 1]))
		end--;
	while (end > start && strchr(".,;:-|", line[end - 1]) != NULL)
		end--;
	while (end > start && is_ascii_space(line[end - 1]))
		end--;
	if (start == end)
		return NULL;
	{
		glong chars = 0;

		for (gsize i = start; i < end; i++)
			chars += ((guchar)line[i] & 0xc0) != 0x80;
		if (chars > 60)
			return NULL;
	}
	/* Most lines are no name at all ("Tel. 09 ...", "www...."): the
	 * scan says so before any regex runs; the checks below only rule
	 * out, so their order does not change the answer. */
	answer = person_name_scan(line + start, end - start, &name_start,
				  &name_end);
	if (answer == SCAN_NO)
		return NULL;
	if (memo->text != NULL && strlen(memo->text) == end - start &&
	    memcmp(memo->text, line + start, end - start) == 0)
		return g_strdup(memo->name);
	copy = g_strndup(line + start, end - start);
	name_memo_clear(memo);
	memo->text = copy;
	/* A role, organisation, sign-off or city is no name.  A line of a
	 * scanned text asks that scan; for a string of its own, the filter
	 * reads it once for all four.  The sign-off first: it is what a
	 * signature's first line that passed the scan mostly is. */
	{
		const GRegex *not_names[] = {
			parse->parser->signoff,
			parse->parser->cities,
			parse->parser->organisation_words,
			parse->parser->role_words,
		};
		guint may = 0;
		gboolean ruled_out = FALSE;

		if (hits == NULL)
			may = report_filters_which_may_match(
				parse->parser->filters, not_names,
				G_N_ELEMENTS(not_names), copy);
		else
			for (guint r = 0; r < G_N_ELEMENTS(not_names); r++)
				if (report_filters_may_match_in(
					    parse->parser->filters, hits,
					    not_names[r], offset + start,
					    offset + end))
					may |= 1u << r;
		for (guint r = 0; r < G_N_ELEMENTS(not_names) && !ruled_out;
		     r++)
			ruled_out = (may >> r & 1) &&
				    (not_names[r] == parse->parser->role_words
					     ? has_role_word(parse, copy)
				     : not_names[r] == parse->parser->signoff
					     ? is_signoff(parse, copy)
					     : g_regex_match(not_names[r], copy,
							     0, NULL));
		if (!ruled_out && answer == SCAN_YES)
			name = g_strndup(copy + name_start,
					 name_end - name_start);
		else if (!ruled_out && g_regex_match(parse->parser->person_name,
						     copy, 0, &info))
			name = g_match_info_fetch(info, 1);
	}
	memo->name = g_strdup(name);
	return name;
}

/* Where a search of text for the dash signature ("— Jan, IT ...") may
 * begin: a match starts with a dash at the start of text, or with the
 * blank before a dash, and a capital (ASCII, or any non-ASCII
 * character) follows the dash and blanks; G_MAXSIZE when no dash
 * does.  At a later offset, ^ cannot match, as it cannot there. */
static gsize
dash_signature_search_from(const char *text)
{
	for (gsize i = 0; text[i] != '\0'; i++) {
		gsize after;

		if (text[i] == '-')
			after = i + 1;
		else if ((guchar)text[i] == 0xe2 &&
			 (guchar)text[i + 1] == 0x80 &&
			 ((guchar)text[i + 2] == 0x93 ||
			  (guchar)text[i + 2] == 0x94))
			after = i + 3; /* "–", "—" */
		else
			continue;
		if (i > 0 && !is_blank(text[i - 1]))
			continue;
		while (is_blank(text[after]))
			after++;
		if (g_ascii_isupper(text[after]) || (guchar)text[after] >= 0x80)
			return i > 0 ? i - 1 : 0;
	}
	return G_MAXSIZE;
}

/* "Peeters, Jan" -> "Jan Peeters"; quotes dropped. */
static char *
display_name(const char *from_name)
{
	g_autofree char *copy = NULL;
	char *comma;

	if (from_name == NULL)
		return NULL;
	copy = report_bounded_copy(from_name, REPORT_MAX_NAME_BYTES);
	/* g_strdelimit(copy, "\"", ' '), which reads byte by byte */
	for (char *quote = strchr(copy, '"'); quote != NULL;
	     quote = strchr(quote + 1, '"'))
		*quote = ' ';
	g_strstrip(copy);
	comma = strchr(copy, ',');
	if (comma != NULL && strchr(comma + 1, ',') == NULL) {
		*comma = '\0';
		return g_strdup_printf("%s %s", g_strstrip(comma + 1),
				       g_strstrip(copy));
	}
	return g_steal_pointer(&copy);
}

void
report_parse_contact_name(struct parse *parse)
{
	struct name_memo memo = {0};
	gsize dash_from;
	g_autofree char *from = display_name(parse->from_name);
	g_autofree char *from_person = NULL;
	g_autofree char *found = NULL;
	const char *excerpt = NULL;
	double confidence = 0;
	g_autoptr(GMatchInfo) info = NULL;

	/* The signature: the first line that is a name. */
	{
		/* The lines of g_strsplit(signature, "\n", 40), in place:
		 * the fortieth holds the rest. */
		const char *signature = parse->signature;
		gsize size = strlen(signature), offset = 0;

		for (guint n = 0; offset < size && found == NULL; n++) {
			const char *newline =
				n < 39 ? memchr(signature + offset, '\n',
						size - offset)
				       : NULL;
			gsize length =
				newline != NULL
					? (gsize)(newline - signature) - offset
					: size - offset;

			/* A sign-off line is skipped; asked only of a line
			 * that holds a name ("Groeten, Jan" on one line), as
			 * few do. */
			found = person_name_of(parse, signature + offset,
					       length, parse->signature_hits,
					       offset, &memo);
			if (found != NULL &&
			    report_filters_may_match_in(parse->parser->filters,
							parse->signature_hits,
							parse->parser->signoff,
							offset,
							offset + length) &&
			    g_regex_match_full(
				    parse->parser->signoff, signature + offset,
				    (gssize)length, 0, 0, NULL, NULL))
				g_clear_pointer(&found, g_free);
			confidence = 0.85;
			offset += length + 1;
		}
	}
	/* "— Jan, IT AZ Voorbeeld Gent" */
	if (found == NULL &&
	    (dash_from = dash_signature_search_from(parse->text)) !=
		    G_MAXSIZE &&
	    g_regex_match_full(parse->parser->dash_signature, parse->text, -1,
			       (gint)dash_from, 0, &info, NULL)) {
		found = g_match_info_fetch(info, 1);
		confidence = 0.75;
		if (has_role_word(parse, found))
			g_clear_pointer(&found, g_free);
	}
	g_clear_pointer(&info, g_match_info_unref);
	/* "Ik ben Jan Peeters, ..." */
	if (found == NULL && match_scanned(parse, parse->parser->introduction,
					   parse->text, parse->hits, &info)) {
		g_autofree char *candidate = g_match_info_fetch(info, 1);
		int start, end;

		g_match_info_fetch_pos(info, 1, &start, &end);
		found = person_name_of(parse, candidate, strlen(candidate),
				       parse->hits, (gsize)start, &memo);
		confidence = 0.7;
	}
	/* The display name is fuller ("Jan" in the signature, "Jan
	 * Peeters" in From), or all there is.  Asked last, as the
	 * signature's name was just asked about the same text. */
	if (from != NULL)
		from_person = person_name_of(parse, from, strlen(from), NULL, 0,
					     &memo);
	if (from_person != NULL &&
	    (found == NULL || (strstr(from_person, found) != NULL &&
			       strlen(from_person) > strlen(found)))) {
		confidence = found != NULL ? 0.85 : 0.55;
		g_free(found);
		found = g_strdup(from_person);
		excerpt = parse->from_name;
	}
	if (found != NULL)
		report_offer(parse, RF_CONTACT_NAME, found, confidence,
			     excerpt != NULL ? excerpt : found,
			     strlen(excerpt != NULL ? excerpt : found));
	name_memo_clear(&memo);
}
