/* report.c — case fields from the free text of an incident report.  The
 * tables live in report-patterns.c; this file compiles and applies them,
 * with report-when.c (detected_at) and report-people.c (who and where).
 * See report.h and docs/parsing.md. */
#include "report.h"

#include <string.h>

#include "report-internal.h"

/* --- building ----------------------------------------------------------- */

static GRegex *
compile(const char *pattern, gboolean caseless)
{
	g_autoptr(GError) error = NULL;
	GRegexCompileFlags flags = G_REGEX_OPTIMIZE;
	GRegex *regex;

	if (caseless)
		flags |= G_REGEX_CASELESS;
	regex = g_regex_new(pattern, flags, 0, &error);
	/* The tables are built in: a bad pattern is a programming error. */
	if (regex == NULL)
		g_error("report pattern \"%s\": %s", pattern, error->message);
	return regex;
}

/* Joins the alternatives of several languages into one pattern. */
static void
append_alternative(GString *out, const char *pattern)
{
	if (pattern == NULL)
		return;
	if (out->len > 0)
		g_string_append_c(out, '|');
	g_string_append_printf(out, "(?:%s)", pattern);
}

static GRegex *
compile_filtered(struct report_parser *parser, const char *pattern,
		 gboolean caseless)
{
	GRegex *regex = compile(pattern, caseless);

	report_filters_add(parser->filters, regex, pattern);
	return regex;
}

/* What an empty table compiles to. */
#define NEVER_MATCHES "(?!)"

static GRegex *
compile_joined(struct report_parser *parser, GString *pattern)
{
	/* A pattern that can never match stands in for an empty table. */
	return compile_filtered(
		parser, pattern->len > 0 ? pattern->str : NEVER_MATCHES, TRUE);
}

/* pattern, matching only at the search's start: PCRE2's JIT takes \G,
 * not G_REGEX_MATCH_ANCHORED.  NULL for a table that never matches. */
static GRegex *
compile_at(const char *pattern)
{
	g_autofree char *anchored = NULL;

	if (strcmp(pattern, NEVER_MATCHES) == 0)
		return NULL;
	anchored = g_strdup_printf("\\G(?:%s)", pattern);
	return compile(anchored, TRUE);
}

/* Appends pattern's top-level alternatives that start with "^" to
 * start, the others to rest.  A pattern that sets options inline (which
 * reach across alternatives) or that this does not read goes to rest
 * whole. */
static void
split_start_alternatives(const char *pattern, GString *start, GString *rest)
{
	const char *alternative = pattern;
	gboolean in_class = FALSE;
	int depth = 0;

	if (pattern == NULL)
		return;
	for (const char *p = pattern; *p != '\0'; p++)
		if ((p[0] == '(' && p[1] == '?' &&
		     strchr(":=!<", p[2]) == NULL) ||
		    (p[0] == '[' && (p[1] == ']' || p[1] == '^'))) {
			append_alternative(rest, pattern);
			return;
		}
	for (const char *p = pattern;; p++) {
		if (*p == '\\' && p[1] != '\0') {
			p++;
			continue;
		}
		if (in_class) {
			in_class = *p != ']';
			continue;
		}
		if (*p == '[')
			in_class = TRUE;
		else if (*p == '(')
			depth++;
		else if (*p == ')')
			depth--;
		else if ((*p == '|' && depth == 0) || *p == '\0') {
			g_autofree char *a = g_strndup(
				alternative, (gsize)(p - alternative));

			append_alternative(a[0] == '^' ? start : rest, a);
			if (*p == '\0')
				break;
			alternative = p + 1;
		}
	}
}

/* Whether p starts with an ASCII letter that a match must take. */
static gboolean
plain_first_letter(const char *p)
{
	return g_ascii_isalpha(p[0]) && p[1] != '\0' &&
	       strchr("?*{", p[1]) == NULL;
}

/* The letters that may follow "^\s*" in the alternatives of start
 * ("(?:^\s*(?:whether|if)\b)|(?:^\s*of\b)": "wio"), lower case, into
 * letters; "" when they are not all plain ASCII letters read here. */
static void
start_letters(const char *start, char *letters, gsize size)
{
	static const char prefix[] = "(?:^\\s*";
	GString *found = g_string_new(NULL);
	gboolean known = TRUE;

	for (const char *p = start; known && *p != '\0';) {
		if (strncmp(p, prefix, sizeof(prefix) - 1) != 0) {
			known = FALSE;
			break;
		}
		p += sizeof(prefix) - 1;
		if (strncmp(p, "(?:", 3) == 0) {
			/* words of one group: each alternative's first */
			int depth = 0;

			p += 3;
			known = plain_first_letter(p);
			if (known)
				g_string_append_c(found, g_ascii_tolower(*p));
			for (; known && *p != '\0'; p++) {
				if (*p == '\\' || *p == '[')
					known = FALSE;
				else if (*p == '(')
					depth++;
				else if (*p == ')' && depth-- == 0)
					break;
				else if (*p == '|' && depth == 0) {
					known = plain_first_letter(p + 1);
					if (known)
						g_string_append_c(
							found,
							g_ascii_tolower(p[1]));
				}
			}
			/* past the group's ")", which must not be
			 * optional */
			if (known && *p == ')' && p[1] != '\0' &&
			    strchr("?*{", p[1]) == NULL)
				p++;
			else
				known = FALSE;
		} else {
			known = plain_first_letter(p);
			if (known)
				g_string_append_c(found, g_ascii_tolower(*p));
		}
		/* on to the next alternative: "(?:^\s*" at depth 0 */
		if (known) {
			int depth = 1;

			for (; *p != '\0' && depth > 0; p++) {
				if (*p == '\\' && p[1] != '\0')
					p++;
				else if (*p == '(')
					depth++;
				else if (*p == ')')
					depth--;
			}
			if (*p == '|')
				p++;
			else if (*p != '\0')
				known = FALSE;
		}
	}
	if (!known || found->len + 1 > size)
		g_string_truncate(found, 0);
	memcpy(letters, found->str, found->len + 1);
	g_string_free(found, TRUE);
}

static void
build_yesno(struct report_parser *parser)
{
	for (int f = 0; f < RF_COUNT; f++) {
		g_autoptr(GString) topic = g_string_new(NULL);
		g_autoptr(GString) yes = g_string_new(NULL);
		g_autoptr(GString) no = g_string_new(NULL);
		g_autoptr(GString) unknown = g_string_new(NULL);
		g_autoptr(GString) unknown_start = g_string_new(NULL);
		struct compiled_yesno *y = &parser->yesno[f];

		for (size_t i = 0; i < report_yesno_pattern_count; i++) {
			const struct report_yesno_pattern *p =
				&report_yesno_patterns[i];

			if ((int)p->field != f)
				continue;
			if (p->topic != NULL) {
				g_autofree char *bounded =
					g_strdup_printf("\\b(?:%s)", p->topic);

				append_alternative(topic, bounded);
			}
			append_alternative(yes, p->yes);
			append_alternative(no, p->no);
			/* A clause matches the unknown cues when it matches
			 * either part: they are searched apart, the "^"
			 * ones only at the clause's start, so that the
			 * filter and the anchored searches can take the
			 * rest (see unknown_matches()). */
			split_start_alternatives(p->unknown, unknown_start,
						 unknown);
		}
		if (topic->len == 0)
			continue;
		y->field = f;
		y->topic = compile_joined(parser, topic);
		y->yes = compile_joined(parser, yes);
		y->no = compile_joined(parser, no);
		y->unknown = compile_joined(parser, unknown);
		y->topic_at = compile_at(g_regex_get_pattern(y->topic));
		y->yes_at = compile_at(g_regex_get_pattern(y->yes));
		y->no_at = compile_at(g_regex_get_pattern(y->no));
		y->unknown_at = compile_at(g_regex_get_pattern(y->unknown));
		if (unknown_start->len > 0) {
			y->unknown_start = compile(unknown_start->str, TRUE);
			start_letters(unknown_start->str,
				      y->unknown_start_letters,
				      sizeof(y->unknown_start_letters));
		}
	}
}

static void
compiled_keyword_free(gpointer data)
{
	struct compiled_keyword *k = data;

	g_regex_unref(k->regex);
	g_strfreev(k->required);
	g_free(k);
}

