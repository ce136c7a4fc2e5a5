/* extract.c — the adapter between the conversation and the report and
 * reply parsers.
 *
 * Until parsers/report.c and parsers/reply.c land, this file reads the two
 * forms a person is most likely to use when answering a numbered list of
 * questions: the answer written under the quoted question, and "N. answer"
 * or "Label: answer" lines in the author's own text (quote_parse()). */
#include "extract.h"

#include <stdlib.h>
#include <string.h>

#include "quote.h"

/* A number before a question or an answer: "3.", "3)", "3:" or "3 -",
 * then white space. */
#define EXTRACT_NUMBER_PATTERN "^\\s*(\\d{1,3})\\s*[.):-]\\s+(.*)$"
/* Lines longer than this are not looked at for a number or a label. */
#define EXTRACT_MAX_LINE_BYTES 1024
/* An answer is cut at this many bytes (validation caps it again). */
#define EXTRACT_MAX_ANSWER_BYTES 4096
/* How sure we are of an answer by where it stood. */
#define CONFIDENCE_INLINE   0.9
#define CONFIDENCE_NUMBERED 0.9
#define CONFIDENCE_LABELLED 0.8

void
extract_field_free(struct extract_field *field)
{
	if (field == NULL)
		return;
	g_free(field->field);
	g_free(field->value);
	g_free(field->excerpt);
	g_free(field);
}

static GPtrArray *
new_fields(void)
{
	return g_ptr_array_new_with_free_func(
		(GDestroyNotify)extract_field_free);
}

static gboolean
has_field(const GPtrArray *fields, const char *id)
{
	for (guint i = 0; i < fields->len; i++)
		if (strcmp(((struct extract_field *)fields->pdata[i])->field,
			   id) == 0)
			return TRUE;
	return FALSE;
}

/* Adds field = value unless the field has a value already or value is
 * blank. */
static void
add_field(GPtrArray *fields, const char *id, const char *value,
	  double confidence, const char *excerpt)
{
	g_autofree char *trimmed = NULL;
	struct extract_field *f;

	if (id == NULL || value == NULL || has_field(fields, id))
		return;
	trimmed = g_strstrip(g_strndup(value, EXTRACT_MAX_ANSWER_BYTES));
	if (trimmed[0] == '\0')
		return;
	f = g_new0(struct extract_field, 1);
	f->field = g_strdup(id);
	f->value = g_steal_pointer(&trimmed);
	f->confidence = confidence;
	f->excerpt = excerpt != NULL ? g_utf8_substring(excerpt, 0, 160) : NULL;
	g_ptr_array_add(fields, f);
}

static const struct store_question *
question_numbered(const GPtrArray *questions, int number)
{
	for (guint i = 0; questions != NULL && i < questions->len; i++) {
		const struct store_question *q = questions->pdata[i];

		if (q->number == number)
			return q;
	}
	return NULL;
}

/* The field whose label, in any language, or id is `key` (compared
 * case-insensitively), or NULL. */
static const struct questionnaire_field *
field_by_label(const struct questionnaire *questionnaire, const char *key)
{
	static const char *const languages[] = {"en", "nl", "fr", "de"};
	g_autofree char *folded = g_utf8_casefold(key, -1);

	for (size_t i = 0; i < questionnaire_field_count(questionnaire); i++) {
		const struct questionnaire_field *f =
			questionnaire_field_at(questionnaire, i);
		g_autofree char *id = g_utf8_casefold(f->id, -1);

		if (strcmp(id, folded) == 0)
			return f;
		for (size_t l = 0; l < G_N_ELEMENTS(languages); l++) {
			g_autofree char *label = g_utf8_casefold(
				questionnaire_field_label(questionnaire, f,
							  languages[l]),
				-1);

			if (strcmp(label, folded) == 0)
				return f;
		}
	}
	return NULL;
}

