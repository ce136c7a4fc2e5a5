/* test-wakeup.c — eventfd wake-ups: set, drain, latch, timeout, threads. */
#include <poll.h>

#include "wakeup.h"

static struct wakeup *
new_wakeup(gboolean latch)
{
	g_autoptr(GError) error = NULL;
	struct wakeup *wakeup = wakeup_new(latch, &error);

	g_assert_no_error(error);
	g_assert_nonnull(wakeup);
	return wakeup;
}

static void
test_signal_then_wait(void)
{
	struct wakeup *work = new_wakeup(FALSE);
	struct wakeup *stop = new_wakeup(TRUE);
	gint64 start;

	g_assert_false(wakeup_is_set(work));
	wakeup_signal(work);
	wakeup_signal(work); /* level-triggered: twice is still once */
	g_assert_true(wakeup_is_set(work));
	start = g_get_monotonic_time();
	g_assert_true(wakeup_wait(work, stop, 5000));
	g_assert_cmpint(g_get_monotonic_time() - start, <, 1000 * 1000);
	/* wait drained it */
	g_assert_false(wakeup_is_set(work));
	wakeup_free(&work);
	wakeup_free(&stop);
	g_assert_null(work);
	g_assert_null(stop);
}

static void
test_timeout(void)
{
	struct wakeup *work = new_wakeup(FALSE);
	struct wakeup *stop = new_wakeup(TRUE);
	gint64 start = g_get_monotonic_time();
	gint64 elapsed;

	g_assert_true(wakeup_wait(work, stop, 100));
	elapsed = g_get_monotonic_time() - start;
	g_assert_cmpint(elapsed, >=, 90 * 1000);
	g_assert_cmpint(elapsed, <, 5000 * 1000);
	g_assert_true(wakeup_wait(work, stop, 0));
	wakeup_free(&work);
	wakeup_free(&stop);
}

static void
test_drain(void)
{
	struct wakeup *work = new_wakeup(FALSE);
	struct pollfd pfd = {.fd = wakeup_fd(work), .events = POLLIN};

	g_assert_cmpint(poll(&pfd, 1, 0), ==, 0);
	wakeup_signal(work);
	g_assert_cmpint(poll(&pfd, 1, 0), ==, 1);
	wakeup_drain(work);
	g_assert_cmpint(poll(&pfd, 1, 0), ==, 0);
	wakeup_drain(work); /* not set: harmless */
	g_assert_false(wakeup_is_set(work));
	wakeup_free(&work);
}

static void
test_stop_latch(void)
{
	struct wakeup *work = new_wakeup(FALSE);
	struct wakeup *stop = new_wakeup(TRUE);

	wakeup_signal(stop);
	for (int i = 0; i < 3; i++) {
		g_assert_false(wakeup_wait(work, stop, -1));
		g_assert_true(wakeup_is_set(stop));
	}
	wakeup_drain(stop); /* a latch is never drained */
	g_assert_true(wakeup_is_set(stop));
	/* Stop wins over pending work. */
	wakeup_signal(work);
	g_assert_false(wakeup_wait(work, stop, 1000));
	wakeup_free(&work);
	wakeup_free(&stop);
}

static void
test_wait_without_work(void)
{
	struct wakeup *stop = new_wakeup(TRUE);

	g_assert_true(wakeup_wait(NULL, stop, 10));
	wakeup_signal(stop);
	g_assert_false(wakeup_wait(NULL, stop, -1));
	wakeup_free(&stop);
	wakeup_free(&stop); /* NULL: no-op */
}

static gpointer
signal_later(gpointer data)
{
	g_usleep(50 * 1000);
	wakeup_signal(data);
	return NULL;
}

static void
test_signal_from_thread(void)
{
	struct wakeup *work = new_wakeup(FALSE);
	struct wakeup *stop = new_wakeup(TRUE);
	GThread *thread;
	gint64 start = g_get_monotonic_time();

	thread = g_thread_new("signal-work", signal_later, work);
	g_assert_true(wakeup_wait(work, stop, 10000));
	g_assert_cmpint(g_get_monotonic_time() - start, <, 5000 * 1000);
	g_thread_join(thread);

	thread = g_thread_new("signal-stop", signal_later, stop);
	g_assert_false(wakeup_wait(work, stop, -1));
	g_thread_join(thread);
	wakeup_free(&work);
	wakeup_free(&stop);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/wakeup/signal-then-wait", test_signal_then_wait);
	g_test_add_func("/wakeup/timeout", test_timeout);
	g_test_add_func("/wakeup/drain", test_drain);
	g_test_add_func("/wakeup/stop-latch", test_stop_latch);
	g_test_add_func("/wakeup/wait-without-work", test_wait_without_work);
	g_test_add_func("/wakeup/signal-from-thread", test_signal_from_thread);
	return g_test_run();
}
