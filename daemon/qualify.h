/* qualify.h — does a case stay with the CERT, or may it go to a volunteer
 * provider?  Pure logic over the case's fields; the rules are data.
 *
 * A real incident stays with the CERT (QUALIFY_INCIDENT).  A need for
 * help that is not an incident (QUALIFY_SUPPORT) may be offered to
 * providers, and only after the requester consented (consent.h).  When
 * the fields do not tell yet, QUALIFY_UNDECIDED names the field to ask
 * for.  The priority orders the CERT's queue: a case where patient care
 * is disrupted comes first, then severity and age.
 *
 * Rules come from the "qualification" group of providers.conf
 * (providers.h loads it, docs/providers.md documents it); without it the
 * built-in defaults below apply. */
#ifndef INTAKED_QUALIFY_H
#define INTAKED_QUALIFY_H

#include <glib.h>

enum qualify_decision {
	QUALIFY_UNDECIDED,
	QUALIFY_INCIDENT,
	QUALIFY_SUPPORT,
};

/* What one incident_type value means. */
struct qualify_type_rule {
	enum qualify_decision decision; /* INCIDENT or SUPPORT */
	int weight;			/* added to the priority */
};

/* The rules.  Built by qualify_rules_new() and the loader, then read-only
 * (the provider registry owns it and hands out borrowed pointers). */
struct qualify_rules {
	/* incident_type value -> struct qualify_type_rule (owned).  A type
	 * without an entry leaves the case undecided. */
	GHashTable *types;
	/* yes/no fields that make any case an incident when "yes"
	 * (NULL-terminated, owned); default care_impact, data_exfiltration. */
	char **incident_if_yes;
	/* fields that make any case an incident when they hold an answer
	 * other than a no ("geen", "none"); default ransom_note. */
	char **incident_if_given;
	int care_impact_weight;	 /* default 1000: above every other sum */
	int exfiltration_weight; /* data_exfiltration = yes; default 50 */
	int ransom_note_weight;	 /* ransom_note given; default 50 */
	int age_weight_per_hour; /* default 1 */
	int age_max_hours;	 /* age counted up to this; default 72 */
};

/* The built-in rules: ransomware 100, data_breach 80, malware 60,
 * account_compromise 50, ddos 50, fraud 40, phishing 30 and other 20 are
 * incidents; none is support (weight 0).  Returns a new rule set; free it
 * with qualify_rules_free(). */
struct qualify_rules *qualify_rules_new(void);
/* A set with no types and no fields, the weights as above; the loader
 * fills it.  Returns a new rule set. */
struct qualify_rules *qualify_rules_new_empty(void);
void qualify_rules_free(struct qualify_rules *rules);
typedef struct qualify_rules QualifyRules;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(QualifyRules, qualify_rules_free)

/* Adds or replaces the rule for an incident type. */
void qualify_rules_set_type(struct qualify_rules *rules,
			    const char *incident_type,
			    enum qualify_decision decision, int weight);

struct qualify_result {
	enum qualify_decision decision;
	/* Higher first.  care_impact_weight when patient care is disrupted,
	 * plus the type's weight, the exfiltration and ransom-note weights
	 * and age_weight_per_hour per hour since detected_at (or since the
	 * case was opened), up to age_max_hours. */
	int priority;
	/* Why, for the timeline and logs ("incident_type=ransomware is an
	 * incident"); a new string, freed by qualify_result_clear(). */
	char *reason;
	/* UNDECIDED: the field whose answer would decide (static), e.g.
	 * "incident_type"; NULL otherwise. */
	const char *missing;
};

/* "undecided", "incident", "support" (static). */
const char *qualify_decision_name(enum qualify_decision decision);
/* The decision called name ("incident", "support"); FALSE if none. */
gboolean qualify_decision_parse(const char *name,
				enum qualify_decision *decision);

/* Qualifies a case from its fields (field id -> normalised value, as the
 * store and questionnaire_validate_value() keep them; NULL or "" is no
 * answer).  In this order:
 *   1. a field of incident_if_yes is "yes", or one of incident_if_given
 *      holds an answer: INCIDENT, whatever the type says;
 *   2. incident_type has a rule: its decision;
 *   3. incident_type is set but has no rule: UNDECIDED (staff decide);
 *   4. no incident_type but a need: SUPPORT (a request for help);
 *   5. nothing: UNDECIDED, missing "incident_type".
 * opened_at and now are Unix times (seconds); opened_at 0: age from
 * detected_at only.  Fills *result; clear it with
 * qualify_result_clear(). */
void qualify_case(const struct qualify_rules *rules,
		  const GHashTable *field_values, gint64 opened_at, gint64 now,
		  struct qualify_result *result);

void qualify_result_clear(struct qualify_result *result);

#endif
