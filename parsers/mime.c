/* mime.c — raw RFC 5322 bytes to a GMime tree, a summary and body text.
 *
 * GMime parses; we add what it lacks for untrusted mail: limits checked on
 * the raw bytes before parsing and on the tree after, header values decoded
 * by our own rfc2047 (GMime 3.2.13 #133), body bytes converted by our own
 * charset code (GMime returns invalid UTF-8 for missing or wrong labels)
 * and base64 decoded by GLib (GMime 3.2.13 truncates base64 with padding
 * in the middle, upstream #150). */
#include <string.h>

#include <nettle/sha2.h>

#include "charset.h"
#include "html.h"
#include "mime.h"
#include "rfc2047.h"

/* Used when a field of struct mime_limits is 0; the same as the shipped
 * configuration. */
#define DEFAULT_MAX_HEADER_BYTES 262144
#define DEFAULT_MAX_DEPTH	 32
#define DEFAULT_MAX_PARTS	 500

/* mime_body_text never returns more than this, nor walks deeper. */
#define MAX_BODY_TEXT_BYTES (1024 * 1024)
#define MAX_BODY_DEPTH	    64

G_DEFINE_QUARK(mime - parse - error - quark, mime_parse_error)

/* Finds the end of the header: *header_len gets the bytes before the empty
 * line, *body_offset the first byte after it (len when there is none).
 * Looks at no more than limit + 2 bytes; FALSE when the header is longer
 * than limit. */
static gboolean
header_end(const guint8 *data, gsize len, gsize limit, gsize *header_len,
	   gsize *body_offset)
{
	gsize scan = len;
	gsize line = 0; /* start of the current line */

	if (limit < G_MAXSIZE - 2 && scan > limit + 2)
		scan = limit + 2;
	while (line < scan) {
		const guint8 *newline;

		/* At a line start: is this line empty? */
		if (data[line] == '\n') {
			*header_len = line;
			*body_offset = line + 1;
			return line <= limit;
		}
		if (data[line] == '\r' && len - line >= 2 &&
		    data[line + 1] == '\n') {
			*header_len = line;
			*body_offset = line + 2;
			return line <= limit;
		}
		newline = memchr(data + line, '\n', scan - line);
		if (newline == NULL)
			break;
		line = (gsize)(newline - data) + 1;
	}
	if (scan < len)
		return FALSE;
	*header_len = len;
	*body_offset = len;
	return len <= limit;
}

/* TRUE when the header starts with a field ("Name:"); mbox's "From "
 * separator line is allowed before it. */
static gboolean
header_looks_valid(const guint8 *data, gsize header_len)
{
	gsize i = 0;

	if (header_len >= 5 && memcmp(data, "From ", 5) == 0) {
		const guint8 *nl = memchr(data, '\n', header_len);

		if (nl == NULL)
			return FALSE;
		i = nl - data + 1;
	}
	for (gsize start = i; i < header_len; i++) {
		if (data[i] == ':')
			return i > start;
		/* RFC 5322 field names are printable ASCII without ':';
		 * tolerate blanks before the colon ("Subject :"). */
		if (data[i] == ' ' || data[i] == '\t') {
			if (i == start)
				return FALSE;
			continue;
		}
		if (data[i] < 33 || data[i] > 126)
			return FALSE;
	}
	return FALSE;
}

struct walk_item {
	GMimeObject *object;
	guint depth;
};