/* Whether regex's filter looks for each of words (so that a check for
 * them is implied by it). */
static gboolean
filter_has_all(const struct report_filters *filters, const GRegex *regex,
	       char *const *words)
{
	guint index = report_filter_index(filters, regex);

	if (index == 0)
		return FALSE;
	for (gsize w = 0; words[w] != NULL; w++) {
		gboolean found = FALSE;

		for (guint i = 0; i < filters->literals->len && !found; i++) {
			const struct filter_literal *l =
				filters->literals->pdata[i];

			found = l->filter == index - 1 &&
				strcmp(l->text, words[w]) == 0;
		}
		if (!found)
			return FALSE;
	}
	return TRUE;
}

static GRegex *
compile_cities(struct report_parser *parser, const char *prefix,
	       const char *suffix)
{
	g_autoptr(GString) pattern = g_string_new(prefix);

	g_string_append(pattern, "\\b(");
	for (size_t i = 0; i < report_city_count; i++) {
		if (i > 0)
			g_string_append_c(pattern, '|');
		g_string_append(pattern, report_cities[i].name);
	}
	g_string_append(pattern, ")\\b");
	g_string_append(pattern, suffix);
	return compile_filtered(parser, pattern->str, FALSE);
}

/* A ransom note named, or a note's file name: "README.txt",
 * "xxxx.onion", "Tox ID". */
#define RANSOM_NOTE                                                            \
	"ransom ?(?:note|message|demand|letter)|losgeld(?:brief|"              \
	"bericht|eis|nota)|note de rançon|demande de rançon|"                \
	"message de rançon|lettre de rançon|Lösegeldforderung|"             \
	"Erpresserschreiben|Erpresserbrief|Erpressernachricht|"                \
	"\\b[\\w-]*(?:README|DECRYPT|RESTORE|RECOVER)[\\w-]*\\.(?:txt|"        \
	"html?|hta)\\b|\\b\\w{16,56}\\.onion\\b|\\btox ?id\\b"

struct report_parser *
report_parser_new(void)
{
	struct report_parser *parser = g_new0(struct report_parser, 1);

	parser->filters = report_filters_new();
	build_yesno(parser);
	parser->keywords =
		g_ptr_array_new_with_free_func(compiled_keyword_free);
	for (size_t i = 0; i < report_keyword_count; i++) {
		struct compiled_keyword *k = g_new0(struct compiled_keyword, 1);

		k->keyword = &report_keywords[i];
		k->regex = compile_filtered(parser, report_keywords[i].pattern,
					    TRUE);
		k->filter = report_filter_index(parser->filters, k->regex);
		k->required =
			report_required_literals(report_keywords[i].pattern);
		/* Words the filter looks for already rule out nothing
		 * more. */
		if (k->required != NULL &&
		    filter_has_all(parser->filters, k->regex, k->required))
			g_clear_pointer(&k->required, g_strfreev);
		g_ptr_array_add(parser->keywords, k);
	}
	for (int l = 0; l < RL_COUNT; l++) {
		parser->negation[l] =
			compile_filtered(parser, report_negations[l], TRUE);
		parser->negation_at[l] = compile_at(report_negations[l]);
		parser->request[l] =
			compile_filtered(parser, report_requests[l], TRUE);
		parser->detection[l] =
			compile_filtered(parser, report_detections[l], TRUE);
		parser->still_working[l] =
			compile_filtered(parser, report_still_working[l], TRUE);
	}
	parser->days = g_new0(struct compiled_day, report_relative_day_count);
	for (size_t i = 0; i < report_relative_day_count; i++) {
		g_autofree char *pattern = g_strdup_printf(
			"\\b(?:%s)\\b", report_relative_days[i].pattern);

		parser->days[i].day = &report_relative_days[i];
		parser->days[i].regex = compile_filtered(parser, pattern, TRUE);
	}
	/* "om 7u", "7u30", "à 7h", "um 6 Uhr", "7:30", "at 7am". */
	parser->time = compile(
		"(?<prep>\\b(?:om|at|à|a|um|vers|rond|around|gegen|tegen|"
		"vanaf|since|sinds|depuis|seit|dès|ab|from)[ \\t]+"
		"(?:(?:ongeveer|circa|environ|ca\\.?|about|around|"
		"rond|vers|gegen)[ \\t]+)?)?"
		"(?<![\\d:.,/-])(?<h>2[0-3]|[01]?\\d)(?!\\d)"
		"(?:(?<sep>[:.hu])(?<m>[0-5]\\d)?)?"
		"[ \\t]*(?<unit>a\\.m\\.|p\\.m\\.|am|pm|uur|heures?|Uhr)?"
		"(?![\\d/.]\\d)(?!\\p{L})",
		TRUE);
	if (g_regex_get_string_number(parser->time, "prep") !=
		    TIME_GROUP_PREP ||
	    g_regex_get_string_number(parser->time, "h") != TIME_GROUP_HOUR ||
	    g_regex_get_string_number(parser->time, "sep") !=
		    TIME_GROUP_SEPARATOR ||
	    g_regex_get_string_number(parser->time, "m") != TIME_GROUP_MINUTE ||
	    g_regex_get_string_number(parser->time, "unit") != TIME_GROUP_UNIT)
		g_error("report time pattern: groups out of order");
	parser->absolute_date =
		compile("\\b(?:\\d{4}-\\d{2}-\\d{2}(?:[T "
			"]\\d{1,2}:\\d{2}(?::\\d{2})?)?|"
			"\\d{1,2}[/.-]\\d{1,2}[/.-](?:\\d{4}|\\d{2})"
			"(?:,?[ \\t]+(?:om|à|a|um|at|vers|gegen|rond)?[ \\t]*"
			"\\d{1,2}(?:[:hu.]\\d{2}|[hu]\\b|[ \\t]*Uhr))?)",
			TRUE);
	parser->phone = compile("(?<![\\w+])(?:\\+|00|\\(0\\)|0)"
				"[\\d \\t./()\\x{a0}-]{6,24}\\d(?!\\w)",
				TRUE);
	parser->phone_excluded = compile_filtered(
		parser,
		"\\b(?:IBAN|BIC|BTW|VAT|TVA|KBO|BCE|USt|HRB|RPR|RIZIV|INAMI|"
		"SIRET|fax|telefax|dossier|case|ticket|ref|nr|n°|Az\\.?)\\b"
		"[^\\n]{0,6}$",
		TRUE);
	parser->phone_call_cue = compile_filtered(
		parser,
		"\\b(?:bel|bellen|call|ring|reach|bereikbaar|appelez|"
		"appeler|joignable|joindre|erreichbar|anrufen|rufen|gsm|"
		"mobile?|mobiel|handy|portable|mobil|direct|direkt)\\b",
		TRUE);
	parser->phone_switchboard = compile_filtered(
		parser,
		"\\b(?:centrale|switchboard|standaard|standard|"
		"Zentrale|accueil|onthaal|reception)\\b",
		TRUE);
	parser->email = compile(
		"[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,200}\\.[A-Za-z]{2,24}",
		TRUE);
	parser->email_cue = compile(
		"\\b(?:mail (?:naar|to|an)|write to|schrijf naar|écrivez à|"
		"schreiben Sie an|contact(?:eer)?|reach (?:me|us) at|"
		"reply to|antwoord naar|répondez à|in cc|adres|address|"
		"adresse)\\b",
		TRUE);
	parser->cities = compile_cities(parser, "", "");
	parser->city_after_preposition = compile_cities(
		parser,
		"(?i:\\b(?:in|te|à|au|en|aus|bei|near|nabij|op|at|de|uit|"
		"van)\\b)[ \\t]+(?:(?i:campus|site|Standort)[ \\t]+)?",
		"");
	parser->postal_city =
		compile("\\b(?:[A-Z]-)?\\d{4,5}(?:[ \\t][A-Z]{2})?[ \\t]+"
			"(\\p{Lu}[\\p{L}'’-]+(?:[ -]\\p{Lu}[\\p{L}'’-]+)?)",
			FALSE);
	for (size_t i = 0; i < report_country_name_count &&
			   i < G_N_ELEMENTS(parser->country_names);
	     i++) {
		g_autofree char *pattern = g_strdup_printf(
			"\\b(?:%s)\\b", report_country_names[i].pattern);

		parser->country_names[i] =
			compile_filtered(parser, pattern, TRUE);
	}
	parser->hospitals =
		g_ptr_array_new_with_free_func((GDestroyNotify)g_regex_unref);
	for (size_t i = 0; report_hospital_patterns[i] != NULL; i++)
		g_ptr_array_add(parser->hospitals,
				compile_filtered(parser,
						 report_hospital_patterns[i],
						 FALSE));
	parser->organisation_words =
		compile_filtered(parser, report_organisation_words, TRUE);
	parser->role_words = compile_filtered(parser, report_role_words, TRUE);
	parser->signoff =
		compile_filtered(parser, report_signoff_pattern, TRUE);
	parser->introduction =
		compile_filtered(parser, report_introduction_pattern, FALSE);
	/* A line that is nothing but a name: "Jan Peeters", "Dr. Anna
	 * Schmidt", "Marie-Claire Dubois", "Peeters, Jan". */
	parser->person_name = compile(
		"^(?:(?:Dr|Prof|Ir|Mr|Mrs|Ms|Mme|Mlle|M|Dhr|Mevr|Herr|Frau|"
		"Dipl\\.-Ing)\\.?[ \\t]+){0,2}"
		"(\\p{Lu}[\\p{Ll}\\p{M}'’]+(?:-\\p{Lu}[\\p{Ll}\\p{M}'’]+)?"
		"(?:[ \\t]+(?:(?:van|de|der|den|von|le|la|du|da|ter|ten|"
		"van der|van den|van de)[ \\t]+)?"
		"\\p{Lu}[\\p{L}\\p{M}'’]+(?:-\\p{Lu}[\\p{L}\\p{M}'’]+)?){0,3})"
		"[ \\t]*$",
		FALSE);
	/* "— Jan, IT AZ Voorbeeld Gent" at the end of a hurried mail. */
	parser->dash_signature =
		compile("(?:^|[ \\t])[—–-][ \\t]*(\\p{Lu}[\\p{Ll}\\p{M}'’-]+"
			"(?:[ \\t]+\\p{Lu}[\\p{Ll}\\p{M}'’-]+)?)[ \\t]*(?:,|$)",
			FALSE);
	parser->ransom_note = compile_filtered(parser, RANSOM_NOTE, TRUE);
	/* The same, matching only at the search's start: PCRE2's JIT
	 * takes \\G, not G_REGEX_MATCH_ANCHORED (see ransom_next()). */
	parser->ransom_note_anchored = compile("\\G(?:" RANSOM_NOTE ")", TRUE);
	parser->ransom_negated = compile_filtered(
		parser,
		"\\b(?:no|geen|pas de|aucune?|keine?n?|without|zonder|sans|"
		"ohne)[ \\t]+(?:\\w+[ \\t]+)?(?:ransom|losgeld|rançon|"
		"Lösegeld|Erpresser)",
		TRUE);
	parser->zones = g_new0(struct zone_cache, 1);
	g_mutex_init(&parser->zones->lock);
	report_filters_prepare(parser->filters);
	return parser;
}

