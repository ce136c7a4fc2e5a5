/* test-crypto.c — crypto.c against real gpg, in GnuPG homes of its own.
 *
 * The homes live in a short /tmp/ck.XXXXXX (gpg-agent's socket path is
 * limited to about 108 bytes): c = the CERT (ed25519/cv25519, no
 * passphrase), r = a CERT with an RSA-3072 key and a passphrase file,
 * a = alice (a requester whose key the CERT has), b = bob (a requester
 * whose key arrives by Autocrypt), k = carol (a key nobody has),
 * m = mallory (a key naming another address).  Test mail is made with
 * `gpg --batch`; the agents are stopped at the end. */
#include <string.h>
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "crypto.h"
#include "store.h"

static char *base;
static char *home_c, *home_r, *home_a, *home_b, *home_k, *home_m;
static char *fpr_c, *fpr_r, *fpr_a, *fpr_b, *fpr_k, *fpr_m;
static char *rsa_pass_file;

#define CERT_ADDR  "cert@cert.example"
#define ALICE_ADDR "alice@hospital.example"
#define BOB_ADDR   "bob@clinic.example"

/* ---- running gpg ------------------------------------------------------ */

/* Runs gpg --homedir home --batch args... with stdin from input.  Returns
 * stdout (caller frees), asserting exit status 0 unless may_fail. */
static char *
gpg_full(const char *home, const char *input, gsize input_len,
	 gboolean may_fail, int *status_out, const char *const *args)
{
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	g_autofree char *in_path = g_build_filename(base, "gpg-in", NULL);
	g_autofree char *out = NULL;
	g_autofree char *err = NULL;
	g_autoptr(GError) error = NULL;
	int status = 0;

	g_assert_true(g_file_set_contents(in_path, input ? input : "",
					  input ? (gssize)input_len : 0, NULL));
	g_ptr_array_add(argv, (char *)"gpg");
	g_ptr_array_add(argv, (char *)"--homedir");
	g_ptr_array_add(argv, (char *)home);
	g_ptr_array_add(argv, (char *)"--batch");
	g_ptr_array_add(argv, (char *)"--no-tty");
	g_ptr_array_add(argv, (char *)"--trust-model");
	g_ptr_array_add(argv, (char *)"always");
	for (size_t i = 0; args[i] != NULL; i++)
		g_ptr_array_add(argv, (char *)args[i]);
	if (input != NULL)
		g_ptr_array_add(argv, in_path);
	g_ptr_array_add(argv, NULL);
	g_spawn_sync(NULL, (char **)argv->pdata, NULL, G_SPAWN_SEARCH_PATH,
		     NULL, NULL, &out, &err, &status, &error);
	g_assert_no_error(error);
	if (status_out != NULL)
		*status_out = status;
	if (!may_fail && !g_spawn_check_wait_status(status, NULL))
		g_error("gpg failed: %s", err);
	return g_steal_pointer(&out);
}

static gsize
length_or_zero(const char *text)
{
	return text != NULL ? strlen(text) : 0;
}

#define GPG(home, input, ...)                                                  \
	gpg_full(home, input, length_or_zero(input), FALSE, NULL,              \
		 (const char *const[]){__VA_ARGS__, NULL})

static char *
first_fingerprint(const char *home)
{
	g_autofree char *listing =
		GPG(home, NULL, "--with-colons", "--list-secret-keys");
	const char *fpr = strstr(listing, "\nfpr:");
	const char *end;

	g_assert_nonnull(fpr);
	fpr += strlen("\nfpr:::::::::");
	end = strchr(fpr, ':');
	return g_strndup(fpr, end - fpr);
}

static char *
make_home(const char *name, const char *uid, const char *algo,
	  const char *usage, const char *passphrase)
{
	char *home = g_build_filename(base, name, NULL);
	g_autofree char *out = NULL;

	g_assert_cmpint(g_mkdir(home, 0700), ==, 0);
	out = GPG(home, NULL, "--pinentry-mode", "loopback", "--passphrase",
		  passphrase, "--quick-gen-key", uid, algo, usage, "never");
	return home;
}

/* Copies the public key of from into to. */
static void
share_key(const char *from, const char *fpr, const char *to)
{
	g_autofree char *key = GPG(from, NULL, "--armor", "--export", fpr);
	g_autofree char *out = NULL;

	out = gpg_full(to, key, strlen(key), FALSE, NULL,
		       (const char *const[]){"--import", NULL});
}

/* ---- the crypto object -------------------------------------------------- */

static struct config *
test_config(const char *home, const char *fpr, const char *passphrase)
{
	struct config *config = g_new0(struct config, 1);

	config->identity.address = g_strdup(CERT_ADDR);
	config->crypto.enabled = TRUE;
	config->crypto.gnupg_home = g_strdup(home);
	config->crypto.key_fingerprint = g_strdup(fpr);
	config->crypto.passphrase = g_strdup(passphrase);
	return config;
}

static void
test_config_free(struct config *config)
{
	g_free(config->identity.address);
	g_free(config->crypto.gnupg_home);
	g_free(config->crypto.key_fingerprint);
	g_free(config->crypto.passphrase);
	g_free(config);
}

static struct crypto *
cert_crypto(void)
{
	struct config *config = test_config(home_c, fpr_c, NULL);
	g_autoptr(GError) error = NULL;
	struct crypto *crypto = crypto_new(config, &error);

	g_assert_no_error(error);
	g_assert_nonnull(crypto);
	test_config_free(config);
	return crypto;
}

static GMimeMessage *
parse(const char *text)
{
	GMimeStream *stream =
		g_mime_stream_mem_new_with_buffer(text, strlen(text));
	GMimeParser *parser = g_mime_parser_new_with_stream(stream);
	GMimeMessage *message = g_mime_parser_construct_message(parser, NULL);

	g_object_unref(parser);
	g_object_unref(stream);
	g_assert_nonnull(message);
	return message;
}

/* Unwraps text and returns the resulting tree serialised (LF). */
static char *
unwrap(const char *text, const char *sender, const char *pinned,
       struct crypto_result *result)
{
	struct crypto *crypto = cert_crypto();
	GMimeMessage *message = parse(text);
	g_autoptr(GError) error = NULL;
	GMimeObject *root;
	char *out;

	crypto_result_init(result);
	root = crypto_unwrap(crypto, message, sender, pinned, result, &error);
	g_assert_no_error(error);
	g_assert_true(root == GMIME_OBJECT(message));
	out = g_mime_object_to_string(root, NULL);
	g_object_unref(root);
	g_object_unref(message);
	crypto_free(&crypto);
	g_assert_null(crypto);
	{
		g_autofree char *json = crypto_result_to_json(result);

		g_test_message("result %s", json);
	}
	return out;
}

