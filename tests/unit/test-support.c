/* test-support.c — the support half of a case against a real store (no
 * mocks): whose consent, withdrawal and provider answer counts (the proof
 * rules of docs/providers.md, "The support flow"), and the flow from the
 * consent request through introductions, declines, deadlines and the
 * follow-up.  Mails go through the import door with the shipped
 * questionnaire and templates and a small providers registry; our own
 * Message-IDs (for In-Reply-To) are read back from the outbox. */
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
static char *
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

static void
write_file(const char *dir, const char *name, const char *text)
{
	g_autofree char *path = g_build_filename(dir, name, NULL);
	g_autoptr(GError) error = NULL;

	g_file_set_contents(path, text, -1, &error);
	g_assert_no_error(error);
	g_chmod(path, 0600);
}

static void
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

static void
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

static struct pipeline
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

static gint64
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
static char *
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

static gint64
send(struct fixture *f, const char *from, const char *in_reply_to,
     const char *body)
{
	g_autofree char *subject =
		g_strdup_printf("Re: [CERT-%s] Your consent", f->case_id);
	g_autofree char *raw = mail_text(f, from, subject, in_reply_to, body);

	return import(f, raw);
}

static char *
case_state(struct fixture *f)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StoreCase) c = store_case_get(f->store, f->case_id, &error);

	g_assert_no_error(error);
	return g_strdup(c->state);
}

static struct store_consent *
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
static GPtrArray *
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

static guint
outbox_count(struct fixture *f, const char *kind)
{
	g_autoptr(GPtrArray) list = outbox_of(f, kind);

	return list->len;
}

/* The Message-ID of the newest entry of kind. */
static char *
newest_message_id(struct fixture *f, const char *kind)
{
	g_autoptr(GPtrArray) list = outbox_of(f, kind);

	g_assert_cmpuint(list->len, >, 0);
	return g_strdup(((struct store_outbox *)list->pdata[list->len - 1])
				->message_id);
}

static guint
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

static guint
introduction_count(struct fixture *f)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) intros =
		store_case_introductions(f->store, f->case_id, &error);

	g_assert_no_error(error);
	return intros->len;
}

/* The introduction of provider, or NULL. */
static struct store_introduction *
introduction_of(struct fixture *f, const char *provider)
{
	g_autoptr(GError) error = NULL;
	struct store_introduction *intro =
		store_introduction_find(f->store, f->case_id, provider, &error);

	g_assert_no_error(error);
	return intro;
}

static char *
introduction_state(struct fixture *f, const char *provider)
{
	g_autoptr(StoreIntroduction) intro = introduction_of(f, provider);

	return intro != NULL ? g_strdup(intro->state) : NULL;
}

/* The Message-ID of the introduction mail to provider. */
static char *
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

static void
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
static void
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
static void
give_consent(struct fixture *f)
{
	g_autofree char *request = newest_message_id(f, "consent_request");
	g_autoptr(StoreConsent) consent = NULL;

	send(f, REQUESTER, request, "Yes, we consent.\r\n\r\nJan");
	consent = consent_of(f);
	g_assert_cmpstr(consent->state, ==, "given");
}

/* 1. The requester, with the request's token, says yes. */
static void
test_consent_given(struct fixture *f, gconstpointer data)
{
	g_autofree char *request = NULL, *state = NULL;
	g_autofree char *alpha = NULL, *charlie = NULL, *bravo = NULL;
	g_autoptr(StoreConsent) consent = NULL;
	g_autoptr(GPtrArray) intros = NULL;
	g_autoptr(GPtrArray) to_requester = NULL;
	gint64 msg;

	/* No provider covers both needs: one for each. */
	drive_to_consent(f, "pentest,forensics");
	request = newest_message_id(f, "consent_request");
	msg = send(f, REQUESTER, request, "Yes, we consent.\r\n\r\nJan");

	consent = consent_of(f);
	g_assert_cmpstr(consent->state, ==, "given");
	g_assert_cmpstr(consent->proof, ==, "token");
	g_assert_cmpstr(consent->answered_by, ==, REQUESTER);
	g_assert_cmpint(consent->message, ==, msg);
	g_assert_cmpint(consent->answered_at, >, 0);
	g_assert_cmpuint(event_count(f, "consent_given"), ==, 1);

	intros = outbox_of(f, "introduction_provider");
	g_assert_cmpuint(intros->len, ==, 2);
	g_assert_cmpstr(((struct store_outbox *)intros->pdata[0])->rcpt_to, ==,
			"prov1@example.test");
	g_assert_cmpstr(((struct store_outbox *)intros->pdata[1])->rcpt_to, ==,
			"prov3@example.test");
	g_assert_cmpuint(introduction_count(f), ==, 2);
	alpha = introduction_state(f, "alpha");
	charlie = introduction_state(f, "charlie");
	bravo = introduction_state(f, "bravo");
	g_assert_cmpstr(alpha, ==, "introduced");
	g_assert_cmpstr(charlie, ==, "introduced");
	g_assert_null(bravo);
	to_requester = outbox_of(f, "introduction_requester");
	g_assert_cmpuint(to_requester->len, ==, 1);
	g_assert_cmpstr(
		((struct store_outbox *)to_requester->pdata[0])->rcpt_to, ==,
		REQUESTER);
	state = case_state(f);
	g_assert_cmpstr(state, ==, "matching");
}

