/* test-lang.c — lang_detect on the short texts people send a CERT. */
#include <string.h>

#include "lang.h"

struct lang_case {
	const char *text;
	const char *expect; /* NULL: no answer */
};

static const struct lang_case lang_cases[] = {
	/* English */
	{"Hi, our file server got encrypted last night", "en"},
	{"Help, all our files are encrypted", "en"},
	{"We think we have been hacked", "en"},
	{"Please call me back asap, our systems are down", "en"},
	{"Phishing mail received by several staff members this morning", "en"},
	{"Is this a known issue?", "en"},
	{"Thanks, that helps.", "en"},
	{"Dear CERT, we would like to report an incident at our hospital.",
	 "en"},
	{"The ransomware note says to contact them on Tor.", "en"},
	{"I received a suspicious email with an attachment", "en"},
	{"Someone logged into the VPN from an unknown country", "en"},
	{"Kind regards,\nJohn Smith\nIT manager", "en"},
	{"Re: still no access to the EPD since 07:00, what should we do?",
	 "en"},
	/* Dutch */
	{"Vanochtend om 7u zagen we dat alle bestanden op de fileserver "
	 ".lockbit hebben, spoed ligt stil",
	 "nl"},
	{"Help, alle bestanden zijn versleuteld", "nl"},
	{"We zijn gehackt", "nl"},
	{"Bel ons zo snel mogelijk terug, het ziekenhuis ligt plat", "nl"},
	{"Goedemorgen, wij hebben een verdachte mail ontvangen", "nl"},
	{"Is dit bekend bij jullie?", "nl"},
	{"Dank je, dat helpt.", "nl"},
	{"Beste CERT, hierbij melden wij een incident in ons ziekenhuis.",
	 "nl"},
	{"Iemand heeft vannacht ingelogd op de VPN vanuit het buitenland",
	 "nl"},
	{"Met vriendelijke groet,\nPiet de Vries", "nl"},
	{"De printer werkt niet meer sinds gisteren", "nl"},
	{"Wij zien vreemd verkeer naar buiten", "nl"},
	/* Dutch with an English signature */
	{"Hallo, vannacht zijn onze servers versleuteld en we kunnen niet "
	 "meer bij de patientgegevens. Graag hulp.\n\n--\nJan Jansen\n"
	 "IT manager\nSent from my iPhone",
	 "nl"},
	/* French */
	{"Bonjour, nous avons été piratés cette nuit", "fr"},
	{"Tous nos fichiers sont chiffrés", "fr"},
	{"Nous pensons avoir été piratés", "fr"},
	{"Merci de nous rappeler, nos serveurs sont en panne", "fr"},
	{"Un courriel suspect a été reçu ce matin par l'équipe", "fr"},
	{"Est-ce un problème connu ?", "fr"},
	{"Merci, ça aide.", "fr"},
	{"Madame, Monsieur, nous souhaitons signaler un incident à "
	 "l'hôpital.",
	 "fr"},
	{"Quelqu'un s'est connecté au VPN depuis un pays inconnu", "fr"},
	{"Cordialement,\nMarie Dubois", "fr"},
	{"L'imprimante ne marche plus depuis hier", "fr"},
	{"Le rançongiciel demande un paiement en bitcoin", "fr"},
	/* French with an English signature */
	{"Bonjour, nos serveurs sont chiffrés depuis ce matin, nous avons "
	 "besoin d'aide.\n--\nSent from my phone",
	 "fr"},
	/* German */
	{"Hallo, bei uns sind alle Server verschlüsselt", "de"},
	{"Hilfe, alle unsere Dateien sind verschlüsselt", "de"},
	{"Wir glauben, wir wurden gehackt", "de"},
	{"Bitte rufen Sie uns zurück, unsere Systeme sind ausgefallen", "de"},
	{"Heute früh haben mehrere Mitarbeiter eine verdächtige Mail "
	 "erhalten",
	 "de"},
	{"Ist das bekannt?", "de"},
	{"Danke, das hilft.", "de"},
	{"Sehr geehrte Damen und Herren, wir möchten einen Vorfall in "
	 "unserem Krankenhaus melden.",
	 "de"},
	{"Jemand hat sich aus dem Ausland am VPN angemeldet", "de"},
	{"Mit freundlichen Grüßen\nHans Müller", "de"},
	{"Der Drucker geht seit gestern nicht mehr", "de"},
	{"Die Erpressernachricht verlangt Bitcoin von uns", "de"},
	/* German with an English signature */
	{"Guten Tag, seit heute Nacht sind unsere Daten verschlüsselt. "
	 "Bitte um Hilfe.\n\nBest regards\nIT",
	 "de"},
	/* Too little evidence */
	{"", NULL},
	{"   \n\t ", NULL},
	{"12345 678 2026-03-02 07:15", NULL},
	{"https://example.org/a/b?c=d www.example.nl cert@example.org", NULL},
	{"Hallo", NULL},
	{"ok", NULL},
	{"Merci", "fr"},
	{"Danke!", "de"},
	{"Thanks!", "en"},
	{"Bedankt!", "nl"},
	{"!!!???", NULL},
	{"10.0.0.5 192.168.1.1 fe80::1", NULL},
};

