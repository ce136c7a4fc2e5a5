/* store-outbox.c — the durable outbox. */
#include "store-internal.h"

#include <gio/gio.h>

#define OUTBOX_COLUMNS                                                         \
	"id, case_id, kind, in_reply_to, message_id, mail_from, rcpt_to, "     \
	"subject, state, attempts, next_attempt_at, last_error, "              \
	"created_at, sent_at"

gint64
store_outbox_next_id(struct store *store, GError **error)
{
	gint64 next = 1;
	sqlite3_stmt *stmt = store_prepare(
		store, "SELECT coalesce(max(id), 0) + 1 FROM outbox", error);

	if (stmt == NULL)
		return 0;
	if (sqlite3_step(stmt) == SQLITE_ROW)
		next = sqlite3_column_int64(stmt, 0);
	sqlite3_reset(stmt);
	return next;
}

gint64
store_outbox_insert(struct store *store, const struct store_outbox_new *entry,
		    gboolean *inserted, GError **error)
{
	sqlite3_stmt *stmt;
	gint64 created =
		entry->created_at != 0 ? entry->created_at : store_now();

	if (inserted != NULL)
		*inserted = FALSE;
	if (entry->in_reply_to != 0) {
		stmt = store_prepare(store,
				     "SELECT id FROM outbox WHERE "
				     "in_reply_to = ? AND kind = ?",
				     error);
		if (stmt == NULL)
			return 0;
		sqlite3_bind_int64(stmt, 1, entry->in_reply_to);
		store_bind_text(stmt, 2, entry->kind);
		if (sqlite3_step(stmt) == SQLITE_ROW) {
			gint64 id = sqlite3_column_int64(stmt, 0);

			sqlite3_reset(stmt);
			return id;
		}
		sqlite3_reset(stmt);
	}
	stmt = store_prepare(store,
			     "INSERT INTO outbox (case_id, kind, in_reply_to, "
			     "message_id, mail_from, rcpt_to, subject, raw, "
			     "state, next_attempt_at, created_at, id) "
			     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			     error);
	if (stmt == NULL)
		return 0;
	store_bind_text(stmt, 1, entry->case_id);
	store_bind_text(stmt, 2, entry->kind);
	if (entry->in_reply_to != 0)
		sqlite3_bind_int64(stmt, 3, entry->in_reply_to);
	store_bind_text(stmt, 4, entry->message_id);
	store_bind_text(stmt, 5, entry->mail_from);
	store_bind_text(stmt, 6, entry->rcpt_to);
	store_bind_text(stmt, 7, entry->subject);
	sqlite3_bind_blob64(stmt, 8, entry->raw, entry->raw_len, SQLITE_STATIC);
	store_bind_text(stmt, 9,
			entry->state != NULL ? entry->state : "queued");
	sqlite3_bind_int64(stmt, 10, created);
	sqlite3_bind_int64(stmt, 11, created);
	if (entry->id != 0)
		sqlite3_bind_int64(stmt, 12, entry->id);
	if (!store_step_done(store, stmt, "cannot queue outgoing mail", error))
		return 0;
	if (inserted != NULL)
		*inserted = TRUE;
	return sqlite3_last_insert_rowid(store->db);
}

void
store_outbox_free(struct store_outbox *entry)
{
	if (entry == NULL)
		return;
	g_free(entry->case_id);
	g_free(entry->kind);
	g_free(entry->message_id);
	g_free(entry->mail_from);
	g_free(entry->rcpt_to);
	g_free(entry->subject);
	if (entry->raw != NULL)
		g_bytes_unref(entry->raw);
	g_free(entry->state);
	g_free(entry->last_error);
	g_free(entry);
}

