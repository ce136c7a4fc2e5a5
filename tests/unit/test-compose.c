/* test-compose.c — outgoing mail built with GMime. */
#include "compose.h"

#include <string.h>

#include "classify.h"

static const struct compose_request base_request = {
	.from_name = "CERT Intake",
	.from_addr = "cert@example.test",
	.to_name = "Reporter",
	.to_addr = "req1@example.test",
	.subject = "[CERT-2026-0042] Received: ransomware",
	.body = "Dear reporter,\n\nWe received your report.\n",
	.message_id = "case.2026-0042.17.abc@example.test",
	.in_reply_to = "orig-1@hospital.test",
	.auto_submitted = "auto-replied",
	.language = "en",
	.loop_value = "cert@example.test",
};

/* Composes and serialises request; returns the bytes as a string. */
static char *
compose_to_string(const struct compose_request *request)
{
	g_autoptr(GError) error = NULL;
	GMimeMessage *message = compose_message(request, &error);
	GBytes *bytes;
	char *text;
	gsize len;

	g_assert_no_error(error);
	g_assert_nonnull(message);
	bytes = compose_serialize(message);
	g_object_unref(message);
	text = g_strndup(g_bytes_get_data(bytes, &len),
			 g_bytes_get_size(bytes));
	g_assert_cmpuint(strlen(text), ==, len);
	g_bytes_unref(bytes);
	return text;
}

static GMimeMessage *
parse(const char *text)
{
	GMimeStream *stream =
		g_mime_stream_mem_new_with_buffer(text, strlen(text));
	GMimeParser *parser = g_mime_parser_new_with_stream(stream);
	GMimeMessage *message = g_mime_parser_construct_message(parser, NULL);

	g_object_unref(parser);
	g_object_unref(stream);
	g_assert_nonnull(message);
	return message;
}

/* The header block: everything before the first empty line. */
static char *
header_block(const char *text)
{
	const char *end = strstr(text, "\r\n\r\n");

	g_assert_nonnull(end);
	return g_strndup(text, end - text + 2);
}

static void
assert_crlf_only(const char *text)
{
	for (const char *p = text; *p != '\0'; p++) {
		if (*p == '\n')
			g_assert_true(p > text && p[-1] == '\r');
		if (*p == '\r')
			g_assert_true(p[1] == '\n');
	}
}

static void
assert_7bit(const char *text)
{
	for (const char *p = text; *p != '\0'; p++)
		g_assert_cmpint((unsigned char)*p, <, 0x80);
}

/* Number of header fields named name (unfolded lines starting name:). */
static int
count_headers(const char *headers, const char *name)
{
	g_autofree char *needle = g_strdup_printf("\r\n%s:", name);
	g_autofree char *block = g_strconcat("\r\n", headers, NULL);
	int n = 0;

	for (const char *p = block; (p = strstr(p, needle)) != NULL; p++)
		n++;
	return n;
}

