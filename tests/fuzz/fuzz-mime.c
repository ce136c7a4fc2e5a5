/* fuzz-mime.c — libFuzzer harness: raw bytes through mime_parse,
 * mime_summary_new, mime_body_text and classify_message. */
#include <stdint.h>
#include <stdlib.h>
#include <gmime/gmime.h>

#include "classify.h"
#include "mime.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static gboolean initialised;
	struct mime_limits limits = { .max_header_bytes = 65536,
				      .max_depth = 32,
				      .max_parts = 200 };
	GMimeMessage *message;
	struct classify_result result;
	struct mime_summary *summary;
	char *text;

	if (!initialised) {
		g_mime_init();
		initialised = TRUE;
	}
	message = mime_parse(data, size, &limits, NULL);
	if (message == NULL)
		return 0;
	summary = mime_summary_new(message, data, size);
	text = mime_body_text(GMIME_OBJECT(message));
	classify_message(message, "cert@example.test", "example.test",
			 &result);
	classify_result_clear(&result);
	g_free(text);
	mime_summary_free(summary);
	g_object_unref(message);
	return 0;
}