static struct store_outbox *
outbox_from_row(sqlite3_stmt *stmt, gboolean with_raw)
{
	struct store_outbox *e = g_new0(struct store_outbox, 1);

	e->id = sqlite3_column_int64(stmt, 0);
	e->case_id = store_column_text(stmt, 1);
	e->kind = store_column_text(stmt, 2);
	e->in_reply_to = sqlite3_column_int64(stmt, 3);
	e->message_id = store_column_text(stmt, 4);
	e->mail_from = store_column_text(stmt, 5);
	e->rcpt_to = store_column_text(stmt, 6);
	e->subject = store_column_text(stmt, 7);
	e->state = store_column_text(stmt, 8);
	e->attempts = sqlite3_column_int(stmt, 9);
	e->next_attempt_at = sqlite3_column_int64(stmt, 10);
	e->last_error = store_column_text(stmt, 11);
	e->created_at = sqlite3_column_int64(stmt, 12);
	e->sent_at = sqlite3_column_int64(stmt, 13);
	if (with_raw)
		e->raw = g_bytes_new(sqlite3_column_blob(stmt, 14),
				     sqlite3_column_bytes(stmt, 14));
	return e;
}

/* 1 if an entry is due, 0 if none, -1 with error (a read: no lock). */
static int
outbox_any_due(struct store *store, gint64 now, GError **error)
{
	sqlite3_stmt *stmt = store_prepare(
		store,
		"SELECT 1 FROM outbox WHERE state IN ('queued', 'uncertain') "
		"AND next_attempt_at <= ? LIMIT 1",
		error);
	int rc;

	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, now);
	rc = sqlite3_step(stmt);
	sqlite3_reset(stmt);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	store_set_error(store, error, "cannot look for due outbox entries");
	return -1;
}

struct store_outbox *
store_outbox_claim_due(struct store *store, gint64 now, GError **error)
{
	struct store_outbox *entry = NULL;
	sqlite3_stmt *stmt;
	/* All senders wake for each new entry; those that find nothing due
	 * leave without taking the write lock. */
	int rc = outbox_any_due(store, now, error);

	if (rc <= 0)
		return NULL;
	/* Choosing and marking in one statement: the senders running at once
	 * each get a different entry, instead of all reading the same one
	 * (with its raw mail) and racing to mark it. */
	stmt = store_prepare(
		store,
		"UPDATE outbox SET state = 'sending', attempts = attempts + 1, "
		"next_attempt_at = ?1 WHERE id = (SELECT id FROM outbox WHERE "
		"state IN ('queued', 'uncertain') AND next_attempt_at <= ?1 "
		"ORDER BY next_attempt_at, id LIMIT 1) "
		"RETURNING " OUTBOX_COLUMNS ", raw",
		error);
	if (stmt == NULL)
		return NULL;
	sqlite3_bind_int64(stmt, 1, now);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		entry = outbox_from_row(stmt, TRUE);
		/* The change commits when the statement runs to its end. */
		rc = sqlite3_step(stmt);
	}
	if (rc != SQLITE_DONE) {
		store_set_error(store, error,
				"cannot claim a due outbox entry");
		g_clear_pointer(&entry, store_outbox_free);
	}
	sqlite3_reset(stmt);
	return entry;
}

gint64
store_outbox_seconds_until_due(struct store *store, gint64 now, GError **error)
{
	gint64 seconds = -1;
	sqlite3_stmt *stmt =
		store_prepare(store,
			      "SELECT min(next_attempt_at) FROM outbox WHERE "
			      "state IN ('queued', 'uncertain')",
			      error);

	if (stmt == NULL)
		return -1;
	if (sqlite3_step(stmt) == SQLITE_ROW &&
	    sqlite3_column_type(stmt, 0) != SQLITE_NULL)
		seconds = MAX(0, sqlite3_column_int64(stmt, 0) - now);
	sqlite3_reset(stmt);
	return seconds;
}

static GPtrArray *
collect_outbox(sqlite3_stmt *stmt)
{
	GPtrArray *list = g_ptr_array_new_with_free_func(
		(GDestroyNotify)store_outbox_free);

	while (sqlite3_step(stmt) == SQLITE_ROW)
		g_ptr_array_add(list, outbox_from_row(stmt, FALSE));
	sqlite3_reset(stmt);
	return list;
}

GPtrArray *
store_outbox_list(struct store *store, const char *state, GError **error)
{
	sqlite3_stmt *stmt = store_prepare(store,
					   "SELECT " OUTBOX_COLUMNS
					   " FROM outbox WHERE ?1 IS NULL OR "
					   "state = ?1 ORDER BY id DESC",
					   error);

	if (stmt == NULL)
		return NULL;
	store_bind_text(stmt, 1, state);
	return collect_outbox(stmt);
}

