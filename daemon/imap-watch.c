/* imap-watch.c — the IMAP stage thread.
 *
 * A visible state machine:
 *
 *   DISCONNECTED -> CONNECTING -> VERIFIED -> AUTHENTICATED -> SELECTED
 *     -> SYNC -> IDLE (or POLL-WAIT) -> SYNC -> ...
 *   any failure -> BACKOFF -> CONNECTING
 *
 * CONNECTING includes the TLS handshake (implicit or STARTTLS); VERIFIED
 * means our own check of the certificate passed, so only then is anything
 * else, the password above all, sent.  Failures are temporary (network,
 * timeout, BYE, a NO on a fetch: back off 1, 2, 4 ... seconds up to
 * imap.reconnect_max) or permanent-looking (login refused, certificate not
 * trusted, mailbox missing: retried at the cap, logged as errors).  The log
 * says each change of state once, not each retry.
 *
 * Per batch of up to IMAP_BATCH messages the order is: fetch each ->
 * commit them all to SQLite in one transaction (one fsync) -> move them
 * out of the mailbox -> remember the UID.  A crash anywhere repeats at
 * most the last steps; the store recognises an already stored
 * (uidvalidity, uid). */
#include "imap-watch.h"

#include <errno.h>
#include <poll.h>

#include "imap-session.h"
#include "log.h"
#include "store.h"

/* UIDs per UID FETCH of sizes; bodies are then fetched one at a time and
 * committed together, in one transaction per batch. */
#define IMAP_BATCH 50
/* A batch commits early once it holds this many bytes of fetched mail, so
 * memory stays bounded by this or by one message (limits.max_message_bytes),
 * whichever is larger. */
#define IMAP_BATCH_BYTES (8u * 1024 * 1024)

enum imap_state {
	IMAP_STATE_DISCONNECTED,
	IMAP_STATE_CONNECTING,
	IMAP_STATE_VERIFIED,
	IMAP_STATE_AUTHENTICATED,
	IMAP_STATE_SELECTED,
	IMAP_STATE_SYNC,
	IMAP_STATE_IDLE,
	IMAP_STATE_POLL_WAIT,
	IMAP_STATE_BACKOFF,
	IMAP_STATE_STOPPED,
};

static const char *const state_names[] = {
	[IMAP_STATE_DISCONNECTED] = "disconnected",
	[IMAP_STATE_CONNECTING] = "connecting",
	[IMAP_STATE_VERIFIED] = "verified",
	[IMAP_STATE_AUTHENTICATED] = "authenticated",
	[IMAP_STATE_SELECTED] = "selected",
	[IMAP_STATE_SYNC] = "sync",
	[IMAP_STATE_IDLE] = "idle",
	[IMAP_STATE_POLL_WAIT] = "poll-wait",
	[IMAP_STATE_BACKOFF] = "backoff",
	[IMAP_STATE_STOPPED] = "stopped",
};

struct watch {
	struct runtime *runtime;
	const char *database;
	struct wakeup *wake_intake;
	struct wakeup *stop;

	struct config *config; /* taken at each (re)connect */
	struct store *store;
	struct imap_session *session;
	enum imap_state state;
	guint32 uidvalidity;
	guint32 last_uid;
	int failures;	   /* consecutive, since last settled */
	gboolean settled;  /* reached IDLE/POLL-WAIT this session */
	char *last_reason; /* of the last logged backoff */
};

/* Records a state change.  The steady cycle (sync, idle, poll-wait) and
 * the steps of a reconnect while failing are debug noise; the first
 * connect, the recovery and the stop are not. */
static void
enter(struct watch *w, enum imap_state state)
{
	if (w->state == state)
		return;
	w->state = state;
	if (state == IMAP_STATE_SYNC || state == IMAP_STATE_IDLE ||
	    state == IMAP_STATE_POLL_WAIT ||
	    (w->failures > 0 && state != IMAP_STATE_STOPPED))
		log_debug("imap.state state=%s", state_names[state]);
	else
		log_info("imap.state state=%s", state_names[state]);
}