void
report_parser_free(struct report_parser **parser)
{
	struct report_parser *p;

	if (parser == NULL || *parser == NULL)
		return;
	p = *parser;
	for (int f = 0; f < RF_COUNT; f++) {
		if (p->yesno[f].topic == NULL)
			continue;
		g_regex_unref(p->yesno[f].topic);
		g_regex_unref(p->yesno[f].yes);
		g_regex_unref(p->yesno[f].no);
		g_regex_unref(p->yesno[f].unknown);
		g_clear_pointer(&p->yesno[f].topic_at, g_regex_unref);
		g_clear_pointer(&p->yesno[f].yes_at, g_regex_unref);
		g_clear_pointer(&p->yesno[f].no_at, g_regex_unref);
		g_clear_pointer(&p->yesno[f].unknown_at, g_regex_unref);
		g_clear_pointer(&p->yesno[f].unknown_start, g_regex_unref);
	}
	g_ptr_array_unref(p->keywords);
	for (int l = 0; l < RL_COUNT; l++) {
		g_regex_unref(p->negation[l]);
		g_regex_unref(p->negation_at[l]);
		g_regex_unref(p->request[l]);
		g_regex_unref(p->detection[l]);
		g_regex_unref(p->still_working[l]);
	}
	for (size_t i = 0; i < report_relative_day_count; i++)
		g_regex_unref(p->days[i].regex);
	g_free(p->days);
	g_regex_unref(p->time);
	g_regex_unref(p->absolute_date);
	g_regex_unref(p->phone);
	g_regex_unref(p->phone_excluded);
	g_regex_unref(p->phone_call_cue);
	g_regex_unref(p->phone_switchboard);
	g_regex_unref(p->email);
	g_regex_unref(p->email_cue);
	g_regex_unref(p->cities);
	g_regex_unref(p->city_after_preposition);
	g_regex_unref(p->postal_city);
	for (size_t i = 0; i < G_N_ELEMENTS(p->country_names); i++)
		if (p->country_names[i] != NULL)
			g_regex_unref(p->country_names[i]);
	g_ptr_array_unref(p->hospitals);
	g_regex_unref(p->organisation_words);
	g_regex_unref(p->role_words);
	g_regex_unref(p->signoff);
	g_regex_unref(p->introduction);
	g_regex_unref(p->person_name);
	g_regex_unref(p->dash_signature);
	g_regex_unref(p->ransom_note);
	g_regex_unref(p->ransom_note_anchored);
	g_regex_unref(p->ransom_negated);
	g_mutex_clear(&p->zones->lock);
	g_free(p->zones->identifier);
	if (p->zones->zone != NULL)
		g_time_zone_unref(p->zones->zone);
	g_free(p->zones);
	report_filters_free(&p->filters);
	g_free(p);
	*parser = NULL;
}

/* --- results ----------------------------------------------------------- */

void
report_field_free(struct report_field *field)
{
	if (field == NULL)
		return;
	g_free(field->value);
	g_free(field->excerpt);
	g_free(field);
}

/* Whitespace collapsed, at most REPORT_MAX_EXCERPT_CHARS characters. */
static char *
excerpt_of(const char *text, gsize length)
{
	/* Built on the stack, copied once: at most one character more
	 * than the limit (a blank before the last), each of at most six
	 * bytes as g_unichar_to_utf8() writes them. */
	char out[(REPORT_MAX_EXCERPT_CHARS + 1) * 6 + 1];
	gsize used = 0;
	const char *end = text + length;
	gboolean space = FALSE;
	glong chars = 0;

	for (const char *p = text; p < end && *p != '\0';
	     p = g_utf8_next_char(p)) {
		gunichar c =
			(guchar)*p < 0x80 ? (gunichar)*p : g_utf8_get_char(p);
		/* The ASCII that g_unichar_isspace() takes: no '\v'. */
		gboolean blank = c < 0x80
					 ? c == ' ' || c == '\t' || c == '\n' ||
						   c == '\r' || c == '\f'
					 : g_unichar_isspace(c);

		if (blank) {
			space = used > 0;
			continue;
		}
		if (chars >= REPORT_MAX_EXCERPT_CHARS)
			break;
		if (space) {
			out[used++] = ' ';
			chars++;
			space = FALSE;
		}
		if (c < 0x80)
			out[used++] = (char)c;
		else
			used += (gsize)g_unichar_to_utf8(c, out + used);
		chars++;
	}
	return g_strndup(out, used);
}

/* Keeps value for field when it beats what is there. */
void
report_offer(struct parse *parse, enum report_field_id field, const char *value,
	     double confidence, const char *excerpt, gsize excerpt_length)
{
	struct report_field *f = parse->best[field];

	if (value == NULL || *value == '\0')
		return;
	if (f != NULL && f->confidence >= confidence)
		return;
	if (f == NULL) {
		f = g_new0(struct report_field, 1);
		f->field = report_field_ids[field];
		parse->best[field] = f;
	}
	g_free(f->value);
	g_free(f->excerpt);
	f->value = g_strdup(value);
	f->confidence = CLAMP(confidence, 0.0, 1.0);
	f->excerpt = excerpt != NULL ? excerpt_of(excerpt, excerpt_length)
				     : g_strdup(value);
}

