/* wakeup.c — level-triggered wake-ups between stages, on eventfd(2).
 *
 * The eventfd counter is the "set" state: signalling adds one, draining
 * reads it back to zero.  A latch is never read, so it stays readable
 * forever once signalled, which is what a stop flag needs: every wait,
 * in every stage, returns at once. */
#include "wakeup.h"

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <unistd.h>

struct wakeup {
	int fd;
	gboolean latch;
};

struct wakeup *
wakeup_new(gboolean latch, GError **error)
{
	int fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	struct wakeup *wakeup;

	if (fd < 0) {
		int saved = errno;

		g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(saved),
			    "eventfd: %s", g_strerror(saved));
		return NULL;
	}
	wakeup = g_new0(struct wakeup, 1);
	wakeup->fd = fd;
	wakeup->latch = latch;
	return wakeup;
}

void
wakeup_free(struct wakeup **wakeup)
{
	if (*wakeup == NULL)
		return;
	close((*wakeup)->fd);
	g_clear_pointer(wakeup, g_free);
}

void
wakeup_signal(struct wakeup *wakeup)
{
	/* Only write(2) and errno: async-signal-safe.  EAGAIN means the
	 * counter is saturated, i.e. already set. */
	int saved_errno = errno;
	uint64_t one = 1;
	ssize_t n;

	do
		n = write(wakeup->fd, &one, sizeof(one));
	while (n < 0 && errno == EINTR);
	errno = saved_errno;
}

static gboolean
fd_readable(int fd)
{
	struct pollfd pfd = {.fd = fd, .events = POLLIN};
	int n;

	do
		n = poll(&pfd, 1, 0);
	while (n < 0 && errno == EINTR);
	return n > 0 && (pfd.revents & POLLIN);
}

gboolean
wakeup_is_set(struct wakeup *wakeup)
{
	return fd_readable(wakeup->fd);
}

int
wakeup_fd(struct wakeup *wakeup)
{
	return wakeup->fd;
}

void
wakeup_drain(struct wakeup *wakeup)
{
	uint64_t count;
	ssize_t n;

	if (wakeup->latch)
		return;
	/* Non-blocking: EAGAIN when it was not set, which is fine. */
	do
		n = read(wakeup->fd, &count, sizeof(count));
	while (n < 0 && errno == EINTR);
}

/* Either wakeup or stop may be NULL: a stage that only sleeps until its
 * next timer still wants to notice stop, and a helper may wait for work
 * without a stop flag. */
gboolean
wakeup_wait(struct wakeup *wakeup, struct wakeup *stop, int timeout_ms)
{
	struct pollfd pfds[2];
	nfds_t count = 0;
	gint64 deadline = timeout_ms < 0 ? -1
					 : g_get_monotonic_time() +
						   (gint64)timeout_ms * 1000;
	int remaining = timeout_ms;

	if (stop != NULL && wakeup_is_set(stop))
		return FALSE;
	if (wakeup != NULL)
		pfds[count++] =
			(struct pollfd){.fd = wakeup->fd, .events = POLLIN};
	if (stop != NULL)
		pfds[count++] =
			(struct pollfd){.fd = stop->fd, .events = POLLIN};
	for (;;) {
		int n = poll(pfds, count, remaining);

		if (n >= 0)
			break;
		if (errno != EINTR)
			break; /* cannot happen with valid fds; act as timeout
				*/
		/* A signal (SIGHUP for reload) must not restart the full
		 * timeout, or a stage's timers would drift. */
		if (deadline >= 0) {
			gint64 left = deadline - g_get_monotonic_time();

			if (left <= 0)
				break;
			remaining = (int)MIN(left / 1000 + 1, G_MAXINT);
		}
	}
	if (stop != NULL && wakeup_is_set(stop))
		return FALSE;
	if (wakeup != NULL)
		wakeup_drain(wakeup);
	return TRUE;
}
