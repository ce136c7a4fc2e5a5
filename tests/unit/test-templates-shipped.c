/* test-templates-shipped.c — every shipped template of every kind, in
 * every language, loads and renders with values of every variable: the
 * subject keeps the case tag and body lines stay readable.  With
 * INTAKED_TEMPLATE_DUMP set, each rendering is printed (as TAP comments)
 * to read them. */
#include <string.h>

#include "templates.h"

/* `make check` runs from the repository root; INTAKED_SRCDIR overrides. */
static char *
source_path(const char *name)
{
	const char *srcdir = g_getenv("INTAKED_SRCDIR");

	return g_build_filename(srcdir ? srcdir : ".", name, NULL);
}

static const char *const languages[] = {"en", "nl", "fr", "de", NULL};

/* Body lines longer than this are a layout mistake (docs/templates.md
 * asks for under 76 with the values; the samples are short). */
#define MAX_LINE_CHARS 76

/* Kinds whose body may hold lines the CERT does not write: the key
 * block, a quarantined sender's subject. */
static gboolean
line_length_checked(const char *kind)
{
	return strcmp(kind, "key_request") != 0;
}

static void
add_item(struct template_context *context, const char *list,
	 const char *const *pairs)
{
	struct template_context *item =
		template_context_add_item(context, list);

	for (gsize i = 0; pairs[i] != NULL; i += 2)
		template_context_set(item, pairs[i], pairs[i + 1]);
}

/* Every variable set: lists get two items, booleans TRUE. */
static struct template_context *
full_context(void)
{
	struct template_context *c = template_context_new();
	static const char *const strings[] = {
		"cert_name",
		"Test CERT",
		"cert_address",
		"cert@example.test",
		"case_id",
		"2026-0042",
		"case_tag",
		"CERT-2026-0042",
		"requester_name",
		"Anna de Vries",
		"requester_address",
		"anna@hospital.test",
		"original_subject",
		"Strange mail on our servers",
		"received_at",
		"2026-12-03 09:15 UTC",
		"language",
		"en",
		"excerpt",
		"Yes, but first ask our DPO",
		"provider_name",
		"Example Volunteers",
		"deadline",
		"2026-12-05 14:00 UTC",
		"uncovered",
		"awareness training",
		"declined",
		"Example Volunteers",
		"reason",
		"sample reason",
		"priority",
		"high",
		"from_address",
		"someone@elsewhere.test",
		"rounds",
		"2",
		"message_ref",
		"7",
		"size",
		"1024",
		"mailbox",
		"Quarantine",
		"cert_fingerprint",
		"ABCD 1234",
		"cert_key",
		"KEY",
		"address",
		"anna@hospital.test",
		"pinned_fingerprint",
		"ABCD",
		"new_fingerprint",
		"EF01",
		"asked_at",
		"2026-12-03 09:15 UTC",
		"round",
		"1",
		"max_rounds",
		"3",
		NULL,
	};
	static const char *const bools[] = {
		"again",	"has_providers", "has_uncovered",
		"was_declined", "has_questions", "has_required",
		"has_noted",	"undecryptable", NULL,
	};
	static const char *const shared1[] = {"label", "Organisation", "value",
					      "Example Hospital", NULL};
	static const char *const shared2[] = {"label", "Contact", "value",
					      "anna@hospital.test", NULL};
	static const char *const need1[] = {"label", "Forensic investigation",
					    NULL};
	static const char *const need2[] = {"label", "Recovery", NULL};
	static const char *const provider1[] = {
		"name",	 "Example Volunteers",	"offer", "forensics on site",
		"needs", "forensics, recovery", NULL};
	static const char *const provider2[] = {
		"name",	 "Second Helpers", "offer", "remote advice",
		"needs", "awareness",	   NULL};
	static const char *const question1[] = {
		"number",   "1",
		"question", "Which systems are affected?",
		"label",    "Systems",
		"field",    "systems",
		"required", "1",
		NULL};
	static const char *const field1[] = {
		"label", "Care impact", "field", "care_impact",
		"value", "no",		NULL};

	for (gsize i = 0; strings[i] != NULL; i += 2)
		template_context_set(c, strings[i], strings[i + 1]);
	for (gsize i = 0; bools[i] != NULL; i++)
		template_context_set_bool(c, bools[i], TRUE);
	add_item(c, "shared", shared1);
	add_item(c, "shared", shared2);
	add_item(c, "needs", need1);
	add_item(c, "needs", need2);
	add_item(c, "providers", provider1);
	add_item(c, "providers", provider2);
	add_item(c, "questions", question1);
	add_item(c, "fields", field1);
	add_item(c, "noted", field1);
	return c;
}

