/* support.c — qualification, consent, withdrawal and follow-up of a case
 * (support.h); the introductions themselves are introduce.c's. */
#include "support.h"

#include <string.h>
#include <json-glib/json-glib.h>

#include "case.h"
#include "casetag.h"
#include "consent.h"
#include "introduce.h"
#include "log.h"
#include "outbox.h"
#include "providers.h"
#include "questionnaire.h"
#include "staff-note.h"

static gint64
now_seconds(void)
{
	return g_get_real_time() / G_USEC_PER_SEC;
}

/* The rules of providers.conf, or the built-in ones (made once, kept for
 * the life of the process). */
static const struct qualify_rules *
rules_of(const struct pipeline *pipeline)
{
	static gsize built_in = 0;

	if (pipeline->providers != NULL)
		return providers_qualify_rules(pipeline->providers);
	if (g_once_init_enter(&built_in))
		g_once_init_leave(&built_in, (gsize)qualify_rules_new());
	return (const struct qualify_rules *)built_in;
}

gboolean
support_note_staff(const struct pipeline *pipeline, const struct store_case *c,
		   const char *kind, const char *event_type, gint64 message_id,
		   const char *reason, const char *from, const char *excerpt,
		   gboolean *queued, GError **error)
{
	int priority = support_priority(pipeline, c, now_seconds(), error);

	if (priority < 0 && error != NULL && *error != NULL)
		return FALSE;
	struct staff_note note = {
		.kind = kind,
		.event_type = event_type,
		.reason = reason,
		.message_id = message_id,
		.from_address = from,
		.excerpt = excerpt,
		.priority = MAX(priority, 0),
	};
	return staff_note_queue(pipeline, c, &note, queued, error);
}

int
support_priority(const struct pipeline *pipeline, const struct store_case *c,
		 gint64 now, GError **error)
{
	g_autoptr(GPtrArray) fields =
		store_case_fields(pipeline->store, c->id, error);
	g_autoptr(GHashTable) values = NULL;
	struct qualify_result result = {0};
	int priority;

	if (fields == NULL)
		return -1;
	values = introduce_field_values(fields);
	qualify_case(rules_of(pipeline), values, c->created_at, now, &result);
	priority = result.priority;
	qualify_result_clear(&result);
	return priority;
}

/* ---- consent requests ---------------------------------------------- */

/* The "shared" list (exactly what an introduction would carry: the
 * configured fields the case has a value for, labelled in lang) and the
 * "needs" list; the ids of the shared fields are appended to ids. */
static void
set_shared_and_needs(const struct pipeline *pipeline,
		     struct template_context *context, GHashTable *values,
		     const char *lang, GString *ids)
{
	for (char **f = pipeline->config->support.share_fields; *f != NULL;
	     f++) {
		const char *value = g_hash_table_lookup(values, *f);

		if (value == NULL)
			continue;
		case_add_field_item(context, "shared", pipeline->questionnaire,
				    *f, value, lang);
		g_string_append_printf(ids, "%s%s", ids->len > 0 ? "," : "",
				       *f);
	}
	case_add_need_items(context, pipeline->questionnaire,
			    g_hash_table_lookup(values, "need"), lang);
}

/* {"field": "value", ...} of the fields in ids ("a,b") as values has
 * them: what the request shows, kept with the consent.  Returns a new
 * string. */
static char *
shared_values_json(GHashTable *values, const char *ids)
{
	g_autoptr(JsonBuilder) builder = json_builder_new();
	g_autoptr(JsonGenerator) generator = json_generator_new();
	g_autoptr(JsonNode) root = NULL;
	g_auto(GStrv) fields = g_strsplit(ids, ",", -1);

	json_builder_begin_object(builder);
	for (guint i = 0; fields[i] != NULL; i++) {
		const char *value = g_hash_table_lookup(values, fields[i]);

		if (value == NULL)
			continue;
		json_builder_set_member_name(builder, fields[i]);
		json_builder_add_string_value(builder, value);
	}
	json_builder_end_object(builder);
	root = json_builder_get_root(builder);
	json_generator_set_root(generator, root);
	return json_generator_to_data(generator, NULL);
}

/* The consent request (or a new one after an unclear answer, again with
 * the answer's excerpt; or, with reminded_at, a reminder of the request
 * sent then) to the requester of c. */
