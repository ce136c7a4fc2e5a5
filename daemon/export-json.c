/* export-json.c — the JSON shapes of intakectl (see export-json.h). */
#include "export-json.h"

#include <math.h>

char *
export_json_time(gint64 unix_time)
{
	g_autoptr(GDateTime) t = NULL;

	if (unix_time == 0)
		return NULL;
	t = g_date_time_new_from_unix_utc(unix_time);
	if (t == NULL) /* out of GDateTime's range: a corrupt row */
		return NULL;
	return g_date_time_format(t, "%Y-%m-%dT%H:%M:%SZ");
}

static void
add_string(JsonBuilder *builder, const char *name, const char *value)
{
	json_builder_set_member_name(builder, name);
	if (value == NULL) {
		json_builder_add_null_value(builder);
	} else if (g_utf8_validate(value, -1, NULL)) {
		json_builder_add_string_value(builder, value);
	} else {
		/* The store should hold UTF-8 only; never let one bad row
		 * make the whole document invalid. */
		g_autofree char *valid = g_utf8_make_valid(value, -1);

		json_builder_add_string_value(builder, valid);
	}
}

/* Ids of stored rows start at 1; 0 means "none". */
static void
add_id(JsonBuilder *builder, const char *name, gint64 id)
{
	json_builder_set_member_name(builder, name);
	if (id != 0)
		json_builder_add_int_value(builder, id);
	else
		json_builder_add_null_value(builder);
}

static void
add_time(JsonBuilder *builder, const char *name, gint64 unix_time)
{
	g_autofree char *text = export_json_time(unix_time);

	add_string(builder, name, text);
}

void
export_json_fields(JsonBuilder *builder, const GPtrArray *fields)
{
	json_builder_begin_object(builder);
	for (guint i = 0; fields != NULL && i < fields->len; i++) {
		const struct store_field *f = fields->pdata[i];

		json_builder_set_member_name(builder, f->field);
		json_builder_begin_object(builder);
		add_string(builder, "value", f->value);
		add_string(builder, "source", f->source);
		json_builder_set_member_name(builder, "confidence");
		if (isfinite(f->confidence))
			json_builder_add_double_value(builder, f->confidence);
		else /* JSON has no NaN or infinity */
			json_builder_add_null_value(builder);
		add_id(builder, "message", f->message);
		add_string(builder, "excerpt", f->excerpt);
		add_time(builder, "updated", f->updated_at);
		json_builder_end_object(builder);
	}
	json_builder_end_object(builder);
}

/* The members shared by the listing and the detailed view. */
static void
add_case_members(JsonBuilder *builder, const struct store_case *c,
		 const GPtrArray *fields)
{
	add_string(builder, "id", c->id);
	add_string(builder, "state", c->state);
	add_string(builder, "language", c->language);
	json_builder_set_member_name(builder, "requester");
	json_builder_begin_object(builder);
	add_string(builder, "address", c->requester_addr);
	add_string(builder, "name", c->requester_name);
	json_builder_end_object(builder);
	add_string(builder, "subject", c->subject);
	add_time(builder, "created", c->created_at);
	add_time(builder, "updated", c->updated_at);
	json_builder_set_member_name(builder, "fields");
	export_json_fields(builder, fields);
}

void
export_json_case(JsonBuilder *builder, const struct store_case *c,
		 const GPtrArray *fields)
{
	json_builder_begin_object(builder);
	add_case_members(builder, c, fields);
	json_builder_end_object(builder);
}

void
export_json_case_listed(JsonBuilder *builder, const struct store_case *c,
			const GPtrArray *fields, int priority)
{
	json_builder_begin_object(builder);
	add_case_members(builder, c, fields);
	json_builder_set_member_name(builder, "priority");
	json_builder_add_int_value(builder, priority);
	json_builder_end_object(builder);
}

/* The crypto summary the intake stored (crypto_result_to_json()), as an
 * object; null for mail that was neither encrypted, signed nor brought a
 * key, and for a summary that does not parse. */
