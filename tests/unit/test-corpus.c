/* test-corpus.c — the report and reply parsers over the evidence corpus
 * (tests/corpus/reports and tests/corpus/replies, format in
 * tests/corpus/README), with field-level precision and recall per
 * language and per field.  The run fails below the thresholds at the top;
 * the table is printed as TAP comments (prove -v, or run the binary).
 *
 * The corpus is found through $INTAKED_SRCDIR, else relative to the
 * current directory (`make check-unit` runs from the repository root).
 * INTAKED_CORPUS_VERBOSE=1 also lists every miss. */
#include <string.h>

#include "answer.h"
#include "lang.h"
#include "mime.h"
#include "questionnaire.h"
#include "quote.h"
#include "reply.h"
#include "report.h"

/* Raise these as the parsers improve; never lower them to pass. */
#define MIN_PRECISION	      0.97
#define MIN_RECALL	      0.97
#define MIN_REPORT_RECALL     0.97
#define MIN_REPLY_RECALL      0.95
#define MIN_MESSAGES	      80
#define MIN_MESSAGES_PER_LANG 15

static const char *const languages[] = {"en", "nl", "fr", "de"};
#define N_LANGS 4

struct tally {
	guint tp, fp, fn;
};

struct stats {
	struct tally lang[N_LANGS];
	struct tally report, reply;
	/* mails named NAME-hN: written after the parsers were tuned on the
	 * rest, see tests/corpus/README */
	struct tally holdout;
	GHashTable *fields; /* field id -> struct tally * */
	guint messages[N_LANGS];
	gboolean verbose;
};

static struct stats stats;

static const char *
srcdir(void)
{
	const char *dir = g_getenv("INTAKED_SRCDIR");

	return dir != NULL ? dir : ".";
}

static int
lang_slot(const char *lang)
{
	for (int i = 0; lang != NULL && i < N_LANGS; i++)
		if (strcmp(languages[i], lang) == 0)
			return i;
	return -1;
}

static struct tally *
field_tally(const char *field)
{
	struct tally *t = g_hash_table_lookup(stats.fields, field);

	if (t == NULL) {
		t = g_new0(struct tally, 1);
		g_hash_table_insert(stats.fields, g_strdup(field), t);
	}
	return t;
}

/* Reads "field: value" lines; '#' starts a comment.  Returns field ->
 * value (new table). */
static GHashTable *
read_pairs(const char *path)
{
	g_autofree char *contents = NULL;
	g_autoptr(GError) error = NULL;
	g_auto(GStrv) lines = NULL;
	GHashTable *pairs =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);

	if (!g_file_get_contents(path, &contents, NULL, &error))
		g_error("%s", error->message);
	lines = g_strsplit(contents, "\n", -1);
	for (size_t i = 0; lines[i] != NULL; i++) {
		char *colon;

		g_strstrip(lines[i]);
		if (*lines[i] == '\0' || *lines[i] == '#')
			continue;
		colon = strchr(lines[i], ':');
		if (colon == NULL)
			g_error("%s:%zu: no ':'", path, i + 1);
		*colon = '\0';
		g_hash_table_insert(pairs, g_strdup(g_strstrip(lines[i])),
				    g_strdup(g_strstrip(colon + 1)));
	}
	return pairs;
}

/* How a found value is compared with the expected one: see
 * tests/corpus/README. */
static gboolean
value_matches(const char *field, const char *want, const char *got)
{
	g_autofree char *w = answer_fold(want);
	g_autofree char *g = answer_fold(got);

	if (strcmp(field, "organisation") == 0 ||
	    strcmp(field, "contact_name") == 0 ||
	    strcmp(field, "location") == 0 ||
	    strcmp(field, "ransom_note") == 0 ||
	    strcmp(field, "description") == 0 ||
	    strcmp(field, "accounts_affected") == 0 ||
	    strcmp(field, "services_unreachable") == 0 ||
	    strcmp(field, "recipients") == 0)
		return strstr(g, w) != NULL;
	if (strcmp(field, "systems_affected") == 0) {
		g_auto(GStrv) items = g_strsplit(w, ",", -1);

		for (size_t i = 0; items[i] != NULL; i++)
			if (strstr(g, g_strstrip(items[i])) == NULL)
				return FALSE;
		return TRUE;
	}
	if (strcmp(field, "need") == 0) {
		g_auto(GStrv) a = g_strsplit(w, ",", -1);
		g_auto(GStrv) b = g_strsplit(g, ",", -1);

		if (g_strv_length(a) != g_strv_length(b))
			return FALSE;
		for (size_t i = 0; a[i] != NULL; i++)
			if (!g_strv_contains((const char *const *)b,
					     g_strstrip(a[i])))
				return FALSE;
		return TRUE;
	}
	return strcmp(w, g) == 0;
}

