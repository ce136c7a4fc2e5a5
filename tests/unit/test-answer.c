/* test-answer.c — answer normalisation: yes/no/unknown in four languages,
 * phone numbers as written in BE/NL/DE/FR, lists, dates, addresses, text,
 * and garbage. */
#include <string.h>

#include "answer.h"

/* --- yes / no / unknown ------------------------------------------------ */

struct yesno_case {
	const char *text;
	int expect; /* enum answer_yesno, or -1: not a yes/no answer */
};

static const struct yesno_case yesno_cases[] = {
	/* en */
	{"yes", ANSWER_YES},
	{"Yes.", ANSWER_YES},
	{"YES!", ANSWER_YES},
	{"  y ", ANSWER_YES},
	{"yes, since 7am", ANSWER_YES},
	{"no", ANSWER_NO},
	{"No, not yet", ANSWER_NO},
	{"not yet", ANSWER_NO},
	{"unknown", ANSWER_UNKNOWN},
	{"Don't know", ANSWER_UNKNOWN},
	{"don\u2019t know", ANSWER_UNKNOWN},
	{"no idea", ANSWER_UNKNOWN},
	{"No idea, sorry", ANSWER_UNKNOWN},
	{"not sure", ANSWER_UNKNOWN},
	{"?", ANSWER_UNKNOWN},
	{" ??? ", ANSWER_UNKNOWN},
	/* nl */
	{"ja", ANSWER_YES},
	{"Ja, klopt", ANSWER_YES},
	{"klopt", ANSWER_YES},
	{"Inderdaad.", ANSWER_YES},
	{"nee", ANSWER_NO},
	{"Neen", ANSWER_NO},
	{"nee, nog niet", ANSWER_NO},
	{"geen", ANSWER_NO},
	{"nog niet", ANSWER_NO},
	{"weet niet", ANSWER_UNKNOWN},
	{"Weet ik niet", ANSWER_UNKNOWN},
	{"onbekend", ANSWER_UNKNOWN},
	{"geen idee", ANSWER_UNKNOWN},
	/* fr */
	{"oui", ANSWER_YES},
	{"Oui, tout est arrêté", ANSWER_YES},
	{"tout à fait", ANSWER_YES},
	{"non", ANSWER_NO},
	{"Non.", ANSWER_NO},
	{"pas encore", ANSWER_NO},
	{"je ne sais pas", ANSWER_UNKNOWN},
	{"Je ne sais pas encore", ANSWER_UNKNOWN},
	{"inconnu", ANSWER_UNKNOWN},
	{"pas sûr", ANSWER_UNKNOWN},
	{"aucune idée", ANSWER_UNKNOWN},
	{"peut-être", ANSWER_UNKNOWN},
	/* de */
	{"ja", ANSWER_YES},
	{"Jawohl", ANSWER_YES},
	{"genau", ANSWER_YES},
	{"nein", ANSWER_NO},
	{"Nein, noch nicht", ANSWER_NO},
	{"keine", ANSWER_NO},
	{"unbekannt", ANSWER_UNKNOWN},
	{"weiß nicht", ANSWER_UNKNOWN},
	{"Weiss nicht", ANSWER_UNKNOWN},
	{"keine Ahnung", ANSWER_UNKNOWN},
	{"Ich weiß es nicht.", ANSWER_UNKNOWN},
	/* not an answer of this kind */
	{"", -1},
	{"   ", -1},
	{"the file server", -1},
	{"jaaa", -1},
	{"nonsense", -1},
	{"\xff\xfe", -1},
	{"...", -1},
};

static void
test_yesno(void)
{
	for (size_t i = 0; i < G_N_ELEMENTS(yesno_cases); i++) {
		const struct yesno_case *c = &yesno_cases[i];
		enum answer_yesno value = ANSWER_NO;
		gboolean ok = answer_parse_yesno(c->text, &value);

		if (c->expect < 0) {
			if (ok)
				g_test_message("'%s' read as %s", c->text,
					       answer_yesno_name(value));
			g_assert_false(ok);
			continue;
		}
		if (!ok)
			g_test_message("'%s' not read", c->text);
		g_assert_true(ok);
		if ((int)value != c->expect)
			g_test_message("'%s' read as %s", c->text,
				       answer_yesno_name(value));
		g_assert_cmpint(value, ==, c->expect);
	}
}

