/* report-internal.h — what report.c and report-people.c share: the
 * compiled tables, the state of one parse and the helpers both use.
 * Private to the report parser. */
#ifndef INTAKED_REPORT_INTERNAL_H
#define INTAKED_REPORT_INTERNAL_H

#include <glib.h>

#include "report-patterns.h"
#include "report.h"

/* Matches of one pattern looked at, so a text of a thousand "versleuteld"
 * costs no more than a few. */
#define REPORT_MAX_MATCHES_PER_PATTERN 32
/* How far before a match a negation still counts, in bytes. */
#define REPORT_NEGATION_WINDOW 28
/* How far a time may stand from its day word ("gisteren ... om 22u"). */
#define REPORT_TIME_WINDOW	    60
#define REPORT_MAX_PHONE_CANDIDATES 16

struct compiled_yesno {
	enum report_field_id field;
	/* unknown: the unknown cues but those that start with "^", which
	 * unknown_start holds (NULL when none); a clause matches the cues
	 * when it matches either (see report.c) */
	GRegex *topic, *yes, *no, *unknown;
	/* report.c: each of the four as "\\G(?:...)", matching only at the
	 * search's start (NULL for a table that never matches) */
	GRegex *topic_at, *yes_at, *no_at, *unknown_at;
	GRegex *unknown_start;
	/* The letters one of which starts a clause (past its blanks) that
	 * unknown_start may match; "" when not known. */
	char unknown_start_letters[16];
};

struct compiled_keyword {
	const struct report_keyword *keyword;
	GRegex *regex;
	/* report_required_literals() of the pattern, or NULL */
	char **required;
	guint filter; /* report_filter_index() of regex */
};

struct compiled_day {
	const struct report_relative_day *day;
	GRegex *regex;
};

/* The writer's time zone of the last parse.  Loading a zone reads and
 * parses its tzfile (about a millisecond, more than the rest of a
 * parse), and the daemon passes the same zone for every mail; the lock
 * lets threads share the parser. */
struct zone_cache {
	GMutex lock;
	char *identifier; /* NULL: nothing cached */
	GTimeZone *zone;
};

/* report-filter.c: the literal prefixes of the patterns that have them,
 * to skip searches that cannot match (see there).  Built with the
 * parser, read-only after but for the automaton, built once by the
 * first scan, and the spare scan results. */
struct filter_literal {
	char *text; /* lower case, at least 2 bytes */
	gsize length;
	guint filter; /* index of the pattern's filter */
	/* \b stands right before (after) it in the pattern, and its first
	 * (last) byte is a word character */
	gboolean word_start, word_end;
	/* A match holding it starts at most this many bytes before it
	 * (G_MAXSIZE: no bound known) */
	gsize reach;
	/* Only "^" and \s items stand before it ("^\s*(?:whether|if)\b"):
	 * a match holding it starts at the subject's start, with nothing
	 * but white space before it there */
	gboolean anchored;
};

/* Slots of the regex -> filter table, a power of two; at most half of
 * them are used.  Kept small (5 KB): a lookup is asked for every
 * search, and a table that falls out of the cache costs a miss each. */
#define REPORT_FILTER_SLOT_BITS 9
#define REPORT_FILTER_SLOTS	(1 << REPORT_FILTER_SLOT_BITS)

/* The automaton that finds the literals in a text, see
 * report-filter.c. */
struct filter_automaton;

/* Scan results kept for the next scan (see report_filters_scan()). */
#define REPORT_FILTER_SPARE_HITS 2

struct report_filters {
	guint count;	     /* patterns with a filter */
	GPtrArray *literals; /* struct filter_literal * */
	GPtrArray *regexes;  /* const GRegex *, by filter index */
	/* GRegex * -> filter index + 1, open addressing: a lookup is asked
	 * for every search, a GHashTable costs several calls each time.
	 * slot_regex NULL: the slot is empty. */
	const GRegex *slot_regex[REPORT_FILTER_SLOTS];
	guint16 slot_index[REPORT_FILTER_SLOTS];
	/* Built by the first scan, once all patterns are added: it reads
	 * every literal at once. */
	struct filter_automaton *automaton;
	/* Freed scan results, each NULL or a struct filter_hits * to reuse,
	 * taken and given back atomically: threads share the parser, and
	 * allocating the per-filter arrays anew cost more than the scan of
	 * a short mail. */
	gpointer spare_hits[REPORT_FILTER_SPARE_HITS];
};

