/* intake-pgp.c — the OpenPGP stage of one intake step: decrypt, verify,
 * learn and pin the sender's key, and say what happened on the case. */
#include "intake-pgp.h"

#include <string.h>

#include "case.h"
#include "classify.h"
#include "log.h"
#include "outbox.h"

/* Our own header prefix: nothing outside may claim a status with it. */
#define OWN_HEADER_PREFIX "X-Intaked-"
#define HOUR_SECONDS	  3600

void
intake_pgp_init(struct intake_pgp *pgp)
{
	memset(pgp, 0, sizeof *pgp);
	crypto_result_init(&pgp->result);
	pgp->conflicts = g_ptr_array_new_with_free_func(g_free);
}

void
intake_pgp_clear(struct intake_pgp *pgp)
{
	crypto_result_clear(&pgp->result);
	g_free(pgp->sender);
	g_free(pgp->message_id);
	g_clear_pointer(&pgp->references, g_ptr_array_unref);
	g_free(pgp->pinned_before);
	g_free(pgp->pinned_now);
	g_clear_pointer(&pgp->conflicts, g_ptr_array_unref);
	memset(pgp, 0, sizeof *pgp);
}

guint
intake_pgp_strip_claims(GMimeMessage *message)
{
	GMimeHeaderList *headers =
		g_mime_object_get_header_list(GMIME_OBJECT(message));
	guint removed = 0;

	for (int i = g_mime_header_list_get_count(headers); i > 0; i--) {
		GMimeHeader *header =
			g_mime_header_list_get_header_at(headers, i - 1);
		const char *name = g_mime_header_get_name(header);

		if (g_ascii_strncasecmp(name, OWN_HEADER_PREFIX,
					strlen(OWN_HEADER_PREFIX)) != 0 ||
		    g_ascii_strcasecmp(name, CLASSIFY_LOOP_HEADER) == 0)
			continue;
		g_mime_header_list_remove_at(headers, i - 1);
		removed++;
	}
	return removed;
}

/* Applies the pinning rule to every key the message brought. */
static gboolean
pin_keys(struct intake_pgp *pgp, struct store *store, const char *sender,
	 gint64 at, GError **error)
{
	const GPtrArray *keys = pgp->result.keys;

	for (guint i = 0; i < keys->len; i++) {
		const struct crypto_key_found *key = keys->pdata[i];
		const char *pin =
			pgp->pinned_now ? pgp->pinned_now : pgp->pinned_before;
		enum cryptostatus_pin decision;

		if (!key->imported || key->fingerprint == NULL)
			continue;
		decision =
			cryptostatus_pin_decide(sender, pin, key->fingerprint,
						(const char *const *)key->uids);
		switch (decision) {
		case CRYPTOSTATUS_PIN_NEW:
			if (!store_key_record(store, sender, key->fingerprint,
					      "pinned", key->source, at, error))
				return FALSE;
			pgp->pinned_now = g_strdup(key->fingerprint);
			break;
		case CRYPTOSTATUS_PIN_SAME:
			if (!store_key_record(store, sender, key->fingerprint,
					      "pinned", key->source, at, error))
				return FALSE;
			break;
		case CRYPTOSTATUS_PIN_CONFLICT:
			if (!store_key_record(store, sender, key->fingerprint,
					      "conflict", key->source, at,
					      error))
				return FALSE;
			g_ptr_array_add(pgp->conflicts,
					g_strdup(key->fingerprint));
			break;
		case CRYPTOSTATUS_PIN_REJECT_UID_MISMATCH:
		case CRYPTOSTATUS_PIN_REJECT_INVALID:
			break;
		}
	}
	/* A key pinned just now that made the signature: the signer is the
	 * sender's pinned key from here on. */
	if (pgp->pinned_now != NULL && pgp->result.is_signed &&
	    pgp->result.signature == CRYPTOSTATUS_SIGNATURE_VALID &&
	    pgp->result.signer_matches_pin == CRYPTO_MATCH_UNKNOWN)
		pgp->result.signer_matches_pin =
			g_strcmp0(pgp->result.signer_fingerprint,
				  pgp->pinned_now) == 0
				? CRYPTO_MATCH_YES
				: CRYPTO_MATCH_NO;
	return TRUE;
}