/* 2. Another address answers the consent request with a yes. */
static void
test_consent_other_address(struct fixture *f, gconstpointer data)
{
	g_autofree char *request = NULL, *state = NULL;
	g_autoptr(StoreConsent) consent = NULL;
	guint staff_before;

	drive_to_consent(f, "pentest");
	request = newest_message_id(f, "consent_request");
	staff_before = outbox_count(f, "staff_attention");
	send(f, "colleague@hospital-b.example.test", request, "yes");

	consent = consent_of(f);
	g_assert_cmpstr(consent->state, ==, "requested");
	g_assert_cmpint(consent->asks, ==, 1);
	g_assert_cmpuint(event_count(f, "consent_rejected"), ==, 1);
	g_assert_cmpuint(outbox_count(f, "staff_attention"), ==,
			 staff_before + 1);
	g_assert_cmpuint(introduction_count(f), ==, 0);
	g_assert_cmpuint(outbox_count(f, "introduction_provider"), ==, 0);
	state = case_state(f);
	g_assert_cmpstr(state, ==, "awaiting_consent");
}

/* 3. The requester's address, but only the public case tag: a From is
 * easily forged, so the yes is not counted. */
static void
test_consent_tag_only(struct fixture *f, gconstpointer data)
{
	g_autofree char *state = NULL;
	g_autoptr(StoreConsent) consent = NULL;

	drive_to_consent(f, "pentest");
	send(f, REQUESTER, NULL, "yes");

	consent = consent_of(f);
	g_assert_cmpstr(consent->state, ==, "requested");
	g_assert_cmpint(consent->asks, ==, 1);
	g_assert_cmpuint(event_count(f, "consent_rejected"), ==, 1);
	g_assert_cmpuint(event_count(f, "consent_given"), ==, 0);
	g_assert_cmpuint(outbox_count(f, "staff_attention"), ==, 1);
	g_assert_cmpuint(introduction_count(f), ==, 0);
	state = case_state(f);
	g_assert_cmpstr(state, ==, "awaiting_consent");
}

/* 4. Unclear answers are asked again, up to support.max_consent_asks
 * requests; then staff. */
static void
test_consent_unclear(struct fixture *f, gconstpointer data)
{
	g_autofree char *first = NULL, *second = NULL, *state = NULL;
	g_autoptr(StoreConsent) consent = NULL;
	g_autoptr(StoreConsent) after = NULL;
	guint staff_before;

	drive_to_consent(f, "pentest");
	first = newest_message_id(f, "consent_request");
	send(f, REQUESTER, first, "We must first ask our DPO.");

	consent = consent_of(f);
	g_assert_cmpstr(consent->state, ==, "requested");
	g_assert_cmpint(consent->asks, ==, 2);
	g_assert_cmpuint(outbox_count(f, "consent_request"), ==, 2);
	g_assert_cmpuint(event_count(f, "consent_unclear"), ==, 1);
	second = newest_message_id(f, "consent_request");
	g_assert_cmpstr(second, !=, first);

	/* The second request was the last one (max_consent_asks = 2). */
	staff_before = outbox_count(f, "staff_attention");
	send(f, REQUESTER, second, "We must first ask our DPO, sorry.");
	after = consent_of(f);
	g_assert_cmpstr(after->state, ==, "requested");
	g_assert_cmpint(after->asks, ==, 2);
	g_assert_cmpuint(outbox_count(f, "consent_request"), ==, 2);
	g_assert_cmpuint(event_count(f, "consent_unclear"), ==, 2);
	g_assert_cmpuint(outbox_count(f, "staff_attention"), ==,
			 staff_before + 1);
	g_assert_cmpuint(introduction_count(f), ==, 0);
	state = case_state(f);
	g_assert_cmpstr(state, ==, "awaiting_consent");
}

/* 5. A proven no. */
static void
test_consent_refused(struct fixture *f, gconstpointer data)
{
	g_autofree char *request = NULL, *state = NULL;
	g_autoptr(StoreConsent) consent = NULL;
	g_autoptr(GPtrArray) refused = NULL;

	drive_to_consent(f, "pentest");
	request = newest_message_id(f, "consent_request");
	send(f, REQUESTER, request, "No thanks.");

	consent = consent_of(f);
	g_assert_cmpstr(consent->state, ==, "refused");
	g_assert_cmpstr(consent->proof, ==, "token");
	state = case_state(f);
	g_assert_cmpstr(state, ==, "consent_refused");
	refused = outbox_of(f, "consent_refused");
	g_assert_cmpuint(refused->len, ==, 1);
	g_assert_cmpstr(((struct store_outbox *)refused->pdata[0])->rcpt_to, ==,
			REQUESTER);
	g_assert_cmpuint(introduction_count(f), ==, 0);
	g_assert_cmpuint(outbox_count(f, "introduction_provider"), ==, 0);
}

/* 6. A provider answer counts only from the provider introduced, with the
 * token of its own introduction. */
static void
test_provider_rejected(struct fixture *f, gconstpointer data)
{
	g_autofree char *ack = NULL, *alpha_intro = NULL, *state = NULL;
	g_autofree char *alpha = NULL, *charlie = NULL;
	g_autofree char *subject = NULL, *raw = NULL;

	drive_to_consent(f, "pentest");
	give_consent(f);
	g_assert_cmpuint(introduction_count(f), ==, 1);

	/* Not introduced, only the case tag. */
	subject = g_strdup_printf("Re: [CERT-%s] we accept", f->case_id);
	raw = mail_text(f, "prov3@example.test", subject, NULL,
			"We accept this case and will contact the hospital.");
	import(f, raw);
	g_assert_cmpuint(event_count(f, "provider_rejected"), ==, 1);

	/* Not introduced, quoting another provider's introduction. */
	alpha_intro = introduction_message_id(f, "alpha");
	send(f, "prov3@example.test", alpha_intro, "We accept.");
	g_assert_cmpuint(event_count(f, "provider_rejected"), ==, 2);

	/* Introduced, but with the token of another of our mails (the
	 * acknowledgement), not of its introduction. */
	ack = newest_message_id(f, "ack");
	send(f, "prov1@example.test", ack, "We accept.");
	g_assert_cmpuint(event_count(f, "provider_rejected"), ==, 3);

	alpha = introduction_state(f, "alpha");
	g_assert_cmpstr(alpha, ==, "introduced");
	charlie = introduction_state(f, "charlie");
	g_assert_null(charlie);
	g_assert_cmpuint(introduction_count(f), ==, 1);
	g_assert_cmpuint(event_count(f, "provider_accepted"), ==, 0);
	state = case_state(f);
	g_assert_cmpstr(state, ==, "matching");
	g_assert_cmpuint(outbox_count(f, "staff_attention"), ==, 3);
}

