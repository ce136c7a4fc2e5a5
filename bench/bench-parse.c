/* bench-parse.c — parsing throughput over the evidence corpus
 * (tests/corpus/reports and replies), in memory, one thread:
 *
 *   gmime_msgs_per_s     mime_parse() alone (GMime parse of the bytes)
 *   pipeline_msgs_per_s  mime_parse + mime_summary + mime_body_text +
 *                        quote_parse + lang_detect + report_parse: what
 *                        the intake does with a report
 *   report_msgs_per_s    report_parse alone on the prepared input
 *   reply_msgs_per_s     reply_parse alone on the replies
 *   report_parser_new_ms building the report parser (done once)
 *
 * and issue 4's comparison: what our parsing adds to GMime's parse of
 * the same mail (the pipeline's time per mail minus GMime's):
 *
 *   gmime_us_per_msg     GMime's parse, microseconds per mail
 *   pipeline_us_per_msg  the pipeline's
 *   parser_us_per_msg    the difference: mime_summary_new, mime_body_text,
 *                        quote_parse, lang_detect and report_parse
 *   parser_vs_gmime      parser_us_per_msg / gmime_us_per_msg; the
 *                        target is at most 1
 *
 * GMime and the pipeline are measured in turns (BENCH_ROUNDS rounds of
 * SECONDS / BENCH_ROUNDS each) and the medians kept, so that a change
 * in the machine's load hits both alike.
 *
 * Usage: build/bench-parse [SECONDS] (default 2 per figure).  Run from
 * the repository root or set INTAKED_SRCDIR.  Prints key=value lines. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang.h"
#include "mime.h"
#include "quote.h"
#include "reply.h"
#include "report.h"

struct sample {
	char *data;
	gsize length;
};

static void
load_dir(GArray *samples, const char *srcdir, const char *kind)
{
	g_autofree char *dir =
		g_build_filename(srcdir, "tests", "corpus", kind, NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(GDir) d = g_dir_open(dir, 0, &error);
	const char *name;

	if (d == NULL) {
		fprintf(stderr, "bench-parse: %s\n", error->message);
		exit(1);
	}
	while ((name = g_dir_read_name(d)) != NULL) {
		g_autofree char *path = NULL;
		struct sample s;

		if (!g_str_has_suffix(name, ".eml"))
			continue;
		path = g_build_filename(dir, name, NULL);
		if (!g_file_get_contents(path, &s.data, &s.length, &error)) {
			fprintf(stderr, "bench-parse: %s\n", error->message);
			exit(1);
		}
		g_array_append_val(samples, s);
	}
}

static GMimeMessage *
parse_or_die(const struct sample *s)
{
	g_autoptr(GError) error = NULL;
	GMimeMessage *message =
		mime_parse((const guint8 *)s->data, s->length, NULL, &error);

	if (message == NULL) {
		fprintf(stderr, "bench-parse: %s\n", error->message);
		exit(1);
	}
	return message;
}

static void
run_pipeline(const struct report_parser *parser, const struct sample *s)
{
	GMimeMessage *message = parse_or_die(s);
	struct mime_summary *summary =
		mime_summary_new(message, (const guint8 *)s->data, s->length);
	char *body = mime_body_text((GMimeObject *)message);
	struct quote_result *quote = quote_parse(body, summary->subject);
	struct report_input input = {
		.fresh = quote->fresh,
		.signature = quote->signature,
		.from_addr = summary->from_addr,
		.from_name = summary->from_name,
		.subject = summary->subject,
		.lang = lang_detect(quote->fresh, NULL, NULL),
		.reference_time = 1772440200,
		.timezone = "Europe/Brussels",
	};
	GPtrArray *fields = report_parse(parser, &input);

	g_ptr_array_unref(fields);
	quote_result_free(quote);
	g_free(body);
	mime_summary_free(summary);
	g_object_unref(message);
}

#define BENCH_ROUNDS 5

static int
compare_doubles(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y ? 1 : 0;
}

static double
median(double *values, size_t n)
{
	qsort(values, n, sizeof(*values), compare_doubles);
	return values[n / 2];
}

/* Runs body over all samples until seconds have passed; returns
 * messages per second. */
#define MEASURE(seconds, count, ...)                                           \
	({                                                                     \
		gint64 start_ = g_get_monotonic_time(), now_;                  \
		guint64 done_ = 0;                                             \
		do {                                                           \
			for (guint i = 0; i < (count); i++) {                  \
				__VA_ARGS__;                                   \
			}                                                      \
			done_ += (count);                                      \
			now_ = g_get_monotonic_time();                         \
		} while (now_ - start_ < (gint64)((seconds)*G_USEC_PER_SEC));  \
		(double)done_ *G_USEC_PER_SEC / (double)(now_ - start_);       \
	})

