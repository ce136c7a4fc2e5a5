/* test-providers.c — providers.conf: the shipped file, every kind of
 * error with its file and line, regions, on-call windows and time zones,
 * the needs mask, and the qualification group. */
#include <string.h>
#include <glib/gstdio.h>

#include "providers.h"

static char *
shipped_path(void)
{
	const char *srcdir = g_getenv("INTAKED_SRCDIR");

	return g_build_filename(srcdir ? srcdir : ".", "conf", "providers.conf",
				NULL);
}

static struct providers *
load_text(const char *text, GError **error)
{
	return providers_load_string(text, "test.conf", NULL, NULL, error);
}

/* --- the shipped file ------------------------------------------------- */

static void
test_shipped(void)
{
	g_autofree char *path = shipped_path();
	g_autoptr(GError) error = NULL;
	struct providers *providers = providers_load(path, NULL, NULL, &error);
	const struct provider *ghent;
	const struct qualify_rules *rules;
	guint index = 99;

	if (error != NULL)
		g_test_message("%s", error->message);
	g_assert_no_error(error);
	g_assert_cmpuint(providers_count(providers), ==, 6);
	ghent = providers_find(providers, "ghent-ir", &index);
	g_assert_nonnull(ghent);
	g_assert_cmpuint(index, ==, 0);
	g_assert_cmpstr(ghent->contacts[1], ==, "oncall@ghent-ir.example.test");
	g_assert_cmpstr(ghent->fingerprint, ==,
			"3F2A9C417B0E55D1A8C60E9B4D271F83C6A0B512");
	g_assert_cmpuint(ghent->services, ==,
			 providers_needs_mask(providers,
					      "incident_response,forensics,"
					      "recovery",
					      NULL));
	g_assert_cmpuint(ghent->region_count, ==, 2);
	g_assert_cmpint(ghent->regions[0].kind, ==, PROVIDER_REGION_PROVINCE);
	g_assert_cmpstr(ghent->regions[0].subdivision, ==, "BE-VOV");
	g_assert_cmpint(ghent->regions[1].kind, ==, PROVIDER_REGION_POSTCODE);
	g_assert_cmpuint(ghent->regions[1].postcode_low, ==, 9000);
	g_assert_cmpuint(ghent->regions[1].postcode_high, ==, 9999);
	g_assert_cmpuint(ghent->languages_mask, ==,
			 PROVIDER_LANGUAGE_NL | PROVIDER_LANGUAGE_EN);
	g_assert_cmpint(ghent->max_open_cases, ==, 3);
	g_assert_cmpint(ghent->pledged_hours, ==, 120);
	g_assert_cmpuint(ghent->window_count, ==, 2);
	g_assert_cmpstr(ghent->timezone, ==, "Europe/Brussels");
	g_assert_cmpstr(ghent->domains[0], ==, "ghent-ir.example.test");
	g_assert_true(
		providers_find(providers, "hospital-peers", NULL)->paused);
	g_assert_null(providers_find(providers, "nobody", NULL));
	g_assert_nonnull(
		providers_find(providers, "aware-online", NULL)->offer);

	rules = providers_qualify_rules(providers);
	g_assert_cmpint(rules->care_impact_weight, ==, 1000);
	g_assert_cmpuint(g_hash_table_size(rules->types), ==, 9);
	g_assert_cmpstr(rules->incident_if_given[0], ==, "ransom_note");

	/* A reference outlives the caller's. */
	{
		struct providers *second = providers_ref(providers);

		providers_unref(&providers);
		g_assert_null(providers);
		g_assert_cmpuint(providers_count(second), ==, 6);
		providers_unref(&second);
	}
}

static void
test_empty_file(void)
{
	g_autoptr(GError) error = NULL;
	struct providers *providers = load_text("", &error);

	g_assert_no_error(error);
	g_assert_cmpuint(providers_count(providers), ==, 0);
	/* No qualification group: the built-in rules. */
	g_assert_cmpuint(
		g_hash_table_size(providers_qualify_rules(providers)->types),
		==, 9);
	providers_unref(&providers);
}

/* --- errors ----------------------------------------------------------- */

