/* test-intake.c — the intake pipeline through its import door, with a
 * real SQLite database, real templates and real parsers (no network). */
#include <string.h>
#include <glib/gstdio.h>
#include <gio/gio.h>
#include <gmime/gmime.h>

#include "config.h"
#include "intake-pgp.h"
#include "intake.h"
#include "log.h"
#include "store.h"
#include "templates.h"

struct fixture {
	char *dir;
	struct config *config;
	struct templates *templates;
	struct store *store;
};

static void
write_file(const char *dir, const char *name, const char *text, int mode)
{
	g_autofree char *path = g_build_filename(dir, name, NULL);
	g_autofree char *parent = g_path_get_dirname(path);
	g_autoptr(GError) error = NULL;

	g_mkdir_with_parents(parent, 0700);
	g_file_set_contents(path, text, -1, &error);
	g_assert_no_error(error);
	g_chmod(path, mode);
}

static const char ack_en[] =
	"Subject: [{{case_tag}}] Received: {{original_subject}}\n"
	"\n"
	"Hello{{#requester_name}} {{requester_name}}{{/requester_name}},\n"
	"case {{case_id}} from {{cert_name}}.\n";
static const char ack_nl[] =
	"Subject: [{{case_tag}}] Ontvangen: {{original_subject}}\n"
	"\n"
	"Beste, dossier {{case_id}}.\n";
static const char quarantine_en[] =
	"Subject: Quarantined message {{message_ref}}\n"
	"\n"
	"{{reason}}\n";

static void
fixture_set_up(struct fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *conf = NULL;

	f->dir = g_dir_make_tmp("test-intake-XXXXXX", &error);
	g_assert_no_error(error);
	write_file(f->dir, "secret",
		   "0123456789abcdef0123456789abcdef0123456789abcdef", 0600);
	write_file(f->dir, "pw", "pw\n", 0600);
	write_file(f->dir, "templates/en/ack.tmpl", ack_en, 0644);
	write_file(f->dir, "templates/nl/ack.tmpl", ack_nl, 0644);
	write_file(f->dir, "templates/en/quarantine_notice.tmpl", quarantine_en,
		   0644);
	write_file(f->dir, "templates/en/key_request.tmpl",
		   "Subject: [{{case_tag}}] Key please\n\n{{cert_key}}\n",
		   0644);
	write_file(f->dir, "templates/en/key_conflict.tmpl",
		   "Subject: Key conflict for {{address}}\n\n"
		   "{{new_fingerprint}}\n",
		   0644);
	/* Every other kind needs a fallback template; a stub will do. */
	for (const char *const *kind = templates_kinds(); *kind != NULL;
	     kind++) {
		g_autofree char *name =
			g_strdup_printf("templates/en/%s.tmpl", *kind);
		g_autofree char *path = g_build_filename(f->dir, name, NULL);
		g_autofree char *text = g_strdup_printf(
			"Subject: [{{case_tag}}] %s\n\n%s\n", *kind, *kind);

		if (!g_file_test(path, G_FILE_TEST_EXISTS))
			write_file(f->dir, name, text, 0644);
	}
	conf = g_strdup_printf(
		"database = \"%s/db\";\n"
		"templates = \"%s/templates\";\n"
		"languages = [\"en\", \"nl\", \"fr\", \"de\"];\n"
		"identity = { address = \"cert@example.test\"; "
		"name = \"Test CERT\"; case_prefix = \"CERT\"; "
		"token_secret_file = \"%s/secret\"; "
		"staff_address = \"staff@example.test\"; };\n"
		"imap = { host = \"127.0.0.1\"; username = \"cert\"; "
		"password_file = \"%s/pw\"; };\n"
		"smtp = { host = \"127.0.0.1\"; username = \"cert\"; "
		"password_file = \"%s/pw\"; };\n"
		"limits = { new_cases_per_sender_per_hour = 3; "
		"auto_replies_per_sender_per_hour = 3; };\n",
		f->dir, f->dir, f->dir, f->dir, f->dir);
	f->config = config_load_string(conf, "test.conf", &error);
	g_assert_no_error(error);
	f->templates = templates_load(f->config->templates,
				      (const char *const *)f->config->languages,
				      &error);
	g_assert_no_error(error);
	f->store = store_open(f->config->database, &error);
	g_assert_no_error(error);
}

