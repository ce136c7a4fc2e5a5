/* provider-values.h — the value forms of providers.conf: regions, on-call
 * windows, key fingerprints and domain names.  Pure; providers.c reports
 * a value these refuse as "file:line: ...". */
#ifndef INTAKED_PROVIDER_VALUES_H
#define INTAKED_PROVIDER_VALUES_H

#include <glib.h>

#include "providers.h"

/* "ABCD 1234 ..." (spaces allowed, any case) -> 40 upper-case hex
 * digits; NULL when it is not 40 hex digits.  Returns a new string. */
char *provider_normalise_fingerprint(const char *text);

/* A host name of at least two labels (letters, digits, '-'), lower-cased;
 * NULL when it is not one.  Returns a new string. */
char *provider_normalise_domain(const char *text);

/* "*", "BE", "BE-VOV" (ISO 3166-2: one to three letters or digits after
 * the country) or "BE-9000-9999" (4 or 5 digits, low <= high), any case.
 * Fills *region (kind, country, subdivision as a new string, postcodes;
 * not text).  Returns FALSE when text is none of these. */
gboolean provider_parse_region(const char *text,
			       struct provider_region *region);

/* "Mon-Fri 08:00-18:00": days ("Mon", "Sat,Sun", "Fri-Mon", "daily"),
 * one space, HH:MM-HH:MM (the end may be 24:00; an end not after the
 * start runs past midnight).  Fills *window except text.  Returns FALSE
 * when text is not such a window or it is empty (start = end). */
gboolean provider_parse_window(const char *text,
			       struct provider_window *window);

#endif
