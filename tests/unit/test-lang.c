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
	g_test_add_func("/lang/hostile", test_lang_hostile);
	return g_test_run();
}
