/* test-report.c — report_parse on short texts: negations, the four
 * languages and mixes of them, relative times against a reference time
 * and time zone, phone numbers and countries, organisations, and hostile
 * input (empty, garbage, invalid UTF-8, megabytes).  The longer mails are
 * in tests/corpus/reports (test-corpus). */
#include <string.h>

#include "quote.h"
#include "report-patterns.h"
#include "report.h"

/* Monday 2 March 2026, 09:30 in Brussels (08:30 UTC). */
#define MONDAY_0930 1772440200

struct report_case {
	const char *name;
	const char *fresh;
	const char *signature;
	const char *from;
	const char *lang;
	gint64 now; /* 0: MONDAY_0930 */
	/* "field=value" pairs separated by ';'; "field=-" means absent */
	const char *want;
};

static const struct report_case cases[] = {
	/* --- the brief's example ----------------------------------------- */
	{"example-nl",
	 "Vanochtend om 7u zagen we dat alle bestanden op de fileserver "
	 ".lockbit hebben, spoed ligt stil, backups onduidelijk. Bel 0475 55 "
	 "01 23 — Jan, IT AZ Voorbeeld Gent",
	 NULL, "jan@az-voorbeeld.be", "nl", 0,
	 "incident_type=ransomware;care_impact=yes;backups_available=unknown;"
	 "detected_at=2026-03-02T07:00;contact_phone=+32475550123;"
	 "contact_name=Jan;organisation=AZ Voorbeeld Gent;location=Gent;"
	 "systems_affected=fileserver;country=BE;language=nl"},

	/* --- negations ------------------------------------------------------
	 */
	{"geen-backups", "Alles is versleuteld en er zijn geen backups.", NULL,
	 NULL, "nl", 0, "backups_available=no;incident_type=ransomware"},
	{"pas-de-sauvegarde", "Tout est chiffré. Pas de sauvegarde hors ligne.",
	 NULL, NULL, "fr", 0, "backups_available=no"},
	{"backups-fine", "Servers are encrypted but our backups are fine.",
	 NULL, NULL, "en", 0, "backups_available=yes;incident_type=ransomware"},
	{"backups-unklar", "Server verschlüsselt. Backups unklar.", NULL, NULL,
	 "de", 0, "backups_available=unknown"},
	{"backups-also-encrypted", "Our backups were also encrypted.", NULL,
	 NULL, "en", 0, "backups_available=no"},
	{"care-not-affected",
	 "Malware on two PCs. Patient care is not affected.", NULL, NULL, "en",
	 0, "care_impact=no;incident_type=malware"},
	{"care-spoed", "De spoed ligt stil.", NULL, NULL, "nl", 0,
	 "care_impact=yes"},
	{"care-spoed-ook", "Alles ligt plat, spoed ook.", NULL, NULL, "nl", 0,
	 "care_impact=yes"},
	{"care-urgences", "Les urgences sont à l'arrêt.", NULL, NULL, "fr", 0,
	 "care_impact=yes"},
	{"care-notaufnahme", "Notaufnahme geschlossen!", NULL, NULL, "de", 0,
	 "care_impact=yes"},
	{"care-loopt-door", "De zorg loopt gewoon door.", NULL, NULL, "nl", 0,
	 "care_impact=no"},
	{"care-nicht", "Die Patientenversorgung ist nicht beeinträchtigt.",
	 NULL, NULL, "de", 0, "care_impact=no"},
	{"geen-ransomware-wel-phishing",
	 "Geen ransomware gelukkig, wel een phishingmail.", NULL, NULL, "nl", 0,
	 "incident_type=phishing"},
	{"exfil-none", "No signs of data exfiltration.", NULL, NULL, "en", 0,
	 "data_exfiltration=no"},
	{"exfil-ob", "Ob Daten abgeflossen sind, wissen wir nicht.", NULL, NULL,
	 "de", 0, "data_exfiltration=unknown"},
	{"exfil-publish", "Les données des patients ont été volées.", NULL,
	 NULL, "fr", 0, "data_exfiltration=yes"},
	{"police-not-yet", "Cryptolocker. Police: not yet.", NULL, NULL, "en",
	 0, "police_report=no"},
	{"police-aangifte", "We hebben aangifte gedaan bij de politie.", NULL,
	 NULL, "nl", 0, "police_report=yes"},
	{"police-plainte", "Nous avons porté plainte.", NULL, NULL, "fr", 0,
	 "police_report=yes"},

	/* --- incident types in four languages -------------------------------
	 */
	{"trojaner", "Ein Verschlüsselungstrojaner hat zugeschlagen.", NULL,
	 NULL, "de", 0, "incident_type=ransomware"},
	{"rancongiciel", "Nous sommes victimes d'un rançongiciel.", NULL, NULL,
	 "fr", 0, "incident_type=ransomware"},
	{"gehackt", "We zijn gehackt.", NULL, NULL, "nl", 0,
	 "incident_type=other"},
	{"piratage", "Piratage de notre site.", NULL, NULL, "fr", 0,
	 "incident_type=other"},
	{"account-overgenomen", "Het account van de directeur is overgenomen.",
	 NULL, NULL, "nl", 0, "incident_type=account_compromise"},
	{"fraude-president", "Victime d'une fraude au président hier.", NULL,
	 NULL, "fr", 0, "incident_type=fraud"},
	{"phishing-mail", "We got a phishing mail.", NULL, NULL, "en", 0,
	 "incident_type=phishing"},
	{"ddos", "DDoS op onze website.", NULL, NULL, "nl", 0,
	 "incident_type=ddos;systems_affected=website"},
	{"no-incident-pentest",
	 "No incident, we want a pentest and awareness training.", NULL, NULL,
	 "en", 0, "incident_type=none;need=awareness,pentest"},
	{"pentest-only", "Wir möchten einen Penetrationstest.", NULL, NULL,
	 "de", 0, "incident_type=none;need=pentest"},
	{"no-incident-no-systems",
	 "Geen incident. Graag een pentest van onze website.", NULL, NULL, "nl",
	 0, "incident_type=none;systems_affected=-"},

	/* --- mixed languages
	   -------------------------------------------------- */
	{"mixed-nl-en",
	 "Hi, we hebben ransomware. Patient care is not affected. Backups "
	 "zijn in orde.",
	 NULL, NULL, "nl", 0,
	 "incident_type=ransomware;care_impact=no;backups_available=yes"},
	{"mixed-fr-en", "Ce matin à 8h the file server was encrypted.", NULL,
	 NULL, "en", 0,
	 "detected_at=2026-03-02T08:00;incident_type=ransomware"},

	/* --- relative times
	   --------------------------------------------------- */
	{"hier-soir", "Nous avons constaté le problème hier soir vers 22h.",
	 NULL, NULL, "fr", 0, "detected_at=2026-03-01T22:00"},
	{"heute-frueh", "Heute früh um 6 haben wir es bemerkt.", NULL, NULL,
	 "de", 0, "detected_at=2026-03-02T06:00"},
	{"this-morning", "We noticed it this morning at 7am.", NULL, NULL, "en",
	 0, "detected_at=2026-03-02T07:00"},
	{"gisteravond", "Gisteravond zagen we rare schermen.", NULL, NULL, "nl",
	 0, "detected_at=2026-03-01"},
	{"yesterday-pm", "Noticed yesterday afternoon at 3:30 pm.", NULL, NULL,
	 "en", 0, "detected_at=2026-03-01T15:30"},
	{"vannacht", "Vannacht om 3u15 begon het.", NULL, NULL, "nl", 0,
	 "detected_at=2026-03-02T03:15"},
	{"absolute", "Bemerkt am 27.02.2026 um 14:30.", NULL, NULL, "de", 0,
	 "detected_at=2026-02-27T14:30"},
	/* 23:30 UTC on Monday is already Tuesday in Brussels */
	{"timezone", "Vanochtend om 7u zagen we het.", NULL, NULL, "nl",
	 1772494200, "detected_at=2026-03-03T07:00"},
	{"hier-is-dutch", "Hier is de fileserver versleuteld.", NULL, NULL,
	 "nl", 0, "detected_at=-"},

	/* --- phones and countries
	   --------------------------------------------- */
	{"phone-nl", "Bel me op 06 12345678.", NULL, "a@zkh.nl", "nl", 0,
	 "contact_phone=+31612345678;country=NL"},
	{"phone-de", "Rückruf bitte 0171 2345678.", NULL, "a@klinik.de", "de",
	 0, "contact_phone=+491712345678;country=DE"},
	{"phone-fr", "Appelez-moi au 06 12 34 56 78.", NULL, "a@ch.fr", "fr", 0,
	 "contact_phone=+33612345678;country=FR"},
	{"phone-prefix-gives-country", "Call +32 475 55 01 23.", NULL,
	 "a@gmail.com", "en", 0, "contact_phone=+32475550123;country=BE"},
	{"phone-mobile-over-switchboard", "Ransomware.",
	 "Jan Peeters\nCentrale 09 123 45 67\nGSM 0475 55 01 23", "j@az.be",
	 "nl", 0, "contact_phone=+32475550123"},
	{"phone-not-fax-or-iban", "Fax 09 123 45 67\nIBAN BE71 0961 2345 6769",
	 NULL, "j@az.be", "nl", 0, "contact_phone=-"},
	{"phone-not-date", "Op 02/03/2026 gebeurd.", NULL, "j@az.be", "nl", 0,
	 "contact_phone=-"},
	/* Numbers next to dates and times, written as each country does;
	 * the hand-written scan must find what the pattern finds. */
	{"phone-be-after-date",
	 "Sinds 02/03/2026 10:15 ligt alles plat. Bel 09/123.45.67 of "
	 "0475/55.01.23.",
	 NULL, "j@az.be", "nl", 0, "contact_phone=+32475550123;country=BE"},
	{"phone-nl-after-date", "Op 2-3-2026 om 07:30 gezien, bel 06-12345678",
	 NULL, "a@zkh.nl", "nl", 0, "contact_phone=+31612345678;country=NL"},
	{"phone-de-trunk-in-parens",
	 "Seit 01.03.2026 verschlüsselt. Rückruf: +49 (0)221 478-0 oder "
	 "0171/2345678",
	 NULL, "a@klinik.de", "de", 0,
	 "contact_phone=+491712345678;country=DE"},
	{"phone-fr-dots",
	 "Le 02.03.2026 à 7h tout est chiffré. Tél. : 06.12.34.56.78", NULL,
	 "a@ch.fr", "fr", 0, "contact_phone=+33612345678;country=FR"},
	{"phone-no-break-spaces",
	 "Bel 0475\xc2\xa0"
	 "55\xc2\xa0"
	 "01\xc2\xa0"
	 "23 graag.",
	 NULL, "j@az.be", "nl", 0, "contact_phone=+32475550123"},
	{"phone-after-letter", "Bel é0471 22 33 44 of Tel0472 22 33 44.", NULL,
	 "j@az.be", "nl", 0, "contact_phone=-"},

	/* --- organisation, location, name ----------------------------------
	 */
	{"chu-de-liege", "Chiffrement.",
	 "Cordialement,\nMarie Dubois\nRSSI\nCHU de Liège\n4000 Liège", NULL,
	 "fr", 0,
	 "organisation=CHU de Liège;location=Liège;contact_name=Marie "
	 "Dubois"},
	{"city-after-in", "Ransomware bij ons ziekenhuis in Brugge.", NULL,
	 NULL, "nl", 0, "location=Brugge"},
	{"introduction", "Ik ben Anouk Smit, verpleegkundige.", NULL, NULL,
	 "nl", 0, "contact_name=Anouk Smit"},
	{"domain-organisation", "Hallo.", NULL, "x@az-delta.be", "nl", 0,
	 "organisation=AZ Delta;country=BE"},
	{"webmail-no-organisation", "Hallo.", NULL, "x@gmail.com", "nl", 0,
	 "organisation=-;country=-"},
	{"domain-organisation-city", "Hallo.", NULL,
	 "x@az-groeninge-kortrijk.be", "nl", 0,
	 "organisation=AZ Groeninge Kortrijk;location=Kortrijk"},
	{"hospital-city-accent", "Wir sind im Klinikum Köln-Merheim betroffen.",
	 NULL, NULL, "de", 0,
	 "organisation=Klinikum Köln-Merheim;location=Köln"},
	{"name-accents", "Ransomware.",
	 "Met vriendelijke groet,\nJosé Müller-Lüdenscheidt\nIT", NULL, "nl", 0,
	 "contact_name=José Müller-Lüdenscheidt"},
	{"name-title-connector", "Ransomware.",
	 "Groeten,\nDr. Hanna van der Berg\nCISO", NULL, "nl", 0,
	 "contact_name=Hanna van der Berg"},
	{"name-signoff-is-no-name", "Chiffrement.", "Cordialement\nDSI", NULL,
	 "fr", 0, "contact_name=-"},
	{"dash-signature", "Alles ligt plat — Jan Peeters, IT", NULL, NULL,
	 "nl", 0, "contact_name=Jan Peeters"},

	/* --- garbage
	   ------------------------------------------------------------ */
	{"empty", "", NULL, NULL, NULL, 0,
	 "incident_type=-;contact_phone=-;language=-"},
	{"null-fresh", NULL, NULL, NULL, NULL, 0, "incident_type=-"},
	{"invalid-utf8", "versleuteld \xff\xfe\x80 spoed ligt stil \xc3", NULL,
	 NULL, "nl", 0, "incident_type=ransomware;care_impact=yes"},
	/* "•" and "–" in a signature line must not be cut into bytes */
	{"bullet-signature", "Ransomware.",
	 "Cordialement,\nMarie Dubois\nRSSI • Clinique Saint-Luc – Namur\n"
	 "\xe2\x80 \x8c\x8c",
	 NULL, "fr", 0, "incident_type=ransomware"},
	{"punctuation", ".,;:!?-- () [] {} ... ---", NULL, NULL, "en", 0,
	 "incident_type=-;detected_at=-"},
};