/* Scores found (field -> value) against expected; "-" in expected means
 * "must not be found" and only counts when something is. */
static void
score(const char *name, const char *lang, GHashTable *expected,
      GHashTable *found, struct tally *kind)
{
	int slot = lang_slot(lang);
	GHashTableIter iter;
	gpointer key, value;
	gboolean is_holdout;

	g_assert_cmpint(slot, >=, 0);
	{
		const char *h = strstr(name, "-h");

		is_holdout = h != NULL && g_ascii_isdigit(h[2]);
	}
	g_hash_table_iter_init(&iter, expected);
	while (g_hash_table_iter_next(&iter, &key, &value)) {
		const char *got = g_hash_table_lookup(found, key);
		struct tally *f = field_tally(key);
		gboolean absent = strcmp(value, "-") == 0;

		if (absent && got == NULL)
			continue;
		if (absent) {
			f->fp++, stats.lang[slot].fp++, kind->fp++;
			stats.holdout.fp += is_holdout;
		} else if (got == NULL) {
			f->fn++, stats.lang[slot].fn++, kind->fn++;
			stats.holdout.fn += is_holdout;
		} else if (value_matches(key, value, got)) {
			f->tp++, stats.lang[slot].tp++, kind->tp++;
			stats.holdout.tp += is_holdout;
			continue;
		} else {
			f->fp++, stats.lang[slot].fp++, kind->fp++;
			f->fn++, stats.lang[slot].fn++, kind->fn++;
			stats.holdout.fp += is_holdout;
			stats.holdout.fn += is_holdout;
		}
		if (stats.verbose || g_test_verbose())
			g_test_message("%s: %s: want \"%s\" got \"%s\"", name,
				       (char *)key, (char *)value,
				       got != NULL ? got : "(none)");
	}
	g_hash_table_iter_init(&iter, found);
	while (g_hash_table_iter_next(&iter, &key, &value)) {
		struct tally *f;

		if (g_hash_table_contains(expected, key))
			continue;
		f = field_tally(key);
		f->fp++, stats.lang[slot].fp++, kind->fp++;
		stats.holdout.fp += is_holdout;
		if (stats.verbose || g_test_verbose())
			g_test_message("%s: %s: unexpected \"%s\"", name,
				       (char *)key, (char *)value);
	}
	stats.messages[slot]++;
}

/* The pipeline the daemon runs: GMime, body text, quote split. */
struct mail {
	GMimeMessage *message;
	struct mime_summary *summary;
	char *body;
	struct quote_result *quote;
};

static void
mail_load(struct mail *mail, const char *path)
{
	g_autofree char *data = NULL;
	gsize length;
	g_autoptr(GError) error = NULL;

	if (!g_file_get_contents(path, &data, &length, &error))
		g_error("%s", error->message);
	mail->message = mime_parse((const guint8 *)data, length, NULL, &error);
	if (mail->message == NULL)
		g_error("%s: %s", path, error->message);
	mail->summary =
		mime_summary_new(mail->message, (const guint8 *)data, length);
	mail->body = mime_body_text((GMimeObject *)mail->message);
	mail->quote = quote_parse(mail->body, mail->summary->subject);
}

static void
mail_clear(struct mail *mail)
{
	g_object_unref(mail->message);
	mime_summary_free(mail->summary);
	g_free(mail->body);
	quote_result_free(mail->quote);
}

