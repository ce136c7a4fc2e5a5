/* wakeup.h — how one stage tells another "there is work in the database".
 *
 * Stages never call each other; they share the database and these
 * level-triggered wake-ups.  A wakeup is an eventfd: signalling is cheap
 * and async-signal-safe, and a stage blocked in poll() on a socket (IMAP
 * IDLE) can wait on it beside the socket.  A "latch" wakeup (the stop flag)
 * is never drained: once set, every wait returns at once. */
#ifndef INTAKED_WAKEUP_H
#define INTAKED_WAKEUP_H

#include <glib.h>

struct wakeup;

/* Returns a new wakeup; free with wakeup_free().  latch: never drained. */
struct wakeup *wakeup_new(gboolean latch, GError **error);
void wakeup_free(struct wakeup **wakeup);

/* Marks work available.  Safe from any thread and from signal handlers. */
void wakeup_signal(struct wakeup *wakeup);
/* TRUE once signalled (latches stay set; others are drained by wait). */
gboolean wakeup_is_set(struct wakeup *wakeup);
/* A file descriptor that polls readable while the wakeup is set. */
int wakeup_fd(struct wakeup *wakeup);
/* Clears a non-latch wakeup after its fd polled readable. */
void wakeup_drain(struct wakeup *wakeup);

/* Waits up to timeout_ms (-1: forever) for wakeup or stop.  Returns FALSE
 * when stop is set (the stage should exit), TRUE otherwise (work may be
 * there, or the timeout passed).  Drains wakeup. */
gboolean wakeup_wait(struct wakeup *wakeup, struct wakeup *stop,
		     int timeout_ms);

#endif
