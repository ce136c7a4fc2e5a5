/* test-provider-add.c — `intakectl provider add` edits providers.conf
 * text: the new group lands in the providers list, the operator's
 * comments and layout stay, and the result loads. */
#include <string.h>

#include "provider-add.h"
#include "providers.h"

static const char *const contacts[] = {"help@delta.example.test", NULL};
static const char *const services[] = {"forensics", "recovery", NULL};
static const char *const regions[] = {"BE", NULL};
static const char *const languages[] = {"nl", "en", NULL};
static const char *const on_call[] = {"Mon-Fri 08:00-18:00", NULL};

static const struct provider_new delta = {
	.id = "delta",
	.name = "Delta \"Hulp\" Team",
	.contacts = contacts,
	.services = services,
	.regions = regions,
	.languages = languages,
	.max_open_cases = 2,
	.pledged_hours = 16,
	.timezone = "Europe/Brussels",
	.on_call = on_call,
	.offer = "Forensics in Flanders.",
};

static struct providers *
load(const char *text)
{
	g_autoptr(GError) error = NULL;
	struct providers *p =
		providers_load_string(text, "t.conf", NULL, NULL, &error);

	if (error != NULL)
		g_test_message("%s\n---\n%s", error->message, text);
	g_assert_no_error(error);
	return p;
}

static void
test_into_existing_list(void)
{
	const char *text =
		"# our providers ( with a paren in a comment\n"
		"providers = (\n"
		"\t{\n\t\tid = \"alpha\"; name = \"A ) }\";\n"
		"\t\tcontacts = [ \"a@alpha.example.test\" ];\n"
		"\t\tservices = [ \"pentest\" ]; regions = [ \"*\" ];\n"
		"\t\tlanguages = [ \"en\" ];\n"
		"\t\tcapacity = { max_open_cases = 1; };\n"
		"\t} /* the last one */\n"
		");\n"
		"# trailing comment\n";
	g_autoptr(GError) error = NULL;
	g_autofree char *out = provider_add_to_text(text, &delta, &error);
	struct providers *p;

	g_assert_no_error(error);
	g_assert_nonnull(strstr(out, "# our providers ( with a paren"));
	g_assert_nonnull(strstr(out, "/* the last one */"));
	g_assert_nonnull(strstr(out, "# trailing comment"));
	p = load(out);
	g_assert_cmpuint(providers_count(p), ==, 2);
	g_assert_cmpstr(providers_at(p, 1)->id, ==, "delta");
	g_assert_cmpstr(providers_at(p, 1)->name, ==, "Delta \"Hulp\" Team");
	g_assert_cmpint(providers_at(p, 1)->max_open_cases, ==, 2);
	g_assert_cmpuint(providers_at(p, 1)->window_count, ==, 1);
	providers_unref(&p);
}

static void
test_empty_and_missing_list(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *empty =
		provider_add_to_text("providers = ( );\n", &delta, &error);
	g_autofree char *none = NULL;
	struct providers *p;

	g_assert_no_error(error);
	p = load(empty);
	g_assert_cmpuint(providers_count(p), ==, 1);
	providers_unref(&p);
	none = provider_add_to_text("# nothing yet", &delta, &error);
	g_assert_no_error(error);
	p = load(none);
	g_assert_cmpuint(providers_count(p), ==, 1);
	providers_unref(&p);
}

static void
test_refused(void)
{
	struct provider_new bad = delta;
	g_autoptr(GError) error = NULL;
	char *out;

	out = provider_add_to_text("providers = ( {\n", &delta, &error);
	g_assert_null(out);
	g_assert_nonnull(error);
	g_clear_error(&error);
	out = provider_add_to_text("providers = \"x\";\n", &delta, &error);
	g_assert_null(out);
	g_assert_nonnull(strstr(error->message, "not a list"));
	g_clear_error(&error);
	out = provider_add_to_text("# \"unterminated\nx = \"abc", &delta,
				   &error);
	g_assert_null(out);
	g_clear_error(&error);
	bad.offer = "line one\nline two";
	out = provider_add_to_text("", &bad, &error);
	g_assert_null(out);
	g_assert_nonnull(strstr(error->message, "control character"));
}

static void
test_duplicate_caught_by_loader(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *once = provider_add_to_text("", &delta, &error);
	g_autofree char *twice = provider_add_to_text(once, &delta, &error);
	struct providers *p;

	g_assert_no_error(error);
	p = providers_load_string(twice, "t.conf", NULL, NULL, &error);
	g_assert_null(p);
	g_assert_nonnull(strstr(error->message, "used twice"));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/provider-add/existing-list", test_into_existing_list);
	g_test_add_func("/provider-add/empty-and-missing",
			test_empty_and_missing_list);
	g_test_add_func("/provider-add/refused", test_refused);
	g_test_add_func("/provider-add/duplicate",
			test_duplicate_caught_by_loader);
	return g_test_run();
}