/* Checks nesting depth and part count without recursion. */
static gboolean
check_tree(GMimeMessage *message, guint max_depth, guint max_parts,
	   GError **error)
{
	g_autoptr(GArray) stack =
		g_array_new(FALSE, FALSE, sizeof(struct walk_item));
	struct walk_item root = {g_mime_message_get_mime_part(message), 0};
	guint parts = 0;

	if (root.object != NULL)
		g_array_append_val(stack, root);
	while (stack->len > 0) {
		struct walk_item item =
			g_array_index(stack, struct walk_item, stack->len - 1);

		g_array_set_size(stack, stack->len - 1);
		if (item.depth > max_depth) {
			g_set_error(error, MIME_PARSE_ERROR,
				    MIME_PARSE_ERROR_LIMIT,
				    "MIME nesting depth %u exceeds limit %u",
				    item.depth, max_depth);
			return FALSE;
		}
		if (++parts > max_parts) {
			g_set_error(
				error, MIME_PARSE_ERROR, MIME_PARSE_ERROR_LIMIT,
				"MIME part count exceeds limit %u", max_parts);
			return FALSE;
		}
		if (GMIME_IS_MULTIPART(item.object)) {
			GMimeMultipart *multipart =
				GMIME_MULTIPART(item.object);
			int n = g_mime_multipart_get_count(multipart);

			for (int i = n - 1; i >= 0; i--) {
				struct walk_item child = {
					g_mime_multipart_get_part(multipart, i),
					item.depth + 1};
				g_array_append_val(stack, child);
			}
		} else if (GMIME_IS_MESSAGE_PART(item.object)) {
			GMimeMessage *inner = g_mime_message_part_get_message(
				GMIME_MESSAGE_PART(item.object));
			GMimeObject *body =
				inner ? g_mime_message_get_mime_part(inner)
				      : NULL;

			if (body != NULL) {
				struct walk_item child = {body, item.depth + 1};
				g_array_append_val(stack, child);
			}
		}
	}
	return TRUE;
}

GMimeMessage *
mime_parse(const guint8 *data, gsize len, const struct mime_limits *limits,
	   GError **error)
{
	static const char *fallback_charsets[] = {"utf-8", "windows-1252",
						  NULL};
	gsize max_header = DEFAULT_MAX_HEADER_BYTES;
	guint max_depth = DEFAULT_MAX_DEPTH;
	guint max_parts = DEFAULT_MAX_PARTS;
	gsize header_len = 0;
	gsize body_offset = 0;
	GMimeStream *stream;
	GMimeParser *parser;
	GMimeParserOptions *options;
	GMimeMessage *message;

	if (limits != NULL) {
		if (limits->max_header_bytes > 0)
			max_header = limits->max_header_bytes;
		if (limits->max_depth > 0)
			max_depth = limits->max_depth;
		if (limits->max_parts > 0)
			max_parts = limits->max_parts;
	}
	if (data == NULL || len == 0) {
		g_set_error(error, MIME_PARSE_ERROR, MIME_PARSE_ERROR_MALFORMED,
			    "empty message");
		return NULL;
	}
	if (!header_end(data, len, max_header, &header_len, &body_offset)) {
		g_set_error(error, MIME_PARSE_ERROR, MIME_PARSE_ERROR_LIMIT,
			    "message header exceeds limit of %" G_GSIZE_FORMAT
			    " bytes",
			    max_header);
		return NULL;
	}
	if (!header_looks_valid(data, header_len)) {
		g_set_error(error, MIME_PARSE_ERROR, MIME_PARSE_ERROR_MALFORMED,
			    "no message header (first line is not a header "
			    "field)");
		return NULL;
	}
	/* The mem stream copies the bytes; without persistence GMime
	 * keeps no reference to the stream after parsing. */
	stream = g_mime_stream_mem_new_with_buffer((const char *)data, len);
	parser = g_mime_parser_new_with_stream(stream);
	g_mime_parser_set_persist_stream(parser, FALSE);
	if (header_len >= 5 && memcmp(data, "From ", 5) == 0)
		g_mime_parser_set_format(parser, GMIME_FORMAT_MBOX);
	options = g_mime_parser_options_new();
	g_mime_parser_options_set_fallback_charsets(options, fallback_charsets);
	message = g_mime_parser_construct_message(parser, options);
	g_mime_parser_options_free(options);
	g_object_unref(parser);
	g_object_unref(stream);
	if (message == NULL) {
		g_set_error(error, MIME_PARSE_ERROR, MIME_PARSE_ERROR_MALFORMED,
			    "GMime could not parse the message");
		return NULL;
	}
	if (!check_tree(message, max_depth, max_parts, error)) {
		g_object_unref(message);
		return NULL;
	}
	return message;
}

