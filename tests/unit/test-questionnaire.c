/* test-questionnaire.c — questionnaire.conf: the shipped file, every kind
 * of error with its line, the missing questions of a case, and answer
 * validation. */
#include <string.h>
#include <glib/gstdio.h>

#include "questionnaire.h"

static const char *const all_languages[] = {"en", "nl", "fr", "de", NULL};

/* `make check` runs from the repository root; INTAKED_SRCDIR overrides. */
static char *
shipped_path(void)
{
	const char *srcdir = g_getenv("INTAKED_SRCDIR");

	return g_build_filename(srcdir ? srcdir : ".", "conf",
				"questionnaire.conf", NULL);
}

static struct questionnaire *
load_shipped(void)
{
	g_autofree char *path = shipped_path();
	g_autoptr(GError) error = NULL;
	struct questionnaire *questionnaire =
		questionnaire_load(path, NULL, &error);

	if (error != NULL)
		g_test_message("%s", error->message);
	g_assert_no_error(error);
	g_assert_nonnull(questionnaire);
	return questionnaire;
}

/* --- the shipped file ------------------------------------------------- */

static const struct {
	const char *id;
	enum questionnaire_type type;
} required_fields[] = {
	{"organisation", QUESTIONNAIRE_TEXT},
	{"contact_name", QUESTIONNAIRE_TEXT},
	{"contact_phone", QUESTIONNAIRE_PHONE},
	{"contact_email", QUESTIONNAIRE_EMAIL},
	{"location", QUESTIONNAIRE_TEXT},
	{"country", QUESTIONNAIRE_CHOICE},
	{"language", QUESTIONNAIRE_CHOICE},
	{"incident_type", QUESTIONNAIRE_CHOICE},
	{"care_impact", QUESTIONNAIRE_YESNO},
	{"systems_affected", QUESTIONNAIRE_TEXT},
	{"detected_at", QUESTIONNAIRE_DATETIME},
	{"backups_available", QUESTIONNAIRE_YESNO},
	{"data_exfiltration", QUESTIONNAIRE_YESNO},
	{"ransom_note", QUESTIONNAIRE_TEXT},
	{"police_report", QUESTIONNAIRE_YESNO},
	{"need", QUESTIONNAIRE_LIST},
};

static const char *const incident_types[] = {
	"ransomware",	      "phishing", "malware", "data_breach", "ddos",
	"account_compromise", "fraud",	  "other",   "none",	    NULL,
};

static const char *const needs[] = {
	"incident_response", "forensics", "recovery", "prevention", "awareness",
	"pentest",	     "appsec",	  "other",    NULL,
};

static void
test_shipped_fields(void)
{
	struct questionnaire *questionnaire = load_shipped();
	const struct questionnaire_field *field;

	for (size_t i = 0; i < G_N_ELEMENTS(required_fields); i++) {
		field = questionnaire_field(questionnaire,
					    required_fields[i].id);
		if (field == NULL)
			g_test_message("no field %s", required_fields[i].id);
		g_assert_nonnull(field);
		g_assert_cmpstr(field->id, ==, required_fields[i].id);
		g_assert_cmpint(field->type, ==, required_fields[i].type);
	}
	field = questionnaire_field(questionnaire, "incident_type");
	g_assert_true(g_strv_equal((const char *const *)field->values,
				   incident_types));
	field = questionnaire_field(questionnaire, "need");
	g_assert_true(g_strv_equal((const char *const *)field->values, needs));
	field = questionnaire_field(questionnaire, "care_impact");
	g_assert_cmpstr(field->values[0], ==, "yes");
	for (size_t i = 0; incident_types[i] != NULL; i++)
		g_assert_true(questionnaire_is_incident_type(
			questionnaire, incident_types[i]));
	g_assert_false(questionnaire_is_incident_type(questionnaire, "common"));
	g_assert_false(questionnaire_is_incident_type(questionnaire, NULL));
	g_assert_null(questionnaire_field(questionnaire, "no_such_field"));
	g_assert_null(questionnaire_field(questionnaire, NULL));
	questionnaire_unref(&questionnaire);
	g_assert_null(questionnaire);
}

/* Every field has a label, and every asked field a question, in all four
 * languages; and every incident type has a set of its own. */
static void
test_shipped_languages(void)
{
	struct questionnaire *questionnaire = load_shipped();
	size_t count = questionnaire_field_count(questionnaire);
	g_autoptr(GHashTable) asked = g_hash_table_new(NULL, NULL);

	g_assert_cmpuint(count, >=, G_N_ELEMENTS(required_fields));
	for (size_t t = 0; incident_types[t] != NULL; t++) {
		g_autoptr(GPtrArray) common =
			questionnaire_questions(questionnaire, NULL);
		g_autoptr(GPtrArray) questions = questionnaire_questions(
			questionnaire, incident_types[t]);

		g_assert_cmpuint(questions->len, >, common->len);
		for (size_t i = 0; i < questions->len; i++) {
			const struct questionnaire_question *question =
				questions->pdata[i];

			g_hash_table_add(asked, (gpointer)question->field);
		}
	}
	for (size_t i = 0; i < count; i++) {
		const struct questionnaire_field *field =
			questionnaire_field_at(questionnaire, i);

		for (size_t l = 0; all_languages[l] != NULL; l++) {
			const char *label = questionnaire_field_label(
				questionnaire, field, all_languages[l]);
			const char *text = questionnaire_question_text(
				questionnaire, field->id, all_languages[l]);

			g_assert_nonnull(label);
			g_assert_cmpstr(label, !=, "");
			if (!g_hash_table_contains(asked, field))
				continue;
			if (text == NULL)
				g_test_message("%s has no %s question",
					       field->id, all_languages[l]);
			g_assert_nonnull(text);
			g_assert_true(g_utf8_validate(text, -1, NULL));
		}
	}
	/* The texts really differ per language. */
	g_assert_cmpstr(
		questionnaire_question_text(questionnaire, "care_impact", "nl"),
		==, "Is de patiëntenzorg nu verstoord? (ja/nee)");
	g_assert_cmpstr(
		questionnaire_question_text(questionnaire, "care_impact", "en"),
		==, "Is patient care disrupted right now? (yes/no)");
	/* An unknown language falls back to the first one (en). */
	g_assert_cmpstr(
		questionnaire_question_text(questionnaire, "care_impact", "es"),
		==, "Is patient care disrupted right now? (yes/no)");
	g_assert_cmpstr(
		questionnaire_question_text(questionnaire, "care_impact", NULL),
		==, "Is patient care disrupted right now? (yes/no)");
	/* "language" is detected, never asked. */
	g_assert_null(
		questionnaire_question_text(questionnaire, "language", "en"));
	g_assert_null(questionnaire_question_text(questionnaire, "nope", "en"));
	questionnaire_unref(&questionnaire);
}

