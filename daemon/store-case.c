/* store-case.c — cases, their fields and their timeline. */
#include "store-internal.h"

#include <gio/gio.h>

#define CASE_COLUMNS                                                           \
	"id, state, language, requester_addr, requester_name, subject, "       \
	"created_at, updated_at"

char *
store_case_create(struct store *store, const struct store_case_new *new_case,
		  GError **error)
{
	g_autoptr(GDateTime) created =
		g_date_time_new_from_unix_utc(new_case->created_at);
	int year = g_date_time_get_year(created);
	gint64 seq = 1;
	g_autofree char *id = NULL;
	sqlite3_stmt *stmt;

	/* Callers hold a BEGIN IMMEDIATE transaction, so no other writer can
	 * take the same number between this read and the insert. */
	stmt = store_prepare(store,
			     "SELECT coalesce(max(seq), 0) + 1 FROM cases "
			     "WHERE year = ?",
			     error);
	if (stmt == NULL)
		return NULL;
	sqlite3_bind_int(stmt, 1, year);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		seq = sqlite3_column_int64(stmt, 0);
	sqlite3_reset(stmt);

	id = g_strdup_printf("%04d-%04" G_GINT64_FORMAT, year, seq);
	stmt = store_prepare(store,
			     "INSERT INTO cases (id, year, seq, state, "
			     "language, requester_addr, requester_name, "
			     "subject, created_at, updated_at) "
			     "VALUES (?, ?, ?, 'open', ?, ?, ?, ?, ?, ?)",
			     error);
	if (stmt == NULL)
		return NULL;
	store_bind_text(stmt, 1, id);
	sqlite3_bind_int(stmt, 2, year);
	sqlite3_bind_int64(stmt, 3, seq);
	store_bind_text(stmt, 4, new_case->language);
	store_bind_text(stmt, 5, new_case->requester_addr);
	store_bind_text(stmt, 6, new_case->requester_name);
	store_bind_text(stmt, 7, new_case->subject);
	sqlite3_bind_int64(stmt, 8, new_case->created_at);
	sqlite3_bind_int64(stmt, 9, new_case->created_at);
	if (!store_step_done(store, stmt, "cannot create case", error))
		return NULL;
	return g_steal_pointer(&id);
}

void
store_case_free(struct store_case *c)
{
	if (c == NULL)
		return;
	g_free(c->id);
	g_free(c->state);
	g_free(c->language);
	g_free(c->requester_addr);
	g_free(c->requester_name);
	g_free(c->subject);
	g_free(c);
}

static struct store_case *
case_from_row(sqlite3_stmt *stmt)
{
	struct store_case *c = g_new0(struct store_case, 1);

	c->id = store_column_text(stmt, 0);
	c->state = store_column_text(stmt, 1);
	c->language = store_column_text(stmt, 2);
	c->requester_addr = store_column_text(stmt, 3);
	c->requester_name = store_column_text(stmt, 4);
	c->subject = store_column_text(stmt, 5);
	c->created_at = sqlite3_column_int64(stmt, 6);
	c->updated_at = sqlite3_column_int64(stmt, 7);
	return c;
}

struct store_case *
store_case_get(struct store *store, const char *id, GError **error)
{
	struct store_case *c;
	sqlite3_stmt *stmt = store_prepare(
		store, "SELECT " CASE_COLUMNS " FROM cases WHERE id = ?",
		error);

	if (stmt == NULL)
		return NULL;
	store_bind_text(stmt, 1, id);
	if (sqlite3_step(stmt) != SQLITE_ROW) {
		sqlite3_reset(stmt);
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
			    "case %s not found", id);
		return NULL;
	}
	c = case_from_row(stmt);
	sqlite3_reset(stmt);
	return c;
}

GPtrArray *
store_case_list(struct store *store, const char *state, GError **error)
{
	GPtrArray *list;
	sqlite3_stmt *stmt = store_prepare(
		store,
		"SELECT " CASE_COLUMNS " FROM cases WHERE ?1 IS NULL OR "
		"state = ?1 ORDER BY created_at DESC, year DESC, seq DESC",
		error);

	if (stmt == NULL)
		return NULL;
	store_bind_text(stmt, 1, state);
	list = g_ptr_array_new_with_free_func((GDestroyNotify)store_case_free);
	while (sqlite3_step(stmt) == SQLITE_ROW)
		g_ptr_array_add(list, case_from_row(stmt));
	sqlite3_reset(stmt);
	return list;
}

static gboolean
expect_one_change(struct store *store, const char *case_id, GError **error)
{
	if (sqlite3_changes(store->db) == 0) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
			    "case %s not found", case_id);
		return FALSE;
	}
	return TRUE;
}

gboolean
store_case_set_state(struct store *store, const char *id, const char *state,
		     GError **error)
{
	sqlite3_stmt *stmt = store_prepare(
		store,
		"UPDATE cases SET state = ?, updated_at = ? WHERE id = ?",
		error);

	if (stmt == NULL)
		return FALSE;
	store_bind_text(stmt, 1, state);
	sqlite3_bind_int64(stmt, 2, store_now());
	store_bind_text(stmt, 3, id);
	return store_step_done(store, stmt, "cannot set case state", error) &&
	       expect_one_change(store, id, error);
}

