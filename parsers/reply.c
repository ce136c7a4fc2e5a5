/* reply.c — answers to intaked's questions in a reply mail; see reply.h
 * and docs/parsing.md. */
#include "reply.h"

#include <string.h>

#include "answer.h"

/* A quoted window matches a question when it has this share of the
 * question's words (recall) and the question this share of the window's
 * (precision: a window holding the whole questionnaire matches none). */
#define MATCH_MIN_COVERAGE  0.65
#define MATCH_MIN_PRECISION 0.35
/* Non-blank quoted lines after a question before an answer below it is
 * no longer taken for that question's. */
#define MAX_LINES_AFTER_QUESTION 2
/* Words shorter than this carry no meaning for matching. */
#define MIN_TOKEN_BYTES 3

const char *
reply_method_name(enum reply_method method)
{
	switch (method) {
	case REPLY_INLINE:
		return "inline";
	case REPLY_NUMBERED:
		return "numbered";
	case REPLY_KEY_VALUE:
		return "key_value";
	case REPLY_ABOVE_QUOTE:
		return "above_quote";
	}
	return "unknown";
}

void
reply_answer_free(struct reply_answer *answer)
{
	if (answer == NULL)
		return;
	g_free(answer->raw);
	g_free(answer);
}

/* --- words ---------------------------------------------------------------- */

/* The folded words of text of at least MIN_TOKEN_BYTES, as a set. */
static GHashTable *
token_set(const char *text)
{
	g_autofree char *folded = answer_fold(text);
	GHashTable *set =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	const char *p = folded, *start = NULL;

	for (;; p = g_utf8_next_char(p)) {
		gunichar c = *p != '\0' ? g_utf8_get_char(p) : 0;

		if (c != 0 && g_unichar_isalnum(c)) {
			if (start == NULL)
				start = p;
			continue;
		}
		if (start != NULL && (gsize)(p - start) >= MIN_TOKEN_BYTES)
			g_hash_table_add(set, g_strndup(start, p - start));
		start = NULL;
		if (c == 0)
			break;
	}
	return set;
}

static guint
shared_tokens(GHashTable *a, GHashTable *b)
{
	GHashTableIter iter;
	gpointer key;
	guint n = 0;

	g_hash_table_iter_init(&iter, a);
	while (g_hash_table_iter_next(&iter, &key, NULL))
		if (g_hash_table_contains(b, key))
			n++;
	return n;
}

/* Folded text with every non-alphanumeric character removed: "Back-ups"
 * and "backups" squash alike. */
static char *
squash(const char *text)
{
	g_autofree char *folded = answer_fold(text);
	GString *out = g_string_new(NULL);

	for (const char *p = folded; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);

		if (g_unichar_isalnum(c))
			g_string_append_unichar(out, c);
	}
	return g_string_free(out, FALSE);
}

/* --- questions ------------------------------------------------------------ */

struct question {
	const struct reply_question *asked;
	GPtrArray *variants; /* GHashTable * token sets, one per text */
	GPtrArray *squashed; /* char *, squashed texts and labels */
	GPtrArray *labels;   /* char *, folded labels and the field id */
};

static void
question_clear(struct question *q)
{
	g_ptr_array_unref(q->variants);
	g_ptr_array_unref(q->squashed);
	g_ptr_array_unref(q->labels);
}

/* Text of a question without its answer hint "(ja/nee)", bounded. */
static char *
question_core(const char *text)
{
	gsize length = strnlen(text, REPLY_MAX_QUESTION_BYTES);
	g_autofree char *copy = g_utf8_make_valid(text, length);
	char *open = strrchr(copy, '(');

	if (open != NULL && strlen(open) < 30 && open > copy)
		*open = '\0';
	return g_steal_pointer(&copy);
}

static void
question_add_text(struct question *q, const char *text)
{
	g_autofree char *core = NULL;

	if (text == NULL || *text == '\0')
		return;
	core = question_core(text);
	g_ptr_array_add(q->variants, token_set(core));
	g_ptr_array_add(q->squashed, squash(core));
}

