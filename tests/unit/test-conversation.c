/* test-conversation.c — the questionnaire conversation: the pure decisions
 * (what to ask next, round counting, when a reminder is due), the reply
 * adapter, the question store, and whole conversations through the import
 * door with the shipped questionnaire and templates (no network). */
#include <string.h>
#include <glib/gstdio.h>
#include <gio/gio.h>
#include <gmime/gmime.h>

#include "config.h"
#include "conversation.h"
#include "extract.h"
#include "intake.h"
#include "log.h"
#include "questionnaire.h"
#include "store.h"
#include "templates.h"

/* `make check` runs from the repository root; INTAKED_SRCDIR overrides. */
static char *
source_path(const char *name)
{
	const char *srcdir = g_getenv("INTAKED_SRCDIR");

	return g_build_filename(srcdir ? srcdir : ".", name, NULL);
}

static struct questionnaire *
load_shipped(void)
{
	g_autofree char *path = source_path("conf/questionnaire.conf");
	g_autoptr(GError) error = NULL;
	struct questionnaire *q = questionnaire_load(path, NULL, &error);

	g_assert_no_error(error);
	return q;
}

/* --- pure decisions ------------------------------------------------- */

static void
test_decide(void)
{
	static const struct {
		guint missing;
		int rounds, max_rounds;
		enum conversation_next next;
	} cases[] = {
		{0, 0, 3, CONVERSATION_COMPLETE},
		{0, 5, 3, CONVERSATION_COMPLETE},
		{2, 0, 3, CONVERSATION_ASK},
		{2, 1, 3, CONVERSATION_ASK},
		{2, 2, 3, CONVERSATION_ASK},
		{2, 3, 3, CONVERSATION_HAND_OVER},
		{1, 4, 3, CONVERSATION_HAND_OVER},
		{1, 1, 1, CONVERSATION_HAND_OVER},
	};

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++)
		g_assert_cmpint(conversation_decide(cases[i].missing,
						    cases[i].rounds,
						    cases[i].max_rounds),
				==, cases[i].next);
}

static void
test_reminder_due(void)
{
	gint64 due = 0;

	g_assert_false(conversation_reminder_due(1000, 1001, 2, &due));
	g_assert_cmpint(due, ==, 1002);
	g_assert_true(conversation_reminder_due(1000, 1002, 2, &due));
	g_assert_true(conversation_reminder_due(1000, 5000, 2, NULL));
	g_assert_false(
		conversation_reminder_due(1000, 1000 + 172799, 172800, &due));
	g_assert_cmpint(due, ==, 1000 + 172800);
}

static struct store_field *
field(const char *id, const char *value, const char *source, double conf)
{
	struct store_field *f = g_new0(struct store_field, 1);

	f->field = g_strdup(id);
	f->value = g_strdup(value);
	f->source = g_strdup(source);
	f->confidence = conf;
	return f;
}

static void
test_known(void)
{
	g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func(
		(GDestroyNotify)store_field_free);
	g_autoptr(GHashTable) known = NULL;

	g_ptr_array_add(fields, field("organisation", "AZ", "parser", 0.8));
	g_ptr_array_add(fields, field("location", "Gent", "parser", 0.3));
	g_ptr_array_add(fields, field("country", "BE", "staff", 0.1));
	g_ptr_array_add(fields, field("contact_name", "", "parser", 1.0));
	known = conversation_known(fields);
	g_assert_cmpstr(g_hash_table_lookup(known, "organisation"), ==, "AZ");
	/* Below the threshold the requester is asked to confirm. */
	g_assert_null(g_hash_table_lookup(known, "location"));
	/* Staff values always count. */
	g_assert_cmpstr(g_hash_table_lookup(known, "country"), ==, "BE");
	g_assert_null(g_hash_table_lookup(known, "contact_name"));
}

