/* intake-pgp.h — the OpenPGP stage of one intake step.
 *
 * intake.c calls it in this order:
 *   intake_pgp_strip_claims()  right after parsing: headers of ours that
 *                              arrive from outside are dropped (the loop
 *                              header stays: classify.c and the own-copy
 *                              check rely on it, with its Message-ID proof);
 *   intake_pgp_decrypt()       before the transaction, for mail that is to
 *                              be answered: decrypts and verifies in place
 *                              and applies the protected Subject;
 *   intake_pgp_apply()         inside it: pins or flags the sender's keys
 *                              and stores the crypto summary;
 *   intake_pgp_record()        once the case is known: its timeline gets
 *                              what happened (decrypted, undecryptable, key
 *                              pinned, key conflict) and a key conflict
 *                              sends a note to staff.
 * Without a crypto context (OpenPGP off) every call is a no-op. */
#ifndef INTAKED_INTAKE_PGP_H
#define INTAKED_INTAKE_PGP_H

#include <gmime/gmime.h>

#include "crypto.h"
#include "mime.h"
#include "pipeline.h"

struct intake_pgp {
	gboolean ran; /* intake_pgp_decrypt() ran: result is filled */
	char *sender; /* the From address, lower case, or NULL */
	gint64 received_at;
	char *message_id;      /* of the message, for threading a reply */
	GPtrArray *references; /* its References (char*), owned */
	struct crypto_result result;
	char *pinned_before;  /* key pinned to the sender before, or NULL */
	char *pinned_now;     /* a key this message pinned, or NULL */
	GPtrArray *conflicts; /* char* fingerprints other than the pin */
	guint stripped;	      /* our headers dropped from the message */
};

void intake_pgp_init(struct intake_pgp *pgp);
void intake_pgp_clear(struct intake_pgp *pgp);

/* Removes every X-Intaked-* header but the loop header from the message
 * headers.  Returns how many were removed. */
guint intake_pgp_strip_claims(GMimeMessage *message);

/* Decrypts and verifies message (which becomes the cleartext tree; the
 * stored raw bytes stay as they came), imports the keys it brings into
 * the GnuPG home, and sets summary->subject to the protected Subject
 * when there is one.  Touches the database only to read the key pinned
 * to the sender, so it runs before the step's transaction: gpg's tens of
 * milliseconds do not hold the write lock.  FALSE only when the database
 * or gpg itself failed. */
gboolean intake_pgp_decrypt(struct intake_pgp *pgp,
			    const struct pipeline *pipeline,
			    GMimeMessage *message, struct mime_summary *summary,
			    GError **error);

/* Inside the transaction, for incoming message id: pins or flags the
 * sender's keys and stores the crypto summary in messages.crypto.  No-op
 * when intake_pgp_decrypt() did not run. */
gboolean intake_pgp_apply(struct intake_pgp *pgp,
			  const struct pipeline *pipeline, gint64 id,
			  gint64 received_at, GError **error);

/* TRUE when the message was encrypted and could not be decrypted: it must
 * not be answered with anything that depends on its content. */
gboolean intake_pgp_undecryptable(const struct intake_pgp *pgp);

/* Records on case_id's timeline what the crypto stage found for message
 * id, and queues a note to staff about a key conflict.  An undecryptable
 * message that got no reply yet (answered FALSE: a reply on an existing
 * case) gets a key request, under the reply rate limit.  *queued is set
 * TRUE when mail was queued.  No-op when intake_pgp_decrypt() did not
 * run. */
gboolean intake_pgp_record(struct intake_pgp *pgp,
			   const struct pipeline *pipeline, gint64 id,
			   const char *case_id, gboolean answered,
			   gboolean *queued, GError **error);

#endif
