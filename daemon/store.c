/* store.c — opening, migrating and transactions of the SQLite database. */
#include "store-internal.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <gio/gio.h>

/* Milliseconds a writer waits for another connection's transaction. */
#define STORE_BUSY_TIMEOUT_MS 10000
/* How often a waiting writer tries again, in milliseconds. */
#define STORE_BUSY_POLL_MS 1

/* Each step takes the schema from version N-1 to N.  Never edit a step
 * that has shipped; add the next one. */
static const char *const migrations[] = {
	/* 1: messages, cases, fields, timeline, outbox, IMAP bookkeeping */
	"CREATE TABLE messages ("
	"  id INTEGER PRIMARY KEY,"
	"  source TEXT NOT NULL,"
	"  source_ref TEXT,"
	"  uidvalidity INTEGER,"
	"  uid INTEGER,"
	"  raw BLOB,"
	"  size INTEGER NOT NULL,"
	"  sha256 TEXT,"
	"  state TEXT NOT NULL,"
	"  error TEXT,"
	"  kind TEXT,"
	"  case_id TEXT REFERENCES cases(id),"
	"  message_id TEXT,"
	"  content_sha256 TEXT,"
	"  from_addr TEXT,"
	"  from_name TEXT,"
	"  subject TEXT,"
	"  language TEXT,"
	"  thread_by TEXT,"
	"  received_at INTEGER NOT NULL,"
	"  processed_at INTEGER,"
	"  UNIQUE (source_ref, uidvalidity, uid)"
	");"
	"CREATE INDEX messages_state ON messages(state);"
	"CREATE INDEX messages_message_id ON messages(message_id);"
	"CREATE INDEX messages_case ON messages(case_id);"
	"CREATE INDEX messages_from ON messages(from_addr, received_at);"
	"CREATE TABLE cases ("
	"  id TEXT PRIMARY KEY,"
	"  year INTEGER NOT NULL,"
	"  seq INTEGER NOT NULL,"
	"  state TEXT NOT NULL,"
	"  language TEXT NOT NULL,"
	"  requester_addr TEXT NOT NULL,"
	"  requester_name TEXT,"
	"  subject TEXT,"
	"  created_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL,"
	"  UNIQUE (year, seq)"
	");"
	"CREATE INDEX cases_state ON cases(state, updated_at);"
	"CREATE TABLE case_fields ("
	"  case_id TEXT NOT NULL REFERENCES cases(id),"
	"  field TEXT NOT NULL,"
	"  value TEXT,"
	"  source TEXT NOT NULL,"
	"  confidence REAL NOT NULL DEFAULT 1.0,"
	"  message INTEGER REFERENCES messages(id),"
	"  excerpt TEXT,"
	"  updated_at INTEGER NOT NULL,"
	"  PRIMARY KEY (case_id, field)"
	");"
	"CREATE TABLE events ("
	"  id INTEGER PRIMARY KEY,"
	"  case_id TEXT NOT NULL REFERENCES cases(id),"
	"  at INTEGER NOT NULL,"
	"  type TEXT NOT NULL,"
	"  message INTEGER REFERENCES messages(id),"
	"  outbox INTEGER REFERENCES outbox(id),"
	"  detail TEXT"
	");"
	"CREATE INDEX events_case ON events(case_id, at);"
	"CREATE TABLE outbox ("
	"  id INTEGER PRIMARY KEY,"
	"  case_id TEXT REFERENCES cases(id),"
	"  kind TEXT NOT NULL,"
	"  in_reply_to INTEGER REFERENCES messages(id),"
	"  message_id TEXT NOT NULL UNIQUE,"
	"  mail_from TEXT NOT NULL,"
	"  rcpt_to TEXT NOT NULL,"
	"  subject TEXT,"
	"  raw BLOB NOT NULL,"
	"  state TEXT NOT NULL,"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  next_attempt_at INTEGER NOT NULL,"
	"  last_error TEXT,"
	"  created_at INTEGER NOT NULL,"
	"  sent_at INTEGER"
	");"
	/* One reply of a kind per incoming message: a re-run step cannot
	 * queue a second one. */
	"CREATE UNIQUE INDEX outbox_answer ON outbox(in_reply_to, kind)"
	"  WHERE in_reply_to IS NOT NULL;"
	"CREATE INDEX outbox_due ON outbox(state, next_attempt_at);"
	"CREATE INDEX outbox_case ON outbox(case_id);"
	"CREATE INDEX outbox_rcpt ON outbox(rcpt_to, created_at);"
	"CREATE TABLE imap_state ("
	"  mailbox TEXT PRIMARY KEY,"
	"  uidvalidity INTEGER NOT NULL,"
	"  last_uid INTEGER NOT NULL"
	");",
	/* 2: OpenPGP keys pinned to addresses; crypto results of messages */
	"CREATE TABLE keys ("
	"  address TEXT NOT NULL,"
	"  fingerprint TEXT NOT NULL,"
	"  first_seen INTEGER NOT NULL,"
	"  last_seen INTEGER NOT NULL,"
	"  state TEXT NOT NULL"
	"    CHECK (state IN ('pinned', 'conflict', 'superseded')),"
	"  source TEXT,"
	"  PRIMARY KEY (address, fingerprint)"
	");"
	"CREATE INDEX keys_state ON keys(address, state);"
	"ALTER TABLE messages ADD COLUMN crypto TEXT;",
	/* 3: reserved for the pgp branch (the lead reconciles on merge) */
	"SELECT 1;",
	/* 4: the questions asked per outgoing mail, by round */
	"CREATE TABLE question_rounds ("
	"  case_id TEXT NOT NULL REFERENCES cases(id),"
	"  round INTEGER NOT NULL,"
	"  outbox INTEGER NOT NULL UNIQUE REFERENCES outbox(id),"
	"  kind TEXT NOT NULL,"
	"  asked_at INTEGER NOT NULL,"
	"  PRIMARY KEY (case_id, round)"
	");"
	"CREATE TABLE questions_asked ("
	"  outbox INTEGER NOT NULL REFERENCES outbox(id),"
	"  number INTEGER NOT NULL,"
	"  field TEXT NOT NULL,"
	"  question TEXT NOT NULL,"
	"  required INTEGER NOT NULL,"
	"  PRIMARY KEY (outbox, number)"
	");",
	/* 5: qualification, consent, introductions, provider pauses */
	"CREATE TABLE qualifications ("
	"  case_id TEXT PRIMARY KEY REFERENCES cases(id),"
	"  qualification TEXT NOT NULL"
	"    CHECK (qualification IN ('undecided', 'incident', 'support')),"
	"  qualified_by TEXT NOT NULL,"
	"  reason TEXT,"
	"  priority INTEGER NOT NULL DEFAULT 0,"
	"  qualified_at INTEGER NOT NULL,"
	"  followup_outbox INTEGER REFERENCES outbox(id)"
	");"
	"CREATE TABLE consents ("
	"  id INTEGER PRIMARY KEY,"
	"  case_id TEXT NOT NULL UNIQUE REFERENCES cases(id),"
	"  state TEXT NOT NULL"
	"    CHECK (state IN ('requested', 'given', 'refused', 'withdrawn')),"
	"  request_outbox INTEGER REFERENCES outbox(id),"
	"  asks INTEGER NOT NULL DEFAULT 1,"
	"  fields TEXT NOT NULL,"
	"  shared_values TEXT,"
	"  needs TEXT,"
	"  requested_at INTEGER NOT NULL,"
	"  answered_at INTEGER,"
	"  message INTEGER REFERENCES messages(id),"
	"  answered_by TEXT,"
	"  proof TEXT,"
	"  excerpt TEXT,"
	"  withdrawn_at INTEGER,"
	"  withdrawn_by TEXT"
	");"
	"CREATE TABLE introductions ("
	"  id INTEGER PRIMARY KEY,"
	"  case_id TEXT NOT NULL REFERENCES cases(id),"
	"  provider TEXT NOT NULL,"
	"  address TEXT NOT NULL,"
	"  needs TEXT,"
	"  state TEXT NOT NULL CHECK (state IN ('introduced', 'accepted',"
	"    'declined', 'expired', 'withdrawn')),"
	"  outbox INTEGER REFERENCES outbox(id),"
	"  introduced_at INTEGER NOT NULL,"
	"  deadline_at INTEGER NOT NULL,"
	"  answered_at INTEGER,"
	"  message INTEGER REFERENCES messages(id),"
	"  excerpt TEXT,"
	"  UNIQUE (case_id, provider)"
	");"
	"CREATE INDEX introductions_provider ON introductions(provider, state);"
	"CREATE INDEX introductions_due ON introductions(state, deadline_at);"
	"CREATE TABLE provider_pauses ("
	"  provider TEXT PRIMARY KEY,"
	"  paused_at INTEGER NOT NULL,"
	"  paused_by TEXT,"
	"  reason TEXT"
	");"
	"CREATE TABLE provider_hours ("
	"  id INTEGER PRIMARY KEY,"
	"  provider TEXT NOT NULL,"
	"  case_id TEXT REFERENCES cases(id),"
	"  hours INTEGER NOT NULL CHECK (hours > 0),"
	"  at INTEGER NOT NULL,"
	"  recorded_by TEXT"
	");"
	"CREATE INDEX provider_hours_provider ON provider_hours(provider);",
	/* 6: indexes that answer the rate-limit and per-case counts alone.
	 * A row holds the raw mail before the columns those counts test,
	 * so a count that had to read rows walked every counted mail's
	 * overflow pages: the cost grew with the very flood the limits are
	 * there to stop. */
	"DROP INDEX messages_from;"
	"CREATE INDEX messages_from ON messages(from_addr, kind, received_at);"
	"DROP INDEX outbox_rcpt;"
	"CREATE INDEX outbox_rcpt ON outbox(rcpt_to, created_at, state);"
	"DROP INDEX outbox_case;"
	"CREATE INDEX outbox_case ON outbox(case_id, kind, created_at);",
};

