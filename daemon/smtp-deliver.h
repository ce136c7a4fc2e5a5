/* smtp-deliver.h — the SMTP stage: send what the outbox holds.
 *
 * Runs in its own thread with its own database connection.  Takes the
 * entry due soonest, marks it "sending", sends it over SMTP submission
 * (verified TLS, AUTH), then marks it sent (250), retry (4xx, network) or
 * failed (5xx).  Keeps the session open while entries are due. */
#ifndef INTAKED_SMTP_DELIVER_H
#define INTAKED_SMTP_DELIVER_H

#include "config.h"
#include "runtime.h"
#include "wakeup.h"

/* Before any sender thread starts: entries a crash left "sending" become
 * "uncertain", due again after smtp.uncertain_grace unless our own copy
 * confirms them first (at once when copy_to_self is off).  Returns how
 * many, or -1 with error. */
int smtp_deliver_recover(const struct config *config, const char *database,
			 GError **error);

/* Thread body (smtp.connections of them run at once; each claims its own
 * entry with store_outbox_claim_due()): runs until stop is set; wake
 * tells it new entries are queued. */
void smtp_deliver_run(struct runtime *runtime, const char *database,
		      struct wakeup *wake, struct wakeup *stop);

#endif