/* --- broken files ----------------------------------------------------- */

/* Lines 1-4: the incident_type field every file needs. */
#define HEAD                                                                   \
	"fields = (\n"                                                         \
	"{ id = \"incident_type\"; type = \"choice\"; values = [ "             \
	"\"ransomware\", \"none\" ];\n"                                        \
	"  label = { en = \"Type\"; nl = \"Soort\"; fr = \"Type\"; de = "      \
	"\"Art\"; };\n"                                                        \
	"  question = { en = \"What?\"; nl = \"Wat?\"; fr = \"Quoi ?\"; "      \
	"de = \"Was?\"; }; }\n"
#define LABEL "label = { en = \"L\"; nl = \"L\"; fr = \"L\"; de = \"L\"; };"
#define QUESTION                                                               \
	"question = { en = \"Q?\"; nl = \"V?\"; fr = \"Q ?\"; de = \"F?\"; };"
#define SETS "sets = { common = ( { field = \"incident_type\"; } ); };\n"

struct broken_case {
	const char *text;
	const char *expect; /* a line of the error message */
};

static const struct broken_case broken_cases[] = {
	/* The smallest file with a problem in it. */
	{HEAD ", { id = \"a\"; type = \"text\"; " LABEL " qestion = 1; }\n"
	      ");\n" SETS,
	 "t.conf:5: unknown key 'qestion' in field 'a'; did you mean "
	 "'question'?"},
	{HEAD ");\n"
	      "sets = { common = ( { field = \"incident_typ\"; } ); };\n",
	 "t.conf:6: set 'common' asks unknown field 'incident_typ'; did you "
	 "mean 'incident_type'?"},
	{HEAD ", { id = \"a\"; type = \"text\"; " LABEL "\n"
	      "question = { en = \"Q?\"; nl = \"V?\"; fr = \"Q ?\"; }; }\n"
	      ");\n" SETS,
	 "t.conf:6: question of field 'a' has no 'de' text"},
	{HEAD ", { id = \"a\"; type = \"text\";\n"
	      "label = { en = \"L\"; nl = \"L\"; fr = \"L\"; de = \"\"; }; }\n"
	      ");\n" SETS,
	 "t.conf:6: label of field 'a' must not be empty"},
	{HEAD ", { id = \"a\"; type = \"text\";\n"
	      "label = { en = \"L\"; nl = \"L\"; fr = \"L\"; es = \"L\"; }; "
	      "}\n"
	      ");\n" SETS,
	 "t.conf:6: unknown language 'es' in label of field 'a'; languages "
	 "are en, nl, fr, de"},
	{HEAD ", { id = \"a\"; type = \"text\"; " LABEL " }\n"
	      ");\n" SETS,
	 NULL}, /* fine: a field need not be asked */
	{HEAD ", { id = \"incident_type\"; type = \"text\"; " LABEL " }\n"
	      ");\n" SETS,
	 "t.conf:5: duplicate field id 'incident_type' (first declared at "
	 "line 2)"},
	{HEAD ", { id = \"a\"; type = \"yes_no\"; " LABEL " }\n"
	      ");\n" SETS,
	 "t.conf:5: type 'yes_no' of field 'a' is not text, yesno, choice, "
	 "list, phone, email or datetime; did you mean 'yesno'?"},
	{HEAD ", { id = \"a\"; " LABEL " }\n"
	      ");\n" SETS,
	 "t.conf:5: field 'a' has no type"},
	{HEAD ", { type = \"text\"; " LABEL " }\n"
	      ");\n" SETS,
	 "t.conf:5: field has no id"},
	{HEAD ", { id = \"2fa\"; type = \"text\"; " LABEL " }\n"
	      ");\n" SETS,
	 "t.conf:5: id '2fa' must be a letter followed by letters, digits "
	 "or '_'"},
	{HEAD ", { id = \"a\"; type = \"text\"; }\n"
	      ");\n" SETS,
	 "t.conf:5: field 'a' has no label"},
	/* libconfig dates a scalar list element by the token after it. */
	{HEAD ", \"a\" );\n" SETS,
	 "t.conf:5: each entry of fields must be a group"},
	{HEAD ", { id = \"a\"; type = \"text\"; values = [ \"x\" ]; " LABEL
	      " }\n"
	      ");\n" SETS,
	 "t.conf:5: values only apply to choice and list fields, not to "
	 "text field 'a'"},
	{HEAD ", { id = \"a\"; type = \"choice\"; " LABEL " }\n"
	      ");\n" SETS,
	 "t.conf:5: choice field 'a' has no values"},
	{HEAD
	 ", { id = \"a\"; type = \"list\"; values = [ \"x\", \"X\" ]; " LABEL
	 " }\n"
	 ");\n" SETS,
	 "t.conf:5: value 'X' of field 'a' is listed twice"},
	{HEAD ", { id = \"a\"; type = \"list\"; values = [ \"x y\" ]; " LABEL
	      " }\n"
	      ");\n" SETS,
	 "t.conf:5: value 'x y' of field 'a' must be a letter"},
	{HEAD ", { id = \"a\"; type = \"yesno\"; max_length = 3; " LABEL " }\n"
	      ");\n" SETS,
	 "t.conf:5: max_length only applies to text, phone and email "
	 "fields, not to yesno field 'a'"},
	{HEAD ", { id = \"a\"; type = \"phone\"; " LABEL "\n"
	      "max_length = 1000; }\n"
	      ");\n" SETS,
	 "t.conf:6: max_length of field 'a' = 1000 is out of range 1..64"},
	{HEAD ", { id = \"a\"; type = \"text\"; max_length = \"5\"; " LABEL
	      " }\n"
	      ");\n" SETS,
	 "t.conf:5: max_length of field 'a' must be an integer"},
	{HEAD ", { id = \"a\"; type = \"yesno\"; " LABEL "\n"
	      "synonyms = { yes = { nl = [ \"klopt\" ]; };\n"
	      "  no = { nl = [ \"Klopt!\" ]; }; }; }\n"
	      ");\n" SETS,
	 "t.conf:7: synonym \"Klopt!\" of 'no' in field 'a' already stands "
	 "for 'yes'"},
	{HEAD ", { id = \"a\"; type = \"yesno\"; " LABEL "\n"
	      "synonyms = { yes = { nl = [ \"nee\" ]; no = [ \"x\" ]; }; }; }\n"
	      ");\n" SETS,
	 "t.conf:6: unknown language 'no' in synonyms of field 'a'"},
	{HEAD ", { id = \"a\"; type = \"yesno\"; " LABEL "\n"
	      "synonyms = { yess = { nl = [ \"ja\" ]; }; }; }\n"
	      ");\n" SETS,
	 "t.conf:6: synonyms for 'yess', which is not a value of field 'a'; "
	 "did you mean 'yes'?"},
	{HEAD ", { id = \"a\"; type = \"yesno\"; " LABEL "\n"
	      "synonyms = { yes = { nl = [ \"...\" ]; }; }; }\n"
	      ");\n" SETS,
	 "t.conf:6: synonym \"...\" of 'yes' in field 'a' is empty"},
	{HEAD ", { id = \"a\"; type = \"text\"; " LABEL "\n"
	      "synonyms = { yes = { nl = [ \"ja\" ]; }; }; }\n"
	      ");\n" SETS,
	 "t.conf:6: synonyms only apply to yesno, choice and list fields, "
	 "not to text field 'a'"},
	{HEAD ", { id = \"a\"; type = \"yesno\"; " LABEL "\n"
	      "synonyms = { yes = { nl = [ 1 ]; }; }; }\n"
	      ");\n" SETS,
	 "t.conf:6: synonym of 'yes' in field 'a' must be a string"},
	{HEAD ");\n"
	      "sets = { common = ( { field = \"incident_type\"; } );\n"
	      "  ransomwar = ( ); };\n",
	 "t.conf:7: set 'ransomwar' is neither 'common' nor a value of field "
	 "'incident_type'; did you mean 'ransomware'?"},
	{HEAD ");\n"
	      "sets = { common = ( { field = \"incident_type\"; } );\n"
	      "  ransomware = ( { field = \"incident_type\"; } ); };\n",
	 "t.conf:7: set 'ransomware' asks field 'incident_type' again (first "
	 "at line 6)"},
	{HEAD ");\n"
	      "sets = { common = ( { field = \"incident_type\"; },\n"
	      "  { field = \"incident_type\"; } ); };\n",
	 "t.conf:7: set 'common' asks field 'incident_type' again (first at "
	 "line 6)"},
	{HEAD ", { id = \"a\"; type = \"text\"; " LABEL " }\n"
	      ");\n"
	      "sets = { common = ( { field = \"a\"; } ); };\n",
	 "t.conf:7: set 'common' asks field 'a', which has no question (line "
	 "5)"},
	{HEAD ");\n"
	      "sets = { common = ( { field = \"incident_type\"; required = "
	      "\"yes\"; } ); };\n",
	 "t.conf:6: required must be true or false"},
	{HEAD ");\n"
	      "sets = { common = ( { field = \"incident_type\"; requird = "
	      "true; } ); };\n",
	 "t.conf:6: unknown key 'requird' in an entry of set 'common'; did "
	 "you mean 'required'?"},
	{HEAD ");\n"
	      "sets = { common = ( \"incident_type\" ); };\n",
	 "t.conf:6: each entry of set 'common' must be a group"},
	{HEAD ");\n"
	      "sets = { common = { field = \"incident_type\"; }; };\n",
	 "t.conf:6: set 'common' must be a list"},
	{HEAD ");\n" SETS "field = 1;\n",
	 "t.conf:7: unknown key 'field' in the top level; did you mean "
	 "'fields'?"},
	{HEAD ");\n", "t.conf: sets is required"},
	{SETS, "t.conf: fields is required"},
	{"fields = (\n"
	 "{ id = \"a\"; type = \"text\"; " LABEL " }\n"
	 ");\n" SETS,
	 "t.conf:1: no field 'incident_type': question sets are chosen by its "
	 "value"},
	{"fields = (\n"
	 "{ id = \"incident_type\"; type = \"text\"; " LABEL QUESTION " }\n"
	 ");\n" SETS,
	 "t.conf:1: field 'incident_type' (line 2) must be a choice"},
	{HEAD ", { id = \"country\"; type = \"text\"; " LABEL " }\n"
	      ");\n" SETS,
	 "t.conf:1: field 'country' (line 5) must be a choice of country "
	 "codes"},
	/* value_labels */
	{HEAD
	 ", { id = \"a\"; type = \"list\"; values = [ \"x_y\", \"z\" ]; " LABEL
	 "\n"
	 "value_labels = { x_y = { en = \"X\"; nl = \"X\"; fr = \"X\"; "
	 "de = \"X\"; }; }; }\n"
	 ");\n" SETS,
	 NULL}, /* fine: z has no label */
	{HEAD ", { id = \"a\"; type = \"text\"; " LABEL "\n"
	      "value_labels = { x = { en = \"X\"; }; }; }\n"
	      ");\n" SETS,
	 "t.conf:6: value_labels only apply to yesno, choice and list "
	 "fields, not to text field 'a'"},
	{HEAD
	 ", { id = \"a\"; type = \"choice\"; values = [ \"pentest\" ]; " LABEL
	 "\n"
	 "value_labels = { pentst = { en = \"X\"; nl = \"X\"; fr = "
	 "\"X\"; de = \"X\"; }; }; }\n"
	 ");\n" SETS,
	 "t.conf:6: value_labels for 'pentst', which is not a value of "
	 "field 'a'; did you mean 'pentest'?"},
	{HEAD ", { id = \"a\"; type = \"choice\"; values = [ \"x\" ]; " LABEL
	      "\n"
	      "value_labels = { x = { en = \"X\"; nl = \"X\";\n"
	      "  fr = \"X\"; }; }; }\n"
	      ");\n" SETS,
	 "t.conf:6: label of value 'x' of field 'a' has no 'de' text"},
	{HEAD ", { id = \"a\"; type = \"choice\"; values = [ \"x\" ]; " LABEL
	      "\n"
	      "value_labels = { x = { en = \"X\"; nl = \"X\"; fr = \"X\";\n"
	      "  de = \"\"; }; }; }\n"
	      ");\n" SETS,
	 "t.conf:7: label of value 'x' of field 'a' must not be empty"},
	{HEAD ", { id = \"a\"; type = \"choice\"; values = [ \"x\" ]; " LABEL
	      "\n"
	      "value_labels = { x = { en = \"X\"; nl = \"X\"; fr = \"X\"; "
	      "de = \"X\";\n"
	      "  es = \"X\"; }; }; }\n"
	      ");\n" SETS,
	 "t.conf:7: unknown language 'es' in label of value 'x' of field "
	 "'a'; languages are en, nl, fr, de"},
	{HEAD ", { id = \"a\"; type = \"choice\"; values = [ \"x\" ]; " LABEL
	      "\n"
	      "value_labels = { x = \"X\"; }; }\n"
	      ");\n" SETS,
	 "t.conf:6: label of value 'x' of field 'a' must be a group"},
	{HEAD ", { id = \"a\"; type = \"choice\"; values = [ \"x\" ]; " LABEL
	      "\n"
	      "value_labels = ( \"X\" ); }\n"
	      ");\n" SETS,
	 "t.conf:6: value_labels of field 'a' must be a group"},
	/* A label is also an answer, so it may not be another value's. */
	{HEAD ", { id = \"a\"; type = \"choice\"; values = [ \"x\", \"y\" "
	      "]; " LABEL "\n"
	      "value_labels = { x = { en = \"Y\"; nl = \"X\"; fr = \"X\"; "
	      "de = \"X\"; }; }; }\n"
	      ");\n" SETS,
	 "t.conf:6: synonym \"Y\" of 'x' in field 'a' already stands for "
	 "'y'"},
	{HEAD ", { id = \"a\"; type = \"yesno\"; " LABEL "\n"
	      "value_labels = { unknown = { en = \"Not known\"; nl = \"?\"; "
	      "fr = \"?\"; de = \"?\"; }; }; }\n"
	      ");\n" SETS,
	 "t.conf:6: synonym \"?\" of 'unknown' in field 'a' is empty"},
	{HEAD ")\n" SETS "x = ;\n", "t.conf:7: syntax error"},
	{"fields = \"x\";\n" SETS, "t.conf:1: fields must be a list"},
	{HEAD ");\nsets = ( );\n", "t.conf:6: sets must be a group"},
};

