/* fuzz-quote.c — libFuzzer harness for quote_parse and quote_extract_urls.
 * The first byte picks the outer subject (none, a reply, a forward), so
 * both readings of Outlook header blocks are explored. */
#include <stdint.h>
#include <string.h>
#include <glib.h>

#include "quote.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const subjects[] = {NULL, "Re: report",
					       "Fwd: phishing"};
	g_autofree char *text = NULL;
	g_autoptr(QuoteResult) result = NULL;
	g_autoptr(GPtrArray) urls = NULL;

	if (size < 1)
		return 0;
	/* quote_parse takes a NUL-terminated string */
	text = g_strndup((const char *)data + 1, size - 1);
	result = quote_parse(text, subjects[data[0] % 3]);
	urls = quote_extract_urls(text);
	return 0;
}
