/* questionnaire.c — questionnaire.conf: fields, their questions in four
 * languages, and the question set per incident type.
 *
 * Like intaked.conf, the file is checked whole: every problem is collected
 * as "file:line: what is wrong" and returned together, and unknown keys,
 * types, values, languages and field references get a "did you mean" when
 * one is close.  The normalisation of answers is in parsers/answer.c,
 * which the reply parser shares; this file adds what the questionnaire
 * knows (the field's type, values, synonyms and limits). */
#include "questionnaire.h"

#include "answer.h"
#include "conf-problems.h"

#include <errno.h>
#include <fcntl.h>
#include <libconfig.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Written by the operator, but a wrong path (a log file) should not be
 * read whole. */
#define QUESTIONNAIRE_FILE_MAX_BYTES (1024 * 1024)
#define ID_MAX_BYTES		     64
#define TEXT_MAX_BYTES		     1000 /* a label or question */
#define SYNONYM_MAX_BYTES	     200
#define DEFAULT_TEXT_MAX_LENGTH	     2000
#define DEFAULT_PHONE_MAX_LENGTH     40
#define DATETIME_MAX_LENGTH	     200

/* Every language intaked knows; labels and questions are stored per index
 * into this list. */
#define LANGUAGE_COUNT 4
static const char *const known_languages[] = {"en", "nl", "fr", "de", NULL};

static const char *const type_names[] = {
	"text", "yesno", "choice", "list", "phone", "email", "datetime", NULL,
};
static const char *const yesno_values[] = {"yes", "no", "unknown", NULL};
/* What a yesno value reads as when the file gives no value_labels: the
 * rows follow yesno_values, the columns known_languages. */
static const char *const yesno_labels[][4] = {
	{"Yes", "Ja", "Oui", "Ja"},
	{"No", "Nee", "Non", "Nein"},
	{"Unknown", "Onbekend", "Inconnu", "Unbekannt"},
};
static const char *const root_keys[] = {"fields", "sets", NULL};
static const char *const field_keys[] = {
	"id",	    "type",	"max_length",	"values", "label",
	"question", "synonyms", "value_labels", NULL,
};
static const char *const entry_keys[] = {"field", "required", NULL};

G_STATIC_ASSERT(G_N_ELEMENTS(known_languages) == LANGUAGE_COUNT + 1);
G_STATIC_ASSERT(G_N_ELEMENTS(type_names) == QUESTIONNAIRE_DATETIME + 2);
G_STATIC_ASSERT(G_N_ELEMENTS(yesno_labels) == G_N_ELEMENTS(yesno_values) - 1);
G_STATIC_ASSERT(G_N_ELEMENTS(yesno_labels[0]) == LANGUAGE_COUNT);

struct questionnaire {
	char *path;
	gboolean wanted[LANGUAGE_COUNT]; /* the configured languages */
	int fallback;			 /* index of the first of them */
	GPtrArray *fields;		 /* owned fields, file order */
	GHashTable *by_id;		 /* id -> borrowed field */
	/* set name -> GPtrArray of owned struct questionnaire_question */
	GHashTable *sets;
	const struct questionnaire_field *incident_type;
	const struct questionnaire_field *country;
};

struct load_state {
	config_t lc;
	const char *name;
	char *base_dir;
	GString *problems;
	struct questionnaire *questionnaire;
};

GQuark
questionnaire_error_quark(void)
{
	return g_quark_from_static_string("intaked-questionnaire-error");
}

const char *
questionnaire_type_name(enum questionnaire_type type)
{
	if ((int)type >= 0 && type <= QUESTIONNAIRE_DATETIME)
		return type_names[type];
	return "unknown";
}

static int
language_index(const char *lang)
{
	for (int i = 0; lang != NULL && i < LANGUAGE_COUNT; i++)
		if (g_ascii_strcasecmp(lang, known_languages[i]) == 0)
			return i;
	return -1;
}

/* --- problems --------------------------------------------------------- */

static void problem_at(struct load_state *state,
		       const config_setting_t *setting, const char *format, ...)
	G_GNUC_PRINTF(3, 4);

static void
problem_at(struct load_state *state, const config_setting_t *setting,
	   const char *format, ...)
{
	struct conf_problems where = {state->problems, state->name,
				      state->base_dir};
	va_list args;

	va_start(args, format);
	conf_problem_vadd(&where, setting, format, args);
	va_end(args);
}

static void
check_keys(struct load_state *state, const config_setting_t *group,
	   const char *const *known, const char *where)
{
	struct conf_problems problems = {state->problems, state->name,
					 state->base_dir};

	conf_check_keys(&problems, group, known, where);
}

/* An id or value: a letter, then letters, digits and '_' (so it can also
 * be a libconfig setting name, as in synonyms). */
static gboolean
is_identifier(const char *text)
{
	if (!g_ascii_isalpha(*text) || strlen(text) > ID_MAX_BYTES)
		return FALSE;
	for (const char *p = text; *p != '\0'; p++)
		if (!g_ascii_isalnum(*p) && *p != '_')
			return FALSE;
	return TRUE;
}

/* Reads a string setting meant for people: non-empty UTF-8 without
 * control characters, at most max bytes.  Returns a borrowed string or
 * NULL after reporting. */
static const char *
text_value(struct load_state *state, const config_setting_t *setting,
	   const char *what, size_t max)
{
	const char *value;

	if (config_setting_type(setting) != CONFIG_TYPE_STRING) {
		problem_at(state, setting, "%s must be a string", what);
		return NULL;
	}
	value = config_setting_get_string(setting);
	if (*value == '\0') {
		problem_at(state, setting, "%s must not be empty", what);
		return NULL;
	}
	if (strlen(value) > max) {
		problem_at(state, setting, "%s is longer than %zu bytes", what,
			   max);
		return NULL;
	}
	if (!g_utf8_validate(value, -1, NULL)) {
		problem_at(state, setting, "%s is not valid UTF-8", what);
		return NULL;
	}
	for (const char *p = value; *p != '\0'; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f) {
			problem_at(state, setting,
				   "%s contains a control character", what);
			return NULL;
		}
	}
	return value;
}