/* p at the '[' of a character class in a pattern: its closing ']'
 * ("]" right after "[" or "[^" is a member), or the end of the
 * pattern. */
const char *report_pattern_class_close(const char *p);

struct report_filters *report_filters_new(void);
void report_filters_free(struct report_filters **filters);
/* Builds what the scans read, once every pattern is added (else the
 * first scan does). */
void report_filters_prepare(const struct report_filters *filters);
/* The filter index + 1 of regex, 0 when it has none. */
guint report_filter_index(const struct report_filters *filters,
			  const GRegex *regex);
/* Gives regex, compiled from pattern, a filter when pattern allows.
 * Only before the first scan, and only for a regex compiled without
 * G_REGEX_MULTILINE (the filter reads "^" as the subject's start). */
void report_filters_add(struct report_filters *filters, const GRegex *regex,
			const char *pattern);
/* Where the literals of each filter occur in one text. */
enum filter_state {
	FILTER_NONE,	 /* no literal: the pattern cannot match */
	FILTER_LISTED,	 /* the occurrences are listed */
	FILTER_ANYWHERE, /* too many to list: may match anywhere */
};

/* A literal as the scan tests it, see report-filter.c. */
struct filter_probe;

struct filter_occurrence {
	gsize start; /* byte offset of the literal in the text */
	/* the literal: its length and reach */
	const struct filter_probe *probe;
	gint next; /* the filter's previous occurrence, or -1 */
	/* A word character stands before (after) it where the literal
	 * wants \b: only a subject starting (ending) right here may
	 * match.  cut_before is set too where the literal is anchored and
	 * something but white space stands before it: no search of the
	 * whole text matches it. */
	guint8 cut_before, cut_after;
	/* A subject that may match holding it starts at or after this
	 * (and at or before start): 0, start where cut by a word
	 * character, or the start of the white space before an anchored
	 * literal. */
	gsize fits_from;
};

/* Of a filter with occurrences listed. */
struct filter_tally {
	gsize earliest; /* no match starts before */
	gint head;	/* the last occurrence */
};

struct filter_hits {
	const struct report_filters *filters; /* scanned with */
	/* The per-filter arrays share the block of the struct.  count is
	 * 0 for FILTER_NONE, REPORT_FILTER_MAX_OCCURRENCES + 1 for
	 * FILTER_ANYWHERE, else FILTER_LISTED; tally is set only where it
	 * is not 0 (earliest 0 for FILTER_ANYWHERE). */
	guint8 *count;		    /* occurrences listed, per filter */
	guint8 *whole;		    /* may match the whole text, per filter */
	struct filter_tally *tally; /* per filter */
	/* n_occurrences listed, room for occurrences_size; in the block
	 * of the struct until they outgrow it */
	struct filter_occurrence *occurrences;
	guint n_occurrences, occurrences_size;
};

/* Occurrences listed per filter before it counts as "anywhere". */
#define REPORT_FILTER_MAX_OCCURRENCES 32

/* Finds the literals of every filter in text.  Free with
 * report_filter_hits_free(), which keeps the block for a next scan. */
struct filter_hits *report_filters_scan(const struct report_filters *filters,
					const char *text);
void report_filter_hits_free(struct filter_hits **hits);

/* Necessary conditions, checked in C, for patterns the literal filter
 * cannot read (times, dates, phone numbers, postal codes): a search of
 * a text that fails them would find nothing.
 *
 * Whether text[start, end) holds run characters in a row that PCRE2's
 * \d (Unicode decimal digits) may match. */
gboolean report_text_may_hold_digits(const char *text, gsize start, gsize end,
				     guint run);
/* Whether text holds a character \d may match right before a '-', '/'
 * or '.', as every absolute date ("2026-03-02", "2/3/26") does. */