static gboolean
request_consent(const struct pipeline *pipeline, const struct store_case *c,
		gint64 message_id, gboolean again, const char *excerpt,
		gint64 reminded_at, gboolean *queued, GError **error)
{
	const struct config *config = pipeline->config;
	g_autoptr(GPtrArray) fields =
		store_case_fields(pipeline->store, c->id, error);
	g_autoptr(GHashTable) values = NULL;
	g_autoptr(GString) shared = g_string_new(NULL);
	g_autofree char *detail = NULL;
	g_autofree char *snapshot = NULL;
	struct template_context *context;
	const char *needs;
	gboolean inserted = FALSE;
	gint64 id;

	if (fields == NULL)
		return FALSE;
	values = introduce_field_values(fields);
	needs = g_hash_table_lookup(values, "need");
	context = case_reply_context(config, c, NULL);
	set_shared_and_needs(pipeline, context, values, c->language, shared);
	template_context_set_bool(context, "again", again);
	template_context_set(context, "excerpt", excerpt);
	template_context_set_bool(context, "reminder", reminded_at != 0);
	if (reminded_at != 0) {
		g_autofree char *asked = case_format_time(reminded_at);

		template_context_set(context, "asked_at", asked);
	}
	struct outbox_reply reply = {
		.kind = "consent_request",
		.case_id = c->id,
		.in_reply_to = message_id,
		.to_addr = c->requester_addr,
		.to_name = c->requester_name,
		.language = c->language,
		.auto_submitted =
			message_id != 0 ? "auto-replied" : "auto-generated",
		.context = context,
	};
	id = outbox_enqueue(pipeline, &reply, &inserted, error);
	template_context_free(&context);
	if (id == 0)
		return FALSE;
	if (!inserted)
		return TRUE;
	detail = g_strdup_printf("consent %s: would share %s; needs %s",
				 again		    ? "asked again"
				 : reminded_at != 0 ? "request reminded"
						    : "requested",
				 shared->len > 0 ? shared->str : "(no field)",
				 needs != NULL ? needs : "(none given)");
	snapshot = shared_values_json(values, shared->str);
	if (!store_consent_requested(pipeline->store, c->id, id, shared->str,
				     snapshot, needs, now_seconds(), error) ||
	    !store_event_add(pipeline->store, c->id, "consent_requested",
			     message_id, id, detail, error) ||
	    !case_move(pipeline->store, c->id, CASE_STATE_AWAITING_CONSENT,
		       message_id, error))
		return FALSE;
	log_info("support.consent_requested case=%s outbox=%" G_GINT64_FORMAT
		 " again=%s",
		 c->id, id, again ? "yes" : "no");
	if (queued != NULL)
		*queued = TRUE;
	return TRUE;
}

/* ---- qualification ------------------------------------------------- */

static gboolean
apply_decision(const struct pipeline *pipeline, const struct store_case *c,
	       enum qualify_decision decision, const char *reason,
	       gint64 message_id, gboolean by_staff, gboolean *queued,
	       GError **error)
{
	switch (decision) {
	case QUALIFY_INCIDENT:
		if (!case_move(pipeline->store, c->id, CASE_STATE_INCIDENT,
			       message_id, error))
			return FALSE;
		/* Staff who decided need no note about it. */
		return by_staff ||
		       support_note_staff(pipeline, c, "staff_incident",
					  "staff_note", message_id, reason,
					  NULL, NULL, queued, error);
	case QUALIFY_SUPPORT:
		if (pipeline->providers == NULL)
			return support_note_staff(
				pipeline, c, "staff_attention", "staff_flag",
				message_id,
				"a request for support, but no providers.conf "
				"is configured: staff decide",
				NULL, NULL, queued, error);
		return request_consent(pipeline, c, message_id, FALSE, NULL, 0,
				       queued, error);
	case QUALIFY_UNDECIDED:
		break;
	}
	return support_note_staff(pipeline, c, "staff_attention", "staff_flag",
				  message_id, reason, NULL, NULL, queued,
				  error);
}

gboolean
support_advance(const struct pipeline *pipeline, const char *case_id,
		gint64 message_id, gboolean *queued, GError **error)
{
	g_autoptr(StoreCase) c = NULL;
	g_autoptr(StoreQualification) known = NULL;
	g_autoptr(GPtrArray) fields = NULL;
	g_autoptr(GHashTable) values = NULL;
	g_autofree char *detail = NULL;
	g_autofree char *reason = NULL;
	struct qualify_result result = {0};
	gboolean ok;

	if (case_id == NULL)
		return TRUE;
	c = store_case_get(pipeline->store, case_id, error);
	if (c == NULL)
		return FALSE;
	if (strcmp(c->state, "complete") != 0)
		return TRUE;
	known = store_qualification_get(pipeline->store, case_id, error);
	if (known != NULL)
		return TRUE;
	if (error != NULL && *error != NULL)
		return FALSE;
	fields = store_case_fields(pipeline->store, case_id, error);
	if (fields == NULL)
		return FALSE;
	values = introduce_field_values(fields);
	qualify_case(rules_of(pipeline), values, c->created_at, now_seconds(),
		     &result);
	reason = result.decision == QUALIFY_UNDECIDED && result.missing != NULL
			 ? g_strdup_printf("qualification undecided: %s "
					   "(missing %s); staff decide with "
					   "intakectl case qualify",
					   result.reason, result.missing)
		 : result.decision == QUALIFY_UNDECIDED
			 ? g_strdup_printf("qualification undecided: %s; staff "
					   "decide with intakectl case qualify",
					   result.reason)
			 : g_strdup(result.reason);
	struct store_qualification q = {
		.case_id = c->id,
		.qualification = (char *)qualify_decision_name(result.decision),
		.qualified_by = (char *)"rules",
		.reason = result.reason,
		.priority = result.priority,
	};
	detail = g_strdup_printf("%s, priority %d: %s",
				 qualify_decision_name(result.decision),
				 result.priority, result.reason);
	log_info("support.qualified case=%s decision=%s priority=%d", c->id,
		 qualify_decision_name(result.decision), result.priority);
	ok = store_qualification_set(pipeline->store, &q, error) &&
	     store_event_add(pipeline->store, c->id, "qualified", message_id, 0,
			     detail, error) &&
	     apply_decision(pipeline, c, result.decision, reason, message_id,
			    FALSE, queued, error);
	qualify_result_clear(&result);
	return ok;
}

