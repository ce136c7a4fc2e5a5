/* test-reply.c — reply_parse on the ways people answer numbered
 * questions: inline under the quote, numbered top posts, "key: value",
 * bare lines above the quote; Outlook reflowing; wrong or missing
 * numbers; and hostile input.  Longer mails are in tests/corpus/replies
 * (test-corpus). */
#include <string.h>

#include "reply.h"

static const char *const labels_care[] = {"Patiëntenzorg verstoord",
					  "Patient care disrupted", NULL};
static const char *const labels_backups[] = {"Offline back-ups beschikbaar",
					     "Offline backups available", NULL};
static const char *const labels_phone[] = {"Telefoon", "Phone", NULL};
static const char *const texts_care[] = {
	"Is patient care disrupted right now? (yes/no)",
	"Is de patiëntenzorg nu verstoord? (ja/nee)",
	"Les soins aux patients sont-ils perturbés en ce moment ? (oui/non)",
	"Ist die Patientenversorgung gerade beeinträchtigt? (ja/nein)", NULL};

/* Three questions asked in Dutch. */
static const struct reply_question questions_nl[] = {
	{1, "care_impact", "Is de patiëntenzorg nu verstoord? (ja/nee)",
	 texts_care, labels_care},
	{2, "backups_available",
	 "Hebt u offline back-ups die niet versleuteld zijn? (ja/nee)", NULL,
	 labels_backups},
	{3, "contact_phone", "Op welk telefoonnummer kunnen we u nu bereiken?",
	 NULL, labels_phone},
};

#define QUOTED_NL                                                              \
	"> 1. Is de patiëntenzorg nu verstoord? (ja/nee)\n"                   \
	"> 2. Hebt u offline back-ups die niet versleuteld zijn? (ja/nee)\n"   \
	"> 3. Op welk telefoonnummer kunnen we u nu bereiken?\n"

struct reply_case {
	const char *name;
	const char *body;
	/* "field=raw=method" triples separated by '|'; "field=-" means no
	 * answer; raw is compared exactly (after trimming) */
	const char *want;
};

static const struct reply_case cases[] = {
	{"inline",
	 "Op ma 2 mrt 2026 om 10:02 schreef CERT <cert@cert.example>:\n"
	 "> 1. Is de patiëntenzorg nu verstoord? (ja/nee)\n\nJa, spoed ligt "
	 "stil.\n\n"
	 "> 2. Hebt u offline back-ups die niet versleuteld zijn? "
	 "(ja/nee)\n\nNee\n\n"
	 "> 3. Op welk telefoonnummer kunnen we u nu bereiken?\n\n0475 55 01 "
	 "23\n",
	 "care_impact=Ja, spoed ligt stil.=inline|backups_available=Nee=inline|"
	 "contact_phone=0475 55 01 23=inline"},
	{"numbered-one-line",
	 "1. ja 2. nee 3. 0475 55 01 23\n\nOp ma 2 mrt 2026 om 10:02 schreef "
	 "CERT <cert@cert.example>:\n" QUOTED_NL,
	 "care_impact=ja=numbered|backups_available=nee=numbered|"
	 "contact_phone=0475 55 01 23=numbered"},
	{"numbered-lines-parens",
	 "Hallo,\n\n1) ja\n2) weet niet\n3) 0475 55 01 23\n",
	 "care_impact=ja=numbered|backups_available=weet niet=numbered|"
	 "contact_phone=0475 55 01 23=numbered"},
	{"numbered-repeats-question",
	 "1. Is de patiëntenzorg nu verstoord? Ja, de spoed.\n"
	 "2. Hebt u offline back-ups die niet versleuteld zijn? (ja/nee) "
	 "Nee\n",
	 "care_impact=Ja, de spoed.=numbered|backups_available=Nee=numbered"},
	{"numbered-unknown-number-ignored", "7. ja\n9. nee\n",
	 "care_impact=-|backups_available=-"},
	{"key-value-labels",
	 "Telefoon: 0475 55 01 23\nBackups: nee\n\n> oude tekst\n",
	 "contact_phone=0475 55 01 23=key_value|"
	 "backups_available=nee=key_value"},
	{"key-value-field-id", "care_impact: no\n", "care_impact=no=key_value"},
	{"key-value-not-url-or-time",
	 "Zie https://example.org/x en om 10:30 gebeurd.\n",
	 "care_impact=-|contact_phone=-"},
	{"above-quote",
	 "Hoi,\n\nJa\nNee\n0475 55 01 23\n\n"
	 "Op ma 2 mrt 2026 om 10:02 schreef CERT <cert@cert.example>:\n"
	 "> Beste,\n>\n" QUOTED_NL,
	 "care_impact=Ja=above_quote|backups_available=Nee=above_quote|"
	 "contact_phone=0475 55 01 23=above_quote"},
	{"above-quote-count-mismatch",
	 "Ja\nNee\n\nOp ma 2 mrt 2026 om 10:02 schreef CERT "
	 "<cert@cert.example>:\n" QUOTED_NL,
	 "care_impact=-|backups_available=-"},
	{"reflowed-quote",
	 "Op 2 maart 2026 10:30 schreef CERT <cert@cert.example>:\n"
	 "> 1. Is de patiëntenzorg nu\n> verstoord? (ja/nee)\nneen\n"
	 "> 2. Hebt u offline back-ups die\n> niet versleuteld zijn?\n"
	 "> (ja/nee)\nja, tapes\n",
	 "care_impact=neen=inline|backups_available=ja, tapes=inline"},
	{"numbers-lost-text-matches",
	 "On Mon, 2 Mar 2026 at 10:02, CERT <cert@cert.example> wrote:\n"
	 "> Is patient care disrupted right now? (yes/no)\n\nno\n",
	 "care_impact=no=inline"},
	{"number-fallback-when-text-edited",
	 "Op ma 2 mrt 2026 om 10:02 schreef CERT <cert@cert.example>:\n"
	 "> 3. [tekst weggeknipt]\n\n0475 55 01 23\n",
	 "contact_phone=0475 55 01 23=inline"},
	{"outlook-unmarked-inline",
	 "Zie hieronder.\n\n-----Oorspronkelijk bericht-----\n"
	 "Van: CERT <cert@cert.example>\nVerzonden: maandag 2 maart 2026 "
	 "10:00\nAan: Jan\nOnderwerp: vragen\n\n"
	 "1. Is de patiëntenzorg nu verstoord? (ja/nee)\nJA\n"
	 "2. Hebt u offline back-ups die niet versleuteld zijn? (ja/nee)\n"
	 "NEE\n",
	 "care_impact=JA=inline|backups_available=NEE=inline"},
	{"no-answers",
	 "Bel me aub.\n\nOp ma 2 mrt 2026 om 10:02 schreef CERT "
	 "<cert@cert.example>:\n" QUOTED_NL,
	 "care_impact=-|backups_available=-|contact_phone=-"},
	{"empty", "", "care_impact=-"},
	{"garbage", "\x01\x02\xff\xfe> > > >\n1.\n2)\n:::\n> 1.\n",
	 "backups_available=-"},
};

