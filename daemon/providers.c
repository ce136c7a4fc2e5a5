/* providers.c — providers.conf: the volunteer providers and the
 * qualification rules (see providers.h and docs/providers.md).
 *
 * Checked whole, like questionnaire.conf: every problem is collected as
 * "file:line: what is wrong" and returned together; unknown keys, wrong
 * types and bad values are errors, with a "did you mean" when a known
 * word is close.  This file is the only one that reads providers.conf
 * with libconfig. */
#include "providers.h"

#include "answer.h"
#include "conf-problems.h"
#include "provider-values.h"
#include "questionnaire.h"

#include <errno.h>
#include <fcntl.h>
#include <libconfig.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PROVIDERS_FILE_MAX_BYTES (4 * 1024 * 1024)
#define ID_MAX_BYTES		 64
#define NAME_MAX_BYTES		 200
#define OFFER_MAX_BYTES		 2000
#define TIMEZONE_MAX_BYTES	 64
#define WINDOW_MAX_BYTES	 64
#define REGION_MAX_BYTES	 32
#define MAX_CONTACTS		 16
#define MAX_REGIONS		 64
#define MAX_WINDOWS		 21
#define MAX_DOMAINS		 16
#define MAX_OPEN_CASES		 1000
#define MAX_PLEDGED_HOURS	 100000
#define MAX_WEIGHT		 1000000
#define MINUTES_PER_DAY		 1440

static const char *const default_needs[] = {
	"incident_response", "forensics", "recovery", "prevention", "awareness",
	"pentest",	     "appsec",	  "other",    NULL,
};
static const char *const default_incident_types[] = {
	"ransomware",	      "phishing", "malware", "data_breach", "ddos",
	"account_compromise", "fraud",	  "other",   "none",	    NULL,
};
static const char *const known_languages[] = {"en", "nl", "fr", "de", NULL};

static const char *const root_keys[] = {"providers", "qualification", NULL};
static const char *const provider_keys[] = {
	"id",		"name",	   "contacts",	"fingerprint",
	"services",	"regions", "languages", "capacity",
	"availability", "offer",   "domains",	NULL,
};
static const char *const capacity_keys[] = {"max_open_cases", "pledged_hours",
					    NULL};
static const char *const availability_keys[] = {"paused", "timezone", "on_call",
						NULL};
static const char *const qualification_keys[] = {
	"types",
	"incident_if_yes",
	"incident_if_given",
	"care_impact_weight",
	"exfiltration_weight",
	"ransom_note_weight",
	"age_weight_per_hour",
	"age_max_hours",
	NULL,
};
static const char *const type_rule_keys[] = {"decision", "weight", NULL};
static const char *const decision_names[] = {"incident", "support", NULL};

struct providers {
	char *path;
	GPtrArray *providers; /* owned struct provider *, file order */
	GHashTable *by_id;    /* id -> GUINT_TO_POINTER(index + 1) */
	char **needs;	      /* by bit */
	guint need_count;
	GPtrArray *timezones;	   /* GTimeZone *, owned */
	GPtrArray *timezone_names; /* char *, owned, same order */
	struct qualify_rules *rules;
};

struct load_state {
	config_t lc;
	const char *name;
	char *base_dir;
	GString *problems;
	const char *const *incident_types;
	struct providers *providers;
};

GQuark
providers_error_quark(void)
{
	return g_quark_from_static_string("intaked-providers-error");
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

/* A group member that must be a group; NULL (after reporting when it is
 * something else) otherwise. */
static config_setting_t *
group_member(struct load_state *state, const config_setting_t *group,
	     const char *key, const char *where)
{
	config_setting_t *setting = config_setting_get_member(group, key);

	if (setting != NULL && !config_setting_is_group(setting)) {
		problem_at(state, setting, "%s of %s must be a group { ... }",
			   key, where);
		return NULL;
	}
	return setting;
}

/* Checks a string meant for people: UTF-8, no control characters, not
 * empty, at most max bytes.  Returns it borrowed, or NULL after
 * reporting. */
static const char *
text_value_full(struct load_state *state, const config_setting_t *setting,
		const char *what, size_t max, gboolean allow_newline)
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
		if (((unsigned char)*p < 0x20 &&
		     !(allow_newline && *p == '\n')) ||
		    *p == 0x7f) {
			problem_at(state, setting,
				   "%s contains a control character", what);
			return NULL;
		}
	}
	return value;
}

