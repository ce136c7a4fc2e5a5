/* intake.c — the intake pipeline: one stored message to a case.
 *
 * Everything a step decides and writes happens inside one BEGIN IMMEDIATE
 * transaction, ending with the message's state leaving "received".  Either
 * all of it is committed or none of it, so a crash or a database error
 * simply leaves the message to be processed again. */
#include "intake.h"

#include <string.h>
#include <gio/gio.h>

#include "case.h"
#include "casetag.h"
#include "classify.h"
#include "intake-pgp.h"
#include "introduce.h"
#include "conversation.h"
#include "lang.h"
#include "log.h"
#include "mime.h"
#include "outbox.h"
#include "support.h"

#define HOUR_SECONDS 3600

/* What one step learns about a message, filled as it goes. */
struct intake_step {
	const struct pipeline *pipeline;
	struct store *store;	     /* pipeline->store */
	const struct config *config; /* pipeline->config */
	struct store_message *message;
	GMimeMessage *mime;
	struct mime_summary *summary;
	struct classify_result classification;
	struct intake_pgp pgp; /* what the OpenPGP stage found */
	/* outcome */
	const char *state;
	const char *kind;
	char *error;
	char *case_id;
	const char *thread_by;
	const char *language;
	gint64 outbox_id;
	const char *reply_note; /* why no reply was queued, for the log */
	gboolean queued;
};

static void
intake_step_clear(struct intake_step *step)
{
	store_message_free(step->message);
	g_clear_object(&step->mime);
	mime_summary_free(step->summary);
	classify_result_clear(&step->classification);
	intake_pgp_clear(&step->pgp);
	g_free(step->error);
	g_free(step->case_id);
}

static const char *
sender(const struct intake_step *step)
{
	return step->summary != NULL ? step->summary->from_addr : NULL;
}

/* Records the message on its case's timeline and bumps the case. */
static gboolean
attach_to_case(struct intake_step *step, const char *event_type,
	       const char *detail, GError **error)
{
	return store_event_add(step->store, step->case_id, event_type,
			       step->message->id, 0, detail, error) &&
	       store_case_touch(step->store, step->case_id,
				step->message->received_at, error);
}

/* Finds the case a message answers: our token in In-Reply-To/References
 * (proof it answers our mail), an earlier message of the same sender it
 * references, or the case tag in the subject (forgeable, so recorded as
 * such). */
static gboolean
find_thread(struct intake_step *step, GError **error)
{
	const struct config_identity *id = &step->config->identity;
	const struct mime_summary *summary = step->summary;
	g_autoptr(GPtrArray) refs = g_ptr_array_new();

	if (summary->in_reply_to != NULL)
		g_ptr_array_add(refs, summary->in_reply_to);
	if (summary->references != NULL)
		for (guint i = summary->references->len; i > 0; i--)
			g_ptr_array_add(refs,
					summary->references->pdata[i - 1]);

	for (guint i = 0; i < refs->len; i++) {
		g_autofree char *case_id = NULL;
		gint64 outbox_id = 0;
		g_autoptr(StoreCase) c = NULL;

		if (!casetag_verify_message_id(id->token_secret, refs->pdata[i],
					       id->domain, &case_id,
					       &outbox_id) ||
		    case_id == NULL)
			continue;
		c = store_case_get(step->store, case_id, NULL);
		if (c == NULL)
			continue;
		step->case_id = g_steal_pointer(&case_id);
		step->thread_by = "token";
		return TRUE;
	}
	for (guint i = 0; i < refs->len && sender(step) != NULL; i++) {
		char *case_id = store_message_case_by_message_id(
			step->store, refs->pdata[i], sender(step), error);

		if (case_id == NULL && error != NULL && *error != NULL)
			return FALSE;
		if (case_id != NULL) {
			step->case_id = case_id;
			step->thread_by = "reference";
			return TRUE;
		}
	}
	if (summary->subject != NULL) {
		g_autofree char *case_id =
			casetag_find(summary->subject, id->case_prefix);
		g_autoptr(StoreCase) c = NULL;

		if (case_id != NULL)
			c = store_case_get(step->store, case_id, NULL);
		if (c != NULL) {
			step->case_id = g_steal_pointer(&case_id);
			step->thread_by = "tag";
			return TRUE;
		}
	}
	return TRUE;
}

