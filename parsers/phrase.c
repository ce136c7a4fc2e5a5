/* phrase.c — key phrases in a short reply (see phrase.h).
 *
 * Lines are folded with answer_fold() (lower case, no accents, "ss" for
 * "ß") and cut into words at everything that is not a letter or digit;
 * an apostrophe splits too, so "d'accord" is "d accord" and "don't" is
 * "don t".  Punctuation that ends a clause (, ; : . ! ? and brackets)
 * also bounds a negation: in "ok, not the phone number" the "not" does
 * not negate the "ok". */
#include "phrase.h"

#include "answer.h"
#include "lang.h"

#include <string.h>

/* How far a negation reaches. */
#define NEGATION_BEFORE 3
#define NEGATION_AFTER	3

struct word {
	const char *start;
	guint length;
	gboolean clause_start; /* clause punctuation stands before it */
	int phrase_kind;       /* kind of the phrase it is part of, or -1 */
	gboolean spent;	       /* a negation that negated a phrase */
};

/* Negation words that stand before what they negate, folded. */
static const char *const negations_before[] = {
	/* en; "t" is what is left of "n't" */
	"not",
	"never",
	"t",
	"cannot",
	"neither",
	"nor",
	/* nl */
	"niet",
	"geen",
	"nooit",
	/* fr */
	"ne",
	"n",
	"pas",
	"jamais",
	"aucun",
	"aucune",
	/* de */
	"nicht",
	"kein",
	"keine",
	"keinen",
	"keiner",
	"nie",
	"niemals",
	NULL,
};

/* Negation words that may stand after what they negate: French "nous
 * n'acceptons pas", German "wir übernehmen das nicht". */
static const char *const negations_after[] = {"pas", "nicht", NULL};

static gboolean
word_is(const struct word *word, const char *text)
{
	return word->length == strlen(text) &&
	       memcmp(word->start, text, word->length) == 0;
}

static gboolean
word_in(const struct word *word, const char *const *list)
{
	for (size_t i = 0; list[i] != NULL; i++)
		if (word_is(word, list[i]))
			return TRUE;
	return FALSE;
}

static gboolean
is_word_byte(char c)
{
	return g_ascii_isalnum(c) || (unsigned char)c >= 0x80;
}

static gboolean
is_clause_break(char c)
{
	return strchr(",;:.!?()[]", c) != NULL;
}

/* Cuts folded into words; returns how many (at most max). */
static guint
split_words(const char *folded, struct word *words, guint max,
	    gboolean *truncated)
{
	guint count = 0;
	gboolean clause = TRUE;
	const char *p = folded;

	while (*p != '\0') {
		const char *start;

		if (!is_word_byte(*p)) {
			if (is_clause_break(*p))
				clause = TRUE;
			p++;
			continue;
		}
		if (count >= max) {
			*truncated = TRUE;
			break;
		}
		start = p;
		while (is_word_byte(*p))
			p++;
		words[count].start = start;
		words[count].length = (guint)(p - start);
		words[count].clause_start = clause;
		words[count].phrase_kind = -1;
		words[count].spent = FALSE;
		clause = FALSE;
		count++;
	}
	return count;
}

/* How many words of the phrase match words[at..], or 0. */
static guint
phrase_length_at(const struct word *words, guint count, guint at,
		 const char *phrase)
{
	const char *p = phrase;
	guint matched = 0;

	while (*p != '\0') {
		const char *end = strchr(p, ' ');
		size_t length = end ? (size_t)(end - p) : strlen(p);

		if (at + matched >= count ||
		    words[at + matched].length != length ||
		    memcmp(words[at + matched].start, p, length) != 0)
			return 0;
		/* A phrase does not run across a comma. */
		if (matched > 0 && words[at + matched].clause_start)
			return 0;
		matched++;
		p += length;
		while (*p == ' ')
			p++;
	}
	return matched;
}

/* Whether word can negate a phrase whose negated kind is negated_kind: a
 * negation word of its own, or one inside a phrase that already says what
 * the negation would ("leider nicht" before "übernehmen": both decline).
 * A negation inside "kein Problem" does not turn a following yes. */
static gboolean
can_negate(const struct word *word, int negated_kind,
	   const char *const *negations)
{
	if (word->spent || !word_in(word, negations))
		return FALSE;
	return word->phrase_kind < 0 ||
	       (negated_kind >= 0 && word->phrase_kind == negated_kind);
}

/* Marks a negation word near the phrase at words[at..at+length) as
 * spent; returns whether there was one. */
static gboolean
take_negation(struct word *words, guint count, guint at, guint length,
	      int negated_kind)
{
	for (guint back = 1; back <= NEGATION_BEFORE && back <= at; back++) {
		struct word *word = &words[at - back];

		if (words[at - back + 1].clause_start)
			break;
		if (can_negate(word, negated_kind, negations_before)) {
			word->spent = TRUE;
			return TRUE;
		}
	}
	for (guint ahead = 0; ahead < NEGATION_AFTER; ahead++) {
		guint index = at + length + ahead;

		if (index >= count || words[index].clause_start)
			break;
		if (can_negate(&words[index], negated_kind, negations_after)) {
			words[index].spent = TRUE;
			return TRUE;
		}
	}
	return FALSE;
}

