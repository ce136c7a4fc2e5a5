/* intakectl.c — the admin CLI: import local mail, list cases and the
 * outbox, check and preview templates.
 *
 * It works on the database only and never opens a network connection:
 * what it queues (acknowledgements of imported reports) is sent by the
 * running daemon.  Imported mail goes through intake_import(), the same
 * pipeline the IMAP watcher feeds.  The JSON it prints is built in
 * export-json.c; this file prints the tables meant for people.
 *
 * Exit status: 0 success, 1 something failed (stderr says what),
 * 2 usage error. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <gio/gio.h>
#include <gmime/gmime.h>

#include "case.h"
#include "config.h"
#include "crypto.h"
#include "export-json.h"
#include "intake.h"
#include "intakectl-provider.h"
#include "intakectl-support.h"
#include "introduce.h"
#include "provider-add.h"
#include "log.h"
#include "outbox.h"
#include "conversation.h"
#include "questionnaire.h"
#include "store.h"
#include "support.h"
#include "templates.h"

#ifndef INTAKED_VERSION
#define INTAKED_VERSION "0.1"
#endif

enum { EXIT_OK = 0, EXIT_FAILED = 1, EXIT_USAGE = 2 };

/* What every command may need; each opens only what it uses, so that
 * `template check` never creates a database. */
struct ctl {
	const char *config_path;
	struct config *config;
	struct store *store;
	struct templates *templates;
	struct questionnaire *questionnaire; /* NULL: none configured */
	struct crypto *crypto;		     /* NULL: OpenPGP off */
	struct providers *providers;	     /* NULL: none configured */
};

/* ---- messages and terminal output ------------------------------------- */

/* "intakectl: what: why", one line per line of why (configuration and
 * template errors list several problems). */
static void
report(const char *what, const GError *error)
{
	g_auto(GStrv) lines = g_strsplit(error->message, "\n", -1);

	for (guint i = 0; lines[i] != NULL; i++)
		if (lines[i][0] != '\0' || i == 0)
			fprintf(stderr, "intakectl: %s: %s\n", what, lines[i]);
}

static int usage_error(const char *format, ...) G_GNUC_PRINTF(1, 2);

static int
usage_error(const char *format, ...)
{
	va_list args;

	fputs("intakectl: ", stderr);
	va_start(args, format);
	vfprintf(stderr, format, args);
	va_end(args);
	fputs("\n(see intakectl --help)\n", stderr);
	return EXIT_USAGE;
}

/* Controls that would act on a terminal: C0 (with ESC), DEL, C1, and the
 * bidirectional overrides that can make text read backwards. */
static gboolean
is_hostile(gunichar c)
{
	return c < 0x20 || (c >= 0x7f && c <= 0x9f) ||
	       (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

/* Text from mail (subjects, addresses, names, errors) made safe to print:
 * hostile characters and invalid UTF-8 become '?', and so does any
 * non-ASCII character when the locale's charset is not UTF-8.  NULL gives
 * "".  Caller frees. */
static char *
printable(const char *text)
{
	gboolean utf8_locale = g_get_charset(NULL);
	GString *out = g_string_new(NULL);
	const char *p = text != NULL ? text : "";

	while (*p != '\0') {
		gunichar c = g_utf8_get_char_validated(p, -1);

		if (c == (gunichar)-1 || c == (gunichar)-2) {
			g_string_append_c(out, '?');
			p++;
			continue;
		}
		if (is_hostile(c) || (c >= 0x80 && !utf8_locale))
			g_string_append_c(out, '?');
		else
			g_string_append_unichar(out, c);
		p = g_utf8_next_char(p);
	}
	return g_string_free(out, FALSE);
}

static guint
char_width(gunichar c)
{
	if (g_unichar_iszerowidth(c))
		return 0;
	return g_unichar_iswide(c) ? 2 : 1;
}

/* Columns text (already printable()) takes on a terminal. */
static guint
text_width(const char *text)
{
	guint width = 0;

	for (const char *p = text; *p != '\0'; p = g_utf8_next_char(p))
		width += char_width(g_utf8_get_char(p));
	return width;
}

/* printable(text) cut to at most width columns, marked when cut.  Caller
 * frees. */
static char *
fit(const char *text, guint width)
{
	g_autofree char *clean = printable(text);
	const char *mark = g_get_charset(NULL) ? "\u2026" : "~";
	GString *out;
	guint used = 0;

	if (text_width(clean) <= width)
		return g_steal_pointer(&clean);
	out = g_string_new(NULL);
	for (const char *p = clean; *p != '\0' && width > 0;
	     p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);

		if (used + char_width(c) > width - 1)
			break;
		g_string_append_unichar(out, c);
		used += char_width(c);
	}
	if (width > 0)
		g_string_append(out, mark);
	return g_string_free(out, FALSE);
}

/* Prints printable text cut to width columns and padded to exactly width
 * (the last column passes pad FALSE: no trailing blanks). */
static void
print_cell(const char *text, guint width, gboolean pad)
{
	g_autofree char *cell = fit(text, width);

	fputs(cell, stdout);
	if (pad)
		for (guint w = text_width(cell); w < width + 2; w++)
			putchar(' ');
}

static guint
terminal_width(void)
{
	struct winsize ws;
	const char *columns = g_getenv("COLUMNS");

	if (isatty(STDOUT_FILENO) &&
	    ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	if (columns != NULL) {
		guint64 n = 0;

		if (g_ascii_string_to_unsigned(columns, 10, 20, 1000, &n, NULL))
			return (guint)n;
	}
	return 80;
}

/* "2026-11-22 13:05" (UTC) for tables, "-" for none.  Caller frees. */
static char *
short_time(gint64 unix_time)
{
	g_autoptr(GDateTime) t = NULL;

	if (unix_time == 0 ||
	    (t = g_date_time_new_from_unix_utc(unix_time)) == NULL)
		return g_strdup("-");
	return g_date_time_format(t, "%Y-%m-%d %H:%M");
}

/* "2026-11-22T13:05:09Z", as in the JSON, "-" for none.  Caller frees. */
static char *
long_time(gint64 unix_time)
{
	char *text = export_json_time(unix_time);

	return text != NULL ? text : g_strdup("-");
}

static int
print_json(JsonBuilder *builder)
{
	g_autofree char *text = export_json_to_string(builder);

	fputs(text, stdout);
	return EXIT_OK;
}

/* ---- opening what a command needs ------------------------------------- */

static gboolean
open_config(struct ctl *ctl)
{
	g_autoptr(GError) error = NULL;

	ctl->config = config_load(ctl->config_path, &error);
	if (ctl->config == NULL) {
		report("configuration", error);
		return FALSE;
	}
	return TRUE;
}

static gboolean
open_store(struct ctl *ctl)
{
	g_autoptr(GError) error = NULL;

	if (ctl->config == NULL && !open_config(ctl))
		return FALSE;
	ctl->store = store_open(ctl->config->database, &error);
	if (ctl->store == NULL) {
		report("database", error);
		return FALSE;
	}
	return TRUE;
}

static gboolean
open_templates(struct ctl *ctl)
{
	g_autoptr(GError) error = NULL;

	if (ctl->config == NULL && !open_config(ctl))
		return FALSE;
	ctl->templates = templates_load(
		ctl->config->templates,
		(const char *const *)ctl->config->languages, &error);
	if (ctl->templates == NULL) {
		report("templates", error);
		return FALSE;
	}
	return TRUE;
}

/* Loads the questionnaire the configuration names; without one
 * ctl->questionnaire stays NULL and the command goes on. */
static gboolean
open_questionnaire(struct ctl *ctl)
{
	g_autoptr(GError) error = NULL;

	if (ctl->config == NULL && !open_config(ctl))
		return FALSE;
	if (ctl->config->questionnaire == NULL)
		return TRUE;
	ctl->questionnaire = questionnaire_load(
		ctl->config->questionnaire,
		(const char *const *)ctl->config->languages, &error);
	if (ctl->questionnaire == NULL) {
		report("questionnaire", error);
		return FALSE;
	}
	return TRUE;
}

/* Loads providers.conf when the configuration names one (after the
 * questionnaire, whose need values it is checked against). */
static gboolean
open_providers(struct ctl *ctl)
{
	g_autoptr(GError) error = NULL;

	if (ctl->config == NULL && !open_config(ctl))
		return FALSE;
	if (ctl->config->providers == NULL)
		return TRUE;
	if (ctl->questionnaire == NULL && !open_questionnaire(ctl))
		return FALSE;
	ctl->providers = providers_load_for(ctl->config->providers,
					    ctl->questionnaire, &error);
	if (ctl->providers == NULL) {
		report("providers", error);
		return FALSE;
	}
	return TRUE;
}

/* Opens the CERT's GnuPG home when the configuration turns OpenPGP on;
 * a configured key that does not work is an error, so that nothing is
 * processed or answered as if OpenPGP were off. */
static gboolean
open_crypto(struct ctl *ctl)
{
	g_autoptr(GError) error = NULL;

	if (ctl->config == NULL && !open_config(ctl))
		return FALSE;
	if (!ctl->config->crypto.enabled)
		return TRUE;
	/* GPGME talks to gpg over pipes: a gpg that exits early must give
	 * EPIPE, not kill us (main() restored SIGPIPE for listings). */
	signal(SIGPIPE, SIG_IGN);
	ctl->crypto = crypto_new(ctl->config, &error);
	if (ctl->crypto == NULL) {
		report("OpenPGP", error);
		return FALSE;
	}
	return TRUE;
}

/* The intake pipeline over what ctl opened. */
static struct pipeline
ctl_pipeline(const struct ctl *ctl)
{
	struct pipeline pipeline = {
		.store = ctl->store,
		.config = ctl->config,
		.templates = ctl->templates,
		.questionnaire = ctl->questionnaire,
		.crypto = ctl->crypto,
		.providers = ctl->providers,
	};
	return pipeline;
}

/* Opens everything an intake step or a staff action that mails needs. */
static gboolean
open_pipeline(struct ctl *ctl)
{
	return open_store(ctl) && open_templates(ctl) &&
	       open_questionnaire(ctl) && open_providers(ctl) &&
	       open_crypto(ctl);
}

/* Parses a command's options; argv[0] is the command name.  FALSE on a
 * usage error (already reported). */
static gboolean
parse_options(const char *command, const GOptionEntry *entries, int *argc,
	      char ***argv)
{
	g_autoptr(GOptionContext) context = g_option_context_new(NULL);
	g_autoptr(GError) error = NULL;

	g_option_context_add_main_entries(context, entries, NULL);
	if (!g_option_context_parse(context, argc, argv, &error)) {
		usage_error("%s: %s", command, error->message);
		return FALSE;
	}
	return TRUE;
}

/* ---- import ----------------------------------------------------------- */

struct import_stats {
	guint messages;
	guint imported;
	guint new_cases;
	guint skipped;
	guint failed; /* messages or whole paths that could not be read */
};

/* Imports one message; ref names it in output and in the database. */
static void
import_message(struct ctl *ctl, const guint8 *raw, gsize len, const char *ref,
	       struct import_stats *stats)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StoreMessage) message = NULL;
	g_autofree char *shown = printable(ref);
	gint64 max = ctl->config->limits.max_message_bytes;
	gint64 id;

	stats->messages++;
	if (len == 0) {
		fprintf(stderr, "intakectl: %s: empty message; skipped\n",
			shown);
		stats->skipped++;
		return;
	}
	if (len > (guint64)max) {
		fprintf(stderr,
			"intakectl: %s: %" G_GSIZE_FORMAT " bytes is over "
			"limits.max_message_bytes (%" G_GINT64_FORMAT
			"); skipped\n",
			shown, len, max);
		stats->skipped++;
		return;
	}
	struct pipeline pipeline = ctl_pipeline(ctl);
	id = intake_import(&pipeline, raw, len, ref, &error);
	if (id == 0) {
		report(shown, error);
		stats->failed++;
		return;
	}
	stats->imported++;
	printf("imported %s msg=%" G_GINT64_FORMAT, shown, id);
	message = store_message_get(ctl->store, id, &error);
	if (message == NULL) {
		printf("\n");
		fflush(stdout);
		report(shown, error);
		return;
	}
	{
		g_autofree char *kind = printable(message->kind);
		g_autofree char *state = printable(message->state);

		printf(" case=%s kind=%s",
		       message->case_id != NULL ? message->case_id : "-",
		       message->kind != NULL ? kind : "-");
		if (g_strcmp0(message->state, "processed") != 0) {
			g_autofree char *why = printable(message->error);

			printf(" state=%s error=\"%s\"", state, why);
		}
		printf("\n");
	}
	if (g_strcmp0(message->kind, "report") == 0 && message->case_id != NULL)
		stats->new_cases++;
}