static const struct crypto_part *
part_at(const struct crypto_result *r, guint i)
{
	g_assert_cmpuint(i, <, r->parts->len);
	return r->parts->pdata[i];
}

#define HEADER_FROM_ALICE                                                      \
	"From: Alice <" ALICE_ADDR ">\n"                                       \
	"To: " CERT_ADDR "\n"                                                  \
	"Message-ID: <t@hospital.example>\n"                                   \
	"MIME-Version: 1.0\n"

static char *
pgp_mime_encrypted(const char *headers, const char *armor)
{
	return g_strdup_printf(
		"%s"
		"Content-Type: multipart/encrypted; "
		"protocol=\"application/pgp-encrypted\"; boundary=\"EEE\"\n"
		"\n"
		"--EEE\n"
		"Content-Type: application/pgp-encrypted\n\nVersion: 1\n\n"
		"--EEE\n"
		"Content-Type: application/octet-stream; name=encrypted.asc\n"
		"\n%s\n"
		"--EEE--\n",
		headers, armor);
}

static char *
encrypt_from_alice(const char *plaintext, gboolean sign, const char *to)
{
	if (sign)
		return GPG(home_a, plaintext, "--armor", "-u", fpr_a, "--sign",
			   "--encrypt", "-r", to, "--output", "-");
	return GPG(home_a, plaintext, "--armor", "--encrypt", "-r", to,
		   "--output", "-");
}

/* ---- incoming -------------------------------------------------------------
 */

static void
test_pgp_mime_signed_encrypted(void)
{
	g_autofree char *armor = encrypt_from_alice(
		"Content-Type: text/plain; charset=utf-8\r\n\r\n"
		"Ransomware on the PACS server\r\n",
		TRUE, fpr_c);
	g_autofree char *mail = pgp_mime_encrypted(
		HEADER_FROM_ALICE "Subject: report\n", armor);
	struct crypto_result r;
	g_autofree char *tree = unwrap(mail, ALICE_ADDR, fpr_a, &r);

	g_assert_true(r.encrypted);
	g_assert_true(r.decrypted);
	g_assert_null(r.decrypt_error);
	g_assert_true(r.is_signed);
	g_assert_cmpint(r.signature, ==, CRYPTOSTATUS_SIGNATURE_VALID);
	g_assert_cmpstr(r.signer_fingerprint, ==, fpr_a);
	g_assert_cmpint(r.signer_matches_pin, ==, CRYPTO_MATCH_YES);
	g_assert_nonnull(strstr(tree, "Ransomware on the PACS server"));
	g_assert_null(strstr(tree, "multipart/encrypted"));
	g_assert_cmpstr(crypto_part_kind_name(part_at(&r, 0)->kind), ==,
			"pgp_mime_encrypted");
	crypto_result_clear(&r);

	/* Another key pinned for alice: the signature is good but not the
	 * pinned key's. */
	{
		g_autofree char *again = unwrap(mail, ALICE_ADDR, fpr_k, &r);

		g_assert_cmpint(r.signer_matches_pin, ==, CRYPTO_MATCH_NO);
		crypto_result_clear(&r);
	}
}

static void
test_protected_headers(void)
{
	g_autofree char *armor = encrypt_from_alice(
		"Content-Type: multipart/mixed; boundary=\"PH\"; "
		"protected-headers=\"v1\"\r\n"
		"Subject: =?utf-8?q?Phishing_at_St=2E_Mary=E2=80=99s?=\r\n"
		"From: Alice <" ALICE_ADDR ">\r\n"
		"\r\n"
		"--PH\r\n"
		"Content-Type: text/rfc822-headers; "
		"protected-headers=\"v1\"\r\n"
		"\r\n"
		"Subject: Phishing at St. Mary's\r\n"
		"--PH\r\n"
		"Content-Type: text/plain\r\n\r\nSee the body.\r\n"
		"--PH--\r\n",
		FALSE, fpr_c);
	g_autofree char *mail =
		pgp_mime_encrypted(HEADER_FROM_ALICE "Subject: ...\n", armor);
	struct crypto_result r;
	g_autofree char *tree = unwrap(mail, ALICE_ADDR, NULL, &r);

	g_assert_true(r.decrypted);
	g_assert_false(r.is_signed);
	g_assert_cmpint(r.signature, ==, CRYPTOSTATUS_SIGNATURE_NONE);
	g_assert_cmpstr(r.protected_subject, ==,
			"Phishing at St. Mary\xe2\x80\x99s");
	g_assert_nonnull(strstr(tree, "See the body."));
	/* The legacy display part is gone from the text the stages read. */
	g_assert_null(strstr(tree, "text/rfc822-headers"));
	crypto_result_clear(&r);
}

/* A multipart/signed message over entity, signed by home's key. */
static char *
pgp_mime_signed(const char *home, const char *fpr, const char *entity,
		const char *tamper_from, const char *tamper_to)
{
	g_autofree char *signature = GPG(home, entity, "--armor", "-u", fpr,
					 "--detach-sign", "--output", "-");
	g_autofree char *content = g_strdup(entity);

	if (tamper_from != NULL) {
		char *at = strstr(content, tamper_from);

		g_assert_nonnull(at);
		memcpy(at, tamper_to, strlen(tamper_to));
	}
	return g_strdup_printf(
		HEADER_FROM_ALICE
		"Subject: signed\r\n"
		"Content-Type: multipart/signed; micalg=pgp-sha256;\r\n"
		" protocol=\"application/pgp-signature\"; boundary=\"SSS\"\r\n"
		"\r\n"
		"--SSS\r\n%s\r\n"
		"--SSS\r\n"
		"Content-Type: application/pgp-signature; "
		"name=signature.asc\r\n"
		"\r\n%s\r\n"
		"--SSS--\r\n",
		content, signature);
}

static const char signed_entity[] =
	"Content-Type: text/plain; charset=utf-8\r\n"
	"Content-Transfer-Encoding: 7bit\r\n"
	"\r\n"
	"Signed report: 40 workstations encrypted.\r\n";