/* The first IDLE or POLL-WAIT of a session: the connection works. */
static void
settle(struct watch *w, enum imap_state state)
{
	const struct config_imap *imap = &w->config->imap;
	g_autofree char *mailbox = NULL, *host = NULL;
	g_autofree char *after = NULL;

	if (w->settled) {
		enter(w, state);
		return;
	}
	w->settled = TRUE;
	w->state = state;
	mailbox = log_value(imap->mailbox);
	host = log_value(imap->host);
	if (w->failures > 0)
		after = g_strdup_printf(" after_failures=%d", w->failures);
	log_info("imap.state state=%s host=%s port=%d tls=%s mailbox=%s "
		 "uidvalidity=%u last_uid=%u move=%s%s",
		 state_names[state], host, imap->port,
		 config_tls_name(imap->tls), mailbox, w->uidvalidity,
		 w->last_uid, imap_session_move_method(w->session),
		 after != NULL ? after : "");
	w->failures = 0;
	g_clear_pointer(&w->last_reason, g_free);
}

/* Sleeps up to timeout_ms; FALSE as soon as stop is set. */
static gboolean
wait_unless_stopped(struct watch *w, gint64 timeout_ms)
{
	gint64 deadline = g_get_monotonic_time() + timeout_ms * 1000;
	struct pollfd fd = {.fd = wakeup_fd(w->stop), .events = POLLIN};

	for (;;) {
		gint64 left = (deadline - g_get_monotonic_time()) / 1000;
		int n;

		if (wakeup_is_set(w->stop))
			return FALSE;
		if (left <= 0)
			return TRUE;
		n = poll(&fd, 1, left > G_MAXINT ? G_MAXINT : (int)left);
		if (n < 0 && errno != EINTR)
			return !wakeup_is_set(w->stop);
	}
}

/* A message fetched (or found oversized) but not yet committed. */
struct pending {
	guint32 uid;
	GBytes *raw;	/* NULL when oversized: stored without its body */
	gint64 size;	/* RFC822.SIZE, or the fetched length */
	char *oversize; /* the reason, for an oversized message */
};

static void
pending_clear(gpointer data)
{
	struct pending *p = data;

	if (p->raw != NULL)
		g_bytes_unref(p->raw);
	g_free(p->oversize);
}

/* What a batch has fetched and not yet committed, and what is committed
 * and waits to be moved. */
struct batch {
	GArray *pending; /* struct pending, in UID order */
	gsize pending_bytes;
	GArray *processed;   /* UIDs committed, to the processed mailbox */
	GArray *quarantined; /* UIDs committed, to the quarantine mailbox */
};

/* Commits everything pending in one transaction (one fsync for the lot),
 * then files the UIDs for moving.  Nothing is moved before this returns
 * TRUE: commit before MOVE. */
static gboolean
flush_pending(struct watch *w, struct batch *b, GError **error)
{
	guint n = b->pending->len;
	g_autofree struct store_message_new *rows = NULL;
	g_autofree gint64 *ids = NULL;
	g_autofree gboolean *inserted = NULL;

	if (n == 0)
		return TRUE;
	rows = g_new0(struct store_message_new, n);
	ids = g_new0(gint64, n);
	inserted = g_new0(gboolean, n);
	for (guint i = 0; i < n; i++) {
		const struct pending *p =
			&g_array_index(b->pending, struct pending, i);
		gsize len = 0;
		const guint8 *data =
			p->raw != NULL ? g_bytes_get_data(p->raw, &len) : NULL;

		rows[i] = (struct store_message_new){
			.source = "imap",
			.source_ref = w->config->imap.mailbox,
			.uidvalidity = w->uidvalidity,
			.uid = p->uid,
			.raw = data,
			.raw_len = len,
			.size = p->size,
			.state = "received",
			.error = p->oversize,
		};
	}
	if (!store_message_insert_batch(w->store, rows, n, ids, inserted,
					error))
		return FALSE;
	for (guint i = 0; i < n; i++) {
		const struct pending *p =
			&g_array_index(b->pending, struct pending, i);
		const char *again = inserted[i] ? "" : " already=stored";

		if (p->oversize != NULL) {
			log_warning("imap.oversize msg=%" G_GINT64_FORMAT
				    " uid=%u size=%" G_GINT64_FORMAT
				    " limit=%" G_GINT64_FORMAT "%s",
				    ids[i], p->uid, p->size,
				    w->config->limits.max_message_bytes, again);
			g_array_append_val(b->quarantined, p->uid);
		} else {
			log_info("imap.stored msg=%" G_GINT64_FORMAT
				 " uid=%u uidvalidity=%u size=%" G_GINT64_FORMAT
				 "%s",
				 ids[i], p->uid, w->uidvalidity, p->size,
				 again);
			g_array_append_val(b->processed, p->uid);
		}
	}
	log_debug("imap.committed count=%u bytes=%" G_GSIZE_FORMAT, n,
		  b->pending_bytes);
	g_array_set_size(b->pending, 0);
	b->pending_bytes = 0;
	return TRUE;
}

