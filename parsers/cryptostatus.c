/* cryptostatus.c — signature status mapping, key pinning rule, inline armor
 * and Autocrypt parsing: pure functions for daemon/crypto.c. */
#include "cryptostatus.h"

#include <string.h>
#include <gmime/gmime.h>

/* The bit values are GMime's (and GPGME's); see the header. */
G_STATIC_ASSERT((int)CRYPTOSTATUS_SUM_VALID ==
		(int)GMIME_SIGNATURE_STATUS_VALID);
G_STATIC_ASSERT((int)CRYPTOSTATUS_SUM_GREEN ==
		(int)GMIME_SIGNATURE_STATUS_GREEN);
G_STATIC_ASSERT((int)CRYPTOSTATUS_SUM_RED == (int)GMIME_SIGNATURE_STATUS_RED);
G_STATIC_ASSERT((int)CRYPTOSTATUS_SUM_KEY_REVOKED ==
		(int)GMIME_SIGNATURE_STATUS_KEY_REVOKED);
G_STATIC_ASSERT((int)CRYPTOSTATUS_SUM_KEY_EXPIRED ==
		(int)GMIME_SIGNATURE_STATUS_KEY_EXPIRED);
G_STATIC_ASSERT((int)CRYPTOSTATUS_SUM_SIG_EXPIRED ==
		(int)GMIME_SIGNATURE_STATUS_SIG_EXPIRED);
G_STATIC_ASSERT((int)CRYPTOSTATUS_SUM_KEY_MISSING ==
		(int)GMIME_SIGNATURE_STATUS_KEY_MISSING);
G_STATIC_ASSERT((int)CRYPTOSTATUS_SUM_SYS_ERROR ==
		(int)GMIME_SIGNATURE_STATUS_SYS_ERROR);

#define AUTOCRYPT_MAX_ATTRIBUTES 16

static GQuark
cryptostatus_error_quark(void)
{
	return g_quark_from_static_string("intaked-cryptostatus-error");
}

/* ---- signature status -------------------------------------------------- */

enum cryptostatus_signature
cryptostatus_signature_from(unsigned summary, enum cryptostatus_code code)
{
	if (summary & CRYPTOSTATUS_SUM_SYS_ERROR)
		return CRYPTOSTATUS_SIGNATURE_ERROR;
	if ((summary & CRYPTOSTATUS_SUM_RED) ||
	    code == CRYPTOSTATUS_CODE_BAD_SIGNATURE) {
		/* gpg marks a good signature by a revoked or expired key RED
		 * as well; the content itself is fine then. */
		if (code == CRYPTOSTATUS_CODE_BAD_SIGNATURE)
			return CRYPTOSTATUS_SIGNATURE_BAD;
		if (summary & CRYPTOSTATUS_SUM_KEY_REVOKED)
			return CRYPTOSTATUS_SIGNATURE_REVOKED;
		if (summary & (CRYPTOSTATUS_SUM_KEY_EXPIRED |
			       CRYPTOSTATUS_SUM_SIG_EXPIRED))
			return CRYPTOSTATUS_SIGNATURE_EXPIRED;
		return CRYPTOSTATUS_SIGNATURE_BAD;
	}
	if ((summary & CRYPTOSTATUS_SUM_KEY_MISSING) ||
	    code == CRYPTOSTATUS_CODE_NO_PUBKEY)
		return CRYPTOSTATUS_SIGNATURE_UNKNOWN_KEY;
	if ((summary & CRYPTOSTATUS_SUM_KEY_REVOKED) ||
	    code == CRYPTOSTATUS_CODE_CERT_REVOKED)
		return CRYPTOSTATUS_SIGNATURE_REVOKED;
	if ((summary &
	     (CRYPTOSTATUS_SUM_KEY_EXPIRED | CRYPTOSTATUS_SUM_SIG_EXPIRED)) ||
	    code == CRYPTOSTATUS_CODE_SIG_EXPIRED ||
	    code == CRYPTOSTATUS_CODE_KEY_EXPIRED)
		return CRYPTOSTATUS_SIGNATURE_EXPIRED;
	if (code != CRYPTOSTATUS_CODE_OK)
		return CRYPTOSTATUS_SIGNATURE_ERROR;
	return CRYPTOSTATUS_SIGNATURE_VALID;
}

