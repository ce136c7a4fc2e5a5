/* provider-add.h — adding a provider to providers.conf text, for
 * `intakectl provider add`.  Pure: text in, text out.
 *
 * The file is the operator's, with their comments and layout: the new
 * provider is written as one libconfig group and inserted after the last
 * group of the top-level "providers" list (or a new list is appended),
 * and nothing else of the text changes.  The caller loads the result
 * (providers_load_string()) before it writes it, so a provider that does
 * not validate (an unknown service, an id used twice) never reaches the
 * file. */
#ifndef INTAKED_PROVIDER_ADD_H
#define INTAKED_PROVIDER_ADD_H

#include <glib.h>

/* A provider as given on the command line; NULL / 0 leaves a key out. */
struct provider_new {
	const char *id;
	const char *name;
	const char *const *contacts;  /* at least one */
	const char *const *services;  /* need values */
	const char *const *regions;   /* "*", "BE", "BE-VOV", "BE-9000-9999" */
	const char *const *languages; /* "en", "nl", "fr", "de" */
	int max_open_cases;
	int pledged_hours;
	const char *fingerprint;
	const char *timezone;
	const char *const *on_call; /* "Mon-Fri 08:00-18:00" */
	const char *offer;
	const char *const *domains;
	gboolean paused;
};

/* Returns text with p added, or NULL with error when text cannot be
 * edited safely (an unterminated string or comment, a "providers"
 * setting that is not a list) or a value holds a control character.
 * Caller frees. */
char *provider_add_to_text(const char *text, const struct provider_new *p,
			   GError **error);

#endif
