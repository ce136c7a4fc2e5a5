/* casetag.h — case tags in subjects and case tokens in Message-IDs.
 *
 * A case id is "YYYY-NNNN" (at least four digits of sequence).  Its tag in
 * a subject is "[PREFIX-YYYY-NNNN]".  Every Message-ID we send carries an
 * HMAC-SHA256 token over the case id and outbox id, so a reply's
 * In-Reply-To/References proves which case it answers; a subject tag alone
 * can be forged by anyone.  Pure. */
#ifndef INTAKED_CASETAG_H
#define INTAKED_CASETAG_H

#include <glib.h>

/* "CERT" + "2026-0042" -> "CERT-2026-0042".  Caller frees. */
char *casetag_format(const char *prefix, const char *case_id);

/* Finds "[PREFIX-YYYY-NNNN]" in subject (case-insensitive prefix, also
 * after Re:/Fwd:/AW:/TR:/Antw: and with spaces inside the brackets).
 * A bare "PREFIX-YYYY-NNNN" also counts when no letter, digit, '-' or '_'
 * touches it; a bracketed tag wins over an earlier bare one.  Year is
 * 2000..2999, sequence 4..8 digits.
 * Returns the case id ("2026-0042") or NULL.  Caller frees. */
char *casetag_find(const char *subject, const char *prefix);

/* TRUE when case_id has the form YYYY-NNNN. */
gboolean casetag_is_case_id(const char *case_id);

/* The Message-ID (without <>) for outbox entry outbox_id of case_id:
 * "intaked.CASEID.OUTBOXID.TOKEN@domain"; case_id NULL gives "none".
 * Caller frees. */
char *casetag_message_id(GBytes *secret, const char *case_id, gint64 outbox_id,
			 const char *domain);

/* Verifies a Message-ID made by casetag_message_id() with secret and
 * domain.  On success returns TRUE and sets *case_id (caller frees; NULL
 * for "none") and *outbox_id. */
gboolean casetag_verify_message_id(GBytes *secret, const char *message_id,
				   const char *domain, char **case_id,
				   gint64 *outbox_id);

/* The outbox ids of case_id that in_reply_to (may be NULL) and then
 * references (char*, may be NULL) name with a valid token, in that
 * order: proof of which of our mails a reply answers.  Returns a new
 * array of gint64 (maybe empty). */
GArray *casetag_referenced_outboxes(GBytes *secret, const char *domain,
				    const char *case_id,
				    const char *in_reply_to,
				    const GPtrArray *references);

#endif