static void
question_init(struct question *q, const struct reply_question *asked)
{
	g_autofree char *id = NULL;

	q->asked = asked;
	q->variants = g_ptr_array_new_with_free_func(
		(GDestroyNotify)g_hash_table_unref);
	q->squashed = g_ptr_array_new_with_free_func(g_free);
	q->labels = g_ptr_array_new_with_free_func(g_free);
	question_add_text(q, asked->text);
	for (size_t i = 0; asked->texts != NULL && asked->texts[i] != NULL; i++)
		question_add_text(q, asked->texts[i]);
	for (size_t i = 0; asked->labels != NULL && asked->labels[i] != NULL;
	     i++) {
		g_ptr_array_add(q->labels, answer_fold(asked->labels[i]));
		g_ptr_array_add(q->squashed, squash(asked->labels[i]));
	}
	id = answer_fold(asked->field);
	g_ptr_array_add(q->labels, g_steal_pointer(&id));
}

/* --- results -------------------------------------------------------------- */

struct parse {
	struct question *questions;
	gsize n;
	struct reply_answer **best; /* per question */
};

static char *
answer_text(const char *text)
{
	gsize length = strnlen(text, REPLY_MAX_ANSWER_BYTES);
	const char *end = text + length;
	char *valid;

	/* Cut on a character boundary. */
	if (length == REPLY_MAX_ANSWER_BYTES)
		while (end > text && ((unsigned char)*end & 0xc0) == 0x80)
			end--;
	valid = g_utf8_make_valid(text, end - text);
	return g_strstrip(valid);
}

static void
offer(struct parse *parse, gsize index, const char *raw,
      enum reply_method method, double confidence)
{
	struct reply_answer *a = parse->best[index];
	g_autofree char *text = answer_text(raw);

	if (*text == '\0')
		return;
	if (a != NULL && a->confidence >= confidence)
		return;
	if (a == NULL) {
		a = g_new0(struct reply_answer, 1);
		parse->best[index] = a;
	}
	a->field = parse->questions[index].asked->field;
	a->number = parse->questions[index].asked->number;
	g_free(a->raw);
	a->raw = g_steal_pointer(&text);
	a->method = method;
	a->confidence = confidence;
}

static gssize
question_by_number(const struct parse *parse, guint number)
{
	for (gsize i = 0; i < parse->n; i++)
		if (number != 0 && parse->questions[i].asked->number == number)
			return (gssize)i;
	return -1;
}

/* --- inline answers ------------------------------------------------------- */

/* Where a question stands in a quoted segment. */
struct question_place {
	gssize question;
	guint first_line, last_line;
	double score;
};

/* Strips "> ", "1. ", "1) ", "- " from the start of a quoted line and
 * returns the number it had, 0 if none. */
static guint
strip_line_number(const char *line, const char **rest)
{
	const char *p = line;
	guint number = 0;

	while (*p == ' ' || *p == '\t' || *p == '>')
		p++;
	if (g_ascii_isdigit(p[0])) {
		const char *q = p;

		while (g_ascii_isdigit(*q) && q - p < 3)
			number = number * 10 + (guint)(*q++ - '0');
		if (*q == '.' || *q == ')' || *q == ':') {
			p = q + 1;
		} else {
			number = 0;
		}
	}
	*rest = p;
	return number;
}

/* Finds the questions in the lines of a quoted segment; *budget counts
 * down the quoted lines compared in all. */