/* 7. A decline brings the next candidate; an acceptance puts the case in
 * progress. */
static void
test_decline_accept(struct fixture *f, gconstpointer data)
{
	g_autofree char *alpha_intro = NULL, *bravo_intro = NULL;
	g_autofree char *alpha = NULL, *bravo = NULL, *state = NULL;
	g_autofree char *bravo_after = NULL, *state_after = NULL;
	g_autoptr(GPtrArray) rematch = NULL;

	drive_to_consent(f, "pentest");
	give_consent(f);
	alpha_intro = introduction_message_id(f, "alpha");
	send(f, "prov1@example.test", alpha_intro,
	     "Sorry, we have to decline: no capacity this month.");

	alpha = introduction_state(f, "alpha");
	g_assert_cmpstr(alpha, ==, "declined");
	bravo = introduction_state(f, "bravo");
	g_assert_cmpstr(bravo, ==, "introduced");
	g_assert_cmpuint(outbox_count(f, "introduction_provider"), ==, 2);
	rematch = outbox_of(f, "rematch_requester");
	g_assert_cmpuint(rematch->len, ==, 1);
	g_assert_cmpstr(((struct store_outbox *)rematch->pdata[0])->rcpt_to, ==,
			REQUESTER);
	g_assert_cmpuint(event_count(f, "provider_declined"), ==, 1);
	state = case_state(f);
	g_assert_cmpstr(state, ==, "matching");

	bravo_intro = introduction_message_id(f, "bravo");
	send(f, "prov2@example.test", bravo_intro,
	     "We accept. We will call Jan tomorrow.");
	bravo_after = introduction_state(f, "bravo");
	g_assert_cmpstr(bravo_after, ==, "accepted");
	state_after = case_state(f);
	g_assert_cmpstr(state_after, ==, "in_progress");
	g_assert_cmpuint(event_count(f, "provider_accepted"), ==, 1);
	/* Nobody else is asked. */
	g_assert_cmpuint(outbox_count(f, "introduction_provider"), ==, 2);
}

/* 8. Withdrawal needs the words and the proof; "no help yet" is not
 * one. */
static void
test_withdrawal(struct fixture *f, gconstpointer data)
{
	g_autofree char *request = NULL, *told = NULL, *intro = NULL;
	g_autofree char *state = NULL, *state_after = NULL, *alpha = NULL;
	g_autofree char *charlie_intro = NULL, *charlie = NULL;
	g_autoptr(StoreConsent) still = NULL;
	g_autoptr(StoreConsent) forged = NULL;
	g_autoptr(StoreConsent) by_provider = NULL;
	g_autoptr(StoreConsent) withdrawn = NULL;
	g_autoptr(GPtrArray) to_provider = NULL;
	g_autoptr(GPtrArray) to_requester = NULL;

	/* Two providers: charlie accepts, alpha has not answered. */
	drive_to_consent(f, "pentest,forensics");
	give_consent(f);
	charlie_intro = introduction_message_id(f, "charlie");
	send(f, "prov3@example.test", charlie_intro, "We accept.");
	state = case_state(f);
	g_assert_cmpstr(state, ==, "in_progress");
	g_clear_pointer(&state, g_free);
	told = newest_message_id(f, "introduction_requester");
	send(f, REQUESTER, told, "No, help has not arrived yet.");
	still = consent_of(f);
	g_assert_cmpstr(still->state, ==, "given");
	g_assert_cmpuint(event_count(f, "consent_withdrawn"), ==, 0);
	state = case_state(f);
	g_assert_cmpstr(state, ==, "in_progress");

	/* From another address: rejected. */
	request = newest_message_id(f, "consent_request");
	send(f, "colleague@hospital-b.example.test", request,
	     "We withdraw our consent.");
	forged = consent_of(f);
	g_assert_cmpstr(forged->state, ==, "given");
	g_assert_cmpuint(event_count(f, "consent_rejected"), ==, 1);

	/* The requester's From (easily forged) with the token of a mail we
	 * sent to the provider, not to the requester: a provider (who knows
	 * the requester's address from the introduction) cannot stop the
	 * help this way. */
	intro = introduction_message_id(f, "alpha");
	send(f, REQUESTER, intro, "We withdraw our consent.");
	by_provider = consent_of(f);
	g_assert_cmpstr(by_provider->state, ==, "given");
	g_assert_cmpuint(event_count(f, "consent_rejected"), ==, 2);
	g_assert_cmpuint(outbox_count(f, "consent_withdrawn_provider"), ==, 0);

	send(f, REQUESTER, request, "We withdraw our consent.");
	withdrawn = consent_of(f);
	g_assert_cmpstr(withdrawn->state, ==, "withdrawn");
	g_assert_cmpint(withdrawn->withdrawn_at, >, 0);
	g_assert_cmpstr(withdrawn->withdrawn_by, ==, REQUESTER);
	alpha = introduction_state(f, "alpha");
	g_assert_cmpstr(alpha, ==, "withdrawn");
	charlie = introduction_state(f, "charlie");
	g_assert_cmpstr(charlie, ==, "withdrawn");
	to_provider = outbox_of(f, "consent_withdrawn_provider");
	g_assert_cmpuint(to_provider->len, ==, 2);
	g_assert_cmpstr(((struct store_outbox *)to_provider->pdata[0])->rcpt_to,
			==, "prov1@example.test");
	g_assert_cmpstr(((struct store_outbox *)to_provider->pdata[1])->rcpt_to,
			==, "prov3@example.test");
	to_requester = outbox_of(f, "consent_withdrawn");
	g_assert_cmpuint(to_requester->len, ==, 1);
	g_assert_cmpstr(
		((struct store_outbox *)to_requester->pdata[0])->rcpt_to, ==,
		REQUESTER);
	state_after = case_state(f);
	g_assert_cmpstr(state_after, ==, "consent_withdrawn");

	/* A provider answering after that changes nothing, and nobody is
	 * introduced in its place. */
	send(f, "prov1@example.test", intro, "We accept.");
	g_clear_pointer(&alpha, g_free);
	alpha = introduction_state(f, "alpha");
	g_assert_cmpstr(alpha, ==, "withdrawn");
	g_clear_pointer(&state_after, g_free);
	state_after = case_state(f);
	g_assert_cmpstr(state_after, ==, "consent_withdrawn");
	send(f, "prov1@example.test", intro, "Sorry, we decline.");
	g_assert_cmpuint(introduction_count(f), ==, 2);
	g_assert_cmpuint(outbox_count(f, "rematch_requester"), ==, 0);
}