static const char *
text_value(struct load_state *state, const config_setting_t *setting,
	   const char *what, size_t max)
{
	return text_value_full(state, setting, what, max, FALSE);
}

/* A string member; NULL when absent (reported if required) or bad. */
static const char *
string_member(struct load_state *state, const config_setting_t *group,
	      const char *key, const char *where, gboolean required, size_t max)
{
	config_setting_t *setting = config_setting_get_member(group, key);
	g_autofree char *what = g_strdup_printf("%s of %s", key, where);

	if (setting == NULL) {
		if (required)
			problem_at(state, group, "%s has no %s", where, key);
		return NULL;
	}
	return text_value(state, setting, what, max);
}

/* An integer member in min..max; *value is left alone when absent
 * (reported if required).  Returns FALSE on a problem. */
static gboolean
int_member(struct load_state *state, const config_setting_t *group,
	   const char *key, const char *where, gboolean required, int min,
	   int max, int *value)
{
	config_setting_t *setting = config_setting_get_member(group, key);
	long long number;

	if (setting == NULL) {
		if (required) {
			problem_at(state, group, "%s has no %s", where, key);
			return FALSE;
		}
		return TRUE;
	}
	if (config_setting_type(setting) != CONFIG_TYPE_INT &&
	    config_setting_type(setting) != CONFIG_TYPE_INT64) {
		problem_at(state, setting,
			   "%s of %s must be a whole number (%d..%d)", key,
			   where, min, max);
		return FALSE;
	}
	number = config_setting_get_int64(setting);
	if (number < min || number > max) {
		problem_at(state, setting, "%s of %s is %lld, not in %d..%d",
			   key, where, number, min, max);
		return FALSE;
	}
	*value = (int)number;
	return TRUE;
}

static gboolean
bool_member(struct load_state *state, const config_setting_t *group,
	    const char *key, const char *where, gboolean *value)
{
	config_setting_t *setting = config_setting_get_member(group, key);

	if (setting == NULL)
		return TRUE;
	if (config_setting_type(setting) != CONFIG_TYPE_BOOL) {
		problem_at(state, setting, "%s of %s must be true or false",
			   key, where);
		return FALSE;
	}
	*value = config_setting_get_bool(setting);
	return TRUE;
}

/* A list of strings: [ "a", "b" ] or ( "a", "b" ).  Returns the setting,
 * or NULL when absent (reported if required) or not such a list. */
static config_setting_t *
list_member(struct load_state *state, const config_setting_t *group,
	    const char *key, const char *where, gboolean required,
	    int max_items)
{
	config_setting_t *setting = config_setting_get_member(group, key);
	int count;

	if (setting == NULL) {
		if (required)
			problem_at(state, group, "%s has no %s", where, key);
		return NULL;
	}
	if (!config_setting_is_array(setting) &&
	    !config_setting_is_list(setting)) {
		problem_at(state, setting,
			   "%s of %s must be a list of strings [ \"...\" ]",
			   key, where);
		return NULL;
	}
	count = config_setting_length(setting);
	if (count == 0 && required) {
		problem_at(state, setting, "%s of %s is empty", key, where);
		return NULL;
	}
	if (count > max_items) {
		problem_at(state, setting,
			   "%s of %s has %d entries, at most %d", key, where,
			   count, max_items);
		return NULL;
	}
	for (int i = 0; i < count; i++) {
		if (config_setting_type(config_setting_get_elem(setting, i)) !=
		    CONFIG_TYPE_STRING) {
			problem_at(state, setting,
				   "%s of %s must be a list of strings "
				   "[ \"...\" ]",
				   key, where);
			return NULL;
		}
	}
	return setting;
}

/* A letter, then letters, digits, '_' and '-'. */
static gboolean
is_identifier(const char *text)
{
	if (!g_ascii_isalpha(*text) || strlen(text) > ID_MAX_BYTES)
		return FALSE;
	for (const char *p = text; *p != '\0'; p++)
		if (!g_ascii_isalnum(*p) && *p != '_' && *p != '-')
			return FALSE;
	return TRUE;
}

/* --- one provider ----------------------------------------------------- */

static void
provider_free(gpointer data)
{
	struct provider *provider = data;

	g_free(provider->id);
	g_free(provider->name);
	g_strfreev(provider->contacts);
	g_free(provider->fingerprint);
	for (guint i = 0; i < provider->region_count; i++) {
		g_free(provider->regions[i].subdivision);
		g_free(provider->regions[i].text);
	}
	g_free(provider->regions);
	g_strfreev(provider->languages);
	g_free(provider->timezone);
	for (guint i = 0; i < provider->window_count; i++)
		g_free(provider->windows[i].text);
	g_free(provider->windows);
	g_free(provider->offer);
	g_strfreev(provider->domains);
	g_free(provider);
}