/* ---- replies ------------------------------------------------------- */

/* The outbox entry of c, of kind (NULL: any) and sent to `to` (NULL:
 * anyone), whose token mail references, or 0.  A token only proves its
 * writer read the mail it names: one we sent to a provider or to staff
 * says nothing about the requester. */
static gint64
referenced_outbox(const struct pipeline *pipeline, const struct store_case *c,
		  const struct mime_summary *summary, const char *kind,
		  const char *to, GError **error)
{
	const struct config_identity *id = &pipeline->config->identity;
	g_autoptr(GArray) outboxes = casetag_referenced_outboxes(
		id->token_secret, id->domain, c->id, summary->in_reply_to,
		summary->references);

	for (guint i = 0; i < outboxes->len; i++) {
		gint64 outbox = g_array_index(outboxes, gint64, i);
		g_autoptr(StoreOutbox) entry = NULL;

		if (kind == NULL && to == NULL)
			return outbox;
		entry = store_outbox_get(pipeline->store, outbox, error);
		if (entry == NULL) {
			if (error != NULL && *error != NULL)
				return -1;
			continue;
		}
		if ((kind == NULL || strcmp(entry->kind, kind) == 0) &&
		    (to == NULL ||
		     (entry->rcpt_to != NULL &&
		      g_ascii_strcasecmp(entry->rcpt_to, to) == 0)))
			return outbox;
	}
	return 0;
}

static char *
reply_body(const struct support_mail *mail)
{
	return mime_body_text(GMIME_OBJECT(mail->mime));
}

/* The requester's answer to a consent request, proven by proof. */
static gboolean
read_consent(const struct pipeline *pipeline, const struct store_case *c,
	     const struct support_mail *mail, const struct consent_result *r,
	     const char *proof, gboolean *queued, GError **error)
{
	const char *from = mail->summary->from_addr;
	gint64 msg = mail->message->id;
	g_autoptr(StoreConsent) consent = NULL;
	g_autofree char *detail = g_strdup_printf(
		"%s (%s, proof %s)%s%s", consent_answer_name(r->answer),
		r->reason, proof, r->excerpt != NULL ? ": " : "",
		r->excerpt != NULL ? r->excerpt : "");
	struct template_context *context;
	gboolean inserted = FALSE;
	gint64 id;

	log_info("support.consent case=%s msg=%" G_GINT64_FORMAT
		 " answer=%s reason=%s proof=%s",
		 c->id, msg, consent_answer_name(r->answer), r->reason, proof);
	switch (r->answer) {
	case CONSENT_YES:
		if (!store_consent_answer(pipeline->store, c->id, "given", msg,
					  from, proof, r->excerpt, 0, error) ||
		    !store_event_add(pipeline->store, c->id, "consent_given",
				     msg, 0, detail, error))
			return FALSE;
		return introduce_case(pipeline, c, msg, queued, error);
	case CONSENT_NO:
		if (!store_consent_answer(pipeline->store, c->id, "refused",
					  msg, from, proof, r->excerpt, 0,
					  error) ||
		    !store_event_add(pipeline->store, c->id, "consent_refused",
				     msg, 0, detail, error) ||
		    !case_move(pipeline->store, c->id,
			       CASE_STATE_CONSENT_REFUSED, msg, error))
			return FALSE;
		context =
			case_reply_context(pipeline->config, c, mail->message);
		struct outbox_reply reply = {
			.kind = "consent_refused",
			.case_id = c->id,
			.in_reply_to = msg,
			.to_addr = c->requester_addr,
			.to_name = c->requester_name,
			.language = c->language,
			.parent_message_id = mail->summary->message_id,
			.parent_references = mail->summary->references,
			.auto_submitted = "auto-replied",
			.context = context,
		};
		id = outbox_enqueue(pipeline, &reply, &inserted, error);
		template_context_free(&context);
		if (queued != NULL && inserted)
			*queued = TRUE;
		return id != 0 &&
		       store_event_add(pipeline->store, c->id, "message_out",
				       msg, id, "consent refusal confirmed",
				       error) &&
		       support_note_staff(
			       pipeline, c, "staff_attention", "staff_flag",
			       msg,
			       "the requester refused consent: the CERT "
			       "keeps the case",
			       from, r->excerpt, queued, error);
	case CONSENT_UNCLEAR:
		break;
	}
	consent = store_consent_get(pipeline->store, c->id, error);
	if (consent == NULL ||
	    !store_event_add(pipeline->store, c->id, "consent_unclear", msg, 0,
			     detail, error))
		return FALSE;
	if (consent->asks >= pipeline->config->support.max_consent_asks)
		return support_note_staff(
			pipeline, c, "staff_attention", "staff_flag", msg,
			"consent still unclear after "
			"support.max_consent_asks requests: staff "
			"ask the requester themselves",
			from, r->excerpt, queued, error);
	return request_consent(pipeline, c, msg, TRUE, r->excerpt, 0, queued,
			       error);
}

