/* case.c — the case domain shared by intake and intakectl. */
#include "case.h"

#include "casetag.h"

char *
case_format_time(gint64 unix_time)
{
	g_autoptr(GDateTime) t = g_date_time_new_from_unix_utc(unix_time);

	return g_date_time_format(t, "%Y-%m-%d %H:%M UTC");
}

struct template_context *
case_reply_context(const struct config *config, const struct store_case *c,
		   const struct store_message *trigger)
{
	struct template_context *context = template_context_new();
	g_autofree char *tag =
		casetag_format(config->identity.case_prefix, c->id);
	g_autofree char *received = case_format_time(
		trigger != NULL ? trigger->received_at : c->created_at);
	const char *subject = trigger != NULL && trigger->subject != NULL
				      ? trigger->subject
				      : c->subject;

	template_context_set(context, "case_id", c->id);
	template_context_set(context, "case_tag", tag);
	template_context_set(context, "requester_name", c->requester_name);
	template_context_set(context, "requester_address", c->requester_addr);
	template_context_set(context, "original_subject",
			     subject != NULL && subject[0] != '\0'
				     ? subject
				     : "(no subject)");
	template_context_set(context, "received_at", received);
	template_context_set(context, "language", c->language);
	return context;
}

/* A value as shown on the timeline and in mails: one line, cut. */
char *
case_value_shown(const char *value)
{
	g_autofree char *cut = NULL;

	if (value == NULL || value[0] == '\0')
		return g_strdup("(none)");
	cut = g_utf8_make_valid(value, -1);
	for (char *p = cut; *p != '\0'; p++)
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
	if (g_utf8_strlen(cut, -1) <= CASE_MAX_SHOWN_CHARS)
		return g_steal_pointer(&cut);
	g_autofree char *head =
		g_utf8_substring(cut, 0, CASE_MAX_SHOWN_CHARS - 1);
	return g_strconcat(head, "…", NULL);
}

gboolean
case_move(struct store *store, const char *case_id, const char *state,
	  gint64 message_id, GError **error)
{
	g_autoptr(StoreCase) now = store_case_get(store, case_id, error);
	g_autofree char *detail = NULL;

	if (now == NULL)
		return FALSE;
	if (g_strcmp0(now->state, state) == 0)
		return TRUE;
	detail = g_strdup_printf("%s -> %s", now->state, state);
	return store_case_set_state(store, case_id, state, error) &&
	       store_event_add(store, case_id, "state", message_id, 0, detail,
			       error);
}

char *
case_value_for_people(const struct questionnaire *questionnaire,
		      const char *field, const char *value, const char *lang)
{
	g_autofree char *text =
		questionnaire != NULL && value != NULL
			? questionnaire_value_text(questionnaire, field, value,
						   lang)
			: NULL;

	return case_value_shown(text != NULL ? text : value);
}

void
case_add_field_item(struct template_context *context, const char *list,
		    const struct questionnaire *questionnaire,
		    const char *field, const char *value, const char *lang)
{
	const struct questionnaire_field *qf =
		questionnaire != NULL
			? questionnaire_field(questionnaire, field)
			: NULL;
	struct template_context *item =
		template_context_add_item(context, list);
	g_autofree char *shown =
		case_value_for_people(questionnaire, field, value, lang);

	template_context_set(item, "field", field);
	template_context_set(
		item, "label",
		qf != NULL ? questionnaire_field_label(questionnaire, qf, lang)
			   : field);
	template_context_set(item, "value", shown);
}

void
case_add_need_items(struct template_context *context,
		    const struct questionnaire *questionnaire,
		    const char *needs, const char *lang)
{
	g_auto(GStrv) list = g_strsplit(needs != NULL ? needs : "", ",", -1);

	for (guint i = 0; list[i] != NULL; i++) {
		struct template_context *item;
		g_autofree char *label = NULL;

		if (list[i][0] == '\0')
			continue;
		label = case_value_for_people(questionnaire, "need", list[i],
					      lang);
		item = template_context_add_item(context, "needs");
		template_context_set(item, "label", label);
	}
}
