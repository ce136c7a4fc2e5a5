/* pipeline.h — what one intake step works with.
 *
 * The intake stage thread and `intakectl import` each build one of these
 * from the settings in force and their own database connection and OpenPGP
 * context, and hand it to intake_process() and outbox_enqueue().  Every
 * later stage of the conversation (questions, consent, matching) reads
 * what it needs from here, so adding one never changes the signatures of
 * the doors.  Nothing in it is owned by the struct: the caller keeps every
 * reference for as long as the pipeline is used. */
#ifndef INTAKED_PIPELINE_H
#define INTAKED_PIPELINE_H

#include "config.h"
#include "store.h"
#include "templates.h"

struct crypto;
struct providers;
struct questionnaire;

struct pipeline {
	struct store *store;
	const struct config *config;
	const struct templates *templates;
	/* NULL when the configuration names no questionnaire: no questions
	 * are asked and no fields are extracted beyond the sender's. */
	const struct questionnaire *questionnaire;
	/* NULL when OpenPGP is off (no crypto.key_fingerprint). */
	struct crypto *crypto;
	/* NULL when the configuration names no providers.conf: support
	 * cases are then handed to staff instead of matched. */
	const struct providers *providers;
};

#endif
