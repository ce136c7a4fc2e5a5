/* fuzz-answer.c — libFuzzer harness for the answer normalisers in
 * parsers/answer.c.  The first byte picks the function (and, for phone
 * numbers, the country hint). */
#include <stdint.h>
#include <string.h>
#include <glib.h>

#include "answer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const countries[] = {NULL, "BE", "NL",
						"FR", "DE", "LU"};
	static const char *const values[] = {"incident_response", "forensics",
					     "data_breach", NULL};
	g_autofree char *text = NULL;
	g_autofree char *out = NULL;
	g_autoptr(GPtrArray) items = NULL;
	enum answer_yesno yesno;

	if (size < 1)
		return 0;
	/* The normalisers take NUL-terminated strings. */
	text = g_strndup((const char *)data + 1, size - 1);
	switch (data[0] % 9) {
	case 0:
		answer_parse_yesno(text, &yesno);
		break;
	case 1:
		out = answer_fold(text);
		break;
	case 2:
		items = answer_split_list(text, NULL);
		break;
	case 3:
		answer_normalise_phone(
			text,
			countries[(data[0] / 9) % G_N_ELEMENTS(countries)],
			&out, NULL);
		break;
	case 4:
		answer_normalise_datetime(text, &out);
		break;
	case 5:
		answer_normalise_email(text, &out, NULL);
		break;
	case 6:
		answer_normalise_text(text, 100, &out, NULL);
		break;
	case 7:
		answer_closest(text, values, 2);
		break;
	case 8:
		out = answer_quote(text);
		break;
	}
	return 0;
}
