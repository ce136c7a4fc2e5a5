/* intake-ahead.c — the intake stage's read-ahead thread.
 *
 * Two GAsyncQueues and nothing else shared: the worker pushes requests,
 * the thread answers each with one result, in order.  The thread owns its
 * database connection and its OpenPGP context outright; the worker owns
 * its own, so no SQLite connection, GPGME context or key cache is ever
 * used by two threads.  The thread reads with autocommit statements only
 * (intake_prepare() opens no transaction), so it never holds a read
 * snapshot across the hand-off that could keep the worker's BEGIN
 * IMMEDIATE or a WAL checkpoint waiting.  It never waits on the intake
 * wake-up either: that eventfd has one reader, the worker, and a second
 * one would drain wake-ups meant for it. */
#include "intake-ahead.h"

#include "store.h"

struct ahead_request {
	gint64 id;	       /* 0: the thread is to end */
	struct config *config; /* a reference */
};

struct ahead_result {
	gint64 id;
	struct intake_prepared *prepared; /* NULL: failed or skipped */
	GError *error;			  /* why it failed; NULL: skipped */
};

struct intake_ahead {
	GThread *thread;
	GAsyncQueue *requests; /* struct ahead_request * */
	GAsyncQueue *results;  /* struct ahead_result *, in request order */
	guint outstanding;     /* the worker's count: requested, not taken */
	char *database;
	struct crypto *crypto; /* the thread's context, not owned */
	struct wakeup *stop;
	struct store *store; /* the thread's connection, opened lazily */
};

static void
ahead_request_free(struct ahead_request *request)
{
	config_unref(&request->config);
	g_free(request);
}

static void
ahead_result_free(struct ahead_result *result)
{
	intake_prepared_free(&result->prepared);
	g_clear_error(&result->error);
	g_free(result);
}

/* Prepares one message on the thread's own connection and context.
 * Returns a new result, which the worker frees. */
static struct ahead_result *
prepare_one(struct intake_ahead *ahead, const struct ahead_request *request)
{
	struct ahead_result *result = g_new0(struct ahead_result, 1);

	result->id = request->id;
	/* Stopping: answer at once, the message stays "received". */
	if (wakeup_is_set(ahead->stop))
		return result;
	if (ahead->store == NULL)
		ahead->store = store_open(ahead->database, &result->error);
	if (ahead->store == NULL)
		return result;
	struct pipeline pipeline = {
		.store = ahead->store,
		.config = request->config,
		.crypto = ahead->crypto,
	};
	result->prepared =
		intake_prepare(&pipeline, request->id, &result->error);
	/* A fresh connection may clear a stuck state. */
	if (result->prepared == NULL)
		store_close(&ahead->store);
	return result;
}

static gpointer
ahead_thread(gpointer data)
{
	struct intake_ahead *ahead = data;

	for (;;) {
		struct ahead_request *request =
			g_async_queue_pop(ahead->requests);
		gboolean end = request->id == 0;

		if (!end)
			g_async_queue_push(ahead->results,
					   prepare_one(ahead, request));
		ahead_request_free(request);
		if (end)
			break;
	}
	store_close(&ahead->store);
	return NULL;
}

struct intake_ahead *
intake_ahead_new(const char *database, struct crypto *crypto,
		 struct wakeup *stop)
{
	struct intake_ahead *ahead = g_new0(struct intake_ahead, 1);

	ahead->database = g_strdup(database);
	ahead->crypto = crypto;
	ahead->stop = stop;
	ahead->requests = g_async_queue_new();
	ahead->results = g_async_queue_new();
	ahead->thread = g_thread_new("intake-ahead", ahead_thread, ahead);
	return ahead;
}

void
intake_ahead_free(struct intake_ahead **ahead_ptr)
{
	struct intake_ahead *ahead = *ahead_ptr;
	struct ahead_result *result;

	if (ahead == NULL)
		return;
	/* Requests before the end marker are answered "skipped" once stop
	 * is set, else prepared; either way the thread reaches it. */
	g_async_queue_push(ahead->requests, g_new0(struct ahead_request, 1));
	g_thread_join(ahead->thread);
	while ((result = g_async_queue_try_pop(ahead->results)) != NULL)
		ahead_result_free(result);
	g_async_queue_unref(ahead->requests);
	g_async_queue_unref(ahead->results);
	g_free(ahead->database);
	g_free(ahead);
	*ahead_ptr = NULL;
}

void
intake_ahead_request(struct intake_ahead *ahead, const struct config *config,
		     gint64 id)
{
	struct ahead_request *request;

	g_return_if_fail(id > 0);
	request = g_new0(struct ahead_request, 1);
	request->id = id;
	request->config = config_ref((struct config *)config);
	ahead->outstanding++;
	g_async_queue_push(ahead->requests, request);
}

guint
intake_ahead_outstanding(const struct intake_ahead *ahead)
{
	return ahead->outstanding;
}

struct intake_prepared *
intake_ahead_take(struct intake_ahead *ahead, gint64 *id, GError **error)
{
	struct ahead_result *result;
	struct intake_prepared *prepared;

	g_return_val_if_fail(ahead->outstanding > 0, NULL);
	result = g_async_queue_pop(ahead->results);
	ahead->outstanding--;
	*id = result->id;
	prepared = g_steal_pointer(&result->prepared);
	if (result->error != NULL)
		g_propagate_error(error, g_steal_pointer(&result->error));
	ahead_result_free(result);
	return prepared;
}

void
intake_ahead_discard(struct intake_ahead *ahead)
{
	while (ahead->outstanding > 0) {
		ahead_result_free(g_async_queue_pop(ahead->results));
		ahead->outstanding--;
	}
}
