/* store.h — the SQLite database, the hand-off between stages.
 *
 * Only the store module (store*.c) includes <sqlite3.h>.  Each thread opens
 * its own struct store.  The database is WAL, synchronous=FULL, foreign
 * keys on, 0600, versioned with PRAGMA user_version.
 *
 * Message states:  received -> processed
 *                           -> failed      (parse or processing error, kept)
 *                  quarantined             (over a limit; raw may be absent)
 * Outbox states:   queued -> sending -> sent
 *                         -> failed        (5xx, or 4xx past give_up_after)
 *                  sending -> uncertain    (a crash interrupted it)
 *                  uncertain -> sent       (our own copy arrived)
 *                            -> sending    (no copy within the grace time)
 *                  held                    (kept back on purpose)
 * Times are Unix seconds (UTC) in the database; shown as ISO 8601. */
#ifndef INTAKED_STORE_H
#define INTAKED_STORE_H

#include <glib.h>

struct store;

/* Opens (creating 0600 if needed) and migrates the database at path.
 * Returns NULL and sets error ("PATH: what failed") on failure. */
struct store *store_open(const char *path, GError **error);
void store_close(struct store **store);
/* The schema version this build writes. */
int store_schema_version(void);

/* Transactions: BEGIN IMMEDIATE / COMMIT / ROLLBACK.  Multi-row changes of
 * one step go in one transaction. */
gboolean store_begin(struct store *store, GError **error);
gboolean store_commit(struct store *store, GError **error);
void store_rollback(struct store *store);

/* ---- incoming messages ------------------------------------------------ */

struct store_message_new {
	const char *source;	/* "imap" or "import" */
	const char *source_ref; /* mailbox name or file path */
	gint64 uidvalidity;	/* 0 when not from IMAP */
	gint64 uid;		/* 0 when not from IMAP */
	const guint8 *raw;	/* may be NULL for a quarantined message */
	gsize raw_len;
	gint64 size;	   /* RFC822.SIZE or raw_len */
	const char *state; /* "received" or "quarantined" */
	const char *error; /* reason, for quarantined */
};

/* Inserts a message and returns its id.  An IMAP message already stored
 * under the same (mailbox, uidvalidity, uid) is not stored again: its id is
 * returned and *inserted is FALSE.  Computes the SHA-256 of raw. */
gint64 store_message_insert(struct store *store,
			    const struct store_message_new *message,
			    gboolean *inserted, GError **error);

/* Inserts messages[0..count) like store_message_insert(), all in one
 * transaction: one commit (one fsync) for the batch instead of one per
 * message.  TRUE when every row is committed, with ids[i] (and, when
 * inserted is not NULL, inserted[i]) for messages[i]; FALSE with error
 * when none is (the transaction is rolled back).  Both arrays have count
 * elements.  Must not be called inside another transaction. */
gboolean store_message_insert_batch(struct store *store,
				    const struct store_message_new *messages,
				    guint count, gint64 *ids,
				    gboolean *inserted, GError **error);

struct store_message {
	gint64 id;
	char *source;
	char *source_ref;
	gint64 uidvalidity;
	gint64 uid;
	GBytes *raw; /* NULL when not stored */
	gint64 size;
	char *sha256;
	char *state;
	char *error;
	char *kind; /* report, reply, auto_reply, bounce, list, ... */
	char *case_id;
	char *message_id;
	char *from_addr;
	char *subject;
	char *language;
	char *thread_by; /* token, tag, or NULL */
	gint64 received_at;
	gint64 processed_at;
	char *crypto; /* JSON summary of the crypto stage, or NULL */
};
void store_message_free(struct store_message *message);
/* For g_autoptr(StoreMessage) only; code names the type struct store_message.
 */
typedef struct store_message StoreMessage;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(StoreMessage, store_message_free)

/* Returns the message (with raw) or NULL with error; caller frees. */
struct store_message *store_message_get(struct store *store, gint64 id,
					GError **error);
/* The state of message id ("received", "processed", ...), without its
 * bytes; NULL with error when there is no such message.  Caller frees. */
char *store_message_state(struct store *store, gint64 id, GError **error);
/* Ids of messages in state "received", oldest first; caller frees. */
GArray *store_messages_pending(struct store *store, GError **error);
/* The same, only ids above after_id and at most limit of them: how the
 * intake stage feeds its read-ahead without re-reading a long backlog. */