static void
test_questions(void)
{
	struct questionnaire *q = load_shipped();
	g_autoptr(GHashTable) known = g_hash_table_new(g_str_hash, g_str_equal);
	g_autoptr(GPtrArray) all = NULL;
	g_autoptr(GPtrArray) required = NULL;
	g_autoptr(GPtrArray) typed = NULL;
	const struct store_question *first;
	gboolean optional_seen = FALSE;

	g_hash_table_insert(known, (char *)"organisation", (char *)"AZ");
	all = conversation_questions(q, known, "nl", FALSE);
	g_assert_cmpuint(all->len, >, 0);
	for (guint i = 0; i < all->len; i++) {
		const struct store_question *s = all->pdata[i];

		g_assert_cmpint(s->number, ==, (int)i + 1);
		g_assert_cmpstr(s->field, !=, "organisation");
		/* Required questions come first. */
		if (!s->required)
			optional_seen = TRUE;
		else
			g_assert_false(optional_seen);
	}
	first = all->pdata[0];
	g_assert_cmpstr(first->question, ==,
			questionnaire_question_text(q, first->field, "nl"));

	required = conversation_questions(q, known, "en", TRUE);
	for (guint i = 0; i < required->len; i++)
		g_assert_true(((struct store_question *)required->pdata[i])
				      ->required);
	g_assert_cmpuint(required->len, <, all->len);

	/* The incident type brings its own set. */
	g_hash_table_insert(known, (char *)"incident_type",
			    (char *)"ransomware");
	typed = conversation_questions(q, known, "en", TRUE);
	gboolean care = FALSE;
	for (guint i = 0; i < typed->len; i++)
		care = care ||
		       g_str_equal(((struct store_question *)typed->pdata[i])
					   ->field,
				   "care_impact");
	g_assert_true(care);
	questionnaire_unref(&q);
}

/* --- the reply adapter ---------------------------------------------- */

static GPtrArray *
asked(const struct questionnaire *q)
{
	static const char *const fields[] = {"care_impact", "systems_affected",
					     "backups_available"};
	GPtrArray *list = g_ptr_array_new_with_free_func(
		(GDestroyNotify)store_question_free);

	for (gsize i = 0; i < G_N_ELEMENTS(fields); i++) {
		struct store_question *s = g_new0(struct store_question, 1);

		s->number = (int)i + 1;
		s->field = g_strdup(fields[i]);
		s->question = q != NULL
				      ? g_strdup(questionnaire_question_text(
						q, fields[i], "en"))
				      : g_strdup_printf("question %zu?", i + 1);
		s->required = TRUE;
		g_ptr_array_add(list, s);
	}
	return list;
}

static const char *
answer_of(GPtrArray *found, const char *id)
{
	for (guint i = 0; i < found->len; i++) {
		struct extract_field *f = found->pdata[i];

		if (g_str_equal(f->field, id))
			return f->value;
	}
	return NULL;
}

static void
test_extract_reply(void)
{
	struct questionnaire *q = load_shipped();
	g_autoptr(GPtrArray) questions = asked(q);
	g_autoptr(GPtrArray) inline_found = NULL;
	g_autoptr(GPtrArray) numbered = NULL;
	g_autoptr(GPtrArray) labelled = NULL;
	g_autoptr(GPtrArray) none = NULL;

	inline_found = extract_reply(q,
				     "On Monday, CERT wrote:\n"
				     "> Please answer below.\n"
				     ">\n"
				     "> 1. Is patient care disrupted right "
				     "now? (yes/no)\n"
				     "\n"
				     "yes, the ER is closed\n"
				     "\n"
				     "> 2. Which systems are affected? (for "
				     "example file server, EHR, e-mail, lab, "
				     "radiology)\n"
				     "\n"
				     "file server\n"
				     "\n"
				     "> 3. Do you have offline backups that "
				     "are not encrypted? (yes/no)\n",
				     "Re: questions", questions);
	g_assert_cmpstr(answer_of(inline_found, "care_impact"), ==,
			"yes, the ER is closed");
	g_assert_cmpstr(answer_of(inline_found, "systems_affected"), ==,
			"file server");
	g_assert_null(answer_of(inline_found, "backups_available"));

	numbered = extract_reply(q, "1) nee\n3. weet niet\n\nJan\n", NULL,
				 questions);
	g_assert_cmpstr(answer_of(numbered, "care_impact"), ==, "nee");
	g_assert_cmpstr(answer_of(numbered, "backups_available"), ==,
			"weet niet");
	/* A number nobody asked is not an answer. */
	g_assert_null(answer_of(numbered, "systems_affected"));

	labelled = extract_reply(q, "Backups: nee\n", NULL, questions);
	g_assert_cmpstr(answer_of(labelled, "backups_available"), ==, "nee");

	none = extract_reply(q, "Thanks, we are looking into it.\n", NULL,
			     NULL);
	g_assert_cmpuint(none->len, ==, 0);
	questionnaire_unref(&q);
}

