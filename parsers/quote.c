/* quote.c — the author's words, quotes, signature, footer, disclaimer and
 * forwards of a mail body.
 *
 * One pass over at most QUOTE_MAX_LINES lines.  Each line gets its quote
 * depth (">", ">>", "> >") and, for matching, a normalised copy of its
 * first QUOTE_MAX_MATCH_BYTES bytes: case-folded, no-break spaces made
 * plain, runs of blanks collapsed, leading '*' dropped (HTML-to-text turns
 * Outlook's bold "From:" into "*From:*" in some converters).  All patterns
 * are fixed strings compared against that copy: no regular expressions, so
 * no backtracking, and the work per line is bounded.
 *
 * Scanning from the top, the first of these ends the author's area:
 * - a forward separator (Gmail "---------- Forwarded message ---------",
 *   Thunderbird "-------- Original Message --------" with blanks inside
 *   the dashes, Apple "Begin forwarded message:", mutt "----- Forwarded
 *   message from ... -----");
 * - an Outlook reply header ("-----Original Message-----" without blanks,
 *   a "From:/Sent:/To:/Subject:" block in any of the four languages, also
 *   after a "____" rule), which Outlook writes identically for forwards:
 *   the subject decides;
 * - an attribution line ("On ... wrote:") that is not followed by
 *   ">"-quoted lines: HTML mail converted to text loses the markers, so
 *   everything below is the quoted message.  Only the strict forms (known
 *   opening word and a digit of the date) cut this way, so "the attacker
 *   wrote:" in a report does not.
 * Above that, ">" lines are quoted and the rest is fresh.  In the last
 * fresh run with content the disclaimer, the signature and mobile footers
 * are found. */
#include "quote.h"

#include <string.h>

/* Lines before a "-- " line searched for the sign-off that starts the
 * signature ("Groeten,\nJan\n-- \nJan Jansen, AZ Voorbeeld"). */
#define SIGNOFF_BEFORE_DASHES 4
/* Non-blank lines a sign-off may be followed by and still be a signature;
 * more, and it was a word in the text ("Thanks!" then the report). */
#define SIGNATURE_MAX_LINES 10
/* The same for weak sign-offs ("Thanks,", "Merci,"), which start many
 * answers too. */
#define SIGNATURE_MAX_LINES_WEAK 3
/* A signature line is short; longer lines are text. */
#define SIGNATURE_MAX_LINE_BYTES 100
/* Attribution lines, one or two joined, are shorter than this. */
#define ATTRIBUTION_MAX_BYTES 300
/* Lines looked at for an Outlook-style header block. */
#define HEADER_BLOCK_MAX_LINES 16
/* Mobile footers are one short line. */
#define FOOTER_MAX_BYTES 80

enum line_role {
	ROLE_FRESH, /* author's text, also blank lines in the author's area */
	ROLE_QUOTED,
	ROLE_SKIP, /* attribution line, reply header */
	ROLE_SIGNATURE,
	ROLE_FOOTER,
	ROLE_DISCLAIMER,
};

struct line {
	const char *start;   /* raw line */
	gsize len;	     /* without the LF (and a CR before it) */
	const char *content; /* after the quote markers */
	gsize content_len;
	guint depth; /* quote markers */
	gboolean blank;
	/* for matching, in the parser's norm chunks; computed on first use */
	const char *norm;
	gsize norm_len;
	enum line_role role;
};

/* Lines most mails fit in, kept on quote_parse()'s stack. */
#define LINES_ON_STACK 64

/* The normalised lines of one parse share a buffer on quote_parse()'s
 * stack, then a few large allocations, instead of one (and a GString)
 * each. */
struct norm_chunk {
	struct norm_chunk *prev;
	char data[];
};
#define NORM_STACK_BYTES 2048
#define NORM_CHUNK_BYTES 8192

struct parser {
	const char *text;   /* the text offsets refer to */
	struct line *lines; /* on the stack, or lines_heap */
	struct line *lines_heap;
	guint n_lines;
	gboolean subject_forward;
	struct quote_result *result;
	char *norm_area; /* where norm_store() writes: the stack or a chunk */
	gsize norm_area_size, norm_area_used;
	struct norm_chunk *norm_chunks; /* allocated ones, newest first */
};

enum separator {
	SEP_NONE,
	SEP_FORWARD,	  /* Gmail, Apple, mutt, Thunderbird forward */
	SEP_REPLY,	  /* Outlook "-----Original Message-----" */
	SEP_REPLY_SPACED, /* "-------- Original Message --------" */
	SEP_FORWARD_END,  /* mutt "----- End forwarded message -----" */
	SEP_RULE,	  /* Outlook's "________________" before a header */
};

enum header_key {
	KEY_NONE,
	KEY_FROM,
	KEY_DATE,
	KEY_SUBJECT,
	KEY_TO,
	KEY_OTHER,
};

struct header_fields {
	char *from;
	char *date;
	char *subject;
	char *to;
	guint keys; /* header lines seen */
	gboolean has_date;
	gboolean has_subject;
};

/* The fixed strings lines are matched against, with their lengths, so a
 * test is a byte compare and a memcmp rather than strlen and strcmp. */
struct word {
	const char *s;
	gsize len;
};
#define WORD(s)                                                                \
	{                                                                      \
		s, sizeof(s) - 1                                               \
	}

/* The same for the long lists of openings the lines of the author's
 * text are tried against.  These lists are sorted by their first byte
 * (and only by it: related phrases stay together), so a line is compared
 * only with the entries that start as it does; see openings_from(). */
struct opening {
	char s[62];
	guint8 len;
};
#define OPENING(s)                                                             \
	{                                                                      \
		s, sizeof(s) - 1                                               \
	}

/* --- small string helpers ------------------------------------------------ */

static gboolean
has_prefix(const char *s, const char *prefix)
{
	/* Called for every line and list entry: the first byte rules out
	 * most without a call. */
	return prefix[0] == '\0' ||
	       (s[0] == prefix[0] && strncmp(s, prefix, strlen(prefix)) == 0);
}

/* s[0..len) starts with o. */
static gboolean
starts_with_opening(const char *s, gsize len, const struct opening *o)
{
	return s[0] == o->s[0] && len >= o->len && memcmp(s, o->s, o->len) == 0;
}

/* s[0..len) ends with suffix (a literal). */
static gboolean
ends_with(const char *s, gsize len, const char *suffix, gsize suffix_len)
{
	return len >= suffix_len &&
	       memcmp(s + len - suffix_len, suffix, suffix_len) == 0;
}
#define ENDS_WITH(s, len, lit) ends_with(s, len, lit, sizeof(lit) - 1)

/* Is s[0..len) one of list (n entries)? */
static gboolean
in_words(const char *s, gsize len, const struct word *list, gsize n)
{
	for (gsize i = 0; i < n; i++)
		if (list[i].len == len && memcmp(s, list[i].s, len) == 0)
			return TRUE;
	return FALSE;
}

/* The first entry of list (n entries, sorted by first byte) that starts
 * with byte c, or where it would be. */
static gsize
openings_from(const struct opening *list, gsize n, char c)
{
	gsize low = 0, high = n;

	while (low < high) {
		gsize mid = low + (high - low) / 2;

		if ((guchar)list[mid].s[0] < (guchar)c)
			low = mid + 1;
		else
			high = mid;
	}
	return low;
}

/* Does s[0..len) start with any of list (n entries, sorted by first
 * byte)? */
static gboolean
starts_with_any(const char *s, gsize len, const struct opening *list, gsize n)
{
	if (len == 0)
		return FALSE;
	for (gsize i = openings_from(list, n, s[0]);
	     i < n && list[i].s[0] == s[0]; i++)
		if (starts_with_opening(s, len, &list[i]))
			return TRUE;
	return FALSE;
}

static gboolean
has_digit(const char *s)
{
	for (; *s != '\0'; s++)
		if (g_ascii_isdigit(*s))
			return TRUE;
	return FALSE;
}

static gboolean
is_blank(const char *s, gsize len)
{
	for (gsize i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' &&
		    s[i] != '\f' && s[i] != '\v')
			return FALSE;
	return TRUE;
}

/* Narrows s[0..len) to its part without leading and trailing ASCII
 * blanks. */
static void
trim_range(const char **s, gsize *len)
{
	while (*len > 0 && g_ascii_isspace(**s)) {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && g_ascii_isspace((*s)[*len - 1]))
		(*len)--;
}

/* A copy of s[0..len) without leading and trailing ASCII blanks. */
static char *
strndup_trimmed(const char *s, gsize len)
{
	trim_range(&s, &len);
	return g_strndup(s, len);
}

/* A NUL-terminated copy of s[0..len) in p's norm chunks, freed with the
 * parser. */
