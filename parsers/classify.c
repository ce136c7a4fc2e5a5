/* classify.c — must this message never be answered, and why.
 *
 * The rules run in a fixed order and the first that matches decides:
 * own mail, bounce, auto-reply, list, spam, else normal.  Each rule has a
 * static reason string naming the header or structure that decided, for
 * the log and the timeline.
 *
 * Decisions worth knowing (see also classify_auto_reply()):
 * - The loop header counts whatever its value: only intaked adds it, and a
 *   copy of our mail coming back from outside is still our loop.
 * - X-Auto-Response-Suppress counts only with All, OOF or AutoReply: those
 *   are what Exchange puts on its own out-of-office replies, NDRs and
 *   receipts.  DR, NDR, RN and NRN alone only ask for no receipts, which
 *   ordinary client mail may do.
 * - Subject phrases decide alone only when they are unambiguous and
 *   followed by a colon at the very start of the subject ("Automatic
 *   reply:", "Out of Office:", "Automatisch antwoord:", "Réponse
 *   automatique :", "Automatische Antwort:", "Abwesenheitsnotiz:").  Words a
 *   person could start a subject with ("Absence", "Afwezig", "Abwesend",
 *   "Auto:") do not; "AUTO:" counts only with "out of (the) office"
 *   (Lotus Notes).  "Re: Automatic reply: ..." is a person answering an
 *   auto-reply and stays normal.
 * - Feedback-ID is not a list signal: transactional senders (password
 *   resets, ticket systems) set it too.
 * - The structure walk does not descend into attached messages, so a
 *   person forwarding a bounce or a list mail as an attachment stays
 *   normal. */
#include "classify.h"

#include <string.h>

/* Limits on the walk over untrusted structure: GMime itself allows 1024
 * levels, far more than any real bounce or receipt has. */
#define CLASSIFY_MAX_DEPTH 32
#define CLASSIFY_MAX_PARTS 256
/* Parts larger than this (encoded) are not read for ids or actions. */
#define CLASSIFY_MAX_SCAN (1024 * 1024)
/* Longest Message-ID taken from a bounce (RFC 5322 line limit). */
#define CLASSIFY_MAX_ID 998

static const char *
header(GMimeMessage *message, const char *name)
{
	return g_mime_object_get_header(GMIME_OBJECT(message), name);
}

/* The first word of a header value, ending at a blank, ';' parameters or
 * a '(' comment ("auto-replied (vacation)"), lowercased; NULL when the
 * header is absent.  Caller frees. */
static char *
header_word(GMimeMessage *message, const char *name)
{
	const char *value = header(message, name);
	gsize len;

	if (value == NULL)
		return NULL;
	while (g_ascii_isspace(*value))
		value++;
	len = strcspn(value, " \t\r\n;(");
	return g_ascii_strdown(value, (gssize)len);
}

/* TRUE when value starts with word (case-insensitive) followed by the end
 * or a non-alphanumeric byte: "Yes, score=7.1" starts with "yes". */
static gboolean
starts_with_word(const char *value, const char *word)
{
	gsize len = strlen(word);

	while (g_ascii_isspace(*value))
		value++;
	return g_ascii_strncasecmp(value, word, len) == 0 &&
	       !g_ascii_isalnum(value[len]);
}

/* ---- structure walk ---- */

/* Every part of the MIME tree, parents before children, without going
 * into attached messages; bounded in depth and count. */
static void
collect_parts(GMimeObject *object, guint depth, GPtrArray *parts)
{
	if (object == NULL || parts->len >= CLASSIFY_MAX_PARTS)
		return;
	g_ptr_array_add(parts, object);
	if (!GMIME_IS_MULTIPART(object) || depth >= CLASSIFY_MAX_DEPTH)
		return;
	for (int i = 0; i < g_mime_multipart_get_count(GMIME_MULTIPART(object));
	     i++)
		collect_parts(
			g_mime_multipart_get_part(GMIME_MULTIPART(object), i),
			depth + 1, parts);
}

static gboolean
is_type(GMimeObject *object, const char *type, const char *subtype)
{
	GMimeContentType *ct = g_mime_object_get_content_type(object);

	return ct != NULL && g_mime_content_type_is_type(ct, type, subtype);
}

/* The report-type of the first multipart/report, lowercased, or NULL.
 * Caller frees. */