gboolean
store_case_touch(struct store *store, const char *id, gint64 at, GError **error)
{
	sqlite3_stmt *stmt = store_prepare(
		store,
		"UPDATE cases SET updated_at = max(updated_at, ?) WHERE id = ?",
		error);

	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_int64(stmt, 1, at);
	store_bind_text(stmt, 2, id);
	return store_step_done(store, stmt, "cannot update case", error) &&
	       expect_one_change(store, id, error);
}

void
store_field_free(struct store_field *field)
{
	if (field == NULL)
		return;
	g_free(field->field);
	g_free(field->value);
	g_free(field->source);
	g_free(field->excerpt);
	g_free(field);
}

GPtrArray *
store_case_fields(struct store *store, const char *case_id, GError **error)
{
	GPtrArray *list;
	sqlite3_stmt *stmt = store_prepare(
		store,
		"SELECT field, value, source, confidence, message, excerpt, "
		"updated_at FROM case_fields WHERE case_id = ? ORDER BY field",
		error);

	if (stmt == NULL)
		return NULL;
	store_bind_text(stmt, 1, case_id);
	list = g_ptr_array_new_with_free_func((GDestroyNotify)store_field_free);
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		struct store_field *f = g_new0(struct store_field, 1);

		f->field = store_column_text(stmt, 0);
		f->value = store_column_text(stmt, 1);
		f->source = store_column_text(stmt, 2);
		f->confidence = sqlite3_column_double(stmt, 3);
		f->message = sqlite3_column_int64(stmt, 4);
		f->excerpt = store_column_text(stmt, 5);
		f->updated_at = sqlite3_column_int64(stmt, 6);
		g_ptr_array_add(list, f);
	}
	sqlite3_reset(stmt);
	return list;
}

gboolean
store_case_set_field(struct store *store, const char *case_id,
		     const struct store_field *field, GError **error)
{
	sqlite3_stmt *stmt = store_prepare(
		store,
		"INSERT INTO case_fields (case_id, field, value, source, "
		"confidence, message, excerpt, updated_at) "
		"VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
		"ON CONFLICT(case_id, field) DO UPDATE SET "
		"value = excluded.value, source = excluded.source, "
		"confidence = excluded.confidence, message = excluded.message, "
		"excerpt = excluded.excerpt, updated_at = excluded.updated_at "
		/* A value staff set is never replaced by the parser. */
		"WHERE case_fields.source <> 'staff' OR "
		"excluded.source = 'staff'",
		error);

	if (stmt == NULL)
		return FALSE;
	store_bind_text(stmt, 1, case_id);
	store_bind_text(stmt, 2, field->field);
	store_bind_text(stmt, 3, field->value);
	store_bind_text(stmt, 4, field->source);
	sqlite3_bind_double(stmt, 5, field->confidence);
	if (field->message != 0)
		sqlite3_bind_int64(stmt, 6, field->message);
	store_bind_text(stmt, 7, field->excerpt);
	sqlite3_bind_int64(stmt, 8,
			   field->updated_at != 0 ? field->updated_at
						  : store_now());
	return store_step_done(store, stmt, "cannot set case field", error);
}

void
store_event_free(struct store_event *event)
{
	if (event == NULL)
		return;
	g_free(event->case_id);
	g_free(event->type);
	g_free(event->detail);
	g_free(event);
}

gboolean
store_event_add(struct store *store, const char *case_id, const char *type,
		gint64 message, gint64 outbox, const char *detail,
		GError **error)
{
	sqlite3_stmt *stmt = store_prepare(
		store,
		"INSERT INTO events (case_id, at, type, message, outbox, "
		"detail) VALUES (?, ?, ?, ?, ?, ?)",
		error);

	if (stmt == NULL)
		return FALSE;
	store_bind_text(stmt, 1, case_id);
	sqlite3_bind_int64(stmt, 2, store_now());
	store_bind_text(stmt, 3, type);
	if (message != 0)
		sqlite3_bind_int64(stmt, 4, message);
	if (outbox != 0)
		sqlite3_bind_int64(stmt, 5, outbox);
	store_bind_text(stmt, 6, detail);
	return store_step_done(store, stmt, "cannot add event", error);
}

GPtrArray *
store_case_events(struct store *store, const char *case_id, GError **error)
{
	GPtrArray *list;
	sqlite3_stmt *stmt = store_prepare(
		store,
		"SELECT id, case_id, at, type, message, outbox, detail "
		"FROM events WHERE case_id = ? ORDER BY at, id",
		error);

	if (stmt == NULL)
		return NULL;
	store_bind_text(stmt, 1, case_id);
	list = g_ptr_array_new_with_free_func((GDestroyNotify)store_event_free);
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		struct store_event *e = g_new0(struct store_event, 1);

		e->id = sqlite3_column_int64(stmt, 0);
		e->case_id = store_column_text(stmt, 1);
		e->at = sqlite3_column_int64(stmt, 2);
		e->type = store_column_text(stmt, 3);
		e->message = sqlite3_column_int64(stmt, 4);
		e->outbox = sqlite3_column_int64(stmt, 5);
		e->detail = store_column_text(stmt, 6);
		g_ptr_array_add(list, e);
	}
	sqlite3_reset(stmt);
	return list;
}
