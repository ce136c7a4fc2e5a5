/* store-questions.c — the rounds of a case's conversation and the
 * questions each outgoing mail asked, so a reply can be read against the
 * questions it answers. */
#include "store-internal.h"

#include <gio/gio.h>

void
store_question_free(struct store_question *question)
{
	if (question == NULL)
		return;
	g_free(question->field);
	g_free(question->question);
	g_free(question);
}

void
store_round_free(struct store_round *round)
{
	if (round == NULL)
		return;
	g_free(round->case_id);
	g_free(round->kind);
	if (round->questions != NULL)
		g_ptr_array_unref(round->questions);
	g_free(round);
}

gboolean
store_round_add(struct store *store, const char *case_id, int round,
		gint64 outbox, const char *kind, gint64 asked_at,
		const GPtrArray *questions, GError **error)
{
	sqlite3_stmt *stmt = store_prepare(
		store,
		"INSERT INTO question_rounds (case_id, round, outbox, kind, "
		"asked_at) VALUES (?, ?, ?, ?, ?)",
		error);

	if (stmt == NULL)
		return FALSE;
	store_bind_text(stmt, 1, case_id);
	sqlite3_bind_int(stmt, 2, round);
	sqlite3_bind_int64(stmt, 3, outbox);
	store_bind_text(stmt, 4, kind);
	sqlite3_bind_int64(stmt, 5, asked_at != 0 ? asked_at : store_now());
	if (!store_step_done(store, stmt, "cannot record question round",
			     error))
		return FALSE;
	for (guint i = 0; i < questions->len; i++) {
		const struct store_question *q = questions->pdata[i];

		stmt = store_prepare(store,
				     "INSERT INTO questions_asked (outbox, "
				     "number, field, question, required) "
				     "VALUES (?, ?, ?, ?, ?)",
				     error);
		if (stmt == NULL)
			return FALSE;
		sqlite3_bind_int64(stmt, 1, outbox);
		sqlite3_bind_int(stmt, 2, q->number);
		store_bind_text(stmt, 3, q->field);
		store_bind_text(stmt, 4, q->question);
		sqlite3_bind_int(stmt, 5, q->required ? 1 : 0);
		if (!store_step_done(store, stmt, "cannot record question",
				     error))
			return FALSE;
	}
	return TRUE;
}

int
store_round_count(struct store *store, const char *case_id, GError **error)
{
	sqlite3_stmt *stmt = store_prepare(
		store,
		"SELECT coalesce(max(round), 0) FROM question_rounds "
		"WHERE case_id = ?",
		error);

	if (stmt == NULL)
		return -1;
	store_bind_text(stmt, 1, case_id);
	return store_step_count(store, stmt,
				"cannot count a case's question rounds", error);
}

static struct store_round *
round_from_row(sqlite3_stmt *stmt)
{
	struct store_round *r = g_new0(struct store_round, 1);

	r->case_id = store_column_text(stmt, 0);
	r->round = sqlite3_column_int(stmt, 1);
	r->outbox = sqlite3_column_int64(stmt, 2);
	r->kind = store_column_text(stmt, 3);
	r->asked_at = sqlite3_column_int64(stmt, 4);
	return r;
}

/* Reads the questions of r. */
static gboolean
load_questions(struct store *store, struct store_round *r, GError **error)
{
	sqlite3_stmt *stmt = store_prepare(
		store,
		"SELECT number, field, question, required FROM "
		"questions_asked WHERE outbox = ? ORDER BY number",
		error);

	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_int64(stmt, 1, r->outbox);
	r->questions = g_ptr_array_new_with_free_func(
		(GDestroyNotify)store_question_free);
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		struct store_question *q = g_new0(struct store_question, 1);

		q->number = sqlite3_column_int(stmt, 0);
		q->field = store_column_text(stmt, 1);
		q->question = store_column_text(stmt, 2);
		q->required = sqlite3_column_int(stmt, 3) != 0;
		g_ptr_array_add(r->questions, q);
	}
	sqlite3_reset(stmt);
	return TRUE;
}

#define ROUND_COLUMNS "case_id, round, outbox, kind, asked_at"

struct store_round *
store_round_get(struct store *store, const char *case_id, gint64 outbox,
		GError **error)
{
	struct store_round *r = NULL;
	sqlite3_stmt *stmt =
		store_prepare(store,
			      "SELECT " ROUND_COLUMNS " FROM question_rounds "
			      "WHERE case_id = ?1 AND (?2 = 0 OR outbox = ?2) "
			      "ORDER BY round DESC LIMIT 1",
			      error);

	if (stmt == NULL)
		return NULL;
	store_bind_text(stmt, 1, case_id);
	sqlite3_bind_int64(stmt, 2, outbox);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		r = round_from_row(stmt);
	sqlite3_reset(stmt);
	if (r != NULL && !load_questions(store, r, error))
		g_clear_pointer(&r, store_round_free);
	return r;
}

GPtrArray *
store_case_rounds(struct store *store, const char *case_id, GError **error)
{
	g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func(
		(GDestroyNotify)store_round_free);
	sqlite3_stmt *stmt =
		store_prepare(store,
			      "SELECT " ROUND_COLUMNS " FROM question_rounds "
			      "WHERE case_id = ? ORDER BY round",
			      error);

	if (stmt == NULL)
		return NULL;
	store_bind_text(stmt, 1, case_id);
	while (sqlite3_step(stmt) == SQLITE_ROW)
		g_ptr_array_add(list, round_from_row(stmt));
	sqlite3_reset(stmt);
	for (guint i = 0; i < list->len; i++)
		if (!load_questions(store, list->pdata[i], error))
			return NULL;
	return g_steal_pointer(&list);
}

GPtrArray *
store_rounds_unanswered(struct store *store, GError **error)
{
	GPtrArray *list;
	sqlite3_stmt *stmt = store_prepare(
		store,
		"SELECT r.case_id, r.round, r.outbox, r.kind, r.asked_at "
		"FROM question_rounds r JOIN cases c ON c.id = r.case_id "
		"WHERE c.state = 'waiting' AND r.round = "
		"  (SELECT max(round) FROM question_rounds "
		"   WHERE case_id = r.case_id) "
		"AND NOT EXISTS (SELECT 1 FROM messages m "
		"  WHERE m.case_id = r.case_id AND m.kind = 'reply' "
		"  AND m.received_at > r.asked_at) "
		"ORDER BY r.asked_at, r.case_id",
		error);

	if (stmt == NULL)
		return NULL;
	list = g_ptr_array_new_with_free_func((GDestroyNotify)store_round_free);
	while (sqlite3_step(stmt) == SQLITE_ROW)
		g_ptr_array_add(list, round_from_row(stmt));
	sqlite3_reset(stmt);
	return list;
}

int
store_case_has_event(struct store *store, const char *case_id, const char *type,
		     GError **error)
{
	int found;
	sqlite3_stmt *stmt = store_prepare(
		store,
		"SELECT EXISTS (SELECT 1 FROM events WHERE case_id = ? AND "
		"type = ?)",
		error);

	if (stmt == NULL)
		return -1;
	store_bind_text(stmt, 1, case_id);
	store_bind_text(stmt, 2, type);
	if (sqlite3_step(stmt) != SQLITE_ROW) {
		store_set_error(store, error, "cannot read events");
		sqlite3_reset(stmt);
		return -1;
	}
	found = sqlite3_column_int(stmt, 0);
	sqlite3_reset(stmt);
	return found;
}
