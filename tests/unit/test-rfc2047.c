/* test-rfc2047.c — rfc2047_decode against real-world header values. */
#include <string.h>

#include "rfc2047.h"

struct rfc2047_case {
	const char *raw;
	const char *expect;
};

static const struct rfc2047_case rfc2047_cases[] = {
	{"", ""},
	{"plain subject", "plain subject"},
	/* GMime 3.2.13 decodes this to "Hi" (upstream #133). */
	{"=?UTF-8?B?SGk=?= =?UTF-8?B?dGhlcmU=?=", "Hithere"},
	{"=?utf-8?q?caf=C3=A9?=", "caf\xC3\xA9"},
	{"=?ISO-8859-1?Q?caf=E9_cr=E8me?=", "caf\xC3\xA9 cr\xC3\xA8me"},
	{"=?iso-8859-1?b?Y2Fm6Q==?=", "caf\xC3\xA9"},
	{"Re: =?utf-8?Q?Ransomware_op_de_fileserver?= spoed",
	 "Re: Ransomware op de fileserver spoed"},
	{"=?utf-8?q?a?=   \t =?utf-8?q?b?=", "ab"},
	{"=?utf-8?q?a?= x =?utf-8?q?b?=", "a x b"},
	{"=?utf-8?q?a_?= =?utf-8?q?b?=", "a b"},
	/* A UTF-8 character split across two B words. */
	{"=?UTF-8?B?w6k=?= =?UTF-8?B?w6k=?=", "\xC3\xA9\xC3\xA9"},
	{"=?UTF-8?B?4oK=?= =?UTF-8?B?rA==?=", NULL},
	{"=?UTF-8?Q?=E2=82?= =?UTF-8?Q?=AC?=", "\xE2\x82\xAC"},
	/* Different charsets next to each other. */
	{"=?iso-8859-1?q?=E9?= =?utf-8?q?=C3=A9?=", "\xC3\xA9\xC3\xA9"},
	{"=?windows-1252?Q?=80_5?=", "\xE2\x82\xAC 5"},
	{"=?KOI8-R?B?8NLJ18XU?=", "\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5"
				  "\xD1\x82"},
	{"=?utf-8*en?q?hello?=", "hello"},
	/* Folding. */
	{"=?utf-8?q?a?=\r\n =?utf-8?q?b?=", "ab"},
	{"part one\r\n part two", "part one part two"},
	{"part one\n\tpart two", "part one part two"},
	{"trailing\r\n", "trailing "},
	/* Unknown charset: ASCII kept, 8-bit bytes replaced. */
	{"=?x-unknown?q?caf=E9?=", "caf\xEF\xBF\xBD"},
	/* Malformed words stay literal. */
	{"=?utf-8?x?abc?=", "=?utf-8?x?abc?="},
	{"=?utf-8?q?abc", "=?utf-8?q?abc"},
	{"=??q?abc?=", "=??q?abc?="},
	{"=?utf-8?q?abc?", "=?utf-8?q?abc?"},
	{"a =? b ?= c", "a =? b ?= c"},
	{"=?=?=?=?utf-8?q?ok?=", "=?=?=?ok"},
	{"=?utf-8?q?=ZZ=4?=", "=ZZ=4"},
	{"=?utf-8?q?ab?==?utf-8?q?cd?=", "abcd"},
	/* Raw 8-bit. */
	{"caf\xC3\xA9 \xE2\x82\xAC", "caf\xC3\xA9 \xE2\x82\xAC"},
	{"caf\xE9 \x80", "caf\xC3\xA9 \xE2\x82\xAC"},
	{"caf\xE9 =?utf-8?q?=C3=A9?=", "caf\xC3\xA9 \xC3\xA9"},
	/* Control characters never survive. */
	{"=?utf-8?q?a=0Ab=00c?=", "a b\xEF\xBF\xBD"
				  "c"},
	{"=?utf-8?b?YQpi?=", "a b"},
	/* Invalid UTF-8 labelled utf-8 in a word. */
	{"=?utf-8?q?=C3=A9=FF?=", "\xC3\xA9\xEF\xBF\xBD"},
	{"=?utf-8?b?!!!?=", ""},
};

static void
test_rfc2047_table(void)
{
	for (gsize i = 0; i < G_N_ELEMENTS(rfc2047_cases); i++) {
		const struct rfc2047_case *c = &rfc2047_cases[i];
		g_autofree char *got = rfc2047_decode(c->raw);

		g_test_message("case %zu: %s", i, c->raw);
		g_assert_true(g_utf8_validate(got, -1, NULL));
		if (c->expect != NULL)
			g_assert_cmpstr(got, ==, c->expect);
		else
			g_assert_cmpstr(got, ==, "\xE2\x82\xAC");
	}
}

static void
test_rfc2047_null(void)
{
	g_autofree char *got = rfc2047_decode(NULL);

	g_assert_cmpstr(got, ==, "");
}

/* Pathological inputs must stay linear: 1 MiB of "=?" runs in well under
 * a second on any machine. */
static void
test_rfc2047_long(void)
{
	static const char *const units[] = {
		"=?", "=?a?", "=?a?q?", "=?utf-8?q?x?=", "=?utf-8?b?", "\xFF"};

	for (gsize u = 0; u < G_N_ELEMENTS(units); u++) {
		g_autoptr(GString) s = g_string_new(NULL);
		g_autofree char *got = NULL;
		gint64 start = g_get_monotonic_time();

		while (s->len < 1024 * 1024)
			g_string_append(s, units[u]);
		got = rfc2047_decode(s->str);
		g_assert_true(g_utf8_validate(got, -1, NULL));
		g_assert_cmpint(g_get_monotonic_time() - start, <,
				5 * G_USEC_PER_SEC);
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/rfc2047/table", test_rfc2047_table);
	g_test_add_func("/rfc2047/null", test_rfc2047_null);
	g_test_add_func("/rfc2047/long", test_rfc2047_long);
	return g_test_run();
}
