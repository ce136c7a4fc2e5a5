/* crypto.c — OpenPGP with GPGME: unwrap incoming mail, protect outgoing.
 *
 * Every gpg operation goes through our own gpgme_ctx_t, never through
 * GMime's crypto contexts: GMime creates a new context per operation (an
 * extra gpg exec each), and our context carries the loopback pinentry and
 * the import filter.  GMime is used for the MIME structure only. */
#include "crypto.h"

#include <errno.h>
#include <locale.h>
#include <string.h>
#include <sys/stat.h>
#include <gpgme.h>
#include <json-glib/json-glib.h>

/* GMime 3.2 declares no g_autoptr cleanups for its types. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GMimeStream, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GMimeParser, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GMimeObject, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GMimeContentType, g_object_unref)

#define DEFAULT_MAX_PLAINTEXT_BYTES (25 * 1024 * 1024)
#define DEFAULT_MAX_DEPTH	    32
#define DEFAULT_MAX_OPERATIONS	    16
#define MAX_ARMOR_BLOCKS	    8
#define MAX_KEY_BYTES		    (256 * 1024)
#define AUTOCRYPT_LINE		    72
/* Public keys looked up are kept this long (seconds): each lookup is a gpg
 * exec, as costly as a decryption.  An import empties the cache at once;
 * the age bounds how long a change made outside intaked (staff revoking a
 * key with gpg) goes unseen. */
#define KEY_CACHE_SECONDS 300
#define KEY_CACHE_MAX	  1024

/* Bumped by every import in the process.  The GnuPG home is process-wide,
 * so an import through one struct crypto (the intake read-ahead's)
 * empties the key caches of all of them (the intake worker's) before
 * their next lookup. */
static gint import_generation;

G_STATIC_ASSERT((int)CRYPTOSTATUS_SUM_VALID == (int)GPGME_SIGSUM_VALID);
G_STATIC_ASSERT((int)CRYPTOSTATUS_SUM_RED == (int)GPGME_SIGSUM_RED);
G_STATIC_ASSERT((int)CRYPTOSTATUS_SUM_KEY_REVOKED ==
		(int)GPGME_SIGSUM_KEY_REVOKED);
G_STATIC_ASSERT((int)CRYPTOSTATUS_SUM_KEY_EXPIRED ==
		(int)GPGME_SIGSUM_KEY_EXPIRED);
G_STATIC_ASSERT((int)CRYPTOSTATUS_SUM_SIG_EXPIRED ==
		(int)GPGME_SIGSUM_SIG_EXPIRED);
G_STATIC_ASSERT((int)CRYPTOSTATUS_SUM_KEY_MISSING ==
		(int)GPGME_SIGSUM_KEY_MISSING);
G_STATIC_ASSERT((int)CRYPTOSTATUS_SUM_SYS_ERROR == (int)GPGME_SIGSUM_SYS_ERROR);

struct crypto {
	gpgme_ctx_t ctx;
	char *home;
	char *fingerprint;     /* the CERT key, primary, upper case */
	char *address;	       /* identity.address */
	char *passphrase;      /* NULL: none */
	gpgme_key_t own_key;   /* public part, for encryption to ourselves */
	GBytes *autocrypt_key; /* minimal binary export, for Autocrypt */
	/* fingerprint as asked (upper case) -> struct cached_key */
	GHashTable *key_cache;
	gint key_cache_generation; /* import_generation it was filled at */
	gsize max_plaintext;
	guint max_depth;
	guint max_operations;
};

struct cached_key {
	gpgme_key_t key;
	gint64 at; /* monotonic seconds */
};

static void
cached_key_free(gpointer data)
{
	struct cached_key *entry = data;

	gpgme_key_unref(entry->key);
	g_free(entry);
}

/* The public key with fingerprint (primary or subkey), from the cache or
 * from gpg.  Returns a new reference (gpgme_key_unref) or NULL when gpg
 * has no such key. */
static gpgme_key_t
lookup_key(struct crypto *crypto, const char *fingerprint)
{
	g_autofree char *wanted = g_ascii_strup(fingerprint, -1);
	gint64 now = g_get_monotonic_time() / G_USEC_PER_SEC;
	gint generation = g_atomic_int_get(&import_generation);
	struct cached_key *entry = NULL;
	gpgme_key_t key = NULL;

	if (crypto->key_cache_generation != generation) {
		g_hash_table_remove_all(crypto->key_cache);
		crypto->key_cache_generation = generation;
	}
	entry = g_hash_table_lookup(crypto->key_cache, wanted);
	if (entry != NULL && now - entry->at < KEY_CACHE_SECONDS) {
		gpgme_key_ref(entry->key);
		return entry->key;
	}
	if (gpgme_get_key(crypto->ctx, wanted, &key, 0) != 0 || key == NULL)
		return NULL;
	if (g_hash_table_size(crypto->key_cache) >= KEY_CACHE_MAX)
		g_hash_table_remove_all(crypto->key_cache);
	entry = g_new0(struct cached_key, 1);
	entry->key = key;
	entry->at = now;
	gpgme_key_ref(key);
	g_hash_table_replace(crypto->key_cache, g_steal_pointer(&wanted),
			     entry);
	return key;
}

GQuark
crypto_error_quark(void)
{
	return g_quark_from_static_string("intaked-crypto-error");
}

static void
set_gpgme_error(GError **error, int code, gpgme_error_t err, const char *what)
{
	char text[256];

	gpgme_strerror_r(err, text, sizeof text);
	g_set_error(error, CRYPTO_ERROR, code, "%s: %s", what, text);
}

/* ---- output with a size cap ----------------------------------------- */

/* gpg output goes to memory through this sink so a compressed bomb stops
 * at the plaintext limit instead of filling memory. */
struct sink {
	GByteArray *bytes;
	gsize max;
	gboolean overflow;
};

static ssize_t
sink_write(void *handle, const void *buffer, size_t size)
{
	struct sink *sink = handle;

	if (sink->bytes->len >= sink->max ||
	    size > sink->max - sink->bytes->len) {
		sink->overflow = TRUE;
		errno = ENOSPC;
		return -1;
	}
	g_byte_array_append(sink->bytes, buffer, size);
	return size;
}

static struct gpgme_data_cbs sink_cbs = {
	.write = sink_write,
};

static gpgme_data_t
sink_open(struct sink *sink, gsize max)
{
	gpgme_data_t data = NULL;

	sink->bytes = g_byte_array_new();
	sink->max = max;
	sink->overflow = FALSE;
	if (gpgme_data_new_from_cbs(&data, &sink_cbs, sink) != 0)
		g_error("gpgme_data_new_from_cbs failed");
	return data;
}

/* Returns the collected bytes (caller unrefs). */
static GBytes *
sink_close(struct sink *sink, gpgme_data_t data)
{
	gpgme_data_release(data);
	return g_byte_array_free_to_bytes(sink->bytes);
}

static gpgme_data_t
data_from(const void *bytes, gsize len)
{
	gpgme_data_t data = NULL;

	/* No copy: the bytes outlive the operation. */
	if (gpgme_data_new_from_mem(&data, bytes, len, 0) != 0)
		g_error("gpgme_data_new_from_mem failed");
	return data;
}

/* ---- setup ------------------------------------------------------------ */

static gpgme_error_t
passphrase_cb(void *hook, const char *uid_hint, const char *info,
	      int prev_was_bad, int fd)
{
	struct crypto *crypto = hook;

	/* A wrong passphrase would be asked for again and again. */
	if (crypto->passphrase == NULL || prev_was_bad)
		return gpg_error(GPG_ERR_CANCELED);
	if (gpgme_io_writen(fd, crypto->passphrase,
			    strlen(crypto->passphrase)) != 0 ||
	    gpgme_io_writen(fd, "\n", 1) != 0)
		return gpgme_error_from_syserror();
	return 0;
}

static gboolean
check_home(const char *home, GError **error)
{
	struct stat st;

	if (lstat(home, &st) != 0) {
		g_set_error(error, CRYPTO_ERROR, CRYPTO_ERROR_SETUP, "%s: %s",
			    home, g_strerror(errno));
		return FALSE;
	}
	if (!S_ISDIR(st.st_mode)) {
		g_set_error(error, CRYPTO_ERROR, CRYPTO_ERROR_SETUP,
			    "%s: not a directory", home);
		return FALSE;
	}
	if ((st.st_mode & 077) != 0) {
		g_set_error(error, CRYPTO_ERROR, CRYPTO_ERROR_SETUP,
			    "%s: mode %04o is too open; chmod 700 %s", home,
			    (unsigned)(st.st_mode & 07777), home);
		return FALSE;
	}
	return TRUE;
}