static void
fixture_tear_down(struct fixture *f, gconstpointer data)
{
	g_autofree char *cmd = NULL;

	store_close(&f->store);
	templates_unref(&f->templates);
	config_unref(&f->config);
	/* Remove the temp tree; the test made everything in it. */
	cmd = g_strdup_printf("rm -rf '%s'", f->dir);
	g_assert_cmpint(system(cmd), ==, 0);
	g_free(f->dir);
}

static gint64
import(struct fixture *f, const char *raw)
{
	g_autoptr(GError) error = NULL;
	struct pipeline pipeline = {
		.store = f->store,
		.config = f->config,
		.templates = f->templates,
	};
	gint64 id = intake_import(&pipeline, (const guint8 *)raw, strlen(raw),
				  "test", &error);

	g_assert_no_error(error);
	g_assert_cmpint(id, >, 0);
	return id;
}

static struct store_message *
message(struct fixture *f, gint64 id)
{
	g_autoptr(GError) error = NULL;
	struct store_message *m = store_message_get(f->store, id, &error);

	g_assert_no_error(error);
	return m;
}

static const char report_nl[] =
	"From: Jan Peeters <jan@az-voorbeeld.test>\r\n"
	"To: cert@example.test\r\n"
	"Subject: Ransomware op de fileserver\r\n"
	"Message-ID: <r1@az-voorbeeld.test>\r\n"
	"Date: Sun, 22 Nov 2026 08:00:00 +0100\r\n"
	"\r\n"
	"Vanochtend om 7u zagen we dat alle bestanden op de fileserver\r\n"
	".lockbit hebben, spoed ligt stil, backups onduidelijk. Wij hebben\r\n"
	"hulp nodig. Bel 0475 55 01 23 - Jan, IT AZ Voorbeeld Gent\r\n";

static void
test_report_opens_case_and_queues_ack(struct fixture *f, gconstpointer d)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StoreMessage) m = message(f, import(f, report_nl));
	g_autoptr(StoreCase) c = NULL;
	g_autoptr(GPtrArray) out = NULL;
	g_autoptr(StoreOutbox) ack = NULL;
	const char *raw;

	g_assert_cmpstr(m->state, ==, "processed");
	g_assert_cmpstr(m->kind, ==, "report");
	g_assert_nonnull(m->case_id);
	c = store_case_get(f->store, m->case_id, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(c->requester_addr, ==, "jan@az-voorbeeld.test");
	g_assert_cmpstr(c->language, ==, "nl");

	out = store_case_outbox(f->store, c->id, &error);
	g_assert_cmpint(out->len, ==, 1);
	ack = store_outbox_get(
		f->store, ((struct store_outbox *)out->pdata[0])->id, &error);
	g_assert_cmpstr(ack->kind, ==, "ack");
	g_assert_cmpstr(ack->state, ==, "queued");
	g_assert_cmpstr(ack->rcpt_to, ==, "jan@az-voorbeeld.test");
	raw = g_bytes_get_data(ack->raw, NULL);
	g_assert_nonnull(strstr(raw, "In-Reply-To: <r1@az-voorbeeld.test>"));
	g_assert_nonnull(strstr(raw, "Auto-Submitted: auto-replied"));
	g_assert_nonnull(strstr(ack->subject, "[CERT-"));
	g_assert_nonnull(strstr(ack->subject, "Ontvangen"));
}