const char *
report_best_value(const struct parse *parse, enum report_field_id field)
{
	return parse->best[field] != NULL ? parse->best[field]->value : NULL;
}

/* --- text preparation ------------------------------------------------- */

/* A copy of text, at most max bytes (cut at a character boundary), with
 * invalid UTF-8 repaired. */
char *
report_bounded_copy(const char *text, gsize max)
{
	gsize length;
	g_autofree char *valid = NULL;
	const char *end;

	if (text == NULL)
		return g_strdup("");
	length = MIN(strnlen(text, max + 1), max);
	/* Valid text (nearly all) comes back as it is: copied, without
	 * the repair's rebuilding. */
	if (g_utf8_validate_len(text, length, NULL))
		return g_strndup(text, length);
	valid = g_utf8_make_valid(text, length);
	/* The repair may have lengthened it; cut again on a boundary. */
	if (strlen(valid) <= max)
		return g_steal_pointer(&valid);
	end = g_utf8_find_prev_char(valid, valid + max);
	return g_strndup(valid, end != NULL ? (gsize)(end - valid) : 0);
}

/* report_bounded_copy() of text without the copy where it can: text
 * itself, *length bytes of it, when those are valid UTF-8; else the
 * copy, kept in *repaired to be freed. */
static const char *
bounded_view(const char *text, gsize max, gsize *length, char **repaired)
{
	*repaired = NULL;
	if (text != NULL) {
		*length = MIN(strnlen(text, max + 1), max);
		if (g_utf8_validate_len(text, *length, NULL))
			return text;
	}
	*repaired = report_bounded_copy(text, max);
	*length = strlen(*repaired);
	return *repaired;
}

/* Words that turn a sentence around: "encrypted, but the backups are
 * fine" has two clauses. */
static const struct {
	const char *text;
	gsize length;
} contrast_words[] = {
#define CONTRAST(word)                                                         \
	{                                                                      \
		word, sizeof(word) - 1                                         \
	}
	CONTRAST(" but "),    CONTRAST(" maar "),    CONTRAST(" mais "),
	CONTRAST(" aber "),   CONTRAST(" however "), CONTRAST(" doch "),
	CONTRAST(" sauf "),   CONTRAST(" behalve "), CONTRAST(" außer "),
	CONTRAST(" except "),
#undef CONTRAST
};

gsize
report_utf8_floor(const char *text, gsize at)
{
	while (at > 0 && ((unsigned char)text[at] & 0xc0) == 0x80)
		at--;
	return at;
}

gsize
report_utf8_ceil(const char *text, gsize at)
{
	while (text[at] != '\0' && ((unsigned char)text[at] & 0xc0) == 0x80)
		at++;
	return at;
}

static gboolean
is_clause_break(const char *p)
{
	/* Every contrast word starts with one of these letters (lowered
	 * here in line: the test runs on every blank of the text). */
	char first = (guint)(guchar)p[1] - 'A' < 26u
			     ? (char)(p[1] + ('a' - 'A'))
			     : p[1];

	if (*p == ' ' && first != '\0' && strchr("bmahdse", first) != NULL)
		for (size_t i = 0; i < G_N_ELEMENTS(contrast_words); i++)
			if (first == contrast_words[i].text[1] &&
			    g_ascii_strncasecmp(p, contrast_words[i].text,
						contrast_words[i].length) == 0)
				return TRUE;
	switch (*p) {
	case '\n':
	case '!':
	case '?':
	case ';':
	case ',':
		return TRUE;
	case '.':
		/* ".lockbit", "7.30" and "St.Jan" are not sentence ends. */
		return p[1] == '\0' || g_ascii_isspace(p[1]);
	default:
		return FALSE;
	}
}

/* Whether c is the text's end or may break a clause: the first bytes
 * is_clause_break() looks at. */
static inline gboolean
may_break_clause(char c)
{
	switch (c) {
	case '\0':
	case '\n':
	case '!':
	case '?':
	case ';':
	case ',':
	case '.':
	case ' ':
		return TRUE;
	default:
		return FALSE;
	}
}

static void
split_clauses(struct parse *parse)
{
	const char *text = parse->text;
	gsize start = 0, i = 0;

	parse->clauses =
		g_array_sized_new(FALSE, FALSE, sizeof(struct clause), 32);
	for (;; i++) {
		gboolean end, separator;
		struct clause c = {start, i};

		/* Most bytes can neither end the text nor break it. */
		if (!may_break_clause(text[i]) &&
		    i - start < REPORT_MAX_CLAUSE_BYTES)
			continue;
		end = text[i] == '\0';
		separator = !end && is_clause_break(text + i);
		if (!end && !separator && i - start < REPORT_MAX_CLAUSE_BYTES)
			continue;
		if (!end && !separator) {
			/* Too long: cut before the character at i, and go on
			 * from it, so both parts stay valid UTF-8. */
			c.end = report_utf8_floor(text, i);
			if (c.end == c.start)
				c.end = i = report_utf8_ceil(text, i + 1);
			i = c.end;
		}
		if (c.end > c.start)
			g_array_append_val(parse->clauses, c);
		if (end || parse->clauses->len >= REPORT_MAX_CLAUSES)
			break;
		/* A separator is one ASCII byte; a cut has none. */
		start = separator ? i + 1 : i;
		if (!separator)
			i--;
	}
}

/* --- matching helpers -------------------------------------------------- */

/* Whether regex matches the length bytes at subject taken as a string
 * of their own, the search beginning at byte offset (the first match's
 * offsets in *start and *end, which may be NULL).  PCRE2 sees neither
 * the bytes before subject nor those after: the answer is that of a
 * copy, without the copy. */
static gboolean
search_slice(const GRegex *regex, const char *subject, gsize length,
	     gsize offset, gsize *start, gsize *end)
{
	g_autoptr(GMatchInfo) info = NULL;
	int s, e;

	if (!g_regex_match_full(regex, subject, (gssize)length, (gint)offset, 0,
				&info, NULL))
		return FALSE;
	g_match_info_fetch_pos(info, 0, &s, &e);
	if (start != NULL)
		*start = (gsize)s;
	if (end != NULL)
		*end = (gsize)e;
	return TRUE;
}

/* The same for parse->text[from, to) as a string of its own (offsets
 * relative to from); the filter may answer without a search, and says
 * where a match can start at the earliest. */
static gboolean
match_in(const struct parse *parse, const GRegex *regex, gsize from, gsize to,
	 gsize *start, gsize *end)
{
	gsize offset;

	if (!report_search_from(parse, regex, from, to, &offset))
		return FALSE;
	return search_slice(regex, parse->text + from, to - from, offset, start,
			    end);
}

/* Anchored searches tried by match_at_starts() before one search of
 * the rest of the subject. */
#define ANCHORED_MAX_TRIES     16
#define ANCHORED_BYTES_PER_TRY 32

/* Where a match may start: the candidates of an anchored search. */
struct start_window {
	gsize start, end; /* both inclusive */
};

/* The first start at or after at that one of the n windows holds, or
 * G_MAXSIZE. */
static gsize
next_window_start(const struct start_window *windows, guint n, gsize at)
{
	gsize next = G_MAXSIZE;

	for (guint w = 0; w < n; w++) {
		gsize candidate = MAX(windows[w].start, at);

		if (candidate <= windows[w].end)
			next = MIN(next, candidate);
	}
	return next;
}

/* match_in(), made of anchored searches (anchored: regex as
 * "\\G(?:...)", or NULL) where a match can start.  Every match holds an
 * occurrence of one of the filter's literals that lies inside the
 * subject, starting no earlier than the match and at most the literal's
 * reach after its start: so a match can start only in the short windows
 * before those occurrences.  They are tried in order, each search
 * failing at once or finding the very match an unanchored search
 * would; a clause of a hundred bytes with two occurrences costs two
 * short searches instead of a search through all of it. */
