/* test-match.c — ranking, rotation among equals, splitting over several
 * providers, conflict of interest, paused, out of hours, capacity and
 * hours, language and region filters, and the postcode helper. */
#include <string.h>

#include "match.h"

/* Index in the registry below. */
enum { ALPHA, BETA, GAMMA, DELTA, EPSILON, ZETA, ETA, PROVIDER_COUNT };

static const char registry_text[] =
	"providers = (\n"
	" { id = \"alpha\"; name = \"Alpha\"; contacts = [ \"a@alpha.test\" "
	"];\n"
	"   services = [ \"forensics\", \"recovery\" ]; regions = [ \"BE\" ];\n"
	"   languages = [ \"nl\", \"en\" ];\n"
	"   capacity = { max_open_cases = 3; pledged_hours = 10; };\n"
	"   availability = { timezone = \"Europe/Brussels\";\n"
	"     on_call = [ \"Mon-Fri 08:00-18:00\" ]; };\n"
	"   domains = [ \"alpha.test\" ]; },\n"
	" { id = \"beta\"; name = \"Beta\"; contacts = [ \"b@beta.test\" ];\n"
	"   services = [ \"forensics\" ]; regions = [ \"BE-9000-9999\" ];\n"
	"   languages = [ \"nl\" ]; capacity = { max_open_cases = 2; }; },\n"
	" { id = \"gamma\"; name = \"Gamma\"; contacts = [ \"g@gamma.test\" "
	"];\n"
	"   services = [ \"awareness\" ]; regions = [ \"*\" ];\n"
	"   languages = [ \"en\", \"nl\", \"fr\", \"de\" ];\n"
	"   capacity = { max_open_cases = 10; }; },\n"
	" { id = \"delta\"; name = \"Delta\"; contacts = [ \"d@delta.test\" "
	"];\n"
	"   services = [ \"recovery\" ]; regions = [ \"BE-VOV\" ];\n"
	"   languages = [ \"nl\" ]; capacity = { max_open_cases = 1; }; },\n"
	" { id = \"epsilon\"; name = \"Epsilon\"; contacts = [ \"e@e.test\" "
	"];\n"
	"   services = [ \"forensics\", \"recovery\" ]; regions = [ \"NL\" ];\n"
	"   languages = [ \"nl\" ]; capacity = { max_open_cases = 2; }; },\n"
	" { id = \"zeta\"; name = \"Zeta\"; contacts = [ \"z@zeta.test\" ];\n"
	"   services = [ \"pentest\" ]; regions = [ \"BE\" ];\n"
	"   languages = [ \"fr\" ]; capacity = { max_open_cases = 2; };\n"
	"   availability = { paused = true; }; },\n"
	" { id = \"eta\"; name = \"Eta\"; contacts = [ \"h@eta.test\" ];\n"
	"   services = [ \"forensics\", \"recovery\" ]; regions = [ \"BE\" ];\n"
	"   languages = [ \"nl\" ]; capacity = { max_open_cases = 3; };\n"
	"   domains = [ \"hospital.test\" ]; }\n"
	");\n";

/* 2026-12-07 is a Monday: 10:00 in Brussels; and Sunday the 6th noon. */
#define MONDAY_10 ((gint64)1796634000)
#define SUNDAY_12 ((gint64)1796554800)

struct fixture {
	struct providers *providers;
	struct match_state states[PROVIDER_COUNT];
	struct match_case c;
};

