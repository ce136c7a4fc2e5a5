/* outbox.c — render, compose, sign or encrypt, and queue replies. */
#include "outbox.h"

#include <string.h>
#include <gio/gio.h>

#include "casetag.h"
#include "compose.h"
#include "crypto.h"
#include "log.h"

/* References beyond this many are dropped from the oldest end (RFC 5322
 * allows trimming; clients thread on the last few). */
#define OUTBOX_MAX_REFERENCES 20

static GPtrArray *
reply_references(const struct outbox_reply *reply)
{
	GPtrArray *refs = g_ptr_array_new();
	guint first = 0;

	if (reply->parent_references != NULL) {
		guint n = reply->parent_references->len;

		if (n >= OUTBOX_MAX_REFERENCES)
			first = n - (OUTBOX_MAX_REFERENCES - 1);
		for (guint i = first; i < n; i++)
			if (compose_message_id_valid(
				    reply->parent_references->pdata[i]))
				g_ptr_array_add(
					refs,
					reply->parent_references->pdata[i]);
	}
	if (compose_message_id_valid(reply->parent_message_id))
		g_ptr_array_add(refs, (gpointer)reply->parent_message_id);
	return refs;
}

/* Renders and composes reply.  Returns a new message and its Subject in
 * *subject (caller frees both), or NULL with error. */
static GMimeMessage *
build_message(const struct config *config, const struct templates *templates,
	      const struct outbox_reply *reply, const char *message_id,
	      char **subject, GError **error)
{
	struct mail_template_output output = {0};
	g_autoptr(GPtrArray) refs = reply_references(reply);
	GMimeMessage *message;
	const char *used_lang = NULL;
	g_autofree char *tag = NULL;

	template_context_set(reply->context, "cert_name",
			     config->identity.name);
	template_context_set(reply->context, "cert_address",
			     config->identity.address);
	if (reply->case_id != NULL) {
		tag = casetag_format(config->identity.case_prefix,
				     reply->case_id);
		template_context_set(reply->context, "case_id", reply->case_id);
		template_context_set(reply->context, "case_tag", tag);
	}
	if (!templates_render(templates, reply->kind, reply->language,
			      reply->context, &output, &used_lang, error))
		return NULL;

	struct compose_request request = {
		.from_name = config->identity.name,
		.from_addr = config->identity.address,
		.to_name = reply->to_name,
		.to_addr = reply->to_addr,
		.subject = mail_template_output_header(&output, "Subject"),
		.body = output.body,
		.message_id = message_id,
		/* A peer's id we cannot write back ("<1234>", no "@") is
		 * left out rather than failing the reply: the intake step
		 * would fail, and every mail after it wait behind it. */
		.in_reply_to =
			compose_message_id_valid(reply->parent_message_id)
				? reply->parent_message_id
				: NULL,
		.references = refs->len > 0 ? refs : NULL,
		.auto_submitted = reply->auto_submitted,
		.language = used_lang,
		.loop_value = config->identity.address,
	};
	message = compose_message(&request, error);
	if (message == NULL) {
		g_prefix_error(error, "%s reply to %s: ", reply->kind,
			       reply->to_addr);
		mail_template_output_clear(&output);
		return NULL;
	}
	*subject = g_strdup(request.subject);
	mail_template_output_clear(&output);
	return message;
}

gboolean
outbox_build(const struct config *config, const struct templates *templates,
	     const struct outbox_reply *reply, const char *message_id,
	     GBytes **raw, char **subject, GError **error)
{
	GMimeMessage *message = build_message(config, templates, reply,
					      message_id, subject, error);

	if (message == NULL)
		return FALSE;
	*raw = compose_serialize(message);
	g_object_unref(message);
	return TRUE;
}

/* Kinds whose text never depends on what the requester wrote (no case
 * content, no quote): they may go out in clear to anyone.  Every other
 * kind, including kinds added later, counts as carrying case content. */
