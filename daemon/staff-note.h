/* staff-note.h — notes to CERT staff about a case of the support half
 * (kinds staff_incident and staff_attention, docs/templates.md).
 *
 * The note lists what the case knows, its priority and why a person is
 * needed.  Without identity.staff_address nothing is mailed; the timeline
 * event is written either way, so `intakectl case show` tells it. */
#ifndef INTAKED_STAFF_NOTE_H
#define INTAKED_STAFF_NOTE_H

#include "pipeline.h"
#include "store.h"

struct staff_note {
	const char *kind;	  /* staff_incident or staff_attention */
	const char *event_type;	  /* the timeline event, e.g. "staff_flag" */
	const char *reason;	  /* why, one line */
	gint64 message_id;	  /* the incoming mail concerned, or 0 */
	const char *from_address; /* its sender, or NULL */
	const char *excerpt;	  /* its words that matter, or NULL */
	int priority;
};

/* Records note on c's timeline and queues it to staff, inside the
 * caller's transaction.  *queued (may be NULL) is set TRUE when mail was
 * queued. */
gboolean staff_note_queue(const struct pipeline *pipeline,
			  const struct store_case *c,
			  const struct staff_note *note, gboolean *queued,
			  GError **error);

#endif
