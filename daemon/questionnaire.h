/* questionnaire.h — the fields of a case and the questions intaked asks,
 * loaded from questionnaire.conf (docs/questionnaire.md).
 *
 * The file declares every field (id, type, validation, a label per
 * language, the question text per language, answer synonyms) and, per
 * incident type, an ordered question set; the "common" set is asked for
 * every case.  A loaded questionnaire is immutable and reference counted,
 * like struct config, so a reload can swap it under running stages.  All
 * pointers handed out (fields, questions, strings) stay valid while the
 * caller holds a reference. */
#ifndef INTAKED_QUESTIONNAIRE_H
#define INTAKED_QUESTIONNAIRE_H

#include <glib.h>

#define QUESTIONNAIRE_ERROR questionnaire_error_quark()
GQuark questionnaire_error_quark(void);

enum questionnaire_error_code {
	QUESTIONNAIRE_ERROR_LOAD, /* the file: message lists problems */
	QUESTIONNAIRE_ERROR_UNKNOWN_FIELD, /* no field of that id */
	QUESTIONNAIRE_ERROR_VALUE,	   /* a value the field does not take */
};

/* The set asked for every case, before the incident type's own set. */
#define QUESTIONNAIRE_COMMON_SET "common"
/* The choice field whose value picks the type-specific set. */
#define QUESTIONNAIRE_INCIDENT_TYPE "incident_type"
/* The choice field whose value (an ISO 3166 code) tells phone
 * normalisation which national numbering plan applies. */
#define QUESTIONNAIRE_COUNTRY "country"

enum questionnaire_type {
	QUESTIONNAIRE_TEXT,	/* free text up to max_length characters */
	QUESTIONNAIRE_YESNO,	/* "yes", "no" or "unknown" */
	QUESTIONNAIRE_CHOICE,	/* one of values */
	QUESTIONNAIRE_LIST,	/* several of values, stored "a,b" */
	QUESTIONNAIRE_PHONE,	/* "+32475550123", or as written */
	QUESTIONNAIRE_EMAIL,	/* addr-spec, domain in lower case */
	QUESTIONNAIRE_DATETIME, /* ISO 8601 when parseable, else as written */
};

/* One field.  Read-only for callers. */
struct questionnaire_field {
	char *id;
	enum questionnaire_type type;
	/* Characters a text, phone or e-mail answer may have. */
	int max_length;
	/* choice and list: the allowed values in file order; yesno: "yes",
	 * "no", "unknown"; other types: NULL.  NULL-terminated. */
	char **values;
	unsigned line; /* where it is declared, for messages */
	/* private */
	char **labels;	      /* per language index, see questionnaire.c */
	char **questions;     /* idem; NULL entries when not asked */
	GHashTable *synonyms; /* folded answer -> borrowed value */
	/* borrowed value -> owned texts per language index; only values
	 * that have value_labels */
	GHashTable *value_labels;
};

/* One entry of a question set. */
struct questionnaire_question {
	const struct questionnaire_field *field;
	gboolean required;
};

struct questionnaire;

/* Loads and validates path.  languages (NULL-terminated, from
 * intaked.conf; NULL: en, nl, fr, de) are the languages every label and
 * question must have.  On any problem returns NULL and sets error
 * (QUESTIONNAIRE_ERROR_LOAD) to every problem found, one per line, as
 * "file:line: what is wrong".  Returns a new reference. */
struct questionnaire *questionnaire_load(const char *path,
					 const char *const *languages,
					 GError **error);

/* Same, from a string; name is used in messages.  For tests. */
struct questionnaire *questionnaire_load_string(const char *text,
						const char *name,
						const char *const *languages,
						GError **error);

struct questionnaire *questionnaire_ref(struct questionnaire *questionnaire);
void questionnaire_unref(struct questionnaire **questionnaire);

/* The file it was loaded from (borrowed). */
const char *questionnaire_path(const struct questionnaire *questionnaire);

