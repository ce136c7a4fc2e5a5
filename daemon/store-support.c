/* store-support.c — the support half of a case: how it was qualified,
 * the requester's consent, the providers introduced and the providers
 * paused from intakectl. */
#include "store-internal.h"

#include <gio/gio.h>

/* ---- qualification ---------------------------------------------------- */

void
store_qualification_free(struct store_qualification *q)
{
	if (q == NULL)
		return;
	g_free(q->case_id);
	g_free(q->qualification);
	g_free(q->qualified_by);
	g_free(q->reason);
	g_free(q);
}

struct store_qualification *
store_qualification_get(struct store *store, const char *case_id,
			GError **error)
{
	struct store_qualification *q = NULL;
	sqlite3_stmt *stmt = store_prepare(
		store,
		"SELECT case_id, qualification, qualified_by, reason, "
		"priority, qualified_at, coalesce(followup_outbox, 0) "
		"FROM qualifications WHERE case_id = ?",
		error);

	if (stmt == NULL)
		return NULL;
	store_bind_text(stmt, 1, case_id);
	if (sqlite3_step(stmt) == SQLITE_ROW) {
		q = g_new0(struct store_qualification, 1);
		q->case_id = store_column_text(stmt, 0);
		q->qualification = store_column_text(stmt, 1);
		q->qualified_by = store_column_text(stmt, 2);
		q->reason = store_column_text(stmt, 3);
		q->priority = sqlite3_column_int(stmt, 4);
		q->qualified_at = sqlite3_column_int64(stmt, 5);
		q->followup_outbox = sqlite3_column_int64(stmt, 6);
	}
	sqlite3_reset(stmt);
	return q;
}

gboolean
store_qualification_set(struct store *store,
			const struct store_qualification *q, GError **error)
{
	sqlite3_stmt *stmt = store_prepare(
		store,
		"INSERT INTO qualifications (case_id, qualification, "
		"qualified_by, reason, priority, qualified_at) VALUES "
		"(?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (case_id) DO UPDATE SET "
		"qualification = ?2, qualified_by = ?3, reason = ?4, "
		"priority = ?5, qualified_at = ?6",
		error);

	if (stmt == NULL)
		return FALSE;
	store_bind_text(stmt, 1, q->case_id);
	store_bind_text(stmt, 2, q->qualification);
	store_bind_text(stmt, 3, q->qualified_by);
	store_bind_text(stmt, 4, q->reason);
	sqlite3_bind_int(stmt, 5, q->priority);
	sqlite3_bind_int64(
		stmt, 6, q->qualified_at != 0 ? q->qualified_at : store_now());
	return store_step_done(store, stmt, "cannot record qualification",
			       error);
}

gboolean
store_qualification_set_followup(struct store *store, const char *case_id,
				 gint64 outbox, GError **error)
{
	sqlite3_stmt *stmt = store_prepare(
		store,
		"UPDATE qualifications SET followup_outbox = ? WHERE "
		"case_id = ?",
		error);

	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_int64(stmt, 1, outbox);
	store_bind_text(stmt, 2, case_id);
	return store_step_done(store, stmt, "cannot record follow-up", error);
}

/* ---- consent ---------------------------------------------------------- */

void
store_consent_free(struct store_consent *consent)
{
	if (consent == NULL)
		return;
	g_free(consent->case_id);
	g_free(consent->state);
	g_free(consent->fields);
	g_free(consent->shared_values);
	g_free(consent->needs);
	g_free(consent->answered_by);
	g_free(consent->proof);
	g_free(consent->excerpt);
	g_free(consent->withdrawn_by);
	g_free(consent);
}

#define CONSENT_COLUMNS                                                        \
	"k.id, k.case_id, k.state, coalesce(k.request_outbox, 0), k.asks, "    \
	"k.fields, k.needs, k.requested_at, coalesce(k.answered_at, 0), "      \
	"coalesce(k.message, 0), k.answered_by, k.proof, k.excerpt, "          \
	"coalesce(k.withdrawn_at, 0), k.withdrawn_by, k.shared_values"

static struct store_consent *
consent_from_row(sqlite3_stmt *stmt)
{
	struct store_consent *c = g_new0(struct store_consent, 1);

	c->id = sqlite3_column_int64(stmt, 0);
	c->case_id = store_column_text(stmt, 1);
	c->state = store_column_text(stmt, 2);
	c->request_outbox = sqlite3_column_int64(stmt, 3);
	c->asks = sqlite3_column_int(stmt, 4);
	c->fields = store_column_text(stmt, 5);
	c->needs = store_column_text(stmt, 6);
	c->requested_at = sqlite3_column_int64(stmt, 7);
	c->answered_at = sqlite3_column_int64(stmt, 8);
	c->message = sqlite3_column_int64(stmt, 9);
	c->answered_by = store_column_text(stmt, 10);
	c->proof = store_column_text(stmt, 11);
	c->excerpt = store_column_text(stmt, 12);
	c->withdrawn_at = sqlite3_column_int64(stmt, 13);
	c->withdrawn_by = store_column_text(stmt, 14);
	c->shared_values = store_column_text(stmt, 15);
	return c;
}