static void
test_reply_with_token_joins_case(struct fixture *f, gconstpointer d)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StoreMessage) first = message(f, import(f, report_nl));
	g_autoptr(GPtrArray) out =
		store_case_outbox(f->store, first->case_id, &error);
	struct store_outbox *ack = out->pdata[0];
	/* Written by someone else at the hospital: the token proves the
	 * thread even though the sender differs. */
	g_autofree char *reply =
		g_strdup_printf("From: Els <els@az-voorbeeld.test>\r\n"
				"To: cert@example.test\r\n"
				"Subject: Re: something else entirely\r\n"
				"Message-ID: <r2@az-voorbeeld.test>\r\n"
				"In-Reply-To: <%s>\r\n"
				"\r\nDe backups zijn ook versleuteld.\r\n",
				ack->message_id);
	g_autoptr(StoreMessage) second = message(f, import(f, reply));
	g_autoptr(GPtrArray) cases = store_case_list(f->store, NULL, &error);

	g_assert_cmpstr(second->kind, ==, "reply");
	g_assert_cmpstr(second->case_id, ==, first->case_id);
	g_assert_cmpstr(second->thread_by, ==, "token");
	g_assert_cmpint(cases->len, ==, 1);
}

static void
test_forged_token_opens_new_case(struct fixture *f, gconstpointer d)
{
	g_autoptr(StoreMessage) first = message(f, import(f, report_nl));
	g_autofree char *forged = g_strdup_printf(
		"From: mallory@evil.test\r\nTo: cert@example.test\r\n"
		"Subject: hello\r\nMessage-ID: <m1@evil.test>\r\n"
		"In-Reply-To: <intaked.%s.1.00000000000000000000000000000000"
		"@example.test>\r\n\r\nHi there, we need help\r\n",
		first->case_id);
	g_autoptr(StoreMessage) m = message(f, import(f, forged));

	g_assert_cmpstr(m->kind, ==, "report");
	g_assert_cmpstr(m->case_id, !=, first->case_id);
}

static void
test_tag_reply_from_stranger_is_flagged(struct fixture *f, gconstpointer d)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StoreMessage) first = message(f, import(f, report_nl));
	g_autofree char *tagged = g_strdup_printf(
		"From: mallory@evil.test\r\nTo: cert@example.test\r\n"
		"Subject: Re: [CERT-%s] update\r\n"
		"Message-ID: <m2@evil.test>\r\n\r\nPlease call me.\r\n",
		first->case_id);
	g_autoptr(StoreMessage) m = message(f, import(f, tagged));
	g_autoptr(GPtrArray) events =
		store_case_events(f->store, first->case_id, &error);
	gboolean flagged = FALSE;

	g_assert_cmpstr(m->case_id, ==, first->case_id);
	g_assert_cmpstr(m->thread_by, ==, "tag");
	for (guint i = 0; i < events->len; i++)
		if (g_strcmp0(((struct store_event *)events->pdata[i])->type,
			      "unverified_sender") == 0)
			flagged = TRUE;
	g_assert_true(flagged);
}

static void
test_auto_reply_is_never_answered(struct fixture *f, gconstpointer d)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StoreMessage) m =
		message(f, import(f, "From: someone@hospital.test\r\n"
				     "To: cert@example.test\r\n"
				     "Subject: Automatic reply: hello\r\n"
				     "Auto-Submitted: auto-replied\r\n"
				     "Message-ID: <oof1@hospital.test>\r\n"
				     "\r\nI am out of the office.\r\n"));
	g_autoptr(GPtrArray) out = store_outbox_list(f->store, NULL, &error);

	g_assert_cmpstr(m->kind, ==, "auto_reply");
	g_assert_null(m->case_id);
	g_assert_cmpint(out->len, ==, 0);
}

