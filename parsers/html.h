/* html.h — HTML mail bodies to readable plain text (libxml2's HTML
 * parser, not regexes).  Pure. */
#ifndef INTAKED_HTML_H
#define INTAKED_HTML_H

#include <glib.h>

/* Converts UTF-8 HTML to text: block elements become line breaks, lists
 * get "- ", <br> a newline, links keep their text, <style>, <script> and
 * <head> vanish, entities are decoded, blank-line runs collapse.  Never
 * NULL; caller frees. */
char *html_to_text(const char *html, gsize len);

#endif
