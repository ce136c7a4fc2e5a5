/* test-config.c — intaked.conf loading: values, defaults and every kind
 * of error, with secret files in a private temp dir. */
#include <string.h>
#include <sys/stat.h>
#include <glib/gstdio.h>

#include "config.h"

static char *test_dir;	/* holds the secret files; removed at the end */
static char *test_name; /* test_dir/test.conf: relative paths resolve here */

static const char token_secret[] =
	"0123456789abcdef0123456789abcdef0123456789abcdef";

static void
write_file(const char *name, const char *contents, gssize length, int mode)
{
	g_autofree char *path = g_build_filename(test_dir, name, NULL);
	g_autoptr(GError) error = NULL;

	g_file_set_contents(path, contents, length, &error);
	g_assert_no_error(error);
	g_assert_cmpint(g_chmod(path, mode), ==, 0);
}

static void
remove_file(const char *name)
{
	g_autofree char *path = g_build_filename(test_dir, name, NULL);

	g_unlink(path);
}

/* The smallest valid configuration, one key per entry, groups implied by
 * the key paths.  Secret files are relative to test_dir. */
struct entry {
	const char *path;
	const char *value; /* libconfig text; NULL: leave the key out */
};

static const struct entry minimal[] = {
	{"database", "\"intaked.db\""},
	{"templates", "\"/usr/share/intaked/templates\""},
	{"identity.address", "\"cert@example.org\""},
	{"identity.token_secret_file", "\"token.secret\""},
	{"imap.host", "\"127.0.0.1\""},
	{"imap.username", "\"cert\""},
	{"imap.password_file", "\"imap.password\""},
	{"smtp.host", "\"127.0.0.1\""},
	{"smtp.username", "\"cert\""},
	{"smtp.password_file", "\"smtp.password\""},
};

static gboolean
names_group(const char *path)
{
	size_t len = strlen(path);

	for (size_t i = 0; i < G_N_ELEMENTS(minimal); i++)
		if (strncmp(minimal[i].path, path, len) == 0 &&
		    minimal[i].path[len] == '.')
			return TRUE;
	return FALSE;
}

/* Renders minimal[] with override applied (replacing the key of the same
 * path, or added; a path naming a whole group replaces the group). */
static char *
render(const struct entry *override)
{
	g_autoptr(GPtrArray) entries = g_ptr_array_new();
	g_autoptr(GPtrArray) groups = g_ptr_array_new_with_free_func(g_free);
	GString *text = g_string_new(NULL);
	gboolean replaced = FALSE;

	for (size_t i = 0; i < G_N_ELEMENTS(minimal); i++) {
		if (override && strcmp(override->path, minimal[i].path) == 0) {
			replaced = TRUE;
			if (override->value != NULL)
				g_ptr_array_add(entries, (gpointer) override);
			continue;
		}
		g_ptr_array_add(entries, (gpointer)&minimal[i]);
	}
	if (override && !replaced && override->value != NULL)
		g_ptr_array_add(entries, (gpointer) override);

	for (guint i = 0; i < entries->len; i++) {
		const struct entry *e = entries->pdata[i];
		const char *dot = strchr(e->path, '.');

		if (dot == NULL) {
			/* A group replaced by a scalar is written in its
			 * group's place below. */
			if (e != override || !names_group(e->path))
				g_string_append_printf(text, "%s = %s;\n",
						       e->path, e->value);
			continue;
		}
		g_autofree char *group = g_strndup(e->path, dot - e->path);
		if (!g_ptr_array_find_with_equal_func(groups, group,
						      g_str_equal, NULL))
			g_ptr_array_add(groups, g_steal_pointer(&group));
	}
	for (guint g = 0; g < groups->len; g++) {
		const char *group = groups->pdata[g];
		size_t len = strlen(group);

		if (override && strcmp(override->path, group) == 0) {
			g_string_append_printf(text, "%s = %s;\n", group,
					       override->value);
			continue;
		}
		g_string_append_printf(text, "%s = {\n", group);
		for (guint i = 0; i < entries->len; i++) {
			const struct entry *e = entries->pdata[i];

			if (strncmp(e->path, group, len) == 0 &&
			    e->path[len] == '.')
				g_string_append_printf(text, "\t%s = %s;\n",
						       e->path + len + 1,
						       e->value);
		}
		g_string_append(text, "};\n");
	}
	return g_string_free(text, FALSE);
}