/* Returns the raw (undecoded, folded) value of header name in headers
 * (may be NULL), or NULL. */
static const char *
raw_header(GMimeHeaderList *headers, const char *name)
{
	GMimeHeader *header;

	if (headers == NULL)
		return NULL;
	header = g_mime_header_list_get_header(headers, name);
	if (header == NULL)
		return NULL;
	return g_mime_header_get_raw_value(header);
}

/* Returns s as valid UTF-8 with surrounding blanks trimmed; NULL for
 * NULL.  Caller frees. */
static char *
clean_string(const char *s)
{
	const char *end;

	if (s == NULL)
		return NULL;
	if (!g_utf8_validate(s, -1, NULL))
		return g_strstrip(g_utf8_make_valid(s, -1));
	/* Valid already: g_strstrip()'s trim without a second copy. */
	while (g_ascii_isspace(*s))
		s++;
	end = s + strlen(s);
	while (end > s && g_ascii_isspace(end[-1]))
		end--;
	return g_strndup(s, end - s);
}

/* Returns the decoded header value, trimmed, or NULL when absent.  Caller
 * frees. */
static char *
decoded_header(GMimeHeaderList *headers, const char *name)
{
	const char *raw = raw_header(headers, name);

	if (raw == NULL)
		return NULL;
	return g_strstrip(rfc2047_decode(raw));
}

/* Returns the first mailbox of list, or NULL (groups are searched). */
static InternetAddressMailbox *
first_mailbox(InternetAddressList *list)
{
	if (list == NULL)
		return NULL;
	for (int i = 0; i < internet_address_list_length(list); i++) {
		InternetAddress *address =
			internet_address_list_get_address(list, i);

		if (INTERNET_ADDRESS_IS_MAILBOX(address))
			return INTERNET_ADDRESS_MAILBOX(address);
		if (INTERNET_ADDRESS_IS_GROUP(address)) {
			InternetAddressMailbox *inner = first_mailbox(
				internet_address_group_get_members(
					INTERNET_ADDRESS_GROUP(address)));

			if (inner != NULL)
				return inner;
		}
	}
	return NULL;
}

/* Returns the lower-cased addr-spec of the first mailbox, or NULL.  Caller
 * frees. */
static char *
first_address(InternetAddressList *list)
{
	InternetAddressMailbox *mailbox = first_mailbox(list);
	const char *addr;
	g_autofree char *valid = NULL;

	if (mailbox == NULL)
		return NULL;
	addr = internet_address_mailbox_get_addr(mailbox);
	if (addr == NULL || *addr == '\0')
		return NULL;
	valid = clean_string(addr);
	return charset_utf8_strdown(valid, -1);
}

/* Returns the display name of the first mailbox in a raw address header,
 * decoded by rfc2047_decode, or NULL.  "Name <addr>" and the old
 * "addr (Name)" forms are understood.  Caller frees. */
static char *
raw_display_name(const char *raw)
{
	const char *value = raw;
	g_autoptr(GString) name = NULL;
	gboolean quoted = FALSE;
	int comment = 0;
	const char *angle = NULL;
	const char *start;
	g_autofree char *decoded = NULL;

	if (raw == NULL)
		return NULL;
	name = g_string_sized_new(strlen(raw) + 1);
	/* Find the first '<' outside quotes and comments. */
	start = value;
	for (const char *p = value; *p && angle == NULL; p++) {
		if (*p == '\\' && p[1] != '\0' && (quoted || comment > 0)) {
			p++;
		} else if (comment > 0) {
			if (*p == '(')
				comment++;
			else if (*p == ')')
				comment--;
		} else if (*p == '"') {
			quoted = !quoted;
		} else if (!quoted && *p == '(') {
			comment++;
		} else if (!quoted && (*p == ',' || *p == ':')) {
			/* After an earlier mailbox or a group name. */
			start = p + 1;
		} else if (!quoted && *p == '<') {
			angle = p;
		}
	}
	if (angle != NULL) {
		/* Strip quotes and backslash escapes from the phrase. */
		for (const char *p = start; p < angle; p++) {
			if (*p == '\\' && p + 1 < angle)
				g_string_append_c(name, *++p);
			else if (*p != '"')
				g_string_append_c(name, *p);
		}
	} else {
		const char *open = strchr(value, '(');
		const char *close = open ? strrchr(open, ')') : NULL;

		if (close == NULL)
			return NULL;
		g_string_append_len(name, open + 1, close - open - 1);
	}
	decoded = g_strstrip(rfc2047_decode(name->str));
	if (*decoded == '\0')
		return NULL;
	return g_steal_pointer(&decoded);
}

