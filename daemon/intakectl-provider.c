/* intakectl-provider.c — the provider registry for people and scripts
 * (see intakectl-provider.h).  providers.conf is written by the operator
 * and its loader refuses control characters, so values are printed as
 * they are; offers may hold new lines and are indented. */
#include "intakectl-provider.h"

#include "export-json.h"

#include <string.h>

static void
add_string(JsonBuilder *builder, const char *name, const char *value)
{
	json_builder_set_member_name(builder, name);
	if (value != NULL)
		json_builder_add_string_value(builder, value);
	else
		json_builder_add_null_value(builder);
}

static void
add_strv(JsonBuilder *builder, const char *name, char *const *values)
{
	json_builder_set_member_name(builder, name);
	json_builder_begin_array(builder);
	for (size_t i = 0; values != NULL && values[i] != NULL; i++)
		json_builder_add_string_value(builder, values[i]);
	json_builder_end_array(builder);
}

static void
add_int(JsonBuilder *builder, const char *name, gint64 value)
{
	json_builder_set_member_name(builder, name);
	json_builder_add_int_value(builder, value);
}

static void
add_bool(JsonBuilder *builder, const char *name, gboolean value)
{
	json_builder_set_member_name(builder, name);
	json_builder_add_boolean_value(builder, value);
}

static void
add_services(JsonBuilder *builder, const struct providers *providers,
	     guint32 services)
{
	json_builder_set_member_name(builder, "services");
	json_builder_begin_array(builder);
	for (guint i = 0; i < providers_need_count(providers); i++)
		if (services & (1u << i))
			json_builder_add_string_value(
				builder, providers_need_name(providers, i));
	json_builder_end_array(builder);
}

static gboolean
is_paused(const struct provider *provider, const struct match_state *state)
{
	return provider->paused || (state != NULL && state->paused);
}

void
intakectl_provider_json(JsonBuilder *builder, const struct providers *providers,
			const struct provider *provider,
			const struct match_state *state, gint64 now)
{
	json_builder_begin_object(builder);
	add_string(builder, "id", provider->id);
	add_string(builder, "name", provider->name);
	add_strv(builder, "contacts", provider->contacts);
	add_string(builder, "fingerprint", provider->fingerprint);
	add_services(builder, providers, provider->services);
	json_builder_set_member_name(builder, "regions");
	json_builder_begin_array(builder);
	for (guint i = 0; i < provider->region_count; i++)
		json_builder_add_string_value(builder,
					      provider->regions[i].text);
	json_builder_end_array(builder);
	add_strv(builder, "languages", provider->languages);

	json_builder_set_member_name(builder, "capacity");
	json_builder_begin_object(builder);
	add_int(builder, "max_open_cases", provider->max_open_cases);
	json_builder_set_member_name(builder, "pledged_hours");
	if (provider->pledged_hours > 0)
		json_builder_add_int_value(builder, provider->pledged_hours);
	else
		json_builder_add_null_value(builder);
	json_builder_end_object(builder);

	json_builder_set_member_name(builder, "availability");
	json_builder_begin_object(builder);
	add_bool(builder, "paused", is_paused(provider, state));
	add_string(builder, "timezone", provider->timezone);
	json_builder_set_member_name(builder, "on_call");
	json_builder_begin_array(builder);
	for (guint i = 0; i < provider->window_count; i++)
		json_builder_add_string_value(builder,
					      provider->windows[i].text);
	json_builder_end_array(builder);
	add_bool(builder, "on_call_now",
		 provider_on_call(providers, provider, now));
	json_builder_end_object(builder);

	add_string(builder, "offer", provider->offer);
	add_strv(builder, "domains", provider->domains);

	/* What the database says; null when the caller did not ask it. */
	json_builder_set_member_name(builder, "load");
	if (state != NULL) {
		json_builder_begin_object(builder);
		add_int(builder, "open_cases", state->open_cases);
		add_int(builder, "hours_used", state->hours_used);
		json_builder_end_object(builder);
	} else {
		json_builder_add_null_value(builder);
	}
	json_builder_end_object(builder);
}

static void
print_json(FILE *out, JsonBuilder *builder)
{
	g_autofree char *text = export_json_to_string(builder);

	fputs(text, out);
}

static char *
regions_text(const struct provider *provider)
{
	GString *out = g_string_new(NULL);

	for (guint i = 0; i < provider->region_count; i++)
		g_string_append_printf(out, "%s%s", i ? "," : "",
				       provider->regions[i].text);
	return g_string_free(out, FALSE);
}

static char *
load_text(const struct provider *provider, const struct match_state *state)
{
	GString *out = g_string_new(NULL);

	if (state != NULL)
		g_string_append_printf(out, "%d/", state->open_cases);
	g_string_append_printf(out, "%d", provider->max_open_cases);
	if (provider->pledged_hours > 0) {
		g_string_append(out, ", ");
		if (state != NULL)
			g_string_append_printf(out, "%d/", state->hours_used);
		g_string_append_printf(out, "%dh", provider->pledged_hours);
	}
	return g_string_free(out, FALSE);
}

