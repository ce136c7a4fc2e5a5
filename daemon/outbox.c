/* outbox.c — render, compose and queue replies. */
#include "outbox.h"

#include <gio/gio.h>

#include "casetag.h"
#include "compose.h"

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
			g_ptr_array_add(refs,
					reply->parent_references->pdata[i]);
	}
	if (reply->parent_message_id != NULL)
		g_ptr_array_add(refs, (gpointer)reply->parent_message_id);
	return refs;
}

gboolean
outbox_build(const struct config *config, const struct templates *templates,
	     const struct outbox_reply *reply, const char *message_id,
	     GBytes **raw, char **subject, GError **error)
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
		return FALSE;

	struct compose_request request = {
		.from_name = config->identity.name,
		.from_addr = config->identity.address,
		.to_name = reply->to_name,
		.to_addr = reply->to_addr,
		.subject = mail_template_output_header(&output, "Subject"),
		.body = output.body,
		.message_id = message_id,
		.in_reply_to = reply->parent_message_id,
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
		return FALSE;
	}
	*raw = compose_serialize(message);
	g_object_unref(message);
	*subject = g_strdup(request.subject);
	mail_template_output_clear(&output);
	return TRUE;
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
	g_autoptr(GBytes) raw = NULL;
	gint64 id = store_outbox_next_id(store, error);

	if (id == 0)
		return 0;
	message_id =
		casetag_message_id(config->identity.token_secret,
				   reply->case_id, id, config->identity.domain);
	if (!outbox_build(config, pipeline->templates, reply, message_id, &raw,
			  &subject, error))
		return 0;

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
		.state = "queued",
	};
	return store_outbox_insert(store, &entry, inserted, error);
}

gint64
outbox_retry_delay(const struct config_smtp *smtp, int attempts)
{
	gint64 delay = MAX(1, smtp->retry_initial);

	for (int i = 1; i < attempts && delay < smtp->retry_max; i++)
		delay *= 2;
	return MIN(delay, (gint64)smtp->retry_max);
}
