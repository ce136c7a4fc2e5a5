/* conversation.c — the questionnaire conversation of a case: what a
 * report and each reply answer, what to ask next, reminders and the
 * hand-over to staff. */
#include "conversation.h"

#include <string.h>
#include <gio/gio.h>

#include "case.h"
#include "casetag.h"
#include "extract.h"
#include "log.h"
#include "outbox.h"

#define HOUR_SECONDS  3600
#define CARE_IMPACT   "care_impact"
#define SOURCE_PARSER "parser"
#define SOURCE_REPLY  "reply"
#define SOURCE_STAFF  "staff"

/* ---- pure decisions ---------------------------------------------------- */

enum conversation_next
conversation_decide(guint missing_required, int rounds_sent, int max_rounds)
{
	if (missing_required == 0)
		return CONVERSATION_COMPLETE;
	if (rounds_sent >= max_rounds)
		return CONVERSATION_HAND_OVER;
	return CONVERSATION_ASK;
}

gboolean
conversation_reminder_due(gint64 asked_at, gint64 now, int reminder_after,
			  gint64 *due_at)
{
	gint64 due = asked_at + MAX(reminder_after, 0);

	if (due_at != NULL)
		*due_at = due;
	return now >= due;
}

GHashTable *
conversation_known(const GPtrArray *fields)
{
	GHashTable *known = g_hash_table_new(g_str_hash, g_str_equal);

	for (guint i = 0; fields != NULL && i < fields->len; i++) {
		const struct store_field *f = fields->pdata[i];

		if (f->value == NULL || f->value[0] == '\0')
			continue;
		if (g_strcmp0(f->source, SOURCE_STAFF) != 0 &&
		    f->confidence < CONVERSATION_MIN_CONFIDENCE)
			continue;
		g_hash_table_insert(known, f->field, f->value);
	}
	return known;
}

GPtrArray *
conversation_questions(const struct questionnaire *questionnaire,
		       GHashTable *known, const char *lang,
		       gboolean required_only)
{
	GPtrArray *asked = g_ptr_array_new_with_free_func(
		(GDestroyNotify)store_question_free);
	g_autoptr(GPtrArray) missing = NULL;
	const char *type;

	if (questionnaire == NULL)
		return asked;
	type = known != NULL
		       ? g_hash_table_lookup(known, QUESTIONNAIRE_INCIDENT_TYPE)
		       : NULL;
	missing = questionnaire_missing(questionnaire, type, known);
	for (guint i = 0;
	     i < missing->len && asked->len < CONVERSATION_MAX_QUESTIONS; i++) {
		const struct questionnaire_question *q = missing->pdata[i];
		const char *text;
		struct store_question *s;

		if (required_only && !q->required)
			continue;
		text = questionnaire_question_text(questionnaire, q->field->id,
						   lang);
		if (text == NULL)
			continue;
		s = g_new0(struct store_question, 1);
		s->number = (int)asked->len + 1;
		s->field = g_strdup(q->field->id);
		s->question = g_strdup(text);
		s->required = q->required;
		g_ptr_array_add(asked, s);
	}
	return asked;
}

void
conversation_set_questions(struct template_context *context,
			   const struct questionnaire *questionnaire,
			   const GPtrArray *questions, const char *lang)
{
	gboolean required = FALSE;

	for (guint i = 0; i < questions->len; i++) {
		const struct store_question *q = questions->pdata[i];
		const struct questionnaire_field *f =
			questionnaire_field(questionnaire, q->field);
		struct template_context *item =
			template_context_add_item(context, "questions");
		g_autofree char *number = g_strdup_printf("%d", q->number);

		template_context_set(item, "number", number);
		template_context_set(item, "question", q->question);
		template_context_set(item, "field", q->field);
		template_context_set(item, "label",
				     f != NULL ? questionnaire_field_label(
							 questionnaire, f, lang)
					       : q->field);
		template_context_set_bool(item, "required", q->required);
		required = required || q->required;
	}
	template_context_set_bool(context, "has_questions", questions->len > 0);
	template_context_set_bool(context, "has_required", required);
}

/* ---- what a case knows ------------------------------------------------- */

/* The fields of a case and the answers among them. */
struct case_view {
	GPtrArray *fields; /* struct store_field* */
	GHashTable *known; /* borrows from fields */
};