/* Reads a whole single-message file, refusing before reading when it is
 * over the limit. */
static void
import_file(struct ctl *ctl, const char *path, gint64 size,
	    struct import_stats *stats)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *data = NULL;
	gsize len = 0;

	if (size > ctl->config->limits.max_message_bytes) {
		/* import_message() reports it without reading 1 GB. */
		import_message(ctl, NULL, (gsize)size, path, stats);
		return;
	}
	if (!g_file_get_contents(path, &data, &len, &error)) {
		stats->failed++;
		report("import", error);
		return;
	}
	import_message(ctl, (const guint8 *)data, len, path, stats);
}

/* An mbox: messages each begin with a "From " line.  Split on lines
 * starting with "From " ourselves.  Writers add a blank line before each
 * separator; it is not part of the message and is dropped.  ">From "
 * quoting is left alone: an mboxo file (one level of quoting, not
 * reversible) cannot be told from an mboxrd one, and a stray '>' in a
 * body line is harmless, while removing one that was there is not. */
static void
import_mbox(struct ctl *ctl, const char *path, struct import_stats *stats)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GMappedFile) map = g_mapped_file_new(path, FALSE, &error);
	const char *data, *end, *p;
	guint n = 0;

	if (map == NULL) {
		stats->failed++;
		report("import", error);
		return;
	}
	data = g_mapped_file_get_contents(map);
	end = data + g_mapped_file_get_length(map);
	p = data;
	while (p != NULL && p < end) {
		/* p is at a "From " line */
		const char *start = memchr(p, '\n', (gsize)(end - p));
		const char *separator, *stop;
		g_autofree char *ref = NULL;

		if (start == NULL)
			break; /* a final "From " line without a message */
		start++;
		separator = g_strstr_len(start, end - start, "\nFrom ");
		stop = separator != NULL ? separator + 1 : end;
		if (stop - start >= 2 && stop[-1] == '\n' && stop[-2] == '\n')
			stop--;
		else if (stop - start >= 4 &&
			 memcmp(stop - 4, "\r\n\r\n", 4) == 0)
			stop -= 2;
		ref = g_strdup_printf("%s#%u", path, ++n);
		import_message(ctl, (const guint8 *)start,
			       (gsize)(stop - start), ref, stats);
		p = separator != NULL ? separator + 1 : NULL;
	}
}

static int
compare_names(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A Maildir: every regular file in new/, then cur/, by name.  tmp/ holds
 * deliveries in progress and dot files are not mail. */
static void
import_maildir(struct ctl *ctl, const char *path, struct import_stats *stats)
{
	static const char *const subdirs[] = {"new", "cur"};

	for (gsize s = 0; s < G_N_ELEMENTS(subdirs); s++) {
		g_autofree char *dir_path =
			g_build_filename(path, subdirs[s], NULL);
		g_autoptr(GPtrArray) names =
			g_ptr_array_new_with_free_func(g_free);
		g_autoptr(GError) error = NULL;
		GDir *dir;
		const char *name;

		if (!g_file_test(dir_path, G_FILE_TEST_IS_DIR))
			continue;
		dir = g_dir_open(dir_path, 0, &error);
		if (dir == NULL) {
			stats->failed++;
			report("import", error);
			continue;
		}
		while ((name = g_dir_read_name(dir)) != NULL)
			if (name[0] != '.')
				g_ptr_array_add(names, g_strdup(name));
		g_dir_close(dir);
		g_ptr_array_sort(names, compare_names);
		for (guint i = 0; i < names->len; i++) {
			g_autofree char *file = g_build_filename(
				dir_path, names->pdata[i], NULL);
			struct stat st;

			if (stat(file, &st) != 0 || !S_ISREG(st.st_mode))
				continue;
			import_file(ctl, file, (gint64)st.st_size, stats);
		}
	}
}

static gboolean
is_maildir(const char *path)
{
	g_autofree char *cur = g_build_filename(path, "cur", NULL);
	g_autofree char *new_dir = g_build_filename(path, "new", NULL);

	return g_file_test(cur, G_FILE_TEST_IS_DIR) ||
	       g_file_test(new_dir, G_FILE_TEST_IS_DIR);
}

/* TRUE when the file at path begins with an mbox "From " line. */
static gboolean
starts_with_from_line(const char *path)
{
	char head[5];
	FILE *f = fopen(path, "rb");
	gboolean mbox;

	if (f == NULL)
		return FALSE; /* import_file() reports why */
	mbox = fread(head, 1, sizeof(head), f) == sizeof(head) &&
	       memcmp(head, "From ", 5) == 0;
	fclose(f);
	return mbox;
}

static void
import_path(struct ctl *ctl, const char *path, struct import_stats *stats)
{
	struct stat st;

	if (stat(path, &st) != 0) {
		fprintf(stderr, "intakectl: %s: %s\n", path, g_strerror(errno));
		stats->failed++;
	} else if (S_ISDIR(st.st_mode)) {
		if (is_maildir(path)) {
			import_maildir(ctl, path, stats);
		} else {
			fprintf(stderr,
				"intakectl: %s: a directory but not a Maildir "
				"(no cur/ or new/)\n",
				path);
			stats->failed++;
		}
	} else if (!S_ISREG(st.st_mode)) {
		fprintf(stderr, "intakectl: %s: not a file or a Maildir\n",
			path);
		stats->failed++;
	} else if (starts_with_from_line(path)) {
		import_mbox(ctl, path, stats);
	} else {
		import_file(ctl, path, (gint64)st.st_size, stats);
	}
}

static int
cmd_import(struct ctl *ctl, int argc, char **argv)
{
	GOptionEntry entries[] = {G_OPTION_ENTRY_NULL};
	struct import_stats stats = {0};

	if (!parse_options("import", entries, &argc, &argv))
		return EXIT_USAGE;
	if (argc < 2)
		return usage_error("import: FILE, MAILDIR or MBOX expected");
	if (!open_pipeline(ctl))
		return EXIT_FAILED;
	for (int i = 1; i < argc; i++)
		import_path(ctl, argv[i], &stats);
	printf("import: %u messages, %u imported, %u new cases, %u skipped, "
	       "%u errors\n",
	       stats.messages, stats.imported, stats.new_cases, stats.skipped,
	       stats.failed);
	return stats.skipped + stats.failed == 0 ? EXIT_OK : EXIT_FAILED;
}

/* ---- cases ------------------------------------------------------------ */

/* Widest printable(value) among the cases, at least the heading's. */
static guint
column_width(GPtrArray *cases, gsize offset, const char *heading, guint max)
{
	guint width = text_width(heading);

	for (guint i = 0; i < cases->len; i++) {
		const char *value =
			*(char **)((char *)cases->pdata[i] + offset);
		g_autofree char *clean = printable(value);

		width = MAX(width, text_width(clean));
	}
	return MIN(width, max);
}

static char *
requester_text(const struct store_case *c)
{
	if (c->requester_name != NULL && c->requester_name[0] != '\0')
		return g_strdup_printf("%s <%s>", c->requester_name,
				       c->requester_addr);
	return g_strdup(c->requester_addr);
}

/* case id -> priority now (qualify_case()), as GINT_TO_POINTER. */
static GHashTable *
case_priorities(struct ctl *ctl, GPtrArray *cases, GError **error)
{
	struct pipeline pipeline = ctl_pipeline(ctl);
	gint64 now = g_get_real_time() / G_USEC_PER_SEC;
	GHashTable *priorities = g_hash_table_new(g_str_hash, g_str_equal);

	for (guint i = 0; i < cases->len; i++) {
		const struct store_case *c = cases->pdata[i];
		int priority = support_priority(&pipeline, c, now, error);

		if (priority < 0) {
			g_hash_table_unref(priorities);
			return NULL;
		}
		g_hash_table_insert(priorities, c->id,
				    GINT_TO_POINTER(priority));
	}
	return priorities;
}

/* Highest priority first; equal ones newest first, as listed. */
static int
compare_priority(gconstpointer a, gconstpointer b, gpointer data)
{
	const struct store_case *ca = *(const struct store_case *const *)a;
	const struct store_case *cb = *(const struct store_case *const *)b;
	int pa = GPOINTER_TO_INT(g_hash_table_lookup(data, ca->id));
	int pb = GPOINTER_TO_INT(g_hash_table_lookup(data, cb->id));

	if (pa != pb)
		return pa > pb ? -1 : 1;
	return ca->created_at > cb->created_at	 ? -1
	       : ca->created_at < cb->created_at ? 1
						 : 0;
}

static int
cmd_cases(struct ctl *ctl, int argc, char **argv)
{
	g_autofree char *state = NULL;
	gboolean json = FALSE, by_priority = FALSE;
	GOptionEntry entries[] = {
		{"state", 's', 0, G_OPTION_ARG_STRING, &state,
		 "only cases in state S", "S"},
		{"by-priority", 'p', 0, G_OPTION_ARG_NONE, &by_priority,
		 "highest priority first", NULL},
		{"json", 0, 0, G_OPTION_ARG_NONE, &json, "print JSON", NULL},
		G_OPTION_ENTRY_NULL,
	};
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) cases = NULL;
	g_autoptr(GHashTable) priorities = NULL;
	guint id_w, state_w, lang_w, requester_w, subject_w, used, remain;

	if (!parse_options("cases", entries, &argc, &argv))
		return EXIT_USAGE;
	if (argc > 1)
		return usage_error("cases: unexpected argument \"%s\"",
				   argv[1]);
	if (!open_store(ctl))
		return EXIT_FAILED;
	cases = store_case_list(ctl->store, state, &error);
	if (cases == NULL) {
		report("cases", error);
		return EXIT_FAILED;
	}

	if (!open_providers(ctl))
		return EXIT_FAILED;
	priorities = case_priorities(ctl, cases, &error);
	if (priorities == NULL) {
		report("cases", error);
		return EXIT_FAILED;
	}
	if (by_priority)
		g_ptr_array_sort_with_data(cases, compare_priority, priorities);
	if (json) {
		g_autoptr(JsonBuilder) builder = json_builder_new();

		json_builder_begin_array(builder);
		for (guint i = 0; i < cases->len; i++) {
			const struct store_case *c = cases->pdata[i];
			g_autoptr(GPtrArray) fields =
				store_case_fields(ctl->store, c->id, &error);

			if (fields == NULL) {
				report(c->id, error);
				return EXIT_FAILED;
			}
			export_json_case_listed(
				builder, c, fields,
				GPOINTER_TO_INT(g_hash_table_lookup(priorities,
								    c->id)));
		}
		json_builder_end_array(builder);
		return print_json(builder);
	}

	id_w = column_width(cases, G_STRUCT_OFFSET(struct store_case, id), "ID",
			    16);
	state_w = column_width(cases, G_STRUCT_OFFSET(struct store_case, state),
			       "STATE", 17);
	lang_w = column_width(
		cases, G_STRUCT_OFFSET(struct store_case, language), "LANG", 5);
	/* The address alone: the name is in `case show`, and a table
	 * column is too narrow for both. */
	requester_w = column_width(
		cases, G_STRUCT_OFFSET(struct store_case, requester_addr),
		"REQUESTER", 40);
	/* The subject tells cases apart best: when the line is too short for
	 * both, the requester gives up room first, down to two fifths. */
	used = id_w + state_w + 4 + lang_w + 16 + 6 * 2;
	remain = terminal_width() > used + 20 ? terminal_width() - used : 20;
	if (requester_w + 10 > remain || remain - requester_w < 30)
		requester_w = MIN(requester_w, MAX(12, remain * 2 / 5));
	subject_w = remain - requester_w;

	print_cell("ID", id_w, TRUE);
	print_cell("STATE", state_w, TRUE);
	print_cell("PRIO", 4, TRUE);
	print_cell("LANG", lang_w, TRUE);
	print_cell("UPDATED", 16, TRUE);
	print_cell("REQUESTER", requester_w, TRUE);
	print_cell("SUBJECT", subject_w, FALSE);
	putchar('\n');
	for (guint i = 0; i < cases->len; i++) {
		const struct store_case *c = cases->pdata[i];
		g_autofree char *updated = short_time(c->updated_at);

		print_cell(c->id, id_w, TRUE);
		g_autofree char *prio = g_strdup_printf(
			"%d", GPOINTER_TO_INT(
				      g_hash_table_lookup(priorities, c->id)));

		print_cell(c->state, state_w, TRUE);
		print_cell(prio, 4, TRUE);
		print_cell(c->language, lang_w, TRUE);
		print_cell(updated, 16, TRUE);
		print_cell(c->requester_addr, requester_w, TRUE);
		print_cell(c->subject, subject_w, FALSE);
		putchar('\n');
	}
	return EXIT_OK;
}