/* A DSN about mail we sent marks that outbox entry failed and lands on the
 * entry's case. */
static gboolean
apply_bounce(struct intake_step *step, GError **error)
{
	const struct classify_result *c = &step->classification;
	g_autoptr(StoreOutbox) entry = NULL;
	g_autofree char *detail = NULL;
	gint64 outbox_id;

	if (c->bounced_message_id == NULL)
		return TRUE;
	outbox_id = store_outbox_find_by_message_id(
		step->store, c->bounced_message_id, error);
	if (outbox_id == 0)
		return error == NULL || *error == NULL;
	entry = store_outbox_get(step->store, outbox_id, error);
	if (entry == NULL)
		return FALSE;
	detail = g_strdup_printf("delivery %s for outbox %" G_GINT64_FORMAT,
				 c->bounce_action, outbox_id);
	if (g_strcmp0(c->bounce_action, "failed") == 0 &&
	    !store_outbox_mark_failed(step->store, outbox_id,
				      "bounced: delivery status notification",
				      error))
		return FALSE;
	/* A provider that cannot be reached cannot help: ask the next. */
	if (g_strcmp0(c->bounce_action, "failed") == 0 &&
	    g_strcmp0(entry->kind, "introduction_provider") == 0 &&
	    !introduce_bounced(step->pipeline, outbox_id, step->message->id,
			       &step->queued, error))
		return FALSE;
	log_info("intake.bounce msg=%" G_GINT64_FORMAT
		 " outbox=%" G_GINT64_FORMAT " action=%s",
		 step->message->id, outbox_id, c->bounce_action);
	if (entry->case_id == NULL)
		return TRUE;
	step->case_id = g_strdup(entry->case_id);
	step->thread_by = "bounce";
	return store_event_add(step->store, step->case_id, "bounce",
			       step->message->id, outbox_id, detail, error);
}

static const char *
detect_language(struct intake_step *step)
{
	const char *const *allowed =
		(const char *const *)step->config->languages;
	g_autofree char *body = mime_body_text(GMIME_OBJECT(step->mime));
	g_autofree char *text = g_strconcat(
		step->summary->subject != NULL ? step->summary->subject : "",
		"\n", body, NULL);
	const char *lang = lang_detect(text, allowed, NULL);

	return lang != NULL ? lang : allowed[0];
}

static gboolean
replies_allowed(struct intake_step *step, GError **error)
{
	int limit = step->config->limits.auto_replies_per_sender_per_hour;
	int sent = store_count_replies_to(
		step->store, sender(step),
		step->message->received_at - HOUR_SECONDS, limit, error);

	if (sent < 0)
		return FALSE;
	return sent < limit;
}

