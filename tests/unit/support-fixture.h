/* support-fixture.h — the fixture of test-support.c and test-introduce.c:
 * a real store, the shipped questionnaire and templates, a small
 * providers registry, and helpers that drive a case to its consent
 * request, feed mails through the import door and read the outcome back
 * from the store (outbox rows, events, consent, introductions).  Our own
 * Message-IDs (for In-Reply-To) are read back from the outbox.  Included
 * by each test program; not every program uses every helper. */
#ifndef INTAKED_TEST_SUPPORT_FIXTURE_H
#define INTAKED_TEST_SUPPORT_FIXTURE_H

#include <string.h>
#include <glib/gstdio.h>
#include <gio/gio.h>
#include <gmime/gmime.h>

#include "config.h"
#include "intake.h"
#include "log.h"
#include "mime.h"
#include "providers.h"
#include "questionnaire.h"
#include "store.h"
#include "support.h"
#include "templates.h"

/* `make check` runs from the repository root; INTAKED_SRCDIR overrides. */
G_GNUC_UNUSED static char *
source_path(const char *name)
{
	const char *srcdir = g_getenv("INTAKED_SRCDIR");

	return g_build_filename(srcdir ? srcdir : ".", name, NULL);
}

#define ALPHA_KEY "3F2A9C417B0E55D1A8C60E9B4D271F83C6A0B512"
#define OTHER_KEY "0000111122223333444455556666777788889999"

/* Two providers for pentests (alpha first in file order, so it is chosen
 * first among equals), one for forensics. */
static const char registry_text[] =
	"providers = (\n"
	"  { id = \"alpha\"; name = \"Alpha Security Volunteers\";\n"
	"    contacts = [ \"prov1@example.test\" ];\n"
	/* Spaced as people write it; the crypto stage reports it bare. */
	"    fingerprint = \"3F2A 9C41 7B0E 55D1 A8C6  0E9B 4D27 1F83 C6A0 "
	"B512\";\n"
	"    services = [ \"pentest\", \"awareness\" ];\n"
	"    regions = [ \"*\" ]; languages = [ \"en\", \"nl\" ];\n"
	"    capacity = { max_open_cases = 5; };\n"
	"    offer = \"Pentests for hospitals.\"; },\n"
	"  { id = \"bravo\"; name = \"Bravo Cyber Help\";\n"
	"    contacts = [ \"prov2@example.test\" ];\n"
	"    services = [ \"pentest\", \"awareness\" ];\n"
	"    regions = [ \"*\" ]; languages = [ \"en\" ];\n"
	"    capacity = { max_open_cases = 5; };\n"
	"    offer = \"Remote pentests.\"; },\n"
	"  { id = \"charlie\"; name = \"Charlie Forensics\";\n"
	"    contacts = [ \"prov3@example.test\" ];\n"
	"    services = [ \"forensics\" ];\n"
	"    regions = [ \"*\" ]; languages = [ \"en\" ];\n"
	"    capacity = { max_open_cases = 5; }; }\n"
	");\n";

#define REQUESTER	"jan@hospital-a.example.test"
#define ANSWER_DEADLINE 3600
#define FOLLOWUP_AFTER	600

struct fixture {
	char *dir;
	struct config *config;
	struct templates *templates;
	struct questionnaire *questionnaire;
	struct providers *providers;
	struct store *store;
	char *case_id;
	int mails; /* for unique Message-IDs */
};

G_GNUC_UNUSED static void
write_file(const char *dir, const char *name, const char *text)
{
	g_autofree char *path = g_build_filename(dir, name, NULL);
	g_autoptr(GError) error = NULL;

	g_file_set_contents(path, text, -1, &error);
	g_assert_no_error(error);
	g_chmod(path, 0600);
}