/* The message ids of an In-Reply-To or References header, without <>,
 * in order.  Our own scan rather than g_mime_references_parse(): GMime
 * 3.2 stops at the first id without "@" and at a comma, and then loses
 * every id after it, among them possibly our token.  Each <...> is an
 * id; a header without any <> (a sloppy client) is split at blanks and
 * commas.  At most MAX_REFERENCES ids.  Returns a new array of char*. */
#define MAX_REFERENCES 100
static GPtrArray *
reference_ids(const char *raw)
{
	GPtrArray *ids = g_ptr_array_new_with_free_func(g_free);
	const char *p = raw;

	if (raw == NULL)
		return ids;
	if (strchr(raw, '<') == NULL) {
		g_auto(GStrv) words = g_strsplit_set(raw, " \t\r\n,", -1);

		for (guint i = 0; words[i] != NULL && ids->len < MAX_REFERENCES;
		     i++)
			if (words[i][0] != '\0')
				g_ptr_array_add(ids, clean_string(words[i]));
		return ids;
	}
	while (ids->len < MAX_REFERENCES && (p = strchr(p, '<')) != NULL) {
		const char *end = strchr(p + 1, '>');
		const char *again = strchr(p + 1, '<');
		char *id;

		if (end == NULL)
			break;
		/* "<a <b@c>": the first "<" opened nothing. */
		if (again != NULL && again < end) {
			p = again;
			continue;
		}
		id = g_strndup(p + 1, end - p - 1);
		/* Folding white space inside an id is not part of it. */
		g_strdelimit(id, "\r\n\t", ' ');
		{
			char *clean = clean_string(id);

			if (clean[0] != '\0' && strchr(clean, ' ') == NULL)
				g_ptr_array_add(ids, clean);
			else
				g_free(clean);
		}
		g_free(id);
		p = end + 1;
	}
	return ids;
}

/* Returns the first message id of a raw header without <>, or NULL.
 * Caller frees. */
static char *
first_reference(const char *raw)
{
	g_autoptr(GPtrArray) ids = reference_ids(raw);

	return ids->len > 0 ? g_strdup(ids->pdata[0]) : NULL;
}

/* Returns the Return-Path addr-spec: "" for "<>", NULL when absent.
 * Caller frees. */
static char *
return_path(const char *raw)
{
	g_autofree char *value = NULL;
	char *open;
	char *close;

	if (raw == NULL)
		return NULL;
	value = g_strstrip(g_utf8_make_valid(raw, -1));
	open = strchr(value, '<');
	close = open ? strchr(open, '>') : NULL;
	if (open != NULL && close != NULL)
		return g_strstrip(g_strndup(open + 1, close - open - 1));
	return g_steal_pointer(&value);
}

/* Returns the SHA-256 of len bytes as lower-case hex, the string
 * g_compute_checksum_for_data() gives.  Nettle rather than GLib: its
 * SHA-NI and assembly code hashes a body several times faster than
 * GLib's portable C.  Caller frees. */
static char *
sha256_hex(const guint8 *data, gsize len)
{
	static const char hex[] = "0123456789abcdef";
	struct sha256_ctx context;
	guint8 digest[SHA256_DIGEST_SIZE];
	char *out = g_malloc(2 * SHA256_DIGEST_SIZE + 1);

	sha256_init(&context);
	/* An empty body may come as NULL, which nettle must not read. */
	if (len > 0)
		sha256_update(&context, len, data);
	sha256_digest(&context, sizeof(digest), digest);
	for (gsize i = 0; i < sizeof(digest); i++) {
		out[2 * i] = hex[digest[i] >> 4];
		out[2 * i + 1] = hex[digest[i] & 0x0f];
	}
	out[2 * SHA256_DIGEST_SIZE] = '\0';
	return out;
}