static void
test_pgp_mime_signed(void)
{
	g_autofree char *good =
		pgp_mime_signed(home_a, fpr_a, signed_entity, NULL, NULL);
	g_autofree char *bad =
		pgp_mime_signed(home_a, fpr_a, signed_entity, "40", "41");
	g_autofree char *unknown =
		pgp_mime_signed(home_k, fpr_k, signed_entity, NULL, NULL);
	struct crypto_result r;
	g_autofree char *tree = unwrap(good, ALICE_ADDR, fpr_a, &r);

	g_assert_false(r.encrypted);
	g_assert_false(r.decrypted);
	g_assert_true(r.is_signed);
	g_assert_cmpint(r.signature, ==, CRYPTOSTATUS_SIGNATURE_VALID);
	g_assert_cmpstr(r.signer_fingerprint, ==, fpr_a);
	g_assert_cmpint(r.signer_matches_pin, ==, CRYPTO_MATCH_YES);
	g_assert_nonnull(strstr(tree, "40 workstations"));
	g_assert_null(strstr(tree, "pgp-signature"));
	crypto_result_clear(&r);

	g_free(tree);
	tree = unwrap(bad, ALICE_ADDR, fpr_a, &r);
	g_assert_cmpint(r.signature, ==, CRYPTOSTATUS_SIGNATURE_BAD);
	g_assert_cmpint(r.signer_matches_pin, ==, CRYPTO_MATCH_NO);
	crypto_result_clear(&r);

	g_free(tree);
	tree = unwrap(unknown, ALICE_ADDR, NULL, &r);
	g_assert_cmpint(r.signature, ==, CRYPTOSTATUS_SIGNATURE_UNKNOWN_KEY);
	/* gpg names the key by the issuer fingerprint subpacket. */
	g_assert_cmpstr(r.signer_fingerprint, ==, fpr_k);
	g_assert_cmpint(r.signer_matches_pin, ==, CRYPTO_MATCH_UNKNOWN);
	crypto_result_clear(&r);
}

static void
test_signed_then_encrypted(void)
{
	g_autofree char *signed_mail =
		pgp_mime_signed(home_a, fpr_a, signed_entity, NULL, NULL);
	/* The inner entity: the multipart/signed without the message
	 * headers. */
	const char *inner = strstr(signed_mail, "Content-Type: multipart/");
	g_autofree char *armor = encrypt_from_alice(inner, FALSE, fpr_c);
	g_autofree char *mail =
		pgp_mime_encrypted(HEADER_FROM_ALICE "Subject: x\n", armor);
	struct crypto_result r;
	g_autofree char *tree = unwrap(mail, ALICE_ADDR, NULL, &r);

	g_assert_true(r.decrypted);
	g_assert_cmpuint(r.parts->len, ==, 2);
	g_assert_cmpint(part_at(&r, 0)->signature, ==,
			CRYPTOSTATUS_SIGNATURE_NONE);
	g_assert_cmpint(part_at(&r, 1)->kind, ==, CRYPTO_PART_PGP_MIME_SIGNED);
	g_assert_cmpint(r.signature, ==, CRYPTOSTATUS_SIGNATURE_VALID);
	g_assert_cmpstr(r.signer_fingerprint, ==, fpr_a);
	g_assert_nonnull(strstr(tree, "40 workstations"));
	crypto_result_clear(&r);
}

static void
test_inline_text(void)
{
	g_autofree char *armor =
		encrypt_from_alice("Patient records exposed.\n", TRUE, fpr_c);
	g_autofree char *mail = g_strdup_printf(
		HEADER_FROM_ALICE "Subject: inline\n"
				  "Content-Type: text/plain; charset=utf-8\n\n"
				  "Hello CERT,\n\n%s\nKind regards,\nAlice\n",
		armor);
	struct crypto_result r;
	g_autofree char *tree = unwrap(mail, ALICE_ADDR, fpr_a, &r);

	g_assert_true(r.decrypted);
	g_assert_cmpint(r.signature, ==, CRYPTOSTATUS_SIGNATURE_VALID);
	g_assert_cmpint(part_at(&r, 0)->kind, ==, CRYPTO_PART_INLINE_ENCRYPTED);
	/* The text around the armor survives (GMime would drop it). */
	g_assert_nonnull(strstr(tree, "Hello CERT,"));
	g_assert_nonnull(strstr(tree, "Patient records exposed."));
	g_assert_nonnull(strstr(tree, "Kind regards,"));
	g_assert_null(strstr(tree, "BEGIN PGP"));
	crypto_result_clear(&r);

	/* Cleartext-signed inline. */
	{
		g_autofree char *clear =
			GPG(home_a, "Signed inline words.\n", "-u", fpr_a,
			    "--clearsign", "--output", "-");
		g_autofree char *mail2 = g_strdup_printf(
			HEADER_FROM_ALICE
			"Subject: clearsigned\n"
			"Content-Type: text/plain\n\nBefore.\n%sAfter.\n",
			clear);
		g_autofree char *tree2 = unwrap(mail2, ALICE_ADDR, fpr_a, &r);

		g_assert_false(r.encrypted);
		g_assert_cmpint(r.signature, ==, CRYPTOSTATUS_SIGNATURE_VALID);
		g_assert_cmpint(part_at(&r, 0)->kind, ==,
				CRYPTO_PART_INLINE_SIGNED);
		g_assert_nonnull(strstr(tree2, "Before."));
		g_assert_nonnull(strstr(tree2, "Signed inline words."));
		g_assert_nonnull(strstr(tree2, "After."));
		g_assert_null(strstr(tree2, "BEGIN PGP SIGNATURE"));
		crypto_result_clear(&r);
	}
}

/* Armor as Mailvelope writes it into HTML: one line per <br>. */
static char *
armor_to_html(const char *armor)
{
	g_auto(GStrv) lines = g_strsplit(armor, "\n", -1);

	return g_strjoinv("<br>\n", lines);
}

static void
test_inline_html_and_alternative(void)
{
	g_autofree char *armor =
		encrypt_from_alice("VPN credentials stolen.\n", FALSE, fpr_c);
	g_autofree char *html_armor = armor_to_html(armor);
	g_autofree char *mail = g_strdup_printf(
		HEADER_FROM_ALICE
		"Subject: alternative\n"
		"Content-Type: multipart/alternative; boundary=\"AAA\"\n\n"
		"--AAA\n"
		"Content-Type: text/plain; charset=utf-8\n\n"
		"Text intro\n%s\nText outro\n"
		"--AAA\n"
		"Content-Type: text/html; charset=utf-8\n\n"
		"<html><body><p>Html intro</p><div>%s</div>"
		"<p>Html outro</p></body></html>\n"
		"--AAA--\n",
		armor, html_armor);
	struct crypto_result r;
	g_autofree char *tree = unwrap(mail, ALICE_ADDR, NULL, &r);

	g_assert_true(r.decrypted);
	g_assert_cmpuint(r.parts->len, ==, 2);
	g_assert_cmpstr(part_at(&r, 0)->path, ==, "1");
	g_assert_cmpstr(part_at(&r, 1)->path, ==, "2");
	g_assert_true(part_at(&r, 1)->decrypted);
	g_assert_nonnull(strstr(tree, "Text intro"));
	g_assert_nonnull(strstr(tree, "Text outro"));
	g_assert_nonnull(strstr(tree, "Html intro"));
	g_assert_nonnull(strstr(tree, "Html outro"));
	g_assert_nonnull(strstr(tree, "<pre>VPN credentials stolen."));
	g_assert_null(strstr(tree, "BEGIN PGP"));
	crypto_result_clear(&r);
}