static void
test_round_trip(void)
{
	g_autofree char *text = NULL;
	g_autofree char *headers = NULL;
	GMimeMessage *message;
	InternetAddressList *list;
	g_autofree char *from = NULL;
	g_autofree char *to = NULL;
	GMimeObject *body;
	g_autofree char *content = NULL;

	text = compose_to_string(&base_request);
	assert_crlf_only(text);
	assert_7bit(text);
	headers = header_block(text);
	g_assert_nonnull(strstr(headers, "MIME-Version: 1.0\r\n"));
	g_assert_nonnull(
		strstr(headers, "In-Reply-To: <orig-1@hospital.test>\r\n"));
	g_assert_nonnull(strstr(headers, "Auto-Submitted: auto-replied\r\n"));
	g_assert_nonnull(strstr(headers, "Content-Language: en\r\n"));
	g_assert_nonnull(strstr(headers, CLASSIFY_LOOP_HEADER
				": cert@example.test\r\n"));
	g_assert_null(strstr(text, "format=flowed"));
	g_assert_cmpint(count_headers(headers, "Date"), ==, 1);

	message = parse(text);
	g_assert_cmpstr(g_mime_message_get_subject(message), ==,
			base_request.subject);
	g_assert_cmpstr(g_mime_message_get_message_id(message), ==,
			base_request.message_id);
	list = g_mime_message_get_from(message);
	from = internet_address_list_to_string(list, NULL, FALSE);
	g_assert_cmpstr(from, ==, "CERT Intake <cert@example.test>");
	list = g_mime_message_get_to(message);
	to = internet_address_list_to_string(list, NULL, FALSE);
	g_assert_cmpstr(to, ==, "Reporter <req1@example.test>");
	g_assert_nonnull(g_mime_message_get_date(message));

	body = g_mime_message_get_mime_part(message);
	g_assert_true(GMIME_IS_TEXT_PART(body));
	g_assert_cmpstr(
		g_mime_object_get_content_type_parameter(body, "charset"), ==,
		"utf-8");
	content = g_mime_text_part_get_text(GMIME_TEXT_PART(body));
	/* CRLF on the wire; the parser keeps it. */
	g_assert_cmpstr(content, ==,
			"Dear reporter,\r\n\r\nWe received your report.\r\n");
	g_object_unref(message);
}

static void
test_non_ascii(void)
{
	struct compose_request request = base_request;
	g_autofree char *text = NULL;
	g_autofree char *headers = NULL;
	g_autofree char *from = NULL;
	g_autofree char *body = NULL;
	GMimeMessage *message;
	GMimeObject *part;
	const char *encoding;

	request.from_name = "CERT Meldpunt ‘Zorg’ — Ünïcode";
	request.to_name = "José Müller, Dr.";
	request.subject = "Ontvangen: beveiligingsincident bij ziekenhuis "
			  "Sint-Jozef — vertrouwelijk € 5";
	request.body = "Geachte melder,\n\nwij hebben uw melding ontvangen "
		       "(€, é, ü).\n";
	text = compose_to_string(&request);
	assert_crlf_only(text);
	assert_7bit(text);
	headers = header_block(text);
	/* RFC 2047 encoded words, no raw UTF-8 anywhere. */
	g_assert_nonnull(strstr(headers, "Subject: "));
	g_assert_nonnull(strstr(headers, "=?"));
	g_assert_nonnull(strstr(headers, "?="));
	/* Every encoded word is UTF-8, never GMime's "smallest" charset. */
	if (g_regex_match_simple("=\\?(?!utf-8\\?)[^?]+\\?[bq]\\?", headers,
				 G_REGEX_CASELESS, 0))
		g_error("encoded word not in UTF-8: %s", headers);

	message = parse(text);
	g_assert_cmpstr(g_mime_message_get_subject(message), ==,
			request.subject);
	from = internet_address_list_to_string(g_mime_message_get_from(message),
					       NULL, FALSE);
	g_assert_true(g_str_has_prefix(from, "CERT Meldpunt"));
	g_assert_cmpstr(
		internet_address_get_name(internet_address_list_get_address(
			g_mime_message_get_from(message), 0)),
		==, request.from_name);
	g_assert_cmpstr(
		internet_address_get_name(internet_address_list_get_address(
			g_mime_message_get_to(message), 0)),
		==, request.to_name);
	part = g_mime_message_get_mime_part(message);
	encoding = g_mime_object_get_header(part, "Content-Transfer-Encoding");
	g_assert_nonnull(encoding);
	g_assert_true(g_ascii_strcasecmp(encoding, "quoted-printable") == 0 ||
		      g_ascii_strcasecmp(encoding, "base64") == 0);
	body = g_mime_text_part_get_text(GMIME_TEXT_PART(part));
	g_assert_nonnull(strstr(body, "(€, é, ü)"));
	g_object_unref(message);
}

