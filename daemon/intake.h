/* intake.h — the intake pipeline: one stored message to a case.
 *
 * One pipeline, two doors: the IMAP watcher stores a message and wakes the
 * intake stage; `intakectl import` stores a file and calls the same
 * intake_process().  Processing a message is one transaction: parse,
 * classify, thread onto a case or open one, record events, queue replies,
 * mark the message processed.  A crash before COMMIT leaves the message
 * "received" and it is processed again from scratch. */
#ifndef INTAKED_INTAKE_H
#define INTAKED_INTAKE_H

#include "pipeline.h"

/* Processes message id if it is still "received": intake_prepare() and
 * intake_apply() on the same pipeline.  Returns FALSE only when
 * the database failed (the message stays "received" and is retried); bad
 * mail is not an error: it ends "failed" with a recorded reason.
 * *queued (may be NULL) gets whether any mail was queued. */
gboolean intake_process(const struct pipeline *pipeline, gint64 id,
			gboolean *queued, GError **error);

/* A step split in two, so that one thread can prepare the next message
 * while another applies the current one (intake-ahead.c):
 *
 * intake_prepare() reads message id and does the work of its step that
 * needs no write lock: parsing, classification, decryption and
 * verification (which imports the keys the mail brings).  It uses only
 * pipeline->store (to read), ->config and ->crypto, those of the calling
 * thread, and keeps none of them but a reference to the configuration.
 * It writes nothing to the database, so a prepared step that is never
 * applied (shutdown, crash) leaves the message "received" and costs
 * nothing but the work.  Returns a new prepared step
 * (intake_prepared_free()), also for a message that is no longer
 * "received" (applying it then does nothing), or NULL with error when the
 * database or gpg failed (the message stays "received").
 *
 * intake_apply() runs the step's transaction on pipeline, the applying
 * thread's: it checks under the write lock that the message is still
 * "received" (another door may have processed it since), decides, writes
 * and commits.  When pipeline->config is not the configuration the step
 * was prepared with (a reload came between), the step is prepared again
 * first, with pipeline.  Takes *prepared over and sets it to NULL.
 * Returns like intake_process(). */
struct intake_prepared;

struct intake_prepared *intake_prepare(const struct pipeline *pipeline,
				       gint64 id, GError **error);
gboolean intake_apply(const struct pipeline *pipeline,
		      struct intake_prepared **prepared, gboolean *queued,
		      GError **error);
/* The message id the step was prepared for. */
gint64 intake_prepared_id(const struct intake_prepared *prepared);
void intake_prepared_free(struct intake_prepared **prepared);

/* Processes every "received" message, oldest first.  Returns how many were
 * processed, or -1 with error when the database failed. */
int intake_process_pending(const struct pipeline *pipeline, gboolean *queued,
			   GError **error);

/* The import door: stores raw (source "import", source_ref a path) and
 * processes it.  Returns the message id, or 0 with error. */
gint64 intake_import(const struct pipeline *pipeline, const guint8 *raw,
		     gsize len, const char *source_ref, GError **error);

#endif