static gboolean
key_usable(gpgme_key_t key)
{
	return !key->revoked && !key->expired && !key->disabled &&
	       !key->invalid;
}

/* Signs a fixed text: proves the secret key and its passphrase work. */
static gboolean
test_sign(struct crypto *crypto, GError **error)
{
	static const char probe[] = "intaked key check\n";
	gpgme_data_t in = data_from(probe, sizeof probe - 1);
	struct sink sink;
	gpgme_data_t out = sink_open(&sink, 64 * 1024);
	gpgme_error_t err;

	gpgme_set_armor(crypto->ctx, 1);
	err = gpgme_op_sign(crypto->ctx, in, out, GPGME_SIG_MODE_DETACH);
	gpgme_data_release(in);
	g_bytes_unref(sink_close(&sink, out));
	if (err != 0) {
		g_autofree char *what =
			g_strdup_printf("%s: cannot sign with key %s",
					crypto->home, crypto->fingerprint);

		set_gpgme_error(error, CRYPTO_ERROR_SETUP, err, what);
		return FALSE;
	}
	return TRUE;
}

static GBytes *
export_key(struct crypto *crypto, gboolean armor, gpgme_export_mode_t mode,
	   GError **error)
{
	struct sink sink;
	gpgme_data_t out = sink_open(&sink, MAX_KEY_BYTES);
	gpgme_error_t err;
	GBytes *bytes;

	gpgme_set_armor(crypto->ctx, armor);
	err = gpgme_op_export(crypto->ctx, crypto->fingerprint, mode, out);
	bytes = sink_close(&sink, out);
	if (err == 0 && g_bytes_get_size(bytes) == 0)
		err = gpg_error(GPG_ERR_NO_PUBKEY);
	if (err != 0) {
		g_bytes_unref(bytes);
		set_gpgme_error(error, CRYPTO_ERROR_KEY, err,
				"cannot export the CERT key");
		return NULL;
	}
	return bytes;
}

struct crypto *
crypto_new(const struct config *config, GError **error)
{
	const struct config_crypto *cc = &config->crypto;
	g_autofree char *fingerprint = NULL;
	struct crypto *crypto;
	gpgme_key_t secret = NULL;
	gpgme_error_t err;

	if (!cc->enabled || cc->gnupg_home == NULL) {
		g_set_error_literal(error, CRYPTO_ERROR, CRYPTO_ERROR_SETUP,
				    "crypto is not configured");
		return NULL;
	}
	fingerprint = cryptostatus_fingerprint_normalize(cc->key_fingerprint);
	if (fingerprint == NULL) {
		g_set_error(error, CRYPTO_ERROR, CRYPTO_ERROR_SETUP,
			    "crypto.key_fingerprint \"%s\" is not a "
			    "fingerprint",
			    cc->key_fingerprint);
		return NULL;
	}
	if (!check_home(cc->gnupg_home, error))
		return NULL;
	/* Idempotent; a no-op after g_mime_init() did it. */
	gpgme_check_version(NULL);
	err = gpgme_engine_check_version(GPGME_PROTOCOL_OpenPGP);
	if (err == 0)
		/* Process-global: also GMime's contexts use this home. */
		err = gpgme_set_engine_info(GPGME_PROTOCOL_OpenPGP, NULL,
					    cc->gnupg_home);
	if (err != 0) {
		set_gpgme_error(error, CRYPTO_ERROR_SETUP, err,
				"OpenPGP engine (gpg) unusable");
		return NULL;
	}

	crypto = g_new0(struct crypto, 1);
	crypto->key_cache = g_hash_table_new_full(g_str_hash, g_str_equal,
						  g_free, cached_key_free);
	crypto->home = g_strdup(cc->gnupg_home);
	crypto->fingerprint = g_steal_pointer(&fingerprint);
	crypto->address = g_ascii_strdown(config->identity.address, -1);
	crypto->passphrase = g_strdup(cc->passphrase);
	crypto->max_plaintext = DEFAULT_MAX_PLAINTEXT_BYTES;
	crypto->max_depth = DEFAULT_MAX_DEPTH;
	crypto->max_operations = DEFAULT_MAX_OPERATIONS;

	err = gpgme_new(&crypto->ctx);
	if (err != 0) {
		set_gpgme_error(error, CRYPTO_ERROR_SETUP, err, "gpgme_new");
		goto fail;
	}
	gpgme_set_protocol(crypto->ctx, GPGME_PROTOCOL_OpenPGP);
	gpgme_set_pinentry_mode(crypto->ctx, GPGME_PINENTRY_MODE_LOOPBACK);
	gpgme_set_passphrase_cb(crypto->ctx, passphrase_cb, crypto);
	gpgme_set_offline(crypto->ctx, 1);

	err = gpgme_get_key(crypto->ctx, crypto->fingerprint, &secret, 1);
	if (err != 0 || secret == NULL || !secret->secret) {
		g_set_error(error, CRYPTO_ERROR, CRYPTO_ERROR_SETUP,
			    "%s: no secret key %s", crypto->home,
			    crypto->fingerprint);
		goto fail;
	}
	if (!key_usable(secret) || !secret->can_sign) {
		g_set_error(error, CRYPTO_ERROR, CRYPTO_ERROR_SETUP,
			    "%s: key %s is %s", crypto->home,
			    crypto->fingerprint,
			    secret->revoked   ? "revoked"
			    : secret->expired ? "expired"
					      : "unusable for signing");
		goto fail;
	}
	gpgme_key_unref(secret);
	secret = NULL;
	err = gpgme_get_key(crypto->ctx, crypto->fingerprint, &crypto->own_key,
			    0);
	if (err != 0 || !crypto->own_key->can_encrypt) {
		g_set_error(error, CRYPTO_ERROR, CRYPTO_ERROR_SETUP,
			    "%s: key %s cannot encrypt", crypto->home,
			    crypto->fingerprint);
		goto fail;
	}
	gpgme_signers_clear(crypto->ctx);
	err = gpgme_signers_add(crypto->ctx, crypto->own_key);
	if (err != 0) {
		set_gpgme_error(error, CRYPTO_ERROR_SETUP, err,
				"cannot use the CERT key as signer");
		goto fail;
	}
	if (!test_sign(crypto, error))
		goto fail;
	crypto->autocrypt_key =
		export_key(crypto, FALSE, GPGME_EXPORT_MODE_MINIMAL, error);
	if (crypto->autocrypt_key == NULL)
		goto fail;
	return crypto;

fail:
	if (secret != NULL)
		gpgme_key_unref(secret);
	crypto_free(&crypto);
	return NULL;
}

void
crypto_free(struct crypto **crypto_ptr)
{
	struct crypto *crypto = *crypto_ptr;

	if (crypto == NULL)
		return;
	if (crypto->ctx != NULL)
		gpgme_release(crypto->ctx);
	if (crypto->own_key != NULL)
		gpgme_key_unref(crypto->own_key);
	g_clear_pointer(&crypto->autocrypt_key, g_bytes_unref);
	g_clear_pointer(&crypto->key_cache, g_hash_table_unref);
	g_free(crypto->home);
	g_free(crypto->fingerprint);
	g_free(crypto->address);
	if (crypto->passphrase != NULL) {
		memset(crypto->passphrase, 0, strlen(crypto->passphrase));
		g_free(crypto->passphrase);
	}
	g_free(crypto);
	*crypto_ptr = NULL;
}

void
crypto_set_limits(struct crypto *crypto, gsize max_plaintext_bytes,
		  guint max_depth, guint max_operations)
{
	crypto->max_plaintext = max_plaintext_bytes;
	crypto->max_depth = max_depth;
	crypto->max_operations = max_operations;
}

const char *
crypto_fingerprint(const struct crypto *crypto)
{
	return crypto->fingerprint;
}

/* ---- results ---------------------------------------------------------- */

static void
crypto_part_free(gpointer data)
{
	struct crypto_part *part = data;

	g_free(part->path);
	g_free(part->error);
	g_free(part->signer_fingerprint);
	g_free(part);
}

static void
crypto_key_found_free(gpointer data)
{
	struct crypto_key_found *key = data;

	g_free(key->fingerprint);
	g_free(key->source);
	g_free(key->error);
	g_strfreev(key->uids);
	g_free(key);
}

void
crypto_result_init(struct crypto_result *result)
{
	memset(result, 0, sizeof *result);
	result->keys = g_ptr_array_new_with_free_func(crypto_key_found_free);
	result->parts = g_ptr_array_new_with_free_func(crypto_part_free);
}

void
crypto_result_clear(struct crypto_result *result)
{
	g_free(result->decrypt_error);
	g_free(result->signer_fingerprint);
	g_free(result->protected_subject);
	g_clear_pointer(&result->keys, g_ptr_array_unref);
	g_clear_pointer(&result->parts, g_ptr_array_unref);
	memset(result, 0, sizeof *result);
}

