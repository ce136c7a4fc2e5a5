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
	char *norm; /* for matching; computed on first use */
	enum line_role role;
};

struct parser {
	const char *text; /* the text offsets refer to */
	struct line *lines;
	guint n_lines;
	gboolean subject_forward;
	struct quote_result *result;
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

/* --- small string helpers ------------------------------------------------ */

static gboolean
has_prefix(const char *s, const char *prefix)
{
	/* Called for every line and list entry: the first byte rules out
	 * most without a call. */
	return prefix[0] == '\0' ||
	       (s[0] == prefix[0] && strncmp(s, prefix, strlen(prefix)) == 0);
}

static gboolean
has_suffix(const char *s, const char *suffix)
{
	gsize n = strlen(s), m = strlen(suffix);

	return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

static gboolean
in_list(const char *s, const char *const *list)
{
	for (gsize i = 0; list[i] != NULL; i++)
		if (strcmp(s, list[i]) == 0)
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

/* A copy of s[0..len) without leading and trailing ASCII blanks. */
static char *
strndup_trimmed(const char *s, gsize len)
{
	while (len > 0 && g_ascii_isspace(*s)) {
		s++;
		len--;
	}
	while (len > 0 && g_ascii_isspace(s[len - 1]))
		len--;
	return g_strndup(s, len);
}

/* Appends c (one character of the case-folded line) to out the way
 * normalise() wants it: blanks as one space, curly apostrophes as '. */
static void
append_normalised(GString *out, gunichar c, gboolean *space)
{
	if (c == 0x00A0 || c == 0x202F || c == 0x2007 || c == '\t' ||
	    c == '\r' || c == '\f' || c == '\v')
		c = ' ';
	else if (c == 0x2019 || c == 0x2018)
		c = '\'';
	if (c == ' ') {
		if (!*space)
			g_string_append_c(out, ' ');
		*space = TRUE;
		return;
	}
	*space = FALSE;
	if (c < 0x80)
		g_string_append_c(out, (char)c);
	else
		g_string_append_unichar(out, c);
}

/* The matching form of a line: see the comment at the top.  Case
 * folding maps each character on its own, so ASCII (A-Z to a-z) is
 * folded here and only other characters one by one by
 * g_utf8_casefold(), which costs ten times this loop per byte. */
static char *
normalise(const char *s, gsize len)
{
	GString *out;
	gboolean space = TRUE; /* drops leading blanks */

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
	out = g_string_sized_new(len + 1);
	for (gsize i = 0; i < len && s[i] != '\0';) {
		gsize n = (gsize)g_utf8_skip[(guchar)s[i]];
		char *folded;

		if ((guchar)s[i] < 0x80) {
			/* g_ascii_tolower() is a call per byte. */
			char c = s[i] >= 'A' && s[i] <= 'Z'
					 ? (char)(s[i] + ('a' - 'A'))
					 : s[i];

			i++;
			if (c == '\t' || c == '\r' || c == '\f' || c == '\v')
				c = ' ';
			if (c == ' ') {
				if (!space)
					g_string_append_c(out, ' ');
				space = TRUE;
				continue;
			}
			space = FALSE;
			g_string_append_c(out, c);
			continue;
		}
		folded = g_utf8_casefold(s + i, (gssize)n);
		for (const char *p = folded; *p != '\0';
		     p = g_utf8_next_char(p))
			append_normalised(out, g_utf8_get_char(p), &space);
		g_free(folded);
		i += n;
	}
	while (out->len > 0 && out->str[out->len - 1] == ' ')
		g_string_truncate(out, out->len - 1);
	return g_string_free(out, FALSE);
}

static const char *
line_norm(struct parser *p, guint i)
{
	struct line *l = &p->lines[i];

	if (l->norm == NULL)
		l->norm = normalise(l->content, l->content_len);
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
	guint n = 0, cap = 0;

	for (const char *q = s; q < end && cap < QUOTE_MAX_LINES; cap++) {
		const char *nl = memchr(q, '\n', (gsize)(end - q));

		q = nl != NULL ? nl + 1 : end;
	}
	p->lines = g_new0(struct line, cap > 0 ? cap : 1);
	while (s < end && n < cap) {
		const char *nl = memchr(s, '\n', (gsize)(end - s));
		const char *e = nl != NULL ? nl : end;
		struct line *l = &p->lines[n++];

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
static const char *const forward_prefixes[] = {
	"fwd", "fw", "tr", "wg", "doorst", "trans", "fwd.", NULL,
};
static const char *const reply_prefixes[] = {
	"re", "aw", "antw", "antwoord", "réf", "ref", "sv", "vs", NULL,
};

static gboolean
subject_is_forward(const char *subject)
{
	const char *s = subject;

	if (s == NULL)
		return FALSE;
	for (int token = 0; token < 8; token++) {
		const char *colon;
		g_autofree char *word = NULL;
		g_autofree char *folded = NULL;

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
		word = strndup_trimmed(s, (gsize)(colon - s));
		if (strchr(word, ' ') != NULL ||
		    !g_utf8_validate(word, -1, NULL))
			return FALSE;
		folded = g_utf8_casefold(word, -1);
		if (in_list(folded, forward_prefixes))
			return TRUE;
		if (!in_list(folded, reply_prefixes))
			return FALSE;
		s = colon + 1;
	}
	return FALSE;
}

static const char *const forward_labels[] = {
	"forwarded message",
	"doorgestuurd bericht",
	"doorgestuurde bericht",
	"message transféré",
	"weitergeleitete nachricht",
	"begin forwarded message",
	"début du message réexpédié",
	"anfang der weitergeleiteten nachricht",
	"begin doorgestuurd bericht",
	"message réexpédié",
	NULL,
};
static const char *const reply_labels[] = {
	"original message",
	"oorspronkelijk bericht",
	"origineel bericht",
	"message d'origine",
	"message original",
	"ursprüngliche nachricht",
	"original-nachricht",
	"originalnachricht",
	NULL,
};

static enum separator
separator_kind(const char *norm)
{
	const char *s = norm;
	gsize dashes = 0, len;
	gboolean spaced;
	g_autofree char *label = NULL;

	if (has_prefix(s, "________")) {
		while (*s == '_')
			s++;
		return *s == '\0' ? SEP_RULE : SEP_NONE;
	}
	while (*s == '-') {
		s++;
		dashes++;
	}
	len = strlen(s);
	/* Apple: "Begin forwarded message:" with no dashes */
	if (dashes == 0) {
		/* The label starts where s does: most lines start with no
		 * label's first byte and need no copy. */
		gboolean candidate = FALSE;

		for (gsize i = 0; forward_labels[i] != NULL && !candidate; i++)
			candidate = *s != '\0' && forward_labels[i][0] == *s;
		if (!candidate)
			return SEP_NONE;
		label = g_strndup(s, len);
		g_strchomp(label);
		if (has_suffix(label, ":"))
			label[strlen(label) - 1] = '\0';
		g_strchomp(label);
		return in_list(label, forward_labels) ? SEP_FORWARD : SEP_NONE;
	}
	if (dashes < 2)
		return SEP_NONE;
	spaced = *s == ' ';
	while (len > 0 && (s[len - 1] == '-' || s[len - 1] == ' '))
		len--;
	label = strndup_trimmed(s, len);
	if (label[0] == '\0')
		return SEP_NONE;
	if (in_list(label, forward_labels) ||
	    has_prefix(label, "forwarded message from "))
		return SEP_FORWARD;
	if (strcmp(label, "end forwarded message") == 0)
		return SEP_FORWARD_END;
	if (in_list(label, reply_labels))
		return spaced ? SEP_REPLY_SPACED : SEP_REPLY;
	return SEP_NONE;
}

static const char *const from_keys[] = {"from", "van", "de", "von", NULL};
static const char *const date_keys[] = {
	"date",	     "sent",   "datum",	   "verzonden",
	"verstuurd", "envoyé", "gesendet", NULL,
};
static const char *const subject_keys[] = {
	"subject", "onderwerp", "objet", "betreff", "sujet", NULL,
};
static const char *const to_keys[] = {"to", "aan", "à", "a", "an", NULL};
static const char *const other_keys[] = {
	"cc",	      "bcc",	    "reply-to", "kopie",       "importance",
	"priority",   "priorité",   "urgentie", "wichtigkeit", "antwoord aan",
	"répondre à", "antwort an", "sender",	NULL,
};

/* The header key a normalised line starts with ("von:", "de :"). */
static enum header_key
header_key(const char *norm)
{
	const char *colon = strchr(norm, ':');
	g_autofree char *key = NULL;

	if (colon == NULL || colon - norm > 16 || colon == norm)
		return KEY_NONE;
	key = g_strndup(norm, (gsize)(colon - norm));
	g_strchomp(key);
	/* "*From:*" loses its star before the colon too */
	if (has_suffix(key, "*"))
		key[strlen(key) - 1] = '\0';
	if (in_list(key, from_keys))
		return KEY_FROM;
	if (in_list(key, date_keys))
		return KEY_DATE;
	if (in_list(key, subject_keys))
		return KEY_SUBJECT;
	if (in_list(key, to_keys))
		return KEY_TO;
	if (in_list(key, other_keys))
		return KEY_OTHER;
	return KEY_NONE;
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
			    header_key(line_norm(p, j + 1)) != KEY_NONE) {
				j++;
				continue;
			}
			break;
		}
		key = header_key(line_norm(p, j));
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

/* Is s ("on ... wrote:", joined from one or two lines) an attribution?
 * *strict: a form safe to cut on without ">" lines below. */
static gboolean
attribution_text(const char *s, gboolean *strict)
{
	gboolean strong = FALSE, match = FALSE;

	if (strlen(s) > ATTRIBUTION_MAX_BYTES || !has_suffix(s, ":"))
		return FALSE;
	if (has_suffix(s, " wrote:") || has_suffix(s, " a écrit :") ||
	    has_suffix(s, " a écrit:")) {
		match = TRUE;
		strong = has_prefix(s, "on ") || has_prefix(s, "le ");
	} else if (has_prefix(s, "op ") &&
		   (strstr(s, " schreef ") != NULL ||
		    has_suffix(s, " het volgende geschreven:"))) {
		match = strong = TRUE;
	} else if (has_prefix(s, "am ") && strstr(s, " schrieb ") != NULL) {
		match = strong = TRUE;
	} else if (strstr(s, " schreef op ") != NULL ||
		   strstr(s, " schrieb am ") != NULL ||
		   strstr(s, " wrote on ") != NULL) {
		match = strong = TRUE;
	} else if (has_suffix(s, " schreef:") || has_suffix(s, " schrieb:")) {
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
	g_autofree char *joined = NULL;

	if (attribution_text(line_norm(p, i), strict))
		return 1;
	/* Gmail wraps a long attribution line at 78 columns.  Only a line
	 * opening like one may be joined to the next, so "Hello" above an
	 * attribution stays the author's. */
	if (i + 1 >= p->n_lines || p->lines[i + 1].depth > 0 ||
	    p->lines[i + 1].blank)
		return 0;
	if (!has_attribution_opening(line_norm(p, i)))
		return 0;
	if (has_attribution_opening(line_norm(p, i + 1)))
		return 0;
	joined = g_strconcat(line_norm(p, i), " ", line_norm(p, i + 1), NULL);
	return attribution_text(joined, strict) ? 2 : 0;
}

/* Phone and mail clients' one-line footers: a known opening and a word
 * naming a device or app, so "Sent from my desk I saw..." stays text. */
static const char *const footer_openings[] = {
	"sent from ",
	"sent via ",
	"sent with ",
	"get outlook for ",
	"verstuurd vanaf ",
	"verzonden vanaf ",
	"verstuurd met ",
	"verzonden met ",
	"download outlook voor ",
	"envoyé de ",
	"envoyé depuis ",
	"envoyé à partir de ",
	"envoyé avec ",
	"obtenir outlook pour ",
	"télécharger outlook pour ",
	"von meinem ",
	"gesendet von ",
	"gesendet mit ",
	"holen sie sich outlook für ",
	"outlook für ios",
	"outlook für android",
	NULL,
};
static const char *const footer_devices[] = {
	"iphone",     "ipad",	  "android", "samsung",	   "galaxy",
	"outlook",    "mobile",	  "mobiel",  "phone",	   "handy",
	"blackberry", "mail",	  "huawei",  "pixel",	   "tablet",
	"portable",   "telefoon", "gsm",     "smartphone", NULL,
};

static gboolean
is_footer(const char *norm)
{
	gboolean opening = FALSE;

	if (strlen(norm) > FOOTER_MAX_BYTES)
		return FALSE;
	for (gsize i = 0; footer_openings[i] != NULL && !opening; i++)
		opening = has_prefix(norm, footer_openings[i]);
	if (!opening)
		return FALSE;
	for (gsize i = 0; footer_devices[i] != NULL; i++)
		if (strstr(norm, footer_devices[i]) != NULL)
			return TRUE;
	return FALSE;
}

/* Openings of legal notices, case-folded (ß folds to ss). */
static const char *const disclaimer_openings[] = {
	/* en */
	"confidentiality notice",
	"confidentiality note",
	"this e-mail and any attachment",
	"this email and any attachment",
	"this message and any attachment",
	"this e-mail message and any",
	"this email message and any",
	"this e-mail is confidential",
	"this email is confidential",
	"this message is confidential",
	"this e-mail may contain confidential",
	"this email may contain confidential",
	"this message may contain confidential",
	"this e-mail (including any attachments)",
	"this email (including any attachments)",
	"the information contained in this",
	"the information in this e-mail",
	"the information in this email",
	"the information in this message",
	"important notice: this",
	"privileged and confidential",
	/* nl */
	"dit bericht is uitsluitend bestemd",
	"dit e-mailbericht is uitsluitend",
	"dit e-mailbericht is enkel bestemd",
	"dit bericht is enkel bestemd",
	"deze e-mail is uitsluitend bestemd",
	"deze e-mail is enkel bestemd",
	"dit bericht kan vertrouwelijke",
	"dit e-mailbericht kan vertrouwelijke",
	"deze e-mail kan vertrouwelijke",
	"de informatie verzonden in dit",
	"de informatie in dit bericht",
	"de inhoud van dit bericht is",
	"dit bericht is vertrouwelijk",
	"deze e-mail is vertrouwelijk",
	"vertrouwelijkheidsclausule",
	"vertrouwelijkheidsverklaring",
	/* fr */
	"ce message et ses pièces jointes",
	"ce message et toutes les pièces",
	"ce message et les pièces jointes",
	"ce courriel et ses pièces jointes",
	"ce courriel et les pièces jointes",
	"ce message est confidentiel",
	"ce courriel est confidentiel",
	"ce message électronique et",
	"ce message peut contenir des informations confidentielles",
	"ce courriel peut contenir des informations confidentielles",
	"avis de confidentialité",
	"avertissement de confidentialité",
	"clause de confidentialité",
	/* de */
	"diese e-mail enthält vertrauliche",
	"diese nachricht enthält vertrauliche",
	"diese e-mail kann vertrauliche",
	"diese nachricht kann vertrauliche",
	"diese e-mail ist vertraulich",
	"diese nachricht ist vertraulich",
	"diese e-mail und alle anhänge",
	"diese e-mail einschliesslich",
	"vertraulichkeitshinweis",
	"haftungsausschluss",
	"rechtlicher hinweis",
	NULL,
};

static gboolean
is_disclaimer(const char *norm)
{
	const char *s = norm;

	/* "*** DISCLAIMER ***", "==== Disclaimer ====" */
	while (*s == '*' || *s == '=' || *s == '#' || *s == ' ' || *s == '-')
		s++;
	if (has_prefix(s, "disclaimer")) {
		char c = s[strlen("disclaimer")];

		return c == '\0' || c == ':' || c == ' ' || c == '*' ||
		       c == '=' || c == '-';
	}
	for (gsize i = 0; disclaimer_openings[i] != NULL; i++)
		if (has_prefix(s, disclaimer_openings[i]))
			return TRUE;
	return FALSE;
}

/* Sign-offs, case-folded.  Weak ones also start ordinary answers
 * ("Thanks! 1. yes 2. no"), so they are held to a shorter tail. */
static const char *const signoffs_strong[] = {
	/* en */
	"kind regards",
	"best regards",
	"regards",
	"warm regards",
	"kindest regards",
	"with kind regards",
	"with best regards",
	"best wishes",
	"best",
	"cheers",
	"sincerely",
	"yours sincerely",
	"yours faithfully",
	"yours truly",
	/* nl */
	"met vriendelijke groet",
	"met vriendelijke groeten",
	"vriendelijke groet",
	"vriendelijke groeten",
	"met hartelijke groet",
	"hartelijke groet",
	"hartelijke groeten",
	"beste groeten",
	"groeten",
	"groet",
	"mvg",
	"m.v.g.",
	"met collegiale groet",
	"hoogachtend",
	/* fr */
	"cordialement",
	"bien cordialement",
	"très cordialement",
	"bien à vous",
	"salutations",
	"meilleures salutations",
	"sincères salutations",
	"salutations distinguées",
	"amicalement",
	"bien amicalement",
	"bonne journée",
	"belle journée",
	/* de (ß folded to ss) */
	"mit freundlichen grüssen",
	"mit freundlichem gruss",
	"freundliche grüsse",
	"viele grüsse",
	"beste grüsse",
	"herzliche grüsse",
	"liebe grüsse",
	"schöne grüsse",
	"gruss",
	"grüsse",
	"mfg",
	"lg",
	"vg",
	NULL,
};
static const char *const signoffs_weak[] = {
	"thanks",
	"thank you",
	"many thanks",
	"thanks in advance",
	"thx",
	"bedankt",
	"dank je",
	"dank u",
	"dank u wel",
	"alvast bedankt",
	"dank",
	"merci",
	"merci d'avance",
	"merci beaucoup",
	"danke",
	"vielen dank",
	"danke schön",
	"besten dank",
	NULL,
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

/* 0: no sign-off; 1: weak; 2: strong. */
static int
signoff_strength(const struct line *l, const char *norm)
{
	const char *const *lists[] = {signoffs_weak, signoffs_strong};

	for (int strength = 1; strength >= 0; strength--) {
		const char *const *list = lists[strength];

		for (gsize i = 0; list[i] != NULL; i++) {
			const char *rest;
			const char *comma;

			if (!has_prefix(norm, list[i]))
				continue;
			rest = norm + strlen(list[i]);
			while (*rest == ',' || *rest == '.' || *rest == '!' ||
			       *rest == ' ')
				rest++;
			if (*rest == '\0')
				return strength + 1;
			/* "Groeten, Jan": a name after a comma or dash */
			comma = memchr(l->content, ',', l->content_len);
			if (comma == NULL)
				comma = memchr(l->content, '-', l->content_len);
			if (comma != NULL &&
			    looks_like_name(comma + 1, (gsize)(l->content +
							       l->content_len -
							       comma - 1)))
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

/* Drops leading and trailing blank lines of s in place. */
static void
trim_blank_lines(GString *s)
{
	gsize start = 0, end = s->len;

	while (start < end) {
		const char *nl = memchr(s->str + start, '\n', end - start);
		gsize line_end = nl != NULL ? (gsize)(nl - s->str) : end;

		if (!is_blank(s->str + start, line_end - start))
			break;
		start = nl != NULL ? line_end + 1 : end;
	}
	while (end > start) {
		gsize line_start = end;

		while (line_start > start && s->str[line_start - 1] != '\n')
			line_start--;
		if (!is_blank(s->str + line_start, end - line_start))
			break;
		end = line_start > start ? line_start - 1 : start;
	}
	g_string_truncate(s, end);
	g_string_erase(s, 0, (gssize)start);
}

/* Content of the lines in [from, to) with the given role (or every line
 * when role is -1), markers removed when strip, joined by LF and trimmed
 * of blank lines; NULL when empty. */
static char *
join_lines(const struct parser *p, guint from, guint to, int role,
	   gboolean strip)
{
	GString *s = g_string_new(NULL);

	for (guint i = from; i < to; i++) {
		const struct line *l = &p->lines[i];

		if (role >= 0 && (int)l->role != role)
			continue;
		if (strip)
			g_string_append_len(s, l->content,
					    (gssize)l->content_len);
		else
			g_string_append_len(s, l->start, (gssize)l->len);
		g_string_append_c(s, '\n');
	}
	trim_blank_lines(s);
	if (s->len == 0) {
		g_string_free(s, TRUE);
		return NULL;
	}
	return g_string_free(s, FALSE);
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
	sep = separator_kind(line_norm(p, i));
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
			    separator_kind(line_norm(p, j)) != SEP_RULE)
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
			    separator_kind(line_norm(p, body_end)) ==
				    SEP_FORWARD_END) {
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
		const char *norm;
		enum separator sep;
		gboolean strict = FALSE;
		guint n, end;

		if (l->depth > 0) {
			set_quote_offset(p, i);
			continue;
		}
		if (l->blank)
			continue;
		norm = line_norm(p, i);
		sep = separator_kind(norm);
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
		if (header_key(norm) == KEY_FROM &&
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
		    is_footer(line_norm(p, i)))
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
			if (is_disclaimer(line_norm(p, i))) {
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
			g_autofree char *t = NULL;

			if (l->role != ROLE_FRESH || l->blank)
				continue;
			t = strndup_trimmed(l->content, l->content_len);
			if (strcmp(t, "--") == 0) {
				guint seen = 0;

				sig = dashes = i;
				for (guint k = i; k > run_start &&
						  seen < SIGNOFF_BEFORE_DASHES;
				     k--) {
					if (p->lines[k - 1].blank ||
					    p->lines[k - 1].role != ROLE_FRESH)
						continue;
					seen++;
					if (signoff_strength(
						    &p->lines[k - 1],
						    line_norm(p, k - 1)) > 0)
						sig = k - 1;
				}
			}
		}
		/* else the last sign-off followed by a short contact block */
		for (guint i = run_end; i > run_start && sig == G_MAXUINT;
		     i--) {
			const struct line *l = &p->lines[i - 1];
			const char *norm;
			int strength;

			if (l->role != ROLE_FRESH || l->blank)
				continue;
			norm = line_norm(p, i - 1);
			strength = signoff_strength(l, norm);
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
			    has_suffix(norm, "?") || looks_like_item(norm))
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

/* Fresh and quoted segments of the author's area, in order. */
static void
build_segments(struct parser *p, guint area_end)
{
	struct quote_segment *seg = NULL;
	GString *text = NULL;
	guint pending_blanks = 0;

	for (guint i = 0; i <= area_end; i++) {
		const struct line *l = i < area_end ? &p->lines[i] : NULL;
		enum quote_segment_kind kind;
		gboolean same;

		if (l != NULL && l->blank &&
		    (l->role == ROLE_FRESH || l->role == ROLE_QUOTED)) {
			if (seg != NULL)
				pending_blanks++;
			continue;
		}
		if (l != NULL && l->role != ROLE_FRESH &&
		    l->role != ROLE_QUOTED)
			l = NULL; /* signature, footer, ...: ends a segment */
		kind = l != NULL && l->role == ROLE_QUOTED
			       ? QUOTE_SEGMENT_QUOTED
			       : QUOTE_SEGMENT_FRESH;
		same = seg != NULL && l != NULL && seg->kind == kind &&
		       seg->depth == l->depth;
		if (same) {
			for (; pending_blanks > 0; pending_blanks--)
				g_string_append_c(text, '\n');
			g_string_append_c(text, '\n');
			g_string_append_len(text, l->content,
					    (gssize)l->content_len);
			continue;
		}
		if (seg != NULL) {
			trim_blank_lines(text);
			seg->text = g_string_free(text, FALSE);
			g_ptr_array_add(p->result->segments, seg);
			seg = NULL;
		}
		pending_blanks = 0;
		if (l == NULL)
			continue;
		seg = segment_new(kind, l->depth, line_offset(p, i));
		text = g_string_new_len(l->content, (gssize)l->content_len);
	}
}

static void
build_result(struct parser *p, guint area_end)
{
	struct quote_result *r = p->result;
	GString *fresh = g_string_new(NULL);
	GString *quoted = g_string_new(NULL);

	for (guint i = 0; i < r->segments->len; i++) {
		const struct quote_segment *seg = r->segments->pdata[i];
		GString *to = seg->kind == QUOTE_SEGMENT_FRESH ? fresh : quoted;

		if (to->len > 0)
			g_string_append(to, to == fresh ? "\n\n" : "\n");
		g_string_append(to, seg->text);
	}
	r->fresh = g_string_free(fresh, FALSE);
	r->quoted = quoted->len > 0 ? g_string_free(quoted, FALSE) : NULL;
	if (r->quoted == NULL)
		g_string_free(quoted, TRUE);
	r->signature = join_lines(p, 0, area_end, ROLE_SIGNATURE, TRUE);
	r->disclaimer = join_lines(p, 0, area_end, ROLE_DISCLAIMER, TRUE);
	for (guint i = 0; i < area_end && r->mobile_footer == NULL; i++)
		if (p->lines[i].role == ROLE_FOOTER)
			r->mobile_footer = strndup_trimmed(
				p->lines[i].content, p->lines[i].content_len);
}

struct quote_result *
quote_parse(const char *text, const char *subject)
{
	struct parser p = {0};
	struct quote_result *r = g_new0(struct quote_result, 1);
	g_autofree char *repaired = NULL;
	gsize len = text != NULL ? strlen(text) : 0;
	guint area_end, cut_body, forward_start, forward_headers;

	r->segments = g_ptr_array_new_with_free_func(segment_free);
	r->forwards = g_ptr_array_new_with_free_func(forward_free);
	r->quote_offset = -1;
	p.result = r;
	if (len > QUOTE_MAX_TEXT_BYTES) {
		len = QUOTE_MAX_TEXT_BYTES;
		r->truncated = TRUE;
	}
	if (text == NULL)
		text = "";
	if (r->truncated || !g_utf8_validate(text, (gssize)len, NULL)) {
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

	for (guint i = 0; i < p.n_lines; i++)
		g_free(p.lines[i].norm);
	g_free(p.lines);
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