#define GOOD_START                                                             \
	"providers = (\n"                                                      \
	"  {\n"                                                                \
	"    id = \"p1\";\n"                                                   \
	"    name = \"P One\";\n"                                              \
	"    contacts = [ \"a@p1.example.test\" ];\n"                          \
	"    services = [ \"forensics\" ];\n"                                  \
	"    regions = [ \"BE\" ];\n"                                          \
	"    languages = [ \"nl\" ];\n"                                        \
	"    capacity = { max_open_cases = 2; };\n"
/* line 10 onwards is the case's own */
#define GOOD_END "  }\n);\n"

struct error_case {
	const char *text;
	const char *expect; /* a line of the error message */
};

static const struct error_case error_cases[] = {
	{GOOD_START "    colour = \"blue\";\n" GOOD_END,
	 "test.conf:10: unknown key 'colour' in provider 'p1'"},
	{GOOD_START "    offr = \"x\";\n" GOOD_END,
	 "test.conf:10: unknown key 'offr' in provider 'p1'; did you mean "
	 "'offer'?"},
	{GOOD_START "    fingerprint = \"ABCD\";\n" GOOD_END,
	 "test.conf:10: fingerprint of provider 'p1' is not 40 hex digits"},
	{GOOD_START "    offer = 42;\n" GOOD_END,
	 "test.conf:10: offer of provider 'p1' must be a string"},
	{GOOD_START "    domains = [ \"not a domain\" ];\n" GOOD_END,
	 "test.conf:10: domain \"not a domain\" of provider 'p1' is not a "
	 "domain name such as \"example.org\""},
	{GOOD_START
	 "    availability = { timezone = \"Mars/Olympus\"; };\n" GOOD_END,
	 "test.conf:10: timezone 'Mars/Olympus' of provider 'p1' is not a "
	 "time zone such as \"Europe/Brussels\""},
	{GOOD_START "    availability = { timezone = \"UTC\";\n"
		    "      on_call = [ \"Mon-Fri 8-18\" ]; };\n" GOOD_END,
	 "test.conf:11: on_call window \"Mon-Fri 8-18\" of provider 'p1' is "
	 "not like \"Mon-Fri 08:00-18:00\""},
	{GOOD_START "    availability = { on_call = [ \"Mon 08:00-09:00\" ]; "
		    "};\n" GOOD_END,
	 "test.conf:10: the availability of provider 'p1' has on_call windows "
	 "but no timezone"},
	{GOOD_START "    availability = { paused = \"yes\"; };\n" GOOD_END,
	 "test.conf:10: paused of the availability of provider 'p1' must be "
	 "true or false"},
	{GOOD_START "    availability = { pause = true; };\n" GOOD_END,
	 "test.conf:10: unknown key 'pause' in the availability of provider "
	 "'p1'; did you mean 'paused'?"},
	/* in GOOD_START's own lines */
	{"providers = ( { id = \"p1\"; name = \"x\";\n"
	 "  contacts = [ \"not-an-address\" ];\n"
	 "  services = [ \"forensic\" ];\n"
	 "  regions = [ \"Belgium\" ];\n"
	 "  languages = [ \"es\" ];\n"
	 "  capacity = { max_open_cases = 0; pledged_hours = \"many\"; };\n"
	 "} );\n",
	 "test.conf:2: contact \"not-an-address\" of provider 'p1' "},
	{"providers = ( { id = \"p1\"; name = \"x\";\n"
	 "  contacts = [ \"a@b.example.test\" ];\n"
	 "  services = [ \"forensic\" ];\n"
	 "  regions = [ \"BE\" ]; languages = [ \"nl\" ];\n"
	 "  capacity = { max_open_cases = 1; };\n"
	 "} );\n",
	 "test.conf:3: service \"forensic\" of provider 'p1' is not a need "
	 "(incident_response, forensics, recovery, prevention, awareness, "
	 "pentest, appsec, other); did you mean 'forensics'?"},
	{"providers = ( { id = \"p1\"; name = \"x\";\n"
	 "  contacts = [ \"a@b.example.test\" ];\n"
	 "  services = [ \"forensics\" ];\n"
	 "  regions = [ \"Belgium\", \"BE-9999-9000\" ];\n"
	 "  languages = [ \"nl\" ];\n"
	 "  capacity = { max_open_cases = 1; };\n"
	 "} );\n",
	 "test.conf:4: region \"Belgium\" of provider 'p1' is not \"*\", a "
	 "country (\"BE\"), a province (\"BE-VOV\") or a postcode range "
	 "(\"BE-9000-9999\")"},
	{"providers = ( { id = \"p1\"; name = \"x\";\n"
	 "  contacts = [ \"a@b.example.test\" ];\n"
	 "  services = [ \"forensics\" ];\n"
	 "  regions = [ \"BE\" ];\n"
	 "  languages = [ \"es\" ];\n"
	 "  capacity = { max_open_cases = 1; };\n"
	 "} );\n",
	 "test.conf:5: language \"es\" of provider 'p1' is not one of en, nl, "
	 "fr, de"},
	{"providers = ( { id = \"p1\"; name = \"x\";\n"
	 "  contacts = [ \"a@b.example.test\" ];\n"
	 "  services = [ \"forensics\" ];\n"
	 "  regions = [ \"BE\" ]; languages = [ \"nl\" ];\n"
	 "  capacity = { max_open_cases = 0; pledged_hours = \"many\"; };\n"
	 "} );\n",
	 "test.conf:5: max_open_cases of the capacity of provider 'p1' is 0, "
	 "not in 1..1000"},
	{"providers = ( { id = \"p1\"; name = \"x\";\n"
	 "  contacts = [ \"a@b.example.test\" ];\n"
	 "  services = [ \"forensics\" ];\n"
	 "  regions = [ \"BE\" ]; languages = [ \"nl\" ];\n"
	 "  capacity = { max_open_cases = 1; pledged_hours = \"many\"; };\n"
	 "} );\n",
	 "test.conf:5: pledged_hours of the capacity of provider 'p1' must be "
	 "a whole number (0..100000)"},
	{"providers = ( { id = \"p1\"; } );\n",
	 "test.conf:1: provider 'p1' has no name"},
	{"providers = ( { id = \"p1\"; } );\n",
	 "test.conf:1: provider 'p1' has no capacity { max_open_cases = N; }"},
	{"providers = ( { name = \"x\"; } );\n",
	 "test.conf:1: provider 1 has no id"},
	{"providers = ( { id = \"1abc\"; } );\n",
	 "test.conf:1: id '1abc' of provider 1 must be a letter followed by "
	 "letters, digits, '-' or '_'"},
	{"providers = { };\n",
	 "test.conf:1: providers must be a list ( { ... }, { ... } )"},
	{"provider = ( );\n",
	 "test.conf:1: unknown key 'provider' in the top level; did you mean "
	 "'providers'?"},
	{"providers = ( { id = \"p1\";\n name = ; } );\n",
	 "test.conf:2: syntax error"},
	{"qualification = { types = { ransomwar = { decision = \"incident\"; "
	 "}; }; };\n",
	 "test.conf:1: 'ransomwar' in qualification types is not a value of "
	 "incident_type; did you mean 'ransomware'?"},
	{"qualification = {\n types = { none = { decision = \"suport\"; }; "
	 "};\n};\n",
	 "test.conf:2: decision of incident type 'none' is 'suport', not "
	 "incident or support; did you mean 'support'?"},
	{"qualification = {\n care_impact_weight = -1;\n};\n",
	 "test.conf:2: care_impact_weight of qualification is -1, not in "
	 "0..1000000"},
	{"qualification = {\n incident_if_yes = [ \"care impact\" ];\n};\n",
	 "test.conf:2: incident_if_yes of qualification: 'care impact' is not "
	 "a field id"},
	{"qualification = {\n weights = 1;\n};\n",
	 "test.conf:2: unknown key 'weights' in qualification"},
};

