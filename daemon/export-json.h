/* export-json.h — the JSON that `intakectl ... --json` prints.
 *
 * These shapes are a stable contract documented in docs/json.md: scripts
 * of CERT staff read them.  Add keys, never rename or remove one.
 * Conventions: times are ISO 8601 UTC strings ("2026-11-22T13:05:09Z"),
 * an unknown value (a NULL string, a time or id of 0) is JSON null, ids of
 * stored messages and outbox entries are integers, case ids are strings.
 * Output is UTF-8; json-glib escapes control characters in strings.
 *
 * The builder functions append one value to a JsonBuilder (an object, or
 * an array), so callers can place them as members or array elements. */
#ifndef INTAKED_EXPORT_JSON_H
#define INTAKED_EXPORT_JSON_H

#include <json-glib/json-glib.h>

#include "store.h"

struct export_json_support;

/* "2026-11-22T13:05:09Z" for unix_time; NULL for 0.  Caller frees. */
char *export_json_time(gint64 unix_time);

/* fields (struct store_field*) as an object keyed by field name:
 * {FIELD: {"value","source","confidence","message","excerpt","updated"}}.
 * fields may be NULL (an empty object). */
void export_json_fields(JsonBuilder *builder, const GPtrArray *fields);

/* A case as listed by `intakectl cases --json`:
 * {"id","state","language","requester":{"address","name"},"subject",
 *  "created","updated","fields"}. */
void export_json_case(JsonBuilder *builder, const struct store_case *c,
		      const GPtrArray *fields);
/* The same with "priority" (the case's priority now), as `intakectl
 * cases --json` lists it. */
void export_json_case_listed(JsonBuilder *builder, const struct store_case *c,
			     const GPtrArray *fields, int priority);

/* A case as shown by `intakectl case show ID --json`: the keys of
 * export_json_case() plus
 *   "messages": incoming (struct store_message*) and outgoing
 *     (struct store_outbox*) mail merged by time, oldest first:
 *     {"direction":"in"|"out","id","message_id","from","to","subject",
 *      "kind","state","time"}, and for incoming mail "crypto": null or
 *     the OpenPGP summary {"encrypted","decrypted","decrypt_error",
 *     "signed","signature","signer","signer_pinned","protected_subject",
 *     "keys":[...],"parts":[...]} (docs/json.md);
 *   "events": the timeline (struct store_event*), oldest first:
 *     {"time","type","message","outbox","detail"}.
 * Any array may be NULL (empty). */
void export_json_case_detail(JsonBuilder *builder, const struct store_case *c,
			     const GPtrArray *fields, const GPtrArray *messages,
			     const GPtrArray *outbox, const GPtrArray *events);

/* The same as export_json_case_detail() plus the conversation:
 *   "rounds": the mails that asked questions, oldest first:
 *     {"round","kind","outbox","asked","questions":[{"number","field",
 *      "question","required"}]} (struct store_round* with questions);
 *   "missing": the required fields still without an answer (ids).
 * rounds and missing may be NULL (empty).  With support (may be NULL),
 * the members of export_json_support_members() too. */
void export_json_case_conversation(
	JsonBuilder *builder, const struct store_case *c,
	const GPtrArray *fields, const GPtrArray *messages,
	const GPtrArray *outbox, const GPtrArray *events,
	const GPtrArray *rounds, const char *const *missing,
	const struct export_json_support *support);

/* The support half of a case (all may be NULL: not there yet). */
struct export_json_support {
	const struct store_qualification *qualification;
	const struct store_consent *consent;
	const GPtrArray *introductions; /* struct store_introduction* */
	int priority;			/* now, from the fields */
};

/* Appends to the object being built the members
 *   "priority": an integer;
 *   "qualification": null or {"decision","by","reason","priority",
 *     "time","followup_outbox"};
 *   "consent": null or {"state","request_outbox","asks","fields":[...],
 *     "needs":[...],"requested","answered","message","answered_by",
 *     "proof","excerpt","withdrawn","withdrawn_by"};
 *   "introductions": [{"provider","address","needs":[...],"state",
 *     "outbox","introduced","deadline","answered","message","excerpt"}].
 * Call between json_builder_begin_object() and its end, e.g. through
 * export_json_case_conversation(). */
void export_json_support_members(JsonBuilder *builder,
				 const struct export_json_support *support);

/* An outbox entry as listed by `intakectl outbox --json`:
 * {"id","case","kind","state","attempts","next_attempt","message_id",
 *  "to","subject","last_error","created","sent"}.  next_attempt is null
 * unless the entry is queued (it is stale once sent or failed). */
void export_json_outbox(JsonBuilder *builder, const struct store_outbox *entry);

/* A requester's key as listed by `intakectl keys --json`:
 * {"address","fingerprint","state","source","first_seen","last_seen",
 *  "kind":"requester","provider":null}. */
void export_json_key(JsonBuilder *builder, const struct store_key *key);
/* A provider's key from providers.conf, the same shape with
 * "kind":"provider" and "provider" its id; state "usable" (in the CERT
 * keyring and good for encryption), "missing" (not there, or expired or
 * revoked: introductions go out signed only, or are held) or
 * "unchecked" (OpenPGP is off). */
void export_json_provider_key(JsonBuilder *builder, const struct store_key *key,
			      const char *provider_id);

/* The builder's root, pretty-printed with two-space indents and a final
 * newline.  Caller frees. */
char *export_json_to_string(JsonBuilder *builder);

#endif