static void
add_crypto(JsonBuilder *builder, const char *crypto_json)
{
	JsonNode *node = crypto_json != NULL
				 ? json_from_string(crypto_json, NULL)
				 : NULL;

	json_builder_set_member_name(builder, "crypto");
	if (node != NULL && JSON_NODE_HOLDS_OBJECT(node)) {
		json_builder_add_value(builder, node);
		return;
	}
	if (node != NULL)
		json_node_unref(node);
	json_builder_add_null_value(builder);
}

static void
add_message_in(JsonBuilder *builder, const struct store_message *m)
{
	json_builder_begin_object(builder);
	add_string(builder, "direction", "in");
	add_id(builder, "id", m->id);
	add_string(builder, "message_id", m->message_id);
	add_string(builder, "from", m->from_addr);
	/* The store keeps no recipients of incoming mail: it reached the
	 * CERT mailbox, whatever its To said. */
	add_string(builder, "to", NULL);
	add_string(builder, "subject", m->subject);
	add_string(builder, "kind", m->kind);
	add_string(builder, "state", m->state);
	add_time(builder, "time", m->received_at);
	add_crypto(builder, m->crypto);
	json_builder_end_object(builder);
}

static void
add_message_out(JsonBuilder *builder, const struct store_outbox *o)
{
	json_builder_begin_object(builder);
	add_string(builder, "direction", "out");
	add_id(builder, "id", o->id);
	add_string(builder, "message_id", o->message_id);
	add_string(builder, "from", o->mail_from);
	add_string(builder, "to", o->rcpt_to);
	add_string(builder, "subject", o->subject);
	add_string(builder, "kind", o->kind);
	add_string(builder, "state", o->state);
	/* Queued time, not sent time: it orders the reply after the mail it
	 * answers even while it waits for the SMTP server. */
	add_time(builder, "time", o->created_at);
	/* Outgoing mail is signed (and encrypted when the key is known) by
	 * policy; the row holds the bytes, not a summary. */
	add_crypto(builder, NULL);
	json_builder_end_object(builder);
}

/* Both lists come oldest first; merge them by time.  On equal times (a
 * reply is queued in the same second as the mail it answers) incoming
 * mail goes first, except that a reply goes before mail that arrived
 * after the mail it answers. */
static gboolean
in_goes_first(const struct store_message *m, const struct store_outbox *e)
{
	if (e == NULL)
		return TRUE;
	if (m->received_at != e->created_at)
		return m->received_at < e->created_at;
	return e->in_reply_to == 0 || e->in_reply_to >= m->id;
}

static void
add_messages(JsonBuilder *builder, const GPtrArray *in, const GPtrArray *out)
{
	guint n_in = in != NULL ? in->len : 0;
	guint n_out = out != NULL ? out->len : 0;
	guint i = 0, o = 0;

	json_builder_begin_array(builder);
	while (i < n_in || o < n_out) {
		const struct store_message *m = i < n_in ? in->pdata[i] : NULL;
		const struct store_outbox *e = o < n_out ? out->pdata[o] : NULL;

		if (m != NULL && in_goes_first(m, e)) {
			add_message_in(builder, m);
			i++;
		} else {
			add_message_out(builder, e);
			o++;
		}
	}
	json_builder_end_array(builder);
}

static void
add_events(JsonBuilder *builder, const GPtrArray *events)
{
	json_builder_begin_array(builder);
	for (guint i = 0; events != NULL && i < events->len; i++) {
		const struct store_event *e = events->pdata[i];

		json_builder_begin_object(builder);
		add_time(builder, "time", e->at);
		add_string(builder, "type", e->type);
		add_id(builder, "message", e->message);
		add_id(builder, "outbox", e->outbox);
		add_string(builder, "detail", e->detail);
		json_builder_end_object(builder);
	}
	json_builder_end_array(builder);
}

void
export_json_case_detail(JsonBuilder *builder, const struct store_case *c,
			const GPtrArray *fields, const GPtrArray *messages,
			const GPtrArray *outbox, const GPtrArray *events)
{
	json_builder_begin_object(builder);
	add_case_members(builder, c, fields);
	json_builder_set_member_name(builder, "messages");
	add_messages(builder, messages, outbox);
	json_builder_set_member_name(builder, "events");
	add_events(builder, events);
	json_builder_end_object(builder);
}