static gboolean
queue_ack(struct intake_step *step, const struct store_case *c, GError **error)
{
	struct template_context *context = NULL;
	g_autoptr(GPtrArray) asked = NULL;
	gboolean inserted = FALSE;
	gboolean undecryptable = intake_pgp_undecryptable(&step->pgp);

	if (sender(step) == NULL) {
		step->reply_note = "no sender address";
		return TRUE;
	}
	if (!replies_allowed(step, error)) {
		if (error != NULL && *error != NULL)
			return FALSE;
		step->reply_note = "rate limited";
		return store_event_add(step->store, c->id, "reply_suppressed",
				       step->message->id, 0,
				       "acknowledgement not sent: "
				       "automatic reply rate limit reached",
				       error);
	}
	context = case_reply_context(step->config, c, step->message);
	/* Mail we could not read gets no acknowledgement of its content but
	 * the CERT key and how to send again. */
	if (undecryptable)
		template_context_set_bool(context, "undecryptable", TRUE);
	else if (!conversation_ack_questions(step->pipeline, c, context, &asked,
					     error)) {
		template_context_free(&context);
		return FALSE;
	}
	struct outbox_reply reply = {
		.kind = undecryptable ? "key_request" : "ack",
		.case_id = c->id,
		.in_reply_to = step->message->id,
		.to_addr = sender(step),
		.to_name = step->summary->from_name,
		.language = c->language,
		.parent_message_id = step->summary->message_id,
		.parent_references = step->summary->references,
		.auto_submitted = "auto-replied",
		.context = context,
	};
	step->outbox_id =
		outbox_enqueue(step->pipeline, &reply, &inserted, error);
	template_context_free(&context);
	if (step->outbox_id == 0)
		return FALSE;
	step->queued = inserted;
	return store_event_add(step->store, c->id, "message_out",
			       step->message->id, step->outbox_id,
			       undecryptable ? "key request queued"
					     : "acknowledgement queued",
			       error) &&
	       (!inserted || undecryptable ||
		conversation_ack_queued(step->pipeline, c, step->outbox_id,
					asked, error));
}

static gboolean
set_field(struct intake_step *step, const char *field, const char *value,
	  double confidence, GError **error)
{
	struct store_field f = {.field = (char *)field,
				.value = (char *)value,
				.source = (char *)"parser",
				.confidence = confidence,
				.message = step->message->id};

	if (value == NULL || value[0] == '\0')
		return TRUE;
	return store_case_set_field(step->store, step->case_id, &f, error);
}

static gboolean
open_case(struct intake_step *step, GError **error)
{
	const struct mime_summary *summary = step->summary;
	int limit = step->config->limits.new_cases_per_sender_per_hour;
	g_autoptr(StoreCase) c = NULL;
	int recent = 0;

	step->kind = "report";
	if (sender(step) != NULL) {
		recent = store_count_reports_from(step->store, sender(step),
						  step->message->received_at -
							  HOUR_SECONDS,
						  limit, error);
		if (recent < 0)
			return FALSE;
	}
	if (recent >= limit) {
		step->error = g_strdup_printf(
			"rate limited: %d reports from this sender in the "
			"last hour (the limit); no case opened",
			limit);
		step->reply_note = "rate limited";
		return TRUE;
	}
	step->language = detect_language(step);
	struct store_case_new new_case = {
		.language = step->language,
		.requester_addr = sender(step) != NULL ? sender(step) : "",
		.requester_name = summary->from_name,
		.subject = summary->subject,
		.created_at = step->message->received_at,
	};
	step->case_id = store_case_create(step->store, &new_case, error);
	if (step->case_id == NULL)
		return FALSE;
	step->thread_by = "new";
	c = store_case_get(step->store, step->case_id, error);
	if (c == NULL ||
	    !store_event_add(step->store, c->id, "created", step->message->id,
			     0, "case opened from report", error) ||
	    !store_event_add(step->store, c->id, "message_in",
			     step->message->id, 0, "report", error) ||
	    !set_field(step, "contact_email", sender(step), 1.0, error) ||
	    !set_field(step, "contact_name", summary->from_name, 0.6, error) ||
	    !set_field(step, "language", step->language, 0.8, error))
		return FALSE;
	struct conversation_mail mail = {
		.message = step->message,
		.mime = step->mime,
		.summary = step->summary,
	};
	gboolean staff_queued = FALSE;
	if (!conversation_read_report(step->pipeline, c, &mail, &staff_queued,
				      error) ||
	    !queue_ack(step, c, error) ||
	    !support_advance(step->pipeline, c->id, step->message->id,
			     &staff_queued, error))
		return FALSE;
	step->queued = step->queued || staff_queued;
	return TRUE;
}

static const char *
kind_of_class(enum classify_kind kind)
{
	switch (kind) {
	case CLASSIFY_AUTO_REPLY:
		return "auto_reply";
	case CLASSIFY_BOUNCE:
		return "bounce";
	case CLASSIFY_LIST:
		return "list";
	case CLASSIFY_SPAM:
		return "spam";
	case CLASSIFY_OWN:
		return "own";
	case CLASSIFY_NORMAL:
		break;
	}
	return "report";
}