static void
check_want(const GPtrArray *fields, const char *want)
{
	g_auto(GStrv) pairs = g_strsplit(want, ";", -1);

	for (size_t i = 0; pairs[i] != NULL; i++) {
		g_auto(GStrv) kv = g_strsplit(pairs[i], "=", 2);
		const struct report_field *f = report_find(fields, kv[0]);

		if (strcmp(kv[1], "-") == 0) {
			if (f != NULL)
				g_test_message("%s: unexpected \"%s\"", kv[0],
					       f->value);
			g_assert_null(f);
			continue;
		}
		if (f == NULL)
			g_test_message("%s: missing, want \"%s\"", kv[0],
				       kv[1]);
		g_assert_nonnull(f);
		if (strcmp(f->value, kv[1]) != 0)
			g_test_message("%s: \"%s\", want \"%s\"", kv[0],
				       f->value, kv[1]);
		g_assert_cmpstr(f->value, ==, kv[1]);
		g_assert_cmpfloat(f->confidence, >, 0.0);
		g_assert_cmpfloat(f->confidence, <=, 1.0);
		g_assert_nonnull(f->excerpt);
		g_assert_true(g_utf8_validate(f->excerpt, -1, NULL));
		g_assert_cmpint(g_utf8_strlen(f->excerpt, -1), <=,
				REPORT_MAX_EXCERPT_CHARS);
	}
}

