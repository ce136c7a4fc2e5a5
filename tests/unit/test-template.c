/* test-template.c — compiling and rendering reply templates. */
#include "template.h"

#include <string.h>

static const char *const known[] = {
	"name", "case_tag", "subject", "items", "title", "inner",
	"flag", "empty",    "unset",   "outer", "x",	 NULL,
};

/* The context every rendering test uses. */
static struct template_context *
make_context(void)
{
	struct template_context *context = template_context_new();
	struct template_context *item, *inner;

	template_context_set(context, "name", "Alice");
	template_context_set(context, "case_tag", "CERT-2026-0042");
	template_context_set(context, "empty", "");
	template_context_set_bool(context, "flag", TRUE);
	template_context_set(context, "title", "outer title");
	item = template_context_add_item(context, "items");
	template_context_set(item, "title", "first");
	item = template_context_add_item(context, "items");
	template_context_set(item, "title", "second");
	inner = template_context_add_item(item, "inner");
	template_context_set(inner, "x", "deep");
	/* An item without its own title falls back to the parent's. */
	template_context_add_item(context, "items");
	return context;
}

struct render_case {
	const char *name;
	const char *text;
	const char *subject;
	const char *body;
};

static const struct render_case render_cases[] = {
	{"variable", "Subject: Hi {{name}}\n\nDear {{ name }},\nbye\n",
	 "Hi Alice", "Dear Alice,\nbye\n"},
	{"unset variable", "Subject: x{{unset}}y\n\n[{{unset}}]\n", "xy",
	 "[]\n"},
	{"comment", "Subject: a{{! note }}b\n\none {{! two }}three\n", "ab",
	 "one three\n"},
	{"section true bool", "Subject: s\n\n{{#flag}}yes{{/flag}}\n", "s",
	 "yes\n"},
	{"section string", "Subject: s\n\n{{#name}}[{{name}}]{{/name}}\n", "s",
	 "[Alice]\n"},
	{"section empty string", "Subject: s\n\na{{#empty}}X{{/empty}}b\n", "s",
	 "ab\n"},
	{"section unset", "Subject: s\n\na{{#unset}}X{{/unset}}b\n", "s",
	 "ab\n"},
	{"inverted",
	 "Subject: s\n\n{{^unset}}none{{/unset}}"
	 "{{^flag}}F{{/flag}}{{^empty}}E{{/empty}}\n",
	 "s", "noneE\n"},
	{"list with fallback",
	 "Subject: s\n\n{{#items}}- {{title}} ({{name}})\n{{/items}}", "s",
	 "- first (Alice)\n- second (Alice)\n- outer title (Alice)\n"},
	{"nested lists",
	 "Subject: s\n\n{{#items}}{{#inner}}{{x}}/{{title}}/{{name}}"
	 "{{/inner}}{{/items}}\n",
	 "s", "deep/second/Alice\n"},
	{"standalone lines removed",
	 "Subject: s\n"
	 "\n"
	 "Hello\n"
	 "{{#items}}\n"
	 "  * {{title}}\n"
	 "  {{/items}}  \n"
	 "{{! a comment line }}\n"
	 "\t{{^unset}}\n"
	 "none\n"
	 "{{/unset}}\n"
	 "end\n",
	 "s", "Hello\n  * first\n  * second\n  * outer title\nnone\nend\n"},
	{"variable line is not standalone", "Subject: s\n\n{{unset}}\nx\n", "s",
	 "\nx\n"},
	{"blank lines kept", "Subject: s\n\na\n\n\nb\n", "s", "a\n\n\nb\n"},
	{"trailing newlines collapsed", "Subject: s\n\nbody\n\n\n\n", "s",
	 "body\n"},
	{"no final newline", "Subject: s\n\nbody", "s", "body\n"},
	{"empty body", "Subject: s\n\n", "s", "\n"},
	{"crlf input", "Subject: s {{name}}\r\n\r\na\r\nb\r\n", "s Alice",
	 "a\nb\n"},
	{"folded header", "Subject: [{{case_tag}}]\n\tfolded  \n\nb\n",
	 "[CERT-2026-0042] folded", "b\n"},
	{"header section",
	 "Subject: {{#flag}}F {{/flag}}{{^flag}}N{{/flag}}"
	 "{{name}}\n\nb\n",
	 "F Alice", "b\n"},
	{"lower-case header name", "subject: x\n\nb\n", "x", "b\n"},
	{"no html escaping", "Subject: s\n\n{{subject}}\n", "s",
	 "<b>&amp;\"'</b>\n"},
	{"utf-8 literal", "Subject: Réponse – {{name}}\n\nÄÖÜ\n",
	 "Réponse – Alice", "ÄÖÜ\n"},
	{"triple brace text", "Subject: s\n\na }} b\n", "s", "a }} b\n"},
};

