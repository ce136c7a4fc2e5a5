/* store-message.c — incoming messages and IMAP bookkeeping. */
#include "store-internal.h"

#include <gio/gio.h>

#define MESSAGE_COLUMNS                                                        \
	"id, source, source_ref, uidvalidity, uid, size, sha256, state, "      \
	"error, kind, case_id, message_id, from_addr, subject, language, "     \
	"thread_by, received_at, processed_at, crypto"

gint64
store_message_insert(struct store *store,
		     const struct store_message_new *message,
		     gboolean *inserted, GError **error)
{
	sqlite3_stmt *stmt;
	g_autofree char *sha256 = NULL;
	gboolean from_imap = message->uidvalidity != 0 && message->uid != 0;

	if (inserted != NULL)
		*inserted = FALSE;
	if (from_imap) {
		stmt = store_prepare(store,
				     "SELECT id FROM messages WHERE "
				     "source_ref = ? AND uidvalidity = ? AND "
				     "uid = ?",
				     error);
		if (stmt == NULL)
			return 0;
		store_bind_text(stmt, 1, message->source_ref);
		sqlite3_bind_int64(stmt, 2, message->uidvalidity);
		sqlite3_bind_int64(stmt, 3, message->uid);
		if (sqlite3_step(stmt) == SQLITE_ROW) {
			gint64 id = sqlite3_column_int64(stmt, 0);

			sqlite3_reset(stmt);
			return id;
		}
		sqlite3_reset(stmt);
	}
	if (message->raw != NULL)
		sha256 = g_compute_checksum_for_data(
			G_CHECKSUM_SHA256, message->raw, message->raw_len);
	stmt = store_prepare(store,
			     "INSERT INTO messages (source, source_ref, "
			     "uidvalidity, uid, raw, size, sha256, state, "
			     "error, received_at) "
			     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			     error);
	if (stmt == NULL)
		return 0;
	store_bind_text(stmt, 1, message->source);
	store_bind_text(stmt, 2, message->source_ref);
	if (from_imap) {
		sqlite3_bind_int64(stmt, 3, message->uidvalidity);
		sqlite3_bind_int64(stmt, 4, message->uid);
	}
	if (message->raw != NULL)
		sqlite3_bind_blob64(stmt, 5, message->raw, message->raw_len,
				    SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 6,
			   message->size > 0 ? message->size
					     : (gint64)message->raw_len);
	store_bind_text(stmt, 7, sha256);
	store_bind_text(stmt, 8,
			message->state != NULL ? message->state : "received");
	store_bind_text(stmt, 9, message->error);
	sqlite3_bind_int64(stmt, 10, store_now());
	if (!store_step_done(store, stmt, "cannot store message", error))
		return 0;
	if (inserted != NULL)
		*inserted = TRUE;
	return sqlite3_last_insert_rowid(store->db);
}

gboolean
store_message_insert_batch(struct store *store,
			   const struct store_message_new *messages,
			   guint count, gint64 *ids, gboolean *inserted,
			   GError **error)
{
	if (count == 0)
		return TRUE;
	if (!store_begin(store, error))
		return FALSE;
	for (guint i = 0; i < count; i++) {
		ids[i] = store_message_insert(
			store, &messages[i],
			inserted != NULL ? &inserted[i] : NULL, error);
		if (ids[i] == 0) {
			store_rollback(store);
			return FALSE;
		}
	}
	/* Either every row of the batch is on disk or none is; a failed
	 * commit rolls back, and the caller must not move any of them. */
	return store_commit(store, error);
}

void
store_message_free(struct store_message *message)
{
	if (message == NULL)
		return;
	g_free(message->source);
	g_free(message->source_ref);
	if (message->raw != NULL)
		g_bytes_unref(message->raw);
	g_free(message->sha256);
	g_free(message->state);
	g_free(message->error);
	g_free(message->kind);
	g_free(message->case_id);
	g_free(message->message_id);
	g_free(message->from_addr);
	g_free(message->subject);
	g_free(message->language);
	g_free(message->thread_by);
	g_free(message->crypto);
	g_free(message);
}

