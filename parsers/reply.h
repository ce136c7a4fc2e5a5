/* reply.h — answers to intaked's questions in a reply mail.  Pure: text
 * and the questions asked in, raw answers out; no I/O, no logging.
 *
 * intaked asks numbered questions ("1. Is de patiëntenzorg nu verstoord?
 * (ja/nee)").  People answer in four ways, all understood here:
 *
 *   inline       under the quoted question, as Gmail and Thunderbird
 *                users do ("> 2. Hebt u offline back-ups ...?" then
 *                "Nee, alles versleuteld"; the first paragraph), or
 *                typed between the questions of an Outlook quote whose
 *                "> " markers are gone;
 *   numbered     a top post "1. ja 2. nee 3. 0475 55 01 23", on one line
 *                or several;
 *   key_value    "Backups: nee", "Telefoon: 0475...", with a label, a
 *                field id or the beginning of the question as the key;
 *   above_quote  one short answer per line above the quoted questions,
 *                in their order, without numbers.
 *
 * Quoted question lines are matched against the question texts (in the
 * language asked and, when given, all languages) by word overlap on
 * folded text, so Outlook's reflowing, "> " markers, lost numbers and
 * small edits do not matter; numbers alone are a fallback.
 *
 * Raw answers are not normalised here: questionnaire_validate_value()
 * does that when the answer is applied.  answer_parse_yesno() is only
 * used to prefer a short yes/no line over chatter. */
#ifndef INTAKED_REPLY_H
#define INTAKED_REPLY_H

#include <glib.h>

#include "quote.h"

/* Work bounds for hostile input. */
#define REPLY_MAX_QUESTIONS	 64   /* questions looked at */
#define REPLY_MAX_QUOTED_LINES	 2000 /* quoted lines compared, in all */
#define REPLY_MAX_FRESH_LINES	 500  /* fresh lines read for answers */
#define REPLY_MAX_ANSWER_BYTES	 4000 /* a longer answer is cut */
#define REPLY_MAX_QUESTION_BYTES 1000 /* of one question text */
#define REPLY_WINDOW_LINES	 3    /* a reflowed question spans at most */

/* One question as it was asked in this thread. */
struct reply_question {
	guint number;	   /* as numbered in the mail, 0 when unnumbered */
	const char *field; /* field id, "care_impact" */
	const char *text;  /* the question in the language it was asked */
	/* Optional (NULL-terminated, may be NULL): the question in every
	 * language, and the field's labels ("Backups", "Telefoon"), for
	 * replies that translate or key answers by label. */
	const char *const *texts;
	const char *const *labels;
};

enum reply_method {
	REPLY_INLINE,	   /* under the quoted question */
	REPLY_NUMBERED,	   /* "1. ja 2. nee" */
	REPLY_KEY_VALUE,   /* "Backups: nee" */
	REPLY_ABOVE_QUOTE, /* lines above the quoted questions, in order */
};

/* "inline", "numbered", "key_value", "above_quote" (static). */
const char *reply_method_name(enum reply_method method);

struct reply_answer {
	const char *field; /* borrowed from the matching question */
	guint number;	   /* that question's number */
	char *raw;	   /* the answer as written, trimmed, lines kept */
	enum reply_method method;
	double confidence; /* 0..1 */
};

/* The answers in a reply split by quote_parse(); questions are the
 * n_questions asked in the thread (at most REPLY_MAX_QUESTIONS are
 * used).  At most one answer per field, the most confident; in the
 * order of questions.  Returns a new GPtrArray of struct reply_answer *
 * that frees its elements (g_ptr_array_unref); never NULL. */
GPtrArray *reply_parse(const struct quote_result *quote,
		       const struct reply_question *questions,
		       gsize n_questions);

/* The answer for field_id in answers (from reply_parse), or NULL.
 * Borrowed. */
const struct reply_answer *reply_find(const GPtrArray *answers,
				      const char *field_id);

void reply_answer_free(struct reply_answer *answer);

#endif