const char *
crypto_part_kind_name(enum crypto_part_kind kind)
{
	switch (kind) {
	case CRYPTO_PART_PGP_MIME_ENCRYPTED:
		return "pgp_mime_encrypted";
	case CRYPTO_PART_PGP_MIME_SIGNED:
		return "pgp_mime_signed";
	case CRYPTO_PART_INLINE_ENCRYPTED:
		return "inline_encrypted";
	case CRYPTO_PART_INLINE_SIGNED:
		return "inline_signed";
	case CRYPTO_PART_ATTACHMENT_ENCRYPTED:
		break;
	}
	return "attachment_encrypted";
}

static const char *
match_name(enum crypto_match match)
{
	return match == CRYPTO_MATCH_YES  ? "yes"
	       : match == CRYPTO_MATCH_NO ? "no"
					  : "unknown";
}

static void
json_string_or_null(JsonBuilder *b, const char *name, const char *value)
{
	json_builder_set_member_name(b, name);
	if (value != NULL)
		json_builder_add_string_value(b, value);
	else
		json_builder_add_null_value(b);
}

char *
crypto_result_to_json(const struct crypto_result *r)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonGenerator) gen = json_generator_new();
	g_autoptr(JsonNode) root = NULL;

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "encrypted");
	json_builder_add_boolean_value(b, r->encrypted);
	json_builder_set_member_name(b, "decrypted");
	json_builder_add_boolean_value(b, r->decrypted);
	json_string_or_null(b, "decrypt_error", r->decrypt_error);
	json_builder_set_member_name(b, "signed");
	json_builder_add_boolean_value(b, r->is_signed);
	json_string_or_null(b, "signature",
			    cryptostatus_signature_name(r->signature));
	json_string_or_null(b, "signer", r->signer_fingerprint);
	json_string_or_null(b, "signer_pinned",
			    match_name(r->signer_matches_pin));
	json_builder_set_member_name(b, "protected_subject");
	json_builder_add_boolean_value(b, r->protected_subject != NULL);
	json_builder_set_member_name(b, "keys");
	json_builder_begin_array(b);
	for (guint i = 0; r->keys != NULL && i < r->keys->len; i++) {
		const struct crypto_key_found *k = r->keys->pdata[i];

		json_builder_begin_object(b);
		json_string_or_null(b, "fingerprint", k->fingerprint);
		json_string_or_null(b, "source", k->source);
		json_builder_set_member_name(b, "imported");
		json_builder_add_boolean_value(b, k->imported);
		json_string_or_null(b, "error", k->error);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_set_member_name(b, "parts");
	json_builder_begin_array(b);
	for (guint i = 0; r->parts != NULL && i < r->parts->len; i++) {
		const struct crypto_part *p = r->parts->pdata[i];

		json_builder_begin_object(b);
		json_string_or_null(b, "path", p->path);
		json_string_or_null(b, "what", crypto_part_kind_name(p->kind));
		json_builder_set_member_name(b, "decrypted");
		json_builder_add_boolean_value(b, p->decrypted);
		json_string_or_null(b, "error", p->error);
		json_string_or_null(b, "signature",
				    cryptostatus_signature_name(p->signature));
		json_string_or_null(b, "signer", p->signer_fingerprint);
		if (p->repaired) {
			json_builder_set_member_name(b, "repaired");
			json_builder_add_boolean_value(b, TRUE);
		}
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_end_object(b);
	root = json_builder_get_root(b);
	json_generator_set_root(gen, root);
	return json_generator_to_data(gen, NULL);
}

/* ---- gpg operations -------------------------------------------------- */

struct signature {
	gboolean present;
	enum cryptostatus_signature status;
	char *fingerprint;
};

static void
signature_clear(struct signature *sig)
{
	g_free(sig->fingerprint);
	memset(sig, 0, sizeof *sig);
}

static enum cryptostatus_code
status_code(gpgme_error_t status)
{
	switch (gpg_err_code(status)) {
	case GPG_ERR_NO_ERROR:
		return CRYPTOSTATUS_CODE_OK;
	case GPG_ERR_BAD_SIGNATURE:
		return CRYPTOSTATUS_CODE_BAD_SIGNATURE;
	case GPG_ERR_NO_PUBKEY:
		return CRYPTOSTATUS_CODE_NO_PUBKEY;
	case GPG_ERR_SIG_EXPIRED:
		return CRYPTOSTATUS_CODE_SIG_EXPIRED;
	case GPG_ERR_KEY_EXPIRED:
		return CRYPTOSTATUS_CODE_KEY_EXPIRED;
	case GPG_ERR_CERT_REVOKED:
		return CRYPTOSTATUS_CODE_CERT_REVOKED;
	default:
		return CRYPTOSTATUS_CODE_OTHER;
	}
}

/* Reads the first signature of the last operation.  gpg reports the
 * signing (sub)key; the pin is on the primary key, so it is looked up
 * when the key is present.  The lookup is a new operation: copy first. */
static void
read_signature(struct crypto *crypto, struct signature *out)
{
	gpgme_verify_result_t result = gpgme_op_verify_result(crypto->ctx);
	gpgme_key_t key = NULL;
	gboolean key_known;

	memset(out, 0, sizeof *out);
	if (result == NULL || result->signatures == NULL)
		return;
	out->present = TRUE;
	out->status = cryptostatus_signature_from(
		result->signatures->summary,
		status_code(result->signatures->status));
	out->fingerprint = g_strdup(result->signatures->fpr);
	key_known = out->status != CRYPTOSTATUS_SIGNATURE_UNKNOWN_KEY &&
		    out->fingerprint != NULL;
	if (key_known && (key = lookup_key(crypto, out->fingerprint)) != NULL) {
		g_free(out->fingerprint);
		out->fingerprint = g_strdup(key->fpr);
		gpgme_key_unref(key);
	}
}

/* Decrypts (and verifies when signed) len bytes.  Returns the plaintext
 * or NULL with *why set to a short reason (caller frees). */
static GBytes *
decrypt_verify(struct crypto *crypto, const void *bytes, gsize len,
	       struct signature *sig, char **why)
{
	gpgme_data_t in = data_from(bytes, len);
	struct sink sink;
	gpgme_data_t out = sink_open(&sink, crypto->max_plaintext);
	gpgme_error_t err;
	GBytes *plain;

	memset(sig, 0, sizeof *sig);
	err = gpgme_op_decrypt_verify(crypto->ctx, in, out);
	gpgme_data_release(in);
	plain = sink_close(&sink, out);
	if (err != 0 || sink.overflow) {
		char text[200];

		g_bytes_unref(plain);
		if (sink.overflow) {
			*why = g_strdup_printf("plaintext over %" G_GSIZE_FORMAT
					       " bytes",
					       crypto->max_plaintext);
		} else {
			gpgme_strerror_r(err, text, sizeof text);
			*why = g_strdup(text);
		}
		return NULL;
	}
	read_signature(crypto, sig);
	return plain;
}

/* Verifies a cleartext-signed block and returns the signed text. */
static GBytes *
verify_clear(struct crypto *crypto, const void *bytes, gsize len,
	     struct signature *sig, char **why)
{
	gpgme_data_t in = data_from(bytes, len);
	struct sink sink;
	gpgme_data_t out = sink_open(&sink, crypto->max_plaintext);
	gpgme_error_t err;
	GBytes *plain;

	memset(sig, 0, sizeof *sig);
	err = gpgme_op_verify(crypto->ctx, in, NULL, out);
	gpgme_data_release(in);
	plain = sink_close(&sink, out);
	if (err != 0 || sink.overflow) {
		char text[200];

		g_bytes_unref(plain);
		gpgme_strerror_r(err, text, sizeof text);
		*why = g_strdup(sink.overflow ? "signed text too large" : text);
		return NULL;
	}
	read_signature(crypto, sig);
	return plain;
}

static gboolean
verify_detached(struct crypto *crypto, GBytes *text, GBytes *signature,
		struct signature *sig, char **why)
{
	gpgme_data_t signed_data =
		data_from(g_bytes_get_data(text, NULL), g_bytes_get_size(text));
	gpgme_data_t sig_data = data_from(g_bytes_get_data(signature, NULL),
					  g_bytes_get_size(signature));
	gpgme_error_t err;

	memset(sig, 0, sizeof *sig);
	err = gpgme_op_verify(crypto->ctx, sig_data, signed_data, NULL);
	gpgme_data_release(signed_data);
	gpgme_data_release(sig_data);
	if (err != 0) {
		char buffer[200];

		gpgme_strerror_r(err, buffer, sizeof buffer);
		*why = g_strdup(buffer);
		return FALSE;
	}
	read_signature(crypto, sig);
	return TRUE;
}

/* ---- MIME helpers ----------------------------------------------------- */

/* The decoded content of a leaf part.  Caller unrefs. */
static GBytes *
part_bytes(GMimePart *part)
{
	GMimeDataWrapper *wrapper = g_mime_part_get_content(part);
	g_autoptr(GMimeStream) mem = NULL;
	GByteArray *array;

	if (wrapper == NULL)
		return g_bytes_new(NULL, 0);
	mem = g_mime_stream_mem_new();
	g_mime_data_wrapper_write_to_stream(wrapper, mem);
	array = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
	return g_bytes_new(array->data, array->len);
}

/* Bytes as GMime writes the object with CRLF line ends: what RFC 3156
 * signs.  Caller unrefs. */
static GBytes *
object_canonical_bytes(GMimeObject *object)
{
	g_autoptr(GMimeStream) mem = g_mime_stream_mem_new();
	GMimeFormatOptions *options = g_mime_format_options_new();
	GByteArray *array;

	g_mime_format_options_set_newline_format(options,
						 GMIME_NEWLINE_FORMAT_DOS);
	g_mime_object_write_to_stream(object, options, mem);
	g_mime_format_options_free(options);
	array = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
	return g_bytes_new(array->data, array->len);
}

/* Parses bytes as one MIME entity (headers and body).  Returns a new
 * reference or NULL. */
static GMimeObject *
parse_entity(GBytes *bytes)
{
	g_autoptr(GMimeStream) mem = g_mime_stream_mem_new_with_buffer(
		g_bytes_get_data(bytes, NULL), g_bytes_get_size(bytes));
	g_autoptr(GMimeParser) parser = g_mime_parser_new_with_stream(mem);

	g_mime_parser_set_persist_stream(parser, FALSE);
	return g_mime_parser_construct_part(parser, NULL);
}

static gboolean
is_type(GMimeObject *object, const char *type, const char *subtype)
{
	GMimeContentType *ct = g_mime_object_get_content_type(object);

	return ct != NULL && g_mime_content_type_is_type(ct, type, subtype);
}

/* Text from bytes in charset, as valid UTF-8 with LF line ends.  No or a
 * Latin-1 label is read as windows-1252 (what such mail really is). */
static char *
to_utf8(const char *data, gsize len, const char *charset)
{
	char *text = NULL;
	GString *out;

	if (data == NULL || len == 0)
		return g_strdup("");
	if (charset == NULL || g_ascii_strcasecmp(charset, "us-ascii") == 0 ||
	    g_ascii_strcasecmp(charset, "iso-8859-1") == 0)
		charset = g_utf8_validate(data, len, NULL) ? "utf-8"
							   : "windows-1252";
	if (g_ascii_strcasecmp(charset, "utf-8") != 0)
		text = g_convert(data, len, "UTF-8", charset, NULL, NULL, NULL);
	if (text == NULL)
		text = g_utf8_make_valid(data, len);
	out = g_string_new(NULL);
	for (const char *p = text; *p != '\0'; p++)
		if (!(*p == '\r' && p[1] == '\n'))
			g_string_append_c(out, *p);
	g_free(text);
	return g_string_free(out, FALSE);
}

static char *
bytes_to_utf8(GBytes *bytes)
{
	return to_utf8(g_bytes_get_data(bytes, NULL), g_bytes_get_size(bytes),
		       NULL);
}

/* ---- unwrapping ------------------------------------------------------ */

struct unwrap {
	struct crypto *crypto;
	const char *sender; /* lower case, or NULL */
	struct crypto_result *result;
	guint operations;
	GHashTable *keys_done;	  /* GMimeObject* of key parts imported */
	gboolean imported_inside; /* a key came out of a decrypted part */
};

static struct crypto_part *
add_part(struct unwrap *u, const char *path, enum crypto_part_kind kind)
{
	struct crypto_part *part = g_new0(struct crypto_part, 1);

	part->path = g_strdup(path);
	part->kind = kind;
	part->encrypted = kind == CRYPTO_PART_PGP_MIME_ENCRYPTED ||
			  kind == CRYPTO_PART_INLINE_ENCRYPTED ||
			  kind == CRYPTO_PART_ATTACHMENT_ENCRYPTED;
	g_ptr_array_add(u->result->parts, part);
	return part;
}

/* Counts one gpg operation; FALSE (and the part notes why) past the cap:
 * a message with hundreds of armor blocks must not cost hundreds of gpg
 * runs. */
static gboolean
take_operation(struct unwrap *u, struct crypto_part *part)
{
	if (u->operations >= u->crypto->max_operations) {
		part->error = g_strdup_printf(
			"more than %u OpenPGP operations in one message",
			u->crypto->max_operations);
		return FALSE;
	}
	u->operations++;
	return TRUE;
}

static void
record_signature(struct crypto_part *part, struct signature *sig)
{
	if (!sig->present)
		return;
	part->signature = sig->status;
	part->signer_fingerprint = g_steal_pointer(&sig->fingerprint);
}

static char *
child_path(const char *path, int index)
{
	return *path == '\0' ? g_strdup_printf("%d", index + 1)
			     : g_strdup_printf("%s.%d", path, index + 1);
}

/* Imports keydata keeping only user ids that name the sender (GnuPG's
 * import filter), and notes each key in the result. */
static void
import_keys(struct unwrap *u, const void *data, gsize len, const char *source)
{
	struct crypto *crypto = u->crypto;
	g_autofree char *filter = NULL;
	gpgme_import_result_t result;
	gpgme_data_t in;
	gpgme_error_t err;
	GPtrArray *found = g_ptr_array_new();

	if (u->sender == NULL || len == 0 || len > MAX_KEY_BYTES)
		goto out;
	/* What gpg knows about keys changes now. */
	g_hash_table_remove_all(crypto->key_cache);
	filter = g_strdup_printf("keep-uid=mbox = %s", u->sender);
	err = gpgme_set_ctx_flag(crypto->ctx, "import-filter", filter);
	if (err == 0) {
		in = data_from(data, len);
		err = gpgme_op_import(crypto->ctx, in);
		gpgme_data_release(in);
		/* After the import: a lookup by another context while it
		 * ran may have cached the key as it was before. */
		g_atomic_int_inc(&import_generation);
	}
	if (err != 0) {
		struct crypto_key_found *key =
			g_new0(struct crypto_key_found, 1);
		char text[200];

		gpgme_strerror_r(err, text, sizeof text);
		key->source = g_strdup(source);
		key->error = g_strdup(text);
		g_ptr_array_add(u->result->keys, key);
		goto out;
	}
	result = gpgme_op_import_result(crypto->ctx);
	for (gpgme_import_status_t s = result ? result->imports : NULL;
	     s != NULL; s = s->next) {
		struct crypto_key_found *key =
			g_new0(struct crypto_key_found, 1);

		key->fingerprint = g_strdup(s->fpr);
		key->source = g_strdup(source);
		key->imported = s->result == 0;
		if (s->result != 0) {
			char text[200];

			gpgme_strerror_r(s->result, text, sizeof text);
			key->error = g_strdup(text);
		}
		g_ptr_array_add(u->result->keys, key);
		g_ptr_array_add(found, key);
	}
	if (result != NULL && found->len == 0 && result->considered > 0) {
		struct crypto_key_found *key =
			g_new0(struct crypto_key_found, 1);

		key->source = g_strdup(source);
		key->error = g_strdup_printf(
			"no user id names %s; not imported", u->sender);
		g_ptr_array_add(u->result->keys, key);
	}
	/* The user ids that survived the filter, for the pinning rule. */
	for (guint i = 0; i < found->len; i++) {
		struct crypto_key_found *key = found->pdata[i];
		gpgme_key_t k = NULL;
		GPtrArray *uids;

		if (!key->imported || key->fingerprint == NULL)
			continue;
		if (gpgme_get_key(crypto->ctx, key->fingerprint, &k, 0) != 0 ||
		    k == NULL) {
			key->imported = FALSE;
			key->error = g_strdup("no user id names the sender; "
					      "not imported");
			continue;
		}
		uids = g_ptr_array_new();
		for (gpgme_user_id_t uid = k->uids; uid != NULL;
		     uid = uid->next)
			if (!uid->revoked && !uid->invalid && uid->uid)
				g_ptr_array_add(uids, g_strdup(uid->uid));
		g_ptr_array_add(uids, NULL);
		key->uids = (char **)g_ptr_array_free(uids, FALSE);
		gpgme_key_unref(k);
	}
out:
	g_ptr_array_free(found, TRUE);
}

static GMimeObject *unwrap_object(struct unwrap *u, GMimeObject *object,
				  const char *path, guint depth);

/* The Subject of protected headers (Thunderbird, Autocrypt): on the
 * decrypted root entity.  A legacy display part (text/rfc822-headers or a
 * text part marked protected-headers) repeating it is dropped so it does
 * not end up in the report text. */
static void
take_protected_headers(struct unwrap *u, GMimeObject *entity)
{
	const char *subject = g_mime_object_get_header(entity, "Subject");

	if (subject != NULL && u->result->protected_subject == NULL)
		u->result->protected_subject =
			g_mime_utils_header_decode_text(NULL, subject);
	if (GMIME_IS_MULTIPART(entity) &&
	    g_mime_multipart_get_count(GMIME_MULTIPART(entity)) > 1) {
		GMimeObject *first =
			g_mime_multipart_get_part(GMIME_MULTIPART(entity), 0);
		GMimeContentType *ct = g_mime_object_get_content_type(first);

		if (is_type(first, "text", "rfc822-headers") ||
		    (is_type(first, "text", "plain") &&
		     g_mime_content_type_get_parameter(
			     ct, "protected-headers") != NULL))
			g_object_unref(g_mime_multipart_remove_at(
				GMIME_MULTIPART(entity), 0));
	}
}

/* Decrypts the encrypted body of PGP/MIME (or of its Exchange-mangled
 * form).  Returns the replacement: the decrypted and unwrapped entity, or
 * a reference to original when it cannot be decrypted. */
static GMimeObject *
decrypt_pgp_mime(struct unwrap *u, GMimeObject *original, GMimePart *encrypted,
		 const char *path, guint depth, gboolean repaired)
{
	struct crypto_part *part =
		add_part(u, path, CRYPTO_PART_PGP_MIME_ENCRYPTED);
	g_autoptr(GBytes) cipher = part_bytes(encrypted);
	g_autoptr(GBytes) plain = NULL;
	g_autoptr(GMimeObject) entity = NULL;
	struct signature sig;
	char *why = NULL;
	guint keys_before;

	part->repaired = repaired;
	if (!take_operation(u, part))
		return g_object_ref(original);
	plain = decrypt_verify(u->crypto, g_bytes_get_data(cipher, NULL),
			       g_bytes_get_size(cipher), &sig, &why);
	if (plain == NULL) {
		part->error = why;
		return g_object_ref(original);
	}
	entity = parse_entity(plain);
	if (entity == NULL) {
		part->error = g_strdup("decrypted data is not MIME");
		signature_clear(&sig);
		return g_object_ref(original);
	}
	part->decrypted = TRUE;
	take_protected_headers(u, entity);
	keys_before = u->result->keys->len;
	{
		GMimeObject *inner = unwrap_object(u, entity, path, depth + 1);

		g_object_unref(entity);
		entity = inner;
	}
	/* A key inside the encrypted part signs the same part: verify
	 * again now that gpg knows it. */
	if (sig.status == CRYPTOSTATUS_SIGNATURE_UNKNOWN_KEY &&
	    u->result->keys->len > keys_before &&
	    u->operations < u->crypto->max_operations) {
		struct signature again;
		char *ignored = NULL;
		g_autoptr(GBytes) again_plain = NULL;

		u->operations++;
		again_plain = decrypt_verify(
			u->crypto, g_bytes_get_data(cipher, NULL),
			g_bytes_get_size(cipher), &again, &ignored);
		g_free(ignored);
		if (again_plain != NULL) {
			signature_clear(&sig);
			sig = again;
		}
	}
	record_signature(part, &sig);
	signature_clear(&sig);
	return g_steal_pointer(&entity);
}

static GMimeObject *
verify_pgp_mime(struct unwrap *u, GMimeMultipart *multipart, const char *path,
		guint depth)
{
	struct crypto_part *part =
		add_part(u, path, CRYPTO_PART_PGP_MIME_SIGNED);
	GMimeObject *content, *signature_part;
	g_autoptr(GBytes) text = NULL;
	g_autoptr(GBytes) signature = NULL;
	struct signature sig;
	char *why = NULL;

	if (g_mime_multipart_get_count(multipart) != 2) {
		part->error = g_strdup("multipart/signed without two parts");
		return g_object_ref(GMIME_OBJECT(multipart));
	}
	content = g_mime_multipart_get_part(multipart, 0);
	signature_part = g_mime_multipart_get_part(multipart, 1);
	if (!GMIME_IS_PART(signature_part)) {
		part->error = g_strdup("signature is not a leaf part");
		return g_object_ref(GMIME_OBJECT(multipart));
	}
	if (take_operation(u, part)) {
		text = object_canonical_bytes(content);
		signature = part_bytes(GMIME_PART(signature_part));
		if (verify_detached(u->crypto, text, signature, &sig, &why))
			record_signature(part, &sig);
		else
			part->error = why;
		signature_clear(&sig);
	}
	/* The signed content replaces the envelope either way: the later
	 * stages read it, the result says whether it was good. */
	{
		g_autofree char *inner_path = child_path(path, 0);

		return unwrap_object(u, content, inner_path, depth + 1);
	}
}

/* Exchange (and some gateways) turn multipart/encrypted into
 * multipart/mixed holding an optional empty text part, the
 * application/pgp-encrypted version part and the encrypted
 * application/octet-stream.  Returns that last part, or NULL. */
static GMimePart *
mangled_pgp_mime(GMimeMultipart *multipart)
{
	int count = g_mime_multipart_get_count(multipart);
	GMimePart *encrypted = NULL;
	gboolean version = FALSE;

	if (count < 2 || count > 3)
		return NULL;
	for (int i = 0; i < count; i++) {
		GMimeObject *child = g_mime_multipart_get_part(multipart, i);

		if (!GMIME_IS_PART(child))
			return NULL;
		if (is_type(child, "application", "pgp-encrypted")) {
			version = TRUE;
		} else if (version && encrypted == NULL &&
			   is_type(child, "application", "octet-stream")) {
			encrypted = GMIME_PART(child);
		} else if (is_type(child, "text", "plain") && i == 0) {
			g_autoptr(GBytes) bytes = part_bytes(GMIME_PART(child));
			g_autofree char *text =
				g_strstrip(bytes_to_utf8(bytes));

			if (*text != '\0')
				return NULL;
		} else {
			return NULL;
		}
	}
	return encrypted;
}

/* Escapes text for HTML inside <pre>.  Returns a new string. */
static char *
html_escape(const char *text)
{
	return g_markup_escape_text(text, -1);
}

/* Finds armor blocks in HTML source, where the BEGIN line need not start a
 * source line (<p>-----BEGIN...). */
static GArray *
html_armor_find(const char *html, gsize len)
{
	static const struct {
		enum cryptostatus_armor kind;
		const char *begin, *end;
	} markers[] = {
		{CRYPTOSTATUS_ARMOR_MESSAGE, "-----BEGIN PGP MESSAGE-----",
		 "-----END PGP MESSAGE-----"},
		{CRYPTOSTATUS_ARMOR_SIGNED,
		 "-----BEGIN PGP SIGNED MESSAGE-----",
		 "-----END PGP SIGNATURE-----"},
		{CRYPTOSTATUS_ARMOR_KEY, "-----BEGIN PGP PUBLIC KEY BLOCK-----",
		 "-----END PGP PUBLIC KEY BLOCK-----"},
	};
	GArray *blocks = g_array_new(FALSE, FALSE,
				     sizeof(struct cryptostatus_armor_block));
	gsize from = 0;

	while (from < len && blocks->len < MAX_ARMOR_BLOCKS) {
		const char *best = NULL;
		size_t which = 0;

		for (size_t i = 0; i < G_N_ELEMENTS(markers); i++) {
			const char *hit = g_strstr_len(html + from, len - from,
						       markers[i].begin);

			if (hit != NULL && (best == NULL || hit < best)) {
				best = hit;
				which = i;
			}
		}
		if (best == NULL)
			break;
		{
			gsize start = best - html;
			const char *end = g_strstr_len(best, len - start,
						       markers[which].end);
			struct cryptostatus_armor_block block;

			if (end == NULL)
				break;
			block.kind = markers[which].kind;
			block.start = start;
			block.end = end - html + strlen(markers[which].end);
			g_array_append_val(blocks, block);
			from = block.end;
		}
	}
	return blocks;
}

/* Inline PGP in a text part: each armor block is decrypted or verified
 * alone and its plaintext put back between the text around it, which GMime
 * would drop.  Returns the replacement part, or a reference to part. */
static GMimeObject *
unwrap_inline(struct unwrap *u, GMimePart *part, const char *path)
{
	GMimeContentType *ct =
		g_mime_object_get_content_type(GMIME_OBJECT(part));
	gboolean html = is_type(GMIME_OBJECT(part), "text", "html");
	g_autoptr(GBytes) bytes = part_bytes(part);
	g_autofree char *text =
		to_utf8(g_bytes_get_data(bytes, NULL), g_bytes_get_size(bytes),
			g_mime_content_type_get_parameter(ct, "charset"));
	gsize len = strlen(text);
	g_autoptr(GArray) blocks =
		html ? html_armor_find(text, len)
		     : cryptostatus_armor_find(text, len, MAX_ARMOR_BLOCKS);
	g_autoptr(GString) out = NULL;
	gboolean changed = FALSE;
	gsize done = 0;
	GMimeTextPart *replacement;
	const char *disposition;

	if (blocks->len == 0)
		return g_object_ref(GMIME_OBJECT(part));
	out = g_string_sized_new(len);
	for (guint i = 0; i < blocks->len; i++) {
		const struct cryptostatus_armor_block *b = &g_array_index(
			blocks, struct cryptostatus_armor_block, i);
		g_autofree char *armor =
			html ? cryptostatus_html_to_armor(text + b->start,
							  b->end - b->start)
			     : g_strndup(text + b->start, b->end - b->start);
		g_autoptr(GBytes) plain = NULL;
		struct crypto_part *record;
		struct signature sig;
		char *why = NULL;

		g_string_append_len(out, text + done, b->start - done);
		done = b->end;
		if (b->kind == CRYPTOSTATUS_ARMOR_KEY) {
			import_keys(u, armor, strlen(armor), "inline");
			g_string_append_len(out, text + b->start,
					    b->end - b->start);
			continue;
		}
		record = add_part(u, path,
				  b->kind == CRYPTOSTATUS_ARMOR_MESSAGE
					  ? CRYPTO_PART_INLINE_ENCRYPTED
					  : CRYPTO_PART_INLINE_SIGNED);
		if (take_operation(u, record))
			plain = b->kind == CRYPTOSTATUS_ARMOR_MESSAGE
					? decrypt_verify(u->crypto, armor,
							 strlen(armor), &sig,
							 &why)
					: verify_clear(u->crypto, armor,
						       strlen(armor), &sig,
						       &why);
		if (plain == NULL) {
			if (record->error == NULL)
				record->error = why;
			else
				g_free(why);
			g_string_append_len(out, text + b->start,
					    b->end - b->start);
			continue;
		}
		record->decrypted = record->encrypted;
		record_signature(record, &sig);
		signature_clear(&sig);
		{
			g_autofree char *clear = bytes_to_utf8(plain);

			if (html) {
				g_autofree char *escaped = html_escape(clear);

				g_string_append_printf(out, "<pre>%s</pre>",
						       escaped);
			} else {
				g_string_append(out, clear);
				if (done < len && out->len > 0 &&
				    out->str[out->len - 1] != '\n')
					g_string_append_c(out, '\n');
			}
		}
		changed = TRUE;
	}
	if (!changed)
		return g_object_ref(GMIME_OBJECT(part));
	g_string_append_len(out, text + done, len - done);
	replacement =
		g_mime_text_part_new_with_subtype(html ? "html" : "plain");
	g_mime_text_part_set_text(replacement, out->str);
	disposition = g_mime_object_get_header(GMIME_OBJECT(part),
					       "Content-Disposition");
	if (disposition != NULL)
		g_mime_object_set_header(GMIME_OBJECT(replacement),
					 "Content-Disposition", disposition,
					 NULL);
	return GMIME_OBJECT(replacement);
}

static gboolean
has_suffix_nocase(const char *name, const char *suffix)
{
	size_t n = strlen(name), s = strlen(suffix);

	return n > s && g_ascii_strcasecmp(name + n - s, suffix) == 0;
}

/* An encrypted attachment (report.pdf.gpg): decrypted into a new part
 * named without the extension.  Keys and signatures in .asc files are not
 * encrypted attachments. */
static GMimeObject *
unwrap_attachment(struct unwrap *u, GMimePart *part, const char *path,
		  const char *filename)
{
	g_autoptr(GBytes) bytes = part_bytes(part);
	const guchar *data = g_bytes_get_data(bytes, NULL);
	gsize len = g_bytes_get_size(bytes);
	g_autofree char *head = g_strndup((const char *)data, MIN(len, 4096));
	g_autoptr(GBytes) plain = NULL;
	g_autofree char *name = NULL;
	g_autofree char *content_type = NULL;
	g_autofree char *mime_type = NULL;
	struct crypto_part *record;
	struct signature sig;
	char *why = NULL;
	GMimePart *replacement;
	GMimeDataWrapper *wrapper;
	GMimeStream *stream;
	gboolean armored = strstr(head, "-----BEGIN PGP MESSAGE-----") != NULL;

	if (strstr(head, "-----BEGIN PGP PUBLIC KEY BLOCK-----") != NULL) {
		if (g_hash_table_add(u->keys_done, part))
			import_keys(u, data, len, "attachment");
		return g_object_ref(GMIME_OBJECT(part));
	}
	/* Binary OpenPGP starts with a packet tag (bit 7 set). */
	if (!armored && (len == 0 || !(data[0] & 0x80)))
		return g_object_ref(GMIME_OBJECT(part));
	record = add_part(u, path, CRYPTO_PART_ATTACHMENT_ENCRYPTED);
	if (!take_operation(u, record))
		return g_object_ref(GMIME_OBJECT(part));
	plain = decrypt_verify(u->crypto, data, len, &sig, &why);
	if (plain == NULL) {
		/* A detached signature (.sig, .asc) is not an encrypted
		 * attachment: gpg finds no encrypted data in it. */
		if (!armored && strstr(why, "No data") != NULL) {
			g_ptr_array_remove(u->result->parts, record);
			g_free(why);
		} else {
			record->error = why;
		}
		return g_object_ref(GMIME_OBJECT(part));
	}
	record->decrypted = TRUE;
	record_signature(record, &sig);
	signature_clear(&sig);
	name = g_strndup(filename, strlen(filename) - 4);
	content_type = g_content_type_guess(name, g_bytes_get_data(plain, NULL),
					    g_bytes_get_size(plain), NULL);
	mime_type = g_content_type_get_mime_type(content_type);
	replacement = g_mime_part_new_with_type("application", "octet-stream");
	if (mime_type != NULL) {
		g_autoptr(GMimeContentType) ct =
			g_mime_content_type_parse(NULL, mime_type);

		if (ct != NULL)
			g_mime_object_set_content_type(
				GMIME_OBJECT(replacement), ct);
	}
	g_mime_part_set_filename(replacement, name);
	stream = g_mime_stream_mem_new_with_buffer(
		g_bytes_get_data(plain, NULL), g_bytes_get_size(plain));
	wrapper = g_mime_data_wrapper_new_with_stream(
		stream, GMIME_CONTENT_ENCODING_DEFAULT);
	g_mime_part_set_content(replacement, wrapper);
	g_object_unref(wrapper);
	g_object_unref(stream);
	g_mime_part_set_content_encoding(replacement,
					 GMIME_CONTENT_ENCODING_BASE64);
	return GMIME_OBJECT(replacement);
}

static GMimeObject *
unwrap_leaf(struct unwrap *u, GMimePart *part, const char *path)
{
	GMimeObject *object = GMIME_OBJECT(part);
	const char *filename = g_mime_part_get_filename(part);

	if (is_type(object, "application", "pgp-keys")) {
		if (g_hash_table_add(u->keys_done, part)) {
			g_autoptr(GBytes) bytes = part_bytes(part);

			import_keys(u, g_bytes_get_data(bytes, NULL),
				    g_bytes_get_size(bytes), "attachment");
		}
		return g_object_ref(object);
	}
	if (filename != NULL && (has_suffix_nocase(filename, ".pgp") ||
				 has_suffix_nocase(filename, ".gpg") ||
				 has_suffix_nocase(filename, ".asc")))
		return unwrap_attachment(u, part, path, filename);
	if (is_type(object, "text", "plain") || is_type(object, "text", "html"))
		return unwrap_inline(u, part, path);
	return g_object_ref(object);
}

/* Returns the replacement of object (a new reference, maybe object). */
static GMimeObject *
unwrap_object(struct unwrap *u, GMimeObject *object, const char *path,
	      guint depth)
{
	if (depth > u->crypto->max_depth)
		return g_object_ref(object);
	if (GMIME_IS_MULTIPART_ENCRYPTED(object)) {
		GMimeMultipart *mp = GMIME_MULTIPART(object);
		GMimeObject *body = g_mime_multipart_get_count(mp) == 2
					    ? g_mime_multipart_get_part(mp, 1)
					    : NULL;

		if (body == NULL || !GMIME_IS_PART(body)) {
			struct crypto_part *part = add_part(
				u, path, CRYPTO_PART_PGP_MIME_ENCRYPTED);

			part->error = g_strdup("malformed multipart/encrypted");
			return g_object_ref(object);
		}
		return decrypt_pgp_mime(u, object, GMIME_PART(body), path,
					depth, FALSE);
	}
	if (GMIME_IS_MULTIPART_SIGNED(object))
		return verify_pgp_mime(u, GMIME_MULTIPART(object), path, depth);
	if (GMIME_IS_MULTIPART(object)) {
		GMimeMultipart *mp = GMIME_MULTIPART(object);
		GMimePart *mangled = mangled_pgp_mime(mp);

		if (mangled != NULL)
			return decrypt_pgp_mime(u, object, mangled, path, depth,
						TRUE);
		for (int i = 0; i < g_mime_multipart_get_count(mp); i++) {
			GMimeObject *child = g_mime_multipart_get_part(mp, i);
			g_autofree char *sub = child_path(path, i);
			GMimeObject *replacement =
				unwrap_object(u, child, sub, depth + 1);

			if (replacement != child) {
				GMimeObject *old = g_mime_multipart_replace(
					mp, i, replacement);

				g_clear_object(&old);
			}
			g_object_unref(replacement);
		}
		return g_object_ref(object);
	}
	if (GMIME_IS_PART(object))
		return unwrap_leaf(u, GMIME_PART(object), path);
	/* message/rfc822: a forwarded message is quoted, not ours to
	 * decrypt. */
	return g_object_ref(object);
}

/* Keys travel before what they sign: import the Autocrypt key and every
 * application/pgp-keys part outside encryption first, so that signatures
 * made with them verify on this very message. */
static void
import_outer_keys(struct unwrap *u, GMimeMessage *in, GMimeObject *object,
		  guint depth)
{
	if (depth > u->crypto->max_depth || object == NULL)
		return;
	if (GMIME_IS_MULTIPART_ENCRYPTED(object))
		return;
	if (GMIME_IS_MULTIPART(object)) {
		GMimeMultipart *mp = GMIME_MULTIPART(object);

		for (int i = 0; i < g_mime_multipart_get_count(mp); i++)
			import_outer_keys(u, in,
					  g_mime_multipart_get_part(mp, i),
					  depth + 1);
		return;
	}
	if (GMIME_IS_PART(object) &&
	    is_type(object, "application", "pgp-keys") &&
	    g_hash_table_add(u->keys_done, object)) {
		g_autoptr(GBytes) bytes = part_bytes(GMIME_PART(object));

		import_keys(u, g_bytes_get_data(bytes, NULL),
			    g_bytes_get_size(bytes), "attachment");
	}
}

static void
import_autocrypt(struct unwrap *u, GMimeMessage *in)
{
	const char *value =
		g_mime_object_get_header(GMIME_OBJECT(in), "Autocrypt");
	g_autofree char *addr = NULL;
	g_autoptr(GBytes) keydata = NULL;

	if (value == NULL || u->sender == NULL)
		return;
	if (!cryptostatus_autocrypt_parse(value, MAX_KEY_BYTES, &addr, &keydata,
					  NULL))
		return;
	/* Autocrypt 1.1: a header for another address than From is
	 * ignored. */
	if (strcmp(addr, u->sender) != 0)
		return;
	import_keys(u, g_bytes_get_data(keydata, NULL),
		    g_bytes_get_size(keydata), "autocrypt");
}

GMimeObject *
crypto_unwrap(struct crypto *crypto, GMimeMessage *in, const char *sender_addr,
	      const char *pinned_fingerprint, struct crypto_result *out,
	      GError **error)
{
	g_autofree char *sender =
		sender_addr ? cryptostatus_uid_address(sender_addr) : NULL;
	g_autofree char *pinned =
		cryptostatus_fingerprint_normalize(pinned_fingerprint);
	struct unwrap u = {
		.crypto = crypto,
		.sender = sender,
		.result = out,
		.keys_done = g_hash_table_new(NULL, NULL),
	};
	GMimeObject *body = g_mime_message_get_mime_part(in);

	if (out->parts == NULL)
		crypto_result_init(out);
	import_autocrypt(&u, in);
	import_outer_keys(&u, in, body, 0);
	if (body != NULL) {
		GMimeObject *replacement = unwrap_object(&u, body, "", 0);

		if (replacement != body)
			g_mime_message_set_mime_part(in, replacement);
		g_object_unref(replacement);
	}
	g_hash_table_unref(u.keys_done);

	/* The message-level summary: the first encrypted part that failed
	 * decides decrypted; the first signature is the body's. */
	out->decrypted = TRUE;
	for (guint i = 0; i < out->parts->len; i++) {
		const struct crypto_part *p = out->parts->pdata[i];

		if (p->encrypted) {
			out->encrypted = TRUE;
			if (!p->decrypted) {
				out->decrypted = FALSE;
				if (out->decrypt_error == NULL)
					out->decrypt_error = g_strdup(
						p->error ? p->error : "failed");
			}
		}
		if (p->signature != CRYPTOSTATUS_SIGNATURE_NONE &&
		    !out->is_signed) {
			out->is_signed = TRUE;
			out->signature = p->signature;
			out->signer_fingerprint =
				g_strdup(p->signer_fingerprint);
		}
	}
	if (!out->encrypted)
		out->decrypted = FALSE;
	if (out->is_signed && pinned != NULL &&
	    out->signature == CRYPTOSTATUS_SIGNATURE_VALID)
		out->signer_matches_pin =
			g_strcmp0(out->signer_fingerprint, pinned) == 0
				? CRYPTO_MATCH_YES
				: CRYPTO_MATCH_NO;
	else if (out->is_signed && pinned != NULL)
		out->signer_matches_pin = CRYPTO_MATCH_NO;
	(void)error;
	return g_object_ref(GMIME_OBJECT(in));
}

/* ---- outgoing ---------------------------------------------------------- */

/* "pgp-sha256" from what gpg actually used. */
static char *
micalg_of(gpgme_hash_algo_t algo)
{
	const char *name = gpgme_hash_algo_name(algo);

	g_autofree char *micalg =
		g_strconcat("pgp-", name ? name : "sha256", NULL);

	return g_ascii_strdown(micalg, -1);
}

static GMimePart *
armored_part(const char *type, const char *subtype, GBytes *content,
	     const char *filename)
{
	GMimePart *part = g_mime_part_new_with_type(type, subtype);
	GMimeStream *stream = g_mime_stream_mem_new_with_buffer(
		g_bytes_get_data(content, NULL), g_bytes_get_size(content));
	GMimeDataWrapper *wrapper = g_mime_data_wrapper_new_with_stream(
		stream, GMIME_CONTENT_ENCODING_7BIT);

	g_mime_part_set_content(part, wrapper);
	g_mime_part_set_content_encoding(part, GMIME_CONTENT_ENCODING_7BIT);
	if (filename != NULL)
		g_mime_part_set_filename(part, filename);
	g_object_unref(wrapper);
	g_object_unref(stream);
	return part;
}

/* The entity exactly as it will be sent: 7-bit, CRLF, and re-parsed so
 * the tree serialises to the bytes that were signed (what GMime's own
 * signing does too).  Returns the canonical bytes and the re-parsed
 * entity in *reparsed. */
static GBytes *
canonical_entity(GMimeObject *entity, GMimeObject **reparsed)
{
	GBytes *bytes;

	g_mime_object_encode(entity, GMIME_ENCODING_CONSTRAINT_7BIT);
	bytes = object_canonical_bytes(entity);
	*reparsed = parse_entity(bytes);
	return bytes;
}

/* The Autocrypt header as GMime writes it raw (" value\n" with folded
 * continuation lines): GMime would otherwise RFC 2047-encode the long
 * base64 word, which Autocrypt readers do not decode. */
static char *
autocrypt_raw_value(struct crypto *crypto)
{
	g_autofree char *base64 =
		g_base64_encode(g_bytes_get_data(crypto->autocrypt_key, NULL),
				g_bytes_get_size(crypto->autocrypt_key));
	GString *value = g_string_new(NULL);
	size_t len = strlen(base64);

	g_string_append_printf(value, " addr=%s; keydata=\n", crypto->address);
	for (size_t i = 0; i < len; i += AUTOCRYPT_LINE) {
		g_string_append_c(value, ' ');
		g_string_append_len(value, base64 + i,
				    MIN(AUTOCRYPT_LINE, len - i));
		g_string_append_c(value, '\n');
	}
	return g_string_free(value, FALSE);
}

static void
set_autocrypt_header(struct crypto *crypto, GMimeMessage *message)
{
	g_autofree char *raw = autocrypt_raw_value(crypto);
	GMimeHeaderList *headers =
		g_mime_object_get_header_list(GMIME_OBJECT(message));
	GMimeHeader *header;

	g_mime_object_set_header(GMIME_OBJECT(message), "Autocrypt", "-", NULL);
	header = g_mime_header_list_get_header(headers, "Autocrypt");
	g_mime_header_set_raw_value(header, raw);
}

/* Copies the headers readers show onto the inner entity (protected
 * headers v1). */
static void
set_protected_headers(GMimeMessage *plain, GMimeObject *entity)
{
	static const char *const names[] = {
		"Subject", "From",	 "To",		"Cc",
		"Date",	   "Message-ID", "In-Reply-To", "References"};
	GMimeContentType *ct = g_mime_object_get_content_type(entity);

	for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
		GMimeHeaderList *headers =
			g_mime_object_get_header_list(GMIME_OBJECT(plain));
		GMimeHeader *header =
			g_mime_header_list_get_header(headers, names[i]);

		if (header != NULL)
			g_mime_object_set_header(
				entity, names[i],
				g_mime_header_get_value(header), "utf-8");
	}
	g_mime_content_type_set_parameter(ct, "protected-headers", "v1");
}

