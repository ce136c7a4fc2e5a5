/* templates.c — load and render the reply templates of every kind. */
#include "templates.h"

#include <gio/gio.h>

/* A template larger than this is a mistake, not a reply. */
#define TEMPLATE_MAX_BYTES (256 * 1024)

struct template_kind {
	const char *name;
	const char *const *variables;
};

#define COMMON_VARIABLES "cert_name", "cert_address", "case_id", "case_tag"

#define CASE_VARIABLES                                                         \
	"requester_name", "requester_address", "original_subject",             \
		"received_at", "language"

/* The numbered questions of a mail (docs/templates.md): has_questions and
 * has_required are booleans, questions a list whose items have number,
 * question, label, field and required. */
#define QUESTION_VARIABLES                                                     \
	"has_questions", "has_required", "questions", "number", "question",    \
		"label", "field", "required"

/* What a reply gave: has_noted a boolean, noted a list of items with
 * label and value. */
#define NOTED_VARIABLES "has_noted", "noted", "label", "value"

static const char *const ack_variables[] = {
	COMMON_VARIABLES,
	CASE_VARIABLES,
	QUESTION_VARIABLES,
	NULL,
};

static const char *const questions_variables[] = {
	COMMON_VARIABLES,
	CASE_VARIABLES,
	QUESTION_VARIABLES,
	NOTED_VARIABLES,
	"round",
	"max_rounds",
	NULL,
};

static const char *const reminder_variables[] = {
	COMMON_VARIABLES,
	CASE_VARIABLES,
	QUESTION_VARIABLES,
	"asked_at",
	"round",
	"max_rounds",
	NULL,
};

static const char *const closing_variables[] = {
	COMMON_VARIABLES,
	CASE_VARIABLES,
	NOTED_VARIABLES,
	NULL,
};

/* Notes to staff: fields lists what the case knows (items with label,
 * field, value), questions what is still missing. */
static const char *const staff_variables[] = {
	COMMON_VARIABLES, CASE_VARIABLES, QUESTION_VARIABLES, "fields",
	"value",	  "rounds",	  "reason",	      NULL,
};

static const char *const quarantine_variables[] = {
	COMMON_VARIABLES,   "message_ref", "from_address",
	"original_subject", "size",	   "reason",
	"mailbox",	    "received_at", NULL,
};

/* Nothing of what the requester wrote: this reply may go out in clear. */
static const char *const key_request_variables[] = {
	COMMON_VARIABLES, "requester_name", "requester_address",
	"received_at",	  "language",	    "cert_fingerprint",
	"cert_key",	  "undecryptable",  NULL,
};

static const char *const key_conflict_variables[] = {
	COMMON_VARIABLES,  "address",	  "pinned_fingerprint",
	"new_fingerprint", "message_ref", NULL,
};

/* Consent and introductions (docs/templates.md, "Support cases"): shared
 * lists what would go to a provider (items with label and value), needs
 * the kind of help asked (items with label). */
#define SHARED_VARIABLES "shared", "needs", "label", "value"

/* Providers named to the requester: items with name, offer and needs. */
#define PROVIDER_LIST_VARIABLES "providers", "name", "offer", "needs"

static const char *const consent_request_variables[] = {
	COMMON_VARIABLES, CASE_VARIABLES, SHARED_VARIABLES, "again",
	"excerpt",	  "reminder",	  "asked_at",	    NULL,
};

static const char *const consent_refused_variables[] = {
	COMMON_VARIABLES,
	CASE_VARIABLES,
	NULL,
};

static const char *const consent_withdrawn_variables[] = {
	COMMON_VARIABLES, CASE_VARIABLES,  "providers",
	"name",		  "has_providers", NULL,
};

/* To a provider: nothing of the case beyond what was consented to, so no
 * CASE_VARIABLES. */
static const char *const introduction_provider_variables[] = {
	COMMON_VARIABLES, "provider_name", SHARED_VARIABLES, "deadline", NULL,
};

static const char *const introduction_requester_variables[] = {
	COMMON_VARIABLES, CASE_VARIABLES, PROVIDER_LIST_VARIABLES,
	"has_uncovered",  "uncovered",	  NULL,
};

static const char *const rematch_requester_variables[] = {
	COMMON_VARIABLES, CASE_VARIABLES, PROVIDER_LIST_VARIABLES,
	"has_providers",  "declined",	  "was_declined",
	"no_answer",	  NULL,
};

static const char *const consent_withdrawn_provider_variables[] = {
	COMMON_VARIABLES,
	"provider_name",
	NULL,
};

static const char *const followup_requester_variables[] = {
	COMMON_VARIABLES, CASE_VARIABLES, "providers", "name", NULL,
};

static const char *const staff_incident_variables[] = {
	COMMON_VARIABLES, CASE_VARIABLES, QUESTION_VARIABLES, "fields", "value",
	"rounds",	  "reason",	  "priority",	      NULL,
};

static const char *const staff_attention_variables[] = {
	COMMON_VARIABLES, CASE_VARIABLES, QUESTION_VARIABLES,
	"fields",	  "value",	  "rounds",
	"reason",	  "priority",	  "excerpt",
	"from_address",	  NULL,
};

static const struct template_kind kinds[] = {
	{"ack", ack_variables},
	{"quarantine_notice", quarantine_variables},
	{"key_request", key_request_variables},
	{"key_conflict", key_conflict_variables},
	{"questions", questions_variables},
	{"reminder", reminder_variables},
	{"closing", closing_variables},
	{"staff_handover", staff_variables},
	{"staff_urgent", staff_variables},
	{"consent_request", consent_request_variables},
	{"consent_refused", consent_refused_variables},
	{"consent_withdrawn", consent_withdrawn_variables},
	{"introduction_provider", introduction_provider_variables},
	{"introduction_requester", introduction_requester_variables},
	{"rematch_requester", rematch_requester_variables},
	{"consent_withdrawn_provider", consent_withdrawn_provider_variables},
	{"followup_requester", followup_requester_variables},
	{"staff_incident", staff_incident_variables},
	{"staff_attention", staff_attention_variables},
};