static gboolean
match_at_starts(const struct parse *parse, const GRegex *regex,
		const GRegex *anchored, gsize from, gsize to, gsize *start)
{
	const struct filter_hits *hits = parse->hits;
	const char *subject = parse->text + from;
	struct start_window windows[REPORT_FILTER_MAX_OCCURRENCES];
	guint n = 0;
	gsize at = from, positions = 0, earliest = G_MAXSIZE;
	gint head;

	if (anchored == NULL)
		return match_in(parse, regex, from, to, start, NULL);
	head = report_filters_listed(parse->parser->filters, hits, regex);
	if (head == -2)
		return match_in(parse, regex, from, to, start, NULL);
	for (gint o = head; o >= 0; o = hits->occurrences[o].next) {
		const struct filter_occurrence *occurrence =
			&hits->occurrences[o];
		gsize begin = occurrence->start,
		      end = report_filter_occurrence_end(occurrence),
		      reach = report_filter_occurrence_reach(occurrence);

		/* As report_search_from() reads them: a word character
		 * beside it where the literal wants \b rules it out but
		 * at the subject's edge. */
		if (begin < from || end > to ||
		    (occurrence->cut_before && begin != from) ||
		    (occurrence->cut_after && end != to))
			continue;
		if (reach == G_MAXSIZE || n == G_N_ELEMENTS(windows))
			return match_in(parse, regex, from, to, start, NULL);
		windows[n].start = report_utf8_floor(
			parse->text,
			reach < begin - from ? begin - reach : from);
		windows[n].end = begin;
		positions += windows[n].end - windows[n].start + 1;
		earliest = MIN(earliest, windows[n].start);
		n++;
	}
	/* An anchored search costs about as much as an unanchored one
	 * reading ANCHORED_BYTES_PER_TRY bytes: when the windows hold more
	 * starts than that, read the subject instead. */
	if (n > 0 && positions * ANCHORED_BYTES_PER_TRY >
			     to - earliest + ANCHORED_BYTES_PER_TRY)
		return match_in(parse, regex, from, to, start, NULL);
	for (guint tries = 0;; tries++) {
		gsize next = next_window_start(windows, n, at);

		if (next == G_MAXSIZE)
			return FALSE;
		/* Every start before next has been tried. */
		if (tries == ANCHORED_MAX_TRIES)
			return search_slice(regex, subject, to - from,
					    next - from, start, NULL);
		if (search_slice(anchored, subject, to - from, next - from,
				 start, NULL))
			return TRUE;
		at = (gsize)(g_utf8_next_char(parse->text + next) -
			     parse->text);
	}
}

/* Whether a match of regex in parse->text may start at or after
 * offset.  Every match holds an occurrence of one of the filter's
 * literals, which starts no earlier than the match: when the last
 * occurrence starts before offset, a further search (the last
 * g_match_info_next() of a loop, which reads the rest of the text)
 * would find nothing. */
static gboolean
may_match_from(const struct parse *parse, const GRegex *regex, gsize offset)
{
	const struct filter_hits *hits = parse->hits;
	gint last = report_filters_listed(parse->parser->filters, hits, regex);

	if (last == -2)
		return TRUE;
	/* The last occurrence listed is the one starting latest. */
	return last >= 0 && hits->occurrences[last].start >= offset;
}

/* g_match_info_next() for a search of the whole of parse->text, without
 * the search when no further match can exist. */
static gboolean
next_match(const struct parse *parse, GMatchInfo *info)
{
	int s, e;

	g_match_info_fetch_pos(info, 0, &s, &e);
	/* After an empty match the next search starts one further. */
	if (e > s &&
	    !may_match_from(parse, g_match_info_get_regex(info), (gsize)e))
		return FALSE;
	return g_match_info_next(info, NULL);
}

/* Whether regex matches the length bytes at text, the search
 * beginning at byte offset. */
static gboolean
first_in(const GRegex *regex, const char *text, gsize length, gsize offset)
{
	g_autoptr(GMatchInfo) info = NULL;

	return g_regex_match_full(regex, text, (gssize)length, (gint)offset, 0,
				  &info, NULL);
}

/* Whether a negation ends within REPORT_NEGATION_WINDOW bytes before
 * text[at], not crossing from_limit (the clause start).  text is the
 * substring of parse->text at offset base, or another string when base
 * is -1. */
static gboolean
negated_before(const struct parse *parse, const char *text, gssize base,
	       gsize limit, gsize at)
{
	gsize from = at > limit + REPORT_NEGATION_WINDOW
			     ? at - REPORT_NEGATION_WINDOW
			     : limit;
	gboolean found = FALSE;

	while (from < at && (text[from] & 0xc0) == 0x80)
		from++;
	/* The window text[from, at) is searched in place: PCRE2 sees the
	 * subject end at its length as at a copy's NUL. */
	for (int l = 0; l < RL_COUNT && !found; l++) {
		if (parse->lang >= 0 && l != parse->lang)
			continue;
		found = base >= 0
				? match_at_starts(parse,
						  parse->parser->negation[l],
						  parse->parser->negation_at[l],
						  (gsize)base + from,
						  (gsize)base + at, NULL)
				: first_in(parse->parser->negation[l],
					   text + from, at - from, 0);
	}
	return found;
}

gboolean
report_regex_first(const GRegex *regex, const char *text, gsize *start,
		   gsize *end)
{
	return report_regex_first_from(regex, text, 0, start, end);
}

gboolean
report_regex_first_from(const GRegex *regex, const char *text, gsize offset,
			gsize *start, gsize *end)
{
	g_autoptr(GMatchInfo) info = NULL;
	int s, e;

	if (!g_regex_match_full(regex, text, -1, (gint)offset, 0, &info, NULL))
		return FALSE;
	g_match_info_fetch_pos(info, 0, &s, &e);
	if (start != NULL)
		*start = (gsize)s;
	if (end != NULL)
		*end = (gsize)e;
	return TRUE;
}

/* The clause containing offset at. */
static const struct clause *
clause_at(const struct parse *parse, gsize at)
{
	for (guint i = 0; i < parse->clauses->len; i++) {
		const struct clause *c =
			&g_array_index(parse->clauses, struct clause, i);

		if (at >= c->start && at <= c->end)
			return c;
	}
	return NULL;
}

/* Where the sentence (between '.', '!', '?' or a blank line) around at
 * starts and ends. */
static void
sentence_bounds(const char *text, gsize at, gsize *from, gsize *to)
{
	gsize start = at, end = at;

	/* A '.' ends a sentence only before white space: ".txt" and "7.30"
	 * do not. */
	while (start > 0 &&
	       !(strchr("!?", text[start - 1]) != NULL ||
		 (text[start - 1] == '.' && g_ascii_isspace(text[start]))) &&
	       !(text[start - 1] == '\n' && start > 1 &&
		 text[start - 2] == '\n') &&
	       at - start < REPORT_MAX_CLAUSE_BYTES)
		start--;
	while (text[end] != '\0' && text[end] != '!' && text[end] != '?' &&
	       !(text[end] == '.' &&
		 (text[end + 1] == '\0' || g_ascii_isspace(text[end + 1]))) &&
	       !(text[end] == '\n' && text[end + 1] == '\n') &&
	       end - at < REPORT_MAX_CLAUSE_BYTES)
		end++;
	while (start < at && (text[start] & 0xc0) == 0x80)
		start++;
	while (end > at && (text[end] & 0xc0) == 0x80)
		end--;
	*from = start;
	*to = end;
}

char *
report_sentence_around(const char *text, gsize at)
{
	gsize start, end;

	sentence_bounds(text, at, &start, &end);
	return g_strndup(text + start, end - start);
}

gboolean
report_sentence_matches_any(const struct parse *parse, GRegex *const *regexes,
			    guint n, gsize at)
{
	gsize start, end;

	sentence_bounds(parse->text, at, &start, &end);
	for (guint i = 0; i < n; i++)
		if (match_in(parse, regexes[i], start, end, NULL, NULL))
			return TRUE;
	return FALSE;
}

/* --- yes / no fields --------------------------------------------------- */

/* Whether regex matches the clause: length bytes at clause, the
 * substring of parse->text at base, or another string (base -1).
 * anchored is regex as "\\G(?:...)", NULL for an empty table (as
 * data_exfiltration's "no" cues), which compiles to a pattern that
 * never matches and has no filter. */