GMimeMessage *
crypto_protect(struct crypto *crypto, GMimeMessage *plain,
	       const char *recipient_fingerprint, GError **error)
{
	GMimeObject *body = g_mime_message_get_mime_part(plain);
	g_autoptr(GMimeObject) entity = NULL;
	g_autoptr(GBytes) canonical = NULL;
	g_autofree char *micalg = NULL;
	struct sink sink;
	gpgme_data_t in, out;
	gpgme_error_t err;
	g_autoptr(GBytes) output = NULL;
	GMimeMultipart *envelope;
	gpgme_key_t recipient = NULL;

	if (body == NULL) {
		g_set_error_literal(error, CRYPTO_ERROR, CRYPTO_ERROR_FAILED,
				    "message has no body to protect");
		return NULL;
	}
	if (recipient_fingerprint != NULL) {
		recipient = lookup_key(crypto, recipient_fingerprint);
		if (recipient == NULL || !key_usable(recipient) ||
		    !recipient->can_encrypt) {
			g_set_error(error, CRYPTO_ERROR, CRYPTO_ERROR_KEY,
				    "key %s: missing or unusable for "
				    "encryption",
				    recipient_fingerprint);
			if (recipient != NULL)
				gpgme_key_unref(recipient);
			return NULL;
		}
	}

	/* The entity is copied through its bytes, so plain stays unchanged
	 * until everything worked. */
	{
		g_autoptr(GBytes) original = object_canonical_bytes(body);

		entity = parse_entity(original);
	}
	if (recipient != NULL)
		set_protected_headers(plain, entity);
	{
		GMimeObject *reparsed = NULL;

		canonical = canonical_entity(entity, &reparsed);
		g_object_unref(entity);
		entity = reparsed;
	}

	in = data_from(g_bytes_get_data(canonical, NULL),
		       g_bytes_get_size(canonical));
	out = sink_open(&sink, crypto->max_plaintext * 2 + 65536);
	gpgme_set_armor(crypto->ctx, 1);
	gpgme_set_textmode(crypto->ctx, 0);
	if (recipient != NULL) {
		gpgme_key_t keys[] = {recipient, crypto->own_key, NULL};

		err = gpgme_op_encrypt_sign(
			crypto->ctx, keys, GPGME_ENCRYPT_ALWAYS_TRUST, in, out);
	} else {
		err = gpgme_op_sign(crypto->ctx, in, out,
				    GPGME_SIG_MODE_DETACH);
	}
	gpgme_data_release(in);
	output = sink_close(&sink, out);
	if (recipient != NULL)
		gpgme_key_unref(recipient);
	if (err != 0) {
		set_gpgme_error(error, CRYPTO_ERROR_FAILED, err,
				recipient_fingerprint ? "encrypt and sign"
						      : "sign");
		return NULL;
	}
	{
		gpgme_sign_result_t signed_result =
			gpgme_op_sign_result(crypto->ctx);

		if (signed_result == NULL ||
		    signed_result->signatures == NULL) {
			g_set_error_literal(error, CRYPTO_ERROR,
					    CRYPTO_ERROR_FAILED,
					    "gpg made no signature");
			return NULL;
		}
		micalg = micalg_of(signed_result->signatures->hash_algo);
	}

	if (recipient_fingerprint != NULL) {
		g_autoptr(GBytes) version =
			g_bytes_new_static("Version: 1\n", 11);
		GMimePart *control = armored_part(
			"application", "pgp-encrypted", version, NULL);
		GMimePart *data = armored_part("application", "octet-stream",
					       output, "encrypted.asc");

		envelope = GMIME_MULTIPART(g_mime_multipart_encrypted_new());
		g_mime_content_type_set_parameter(
			g_mime_object_get_content_type(GMIME_OBJECT(envelope)),
			"protocol", "application/pgp-encrypted");
		g_mime_object_set_disposition(GMIME_OBJECT(data), "inline");
		g_mime_multipart_add(envelope, GMIME_OBJECT(control));
		g_mime_multipart_add(envelope, GMIME_OBJECT(data));
		g_object_unref(control);
		g_object_unref(data);
	} else {
		GMimePart *signature =
			armored_part("application", "pgp-signature", output,
				     "signature.asc");
		GMimeContentType *ct;

		envelope = GMIME_MULTIPART(g_mime_multipart_signed_new());
		ct = g_mime_object_get_content_type(GMIME_OBJECT(envelope));
		g_mime_content_type_set_parameter(ct, "protocol",
						  "application/pgp-signature");
		g_mime_content_type_set_parameter(ct, "micalg", micalg);
		g_mime_multipart_add(envelope, entity);
		g_mime_multipart_add(envelope, GMIME_OBJECT(signature));
		g_object_unref(signature);
	}

	g_mime_multipart_set_boundary(envelope, NULL);
	/* Everything worked: change plain. */
	g_mime_message_set_mime_part(plain, GMIME_OBJECT(envelope));
	g_object_unref(envelope);
	if (recipient_fingerprint != NULL)
		g_mime_message_set_subject(plain, "...", "utf-8");
	set_autocrypt_header(crypto, plain);
	return g_object_ref(plain);
}