/* --- a whole conversation through the import door ----------------------- */

struct fixture {
	char *dir;
	struct config *config;
	struct templates *templates;
	struct questionnaire *questionnaire;
	struct store *store;
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
	const char *staff = data != NULL ? data : "staff@example.test";

	f->dir = g_dir_make_tmp("test-conversation-XXXXXX", &error);
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
		"staff_address = \"%s\"; };\n"
		"imap = { host = \"127.0.0.1\"; username = \"cert\"; "
		"password_file = \"%s/pw\"; };\n"
		"smtp = { host = \"127.0.0.1\"; username = \"cert\"; "
		"password_file = \"%s/pw\"; };\n"
		"questions = { reminder_after = 60; max_rounds = 3; };\n",
		f->dir, templates, questionnaire, f->dir, staff, f->dir,
		f->dir);
	f->config = config_load_string(conf, "test.conf", &error);
	g_assert_no_error(error);
	f->templates = templates_load(f->config->templates,
				      (const char *const *)f->config->languages,
				      &error);
	g_assert_no_error(error);
	f->questionnaire =
		questionnaire_load(f->config->questionnaire, NULL, &error);
	g_assert_no_error(error);
	f->store = store_open(f->config->database, &error);
	g_assert_no_error(error);
}

static void
fixture_tear_down(struct fixture *f, gconstpointer data)
{
	g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", f->dir);

	store_close(&f->store);
	questionnaire_unref(&f->questionnaire);
	templates_unref(&f->templates);
	config_unref(&f->config);
	g_assert_cmpint(system(cmd), ==, 0);
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

static char *
case_state(struct fixture *f, const char *id)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StoreCase) c = store_case_get(f->store, id, &error);

	g_assert_no_error(error);
	return g_strdup(c->state);
}

static char *
field_value(struct fixture *f, const char *case_id, const char *id)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) fields =
		store_case_fields(f->store, case_id, &error);

	g_assert_no_error(error);
	for (guint i = 0; i < fields->len; i++) {
		struct store_field *sf = fields->pdata[i];

		if (g_str_equal(sf->field, id))
			return g_strdup(sf->value);
	}
	return NULL;
}

/* The outbox entries of kind for the case, newest last. */
static GPtrArray *
outbox_of(struct fixture *f, const char *case_id, const char *kind)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) all = store_case_outbox(f->store, case_id, &error);
	GPtrArray *list = g_ptr_array_new();

	g_assert_no_error(error);
	for (guint i = 0; i < all->len; i++) {
		struct store_outbox *o = all->pdata[i];

		if (g_str_equal(o->kind, kind))
			g_ptr_array_add(list, g_strdup(o->message_id));
	}
	g_ptr_array_set_free_func(list, g_free);
	return list;
}

static const char report[] =
	"From: Jan Peeters <jan@az-voorbeeld.test>\r\n"
	"To: cert@example.test\r\n"
	"Subject: Ransomware on the file server\r\n"
	"Message-ID: <c1@az-voorbeeld.test>\r\n"
	"\r\n"
	"Hello, all files on our file server are encrypted.\r\n"
	"\r\n"
	"Organisation: AZ Voorbeeld\r\n"
	"\r\n"
	"Regards, Jan\r\n";

