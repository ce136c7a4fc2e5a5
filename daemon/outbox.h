/* outbox.h — queueing replies: render, compose, store as one outbox row.
 *
 * The outbox row holds the final bytes, so what is sent never changes
 * after queueing (a template edit, a restart) and its Message-ID, which
 * carries the case token, is fixed. */
#ifndef INTAKED_OUTBOX_H
#define INTAKED_OUTBOX_H

#include "config.h"
#include "pipeline.h"
#include "store.h"
#include "templates.h"

struct outbox_reply {
	const char *kind;    /* template kind: ack, ... */
	const char *case_id; /* may be NULL for staff notes */
	gint64 in_reply_to;  /* incoming message id answered, or 0 */
	const char *to_addr;
	const char *to_name; /* may be NULL */
	/* The recipient's key when it is not pinned to to_addr: a
	 * provider's fingerprint from providers.conf.  NULL: the pinned
	 * key of to_addr, if any. */
	const char *encrypt_to;
	const char *language;	       /* requested language; may fall back */
	const char *parent_message_id; /* Message-ID answered, or NULL */
	GPtrArray *parent_references;  /* its References, or NULL */
	const char *auto_submitted;    /* "auto-replied" or "auto-generated" */
	struct template_context *context; /* filled by the caller; outbox
					   * adds cert_name, cert_address,
					   * case_id and case_tag */
};

/* Renders, composes and queues reply inside the caller's transaction.
 * Returns the outbox id; *inserted FALSE when this reply was queued
 * before (the step re-ran). */
gint64 outbox_enqueue(const struct pipeline *pipeline,
		      const struct outbox_reply *reply, gboolean *inserted,
		      GError **error);

/* Renders and composes reply without queueing it: the exact bytes that
 * outbox_enqueue() would store, with message_id as Message-ID.  Used by
 * `intakectl template render`.  Caller unrefs *raw and frees *subject. */
gboolean outbox_build(const struct config *config,
		      const struct templates *templates,
		      const struct outbox_reply *reply, const char *message_id,
		      GBytes **raw, char **subject, GError **error);

/* A key was pinned to address: every reply held for it (it was not to go
 * out in clear) is encrypted to that key and queued, inside the caller's
 * transaction.  The held bytes were signed when queued; the signed
 * entity is encrypted and signed afresh, so what goes out is what
 * outbox_enqueue() would have stored had the key been known.  Returns how
 * many were released, or -1 with error. */
int outbox_release_held(const struct pipeline *pipeline, const char *address,
			GError **error);

/* Delay before retry number attempts (1 = first retry): retry_initial
 * doubled per attempt, capped at retry_max. */
gint64 outbox_retry_delay(const struct config_smtp *smtp, int attempts);

#endif
