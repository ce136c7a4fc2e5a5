/* test-mime.c — mime_parse limits, mime_summary_new and mime_body_text. */
#include <string.h>

#include "mime.h"

static const struct mime_limits test_limits = {
	.max_header_bytes = 4096,
	.max_depth = 32,
	.max_parts = 100,
};

/* Returns a message whose body is nested depth multiparts deep.  Caller
 * frees. */
static char *
nested_message(guint depth)
{
	GString *s = g_string_new("From: a@example.org\r\nSubject: deep\r\n"
				  "MIME-Version: 1.0\r\n");

	for (guint i = 0; i < depth; i++)
		g_string_append_printf(s,
				       "Content-Type: multipart/mixed; "
				       "boundary=\"b%u\"\r\n\r\n--b%u\r\n",
				       i, i);
	g_string_append(s, "Content-Type: text/plain\r\n\r\ninner\r\n");
	for (guint i = depth; i-- > 0;)
		g_string_append_printf(s, "--b%u--\r\n", i);
	return g_string_free(s, FALSE);
}

/* Returns a multipart/mixed message with n text parts.  Caller frees. */
static char *
wide_message(guint n)
{
	GString *s = g_string_new("From: a@example.org\r\nMIME-Version: 1.0\r\n"
				  "Content-Type: multipart/mixed; "
				  "boundary=\"w\"\r\n\r\n");

	for (guint i = 0; i < n; i++)
		g_string_append_printf(s,
				       "--w\r\nContent-Type: text/plain\r\n"
				       "\r\npart %u\r\n",
				       i);
	g_string_append(s, "--w--\r\n");
	return g_string_free(s, FALSE);
}

/* Returns a message with a header of about size bytes.  Caller frees. */
static char *
big_header_message(gsize size, const char *newline)
{
	GString *s = g_string_new("From: a@example.org");

	g_string_append(s, newline);
	while (s->len < size) {
		g_string_append(s, "X-Filler: 0123456789012345678901234567");
		g_string_append(s, newline);
	}
	g_string_append(s, newline);
	g_string_append(s, "body");
	g_string_append(s, newline);
	return g_string_free(s, FALSE);
}

struct parse_case {
	const char *name;
	char *(*make)(void); /* builds data; or NULL to use data */
	const char *data;
	gsize len;	     /* 0: strlen(data) */
	int error;	     /* -1: success */
	const char *message; /* substring of the error message */
};

static char *
make_nested_100(void)
{
	return nested_message(100);
}

static char *
make_nested_32(void)
{
	return nested_message(31);
}

static char *
make_wide_200(void)
{
	return wide_message(200);
}

static char *
make_wide_50(void)
{
	return wide_message(50);
}

static char *
make_big_header_crlf(void)
{
	return big_header_message(5000, "\r\n");
}

static char *
make_big_header_lf(void)
{
	return big_header_message(5000, "\n");
}

static char *
make_header_at_limit(void)
{
	return big_header_message(4000, "\r\n");
}

static char *
make_huge_header_no_body(void)
{
	GString *s = g_string_new("Subject: ");

	while (s->len < 1024 * 1024)
		g_string_append(s, "xxxxxxxxxxxxxxxx");
	return g_string_free(s, FALSE);
}

static const struct parse_case parse_cases[] = {
	{"simple", NULL, "From: a@example.org\r\nSubject: hi\r\n\r\nbody\r\n",
	 0, -1, NULL},
	{"lf only", NULL, "From: a@example.org\nSubject: hi\n\nbody\n", 0, -1,
	 NULL},
	{"header only", NULL, "Subject: hi\r\n", 0, -1, NULL},
	{"mbox from line", NULL,
	 "From a@example.org Mon Jan  1 00:00:00 2026\nSubject: hi\n\nb\n", 0,
	 -1, NULL},
	{"empty", NULL, "", 0, MIME_PARSE_ERROR_MALFORMED, "empty"},
	{"only a blank line", NULL, "\r\nbody", 0, MIME_PARSE_ERROR_MALFORMED,
	 "header"},
	{"binary garbage", NULL, "\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16,
	 MIME_PARSE_ERROR_MALFORMED, "header"},
	{"text without header", NULL, "Hello, this is not mail.\n", 0,
	 MIME_PARSE_ERROR_MALFORMED, "header"},
	{"nul in header", NULL, "Subject: a\0b\r\n\r\nbody", 20, -1, NULL},
	{"nul in body", NULL, "Subject: a\r\n\r\nb\0dy\r\n", 20, -1, NULL},
	{"header over limit crlf", make_big_header_crlf, NULL, 0,
	 MIME_PARSE_ERROR_LIMIT, "header"},
	{"header over limit lf", make_big_header_lf, NULL, 0,
	 MIME_PARSE_ERROR_LIMIT, "header"},
	{"header under limit", make_header_at_limit, NULL, 0, -1, NULL},
	{"1 MiB header without body", make_huge_header_no_body, NULL, 0,
	 MIME_PARSE_ERROR_LIMIT, "4096"},
	{"100-deep nesting", make_nested_100, NULL, 0, MIME_PARSE_ERROR_LIMIT,
	 "depth 33 exceeds limit 32"},
	{"31-deep nesting", make_nested_32, NULL, 0, -1, NULL},
	{"200 parts", make_wide_200, NULL, 0, MIME_PARSE_ERROR_LIMIT,
	 "part count"},
	{"50 parts", make_wide_50, NULL, 0, -1, NULL},
};