/* Our copy of a mail we sent (smtp.copy_to_self) proves the server took
 * it: an entry a crash left uncertain is then not sent a second time. */
static gboolean
confirm_own_copy(struct intake_step *step, GError **error)
{
	gint64 outbox_id = store_outbox_confirm_copy(
		step->store, step->summary->message_id,
		step->message->received_at, error);

	if (outbox_id < 0)
		return FALSE;
	step->kind = "own_copy";
	if (outbox_id > 0)
		log_info("intake.confirmed msg=%" G_GINT64_FORMAT
			 " outbox=%" G_GINT64_FORMAT " state=sent",
			 step->message->id, outbox_id);
	return TRUE;
}

/* Mail we must never answer: recorded, and put on a case when it plainly
 * belongs to one, but nothing is queued. */
static gboolean
record_unanswerable(struct intake_step *step, GError **error)
{
	g_autofree char *detail = NULL;

	step->kind = kind_of_class(step->classification.kind);
	step->reply_note = step->classification.reason;
	if (step->classification.kind == CLASSIFY_BOUNCE)
		return apply_bounce(step, error);
	if (step->classification.kind == CLASSIFY_OWN)
		return confirm_own_copy(step, error);
	if (!find_thread(step, error))
		return FALSE;
	if (step->case_id == NULL)
		return TRUE;
	detail = g_strdup_printf("%s (%s); not answered", step->kind,
				 step->classification.reason);
	return attach_to_case(step, "message_in", detail, error);
}

static gboolean
record_reply(struct intake_step *step, GError **error)
{
	g_autoptr(StoreCase) c =
		store_case_get(step->store, step->case_id, error);
	g_autofree char *detail = NULL;

	if (c == NULL)
		return FALSE;
	step->kind = "reply";
	step->language = NULL;
	step->reply_note = "reply";
	detail = g_strdup_printf("reply (threaded by %s)", step->thread_by);
	if (!attach_to_case(step, "message_in", detail, error))
		return FALSE;
	/* Consent, withdrawal, providers' answers and the follow-up first:
	 * they carry their own proof rules, whatever the threading. */
	const struct crypto_result *crypto = &step->pgp.result;
	gboolean valid_signature =
		step->pgp.ran &&
		crypto->signature == CRYPTOSTATUS_SIGNATURE_VALID;
	struct support_mail support = {
		.message = step->message,
		.mime = step->mime,
		.summary = step->summary,
		.thread_by = step->thread_by,
		.signer_fingerprint =
			valid_signature ? crypto->signer_fingerprint : NULL,
		.signed_by_pin = valid_signature &&
				 crypto->signer_matches_pin == CRYPTO_MATCH_YES,
	};
	gboolean handled = FALSE;
	if (!support_read_reply(step->pipeline, c, &support, &handled,
				&step->outbox_id, &step->queued, error))
		return FALSE;
	if (handled)
		return TRUE;
	/* A subject tag is public; only the token or the requester's own
	 * thread shows the writer is part of the conversation. */
	if (g_strcmp0(step->thread_by, "tag") == 0 &&
	    g_strcmp0(sender(step), c->requester_addr) != 0) {
		g_autofree char *warn = g_strdup_printf(
			"reply by case tag from %s, not the requester %s",
			sender(step) != NULL ? sender(step) : "(none)",
			c->requester_addr);

		/* Nor are its answers applied or answered: a forged tag
		 * must not fill fields or make us mail a stranger. */
		return store_event_add(step->store, c->id, "unverified_sender",
				       step->message->id, 0, warn, error);
	}
	struct conversation_mail mail = {
		.message = step->message,
		.mime = step->mime,
		.summary = step->summary,
	};
	gboolean allowed = replies_allowed(step, error);
	gboolean advanced = FALSE;
	if (!allowed && error != NULL && *error != NULL)
		return FALSE;
	if (!conversation_read_reply(step->pipeline, c, &mail, allowed,
				     &step->outbox_id, &step->queued, error) ||
	    !support_advance(step->pipeline, c->id, step->message->id,
			     &advanced, error))
		return FALSE;
	step->queued = step->queued || advanced;
	return TRUE;
}

