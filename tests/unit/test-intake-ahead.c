/* test-intake-ahead.c — the intake read-ahead and the prepare/apply split
 * of an intake step, with a real SQLite database, real templates and
 * parsers (no network, no OpenPGP: crypto.c's two-context cases are in
 * test-crypto.c).
 *
 * The read-ahead prepares on its own connection while the test, in the
 * worker's place, applies on another: results come back in order, one per
 * request; it holds no lock across the hand-off; once stop is set it
 * skips; freeing it with results outstanding leaves the messages
 * "received" to be processed once later; a step prepared before another
 * door processed its message, or before a reload, is applied correctly. */
#include <string.h>
#include <glib/gstdio.h>
#include <gmime/gmime.h>

#include "config.h"
#include "intake-ahead.h"
#include "intake.h"
#include "log.h"
#include "store.h"
#include "templates.h"
#include "wakeup.h"

struct fixture {
	char *dir;
	char *conf_text;
	struct config *config;
	struct templates *templates;
	struct store *store;
	struct wakeup *stop;
};

static void
write_file(const char *dir, const char *name, const char *text)
{
	g_autofree char *path = g_build_filename(dir, name, NULL);
	g_autofree char *parent = g_path_get_dirname(path);
	g_autoptr(GError) error = NULL;

	g_mkdir_with_parents(parent, 0700);
	g_file_set_contents(path, text, -1, &error);
	g_assert_no_error(error);
	g_chmod(path, 0600);
}

/* The fixture's configuration with extra limits (the LIMITS mark). */
static struct config *
load_config(struct fixture *f, const char *limits, GError **error)
{
	g_auto(GStrv) halves = g_strsplit(f->conf_text, "LIMITS", 2);
	g_autofree char *text = g_strjoin(limits, halves[0], halves[1], NULL);

	return config_load_string(text, "test.conf", error);
}

static void
fixture_set_up(struct fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;

	f->dir = g_dir_make_tmp("test-intake-ahead-XXXXXX", &error);
	g_assert_no_error(error);
	write_file(f->dir, "secret",
		   "0123456789abcdef0123456789abcdef0123456789abcdef");
	write_file(f->dir, "pw", "pw\n");
	for (const char *const *kind = templates_kinds(); *kind != NULL;
	     kind++) {
		g_autofree char *name =
			g_strdup_printf("templates/en/%s.tmpl", *kind);
		g_autofree char *text = g_strdup_printf(
			"Subject: [{{case_tag}}] %s\n\n%s {{case_id}}\n", *kind,
			*kind);

		write_file(f->dir, name, text);
	}
	f->conf_text = g_strdup_printf(
		"database = \"%s/db\";\n"
		"templates = \"%s/templates\";\n"
		"languages = [\"en\"];\n"
		"identity = { address = \"cert@example.test\"; "
		"name = \"Test CERT\"; case_prefix = \"CERT\"; "
		"token_secret_file = \"%s/secret\"; "
		"staff_address = \"staff@example.test\"; };\n"
		"imap = { host = \"127.0.0.1\"; username = \"cert\"; "
		"password_file = \"%s/pw\"; };\n"
		"smtp = { host = \"127.0.0.1\"; username = \"cert\"; "
		"password_file = \"%s/pw\"; };\n"
		"limits = { new_cases_per_sender_per_hour = 100; "
		"auto_replies_per_sender_per_hour = 100; LIMITS };\n",
		f->dir, f->dir, f->dir, f->dir, f->dir);
	f->config = load_config(f, "", &error);
	g_assert_no_error(error);
	f->templates = templates_load(f->config->templates,
				      (const char *const *)f->config->languages,
				      &error);
	g_assert_no_error(error);
	f->store = store_open(f->config->database, &error);
	g_assert_no_error(error);
	f->stop = wakeup_new(TRUE, &error);
	g_assert_no_error(error);
}

static void
fixture_tear_down(struct fixture *f, gconstpointer data)
{
	g_autofree char *cmd = NULL;

	wakeup_free(&f->stop);
	store_close(&f->store);
	templates_unref(&f->templates);
	config_unref(&f->config);
	/* Remove the temp tree; the test made everything in it. */
	cmd = g_strdup_printf("rm -rf '%s'", f->dir);
	g_assert_cmpint(system(cmd), ==, 0);
	g_free(f->conf_text);
	g_free(f->dir);
}

