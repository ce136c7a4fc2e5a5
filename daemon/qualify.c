/* qualify.c — incident or support, and the priority (see qualify.h). */
#include "qualify.h"

#include "answer.h"

#include <string.h>

#define FIELD_INCIDENT_TYPE "incident_type"
#define FIELD_CARE_IMPACT   "care_impact"
#define FIELD_EXFILTRATION  "data_exfiltration"
#define FIELD_RANSOM_NOTE   "ransom_note"
#define FIELD_NEED	    "need"
#define FIELD_DETECTED_AT   "detected_at"

static const struct {
	const char *type;
	enum qualify_decision decision;
	int weight;
} default_types[] = {
	{"ransomware", QUALIFY_INCIDENT, 100},
	{"data_breach", QUALIFY_INCIDENT, 80},
	{"malware", QUALIFY_INCIDENT, 60},
	{"account_compromise", QUALIFY_INCIDENT, 50},
	{"ddos", QUALIFY_INCIDENT, 50},
	{"fraud", QUALIFY_INCIDENT, 40},
	{"phishing", QUALIFY_INCIDENT, 30},
	{"other", QUALIFY_INCIDENT, 20},
	{"none", QUALIFY_SUPPORT, 0},
};

static const char *const default_if_yes[] = {FIELD_CARE_IMPACT,
					     FIELD_EXFILTRATION, NULL};
static const char *const default_if_given[] = {FIELD_RANSOM_NOTE, NULL};

const char *
qualify_decision_name(enum qualify_decision decision)
{
	switch (decision) {
	case QUALIFY_UNDECIDED:
		return "undecided";
	case QUALIFY_INCIDENT:
		return "incident";
	case QUALIFY_SUPPORT:
		return "support";
	}
	return "undecided";
}

gboolean
qualify_decision_parse(const char *name, enum qualify_decision *decision)
{
	if (g_strcmp0(name, "incident") == 0)
		*decision = QUALIFY_INCIDENT;
	else if (g_strcmp0(name, "support") == 0)
		*decision = QUALIFY_SUPPORT;
	else
		return FALSE;
	return TRUE;
}

struct qualify_rules *
qualify_rules_new_empty(void)
{
	struct qualify_rules *rules = g_new0(struct qualify_rules, 1);

	rules->types =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	rules->incident_if_yes = g_new0(char *, 1);
	rules->incident_if_given = g_new0(char *, 1);
	rules->care_impact_weight = 1000;
	rules->exfiltration_weight = 50;
	rules->ransom_note_weight = 50;
	rules->age_weight_per_hour = 1;
	rules->age_max_hours = 72;
	return rules;
}

struct qualify_rules *
qualify_rules_new(void)
{
	struct qualify_rules *rules = qualify_rules_new_empty();

	for (size_t i = 0; i < G_N_ELEMENTS(default_types); i++)
		qualify_rules_set_type(rules, default_types[i].type,
				       default_types[i].decision,
				       default_types[i].weight);
	g_strfreev(rules->incident_if_yes);
	g_strfreev(rules->incident_if_given);
	rules->incident_if_yes = g_strdupv((char **)default_if_yes);
	rules->incident_if_given = g_strdupv((char **)default_if_given);
	return rules;
}

void
qualify_rules_free(struct qualify_rules *rules)
{
	if (rules == NULL)
		return;
	g_hash_table_unref(rules->types);
	g_strfreev(rules->incident_if_yes);
	g_strfreev(rules->incident_if_given);
	g_free(rules);
}

void
qualify_rules_set_type(struct qualify_rules *rules, const char *incident_type,
		       enum qualify_decision decision, int weight)
{
	struct qualify_type_rule *rule = g_new(struct qualify_type_rule, 1);

	rule->decision = decision;
	rule->weight = weight;
	g_hash_table_replace(rules->types, g_strdup(incident_type), rule);
}

/* The field's value, or NULL when it has none. */
static const char *
value_of(const GHashTable *fields, const char *id)
{
	const char *value;

	if (fields == NULL)
		return NULL;
	value = g_hash_table_lookup((GHashTable *)fields, id);
	return value != NULL && *value != '\0' ? value : NULL;
}

static gboolean
is_yes(const GHashTable *fields, const char *id)
{
	return g_strcmp0(value_of(fields, id), "yes") == 0;
}

/* A free-text answer that says something: not "no", "geen", "aucune" or
 * "unknown" (the questionnaire keeps text answers as written). */
static gboolean
is_given(const GHashTable *fields, const char *id)
{
	const char *value = value_of(fields, id);
	enum answer_yesno yesno;

	if (value == NULL)
		return FALSE;
	if (answer_parse_yesno(value, &yesno) && yesno != ANSWER_YES) {
		/* "no", but also "no idea" / "weet niet": nothing given. */
		g_autofree char *folded = answer_fold(value);

		/* A long answer that starts with "no" may still say
		 * something ("no note, but a phone call"): only short
		 * ones are taken as a plain no. */
		return strlen(folded) > 20;
	}
	return TRUE;
}

