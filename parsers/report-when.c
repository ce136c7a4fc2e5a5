/* report-when.c — when the incident was noticed: absolute dates
 * ("14/03/2026 om 7u30"), day words with a time near them ("gisteravond
 * om 22u"), or a time alone in a clause that says something was noticed
 * ("om 7u zagen we"), resolved against the reference time in the
 * writer's zone.  Part of the report parser (report.c). */
#include <string.h>

#include "answer.h"
#include "report-internal.h"

/* The number the ASCII digits at the start of text[start, end) write,
 * as g_ascii_strtoll() reads a copy of it: an hour or minute group,
 * whose \d may also have taken a digit of another script. */
static int
leading_number(const char *text, int start, int end)
{
	int n = 0;

	for (int i = start; i < end && g_ascii_isdigit(text[i]); i++)
		n = n * 10 + (text[i] - '0');
	return n;
}

struct time_of_day {
	int hour, minute;
	gsize start, end;
	gboolean strong; /* minutes or a unit, not only "om 7" */
};

/* The match info's match as report_time_next() gives one. */
static void
time_match_of(const GMatchInfo *info, struct report_time_match *match)
{
	int s, e;
	int *groups[] = {NULL,		match->prep,
			 match->hour,	match->separator,
			 match->minute, match->unit};

	g_match_info_fetch_pos(info, 0, &s, &e);
	match->start = (gsize)s;
	match->end = (gsize)e;
	for (int g = TIME_GROUP_PREP; g <= TIME_GROUP_UNIT; g++)
		if (!g_match_info_fetch_pos(info, g, &groups[g][0],
					    &groups[g][1]) ||
		    groups[g][0] < 0)
			groups[g][0] = groups[g][1] = -1;
}

/* The time expression nearest to [from, to), within REPORT_TIME_WINDOW
 * bytes; FALSE when none. */
static gboolean
find_time(const struct parse *parse, gsize from, gsize to, gsize window,
	  struct time_of_day *out)
{
	const char *text = parse->text;
	gsize lo = report_utf8_ceil(text, from > window ? from - window : 0);
	/* to is no further than the text's end */
	gsize hi = report_utf8_floor(text, to + strnlen(text + to, window));
	g_autoptr(GMatchInfo) info = NULL;
	gboolean found = FALSE;
	gsize best_distance = G_MAXSIZE;
	int seen = 0;
	gsize search_from;
	gboolean scanned;

	/* The hand-written matcher when it knows every character, else
	 * the regex (a digit of another script, say). */
	scanned = report_time_scannable(text, lo, hi);
	if (scanned) {
		search_from = lo;
	} else {
		/* Every time has a digit; most clauses have none, and the
		 * search starts near the first. */
		search_from = report_time_search_from(text, lo, hi);
		if (search_from == G_MAXSIZE)
			return FALSE;
		g_regex_match_full(parse->parser->time, text, (gssize)hi,
				   (gint)search_from, 0, &info, NULL);
	}
	for (gsize at = search_from; seen < REPORT_MAX_MATCHES_PER_PATTERN;
	     seen++) {
		struct report_time_match match;
		int s, e;
		gsize distance;
		struct time_of_day t = {0};
		char sep, unit;
		gboolean strong, minutes;

		if (scanned) {
			if (!report_time_next(text, at, hi, &match))
				break;
			at = match.end;
		} else {
			if (seen > 0)
				g_match_info_next(info, NULL);
			if (!g_match_info_matches(info))
				break;
			time_match_of(info, &match);
		}
		s = (int)match.start;
		e = (int)match.end;
		/* An unset or empty group reads as NUL. */
		sep = match.separator[1] > match.separator[0]
			      ? text[match.separator[0]]
			      : '\0';
		unit = match.unit[1] > match.unit[0] ? text[match.unit[0]]
						     : '\0';
		minutes = match.minute[1] > match.minute[0];
		strong = (sep == ':' && minutes) ||
			 (sep == 'h' || sep == 'u' || sep == 'H' ||
			  sep == 'U') ||
			 unit != '\0';
		if (!strong && !(match.prep[1] > match.prep[0]))
			continue;
		if (sep == '.' && !minutes && !strong)
			continue;
		t.hour = leading_number(text, match.hour[0], match.hour[1]);
		t.minute = minutes ? leading_number(text, match.minute[0],
						    match.minute[1])
				   : 0;
		if (unit != '\0' &&
		    (g_ascii_strncasecmp(text + match.unit[0], "pm", 2) == 0 ||
		     g_ascii_strncasecmp(text + match.unit[0], "p.", 2) == 0) &&
		    t.hour < 12)
			t.hour += 12;
		t.start = (gsize)s;
		t.end = (gsize)e;
		t.strong = strong;
		distance = (gsize)s >= to     ? (gsize)s - to
			   : (gsize)e <= from ? from - (gsize)e
					      : 0;
		if (distance < best_distance) {
			best_distance = distance;
			*out = t;
			found = TRUE;
		}
	}
	return found;
}

