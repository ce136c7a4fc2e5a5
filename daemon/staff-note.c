/* staff-note.c — notes to staff about the support half of a case. */
#include "staff-note.h"

#include "case.h"
#include "log.h"
#include "outbox.h"
#include "questionnaire.h"

/* Notes of one kind about one case per hour.  Every rejected attempt is
 * a note, so without a cap anyone who knows a case tag could make staff
 * get one mail per mail they send; past it the timeline still records
 * each note. */
#define STAFF_NOTES_PER_CASE_PER_HOUR 10
#define HOUR_SECONDS		      3600

/* The "fields" list: everything the case knows, labelled. */
static gboolean
set_fields(const struct pipeline *pipeline, struct template_context *context,
	   const char *case_id, const char *lang, GError **error)
{
	g_autoptr(GPtrArray) fields =
		store_case_fields(pipeline->store, case_id, error);

	if (fields == NULL)
		return FALSE;
	for (guint i = 0; i < fields->len; i++) {
		const struct store_field *f = fields->pdata[i];

		if (f->value != NULL && f->value[0] != '\0')
			case_add_field_item(context, "fields",
					    pipeline->questionnaire, f->field,
					    f->value, lang);
	}
	return TRUE;
}

gboolean
staff_note_queue(const struct pipeline *pipeline, const struct store_case *c,
		 const struct staff_note *note, gboolean *queued,
		 GError **error)
{
	const struct config *config = pipeline->config;
	const char *staff = config->identity.staff_address;
	const char *lang = config->languages[0];
	struct template_context *context;
	g_autofree char *priority = g_strdup_printf("%d", note->priority);
	g_autofree char *detail = NULL;
	gboolean inserted = FALSE, capped = FALSE;
	gint64 outbox_id = 0;
	int recent = 0;

	if (staff != NULL) {
		recent = store_count_case_mail(
			pipeline->store, c->id, note->kind,
			g_get_real_time() / G_USEC_PER_SEC - HOUR_SECONDS,
			error);
		if (recent < 0)
			return FALSE;
		capped = recent >= STAFF_NOTES_PER_CASE_PER_HOUR;
	}
	if (staff != NULL && !capped) {
		context = case_reply_context(config, c, NULL);
		if (!set_fields(pipeline, context, c->id, lang, error)) {
			template_context_free(&context);
			return FALSE;
		}
		template_context_set(context, "reason", note->reason);
		template_context_set(context, "priority", priority);
		template_context_set(context, "from_address",
				     note->from_address);
		template_context_set(context, "excerpt", note->excerpt);
		struct outbox_reply reply = {
			.kind = note->kind,
			.case_id = c->id,
			.to_addr = staff,
			.language = lang,
			.auto_submitted = "auto-generated",
			.context = context,
		};
		outbox_id = outbox_enqueue(pipeline, &reply, &inserted, error);
		template_context_free(&context);
		if (outbox_id == 0)
			return FALSE;
		if (queued != NULL && inserted)
			*queued = TRUE;
	}
	detail = g_strdup_printf(
		"%s%s", note->reason,
		staff == NULL ? "; no staff_address to notify"
		: capped      ? "; staff not mailed: the hourly limit of notes "
				"of this kind about the case is reached"
			      : "; staff notified");
	log_info("support.staff case=%s kind=%s outbox=%" G_GINT64_FORMAT,
		 c->id, note->kind, outbox_id);
	return store_event_add(pipeline->store, c->id, note->event_type,
			       note->message_id, outbox_id, detail, error);
}