static char *
reply_to(const char *message_id, const char *id, const char *body)
{
	return g_strdup_printf("From: Jan Peeters <jan@az-voorbeeld.test>\r\n"
			       "To: cert@example.test\r\n"
			       "Subject: Re: answers\r\n"
			       "Message-ID: <%s@az-voorbeeld.test>\r\n"
			       "In-Reply-To: <%s>\r\n"
			       "\r\n"
			       "%s",
			       id, message_id, body);
}

/* "N. answer" lines for the questions of round r that answers has an
 * answer for (field, answer pairs, NULL-terminated). */
static char *
numbered_answers(const struct store_round *r, const char *const *answers)
{
	GString *body = g_string_new(NULL);

	for (guint i = 0; i < r->questions->len; i++) {
		const struct store_question *s = r->questions->pdata[i];

		for (gsize a = 0; answers[a] != NULL; a += 2)
			if (g_str_equal(answers[a], s->field))
				g_string_append_printf(body, "%d. %s\r\n",
						       s->number,
						       answers[a + 1]);
	}
	return g_string_free(body, FALSE);
}

static const char *const all_answers[] = {
	"contact_phone",
	"0475 55 01 23",
	"country",
	"BE",
	"incident_type",
	"ransomware",
	"contact_name",
	"Jan Peeters",
	"care_impact",
	"yes",
	"systems_affected",
	"file server, EHR",
	"detected_at",
	"22/11/2026 07:00",
	"backups_available",
	"weet niet",
	NULL,
};

static void
test_flow(struct fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) cases = NULL;
	g_autoptr(GPtrArray) acks = NULL;
	g_autoptr(GPtrArray) follow_ups = NULL;
	g_autoptr(GPtrArray) closing = NULL;
	g_autoptr(GPtrArray) urgent = NULL;
	g_autoptr(StoreRound) first = NULL;
	g_autoptr(StoreRound) second = NULL;
	g_autofree char *r1 = NULL, *r2 = NULL, *state = NULL;
	g_autofree char *org = NULL, *phone = NULL, *care = NULL;
	const char *case_id;

	import(f, report);
	cases = store_case_list(f->store, NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(cases->len, ==, 1);
	case_id = ((struct store_case *)cases->pdata[0])->id;
	org = field_value(f, case_id, "organisation");
	g_assert_cmpstr(org, ==, "AZ Voorbeeld");
	state = case_state(f, case_id);
	g_assert_cmpstr(state, ==, "waiting");

	/* Round 1 is the ack; organisation is not asked again. */
	first = store_round_get(f->store, case_id, 0, &error);
	g_assert_no_error(error);
	g_assert_nonnull(first);
	g_assert_cmpint(first->round, ==, 1);
	g_assert_cmpstr(first->kind, ==, "ack");
	for (guint i = 0; i < first->questions->len; i++)
		g_assert_cmpstr(
			((struct store_question *)first->questions->pdata[i])
				->field,
			!=, "organisation");
	acks = outbox_of(f, case_id, "ack");
	g_assert_cmpuint(acks->len, ==, 1);

	/* The phone (asked, required) and the country (optional) in one
	 * reply: the country makes the national number international. */
	g_autofree char *body1 = numbered_answers(
		first, (const char *const[]){"contact_phone", "0475 55 01 23",
					     "country", "BE", NULL});
	g_assert_nonnull(strstr(body1, "0475"));
	r1 = reply_to(acks->pdata[0], "c2", body1);
	import(f, r1);
	phone = field_value(f, case_id, "contact_phone");
	g_assert_cmpstr(phone, ==, "+32475550123");
	follow_ups = outbox_of(f, case_id, "questions");
	g_assert_cmpuint(follow_ups->len, ==, 1);
	second = store_round_get(f->store, case_id, 0, &error);
	g_assert_cmpint(second->round, ==, 2);
	for (guint i = 0; i < second->questions->len; i++) {
		const struct store_question *s = second->questions->pdata[i];

		g_assert_true(s->required);
		g_assert_cmpstr(s->field, !=, "contact_phone");
	}

	/* Answer everything the second round asked. */
	g_autofree char *body2 = numbered_answers(second, all_answers);
	r2 = reply_to(follow_ups->pdata[0], "c3", body2);
	import(f, r2);
	g_free(state);
	state = case_state(f, case_id);
	/* Complete, then qualified at once: patient care is affected, so
	 * it is an incident the CERT keeps (support.c). */
	g_assert_cmpstr(state, ==, "incident");
	g_assert_cmpint(
		store_case_has_event(f->store, case_id, "qualified", &error),
		==, 1);
	care = field_value(f, case_id, "care_impact");
	g_assert_cmpstr(care, ==, "yes");
	closing = outbox_of(f, case_id, "closing");
	g_assert_cmpuint(closing->len, ==, 1);
	urgent = outbox_of(f, case_id, "staff_urgent");
	g_assert_cmpuint(urgent->len, ==, 1);
	g_assert_cmpint(
		store_case_has_event(f->store, case_id, "field_set", &error),
		==, 1);
}