/* ---- case show -------------------------------------------------------- */

/* One line of the text timeline; sorted by time, stable, so lines of the
 * same second keep the order they were added in: the events' order. */
struct timeline_line {
	gint64 at;
	char *text;
};

static void
timeline_line_free(gpointer data)
{
	struct timeline_line *line = data;

	g_free(line->text);
	g_free(line);
}

static int
compare_lines(gconstpointer a, gconstpointer b)
{
	const struct timeline_line *x = *(const struct timeline_line *const *)a;
	const struct timeline_line *y = *(const struct timeline_line *const *)b;

	return (x->at > y->at) - (x->at < y->at);
}

static void
timeline_add(GPtrArray *lines, gint64 at, char *text)
{
	struct timeline_line *line = g_new(struct timeline_line, 1);

	line->at = at;
	line->text = text;
	g_ptr_array_add(lines, line);
}

static const struct store_message *
find_message(GPtrArray *messages, gint64 id)
{
	for (guint i = 0; id != 0 && i < messages->len; i++)
		if (((struct store_message *)messages->pdata[i])->id == id)
			return messages->pdata[i];
	return NULL;
}

static const struct store_outbox *
find_outbox(GPtrArray *outbox, gint64 id)
{
	for (guint i = 0; id != 0 && i < outbox->len; i++)
		if (((struct store_outbox *)outbox->pdata[i])->id == id)
			return outbox->pdata[i];
	return NULL;
}

/* " (detail)" or "", without the kind it repeats ("reply (threaded by
 * tag)" for a reply).  Caller frees. */
static char *
detail_suffix(const char *detail, const char *kind)
{
	g_autofree char *clean = NULL;

	if (detail != NULL && kind != NULL && g_str_has_prefix(detail, kind))
		detail += strlen(kind);
	while (detail != NULL && *detail == ' ')
		detail++;
	if (detail == NULL || detail[0] == '\0')
		return g_strdup("");
	clean = printable(detail);
	if (clean[0] == '(')
		return g_strdup_printf(" %s", clean);
	return g_strdup_printf(" (%s)", clean);
}

/* " [crypto: encrypted, decrypted; signature valid by FPR, pinned key]"
 * from a message's crypto summary, "" when it has none.  Caller frees. */
static char *
crypto_suffix(const char *crypto_json)
{
	g_autoptr(JsonNode) node = NULL;
	g_autoptr(GString) text = NULL;
	g_autofree char *clean = NULL;
	JsonObject *o;
	const char *signature, *signer, *pinned, *why;

	if (crypto_json == NULL ||
	    (node = json_from_string(crypto_json, NULL)) == NULL ||
	    !JSON_NODE_HOLDS_OBJECT(node))
		return g_strdup("");
	o = json_node_get_object(node);
	text = g_string_new(" [crypto: ");
	why = json_object_get_string_member_with_default(o, "decrypt_error",
							 NULL);
	if (!json_object_get_boolean_member_with_default(o, "encrypted", FALSE))
		g_string_append(text, "not encrypted");
	else if (json_object_get_boolean_member_with_default(o, "decrypted",
							     FALSE))
		g_string_append(text, "encrypted, decrypted");
	else
		g_string_append_printf(text, "encrypted, NOT decrypted (%s)",
				       why != NULL ? why : "failed");
	signature = json_object_get_string_member_with_default(o, "signature",
							       "none");
	signer = json_object_get_string_member_with_default(o, "signer", NULL);
	pinned = json_object_get_string_member_with_default(o, "signer_pinned",
							    "unknown");
	if (g_strcmp0(signature, "none") == 0)
		g_string_append(text, "; unsigned");
	else
		g_string_append_printf(
			text, "; signature %s%s%s, %s", signature,
			signer != NULL ? " by " : "",
			signer != NULL ? signer : "",
			g_strcmp0(pinned, "yes") == 0  ? "pinned key"
			: g_strcmp0(pinned, "no") == 0 ? "NOT the pinned key"
						       : "no key pinned");
	if (json_object_get_boolean_member_with_default(o, "protected_subject",
							FALSE))
		g_string_append(text, "; protected subject");
	g_string_append_c(text, ']');
	clean = printable(text->str);
	return g_steal_pointer(&clean);
}

static char *
message_line(const struct store_message *m, const char *detail)
{
	g_autofree char *from = printable(m->from_addr);
	g_autofree char *subject = printable(m->subject);
	g_autofree char *kind = printable(m->kind);
	g_autofree char *suffix = detail_suffix(detail, m->kind);
	g_autofree char *crypto = crypto_suffix(m->crypto);
	g_autofree char *state = NULL;

	/* processed is the normal end; say so only when it is not */
	if (g_strcmp0(m->state, "processed") != 0) {
		g_autofree char *clean = printable(m->state);

		state = g_strdup_printf(" [%s]", clean);
	}
	return g_strdup_printf("in     msg=%" G_GINT64_FORMAT
			       " %s%s from %s \"%s\"%s%s",
			       m->id, kind, state != NULL ? state : "", from,
			       subject, suffix, crypto);
}

static char *
outbox_line(const struct store_outbox *o)
{
	g_autofree char *to = printable(o->rcpt_to);
	g_autofree char *subject = printable(o->subject);
	g_autofree char *kind = printable(o->kind);
	g_autofree char *state = printable(o->state);

	return g_strdup_printf("out    outbox=%" G_GINT64_FORMAT
			       " %s [%s] to %s \"%s\"",
			       o->id, kind, state, to, subject);
}

static char *
event_line(const struct store_event *e)
{
	g_autofree char *type = printable(e->type);
	GString *text = g_string_new("event  ");

	g_string_append(text, type);
	if (e->message != 0)
		g_string_append_printf(text, " msg=%" G_GINT64_FORMAT,
				       e->message);
	if (e->outbox != 0)
		g_string_append_printf(text, " outbox=%" G_GINT64_FORMAT,
				       e->outbox);
	if (e->detail != NULL) {
		g_autofree char *detail = printable(e->detail);

		g_string_append_printf(text, ": %s", detail);
	}
	return g_string_free(text, FALSE);
}

/* The questions each round asked, and what is still missing. */
static void
print_conversation(const GPtrArray *rounds, const char *const *missing)
{
	printf("\nQuestions\n");
	if (rounds->len == 0)
		printf("  (none asked)\n");
	for (guint i = 0; i < rounds->len; i++) {
		const struct store_round *r = rounds->pdata[i];
		g_autofree char *when = long_time(r->asked_at);
		g_autofree char *kind = printable(r->kind);

		printf("  round %d: %s outbox=%" G_GINT64_FORMAT " %s\n",
		       r->round, kind, r->outbox, when);
		for (guint j = 0; j < r->questions->len; j++) {
			const struct store_question *q = r->questions->pdata[j];
			g_autofree char *field = printable(q->field);

			printf("    %d. %s%s\n", q->number, field,
			       q->required ? " (required)" : "");
		}
	}
	if (missing != NULL && missing[0] != NULL) {
		g_autofree char *list = g_strjoinv(", ", (char **)missing);
		g_autofree char *shown = printable(list);

		printf("  missing: %s\n", shown);
	}
}