static char *
report_type(GPtrArray *parts)
{
	for (guint i = 0; i < parts->len; i++) {
		GMimeObject *object = g_ptr_array_index(parts, i);
		const char *type;

		if (!is_type(object, "multipart", "report"))
			continue;
		type = g_mime_content_type_get_parameter(
			g_mime_object_get_content_type(object), "report-type");
		return type != NULL ? g_ascii_strdown(type, -1) : NULL;
	}
	return NULL;
}

static GMimeObject *
find_part(GPtrArray *parts, const char *type, const char *subtype)
{
	for (guint i = 0; i < parts->len; i++)
		if (is_type(g_ptr_array_index(parts, i), type, subtype))
			return g_ptr_array_index(parts, i);
	return NULL;
}

/* The decoded content of a leaf part as a NUL-terminated string, or NULL
 * when it is not a leaf or too large.  Caller frees. */
static char *
part_content(GMimeObject *object)
{
	GMimeDataWrapper *wrapper;
	GMimeStream *source, *sink;
	GByteArray *bytes;
	gint64 length;
	char *text;

	if (!GMIME_IS_PART(object))
		return NULL;
	wrapper = g_mime_part_get_content(GMIME_PART(object));
	if (wrapper == NULL)
		return NULL;
	source = g_mime_data_wrapper_get_stream(wrapper);
	length = source != NULL ? g_mime_stream_length(source) : -1;
	if (length < 0 || length > CLASSIFY_MAX_SCAN)
		return NULL;
	sink = g_mime_stream_mem_new();
	if (g_mime_data_wrapper_write_to_stream(wrapper, sink) < 0) {
		g_object_unref(sink);
		return NULL;
	}
	bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(sink));
	text = g_strndup((const char *)bytes->data, bytes->len);
	g_object_unref(sink);
	return text;
}

/* ---- bounces ---- */

/* The Message-ID on a "Message-ID:" line of text, without <>.  With
 * anywhere, the line may be indented or quoted ("> Message-ID: <x>"), as
 * in the human-readable part of a bounce.  Caller frees. */
static char *
message_id_in_text(const char *text, gboolean anywhere)
{
	static const char key[] = "message-id:";
	const char *line = text;

	while (line != NULL && *line != '\0') {
		const char *p = line, *end, *open, *close;
		const char *next = strchr(line, '\n');

		line = next != NULL ? next + 1 : NULL;
		while (anywhere && (*p == ' ' || *p == '\t' || *p == '>'))
			p++;
		if (g_ascii_strncasecmp(p, key, sizeof(key) - 1) != 0)
			continue;
		p += sizeof(key) - 1;
		end = next != NULL ? next : p + strlen(p);
		/* A folded header: the value is on the next line. */
		if (next != NULL && (next[1] == ' ' || next[1] == '\t')) {
			const char *after = strchr(next + 1, '\n');

			end = after != NULL ? after : next + strlen(next);
		}
		open = memchr(p, '<', (gsize)(end - p));
		if (open == NULL)
			continue;
		close = memchr(open, '>', (gsize)(end - open));
		if (close == NULL || close - open - 1 <= 0 ||
		    close - open - 1 > CLASSIFY_MAX_ID ||
		    memchr(open + 1, '@', (gsize)(close - open - 1)) == NULL)
			continue;
		{
			g_autofree char *id =
				g_strndup(open + 1, (gsize)(close - open - 1));

			if (strpbrk(id, " \t\r\n<") != NULL)
				continue;
			return g_steal_pointer(&id);
		}
	}
	return NULL;
}

/* The Message-ID of the mail that bounced: from the returned headers or
 * message first, then from any text part. */
static char *
bounced_message_id(GPtrArray *parts)
{
	for (guint i = 0; i < parts->len; i++) {
		GMimeObject *object = g_ptr_array_index(parts, i);
		g_autofree char *content = NULL;
		char *id;

		if (GMIME_IS_MESSAGE_PART(object)) {
			GMimeMessage *returned =
				g_mime_message_part_get_message(
					GMIME_MESSAGE_PART(object));
			const char *found =
				returned != NULL
					? g_mime_message_get_message_id(
						  returned)
					: NULL;

			if (found != NULL && *found != '\0' &&
			    strlen(found) <= CLASSIFY_MAX_ID)
				return g_strdup(found);
			continue;
		}
		if (!is_type(object, "text", "rfc822-headers") &&
		    !is_type(object, "message", "global-headers") &&
		    !is_type(object, "message", "rfc822-headers"))
			continue;
		content = part_content(object);
		id = content != NULL ? message_id_in_text(content, FALSE)
				     : NULL;
		if (id != NULL)
			return id;
	}
	for (guint i = 0; i < parts->len; i++) {
		GMimeObject *object = g_ptr_array_index(parts, i);
		g_autofree char *content = NULL;
		char *id;

		if (!is_type(object, "text", "*"))
			continue;
		content = part_content(object);
		id = content != NULL ? message_id_in_text(content, TRUE) : NULL;
		if (id != NULL)
			return id;
	}
	return NULL;
}

