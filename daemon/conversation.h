/* conversation.h — the questionnaire conversation of a case
 * (docs/questionnaire.md, "The conversation").
 *
 * A new report: the fields its own words answer are stored (source
 * "parser"), and the acknowledgement asks the numbered questions still
 * unanswered, required ones first.  Each reply: its answers to the
 * questions of the mail it answers are validated and stored (source
 * "reply"), every change goes on the timeline, and while required fields
 * are missing a "questions" mail asks for those only; when none is missing
 * the case is "complete" and a closing note is sent.  No answer for
 * questions.reminder_after seconds: a reminder.  After
 * questions.max_rounds mails asking questions the case is handed to staff
 * instead.  care_impact = yes notifies staff at once, once per case.
 *
 * Case states: open (no conversation), waiting (required answers
 * missing, questions asked), complete, handed_over.
 *
 * Everything here runs inside the caller's transaction (the intake step),
 * except conversation_due(), which takes its own. */
#ifndef INTAKED_CONVERSATION_H
#define INTAKED_CONVERSATION_H

#include <gmime/gmime.h>

#include "mime.h"
#include "pipeline.h"
#include "questionnaire.h"
#include "store.h"
#include "template.h"

/* A parsed value counts as an answer from this confidence on; below it
 * the question is still asked (the requester confirms it). */
#define CONVERSATION_MIN_CONFIDENCE 0.5
/* Most questions in one mail; the sets are configuration, but a mail of
 * fifty questions is not answered. */
#define CONVERSATION_MAX_QUESTIONS 30

#define CONVERSATION_STATE_OPEN	       "open"
#define CONVERSATION_STATE_WAITING     "waiting"
#define CONVERSATION_STATE_COMPLETE    "complete"
#define CONVERSATION_STATE_HANDED_OVER "handed_over"

/* The incoming mail an intake step is working on. */
struct conversation_mail {
	const struct store_message *message;
	GMimeMessage *mime;
	const struct mime_summary *summary;
};

/* ---- pure decisions (unit-tested) ---------------------------------- */

enum conversation_next {
	CONVERSATION_ASK,	/* send the missing required questions */
	CONVERSATION_COMPLETE,	/* nothing required is missing */
	CONVERSATION_HAND_OVER, /* asked max_rounds times: staff take over */
};

/* What to do after rounds_sent mails asking questions, with
 * missing_required required questions unanswered. */
enum conversation_next conversation_decide(guint missing_required,
					   int rounds_sent, int max_rounds);

/* Whether a round asked at asked_at and unanswered is due for a reminder
 * (or hand-over) at now; *due_at (may be NULL) is when it is or was. */
gboolean conversation_reminder_due(gint64 asked_at, gint64 now,
				   int reminder_after, gint64 *due_at);

/* The values that count as answers: field id -> value (borrowed from
 * fields, struct store_field*) for non-empty values set by staff or with
 * at least CONVERSATION_MIN_CONFIDENCE.  Free with g_hash_table_unref. */
GHashTable *conversation_known(const GPtrArray *fields);

/* The questions to ask a case whose answers are known: the missing ones
 * of its incident type's sets (questionnaire_missing()), required first,
 * only the required ones when required_only, at most
 * CONVERSATION_MAX_QUESTIONS, numbered from 1 with the question text in
 * lang.  Returns a new array of struct store_question* owning its
 * elements. */
GPtrArray *conversation_questions(const struct questionnaire *questionnaire,
				  GHashTable *known, const char *lang,
				  gboolean required_only);

/* Adds questions (struct store_question*) to context as the template
 * variables has_questions, has_required and the list questions (number,
 * question, label, field, required). */
void conversation_set_questions(struct template_context *context,
				const struct questionnaire *questionnaire,
				const GPtrArray *questions, const char *lang);

/* The variables conversation_preview() sets (NULL-terminated). */
extern const char *const conversation_preview_variables[];

/* For `intakectl template render`: fills context from the case's fields
 * (struct store_field*) as a mail of any kind would see them: the
 * questions still missing, "noted" and "fields" listing every value.
 * questionnaire may be NULL (no questions). */
void conversation_preview(struct template_context *context,
			  const struct questionnaire *questionnaire,
			  const GPtrArray *fields, const char *lang);

/* ---- the steps (inside the caller's transaction) --------------------- */

/* A new report opened case c: stores the fields its own words give and
 * records them on the timeline; notifies staff when care is affected
 * (*queued, may be NULL, is then TRUE). */
gboolean conversation_read_report(const struct pipeline *pipeline,
				  const struct store_case *c,
				  const struct conversation_mail *mail,
				  gboolean *queued, GError **error);

/* Adds the questions still unanswered for c to the acknowledgement's
 * context.  *asked is a new array of struct store_question* (empty when
 * nothing is asked) for conversation_ack_queued(). */
gboolean conversation_ack_questions(const struct pipeline *pipeline,
				    const struct store_case *c,
				    struct template_context *context,
				    GPtrArray **asked, GError **error);

/* The acknowledgement asking `asked` was queued as outbox entry
 * outbox_id: records round 1 and sets the case state (waiting or
 * complete). */
gboolean conversation_ack_queued(const struct pipeline *pipeline,
				 const struct store_case *c, gint64 outbox_id,
				 const GPtrArray *asked, GError **error);

/* A reply joined case c.  Its answers to the questions of the mail it
 * answers (the outbox entry named by the token in In-Reply-To, else the
 * latest round) are stored and recorded.  When c is waiting, the next mail
 * is queued (questions, closing note or hand-over to staff) if
 * may_reply; otherwise that is recorded as suppressed.  *outbox_id and
 * *queued (may be NULL) tell what was queued for the requester. */
gboolean conversation_read_reply(const struct pipeline *pipeline,
				 const struct store_case *c,
				 const struct conversation_mail *mail,
				 gboolean may_reply, gint64 *outbox_id,
				 gboolean *queued, GError **error);

/* ---- the timer (its own transaction) --------------------------------- */

/* Sends the reminders and hand-overs due at now, in one transaction.
 * Returns how many mails were queued, or -1 with error.  *next_due (may be
 * NULL) is when the next one falls due (0: none is waiting). */
int conversation_due(const struct pipeline *pipeline, gint64 now,
		     gint64 *next_due, GError **error);

#endif
