/* report-contact.c — the report parser's country, phone number and
 * e-mail address of the writer.  See report.h, report-people.c and
 * docs/parsing.md.  A phone number is read by hand on ASCII text and by
 * the regex from where non-ASCII text is in the way; a text is searched
 * once for numbers, though read twice. */
#include <string.h>

#include "answer.h"
#include "report-internal.h"

static const char *
country_of_code(const char *normalised)
{
	static const struct {
		const char *code, *country;
	} codes[] = {{"+352", "LU"},
		     {"+32", "BE"},
		     {"+31", "NL"},
		     {"+33", "FR"},
		     {"+49", "DE"}};

	for (size_t i = 0; i < G_N_ELEMENTS(codes); i++)
		if (g_str_has_prefix(normalised, codes[i].code))
			return codes[i].country;
	return NULL;
}

gboolean
report_is_webmail(const char *domain)
{
	char first = g_ascii_tolower(domain[0]);

	for (size_t i = 0; report_webmail_domains[i] != NULL; i++)
		if (g_ascii_tolower(report_webmail_domains[i][0]) == first &&
		    g_ascii_strcasecmp(domain, report_webmail_domains[i]) == 0)
			return TRUE;
	return FALSE;
}

static const char *
country_of_domain(const char *addr)
{
	static const struct {
		const char *tld, *country;
	} tlds[] = {{".be", "BE"},
		    {".nl", "NL"},
		    {".fr", "FR"},
		    {".de", "DE"},
		    {".lu", "LU"}};
	const char *at;

	if (addr == NULL || (at = strrchr(addr, '@')) == NULL)
		return NULL;
	if (report_is_webmail(at + 1))
		return NULL;
	for (size_t i = 0; i < G_N_ELEMENTS(tlds); i++)
		if (g_str_has_suffix(at, tlds[i].tld))
			return tlds[i].country;
	return NULL;
}

/* One match of the phone pattern, with what does not depend on the
 * country: read once, though the candidates are gathered twice. */
struct phone_match {
	char *written;
	gsize start;
	/* -1: not read yet; else bit 0: excluded ("IBAN", "fax"), bit 1:
	 * a call cue, bit 2: a switchboard, in the line before it */
	int cues;
	/* answer_normalise_phone() for normalised_country, when
	 * normalised_known; for any country unless it is national */
	gboolean normalised_known, normalised_ok;
	const char *normalised_country;
	char *normalised;
};

/* The matches of the phone pattern in one text, searched for as far as
 * they are asked for. */
struct phone_search {
	const char *text;
	const struct filter_hits *hits; /* the literal scan of text */
	gboolean started;
	/* Where phone_scan() goes on, or G_MAXSIZE once the regex took
	 * over (in info, NULL: no more matches). */
	gsize scan_from;
	GMatchInfo *info;
	GArray *matches; /* struct phone_match, NULL while none */
	guint count;	 /* matches->len */
};

static void
phone_match_clear(gpointer data)
{
	struct phone_match *m = data;

	g_free(m->written);
	g_free(m->normalised);
}

static void
phone_search_init(struct phone_search *search, const char *text,
		  const struct filter_hits *hits)
{
	*search = (struct phone_search){.text = text, .hits = hits};
	/* matches is made with the first match: most texts have none. */
}

static void
phone_search_clear(struct phone_search *search)
{
	g_clear_pointer(&search->info, g_match_info_unref);
	g_clear_pointer(&search->matches, g_array_unref);
}

/* An ASCII byte of the phone pattern's "[\d \t./()\x{a0}-]". */
static gboolean
is_phone_ascii(char c)
{
	return g_ascii_isdigit(c) || (c != '\0' && strchr(" \t./()-", c));
}

/* The end of "[\d \t./()\x{a0}-]{6,24}\d(?!\w)" at text[at]: the
 * greedy run gives back until a digit with no word character after it
 * follows.  0: no match; G_MAXSIZE: a non-ASCII character (a digit,
 * NBSP, a letter?) is in the way. */