gboolean report_text_may_hold_date(const char *text);
/* Where in text[start, end) a search for a time ("om 7u", "7:30") may
 * begin (a character boundary at or after start): no match starts
 * before, because a match is an hour (a digit) with at most words,
 * dots and blanks before it; G_MAXSIZE when text[start, end) has no
 * digit. */
gsize report_time_search_from(const char *text, gsize start, gsize end);
/* Where a search of text may begin (a character boundary): no match of
 * the absolute-date, phone or e-mail pattern starts before; G_MAXSIZE
 * when none can match at all. */
gsize report_date_search_from(const char *text);
gsize report_phone_search_from(const char *text);
gsize report_email_search_from(const char *text);

/* report-time.c: the time pattern (report_parser_new's parser->time)
 * matched by hand.  One match of it: byte offsets of the whole and of
 * its groups, -1 for a group that took no part. */
struct report_time_match {
	gsize start, end;
	int prep[2], hour[2], separator[2], minute[2], unit[2];
};

/* The groups of parser->time, by number: report_parser_new() checks
 * them, find_time() reads them. */
enum {
	TIME_GROUP_PREP = 1,
	TIME_GROUP_HOUR,
	TIME_GROUP_SEPARATOR,
	TIME_GROUP_MINUTE,
	TIME_GROUP_UNIT,
};

/* Whether report_time_next() knows every character of text[from, end)
 * and the one before: when it does not, search with the regex. */
gboolean report_time_scannable(const char *text, gsize from, gsize end);
/* The first match of the time pattern in text[0, end) (the subject
 * ending at end) that starts at or after from, as
 * g_regex_match_full(time, text, end, from) finds it; FALSE when there
 * is none.  Only where report_time_scannable() says so. */
gboolean report_time_next(const char *text, gsize from, gsize end,
			  struct report_time_match *match);

/* report-literal.c: per top-level alternative of pattern, its longest
 * run of plain ASCII characters outside groups, lower-cased, one of
 * which every match holds; NULL when some alternative has none long
 * enough (or the pattern is not read).  Free with g_strfreev(). */
char **report_required_literals(const char *pattern);
/* A text prepared for report_required_present(): lower-cased (ASCII),
 * and which pairs of bytes stand in it, so that most absent words are
 * ruled out by a bit or two. */
#define REQUIRED_PAIRS 4096 /* a power of two */
#define REQUIRED_PAIR(a, b)                                                    \
	((((guint)(guchar)(a) << 5) ^ (guint)(guchar)(b)) &                    \
	 (REQUIRED_PAIRS - 1))
struct required_subject {
	char *lower;
	/* bit REQUIRED_PAIR(a, b): "ab" may be in it */
	guint8 pairs[REQUIRED_PAIRS / 8];
};
/* The subject for text, or NULL when text holds a character that PCRE2
 * matches caselessly with an ASCII letter.  Free with
 * report_required_subject_free(). */
struct required_subject *report_required_subject_new(const char *text);
void report_required_subject_free(struct required_subject *subject);
/* FALSE when subject holds none of required: the pattern cannot match
 * the text.  TRUE when it may, or either is NULL. */
gboolean report_required_present(char *const *required,
				 const struct required_subject *subject);

struct report_parser {
	struct compiled_yesno yesno[RF_COUNT];
	GPtrArray *keywords; /* struct compiled_keyword * */
	GRegex *negation[RL_COUNT];
	GRegex *request[RL_COUNT];
	GRegex *detection[RL_COUNT];
	GRegex *still_working[RL_COUNT];
	struct compiled_day *days;
	GRegex *time;
	GRegex *absolute_date;
	GRegex *phone;
	GRegex *phone_excluded;
	GRegex *phone_call_cue;
	GRegex *phone_switchboard;
	GRegex *email;
	GRegex *email_cue;
	GRegex *cities;
	GRegex *city_after_preposition;
	GRegex *postal_city;
	GRegex *country_names[8];
	GPtrArray *hospitals; /* GRegex * */
	GRegex *organisation_words;
	GRegex *role_words;
	GRegex *signoff;
	GRegex *introduction;
	GRegex *person_name;
	GRegex *dash_signature;
	GRegex *ransom_note;
	GRegex *ransom_negated;
	struct zone_cache *zones; /* the one mutable part, see above */
	struct report_filters *filters;
	GRegex *ransom_note_anchored;  /* "\\G(?:" ransom_note ")" */
	GRegex *negation_at[RL_COUNT]; /* the same of each negation */
};