struct store_consent *
store_consent_get(struct store *store, const char *case_id, GError **error)
{
	struct store_consent *c = NULL;
	sqlite3_stmt *stmt = store_prepare(store,
					   "SELECT " CONSENT_COLUMNS
					   " FROM consents k WHERE case_id = ?",
					   error);

	if (stmt == NULL)
		return NULL;
	store_bind_text(stmt, 1, case_id);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		c = consent_from_row(stmt);
	sqlite3_reset(stmt);
	return c;
}

GPtrArray *
store_consents_waiting(struct store *store, GError **error)
{
	GPtrArray *list;
	sqlite3_stmt *stmt = store_prepare(
		store,
		"SELECT " CONSENT_COLUMNS " FROM consents k JOIN cases c ON "
		"c.id = k.case_id WHERE k.state = 'requested' AND c.state = "
		"'awaiting_consent' ORDER BY k.requested_at, k.id",
		error);

	if (stmt == NULL)
		return NULL;
	list = g_ptr_array_new_with_free_func(
		(GDestroyNotify)store_consent_free);
	while (sqlite3_step(stmt) == SQLITE_ROW)
		g_ptr_array_add(list, consent_from_row(stmt));
	sqlite3_reset(stmt);
	return list;
}

gboolean
store_consent_requested(struct store *store, const char *case_id,
			gint64 request_outbox, const char *fields,
			const char *shared_values, const char *needs, gint64 at,
			GError **error)
{
	/* A fresh request after a refusal or withdrawal (staff qualified the
	 * case again) starts a new answer: the old one no longer counts. */
	sqlite3_stmt *stmt = store_prepare(
		store,
		"INSERT INTO consents (case_id, state, request_outbox, asks, "
		"fields, needs, requested_at, shared_values) VALUES "
		"(?1, 'requested', ?2, 1, ?3, ?4, ?5, ?6) "
		"ON CONFLICT (case_id) DO UPDATE SET request_outbox = ?2, "
		"fields = ?3, needs = ?4, shared_values = ?6, asks = CASE WHEN "
		"state = 'requested' "
		"THEN asks + 1 ELSE 1 END, requested_at = CASE WHEN state = "
		"'requested' THEN requested_at ELSE ?5 END, answered_at = "
		"NULL, "
		"message = NULL, answered_by = NULL, proof = NULL, "
		"excerpt = CASE WHEN state = 'requested' THEN excerpt END, "
		"withdrawn_at = NULL, withdrawn_by = NULL, state = 'requested'",
		error);

	if (stmt == NULL)
		return FALSE;
	store_bind_text(stmt, 1, case_id);
	sqlite3_bind_int64(stmt, 2, request_outbox);
	store_bind_text(stmt, 3, fields);
	store_bind_text(stmt, 4, needs);
	sqlite3_bind_int64(stmt, 5, at != 0 ? at : store_now());
	store_bind_text(stmt, 6, shared_values);
	return store_step_done(store, stmt, "cannot record consent request",
			       error);
}

static gboolean
expect_consent(struct store *store, const char *case_id, const char *what,
	       GError **error)
{
	if (sqlite3_changes(store->db) == 0) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
			    "case %s: %s: no consent record in the expected "
			    "state",
			    case_id, what);
		return FALSE;
	}
	return TRUE;
}

gboolean
store_consent_answer(struct store *store, const char *case_id,
		     const char *state, gint64 message, const char *answered_by,
		     const char *proof, const char *excerpt, gint64 at,
		     GError **error)
{
	sqlite3_stmt *stmt = store_prepare(
		store,
		"UPDATE consents SET state = ?, message = ?, answered_by = ?, "
		"proof = ?, excerpt = ?, answered_at = ? WHERE case_id = ? AND "
		"state = 'requested'",
		error);

	if (stmt == NULL)
		return FALSE;
	store_bind_text(stmt, 1, state);
	if (message != 0)
		sqlite3_bind_int64(stmt, 2, message);
	store_bind_text(stmt, 3, answered_by);
	store_bind_text(stmt, 4, proof);
	store_bind_text(stmt, 5, excerpt);
	sqlite3_bind_int64(stmt, 6, at != 0 ? at : store_now());
	store_bind_text(stmt, 7, case_id);
	return store_step_done(store, stmt, "cannot record consent", error) &&
	       expect_consent(store, case_id, "consent answer", error);
}