static gsize
phone_tail_end(const char *text, gsize at)
{
	gsize run = 0;

	/* The run, as far as the pattern can read it: 24 characters and
	 * the digit after them. */
	while (run < 25 && is_phone_ascii(text[at + run]))
		run++;
	if (run < 25 && (guchar)text[at + run] >= 0x80)
		return G_MAXSIZE;
	for (gsize taken = MIN(24, run - (run > 0)); taken >= 6; taken--) {
		guchar after = (guchar)text[at + taken + 1];

		if (!g_ascii_isdigit(text[at + taken]))
			continue;
		if (after >= 0x80)
			return G_MAXSIZE;
		if (!report_is_ascii_word((char)after))
			return at + taken + 1;
	}
	return 0;
}

enum phone_scan { PHONE_FOUND, PHONE_NONE, PHONE_UNSURE };

/* The phone pattern (report.c),
 * "(?<![\w+])(?:\+|00|\(0\)|0)[\d \t./()\x{a0}-]{6,24}\d(?!\w)",
 * searched by hand from text[from]: PHONE_FOUND with the first match in
 * [*start, *end), PHONE_NONE, or PHONE_UNSURE where a non-ASCII
 * character is in the way (no match starts before *start). */
static enum phone_scan
phone_scan(const char *text, gsize from, gsize *start, gsize *end)
{
	for (const char *next = strpbrk(text + from, "+0("); next != NULL;
	     next = strpbrk(next + 1, "+0(")) {
		gsize p = (gsize)(next - text);
		/* The prefixes that fit here, in the pattern's order. */
		gsize lengths[2];
		guint n = 0;
		guchar before;

		if (text[p] == '+') {
			lengths[n++] = 1;
		} else if (text[p] == '0') {
			if (text[p + 1] == '0')
				lengths[n++] = 2;
			lengths[n++] = 1;
		} else if (text[p] == '(' && text[p + 1] == '0' &&
			   text[p + 2] == ')') {
			lengths[n++] = 3;
		} else {
			continue;
		}
		before = p > 0 ? (guchar)text[p - 1] : ' ';
		if (before >= 0x80) {
			*start = p;
			return PHONE_UNSURE;
		}
		if (report_is_ascii_word((char)before) || before == '+')
			continue;
		for (guint k = 0; k < n; k++) {
			gsize e = phone_tail_end(text, p + lengths[k]);

			if (e == G_MAXSIZE) {
				*start = p;
				return PHONE_UNSURE;
			}
			if (e != 0) {
				*start = p;
				*end = e;
				return PHONE_FOUND;
			}
		}
	}
	return PHONE_NONE;
}

gboolean
report_has_phone(const struct parse *parse, const char *text)
{
	gsize start, end;

	switch (phone_scan(text, 0, &start, &end)) {
	case PHONE_FOUND:
		return TRUE;
	case PHONE_NONE:
		return FALSE;
	default:
		return g_regex_match_full(parse->parser->phone, text, -1,
					  (gint)start, 0, NULL, NULL);
	}
}

/* Match i of the search, or NULL when there are fewer.  phone_scan()
 * finds them while it can, the regex from where it cannot. */
static struct phone_match *
phone_match_at(const struct parse *parse, struct phone_search *search, guint i)
{
	while (i >= search->count) {
		struct phone_match m = {.cues = -1};
		gsize s = 0, e = 0;

		if (!search->started) {
			/* Every number starts with "+" or holds a "0". */
			search->started = TRUE;
			search->scan_from =
				report_phone_search_from(search->text);
			if (search->scan_from == G_MAXSIZE)
				return NULL;
		}
		if (search->scan_from != G_MAXSIZE) {
			switch (phone_scan(search->text, search->scan_from, &s,
					   &e)) {
			case PHONE_FOUND:
				search->scan_from = e;
				break;
			case PHONE_NONE:
				search->scan_from = G_MAXSIZE;
				return NULL;
			case PHONE_UNSURE:
				search->scan_from = G_MAXSIZE;
				if (!g_regex_match_full(parse->parser->phone,
							search->text, -1,
							(gint)s, 0,
							&search->info, NULL))
					g_clear_pointer(&search->info,
							g_match_info_unref);
				if (search->info == NULL)
					return NULL;
				break;
			}
		} else if (search->info == NULL) {
			return NULL;
		} else if (!g_match_info_next(search->info, NULL)) {
			g_clear_pointer(&search->info, g_match_info_unref);
			return NULL;
		}
		if (search->info != NULL) {
			int start, end;

			g_match_info_fetch_pos(search->info, 0, &start, &end);
			s = (gsize)start;
			e = (gsize)end;
		}
		m.start = s;
		m.written = g_strstrip(g_strndup(search->text + s, e - s));
		if (search->matches == NULL) {
			search->matches = g_array_new(
				FALSE, TRUE, sizeof(struct phone_match));
			g_array_set_clear_func(search->matches,
					       phone_match_clear);
		}
		g_array_append_val(search->matches, m);
		search->count++;
	}
	return &g_array_index(search->matches, struct phone_match, i);
}

