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

/* Processes message id if it is still "received".  Returns FALSE only when
 * the database failed (the message stays "received" and is retried); bad
 * mail is not an error: it ends "failed" with a recorded reason.
 * *queued (may be NULL) gets whether any mail was queued. */
gboolean intake_process(const struct pipeline *pipeline, gint64 id,
			gboolean *queued, GError **error);

/* Processes every "received" message, oldest first.  Returns how many were
 * processed, or -1 with error when the database failed. */
int intake_process_pending(const struct pipeline *pipeline, gboolean *queued,
			   GError **error);

/* The import door: stores raw (source "import", source_ref a path) and
 * processes it.  Returns the message id, or 0 with error. */
gint64 intake_import(const struct pipeline *pipeline, const guint8 *raw,
		     gsize len, const char *source_ref, GError **error);

#endif