static gboolean
has_line(const char *message, const char *line)
{
	g_auto(GStrv) lines = g_strsplit(message, "\n", -1);

	for (size_t i = 0; lines[i] != NULL; i++)
		if (g_str_has_prefix(lines[i], line))
			return TRUE;
	return FALSE;
}

static void
test_errors(void)
{
	for (size_t i = 0; i < G_N_ELEMENTS(error_cases); i++) {
		g_autoptr(GError) error = NULL;
		struct providers *providers =
			load_text(error_cases[i].text, &error);

		g_assert_null(providers);
		g_assert_error(error, PROVIDERS_ERROR, PROVIDERS_ERROR_LOAD);
		if (error_cases[i].expect == NULL)
			continue;
		if (!has_line(error->message, error_cases[i].expect))
			g_test_message("case %zu: got\n%s\nexpected\n%s", i,
				       error->message, error_cases[i].expect);
		g_assert_true(has_line(error->message, error_cases[i].expect));
	}
}

/* Every problem of the file comes back at once. */
static void
test_errors_all_at_once(void)
{
	g_autoptr(GError) error = NULL;
	struct providers *providers =
		load_text("providers = ( { id = \"p1\"; name = \"x\";\n"
			  "  contacts = [ \"not-an-address\" ];\n"
			  "  services = [ \"forensic\" ];\n"
			  "  regions = [ \"Belgium\" ];\n"
			  "  languages = [ \"es\" ];\n"
			  "  capacity = { max_open_cases = 0; };\n"
			  "} );\n",
			  &error);

	g_assert_null(providers);
	g_assert_true(has_line(error->message, "test.conf:2: contact"));
	g_assert_true(has_line(error->message, "test.conf:3: service"));
	g_assert_true(has_line(error->message, "test.conf:4: region"));
	g_assert_true(has_line(error->message, "test.conf:5: language"));
	g_assert_true(has_line(error->message, "test.conf:6: max_open_cases"));
}

