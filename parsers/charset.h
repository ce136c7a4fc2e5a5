/* charset.h — bytes in a declared charset to valid UTF-8.  Pure. */
#ifndef INTAKED_CHARSET_H
#define INTAKED_CHARSET_H

#include <glib.h>

/* Converts len bytes labelled label (may be NULL) to valid UTF-8 with LF
 * line ends.  Missing, us-ascii and iso-8859-1 labels are read as
 * windows-1252 (what senders mean); bytes that still fail become U+FFFD.
 * Never NULL; caller frees. */
char *charset_to_utf8(const char *data, gsize len, const char *label);

#endif