/* Hours from the detection (or from opened_at) to now, capped. */
static int
age_hours(const struct qualify_rules *rules, const GHashTable *fields,
	  gint64 opened_at, gint64 now)
{
	const char *detected = value_of(fields, FIELD_DETECTED_AT);
	gint64 since = opened_at;
	gint64 hours;

	if (detected != NULL) {
		/* Without an offset the writer's local time is meant; UTC
		 * is off by an hour or two, which is fine for an age. */
		g_autoptr(GTimeZone) utc = g_time_zone_new_utc();
		g_autoptr(GDateTime) when = NULL;

		if (strlen(detected) == 10) { /* a date alone */
			g_autofree char *midnight =
				g_strconcat(detected, "T00:00:00", NULL);

			when = g_date_time_new_from_iso8601(midnight, utc);
		} else {
			when = g_date_time_new_from_iso8601(detected, utc);
		}
		/* answer.c writes "2026-03-14T07:30", which GLib does not
		 * read without the seconds. */
		if (when == NULL && strlen(detected) >= 16 &&
		    detected[13] == ':' && detected[16] != ':') {
			g_autofree char *with_seconds = g_strdup_printf(
				"%.16s:00%s", detected, detected + 16);

			when = g_date_time_new_from_iso8601(with_seconds, utc);
		}
		if (when != NULL)
			since = g_date_time_to_unix(when);
	}
	if (since <= 0 || now <= since)
		return 0;
	hours = (now - since) / 3600;
	return (int)MIN(hours, (gint64)rules->age_max_hours);
}

static int
priority_of(const struct qualify_rules *rules, const GHashTable *fields,
	    const struct qualify_type_rule *type_rule, gint64 opened_at,
	    gint64 now)
{
	gint64 priority = 0;

	if (is_yes(fields, FIELD_CARE_IMPACT))
		priority += rules->care_impact_weight;
	if (type_rule != NULL)
		priority += type_rule->weight;
	if (is_yes(fields, FIELD_EXFILTRATION))
		priority += rules->exfiltration_weight;
	if (is_given(fields, FIELD_RANSOM_NOTE))
		priority += rules->ransom_note_weight;
	priority += (gint64)rules->age_weight_per_hour *
		    age_hours(rules, fields, opened_at, now);
	return (int)CLAMP(priority, 0, G_MAXINT);
}

void
qualify_case(const struct qualify_rules *rules, const GHashTable *fields,
	     gint64 opened_at, gint64 now, struct qualify_result *result)
{
	const char *type = value_of(fields, FIELD_INCIDENT_TYPE);
	const struct qualify_type_rule *type_rule =
		type ? g_hash_table_lookup(rules->types, type) : NULL;

	memset(result, 0, sizeof(*result));
	result->priority =
		priority_of(rules, fields, type_rule, opened_at, now);

	for (size_t i = 0; rules->incident_if_yes[i] != NULL; i++) {
		if (is_yes(fields, rules->incident_if_yes[i])) {
			result->decision = QUALIFY_INCIDENT;
			result->reason =
				g_strdup_printf("%s=yes makes it an incident",
						rules->incident_if_yes[i]);
			return;
		}
	}
	for (size_t i = 0; rules->incident_if_given[i] != NULL; i++) {
		if (is_given(fields, rules->incident_if_given[i])) {
			result->decision = QUALIFY_INCIDENT;
			result->reason = g_strdup_printf(
				"%s is given, which makes it an incident",
				rules->incident_if_given[i]);
			return;
		}
	}
	if (type_rule != NULL) {
		result->decision = type_rule->decision;
		result->reason = g_strdup_printf(
			"%s=%s is %s", FIELD_INCIDENT_TYPE, type,
			type_rule->decision == QUALIFY_SUPPORT
				? "a request for support"
				: "an incident");
		return;
	}
	if (type != NULL) {
		result->decision = QUALIFY_UNDECIDED;
		result->reason = g_strdup_printf(
			"%s=%s has no qualification rule; staff decide",
			FIELD_INCIDENT_TYPE, type);
		return;
	}
	if (value_of(fields, FIELD_NEED) != NULL) {
		result->decision = QUALIFY_SUPPORT;
		result->reason = g_strdup_printf(
			"no incident reported, %s=%s is a request for support",
			FIELD_NEED, value_of(fields, FIELD_NEED));
		return;
	}
	result->decision = QUALIFY_UNDECIDED;
	result->missing = FIELD_INCIDENT_TYPE;
	result->reason = g_strdup("neither incident_type nor need is known");
}

void
qualify_result_clear(struct qualify_result *result)
{
	g_clear_pointer(&result->reason, g_free);
}