/* Withdrawal by mail, or by staff (mail NULL). */
static gboolean
withdraw(const struct pipeline *pipeline, const struct store_case *c,
	 const struct store_message *message, const char *by, gboolean *queued,
	 GError **error)
{
	gint64 msg = message != NULL ? message->id : 0;
	g_autoptr(GPtrArray) told = NULL;
	g_autofree char *detail = NULL;
	struct template_context *context;
	gboolean inserted = FALSE;
	gint64 id;

	if (!store_consent_withdraw(pipeline->store, c->id, by, 0, error) ||
	    !introduce_withdraw(pipeline, c, &told, queued, error))
		return FALSE;
	detail = g_strdup_printf("consent withdrawn by %s; %u provider(s) "
				 "told",
				 by, told->len);
	context = case_reply_context(pipeline->config, c, message);
	for (guint i = 0; i < told->len; i++) {
		struct template_context *item =
			template_context_add_item(context, "providers");

		template_context_set(item, "name", told->pdata[i]);
	}
	template_context_set_bool(context, "has_providers", told->len > 0);
	struct outbox_reply reply = {
		.kind = "consent_withdrawn",
		.case_id = c->id,
		.in_reply_to = msg,
		.to_addr = c->requester_addr,
		.to_name = c->requester_name,
		.language = c->language,
		.auto_submitted = msg != 0 ? "auto-replied" : "auto-generated",
		.context = context,
	};
	id = outbox_enqueue(pipeline, &reply, &inserted, error);
	template_context_free(&context);
	if (id == 0)
		return FALSE;
	if (queued != NULL && inserted)
		*queued = TRUE;
	log_info("support.withdrawn case=%s by=%s providers=%u", c->id, by,
		 told->len);
	return store_event_add(pipeline->store, c->id, "consent_withdrawn", msg,
			       id, detail, error) &&
	       case_move(pipeline->store, c->id, CASE_STATE_WITHDRAWN, msg,
			 error);
}

/* The requester's answer to the follow-up. */
static gboolean
read_followup(const struct pipeline *pipeline, const struct store_case *c,
	      const struct support_mail *mail, gboolean *queued, GError **error)
{
	g_autofree char *body = reply_body(mail);
	g_autoptr(ConsentResult) r =
		consent_parse_reply(body, mail->summary->subject);
	gint64 msg = mail->message->id;
	g_autofree char *detail = g_strdup_printf(
		"follow-up answer: %s%s%s", consent_answer_name(r->answer),
		r->excerpt != NULL ? ": " : "",
		r->excerpt != NULL ? r->excerpt : "");

	if (!store_event_add(pipeline->store, c->id, "followup_answer", msg, 0,
			     detail, error))
		return FALSE;
	if (r->answer == CONSENT_YES)
		return case_move(pipeline->store, c->id, CASE_STATE_RESOLVED,
				 msg, error);
	/* "No help yet", a complaint, or anything not a plain yes: a
	 * person looks. */
	return case_move(pipeline->store, c->id, CASE_STATE_MEDIATION, msg,
			 error) &&
	       support_note_staff(
		       pipeline, c, "staff_attention", "mediation", msg,
		       "the follow-up answer is not a plain yes: help may "
		       "not have arrived or was not good; mediate",
		       mail->summary->from_addr, r->excerpt, queued, error);
}

