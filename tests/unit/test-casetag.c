/* test-casetag.c — subject tags and Message-ID tokens. */
#include "casetag.h"

#include <string.h>

static void
test_format(void)
{
	g_autofree char *tag = casetag_format("CERT", "2026-0042");

	g_assert_cmpstr(tag, ==, "CERT-2026-0042");
}

struct id_case {
	const char *text;
	gboolean valid;
};

static const struct id_case id_cases[] = {
	{"2026-0042", TRUE},	 {"2000-0001", TRUE},
	{"2999-12345678", TRUE}, {"2026-00420", TRUE},
	{"1999-0001", FALSE},	 {"3000-0001", FALSE},
	{"2026-042", FALSE},	 {"2026-123456789", FALSE},
	{"2026-0042 ", FALSE},	 {" 2026-0042", FALSE},
	{"2026_0042", FALSE},	 {"20260-0042", FALSE},
	{"2026-00a2", FALSE},	 {"", FALSE},
	{"2026-", FALSE},	 {"CERT-2026-0042", FALSE},
};

static void
test_is_case_id(void)
{
	for (gsize i = 0; i < G_N_ELEMENTS(id_cases); i++)
		g_assert_cmpint(casetag_is_case_id(id_cases[i].text), ==,
				id_cases[i].valid);
	g_assert_false(casetag_is_case_id(NULL));
}

struct find_case {
	const char *subject;
	const char *expected; /* NULL: no tag */
};

static const struct find_case find_cases[] = {
	{"[CERT-2026-0042] Ransomware", "2026-0042"},
	{"Re: [CERT-2026-0042] Ransomware", "2026-0042"},
	{"AW: Fwd: TR: Antw: [CERT-2026-0042] x", "2026-0042"},
	{"Ransomware at hospital [CERT-2026-0042]", "2026-0042"},
	{"[cert-2026-0042]", "2026-0042"},
	{"[Cert-2026-0042]", "2026-0042"},
	{"[ CERT-2026-0042 ]", "2026-0042"},
	{"[\tCERT-2026-0042  ]", "2026-0042"},
	{"RE:[CERT-2026-12345678]", "2026-12345678"},
	/* Bare tokens count when they stand alone. */
	{"Re: CERT-2026-0042 update", "2026-0042"},
	{"CERT-2026-0042", "2026-0042"},
	{"(CERT-2026-0042).", "2026-0042"},
	{"case CERT-2026-0042: more", "2026-0042"},
	/* A bracketed tag wins over an earlier bare mention. */
	{"see CERT-2025-0001 [CERT-2026-0042]", "2026-0042"},
	{"CERT-2025-0001 and CERT-2026-0042", "2025-0001"},
	{"[CERT-26-0042] [CERT-2026-0007]", "2026-0007"},
	/* Not tags. */
	{"XCERT-2026-0042", NULL},
	{"[NCSC-CERT-2026-0042]", NULL},
	{"[OTHERCERT-2026-0042]", NULL},
	{"[CSIRT-2026-0042]", NULL},
	{"CERT-2026-0042-1", NULL},
	{"CERT-2026-0042x", NULL},
	{"CERT_2026_0042", NULL},
	{"[CERT 2026-0042]", NULL},
	{"[CERT-2026-042]", NULL},
	{"[CERT-2026-123456789]", NULL},
	{"[CERT-1999-0042]", NULL},
	{"[CERT-3026-0042]", NULL},
	{"[CERT-", NULL},
	{"CERT-2026", NULL},
	{"", NULL},
	{"Ransomware", NULL},
	{"Café [CERT-2026-0042] ü", "2026-0042"},
};

static void
test_find(void)
{
	for (gsize i = 0; i < G_N_ELEMENTS(find_cases); i++) {
		g_autofree char *found =
			casetag_find(find_cases[i].subject, "CERT");

		if (g_strcmp0(found, find_cases[i].expected) != 0)
			g_error("subject \"%s\": expected %s, got %s",
				find_cases[i].subject,
				find_cases[i].expected ? find_cases[i].expected
						       : "(none)",
				found ? found : "(none)");
	}
	g_assert_null(casetag_find(NULL, "CERT"));
}

/* A prefix that itself contains a dash. */
static void
test_find_dashed_prefix(void)
{
	g_autofree char *a =
		casetag_find("Re: [NCSC-CERT-2026-0042]", "NCSC-CERT");
	g_autofree char *b = casetag_find("Re: [CERT-2026-0042]", "NCSC-CERT");

	g_assert_cmpstr(a, ==, "2026-0042");
	g_assert_null(b);
}