/* --- fields ----------------------------------------------------------- */

/* A text per language index, as in field->labels. */
static void
texts_free(gpointer data)
{
	char **texts = data;

	for (int i = 0; i < LANGUAGE_COUNT; i++)
		g_free(texts[i]);
	g_free(texts);
}

static void
field_free(gpointer data)
{
	struct questionnaire_field *field = data;

	g_free(field->id);
	g_strfreev(field->values);
	for (int i = 0; i < LANGUAGE_COUNT; i++) {
		g_free(field->labels[i]);
		g_free(field->questions[i]);
	}
	g_free(field->labels);
	g_free(field->questions);
	g_clear_pointer(&field->synonyms, g_hash_table_unref);
	g_clear_pointer(&field->value_labels, g_hash_table_unref);
	g_free(field);
}

/* label = { en = "..."; nl = "..."; ... }: one text per language, every
 * configured language present.  where names the group in messages
 * ("label of field 'x'").  Fills texts[language index]. */
static void
load_texts(struct load_state *state, const config_setting_t *group,
	   const char *where, char **texts)
{
	int count;

	if (!config_setting_is_group(group)) {
		problem_at(state, group,
			   "%s must be a group { en = \"...\"; ... }", where);
		return;
	}
	count = config_setting_length(group);
	for (int i = 0; i < count; i++) {
		config_setting_t *member = config_setting_get_elem(group, i);
		const char *lang = config_setting_name(member);
		int index = language_index(lang);
		g_autofree char *suggestion = NULL;
		const char *value;

		if (index < 0) {
			suggestion = conf_hint(lang, known_languages);
			problem_at(state, member,
				   "unknown language '%s' in %s; languages "
				   "are en, nl, fr, de%s",
				   lang, where, suggestion);
			continue;
		}
		value = text_value(state, member, where, TEXT_MAX_BYTES);
		if (value != NULL)
			texts[index] = g_strdup(value);
	}
	for (int i = 0; i < LANGUAGE_COUNT; i++)
		if (state->questionnaire->wanted[i] && texts[i] == NULL &&
		    config_setting_get_member(group, known_languages[i]) ==
			    NULL)
			problem_at(state, group, "%s has no '%s' text", where,
				   known_languages[i]);
}

/* values = [ "a", "b" ]. */
static void
load_values(struct load_state *state, const config_setting_t *setting,
	    struct questionnaire_field *field)
{
	g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GHashTable) folded =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	int count;

	if (!config_setting_is_array(setting) &&
	    !config_setting_is_list(setting)) {
		problem_at(state, setting,
			   "values of field '%s' must be a list of strings",
			   field->id);
		return;
	}
	count = config_setting_length(setting);
	if (count == 0) {
		problem_at(state, setting, "values of field '%s' is empty",
			   field->id);
		return;
	}
	for (int i = 0; i < count; i++) {
		config_setting_t *element = config_setting_get_elem(setting, i);
		const char *value;
		char *key;

		if (config_setting_type(element) != CONFIG_TYPE_STRING) {
			problem_at(state, setting,
				   "values of field '%s' must be a list of "
				   "strings",
				   field->id);
			return;
		}
		value = config_setting_get_string(element);
		if (!is_identifier(value)) {
			problem_at(state, setting,
				   "value '%s' of field '%s' must be a letter "
				   "followed by letters, digits or '_'",
				   value, field->id);
			continue;
		}
		/* Answers are matched folded, so "BE" and "be" are one. */
		key = answer_fold(value);
		if (g_hash_table_contains(folded, key)) {
			problem_at(state, setting,
				   "value '%s' of field '%s' is listed twice",
				   value, field->id);
			g_free(key);
			continue;
		}
		g_hash_table_add(folded, key);
		g_ptr_array_add(values, g_strdup(value));
	}
	g_ptr_array_add(values, NULL);
	field->values =
		(char **)g_ptr_array_free(g_steal_pointer(&values), FALSE);
}

/* Adds folded text -> value to the field's synonyms, reporting a clash
 * with another value. */
static void
add_synonym(struct load_state *state, const config_setting_t *setting,
	    struct questionnaire_field *field, const char *text,
	    const char *value)
{
	char *key = answer_fold(text);
	const char *existing;

	if (*key == '\0') {
		problem_at(state, setting,
			   "synonym \"%s\" of '%s' in field '%s' is empty "
			   "once punctuation is ignored",
			   text, value, field->id);
		g_free(key);
		return;
	}
	existing = g_hash_table_lookup(field->synonyms, key);
	if (existing != NULL && strcmp(existing, value) != 0) {
		problem_at(state, setting,
			   "synonym \"%s\" of '%s' in field '%s' already "
			   "stands for '%s'",
			   text, value, field->id, existing);
		g_free(key);
		return;
	}
	g_hash_table_replace(field->synonyms, key, (gpointer)value);
}

/* Returns the field's own value equal to name (borrowed), or NULL. */
static const char *
field_value(const struct questionnaire_field *field, const char *name)
{
	for (size_t i = 0; field->values && field->values[i] != NULL; i++)
		if (strcmp(field->values[i], name) == 0)
			return field->values[i];
	return NULL;
}

/* synonyms = { value = { lang = [ "...", ... ]; ... }; ... }. */
static void
load_synonyms(struct load_state *state, const config_setting_t *setting,
	      struct questionnaire_field *field)
{
	int count;