gboolean
store_consent_withdraw(struct store *store, const char *case_id,
		       const char *withdrawn_by, gint64 at, GError **error)
{
	sqlite3_stmt *stmt = store_prepare(
		store,
		"UPDATE consents SET state = 'withdrawn', withdrawn_by = ?, "
		"withdrawn_at = ? WHERE case_id = ? AND state = 'given'",
		error);

	if (stmt == NULL)
		return FALSE;
	store_bind_text(stmt, 1, withdrawn_by);
	sqlite3_bind_int64(stmt, 2, at != 0 ? at : store_now());
	store_bind_text(stmt, 3, case_id);
	return store_step_done(store, stmt, "cannot withdraw consent", error) &&
	       expect_consent(store, case_id, "withdrawal", error);
}

/* ---- introductions ---------------------------------------------------- */

#define INTRODUCTION_COLUMNS                                                   \
	"id, case_id, provider, address, needs, state, "                       \
	"coalesce(outbox, 0), introduced_at, deadline_at, "                    \
	"coalesce(answered_at, 0), coalesce(message, 0), excerpt"

void
store_introduction_free(struct store_introduction *intro)
{
	if (intro == NULL)
		return;
	g_free(intro->case_id);
	g_free(intro->provider);
	g_free(intro->address);
	g_free(intro->needs);
	g_free(intro->state);
	g_free(intro->excerpt);
	g_free(intro);
}

static struct store_introduction *
introduction_from_row(sqlite3_stmt *stmt)
{
	struct store_introduction *i = g_new0(struct store_introduction, 1);

	i->id = sqlite3_column_int64(stmt, 0);
	i->case_id = store_column_text(stmt, 1);
	i->provider = store_column_text(stmt, 2);
	i->address = store_column_text(stmt, 3);
	i->needs = store_column_text(stmt, 4);
	i->state = store_column_text(stmt, 5);
	i->outbox = sqlite3_column_int64(stmt, 6);
	i->introduced_at = sqlite3_column_int64(stmt, 7);
	i->deadline_at = sqlite3_column_int64(stmt, 8);
	i->answered_at = sqlite3_column_int64(stmt, 9);
	i->message = sqlite3_column_int64(stmt, 10);
	i->excerpt = store_column_text(stmt, 11);
	return i;
}

static GPtrArray *
introductions_from(sqlite3_stmt *stmt)
{
	GPtrArray *list = g_ptr_array_new_with_free_func(
		(GDestroyNotify)store_introduction_free);

	while (sqlite3_step(stmt) == SQLITE_ROW)
		g_ptr_array_add(list, introduction_from_row(stmt));
	sqlite3_reset(stmt);
	return list;
}

gint64
store_introduction_add(struct store *store,
		       const struct store_introduction *intro, GError **error)
{
	sqlite3_stmt *stmt = store_prepare(
		store,
		"INSERT INTO introductions (case_id, provider, address, needs, "
		"state, outbox, introduced_at, deadline_at) VALUES "
		"(?, ?, ?, ?, 'introduced', ?, ?, ?)",
		error);

	if (stmt == NULL)
		return 0;
	store_bind_text(stmt, 1, intro->case_id);
	store_bind_text(stmt, 2, intro->provider);
	store_bind_text(stmt, 3, intro->address);
	store_bind_text(stmt, 4, intro->needs);
	if (intro->outbox != 0)
		sqlite3_bind_int64(stmt, 5, intro->outbox);
	sqlite3_bind_int64(stmt, 6,
			   intro->introduced_at != 0 ? intro->introduced_at
						     : store_now());
	sqlite3_bind_int64(stmt, 7, intro->deadline_at);
	if (!store_step_done(store, stmt, "cannot record introduction", error))
		return 0;
	return sqlite3_last_insert_rowid(store->db);
}

gboolean
store_introduction_set_state(struct store *store, gint64 id, const char *state,
			     gint64 message, const char *excerpt, gint64 at,
			     GError **error)
{
	sqlite3_stmt *stmt = store_prepare(
		store,
		"UPDATE introductions SET state = ?, message = ?, excerpt = "
		"coalesce(?, excerpt), answered_at = ? WHERE id = ?",
		error);

	if (stmt == NULL)
		return FALSE;
	store_bind_text(stmt, 1, state);
	if (message != 0)
		sqlite3_bind_int64(stmt, 2, message);
	store_bind_text(stmt, 3, excerpt);
	sqlite3_bind_int64(stmt, 4, at != 0 ? at : store_now());
	sqlite3_bind_int64(stmt, 5, id);
	return store_step_done(store, stmt, "cannot update introduction",
			       error);
}