static void
test_mime_parse_table(void)
{
	for (gsize i = 0; i < G_N_ELEMENTS(parse_cases); i++) {
		const struct parse_case *c = &parse_cases[i];
		g_autofree char *made = c->make ? c->make() : NULL;
		const char *data = made ? made : c->data;
		gsize len = c->len ? c->len : strlen(data);
		g_autoptr(GError) error = NULL;
		GMimeMessage *message;

		g_test_message("case %s", c->name);
		message = mime_parse((const guint8 *)data, len, &test_limits,
				     &error);
		if (c->error < 0) {
			g_assert_no_error(error);
			g_assert_nonnull(message);
			g_object_unref(message);
			continue;
		}
		g_assert_null(message);
		g_assert_error(error, MIME_PARSE_ERROR, c->error);
		g_test_message("error: %s", error->message);
		g_assert_nonnull(strstr(error->message, c->message));
	}
}

/* A zeroed limits struct (or none) means the shipped defaults. */
static void
test_mime_parse_default_limits(void)
{
	g_autofree char *deep = nested_message(40);
	g_autoptr(GError) error = NULL;
	const struct mime_limits zero = {0};
	GMimeMessage *message;

	message = mime_parse((const guint8 *)deep, strlen(deep), &zero, &error);
	g_assert_null(message);
	g_assert_error(error, MIME_PARSE_ERROR, MIME_PARSE_ERROR_LIMIT);
	g_assert_cmpstr(error->message, ==,
			"MIME nesting depth 33 exceeds limit 32");
	g_clear_error(&error);
	message = mime_parse((const guint8 *)deep, strlen(deep), NULL, &error);
	g_assert_null(message);
	g_assert_error(error, MIME_PARSE_ERROR, MIME_PARSE_ERROR_LIMIT);
}

static const char full_message[] =
	"Received: from mx1.example.net by mx.cert.example; Mon, 2 Mar 2026\r\n"
	"Return-Path: <Bounce@Example.NL>\r\n"
	"Message-ID: <abc123@mail.example.nl>\r\n"
	"In-Reply-To: <parent@cert.example>\r\n"
	"References: <root@cert.example>\r\n"
	" <parent@cert.example>\r\n"
	"From: =?UTF-8?B?SmFu?= =?UTF-8?B?IGRlIFZyaWVz?= "
	"<Jan.De.Vries@Example.NL>\r\n"
	"Reply-To: Helpdesk <HELPDESK@example.nl>\r\n"
	"To: cert@cert.example\r\n"
	"Subject: =?UTF-8?B?SGk=?= =?UTF-8?B?dGhlcmU=?=\r\n"
	"Date: Mon, 02 Mar 2026 07:15:00 +0100\r\n"
	"MIME-Version: 1.0\r\n"
	"Content-Type: text/plain; charset=utf-8\r\n"
	"\r\n"
	"Alle bestanden zijn versleuteld.\r\n";

static struct mime_summary *
summarise(const char *data, gsize len)
{
	g_autoptr(GError) error = NULL;
	GMimeMessage *message;
	struct mime_summary *summary;

	message = mime_parse((const guint8 *)data, len, &test_limits, &error);
	g_assert_no_error(error);
	summary = mime_summary_new(message, (const guint8 *)data, len);
	g_object_unref(message);
	return summary;
}

/* References as clients write them, including what GMime's own parser
 * drops: ids without "@", commas, folding, junk between ids. */