static void
fixture_setup(struct fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;

	f->providers = providers_load_string(registry_text, "match.conf", NULL,
					     NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(providers_count(f->providers), ==, PROVIDER_COUNT);
	memset(f->states, 0, sizeof(f->states));
	memset(&f->c, 0, sizeof(f->c));
	f->c.needs = providers_needs_mask(f->providers, "forensics", NULL);
	f->c.country = "BE";
	f->c.postcode = 9000;
	f->c.language = "nl";
}

static void
fixture_teardown(struct fixture *f, gconstpointer data)
{
	providers_unref(&f->providers);
}

static struct match_result *
run(struct fixture *f, gint64 now)
{
	return match_run(f->providers, &f->c, f->states, now);
}

/* "beta,alpha,eta": the ids in rank order. */
static char *
ranking(const struct match_result *result)
{
	GString *out = g_string_new(NULL);

	for (guint i = 0; i < result->candidates->len; i++)
		g_string_append_printf(
			out, "%s%s", i ? "," : "",
			match_candidate_at(result, i)->provider->id);
	return g_string_free(out, FALSE);
}

static char *
selection(const struct match_result *result)
{
	GString *out = g_string_new(NULL);

	for (guint i = 0; i < result->selection->len; i++) {
		guint rank = g_array_index(result->selection, guint, i);

		g_string_append_printf(
			out, "%s%s", i ? "," : "",
			match_candidate_at(result, rank)->provider->id);
	}
	return g_string_free(out, FALSE);
}

/* The reason provider index was excluded, or -1. */
static int
exclusion_of(const struct match_result *result, guint index)
{
	for (guint i = 0; i < result->excluded->len; i++) {
		const struct match_excluded *e = &g_array_index(
			result->excluded, struct match_excluded, i);

		if (e->index == index)
			return (int)e->reason;
	}
	return -1;
}

#define assert_ranking(result, expect)                                         \
	do {                                                                   \
		g_autofree char *got_ = ranking(result);                       \
		g_assert_cmpstr(got_, ==, expect);                             \
	} while (0)
#define assert_selection(result, expect)                                       \
	do {                                                                   \
		g_autofree char *got_ = selection(result);                     \
		g_assert_cmpstr(got_, ==, expect);                             \
	} while (0)

static void
test_ranking(struct fixture *f, gconstpointer data)
{
	g_autoptr(MatchResult) result = run(f, MONDAY_10);
	const struct match_candidate *beta;
	g_autofree char *described = NULL;

	/* beta's postcode range beats the whole country. */
	assert_ranking(result, "beta,alpha,eta");
	assert_selection(result, "beta");
	g_assert_cmpuint(result->uncovered, ==, 0);
	beta = match_candidate_at(result, 0);
	g_assert_cmpint(beta->region, ==, MATCH_REGION_POSTCODE);
	g_assert_cmpint(beta->score, ==, 100 + 30 + 20 + 20 + 15);
	described = match_candidate_describe(f->providers, beta);
	g_assert_cmpstr(described, ==,
			"score=185 needs=forensics region=postcode "
			"language=yes on_call=yes load=0/2");
	g_assert_cmpint(exclusion_of(result, GAMMA), ==,
			MATCH_EXCLUDED_SERVICE);
	g_assert_cmpint(exclusion_of(result, DELTA), ==,
			MATCH_EXCLUDED_SERVICE);
	g_assert_cmpint(exclusion_of(result, EPSILON), ==,
			MATCH_EXCLUDED_REGION);
	g_assert_cmpint(exclusion_of(result, ZETA), ==, MATCH_EXCLUDED_PAUSED);
	g_assert_cmpuint(result->excluded->len, ==, 4);
}

/* Load lowers the score: a provider with open cases drops behind. */
static void
test_load(struct fixture *f, gconstpointer data)
{
	g_autoptr(MatchResult) result = NULL;

	f->states[BETA].open_cases = 1;	 /* 15 * 1/2 = 7 */
	f->states[ALPHA].open_cases = 0; /* 15 */
	result = run(f, MONDAY_10);
	assert_ranking(result, "beta,alpha,eta");
	g_assert_cmpint(match_candidate_at(result, 0)->score, ==, 177);
	f->states[BETA].open_cases = 2;
	match_result_free(result);
	result = run(f, MONDAY_10);
	assert_ranking(result, "alpha,eta");
	g_assert_cmpint(exclusion_of(result, BETA), ==,
			MATCH_EXCLUDED_CAPACITY);
}

/* Equal scores: least recently introduced first, then file order. */
static void
test_rotation(struct fixture *f, gconstpointer data)
{
	struct {
		gint64 alpha, eta;
		const char *expect;
	} rows[] = {
		{0, 0, "alpha,eta"},	  {1000, 500, "eta,alpha"},
		{500, 1000, "alpha,eta"}, {0, 1000, "alpha,eta"},
		{1000, 0, "eta,alpha"},
	};

	f->c.postcode = 0;
	f->states[BETA].declined = TRUE;
	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		g_autoptr(MatchResult) result = NULL;

		f->states[ALPHA].last_introduced = rows[i].alpha;
		f->states[ETA].last_introduced = rows[i].eta;
		result = run(f, MONDAY_10);
		assert_ranking(result, rows[i].expect);
		g_assert_cmpint(match_candidate_at(result, 0)->score, ==,
				match_candidate_at(result, 1)->score);
		g_assert_cmpint(exclusion_of(result, BETA), ==,
				MATCH_EXCLUDED_DECLINED);
	}
}