GPtrArray *
store_case_introductions(struct store *store, const char *case_id,
			 GError **error)
{
	sqlite3_stmt *stmt = store_prepare(
		store,
		"SELECT " INTRODUCTION_COLUMNS " FROM introductions WHERE "
		"case_id = ? ORDER BY introduced_at, id",
		error);

	if (stmt == NULL)
		return NULL;
	store_bind_text(stmt, 1, case_id);
	return introductions_from(stmt);
}

struct store_introduction *
store_introduction_find(struct store *store, const char *case_id,
			const char *provider, GError **error)
{
	struct store_introduction *intro = NULL;
	sqlite3_stmt *stmt = store_prepare(store,
					   "SELECT " INTRODUCTION_COLUMNS
					   " FROM introductions WHERE "
					   "case_id = ? AND provider = ?",
					   error);

	if (stmt == NULL)
		return NULL;
	store_bind_text(stmt, 1, case_id);
	store_bind_text(stmt, 2, provider);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		intro = introduction_from_row(stmt);
	sqlite3_reset(stmt);
	return intro;
}

struct store_introduction *
store_introduction_by_outbox(struct store *store, gint64 outbox, GError **error)
{
	struct store_introduction *intro = NULL;
	sqlite3_stmt *stmt = store_prepare(store,
					   "SELECT " INTRODUCTION_COLUMNS
					   " FROM introductions WHERE "
					   "outbox = ?",
					   error);

	if (stmt == NULL)
		return NULL;
	sqlite3_bind_int64(stmt, 1, outbox);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		intro = introduction_from_row(stmt);
	sqlite3_reset(stmt);
	return intro;
}

GPtrArray *
store_introductions_expired(struct store *store, gint64 now,
			    gint64 *next_deadline, GError **error)
{
	sqlite3_stmt *stmt;

	if (next_deadline != NULL) {
		*next_deadline = 0;
		stmt = store_prepare(
			store,
			"SELECT coalesce(min(deadline_at), 0) FROM "
			"introductions WHERE state = 'introduced' "
			"AND deadline_at > ?",
			error);
		if (stmt == NULL)
			return NULL;
		sqlite3_bind_int64(stmt, 1, now);
		if (sqlite3_step(stmt) == SQLITE_ROW)
			*next_deadline = sqlite3_column_int64(stmt, 0);
		sqlite3_reset(stmt);
	}
	stmt = store_prepare(store,
			     "SELECT " INTRODUCTION_COLUMNS
			     " FROM introductions WHERE state = 'introduced' "
			     "AND deadline_at <= ? ORDER BY deadline_at, id",
			     error);
	if (stmt == NULL)
		return NULL;
	sqlite3_bind_int64(stmt, 1, now);
	return introductions_from(stmt);
}

GPtrArray *
store_followups_pending(struct store *store, GError **error)
{
	/* The bare column next to min() takes the row of the minimum
	 * (SQLite's documented behaviour for a single min()). */
	sqlite3_stmt *stmt = store_prepare(
		store,
		"SELECT i.id, i.case_id, i.provider, i.address, i.needs, "
		"i.state, coalesce(i.outbox, 0), i.introduced_at, "
		"i.deadline_at, min(i.answered_at), coalesce(i.message, 0), "
		"i.excerpt FROM introductions i JOIN cases c ON c.id = "
		"i.case_id JOIN qualifications q ON q.case_id = i.case_id "
		"WHERE i.state = 'accepted' AND c.state = 'in_progress' AND "
		"q.followup_outbox IS NULL GROUP BY i.case_id "
		"ORDER BY 10, i.case_id",
		error);

	if (stmt == NULL)
		return NULL;
	return introductions_from(stmt);
}

GPtrArray *
store_cases_unqualified(struct store *store, GError **error)
{
	GPtrArray *ids;
	sqlite3_stmt *stmt = store_prepare(
		store,
		"SELECT c.id FROM cases c LEFT JOIN qualifications q ON "
		"q.case_id = c.id WHERE c.state = 'complete' AND q.case_id IS "
		"NULL ORDER BY c.created_at, c.id",
		error);

	if (stmt == NULL)
		return NULL;
	ids = g_ptr_array_new_with_free_func(g_free);
	while (sqlite3_step(stmt) == SQLITE_ROW)
		g_ptr_array_add(ids, store_column_text(stmt, 0));
	sqlite3_reset(stmt);
	return ids;
}