static void
check_rendering(const char *kind, const char *lang,
		const struct mail_template_output *output)
{
	const char *subject = mail_template_output_header(output, "Subject");
	g_auto(GStrv) lines = g_strsplit(output->body, "\n", -1);

	g_assert_nonnull(subject);
	if (strcmp(kind, "quarantine_notice") != 0 &&
	    strcmp(kind, "key_conflict") != 0 &&
	    !g_str_has_prefix(subject, "[CERT-2026-0042]"))
		g_error("%s/%s: subject \"%s\" does not start with the case "
			"tag",
			lang, kind, subject);
	if (strstr(output->body, "{{") != NULL)
		g_error("%s/%s: a tag is left in the body", lang, kind);
	for (gsize i = 0; lines[i] != NULL; i++) {
		glong chars = g_utf8_strlen(lines[i], -1);

		if (line_length_checked(kind) && chars > MAX_LINE_CHARS)
			g_error("%s/%s: body line %zu has %ld characters: %s",
				lang, kind, i + 1, chars, lines[i]);
	}
	if (g_getenv("INTAKED_TEMPLATE_DUMP") != NULL) {
		g_test_message("==== %s/%s  Subject: %s", lang, kind, subject);
		for (gsize i = 0; lines[i] != NULL; i++)
			g_test_message("| %s", lines[i]);
	}
}

/* Every kind is shipped in every language, not only the fallback. */
static void
test_every_kind_every_language(void)
{
	g_autofree char *dir = source_path("templates");

	for (const char *const *kind = templates_kinds(); *kind != NULL; kind++)
		for (gsize l = 0; languages[l] != NULL; l++) {
			g_autofree char *file =
				g_strconcat(*kind, ".tmpl", NULL);
			g_autofree char *path =
				g_build_filename(dir, languages[l], file, NULL);

			if (!g_file_test(path, G_FILE_TEST_EXISTS))
				g_error("%s: not shipped", path);
		}
}

static void
test_render_all(void)
{
	g_autofree char *dir = source_path("templates");
	g_autoptr(GError) error = NULL;
	struct templates *templates = templates_load(dir, languages, &error);
	struct template_context *context = full_context();

	g_assert_no_error(error);
	for (const char *const *kind = templates_kinds(); *kind != NULL; kind++)
		for (gsize l = 0; languages[l] != NULL; l++) {
			struct mail_template_output output = {0};
			const char *used = NULL;

			g_assert_true(templates_render(templates, *kind,
						       languages[l], context,
						       &output, &used, &error));
			g_assert_no_error(error);
			g_assert_cmpstr(used, ==, languages[l]);
			check_rendering(*kind, languages[l], &output);
			mail_template_output_clear(&output);
		}
	template_context_free(&context);
	templates_unref(&templates);
}

/* Booleans false and lists empty: the other branches render too. */
static void
test_render_empty(void)
{
	g_autofree char *dir = source_path("templates");
	g_autoptr(GError) error = NULL;
	struct templates *templates = templates_load(dir, languages, &error);
	struct template_context *context = template_context_new();

	g_assert_no_error(error);
	template_context_set(context, "case_tag", "CERT-2026-0042");
	template_context_set(context, "case_id", "2026-0042");
	for (const char *const *kind = templates_kinds(); *kind != NULL; kind++)
		for (gsize l = 0; languages[l] != NULL; l++) {
			struct mail_template_output output = {0};

			g_assert_true(templates_render(templates, *kind,
						       languages[l], context,
						       &output, NULL, &error));
			check_rendering(*kind, languages[l], &output);
			mail_template_output_clear(&output);
		}
	template_context_free(&context);
	templates_unref(&templates);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/templates-shipped/every-kind-every-language",
			test_every_kind_every_language);
	g_test_add_func("/templates-shipped/render-all", test_render_all);
	g_test_add_func("/templates-shipped/render-empty", test_render_empty);
	return g_test_run();
}
