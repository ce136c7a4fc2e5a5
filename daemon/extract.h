/* extract.h — the one place that calls the report and reply parsers.
 *
 * The conversation (conversation.c) asks two things of incoming mail:
 * which case fields a new report already answers, and which answers a
 * reply gives to the questions it was asked.  Both are parsers' work
 * (parsers/report.h, parsers/reply.h); this adapter turns their results
 * into one shape, so a change of their API touches this file only.
 * Values come back as the parser found them; the caller validates and
 * normalises each with questionnaire_validate_value_in() before it is
 * stored. */
#ifndef INTAKED_EXTRACT_H
#define INTAKED_EXTRACT_H

#include <glib.h>

#include "questionnaire.h"
#include "store.h"

/* One value found for one field. */
struct extract_field {
	char *field;	   /* field id */
	char *value;	   /* as found; not yet validated */
	double confidence; /* 0..1 */
	char *excerpt;	   /* the words it came from; may be NULL */
};
void extract_field_free(struct extract_field *field);

/* What is known about a new report.  Strings UTF-8; any may be NULL. */
struct extract_report_input {
	const char *body;      /* mime_body_text() of the (decrypted) mail */
	const char *subject;   /* decoded Subject */
	const char *from_addr; /* lower-cased sender */
	const char *from_name;
	const char *lang;    /* the case language */
	gint64 received_at;  /* Unix seconds, UTC */
	const char *country; /* ISO 3166 code when known, else NULL */
};

/* The fields a report's own words give (quoted and forwarded text is
 * never read), at most one per field id.  Returns a new array of struct
 * extract_field* owning its elements; never NULL. */
GPtrArray *extract_report(const struct questionnaire *questionnaire,
			  const struct extract_report_input *input);

/* The answers a reply body gives to questions (struct store_question*,
 * the numbered questions of the mail it answers; may be NULL): an answer
 * written below a quoted question, numbered lines ("2. no"), "Label:
 * value" with a field's label or question in any language, or short lines
 * above the quote in question order (reply_parse()).  At most one per
 * field; the excerpt names how it was found ("inline", "numbered", ...).
 * Returns a new array of struct extract_field* owning its elements; never
 * NULL. */
GPtrArray *extract_reply(const struct questionnaire *questionnaire,
			 const char *body, const char *subject,
			 const GPtrArray *questions);

#endif