static gboolean
carries_content(const char *kind)
{
	static const char *const content_free[] = {
		"key_request", "key_conflict", "quarantine_notice",
		"consent_withdrawn_provider"};

	for (gsize i = 0; i < G_N_ELEMENTS(content_free); i++)
		if (strcmp(kind, content_free[i]) == 0)
			return FALSE;
	return TRUE;
}

/* "ABCD 1234 ..." as people compare fingerprints.  Caller frees. */
static char *
grouped_fingerprint(const char *fingerprint)
{
	GString *out = g_string_new(NULL);

	for (gsize i = 0; fingerprint[i] != '\0'; i++) {
		if (i > 0 && i % 4 == 0)
			g_string_append_c(out, ' ');
		if (i > 0 && i % 20 == 0)
			g_string_append_c(out, ' ');
		g_string_append_c(out, fingerprint[i]);
	}
	return g_string_free(out, FALSE);
}

/* The CERT key for the key_request template. */
static gboolean
add_key_variables(struct crypto *crypto, struct template_context *context,
		  GError **error)
{
	g_autofree char *armored = crypto_export_public_key(crypto, error);
	g_autofree char *grouped = NULL;

	if (armored == NULL)
		return FALSE;
	grouped = grouped_fingerprint(crypto_fingerprint(crypto));
	template_context_set(context, "cert_fingerprint", grouped);
	template_context_set(context, "cert_key", armored);
	return TRUE;
}

/* Signs message, and encrypts it when the recipient has a usable pinned
 * key.  A reply with case content that may not go out in clear (the
 * requester wrote encrypted, or crypto.encrypt is "required") is signed
 * only and *hold_reason says why it must be held.  FALSE with error when
 * gpg or the database failed. */
static gboolean
protect(const struct pipeline *pipeline, const struct outbox_reply *reply,
	GMimeMessage *message, char **hold_reason, GError **error)
{
	struct crypto *crypto = pipeline->crypto;
	g_autofree char *recipient = NULL;
	g_autoptr(GError) local = NULL;
	GMimeMessage *done;
	gboolean wrote_encrypted;

	*hold_reason = NULL;
	if (reply->encrypt_to != NULL)
		recipient = g_strdup(reply->encrypt_to);
	else
		recipient = store_key_pinned(pipeline->store, reply->to_addr,
					     error);
	if (recipient == NULL && error != NULL && *error != NULL)
		return FALSE;
	if (recipient != NULL) {
		done = crypto_protect(crypto, message, recipient, &local);
		if (done != NULL) {
			g_object_unref(done);
			return TRUE;
		}
		if (!g_error_matches(local, CRYPTO_ERROR, CRYPTO_ERROR_KEY)) {
			g_propagate_prefixed_error(
				error, g_steal_pointer(&local),
				"%s reply to %s: ", reply->kind,
				reply->to_addr);
			return FALSE;
		}
		/* Expired or revoked since it was pinned: as if unknown. */
		log_warning("outbox.key_unusable to=%s key=%s", reply->to_addr,
			    recipient);
		g_clear_error(&local);
	}
	if (carries_content(reply->kind)) {
		wrote_encrypted = store_message_wrote_encrypted(
			pipeline->store, reply->in_reply_to, reply->case_id,
			&local);
		if (local != NULL) {
			g_propagate_error(error, g_steal_pointer(&local));
			return FALSE;
		}
		if (wrote_encrypted)
			*hold_reason = g_strdup(
				"held: the requester wrote encrypted and no "
				"usable key of theirs is pinned; their key "
				"was asked for");
		else if (pipeline->config->crypto.encrypt ==
			 CONFIG_ENCRYPT_REQUIRED)
			*hold_reason = g_strdup(
				"held: crypto.encrypt is \"required\" and no "
				"usable key of the recipient is pinned; their "
				"key was asked for");
	}
	done = crypto_protect(crypto, message, NULL, error);
	if (done == NULL) {
		g_prefix_error(error, "%s reply to %s: ", reply->kind,
			       reply->to_addr);
		g_clear_pointer(hold_reason, g_free);
		return FALSE;
	}
	g_object_unref(done);
	return TRUE;
}