	if (!config_setting_is_group(setting)) {
		problem_at(state, setting,
			   "synonyms of field '%s' must be a group "
			   "{ value = { en = [ ... ]; }; }",
			   field->id);
		return;
	}
	count = config_setting_length(setting);
	for (int i = 0; i < count; i++) {
		config_setting_t *by_value =
			config_setting_get_elem(setting, i);
		const char *name = config_setting_name(by_value);
		const char *value = field_value(field, name);
		int languages;

		if (value == NULL) {
			g_autofree char *suggestion = conf_hint(
				name, (const char *const *)field->values);

			problem_at(state, by_value,
				   "synonyms for '%s', which is not a value "
				   "of field '%s'%s",
				   name, field->id, suggestion);
			continue;
		}
		if (!config_setting_is_group(by_value)) {
			problem_at(state, by_value,
				   "synonyms for '%s' in field '%s' must be a "
				   "group { en = [ ... ]; }",
				   name, field->id);
			continue;
		}
		languages = config_setting_length(by_value);
		for (int j = 0; j < languages; j++) {
			config_setting_t *list =
				config_setting_get_elem(by_value, j);
			const char *lang = config_setting_name(list);
			g_autofree char *where = NULL;
			int words;

			if (language_index(lang) < 0) {
				g_autofree char *suggestion =
					conf_hint(lang, known_languages);

				problem_at(state, list,
					   "unknown language '%s' in synonyms "
					   "of field '%s'%s",
					   lang, field->id, suggestion);
				continue;
			}
			where = g_strdup_printf("synonym of '%s' in field '%s'",
						name, field->id);
			if (config_setting_type(list) == CONFIG_TYPE_STRING) {
				const char *text = text_value(
					state, list, where, SYNONYM_MAX_BYTES);

				if (text != NULL)
					add_synonym(state, list, field, text,
						    value);
				continue;
			}
			if (!config_setting_is_array(list) &&
			    !config_setting_is_list(list)) {
				problem_at(state, list,
					   "synonyms must be a list of "
					   "strings");
				continue;
			}
			words = config_setting_length(list);
			for (int k = 0; k < words; k++) {
				config_setting_t *word =
					config_setting_get_elem(list, k);
				const char *text = text_value(
					state, word, where, SYNONYM_MAX_BYTES);

				if (text != NULL)
					add_synonym(state, word, field, text,
						    value);
			}
		}
	}
}

/* value_labels = { value = { en = "..."; nl = "..."; ... }; ... }: how a
 * value reads in each language, checked like a field's label, and also
 * accepted as an answer.  A value without an entry is shown as written. */
static void
load_value_labels(struct load_state *state, const config_setting_t *setting,
		  struct questionnaire_field *field)
{
	int count;

	if (!config_setting_is_group(setting)) {
		problem_at(state, setting,
			   "value_labels of field '%s' must be a group "
			   "{ value = { en = \"...\"; }; }",
			   field->id);
		return;
	}
	count = config_setting_length(setting);
	for (int i = 0; i < count; i++) {
		config_setting_t *by_value =
			config_setting_get_elem(setting, i);
		const char *name = config_setting_name(by_value);
		const char *value = field_value(field, name);
		g_autofree char *where = NULL;
		char **texts;

		if (value == NULL) {
			g_autofree char *suggestion = conf_hint(
				name, (const char *const *)field->values);

			problem_at(state, by_value,
				   "value_labels for '%s', which is not a "
				   "value of field '%s'%s",
				   name, field->id, suggestion);
			continue;
		}
		where = g_strdup_printf("label of value '%s' of field '%s'",
					value, field->id);
		texts = g_new0(char *, LANGUAGE_COUNT);
		load_texts(state, by_value, where, texts);
		g_hash_table_replace(field->value_labels, (gpointer)value,
				     texts);
		/* A requester may write back what a mail showed them. */
		for (int j = 0; j < LANGUAGE_COUNT; j++)
			if (texts[j] != NULL)
				add_synonym(state, by_value, field, texts[j],
					    value);
	}
}

/* Reads the type; returns FALSE after reporting. */
static gboolean
load_type(struct load_state *state, const config_setting_t *group,
	  struct questionnaire_field *field)
{
	config_setting_t *setting = config_setting_get_member(group, "type");
	const char *name;

	if (setting == NULL) {
		problem_at(state, group, "field '%s' has no type", field->id);
		return FALSE;
	}
	if (config_setting_type(setting) != CONFIG_TYPE_STRING) {
		problem_at(state, setting,
			   "type of field '%s' must be a string", field->id);
		return FALSE;
	}
	name = config_setting_get_string(setting);
	for (int i = 0; type_names[i] != NULL; i++) {
		if (strcmp(name, type_names[i]) == 0) {
			field->type = i;
			return TRUE;
		}
	}
	{
		g_autofree char *suggestion = conf_hint(name, type_names);

		problem_at(state, setting,
			   "type '%s' of field '%s' is not text, yesno, "
			   "choice, list, phone, email or datetime%s",
			   name, field->id, suggestion);
	}
	return FALSE;
}

static void
load_max_length(struct load_state *state, const config_setting_t *group,
		struct questionnaire_field *field)
{
	config_setting_t *setting =
		config_setting_get_member(group, "max_length");
	int limit;
	long long value;

	switch (field->type) {
	case QUESTIONNAIRE_TEXT:
		field->max_length = DEFAULT_TEXT_MAX_LENGTH;
		limit = ANSWER_MAX_BYTES;
		break;
	case QUESTIONNAIRE_PHONE:
		field->max_length = DEFAULT_PHONE_MAX_LENGTH;
		limit = ANSWER_PHONE_MAX_BYTES;
		break;
	case QUESTIONNAIRE_EMAIL:
		field->max_length = ANSWER_EMAIL_MAX_BYTES;
		limit = ANSWER_EMAIL_MAX_BYTES;
		break;
	default:
		if (setting != NULL)
			problem_at(state, setting,
				   "max_length only applies to text, phone "
				   "and email fields, not to %s field '%s'",
				   type_names[field->type], field->id);
		return;
	}
	if (setting == NULL)
		return;
	if (config_setting_type(setting) != CONFIG_TYPE_INT &&
	    config_setting_type(setting) != CONFIG_TYPE_INT64) {
		problem_at(state, setting,
			   "max_length of field '%s' must be an integer",
			   field->id);
		return;
	}
	/* libconfig 1.5 truncates big literals (see shared notes), but any
	 * truncation of a number above the limit lands outside 1..limit or
	 * is a number an admin would not write for a length. */
	value = config_setting_get_int64(setting);
	if (value < 1 || value > limit) {
		problem_at(state, setting,
			   "max_length of field '%s' = %lld is out of range "
			   "1..%d",
			   field->id, value, limit);
		return;
	}
	field->max_length = (int)value;
}