/* "text", "yesno", "choice", "list", "phone", "email", "datetime". */
const char *questionnaire_type_name(enum questionnaire_type type);

/* Fields in file order: index 0 .. count - 1.  Borrowed. */
size_t questionnaire_field_count(const struct questionnaire *questionnaire);
const struct questionnaire_field *
questionnaire_field_at(const struct questionnaire *questionnaire, size_t index);

/* The field called id, or NULL.  Borrowed. */
const struct questionnaire_field *
questionnaire_field(const struct questionnaire *questionnaire, const char *id);

/* The field's label in lang; a language the file does not have falls back
 * to the first configured language.  Borrowed. */
const char *questionnaire_field_label(const struct questionnaire *questionnaire,
				      const struct questionnaire_field *field,
				      const char *lang);

/* The label of one value of a choice, list or yesno field in lang (same
 * fallback as questionnaire_field_label): the file's value_labels, and
 * for yesno fields without them built-in ones ("Yes", "Ja", "Oui"...).
 * NULL when the value has no label or is not a value of field.
 * Borrowed. */
const char *questionnaire_value_label(const struct questionnaire *questionnaire,
				      const struct questionnaire_field *field,
				      const char *value, const char *lang);

/* A stored value of field_id as a person reads it, in lang: a choice or
 * yesno value as its label; a list "a,b" as the labels of its items
 * joined with ", ", each item once.  A value without a label is shown
 * with '_' made ' ' ("data breach").  Values of other types, and of a
 * field the questionnaire does not have, are returned as stored.
 * stored NULL gives NULL.  Returns a new string (g_free), or NULL. */
char *questionnaire_value_text(const struct questionnaire *questionnaire,
			       const char *field_id, const char *stored,
			       const char *lang);

/* The question text for field_id in lang (same fallback), or NULL when
 * there is no such field or it is never asked.  Borrowed. */
const char *
questionnaire_question_text(const struct questionnaire *questionnaire,
			    const char *field_id, const char *lang);

/* Whether value is one of incident_type's values. */
gboolean
questionnaire_is_incident_type(const struct questionnaire *questionnaire,
			       const char *value);

/* The questions for a case of incident_type: the common set, then the
 * type's own set, in file order.  incident_type NULL, unknown or without
 * a set of its own gives the common set alone.  Returns a new array (free
 * it with g_ptr_array_unref) of borrowed const struct
 * questionnaire_question pointers. */
GPtrArray *questionnaire_questions(const struct questionnaire *questionnaire,
				   const char *incident_type);

/* The questions of incident_type's set (as above) whose field has no
 * value in known (field id -> value; NULL or "" count as no value), the
 * required ones first, each group in set order.  known may be NULL.
 * Returns a new array like questionnaire_questions(). */
GPtrArray *questionnaire_missing(const struct questionnaire *questionnaire,
				 const char *incident_type,
				 const GHashTable *known_field_values);

/* Checks raw as an answer to field_id and normalises it: yes/no/unknown
 * synonyms in four languages and the file's own synonyms; choice values
 * case-insensitively and by synonym; list items split at commas,
 * semicolons and and/en/et/und, each a value, stored "a,b" without
 * duplicates; phone numbers as in answer_normalise_phone(); dates to ISO
 * 8601 when parseable (else kept as written); e-mail addresses checked;
 * text trimmed and held to max_length.  On success *normalised is a new
 * string.  On failure returns FALSE and error names the field and the
 * value (QUESTIONNAIRE_ERROR_UNKNOWN_FIELD or _VALUE). */
gboolean questionnaire_validate_value(const struct questionnaire *questionnaire,
				      const char *field_id, const char *raw,
				      char **normalised, GError **error);

/* Same, with what is already known about the case (field id -> value;
 * may be NULL): the "country" value lets a national phone number such as
 * "0475 55 01 23" become "+32475550123". */
gboolean
questionnaire_validate_value_in(const struct questionnaire *questionnaire,
				const char *field_id, const char *raw,
				const GHashTable *known_field_values,
				char **normalised, GError **error);

#endif
