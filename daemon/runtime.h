/* runtime.h — the configuration, templates, questionnaire and provider
 * registry in force, swapped whole on SIGHUP.
 *
 * Stages take a reference to both at the start of each unit of work and
 * drop it at the end, so a reload never changes settings under a step in
 * progress and a broken edit never replaces a working pair. */
#ifndef INTAKED_RUNTIME_H
#define INTAKED_RUNTIME_H

#include "config.h"
#include "providers.h"
#include "questionnaire.h"
#include "templates.h"

struct runtime;

/* Takes over the caller's references to config, templates,
 * questionnaire and providers (each of the last two NULL when the
 * configuration names none). */
struct runtime *runtime_new(struct config *config, struct templates *templates,
			    struct questionnaire *questionnaire,
			    struct providers *providers);
void runtime_free(struct runtime **runtime);

/* New references to the pair in force; drop them with config_unref() and
 * templates_unref(). */
void runtime_acquire(struct runtime *runtime, struct config **config,
		     struct templates **templates);
/* A new reference to the questionnaire in force, or NULL when none is
 * configured; drop it with questionnaire_unref(). */
struct questionnaire *runtime_questionnaire(struct runtime *runtime);
/* A new reference to the provider registry in force, or NULL when none
 * is configured; drop it with providers_unref(). */
struct providers *runtime_providers(struct runtime *runtime);
/* Puts a new set in force (takes over the references). */
void runtime_replace(struct runtime *runtime, struct config *config,
		     struct templates *templates,
		     struct questionnaire *questionnaire,
		     struct providers *providers);

#endif
