/* lang.h — which of en, nl, fr, de a short text is written in.  Pure. */
#ifndef INTAKED_LANG_H
#define INTAKED_LANG_H

#include <glib.h>

/* Returns "en", "nl", "fr" or "de" (a static string) for text, limited to
 * the languages in allowed (NULL-terminated; NULL allows all four), or
 * NULL when there is too little evidence.  *confidence (may be NULL) gets
 * 0..1. */
const char *lang_detect(const char *text, const char *const *allowed,
			double *confidence);

#endif