static char **
strv_from(GPtrArray *items)
{
	g_ptr_array_add(items, NULL);
	return (char **)g_ptr_array_free(items, FALSE);
}

static void
load_contacts(struct load_state *state, const config_setting_t *group,
	      const char *where, struct provider *provider)
{
	config_setting_t *list = list_member(state, group, "contacts", where,
					     TRUE, MAX_CONTACTS);
	GPtrArray *contacts = g_ptr_array_new();

	for (int i = 0; list != NULL && i < config_setting_length(list); i++) {
		config_setting_t *element = config_setting_get_elem(list, i);
		const char *text = config_setting_get_string(element);
		g_autoptr(GError) error = NULL;
		char *address = NULL;

		if (!answer_normalise_email(text, &address, &error)) {
			g_autofree char *quoted = answer_quote(text);

			problem_at(state, element, "contact %s of %s %s",
				   quoted, where, error->message);
			continue;
		}
		g_ptr_array_add(contacts, address);
	}
	provider->contacts = strv_from(contacts);
}

static guint32
need_bit(const struct providers *providers, const char *name)
{
	for (guint i = 0; i < providers->need_count; i++)
		if (strcmp(providers->needs[i], name) == 0)
			return 1u << i;
	return 0;
}

static void
load_services(struct load_state *state, const config_setting_t *group,
	      const char *where, struct provider *provider)
{
	config_setting_t *list = list_member(state, group, "services", where,
					     TRUE, PROVIDERS_MAX_NEEDS);

	for (int i = 0; list != NULL && i < config_setting_length(list); i++) {
		config_setting_t *element = config_setting_get_elem(list, i);
		const char *text = config_setting_get_string(element);
		guint32 bit = need_bit(state->providers, text);

		if (bit == 0) {
			g_autofree char *quoted = answer_quote(text);
			g_autofree char *suggestion = conf_hint(
				text,
				(const char *const *)state->providers->needs);
			g_autofree char *all =
				g_strjoinv(", ", state->providers->needs);

			problem_at(state, element,
				   "service %s of %s is not a need (%s)%s",
				   quoted, where, all, suggestion);
			continue;
		}
		if (provider->services & bit)
			problem_at(state, element,
				   "service '%s' of %s is listed twice", text,
				   where);
		provider->services |= bit;
	}
}

static void
load_regions(struct load_state *state, const config_setting_t *group,
	     const char *where, struct provider *provider)
{
	config_setting_t *list =
		list_member(state, group, "regions", where, TRUE, MAX_REGIONS);
	int count = list != NULL ? config_setting_length(list) : 0;

	provider->regions = g_new0(struct provider_region, MAX(count, 1));
	for (int i = 0; i < count; i++) {
		config_setting_t *element = config_setting_get_elem(list, i);
		const char *text = config_setting_get_string(element);
		struct provider_region *region =
			&provider->regions[provider->region_count];

		if (strlen(text) > REGION_MAX_BYTES ||
		    !provider_parse_region(text, region)) {
			g_autofree char *quoted = answer_quote(text);

			problem_at(state, element,
				   "region %s of %s is not \"*\", a country "
				   "(\"BE\"), a province (\"BE-VOV\") or a "
				   "postcode range (\"BE-9000-9999\")",
				   quoted, where);
			continue;
		}
		region->text = g_strdup(text);
		provider->region_count++;
	}
}

static void
load_languages(struct load_state *state, const config_setting_t *group,
	       const char *where, struct provider *provider)
{
	config_setting_t *list =
		list_member(state, group, "languages", where, TRUE,
			    G_N_ELEMENTS(known_languages));
	GPtrArray *languages = g_ptr_array_new();

	for (int i = 0; list != NULL && i < config_setting_length(list); i++) {
		config_setting_t *element = config_setting_get_elem(list, i);
		const char *text = config_setting_get_string(element);
		guint bit = providers_language_bit(text);

		if (bit == 0) {
			g_autofree char *quoted = answer_quote(text);
			g_autofree char *suggestion =
				conf_hint(text, known_languages);

			problem_at(state, element,
				   "language %s of %s is not one of en, nl, "
				   "fr, de%s",
				   quoted, where, suggestion);
			continue;
		}
		if (provider->languages_mask & bit) {
			problem_at(state, element,
				   "language '%s' of %s is listed twice", text,
				   where);
			continue;
		}
		provider->languages_mask |= bit;
		g_ptr_array_add(languages, g_ascii_strdown(text, -1));
	}
	provider->languages = strv_from(languages);
}