/* The writer's zone (UTC when none or unknown), from the parser's cache
 * when it is the zone of the last parse.  Caller unrefs. */
static GTimeZone *
writer_zone(const struct report_parser *parser,
	    const struct report_input *input)
{
	struct zone_cache *cache = parser->zones;
	GTimeZone *zone = NULL;

	if (input->timezone == NULL || *input->timezone == '\0')
		return g_time_zone_new_utc();
	g_mutex_lock(&cache->lock);
	if (cache->identifier != NULL &&
	    strcmp(cache->identifier, input->timezone) == 0)
		zone = g_time_zone_ref(cache->zone);
	g_mutex_unlock(&cache->lock);
	if (zone != NULL)
		return zone;
	zone = g_time_zone_new_identifier(input->timezone);
	if (zone == NULL)
		zone = g_time_zone_new_utc();
	g_mutex_lock(&cache->lock);
	g_free(cache->identifier);
	if (cache->zone != NULL)
		g_time_zone_unref(cache->zone);
	cache->identifier = g_strdup(input->timezone);
	cache->zone = g_time_zone_ref(zone);
	g_mutex_unlock(&cache->lock);
	return zone;
}

/* The civil date of a day counted from 1970-01-01 (proleptic
 * Gregorian; H. Hinnant's days_from_civil turned around). */
static void
civil_from_days(gint64 days, int *year, int *month, int *day)
{
	gint64 z = days + 719468;
	gint64 era = (z >= 0 ? z : z - 146096) / 146097;
	gint64 of_era = z - era * 146097;
	gint64 year_of_era =
		(of_era - of_era / 1460 + of_era / 36524 - of_era / 146096) /
		365;
	gint64 of_year = of_era - (365 * year_of_era + year_of_era / 4 -
				   year_of_era / 100);
	gint64 shifted_month = (5 * of_year + 2) / 153;

	*day = (int)(of_year - (153 * shifted_month + 2) / 5 + 1);
	*month = (int)(shifted_month < 10 ? shifted_month + 3
					  : shifted_month - 9);
	*year = (int)(year_of_era + era * 400 + (*month <= 2));
}

/* The reference times whose dates resolve_relative() works out itself:
 * from 1970 plus some days to 2286, where every date has four digits
 * and no step below leaves the range GDateTime takes. */
#define RELATIVE_FAST_MIN_TIME (G_GINT64_CONSTANT(30) * 86400)
#define RELATIVE_FAST_MAX_TIME G_GINT64_CONSTANT(10000000000)
#define RELATIVE_FAST_MAX_DAYS 10

/* ISO 8601 local time for day_offset days from the reference date at
 * hour:minute, or the date alone when hour < 0. */
