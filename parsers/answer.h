/* answer.h — normalising one answer to one questionnaire field.  Pure.
 *
 * These functions take a value that has already been cut out of a mail
 * (by the reply parser, or typed by staff) and bring it into the form the
 * case stores: yes/no/unknown in four languages, phone numbers in compact
 * international form, list items split, dates in ISO 8601.  Finding the
 * value in free text, and negations such as "geen backups", are the report
 * parser's job, not this module's. */
#ifndef INTAKED_ANSWER_H
#define INTAKED_ANSWER_H

#include <glib.h>

/* Longest raw answer looked at, in bytes; longer input is an error before
 * any work is done on it. */
#define ANSWER_MAX_BYTES 16384
/* Most items in a list answer. */
#define ANSWER_LIST_MAX_ITEMS 32
/* A written phone number longer than this is not a phone number. */
#define ANSWER_PHONE_MAX_BYTES 64
/* RFC 5321's limit on a forward path. */
#define ANSWER_EMAIL_MAX_BYTES 254

#define ANSWER_ERROR answer_error_quark()
GQuark answer_error_quark(void);

/* Error messages are a predicate to put after the value ("is not a phone
 * number", "is longer than 200 characters"): the caller knows the field
 * and quotes the value with answer_quote(). */
enum answer_error_code {
	ANSWER_ERROR_EMPTY,    /* nothing but white space */
	ANSWER_ERROR_TOO_LONG, /* over a limit */
	ANSWER_ERROR_INVALID,  /* not a value of the expected kind */
};

enum answer_yesno {
	ANSWER_NO,
	ANSWER_YES,
	ANSWER_UNKNOWN,
};

/* "no", "yes", "unknown" (static strings). */
const char *answer_yesno_name(enum answer_yesno value);

/* The comparison key of a short answer: Unicode case folded, accents
 * removed, '_' and '-' and runs of white space turned into one space,
 * curly apostrophes made straight, trimmed, and trailing punctuation
 * (. ! ? , ; :) dropped.  "Weiß nicht." and "weiss nicht" fold alike.
 * Invalid UTF-8 is repaired first.  Returns a new string (g_free). */
char *answer_fold(const char *text);

/* Reads text as yes, no or "don't know" in en, nl, fr or de from the
 * built-in synonyms ("ja", "oui", "jawohl", "klopt", "nee", "neen", "non",
 * "nein", "geen", "weet niet", "je ne sais pas", "unbekannt", ...).  The
 * longest match of the first words counts, so "nee, nog niet" is no and
 * "no idea" is unknown.  Returns FALSE when text is none of these. */
gboolean answer_parse_yesno(const char *text, enum answer_yesno *value);

/* Splits a list answer at ',', ';', '/', '&', '+', new lines and the
 * words and/en/et/und; drops bullets ("- ", "* ", "• ") and empty items,
 * and trims each item.  Returns a new array of new strings (unref it); an
 * empty array for empty input; NULL with ANSWER_ERROR_TOO_LONG when there
 * are more than ANSWER_LIST_MAX_ITEMS items or text is over
 * ANSWER_MAX_BYTES. */
GPtrArray *answer_split_list(const char *text, GError **error);

/* Normalises a phone number.  With an international prefix ("+32 475 55
 * 01 23", "0032 475 55 01 23", "+32 (0)9 ...") or a national number
 * ("0475 55 01 23", "(0)9 123 45 67") whose country is given as an ISO
 * 3166 code ("BE", "NL", "FR", "DE"; any case) and whose length fits that
 * country's plan, *normalised is the compact form "+32475550123".  When
 * the country is not clear (country NULL, another country, or an odd
 * length), *normalised is the number as written, trimmed, with white space
 * collapsed: a wrong guess would be worse than no guess.  A leading label
 * ("tel:", "GSM", "Telefon") is dropped.  Returns FALSE and sets error
 * when text is not a phone number (letters, too few or too many digits).
 * *normalised is a new string (g_free). */
gboolean answer_normalise_phone(const char *text, const char *country,
				char **normalised, GError **error);

/* Normalises a date and time written as "2026-03-14 07:30", ISO 8601
 * (with T, seconds, Z or an offset), or day first as "14/03/2026 7:30",
 * "14-03-2026 om 7u30", "14.03.26 07h30", "14/03/2026 à 7h", "14.3.2026
 * 7 Uhr".  *iso is "2026-03-14T07:30" (local time of the writer, no
 * offset unless one was written), "2026-03-14T07:30:15+01:00", or
 * "2026-03-14" for a date alone.  Returns FALSE when text is not one of
 * these (relative times like "vanochtend" are not handled here) or names
 * an impossible date; *iso is then untouched.  *iso is a new string. */
gboolean answer_normalise_datetime(const char *text, char **iso);

/* Checks an e-mail address ("a@b.example", optionally in <> or after
 * "mailto:") and returns it with the domain in lower case.  Returns FALSE
 * and sets error when it is not a plain addr-spec.  *normalised is a new
 * string. */
gboolean answer_normalise_email(const char *text, char **normalised,
				GError **error);

/* Free text: valid UTF-8 (invalid sequences are an error), CR LF made LF,
 * other control characters except tab and new line made spaces, trimmed,
 * at most max_chars characters.  *normalised is a new string. */
gboolean answer_normalise_text(const char *text, size_t max_chars,
			       char **normalised, GError **error);

/* The candidate (from a NULL-terminated list) closest to word by edit
 * distance on folded forms, if within max_distance; for "did you mean"
 * hints.  Returns a borrowed pointer into candidates, or NULL. */
const char *answer_closest(const char *word, const char *const *candidates,
			   size_t max_distance);

/* A short, printable rendering of an untrusted value for error messages:
 * quoted, control characters escaped, cut at 60 characters.  Returns a new
 * string. */
char *answer_quote(const char *value);

#endif