static struct store_message *
message_from_row(sqlite3_stmt *stmt)
{
	struct store_message *m = g_new0(struct store_message, 1);

	m->id = sqlite3_column_int64(stmt, 0);
	m->source = store_column_text(stmt, 1);
	m->source_ref = store_column_text(stmt, 2);
	m->uidvalidity = sqlite3_column_int64(stmt, 3);
	m->uid = sqlite3_column_int64(stmt, 4);
	m->size = sqlite3_column_int64(stmt, 5);
	m->sha256 = store_column_text(stmt, 6);
	m->state = store_column_text(stmt, 7);
	m->error = store_column_text(stmt, 8);
	m->kind = store_column_text(stmt, 9);
	m->case_id = store_column_text(stmt, 10);
	m->message_id = store_column_text(stmt, 11);
	m->from_addr = store_column_text(stmt, 12);
	m->subject = store_column_text(stmt, 13);
	m->language = store_column_text(stmt, 14);
	m->thread_by = store_column_text(stmt, 15);
	m->received_at = sqlite3_column_int64(stmt, 16);
	m->processed_at = sqlite3_column_int64(stmt, 17);
	m->crypto = store_column_text(stmt, 18);
	return m;
}

char *
store_message_state(struct store *store, gint64 id, GError **error)
{
	char *state = NULL;
	sqlite3_stmt *stmt = store_prepare(
		store, "SELECT state FROM messages WHERE id = ?", error);

	if (stmt == NULL)
		return NULL;
	sqlite3_bind_int64(stmt, 1, id);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		state = store_column_text(stmt, 0);
	sqlite3_reset(stmt);
	if (state == NULL)
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
			    "message %" G_GINT64_FORMAT " not found", id);
	return state;
}

struct store_message *
store_message_get(struct store *store, gint64 id, GError **error)
{
	struct store_message *message;
	sqlite3_stmt *stmt =
		store_prepare(store,
			      "SELECT " MESSAGE_COLUMNS ", raw FROM messages "
			      "WHERE id = ?",
			      error);

	if (stmt == NULL)
		return NULL;
	sqlite3_bind_int64(stmt, 1, id);
	if (sqlite3_step(stmt) != SQLITE_ROW) {
		sqlite3_reset(stmt);
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
			    "message %" G_GINT64_FORMAT " not found", id);
		return NULL;
	}
	message = message_from_row(stmt);
	if (sqlite3_column_type(stmt, 19) == SQLITE_BLOB)
		message->raw = g_bytes_new(sqlite3_column_blob(stmt, 19),
					   sqlite3_column_bytes(stmt, 19));
	sqlite3_reset(stmt);
	return message;
}

GArray *
store_messages_pending_after(struct store *store, gint64 after_id, guint limit,
			     GError **error)
{
	GArray *ids;
	int rc;
	sqlite3_stmt *stmt = store_prepare(
		store,
		"SELECT id FROM messages WHERE state = 'received' AND id > ? "
		"ORDER BY id LIMIT ?",
		error);

	if (stmt == NULL)
		return NULL;
	sqlite3_bind_int64(stmt, 1, after_id);
	sqlite3_bind_int64(stmt, 2, limit);
	ids = g_array_new(FALSE, FALSE, sizeof(gint64));
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		gint64 id = sqlite3_column_int64(stmt, 0);

		g_array_append_val(ids, id);
	}
	if (rc != SQLITE_DONE) {
		store_set_error(store, error, "cannot list received messages");
		g_array_unref(ids);
		ids = NULL;
	}
	sqlite3_reset(stmt);
	return ids;
}

GArray *
store_messages_pending(struct store *store, GError **error)
{
	return store_messages_pending_after(store, 0, G_MAXUINT, error);
}

gboolean
store_message_set_result(struct store *store, gint64 id,
			 const struct store_message_result *result,
			 GError **error)
{
	sqlite3_stmt *stmt = store_prepare(
		store,
		"UPDATE messages SET state = ?, error = ?, kind = ?, "
		"case_id = ?, message_id = ?, content_sha256 = ?, "
		"from_addr = ?, from_name = ?, subject = ?, language = ?, "
		"thread_by = ?, processed_at = ? WHERE id = ?",
		error);

	if (stmt == NULL)
		return FALSE;
	store_bind_text(stmt, 1, result->state);
	store_bind_text(stmt, 2, result->error);
	store_bind_text(stmt, 3, result->kind);
	store_bind_text(stmt, 4, result->case_id);
	store_bind_text(stmt, 5, result->message_id);
	store_bind_text(stmt, 6, result->content_sha256);
	store_bind_text(stmt, 7, result->from_addr);
	store_bind_text(stmt, 8, result->from_name);
	store_bind_text(stmt, 9, result->subject);
	store_bind_text(stmt, 10, result->language);
	store_bind_text(stmt, 11, result->thread_by);
	sqlite3_bind_int64(stmt, 12, store_now());
	sqlite3_bind_int64(stmt, 13, id);
	return store_step_done(store, stmt, "cannot record message result",
			       error);
}