static void
test_references_folding(void)
{
	struct compose_request request = base_request;
	g_autoptr(GPtrArray) refs = g_ptr_array_new_with_free_func(g_free);
	g_autofree char *text = NULL;
	g_autofree char *headers = NULL;
	GMimeReferences *parsed;
	GMimeMessage *message;
	char **lines;

	for (int i = 0; i < 30; i++)
		g_ptr_array_add(refs,
				g_strdup_printf("ref-%02d.%s@hospital-%d.test",
						i, "0123456789abcdef", i));
	request.references = refs;
	text = compose_to_string(&request);
	assert_crlf_only(text);
	headers = header_block(text);
	g_assert_cmpint(count_headers(headers, "References"), ==, 1);
	/* Folded: no header line longer than 78 characters plus CRLF. */
	lines = g_strsplit(headers, "\r\n", -1);
	for (char **line = lines; *line != NULL; line++)
		g_assert_cmpuint(strlen(*line), <=, 78);
	g_strfreev(lines);

	message = parse(text);
	parsed = g_mime_references_parse(
		NULL,
		g_mime_object_get_header(GMIME_OBJECT(message), "References"));
	g_assert_cmpint(g_mime_references_length(parsed), ==, 30);
	for (int i = 0; i < 30; i++)
		g_assert_cmpstr(g_mime_references_get_message_id(parsed, i), ==,
				refs->pdata[i]);
	g_mime_references_free(parsed);
	g_object_unref(message);
}

struct reject_case {
	const char *what;
	size_t offset; /* field of struct compose_request, a const char * */
	const char *value;
	const char *field_in_error;
};

#define FIELD(name) offsetof(struct compose_request, name)

static const struct reject_case reject_cases[] = {
	{"CRLF in subject", FIELD(subject), "Hi\r\nBcc: evil@attacker.test",
	 "Subject"},
	{"LF in subject", FIELD(subject), "Hi\nBcc: evil@attacker.test",
	 "Subject"},
	{"CR in subject", FIELD(subject), "Hi\rBcc: evil@attacker.test",
	 "Subject"},
	{"LF in display name", FIELD(to_name), "Eve\nBcc: evil@attacker.test",
	 "To"},
	{"LF in from name", FIELD(from_name), "CERT\r\nX-Evil: 1", "From"},
	{"two recipients", FIELD(to_addr),
	 "req1@example.test, evil@attacker.test", "To"},
	{"group", FIELD(to_addr), "undisclosed: evil@attacker.test;", "To"},
	{"name in address", FIELD(to_addr), "Eve <evil@attacker.test>", "To"},
	{"no domain", FIELD(to_addr), "req1", "To"},
	{"empty address", FIELD(to_addr), "", "To"},
	{"LF in address", FIELD(to_addr), "req1@example.test\nBcc: x@y.test",
	 "To"},
	{"bad from", FIELD(from_addr), "cert@@example.test", "From"},
	{"message id with brackets", FIELD(message_id), "<a@b>", "Message-ID"},
	{"message id with LF", FIELD(message_id), "a@b\nX-Evil: 1",
	 "Message-ID"},
	{"in-reply-to with space", FIELD(in_reply_to), "a@b c@d",
	 "In-Reply-To"},
	{"LF in loop header", FIELD(loop_value), "x\nBcc: y@z.test",
	 CLASSIFY_LOOP_HEADER},
	{"LF in language", FIELD(language), "en\nBcc: y@z.test",
	 "Content-Language"},
	{"LF in auto-submitted", FIELD(auto_submitted), "no\r\nBcc: y@z.test",
	 "Auto-Submitted"},
	{"invalid UTF-8 subject", FIELD(subject), "caf\xe9", "Subject"},
	{"invalid UTF-8 body", FIELD(body), "caf\xe9", "body"},
};

static void
test_reject(void)
{
	for (gsize i = 0; i < G_N_ELEMENTS(reject_cases); i++) {
		const struct reject_case *c = &reject_cases[i];
		struct compose_request request = base_request;
		g_autoptr(GError) error = NULL;
		GMimeMessage *message;

		*(const char **)((char *)&request + c->offset) = c->value;
		message = compose_message(&request, &error);
		if (message != NULL)
			g_error("%s: accepted", c->what);
		g_assert_nonnull(error);
		if (!g_str_has_prefix(error->message, c->field_in_error))
			g_error("%s: error \"%s\" does not name %s", c->what,
				error->message, c->field_in_error);
	}
}