static void
load_field(struct load_state *state, const config_setting_t *group)
{
	struct questionnaire *questionnaire = state->questionnaire;
	config_setting_t *setting;
	struct questionnaire_field *field;
	const struct questionnaire_field *first;
	const char *id;
	gboolean has_values;

	if (!config_setting_is_group(group)) {
		problem_at(state, group,
			   "each entry of fields must be a group { id = "
			   "\"...\"; type = \"...\"; ... }");
		return;
	}
	setting = config_setting_get_member(group, "id");
	if (setting == NULL) {
		problem_at(state, group, "field has no id");
		return;
	}
	if (config_setting_type(setting) != CONFIG_TYPE_STRING) {
		problem_at(state, setting, "id must be a string");
		return;
	}
	id = config_setting_get_string(setting);
	if (!is_identifier(id)) {
		problem_at(state, setting,
			   "id '%s' must be a letter followed by letters, "
			   "digits or '_' (at most %d)",
			   id, ID_MAX_BYTES);
		return;
	}
	{
		g_autofree char *where = g_strdup_printf("field '%s'", id);

		check_keys(state, group, field_keys, where);
	}
	first = g_hash_table_lookup(questionnaire->by_id, id);
	if (first != NULL) {
		problem_at(state, setting,
			   "duplicate field id '%s' (first declared at line "
			   "%u)",
			   id, first->line);
		return;
	}

	field = g_new0(struct questionnaire_field, 1);
	field->id = g_strdup(id);
	field->line = config_setting_source_line(group);
	field->labels = g_new0(char *, LANGUAGE_COUNT);
	field->questions = g_new0(char *, LANGUAGE_COUNT);
	field->synonyms =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	field->value_labels = g_hash_table_new_full(g_str_hash, g_str_equal,
						    NULL, texts_free);
	g_ptr_array_add(questionnaire->fields, field);
	g_hash_table_insert(questionnaire->by_id, field->id, field);

	if (!load_type(state, group, field))
		return;
	load_max_length(state, group, field);

	setting = config_setting_get_member(group, "values");
	has_values = field->type == QUESTIONNAIRE_CHOICE ||
		     field->type == QUESTIONNAIRE_LIST;
	if (has_values && setting == NULL)
		problem_at(state, group, "%s field '%s' has no values",
			   type_names[field->type], field->id);
	else if (has_values)
		load_values(state, setting, field);
	else if (setting != NULL)
		problem_at(state, setting,
			   "values only apply to choice and list fields, not "
			   "to %s field '%s'",
			   type_names[field->type], field->id);
	if (field->type == QUESTIONNAIRE_YESNO)
		field->values = g_strdupv((char **)yesno_values);
	/* Every value is its own synonym. */
	for (size_t i = 0; field->values && field->values[i] != NULL; i++)
		g_hash_table_replace(field->synonyms,
				     answer_fold(field->values[i]),
				     field->values[i]);

	setting = config_setting_get_member(group, "label");
	if (setting == NULL) {
		problem_at(state, group, "field '%s' has no label", field->id);
	} else {
		g_autofree char *where =
			g_strdup_printf("label of field '%s'", field->id);

		load_texts(state, setting, where, field->labels);
	}
	setting = config_setting_get_member(group, "question");
	if (setting != NULL) {
		g_autofree char *where =
			g_strdup_printf("question of field '%s'", field->id);

		load_texts(state, setting, where, field->questions);
	}

	/* Both need the values; when the values were wrong, that was
	 * reported already. */
	setting = config_setting_get_member(group, "synonyms");
	if (setting != NULL && field->values != NULL)
		load_synonyms(state, setting, field);
	else if (setting != NULL && !has_values)
		problem_at(state, setting,
			   "synonyms only apply to yesno, choice and list "
			   "fields, not to %s field '%s'",
			   type_names[field->type], field->id);
	setting = config_setting_get_member(group, "value_labels");
	if (setting != NULL && field->values != NULL)
		load_value_labels(state, setting, field);
	else if (setting != NULL && !has_values)
		problem_at(state, setting,
			   "value_labels only apply to yesno, choice and "
			   "list fields, not to %s field '%s'",
			   type_names[field->type], field->id);
}

static void
load_fields(struct load_state *state)
{
	config_setting_t *fields = config_lookup(&state->lc, "fields");
	int count;

	if (fields == NULL) {
		problem_at(state, NULL, "fields is required");
		return;
	}
	if (!config_setting_is_list(fields)) {
		problem_at(state, fields,
			   "fields must be a list ( { ... }, { ... } )");
		return;
	}
	count = config_setting_length(fields);
	for (int i = 0; i < count; i++)
		load_field(state, config_setting_get_elem(fields, i));
}

/* The fields the rest of intaked depends on by name. */
static void
check_special_fields(struct load_state *state)
{
	struct questionnaire *questionnaire = state->questionnaire;
	const struct questionnaire_field *field;
	config_setting_t *fields = config_lookup(&state->lc, "fields");

	field = g_hash_table_lookup(questionnaire->by_id,
				    QUESTIONNAIRE_INCIDENT_TYPE);
	if (field == NULL && fields != NULL)
		problem_at(state, fields,
			   "no field '%s': question sets are chosen by its "
			   "value",
			   QUESTIONNAIRE_INCIDENT_TYPE);
	else if (field != NULL && field->type != QUESTIONNAIRE_CHOICE)
		problem_at(state, fields,
			   "field '%s' (line %u) must be a choice",
			   QUESTIONNAIRE_INCIDENT_TYPE, field->line);
	else
		questionnaire->incident_type = field;

	field = g_hash_table_lookup(questionnaire->by_id,
				    QUESTIONNAIRE_COUNTRY);
	if (field != NULL && field->type != QUESTIONNAIRE_CHOICE)
		problem_at(state, fields,
			   "field '%s' (line %u) must be a choice of country "
			   "codes",
			   QUESTIONNAIRE_COUNTRY, field->line);
	else
		questionnaire->country = field;
}

/* --- question sets ---------------------------------------------------- */