static gboolean
queue_quarantine_notice(struct intake_step *step, GError **error)
{
	const char *staff = step->config->identity.staff_address;
	struct template_context *context;
	g_autofree char *ref = NULL, *size = NULL, *received = NULL;
	gboolean inserted;

	step->state = "quarantined";
	step->kind = "quarantined";
	step->error = g_strdup(step->message->error);
	if (staff == NULL) {
		step->reply_note = "no staff_address configured";
		return TRUE;
	}
	ref = g_strdup_printf("%" G_GINT64_FORMAT, step->message->id);
	size = g_strdup_printf("%" G_GINT64_FORMAT, step->message->size);
	received = case_format_time(step->message->received_at);
	context = template_context_new();
	template_context_set(context, "message_ref", ref);
	template_context_set(context, "size", size);
	template_context_set(context, "reason", step->message->error);
	template_context_set(context, "mailbox",
			     step->config->imap.quarantine_mailbox);
	template_context_set(context, "received_at", received);
	template_context_set(context, "from_address", "(not fetched)");
	template_context_set(context, "original_subject", "(not fetched)");
	struct outbox_reply reply = {
		.kind = "quarantine_notice",
		.in_reply_to = step->message->id,
		.to_addr = staff,
		.language = step->config->languages[0],
		.auto_submitted = "auto-generated",
		.context = context,
	};
	step->outbox_id =
		outbox_enqueue(step->pipeline, &reply, &inserted, error);
	template_context_free(&context);
	step->queued = inserted;
	return step->outbox_id != 0;
}

/* The work of a step that needs no write lock: parsing, classifying and
 * the gpg operations.  The step's transaction starts after it, so the
 * other stages are not kept waiting on gpg.  FALSE only when the
 * database (a read) or gpg itself failed. */
static gboolean
prepare(struct intake_step *step, GError **error)
{
	const struct config_limits *limits = &step->config->limits;
	struct mime_limits mime_limits = {
		.max_header_bytes = limits->max_header_bytes,
		.max_depth = limits->max_mime_depth,
		.max_parts = limits->max_mime_parts,
	};
	g_autoptr(GError) parse_error = NULL;
	gsize len;
	const guint8 *raw;

	if (step->message->raw == NULL)
		return TRUE;
	raw = g_bytes_get_data(step->message->raw, &len);
	step->mime = mime_parse(raw, len, &mime_limits, &parse_error);
	if (step->mime == NULL) {
		step->state = "failed";
		step->kind = "unparsable";
		step->error = g_strdup(parse_error->message);
		step->reply_note = "unparsable";
		return TRUE;
	}
	intake_pgp_init(&step->pgp);
	step->pgp.stripped = intake_pgp_strip_claims(step->mime);
	step->summary = mime_summary_new(step->mime, raw, len);
	classify_message(step->mime, step->config->identity.address,
			 step->config->identity.domain, &step->classification);
	if (step->classification.kind != CLASSIFY_NORMAL)
		return TRUE;
	/* From here on the message is the cleartext tree. */
	return intake_pgp_decrypt(&step->pgp, step->pipeline, step->mime,
				  step->summary, error);
}

/* Decides what the prepared message is and writes the consequences,
 * inside the step's transaction.  FALSE only for database failures. */