static int
clause_matches(const struct parse *parse, const GRegex *regex,
	       const GRegex *anchored, const char *clause, gsize length,
	       gssize base, gsize *start)
{
	if (anchored == NULL)
		return FALSE;
	if (base >= 0)
		return match_at_starts(parse, regex, anchored, (gsize)base,
				       (gsize)base + length, start);
	/* A joined clause (NUL-terminated) is scanned for the filter's
	 * literals first: most hold none. */
	return report_filters_may_match_string(parse->parser->filters, regex,
					       clause) &&
	       search_slice(regex, clause, length, 0, start, NULL);
}

/* Whether the unknown cues match the clause (as clause_matches()): the
 * alternatives anchored at its start, and the others. */
static int
unknown_matches(const struct parse *parse, const struct compiled_yesno *y,
		const char *clause, gsize length, gssize base)
{
	if (y->unknown_start != NULL) {
		gsize i = 0;
		gboolean may = TRUE;

		/* "^\s*(?:whether|if)\b": the first character past the
		 * blanks is one of the letters, or not ASCII (a Unicode
		 * blank, or a letter that matches one caselessly). */
		if (y->unknown_start_letters[0] != '\0') {
			/* \s takes '\v', g_ascii_isspace() does not */
			while (i < length &&
			       (clause[i] == ' ' ||
				(clause[i] >= '\t' && clause[i] <= '\r')))
				i++;
			may = i < length &&
			      ((guchar)clause[i] >= 0x80 ||
			       (g_ascii_isalpha(clause[i]) &&
				strchr(y->unknown_start_letters,
				       g_ascii_tolower(clause[i])) != NULL));
		}
		if (may && search_slice(y->unknown_start, clause, length, 0,
					NULL, NULL))
			return TRUE;
	}
	return clause_matches(parse, y->unknown, y->unknown_at, clause, length,
			      base, NULL);
}

static void
parse_yesno(struct parse *parse, const struct compiled_yesno *y)
{
	/* No clause can hold a topic the text does not. */
	if (!report_may_match(parse, y->topic))
		return;
	for (guint i = 0; i < parse->clauses->len; i++) {
		const struct clause *c =
			&g_array_index(parse->clauses, struct clause, i);
		/* The clause is searched in place, unless it is joined. */
		const char *clause = parse->text + c->start;
		gsize length = c->end - c->start;
		g_autofree char *joined = NULL;
		gsize topic_at, cue_at = 0;
		const char *value = NULL;
		double confidence = 0;
		gboolean carried = FALSE;
		/* Where clause stands in the text; -1 once it is joined. */
		gssize base = (gssize)c->start;
		/* The answers of the searches made to decide on carrying,
		 * kept for the same searches below; -1: not made. */
		int negated_topic = -1, unknown = -1, no = -1, yes = -1;

		if (!match_at_starts(parse, y->topic, y->topic_at, c->start,
				     c->end, &topic_at))
			continue;
		/* "alles ligt plat, spoed ook": a bare topic takes the cues
		 * of the clause before, when that one has no topic. */
		if (i > 0 && length < 40) {
			negated_topic = negated_before(parse, clause, base, 0,
						       topic_at);
			if (!negated_topic)
				unknown = unknown_matches(parse, y, clause,
							  length, base);
			if (unknown == 0)
				no = clause_matches(parse, y->no, y->no_at,
						    clause, length, base, NULL);
			if (no == 0)
				yes = clause_matches(parse, y->yes, y->yes_at,
						     clause, length, base,
						     &cue_at);
		}
		if (yes == 0) {
			const struct clause *prev = &g_array_index(
				parse->clauses, struct clause, i - 1);

			if (!match_at_starts(parse, y->topic, y->topic_at,
					     prev->start, prev->end, NULL)) {
				gsize before = prev->end - prev->start;

				joined = g_malloc(before + 1 + length + 1);
				memcpy(joined, parse->text + prev->start,
				       before);
				joined[before] = ' ';
				memcpy(joined + before + 1, clause, length);
				joined[before + 1 + length] = '\0';
				clause = joined;
				length += before + 1;
				topic_at += before + 1;
				carried = TRUE;
				base = -1;
				negated_topic = unknown = no = yes = -1;
			}
		}
		/* A joined clause is no substring of the text: the join
		 * may make words the text does not have. */
		if (unknown < 0)
			unknown =
				unknown_matches(parse, y, clause, length, base);
		if (!unknown && no < 0)
			no = clause_matches(parse, y->no, y->no_at, clause,
					    length, base, NULL);
		if (!unknown && !no && yes < 0)
			yes = clause_matches(parse, y->yes, y->yes_at, clause,
					     length, base, &cue_at);
		if (unknown) {
			value = "unknown";
			confidence = 0.75;
		} else if (no) {
			value = "no";
			confidence = 0.8;
		} else if (yes) {
			/* The cue may be the topic itself ("aangifte"):
			 * look for a later one then. */
			if (negated_before(parse, clause, base, 0, cue_at) ||
			    (negated_topic >= 0
				     ? negated_topic
				     : negated_before(parse, clause, base, 0,
						      topic_at))) {
				value = "no";
				confidence = 0.75;
			} else {
				value = "yes";
				confidence = 0.75;
			}
		} else if (!carried &&
			   (negated_topic >= 0
				    ? negated_topic
				    : negated_before(parse, clause, base, 0,
						     topic_at))) {
			/* "geen backups", "pas de sauvegarde" */
			value = "no";
			confidence = 0.7;
		}
		if (value != NULL) {
			/* The first clause that says something wins; later
			 * ones must say it more strongly. */
			report_offer(parse, y->field, value,
				     confidence - (double)i * 0.0001, clause,
				     length);
		}
	}
}

/* --- keywords: incident type, need, systems ---------------------------- */

static gboolean
keyword_applies(const struct parse *parse, const struct report_keyword *k)
{
	if ((k->flags & RK_LANG_ONLY) && parse->lang >= 0 &&
	    parse->lang != (int)k->lang)
		return FALSE;
	return TRUE;
}

static gboolean
sentence_requests(const struct parse *parse, gsize at)
{
	return report_sentence_matches_any(parse, parse->parser->request,
					   RL_COUNT, at);
}

static gboolean
clause_still_works(const struct parse *parse, gsize at)
{
	const struct clause *c = clause_at(parse, at);

	if (c == NULL)
		return FALSE;
	for (int l = 0; l < RL_COUNT; l++)
		if (match_in(parse, parse->parser->still_working[l], c->start,
			     c->end, NULL, NULL))
			return TRUE;
	return FALSE;
}

struct system_hit {
	gsize start, end;
	const char *name;
};

static gint
compare_system_hits(gconstpointer a, gconstpointer b)
{
	const struct system_hit *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start ? 1 : 0;
}