/* Line of the entry asking field in set, or 0. */
static unsigned
asked_in(const GPtrArray *set, const struct questionnaire_field *field,
	 const GArray *lines)
{
	for (size_t i = 0; i < set->len; i++) {
		const struct questionnaire_question *question = set->pdata[i];

		if (question->field == field)
			return g_array_index(lines, unsigned, i);
	}
	return 0;
}

static const char *const *
field_ids(struct questionnaire *questionnaire, GPtrArray *ids)
{
	for (size_t i = 0; i < questionnaire->fields->len; i++) {
		const struct questionnaire_field *field =
			questionnaire->fields->pdata[i];

		g_ptr_array_add(ids, field->id);
	}
	g_ptr_array_add(ids, NULL);
	return (const char *const *)ids->pdata;
}

/* One entry: { field = "..."; required = true; }.  Returns the question
 * (a new one) or NULL after reporting. */
static struct questionnaire_question *
load_entry(struct load_state *state, const config_setting_t *entry,
	   const char *set_name)
{
	struct questionnaire *questionnaire = state->questionnaire;
	config_setting_t *setting;
	const struct questionnaire_field *field;
	struct questionnaire_question *question;
	g_autofree char *where =
		g_strdup_printf("an entry of set '%s'", set_name);
	const char *id;
	gboolean asked = FALSE;

	if (!config_setting_is_group(entry)) {
		problem_at(state, entry,
			   "each entry of set '%s' must be a group { field = "
			   "\"...\"; required = true; }",
			   set_name);
		return NULL;
	}
	check_keys(state, entry, entry_keys, where);
	setting = config_setting_get_member(entry, "field");
	if (setting == NULL ||
	    config_setting_type(setting) != CONFIG_TYPE_STRING) {
		problem_at(state, setting ? setting : entry,
			   "%s needs field = \"<field id>\"", where);
		return NULL;
	}
	id = config_setting_get_string(setting);
	field = g_hash_table_lookup(questionnaire->by_id, id);
	if (field == NULL) {
		g_autoptr(GPtrArray) ids = g_ptr_array_new();
		g_autofree char *suggestion =
			conf_hint(id, field_ids(questionnaire, ids));

		problem_at(state, setting, "set '%s' asks unknown field '%s'%s",
			   set_name, id, suggestion);
		return NULL;
	}
	for (int i = 0; i < LANGUAGE_COUNT; i++)
		asked = asked || field->questions[i] != NULL;
	if (!asked) {
		problem_at(state, setting,
			   "set '%s' asks field '%s', which has no question "
			   "(line %u)",
			   set_name, id, field->line);
		return NULL;
	}
	question = g_new0(struct questionnaire_question, 1);
	question->field = field;
	setting = config_setting_get_member(entry, "required");
	if (setting != NULL &&
	    config_setting_type(setting) != CONFIG_TYPE_BOOL) {
		problem_at(state, setting, "required must be true or false");
	} else if (setting != NULL) {
		question->required = config_setting_get_bool(setting) != 0;
	}
	return question;
}

/* Loads one set and the line of each question kept into lines;
 * common_set and common_lines (NULL while loading the common set itself)
 * catch a field asked twice for one case.  Returns a new array. */
static GPtrArray *
load_set(struct load_state *state, const config_setting_t *setting,
	 const GPtrArray *common_set, const GArray *common_lines, GArray *lines)
{
	const char *name = config_setting_name(setting);
	GPtrArray *set = g_ptr_array_new_with_free_func(g_free);
	int count;

	if (!config_setting_is_list(setting)) {
		problem_at(state, setting,
			   "set '%s' must be a list ( { field = \"...\"; }, "
			   "... )",
			   name);
		return set;
	}
	count = config_setting_length(setting);
	for (int i = 0; i < count; i++) {
		config_setting_t *entry = config_setting_get_elem(setting, i);
		struct questionnaire_question *question =
			load_entry(state, entry, name);
		unsigned line = config_setting_source_line(entry);
		unsigned first;

		if (question == NULL)
			continue;
		first = asked_in(set, question->field, lines);
		if (first == 0 && common_set != NULL)
			first = asked_in(common_set, question->field,
					 common_lines);
		if (first != 0) {
			problem_at(state, entry,
				   "set '%s' asks field '%s' again (first at "
				   "line %u)",
				   name, question->field->id, first);
			g_free(question);
			continue;
		}
		g_ptr_array_add(set, question);
		g_array_append_val(lines, line);
	}
	return set;
}

static void
load_sets(struct load_state *state)
{
	struct questionnaire *questionnaire = state->questionnaire;
	config_setting_t *sets = config_lookup(&state->lc, "sets");
	config_setting_t *common;
	GPtrArray *common_set;
	g_autoptr(GArray) common_lines =
		g_array_new(FALSE, FALSE, sizeof(unsigned));
	int count;

	if (sets == NULL) {
		problem_at(state, NULL, "sets is required");
		return;
	}
	if (!config_setting_is_group(sets)) {
		problem_at(state, sets,
			   "sets must be a group { common = ( ... ); ... }");
		return;
	}
	common = config_setting_get_member(sets, QUESTIONNAIRE_COMMON_SET);
	if (common != NULL)
		common_set = load_set(state, common, NULL, NULL, common_lines);
	else
		common_set = g_ptr_array_new_with_free_func(g_free);
	g_hash_table_insert(questionnaire->sets,
			    g_strdup(QUESTIONNAIRE_COMMON_SET), common_set);

	count = config_setting_length(sets);
	for (int i = 0; i < count; i++) {
		config_setting_t *setting = config_setting_get_elem(sets, i);
		const char *name = config_setting_name(setting);
		const struct questionnaire_field *types =
			questionnaire->incident_type;
		g_autoptr(GArray) lines = NULL;

		if (strcmp(name, QUESTIONNAIRE_COMMON_SET) == 0)
			continue;
		if (types != NULL && types->values != NULL &&
		    field_value(types, name) == NULL) {
			g_autofree char *suggestion = conf_hint(
				name, (const char *const *)types->values);

			problem_at(state, setting,
				   "set '%s' is neither '%s' nor a value of "
				   "field '%s'%s",
				   name, QUESTIONNAIRE_COMMON_SET,
				   QUESTIONNAIRE_INCIDENT_TYPE, suggestion);
			continue;
		}
		lines = g_array_new(FALSE, FALSE, sizeof(unsigned));
		g_hash_table_insert(questionnaire->sets, g_strdup(name),
				    load_set(state, setting, common_set,
					     common_lines, lines));
	}
}