static void
test_mime_summary_references(void)
{
	static const struct {
		const char *header;
		const char *want; /* ids joined with " " */
	} cases[] = {
		{"<a@x> <noat> <b@y>", "a@x noat b@y"},
		{"<a@x>,<b@y>", "a@x b@y"},
		{"<a@x>\r\n\t<b@y>", "a@x b@y"},
		{"<a@x> garbage <b@y>", "a@x b@y"},
		{"<a <b@y>", "b@y"},
		{"<>  <c@z>", "c@z"},
		{"a@x b@y", "a@x b@y"},
		{"<unterminated@x", ""},
	};

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *raw = g_strdup_printf(
			"From: a@example.test\r\nMessage-ID: <m@x>\r\n"
			"In-Reply-To: %s\r\nReferences: %s\r\n\r\nbody\r\n",
			cases[i].header, cases[i].header);
		g_autoptr(MimeSummary) s = summarise(raw, strlen(raw));
		g_autoptr(GString) got = g_string_new(NULL);

		for (guint j = 0; j < s->references->len; j++)
			g_string_append_printf(got, "%s%s", j > 0 ? " " : "",
					       (char *)s->references->pdata[j]);
		g_assert_cmpstr(got->str, ==, cases[i].want);
		if (cases[i].want[0] != '\0')
			g_assert_cmpstr(s->in_reply_to, ==,
					s->references->pdata[0]);
		else
			g_assert_null(s->in_reply_to);
	}
}

static void
test_mime_summary_full(void)
{
	g_autoptr(MimeSummary) s =
		summarise(full_message, sizeof(full_message) - 1);
	g_autoptr(GDateTime) utc = NULL;

	g_assert_cmpstr(s->message_id, ==, "abc123@mail.example.nl");
	g_assert_cmpstr(s->in_reply_to, ==, "parent@cert.example");
	g_assert_cmpuint(s->references->len, ==, 2);
	g_assert_cmpstr(s->references->pdata[0], ==, "root@cert.example");
	g_assert_cmpstr(s->references->pdata[1], ==, "parent@cert.example");
	g_assert_cmpstr(s->from_addr, ==, "jan.de.vries@example.nl");
	g_assert_cmpstr(s->from_name, ==, "Jan de Vries");
	g_assert_cmpstr(s->reply_to_addr, ==, "helpdesk@example.nl");
	g_assert_cmpstr(s->subject, ==, "Hithere");
	g_assert_cmpstr(s->return_path, ==, "Bounce@Example.NL");
	g_assert_nonnull(s->date);
	utc = g_date_time_to_utc(s->date);
	g_assert_cmpint(g_date_time_get_hour(utc), ==, 6);
	g_assert_cmpint(g_date_time_get_minute(utc), ==, 15);
	g_assert_cmpuint(strlen(s->content_sha256), ==, 64);
}

struct summary_case {
	const char *name;
	const char *data;
	gsize len;
	const char *subject;
	const char *from_addr;
	const char *from_name;
	const char *return_path;
	gboolean has_date;
};