static void
test_yesno_limits(void)
{
	g_autofree char *long_yes = g_strnfill(10000, ' ');
	enum answer_yesno value;

	long_yes[0] = 'y';
	g_assert_false(answer_parse_yesno(long_yes, &value));
	g_assert_cmpstr(answer_yesno_name(ANSWER_YES), ==, "yes");
	g_assert_cmpstr(answer_yesno_name(ANSWER_NO), ==, "no");
	g_assert_cmpstr(answer_yesno_name(ANSWER_UNKNOWN), ==, "unknown");
}

/* --- folding ---------------------------------------------------------- */

static const struct {
	const char *text, *expect;
} fold_cases[] = {
	{"Weiß nicht.", "weiss nicht"},
	{"  Data_Breach ", "data breach"},
	{"Rançongiciel", "rancongiciel"},
	{"pas d\u2019incident", "pas d'incident"},
	{"e-mail\t\n server", "e mail server"},
	{"BELGIË!!", "belgie"},
	{"", ""},
	{"?!.", ""},
	{"a\xff", "a\xef\xbf\xbd"},
};

static void
test_fold(void)
{
	for (size_t i = 0; i < G_N_ELEMENTS(fold_cases); i++) {
		g_autofree char *folded = answer_fold(fold_cases[i].text);

		g_assert_cmpstr(folded, ==, fold_cases[i].expect);
	}
}

/* --- phone numbers ---------------------------------------------------- */

struct phone_case {
	const char *text;
	const char *country;
	const char *expect; /* NULL: an error */
};

static const struct phone_case phone_cases[] = {
	/* Belgium */
	{"0475 55 01 23", "BE", "+32475550123"},
	{"0475 55 01 23", "be", "+32475550123"},
	{"0475/55.01.23", "BE", "+32475550123"},
	{"+32 475 55 01 23", NULL, "+32475550123"},
	{"+32 475 55 01 23", "NL", "+32475550123"},
	{"0032475550123", NULL, "+32475550123"},
	{"0032 (0)475 55 01 23", NULL, "+32475550123"},
	{"+32 (0)9 123 45 67", NULL, "+3291234567"},
	{"+32 0475 55 01 23", NULL, "+32475550123"},
	{"(0)9 123 45 67", "BE", "+3291234567"},
	{"09 123 45 67", "BE", "+3291234567"},
	{"Tel: 0475 55 01 23", "BE", "+32475550123"},
	{"GSM 0475\u00a055 01 23", "BE", "+32475550123"},
	/* The Netherlands */
	{"06-12345678", "NL", "+31612345678"},
	{"030 1234567", "NL", "+31301234567"},
	{"+31 6 1234 5678", NULL, "+31612345678"},
	/* Germany */
	{"030 1234567", "DE", "+49301234567"},
	{"+49 30 1234567", NULL, "+49301234567"},
	{"+49 (0)30 1234567", NULL, "+49301234567"},
	{"0049 89 123456", NULL, "+4989123456"},
	{"Telefon: 089 123456", "de", "+4989123456"},
	/* France */
	{"01 23 45 67 89", "FR", "+33123456789"},
	{"01.23.45.67.89", "FR", "+33123456789"},
	{"+33 1 23 45 67 89", NULL, "+33123456789"},
	/* Country unclear: kept as written (white space collapsed). */
	{"0475 55 01 23", NULL, "0475 55 01 23"},
	{"030  1234567", NULL, "030 1234567"},
	{"06-12345678", "BE", "06-12345678"},	  /* too long for BE */
	{"0475 55 01 23", "LU", "0475 55 01 23"}, /* no plan for LU */
	{" 01 23 45 67 89 ", "DE", "+49123456789"},
	{"475 55 01 23", "BE", "475 55 01 23"},
	/* Other countries with an international prefix */
	{"+352 26 12 34 56", NULL, "+35226123456"},
	{"+1 (555) 123-4567", NULL, "+15551234567"},
	/* Not phone numbers */
	{"", "BE", NULL},
	{"   ", "BE", NULL},
	{"call me", "BE", NULL},
	{"0475 55 01 23 or 02 123 45 67", "BE", NULL},
	{"12345", "BE", NULL},
	{"+32 12", NULL, NULL},
	{"+32 475 55 01 23 45 67 89 01", NULL, NULL},
	{"0475 55 01 23 45 67 89 01 23", "BE", NULL},
	{"0475-55-01-23-xyz", "BE", NULL},
	{"\xff\xfe", NULL, NULL},
	{"++32 475", NULL, NULL},
};