static struct config *
load_override(const struct entry *override, GError **error)
{
	g_autofree char *text = render(override);

	return config_load_string(text, test_name, error);
}

static char *
in_dir(const char *name)
{
	return g_build_filename(test_dir, name, NULL);
}

/* --- valid configurations ------------------------------------------- */

static const char full_config[] =
	"database = \"intaked.db\";\n"
	"templates = \"/usr/share/intaked/templates\";\n"
	"log_level = \"debug\";\n"
	"languages = [ \"nl\", \"en\" ];\n"
	"identity = {\n"
	"\taddress = \"cert@example.org\";\n"
	"\tname = \"Example CERT\";\n"
	"\tcase_prefix = \"NCSC-Z\";\n"
	"\ttoken_secret_file = \"token.secret\";\n"
	"\tstaff_address = \"staff@example.org\";\n"
	"};\n"
	"imap = {\n"
	"\thost = \"127.0.0.1\";\n"
	"\tport = 10993;\n"
	"\ttls = \"starttls\";\n"
	"\tca_file = \"/etc/ssl/test-ca.pem\";\n"
	"\tusername = \"cert@example.org\";\n"
	"\tpassword_file = \"imap.password\";\n"
	"\tmailbox = \"INBOX.cert\";\n"
	"\tprocessed_mailbox = \"Done\";\n"
	"\tquarantine_mailbox = \"Big\";\n"
	"\tidle = false;\n"
	"\tpoll_interval = 30;\n"
	"\tidle_restart = 600;\n"
	"\ttimeout = 20;\n"
	"\treconnect_max = 120;\n"
	"};\n"
	"smtp = {\n"
	"\thost = \"::1\";\n"
	"\tport = 10465;\n"
	"\ttls = \"implicit\";\n"
	"\tca_file = \"ca.pem\";\n"
	"\tusername = \"cert\";\n"
	"\tpassword_file = \"smtp.password\";\n"
	"\thelo_name = \"mx.example.org\";\n"
	"\ttimeout = 30;\n"
	"\tretry_initial = 10;\n"
	"\tretry_max = 600;\n"
	"\tgive_up_after = 3600;\n"
	"};\n"
	"limits = {\n"
	"\tmax_message_bytes = 2147483647;\n"
	"\tmax_mime_depth = 8;\n"
	"\tmax_mime_parts = 50;\n"
	"\tmax_header_bytes = 65536;\n"
	"\tnew_cases_per_sender_per_hour = 3;\n"
	"\tauto_replies_per_sender_per_hour = 0;\n"
	"};\n";

