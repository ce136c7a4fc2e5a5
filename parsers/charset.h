/* charset.h — bytes in a declared charset to valid UTF-8.  Pure. */
#ifndef INTAKED_CHARSET_H
#define INTAKED_CHARSET_H

#include <glib.h>

/* Converts len bytes labelled label (may be NULL) to valid UTF-8 with LF
 * line ends.  Labels are case-insensitive and may be quoted; common
 * aliases (latin1, cp1252, utf8, ks_c_5601-1987, gb2312...) are mapped.
 * Missing, us-ascii and iso-8859-1 labels are read as UTF-8 when the bytes
 * are valid UTF-8, else as windows-1252 (what senders mean).  A utf-8
 * label on bytes without one valid multi-byte sequence is read as
 * windows-1252 too.  An unknown label keeps ASCII (or valid UTF-8); bytes
 * that still fail, and NUL bytes, become U+FFFD.  Never NULL; caller
 * frees. */
char *charset_to_utf8(const char *data, gsize len, const char *label);

/* g_utf8_strdown(text, length) of valid UTF-8 (length -1: up to the NUL),
 * the same bytes in every locale, several times faster on text that is
 * mostly ASCII.  Caller frees. */
char *charset_utf8_strdown(const char *text, gssize length);

#endif