static void
load_domains(struct load_state *state, const config_setting_t *group,
	     const char *where, struct provider *provider)
{
	config_setting_t *list =
		list_member(state, group, "domains", where, FALSE, MAX_DOMAINS);
	GPtrArray *domains = g_ptr_array_new();

	for (int i = 0; list != NULL && i < config_setting_length(list); i++) {
		config_setting_t *element = config_setting_get_elem(list, i);
		const char *text = config_setting_get_string(element);
		char *domain = provider_normalise_domain(text);

		if (domain == NULL) {
			g_autofree char *quoted = answer_quote(text);

			problem_at(state, element,
				   "domain %s of %s is not a domain name "
				   "such as \"example.org\"",
				   quoted, where);
			continue;
		}
		g_ptr_array_add(domains, domain);
	}
	provider->domains = strv_from(domains);
}

static void
load_capacity(struct load_state *state, const config_setting_t *group,
	      const char *where, struct provider *provider)
{
	config_setting_t *capacity =
		group_member(state, group, "capacity", where);
	g_autofree char *inner = g_strdup_printf("the capacity of %s", where);

	if (capacity == NULL) {
		if (config_setting_get_member(group, "capacity") == NULL)
			problem_at(state, group,
				   "%s has no capacity { max_open_cases = N; "
				   "}",
				   where);
		return;
	}
	check_keys(state, capacity, capacity_keys, inner);
	int_member(state, capacity, "max_open_cases", inner, TRUE, 1,
		   MAX_OPEN_CASES, &provider->max_open_cases);
	int_member(state, capacity, "pledged_hours", inner, FALSE, 0,
		   MAX_PLEDGED_HOURS, &provider->pledged_hours);
}

/* The index of zone name in the registry's list, adding it. */
static gboolean
intern_timezone(struct providers *providers, const char *name, guint *index)
{
	GTimeZone *zone;

	for (guint i = 0; i < providers->timezone_names->len; i++) {
		if (strcmp(providers->timezone_names->pdata[i], name) == 0) {
			*index = i;
			return TRUE;
		}
	}
	zone = g_time_zone_new_identifier(name);
	if (zone == NULL)
		return FALSE;
	g_ptr_array_add(providers->timezones, zone);
	g_ptr_array_add(providers->timezone_names, g_strdup(name));
	*index = providers->timezones->len - 1;
	return TRUE;
}

static void
load_availability(struct load_state *state, const config_setting_t *group,
		  const char *where, struct provider *provider)
{
	config_setting_t *availability =
		group_member(state, group, "availability", where);
	g_autofree char *inner =
		g_strdup_printf("the availability of %s", where);
	config_setting_t *setting;
	config_setting_t *list;
	const char *zone = "UTC";
	int count;

	if (availability == NULL) {
		intern_timezone(state->providers, zone,
				&provider->timezone_index);
		provider->timezone = g_strdup(zone);
		return;
	}
	check_keys(state, availability, availability_keys, inner);
	bool_member(state, availability, "paused", inner, &provider->paused);
	list = list_member(state, availability, "on_call", inner, FALSE,
			   MAX_WINDOWS);
	setting = config_setting_get_member(availability, "timezone");
	if (setting != NULL) {
		const char *name = text_value(state, setting, "timezone",
					      TIMEZONE_MAX_BYTES);

		if (name != NULL &&
		    !intern_timezone(state->providers, name,
				     &provider->timezone_index)) {
			problem_at(state, setting,
				   "timezone '%s' of %s is not a time zone "
				   "such as \"Europe/Brussels\"",
				   name, where);
			name = NULL;
		}
		if (name != NULL)
			zone = name;
	} else {
		if (list != NULL && config_setting_length(list) > 0)
			problem_at(state, availability,
				   "%s has on_call windows but no timezone",
				   inner);
		intern_timezone(state->providers, zone,
				&provider->timezone_index);
	}
	provider->timezone = g_strdup(zone);
	count = list != NULL ? config_setting_length(list) : 0;
	provider->windows = g_new0(struct provider_window, MAX(count, 1));
	for (int i = 0; i < count; i++) {
		config_setting_t *element = config_setting_get_elem(list, i);
		const char *text = config_setting_get_string(element);
		struct provider_window *window =
			&provider->windows[provider->window_count];

		if (strlen(text) > WINDOW_MAX_BYTES ||
		    !provider_parse_window(text, window)) {
			g_autofree char *quoted = answer_quote(text);

			problem_at(state, element,
				   "on_call window %s of %s is not like "
				   "\"Mon-Fri 08:00-18:00\"",
				   quoted, where);
			continue;
		}
		window->text = g_strdup(text);
		provider->window_count++;
	}
}

