/* smtp-deliver.c — the SMTP stage thread: outbox rows to the server.
 *
 * The outbox row is the unit of work: queued -> sending -> sent, or back
 * to queued with a later next_attempt_at, or failed.  A crash while
 * "sending" is requeued at the next start (at-least-once; the Message-ID
 * is the same, so the receiver can tell). */
#include "smtp-deliver.h"

#include "log.h"
#include "outbox.h"
#include "smtp-send.h"
#include "store.h"

/* Keep an idle session this long after the last message, so a burst of
 * replies (a batch import, a restart) shares one login. */
#define DELIVER_LINGER_SECONDS 5
/* Look at the outbox at least this often even without a wake-up (an
 * entry released by `intakectl`, a clock jump). */
#define DELIVER_SWEEP_SECONDS 60
/* After a database failure, wait this long before trying again. */
#define DELIVER_STORE_RETRY_MS (5 * 1000)

enum link_state { LINK_UNKNOWN, LINK_UP, LINK_DOWN };

struct deliver {
	struct runtime *runtime;
	struct store *store;
	struct smtp_session *session;
	enum link_state link;
	int link_failures;	   /* consecutive connection failures */
	gint64 link_blocked_until; /* no new connection before this */
	gint64 idle_since;	   /* end of the last send */
};

static gint64
now_seconds(void)
{
	return g_get_real_time() / G_USEC_PER_SEC;
}

/* TRUE when the NULL-terminated list holds address (case-insensitive). */
static gboolean
has_recipient(const GPtrArray *recipients, const char *address)
{
	for (guint i = 0; i + 1 < recipients->len; i++)
		if (g_ascii_strcasecmp(recipients->pdata[i], address) == 0)
			return TRUE;
	return FALSE;
}

/* Recipients of an entry: rcpt_to split on commas, blanks trimmed. */
static GPtrArray *
split_recipients(const char *rcpt_to)
{
	GPtrArray *list = g_ptr_array_new_with_free_func(g_free);
	g_auto(GStrv) parts =
		g_strsplit(rcpt_to != NULL ? rcpt_to : "", ",", -1);

	for (char **p = parts; *p != NULL; p++) {
		char *address = g_strstrip(g_strdup(*p));

		if (*address != '\0')
			g_ptr_array_add(list, address);
		else
			g_free(address);
	}
	g_ptr_array_add(list, NULL);
	return list;
}

/* Logs a change of the connection's state once, not once per message or
 * retry: a server down for an hour gives one line, not hundreds. */
static void
link_update(struct deliver *d, const struct config *config,
	    enum smtp_send_result result, const GError *error, gint64 now)
{
	gint64 delay;

	if (smtp_session_is_open(d->session)) {
		if (d->link != LINK_UP)
			log_info("smtp.connected server=%s:%d tls=%s",
				 config->smtp.host, config->smtp.port,
				 config_tls_name(config->smtp.tls));
		d->link = LINK_UP;
		d->link_failures = 0;
		d->link_blocked_until = 0;
		return;
	}
	if (result != SMTP_SEND_TEMPORARY && result != SMTP_SEND_CONFIG)
		return;

	/* The connection itself failed: every other due entry would fail
	 * the same way, so none is tried before the link backoff ends. */
	d->link_failures++;
	delay = result == SMTP_SEND_CONFIG
			? config->smtp.retry_max
			: outbox_retry_delay(&config->smtp, d->link_failures);
	d->link_blocked_until = now + delay;
	if (d->link != LINK_DOWN) {
		g_autofree char *why = log_value(error->message);

		if (result == SMTP_SEND_CONFIG)
			log_error("smtp.unusable server=%s:%d class=config "
				  "error=%s",
				  config->smtp.host, config->smtp.port, why);
		else
			log_warning("smtp.unreachable server=%s:%d error=%s",
				    config->smtp.host, config->smtp.port, why);
	}
	d->link = LINK_DOWN;
}

