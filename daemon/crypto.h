/* crypto.h — OpenPGP for intaked: the only module that calls GPGME.
 *
 * Incoming: crypto_unwrap() turns a parsed message into the cleartext MIME
 * tree the later stages parse (PGP/MIME encrypted, signed, signed and
 * encrypted; inline PGP in text/plain and text/html, keeping the text
 * around the armor; .pgp/.gpg/.asc attachments; Exchange-mangled PGP/MIME)
 * and says in a struct crypto_result what was encrypted, what was
 * decrypted and why not, who signed and how that went, and which keys of
 * the sender it imported (Autocrypt, application/pgp-keys, inline key
 * blocks), each only with user ids naming the sender.  The caller decides
 * pinning with cryptostatus_pin_decide() and the store.
 *
 * Outgoing: crypto_protect() signs with the CERT key (PGP/MIME, micalg from
 * the hash gpg used), adds an Autocrypt header, and when given the
 * requester's pinned fingerprint encrypts to it and to the CERT key with
 * protected headers.
 *
 * Process-global state: crypto_new() points GPGME's default engine at the
 * configured GnuPG home (gpgme_set_engine_info), which also applies to any
 * context GMime creates.  Call it after g_mime_init() and before threads
 * start; every struct crypto of a process must use the same home.
 *
 * Threads: a struct crypto holds one gpgme_ctx_t, reused for every
 * operation (a new context costs an extra gpg exec), and a cache of
 * public keys.  Use one struct crypto per thread (intaked has two: the
 * intake worker's and its read-ahead's).  A key import through any of
 * them empties the caches of all of them before their next lookup. */
#ifndef INTAKED_CRYPTO_H
#define INTAKED_CRYPTO_H

#include <gmime/gmime.h>

#include "config.h"
#include "cryptostatus.h"

struct crypto;

#define CRYPTO_ERROR (crypto_error_quark())
GQuark crypto_error_quark(void);
enum crypto_error {
	CRYPTO_ERROR_SETUP,  /* home, key or passphrase unusable */
	CRYPTO_ERROR_KEY,    /* a key needed for an operation is unusable */
	CRYPTO_ERROR_FAILED, /* gpg failed */
	CRYPTO_ERROR_LIMIT,  /* output over the plaintext limit */
};

/* Opens the CERT's GnuPG home (config->crypto.gnupg_home, a directory of
 * mode 0700) and checks that the secret key config->crypto.key_fingerprint
 * is present, not expired or revoked, can sign, and that its passphrase
 * (config->crypto.passphrase, given by loopback pinentry) works, by signing
 * a test text.  This is the check `intaked -n` runs.  Returns a new object
 * (crypto_free) or NULL with error saying what is wrong. */
struct crypto *crypto_new(const struct config *config, GError **error);
void crypto_free(struct crypto **crypto);

/* Limits on untrusted input (defaults: 25 MiB of plaintext per operation,
 * MIME depth 32, 16 gpg operations per message). */
void crypto_set_limits(struct crypto *crypto, gsize max_plaintext_bytes,
		       guint max_depth, guint max_operations);

/* The CERT key's fingerprint (upper-case hex).  Owned by crypto. */
const char *crypto_fingerprint(const struct crypto *crypto);

/* ---- incoming -------------------------------------------------------- */

enum crypto_part_kind {
	CRYPTO_PART_PGP_MIME_ENCRYPTED,
	CRYPTO_PART_PGP_MIME_SIGNED,
	CRYPTO_PART_INLINE_ENCRYPTED,
	CRYPTO_PART_INLINE_SIGNED,
	CRYPTO_PART_ATTACHMENT_ENCRYPTED,
};
/* "pgp_mime_encrypted", "pgp_mime_signed", "inline_encrypted",
 * "inline_signed", "attachment_encrypted". */
const char *crypto_part_kind_name(enum crypto_part_kind kind);

