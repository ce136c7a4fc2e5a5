/* compose.c — build outgoing mail with GMime.
 *
 * Every header goes through GMime's setters, which encode non-ASCII text
 * as RFC 2047, quote display names and fold long values.  The values are
 * checked here as well (no CR or LF, valid UTF-8, one mailbox per address
 * field) although templates already sanitise them: a reply must never be
 * able to grow a header its author did not write. */
#include "compose.h"

#include <string.h>

#include "classify.h"

#define COMPOSE_ERROR (compose_error_quark())
enum { COMPOSE_ERROR_INVALID };

static GQuark
compose_error_quark(void)
{
	return g_quark_from_static_string("intaked-compose-error");
}

/* A header value must be one line of UTF-8; GMime folds it itself. */
static gboolean
check_line(const char *field, const char *value, GError **error)
{
	if (!g_utf8_validate(value, -1, NULL)) {
		g_set_error(error, COMPOSE_ERROR, COMPOSE_ERROR_INVALID,
			    "%s: not valid UTF-8", field);
		return FALSE;
	}
	if (strpbrk(value, "\r\n") != NULL) {
		g_set_error(error, COMPOSE_ERROR, COMPOSE_ERROR_INVALID,
			    "%s: contains a line break", field);
		return FALSE;
	}
	return TRUE;
}

/* A message id without <>: non-empty, printable ASCII, no spaces, no angle
 * brackets, so "<" id ">" is exactly one msg-id token. */
static gboolean
check_message_id(const char *field, const char *id, GError **error)
{
	const char *at = strchr(id, '@');

	for (const char *p = id; *p != '\0'; p++) {
		if (*p <= ' ' || *p >= 0x7f || *p == '<' || *p == '>' ||
		    *p == '"' || *p == '\\' || *p == ',') {
			g_set_error(error, COMPOSE_ERROR, COMPOSE_ERROR_INVALID,
				    "%s: \"%s\" is not a bare message id",
				    field, g_str_is_ascii(id) ? id : "?");
			return FALSE;
		}
	}
	if (at == NULL || at == id || at[1] == '\0' ||
	    strchr(at + 1, '@') != NULL) {
		g_set_error(error, COMPOSE_ERROR, COMPOSE_ERROR_INVALID,
			    "%s: \"%s\" is not a bare message id", field, id);
		return FALSE;
	}
	return TRUE;
}

gboolean
compose_message_id_valid(const char *id)
{
	return id != NULL && check_message_id("Message-ID", id, NULL);
}

/* Parses addr with GMime and insists on exactly one plain mailbox whose
 * address is addr itself: "a@b, c@d", "Name <a@b>" or a group would
 * otherwise put more (or other) recipients into the header than the
 * envelope.  Returns the parsed address (caller frees) or NULL. */
static char *
parse_mailbox(const char *field, const char *addr, GError **error)
{
	InternetAddressList *list;
	InternetAddress *address;
	char *result = NULL;

	if (addr == NULL || *addr == '\0') {
		g_set_error(error, COMPOSE_ERROR, COMPOSE_ERROR_INVALID,
			    "%s: address missing", field);
		return NULL;
	}
	if (!check_line(field, addr, error))
		return NULL;
	list = internet_address_list_parse(NULL, addr);
	if (list != NULL && internet_address_list_length(list) == 1) {
		address = internet_address_list_get_address(list, 0);
		if (INTERNET_ADDRESS_IS_MAILBOX(address)) {
			const char *parsed = internet_address_mailbox_get_addr(
				INTERNET_ADDRESS_MAILBOX(address));
			const char *at = strchr(parsed, '@');

			if (strcmp(parsed, addr) == 0 && at != NULL &&
			    at != parsed && at[1] != '\0')
				result = g_strdup(parsed);
		}
	}
	if (list != NULL)
		g_object_unref(list);
	if (result == NULL)
		g_set_error(error, COMPOSE_ERROR, COMPOSE_ERROR_INVALID,
			    "%s: \"%s\" is not exactly one mailbox address",
			    field, addr);
	return result;
}

static gboolean
add_mailbox(GMimeMessage *message, GMimeAddressType type, const char *field,
	    const char *name, const char *addr, GError **error)
{
	g_autofree char *parsed = parse_mailbox(field, addr, error);
	InternetAddressList *list;

	if (parsed == NULL)
		return FALSE;
	if (name != NULL && !check_line(field, name, error))
		return FALSE;
	g_mime_message_add_mailbox(message, type,
				   name != NULL && *name != '\0' ? name : NULL,
				   parsed);
	/* Left alone, GMime encodes each name in the smallest charset that
	 * holds it (windows-1251 for an em dash); UTF-8 is what every
	 * reader decodes. */
	list = g_mime_message_get_addresses(message, type);
	internet_address_set_charset(
		internet_address_list_get_address(
			list, internet_address_list_length(list) - 1),
		"utf-8");
	return TRUE;
}

/* References as one value "<a> <b> ..."; GMime folds it between ids. */
static char *
references_value(GPtrArray *references, GError **error)
{
	GString *value = g_string_new(NULL);

	for (guint i = 0; i < references->len; i++) {
		const char *id = references->pdata[i];

		if (!check_message_id("References", id, error)) {
			g_string_free(value, TRUE);
			return NULL;
		}
		g_string_append_printf(value, "%s<%s>", i > 0 ? " " : "", id);
	}
	return g_string_free(value, FALSE);
}

/* The body as a text/plain part in UTF-8.  The content is handed over
 * as-is rather than through g_mime_text_part_set_text(), which may
 * convert to another charset (iso-8859-1 for Latin text); GMime then
 * picks the transfer encoding (7bit, quoted-printable or base64) for
 * the 7-bit constraint of SMTP without 8BITMIME. */
