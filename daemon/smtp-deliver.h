/* smtp-deliver.h — the SMTP stage: send what the outbox holds.
 *
 * Runs in its own thread with its own database connection.  Takes the
 * entry due soonest, marks it "sending", sends it over SMTP submission
 * (verified TLS, AUTH), then marks it sent (250), retry (4xx, network) or
 * failed (5xx).  Keeps the session open while entries are due. */
#ifndef INTAKED_SMTP_DELIVER_H
#define INTAKED_SMTP_DELIVER_H

#include "runtime.h"
#include "wakeup.h"

/* Thread body: runs until stop is set; wake tells it new entries are
 * queued. */
void smtp_deliver_run(struct runtime *runtime, const char *database,
		      struct wakeup *wake, struct wakeup *stop);

#endif