static void
case_view_clear(struct case_view *view)
{
	g_clear_pointer(&view->known, g_hash_table_unref);
	g_clear_pointer(&view->fields, g_ptr_array_unref);
}

static gboolean
case_view_load(struct store *store, const char *case_id, struct case_view *view,
	       GError **error)
{
	case_view_clear(view);
	view->fields = store_case_fields(store, case_id, error);
	if (view->fields == NULL)
		return FALSE;
	view->known = conversation_known(view->fields);
	return TRUE;
}

static const struct store_field *
case_view_field(const struct case_view *view, const char *id)
{
	for (guint i = 0; i < view->fields->len; i++) {
		const struct store_field *f = view->fields->pdata[i];

		if (strcmp(f->field, id) == 0)
			return f;
	}
	return NULL;
}

/* yes / no / unknown in the requester's language, for the "we noted"
 * lines; other values are shown as stored. */
static const char *
yesno_word(const char *value, const char *lang)
{
	static const struct {
		const char *lang, *yes, *no, *unknown;
	} words[] = {
		{"en", "yes", "no", "don't know"},
		{"nl", "ja", "nee", "weet niet"},
		{"fr", "oui", "non", "ne sait pas"},
		{"de", "ja", "nein", "weiß nicht"},
	};

	for (gsize i = 0; i < G_N_ELEMENTS(words); i++) {
		if (g_strcmp0(words[i].lang, lang) != 0)
			continue;
		if (strcmp(value, "yes") == 0)
			return words[i].yes;
		if (strcmp(value, "no") == 0)
			return words[i].no;
		if (strcmp(value, "unknown") == 0)
			return words[i].unknown;
	}
	return value;
}

/* One field that changed in this step. */
struct field_change {
	char *field;
	char *old_value; /* NULL when there was none */
	char *new_value;
	double confidence;
};

static void
field_change_free(struct field_change *change)
{
	g_free(change->field);
	g_free(change->old_value);
	g_free(change->new_value);
	g_free(change);
}

/* Validates and stores one found value.  A value staff set is never
 * replaced; a parsed value does not replace one we are surer of; an answer
 * to a question replaces what the parser guessed.  An invalid answer is
 * recorded on the timeline (so staff see what was written) and dropped.
 * Appends what changed to changes. */
static gboolean
apply_value(const struct pipeline *pipeline, const struct store_case *c,
	    const struct case_view *view, const struct extract_field *found,
	    const char *source, gint64 message_id, GPtrArray *changes,
	    GError **error)
{
	const struct questionnaire *q = pipeline->questionnaire;
	const struct store_field *old = case_view_field(view, found->field);
	g_autoptr(GError) invalid = NULL;
	g_autofree char *value = NULL;

	if (questionnaire_field(q, found->field) == NULL)
		return TRUE;
	if (!questionnaire_validate_value_in(q, found->field, found->value,
					     view->known, &value, &invalid)) {
		if (strcmp(source, SOURCE_REPLY) != 0)
			return TRUE;
		return store_event_add(pipeline->store, c->id,
				       "answer_rejected", message_id, 0,
				       invalid->message, error);
	}
	if (old != NULL) {
		if (g_strcmp0(old->source, SOURCE_STAFF) == 0)
			return TRUE;
		if (g_strcmp0(old->value, value) == 0 &&
		    old->confidence >= found->confidence)
			return TRUE;
		/* A guess never replaces what the requester answered, nor
		 * one we are surer of. */
		if (strcmp(source, SOURCE_PARSER) == 0 &&
		    (g_strcmp0(old->source, SOURCE_REPLY) == 0 ||
		     old->confidence > found->confidence))
			return TRUE;
	}
	struct store_field f = {
		.field = found->field,
		.value = value,
		.source = (char *)source,
		.confidence = found->confidence,
		.message = message_id,
		.excerpt = found->excerpt,
	};
	if (!store_case_set_field(pipeline->store, c->id, &f, error))
		return FALSE;
	struct field_change *change = g_new0(struct field_change, 1);
	change->field = g_strdup(found->field);
	change->old_value = old != NULL ? g_strdup(old->value) : NULL;
	change->new_value = g_steal_pointer(&value);
	change->confidence = found->confidence;
	g_ptr_array_add(changes, change);
	return TRUE;
}

static GPtrArray *
new_changes(void)
{
	return g_ptr_array_new_with_free_func(
		(GDestroyNotify)field_change_free);
}