static void
test_broken(void)
{
	for (size_t i = 0; i < G_N_ELEMENTS(broken_cases); i++) {
		const struct broken_case *c = &broken_cases[i];
		g_autoptr(GError) error = NULL;
		struct questionnaire *questionnaire = questionnaire_load_string(
			c->text, "t.conf", NULL, &error);

		if (c->expect == NULL) {
			g_assert_no_error(error);
			g_assert_nonnull(questionnaire);
			questionnaire_unref(&questionnaire);
			continue;
		}
		g_assert_null(questionnaire);
		g_assert_error(error, QUESTIONNAIRE_ERROR,
			       QUESTIONNAIRE_ERROR_LOAD);
		if (strstr(error->message, c->expect) == NULL)
			g_test_message("case %zu: got\n%s\nwanted\n%s", i,
				       error->message, c->expect);
		g_assert_nonnull(strstr(error->message, c->expect));
	}
}

/* Every problem is reported at once, each on its own line. */
static void
test_broken_collects_all(void)
{
	static const char text[] =
		HEAD ", { id = \"a\"; type = \"txt\"; " LABEL " }\n"
		     ", { id = \"b\"; type = \"text\"; lable = 1; }\n"
		     ", { id = \"a\"; type = \"text\"; " LABEL " }\n"
		     ");\n"
		     "sets = { common = ( { field = \"c\"; } );\n"
		     "  nonee = ( ); };\n";
	g_autoptr(GError) error = NULL;
	struct questionnaire *questionnaire =
		questionnaire_load_string(text, "t.conf", NULL, &error);
	g_auto(GStrv) lines = NULL;

	g_assert_null(questionnaire);
	g_assert_nonnull(error);
	lines = g_strsplit(error->message, "\n", -1);
	g_test_message("%s", error->message);
	g_assert_cmpuint(g_strv_length(lines), ==, 6);
	g_assert_cmpstr(lines[0], ==,
			"t.conf:5: type 'txt' of field 'a' is not text, "
			"yesno, choice, list, phone, email or datetime; did "
			"you mean 'text'?");
	g_assert_cmpstr(lines[1], ==,
			"t.conf:6: unknown key 'lable' in field 'b'; did you "
			"mean 'label'?");
	g_assert_cmpstr(lines[2], ==, "t.conf:6: field 'b' has no label");
	g_assert_cmpstr(lines[3], ==,
			"t.conf:7: duplicate field id 'a' (first declared at "
			"line 5)");
	g_assert_cmpstr(lines[4], ==,
			"t.conf:9: set 'common' asks unknown field 'c'; did "
			"you mean 'a'?");
	g_assert_cmpstr(lines[5], ==,
			"t.conf:10: set 'nonee' is neither 'common' nor a "
			"value of field 'incident_type'; did you mean "
			"'none'?");
}