/* The text being parsed and the best value found so far per field. */
struct parse {
	const struct report_parser *parser;
	const struct report_input *input;
	char *text;	 /* subject + fresh, repaired and bounded */
	char *signature; /* repaired and bounded, "" when none */
	char *from_addr; /* repaired and bounded, or NULL */
	char *from_name; /* repaired and bounded, or NULL */
	int lang;	 /* RL_*, or -1 when unknown */
	GArray *clauses; /* struct clause */
	struct report_field *best[RF_COUNT];
	struct filter_hits *hits;	    /* report_filters_scan() of text */
	struct filter_hits *signature_hits; /* the same of signature */
};

struct clause {
	gsize start, end; /* byte offsets into parse.text */
};

/* Keeps value for field when it beats what is there; the excerpt is
 * excerpt_length bytes of excerpt (NULL: the value). */
void report_offer(struct parse *parse, enum report_field_id field,
		  const char *value, double confidence, const char *excerpt,
		  gsize excerpt_length);
/* The value found so far for field, or NULL.  Borrowed. */
const char *report_best_value(const struct parse *parse,
			      enum report_field_id field);
/* Whether regex matches text; *start and *end (may be NULL) get the
 * first match's byte offsets. */
gboolean report_regex_first(const GRegex *regex, const char *text, gsize *start,
			    gsize *end);
/* The same, the search beginning at byte offset (a character boundary;
 * lookbehinds and \b still see the text before it). */
gboolean report_regex_first_from(const GRegex *regex, const char *text,
				 gsize offset, gsize *start, gsize *end);
/* FALSE when regex cannot match parse->text nor any substring of it
 * (by its filter); TRUE when it may.  Only for subjects that are
 * substrings of parse->text. */
gboolean report_may_match(const struct parse *parse, const GRegex *regex);
/* The same for the text hits were scanned from. */
gboolean report_filters_may_match(const struct report_filters *filters,
				  const struct filter_hits *hits,
				  const GRegex *regex);
/* FALSE when regex cannot match parse->text itself (a substring might
 * still match, when it starts or ends inside a word). */
gboolean report_may_match_whole(const struct parse *parse, const GRegex *regex);
/* The same for the text hits were scanned from. */
gboolean report_filters_may_match_whole(const struct report_filters *filters,
					const struct filter_hits *hits,
					const GRegex *regex);
/* Where in parse->text[start, end) a search for regex may begin: no
 * match of regex on that substring (as a string of its own) starts
 * before the returned offset, relative to start, which is on a
 * character boundary.  FALSE when regex cannot match there at all. */
gboolean report_search_from(const struct parse *parse, const GRegex *regex,
			    gsize start, gsize end, gsize *offset);
/* The same for the text hits were scanned from, as a whole. */
gboolean report_filters_search_from(const struct report_filters *filters,
				    const struct filter_hits *hits,
				    const GRegex *regex, const char *text,
				    gsize *offset);
/* The same for any short text, scanned here for regex's literals only:
 * FALSE when regex cannot match text. */
gboolean report_filters_may_match_string(const struct report_filters *filters,
					 const GRegex *regex, const char *text);
/* The same for n regexes (at most 32) at once, the text read once:
 * bit r set when regexes[r] may match text. */
guint report_filters_which_may_match(const struct report_filters *filters,
				     const GRegex *const *regexes, guint n,
				     const char *text);
/* The same for the substring [start, end) of parse->text: FALSE when
 * none of regex's literals lies wholly inside it. */
gboolean report_may_match_in(const struct parse *parse, const GRegex *regex,
			     gsize start, gsize end);
/* The same for the substring [start, end) of the text hits were
 * scanned from. */
