/* provider-answer.h — reading a provider's answer to an introduction
 * ("can you take this case?").  Pure.
 *
 * Only the provider's fresh words count: the introduction itself is
 * usually quoted below the answer, and it holds the words we look for.
 * An answer with a condition ("only if", "next week maybe"), an accept
 * next to a decline, or nothing recognisable is UNCLEAR: staff look at
 * it.  Knows en, nl, fr and de. */
#ifndef INTAKED_PROVIDER_ANSWER_H
#define INTAKED_PROVIDER_ANSWER_H

#include <glib.h>

#define PROVIDER_ANSWER_EXCERPT_MAX_CHARS 200

enum provider_answer {
	PROVIDER_ANSWER_UNCLEAR,
	PROVIDER_ANSWER_ACCEPT,
	PROVIDER_ANSWER_DECLINE,
};

struct provider_answer_result {
	enum provider_answer answer;
	/* "accept", "decline", "condition", "mixed", "empty", "no_answer"
	 * (a static string). */
	const char *reason;
	/* The line that decided, as written; NULL for "empty" and
	 * "no_answer". */
	char *excerpt;
	const char *language; /* "en", "nl", "fr", "de" or NULL (static) */
	gboolean truncated;
};

/* "unclear", "accept", "decline" (static). */
const char *provider_answer_name(enum provider_answer answer);

/* Reads fresh (quote_result.fresh).  NULL is empty.  Never fails; returns
 * a new result, free it with provider_answer_result_free(). */
struct provider_answer_result *provider_answer_parse(const char *fresh);

/* Same for a whole reply body, split with quote_parse(body, subject). */
struct provider_answer_result *provider_answer_parse_reply(const char *body,
							   const char *subject);

void provider_answer_result_free(struct provider_answer_result *result);
typedef struct provider_answer_result ProviderAnswerResult;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ProviderAnswerResult, provider_answer_result_free)

#endif