const char *
cryptostatus_signature_name(enum cryptostatus_signature status)
{
	switch (status) {
	case CRYPTOSTATUS_SIGNATURE_NONE:
		return "none";
	case CRYPTOSTATUS_SIGNATURE_VALID:
		return "valid";
	case CRYPTOSTATUS_SIGNATURE_BAD:
		return "bad";
	case CRYPTOSTATUS_SIGNATURE_UNKNOWN_KEY:
		return "unknown_key";
	case CRYPTOSTATUS_SIGNATURE_EXPIRED:
		return "expired";
	case CRYPTOSTATUS_SIGNATURE_REVOKED:
		return "revoked";
	case CRYPTOSTATUS_SIGNATURE_ERROR:
		break;
	}
	return "error";
}

/* ---- fingerprints and addresses ---------------------------------------- */

char *
cryptostatus_fingerprint_normalize(const char *fingerprint)
{
	GString *out;

	if (fingerprint == NULL || strlen(fingerprint) > 128)
		return NULL;
	out = g_string_sized_new(64);
	for (const char *p = fingerprint; *p != '\0'; p++) {
		if (*p == ' ')
			continue;
		if (!g_ascii_isxdigit(*p)) {
			g_string_free(out, TRUE);
			return NULL;
		}
		g_string_append_c(out, g_ascii_toupper(*p));
	}
	if (out->len != 40 && out->len != 64) {
		g_string_free(out, TRUE);
		return NULL;
	}
	return g_string_free(out, FALSE);
}

/* An address as GnuPG's "mbox" sees it: something@something, no spaces
 * or angle brackets. */
static gboolean
is_plain_address(const char *s, gsize len)
{
	const char *at = memchr(s, '@', len);

	if (at == NULL || at == s || at == s + len - 1 ||
	    memchr(at + 1, '@', s + len - at - 1) != NULL)
		return FALSE;
	for (gsize i = 0; i < len; i++)
		if (s[i] == '<' || s[i] == '>' || (guchar)s[i] < 0x21 ||
		    (guchar)s[i] == 0x7f)
			return FALSE;
	return TRUE;
}

char *
cryptostatus_uid_address(const char *uid)
{
	const char *open, *close;

	if (uid == NULL)
		return NULL;
	close = strrchr(uid, '>');
	if (close != NULL) {
		open = g_strrstr_len(uid, close - uid, "<");
		if (open == NULL ||
		    !is_plain_address(open + 1, close - open - 1))
			return NULL;
		return g_ascii_strdown(open + 1, close - open - 1);
	}
	if (!is_plain_address(uid, strlen(uid)))
		return NULL;
	return g_ascii_strdown(uid, -1);
}

/* ---- key pinning --------------------------------------------------------- */

enum cryptostatus_pin
cryptostatus_pin_decide(const char *address, const char *pinned,
			const char *fingerprint, const char *const *uids)
{
	g_autofree char *want = cryptostatus_uid_address(address);
	g_autofree char *seen = cryptostatus_fingerprint_normalize(fingerprint);
	g_autofree char *have = NULL;
	gboolean named = FALSE;

	if (want == NULL || seen == NULL)
		return CRYPTOSTATUS_PIN_REJECT_INVALID;
	/* The uid check comes first: a key that does not name the sender
	 * says nothing about the sender, pinned or not. */
	for (size_t i = 0; uids != NULL && uids[i] != NULL && !named; i++) {
		g_autofree char *uid_address =
			cryptostatus_uid_address(uids[i]);

		named = uid_address != NULL && strcmp(uid_address, want) == 0;
	}
	if (!named)
		return CRYPTOSTATUS_PIN_REJECT_UID_MISMATCH;
	if (pinned == NULL)
		return CRYPTOSTATUS_PIN_NEW;
	have = cryptostatus_fingerprint_normalize(pinned);
	if (have == NULL)
		return CRYPTOSTATUS_PIN_REJECT_INVALID;
	return strcmp(have, seen) == 0 ? CRYPTOSTATUS_PIN_SAME
				       : CRYPTOSTATUS_PIN_CONFLICT;
}