/* A cell of width columns (values are ASCII ids and codes; names and
 * offers are not in the table). */
static void
cell(FILE *out, const char *text, int width, gboolean last)
{
	if (last)
		fprintf(out, "%s\n", text);
	else if ((int)strlen(text) > width)
		fprintf(out, "%.*s~ ", width - 1, text);
	else
		fprintf(out, "%-*s ", width, text);
}

int
intakectl_provider_list(FILE *out, const struct providers *providers,
			const struct match_state *states, gboolean json,
			gint64 now)
{
	guint count = providers_count(providers);

	if (json) {
		g_autoptr(JsonBuilder) builder = json_builder_new();

		json_builder_begin_array(builder);
		for (guint i = 0; i < count; i++)
			intakectl_provider_json(
				builder, providers, providers_at(providers, i),
				states ? &states[i] : NULL, now);
		json_builder_end_array(builder);
		print_json(out, builder);
		return 0;
	}
	cell(out, "ID", 20, FALSE);
	cell(out, "STATE", 8, FALSE);
	cell(out, "LANG", 11, FALSE);
	cell(out, "CAPACITY", 13, FALSE);
	cell(out, "REGIONS", 24, FALSE);
	cell(out, "SERVICES", 0, TRUE);
	for (guint i = 0; i < count; i++) {
		const struct provider *p = providers_at(providers, i);
		const struct match_state *state = states ? &states[i] : NULL;
		g_autofree char *languages = g_strjoinv(",", p->languages);
		g_autofree char *load = load_text(p, state);
		g_autofree char *regions = regions_text(p);
		g_autofree char *services =
			providers_needs_text(providers, p->services);
		const char *what = is_paused(p, state) ? "paused"
				   : provider_on_call(providers, p, now)
					   ? "on-call"
					   : "off-duty";

		cell(out, p->id, 20, FALSE);
		cell(out, what, 8, FALSE);
		cell(out, languages, 11, FALSE);
		cell(out, load, 13, FALSE);
		cell(out, regions, 24, FALSE);
		cell(out, services, 0, TRUE);
	}
	return 0;
}

static void
line(FILE *out, const char *key, const char *value)
{
	fprintf(out, "%-14s %s\n", key, value != NULL ? value : "-");
}

static void
line_strv(FILE *out, const char *key, char *const *values)
{
	g_autofree char *joined =
		values && values[0] ? g_strjoinv(", ", (char **)values) : NULL;

	line(out, key, joined);
}

int
intakectl_provider_show(FILE *out, FILE *err, const struct providers *providers,
			const struct match_state *states, const char *id,
			gboolean json, gint64 now)
{
	guint index = 0;
	const struct provider *p = providers_find(providers, id, &index);
	const struct match_state *state = NULL;
	g_autofree char *services = NULL;
	g_autofree char *regions = NULL;
	g_autofree char *load = NULL;
	g_autofree char *windows = NULL;

	if (p == NULL) {
		fprintf(err,
			"intakectl: provider show: no provider '%s' in %s\n",
			id, providers_path(providers));
		return 1;
	}
	state = states ? &states[index] : NULL;
	if (json) {
		g_autoptr(JsonBuilder) builder = json_builder_new();

		intakectl_provider_json(builder, providers, p, state, now);
		print_json(out, builder);
		return 0;
	}
	services = providers_needs_text(providers, p->services);
	regions = regions_text(p);
	load = load_text(p, state);
	{
		GString *text = g_string_new(NULL);

		for (guint i = 0; i < p->window_count; i++)
			g_string_append_printf(text, "%s%s", i ? ", " : "",
					       p->windows[i].text);
		if (p->window_count == 0)
			g_string_append(text, "always");
		g_string_append_printf(text, " (%s; %s now)", p->timezone,
				       provider_on_call(providers, p, now)
					       ? "on call"
					       : "off duty");
		windows = g_string_free(text, FALSE);
	}
	line(out, "id", p->id);
	line(out, "name", p->name);
	line_strv(out, "contacts", p->contacts);
	line(out, "fingerprint", p->fingerprint);
	line(out, "services", services);
	line(out, "regions", regions);
	line_strv(out, "languages", p->languages);
	line(out, "capacity", load);
	line(out, "paused", is_paused(p, state) ? "yes" : "no");
	line(out, "on call", windows);
	line_strv(out, "domains", p->domains);
	if (p->offer != NULL) {
		g_auto(GStrv) lines = g_strsplit(p->offer, "\n", -1);

		for (size_t i = 0; lines[i] != NULL; i++)
			line(out, i == 0 ? "offer" : "", lines[i]);
	} else {
		line(out, "offer", NULL);
	}
	return 0;
}
