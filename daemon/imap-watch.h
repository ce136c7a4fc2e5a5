/* imap-watch.h — the IMAP stage: watch the CERT mailbox, store every new
 * message, then move it to the processed mailbox.
 *
 * Runs in its own thread with its own database connection.  Order per
 * message: fetch (BODY.PEEK) -> commit to SQLite -> MOVE.  A crash between
 * commit and MOVE fetches the message again, which the store recognises by
 * (uidvalidity, uid).  Wakes the intake stage after each batch. */
#ifndef INTAKED_IMAP_WATCH_H
#define INTAKED_IMAP_WATCH_H

#include "runtime.h"
#include "wakeup.h"

/* Thread body: runs until stop is set.  database: path of the SQLite file.
 * Reconnects with exponential backoff on every error; never returns
 * early.  Stop is seen at once while idle, polling or backing off; during
 * a command it is seen when the command ends (at most about imap.timeout),
 * and a message in progress is always finished first.  The program must
 * ignore SIGPIPE (libetpan writes to sockets without MSG_NOSIGNAL). */
void imap_watch_run(struct runtime *runtime, const char *database,
		    struct wakeup *wake_intake, struct wakeup *stop);

#endif
