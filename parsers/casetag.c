/* casetag.c — case tags in subjects, case tokens in Message-IDs.
 *
 * Finding a tag: the tag "PREFIX-YYYY-NNNN" counts when it stands as a
 * token of its own: the byte before the prefix and the byte after the
 * sequence must not be an ASCII letter, digit, '-' or '_' (so
 * "XCERT-2026-0042", "NCSC-CERT-2026-0042" and "CERT-2026-0042-1" do not
 * match).  A bracketed tag ("[CERT-2026-0042]", also with blanks inside the
 * brackets) wins over a bare mention earlier in the subject, because the
 * bracketed one is what our replies put there and a bare one is often a
 * reference to another case.  Anyone can forge a subject tag; the
 * Message-ID token is what proves a thread. */
#include "casetag.h"

#include <string.h>

/* Bytes of HMAC-SHA256 kept in a Message-ID token (as hex: twice this). */
#define CASETAG_TOKEN_BYTES 16
#define CASETAG_TOKEN_HEX   (2 * CASETAG_TOKEN_BYTES)
#define CASETAG_SEQ_MIN	    4
#define CASETAG_SEQ_MAX	    8

char *
casetag_format(const char *prefix, const char *case_id)
{
	return g_strdup_printf("%s-%s", prefix, case_id);
}

/* Length of "YYYY-N{4,8}" at s (year 2000..2999), or 0.  Does not look
 * past the digits, so the caller checks what follows. */
static gsize
case_id_length(const char *s)
{
	gsize n = 0;

	if (s[0] != '2')
		return 0;
	for (int i = 0; i < 4; i++)
		if (!g_ascii_isdigit(s[i]))
			return 0;
	if (s[4] != '-')
		return 0;
	while (g_ascii_isdigit(s[5 + n]))
		if (++n > CASETAG_SEQ_MAX)
			return 0;
	if (n < CASETAG_SEQ_MIN)
		return 0;
	return 5 + n;
}

gboolean
casetag_is_case_id(const char *case_id)
{
	gsize len;

	if (case_id == NULL)
		return FALSE;
	len = case_id_length(case_id);
	return len > 0 && case_id[len] == '\0';
}

static gboolean
is_word_byte(char c)
{
	return g_ascii_isalnum(c) || c == '-' || c == '_';
}

static gboolean
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

char *
casetag_find(const char *subject, const char *prefix)
{
	gsize prefix_len = strlen(prefix);
	const char *bare = NULL;
	gsize bare_len = 0;

	if (subject == NULL || prefix_len == 0)
		return NULL;
	for (const char *p = subject; *p != '\0'; p++) {
		const char *id, *before, *after;
		gsize len;

		if (g_ascii_strncasecmp(p, prefix, prefix_len) != 0 ||
		    (p > subject && is_word_byte(p[-1])) ||
		    p[prefix_len] != '-')
			continue;
		id = p + prefix_len + 1;
		len = case_id_length(id);
		if (len == 0 || is_word_byte(id[len]))
			continue;
		before = p;
		while (before > subject && is_blank(before[-1]))
			before--;
		after = id + len;
		while (is_blank(*after))
			after++;
		if (before > subject && before[-1] == '[' && *after == ']')
			return g_strndup(id, len);
		if (bare == NULL) {
			bare = id;
			bare_len = len;
		}
	}
	return bare != NULL ? g_strndup(bare, bare_len) : NULL;
}

/* The token: HMAC-SHA256(secret, "case|outbox|domain") cut to 16 bytes,
 * as lowercase hex.  The domain goes in lowercased because domains
 * compare case-insensitively and relays may change their case. */
static char *
message_id_token(GBytes *secret, const char *case_text, gint64 outbox_id,
		 const char *domain)
{
	g_autofree char *lower = g_ascii_strdown(domain, -1);
	g_autofree char *data = g_strdup_printf("%s|%" G_GINT64_FORMAT "|%s",
						case_text, outbox_id, lower);
	guint8 digest[32];
	gsize digest_len = sizeof(digest);
	gsize key_len = 0;
	const guint8 *key = g_bytes_get_data(secret, &key_len);
	static const guint8 empty_key[1];
	GHmac *hmac = g_hmac_new(G_CHECKSUM_SHA256,
				 key != NULL ? key : empty_key, key_len);
	char *hex = g_malloc(CASETAG_TOKEN_HEX + 1);

	g_hmac_update(hmac, (const guchar *)data, (gssize)strlen(data));
	g_hmac_get_digest(hmac, digest, &digest_len);
	g_hmac_unref(hmac);
	for (int i = 0; i < CASETAG_TOKEN_BYTES; i++)
		g_snprintf(hex + 2 * i, 3, "%02x", digest[i]);
	return hex;
}