static void
test_full(void)
{
	g_autoptr(GError) error = NULL;
	struct config *config;
	g_autofree char *database = in_dir("intaked.db");
	g_autofree char *ca = in_dir("ca.pem");
	const char *const languages[] = {"nl", "en", NULL};
	gsize secret_len = 0;
	const void *secret;

	config = config_load_string(full_config, test_name, &error);
	g_assert_no_error(error);
	g_assert_nonnull(config);
	g_assert_cmpstr(config->path, ==, test_name);
	g_assert_cmpstr(config->database, ==, database);
	g_assert_cmpstr(config->templates, ==, "/usr/share/intaked/templates");
	g_assert_cmpstr(config->log_level, ==, "debug");
	g_assert_true(g_strv_equal((const char *const *)config->languages,
				   languages));
	g_assert_cmpstr(config->identity.address, ==, "cert@example.org");
	g_assert_cmpstr(config->identity.domain, ==, "example.org");
	g_assert_cmpstr(config->identity.name, ==, "Example CERT");
	g_assert_cmpstr(config->identity.case_prefix, ==, "NCSC-Z");
	g_assert_cmpstr(config->identity.staff_address, ==,
			"staff@example.org");
	secret = g_bytes_get_data(config->identity.token_secret, &secret_len);
	g_assert_cmpmem(secret, secret_len, token_secret,
			sizeof(token_secret) - 1);

	g_assert_cmpstr(config->imap.host, ==, "127.0.0.1");
	g_assert_cmpint(config->imap.port, ==, 10993);
	g_assert_cmpint(config->imap.tls, ==, CONFIG_TLS_STARTTLS);
	g_assert_cmpstr(config->imap.ca_file, ==, "/etc/ssl/test-ca.pem");
	g_assert_cmpstr(config->imap.username, ==, "cert@example.org");
	g_assert_cmpstr(config->imap.password, ==, "imap secret");
	g_assert_cmpstr(config->imap.mailbox, ==, "INBOX.cert");
	g_assert_cmpstr(config->imap.processed_mailbox, ==, "Done");
	g_assert_cmpstr(config->imap.quarantine_mailbox, ==, "Big");
	g_assert_false(config->imap.idle);
	g_assert_cmpint(config->imap.poll_interval, ==, 30);
	g_assert_cmpint(config->imap.idle_restart, ==, 600);
	g_assert_cmpint(config->imap.timeout, ==, 20);
	g_assert_cmpint(config->imap.reconnect_max, ==, 120);

	g_assert_cmpstr(config->smtp.host, ==, "::1");
	g_assert_cmpint(config->smtp.port, ==, 10465);
	g_assert_cmpint(config->smtp.tls, ==, CONFIG_TLS_IMPLICIT);
	g_assert_cmpstr(config->smtp.ca_file, ==, ca);
	g_assert_cmpstr(config->smtp.username, ==, "cert");
	g_assert_cmpstr(config->smtp.password, ==, "smtp-secret");
	g_assert_cmpstr(config->smtp.helo_name, ==, "mx.example.org");
	g_assert_cmpint(config->smtp.timeout, ==, 30);
	g_assert_cmpint(config->smtp.retry_initial, ==, 10);
	g_assert_cmpint(config->smtp.retry_max, ==, 600);
	g_assert_cmpint(config->smtp.give_up_after, ==, 3600);

	g_assert_cmpint(config->limits.max_message_bytes, ==, 2147483647);
	g_assert_cmpint(config->limits.max_mime_depth, ==, 8);
	g_assert_cmpint(config->limits.max_mime_parts, ==, 50);
	g_assert_cmpint(config->limits.max_header_bytes, ==, 65536);
	g_assert_cmpint(config->limits.new_cases_per_sender_per_hour, ==, 3);
	g_assert_cmpint(config->limits.auto_replies_per_sender_per_hour, ==, 0);
	config_unref(&config);
	g_assert_null(config);
}

static void
test_defaults(void)
{
	g_autoptr(GError) error = NULL;
	struct config *config = load_override(NULL, &error);
	const char *const languages[] = {"en", "nl", "fr", "de", NULL};

	g_assert_no_error(error);
	g_assert_cmpstr(config->log_level, ==, "info");
	g_assert_true(g_strv_equal((const char *const *)config->languages,
				   languages));
	g_assert_cmpstr(config->identity.name, ==, "");
	g_assert_cmpstr(config->identity.case_prefix, ==, "CERT");
	g_assert_null(config->identity.staff_address);
	g_assert_cmpint(config->imap.port, ==, 993);
	g_assert_cmpint(config->imap.tls, ==, CONFIG_TLS_IMPLICIT);
	g_assert_null(config->imap.ca_file);
	g_assert_cmpstr(config->imap.mailbox, ==, "INBOX");
	g_assert_cmpstr(config->imap.processed_mailbox, ==, "Processed");
	g_assert_cmpstr(config->imap.quarantine_mailbox, ==, "Quarantine");
	g_assert_true(config->imap.idle);
	g_assert_cmpint(config->imap.poll_interval, ==, 60);
	g_assert_cmpint(config->imap.idle_restart, ==, 1500);
	g_assert_cmpint(config->imap.timeout, ==, 60);
	g_assert_cmpint(config->imap.reconnect_max, ==, 300);
	g_assert_cmpint(config->smtp.port, ==, 587);
	g_assert_cmpint(config->smtp.tls, ==, CONFIG_TLS_STARTTLS);
	g_assert_null(config->smtp.ca_file);
	g_assert_null(config->smtp.helo_name);
	g_assert_cmpint(config->smtp.retry_initial, ==, 60);
	g_assert_cmpint(config->smtp.retry_max, ==, 3600);
	g_assert_cmpint(config->smtp.give_up_after, ==, 172800);
	g_assert_cmpint(config->limits.max_message_bytes, ==, 26214400);
	g_assert_cmpint(config->limits.max_mime_depth, ==, 32);
	g_assert_cmpint(config->limits.max_mime_parts, ==, 500);
	g_assert_cmpint(config->limits.max_header_bytes, ==, 262144);
	g_assert_cmpint(config->limits.new_cases_per_sender_per_hour, ==, 10);
	g_assert_cmpint(config->limits.auto_replies_per_sender_per_hour, ==, 5);
	config_unref(&config);
}

