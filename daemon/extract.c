/* extract.c — the adapter between the conversation and the report and
 * reply parsers (parsers/report.h, parsers/reply.h). */
#include "extract.h"

#include <string.h>

#include "quote.h"
#include "reply.h"
#include "report.h"

/* The languages whose question texts and labels a reply may use to key
 * an answer ("Telefoon: ..." to an English question). */
static const char *const any_language[] = {"en", "nl", "fr", "de"};

/* "vanochtend om 7u" needs a zone.  The countries intaked serves share
 * one (CET/CEST); a case from elsewhere says so in its country field. */
#define EXTRACT_DEFAULT_TIMEZONE "Europe/Brussels"

static const struct {
	const char *country, *timezone;
} country_zones[] = {
	{"BE", "Europe/Brussels"},   {"NL", "Europe/Amsterdam"},
	{"FR", "Europe/Paris"},	     {"DE", "Europe/Berlin"},
	{"LU", "Europe/Luxembourg"},
};

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

static void
add_field(GPtrArray *fields, const char *id, const char *value,
	  double confidence, const char *excerpt)
{
	struct extract_field *f;

	if (id == NULL || value == NULL || value[0] == '\0')
		return;
	f = g_new0(struct extract_field, 1);
	f->field = g_strdup(id);
	f->value = g_strdup(value);
	f->confidence = confidence;
	f->excerpt = g_strdup(excerpt);
	g_ptr_array_add(fields, f);
}

/* The report parser compiles its pattern tables once; it is immutable
 * afterwards and shared by every thread.  It lives until exit. */
static const struct report_parser *
shared_report_parser(void)
{
	static gsize once = 0;
	static struct report_parser *parser;

	if (g_once_init_enter(&once)) {
		parser = report_parser_new();
		g_once_init_leave(&once, 1);
	}
	return parser;
}

static const char *
timezone_of(const char *country)
{
	for (gsize i = 0; country != NULL && i < G_N_ELEMENTS(country_zones);
	     i++)
		if (g_ascii_strcasecmp(country, country_zones[i].country) == 0)
			return country_zones[i].timezone;
	return EXTRACT_DEFAULT_TIMEZONE;
}

GPtrArray *
extract_report(const struct questionnaire *questionnaire,
	       const struct extract_report_input *input)
{
	GPtrArray *fields = new_fields();
	g_autoptr(QuoteResult) split = NULL;
	g_autoptr(GPtrArray) found = NULL;

	if (input->body == NULL || questionnaire == NULL)
		return fields;
	split = quote_parse(input->body, input->subject);
	struct report_input report = {
		.fresh = split->fresh,
		.signature = split->signature,
		.from_addr = input->from_addr,
		.from_name = input->from_name,
		.subject = input->subject,
		.lang = input->lang,
		.reference_time = input->received_at,
		.timezone = timezone_of(input->country),
	};
	found = report_parse(shared_report_parser(), &report);
	for (guint i = 0; i < found->len; i++) {
		const struct report_field *f = found->pdata[i];

		add_field(fields, f->field, f->value, f->confidence,
			  f->excerpt);
	}
	return fields;
}

/* NULL-terminated texts of field_id in every language (question texts or
 * labels), borrowed from the questionnaire, in a new array. */
static GPtrArray *
texts_of(const struct questionnaire *questionnaire, const char *field_id,
	 gboolean labels)
{
	const struct questionnaire_field *f =
		questionnaire_field(questionnaire, field_id);
	GPtrArray *texts = g_ptr_array_new();

	for (gsize l = 0; f != NULL && l < G_N_ELEMENTS(any_language); l++) {
		const char *text =
			labels ? questionnaire_field_label(questionnaire, f,
							   any_language[l])
			       : questionnaire_question_text(questionnaire,
							     field_id,
							     any_language[l]);

		if (text != NULL)
			g_ptr_array_add(texts, (gpointer)text);
	}
	g_ptr_array_add(texts, NULL);
	return texts;
}

GPtrArray *
extract_reply(const struct questionnaire *questionnaire, const char *body,
	      const char *subject, const GPtrArray *questions)
{
	GPtrArray *fields = new_fields();
	g_autoptr(QuoteResult) split = NULL;
	g_autoptr(GPtrArray) keep = NULL;
	g_autoptr(GPtrArray) answers = NULL;
	g_autofree struct reply_question *asked = NULL;
	guint n;

	if (body == NULL || questionnaire == NULL || questions == NULL ||
	    questions->len == 0)
		return fields;
	n = MIN(questions->len, REPLY_MAX_QUESTIONS);
	asked = g_new0(struct reply_question, n);
	keep = g_ptr_array_new_with_free_func(
		(GDestroyNotify)g_ptr_array_unref);
	for (guint i = 0; i < n; i++) {
		const struct store_question *q = questions->pdata[i];
		GPtrArray *texts = texts_of(questionnaire, q->field, FALSE);
		GPtrArray *labels = texts_of(questionnaire, q->field, TRUE);

		g_ptr_array_add(keep, texts);
		g_ptr_array_add(keep, labels);
		asked[i].number = (guint)q->number;
		asked[i].field = q->field;
		asked[i].text = q->question;
		asked[i].texts = (const char *const *)texts->pdata;
		asked[i].labels = (const char *const *)labels->pdata;
	}
	split = quote_parse(body, subject);
	answers = reply_parse(split, asked, n);
	for (guint i = 0; i < answers->len; i++) {
		const struct reply_answer *a = answers->pdata[i];

		add_field(fields, a->field, a->raw, a->confidence,
			  reply_method_name(a->method));
	}
	return fields;
}