static void
print_case(const struct store_case *c, GPtrArray *fields, GPtrArray *messages,
	   GPtrArray *outbox, GPtrArray *events)
{
	g_autoptr(GPtrArray) lines =
		g_ptr_array_new_with_free_func(timeline_line_free);
	g_autoptr(GHashTable) shown_in = g_hash_table_new(NULL, NULL);
	g_autoptr(GHashTable) shown_out = g_hash_table_new(NULL, NULL);
	g_autofree char *requester = requester_text(c);
	g_autofree char *p_requester = printable(requester);
	g_autofree char *p_subject = printable(c->subject);
	g_autofree char *p_state = printable(c->state);
	g_autofree char *p_lang = printable(c->language);
	g_autofree char *created = long_time(c->created_at);
	g_autofree char *updated = long_time(c->updated_at);

	printf("Case       %s\n", c->id);
	printf("State      %s\n", p_state);
	printf("Language   %s\n", p_lang);
	printf("Requester  %s\n", p_requester);
	printf("Subject    %s\n", p_subject);
	printf("Created    %s\n", created);
	printf("Updated    %s\n", updated);

	printf("\nFields\n");
	if (fields->len == 0)
		printf("  (none)\n");
	for (guint i = 0; i < fields->len; i++) {
		const struct store_field *f = fields->pdata[i];
		g_autofree char *name = printable(f->field);
		g_autofree char *value = printable(f->value);
		g_autofree char *source = printable(f->source);
		g_autofree char *excerpt = printable(f->excerpt);
		g_autofree char *when = long_time(f->updated_at);

		printf("  %s: %s\n    source=%s confidence=%.2f", name, value,
		       source, f->confidence);
		if (f->message != 0)
			printf(" msg=%" G_GINT64_FORMAT, f->message);
		printf(" updated=%s\n", when);
		if (f->excerpt != NULL)
			printf("    \"%s\"\n", excerpt);
	}

	/* Events are the backbone: a message_in or message_out event shows
	 * the mail it is about.  Mail no event mentions (duplicates, say)
	 * is added after them and sorted in by time. */
	for (guint i = 0; i < events->len; i++) {
		const struct store_event *e = events->pdata[i];
		const struct store_message *m = NULL;
		const struct store_outbox *o = NULL;

		if (g_strcmp0(e->type, "message_in") == 0 &&
		    (m = find_message(messages, e->message)) != NULL) {
			g_hash_table_add(shown_in, (gpointer)m);
			timeline_add(lines, e->at, message_line(m, e->detail));
		} else if (g_strcmp0(e->type, "message_out") == 0 &&
			   (o = find_outbox(outbox, e->outbox)) != NULL) {
			g_hash_table_add(shown_out, (gpointer)o);
			timeline_add(lines, e->at, outbox_line(o));
		} else {
			timeline_add(lines, e->at, event_line(e));
		}
	}
	for (guint i = 0; i < messages->len; i++)
		if (!g_hash_table_contains(shown_in, messages->pdata[i]))
			timeline_add(
				lines,
				((struct store_message *)messages->pdata[i])
					->received_at,
				message_line(messages->pdata[i], NULL));
	for (guint i = 0; i < outbox->len; i++)
		if (!g_hash_table_contains(shown_out, outbox->pdata[i]))
			timeline_add(lines,
				     ((struct store_outbox *)outbox->pdata[i])
					     ->created_at,
				     outbox_line(outbox->pdata[i]));
	g_ptr_array_sort(lines, compare_lines);

	printf("\nTimeline\n");
	for (guint i = 0; i < lines->len; i++) {
		const struct timeline_line *line = lines->pdata[i];
		g_autofree char *when = long_time(line->at);

		printf("  %s  %s\n", when, line->text);
	}
}

/* Who corrects a field, for the timeline: the login behind sudo if any. */
static const char *
staff_name(void)
{
	const char *name = g_getenv("SUDO_USER");

	if (name == NULL || name[0] == '\0')
		name = g_get_user_name();
	return name;
}

/* Normalises value through the questionnaire when one is configured, so
 * staff values have the same form as parsed ones; an unknown field or an
 * invalid value is refused.  Without a questionnaire the value is kept as
 * typed.  Returns the value to store (caller frees) or NULL with error. */
static char *
staff_value(struct ctl *ctl, const char *field, const char *value,
	    GPtrArray *fields, GError **error)
{
	g_autoptr(GHashTable) known = NULL;
	struct questionnaire *q;
	char *normalised = NULL;

	if (ctl->config->questionnaire == NULL)
		return g_strdup(value);
	q = questionnaire_load(ctl->config->questionnaire,
			       (const char *const *)ctl->config->languages,
			       error);
	if (q == NULL)
		return NULL;
	if (questionnaire_field(q, field) == NULL) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
			    "field %s is not in %s", field,
			    ctl->config->questionnaire);
		questionnaire_unref(&q);
		return NULL;
	}
	known = g_hash_table_new(g_str_hash, g_str_equal);
	for (guint i = 0; i < fields->len; i++) {
		struct store_field *f = fields->pdata[i];

		g_hash_table_insert(known, f->field, f->value);
	}
	if (!questionnaire_validate_value_in(q, field, value, known,
					     &normalised, error))
		normalised = NULL;
	questionnaire_unref(&q);
	return normalised;
}

/* case set ID FIELD VALUE: a staff correction.  A staff value is never
 * overwritten by the parser; the old value stays on the timeline. */
static int
cmd_case_set(struct ctl *ctl, int argc, char **argv)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StoreCase) c = NULL;
	g_autoptr(GPtrArray) fields = NULL;
	g_autofree char *value = NULL;
	g_autofree char *detail = NULL;
	const char *id, *field, *old = NULL;

	if (argc != 5)
		return usage_error("case set: ID FIELD VALUE expected");
	id = argv[2];
	field = argv[3];
	if (!open_store(ctl))
		return EXIT_FAILED;
	if ((c = store_case_get(ctl->store, id, &error)) == NULL ||
	    (fields = store_case_fields(ctl->store, id, &error)) == NULL) {
		report("case set", error);
		return EXIT_FAILED;
	}
	value = staff_value(ctl, field, argv[4], fields, &error);
	if (value == NULL) {
		report("case set", error);
		return EXIT_FAILED;
	}
	for (guint i = 0; i < fields->len; i++) {
		struct store_field *f = fields->pdata[i];

		if (strcmp(f->field, field) == 0)
			old = f->value;
	}
	detail = g_strdup_printf("%s set to \"%s\" by %s (was %s%s%s)", field,
				 value, staff_name(), old != NULL ? "\"" : "",
				 old != NULL ? old : "unset",
				 old != NULL ? "\"" : "");
	struct store_field f = {
		.field = (char *)field,
		.value = value,
		.source = (char *)"staff",
		.confidence = 1.0,
	};
	if (!store_begin(ctl->store, &error) ||
	    !store_case_set_field(ctl->store, id, &f, &error) ||
	    !store_event_add(ctl->store, id, "field_set", 0, 0, detail,
			     &error) ||
	    !store_case_touch(ctl->store, id,
			      g_get_real_time() / G_USEC_PER_SEC, &error) ||
	    !store_commit(ctl->store, &error)) {
		store_rollback(ctl->store);
		report("case set", error);
		return EXIT_FAILED;
	}
	printf("case %s: %s\n", id, detail);
	return EXIT_OK;
}

/* The required fields of c still without an answer (empty without a
 * questionnaire).  Caller frees with g_strfreev. */
static char **
missing_fields(const struct ctl *ctl, const struct store_case *c,
	       const GPtrArray *fields)
{
	g_autoptr(GHashTable) known = conversation_known(fields);
	g_autoptr(GPtrArray) questions = conversation_questions(
		ctl->questionnaire, known, c->language, TRUE);
	GPtrArray *ids = g_ptr_array_new();

	for (guint i = 0; i < questions->len; i++)
		g_ptr_array_add(
			ids,
			g_strdup(((struct store_question *)questions->pdata[i])
					 ->field));
	g_ptr_array_add(ids, NULL);
	return (char **)g_ptr_array_free(ids, FALSE);
}

/* What `case show` prints of the support half, owned. */
struct support_view {
	struct store_qualification *qualification;
	struct store_consent *consent;
	GPtrArray *introductions;
	struct export_json_support json; /* borrows the above */
};

static void
support_view_clear(struct support_view *v)
{
	store_qualification_free(v->qualification);
	store_consent_free(v->consent);
	if (v->introductions != NULL)
		g_ptr_array_unref(v->introductions);
	*v = (struct support_view){0};
}

static gboolean
load_support(struct ctl *ctl, const struct store_case *c,
	     struct support_view *v, GError **error)
{
	struct pipeline pipeline = ctl_pipeline(ctl);
	int priority;

	v->qualification = store_qualification_get(ctl->store, c->id, error);
	if (v->qualification == NULL && *error != NULL)
		return FALSE;
	v->consent = store_consent_get(ctl->store, c->id, error);
	if (v->consent == NULL && *error != NULL)
		return FALSE;
	v->introductions = store_case_introductions(ctl->store, c->id, error);
	if (v->introductions == NULL)
		return FALSE;
	priority = support_priority(&pipeline, c,
				    g_get_real_time() / G_USEC_PER_SEC, error);
	if (priority < 0)
		return FALSE;
	v->json = (struct export_json_support){
		.qualification = v->qualification,
		.consent = v->consent,
		.introductions = v->introductions,
		.priority = priority,
	};
	return TRUE;
}

/* case qualify ID incident|support: staff decide; support sends the
 * consent request (the daemon mails it). */
static int
cmd_case_qualify(struct ctl *ctl, int argc, char **argv)
{
	g_autoptr(GError) error = NULL;
	enum qualify_decision decision;
	struct pipeline pipeline;

	if (argc != 4 || !qualify_decision_parse(argv[3], &decision) ||
	    decision == QUALIFY_UNDECIDED)
		return usage_error("case qualify: ID and \"incident\" or "
				   "\"support\" expected");
	if (!open_pipeline(ctl))
		return EXIT_FAILED;
	pipeline = ctl_pipeline(ctl);
	if (!support_qualify_by_staff(&pipeline, argv[2], decision,
				      staff_name(), NULL, &error)) {
		report("case qualify", error);
		return EXIT_FAILED;
	}
	printf("case %s qualified as %s by %s\n", argv[2],
	       qualify_decision_name(decision), staff_name());
	return EXIT_OK;
}

