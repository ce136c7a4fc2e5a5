/* report-patterns.h — the report parser's pattern tables (data, not
 * code): report.c compiles them, report-patterns.c holds them.  Private
 * to the report parser. */
#ifndef INTAKED_REPORT_PATTERNS_H
#define INTAKED_REPORT_PATTERNS_H

#include <stddef.h>

/* The fields the report parser fills, in questionnaire order. */
enum report_field_id {
	RF_ORGANISATION,
	RF_CONTACT_NAME,
	RF_CONTACT_PHONE,
	RF_CONTACT_EMAIL,
	RF_LOCATION,
	RF_COUNTRY,
	RF_LANGUAGE,
	RF_INCIDENT_TYPE,
	RF_CARE_IMPACT,
	RF_SYSTEMS_AFFECTED,
	RF_DETECTED_AT,
	RF_BACKUPS_AVAILABLE,
	RF_DATA_EXFILTRATION,
	RF_RANSOM_NOTE,
	RF_POLICE_REPORT,
	RF_NEED,
	RF_COUNT
};

extern const char *const report_field_ids[RF_COUNT];

enum report_lang { RL_EN, RL_NL, RL_FR, RL_DE, RL_COUNT };

/* A yes/no field: a clause that names the topic is read through its cue
 * words.  unknown beats no beats yes; a negation before a yes cue, or
 * right before the topic ("geen backups"), makes it no. */
struct report_yesno_pattern {
	enum report_field_id field;
	enum report_lang lang;
	const char *topic;
	const char *yes;
	const char *no;
	const char *unknown;
};
extern const struct report_yesno_pattern report_yesno_patterns[];
extern const size_t report_yesno_pattern_count;

/* Flags of a keyword pattern. */
#define RK_NEGATABLE 1u /* skipped after a negation ("geen ransomware") */
#define RK_REQUEST   2u /* counts only in a sentence that asks for help */
#define RK_LANG_ONLY                                                           \
	4u	   /* only when the mail is in lang (words like "hier"         \
		      mean different things in nl and fr) */
#define RK_WEAK 8u /* need: only when no other need was named */

/* A phrase that says value for field wherever it stands. */
struct report_keyword {
	enum report_field_id field;
	enum report_lang lang;
	const char *value;
	const char *pattern;
	double confidence;
	unsigned flags;
};
extern const struct report_keyword report_keywords[];
extern const size_t report_keyword_count;

/* Per language: negation words, words that ask for help, words that say
 * something was noticed, clauses saying a system still works. */
extern const char *const report_negations[RL_COUNT];
extern const char *const report_requests[RL_COUNT];
extern const char *const report_detections[RL_COUNT];
extern const char *const report_still_working[RL_COUNT];

/* Relative days: "vanochtend" is today, morning. */
enum report_day_part {
	RD_ANY,
	RD_MORNING,
	RD_AFTERNOON,
	RD_EVENING,
	RD_NIGHT, /* "vannacht om 3u": today before noon, else yesterday */
};
struct report_relative_day {
	enum report_lang lang;
	const char *pattern;
	int day_offset;
	enum report_day_part part;
	unsigned flags; /* RK_LANG_ONLY */
};
extern const struct report_relative_day report_relative_days[];
extern const size_t report_relative_day_count;

/* Cities with their country, for location and as a last country hint. */
struct report_city {
	const char *name;
	const char *country;
};
extern const struct report_city report_cities[];
extern const size_t report_city_count;

/* Country names in four languages. */
struct report_country_name {
	const char *pattern;
	const char *country;
};
extern const struct report_country_name report_country_names[];
extern const size_t report_country_name_count;

/* Mail domains of providers, not of an organisation. */
extern const char *const report_webmail_domains[];

/* Words that make a signature line an organisation or a role, not a
 * person's name. */
extern const char *const report_organisation_words;
extern const char *const report_role_words;
/* Hospital name patterns (compiled case-sensitively). */
extern const char *const report_hospital_patterns[];
/* Sign-off and self-introduction patterns. */
extern const char *const report_signoff_pattern;
extern const char *const report_introduction_pattern;

#endif