static void
test_duplicate_id(void)
{
	g_autoptr(GError) error = NULL;
	struct providers *providers = load_text(
		"providers = (\n"
		"  { id = \"p1\"; name = \"x\"; contacts = [ \"a@b.test\" ];\n"
		"    services = [ \"forensics\" ]; regions = [ \"BE\" ];\n"
		"    languages = [ \"nl\" ]; capacity = { max_open_cases = 1; "
		"}; },\n"
		"  { id = \"p1\"; name = \"y\"; contacts = [ \"a@c.test\" ];\n"
		"    services = [ \"forensics\" ]; regions = [ \"BE\" ];\n"
		"    languages = [ \"nl\" ]; capacity = { max_open_cases = 1; "
		"}; }\n"
		");\n",
		&error);

	g_assert_null(providers);
	g_assert_true(has_line(error->message,
			       "test.conf:5: provider id 'p1' is used twice "
			       "(first on line 2)"));
}

static void
test_missing_file(void)
{
	g_autoptr(GError) error = NULL;

	g_assert_null(providers_load("/nonexistent/providers.conf", NULL, NULL,
				     &error));
	g_assert_error(error, PROVIDERS_ERROR, PROVIDERS_ERROR_LOAD);
	g_assert_true(g_str_has_prefix(error->message,
				       "/nonexistent/providers.conf: cannot "
				       "read:"));
}

/* --- regions, windows, needs ------------------------------------------ */

static struct providers *
load_one(const char *regions, const char *availability)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *text = g_strdup_printf(
		"providers = ( { id = \"p\"; name = \"P\";\n"
		"  contacts = [ \"a@p.example.test\" ];\n"
		"  services = [ \"forensics\", \"recovery\" ];\n"
		"  regions = [ %s ]; languages = [ \"fr\", \"NL\" ];\n"
		"  capacity = { max_open_cases = 1; };\n"
		"  %s\n"
		"} );\n",
		regions, availability);
	struct providers *providers = load_text(text, &error);

	if (error != NULL)
		g_test_message("%s", error->message);
	g_assert_no_error(error);
	return providers;
}

static void
test_regions(void)
{
	struct providers *providers = load_one(
		"\"*\", \"nl\", \"FR-75\", \"be-vbr\", \"DE-10115-14199\"", "");
	const struct provider *p = providers_at(providers, 0);

	g_assert_cmpuint(p->region_count, ==, 5);
	g_assert_cmpint(p->regions[0].kind, ==, PROVIDER_REGION_ANYWHERE);
	g_assert_cmpint(p->regions[1].kind, ==, PROVIDER_REGION_COUNTRY);
	g_assert_cmpstr(p->regions[1].country, ==, "NL");
	g_assert_cmpint(p->regions[2].kind, ==, PROVIDER_REGION_PROVINCE);
	g_assert_cmpstr(p->regions[2].subdivision, ==, "FR-75");
	g_assert_cmpstr(p->regions[3].subdivision, ==, "BE-VBR");
	g_assert_cmpint(p->regions[4].kind, ==, PROVIDER_REGION_POSTCODE);
	g_assert_cmpuint(p->regions[4].postcode_low, ==, 10115);
	g_assert_cmpuint(p->regions[4].postcode_high, ==, 14199);
	g_assert_cmpstr(p->regions[4].text, ==, "DE-10115-14199");
	g_assert_cmpstr(p->languages[1], ==, "nl");
	providers_unref(&providers);
}