static GArray *
place_questions(const struct parse *parse, char **lines, guint *budget)
{
	GArray *places =
		g_array_new(FALSE, FALSE, sizeof(struct question_place));
	guint n_lines = g_strv_length(lines);
	g_autoptr(GPtrArray) line_tokens = g_ptr_array_new_with_free_func(
		(GDestroyNotify)g_hash_table_unref);
	g_autofree guint *numbers = g_new0(guint, n_lines + 1);

	if (n_lines > *budget)
		n_lines = *budget;
	*budget -= n_lines;
	for (guint i = 0; i < n_lines; i++) {
		const char *rest;

		numbers[i] = strip_line_number(lines[i], &rest);
		g_ptr_array_add(line_tokens, token_set(rest));
	}
	for (gsize q = 0; q < parse->n; q++) {
		struct question_place best = {-1, 0, 0, 0};

		for (guint i = 0; i < n_lines; i++) {
			g_autoptr(GHashTable) window =
				g_hash_table_new(g_str_hash, g_str_equal);

			if (g_hash_table_size(line_tokens->pdata[i]) == 0)
				continue;
			for (guint w = 0;
			     w < REPLY_WINDOW_LINES && i + w < n_lines; w++) {
				GHashTableIter iter;
				gpointer key;

				g_hash_table_iter_init(
					&iter, line_tokens->pdata[i + w]);
				while (g_hash_table_iter_next(&iter, &key,
							      NULL))
					g_hash_table_add(window, key);
				for (guint v = 0;
				     v < parse->questions[q].variants->len;
				     v++) {
					GHashTable *qt =
						parse->questions[q]
							.variants->pdata[v];
					guint shared =
						shared_tokens(qt, window);
					double coverage, precision;

					if (g_hash_table_size(qt) == 0)
						continue;
					coverage = (double)shared /
						   g_hash_table_size(qt);
					precision = (double)shared /
						    g_hash_table_size(window);
					if (coverage < MATCH_MIN_COVERAGE ||
					    precision < MATCH_MIN_PRECISION)
						continue;
					if (coverage + precision > best.score) {
						best.question = (gssize)q;
						best.first_line = i;
						best.last_line = i + w;
						best.score =
							coverage + precision;
					}
				}
			}
		}
		/* Fallback: "3." in front of a line, the number asked. */
		if (best.question < 0) {
			for (guint i = 0; i < n_lines; i++)
				if (numbers[i] != 0 &&
				    numbers[i] ==
					    parse->questions[q].asked->number) {
					best.question = (gssize)q;
					best.first_line = best.last_line = i;
					best.score = 0.5;
				}
		}
		if (best.question >= 0)
			g_array_append_val(places, best);
	}
	return places;
}

static gboolean
blank(const char *line)
{
	const char *p = line;

	while (*p == ' ' || *p == '\t' || *p == '>')
		p++;
	return *p == '\0';
}

/* Whether a line between two quoted questions is still part of the
 * first: the hint "(oui/non)" or the wrapped tail of one ("heure)"). */
static gboolean
is_question_rest(const char *line)
{
	const char *p = line;

	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '(' && strlen(p) < 30)
		return TRUE;
	/* the end of a hint the client wrapped: "(date et" / "heure)" */
	return strchr(p, ')') != NULL && strchr(p, '(') == NULL;
}

/* Outlook users type answers between the questions of the message they
 * reply to, and quote_parse cannot tell those lines from the quote once
 * the "> " markers are gone: text between two matched questions (or
 * after the last, up to a blank line) is taken as an answer. */
static void
parse_gaps(struct parse *parse, char **lines, const GArray *places)
{
	guint n_lines = g_strv_length(lines);

	for (guint k = 0; k < places->len; k++) {
		const struct question_place *p =
			&g_array_index(places, struct question_place, k);
		guint end =
			k + 1 < places->len
				? g_array_index(places, struct question_place,
						k + 1)
					  .first_line
				: n_lines;
		g_autoptr(GString) answer = g_string_new(NULL);

		for (guint i = p->last_line + 1; i < end && i < n_lines; i++) {
			if (blank(lines[i])) {
				if (k + 1 == places->len && answer->len > 0)
					break;
				continue;
			}
			if (answer->len == 0 && is_question_rest(lines[i]))
				continue;
			if (answer->len > 0)
				g_string_append_c(answer, '\n');
			g_string_append(answer, lines[i]);
		}
		/* After the last question: one short answer at most, not the
		 * closing of the quoted mail. */
		if (k + 1 == places->len && strchr(answer->str, '\n') != NULL)
			continue;
		if (answer->len > 0)
			offer(parse, (gsize)p->question, answer->str,
			      REPLY_INLINE, 0.6);
	}
}

static gint
compare_places(gconstpointer a, gconstpointer b)
{
	const struct question_place *x = a, *y = b;

	return x->first_line < y->first_line   ? -1
	       : x->first_line > y->first_line ? 1
					       : 0;
}

