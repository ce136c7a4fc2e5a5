/* intake-ahead.h — the intake stage's read-ahead: the next messages are
 * prepared while the current one is applied.
 *
 * An encrypted report costs two gpg operations: decrypting and verifying
 * it (intake_prepare(), no write lock needed) and encrypting and signing
 * its acknowledgement (inside the step's transaction).  One thread doing
 * both keeps one core busy while the other waits.  The read-ahead is a
 * second thread, owned by the intake worker, with its own database
 * connection (it only reads) and its own OpenPGP context: the worker asks
 * it to prepare message ids, in order, and takes the prepared steps back
 * in the same order to apply them itself.  It never decides or writes
 * anything: every guarantee of the step (one transaction, the state
 * checked under the write lock, a crash leaves the message "received")
 * stays with intake_apply() on the worker's thread.
 *
 * The worker keeps at most a few requests outstanding (the caller's
 * bound), so little memory is held by prepared messages.  Every request
 * gets exactly one result, in order: a prepared step, an error, or (once
 * stop is set) a "skipped" result, so the worker can always take back
 * what it asked for and never waits for something that will not come. */
#ifndef INTAKED_INTAKE_AHEAD_H
#define INTAKED_INTAKE_AHEAD_H

#include "config.h"
#include "crypto.h"
#include "intake.h"
#include "wakeup.h"

struct intake_ahead;

/* Starts the read-ahead thread.  It opens its own connection on database
 * at its first request.  crypto (may be NULL: OpenPGP off) is its own
 * context: from now on only the read-ahead thread uses it; the caller
 * keeps ownership and frees it after intake_ahead_free().  Once stop is
 * set, requests not yet started are answered "skipped" at once.  Returns
 * a new object; free with intake_ahead_free(). */
struct intake_ahead *intake_ahead_new(const char *database,
				      struct crypto *crypto,
				      struct wakeup *stop);

/* Stops the thread after the step it is preparing, joins it and drops
 * every result not taken (those messages stay "received"). */
void intake_ahead_free(struct intake_ahead **ahead);

/* Asks for message id to be prepared with config (a reference is taken
 * for as long as the request lives). */
void intake_ahead_request(struct intake_ahead *ahead,
			  const struct config *config, gint64 id);

/* How many requests were made and not yet taken back. */
guint intake_ahead_outstanding(const struct intake_ahead *ahead);

/* Takes back the oldest outstanding request's result, waiting for it.
 * Sets *id to its message id.  Returns the prepared step (the caller
 * applies it with intake_apply()), or NULL: with error set when
 * preparing failed (the caller may prepare the message itself), without
 * when it was skipped because stop was set.  Must not be called with no
 * request outstanding. */
struct intake_prepared *intake_ahead_take(struct intake_ahead *ahead,
					  gint64 *id, GError **error);

/* Takes back and drops every outstanding result (after a failure, or
 * before the worker stops). */
void intake_ahead_discard(struct intake_ahead *ahead);

#endif