/* Stores every value of found; changes gets what changed. */
static gboolean
apply_values(const struct pipeline *pipeline, const struct store_case *c,
	     const GPtrArray *found, const char *source, gint64 message_id,
	     GPtrArray *changes, GError **error)
{
	struct case_view view = {0};
	gboolean ok = TRUE;

	/* The country first, and the view reloaded after every value: the
	 * country decides how a national phone number is normalised, in
	 * whatever order the requester wrote them. */
	for (int pass = 0; pass < 2; pass++) {
		for (guint i = 0; ok && i < found->len; i++) {
			const struct extract_field *value = found->pdata[i];

			if ((strcmp(value->field, QUESTIONNAIRE_COUNTRY) ==
			     0) != (pass == 0))
				continue;
			ok = case_view_load(pipeline->store, c->id, &view,
					    error) &&
			     apply_value(pipeline, c, &view, value, source,
					 message_id, changes, error);
		}
	}
	case_view_clear(&view);
	return ok;
}

static gboolean
set_state(const struct pipeline *pipeline, const struct store_case *c,
	  const char *state, gint64 message_id, GError **error)
{
	return case_move(pipeline->store, c->id, state, message_id, error);
}

/* ---- mails --------------------------------------------------------- */

/* The "noted" list of what a reply changed, in lang. */
static void
set_noted(struct template_context *context,
	  const struct questionnaire *questionnaire, const GPtrArray *changes,
	  const char *lang)
{
	for (guint i = 0; i < changes->len; i++) {
		const struct field_change *change = changes->pdata[i];
		const struct questionnaire_field *f =
			questionnaire_field(questionnaire, change->field);
		struct template_context *item =
			template_context_add_item(context, "noted");
		g_autofree char *value = case_value_for_people(
			questionnaire, change->field, change->new_value, lang);

		template_context_set(item, "label",
				     f != NULL ? questionnaire_field_label(
							 questionnaire, f, lang)
					       : change->field);
		template_context_set(
			item, "value",
			f != NULL && f->type == QUESTIONNAIRE_YESNO
				? yesno_word(change->new_value, lang)
				: value);
	}
	template_context_set_bool(context, "has_noted", changes->len > 0);
}

/* The "fields" list of everything the case knows, for staff. */
static void
set_fields(struct template_context *context,
	   const struct questionnaire *questionnaire,
	   const struct case_view *view, const char *lang)
{
	for (guint i = 0; i < view->fields->len; i++) {
		const struct store_field *f = view->fields->pdata[i];

		if (f->value != NULL && f->value[0] != '\0')
			case_add_field_item(context, "fields", questionnaire,
					    f->field, f->value, lang);
	}
}

/* Queues a note to staff about c (kind staff_handover or staff_urgent),
 * in the fallback language.  Without identity.staff_address nothing is
 * mailed; the caller's event records the note either way. */
static gboolean
queue_staff_note(const struct pipeline *pipeline, const struct store_case *c,
		 const char *kind, gint64 in_reply_to, const char *reason,
		 gboolean *queued, GError **error)
{
	const struct config *config = pipeline->config;
	const char *lang = config->languages[0];
	struct case_view view = {0};
	struct template_context *context;
	g_autoptr(GPtrArray) missing = NULL;
	g_autofree char *rounds = NULL;
	gboolean inserted = FALSE;
	gint64 outbox_id;
	int count;

	if (config->identity.staff_address == NULL)
		return TRUE;
	count = store_round_count(pipeline->store, c->id, error);
	if (count < 0 || !case_view_load(pipeline->store, c->id, &view, error))
		return FALSE;
	missing = conversation_questions(pipeline->questionnaire, view.known,
					 lang, FALSE);
	context = case_reply_context(config, c, NULL);
	conversation_set_questions(context, pipeline->questionnaire, missing,
				   lang);
	set_fields(context, pipeline->questionnaire, &view, lang);
	rounds = g_strdup_printf("%d", count);
	template_context_set(context, "rounds", rounds);
	template_context_set(context, "reason", reason);
	struct outbox_reply reply = {
		.kind = kind,
		.case_id = c->id,
		.in_reply_to = in_reply_to,
		.to_addr = config->identity.staff_address,
		.language = lang,
		.auto_submitted = "auto-generated",
		.context = context,
	};
	outbox_id = outbox_enqueue(pipeline, &reply, &inserted, error);
	template_context_free(&context);
	case_view_clear(&view);
	if (outbox_id == 0)
		return FALSE;
	if (queued != NULL && inserted)
		*queued = TRUE;
	return store_event_add(pipeline->store, c->id, "message_out",
			       in_reply_to, outbox_id,
			       g_str_equal(kind, "staff_urgent")
				       ? "urgent note to staff queued"
				       : "hand-over note to staff queued",
			       error);
}

