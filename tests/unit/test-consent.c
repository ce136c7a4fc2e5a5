/* test-consent.c — the requester's yes or no to passing the case to a
 * provider, in four languages, with negations, conditions and deferrals;
 * and our quoted question never counts. */
#include <string.h>

#include "consent.h"

struct consent_case {
	const char *text;
	enum consent_answer expect;
	const char *reason;   /* NULL: not checked */
	const char *language; /* NULL: not checked */
};

static const struct consent_case consent_cases[] = {
	/* plain yes */
	{"yes, go ahead", CONSENT_YES, "yes", "en"},
	{"Yes.", CONSENT_YES, "yes", NULL},
	{"Yes please, go ahead.", CONSENT_YES, "yes", "en"},
	{"No problem, please do.", CONSENT_YES, "yes", "en"},
	{"We have no objection.", CONSENT_YES, "yes", "en"},
	{"Ja, wij geven toestemming", CONSENT_YES, "yes", "nl"},
	{"Ja hoor, geen bezwaar.", CONSENT_YES, "yes", "nl"},
	{"Akkoord", CONSENT_YES, "yes", "nl"},
	{"Oui, nous donnons notre accord", CONSENT_YES, "yes", "fr"},
	{"D'accord, pas de problème.", CONSENT_YES, "yes", "fr"},
	{"Je n'ai pas d'objection.", CONSENT_YES, "yes", "fr"},
	{"Ja, einverstanden", CONSENT_YES, "yes", "de"},
	{"Gerne, kein Problem.", CONSENT_YES, "yes", "de"},
	{"Hello,\n\nyes, that is fine by us.\n\nThanks", CONSENT_YES, "yes",
	 "en"},
	/* a withdrawal names the consent, but is never a yes */
	{"We withdraw our consent.", CONSENT_NO, "withdrawal", "en"},
	{"We no longer consent", CONSENT_NO, "withdrawal", "en"},
	{"toestemming intrekken", CONSENT_NO, "withdrawal", "nl"},
	{"Je retire mon consentement.", CONSENT_NO, "withdrawal", "fr"},
	{"Einwilligung widerrufen", CONSENT_NO, "withdrawal", "de"},
	/* plain no */
	{"no", CONSENT_NO, "no", NULL},
	{"No thanks.", CONSENT_NO, "no", "en"},
	{"We do not agree.", CONSENT_NO, "no", "en"},
	{"We'd rather not.", CONSENT_NO, "no", "en"},
	{"nee, liever niet", CONSENT_NO, "no", "nl"},
	{"Wij geven geen toestemming.", CONSENT_NO, "no", "nl"},
	{"Niet akkoord.", CONSENT_NO, "no", "nl"},
	{"non merci", CONSENT_NO, "no", "fr"},
	{"Nous ne sommes pas d'accord.", CONSENT_NO, "no", "fr"},
	{"Nein, keine Weitergabe", CONSENT_NO, "no", "de"},
	{"Wir sind nicht einverstanden.", CONSENT_NO, "no", "de"},
	{"We don't want that.", CONSENT_NO, "no", "en"},
	{"Dat willen we niet.", CONSENT_NO, "no", "nl"},
	{"Nous ne souhaitons pas.", CONSENT_NO, "no", "fr"},
	{"Bitte nicht.", CONSENT_NO, "no", "de"},
	{"Natuurlijk, geen enkel probleem", CONSENT_YES, "yes", "nl"},
	{"C'est bon pour nous.", CONSENT_YES, "yes", "fr"},
	{"Das passt.", CONSENT_YES, "yes", "de"},
	/* deferrals and conditions: ask again */
	{"first ask our DPO", CONSENT_UNCLEAR, "condition", "en"},
	{"I need to check with our data protection officer.", CONSENT_UNCLEAR,
	 "condition", "en"},
	{"eerst onze DPO/FG vragen", CONSENT_UNCLEAR, "condition", "nl"},
	{"Ja, maar eerst overleggen met onze FG.", CONSENT_UNCLEAR, "condition",
	 "nl"},
	{"je dois d'abord demander au DPO", CONSENT_UNCLEAR, "condition", "fr"},
	{"Oui, sauf le numéro de téléphone.", CONSENT_UNCLEAR, "condition",
	 "fr"},
	{"Ja, aber zuerst mit dem Datenschutzbeauftragten sprechen.",
	 CONSENT_UNCLEAR, "condition", "de"},
	{"yes but not the phone number", CONSENT_UNCLEAR, "condition", "en"},
	{"OK, not the phone number.", CONSENT_UNCLEAR, "condition", NULL},
	{"Maybe.", CONSENT_UNCLEAR, "condition", "en"},
	{"Not now.", CONSENT_UNCLEAR, "condition", "en"},
	{"Go ahead, but only the email address.", CONSENT_UNCLEAR, "condition",
	 "en"},
	{"Misschien later.", CONSENT_UNCLEAR, "condition", "nl"},
	/* mixed, questions, nothing */
	{"Yes. No. I mean no.", CONSENT_UNCLEAR, "mixed", NULL},
	{"Ja. Nee toch niet.", CONSENT_UNCLEAR, "mixed", NULL},
	{"Yes, who are these providers?", CONSENT_UNCLEAR, "question", NULL},
	{"Wie zijn die partners?", CONSENT_UNCLEAR, "question", NULL},
	{"", CONSENT_UNCLEAR, "empty", NULL},
	{"   \n\n  ", CONSENT_UNCLEAR, "empty", NULL},
	{"Thank you for your mail.", CONSENT_UNCLEAR, "no_answer", NULL},
	{"> yes, go ahead", CONSENT_UNCLEAR, "empty", NULL},
};