static void
test_render(gconstpointer data)
{
	const struct render_case *tc = data;
	g_autoptr(GError) error = NULL;
	struct mail_template *template;
	struct template_context *context = make_context();
	struct mail_template_output output = {0};

	template_context_set(context, "subject", "<b>&amp;\"'</b>");
	template = mail_template_parse(tc->text, strlen(tc->text), "t.tmpl",
				       known, &error);
	g_assert_no_error(error);
	g_assert_nonnull(template);
	mail_template_render(template, context, &output);
	g_assert_cmpstr(mail_template_output_header(&output, "subject"), ==,
			tc->subject);
	g_assert_cmpstr(output.body, ==, tc->body);
	g_assert_cmpuint(output.header_names->len, ==, 1);
	g_assert_cmpstr(g_ptr_array_index(output.header_names, 0), ==,
			"Subject");
	g_assert_null(mail_template_output_header(&output, "Bcc"));
	mail_template_output_clear(&output);
	g_assert_null(output.body);
	mail_template_free(&template);
	g_assert_null(template);
	template_context_free(&context);
	g_assert_null(context);
}

struct injection_case {
	const char *value;
	const char *subject;
};

static const struct injection_case injection_cases[] = {
	{"x\r\nBcc: evil@example.org", "Re: x  Bcc: evil@example.org"},
	{"x\nBcc: evil@example.org", "Re: x Bcc: evil@example.org"},
	{"x\rTo: a@b", "Re: x To: a@b"},
	{"tab\there\x7f\x01", "Re: tab here"},
	{"c1\xc2\x85next\xe2\x80\xa8line", "Re: c1 next line"},
	{"\r\n\r\n", "Re:"},
	{"bad \xff utf8", "Re: bad \xef\xbf\xbd utf8"},
};

/* A value can never start a header of its own or break the line. */
static void
test_header_injection(void)
{
	static const char text[] = "Subject: Re: {{subject}}\n\n{{subject}}\n";
	g_autoptr(GError) error = NULL;
	struct mail_template *template = mail_template_parse(
		text, strlen(text), "t.tmpl", known, &error);

	g_assert_no_error(error);
	for (gsize i = 0; i < G_N_ELEMENTS(injection_cases); i++) {
		struct template_context *context = template_context_new();
		struct mail_template_output output = {0};
		const char *subject;

		template_context_set(context, "subject",
				     injection_cases[i].value);
		mail_template_render(template, context, &output);
		subject = mail_template_output_header(&output, "Subject");
		g_assert_cmpstr(subject, ==, injection_cases[i].subject);
		g_assert_null(strpbrk(subject, "\r\n\t"));
		g_assert_cmpuint(output.header_names->len, ==, 1);
		g_assert_true(g_utf8_validate(output.body, -1, NULL));
		g_assert_null(strchr(output.body, '\r'));
		mail_template_output_clear(&output);
		template_context_free(&context);
	}
	mail_template_free(&template);
}

/* Setting a value again replaces it; NULL unsets; a list replaces a
 * string of the same name. */
static void
test_context_updates(void)
{
	static const char text[] = "Subject: {{name}}\n\n"
				   "{{#items}}<{{title}}>{{/items}}\n";
	struct mail_template *template =
		mail_template_parse(text, strlen(text), "t", known, NULL);
	struct template_context *context = template_context_new();
	struct mail_template_output output = {0};

	g_assert_nonnull(template);
	template_context_set(context, "name", "one");
	template_context_set(context, "name", "two");
	template_context_set(context, "items", "a string");
	template_context_set(template_context_add_item(context, "items"),
			     "title", "i");
	mail_template_render(template, context, &output);
	g_assert_cmpstr(mail_template_output_header(&output, "Subject"), ==,
			"two");
	g_assert_cmpstr(output.body, ==, "<i>\n");
	mail_template_output_clear(&output);

	template_context_set(context, "name", NULL);
	mail_template_render(template, context, &output);
	g_assert_cmpstr(mail_template_output_header(&output, "Subject"), ==,
			"");
	mail_template_output_clear(&output);
	template_context_free(&context);

	mail_template_render(template, NULL, &output);
	g_assert_cmpstr(output.body, ==, "\n");
	mail_template_output_clear(&output);
	mail_template_free(&template);
}

struct error_case {
	const char *name;
	const char *text;
	int code;
	const char *message;
};

