/* compose.h — build outgoing mail with GMime, never by pasting strings.
 *
 * Every header is set through GMime (RFC 2047 for non-ASCII, folding,
 * quoting of display names); values that came from outside can therefore
 * not add a header. */
#ifndef INTAKED_COMPOSE_H
#define INTAKED_COMPOSE_H

#include <gmime/gmime.h>

struct compose_request {
	const char *from_name;
	const char *from_addr;
	const char *to_name; /* may be NULL */
	const char *to_addr;
	const char *subject;	    /* UTF-8, single line */
	const char *body;	    /* UTF-8 text, LF line ends */
	const char *message_id;	    /* without <> */
	const char *in_reply_to;    /* without <>, may be NULL */
	GPtrArray *references;	    /* char* without <>, may be NULL */
	const char *auto_submitted; /* "auto-replied", "auto-generated", NULL */
	const char *language;	    /* Content-Language, may be NULL */
	const char *loop_value;	    /* value of CLASSIFY_LOOP_HEADER */
	GDateTime *date;	    /* NULL: now */
};

/* Whether id (without <>) is one compose_message() writes as a msg-id
 * token in Message-ID, In-Reply-To and References. */
gboolean compose_message_id_valid(const char *id);

/* Returns a new message (g_object_unref) or NULL with error naming the
 * field that is unusable (for example an address GMime cannot parse). */
GMimeMessage *compose_message(const struct compose_request *request,
			      GError **error);

/* Serialises for SMTP: 7-bit clean, CRLF line ends.  Caller unrefs. */
GBytes *compose_serialize(GMimeMessage *message);

#endif
