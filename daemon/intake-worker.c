/* intake-worker.c — the intake stage thread. */
#include "intake-worker.h"

#include "conversation.h"
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

/* Processes every "received" message, waking the sender after each one
 * that queued mail, so replies go out while a burst is still being read.
 * Returns how many were processed, or -1 with error. */
static int
process_pending(const struct pipeline *pipeline, struct wakeup *wake_sender,
		GError **error)
{
	g_autoptr(GArray) ids = store_messages_pending(pipeline->store, error);

	if (ids == NULL)
		return -1;
	for (guint i = 0; i < ids->len; i++) {
		gboolean queued = FALSE;

		if (!intake_process(pipeline, g_array_index(ids, gint64, i),
				    &queued, error))
			return -1;
		if (queued)
			wakeup_signal(wake_sender);
	}
	return (int)ids->len;
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
		  struct crypto *crypto, struct wakeup *wake,
		  struct wakeup *wake_sender, struct wakeup *stop)
{
	g_autoptr(GError) error = NULL;
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
		done = process_pending(&pipeline, wake_sender, &error);
		if (done >= 0) {
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
	store_close(&store);
}