/* --- loading ---------------------------------------------------------- */

static void
questionnaire_clear(gpointer data)
{
	struct questionnaire *questionnaire = data;

	g_free(questionnaire->path);
	g_clear_pointer(&questionnaire->sets, g_hash_table_unref);
	g_clear_pointer(&questionnaire->by_id, g_hash_table_unref);
	g_clear_pointer(&questionnaire->fields, g_ptr_array_unref);
}

struct questionnaire *
questionnaire_ref(struct questionnaire *questionnaire)
{
	return g_atomic_rc_box_acquire(questionnaire);
}

void
questionnaire_unref(struct questionnaire **questionnaire)
{
	if (*questionnaire == NULL)
		return;
	g_atomic_rc_box_release_full(*questionnaire, questionnaire_clear);
	*questionnaire = NULL;
}

const char *
questionnaire_path(const struct questionnaire *questionnaire)
{
	return questionnaire->path;
}

/* Which languages must be present; reports unknown ones. */
static gboolean
set_languages(struct questionnaire *questionnaire, const char *const *languages,
	      GString *problems, const char *name)
{
	questionnaire->fallback = -1;
	if (languages == NULL)
		languages = known_languages;
	for (size_t i = 0; languages[i] != NULL; i++) {
		int index = language_index(languages[i]);

		if (index < 0) {
			g_string_append_printf(problems,
					       "%s: language '%s' is not one "
					       "of en, nl, fr, de",
					       name, languages[i]);
			return FALSE;
		}
		questionnaire->wanted[index] = TRUE;
		if (questionnaire->fallback < 0)
			questionnaire->fallback = index;
	}
	if (questionnaire->fallback < 0) {
		g_string_append_printf(problems, "%s: no languages", name);
		return FALSE;
	}
	return TRUE;
}

struct questionnaire *
questionnaire_load_string(const char *text, const char *name,
			  const char *const *languages, GError **error)
{
	struct load_state state = {0};
	g_autofree char *absolute = g_canonicalize_filename(name, NULL);
	struct questionnaire *questionnaire = NULL;

	state.name = name;
	state.base_dir = g_path_get_dirname(absolute);
	state.problems = g_string_new(NULL);
	config_init(&state.lc);
	/* @include is relative to the working directory unless told. */
	config_set_include_dir(&state.lc, state.base_dir);

	state.questionnaire = g_atomic_rc_box_new0(struct questionnaire);
	state.questionnaire->path = g_strdup(absolute);
	state.questionnaire->fields =
		g_ptr_array_new_with_free_func(field_free);
	state.questionnaire->by_id = g_hash_table_new(g_str_hash, g_str_equal);
	state.questionnaire->sets =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
				      (GDestroyNotify)g_ptr_array_unref);
	if (!set_languages(state.questionnaire, languages, state.problems,
			   name))
		goto out;

	if (!config_read_string(&state.lc, text)) {
		const char *file = config_error_file(&state.lc);

		g_string_printf(state.problems, "%s:%d: %s", file ? file : name,
				config_error_line(&state.lc),
				config_error_text(&state.lc));
		goto out;
	}
	{
		g_autofree char *where = g_strdup("the top level");

		check_keys(&state, config_root_setting(&state.lc), root_keys,
			   where);
	}
	load_fields(&state);
	check_special_fields(&state);
	load_sets(&state);

out:
	if (state.problems->len == 0) {
		questionnaire = g_steal_pointer(&state.questionnaire);
	} else {
		questionnaire_unref(&state.questionnaire);
		g_set_error_literal(error, QUESTIONNAIRE_ERROR,
				    QUESTIONNAIRE_ERROR_LOAD,
				    state.problems->str);
	}
	config_destroy(&state.lc);
	g_string_free(state.problems, TRUE);
	g_free(state.base_dir);
	return questionnaire;
}

struct questionnaire *
questionnaire_load(const char *path, const char *const *languages,
		   GError **error)
{
	g_autofree char *text = NULL;
	struct stat st;
	size_t used = 0;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0 || fstat(fd, &st) < 0) {
		int saved = errno;

		if (fd >= 0)
			close(fd);
		g_set_error(error, QUESTIONNAIRE_ERROR,
			    QUESTIONNAIRE_ERROR_LOAD, "%s: cannot read: %s",
			    path, g_strerror(saved));
		return NULL;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > QUESTIONNAIRE_FILE_MAX_BYTES) {
		close(fd);
		g_set_error(error, QUESTIONNAIRE_ERROR,
			    QUESTIONNAIRE_ERROR_LOAD, "%s: cannot read: %s",
			    path,
			    S_ISREG(st.st_mode) ? "larger than 1 MiB"
						: "not a regular file");
		return NULL;
	}
	text = g_malloc(QUESTIONNAIRE_FILE_MAX_BYTES + 1);
	while (used < QUESTIONNAIRE_FILE_MAX_BYTES) {
		ssize_t n = read(fd, text + used,
				 QUESTIONNAIRE_FILE_MAX_BYTES - used);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int saved = errno;

			close(fd);
			g_set_error(error, QUESTIONNAIRE_ERROR,
				    QUESTIONNAIRE_ERROR_LOAD,
				    "%s: cannot read: %s", path,
				    g_strerror(saved));
			return NULL;
		}
		if (n == 0)
			break;
		used += n;
	}
	close(fd);
	text[used] = '\0';
	/* libconfig stops at the first NUL and would ignore the rest. */
	if (memchr(text, '\0', used) != NULL) {
		g_set_error(error, QUESTIONNAIRE_ERROR,
			    QUESTIONNAIRE_ERROR_LOAD, "%s: contains a NUL byte",
			    path);
		return NULL;
	}
	return questionnaire_load_string(text, path, languages, error);
}

/* --- lookups ---------------------------------------------------------- */