/* The languages that must be present come from intaked.conf. */
static void
test_languages(void)
{
	static const char text[] =
		"fields = ( { id = \"incident_type\"; type = \"choice\";\n"
		"  values = [ \"none\" ];\n"
		"  label = { en = \"Type\"; nl = \"Soort\"; };\n"
		"  question = { en = \"What?\"; nl = \"Wat?\"; }; } );\n" SETS;
	static const char *const en_nl[] = {"nl", "en", NULL};
	static const char *const klingon[] = {"tlh", NULL};
	static const char *const none[] = {NULL};
	g_autoptr(GError) error = NULL;
	struct questionnaire *questionnaire;

	questionnaire =
		questionnaire_load_string(text, "t.conf", en_nl, &error);
	g_assert_no_error(error);
	/* The first configured language is the fallback. */
	g_assert_cmpstr(questionnaire_question_text(questionnaire,
						    "incident_type", "fr"),
			==, "Wat?");
	questionnaire_unref(&questionnaire);

	questionnaire = questionnaire_load_string(text, "t.conf", NULL, &error);
	g_assert_null(questionnaire);
	g_assert_nonnull(strstr(error->message,
				"t.conf:3: label of field 'incident_type' has "
				"no 'fr' text"));
	g_assert_nonnull(strstr(error->message,
				"t.conf:4: question of field 'incident_type' "
				"has no 'de' text"));
	g_clear_error(&error);

	questionnaire =
		questionnaire_load_string(text, "t.conf", klingon, &error);
	g_assert_null(questionnaire);
	g_assert_cmpstr(error->message, ==,
			"t.conf: language 'tlh' is not one of en, nl, fr, de");
	g_clear_error(&error);
	questionnaire = questionnaire_load_string(text, "t.conf", none, &error);
	g_assert_null(questionnaire);
	g_assert_cmpstr(error->message, ==, "t.conf: no languages");
}

