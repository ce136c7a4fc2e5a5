/* report-people.c — the report parser's fields about the writer:
 * country, phone, e-mail, organisation, location and contact name.  See
 * report.h and docs/parsing.md. */
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

/* --- country, phone, e-mail ------------------------------------------- */

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
	for (size_t i = 0; report_webmail_domains[i] != NULL; i++)
		if (g_ascii_strcasecmp(at + 1, report_webmail_domains[i]) == 0)
			return NULL;
	for (size_t i = 0; i < G_N_ELEMENTS(tlds); i++)
		if (g_str_has_suffix(at, tlds[i].tld))
			return tlds[i].country;
	return NULL;
}

struct phone_candidate {
	char *normalised;
	char *written;
	double score;
};

static void
phone_candidates(const struct parse *parse, const char *text,
		 gboolean in_signature, const char *country, GArray *out)
{
	g_autoptr(GMatchInfo) info = NULL;
	gsize search_from = report_phone_search_from(text);
	/* Excluded ("IBAN", "fax"), call cue, switchboard. */
	const GRegex *cues[] = {
		parse->parser->phone_excluded,
		parse->parser->phone_call_cue,
		parse->parser->phone_switchboard,
	};

	/* Every number starts with "+" or holds a "0". */
	if (search_from == G_MAXSIZE)
		return;
	g_regex_match_full(parse->parser->phone, text, -1, (gint)search_from, 0,
			   &info, NULL);
	for (; g_match_info_matches(info) &&
	       out->len < REPORT_MAX_PHONE_CANDIDATES;
	     g_match_info_next(info, NULL)) {
		g_autofree char *written = g_match_info_fetch(info, 0);
		g_autofree char *normalised = NULL;
		g_autofree char *before = NULL;
		g_autofree char *line_before = NULL;
		int s, e;
		gsize from;
		struct phone_candidate c = {0};
		const char *line;
		guint may;

		g_match_info_fetch_pos(info, 0, &s, &e);
		g_strstrip(written);
		if (!answer_normalise_phone(written, country, &normalised,
					    NULL) ||
		    normalised[0] != '+')
			continue;
		/* Dates and account numbers look like numbers too. */
		if (strchr(written, '/') != NULL && strlen(written) <= 10)
			continue;
		from = s > 40 ? (gsize)s - 40 : 0;
		while (from < (gsize)s && (text[from] & 0xc0) == 0x80)
			from++;
		before = g_strndup(text + from, (gsize)s - from);
		line = strrchr(before, '\n');
		line_before = g_strdup(line != NULL ? line + 1 : before);
		/* The filter reads the line once for the three. */
		may = report_filters_which_may_match(parse->parser->filters,
						     cues, G_N_ELEMENTS(cues),
						     line_before);
		if ((may & 1) && g_regex_match(cues[0], line_before, 0, NULL))
			continue;
		c.score = in_signature ? 0.6 : 0.65;
		if ((may & 2) && g_regex_match(cues[1], line_before, 0, NULL))
			c.score += 0.15;
		if ((may & 4) && g_regex_match(cues[2], line_before, 0, NULL))
			c.score -= 0.2;
		/* Mobile numbers reach the person now. */
		if (g_str_has_prefix(normalised, "+324") ||
		    g_str_has_prefix(normalised, "+316") ||
		    g_str_has_prefix(normalised, "+336") ||
		    g_str_has_prefix(normalised, "+337") ||
		    g_str_has_prefix(normalised, "+4915") ||
		    g_str_has_prefix(normalised, "+4916") ||
		    g_str_has_prefix(normalised, "+4917") ||
		    g_str_has_prefix(normalised, "+3526"))
			c.score += 0.1;
		c.normalised = g_steal_pointer(&normalised);
		c.written = g_steal_pointer(&written);
		g_array_append_val(out, c);
	}
}

static void
phone_candidate_clear(gpointer data)
{
	struct phone_candidate *c = data;

	g_free(c->normalised);
	g_free(c->written);
}