static const char *
yes_no(gboolean value)
{
	return value ? "yes" : "no";
}

static void
log_result(const struct intake_pgp *pgp, gint64 id)
{
	const struct crypto_result *r = &pgp->result;
	g_autofree char *why = log_value(r->decrypt_error);

	log_info("intake.crypto msg=%" G_GINT64_FORMAT " encrypted=%s "
		 "decrypted=%s signature=%s signer=%s pinned=%s keys=%u "
		 "conflicts=%u stripped=%u%s%s",
		 id, yes_no(r->encrypted), yes_no(r->decrypted),
		 cryptostatus_signature_name(r->signature),
		 r->signer_fingerprint ? r->signer_fingerprint : "-",
		 r->signer_matches_pin == CRYPTO_MATCH_YES  ? "yes"
		 : r->signer_matches_pin == CRYPTO_MATCH_NO ? "no"
							    : "unknown",
		 r->keys->len, pgp->conflicts->len, pgp->stripped,
		 r->decrypt_error ? " error=" : "",
		 r->decrypt_error ? why : "");
}

gboolean
intake_pgp_decrypt(struct intake_pgp *pgp, const struct pipeline *pipeline,
		   GMimeMessage *message, struct mime_summary *summary,
		   GError **error)
{
	const char *sender = summary->from_addr;
	g_autoptr(GObject) clear = NULL;

	if (pipeline->crypto == NULL)
		return TRUE;
	pgp->sender = g_strdup(sender);
	pgp->message_id = g_strdup(summary->message_id);
	pgp->references = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0;
	     summary->references != NULL && i < summary->references->len; i++)
		g_ptr_array_add(pgp->references,
				g_strdup(summary->references->pdata[i]));
	/* Read without the write lock; intake_pgp_apply() checks it again
	 * under the lock. */
	if (sender != NULL) {
		pgp->pinned_before =
			store_key_pinned(pipeline->store, sender, error);
		if (pgp->pinned_before == NULL && error != NULL &&
		    *error != NULL)
			return FALSE;
	}
	clear = (GObject *)crypto_unwrap(pipeline->crypto, message, sender,
					 pgp->pinned_before, &pgp->result,
					 error);
	if (clear == NULL)
		return FALSE;
	pgp->ran = TRUE;
	if (pgp->result.protected_subject != NULL) {
		g_free(summary->subject);
		summary->subject = g_strdup(pgp->result.protected_subject);
	}
	return TRUE;
}

gboolean
intake_pgp_apply(struct intake_pgp *pgp, const struct pipeline *pipeline,
		 gint64 id, gint64 received_at, GError **error)
{
	const char *sender = pgp->sender;
	g_autofree char *json = NULL;
	g_autofree char *pinned = NULL;

	if (!pgp->ran)
		return TRUE;
	pgp->received_at = received_at;
	if (sender != NULL) {
		pinned = store_key_pinned(pipeline->store, sender, error);
		if (pinned == NULL && error != NULL && *error != NULL)
			return FALSE;
	}
	/* Staff pinned another key between the decryption and now: judge
	 * the signer against the pin in force. */
	if (g_strcmp0(pinned, pgp->pinned_before) != 0) {
		g_free(pgp->pinned_before);
		pgp->pinned_before = g_steal_pointer(&pinned);
		pgp->result.signer_matches_pin =
			pgp->pinned_before == NULL || !pgp->result.is_signed
				? CRYPTO_MATCH_UNKNOWN
			: g_strcmp0(pgp->result.signer_fingerprint,
				    pgp->pinned_before) == 0
				? CRYPTO_MATCH_YES
				: CRYPTO_MATCH_NO;
	}
	if (sender != NULL &&
	    !pin_keys(pgp, pipeline->store, sender, received_at, error))
		return FALSE;
	log_result(pgp, id);
	/* Mail that was neither encrypted, signed, nor brought a key says
	 * nothing worth storing. */
	if (!pgp->result.encrypted && !pgp->result.is_signed &&
	    pgp->result.keys->len == 0)
		return TRUE;
	json = crypto_result_to_json(&pgp->result);
	return store_message_set_crypto(pipeline->store, id, json, error);
}