/* 9. The timers: a deadline passes, the next candidate is introduced; the
 * follow-up goes out once. */
static void
test_due(struct fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StoreIntroduction) alpha_intro = NULL;
	g_autoptr(StoreIntroduction) bravo_intro = NULL;
	g_autoptr(StoreQualification) q = NULL;
	g_autofree char *alpha = NULL, *bravo = NULL, *bravo_id = NULL;
	g_autofree char *state = NULL, *followup = NULL;
	struct pipeline pipeline = pipeline_of(f);
	gint64 next_due = 0;
	gint64 now;

	drive_to_consent(f, "pentest");
	give_consent(f);
	alpha_intro = introduction_of(f, "alpha");
	now = alpha_intro->introduced_at;
	g_assert_cmpint(alpha_intro->deadline_at, ==, now + ANSWER_DEADLINE);

	/* Not yet due: nothing, but we learn when. */
	g_assert_cmpint(support_due(&pipeline, now, &next_due, &error), ==, 0);
	g_assert_no_error(error);
	g_assert_cmpint(next_due, ==, now + ANSWER_DEADLINE);

	/* Due: alpha expires, bravo is introduced, the requester told. */
	g_assert_cmpint(support_due(&pipeline, now + ANSWER_DEADLINE, &next_due,
				    &error),
			==, 1);
	g_assert_no_error(error);
	alpha = introduction_state(f, "alpha");
	g_assert_cmpstr(alpha, ==, "expired");
	bravo_intro = introduction_of(f, "bravo");
	g_assert_nonnull(bravo_intro);
	g_assert_cmpstr(bravo_intro->state, ==, "introduced");
	g_assert_cmpint(bravo_intro->deadline_at, >=, now + ANSWER_DEADLINE);
	g_assert_cmpuint(event_count(f, "provider_no_answer"), ==, 1);
	g_assert_cmpuint(outbox_count(f, "rematch_requester"), ==, 1);
	g_assert_cmpuint(outbox_count(f, "introduction_provider"), ==, 2);

	/* Alpha is done with; bravo's deadline is later. */
	g_assert_cmpint(support_due(&pipeline, now + ANSWER_DEADLINE - 1,
				    &next_due, &error),
			==, 0);
	g_assert_cmpint(next_due, ==, bravo_intro->deadline_at);
	g_assert_cmpuint(outbox_count(f, "rematch_requester"), ==, 1);

	bravo_id = introduction_message_id(f, "bravo");
	send(f, "prov2@example.test", bravo_id, "We accept.");
	bravo = introduction_state(f, "bravo");
	g_assert_cmpstr(bravo, ==, "accepted");
	state = case_state(f);
	g_assert_cmpstr(state, ==, "in_progress");
	g_clear_pointer(&bravo_intro, store_introduction_free);
	bravo_intro = introduction_of(f, "bravo");

	/* The follow-up: not before followup_after, then once. */
	g_assert_cmpint(support_due(&pipeline, bravo_intro->answered_at,
				    &next_due, &error),
			==, 0);
	g_assert_cmpint(next_due, ==,
			bravo_intro->answered_at + FOLLOWUP_AFTER);
	g_assert_cmpuint(outbox_count(f, "followup_requester"), ==, 0);
	g_assert_cmpint(support_due(&pipeline,
				    bravo_intro->answered_at + FOLLOWUP_AFTER,
				    &next_due, &error),
			==, 1);
	g_assert_no_error(error);
	g_assert_cmpuint(outbox_count(f, "followup_requester"), ==, 1);
	g_assert_cmpint(support_due(&pipeline,
				    bravo_intro->answered_at + FOLLOWUP_AFTER,
				    &next_due, &error),
			==, 0);
	g_assert_cmpint(support_due(&pipeline, bravo_intro->answered_at + 9999,
				    &next_due, &error),
			==, 0);
	g_assert_no_error(error);
	g_assert_cmpuint(outbox_count(f, "followup_requester"), ==, 1);
	g_assert_cmpuint(event_count(f, "followup_sent"), ==, 1);
	q = store_qualification_get(f->store, f->case_id, &error);
	g_assert_no_error(error);
	g_assert_cmpint(q->followup_outbox, >, 0);

	/* The answer counts only with the follow-up's token. */
	send(f, REQUESTER, NULL, "Yes.");
	g_clear_pointer(&state, g_free);
	state = case_state(f);
	g_assert_cmpstr(state, ==, "in_progress");
	g_assert_cmpuint(event_count(f, "followup_answer"), ==, 0);
	followup = newest_message_id(f, "followup_requester");
	send(f, REQUESTER, followup, "Yes, thank you.");
	g_clear_pointer(&state, g_free);
	state = case_state(f);
	g_assert_cmpstr(state, ==, "resolved");
	g_assert_cmpuint(event_count(f, "followup_answer"), ==, 1);
}