static void
check(const GPtrArray *answers, const char *want)
{
	g_auto(GStrv) triples = g_strsplit(want, "|", -1);

	for (guint i = 0; i < answers->len; i++) {
		const struct reply_answer *a = answers->pdata[i];

		g_assert_nonnull(a->raw);
		g_assert_true(g_utf8_validate(a->raw, -1, NULL));
		g_assert_cmpfloat(a->confidence, >, 0.0);
		g_assert_cmpfloat(a->confidence, <=, 1.0);
	}
	for (size_t i = 0; triples[i] != NULL; i++) {
		g_auto(GStrv) parts = g_strsplit(triples[i], "=", 3);
		const struct reply_answer *a = reply_find(answers, parts[0]);

		if (strcmp(parts[1], "-") == 0) {
			if (a != NULL)
				g_test_message("%s: unexpected \"%s\"",
					       parts[0], a->raw);
			g_assert_null(a);
			continue;
		}
		if (a == NULL)
			g_test_message("%s: missing", parts[0]);
		g_assert_nonnull(a);
		g_assert_cmpstr(a->raw, ==, parts[1]);
		g_assert_cmpstr(reply_method_name(a->method), ==, parts[2]);
	}
}

static void
test_case(gconstpointer data)
{
	const struct reply_case *c = data;
	g_autoptr(QuoteResult) quote = quote_parse(c->body, "Re: vragen");
	g_autoptr(GPtrArray) answers =
		reply_parse(quote, questions_nl, G_N_ELEMENTS(questions_nl));

	check(answers, c->want);
}

/* A field asked twice (two question numbers) yields one answer. */
static void
test_field_once(void)
{
	const struct reply_question twice[] = {
		{1, "care_impact", "Is de patiëntenzorg nu verstoord?", NULL,
		 NULL},
		{2, "care_impact", "Is de patiëntenzorg nu verstoord?", NULL,
		 NULL},
	};
	g_autoptr(QuoteResult) quote = quote_parse("1. ja\n2. nee\n", NULL);
	g_autoptr(GPtrArray) answers =
		reply_parse(quote, twice, G_N_ELEMENTS(twice));

	g_assert_cmpuint(answers->len, ==, 1);
}

static void
test_no_questions(void)
{
	g_autoptr(QuoteResult) quote = quote_parse("1. ja\n", NULL);
	g_autoptr(GPtrArray) a = reply_parse(quote, NULL, 0);
	g_autoptr(GPtrArray) b = reply_parse(NULL, questions_nl, 3);

	g_assert_cmpuint(a->len, ==, 0);
	g_assert_cmpuint(b->len, ==, 0);
	g_assert_null(reply_find(NULL, "care_impact"));
	reply_answer_free(NULL);
}

/* Thousands of quoted lines and questions: bounded, no crash. */
static void
test_huge(void)
{
	GString *body = g_string_new("1. ja\n\n");
	struct reply_question many[REPLY_MAX_QUESTIONS + 10];
	g_autoptr(QuoteResult) quote = NULL;
	g_autoptr(GPtrArray) answers = NULL;
	gint64 start;

	for (int i = 0; i < 20000; i++)
		g_string_append(body, "> Is de patiëntenzorg nu verstoord? "
				      "Hebt u offline back-ups?\nja\n");
	for (size_t i = 0; i < G_N_ELEMENTS(many); i++)
		many[i] = (struct reply_question){
			(guint)i + 1, i == 0 ? "care_impact" : "description",
			"Is de patiëntenzorg nu verstoord? Hebt u offline "
			"back-ups die niet versleuteld zijn?",
			NULL, NULL};
	quote = quote_parse(body->str, NULL);
	start = g_get_monotonic_time();
	answers = reply_parse(quote, many, G_N_ELEMENTS(many));
	g_assert_cmpint(g_get_monotonic_time() - start, <, 30 * G_USEC_PER_SEC);
	g_assert_nonnull(reply_find(answers, "care_impact"));
	g_string_free(body, TRUE);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *path =
			g_strdup_printf("/reply/%s", cases[i].name);

		g_test_add_data_func(path, &cases[i], test_case);
	}
	g_test_add_func("/reply/field-once", test_field_once);
	g_test_add_func("/reply/no-questions", test_no_questions);
	g_test_add_func("/reply/huge", test_huge);
	return g_test_run();
}