static void
scan_line(struct phrase_scan *scan, guint line, const char *text,
	  const struct phrase *table, size_t table_length)
{
	g_autofree char *folded = answer_fold(text);
	struct word words[PHRASE_MAX_WORDS];
	guint count =
		split_words(folded, words, PHRASE_MAX_WORDS, &scan->truncated);

	if (strchr(text, '?') != NULL)
		g_array_append_val(scan->question_lines, line);
	for (guint at = 0; at < count;) {
		const struct phrase *best = NULL;
		guint best_length = 0;

		for (size_t i = 0; i < table_length; i++) {
			guint length = phrase_length_at(words, count, at,
							table[i].words);

			if (length > best_length) {
				best = &table[i];
				best_length = length;
			}
		}
		if (best == NULL) {
			at++;
			continue;
		}
		for (guint i = 0; i < best_length; i++)
			words[at + i].phrase_kind = best->kind;
		{
			/* A negation next to a phrase that is already
			 * negative ("je n'ai pas d'objection") is spent
			 * without changing it. */
			gboolean negated =
				take_negation(words, count, at, best_length,
					      best->negated_kind) &&
				best->negated_kind >= 0;
			struct phrase_hit hit = {
				.kind = negated ? best->negated_kind
						: best->kind,
				.lang = best->lang,
				.line = line,
				.negated = negated,
			};

			g_array_append_val(scan->hits, hit);
		}
		at += best_length;
	}
	for (guint i = 0; i < count; i++) {
		if (words[i].phrase_kind < 0 && !words[i].spent &&
		    word_in(&words[i], negations_before)) {
			g_array_append_val(scan->stray_negation_lines, line);
			break;
		}
	}
}

struct phrase_scan *
phrase_scan(const char *text, const struct phrase *table, size_t table_length)
{
	struct phrase_scan *scan = g_new0(struct phrase_scan, 1);
	g_autofree char *valid = NULL;
	g_auto(GStrv) lines = NULL;

	scan->lines = g_ptr_array_new_with_free_func(g_free);
	scan->hits = g_array_new(FALSE, FALSE, sizeof(struct phrase_hit));
	scan->question_lines = g_array_new(FALSE, FALSE, sizeof(guint));
	scan->stray_negation_lines = g_array_new(FALSE, FALSE, sizeof(guint));
	if (text == NULL)
		return scan;
	if (strlen(text) > PHRASE_MAX_BYTES) {
		/* Cut on a character boundary; make_valid drops a torn
		 * sequence at the end. */
		valid = g_utf8_make_valid(text, PHRASE_MAX_BYTES);
		scan->truncated = TRUE;
	} else {
		valid = g_utf8_make_valid(text, -1);
	}
	lines = g_strsplit(valid, "\n", -1);
	for (size_t i = 0; lines[i] != NULL; i++) {
		char *line = g_strstrip(lines[i]);

		if (*line == '\0' || *line == '>')
			continue;
		if (scan->lines->len >= PHRASE_MAX_LINES) {
			scan->truncated = TRUE;
			break;
		}
		g_ptr_array_add(scan->lines, g_strdup(line));
		scan_line(scan, scan->lines->len - 1, line, table,
			  table_length);
	}
	return scan;
}

void
phrase_scan_free(struct phrase_scan *scan)
{
	if (scan == NULL)
		return;
	g_ptr_array_unref(scan->lines);
	g_array_unref(scan->hits);
	g_array_unref(scan->question_lines);
	g_array_unref(scan->stray_negation_lines);
	g_free(scan);
}

gint64
phrase_scan_first_line(const struct phrase_scan *scan, int kind)
{
	for (guint i = 0; i < scan->hits->len; i++) {
		const struct phrase_hit *hit =
			&g_array_index(scan->hits, struct phrase_hit, i);

		if (hit->kind == kind)
			return hit->line;
	}
	return -1;
}

const char *
phrase_scan_language(const struct phrase_scan *scan)
{
	static const char *const languages[] = {"en", "nl", "fr", "de"};
	guint votes[G_N_ELEMENTS(languages)] = {0};
	guint best = 0, best_votes = 0;
	gboolean tie = FALSE;
	g_autofree char *joined = NULL;

	for (guint i = 0; i < scan->hits->len; i++) {
		const struct phrase_hit *hit =
			&g_array_index(scan->hits, struct phrase_hit, i);

		for (guint l = 0; hit->lang != NULL && l < 4; l++)
			if (strcmp(hit->lang, languages[l]) == 0)
				votes[l]++;
	}
	for (guint l = 0; l < G_N_ELEMENTS(languages); l++) {
		if (votes[l] > best_votes) {
			best = l;
			best_votes = votes[l];
			tie = FALSE;
		} else if (votes[l] > 0 && votes[l] == best_votes) {
			tie = TRUE;
		}
	}
	if (best_votes > 0 && !tie)
		return languages[best];
	{
		GString *all = g_string_new(NULL);

		for (guint i = 0; i < scan->lines->len; i++)
			g_string_append_printf(
				all, "%s\n",
				(const char *)scan->lines->pdata[i]);
		joined = g_string_free(all, FALSE);
	}
	return lang_detect(joined, NULL, NULL);
}

char *
phrase_scan_excerpt(const struct phrase_scan *scan, guint line,
		    size_t max_chars)
{
	const char *text;
	const char *end;
	GString *out;

	g_return_val_if_fail(line < scan->lines->len, NULL);
	text = scan->lines->pdata[line];
	if ((size_t)g_utf8_strlen(text, -1) <= max_chars)
		return g_strdup(text);
	end = g_utf8_offset_to_pointer(text, (glong)max_chars);
	out = g_string_new_len(text, end - text);
	g_string_append(out, "...");
	return g_string_free(out, FALSE);
}