static gboolean
decide(struct intake_step *step, GError **error)
{
	gint64 duplicate;
	gboolean ok, pgp_queued = FALSE;

	if (step->message->raw == NULL)
		return queue_quarantine_notice(step, error);
	if (step->mime == NULL)
		return TRUE; /* unparsable: prepare() said why */
	if (step->classification.kind != CLASSIFY_NORMAL)
		return record_unanswerable(step, error);

	duplicate = store_message_find_duplicate(
		step->store, step->message->id, step->summary->message_id,
		step->summary->content_sha256, error);
	if (error != NULL && *error != NULL)
		return FALSE;
	if (duplicate != 0) {
		g_autoptr(StoreMessage) first =
			store_message_get(step->store, duplicate, error);

		if (first == NULL)
			return FALSE;
		step->kind = "duplicate";
		step->case_id = g_strdup(first->case_id);
		step->error = g_strdup_printf("same Message-ID and content as "
					      "message %" G_GINT64_FORMAT,
					      duplicate);
		step->reply_note = "duplicate";
		return TRUE;
	}
	if (!intake_pgp_apply(&step->pgp, step->pipeline, step->message->id,
			      step->message->received_at, error))
		return FALSE;
	if (!find_thread(step, error))
		return FALSE;
	if (step->case_id != NULL)
		ok = record_reply(step, error);
	else
		ok = open_case(step, error);
	if (!ok || !intake_pgp_record(&step->pgp, step->pipeline,
				      step->message->id, step->case_id,
				      g_strcmp0(step->kind, "report") == 0 ||
					      step->outbox_id != 0,
				      &pgp_queued, error))
		return FALSE;
	step->queued = step->queued || pgp_queued;
	return TRUE;
}

/* Whether message id is still waiting, read under the step's lock:
 * another door may have processed it since prepare() read it. */
static gboolean
still_received(struct store *store, gint64 id, gboolean *waiting,
	       GError **error)
{
	g_autofree char *state = store_message_state(store, id, error);

	if (state == NULL)
		return FALSE;
	*waiting = strcmp(state, "received") == 0;
	return TRUE;
}

static void
log_outcome(const struct intake_step *step)
{
	g_autofree char *from = log_value(sender(step));
	g_autofree char *msgid = log_value(
		step->summary != NULL ? step->summary->message_id : NULL);
	g_autofree char *note = log_value(step->reply_note);
	g_autofree char *why = log_value(step->error);

	log_info("intake msg=%" G_GINT64_FORMAT " case=%s kind=%s state=%s "
		 "thread=%s lang=%s from=%s message_id=%s reply=%s%s%s",
		 step->message->id, step->case_id != NULL ? step->case_id : "-",
		 step->kind, step->state,
		 step->thread_by != NULL ? step->thread_by : "-",
		 step->language != NULL ? step->language : "-", from, msgid,
		 step->queued ? "queued" : note,
		 step->error != NULL ? " error=" : "",
		 step->error != NULL ? why : "");
}

struct intake_prepared {
	struct intake_step step;
	/* The settings prepare() ran with, held so that intake_apply() can
	 * tell a reload that came in between. */
	struct config *config;
	gint64 id;
};

void
intake_prepared_free(struct intake_prepared **prepared_ptr)
{
	struct intake_prepared *prepared = *prepared_ptr;

	if (prepared == NULL)
		return;
	intake_step_clear(&prepared->step);
	config_unref(&prepared->config);
	g_free(prepared);
	*prepared_ptr = NULL;
}

gint64
intake_prepared_id(const struct intake_prepared *prepared)
{
	return prepared->id;
}

struct intake_prepared *
intake_prepare(const struct pipeline *pipeline, gint64 id, GError **error)
{
	struct intake_prepared *prepared = g_new0(struct intake_prepared, 1);
	struct intake_step *step = &prepared->step;

	prepared->id = id;
	prepared->config = config_ref((struct config *)pipeline->config);
	*step = (struct intake_step){.pipeline = pipeline,
				     .store = pipeline->store,
				     .config = pipeline->config,
				     .state = "processed"};
	step->message = store_message_get(pipeline->store, id, error);
	if (step->message == NULL ||
	    (g_strcmp0(step->message->state, "received") == 0 &&
	     !prepare(step, error))) {
		g_prefix_error(error, "message %" G_GINT64_FORMAT ": ", id);
		intake_prepared_free(&prepared);
		return NULL;
	}
	/* The preparing thread's connection and context stay with it. */
	step->pipeline = NULL;
	step->store = NULL;
	return prepared;
}