GArray *store_messages_pending_after(struct store *store, gint64 after_id,
				     guint limit, GError **error);

/* Records the outcome of processing (inside the caller's transaction). */
struct store_message_result {
	const char *state; /* processed or failed */
	const char *error;
	const char *kind;
	const char *case_id;	/* NULL when not attached to a case */
	const char *message_id; /* Message-ID without <> */
	const char *content_sha256;
	const char *from_addr;
	const char *from_name;
	const char *subject;
	const char *language;
	const char *thread_by;
};
gboolean store_message_set_result(struct store *store, gint64 id,
				  const struct store_message_result *result,
				  GError **error);

/* Id of an earlier processed message with the same Message-ID and content
 * hash (a duplicate delivery), or 0. */
gint64 store_message_find_duplicate(struct store *store, gint64 id,
				    const char *message_id,
				    const char *content_sha256, GError **error);

/* The case of an earlier incoming message with Message-ID message_id sent
 * by from_addr, or NULL (no error) when there is none.  Caller frees. */
char *store_message_case_by_message_id(struct store *store,
				       const char *message_id,
				       const char *from_addr, GError **error);

/* Messages of kind "report" from from_addr received since since, counted
 * up to at_most (a rate limit only needs to know whether it is reached,
 * and a flood must not make the check slower): returns the count or
 * at_most, whichever is smaller; -1 with error. */
int store_count_reports_from(struct store *store, const char *from_addr,
			     gint64 since, int at_most, GError **error);

/* ---- IMAP bookkeeping ------------------------------------------------- */

/* Last processed UID for mailbox under uidvalidity; 0 when none is known
 * or uidvalidity changed. */
gint64 store_imap_last_uid(struct store *store, const char *mailbox,
			   gint64 uidvalidity, GError **error);
gboolean store_imap_set_last_uid(struct store *store, const char *mailbox,
				 gint64 uidvalidity, gint64 uid,
				 GError **error);

/* ---- cases ------------------------------------------------------------ */

struct store_case_new {
	const char *language;
	const char *requester_addr;
	const char *requester_name;
	const char *subject;
	gint64 created_at;
};

/* Creates a case with the next id of created_at's year ("2026-0042") and
 * returns that id (caller frees), or NULL with error. */
char *store_case_create(struct store *store,
			const struct store_case_new *new_case, GError **error);

struct store_case {
	char *id;
	char *state;
	char *language;
	char *requester_addr;
	char *requester_name;
	char *subject;
	gint64 created_at;
	gint64 updated_at;
};
void store_case_free(struct store_case *c);
/* For g_autoptr(StoreCase) only; code names the type struct store_case. */
typedef struct store_case StoreCase;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(StoreCase, store_case_free)

/* NULL with error G_IO_ERROR_NOT_FOUND when there is no such case. */
struct store_case *store_case_get(struct store *store, const char *id,
				  GError **error);
/* Cases, newest first; state NULL for all.  Array of struct store_case*,
 * owning its elements. */
GPtrArray *store_case_list(struct store *store, const char *state,
			   GError **error);
gboolean store_case_set_state(struct store *store, const char *id,
			      const char *state, GError **error);
gboolean store_case_touch(struct store *store, const char *id, gint64 at,
			  GError **error);

struct store_field {
	char *field;
	char *value;
	char *source; /* parser or staff */
	double confidence;
	gint64 message; /* the incoming message it came from, or 0 */
	char *excerpt;
	gint64 updated_at;
};
void store_field_free(struct store_field *field);
/* Fields of a case, by field name; array of struct store_field*. */
GPtrArray *store_case_fields(struct store *store, const char *case_id,
			     GError **error);
/* Sets a field.  A value whose source is "staff" is only replaced by
 * another staff value; a parser value for it is silently dropped. */
gboolean store_case_set_field(struct store *store, const char *case_id,
			      const struct store_field *field, GError **error);

/* ---- timeline --------------------------------------------------------- */