#define PHONE_CUE_EXCLUDED    1
#define PHONE_CUE_CALL	      2
#define PHONE_CUE_SWITCHBOARD 4

/* The words of the phone cue patterns (report.c) in ASCII, lowercased,
 * as report_next_listed_word() takes them: excluded ("\b(?:IBAN|...|n°|Az\.?)
 * \b[^\n]{0,6}$"), call cue and switchboard.  Keep in step with the
 * patterns. */
static const char phone_excluded_words[][8] = {
	"iban",	   "bic",     "btw",  "vat",	"tva",	 "kbo",	  "bce",
	"ust",	   "hrb",     "rpr",  "riziv",	"inami", "siret", "fax",
	"telefax", "dossier", "case", "ticket", "ref",	 "nr",	  "az",
};
static const char phone_call_cue_words[][12] = {
	"bel",	      "bellen",	 "call",    "ring",	 "reach",
	"bereikbaar", "appelez", "appeler", "joignable", "joindre",
	"erreichbar", "anrufen", "rufen",   "gsm",	 "mobil",
	"mobile",     "mobiel",	 "handy",   "portable",	 "direct",
	"direkt",
};
static const char phone_switchboard_words[][12] = {
	"centrale", "switchboard", "standaard", "standard",
	"zentrale", "accueil",	   "onthaal",	"reception",
};

/* The cue bits of phone_cues() for line, length bytes of pure ASCII
 * without a newline. */
int
report_people_phone_cues_ascii(const char *line, gsize length)
{
	gsize at = 0, start, end, last = length;
	int found = 0;

	/* An excluded word ends at most six characters before the end of
	 * the line, or before a newline ending it ($; the regex takes CR,
	 * VT and FF for newlines too); "Az." counts the dot when a word
	 * character follows it (for the \b). */
	if (length > 0 && strchr("\r\v\f", line[length - 1]) != NULL)
		last = length - 1;
	while (report_next_listed_word(
		line, length, &at, phone_excluded_words[0],
		sizeof(phone_excluded_words[0]),
		G_N_ELEMENTS(phone_excluded_words), &start, &end))
		if (last - end <= 6 ||
		    (end - start == 2 && g_ascii_tolower(line[start]) == 'a' &&
		     line[end] == '.' && end + 1 < length &&
		     report_is_ascii_word(line[end + 1]) &&
		     last - (end + 1) <= 6)) {
			found |= PHONE_CUE_EXCLUDED;
			break;
		}
	at = 0;
	if (report_next_listed_word(line, length, &at, phone_call_cue_words[0],
				    sizeof(phone_call_cue_words[0]),
				    G_N_ELEMENTS(phone_call_cue_words), &start,
				    &end))
		found |= PHONE_CUE_CALL;
	at = 0;
	if (report_next_listed_word(
		    line, length, &at, phone_switchboard_words[0],
		    sizeof(phone_switchboard_words[0]),
		    G_N_ELEMENTS(phone_switchboard_words), &start, &end))
		found |= PHONE_CUE_SWITCHBOARD;
	return found;
}