/* The questions quoted in the reply, in quote order, for above_quote. */
static GArray *
parse_inline(struct parse *parse, const struct quote_result *quote,
	     gboolean *used_fresh)
{
	guint budget = REPLY_MAX_QUOTED_LINES;
	GArray *order = g_array_new(FALSE, FALSE, sizeof(gssize));

	for (guint s = 0; s < quote->segments->len; s++) {
		const struct quote_segment *seg = quote->segments->pdata[s];
		const struct quote_segment *next =
			s + 1 < quote->segments->len
				? quote->segments->pdata[s + 1]
				: NULL;
		g_auto(GStrv) lines = NULL;
		g_autoptr(GArray) places = NULL;
		const struct question_place *last = NULL;
		guint after = 0;

		if (seg->kind != QUOTE_SEGMENT_QUOTED || budget == 0)
			continue;
		lines = g_strsplit(seg->text, "\n", -1);
		places = place_questions(parse, lines, &budget);
		g_array_sort(places, compare_places);
		for (guint i = 0; i < places->len; i++) {
			const struct question_place *p = &g_array_index(
				places, struct question_place, i);
			gboolean known = FALSE;

			if (last == NULL || p->last_line > last->last_line ||
			    (p->last_line == last->last_line &&
			     p->first_line > last->first_line))
				last = p;
			for (guint o = 0; o < order->len; o++)
				known = known ||
					g_array_index(order, gssize, o) ==
						p->question;
			if (!known)
				g_array_append_val(order, p->question);
		}
		parse_gaps(parse, lines, places);
		if (last == NULL || next == NULL ||
		    next->kind != QUOTE_SEGMENT_FRESH)
			continue;
		for (guint i = last->last_line + 1; lines[i] != NULL; i++)
			if (!blank(lines[i]))
				after++;
		if (after > MAX_LINES_AFTER_QUESTION)
			continue;
		/* One paragraph answers one question; what follows a blank
		 * line is a closing or a name ("Ravi"). */
		{
			g_autofree char *answer = g_strdup(next->text);
			char *paragraph_end = strstr(answer, "\n\n");

			if (paragraph_end != NULL)
				*paragraph_end = '\0';
			offer(parse, (gsize)last->question, answer,
			      REPLY_INLINE, last->score >= 1.0 ? 0.9 : 0.7);
		}
		used_fresh[s + 1] = TRUE;
	}
	/* Sort the quoted questions by the order they were asked in. */
	return order;
}

/* --- numbered and key: value answers in fresh text ------------------------ */

/* "1. Is de zorg verstoord? Ja" -> "Ja". */
static const char *
skip_repeated_question(const struct question *q, const char *answer)
{
	const char *mark = strchr(answer, '?');
	g_autofree char *before = NULL;
	g_autoptr(GHashTable) tokens = NULL;

	if (mark == NULL || mark - answer > REPLY_MAX_QUESTION_BYTES)
		return answer;
	before = g_strndup(answer, mark - answer);
	tokens = token_set(before);
	for (guint v = 0; v < q->variants->len; v++) {
		GHashTable *qt = q->variants->pdata[v];

		if (g_hash_table_size(qt) > 0 &&
		    (double)shared_tokens(qt, tokens) / g_hash_table_size(qt) >=
			    0.5) {
			mark++;
			while (*mark == ' ' || *mark == '\t')
				mark++;
			/* the hint "(ja/nee)" */
			if (*mark == '(' && strchr(mark, ')') != NULL &&
			    strchr(mark, ')') - mark < 30)
				mark = strchr(mark, ')') + 1;
			while (*mark == ' ' || *mark == '\t' || *mark == ':' ||
			       *mark == '-' || *mark == '\n')
				mark++;
			return mark;
		}
	}
	return answer;
}

struct item {
	guint number;
	gsize start, end; /* of the answer text */
};

/* Item markers "N." / "N)" / "N:" at a line start, or after white space
 * when the line has several in increasing order. */