static void
test_case(gconstpointer data)
{
	const struct report_case *c = data;
	struct report_parser *parser = report_parser_new();
	struct report_input input = {
		.fresh = c->fresh,
		.signature = c->signature,
		.from_addr = c->from,
		.lang = c->lang,
		.reference_time = c->now != 0 ? c->now : MONDAY_0930,
		.timezone = "Europe/Brussels",
	};
	g_autoptr(GPtrArray) fields = report_parse(parser, &input);

	check_want(fields, c->want);
	report_parser_free(&parser);
	g_assert_null(parser);
}

/* A forwarded phishing mail's phone and city are not the requester's. */
static void
test_forward_not_requester(void)
{
	const char *body =
		"Zie hieronder een phishingmail.\n\nGroet,\nPieter\n\n"
		"---------- Forwarded message ---------\n"
		"From: Helpdesk <x@evil.example>\n"
		"Date: Mon, Mar 2, 2026 at 7:41 AM\n"
		"Subject: Mailbox vol\n"
		"To: <p@zkh.nl>\n\n"
		"Bel 020 123 4567, IT Servicedesk Amsterdam\n";
	g_autoptr(QuoteResult) quote = quote_parse(body, "Fwd: Mailbox vol");
	struct report_parser *parser = report_parser_new();
	struct report_input input = {
		.fresh = quote->fresh,
		.signature = quote->signature,
		.from_addr = "p@zkh.nl",
		.subject = "Fwd: Mailbox vol",
		.lang = "nl",
		.reference_time = MONDAY_0930,
	};
	g_autoptr(GPtrArray) fields = report_parse(parser, &input);

	check_want(fields, "incident_type=phishing;contact_phone=-;"
			   "location=-");
	report_parser_free(&parser);
}