/* A consent-like mail from someone who is not the requester. */
static gboolean
reject_attempt(const struct pipeline *pipeline, const struct store_case *c,
	       const struct support_mail *mail, const char *why,
	       const char *excerpt, gboolean *queued, GError **error)
{
	g_autofree char *reason = g_strdup_printf(
		"%s from %s on case %s: not counted", why,
		mail->summary->from_addr != NULL ? mail->summary->from_addr
						 : "(no sender)",
		c->id);

	log_warning("support.consent_rejected case=%s msg=%" G_GINT64_FORMAT
		    " why=%s",
		    c->id, mail->message->id, why);
	return support_note_staff(pipeline, c, "staff_attention",
				  "consent_rejected", mail->message->id, reason,
				  mail->summary->from_addr, excerpt, queued,
				  error);
}

gboolean
support_read_reply(const struct pipeline *pipeline, const struct store_case *c,
		   const struct support_mail *mail, gboolean *handled,
		   gint64 *outbox_id, gboolean *queued, GError **error)
{
	const char *from = mail->summary->from_addr;
	gboolean is_requester =
		from != NULL &&
		g_ascii_strcasecmp(from, c->requester_addr) == 0;
	const char *staff = pipeline->config->identity.staff_address;
	gboolean is_staff = from != NULL && staff != NULL &&
			    g_ascii_strcasecmp(from, staff) == 0;
	const struct provider *provider = NULL;
	g_autoptr(StoreConsent) consent = NULL;
	g_autoptr(StoreQualification) q = NULL;
	g_autoptr(ConsentResult) r = NULL;
	g_autofree char *body = NULL;
	gint64 request;

	*handled = FALSE;
	if (outbox_id != NULL)
		*outbox_id = 0;
	if (!is_requester && pipeline->providers != NULL)
		provider = introduce_provider_by_address(pipeline->providers,
							 from);
	if (provider != NULL) {
		*handled = TRUE;
		return introduce_read_answer(pipeline, c, provider, mail,
					     queued, error);
	}
	consent = store_consent_get(pipeline->store, c->id, error);
	if (consent == NULL) {
		if (error != NULL && *error != NULL)
			return FALSE;
		return TRUE;
	}
	body = reply_body(mail);
	if (strcmp(consent->state, "requested") == 0 &&
	    strcmp(c->state, CASE_STATE_AWAITING_CONSENT) != 0) {
		/* Staff took the case back (an incident) after the request
		 * went out: an answer to it decides nothing now, and must
		 * neither introduce providers nor ask again. */
		request = referenced_outbox(pipeline, c, mail->summary,
					    "consent_request", NULL, error);
		if (request < 0)
			return FALSE;
		r = consent_parse_reply(body, mail->summary->subject);
		if (request == 0 && r->answer == CONSENT_UNCLEAR)
			return TRUE;
		*handled = TRUE;
		return support_note_staff(
			pipeline, c, "staff_attention", "staff_flag",
			mail->message->id,
			"a consent answer arrived, but the case no "
			"longer waits for consent: not counted",
			from, r->excerpt, queued, error);
	}
	if (strcmp(consent->state, "requested") == 0) {
		request = referenced_outbox(pipeline, c, mail->summary,
					    "consent_request", NULL, error);
		if (request < 0)
			return FALSE;
		r = consent_parse_reply(body, mail->summary->subject);
		if (!is_requester) {
			/* Only a mail that answers our request or reads as
			 * an answer is an attempt; other mail from a
			 * colleague is just mail on the case, and so is
			 * staff answering their note ("yes, I will call"). */
			if (request == 0 &&
			    (r->answer == CONSENT_UNCLEAR || is_staff))
				return TRUE;
			*handled = TRUE;
			return reject_attempt(pipeline, c, mail,
					      "consent answer from an address "
					      "other than the requester's",
					      r->excerpt, queued, error);
		}
		if (request != 0 || mail->signed_by_pin) {
			*handled = TRUE;
			return read_consent(pipeline, c, mail, r,
					    request != 0 ? "token"
							 : "signature",
					    queued, error);
		}
		if (r->answer == CONSENT_UNCLEAR)
			return TRUE;
		/* A yes or no from the requester's address that does not
		 * prove it answers our request (a From is easily forged):
		 * not counted; the real requester can answer the request. */
		*handled = TRUE;
		return reject_attempt(pipeline, c, mail,
				      "consent answer without our consent "
				      "request's token or the requester's "
				      "signature",
				      r->excerpt, queued, error);
	}
	if (strcmp(consent->state, "given") == 0 &&
	    consent_is_withdrawal_reply(body, mail->summary->subject)) {
		*handled = TRUE;
		if (!is_requester)
			return reject_attempt(pipeline, c, mail,
					      "withdrawal of consent from an "
					      "address other than the "
					      "requester's",
					      NULL, queued, error);
		/* Withdrawing needs the same proof as consenting: a forged
		 * withdrawal would stop the help a hospital asked for.  Only
		 * the token of a mail we sent to the requester counts (a
		 * provider holds its introduction's). */
		request = referenced_outbox(pipeline, c, mail->summary, NULL,
					    c->requester_addr, error);
		if (request < 0)
			return FALSE;
		if (request == 0 && !mail->signed_by_pin)
			return reject_attempt(pipeline, c, mail,
					      "withdrawal of consent without "
					      "the token of our mail or the "
					      "requester's signature",
					      NULL, queued, error);
		return withdraw(pipeline, c, mail->message, from, queued,
				error);
	}
	q = store_qualification_get(pipeline->store, c->id, error);
	if (q == NULL) {
		if (error != NULL && *error != NULL)
			return FALSE;
		return TRUE;
	}
	if (is_requester && q->followup_outbox != 0 &&
	    strcmp(c->state, CASE_STATE_IN_PROGRESS) == 0) {
		request = referenced_outbox(pipeline, c, mail->summary,
					    "followup_requester", NULL, error);
		if (request < 0)
			return FALSE;
		if (request != 0) {
			*handled = TRUE;
			return read_followup(pipeline, c, mail, queued, error);
		}
	}
	return TRUE;
}