/* "failed" when any recipient failed (Action: failed or Status 5.x.x),
 * else "delayed" when any was delayed (Action: delayed or 4.x.x); a bounce
 * without a readable delivery-status counts as failed. */
static const char *
bounce_action(GPtrArray *parts)
{
	GMimeObject *status = find_part(parts, "message", "delivery-status");
	g_autofree char *content = NULL;
	g_auto(GStrv) lines = NULL;
	gboolean delayed = FALSE;

	if (status == NULL)
		status = find_part(parts, "message", "global-delivery-status");
	if (status == NULL || (content = part_content(status)) == NULL)
		return "failed";
	lines = g_strsplit(content, "\n", -1);
	for (guint i = 0; lines[i] != NULL; i++) {
		const char *value;

		if (g_ascii_strncasecmp(lines[i], "action:", 7) == 0) {
			value = lines[i] + 7;
			if (starts_with_word(value, "failed"))
				return "failed";
			if (starts_with_word(value, "delayed"))
				delayed = TRUE;
		} else if (g_ascii_strncasecmp(lines[i], "status:", 7) == 0) {
			value = lines[i] + 7;
			while (*value == ' ' || *value == '\t')
				value++;
			if (value[0] == '5' && value[1] == '.')
				return "failed";
			if (value[0] == '4' && value[1] == '.')
				delayed = TRUE;
		}
	}
	return delayed ? "delayed" : "failed";
}

/* The local part of the first From mailbox, lowercased, or NULL.  Caller
 * frees. */
static char *
from_local_part(GMimeMessage *message)
{
	InternetAddressList *from = g_mime_message_get_from(message);
	const char *addr, *at;

	for (int i = 0; from != NULL && i < internet_address_list_length(from);
	     i++) {
		InternetAddress *address =
			internet_address_list_get_address(from, i);

		if (!INTERNET_ADDRESS_IS_MAILBOX(address))
			continue;
		addr = internet_address_mailbox_get_addr(
			INTERNET_ADDRESS_MAILBOX(address));
		if (addr == NULL)
			continue;
		at = strrchr(addr, '@');
		return g_ascii_strdown(addr, at != NULL ? at - addr : -1);
	}
	return NULL;
}

/* TRUE when Return-Path is "<>" (blanks allowed inside). */
static gboolean
return_path_is_null(GMimeMessage *message)
{
	const char *value = header(message, "Return-Path");

	if (value == NULL)
		return FALSE;
	while (g_ascii_isspace(*value))
		value++;
	if (*value++ != '<')
		return FALSE;
	while (g_ascii_isspace(*value))
		value++;
	if (*value++ != '>')
		return FALSE;
	while (g_ascii_isspace(*value))
		value++;
	return *value == '\0';
}

static const char *
classify_bounce(GMimeMessage *message, GPtrArray *parts)
{
	g_autofree char *report = report_type(parts);
	g_autofree char *local = NULL;

	if (g_strcmp0(report, "delivery-status") == 0)
		return "multipart/report;delivery-status";
	if (find_part(parts, "message", "delivery-status") != NULL ||
	    find_part(parts, "message", "global-delivery-status") != NULL)
		return "message/delivery-status";
	/* Exim puts this on its bounces and nowhere else. */
	if (header(message, "X-Failed-Recipients") != NULL)
		return "x-failed-recipients";
	if (header(message, "Return-Path") != NULL &&
	    !return_path_is_null(message))
		return NULL;
	local = from_local_part(message);
	if (g_strcmp0(local, "mailer-daemon") == 0)
		return "from:mailer-daemon";
	if (g_strcmp0(local, "postmaster") == 0)
		return "from:postmaster";
	return NULL;
}

/* ---- auto-replies ---- */

/* Phrases that start an auto-reply's subject, casefolded, each followed by
 * a colon (optionally after blanks, as in French typography). */
