/* test-qualify.c — incident or support, the field that is missing, and
 * the priority order (patient care first, then severity, then age). */
#include <string.h>

#include "qualify.h"

/* 2026-12-03T12:00:00Z */
#define NOW ((gint64)1796299200)

/* "field=value;field=value" -> a table. */
static GHashTable *
fields_of(const char *spec)
{
	GHashTable *fields =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	g_auto(GStrv) pairs = g_strsplit(spec, ";", -1);

	for (size_t i = 0; pairs[i] != NULL; i++) {
		char *equals = strchr(pairs[i], '=');

		if (equals == NULL)
			continue;
		g_hash_table_insert(fields,
				    g_strndup(pairs[i], equals - pairs[i]),
				    g_strdup(equals + 1));
	}
	return fields;
}

struct qualify_case_row {
	const char *fields;
	enum qualify_decision expect;
	const char *missing;
};

static const struct qualify_case_row rows[] = {
	{"incident_type=ransomware", QUALIFY_INCIDENT, NULL},
	{"incident_type=phishing;need=awareness", QUALIFY_INCIDENT, NULL},
	{"incident_type=other", QUALIFY_INCIDENT, NULL},
	{"incident_type=none;need=pentest", QUALIFY_SUPPORT, NULL},
	{"incident_type=none", QUALIFY_SUPPORT, NULL},
	{"need=awareness,prevention", QUALIFY_SUPPORT, NULL},
	{"need=forensics;care_impact=no", QUALIFY_SUPPORT, NULL},
	/* an incident whatever the type says */
	{"incident_type=none;care_impact=yes", QUALIFY_INCIDENT, NULL},
	{"need=recovery;data_exfiltration=yes", QUALIFY_INCIDENT, NULL},
	{"need=recovery;ransom_note=READ_ME.txt, group LockBit",
	 QUALIFY_INCIDENT, NULL},
	/* a ransom_note answered "no" says nothing */
	{"need=recovery;ransom_note=geen", QUALIFY_SUPPORT, NULL},
	{"need=recovery;ransom_note=no", QUALIFY_SUPPORT, NULL},
	{"need=recovery;data_exfiltration=unknown", QUALIFY_SUPPORT, NULL},
	/* not enough */
	{"", QUALIFY_UNDECIDED, "incident_type"},
	{"organisation=AZ Voorbeeld;care_impact=no", QUALIFY_UNDECIDED,
	 "incident_type"},
	{"need=", QUALIFY_UNDECIDED, "incident_type"},
	{"incident_type=espionage", QUALIFY_UNDECIDED, NULL},
};

static void
test_decisions(void)
{
	g_autoptr(QualifyRules) rules = qualify_rules_new();

	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		g_autoptr(GHashTable) fields = fields_of(rows[i].fields);
		struct qualify_result result;

		qualify_case(rules, fields, 0, NOW, &result);
		if (result.decision != rows[i].expect)
			g_test_message("%s: %s (%s)", rows[i].fields,
				       qualify_decision_name(result.decision),
				       result.reason);
		g_assert_cmpint(result.decision, ==, rows[i].expect);
		g_assert_cmpstr(result.missing, ==, rows[i].missing);
		g_assert_nonnull(result.reason);
		qualify_result_clear(&result);
		g_assert_null(result.reason);
	}
}

static int
priority_of(const struct qualify_rules *rules, const char *spec,
	    gint64 opened_at)
{
	g_autoptr(GHashTable) fields = fields_of(spec);
	struct qualify_result result;
	int priority;

	qualify_case(rules, fields, opened_at, NOW, &result);
	priority = result.priority;
	qualify_result_clear(&result);
	return priority;
}

static void
test_priority(void)
{
	g_autoptr(QualifyRules) rules = qualify_rules_new();
	/* Highest first. */
	static const char *const ordered[] = {
		"incident_type=phishing;care_impact=yes",
		"incident_type=ransomware;data_exfiltration=yes;ransom_note=x",
		"incident_type=ransomware;data_exfiltration=yes",
		"incident_type=ransomware",
		"incident_type=data_breach",
		"incident_type=phishing",
		"incident_type=none",
	};

	for (size_t i = 1; i < G_N_ELEMENTS(ordered); i++)
		g_assert_cmpint(priority_of(rules, ordered[i - 1], 0), >,
				priority_of(rules, ordered[i], 0));
	g_assert_cmpint(priority_of(rules, "incident_type=ransomware", 0), ==,
			100);
	g_assert_cmpint(priority_of(rules,
				    "incident_type=phishing;"
				    "care_impact=yes",
				    0),
			==, 1030);
	/* Age: one point per hour, from detected_at or opened_at, capped. */
	g_assert_cmpint(priority_of(rules,
				    "incident_type=none;"
				    "detected_at=2026-12-03T07:00",
				    0),
			==, 5);
	g_assert_cmpint(priority_of(rules,
				    "incident_type=none;"
				    "detected_at=2026-12-03T10:00:00+01:00",
				    0),
			==, 3);
	g_assert_cmpint(priority_of(rules,
				    "incident_type=none;detected_at=2026-12-01",
				    0),
			==, 60);
	g_assert_cmpint(priority_of(rules,
				    "incident_type=none;detected_at=2026-01-01",
				    0),
			==, 72);
	g_assert_cmpint(
		priority_of(rules, "incident_type=none", NOW - 10 * 3600), ==,
		10);
	g_assert_cmpint(priority_of(rules,
				    "incident_type=none;detected_at=yesterday",
				    NOW - 2 * 3600),
			==, 2);
	/* An age in the future counts nothing. */
	g_assert_cmpint(priority_of(rules,
				    "incident_type=none;detected_at=2027-01-01",
				    0),
			==, 0);
}

/* The rules are data: an emptied set decides nothing by type. */
static void
test_custom_rules(void)
{
	g_autoptr(QualifyRules) rules = qualify_rules_new_empty();
	g_autoptr(GHashTable) fields = fields_of("incident_type=phishing");
	struct qualify_result result;
	enum qualify_decision decision;

	qualify_case(rules, fields, 0, NOW, &result);
	g_assert_cmpint(result.decision, ==, QUALIFY_UNDECIDED);
	qualify_result_clear(&result);

	qualify_rules_set_type(rules, "phishing", QUALIFY_SUPPORT, 7);
	qualify_case(rules, fields, 0, NOW, &result);
	g_assert_cmpint(result.decision, ==, QUALIFY_SUPPORT);
	g_assert_cmpint(result.priority, ==, 7);
	g_assert_cmpstr(result.reason, ==,
			"incident_type=phishing is a request for support");
	qualify_result_clear(&result);

	g_assert_true(qualify_decision_parse("incident", &decision));
	g_assert_cmpint(decision, ==, QUALIFY_INCIDENT);
	g_assert_false(qualify_decision_parse("undecided", &decision));
	g_assert_cmpstr(qualify_decision_name(QUALIFY_SUPPORT), ==, "support");
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/qualify/decisions", test_decisions);
	g_test_add_func("/qualify/priority", test_priority);
	g_test_add_func("/qualify/custom-rules", test_custom_rules);
	return g_test_run();
}