static void
load_provider(struct load_state *state, const config_setting_t *group,
	      int position)
{
	struct providers *providers = state->providers;
	struct provider *provider = g_new0(struct provider, 1);
	g_autofree char *where = NULL;
	const char *id = NULL;
	const char *text;

	provider->line = config_setting_source_line(group);
	{
		g_autofree char *numbered =
			g_strdup_printf("provider %d", position + 1);

		if (!config_setting_is_group(group)) {
			problem_at(state, group,
				   "%s must be a group { id = \"...\"; ... }",
				   numbered);
			provider_free(provider);
			return;
		}
		id = string_member(state, group, "id", numbered, TRUE,
				   ID_MAX_BYTES);
		if (id != NULL && !is_identifier(id)) {
			problem_at(state,
				   config_setting_get_member(group, "id"),
				   "id '%s' of %s must be a letter followed "
				   "by letters, digits, '-' or '_'",
				   id, numbered);
			id = NULL;
		}
		where = id != NULL ? g_strdup_printf("provider '%s'", id)
				   : g_steal_pointer(&numbered);
	}
	provider->id = g_strdup(id != NULL ? id : "");
	check_keys(state, group, provider_keys, where);

	text = string_member(state, group, "name", where, TRUE, NAME_MAX_BYTES);
	provider->name = g_strdup(text);
	load_contacts(state, group, where, provider);
	text = string_member(state, group, "fingerprint", where, FALSE, 100);
	if (text != NULL) {
		provider->fingerprint = provider_normalise_fingerprint(text);
		if (provider->fingerprint == NULL)
			problem_at(
				state,
				config_setting_get_member(group, "fingerprint"),
				"fingerprint of %s is not 40 hex digits",
				where);
	}
	load_services(state, group, where, provider);
	load_regions(state, group, where, provider);
	load_languages(state, group, where, provider);
	load_capacity(state, group, where, provider);
	load_availability(state, group, where, provider);
	if (config_setting_get_member(group, "offer") != NULL) {
		/* The one text that may run over several lines. */
		g_autofree char *what = g_strdup_printf("offer of %s", where);

		text = text_value_full(
			state, config_setting_get_member(group, "offer"), what,
			OFFER_MAX_BYTES, TRUE);
		provider->offer = g_strdup(text);
	}
	load_domains(state, group, where, provider);

	if (id != NULL && g_hash_table_contains(providers->by_id, id)) {
		guint earlier = GPOINTER_TO_UINT(
			g_hash_table_lookup(providers->by_id, id));
		const struct provider *first =
			providers->providers->pdata[earlier - 1];

		problem_at(state, group,
			   "provider id '%s' is used twice (first on line "
			   "%u)",
			   id, first->line);
	} else if (id != NULL) {
		g_hash_table_insert(
			providers->by_id, provider->id,
			GUINT_TO_POINTER(providers->providers->len + 1));
	}
	g_ptr_array_add(providers->providers, provider);
}

static void
load_providers(struct load_state *state)
{
	config_setting_t *list = config_lookup(&state->lc, "providers");
	int count;

	if (list == NULL)
		return;
	if (!config_setting_is_list(list)) {
		problem_at(state, list,
			   "providers must be a list ( { ... }, { ... } )");
		return;
	}
	count = config_setting_length(list);
	if (count > PROVIDERS_MAX) {
		problem_at(state, list, "providers has %d entries, at most %d",
			   count, PROVIDERS_MAX);
		return;
	}
	for (int i = 0; i < count; i++)
		load_provider(state, config_setting_get_elem(list, i), i);
}

/* --- qualification ---------------------------------------------------- */

static char **
load_field_list(struct load_state *state, const config_setting_t *group,
		const char *key, char **fallback)
{
	config_setting_t *list =
		list_member(state, group, key, "qualification", FALSE, 32);
	GPtrArray *fields;

	if (list == NULL)
		return fallback;
	g_strfreev(fallback);
	fields = g_ptr_array_new();
	for (int i = 0; i < config_setting_length(list); i++) {
		config_setting_t *element = config_setting_get_elem(list, i);
		const char *text = config_setting_get_string(element);

		if (!is_identifier(text)) {
			problem_at(state, element,
				   "%s of qualification: '%s' is not a field "
				   "id",
				   key, text);
			continue;
		}
		g_ptr_array_add(fields, g_strdup(text));
	}
	return strv_from(fields);
}

