/* intaked.c — the daemon: configuration, stages, signals, systemd.
 *
 * Three stage threads share nothing but the database and wake-ups:
 *   IMAP watcher -> (wake) -> intake worker -> (wake) -> SMTP sender.
 * The main thread runs a GMainLoop for signals (SIGTERM/SIGINT: stop after
 * the current step; SIGHUP: reload configuration and templates) and the
 * systemd watchdog. */
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <glib-unix.h>
#include <gmime/gmime.h>
#include <systemd/sd-daemon.h>

#include "config.h"
#include "crypto.h"
#include "imap-watch.h"
#include "intake-worker.h"
#include "log.h"
#include "providers.h"
#include "questionnaire.h"
#include "runtime.h"
#include "smtp-deliver.h"
#include "store.h"
#include "templates.h"
#include "wakeup.h"

#ifndef INTAKED_VERSION
#define INTAKED_VERSION "0.1"
#endif

struct daemon {
	char *config_path;
	char *database; /* fixed for the process: changing it needs a restart */
	struct runtime *runtime;
	/* The intake stage's OpenPGP context, NULL when OpenPGP is off;
	 * fixed for the process like the database (GnuPG's home is
	 * process-global), so a reload does not change it. */
	struct crypto *crypto;
	/* The intake read-ahead's own context, likewise. */
	struct crypto *crypto_ahead;
	struct wakeup *stop;
	struct wakeup *wake_intake;
	struct wakeup *wake_sender;
	GMainLoop *loop;
};

struct stage_start {
	struct daemon *daemon;
	int which;
};

enum { STAGE_IMAP, STAGE_INTAKE, STAGE_SMTP };

static gpointer
stage_thread(gpointer data)
{
	struct stage_start *start = data;
	struct daemon *d = start->daemon;

	switch (start->which) {
	case STAGE_IMAP:
		imap_watch_run(d->runtime, d->database, d->wake_intake,
			       d->stop);
		break;
	case STAGE_INTAKE:
		intake_worker_run(d->runtime, d->database, d->crypto,
				  d->crypto_ahead, d->wake_intake,
				  d->wake_sender, d->stop);
		break;
	case STAGE_SMTP:
		smtp_deliver_run(d->runtime, d->database, d->wake_sender,
				 d->stop);
		break;
	}
	g_free(start);
	return NULL;
}

static GThread *
start_stage(struct daemon *d, int which, const char *name)
{
	struct stage_start *start = g_new0(struct stage_start, 1);

	start->daemon = d;
	start->which = which;
	return g_thread_new(name, stage_thread, start);
}

/* The settings a running daemon swaps whole on SIGHUP. */
struct settings {
	struct config *config;
	struct templates *templates;
	struct questionnaire *questionnaire; /* NULL: none configured */
	struct providers *providers;	     /* NULL: none configured */
};

static void
settings_clear(struct settings *s)
{
	providers_unref(&s->providers);
	questionnaire_unref(&s->questionnaire);
	templates_unref(&s->templates);
	config_unref(&s->config);
}

/* Loads configuration, templates, questionnaire and provider registry:
 * all or nothing, so a broken edit is refused at start and on reload
 * alike. */
static gboolean
load_settings(const char *path, struct settings *s, GError **error)
{
	*s = (struct settings){0};
	s->config = config_load(path, error);
	if (s->config == NULL)
		return FALSE;
	s->templates = templates_load(s->config->templates,
				      (const char *const *)s->config->languages,
				      error);
	if (s->templates == NULL)
		goto fail;
	if (s->config->questionnaire != NULL) {
		s->questionnaire = questionnaire_load(
			s->config->questionnaire,
			(const char *const *)s->config->languages, error);
		if (s->questionnaire == NULL)
			goto fail;
	}
	if (s->config->providers != NULL) {
		s->providers = providers_load_for(s->config->providers,
						  s->questionnaire, error);
		if (s->providers == NULL)
			goto fail;
	}
	return TRUE;
fail:
	settings_clear(s);
	return FALSE;
}

static void
apply_log_level(const struct config *config)
{
	enum log_level level = LOG_LEVEL_INFO;

	if (config->log_level != NULL)
		log_level_parse(config->log_level, &level);
	log_set_level(level);
}

