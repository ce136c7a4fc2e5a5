/* rfc2047.h — decode RFC 2047 encoded words in a raw header value.
 *
 * Written because GMime 3.2.13 drops adjacent same-charset B-words after
 * one ending in '=' (upstream #133).  Pure. */
#ifndef INTAKED_RFC2047_H
#define INTAKED_RFC2047_H

#include <glib.h>

/* Returns the decoded value as valid UTF-8 (unfolded, unknown charsets
 * replaced with U+FFFD); undeclared 8-bit bytes are read as UTF-8 when
 * valid, else windows-1252.  Never NULL; caller frees. */
char *rfc2047_decode(const char *raw);

#endif