GPtrArray *
store_case_outbox(struct store *store, const char *case_id, GError **error)
{
	sqlite3_stmt *stmt = store_prepare(store,
					   "SELECT " OUTBOX_COLUMNS
					   " FROM outbox WHERE case_id = ? "
					   "ORDER BY id",
					   error);

	if (stmt == NULL)
		return NULL;
	store_bind_text(stmt, 1, case_id);
	return collect_outbox(stmt);
}

struct store_outbox *
store_outbox_get(struct store *store, gint64 id, GError **error)
{
	struct store_outbox *entry;
	sqlite3_stmt *stmt = store_prepare(store,
					   "SELECT " OUTBOX_COLUMNS
					   ", raw FROM outbox WHERE id = ?",
					   error);

	if (stmt == NULL)
		return NULL;
	sqlite3_bind_int64(stmt, 1, id);
	if (sqlite3_step(stmt) != SQLITE_ROW) {
		sqlite3_reset(stmt);
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
			    "outbox entry %" G_GINT64_FORMAT " not found", id);
		return NULL;
	}
	entry = outbox_from_row(stmt, TRUE);
	sqlite3_reset(stmt);
	return entry;
}

gint64
store_outbox_find_by_message_id(struct store *store, const char *message_id,
				GError **error)
{
	gint64 id = 0;
	sqlite3_stmt *stmt = store_prepare(
		store, "SELECT id FROM outbox WHERE message_id = ?", error);

	if (stmt == NULL)
		return 0;
	store_bind_text(stmt, 1, message_id);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		id = sqlite3_column_int64(stmt, 0);
	sqlite3_reset(stmt);
	return id;
}

static gboolean
update_outbox(struct store *store, const char *sql, gint64 id, gint64 number,
	      const char *text, const char *what, GError **error)
{
	sqlite3_stmt *stmt = store_prepare(store, sql, error);

	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_int64(stmt, 1, number);
	store_bind_text(stmt, 2, text);
	sqlite3_bind_int64(stmt, 3, id);
	return store_step_done(store, stmt, what, error);
}

gboolean
store_outbox_mark_sent(struct store *store, gint64 id, gint64 now,
		       const char *reply, GError **error)
{
	return update_outbox(store,
			     "UPDATE outbox SET state = 'sent', sent_at = ?, "
			     "last_error = ? WHERE id = ?",
			     id, now, reply, "cannot mark outbox entry sent",
			     error);
}

gboolean
store_outbox_mark_retry(struct store *store, gint64 id, gint64 next_attempt_at,
			const char *why, GError **error)
{
	return update_outbox(store,
			     "UPDATE outbox SET state = 'queued', "
			     "next_attempt_at = ?, last_error = ? WHERE id = ?",
			     id, next_attempt_at, why,
			     "cannot reschedule outbox entry", error);
}

gboolean
store_outbox_mark_failed(struct store *store, gint64 id, const char *why,
			 GError **error)
{
	sqlite3_stmt *stmt = store_prepare(
		store,
		"UPDATE outbox SET state = 'failed', last_error = ? "
		"WHERE id = ?",
		error);

	if (stmt == NULL)
		return FALSE;
	store_bind_text(stmt, 1, why);
	sqlite3_bind_int64(stmt, 2, id);
	return store_step_done(store, stmt, "cannot mark outbox entry failed",
			       error);
}

gboolean
store_outbox_mark_held(struct store *store, gint64 id, const char *why,
		       GError **error)
{
	sqlite3_stmt *stmt = store_prepare(
		store,
		"UPDATE outbox SET state = 'held', last_error = ? "
		"WHERE id = ?",
		error);

	if (stmt == NULL)
		return FALSE;
	store_bind_text(stmt, 1, why);
	sqlite3_bind_int64(stmt, 2, id);
	return store_step_done(store, stmt, "cannot hold outbox entry", error);
}