struct store_event {
	gint64 id;
	char *case_id;
	gint64 at;
	char *type;	/* message_in, message_out, created, note, ... */
	gint64 message; /* incoming message id, or 0 */
	gint64 outbox;	/* outbox id, or 0 */
	char *detail;
};
void store_event_free(struct store_event *event);
gboolean store_event_add(struct store *store, const char *case_id,
			 const char *type, gint64 message, gint64 outbox,
			 const char *detail, GError **error);
/* Events of a case, oldest first; array of struct store_event*. */
GPtrArray *store_case_events(struct store *store, const char *case_id,
			     GError **error);
/* Incoming messages of a case, oldest first; struct store_message* without
 * raw. */
GPtrArray *store_case_messages(struct store *store, const char *case_id,
			       GError **error);

/* ---- outbox ----------------------------------------------------------- */

struct store_outbox_new {
	gint64 id;		/* from store_outbox_next_id(), or 0 */
	const char *case_id;	/* may be NULL (notes to staff) */
	const char *kind;	/* ack, staff_note, ... */
	gint64 in_reply_to;	/* incoming message answered, or 0 */
	const char *message_id; /* without <> */
	const char *mail_from;	/* envelope sender */
	const char *rcpt_to;	/* envelope recipients, comma separated */
	const char *subject;
	const guint8 *raw; /* the complete RFC 5322 message, CRLF */
	gsize raw_len;
	const char *state; /* queued or held */
	gint64 created_at;
};
/* Queues a message; returns its id.  An entry of the same kind answering
 * the same incoming message already exists: returns that id and *inserted
 * FALSE, so a re-run step never queues a second reply. */
gint64 store_outbox_insert(struct store *store,
			   const struct store_outbox_new *entry,
			   gboolean *inserted, GError **error);
/* Reserves the next outbox id, so a Message-ID can carry it before the
 * insert (inside the caller's transaction). */
gint64 store_outbox_next_id(struct store *store, GError **error);

struct store_outbox {
	gint64 id;
	char *case_id;
	char *kind;
	gint64 in_reply_to;
	char *message_id;
	char *mail_from;
	char *rcpt_to;
	char *subject;
	GBytes *raw; /* NULL in listings */
	char *state;
	int attempts;
	gint64 next_attempt_at;
	char *last_error;
	gint64 created_at;
	gint64 sent_at;
};
void store_outbox_free(struct store_outbox *entry);
/* For g_autoptr(StoreOutbox) only; code names the type struct store_outbox. */
typedef struct store_outbox StoreOutbox;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(StoreOutbox, store_outbox_free)

/* Takes the queued or uncertain entry due soonest (next_attempt_at <=
 * now) for sending: marks it "sending", counts the attempt, and returns
 * it as changed (attempts includes this one), with raw.  NULL and no
 * error when none is due; NULL with error when the store failed.  No two
 * callers get the same entry. */
struct store_outbox *store_outbox_claim_due(struct store *store, gint64 now,
					    GError **error);
/* Seconds until the next queued entry is due (0 if one is due now), or -1
 * when nothing is queued. */
gint64 store_outbox_seconds_until_due(struct store *store, gint64 now,
				      GError **error);
/* Entries (without raw), newest first; state NULL for all. */
GPtrArray *store_outbox_list(struct store *store, const char *state,
			     GError **error);
/* Outbox entries of a case (without raw), oldest first. */
GPtrArray *store_case_outbox(struct store *store, const char *case_id,
			     GError **error);
struct store_outbox *store_outbox_get(struct store *store, gint64 id,
				      GError **error);
/* The outbox entry whose Message-ID is message_id, or 0. */
gint64 store_outbox_find_by_message_id(struct store *store,
				       const char *message_id, GError **error);

gboolean store_outbox_mark_sent(struct store *store, gint64 id, gint64 now,
				const char *reply, GError **error);
gboolean store_outbox_mark_retry(struct store *store, gint64 id,
				 gint64 next_attempt_at, const char *why,
				 GError **error);
gboolean store_outbox_mark_failed(struct store *store, gint64 id,
				  const char *why, GError **error);
/* Keeps an entry back on purpose (state "held"), with why in last_error:
 * it is never sent and does not count against the reply rate limit. */
gboolean store_outbox_mark_held(struct store *store, gint64 id, const char *why,
				GError **error);
/* Outbox entries of kind for case_id queued since since, or -1 with
 * error. */