G_GNUC_UNUSED static void
fixture_set_up(struct fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *templates = source_path("templates");
	g_autofree char *questionnaire = source_path("conf/questionnaire.conf");
	g_autofree char *conf = NULL;

	f->dir = g_dir_make_tmp("test-support-XXXXXX", &error);
	g_assert_no_error(error);
	write_file(f->dir, "secret",
		   "0123456789abcdef0123456789abcdef0123456789abcdef");
	write_file(f->dir, "pw", "pw\n");
	conf = g_strdup_printf(
		"database = \"%s/db\";\n"
		"templates = \"%s\";\n"
		"questionnaire = \"%s\";\n"
		"identity = { address = \"cert@example.test\"; "
		"name = \"Test CERT\"; token_secret_file = \"%s/secret\"; "
		"staff_address = \"staff@example.test\"; };\n"
		"imap = { host = \"127.0.0.1\"; username = \"cert\"; "
		"password_file = \"%s/pw\"; };\n"
		"smtp = { host = \"127.0.0.1\"; username = \"cert\"; "
		"password_file = \"%s/pw\"; };\n"
		"questions = { reminder_after = 86400; };\n"
		"support = { answer_deadline = %d; followup_after = %d; "
		"max_consent_asks = 2; };\n",
		f->dir, templates, questionnaire, f->dir, f->dir, f->dir,
		ANSWER_DEADLINE, FOLLOWUP_AFTER);
	f->config = config_load_string(conf, "test.conf", &error);
	g_assert_no_error(error);
	f->templates = templates_load(f->config->templates,
				      (const char *const *)f->config->languages,
				      &error);
	g_assert_no_error(error);
	f->questionnaire =
		questionnaire_load(f->config->questionnaire, NULL, &error);
	g_assert_no_error(error);
	f->providers = providers_load_string(registry_text, "providers.conf",
					     NULL, NULL, &error);
	g_assert_no_error(error);
	f->store = store_open(f->config->database, &error);
	g_assert_no_error(error);
}

G_GNUC_UNUSED static void
fixture_tear_down(struct fixture *f, gconstpointer data)
{
	g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", f->dir);

	store_close(&f->store);
	providers_unref(&f->providers);
	questionnaire_unref(&f->questionnaire);
	templates_unref(&f->templates);
	config_unref(&f->config);
	g_assert_cmpint(system(cmd), ==, 0);
	g_free(f->case_id);
	g_free(f->dir);
}

G_GNUC_UNUSED static struct pipeline
pipeline_of(struct fixture *f)
{
	struct pipeline pipeline = {
		.store = f->store,
		.config = f->config,
		.templates = f->templates,
		.questionnaire = f->questionnaire,
		.providers = f->providers,
	};
	return pipeline;
}

G_GNUC_UNUSED static gint64
import(struct fixture *f, const char *raw)
{
	g_autoptr(GError) error = NULL;
	struct pipeline pipeline = pipeline_of(f);
	gint64 id = intake_import(&pipeline, (const guint8 *)raw, strlen(raw),
				  "test", &error);

	g_assert_no_error(error);
	g_assert_cmpint(id, >, 0);
	return id;
}

/* A mail from `from`; in_reply_to (our Message-ID without <>) may be
 * NULL.  Caller frees. */
G_GNUC_UNUSED static char *
mail_text(struct fixture *f, const char *from, const char *subject,
	  const char *in_reply_to, const char *body)
{
	g_autofree char *irt =
		in_reply_to != NULL
			? g_strdup_printf("In-Reply-To: <%s>\r\n", in_reply_to)
			: g_strdup("");

	f->mails++;
	return g_strdup_printf("From: %s\r\n"
			       "To: cert@example.test\r\n"
			       "Subject: %s\r\n"
			       "Message-ID: <m%d@%s>\r\n"
			       "%s"
			       "\r\n"
			       "%s\r\n",
			       from, subject, f->mails, strchr(from, '@') + 1,
			       irt, body);
}

G_GNUC_UNUSED static gint64
send(struct fixture *f, const char *from, const char *in_reply_to,
     const char *body)
{
	g_autofree char *subject =
		g_strdup_printf("Re: [CERT-%s] Your consent", f->case_id);
	g_autofree char *raw = mail_text(f, from, subject, in_reply_to, body);

	return import(f, raw);
}

G_GNUC_UNUSED static char *
case_state(struct fixture *f)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StoreCase) c = store_case_get(f->store, f->case_id, &error);

	g_assert_no_error(error);
	return g_strdup(c->state);
}

G_GNUC_UNUSED static struct store_consent *
consent_of(struct fixture *f)
{
	g_autoptr(GError) error = NULL;
	struct store_consent *consent =
		store_consent_get(f->store, f->case_id, &error);

	g_assert_no_error(error);
	g_assert_nonnull(consent);
	return consent;
}