static void
test_reminders(struct fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) cases = NULL;
	g_autoptr(GPtrArray) reminders = NULL;
	g_autoptr(GPtrArray) handovers = NULL;
	g_autoptr(StoreRound) last = NULL;
	g_autofree char *state = NULL;
	struct pipeline pipeline = pipeline_of(f);
	gint64 now = g_get_real_time() / G_USEC_PER_SEC;
	gint64 next_due = 0;
	const char *case_id;

	import(f, report);
	cases = store_case_list(f->store, NULL, &error);
	case_id = ((struct store_case *)cases->pdata[0])->id;

	/* Not yet due: nothing, but we learn when. */
	g_assert_cmpint(conversation_due(&pipeline, now, &next_due, &error), ==,
			0);
	g_assert_no_error(error);
	g_assert_cmpint(next_due, >=, now + 59);
	g_assert_cmpint(next_due, <=, now + 61);

	/* Due: one reminder, round 2; a second sweep at the same time
	 * sends nothing more. */
	g_assert_cmpint(
		conversation_due(&pipeline, now + 61, &next_due, &error), ==,
		1);
	g_assert_no_error(error);
	g_assert_cmpint(
		conversation_due(&pipeline, now + 61, &next_due, &error), ==,
		0);
	reminders = outbox_of(f, case_id, "reminder");
	g_assert_cmpuint(reminders->len, ==, 1);
	last = store_round_get(f->store, case_id, 0, &error);
	g_assert_cmpint(last->round, ==, 2);
	g_assert_cmpstr(last->kind, ==, "reminder");

	/* Round 3, then max_rounds is reached: staff take over. */
	g_assert_cmpint(
		conversation_due(&pipeline, now + 200, &next_due, &error), ==,
		1);
	g_assert_cmpint(
		conversation_due(&pipeline, now + 400, &next_due, &error), ==,
		1);
	g_assert_no_error(error);
	state = case_state(f, case_id);
	g_assert_cmpstr(state, ==, "handed_over");
	g_ptr_array_unref(reminders);
	reminders = outbox_of(f, case_id, "reminder");
	g_assert_cmpuint(reminders->len, ==, 2);
	handovers = outbox_of(f, case_id, "staff_handover");
	g_assert_cmpuint(handovers->len, ==, 1);
	/* Handed over: never again. */
	g_assert_cmpint(
		conversation_due(&pipeline, now + 9000, &next_due, &error), ==,
		0);
	g_assert_cmpint(next_due, ==, 0);
}

/* Neither staff answering their note nor a stranger quoting the case tag
 * fill the case or get questions. */