static void
test_phone(void)
{
	for (size_t i = 0; i < G_N_ELEMENTS(phone_cases); i++) {
		const struct phone_case *c = &phone_cases[i];
		g_autoptr(GError) error = NULL;
		g_autofree char *out = NULL;
		gboolean ok = answer_normalise_phone(c->text, c->country, &out,
						     &error);
		g_autofree char *quoted = answer_quote(c->text);

		g_test_message("phone %s (%s) -> %s%s", quoted,
			       c->country ? c->country : "-",
			       ok ? out : "error: ", ok ? "" : error->message);
		if (c->expect == NULL) {
			g_assert_false(ok);
			g_assert_nonnull(error);
			g_assert_null(out);
			continue;
		}
		g_assert_no_error(error);
		g_assert_true(ok);
		g_assert_cmpstr(out, ==, c->expect);
	}
}

static void
test_phone_errors_name_value(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *out = NULL;
	g_autofree char *huge = g_strnfill(ANSWER_MAX_BYTES + 1, '1');

	g_assert_false(answer_normalise_phone("call\nme", "BE", &out, &error));
	g_assert_error(error, ANSWER_ERROR, ANSWER_ERROR_INVALID);
	g_assert_cmpstr(error->message, ==, "is not a phone number");
	g_clear_error(&error);
	g_assert_false(answer_normalise_phone("", "BE", &out, &error));
	g_assert_error(error, ANSWER_ERROR, ANSWER_ERROR_EMPTY);
	g_clear_error(&error);
	g_assert_false(answer_normalise_phone(huge, "BE", &out, &error));
	g_assert_error(error, ANSWER_ERROR, ANSWER_ERROR_TOO_LONG);
}

/* --- lists ------------------------------------------------------------ */

struct list_case {
	const char *text;
	const char *expect; /* items joined by '|'; NULL: an error */
};

static const struct list_case list_cases[] = {
	{"forensics, recovery", "forensics|recovery"},
	{"forensics;recovery; prevention", "forensics|recovery|prevention"},
	{"incident response and forensics", "incident response|forensics"},
	{"herstel en preventie", "herstel|preventie"},
	{"restauration et prévention", "restauration|prévention"},
	{"Forensik und Wiederherstellung", "Forensik|Wiederherstellung"},
	{"forensics & recovery / pentest", "forensics|recovery|pentest"},
	{"- forensics\n- recovery\n* pentest\n\u2022 appsec",
	 "forensics|recovery|pentest|appsec"},
	{"  incident   response  ", "incident response"},
	{"a,,b,, ,c", "a|b|c"},
	{"and", ""},
	{"", ""},
	{"   ", ""},
	{",;/", ""},
	{"Engineering en Entwicklung", "Engineering|Entwicklung"},
};

static void
test_list(void)
{
	for (size_t i = 0; i < G_N_ELEMENTS(list_cases); i++) {
		const struct list_case *c = &list_cases[i];
		g_autoptr(GError) error = NULL;
		g_autoptr(GPtrArray) items = answer_split_list(c->text, &error);
		g_autoptr(GString) joined = g_string_new(NULL);

		g_assert_no_error(error);
		g_assert_nonnull(items);
		for (size_t j = 0; j < items->len; j++) {
			if (j > 0)
				g_string_append_c(joined, '|');
			g_string_append(joined, items->pdata[j]);
		}
		g_assert_cmpstr(joined->str, ==, c->expect);
	}
}