struct mime_summary *
mime_summary_new(GMimeMessage *message, const guint8 *data, gsize len)
{
	struct mime_summary *summary = g_new0(struct mime_summary, 1);
	GMimeHeaderList *headers =
		g_mime_object_get_header_list(GMIME_OBJECT(message));
	const char *raw_references = raw_header(headers, "References");
	GDateTime *date;
	gsize header_len = 0;
	gsize body_offset = 0;

	summary->message_id =
		clean_string(g_mime_message_get_message_id(message));
	if (summary->message_id != NULL && *summary->message_id == '\0')
		g_clear_pointer(&summary->message_id, g_free);
	summary->in_reply_to =
		first_reference(raw_header(headers, "In-Reply-To"));
	summary->references = reference_ids(raw_references);
	summary->from_addr = first_address(g_mime_message_get_from(message));
	summary->from_name = raw_display_name(raw_header(headers, "From"));
	summary->reply_to_addr =
		first_address(g_mime_message_get_reply_to(message));
	summary->subject = decoded_header(headers, "Subject");
	summary->return_path = return_path(raw_header(headers, "Return-Path"));
	date = raw_header(headers, "Date") != NULL
		       ? g_mime_message_get_date(message)
		       : NULL;
	summary->date = date != NULL ? g_date_time_ref(date) : NULL;
	if (data != NULL) {
		/* The body alone: the same report delivered twice with
		 * different Received headers hashes the same. */
		header_end(data, len, G_MAXSIZE, &header_len, &body_offset);
		summary->content_sha256 =
			sha256_hex(data + body_offset, len - body_offset);
	} else {
		summary->content_sha256 = sha256_hex(NULL, 0);
	}
	return summary;
}

void
mime_summary_free(struct mime_summary *summary)
{
	if (summary == NULL)
		return;
	g_free(summary->message_id);
	g_free(summary->in_reply_to);
	if (summary->references != NULL)
		g_ptr_array_unref(summary->references);
	g_free(summary->from_addr);
	g_free(summary->from_name);
	g_free(summary->reply_to_addr);
	g_free(summary->subject);
	g_free(summary->return_path);
	if (summary->date != NULL)
		g_date_time_unref(summary->date);
	g_free(summary->content_sha256);
	g_free(summary);
}

/* Appends the base64 text of len bytes to out, decoded with one state
 * across the whole part so that padding in the middle (chunked base64)
 * does not end it.  Characters outside the alphabet are skipped. */
static void
base64_decode_into(const guint8 *data, gsize len, GByteArray *out)
{
	gint state = 0;
	guint save = 0;
	gsize old = out->len;
	gsize n;

	g_byte_array_set_size(out, old + (len / 4 + 1) * 3);
	n = g_base64_decode_step((const char *)data, len, out->data + old,
				 &state, &save);
	g_byte_array_set_size(out, old + n);
}

/* Points *data and *len at the bytes a memory stream reads from its start
 * to its end, without copying; FALSE for other streams or odd bounds.
 * GMime's parser keeps each part's content in such a stream. */
static gboolean
stream_bytes(GMimeStream *stream, const guint8 **data, gsize *len)
{
	GByteArray *array;
	gint64 end;

	if (stream == NULL || !GMIME_IS_STREAM_MEM(stream))
		return FALSE;
	array = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(stream));
	if (array == NULL)
		return FALSE;
	end = stream->bound_end != -1 ? stream->bound_end : (gint64)array->len;
	if (stream->bound_start < 0 || end < stream->bound_start ||
	    end > (gint64)array->len)
		return FALSE;
	*len = (gsize)(end - stream->bound_start);
	/* An empty array may have no data at all. */
	*data = *len > 0 ? array->data + stream->bound_start : NULL;
	return TRUE;
}