static void
parse_keywords(struct parse *parse)
{
	const char *text = parse->text;
	gboolean need[16] = {FALSE};
	const char *need_values[] = {
		"incident_response", "forensics", "recovery", "prevention",
		"awareness",	     "pentest",	  "appsec",   "other"};
	/* Made on the first system named: most mails name none. */
	g_autoptr(GArray) systems = NULL;
	/* Room for every need value: no growing. */
	g_autoptr(GString) list = g_string_sized_new(128);
	g_autoptr(GString) need_excerpt = g_string_new(NULL);
	double need_confidence = 0;
	struct system_hit weak_help = {0, 0, NULL};
	/* report_required_subject_new(), made when first needed */
	struct required_subject *lowered = NULL;
	gboolean lowered_made = FALSE;

	for (guint i = 0; i < parse->parser->keywords->len; i++) {
		const struct compiled_keyword *ck =
			parse->parser->keywords->pdata[i];
		const struct report_keyword *k = ck->keyword;
		g_autoptr(GMatchInfo) info = NULL;
		int seen = 0;
		gsize offset;
		gboolean found;

		/* What report_filters_search_from() looks at first,
		 * without its lookup of the filter: most keywords are in no
		 * mail. */
		if (!keyword_applies(parse, k) ||
		    (ck->filter != 0 && !parse->hits->whole[ck->filter - 1]) ||
		    !report_filters_search_from(parse->parser->filters,
						parse->hits, ck->regex, text,
						&offset))
			continue;
		/* The filter reads the start of each alternative only; the
		 * words inside them rule out more ("geëncrypteerd"). */
		if (ck->required != NULL) {
			if (lowered == NULL && !lowered_made) {
				lowered = report_required_subject_new(text);
				lowered_made = TRUE;
			}
			if (!report_required_present(ck->required, lowered))
				continue;
		}
		found = g_regex_match_full(ck->regex, text, -1, (gint)offset, 0,
					   &info, NULL);
		for (; found;
		     seen++, found = seen < REPORT_MAX_MATCHES_PER_PATTERN &&
				     next_match(parse, info)) {
			int s, e;
			const struct clause *c;

			g_match_info_fetch_pos(info, 0, &s, &e);
			c = clause_at(parse, (gsize)s);
			if ((k->flags & RK_NEGATABLE) &&
			    negated_before(parse, text, 0,
					   c != NULL ? c->start : 0, (gsize)s))
				continue;
			if ((k->flags & RK_REQUEST) &&
			    !sentence_requests(parse, (gsize)s))
				continue;
			if (k->field == RF_INCIDENT_TYPE) {
				/* Earlier mentions win ties. */
				report_offer(parse, k->field, k->value,
					     k->confidence - (double)s * 1e-7,
					     text + s, (gsize)(e - s));
			} else if (k->field == RF_NEED &&
				   (k->flags & RK_WEAK)) {
				if (weak_help.start == weak_help.end) {
					weak_help.start = (gsize)s;
					weak_help.end = (gsize)e;
				}
			} else if (k->field == RF_NEED) {
				for (size_t v = 0;
				     v < G_N_ELEMENTS(need_values); v++)
					if (strcmp(need_values[v], k->value) ==
					    0) {
						if (!need[v] &&
						    need_excerpt->len)
							g_string_append(
								need_excerpt,
								"; ");
						if (!need[v])
							g_string_append_len(
								need_excerpt,
								text + s,
								e - s);
						need[v] = TRUE;
					}
				need_confidence =
					MAX(need_confidence, k->confidence);
			} else if (k->field != RF_SYSTEMS_AFFECTED) {
				report_offer(parse, k->field, k->value,
					     k->confidence, text + s,
					     (gsize)(e - s));
			} else {
				struct system_hit hit = {(gsize)s, (gsize)e,
							 k->value};

				if (!clause_still_works(parse, (gsize)s)) {
					if (systems == NULL)
						systems = g_array_new(
							FALSE, FALSE,
							sizeof(struct
							       system_hit));
					g_array_append_val(systems, hit);
				}
			}
		}
	}

	/* "We want a pentest", no incident word: no incident. */
	if ((need[4] || need[5] || need[6]) &&
	    (parse->best[RF_INCIDENT_TYPE] == NULL ||
	     parse->best[RF_INCIDENT_TYPE]->confidence < 0.6))
		report_offer(parse, RF_INCIDENT_TYPE, "none", 0.6,
			     need_excerpt->str, need_excerpt->len);

	/* A plea for help in an incident is a request for incident
	 * response when nothing more precise was asked. */
	if (need_excerpt->len == 0 && weak_help.start < weak_help.end &&
	    report_best_value(parse, RF_INCIDENT_TYPE) != NULL &&
	    strcmp(report_best_value(parse, RF_INCIDENT_TYPE), "none") != 0) {
		need[0] = TRUE;
		need_confidence = 0.55;
		g_string_append_len(need_excerpt, text + weak_help.start,
				    weak_help.end - weak_help.start);
	}
	for (size_t v = 0; v < G_N_ELEMENTS(need_values); v++) {
		if (!need[v])
			continue;
		if (list->len > 0)
			g_string_append_c(list, ',');
		g_string_append(list, need_values[v]);
	}
	report_offer(parse, RF_NEED, list->str, need_confidence,
		     need_excerpt->str, need_excerpt->len);

	/* Systems only matter when something happened: report_parse drops
	 * them when no incident is found. */
	report_required_subject_free(lowered);
	if (systems == NULL)
		return;
	g_array_sort(systems, compare_system_hits);
	g_string_truncate(list, 0);
	{
		gsize last_end = 0;
		guint count = 0;
		char *names[REPORT_MAX_SYSTEMS] = {NULL};

		for (guint i = 0;
		     i < systems->len && count < REPORT_MAX_SYSTEMS; i++) {
			const struct system_hit *h =
				&g_array_index(systems, struct system_hit, i);
			gboolean dup = FALSE;
			g_autofree char *written = NULL;

			if (h->start < last_end && i > 0)
				continue;
			written = g_strndup(text + h->start, h->end - h->start);
			/* The same bytes collate equal: no collation (a
			 * normalisation and strcoll() each) needed. */
			for (guint n = 0; n < count; n++)
				dup = dup || strcmp(names[n], written) == 0 ||
				      g_utf8_collate(names[n], written) == 0;
			last_end = h->end;
			if (dup)
				continue;
			names[count++] = g_strdup(written);
			if (list->len > 0)
				g_string_append(list, ", ");
			g_string_append(list, written);
		}
		report_offer(parse, RF_SYSTEMS_AFFECTED, list->str, 0.7,
			     list->str, list->len);
		for (guint n = 0; n < count; n++)
			g_free(names[n]);
	}
}

/* --- ransom note ------------------------------------------------------- */

/* Anchored searches of the ransom-note pattern tried before one search
 * of the rest of the text (see ransom_next()). */
#define RANSOM_MAX_TRIES 16

/* Finds the first match of the ransom-note pattern in parse->text that
 * starts at or after from, into *info (NULL before); FALSE when there
 * is none.
 *
 * The pattern tries every word it passes ("\b[\w-]*README",
 * "\b\w{16,56}\.onion"), so a search is dear, and one that finds
 * nothing reads the rest of the text.  But every match holds one of
 * the filter's literals, starting no earlier than the match and at
 * most the literal's reach after it; the only literals with no reach
 * known are the file names' "README", "DECRYPT", "RESTORE" and
 * "RECOVER" after "\b[\w-]*", and such a match starts in the run of
 * [\w-] they stand in.  So a match can start only in a few short
 * windows before the occurrences, tried in order with anchored
 * searches, each of which fails at once or finds the very match an
 * unanchored search would. */
static gboolean
ransom_next(const struct parse *parse, gsize from, GMatchInfo **info)
{
	const char *text = parse->text;
	const GRegex *regex = parse->parser->ransom_note;
	const struct filter_hits *hits = parse->hits;
	gint head = report_filters_listed(parse->parser->filters, hits, regex);
	struct start_window windows[REPORT_FILTER_MAX_OCCURRENCES];
	guint n = 0;
	gsize at = from;

	if (head == -2)
		return g_regex_match_full(regex, text, -1, (gint)from, 0, info,
					  NULL);
	for (gint o = head; o >= 0 && n < G_N_ELEMENTS(windows);
	     o = hits->occurrences[o].next) {
		const struct filter_occurrence *occurrence =
			&hits->occurrences[o];
		gsize start = occurrence->start,
		      reach = report_filter_occurrence_reach(occurrence);

		/* A word character beside it where the pattern wants \b: it
		 * matches no search of the whole text. */
		if (occurrence->start < from || occurrence->cut_before ||
		    occurrence->cut_after)
			continue;
		if (reach != G_MAXSIZE)
			start = reach < start ? start - reach : 0;
		else
			/* Any non-ASCII character may be a \w. */
			while (start > 0 && ((guchar)text[start - 1] >= 0x80 ||
					     g_ascii_isalnum(text[start - 1]) ||
					     text[start - 1] == '_' ||
					     text[start - 1] == '-'))
				start--;
		windows[n].start = MAX(from, report_utf8_floor(text, start));
		windows[n].end = occurrence->start;
		n++;
	}
	for (guint tries = 0;; tries++) {
		gsize next = next_window_start(windows, n, at);

		if (next == G_MAXSIZE)
			return FALSE;
		/* Every start before next has been tried. */
		if (tries == RANSOM_MAX_TRIES)
			return g_regex_match_full(regex, text, -1, (gint)next,
						  0, info, NULL);
		if (g_regex_match_full(parse->parser->ransom_note_anchored,
				       text, -1, (gint)next, 0, info, NULL))
			return TRUE;
		g_clear_pointer(info, g_match_info_unref);
		at = (gsize)(g_utf8_next_char(text + next) - text);
	}
}