/* ---- staff ----------------------------------------------------------- */

gboolean
support_qualify_by_staff(const struct pipeline *pipeline, const char *case_id,
			 enum qualify_decision decision, const char *staff,
			 gboolean *queued, GError **error)
{
	struct store *store = pipeline->store;
	g_autoptr(StoreCase) c = NULL;
	g_autoptr(StoreConsent) consent = NULL;
	g_autofree char *by = g_strdup_printf("staff:%s", staff);
	g_autofree char *reason = NULL;
	g_autofree char *detail = NULL;
	int priority;

	if (decision == QUALIFY_UNDECIDED) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
			    "case %s: staff qualify a case as incident or "
			    "support",
			    case_id);
		return FALSE;
	}
	if (!store_begin(store, error))
		return FALSE;
	c = store_case_get(store, case_id, error);
	if (c == NULL)
		goto fail;
	consent = store_consent_get(store, case_id, error);
	if (consent == NULL && error != NULL && *error != NULL)
		goto fail;
	if (decision == QUALIFY_SUPPORT && consent != NULL &&
	    strcmp(consent->state, "given") == 0) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_EXISTS,
			    "case %s: consent is already given; providers "
			    "were introduced",
			    case_id);
		goto fail;
	}
	priority = support_priority(pipeline, c, now_seconds(), error);
	if (priority < 0)
		goto fail;
	reason = g_strdup_printf("qualified by %s", by);
	struct store_qualification q = {
		.case_id = c->id,
		.qualification = (char *)qualify_decision_name(decision),
		.qualified_by = by,
		.reason = reason,
		.priority = priority,
	};
	detail = g_strdup_printf("%s by %s", qualify_decision_name(decision),
				 by);
	if (!store_qualification_set(store, &q, error) ||
	    !store_event_add(store, c->id, "qualified", 0, 0, detail, error) ||
	    !apply_decision(pipeline, c, decision, reason, 0, TRUE, queued,
			    error))
		goto fail;
	return store_commit(store, error);
fail:
	store_rollback(store);
	return FALSE;
}

gboolean
support_withdraw_by_staff(const struct pipeline *pipeline, const char *case_id,
			  const char *staff, gboolean *queued, GError **error)
{
	struct store *store = pipeline->store;
	g_autoptr(StoreCase) c = NULL;
	g_autofree char *by = g_strdup_printf("staff:%s", staff);

	if (!store_begin(store, error))
		return FALSE;
	c = store_case_get(store, case_id, error);
	if (c == NULL || !withdraw(pipeline, c, NULL, by, queued, error)) {
		store_rollback(store);
		return FALSE;
	}
	return store_commit(store, error);
}

/* ---- timers ---------------------------------------------------------- */

static gboolean
expire(const struct pipeline *pipeline, const struct store_introduction *in,
       gboolean *queued, GError **error)
{
	g_autoptr(StoreCase) c =
		store_case_get(pipeline->store, in->case_id, error);
	g_autofree char *detail = NULL;

	if (c == NULL)
		return FALSE;
	detail = g_strdup_printf("provider %s did not answer by the deadline",
				 in->provider);
	log_info("support.expired case=%s provider=%s", in->case_id,
		 in->provider);
	if (!store_introduction_set_state(pipeline->store, in->id, "expired", 0,
					  NULL, 0, error) ||
	    !store_event_add(pipeline->store, c->id, "provider_no_answer", 0,
			     in->outbox, detail, error))
		return FALSE;
	if (pipeline->providers == NULL)
		return TRUE;
	return introduce_replace(pipeline, c, in, "no_answer", 0, queued,
				 error);
}