static gboolean
on_stop_signal(gpointer data)
{
	struct daemon *d = data;

	log_info("daemon.stopping reason=signal");
	sd_notify(0, "STOPPING=1\nSTATUS=finishing the current step");
	wakeup_signal(d->stop);
	g_main_loop_quit(d->loop);
	return G_SOURCE_REMOVE;
}

static gboolean
on_reload_signal(gpointer data)
{
	struct daemon *d = data;
	g_autoptr(GError) error = NULL;
	struct settings s;

	sd_notify(0, "RELOADING=1");
	if (!load_settings(d->config_path, &s, &error)) {
		g_autofree char *why = log_value(error->message);

		log_error("daemon.reload result=rejected keeping=previous "
			  "error=%s",
			  why);
	} else {
		const struct config *config = s.config;

		if (g_strcmp0(config->database, d->database) != 0)
			log_warning("daemon.reload database_change_ignored "
				    "until=restart");
		if (config->crypto.enabled != (d->crypto != NULL) ||
		    (d->crypto != NULL &&
		     g_strcmp0(config->crypto.key_fingerprint,
			       crypto_fingerprint(d->crypto)) != 0))
			log_warning("daemon.reload crypto_change_ignored "
				    "until=restart");
		apply_log_level(config);
		runtime_replace(d->runtime, s.config, s.templates,
				s.questionnaire, s.providers);
		/* Stages pick the new pair up at their next step. */
		wakeup_signal(d->wake_intake);
		wakeup_signal(d->wake_sender);
		log_info("daemon.reload result=ok");
	}
	sd_notify(0, "READY=1");
	return G_SOURCE_CONTINUE;
}

static gboolean
on_watchdog(gpointer data)
{
	sd_notify(0, "WATCHDOG=1");
	return G_SOURCE_CONTINUE;
}

static int
check_only(const char *path)
{
	g_autoptr(GError) error = NULL;
	struct settings s;
	const struct config *config;
	g_autofree char *key_note = NULL;
	g_autofree char *provider_note = NULL;

	if (!load_settings(path, &s, &error)) {
		fprintf(stderr, "%s\n", error->message);
		return EXIT_FAILURE;
	}
	config = s.config;
	if (config->crypto.enabled) {
		struct crypto *crypto = crypto_new(config, &error);

		if (crypto == NULL) {
			fprintf(stderr, "%s: OpenPGP: %s\n", path,
				error->message);
			settings_clear(&s);
			return EXIT_FAILURE;
		}
		key_note = g_strdup_printf("; OpenPGP key %s usable",
					   crypto_fingerprint(crypto));
		crypto_free(&crypto);
	}
	if (s.providers != NULL)
		provider_note = g_strdup_printf("; %u providers OK in %s",
						providers_count(s.providers),
						config->providers);
	printf("%s: configuration OK; %u templates OK in %s%s%s%s%s\n", path,
	       templates_count(s.templates), config->templates,
	       config->questionnaire != NULL ? "; questionnaire OK in " : "",
	       config->questionnaire != NULL ? config->questionnaire : "",
	       provider_note != NULL ? provider_note : "",
	       key_note != NULL ? key_note : "");
	settings_clear(&s);
	return EXIT_SUCCESS;
}

/* Migrates the database and recovers what a crash left, before any stage
 * runs, so a broken database stops the start instead of a stage. */
static gboolean
prepare_database(const char *path, GError **error)
{
	struct store *store = store_open(path, error);

	if (store == NULL)
		return FALSE;
	store_close(&store);
	return TRUE;
}