/* Finds the part's content with the transfer encoding undone: *data and
 * *len point into GMime's buffer when there is nothing to undo, else into
 * *decoded (g_byte_array_unref), which is NULL otherwise.  GMime's own
 * memory streams are read in place: going through a GMimeStreamMem and a
 * GByteArray copied every body twice. */
static void
part_bytes(GMimePart *part, const guint8 **data, gsize *len,
	   GByteArray **decoded)
{
	GMimeDataWrapper *content = g_mime_part_get_content(part);
	GMimeContentEncoding encoding;
	GMimeStream *raw;
	GMimeStream *mem;

	*data = NULL;
	*len = 0;
	*decoded = NULL;
	if (content == NULL)
		return;
	encoding = g_mime_data_wrapper_get_encoding(content);
	raw = g_mime_data_wrapper_get_stream(content);
	if (encoding == GMIME_CONTENT_ENCODING_BASE64) {
		const guint8 *text = NULL;
		gsize text_len = 0;
		GMimeStream *copy = NULL;

		if (raw != NULL && !stream_bytes(raw, &text, &text_len)) {
			GByteArray *buffer;

			copy = g_mime_stream_mem_new();
			g_mime_stream_reset(raw);
			g_mime_stream_write_to_stream(raw, copy);
			g_mime_stream_reset(raw);
			buffer = g_mime_stream_mem_get_byte_array(
				GMIME_STREAM_MEM(copy));
			text = buffer->data;
			text_len = buffer->len;
		}
		*decoded = g_byte_array_new();
		base64_decode_into(text, text_len, *decoded);
		g_clear_object(&copy);
	} else if (encoding != GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE &&
		   encoding != GMIME_CONTENT_ENCODING_UUENCODE &&
		   stream_bytes(raw, data, len)) {
		return; /* 7bit, 8bit, binary: the bytes as they are */
	} else {
		/* GMime's filters decode quoted-printable and uuencode
		 * (and read any other kind of stream) into a buffer we
		 * keep. */
		mem = g_mime_stream_mem_new();
		g_mime_stream_mem_set_owner(GMIME_STREAM_MEM(mem), FALSE);
		g_mime_data_wrapper_write_to_stream(content, mem);
		*decoded =
			g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
		g_object_unref(mem);
	}
	*data = (*decoded)->data;
	*len = (*decoded)->len;
}

static gboolean
is_blank(const char *text)
{
	for (const char *p = text; *p; p = g_utf8_next_char(p)) {
		if (!g_unichar_isspace(g_utf8_get_char(p)))
			return FALSE;
	}
	return TRUE;
}

/* An attachment by disposition, or any part with a file name. */
static gboolean
is_attachment(GMimeObject *object)
{
	GMimeContentDisposition *disposition =
		g_mime_object_get_content_disposition(object);

	if (disposition != NULL &&
	    g_mime_content_disposition_is_attachment(disposition))
		return TRUE;
	return GMIME_IS_PART(object) &&
	       g_mime_part_get_filename(GMIME_PART(object)) != NULL;
}

/* Returns the text of a leaf part, or NULL when it holds none.  *is_html
 * says it came from HTML.  Caller frees. */
static char *
leaf_text(GMimePart *part, gboolean *is_html)
{
	GMimeObject *object = GMIME_OBJECT(part);
	GMimeContentType *type = g_mime_object_get_content_type(object);
	gboolean plain = g_mime_content_type_is_type(type, "text", "plain");
	gboolean html = g_mime_content_type_is_type(type, "text", "html");
	g_autoptr(GByteArray) decoded = NULL;
	g_autofree char *text = NULL;
	const guint8 *data;
	gsize len;

	if ((!plain && !html) || is_attachment(object))
		return NULL;
	part_bytes(part, &data, &len, &decoded);
	text = charset_to_utf8(
		(const char *)data, len,
		g_mime_object_get_content_type_parameter(object, "charset"));
	*is_html = html;
	if (html)
		return html_to_text(text, strlen(text));
	return g_steal_pointer(&text);
}

