/* store-internal.h — shared by the store*.c files only: the one place
 * outside SQLite's own headers that sees sqlite3. */
#ifndef INTAKED_STORE_INTERNAL_H
#define INTAKED_STORE_INTERNAL_H

#include <sqlite3.h>
#include "store.h"

struct store {
	sqlite3 *db;
	char *path;
	/* Prepared statements cached by their SQL text, finalised at close. */
	GHashTable *statements;
};

/* Returns the cached prepared statement for sql, reset and with bindings
 * cleared, or NULL with error.  Owned by the store. */
sqlite3_stmt *store_prepare(struct store *store, const char *sql,
			    GError **error);
/* Sets error from the connection's last error: "PATH: what: message". */
void store_set_error(struct store *store, GError **error, const char *what);
/* Steps a statement that returns no row; FALSE with error otherwise. */
gboolean store_step_done(struct store *store, sqlite3_stmt *stmt,
			 const char *what, GError **error);
/* Steps a statement whose one row holds a count (or a maximum): its value,
 * or -1 with error.  A failed count is an error, never 0: a rate limit
 * must not pass because the database failed. */
int store_step_count(struct store *store, sqlite3_stmt *stmt, const char *what,
		     GError **error);

/* Binds text, or NULL for a NULL pointer. */
void store_bind_text(sqlite3_stmt *stmt, int index, const char *text);
/* Copies a text column (NULL stays NULL).  Caller frees. */
char *store_column_text(sqlite3_stmt *stmt, int column);

/* The current time, for rows that need one and got none. */
gint64 store_now(void);

#endif
