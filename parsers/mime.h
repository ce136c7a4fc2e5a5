/* mime.h — raw RFC 5322 bytes to a GMime tree and a decoded summary.
 *
 * Pure: bytes in, structures out; no I/O, no logging, no globals beyond
 * GMime's own (g_mime_init() is the caller's job). */
#ifndef INTAKED_MIME_H
#define INTAKED_MIME_H

#include <gmime/gmime.h>

/* A field of 0 (or limits NULL) means the shipped default: 262144 header
 * bytes, depth 32, 500 parts. */
struct mime_limits {
	gsize max_header_bytes; /* total bytes of the top-level header */
	guint max_depth;	/* multipart / message nesting */
	guint max_parts;	/* leaves and containers in all */
};

#define MIME_PARSE_ERROR (mime_parse_error_quark())
GQuark mime_parse_error_quark(void);
enum mime_parse_error {
	MIME_PARSE_ERROR_MALFORMED, /* no header, not a message */
	MIME_PARSE_ERROR_LIMIT,	    /* a limit of struct mime_limits hit */
};

/* Parses a message.  Fallback charsets for undeclared 8-bit headers are
 * utf-8 then windows-1252.  Returns a new GMimeMessage (g_object_unref)
 * or NULL with error naming what is wrong. */
GMimeMessage *mime_parse(const guint8 *data, gsize len,
			 const struct mime_limits *limits, GError **error);

/* Decoded header facts of a message.  Strings are valid UTF-8 or NULL. */
struct mime_summary {
	char *message_id;      /* without <> */
	char *in_reply_to;     /* without <> */
	GPtrArray *references; /* char*, without <>, oldest first */
	char *from_addr;       /* lower-cased addr-spec */
	char *from_name;
	char *reply_to_addr;
	char *subject;	   /* RFC 2047 decoded (robust to GMime 3.2.13 #133) */
	char *return_path; /* addr-spec, "" for <>, NULL when absent */
	GDateTime *date;   /* NULL when absent or unparsable */
	char *content_sha256; /* SHA-256 hex of the bytes after the header */
};
/* data/len are the raw bytes the message was parsed from (for the content
 * hash and raw header decoding).  Caller frees with mime_summary_free. */
struct mime_summary *mime_summary_new(GMimeMessage *message, const guint8 *data,
				      gsize len);
void mime_summary_free(struct mime_summary *summary);
/* For g_autoptr(MimeSummary) only. */
typedef struct mime_summary MimeSummary;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MimeSummary, mime_summary_free)

/* The readable text of a message tree, UTF-8, LF line ends, at most 1 MiB:
 * in multipart/alternative the first non-blank text/plain, else text/html
 * converted to text; in other multiparts the inline text parts in order
 * (attachments by disposition or file name are skipped).  Forwarded
 * message/rfc822 parts are not included.  Never NULL ("" when there is no
 * text).  Caller frees. */
char *mime_body_text(GMimeObject *root);

#endif