/* care_impact = yes: staff hear of it at once, once per case. */
static gboolean
check_urgent(const struct pipeline *pipeline, const struct store_case *c,
	     gint64 message_id, gboolean *queued, GError **error)
{
	struct case_view view = {0};
	gboolean urgent;
	int seen;

	if (!case_view_load(pipeline->store, c->id, &view, error))
		return FALSE;
	urgent = g_strcmp0(g_hash_table_lookup(view.known, CARE_IMPACT),
			   "yes") == 0;
	case_view_clear(&view);
	if (!urgent)
		return TRUE;
	seen = store_case_has_event(pipeline->store, c->id, "urgent", error);
	if (seen != 0)
		return seen == 1;
	log_info("conversation.urgent case=%s msg=%" G_GINT64_FORMAT
		 " staff=%s",
		 c->id, message_id,
		 pipeline->config->identity.staff_address != NULL ? "mailed"
								  : "none");
	return store_event_add(pipeline->store, c->id, "urgent", message_id, 0,
			       pipeline->config->identity.staff_address != NULL
				       ? "patient care affected: staff notified"
				       : "patient care affected: no "
					 "staff_address configured",
			       error) &&
	       queue_staff_note(pipeline, c, "staff_urgent", message_id,
				"the requester says patient care is affected",
				queued, error);
}

static gboolean
hand_over(const struct pipeline *pipeline, const struct store_case *c,
	  gint64 in_reply_to, int rounds, gboolean *queued, GError **error)
{
	g_autofree char *reason = g_strdup_printf(
		"required answers still missing after %d mail%s asking "
		"questions",
		rounds, rounds == 1 ? "" : "s");

	log_info("conversation.handover case=%s rounds=%d", c->id, rounds);
	return set_state(pipeline, c, CONVERSATION_STATE_HANDED_OVER,
			 in_reply_to, error) &&
	       store_event_add(pipeline->store, c->id, "handed_over",
			       in_reply_to, 0, reason, error) &&
	       queue_staff_note(pipeline, c, "staff_handover", in_reply_to,
				reason, queued, error);
}

const char *const conversation_preview_variables[] = {
	"has_questions", "has_required", "questions", "number",	   "question",
	"label",	 "field",	 "required",  "has_noted", "noted",
	"value",	 "fields",	 NULL,
};

void
conversation_preview(struct template_context *context,
		     const struct questionnaire *questionnaire,
		     const GPtrArray *fields, const char *lang)
{
	g_autoptr(GHashTable) known = conversation_known(fields);
	g_autoptr(GPtrArray) missing =
		conversation_questions(questionnaire, known, lang, FALSE);
	g_autoptr(GPtrArray) noted = new_changes();
	struct case_view view = {.fields = (GPtrArray *)fields, .known = known};

	if (questionnaire == NULL) {
		template_context_set_bool(context, "has_questions", FALSE);
		template_context_set_bool(context, "has_required", FALSE);
		template_context_set_bool(context, "has_noted", FALSE);
		return;
	}
	for (guint i = 0; i < fields->len; i++) {
		const struct store_field *f = fields->pdata[i];
		struct field_change *change;

		if (f->value == NULL || f->value[0] == '\0')
			continue;
		change = g_new0(struct field_change, 1);
		change->field = g_strdup(f->field);
		change->new_value = g_strdup(f->value);
		g_ptr_array_add(noted, change);
	}
	conversation_set_questions(context, questionnaire, missing, lang);
	set_noted(context, questionnaire, noted, lang);
	set_fields(context, questionnaire, &view, lang);
}

/* Reads body with the report parser and stores what it finds as parser
 * values (never over a reply's or staff's value).  Used for a new report
 * and for what a reply says beyond the questions ("by the way, the lab is
 * down too"). */
