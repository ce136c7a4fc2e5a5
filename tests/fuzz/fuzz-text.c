/* fuzz-text.c — libFuzzer harness for the text parsers: rfc2047_decode,
 * charset_to_utf8, html_to_text, lang_detect, casetag_find and
 * casetag_verify_message_id.  The first byte picks the parser. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>

#include "casetag.h"
#include "charset.h"
#include "html.h"
#include "lang.h"
#include "rfc2047.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char secret_bytes[] = "0123456789abcdef0123456789abcdef";
	g_autoptr(GBytes) secret =
		g_bytes_new_static(secret_bytes, sizeof(secret_bytes) - 1);
	g_autofree char *text = NULL;
	g_autofree char *out = NULL;
	char *case_id = NULL;
	gint64 outbox = 0;

	if (size < 1)
		return 0;
	/* Text parsers take NUL-terminated strings. */
	text = g_strndup((const char *)data + 1, size - 1);
	switch (data[0] % 6) {
	case 0:
		out = rfc2047_decode(text);
		break;
	case 1:
		out = charset_to_utf8((const char *)data + 1, size - 1,
				      size > 8 ? "windows-1252" : NULL);
		break;
	case 2:
		out = html_to_text((const char *)data + 1, size - 1);
		break;
	case 3: {
		/* lang_detect() checks the UTF-8 itself. */
		double confidence = -1;
		const char *lang = lang_detect(text, NULL, &confidence);

		if (confidence < 0 || confidence > 1 ||
		    (lang == NULL && confidence != 0))
			abort();
		break;
	}
	case 4:
		out = casetag_find(text, "CERT");
		break;
	case 5:
		if (casetag_verify_message_id(secret, text, "example.test",
					      &case_id, &outbox))
			g_free(case_id);
		break;
	}
	return 0;
}