static void
test_lang_table(void)
{
	guint right = 0;
	guint total = 0;

	for (gsize i = 0; i < G_N_ELEMENTS(lang_cases); i++) {
		const struct lang_case *c = &lang_cases[i];
		double confidence = -1;
		const char *got = lang_detect(c->text, NULL, &confidence);

		total++;
		if (g_strcmp0(got, c->expect) == 0)
			right++;
		else
			g_test_message("wrong: \"%s\" gave %s, expected %s",
				       c->text, got ? got : "NULL",
				       c->expect ? c->expect : "NULL");
		g_assert_cmpfloat(confidence, >=, 0.0);
		g_assert_cmpfloat(confidence, <=, 1.0);
		if (got == NULL)
			g_assert_cmpfloat(confidence, ==, 0.0);
	}
	g_test_message("accuracy: %u/%u", right, total);
	g_assert_cmpuint(right, ==, total);
}

struct allowed_case {
	const char *text;
	const char *allowed[5];
	const char *expect;
};

static const struct allowed_case allowed_cases[] = {
	{"Hallo, bei uns sind alle Server verschlüsselt", {"en", "nl"}, NULL},
	{"Bonjour, nous avons été piratés cette nuit", {"fr"}, "fr"},
	{"Vanochtend zijn alle bestanden versleuteld", {"NL", "de"}, "nl"},
	{"Hi, our file server got encrypted last night", {"nl"}, NULL},
	{"Hi, our file server got encrypted last night", {NULL}, NULL},
};

static void
test_lang_allowed(void)
{
	for (gsize i = 0; i < G_N_ELEMENTS(allowed_cases); i++) {
		const struct allowed_case *c = &allowed_cases[i];

		g_assert_cmpstr(lang_detect(c->text, c->allowed, NULL), ==,
				c->expect);
	}
}

/* The exact confidence, as each text was scored before words were read
 * where they stand (ASCII tokens) and lowered only where needed: case,
 * apostrophes, elisions, digits, addresses and the characters that send
 * a token down the slower path (accents, U+2019, Greek, no-break space,
 * a capital I with a dot). */
struct exact_case {
	const char *text;
	const char *expect;
	double confidence;
};