static gboolean
follow_up(const struct pipeline *pipeline, const struct store_introduction *in,
	  gboolean *queued, GError **error)
{
	g_autoptr(StoreCase) c =
		store_case_get(pipeline->store, in->case_id, error);
	g_autoptr(GPtrArray) intros = NULL;
	struct template_context *context;
	gboolean inserted = FALSE;
	gint64 id;

	if (c == NULL)
		return FALSE;
	intros = store_case_introductions(pipeline->store, c->id, error);
	if (intros == NULL)
		return FALSE;
	context = case_reply_context(pipeline->config, c, NULL);
	for (guint i = 0; i < intros->len; i++) {
		const struct store_introduction *other = intros->pdata[i];
		const struct provider *p = NULL;
		struct template_context *item;

		if (strcmp(other->state, "accepted") != 0)
			continue;
		if (pipeline->providers != NULL)
			p = providers_find(pipeline->providers, other->provider,
					   NULL);
		item = template_context_add_item(context, "providers");
		template_context_set(item, "name",
				     p != NULL ? p->name : other->provider);
	}
	struct outbox_reply reply = {
		.kind = "followup_requester",
		.case_id = c->id,
		.to_addr = c->requester_addr,
		.to_name = c->requester_name,
		.language = c->language,
		.auto_submitted = "auto-generated",
		.context = context,
	};
	id = outbox_enqueue(pipeline, &reply, &inserted, error);
	template_context_free(&context);
	if (id == 0 ||
	    !store_qualification_set_followup(pipeline->store, c->id, id,
					      error) ||
	    !store_event_add(pipeline->store, c->id, "followup_sent", 0, id,
			     "follow-up sent to the requester", error))
		return FALSE;
	log_info("support.followup case=%s outbox=%" G_GINT64_FORMAT, c->id,
		 id);
	if (queued != NULL && inserted)
		*queued = TRUE;
	return TRUE;
}

static void
keep_earliest(gint64 *next_due, gint64 due)
{
	if (next_due != NULL && due > 0 && (*next_due == 0 || due < *next_due))
		*next_due = due;
}

/* A consent request unanswered for questions.reminder_after: asked again
 * while support.max_consent_asks allows, then staff, once.  *due is when
 * the next reminder falls due (0: none). */
static gboolean
remind_consent(const struct pipeline *pipeline,
	       const struct store_consent *consent, gint64 now, gint64 *due,
	       gboolean *queued, GError **error)
{
	g_autoptr(StoreOutbox) request = NULL;
	g_autoptr(StoreCase) c = NULL;
	int noted;

	*due = 0;
	request = store_outbox_get(pipeline->store, consent->request_outbox,
				   error);
	if (request == NULL)
		return FALSE;
	if (request->created_at + pipeline->config->questions.reminder_after >
	    now) {
		*due = request->created_at +
		       pipeline->config->questions.reminder_after;
		return TRUE;
	}
	c = store_case_get(pipeline->store, consent->case_id, error);
	if (c == NULL)
		return FALSE;
	if (consent->asks < pipeline->config->support.max_consent_asks)
		return request_consent(pipeline, c, 0, FALSE, NULL,
				       request->created_at, queued, error);
	noted = store_case_has_event(pipeline->store, c->id,
				     "consent_unanswered", error);
	if (noted != 0)
		return noted > 0;
	return support_note_staff(
		pipeline, c, "staff_attention", "consent_unanswered", 0,
		"the consent request went unanswered after "
		"support.max_consent_asks requests: staff ask the "
		"requester themselves",
		NULL, NULL, queued, error);
}

int
support_due(const struct pipeline *pipeline, gint64 now, gint64 *next_due,
	    GError **error)
{
	struct store *store = pipeline->store;
	int followup_after = pipeline->config->support.followup_after;
	g_autoptr(GPtrArray) unqualified = NULL;
	g_autoptr(GPtrArray) waiting = NULL;
	g_autoptr(GPtrArray) expired = NULL;
	g_autoptr(GPtrArray) pending = NULL;
	gint64 next_deadline = 0;
	int mailed = 0;

	if (next_due != NULL)
		*next_due = 0;
	if (!store_begin(store, error))
		return -1;
	/* Cases completed outside an intake step (a reminder found staff
	 * had filled the gaps). */
	unqualified = store_cases_unqualified(store, error);
	if (unqualified == NULL)
		goto fail;
	for (guint i = 0; i < unqualified->len; i++) {
		gboolean queued = FALSE;

		if (!support_advance(pipeline, unqualified->pdata[i], 0,
				     &queued, error))
			goto fail;
		mailed += queued ? 1 : 0;
	}
	waiting = store_consents_waiting(store, error);
	if (waiting == NULL)
		goto fail;
	for (guint i = 0; i < waiting->len; i++) {
		gboolean queued = FALSE;
		gint64 due = 0;

		if (!remind_consent(pipeline, waiting->pdata[i], now, &due,
				    &queued, error))
			goto fail;
		keep_earliest(next_due, due);
		mailed += queued ? 1 : 0;
	}
	expired =
		store_introductions_expired(store, now, &next_deadline, error);
	if (expired == NULL)
		goto fail;
	keep_earliest(next_due, next_deadline);
	for (guint i = 0; i < expired->len; i++) {
		gboolean queued = FALSE;

		if (!expire(pipeline, expired->pdata[i], &queued, error))
			goto fail;
		mailed += queued ? 1 : 0;
	}
	pending = store_followups_pending(store, error);
	if (pending == NULL)
		goto fail;
	for (guint i = 0; i < pending->len; i++) {
		const struct store_introduction *in = pending->pdata[i];
		gint64 due = in->answered_at + followup_after;
		gboolean queued = FALSE;

		if (due > now) {
			keep_earliest(next_due, due);
			continue;
		}
		if (!follow_up(pipeline, in, &queued, error))
			goto fail;
		mailed += queued ? 1 : 0;
	}
	if (!store_commit(store, error))
		return -1;
	return mailed;
fail:
	store_rollback(store);
	return -1;
}