int
store_schema_version(void)
{
	return G_N_ELEMENTS(migrations);
}

gint64
store_now(void)
{
	return g_get_real_time() / G_USEC_PER_SEC;
}

void
store_set_error(struct store *store, GError **error, const char *what)
{
	g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s: %s",
		    store->path, what, sqlite3_errmsg(store->db));
}

/* SQLite's own busy timeout backs off to 25-100 ms between tries.  A
 * writer that holds the lock back to back (the intake worker in a burst,
 * its next message already prepared by the read-ahead) leaves gaps of a
 * fraction of a millisecond between its transactions, which such a
 * waiter almost never hits: the SMTP senders and the IMAP watcher
 * starved for a whole burst.  Trying again every millisecond finds the
 * gaps; the tries cost a few microseconds each. */
static int
busy_retry(void *data, int tries)
{
	if (tries >= STORE_BUSY_TIMEOUT_MS / STORE_BUSY_POLL_MS)
		return 0;
	g_usleep(STORE_BUSY_POLL_MS * 1000);
	return 1;
}

static gboolean
exec_sql(struct store *store, const char *sql, const char *what, GError **error)
{
	char *message = NULL;

	if (sqlite3_exec(store->db, sql, NULL, NULL, &message) != SQLITE_OK) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s: %s",
			    store->path, what,
			    message != NULL ? message : "unknown error");
		sqlite3_free(message);
		return FALSE;
	}
	return TRUE;
}