static GMimeTextPart *
body_part(const char *body)
{
	GMimeTextPart *part = g_mime_text_part_new_with_subtype("plain");
	GString *text = g_string_sized_new(strlen(body) + 1);
	GMimeStream *stream;
	GMimeDataWrapper *content;

	/* CR LF and lone CR become LF: the serialiser turns every LF into
	 * CR LF, so the sent body has no bare CR. */
	for (const char *p = body; *p != '\0'; p++) {
		if (*p == '\r') {
			g_string_append_c(text, '\n');
			if (p[1] == '\n')
				p++;
		} else {
			g_string_append_c(text, *p);
		}
	}
	stream = g_mime_stream_mem_new_with_buffer(text->str, text->len);
	g_string_free(text, TRUE);
	content = g_mime_data_wrapper_new_with_stream(
		stream, GMIME_CONTENT_ENCODING_DEFAULT);
	g_object_unref(stream);
	g_mime_part_set_content(GMIME_PART(part), content);
	g_object_unref(content);
	g_mime_text_part_set_charset(part, "utf-8");
	g_mime_part_set_content_encoding(
		GMIME_PART(part),
		g_mime_part_get_best_content_encoding(
			GMIME_PART(part), GMIME_ENCODING_CONSTRAINT_7BIT));
	return part;
}

static gboolean
check_request(const struct compose_request *request, GError **error)
{
	const struct {
		const char *field;
		const char *value;
	} lines[] = {
		{"Subject", request->subject},
		{"Auto-Submitted", request->auto_submitted},
		{"Content-Language", request->language},
		{CLASSIFY_LOOP_HEADER, request->loop_value},
	};

	for (gsize i = 0; i < G_N_ELEMENTS(lines); i++)
		if (lines[i].value != NULL &&
		    !check_line(lines[i].field, lines[i].value, error))
			return FALSE;
	if (request->subject == NULL) {
		g_set_error(error, COMPOSE_ERROR, COMPOSE_ERROR_INVALID,
			    "Subject: missing");
		return FALSE;
	}
	if (request->body == NULL ||
	    !g_utf8_validate(request->body, -1, NULL)) {
		g_set_error(error, COMPOSE_ERROR, COMPOSE_ERROR_INVALID,
			    "body: missing or not valid UTF-8");
		return FALSE;
	}
	if (request->message_id == NULL) {
		g_set_error(error, COMPOSE_ERROR, COMPOSE_ERROR_INVALID,
			    "Message-ID: missing");
		return FALSE;
	}
	if (!check_message_id("Message-ID", request->message_id, error))
		return FALSE;
	if (request->in_reply_to != NULL &&
	    !check_message_id("In-Reply-To", request->in_reply_to, error))
		return FALSE;
	return TRUE;
}

GMimeMessage *
compose_message(const struct compose_request *request, GError **error)
{
	g_autofree char *references = NULL;
	g_autofree char *in_reply_to = NULL;
	GMimeMessage *message;
	GMimeTextPart *part;
	GMimeObject *object;

	if (!check_request(request, error))
		return NULL;
	if (request->references != NULL && request->references->len > 0) {
		references = references_value(request->references, error);
		if (references == NULL)
			return NULL;
	}

	message = g_mime_message_new(TRUE);
	object = GMIME_OBJECT(message);
	if (!add_mailbox(message, GMIME_ADDRESS_TYPE_FROM, "From",
			 request->from_name, request->from_addr, error) ||
	    !add_mailbox(message, GMIME_ADDRESS_TYPE_TO, "To", request->to_name,
			 request->to_addr, error)) {
		g_object_unref(message);
		return NULL;
	}
	g_mime_message_set_subject(message, request->subject, "utf-8");
	if (request->date != NULL) {
		g_mime_message_set_date(message, request->date);
	} else {
		g_autoptr(GDateTime) now = g_date_time_new_now_local();

		g_mime_message_set_date(message, now);
	}
	g_mime_message_set_message_id(message, request->message_id);
	if (request->in_reply_to != NULL) {
		in_reply_to = g_strdup_printf("<%s>", request->in_reply_to);
		g_mime_object_set_header(object, "In-Reply-To", in_reply_to,
					 NULL);
	}
	if (references != NULL)
		g_mime_object_set_header(object, "References", references,
					 NULL);
	if (request->auto_submitted != NULL)
		g_mime_object_set_header(object, "Auto-Submitted",
					 request->auto_submitted, NULL);
	if (request->loop_value != NULL)
		g_mime_object_set_header(object, CLASSIFY_LOOP_HEADER,
					 request->loop_value, "utf-8");
	if (request->language != NULL)
		g_mime_object_set_header(object, "Content-Language",
					 request->language, NULL);

	part = body_part(request->body);
	g_mime_message_set_mime_part(message, GMIME_OBJECT(part));
	g_object_unref(part);
	return message;
}

GBytes *
compose_serialize(GMimeMessage *message)
{
	GMimeFormatOptions *options = g_mime_format_options_new();
	GMimeStream *stream = g_mime_stream_mem_new();
	GByteArray *array;
	GBytes *bytes;

	g_mime_object_encode(GMIME_OBJECT(message),
			     GMIME_ENCODING_CONSTRAINT_7BIT);
	g_mime_format_options_set_newline_format(options,
						 GMIME_NEWLINE_FORMAT_DOS);
	g_mime_object_write_to_stream(GMIME_OBJECT(message), options, stream);
	array = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(stream));
	bytes = g_bytes_new(array->data, array->len);
	g_object_unref(stream);
	g_mime_format_options_free(options);
	return bytes;
}