/* No one covers everything: a set that does. */
static void
test_splitting(struct fixture *f, gconstpointer data)
{
	g_autoptr(MatchResult) result = NULL;
	g_autoptr(MatchResult) partial = NULL;
	g_autoptr(MatchResult) whole = NULL;

	f->c.needs =
		providers_needs_mask(f->providers, "forensics,awareness", NULL);
	result = run(f, MONDAY_10);
	/* beta, alpha and eta do forensics, gamma awareness. */
	assert_selection(result, "beta,gamma");
	g_assert_cmpuint(result->uncovered, ==, 0);

	/* pentest: only zeta, and zeta is paused. */
	f->c.needs = providers_needs_mask(f->providers,
					  "forensics,recovery,awareness,"
					  "pentest",
					  NULL);
	partial = run(f, MONDAY_10);
	/* alpha covers two of the open needs, then gamma the last one. */
	assert_selection(partial, "alpha,gamma");
	g_assert_cmpuint(partial->uncovered, ==,
			 providers_needs_mask(f->providers, "pentest", NULL));

	/* One provider covering all beats a higher-scored part. */
	f->c.needs =
		providers_needs_mask(f->providers, "forensics,recovery", NULL);
	whole = run(f, MONDAY_10);
	assert_selection(whole, "alpha");
}

static void
test_conflict_of_interest(struct fixture *f, gconstpointer data)
{
	static const struct {
		const char *domain;
		gboolean conflict;
	} rows[] = {
		{"hospital.test", TRUE},
		{"HOSPITAL.Test", TRUE},
		{"mail.hospital.test", TRUE},
		{"test", TRUE},
		{"otherhospital.test", FALSE},
		{"hospital.test.evil", FALSE},
		{"", FALSE},
		{NULL, FALSE},
	};
	const struct provider *eta = providers_at(f->providers, ETA);

	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		g_autoptr(MatchResult) result = NULL;

		g_assert_true(match_conflict_of_interest(eta, rows[i].domain) ==
			      rows[i].conflict);
		f->c.requester_domain = rows[i].domain;
		result = run(f, MONDAY_10);
		g_assert_cmpint(exclusion_of(result, ETA), ==,
				rows[i].conflict ? MATCH_EXCLUDED_CONFLICT
						 : -1);
	}
}

static void
test_paused_and_introduced(struct fixture *f, gconstpointer data)
{
	g_autoptr(MatchResult) result = NULL;

	f->states[BETA].paused = TRUE;
	f->states[ALPHA].introduced = TRUE;
	result = run(f, MONDAY_10);
	assert_ranking(result, "eta");
	g_assert_cmpint(exclusion_of(result, BETA), ==, MATCH_EXCLUDED_PAUSED);
	g_assert_cmpint(exclusion_of(result, ALPHA), ==,
			MATCH_EXCLUDED_INTRODUCED);
}