int
main(int argc, char **argv)
{
	const char *srcdir = g_getenv("INTAKED_SRCDIR");
	double seconds = argc > 1 ? g_ascii_strtod(argv[1], NULL) : 2.0;
	g_autoptr(GArray) all =
		g_array_new(FALSE, FALSE, sizeof(struct sample));
	g_autoptr(GArray) replies =
		g_array_new(FALSE, FALSE, sizeof(struct sample));
	struct report_parser *parser;
	g_autoptr(GPtrArray) quotes = g_ptr_array_new_with_free_func(
		(GDestroyNotify)quote_result_free);
	gint64 t0;
	double build_ms, gmime, pipeline, report, reply;
	double gmime_rounds[BENCH_ROUNDS], pipeline_rounds[BENCH_ROUNDS];
	double gmime_us, pipeline_us;
	struct reply_question questions[] = {
		{1, "care_impact", "Is de patiëntenzorg nu verstoord? (ja/nee)",
		 NULL, NULL},
		{2, "backups_available",
		 "Hebt u offline back-ups die niet versleuteld zijn? (ja/nee)",
		 NULL, NULL},
		{3, "contact_phone",
		 "Op welk telefoonnummer kunnen we u nu bereiken?", NULL, NULL},
	};

	if (seconds <= 0)
		seconds = 2.0;
	if (srcdir == NULL)
		srcdir = ".";
	g_mime_init();
	load_dir(all, srcdir, "reports");
	load_dir(replies, srcdir, "replies");
	g_array_append_vals(all, replies->data, replies->len);

	t0 = g_get_monotonic_time();
	parser = report_parser_new();
	build_ms = (double)(g_get_monotonic_time() - t0) / 1000.0;

	for (int r = 0; r < BENCH_ROUNDS; r++) {
		gmime_rounds[r] = MEASURE(seconds / BENCH_ROUNDS, all->len, {
			g_object_unref(parse_or_die(
				&g_array_index(all, struct sample, i)));
		});
		pipeline_rounds[r] = MEASURE(seconds / BENCH_ROUNDS, all->len, {
			run_pipeline(parser,
				     &g_array_index(all, struct sample, i));
		});
	}
	gmime = median(gmime_rounds, BENCH_ROUNDS);
	pipeline = median(pipeline_rounds, BENCH_ROUNDS);

	/* report_parse alone: prepare the inputs once. */
	for (guint i = 0; i < all->len; i++) {
		const struct sample *s = &g_array_index(all, struct sample, i);
		GMimeMessage *message = parse_or_die(s);
		g_autofree char *body = mime_body_text((GMimeObject *)message);
		struct quote_result *quote = quote_parse(body, NULL);

		g_ptr_array_add(quotes, quote);
		g_object_unref(message);
	}
	report = MEASURE(seconds, quotes->len, {
		const struct quote_result *q = quotes->pdata[i];
		struct report_input input = {.fresh = q->fresh,
					     .signature = q->signature,
					     .lang = "nl",
					     .reference_time = 1772440200};

		g_ptr_array_unref(report_parse(parser, &input));
	});
	reply = MEASURE(seconds, quotes->len, {
		g_ptr_array_unref(reply_parse(quotes->pdata[i], questions,
					      G_N_ELEMENTS(questions)));
	});

	printf("messages=%u\n", all->len);
	printf("report_parser_new_ms=%.1f\n", build_ms);
	printf("gmime_msgs_per_s=%.0f\n", gmime);
	printf("pipeline_msgs_per_s=%.0f\n", pipeline);
	printf("report_msgs_per_s=%.0f\n", report);
	printf("reply_msgs_per_s=%.0f\n", reply);
	gmime_us = 1e6 / gmime;
	pipeline_us = 1e6 / pipeline;
	printf("gmime_us_per_msg=%.1f\n", gmime_us);
	printf("pipeline_us_per_msg=%.1f\n", pipeline_us);
	printf("parser_us_per_msg=%.1f\n", pipeline_us - gmime_us);
	printf("parser_vs_gmime=%.2f\n", (pipeline_us - gmime_us) / gmime_us);

	report_parser_free(&parser);
	for (guint i = 0; i < all->len; i++)
		g_free(g_array_index(all, struct sample, i).data);
	g_mime_shutdown();
	return 0;
}
