/* charset.c — bytes in a declared charset to valid UTF-8.
 *
 * Mail charset labels are whatever the sender's software wrote: mixed
 * case, quoted, Microsoft names, or outright wrong.  We map the common
 * aliases to names glibc's iconv knows, convert with GIConv so that one bad
 * byte costs one U+FFFD instead of the whole text (g_convert gives up on
 * the first illegal sequence), and always finish with valid UTF-8. */
#include <errno.h>
#include <string.h>

#include "charset.h"

#define REPLACEMENT "\xEF\xBF\xBD" /* U+FFFD in UTF-8 */

enum label_kind {
	LABEL_WEAK,  /* missing, us-ascii, iso-8859-1: sniff, else cp1252 */
	LABEL_UTF8,  /* utf-8 and its spellings */
	LABEL_ICONV, /* a name to hand to iconv */
};

struct charset_alias {
	const char *label; /* lower-case, as senders write it */
	const char *iconv; /* NULL: LABEL_WEAK; "UTF-8": LABEL_UTF8 */
};

/* Labels senders use that iconv does not know, or that mean something
 * other than what they say (Outlook's ks_c_5601-1987 is really CP949,
 * gb2312 mail is usually GBK, which GB18030 contains). */
static const struct charset_alias charset_aliases[] = {
	/* The labels most mail carries first: the table is searched in
	 * order. */
	{"utf-8", "UTF-8"},
	{"us-ascii", NULL},
	{"ascii", NULL},
	{"ansi_x3.4-1968", NULL},
	{"iso-8859-1", NULL},
	{"iso8859-1", NULL},
	{"iso_8859-1", NULL},
	{"iso-8859-1:1987", NULL},
	{"latin1", NULL},
	{"latin-1", NULL},
	{"l1", NULL},
	{"cp819", NULL},
	{"utf8", "UTF-8"},
	{"utf8mb4", "UTF-8"},
	{"unicode-1-1-utf-8", "UTF-8"},
	{"unicode-2-0-utf-8", "UTF-8"},
	{"x-unicode20utf8", "UTF-8"},
	{"cp1252", "WINDOWS-1252"},
	{"x-cp1252", "WINDOWS-1252"},
	{"windows-1252", "WINDOWS-1252"},
	{"ks_c_5601-1987", "CP949"},
	{"ks_c_5601", "CP949"},
	{"ksc5601", "CP949"},
	{"ksc_5601", "CP949"},
	{"csksc56011987", "CP949"},
	{"korean", "CP949"},
	{"euc-kr", "CP949"},
	{"gb2312", "GB18030"},
	{"gbk", "GB18030"},
	{"x-gbk", "GB18030"},
	{"cp936", "GB18030"},
	{"iso-8859-8-i", "ISO-8859-8"},
	{"shift-jis", "SHIFT_JIS"},
	{"x-sjis", "SHIFT_JIS"},
	{"ms_kanji", "CP932"},
	{"windows-31j", "CP932"},
	{"x-mac-roman", "MACINTOSH"},
	{"macintosh", "MACINTOSH"},
	{"tis-620", "TIS-620"},
	{"windows-874", "CP874"},
	{"big5", "BIG5-HKSCS"},
};

/* Labels shorter than this are normalised on the stack, longer ones (no
 * charset name is that long) on the heap. */
#define LABEL_BUFFER 64

/* Writes the label trimmed, unquoted and lower-cased to buffer (size
 * LABEL_BUFFER) and returns it, or returns a heap copy for *owned when it
 * does not fit. */
static char *
label_normalise(const char *label, char *buffer, char **owned)
{
	const char *start = label;
	const char *end = label + strlen(label);
	char *norm;

	/* g_strstrip()'s blanks, then the quotes, then the blanks inside. */
	while (start < end && g_ascii_isspace(*start))
		start++;
	while (end > start && g_ascii_isspace(end[-1]))
		end--;
	if (end - start >= 2 && (*start == '"' || *start == '\'') &&
	    end[-1] == *start) {
		start++;
		end--;
		while (start < end && g_ascii_isspace(*start))
			start++;
		while (end > start && g_ascii_isspace(end[-1]))
			end--;
	}
	if ((gsize)(end - start) < LABEL_BUFFER) {
		norm = buffer;
	} else {
		*owned = g_malloc(end - start + 1);
		norm = *owned;
	}
	for (gsize i = 0; i < (gsize)(end - start); i++)
		norm[i] = g_ascii_tolower(start[i]);
	norm[end - start] = '\0';
	return norm;
}