/* "Label: value" lines of text. */
static void
read_labelled(const struct questionnaire *questionnaire, const char *text,
	      GPtrArray *fields)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);

	for (guint i = 0; lines[i] != NULL; i++) {
		const char *colon;
		g_autofree char *key = NULL;
		const struct questionnaire_field *f;

		if (strlen(lines[i]) > EXTRACT_MAX_LINE_BYTES)
			continue;
		colon = strchr(lines[i], ':');
		if (colon == NULL || colon == lines[i])
			continue;
		key = g_strstrip(g_strndup(lines[i], colon - lines[i]));
		f = field_by_label(questionnaire, key);
		if (f != NULL)
			add_field(fields, f->id, colon + 1, CONFIDENCE_LABELLED,
				  lines[i]);
	}
}

/* "N. answer" lines of fresh text; returns whether any matched. */
static gboolean
read_numbered(GRegex *number, const char *text, const GPtrArray *questions,
	      GPtrArray *fields)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	gboolean any = FALSE;

	for (guint i = 0; lines[i] != NULL; i++) {
		g_autoptr(GMatchInfo) match = NULL;
		g_autofree char *digits = NULL;
		g_autofree char *answer = NULL;
		const struct store_question *q;

		if (strlen(lines[i]) > EXTRACT_MAX_LINE_BYTES ||
		    !g_regex_match(number, lines[i], 0, &match))
			continue;
		digits = g_match_info_fetch(match, 1);
		answer = g_match_info_fetch(match, 2);
		q = question_numbered(questions, atoi(digits));
		if (q == NULL)
			continue;
		add_field(fields, q->field, answer, CONFIDENCE_NUMBERED,
			  lines[i]);
		any = TRUE;
	}
	return any;
}

/* The number of the last asked question that starts a line of a quoted
 * segment, or 0. */
static int
last_quoted_question(GRegex *number, const char *text,
		     const GPtrArray *questions)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	int last = 0;

	for (guint i = 0; lines[i] != NULL; i++) {
		g_autoptr(GMatchInfo) match = NULL;
		g_autofree char *digits = NULL;

		if (strlen(lines[i]) > EXTRACT_MAX_LINE_BYTES ||
		    !g_regex_match(number, lines[i], 0, &match))
			continue;
		digits = g_match_info_fetch(match, 1);
		if (question_numbered(questions, atoi(digits)) != NULL)
			last = atoi(digits);
	}
	return last;
}

GPtrArray *
extract_reply(const struct questionnaire *questionnaire, const char *body,
	      const char *subject, const GPtrArray *questions)
{
	GPtrArray *fields = new_fields();
	g_autoptr(QuoteResult) split = NULL;
	g_autoptr(GRegex) number = NULL;
	int pending = 0;

	if (body == NULL || questionnaire == NULL)
		return fields;
	number = g_regex_new(EXTRACT_NUMBER_PATTERN, G_REGEX_OPTIMIZE, 0, NULL);
	g_assert(number != NULL);
	split = quote_parse(body, subject);
	for (guint i = 0; i < split->segments->len; i++) {
		const struct quote_segment *s = split->segments->pdata[i];

		if (s->kind == QUOTE_SEGMENT_QUOTED) {
			pending = last_quoted_question(number, s->text,
						       questions);
			continue;
		}
		/* Fresh text: numbered answers first, else the answer to
		 * the question quoted just above it. */
		if (!read_numbered(number, s->text, questions, fields) &&
		    pending != 0) {
			const struct store_question *q =
				question_numbered(questions, pending);

			add_field(fields, q->field, s->text, CONFIDENCE_INLINE,
				  s->text);
		}
		read_labelled(questionnaire, s->text, fields);
		pending = 0;
	}
	return fields;
}

GPtrArray *
extract_report(const struct questionnaire *questionnaire,
	       const struct extract_report_input *input)
{
	GPtrArray *fields = new_fields();
	g_autoptr(QuoteResult) split = NULL;

	if (input->body == NULL || questionnaire == NULL)
		return fields;
	split = quote_parse(input->body, input->subject);
	read_labelled(questionnaire, split->fresh, fields);
	if (split->signature != NULL)
		read_labelled(questionnaire, split->signature, fields);
	return fields;
}
