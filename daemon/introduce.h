/* introduce.h — matching a consented case to providers and introducing
 * both sides by mail; reading the providers' answers (docs/providers.md).
 *
 * An introduction carries only the fields the consent covers, goes to
 * the provider's first contact address, encrypted to the provider's key
 * when providers.conf names one, and has the case token in its
 * Message-ID.  A provider's answer counts only from one of its registered
 * addresses (or signed by its key) and only when it references that
 * introduction's token: anything else is a rejected attempt for staff.
 * A decline, or no answer by support.answer_deadline, introduces the next
 * candidate for the same needs and tells the requester.
 *
 * Everything runs inside the caller's transaction. */
#ifndef INTAKED_INTRODUCE_H
#define INTAKED_INTRODUCE_H

#include "match.h"
#include "pipeline.h"
#include "store.h"
#include "support.h"

/* field id -> value (both owned) of the case's non-empty fields.  Free
 * with g_hash_table_unref(). */
GHashTable *introduce_field_values(const GPtrArray *fields);

/* The state of every provider of the registry for case_id (may be NULL:
 * none in particular), in registry order, from the database: open cases,
 * pauses, last introduction, and whether it was introduced to or
 * declined case_id.  Returns a new array of providers_count() entries
 * (g_free), or NULL with error. */
struct match_state *introduce_states(struct store *store,
				     const struct providers *providers,
				     const char *case_id, GError **error);

/* Matches case c against the registry as introduce_case() would (for
 * `intakectl match`): nothing is written.  Returns a new result, or NULL
 * with error.  *match_case_text (may be NULL) describes the case as
 * matching saw it ("needs=forensics country=BE ..."; caller frees). */
struct match_result *introduce_match(const struct pipeline *pipeline,
				     const struct store_case *c,
				     char **match_case_text, GError **error);

/* Consent was given for c: introduces the selected providers and tells
 * the requester.  message_id is the consenting mail (0: staff). */
gboolean introduce_case(const struct pipeline *pipeline,
			const struct store_case *c, gint64 message_id,
			gboolean *queued, GError **error);

/* Introduction intro ended without help (declined or expired, as reason
 * says: "declined" or "no_answer"): introduces the next candidate for its
 * needs and tells the requester; with none left, staff. */
gboolean introduce_replace(const struct pipeline *pipeline,
			   const struct store_case *c,
			   const struct store_introduction *intro,
			   const char *reason, gint64 message_id,
			   gboolean *queued, GError **error);

/* The introduction mail outbox_id bounced for good: the provider cannot
 * be reached, so the introduction expires at once and the next
 * candidate is introduced (as after a missed deadline).  No-op when
 * outbox_id is no introduction or it was answered already. */
gboolean introduce_bounced(const struct pipeline *pipeline, gint64 outbox_id,
			   gint64 message_id, gboolean *queued, GError **error);

/* The provider whose contacts include address (case-insensitive), or
 * NULL.  Borrowed from the registry. */
const struct provider *
introduce_provider_by_address(const struct providers *providers,
			      const char *address);

/* A mail from provider (one of its contacts) joined case c: an answer to
 * its introduction, or a rejected attempt. */
gboolean introduce_read_answer(const struct pipeline *pipeline,
			       const struct store_case *c,
			       const struct provider *provider,
			       const struct support_mail *mail,
			       gboolean *queued, GError **error);

/* Consent for c was withdrawn: every introduction still open becomes
 * "withdrawn" and its provider is told.  *providers_told (may be NULL)
 * gets the names told (char*, owned; caller unrefs). */
gboolean introduce_withdraw(const struct pipeline *pipeline,
			    const struct store_case *c,
			    GPtrArray **providers_told, gboolean *queued,
			    GError **error);

#endif