static gboolean
read_as_report(const struct pipeline *pipeline, const struct store_case *c,
	       const struct conversation_mail *mail, const char *body,
	       GPtrArray *changes, GError **error)
{
	struct case_view view = {0};
	g_autoptr(GPtrArray) found = NULL;

	if (!case_view_load(pipeline->store, c->id, &view, error))
		return FALSE;
	struct extract_report_input input = {
		.body = body,
		.subject = mail->summary->subject,
		.from_addr = mail->summary->from_addr,
		.from_name = mail->summary->from_name,
		.lang = c->language,
		.received_at = mail->message->received_at,
		.country =
			g_hash_table_lookup(view.known, QUESTIONNAIRE_COUNTRY),
	};
	found = extract_report(pipeline->questionnaire, &input);
	case_view_clear(&view);
	return apply_values(pipeline, c, found, SOURCE_PARSER,
			    mail->message->id, changes, error);
}

/* ---- a new report ------------------------------------------------------ */

gboolean
conversation_read_report(const struct pipeline *pipeline,
			 const struct store_case *c,
			 const struct conversation_mail *mail, gboolean *queued,
			 GError **error)
{
	g_autofree char *body = NULL;
	g_autoptr(GPtrArray) changes = new_changes();
	g_autoptr(GString) detail = NULL;

	if (pipeline->questionnaire == NULL)
		return TRUE;
	body = mime_body_text(GMIME_OBJECT(mail->mime));
	if (!read_as_report(pipeline, c, mail, body, changes, error))
		return FALSE;
	if (changes->len > 0) {
		detail = g_string_new("from the report:");
		for (guint i = 0; i < changes->len; i++) {
			const struct field_change *change = changes->pdata[i];
			g_autofree char *value =
				case_value_shown(change->new_value);

			g_string_append_printf(detail, "%s %s=%s (%.2f)",
					       i > 0 ? "," : "", change->field,
					       value, change->confidence);
		}
		if (!store_event_add(pipeline->store, c->id, "fields_set",
				     mail->message->id, 0, detail->str, error))
			return FALSE;
	}
	log_info("conversation.report case=%s msg=%" G_GINT64_FORMAT
		 " fields=%u",
		 c->id, mail->message->id, changes->len);
	return check_urgent(pipeline, c, mail->message->id, queued, error);
}

/* ---- the acknowledgement ---------------------------------------------- */

gboolean
conversation_ack_questions(const struct pipeline *pipeline,
			   const struct store_case *c,
			   struct template_context *context, GPtrArray **asked,
			   GError **error)
{
	struct case_view view = {0};

	*asked = NULL;
	if (pipeline->questionnaire == NULL) {
		*asked = conversation_questions(NULL, NULL, NULL, FALSE);
		return TRUE;
	}
	if (!case_view_load(pipeline->store, c->id, &view, error))
		return FALSE;
	*asked = conversation_questions(pipeline->questionnaire, view.known,
					c->language, FALSE);
	case_view_clear(&view);
	conversation_set_questions(context, pipeline->questionnaire, *asked,
				   c->language);
	return TRUE;
}

static guint
count_required(const GPtrArray *questions)
{
	guint n = 0;

	for (guint i = 0; i < questions->len; i++)
		if (((const struct store_question *)questions->pdata[i])
			    ->required)
			n++;
	return n;
}

gboolean
conversation_ack_queued(const struct pipeline *pipeline,
			const struct store_case *c, gint64 outbox_id,
			const GPtrArray *asked, GError **error)
{
	guint required = count_required(asked);

	if (pipeline->questionnaire == NULL)
		return TRUE;
	if (asked->len > 0 &&
	    !store_round_add(pipeline->store, c->id, 1, outbox_id, "ack", 0,
			     asked, error))
		return FALSE;
	log_info("conversation.asked case=%s round=1 outbox=%" G_GINT64_FORMAT
		 " questions=%u required=%u",
		 c->id, outbox_id, asked->len, required);
	return set_state(pipeline, c,
			 required > 0 ? CONVERSATION_STATE_WAITING
				      : CONVERSATION_STATE_COMPLETE,
			 0, error);
}

/* ---- a reply ----------------------------------------------------------- */

/* The round a reply answers: the one asked by the outbox entry whose token
 * its In-Reply-To carries, else the latest.  NULL (no error) when none. */
