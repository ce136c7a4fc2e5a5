/* quote.h — split a mail body into the author's own words, quoted earlier
 * messages, signature, mobile footer, legal disclaimer and forwarded
 * messages.  Pure: text in, structures out; no I/O, no logging.
 *
 * Knows the reply and forward styles of Outlook, Gmail, Apple Mail,
 * Thunderbird, mutt and the mobile clients in en, nl, fr and de.  The
 * report parser reads `fresh` and `signature`; the reply parser walks
 * `segments` to pair inline answers with the quoted questions above them;
 * forwarded mails (`forwards`) become indicators, never the requester's
 * words. */
#ifndef INTAKED_QUOTE_H
#define INTAKED_QUOTE_H

#include <glib.h>

/* Work bounds for hostile input; text beyond them is not examined and sets
 * quote_result.truncated. */
#define QUOTE_MAX_TEXT_BYTES  (4 * 1024 * 1024) /* input examined */
#define QUOTE_MAX_LINES	      20000		/* lines examined */
#define QUOTE_MAX_MATCH_BYTES 256  /* of a line, for pattern matching */
#define QUOTE_MAX_FORWARDS    16   /* forwarded blocks kept */
#define QUOTE_MAX_URLS	      256  /* URLs per quote_extract_urls() */
#define QUOTE_MAX_URL_BYTES   4096 /* longer URLs are skipped */

enum quote_segment_kind {
	QUOTE_SEGMENT_FRESH,  /* the author's own new text */
	QUOTE_SEGMENT_QUOTED, /* text of an earlier message, markers removed */
};

struct quote_segment {
	enum quote_segment_kind kind;
	/* 0 for fresh text; the number of ">" markers for quoted lines; 1 for
	 * an unmarked earlier message below a reply header (Outlook style) */
	guint depth;
	gsize offset; /* byte offset of the segment's first line in text */
	char *text;   /* lines joined by LF, no leading/trailing blank lines */
};

/* A forwarded message found in the body.  Header fields are as written
 * (UTF-8, trimmed), NULL when the block did not have them. */
struct quote_forward {
	gsize offset; /* byte offset of the separator or header line */
	char *from;
	char *date;
	char *subject;
	char *to;
	char *body;	 /* the forwarded text, never NULL */
	GPtrArray *urls; /* char*, quote_extract_urls(body); never NULL */
};

struct quote_result {
	/* The author's new text: the fresh segments joined by a blank line,
	 * without signature, mobile footer, disclaimer, quotes, attribution
	 * lines and forwards.  Never NULL ("" when there is none). */
	char *fresh;
	/* Fresh and quoted text in body order (struct quote_segment *);
	 * signature, footer, disclaimer, reply headers and forwards are not
	 * in it.  Never NULL. */
	GPtrArray *segments;
	/* All quoted segments joined by LF, markers removed; NULL if none. */
	char *quoted;
	/* Byte offset where quoting starts (attribution line, reply header or
	 * first ">" line); -1 when nothing is quoted. */
	gssize quote_offset;
	/* From the sign-off ("Met vriendelijke groet,") or "-- " line to the
	 * end of the author's last text, footer and disclaimer removed;
	 * NULL if none.  Name, organisation and phone usually live here. */
	char *signature;
	char *mobile_footer; /* "Sent from my iPhone" etc.; NULL if none */
	char *disclaimer;    /* legal notice; NULL if none */
	/* struct quote_forward *, in body order; never NULL. */
	GPtrArray *forwards;
	gboolean truncated; /* a QUOTE_MAX_* bound cut the work short */
};

/* Splits a NUL-terminated body (UTF-8, LF line ends; invalid UTF-8 is
 * repaired first and offsets then refer to the repaired text).  subject
 * is the decoded Subject of the mail or NULL: when it says the mail is a
 * forward ("Fwd:", "FW:", "TR:", "WG:", "Doorst:"), an Outlook header
 * block or "-----Original Message-----" starts a forwarded message
 * rather than a quoted one, because Outlook writes both alike.  Never
 * fails and never returns NULL; caller frees with quote_result_free(). */
struct quote_result *quote_parse(const char *text, const char *subject);

/* Frees result and everything in it; NULL is fine. */
void quote_result_free(struct quote_result *result);
/* For g_autoptr(QuoteResult) only. */
typedef struct quote_result QuoteResult;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(QuoteResult, quote_result_free)

/* The http and https URLs in text, also defanged ones ("hxxp://",
 * "hxxps[:]//", "evil[.]com"), refanged to their working form, trailing
 * punctuation trimmed, duplicates dropped, in order of appearance; at
 * most QUOTE_MAX_URLS.  Refanged URLs are live: defang them again before
 * showing them to people.  Returns a new GPtrArray of char* with
 * g_free as element free function; caller frees with
 * g_ptr_array_unref(). */
GPtrArray *quote_extract_urls(const char *text);

#endif