/* A held reply is replaced, for the requester, by a request for their
 * key (which has no case content and so goes out signed, in clear). */
static gboolean
queue_key_request(const struct pipeline *pipeline,
		  const struct outbox_reply *held, gint64 held_id,
		  GError **error)
{
	struct outbox_reply request = *held;
	g_autofree char *detail = NULL;
	gboolean inserted = FALSE;
	gint64 id;

	request.kind = "key_request";
	id = outbox_enqueue(pipeline, &request, &inserted, error);
	if (id == 0)
		return FALSE;
	log_info("outbox.held outbox=%" G_GINT64_FORMAT " kind=%s "
		 "key_request=%" G_GINT64_FORMAT,
		 held_id, held->kind, id);
	if (held->case_id == NULL || !inserted)
		return TRUE;
	detail = g_strdup_printf("%s held (outbox %" G_GINT64_FORMAT
				 "): not sent in clear; key request queued",
				 held->kind, held_id);
	return store_event_add(pipeline->store, held->case_id, "reply_held",
			       held->in_reply_to, id, detail, error);
}

gint64
outbox_enqueue(const struct pipeline *pipeline,
	       const struct outbox_reply *reply, gboolean *inserted,
	       GError **error)
{
	struct store *store = pipeline->store;
	const struct config *config = pipeline->config;
	g_autofree char *message_id = NULL;
	g_autofree char *subject = NULL;
	g_autofree char *hold_reason = NULL;
	g_autoptr(GBytes) raw = NULL;
	GMimeMessage *message;
	gboolean was_inserted = FALSE;
	gint64 id = store_outbox_next_id(store, error);

	if (id == 0)
		return 0;
	message_id =
		casetag_message_id(config->identity.token_secret,
				   reply->case_id, id, config->identity.domain);
	if (pipeline->crypto != NULL &&
	    strcmp(reply->kind, "key_request") == 0 &&
	    !add_key_variables(pipeline->crypto, reply->context, error))
		return 0;
	message = build_message(config, pipeline->templates, reply, message_id,
				&subject, error);
	if (message == NULL)
		return 0;
	/* The row holds the bytes as they go out: signed, and encrypted
	 * when the recipient's key is known. */
	if (pipeline->crypto != NULL &&
	    !protect(pipeline, reply, message, &hold_reason, error)) {
		g_object_unref(message);
		return 0;
	}
	raw = compose_serialize(message);
	g_object_unref(message);

	struct store_outbox_new entry = {
		.id = id,
		.case_id = reply->case_id,
		.kind = reply->kind,
		.in_reply_to = reply->in_reply_to,
		.message_id = message_id,
		.mail_from = config->identity.address,
		.rcpt_to = reply->to_addr,
		.subject = subject,
		.raw = g_bytes_get_data(raw, NULL),
		.raw_len = g_bytes_get_size(raw),
		.state = hold_reason != NULL ? "held" : "queued",
	};
	id = store_outbox_insert(store, &entry, &was_inserted, error);
	if (inserted != NULL)
		*inserted = was_inserted;
	if (id == 0 || hold_reason == NULL || !was_inserted)
		return id;
	if (!store_outbox_mark_held(store, id, hold_reason, error) ||
	    !queue_key_request(pipeline, reply, id, error))
		return 0;
	/* What the caller should wake the sender for is the key request. */
	if (inserted != NULL)
		*inserted = TRUE;
	return id;
}

/* The message of held bytes with the signed entity as its body again
 * (multipart/signed -> its first part), or NULL when they do not parse
 * so.  Returns a new reference. */
static GMimeObject *
parse_part(GMimeStream *stream)
{
	GMimeParser *parser = g_mime_parser_new_with_stream(stream);
	GMimeObject *part = g_mime_parser_construct_part(parser, NULL);

	g_object_unref(parser);
	return part;
}

