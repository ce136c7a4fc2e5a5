/* rfc2047.c — decode RFC 2047 encoded words in a raw header value.
 *
 * One pass over the unfolded value.  An encoded word is
 * "=?" charset ["*" lang] "?" (B|Q) "?" text "?="; anything that does not
 * parse stays literal text.  Whitespace between two encoded words is
 * dropped (RFC 2047 §6.2), and the bytes of adjacent words in the same
 * charset are joined before conversion, because senders split multi-byte
 * characters across words.  Each failed attempt scans at most to the
 * third '?' after its "=?", and every "=?" holds a '?', so the work is
 * linear in the input length. */
#include <string.h>

#include "charset.h"
#include "rfc2047.h"

/* A charset name longer than this is not one. */
#define MAX_CHARSET_LABEL 64

struct encoded_word {
	const char *charset; /* not NUL-terminated */
	gsize charset_len;
	char encoding; /* 'B' or 'Q' */
	const char *text;
	gsize text_len;
	gsize total_len; /* "=?" through "?=" */
};

static gboolean
is_wsp(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Parses an encoded word at p (which starts with "=?"). */
static gboolean
word_parse(const char *p, const char *end, struct encoded_word *word)
{
	const char *q = p + 2;
	const char *charset = q;
	const char *lang_star;

	while (q < end && *q != '?' && !is_wsp(*q))
		q++;
	if (q >= end || *q != '?' || q == charset ||
	    q - charset > MAX_CHARSET_LABEL)
		return FALSE;
	word->charset = charset;
	word->charset_len = q - charset;
	/* RFC 2231 language suffix: "utf-8*en". */
	lang_star = memchr(charset, '*', word->charset_len);
	if (lang_star != NULL)
		word->charset_len = lang_star - charset;
	if (word->charset_len == 0)
		return FALSE;
	q++;
	if (end - q < 2 || q[1] != '?')
		return FALSE;
	word->encoding = g_ascii_toupper(*q);
	if (word->encoding != 'B' && word->encoding != 'Q')
		return FALSE;
	q += 2;
	word->text = q;
	/* Encoded text never holds '?'.  Spaces are not allowed either, but
	 * broken senders put them in Q words; accept them. */
	while (q < end && *q != '?' && *q != '\r' && *q != '\n')
		q++;
	if (end - q < 2 || q[0] != '?' || q[1] != '=')
		return FALSE;
	word->text_len = q - word->text;
	word->total_len = q + 2 - p;
	return TRUE;
}

static int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Appends the decoded bytes of word to bytes. */
static void
word_decode(const struct encoded_word *word, GByteArray *bytes)
{
	if (word->encoding == 'B') {
		/* Each word is decoded on its own: its padding ends it. */
		gsize room = (word->text_len / 4 + 1) * 3;
		gint state = 0;
		guint save = 0;
		gsize old = bytes->len;
		gsize n;

		g_byte_array_set_size(bytes, old + room);
		n = g_base64_decode_step(word->text, word->text_len,
					 bytes->data + old, &state, &save);
		g_byte_array_set_size(bytes, old + n);
		return;
	}
	for (gsize i = 0; i < word->text_len; i++) {
		char c = word->text[i];
		guint8 b = (guint8)c;

		if (c == '_') {
			b = ' ';
		} else if (c == '=' && i + 2 < word->text_len &&
			   hex_value(word->text[i + 1]) >= 0 &&
			   hex_value(word->text[i + 2]) >= 0) {
			b = (guint8)(hex_value(word->text[i + 1]) * 16 +
				     hex_value(word->text[i + 2]));
			i += 2;
		}
		g_byte_array_append(bytes, &b, 1);
	}
}

/* Appends literal (unencoded) header text: UTF-8 when valid, else
 * windows-1252. */
static void
append_literal(GString *out, const char *p, gsize len)
{
	g_autofree char *text = NULL;

	if (len == 0)
		return;
	if (g_utf8_validate_len(p, len, NULL)) {
		g_string_append_len(out, p, len);
		return;
	}
	text = charset_to_utf8(p, len, "windows-1252");
	g_string_append(out, text);
}

/* Converts the pending run of same-charset words and empties it. */
static void
flush_words(GString *out, GByteArray *bytes, char **charset)
{
	g_autofree char *text = NULL;

	if (*charset == NULL)
		return;
	text = charset_to_utf8((const char *)bytes->data, bytes->len, *charset);
	g_string_append(out, text);
	g_byte_array_set_size(bytes, 0);
	g_clear_pointer(charset, g_free);
}

/* Returns raw with folds removed: CRLF or LF followed by WSP is dropped,
 * other line breaks become a space.  *out_len gets its length.  Caller
 * frees. */
static char *
unfold(const char *raw, gsize *out_len)
{
	gsize len = strlen(raw);
	char *out = g_malloc(len + 1);
	gsize w = 0;

	for (gsize i = 0; i < len; i++) {
		gsize brk = 0;

		if (raw[i] == '\r' && raw[i + 1] == '\n')
			brk = 2;
		else if (raw[i] == '\r' || raw[i] == '\n')
			brk = 1;
		if (brk == 0) {
			out[w++] = raw[i];
			continue;
		}
		if (raw[i + brk] != ' ' && raw[i + brk] != '\t')
			out[w++] = ' ';
		i += brk - 1;
	}
	out[w] = '\0';
	*out_len = w;
	return out;
}

/* A decoded value is one line: control characters (=0A in a Q word, NUL
 * via U+FFFD already) must not break logs or headers. */
static void
blank_controls(char *s, gsize len)
{
	for (gsize i = 0; i < len; i++) {
		if ((guchar)s[i] < 0x20 || s[i] == 0x7f)
			s[i] = ' ';
	}
}

char *
rfc2047_decode(const char *raw)
{
	g_autofree char *value = NULL;
	g_autoptr(GString) out = NULL;
	g_autoptr(GByteArray) bytes = NULL;
	g_autofree char *run_charset = NULL; /* charset of bytes, or NULL */
	gsize len;
	const char *p;
	const char *end;
	const char *literal; /* start of pending literal text */

	if (raw == NULL)
		return g_strdup("");
	value = unfold(raw, &len);
	/* Most values hold no encoded word: all literal text, decoded in
	 * place the way append_literal() would. */
	if (strstr(value, "=?") == NULL) {
		char *text;

		if (g_utf8_validate_len(value, len, NULL)) {
			text = g_steal_pointer(&value);
		} else {
			text = charset_to_utf8(value, len, "windows-1252");
			len = strlen(text);
		}
		blank_controls(text, len);
		return text;
	}
	bytes = g_byte_array_new();
	p = value;
	end = value + len;
	out = g_string_sized_new(len + 1);
	literal = p;
	while (p < end) {
		struct encoded_word word;
		const char *q;

		if (!(p[0] == '=' && p + 1 < end && p[1] == '?' &&
		      word_parse(p, end, &word))) {
			p++;
			continue;
		}
		/* Text since the last word: dropped when only whitespace
		 * separates two encoded words. */
		q = literal;
		while (q < p && is_wsp(*q))
			q++;
		if (q < p || run_charset == NULL) {
			flush_words(out, bytes, &run_charset);
			append_literal(out, literal, p - literal);
		}
		if (run_charset != NULL &&
		    (strlen(run_charset) != word.charset_len ||
		     g_ascii_strncasecmp(run_charset, word.charset,
					 word.charset_len) != 0))
			flush_words(out, bytes, &run_charset);
		if (run_charset == NULL)
			run_charset = g_strndup(word.charset, word.charset_len);
		word_decode(&word, bytes);
		p += word.total_len;
		literal = p;
	}
	flush_words(out, bytes, &run_charset);
	append_literal(out, literal, end - literal);
	blank_controls(out->str, out->len);
	return g_string_free(g_steal_pointer(&out), FALSE);
}