static int
run(struct daemon *d)
{
	g_autoptr(GError) error = NULL;
	struct settings s;
	const struct config *config;
	g_autoptr(GPtrArray) threads = g_ptr_array_new();
	guint64 watchdog_usec = 0;

	if (!load_settings(d->config_path, &s, &error)) {
		fprintf(stderr, "intaked: %s\n", error->message);
		return EXIT_FAILURE;
	}
	config = s.config;
	apply_log_level(config);
	d->database = g_strdup(config->database);
	if (!prepare_database(d->database, &error) ||
	    smtp_deliver_recover(config, d->database, &error) < 0) {
		log_error("daemon.start error=%s", error->message);
		settings_clear(&s);
		return EXIT_FAILURE;
	}
	/* Before any thread: crypto_new() sets GnuPG's home process-wide. */
	if (config->crypto.enabled) {
		d->crypto = crypto_new(config, &error);
		if (d->crypto != NULL) {
			d->crypto_ahead = crypto_new(config, &error);
			if (d->crypto_ahead == NULL)
				crypto_free(&d->crypto);
		}
		if (d->crypto == NULL) {
			g_autofree char *why = log_value(error->message);

			log_error("daemon.start error=OpenPGP: %s", why);
			settings_clear(&s);
			return EXIT_FAILURE;
		}
		log_info("daemon.crypto key=%s encrypt=%s",
			 crypto_fingerprint(d->crypto),
			 config->crypto.encrypt == CONFIG_ENCRYPT_REQUIRED
				 ? "required"
				 : "opportunistic");
	} else {
		log_info("daemon.crypto state=off replies=unsigned");
	}
	d->runtime = runtime_new(s.config, s.templates, s.questionnaire,
				 s.providers);
	d->stop = wakeup_new(TRUE, &error);
	d->wake_intake = wakeup_new(FALSE, &error);
	d->wake_sender = wakeup_new(FALSE, &error);
	if (d->stop == NULL || d->wake_intake == NULL ||
	    d->wake_sender == NULL) {
		log_error("daemon.start error=%s", error->message);
		return EXIT_FAILURE;
	}
	d->loop = g_main_loop_new(NULL, FALSE);
	g_unix_signal_add(SIGTERM, on_stop_signal, d);
	g_unix_signal_add(SIGINT, on_stop_signal, d);
	g_unix_signal_add(SIGHUP, on_reload_signal, d);
	if (sd_watchdog_enabled(0, &watchdog_usec) > 0)
		g_timeout_add(watchdog_usec / 2000, on_watchdog, d);

	g_ptr_array_add(threads, start_stage(d, STAGE_INTAKE, "intake"));
	/* The number of sessions is fixed at start; a reload keeps it. */
	for (int i = 0; i < config->smtp.connections; i++)
		g_ptr_array_add(threads, start_stage(d, STAGE_SMTP, "smtp"));
	g_ptr_array_add(threads, start_stage(d, STAGE_IMAP, "imap"));
	log_info("daemon.started version=%s database=%s", INTAKED_VERSION,
		 d->database);
	sd_notify(0, "READY=1\nSTATUS=watching the mailbox");

	g_main_loop_run(d->loop);

	for (guint i = 0; i < threads->len; i++)
		g_thread_join(threads->pdata[i]);
	log_info("daemon.stopped");
	g_main_loop_unref(d->loop);
	wakeup_free(&d->stop);
	wakeup_free(&d->wake_intake);
	wakeup_free(&d->wake_sender);
	runtime_free(&d->runtime);
	crypto_free(&d->crypto_ahead);
	crypto_free(&d->crypto);
	return EXIT_SUCCESS;
}

static void
usage(FILE *out)
{
	fprintf(out,
		"usage: intaked [-n] [-c FILE]\n"
		"  -c FILE  configuration file (default %s)\n"
		"  -n       check the configuration and templates, then exit\n"
		"  -V       print the version\n",
		CONFIG_DEFAULT_PATH);
}

int
main(int argc, char **argv)
{
	struct daemon d = {0};
	gboolean check = FALSE;
	int opt, status;

	setlocale(LC_ALL, "");
	/* libetpan writes to sockets without MSG_NOSIGNAL; a peer that goes
	 * away must give EPIPE, not kill the daemon. */
	signal(SIGPIPE, SIG_IGN);
	while ((opt = getopt(argc, argv, "c:nVh")) != -1) {
		switch (opt) {
		case 'c':
			g_free(d.config_path);
			d.config_path = g_strdup(optarg);
			break;
		case 'n':
			check = TRUE;
			break;
		case 'V':
			printf("intaked %s\n", INTAKED_VERSION);
			g_free(d.config_path);
			return EXIT_SUCCESS;
		case 'h':
			usage(stdout);
			g_free(d.config_path);
			return EXIT_SUCCESS;
		default:
			usage(stderr);
			g_free(d.config_path);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		g_free(d.config_path);
		return 2;
	}
	if (d.config_path == NULL)
		d.config_path = g_strdup(CONFIG_DEFAULT_PATH);
	if (g_getenv("JOURNAL_STREAM") != NULL)
		log_set_journal_prefix(TRUE);
	g_mime_init();
	status = check ? check_only(d.config_path) : run(&d);
	g_mime_shutdown();
	g_free(d.config_path);
	g_free(d.database);
	return status;
}