/* The worker's side: the test's own connection and settings. */
static struct pipeline
worker(struct fixture *f)
{
	return (struct pipeline){
		.store = f->store,
		.config = f->config,
		.templates = f->templates,
	};
}

/* Stores report number i as received mail (the IMAP watcher's part). */
static gint64
receive(struct fixture *f, int i)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *raw = g_strdup_printf(
		"From: Nurse %d <nurse%d@hospital.test>\r\n"
		"To: cert@example.test\r\n"
		"Subject: Ransomware on ward %d\r\n"
		"Message-ID: <ahead-%d@hospital.test>\r\n"
		"\r\n"
		"Since this morning ward %d shows a ransom note.\r\n",
		i, i, i, i, i);
	struct store_message_new message = {
		.source = "imap",
		.source_ref = "INBOX",
		.uidvalidity = 1,
		.uid = i,
		.raw = (const guint8 *)raw,
		.raw_len = strlen(raw),
		.size = (gint64)strlen(raw),
		.state = "received",
	};
	gint64 id = store_message_insert(f->store, &message, NULL, &error);

	g_assert_no_error(error);
	g_assert_cmpint(id, >, 0);
	return id;
}

static void
assert_state(struct fixture *f, gint64 id, const char *want)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *state = store_message_state(f->store, id, &error);

	g_assert_no_error(error);
	g_assert_cmpstr(state, ==, want);
}

static guint
outbox_count(struct fixture *f)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) out = store_outbox_list(f->store, NULL, &error);

	g_assert_no_error(error);
	return out->len;
}

static guint
case_count(struct fixture *f)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) cases = store_case_list(f->store, NULL, &error);

	g_assert_no_error(error);
	return cases->len;
}

/* Requests every message ahead, then takes and applies them one by one
 * as the worker does: the results come back in request order, and while
 * the test holds a prepared step (or the read-ahead is preparing the
 * next), the write lock is free at once. */
static void
test_in_order(struct fixture *f, gconstpointer data)
{
	struct pipeline pipeline = worker(f);
	struct intake_ahead *ahead =
		intake_ahead_new(f->config->database, NULL, f->stop);
	gint64 ids[6];

	for (int i = 0; i < 6; i++) {
		ids[i] = receive(f, i + 1);
		intake_ahead_request(ahead, f->config, ids[i]);
	}
	g_assert_cmpuint(intake_ahead_outstanding(ahead), ==, 6);
	for (int i = 0; i < 6; i++) {
		g_autoptr(GError) error = NULL;
		gint64 id = 0;
		gboolean queued = FALSE;
		struct intake_prepared *prepared =
			intake_ahead_take(ahead, &id, &error);
		gint64 started = g_get_monotonic_time();

		g_assert_no_error(error);
		g_assert_nonnull(prepared);
		g_assert_cmpint(id, ==, ids[i]);
		g_assert_cmpint(intake_prepared_id(prepared), ==, ids[i]);
		/* Prepared means nothing written yet. */
		assert_state(f, id, "received");
		g_assert_true(
			intake_apply(&pipeline, &prepared, &queued, &error));
		g_assert_no_error(error);
		g_assert_null(prepared);
		g_assert_true(queued);
		/* The busy timeout is 10 s: a read-ahead holding a read
		 * transaction or a lock would show here. */
		g_assert_cmpint(g_get_monotonic_time() - started, <,
				2 * G_USEC_PER_SEC);
	}
	g_assert_cmpuint(intake_ahead_outstanding(ahead), ==, 0);
	intake_ahead_free(&ahead);
	g_assert_null(ahead);
	g_assert_cmpuint(case_count(f), ==, 6);
	g_assert_cmpuint(outbox_count(f), ==, 6);
}

/* The worker's own connection can take the write lock and commit while
 * the read-ahead holds prepared steps and prepares more: nothing of it
 * waits on the other. */
