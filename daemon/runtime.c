/* runtime.c — the configuration and templates in force. */
#include "runtime.h"

struct runtime {
	GMutex lock;
	struct config *config;
	struct templates *templates;
};

struct runtime *
runtime_new(struct config *config, struct templates *templates)
{
	struct runtime *runtime = g_new0(struct runtime, 1);

	g_mutex_init(&runtime->lock);
	runtime->config = config;
	runtime->templates = templates;
	return runtime;
}

void
runtime_free(struct runtime **runtime)
{
	if (*runtime == NULL)
		return;
	config_unref(&(*runtime)->config);
	templates_unref(&(*runtime)->templates);
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

void
runtime_replace(struct runtime *runtime, struct config *config,
		struct templates *templates)
{
	struct config *old_config;
	struct templates *old_templates;

	g_mutex_lock(&runtime->lock);
	old_config = runtime->config;
	old_templates = runtime->templates;
	runtime->config = config;
	runtime->templates = templates;
	g_mutex_unlock(&runtime->lock);
	/* Stages still holding the old pair keep it alive until they drop
	 * their references at the end of their current step. */
	config_unref(&old_config);
	templates_unref(&old_templates);
}
