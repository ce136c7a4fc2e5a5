/* runtime.c — the configuration, templates, questionnaire and provider
 * registry in force. */
#include "runtime.h"

struct runtime {
	GMutex lock;
	struct config *config;
	struct templates *templates;
	struct questionnaire *questionnaire; /* may be NULL */
	struct providers *providers;	     /* may be NULL */
};

struct runtime *
runtime_new(struct config *config, struct templates *templates,
	    struct questionnaire *questionnaire, struct providers *providers)
{
	struct runtime *runtime = g_new0(struct runtime, 1);

	g_mutex_init(&runtime->lock);
	runtime->config = config;
	runtime->templates = templates;
	runtime->questionnaire = questionnaire;
	runtime->providers = providers;
	return runtime;
}

void
runtime_free(struct runtime **runtime)
{
	if (*runtime == NULL)
		return;
	config_unref(&(*runtime)->config);
	templates_unref(&(*runtime)->templates);
	questionnaire_unref(&(*runtime)->questionnaire);
	providers_unref(&(*runtime)->providers);
	g_mutex_clear(&(*runtime)->lock);
	g_clear_pointer(runtime, g_free);
}

void
runtime_acquire(struct runtime *runtime, struct config **config,
		struct templates **templates)
{
	g_mutex_lock(&runtime->lock);
	if (config != NULL)
		*config = config_ref(runtime->config);
	if (templates != NULL)
		*templates = templates_ref(runtime->templates);
	g_mutex_unlock(&runtime->lock);
}

struct questionnaire *
runtime_questionnaire(struct runtime *runtime)
{
	struct questionnaire *questionnaire = NULL;

	g_mutex_lock(&runtime->lock);
	if (runtime->questionnaire != NULL)
		questionnaire = questionnaire_ref(runtime->questionnaire);
	g_mutex_unlock(&runtime->lock);
	return questionnaire;
}

struct providers *
runtime_providers(struct runtime *runtime)
{
	struct providers *providers = NULL;

	g_mutex_lock(&runtime->lock);
	if (runtime->providers != NULL)
		providers = providers_ref(runtime->providers);
	g_mutex_unlock(&runtime->lock);
	return providers;
}

void
runtime_replace(struct runtime *runtime, struct config *config,
		struct templates *templates,
		struct questionnaire *questionnaire,
		struct providers *providers)
{
	struct config *old_config;
	struct templates *old_templates;
	struct questionnaire *old_questionnaire;
	struct providers *old_providers;

	g_mutex_lock(&runtime->lock);
	old_config = runtime->config;
	old_templates = runtime->templates;
	old_questionnaire = runtime->questionnaire;
	old_providers = runtime->providers;
	runtime->providers = providers;
	runtime->config = config;
	runtime->templates = templates;
	runtime->questionnaire = questionnaire;
	g_mutex_unlock(&runtime->lock);
	/* Stages still holding the old set keep it alive until they drop
	 * their references at the end of their current step. */
	config_unref(&old_config);
	templates_unref(&old_templates);
	questionnaire_unref(&old_questionnaire);
	providers_unref(&old_providers);
}