static const char *
norm_store(struct parser *p, const char *s, gsize len)
{
	char *dst;

	if (p->norm_area_size - p->norm_area_used < len + 1) {
		gsize size = MAX(NORM_CHUNK_BYTES, len + 1);
		struct norm_chunk *c = g_malloc(sizeof(*c) + size);

		c->prev = p->norm_chunks;
		p->norm_chunks = c;
		p->norm_area = c->data;
		p->norm_area_size = size;
		p->norm_area_used = 0;
	}
	dst = p->norm_area + p->norm_area_used;
	memcpy(dst, s, len);
	dst[len] = '\0';
	p->norm_area_used += len + 1;
	return dst;
}

/* The case folding of the one character at s (n bytes) for the ranges
 * mail in our four languages mostly uses, exactly as g_utf8_casefold()
 * gives it (checked against it for every character of these ranges);
 * FALSE for the rest, which go to g_utf8_casefold(). */
static gboolean
fold_common(const char *s, gsize n, char *out, gsize *out_len)
{
	guchar a = (guchar)s[0], b = n > 1 ? (guchar)s[1] : 0;

	if (n == 2 && a == 0xC2 && b != 0xB5) {
		/* U+0080..U+00BF have no case, but the micro sign folds to
		 * Greek mu */
		out[0] = (char)a;
		out[1] = (char)b;
		*out_len = 2;
		return TRUE;
	}
	if (n == 2 && a == 0xC3) {
		/* U+00C0..U+00FF: capitals fold to U+00E0..U+00FE, ß to
		 * "ss", × and the small letters stay */
		if (b == 0x9F) {
			out[0] = out[1] = 's';
			*out_len = 2;
			return TRUE;
		}
		out[0] = (char)a;
		out[1] = (char)(b >= 0x80 && b <= 0x9E && b != 0x97 ? b + 0x20
								    : b);
		*out_len = 2;
		return TRUE;
	}
	if (n == 3 && a == 0xE2 && b >= 0x80 && b <= 0x83) {
		/* U+2000..U+20FF: punctuation, spaces, currency; no case */
		memcpy(out, s, 3);
		*out_len = 3;
		return TRUE;
	}
	return FALSE;
}

/* Appends the characters of folded[0..len) (one character of the line,
 * case-folded) to out the way normalise() wants them: blanks as one
 * space, curly apostrophes as '.  out has room for len more bytes:
 * neither replacement is longer than what it replaces. */
static void
append_normalised(char *out, gsize *out_len, const char *folded, gsize len,
		  gboolean *space)
{
	const char *end = folded + len;

	for (const char *q = folded; q < end; q = g_utf8_next_char(q)) {
		gunichar c =
			(guchar)*q < 0x80 ? (guchar)*q : g_utf8_get_char(q);

		if (c == 0x00A0 || c == 0x202F || c == 0x2007 || c == '\t' ||
		    c == '\r' || c == '\f' || c == '\v')
			c = ' ';
		else if (c == 0x2019 || c == 0x2018)
			c = '\'';
		if (c == ' ') {
			if (!*space)
				out[(*out_len)++] = ' ';
			*space = TRUE;
			continue;
		}
		*space = FALSE;
		if (c < 0x80) {
			out[(*out_len)++] = (char)c;
		} else {
			gsize n = (gsize)g_utf8_skip[(guchar)*q];

			memcpy(out + *out_len, q, n);
			*out_len += n;
		}
	}
}

/* Eight bytes of a line that normalise() copies with only A-Z folded:
 * ASCII, no control characters (the blanks other than space are among
 * them), no two spaces in a row, and no space first when space says the
 * byte before was a blank or the line's start.  Sets *folded to them
 * folded and returns TRUE; FALSE sends them through the byte loop.  Bytes are
 * tested eight at a time, each in its own 8 bits: with the top bits clear no
 * addition carries into the next byte.  Little-endian: s[0] is the low byte. */
static gboolean
ascii_block_folded(const char *s, gboolean space, guint64 *folded)
{
	const guint64 ones = G_GUINT64_CONSTANT(0x0101010101010101);
	const guint64 high = ones * 0x80;
	guint64 x, spaces, upper;

	memcpy(&x, s, sizeof(x));
	/* a byte >= 0x80, or one < 0x20 */
	if ((x & high) != 0 || (~(x + ones * (0x80 - 0x20)) & high) != 0)
		return FALSE;
	spaces = ~((x ^ (ones * ' ')) + ones * 0x7F) & high;
	if ((spaces & (spaces << 8)) != 0 || (space && (spaces & 0x80) != 0))
		return FALSE;
	upper = (x + ones * (0x80 - 'A')) & ~(x + ones * (0x80 - 'Z' - 1)) &
		high;
	*folded = x + (upper >> 2); /* 0x80 >> 2 is 'a' - 'A' */
	return TRUE;
}

/* The matching form of a line: see the comment at the top.  Case
 * folding maps each character on its own, so ASCII (A-Z to a-z) and the
 * common Latin-1 and punctuation characters are folded here and only
 * other characters one by one by g_utf8_casefold(), which costs ten
 * times this loop per byte.  Built on the stack and stored once in p's
 * norm chunks: no allocation per line. */