static void
test_load_file(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *dir =
		g_dir_make_tmp("test-questionnaire-XXXXXX", NULL);
	g_autofree char *path = g_build_filename(dir, "q.conf", NULL);
	struct questionnaire *questionnaire, *second;

	questionnaire = questionnaire_load(path, NULL, &error);
	g_assert_null(questionnaire);
	g_assert_error(error, QUESTIONNAIRE_ERROR, QUESTIONNAIRE_ERROR_LOAD);
	g_assert_true(g_str_has_suffix(error->message,
				       "q.conf: cannot read: No such file or "
				       "directory"));
	g_clear_error(&error);

	g_assert_true(g_file_set_contents(path, "fields = ();\0x", 14, NULL));
	questionnaire = questionnaire_load(path, NULL, &error);
	g_assert_null(questionnaire);
	g_assert_true(g_str_has_suffix(error->message, "contains a NUL byte"));
	g_clear_error(&error);

	questionnaire = questionnaire_load(dir, NULL, &error);
	g_assert_null(questionnaire);
	g_assert_true(g_str_has_suffix(error->message, "not a regular file"));
	g_clear_error(&error);

	g_assert_true(g_file_set_contents(path, HEAD ");\n" SETS, -1, NULL));
	questionnaire = questionnaire_load(path, NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(questionnaire_path(questionnaire), ==, path);
	second = questionnaire_ref(questionnaire);
	questionnaire_unref(&questionnaire);
	g_assert_cmpuint(questionnaire_field_count(second), ==, 1);
	questionnaire_unref(&second);
	questionnaire_unref(&second); /* NULL is fine */

	g_unlink(path);
	g_rmdir(dir);
}

/* --- value labels ----------------------------------------------------- */

/* The fields whose values the shipped file labels, every value in every
 * language. */
static const char *const labelled_fields[] = {
	"incident_type",
	"need",
	"country",
	"language",
};

static void
test_shipped_value_labels(void)
{
	struct questionnaire *questionnaire = load_shipped();

	for (size_t f = 0; f < G_N_ELEMENTS(labelled_fields); f++) {
		const struct questionnaire_field *field =
			questionnaire_field(questionnaire, labelled_fields[f]);

		g_assert_nonnull(field);
		g_assert_nonnull(field->values);
		for (size_t v = 0; field->values[v] != NULL; v++) {
			const char *value = field->values[v];
			char **texts =
				g_hash_table_lookup(field->value_labels, value);

			if (texts == NULL)
				g_test_message("%s: no labels for %s",
					       field->id, value);
			g_assert_nonnull(texts);
			/* In the file itself, not by fallback. */
			for (size_t l = 0; all_languages[l] != NULL; l++) {
				const char *label = questionnaire_value_label(
					questionnaire, field, value,
					all_languages[l]);

				if (texts[l] == NULL)
					g_test_message("%s: %s has no %s label",
						       field->id, value,
						       all_languages[l]);
				g_assert_nonnull(texts[l]);
				g_assert_cmpstr(label, ==, texts[l]);
				g_assert_cmpstr(label, !=, "");
				g_assert_true(g_utf8_validate(label, -1, NULL));
			}
		}
	}
	questionnaire_unref(&questionnaire);
}

struct value_text_case {
	const char *field;
	const char *stored;
	const char *lang;
	const char *expect;
};

static const struct value_text_case value_text_cases[] = {
	{"need", "incident_response,pentest", "en",
	 "Incident response, Penetration test"},
	{"need", "incident_response,pentest", "nl", "Incidentrespons, Pentest"},
	{"need", "pentest", "fr", "Test d'intrusion"},
	{"need", "pentest", "de", "Penetrationstest"},
	/* Each item once; an unknown item readable; spaces and empty items
	 * (not written by intaked) ignored. */
	{"need", "pentest, pentest,,cyber_insurance", "en",
	 "Penetration test, cyber insurance"},
	{"need", "", "en", ""},
	{"incident_type", "none", "en", "No incident"},
	{"incident_type", "none", "nl", "Geen incident"},
	{"incident_type", "none", "fr", "Pas d'incident"},
	{"incident_type", "none", "de", "Kein Vorfall"},
	{"incident_type", "data_breach", "nl", "Datalek"},
	{"incident_type", "alien_invasion", "en", "alien invasion"},
	{"country", "BE", "en", "Belgium"},
	{"country", "BE", "nl", "België"},
	{"country", "DE", "fr", "Allemagne"},
	{"country", "NL", "de", "Niederlande"},
	/* An unknown language, or none, falls back to the first (en). */
	{"country", "BE", "es", "Belgium"},
	{"country", "BE", NULL, "Belgium"},
	{"language", "nl", "fr", "Néerlandais"},
	/* yesno fields have built-in labels. */
	{"care_impact", "yes", "en", "Yes"},
	{"care_impact", "no", "nl", "Nee"},
	{"care_impact", "unknown", "fr", "Inconnu"},
	{"care_impact", "yes", "de", "Ja"},
	{"care_impact", "yes", "es", "Yes"},
	/* Other types, and unknown fields, as stored. */
	{"organisation", "AZ Voorbeeld_Campus", "nl", "AZ Voorbeeld_Campus"},
	{"contact_phone", "+32475550123", "nl", "+32475550123"},
	{"contact_email", "jan_peeters@az.be", "en", "jan_peeters@az.be"},
	{"detected_at", "2026-03-14T07:30", "de", "2026-03-14T07:30"},
	{"colour", "dark_blue", "en", "dark_blue"},
	{NULL, "dark_blue", "en", "dark_blue"},
};

static void
test_value_text(void)
{
	struct questionnaire *questionnaire = load_shipped();
	const struct questionnaire_field *need =
		questionnaire_field(questionnaire, "need");
	const struct questionnaire_field *care =
		questionnaire_field(questionnaire, "care_impact");
	const struct questionnaire_field *organisation =
		questionnaire_field(questionnaire, "organisation");

	for (size_t i = 0; i < G_N_ELEMENTS(value_text_cases); i++) {
		const struct value_text_case *c = &value_text_cases[i];
		g_autofree char *text = questionnaire_value_text(
			questionnaire, c->field, c->stored, c->lang);

		if (g_strcmp0(text, c->expect) != 0)
			g_test_message("case %zu: got %s", i, text);
		g_assert_cmpstr(text, ==, c->expect);
	}
	g_assert_null(
		questionnaire_value_text(questionnaire, "need", NULL, "en"));
	g_assert_null(questionnaire_value_text(questionnaire, "organisation",
					       NULL, "en"));

	g_assert_cmpstr(
		questionnaire_value_label(questionnaire, need, "appsec", "de"),
		==, "Anwendungssicherheit");
	g_assert_null(questionnaire_value_label(questionnaire, need, "cooking",
						"en"));
	g_assert_null(questionnaire_value_label(questionnaire, need, "PENTEST",
						"en"));
	g_assert_null(
		questionnaire_value_label(questionnaire, need, NULL, "en"));
	g_assert_cmpstr(
		questionnaire_value_label(questionnaire, care, "unknown", "de"),
		==, "Unbekannt");
	g_assert_null(
		questionnaire_value_label(questionnaire, care, "maybe", "en"));
	g_assert_null(questionnaire_value_label(questionnaire, organisation,
						"AZ", "en"));
	questionnaire_unref(&questionnaire);
}

/* A file's own labels: fallback to the first configured language, a
 * label for a language that is not configured, a yesno label replacing
 * the built-in one, and labels accepted as answers. */
static void
test_value_labels_file(void)
{
	static const char text[] =
		"fields = ( { id = \"incident_type\"; type = \"choice\";\n"
		"  values = [ \"none\", \"other\" ];\n"
		"  label = { en = \"Type\"; nl = \"Soort\"; };\n"
		"  value_labels = {\n"
		"    none = { nl = \"Geen incident\"; en = \"No incident\";\n"
		"             de = \"Kein Vorfall\"; }; };\n"
		"  question = { en = \"What?\"; nl = \"Wat?\"; }; },\n"
		"{ id = \"urgent\"; type = \"yesno\";\n"
		"  label = { en = \"Urgent\"; nl = \"Dringend\"; };\n"
		"  value_labels = {\n"
		"    unknown = { en = \"Not yet known\"; nl = \"Nog niet "
		"bekend\"; }; }; } );\n" SETS;
	static const char *const nl_en[] = {"nl", "en", NULL};
	g_autoptr(GError) error = NULL;
	struct questionnaire *questionnaire =
		questionnaire_load_string(text, "t.conf", nl_en, &error);
	const struct questionnaire_field *type;
	g_autofree char *out = NULL;

	g_assert_no_error(error);
	type = questionnaire_field(questionnaire, "incident_type");
	g_assert_cmpstr(
		questionnaire_value_label(questionnaire, type, "none", "en"),
		==, "No incident");
	/* de is not configured but given: used. */
	g_assert_cmpstr(
		questionnaire_value_label(questionnaire, type, "none", "de"),
		==, "Kein Vorfall");
	/* fr is neither: the first configured language, nl. */
	g_assert_cmpstr(
		questionnaire_value_label(questionnaire, type, "none", "fr"),
		==, "Geen incident");
	g_assert_null(
		questionnaire_value_label(questionnaire, type, "other", "en"));
	out = questionnaire_value_text(questionnaire, "incident_type", "other",
				       "en");
	g_assert_cmpstr(out, ==, "other");
	g_clear_pointer(&out, g_free);
	out = questionnaire_value_text(questionnaire, "urgent", "unknown",
				       "fr");
	g_assert_cmpstr(out, ==, "Nog niet bekend");
	g_clear_pointer(&out, g_free);
	out = questionnaire_value_text(questionnaire, "urgent", "yes", "nl");
	g_assert_cmpstr(out, ==, "Ja");
	g_clear_pointer(&out, g_free);

	/* What a mail showed is understood when written back. */
	g_assert_true(questionnaire_validate_value(
		questionnaire, "incident_type", "Kein Vorfall", &out, &error));
	g_assert_no_error(error);
	g_assert_cmpstr(out, ==, "none");
	g_clear_pointer(&out, g_free);
	g_assert_true(questionnaire_validate_value(
		questionnaire, "urgent", "nog niet bekend", &out, &error));
	g_assert_cmpstr(out, ==, "unknown");
	g_clear_pointer(&out, g_free);
	questionnaire_unref(&questionnaire);
}

/* --- missing questions ------------------------------------------------ */

/* known maps field ids to values; the test's strings are static. */
static void
put(GHashTable *known, const char *field_id, const char *value)
{
	g_hash_table_insert(known, (gpointer)field_id, (gpointer)value);
}

static char *
missing_ids(const struct questionnaire *questionnaire, const char *type,
	    GHashTable *known)
{
	g_autoptr(GPtrArray) missing =
		questionnaire_missing(questionnaire, type, known);
	GString *out = g_string_new(NULL);

	for (size_t i = 0; i < missing->len; i++) {
		const struct questionnaire_question *question =
			missing->pdata[i];

		if (out->len > 0)
			g_string_append_c(out, ' ');
		g_string_append_printf(out, "%s%s", question->field->id,
				       question->required ? "*" : "");
	}
	return g_string_free(out, FALSE);
}

static void
test_missing(void)
{
	struct questionnaire *questionnaire = load_shipped();
	g_autoptr(GHashTable) known = g_hash_table_new(g_str_hash, g_str_equal);
	g_autofree char *ids = NULL;

	/* Nothing known, no type yet: the common set, required first. */
	ids = missing_ids(questionnaire, NULL, NULL);
	g_assert_cmpstr(ids, ==,
			"organisation* contact_name* contact_phone* "
			"incident_type* location country contact_email");
	g_clear_pointer(&ids, g_free);

	/* An unknown type gives the common set too. */
	ids = missing_ids(questionnaire, "alien_invasion", known);
	g_assert_cmpstr(ids, ==,
			"organisation* contact_name* contact_phone* "
			"incident_type* location country contact_email");
	g_clear_pointer(&ids, g_free);

	put(known, "organisation", "AZ Voorbeeld");
	put(known, "contact_phone", "+32475550123");
	put(known, "incident_type", "ransomware");
	put(known, "care_impact", "yes");
	put(known, "backups_available", "unknown");
	put(known, "location", "");   /* not an answer */
	put(known, "unrelated", "x"); /* ignored */
	ids = missing_ids(questionnaire, "ransomware", known);
	g_assert_cmpstr(ids, ==,
			"contact_name* systems_affected* detected_at* "
			"location country contact_email ransom_note "
			"data_exfiltration police_report need");
	g_clear_pointer(&ids, g_free);

	ids = missing_ids(questionnaire, "none", known);
	g_assert_cmpstr(ids, ==,
			"contact_name* need* location country contact_email "
			"description");
	g_clear_pointer(&ids, g_free);

	/* All answered: nothing to ask. */
	{
		g_autoptr(GPtrArray) all =
			questionnaire_questions(questionnaire, "fraud");

		for (size_t i = 0; i < all->len; i++) {
			const struct questionnaire_question *question =
				all->pdata[i];

			put(known, question->field->id, "x");
		}
		ids = missing_ids(questionnaire, "fraud", known);
		g_assert_cmpstr(ids, ==, "");
	}
	questionnaire_unref(&questionnaire);
}

/* --- value validation ------------------------------------------------- */

struct value_case {
	const char *field;
	const char *raw;
	const char *country; /* the case's known country, or NULL */
	const char *expect;  /* normalised; NULL: an error */
	const char *error;   /* part of the error message */
};

static const struct value_case value_cases[] = {
	{"care_impact", "Ja", NULL, "yes", NULL},
	{"care_impact", "oui", NULL, "yes", NULL},
	{"care_impact", "Nein", NULL, "no", NULL},
	{"care_impact", "weet niet", NULL, "unknown", NULL},
	{"care_impact", "je ne sais pas", NULL, "unknown", NULL},
	{"care_impact", "ligt stil", NULL, "yes", NULL}, /* file synonym */
	{"care_impact", "Perturbés", NULL, "yes", NULL},
	{"care_impact", "loopt door", NULL, "no", NULL},
	{"care_impact", "yes", NULL, "yes", NULL},
	{"care_impact", "blah", NULL, NULL,
	 "field care_impact: \"blah\" is not yes, no or unknown"},
	{"care_impact", "", NULL, NULL, "field care_impact: \"\" is not"},
	{"incident_type", "Ransomware", NULL, "ransomware", NULL},
	{"incident_type", "rançongiciel", NULL, "ransomware", NULL},
	{"incident_type", "Verschlüsselungstrojaner", NULL, "ransomware", NULL},
	{"incident_type", "data breach", NULL, "data_breach", NULL},
	{"incident_type", "Data-Breach", NULL, "data_breach", NULL},
	{"incident_type", "datalek", NULL, "data_breach", NULL},
	{"incident_type", "hameçonnage", NULL, "phishing", NULL},
	{"incident_type", "geen incident", NULL, "none", NULL},
	{"incident_type", "ransomwere", NULL, NULL,
	 "field incident_type: \"ransomwere\" is not one of ransomware, "
	 "phishing, malware, data_breach, ddos, account_compromise, fraud, "
	 "other, none; did you mean 'ransomware'?"},
	{"country", "België", NULL, "BE", NULL},
	{"country", "be", NULL, "BE", NULL},
	{"country", "Allemagne", NULL, "DE", NULL},
	{"language", "Nederlands", NULL, "nl", NULL},
	/* value labels are answers too */
	{"country", "Een ander land", NULL, "other", NULL},
	{"incident_type", "Another kind of incident", NULL, "other", NULL},
	{"need", "Other help, Forensic investigation", NULL, "other,forensics",
	 NULL},
	{"need", "forensics, recovery", NULL, "forensics,recovery", NULL},
	{"need", "herstel en preventie", NULL, "recovery,prevention", NULL},
	{"need", "Forensik und Wiederherstellung", NULL, "forensics,recovery",
	 NULL},
	{"need", "sensibilisation et test d'intrusion", NULL,
	 "awareness,pentest", NULL},
	{"need", "incident response; forensics; incident_response", NULL,
	 "incident_response,forensics", NULL},
	{"need", "forensics, cooking", NULL, NULL,
	 "field need: \"cooking\" is not one of incident_response"},
	{"need", " , ; ", NULL, NULL, "field need: \" , ; \" is empty"},
	{"contact_phone", "0475 55 01 23", "BE", "+32475550123", NULL},
	{"contact_phone", "0475 55 01 23", "Belgique", "+32475550123", NULL},
	{"contact_phone", "0475 55 01 23", NULL, "0475 55 01 23", NULL},
	{"contact_phone", "06-12345678", "nl", "+31612345678", NULL},
	{"contact_phone", "+49 30 1234567", NULL, "+49301234567", NULL},
	{"contact_phone", "bel me", "BE", NULL,
	 "field contact_phone: \"bel me\" is not a phone number"},
	{"contact_email", "<Jan@AZ.be>", NULL, "Jan@az.be", NULL},
	{"contact_email", "jan at az.be", NULL, NULL,
	 "field contact_email: \"jan at az.be\" is not an e-mail address"},
	{"detected_at", "14/03/2026 om 7u30", NULL, "2026-03-14T07:30", NULL},
	{"detected_at", "gisteravond rond 22u", NULL, "gisteravond rond 22u",
	 NULL},
	{"detected_at", "  ", NULL, NULL, "field detected_at: \"  \" is empty"},
	{"systems_affected", "  fileserver, EPD\r\n", NULL, "fileserver, EPD",
	 NULL},
	{"ransom_note", "\xff", NULL, NULL,
	 "field ransom_note: \"\xef\xbf\xbd\" is not valid UTF-8"},
};

static void
test_validate(void)
{
	struct questionnaire *questionnaire = load_shipped();

	for (size_t i = 0; i < G_N_ELEMENTS(value_cases); i++) {
		const struct value_case *c = &value_cases[i];
		g_autoptr(GHashTable) known =
			g_hash_table_new(g_str_hash, g_str_equal);
		g_autoptr(GError) error = NULL;
		g_autofree char *out = NULL;
		gboolean ok;

		if (c->country != NULL)
			put(known, "country", c->country);
		ok = questionnaire_validate_value_in(
			questionnaire, c->field, c->raw, known, &out, &error);
		if (c->expect != NULL) {
			if (error != NULL)
				g_test_message("case %zu: %s", i,
					       error->message);
			g_assert_no_error(error);
			g_assert_true(ok);
			g_assert_cmpstr(out, ==, c->expect);
			continue;
		}
		g_assert_false(ok);
		g_assert_null(out);
		g_assert_error(error, QUESTIONNAIRE_ERROR,
			       QUESTIONNAIRE_ERROR_VALUE);
		if (strstr(error->message, c->error) == NULL)
			g_test_message("case %zu: got %s", i, error->message);
		g_assert_nonnull(strstr(error->message, c->error));
	}
	questionnaire_unref(&questionnaire);
}

static void
test_validate_limits(void)
{
	struct questionnaire *questionnaire = load_shipped();
	g_autoptr(GError) error = NULL;
	g_autofree char *out = NULL;
	g_autofree char *long_name = g_strnfill(201, 'a');
	g_autofree char *huge = g_strnfill(100000, 'a');

	g_assert_false(questionnaire_validate_value(
		questionnaire, "organisation", long_name, &out, &error));
	g_assert_error(error, QUESTIONNAIRE_ERROR, QUESTIONNAIRE_ERROR_VALUE);
	g_assert_nonnull(
		strstr(error->message, "is longer than 200 characters"));
	g_assert_true(g_str_has_prefix(error->message, "field organisation: "));
	g_clear_error(&error);

	g_assert_false(questionnaire_validate_value(
		questionnaire, "ransom_note", huge, &out, &error));
	g_assert_nonnull(strstr(error->message, "is longer than 16384 bytes"));
	g_clear_error(&error);

	g_assert_false(questionnaire_validate_value(questionnaire, "colour",
						    "blue", &out, &error));
	g_assert_error(error, QUESTIONNAIRE_ERROR,
		       QUESTIONNAIRE_ERROR_UNKNOWN_FIELD);
	g_assert_nonnull(strstr(error->message, "no field \"colour\""));
	g_clear_error(&error);

	g_assert_true(questionnaire_validate_value(
		questionnaire, "organisation", "AZ Voorbeeld", &out, &error));
	g_assert_cmpstr(out, ==, "AZ Voorbeeld");
	g_clear_pointer(&out, g_free);
	questionnaire_unref(&questionnaire);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/questionnaire/shipped/fields", test_shipped_fields);
	g_test_add_func("/questionnaire/shipped/languages",
			test_shipped_languages);
	g_test_add_func("/questionnaire/broken", test_broken);
	g_test_add_func("/questionnaire/broken/all", test_broken_collects_all);
	g_test_add_func("/questionnaire/languages", test_languages);
	g_test_add_func("/questionnaire/load-file", test_load_file);
	g_test_add_func("/questionnaire/shipped/value-labels",
			test_shipped_value_labels);
	g_test_add_func("/questionnaire/value-text", test_value_text);
	g_test_add_func("/questionnaire/value-labels-file",
			test_value_labels_file);
	g_test_add_func("/questionnaire/missing", test_missing);
	g_test_add_func("/questionnaire/validate", test_validate);
	g_test_add_func("/questionnaire/validate-limits", test_validate_limits);
	return g_test_run();
}
