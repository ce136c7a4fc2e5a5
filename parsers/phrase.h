/* phrase.h — finding short key phrases in a few lines of a reply.  Pure.
 *
 * The consent parser and the provider-answer parser read the same kind of
 * text: a short answer in en, nl, fr or de to a question we asked
 * ("Ja, wij geven toestemming", "Sorry, no capacity this week").  Both
 * look for phrases from a table of their own; this module does the common
 * work: it folds each line with answer_fold(), cuts it into words, finds
 * the longest table phrase at each word, and turns a phrase into its
 * negated kind when a negation word stands close before it ("not ok",
 * "pas d'accord", "nicht einverstanden").  Which kinds exist and what a
 * set of hits means is the caller's business. */
#ifndef INTAKED_PHRASE_H
#define INTAKED_PHRASE_H

#include <glib.h>

/* Work bounds: text beyond them is not examined. */
#define PHRASE_MAX_BYTES 16384 /* of the input */
#define PHRASE_MAX_LINES 60    /* non-empty lines examined */
#define PHRASE_MAX_WORDS 256   /* words of one line examined */
/* A phrase in a table has at most this many words. */
#define PHRASE_MAX_PHRASE_WORDS 6

/* One entry of a caller's table.  words is written the way answer_fold()
 * leaves text, with apostrophes and other punctuation as spaces: "pas d
 * accord", "keine kapazitat", "we ll take it". */
struct phrase {
	const char *words;
	int kind;
	/* The kind when a negation word stands before it (up to 3 words
	 * back) or, for the languages that put it there, just after it;
	 * -1: a negation does not change it. */
	int negated_kind;
	/* "en", "nl", "fr", "de", or NULL when the phrase is shared
	 * ("ja", "ok"). */
	const char *lang;
};

/* A phrase found in the text. */
struct phrase_hit {
	int kind;
	const char *lang; /* the phrase's, borrowed from the table */
	guint line;	  /* index into phrase_scan's lines */
	gboolean negated;
};

struct phrase_scan {
	/* The examined lines as written, trimmed (char *). */
	GPtrArray *lines;
	/* struct phrase_hit, in text order. */
	GArray *hits;
	/* Lines that hold a question mark (guint line indexes). */
	GArray *question_lines;
	/* Lines with a negation word that negated no phrase (guint line
	 * indexes): "yes, but not the phone number", "ok, niet het
	 * telefoonnummer".  Such a yes is a partial one. */
	GArray *stray_negation_lines;
	gboolean truncated; /* a PHRASE_MAX_* bound cut the work short */
};

/* Scans text line by line.  Lines starting with '>' are quoted text and
 * skipped (callers should pass the fresh text of quote_parse(); this is a
 * second guard).  Never fails; text NULL is empty.  Returns a new scan;
 * free it with phrase_scan_free(). */
struct phrase_scan *phrase_scan(const char *text, const struct phrase *table,
				size_t table_length);

void phrase_scan_free(struct phrase_scan *scan);
typedef struct phrase_scan PhraseScan;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(PhraseScan, phrase_scan_free)

/* The line of the first hit of kind, or -1 when there is none. */
gint64 phrase_scan_first_line(const struct phrase_scan *scan, int kind);

/* The language most hits name ("en", "nl", "fr", "de"); on a tie or when
 * no hit names one, lang_detect() on the examined lines; NULL when that
 * cannot tell either.  A static string. */
const char *phrase_scan_language(const struct phrase_scan *scan);

/* Line index as written, cut at max_chars characters (with "..." added
 * when cut).  Returns a new string. */
char *phrase_scan_excerpt(const struct phrase_scan *scan, guint line,
			  size_t max_chars);

#endif