void
report_parse_country_and_phone(struct parse *parse)
{
	const char *country = NULL;
	double confidence = 0;
	const char *why = NULL;
	g_autoptr(GArray) candidates =
		g_array_new(FALSE, TRUE, sizeof(struct phone_candidate));
	const struct phone_candidate *best = NULL;

	g_array_set_clear_func(candidates, phone_candidate_clear);

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
		phone_candidates(parse, parse->signature, TRUE, NULL,
				 candidates);
		phone_candidates(parse, parse->text, FALSE, NULL, candidates);
		for (guint i = 0; i < candidates->len && country == NULL; i++) {
			const struct phone_candidate *c = &g_array_index(
				candidates, struct phone_candidate, i);

			country = country_of_code(c->normalised);
			if (country != NULL)
				report_offer(parse, RF_COUNTRY, country, 0.85,
					     c->written, strlen(c->written));
		}
		g_array_set_size(candidates, 0);
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

		gboolean found = match_scanned(parse, parse->parser->cities,
					       parse->signature,
					       parse->signature_hits, &info);

		if (!found) {
			g_clear_pointer(&info, g_match_info_unref);
			found = match_scanned(parse, parse->parser->cities,
					      parse->text, parse->hits, &info);
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

	phone_candidates(parse, parse->text, FALSE, country, candidates);
	phone_candidates(parse, parse->signature, TRUE, country, candidates);
	for (guint i = 0; i < candidates->len; i++) {
		const struct phone_candidate *c =
			&g_array_index(candidates, struct phone_candidate, i);

		if (best == NULL || c->score > best->score)
			best = c;
	}
	if (best != NULL)
		report_offer(parse, RF_CONTACT_PHONE, best->normalised,
			     best->score, best->written, strlen(best->written));
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
		if (hits != NULL)
			found = match_scanned(parse, regex, text, hits, &info);
		else if (i < 32)
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
	static const char *const acronyms[] = {"az", "uz",  "chu", "chr", "chc",
					       "ch", "umc", "zna", "gza", "ggz",
					       "mc", "hub", NULL};
	const char *at;
	g_auto(GStrv) labels = NULL;
	g_auto(GStrv) words = NULL;
	GString *out;
	guint n;

	if (addr == NULL || (at = strrchr(addr, '@')) == NULL)
		return NULL;
	for (size_t i = 0; report_webmail_domains[i] != NULL; i++)
		if (g_ascii_strcasecmp(at + 1, report_webmail_domains[i]) == 0)
			return NULL;
	labels = g_strsplit(at + 1, ".", -1);
	n = g_strv_length(labels);
	if (n < 2 || strlen(labels[n - 2]) < 2)
		return NULL;
	words = g_strsplit(labels[n - 2], "-", 8);
	out = g_string_new(NULL);
	for (size_t i = 0; words[i] != NULL; i++) {
		gboolean acronym = g_strv_contains(acronyms, words[i]);

		if (*words[i] == '\0')
			continue;
		if (out->len > 0)
			g_string_append_c(out, ' ');
		if (acronym) {
			g_autofree char *up = g_ascii_strup(words[i], -1);

			g_string_append(out, up);
		} else {
			g_string_append_c(out, g_ascii_toupper(words[i][0]));
			g_string_append(out, words[i] + 1);
		}
	}
	return g_string_free(out, FALSE);
}

/* A signature line that names an organisation: "Regionaal Ziekenhuis
 * Heilig Hart vzw", "Service informatique - Clinique Saint-Luc". */
static char *
organisation_line(const struct parse *parse)
{
	g_auto(GStrv) lines = g_strsplit(parse->signature, "\n", 40);

	for (size_t i = 0; lines[i] != NULL; i++) {
		/* "•" is three bytes: split at it as a string, never at
		 * its bytes, or the parts are no longer UTF-8. */
		g_auto(GStrv) bullets = g_strsplit(lines[i], "•", 6);
		g_autofree char *line = g_strjoinv("|", bullets);
		g_auto(GStrv) parts = g_strsplit_set(line, "|,", 6);

		for (size_t p = 0; parts[p] != NULL; p++) {
			g_strstrip(parts[p]);
			if (*parts[p] == '\0' || strchr(parts[p], '@') ||
			    (strpbrk(parts[p], "+0") != NULL &&
			     g_regex_match(parse->parser->phone, parts[p], 0,
					   NULL)))
				continue;
			if (match_string(parse,
					 parse->parser->organisation_words,
					 parts[p], NULL) &&
			    g_utf8_strlen(parts[p], -1) <= 80)
				return g_strdup(parts[p]);
		}
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
	if (hits != NULL ? !match_scanned(parse, regex, text, hits, &info)
			 : !match_string(parse, regex, text, &info))
		return FALSE;
	city = g_match_info_fetch(info, 1);
	whole = g_match_info_fetch(info, 0);
	report_offer(mutable_parse, RF_LOCATION, city, confidence, whole,
		     strlen(whole));
	return TRUE;
}

void
report_parse_location(struct parse *parse)
{
	const char *organisation = report_best_value(parse, RF_ORGANISATION);
	const struct report_parser *p = parse->parser;
	g_autoptr(GMatchInfo) info = NULL;

	if (organisation != NULL &&
	    city_in(parse, p->cities, organisation, NULL,
		    parse->best[RF_ORGANISATION]->confidence > 0.5 ? 0.8 : 0.45,
		    parse))
		return;
	if (city_in(parse, p->city_after_preposition, parse->text, parse->hits,
		    0.75, parse))
		return;
	/* The address line's city beats a city named in a street. */
	if (report_text_may_hold_digits(parse->signature, 0,
					strlen(parse->signature), 4) &&
	    g_regex_match(p->postal_city, parse->signature, 0, &info)) {
		g_autofree char *city = g_match_info_fetch(info, 1);
		g_autofree char *whole = g_match_info_fetch(info, 0);

		if (!match_string(parse, p->role_words, city, NULL)) {
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

/* A person's name, or NULL: from a line or the display name, with a
 * role or an organisation ruling it out. */
static char *
person_name_of(const struct parse *parse, const char *line)
{
	g_autoptr(GMatchInfo) info = NULL;
	g_autofree char *copy = g_strdup(line);
	char *cut;
	char *name;

	/* "Jan Peeters | CISO", "Jan Peeters - IT", "Jan, IT AZ ..." */
	if ((cut = strstr(copy, " | ")) != NULL ||
	    (cut = strstr(copy, " - ")) != NULL ||
	    (cut = strstr(copy, " – ")) != NULL ||
	    (cut = strchr(copy, '|')) != NULL ||
	    (cut = strchr(copy, '(')) != NULL)
		*cut = '\0';
	g_strstrip(copy);
	trim_name(copy);
	if (*copy == '\0' || g_utf8_strlen(copy, -1) > 60)
		return NULL;
	/* A role, organisation, sign-off or city is no name; the filter
	 * reads the line once for all four. */
	{
		const GRegex *not_names[] = {
			parse->parser->role_words,
			parse->parser->organisation_words,
			parse->parser->signoff,
			parse->parser->cities,
		};
		guint may = report_filters_which_may_match(
			parse->parser->filters, not_names,
			G_N_ELEMENTS(not_names), copy);

		for (guint r = 0; r < G_N_ELEMENTS(not_names); r++)
			if ((may >> r & 1) &&
			    g_regex_match(not_names[r], copy, 0, NULL))
				return NULL;
	}
	if (!g_regex_match(parse->parser->person_name, copy, 0, &info))
		return NULL;
	name = g_match_info_fetch(info, 1);
	return name;
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
	g_strdelimit(copy, "\"", ' ');
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
	g_autofree char *from = display_name(parse->from_name);
	g_autofree char *from_person =
		from != NULL ? person_name_of(parse, from) : NULL;
	g_autofree char *found = NULL;
	const char *excerpt = NULL;
	double confidence = 0;
	g_autoptr(GMatchInfo) info = NULL;

	/* The signature: the first line that is a name. */
	{
		g_auto(GStrv) lines = g_strsplit(parse->signature, "\n", 40);

		for (size_t i = 0; lines[i] != NULL && found == NULL; i++) {
			if (match_string(parse, parse->parser->signoff,
					 lines[i], NULL))
				continue;
			/* "Groeten, Jan" on one line */
			found = person_name_of(parse, lines[i]);
			confidence = 0.85;
		}
	}
	/* "— Jan, IT AZ Voorbeeld Gent" */
	if (found == NULL && g_regex_match(parse->parser->dash_signature,
					   parse->text, 0, &info)) {
		found = g_match_info_fetch(info, 1);
		confidence = 0.75;
		if (match_string(parse, parse->parser->role_words, found, NULL))
			g_clear_pointer(&found, g_free);
	}
	g_clear_pointer(&info, g_match_info_unref);
	/* "Ik ben Jan Peeters, ..." */
	if (found == NULL && match_scanned(parse, parse->parser->introduction,
					   parse->text, parse->hits, &info)) {
		g_autofree char *candidate = g_match_info_fetch(info, 1);

		found = person_name_of(parse, candidate);
		confidence = 0.7;
	}
	/* The display name is fuller ("Jan" in the signature, "Jan
	 * Peeters" in From), or all there is. */
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
}