static void
parse_numbered(struct parse *parse, const char *text)
{
	g_autoptr(GArray) items =
		g_array_new(FALSE, FALSE, sizeof(struct item));
	gsize length = strlen(text);
	guint lines = 0;

	for (gsize i = 0; i < length && lines < REPLY_MAX_FRESH_LINES; i++) {
		gboolean line_start = i == 0 || text[i - 1] == '\n';
		gboolean after_space =
			i > 0 && (text[i - 1] == ' ' || text[i - 1] == '\t');
		guint number = 0;
		gsize j = i;

		if (text[i] == '\n')
			lines++;
		if (!line_start && !after_space)
			continue;
		while (line_start && (text[j] == ' ' || text[j] == '\t' ||
				      text[j] == '-' || text[j] == '*'))
			j++;
		if (!g_ascii_isdigit(text[j]))
			continue;
		while (g_ascii_isdigit(text[j]) && number < 100)
			number = number * 10 + (guint)(text[j++] - '0');
		if (number == 0 || number >= 100 ||
		    (text[j] != '.' && text[j] != ')' && text[j] != ':'))
			continue;
		if (text[j + 1] != ' ' && text[j + 1] != '\t')
			continue;
		/* mid-line markers must follow the previous number */
		if (!line_start &&
		    (items->len == 0 ||
		     g_array_index(items, struct item, items->len - 1).number +
				     1 !=
			     number))
			continue;
		if (question_by_number(parse, number) < 0)
			continue;
		{
			struct item it = {number, j + 1, length};

			if (items->len > 0)
				g_array_index(items, struct item,
					      items->len - 1)
					.end = i;
			g_array_append_val(items, it);
		}
		i = j;
	}
	for (guint k = 0; k < items->len; k++) {
		const struct item *it = &g_array_index(items, struct item, k);
		gssize q = question_by_number(parse, it->number);
		g_autofree char *raw =
			g_strndup(text + it->start, it->end - it->start);
		const char *answer;
		char *blank_line;

		/* An item ends at a blank line: what follows is chatter. */
		if ((blank_line = strstr(raw, "\n\n")) != NULL)
			*blank_line = '\0';
		answer = skip_repeated_question(&parse->questions[q], raw);
		offer(parse, (gsize)q, answer, REPLY_NUMBERED,
		      items->len >= 2 ? 0.8 : 0.65);
	}
}

/* Which question a key ("Backups", "Telefoon", "police_report") names,
 * and how sure that is. */
static gssize
question_by_key(const struct parse *parse, const char *key, double *confidence)
{
	g_autofree char *folded = answer_fold(key);
	g_autofree char *squashed = squash(key);
	gsize squashed_length = strlen(squashed);
	gssize found = -1;

	*confidence = 0;
	for (gsize q = 0; q < parse->n; q++) {
		const struct question *question = &parse->questions[q];

		for (guint l = 0; l < question->labels->len; l++) {
			const char *label = question->labels->pdata[l];

			if (strcmp(folded, label) == 0 && *confidence < 0.85) {
				*confidence = 0.85;
				found = (gssize)q;
			} else if (squashed_length >= 3 &&
				   g_str_has_prefix(label, folded) &&
				   *confidence < 0.7) {
				*confidence = 0.7;
				found = (gssize)q;
			}
		}
		for (guint s = 0; s < question->squashed->len; s++)
			if (squashed_length >= 4 &&
			    strstr(question->squashed->pdata[s], squashed) !=
				    NULL &&
			    *confidence < 0.65) {
				*confidence = 0.65;
				found = (gssize)q;
			}
	}
	return found;
}

static void
parse_key_values(struct parse *parse, const char *text)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", REPLY_MAX_FRESH_LINES);

	for (guint i = 0; lines[i] != NULL; i++) {
		char *colon = strchr(lines[i], ':');
		g_autofree char *key = NULL;
		const char *value;
		const char *k;
		double confidence;
		gssize q;

		if (colon == NULL || colon - lines[i] > 80 || colon == lines[i])
			continue;
		/* "https://", "07:30" */
		if (colon[1] == '/' || g_ascii_isdigit(colon[1]))
			continue;
		key = g_strndup(lines[i], colon - lines[i]);
		k = key;
		while (*k == ' ' || *k == '\t' || *k == '-' || *k == '*')
			k++;
		{
			const char *rest;

			strip_line_number(k, &rest);
			k = rest;
		}
		value = colon + 1;
		while (*value == ' ' || *value == '\t')
			value++;
		if (*value == '\0')
			continue;
		q = question_by_key(parse, k, &confidence);
		if (q < 0)
			continue;
		offer(parse, (gsize)q, value, REPLY_KEY_VALUE, confidence);
	}
}

/* --- answers above a quoted questionnaire --------------------------------- */

static gboolean
is_greeting(const char *line)
{
	static const char *const starts[] = {
		"hallo",       "hello",	       "hi",	      "dear",
		"beste",       "geachte",      "goedemorgen", "goedemiddag",
		"goedenavond", "dag",	       "bonjour",     "bonsoir",
		"madame",      "monsieur",     "cher",	      "chere",
		"guten",       "sehr geehrte", "liebe",	      "lieber",
		"moin",	       "servus",       "hey",	      "hoi",
		"salut",       "coucou",       "bonjour",     "morgen",
		NULL,
	};
	g_autofree char *folded = answer_fold(line);
	gsize length = strlen(line);

	for (size_t i = 0; starts[i] != NULL; i++) {
		gsize n = strlen(starts[i]);

		if (strncmp(folded, starts[i], n) == 0 &&
		    !g_ascii_isalpha(folded[n]))
			return TRUE;
	}
	/* "Hierbij de antwoorden:", "Voici nos réponses :" */
	while (length > 0 &&
	       (line[length - 1] == ' ' || line[length - 1] == '\t'))
		length--;
	return length > 0 && line[length - 1] == ':';
}