static const struct exact_case exact_cases[] = {
	{"I'm sure it's THE The tHe and AND of", "en", 1},
	{"Qu'il l'equipe d'un n'est j'ai c'est s'est", "fr", 1},
	{"l\u2019\u00e9quipe QU\u2019IL aujourd\u2019hui it\u2019s", "fr",
	 0.75},
	{"\u00c9T\u00c9 PIRAT\u00c9S D\u00c9J\u00c0 tr\u00e8s "
	 "Gr\u00fc\u00dfe GR\u00dc\u00dfE",
	 "fr", 0.16666666666666666},
	{"x86 7u the9 9the abc'9 9'the the-9 and of to", "en",
	 0.83333333333333337},
	{"https://example.org/the www.the.org WWW.DE.NL mail@the.and "
	 "C:\\the the/and het is",
	 "nl", 0.16666666666666666},
	{"bij WIJ rIJk ijs zijn de het een", "nl", 0.9375},
	{"\u03a3\u0391\u03a3 the and \u039f\u0394\u039f\u03a3 of", "en", 0.5},
	{"the\u00a0and wij\u200bzijn de het", "nl", 0.41666666666666669},
	{"\u0130stanbul and the \u212aELVIN of", "en", 0.66666666666666663},
	{"\u0153uvre c\u0153ur \u0152UVRE le la", "fr", 0.58333333333333337},
	{"'the' ''and'' don't'' the'' of", "en", 0.83333333333333337},
	{"Thanks, Regards, MERCI Bonjour DANKE Bitte", NULL, 0},
	{"In was so wie alle hier, die de en is: was in so man um der den.",
	 "de", 0.42857142857142871},
	{"IN WAS SO WIE ALLE HIER DIE DE EN IS WAS IN SO MAN UM DER DEN", "de",
	 0.42857142857142871},
	{"Is het in de mail? Die was er al, ook hier bij ons.", "nl",
	 0.78947368421052633},
	{"Wij zijn al in paniek, die hackers waren er vannacht al", "nl",
	 0.76595744680851063},
	{"Tout est chiffr\u00e9, m\u00eame les donn\u00e9es de "
	 "l\u2019h\u00f4pital",
	 "fr", 0.94736842105263153},
	/* Not UTF-8 where no word is read: no answer. */
	{"www.\xC3x the and the of to", NULL, 0},
	{"a/\xE2\x80 the and the of to", NULL, 0},
};

static void
test_lang_exact(void)
{
	for (gsize i = 0; i < G_N_ELEMENTS(exact_cases); i++) {
		const struct exact_case *c = &exact_cases[i];
		double confidence = -1;

		g_assert_cmpstr(lang_detect(c->text, NULL, &confidence), ==,
				c->expect);
		g_assert_true(confidence == c->confidence);
	}
}

/* The start of a long text is read; all of it must be UTF-8. */
static void
test_lang_long(void)
{
	g_autoptr(GString) text = g_string_new(NULL);
	double confidence = -1;

	/* A two-byte character across the end of what is read. */
	while (text->len < 16383)
		g_string_append(text, "wir sind gehackt ");
	g_string_truncate(text, 16383);
	g_string_append(text, "\u00fcber the and of");
	g_assert_cmpstr(lang_detect(text->str, NULL, &confidence), ==, "de");
	g_assert_true(confidence == 0.80000000000000004);
	g_string_append_c(text, '\xC3');
	g_assert_null(lang_detect(text->str, NULL, &confidence));
	g_assert_true(confidence == 0);
	/* More words than are read. */
	g_string_truncate(text, 0);
	for (int i = 0; i < 700; i++)
		g_string_append(text, "the ");
	g_assert_cmpstr(lang_detect(text->str, NULL, &confidence), ==, "en");
	g_assert_true(confidence == 1);
	g_string_append_c(text, '\xFF');
	g_assert_null(lang_detect(text->str, NULL, NULL));
}

static void
test_lang_hostile(void)
{
	g_autoptr(GString) big = g_string_new(NULL);

	g_assert_null(lang_detect(NULL, NULL, NULL));
	g_assert_null(lang_detect("caf\xE9 the and of", NULL, NULL));
	while (big->len < 4 * 1024 * 1024)
		g_string_append(big, "wir sind gehackt ");
	g_assert_cmpstr(lang_detect(big->str, NULL, NULL), ==, "de");
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/lang/table", test_lang_table);
	g_test_add_func("/lang/allowed", test_lang_allowed);
	g_test_add_func("/lang/exact", test_lang_exact);
	g_test_add_func("/lang/long", test_lang_long);
	g_test_add_func("/lang/hostile", test_lang_hostile);
	return g_test_run();
}
