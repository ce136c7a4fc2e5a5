/* imap-session.h — private to the IMAP stage: one verified, logged-in
 * libetpan session and the handful of commands the watcher needs.
 *
 * Only imap-session.c includes libetpan.  Every failure sets a GError in
 * IMAP_ERROR whose code is an enum imap_failure, so the state machine in
 * imap-watch.c can decide between "retry soon" and "retry at the cap". */
#ifndef INTAKED_IMAP_SESSION_H
#define INTAKED_IMAP_SESSION_H

#include <glib.h>

#include "config.h"

#define IMAP_ERROR imap_error_quark()
GQuark imap_error_quark(void);

/* The failure class, as the GError code. */
enum imap_failure {
	/* Network loss, timeout, BYE, a NO on a fetch: retry with backoff. */
	IMAP_FAILURE_TEMPORARY,
	/* Looks like it needs a human (login refused, certificate not
	 * trusted, no STARTTLS, mailbox missing): still retried, but at the
	 * backoff cap and logged as an error. */
	IMAP_FAILURE_PERMANENT,
};

struct imap_session;

/* How far imap_session_connect() got; for the state log. */
enum imap_connect_stage {
	IMAP_CONNECT_TCP,      /* connecting, TLS handshake */
	IMAP_CONNECT_VERIFIED, /* the certificate chain and name checked */
	IMAP_CONNECT_LOGGED_IN,
};

/* Connects to config->host:port with config->tls, verifies the server's
 * certificate before anything else is sent over TLS, refuses to continue
 * without TLS, and logs in.  *stage tells how far it got (also on
 * failure).  Returns a session (free with imap_session_close()) or NULL. */
struct imap_session *imap_session_connect(const struct config_imap *config,
					  enum imap_connect_stage *stage,
					  GError **error);

/* Sends LOGOUT (bounded by a short timeout) when polite, then frees the
 * session and sets *session to NULL. */
void imap_session_close(struct imap_session **session, gboolean polite);

/* Creates mailbox unless it exists already. */
gboolean imap_session_ensure_mailbox(struct imap_session *session,
				     const char *mailbox, GError **error);

/* SELECTs mailbox; *uidvalidity is its UIDVALIDITY. */
gboolean imap_session_select(struct imap_session *session, const char *mailbox,
			     guint32 *uidvalidity, GError **error);

gboolean imap_session_noop(struct imap_session *session, GError **error);

/* UIDs greater than last_uid that the watcher has not flagged as processed,
 * ascending.  Returns a GArray of guint32 (caller frees) or NULL. */
GArray *imap_session_search_new(struct imap_session *session, guint32 last_uid,
				GError **error);

/* RFC822.SIZE of each of uids[0..count).  Returns a hash table from UID to
 * size (GUINT_TO_POINTER both; caller frees) or NULL.  A UID expunged
 * meanwhile is simply absent. */
GHashTable *imap_session_fetch_sizes(struct imap_session *session,
				     const guint32 *uids, guint count,
				     GError **error);

/* The whole message uid (BODY.PEEK[], so \Seen is left alone), at most
 * max_bytes of it: asks for a partial fetch of max_bytes + 1, so a message
 * larger than its advertised size is reported with *truncated TRUE.
 * Returns the bytes (caller unrefs), or NULL with error; NULL without error
 * when the message is gone. */
GBytes *imap_session_fetch_message(struct imap_session *session, guint32 uid,
				   gint64 max_bytes, gboolean *truncated,
				   GError **error);

/* Takes uids[0..count) out of the selected mailbox into mailbox: MOVE if
 * advertised, else COPY + \Deleted + UID EXPUNGE if UIDPLUS is, else COPY
 * and flag them \Seen $IntakedProcessed (never a plain EXPUNGE, which would
 * also remove other clients' \Deleted messages).  mailbox NULL or "": only
 * the flags. */
gboolean imap_session_move(struct imap_session *session, const guint32 *uids,
			   guint count, const char *mailbox, GError **error);

/* Result of waiting for news. */
enum imap_wait {
	IMAP_WAIT_ACTIVITY, /* the server said something: search again */
	IMAP_WAIT_TIMEOUT,
	IMAP_WAIT_STOP, /* stop_fd became readable */
	IMAP_WAIT_ERROR,
};

/* TRUE when IDLE is advertised. */
gboolean imap_session_can_idle(struct imap_session *session);

/* IDLE until the server speaks, timeout_seconds pass or stop_fd becomes
 * readable; always ends the IDLE (DONE) before returning, except on
 * IMAP_WAIT_ERROR. */
enum imap_wait imap_session_idle(struct imap_session *session, int stop_fd,
				 int timeout_seconds, GError **error);

/* Whether the server offered MOVE / UIDPLUS, for the state log. */
const char *imap_session_move_method(struct imap_session *session);

#endif