static void
test_no_lock_across_hand_off(struct fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	struct intake_ahead *ahead =
		intake_ahead_new(f->config->database, NULL, f->stop);
	struct intake_prepared *prepared = NULL;
	struct store *other = NULL;
	gint64 id = 0, started;

	for (int i = 1; i <= 3; i++)
		intake_ahead_request(ahead, f->config, receive(f, i));
	prepared = intake_ahead_take(ahead, &id, &error);
	g_assert_no_error(error);
	g_assert_nonnull(prepared);
	/* A third connection, like the IMAP watcher's. */
	other = store_open(f->config->database, &error);
	g_assert_no_error(error);
	started = g_get_monotonic_time();
	g_assert_true(store_begin(other, &error));
	g_assert_no_error(error);
	g_assert_true(store_commit(other, &error));
	g_assert_true(store_begin(f->store, &error));
	g_assert_true(store_commit(f->store, &error));
	g_assert_no_error(error);
	g_assert_cmpint(g_get_monotonic_time() - started, <,
			2 * G_USEC_PER_SEC);
	store_close(&other);
	intake_prepared_free(&prepared);
	intake_ahead_discard(ahead);
	g_assert_cmpuint(intake_ahead_outstanding(ahead), ==, 0);
	intake_ahead_free(&ahead);
}

/* Once stop is set, what was requested is answered "skipped" without
 * being prepared, and the messages stay "received". */
static void
test_stop_skips(struct fixture *f, gconstpointer data)
{
	struct intake_ahead *ahead =
		intake_ahead_new(f->config->database, NULL, f->stop);
	gint64 ids[3];

	wakeup_signal(f->stop);
	for (int i = 0; i < 3; i++) {
		ids[i] = receive(f, i + 1);
		intake_ahead_request(ahead, f->config, ids[i]);
	}
	for (int i = 0; i < 3; i++) {
		g_autoptr(GError) error = NULL;
		gint64 id = 0;
		struct intake_prepared *prepared =
			intake_ahead_take(ahead, &id, &error);

		g_assert_null(prepared);
		g_assert_no_error(error);
		g_assert_cmpint(id, ==, ids[i]);
		assert_state(f, id, "received");
	}
	intake_ahead_free(&ahead);
	g_assert_cmpuint(case_count(f), ==, 0);
}

/* Stopping with steps prepared and not applied (SIGTERM in a burst)
 * drops them: the messages stay "received", and the next start
 * processes each exactly once. */
static void
test_free_with_outstanding(struct fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	struct pipeline pipeline = worker(f);
	struct intake_ahead *ahead =
		intake_ahead_new(f->config->database, NULL, f->stop);
	gint64 ids[4];

	for (int i = 0; i < 4; i++) {
		ids[i] = receive(f, i + 1);
		intake_ahead_request(ahead, f->config, ids[i]);
	}
	/* Some prepared, some perhaps still being prepared. */
	g_usleep(50 * 1000);
	wakeup_signal(f->stop);
	intake_ahead_free(&ahead);
	for (int i = 0; i < 4; i++)
		assert_state(f, ids[i], "received");
	g_assert_cmpuint(case_count(f), ==, 0);
	g_assert_cmpuint(outbox_count(f), ==, 0);

	g_assert_cmpint(intake_process_pending(&pipeline, NULL, &error), ==, 4);
	g_assert_no_error(error);
	g_assert_cmpint(intake_process_pending(&pipeline, NULL, &error), ==, 0);
	for (int i = 0; i < 4; i++)
		assert_state(f, ids[i], "processed");
	g_assert_cmpuint(case_count(f), ==, 4);
	g_assert_cmpuint(outbox_count(f), ==, 4);
}

/* Another door (intakectl import, or a second daemon) processed the
 * message between its preparation and its application: applying finds
 * it no longer "received" under the lock and writes nothing. */