/* A provider that lets its deadline pass and accepts later is recorded,
 * and staff are told (the next candidate may be on it too). */
static void
test_late_accept(struct fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StoreIntroduction) alpha_intro = NULL;
	g_autofree char *alpha_id = NULL, *alpha = NULL, *bravo = NULL;
	g_autofree char *state = NULL;
	struct pipeline pipeline = pipeline_of(f);
	guint staff_before;

	drive_to_consent(f, "pentest");
	give_consent(f);
	alpha_intro = introduction_of(f, "alpha");
	g_assert_cmpint(
		support_due(&pipeline, alpha_intro->deadline_at, NULL, &error),
		==, 1);
	g_assert_no_error(error);
	staff_before = outbox_count(f, "staff_attention");

	alpha_id = introduction_message_id(f, "alpha");
	send(f, "prov1@example.test", alpha_id, "We accept.");
	alpha = introduction_state(f, "alpha");
	g_assert_cmpstr(alpha, ==, "accepted");
	bravo = introduction_state(f, "bravo");
	g_assert_cmpstr(bravo, ==, "introduced");
	state = case_state(f);
	g_assert_cmpstr(state, ==, "in_progress");
	g_assert_cmpuint(outbox_count(f, "staff_attention"), ==,
			 staff_before + 1);
}

/* The same for a provider that declined and then accepts after all. */
static void
test_accept_after_decline(struct fixture *f, gconstpointer data)
{
	g_autofree char *alpha_id = NULL, *alpha = NULL, *bravo = NULL;
	g_autofree char *state = NULL;
	guint staff_before;

	drive_to_consent(f, "pentest");
	give_consent(f);
	alpha_id = introduction_message_id(f, "alpha");
	send(f, "prov1@example.test", alpha_id,
	     "Sorry, we have to decline: no capacity this month.");
	bravo = introduction_state(f, "bravo");
	g_assert_cmpstr(bravo, ==, "introduced");
	staff_before = outbox_count(f, "staff_attention");

	send(f, "prov1@example.test", alpha_id,
	     "We accept after all, we found someone.");
	alpha = introduction_state(f, "alpha");
	g_assert_cmpstr(alpha, ==, "accepted");
	state = case_state(f);
	g_assert_cmpstr(state, ==, "in_progress");
	g_assert_cmpuint(outbox_count(f, "staff_attention"), ==,
			 staff_before + 1);
}

/* 10. The same consent mail imported twice introduces once. */
static void
test_idempotent(struct fixture *f, gconstpointer data)
{
	g_autofree char *request = NULL, *subject = NULL, *raw = NULL;
	g_autofree char *alpha_id = NULL, *decline = NULL;
	g_autoptr(StoreConsent) consent = NULL;

	drive_to_consent(f, "pentest");
	request = newest_message_id(f, "consent_request");
	subject = g_strdup_printf("Re: [CERT-%s] Your consent", f->case_id);
	raw = mail_text(f, REQUESTER, subject, request, "Yes, we consent.");
	import(f, raw);
	import(f, raw);

	consent = consent_of(f);
	g_assert_cmpstr(consent->state, ==, "given");
	g_assert_cmpuint(event_count(f, "consent_given"), ==, 1);
	g_assert_cmpuint(introduction_count(f), ==, 1);
	g_assert_cmpuint(outbox_count(f, "introduction_provider"), ==, 1);
	g_assert_cmpuint(outbox_count(f, "introduction_requester"), ==, 1);
	g_assert_cmpuint(event_count(f, "consent_rejected"), ==, 0);

	/* A second yes, a new mail: consent is given already. */
	send(f, REQUESTER, request, "Yes, we consent. Jan");
	g_assert_cmpuint(event_count(f, "consent_given"), ==, 1);
	g_assert_cmpuint(outbox_count(f, "introduction_provider"), ==, 1);

	/* The same decline twice: one replacement. */
	alpha_id = introduction_message_id(f, "alpha");
	decline = mail_text(f, "prov1@example.test", subject, alpha_id,
			    "Sorry, we decline.");
	import(f, decline);
	import(f, decline);
	g_assert_cmpuint(event_count(f, "provider_declined"), ==, 1);
	g_assert_cmpuint(outbox_count(f, "introduction_provider"), ==, 2);
	g_assert_cmpuint(outbox_count(f, "rematch_requester"), ==, 1);
}

/* Staff took the case back as an incident while the consent request was
 * out: a later yes to that request introduces nobody. */
static void
test_consent_after_incident(struct fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *request = NULL, *state = NULL;
	g_autoptr(StoreConsent) consent = NULL;
	struct pipeline pipeline = pipeline_of(f);
	gboolean queued = FALSE;

	drive_to_consent(f, "pentest");
	request = newest_message_id(f, "consent_request");
	g_assert_true(support_qualify_by_staff(&pipeline, f->case_id,
					       QUALIFY_INCIDENT, "alice",
					       &queued, &error));
	g_assert_no_error(error);
	state = case_state(f);
	g_assert_cmpstr(state, ==, "incident");

	send(f, REQUESTER, request, "Yes, we consent.");
	g_assert_cmpuint(introduction_count(f), ==, 0);
	g_assert_cmpuint(outbox_count(f, "introduction_provider"), ==, 0);
	g_assert_cmpuint(event_count(f, "consent_given"), ==, 0);
	g_free(state);
	state = case_state(f);
	g_assert_cmpstr(state, ==, "incident");
	consent = consent_of(f);
	g_assert_cmpstr(consent->state, ==, "requested");
	/* Staff are told the requester answered. */
	g_assert_cmpuint(outbox_count(f, "staff_attention"), ==, 1);

	/* Nor does an unclear answer ask again (which would move the case
	 * back to awaiting_consent). */
	send(f, REQUESTER, request, "We must first ask our DPO.");
	g_assert_cmpuint(outbox_count(f, "consent_request"), ==, 1);
	g_free(state);
	state = case_state(f);
	g_assert_cmpstr(state, ==, "incident");
}