/* Megabytes of hostile text: bounded work, still a sane answer. */
static void
test_huge_input(void)
{
	GString *text = g_string_new("Spoed ligt stil. ");
	struct report_parser *parser = report_parser_new();
	struct report_input input = {.lang = "nl",
				     .reference_time = MONDAY_0930};
	g_autoptr(GPtrArray) fields = NULL;
	gint64 start;

	while (text->len < 8 * 1024 * 1024)
		g_string_append(text, "versleuteld 0475 55 01 23, om 7u, "
				      "AZ Voorbeeld Gent in Gent ");
	input.fresh = text->str;
	input.signature = text->str;
	input.subject = text->str;
	input.from_name = text->str;
	start = g_get_monotonic_time();
	fields = report_parse(parser, &input);
	/* Generous even for sanitizer builds; unbounded work takes minutes. */
	g_assert_cmpint(g_get_monotonic_time() - start, <, 20 * G_USEC_PER_SEC);
	check_want(fields, "incident_type=ransomware;care_impact=yes");
	report_parser_free(&parser);
	g_string_free(text, TRUE);
}

/* report-people.c scans for cities by hand on what this holds: names
 * start with an ASCII capital and end with an ASCII letter, and hold
 * nothing the regex would read as other than itself. */
static void
test_city_names(void)
{
	for (size_t i = 0; i < report_city_count; i++) {
		const char *name = report_cities[i].name;
		gsize n = strlen(name);

		g_assert_true(g_ascii_isupper(name[0]));
		g_assert_true(g_ascii_isalpha(name[n - 1]));
		for (gsize k = 0; k < n; k++)
			g_assert_true(g_ascii_isalpha(name[k]) ||
				      name[k] == '-' || name[k] == ' ' ||
				      (guchar)name[k] >= 0x80);
	}
}

static void
test_free_null(void)
{
	struct report_parser *parser = NULL;

	report_parser_free(NULL);
	report_parser_free(&parser);
	report_field_free(NULL);
	g_assert_null(report_find(NULL, "country"));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *path =
			g_strdup_printf("/report/%s", cases[i].name);

		g_test_add_data_func(path, &cases[i], test_case);
	}
	g_test_add_func("/report/forward-not-requester",
			test_forward_not_requester);
	g_test_add_func("/report/huge-input", test_huge_input);
	g_test_add_func("/report/city-names", test_city_names);
	g_test_add_func("/report/free-null", test_free_null);
	return g_test_run();
}