static void
test_out_of_hours(struct fixture *f, gconstpointer data)
{
	g_autoptr(MatchResult) sunday = NULL;
	g_autoptr(MatchResult) urgent = NULL;

	f->c.postcode = 0;
	sunday = run(f, SUNDAY_12);
	/* alpha is off duty on Sunday: last, but still there. */
	assert_ranking(sunday, "eta,beta,alpha");
	g_assert_false(match_candidate_at(sunday, 2)->on_call);
	g_assert_cmpint(match_candidate_at(sunday, 0)->score - 20, ==,
			match_candidate_at(sunday, 2)->score);

	f->c.urgent = TRUE;
	urgent = run(f, SUNDAY_12);
	assert_ranking(urgent, "eta,beta");
	g_assert_cmpint(exclusion_of(urgent, ALPHA), ==,
			MATCH_EXCLUDED_OFF_DUTY);
}

static void
test_hours(struct fixture *f, gconstpointer data)
{
	g_autoptr(MatchResult) result = NULL;

	f->states[ALPHA].hours_used = 10; /* of 10 pledged */
	f->states[ETA].hours_used = 500;  /* no hour budget */
	result = run(f, MONDAY_10);
	assert_ranking(result, "beta,eta");
	g_assert_cmpint(exclusion_of(result, ALPHA), ==, MATCH_EXCLUDED_HOURS);
}

static void
test_language(struct fixture *f, gconstpointer data)
{
	g_autoptr(MatchResult) fr = NULL;
	g_autoptr(MatchResult) any = NULL;
	g_autoptr(MatchResult) awareness = NULL;

	f->c.language = "fr";
	fr = run(f, MONDAY_10);
	assert_ranking(fr, "");
	g_assert_cmpint(exclusion_of(fr, ALPHA), ==, MATCH_EXCLUDED_LANGUAGE);
	g_assert_cmpint(exclusion_of(fr, BETA), ==, MATCH_EXCLUDED_LANGUAGE);
	assert_selection(fr, "");
	g_assert_cmpuint(fr->uncovered, ==, f->c.needs);

	f->c.language = NULL;
	any = run(f, MONDAY_10);
	assert_ranking(any, "beta,alpha,eta");
	g_assert_false(match_candidate_at(any, 0)->language);

	f->c.language = "de";
	f->c.needs = providers_needs_mask(f->providers, "awareness", NULL);
	awareness = run(f, MONDAY_10);
	assert_ranking(awareness, "gamma");
	g_assert_cmpint(match_candidate_at(awareness, 0)->region, ==,
			MATCH_REGION_ANYWHERE);
}

static void
test_region(struct fixture *f, gconstpointer data)
{
	g_autoptr(MatchResult) nl = NULL;
	g_autoptr(MatchResult) brussels = NULL;
	g_autoptr(MatchResult) unknown = NULL;
	g_autoptr(MatchResult) province = NULL;
	g_autoptr(MatchResult) nowhere = NULL;

	f->c.country = "NL";
	f->c.postcode = 1012;
	nl = run(f, MONDAY_10);
	assert_ranking(nl, "epsilon");

	f->c.country = "be";
	f->c.postcode = 1000;
	brussels = run(f, MONDAY_10);
	assert_ranking(brussels, "alpha,eta");
	g_assert_cmpint(exclusion_of(brussels, BETA), ==,
			MATCH_EXCLUDED_REGION);

	/* Postcode unknown: beta serves part of Belgium, maybe here. */
	f->c.postcode = 0;
	unknown = run(f, MONDAY_10);
	assert_ranking(unknown, "alpha,eta,beta");
	g_assert_cmpint(match_candidate_at(unknown, 2)->region, ==,
			MATCH_REGION_COUNTRY_PART);

	f->c.needs = providers_needs_mask(f->providers, "recovery", NULL);
	f->c.province = "BE-VOV";
	province = run(f, MONDAY_10);
	g_assert_cmpstr(match_candidate_at(province, 0)->provider->id, ==,
			"delta");
	g_assert_cmpint(match_candidate_at(province, 0)->region, ==,
			MATCH_REGION_PROVINCE);

	f->c.country = NULL;
	f->c.province = NULL;
	nowhere = run(f, MONDAY_10);
	/* No country known: every region fits. */
	assert_ranking(nowhere, "alpha,delta,epsilon,eta");
	g_assert_cmpint(match_candidate_at(nowhere, 0)->region, ==,
			MATCH_REGION_ANY);
}