static GMimeMessage *
unsigned_copy(GBytes *raw)
{
	GMimeStream *stream = g_mime_stream_mem_new_with_buffer(
		g_bytes_get_data(raw, NULL), g_bytes_get_size(raw));
	GMimeParser *parser = g_mime_parser_new_with_stream(stream);
	GMimeMessage *message = g_mime_parser_construct_message(parser, NULL);
	GMimeObject *body, *entity = NULL;

	g_object_unref(parser);
	g_object_unref(stream);
	if (message == NULL)
		return NULL;
	body = g_mime_message_get_mime_part(message);
	if (GMIME_IS_MULTIPART_SIGNED(body) &&
	    g_mime_multipart_get_count(GMIME_MULTIPART(body)) == 2) {
		/* A fresh copy of the signed entity, through its bytes: it
		 * must not stay tied to the multipart it is taken from. */
		GMimeStream *copy = g_mime_stream_mem_new();

		g_mime_object_write_to_stream(
			g_mime_multipart_get_part(GMIME_MULTIPART(body), 0),
			NULL, copy);
		g_mime_stream_reset(copy);
		entity = parse_part(copy);
		g_object_unref(copy);
	}
	if (entity == NULL) {
		g_object_unref(message);
		return NULL;
	}
	g_mime_message_set_mime_part(message, entity);
	g_object_unref(entity);
	return message;
}

int
outbox_release_held(const struct pipeline *pipeline, const char *address,
		    GError **error)
{
	struct store *store = pipeline->store;
	g_autoptr(GPtrArray) held = NULL;
	g_autofree char *key = NULL;
	int released = 0;

	if (pipeline->crypto == NULL || address == NULL)
		return 0;
	key = store_key_pinned(store, address, error);
	if (key == NULL)
		return error != NULL && *error != NULL ? -1 : 0;
	held = store_outbox_held_to(store, address, error);
	if (held == NULL)
		return -1;
	for (guint i = 0; i < held->len; i++) {
		const struct store_outbox *entry = held->pdata[i];
		GMimeMessage *message = unsigned_copy(entry->raw);
		g_autoptr(GError) local = NULL;
		g_autoptr(GBytes) raw = NULL;
		GMimeMessage *done;

		if (message == NULL) {
			log_warning("outbox.release_skipped "
				    "outbox=%" G_GINT64_FORMAT
				    " reason=not_signed_pgp_mime",
				    entry->id);
			continue;
		}
		done = crypto_protect(pipeline->crypto, message, key, &local);
		if (done == NULL) {
			g_object_unref(message);
			if (g_error_matches(local, CRYPTO_ERROR,
					    CRYPTO_ERROR_KEY)) {
				log_warning("outbox.key_unusable to=%s key=%s",
					    address, key);
				return released;
			}
			g_propagate_prefixed_error(
				error, g_steal_pointer(&local),
				"releasing outbox %" G_GINT64_FORMAT ": ",
				entry->id);
			return -1;
		}
		g_object_unref(done);
		raw = compose_serialize(message);
		g_object_unref(message);
		if (!store_outbox_release(
			    store, entry->id, g_bytes_get_data(raw, NULL),
			    g_bytes_get_size(raw),
			    g_get_real_time() / G_USEC_PER_SEC, error))
			return -1;
		if (entry->case_id != NULL) {
			g_autofree char *detail = g_strdup_printf(
				"%s (outbox %" G_GINT64_FORMAT ") released: "
				"encrypted to the key now pinned, %s",
				entry->kind, entry->id, key);

			if (!store_event_add(store, entry->case_id,
					     "reply_released", 0, entry->id,
					     detail, error))
				return -1;
		}
		log_info("outbox.released outbox=%" G_GINT64_FORMAT
			 " kind=%s key=%s",
			 entry->id, entry->kind, key);
		released++;
	}
	return released;
}

gint64
outbox_retry_delay(const struct config_smtp *smtp, int attempts)
{
	gint64 delay = MAX(1, smtp->retry_initial);

	for (int i = 1; i < attempts && delay < smtp->retry_max; i++)
		delay *= 2;
	return MIN(delay, (gint64)smtp->retry_max);
}