gboolean
intake_pgp_undecryptable(const struct intake_pgp *pgp)
{
	return pgp->ran && pgp->result.encrypted && !pgp->result.decrypted;
}

static gboolean
queue_conflict_note(const struct pipeline *pipeline, gint64 id,
		    const char *case_id, const char *address,
		    const char *pinned, const char *seen, gboolean *queued,
		    GError **error)
{
	const struct config *config = pipeline->config;
	struct template_context *context;
	g_autofree char *ref = NULL;
	gboolean inserted = FALSE;
	gint64 outbox_id;

	if (config->identity.staff_address == NULL)
		return TRUE;
	ref = g_strdup_printf("%" G_GINT64_FORMAT, id);
	context = template_context_new();
	template_context_set(context, "address", address);
	template_context_set(context, "pinned_fingerprint", pinned);
	template_context_set(context, "new_fingerprint", seen);
	template_context_set(context, "message_ref", ref);
	struct outbox_reply reply = {
		.kind = "key_conflict",
		.case_id = case_id,
		.in_reply_to = id,
		.to_addr = config->identity.staff_address,
		.language = config->languages[0],
		.auto_submitted = "auto-generated",
		.context = context,
	};
	outbox_id = outbox_enqueue(pipeline, &reply, &inserted, error);
	template_context_free(&context);
	if (outbox_id == 0)
		return FALSE;
	if (inserted)
		*queued = TRUE;
	return case_id == NULL ||
	       store_event_add(pipeline->store, case_id, "message_out", id,
			       outbox_id, "key conflict reported to staff",
			       error);
}

/* A reply on a case that could not be decrypted: the requester is told,
 * with the CERT key, like for a new report (rate-limited the same way). */
static gboolean
queue_key_request(struct intake_pgp *pgp, const struct pipeline *pipeline,
		  gint64 id, const char *case_id, gboolean *queued,
		  GError **error)
{
	const struct config *config = pipeline->config;
	struct store *store = pipeline->store;
	g_autoptr(StoreCase) c = NULL;
	struct template_context *context;
	gboolean inserted = FALSE;
	gint64 outbox_id;
	int sent;

	if (pgp->sender == NULL)
		return TRUE;
	sent = store_count_replies_to(
		store, pgp->sender, pgp->received_at - HOUR_SECONDS,
		config->limits.auto_replies_per_sender_per_hour, error);
	if (sent < 0)
		return FALSE;
	if (sent >= config->limits.auto_replies_per_sender_per_hour)
		return store_event_add(store, case_id, "reply_suppressed", id,
				       0,
				       "key request not sent: automatic "
				       "reply rate limit reached",
				       error);
	c = store_case_get(store, case_id, error);
	if (c == NULL)
		return FALSE;
	struct store_message trigger = {.id = id,
					.received_at = pgp->received_at};
	context = case_reply_context(config, c, &trigger);
	template_context_set_bool(context, "undecryptable", TRUE);
	struct outbox_reply reply = {
		.kind = "key_request",
		.case_id = case_id,
		.in_reply_to = id,
		.to_addr = pgp->sender,
		.language = c->language,
		.parent_message_id = pgp->message_id,
		.parent_references = pgp->references,
		.auto_submitted = "auto-replied",
		.context = context,
	};
	outbox_id = outbox_enqueue(pipeline, &reply, &inserted, error);
	template_context_free(&context);
	if (outbox_id == 0)
		return FALSE;
	if (inserted)
		*queued = TRUE;
	return store_event_add(store, case_id, "message_out", id, outbox_id,
			       "key request queued", error);
}

