/* test-charset.c — charset_to_utf8 over labels, aliases and bad bytes. */
#include <string.h>

#include "charset.h"

struct charset_case {
	const char *name;
	const char *data;
	gssize len; /* -1: strlen */
	const char *label;
	const char *expect;
};

static const struct charset_case charset_cases[] = {
	{"ascii no label", "hello", -1, NULL, "hello"},
	{"empty", "", -1, "utf-8", ""},
	{"empty no label", "", 0, NULL, ""},
	{"utf-8", "caf\xC3\xA9", -1, "utf-8", "caf\xC3\xA9"},
	{"utf-8 upper case", "caf\xC3\xA9", -1, "UTF-8", "caf\xC3\xA9"},
	{"utf8 alias", "caf\xC3\xA9", -1, "utf8", "caf\xC3\xA9"},
	{"unicode-1-1-utf-8", "caf\xC3\xA9", -1, "unicode-1-1-utf-8",
	 "caf\xC3\xA9"},
	{"quoted label", "caf\xE9", -1, "\"ISO-8859-1\"", "caf\xC3\xA9"},
	{"latin1 alias", "caf\xE9", -1, "latin1", "caf\xC3\xA9"},
	{"iso-8859-1 holding cp1252", "\x80 \x93q\x94", -1, "iso-8859-1",
	 "\xE2\x82\xAC \xE2\x80\x9Cq\xE2\x80\x9D"},
	{"cp1252 alias", "\x80", -1, "cp1252", "\xE2\x82\xAC"},
	{"windows-1252 hole", "a\x81z", -1, "windows-1252", "a\xEF\xBF\xBDz"},
	{"missing label cp1252", "caf\xE9", -1, NULL, "caf\xC3\xA9"},
	{"missing label utf-8", "caf\xC3\xA9", -1, NULL, "caf\xC3\xA9"},
	{"us-ascii holding utf-8", "caf\xC3\xA9", -1, "us-ascii",
	 "caf\xC3\xA9"},
	{"empty label", "caf\xE9", -1, "", "caf\xC3\xA9"},
	{"iso-8859-15 euro", "\xA4", -1, "iso-8859-15", "\xE2\x82\xAC"},
	{"koi8-r", "\xF0\xD2\xC9\xD7\xC5\xD4", -1, "koi8-r",
	 "\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82"},
	{"ks_c_5601-1987", "\xC7\xD1", -1, "ks_c_5601-1987", "\xED\x95\x9C"},
	{"gb2312", "\xD6\xD0", -1, "gb2312", "\xE4\xB8\xAD"},
	{"shift_jis", "\x82\xA0", -1, "Shift_JIS", "\xE3\x81\x82"},
	{"iso-2022-jp", "\x1B$B$\"\x1B(B", -1, "iso-2022-jp", "\xE3\x81\x82"},
	{"utf-16le", "h\0i\0", 4, "utf-16le", "hi"},
	{"utf-7", "A+ImIDkQ.", -1, "utf-7", "A\xE2\x89\xA2\xCE\x91."},
	{"crlf", "a\r\nb\r\n", -1, "utf-8", "a\nb\n"},
	{"lone cr", "a\rb\r\r\nc", -1, NULL, "a\nb\n\nc"},
	{"crlf in utf-16", "a\0\r\0\n\0", 6, "utf-16le", "a\n"},
	{"unknown label ascii", "hello", -1, "x-no-such-charset", "hello"},
	{"unknown label 8-bit", "caf\xE9", -1, "x-no-such-charset",
	 "caf\xEF\xBF\xBD"},
	{"unknown label utf-8 bytes", "caf\xC3\xA9", -1, "x-bogus",
	 "caf\xC3\xA9"},
	{"hostile label", "caf\xE9", -1, "utf-8//TRANSLIT", "caf\xEF\xBF\xBD"},
	{"invalid utf-8 labelled utf-8, mixed", "\xC3\xA9 caf\xE9", -1, "utf-8",
	 "\xC3\xA9 caf\xEF\xBF\xBD"},
	{"latin-1 labelled utf-8", "caf\xE9 cr\xE8me", -1, "utf-8",
	 "caf\xC3\xA9 cr\xC3\xA8me"},
	{"truncated utf-8 at end", "ab\xE2\x82", -1, "utf-8",
	 "ab\xC3\xA2\xE2\x80\x9A"},
	{"nul byte", "a\0b", 3, "utf-8",
	 "a\xEF\xBF\xBD"
	 "b"},
	{"nul byte no label", "a\0b", 3, NULL,
	 "a\xEF\xBF\xBD"
	 "b"},
	{"truncated shift_jis", "a\x82", -1, "shift_jis", "a\xEF\xBF\xBD"},
	{"illegal shift_jis", "a\x82\xFFz", -1, "shift_jis", NULL},
};

