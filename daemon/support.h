/* support.h — the support half of a case (docs/providers.md): after the
 * questionnaire is complete the case is qualified; an incident stays with
 * the CERT, a request for support goes, only with the requester's
 * consent, to volunteer providers (introduce.h).
 *
 * Case states after "complete":
 *   incident          the CERT keeps it; staff were told
 *   awaiting_consent  a consent request went to the requester
 *   consent_refused   the requester said no; the CERT keeps it
 *   matching          providers were introduced; no one accepted yet
 *   in_progress       a provider accepted
 *   unmatched         no provider is left for the case's needs; staff
 *   consent_withdrawn the requester withdrew; providers were told
 *   mediation         the follow-up found a problem; staff mediate
 *   resolved          the follow-up said help arrived and was good
 *
 * Consent counts only from the case's requester address, and only when
 * the mail proves it answers our request: its In-Reply-To or References
 * carry the token of one of our consent requests of the case, or it is
 * signed by the key pinned to the requester.  Any other consent-like mail
 * is a rejected attempt: recorded, flagged to staff, nothing changes.
 *
 * Every mail these steps send is bounded by the case's state machine
 * (one consent request per ask, at most support.max_consent_asks; one
 * introduction per provider; one follow-up), so none of them can loop and
 * they are not held to the per-hour reply limit.
 *
 * All functions run inside the caller's transaction except support_due()
 * and the staff actions, which take their own. */
#ifndef INTAKED_SUPPORT_H
#define INTAKED_SUPPORT_H

#include <gmime/gmime.h>

#include "mime.h"
#include "pipeline.h"
#include "qualify.h"
#include "store.h"
#include "template.h"

#define CASE_STATE_INCIDENT	    "incident"
#define CASE_STATE_AWAITING_CONSENT "awaiting_consent"
#define CASE_STATE_CONSENT_REFUSED  "consent_refused"
#define CASE_STATE_MATCHING	    "matching"
#define CASE_STATE_IN_PROGRESS	    "in_progress"
#define CASE_STATE_UNMATCHED	    "unmatched"
#define CASE_STATE_WITHDRAWN	    "consent_withdrawn"
#define CASE_STATE_MEDIATION	    "mediation"
#define CASE_STATE_RESOLVED	    "resolved"

/* An incoming reply on a case, with what the intake step learnt. */
struct support_mail {
	const struct store_message *message;
	GMimeMessage *mime; /* the cleartext tree */
	const struct mime_summary *summary;
	const char *thread_by; /* token, reference, tag */
	/* The fingerprint of a valid signature on the body, or NULL. */
	const char *signer_fingerprint;
	/* The valid signature is by the key pinned to the sender. */
	gboolean signed_by_pin;
};

/* After a step on case_id (a report, a reply, a timer): a case that is
 * "complete" and not qualified yet is qualified by the rules of
 * providers.conf (built-in rules without one).  An incident notifies
 * staff; a support case gets a consent request; an undecided one is put
 * to staff.  message_id (or 0) is the incoming mail that completed it.
 * *queued (may be NULL) is set TRUE when mail was queued. */
gboolean support_advance(const struct pipeline *pipeline, const char *case_id,
			 gint64 message_id, gboolean *queued, GError **error);

/* A reply joined case c.  When it belongs to the support half (a
 * provider's answer, a consent answer, a withdrawal, an answer to the
 * follow-up, or a consent attempt from someone else) it is handled here
 * and *handled is TRUE; otherwise the questionnaire conversation reads
 * it.  *outbox_id and *queued (may be NULL) tell what was queued. */
gboolean support_read_reply(const struct pipeline *pipeline,
			    const struct store_case *c,
			    const struct support_mail *mail, gboolean *handled,
			    gint64 *outbox_id, gboolean *queued,
			    GError **error);

/* Staff decide (`intakectl case qualify`): incident, or support (a
 * consent request goes out unless consent is already given).  staff names
 * who did it.  Own transaction. */
gboolean support_qualify_by_staff(const struct pipeline *pipeline,
				  const char *case_id,
				  enum qualify_decision decision,
				  const char *staff, gboolean *queued,
				  GError **error);

/* Staff withdraw a consent on the requester's behalf (`intakectl consent
 * withdraw`): as a withdrawal by mail, the providers introduced are
 * told.  Own transaction. */
gboolean support_withdraw_by_staff(const struct pipeline *pipeline,
				   const char *case_id, const char *staff,
				   gboolean *queued, GError **error);

/* The timers: introductions past support.answer_deadline are expired and
 * the next candidate introduced; follow-ups falling due are sent.  One
 * transaction.  Returns how many mails were queued, or -1 with error;
 * *next_due (may be NULL) is when the next one falls due (0: none). */
int support_due(const struct pipeline *pipeline, gint64 now, gint64 *next_due,
		GError **error);

/* Queues a note to staff about c (kind staff_incident or
 * staff_attention, with the case's priority now) and records it as
 * event_type (staff-note.h), inside the caller's transaction.  from and
 * excerpt (may be NULL) are the mail concerned. */
gboolean support_note_staff(const struct pipeline *pipeline,
			    const struct store_case *c, const char *kind,
			    const char *event_type, gint64 message_id,
			    const char *reason, const char *from,
			    const char *excerpt, gboolean *queued,
			    GError **error);

/* The variables support_preview() sets (NULL-terminated). */
extern const char *const support_preview_variables[];

/* For `intakectl template render`: fills context as the support mails of
 * case c would see it: "shared" (the fields a consent covers, labelled),
 * "needs", "providers" (introduced, else the ones matching would pick),
 * provider_name, deadline, declined, was_declined, no_answer,
 * has_providers, has_uncovered, uncovered, again, excerpt and priority.
 * *provider_address (may be NULL) is where a provider mail would go (a
 * new string, or NULL when no provider is known). */
gboolean support_preview(const struct pipeline *pipeline,
			 const struct store_case *c, const char *lang,
			 struct template_context *context,
			 char **provider_address, GError **error);

/* The priority of a case now, from its fields (qualify_case()). */
int support_priority(const struct pipeline *pipeline,
		     const struct store_case *c, gint64 now, GError **error);

#endif