struct crypto_part {
	char *path; /* MIME path in the original tree: "" root, "1.2" */
	enum crypto_part_kind kind;
	gboolean encrypted;
	gboolean decrypted;
	char *error; /* why not decrypted or not verified, or NULL */
	enum cryptostatus_signature signature; /* NONE when unsigned */
	char *signer_fingerprint; /* primary key, or what gpg reported */
	gboolean repaired;	  /* Exchange-mangled PGP/MIME put right */
};

struct crypto_key_found {
	char *fingerprint; /* NULL when gpg named none */
	char *source;	   /* "autocrypt", "attachment", "inline" */
	gboolean imported; /* FALSE: rejected, see error */
	char *error;
	char **uids; /* the key's user ids after the import filter */
};

enum crypto_match {
	CRYPTO_MATCH_UNKNOWN, /* nothing pinned, or nothing signed */
	CRYPTO_MATCH_YES,
	CRYPTO_MATCH_NO,
};

struct crypto_result {
	gboolean encrypted;  /* some part was encrypted */
	gboolean decrypted;  /* every encrypted part was decrypted */
	char *decrypt_error; /* the first reason one was not */
	gboolean is_signed;
	/* The first signature seen (the body's), NONE when unsigned. */
	enum cryptostatus_signature signature;
	char *signer_fingerprint;
	enum crypto_match signer_matches_pin;
	char *protected_subject; /* from protected headers, or NULL */
	GPtrArray *keys;	 /* struct crypto_key_found * */
	GPtrArray *parts;	 /* struct crypto_part * */
};

void crypto_result_init(struct crypto_result *result);
void crypto_result_clear(struct crypto_result *result);
/* Compact JSON of the result, for messages.crypto.  Caller frees. */
char *crypto_result_to_json(const struct crypto_result *result);

/* Decrypts and verifies what in holds, working on in's MIME tree in place
 * (the raw message stays in the store).  sender_addr is the From address:
 * keys are imported only with user ids naming it (NULL: nothing is
 * imported).  pinned_fingerprint is the key pinned to sender_addr, or
 * NULL; it decides result->signer_matches_pin.  Returns a new reference to
 * the cleartext tree's root (in itself): never NULL for mail that merely
 * cannot be decrypted (the result says why).  NULL with error only when
 * gpg cannot be run at all. */
GMimeObject *crypto_unwrap(struct crypto *crypto, GMimeMessage *in,
			   const char *sender_addr,
			   const char *pinned_fingerprint,
			   struct crypto_result *out, GError **error);

/* ---- outgoing -------------------------------------------------------- */

/* Signs plain with the CERT key as PGP/MIME (RFC 3156) and adds an
 * Autocrypt header with the CERT key.  With recipient_fingerprint (the
 * requester's key as pinned by us) it also encrypts to that key and to the
 * CERT key, with the real Subject inside (protected headers, v1) and
 * "..." outside.  GPGME_ENCRYPT_ALWAYS_TRUST is used because the caller
 * passes only keys it pinned itself: the pin is our trust decision, and a
 * web of trust over requesters' keys does not exist.  Modifies plain and
 * returns a new reference to it, or NULL with error (plain unchanged). */
GMimeMessage *crypto_protect(struct crypto *crypto, GMimeMessage *plain,
			     const char *recipient_fingerprint, GError **error);

/* The CERT public key, ASCII-armored.  Caller frees. */
char *crypto_export_public_key(struct crypto *crypto, GError **error);

/* TRUE when the keyring holds the public key fingerprint (primary or
 * subkey) and it is usable for encryption now. */
gboolean crypto_key_can_encrypt(struct crypto *crypto, const char *fingerprint);

/* The fingerprint of a usable (not revoked, expired or disabled) key in
 * the keyring that can encrypt and has a user id naming address, or NULL
 * (error set only when the lookup failed).  When several match, the most
 * recently created wins.  Caller frees. */
char *crypto_key_for_address(struct crypto *crypto, const char *address,
			     GError **error);

#endif
