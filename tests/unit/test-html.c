/* test-html.c — html_to_text on the HTML that mail clients send. */
#include <string.h>

#include "html.h"

struct html_case {
	const char *name;
	const char *html;
	const char *expect;
};

static const struct html_case html_cases[] = {
	{"empty", "", ""},
	{"plain text", "hello world", "hello world"},
	{"whitespace collapses", "<p>  hello \n\t  world  </p>", "hello world"},
	{"paragraphs", "<p>one</p><p>two</p>", "one\n\ntwo"},
	{"br", "a<br>b<br><br>c", "a\nb\n\nc"},
	{"br at end of block", "<div>a<br></div><div>b</div>", "a\nb"},
	{"entities", "caf&eacute; &amp; &lt;tag&gt; &#8364;&nbsp;5",
	 "caf\xC3\xA9 & <tag> \xE2\x82\xAC 5"},
	{"nbsp keeps spaces", "a&nbsp;&nbsp;b", "a  b"},
	{"head style script vanish",
	 "<html><head><title>T</title><style>p{color:red}</style></head>"
	 "<body><script>alert(1)</script><p>body</p></body></html>",
	 "body"},
	{"hidden preheader",
	 "<div style=\"display: none\">preview</div><div>real</div>", "real"},
	{"gmail divs",
	 "<div dir=\"ltr\"><div>Hi,</div><div><br></div><div>Our server "
	 "is down.</div><div><br></div><div>Jan</div></div>",
	 "Hi,\n\nOur server is down.\n\nJan"},
	{"gmail quote stays",
	 "<div dir=\"ltr\">Thanks</div><br><div class=\"gmail_quote\">"
	 "<div class=\"gmail_attr\">On Mon, CERT wrote:<br></div>"
	 "<blockquote class=\"gmail_quote\">Old text</blockquote></div>",
	 "Thanks\n\nOn Mon, CERT wrote:\n\nOld text"},
	{"outlook word html",
	 "<html xmlns:o=\"urn:schemas-microsoft-com:office:office\"><head>"
	 "<!--[if gte mso 9]><xml><o:shapedefaults/></xml><![endif]-->"
	 "<style>p.MsoNormal{margin:0cm}</style></head><body lang=NL>"
	 "<div class=WordSection1><p class=MsoNormal>Goedemorgen,<o:p>"
	 "</o:p></p><p class=MsoNormal><o:p>&nbsp;</o:p></p>"
	 "<p class=MsoNormal>Alle bestanden zijn versleuteld.<o:p></o:p>"
	 "</p><p class=MsoNormal>Groet,<o:p></o:p></p>"
	 "<p class=MsoNormal>Piet<o:p></o:p></p></div></body></html>",
	 "Goedemorgen,\n\nAlle bestanden zijn versleuteld.\nGroet,\nPiet"},
	{"word list with conditionals",
	 "<p class=MsoListParagraph><![if !supportLists]><span>1.<span>"
	 "&nbsp;&nbsp; </span></span><![endif]>First<o:p></o:p></p>",
	 "1.  First"},
	{"conditional comment", "a<!--[if mso]>hidden<![endif]-->b", "ab"},
	{"unordered list", "<ul><li>one</li><li>two</li></ul>", "- one\n- two"},
	{"ordered list", "<p>Steps:</p><ol><li>unplug</li><li>call</li></ol>",
	 "Steps:\n\n1. unplug\n2. call"},
	{"nested list", "<ul><li>a<ul><li>b</li></ul></li><li>c</li></ul>",
	 "- a\n  - b\n- c"},
	{"table",
	 "<table><tr><th>Host</th><th>IP</th></tr><tr><td>fs01</td>"
	 "<td>10.0.0.5</td></tr></table>",
	 "Host | IP\nfs01 | 10.0.0.5"},
	{"table empty cell",
	 "<table><tr><td></td><td>x</td><td> </td><td>y</td></tr></table>",
	 "x | y"},
	{"link with text",
	 "see <a href=\"https://example.org/x\">the report</a>.",
	 "see the report <https://example.org/x>."},
	{"link text is url",
	 "<a href=\"https://example.org/\">https://example.org/</a>",
	 "https://example.org/"},
	{"link text is host",
	 "<a href=\"https://example.org/\">example.org</a>", "example.org"},
	{"mailto link",
	 "<a href=\"mailto:cert@example.org\">cert@example.org</a>",
	 "cert@example.org"},
	{"javascript link", "<a href=\"javascript:x()\">click</a>", "click"},
	{"image link", "<a href=\"https://x.example/\"><img src=x></a>z", "z"},
	{"headings", "<h1>Title</h1>text", "Title\n\ntext"},
	{"pre", "<pre>a  b\n  c</pre>d", "a  b\n  c\nd"},
	{"blank line runs", "a<br><br><br><br><br>b<p></p><p></p><p>c</p>",
	 "a\n\nb\n\nc"},
	{"meta charset ignored",
	 "<meta charset=\"iso-8859-1\"><p>caf\xC3\xA9</p>", "caf\xC3\xA9"},
	{"unclosed tags", "<div><p>a<b>b<i>c</div>d", "abc\n\nd"},
	{"zero width",
	 "a\xE2\x80\x8B"
	 "b",
	 "ab"},
	{"invalid utf-8", "caf\xE9", "caf\xEF\xBF\xBD"},
	{"upper-case tags", "<P>one</P><UL><LI>a<LI>b</UL><OL><Li>x</OL>",
	 "one\n\n- a\n- b\n1. x"},
	{"upper-case cells and link",
	 "<TABLE><TR><TH>h</TH><TD>d</TD></TR></TABLE>"
	 "<A HREF=\"http://x.example/a\">x</A>",
	 "h | d\nx <http://x.example/a>"},
	{"hidden attribute", "<div hidden>x</div><div>y</div>", "y"},
	{"soft hyphen, nbsp and bom inside words",
	 "co&shy;operate&nbsp;now\xEF\xBB\xBF!", "cooperate now!"},
	{"word paragraphs any case",
	 "<p class=MsoNormal>one<o:p></o:p></p><p class=msoplaintext>two</p>"
	 "<p>three</p>",
	 "one\ntwo\n\nthree"},
};

static void
test_html_table(void)
{
	for (gsize i = 0; i < G_N_ELEMENTS(html_cases); i++) {
		const struct html_case *c = &html_cases[i];
		g_autofree char *got = html_to_text(c->html, strlen(c->html));

		g_test_message("case %s", c->name);
		g_assert_true(g_utf8_validate(got, -1, NULL));
		g_assert_cmpstr(got, ==, c->expect);
	}
}

static void
test_html_hostile(void)
{
	static const char nul_html[] = "<p>a\0b</p>";
	g_autoptr(GString) deep = g_string_new(NULL);
	g_autofree char *got = NULL;
	g_autofree char *got_nul = NULL;
	g_autofree char *got_null = html_to_text(NULL, 0);

	g_assert_cmpstr(got_null, ==, "");
	got_nul = html_to_text(nul_html, sizeof(nul_html) - 1);
	g_assert_true(g_utf8_validate(got_nul, -1, NULL));
	g_assert_nonnull(strstr(got_nul, "a"));
	/* 100,000 nested elements: libxml2 caps the depth, and our walk
	 * has no recursion. */
	for (int i = 0; i < 100000; i++)
		g_string_append(deep, "<div><span>");
	g_string_append(deep, "deep");
	got = html_to_text(deep->str, deep->len);
	g_assert_true(g_utf8_validate(got, -1, NULL));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/html/table", test_html_table);
	g_test_add_func("/html/hostile", test_html_hostile);
	return g_test_run();
}