static struct store_round *
answered_round(const struct pipeline *pipeline, const struct store_case *c,
	       const struct mime_summary *summary, GError **error)
{
	const struct config_identity *id = &pipeline->config->identity;
	g_autofree char *token_case = NULL;
	gint64 outbox = 0;

	if (summary->in_reply_to != NULL &&
	    casetag_verify_message_id(id->token_secret, summary->in_reply_to,
				      id->domain, &token_case, &outbox) &&
	    g_strcmp0(token_case, c->id) == 0) {
		struct store_round *r =
			store_round_get(pipeline->store, c->id, outbox, error);

		if (r != NULL || (error != NULL && *error != NULL))
			return r;
	}
	return store_round_get(pipeline->store, c->id, 0, error);
}

/* One timeline event per changed field: "care_impact: unknown -> yes". */
static gboolean
record_changes(const struct pipeline *pipeline, const struct store_case *c,
	       gint64 message_id, const GPtrArray *changes, GError **error)
{
	for (guint i = 0; i < changes->len; i++) {
		const struct field_change *change = changes->pdata[i];
		g_autofree char *old_value =
			case_value_shown(change->old_value);
		g_autofree char *new_value =
			case_value_shown(change->new_value);
		g_autofree char *detail = g_strdup_printf(
			"%s: %s -> %s", change->field, old_value, new_value);

		if (!store_event_add(pipeline->store, c->id, "field_set",
				     message_id, 0, detail, error))
			return FALSE;
	}
	return TRUE;
}

/* Queues kind (questions or closing) to the writer of the reply. */
static gint64
queue_requester_mail(const struct pipeline *pipeline,
		     const struct store_case *c,
		     const struct conversation_mail *mail, const char *kind,
		     const GPtrArray *questions, const GPtrArray *changes,
		     int round, gboolean *inserted, GError **error)
{
	const struct questionnaire *q = pipeline->questionnaire;
	struct template_context *context =
		case_reply_context(pipeline->config, c, mail->message);
	g_autofree char *round_text = g_strdup_printf("%d", round);
	g_autofree char *max_rounds =
		g_strdup_printf("%d", pipeline->config->questions.max_rounds);
	gint64 outbox_id;

	if (questions != NULL)
		conversation_set_questions(context, q, questions, c->language);
	if (changes != NULL)
		set_noted(context, q, changes, c->language);
	template_context_set(context, "round", round_text);
	template_context_set(context, "max_rounds", max_rounds);
	struct outbox_reply reply = {
		.kind = kind,
		.case_id = c->id,
		.in_reply_to = mail->message->id,
		.to_addr = mail->summary->from_addr,
		.to_name = mail->summary->from_name,
		.language = c->language,
		.parent_message_id = mail->summary->message_id,
		.parent_references = mail->summary->references,
		.auto_submitted = "auto-replied",
		.context = context,
	};
	outbox_id = outbox_enqueue(pipeline, &reply, inserted, error);
	template_context_free(&context);
	return outbox_id;
}

/* The mail after a reply to a waiting case: the missing required
 * questions, the closing note, or the hand-over. */
