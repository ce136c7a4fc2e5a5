/* test-store.c — the store against a real SQLite file in a temp dir. */
#include <string.h>
#include <sys/stat.h>
#include <glib/gstdio.h>
#include <gio/gio.h>

#include "store.h"

struct fixture {
	char *dir;
	char *path;
	struct store *store;
};

static void
fixture_set_up(struct fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;

	f->dir = g_dir_make_tmp("test-store-XXXXXX", &error);
	g_assert_no_error(error);
	f->path = g_build_filename(f->dir, "intaked.db", NULL);
	f->store = store_open(f->path, &error);
	g_assert_no_error(error);
	g_assert_nonnull(f->store);
}

static void
fixture_tear_down(struct fixture *f, gconstpointer data)
{
	g_autofree char *wal = g_strconcat(f->path, "-wal", NULL);
	g_autofree char *shm = g_strconcat(f->path, "-shm", NULL);

	store_close(&f->store);
	g_assert_null(f->store);
	g_unlink(wal);
	g_unlink(shm);
	g_unlink(f->path);
	g_rmdir(f->dir);
	g_free(f->path);
	g_free(f->dir);
}

static void
test_file_is_private(struct fixture *f, gconstpointer data)
{
	struct stat st;

	g_assert_cmpint(g_stat(f->path, &st), ==, 0);
	g_assert_cmpint(st.st_mode & 077, ==, 0);
}

static void
test_reopen_keeps_schema(struct fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;

	store_close(&f->store);
	f->store = store_open(f->path, &error);
	g_assert_no_error(error);
	g_assert_nonnull(f->store);
}