/* The cue bits of phone_match.cues for a number at text[start]. */
static int
phone_cues(const struct parse *parse, const char *text,
	   const struct filter_hits *hits, gsize start)
{
	/* Excluded ("IBAN", "fax"), call cue, switchboard. */
	const GRegex *cues[] = {
		parse->parser->phone_excluded,
		parse->parser->phone_call_cue,
		parse->parser->phone_switchboard,
	};
	char line[48];
	gsize from = start > 40 ? start - 40 : 0;
	int found = 0;

	/* The line before the number, at most 40 bytes back (from a
	 * character boundary). */
	while (from < start && (text[from] & 0xc0) == 0x80)
		from++;
	for (gsize i = start; i > from; i--)
		if (text[i - 1] == '\n') {
			from = i;
			break;
		}
	if (report_is_ascii(text + from, start - from))
		return report_people_phone_cues_ascii(text + from,
						      start - from);
	memcpy(line, text + from, start - from);
	line[start - from] = '\0';
	/* The line is a part of the scanned text: its scan says which
	 * cues may stand in it. */
	for (guint r = 0; r < G_N_ELEMENTS(cues); r++)
		if (report_filters_may_match_in(parse->parser->filters, hits,
						cues[r], from, start) &&
		    g_regex_match(cues[r], line, 0, NULL))
			found |= 1 << r;
	return found;
}

struct phone_candidate {
	const char *normalised; /* borrowed from the phone_match */
	const char *written;
	double score;
};

/* Appends the numbers of search to out (n of them, at most
 * REPORT_MAX_PHONE_CANDIDATES), normalised for country. */
static void
phone_candidates(const struct parse *parse, struct phone_search *search,
		 gboolean in_signature, const char *country,
		 struct phone_candidate *out, guint *n)
{
	struct phone_match *m;

	for (guint i = 0; *n < REPORT_MAX_PHONE_CANDIDATES &&
			  (m = phone_match_at(parse, search, i)) != NULL;
	     i++) {
		struct phone_candidate c = {0};

		/* Dates and account numbers look like numbers too. */
		if (strchr(m->written, '/') != NULL && strlen(m->written) <= 10)
			continue;
		/* Without a country, only an international number counts:
		 * "0" and another digit first (no "+", no "00") are none,
		 * known without answer_normalise_phone(). */
		if (country == NULL && !m->normalised_known &&
		    m->written[0] == '0' && g_ascii_isdigit(m->written[1]) &&
		    m->written[1] != '0')
			continue;
		/* The country only matters to a national number, which
		 * comes back without a "+" (the other answers, and the
		 * failures, are found before the country is read). */
		if (!m->normalised_known ||
		    (g_strcmp0(m->normalised_country, country) != 0 &&
		     m->normalised_ok && m->normalised[0] != '+')) {
			g_clear_pointer(&m->normalised, g_free);
			m->normalised_ok = answer_normalise_phone(
				m->written, country, &m->normalised, NULL);
			m->normalised_known = TRUE;
			m->normalised_country = country;
		}
		if (!m->normalised_ok || m->normalised[0] != '+')
			continue;
		if (m->cues < 0)
			m->cues = phone_cues(parse, search->text, search->hits,
					     m->start);
		if (m->cues & PHONE_CUE_EXCLUDED)
			continue;
		c.score = in_signature ? 0.6 : 0.65;
		if (m->cues & PHONE_CUE_CALL)
			c.score += 0.15;
		if (m->cues & PHONE_CUE_SWITCHBOARD)
			c.score -= 0.2;
		/* Mobile numbers reach the person now. */
		if (g_str_has_prefix(m->normalised, "+324") ||
		    g_str_has_prefix(m->normalised, "+316") ||
		    g_str_has_prefix(m->normalised, "+336") ||
		    g_str_has_prefix(m->normalised, "+337") ||
		    g_str_has_prefix(m->normalised, "+4915") ||
		    g_str_has_prefix(m->normalised, "+4916") ||
		    g_str_has_prefix(m->normalised, "+4917") ||
		    g_str_has_prefix(m->normalised, "+3526"))
			c.score += 0.1;
		c.normalised = m->normalised;
		c.written = m->written;
		out[(*n)++] = c;
	}
}