static const char *const kind_names[] = {
	"ack",
	"quarantine_notice",
	"key_request",
	"key_conflict",
	"questions",
	"reminder",
	"closing",
	"staff_handover",
	"staff_urgent",
	"consent_request",
	"consent_refused",
	"consent_withdrawn",
	"introduction_provider",
	"introduction_requester",
	"rematch_requester",
	"consent_withdrawn_provider",
	"followup_requester",
	"staff_incident",
	"staff_attention",
	NULL,
};

struct templates {
	gint refcount;
	char **languages;
	/* "lang/kind" -> struct mail_template* */
	GHashTable *by_key;
};

const char *const *
templates_kinds(void)
{
	return kind_names;
}

const char *const *
templates_kind_variables(const char *kind)
{
	for (gsize i = 0; i < G_N_ELEMENTS(kinds); i++)
		if (g_strcmp0(kinds[i].name, kind) == 0)
			return kinds[i].variables;
	return NULL;
}

static void
free_template(gpointer template)
{
	struct mail_template *t = template;

	mail_template_free(&t);
}

/* Loads one file into templates; appends any problem to problems. */
static void
load_one(struct templates *templates, const char *dir, const char *lang,
	 const struct template_kind *kind, gboolean required, GString *problems)
{
	g_autofree char *file = g_strconcat(kind->name, ".tmpl", NULL);
	g_autofree char *path = g_build_filename(dir, lang, file, NULL);
	g_autofree char *text = NULL;
	g_autoptr(GError) error = NULL;
	struct mail_template *template;
	gsize len;

	if (!g_file_test(path, G_FILE_TEST_EXISTS)) {
		if (required)
			g_string_append_printf(
				problems,
				"%s: missing (required in the fallback "
				"language %s)\n",
				path, lang);
		return;
	}
	if (!g_file_get_contents(path, &text, &len, &error)) {
		g_string_append_printf(problems, "%s\n", error->message);
		return;
	}
	if (len > TEMPLATE_MAX_BYTES) {
		g_string_append_printf(problems,
				       "%s: %zu bytes is over the limit of "
				       "%d\n",
				       path, len, TEMPLATE_MAX_BYTES);
		return;
	}
	template =
		mail_template_parse(text, len, path, kind->variables, &error);
	if (template == NULL) {
		g_string_append_printf(problems, "%s\n", error->message);
		return;
	}
	g_hash_table_insert(templates->by_key,
			    g_strconcat(lang, "/", kind->name, NULL), template);
}

struct templates *
templates_load(const char *dir, const char *const *languages, GError **error)
{
	struct templates *templates;
	g_autoptr(GString) problems = g_string_new(NULL);

	if (languages == NULL || languages[0] == NULL) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
			    "%s: no languages configured", dir);
		return NULL;
	}
	if (!g_file_test(dir, G_FILE_TEST_IS_DIR)) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
			    "%s: templates directory not found", dir);
		return NULL;
	}
	templates = g_new0(struct templates, 1);
	templates->refcount = 1;
	templates->languages = g_strdupv((char **)languages);
	templates->by_key = g_hash_table_new_full(g_str_hash, g_str_equal,
						  g_free, free_template);
	for (gsize l = 0; languages[l] != NULL; l++)
		for (gsize k = 0; k < G_N_ELEMENTS(kinds); k++)
			load_one(templates, dir, languages[l], &kinds[k],
				 l == 0, problems);
	if (problems->len > 0) {
		g_string_truncate(problems, problems->len - 1);
		g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_FAILED,
				    problems->str);
		templates_unref(&templates);
		return NULL;
	}
	return templates;
}

struct templates *
templates_ref(struct templates *templates)
{
	g_atomic_int_inc(&templates->refcount);
	return templates;
}

void
templates_unref(struct templates **templates)
{
	struct templates *t = *templates;

	*templates = NULL;
	if (t == NULL || !g_atomic_int_dec_and_test(&t->refcount))
		return;
	g_hash_table_destroy(t->by_key);
	g_strfreev(t->languages);
	g_free(t);
}

guint
templates_count(const struct templates *templates)
{
	return g_hash_table_size(templates->by_key);
}

gboolean
templates_render(const struct templates *templates, const char *kind,
		 const char *lang, const struct template_context *context,
		 struct mail_template_output *output, const char **used_lang,
		 GError **error)
{
	const char *fallback = templates->languages[0];
	g_autofree char *key = NULL;
	const struct mail_template *template = NULL;

	if (templates_kind_variables(kind) == NULL) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
			    "unknown template kind '%s'", kind);
		return FALSE;
	}
	if (lang != NULL) {
		key = g_strconcat(lang, "/", kind, NULL);
		template = g_hash_table_lookup(templates->by_key, key);
	}
	if (template == NULL) {
		g_free(key);
		key = g_strconcat(fallback, "/", kind, NULL);
		template = g_hash_table_lookup(templates->by_key, key);
		lang = fallback;
	}
	if (template == NULL) {
		/* templates_load() refuses a set without every kind in the
		 * fallback language. */
		g_error("template %s missing after a successful load", key);
	}
	mail_template_render(template, context, output);
	if (used_lang != NULL)
		*used_lang = lang;
	return TRUE;
}