static void
test_reject_references(void)
{
	struct compose_request request = base_request;
	g_autoptr(GPtrArray) refs = g_ptr_array_new();
	g_autoptr(GError) error = NULL;

	g_ptr_array_add(refs, (gpointer) "good@example.test");
	g_ptr_array_add(refs, (gpointer) "bad@example.test>\r\nBcc: <x@y");
	request.references = refs;
	g_assert_null(compose_message(&request, &error));
	g_assert_true(g_str_has_prefix(error->message, "References"));
}

/* Hostile text that is allowed (no line break) must stay inside its one
 * header: quotes, angle brackets and colons in display names and
 * subjects are quoted or encoded by GMime. */
static void
test_injection_stays_inside(void)
{
	struct compose_request request = base_request;
	g_autofree char *text = NULL;
	g_autofree char *headers = NULL;
	GMimeMessage *message;
	InternetAddressList *to;
	InternetAddressList *bcc;

	request.to_name = "Eve\" <evil@attacker.test>, \"Bcc: x@y.test";
	request.subject = "Bcc: evil@attacker.test =?utf-8?q?x?= \t tab";
	text = compose_to_string(&request);
	headers = header_block(text);
	g_assert_cmpint(count_headers(headers, "Bcc"), ==, 0);
	g_assert_cmpint(count_headers(headers, "To"), ==, 1);
	message = parse(text);
	to = g_mime_message_get_to(message);
	g_assert_cmpint(internet_address_list_length(to), ==, 1);
	g_assert_cmpstr(
		internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(
			internet_address_list_get_address(to, 0))),
		==, "req1@example.test");
	bcc = g_mime_message_get_bcc(message);
	g_assert_true(bcc == NULL || internet_address_list_length(bcc) == 0);
	g_object_unref(message);
}

static void
test_body_line_ends(void)
{
	struct compose_request request = base_request;
	g_autofree char *text = NULL;

	request.body = "one\r\ntwo\rthree\nfour\n.\n.dot\n";
	text = compose_to_string(&request);
	assert_crlf_only(text);
	g_assert_nonnull(strstr(text, "one\r\ntwo\r\nthree\r\nfour\r\n"));
}

static void
test_optional_fields(void)
{
	struct compose_request request = base_request;
	g_autofree char *text = NULL;
	g_autofree char *headers = NULL;
	g_autoptr(GDateTime) date = g_date_time_new_utc(2026, 3, 1, 12, 0, 0);

	request.to_name = NULL;
	request.in_reply_to = NULL;
	request.auto_submitted = NULL;
	request.language = NULL;
	request.date = date;
	text = compose_to_string(&request);
	headers = header_block(text);
	g_assert_nonnull(strstr(headers, "To: req1@example.test\r\n"));
	g_assert_nonnull(strstr(headers, "Date: Sun, 01 Mar 2026 12:00:00 "));
	g_assert_cmpint(count_headers(headers, "In-Reply-To"), ==, 0);
	g_assert_cmpint(count_headers(headers, "References"), ==, 0);
	g_assert_cmpint(count_headers(headers, "Auto-Submitted"), ==, 0);
	g_assert_cmpint(count_headers(headers, "Content-Language"), ==, 0);
}

int
main(int argc, char **argv)
{
	int rc;

	g_mime_init();
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/compose/round-trip", test_round_trip);
	g_test_add_func("/compose/non-ascii", test_non_ascii);
	g_test_add_func("/compose/references-folding", test_references_folding);
	g_test_add_func("/compose/reject", test_reject);
	g_test_add_func("/compose/reject-references", test_reject_references);
	g_test_add_func("/compose/injection-stays-inside",
			test_injection_stays_inside);
	g_test_add_func("/compose/body-line-ends", test_body_line_ends);
	g_test_add_func("/compose/optional-fields", test_optional_fields);
	rc = g_test_run();
	g_mime_shutdown();
	return rc;
}