gboolean
intake_pgp_record(struct intake_pgp *pgp, const struct pipeline *pipeline,
		  gint64 id, const char *case_id, gboolean answered,
		  gboolean *queued, GError **error)
{
	const struct crypto_result *r = &pgp->result;
	struct store *store = pipeline->store;
	g_autofree char *detail = NULL;

	if (!pgp->ran)
		return TRUE;
	if (case_id != NULL && r->encrypted) {
		detail = r->decrypted
				 ? g_strdup_printf(
					   "decrypted; signature %s%s%s",
					   cryptostatus_signature_name(
						   r->signature),
					   r->signer_fingerprint ? " by " : "",
					   r->signer_fingerprint
						   ? r->signer_fingerprint
						   : "")
				 : g_strdup_printf("not decrypted: %s",
						   r->decrypt_error);
		if (!store_event_add(store, case_id,
				     r->decrypted ? "decrypted"
						  : "undecryptable",
				     id, 0, detail, error))
			return FALSE;
		g_clear_pointer(&detail, g_free);
		if (!r->decrypted && !answered &&
		    !queue_key_request(pgp, pipeline, id, case_id, queued,
				       error))
			return FALSE;
	} else if (case_id != NULL && r->is_signed) {
		detail = g_strdup_printf(
			"signed; signature %s%s%s",
			cryptostatus_signature_name(r->signature),
			r->signer_fingerprint ? " by " : "",
			r->signer_fingerprint ? r->signer_fingerprint : "");
		if (!store_event_add(store, case_id, "signed", id, 0, detail,
				     error))
			return FALSE;
		g_clear_pointer(&detail, g_free);
	}
	if (case_id != NULL && r->is_signed &&
	    r->signer_matches_pin == CRYPTO_MATCH_NO &&
	    !store_event_add(store, case_id, "signer_not_pinned", id, 0,
			     "the signature is not by the key pinned to the "
			     "sender",
			     error))
		return FALSE;
	if (case_id != NULL && pgp->pinned_now != NULL) {
		detail = g_strdup_printf("key %s pinned to the sender",
					 pgp->pinned_now);
		if (!store_event_add(store, case_id, "key_pinned", id, 0,
				     detail, error))
			return FALSE;
		g_clear_pointer(&detail, g_free);
	}
	/* Replies held for want of this key can go out now. */
	if (pgp->pinned_now != NULL) {
		int released =
			outbox_release_held(pipeline, pgp->sender, error);

		if (released < 0)
			return FALSE;
		if (released > 0 && queued != NULL)
			*queued = TRUE;
	}
	if (pgp->conflicts->len == 0)
		return TRUE;
	for (guint i = 0; i < pgp->conflicts->len; i++) {
		const char *seen = pgp->conflicts->pdata[i];
		const char *pinned =
			pgp->pinned_before ? pgp->pinned_before : "(none)";

		detail = g_strdup_printf("key %s differs from the pinned key "
					 "%s; not used until staff decide",
					 seen, pinned);
		if (case_id != NULL &&
		    !store_event_add(store, case_id, "key_conflict", id, 0,
				     detail, error))
			return FALSE;
		g_clear_pointer(&detail, g_free);
		log_warning("intake.key_conflict msg=%" G_GINT64_FORMAT
			    " case=%s pinned=%s seen=%s",
			    id, case_id ? case_id : "-", pinned, seen);
		/* One note per message: the first conflict names the case. */
		if (i == 0 &&
		    !queue_conflict_note(pipeline, id, case_id, pgp->sender,
					 pinned, seen, queued, error))
			return FALSE;
	}
	return TRUE;
}