/* Adds a message to the batch, committing what is pending first if the
 * batch would grow past IMAP_BATCH_BYTES: memory stays bounded by that
 * or by one message (limits.max_message_bytes), whichever is larger. */
static gboolean
add_pending(struct watch *w, struct batch *b, struct pending *p, GError **error)
{
	gsize len = p->raw != NULL ? g_bytes_get_size(p->raw) : 0;

	if (b->pending->len > 0 &&
	    (b->pending_bytes >= IMAP_BATCH_BYTES ||
	     len > IMAP_BATCH_BYTES - b->pending_bytes) &&
	    !flush_pending(w, b, error)) {
		pending_clear(p);
		return FALSE;
	}
	g_array_append_val(b->pending, *p);
	b->pending_bytes += len;
	return TRUE;
}

/* An oversized message is recorded without its body, for the intake
 * stage to quarantine and report to staff. */
static gboolean
add_oversize(struct watch *w, struct batch *b, guint32 uid, gint64 size,
	     GError **error)
{
	struct pending p = {
		.uid = uid,
		.size = size,
		.oversize = g_strdup_printf(
			"size %" G_GINT64_FORMAT
			" exceeds limits.max_message_bytes %" G_GINT64_FORMAT,
			size, w->config->limits.max_message_bytes),
	};

	return add_pending(w, b, &p, error);
}

/* Fetches one message into the batch: FALSE on a failure that ends the
 * session. */
static gboolean
sync_message(struct watch *w, struct batch *b, guint32 uid, gint64 size,
	     GError **error)
{
	gint64 limit = w->config->limits.max_message_bytes;
	GBytes *raw;
	gboolean truncated;

	if (size > limit)
		return add_oversize(w, b, uid, size, error);
	raw = imap_session_fetch_message(w->session, uid, limit, &truncated,
					 error);
	if (raw == NULL) {
		if (error != NULL && *error != NULL)
			return FALSE;
		log_info("imap.vanished uid=%u", uid);
		return TRUE;
	}
	if (truncated) {
		/* The server understated RFC822.SIZE; the real size is at
		 * least one byte over the limit. */
		g_bytes_unref(raw);
		return add_oversize(w, b, uid, limit + 1, error);
	}
	{
		struct pending p = {
			.uid = uid,
			.raw = raw,
			.size = (gint64)g_bytes_get_size(raw),
		};

		return add_pending(w, b, &p, error);
	}
}

static gboolean
move_out(struct watch *w, GArray *uids, const char *mailbox, GError **error)
{
	g_autofree char *target = NULL;

	if (uids->len == 0)
		return TRUE;
	if (!imap_session_move(w->session, (guint32 *)(void *)uids->data,
			       uids->len, mailbox, error))
		return FALSE;
	target = log_value(mailbox != NULL && mailbox[0] != '\0' ? mailbox
								 : "(flagged)");
	log_debug("imap.moved count=%u to=%s", uids->len, target);
	return TRUE;
}

static void
batch_free(struct batch *b)
{
	g_array_unref(b->pending);
	g_array_unref(b->processed);
	g_array_unref(b->quarantined);
}

/* One batch: sizes, then each message fetched, then all of them committed
 * in one transaction (or a few, if they are large), then the committed
 * ones moved and the last UID remembered.  Stops between messages when
 * asked to, never inside one; what was fetched is still committed and
 * moved. */