static gboolean
answer_reply(const struct pipeline *pipeline, const struct store_case *c,
	     const struct conversation_mail *mail, const GPtrArray *changes,
	     gboolean may_reply, gint64 *outbox_id, gboolean *queued,
	     GError **error)
{
	const struct config *config = pipeline->config;
	struct case_view view = {0};
	g_autoptr(GPtrArray) missing = NULL;
	gboolean inserted = FALSE;
	enum conversation_next next;
	gint64 id;
	int rounds = store_round_count(pipeline->store, c->id, error);

	if (rounds < 0 || !case_view_load(pipeline->store, c->id, &view, error))
		return FALSE;
	missing = conversation_questions(pipeline->questionnaire, view.known,
					 c->language, TRUE);
	case_view_clear(&view);
	next = conversation_decide(missing->len, rounds,
				   config->questions.max_rounds);
	if (next == CONVERSATION_HAND_OVER)
		return hand_over(pipeline, c, mail->message->id, rounds, queued,
				 error);
	if (!may_reply || mail->summary->from_addr == NULL) {
		if (next == CONVERSATION_COMPLETE &&
		    !set_state(pipeline, c, CONVERSATION_STATE_COMPLETE,
			       mail->message->id, error))
			return FALSE;
		return store_event_add(pipeline->store, c->id,
				       "reply_suppressed", mail->message->id, 0,
				       next == CONVERSATION_COMPLETE
					       ? "closing note not sent: "
						 "automatic reply rate limit "
						 "reached"
					       : "questions not sent: "
						 "automatic reply rate limit "
						 "reached",
				       error);
	}
	if (next == CONVERSATION_COMPLETE) {
		id = queue_requester_mail(pipeline, c, mail, "closing", NULL,
					  changes, rounds, &inserted, error);
		if (id == 0 ||
		    !set_state(pipeline, c, CONVERSATION_STATE_COMPLETE,
			       mail->message->id, error) ||
		    !store_event_add(pipeline->store, c->id, "message_out",
				     mail->message->id, id,
				     "closing note queued: case complete",
				     error))
			return FALSE;
		log_info("conversation.complete case=%s msg=%" G_GINT64_FORMAT
			 " outbox=%" G_GINT64_FORMAT,
			 c->id, mail->message->id, id);
	} else {
		id = queue_requester_mail(pipeline, c, mail, "questions",
					  missing, changes, rounds + 1,
					  &inserted, error);
		if (id == 0 ||
		    (inserted &&
		     !store_round_add(pipeline->store, c->id, rounds + 1, id,
				      "questions", 0, missing, error)) ||
		    !store_event_add(pipeline->store, c->id, "message_out",
				     mail->message->id, id, "questions queued",
				     error))
			return FALSE;
		log_info("conversation.asked case=%s round=%d "
			 "outbox=%" G_GINT64_FORMAT " questions=%u",
			 c->id, rounds + 1, id, missing->len);
	}
	if (outbox_id != NULL)
		*outbox_id = id;
	if (queued != NULL && inserted)
		*queued = TRUE;
	return TRUE;
}

gboolean
conversation_read_reply(const struct pipeline *pipeline,
			const struct store_case *c,
			const struct conversation_mail *mail,
			gboolean may_reply, gint64 *outbox_id, gboolean *queued,
			GError **error)
{
	const char *staff = pipeline->config->identity.staff_address;
	g_autoptr(StoreRound) round = NULL;
	g_autoptr(GPtrArray) found = NULL;
	g_autoptr(GPtrArray) changes = new_changes();
	g_autofree char *body = NULL;

	if (outbox_id != NULL)
		*outbox_id = 0;
	if (queued != NULL)
		*queued = FALSE;
	if (pipeline->questionnaire == NULL)
		return TRUE;
	/* Staff answering a note to staff are not the requester: their mail
	 * is on the timeline, their corrections go through intakectl. */
	if (staff != NULL && mail->summary->from_addr != NULL &&
	    g_ascii_strcasecmp(staff, mail->summary->from_addr) == 0)
		return TRUE;
	round = answered_round(pipeline, c, mail->summary, error);
	if (round == NULL && error != NULL && *error != NULL)
		return FALSE;
	body = mime_body_text(GMIME_OBJECT(mail->mime));
	found = extract_reply(pipeline->questionnaire, body,
			      mail->summary->subject,
			      round != NULL ? round->questions : NULL);
	if (!apply_values(pipeline, c, found, SOURCE_REPLY, mail->message->id,
			  changes, error) ||
	    !read_as_report(pipeline, c, mail, body, changes, error) ||
	    !record_changes(pipeline, c, mail->message->id, changes, error))
		return FALSE;
	log_info("conversation.reply case=%s msg=%" G_GINT64_FORMAT
		 " round=%d answers=%u changed=%u",
		 c->id, mail->message->id, round != NULL ? round->round : 0,
		 found->len, changes->len);
	if (!check_urgent(pipeline, c, mail->message->id, queued, error))
		return FALSE;
	if (g_strcmp0(c->state, CONVERSATION_STATE_WAITING) != 0)
		return TRUE;
	return answer_reply(pipeline, c, mail, changes, may_reply, outbox_id,
			    queued, error);
}

/* ---- reminders and hand-overs ------------------------------------------ */