size_t
questionnaire_field_count(const struct questionnaire *questionnaire)
{
	return questionnaire->fields->len;
}

const struct questionnaire_field *
questionnaire_field_at(const struct questionnaire *questionnaire, size_t index)
{
	g_return_val_if_fail(index < questionnaire->fields->len, NULL);
	return questionnaire->fields->pdata[index];
}

const struct questionnaire_field *
questionnaire_field(const struct questionnaire *questionnaire, const char *id)
{
	if (id == NULL)
		return NULL;
	return g_hash_table_lookup(questionnaire->by_id, id);
}

/* texts[lang], or the fallback language's.  Languages that are not
 * configured may still have a text; it is used when present. */
static const char *
text_in(const struct questionnaire *questionnaire, char *const *texts,
	const char *lang)
{
	int index = language_index(lang);

	if (index >= 0 && texts[index] != NULL)
		return texts[index];
	return texts[questionnaire->fallback];
}

const char *
questionnaire_field_label(const struct questionnaire *questionnaire,
			  const struct questionnaire_field *field,
			  const char *lang)
{
	return text_in(questionnaire, field->labels, lang);
}

const char *
questionnaire_question_text(const struct questionnaire *questionnaire,
			    const char *field_id, const char *lang)
{
	const struct questionnaire_field *field =
		questionnaire_field(questionnaire, field_id);

	if (field == NULL)
		return NULL;
	return text_in(questionnaire, field->questions, lang);
}

const char *
questionnaire_value_label(const struct questionnaire *questionnaire,
			  const struct questionnaire_field *field,
			  const char *value, const char *lang)
{
	char **texts;
	int index;

	if (value == NULL)
		return NULL;
	texts = g_hash_table_lookup(field->value_labels, value);
	if (texts != NULL)
		return text_in(questionnaire, texts, lang);
	if (field->type != QUESTIONNAIRE_YESNO)
		return NULL;
	for (size_t i = 0; yesno_values[i] != NULL; i++) {
		if (strcmp(value, yesno_values[i]) != 0)
			continue;
		index = language_index(lang);
		return yesno_labels[i][index >= 0 ? index
						  : questionnaire->fallback];
	}
	return NULL;
}

/* Appends one value as a person reads it. */
static void
append_value_text(GString *out, const struct questionnaire *questionnaire,
		  const struct questionnaire_field *field, const char *value,
		  const char *lang)
{
	const char *label =
		questionnaire_value_label(questionnaire, field, value, lang);
	size_t start = out->len;

	if (label != NULL) {
		g_string_append(out, label);
		return;
	}
	g_string_append(out, value);
	for (size_t i = start; i < out->len; i++)
		if (out->str[i] == '_')
			out->str[i] = ' ';
}

char *
questionnaire_value_text(const struct questionnaire *questionnaire,
			 const char *field_id, const char *stored,
			 const char *lang)
{
	const struct questionnaire_field *field =
		questionnaire_field(questionnaire, field_id);
	g_auto(GStrv) items = NULL;
	g_autoptr(GHashTable) shown = NULL;
	GString *out;

	if (stored == NULL)
		return NULL;
	if (field == NULL)
		return g_strdup(stored);
	switch (field->type) {
	case QUESTIONNAIRE_YESNO:
	case QUESTIONNAIRE_CHOICE:
		out = g_string_new(NULL);
		append_value_text(out, questionnaire, field, stored, lang);
		return g_string_free(out, FALSE);
	case QUESTIONNAIRE_LIST:
		break;
	default:
		return g_strdup(stored);
	}
	/* The database is read as untrusted: each item is shown once, so a
	 * stored "a,a,a,..." cannot make a label thousands of times over. */
	items = g_strsplit(stored, ",", -1);
	shown = g_hash_table_new(g_str_hash, g_str_equal);
	out = g_string_new(NULL);
	for (size_t i = 0; items[i] != NULL; i++) {
		const char *item = g_strstrip(items[i]);

		if (*item == '\0' || !g_hash_table_add(shown, (gpointer)item))
			continue;
		if (out->len > 0)
			g_string_append(out, ", ");
		append_value_text(out, questionnaire, field, item, lang);
	}
	return g_string_free(out, FALSE);
}

gboolean
questionnaire_is_incident_type(const struct questionnaire *questionnaire,
			       const char *value)
{
	return value != NULL &&
	       field_value(questionnaire->incident_type, value) != NULL;
}

GPtrArray *
questionnaire_questions(const struct questionnaire *questionnaire,
			const char *incident_type)
{
	GPtrArray *questions = g_ptr_array_new();
	const GPtrArray *common = g_hash_table_lookup(questionnaire->sets,
						      QUESTIONNAIRE_COMMON_SET);
	const GPtrArray *own =
		incident_type != NULL && strcmp(incident_type,
						QUESTIONNAIRE_COMMON_SET) != 0
			? g_hash_table_lookup(questionnaire->sets,
					      incident_type)
			: NULL;

	for (size_t i = 0; common != NULL && i < common->len; i++)
		g_ptr_array_add(questions, common->pdata[i]);
	for (size_t i = 0; own != NULL && i < own->len; i++)
		g_ptr_array_add(questions, own->pdata[i]);
	return questions;
}

static gboolean
is_known(const GHashTable *known, const char *field_id)
{
	const char *value;

	if (known == NULL)
		return FALSE;
	value = g_hash_table_lookup((GHashTable *)known, field_id);
	return value != NULL && *value != '\0';
}

GPtrArray *
questionnaire_missing(const struct questionnaire *questionnaire,
		      const char *incident_type,
		      const GHashTable *known_field_values)
{
	g_autoptr(GPtrArray) all =
		questionnaire_questions(questionnaire, incident_type);
	GPtrArray *missing = g_ptr_array_new();

	for (int pass = 0; pass < 2; pass++) {
		gboolean want_required = pass == 0;

		for (size_t i = 0; i < all->len; i++) {
			const struct questionnaire_question *question =
				all->pdata[i];

			if (question->required == want_required &&
			    !is_known(known_field_values, question->field->id))
				g_ptr_array_add(missing, all->pdata[i]);
		}
	}
	return missing;
}

