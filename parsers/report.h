/* report.h — case fields from the free text of an incident report.  Pure:
 * text in, fields out; no I/O, no logging, no globals.
 *
 * A hospital writes "Vanochtend om 7u zagen we dat alle bestanden op de
 * fileserver .lockbit hebben, spoed ligt stil, backups onduidelijk.  Bel
 * 0475 55 01 23 — Jan, IT AZ Voorbeeld Gent"; the report parser turns that
 * into incident_type=ransomware, care_impact=yes, backups_available=
 * unknown, detected_at=2026-03-02T07:00, contact_phone=+32475550123,
 * contact_name=Jan, organisation=AZ Voorbeeld Gent, location=Gent,
 * country=BE, systems_affected=fileserver.
 *
 * It reads the author's own words only: the caller passes quote_parse()'s
 * `fresh` and `signature`, never quoted or forwarded text, so a forwarded
 * phishing mail's sender, phone and URLs never become the requester's.
 *
 * How it works (docs/parsing.md): the text is cut into clauses; per field
 * a table of patterns per language (en, nl, fr, de; all four are always
 * tried, because mail mixes them) finds a topic ("backups", "spoed") and
 * cue words in the same clause ("geen", "onduidelijk", "ligt stil"); a
 * negation before a positive cue flips it.  Keyword tables give the
 * incident type, systems and needs; a gazetteer gives cities and
 * countries; hospital-name patterns the organisation.
 *
 * Values are normalised the way questionnaire_validate_value() stores
 * them: yesno "yes"/"no"/"unknown", choice and list values from
 * conf/questionnaire.conf ("ransomware", "forensics,recovery"), phone
 * numbers "+32475550123", datetimes "2026-03-02T07:00" (local time of the
 * reference time zone, no offset) or "2026-03-02" for a day alone, text as
 * written. */
#ifndef INTAKED_REPORT_H
#define INTAKED_REPORT_H

#include <glib.h>

/* Work bounds for hostile input: text beyond them is not examined. */
#define REPORT_MAX_TEXT_BYTES	   (64 * 1024) /* of subject + fresh */
#define REPORT_MAX_SIGNATURE_BYTES 4096
#define REPORT_MAX_CLAUSES	   2000 /* clauses examined */
#define REPORT_MAX_CLAUSE_BYTES	   1024 /* a longer clause is cut */
#define REPORT_MAX_SYSTEMS	   12	/* items in systems_affected */
#define REPORT_MAX_EXCERPT_CHARS   160
#define REPORT_MAX_NAME_BYTES	   200 /* sender display name looked at */

/* What the caller knows about the mail.  All strings UTF-8 (invalid
 * sequences are repaired), any may be NULL. */
struct report_input {
	const char *fresh;     /* quote_result.fresh */
	const char *signature; /* quote_result.signature */
	const char *from_addr; /* mime_summary.from_addr */
	const char *from_name; /* mime_summary.from_name */
	const char *subject;   /* decoded Subject */
	/* lang_detect() of fresh: "en", "nl", "fr", "de"; emitted as the
	 * language field, and only a tie-breaker otherwise */
	const char *lang;
	/* When the mail was received (Unix seconds, UTC) and the writer's
	 * IANA time zone ("Europe/Brussels"; NULL or unknown: UTC):
	 * "vanochtend om 7u" is resolved against them. */
	gint64 reference_time;
	const char *timezone;
};

/* One extracted field. */
struct report_field {
	const char *field; /* field id (static string) */
	char *value;	   /* normalised, see above */
	double confidence; /* 0..1 */
	char *excerpt;	   /* the words it came from, at most
			      REPORT_MAX_EXCERPT_CHARS characters */
};

struct report_parser;

/* Compiles the pattern tables.  Build one and reuse it: compiling costs
 * more than parsing a mail.  The parser is immutable once built (but
 * for a cache of the last time zone, kept under a lock), so threads may
 * share it.  Never fails (the tables are built in; a broken
 * pattern is a programming error and aborts).  Free with
 * report_parser_free(). */
struct report_parser *report_parser_new(void);

/* Frees *parser and sets it to NULL; NULL or *NULL is fine. */
void report_parser_free(struct report_parser **parser);

/* The fields found in input, at most one per field id, in questionnaire
 * order (organisation first).  Fields with nothing found are absent.
 * Returns a new GPtrArray of struct report_field * that frees its
 * elements; caller frees with g_ptr_array_unref().  Never NULL. */
GPtrArray *report_parse(const struct report_parser *parser,
			const struct report_input *input);

/* The field called field_id in fields (from report_parse), or NULL.
 * Borrowed. */
const struct report_field *report_find(const GPtrArray *fields,
				       const char *field_id);

/* Frees one field; for the array's element free function. */
void report_field_free(struct report_field *field);

#endif