static void
test_encrypted_attachment(void)
{
	static const char pdf[] = "%PDF-1.4\n% fake report\n";
	g_autofree char *binary_path = g_build_filename(base, "att", NULL);
	g_autofree char *out = NULL;
	g_autofree char *binary = NULL;
	g_autofree char *b64 = NULL;
	g_autofree char *mail = NULL;
	g_autofree char *tree = NULL;
	gsize len = 0;
	struct crypto_result r;

	out = GPG(home_a, pdf, "--encrypt", "-r", fpr_c, "--output",
		  binary_path, "--yes");
	g_assert_true(g_file_get_contents(binary_path, &binary, &len, NULL));
	b64 = g_base64_encode((guchar *)binary, len);
	mail = g_strdup_printf(
		HEADER_FROM_ALICE
		"Subject: attachment\n"
		"Content-Type: multipart/mixed; boundary=\"MMM\"\n\n"
		"--MMM\nContent-Type: text/plain\n\nSee attached.\n"
		"--MMM\nContent-Type: application/octet-stream\n"
		"Content-Disposition: attachment; filename=\"report.pdf.gpg\"\n"
		"Content-Transfer-Encoding: base64\n\n%s\n"
		"--MMM--\n",
		b64);
	tree = unwrap(mail, ALICE_ADDR, NULL, &r);
	g_assert_true(r.decrypted);
	g_assert_cmpint(part_at(&r, 0)->kind, ==,
			CRYPTO_PART_ATTACHMENT_ENCRYPTED);
	g_assert_cmpstr(part_at(&r, 0)->path, ==, "2");
	g_assert_nonnull(strstr(tree, "filename=report.pdf"));
	g_assert_null(strstr(tree, "report.pdf.gpg"));
	{
		g_autofree char *pdf64 =
			g_base64_encode((const guchar *)pdf, strlen(pdf));

		g_assert_nonnull(strstr(tree, pdf64));
	}
	crypto_result_clear(&r);
}

static void
test_wrong_recipient(void)
{
	g_autofree char *armor =
		encrypt_from_alice("For carol only\n", TRUE, fpr_k);
	g_autofree char *mail =
		pgp_mime_encrypted(HEADER_FROM_ALICE "Subject: oops\n", armor);
	struct crypto_result r;
	g_autofree char *tree = unwrap(mail, ALICE_ADDR, fpr_a, &r);

	g_assert_true(r.encrypted);
	g_assert_false(r.decrypted);
	g_assert_nonnull(r.decrypt_error);
	g_assert_nonnull(strstr(r.decrypt_error, "No secret key"));
	g_assert_false(r.is_signed);
	/* Nothing is lost: the encrypted tree stays as it was. */
	g_assert_nonnull(strstr(tree, "multipart/encrypted"));
	g_assert_nonnull(strstr(tree, "BEGIN PGP MESSAGE"));
	crypto_result_clear(&r);
}

static void
test_exchange_mangled(void)
{
	g_autofree char *armor =
		encrypt_from_alice("Content-Type: text/plain\r\n\r\n"
				   "Mangled but readable\r\n",
				   FALSE, fpr_c);
	g_autofree char *mail = g_strdup_printf(
		HEADER_FROM_ALICE
		"Subject: exchange\n"
		"Content-Type: multipart/mixed; boundary=\"XXX\"\n\n"
		"--XXX\nContent-Type: text/plain; charset=us-ascii\n\n\n"
		"--XXX\nContent-Type: application/pgp-encrypted\n"
		"Content-Disposition: attachment; filename=\"PGPMIME Versions "
		"Identification\"\n\nVersion: 1\n\n"
		"--XXX\nContent-Type: application/octet-stream; "
		"name=\"encrypted.asc\"\n"
		"Content-Disposition: attachment; filename=\"encrypted.asc\"\n"
		"\n%s\n--XXX--\n",
		armor);
	struct crypto_result r;
	g_autofree char *tree = unwrap(mail, ALICE_ADDR, NULL, &r);

	g_assert_true(r.decrypted);
	g_assert_true(part_at(&r, 0)->repaired);
	g_assert_nonnull(strstr(tree, "Mangled but readable"));
	crypto_result_clear(&r);
}

static void
test_key_discovery(void)
{
	g_autofree char *bob_key = GPG(home_b, NULL, "--export", fpr_b);
	g_autofree char *mallory_key =
		GPG(home_m, NULL, "--armor", "--export", fpr_m);
	g_autofree char *keydata = NULL;
	g_autofree char *mail = NULL;
	g_autofree char *tree = NULL;
	g_autofree char *signature = NULL;
	g_autofree char *entity = g_strdup(
		"Content-Type: text/plain\r\n\r\nBob's first report.\r\n");
	struct crypto_result r;
	const struct crypto_key_found *bob = NULL, *mallory = NULL;

	/* gpg --export writes binary to stdout; GPG() read it as text, so
	 * export through a file. */
	{
		g_autofree char *path = g_build_filename(base, "bob.key", NULL);
		g_autofree char *out = GPG(home_b, NULL, "--yes", "--output",
					   path, "--export-options",
					   "export-minimal", "--export", fpr_b);
		gchar *data = NULL;
		gsize len = 0;

		g_assert_true(g_file_get_contents(path, &data, &len, NULL));
		keydata = g_base64_encode((guchar *)data, len);
		g_free(data);
	}
	signature = GPG(home_b, entity, "--armor", "-u", fpr_b, "--detach-sign",
			"--output", "-");
	mail = g_strdup_printf(
		"From: Bob <" BOB_ADDR ">\r\n"
		"To: " CERT_ADDR "\r\n"
		"Subject: keys\r\n"
		"Autocrypt: addr=" BOB_ADDR "; prefer-encrypt=mutual;\r\n"
		" keydata=%s\r\n"
		"MIME-Version: 1.0\r\n"
		"Content-Type: multipart/mixed; boundary=\"KKK\"\r\n\r\n"
		"--KKK\r\n"
		"Content-Type: multipart/signed; "
		"protocol=\"application/pgp-signature\"; "
		"micalg=pgp-sha512; boundary=\"SSS\"\r\n\r\n"
		"--SSS\r\n%s\r\n--SSS\r\n"
		"Content-Type: application/pgp-signature\r\n\r\n%s\r\n"
		"--SSS--\r\n"
		"--KKK\r\n"
		"Content-Type: application/pgp-keys; name=\"key.asc\"\r\n\r\n"
		"%s\r\n"
		"--KKK--\r\n",
		keydata, entity, signature, mallory_key);
	tree = unwrap(mail, BOB_ADDR, NULL, &r);

	for (guint i = 0; i < r.keys->len; i++) {
		const struct crypto_key_found *k = r.keys->pdata[i];

		if (g_strcmp0(k->source, "autocrypt") == 0)
			bob = k;
		else if (g_strcmp0(k->source, "attachment") == 0)
			mallory = k;
	}
	g_assert_nonnull(bob);
	g_assert_true(bob->imported);
	g_assert_cmpstr(bob->fingerprint, ==, fpr_b);
	g_assert_cmpint(cryptostatus_pin_decide(BOB_ADDR, NULL,
						bob->fingerprint,
						(const char *const *)bob->uids),
			==, CRYPTOSTATUS_PIN_NEW);
	/* The key was imported before the signature was checked. */
	g_assert_cmpint(r.signature, ==, CRYPTOSTATUS_SIGNATURE_VALID);
	g_assert_cmpstr(r.signer_fingerprint, ==, fpr_b);
	/* Mallory's key names another address: the filter dropped it. */
	g_assert_nonnull(mallory);
	g_assert_false(mallory->imported);
	g_assert_nonnull(mallory->error);
	crypto_result_clear(&r);
	{
		struct crypto *crypto = cert_crypto();
		g_autoptr(GError) error = NULL;
		g_autofree char *found =
			crypto_key_for_address(crypto, BOB_ADDR, &error);
		g_autofree char *none = crypto_key_for_address(
			crypto, "mallory@evil.example", &error);

		g_assert_no_error(error);
		g_assert_cmpstr(found, ==, fpr_b);
		g_assert_null(none);
		crypto_free(&crypto);
	}
	(void)bob_key;
}