static int
cmd_case(struct ctl *ctl, int argc, char **argv)
{
	gboolean json = FALSE;
	GOptionEntry entries[] = {
		{"json", 0, 0, G_OPTION_ARG_NONE, &json, "print JSON", NULL},
		G_OPTION_ENTRY_NULL,
	};
	g_autoptr(GError) error = NULL;
	g_autoptr(StoreCase) c = NULL;
	g_autoptr(GPtrArray) fields = NULL;
	g_autoptr(GPtrArray) messages = NULL;
	g_autoptr(GPtrArray) outbox = NULL;
	g_autoptr(GPtrArray) events = NULL;
	g_autoptr(GPtrArray) rounds = NULL;
	g_auto(GStrv) missing = NULL;
	struct support_view support = {0};
	const char *id;

	if (!parse_options("case", entries, &argc, &argv))
		return EXIT_USAGE;
	if (argc >= 2 && strcmp(argv[1], "set") == 0)
		return cmd_case_set(ctl, argc, argv);
	if (argc >= 2 && strcmp(argv[1], "qualify") == 0)
		return cmd_case_qualify(ctl, argc, argv);
	if (argc < 2 || strcmp(argv[1], "show") != 0)
		return usage_error("case: expected \"case show ID\", "
				   "\"case set ID FIELD VALUE\" or \"case "
				   "qualify ID incident|support\"");
	if (argc != 3)
		return usage_error("case show: one case ID expected");
	id = argv[2];
	if (!open_store(ctl))
		return EXIT_FAILED;
	if ((c = store_case_get(ctl->store, id, &error)) == NULL ||
	    (fields = store_case_fields(ctl->store, id, &error)) == NULL ||
	    (messages = store_case_messages(ctl->store, id, &error)) == NULL ||
	    (outbox = store_case_outbox(ctl->store, id, &error)) == NULL ||
	    (events = store_case_events(ctl->store, id, &error)) == NULL ||
	    (rounds = store_case_rounds(ctl->store, id, &error)) == NULL) {
		report("case show", error);
		return EXIT_FAILED;
	}
	if (!open_questionnaire(ctl) || !open_providers(ctl))
		return EXIT_FAILED;
	missing = missing_fields(ctl, c, fields);
	if (!load_support(ctl, c, &support, &error)) {
		report("case show", error);
		support_view_clear(&support);
		return EXIT_FAILED;
	}
	if (json) {
		g_autoptr(JsonBuilder) builder = json_builder_new();

		export_json_case_conversation(
			builder, c, fields, messages, outbox, events, rounds,
			(const char *const *)missing, &support.json);
		support_view_clear(&support);
		return print_json(builder);
	}
	print_case(c, fields, messages, outbox, events);
	print_conversation(rounds, (const char *const *)missing);
	intakectl_support_print(stdout, &support.json);
	support_view_clear(&support);
	return EXIT_OK;
}

/* ---- outbox ----------------------------------------------------------- */

static void
print_outbox(GPtrArray *entries)
{
	guint width = terminal_width();
	guint id_w = 2, case_w, kind_w, state_w, to_w, subject_w, used, remain;

	for (guint i = 0; i < entries->len; i++) {
		const struct store_outbox *o = entries->pdata[i];
		g_autofree char *id =
			g_strdup_printf("%" G_GINT64_FORMAT, o->id);

		id_w = MAX(id_w, (guint)strlen(id));
	}
	case_w = column_width(entries,
			      G_STRUCT_OFFSET(struct store_outbox, case_id),
			      "CASE", 16);
	kind_w = column_width(entries,
			      G_STRUCT_OFFSET(struct store_outbox, kind),
			      "KIND", 20);
	state_w = column_width(entries,
			       G_STRUCT_OFFSET(struct store_outbox, state),
			       "STATE", 10);
	to_w = column_width(entries,
			    G_STRUCT_OFFSET(struct store_outbox, rcpt_to), "TO",
			    40);
	used = id_w + case_w + kind_w + state_w + 3 + 16 + 7 * 2;
	remain = width > used + 20 ? width - used : 20;
	if (to_w + 10 > remain || remain - to_w < 30)
		to_w = MIN(to_w, MAX(12, remain * 2 / 5));
	subject_w = remain - to_w;

	print_cell("ID", id_w, TRUE);
	print_cell("CASE", case_w, TRUE);
	print_cell("KIND", kind_w, TRUE);
	print_cell("STATE", state_w, TRUE);
	print_cell("TRY", 3, TRUE);
	print_cell("NEXT", 16, TRUE);
	print_cell("TO", to_w, TRUE);
	print_cell("SUBJECT", subject_w, FALSE);
	putchar('\n');
	for (guint i = 0; i < entries->len; i++) {
		const struct store_outbox *o = entries->pdata[i];
		g_autofree char *id =
			g_strdup_printf("%" G_GINT64_FORMAT, o->id);
		g_autofree char *tries = g_strdup_printf("%d", o->attempts);
		g_autofree char *next = g_strcmp0(o->state, "queued") == 0
						? short_time(o->next_attempt_at)
						: g_strdup("-");

		print_cell(id, id_w, TRUE);
		print_cell(o->case_id != NULL ? o->case_id : "-", case_w, TRUE);
		print_cell(o->kind, kind_w, TRUE);
		print_cell(o->state, state_w, TRUE);
		print_cell(tries, 3, TRUE);
		print_cell(next, 16, TRUE);
		print_cell(o->rcpt_to, to_w, TRUE);
		print_cell(o->subject, subject_w, FALSE);
		putchar('\n');
		/* The error is why one looks at the outbox: give it a line of
		 * its own rather than a cramped column. */
		if (o->last_error != NULL && o->last_error[0] != '\0') {
			fputs("    last error: ", stdout);
			print_cell(o->last_error, width > 40 ? width - 16 : 24,
				   FALSE);
			putchar('\n');
		}
	}
}

static int
cmd_outbox(struct ctl *ctl, int argc, char **argv)
{
	g_autofree char *state = NULL;
	gboolean json = FALSE;
	GOptionEntry entries[] = {
		{"state", 's', 0, G_OPTION_ARG_STRING, &state,
		 "only entries in state S", "S"},
		{"json", 0, 0, G_OPTION_ARG_NONE, &json, "print JSON", NULL},
		G_OPTION_ENTRY_NULL,
	};
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) entries_list = NULL;

	if (!parse_options("outbox", entries, &argc, &argv))
		return EXIT_USAGE;
	if (argc > 1)
		return usage_error("outbox: unexpected argument \"%s\"",
				   argv[1]);
	if (!open_store(ctl))
		return EXIT_FAILED;
	entries_list = store_outbox_list(ctl->store, state, &error);
	if (entries_list == NULL) {
		report("outbox", error);
		return EXIT_FAILED;
	}
	if (json) {
		g_autoptr(JsonBuilder) builder = json_builder_new();

		json_builder_begin_array(builder);
		for (guint i = 0; i < entries_list->len; i++)
			export_json_outbox(builder, entries_list->pdata[i]);
		json_builder_end_array(builder);
		return print_json(builder);
	}
	print_outbox(entries_list);
	return EXIT_OK;
}

/* ---- template --------------------------------------------------------- */

static int
template_check(struct ctl *ctl)
{
	g_autoptr(GError) error = NULL;
	struct templates *templates;

	if (!open_config(ctl))
		return EXIT_FAILED;
	templates = templates_load(ctl->config->templates,
				   (const char *const *)ctl->config->languages,
				   &error);
	if (templates == NULL) {
		g_auto(GStrv) lines = g_strsplit(error->message, "\n", -1);
		guint n = 0;

		/* Bare "file:line: what" lines, which editors can jump to. */
		for (guint i = 0; lines[i] != NULL; i++)
			if (lines[i][0] != '\0') {
				fprintf(stderr, "%s\n", lines[i]);
				n++;
			}
		fprintf(stderr, "intakectl: template check: %u error%s\n", n,
			n == 1 ? "" : "s");
		return EXIT_FAILED;
	}
	printf("templates: OK (%u files)\n", templates_count(templates));
	templates_unref(&templates);
	return EXIT_OK;
}

/* Variables that case_reply_context() and outbox_build() fill in. */
static const char *const case_variables[] = {
	"cert_name",	    "cert_address",
	"case_id",	    "case_tag",
	"requester_name",   "requester_address",
	"original_subject", "received_at",
	"language",	    NULL,
};

/* Stand-ins for what only the event that triggers a mail knows. */
static const char *
sample_value(const struct ctl *ctl, const struct store_case *c,
	     const char *name)
{
	if (strcmp(name, "message_ref") == 0)
		return "0"; /* templates print it as msg={{message_ref}} */
	if (strcmp(name, "from_address") == 0)
		return c->requester_addr;
	if (strcmp(name, "size") == 0)
		return "52428800";
	if (strcmp(name, "reason") == 0)
		return "52428800 bytes is over limits.max_message_bytes "
		       "(sample)";
	if (strcmp(name, "mailbox") == 0)
		return ctl->config->imap.quarantine_mailbox;
	if (strcmp(name, "round") == 0 || strcmp(name, "rounds") == 0)
		return "2";
	if (strcmp(name, "max_rounds") == 0)
		return "3";
	if (strcmp(name, "asked_at") == 0)
		return "2026-03-02 14:05 UTC";
	return NULL;
}

/* Where notes to staff go; with none configured they are only recorded,
 * so the preview shows them addressed to the CERT mailbox. */
static const char *
staff_address(const struct ctl *ctl)
{
	const char *staff = ctl->config->identity.staff_address;

	return staff != NULL && staff[0] != '\0'
		       ? staff
		       : ctl->config->identity.address;
}

/* The Message-ID the case's first report had, so the preview carries the
 * In-Reply-To the real acknowledgement carries.  NULL when unknown. */
static char *
report_message_id(struct ctl *ctl, const char *case_id)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) messages =
		store_case_messages(ctl->store, case_id, &error);

	for (guint i = 0; messages != NULL && i < messages->len; i++) {
		const struct store_message *m = messages->pdata[i];

		if (g_strcmp0(m->kind, "report") == 0 && m->message_id != NULL)
			return g_strdup(m->message_id);
	}
	return NULL;
}