gboolean report_filters_may_match_in(const struct report_filters *filters,
				     const struct filter_hits *hits,
				     const GRegex *regex, gsize start,
				     gsize end);
/* Where regex's literals stand in the text hits were scanned from: -2
 * when that is not known (regex has no filter, or they stand too often
 * to list), -1 when they stand nowhere, else the index in
 * hits->occurrences of the one starting latest (the list runs by start),
 * each occurrence's next leading to the one before (-1 after the
 * first). */
gint report_filters_listed(const struct report_filters *filters,
			   const struct filter_hits *hits, const GRegex *regex);
/* The byte offset right after an occurrence's literal. */
gsize report_filter_occurrence_end(const struct filter_occurrence *occurrence);
/* How far before it a match holding the occurrence's literal may start
 * (G_MAXSIZE: no bound known). */
gsize
report_filter_occurrence_reach(const struct filter_occurrence *occurrence);
/* The sentence around byte at of text, a new string. */
char *report_sentence_around(const char *text, gsize at);
/* At most max bytes of text (cut on a character), valid UTF-8; "" for
 * NULL.  A new string. */
char *report_bounded_copy(const char *text, gsize max);

/* The start of the character holding text[at]; the start of the next
 * character at or after at. */
gsize report_utf8_floor(const char *text, gsize at);
gsize report_utf8_ceil(const char *text, gsize at);
/* Whether any of regexes[0, n) matches the sentence of parse->text
 * around at (searched in place, as a string of its own). */
gboolean report_sentence_matches_any(const struct parse *parse,
				     GRegex *const *regexes, guint n, gsize at);

/* report-when.c: detected_at. */
void report_parse_detected_at(struct parse *parse);

/* report-people.c (role words, sign-offs) and report-contact.c (phone
 * cues) answer three patterns by a word scan where the text is pure
 * ASCII; each answer must equal its pattern's on that text
 * (test-report's /report/ascii-scans checks every word of the
 * patterns).  Whether parser->role_words matches text[0, length): */
gboolean report_people_role_word_ascii(const char *text, gsize length);
/* whether parser->signoff does: */
gboolean report_people_signoff_ascii(const char *text, gsize length);
/* bit r set where the r-th of parser->phone_excluded, phone_call_cue and
 * phone_switchboard does, line holding no newline: */
int report_people_phone_cues_ascii(const char *line, gsize length);

/* Helpers of report-people.c that report-contact.c shares.  An ASCII
 * byte \w takes: */
gboolean report_is_ascii_word(char c);
/* whether text[0, length) is pure ASCII: */
gboolean report_is_ascii(const char *text, gsize length);
/* Finds the next run of [A-Za-z0-9_] in pure ASCII text[*at, length)
 * that, lowercased, is one of count words (lowercase, NUL-padded,
 * width bytes each, width at most 32): its bounds in *start and *end,
 * *at moved past it.  Such a run is what "\b(?:word|...)\b", caseless,
 * matches in ASCII text (where \w is [A-Za-z0-9_] and no other
 * character folds to an ASCII letter).  FALSE when none is left. */
gboolean report_next_listed_word(const char *text, gsize length, gsize *at,
				 const char *words, gsize width, gsize count,
				 gsize *start, gsize *end);
/* Whether regex, the cities pattern or the one of a city after a
 * preposition, matches text (scanned into hits). */
gboolean report_match_city(const struct parse *parse, const GRegex *regex,
			   const char *text, const struct filter_hits *hits,
			   GMatchInfo **info);
/* report-contact.c: whether the phone pattern matches text; whether
 * domain is one of report_webmail_domains, in any case. */
gboolean report_has_phone(const struct parse *parse, const char *text);
gboolean report_is_webmail(const char *domain);

/* report-people.c and report-contact.c: who writes, from where, on which
 * number. */
void report_parse_country_and_phone(struct parse *parse);
void report_parse_contact_email(struct parse *parse);
void report_parse_organisation(struct parse *parse);
void report_parse_location(struct parse *parse);
void report_parse_contact_name(struct parse *parse);

#endif