void
report_parse_country_and_phone(struct parse *parse)
{
	const char *country = NULL;
	double confidence = 0;
	const char *why = NULL;
	struct phone_search in_text, in_signature;
	struct phone_candidate candidates[REPORT_MAX_PHONE_CANDIDATES];
	guint n = 0;
	const struct phone_candidate *best = NULL;

	phone_search_init(&in_text, parse->text, parse->hits);
	phone_search_init(&in_signature, parse->signature,
			  parse->signature_hits);

	/* 1. A country name in the signature's address. */
	for (size_t i = 0; i < report_country_name_count && country == NULL;
	     i++) {
		const GRegex *name = parse->parser->country_names[i];
		gsize s, e, offset;

		if (name != NULL &&
		    report_filters_search_from(parse->parser->filters,
					       parse->signature_hits, name,
					       parse->signature, &offset) &&
		    report_regex_first_from(name, parse->signature, offset, &s,
					    &e)) {
			country = report_country_names[i].country;
			confidence = 0.9;
			why = parse->signature + s;
		}
	}
	/* 2. The country code of an international number. */
	if (country == NULL) {
		phone_candidates(parse, &in_signature, TRUE, NULL, candidates,
				 &n);
		phone_candidates(parse, &in_text, FALSE, NULL, candidates, &n);
		for (guint i = 0; i < n && country == NULL; i++) {
			const struct phone_candidate *c = &candidates[i];

			country = country_of_code(c->normalised);
			if (country != NULL)
				report_offer(parse, RF_COUNTRY, country, 0.85,
					     c->written, strlen(c->written));
		}
		n = 0;
	}
	/* 3. The sender's domain. */
	if (country == NULL &&
	    (country = country_of_domain(parse->from_addr)) != NULL) {
		confidence = 0.7;
		why = parse->from_addr;
	}
	/* 4. A known city. */
	if (country == NULL) {
		g_autoptr(GMatchInfo) info = NULL;

		gboolean found = report_match_city(
			parse, parse->parser->cities, parse->signature,
			parse->signature_hits, &info);

		if (!found) {
			g_clear_pointer(&info, g_match_info_unref);
			found = report_match_city(parse, parse->parser->cities,
						  parse->text, parse->hits,
						  &info);
		}
		if (found) {
			g_autofree char *city = g_match_info_fetch(info, 1);

			for (size_t i = 0; i < report_city_count; i++)
				if (strcmp(report_cities[i].name, city) == 0)
					country = report_cities[i].country;
			confidence = 0.55;
			why = NULL;
		}
	}
	if (country != NULL && parse->best[RF_COUNTRY] == NULL)
		report_offer(parse, RF_COUNTRY, country, confidence, why,
			     why != NULL ? strlen(why) : 0);

	phone_candidates(parse, &in_text, FALSE, country, candidates, &n);
	phone_candidates(parse, &in_signature, TRUE, country, candidates, &n);
	for (guint i = 0; i < n; i++) {
		const struct phone_candidate *c = &candidates[i];

		if (best == NULL || c->score > best->score)
			best = c;
	}
	if (best != NULL)
		report_offer(parse, RF_CONTACT_PHONE, best->normalised,
			     best->score, best->written, strlen(best->written));
	phone_search_clear(&in_text);
	phone_search_clear(&in_signature);
}

void
report_parse_contact_email(struct parse *parse)
{
	g_autoptr(GMatchInfo) info = NULL;
	int seen = 0;
	gsize from = report_email_search_from(parse->text);

	if (from == G_MAXSIZE)
		return;
	g_regex_match_full(parse->parser->email, parse->text, -1, (gint)from, 0,
			   &info, NULL);
	for (; g_match_info_matches(info) && seen < 8;
	     g_match_info_next(info, NULL), seen++) {
		g_autofree char *written = g_match_info_fetch(info, 0);
		g_autofree char *normalised = NULL;
		g_autofree char *sentence = NULL;
		int s, e;

		g_match_info_fetch_pos(info, 0, &s, &e);
		if (!answer_normalise_email(written, &normalised, NULL))
			continue;
		if (parse->from_addr != NULL &&
		    g_ascii_strcasecmp(normalised, parse->from_addr) == 0)
			continue;
		sentence = report_sentence_around(parse->text, (gsize)s);
		if (!g_regex_match(parse->parser->email_cue, sentence, 0, NULL))
			continue;
		report_offer(parse, RF_CONTACT_EMAIL, normalised, 0.7, sentence,
			     strlen(sentence));
		return;
	}
}