char *
crypto_export_public_key(struct crypto *crypto, GError **error)
{
	g_autoptr(GBytes) bytes = export_key(crypto, TRUE, 0, error);

	if (bytes == NULL)
		return NULL;
	return g_strndup(g_bytes_get_data(bytes, NULL),
			 g_bytes_get_size(bytes));
}

gboolean
crypto_key_can_encrypt(struct crypto *crypto, const char *fingerprint)
{
	gpgme_key_t key = lookup_key(crypto, fingerprint);
	gboolean usable;

	if (key == NULL)
		return FALSE;
	usable = key_usable(key) && key->can_encrypt;
	gpgme_key_unref(key);
	return usable;
}

char *
crypto_key_for_address(struct crypto *crypto, const char *address,
		       GError **error)
{
	g_autofree char *want = cryptostatus_uid_address(address);
	g_autofree char *pattern = NULL;
	char *best = NULL;
	long best_created = -1;
	gpgme_key_t key;
	gpgme_error_t err;

	if (want == NULL)
		return NULL;
	pattern = g_strdup_printf("<%s>", want);
	err = gpgme_op_keylist_start(crypto->ctx, pattern, 0);
	while (err == 0 &&
	       (err = gpgme_op_keylist_next(crypto->ctx, &key)) == 0) {
		gboolean named = FALSE;

		for (gpgme_user_id_t uid = key->uids; uid && !named;
		     uid = uid->next) {
			g_autofree char *a = cryptostatus_uid_address(uid->uid);

			named = !uid->revoked && !uid->invalid && a != NULL &&
				strcmp(a, want) == 0;
		}
		if (named && key_usable(key) && key->can_encrypt &&
		    key->subkeys != NULL &&
		    key->subkeys->timestamp > best_created) {
			g_free(best);
			best = g_strdup(key->fpr);
			best_created = key->subkeys->timestamp;
		}
		gpgme_key_unref(key);
	}
	gpgme_op_keylist_end(crypto->ctx);
	if (gpg_err_code(err) != GPG_ERR_EOF) {
		g_free(best);
		set_gpgme_error(error, CRYPTO_ERROR_FAILED, err, address);
		return NULL;
	}
	return best;
}