static char *
resolve_relative(const struct parse *parse, int day_offset, int hour,
		 int minute)
{
	const struct report_input *input = parse->input;
	g_autoptr(GTimeZone) zone = writer_zone(parse->parser, input);
	g_autoptr(GDateTime) utc = NULL;
	g_autoptr(GDateTime) local = NULL;
	g_autoptr(GDateTime) day = NULL;
	int year, month, day_of_month;

	if (input->reference_time >= RELATIVE_FAST_MIN_TIME &&
	    input->reference_time <= RELATIVE_FAST_MAX_TIME &&
	    ABS(day_offset) <= RELATIVE_FAST_MAX_DAYS) {
		/* What g_date_time_to_timezone() and then
		 * g_date_time_add_days() do, without their allocations:
		 * the local wall time moved by whole days, then put in
		 * the zone's interval, as a day that loses an hour to
		 * daylight saving time demands (02:30 becomes 03:30). */
		gint64 t = input->reference_time;
		gint interval = g_time_zone_find_interval(
			zone, G_TIME_TYPE_UNIVERSAL, t);
		gint64 wall = t + g_time_zone_get_offset(zone, interval);
		gint64 moved =
			(wall / 86400 + day_offset) * 86400 + wall % 86400;

		g_time_zone_adjust_time(zone,
					g_time_zone_is_dst(zone, interval)
						? G_TIME_TYPE_DAYLIGHT
						: G_TIME_TYPE_STANDARD,
					&moved);
		civil_from_days(moved / 86400, &year, &month, &day_of_month);
	} else {
		utc = g_date_time_new_from_unix_utc(input->reference_time);
		if (utc == NULL)
			return NULL;
		local = g_date_time_to_timezone(utc, zone);
		day = g_date_time_add_days(local, day_offset);
		if (day == NULL)
			return NULL;
		if (hour < 0)
			return g_date_time_format(day, "%Y-%m-%d");
		year = g_date_time_get_year(day);
		month = g_date_time_get_month(day);
		day_of_month = g_date_time_get_day_of_month(day);
	}
	if (hour < 0)
		return g_strdup_printf("%04d-%02d-%02d", year, month,
				       day_of_month);
	return g_strdup_printf("%04d-%02d-%02dT%02d:%02d", year, month,
			       day_of_month, hour, minute);
}

static gboolean
clause_has_detection(const struct parse *parse, gsize at)
{
	return report_sentence_matches_any(parse, parse->parser->detection,
					   RL_COUNT, at);
}

static gboolean
parser_mentions_police(const struct parse *parse, gsize at)
{
	return report_sentence_matches_any(
		parse, &parse->parser->yesno[RF_POLICE_REPORT].topic, 1, at);
}

/* The bytes of the character at text[at] when it may be one PCRE2's \d
 * (Unicode decimal digits) matches, else 0. */
static gsize
digit_at(const char *text, gsize at)
{
	gsize next = at + 1;

	if ((guchar)text[at] < 0x80)
		return g_ascii_isdigit(text[at]) ? 1 : 0;
	while (((guchar)text[next] & 0xc0) == 0x80)
		next++;
	return report_text_may_hold_digits(text, at, next, 1) ? next - at : 0;
}

/* Whether a digit, a date separator and n digits stand at text[at]:
 * the bytes they take, else 0. */
static gsize
digits_after_separator(const char *text, gsize at, guint n)
{
	gsize i = at, d;

	if (text[i] != '-' && text[i] != '/' && text[i] != '.')
		return 0;
	i++;
	for (guint k = 0; k < n; k++) {
		if ((d = digit_at(text, i)) == 0)
			return 0;
		i += d;
	}
	return i - at;
}

/* Where a search for an absolute date may begin: G_MAXSIZE when the
 * text has none.  Every date holds a digit, a separator ('-', '/',
 * '.'), one or two digits, a separator and two digits ("2026-03-02"
 * holds "6-03-02", "2/3/26" all of it), whose first digit ends the
 * date's first number: the date starts at most three digits (of up to
 * four bytes) before it.  "7.30", "v1.2" and most phone numbers have no
 * such run, and cost no search. */
static gsize
date_search_from(const char *text)
{
	gsize from = report_date_search_from(text);

	if (from == G_MAXSIZE)
		return G_MAXSIZE;
	for (gsize i = from; text[i] != '\0'; i++) {
		gsize d = digit_at(text, i), middle;

		if (d == 0)
			continue;
		for (guint n = 1; n <= 2; n++) {
			if ((middle = digits_after_separator(text, i + d, n)) ==
			    0)
				continue;
			if (digits_after_separator(text, i + d + middle, 2) !=
			    0)
				return MAX(from,
					   report_utf8_floor(
						   text, i > 12 ? i - 12 : 0));
		}
	}
	return G_MAXSIZE;
}

