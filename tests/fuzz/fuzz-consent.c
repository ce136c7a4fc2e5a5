/* fuzz-consent.c — libFuzzer harness for the reply parsers on the shared
 * phrase scanner: parsers/consent.c and parsers/provider-answer.c.  The
 * first byte picks the parser and whether the text goes through
 * quote_parse() first. */
#include <stdint.h>
#include <string.h>
#include <glib.h>

#include "consent.h"
#include "provider-answer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autofree char *text = NULL;

	if (size < 1)
		return 0;
	text = g_strndup((const char *)data + 1, size - 1);
	switch (data[0] % 4) {
	case 0: {
		g_autoptr(ConsentResult) r = consent_parse(text);

		if (r->answer == CONSENT_YES && r->excerpt == NULL)
			__builtin_trap();
		break;
	}
	case 1: {
		g_autoptr(ConsentResult) r = consent_parse_reply(text, NULL);

		(void)r;
		(void)consent_is_withdrawal(text);
		(void)consent_is_withdrawal_reply(text, "RE: Consent");
		break;
	}
	case 2: {
		g_autoptr(ProviderAnswerResult) r = provider_answer_parse(text);

		if (r->answer != PROVIDER_ANSWER_UNCLEAR && r->excerpt == NULL)
			__builtin_trap();
		break;
	}
	default: {
		g_autoptr(ProviderAnswerResult) r =
			provider_answer_parse_reply(text, "RE: Introduction");
		(void)r;
		break;
	}
	}
	return 0;
}