/* Sends one entry claimed by store_outbox_claim_due() and records the
 * outcome.  FALSE on a database failure (the caller reopens the store). */
static gboolean
deliver_entry(struct deliver *d, const struct store_outbox *entry)
{
	struct config *config = NULL;
	struct templates *templates = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) recipients = split_recipients(entry->rcpt_to);
	g_autofree char *reply = NULL;
	g_autofree char *to = log_value(entry->rcpt_to);
	g_autofree char *msgid = log_value(entry->message_id);
	g_autofree char *case_id = log_value(entry->case_id);
	enum smtp_send_result result;
	int attempt = entry->attempts; /* the claim counted this one */
	gboolean stored;
	gint64 now = now_seconds();

	/* Settings hold for this message; a reload applies to the next. */
	runtime_acquire(d->runtime, &config, &templates);
	templates_unref(&templates);

	/* The copy to ourselves rides in the same transaction: the server
	 * accepts the message for all recipients or none, so its arrival
	 * proves delivery after a crash. */
	if (config->smtp.copy_to_self &&
	    !has_recipient(recipients, config->identity.address)) {
		g_ptr_array_remove_index(recipients, recipients->len - 1);
		g_ptr_array_add(recipients, g_strdup(config->identity.address));
		g_ptr_array_add(recipients, NULL);
	}

	struct smtp_message message = {
		.mail_from = config->identity.address,
		.rcpt_to = (const char *const *)recipients->pdata,
		.data = entry->raw,
	};
	const char *helo = config->smtp.helo_name != NULL
				   ? config->smtp.helo_name
				   : config->identity.domain;

	result = smtp_send(d->session, &config->smtp, helo, &message, &reply,
			   &error);
	now = now_seconds();
	d->idle_since = now;
	link_update(d, config, result, error, now);

	if (result == SMTP_SEND_OK) {
		g_autofree char *said = log_value(reply);

		stored = store_outbox_mark_sent(d->store, entry->id, now, reply,
						&error);
		log_info("smtp.sent outbox=%" G_GINT64_FORMAT
			 " case=%s msgid=%s to=%s attempt=%d reply=%s",
			 entry->id, case_id, msgid, to, attempt, said);
	} else if (result == SMTP_SEND_PERMANENT ||
		   (result == SMTP_SEND_TEMPORARY &&
		    now - entry->created_at > config->smtp.give_up_after)) {
		g_autofree char *why_stored =
			result == SMTP_SEND_PERMANENT
				? g_strdup(error->message)
				: g_strdup_printf("gave up after %d s: %s",
						  config->smtp.give_up_after,
						  error->message);
		g_autofree char *why = log_value(why_stored);

		log_warning("smtp.failed outbox=%" G_GINT64_FORMAT
			    " case=%s msgid=%s to=%s attempt=%d class=%s "
			    "error=%s",
			    entry->id, case_id, msgid, to, attempt,
			    smtp_send_result_name(result), why);
		g_clear_error(&error);
		stored = store_outbox_mark_failed(d->store, entry->id,
						  why_stored, &error);
	} else {
		/* A setup problem (certificate, password, no STARTTLS) is not
		 * the message's fault: keep it, try rarely, shout. */
		gint64 delay =
			result == SMTP_SEND_CONFIG
				? config->smtp.retry_max
				: outbox_retry_delay(&config->smtp, attempt);
		g_autofree char *why_stored = g_strdup(error->message);
		g_autofree char *why = log_value(why_stored);

		log_write(result == SMTP_SEND_CONFIG ? LOG_LEVEL_ERROR
						     : LOG_LEVEL_INFO,
			  "smtp.retry outbox=%" G_GINT64_FORMAT
			  " case=%s msgid=%s to=%s attempt=%d "
			  "retry_in=%" G_GINT64_FORMAT " class=%s error=%s",
			  entry->id, case_id, msgid, to, attempt, delay,
			  smtp_send_result_name(result), why);
		g_clear_error(&error);
		stored = store_outbox_mark_retry(
			d->store, entry->id, now + delay, why_stored, &error);
	}
	config_unref(&config);
	if (!stored) {
		g_autofree char *why = log_value(error->message);

		/* Left "sending": requeued (and sent again) at the next
		 * start.  At-least-once beats never. */
		log_error("smtp.store outbox=%" G_GINT64_FORMAT " error=%s",
			  entry->id, why);
		return FALSE;
	}
	return TRUE;
}

