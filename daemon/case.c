/* case.c — the case domain shared by intake and intakectl. */
#include "case.h"

#include "casetag.h"

static char *
iso8601(gint64 unix_time)
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
	g_autofree char *received =
		iso8601(trigger != NULL ? trigger->received_at : c->created_at);
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