/* Values that load, and what they load as. */
static void
test_accepted_values(void)
{
	g_autoptr(GError) error = NULL;
	struct config *config;
	const struct entry starttls = {"imap.tls", "\"starttls\""};
	const struct entry implicit = {"smtp.tls", "\"implicit\""};
	const struct entry empty = {"identity.staff_address", "\"\""};
	const struct entry big = {"limits.max_message_bytes", "2147483647L"};
	const struct entry list = {"languages", "( \"de\" )"};

	config = load_override(&starttls, &error);
	g_assert_no_error(error);
	g_assert_cmpint(config->imap.port, ==, 143);
	config_unref(&config);

	config = load_override(&implicit, &error);
	g_assert_no_error(error);
	g_assert_cmpint(config->smtp.port, ==, 465);
	config_unref(&config);

	config = load_override(&empty, &error);
	g_assert_no_error(error);
	g_assert_null(config->identity.staff_address);
	config_unref(&config);

	config = load_override(&big, &error);
	g_assert_no_error(error);
	g_assert_cmpint(config->limits.max_message_bytes, ==, G_MAXINT32);
	config_unref(&config);

	config = load_override(&list, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(config->languages[0], ==, "de");
	g_assert_null(config->languages[1]);
	config_unref(&config);
}

static void
test_required(void)
{
	for (size_t i = 0; i < G_N_ELEMENTS(minimal); i++) {
		const struct entry omit = {minimal[i].path, NULL};
		g_autoptr(GError) error = NULL;
		g_autofree char *expected =
			g_strdup_printf("%s is required", minimal[i].path);
		struct config *config = load_override(&omit, &error);

		g_test_message("without %s", minimal[i].path);
		g_assert_null(config);
		g_assert_nonnull(error);
		g_assert_nonnull(strstr(error->message, expected));
		/* Exactly one problem. */
		g_assert_null(strchr(error->message, '\n'));
	}
}

/* --- one wrong setting, one line of error --------------------------- */

struct bad_case {
	struct entry entry;
	const char *expected; /* the whole error after "file:line: " */
};

static const struct bad_case bad_cases[] = {
	{{"imap.hots", "\"x\""},
	 "unknown key 'imap.hots'; did you mean 'imap.host'?"},
	{{"databse", "\"x\""},
	 "unknown key 'databse'; did you mean 'database'?"},
	{{"imap.case_prefix", "\"X\""},
	 "unknown key 'imap.case_prefix'; did you mean "
	 "'identity.case_prefix'?"},
	{{"frobnicate", "1"}, "unknown key 'frobnicate'"},
	{{"limits.frobnicate", "1"}, "unknown key 'limits.frobnicate'"},
	{{"imap", "5"}, "imap must be a group { }"},
	{{"imap.port", "\"993\""}, "imap.port must be an integer"},
	{{"imap.port", "993.0"}, "imap.port must be an integer"},
	{{"imap.port", "70000"}, "imap.port = 70000 is out of range 1..65535"},
	{{"imap.port", "0"}, "imap.port = 0 is out of range 1..65535"},
	{{"imap.port", "-1"}, "imap.port = -1 is out of range 1..65535"},
	{{"imap.idle", "1"}, "imap.idle must be true or false"},
	{{"imap.host", "7"}, "imap.host must be a string"},
	{{"imap.host", "\"\""}, "imap.host must not be empty"},
	{{"imap.username", "\"a\\nb\""},
	 "imap.username contains a control character"},
	/* libconfig 1.5 truncates these silently. */
	{{"limits.max_message_bytes", "5000000000"},
	 "limits.max_message_bytes = 5000000000 is out of range "
	 "1024..2147483647"},
	{{"limits.max_message_bytes", "5000000000L"},
	 "limits.max_message_bytes = 5000000000 is out of range "
	 "1024..2147483647"},
	{{"limits.max_message_bytes", "2147483648"},
	 "limits.max_message_bytes = 2147483648 is out of range "
	 "1024..2147483647"},
	{{"limits.max_message_bytes", "99999999999999999999"},
	 "limits.max_message_bytes = 99999999999999999999 is out of range "
	 "1024..2147483647"},
	{{"limits.max_mime_depth", "-2147483649"},
	 "limits.max_mime_depth = -2147483649 is out of range 1..256"},
	{{"imap.timeout", "0xFFFFFFFF"},
	 "imap.timeout = 4294967295 is out of range 5..600"},
	{{"limits.max_mime_parts", "4294967297"},
	 "limits.max_mime_parts = 4294967297 is out of range 1..100000"},
	{{"imap.tls", "\"none\""},
	 "imap.tls = \"none\" is not \"implicit\" or \"starttls\"; TLS is "
	 "mandatory: intaked never logs in without it"},
	{{"smtp.tls", "\"ssl\""},
	 "smtp.tls = \"ssl\" is not \"implicit\" or \"starttls\"; TLS is "
	 "mandatory: intaked never logs in without it"},
	{{"languages", "[]"}, "languages must name at least one language"},
	{{"languages", "[ \"en\", \"xx\" ]"},
	 "languages has \"xx\"; supported are en, nl, fr, de"},
	{{"languages", "[ \"nl\", \"nl\" ]"}, "languages lists \"nl\" twice"},
	{{"languages", "\"en\""}, "languages must be a list of strings"},
	{{"languages", "( \"en\", 1 )"}, "languages must be a list of strings"},
	{{"log_level", "\"loud\""},
	 "log_level = \"loud\" is not debug, info, warning or error"},
	{{"identity.case_prefix", "\"CE RT\""},
	 "identity.case_prefix may only contain letters, digits and '-'"},
	{{"identity.case_prefix", "\"ABCDEFGHIJKLMNOPQ\""},
	 "identity.case_prefix must be 1..16 characters"},
	{{"identity.case_prefix", "\"\""},
	 "identity.case_prefix must not be empty"},
	{{"identity.address", "\"cert\""},
	 "identity.address = \"cert\" is not an address like "
	 "local@example.org"},
	{{"identity.address", "\"cert@\""},
	 "identity.address = \"cert@\" is not an address like "
	 "local@example.org"},
	{{"identity.address", "\"Cert <cert@example.org>\""},
	 "identity.address = \"Cert <cert@example.org>\" is not an address "
	 "like local@example.org"},
	{{"identity.address", "\"cert@example..org\""},
	 "identity.address = \"cert@example..org\" is not an address like "
	 "local@example.org"},
	{{"identity.staff_address", "\"a@@b\""},
	 "identity.staff_address = \"a@@b\" is not an address like "
	 "local@example.org"},
	{{"smtp.retry_initial", "7200"},
	 "smtp.retry_initial = 7200 is larger than smtp.retry_max = 3600"},
};

static void
test_bad_value(gconstpointer data)
{
	const struct bad_case *c = data;
	g_autoptr(GError) error = NULL;
	struct config *config = load_override(&c->entry, &error);
	const char *colon;

	g_assert_null(config);
	g_assert_nonnull(error);
	/* "…/test.conf:N: " then the expected text, and nothing else. */
	g_assert_true(g_str_has_prefix(error->message, test_name));
	colon = strstr(error->message + strlen(test_name), ": ");
	g_assert_nonnull(colon);
	g_assert_cmpstr(colon + 2, ==, c->expected);
}

/* --- locations -------------------------------------------------------- */

static void
test_many_errors(void)
{
	static const char text[] =
		"database = \"intaked.db\";\n"		    /* 1 */
		"templates = \"t\";\n"			    /* 2 */
		"identity = {\n"			    /* 3 */
		"\taddress = \"cert@example.org\";\n"	    /* 4 */
		"\ttoken_secret_file = \"token.secret\";\n" /* 5 */
		"\tadress = \"x\";\n"			    /* 6 */
		"};\n"					    /* 7 */
		"imap = {\n"				    /* 8 */
		"\thost = \"h\"; port = 70000;\n"	    /* 9 */
		"\tusername = \"u\"; password_file = \"imap.password\";\n"
		"\ttls = \"none\";\n"				       /* 11 */
		"};\n"						       /* 12 */
		"smtp = { host = \"s\"; username = \"u\"; timeout =\n" /* 13 */
		"  5000000000; };\n"				       /* 14 */
		"limits = { max_mime_depth = 2; }; limits2 = 1;\n";    /* 15 */
	g_autoptr(GError) error = NULL;
	g_autofree char *expected = g_strdup_printf(
		"%1$s:15: unknown key 'limits2'; did you mean 'limits'?\n"
		"%1$s:6: unknown key 'identity.adress'; did you mean "
		"'identity.address'?\n"
		"%1$s:9: imap.port = 70000 is out of range 1..65535\n"
		"%1$s:11: imap.tls = \"none\" is not \"implicit\" or "
		"\"starttls\"; TLS is mandatory: intaked never logs in "
		"without it\n"
		"%1$s:13: smtp.password_file is required\n"
		"%1$s:13: smtp.timeout = 5000000000 is out of range 5..600",
		test_name);
	struct config *config = config_load_string(text, test_name, &error);

	g_assert_null(config);
	g_assert_nonnull(error);
	/* Unknown keys come first (a walk of the tree), then the table's
	 * order; compare the set of lines, each with its own line number. */
	g_auto(GStrv) got = g_strsplit(error->message, "\n", -1);
	g_auto(GStrv) want = g_strsplit(expected, "\n", -1);
	g_test_message("%s", error->message);
	g_assert_cmpuint(g_strv_length(got), ==, g_strv_length(want));
	for (size_t i = 0; want[i] != NULL; i++)
		g_assert_true(
			g_strv_contains((const char *const *)got, want[i]));
}

static void
test_parse_error(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *expected =
		g_strdup_printf("%s:2: syntax error", test_name);
	struct config *config = config_load_string(
		"database = \"x\";\ntemplates = = 1;\n", test_name, &error);

	g_assert_null(config);
	g_assert_cmpstr(error->message, ==, expected);
}

static void
test_missing_file(void)
{
	g_autoptr(GError) error = NULL;
	struct config *config =
		config_load("/nonexistent/intaked.conf", &error);

	g_assert_null(config);
	g_assert_cmpstr(error->message, ==,
			"/nonexistent/intaked.conf: cannot read: No such file "
			"or directory");
}

/* config_load() from a file, with relative paths and an @include that
 * resolve against the file's directory, not the working directory. */
static void
test_load_file_and_include(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *text = render(NULL);
	g_autofree char *with_include =
		g_strconcat(text, "@include \"extra.conf\"\n", NULL);
	g_autofree char *path = in_dir("intaked.conf");
	g_autofree char *database = in_dir("intaked.db");
	struct config *config, *second;

	g_assert_cmpint(g_chdir("/"), ==, 0);
	write_file("extra.conf", "limits = { max_mime_depth = 7; };\n", -1,
		   0644);
	write_file("intaked.conf", with_include, -1, 0644);
	config = config_load(path, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(config->database, ==, database);
	g_assert_cmpint(config->limits.max_mime_depth, ==, 7);
	g_assert_cmpstr(config->imap.password, ==, "imap secret");

	second = config_ref(config);
	g_assert_true(second == config);
	config_unref(&config);
	g_assert_null(config);
	g_assert_cmpstr(second->database, ==, database);
	config_unref(&second);
	config_unref(&second); /* NULL: no-op */

	/* An error inside an included file names that file and its line. */
	write_file("extra.conf",
		   "\nlimits = { max_mime_depth = 5000000000; };\n", -1, 0644);
	config = config_load(path, &error);
	g_assert_null(config);
	{
		g_autofree char *extra = in_dir("extra.conf");
		g_autofree char *expected = g_strdup_printf(
			"%s:2: limits.max_mime_depth = 5000000000 is out of "
			"range 1..256",
			extra);

		g_assert_cmpstr(error->message, ==, expected);
	}
	g_clear_error(&error);

	remove_file("extra.conf");
	config = config_load(path, &error);
	g_assert_null(config);
	g_assert_nonnull(strstr(error->message, "cannot open include file"));
	remove_file("intaked.conf");
}

/* --- secret files ----------------------------------------------------- */

static void
expect_error(const struct entry *override, const char *expected)
{
	g_autoptr(GError) error = NULL;
	struct config *config = load_override(override, &error);

	g_assert_null(config);
	g_assert_nonnull(error);
	g_test_message("%s", error->message);
	g_assert_nonnull(strstr(error->message, expected));
}

static void
test_secret_too_open(void)
{
	g_autofree char *path = in_dir("imap.password");
	g_autofree char *expected = g_strdup_printf(
		": %s: mode 0644 is too open; chmod 600 %s", path, path);

	g_assert_cmpint(g_chmod(path, 0644), ==, 0);
	expect_error(NULL, expected);
	g_assert_cmpint(g_chmod(path, 0640), ==, 0);
	expect_error(NULL, "mode 0640 is too open");
	g_assert_cmpint(g_chmod(path, 0600), ==, 0);
}

static void
test_secret_missing(void)
{
	const struct entry missing = {"smtp.password_file", "\"nope\""};
	g_autofree char *path = in_dir("nope");
	g_autofree char *expected = g_strdup_printf(
		": %s: cannot read: No such file or directory", path);

	expect_error(&missing, expected);
}

static void
test_secret_contents(void)
{
	const struct entry empty = {"imap.password_file", "\"empty\""};
	const struct entry newline = {"imap.password_file", "\"newline\""};
	const struct entry short_token = {"identity.token_secret_file",
					  "\"short\""};
	const struct entry directory = {"identity.token_secret_file", "\".\""};
	const struct entry absolute_ok = {"imap.password_file", NULL};
	g_autofree char *absolute = in_dir("imap.password");
	g_autofree char *quoted = g_strdup_printf("\"%s\"", absolute);
	struct entry absolute_entry = absolute_ok;
	g_autoptr(GError) error = NULL;
	struct config *config;

	write_file("empty", "", 0, 0600);
	write_file("newline", "\r\nsecond line\n", -1, 0600);
	write_file("short", "0123456789abcdef0123456789abcde", -1, 0400);
	expect_error(&empty, "the first line (the password) is empty");
	expect_error(&newline, "the first line (the password) is empty");
	expect_error(&short_token, "has 31 bytes; at least 32");
	expect_error(&directory, "not a regular file");

	absolute_entry.value = quoted;
	config = load_override(&absolute_entry, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(config->imap.password, ==, "imap secret");
	config_unref(&config);
	remove_file("empty");
	remove_file("newline");
	remove_file("short");
}

int
main(int argc, char **argv)
{
	g_autoptr(GError) error = NULL;
	int status;

	g_test_init(&argc, &argv, NULL);
	test_dir = g_dir_make_tmp("test-config-XXXXXX", &error);
	g_assert_no_error(error);
	test_name = g_build_filename(test_dir, "test.conf", NULL);
	/* The password's first line only: a second line and CR LF are not
	 * part of it. */
	write_file("imap.password", "imap secret\nignored\n", -1, 0600);
	write_file("smtp.password", "smtp-secret\r\n", -1, 0600);
	write_file("token.secret", token_secret, sizeof(token_secret) - 1,
		   0600);

	g_test_add_func("/config/full", test_full);
	g_test_add_func("/config/defaults", test_defaults);
	g_test_add_func("/config/accepted-values", test_accepted_values);
	g_test_add_func("/config/required", test_required);
	for (size_t i = 0; i < G_N_ELEMENTS(bad_cases); i++) {
		g_autofree char *name = g_strdup_printf(
			"/config/bad/%zu-%s", i, bad_cases[i].entry.path);

		g_test_add_data_func(name, &bad_cases[i], test_bad_value);
	}
	g_test_add_func("/config/many-errors", test_many_errors);
	g_test_add_func("/config/parse-error", test_parse_error);
	g_test_add_func("/config/missing-file", test_missing_file);
	g_test_add_func("/config/file-and-include", test_load_file_and_include);
	g_test_add_func("/config/secret-too-open", test_secret_too_open);
	g_test_add_func("/config/secret-missing", test_secret_missing);
	g_test_add_func("/config/secret-contents", test_secret_contents);
	status = g_test_run();

	remove_file("imap.password");
	remove_file("smtp.password");
	remove_file("token.secret");
	g_rmdir(test_dir);
	g_free(test_name);
	g_free(test_dir);
	return status;
}