gboolean
intake_apply(const struct pipeline *pipeline,
	     struct intake_prepared **prepared_ptr, gboolean *queued,
	     GError **error)
{
	struct store *store = pipeline->store;
	struct intake_prepared *prepared = *prepared_ptr;
	struct intake_step *step = &prepared->step;
	gint64 id = prepared->id;
	gboolean ok = FALSE, waiting = FALSE;

	*prepared_ptr = NULL;
	if (queued != NULL)
		*queued = FALSE;
	/* A reload came between: the step runs on the settings in force,
	 * from the start. */
	if (prepared->config != pipeline->config) {
		intake_prepared_free(&prepared);
		prepared = intake_prepare(pipeline, id, error);
		if (prepared == NULL)
			return FALSE;
		step = &prepared->step;
	}
	step->pipeline = pipeline;
	step->store = store;
	step->config = pipeline->config;
	if (g_strcmp0(step->message->state, "received") != 0) {
		intake_prepared_free(&prepared);
		return TRUE;
	}
	if (!store_begin(store, error))
		goto out_logged;
	if (!still_received(store, id, &waiting, error))
		goto out;
	if (!waiting) {
		ok = TRUE;
		goto out;
	}
	if (!decide(step, error))
		goto out;
	struct store_message_result result = {
		.state = step->state,
		.error = step->error,
		.kind = step->kind,
		.case_id = step->case_id,
		.message_id = step->summary ? step->summary->message_id : NULL,
		.content_sha256 =
			step->summary ? step->summary->content_sha256 : NULL,
		.from_addr = sender(step),
		.from_name = step->summary ? step->summary->from_name : NULL,
		.subject = step->summary ? step->summary->subject : NULL,
		.language = step->language,
		.thread_by = step->thread_by,
	};
	if (!store_message_set_result(store, id, &result, error))
		goto out;
	if (!store_commit(store, error))
		goto out_logged;
	log_outcome(step);
	if (queued != NULL)
		*queued = step->queued;
	intake_prepared_free(&prepared);
	return TRUE;
out:
	store_rollback(store);
out_logged:
	intake_prepared_free(&prepared);
	if (!ok)
		g_prefix_error(error, "message %" G_GINT64_FORMAT ": ", id);
	return ok;
}

gboolean
intake_process(const struct pipeline *pipeline, gint64 id, gboolean *queued,
	       GError **error)
{
	struct intake_prepared *prepared = intake_prepare(pipeline, id, error);

	if (queued != NULL)
		*queued = FALSE;
	if (prepared == NULL)
		return FALSE;
	return intake_apply(pipeline, &prepared, queued, error);
}

int
intake_process_pending(const struct pipeline *pipeline, gboolean *queued,
		       GError **error)
{
	g_autoptr(GArray) ids = store_messages_pending(pipeline->store, error);
	int done = 0;

	if (queued != NULL)
		*queued = FALSE;
	if (ids == NULL)
		return -1;
	for (guint i = 0; i < ids->len; i++) {
		gboolean one_queued = FALSE;

		if (!intake_process(pipeline, g_array_index(ids, gint64, i),
				    &one_queued, error))
			return -1;
		if (queued != NULL && one_queued)
			*queued = TRUE;
		done++;
	}
	return done;
}

gint64
intake_import(const struct pipeline *pipeline, const guint8 *raw, gsize len,
	      const char *source_ref, GError **error)
{
	struct store_message_new message = {
		.source = "import",
		.source_ref = source_ref,
		.raw = raw,
		.raw_len = len,
		.size = (gint64)len,
		.state = "received",
	};
	gint64 id =
		store_message_insert(pipeline->store, &message, NULL, error);

	if (id == 0)
		return 0;
	if (!intake_process(pipeline, id, NULL, error))
		return 0;
	return id;
}