static void
parse_ransom_note(struct parse *parse)
{
	g_autoptr(GMatchInfo) info = NULL;
	g_autoptr(GString) note = NULL;
	gsize offset = 0;

	for (int seen = 0; seen < 4; seen++) {
		int s, e;
		gsize from, to;
		g_autofree char *sentence = NULL;

		g_clear_pointer(&info, g_match_info_unref);
		if (!ransom_next(parse, offset, &info))
			break;
		g_match_info_fetch_pos(info, 0, &s, &e);
		/* No alternative matches empty: the next match starts at
		 * or after e. */
		if (e <= s)
			break;
		offset = (gsize)e;
		sentence_bounds(parse->text, (gsize)s, &from, &to);
		if (match_in(parse, parse->parser->ransom_negated, from, to,
			     NULL, NULL))
			continue;
		sentence = g_strndup(parse->text + from, to - from);
		g_strstrip(sentence);
		if (note == NULL)
			note = g_string_new(NULL);
		else if (note->len > 0 && strstr(note->str, sentence) != NULL)
			continue;
		if (note->len > 0)
			g_string_append(note, " ");
		g_string_append(note, sentence);
	}
	if (note != NULL && note->len > 0) {
		g_autofree char *value = excerpt_of(note->str, note->len);

		/* The excerpt is the value itself. */
		report_offer(parse, RF_RANSOM_NOTE, value, 0.7, NULL, 0);
	}
}

/* --- entry points ------------------------------------------------------- */

/* Cuts fresh at its last sign-off line ("Met vriendelijke groet,")
 * within the last REPORT_SIGNATURE_LINES lines and returns the lines
 * after it (at most as many again) as the signature, or "" when there
 * is none. */
#define REPORT_SIGNATURE_LINES 25

/* Whether the line at line (NUL-terminated) is a sign-off or a
 * signature separator. */
static gboolean
is_signoff_line(const struct report_parser *parser, const char *line)
{
	return strcmp(line, "-- ") == 0 || strcmp(line, "--") == 0 ||
	       (report_filters_may_match_string(parser->filters,
						parser->signoff, line) &&
		g_regex_match(parser->signoff, line, 0, NULL));
}

static char *
split_signature(const struct report_parser *parser, char *fresh)
{
	gsize length = strlen(fresh), cut = length + 1;
	gsize end = length;

	/* The last sign-off wins: look from the last line up, each line
	 * cut out in place for the check. */
	for (guint back = 0; back < REPORT_SIGNATURE_LINES && length > 0;
	     back++) {
		gsize start = end;
		gboolean found;

		while (start > 0 && fresh[start - 1] != '\n')
			start--;
		if (end < length)
			fresh[end] = '\0';
		found = is_signoff_line(parser, fresh + start);
		if (end < length)
			fresh[end] = '\n';
		if (found) {
			cut = start;
			break;
		}
		if (start == 0)
			break;
		end = start - 1;
	}
	if (cut > length)
		return g_strdup("");
	{
		/* Every line from the sign-off on, each ended by a
		 * newline. */
		g_autofree char *signature =
			g_strconcat(fresh + cut, "\n", NULL);

		fresh[cut] = '\0';
		return report_bounded_copy(signature,
					   REPORT_MAX_SIGNATURE_BYTES);
	}
}

static const char *const lang_codes[RL_COUNT] = {"en", "nl", "fr", "de"};

static int
lang_index(const char *lang)
{
	for (int l = 0; lang != NULL && l < RL_COUNT; l++)
		if (g_ascii_strcasecmp(lang, lang_codes[l]) == 0)
			return l;
	return -1;
}

GPtrArray *
report_parse(const struct report_parser *parser,
	     const struct report_input *input)
{
	struct parse parse = {.parser = parser, .input = input};
	GPtrArray *fields = g_ptr_array_new_with_free_func(
		(GDestroyNotify)report_field_free);
	g_autofree char *fresh_repaired = NULL, *subject_repaired = NULL;
	gsize fresh_length, subject_length;
	const char *fresh = bounded_view(input->fresh, REPORT_MAX_TEXT_BYTES,
					 &fresh_length, &fresh_repaired);
	const char *subject = bounded_view(input->subject, 998, &subject_length,
					   &subject_repaired);

	/* subject, "\n", fresh: copied once, in one block */
	parse.text = g_malloc(subject_length + 1 + fresh_length + 1);
	memcpy(parse.text, subject, subject_length);
	parse.text[subject_length] = '\n';
	memcpy(parse.text + subject_length + 1, fresh, fresh_length);
	parse.text[subject_length + 1 + fresh_length] = '\0';
	if (input->signature != NULL && *input->signature != '\0') {
		parse.signature = report_bounded_copy(
			input->signature, REPORT_MAX_SIGNATURE_BYTES);
	} else {
		/* quote_parse found none: look for a sign-off ourselves,
		 * cutting the fresh text at the end of parse.text. */
		parse.signature = split_signature(
			parser, parse.text + subject_length + 1);
	}
	/* Header fields are untrusted too: repaired before any use. */
	parse.from_addr = input->from_addr != NULL
				  ? report_bounded_copy(input->from_addr, 320)
				  : NULL;
	parse.from_name = input->from_name != NULL
				  ? report_bounded_copy(input->from_name,
							REPORT_MAX_NAME_BYTES)
				  : NULL;
	parse.lang = lang_index(input->lang);
	parse.hits = report_filters_scan(parser->filters, parse.text);
	parse.signature_hits =
		report_filters_scan(parser->filters, parse.signature);
	split_clauses(&parse);

	if (parse.lang >= 0)
		report_offer(&parse, RF_LANGUAGE, lang_codes[parse.lang], 0.8,
			     NULL, 0);
	for (int f = 0; f < RF_COUNT; f++)
		if (parser->yesno[f].topic != NULL)
			parse_yesno(&parse, &parser->yesno[f]);
	parse_keywords(&parse);
	parse_ransom_note(&parse);
	report_parse_detected_at(&parse);
	report_parse_country_and_phone(&parse);
	report_parse_contact_email(&parse);
	report_parse_organisation(&parse);
	report_parse_location(&parse);
	report_parse_contact_name(&parse);

	/* Data taken out with no other incident named: a data breach. */
	if (report_best_value(&parse, RF_DATA_EXFILTRATION) != NULL &&
	    strcmp(report_best_value(&parse, RF_DATA_EXFILTRATION), "yes") == 0)
		report_offer(&parse, RF_INCIDENT_TYPE, "data_breach", 0.6,
			     parse.best[RF_DATA_EXFILTRATION]->excerpt,
			     strlen(parse.best[RF_DATA_EXFILTRATION]->excerpt));

	/* The ransom note says it is ransomware. */
	if (parse.best[RF_RANSOM_NOTE] != NULL)
		report_offer(&parse, RF_INCIDENT_TYPE, "ransomware", 0.8,
			     parse.best[RF_RANSOM_NOTE]->excerpt,
			     strlen(parse.best[RF_RANSOM_NOTE]->excerpt));

	if (report_best_value(&parse, RF_INCIDENT_TYPE) == NULL ||
	    strcmp(report_best_value(&parse, RF_INCIDENT_TYPE), "none") == 0)
		g_clear_pointer(&parse.best[RF_SYSTEMS_AFFECTED],
				report_field_free);
	for (int f = 0; f < RF_COUNT; f++)
		if (parse.best[f] != NULL)
			g_ptr_array_add(fields, parse.best[f]);
	g_array_unref(parse.clauses);
	report_filter_hits_free(&parse.hits);
	report_filter_hits_free(&parse.signature_hits);
	g_free(parse.text);
	g_free(parse.signature);
	g_free(parse.from_addr);
	g_free(parse.from_name);
	return fields;
}

const struct report_field *
report_find(const GPtrArray *fields, const char *field_id)
{
	for (guint i = 0; fields != NULL && i < fields->len; i++) {
		const struct report_field *f = fields->pdata[i];

		if (strcmp(f->field, field_id) == 0)
			return f;
	}
	return NULL;
}
