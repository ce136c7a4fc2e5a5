/* test-cryptostatus.c — signature status mapping, the key pinning rule,
 * inline armor detection and Autocrypt parsing, table by table. */
#include <string.h>

#include "cryptostatus.h"

#define FPR_A "0123456789ABCDEF0123456789ABCDEF01234567"
#define FPR_B "89ABCDEF0123456789ABCDEF0123456789ABCDEF"

static void
test_signature_mapping(void)
{
	static const struct {
		unsigned summary;
		enum cryptostatus_code code;
		enum cryptostatus_signature want;
	} cases[] = {
		/* Good signature, imported but uncertified key: no bits. */
		{0, CRYPTOSTATUS_CODE_OK, CRYPTOSTATUS_SIGNATURE_VALID},
		{CRYPTOSTATUS_SUM_VALID | CRYPTOSTATUS_SUM_GREEN,
		 CRYPTOSTATUS_CODE_OK, CRYPTOSTATUS_SIGNATURE_VALID},
		/* Tampered content. */
		{CRYPTOSTATUS_SUM_RED, CRYPTOSTATUS_CODE_BAD_SIGNATURE,
		 CRYPTOSTATUS_SIGNATURE_BAD},
		{CRYPTOSTATUS_SUM_RED, CRYPTOSTATUS_CODE_OK,
		 CRYPTOSTATUS_SIGNATURE_BAD},
		{0, CRYPTOSTATUS_CODE_BAD_SIGNATURE,
		 CRYPTOSTATUS_SIGNATURE_BAD},
		/* Unknown key. */
		{CRYPTOSTATUS_SUM_KEY_MISSING, CRYPTOSTATUS_CODE_NO_PUBKEY,
		 CRYPTOSTATUS_SIGNATURE_UNKNOWN_KEY},
		{0, CRYPTOSTATUS_CODE_NO_PUBKEY,
		 CRYPTOSTATUS_SIGNATURE_UNKNOWN_KEY},
		/* Revoked: gpg sets RED as well. */
		{CRYPTOSTATUS_SUM_RED | CRYPTOSTATUS_SUM_KEY_REVOKED,
		 CRYPTOSTATUS_CODE_CERT_REVOKED,
		 CRYPTOSTATUS_SIGNATURE_REVOKED},
		{CRYPTOSTATUS_SUM_KEY_REVOKED, CRYPTOSTATUS_CODE_OK,
		 CRYPTOSTATUS_SIGNATURE_REVOKED},
		/* Expired key or signature. */
		{CRYPTOSTATUS_SUM_KEY_EXPIRED, CRYPTOSTATUS_CODE_KEY_EXPIRED,
		 CRYPTOSTATUS_SIGNATURE_EXPIRED},
		{CRYPTOSTATUS_SUM_SIG_EXPIRED, CRYPTOSTATUS_CODE_SIG_EXPIRED,
		 CRYPTOSTATUS_SIGNATURE_EXPIRED},
		{CRYPTOSTATUS_SUM_RED | CRYPTOSTATUS_SUM_KEY_EXPIRED,
		 CRYPTOSTATUS_CODE_KEY_EXPIRED, CRYPTOSTATUS_SIGNATURE_EXPIRED},
		/* A bad signature stays bad even by an expired key. */
		{CRYPTOSTATUS_SUM_RED | CRYPTOSTATUS_SUM_KEY_EXPIRED,
		 CRYPTOSTATUS_CODE_BAD_SIGNATURE, CRYPTOSTATUS_SIGNATURE_BAD},
		/* System errors win over everything. */
		{CRYPTOSTATUS_SUM_SYS_ERROR | CRYPTOSTATUS_SUM_KEY_MISSING,
		 CRYPTOSTATUS_CODE_NO_PUBKEY, CRYPTOSTATUS_SIGNATURE_ERROR},
		{0, CRYPTOSTATUS_CODE_OTHER, CRYPTOSTATUS_SIGNATURE_ERROR},
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		enum cryptostatus_signature got = cryptostatus_signature_from(
			cases[i].summary, cases[i].code);

		g_test_message("case %zu: summary 0x%x code %d", i,
			       cases[i].summary, cases[i].code);
		g_assert_cmpstr(cryptostatus_signature_name(got), ==,
				cryptostatus_signature_name(cases[i].want));
	}
	g_assert_cmpstr(
		cryptostatus_signature_name(CRYPTOSTATUS_SIGNATURE_UNKNOWN_KEY),
		==, "unknown_key");
}

static void
test_fingerprint(void)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{FPR_A, FPR_A},
		{"0123 4567 89ab cdef 0123  4567 89AB CDEF 0123 4567",
		 "0123456789ABCDEF0123456789ABCDEF01234567"},
		{"0123456789ABCDEF", NULL}, /* a key id is not enough */
		{FPR_A "0", NULL},
		{"G123456789ABCDEF0123456789ABCDEF01234567", NULL},
		{"", NULL},
		{FPR_A FPR_B "012345", NULL},
		{FPR_A "0123456789ABCDEF01234567",
		 FPR_A "0123456789ABCDEF01234567"},
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *got =
			cryptostatus_fingerprint_normalize(cases[i].in);

		g_assert_cmpstr(got, ==, cases[i].want);
	}
	g_assert_null(cryptostatus_fingerprint_normalize(NULL));
}