static void
test_imap_insert_is_idempotent(struct fixture *f, gconstpointer data)
{
	static const char raw[] = "From: a@example.test\r\n\r\nhello\r\n";
	struct store_message_new m = {
		.source = "imap",
		.source_ref = "INBOX",
		.uidvalidity = 7,
		.uid = 42,
		.raw = (const guint8 *)raw,
		.raw_len = sizeof(raw) - 1,
	};
	g_autoptr(GError) error = NULL;
	gboolean inserted;
	gint64 first, second;
	g_autoptr(StoreMessage) stored = NULL;
	g_autoptr(GArray) pending = NULL;

	first = store_message_insert(f->store, &m, &inserted, &error);
	g_assert_no_error(error);
	g_assert_true(inserted);
	second = store_message_insert(f->store, &m, &inserted, &error);
	g_assert_no_error(error);
	g_assert_false(inserted);
	g_assert_cmpint(first, ==, second);

	stored = store_message_get(f->store, first, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(stored->state, ==, "received");
	g_assert_cmpint(g_bytes_get_size(stored->raw), ==, sizeof(raw) - 1);
	g_assert_cmpint(strlen(stored->sha256), ==, 64);

	pending = store_messages_pending(f->store, &error);
	g_assert_cmpint(pending->len, ==, 1);
}

/* A batch is committed whole: ids in order, an already stored UID found
 * again, and a row that cannot be stored takes the whole batch with it. */
static void
test_imap_insert_batch(struct fixture *f, gconstpointer data)
{
	static const char raw[] = "From: a@example.test\r\n\r\nhello\r\n";
	struct store_message_new m[3];
	gint64 ids[3] = {0};
	gboolean inserted[3] = {FALSE};
	g_autoptr(GError) error = NULL;
	g_autoptr(GArray) pending = NULL;
	g_autoptr(StoreMessage) oversize = NULL;
	gint64 earlier;

	for (guint i = 0; i < 3; i++)
		m[i] = (struct store_message_new){
			.source = "imap",
			.source_ref = "INBOX",
			.uidvalidity = 7,
			.uid = 10 + i,
			.raw = (const guint8 *)raw,
			.raw_len = sizeof(raw) - 1,
		};
	/* uid 12 is too big to fetch: stored without its body. */
	m[2].raw = NULL;
	m[2].raw_len = 0;
	m[2].size = 99999;
	m[2].error = "too big";

	earlier = store_message_insert(f->store, &m[1], NULL, &error);
	g_assert_no_error(error);

	g_assert_true(store_message_insert_batch(f->store, m, 3, ids, inserted,
						 &error));
	g_assert_no_error(error);
	g_assert_true(inserted[0]);
	g_assert_false(inserted[1]);
	g_assert_true(inserted[2]);
	g_assert_cmpint(ids[1], ==, earlier);
	g_assert_cmpint(ids[0], >, earlier);
	g_assert_cmpint(ids[2], >, ids[0]);
	oversize = store_message_get(f->store, ids[2], &error);
	g_assert_no_error(error);
	g_assert_null(oversize->raw);
	g_assert_cmpint(oversize->size, ==, 99999);
	g_assert_cmpstr(oversize->error, ==, "too big");

	/* New UIDs, but the second row breaks a constraint: nothing of the
	 * batch is stored, and the store is usable afterwards. */
	m[0].uid = 20;
	m[1].uid = 21;
	m[1].source = NULL;
	g_assert_false(
		store_message_insert_batch(f->store, m, 2, ids, NULL, &error));
	g_assert_nonnull(error);
	g_clear_error(&error);
	pending = store_messages_pending(f->store, &error);
	g_assert_no_error(error);
	g_assert_cmpint(pending->len, ==, 3);

	/* An empty batch is a no-op. */
	g_assert_true(
		store_message_insert_batch(f->store, m, 0, ids, NULL, &error));
	g_assert_no_error(error);
}

static void
test_case_ids_count_per_year(struct fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GDateTime) t2026 =
		g_date_time_new_utc(2026, 11, 22, 10, 0, 0);
	g_autoptr(GDateTime) t2027 = g_date_time_new_utc(2027, 1, 1, 0, 0, 1);
	struct store_case_new c = {.language = "nl",
				   .requester_addr = "a@example.test",
				   .created_at = g_date_time_to_unix(t2026)};
	g_autofree char *a = NULL, *b = NULL, *d = NULL;
	g_autoptr(StoreCase) got = NULL;

	g_assert_true(store_begin(f->store, &error));
	a = store_case_create(f->store, &c, &error);
	b = store_case_create(f->store, &c, &error);
	c.created_at = g_date_time_to_unix(t2027);
	d = store_case_create(f->store, &c, &error);
	g_assert_no_error(error);
	g_assert_true(store_commit(f->store, &error));
	g_assert_cmpstr(a, ==, "2026-0001");
	g_assert_cmpstr(b, ==, "2026-0002");
	g_assert_cmpstr(d, ==, "2027-0001");

	got = store_case_get(f->store, "2026-0002", &error);
	g_assert_no_error(error);
	g_assert_cmpstr(got->state, ==, "open");
	g_assert_cmpstr(got->language, ==, "nl");
	g_assert_null(store_case_get(f->store, "2026-9999", &error));
	g_assert_error(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

static void
test_outbox_one_reply_per_kind(struct fixture *f, gconstpointer data)
{
	static const char raw[] = "From: a@example.test\r\n\r\nhello\r\n";
	struct store_message_new m = {.source = "import",
				      .raw = (const guint8 *)raw,
				      .raw_len = sizeof(raw) - 1};
	g_autoptr(GError) error = NULL;
	gint64 message = store_message_insert(f->store, &m, NULL, &error);
	struct store_outbox_new out = {
		.kind = "ack",
		.in_reply_to = message,
		.message_id = "x1@example.test",
		.mail_from = "cert@example.test",
		.rcpt_to = "a@example.test",
		.subject = "s",
		.raw = (const guint8 *)raw,
		.raw_len = sizeof(raw) - 1,
		.created_at = 1000,
	};
	gboolean inserted;
	gint64 first, second;
	g_autoptr(StoreOutbox) due = NULL;
	g_autoptr(StoreOutbox) again = NULL;

	first = store_outbox_insert(f->store, &out, &inserted, &error);
	g_assert_no_error(error);
	g_assert_true(inserted);
	out.message_id = "x2@example.test";
	second = store_outbox_insert(f->store, &out, &inserted, &error);
	g_assert_no_error(error);
	g_assert_false(inserted);
	g_assert_cmpint(first, ==, second);

	g_assert_cmpint(store_outbox_seconds_until_due(f->store, 900, &error),
			==, 100);
	g_assert_null(store_outbox_claim_due(f->store, 999, &error));
	g_assert_no_error(error);
	/* Claimed once: marked sending with the attempt counted, and no
	 * second sender gets it. */
	due = store_outbox_claim_due(f->store, 1000, &error);
	g_assert_nonnull(due);
	g_assert_nonnull(due->raw);
	g_assert_cmpint(due->id, ==, first);
	g_assert_cmpstr(due->state, ==, "sending");
	g_assert_cmpint(due->attempts, ==, 1);
	g_assert_null(store_outbox_claim_due(f->store, 1000, &error));
	g_assert_no_error(error);

	/* A crash while sending: recovered to uncertain, attempt counted. */
	g_assert_cmpint(store_outbox_recover(f->store, 1300, &error), ==, 1);
	again = store_outbox_get(f->store, first, &error);
	g_assert_cmpstr(again->state, ==, "uncertain");
	g_assert_cmpint(again->attempts, ==, 1);
	/* Uncertain entries wait for the grace time, then are due again. */
	g_assert_null(store_outbox_claim_due(f->store, 1299, &error));
	g_assert_cmpint(store_outbox_seconds_until_due(f->store, 1299, &error),
			==, 1);
	g_clear_pointer(&due, store_outbox_free);
	due = store_outbox_claim_due(f->store, 1300, &error);
	g_assert_nonnull(due);
	g_assert_cmpint(due->attempts, ==, 2);
	/* Our own copy arrives: confirmed, and no longer sendable. */
	g_assert_cmpint(store_outbox_confirm_copy(f->store, "x1@example.test",
						  1301, &error),
			==, first);
	g_assert_null(store_outbox_claim_due(f->store, 1302, &error));
	g_assert_no_error(error);
	g_assert_cmpint(store_outbox_confirm_copy(f->store, "x1@example.test",
						  1303, &error),
			==, 0);

	g_assert_true(store_outbox_mark_sent(f->store, first, 1002, "250 ok",
					     &error));
	g_assert_cmpint(store_outbox_seconds_until_due(f->store, 900, &error),
			==, -1);
	g_assert_cmpint(store_outbox_find_by_message_id(
				f->store, "x1@example.test", &error),
			==, first);
}

static void
test_staff_field_wins(struct fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	struct store_case_new c = {.language = "en",
				   .requester_addr = "a@example.test",
				   .created_at = 1000};
	g_autofree char *id = NULL;
	struct store_field staff = {.field = (char *)"care_impact",
				    .value = (char *)"yes",
				    .source = (char *)"staff",
				    .confidence = 1.0};
	struct store_field parsed = {.field = (char *)"care_impact",
				     .value = (char *)"no",
				     .source = (char *)"parser",
				     .confidence = 0.7};
	g_autoptr(GPtrArray) fields = NULL;

	g_assert_true(store_begin(f->store, &error));
	id = store_case_create(f->store, &c, &error);
	g_assert_true(store_case_set_field(f->store, id, &staff, &error));
	g_assert_true(store_case_set_field(f->store, id, &parsed, &error));
	g_assert_true(store_commit(f->store, &error));
	fields = store_case_fields(f->store, id, &error);
	g_assert_cmpint(fields->len, ==, 1);
	g_assert_cmpstr(((struct store_field *)fields->pdata[0])->value, ==,
			"yes");
	g_assert_cmpstr(((struct store_field *)fields->pdata[0])->source, ==,
			"staff");
}

/* A held reply is never due and does not count against the rate limit;
 * whether a conversation was encrypted is read from the crypto summaries
 * of the message answered and of its case. */
static void
test_outbox_held_and_encrypted(struct fixture *f, gconstpointer data)
{
	static const char raw[] = "From: a@example.test\r\n\r\nhello\r\n";
	struct store_message_new m = {.source = "import",
				      .raw = (const guint8 *)raw,
				      .raw_len = sizeof(raw) - 1,
				      .state = "received"};
	g_autoptr(GError) error = NULL;
	g_autofree char *case_id = NULL;
	g_autoptr(StoreOutbox) held = NULL;
	gint64 clear = store_message_insert(f->store, &m, NULL, &error);
	gint64 secret = store_message_insert(f->store, &m, NULL, &error);
	gint64 later = store_message_insert(f->store, &m, NULL, &error);
	struct store_outbox_new out = {
		.kind = "ack",
		.in_reply_to = secret,
		.message_id = "h1@example.test",
		.mail_from = "cert@example.test",
		.rcpt_to = "a@example.test",
		.subject = "s",
		.raw = (const guint8 *)raw,
		.raw_len = sizeof(raw) - 1,
		.state = "held",
		.created_at = 1000,
	};
	gint64 id;

	g_assert_no_error(error);
	case_id = store_case_create(
		f->store,
		&(struct store_case_new){.language = "en",
					 .requester_addr = "a@example.test",
					 .created_at = 1000},
		&error);
	g_assert_no_error(error);
	g_assert_true(store_message_set_result(
		f->store, secret,
		&(struct store_message_result){.state = "processed",
					       .kind = "report",
					       .case_id = case_id},
		&error));
	g_assert_true(store_message_set_crypto(
		f->store, clear, "{\"encrypted\":false,\"signed\":true}",
		&error));
	g_assert_false(
		store_message_wrote_encrypted(f->store, clear, NULL, &error));
	g_assert_no_error(error);
	g_assert_true(store_message_set_crypto(
		f->store, secret, "{\"encrypted\":true,\"decrypted\":true}",
		&error));
	g_assert_true(
		store_message_wrote_encrypted(f->store, secret, NULL, &error));
	/* A later clear message on the same case: still an encrypted
	 * conversation. */
	g_assert_true(store_message_wrote_encrypted(f->store, later, case_id,
						    &error));
	g_assert_false(store_message_wrote_encrypted(f->store, later,
						     "2026-9999", &error));
	/* Garbage in the column is not encrypted, and not an error. */
	g_assert_true(store_message_set_crypto(f->store, later, "{", &error));
	g_assert_false(
		store_message_wrote_encrypted(f->store, later, NULL, &error));
	g_assert_no_error(error);

	id = store_outbox_insert(f->store, &out, NULL, &error);
	g_assert_no_error(error);
	g_assert_true(
		store_outbox_mark_held(f->store, id, "held: no key", &error));
	held = store_outbox_get(f->store, id, &error);
	g_assert_cmpstr(held->state, ==, "held");
	g_assert_cmpstr(held->last_error, ==, "held: no key");
	g_assert_null(store_outbox_claim_due(f->store, 5000, &error));
	g_assert_cmpint(store_outbox_seconds_until_due(f->store, 900, &error),
			==, -1);
	g_assert_cmpint(store_count_replies_to(f->store, "a@example.test", 0,
					       100, &error),
			==, 0);
	out.kind = "key_request";
	out.message_id = "h2@example.test";
	out.state = "queued";
	g_assert_cmpint(store_outbox_insert(f->store, &out, NULL, &error), !=,
			0);
	g_assert_cmpint(store_count_replies_to(f->store, "a@example.test", 0,
					       100, &error),
			==, 1);
}

static void
test_imap_last_uid_tracks_uidvalidity(struct fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;

	g_assert_cmpint(store_imap_last_uid(f->store, "INBOX", 5, &error), ==,
			0);
	g_assert_true(store_imap_set_last_uid(f->store, "INBOX", 5, 9, &error));
	g_assert_cmpint(store_imap_last_uid(f->store, "INBOX", 5, &error), ==,
			9);
	/* A new UIDVALIDITY invalidates what we knew. */
	g_assert_cmpint(store_imap_last_uid(f->store, "INBOX", 6, &error), ==,
			0);
}

/* A connection holding the write lock back to back, with short gaps,
 * like the intake worker in a burst. */
struct hog {
	const char *path;
	gint stop;
	guint transactions;
};

static gpointer
hog_thread(gpointer data)
{
	struct hog *hog = data;
	g_autoptr(GError) error = NULL;
	struct store *store = store_open(hog->path, &error);

	g_assert_no_error(error);
	while (!g_atomic_int_get(&hog->stop)) {
		g_assert_true(store_begin(store, &error));
		g_usleep(20 * 1000);
		g_assert_true(store_commit(store, &error));
		hog->transactions++;
		/* What the worker does between two steps. */
		g_usleep(200);
	}
	store_close(&store);
	return NULL;
}

/* Another writer gets in within a few of the hog's transactions instead
 * of backing off past every gap (SQLite's own busy timeout sleeps 25 to
 * 100 ms between tries and starved the senders for whole bursts). */
static void
test_busy_writer_gets_in(struct fixture *f, gconstpointer data)
{
	struct hog hog = {.path = f->path};
	GThread *thread = g_thread_new("hog", hog_thread, &hog);
	gint64 worst = 0;

	g_usleep(50 * 1000);
	for (int i = 0; i < 10; i++) {
		g_autoptr(GError) error = NULL;
		gint64 started = g_get_monotonic_time();

		g_assert_true(store_begin(f->store, &error));
		g_assert_no_error(error);
		g_assert_true(store_commit(f->store, &error));
		worst = MAX(worst, g_get_monotonic_time() - started);
	}
	g_atomic_int_set(&hog.stop, 1);
	g_thread_join(thread);
	g_test_message("worst wait %" G_GINT64_FORMAT " us over %u hog "
		       "transactions",
		       worst, hog.transactions);
	g_assert_cmpint(worst, <, G_USEC_PER_SEC);
}

/* The rate-limit counts stop at the limit asked for and count only what
 * they should; the mails are large so that a count reading rows instead
 * of its index (migration 6) would at least be visible under valgrind. */
static void
test_rate_counts_capped(struct fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autofree guint8 *raw = g_malloc0(64 * 1024);
	gint64 now = g_get_real_time() / G_USEC_PER_SEC;

	for (int i = 0; i < 30; i++) {
		g_autofree char *ref = g_strdup_printf("/tmp/m%d.eml", i);
		struct store_message_new m = {
			.source = "import",
			.source_ref = ref,
			.raw = raw,
			.raw_len = 64 * 1024,
			.size = 64 * 1024,
			.state = "received",
		};
		struct store_message_result r = {
			.state = "processed",
			.kind = i < 25 ? "report" : "reply",
			.from_addr = "flood@example.test",
		};
		gint64 id = store_message_insert(f->store, &m, NULL, &error);

		g_assert_no_error(error);
		g_assert_true(
			store_message_set_result(f->store, id, &r, &error));
	}
	g_assert_cmpint(store_count_reports_from(f->store, "flood@example.test",
						 now - 60, 1000, &error),
			==, 25);
	g_assert_cmpint(store_count_reports_from(f->store, "flood@example.test",
						 now - 60, 10, &error),
			==, 10);
	g_assert_cmpint(store_count_reports_from(f->store, "flood@example.test",
						 now + 3600, 1000, &error),
			==, 0);
	g_assert_cmpint(store_count_reports_from(f->store, "other@example.test",
						 now - 60, 1000, &error),
			==, 0);
	g_assert_no_error(error);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
#define ADD(path, fn)                                                          \
	g_test_add(path, struct fixture, NULL, fixture_set_up, fn,             \
		   fixture_tear_down)
	ADD("/store/file-is-private", test_file_is_private);
	ADD("/store/reopen-keeps-schema", test_reopen_keeps_schema);
	ADD("/store/imap-insert-idempotent", test_imap_insert_is_idempotent);
	ADD("/store/imap-insert-batch", test_imap_insert_batch);
	ADD("/store/case-ids-per-year", test_case_ids_count_per_year);
	ADD("/store/outbox-one-reply-per-kind", test_outbox_one_reply_per_kind);
	ADD("/store/imap-last-uid", test_imap_last_uid_tracks_uidvalidity);
	ADD("/store/staff-field-wins", test_staff_field_wins);
	ADD("/store/outbox-held-and-encrypted", test_outbox_held_and_encrypted);
	ADD("/store/busy-writer-gets-in", test_busy_writer_gets_in);
	ADD("/store/rate-counts-capped", test_rate_counts_capped);
	return g_test_run();
}