static int
template_render(struct ctl *ctl, const char *kind, const char *case_id,
		const char *lang)
{
	const char *const *variables = templates_kind_variables(kind);
	g_autoptr(GError) error = NULL;
	g_autoptr(StoreCase) c = NULL;
	g_autoptr(GBytes) raw = NULL;
	g_autofree char *subject = NULL;
	g_autofree char *message_id = NULL;
	g_autofree char *parent = NULL;
	g_autoptr(GPtrArray) fields = NULL;
	struct template_context *context;
	g_autofree char *provider_address = NULL;
	struct pipeline pipeline;
	const char *mail_lang;
	gboolean to_requester, to_provider;
	gboolean built;

	if (variables == NULL) {
		g_autofree char *known =
			g_strjoinv(", ", (char **)templates_kinds());

		return usage_error("template render: unknown kind \"%s\" "
				   "(known: %s)",
				   kind, known);
	}
	if (!open_store(ctl) || !open_templates(ctl))
		return EXIT_FAILED;
	c = store_case_get(ctl->store, case_id, &error);
	if (c == NULL) {
		report("template render", error);
		return EXIT_FAILED;
	}

	if (!open_questionnaire(ctl))
		return EXIT_FAILED;
	fields = store_case_fields(ctl->store, case_id, &error);
	if (fields == NULL) {
		report("template render", error);
		return EXIT_FAILED;
	}
	/* Kinds that name the requester go to the requester; notes to staff
	 * (staff_*, quarantine_notice) to staff; the provider kinds to a
	 * provider. */
	to_requester = g_strv_contains(variables, "requester_address") &&
		       !g_str_has_prefix(kind, "staff_");
	to_provider = g_strv_contains(variables, "provider_name");
	mail_lang = lang != NULL		  ? lang
		    : to_requester || to_provider ? c->language
						  : ctl->config->languages[0];
	context = case_reply_context(ctl->config, c, NULL);
	/* The questions, what the case knows and what a reply noted come
	 * from the case itself. */
	conversation_preview(context, ctl->questionnaire, fields, mail_lang);
	if (!open_providers(ctl)) {
		template_context_free(&context);
		return EXIT_FAILED;
	}
	pipeline = ctl_pipeline(ctl);
	if (!support_preview(&pipeline, c, mail_lang, context,
			     &provider_address, &error)) {
		report("template render", error);
		template_context_free(&context);
		return EXIT_FAILED;
	}
	for (guint i = 0; variables[i] != NULL; i++) {
		const char *value;

		if (g_strv_contains(case_variables, variables[i]) ||
		    g_strv_contains(conversation_preview_variables,
				    variables[i]) ||
		    g_strv_contains(support_preview_variables, variables[i]))
			continue;
		value = sample_value(ctl, c, variables[i]);
		if (value != NULL) {
			template_context_set(context, variables[i], value);
		} else {
			g_autofree char *stand_in =
				g_strdup_printf("(sample %s)", variables[i]);

			template_context_set(context, variables[i], stand_in);
		}
	}
	/* The real CERT key when OpenPGP is on, as the daemon would put it. */
	if (g_strv_contains(variables, "cert_key") &&
	    ctl->config->crypto.enabled) {
		g_autofree char *armored = NULL;

		if (!open_crypto(ctl)) {
			template_context_free(&context);
			return EXIT_FAILED;
		}
		armored = crypto_export_public_key(ctl->crypto, &error);
		if (armored == NULL) {
			report("template render", error);
			template_context_free(&context);
			return EXIT_FAILED;
		}
		template_context_set(context, "cert_key", armored);
		template_context_set(context, "cert_fingerprint",
				     crypto_fingerprint(ctl->crypto));
	}
	if (to_requester)
		parent = report_message_id(ctl, c->id);
	message_id = g_strdup_printf("intaked.preview@%s",
				     ctl->config->identity.domain);

	struct outbox_reply reply = {
		.kind = kind,
		.case_id = c->id,
		.to_addr = to_requester ? c->requester_addr
			   : to_provider && provider_address != NULL
				   ? provider_address
				   : staff_address(ctl),
		.to_name = to_requester ? c->requester_name : NULL,
		.language = mail_lang,
		.parent_message_id = parent,
		.auto_submitted =
			to_requester ? "auto-replied" : "auto-generated",
		.context = context,
	};
	built = outbox_build(ctl->config, ctl->templates, &reply, message_id,
			     &raw, &subject, &error);
	template_context_free(&context);
	if (!built) {
		report("template render", error);
		return EXIT_FAILED;
	}
	/* The exact bytes that would be queued, CRLF and all. */
	fwrite(g_bytes_get_data(raw, NULL), 1, g_bytes_get_size(raw), stdout);
	return EXIT_OK;
}

static int
cmd_template(struct ctl *ctl, int argc, char **argv)
{
	g_autofree char *case_id = NULL;
	g_autofree char *lang = NULL;
	GOptionEntry entries[] = {
		{"case", 0, 0, G_OPTION_ARG_STRING, &case_id,
		 "render for case ID", "ID"},
		{"lang", 0, 0, G_OPTION_ARG_STRING, &lang,
		 "language instead of the case's", "L"},
		G_OPTION_ENTRY_NULL,
	};

	if (!parse_options("template", entries, &argc, &argv))
		return EXIT_USAGE;
	if (argc >= 2 && strcmp(argv[1], "check") == 0) {
		if (argc != 2 || case_id != NULL || lang != NULL)
			return usage_error("template check takes no arguments");
		return template_check(ctl);
	}
	if (argc >= 2 && strcmp(argv[1], "render") == 0) {
		if (argc != 3)
			return usage_error(
				"template render: one KIND expected");
		if (case_id == NULL)
			return usage_error("template render: --case ID is "
					   "required");
		return template_render(ctl, argv[2], case_id, lang);
	}
	return usage_error("template: expected \"check\" or \"render KIND "
			   "--case ID [--lang L]\"");
}

/* ---- keys ------------------------------------------------------------- */

/* key pin ADDRESS FINGERPRINT: staff decide which key an address uses,
 * after a conflict or a key change checked by telephone.  The key pinned
 * before is kept, superseded. */
static int
cmd_key_pin(struct ctl *ctl, const char *address, const char *fingerprint)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *fpr = cryptostatus_fingerprint_normalize(fingerprint);
	g_autofree char *addr = cryptostatus_uid_address(address);
	struct pipeline pipeline;
	int released = 0;

	if (fpr == NULL || addr == NULL)
		return usage_error("key pin: ADDRESS FINGERPRINT expected "
				   "(40 hex digits)");
	if (!open_config(ctl))
		return EXIT_FAILED;
	if (!ctl->config->crypto.enabled) {
		fprintf(stderr, "intakectl: key pin: OpenPGP is off\n");
		return EXIT_FAILED;
	}
	if (!open_crypto(ctl) || !open_store(ctl))
		return EXIT_FAILED;
	if (!crypto_key_can_encrypt(ctl->crypto, fpr)) {
		fprintf(stderr,
			"intakectl: key pin: %s is not in %s or not usable "
			"for encryption; import it there first\n",
			fpr, ctl->config->crypto.gnupg_home);
		return EXIT_FAILED;
	}
	pipeline = ctl_pipeline(ctl);
	if (!store_begin(ctl->store, &error) ||
	    !store_key_record(ctl->store, addr, fpr, "pinned", "staff",
			      g_get_real_time() / G_USEC_PER_SEC, &error) ||
	    (released = outbox_release_held(&pipeline, addr, &error)) < 0 ||
	    !store_commit(ctl->store, &error)) {
		store_rollback(ctl->store);
		report("key pin", error);
		return EXIT_FAILED;
	}
	printf("key %s pinned to %s\n", fpr, addr);
	if (released > 0)
		printf("%d held repl%s released, encrypted to it; the daemon "
		       "sends %s\n",
		       released, released == 1 ? "y" : "ies",
		       released == 1 ? "it" : "them");
	return EXIT_OK;
}

/* key export: the CERT public key, armored, for the web site and for
 * requesters who ask. */
static int
cmd_key(struct ctl *ctl, int argc, char **argv)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *armored = NULL;

	if (argc == 4 && strcmp(argv[1], "pin") == 0)
		return cmd_key_pin(ctl, argv[2], argv[3]);
	if (argc != 2 || strcmp(argv[1], "export") != 0)
		return usage_error("key: expected \"key export\" or \"key "
				   "pin ADDRESS FINGERPRINT\"");
	if (!open_config(ctl))
		return EXIT_FAILED;
	if (!ctl->config->crypto.enabled) {
		fprintf(stderr, "intakectl: key export: OpenPGP is off (no "
				"crypto.key_fingerprint in the "
				"configuration)\n");
		return EXIT_FAILED;
	}
	if (!open_crypto(ctl))
		return EXIT_FAILED;
	armored = crypto_export_public_key(ctl->crypto, &error);
	if (armored == NULL) {
		report("key export", error);
		return EXIT_FAILED;
	}
	fputs(armored, stdout);
	return EXIT_OK;
}

/* Appends to keys (struct store_key*) one row per provider of the
 * registry with a fingerprint (at its first contact, or address when
 * that is one of its contacts), and returns their provider ids in the
 * same order (borrowed strings). */
static GPtrArray *
provider_keys(struct ctl *ctl, const char *address, GPtrArray *keys)
{
	GPtrArray *ids = g_ptr_array_new();

	for (guint i = 0;
	     ctl->providers != NULL && i < providers_count(ctl->providers);
	     i++) {
		const struct provider *p = providers_at(ctl->providers, i);
		const char *at = p->contacts[0];
		struct store_key *key;

		if (p->fingerprint == NULL)
			continue;
		if (address != NULL) {
			at = NULL;
			for (char **c = p->contacts; *c != NULL; c++)
				if (g_ascii_strcasecmp(*c, address) == 0)
					at = *c;
			if (at == NULL)
				continue;
		}
		key = g_new0(struct store_key, 1);
		key->address = g_ascii_strdown(at, -1);
		key->fingerprint = g_strdup(p->fingerprint);
		key->state = g_strdup(
			ctl->crypto == NULL ? "unchecked"
			: crypto_key_can_encrypt(ctl->crypto, p->fingerprint)
				? "usable"
				: "missing");
		key->source = g_strdup("providers");
		g_ptr_array_add(keys, key);
		g_ptr_array_add(ids, p->id);
	}
	return ids;
}

/* keys: the requesters' keys intaked has seen, pinned first, then the
 * providers' keys of providers.conf. */