/* A provider that accepted and then backs out: the next candidate is
 * introduced and the case waits for it again. */
static void
test_accept_then_decline(struct fixture *f, gconstpointer data)
{
	g_autofree char *alpha_intro = NULL, *alpha = NULL, *bravo = NULL;
	g_autofree char *state = NULL;

	drive_to_consent(f, "pentest");
	give_consent(f);
	alpha_intro = introduction_message_id(f, "alpha");
	send(f, "prov1@example.test", alpha_intro, "We accept.");
	state = case_state(f);
	g_assert_cmpstr(state, ==, "in_progress");

	send(f, "prov1@example.test", alpha_intro,
	     "Sorry, we have to decline after all: no capacity this month.");
	alpha = introduction_state(f, "alpha");
	g_assert_cmpstr(alpha, ==, "declined");
	bravo = introduction_state(f, "bravo");
	g_assert_cmpstr(bravo, ==, "introduced");
	g_assert_cmpuint(outbox_count(f, "rematch_requester"), ==, 1);
	g_free(state);
	state = case_state(f);
	g_assert_cmpstr(state, ==, "matching");
}

/* Staff withdraw on the requester's behalf: only a consent given. */
static void
test_withdraw_by_staff(struct fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StoreConsent) requested = NULL;
	g_autoptr(StoreConsent) withdrawn = NULL;
	g_autofree char *state = NULL, *alpha = NULL;
	struct pipeline pipeline = pipeline_of(f);
	gboolean queued = FALSE;

	drive_to_consent(f, "pentest");
	g_assert_false(support_withdraw_by_staff(&pipeline, f->case_id, "alice",
						 &queued, &error));
	g_assert_nonnull(error);
	g_clear_error(&error);
	requested = consent_of(f);
	g_assert_cmpstr(requested->state, ==, "requested");
	state = case_state(f);
	g_assert_cmpstr(state, ==, "awaiting_consent");
	g_assert_cmpuint(outbox_count(f, "consent_withdrawn"), ==, 0);

	give_consent(f);
	g_assert_true(support_withdraw_by_staff(&pipeline, f->case_id, "alice",
						&queued, &error));
	g_assert_no_error(error);
	g_assert_true(queued);
	withdrawn = consent_of(f);
	g_assert_cmpstr(withdrawn->state, ==, "withdrawn");
	g_assert_cmpstr(withdrawn->withdrawn_by, ==, "staff:alice");
	alpha = introduction_state(f, "alpha");
	g_assert_cmpstr(alpha, ==, "withdrawn");
	g_assert_cmpuint(outbox_count(f, "consent_withdrawn_provider"), ==, 1);
	g_assert_cmpuint(outbox_count(f, "consent_withdrawn"), ==, 1);
	g_clear_pointer(&state, g_free);
	state = case_state(f);
	g_assert_cmpstr(state, ==, "consent_withdrawn");
}

/* Nobody offers the need: the case is unmatched and staff are told. */
static void
test_unmatched(struct fixture *f, gconstpointer data)
{
	g_autofree char *state = NULL;

	drive_to_consent(f, "appsec");
	give_consent(f);
	state = case_state(f);
	g_assert_cmpstr(state, ==, "unmatched");
	g_assert_cmpuint(introduction_count(f), ==, 0);
	g_assert_cmpuint(outbox_count(f, "introduction_provider"), ==, 0);
	g_assert_cmpuint(event_count(f, "unmatched"), ==, 1);
	g_assert_cmpuint(outbox_count(f, "staff_attention"), ==, 1);
}

/* One need is covered, another by nobody: the covered one goes out, and
 * staff hear of the other (they look for help). */
static void
test_uncovered(struct fixture *f, gconstpointer data)
{
	g_autofree char *state = NULL;

	drive_to_consent(f, "pentest,appsec");
	give_consent(f);
	state = case_state(f);
	g_assert_cmpstr(state, ==, "matching");
	g_assert_cmpuint(introduction_count(f), ==, 1);
	g_assert_cmpuint(outbox_count(f, "introduction_requester"), ==, 1);
	g_assert_cmpuint(outbox_count(f, "staff_attention"), ==, 1);
}

/* A provider paused from intakectl (in the database) is passed over. */
static void
test_paused(struct fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *alpha = NULL, *bravo = NULL;

	drive_to_consent(f, "pentest");
	g_assert_true(store_provider_pause(f->store, "alpha", TRUE, "alice",
					   "holiday", 0, &error));
	g_assert_no_error(error);
	give_consent(f);
	alpha = introduction_state(f, "alpha");
	g_assert_null(alpha);
	bravo = introduction_state(f, "bravo");
	g_assert_cmpstr(bravo, ==, "introduced");
}

/* --- the signature proof -------------------------------------------------
 * The crypto stage's verdict is what support_read_reply() is given; here
 * it is set by hand (no keyring), on a mail without any token. */

/* Stores raw and hands it to support_read_reply() as signed by signer
 * (pinned to the sender when by_pin), in one transaction.  Returns
 * whether the support half handled it. */
static gboolean
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