struct window_case {
	int weekday;
	int minute;
	gboolean on_call;
};

static void
test_windows(void)
{
	struct providers *providers = load_one(
		"\"BE\"", "availability = { timezone = \"Europe/Brussels\";\n"
			  "  on_call = [ \"Mon-Fri 08:00-18:00\",\n"
			  "              \"Fri 22:00-02:00\",\n"
			  "              \"Sat,Sun 10:00-12:00\",\n"
			  "              \"daily 23:30-24:00\" ]; };");
	const struct provider *p = providers_at(providers, 0);
	static const struct window_case cases[] = {
		{1, 8 * 60, TRUE},	 /* Monday 08:00 */
		{1, 7 * 60 + 59, FALSE}, /* Monday 07:59 */
		{3, 17 * 60 + 59, TRUE}, {3, 18 * 60, FALSE},
		{5, 23 * 60, TRUE}, /* Friday night */
		{6, 60, TRUE},	    /* Saturday 01:00, still Friday's */
		{6, 2 * 60, FALSE},	 {6, 10 * 60 + 30, TRUE},
		{7, 9 * 60, FALSE},	 {7, 23 * 60 + 45, TRUE},
		{2, 23 * 60 + 59, TRUE}, {2, 0, FALSE},
	};
	GDateTime *monday_noon_brussels;

	g_assert_cmpuint(p->window_count, ==, 4);
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		if (provider_on_call_local(p, cases[i].weekday,
					   cases[i].minute) != cases[i].on_call)
			g_test_message("day %d minute %d", cases[i].weekday,
				       cases[i].minute);
		g_assert_true(provider_on_call_local(p, cases[i].weekday,
						     cases[i].minute) ==
			      cases[i].on_call);
	}
	/* 2026-12-07 is a Monday; 07:30 UTC is 08:30 in Brussels (CET). */
	monday_noon_brussels = g_date_time_new_utc(2026, 12, 7, 7, 30, 0);
	g_assert_true(provider_on_call(
		providers, p, g_date_time_to_unix(monday_noon_brussels)));
	g_assert_false(provider_on_call(
		providers, p,
		g_date_time_to_unix(monday_noon_brussels) - 3600));
	g_date_time_unref(monday_noon_brussels);
	providers_unref(&providers);
}

static void
test_needs(void)
{
	static const char *const needs[] = {"a", "b", "c", NULL};
	g_autoptr(GError) error = NULL;
	struct providers *providers =
		providers_load_string("", "x.conf", needs, NULL, &error);
	g_autofree char *text = NULL;
	guint unknown = 0;

	g_assert_no_error(error);
	g_assert_cmpuint(providers_need_count(providers), ==, 3);
	g_assert_cmpuint(providers_needs_mask(providers, "c, a,zz", &unknown),
			 ==, 5);
	g_assert_cmpuint(unknown, ==, 1);
	g_assert_cmpuint(providers_needs_mask(providers, NULL, NULL), ==, 0);
	text = providers_needs_text(providers, 6);
	g_assert_cmpstr(text, ==, "b,c");
	g_assert_cmpuint(providers_language_bit("DE"), ==,
			 PROVIDER_LANGUAGE_DE);
	g_assert_cmpuint(providers_language_bit("es"), ==, 0);
	providers_unref(&providers);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/providers/shipped", test_shipped);
	g_test_add_func("/providers/empty", test_empty_file);
	g_test_add_func("/providers/errors", test_errors);
	g_test_add_func("/providers/errors-all-at-once",
			test_errors_all_at_once);
	g_test_add_func("/providers/duplicate-id", test_duplicate_id);
	g_test_add_func("/providers/missing-file", test_missing_file);
	g_test_add_func("/providers/regions", test_regions);
	g_test_add_func("/providers/windows", test_windows);
	g_test_add_func("/providers/needs", test_needs);
	return g_test_run();
}