static void
test_consent_table(void)
{
	for (size_t i = 0; i < G_N_ELEMENTS(consent_cases); i++) {
		const struct consent_case *c = &consent_cases[i];
		g_autoptr(ConsentResult) result = consent_parse(c->text);

		if (result->answer != c->expect ||
		    (c->reason && strcmp(result->reason, c->reason) != 0) ||
		    (c->language &&
		     g_strcmp0(result->language, c->language) != 0))
			g_test_message(
				"\"%s\": %s/%s/%s, expected %s/%s/%s", c->text,
				consent_answer_name(result->answer),
				result->reason,
				result->language ? result->language : "-",
				consent_answer_name(c->expect),
				c->reason ? c->reason : "*",
				c->language ? c->language : "*");
		g_assert_cmpint(result->answer, ==, c->expect);
		if (c->reason)
			g_assert_cmpstr(result->reason, ==, c->reason);
		if (c->language)
			g_assert_cmpstr(result->language, ==, c->language);
	}
}

static void
test_consent_excerpt(void)
{
	g_autoptr(ConsentResult) yes =
		consent_parse("Dear CERT,\n\nJa, wij geven toestemming.\n");
	g_autoptr(ConsentResult) none = consent_parse("Thanks!");
	g_autoptr(GString) longer = g_string_new("Yes, ");
	g_autoptr(ConsentResult) cut = NULL;

	g_assert_cmpstr(yes->excerpt, ==, "Ja, wij geven toestemming.");
	g_assert_null(none->excerpt);
	for (int i = 0; i < 100; i++)
		g_string_append(longer, "go ahead ");
	cut = consent_parse(longer->str);
	g_assert_cmpint(cut->answer, ==, CONSENT_YES);
	g_assert_cmpint(g_utf8_strlen(cut->excerpt, -1), ==,
			CONSENT_EXCERPT_MAX_CHARS + 3);
	g_assert_true(g_str_has_suffix(cut->excerpt, "..."));
}

/* Our question, quoted below the answer, holds "yes" and "no" itself. */
static void
test_consent_reply_quoted(void)
{
	static const char body[] =
		"Oui, nous donnons notre accord.\n"
		"\n"
		"Le 3 déc. 2026 à 10:00, CERT <cert@example.org> a écrit :\n"
		"> May we pass your request to a volunteer provider?\n"
		"> Answer yes or no. Non / oui / ja / nee.\n";
	static const char refused[] =
		"No.\n\n"
		"On Thu, Dec 3, 2026 at 10:00 AM CERT <cert@example.org> "
		"wrote:\n"
		"> Reply yes to agree, or tell us first what you want.\n";
	g_autoptr(ConsentResult) result = consent_parse_reply(body, NULL);
	g_autoptr(ConsentResult) no = consent_parse_reply(refused, NULL);

	g_assert_cmpint(result->answer, ==, CONSENT_YES);
	g_assert_cmpstr(result->language, ==, "fr");
	g_assert_cmpint(no->answer, ==, CONSENT_NO);
}

/* Sign-off, signature, disclaimer and mobile footer are not the answer:
 * "niet" in the disclaimer must not turn the yes into a partial one. */
static void
test_consent_reply_signature(void)
{
	static const char body[] =
		"Ja, dat is goed.\n"
		"\n"
		"Met vriendelijke groet,\n"
		"\n"
		"Jan Peeters\n"
		"ICT-security AZ Voorbeeld\n"
		"\n"
		"Dit bericht is vertrouwelijk. Indien u niet de bedoelde "
		"ontvanger bent, gelieve het te verwijderen.\n"
		"\n"
		"Verzonden vanaf mijn iPhone\n"
		"\n"
		"Op 3 dec. 2026 om 10:00 heeft CERT <cert@example.org> het "
		"volgende geschreven:\n"
		"> Mogen wij uw vraag doorgeven? Antwoord ja of nee.\n";
	g_autoptr(ConsentResult) result =
		consent_parse_reply(body, "RE: [CERT-2026-0042] Toestemming");

	g_assert_cmpint(result->answer, ==, CONSENT_YES);
	g_assert_cmpstr(result->excerpt, ==, "Ja, dat is goed.");
	g_assert_cmpstr(result->language, ==, "nl");
}