sqlite3_stmt *
store_prepare(struct store *store, const char *sql, GError **error)
{
	sqlite3_stmt *stmt = g_hash_table_lookup(store->statements, sql);

	if (stmt != NULL) {
		sqlite3_reset(stmt);
		sqlite3_clear_bindings(stmt);
		return stmt;
	}
	if (sqlite3_prepare_v2(store->db, sql, -1, &stmt, NULL) != SQLITE_OK) {
		store_set_error(store, error, "cannot prepare statement");
		return NULL;
	}
	/* Keys are the callers' string literals, which outlive the store. */
	g_hash_table_insert(store->statements, (gpointer)sql, stmt);
	return stmt;
}

gboolean
store_step_done(struct store *store, sqlite3_stmt *stmt, const char *what,
		GError **error)
{
	int rc = sqlite3_step(stmt);

	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		store_set_error(store, error, what);
		sqlite3_reset(stmt);
		return FALSE;
	}
	sqlite3_reset(stmt);
	return TRUE;
}

int
store_step_count(struct store *store, sqlite3_stmt *stmt, const char *what,
		 GError **error)
{
	int rc = sqlite3_step(stmt);
	int count = rc == SQLITE_ROW ? sqlite3_column_int(stmt, 0) : -1;

	if (rc != SQLITE_ROW)
		store_set_error(store, error, what);
	sqlite3_reset(stmt);
	return count;
}

void
store_bind_text(sqlite3_stmt *stmt, int index, const char *text)
{
	if (text == NULL)
		sqlite3_bind_null(stmt, index);
	else
		sqlite3_bind_text(stmt, index, text, -1, SQLITE_TRANSIENT);
}

char *
store_column_text(sqlite3_stmt *stmt, int column)
{
	const unsigned char *text = sqlite3_column_text(stmt, column);

	return text != NULL ? g_strdup((const char *)text) : NULL;
}

static int
read_user_version(struct store *store, GError **error)
{
	sqlite3_stmt *stmt = NULL;
	int version = -1;

	if (sqlite3_prepare_v2(store->db, "PRAGMA user_version", -1, &stmt,
			       NULL) != SQLITE_OK) {
		store_set_error(store, error, "cannot read schema version");
		return -1;
	}
	if (sqlite3_step(stmt) == SQLITE_ROW)
		version = sqlite3_column_int(stmt, 0);
	else
		store_set_error(store, error, "cannot read schema version");
	sqlite3_finalize(stmt);
	return version;
}