/* Classifies label; *iconv_name (static or owned by *owned) gets the name
 * to convert from when LABEL_ICONV. */
static enum label_kind
label_classify(const char *label, const char **iconv_name, char **owned)
{
	char buffer[LABEL_BUFFER];
	char *norm;

	*iconv_name = NULL;
	*owned = NULL;
	if (label == NULL)
		return LABEL_WEAK;
	norm = label_normalise(label, buffer, owned);
	if (*norm == '\0') {
		g_clear_pointer(owned, g_free);
		return LABEL_WEAK;
	}
	for (gsize i = 0; i < G_N_ELEMENTS(charset_aliases); i++) {
		if (strcmp(norm, charset_aliases[i].label) != 0)
			continue;
		g_clear_pointer(owned, g_free);
		if (charset_aliases[i].iconv == NULL)
			return LABEL_WEAK;
		if (strcmp(charset_aliases[i].iconv, "UTF-8") == 0)
			return LABEL_UTF8;
		*iconv_name = charset_aliases[i].iconv;
		return LABEL_ICONV;
	}
	/* iconv names are plain ASCII; anything else (a label with '/' would
	 * even select transliteration suffixes) is not a charset. */
	for (const char *p = norm; *p; p++) {
		if (!g_ascii_isalnum(*p) && !strchr("-_.:+", *p)) {
			g_clear_pointer(owned, g_free);
			return LABEL_ICONV; /* unknown: *iconv_name stays NULL
					     */
		}
	}
	if (*owned == NULL)
		*owned = g_strdup(norm);
	*iconv_name = *owned;
	return LABEL_ICONV;
}

/* Appends len bytes converted by cd to out, one U+FFFD per illegal byte and
 * one for a truncated sequence at the end. */
static void
convert_with_iconv(GIConv cd, const char *data, gsize len, GString *out)
{
	char buffer[4096];
	char *in = (char *)data;
	gsize in_left = len;

	while (in_left > 0) {
		char *outp = buffer;
		gsize out_left = sizeof(buffer);
		gsize rc = g_iconv(cd, &in, &in_left, &outp, &out_left);

		g_string_append_len(out, buffer, outp - buffer);
		if (rc != (gsize)-1)
			break;
		if (errno == E2BIG)
			continue;
		g_string_append(out, REPLACEMENT);
		if (errno == EILSEQ) {
			in++;
			in_left--;
			/* Reset the shift state after garbage. */
			g_iconv(cd, NULL, NULL, NULL, NULL);
			continue;
		}
		break; /* EINVAL: incomplete sequence at the end */
	}
	{
		char *outp = buffer;
		gsize out_left = sizeof(buffer);

		/* Flush stateful encodings (ISO-2022-JP back to ASCII). */
		g_iconv(cd, NULL, NULL, &outp, &out_left);
		g_string_append_len(out, buffer, outp - buffer);
	}
}

/* Counts well-formed UTF-8 multi-byte sequences and malformed bytes.  Text
 * with valid sequences and no malformed ones is almost certainly UTF-8,
 * because cp1252 text seldom forms valid sequences by accident. */
static void
count_utf8(const char *data, gsize len, gsize *valid, gsize *invalid)
{
	const char *p = data;
	const char *end;

	*valid = 0;
	*invalid = 0;
	/* An empty part may come as NULL; NULL + 0 is undefined in C. */
	if (data == NULL || len == 0)
		return;
	end = data + len;
	while (p < end) {
		gunichar c;

		if ((guchar)*p < 0x80) {
			guint64 word[2];

			p++;
			/* ASCII (most of it) sixteen bytes at a time. */
			while (end - p >= 16) {
				memcpy(word, p, sizeof(word));
				if ((word[0] | word[1]) & 0x8080808080808080ULL)
					break;
				p += 16;
			}
			continue;
		}
		c = g_utf8_get_char_validated(p, end - p);
		if (c == (gunichar)-1 || c == (gunichar)-2) {
			(*invalid)++;
			p++;
			continue;
		}
		(*valid)++;
		p = g_utf8_next_char(p);
	}
}