const char *
cryptostatus_pin_name(enum cryptostatus_pin decision)
{
	switch (decision) {
	case CRYPTOSTATUS_PIN_NEW:
		return "pin_new";
	case CRYPTOSTATUS_PIN_SAME:
		return "same";
	case CRYPTOSTATUS_PIN_CONFLICT:
		return "conflict";
	case CRYPTOSTATUS_PIN_REJECT_UID_MISMATCH:
		return "reject_uid_mismatch";
	case CRYPTOSTATUS_PIN_REJECT_INVALID:
		break;
	}
	return "reject_invalid";
}

/* ---- inline PGP ---------------------------------------------------------- */

struct armor_marker {
	enum cryptostatus_armor kind;
	const char *begin;
	const char *end;
};

static const struct armor_marker armor_markers[] = {
	{CRYPTOSTATUS_ARMOR_MESSAGE, "-----BEGIN PGP MESSAGE-----",
	 "-----END PGP MESSAGE-----"},
	/* The signed text sits between the two; the block ends with the
	 * signature. */
	{CRYPTOSTATUS_ARMOR_SIGNED, "-----BEGIN PGP SIGNED MESSAGE-----",
	 "-----END PGP SIGNATURE-----"},
	{CRYPTOSTATUS_ARMOR_KEY, "-----BEGIN PGP PUBLIC KEY BLOCK-----",
	 "-----END PGP PUBLIC KEY BLOCK-----"},
};

/* Offset of the first line (at or after from) that starts with marker,
 * or -1. */
static gssize
find_line_start(const char *text, gsize len, gsize from, const char *marker)
{
	gsize mlen = strlen(marker);

	while (from < len) {
		const char *hit = g_strstr_len(text + from, len - from, marker);
		gsize at;

		if (hit == NULL)
			return -1;
		at = hit - text;
		/* Leading blanks are tolerated: quoting tools indent. */
		{
			gsize b = at;

			while (b > 0 &&
			       (text[b - 1] == ' ' || text[b - 1] == '\t'))
				b--;
			if (b == 0 || text[b - 1] == '\n')
				return at;
		}
		from = at + mlen;
	}
	return -1;
}

GArray *
cryptostatus_armor_find(const char *text, gsize len, guint max)
{
	GArray *blocks = g_array_new(FALSE, FALSE,
				     sizeof(struct cryptostatus_armor_block));
	gsize from = 0;

	while (from < len && blocks->len < max) {
		const struct armor_marker *first = NULL;
		gssize first_at = -1;
		gssize end_at;
		gsize end;

		for (size_t i = 0; i < G_N_ELEMENTS(armor_markers); i++) {
			gssize at = find_line_start(text, len, from,
						    armor_markers[i].begin);

			if (at >= 0 && (first_at < 0 || at < first_at)) {
				first_at = at;
				first = &armor_markers[i];
			}
		}
		if (first == NULL)
			break;
		end_at = find_line_start(
			text, len, first_at + strlen(first->begin), first->end);
		if (end_at < 0)
			break;
		end = end_at + strlen(first->end);
		/* The END line's own line end belongs to the block. */
		while (end < len && (text[end] == ' ' || text[end] == '\t'))
			end++;
		if (end < len && text[end] == '\r')
			end++;
		if (end < len && text[end] == '\n')
			end++;
		g_array_append_val(blocks, ((struct cryptostatus_armor_block){
						   .kind = first->kind,
						   .start = first_at,
						   .end = end,
					   }));
		from = end;
	}
	return blocks;
}

static const struct {
	const char *name;
	gunichar c;
} html_entities[] = {
	{"lt", '<'},   {"gt", '>'},    {"amp", '&'},
	{"quot", '"'}, {"apos", '\''}, {"nbsp", ' '},
};

/* Decodes the entity at p (after '&'); returns the bytes consumed after
 * '&' and sets *c, or 0 when it is not one we know. */
