/* test-provider-answer.c — a provider's accept or decline of an
 * introduction in four languages; the quoted introduction never
 * counts. */
#include <string.h>

#include "provider-answer.h"

struct answer_case {
	const char *text;
	enum provider_answer expect;
	const char *language; /* NULL: not checked */
};

static const struct answer_case answer_cases[] = {
	/* the one-word answers introduction_provider asks for */
	{"accept", PROVIDER_ANSWER_ACCEPT, "en"},
	{"decline", PROVIDER_ANSWER_DECLINE, "en"},
	{"Accepteren", PROVIDER_ANSWER_ACCEPT, "nl"},
	{"weigeren", PROVIDER_ANSWER_DECLINE, "nl"},
	{"Accepter", PROVIDER_ANSWER_ACCEPT, "fr"},
	{"Refuser.", PROVIDER_ANSWER_DECLINE, "fr"},
	{"Annehmen", PROVIDER_ANSWER_ACCEPT, "de"},
	{"ablehnen", PROVIDER_ANSWER_DECLINE, "de"},
	{"Wir nehmen an.", PROVIDER_ANSWER_ACCEPT, "de"},
	{"Nous ne pouvons pas accepter.", PROVIDER_ANSWER_DECLINE, "fr"},
	{"Wir können das leider nicht annehmen.", PROVIDER_ANSWER_DECLINE,
	 "de"},
	{"We take it", PROVIDER_ANSWER_ACCEPT, "en"},
	{"Yes, we'll take it. Who is the contact?", PROVIDER_ANSWER_ACCEPT,
	 "en"},
	{"Happy to help.", PROVIDER_ANSWER_ACCEPT, "en"},
	{"Wij nemen dit op ons", PROVIDER_ANSWER_ACCEPT, "nl"},
	{"Ja, we pakken het op.", PROVIDER_ANSWER_ACCEPT, "nl"},
	{"Nous acceptons", PROVIDER_ANSWER_ACCEPT, "fr"},
	{"Oui, on s'en charge.", PROVIDER_ANSWER_ACCEPT, "fr"},
	{"Wir übernehmen", PROVIDER_ANSWER_ACCEPT, "de"},
	{"Gerne, das übernehmen wir.", PROVIDER_ANSWER_ACCEPT, "de"},
	{"Sorry, no capacity this week", PROVIDER_ANSWER_DECLINE, "en"},
	{"We cannot take this one, sorry.", PROVIDER_ANSWER_DECLINE, "en"},
	{"We can't help right now.", PROVIDER_ANSWER_DECLINE, "en"},
	{"We do not accept.", PROVIDER_ANSWER_DECLINE, "en"},
	{"Helaas geen capaciteit", PROVIDER_ANSWER_DECLINE, "nl"},
	{"Nee, we zitten vol.", PROVIDER_ANSWER_DECLINE, "nl"},
	{"pas disponible", PROVIDER_ANSWER_DECLINE, "fr"},
	{"Nous n'acceptons pas, désolés.", PROVIDER_ANSWER_DECLINE, "fr"},
	{"leider keine Kapazität", PROVIDER_ANSWER_DECLINE, "de"},
	{"Das übernehmen wir leider nicht.", PROVIDER_ANSWER_DECLINE, "de"},
	{"We'll take this one. I'll call them this afternoon.",
	 PROVIDER_ANSWER_ACCEPT, "en"},
	{"Prima, doen we.", PROVIDER_ANSWER_ACCEPT, "nl"},
	{"Je m'en occupe.", PROVIDER_ANSWER_ACCEPT, "fr"},
	{"Machen wir.", PROVIDER_ANSWER_ACCEPT, "de"},
	{"We are at full capacity, sorry.", PROVIDER_ANSWER_DECLINE, "en"},
	{"Sorry, we can't.", PROVIDER_ANSWER_DECLINE, "en"},
	{"Not this time.", PROVIDER_ANSWER_DECLINE, "en"},
	{"Kunnen we niet doen, te druk.", PROVIDER_ANSWER_DECLINE, "nl"},
	{"Désolé, nous sommes complets.", PROVIDER_ANSWER_DECLINE, "fr"},
	{"Das können wir leider nicht übernehmen.", PROVIDER_ANSWER_DECLINE,
	 "de"},
	{"Wir sind derzeit ausgelastet.", PROVIDER_ANSWER_DECLINE, "de"},
	{"Only if it can wait until Monday.", PROVIDER_ANSWER_UNCLEAR, "en"},
	{"Misschien volgende week.", PROVIDER_ANSWER_UNCLEAR, "nl"},
	{"Peut-être la semaine prochaine.", PROVIDER_ANSWER_UNCLEAR, "fr"},
	{"Vielleicht, nur wenn es remote geht.", PROVIDER_ANSWER_UNCLEAR, "de"},
	{"Yes. Actually no.", PROVIDER_ANSWER_UNCLEAR, NULL},
	{"Thanks for thinking of us.", PROVIDER_ANSWER_UNCLEAR, NULL},
	{"", PROVIDER_ANSWER_UNCLEAR, NULL},
};

