/* test-log.c — log_value() escaping and the line format of log_write(). */
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "log.h"

struct value_case {
	const char *name;
	const char *input;
	const char *expected;
};

static const struct value_case value_cases[] = {
	{"null", NULL, "-"},
	{"token", "127.0.0.1", "127.0.0.1"},
	{"address", "alice@example.org", "alice@example.org"},
	{"case-id", "2026-0042", "2026-0042"},
	{"empty", "", "\"\""},
	{"dash", "-", "\"-\""},
	{"space", "hello world", "\"hello world\""},
	{"equals", "a=b", "\"a=b\""},
	{"forged-key", "x case=2026-0001", "\"x case=2026-0001\""},
	{"quote", "say \"hi\"", "\"say \\\"hi\\\"\""},
	{"single-quote", "it's", "\"it's\""},
	{"backslash", "C:\\dir", "\"C:\\\\dir\""},
	{"newline", "line1\nline2", "\"line1\\nline2\""},
	{"crlf-forge", "ok\r\n2026-01-01T00:00:00Z info forged=1",
	 "\"ok\\r\\n2026-01-01T00:00:00Z info forged=1\""},
	{"tab", "a\tb", "\"a\\tb\""},
	{"control", "a\x01\x1b[31mb\x7f", "\"a\\x01\\x1b[31mb\\x7f\""},
	{"utf8", "J\xc3\xbcrgen", "\"J\xc3\xbcrgen\""},
	{"invalid-utf8", "a\xff\xc3(b", "\"a\\xff\\xc3(b\""},
	{"c1-control",
	 "a\xc2\x85"
	 "b",
	 "\"a\\xc2\\x85b\""},
	{"bidi-override",
	 "a\xe2\x80\xae"
	 "b",
	 "\"a\\xe2\\x80\\xaeb\""},
	{"line-separator",
	 "a\xe2\x80\xa8"
	 "b",
	 "\"a\\xe2\\x80\\xa8b\""},
};

static void
test_value(gconstpointer data)
{
	const struct value_case *c = data;
	g_autofree char *got = log_value(c->input);

	g_assert_cmpstr(got, ==, c->expected);
}

/* Long values are cut at 200 bytes of rendering, never inside an escape
 * or a UTF-8 sequence, and marked with "...". */
static void
test_value_long(void)
{
	g_autofree char *plain = g_strnfill(500, 'a');
	g_autofree char *got = log_value(plain);
	g_autofree char *expected_body = g_strnfill(200, 'a');
	g_autofree char *expected = g_strdup_printf("\"%s...\"", expected_body);
	GString *escapes = g_string_new(NULL);
	GString *umlauts = g_string_new(NULL);
	g_autofree char *escaped = NULL;
	g_autofree char *utf8 = NULL;

	g_assert_cmpstr(got, ==, expected);

	for (int i = 0; i < 500; i++)
		g_string_append_c(escapes, i % 2 ? '\n' : 'x');
	escaped = log_value(escapes->str);
	g_assert_true(g_str_has_suffix(escaped, "...\""));
	g_assert_cmpuint(strlen(escaped), <=, 200 + 5);
	/* "x\n" renders as 3 bytes: the cut falls between pairs. */
	g_assert_true(g_str_has_suffix(escaped, "x\\n...\"") ||
		      g_str_has_suffix(escaped, "\\nx...\""));

	for (int i = 0; i < 250; i++)
		g_string_append(umlauts, "\xc3\xbc");
	utf8 = log_value(umlauts->str);
	g_assert_true(g_utf8_validate(utf8, -1, NULL));
	g_assert_cmpuint(strlen(utf8), ==, 1 + 200 + 3 + 1);
	g_string_free(escapes, TRUE);
	g_string_free(umlauts, TRUE);
}

static void
test_level_parse(void)
{
	enum log_level level = LOG_LEVEL_INFO;

	g_assert_true(log_level_parse("debug", &level));
	g_assert_cmpint(level, ==, LOG_LEVEL_DEBUG);
	g_assert_true(log_level_parse("warning", &level));
	g_assert_cmpint(level, ==, LOG_LEVEL_WARNING);
	g_assert_true(log_level_parse("error", &level));
	g_assert_cmpint(level, ==, LOG_LEVEL_ERROR);
	g_assert_true(log_level_parse("info", &level));
	g_assert_cmpint(level, ==, LOG_LEVEL_INFO);
	g_assert_false(log_level_parse("INFO", &level));
	g_assert_false(log_level_parse("", &level));
	g_assert_false(log_level_parse(NULL, &level));
}