char *
casetag_message_id(GBytes *secret, const char *case_id, gint64 outbox_id,
		   const char *domain)
{
	const char *case_text = case_id != NULL ? case_id : "none";
	g_autofree char *token = NULL;

	g_return_val_if_fail(secret != NULL && domain != NULL, NULL);
	token = message_id_token(secret, case_text, outbox_id, domain);
	return g_strdup_printf("intaked.%s.%" G_GINT64_FORMAT ".%s@%s",
			       case_text, outbox_id, token, domain);
}

/* Constant-time comparison of two strings of the same length n. */
static gboolean
equal_in_constant_time(const char *a, const char *b, gsize n)
{
	guint8 diff = 0;

	for (gsize i = 0; i < n; i++)
		diff |= (guint8)(a[i] ^ b[i]);
	return diff == 0;
}

/* Parses a positive decimal without sign or leading zero. */
static gboolean
parse_outbox_id(const char *text, gint64 *value)
{
	guint64 n;

	if (text[0] == '0' || text[0] == '+' || text[0] == '-')
		return FALSE;
	if (!g_ascii_string_to_unsigned(text, 10, 1, G_MAXINT64, &n, NULL))
		return FALSE;
	*value = (gint64)n;
	return TRUE;
}

gboolean
casetag_verify_message_id(GBytes *secret, const char *message_id,
			  const char *domain, char **case_id, gint64 *outbox_id)
{
	g_auto(GStrv) parts = NULL;
	g_autofree char *expected = NULL;
	const char *at, *token;
	g_autofree char *local = NULL;
	gint64 outbox = 0;

	if (case_id != NULL)
		*case_id = NULL;
	if (secret == NULL || message_id == NULL || domain == NULL)
		return FALSE;
	at = strchr(message_id, '@');
	if (at == NULL || strchr(at + 1, '@') != NULL ||
	    g_ascii_strcasecmp(at + 1, domain) != 0)
		return FALSE;
	local = g_strndup(message_id, (gsize)(at - message_id));
	parts = g_strsplit(local, ".", -1);
	if (g_strv_length(parts) != 4 || strcmp(parts[0], "intaked") != 0)
		return FALSE;
	if (strcmp(parts[1], "none") != 0 && !casetag_is_case_id(parts[1]))
		return FALSE;
	if (!parse_outbox_id(parts[2], &outbox))
		return FALSE;
	token = parts[3];
	if (strlen(token) != CASETAG_TOKEN_HEX)
		return FALSE;
	for (const char *p = token; *p != '\0'; p++)
		if (!g_ascii_isdigit(*p) && !(*p >= 'a' && *p <= 'f'))
			return FALSE;
	expected = message_id_token(secret, parts[1], outbox, domain);
	if (!equal_in_constant_time(expected, token, CASETAG_TOKEN_HEX))
		return FALSE;
	if (case_id != NULL && strcmp(parts[1], "none") != 0)
		*case_id = g_strdup(parts[1]);
	if (outbox_id != NULL)
		*outbox_id = outbox;
	return TRUE;
}

/* Appends outbox_id of message_id to ids when its token is valid and
 * names case_id. */
static void
add_referenced(GArray *ids, GBytes *secret, const char *domain,
	       const char *case_id, const char *message_id)
{
	g_autofree char *token_case = NULL;
	gint64 outbox_id = 0;

	if (casetag_verify_message_id(secret, message_id, domain, &token_case,
				      &outbox_id) &&
	    g_strcmp0(token_case, case_id) == 0)
		g_array_append_val(ids, outbox_id);
}

GArray *
casetag_referenced_outboxes(GBytes *secret, const char *domain,
			    const char *case_id, const char *in_reply_to,
			    const GPtrArray *references)
{
	GArray *ids = g_array_new(FALSE, FALSE, sizeof(gint64));

	if (in_reply_to != NULL)
		add_referenced(ids, secret, domain, case_id, in_reply_to);
	for (guint i = 0; references != NULL && i < references->len; i++)
		add_referenced(ids, secret, domain, case_id,
			       references->pdata[i]);
	return ids;
}