void
report_parse_detected_at(struct parse *parse)
{
	const char *text = parse->text;
	const struct compiled_day *best_day = NULL;
	gsize best_start = G_MAXSIZE, best_end = 0;
	struct time_of_day t;
	g_autoptr(GMatchInfo) info = NULL;
	int seen = 0;
	gsize date_from;

	/* Absolute dates first: "14/03/2026 om 7u30". */
	if ((date_from = date_search_from(text)) != G_MAXSIZE)
		g_regex_match_full(parse->parser->absolute_date, text, -1,
				   (gint)date_from, 0, &info, NULL);
	for (; info != NULL && g_match_info_matches(info) && seen < 8;
	     g_match_info_next(info, NULL), seen++) {
		g_autofree char *written = g_match_info_fetch(info, 0);
		g_autofree char *iso = NULL;
		int s, e;

		g_match_info_fetch_pos(info, 0, &s, &e);
		if (!answer_normalise_datetime(written, &iso))
			continue;
		report_offer(parse, RF_DETECTED_AT, iso,
			     clause_has_detection(parse, (gsize)s) ? 0.85 : 0.6,
			     written, strlen(written));
		break;
	}

	for (size_t i = 0; i < report_relative_day_count; i++) {
		const struct compiled_day *d = &parse->parser->days[i];
		gsize s, e;

		gsize offset;

		if ((d->day->flags & RK_LANG_ONLY) &&
		    parse->lang != (int)d->day->lang)
			continue;
		/* A day that cannot start before the best one found cannot
		 * beat it (it may tie, and be longer). */
		if (!report_filters_search_from(parse->parser->filters,
						parse->hits, d->regex, text,
						&offset) ||
		    (best_day != NULL && offset > best_start) ||
		    !report_regex_first_from(d->regex, text, offset, &s, &e))
			continue;
		/* Earliest wins; at one place the longest ("gisteravond"
		 * over "gisteren" is the table order). */
		if (s < best_start || (s == best_start && e > best_end)) {
			best_day = d;
			best_start = s;
			best_end = e;
		}
	}
	if (best_day != NULL) {
		int offset = best_day->day->day_offset;
		int hour = -1, minute = 0;
		double confidence = 0.6;
		gsize ex_start = best_start, ex_end = best_end;
		g_autofree char *iso = NULL;

		if (find_time(parse, best_start, best_end, REPORT_TIME_WINDOW,
			      &t)) {
			hour = t.hour;
			minute = t.minute;
			confidence = 0.7;
			ex_start = MIN(ex_start, t.start);
			ex_end = MAX(ex_end, t.end);
			switch (best_day->day->part) {
			case RD_AFTERNOON:
			case RD_EVENING:
				if (hour < 12)
					hour += 12;
				break;
			case RD_NIGHT:
				if (hour >= 12)
					offset -= 1;
				break;
			default:
				break;
			}
			if (hour > 23)
				hour -= 12;
		}
		if (clause_has_detection(parse, best_start))
			confidence += 0.1;
		else if (hour < 0 && parser_mentions_police(parse, best_start))
			/* "plainte déposée ce matin" says when they went to
			 * the police, not when they noticed. */
			best_day = NULL;
		if (best_day != NULL) {
			iso = resolve_relative(parse, offset, hour, minute);
			report_offer(parse, RF_DETECTED_AT, iso, confidence,
				     text + ex_start, ex_end - ex_start);
			return;
		}
	}

	/* "Om 7u zagen we ..." without a day: today. */
	for (guint i = 0; i < parse->clauses->len; i++) {
		const struct clause *c =
			&g_array_index(parse->clauses, struct clause, i);

		if (!find_time(parse, c->start, c->end, 0, &t) ||
		    t.start > c->end || !t.strong ||
		    !clause_has_detection(parse, t.start))
			continue;
		{
			g_autofree char *iso =
				resolve_relative(parse, 0, t.hour, t.minute);

			report_offer(parse, RF_DETECTED_AT, iso, 0.5,
				     text + t.start, t.end - t.start);
		}
		return;
	}
}