/* ---- providers -------------------------------------------------------- */

void
store_provider_state_free(struct store_provider_state *state)
{
	if (state == NULL)
		return;
	g_free(state->paused_by);
	g_free(state->pause_reason);
	g_free(state);
}

static struct store_provider_state *
state_for(GHashTable *states, const char *provider)
{
	struct store_provider_state *s = g_hash_table_lookup(states, provider);

	if (s == NULL) {
		s = g_new0(struct store_provider_state, 1);
		g_hash_table_insert(states, g_strdup(provider), s);
	}
	return s;
}

GHashTable *
store_provider_states(struct store *store, GError **error)
{
	GHashTable *states = g_hash_table_new_full(
		g_str_hash, g_str_equal, g_free,
		(GDestroyNotify)store_provider_state_free);
	/* Open: an introduction not answered yet or accepted, on a case
	 * whose consent still stands. */
	sqlite3_stmt *stmt = store_prepare(
		store,
		"SELECT i.provider, sum(i.state IN ('introduced', 'accepted') "
		"AND coalesce(k.state, '') = 'given' AND c.state NOT IN "
		"('resolved', 'closed')), max(i.introduced_at) FROM "
		"introductions i JOIN cases c ON c.id = i.case_id LEFT JOIN "
		"consents k ON k.case_id = i.case_id GROUP BY i.provider",
		error);

	if (stmt == NULL)
		goto fail;
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(stmt, 0);
		struct store_provider_state *s = state_for(states, id);

		s->open_cases = sqlite3_column_int(stmt, 1);
		s->last_introduced = sqlite3_column_int64(stmt, 2);
	}
	sqlite3_reset(stmt);
	stmt = store_prepare(store,
			     "SELECT provider, sum(hours) FROM provider_hours "
			     "GROUP BY provider",
			     error);
	if (stmt == NULL)
		goto fail;
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(stmt, 0);

		state_for(states, id)->hours_used =
			(int)MIN(sqlite3_column_int64(stmt, 1), G_MAXINT);
	}
	sqlite3_reset(stmt);
	stmt = store_prepare(store,
			     "SELECT provider, paused_at, paused_by, reason "
			     "FROM provider_pauses",
			     error);
	if (stmt == NULL)
		goto fail;
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(stmt, 0);
		struct store_provider_state *s = state_for(states, id);

		s->paused = TRUE;
		s->paused_at = sqlite3_column_int64(stmt, 1);
		s->paused_by = store_column_text(stmt, 2);
		s->pause_reason = store_column_text(stmt, 3);
	}
	sqlite3_reset(stmt);
	return states;
fail:
	g_hash_table_unref(states);
	return NULL;
}

gboolean
store_provider_pause(struct store *store, const char *provider, gboolean pause,
		     const char *by, const char *reason, gint64 at,
		     GError **error)
{
	sqlite3_stmt *stmt = store_prepare(
		store,
		pause ? "INSERT INTO provider_pauses (provider, paused_at, "
			"paused_by, reason) VALUES (?1, ?2, ?3, ?4) ON "
			"CONFLICT (provider) DO UPDATE SET paused_at = ?2, "
			"paused_by = ?3, reason = ?4"
		      : "DELETE FROM provider_pauses WHERE provider = ?1",
		error);

	if (stmt == NULL)
		return FALSE;
	store_bind_text(stmt, 1, provider);
	if (pause) {
		sqlite3_bind_int64(stmt, 2, at != 0 ? at : store_now());
		store_bind_text(stmt, 3, by);
		store_bind_text(stmt, 4, reason);
	}
	return store_step_done(store, stmt,
			       pause ? "cannot pause provider"
				     : "cannot resume provider",
			       error);
}

gboolean
store_provider_add_hours(struct store *store, const char *provider,
			 const char *case_id, int hours, const char *by,
			 gint64 at, GError **error)
{
	sqlite3_stmt *stmt = store_prepare(
		store,
		"INSERT INTO provider_hours (provider, case_id, hours, at, "
		"recorded_by) VALUES (?, ?, ?, ?, ?)",
		error);

	if (stmt == NULL)
		return FALSE;
	store_bind_text(stmt, 1, provider);
	store_bind_text(stmt, 2, case_id);
	sqlite3_bind_int(stmt, 3, hours);
	sqlite3_bind_int64(stmt, 4, at != 0 ? at : store_now());
	store_bind_text(stmt, 5, by);
	return store_step_done(store, stmt, "cannot record provider hours",
			       error);
}