#define SECRET "test-secret-0123456789"

static GBytes *
secret_bytes(const char *text)
{
	return g_bytes_new(text, strlen(text));
}

/* Known vectors, computed independently:
 * HMAC-SHA256("test-secret-0123456789", "2026-0042|17|cert.example")
 * and (..., "none|3|cert.example"), first 16 bytes in hex. */
static void
test_message_id_vector(void)
{
	g_autoptr(GBytes) secret = secret_bytes(SECRET);
	g_autofree char *id =
		casetag_message_id(secret, "2026-0042", 17, "cert.example");
	g_autofree char *none =
		casetag_message_id(secret, NULL, 3, "cert.example");
	/* The domain enters the token lowercased. */
	g_autofree char *upper =
		casetag_message_id(secret, "2026-0042", 17, "CERT.Example");

	g_assert_cmpstr(id, ==,
			"intaked.2026-0042.17."
			"2837073a27a26b5d828fcc66f8967dac@cert.example");
	g_assert_cmpstr(none, ==,
			"intaked.none.3."
			"a9c513104679261d037a725e5d4fc105@cert.example");
	g_assert_cmpstr(upper, ==,
			"intaked.2026-0042.17."
			"2837073a27a26b5d828fcc66f8967dac@CERT.Example");
}

static void
test_verify_good(void)
{
	g_autoptr(GBytes) secret = secret_bytes(SECRET);
	g_autofree char *id =
		casetag_message_id(secret, "2026-0042", 17, "cert.example");
	g_autofree char *none =
		casetag_message_id(secret, NULL, 3, "cert.example");
	g_autofree char *case_id = NULL;
	gint64 outbox_id = 0;

	g_assert_true(casetag_verify_message_id(secret, id, "cert.example",
						&case_id, &outbox_id));
	g_assert_cmpstr(case_id, ==, "2026-0042");
	g_assert_cmpint(outbox_id, ==, 17);
	g_clear_pointer(&case_id, g_free);

	g_assert_true(casetag_verify_message_id(secret, none, "CERT.EXAMPLE",
						&case_id, &outbox_id));
	g_assert_null(case_id);
	g_assert_cmpint(outbox_id, ==, 3);

	/* A relay that upper-cases the domain does not break the token. */
	g_assert_true(casetag_verify_message_id(
		secret,
		"intaked.2026-0042.17.2837073a27a26b5d828fcc66f8967dac"
		"@Cert.Example",
		"cert.example", NULL, NULL));
	/* Large outbox ids round-trip. */
	{
		g_autofree char *big = casetag_message_id(
			secret, "2999-12345678", G_MAXINT64, "cert.example");

		g_assert_true(casetag_verify_message_id(
			secret, big, "cert.example", &case_id, &outbox_id));
		g_assert_cmpstr(case_id, ==, "2999-12345678");
		g_assert_cmpint(outbox_id, ==, G_MAXINT64);
	}
}

static const char *const forged[] = {
	/* altered case id, outbox id or token */
	"intaked.2026-0043.17.2837073a27a26b5d828fcc66f8967dac@cert.example",
	"intaked.none.17.2837073a27a26b5d828fcc66f8967dac@cert.example",
	"intaked.2026-0042.18.2837073a27a26b5d828fcc66f8967dac@cert.example",
	"intaked.2026-0042.017.2837073a27a26b5d828fcc66f8967dac@cert.example",
	"intaked.2026-0042.+17.2837073a27a26b5d828fcc66f8967dac@cert.example",
	"intaked.2026-0042.17.2837073a27a26b5d828fcc66f8967dad@cert.example",
	"intaked.2026-0042.17.2837073A27A26B5D828FCC66F8967DAC@cert.example",
	/* truncated or extended token */
	"intaked.2026-0042.17.2837073a27a26b5d828fcc66f8967da@cert.example",
	"intaked.2026-0042.17.2837073a27a26b5d828fcc66f8967dac0@cert.example",
	"intaked.2026-0042.17.@cert.example",
	/* wrong domain or shape */
	"intaked.2026-0042.17.2837073a27a26b5d828fcc66f8967dac@evil.example",
	"intaked.2026-0042.17.2837073a27a26b5d828fcc66f8967dac@cert.example.",
	"intaked.2026-0042.17.2837073a27a26b5d828fcc66f8967dac",
	"<intaked.2026-0042.17.2837073a27a26b5d828fcc66f8967dac@cert.example>",
	"intaked.2026-0042.17.2837073a27a26b5d828fcc66f8967dac@cert.example "
	"",
	"intaked.2026-0042.17.2837073a27a26b5d828fcc66f8967dac.x@cert.example",
	"x.intaked.2026-0042.17.2837073a27a26b5d828fcc66f8967dac@cert.example",
	"Intaked.2026-0042.17.2837073a27a26b5d828fcc66f8967dac@cert.example",
	"intaked.2026-0042.17.2837073a27a26b5d828fcc66f8967dac@a@cert.example",
	"intaked.2026-42.17.2837073a27a26b5d828fcc66f8967dac@cert.example",
	"intaked..17.2837073a27a26b5d828fcc66f8967dac@cert.example",
	"intaked.2026-0042.0.2837073a27a26b5d828fcc66f8967dac@cert.example",
	"intaked.2026-0042.99999999999999999999."
	"2837073a27a26b5d828fcc66f8967dac@cert.example",
	"",
	"@cert.example",
	"CAF1234@mail.example.org",
};