static int
cmd_keys(struct ctl *ctl, int argc, char **argv)
{
	gboolean json = FALSE;
	g_autofree char *address = NULL;
	GOptionEntry entries[] = {
		{"address", 'a', 0, G_OPTION_ARG_STRING, &address,
		 "only the keys of address A", "A"},
		{"json", 0, 0, G_OPTION_ARG_NONE, &json, "print JSON", NULL},
		G_OPTION_ENTRY_NULL,
	};
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) keys = NULL;
	g_autoptr(GPtrArray) provider_ids = NULL;
	guint address_w = strlen("ADDRESS");

	if (!parse_options("keys", entries, &argc, &argv))
		return EXIT_USAGE;
	if (argc > 1)
		return usage_error("keys: unexpected argument \"%s\"", argv[1]);
	if (!open_store(ctl))
		return EXIT_FAILED;
	keys = store_key_list(ctl->store, address, &error);
	if (keys == NULL) {
		report("keys", error);
		return EXIT_FAILED;
	}
	if (!open_providers(ctl) || !open_crypto(ctl))
		return EXIT_FAILED;
	provider_ids = provider_keys(ctl, address, keys);
	if (json) {
		g_autoptr(JsonBuilder) builder = json_builder_new();

		json_builder_begin_array(builder);
		for (guint i = 0; i < keys->len; i++)
			if (i < keys->len - provider_ids->len)
				export_json_key(builder, keys->pdata[i]);
			else
				export_json_provider_key(
					builder, keys->pdata[i],
					provider_ids
						->pdata[i -
							(keys->len -
							 provider_ids->len)]);
		json_builder_end_array(builder);
		return print_json(builder);
	}
	for (guint i = 0; i < keys->len; i++) {
		const struct store_key *k = keys->pdata[i];
		g_autofree char *clean = printable(k->address);

		address_w = MIN(MAX(address_w, text_width(clean)), 40);
	}
	print_cell("ADDRESS", address_w, TRUE);
	print_cell("STATE", 10, TRUE);
	print_cell("FINGERPRINT", 40, TRUE);
	print_cell("SOURCE", 10, TRUE);
	print_cell("LAST SEEN", 16, FALSE);
	putchar('\n');
	for (guint i = 0; i < keys->len; i++) {
		const struct store_key *k = keys->pdata[i];
		g_autofree char *seen = short_time(k->last_seen);

		print_cell(k->address, address_w, TRUE);
		print_cell(k->state, 10, TRUE);
		print_cell(k->fingerprint, 40, TRUE);
		print_cell(k->source != NULL ? k->source : "-", 10, TRUE);
		print_cell(seen, 16, FALSE);
		putchar('\n');
	}
	return EXIT_OK;
}

/* ---- support: matching, consent, providers ---------------------------- */

/* Providers are needed: without providers.conf say so. */
static gboolean
need_providers(struct ctl *ctl, const char *what)
{
	if (!open_providers(ctl))
		return FALSE;
	if (ctl->providers == NULL) {
		fprintf(stderr,
			"intakectl: %s: no providers file is configured "
			"(\"providers\" in %s)\n",
			what, ctl->config_path);
		return FALSE;
	}
	return TRUE;
}

/* match ID [--json]: whom introduce_case() would pick now, and why;
 * nothing is written or sent. */
static int
cmd_match(struct ctl *ctl, int argc, char **argv)
{
	gboolean json = FALSE;
	GOptionEntry entries[] = {
		{"json", 0, 0, G_OPTION_ARG_NONE, &json, "print JSON", NULL},
		G_OPTION_ENTRY_NULL,
	};
	g_autoptr(GError) error = NULL;
	g_autoptr(StoreCase) c = NULL;
	g_autoptr(MatchResult) result = NULL;
	g_autofree char *text = NULL;
	struct pipeline pipeline;

	if (!parse_options("match", entries, &argc, &argv))
		return EXIT_USAGE;
	if (argc != 2)
		return usage_error("match: one case ID expected");
	if (!open_store(ctl) || !need_providers(ctl, "match"))
		return EXIT_FAILED;
	c = store_case_get(ctl->store, argv[1], &error);
	pipeline = ctl_pipeline(ctl);
	if (c == NULL ||
	    (result = introduce_match(&pipeline, c, &text, &error)) == NULL) {
		report("match", error);
		return EXIT_FAILED;
	}
	return intakectl_match_print(stdout, ctl->providers, result, text,
				     json);
}

/* consent withdraw ID: on the requester's behalf (telephone, letter). */
static int
cmd_consent(struct ctl *ctl, int argc, char **argv)
{
	g_autoptr(GError) error = NULL;
	struct pipeline pipeline;

	if (argc != 3 || strcmp(argv[1], "withdraw") != 0)
		return usage_error("consent: expected \"consent withdraw "
				   "ID\"");
	if (!open_pipeline(ctl))
		return EXIT_FAILED;
	pipeline = ctl_pipeline(ctl);
	if (!support_withdraw_by_staff(&pipeline, argv[2], staff_name(), NULL,
				       &error)) {
		report("consent withdraw", error);
		return EXIT_FAILED;
	}
	printf("consent for case %s withdrawn by %s; introduced providers "
	       "will be told\n",
	       argv[2], staff_name());
	return EXIT_OK;
}

/* The providers' state from the database, in registry order. */
static struct match_state *
provider_states(struct ctl *ctl)
{
	g_autoptr(GError) error = NULL;
	struct match_state *states =
		introduce_states(ctl->store, ctl->providers, NULL, &error);

	if (states == NULL)
		report("providers", error);
	return states;
}

/* Whether the registry has a provider id; says so on stderr when not. */
static gboolean
known_provider(struct ctl *ctl, const char *id, const char *what)
{
	if (providers_find(ctl->providers, id, NULL) != NULL)
		return TRUE;
	fprintf(stderr, "intakectl: %s: no provider '%s' in %s\n", what, id,
		providers_path(ctl->providers));
	return FALSE;
}

static int
provider_pause(struct ctl *ctl, const char *id, gboolean pause,
	       const char *reason)
{
	g_autoptr(GError) error = NULL;

	if (!known_provider(ctl, id,
			    pause ? "provider pause" : "provider resume"))
		return EXIT_FAILED;
	if (!store_begin(ctl->store, &error) ||
	    !store_provider_pause(ctl->store, id, pause, staff_name(), reason,
				  g_get_real_time() / G_USEC_PER_SEC, &error) ||
	    !store_commit(ctl->store, &error)) {
		store_rollback(ctl->store);
		report(pause ? "provider pause" : "provider resume", error);
		return EXIT_FAILED;
	}
	printf("provider %s %s\n", id,
	       pause ? "paused: no new introductions" : "resumed");
	return EXIT_OK;
}

/* Writes text to path through a temporary file in the same directory,
 * with the old file's mode, so a crash leaves the old or the new file,
 * never half of one. */
static gboolean
replace_file(const char *path, const char *text, GError **error)
{
	g_autofree char *dir = g_path_get_dirname(path);
	g_autofree char *tmp = g_build_filename(dir, ".providers.XXXXXX", NULL);
	struct stat st;
	gsize len = strlen(text);
	int fd;

	if (stat(path, &st) != 0) {
		g_set_error(error, G_IO_ERROR, g_io_error_from_errno(errno),
			    "%s: %s", path, g_strerror(errno));
		return FALSE;
	}
	fd = g_mkstemp_full(tmp, O_WRONLY, st.st_mode & 07777);
	if (fd < 0) {
		g_set_error(error, G_IO_ERROR, g_io_error_from_errno(errno),
			    "%s: cannot create a temporary file: %s", dir,
			    g_strerror(errno));
		return FALSE;
	}
	if (write(fd, text, len) != (gssize)len || fsync(fd) != 0 ||
	    close(fd) != 0 || rename(tmp, path) != 0) {
		int saved = errno;

		g_set_error(error, G_IO_ERROR, g_io_error_from_errno(saved),
			    "%s: cannot write: %s", path, g_strerror(saved));
		unlink(tmp);
		return FALSE;
	}
	return TRUE;
}

/* provider hours ID HOURS [--case C]: expert time a provider spent, as
 * staff learnt it; it counts against the provider's pledged hours. */
static int
provider_hours(struct ctl *ctl, int argc, char **argv)
{
	g_autofree char *case_id = NULL;
	GOptionEntry entries[] = {
		{"case", 0, 0, G_OPTION_ARG_STRING, &case_id,
		 "the case the hours were spent on", "ID"},
		G_OPTION_ENTRY_NULL,
	};
	g_autoptr(GError) error = NULL;
	gint64 hours = 0;

	if (!parse_options("provider hours", entries, &argc, &argv))
		return EXIT_USAGE;
	if (argc != 4 ||
	    !g_ascii_string_to_signed(argv[3], 10, 1, 10000, &hours, NULL))
		return usage_error("provider hours: ID and HOURS (1..10000) "
				   "expected");
	if (!open_store(ctl) || !need_providers(ctl, "provider hours"))
		return EXIT_FAILED;
	if (!known_provider(ctl, argv[2], "provider hours"))
		return EXIT_FAILED;
	if (case_id != NULL) {
		g_autoptr(StoreCase) c =
			store_case_get(ctl->store, case_id, &error);

		if (c == NULL) {
			report("provider hours", error);
			return EXIT_FAILED;
		}
	}
	if (!store_begin(ctl->store, &error) ||
	    !store_provider_add_hours(
		    ctl->store, argv[2], case_id, (int)hours, staff_name(),
		    g_get_real_time() / G_USEC_PER_SEC, &error) ||
	    !store_commit(ctl->store, &error)) {
		store_rollback(ctl->store);
		report("provider hours", error);
		return EXIT_FAILED;
	}
	printf("%" G_GINT64_FORMAT " hours recorded for provider %s\n", hours,
	       argv[2]);
	return EXIT_OK;
}

/* provider add ID --name N --contact A [...]: appends a provider to
 * providers.conf after checking the whole file with it; the daemon
 * takes it on its next reload. */