/* ---- outgoing -------------------------------------------------------------
 */

static GMimeMessage *
reply_message(void)
{
	GMimeMessage *m = g_mime_message_new(TRUE);
	GMimeTextPart *body = g_mime_text_part_new_with_subtype("plain");

	g_mime_message_add_mailbox(m, GMIME_ADDRESS_TYPE_FROM, "CERT",
				   CERT_ADDR);
	g_mime_message_add_mailbox(m, GMIME_ADDRESS_TYPE_TO, "Alice",
				   ALICE_ADDR);
	g_mime_message_set_subject(m,
				   "[CERT-2026-0042] Ransomware at St. "
				   "Mary\xe2\x80\x99s",
				   "utf-8");
	g_mime_text_part_set_text(body, "Dear Alice,\n\nWe received your "
					"report about the PACS server.\n"
					"From here on\n  trailing   \n");
	g_mime_message_set_mime_part(m, GMIME_OBJECT(body));
	g_object_unref(body);
	return m;
}

static char *
serialize(GMimeMessage *m)
{
	GMimeFormatOptions *options = g_mime_format_options_new();
	char *text;

	g_mime_format_options_set_newline_format(options,
						 GMIME_NEWLINE_FORMAT_DOS);
	text = g_mime_object_to_string(GMIME_OBJECT(m), options);
	g_mime_format_options_free(options);
	return text;
}

/* The bytes of part index (0-based) between the boundaries, as sent. */
static char *
raw_part(const char *text, const char *boundary, int index)
{
	g_autofree char *delimiter = g_strdup_printf("\r\n--%s", boundary);
	const char *p = strstr(text, delimiter);
	const char *end;

	for (int i = 0; i <= index; i++) {
		g_assert_nonnull(p);
		p = strstr(p + strlen(delimiter), "\r\n") + 2;
		if (i < index)
			p = strstr(p, delimiter);
	}
	end = strstr(p, delimiter);
	g_assert_nonnull(end);
	return g_strndup(p, end - p);
}

static char *
boundary_of(const char *text)
{
	const char *b = strstr(text, "boundary=\"");
	const char *end;

	g_assert_nonnull(b);
	b += strlen("boundary=\"");
	end = strchr(b, '"');
	return g_strndup(b, end - b);
}

static void
test_outgoing_signed(void)
{
	struct crypto *crypto = cert_crypto();
	GMimeMessage *m = reply_message();
	g_autoptr(GError) error = NULL;
	GMimeMessage *out = crypto_protect(crypto, m, NULL, &error);
	g_autofree char *text = NULL;
	g_autofree char *boundary = NULL;
	g_autofree char *content = NULL;
	g_autofree char *signature = NULL;
	g_autofree char *content_path = g_build_filename(base, "c.txt", NULL);
	g_autofree char *sig_path = g_build_filename(base, "c.sig", NULL);
	g_autofree char *status_text = NULL;
	const char *validsig;
	g_auto(GStrv) fields = NULL;
	int status = 0;

	g_assert_no_error(error);
	g_assert_true(out == m);
	text = serialize(out);
	g_test_message("%s", text);
	g_assert_nonnull(strstr(text, "multipart/signed"));
	g_assert_nonnull(
		strstr(text, "Autocrypt: addr=" CERT_ADDR "; keydata="));
	boundary = boundary_of(text);
	content = raw_part(text, boundary, 0);
	signature = raw_part(text, boundary, 1);
	g_assert_true(g_file_set_contents(content_path, content, -1, NULL));
	g_assert_true(g_file_set_contents(
		sig_path, strstr(signature, "-----BEGIN"), -1, NULL));
	status_text =
		gpg_full(home_a, NULL, 0, TRUE, &status,
			 (const char *const[]){"--status-fd", "1", "--verify",
					       sig_path, content_path, NULL});
	g_assert_true(g_spawn_check_wait_status(status, NULL));
	validsig = strstr(status_text, "[GNUPG:] VALIDSIG ");
	g_assert_nonnull(validsig);
	fields = g_strsplit(validsig, " ", 12);
	g_assert_cmpstr(fields[2], ==, fpr_c);
	/* micalg names the hash gpg used (VALIDSIG field 9). */
	{
		static const char *const names[] = {[8] = "pgp-sha256",
						    [9] = "pgp-sha384",
						    [10] = "pgp-sha512",
						    [11] = "pgp-sha224"};
		int algo = atoi(fields[9]);
		g_autofree char *want = NULL;

		g_assert_true(algo >= 8 && algo <= 11);
		want = g_strdup_printf("micalg=%s", names[algo]);
		g_assert_nonnull(strstr(text, want));
	}
	/* The Autocrypt key is our own and imports for the address. */
	{
		GMimeMessage *back = parse(text);
		const char *value = g_mime_object_get_header(GMIME_OBJECT(back),
							     "Autocrypt");
		g_autofree char *addr = NULL;
		g_autoptr(GBytes) key = NULL;

		g_assert_true(cryptostatus_autocrypt_parse(value, 65536, &addr,
							   &key, NULL));
		g_assert_cmpstr(addr, ==, CERT_ADDR);
		g_object_unref(back);
	}
	g_object_unref(out);
	g_object_unref(m);
	crypto_free(&crypto);
}