gint64
store_message_find_duplicate(struct store *store, gint64 id,
			     const char *message_id, const char *content_sha256,
			     GError **error)
{
	gint64 found = 0;
	sqlite3_stmt *stmt;

	if (message_id == NULL || content_sha256 == NULL)
		return 0;
	stmt = store_prepare(store,
			     "SELECT id FROM messages WHERE message_id = ? "
			     "AND content_sha256 = ? AND id <> ? AND "
			     "state = 'processed' ORDER BY id LIMIT 1",
			     error);
	if (stmt == NULL)
		return 0;
	store_bind_text(stmt, 1, message_id);
	store_bind_text(stmt, 2, content_sha256);
	sqlite3_bind_int64(stmt, 3, id);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		found = sqlite3_column_int64(stmt, 0);
	sqlite3_reset(stmt);
	return found;
}

char *
store_message_case_by_message_id(struct store *store, const char *message_id,
				 const char *from_addr, GError **error)
{
	char *case_id = NULL;
	sqlite3_stmt *stmt = store_prepare(
		store,
		"SELECT case_id FROM messages WHERE message_id = ? AND "
		"from_addr = ? AND case_id IS NOT NULL ORDER BY id LIMIT 1",
		error);

	if (stmt == NULL)
		return NULL;
	store_bind_text(stmt, 1, message_id);
	store_bind_text(stmt, 2, from_addr);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		case_id = store_column_text(stmt, 0);
	sqlite3_reset(stmt);
	return case_id;
}

int
store_count_reports_from(struct store *store, const char *from_addr,
			 gint64 since, int at_most, GError **error)
{
	/* Answered from the index messages_from alone (migration 6). */
	sqlite3_stmt *stmt = store_prepare(
		store,
		"SELECT count(*) FROM (SELECT 1 FROM messages WHERE "
		"from_addr = ? AND kind = 'report' AND received_at >= ? "
		"LIMIT ?)",
		error);

	if (stmt == NULL)
		return -1;
	store_bind_text(stmt, 1, from_addr);
	sqlite3_bind_int64(stmt, 2, since);
	sqlite3_bind_int(stmt, 3, MAX(at_most, 0));
	return store_step_count(store, stmt,
				"cannot count reports from a sender", error);
}

GPtrArray *
store_case_messages(struct store *store, const char *case_id, GError **error)
{
	GPtrArray *list;
	sqlite3_stmt *stmt = store_prepare(store,
					   "SELECT " MESSAGE_COLUMNS
					   " FROM messages WHERE case_id = ? "
					   "ORDER BY received_at, id",
					   error);

	if (stmt == NULL)
		return NULL;
	store_bind_text(stmt, 1, case_id);
	list = g_ptr_array_new_with_free_func(
		(GDestroyNotify)store_message_free);
	while (sqlite3_step(stmt) == SQLITE_ROW)
		g_ptr_array_add(list, message_from_row(stmt));
	sqlite3_reset(stmt);
	return list;
}

gint64
store_imap_last_uid(struct store *store, const char *mailbox,
		    gint64 uidvalidity, GError **error)
{
	gint64 last = 0;
	sqlite3_stmt *stmt = store_prepare(
		store,
		"SELECT last_uid FROM imap_state WHERE mailbox = ? AND "
		"uidvalidity = ?",
		error);

	if (stmt == NULL)
		return -1;
	store_bind_text(stmt, 1, mailbox);
	sqlite3_bind_int64(stmt, 2, uidvalidity);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		last = sqlite3_column_int64(stmt, 0);
	sqlite3_reset(stmt);
	return last;
}

gboolean
store_imap_set_last_uid(struct store *store, const char *mailbox,
			gint64 uidvalidity, gint64 uid, GError **error)
{
	sqlite3_stmt *stmt = store_prepare(
		store,
		"INSERT INTO imap_state (mailbox, uidvalidity, last_uid) "
		"VALUES (?, ?, ?) ON CONFLICT(mailbox) DO UPDATE SET "
		"uidvalidity = excluded.uidvalidity, "
		"last_uid = excluded.last_uid",
		error);

	if (stmt == NULL)
		return FALSE;
	store_bind_text(stmt, 1, mailbox);
	sqlite3_bind_int64(stmt, 2, uidvalidity);
	sqlite3_bind_int64(stmt, 3, uid);
	return store_step_done(store, stmt, "cannot record last IMAP UID",
			       error);
}