int store_count_case_mail(struct store *store, const char *case_id,
			  const char *kind, gint64 since, GError **error);
/* Held entries to rcpt (case-insensitive), with raw, oldest first. */
GPtrArray *store_outbox_held_to(struct store *store, const char *rcpt,
				GError **error);
/* Replaces the bytes of held entry id (now encrypted) and queues it, due
 * at now. */
gboolean store_outbox_release(struct store *store, gint64 id, const guint8 *raw,
			      gsize raw_len, gint64 now, GError **error);
/* Entries left "sending" by a crash may or may not have reached the
 * server: they become "uncertain", due again at retry_at unless our own
 * copy confirms them first.  Returns how many. */
int store_outbox_recover(struct store *store, gint64 retry_at, GError **error);
/* Our own copy of the mail with message_id arrived: an entry still
 * "sending" or "uncertain" is marked sent.  Returns the entry's id when
 * one changed, 0 otherwise (-1 with error). */
gint64 store_outbox_confirm_copy(struct store *store, const char *message_id,
				 gint64 now, GError **error);
/* Automatic replies queued to rcpt since since (for rate limits), counted
 * up to at_most as store_count_reports_from; held entries are not
 * counted. */
int store_count_replies_to(struct store *store, const char *rcpt, gint64 since,
			   int at_most, GError **error);

/* ---- questions asked (store-questions.c) ------------------------------ */

/* One numbered question of an outgoing mail, as it was written. */
struct store_question {
	int number; /* 1.. in the mail */
	char *field;
	char *question; /* the text as sent, in the mail's language */
	gboolean required;
};
void store_question_free(struct store_question *question);

/* A round of the conversation: one outgoing mail that asked questions
 * (kind ack, questions or reminder).  Rounds of a case count 1, 2, ... */
struct store_round {
	char *case_id;
	int round;
	gint64 outbox;
	char *kind;
	gint64 asked_at;
	GPtrArray *questions; /* struct store_question*, by number; NULL in
			       * listings that say so */
};
void store_round_free(struct store_round *round);
typedef struct store_round StoreRound;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(StoreRound, store_round_free)

/* Records round number `round` of case_id: the outbox entry that asks
 * questions (struct store_question*, at least one).  A second round of
 * the same number is an error (the unique key keeps a re-run timer from
 * asking twice). */
gboolean store_round_add(struct store *store, const char *case_id, int round,
			 gint64 outbox, const char *kind, gint64 asked_at,
			 const GPtrArray *questions, GError **error);
/* The number of rounds of case_id (0 when none), or -1 with error. */
int store_round_count(struct store *store, const char *case_id, GError **error);
/* The round asked by outbox entry outbox, or the latest round of case_id
 * when outbox is 0, with its questions; NULL (and no error) when there is
 * none.  Caller frees. */
struct store_round *store_round_get(struct store *store, const char *case_id,
				    gint64 outbox, GError **error);
/* Every round of case_id with its questions, oldest first; array of
 * struct store_round* owning its elements. */
GPtrArray *store_case_rounds(struct store *store, const char *case_id,
			     GError **error);
/* The latest round (without questions) of every case in state "waiting"
 * that has no reply received after that round was asked, oldest first:
 * the cases a reminder or a hand-over may be due for.  Array of struct
 * store_round* owning its elements. */
GPtrArray *store_rounds_unanswered(struct store *store, GError **error);
/* Whether case_id has an event of type: 1 yes, 0 no, -1 with error. */
int store_case_has_event(struct store *store, const char *case_id,
			 const char *type, GError **error);

/* ---- keys ------------------------------------------------------------- */

/* A requester's OpenPGP key as seen for an address.  state: "pinned" (the
 * key trusted for the address), "conflict" (another key seen while one is
 * pinned; staff decide), "superseded" (was pinned, replaced by staff). */
struct store_key {
	char *address;	   /* lower case */
	char *fingerprint; /* upper-case hex */
	gint64 first_seen;
	gint64 last_seen;
	char *state;
	char *source; /* autocrypt, attachment, inline, staff */
};
void store_key_free(struct store_key *key);
typedef struct store_key StoreKey;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(StoreKey, store_key_free)

/* The fingerprint pinned to address, or NULL (no error) when none is.
 * Caller frees. */