/* The requester's pinned key proves a consent and a withdrawal. */
static void
test_signed_requester(struct fixture *f, gconstpointer data)
{
	g_autoptr(StoreConsent) unsigned_yes = NULL;
	g_autoptr(StoreConsent) given = NULL;
	g_autoptr(StoreConsent) withdrawn = NULL;
	g_autofree char *state = NULL;

	drive_to_consent(f, "pentest");
	/* Signed, but not by the key pinned to the requester. */
	g_assert_true(read_signed(f, REQUESTER, "Yes, we consent.", OTHER_KEY,
				  FALSE));
	unsigned_yes = consent_of(f);
	g_assert_cmpstr(unsigned_yes->state, ==, "requested");
	g_assert_cmpuint(event_count(f, "consent_rejected"), ==, 1);

	g_assert_true(
		read_signed(f, REQUESTER, "Yes, we consent.", OTHER_KEY, TRUE));
	given = consent_of(f);
	g_assert_cmpstr(given->state, ==, "given");
	g_assert_cmpstr(given->proof, ==, "signature");
	g_assert_cmpuint(introduction_count(f), ==, 1);

	/* A withdrawal without a token or signature is rejected; signed by
	 * the pinned key it counts. */
	g_assert_true(read_signed(f, REQUESTER, "We withdraw our consent.",
				  NULL, FALSE));
	g_assert_cmpuint(event_count(f, "consent_rejected"), ==, 2);
	g_assert_true(read_signed(f, REQUESTER, "We withdraw our consent.",
				  OTHER_KEY, TRUE));
	withdrawn = consent_of(f);
	g_assert_cmpstr(withdrawn->state, ==, "withdrawn");
	state = case_state(f);
	g_assert_cmpstr(state, ==, "consent_withdrawn");
}

/* A provider's answer signed by the key providers.conf names for it
 * counts without the token; another key does not. */
static void
test_signed_provider(struct fixture *f, gconstpointer data)
{
	g_autofree char *after_other = NULL, *after_own = NULL;
	g_autofree char *state = NULL;

	drive_to_consent(f, "pentest");
	give_consent(f);
	g_assert_true(read_signed(f, "prov1@example.test", "We accept.",
				  OTHER_KEY, FALSE));
	after_other = introduction_state(f, "alpha");
	g_assert_cmpstr(after_other, ==, "introduced");
	g_assert_cmpuint(event_count(f, "provider_rejected"), ==, 1);

	g_assert_true(read_signed(f, "prov1@example.test", "We accept.",
				  ALPHA_KEY, FALSE));
	after_own = introduction_state(f, "alpha");
	g_assert_cmpstr(after_own, ==, "accepted");
	state = case_state(f);
	g_assert_cmpstr(state, ==, "in_progress");
}

/* A peer's Message-ID we cannot write back (no "@") neither fails the
 * reply to it nor stops the intake: the reply goes without In-Reply-To. */
static void
test_odd_message_id(struct fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *request = NULL, *raw = NULL, *state = NULL;
	g_autoptr(GPtrArray) refused = NULL;
	g_autoptr(StoreOutbox) entry = NULL;
	GMimeMessage *mime;
	struct mime_limits limits = {
		.max_header_bytes = 65536, .max_depth = 10, .max_parts = 100};
	gsize len;
	const guint8 *bytes;

	drive_to_consent(f, "pentest");
	request = newest_message_id(f, "consent_request");
	raw = g_strdup_printf("From: " REQUESTER "\r\n"
			      "To: cert@example.test\r\n"
			      "Subject: Re: consent\r\n"
			      "Message-ID: <20261203.1234>\r\n"
			      "References: <%s>\r\n"
			      "In-Reply-To: <%s>\r\n"
			      "\r\n"
			      "No thanks.\r\n",
			      request, request);
	import(f, raw);
	state = case_state(f);
	g_assert_cmpstr(state, ==, "consent_refused");
	refused = outbox_of(f, "consent_refused");
	g_assert_cmpuint(refused->len, ==, 1);
	entry = store_outbox_get(f->store,
				 ((struct store_outbox *)refused->pdata[0])->id,
				 &error);
	g_assert_no_error(error);
	bytes = g_bytes_get_data(entry->raw, &len);
	mime = mime_parse(bytes, len, &limits, &error);
	g_assert_no_error(error);
	g_assert_null(
		g_mime_object_get_header(GMIME_OBJECT(mime), "In-Reply-To"));
	/* The thread is kept by what can be written back. */
	g_assert_nonnull(strstr(
		g_mime_object_get_header(GMIME_OBJECT(mime), "References"),
		request));
}

/* The same when no one replaces it but another provider is still asked
 * for another need: the case waits for that one, and staff look for
 * help with the need left. */
static void
test_accept_then_decline_no_replacement(struct fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *alpha_intro = NULL, *alpha = NULL, *charlie = NULL;
	g_autofree char *state = NULL;

	drive_to_consent(f, "pentest,forensics");
	g_assert_true(store_provider_pause(f->store, "bravo", TRUE, "alice",
					   "holiday", 0, &error));
	g_assert_no_error(error);
	give_consent(f);
	alpha_intro = introduction_message_id(f, "alpha");
	send(f, "prov1@example.test", alpha_intro, "We accept.");
	state = case_state(f);
	g_assert_cmpstr(state, ==, "in_progress");

	send(f, "prov1@example.test", alpha_intro,
	     "Sorry, we have to decline after all: no capacity this month.");
	alpha = introduction_state(f, "alpha");
	g_assert_cmpstr(alpha, ==, "declined");
	charlie = introduction_state(f, "charlie");
	g_assert_cmpstr(charlie, ==, "introduced");
	g_assert_cmpuint(introduction_count(f), ==, 2);
	g_assert_cmpuint(event_count(f, "unmatched"), ==, 1);
	g_free(state);
	state = case_state(f);
	g_assert_cmpstr(state, ==, "matching");
}

/* An introduction carries the consented fields and nothing else: not a
 * field outside support.share_fields, and not one that got a value only
 * after the consent request (the requester never saw it offered). */
