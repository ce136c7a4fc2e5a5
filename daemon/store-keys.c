/* store-keys.c — requesters' OpenPGP keys pinned to addresses, and the
 * crypto summaries of incoming messages. */
#include "store-internal.h"

#include <string.h>
#include <gio/gio.h>

void
store_key_free(struct store_key *key)
{
	if (key == NULL)
		return;
	g_free(key->address);
	g_free(key->fingerprint);
	g_free(key->state);
	g_free(key->source);
	g_free(key);
}

char *
store_key_pinned(struct store *store, const char *address, GError **error)
{
	sqlite3_stmt *stmt = store_prepare(
		store,
		"SELECT fingerprint FROM keys WHERE address = lower(?) AND "
		"state = 'pinned' ORDER BY last_seen DESC LIMIT 1",
		error);
	char *fingerprint = NULL;
	int rc;

	if (stmt == NULL)
		return NULL;
	store_bind_text(stmt, 1, address);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		fingerprint = store_column_text(stmt, 0);
	else if (rc != SQLITE_DONE)
		store_set_error(store, error, "cannot read pinned key");
	sqlite3_reset(stmt);
	return fingerprint;
}

gboolean
store_key_record(struct store *store, const char *address,
		 const char *fingerprint, const char *state, const char *source,
		 gint64 at, GError **error)
{
	gboolean pin = strcmp(state, "pinned") == 0;
	sqlite3_stmt *stmt;

	if (!pin && strcmp(state, "conflict") != 0) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
			    "%s: key state \"%s\" is not pinned or conflict",
			    store->path, state);
		return FALSE;
	}
	if (pin) {
		/* One pinned key per address: the previous one is kept,
		 * superseded, for the record. */
		stmt = store_prepare(store,
				     "UPDATE keys SET state = 'superseded' "
				     "WHERE address = lower(?) AND "
				     "state = 'pinned' AND fingerprint != ?",
				     error);
		if (stmt == NULL)
			return FALSE;
		store_bind_text(stmt, 1, address);
		store_bind_text(stmt, 2, fingerprint);
		if (!store_step_done(store, stmt, "cannot supersede key",
				     error))
			return FALSE;
	}
	stmt = store_prepare(
		store,
		pin ? "INSERT INTO keys (address, fingerprint, first_seen, "
		      "last_seen, state, source) "
		      "VALUES (lower(?), ?, ?, ?, 'pinned', ?) "
		      "ON CONFLICT (address, fingerprint) DO UPDATE SET "
		      "last_seen = excluded.last_seen, state = 'pinned'"
		    : "INSERT INTO keys (address, fingerprint, first_seen, "
		      "last_seen, state, source) "
		      "VALUES (lower(?), ?, ?, ?, 'conflict', ?) "
		      "ON CONFLICT (address, fingerprint) DO UPDATE SET "
		      "last_seen = excluded.last_seen",
		error);
	if (stmt == NULL)
		return FALSE;
	store_bind_text(stmt, 1, address);
	store_bind_text(stmt, 2, fingerprint);
	sqlite3_bind_int64(stmt, 3, at);
	sqlite3_bind_int64(stmt, 4, at);
	store_bind_text(stmt, 5, source);
	return store_step_done(store, stmt, "cannot record key", error);
}

GPtrArray *
store_key_list(struct store *store, const char *address, GError **error)
{
	sqlite3_stmt *stmt = store_prepare(
		store,
		"SELECT address, fingerprint, first_seen, last_seen, state, "
		"source FROM keys WHERE ?1 IS NULL OR address = lower(?1) "
		"ORDER BY address, state = 'pinned' DESC, last_seen DESC",
		error);
	GPtrArray *keys;
	int rc;

	if (stmt == NULL)
		return NULL;
	store_bind_text(stmt, 1, address);
	keys = g_ptr_array_new_with_free_func((GDestroyNotify)store_key_free);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct store_key *key = g_new0(struct store_key, 1);

		key->address = store_column_text(stmt, 0);
		key->fingerprint = store_column_text(stmt, 1);
		key->first_seen = sqlite3_column_int64(stmt, 2);
		key->last_seen = sqlite3_column_int64(stmt, 3);
		key->state = store_column_text(stmt, 4);
		key->source = store_column_text(stmt, 5);
		g_ptr_array_add(keys, key);
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE) {
		store_set_error(store, error, "cannot list keys");
		g_ptr_array_unref(keys);
		return NULL;
	}
	return keys;
}

gboolean
store_message_set_crypto(struct store *store, gint64 id,
			 const char *crypto_json, GError **error)
{
	sqlite3_stmt *stmt = store_prepare(
		store, "UPDATE messages SET crypto = ? WHERE id = ?", error);

	if (stmt == NULL)
		return FALSE;
	store_bind_text(stmt, 1, crypto_json);
	sqlite3_bind_int64(stmt, 2, id);
	return store_step_done(store, stmt, "cannot store crypto result",
			       error);
}

char *
store_message_get_crypto(struct store *store, gint64 id, GError **error)
{
	sqlite3_stmt *stmt = store_prepare(
		store, "SELECT crypto FROM messages WHERE id = ?", error);
	char *json = NULL;
	int rc;

	if (stmt == NULL)
		return NULL;
	sqlite3_bind_int64(stmt, 1, id);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		json = store_column_text(stmt, 0);
	else if (rc != SQLITE_DONE)
		store_set_error(store, error, "cannot read crypto result");
	sqlite3_reset(stmt);
	return json;
}

gboolean
store_message_wrote_encrypted(struct store *store, gint64 id,
			      const char *case_id, GError **error)
{
	sqlite3_stmt *stmt = store_prepare(
		store,
		"SELECT EXISTS (SELECT 1 FROM messages WHERE "
		"(id = ?1 OR (?2 IS NOT NULL AND case_id = ?2)) AND "
		"crypto IS NOT NULL AND json_valid(crypto) AND "
		"json_extract(crypto, '$.encrypted') = 1)",
		error);
	gboolean encrypted = FALSE;
	int rc;

	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_int64(stmt, 1, id);
	store_bind_text(stmt, 2, case_id);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		encrypted = sqlite3_column_int(stmt, 0) != 0;
	else
		store_set_error(store, error, "cannot read crypto results");
	sqlite3_reset(stmt);
	return encrypted;
}