/* The outbox entries of the case of kind, oldest first (without raw). */
G_GNUC_UNUSED static GPtrArray *
outbox_of(struct fixture *f, const char *kind)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) all =
		store_case_outbox(f->store, f->case_id, &error);
	GPtrArray *list = g_ptr_array_new_with_free_func(
		(GDestroyNotify)store_outbox_free);

	g_assert_no_error(error);
	while (all->len > 0) {
		struct store_outbox *o = g_ptr_array_steal_index(all, 0);

		if (g_str_equal(o->kind, kind))
			g_ptr_array_add(list, o);
		else
			store_outbox_free(o);
	}
	return list;
}

G_GNUC_UNUSED static guint
outbox_count(struct fixture *f, const char *kind)
{
	g_autoptr(GPtrArray) list = outbox_of(f, kind);

	return list->len;
}

/* The Message-ID of the newest entry of kind. */
G_GNUC_UNUSED static char *
newest_message_id(struct fixture *f, const char *kind)
{
	g_autoptr(GPtrArray) list = outbox_of(f, kind);

	g_assert_cmpuint(list->len, >, 0);
	return g_strdup(((struct store_outbox *)list->pdata[list->len - 1])
				->message_id);
}

G_GNUC_UNUSED static guint
event_count(struct fixture *f, const char *type)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) events =
		store_case_events(f->store, f->case_id, &error);
	guint n = 0;

	g_assert_no_error(error);
	for (guint i = 0; i < events->len; i++)
		n += g_str_equal(((struct store_event *)events->pdata[i])->type,
				 type);
	return n;
}

G_GNUC_UNUSED static guint
introduction_count(struct fixture *f)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) intros =
		store_case_introductions(f->store, f->case_id, &error);

	g_assert_no_error(error);
	return intros->len;
}

/* The introduction of provider, or NULL. */
G_GNUC_UNUSED static struct store_introduction *
introduction_of(struct fixture *f, const char *provider)
{
	g_autoptr(GError) error = NULL;
	struct store_introduction *intro =
		store_introduction_find(f->store, f->case_id, provider, &error);

	g_assert_no_error(error);
	return intro;
}

G_GNUC_UNUSED static char *
introduction_state(struct fixture *f, const char *provider)
{
	g_autoptr(StoreIntroduction) intro = introduction_of(f, provider);

	return intro != NULL ? g_strdup(intro->state) : NULL;
}

/* The Message-ID of the introduction mail to provider. */
G_GNUC_UNUSED static char *
introduction_message_id(struct fixture *f, const char *provider)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StoreIntroduction) intro = introduction_of(f, provider);
	g_autoptr(StoreOutbox) o = NULL;

	g_assert_nonnull(intro);
	o = store_outbox_get(f->store, intro->outbox, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(o->kind, ==, "introduction_provider");
	return g_strdup(o->message_id);
}

G_GNUC_UNUSED static void
set_field(struct fixture *f, const char *id, const char *value)
{
	g_autoptr(GError) error = NULL;
	struct store_field field = {
		.field = (char *)id,
		.value = (char *)value,
		.source = (char *)"staff",
		.confidence = 1.0,
	};

	g_assert_true(
		store_case_set_field(f->store, f->case_id, &field, &error));
	g_assert_no_error(error);
}

static const char report[] =
	"From: Jan Peeters <" REQUESTER ">\r\n"
	"To: cert@example.test\r\n"
	"Subject: Request for help\r\n"
	"Message-ID: <report@hospital-a.example.test>\r\n"
	"\r\n"
	"Hello, there is no incident, but we would like a pentest of our\r\n"
	"patient portal before it goes live.\r\n"
	"\r\n"
	"Regards, Jan Peeters\r\n";

/* A report, then the questionnaire's answers set as t22 gives them (a
 * request for help, not an incident) and the case completed, as the
 * intake step does: qualified as support, a consent request goes out. */
