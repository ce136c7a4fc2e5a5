/* intakectl-provider.h — `intakectl providers` and `intakectl provider
 * show ID`: the provider registry in text and JSON (docs/providers.md,
 * docs/json.md).
 *
 * These print what providers.conf says, and, when the caller passes the
 * providers' state from the database (struct match_state, one per
 * provider in registry order, or NULL), their load and pause.  They open
 * nothing: the caller loads the registry and hooks them into intakectl's
 * command table. */
#ifndef INTAKED_INTAKECTL_PROVIDER_H
#define INTAKED_INTAKECTL_PROVIDER_H

#include <stdio.h>
#include <json-glib/json-glib.h>

#include "match.h"
#include "providers.h"

/* One provider as a JSON object (the shape is in docs/json.md).  state
 * may be NULL; now (Unix time) decides "on_call_now". */
void intakectl_provider_json(JsonBuilder *builder,
			     const struct providers *providers,
			     const struct provider *provider,
			     const struct match_state *state, gint64 now);

/* Prints every provider to out: a table, or with json an array of the
 * objects above.  states may be NULL.  Returns 0 (EXIT_SUCCESS). */
int intakectl_provider_list(FILE *out, const struct providers *providers,
			    const struct match_state *states, gboolean json,
			    gint64 now);

/* Prints the provider called id to out, every key on its own line, or
 * with json the object above.  Returns 0, or 1 after printing
 * "intakectl: provider show: no provider 'id' in FILE" to err when there
 * is none. */
int intakectl_provider_show(FILE *out, FILE *err,
			    const struct providers *providers,
			    const struct match_state *states, const char *id,
			    gboolean json, gint64 now);

#endif