/* Appends bytes read as windows-1252 to out. */
static void
convert_cp1252(const char *data, gsize len, GString *out)
{
	GIConv cd = g_iconv_open("UTF-8", "WINDOWS-1252");

	if (cd == (GIConv)-1) {
		/* Never on glibc; Latin-1 is a byte-for-byte subset. */
		for (gsize i = 0; i < len; i++)
			g_string_append_unichar(out, (guchar)data[i]);
		return;
	}
	convert_with_iconv(cd, data, len, out);
	g_iconv_close(cd);
}

/* Appends ASCII as is and one U+FFFD per 8-bit byte. */
static void
convert_unknown(const char *data, gsize len, GString *out)
{
	for (gsize i = 0; i < len; i++) {
		if ((guchar)data[i] < 0x80)
			g_string_append_c(out, data[i]);
		else
			g_string_append(out, REPLACEMENT);
	}
}

/* Rewrites CRLF and lone CR as LF in place. */
static void
normalise_newlines(GString *s)
{
	const char *first = memchr(s->str, '\r', s->len);
	gsize w;

	/* Most text has no CR: nothing to move. */
	if (first == NULL)
		return;
	w = (gsize)(first - s->str);
	for (gsize r = w; r < s->len; r++) {
		if (s->str[r] == '\r') {
			s->str[w++] = '\n';
			if (r + 1 < s->len && s->str[r + 1] == '\n')
				r++;
		} else {
			s->str[w++] = s->str[r];
		}
	}
	g_string_truncate(s, w);
}

/* Returns len bytes of valid UTF-8 without NUL as a new string with CRLF
 * and lone CR rewritten as LF: normalise_newlines() in one copy. */
static char *
copy_with_newlines(const char *data, gsize len)
{
	char *out = g_malloc(len + 1);
	gsize w = 0;
	gsize r = 0;

	while (r < len) {
		const char *cr = memchr(data + r, '\r', len - r);
		gsize n = cr != NULL ? (gsize)(cr - (data + r)) : len - r;

		memcpy(out + w, data + r, n);
		w += n;
		r += n;
		if (cr == NULL)
			break;
		out[w++] = '\n';
		r++;
		if (r < len && data[r] == '\n')
			r++;
	}
	out[w] = '\0';
	return out;
}

char *
charset_to_utf8(const char *data, gsize len, const char *label)
{
	g_autoptr(GString) out = NULL;
	g_autofree char *owned = NULL;
	const char *iconv_name = NULL;
	enum label_kind kind;
	gsize valid = 0;
	gsize invalid = 0;

	if (data == NULL)
		len = 0;
	count_utf8(data, len, &valid, &invalid);
	kind = label_classify(label, &iconv_name, &owned);
	/* Most mail: bytes kept as they are, valid UTF-8 without NUL.  No
	 * conversion and no second validation, only the line ends to
	 * rewrite: when count_utf8() finds no malformed byte in bytes
	 * without NUL, g_utf8_validate() accepts them (checked for every
	 * string of up to four bytes). */
	if (invalid == 0 && (kind == LABEL_WEAK || kind == LABEL_UTF8) &&
	    (len == 0 || memchr(data, '\0', len) == NULL))
		return copy_with_newlines(data, len);
	out = g_string_sized_new(len + 1);
	switch (kind) {
	case LABEL_WEAK:
		/* Mail without a label (or labelled ASCII or Latin-1) that
		 * holds only valid UTF-8 was written in UTF-8. */
		if (invalid == 0)
			g_string_append_len(out, data, len);
		else
			convert_cp1252(data, len, out);
		break;
	case LABEL_UTF8:
		/* Labelled UTF-8 without a single valid multi-byte sequence
		 * but with 8-bit bytes: Latin-1 mislabelled by a script. */
		if (valid == 0 && invalid > 0)
			convert_cp1252(data, len, out);
		else
			g_string_append_len(out, data, len);
		break;
	case LABEL_ICONV: {
		GIConv cd = (GIConv)-1;

		if (iconv_name != NULL)
			cd = g_iconv_open("UTF-8", iconv_name);
		if (cd == (GIConv)-1) {
			/* Unknown charset: keep it if it happens to be
			 * UTF-8, else only the ASCII we can be sure of. */
			if (invalid == 0)
				g_string_append_len(out, data, len);
			else
				convert_unknown(data, len, out);
			break;
		}
		convert_with_iconv(cd, data, len, out);
		g_iconv_close(cd);
		break;
	}
	}
	normalise_newlines(out);
	if (!g_utf8_validate_len(out->str, out->len, NULL))
		/* Also turns embedded NUL bytes into U+FFFD. */
		return g_utf8_make_valid(out->str, out->len);
	return g_string_free(g_steal_pointer(&out), FALSE);
}