static gint
compare_names(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static GPtrArray *
corpus_files(const char *kind)
{
	g_autofree char *dir =
		g_build_filename(srcdir(), "tests", "corpus", kind, NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(GDir) d = g_dir_open(dir, 0, &error);
	GPtrArray *files = g_ptr_array_new_with_free_func(g_free);
	const char *name;

	if (d == NULL)
		g_error("%s", error->message);
	while ((name = g_dir_read_name(d)) != NULL)
		if (g_str_has_suffix(name, ".eml"))
			g_ptr_array_add(files,
					g_build_filename(dir, name, NULL));
	g_ptr_array_sort(files, compare_names);
	return files;
}

static char *
sibling(const char *eml, const char *suffix)
{
	g_autofree char *stem = g_strndup(eml, strlen(eml) - strlen(".eml"));

	return g_strconcat(stem, suffix, NULL);
}

static void
test_reports(void)
{
	g_autoptr(GPtrArray) files = corpus_files("reports");
	struct report_parser *parser = report_parser_new();

	g_assert_cmpuint(files->len, >, 0);
	for (guint i = 0; i < files->len; i++) {
		const char *path = files->pdata[i];
		g_autofree char *expected_path = sibling(path, ".expected");
		g_autoptr(GHashTable) expected = read_pairs(expected_path);
		g_autoptr(GHashTable) found = g_hash_table_new_full(
			g_str_hash, g_str_equal, NULL, g_free);
		g_autofree char *name = g_path_get_basename(path);
		struct mail mail = {0};
		struct report_input input = {0};
		g_autoptr(GPtrArray) fields = NULL;
		const char *lang = g_hash_table_lookup(expected, "language");

		mail_load(&mail, path);
		input.fresh = mail.quote->fresh;
		input.signature = mail.quote->signature;
		input.from_addr = mail.summary->from_addr;
		input.from_name = mail.summary->from_name;
		input.subject = mail.summary->subject;
		input.lang = lang_detect(mail.quote->fresh, NULL, NULL);
		input.reference_time =
			mail.summary->date != NULL
				? g_date_time_to_unix(mail.summary->date)
				: 0;
		input.timezone = "Europe/Brussels";
		fields = report_parse(parser, &input);
		for (guint f = 0; f < fields->len; f++) {
			const struct report_field *rf = fields->pdata[f];

			g_hash_table_insert(found, (char *)rf->field,
					    g_strdup(rf->value));
		}
		if (lang == NULL)
			g_error("%s: no language line", expected_path);
		score(name, lang, expected, found, &stats.report);
		mail_clear(&mail);
	}
	report_parser_free(&parser);
}

/* NAME.asked: "lang: nl" then "N: field" lines. */
static void
test_replies(void)
{
	g_autoptr(GPtrArray) files = corpus_files("replies");
	g_autofree char *conf =
		g_build_filename(srcdir(), "conf", "questionnaire.conf", NULL);
	g_autoptr(GError) error = NULL;
	struct questionnaire *questionnaire =
		questionnaire_load(conf, NULL, &error);

	g_assert_no_error(error);
	g_assert_cmpuint(files->len, >, 0);
	for (guint i = 0; i < files->len; i++) {
		const char *path = files->pdata[i];
		g_autofree char *expected_path = sibling(path, ".expected");
		g_autofree char *asked_path = sibling(path, ".asked");
		g_autoptr(GHashTable) expected = read_pairs(expected_path);
		g_autoptr(GHashTable) asked = read_pairs(asked_path);
		g_autoptr(GHashTable) found = g_hash_table_new_full(
			g_str_hash, g_str_equal, NULL, g_free);
		g_autoptr(GHashTable) known = g_hash_table_new_full(
			g_str_hash, g_str_equal, g_free, g_free);
		g_autofree char *name = g_path_get_basename(path);
		const char *lang = g_hash_table_lookup(asked, "lang");
		const char *country = g_hash_table_lookup(asked, "country");
		struct reply_question questions[REPLY_MAX_QUESTIONS];
		const char *texts[REPLY_MAX_QUESTIONS][N_LANGS + 1];
		const char *labels[REPLY_MAX_QUESTIONS][N_LANGS + 1];
		gsize n = 0;
		struct mail mail = {0};
		g_autoptr(GPtrArray) answers = NULL;
		GHashTableIter iter;
		gpointer key, value;

		if (lang == NULL)
			g_error("%s: no lang line", asked_path);
		if (country != NULL)
			g_hash_table_insert(known, g_strdup("country"),
					    g_strdup(country));
		g_hash_table_iter_init(&iter, asked);
		while (g_hash_table_iter_next(&iter, &key, &value)) {
			guint64 number;

			if (!g_ascii_string_to_unsigned(key, 10, 1, 99, &number,
							NULL))
				continue;
			g_assert_cmpuint(n, <, REPLY_MAX_QUESTIONS);
			for (int l = 0; l < N_LANGS; l++) {
				texts[n][l] = questionnaire_question_text(
					questionnaire, value, languages[l]);
				labels[n][l] = questionnaire_field_label(
					questionnaire,
					questionnaire_field(questionnaire,
							    value),
					languages[l]);
			}
			texts[n][N_LANGS] = labels[n][N_LANGS] = NULL;
			questions[n] = (struct reply_question){
				.number = (guint)number,
				.field = value,
				.text = questionnaire_question_text(
					questionnaire, value, lang),
				.texts = texts[n],
				.labels = labels[n],
			};
			g_assert_nonnull(questions[n].text);
			n++;
		}
		mail_load(&mail, path);
		answers = reply_parse(mail.quote, questions, n);
		for (guint a = 0; a < answers->len; a++) {
			const struct reply_answer *ra = answers->pdata[a];
			char *normalised = NULL;

			/* What the daemon will store: the raw answer
			 * through the questionnaire's validation. */
			if (questionnaire_validate_value_in(
				    questionnaire, ra->field, ra->raw, known,
				    &normalised, NULL))
				g_hash_table_insert(found, (char *)ra->field,
						    normalised);
			else
				g_hash_table_insert(found, (char *)ra->field,
						    g_strdup(ra->raw));
		}
		score(name, lang, expected, found, &stats.reply);
		mail_clear(&mail);
	}
	questionnaire_unref(&questionnaire);
}

static double
ratio(guint a, guint b)
{
	return b == 0 ? 1.0 : (double)a / b;
}

static void
print_row(const char *name, const struct tally *t)
{
	g_test_message("%-20s %5u %5u %5u   %5.3f   %5.3f", name, t->tp, t->fp,
		       t->fn, ratio(t->tp, t->tp + t->fp),
		       ratio(t->tp, t->tp + t->fn));
}

static void
test_thresholds(void)
{
	struct tally all = {0};
	g_autoptr(GPtrArray) names = g_ptr_array_new();
	GHashTableIter iter;
	gpointer key;
	guint messages = 0;

	g_test_message("%-20s %5s %5s %5s   %5s   %5s", "", "tp", "fp", "fn",
		       "prec", "recall");
	for (int l = 0; l < N_LANGS; l++) {
		g_autofree char *label = g_strdup_printf(
			"lang %s (%u mails)", languages[l], stats.messages[l]);

		print_row(label, &stats.lang[l]);
		all.tp += stats.lang[l].tp;
		all.fp += stats.lang[l].fp;
		all.fn += stats.lang[l].fn;
		messages += stats.messages[l];
	}
	print_row("reports", &stats.report);
	print_row("replies", &stats.reply);
	print_row("holdout (-hN)", &stats.holdout);
	g_hash_table_iter_init(&iter, stats.fields);
	while (g_hash_table_iter_next(&iter, &key, NULL))
		g_ptr_array_add(names, key);
	g_ptr_array_sort(names, compare_names);
	for (guint i = 0; i < names->len; i++)
		print_row(names->pdata[i],
			  g_hash_table_lookup(stats.fields, names->pdata[i]));
	print_row("all", &all);

	g_assert_cmpuint(messages, >=, MIN_MESSAGES);
	for (int l = 0; l < N_LANGS; l++)
		g_assert_cmpuint(stats.messages[l], >=, MIN_MESSAGES_PER_LANG);
	g_assert_cmpfloat(ratio(all.tp, all.tp + all.fp), >=, MIN_PRECISION);
	g_assert_cmpfloat(ratio(all.tp, all.tp + all.fn), >=, MIN_RECALL);
	g_assert_cmpfloat(
		ratio(stats.report.tp, stats.report.tp + stats.report.fn), >=,
		MIN_REPORT_RECALL);
	g_assert_cmpfloat(
		ratio(stats.reply.tp, stats.reply.tp + stats.reply.fn), >=,
		MIN_REPLY_RECALL);
}

int
main(int argc, char **argv)
{
	int rc;

	g_test_init(&argc, &argv, NULL);
	g_mime_init();
	stats.fields =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	stats.verbose = g_getenv("INTAKED_CORPUS_VERBOSE") != NULL;
	g_test_add_func("/corpus/reports", test_reports);
	g_test_add_func("/corpus/replies", test_replies);
	g_test_add_func("/corpus/thresholds", test_thresholds);
	rc = g_test_run();
	g_hash_table_unref(stats.fields);
	g_mime_shutdown();
	return rc;
}
