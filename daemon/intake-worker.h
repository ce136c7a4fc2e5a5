/* intake-worker.h — the intake stage: processes stored messages.
 *
 * Runs in its own thread with its own database connection; woken by the
 * IMAP stage after each batch, and sweeps once a minute anyway so nothing
 * stays "received" if a wake-up is missed.  Each sweep also queues the
 * questionnaire reminders and hand-overs that are due
 * (conversation_due()), and comes sooner when the next one falls due
 * within the minute.  Wakes the SMTP stage when it queued mail.  A
 * read-ahead thread of its own prepares (parses, decrypts) the next
 * messages while this one applies the current one. */
#ifndef INTAKED_INTAKE_WORKER_H
#define INTAKED_INTAKE_WORKER_H

#include "crypto.h"
#include "runtime.h"
#include "wakeup.h"

/* crypto is the stage's OpenPGP context (used by this thread only), or
 * NULL when OpenPGP is off; crypto_ahead a second one (NULL likewise) for
 * the stage's read-ahead thread (intake-ahead.h), which this function
 * starts and joins before it returns. */
void intake_worker_run(struct runtime *runtime, const char *database,
		       struct crypto *crypto, struct crypto *crypto_ahead,
		       struct wakeup *wake, struct wakeup *wake_sender,
		       struct wakeup *stop);

#endif