static void
load_type_rules(struct load_state *state, const config_setting_t *types,
		struct qualify_rules *rules)
{
	int count = config_setting_length(types);

	g_hash_table_remove_all(rules->types);
	for (int i = 0; i < count; i++) {
		config_setting_t *entry = config_setting_get_elem(types, i);
		const char *name = config_setting_name(entry);
		g_autofree char *where =
			g_strdup_printf("incident type '%s'", name);
		const char *decision_text;
		enum qualify_decision decision = QUALIFY_INCIDENT;
		int weight = 0;

		if (!g_strv_contains(state->incident_types, name)) {
			g_autofree char *suggestion =
				conf_hint(name, state->incident_types);

			problem_at(state, entry,
				   "'%s' in qualification types is not a "
				   "value of incident_type%s",
				   name, suggestion);
			continue;
		}
		if (!config_setting_is_group(entry)) {
			problem_at(state, entry,
				   "%s must be a group { decision = "
				   "\"incident\"; weight = N; }",
				   where);
			continue;
		}
		check_keys(state, entry, type_rule_keys, where);
		decision_text = string_member(state, entry, "decision", where,
					      TRUE, 32);
		if (decision_text != NULL &&
		    !qualify_decision_parse(decision_text, &decision)) {
			g_autofree char *suggestion =
				conf_hint(decision_text, decision_names);

			problem_at(state,
				   config_setting_get_member(entry, "decision"),
				   "decision of %s is '%s', not incident or "
				   "support%s",
				   where, decision_text, suggestion);
			continue;
		}
		int_member(state, entry, "weight", where, FALSE, 0, MAX_WEIGHT,
			   &weight);
		qualify_rules_set_type(rules, name, decision, weight);
	}
}

static void
load_qualification(struct load_state *state)
{
	config_setting_t *group = config_lookup(&state->lc, "qualification");
	struct qualify_rules *rules = state->providers->rules;
	config_setting_t *types;

	if (group == NULL)
		return;
	if (!config_setting_is_group(group)) {
		problem_at(state, group,
			   "qualification must be a group { ... }");
		return;
	}
	check_keys(state, group, qualification_keys, "qualification");
	types = group_member(state, group, "types", "qualification");
	if (types != NULL)
		load_type_rules(state, types, rules);
	rules->incident_if_yes = load_field_list(
		state, group, "incident_if_yes", rules->incident_if_yes);
	rules->incident_if_given = load_field_list(
		state, group, "incident_if_given", rules->incident_if_given);
	int_member(state, group, "care_impact_weight", "qualification", FALSE,
		   0, MAX_WEIGHT, &rules->care_impact_weight);
	int_member(state, group, "exfiltration_weight", "qualification", FALSE,
		   0, MAX_WEIGHT, &rules->exfiltration_weight);
	int_member(state, group, "ransom_note_weight", "qualification", FALSE,
		   0, MAX_WEIGHT, &rules->ransom_note_weight);
	int_member(state, group, "age_weight_per_hour", "qualification", FALSE,
		   0, MAX_WEIGHT, &rules->age_weight_per_hour);
	int_member(state, group, "age_max_hours", "qualification", FALSE, 0,
		   24 * 365, &rules->age_max_hours);
}

/* --- loading ---------------------------------------------------------- */

static void
providers_clear(gpointer data)
{
	struct providers *providers = data;

	g_free(providers->path);
	g_clear_pointer(&providers->by_id, g_hash_table_unref);
	g_clear_pointer(&providers->providers, g_ptr_array_unref);
	g_strfreev(providers->needs);
	g_clear_pointer(&providers->timezones, g_ptr_array_unref);
	g_clear_pointer(&providers->timezone_names, g_ptr_array_unref);
	g_clear_pointer(&providers->rules, qualify_rules_free);
}

struct providers *
providers_ref(struct providers *providers)
{
	return g_atomic_rc_box_acquire(providers);
}

void
providers_unref(struct providers **providers)
{
	if (*providers == NULL)
		return;
	g_atomic_rc_box_release_full(*providers, providers_clear);
	*providers = NULL;
}