static void
test_uid_address(void)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{"Alice Example <Alice@Hospital.example>",
		 "alice@hospital.example"},
		{"<a@b.example>", "a@b.example"},
		{"a@b.example", "a@b.example"},
		{"Alice (work) <a@b.example>", "a@b.example"},
		{"Alice", NULL},
		{"Alice <>", NULL},
		{"<a b@c.example>", NULL},
		{"a@b@c.example", NULL},
		{"@b.example", NULL},
		{"Mallory <a@b.example> <m@evil.example>", "m@evil.example"},
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *got = cryptostatus_uid_address(cases[i].in);

		g_test_message("uid %s", cases[i].in);
		g_assert_cmpstr(got, ==, cases[i].want);
	}
}

static void
test_pinning(void)
{
	static const char *const uids_alice[] = {
		"Alice <alice@hospital.example>", NULL};
	static const char *const uids_two[] = {"Alice <alice@home.example>",
					       "alice@Hospital.example", NULL};
	static const char *const uids_other[] = {
		"Alice <alice@hospital.example.evil>", "alice", NULL};
	static const char *const uids_none[] = {NULL};
	static const struct {
		const char *address, *pinned, *fingerprint;
		const char *const *uids;
		enum cryptostatus_pin want;
	} cases[] = {
		{"alice@hospital.example", NULL, FPR_A, uids_alice,
		 CRYPTOSTATUS_PIN_NEW},
		{"alice@hospital.example", FPR_A, FPR_A, uids_alice,
		 CRYPTOSTATUS_PIN_SAME},
		/* Spacing and case of the stored pin do not matter. */
		{"Alice@Hospital.example",
		 "0123 4567 89ab cdef 0123 4567 89ab cdef 0123 4567", FPR_A,
		 uids_alice, CRYPTOSTATUS_PIN_SAME},
		{"alice@hospital.example", FPR_B, FPR_A, uids_alice,
		 CRYPTOSTATUS_PIN_CONFLICT},
		/* Any one matching uid among several is enough. */
		{"alice@hospital.example", NULL, FPR_A, uids_two,
		 CRYPTOSTATUS_PIN_NEW},
		/* A lookalike domain or a bare name is not the address, and
		 * a mismatch is rejected even when a key is pinned. */
		{"alice@hospital.example", NULL, FPR_A, uids_other,
		 CRYPTOSTATUS_PIN_REJECT_UID_MISMATCH},
		{"alice@hospital.example", FPR_A, FPR_B, uids_other,
		 CRYPTOSTATUS_PIN_REJECT_UID_MISMATCH},
		{"alice@hospital.example", NULL, FPR_A, uids_none,
		 CRYPTOSTATUS_PIN_REJECT_UID_MISMATCH},
		{"alice@hospital.example", NULL, FPR_A, NULL,
		 CRYPTOSTATUS_PIN_REJECT_UID_MISMATCH},
		{"alice@hospital.example", NULL, "ABCDEF0123456789", uids_alice,
		 CRYPTOSTATUS_PIN_REJECT_INVALID},
		{"not an address", NULL, FPR_A, uids_alice,
		 CRYPTOSTATUS_PIN_REJECT_INVALID},
		{"alice@hospital.example", "garbage", FPR_A, uids_alice,
		 CRYPTOSTATUS_PIN_REJECT_INVALID},
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		enum cryptostatus_pin got = cryptostatus_pin_decide(
			cases[i].address, cases[i].pinned, cases[i].fingerprint,
			cases[i].uids);

		g_test_message("pin case %zu", i);
		g_assert_cmpstr(cryptostatus_pin_name(got), ==,
				cryptostatus_pin_name(cases[i].want));
	}
}

static void
test_armor_find(void)
{
	static const char text[] =
		"Hello,\n"
		"-----BEGIN PGP MESSAGE-----\n\nhQEM\n-----END PGP "
		"MESSAGE-----\n"
		"between\n"
		"  -----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\nsigned\n"
		"-----BEGIN PGP SIGNATURE-----\n\niHUE\n"
		"-----END PGP SIGNATURE-----\r\n"
		"> -----BEGIN PGP MESSAGE-----\n" /* quoted: not a line start */
		"-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmDME\n"
		"-----END PGP PUBLIC KEY BLOCK-----"
		"\n-----BEGIN PGP MESSAGE-----\nunterminated\n";
	g_autoptr(GArray) blocks =
		cryptostatus_armor_find(text, strlen(text), 16);
	const struct cryptostatus_armor_block *b;

	g_assert_cmpuint(blocks->len, ==, 3);
	b = &g_array_index(blocks, struct cryptostatus_armor_block, 0);
	g_assert_cmpint(b->kind, ==, CRYPTOSTATUS_ARMOR_MESSAGE);
	g_assert_cmpuint(b->start, ==, strlen("Hello,\n"));
	g_assert_true(g_str_has_prefix(text + b->end, "between\n"));
	b = &g_array_index(blocks, struct cryptostatus_armor_block, 1);
	g_assert_cmpint(b->kind, ==, CRYPTOSTATUS_ARMOR_SIGNED);
	g_assert_true(
		g_str_has_prefix(text + b->start, "-----BEGIN PGP SIGNED"));
	g_assert_true(g_str_has_prefix(text + b->end, "> -----BEGIN"));
	b = &g_array_index(blocks, struct cryptostatus_armor_block, 2);
	g_assert_cmpint(b->kind, ==, CRYPTOSTATUS_ARMOR_KEY);

	/* The cap holds. */
	{
		g_autoptr(GArray) one =
			cryptostatus_armor_find(text, strlen(text), 1);

		g_assert_cmpuint(one->len, ==, 1);
	}
	/* Nothing to find. */
	{
		g_autoptr(GArray) none = cryptostatus_armor_find("x", 1, 4);

		g_assert_cmpuint(none->len, ==, 0);
	}
}