static void
test_list_limits(void)
{
	g_autoptr(GString) many = g_string_new(NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) items = NULL;
	g_autofree char *huge = g_strnfill(ANSWER_MAX_BYTES + 1, 'a');

	for (int i = 0; i <= ANSWER_LIST_MAX_ITEMS; i++)
		g_string_append_printf(many, "item%d,", i);
	items = answer_split_list(many->str, &error);
	g_assert_null(items);
	g_assert_error(error, ANSWER_ERROR, ANSWER_ERROR_TOO_LONG);
	g_clear_error(&error);
	items = answer_split_list(huge, &error);
	g_assert_null(items);
	g_assert_error(error, ANSWER_ERROR, ANSWER_ERROR_TOO_LONG);
}

/* --- dates ------------------------------------------------------------ */

struct datetime_case {
	const char *text;
	const char *expect; /* NULL: not parseable */
};

static const struct datetime_case datetime_cases[] = {
	{"2026-03-14", "2026-03-14"},
	{"2026-03-14 07:30", "2026-03-14T07:30"},
	{"2026-03-14T07:30:15", "2026-03-14T07:30:15"},
	{"2026-03-14T07:30:15Z", "2026-03-14T07:30:15Z"},
	{"2026-03-14T07:30+01:00", "2026-03-14T07:30+01:00"},
	{"2026-03-14 07:30 +0100", "2026-03-14T07:30+01:00"},
	{"14/03/2026 07:30", "2026-03-14T07:30"},
	{"14/03/2026, 7:30", "2026-03-14T07:30"},
	{"14-03-2026 om 7u30", "2026-03-14T07:30"},
	{"14-3-2026 om 7u", "2026-03-14T07:00"},
	{"14.03.26 07h30", "2026-03-14T07:30"},
	{"14/03/2026 à 7h", "2026-03-14T07:00"},
	{"14.3.2026 7 Uhr", "2026-03-14T07:00"},
	{"14.3.2026 um 7:30 Uhr", "2026-03-14T07:30"},
	{"14/03/2026 at 7.30", "2026-03-14T07:30"},
	{"14/03/2026 7.30 uur", "2026-03-14T07:30"},
	{" 1/2/2026 ", "2026-02-01"},
	{"29/02/2028", "2028-02-29"},
	/* Not parseable here: the report parser handles relative times. */
	{"vanochtend om 7u", NULL},
	{"yesterday evening", NULL},
	{"07:30", NULL},
	{"", NULL},
	{"2026-02-30", NULL},
	{"29/02/2026", NULL},
	{"14/13/2026", NULL},
	{"14/03/2026 25:00", NULL},
	{"14/03/2026 7:61", NULL},
	{"14/03/2026 7", NULL},
	{"14/03-2026", NULL},
	{"14/03/20261", NULL},
	{"14/03/2026 and more", NULL},
	{"1969-12-31", NULL},
	{"2026-03-14T07:30+15:00", NULL},
};

static void
test_datetime(void)
{
	for (size_t i = 0; i < G_N_ELEMENTS(datetime_cases); i++) {
		const struct datetime_case *c = &datetime_cases[i];
		g_autofree char *iso = NULL;
		gboolean ok = answer_normalise_datetime(c->text, &iso);

		g_test_message("datetime '%s' -> %s", c->text,
			       ok ? iso : "(none)");
		if (c->expect == NULL) {
			g_assert_false(ok);
			g_assert_null(iso);
		} else {
			g_assert_true(ok);
			g_assert_cmpstr(iso, ==, c->expect);
		}
	}
}

/* --- e-mail ----------------------------------------------------------- */

static const struct {
	const char *text, *expect;
} email_cases[] = {
	{"jan.peeters@az-voorbeeld.be", "jan.peeters@az-voorbeeld.be"},
	{" Jan.Peeters@AZ-Voorbeeld.BE ", "Jan.Peeters@az-voorbeeld.be"},
	{"<it@hopital.fr>", "it@hopital.fr"},
	{"mailto:it@klinikum.de", "it@klinikum.de"},
	{"it@klinik-müller.de", "it@klinik-müller.de"},
	{"", NULL},
	{"jan", NULL},
	{"jan@localhost", NULL},
	{"jan @example.org", NULL},
	{"jan..p@example.org", NULL},
	{".jan@example.org", NULL},
	{"jan@-example.org", NULL},
	{"jan@example..org", NULL},
	{"jan@example.org.", NULL},
	{"a@b@example.org", NULL},
	{"jan@exa\xffmple.org", NULL},
};

