/* test-intakectl-provider.c — the provider listing and detail view of
 * intakectl, in text and JSON, on the shipped providers.conf. */
#include <stdio.h>
#include <string.h>

#include "intakectl-provider.h"

/* 2026-12-07 10:00 in Brussels, a Monday. */
#define MONDAY_10 ((gint64)1796634000)

static struct providers *
load_shipped(void)
{
	const char *srcdir = g_getenv("INTAKED_SRCDIR");
	g_autofree char *path = g_build_filename(srcdir ? srcdir : ".", "conf",
						 "providers.conf", NULL);
	g_autoptr(GError) error = NULL;
	struct providers *providers = providers_load(path, NULL, NULL, &error);

	g_assert_no_error(error);
	return providers;
}

/* Runs print(out, err) on memory streams; returns stdout, *err_text gets
 * stderr (both new strings). */
typedef int (*printer)(FILE *out, FILE *err, gconstpointer data);

static char *
capture(printer print, gconstpointer data, int *status, char **err_text)
{
	char *out_text = NULL, *errors = NULL;
	size_t out_size = 0, err_size = 0;
	FILE *out = open_memstream(&out_text, &out_size);
	FILE *err = open_memstream(&errors, &err_size);

	*status = print(out, err, data);
	fclose(out);
	fclose(err);
	if (err_text != NULL)
		*err_text = errors;
	else
		free(errors);
	return out_text;
}

struct call {
	struct providers *providers;
	const struct match_state *states;
	const char *id;
	gboolean json;
};

static int
list(FILE *out, FILE *err, gconstpointer data)
{
	const struct call *c = data;

	return intakectl_provider_list(out, c->providers, c->states, c->json,
				       MONDAY_10);
}

static int
show(FILE *out, FILE *err, gconstpointer data)
{
	const struct call *c = data;

	return intakectl_provider_show(out, err, c->providers, c->states, c->id,
				       c->json, MONDAY_10);
}

static void
test_list_text(void)
{
	struct call c = {.providers = load_shipped()};
	struct match_state states[6] = {{0}};
	int status;
	char *text;

	text = capture(list, &c, &status, NULL);
	g_assert_cmpint(status, ==, 0);
	g_assert_true(g_str_has_prefix(text, "ID "));
	g_assert_nonnull(strstr(text, "\nghent-ir "));
	g_assert_nonnull(strstr(text, " on-call "));
	g_assert_nonnull(strstr(text, "\nhospital-peers       paused "));
	g_assert_nonnull(
		strstr(text, "incident_response,forensics,recovery\n"));
	{
		g_auto(GStrv) lines = g_strsplit(text, "\n", -1);

		/* a heading, six providers, and the final new line */
		g_assert_cmpuint(g_strv_length(lines), ==, 8);
	}
	free(text);

	/* With the database's state: load and pause from intakectl. */
	states[0].open_cases = 2;
	states[0].hours_used = 30;
	states[1].paused = TRUE;
	c.states = states;
	text = capture(list, &c, &status, NULL);
	g_assert_nonnull(strstr(text, " 2/3, 30/120h "));
	g_assert_nonnull(strstr(text, "\nwallonie-secours     paused "));
	free(text);
	providers_unref(&c.providers);
}

static void
test_list_json(void)
{
	struct call c = {.providers = load_shipped(), .json = TRUE};
	g_autoptr(JsonParser) parser = json_parser_new();
	g_autoptr(GError) error = NULL;
	JsonArray *array;
	JsonObject *ghent, *capacity, *availability;
	int status;
	char *text = capture(list, &c, &status, NULL);

	g_assert_cmpint(status, ==, 0);
	g_assert_true(json_parser_load_from_data(parser, text, -1, &error));
	g_assert_no_error(error);
	array = json_node_get_array(json_parser_get_root(parser));
	g_assert_cmpuint(json_array_get_length(array), ==, 6);
	ghent = json_array_get_object_element(array, 0);
	g_assert_cmpstr(json_object_get_string_member(ghent, "id"), ==,
			"ghent-ir");
	g_assert_cmpstr(json_object_get_string_member(ghent, "fingerprint"), ==,
			"3F2A9C417B0E55D1A8C60E9B4D271F83C6A0B512");
	g_assert_cmpuint(json_array_get_length(json_object_get_array_member(
				 ghent, "services")),
			 ==, 3);
	capacity = json_object_get_object_member(ghent, "capacity");
	g_assert_cmpint(json_object_get_int_member(capacity, "max_open_cases"),
			==, 3);
	availability = json_object_get_object_member(ghent, "availability");
	g_assert_true(
		json_object_get_boolean_member(availability, "on_call_now"));
	g_assert_false(json_object_get_boolean_member(availability, "paused"));
	g_assert_true(json_object_get_null_member(ghent, "load"));
	/* No hour budget and no key: null, not 0. */
	g_assert_true(json_object_get_null_member(
		json_object_get_object_member(
			json_array_get_object_element(array, 3), "capacity"),
		"pledged_hours"));
	g_assert_true(json_object_get_null_member(
		json_array_get_object_element(array, 1), "fingerprint"));
	free(text);
	providers_unref(&c.providers);
}

static void
test_show(void)
{
	struct call c = {.providers = load_shipped(),
			 .id = "forensics-collective"};
	struct match_state states[6] = {{0}};
	g_autofree char *errors = NULL;
	int status;
	char *text = capture(show, &c, &status, NULL);

	g_assert_cmpint(status, ==, 0);
	g_assert_nonnull(strstr(text, "id             forensics-collective\n"));
	g_assert_nonnull(strstr(
		text,
		"fingerprint    9D1E44B07C23A5F6E8B1D09C3A7E2F1045B6C8D2\n"));
	g_assert_nonnull(strstr(text, "regions        BE,NL,LU\n"));
	g_assert_nonnull(strstr(text, "(Europe/Amsterdam; on call now)"));
	free(text);

	states[2].open_cases = 4;
	c.states = states;
	c.json = TRUE;
	text = capture(show, &c, &status, NULL);
	g_assert_nonnull(strstr(text, "\"open_cases\" : 4"));
	free(text);

	c.id = "nobody";
	text = capture(show, &c, &status, &errors);
	g_assert_cmpint(status, ==, 1);
	g_assert_cmpstr(text, ==, "");
	g_assert_true(g_str_has_prefix(
		errors, "intakectl: provider show: no provider 'nobody' in "));
	free(text);
	providers_unref(&c.providers);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/intakectl-provider/list-text", test_list_text);
	g_test_add_func("/intakectl-provider/list-json", test_list_json);
	g_test_add_func("/intakectl-provider/show", test_show);
	return g_test_run();
}