static void
test_outgoing_encrypted(void)
{
	struct crypto *crypto = cert_crypto();
	GMimeMessage *m = reply_message();
	g_autoptr(GError) error = NULL;
	GMimeMessage *out;
	g_autofree char *text = NULL;
	g_autofree char *boundary = NULL;
	g_autofree char *armored = NULL;
	g_autofree char *clear = NULL;
	g_autofree char *status_text = NULL;
	g_autofree char *path = g_build_filename(base, "e.asc", NULL);
	int status = 0;

	/* A key we do not have is an error, and leaves the message. */
	out = crypto_protect(crypto, m, fpr_m, &error);
	g_assert_null(out);
	g_assert_error(error, CRYPTO_ERROR, CRYPTO_ERROR_KEY);
	g_clear_error(&error);

	out = crypto_protect(crypto, m, fpr_a, &error);
	g_assert_no_error(error);
	text = serialize(out);
	g_assert_nonnull(strstr(text, "multipart/encrypted"));
	g_assert_nonnull(strstr(text, "Subject: ...\r\n"));
	g_assert_null(strstr(text, "PACS"));
	boundary = boundary_of(text);
	armored = raw_part(text, boundary, 1);
	g_assert_true(g_file_set_contents(
		path, strstr(armored, "-----BEGIN PGP MESSAGE"), -1, NULL));
	/* Alice decrypts it, and the CERT signature inside verifies. */
	status_text = gpg_full(home_a, NULL, 0, TRUE, &status,
			       (const char *const[]){"--status-fd", "2",
						     "--decrypt", path, NULL});
	g_assert_true(g_spawn_check_wait_status(status, NULL));
	clear = g_strdup(status_text);
	g_test_message("%s", clear);
	g_assert_nonnull(strstr(clear, "We received your report"));
	g_assert_nonnull(strstr(clear, "protected-headers=v1"));
	g_assert_nonnull(strstr(clear, "Subject: [CERT-2026-0042]"));
	{
		g_autofree char *status_lines = NULL;
		g_autofree char *copy = NULL;

		/* Again with the status on stdout to see GOODSIG. */
		status_lines =
			gpg_full(home_a, NULL, 0, TRUE, &status,
				 (const char *const[]){
					 "--status-fd", "1", "--output",
					 "/dev/null", "--decrypt", path, NULL});
		g_assert_nonnull(strstr(status_lines, "[GNUPG:] GOODSIG"));
		g_assert_nonnull(strstr(status_lines, fpr_c));
		(void)copy;
	}
	/* The CERT can read its own copy. */
	{
		struct crypto_result r;
		g_autofree char *tree = unwrap(text, CERT_ADDR, NULL, &r);

		g_assert_true(r.decrypted);
		g_assert_cmpint(r.signature, ==, CRYPTOSTATUS_SIGNATURE_VALID);
		g_assert_cmpstr(r.protected_subject, ==,
				"[CERT-2026-0042] Ransomware at St. "
				"Mary\xe2\x80\x99s");
		crypto_result_clear(&r);
	}
	g_object_unref(out);
	g_object_unref(m);
	crypto_free(&crypto);
}

static void
test_export(void)
{
	struct crypto *crypto = cert_crypto();
	g_autoptr(GError) error = NULL;
	g_autofree char *key = crypto_export_public_key(crypto, &error);

	g_assert_no_error(error);
	g_assert_true(g_str_has_prefix(key, "-----BEGIN PGP PUBLIC KEY BLOCK"));
	g_assert_cmpstr(crypto_fingerprint(crypto), ==, fpr_c);
	crypto_free(&crypto);
}