/* Runs fn with stderr going to a temp file; returns what was written. */
static char *
capture_stderr(void (*fn)(void))
{
	g_autoptr(GError) error = NULL;
	g_autofree char *path = NULL;
	int fd = g_file_open_tmp("test-log-XXXXXX", &path, &error);
	int saved = dup(STDERR_FILENO);
	char *contents = NULL;

	g_assert_no_error(error);
	g_assert_cmpint(saved, >=, 0);
	g_assert_cmpint(dup2(fd, STDERR_FILENO), ==, STDERR_FILENO);
	fn();
	g_assert_cmpint(dup2(saved, STDERR_FILENO), ==, STDERR_FILENO);
	close(saved);
	close(fd);
	g_file_get_contents(path, &contents, NULL, &error);
	g_assert_no_error(error);
	g_unlink(path);
	return contents;
}

static void
write_plain(void)
{
	log_set_journal_prefix(FALSE);
	log_set_level(LOG_LEVEL_INFO);
	log_debug("hidden=1");
	log_info("imap.connect host=%s port=%d", "127.0.0.1", 993);
	log_error("two\nlines");
}

static void
test_write_plain(void)
{
	g_autofree char *out = capture_stderr(write_plain);
	g_auto(GStrv) lines = g_strsplit(out, "\n", -1);
	g_autoptr(GRegex) stamp = g_regex_new(
		"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z ", 0,
		0, NULL);

	g_assert_cmpuint(g_strv_length(lines), ==, 3);
	g_assert_true(g_regex_match(stamp, lines[0], 0, NULL));
	g_assert_cmpstr(lines[0] + 21, ==,
			"info imap.connect host=127.0.0.1 port=993");
	g_assert_cmpstr(lines[1] + 21, ==, "error two\\nlines");
	g_assert_cmpstr(lines[2], ==, "");
}

static void
write_journal(void)
{
	log_set_journal_prefix(TRUE);
	log_set_level(LOG_LEVEL_DEBUG);
	log_debug("d=1");
	log_info("i=1");
	log_warning("w=1");
	log_error("e=1");
	log_set_level(LOG_LEVEL_ERROR);
	log_warning("hidden=1");
	log_set_level(LOG_LEVEL_INFO);
	log_set_journal_prefix(FALSE);
}

static void
test_write_journal(void)
{
	g_autofree char *out = capture_stderr(write_journal);

	g_assert_cmpstr(out, ==, "<7>d=1\n<6>i=1\n<4>w=1\n<3>e=1\n");
}

#define THREADS		 4
#define LINES_PER_THREAD 300

static gpointer
writer_thread(gpointer data)
{
	for (int i = 0; i < LINES_PER_THREAD; i++)
		log_info("thread=%d line=%d padding=%s", GPOINTER_TO_INT(data),
			 i,
			 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
			 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
	return NULL;
}

static void
write_threads(void)
{
	GThread *threads[THREADS];

	log_set_journal_prefix(TRUE);
	for (int t = 0; t < THREADS; t++)
		threads[t] = g_thread_new("writer", writer_thread,
					  GINT_TO_POINTER(t));
	for (int t = 0; t < THREADS; t++)
		g_thread_join(threads[t]);
	log_set_journal_prefix(FALSE);
}

/* Lines from many threads never interleave. */
static void
test_write_threads(void)
{
	g_autofree char *out = capture_stderr(write_threads);
	g_auto(GStrv) lines = g_strsplit(out, "\n", -1);
	g_autoptr(GRegex) line_re = g_regex_new(
		"^<6>thread=[0-9] line=[0-9]+ padding=x{100}$", 0, 0, NULL);
	guint count = g_strv_length(lines);

	g_assert_cmpuint(count, ==, THREADS * LINES_PER_THREAD + 1);
	for (guint i = 0; i + 1 < count; i++)
		g_assert_true(g_regex_match(line_re, lines[i], 0, NULL));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	for (size_t i = 0; i < G_N_ELEMENTS(value_cases); i++) {
		g_autofree char *name =
			g_strdup_printf("/log/value/%s", value_cases[i].name);

		g_test_add_data_func(name, &value_cases[i], test_value);
	}
	g_test_add_func("/log/value/long", test_value_long);
	g_test_add_func("/log/level-parse", test_level_parse);
	g_test_add_func("/log/write/plain", test_write_plain);
	g_test_add_func("/log/write/journal", test_write_journal);
	g_test_add_func("/log/write/threads", test_write_threads);
	return g_test_run();
}