static int
provider_add(struct ctl *ctl, int argc, char **argv)
{
	g_autofree char *name = NULL, *fingerprint = NULL, *timezone = NULL;
	g_autofree char *offer = NULL;
	g_auto(GStrv) contacts = NULL, services = NULL, regions = NULL;
	g_auto(GStrv) languages = NULL, on_call = NULL, domains = NULL;
	int max_open = 1, hours = 0;
	gboolean paused = FALSE;
	GOptionEntry entries[] = {
		{"name", 0, 0, G_OPTION_ARG_STRING, &name, "display name", "N"},
		{"contact", 0, 0, G_OPTION_ARG_STRING_ARRAY, &contacts,
		 "contact address (repeat; the first gets introductions)", "A"},
		{"service", 0, 0, G_OPTION_ARG_STRING_ARRAY, &services,
		 "need value offered (repeat)", "S"},
		{"region", 0, 0, G_OPTION_ARG_STRING_ARRAY, &regions,
		 "region served (repeat)", "R"},
		{"language", 0, 0, G_OPTION_ARG_STRING_ARRAY, &languages,
		 "language spoken (repeat)", "L"},
		{"max-open-cases", 0, 0, G_OPTION_ARG_INT, &max_open,
		 "cases at once (default 1)", "N"},
		{"pledged-hours", 0, 0, G_OPTION_ARG_INT, &hours,
		 "expert hours pledged", "H"},
		{"fingerprint", 0, 0, G_OPTION_ARG_STRING, &fingerprint,
		 "OpenPGP key fingerprint", "F"},
		{"timezone", 0, 0, G_OPTION_ARG_STRING, &timezone,
		 "time zone of the on-call windows", "TZ"},
		{"on-call", 0, 0, G_OPTION_ARG_STRING_ARRAY, &on_call,
		 "on-call window, e.g. \"Mon-Fri 08:00-18:00\" (repeat)", "W"},
		{"offer", 0, 0, G_OPTION_ARG_STRING, &offer, "what they offer",
		 "T"},
		{"domain", 0, 0, G_OPTION_ARG_STRING_ARRAY, &domains,
		 "the provider's own mail domain (repeat)", "D"},
		{"paused", 0, 0, G_OPTION_ARG_NONE, &paused, "added paused",
		 NULL},
		G_OPTION_ENTRY_NULL,
	};
	g_autoptr(GError) error = NULL;
	g_autofree char *text = NULL, *edited = NULL;
	const struct questionnaire_field *need = NULL, *types = NULL;
	struct providers *check;
	const char *path;

	if (!parse_options("provider add", entries, &argc, &argv))
		return EXIT_USAGE;
	if (argc != 3 || name == NULL || contacts == NULL)
		return usage_error("provider add: ID, --name and --contact "
				   "are required");
	if (!open_config(ctl) || !open_questionnaire(ctl))
		return EXIT_FAILED;
	path = ctl->config->providers;
	if (path == NULL) {
		fprintf(stderr,
			"intakectl: provider add: no providers file is "
			"configured (\"providers\" in %s)\n",
			ctl->config_path);
		return EXIT_FAILED;
	}
	struct provider_new p = {
		.id = argv[2],
		.name = name,
		.contacts = (const char *const *)contacts,
		.services = (const char *const *)services,
		.regions = (const char *const *)regions,
		.languages = (const char *const *)languages,
		.max_open_cases = max_open,
		.pledged_hours = hours,
		.fingerprint = fingerprint,
		.timezone = timezone,
		.on_call = (const char *const *)on_call,
		.offer = offer,
		.domains = (const char *const *)domains,
		.paused = paused,
	};
	if (ctl->questionnaire != NULL) {
		need = questionnaire_field(ctl->questionnaire, "need");
		types = questionnaire_field(ctl->questionnaire,
					    QUESTIONNAIRE_INCIDENT_TYPE);
	}
	if (!g_file_get_contents(path, &text, NULL, &error) ||
	    (edited = provider_add_to_text(text, &p, &error)) == NULL) {
		report("provider add", error);
		return EXIT_FAILED;
	}
	/* The whole file with the new provider must load, or nothing is
	 * written: the daemon would refuse it on reload. */
	check = providers_load_string(
		edited, path,
		need != NULL ? (const char *const *)need->values : NULL,
		types != NULL ? (const char *const *)types->values : NULL,
		&error);
	if (check == NULL) {
		report("provider add", error);
		return EXIT_FAILED;
	}
	providers_unref(&check);
	if (!replace_file(path, edited, &error)) {
		report("provider add", error);
		return EXIT_FAILED;
	}
	printf("provider %s added to %s; reload intaked (systemctl reload "
	       "intaked) to use it\n",
	       argv[2], path);
	return EXIT_OK;
}

/* provider list|show ID|pause ID [--reason R]|resume ID; "providers" is
 * "provider list". */
static int
cmd_provider(struct ctl *ctl, int argc, char **argv)
{
	gboolean json = FALSE;
	g_autofree char *reason = NULL;
	GOptionEntry entries[] = {
		{"json", 0, 0, G_OPTION_ARG_NONE, &json, "print JSON", NULL},
		{"reason", 'r', 0, G_OPTION_ARG_STRING, &reason,
		 "why the provider is paused", "R"},
		G_OPTION_ENTRY_NULL,
	};
	g_autofree struct match_state *states = NULL;
	gboolean list = strcmp(argv[0], "providers") == 0;
	gint64 now = g_get_real_time() / G_USEC_PER_SEC;
	const char *sub;

	if (!list && argc >= 2 && strcmp(argv[1], "add") == 0)
		return provider_add(ctl, argc, argv);
	if (!list && argc >= 2 && strcmp(argv[1], "hours") == 0)
		return provider_hours(ctl, argc, argv);
	if (!parse_options(argv[0], entries, &argc, &argv))
		return EXIT_USAGE;
	sub = list ? "list" : argc >= 2 ? argv[1] : "";
	if (list ? argc != 1
		 : !((strcmp(sub, "list") == 0 && argc == 2) ||
		     (strcmp(sub, "list") != 0 && argc == 3)))
		return usage_error("provider: expected \"provider list\", "
				   "\"provider show|pause|resume ID\"");
	if (!open_store(ctl) || !need_providers(ctl, "provider"))
		return EXIT_FAILED;
	if (strcmp(sub, "pause") == 0)
		return provider_pause(ctl, argv[2], TRUE, reason);
	if (strcmp(sub, "resume") == 0)
		return provider_pause(ctl, argv[2], FALSE, NULL);
	if ((states = provider_states(ctl)) == NULL)
		return EXIT_FAILED;
	if (strcmp(sub, "list") == 0)
		return intakectl_provider_list(stdout, ctl->providers, states,
					       json, now);
	if (strcmp(sub, "show") == 0)
		return intakectl_provider_show(stdout, stderr, ctl->providers,
					       states, argv[2], json, now);
	return usage_error("provider: unknown subcommand \"%s\"", sub);
}

/* ---- main ------------------------------------------------------------- */

static void
usage(FILE *out)
{
	fprintf(out,
		"usage: intakectl [-v] [-c FILE] COMMAND [ARGS]\n"
		"  -c FILE   configuration file (default %s)\n"
		"  -v        show the intake's log lines\n"
		"  -h        print this help\n"
		"  -V        print the version\n"
		"commands:\n"
		"  import FILE|MAILDIR|MBOX...      run local mail through "
		"the intake\n"
		"  cases [--state S] [--by-priority] [--json]\n"
		"                                   list cases, newest (or "
		"most urgent) first\n"
		"  case show ID [--json]            a case, its fields and "
		"timeline\n"
		"  case set ID FIELD VALUE          correct a field (staff "
		"values win)\n"
		"  outbox [--state S] [--json]      list outgoing mail\n"
		"  template check                   load and check all "
		"templates\n"
		"  template render KIND --case ID [--lang L]\n"
		"                                   print the mail that "
		"would be sent\n"
		"  key export                       print the CERT's OpenPGP "
		"public key\n"
		"  key pin ADDRESS FINGERPRINT      pin a requester's key "
		"(staff decision)\n"
		"  keys [--address A] [--json]      requesters' and "
		"providers' keys and their state\n"
		"  case qualify ID incident|support staff decide; support "
		"asks for consent\n"
		"  match ID [--json]                ranked providers for a "
		"case, and why\n"
		"  consent withdraw ID              withdraw on the "
		"requester's behalf\n"
		"  provider list|show ID [--json]   the provider registry "
		"and its load\n"
		"  provider pause ID [--reason R]   no new introductions to "
		"a provider\n"
		"  provider resume ID               introduce it again\n"
		"  provider hours ID N [--case C]   expert hours it spent "
		"(against its pledge)\n"
		"  provider add ID --name N --contact A [--service S ...]\n"
		"                                   add a provider to "
		"providers.conf\n",
		CONFIG_DEFAULT_PATH);
}

static const struct {
	const char *name;
	int (*run)(struct ctl *ctl, int argc, char **argv);
} commands[] = {
	{"import", cmd_import},	     {"cases", cmd_cases},
	{"case", cmd_case},	     {"outbox", cmd_outbox},
	{"template", cmd_template},  {"key", cmd_key},
	{"keys", cmd_keys},	     {"match", cmd_match},
	{"consent", cmd_consent},    {"provider", cmd_provider},
	{"providers", cmd_provider},
};

int
main(int argc, char **argv)
{
	struct ctl ctl = {.config_path = CONFIG_DEFAULT_PATH};
	gboolean verbose = FALSE;
	int status = -1;
	int i;

	setlocale(LC_ALL, "");
	for (i = 1; i < argc; i++) {
		const char *arg = argv[i];

		if (strcmp(arg, "-c") == 0 || strcmp(arg, "--config") == 0) {
			if (++i == argc)
				return usage_error("%s needs a FILE", arg);
			ctl.config_path = argv[i];
		} else if (g_str_has_prefix(arg, "-c")) {
			ctl.config_path = arg + 2;
		} else if (g_str_has_prefix(arg, "--config=")) {
			ctl.config_path = arg + strlen("--config=");
		} else if (strcmp(arg, "-v") == 0 ||
			   strcmp(arg, "--verbose") == 0) {
			verbose = TRUE;
		} else if (strcmp(arg, "-h") == 0 ||
			   strcmp(arg, "--help") == 0) {
			usage(stdout);
			return EXIT_OK;
		} else if (strcmp(arg, "-V") == 0 ||
			   strcmp(arg, "--version") == 0) {
			printf("intakectl %s\n", INTAKED_VERSION);
			return EXIT_OK;
		} else if (strcmp(arg, "--") == 0) {
			i++;
			break;
		} else if (arg[0] == '-') {
			return usage_error("unknown option \"%s\"", arg);
		} else {
			break;
		}
	}
	if (i == argc) {
		usage(stderr);
		return EXIT_USAGE;
	}

	/* The intake logs an event line per message; import prints its own
	 * line, so show the log only on request (warnings always). */
	log_set_level(verbose ? LOG_LEVEL_INFO : LOG_LEVEL_WARNING);
	g_mime_init();
	/* GMime initialises GPGME, which ignores SIGPIPE; a listing piped
	 * into head(1) should end quietly like any other filter. */
	signal(SIGPIPE, SIG_DFL);
	for (gsize c = 0; c < G_N_ELEMENTS(commands); c++)
		if (strcmp(argv[i], commands[c].name) == 0)
			status = commands[c].run(&ctl, argc - i, argv + i);
	if (status == -1)
		status = usage_error("unknown command \"%s\"", argv[i]);

	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "intakectl: standard output: %s\n",
			g_strerror(errno));
		status = EXIT_FAILED;
	}
	templates_unref(&ctl.templates);
	questionnaire_unref(&ctl.questionnaire);
	providers_unref(&ctl.providers);
	crypto_free(&ctl.crypto);
	store_close(&ctl.store);
	config_unref(&ctl.config);
	g_mime_shutdown();
	return status;
}