static void
test_email(void)
{
	for (size_t i = 0; i < G_N_ELEMENTS(email_cases); i++) {
		g_autoptr(GError) error = NULL;
		g_autofree char *out = NULL;
		gboolean ok = answer_normalise_email(email_cases[i].text, &out,
						     &error);

		if (email_cases[i].expect == NULL) {
			g_assert_false(ok);
			g_assert_nonnull(error);
		} else {
			g_assert_no_error(error);
			g_assert_cmpstr(out, ==, email_cases[i].expect);
		}
	}
}

/* --- text ------------------------------------------------------------- */

static void
test_text(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *out = NULL;
	g_autofree char *huge = g_strnfill(ANSWER_MAX_BYTES + 1, 'a');

	g_assert_true(answer_normalise_text("  file server\r\nEPD\x01 ", 100,
					    &out, &error));
	g_assert_no_error(error);
	g_assert_cmpstr(out, ==, "file server\nEPD");
	g_clear_pointer(&out, g_free);

	g_assert_true(answer_normalise_text("é", 1, &out, &error));
	g_clear_pointer(&out, g_free);
	g_assert_false(answer_normalise_text("éé", 1, &out, &error));
	g_assert_error(error, ANSWER_ERROR, ANSWER_ERROR_TOO_LONG);
	g_clear_error(&error);
	g_assert_false(answer_normalise_text(" \r\n\t", 100, &out, &error));
	g_assert_error(error, ANSWER_ERROR, ANSWER_ERROR_EMPTY);
	g_clear_error(&error);
	g_assert_false(answer_normalise_text("a\xff", 100, &out, &error));
	g_assert_error(error, ANSWER_ERROR, ANSWER_ERROR_INVALID);
	g_clear_error(&error);
	g_assert_false(answer_normalise_text(huge, G_MAXSIZE, &out, &error));
	g_assert_error(error, ANSWER_ERROR, ANSWER_ERROR_TOO_LONG);
	g_assert_null(out);
}

/* --- hints and quoting ------------------------------------------------ */

static void
test_closest(void)
{
	static const char *const values[] = {"ransomware", "phishing",
					     "data_breach", NULL};
	g_autofree char *long_word = g_strnfill(200, 'x');

	g_assert_cmpstr(answer_closest("ransomwere", values, 2), ==,
			"ransomware");
	g_assert_cmpstr(answer_closest("Data-Breach", values, 2), ==,
			"data_breach");
	g_assert_null(answer_closest("ddos", values, 2));
	g_assert_null(answer_closest(long_word, values, 2));
}

static void
test_quote(void)
{
	g_autofree char *a = answer_quote("a\"b\\c\n");
	g_autofree char *b = NULL;
	g_autofree char *long_text = g_strnfill(100, 'x');

	g_assert_cmpstr(a, ==, "\"a\\\"b\\\\c\\x0a\"");
	b = answer_quote(long_text);
	g_assert_true(g_str_has_suffix(b, "xxx...\""));
	g_assert_cmpuint(strlen(b), ==, 60 + 5);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/answer/yesno", test_yesno);
	g_test_add_func("/answer/yesno-limits", test_yesno_limits);
	g_test_add_func("/answer/fold", test_fold);
	g_test_add_func("/answer/phone", test_phone);
	g_test_add_func("/answer/phone-errors", test_phone_errors_name_value);
	g_test_add_func("/answer/list", test_list);
	g_test_add_func("/answer/list-limits", test_list_limits);
	g_test_add_func("/answer/datetime", test_datetime);
	g_test_add_func("/answer/email", test_email);
	g_test_add_func("/answer/text", test_text);
	g_test_add_func("/answer/closest", test_closest);
	g_test_add_func("/answer/quote", test_quote);
	return g_test_run();
}