static const struct summary_case summary_cases[] = {
	{"bare", "From: a@example.org\r\n\r\nx", 0, NULL, "a@example.org", NULL,
	 NULL, FALSE},
	{"null return path",
	 "Return-Path: <>\r\nFrom: <A@B.example>\r\nSubject: x\r\n\r\n", 0, "x",
	 "a@b.example", NULL, "", FALSE},
	{"quoted name", "From: \"Vries, Jan de\" <j@x.nl>\r\n\r\n", 0, NULL,
	 "j@x.nl", "Vries, Jan de", NULL, FALSE},
	{"quoted encoded name",
	 "From: \"=?iso-8859-1?q?Ren=E9?=\" <r@x.fr>\r\n\r\n", 0, NULL,
	 "r@x.fr", "Ren\xC3\xA9", NULL, FALSE},
	{"comment name", "From: j@x.nl (Jan Jansen)\r\n\r\n", 0, NULL, "j@x.nl",
	 "Jan Jansen", NULL, FALSE},
	{"raw 8-bit cp1252 subject",
	 "From: a@x.de\r\nSubject: M\xFC"
	 "ller \x80\r\n\r\n",
	 0, "M\xC3\xBCller \xE2\x82\xAC", "a@x.de", NULL, NULL, FALSE},
	{"raw utf-8 subject", "From: a@x.de\r\nSubject: M\xC3\xBCller\r\n\r\n",
	 0, "M\xC3\xBCller", "a@x.de", NULL, NULL, FALSE},
	{"folded subject",
	 "From: a@x.de\r\nSubject: =?utf-8?q?one?=\r\n =?utf-8?q?two?=\r\n"
	 "\tthree\r\n\r\n",
	 0, "onetwo three", "a@x.de", NULL, NULL, FALSE},
	{"unknown charset subject",
	 "From: a@x.de\r\nSubject: =?x-bogus?q?caf=E9?=\r\n\r\n", 0,
	 "caf\xEF\xBF\xBD", "a@x.de", NULL, NULL, FALSE},
	{"no from", "Subject: s\r\n\r\n", 0, "s", NULL, NULL, NULL, FALSE},
	{"group from", "From: team: A <a@x.nl>, b@x.nl;\r\n\r\n", 0, NULL,
	 "a@x.nl", "A", NULL, FALSE},
	{"nul in subject", "From: a@x.nl\r\nSubject: a\0b\r\n\r\n", 30, NULL,
	 "a@x.nl", NULL, NULL, FALSE},
	{"unparsable date", "From: a@x.nl\r\nDate: garbage here\r\n\r\n", 0,
	 NULL, "a@x.nl", NULL, NULL, FALSE},
	{"date", "From: a@x.nl\r\nDate: Tue, 3 Mar 2026 10:00:00 +0000\r\n\r\n",
	 0, NULL, "a@x.nl", NULL, NULL, TRUE},
};

static void
test_mime_summary_table(void)
{
	for (gsize i = 0; i < G_N_ELEMENTS(summary_cases); i++) {
		const struct summary_case *c = &summary_cases[i];
		gsize len = c->len ? c->len : strlen(c->data);
		g_autoptr(MimeSummary) s = NULL;

		g_test_message("case %s", c->name);
		s = summarise(c->data, len);
		if (c->subject != NULL)
			g_assert_cmpstr(s->subject, ==, c->subject);
		if (s->subject != NULL)
			g_assert_true(g_utf8_validate(s->subject, -1, NULL));
		g_assert_cmpstr(s->from_addr, ==, c->from_addr);
		g_assert_cmpstr(s->from_name, ==, c->from_name);
		g_assert_cmpstr(s->return_path, ==, c->return_path);
		g_assert_true((s->date != NULL) == c->has_date);
		g_assert_null(s->message_id);
		g_assert_null(s->in_reply_to);
		g_assert_cmpuint(s->references->len, ==, 0);
	}
}

/* The same report delivered twice through different relays. */
static void
test_mime_summary_hash(void)
{
	static const char a[] =
		"Received: from one\r\nSubject: s\r\n\r\nbody\r\n";
	static const char b[] = "Received: from two\r\nReceived: from three\r\n"
				"Subject: s\r\n\r\nbody\r\n";
	static const char c[] =
		"Received: from one\r\nSubject: s\r\n\r\nbodY\r\n";
	g_autoptr(MimeSummary) sa = summarise(a, sizeof(a) - 1);
	g_autoptr(MimeSummary) sb = summarise(b, sizeof(b) - 1);
	g_autoptr(MimeSummary) sc = summarise(c, sizeof(c) - 1);
	g_autofree char *expect = g_compute_checksum_for_string(
		G_CHECKSUM_SHA256, "body\r\n", -1);

	g_assert_cmpstr(sa->content_sha256, ==, expect);
	g_assert_cmpstr(sa->content_sha256, ==, sb->content_sha256);
	g_assert_cmpstr(sa->content_sha256, !=, sc->content_sha256);
}

/* The hash is nettle's; the hex string must stay the one GLib gives
 * (stored hashes are compared with new ones), for bodies of every length
 * around SHA-256's 64-byte blocks, an empty body and no raw bytes. */
static void
test_mime_summary_hash_glib(void)
{
	static const char header[] = "Subject: s\r\n\r\n";
	g_autoptr(GString) mail = g_string_new(header);
	GMimeMessage *message;
	g_autoptr(MimeSummary) none = NULL;
	g_autofree char *empty = NULL;

	for (guint n = 0; n <= 300; n++) {
		g_autoptr(MimeSummary) s = summarise(mail->str, mail->len);
		g_autofree char *expect = g_compute_checksum_for_data(
			G_CHECKSUM_SHA256,
			(const guchar *)mail->str + sizeof(header) - 1, n);

		g_assert_cmpstr(s->content_sha256, ==, expect);
		g_string_append_c(mail, (char)('a' + n % 26));
	}
	message = mime_parse((const guint8 *)header, sizeof(header) - 1, NULL,
			     NULL);
	g_assert_nonnull(message);
	none = mime_summary_new(message, NULL, 0);
	g_object_unref(message);
	empty = g_compute_checksum_for_data(G_CHECKSUM_SHA256,
					    (const guchar *)"", 0);
	g_assert_cmpstr(none->content_sha256, ==, empty);
}