static gboolean
set_needs(struct providers *providers, const char *const *needs,
	  GString *problems, const char *name)
{
	if (needs == NULL)
		needs = default_needs;
	if (g_strv_length((char **)needs) > PROVIDERS_MAX_NEEDS) {
		g_string_append_printf(problems, "%s: more than %d need values",
				       name, PROVIDERS_MAX_NEEDS);
		return FALSE;
	}
	providers->needs = g_strdupv((char **)needs);
	providers->need_count = g_strv_length(providers->needs);
	return TRUE;
}

struct providers *
providers_load_string(const char *text, const char *name,
		      const char *const *needs,
		      const char *const *incident_types, GError **error)
{
	struct load_state state = {0};
	g_autofree char *absolute = g_canonicalize_filename(name, NULL);
	struct providers *providers = NULL;

	state.name = name;
	state.base_dir = g_path_get_dirname(absolute);
	state.problems = g_string_new(NULL);
	state.incident_types =
		incident_types ? incident_types : default_incident_types;
	config_init(&state.lc);
	config_set_include_dir(&state.lc, state.base_dir);

	state.providers = g_atomic_rc_box_new0(struct providers);
	state.providers->path = g_strdup(absolute);
	state.providers->providers =
		g_ptr_array_new_with_free_func(provider_free);
	state.providers->by_id = g_hash_table_new(g_str_hash, g_str_equal);
	state.providers->timezones = g_ptr_array_new_with_free_func(
		(GDestroyNotify)g_time_zone_unref);
	state.providers->timezone_names =
		g_ptr_array_new_with_free_func(g_free);
	state.providers->rules = qualify_rules_new();
	if (!set_needs(state.providers, needs, state.problems, name))
		goto out;

	if (!config_read_string(&state.lc, text)) {
		const char *file = config_error_file(&state.lc);

		g_string_printf(state.problems, "%s:%d: %s", file ? file : name,
				config_error_line(&state.lc),
				config_error_text(&state.lc));
		goto out;
	}
	check_keys(&state, config_root_setting(&state.lc), root_keys,
		   "the top level");
	load_providers(&state);
	load_qualification(&state);

out:
	if (state.problems->len == 0) {
		providers = g_steal_pointer(&state.providers);
	} else {
		providers_unref(&state.providers);
		g_set_error_literal(error, PROVIDERS_ERROR,
				    PROVIDERS_ERROR_LOAD, state.problems->str);
	}
	config_destroy(&state.lc);
	g_string_free(state.problems, TRUE);
	g_free(state.base_dir);
	return providers;
}

struct providers *
providers_load(const char *path, const char *const *needs,
	       const char *const *incident_types, GError **error)
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
		g_set_error(error, PROVIDERS_ERROR, PROVIDERS_ERROR_LOAD,
			    "%s: cannot read: %s", path, g_strerror(saved));
		return NULL;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > PROVIDERS_FILE_MAX_BYTES) {
		close(fd);
		g_set_error(error, PROVIDERS_ERROR, PROVIDERS_ERROR_LOAD,
			    "%s: cannot read: %s", path,
			    S_ISREG(st.st_mode) ? "larger than 4 MiB"
						: "not a regular file");
		return NULL;
	}
	text = g_malloc(PROVIDERS_FILE_MAX_BYTES + 1);
	while (used < PROVIDERS_FILE_MAX_BYTES) {
		ssize_t n =
			read(fd, text + used, PROVIDERS_FILE_MAX_BYTES - used);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int saved = errno;

			close(fd);
			g_set_error(error, PROVIDERS_ERROR,
				    PROVIDERS_ERROR_LOAD, "%s: cannot read: %s",
				    path, g_strerror(saved));
			return NULL;
		}
		if (n == 0)
			break;
		used += (size_t)n;
	}
	close(fd);
	text[used] = '\0';
	if (memchr(text, '\0', used) != NULL) {
		g_set_error(error, PROVIDERS_ERROR, PROVIDERS_ERROR_LOAD,
			    "%s: contains a NUL byte", path);
		return NULL;
	}
	return providers_load_string(text, path, needs, incident_types, error);
}

/* --- lookups ---------------------------------------------------------- */

const char *
providers_path(const struct providers *providers)
{
	return providers->path;
}

guint
providers_count(const struct providers *providers)
{
	return providers->providers->len;
}

const struct provider *
providers_at(const struct providers *providers, guint index)
{
	g_return_val_if_fail(index < providers->providers->len, NULL);
	return providers->providers->pdata[index];
}