G_GNUC_UNUSED static void
drive_to_consent(struct fixture *f, const char *need)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) cases = NULL;
	g_autoptr(StoreConsent) consent = NULL;
	g_autofree char *state = NULL;
	struct pipeline pipeline = pipeline_of(f);
	gboolean queued = FALSE;

	import(f, report);
	cases = store_case_list(f->store, NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(cases->len, ==, 1);
	f->case_id = g_strdup(((struct store_case *)cases->pdata[0])->id);

	g_assert_true(store_begin(f->store, &error));
	set_field(f, "organisation", "AZ Testziekenhuis");
	set_field(f, "contact_name", "Jan Peeters");
	set_field(f, "contact_phone", "+32475550123");
	set_field(f, "country", "BE");
	set_field(f, "incident_type", "none");
	set_field(f, "need", need);
	set_field(f, "description", "A pentest of our patient portal");
	g_assert_true(
		store_case_set_state(f->store, f->case_id, "complete", &error));
	g_assert_true(
		support_advance(&pipeline, f->case_id, 0, &queued, &error));
	g_assert_no_error(error);
	g_assert_true(store_commit(f->store, &error));
	g_assert_true(queued);

	state = case_state(f);
	g_assert_cmpstr(state, ==, "awaiting_consent");
	consent = consent_of(f);
	g_assert_cmpstr(consent->state, ==, "requested");
	g_assert_cmpint(consent->asks, ==, 1);
	g_assert_nonnull(strstr(consent->fields, "organisation"));
	g_assert_cmpuint(outbox_count(f, "consent_request"), ==, 1);
	g_assert_cmpuint(introduction_count(f), ==, 0);
}

/* Consent given by the requester, answering the request: introductions
 * go out. */
G_GNUC_UNUSED static void
give_consent(struct fixture *f)
{
	g_autofree char *request = newest_message_id(f, "consent_request");
	g_autoptr(StoreConsent) consent = NULL;

	send(f, REQUESTER, request, "Yes, we consent.\r\n\r\nJan");
	consent = consent_of(f);
	g_assert_cmpstr(consent->state, ==, "given");
}

/* --- the signature proof -------------------------------------------------
 * The crypto stage's verdict is what support_read_reply() is given; here
 * it is set by hand (no keyring), on a mail without any token. */

/* Stores raw and hands it to support_read_reply() as signed by signer
 * (pinned to the sender when by_pin), in one transaction.  Returns
 * whether the support half handled it. */
G_GNUC_UNUSED static gboolean
read_signed(struct fixture *f, const char *from, const char *body,
	    const char *signer, gboolean by_pin)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *subject =
		g_strdup_printf("Re: [CERT-%s] signed", f->case_id);
	g_autofree char *raw = mail_text(f, from, subject, NULL, body);
	struct store_message_new new_message = {
		.source = "test",
		.raw = (const guint8 *)raw,
		.raw_len = strlen(raw),
		.size = (gint64)strlen(raw),
		.state = "processed",
	};
	struct mime_limits limits = {
		.max_header_bytes = 65536, .max_depth = 10, .max_parts = 100};
	struct pipeline pipeline = pipeline_of(f);
	g_autoptr(StoreMessage) message = NULL;
	g_autoptr(StoreCase) c = NULL;
	g_autoptr(MimeSummary) summary = NULL;
	GMimeMessage *mime;
	gboolean handled = FALSE, queued = FALSE;
	gint64 id;

	id = store_message_insert(f->store, &new_message, NULL, &error);
	g_assert_no_error(error);
	message = store_message_get(f->store, id, &error);
	g_assert_no_error(error);
	mime = mime_parse((const guint8 *)raw, strlen(raw), &limits, &error);
	g_assert_no_error(error);
	summary = mime_summary_new(mime, (const guint8 *)raw, strlen(raw));
	struct support_mail mail = {
		.message = message,
		.mime = mime,
		.summary = summary,
		.thread_by = "tag",
		.signer_fingerprint = signer,
		.signed_by_pin = by_pin,
	};
	g_assert_true(store_begin(f->store, &error));
	c = store_case_get(f->store, f->case_id, &error);
	g_assert_no_error(error);
	g_assert_true(support_read_reply(&pipeline, c, &mail, &handled, NULL,
					 &queued, &error));
	g_assert_no_error(error);
	g_assert_true(store_commit(f->store, &error));
	g_object_unref(mime);
	return handled;
}

#endif