static const struct error_case error_cases[] = {
	{"unknown variable", "Subject: s\n\nline\n{{nope}}\n",
	 TEMPLATE_ERROR_UNKNOWN, "f.tmpl:4: unknown variable \"nope\""},
	{"unknown section", "Subject: s\n\n\n\n{{#nope}}x{{/nope}}\n",
	 TEMPLATE_ERROR_UNKNOWN, "f.tmpl:5: unknown section \"nope\""},
	{"unknown inverted", "Subject: s\n\n{{^nope}}\n{{/nope}}\n",
	 TEMPLATE_ERROR_UNKNOWN, "f.tmpl:3: unknown section \"nope\""},
	{"unknown in header", "Subject: {{nope}}\n\nb\n",
	 TEMPLATE_ERROR_UNKNOWN, "f.tmpl:1: unknown variable \"nope\""},
	{"invalid name", "Subject: s\n\n{{Name}}\n", TEMPLATE_ERROR_SYNTAX,
	 "f.tmpl:3: invalid tag name \"Name\" (use a-z, 0-9 and _)"},
	{"dotted name", "Subject: s\n\n{{a.b}}\n", TEMPLATE_ERROR_SYNTAX,
	 "f.tmpl:3: invalid tag name \"a.b\" (use a-z, 0-9 and _)"},
	{"empty tag", "Subject: s\n\n{{ }}\n", TEMPLATE_ERROR_SYNTAX,
	 "f.tmpl:3: invalid tag name \"\" (use a-z, 0-9 and _)"},
	{"triple mustache", "Subject: s\n\n{{{name}}}\n", TEMPLATE_ERROR_SYNTAX,
	 "f.tmpl:3: invalid tag name \"{name\" (use a-z, 0-9 and _)"},
	{"unclosed tag", "Subject: s\n\nok\nHello {{name\n}}\n",
	 TEMPLATE_ERROR_SYNTAX, "f.tmpl:4: unclosed {{"},
	{"unclosed tag in header", "Subject: {{name\n\nb\n",
	 TEMPLATE_ERROR_SYNTAX, "f.tmpl:1: unclosed {{"},
	{"unclosed section", "Subject: s\n\n{{#flag}}\nx\n{{#name}}{{/name}}\n",
	 TEMPLATE_ERROR_SYNTAX, "f.tmpl:3: section {{#flag}} is never closed"},
	{"unclosed inner section",
	 "Subject: s\n\n{{#flag}}\n{{^name}}\n{{/flag}}\n",
	 TEMPLATE_ERROR_SYNTAX,
	 "f.tmpl:5: {{/flag}} does not match {{^name}} opened on line 4"},
	{"unclosed section in header", "Subject: {{#flag}}x\n\n{{/flag}}\n",
	 TEMPLATE_ERROR_SYNTAX, "f.tmpl:1: section {{#flag}} is never closed"},
	{"mismatched close", "Subject: s\n\n{{#flag}}\n\n{{/name}}\n",
	 TEMPLATE_ERROR_SYNTAX,
	 "f.tmpl:5: {{/name}} does not match {{#flag}} opened on line 3"},
	{"stray close", "Subject: s\n\na\nb\n{{/flag}}\n",
	 TEMPLATE_ERROR_SYNTAX, "f.tmpl:5: {{/flag}} closes no open section"},
	{"nesting too deep",
	 "Subject: s\n\n"
	 "{{#x}}{{#x}}{{#x}}{{#x}}{{#x}}{{#x}}{{#x}}{{#x}}\n"
	 "{{#x}}{{#x}}{{#x}}{{#x}}{{#x}}{{#x}}{{#x}}{{#x}}\n"
	 "{{#x}}\n",
	 TEMPLATE_ERROR_SYNTAX, "f.tmpl:5: sections nested deeper than 16"},
	{"header not allowed", "Subject: s\nBcc: x@example.org\n\nb\n",
	 TEMPLATE_ERROR_UNKNOWN,
	 "f.tmpl:2: header \"Bcc\" may not be set by a template"},
	{"header twice", "Subject: s\nsubject: t\n\nb\n", TEMPLATE_ERROR_SYNTAX,
	 "f.tmpl:2: header \"Subject\" set twice"},
	{"missing subject", "\nbody\n", TEMPLATE_ERROR_MISSING,
	 "f.tmpl:1: missing Subject header"},
	{"empty file", "", TEMPLATE_ERROR_SYNTAX,
	 "f.tmpl:1: no blank line between headers and body"},
	{"no blank line", "Subject: s\nDear reporter,\nthanks\n",
	 TEMPLATE_ERROR_SYNTAX,
	 "f.tmpl:2: no blank line between headers and body"},
	{"headers only", "Subject: s\n", TEMPLATE_ERROR_SYNTAX,
	 "f.tmpl:1: no blank line between headers and body"},
	{"header without colon", "Subject: s\nFoo bar\n\nbody\n",
	 TEMPLATE_ERROR_SYNTAX, "f.tmpl:2: header line without a colon"},
	{"leading continuation", " Subject: s\n\nbody\n", TEMPLATE_ERROR_SYNTAX,
	 "f.tmpl:1: continuation line before any header"},
	{"invalid utf-8", "Subject: s\n\nok\nbad \xc3\x28\n",
	 TEMPLATE_ERROR_SYNTAX, "f.tmpl:4: invalid UTF-8 or NUL byte"},
	{"lone carriage return", "Subject: s\r\n\r\na\rb\r\n",
	 TEMPLATE_ERROR_SYNTAX, "f.tmpl:3: carriage return without line feed"},
	{"error line after crlf", "Subject: s\r\n\r\n\r\n{{nope}}\r\n",
	 TEMPLATE_ERROR_UNKNOWN, "f.tmpl:4: unknown variable \"nope\""},
};