static void
test_introduction_content(struct fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StoreConsent) consent = NULL;
	g_autoptr(StoreOutbox) intro = NULL;
	g_autoptr(GPtrArray) intros = NULL;
	g_autofree char *text = NULL;
	gsize len;
	const char *bytes;

	drive_to_consent(f, "pentest");
	set_field(f, "systems_affected", "ZEBRASYSTEM");
	set_field(f, "location", "9000 ZEBRALOCATION");
	consent = consent_of(f);
	g_assert_null(strstr(consent->fields, "location"));
	give_consent(f);

	intros = outbox_of(f, "introduction_provider");
	g_assert_cmpuint(intros->len, ==, 1);
	intro = store_outbox_get(f->store,
				 ((struct store_outbox *)intros->pdata[0])->id,
				 &error);
	g_assert_no_error(error);
	bytes = g_bytes_get_data(intro->raw, &len);
	text = g_strndup(bytes, len);
	g_assert_nonnull(strstr(text, "AZ Testziekenhuis"));
	g_assert_null(strstr(text, "ZEBRASYSTEM"));
	g_assert_null(strstr(text, "ZEBRALOCATION"));
	/* Nor the report's own words. */
	g_assert_null(strstr(text, "goes live"));
}

/* Staff answering their own note on the case ("yes, I will call them")
 * is not a consent attempt, and gets no note about itself. */
static void
test_staff_reply(struct fixture *f, gconstpointer data)
{
	g_autofree char *note = NULL, *state = NULL;
	g_autoptr(StoreConsent) consent = NULL;
	guint staff_before;

	drive_to_consent(f, "pentest");
	/* A rejected attempt gives staff a note to answer. */
	send(f, "colleague@hospital-b.example.test", NULL, "Yes, go ahead.");
	staff_before = outbox_count(f, "staff_attention");
	g_assert_cmpuint(staff_before, ==, 1);
	note = newest_message_id(f, "staff_attention");
	send(f, "staff@example.test", note, "Yes, I will call them.");
	consent = consent_of(f);
	g_assert_cmpstr(consent->state, ==, "requested");
	g_assert_cmpuint(event_count(f, "consent_rejected"), ==, 1);
	g_assert_cmpuint(outbox_count(f, "staff_attention"), ==, staff_before);
	state = case_state(f);
	g_assert_cmpstr(state, ==, "awaiting_consent");
}

/* Auto-replies are never read as answers: an out-of-office to the
 * consent request asks nothing again, one to an introduction is no
 * decline (so nothing can loop). */
static void
test_auto_replies(struct fixture *f, gconstpointer data)
{
	g_autofree char *request = NULL, *intro = NULL, *alpha = NULL;
	g_autofree char *ooo = NULL, *ooo2 = NULL, *subject = NULL;
	g_autoptr(StoreConsent) consent = NULL;
	guint staff_before;

	drive_to_consent(f, "pentest");
	request = newest_message_id(f, "consent_request");
	ooo = g_strdup_printf("From: " REQUESTER "\r\n"
			      "To: cert@example.test\r\n"
			      "Subject: Automatic reply: Your consent\r\n"
			      "Message-ID: <ooo1@hospital-a.example.test>\r\n"
			      "In-Reply-To: <%s>\r\n"
			      "Auto-Submitted: auto-replied\r\n"
			      "\r\n"
			      "I am out of the office. Yes, I will answer on "
			      "Monday.\r\n",
			      request);
	import(f, ooo);
	consent = consent_of(f);
	g_assert_cmpstr(consent->state, ==, "requested");
	g_assert_cmpint(consent->asks, ==, 1);
	g_assert_cmpuint(outbox_count(f, "consent_request"), ==, 1);
	g_assert_cmpuint(outbox_count(f, "staff_attention"), ==, 0);

	give_consent(f);
	intro = introduction_message_id(f, "alpha");
	staff_before = outbox_count(f, "staff_attention");
	subject = g_strdup_printf("Automatic reply: [CERT-%s]", f->case_id);
	ooo2 = g_strdup_printf("From: prov1@example.test\r\n"
			       "To: cert@example.test\r\n"
			       "Subject: %s\r\n"
			       "Message-ID: <ooo2@example.test>\r\n"
			       "In-Reply-To: <%s>\r\n"
			       "Auto-Submitted: auto-replied\r\n"
			       "\r\n"
			       "Sorry, we are away and must decline all mail "
			       "until Monday.\r\n",
			       subject, intro);
	import(f, ooo2);
	alpha = introduction_state(f, "alpha");
	g_assert_cmpstr(alpha, ==, "introduced");
	g_assert_cmpuint(outbox_count(f, "introduction_provider"), ==, 1);
	g_assert_cmpuint(outbox_count(f, "staff_attention"), ==, staff_before);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_mime_init();
	log_set_level(LOG_LEVEL_ERROR);
#define ADD(path, fn)                                                          \
	g_test_add("/support/" path, struct fixture, NULL, fixture_set_up, fn, \
		   fixture_tear_down)
	ADD("consent-given", test_consent_given);
	ADD("introduction-content", test_introduction_content);
	ADD("consent-other-address", test_consent_other_address);
	ADD("consent-tag-only", test_consent_tag_only);
	ADD("staff-reply", test_staff_reply);
	ADD("consent-unclear", test_consent_unclear);
	ADD("consent-refused", test_consent_refused);
	ADD("consent-after-incident", test_consent_after_incident);
	ADD("provider-rejected", test_provider_rejected);
	ADD("unmatched", test_unmatched);
	ADD("uncovered", test_uncovered);
	ADD("paused", test_paused);
	ADD("decline-accept", test_decline_accept);
	ADD("accept-then-decline", test_accept_then_decline);
	ADD("accept-then-decline-no-replacement",
	    test_accept_then_decline_no_replacement);
	ADD("withdrawal", test_withdrawal);
	ADD("withdraw-by-staff", test_withdraw_by_staff);
	ADD("due", test_due);
	ADD("late-accept", test_late_accept);
	ADD("accept-after-decline", test_accept_after_decline);
	ADD("idempotent", test_idempotent);
	ADD("auto-replies", test_auto_replies);
	ADD("odd-message-id", test_odd_message_id);
	ADD("signed-requester", test_signed_requester);
	ADD("signed-provider", test_signed_provider);
#undef ADD
	return g_test_run();
}