char *store_key_pinned(struct store *store, const char *address,
		       GError **error);
/* Records that fingerprint was seen for address at `at` with state
 * ("pinned" or "conflict"); an existing row keeps its first_seen and
 * state unless state is "pinned" and the row is "conflict" (staff chose
 * it).  Pinning a key supersedes the key pinned before. */
gboolean store_key_record(struct store *store, const char *address,
			  const char *fingerprint, const char *state,
			  const char *source, gint64 at, GError **error);
/* Keys of address, or of every address when NULL, pinned first; array of
 * struct store_key*. */
GPtrArray *store_key_list(struct store *store, const char *address,
			  GError **error);
/* Stores the crypto summary (JSON) of an incoming message. */
gboolean store_message_set_crypto(struct store *store, gint64 id,
				  const char *crypto_json, GError **error);
/* The crypto summary of a message, or NULL (no error) when none.  Caller
 * frees. */
char *store_message_get_crypto(struct store *store, gint64 id, GError **error);
/* TRUE when message id, or any incoming message of case_id (may be NULL),
 * arrived encrypted (its crypto summary says so).  FALSE with error when
 * the database failed. */
gboolean store_message_wrote_encrypted(struct store *store, gint64 id,
				       const char *case_id, GError **error);

/* ---- support: qualification, consent, introductions (store-support.c) */

/* How a case was qualified (one row per case, written once by the rules
 * and replaced by staff).  qualification: "undecided", "incident" or
 * "support" (qualify_decision_name()). */
struct store_qualification {
	char *case_id;
	char *qualification;
	char *qualified_by; /* "rules" or "staff:NAME" */
	char *reason;
	int priority;
	gint64 qualified_at;
	gint64 followup_outbox; /* the follow-up mail, or 0 */
};
void store_qualification_free(struct store_qualification *q);
typedef struct store_qualification StoreQualification;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(StoreQualification, store_qualification_free)

/* The qualification of case_id, or NULL (no error) when it has none. */
struct store_qualification *store_qualification_get(struct store *store,
						    const char *case_id,
						    GError **error);
/* Writes (inserts or replaces) the qualification of q->case_id. */
gboolean store_qualification_set(struct store *store,
				 const struct store_qualification *q,
				 GError **error);
/* Records the follow-up mail of case_id. */
gboolean store_qualification_set_followup(struct store *store,
					  const char *case_id, gint64 outbox,
					  GError **error);

/* The requester's consent of a case (at most one record per case).
 * state: "requested" -> "given" | "refused"; "given" -> "withdrawn". */
struct store_consent {
	gint64 id;
	char *case_id;
	char *state;
	gint64 request_outbox; /* the latest consent request mail */
	int asks;	       /* consent requests sent */
	char *fields;	       /* field ids covered, comma separated */
	/* The values the request showed, a JSON object field -> value: an
	 * introduction carries these, not what the case says later. */
	char *shared_values;
	char *needs; /* the needs (provider services) covered */
	gint64 requested_at;
	gint64 answered_at;  /* 0: not yet */
	gint64 message;	     /* the answering incoming message, or 0 */
	char *answered_by;   /* the address (or staff:NAME) */
	char *proof;	     /* "token", "signature" or "staff" */
	char *excerpt;	     /* the words that decided */
	gint64 withdrawn_at; /* 0: not withdrawn */
	char *withdrawn_by;
};
void store_consent_free(struct store_consent *consent);
typedef struct store_consent StoreConsent;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(StoreConsent, store_consent_free)

/* The consent record of case_id, or NULL (no error) when none. */
struct store_consent *store_consent_get(struct store *store,
					const char *case_id, GError **error);
/* A consent request mail (outbox entry request_outbox) went out for
 * case_id covering fields and needs: creates the record in state
 * "requested", or points an existing one at the new request, counts the
 * ask and, when it was refused or withdrawn, asks afresh. */
gboolean store_consent_requested(struct store *store, const char *case_id,
				 gint64 request_outbox, const char *fields,
				 const char *shared_values, const char *needs,
				 gint64 at, GError **error);
/* The answer: state "given" or "refused", from message (0 for staff) by
 * answered_by with proof and excerpt. */
