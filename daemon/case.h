/* case.h — the case domain shared by the intake pipeline and intakectl. */
#ifndef INTAKED_CASE_H
#define INTAKED_CASE_H

#include "config.h"
#include "store.h"
#include "template.h"

/* The template variables describing case c for a reply (case_id,
 * case_tag, requester_name, requester_address, original_subject,
 * received_at, language).  trigger is the incoming message answered (may
 * be NULL).  Returns a new context; free with template_context_free(). */
struct template_context *
case_reply_context(const struct config *config, const struct store_case *c,
		   const struct store_message *trigger);

#endif