static void
add_round(JsonBuilder *builder, const struct store_round *r)
{
	json_builder_begin_object(builder);
	json_builder_set_member_name(builder, "round");
	json_builder_add_int_value(builder, r->round);
	add_string(builder, "kind", r->kind);
	add_id(builder, "outbox", r->outbox);
	add_time(builder, "asked", r->asked_at);
	json_builder_set_member_name(builder, "questions");
	json_builder_begin_array(builder);
	for (guint i = 0; r->questions != NULL && i < r->questions->len; i++) {
		const struct store_question *q = r->questions->pdata[i];

		json_builder_begin_object(builder);
		json_builder_set_member_name(builder, "number");
		json_builder_add_int_value(builder, q->number);
		add_string(builder, "field", q->field);
		add_string(builder, "question", q->question);
		json_builder_set_member_name(builder, "required");
		json_builder_add_boolean_value(builder, q->required);
		json_builder_end_object(builder);
	}
	json_builder_end_array(builder);
	json_builder_end_object(builder);
}

void
export_json_case_conversation(JsonBuilder *builder, const struct store_case *c,
			      const GPtrArray *fields,
			      const GPtrArray *messages,
			      const GPtrArray *outbox, const GPtrArray *events,
			      const GPtrArray *rounds,
			      const char *const *missing,
			      const struct export_json_support *support)
{
	json_builder_begin_object(builder);
	add_case_members(builder, c, fields);
	json_builder_set_member_name(builder, "messages");
	add_messages(builder, messages, outbox);
	json_builder_set_member_name(builder, "events");
	add_events(builder, events);
	json_builder_set_member_name(builder, "rounds");
	json_builder_begin_array(builder);
	for (guint i = 0; rounds != NULL && i < rounds->len; i++)
		add_round(builder, rounds->pdata[i]);
	json_builder_end_array(builder);
	json_builder_set_member_name(builder, "missing");
	json_builder_begin_array(builder);
	for (gsize i = 0; missing != NULL && missing[i] != NULL; i++)
		json_builder_add_string_value(builder, missing[i]);
	json_builder_end_array(builder);
	if (support != NULL)
		export_json_support_members(builder, support);
	json_builder_end_object(builder);
}

/* "a,b" as ["a","b"]; NULL or "" as []. */
static void
add_list(JsonBuilder *builder, const char *name, const char *list)
{
	g_auto(GStrv) items = g_strsplit(list != NULL ? list : "", ",", -1);

	json_builder_set_member_name(builder, name);
	json_builder_begin_array(builder);
	for (guint i = 0; items[i] != NULL; i++)
		if (items[i][0] != '\0')
			json_builder_add_string_value(builder, items[i]);
	json_builder_end_array(builder);
}

static void
add_int(JsonBuilder *builder, const char *name, gint64 value)
{
	json_builder_set_member_name(builder, name);
	json_builder_add_int_value(builder, value);
}