/* Milliseconds to wait for when nothing can be sent now; also closes a
 * session that lingered long enough. */
static int
idle_wait_ms(struct deliver *d, gint64 now, gint64 until_due)
{
	gint64 wait = DELIVER_SWEEP_SECONDS;

	/* While the link backs off, due entries wait with it. */
	if (d->link_blocked_until > now)
		wait = MIN(wait, d->link_blocked_until - now);
	else if (until_due >= 0)
		wait = MIN(wait, until_due);
	if (smtp_session_is_open(d->session)) {
		gint64 linger = d->idle_since + DELIVER_LINGER_SECONDS - now;

		if (linger <= 0) {
			smtp_session_close(d->session);
			log_debug("smtp.closed reason=idle");
		} else {
			wait = MIN(wait, linger);
		}
	}
	return (int)MAX(wait, 1) * 1000;
}

/* Opens the stage's own connection. */
static gboolean
open_store(struct deliver *d, const char *database)
{
	g_autoptr(GError) error = NULL;

	d->store = store_open(database, &error);
	if (d->store == NULL) {
		g_autofree char *why = log_value(error->message);

		log_error("smtp.store error=%s", why);
		return FALSE;
	}
	return TRUE;
}

int
smtp_deliver_recover(const struct config *config, const char *database,
		     GError **error)
{
	gint64 grace =
		config->smtp.copy_to_self ? config->smtp.uncertain_grace : 0;
	struct store *store = store_open(database, error);
	int recovered;

	if (store == NULL)
		return -1;
	recovered = store_outbox_recover(store, now_seconds() + grace, error);
	store_close(&store);
	if (recovered > 0)
		log_warning("smtp.recovered entries=%d state=uncertain "
			    "retry_in=%" G_GINT64_FORMAT " note=\"interrupted "
			    "while sending; waiting for our own copy before "
			    "sending again\"",
			    recovered, grace);
	return recovered;
}

void
smtp_deliver_run(struct runtime *runtime, const char *database,
		 struct wakeup *wake, struct wakeup *stop)
{
	struct deliver d = {
		.runtime = runtime,
		.session = smtp_session_new(),
	};
	while (!wakeup_is_set(stop)) {
		g_autoptr(GError) error = NULL;
		g_autoptr(StoreOutbox) entry = NULL;
		gint64 now = now_seconds();
		gint64 until_due;

		if (d.store == NULL && !open_store(&d, database)) {
			if (!wakeup_wait(wake, stop, DELIVER_STORE_RETRY_MS))
				break;
			continue;
		}

		if (d.link_blocked_until <= now) {
			entry = store_outbox_claim_due(d.store, now, &error);
			if (entry != NULL) {
				if (!deliver_entry(&d, entry))
					store_close(&d.store);
				continue;
			}
		}
		until_due = error != NULL ? -1
					  : store_outbox_seconds_until_due(
						    d.store, now, &error);
		if (error != NULL) {
			g_autofree char *why = log_value(error->message);

			log_error("smtp.store error=%s", why);
			store_close(&d.store);
			if (!wakeup_wait(wake, stop, DELIVER_STORE_RETRY_MS))
				break;
			continue;
		}
		if (!wakeup_wait(wake, stop, idle_wait_ms(&d, now, until_due)))
			break;
	}
	/* The current message was finished above; say goodbye politely. */
	smtp_session_free(&d.session);
	store_close(&d.store);
}