struct body_case {
	const char *name;
	const char *data;
	const char *expect;
};

#define HDR "From: a@x.nl\r\nMIME-Version: 1.0\r\n"

static const struct body_case body_cases[] = {
	{"no content type", "From: a@x.nl\r\n\r\nhello\r\nworld\r\n",
	 "hello\nworld\n"},
	{"qp utf-8",
	 HDR "Content-Type: text/plain; charset=utf-8\r\n"
	     "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
	     "caf=C3=A9 soft=\r\nbreak\r\n",
	 "caf\xC3\xA9 softbreak\n"},
	{"qp cp1252 labelled iso-8859-1",
	 HDR "Content-Type: text/plain; charset=iso-8859-1\r\n"
	     "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
	     "=80 =93q=94\r\n",
	 "\xE2\x82\xAC \xE2\x80\x9Cq\xE2\x80\x9D\n"},
	{"missing charset latin-1",
	 HDR "Content-Type: text/plain\r\n\r\ncaf\xE9\r\n", "caf\xC3\xA9\n"},
	{"unknown charset",
	 HDR "Content-Type: text/plain; charset=x-bogus\r\n\r\ncaf\xE9\r\n",
	 "caf\xEF\xBF\xBD\n"},
	{"invalid utf-8 labelled utf-8",
	 HDR "Content-Type: text/plain; charset=utf-8\r\n\r\n"
	     "\xC3\xA9 caf\xE9\r\n",
	 "\xC3\xA9 caf\xEF\xBF\xBD\n"},
	{"chunked base64 (GMime #150)",
	 HDR "Content-Type: text/plain; charset=utf-8\r\n"
	     "Content-Transfer-Encoding: base64\r\n\r\n"
	     "SGk=\r\nIHRo\r\nZXJl\r\nIQ==\r\n",
	 "Hi there!"},
	{"base64 padding mid-line",
	 HDR "Content-Type: text/plain; charset=utf-8\r\n"
	     "Content-Transfer-Encoding: base64\r\n\r\n"
	     "SGk=dGhlcmU=\r\n",
	 "Hithere"},
	{"alternative prefers plain",
	 HDR "Content-Type: multipart/alternative; boundary=a\r\n\r\n"
	     "--a\r\nContent-Type: text/plain\r\n\r\nplain text\r\n"
	     "--a\r\nContent-Type: text/html\r\n\r\n<p>html text</p>\r\n"
	     "--a--\r\n",
	 "plain text"},
	{"alternative with blank plain",
	 HDR "Content-Type: multipart/alternative; boundary=a\r\n\r\n"
	     "--a\r\nContent-Type: text/plain\r\n\r\n \r\n\r\n"
	     "--a\r\nContent-Type: text/html\r\n\r\n<p>html text</p>\r\n"
	     "--a--\r\n",
	 "html text"},
	{"html only",
	 HDR "Content-Type: text/html; charset=windows-1252\r\n\r\n"
	     "<div>Caf\xE9</div><div>down</div>\r\n",
	 "Caf\xC3\xA9\ndown"},
	{"mixed skips attachments",
	 HDR "Content-Type: multipart/mixed; boundary=m\r\n\r\n"
	     "--m\r\nContent-Type: text/plain\r\n\r\nthe report\r\n"
	     "--m\r\nContent-Type: text/plain\r\n"
	     "Content-Disposition: attachment\r\n\r\nlog file\r\n"
	     "--m\r\nContent-Type: text/plain; name=notes.txt\r\n\r\nnotes\r\n"
	     "--m\r\nContent-Type: application/octet-stream\r\n\r\nxx\r\n"
	     "--m--\r\n",
	 "the report"},
	{"mixed joins inline texts",
	 HDR "Content-Type: multipart/mixed; boundary=m\r\n\r\n"
	     "--m\r\nContent-Type: text/plain\r\n\r\nfirst\r\n"
	     "--m\r\nContent-Type: image/png\r\n"
	     "Content-Disposition: inline\r\n\r\nxx\r\n"
	     "--m\r\nContent-Type: text/plain\r\n\r\nsecond\r\n"
	     "--m--\r\n",
	 "first\n\nsecond"},
	{"forwarded message skipped",
	 HDR "Content-Type: multipart/mixed; boundary=m\r\n\r\n"
	     "--m\r\nContent-Type: text/plain\r\n\r\nsee below\r\n"
	     "--m\r\nContent-Type: message/rfc822\r\n\r\n"
	     "From: b@y.nl\r\nSubject: old\r\n\r\nforwarded body\r\n"
	     "--m--\r\n",
	 "see below"},
	{"only an attachment",
	 HDR "Content-Type: multipart/mixed; boundary=m\r\n\r\n"
	     "--m\r\nContent-Type: application/pdf\r\n\r\nxx\r\n--m--\r\n",
	 ""},
	{"related inside alternative",
	 HDR "Content-Type: multipart/alternative; boundary=a\r\n\r\n"
	     "--a\r\nContent-Type: multipart/related; boundary=r\r\n\r\n"
	     "--r\r\nContent-Type: text/html\r\n\r\n<p>rich</p>\r\n"
	     "--r\r\nContent-Type: image/png\r\n\r\nxx\r\n--r--\r\n"
	     "--a--\r\n",
	 "rich"},
	{"signed",
	 HDR "Content-Type: multipart/signed; boundary=s; "
	     "protocol=\"application/pgp-signature\"\r\n\r\n"
	     "--s\r\nContent-Type: text/plain\r\n\r\nsigned text\r\n"
	     "--s\r\nContent-Type: application/pgp-signature\r\n\r\n"
	     "-----BEGIN PGP SIGNATURE-----\r\n--s--\r\n",
	 "signed text"},
	{"nul in body", "From: a@x.nl\r\n\r\na\0b\r\n", NULL},
};