static gsize
decode_entity(const char *p, const char *limit, gunichar *c)
{
	const char *semi = memchr(p, ';', MIN((gsize)(limit - p), 12));

	if (semi == NULL)
		return 0;
	if (*p == '#') {
		guint64 value = 0;
		gboolean hex = p[1] == 'x' || p[1] == 'X';
		const char *digit = p + (hex ? 2 : 1);

		if (digit == semi)
			return 0;
		for (; digit < semi; digit++) {
			int v = hex ? g_ascii_xdigit_value(*digit)
				    : g_ascii_digit_value(*digit);

			if (v < 0)
				return 0;
			value = value * (hex ? 16 : 10) + v;
		}
		if (value == 0 || value > 0x10FFFF)
			return 0;
		*c = (gunichar)value;
		return semi - p + 1;
	}
	for (size_t i = 0; i < G_N_ELEMENTS(html_entities); i++) {
		gsize n = strlen(html_entities[i].name);

		if ((gsize)(semi - p) == n &&
		    g_ascii_strncasecmp(p, html_entities[i].name, n) == 0) {
			*c = html_entities[i].c;
			return n + 1;
		}
	}
	return 0;
}

/* Tags that end a line in what the browser shows. */
static gboolean
tag_breaks_line(const char *tag, gsize len)
{
	static const char *const breaking[] = {"br", "/p",  "/div", "/pre",
					       "p",  "div", "/li",  "/tr"};

	for (size_t i = 0; i < G_N_ELEMENTS(breaking); i++) {
		gsize n = strlen(breaking[i]);

		if (len >= n && g_ascii_strncasecmp(tag, breaking[i], n) == 0 &&
		    (len == n || !g_ascii_isalnum(tag[n])))
			return TRUE;
	}
	return FALSE;
}

static char *normalize_armor(char *text);

char *
cryptostatus_html_to_armor(const char *html, gsize len)
{
	GString *out = g_string_sized_new(len);
	const char *p = html, *limit = html + len;

	while (p < limit) {
		if (*p == '<') {
			const char *close = memchr(p, '>', limit - p);

			if (close == NULL)
				break;
			if (tag_breaks_line(p + 1, close - p - 1))
				g_string_append_c(out, '\n');
			p = close + 1;
		} else if (*p == '&') {
			gunichar c = 0;
			gsize used = decode_entity(p + 1, limit, &c);

			if (used == 0) {
				g_string_append_c(out, '&');
				p++;
			} else {
				g_string_append_unichar(out, c);
				p += 1 + used;
			}
		} else if (*p == '\r') {
			p++;
		} else {
			/* In HTML source a newline is only a space, but
			 * armor inside <pre> or written by tools that keep
			 * line breaks relies on it: keep it. */
			g_string_append_c(out, *p);
			p++;
		}
	}
	return normalize_armor(g_string_free(out, FALSE));
}

/* <p>..</p> around every line leaves blank lines and indentation, but in
 * armor a blank line separates the headers from the base64 body.  Keep the
 * BEGIN line, the "Key: value" header lines, one blank line, and the
 * non-blank body lines.  A cleartext-signed block is left alone: its text
 * is what was signed. Takes ownership of text; returns a new string. */
static char *
normalize_armor(char *text)
{
	g_auto(GStrv) lines = NULL;
	GString *out;
	gboolean begun = FALSE, in_body = FALSE;

	if (strstr(text, "-----BEGIN PGP SIGNED MESSAGE-----") != NULL)
		return text;
	lines = g_strsplit(text, "\n", -1);
	g_free(text);
	out = g_string_new(NULL);
	for (size_t i = 0; lines[i] != NULL; i++) {
		char *line = g_strstrip(lines[i]);

		if (*line == '\0')
			continue;
		if (!begun) {
			if (g_str_has_prefix(line, "-----BEGIN ")) {
				begun = TRUE;
				g_string_append_printf(out, "%s\n", line);
			}
			continue;
		}
		if (!in_body && strstr(line, ": ") == NULL) {
			g_string_append_c(out, '\n');
			in_body = TRUE;
		}
		g_string_append_printf(out, "%s\n", line);
	}
	return g_string_free(out, FALSE);
}