static char *object_text(GMimeObject *object, guint depth, gboolean *is_html);

/* multipart/alternative: the first non-blank text/plain, else the last
 * non-blank HTML (the richest), else whatever there is. */
static char *
alternative_text(GMimeMultipart *multipart, guint depth, gboolean *is_html)
{
	g_autofree char *plain = NULL;
	g_autofree char *html = NULL;
	g_autofree char *any = NULL;
	int n = g_mime_multipart_get_count(multipart);

	for (int i = 0; i < n; i++) {
		gboolean child_html = FALSE;
		char *text =
			object_text(g_mime_multipart_get_part(multipart, i),
				    depth + 1, &child_html);

		if (text == NULL)
			continue;
		if (is_blank(text)) {
			if (any == NULL)
				any = text;
			else
				g_free(text);
		} else if (!child_html && plain == NULL) {
			plain = text;
		} else if (child_html) {
			g_free(html);
			html = text;
		} else {
			g_free(text);
		}
	}
	if (plain != NULL) {
		*is_html = FALSE;
		return g_steal_pointer(&plain);
	}
	if (html != NULL) {
		*is_html = TRUE;
		return g_steal_pointer(&html);
	}
	*is_html = FALSE;
	return g_steal_pointer(&any);
}

/* mixed, related, signed and the rest: the inline texts in order. */
static char *
mixed_text(GMimeMultipart *multipart, guint depth, gboolean *is_html)
{
	g_autoptr(GString) out = g_string_new(NULL);
	gboolean found = FALSE;
	gboolean any_plain = FALSE;
	int n = g_mime_multipart_get_count(multipart);

	for (int i = 0; i < n && out->len < MAX_BODY_TEXT_BYTES; i++) {
		gboolean child_html = FALSE;
		g_autofree char *text =
			object_text(g_mime_multipart_get_part(multipart, i),
				    depth + 1, &child_html);

		if (text == NULL)
			continue;
		found = TRUE;
		if (is_blank(text))
			continue;
		if (!child_html)
			any_plain = TRUE;
		if (out->len > 0)
			g_string_append(out, "\n\n");
		g_string_append(out, text);
	}
	if (!found)
		return NULL;
	*is_html = !any_plain && out->len > 0;
	return g_string_free(g_steal_pointer(&out), FALSE);
}

/* Returns the text of object, or NULL when it holds none.  Caller frees. */
static char *
object_text(GMimeObject *object, guint depth, gboolean *is_html)
{
	*is_html = FALSE;
	if (object == NULL || depth > MAX_BODY_DEPTH)
		return NULL;
	/* Forwarded mail is read by a later stage, not as our text. */
	if (GMIME_IS_MESSAGE_PART(object))
		return NULL;
	if (GMIME_IS_MULTIPART_ENCRYPTED(object))
		return NULL;
	if (GMIME_IS_MULTIPART(object)) {
		GMimeContentType *type = g_mime_object_get_content_type(object);

		if (g_mime_content_type_is_type(type, "multipart",
						"alternative"))
			return alternative_text(GMIME_MULTIPART(object), depth,
						is_html);
		return mixed_text(GMIME_MULTIPART(object), depth, is_html);
	}
	if (GMIME_IS_PART(object))
		return leaf_text(GMIME_PART(object), is_html);
	return NULL;
}

char *
mime_body_text(GMimeObject *root)
{
	gboolean is_html = FALSE;
	char *text;

	if (root != NULL && GMIME_IS_MESSAGE(root))
		root = g_mime_message_get_mime_part(GMIME_MESSAGE(root));
	text = object_text(root, 0, &is_html);
	if (text == NULL)
		return g_strdup("");
	if (strlen(text) > MAX_BODY_TEXT_BYTES) {
		/* Cut at a character boundary. */
		char *cut = g_utf8_find_prev_char(
			text, text + MAX_BODY_TEXT_BYTES + 1);

		*cut = '\0';
	}
	return text;
}
