/* consent.h — reading a requester's answer to "may we pass your request
 * to a volunteer provider?".  Pure.
 *
 * Consent is never assumed: only a plain yes is CONSENT_YES.  A yes with
 * a condition ("yes but not the phone number"), a deferral ("first ask
 * our DPO", "eerst onze FG vragen", "je dois d'abord demander au DPO"), a
 * question, a yes next to a no, or no answer at all are CONSENT_UNCLEAR:
 * ask again.  Knows en, nl, fr and de. */
#ifndef INTAKED_CONSENT_H
#define INTAKED_CONSENT_H

#include <glib.h>

/* Characters of the excerpt kept for the case timeline. */
#define CONSENT_EXCERPT_MAX_CHARS 200

enum consent_answer {
	CONSENT_UNCLEAR,
	CONSENT_YES,
	CONSENT_NO,
};

struct consent_result {
	enum consent_answer answer;
	/* Why, for logs and the timeline (a static string): "yes", "no",
	 * "condition" (a condition, deferral or partial yes), "question",
	 * "mixed" (yes and no), "empty", "no_answer" (text, but neither yes
	 * nor no), "withdrawal" (an explicit withdrawal of consent, see
	 * consent_is_withdrawal(): always CONSENT_NO, never a yes, even
	 * though "withdraw consent" names the consent). */
	const char *reason;
	/* The line that decided, as written, at most
	 * CONSENT_EXCERPT_MAX_CHARS characters; NULL for "empty" and
	 * "no_answer". */
	char *excerpt;
	/* "en", "nl", "fr", "de" (static), or NULL when it cannot be told:
	 * ask again in the case's language then. */
	const char *language;
	gboolean truncated; /* the text was longer than was examined */
};

/* "unclear", "yes", "no" (static). */
const char *consent_answer_name(enum consent_answer answer);

/* Reads fresh, the requester's own new words (quote_result.fresh).
 * fresh NULL is empty.  Never fails; returns a new result, free it with
 * consent_result_free(). */
struct consent_result *consent_parse(const char *fresh);

/* Same for a whole reply body: quote_parse(body, subject) first, so that
 * our question quoted below the answer never counts. */
struct consent_result *consent_parse_reply(const char *body,
					   const char *subject);

/* Whether fresh (the requester's own new words) explicitly withdraws
 * consent given earlier: "we withdraw our consent", "toestemming
 * intrekken", "je retire mon consentement", "Einwilligung widerrufen".
 * FALSE for a negated withdrawal ("do not withdraw consent", "nicht
 * widerrufen"), for one asked about on a line with a question mark ("how
 * do we withdraw consent?"), for a plain "no" and for anything else.
 * Knows en, nl, fr and de; fresh NULL is empty.  Never fails. */
gboolean consent_is_withdrawal(const char *fresh);

/* Same for a whole reply body: quote_parse(body, subject) first, so that
 * our own instructions quoted below ("reply 'withdraw consent'") never
 * count. */
gboolean consent_is_withdrawal_reply(const char *body, const char *subject);

void consent_result_free(struct consent_result *result);
typedef struct consent_result ConsentResult;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ConsentResult, consent_result_free)

#endif