/* --- answers ---------------------------------------------------------- */

/* The field's value for an answer (borrowed), or NULL: the file's
 * synonyms and the values themselves, folded; for yes/no also the
 * built-in synonyms of answer.c. */
static const char *
match_value(const struct questionnaire_field *field, const char *raw)
{
	g_autofree char *folded = answer_fold(raw);
	const char *value = g_hash_table_lookup(field->synonyms, folded);
	enum answer_yesno yesno;

	if (value == NULL && field->type == QUESTIONNAIRE_YESNO &&
	    answer_parse_yesno(raw, &yesno))
		value = answer_yesno_name(yesno);
	return value;
}

static gboolean value_error(GError **error,
			    const struct questionnaire_field *field,
			    const char *raw, const char *format, ...)
	G_GNUC_PRINTF(4, 5);

static gboolean
value_error(GError **error, const struct questionnaire_field *field,
	    const char *raw, const char *format, ...)
{
	g_autofree char *quoted = answer_quote(raw);
	g_autofree char *what = NULL;
	va_list args;

	va_start(args, format);
	what = g_strdup_vprintf(format, args);
	va_end(args);
	g_set_error(error, QUESTIONNAIRE_ERROR, QUESTIONNAIRE_ERROR_VALUE,
		    "field %s: %s %s", field->id, quoted, what);
	return FALSE;
}

/* "is not one of a, b, c; did you mean 'a'?" for a choice. */
static gboolean
not_a_value(GError **error, const struct questionnaire_field *field,
	    const char *raw)
{
	g_autofree char *choices = g_strjoinv(", ", field->values);
	g_autofree char *suggestion =
		conf_hint(raw, (const char *const *)field->values);

	if (field->type == QUESTIONNAIRE_YESNO)
		return value_error(error, field, raw,
				   "is not yes, no or unknown");
	return value_error(error, field, raw, "is not one of %s%s", choices,
			   suggestion);
}

static gboolean
validate_list(const struct questionnaire_field *field, const char *raw,
	      char **normalised, GError **error)
{
	g_autoptr(GError) split_error = NULL;
	g_autoptr(GPtrArray) items = answer_split_list(raw, &split_error);
	g_autoptr(GPtrArray) chosen = g_ptr_array_new();

	if (items == NULL)
		return value_error(error, field, raw, "%s",
				   split_error->message);
	for (size_t i = 0; i < items->len; i++) {
		const char *value = match_value(field, items->pdata[i]);

		if (value == NULL)
			return not_a_value(error, field, items->pdata[i]);
		if (!g_ptr_array_find(chosen, value, NULL))
			g_ptr_array_add(chosen, (gpointer)value);
	}
	if (chosen->len == 0)
		return value_error(error, field, raw, "is empty");
	g_ptr_array_add(chosen, NULL);
	*normalised = g_strjoinv(",", (char **)chosen->pdata);
	return TRUE;
}

/* The ISO code of the country known for the case, or NULL. */
static const char *
known_country(const struct questionnaire *questionnaire,
	      const GHashTable *known)
{
	const char *value;

	if (known == NULL)
		return NULL;
	value = g_hash_table_lookup((GHashTable *)known, QUESTIONNAIRE_COUNTRY);
	if (value == NULL || questionnaire->country == NULL)
		return value;
	return match_value(questionnaire->country, value);
}

gboolean
questionnaire_validate_value_in(const struct questionnaire *questionnaire,
				const char *field_id, const char *raw,
				const GHashTable *known_field_values,
				char **normalised, GError **error)
{
	const struct questionnaire_field *field =
		questionnaire_field(questionnaire, field_id);
	g_autoptr(GError) answer_error = NULL;
	g_autofree char *out = NULL;
	const char *value;
	gboolean ok = FALSE;

	if (field == NULL) {
		g_autofree char *quoted =
			answer_quote(field_id ? field_id : "");

		g_set_error(error, QUESTIONNAIRE_ERROR,
			    QUESTIONNAIRE_ERROR_UNKNOWN_FIELD,
			    "no field %s in %s", quoted, questionnaire->path);
		return FALSE;
	}
	if (strlen(raw) > ANSWER_MAX_BYTES)
		return value_error(error, field, raw, "is longer than %d bytes",
				   ANSWER_MAX_BYTES);

	switch (field->type) {
	case QUESTIONNAIRE_TEXT:
		ok = answer_normalise_text(raw, field->max_length, &out,
					   &answer_error);
		break;
	case QUESTIONNAIRE_YESNO:
	case QUESTIONNAIRE_CHOICE:
		value = match_value(field, raw);
		if (value == NULL)
			return not_a_value(error, field, raw);
		*normalised = g_strdup(value);
		return TRUE;
	case QUESTIONNAIRE_LIST:
		return validate_list(field, raw, normalised, error);
	case QUESTIONNAIRE_PHONE:
		ok = answer_normalise_phone(
			raw, known_country(questionnaire, known_field_values),
			&out, &answer_error);
		break;
	case QUESTIONNAIRE_EMAIL:
		ok = answer_normalise_email(raw, &out, &answer_error);
		break;
	case QUESTIONNAIRE_DATETIME:
		/* Kept as written when it is not a date we can read:
		 * "yesterday evening" still tells staff something. */
		ok = answer_normalise_datetime(raw, &out) ||
		     answer_normalise_text(raw, DATETIME_MAX_LENGTH, &out,
					   &answer_error);
		break;
	}
	if (!ok)
		return value_error(error, field, raw, "%s",
				   answer_error->message);
	if (field->max_length > 0 &&
	    (size_t)g_utf8_strlen(out, -1) > (size_t)field->max_length)
		return value_error(error, field, raw,
				   "is longer than %d characters",
				   field->max_length);
	*normalised = g_steal_pointer(&out);
	return TRUE;
}

gboolean
questionnaire_validate_value(const struct questionnaire *questionnaire,
			     const char *field_id, const char *raw,
			     char **normalised, GError **error)
{
	return questionnaire_validate_value_in(questionnaire, field_id, raw,
					       NULL, normalised, error);
}