/* No needs given: every available provider, the best selected. */
static void
test_no_needs(struct fixture *f, gconstpointer data)
{
	g_autoptr(MatchResult) result = NULL;

	f->c.needs = 0;
	result = match_run(f->providers, &f->c, NULL, MONDAY_10);
	g_assert_cmpuint(result->candidates->len, ==, 5);
	assert_selection(result, "beta");
}

static void
test_postcode_from_location(void)
{
	static const struct {
		const char *location;
		guint postcode;
	} rows[] = {
		{"Kouter 1, 9000 Gent", 9000},
		{"B-9000 Gent", 9000},
		{"75013 Paris", 75013},
		{"1012 AB Amsterdam", 1012},
		{"Campus 12, route 123456", 0},
		{"BE9000", 0},
		{"Gent", 0},
		{"", 0},
		{NULL, 0},
	};

	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++)
		g_assert_cmpuint(match_postcode_from_location(rows[i].location),
				 ==, rows[i].postcode);
}

static void
test_case_from_fields(struct fixture *f, gconstpointer data)
{
	g_autoptr(GHashTable) fields =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	struct match_case c;
	guint unknown = 9;

	g_hash_table_insert(fields, g_strdup("need"),
			    g_strdup("forensics,recovery,astrology"));
	g_hash_table_insert(fields, g_strdup("country"), g_strdup("BE"));
	g_hash_table_insert(fields, g_strdup("location"),
			    g_strdup("Kouter 1, 9000 Gent"));
	g_hash_table_insert(fields, g_strdup("care_impact"), g_strdup("yes"));
	g_hash_table_insert(fields, g_strdup("language"), g_strdup(""));
	match_case_from_fields(f->providers, fields, "jan@az.example", "nl", &c,
			       &unknown);
	g_assert_cmpuint(
		c.needs, ==,
		providers_needs_mask(f->providers, "forensics,recovery", NULL));
	g_assert_cmpuint(unknown, ==, 1);
	g_assert_cmpstr(c.country, ==, "BE");
	g_assert_null(c.province);
	g_assert_cmpuint(c.postcode, ==, 9000);
	g_assert_cmpstr(c.language, ==, "nl");
	g_assert_true(c.urgent);
	g_assert_cmpstr(c.requester_domain, ==, "az.example");

	match_case_from_fields(f->providers, NULL, "nobody", NULL, &c, NULL);
	g_assert_cmpuint(c.needs, ==, 0);
	g_assert_null(c.country);
	g_assert_null(c.language);
	g_assert_null(c.requester_domain);
	g_assert_false(c.urgent);
}

#define ADD(path, function)                                                    \
	g_test_add(path, struct fixture, NULL, fixture_setup, function,        \
		   fixture_teardown)

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	ADD("/match/ranking", test_ranking);
	ADD("/match/load", test_load);
	ADD("/match/rotation", test_rotation);
	ADD("/match/splitting", test_splitting);
	ADD("/match/conflict-of-interest", test_conflict_of_interest);
	ADD("/match/paused-and-introduced", test_paused_and_introduced);
	ADD("/match/out-of-hours", test_out_of_hours);
	ADD("/match/hours", test_hours);
	ADD("/match/language", test_language);
	ADD("/match/region", test_region);
	ADD("/match/no-needs", test_no_needs);
	ADD("/match/case-from-fields", test_case_from_fields);
	g_test_add_func("/match/postcode-from-location",
			test_postcode_from_location);
	return g_test_run();
}
