/* test-export-json.c — the JSON shapes of intakectl, built from hand-made
 * store structs and parsed back.  These keys are a documented contract
 * (docs/json.md): a failure here means scripts of CERT staff break. */
#include <json-glib/json-glib.h>

#include "export-json.h"

/* 2026-11-22T13:05:09Z */
#define T0 G_GINT64_CONSTANT(1795352709)

static struct store_case sample_case = {
	.id = (char *)"2026-0042",
	.state = (char *)"open",
	.language = (char *)"nl",
	.requester_addr = (char *)"jan@ziekenhuis.example",
	.requester_name = (char *)"Jan de Vries",
	.subject = (char *)"Ransomware op afdeling \xc3\xa9\x1b[31m",
	.created_at = T0,
	.updated_at = T0 + 60,
};

static GPtrArray *
sample_fields(void)
{
	GPtrArray *fields = g_ptr_array_new_with_free_func(g_free);
	struct store_field *f = g_new0(struct store_field, 1);

	f->field = (char *)"hospital";
	f->value = (char *)"Ziekenhuis Oost";
	f->source = (char *)"parser";
	f->confidence = 0.75;
	f->message = 17;
	f->excerpt = (char *)"wij zijn Ziekenhuis Oost";
	f->updated_at = T0;
	g_ptr_array_add(fields, f);
	f = g_new0(struct store_field, 1);
	f->field = (char *)"phone";
	f->source = (char *)"staff";
	f->confidence = 1.0;
	f->updated_at = T0 + 5;
	g_ptr_array_add(fields, f);
	return fields;
}

/* Renders with fn and parses the text back, checking it is valid JSON. */
static JsonNode *
round_trip(JsonBuilder *builder)
{
	g_autofree char *text = export_json_to_string(builder);
	g_autoptr(JsonParser) parser = json_parser_new();
	g_autoptr(GError) error = NULL;

	g_assert_true(g_str_has_suffix(text, "}\n") ||
		      g_str_has_suffix(text, "]\n"));
	g_assert_true(g_utf8_validate(text, -1, NULL));
	g_assert_true(json_parser_load_from_data(parser, text, -1, &error));
	g_assert_no_error(error);
	return json_node_copy(json_parser_get_root(parser));
}

static void
assert_keys(JsonObject *object, const char *const *keys)
{
	guint n = 0;

	for (; keys[n] != NULL; n++)
		if (!json_object_has_member(object, keys[n]))
			g_error("missing key \"%s\"", keys[n]);
	g_assert_cmpuint(json_object_get_size(object), ==, n);
}

static void
assert_null(JsonObject *object, const char *key)
{
	g_assert_true(json_object_has_member(object, key));
	g_assert_true(json_object_get_null_member(object, key));
}

static void
test_time(void)
{
	g_autofree char *t = export_json_time(T0);

	g_assert_cmpstr(t, ==, "2026-11-22T13:05:09Z");
	g_assert_null(export_json_time(0));
}

static void
check_case_members(JsonObject *o)
{
	JsonObject *requester, *fields, *hospital, *phone;

	g_assert_cmpstr(json_object_get_string_member(o, "id"), ==,
			"2026-0042");
	g_assert_cmpstr(json_object_get_string_member(o, "state"), ==, "open");
	g_assert_cmpstr(json_object_get_string_member(o, "language"), ==, "nl");
	/* Control characters survive as JSON escapes, not raw bytes. */
	g_assert_cmpstr(json_object_get_string_member(o, "subject"), ==,
			sample_case.subject);
	g_assert_cmpstr(json_object_get_string_member(o, "created"), ==,
			"2026-11-22T13:05:09Z");
	g_assert_cmpstr(json_object_get_string_member(o, "updated"), ==,
			"2026-11-22T13:06:09Z");

	requester = json_object_get_object_member(o, "requester");
	assert_keys(requester, (const char *const[]){"address", "name", NULL});
	g_assert_cmpstr(json_object_get_string_member(requester, "address"), ==,
			"jan@ziekenhuis.example");
	g_assert_cmpstr(json_object_get_string_member(requester, "name"), ==,
			"Jan de Vries");

	fields = json_object_get_object_member(o, "fields");
	g_assert_cmpuint(json_object_get_size(fields), ==, 2);
	hospital = json_object_get_object_member(fields, "hospital");
	assert_keys(hospital, (const char *const[]){
				      "value", "source", "confidence",
				      "message", "excerpt", "updated", NULL});
	g_assert_cmpstr(json_object_get_string_member(hospital, "value"), ==,
			"Ziekenhuis Oost");
	g_assert_cmpstr(json_object_get_string_member(hospital, "source"), ==,
			"parser");
	g_assert_cmpfloat(json_object_get_double_member(hospital, "confidence"),
			  ==, 0.75);
	g_assert_cmpint(json_object_get_int_member(hospital, "message"), ==,
			17);
	g_assert_cmpstr(json_object_get_string_member(hospital, "updated"), ==,
			"2026-11-22T13:05:09Z");
	phone = json_object_get_object_member(fields, "phone");
	assert_null(phone, "value");
	assert_null(phone, "message");
	assert_null(phone, "excerpt");
}

