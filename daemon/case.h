/* case.h — the case domain shared by the intake pipeline and intakectl. */
#ifndef INTAKED_CASE_H
#define INTAKED_CASE_H

#include "config.h"
#include "questionnaire.h"
#include "store.h"
#include "template.h"

/* The template variables describing case c for a reply (case_id,
 * case_tag, requester_name, requester_address, original_subject,
 * received_at, language).  trigger is the incoming message answered (may
 * be NULL).  Returns a new context; free with template_context_free(). */
struct template_context *
case_reply_context(const struct config *config, const struct store_case *c,
		   const struct store_message *trigger);

/* unix_time as mails and notes show it: "2026-12-03 14:05 UTC".
 * Returns a new string. */
char *case_format_time(gint64 unix_time);

/* Characters of a value shown on the timeline and in mails. */
#define CASE_MAX_SHOWN_CHARS 80

/* value as shown on the timeline and in mails: one line, valid UTF-8, cut
 * to CASE_MAX_SHOWN_CHARS with an ellipsis; "(none)" when empty.  Returns
 * a new string. */
char *case_value_shown(const char *value);

/* The value of field as a person reads it in lang: a choice or list
 * value by its label (questionnaire_value_text(); questionnaire may be
 * NULL), then as case_value_shown().  Returns a new string. */
char *case_value_for_people(const struct questionnaire *questionnaire,
			    const char *field, const char *value,
			    const char *lang);

/* Adds one item to the list called list in context: field, label (the
 * questionnaire's, in lang; the id without one) and value as a person
 * reads it (case_value_for_people()).  questionnaire may be NULL. */
void case_add_field_item(struct template_context *context, const char *list,
			 const struct questionnaire *questionnaire,
			 const char *field, const char *value,
			 const char *lang);

/* Adds one "needs" item (label) per need of needs ("a,b"; may be NULL). */
void case_add_need_items(struct template_context *context,
			 const struct questionnaire *questionnaire,
			 const char *needs, const char *lang);

/* Moves case_id to state and records the change on the timeline
 * ("state" event, "waiting -> complete", with the incoming message_id
 * that caused it, or 0); nothing when it is there already. */
gboolean case_move(struct store *store, const char *case_id, const char *state,
		   gint64 message_id, GError **error);

#endif