static void
parse_above_quote(struct parse *parse, const struct quote_result *quote,
		  GArray *order)
{
	const struct quote_segment *first;
	g_auto(GStrv) lines = NULL;
	g_autoptr(GPtrArray) answers = g_ptr_array_new();

	if (quote->segments->len < 2 || order->len < 2)
		return;
	first = quote->segments->pdata[0];
	if (first->kind != QUOTE_SEGMENT_FRESH ||
	    ((const struct quote_segment *)quote->segments->pdata[1])->kind !=
		    QUOTE_SEGMENT_QUOTED)
		return;
	lines = g_strsplit(first->text, "\n", REPLY_MAX_FRESH_LINES);
	for (guint i = 0; lines[i] != NULL; i++) {
		g_strstrip(lines[i]);
		if (*lines[i] == '\0' || is_greeting(lines[i]))
			continue;
		g_ptr_array_add(answers, lines[i]);
	}
	if (answers->len != order->len)
		return;
	for (guint i = 0; i < answers->len; i++)
		offer(parse, (gsize)g_array_index(order, gssize, i),
		      answers->pdata[i], REPLY_ABOVE_QUOTE, 0.5);
}

/* --- entry points --------------------------------------------------------- */

static void
free_answer_cb(gpointer data)
{
	reply_answer_free(data);
}

GPtrArray *
reply_parse(const struct quote_result *quote,
	    const struct reply_question *questions, gsize n_questions)
{
	struct parse parse = {0};
	GPtrArray *answers = g_ptr_array_new_with_free_func(free_answer_cb);
	g_autofree gboolean *used_fresh = NULL;
	g_autoptr(GArray) order = NULL;
	gboolean any;

	if (quote == NULL || questions == NULL || n_questions == 0)
		return answers;
	parse.n = MIN(n_questions, REPLY_MAX_QUESTIONS);
	parse.questions = g_new0(struct question, parse.n);
	parse.best = g_new0(struct reply_answer *, parse.n);
	for (gsize i = 0; i < parse.n; i++)
		question_init(&parse.questions[i], &questions[i]);
	used_fresh = g_new0(gboolean, quote->segments->len + 1);

	order = parse_inline(&parse, quote, used_fresh);
	for (guint s = 0; s < quote->segments->len && s < REPLY_MAX_FRESH_LINES;
	     s++) {
		const struct quote_segment *seg = quote->segments->pdata[s];

		if (seg->kind != QUOTE_SEGMENT_FRESH || used_fresh[s])
			continue;
		parse_numbered(&parse, seg->text);
		parse_key_values(&parse, seg->text);
	}
	any = FALSE;
	for (gsize i = 0; i < parse.n; i++)
		any = any || parse.best[i] != NULL;
	if (!any)
		parse_above_quote(&parse, quote, order);

	/* One answer per field: a field asked twice keeps the surer. */
	for (gsize i = 0; i < parse.n; i++) {
		struct reply_answer *a = parse.best[i];
		gboolean replaced = FALSE;

		if (a == NULL)
			continue;
		for (guint k = 0; k < answers->len && !replaced; k++) {
			struct reply_answer *other = answers->pdata[k];

			if (strcmp(other->field, a->field) != 0)
				continue;
			replaced = TRUE;
			if (a->confidence > other->confidence) {
				answers->pdata[k] = a;
				reply_answer_free(other);
			} else {
				reply_answer_free(a);
			}
		}
		if (!replaced)
			g_ptr_array_add(answers, a);
	}
	for (gsize i = 0; i < parse.n; i++)
		question_clear(&parse.questions[i]);
	g_free(parse.questions);
	g_free(parse.best);
	return answers;
}

const struct reply_answer *
reply_find(const GPtrArray *answers, const char *field_id)
{
	for (guint i = 0; answers != NULL && i < answers->len; i++) {
		const struct reply_answer *a = answers->pdata[i];

		if (strcmp(a->field, field_id) == 0)
			return a;
	}
	return NULL;
}