static void
test_duplicate_delivery_is_recognised(struct fixture *f, gconstpointer d)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *again =
		g_strconcat("Received: from relay2.test\r\n", report_nl, NULL);
	g_autoptr(StoreMessage) first = message(f, import(f, report_nl));
	g_autoptr(StoreMessage) second = message(f, import(f, again));
	g_autoptr(GPtrArray) out = store_outbox_list(f->store, NULL, &error);

	g_assert_cmpstr(second->kind, ==, "duplicate");
	g_assert_cmpstr(second->case_id, ==, first->case_id);
	g_assert_cmpint(out->len, ==, 1);
}

static void
test_rate_limit_caps_new_cases(struct fixture *f, gconstpointer d)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) cases = NULL;

	for (int i = 0; i < 5; i++) {
		g_autofree char *raw = g_strdup_printf(
			"From: flood@example.net\r\nTo: cert@example.test\r\n"
			"Subject: report %d\r\nMessage-ID: "
			"<f%d@example.net>\r\n"
			"\r\nOur server was hacked, please help.\r\n",
			i, i);
		import(f, raw);
	}
	cases = store_case_list(f->store, NULL, &error);
	g_assert_cmpint(cases->len, ==, 3);
}

static void
test_garbage_is_recorded_not_fatal(struct fixture *f, gconstpointer d)
{
	g_autoptr(StoreMessage) m = message(f, import(f, "\x01\x02\x03"));

	g_assert_cmpstr(m->state, ==, "failed");
	g_assert_nonnull(m->error);
}

/* Headers of ours from outside claim nothing: they are dropped, except
 * the loop header, which the own-copy check needs (with its Message-ID
 * proof). */
static void
test_own_headers_stripped(void)
{
	static const char raw[] =
		"From: a@example.test\r\n"
		"X-Intaked-Crypto: decrypted; signature=valid\r\n"
		"X-Intaked-Loop: cert@example.test\r\n"
		"x-intaked-signer: ABCD\r\n"
		"Subject: hi\r\n\r\nbody\r\n";
	GMimeStream *stream =
		g_mime_stream_mem_new_with_buffer(raw, sizeof raw - 1);
	GMimeParser *parser = g_mime_parser_new_with_stream(stream);
	GMimeMessage *message = g_mime_parser_construct_message(parser, NULL);
	GMimeObject *object = GMIME_OBJECT(message);

	g_assert_cmpuint(intake_pgp_strip_claims(message), ==, 2);
	g_assert_null(g_mime_object_get_header(object, "X-Intaked-Crypto"));
	g_assert_null(g_mime_object_get_header(object, "X-Intaked-Signer"));
	g_assert_cmpstr(g_mime_object_get_header(object, "X-Intaked-Loop"), ==,
			"cert@example.test");
	g_assert_cmpstr(g_mime_object_get_header(object, "Subject"), ==, "hi");
	g_object_unref(message);
	g_object_unref(parser);
	g_object_unref(stream);
}

int
main(int argc, char **argv)
{
	int status;

	g_test_init(&argc, &argv, NULL);
	g_mime_init();
	/* Keep TAP output readable; warnings and errors still show. */
	log_set_level(LOG_LEVEL_WARNING);
#define ADD(path, fn)                                                          \
	g_test_add(path, struct fixture, NULL, fixture_set_up, fn,             \
		   fixture_tear_down)
	ADD("/intake/report-opens-case", test_report_opens_case_and_queues_ack);
	ADD("/intake/reply-token-joins", test_reply_with_token_joins_case);
	ADD("/intake/forged-token-new-case", test_forged_token_opens_new_case);
	ADD("/intake/tag-stranger-flagged",
	    test_tag_reply_from_stranger_is_flagged);
	ADD("/intake/auto-reply-unanswered", test_auto_reply_is_never_answered);
	ADD("/intake/duplicate", test_duplicate_delivery_is_recognised);
	ADD("/intake/rate-limit", test_rate_limit_caps_new_cases);
	ADD("/intake/garbage", test_garbage_is_recorded_not_fatal);
	g_test_add_func("/intake/own-headers-stripped",
			test_own_headers_stripped);
	status = g_test_run();
	g_mime_shutdown();
	return status;
}
