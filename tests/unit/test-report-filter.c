/* test-report-filter.c — the report parser's literal filters
 * (parsers/report-filter.c): which prefixes a pattern yields, and that a
 * filter never rules out a pattern that matches: every filtered pattern
 * of the real parser is run against the corpus texts, their clauses and
 * hand-made texts (upper case, Kelvin sign, long s), and wherever the
 * pattern matches, the filter must have said it may. */
#include <string.h>

#include "report-internal.h"

struct prefix_case {
	const char *pattern;
	const char *want; /* prefixes joined by '|', NULL: no filter */
};

static const struct prefix_case prefix_cases[] = {
	{"ransomware|ransom ?(?:note|demand)", "ransomware|ransom"},
	{"\\bconti\\b|Ryuk", "conti|ryuk"},
	{"servers?|drives?", "server|drive"},
	{"cancel+ed", "cancel"},
	{"l+ed", "ed"},
	{"(?:files|data) (?:\\S+ ){0,3}encrypted", "files|data"},
	{"\\b(?:spoed|SEH)\\b", "spoed|seh"},
	{"A&E|ER", "a&e|er"},
	{"(?:^|[\\s(])\\.lockbit\\w*", "lockbit"},
	{"\\b\\w{16,56}\\.onion\\b", "onion"},
	{"[\\w-]*(?:README|DECRYPT)[\\w-]*\\.txt", "readme|decrypt"},
	{"(?:ab)?cd", "cd"},
	{"[ab]cd", "cd"},
	{"(?=abc)abc", "abc"},
	{"ab(?=x)cd", "abcd"},
	{"(?<h>2[0-3]|1\\d)uur", "uur"},
	{"Lösegeld|losgeld", "segeld|losgeld"},
	{"a\\.b", NULL},
	{"x|yz", NULL},
	{"(?:x|yz)", NULL},
	{"(?i:abc)", NULL},
	{"(?x)a b c", NULL},
	{"abc|", NULL},
	{"(?!)", NULL},
	{"[a|b]", NULL},
	{"[[:alpha:]ab]cd", NULL},
	{"\\x41BC|\\cAB", NULL},
	{"\\pLab|\\101bc", NULL},
	{"\\x{a0}abc|\\p{L}de", "abc|de"},
};

static char *
prefixes_of(const char *pattern)
{
	struct report_filters *filters = report_filters_new();
	GString *out = g_string_new(NULL);
	char *result;

	/* The pattern string itself stands in for a GRegex: only its
	 * address is used as the key. */
	report_filters_add(filters, (const GRegex *)pattern, pattern);
	for (guint i = 0; i < filters->literals->len; i++) {
		const struct filter_literal *l = filters->literals->pdata[i];

		if (out->len > 0)
			g_string_append_c(out, '|');
		g_string_append(out, l->text);
	}
	result = filters->count > 0 ? g_strdup(out->str) : NULL;
	g_string_free(out, TRUE);
	report_filters_free(&filters);
	return result;
}

static void
test_prefixes(void)
{
	for (gsize i = 0; i < G_N_ELEMENTS(prefix_cases); i++) {
		g_autofree char *got = prefixes_of(prefix_cases[i].pattern);

		g_test_message("%s", prefix_cases[i].pattern);
		g_assert_cmpstr(got, ==, prefix_cases[i].want);
	}
}

/* Every regex of the parser that has a filter. */
static GPtrArray *
filtered_regexes(const struct report_parser *parser)
{
	GPtrArray *regexes = g_ptr_array_new();
	GHashTableIter iter;
	gpointer key;

	g_hash_table_iter_init(&iter, parser->filters->by_regex);
	while (g_hash_table_iter_next(&iter, &key, NULL))
		g_ptr_array_add(regexes, key);
	return regexes;
}

/* For text and each piece of it between ",.;\n": a filtered regex that
 * matches there must be one the filter keeps for that range. */
static void
check_text(const struct report_parser *parser, GPtrArray *regexes,
	   const char *text)
{
	struct parse parse = {.parser = parser};
	gsize length = strlen(text);

	parse.hits = report_filters_scan(parser->filters, text);
	for (guint r = 0; r < regexes->len; r++) {
		const GRegex *regex = regexes->pdata[r];
		gsize start = 0;

		if (g_regex_match(regex, text, 0, NULL) &&
		    !report_may_match(&parse, regex))
			g_error("filter ruled out /%s/, which matches "
				"\"%.80s\"",
				g_regex_get_pattern(regex), text);
		while (start <= length) {
			gsize end = start + strcspn(text + start, ",.;\n");
			g_autofree char *piece =
				g_strndup(text + start, end - start);

			if (g_regex_match(regex, piece, 0, NULL) &&
			    !report_may_match_in(&parse, regex, start, end))
				g_error("filter ruled out /%s/, which matches "
					"\"%.80s\"",
					g_regex_get_pattern(regex), piece);
			start = end + 1;
		}
	}
	report_filter_hits_free(&parse.hits);
}

static const char *const hand_made[] = {
	"RANSOMWARE OP DE FILESERVER, SPOED LIGT STIL",
	"Ransomware; Backups: ONDUIDELIJK",
	"ransom\xC5\xBF"
	"are (long s), \xE2\x84\xAA"
	"onti (Kelvin sign)",
	"\xC4\xB0"
	"nfected, \xC4\xB1"
	"nfected",
	"Die Dateien sind VERSCHLÜSSELT, die Notaufnahme ist geschlossen.",
	"Les serveurs sont CHIFFRÉS depuis hier soir, pas de sauvegarde.",
	"",
};

static void
test_never_rules_out_a_match(void)
{
	struct report_parser *parser = report_parser_new();
	g_autoptr(GPtrArray) regexes = filtered_regexes(parser);
	const char *src = g_getenv("INTAKED_SRCDIR");
	const char *kinds[] = {"reports", "replies"};
	guint texts = 0;

	g_assert_cmpuint(regexes->len, >, 100);
	for (gsize i = 0; i < G_N_ELEMENTS(hand_made); i++, texts++)
		check_text(parser, regexes, hand_made[i]);
	for (gsize k = 0; k < G_N_ELEMENTS(kinds); k++) {
		g_autofree char *dir =
			g_build_filename(src != NULL ? src : ".", "tests",
					 "corpus", kinds[k], NULL);
		g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
		const char *name;

		g_assert_nonnull(d);
		while ((name = g_dir_read_name(d)) != NULL) {
			g_autofree char *path =
				g_build_filename(dir, name, NULL);
			g_autofree char *data = NULL;
			g_autofree char *upper = NULL;

			if (!g_str_has_suffix(name, ".eml") ||
			    !g_file_get_contents(path, &data, NULL, NULL) ||
			    !g_utf8_validate(data, -1, NULL))
				continue;
			upper = g_utf8_strup(data, -1);
			check_text(parser, regexes, data);
			check_text(parser, regexes, upper);
			texts += 2;
		}
	}
	g_test_message("%u texts, %u filtered patterns", texts, regexes->len);
	g_assert_cmpuint(texts, >, 150);
	report_parser_free(&parser);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/report-filter/prefixes", test_prefixes);
	g_test_add_func("/report-filter/never-rules-out-a-match",
			test_never_rules_out_a_match);
	return g_test_run();
}