static void
test_consent_limits(void)
{
	g_autoptr(GString) big = g_string_new(NULL);
	g_autoptr(ConsentResult) result = NULL;
	g_autoptr(ConsentResult) garbage = consent_parse("\xff\xfe yes \xc3");
	g_autoptr(ConsentResult) nothing = consent_parse_reply(NULL, NULL);

	for (int i = 0; i < 5000; i++)
		g_string_append(big, "line\n");
	g_string_append(big, "yes\n");
	result = consent_parse(big->str);
	g_assert_true(result->truncated);
	g_assert_cmpint(result->answer, ==, CONSENT_UNCLEAR);
	g_assert_cmpint(garbage->answer, ==, CONSENT_YES);
	g_assert_cmpstr(nothing->reason, ==, "empty");
}

struct withdrawal_case {
	const char *text;
	gboolean expect;
};

static const struct withdrawal_case withdrawal_cases[] = {
	/* explicit withdrawals */
	{"I withdraw my consent.", TRUE},
	{"We withdraw consent", TRUE},
	{"withdraw consent", TRUE},
	{"WITHDRAW CONSENT", TRUE},
	{"Please note: we revoke consent, effective now.", TRUE},
	{"We no longer consent.", TRUE},
	{"Hello,\n\nwe withdraw our consent.\n\nRegards,\nIT desk", TRUE},
	{"toestemming intrekken", TRUE},
	{"Wij trekken onze toestemming in.", TRUE},
	{"Ik trek mijn toestemming in", TRUE},
	{"Hierbij trekken wij onze toestemming in.", TRUE},
	{"Je retire mon consentement.", TRUE},
	{"Nous retirons notre consentement", TRUE},
	{"retirer mon consentement", TRUE},
	{"Ich widerrufe meine Einwilligung.", TRUE},
	{"Hiermit widerrufe ich meine Einwilligung.", TRUE},
	{"Wir widerrufen unsere Einwilligung", TRUE},
	{"Einwilligung widerrufen", TRUE},
	{"einwilligung WIDERRUFEN", TRUE},
	{"Zustimmung zurückziehen", TRUE},
	{"Zustimmung zuruckziehen", TRUE},
	/* not a withdrawal */
	{"no help has arrived yet", FALSE},
	{"no", FALSE},
	{"nee", FALSE},
	{"non", FALSE},
	{"nein", FALSE},
	{"yes, we consent", FALSE},
	{"We do not withdraw.", FALSE},
	{"do not withdraw consent", FALSE},
	{"We don't withdraw our consent.", FALSE},
	{"We will never revoke consent.", FALSE},
	{"Ne retirez pas", FALSE},
	{"Nous ne retirons pas notre consentement.", FALSE},
	{"Je ne retire pas mon consentement.", FALSE},
	{"Wir wollen die Einwilligung nicht widerrufen.", FALSE},
	{"nicht widerrufen", FALSE},
	{"Wir widerrufen unsere Einwilligung nicht.", FALSE},
	{"Wij trekken onze toestemming niet in.", FALSE},
	{"How do we withdraw consent later?", FALSE},
	{"We withdraw the report, it was a false alarm.", FALSE},
	{"", FALSE},
	/* says both: not explicit */
	{"We withdraw consent.\nActually no, do not withdraw consent.", FALSE},
};

static void
test_withdrawal_table(void)
{
	for (gsize i = 0; i < G_N_ELEMENTS(withdrawal_cases); i++) {
		const struct withdrawal_case *c = &withdrawal_cases[i];
		gboolean got = consent_is_withdrawal(c->text);

		if (got != c->expect)
			g_error("\"%s\": withdrawal %d, want %d", c->text, got,
				c->expect);
	}
	g_assert_false(consent_is_withdrawal(NULL));
}

/* Our own instructions, quoted below the answer, never count. */
static void
test_withdrawal_reply_quoted(void)
{
	const char *quoted_only =
		"Thanks, no help has arrived yet.\n"
		"\n"
		"On 3 Dec 2026, CERT wrote:\n"
		"> You can withdraw your consent at any time: reply\n"
		"> \"withdraw consent\" to this message.\n";
	const char *fresh =
		"Wij trekken onze toestemming in.\n"
		"\n"
		"Op 3 dec. 2026 schreef CERT:\n"
		"> Antwoord \"toestemming intrekken\" om uw toestemming\n"
		"> in te trekken.\n";

	g_assert_false(consent_is_withdrawal_reply(
		quoted_only, "RE: [CERT-2026-0042] Introduction"));
	g_assert_true(consent_is_withdrawal_reply(
		fresh, "RE: [CERT-2026-0042] Introductie"));
	g_assert_false(consent_is_withdrawal_reply(NULL, NULL));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/consent/table", test_consent_table);
	g_test_add_func("/consent/excerpt", test_consent_excerpt);
	g_test_add_func("/consent/reply-quoted", test_consent_reply_quoted);
	g_test_add_func("/consent/reply-signature",
			test_consent_reply_signature);
	g_test_add_func("/consent/limits", test_consent_limits);
	g_test_add_func("/consent/withdrawal-table", test_withdrawal_table);
	g_test_add_func("/consent/withdrawal-reply-quoted",
			test_withdrawal_reply_quoted);
	return g_test_run();
}
