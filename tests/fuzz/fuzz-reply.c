/* fuzz-reply.c — libFuzzer harness for reply_parse.  The input before
 * the first 0x1e is a list of questions, one per line ("text" or
 * "text\tlabel"), numbered in order; the rest is the reply body, split by
 * quote_parse first as the daemon does.  The first byte picks the
 * subject. */
#include <stdint.h>
#include <string.h>
#include <glib.h>

#include "quote.h"
#include "reply.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const subjects[] = {NULL, "Re: vragen",
					       "Fwd: vragen"};
	static const char *const fields[] = {"care_impact", "contact_phone",
					     "backups_available", "need"};
	g_autofree char *text = NULL;
	g_auto(GStrv) parts = NULL;
	g_auto(GStrv) lines = NULL;
	g_autoptr(QuoteResult) quote = NULL;
	g_autoptr(GPtrArray) answers = NULL;
	struct reply_question questions[REPLY_MAX_QUESTIONS + 2];
	const char *labels[REPLY_MAX_QUESTIONS + 2][2];
	gsize n = 0;

	if (size < 1)
		return 0;
	text = g_strndup((const char *)data + 1, size - 1);
	parts = g_strsplit(text, "\x1e", 2);
	if (parts[0] == NULL || parts[1] == NULL)
		return 0;
	lines = g_strsplit(parts[0], "\n", G_N_ELEMENTS(questions) + 1);
	for (size_t i = 0; lines[i] != NULL && n < G_N_ELEMENTS(questions);
	     i++) {
		char *tab = strchr(lines[i], '\t');

		if (tab != NULL)
			*tab = '\0';
		labels[n][0] = tab != NULL ? tab + 1 : NULL;
		labels[n][1] = NULL;
		questions[n] = (struct reply_question){
			.number = (guint)n + 1,
			.field = fields[n % G_N_ELEMENTS(fields)],
			.text = lines[i],
			.labels = labels[n],
		};
		n++;
	}
	quote = quote_parse(parts[1], subjects[data[0] % 3]);
	answers = reply_parse(quote, questions, n);
	for (guint i = 0; i < answers->len; i++) {
		const struct reply_answer *a = answers->pdata[i];

		if (!g_utf8_validate(a->raw, -1, NULL))
			__builtin_trap();
	}
	return 0;
}