int
store_outbox_recover(struct store *store, gint64 retry_at, GError **error)
{
	sqlite3_stmt *stmt = store_prepare(
		store,
		"UPDATE outbox SET state = 'uncertain', next_attempt_at = ?, "
		"last_error = 'interrupted while sending; waiting for our "
		"own copy before sending again' WHERE state = 'sending'",
		error);

	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, retry_at);
	if (!store_step_done(store, stmt, "cannot recover outbox", error))
		return -1;
	return sqlite3_changes(store->db);
}

gint64
store_outbox_confirm_copy(struct store *store, const char *message_id,
			  gint64 now, GError **error)
{
	gint64 id;
	sqlite3_stmt *stmt;

	if (message_id == NULL)
		return 0;
	id = store_outbox_find_by_message_id(store, message_id, error);
	if (id <= 0)
		return error != NULL && *error != NULL ? -1 : 0;
	stmt = store_prepare(store,
			     "UPDATE outbox SET state = 'sent', "
			     "sent_at = coalesce(sent_at, ?), last_error = "
			     "'delivery confirmed by our own copy' "
			     "WHERE id = ? AND state IN ('sending', "
			     "'uncertain')",
			     error);
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, now);
	sqlite3_bind_int64(stmt, 2, id);
	if (!store_step_done(store, stmt, "cannot confirm outbox entry", error))
		return -1;
	return sqlite3_changes(store->db) > 0 ? id : 0;
}

int
store_count_replies_to(struct store *store, const char *rcpt, gint64 since,
		       int at_most, GError **error)
{
	/* Answered from the index outbox_rcpt alone (migration 6). */
	sqlite3_stmt *stmt = store_prepare(
		store,
		"SELECT count(*) FROM (SELECT 1 FROM outbox WHERE "
		"rcpt_to = ? AND created_at >= ? AND state != 'held' LIMIT ?)",
		error);

	if (stmt == NULL)
		return -1;
	store_bind_text(stmt, 1, rcpt);
	sqlite3_bind_int64(stmt, 2, since);
	sqlite3_bind_int(stmt, 3, MAX(at_most, 0));
	return store_step_count(store, stmt,
				"cannot count replies to a recipient", error);
}

int
store_count_case_mail(struct store *store, const char *case_id,
		      const char *kind, gint64 since, GError **error)
{
	sqlite3_stmt *stmt = store_prepare(
		store,
		"SELECT count(*) FROM outbox WHERE case_id = ? AND kind = ? "
		"AND created_at >= ?",
		error);

	if (stmt == NULL)
		return -1;
	store_bind_text(stmt, 1, case_id);
	store_bind_text(stmt, 2, kind);
	sqlite3_bind_int64(stmt, 3, since);
	return store_step_count(store, stmt, "cannot count a case's mail",
				error);
}

GPtrArray *
store_outbox_held_to(struct store *store, const char *rcpt, GError **error)
{
	GPtrArray *list;
	sqlite3_stmt *stmt = store_prepare(
		store,
		"SELECT " OUTBOX_COLUMNS ", raw FROM outbox WHERE state = "
		"'held' AND lower(rcpt_to) = lower(?) ORDER BY id",
		error);

	if (stmt == NULL)
		return NULL;
	store_bind_text(stmt, 1, rcpt);
	list = g_ptr_array_new_with_free_func(
		(GDestroyNotify)store_outbox_free);
	while (sqlite3_step(stmt) == SQLITE_ROW)
		g_ptr_array_add(list, outbox_from_row(stmt, TRUE));
	sqlite3_reset(stmt);
	return list;
}

gboolean
store_outbox_release(struct store *store, gint64 id, const guint8 *raw,
		     gsize raw_len, gint64 now, GError **error)
{
	sqlite3_stmt *stmt = store_prepare(
		store,
		"UPDATE outbox SET raw = ?, state = 'queued', "
		"next_attempt_at = ?, last_error = NULL WHERE id = ? AND "
		"state = 'held'",
		error);

	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_blob64(stmt, 1, raw, raw_len, SQLITE_TRANSIENT);
	sqlite3_bind_int64(stmt, 2, now);
	sqlite3_bind_int64(stmt, 3, id);
	return store_step_done(store, stmt, "cannot release outbox entry",
			       error);
}
