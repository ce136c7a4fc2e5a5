/* fuzz-report.c — libFuzzer harness for report_parse.  The first byte
 * picks the language and time zone; the rest is split at 0x1e (record
 * separator) into fresh text, signature, sender address, display name and
 * subject, so every input of report_input is explored.  The fresh text
 * also goes through the hand-written time matcher, which must find what
 * the time regex finds. */
#include <stdint.h>
#include <string.h>
#include <glib.h>

#include "report-internal.h"
#include "report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* report_time_next() against the regex on text (repaired), when the
 * matcher takes it. */
static void
check_time_matcher(const struct report_parser *parser, const char *text)
{
	g_autofree char *valid = g_utf8_make_valid(text, -1);
	gsize end = strlen(valid), at = 0;
	g_autoptr(GMatchInfo) info = NULL;
	struct report_time_match m;
	int seen = 0;

	if (!report_time_scannable(valid, 0, end))
		return;
	g_regex_match_full(parser->time, valid, (gssize)end, 0, 0, &info, NULL);
	for (; seen < 32; seen++) {
		int s, e, hs, he;
		gboolean by_hand = report_time_next(valid, at, end, &m);

		if (seen > 0)
			g_match_info_next(info, NULL);
		if (by_hand != g_match_info_matches(info))
			__builtin_trap();
		if (!by_hand)
			break;
		g_match_info_fetch_pos(info, 0, &s, &e);
		g_match_info_fetch_pos(info, 2, &hs, &he);
		if ((gsize)s != m.start || (gsize)e != m.end ||
		    hs != m.hour[0] || he != m.hour[1])
			__builtin_trap();
		at = m.end;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const langs[] = {NULL, "en", "nl", "fr", "de"};
	static const char *const zones[] = {NULL, "Europe/Brussels", "UTC",
					    "Not/AZone"};
	/* Compiling the tables once is what the daemon does too. */
	static struct report_parser *parser;
	g_autofree char *text = NULL;
	g_auto(GStrv) parts = NULL;
	struct report_input input = {0};
	g_autoptr(GPtrArray) fields = NULL;
	guint n;

	if (size < 1)
		return 0;
	if (parser == NULL)
		parser = report_parser_new();
	text = g_strndup((const char *)data + 1, size - 1);
	parts = g_strsplit(text, "\x1e", 5);
	n = g_strv_length(parts);
	input.fresh = n > 0 ? parts[0] : NULL;
	input.signature = n > 1 ? parts[1] : NULL;
	input.from_addr = n > 2 ? parts[2] : NULL;
	input.from_name = n > 3 ? parts[3] : NULL;
	input.subject = n > 4 ? parts[4] : NULL;
	input.lang = langs[data[0] % G_N_ELEMENTS(langs)];
	input.timezone = zones[(data[0] >> 3) % G_N_ELEMENTS(zones)];
	/* Also extreme reference times. */
	input.reference_time = (data[0] & 0x80) ? G_MAXINT64 : 1772440200;
	if (input.fresh != NULL)
		check_time_matcher(parser, input.fresh);
	fields = report_parse(parser, &input);
	for (guint i = 0; i < fields->len; i++) {
		const struct report_field *f = fields->pdata[i];

		if (!g_utf8_validate(f->value, -1, NULL) ||
		    !g_utf8_validate(f->excerpt, -1, NULL))
			__builtin_trap();
	}
	return 0;
}