static gboolean
sync_batch(struct watch *w, const guint32 *uids, guint count, GError **error)
{
	g_autoptr(GHashTable) sizes = NULL;
	struct batch b = {
		.pending = g_array_new(FALSE, FALSE, sizeof(struct pending)),
		.processed = g_array_new(FALSE, FALSE, sizeof(guint32)),
		.quarantined = g_array_new(FALSE, FALSE, sizeof(guint32)),
	};
	const struct config_imap *imap = &w->config->imap;
	guint32 highest = 0;
	gboolean ok = FALSE;

	g_array_set_clear_func(b.pending, pending_clear);
	sizes = imap_session_fetch_sizes(w->session, uids, count, error);
	if (sizes == NULL)
		goto out;
	for (guint i = 0; i < count; i++) {
		gpointer size;

		if (wakeup_is_set(w->stop))
			break;
		/* Absent: expunged by another client since the search. */
		if (g_hash_table_lookup_extended(
			    sizes, GUINT_TO_POINTER(uids[i]), NULL, &size) &&
		    !sync_message(w, &b, uids[i],
				  (gint64)GPOINTER_TO_UINT(size), error))
			goto out;
		highest = uids[i];
	}
	if (!flush_pending(w, &b, error))
		goto out;
	if (b.processed->len + b.quarantined->len > 0)
		wakeup_signal(w->wake_intake);
	if (!move_out(w, b.processed, imap->processed_mailbox, error) ||
	    !move_out(w, b.quarantined, imap->quarantine_mailbox, error))
		goto out;
	if (highest > w->last_uid) {
		if (!store_imap_set_last_uid(w->store, imap->mailbox,
					     w->uidvalidity, highest, error))
			goto out;
		w->last_uid = highest;
	}
	ok = TRUE;
out:
	batch_free(&b);
	return ok;
}

/* Searches instead of trusting EXISTS counts: simpler and never misses.
 * Searches again after every round that found mail: messages that arrive
 * while a batch is fetched and moved are announced before IDLE starts, and
 * IDLE would not report them again. */
static gboolean
sync_mailbox(struct watch *w, GError **error)
{
	guint found;

	enter(w, IMAP_STATE_SYNC);
	do {
		g_autoptr(GArray) uids =
			imap_session_search_new(w->session, w->last_uid, error);

		if (uids == NULL)
			return FALSE;
		found = uids->len;
		if (found > 0)
			log_debug("imap.sync new=%u after_uid=%u", found,
				  w->last_uid);
		for (guint i = 0; i < found && !wakeup_is_set(w->stop);
		     i += IMAP_BATCH) {
			guint count = MIN(IMAP_BATCH, found - i);

			if (!sync_batch(w, &g_array_index(uids, guint32, i),
					count, error))
				return FALSE;
		}
	} while (found > 0 && !wakeup_is_set(w->stop));
	return TRUE;
}

static gboolean
select_mailbox(struct watch *w, GError **error)
{
	const struct config_imap *imap = &w->config->imap;
	guint32 uidvalidity;
	gint64 last;

	/* Make sure the targets exist before the first message needs them. */
	if (imap->processed_mailbox != NULL &&
	    imap->processed_mailbox[0] != '\0' &&
	    !imap_session_ensure_mailbox(w->session, imap->processed_mailbox,
					 error))
		return FALSE;
	if (imap->quarantine_mailbox != NULL &&
	    imap->quarantine_mailbox[0] != '\0' &&
	    !imap_session_ensure_mailbox(w->session, imap->quarantine_mailbox,
					 error))
		return FALSE;
	if (!imap_session_select(w->session, imap->mailbox, &uidvalidity,
				 error))
		return FALSE;
	last = store_imap_last_uid(w->store, imap->mailbox, uidvalidity, error);
	if (last < 0 || (error != NULL && *error != NULL))
		return FALSE;
	if (w->uidvalidity != 0 && w->uidvalidity != uidvalidity) {
		g_autofree char *mailbox = log_value(imap->mailbox);

		/* Every message present becomes a candidate again; the
		 * store and the intake's duplicate check stop repeats. */
		log_warning("imap.uidvalidity mailbox=%s old=%u new=%u",
			    mailbox, w->uidvalidity, uidvalidity);
	}
	w->uidvalidity = uidvalidity;
	w->last_uid = last > G_MAXUINT32 ? G_MAXUINT32 : (guint32)last;
	enter(w, IMAP_STATE_SELECTED);
	return TRUE;
}

