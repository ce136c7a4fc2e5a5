/* intake-worker.c — the intake stage thread. */
#include "intake-worker.h"

#include "conversation.h"
#include "intake-ahead.h"
#include "intake.h"
#include "log.h"
#include "store.h"
#include "support.h"

/* A missed wake-up costs at most this long. */
#define INTAKE_SWEEP_MS (60 * 1000)
/* After a database failure, wait this long before trying again. */
#define INTAKE_RETRY_MS (5 * 1000)
/* The shortest sweep interval, so a reminder due now cannot spin. */
#define INTAKE_MIN_SWEEP_MS 500

/* How many messages the read-ahead may hold prepared or be preparing
 * beyond the one being applied.  Two keep it busy (one in gpg, one
 * ready); each holds a message's bytes and trees, so few is better. */
#define INTAKE_AHEAD_DEPTH 2

/* Asks the read-ahead for the next "received" messages after *last, up
 * to INTAKE_AHEAD_DEPTH outstanding. */
static gboolean
feed_ahead(const struct pipeline *pipeline, struct intake_ahead *ahead,
	   gint64 *last, GError **error)
{
	guint outstanding = intake_ahead_outstanding(ahead);
	g_autoptr(GArray) ids = NULL;

	if (outstanding >= INTAKE_AHEAD_DEPTH)
		return TRUE;
	ids = store_messages_pending_after(pipeline->store, *last,
					   INTAKE_AHEAD_DEPTH - outstanding,
					   error);
	if (ids == NULL)
		return FALSE;
	for (guint i = 0; i < ids->len; i++) {
		*last = g_array_index(ids, gint64, i);
		intake_ahead_request(ahead, pipeline->config, *last);
	}
	return TRUE;
}

/* Processes every "received" message, oldest first: the read-ahead
 * prepares the next ones while this thread applies the current one.
 * Wakes the sender after each one that queued mail, so replies go out
 * while a burst is still being read.  Stops after the current step when
 * stop is set.  Returns how many were processed, or -1 with error; either
 * way nothing is left outstanding in the read-ahead. */
static int
process_pending(const struct pipeline *pipeline, struct intake_ahead *ahead,
		struct wakeup *wake_sender, struct wakeup *stop, GError **error)
{
	gint64 last = 0;
	int done = 0;

	while (!wakeup_is_set(stop)) {
		g_autoptr(GError) ahead_error = NULL;
		struct intake_prepared *prepared;
		gboolean queued = FALSE;
		gint64 id = 0;

		if (!feed_ahead(pipeline, ahead, &last, error))
			goto fail;
		if (intake_ahead_outstanding(ahead) == 0)
			break;
		prepared = intake_ahead_take(ahead, &id, &ahead_error);
		if (prepared == NULL && ahead_error == NULL)
			break; /* skipped: stopping */
		if (prepared == NULL) {
			g_autofree char *why = log_value(ahead_error->message);

			/* Slower, not stuck: this thread does it itself. */
			log_warning("intake.ahead msg=%" G_GINT64_FORMAT
				    " prepared=here error=%s",
				    id, why);
			prepared = intake_prepare(pipeline, id, error);
			if (prepared == NULL)
				goto fail;
		}
		if (!intake_apply(pipeline, &prepared, &queued, error))
			goto fail;
		if (queued)
			wakeup_signal(wake_sender);
		done++;
	}
	/* Stopping: what the read-ahead holds stays "received" for the
	 * next start. */
	if (intake_ahead_outstanding(ahead) > 0)
		log_info("intake.stopping prepared_dropped=%u",
			 intake_ahead_outstanding(ahead));
	intake_ahead_discard(ahead);
	return done;
fail:
	intake_ahead_discard(ahead);
	return -1;
}

/* Queues the reminders and hand-overs due now and returns how long the
 * worker may sleep before the next one falls due (at most the sweep
 * interval), or -1 with error. */
static int
sweep_conversations(const struct pipeline *pipeline, struct wakeup *wake_sender,
		    GError **error)
{
	gint64 now = g_get_real_time() / G_USEC_PER_SEC;
	gint64 next_due = 0;
	gint64 support_next = 0;
	int mailed = conversation_due(pipeline, now, &next_due, error);
	int support_mailed;

	if (mailed < 0)
		return -1;
	/* Reminders may complete a case (staff filled the gaps): the
	 * support timers come after them. */
	support_mailed = support_due(pipeline, now, &support_next, error);
	if (support_mailed < 0)
		return -1;
	mailed += support_mailed;
	if (support_next != 0 && (next_due == 0 || support_next < next_due))
		next_due = support_next;
	if (mailed > 0)
		wakeup_signal(wake_sender);
	if (next_due == 0 || next_due - now >= INTAKE_SWEEP_MS / 1000)
		return INTAKE_SWEEP_MS;
	return MAX(INTAKE_MIN_SWEEP_MS, (int)(next_due - now) * 1000);
}

void
intake_worker_run(struct runtime *runtime, const char *database,
		  struct crypto *crypto, struct crypto *crypto_ahead,
		  struct wakeup *wake, struct wakeup *wake_sender,
		  struct wakeup *stop)
{
	g_autoptr(GError) error = NULL;
	struct intake_ahead *ahead =
		intake_ahead_new(database, crypto_ahead, stop);
	struct store *store = NULL;
	gboolean failing = FALSE;
	int wait_ms = 0;

	while (wakeup_wait(wake, stop, wait_ms)) {
		struct config *config = NULL;
		struct templates *templates = NULL;
		struct questionnaire *questionnaire = NULL;
		struct providers *providers = NULL;
		int done;

		if (store == NULL)
			store = store_open(database, &error);
		if (store == NULL) {
			log_error("intake.store error=%s", error->message);
			g_clear_error(&error);
			wait_ms = INTAKE_RETRY_MS;
			continue;
		}
		runtime_acquire(runtime, &config, &templates);
		questionnaire = runtime_questionnaire(runtime);
		providers = runtime_providers(runtime);
		struct pipeline pipeline = {
			.store = store,
			.config = config,
			.templates = templates,
			.questionnaire = questionnaire,
			.crypto = crypto,
			.providers = providers,
		};
		done = process_pending(&pipeline, ahead, wake_sender, stop,
				       &error);
		if (done >= 0 && !wakeup_is_set(stop)) {
			wait_ms = sweep_conversations(&pipeline, wake_sender,
						      &error);
			if (wait_ms < 0)
				done = -1;
		}
		config_unref(&config);
		templates_unref(&templates);
		questionnaire_unref(&questionnaire);
		providers_unref(&providers);
		if (done < 0) {
			g_autofree char *why = log_value(error->message);

			/* One line per change of state, not per retry. */
			if (!failing)
				log_error("intake.failing error=%s", why);
			failing = TRUE;
			g_clear_error(&error);
			/* A fresh connection may clear a stuck state. */
			store_close(&store);
			wait_ms = INTAKE_RETRY_MS;
			continue;
		}
		if (failing)
			log_info("intake.recovered");
		failing = FALSE;
	}
	intake_ahead_free(&ahead);
	store_close(&store);
}