/* Whether g_utf8_strdown() lowers 'I' and 'J' like the other ASCII
 * letters in the current locale: not in Turkish ('I' -> dotless i) nor
 * Lithuanian ('J' before an accent keeps a dot). */
static gboolean
ascii_lowers_plainly(void)
{
	g_autofree char *probe = g_utf8_strdown("IJ\xCC\x81", -1);

	return strcmp(probe, "ij\xCC\x81") == 0;
}

/* Writes n bytes of ASCII lowered (A-Z only) to out. */
static void
ascii_lower(char *out, const char *text, gsize n)
{
	for (gsize k = 0; k < n; k++) {
		char a = text[k];

		out[k] = a >= 'A' && a <= 'Z' ? (char)(a + ('a' - 'A')) : a;
	}
}

/* See charset.h.  ASCII and Latin-1 letters are lowered here, and each
 * run of other characters by g_utf8_strdown() together with the
 * character after it, which decides a Greek final sigma (that one is
 * ASCII, lowered to one byte, and dropped again). */
char *
charset_utf8_strdown(const char *text, gssize length)
{
	gsize len = length < 0 ? strlen(text) : (gsize)length;
	GString *out;
	/* The locale probe costs more than lowering an address: asked only
	 * when an 'I', a 'J' or a non-ASCII character comes. */
	int plain = -1;
	gsize i = 0;

	/* ASCII without 'I' and 'J' lowers the same everywhere; an address
	 * is usually nothing else. */
	while (i < len && text[i] != '\0' && (guchar)text[i] < 0x80 &&
	       text[i] != 'I' && text[i] != 'J')
		i++;
	if (i == len || text[i] == '\0') {
		char *lower = g_malloc(i + 1);

		ascii_lower(lower, text, i);
		lower[i] = '\0';
		return lower;
	}
	out = g_string_sized_new(len + 1);
	g_string_set_size(out, i);
	ascii_lower(out->str, text, i);

	while (i < len && text[i] != '\0') {
		guchar c = (guchar)text[i];
		gsize start = i, n;
		gboolean context;
		char *lowered;

		if (plain < 0 && (c >= 0x80 || c == 'I' || c == 'J'))
			plain = ascii_lowers_plainly();
		if (c < 0x80 && (plain > 0 || (c != 'I' && c != 'J'))) {
			/* A run of such ASCII, lowered in one go. */
			gsize old = out->len;

			while (i < len && text[i] != '\0' &&
			       (guchar)text[i] < 0x80 &&
			       (plain > 0 ||
				(text[i] != 'I' && text[i] != 'J')))
				i++;
			g_string_set_size(out, old + (i - start));
			ascii_lower(out->str + old, text + start, i - start);
			continue;
		}
		/* Latin-1 letters ("É", "ü"), which no neighbour changes:
		 * the capitals U+00C0..U+00DE but U+00D7 lower by 0x20. */
		if (plain > 0 && c == 0xC3 && i + 1 < len &&
		    ((guchar)text[i + 1] & 0xC0) == 0x80) {
			guchar d = (guchar)text[i + 1];

			g_string_append_c(out, (char)c);
			g_string_append_c(out, d <= 0x9E && d != 0x97
						       ? (char)(d + 0x20)
						       : (char)d);
			i += 2;
			continue;
		}
		while (i < len && text[i] != '\0' &&
		       ((guchar)text[i] >= 0x80 ||
			(plain == 0 && (text[i] == 'I' || text[i] == 'J'))))
			i++;
		context = i < len && text[i] != '\0';
		lowered = g_utf8_strdown(
			text + start, (gssize)(i - start + (context ? 1 : 0)));
		n = strlen(lowered);
		g_string_append_len(out, lowered,
				    (gssize)(context ? n - 1 : n));
		g_free(lowered);
	}
	return g_string_free(out, FALSE);
}
