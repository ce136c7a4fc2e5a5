/* cryptostatus.h — the decisions of the crypto stage, without GnuPG.
 *
 * Pure: what a signature's status bits mean, whether a newly seen key may be
 * pinned to an address, where the armor blocks of inline PGP sit in a text,
 * and what an Autocrypt header says.  daemon/crypto.c feeds it what GPGME
 * reported; the unit tests feed it tables. */
#ifndef INTAKED_CRYPTOSTATUS_H
#define INTAKED_CRYPTOSTATUS_H

#include <glib.h>

/* ---- signature status -------------------------------------------------- */

enum cryptostatus_signature {
	CRYPTOSTATUS_SIGNATURE_NONE,	    /* nothing was signed */
	CRYPTOSTATUS_SIGNATURE_VALID,	    /* good signature, key present */
	CRYPTOSTATUS_SIGNATURE_BAD,	    /* the content does not match */
	CRYPTOSTATUS_SIGNATURE_UNKNOWN_KEY, /* we lack the signer's key */
	CRYPTOSTATUS_SIGNATURE_EXPIRED,	    /* the key or signature expired */
	CRYPTOSTATUS_SIGNATURE_REVOKED,	    /* the key was revoked */
	CRYPTOSTATUS_SIGNATURE_ERROR,	    /* could not be checked */
};

/* Summary bits, the values of both gpgme_sigsum_t (GPGME_SIGSUM_*) and
 * GMimeSignatureStatus (GMIME_SIGNATURE_STATUS_*), which mirror each other.
 * daemon/crypto.c and cryptostatus.c assert the equality at compile time. */
enum {
	CRYPTOSTATUS_SUM_VALID = 0x0001,
	CRYPTOSTATUS_SUM_GREEN = 0x0002,
	CRYPTOSTATUS_SUM_RED = 0x0004,
	CRYPTOSTATUS_SUM_KEY_REVOKED = 0x0010,
	CRYPTOSTATUS_SUM_KEY_EXPIRED = 0x0020,
	CRYPTOSTATUS_SUM_SIG_EXPIRED = 0x0040,
	CRYPTOSTATUS_SUM_KEY_MISSING = 0x0080,
	CRYPTOSTATUS_SUM_SYS_ERROR = 0x0800,
};

/* The error code GPGME put in a signature's status, reduced to what
 * matters here (crypto.c maps gpg_err_code_t to it). */
enum cryptostatus_code {
	CRYPTOSTATUS_CODE_OK,
	CRYPTOSTATUS_CODE_BAD_SIGNATURE,
	CRYPTOSTATUS_CODE_NO_PUBKEY,
	CRYPTOSTATUS_CODE_SIG_EXPIRED,
	CRYPTOSTATUS_CODE_KEY_EXPIRED,
	CRYPTOSTATUS_CODE_CERT_REVOKED,
	CRYPTOSTATUS_CODE_OTHER,
};

/* Maps one signature to a status.  A good signature from a key that was
 * imported but never certified has no bits at all (summary 0, code OK):
 * that is VALID here; whether the key is the right one is the pinning
 * rule's question, not the trust model's.  Order of precedence: system
 * error, bad, unknown key, revoked, expired, then the code. */
enum cryptostatus_signature
cryptostatus_signature_from(unsigned summary, enum cryptostatus_code code);

/* "none", "valid", "bad", "unknown_key", "expired", "revoked", "error". */
const char *cryptostatus_signature_name(enum cryptostatus_signature status);

/* ---- fingerprints and addresses ---------------------------------------- */

/* An OpenPGP v4 (40 hex) or v5 (64 hex) fingerprint, spaces allowed, to
 * upper case without spaces.  Returns a new string, or NULL when it is not
 * one. */
char *cryptostatus_fingerprint_normalize(const char *fingerprint);

/* The addr-spec of a user id ("Name <a@b>", "<a@b>", or "a@b"), lower
 * case, or NULL when it holds none.  Returns a new string. */
char *cryptostatus_uid_address(const char *uid);

/* ---- key pinning --------------------------------------------------------- */

enum cryptostatus_pin {
	CRYPTOSTATUS_PIN_NEW,	   /* no key pinned yet: pin this one */
	CRYPTOSTATUS_PIN_SAME,	   /* the pinned key again */
	CRYPTOSTATUS_PIN_CONFLICT, /* another key than the pinned one: flag */
	/* No user id of the key names the address: never pin. */
	CRYPTOSTATUS_PIN_REJECT_UID_MISMATCH,
	/* The fingerprint or the address is malformed: never pin. */
	CRYPTOSTATUS_PIN_REJECT_INVALID,
};

/* Decides what to do with a key seen for address (the sender).  pinned is
 * the fingerprint pinned to address, or NULL; uids is NULL-terminated
 * (user id strings or bare addresses).  A conflict is reported, never
 * resolved here: staff decide. */
enum cryptostatus_pin cryptostatus_pin_decide(const char *address,
					      const char *pinned,
					      const char *fingerprint,
					      const char *const *uids);

/* "pin_new", "same", "conflict", "reject_uid_mismatch", "reject_invalid". */
const char *cryptostatus_pin_name(enum cryptostatus_pin decision);

/* ---- inline PGP ---------------------------------------------------------- */

enum cryptostatus_armor {
	CRYPTOSTATUS_ARMOR_MESSAGE, /* BEGIN PGP MESSAGE */
	CRYPTOSTATUS_ARMOR_SIGNED,  /* BEGIN PGP SIGNED MESSAGE .. SIGNATURE */
	CRYPTOSTATUS_ARMOR_KEY,	    /* BEGIN PGP PUBLIC KEY BLOCK */
};

struct cryptostatus_armor_block {
	enum cryptostatus_armor kind;
	gsize start; /* offset of the first '-' of the BEGIN line */
	gsize end;   /* offset just past the END line (and its newline) */
};

/* Finds complete armor blocks in text (len bytes), in order, at most max.
 * A BEGIN line must start a line; a block without its END line is not
 * returned.  Returns an array of struct cryptostatus_armor_block (caller
 * frees with g_array_unref); empty when there is none. */
GArray *cryptostatus_armor_find(const char *text, gsize len, guint max);

/* The armor text inside an HTML fragment (what Mailvelope and GpgOL put in
 * text/html): tags dropped, <br>, </p>, </div> and </pre> as line ends,
 * the entities &lt; &gt; &amp; &quot; &#39; &nbsp; and numeric ones
 * decoded.  Returns a new string. */
char *cryptostatus_html_to_armor(const char *html, gsize len);

/* ---- Autocrypt ----------------------------------------------------------- */

/* Parses an Autocrypt header value (already unfolded) per Autocrypt 1.1:
 * addr= and keydata= required; unknown attributes not starting with '_'
 * make the header invalid.  keydata is whitespace-free base64 decoded, at
 * most max_key_bytes.  Returns TRUE and sets *addr (lower case, new
 * string) and *keydata (new GBytes), or FALSE with error. */
gboolean cryptostatus_autocrypt_parse(const char *value, gsize max_key_bytes,
				      char **addr, GBytes **keydata,
				      GError **error);

#endif
