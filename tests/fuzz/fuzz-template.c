/* fuzz-template.c — libFuzzer harness: template source through
 * mail_template_parse and, when it compiles, mail_template_render. */
#include <stdint.h>
#include <string.h>
#include <glib.h>

#include "template.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const known[] = { "case_id", "name", "items",
					     "text", "flag", NULL };
	struct mail_template *template;
	struct mail_template_output output = { 0 };
	struct template_context *context;
	struct template_context *item;

	template = mail_template_parse((const char *)data, size, "fuzz.tmpl",
				       known, NULL);
	if (template == NULL)
		return 0;
	context = template_context_new();
	template_context_set(context, "case_id", "2026-0042");
	template_context_set(context, "name", "a\r\nBcc: x@example.test");
	template_context_set_bool(context, "flag", TRUE);
	item = template_context_add_item(context, "items");
	template_context_set(item, "text", "one");
	item = template_context_add_item(context, "items");
	template_context_set(item, "text", "two");
	mail_template_render(template, context, &output);
	/* A header value must never carry a line break. */
	for (guint i = 0; i < output.header_values->len; i++)
		if (strpbrk(output.header_values->pdata[i], "\r\n") != NULL)
			__builtin_trap();
	mail_template_output_clear(&output);
	template_context_free(&context);
	mail_template_free(&template);
	return 0;
}