static const char *const auto_reply_subjects[] = {
	"automatic reply",
	"auto reply",
	"auto-reply",
	"autoreply",
	"out of office",
	"out of office reply",
	"out of office autoreply",
	"out of the office",
	"automatisch antwoord",
	"réponse automatique",
	"reponse automatique",
	"automatische antwort",
	"abwesenheitsnotiz",
	NULL,
};

/* Length of the blanks at p: space, tab, no-break spaces. */
static gsize
blank_length(const char *p)
{
	if (*p == ' ' || *p == '\t')
		return 1;
	if (strncmp(p, "\xc2\xa0", 2) == 0)
		return 2;
	if (strncmp(p, "\xe2\x80\xaf", 3) == 0)
		return 3;
	return 0;
}

static gboolean
phrase_then_colon(const char *text, const char *phrase)
{
	gsize len = strlen(phrase), n;

	if (strncmp(text, phrase, len) != 0)
		return FALSE;
	text += len;
	while ((n = blank_length(text)) > 0)
		text += n;
	return *text == ':';
}

static gboolean
subject_is_auto_reply(GMimeMessage *message)
{
	const char *subject = g_mime_message_get_subject(message);
	g_autofree char *folded = NULL;
	const char *p;
	gsize n;

	if (subject == NULL || !g_utf8_validate(subject, -1, NULL))
		return FALSE;
	folded = g_utf8_casefold(subject, -1);
	p = folded;
	while ((n = blank_length(p)) > 0)
		p += n;
	for (gsize i = 0; auto_reply_subjects[i] != NULL; i++)
		if (phrase_then_colon(p, auto_reply_subjects[i]))
			return TRUE;
	/* Lotus Notes: "AUTO: Jane Doe is out of the office (returning…)" */
	return phrase_then_colon(p, "auto") &&
	       (strstr(p, "out of the office") != NULL ||
		strstr(p, "out of office") != NULL);
}

/* Exchange's X-Auto-Response-Suppress: a comma list of All, DR, NDR, RN,
 * NRN, OOF, AutoReply.  See the top of the file for which count. */
static gboolean
suppress_means_automatic(const char *value)
{
	g_auto(GStrv) items = NULL;

	if (value == NULL)
		return FALSE;
	items = g_strsplit_set(value, ", \t;", -1);
	for (guint i = 0; items[i] != NULL; i++)
		if (g_ascii_strcasecmp(items[i], "all") == 0 ||
		    g_ascii_strcasecmp(items[i], "oof") == 0 ||
		    g_ascii_strcasecmp(items[i], "autoreply") == 0)
			return TRUE;
	return FALSE;
}

/* X-Autoreply and friends: present with any value but an explicit no. */
static gboolean
flag_header_set(GMimeMessage *message, const char *name)
{
	g_autofree char *word = header_word(message, name);

	return word != NULL && strcmp(word, "no") != 0 &&
	       strcmp(word, "false") != 0 && strcmp(word, "0") != 0;
}

static const char *
classify_auto_reply(GMimeMessage *message, GPtrArray *parts)
{
	g_autofree char *submitted = header_word(message, "Auto-Submitted");
	g_autofree char *precedence = header_word(message, "Precedence");
	g_autofree char *report = report_type(parts);

	if (submitted != NULL && strcmp(submitted, "no") != 0) {
		if (strcmp(submitted, "auto-replied") == 0)
			return "auto-submitted:auto-replied";
		if (strcmp(submitted, "auto-generated") == 0)
			return "auto-submitted:auto-generated";
		if (strcmp(submitted, "auto-notified") == 0)
			return "auto-submitted:auto-notified";
		return "auto-submitted";
	}
	if (flag_header_set(message, "X-Autoreply"))
		return "x-autoreply";
	if (flag_header_set(message, "X-Autorespond"))
		return "x-autorespond";
	if (flag_header_set(message, "X-Autoresponder"))
		return "x-autoresponder";
	if (suppress_means_automatic(
		    header(message, "X-Auto-Response-Suppress")))
		return "x-auto-response-suppress";
	if (g_strcmp0(precedence, "auto_reply") == 0)
		return "precedence:auto_reply";
	if (g_strcmp0(report, "disposition-notification") == 0)
		return "multipart/report;disposition-notification";
	if (find_part(parts, "message", "disposition-notification") != NULL)
		return "message/disposition-notification";
	if (return_path_is_null(message))
		return "return-path:<>";
	if (subject_is_auto_reply(message))
		return "subject:auto-reply";
	return NULL;
}