static void
test_html_to_armor(void)
{
	static const struct {
		const char *html, *want;
	} cases[] = {
		/* Mailvelope-style: one <p> per line. */
		{"<p>-----BEGIN PGP MESSAGE-----</p><p>Version: X 1</p><p></p>"
		 "<p>hQEM</p><p>AbC+/=</p><p>-----END PGP MESSAGE-----</p>",
		 "-----BEGIN PGP MESSAGE-----\nVersion: X 1\n\nhQEM\nAbC+/=\n"
		 "-----END PGP MESSAGE-----\n"},
		/* <br> lines with entities and indentation. */
		{"<div>-----BEGIN PGP MESSAGE-----<br>\r\n<br>  hQEM&#43;x<br>"
		 "&#x3D;ab&amp;<br>-----END PGP MESSAGE-----</div>",
		 "-----BEGIN PGP MESSAGE-----\n\nhQEM+x\n=ab&\n"
		 "-----END PGP MESSAGE-----\n"},
		/* <pre> keeps its newlines. */
		{"<pre>-----BEGIN PGP MESSAGE-----\n\nhQEM\n"
		 "-----END PGP MESSAGE-----\n</pre>",
		 "-----BEGIN PGP MESSAGE-----\n\nhQEM\n"
		 "-----END PGP MESSAGE-----\n"},
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *got = cryptostatus_html_to_armor(
			cases[i].html, strlen(cases[i].html));

		g_assert_cmpstr(got, ==, cases[i].want);
	}
}

static void
test_autocrypt(void)
{
	static const struct {
		const char *value;
		const char *want_addr; /* NULL: rejected */
		const char *want_key;
	} cases[] = {
		{"addr=Alice@Hospital.example; prefer-encrypt=mutual; "
		 "keydata=aGVs bG8=",
		 "alice@hospital.example", "hello"},
		{"addr=a@b.example; _ignored=1; keydata=aGVsbG8=",
		 "a@b.example", "hello"},
		{"addr=a@b.example; critical=1; keydata=aGVsbG8=", NULL, NULL},
		{"addr=a@b.example", NULL, NULL},
		{"keydata=aGVsbG8=", NULL, NULL},
		{"addr=a@b.example; keydata=a*b", NULL, NULL},
		{"addr=a@b.example; addr=c@d.example; keydata=aGVsbG8=", NULL,
		 NULL},
		{"addr=nobody; keydata=aGVsbG8=", NULL, NULL},
		{"addr=a@b.example; keydata=", NULL, NULL},
		/* Over the size cap (8 bytes in this test). */
		{"addr=a@b.example; keydata=aGVsbG8gd29ybGQgYWdhaW4=", NULL,
		 NULL},
		{"garbage", NULL, NULL},
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *addr = NULL;
		g_autoptr(GBytes) key = NULL;
		g_autoptr(GError) error = NULL;
		gboolean ok = cryptostatus_autocrypt_parse(cases[i].value, 8,
							   &addr, &key, &error);

		g_test_message("autocrypt %s", cases[i].value);
		if (cases[i].want_addr == NULL) {
			g_assert_false(ok);
			g_assert_nonnull(error);
			g_assert_null(addr);
			g_assert_null(key);
			continue;
		}
		g_assert_no_error(error);
		g_assert_true(ok);
		g_assert_cmpstr(addr, ==, cases[i].want_addr);
		g_assert_cmpmem(g_bytes_get_data(key, NULL),
				g_bytes_get_size(key), cases[i].want_key,
				strlen(cases[i].want_key));
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/cryptostatus/signature", test_signature_mapping);
	g_test_add_func("/cryptostatus/fingerprint", test_fingerprint);
	g_test_add_func("/cryptostatus/uid-address", test_uid_address);
	g_test_add_func("/cryptostatus/pinning", test_pinning);
	g_test_add_func("/cryptostatus/armor-find", test_armor_find);
	g_test_add_func("/cryptostatus/html-to-armor", test_html_to_armor);
	g_test_add_func("/cryptostatus/autocrypt", test_autocrypt);
	return g_test_run();
}