void
export_json_support_members(JsonBuilder *builder,
			    const struct export_json_support *support)
{
	const struct store_qualification *q = support->qualification;
	const struct store_consent *k = support->consent;
	const GPtrArray *intros = support->introductions;

	add_int(builder, "priority", support->priority);
	json_builder_set_member_name(builder, "qualification");
	if (q == NULL) {
		json_builder_add_null_value(builder);
	} else {
		json_builder_begin_object(builder);
		add_string(builder, "decision", q->qualification);
		add_string(builder, "by", q->qualified_by);
		add_string(builder, "reason", q->reason);
		add_int(builder, "priority", q->priority);
		add_time(builder, "time", q->qualified_at);
		add_id(builder, "followup_outbox", q->followup_outbox);
		json_builder_end_object(builder);
	}
	json_builder_set_member_name(builder, "consent");
	if (k == NULL) {
		json_builder_add_null_value(builder);
	} else {
		json_builder_begin_object(builder);
		add_string(builder, "state", k->state);
		add_id(builder, "request_outbox", k->request_outbox);
		add_int(builder, "asks", k->asks);
		add_list(builder, "fields", k->fields);
		/* The values the request showed, kept as a JSON object. */
		json_builder_set_member_name(builder, "shared_values");
		{
			JsonNode *node =
				k->shared_values != NULL
					? json_from_string(k->shared_values,
							   NULL)
					: NULL;

			if (node != NULL && JSON_NODE_HOLDS_OBJECT(node))
				json_builder_add_value(builder, node);
			else {
				if (node != NULL)
					json_node_unref(node);
				json_builder_add_null_value(builder);
			}
		}
		add_list(builder, "needs", k->needs);
		add_time(builder, "requested", k->requested_at);
		add_time(builder, "answered", k->answered_at);
		add_id(builder, "message", k->message);
		add_string(builder, "answered_by", k->answered_by);
		add_string(builder, "proof", k->proof);
		add_string(builder, "excerpt", k->excerpt);
		add_time(builder, "withdrawn", k->withdrawn_at);
		add_string(builder, "withdrawn_by", k->withdrawn_by);
		json_builder_end_object(builder);
	}
	json_builder_set_member_name(builder, "introductions");
	json_builder_begin_array(builder);
	for (guint i = 0; intros != NULL && i < intros->len; i++) {
		const struct store_introduction *in = intros->pdata[i];

		json_builder_begin_object(builder);
		add_string(builder, "provider", in->provider);
		add_string(builder, "address", in->address);
		add_list(builder, "needs", in->needs);
		add_string(builder, "state", in->state);
		add_id(builder, "outbox", in->outbox);
		add_time(builder, "introduced", in->introduced_at);
		add_time(builder, "deadline", in->deadline_at);
		add_time(builder, "answered", in->answered_at);
		add_id(builder, "message", in->message);
		add_string(builder, "excerpt", in->excerpt);
		json_builder_end_object(builder);
	}
	json_builder_end_array(builder);
}

void
export_json_outbox(JsonBuilder *builder, const struct store_outbox *entry)
{
	json_builder_begin_object(builder);
	add_id(builder, "id", entry->id);
	add_string(builder, "case", entry->case_id);
	add_string(builder, "kind", entry->kind);
	add_string(builder, "state", entry->state);
	json_builder_set_member_name(builder, "attempts");
	json_builder_add_int_value(builder, entry->attempts);
	add_time(builder, "next_attempt",
		 g_strcmp0(entry->state, "queued") == 0 ? entry->next_attempt_at
							: 0);
	add_string(builder, "message_id", entry->message_id);
	add_string(builder, "to", entry->rcpt_to);
	add_string(builder, "subject", entry->subject);
	add_string(builder, "last_error", entry->last_error);
	add_time(builder, "created", entry->created_at);
	add_time(builder, "sent", entry->sent_at);
	json_builder_end_object(builder);
}

static void
add_key(JsonBuilder *builder, const struct store_key *key,
	const char *provider_id)
{
	json_builder_begin_object(builder);
	add_string(builder, "address", key->address);
	add_string(builder, "fingerprint", key->fingerprint);
	add_string(builder, "state", key->state);
	add_string(builder, "source", key->source);
	add_time(builder, "first_seen", key->first_seen);
	add_time(builder, "last_seen", key->last_seen);
	add_string(builder, "kind",
		   provider_id != NULL ? "provider" : "requester");
	add_string(builder, "provider", provider_id);
	json_builder_end_object(builder);
}

void
export_json_key(JsonBuilder *builder, const struct store_key *key)
{
	add_key(builder, key, NULL);
}

void
export_json_provider_key(JsonBuilder *builder, const struct store_key *key,
			 const char *provider_id)
{
	add_key(builder, key, provider_id);
}

char *
export_json_to_string(JsonBuilder *builder)
{
	g_autoptr(JsonGenerator) generator = json_generator_new();
	g_autoptr(JsonNode) root = json_builder_get_root(builder);
	g_autofree char *text = NULL;

	json_generator_set_pretty(generator, TRUE);
	json_generator_set_indent(generator, 2);
	json_generator_set_indent_char(generator, ' ');
	json_generator_set_root(generator, root);
	text = json_generator_to_data(generator, NULL);
	return g_strconcat(text, "\n", NULL);
}