static void
test_charset_table(void)
{
	for (gsize i = 0; i < G_N_ELEMENTS(charset_cases); i++) {
		const struct charset_case *c = &charset_cases[i];
		gsize len = c->len < 0 ? strlen(c->data) : (gsize)c->len;
		g_autofree char *got = charset_to_utf8(c->data, len, c->label);

		g_test_message("case %s", c->name);
		g_assert_nonnull(got);
		g_assert_true(g_utf8_validate(got, -1, NULL));
		if (c->expect != NULL)
			g_assert_cmpstr(got, ==, c->expect);
	}
}

static void
test_charset_null_data(void)
{
	g_autofree char *got = charset_to_utf8(NULL, 0, NULL);

	g_assert_cmpstr(got, ==, "");
}

/* Every byte value under every label family stays valid UTF-8. */
static void
test_charset_all_bytes(void)
{
	static const char *const labels[] = {
		NULL,	     "utf-8",  "iso-8859-1",  "windows-1252",
		"shift_jis", "utf-16", "iso-2022-jp", "x-bogus",
		"utf-7",     "gb18030"};
	char bytes[512];

	for (gsize i = 0; i < sizeof(bytes); i++)
		bytes[i] = (char)(i * 7 + i / 256);
	for (gsize i = 0; i < G_N_ELEMENTS(labels); i++) {
		g_autofree char *got =
			charset_to_utf8(bytes, sizeof(bytes), labels[i]);

		g_assert_true(g_utf8_validate(got, -1, NULL));
		g_assert_null(strchr(got, '\r'));
	}
}

/* charset_utf8_strdown() promises g_utf8_strdown()'s bytes; its ASCII
 * runs, Latin-1 shortcut and final sigma context are checked here (the
 * C locale; the Turkish and Lithuanian rules need their locales). */
static void
test_charset_strdown(void)
{
	static const char *const texts[] = {
		"",
		"abc",
		"Jan.DE.Vries@Example.ORG",
		"INCIDENT IJSSELMEER",
		"\xC3\x89T\xC3\x89 \xC3\x9C\xC3\x97\xC3\x9E",
		"\xCE\x9F\xCE\x94\xCE\x9F\xCE\xA3 \xCE\xA3\xCE\xA3.",
		"\xC4\xB0stanbul \xE1\xBA\x9E Stra\xC3\x9F"
		"E",
		"MIXED ascii \xD0\x9F\xD0\xA0\xD0\x98 and MORE",
	};

	for (gsize i = 0; i < G_N_ELEMENTS(texts); i++) {
		g_autofree char *got = charset_utf8_strdown(texts[i], -1);
		g_autofree char *expect = g_utf8_strdown(texts[i], -1);
		gsize half = strlen(texts[i]) / 2;
		g_autofree char *got_half = NULL;
		g_autofree char *expect_half = NULL;

		g_test_message("text %s", texts[i]);
		g_assert_cmpstr(got, ==, expect);
		/* A length that may cut a character: both keep what the
		 * length holds. */
		if (!g_utf8_validate(texts[i], (gssize)half, NULL))
			continue;
		got_half = charset_utf8_strdown(texts[i], (gssize)half);
		expect_half = g_utf8_strdown(texts[i], (gssize)half);
		g_assert_cmpstr(got_half, ==, expect_half);
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/charset/table", test_charset_table);
	g_test_add_func("/charset/null-data", test_charset_null_data);
	g_test_add_func("/charset/all-bytes", test_charset_all_bytes);
	g_test_add_func("/charset/strdown", test_charset_strdown);
	return g_test_run();
}