/* The pinning flow the intake stage will run: store + pinning rule. */
static void
test_store_keys(void)
{
	g_autofree char *path = g_build_filename(base, "keys.db", NULL);
	g_autoptr(GError) error = NULL;
	struct store *store = store_open(path, &error);
	const char *const uids[] = {"Alice <" ALICE_ADDR ">", NULL};
	g_autofree char *pinned = NULL;
	g_autofree char *json = NULL;
	g_autoptr(GPtrArray) keys = NULL;
	gint64 id;

	g_assert_no_error(error);
	g_assert_null(store_key_pinned(store, ALICE_ADDR, &error));
	g_assert_no_error(error);
	g_assert_cmpint(cryptostatus_pin_decide(ALICE_ADDR, NULL, fpr_a, uids),
			==, CRYPTOSTATUS_PIN_NEW);
	g_assert_true(store_key_record(store, ALICE_ADDR, fpr_a, "pinned",
				       "autocrypt", 100, &error));
	pinned = store_key_pinned(store, "Alice@Hospital.example", &error);
	g_assert_cmpstr(pinned, ==, fpr_a);
	/* Another key for alice: a conflict, recorded, pin unchanged. */
	g_assert_cmpint(
		cryptostatus_pin_decide(ALICE_ADDR, pinned, fpr_k, uids), ==,
		CRYPTOSTATUS_PIN_CONFLICT);
	g_assert_true(store_key_record(store, ALICE_ADDR, fpr_k, "conflict",
				       "attachment", 200, &error));
	g_free(pinned);
	pinned = store_key_pinned(store, ALICE_ADDR, &error);
	g_assert_cmpstr(pinned, ==, fpr_a);
	/* Staff accept the new key: the old one is superseded. */
	g_assert_true(store_key_record(store, ALICE_ADDR, fpr_k, "pinned",
				       "staff", 300, &error));
	keys = store_key_list(store, ALICE_ADDR, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(keys->len, ==, 2);
	g_assert_cmpstr(((struct store_key *)keys->pdata[0])->fingerprint, ==,
			fpr_k);
	g_assert_cmpstr(((struct store_key *)keys->pdata[0])->state, ==,
			"pinned");
	g_assert_cmpint(((struct store_key *)keys->pdata[0])->first_seen, ==,
			200);
	g_assert_cmpstr(((struct store_key *)keys->pdata[1])->state, ==,
			"superseded");
	g_assert_false(store_key_record(store, ALICE_ADDR, fpr_k, "bogus", NULL,
					1, &error));
	g_clear_error(&error);

	id = store_message_insert(
		store,
		&(struct store_message_new){.source = "import",
					    .raw = (const guint8 *)"x",
					    .raw_len = 1,
					    .state = "received"},
		NULL, &error);
	g_assert_no_error(error);
	g_assert_true(store_message_set_crypto(store, id,
					       "{\"encrypted\":true}", &error));
	json = store_message_get_crypto(store, id, &error);
	g_assert_cmpstr(json, ==, "{\"encrypted\":true}");
	store_close(&store);
}

/* ---- setup checks ---------------------------------------------------------
 */

static void
test_setup_errors(void)
{
	g_autoptr(GError) error = NULL;
	struct config *config;
	struct crypto *crypto;
	g_autofree char *open_home = g_build_filename(base, "open", NULL);

	/* A key we have no secret for. */
	config = test_config(home_c, fpr_a, NULL);
	crypto = crypto_new(config, &error);
	g_assert_null(crypto);
	g_assert_error(error, CRYPTO_ERROR, CRYPTO_ERROR_SETUP);
	g_test_message("%s", error->message);
	g_clear_error(&error);
	test_config_free(config);

	/* A home others can read. */
	g_assert_cmpint(g_mkdir(open_home, 0755), ==, 0);
	config = test_config(open_home, fpr_c, NULL);
	crypto = crypto_new(config, &error);
	g_assert_null(crypto);
	g_assert_nonnull(strstr(error->message, "too open"));
	g_clear_error(&error);
	test_config_free(config);
	g_rmdir(open_home);

	/* Not a fingerprint. */
	config = test_config(home_c, "ABCD", NULL);
	crypto = crypto_new(config, &error);
	g_assert_null(crypto);
	g_clear_error(&error);
	test_config_free(config);
}

static void
test_rsa_passphrase(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *passphrase = NULL;
	struct config *config;
	struct crypto *crypto;

	/* A wrong passphrase first: the agent caches a right one. */
	config = test_config(home_r, fpr_r, "not the passphrase");
	crypto = crypto_new(config, &error);
	g_assert_null(crypto);
	g_assert_error(error, CRYPTO_ERROR, CRYPTO_ERROR_SETUP);
	g_test_message("%s", error->message);
	g_clear_error(&error);
	test_config_free(config);

	g_assert_true(
		g_file_get_contents(rsa_pass_file, &passphrase, NULL, NULL));
	g_strchomp(passphrase);
	config = test_config(home_r, fpr_r, passphrase);
	crypto = crypto_new(config, &error);
	g_assert_no_error(error);
	g_assert_nonnull(crypto);
	/* It decrypts for the RSA key too. */
	{
		g_autofree char *armor =
			GPG(home_a, "rsa secret\n", "--armor", "--encrypt",
			    "-r", fpr_r, "--output", "-");
		GMimeMessage *m = NULL;
		g_autofree char *mail = g_strdup_printf(
			HEADER_FROM_ALICE "Subject: rsa\n"
					  "Content-Type: text/plain\n\n%s",
			armor);
		struct crypto_result r;
		GMimeObject *root;
		g_autofree char *tree = NULL;

		m = parse(mail);
		crypto_result_init(&r);
		root = crypto_unwrap(crypto, m, ALICE_ADDR, NULL, &r, &error);
		g_assert_no_error(error);
		g_assert_true(r.decrypted);
		tree = g_mime_object_to_string(root, NULL);
		g_assert_nonnull(strstr(tree, "rsa secret"));
		g_object_unref(root);
		g_object_unref(m);
		crypto_result_clear(&r);
	}
	crypto_free(&crypto);
	test_config_free(config);
}

/* ---- two contexts, two threads (the intake worker and its read-ahead) ---
 */

#define CONCURRENT_ROUNDS 6

struct decrypting {
	struct crypto *crypto;
	const char *mail;
	guint decrypted;
};

static gpointer
decrypt_thread(gpointer data)
{
	struct decrypting *d = data;

	for (int i = 0; i < CONCURRENT_ROUNDS; i++) {
		GMimeMessage *m = parse(d->mail);
		g_autoptr(GError) error = NULL;
		struct crypto_result r;
		GMimeObject *root;

		crypto_result_init(&r);
		root = crypto_unwrap(d->crypto, m, ALICE_ADDR, fpr_a, &r,
				     &error);
		if (root != NULL && r.decrypted &&
		    r.signature == CRYPTOSTATUS_SIGNATURE_VALID)
			d->decrypted++;
		g_clear_object(&root);
		g_object_unref(m);
		crypto_result_clear(&r);
	}
	return NULL;
}

/* One context decrypts and verifies while another encrypts and signs, at
 * the same time, on the same home and agent: both get every operation
 * right. */
static void
test_two_contexts_concurrent(void)
{
	struct crypto *reader = cert_crypto();
	struct crypto *writer = cert_crypto();
	g_autofree char *armor = encrypt_from_alice(
		"Content-Type: text/plain\n\nConcurrent report.\n", TRUE,
		fpr_c);
	g_autofree char *mail =
		pgp_mime_encrypted(HEADER_FROM_ALICE "Subject: ...\n", armor);
	struct decrypting d = {.crypto = reader, .mail = mail};
	GThread *thread = g_thread_new("decrypt", decrypt_thread, &d);
	guint encrypted = 0;

	for (int i = 0; i < CONCURRENT_ROUNDS; i++) {
		g_autoptr(GError) error = NULL;
		GMimeMessage *m = reply_message();
		GMimeMessage *out = crypto_protect(writer, m, fpr_a, &error);

		g_assert_no_error(error);
		if (out != NULL) {
			g_autofree char *text = serialize(out);

			if (strstr(text, "multipart/encrypted") != NULL)
				encrypted++;
			g_object_unref(out);
		}
		g_object_unref(m);
	}
	g_thread_join(thread);
	g_assert_cmpuint(encrypted, ==, CONCURRENT_ROUNDS);
	g_assert_cmpuint(d.decrypted, ==, CONCURRENT_ROUNDS);
	crypto_free(&reader);
	crypto_free(&writer);
}

/* An import through one context empties the key cache of every other:
 * the worker's context must not encrypt to a key the read-ahead's
 * context just learnt was revoked. */
static void
test_import_empties_other_caches(void)
{
	struct crypto *reader = cert_crypto();
	struct crypto *writer = cert_crypto();
	g_autofree char *home_d = make_home("d", "Dave <dave@clinic.example>",
					    "future-default", "default", "");
	g_autofree char *fpr_d = first_fingerprint(home_d);
	g_autofree char *rev_path =
		g_strdup_printf("%s/openpgp-revocs.d/%s.rev", home_d, fpr_d);
	g_autofree char *rev = NULL;
	g_autofree char *revoked = NULL;
	g_autofree char *mail = NULL;
	g_autofree char *out = NULL;
	struct crypto_result r;
	char *armor;

	share_key(home_d, fpr_d, home_c);
	/* The worker's context looks the key up and caches it. */
	g_assert_true(crypto_key_can_encrypt(writer, fpr_d));
	/* Dave revokes his key (gpg left a revocation certificate with a
	 * ':' before its armor, against accidental import). */
	g_assert_true(g_file_get_contents(rev_path, &rev, NULL, NULL));
	armor = strstr(rev, ":-----BEGIN");
	g_assert_nonnull(armor);
	out = gpg_full(home_d, armor + 1, strlen(armor + 1), FALSE, NULL,
		       (const char *const[]){"--import", NULL});
	revoked = GPG(home_d, NULL, "--armor", "--export", fpr_d);
	mail = g_strdup_printf(
		"From: Dave <dave@clinic.example>\n"
		"To: " CERT_ADDR "\n"
		"Subject: my key was stolen\n"
		"MIME-Version: 1.0\n"
		"Content-Type: multipart/mixed; boundary=\"RRR\"\n\n"
		"--RRR\n"
		"Content-Type: text/plain\n\nOur laptop was stolen.\n"
		"--RRR\n"
		"Content-Type: application/pgp-keys; name=\"key.asc\"\n\n"
		"%s\n"
		"--RRR--\n",
		revoked);
	/* The read-ahead's context imports the revoked key. */
	{
		GMimeMessage *m = parse(mail);
		g_autoptr(GError) error = NULL;
		GMimeObject *root;

		crypto_result_init(&r);
		root = crypto_unwrap(reader, m, "dave@clinic.example", fpr_d,
				     &r, &error);
		g_assert_no_error(error);
		g_assert_cmpuint(r.keys->len, >=, 1);
		g_object_unref(root);
		g_object_unref(m);
		crypto_result_clear(&r);
	}
	g_assert_false(crypto_key_can_encrypt(reader, fpr_d));
	/* Without the shared generation the worker's cache would still say
	 * yes for five minutes. */
	g_assert_false(crypto_key_can_encrypt(writer, fpr_d));
	{
		const char *argv[] = {"gpgconf", "--homedir", home_d,
				      "--kill",	 "all",	      NULL};

		g_spawn_sync(NULL, (char **)argv, NULL,
			     G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL |
				     G_SPAWN_STDERR_TO_DEV_NULL,
			     NULL, NULL, NULL, NULL, NULL, NULL);
	}
	crypto_free(&reader);
	crypto_free(&writer);
}

/* ---- main -----------------------------------------------------------------
 */

static void
setup(void)
{
	char template[] = "/tmp/ck.XXXXXX";

	g_assert_nonnull(g_mkdtemp(template));
	base = g_strdup(template);
	home_c = make_home("c", "CERT <" CERT_ADDR ">", "future-default",
			   "default", "");
	home_a = make_home("a", "Alice <" ALICE_ADDR ">", "future-default",
			   "default", "");
	home_b = make_home("b", "Bob <" BOB_ADDR ">", "future-default",
			   "default", "");
	home_k = make_home("k", "Carol <carol@elsewhere.example>",
			   "future-default", "default", "");
	home_m = make_home("m", "Mallory <mallory@evil.example>",
			   "future-default", "default", "");
	home_r = make_home("r", "CERT RSA <" CERT_ADDR ">", "rsa3072",
			   "cert,sign,encr", "correct horse battery");
	rsa_pass_file = g_build_filename(base, "passphrase", NULL);
	g_assert_true(g_file_set_contents(rsa_pass_file,
					  "correct horse battery\n", -1, NULL));
	g_chmod(rsa_pass_file, 0600);
	fpr_c = first_fingerprint(home_c);
	fpr_a = first_fingerprint(home_a);
	fpr_b = first_fingerprint(home_b);
	fpr_k = first_fingerprint(home_k);
	fpr_m = first_fingerprint(home_m);
	fpr_r = first_fingerprint(home_r);
	/* Alice and the CERT know each other; alice can also write to
	 * carol (the wrong-recipient case) and to the RSA CERT. */
	share_key(home_a, fpr_a, home_c);
	share_key(home_c, fpr_c, home_a);
	share_key(home_k, fpr_k, home_a);
	share_key(home_r, fpr_r, home_a);
}

static void
teardown(void)
{
	const char *const homes[] = {home_c, home_r, home_a,
				     home_b, home_k, home_m};
	g_autofree char *rm = g_strdup_printf("rm -rf %s", base);

	for (size_t i = 0; i < G_N_ELEMENTS(homes); i++) {
		const char *argv[] = {"gpgconf", "--homedir", homes[i],
				      "--kill",	 "all",	      NULL};

		g_spawn_sync(NULL, (char **)argv, NULL,
			     G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL |
				     G_SPAWN_STDERR_TO_DEV_NULL,
			     NULL, NULL, NULL, NULL, NULL, NULL);
	}
	g_assert_true(g_spawn_command_line_sync(rm, NULL, NULL, NULL, NULL));
	g_free(base);
	g_free(home_c), g_free(home_r), g_free(home_a);
	g_free(home_b), g_free(home_k), g_free(home_m);
	g_free(fpr_c), g_free(fpr_r), g_free(fpr_a);
	g_free(fpr_b), g_free(fpr_k), g_free(fpr_m);
	g_free(rsa_pass_file);
}

int
main(int argc, char **argv)
{
	int status = 0;
	pid_t pid;

	g_test_init(&argc, &argv, NULL);
	g_mime_init();
	setup();
	g_test_add_func("/crypto/pgp-mime-signed-encrypted",
			test_pgp_mime_signed_encrypted);
	g_test_add_func("/crypto/protected-headers", test_protected_headers);
	g_test_add_func("/crypto/pgp-mime-signed", test_pgp_mime_signed);
	g_test_add_func("/crypto/signed-then-encrypted",
			test_signed_then_encrypted);
	g_test_add_func("/crypto/inline-text", test_inline_text);
	g_test_add_func("/crypto/inline-html-alternative",
			test_inline_html_and_alternative);
	g_test_add_func("/crypto/encrypted-attachment",
			test_encrypted_attachment);
	g_test_add_func("/crypto/wrong-recipient", test_wrong_recipient);
	g_test_add_func("/crypto/exchange-mangled", test_exchange_mangled);
	g_test_add_func("/crypto/key-discovery", test_key_discovery);
	g_test_add_func("/crypto/outgoing-signed", test_outgoing_signed);
	g_test_add_func("/crypto/outgoing-encrypted", test_outgoing_encrypted);
	g_test_add_func("/crypto/export", test_export);
	g_test_add_func("/crypto/setup-errors", test_setup_errors);
	g_test_add_func("/crypto/store-keys", test_store_keys);
	g_test_add_func("/crypto/two-contexts-concurrent",
			test_two_contexts_concurrent);
	g_test_add_func("/crypto/import-empties-other-caches",
			test_import_empties_other_caches);
	/* Last: it points GPGME's default home elsewhere. */
	g_test_add_func("/crypto/rsa-passphrase", test_rsa_passphrase);
	/* The tests run in a child so that the agents are stopped and the
	 * homes removed even when an assertion aborts it. */
	pid = fork();
	g_assert_cmpint(pid, >=, 0);
	if (pid == 0) {
		status = g_test_run();
		g_mime_shutdown();
		exit(status);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	teardown();
	g_mime_shutdown();
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