/* One connection, from connect to failure or stop.  TRUE when stopped. */
static gboolean
run_session(struct watch *w, GError **error)
{
	const struct config_imap *imap;
	enum imap_connect_stage stage;

	/* A SIGHUP's new settings take effect here, at the next connect. */
	config_unref(&w->config);
	runtime_acquire(w->runtime, &w->config, NULL);
	imap = &w->config->imap;
	w->settled = FALSE;

	enter(w, IMAP_STATE_CONNECTING);
	if (w->store == NULL) {
		w->store = store_open(w->database, error);
		if (w->store == NULL)
			return FALSE;
	}
	w->session = imap_session_connect(imap, &stage, error);
	if (stage >= IMAP_CONNECT_VERIFIED)
		enter(w, IMAP_STATE_VERIFIED);
	if (w->session == NULL)
		return FALSE;
	enter(w, IMAP_STATE_AUTHENTICATED);
	if (!select_mailbox(w, error))
		return FALSE;

	for (;;) {
		if (!sync_mailbox(w, error))
			return FALSE;
		if (wakeup_is_set(w->stop))
			return TRUE;
		if (imap->idle && imap_session_can_idle(w->session)) {
			settle(w, IMAP_STATE_IDLE);
			switch (imap_session_idle(w->session,
						  wakeup_fd(w->stop),
						  imap->idle_restart, error)) {
			case IMAP_WAIT_ERROR:
				return FALSE;
			case IMAP_WAIT_STOP:
				return TRUE;
			case IMAP_WAIT_ACTIVITY:
			case IMAP_WAIT_TIMEOUT:
				break;
			}
		} else {
			settle(w, IMAP_STATE_POLL_WAIT);
			if (!wait_unless_stopped(
				    w, (gint64)imap->poll_interval * 1000))
				return TRUE;
			if (!imap_session_noop(w->session, error))
				return FALSE;
		}
	}
}

/* Logs the failure once per distinct reason and sleeps the backoff. */
static void
back_off(struct watch *w, const GError *failure)
{
	gboolean permanent = failure->domain == IMAP_ERROR &&
			     failure->code == IMAP_FAILURE_PERMANENT;
	int cap = w->config != NULL ? w->config->imap.reconnect_max : 60;
	int delay;

	w->failures++;
	/* 1, 2, 4, ... seconds; a refusal will not fix itself soon. */
	delay = permanent ? cap : 1 << MIN(w->failures - 1, 16);
	if (delay > cap)
		delay = cap;
	if (delay < 1)
		delay = 1;
	w->state = IMAP_STATE_BACKOFF;
	if (g_strcmp0(w->last_reason, failure->message) != 0) {
		g_autofree char *reason = log_value(failure->message);

		log_write(permanent ? LOG_LEVEL_ERROR : LOG_LEVEL_WARNING,
			  "imap.state state=backoff failure=%s reason=%s "
			  "retry_in=%d",
			  permanent ? "permanent" : "temporary", reason, delay);
		g_free(w->last_reason);
		w->last_reason = g_strdup(failure->message);
	} else {
		log_debug("imap.state state=backoff retry_in=%d failures=%d",
			  delay, w->failures);
	}
	wait_unless_stopped(w, (gint64)delay * 1000);
}

void
imap_watch_run(struct runtime *runtime, const char *database,
	       struct wakeup *wake_intake, struct wakeup *stop)
{
	struct watch w = {
		.runtime = runtime,
		.database = database,
		.wake_intake = wake_intake,
		.stop = stop,
		.state = IMAP_STATE_DISCONNECTED,
	};

	while (!wakeup_is_set(stop)) {
		g_autoptr(GError) error = NULL;

		if (run_session(&w, &error))
			break;
		/* The connection may be dead: no LOGOUT, just drop it. */
		imap_session_close(&w.session, FALSE);
		if (error == NULL)
			g_set_error(&error, IMAP_ERROR, IMAP_FAILURE_TEMPORARY,
				    "unknown failure");
		back_off(&w, error);
	}
	imap_session_close(&w.session, TRUE);
	enter(&w, IMAP_STATE_STOPPED);
	store_close(&w.store);
	config_unref(&w.config);
	g_free(w.last_reason);
}