static void
test_verify_bad(void)
{
	g_autoptr(GBytes) secret = secret_bytes(SECRET);
	g_autoptr(GBytes) other = secret_bytes("another-secret");
	g_autofree char *id =
		casetag_message_id(secret, "2026-0042", 17, "cert.example");
	char *case_id = (char *)"untouched";
	gint64 outbox_id = -1;

	for (gsize i = 0; i < G_N_ELEMENTS(forged); i++) {
		if (casetag_verify_message_id(secret, forged[i], "cert.example",
					      &case_id, &outbox_id))
			g_error("accepted forged id \"%s\"", forged[i]);
		g_assert_null(case_id);
		g_assert_cmpint(outbox_id, ==, -1);
	}
	/* The genuine id under another secret or domain. */
	g_assert_false(casetag_verify_message_id(other, id, "cert.example",
						 &case_id, &outbox_id));
	g_assert_false(casetag_verify_message_id(secret, id, "evil.example",
						 &case_id, &outbox_id));
	g_assert_false(casetag_verify_message_id(secret, NULL, "cert.example",
						 &case_id, &outbox_id));
}

/* Which of our mails of a case a reply names: In-Reply-To first, then
 * References in order; other cases, forged tokens and foreign ids are
 * left out. */
static void
test_referenced_outboxes(void)
{
	g_autoptr(GBytes) secret = secret_bytes(SECRET);
	g_autofree char *a =
		casetag_message_id(secret, "2026-0042", 17, "cert.example");
	g_autofree char *b =
		casetag_message_id(secret, "2026-0042", 3, "cert.example");
	g_autofree char *other =
		casetag_message_id(secret, "2026-0043", 5, "cert.example");
	g_autofree char *bad = g_strdup(b);
	g_autoptr(GPtrArray) refs = g_ptr_array_new();
	g_autoptr(GArray) got = NULL;

	bad[strlen(bad) - strlen("@cert.example") - 1] ^= 1;
	g_ptr_array_add(refs, (char *)"root@hospital.example");
	g_ptr_array_add(refs, other);
	g_ptr_array_add(refs, bad);
	g_ptr_array_add(refs, b);
	got = casetag_referenced_outboxes(secret, "cert.example", "2026-0042",
					  a, refs);
	g_assert_cmpuint(got->len, ==, 2);
	g_assert_cmpint(g_array_index(got, gint64, 0), ==, 17);
	g_assert_cmpint(g_array_index(got, gint64, 1), ==, 3);
	g_array_unref(g_steal_pointer(&got));
	got = casetag_referenced_outboxes(secret, "cert.example", "2026-0042",
					  NULL, NULL);
	g_assert_cmpuint(got->len, ==, 0);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/casetag/referenced-outboxes",
			test_referenced_outboxes);
	g_test_add_func("/casetag/format", test_format);
	g_test_add_func("/casetag/is-case-id", test_is_case_id);
	g_test_add_func("/casetag/find", test_find);
	g_test_add_func("/casetag/find-dashed-prefix", test_find_dashed_prefix);
	g_test_add_func("/casetag/message-id-vector", test_message_id_vector);
	g_test_add_func("/casetag/verify-good", test_verify_good);
	g_test_add_func("/casetag/verify-bad", test_verify_bad);
	return g_test_run();
}