static void
test_not_the_requester(struct fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) cases = NULL;
	g_autoptr(GPtrArray) acks = NULL;
	g_autoptr(GPtrArray) follow_ups = NULL;
	g_autoptr(StoreCase) c = NULL;
	g_autofree char *staff = NULL, *stranger = NULL, *phone = NULL;
	g_autofree char *state = NULL;
	const char *case_id;

	import(f, report);
	cases = store_case_list(f->store, NULL, &error);
	case_id = ((struct store_case *)cases->pdata[0])->id;
	acks = outbox_of(f, case_id, "ack");
	staff = g_strdup_printf("From: staff@example.test\r\n"
				"To: cert@example.test\r\n"
				"Subject: Re: note\r\n"
				"Message-ID: <s1@example.test>\r\n"
				"In-Reply-To: <%s>\r\n"
				"\r\n"
				"1. 0475 55 01 23\r\n",
				(char *)acks->pdata[0]);
	import(f, staff);
	stranger = g_strdup_printf("From: someone@elsewhere.test\r\n"
				   "To: cert@example.test\r\n"
				   "Subject: Re: [CERT-%s] Received\r\n"
				   "Message-ID: <x1@elsewhere.test>\r\n"
				   "\r\n"
				   "1. 0475 55 01 23\r\n",
				   case_id);
	import(f, stranger);
	phone = field_value(f, case_id, "contact_phone");
	g_assert_null(phone);
	follow_ups = outbox_of(f, case_id, "questions");
	g_assert_cmpuint(follow_ups->len, ==, 0);
	state = case_state(f, case_id);
	g_assert_cmpstr(state, ==, "waiting");
	g_assert_cmpint(store_case_has_event(f->store, case_id,
					     "unverified_sender", &error),
			==, 1);
}

/* --- the store ------------------------------------------------------ */

static void
test_store_rounds(struct fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) questions = asked(NULL);
	g_autoptr(GPtrArray) all = NULL;
	g_autoptr(StoreRound) by_outbox = NULL;
	g_autoptr(GPtrArray) cases = NULL;
	g_autoptr(GPtrArray) waiting = NULL;
	const char *case_id;
	gint64 ack;

	import(f, report);
	cases = store_case_list(f->store, NULL, &error);
	case_id = ((struct store_case *)cases->pdata[0])->id;
	g_assert_cmpint(store_round_count(f->store, case_id, &error), ==, 1);
	by_outbox = store_round_get(f->store, case_id, 0, &error);
	ack = by_outbox->outbox;

	/* The same round twice is refused. */
	g_assert_false(store_round_add(f->store, case_id, 1, ack, "ack", 0,
				       questions, &error));
	g_assert_nonnull(error);
	g_clear_error(&error);

	g_clear_pointer(&by_outbox, store_round_free);
	by_outbox = store_round_get(f->store, case_id, ack, &error);
	g_assert_no_error(error);
	g_assert_cmpint(by_outbox->round, ==, 1);
	g_assert_null(store_round_get(f->store, case_id, 9999, &error));
	g_assert_no_error(error);
	g_assert_null(store_round_get(f->store, "1999-0001", 0, &error));
	g_assert_no_error(error);

	all = store_case_rounds(f->store, case_id, &error);
	g_assert_cmpuint(all->len, ==, 1);
	waiting = store_rounds_unanswered(f->store, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(waiting->len, ==, 1);
	g_assert_null(((struct store_round *)waiting->pdata[0])->questions);
	g_assert_cmpint(
		store_case_has_event(f->store, case_id, "created", &error), ==,
		1);
	g_assert_cmpint(
		store_case_has_event(f->store, case_id, "urgent", &error), ==,
		0);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_mime_init();
	log_set_level(LOG_LEVEL_ERROR);
	g_test_add_func("/conversation/decide", test_decide);
	g_test_add_func("/conversation/reminder-due", test_reminder_due);
	g_test_add_func("/conversation/known", test_known);
	g_test_add_func("/conversation/questions", test_questions);
	g_test_add_func("/conversation/extract-reply", test_extract_reply);
	g_test_add("/conversation/flow", struct fixture, NULL, fixture_set_up,
		   test_flow, fixture_tear_down);
	g_test_add("/conversation/reminders", struct fixture, NULL,
		   fixture_set_up, test_reminders, fixture_tear_down);
	g_test_add("/conversation/not-the-requester", struct fixture, NULL,
		   fixture_set_up, test_not_the_requester, fixture_tear_down);
	g_test_add("/conversation/store-rounds", struct fixture, NULL,
		   fixture_set_up, test_store_rounds, fixture_tear_down);
	return g_test_run();
}