gboolean store_consent_answer(struct store *store, const char *case_id,
			      const char *state, gint64 message,
			      const char *answered_by, const char *proof,
			      const char *excerpt, gint64 at, GError **error);
/* The consent records still "requested" on cases in state
 * "awaiting_consent", oldest first; array of struct store_consent*. */
GPtrArray *store_consents_waiting(struct store *store, GError **error);
/* Consent withdrawn by withdrawn_by at at. */
gboolean store_consent_withdraw(struct store *store, const char *case_id,
				const char *withdrawn_by, gint64 at,
				GError **error);

/* One provider introduced to a case.  state: "introduced" -> "accepted" |
 * "declined" | "expired" (no answer by deadline_at); any -> "withdrawn"
 * (consent withdrawn). */
struct store_introduction {
	gint64 id;
	char *case_id;
	char *provider; /* provider id in providers.conf */
	char *address;	/* where the introduction went */
	char *needs;	/* the needs asked of this provider */
	char *state;
	gint64 outbox; /* the introduction mail */
	gint64 introduced_at;
	gint64 deadline_at;
	gint64 answered_at;
	gint64 message; /* the provider's answer, or 0 */
	char *excerpt;
};
void store_introduction_free(struct store_introduction *intro);
typedef struct store_introduction StoreIntroduction;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(StoreIntroduction, store_introduction_free)

/* Records an introduction in state "introduced"; returns its id.  A
 * provider is introduced to a case at most once (a second insert is an
 * error). */
gint64 store_introduction_add(struct store *store,
			      const struct store_introduction *intro,
			      GError **error);
/* Sets the state of introduction id, with the answering message (0: none)
 * and excerpt (may be NULL). */
gboolean store_introduction_set_state(struct store *store, gint64 id,
				      const char *state, gint64 message,
				      const char *excerpt, gint64 at,
				      GError **error);
/* Introductions of case_id, oldest first; array of struct
 * store_introduction* owning its elements. */
GPtrArray *store_case_introductions(struct store *store, const char *case_id,
				    GError **error);
/* The introduction of provider to case_id, or NULL (no error). */
struct store_introduction *store_introduction_find(struct store *store,
						   const char *case_id,
						   const char *provider,
						   GError **error);
/* The introduction whose mail is outbox entry outbox, or NULL (no
 * error) when there is none. */
struct store_introduction *store_introduction_by_outbox(struct store *store,
							gint64 outbox,
							GError **error);
/* Introductions still "introduced" whose deadline is at or before now,
 * oldest first; *next_deadline (may be NULL) is the earliest deadline
 * after now (0: none). */
GPtrArray *store_introductions_expired(struct store *store, gint64 now,
				       gint64 *next_deadline, GError **error);
/* The first accepted introduction of every case in state "in_progress"
 * that got no follow-up mail yet, oldest acceptance first: the cases a
 * follow-up may be due for.  Array of struct store_introduction*. */
GPtrArray *store_followups_pending(struct store *store, GError **error);

/* Ids (char*, owned) of the cases in state "complete" that have no
 * qualification yet, oldest first. */
GPtrArray *store_cases_unqualified(struct store *store, GError **error);

/* What the database knows about a provider, for matching. */
struct store_provider_state {
	int open_cases;		/* introduced or accepted, consent in force */
	int hours_used;		/* expert hours recorded by staff */
	gboolean paused;	/* paused from intakectl */
	gint64 last_introduced; /* 0: never */
	char *paused_by;	/* NULL unless paused */
	char *pause_reason;
	gint64 paused_at;
};
void store_provider_state_free(struct store_provider_state *state);
/* provider id -> struct store_provider_state* for every provider the
 * database knows anything about.  Free with g_hash_table_unref(). */
GHashTable *store_provider_states(struct store *store, GError **error);
/* Records hours (> 0) of expert time provider spent (on case_id, may be
 * NULL), as staff learnt it; they count against its pledged hours. */
gboolean store_provider_add_hours(struct store *store, const char *provider,
				  const char *case_id, int hours,
				  const char *by, gint64 at, GError **error);
/* Pauses (reason, by) or resumes (pause FALSE) a provider. */
gboolean store_provider_pause(struct store *store, const char *provider,
			      gboolean pause, const char *by,
			      const char *reason, gint64 at, GError **error);

#endif