static void
test_answer_table(void)
{
	for (size_t i = 0; i < G_N_ELEMENTS(answer_cases); i++) {
		const struct answer_case *c = &answer_cases[i];
		g_autoptr(ProviderAnswerResult) result =
			provider_answer_parse(c->text);

		if (result->answer != c->expect ||
		    (c->language &&
		     g_strcmp0(result->language, c->language) != 0))
			g_test_message(
				"\"%s\": %s/%s/%s, expected %s/%s", c->text,
				provider_answer_name(result->answer),
				result->reason,
				result->language ? result->language : "-",
				provider_answer_name(c->expect),
				c->language ? c->language : "*");
		g_assert_cmpint(result->answer, ==, c->expect);
		if (c->language)
			g_assert_cmpstr(result->language, ==, c->language);
	}
}

/* The introduction, quoted below, says "accept" and "decline" itself. */
static void
test_answer_quoted_introduction(void)
{
	static const char accept[] =
		"Wij nemen dit op ons.\n"
		"\n"
		"Op do 3 dec 2026 om 10:00 schreef CERT <cert@example.org>:\n"
		"> Can you take this case? Reply 'we take it' to accept or\n"
		"> 'no capacity' to decline.\n";
	static const char decline[] =
		"Sorry, no capacity this week.\n"
		"\n"
		"-----Original Message-----\n"
		"From: CERT <cert@example.org>\n"
		"Sent: Thursday, December 3, 2026 10:00\n"
		"To: intake@provider.example.test\n"
		"Subject: Introduction [CERT-2026-0042]\n"
		"\n"
		"Can you take this case? Answer yes to accept.\n";
	static const char only_quote[] = "> We take it\n> yes\n";
	g_autoptr(ProviderAnswerResult) a =
		provider_answer_parse_reply(accept, NULL);
	g_autoptr(ProviderAnswerResult) d = provider_answer_parse_reply(
		decline, "RE: Introduction [CERT-2026-0042]");
	g_autoptr(ProviderAnswerResult) q =
		provider_answer_parse_reply(only_quote, NULL);

	g_assert_cmpint(a->answer, ==, PROVIDER_ANSWER_ACCEPT);
	g_assert_cmpstr(a->excerpt, ==, "Wij nemen dit op ons.");
	g_assert_cmpint(d->answer, ==, PROVIDER_ANSWER_DECLINE);
	g_assert_cmpstr(d->reason, ==, "decline");
	g_assert_cmpint(q->answer, ==, PROVIDER_ANSWER_UNCLEAR);
	g_assert_cmpstr(q->reason, ==, "empty");
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/provider-answer/table", test_answer_table);
	g_test_add_func("/provider-answer/quoted-introduction",
			test_answer_quoted_introduction);
	return g_test_run();
}