/* ---- Autocrypt ----------------------------------------------------------- */

gboolean
cryptostatus_autocrypt_parse(const char *value, gsize max_key_bytes,
			     char **addr, GBytes **keydata, GError **error)
{
	g_auto(GStrv) attributes = NULL;
	g_autofree char *address = NULL;
	g_autoptr(GString) base64 = NULL;
	guint count;

	*addr = NULL;
	*keydata = NULL;
	if (value == NULL) {
		g_set_error_literal(error, cryptostatus_error_quark(), 0,
				    "Autocrypt: empty header");
		return FALSE;
	}
	attributes = g_strsplit(value, ";", AUTOCRYPT_MAX_ATTRIBUTES + 1);
	count = g_strv_length(attributes);
	if (count > AUTOCRYPT_MAX_ATTRIBUTES) {
		g_set_error(error, cryptostatus_error_quark(), 0,
			    "Autocrypt: more than %d attributes",
			    AUTOCRYPT_MAX_ATTRIBUTES);
		return FALSE;
	}
	for (guint i = 0; i < count; i++) {
		char *attribute = g_strstrip(attributes[i]);
		char *equals = strchr(attribute, '=');
		const char *name, *text;

		if (*attribute == '\0')
			continue;
		if (equals == NULL) {
			g_set_error(error, cryptostatus_error_quark(), 0,
				    "Autocrypt: attribute without value");
			return FALSE;
		}
		*equals = '\0';
		name = g_strstrip(attribute);
		text = equals + 1;
		if (strcmp(name, "addr") == 0) {
			g_autofree char *trimmed = g_strstrip(g_strdup(text));

			if (address != NULL) {
				g_set_error_literal(error,
						    cryptostatus_error_quark(),
						    0, "Autocrypt: two addr");
				return FALSE;
			}
			address = cryptostatus_uid_address(trimmed);
			if (address == NULL) {
				g_set_error_literal(
					error, cryptostatus_error_quark(), 0,
					"Autocrypt: addr is not an address");
				return FALSE;
			}
		} else if (strcmp(name, "keydata") == 0) {
			if (base64 != NULL) {
				g_set_error_literal(
					error, cryptostatus_error_quark(), 0,
					"Autocrypt: two keydata");
				return FALSE;
			}
			/* 4 base64 characters per 3 bytes; whitespace from
			 * folding is skipped. */
			base64 = g_string_new(NULL);
			for (const char *p = text; *p != '\0'; p++) {
				if (g_ascii_isspace(*p))
					continue;
				if (!g_ascii_isalnum(*p) && *p != '+' &&
				    *p != '/' && *p != '=') {
					g_set_error_literal(
						error,
						cryptostatus_error_quark(), 0,
						"Autocrypt: keydata is not "
						"base64");
					return FALSE;
				}
				if (base64->len / 4 * 3 > max_key_bytes) {
					g_set_error(error,
						    cryptostatus_error_quark(),
						    0,
						    "Autocrypt: keydata larger "
						    "than %" G_GSIZE_FORMAT
						    " bytes",
						    max_key_bytes);
					return FALSE;
				}
				g_string_append_c(base64, *p);
			}
		} else if (strcmp(name, "prefer-encrypt") == 0 ||
			   name[0] == '_') {
			continue;
		} else {
			g_set_error(error, cryptostatus_error_quark(), 0,
				    "Autocrypt: unknown critical attribute");
			return FALSE;
		}
	}
	if (address == NULL || base64 == NULL || base64->len == 0) {
		g_set_error_literal(error, cryptostatus_error_quark(), 0,
				    "Autocrypt: addr and keydata are required");
		return FALSE;
	}
	{
		gsize length = 0;
		guchar *bytes = g_base64_decode(base64->str, &length);

		if (length == 0 || length > max_key_bytes) {
			g_free(bytes);
			g_set_error_literal(error, cryptostatus_error_quark(),
					    0,
					    "Autocrypt: keydata is empty "
					    "or too large");
			return FALSE;
		}
		*keydata = g_bytes_new_take(bytes, length);
	}
	*addr = g_steal_pointer(&address);
	return TRUE;
}