/* ---- the rest ---- */

static const char *
classify_own(GMimeMessage *message, const char *own_address,
	     const char *own_domain)
{
	InternetAddressList *from = g_mime_message_get_from(message);

	const char *message_id = g_mime_message_get_message_id(message);
	gsize id_len = message_id != NULL ? strlen(message_id) : 0;
	gsize domain_len = own_domain != NULL ? strlen(own_domain) : 0;

	if (header(message, CLASSIFY_LOOP_HEADER) != NULL)
		return "loop-header";
	/* Our own Message-ID on the mail itself: a copy of something we sent
	 * (a forwarder that dropped the loop header, a resent message). */
	if (domain_len > 0 && id_len > domain_len + 1 &&
	    g_str_has_prefix(message_id, "intaked.") &&
	    message_id[id_len - domain_len - 1] == '@' &&
	    g_ascii_strcasecmp(message_id + id_len - domain_len, own_domain) ==
		    0)
		return "message-id:own";
	if (own_address == NULL || from == NULL)
		return NULL;
	for (int i = 0; i < internet_address_list_length(from); i++) {
		InternetAddress *address =
			internet_address_list_get_address(from, i);
		const char *addr;

		if (!INTERNET_ADDRESS_IS_MAILBOX(address))
			continue;
		addr = internet_address_mailbox_get_addr(
			INTERNET_ADDRESS_MAILBOX(address));
		if (addr != NULL && g_ascii_strcasecmp(addr, own_address) == 0)
			return "from:own-address";
	}
	return NULL;
}

static const char *
classify_list(GMimeMessage *message)
{
	g_autofree char *precedence = header_word(message, "Precedence");

	if (header(message, "List-Id") != NULL)
		return "list-id";
	if (header(message, "List-Unsubscribe") != NULL)
		return "list-unsubscribe";
	if (header(message, "List-Post") != NULL)
		return "list-post";
	if (g_strcmp0(precedence, "bulk") == 0)
		return "precedence:bulk";
	if (g_strcmp0(precedence, "list") == 0)
		return "precedence:list";
	if (g_strcmp0(precedence, "junk") == 0)
		return "precedence:junk";
	return NULL;
}

static const char *
classify_spam(GMimeMessage *message)
{
	const char *flag = header(message, "X-Spam-Flag");
	const char *status = header(message, "X-Spam-Status");
	const char *spam = header(message, "X-Spam");

	if (flag != NULL && starts_with_word(flag, "yes"))
		return "x-spam-flag";
	if (status != NULL && starts_with_word(status, "yes"))
		return "x-spam-status";
	if (spam != NULL && starts_with_word(spam, "yes"))
		return "x-spam";
	return NULL;
}

void
classify_message(GMimeMessage *message, const char *own_address,
		 const char *own_domain, struct classify_result *result)
{
	g_autoptr(GPtrArray) parts = g_ptr_array_new();
	const char *reason;

	memset(result, 0, sizeof(*result));
	result->kind = CLASSIFY_NORMAL;
	result->reason = "normal";
	collect_parts(g_mime_message_get_mime_part(message), 0, parts);

	if ((reason = classify_own(message, own_address, own_domain)) != NULL) {
		result->kind = CLASSIFY_OWN;
	} else if ((reason = classify_bounce(message, parts)) != NULL) {
		result->kind = CLASSIFY_BOUNCE;
		result->bounced_message_id = bounced_message_id(parts);
		result->bounce_action = bounce_action(parts);
	} else if ((reason = classify_auto_reply(message, parts)) != NULL) {
		result->kind = CLASSIFY_AUTO_REPLY;
	} else if ((reason = classify_list(message)) != NULL) {
		result->kind = CLASSIFY_LIST;
	} else if ((reason = classify_spam(message)) != NULL) {
		result->kind = CLASSIFY_SPAM;
	}
	if (reason != NULL)
		result->reason = reason;
}

void
classify_result_clear(struct classify_result *result)
{
	g_clear_pointer(&result->bounced_message_id, g_free);
	memset(result, 0, sizeof(*result));
}

const char *
classify_kind_name(enum classify_kind kind)
{
	switch (kind) {
	case CLASSIFY_NORMAL:
		return "normal";
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
	}
	return "unknown";
}