static void
test_case(void)
{
	g_autoptr(JsonBuilder) builder = json_builder_new();
	g_autoptr(GPtrArray) fields = sample_fields();
	g_autoptr(JsonNode) root = NULL;
	JsonObject *o;

	/* As `cases --json` does: an array of case objects. */
	json_builder_begin_array(builder);
	export_json_case(builder, &sample_case, fields);
	json_builder_end_array(builder);
	root = round_trip(builder);
	g_assert_true(JSON_NODE_HOLDS_ARRAY(root));
	g_assert_cmpuint(json_array_get_length(json_node_get_array(root)), ==,
			 1);
	o = json_array_get_object_element(json_node_get_array(root), 0);
	assert_keys(o, (const char *const[]){"id", "state", "language",
					     "requester", "subject", "created",
					     "updated", "fields", NULL});
	check_case_members(o);
}

static void
test_case_empty(void)
{
	struct store_case bare = {
		.id = (char *)"2026-0001",
		.state = (char *)"open",
		.language = (char *)"en",
		.requester_addr = (char *)"a@b.example",
		.created_at = T0,
		.updated_at = T0,
	};
	g_autoptr(JsonBuilder) builder = json_builder_new();
	g_autoptr(JsonNode) root = NULL;
	JsonObject *o;

	export_json_case_detail(builder, &bare, NULL, NULL, NULL, NULL);
	root = round_trip(builder);
	o = json_node_get_object(root);
	assert_null(o, "subject");
	assert_null(json_object_get_object_member(o, "requester"), "name");
	g_assert_cmpuint(json_object_get_size(
				 json_object_get_object_member(o, "fields")),
			 ==, 0);
	g_assert_cmpuint(json_array_get_length(
				 json_object_get_array_member(o, "messages")),
			 ==, 0);
	g_assert_cmpuint(json_array_get_length(
				 json_object_get_array_member(o, "events")),
			 ==, 0);
}

static const char *const message_keys[] = {
	"direction", "id",    "message_id", "from",   "to", "subject",
	"kind",	     "state", "time",	    "crypto", NULL,
};