static void
test_error(gconstpointer data)
{
	const struct error_case *tc = data;
	g_autoptr(GError) error = NULL;
	struct mail_template *template = mail_template_parse(
		tc->text, strlen(tc->text), "f.tmpl", known, &error);

	g_assert_null(template);
	g_assert_error(error, TEMPLATE_ERROR, tc->code);
	g_assert_cmpstr(error->message, ==, tc->message);
}

/* Embedded NUL and oversized input. */
static void
test_limits(void)
{
	static const char nul[] = "Subject: s\n\na\0b\n";
	g_autoptr(GError) error = NULL;
	gsize big_len = 1024 * 1024 + 1;
	g_autofree char *big = g_malloc(big_len);

	g_assert_null(
		mail_template_parse(nul, sizeof(nul) - 1, "f", known, &error));
	g_assert_cmpstr(error->message, ==, "f:3: invalid UTF-8 or NUL byte");
	g_clear_error(&error);

	memset(big, 'a', big_len);
	memcpy(big, "Subject: s\n\n", 12);
	g_assert_null(mail_template_parse(big, big_len, "f", known, &error));
	g_assert_error(error, TEMPLATE_ERROR, TEMPLATE_ERROR_SYNTAX);
	g_assert_nonnull(strstr(error->message, "over the limit"));
	g_clear_error(&error);

	/* Exactly at the limit is fine. */
	big[big_len - 2] = '\n';
	g_assert_null(error);
	{
		struct mail_template *template = mail_template_parse(
			big, big_len - 1, "f", known, &error);

		g_assert_no_error(error);
		mail_template_free(&template);
	}
	/* 16 levels of nesting are allowed. */
	{
		GString *deep = g_string_new("Subject: s\n\n");
		struct mail_template *template;
		struct template_context *context = template_context_new();
		struct template_context *level = context;
		struct mail_template_output output = {0};

		for (int i = 0; i < 16; i++) {
			g_string_append(deep, "{{#items}}");
			level = template_context_add_item(level, "items");
		}
		template_context_set(level, "x", "bottom");
		g_string_append(deep, "{{x}}");
		for (int i = 0; i < 16; i++)
			g_string_append(deep, "{{/items}}");
		template = mail_template_parse(deep->str, deep->len, "f", known,
					       &error);
		g_assert_no_error(error);
		mail_template_render(template, context, &output);
		g_assert_cmpstr(output.body, ==, "bottom\n");
		mail_template_output_clear(&output);
		mail_template_free(&template);
		template_context_free(&context);
		g_string_free(deep, TRUE);
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	for (gsize i = 0; i < G_N_ELEMENTS(render_cases); i++) {
		g_autofree char *path = g_strdup_printf("/template/render/%s",
							render_cases[i].name);

		g_test_add_data_func(path, &render_cases[i], test_render);
	}
	for (gsize i = 0; i < G_N_ELEMENTS(error_cases); i++) {
		g_autofree char *path = g_strdup_printf("/template/error/%s",
							error_cases[i].name);

		g_test_add_data_func(path, &error_cases[i], test_error);
	}
	g_test_add_func("/template/header-injection", test_header_injection);
	g_test_add_func("/template/context-updates", test_context_updates);
	g_test_add_func("/template/limits", test_limits);
	return g_test_run();
}