static void
test_mime_body_table(void)
{
	for (gsize i = 0; i < G_N_ELEMENTS(body_cases); i++) {
		const struct body_case *c = &body_cases[i];
		gsize len = strlen(c->data);
		g_autoptr(GError) error = NULL;
		g_autofree char *text = NULL;
		GMimeMessage *message;

		if (c->expect == NULL)
			len += 4; /* the NUL case: "b\r\n" after the NUL */
		g_test_message("case %s", c->name);
		message = mime_parse((const guint8 *)c->data, len, &test_limits,
				     &error);
		g_assert_no_error(error);
		text = mime_body_text(GMIME_OBJECT(message));
		g_object_unref(message);
		g_assert_true(g_utf8_validate(text, -1, NULL));
		if (c->expect != NULL)
			g_assert_cmpstr(text, ==, c->expect);
		else
			g_assert_true(g_str_has_prefix(text, "a"));
	}
}

static void
test_mime_body_bounded(void)
{
	GString *s = g_string_new(HDR "Content-Type: text/plain\r\n\r\n");
	g_autoptr(GError) error = NULL;
	g_autofree char *text = NULL;
	GMimeMessage *message;

	while (s->len < 3 * 1024 * 1024)
		g_string_append(s, "caf\xC3\xA9 caf\xC3\xA9 caf\xC3\xA9\r\n");
	message = mime_parse((const guint8 *)s->str, s->len, &test_limits,
			     &error);
	g_assert_no_error(error);
	text = mime_body_text(GMIME_OBJECT(message));
	g_assert_cmpuint(strlen(text), <=, 1024 * 1024);
	g_assert_true(g_utf8_validate(text, -1, NULL));
	g_object_unref(message);
	g_string_free(s, TRUE);
}

int
main(int argc, char **argv)
{
	int rc;

	g_mime_init();
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/mime/parse/table", test_mime_parse_table);
	g_test_add_func("/mime/parse/default-limits",
			test_mime_parse_default_limits);
	g_test_add_func("/mime/summary/full", test_mime_summary_full);
	g_test_add_func("/mime/summary/references",
			test_mime_summary_references);
	g_test_add_func("/mime/summary/table", test_mime_summary_table);
	g_test_add_func("/mime/summary/hash", test_mime_summary_hash);
	g_test_add_func("/mime/summary/hash-glib", test_mime_summary_hash_glib);
	g_test_add_func("/mime/body/table", test_mime_body_table);
	g_test_add_func("/mime/body/bounded", test_mime_body_bounded);
	rc = g_test_run();
	g_mime_shutdown();
	return rc;
}