static void
test_case_detail(void)
{
	g_autoptr(JsonBuilder) builder = json_builder_new();
	g_autoptr(GPtrArray) fields = sample_fields();
	g_autoptr(GPtrArray) in = g_ptr_array_new();
	g_autoptr(GPtrArray) out = g_ptr_array_new();
	g_autoptr(GPtrArray) events = g_ptr_array_new();
	g_autoptr(JsonNode) root = NULL;
	struct store_message report = {
		.id = 17,
		.message_id = (char *)"abc@mail.example",
		.from_addr = (char *)"jan@ziekenhuis.example",
		.subject = (char *)"Ransomware",
		.kind = (char *)"report",
		.state = (char *)"processed",
		.received_at = T0,
		.crypto = (char *)"{\"encrypted\":true,\"decrypted\":true,"
				  "\"signature\":\"valid\"}",
	};
	struct store_message reply = {
		.id = 19,
		.message_id = (char *)"def@mail.example",
		.from_addr = (char *)"jan@ziekenhuis.example",
		.subject = (char *)"Re: [CERT-2026-0042] Ransomware",
		.kind = (char *)"reply",
		.state = (char *)"processed",
		/* same second: the ack of 17 still goes before it */
		.received_at = T0,
	};
	struct store_outbox ack = {
		.id = 3,
		.case_id = (char *)"2026-0042",
		.kind = (char *)"ack",
		.in_reply_to = 17,
		.message_id = (char *)"intaked.2026-0042.3.TOKEN@cert.example",
		.mail_from = (char *)"cert@cert.example",
		.rcpt_to = (char *)"jan@ziekenhuis.example",
		.subject = (char *)"[CERT-2026-0042] Ransomware",
		.state = (char *)"sent",
		.created_at = T0, /* same second as the report */
		.sent_at = T0 + 1,
	};
	struct store_event created = {
		.at = T0,
		.type = (char *)"created",
		.message = 17,
	};
	struct store_event queued = {
		.at = T0,
		.type = (char *)"message_out",
		.outbox = 3,
		.detail = (char *)"ack",
	};
	JsonObject *o, *m;
	JsonArray *messages, *timeline;

	g_ptr_array_add(in, &report);
	g_ptr_array_add(in, &reply);
	g_ptr_array_add(out, &ack);
	g_ptr_array_add(events, &created);
	g_ptr_array_add(events, &queued);
	export_json_case_detail(builder, &sample_case, fields, in, out, events);
	root = round_trip(builder);
	o = json_node_get_object(root);
	assert_keys(o, (const char *const[]){"id", "state", "language",
					     "requester", "subject", "created",
					     "updated", "fields", "messages",
					     "events", NULL});
	check_case_members(o);

	/* in 17, out 3 (answering 17), in 19: all in the same second */
	messages = json_object_get_array_member(o, "messages");
	g_assert_cmpuint(json_array_get_length(messages), ==, 3);
	m = json_array_get_object_element(messages, 0);
	assert_keys(m, message_keys);
	g_assert_cmpstr(json_object_get_string_member(m, "direction"), ==,
			"in");
	g_assert_cmpint(json_object_get_int_member(m, "id"), ==, 17);
	g_assert_cmpstr(json_object_get_string_member(m, "kind"), ==, "report");
	g_assert_cmpstr(json_object_get_string_member(m, "from"), ==,
			"jan@ziekenhuis.example");
	g_assert_cmpstr(json_object_get_string_member(m, "message_id"), ==,
			"abc@mail.example");
	g_assert_cmpstr(json_object_get_string_member(m, "time"), ==,
			"2026-11-22T13:05:09Z");
	assert_null(m, "to");
	{
		JsonObject *crypto = json_object_get_object_member(m, "crypto");

		g_assert_nonnull(crypto);
		g_assert_true(
			json_object_get_boolean_member(crypto, "decrypted"));
		g_assert_cmpstr(
			json_object_get_string_member(crypto, "signature"), ==,
			"valid");
	}
	m = json_array_get_object_element(messages, 1);
	assert_null(m, "crypto");
	assert_keys(m, message_keys);
	g_assert_cmpstr(json_object_get_string_member(m, "direction"), ==,
			"out");
	g_assert_cmpint(json_object_get_int_member(m, "id"), ==, 3);
	g_assert_cmpstr(json_object_get_string_member(m, "kind"), ==, "ack");
	g_assert_cmpstr(json_object_get_string_member(m, "state"), ==, "sent");
	g_assert_cmpstr(json_object_get_string_member(m, "from"), ==,
			"cert@cert.example");
	g_assert_cmpstr(json_object_get_string_member(m, "to"), ==,
			"jan@ziekenhuis.example");
	m = json_array_get_object_element(messages, 2);
	g_assert_cmpstr(json_object_get_string_member(m, "kind"), ==, "reply");
	g_assert_cmpint(json_object_get_int_member(m, "id"), ==, 19);

	timeline = json_object_get_array_member(o, "events");
	g_assert_cmpuint(json_array_get_length(timeline), ==, 2);
	m = json_array_get_object_element(timeline, 0);
	assert_keys(m, (const char *const[]){"time", "type", "message",
					     "outbox", "detail", NULL});
	g_assert_cmpstr(json_object_get_string_member(m, "type"), ==,
			"created");
	g_assert_cmpint(json_object_get_int_member(m, "message"), ==, 17);
	assert_null(m, "outbox");
	assert_null(m, "detail");
	m = json_array_get_object_element(timeline, 1);
	g_assert_cmpint(json_object_get_int_member(m, "outbox"), ==, 3);
	assert_null(m, "message");
	g_assert_cmpstr(json_object_get_string_member(m, "detail"), ==, "ack");
}