static gboolean
remind(const struct pipeline *pipeline, const struct store_case *c,
       const struct store_round *last, gint64 now, gboolean *queued,
       GError **error)
{
	const struct config *config = pipeline->config;
	int limit = config->limits.auto_replies_per_sender_per_hour;
	struct case_view view = {0};
	g_autoptr(GPtrArray) missing = NULL;
	g_autoptr(StoreOutbox) asked = NULL;
	struct template_context *context;
	g_autofree char *asked_at = case_format_time(last->asked_at);
	g_autofree char *round_text = g_strdup_printf("%d", last->round + 1);
	g_autofree char *max_rounds =
		g_strdup_printf("%d", config->questions.max_rounds);
	gboolean inserted = FALSE;
	gint64 id;
	int sent;

	if (!case_view_load(pipeline->store, c->id, &view, error))
		return FALSE;
	missing = conversation_questions(pipeline->questionnaire, view.known,
					 c->language, TRUE);
	case_view_clear(&view);
	switch (conversation_decide(missing->len, last->round,
				    config->questions.max_rounds)) {
	case CONVERSATION_COMPLETE:
		/* Staff filled the gaps meanwhile. */
		return set_state(pipeline, c, CONVERSATION_STATE_COMPLETE, 0,
				 error);
	case CONVERSATION_HAND_OVER:
		return hand_over(pipeline, c, 0, last->round, queued, error);
	case CONVERSATION_ASK:
		break;
	}
	sent = store_count_replies_to(pipeline->store, c->requester_addr,
				      now - HOUR_SECONDS, limit, error);
	if (sent < 0)
		return FALSE;
	/* A reminder we may not send cannot wait: it would fall due again
	 * at once.  A person takes over instead. */
	if (sent >= limit)
		return store_event_add(pipeline->store, c->id,
				       "reply_suppressed", 0, 0,
				       "reminder not sent: automatic reply "
				       "rate limit reached",
				       error) &&
		       hand_over(pipeline, c, 0, last->round, queued, error);
	asked = store_outbox_get(pipeline->store, last->outbox, error);
	if (asked == NULL)
		return FALSE;
	context = case_reply_context(config, c, NULL);
	conversation_set_questions(context, pipeline->questionnaire, missing,
				   c->language);
	template_context_set(context, "asked_at", asked_at);
	template_context_set(context, "round", round_text);
	template_context_set(context, "max_rounds", max_rounds);
	struct outbox_reply reply = {
		.kind = "reminder",
		.case_id = c->id,
		.to_addr = c->requester_addr,
		.to_name = c->requester_name,
		.language = c->language,
		.parent_message_id = asked->message_id,
		.auto_submitted = "auto-replied",
		.context = context,
	};
	id = outbox_enqueue(pipeline, &reply, &inserted, error);
	template_context_free(&context);
	/* The round's unique key makes a second reminder for the same round
	 * an error, so a re-run can never send two. */
	if (id == 0 ||
	    !store_round_add(pipeline->store, c->id, last->round + 1, id,
			     "reminder", now, missing, error) ||
	    !store_event_add(pipeline->store, c->id, "message_out", 0, id,
			     "reminder queued", error))
		return FALSE;
	log_info("conversation.reminder case=%s round=%d "
		 "outbox=%" G_GINT64_FORMAT " questions=%u",
		 c->id, last->round + 1, id, missing->len);
	if (queued != NULL && inserted)
		*queued = TRUE;
	return TRUE;
}

int
conversation_due(const struct pipeline *pipeline, gint64 now, gint64 *next_due,
		 GError **error)
{
	struct store *store = pipeline->store;
	int reminder_after = pipeline->config->questions.reminder_after;
	g_autoptr(GPtrArray) rounds = NULL;
	int mailed = 0;

	if (next_due != NULL)
		*next_due = 0;
	if (pipeline->questionnaire == NULL)
		return 0;
	if (!store_begin(store, error))
		return -1;
	rounds = store_rounds_unanswered(store, error);
	if (rounds == NULL)
		goto fail;
	for (guint i = 0; i < rounds->len; i++) {
		const struct store_round *r = rounds->pdata[i];
		g_autoptr(StoreCase) c = NULL;
		gboolean queued = FALSE;
		gint64 due;

		if (!conversation_reminder_due(r->asked_at, now, reminder_after,
					       &due)) {
			if (next_due != NULL &&
			    (*next_due == 0 || due < *next_due))
				*next_due = due;
			continue;
		}
		c = store_case_get(store, r->case_id, error);
		if (c == NULL || !remind(pipeline, c, r, now, &queued, error))
			goto fail;
		if (queued)
			mailed++;
	}
	if (!store_commit(store, error))
		return -1;
	return mailed;
fail:
	store_rollback(store);
	return -1;
}