static gboolean
migrate(struct store *store, GError **error)
{
	int version;

	if (!exec_sql(store, "BEGIN IMMEDIATE", "cannot lock for migration",
		      error))
		return FALSE;
	/* Read the version inside the lock: another process may just have
	 * migrated. */
	version = read_user_version(store, error);
	if (version < 0)
		goto fail;
	if (version > store_schema_version()) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED,
			    "%s: schema version %d is newer than this "
			    "program's %d; refusing to touch it",
			    store->path, version, store_schema_version());
		goto fail;
	}
	for (int step = version; step < store_schema_version(); step++) {
		g_autofree char *what =
			g_strdup_printf("migration to version %d", step + 1);
		g_autofree char *pragma =
			g_strdup_printf("PRAGMA user_version = %d", step + 1);

		if (!exec_sql(store, migrations[step], what, error) ||
		    !exec_sql(store, pragma, what, error))
			goto fail;
	}
	return exec_sql(store, "COMMIT", "cannot commit migration", error);
fail:
	sqlite3_exec(store->db, "ROLLBACK", NULL, NULL, NULL);
	return FALSE;
}

/* Creates the file 0600 before SQLite does, so there is never a moment
 * where incident data sits in a world-readable file; tightens a file others
 * can read.  An existing file is only stat()ed and chmod()ed by path, never
 * opened: closing any descriptor of a database file drops every POSIX lock
 * this process holds on it, including those of open SQLite connections
 * (SQLite's "How To Corrupt An SQLite Database File", 2.2). */
static gboolean
secure_file(const char *path, GError **error)
{
	struct stat st;
	int fd;

	if (lstat(path, &st) == 0) {
		if (!S_ISREG(st.st_mode)) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED,
				    "%s: database is not a regular file", path);
			return FALSE;
		}
		if ((st.st_mode & 077) != 0 &&
		    chmod(path, st.st_mode & 0700) != 0) {
			g_set_error(error, G_IO_ERROR,
				    g_io_error_from_errno(errno),
				    "%s: mode %04o is too open and cannot be "
				    "tightened: %s",
				    path, (unsigned)(st.st_mode & 07777),
				    g_strerror(errno));
			return FALSE;
		}
		return TRUE;
	}
	fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
		  0600);
	if (fd < 0 && errno != EEXIST) {
		g_set_error(error, G_IO_ERROR, g_io_error_from_errno(errno),
			    "%s: cannot create database: %s", path,
			    g_strerror(errno));
		return FALSE;
	}
	if (fd >= 0)
		close(fd);
	return TRUE;
}

static void
finalize_statement(gpointer stmt)
{
	sqlite3_finalize(stmt);
}

struct store *
store_open(const char *path, GError **error)
{
	struct store *store = g_new0(struct store, 1);
	mode_t old_umask;
	sqlite3_stmt *stmt = NULL;
	int rc;

	store->path = g_strdup(path);
	store->statements = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
						  finalize_statement);
	if (!secure_file(path, error))
		goto fail;
	/* The -wal and -shm files SQLite creates must be private too. */
	old_umask = umask(077);
	rc = sqlite3_open_v2(path, &store->db,
			     SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
				     SQLITE_OPEN_NOMUTEX,
			     NULL);
	umask(old_umask);
	if (rc != SQLITE_OK) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED,
			    "%s: cannot open database: %s", path,
			    store->db != NULL ? sqlite3_errmsg(store->db)
					      : "out of memory");
		goto fail;
	}
	sqlite3_extended_result_codes(store->db, 1);
	sqlite3_busy_handler(store->db, busy_retry, NULL);
	if (sqlite3_prepare_v2(store->db, "PRAGMA journal_mode=WAL", -1, &stmt,
			       NULL) != SQLITE_OK ||
	    sqlite3_step(stmt) != SQLITE_ROW ||
	    g_ascii_strcasecmp((const char *)sqlite3_column_text(stmt, 0),
			       "wal") != 0) {
		sqlite3_finalize(stmt);
		store_set_error(store, error, "cannot switch to WAL journal");
		goto fail;
	}
	sqlite3_finalize(stmt);
	if (!exec_sql(store, "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;",
		      "cannot set pragmas", error))
		goto fail;
	if (!migrate(store, error))
		goto fail;
	return store;
fail:
	store_close(&store);
	return NULL;
}

void
store_close(struct store **store)
{
	if (*store == NULL)
		return;
	g_clear_pointer(&(*store)->statements, g_hash_table_destroy);
	if ((*store)->db != NULL)
		sqlite3_close((*store)->db);
	g_free((*store)->path);
	g_clear_pointer(store, g_free);
}

gboolean
store_begin(struct store *store, GError **error)
{
	return exec_sql(store, "BEGIN IMMEDIATE", "cannot begin transaction",
			error);
}

gboolean
store_commit(struct store *store, GError **error)
{
	if (exec_sql(store, "COMMIT", "cannot commit", error))
		return TRUE;
	store_rollback(store);
	return FALSE;
}

void
store_rollback(struct store *store)
{
	if (!sqlite3_get_autocommit(store->db))
		sqlite3_exec(store->db, "ROLLBACK", NULL, NULL, NULL);
}