/* ---- previews --------------------------------------------------------- */

const char *const support_preview_variables[] = {
	"shared",	 "needs",     "providers",
	"provider_name", "deadline",  "declined",
	"was_declined",	 "no_answer", "has_providers",
	"has_uncovered", "uncovered", "again",
	"excerpt",	 "priority",  "name",
	"offer",	 NULL,
};

/* Adds one "providers" item. */
static void
preview_provider(struct template_context *context, const char *name,
		 const char *offer, const char *needs)
{
	struct template_context *item =
		template_context_add_item(context, "providers");

	template_context_set(item, "name", name);
	template_context_set(item, "offer", offer);
	template_context_set(item, "needs", needs);
}

gboolean
support_preview(const struct pipeline *pipeline, const struct store_case *c,
		const char *lang, struct template_context *context,
		char **provider_address, GError **error)
{
	g_autoptr(GPtrArray) fields =
		store_case_fields(pipeline->store, c->id, error);
	g_autoptr(GPtrArray) intros = NULL;
	g_autoptr(GHashTable) values = NULL;
	g_autoptr(GString) ids = g_string_new(NULL);
	g_autofree char *priority = NULL;
	g_autofree char *deadline = NULL;
	const char *first_name = NULL;
	int prio;

	if (provider_address != NULL)
		*provider_address = NULL;
	if (fields == NULL)
		return FALSE;
	intros = store_case_introductions(pipeline->store, c->id, error);
	if (intros == NULL)
		return FALSE;
	values = introduce_field_values(fields);
	set_shared_and_needs(pipeline, context, values, lang, ids);
	for (guint i = 0; i < intros->len; i++) {
		const struct store_introduction *in = intros->pdata[i];
		const struct provider *p =
			pipeline->providers != NULL
				? providers_find(pipeline->providers,
						 in->provider, NULL)
				: NULL;

		preview_provider(context, p != NULL ? p->name : in->provider,
				 p != NULL ? p->offer : NULL, in->needs);
		if (first_name == NULL) {
			first_name = p != NULL ? p->name : in->provider;
			if (provider_address != NULL)
				*provider_address = g_strdup(in->address);
		}
	}
	/* Not introduced yet: whom matching would pick now. */
	if (intros->len == 0 && pipeline->providers != NULL) {
		g_autoptr(MatchResult) result =
			introduce_match(pipeline, c, NULL, error);

		if (result == NULL)
			return FALSE;
		for (guint i = 0; i < result->selection->len; i++) {
			const struct match_candidate *m = match_candidate_at(
				result,
				g_array_index(result->selection, guint, i));
			g_autofree char *needs = providers_needs_text(
				pipeline->providers, m->covered);

			preview_provider(context, m->provider->name,
					 m->provider->offer, needs);
			if (first_name == NULL) {
				first_name = m->provider->name;
				if (provider_address != NULL)
					*provider_address = g_strdup(
						m->provider->contacts[0]);
			}
		}
	}
	prio = support_priority(pipeline, c, now_seconds(), error);
	if (prio < 0)
		return FALSE;
	priority = g_strdup_printf("%d", prio);
	deadline = case_format_time(now_seconds() +
				    pipeline->config->support.answer_deadline);
	template_context_set(context, "provider_name",
			     first_name != NULL ? first_name
						: "(sample provider)");
	template_context_set(context, "declined", "(sample provider)");
	template_context_set_bool(context, "was_declined", TRUE);
	template_context_set_bool(context, "no_answer", FALSE);
	template_context_set_bool(context, "has_providers", first_name != NULL);
	template_context_set_bool(context, "has_uncovered", FALSE);
	template_context_set_bool(context, "again", FALSE);
	template_context_set(context, "deadline", deadline);
	template_context_set(context, "priority", priority);
	return TRUE;
}