const struct provider *
providers_find(const struct providers *providers, const char *id, guint *index)
{
	guint position;

	if (id == NULL)
		return NULL;
	position = GPOINTER_TO_UINT(g_hash_table_lookup(providers->by_id, id));
	if (position == 0)
		return NULL;
	if (index != NULL)
		*index = position - 1;
	return providers->providers->pdata[position - 1];
}

const struct qualify_rules *
providers_qualify_rules(const struct providers *providers)
{
	return providers->rules;
}

guint
providers_need_count(const struct providers *providers)
{
	return providers->need_count;
}

const char *
providers_need_name(const struct providers *providers, guint bit)
{
	g_return_val_if_fail(bit < providers->need_count, NULL);
	return providers->needs[bit];
}

guint32
providers_needs_mask(const struct providers *providers, const char *list,
		     guint *unknown)
{
	g_auto(GStrv) items = NULL;
	guint32 mask = 0;

	if (unknown != NULL)
		*unknown = 0;
	if (list == NULL)
		return 0;
	items = g_strsplit(list, ",", PROVIDERS_MAX_NEEDS * 2);
	for (size_t i = 0; items[i] != NULL; i++) {
		guint32 bit;

		g_strstrip(items[i]);
		if (*items[i] == '\0')
			continue;
		bit = need_bit(providers, items[i]);
		if (bit == 0 && unknown != NULL)
			(*unknown)++;
		mask |= bit;
	}
	return mask;
}

char *
providers_needs_text(const struct providers *providers, guint32 mask)
{
	GString *out = g_string_new(NULL);

	for (guint i = 0; i < providers->need_count; i++) {
		if (!(mask & (1u << i)))
			continue;
		if (out->len > 0)
			g_string_append_c(out, ',');
		g_string_append(out, providers->needs[i]);
	}
	return g_string_free(out, FALSE);
}

guint
providers_language_bit(const char *lang)
{
	for (guint i = 0; lang != NULL && known_languages[i] != NULL; i++)
		if (g_ascii_strcasecmp(lang, known_languages[i]) == 0)
			return 1u << i;
	return 0;
}

guint
providers_timezone_count(const struct providers *providers)
{
	return providers->timezones->len;
}

GTimeZone *
providers_timezone_at(const struct providers *providers, guint index)
{
	g_return_val_if_fail(index < providers->timezones->len, NULL);
	return providers->timezones->pdata[index];
}

gboolean
provider_on_call_local(const struct provider *provider, int weekday, int minute)
{
	guint today = (guint)(weekday - 1) % 7;
	guint yesterday = (today + 6) % 7;

	if (provider->window_count == 0)
		return TRUE;
	for (guint i = 0; i < provider->window_count; i++) {
		const struct provider_window *w = &provider->windows[i];

		if (w->start < w->end) {
			if ((w->days & (1u << today)) && minute >= w->start &&
			    minute < w->end)
				return TRUE;
		} else {
			/* Past midnight: the evening part today, the
			 * morning part belongs to yesterday's window. */
			if ((w->days & (1u << today)) && minute >= w->start)
				return TRUE;
			if ((w->days & (1u << yesterday)) && minute < w->end)
				return TRUE;
		}
	}
	return FALSE;
}

gboolean
provider_on_call(const struct providers *providers,
		 const struct provider *provider, gint64 now)
{
	g_autoptr(GDateTime) utc = NULL;
	g_autoptr(GDateTime) local = NULL;

	if (provider->window_count == 0)
		return TRUE;
	utc = g_date_time_new_from_unix_utc(now);
	if (utc == NULL)
		return FALSE;
	local = g_date_time_to_timezone(
		utc,
		providers_timezone_at(providers, provider->timezone_index));
	return provider_on_call_local(provider,
				      g_date_time_get_day_of_week(local),
				      g_date_time_get_hour(local) * 60 +
					      g_date_time_get_minute(local));
}

struct providers *
providers_load_for(const char *path, const struct questionnaire *questionnaire,
		   GError **error)
{
	const struct questionnaire_field *need =
		questionnaire != NULL
			? questionnaire_field(questionnaire, "need")
			: NULL;
	const struct questionnaire_field *types =
		questionnaire != NULL
			? questionnaire_field(questionnaire,
					      QUESTIONNAIRE_INCIDENT_TYPE)
			: NULL;

	return providers_load(
		path, need != NULL ? (const char *const *)need->values : NULL,
		types != NULL ? (const char *const *)types->values : NULL,
		error);
}