static const char *
normalise(struct parser *p, const char *s, gsize len, gsize *norm_len)
{
	/* Case folding makes a character at most three times as long
	 * (U+0390 is 2 bytes, its folding 6); the buffer grows if Unicode
	 * ever disagrees. */
	char stack[3 * QUOTE_MAX_MATCH_BYTES + 16];
	char *out = stack, *heap = NULL;
	gsize n = 0, cap = sizeof(stack);
	gboolean space = TRUE; /* drops leading blanks */
	const char *norm;

	if (len > QUOTE_MAX_MATCH_BYTES) {
		len = QUOTE_MAX_MATCH_BYTES;
		/* back up to the start of a UTF-8 character */
		while (len > 0 && ((guchar)s[len] & 0xC0) == 0x80)
			len--;
	}
	while (len > 0 && (*s == '*' || *s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	for (gsize i = 0; i < len;) {
		guchar b = (guchar)s[i];
		gsize k;
		char common[8];
		char *folded = NULL;
		const char *f = common;
		gsize f_len;

#if G_BYTE_ORDER == G_LITTLE_ENDIAN
		guint64 block;

		if (len - i >= sizeof(block) &&
		    ascii_block_folded(s + i, space, &block)) {
			memcpy(out + n, &block, sizeof(block));
			n += sizeof(block);
			i += sizeof(block);
			space = (block >> 56) == ' ';
			continue;
		}
#endif
		if (b < 0x80) {
			/* g_ascii_tolower() is a call per byte. */
			char c = b >= 'A' && b <= 'Z' ? (char)(b + ('a' - 'A'))
						      : (char)b;

			if (b == '\0')
				break;
			i++;
			if (c == '\t' || c == '\r' || c == '\f' || c == '\v')
				c = ' ';
			if (c == ' ') {
				out[n] = ' ';
				n += !space;
				space = TRUE;
			} else {
				out[n++] = c;
				space = FALSE;
			}
			continue;
		}
		k = (gsize)g_utf8_skip[b];
		if (!fold_common(s + i, k, common, &f_len)) {
			folded = g_utf8_casefold(s + i, (gssize)k);
			f = folded;
			f_len = strlen(folded);
		}
		/* room for this folding and the rest of the line at one
		 * byte per byte, as the ASCII paths above write unchecked */
		if (f_len + (len - i) + 1 > cap - n) {
			cap = 2 * cap + f_len + len;
			if (heap == NULL) {
				heap = g_malloc(cap);
				memcpy(heap, stack, n);
			} else {
				heap = g_realloc(heap, cap);
			}
			out = heap;
		}
		append_normalised(out, &n, f, f_len, &space);
		g_free(folded);
		i += k;
	}
	while (n > 0 && out[n - 1] == ' ')
		n--;
	norm = norm_store(p, out, n);
	*norm_len = n;
	g_free(heap);
	return norm;
}

static const char *
line_norm(struct parser *p, guint i)
{
	struct line *l = &p->lines[i];

	if (l->norm == NULL)
		l->norm =
			normalise(p, l->content, l->content_len, &l->norm_len);
	return l->norm;
}

/* --- line splitting ------------------------------------------------------ */

/* Quote depth of a line and where its content starts.  Accepts ">",
 * ">>", "> >", up to four blanks before the first marker, and drops one
 * blank after the last marker. */
static void
line_set_depth(struct line *l)
{
	const char *p = l->start, *end = l->start + l->len;
	guint lead = 0;

	l->depth = 0;
	l->content = l->start;
	l->content_len = l->len;
	while (p < end && (*p == ' ' || *p == '\t') && lead < 4) {
		p++;
		lead++;
	}
	if (p >= end || *p != '>')
		return;
	while (p < end) {
		if (*p == '>') {
			if (l->depth < G_MAXUINT16)
				l->depth++;
			p++;
			if (p < end && *p == ' ')
				p++;
			l->content = p;
		} else if (*p == ' ' || *p == '\t') {
			const char *q = p;

			while (q < end && (*q == ' ' || *q == '\t'))
				q++;
			if (q < end && *q == '>')
				p = q;
			else
				break;
		} else {
			break;
		}
	}
	l->content_len = (gsize)(end - l->content);
}

static void
split_lines(struct parser *p, const char *text, gsize len)
{
	const char *s = text, *end = text + len;
	guint n = 0, cap = LINES_ON_STACK;

	/* one pass: p->lines starts as quote_parse()'s stack array and
	 * moves to the heap when a mail has more lines */
	while (s < end && n < QUOTE_MAX_LINES) {
		const char *nl = memchr(s, '\n', (gsize)(end - s));
		const char *e = nl != NULL ? nl : end;
		struct line *l;

		if (n == cap) {
			cap = MIN(4 * cap, QUOTE_MAX_LINES);
			if (p->lines_heap == NULL) {
				p->lines_heap = g_new(struct line, cap);
				memcpy(p->lines_heap, p->lines, n * sizeof(*l));
			} else {
				p->lines_heap = g_renew(struct line,
							p->lines_heap, cap);
			}
			p->lines = p->lines_heap;
		}
		l = &p->lines[n++];
		l->norm = NULL;
		l->norm_len = 0;
		l->start = s;
		l->len = (gsize)(e - s);
		if (l->len > 0 && s[l->len - 1] == '\r')
			l->len--;
		line_set_depth(l);
		l->blank = is_blank(l->content, l->content_len);
		l->role = l->depth > 0 ? ROLE_QUOTED : ROLE_FRESH;
		s = nl != NULL ? nl + 1 : end;
	}
	p->n_lines = n;
	if (s < end)
		p->result->truncated = TRUE;
}

static gsize
line_offset(const struct parser *p, guint i)
{
	return (gsize)(p->lines[i].start - p->text);
}

/* --- recognisers ---------------------------------------------------------- */

/* Subject prefixes of forwards and replies as the four languages' clients
 * write them (case-folded, without the colon). */
static const struct word forward_prefixes[] = {
	WORD("fwd"),	WORD("fw"),    WORD("tr"),   WORD("wg"),
	WORD("doorst"), WORD("trans"), WORD("fwd."),
};
static const struct word reply_prefixes[] = {
	WORD("re"),  WORD("aw"),  WORD("antw"), WORD("antwoord"),
	WORD("réf"), WORD("ref"), WORD("sv"),	WORD("vs"),
};

/* The case-folded form of a subject word s[0..len) (trimmed, at most 12
 * bytes) in buf, and its length; -1 when it is no prefix word (has a
 * blank inside or is not UTF-8).  ASCII is folded here; anything else
 * by g_utf8_casefold(), copied into buf when it fits (a longer folding
 * is no prefix anyway). */
static gssize
fold_subject_word(const char *s, gsize len, char *buf, gsize size)
{
	g_autofree char *word = NULL;
	g_autofree char *folded = NULL;
	gsize n = 0;

	while (n < len && (guchar)s[n] < 0x80) {
		if (s[n] == ' ')
			return -1;
		buf[n] = s[n] >= 'A' && s[n] <= 'Z' ? (char)(s[n] + ('a' - 'A'))
						    : s[n];
		n++;
	}
	if (n == len)
		return (gssize)len;
	word = g_strndup(s, len);
	if (strchr(word, ' ') != NULL || !g_utf8_validate(word, -1, NULL))
		return -1;
	folded = g_utf8_casefold(word, -1);
	n = strlen(folded);
	if (n > size)
		n = size; /* longer than every prefix: matches none */
	memcpy(buf, folded, n);
	return (gssize)n;
}

static gboolean
subject_is_forward(const char *subject)
{
	const char *s = subject;

	if (s == NULL)
		return FALSE;
	for (int token = 0; token < 8; token++) {
		const char *colon, *word;
		gsize word_len;
		char folded[16];
		gssize n;

		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '[') { /* our own "[CERT-2026-0042]" and list tags */
			const char *close = strchr(s, ']');

			if (close == NULL)
				return FALSE;
			s = close + 1;
			continue;
		}
		colon = strchr(s, ':');
		if (colon == NULL || colon - s > 12)
			return FALSE;
		word = s;
		word_len = (gsize)(colon - s);
		trim_range(&word, &word_len);
		n = fold_subject_word(word, word_len, folded, sizeof(folded));
		if (n < 0)
			return FALSE;
		if (in_words(folded, (gsize)n, forward_prefixes,
			     G_N_ELEMENTS(forward_prefixes)))
			return TRUE;
		if (!in_words(folded, (gsize)n, reply_prefixes,
			      G_N_ELEMENTS(reply_prefixes)))
			return FALSE;
		s = colon + 1;
	}
	return FALSE;
}

static const struct word forward_labels[] = {
	WORD("forwarded message"),
	WORD("doorgestuurd bericht"),
	WORD("doorgestuurde bericht"),
	WORD("message transféré"),
	WORD("weitergeleitete nachricht"),
	WORD("begin forwarded message"),
	WORD("début du message réexpédié"),
	WORD("anfang der weitergeleiteten nachricht"),
	WORD("begin doorgestuurd bericht"),
	WORD("message réexpédié"),
};
static const struct word reply_labels[] = {
	WORD("original message"),   WORD("oorspronkelijk bericht"),
	WORD("origineel bericht"),  WORD("message d'origine"),
	WORD("message original"),   WORD("ursprüngliche nachricht"),
	WORD("original-nachricht"), WORD("originalnachricht"),
};

static enum separator
separator_kind(const char *norm, gsize norm_len)
{
	const char *s = norm, *end = norm + norm_len;
	gsize dashes = 0, len;
	gboolean spaced;

	if (norm_len >= 8 && memcmp(s, "________", 8) == 0) {
		while (s < end && *s == '_')
			s++;
		return s == end ? SEP_RULE : SEP_NONE;
	}
	while (s < end && *s == '-') {
		s++;
		dashes++;
	}
	len = (gsize)(end - s);
	/* Apple: "Begin forwarded message:" with no dashes */
	if (dashes == 0) {
		/* a normalised line ends in no blank, but the label is
		 * compared the way it always was: chomped, one colon off,
		 * chomped again */
		while (len > 0 && g_ascii_isspace(s[len - 1]))
			len--;
		if (len > 0 && s[len - 1] == ':')
			len--;
		while (len > 0 && g_ascii_isspace(s[len - 1]))
			len--;
		return len > 0 && in_words(s, len, forward_labels,
					   G_N_ELEMENTS(forward_labels))
			       ? SEP_FORWARD
			       : SEP_NONE;
	}
	if (dashes < 2)
		return SEP_NONE;
	spaced = s < end && *s == ' ';
	while (len > 0 && (s[len - 1] == '-' || s[len - 1] == ' '))
		len--;
	trim_range(&s, &len);
	if (len == 0)
		return SEP_NONE;
	if (in_words(s, len, forward_labels, G_N_ELEMENTS(forward_labels)) ||
	    (len >= 23 && memcmp(s, "forwarded message from ", 23) == 0))
		return SEP_FORWARD;
	if (len == 21 && memcmp(s, "end forwarded message", 21) == 0)
		return SEP_FORWARD_END;
	if (in_words(s, len, reply_labels, G_N_ELEMENTS(reply_labels)))
		return spaced ? SEP_REPLY_SPACED : SEP_REPLY;
	return SEP_NONE;
}

static const struct word from_keys[] = {
	WORD("from"),
	WORD("van"),
	WORD("de"),
	WORD("von"),
};
static const struct word date_keys[] = {
	WORD("date"),	   WORD("sent"),   WORD("datum"),    WORD("verzonden"),
	WORD("verstuurd"), WORD("envoyé"), WORD("gesendet"),
};
static const struct word subject_keys[] = {
	WORD("subject"), WORD("onderwerp"), WORD("objet"),
	WORD("betreff"), WORD("sujet"),
};
static const struct word to_keys[] = {
	WORD("to"), WORD("aan"), WORD("à"), WORD("a"), WORD("an"),
};
static const struct word other_keys[] = {
	WORD("cc"),	      WORD("bcc"),	  WORD("reply-to"),
	WORD("kopie"),	      WORD("importance"), WORD("priority"),
	WORD("priorité"),     WORD("urgentie"),	  WORD("wichtigkeit"),
	WORD("antwoord aan"), WORD("répondre à"), WORD("antwort an"),
	WORD("sender"),
};

/* The header key a normalised line starts with ("von:", "de :"). */
static enum header_key
header_key(const char *norm, gsize norm_len)
{
	/* the first colon, after at most 16 bytes of key */
	const char *colon = memchr(norm, ':', MIN(norm_len, 17));
	gsize len;

	if (colon == NULL || colon == norm)
		return KEY_NONE;
	len = (gsize)(colon - norm);
	while (len > 0 && g_ascii_isspace(norm[len - 1]))
		len--;
	/* "*From:*" loses its star before the colon too */
	if (len > 0 && norm[len - 1] == '*')
		len--;
	if (in_words(norm, len, from_keys, G_N_ELEMENTS(from_keys)))
		return KEY_FROM;
	if (in_words(norm, len, date_keys, G_N_ELEMENTS(date_keys)))
		return KEY_DATE;
	if (in_words(norm, len, subject_keys, G_N_ELEMENTS(subject_keys)))
		return KEY_SUBJECT;
	if (in_words(norm, len, to_keys, G_N_ELEMENTS(to_keys)))
		return KEY_TO;
	if (in_words(norm, len, other_keys, G_N_ELEMENTS(other_keys)))
		return KEY_OTHER;
	return KEY_NONE;
}

static enum header_key
line_header_key(struct parser *p, guint i)
{
	line_norm(p, i);
	return header_key(p->lines[i].norm, p->lines[i].norm_len);
}

static enum separator
line_separator(struct parser *p, guint i)
{
	line_norm(p, i);
	return separator_kind(p->lines[i].norm, p->lines[i].norm_len);
}

/* The value of a header line as written: after the first colon. */
static char *
header_value(const struct line *l)
{
	const char *colon = memchr(l->content, ':', l->content_len);
	const char *s, *end = l->content + l->content_len;

	if (colon == NULL)
		return g_strdup("");
	s = colon + 1;
	while (s < end && (*s == '*' || *s == ' ' || *s == '\t'))
		s++;
	return strndup_trimmed(s, (gsize)(end - s));
}

static void
header_fields_clear(struct header_fields *h)
{
	g_clear_pointer(&h->from, g_free);
	g_clear_pointer(&h->date, g_free);
	g_clear_pointer(&h->subject, g_free);
	g_clear_pointer(&h->to, g_free);
	memset(h, 0, sizeof(*h));
}

/* Reads "Key: value" lines from i (depth 0; single blank lines between
 * them allowed, as HTML conversion leaves them) into h.  Returns the index
 * after the last header line, or i when line i is no header.  With
 * from_first, line i must be a From line. */
static guint
header_block(struct parser *p, guint i, gboolean from_first,
	     struct header_fields *h)
{
	guint j = i, end = i;

	memset(h, 0, sizeof(*h));
	while (j < p->n_lines && j < i + HEADER_BLOCK_MAX_LINES) {
		struct line *l = &p->lines[j];
		enum header_key key;
		char **slot = NULL;

		if (l->depth > 0)
			break;
		if (l->blank) {
			if (j + 1 < p->n_lines && !p->lines[j + 1].blank &&
			    h->keys > 0 && p->lines[j + 1].depth == 0 &&
			    line_header_key(p, j + 1) != KEY_NONE) {
				j++;
				continue;
			}
			break;
		}
		key = line_header_key(p, j);
		if (key == KEY_NONE ||
		    (from_first && j == i && key != KEY_FROM))
			break;
		switch (key) {
		case KEY_FROM:
			slot = &h->from;
			break;
		case KEY_DATE:
			slot = &h->date;
			h->has_date = TRUE;
			break;
		case KEY_SUBJECT:
			slot = &h->subject;
			h->has_subject = TRUE;
			break;
		case KEY_TO:
			slot = &h->to;
			break;
		default:
			break;
		}
		if (slot != NULL && *slot == NULL)
			*slot = header_value(l);
		h->keys++;
		j++;
		end = j;
	}
	return end;
}

/* A From line that starts a block with a date and a subject: Outlook's
 * reply or forward header. */
static guint
outlook_header(struct parser *p, guint i, struct header_fields *h)
{
	guint end = header_block(p, i, TRUE, h);

	if (end > i && h->has_date && h->has_subject)
		return end;
	header_fields_clear(h);
	return i;
}

/* Is s[0..len) ("on ... wrote:", joined from one or two lines;
 * NUL-terminated) an attribution?  *strict: a form safe to cut on
 * without ">" lines below. */
static gboolean
attribution_text(const char *s, gsize len, gboolean *strict)
{
	gboolean strong = FALSE, match = FALSE;

	if (len > ATTRIBUTION_MAX_BYTES || len == 0 || s[len - 1] != ':')
		return FALSE;
	if (ENDS_WITH(s, len, " wrote:") || ENDS_WITH(s, len, " a écrit :") ||
	    ENDS_WITH(s, len, " a écrit:")) {
		match = TRUE;
		strong = has_prefix(s, "on ") || has_prefix(s, "le ");
	} else if (has_prefix(s, "op ") &&
		   (strstr(s, " schreef ") != NULL ||
		    ENDS_WITH(s, len, " het volgende geschreven:"))) {
		match = strong = TRUE;
	} else if (has_prefix(s, "am ") && strstr(s, " schrieb ") != NULL) {
		match = strong = TRUE;
	} else if (strstr(s, " schreef op ") != NULL ||
		   strstr(s, " schrieb am ") != NULL ||
		   strstr(s, " wrote on ") != NULL) {
		match = strong = TRUE;
	} else if (ENDS_WITH(s, len, " schreef:") ||
		   ENDS_WITH(s, len, " schrieb:")) {
		match = TRUE;
	}
	*strict = match && strong && has_digit(s);
	return match;
}

static gboolean
has_attribution_opening(const char *norm)
{
	return has_prefix(norm, "on ") || has_prefix(norm, "op ") ||
	       has_prefix(norm, "le ") || has_prefix(norm, "am ");
}

/* Lines (1 or 2) of an attribution starting at i, or 0. */
static guint
attribution(struct parser *p, guint i, gboolean *strict)
{
	char joined[ATTRIBUTION_MAX_BYTES + 1];
	const struct line *l = &p->lines[i], *next;
	gsize len;

	line_norm(p, i);
	if (attribution_text(l->norm, l->norm_len, strict))
		return 1;
	/* Gmail wraps a long attribution line at 78 columns.  Only a line
	 * opening like one may be joined to the next, so "Hello" above an
	 * attribution stays the author's. */
	if (i + 1 >= p->n_lines || p->lines[i + 1].depth > 0 ||
	    p->lines[i + 1].blank)
		return 0;
	if (!has_attribution_opening(l->norm))
		return 0;
	next = &p->lines[i + 1];
	if (has_attribution_opening(line_norm(p, i + 1)))
		return 0;
	/* the joined text is built only when it can pass the length test */
	len = l->norm_len + 1 + next->norm_len;
	if (len > ATTRIBUTION_MAX_BYTES)
		return 0;
	memcpy(joined, l->norm, l->norm_len);
	joined[l->norm_len] = ' ';
	memcpy(joined + l->norm_len + 1, next->norm, next->norm_len);
	joined[len] = '\0';
	return attribution_text(joined, len, strict) ? 2 : 0;
}

/* Phone and mail clients' one-line footers: a known opening and a word
 * naming a device or app, so "Sent from my desk I saw..." stays text.
 * Sorted by first byte. */
static const struct opening footer_openings[] = {
	OPENING("download outlook voor "),
	OPENING("envoyé de "),
	OPENING("envoyé depuis "),
	OPENING("envoyé à partir de "),
	OPENING("envoyé avec "),
	OPENING("get outlook for "),
	OPENING("gesendet von "),
	OPENING("gesendet mit "),
	OPENING("holen sie sich outlook für "),
	OPENING("obtenir outlook pour "),
	OPENING("outlook für ios"),
	OPENING("outlook für android"),
	OPENING("sent from "),
	OPENING("sent via "),
	OPENING("sent with "),
	OPENING("télécharger outlook pour "),
	OPENING("verstuurd vanaf "),
	OPENING("verzonden vanaf "),
	OPENING("verstuurd met "),
	OPENING("verzonden met "),
	OPENING("von meinem "),
};
static const char *const footer_devices[] = {
	"iphone",     "ipad",	  "android", "samsung",	   "galaxy",
	"outlook",    "mobile",	  "mobiel",  "phone",	   "handy",
	"blackberry", "mail",	  "huawei",  "pixel",	   "tablet",
	"portable",   "telefoon", "gsm",     "smartphone", NULL,
};

static gboolean
is_footer(const char *norm, gsize norm_len)
{
	if (norm_len > FOOTER_MAX_BYTES ||
	    !starts_with_any(norm, norm_len, footer_openings,
			     G_N_ELEMENTS(footer_openings)))
		return FALSE;
	for (gsize i = 0; footer_devices[i] != NULL; i++)
		if (strstr(norm, footer_devices[i]) != NULL)
			return TRUE;
	return FALSE;
}

/* Openings of legal notices in en, nl, fr and de, case-folded (ß folds
 * to ss); sorted by first byte. */
static const struct opening disclaimer_openings[] = {
	OPENING("avis de confidentialité"),
	OPENING("avertissement de confidentialité"),
	OPENING("confidentiality notice"),
	OPENING("confidentiality note"),
	OPENING("ce message et ses pièces jointes"),
	OPENING("ce message et toutes les pièces"),
	OPENING("ce message et les pièces jointes"),
	OPENING("ce courriel et ses pièces jointes"),
	OPENING("ce courriel et les pièces jointes"),
	OPENING("ce message est confidentiel"),
	OPENING("ce courriel est confidentiel"),
	OPENING("ce message électronique et"),
	OPENING("ce message peut contenir des informations confidentielles"),
	OPENING("ce courriel peut contenir des informations confidentielles"),
	OPENING("clause de confidentialité"),
	OPENING("dit bericht is uitsluitend bestemd"),
	OPENING("dit e-mailbericht is uitsluitend"),
	OPENING("dit e-mailbericht is enkel bestemd"),
	OPENING("dit bericht is enkel bestemd"),
	OPENING("deze e-mail is uitsluitend bestemd"),
	OPENING("deze e-mail is enkel bestemd"),
	OPENING("dit bericht kan vertrouwelijke"),
	OPENING("dit e-mailbericht kan vertrouwelijke"),
	OPENING("deze e-mail kan vertrouwelijke"),
	OPENING("de informatie verzonden in dit"),
	OPENING("de informatie in dit bericht"),
	OPENING("de inhoud van dit bericht is"),
	OPENING("dit bericht is vertrouwelijk"),
	OPENING("deze e-mail is vertrouwelijk"),
	OPENING("diese e-mail enthält vertrauliche"),
	OPENING("diese nachricht enthält vertrauliche"),
	OPENING("diese e-mail kann vertrauliche"),
	OPENING("diese nachricht kann vertrauliche"),
	OPENING("diese e-mail ist vertraulich"),
	OPENING("diese nachricht ist vertraulich"),
	OPENING("diese e-mail und alle anhänge"),
	OPENING("diese e-mail einschliesslich"),
	OPENING("haftungsausschluss"),
	OPENING("important notice: this"),
	OPENING("privileged and confidential"),
	OPENING("rechtlicher hinweis"),
	OPENING("this e-mail and any attachment"),
	OPENING("this email and any attachment"),
	OPENING("this message and any attachment"),
	OPENING("this e-mail message and any"),
	OPENING("this email message and any"),
	OPENING("this e-mail is confidential"),
	OPENING("this email is confidential"),
	OPENING("this message is confidential"),
	OPENING("this e-mail may contain confidential"),
	OPENING("this email may contain confidential"),
	OPENING("this message may contain confidential"),
	OPENING("this e-mail (including any attachments)"),
	OPENING("this email (including any attachments)"),
	OPENING("the information contained in this"),
	OPENING("the information in this e-mail"),
	OPENING("the information in this email"),
	OPENING("the information in this message"),
	OPENING("vertrouwelijkheidsclausule"),
	OPENING("vertrouwelijkheidsverklaring"),
	OPENING("vertraulichkeitshinweis"),
};

static gboolean
is_disclaimer(const char *norm, gsize norm_len)
{
	const char *s = norm, *end = norm + norm_len;

	/* "*** DISCLAIMER ***", "==== Disclaimer ====" */
	while (s < end &&
	       (*s == '*' || *s == '=' || *s == '#' || *s == ' ' || *s == '-'))
		s++;
	if (has_prefix(s, "disclaimer")) {
		char c = s[strlen("disclaimer")];

		return c == '\0' || c == ':' || c == ' ' || c == '*' ||
		       c == '=' || c == '-';
	}
	return starts_with_any(s, (gsize)(end - s), disclaimer_openings,
			       G_N_ELEMENTS(disclaimer_openings));
}

/* Sign-offs in en, nl, fr and de, case-folded (ß folded to ss); sorted
 * by first byte.  Weak ones also start ordinary answers ("Thanks! 1. yes
 * 2. no"), so they are held to a shorter tail. */
static const struct opening signoffs_strong[] = {
	OPENING("amicalement"),
	OPENING("best regards"),
	OPENING("best wishes"),
	OPENING("best"),
	OPENING("beste groeten"),
	OPENING("bien cordialement"),
	OPENING("bien à vous"),
	OPENING("bien amicalement"),
	OPENING("bonne journée"),
	OPENING("belle journée"),
	OPENING("beste grüsse"),
	OPENING("cheers"),
	OPENING("cordialement"),
	OPENING("freundliche grüsse"),
	OPENING("groeten"),
	OPENING("groet"),
	OPENING("gruss"),
	OPENING("grüsse"),
	OPENING("hartelijke groet"),
	OPENING("hartelijke groeten"),
	OPENING("hoogachtend"),
	OPENING("herzliche grüsse"),
	OPENING("kind regards"),
	OPENING("kindest regards"),
	OPENING("liebe grüsse"),
	OPENING("lg"),
	OPENING("met vriendelijke groet"),
	OPENING("met vriendelijke groeten"),
	OPENING("met hartelijke groet"),
	OPENING("mvg"),
	OPENING("m.v.g."),
	OPENING("met collegiale groet"),
	OPENING("meilleures salutations"),
	OPENING("mit freundlichen grüssen"),
	OPENING("mit freundlichem gruss"),
	OPENING("mfg"),
	OPENING("regards"),
	OPENING("sincerely"),
	OPENING("salutations"),
	OPENING("sincères salutations"),
	OPENING("salutations distinguées"),
	OPENING("schöne grüsse"),
	OPENING("très cordialement"),
	OPENING("vriendelijke groet"),
	OPENING("vriendelijke groeten"),
	OPENING("viele grüsse"),
	OPENING("vg"),
	OPENING("warm regards"),
	OPENING("with kind regards"),
	OPENING("with best regards"),
	OPENING("yours sincerely"),
	OPENING("yours faithfully"),
	OPENING("yours truly"),
};
static const struct opening signoffs_weak[] = {
	OPENING("alvast bedankt"),
	OPENING("bedankt"),
	OPENING("besten dank"),
	OPENING("dank je"),
	OPENING("dank u"),
	OPENING("dank u wel"),
	OPENING("dank"),
	OPENING("danke"),
	OPENING("danke schön"),
	OPENING("many thanks"),
	OPENING("merci"),
	OPENING("merci d'avance"),
	OPENING("merci beaucoup"),
	OPENING("thanks"),
	OPENING("thank you"),
	OPENING("thanks in advance"),
	OPENING("thx"),
	OPENING("vielen dank"),
};

/* Does raw text after the sign-off look like a name ("Groeten, Jan
 * Jansen"): at most four words, each capitalised? */
static gboolean
looks_like_name(const char *s, gsize len)
{
	g_autofree char *copy = strndup_trimmed(s, len);
	g_auto(GStrv) words = NULL;
	guint n;

	if (copy[0] == '\0' || !g_utf8_validate(copy, -1, NULL))
		return FALSE;
	words = g_strsplit_set(copy, " \t", -1);
	n = 0;
	for (guint i = 0; words[i] != NULL; i++) {
		if (words[i][0] == '\0')
			continue;
		if (++n > 4 || !g_unichar_isupper(g_utf8_get_char(words[i])))
			return FALSE;
	}
	return n > 0;
}

/* 0: no sign-off; 1: weak; 2: strong.  Strong ones are tried first. */
static int
signoff_strength(const struct line *l)
{
	static const struct {
		const struct opening *list;
		gsize n;
	} lists[] = {
		{signoffs_weak, G_N_ELEMENTS(signoffs_weak)},
		{signoffs_strong, G_N_ELEMENTS(signoffs_strong)},
	};
	const char *norm = l->norm, *end = l->norm + l->norm_len;
	int name = -1; /* looks_like_name() of the text after a comma */

	if (l->norm_len == 0)
		return 0;
	for (int strength = 1; strength >= 0; strength--) {
		const struct opening *list = lists[strength].list;

		for (gsize i = openings_from(list, lists[strength].n, norm[0]);
		     i < lists[strength].n && list[i].s[0] == norm[0]; i++) {
			const char *rest;
			const char *comma;

			if (!starts_with_opening(norm, l->norm_len, &list[i]))
				continue;
			rest = norm + list[i].len;
			while (rest < end && (*rest == ',' || *rest == '.' ||
					      *rest == '!' || *rest == ' '))
				rest++;
			if (rest == end)
				return strength + 1;
			/* "Groeten, Jan": a name after a comma or dash; the
			 * same for every sign-off, so looked at once */
			if (name < 0) {
				comma = memchr(l->content, ',', l->content_len);
				if (comma == NULL)
					comma = memchr(l->content, '-',
						       l->content_len);
				name = comma != NULL &&
				       looks_like_name(comma + 1,
						       (gsize)(l->content +
							       l->content_len -
							       comma - 1));
			}
			if (name)
				return strength + 1;
		}
	}
	return 0;
}

/* "1. ja", "2) nee", "- yes": an answer, never a signature line. */
static gboolean
looks_like_item(const char *norm)
{
	const char *s = norm;

	if (has_prefix(s, "- ") || has_prefix(s, "• "))
		return TRUE;
	while (g_ascii_isdigit(*s))
		s++;
	return s != norm && (*s == '.' || *s == ')' || *s == ':');
}

/* --- building the result ------------------------------------------------- */

static struct quote_segment *
segment_new(enum quote_segment_kind kind, guint depth, gsize offset)
{
	struct quote_segment *seg = g_new0(struct quote_segment, 1);

	seg->kind = kind;
	seg->depth = depth;
	seg->offset = offset;
	return seg;
}

static void
segment_free(gpointer data)
{
	struct quote_segment *seg = data;

	g_free(seg->text);
	g_free(seg);
}

static void
forward_free(gpointer data)
{
	struct quote_forward *fwd = data;

	g_free(fwd->from);
	g_free(fwd->date);
	g_free(fwd->subject);
	g_free(fwd->to);
	g_free(fwd->body);
	if (fwd->urls != NULL)
		g_ptr_array_unref(fwd->urls);
	g_free(fwd);
}

/* Is line l blank as join_lines() sees it: its content when strip, else
 * the raw line with its markers? */
static gboolean
joined_line_blank(const struct line *l, gboolean strip)
{
	return strip ? l->blank : is_blank(l->start, l->len);
}

/* Content of the lines in [from, to) with the given role (or every line
 * when role is -1), markers removed when strip, joined by LF and trimmed
 * of blank lines; NULL when empty.  The blank lines are trimmed by line
 * before anything is copied, and the result is allocated once. */
static char *
join_lines(const struct parser *p, guint from, guint to, int role,
	   gboolean strip)
{
	guint first = to, last = to;
	gsize size = 0;
	char *out, *o;

	for (guint i = from; i < to; i++) {
		const struct line *l = &p->lines[i];

		if ((role >= 0 && (int)l->role != role) ||
		    joined_line_blank(l, strip))
			continue;
		if (first == to)
			first = i;
		last = i;
	}
	if (first == to)
		return NULL;
	for (guint i = first; i <= last; i++) {
		const struct line *l = &p->lines[i];

		if (role < 0 || (int)l->role == role)
			size += (strip ? l->content_len : l->len) + 1;
	}
	out = o = g_malloc(size);
	for (guint i = first; i <= last; i++) {
		const struct line *l = &p->lines[i];

		if (role >= 0 && (int)l->role != role)
			continue;
		if (i > first)
			*o++ = '\n';
		if (strip) {
			memcpy(o, l->content, l->content_len);
			o += l->content_len;
		} else {
			memcpy(o, l->start, l->len);
			o += l->len;
		}
	}
	*o = '\0';
	return out;
}

static void
set_quote_offset(struct parser *p, guint i)
{
	if (p->result->quote_offset < 0)
		p->result->quote_offset = (gssize)line_offset(p, i);
}

/* Is line i the start of a forwarded block (for the end of a forward's
 * body: only explicit separators count there)? */
static gboolean
starts_forward(struct parser *p, guint i)
{
	enum separator sep;

	if (p->lines[i].depth > 0 || p->lines[i].blank)
		return FALSE;
	sep = line_separator(p, i);
	return sep == SEP_FORWARD || sep == SEP_REPLY_SPACED;
}

/* Parses forwarded blocks from line i to the end.  header_start: the
 * line where header fields start (i itself for a bare Outlook header
 * block, i + 1 after a separator line). */
static void
parse_forwards(struct parser *p, guint i, guint header_start)
{
	while (i < p->n_lines) {
		struct quote_forward *fwd;
		struct header_fields h;
		guint j = header_start, body_end;
		gboolean ended = FALSE;

		if (p->result->forwards->len >= QUOTE_MAX_FORWARDS) {
			p->result->truncated = TRUE;
			return;
		}
		fwd = g_new0(struct quote_forward, 1);
		fwd->offset = line_offset(p, i);
		/* Apple and Outlook put a blank line or a rule first */
		for (guint skipped = 0; j < p->n_lines && skipped < 3;
		     skipped++) {
			if (!p->lines[j].blank && p->lines[j].depth == 0 &&
			    line_separator(p, j) != SEP_RULE)
				break;
			j++;
		}
		j = header_block(p, j, FALSE, &h);
		fwd->from = h.from;
		fwd->date = h.date;
		fwd->subject = h.subject;
		fwd->to = h.to;
		body_end = j;
		while (body_end < p->n_lines) {
			if (starts_forward(p, body_end))
				break;
			if (p->lines[body_end].depth == 0 &&
			    !p->lines[body_end].blank &&
			    line_separator(p, body_end) == SEP_FORWARD_END) {
				ended = TRUE;
				break;
			}
			body_end++;
		}
		fwd->body = join_lines(p, j, body_end, -1, FALSE);
		if (fwd->body == NULL)
			fwd->body = g_strdup("");
		fwd->urls = quote_extract_urls(fwd->body);
		g_ptr_array_add(p->result->forwards, fwd);
		i = ended ? body_end + 1 : body_end;
		/* after mutt's end marker the author may write on; that text
		 * is not examined further (rare, and never a report) */
		if (ended)
			return;
		header_start = i + 1;
	}
}

/* The quoted message below a reply header, from line from to the end. */
static void
add_cut_quote(struct parser *p, guint from)
{
	char *text = NULL;
	guint first = from;

	while (first < p->n_lines && p->lines[first].blank)
		first++;
	text = join_lines(p, first, p->n_lines, -1, TRUE);
	if (text != NULL) {
		struct quote_segment *seg = segment_new(QUOTE_SEGMENT_QUOTED, 1,
							line_offset(p, first));

		seg->text = text;
		g_ptr_array_add(p->result->segments, seg);
	}
}

/* Scans the author's area; returns the index where it ends.  Sets
 * *cut_body to the first line of an unmarked quoted message, or
 * *forward_start to a forward, when one ends the area (else
 * p->n_lines). */
static guint
scan_author_area(struct parser *p, guint *cut_body, guint *forward_start,
		 guint *forward_headers)
{
	*cut_body = *forward_start = *forward_headers = p->n_lines;
	for (guint i = 0; i < p->n_lines; i++) {
		struct line *l = &p->lines[i];
		struct header_fields h;
		enum separator sep;
		gboolean strict = FALSE;
		guint n, end;

		if (l->depth > 0) {
			set_quote_offset(p, i);
			continue;
		}
		if (l->blank)
			continue;
		line_norm(p, i);
		sep = separator_kind(l->norm, l->norm_len);
		if (sep == SEP_FORWARD || sep == SEP_REPLY_SPACED ||
		    (sep == SEP_REPLY && p->subject_forward)) {
			*forward_start = i;
			*forward_headers = i + 1;
			return i;
		}
		if (sep == SEP_RULE) {
			guint k = i + 1;

			while (k < p->n_lines && k < i + 3 && p->lines[k].blank)
				k++;
			if (k < p->n_lines && p->lines[k].depth == 0 &&
			    (end = outlook_header(p, k, &h)) > k) {
				header_fields_clear(&h);
				if (p->subject_forward) {
					*forward_start = i;
					*forward_headers = k;
				} else {
					set_quote_offset(p, i);
					*cut_body = end;
				}
				return i;
			}
		}
		if (sep == SEP_REPLY) {
			guint k = i + 1;

			set_quote_offset(p, i);
			while (k < p->n_lines && k < i + 3 && p->lines[k].blank)
				k++;
			if (k < p->n_lines && p->lines[k].depth == 0) {
				end = header_block(p, k, FALSE, &h);
				header_fields_clear(&h);
				k = end;
			}
			*cut_body = k;
			return i;
		}
		if (header_key(l->norm, l->norm_len) == KEY_FROM &&
		    (end = outlook_header(p, i, &h)) > i) {
			header_fields_clear(&h);
			if (p->subject_forward) {
				*forward_start = *forward_headers = i;
			} else {
				set_quote_offset(p, i);
				*cut_body = end;
			}
			return i;
		}
		n = attribution(p, i, &strict);
		if (n > 0) {
			guint k = i + n;

			while (k < p->n_lines && p->lines[k].blank &&
			       p->lines[k].depth == 0)
				k++;
			if (k < p->n_lines && p->lines[k].depth > 0) {
				set_quote_offset(p, i);
				for (guint m = i; m < i + n; m++)
					p->lines[m].role = ROLE_SKIP;
				i += n - 1;
				continue;
			}
			if (strict) {
				set_quote_offset(p, i);
				*cut_body = i + n;
				return i;
			}
		}
	}
	return p->n_lines;
}

/* Marks the disclaimer, signature and footers of the author's area. */
static void
find_signature(struct parser *p, guint area_end)
{
	guint run_end = area_end;

	for (guint i = 0; i < area_end; i++)
		if (p->lines[i].role == ROLE_FRESH && !p->lines[i].blank &&
		    is_footer(line_norm(p, i), p->lines[i].norm_len))
			p->lines[i].role = ROLE_FOOTER;

	/* Walk fresh runs from the last; the first with text besides a
	 * disclaimer holds the signature. */
	while (run_end > 0) {
		guint run_start = run_end, sig = G_MAXUINT, tail = 0;
		guint dashes = G_MAXUINT;
		gboolean content = FALSE;

		while (run_start > 0 &&
		       (p->lines[run_start - 1].role == ROLE_FRESH ||
			p->lines[run_start - 1].role == ROLE_FOOTER))
			run_start--;
		for (guint i = run_start; i < run_end; i++) {
			if (p->lines[i].role != ROLE_FRESH || p->lines[i].blank)
				continue;
			if (is_disclaimer(line_norm(p, i),
					  p->lines[i].norm_len)) {
				for (guint k = i; k < run_end; k++)
					if (p->lines[k].role == ROLE_FRESH)
						p->lines[k].role =
							ROLE_DISCLAIMER;
				break;
			}
			content = TRUE;
		}
		if (!content) {
			/* skip the run and what separates it from the one
			 * before */
			while (run_start > 0 &&
			       p->lines[run_start - 1].role != ROLE_FRESH &&
			       p->lines[run_start - 1].role != ROLE_FOOTER)
				run_start--;
			run_end = run_start;
			continue;
		}
		/* "-- " first */
		for (guint i = run_start; i < run_end && sig == G_MAXUINT;
		     i++) {
			const struct line *l = &p->lines[i];
			const char *t = l->content;
			gsize t_len = l->content_len;

			if (l->role != ROLE_FRESH || l->blank)
				continue;
			trim_range(&t, &t_len);
			if (t_len == 2 && t[0] == '-' && t[1] == '-') {
				guint seen = 0;

				sig = dashes = i;
				for (guint k = i; k > run_start &&
						  seen < SIGNOFF_BEFORE_DASHES;
				     k--) {
					if (p->lines[k - 1].blank ||
					    p->lines[k - 1].role != ROLE_FRESH)
						continue;
					seen++;
					line_norm(p, k - 1);
					if (signoff_strength(&p->lines[k - 1]) >
					    0)
						sig = k - 1;
				}
			}
		}
		/* else the last sign-off followed by a short contact block */
		for (guint i = run_end; i > run_start && sig == G_MAXUINT;
		     i--) {
			const struct line *l = &p->lines[i - 1];
			int strength;

			if (l->role != ROLE_FRESH || l->blank)
				continue;
			line_norm(p, i - 1);
			strength = signoff_strength(l);
			if (strength == 1 &&
			    (tail > SIGNATURE_MAX_LINES_WEAK ||
			     (i < run_end && p->lines[i].blank)))
				strength = 0;
			if (strength > 0) {
				sig = i - 1;
				break;
			}
			if (++tail > SIGNATURE_MAX_LINES ||
			    l->content_len > SIGNATURE_MAX_LINE_BYTES ||
			    (l->norm_len > 0 &&
			     l->norm[l->norm_len - 1] == '?') ||
			    looks_like_item(l->norm))
				break;
		}
		if (sig != G_MAXUINT)
			for (guint k = sig; k < run_end; k++)
				if (p->lines[k].role == ROLE_FRESH)
					p->lines[k].role = ROLE_SIGNATURE;
		/* the "-- " line itself is neither text nor signature */
		if (dashes != G_MAXUINT)
			p->lines[dashes].role = ROLE_SKIP;
		return;
	}
}

/* The text of a segment spanning lines [first, last]: the content of
 * its lines joined by LF, the blank lines between them empty.  first and
 * last have content, so no blank lines need trimming. */
static char *
segment_text(const struct parser *p, guint first, guint last)
{
	gsize size = 0;
	char *out, *o;

	for (guint i = first; i <= last; i++)
		size += (p->lines[i].blank ? 0 : p->lines[i].content_len) + 1;
	out = o = g_malloc(size);
	for (guint i = first; i <= last; i++) {
		const struct line *l = &p->lines[i];

		if (i > first)
			*o++ = '\n';
		if (!l->blank) {
			memcpy(o, l->content, l->content_len);
			o += l->content_len;
		}
	}
	*o = '\0';
	return out;
}

/* Fresh and quoted segments of the author's area, in order.  A segment
 * runs from a line with content over blank fresh or quoted lines to the
 * last line of the same kind and depth. */
static void
build_segments(struct parser *p, guint area_end)
{
	struct quote_segment *seg = NULL;
	guint first = 0, last = 0;

	for (guint i = 0; i <= area_end; i++) {
		const struct line *l = i < area_end ? &p->lines[i] : NULL;
		enum quote_segment_kind kind;

		if (l != NULL && l->blank &&
		    (l->role == ROLE_FRESH || l->role == ROLE_QUOTED))
			continue;
		if (l != NULL && l->role != ROLE_FRESH &&
		    l->role != ROLE_QUOTED)
			l = NULL; /* signature, footer, ...: ends a segment */
		kind = l != NULL && l->role == ROLE_QUOTED
			       ? QUOTE_SEGMENT_QUOTED
			       : QUOTE_SEGMENT_FRESH;
		if (seg != NULL && l != NULL && seg->kind == kind &&
		    seg->depth == l->depth) {
			last = i;
			continue;
		}
		if (seg != NULL) {
			seg->text = segment_text(p, first, last);
			g_ptr_array_add(p->result->segments, seg);
			seg = NULL;
		}
		if (l == NULL)
			continue;
		seg = segment_new(kind, l->depth, line_offset(p, i));
		first = last = i;
	}
}

/* Segment texts of one kind joined by sep, in a single allocation;
 * NULL when that is empty. */
static char *
join_segments(const struct parser *p, enum quote_segment_kind kind,
	      const char *sep)
{
	const GPtrArray *segments = p->result->segments;
	gsize sep_len = strlen(sep), size = 1;
	gboolean any = FALSE;
	char *out, *o;

	for (guint i = 0; i < segments->len; i++) {
		const struct quote_segment *seg = segments->pdata[i];

		if (seg->kind == kind) {
			size += strlen(seg->text) + sep_len;
			any = TRUE;
		}
	}
	if (!any)
		return NULL;
	out = o = g_malloc(size);
	for (guint i = 0; i < segments->len; i++) {
		const struct quote_segment *seg = segments->pdata[i];
		gsize n;

		if (seg->kind != kind)
			continue;
		if (o > out) {
			memcpy(o, sep, sep_len);
			o += sep_len;
		}
		n = strlen(seg->text);
		memcpy(o, seg->text, n);
		o += n;
	}
	*o = '\0';
	if (o == out)
		g_clear_pointer(&out, g_free);
	return out;
}

static void
build_result(struct parser *p, guint area_end)
{
	struct quote_result *r = p->result;

	r->fresh = join_segments(p, QUOTE_SEGMENT_FRESH, "\n\n");
	if (r->fresh == NULL)
		r->fresh = g_strdup("");
	r->quoted = join_segments(p, QUOTE_SEGMENT_QUOTED, "\n");
	r->signature = join_lines(p, 0, area_end, ROLE_SIGNATURE, TRUE);
	r->disclaimer = join_lines(p, 0, area_end, ROLE_DISCLAIMER, TRUE);
	for (guint i = 0; i < area_end && r->mobile_footer == NULL; i++)
		if (p->lines[i].role == ROLE_FOOTER)
			r->mobile_footer = strndup_trimmed(
				p->lines[i].content, p->lines[i].content_len);
}

/* g_utf8_validate(text, len) for a text without NUL bytes, 32 or 8
 * ASCII bytes at a time: mail is mostly ASCII, and GLib looks at every
 * byte.  Each other character is handed to GLib on its own, which is the
 * same test because UTF-8 is valid exactly when each character is. */
static gboolean
text_is_utf8(const char *text, gsize len)
{
	const guint64 high = G_GUINT64_CONSTANT(0x8080808080808080);
	gsize i = 0;

	while (i < len) {
		guint64 word, words[4];
		gsize n;

		if (len - i >= sizeof(words)) {
			memcpy(words, text + i, sizeof(words));
			if (((words[0] | words[1] | words[2] | words[3]) &
			     high) == 0) {
				i += sizeof(words);
				continue;
			}
		}
		if (len - i >= sizeof(word)) {
			memcpy(&word, text + i, sizeof(word));
			if ((word & high) == 0) {
				i += sizeof(word);
				continue;
			}
		}
		if ((guchar)text[i] < 0x80) {
			i++;
			continue;
		}
		/* U+0080..U+07FF, the accented Latin letters: a lead byte
		 * C2..DF and one continuation byte are always valid */
		if ((guchar)text[i] >= 0xC2 && (guchar)text[i] <= 0xDF &&
		    len - i >= 2 && ((guchar)text[i + 1] & 0xC0) == 0x80) {
			i += 2;
			continue;
		}
		n = MIN((gsize)g_utf8_skip[(guchar)text[i]], len - i);
		if (!g_utf8_validate(text + i, (gssize)n, NULL))
			return FALSE;
		i += n;
	}
	return TRUE;
}

/* openings_from() finds nothing placed out of order: a phrase added to
 * one of the lists where its first byte does not belong would never
 * match.  Checked once; a broken list is a programming error. */
static void
check_openings_sorted(const struct opening *list, gsize n, const char *name)
{
	for (gsize i = 1; i < n; i++)
		if ((guchar)list[i - 1].s[0] > (guchar)list[i].s[0])
			g_error("quote.c: %s is not sorted by first byte at "
				"\"%s\"",
				name, list[i].s);
}

static gpointer
check_lists(gpointer unused)
{
	check_openings_sorted(footer_openings, G_N_ELEMENTS(footer_openings),
			      "footer_openings");
	check_openings_sorted(disclaimer_openings,
			      G_N_ELEMENTS(disclaimer_openings),
			      "disclaimer_openings");
	check_openings_sorted(signoffs_strong, G_N_ELEMENTS(signoffs_strong),
			      "signoffs_strong");
	check_openings_sorted(signoffs_weak, G_N_ELEMENTS(signoffs_weak),
			      "signoffs_weak");
	return NULL;
}

struct quote_result *
quote_parse(const char *text, const char *subject)
{
	struct parser p = {0};
	char norm_stack[NORM_STACK_BYTES];
	struct line lines_stack[LINES_ON_STACK];
	struct quote_result *r = g_new0(struct quote_result, 1);
	g_autofree char *repaired = NULL;
	gsize len = text != NULL ? strlen(text) : 0;
	guint area_end, cut_body, forward_start, forward_headers;
	static GOnce lists_checked = G_ONCE_INIT;

	g_once(&lists_checked, check_lists, NULL);
	r->segments = g_ptr_array_new_with_free_func(segment_free);
	r->forwards = g_ptr_array_new_with_free_func(forward_free);
	r->quote_offset = -1;
	p.result = r;
	p.lines = lines_stack;
	p.norm_area = norm_stack;
	p.norm_area_size = sizeof(norm_stack);
	if (len > QUOTE_MAX_TEXT_BYTES) {
		len = QUOTE_MAX_TEXT_BYTES;
		r->truncated = TRUE;
	}
	if (text == NULL)
		text = "";
	if (r->truncated || !text_is_utf8(text, len)) {
		/* also cuts a character split at the byte limit */
		repaired = g_utf8_make_valid(text, (gssize)len);
		text = repaired;
		len = strlen(text);
	}
	p.text = text;
	p.subject_forward = subject_is_forward(subject);
	split_lines(&p, text, len);

	area_end = scan_author_area(&p, &cut_body, &forward_start,
				    &forward_headers);
	find_signature(&p, area_end);
	build_segments(&p, area_end);
	if (cut_body < p.n_lines)
		add_cut_quote(&p, cut_body);
	if (forward_start < p.n_lines)
		parse_forwards(&p, forward_start, forward_headers);
	build_result(&p, area_end);

	while (p.norm_chunks != NULL) {
		struct norm_chunk *prev = p.norm_chunks->prev;

		g_free(p.norm_chunks);
		p.norm_chunks = prev;
	}
	g_free(p.lines_heap);
	return r;
}

void
quote_result_free(struct quote_result *result)
{
	if (result == NULL)
		return;
	g_free(result->fresh);
	g_ptr_array_unref(result->segments);
	g_free(result->quoted);
	g_free(result->signature);
	g_free(result->mobile_footer);
	g_free(result->disclaimer);
	g_ptr_array_unref(result->forwards);
	g_free(result);
}

/* --- URLs ------------------------------------------------------------------
 */

/* Scheme spellings, defanged ones included, with what they mean. */
static const struct {
	const char *written;
	const char *scheme;
} url_schemes[] = {
	{"https://", "https://"},   {"http://", "http://"},
	{"hxxps://", "https://"},   {"hxxp://", "http://"},
	{"https[:]//", "https://"}, {"http[:]//", "http://"},
	{"hxxps[:]//", "https://"}, {"hxxp[:]//", "http://"},
	{"https[://]", "https://"}, {"http[://]", "http://"},
	{"hxxps[://]", "https://"}, {"hxxp[://]", "http://"},
	{"h**ps://", "https://"},   {"h**p://", "http://"},
	{"hxxps:\\\\", "https://"}, {"hxxp:\\\\", "http://"},
};

/* Bytes that end a URL in running text. */
static gboolean
url_stop(const char *s)
{
	guchar c = (guchar)*s;

	if (c <= ' ' || c == 0x7F || c == '<' || c == '>' || c == '"' ||
	    c == '`' || c == '\'')
		return TRUE;
	/* U+00A0 no-break space, U+200B zero-width space */
	return (c == 0xC2 && (guchar)s[1] == 0xA0) ||
	       (c == 0xE2 && (guchar)s[1] == 0x80 && (guchar)s[2] == 0x8B);
}

/* Undoes "[.]", "(.)", "{.}", "[dot]" and "[:]" defanging. */
static void
refang(GString *url, const char *s, gsize len)
{
	static const struct {
		const char *from;
		char to;
	} marks[] = {
		{"[.]", '.'},	{"(.)", '.'}, {"{.}", '.'}, {"[dot]", '.'},
		{"(dot)", '.'}, {"[:]", ':'}, {"[/]", '/'},
	};

	for (gsize i = 0; i < len;) {
		gboolean done = FALSE;

		/* every mark opens with a bracket */
		if (s[i] != '[' && s[i] != '(' && s[i] != '{') {
			g_string_append_c(url, s[i++]);
			continue;
		}
		for (gsize m = 0; m < G_N_ELEMENTS(marks) && !done; m++) {
			gsize n = strlen(marks[m].from);

			if (n <= len - i &&
			    g_ascii_strncasecmp(s + i, marks[m].from, n) == 0) {
				g_string_append_c(url, marks[m].to);
				i += n;
				done = TRUE;
			}
		}
		if (!done)
			g_string_append_c(url, s[i++]);
	}
}

/* Trailing punctuation belongs to the sentence, not the URL, unless it
 * closes a bracket the URL opened ("wiki/Foo_(bar)"). */
static void
trim_url(GString *url, gsize scheme_len)
{
	while (url->len > scheme_len) {
		char c = url->str[url->len - 1];
		const char *open = NULL;

		if (c == ')')
			open = "(";
		else if (c == ']')
			open = "[";
		else if (c == '}')
			open = "{";
		if (open != NULL) {
			gsize opens = 0, closes = 0;

			for (gsize i = scheme_len; i < url->len; i++) {
				if (url->str[i] == open[0])
					opens++;
				else if (url->str[i] == c)
					closes++;
			}
			if (opens >= closes)
				return;
		} else if (strchr(".,;:!?*|", c) == NULL) {
			return;
		}
		g_string_truncate(url, url->len - 1);
	}
}

GPtrArray *
quote_extract_urls(const char *text)
{
	GPtrArray *urls = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GHashTable) seen = NULL;
	const char *p = text;

	if (text == NULL)
		return urls;
	seen = g_hash_table_new(g_str_hash, g_str_equal);
	while (*p != '\0' && urls->len < QUOTE_MAX_URLS) {
		const char *start, *end;
		gsize i, written_len = 0;
		GString *url;

		if ((*p != 'h' && *p != 'H') ||
		    (p > text && g_ascii_isalnum(p[-1]))) {
			p++;
			continue;
		}
		for (i = 0; i < G_N_ELEMENTS(url_schemes); i++) {
			written_len = strlen(url_schemes[i].written);
			if (g_ascii_strncasecmp(p, url_schemes[i].written,
						written_len) == 0)
				break;
		}
		if (i == G_N_ELEMENTS(url_schemes)) {
			p++;
			continue;
		}
		start = p + written_len;
		end = start;
		while (*end != '\0' && !url_stop(end) &&
		       (gsize)(end - start) <= QUOTE_MAX_URL_BYTES)
			end++;
		if ((gsize)(end - start) > QUOTE_MAX_URL_BYTES) {
			/* skip the whole overlong run */
			while (*end != '\0' && !url_stop(end))
				end++;
			p = end;
			continue;
		}
		p = end;
		url = g_string_new(url_schemes[i].scheme);
		refang(url, start, (gsize)(end - start));
		trim_url(url, strlen(url_schemes[i].scheme));
		if (url->len == strlen(url_schemes[i].scheme) ||
		    !g_utf8_validate(url->str, (gssize)url->len, NULL) ||
		    g_hash_table_contains(seen, url->str)) {
			g_string_free(url, TRUE);
			continue;
		}
		g_ptr_array_add(urls, url->str);
		g_hash_table_add(seen, url->str);
		g_string_free(url, FALSE);
	}
	return urls;
}