static void
test_other_door_first(struct fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	struct pipeline pipeline = worker(f);
	struct intake_ahead *ahead =
		intake_ahead_new(f->config->database, NULL, f->stop);
	struct intake_prepared *prepared;
	gint64 id = receive(f, 1), took = 0;
	gboolean queued = TRUE;

	intake_ahead_request(ahead, f->config, id);
	prepared = intake_ahead_take(ahead, &took, &error);
	g_assert_no_error(error);
	g_assert_nonnull(prepared);
	g_assert_true(intake_process(&pipeline, id, NULL, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(outbox_count(f), ==, 1);
	g_assert_true(intake_apply(&pipeline, &prepared, &queued, &error));
	g_assert_no_error(error);
	g_assert_false(queued);
	g_assert_cmpuint(case_count(f), ==, 1);
	g_assert_cmpuint(outbox_count(f), ==, 1);
	intake_ahead_free(&ahead);
}

/* A reload between preparation and application: the step is prepared
 * again with the settings in force.  The new settings allow only 1 KiB
 * of header, so the re-prepared message is refused, which the step
 * prepared with the old settings was not. */
static void
test_reload_between(struct fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *big = g_strnfill(1500, 'x');
	g_autofree char *raw = g_strdup_printf(
		"From: nurse@hospital.test\r\nTo: cert@example.test\r\n"
		"Subject: big header\r\nX-Long: %s\r\n"
		"Message-ID: <big@hospital.test>\r\n\r\nHello.\r\n",
		big);
	struct config *reloaded = NULL;
	struct store_message_new message = {
		.source = "import",
		.source_ref = "test",
		.raw = (const guint8 *)raw,
		.raw_len = strlen(raw),
		.size = (gint64)strlen(raw),
		.state = "received",
	};
	gint64 id = store_message_insert(f->store, &message, NULL, &error);
	struct pipeline old_pipeline = worker(f);
	struct intake_prepared *prepared =
		intake_prepare(&old_pipeline, id, &error);
	g_autoptr(StoreMessage) m = NULL;

	g_assert_no_error(error);
	g_assert_nonnull(prepared);
	reloaded = load_config(f, "max_header_bytes = 1024;", &error);
	g_assert_no_error(error);
	g_assert_cmpint(reloaded->limits.max_header_bytes, ==, 1024);
	struct pipeline pipeline = {
		.store = f->store,
		.config = reloaded,
		.templates = f->templates,
	};
	g_assert_true(intake_apply(&pipeline, &prepared, NULL, &error));
	g_assert_no_error(error);
	m = store_message_get(f->store, id, &error);
	g_assert_cmpstr(m->state, ==, "failed");
	g_assert_cmpuint(case_count(f), ==, 0);
	config_unref(&reloaded);
}

/* A read-ahead that cannot open its database says so per request; the
 * worker then prepares the message itself (intake-worker.c). */
static void
test_error_is_reported(struct fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *bad =
		g_build_filename(f->dir, "no", "such", "dir", "db", NULL);
	struct intake_ahead *ahead = intake_ahead_new(bad, NULL, f->stop);
	gint64 id = receive(f, 1), took = 0;
	struct intake_prepared *prepared;

	intake_ahead_request(ahead, f->config, id);
	prepared = intake_ahead_take(ahead, &took, &error);
	g_assert_null(prepared);
	g_assert_nonnull(error);
	g_test_message("%s", error->message);
	g_assert_cmpint(took, ==, id);
	intake_ahead_free(&ahead);
	assert_state(f, id, "received");
}

int
main(int argc, char **argv)
{
	int status;

	g_test_init(&argc, &argv, NULL);
	g_mime_init();
	/* Keep TAP output readable; warnings and errors still show. */
	log_set_level(LOG_LEVEL_ERROR);
#define ADD(path, fn)                                                          \
	g_test_add(path, struct fixture, NULL, fixture_set_up, fn,             \
		   fixture_tear_down)
	ADD("/intake-ahead/in-order", test_in_order);
	ADD("/intake-ahead/no-lock-across-hand-off",
	    test_no_lock_across_hand_off);
	ADD("/intake-ahead/stop-skips", test_stop_skips);
	ADD("/intake-ahead/free-with-outstanding", test_free_with_outstanding);
	ADD("/intake-ahead/other-door-first", test_other_door_first);
	ADD("/intake-ahead/reload-between", test_reload_between);
	ADD("/intake-ahead/error-is-reported", test_error_is_reported);
	status = g_test_run();
	g_mime_shutdown();
	return status;
}