static void
test_outbox(void)
{
	struct store_outbox queued = {
		.id = 4,
		.case_id = (char *)"2026-0042",
		.kind = (char *)"ack",
		.message_id = (char *)"intaked.2026-0042.4.T@cert.example",
		.mail_from = (char *)"cert@cert.example",
		.rcpt_to = (char *)"jan@ziekenhuis.example",
		.subject = (char *)"[CERT-2026-0042] Ransomware",
		.state = (char *)"queued",
		.attempts = 2,
		.next_attempt_at = T0 + 300,
		.last_error = (char *)"451 4.3.0 try again later",
		.created_at = T0,
	};
	struct store_outbox note = {
		.id = 5,
		.kind = (char *)"quarantine_notice",
		.message_id = (char *)"intaked.none.5.T@cert.example",
		.mail_from = (char *)"cert@cert.example",
		.rcpt_to = (char *)"staff@cert.example",
		.state = (char *)"sent",
		.attempts = 1,
		.next_attempt_at = T0,
		.created_at = T0,
		.sent_at = T0 + 2,
	};
	g_autoptr(JsonBuilder) builder = json_builder_new();
	g_autoptr(JsonNode) root = NULL;
	JsonArray *array;
	JsonObject *o;

	json_builder_begin_array(builder);
	export_json_outbox(builder, &queued);
	export_json_outbox(builder, &note);
	json_builder_end_array(builder);
	root = round_trip(builder);
	array = json_node_get_array(root);
	g_assert_cmpuint(json_array_get_length(array), ==, 2);

	o = json_array_get_object_element(array, 0);
	assert_keys(o, (const char *const[]){
			       "id", "case", "kind", "state", "attempts",
			       "next_attempt", "message_id", "to", "subject",
			       "last_error", "created", "sent", NULL});
	g_assert_cmpint(json_object_get_int_member(o, "id"), ==, 4);
	g_assert_cmpstr(json_object_get_string_member(o, "case"), ==,
			"2026-0042");
	g_assert_cmpint(json_object_get_int_member(o, "attempts"), ==, 2);
	g_assert_cmpstr(json_object_get_string_member(o, "next_attempt"), ==,
			"2026-11-22T13:10:09Z");
	g_assert_cmpstr(json_object_get_string_member(o, "last_error"), ==,
			"451 4.3.0 try again later");
	assert_null(o, "sent");

	o = json_array_get_object_element(array, 1);
	assert_null(o, "case");
	assert_null(o, "subject");
	assert_null(o, "next_attempt"); /* stale once sent */
	g_assert_cmpstr(json_object_get_string_member(o, "sent"), ==,
			"2026-11-22T13:05:11Z");
}

/* Invalid UTF-8 from a bad row must not make the document invalid. */
static void
test_invalid_utf8(void)
{
	struct store_case bad = sample_case;
	g_autoptr(JsonBuilder) builder = json_builder_new();
	g_autoptr(JsonNode) root = NULL;
	const char *subject;

	bad.subject = (char *)"caf\xe9 \xff";
	export_json_case(builder, &bad, NULL);
	root = round_trip(builder);
	subject = json_object_get_string_member(json_node_get_object(root),
						"subject");
	g_assert_true(g_utf8_validate(subject, -1, NULL));
	g_assert_true(g_str_has_prefix(subject, "caf"));
}

static void
test_case_conversation(void)
{
	g_autoptr(JsonBuilder) builder = json_builder_new();
	g_autoptr(JsonNode) root = NULL;
	g_autoptr(GPtrArray) rounds = g_ptr_array_new();
	g_autoptr(GPtrArray) questions = g_ptr_array_new();
	static const char *const missing[] = {"care_impact", NULL};
	struct store_question phone = {
		.number = 1,
		.field = (char *)"contact_phone",
		.question = (char *)"On which phone number?",
		.required = TRUE,
	};
	struct store_round ack = {
		.case_id = (char *)"2026-0042",
		.round = 1,
		.outbox = 3,
		.kind = (char *)"ack",
		.asked_at = T0,
		.questions = questions,
	};
	JsonObject *o, *r, *q;
	JsonArray *list;

	g_ptr_array_add(questions, &phone);
	g_ptr_array_add(rounds, &ack);
	export_json_case_conversation(builder, &sample_case, NULL, NULL, NULL,
				      NULL, rounds, missing, NULL);
	root = round_trip(builder);
	o = json_node_get_object(root);
	assert_keys(o,
		    (const char *const[]){"id", "state", "language",
					  "requester", "subject", "created",
					  "updated", "fields", "messages",
					  "events", "rounds", "missing", NULL});
	list = json_object_get_array_member(o, "rounds");
	g_assert_cmpuint(json_array_get_length(list), ==, 1);
	r = json_array_get_object_element(list, 0);
	assert_keys(r, (const char *const[]){"round", "kind", "outbox", "asked",
					     "questions", NULL});
	g_assert_cmpint(json_object_get_int_member(r, "round"), ==, 1);
	g_assert_cmpint(json_object_get_int_member(r, "outbox"), ==, 3);
	q = json_array_get_object_element(
		json_object_get_array_member(r, "questions"), 0);
	assert_keys(q, (const char *const[]){"number", "field", "question",
					     "required", NULL});
	g_assert_cmpstr(json_object_get_string_member(q, "field"), ==,
			"contact_phone");
	g_assert_true(json_object_get_boolean_member(q, "required"));
	list = json_object_get_array_member(o, "missing");
	g_assert_cmpstr(json_array_get_string_element(list, 0), ==,
			"care_impact");
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/export-json/time", test_time);
	g_test_add_func("/export-json/case", test_case);
	g_test_add_func("/export-json/case-empty", test_case_empty);
	g_test_add_func("/export-json/case-detail", test_case_detail);
	g_test_add_func("/export-json/case-conversation",
			test_case_conversation);
	g_test_add_func("/export-json/outbox", test_outbox);
	g_test_add_func("/export-json/invalid-utf8", test_invalid_utf8);
	return g_test_run();
}
