/* intakectl-support.h — the support half of a case for people and
 * scripts: the "Support" section of `intakectl case show` and the output
 * of `intakectl match ID` (docs/providers.md, docs/json.md).  They open
 * nothing; intakectl.c gathers what they print. */
#ifndef INTAKED_INTAKECTL_SUPPORT_H
#define INTAKED_INTAKECTL_SUPPORT_H

#include <stdio.h>

#include "export-json.h"
#include "match.h"
#include "providers.h"

/* Prints qualification, priority, consent and introductions to out.
 * Text that came in mail (excerpts) is printed with control characters
 * replaced. */
void intakectl_support_print(FILE *out,
			     const struct export_json_support *support);

/* Prints the ranked candidates of result with the reasons, the selection
 * and the excluded providers with theirs; case_text says how matching saw
 * the case.  With json: {"case","selection":[ids],"uncovered":[needs],
 * "candidates":[{"provider","score","reasons"}],"excluded":[{"provider",
 * "reason"}]}.  Returns 0. */
int intakectl_match_print(FILE *out, const struct providers *providers,
			  const struct match_result *result,
			  const char *case_text, gboolean json);

#endif
