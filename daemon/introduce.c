/* introduce.c — matching consented cases to providers, the
 * introductions, and the providers' answers. */
#include "introduce.h"

#include <string.h>
#include <json-glib/json-glib.h>

#include "case.h"
#include "casetag.h"
#include "log.h"
#include "mime.h"
#include "outbox.h"
#include "provider-answer.h"
#include "questionnaire.h"

static gint64
now_seconds(void)
{
	return g_get_real_time() / G_USEC_PER_SEC;
}

GHashTable *
introduce_field_values(const GPtrArray *fields)
{
	GHashTable *values =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);

	for (guint i = 0; i < fields->len; i++) {
		const struct store_field *f = fields->pdata[i];

		if (f->value != NULL && f->value[0] != '\0')
			g_hash_table_insert(values, g_strdup(f->field),
					    g_strdup(f->value));
	}
	return values;
}

static GHashTable *
case_values(struct store *store, const char *case_id, GError **error)
{
	g_autoptr(GPtrArray) fields = store_case_fields(store, case_id, error);

	return fields != NULL ? introduce_field_values(fields) : NULL;
}

struct match_state *
introduce_states(struct store *store, const struct providers *providers,
		 const char *case_id, GError **error)
{
	guint count = providers_count(providers);
	struct match_state *states = g_new0(struct match_state, MAX(count, 1));
	g_autoptr(GHashTable) known = store_provider_states(store, error);
	g_autoptr(GPtrArray) intros = NULL;

	if (known == NULL)
		goto fail;
	for (guint i = 0; i < count; i++) {
		const struct store_provider_state *s = g_hash_table_lookup(
			known, providers_at(providers, i)->id);

		if (s == NULL)
			continue;
		states[i].open_cases = s->open_cases;
		states[i].hours_used = s->hours_used;
		states[i].paused = s->paused;
		states[i].last_introduced = s->last_introduced;
	}
	if (case_id == NULL)
		return states;
	intros = store_case_introductions(store, case_id, error);
	if (intros == NULL)
		goto fail;
	for (guint i = 0; i < intros->len; i++) {
		const struct store_introduction *in = intros->pdata[i];
		guint index;

		if (providers_find(providers, in->provider, &index) == NULL)
			continue;
		/* A provider that let the case go is not asked again; one
		 * still on it is not introduced twice. */
		if (strcmp(in->state, "declined") == 0 ||
		    strcmp(in->state, "expired") == 0)
			states[index].declined = TRUE;
		else
			states[index].introduced = TRUE;
	}
	return states;
fail:
	g_free(states);
	return NULL;
}

/* Matches c, for the needs in needs (0: the case's own).  Returns a new
 * result or NULL with error. */
static struct match_result *
match_for(const struct pipeline *pipeline, const struct store_case *c,
	  guint32 needs, char **text, GError **error)
{
	const struct providers *providers = pipeline->providers;
	g_autoptr(GHashTable) values = NULL;
	g_autofree struct match_state *states = NULL;
	struct match_case mc;
	guint unknown = 0;

	values = case_values(pipeline->store, c->id, error);
	if (values == NULL)
		return NULL;
	states = introduce_states(pipeline->store, providers, c->id, error);
	if (states == NULL)
		return NULL;
	match_case_from_fields(providers, values, c->requester_addr,
			       c->language, &mc, &unknown);
	if (needs != 0)
		mc.needs = needs;
	if (text != NULL) {
		g_autofree char *needs_text =
			providers_needs_text(providers, mc.needs);

		*text = g_strdup_printf(
			"needs=%s country=%s province=%s postcode=%u "
			"language=%s domain=%s urgent=%s unknown_needs=%u",
			needs_text[0] != '\0' ? needs_text : "(any)",
			mc.country != NULL ? mc.country : "-",
			mc.province != NULL ? mc.province : "-", mc.postcode,
			mc.language != NULL ? mc.language : "-",
			mc.requester_domain != NULL ? mc.requester_domain : "-",
			mc.urgent ? "yes" : "no", unknown);
	}
	return match_run(providers, &mc, states, now_seconds());
}

struct match_result *
introduce_match(const struct pipeline *pipeline, const struct store_case *c,
		char **match_case_text, GError **error)
{
	return match_for(pipeline, c, 0, match_case_text, error);
}

const struct provider *
introduce_provider_by_address(const struct providers *providers,
			      const char *address)
{
	if (providers == NULL || address == NULL)
		return NULL;
	for (guint i = 0; i < providers_count(providers); i++) {
		const struct provider *p = providers_at(providers, i);

		for (char **a = p->contacts; *a != NULL; a++)
			if (g_ascii_strcasecmp(*a, address) == 0)
				return p;
	}
	return NULL;
}

/* The language of mails to provider: the case's when it speaks it. */
static const char *
provider_language(const struct provider *provider, const char *case_language)
{
	if (case_language != NULL && provider->languages != NULL &&
	    g_strv_contains((const char *const *)provider->languages,
			    case_language))
		return case_language;
	return provider->languages != NULL && provider->languages[0] != NULL
		       ? provider->languages[0]
		       : case_language;
}

/* The "needs" list of a mail: one item (label) per need in mask, named
 * as the questionnaire's need field labels its values in lang. */
static void
set_needs(struct template_context *context, const struct pipeline *pipeline,
	  guint32 mask, const char *lang)
{
	g_autofree char *needs =
		providers_needs_text(pipeline->providers, mask);

	case_add_need_items(context, pipeline->questionnaire, needs, lang);
}

/* The needs in mask as a person reads them, "Penetration test,
 * Awareness".  Returns a new string. */
static char *
needs_for_people(const struct pipeline *pipeline, guint32 mask,
		 const char *lang)
{
	g_autofree char *ids = providers_needs_text(pipeline->providers, mask);

	return case_value_for_people(pipeline->questionnaire, "need", ids,
				     lang);
}

/* The values the consent was given for (the JSON snapshot the request
 * showed), replacing those of values so that an introduction carries
 * exactly what the requester saw; values itself when the record has no
 * snapshot.  Returns values (borrowed). */
static GHashTable *
consented_values(const struct store_consent *consent, GHashTable *values)
{
	g_autoptr(JsonParser) parser = NULL;
	JsonObject *object;
	GList *members;

	if (consent->shared_values == NULL)
		return values;
	parser = json_parser_new();
	if (!json_parser_load_from_data(parser, consent->shared_values, -1,
					NULL) ||
	    !JSON_NODE_HOLDS_OBJECT(json_parser_get_root(parser)))
		return values;
	object = json_node_get_object(json_parser_get_root(parser));
	members = json_object_get_members(object);
	for (GList *m = members; m != NULL; m = m->next) {
		const char *value =
			json_object_get_string_member(object, m->data);

		if (value != NULL)
			g_hash_table_replace(values, g_strdup(m->data),
					     g_strdup(value));
	}
	g_list_free(members);
	return values;
}

/* The "shared" list: the consented fields the case has a value for. */
static void
set_shared(struct template_context *context,
	   const struct questionnaire *questionnaire, GHashTable *values,
	   const char *fields, const char *lang)
{
	g_auto(GStrv) ids = g_strsplit(fields != NULL ? fields : "", ",", -1);

	for (guint i = 0; ids[i] != NULL; i++) {
		const char *value = g_hash_table_lookup(values, ids[i]);

		if (value != NULL)
			case_add_field_item(context, "shared", questionnaire,
					    ids[i], value, lang);
	}
}

/* Introduces candidate for the needs in needs; adds the provider to the
 * requester's "providers" list in requester_context. */
static gboolean
introduce_one(const struct pipeline *pipeline, const struct store_case *c,
	      const struct store_consent *consent, GHashTable *values,
	      const struct match_candidate *candidate, guint32 needs,
	      struct template_context *requester_context, gboolean *queued,
	      GError **error)
{
	const struct providers *providers = pipeline->providers;
	const struct provider *p = candidate->provider;
	const char *lang = provider_language(p, c->language);
	gint64 now = now_seconds();
	gint64 deadline = now + pipeline->config->support.answer_deadline;
	g_autofree char *deadline_text = case_format_time(deadline);
	g_autofree char *needs_text = providers_needs_text(providers, needs);
	g_autofree char *why = match_candidate_describe(providers, candidate);
	g_autofree char *detail = NULL;
	struct template_context *context = template_context_new();
	struct template_context *item;
	gboolean inserted = FALSE;
	gint64 outbox_id;

	/* Built from nothing but the consented fields: a template cannot
	 * reach anything else of the case. */
	template_context_set(context, "provider_name", p->name);
	template_context_set(context, "deadline", deadline_text);
	set_shared(context, pipeline->questionnaire,
		   consented_values(consent, values), consent->fields, lang);
	set_needs(context, pipeline, needs, lang);
	struct outbox_reply reply = {
		.kind = "introduction_provider",
		.case_id = c->id,
		.to_addr = p->contacts[0],
		.to_name = p->name,
		.encrypt_to = p->fingerprint,
		.language = lang,
		.auto_submitted = "auto-generated",
		.context = context,
	};
	outbox_id = outbox_enqueue(pipeline, &reply, &inserted, error);
	template_context_free(&context);
	if (outbox_id == 0)
		return FALSE;
	struct store_introduction intro = {
		.case_id = c->id,
		.provider = p->id,
		.address = p->contacts[0],
		.needs = needs_text,
		.outbox = outbox_id,
		.introduced_at = now,
		.deadline_at = deadline,
	};
	if (store_introduction_add(pipeline->store, &intro, error) == 0)
		return FALSE;
	detail =
		g_strdup_printf("introduced to provider %s <%s> for %s, "
				"answer by %s (%s)",
				p->id, p->contacts[0],
				needs_text[0] != '\0' ? needs_text : "any need",
				deadline_text, why);
	if (!store_event_add(pipeline->store, c->id, "introduced", 0, outbox_id,
			     detail, error))
		return FALSE;
	log_info("introduce.sent case=%s provider=%s outbox=%" G_GINT64_FORMAT
		 " needs=%s",
		 c->id, p->id, outbox_id, needs_text);
	if (queued != NULL && inserted)
		*queued = TRUE;
	item = template_context_add_item(requester_context, "providers");
	template_context_set(item, "name", p->name);
	template_context_set(item, "offer", p->offer);
	{
		g_autofree char *needs_shown =
			needs_for_people(pipeline, needs, c->language);

		template_context_set(item, "needs", needs_shown);
	}
	return TRUE;
}

/* Introduces the selection of result (each for its share of needs);
 * returns how many were introduced, or -1 with error. */
static int
introduce_selection(const struct pipeline *pipeline, const struct store_case *c,
		    const struct store_consent *consent,
		    const struct match_result *result, guint32 needs,
		    struct template_context *requester_context,
		    gboolean *queued, GError **error)
{
	g_autoptr(GHashTable) values =
		case_values(pipeline->store, c->id, error);
	guint32 open = needs;

	if (values == NULL)
		return -1;
	for (guint i = 0; i < result->selection->len; i++) {
		const struct match_candidate *candidate = match_candidate_at(
			result, g_array_index(result->selection, guint, i));
		/* Each need goes to the first selected provider covering
		 * it; a case without needs asks the best one for help. */
		guint32 share = needs != 0 ? candidate->covered & open : 0;

		if (needs != 0 && share == 0)
			continue;
		open &= ~share;
		if (!introduce_one(pipeline, c, consent, values, candidate,
				   share, requester_context, queued, error))
			return -1;
	}
	return (int)result->selection->len;
}

/* Why no one was selected, for staff: "3 excluded (2 region, 1
 * paused)". */
static char *
describe_exclusions(const struct match_result *result)
{
	int counts[MATCH_EXCLUDED_OFF_DUTY + 1] = {0};
	GString *text = g_string_new(NULL);

	for (guint i = 0; i < result->excluded->len; i++)
		counts[g_array_index(result->excluded, struct match_excluded, i)
			       .reason]++;
	g_string_printf(text, "%u excluded", result->excluded->len);
	for (int r = 0; r <= MATCH_EXCLUDED_OFF_DUTY; r++)
		if (counts[r] > 0)
			g_string_append_printf(text, ", %d %s", counts[r],
					       match_exclusion_name(r));
	return g_string_free(text, FALSE);
}

static gboolean
queue_requester(const struct pipeline *pipeline, const struct store_case *c,
		const char *kind, gint64 message_id,
		struct template_context *context, gboolean *queued,
		const char *what, GError **error)
{
	gboolean inserted = FALSE;
	struct outbox_reply reply = {
		.kind = kind,
		.case_id = c->id,
		.in_reply_to = message_id,
		.to_addr = c->requester_addr,
		.to_name = c->requester_name,
		.language = c->language,
		.auto_submitted = "auto-generated",
		.context = context,
	};
	gint64 id = outbox_enqueue(pipeline, &reply, &inserted, error);

	if (id == 0)
		return FALSE;
	if (queued != NULL && inserted)
		*queued = TRUE;
	return store_event_add(pipeline->store, c->id, "message_out",
			       message_id, id, what, error);
}

gboolean
introduce_case(const struct pipeline *pipeline, const struct store_case *c,
	       gint64 message_id, gboolean *queued, GError **error)
{
	g_autoptr(StoreConsent) consent = NULL;
	g_autoptr(MatchResult) result = NULL;
	g_autofree char *text = NULL;
	struct template_context *context = NULL;
	guint32 needs;
	int introduced;
	gboolean ok;

	consent = store_consent_get(pipeline->store, c->id, error);
	if (consent == NULL)
		return FALSE;
	/* The needs the requester consented to, not what the case says
	 * now. */
	needs = providers_needs_mask(pipeline->providers, consent->needs, NULL);
	result = match_for(pipeline, c, needs, &text, error);
	if (result == NULL)
		return FALSE;
	if (needs == 0 && result->selection->len > 0)
		needs = match_candidate_at(
				result,
				g_array_index(result->selection, guint, 0))
				->covered;
	log_info("introduce.match case=%s %s candidates=%u selected=%u", c->id,
		 text, result->candidates->len, result->selection->len);
	if (result->selection->len == 0) {
		g_autofree char *why = describe_exclusions(result);
		g_autofree char *reason = g_strdup_printf(
			"consent given, but no provider is available (%s; "
			"%s)",
			text, why);

		return case_move(pipeline->store, c->id, CASE_STATE_UNMATCHED,
				 message_id, error) &&
		       support_note_staff(pipeline, c, "staff_attention",
					  "unmatched", message_id, reason, NULL,
					  NULL, queued, error);
	}
	context = case_reply_context(pipeline->config, c, NULL);
	introduced = introduce_selection(pipeline, c, consent, result, needs,
					 context, queued, error);
	if (introduced < 0) {
		template_context_free(&context);
		return FALSE;
	}
	template_context_set_bool(context, "has_uncovered",
				  result->uncovered != 0);
	if (result->uncovered != 0) {
		g_autofree char *uncovered = providers_needs_text(
			pipeline->providers, result->uncovered);
		g_autofree char *reason = g_strdup_printf(
			"consent given, but no provider offers %s: staff "
			"look for help",
			uncovered);

		/* Matching found nobody for these needs: a person must. */
		if (!support_note_staff(pipeline, c, "staff_attention",
					"staff_flag", message_id, reason, NULL,
					NULL, queued, error)) {
			template_context_free(&context);
			return FALSE;
		}
		g_free(uncovered);
		uncovered = needs_for_people(pipeline, result->uncovered,
					     c->language);
		template_context_set(context, "uncovered", uncovered);
	}
	ok = queue_requester(pipeline, c, "introduction_requester", message_id,
			     context, queued,
			     "introductions sent to the "
			     "requester",
			     error) &&
	     case_move(pipeline->store, c->id, CASE_STATE_MATCHING, message_id,
		       error);
	template_context_free(&context);
	return ok;
}

/* Whether c still has a provider introduced and not yet answered, or one
 * that accepted. */
static int
open_introductions(struct store *store, const char *case_id, gboolean *accepted,
		   GError **error)
{
	g_autoptr(GPtrArray) intros =
		store_case_introductions(store, case_id, error);
	int open = 0;

	*accepted = FALSE;
	if (intros == NULL)
		return -1;
	for (guint i = 0; i < intros->len; i++) {
		const struct store_introduction *in = intros->pdata[i];

		if (strcmp(in->state, "introduced") == 0)
			open++;
		if (strcmp(in->state, "accepted") == 0)
			*accepted = TRUE;
	}
	return open;
}

gboolean
introduce_replace(const struct pipeline *pipeline, const struct store_case *c,
		  const struct store_introduction *intro, const char *reason,
		  gint64 message_id, gboolean *queued, GError **error)
{
	const struct provider *gone =
		providers_find(pipeline->providers, intro->provider, NULL);
	g_autoptr(StoreConsent) consent = NULL;
	g_autoptr(MatchResult) result = NULL;
	g_autofree char *text = NULL;
	struct template_context *context;
	guint32 needs =
		providers_needs_mask(pipeline->providers, intro->needs, NULL);
	gboolean accepted = FALSE, ok;
	int introduced, open;

	consent = store_consent_get(pipeline->store, c->id, error);
	if (consent == NULL)
		return FALSE;
	if (strcmp(consent->state, "given") != 0)
		return TRUE;
	result = match_for(pipeline, c, needs, &text, error);
	if (result == NULL)
		return FALSE;
	context = case_reply_context(pipeline->config, c, NULL);
	template_context_set(context, "declined",
			     gone != NULL ? gone->name : intro->provider);
	template_context_set_bool(context, "was_declined",
				  strcmp(reason, "declined") == 0);
	template_context_set_bool(context, "no_answer",
				  strcmp(reason, "no_answer") == 0);
	if (needs == 0 && result->selection->len > 0)
		needs = match_candidate_at(
				result,
				g_array_index(result->selection, guint, 0))
				->covered;
	introduced = introduce_selection(pipeline, c, consent, result, needs,
					 context, queued, error);
	if (introduced < 0) {
		template_context_free(&context);
		return FALSE;
	}
	template_context_set_bool(context, "has_providers", introduced > 0);
	ok = queue_requester(pipeline, c, "rematch_requester", message_id,
			     context, queued,
			     introduced > 0 ? "requester told of the next "
					      "provider"
					    : "requester told no provider is "
					      "left",
			     error);
	template_context_free(&context);
	if (!ok)
		return FALSE;
	open = open_introductions(pipeline->store, c->id, &accepted, error);
	if (open < 0)
		return FALSE;
	/* The provider that had accepted backed out while others are still
	 * asked: nobody is on the case until one of them accepts. */
	if (!accepted && open > 0 &&
	    strcmp(c->state, CASE_STATE_IN_PROGRESS) == 0 &&
	    !case_move(pipeline->store, c->id, CASE_STATE_MATCHING, message_id,
		       error))
		return FALSE;
	if (introduced > 0)
		return TRUE;
	g_autofree char *why = describe_exclusions(result);
	g_autofree char *note = g_strdup_printf(
		"provider %s %s; no other provider is available for %s (%s)",
		intro->provider,
		strcmp(reason, "declined") == 0 ? "declined"
						: "did not answer in time",
		intro->needs != NULL && intro->needs[0] != '\0' ? intro->needs
								: "the case",
		why);
	return (open > 0 || accepted ||
		case_move(pipeline->store, c->id, CASE_STATE_UNMATCHED,
			  message_id, error)) &&
	       support_note_staff(pipeline, c, "staff_attention", "unmatched",
				  message_id, note, NULL, NULL, queued, error);
}

/* Whether summary references our mail outbox of case_id: its token in
 * In-Reply-To or References. */
static gboolean
references_outbox(const struct pipeline *pipeline, const char *case_id,
		  const struct mime_summary *summary, gint64 outbox)
{
	const struct config_identity *id = &pipeline->config->identity;
	g_autoptr(GArray) outboxes = casetag_referenced_outboxes(
		id->token_secret, id->domain, case_id, summary->in_reply_to,
		summary->references);

	for (guint i = 0; i < outboxes->len; i++)
		if (g_array_index(outboxes, gint64, i) == outbox)
			return TRUE;
	return FALSE;
}

gboolean
introduce_read_answer(const struct pipeline *pipeline,
		      const struct store_case *c,
		      const struct provider *provider,
		      const struct support_mail *mail, gboolean *queued,
		      GError **error)
{
	const char *from = mail->summary->from_addr;
	gint64 msg = mail->message->id;
	g_autoptr(StoreIntroduction) intro = NULL;
	g_autoptr(ProviderAnswerResult) answer = NULL;
	g_autofree char *body = NULL;
	g_autofree char *detail = NULL;
	gboolean proven;

	intro = store_introduction_find(pipeline->store, c->id, provider->id,
					error);
	if (intro == NULL && error != NULL && *error != NULL)
		return FALSE;
	proven = intro != NULL &&
		 (references_outbox(pipeline, c->id, mail->summary,
				    intro->outbox) ||
		  (mail->signer_fingerprint != NULL &&
		   provider->fingerprint != NULL &&
		   g_ascii_strcasecmp(mail->signer_fingerprint,
				      provider->fingerprint) == 0));
	if (!proven) {
		g_autofree char *reason = g_strdup_printf(
			intro == NULL
				? "provider %s (%s) wrote about case %s, to "
				  "which it was not introduced: ignored"
				: "provider %s (%s) wrote about case %s "
				  "without the token of its introduction: "
				  "ignored",
			provider->id, from, c->id);

		log_warning("introduce.rejected case=%s provider=%s "
			    "msg=%" G_GINT64_FORMAT " introduced=%s",
			    c->id, provider->id, msg,
			    intro != NULL ? "yes" : "no");
		return support_note_staff(pipeline, c, "staff_attention",
					  "provider_rejected", msg, reason,
					  from, NULL, queued, error);
	}
	body = mime_body_text(GMIME_OBJECT(mail->mime));
	answer = provider_answer_parse_reply(body, mail->summary->subject);
	detail = g_strdup_printf(
		"provider %s: %s (%s)%s%s", provider->id,
		provider_answer_name(answer->answer), answer->reason,
		answer->excerpt != NULL ? ": " : "",
		answer->excerpt != NULL ? answer->excerpt : "");
	log_info("introduce.answer case=%s provider=%s msg=%" G_GINT64_FORMAT
		 " answer=%s reason=%s",
		 c->id, provider->id, msg, provider_answer_name(answer->answer),
		 answer->reason);
	if (strcmp(intro->state, "withdrawn") == 0)
		return store_event_add(pipeline->store, c->id,
				       "provider_answer", msg, 0,
				       "answer after consent was withdrawn: "
				       "ignored",
				       error);
	switch (answer->answer) {
	case PROVIDER_ANSWER_ACCEPT:
		if (!store_introduction_set_state(pipeline->store, intro->id,
						  "accepted", msg,
						  answer->excerpt, 0, error) ||
		    !store_event_add(pipeline->store, c->id,
				     "provider_accepted", msg, 0, detail,
				     error))
			return FALSE;
		if ((strcmp(c->state, CASE_STATE_MATCHING) == 0 ||
		     strcmp(c->state, CASE_STATE_UNMATCHED) == 0) &&
		    !case_move(pipeline->store, c->id, CASE_STATE_IN_PROGRESS,
			       msg, error))
			return FALSE;
		/* Accepted after the deadline or after declining: another
		 * provider may be on the same needs by now; a person sorts
		 * it out. */
		if (strcmp(intro->state, "expired") == 0 ||
		    strcmp(intro->state, "declined") == 0)
			return support_note_staff(
				pipeline, c, "staff_attention", "staff_flag",
				msg,
				strcmp(intro->state, "expired") == 0
					? "a provider accepted after its "
					  "deadline; the next candidate was "
					  "introduced meanwhile"
					: "a provider accepted after "
					  "declining; "
					  "the next candidate was introduced "
					  "meanwhile",
				from, answer->excerpt, queued, error);
		return TRUE;
	case PROVIDER_ANSWER_DECLINE:
		if (strcmp(intro->state, "declined") == 0)
			return TRUE;
		if (!store_introduction_set_state(pipeline->store, intro->id,
						  "declined", msg,
						  answer->excerpt, 0, error) ||
		    !store_event_add(pipeline->store, c->id,
				     "provider_declined", msg, 0, detail,
				     error))
			return FALSE;
		/* An expired introduction was replaced already. */
		if (strcmp(intro->state, "expired") == 0)
			return TRUE;
		return introduce_replace(pipeline, c, intro, "declined", msg,
					 queued, error);
	case PROVIDER_ANSWER_UNCLEAR:
		break;
	}
	return support_note_staff(
		pipeline, c, "staff_attention", "provider_unclear", msg,
		"a provider's answer to its introduction is neither "
		"a clear accept nor a decline",
		from, answer->excerpt, queued, error);
}

gboolean
introduce_withdraw(const struct pipeline *pipeline, const struct store_case *c,
		   GPtrArray **providers_told, gboolean *queued, GError **error)
{
	g_autoptr(GPtrArray) intros =
		store_case_introductions(pipeline->store, c->id, error);
	g_autoptr(GPtrArray) told = g_ptr_array_new_with_free_func(g_free);

	if (intros == NULL)
		return FALSE;
	for (guint i = 0; i < intros->len; i++) {
		const struct store_introduction *in = intros->pdata[i];
		const struct provider *p = NULL;
		struct template_context *context;
		gboolean inserted = FALSE;
		gint64 id;

		if (strcmp(in->state, "introduced") != 0 &&
		    strcmp(in->state, "accepted") != 0)
			continue;
		if (pipeline->providers != NULL)
			p = providers_find(pipeline->providers, in->provider,
					   NULL);
		context = template_context_new();
		template_context_set(context, "provider_name",
				     p != NULL ? p->name : in->provider);
		struct outbox_reply reply = {
			.kind = "consent_withdrawn_provider",
			.case_id = c->id,
			.to_addr = in->address,
			.to_name = p != NULL ? p->name : NULL,
			.encrypt_to = p != NULL ? p->fingerprint : NULL,
			.language = p != NULL
					    ? provider_language(p, c->language)
					    : c->language,
			.auto_submitted = "auto-generated",
			.context = context,
		};
		id = outbox_enqueue(pipeline, &reply, &inserted, error);
		template_context_free(&context);
		if (id == 0 ||
		    !store_introduction_set_state(pipeline->store, in->id,
						  "withdrawn", 0, NULL, 0,
						  error) ||
		    !store_event_add(pipeline->store, c->id, "message_out", 0,
				     id, "provider told consent was withdrawn",
				     error))
			return FALSE;
		if (queued != NULL && inserted)
			*queued = TRUE;
		g_ptr_array_add(told,
				g_strdup(p != NULL ? p->name : in->provider));
	}
	if (providers_told != NULL)
		*providers_told = g_steal_pointer(&told);
	return TRUE;
}

gboolean
introduce_bounced(const struct pipeline *pipeline, gint64 outbox_id,
		  gint64 message_id, gboolean *queued, GError **error)
{
	g_autoptr(StoreIntroduction) intro =
		store_introduction_by_outbox(pipeline->store, outbox_id, error);
	g_autoptr(StoreCase) c = NULL;
	g_autofree char *detail = NULL;

	if (intro == NULL)
		return error == NULL || *error == NULL;
	if (strcmp(intro->state, "introduced") != 0)
		return TRUE;
	c = store_case_get(pipeline->store, intro->case_id, error);
	if (c == NULL)
		return FALSE;
	detail = g_strdup_printf("the introduction to provider %s <%s> "
				 "bounced: the next candidate is asked",
				 intro->provider, intro->address);
	log_info("introduce.bounced case=%s provider=%s "
		 "outbox=%" G_GINT64_FORMAT,
		 c->id, intro->provider, outbox_id);
	if (!store_introduction_set_state(pipeline->store, intro->id, "expired",
					  message_id, "bounced", 0, error) ||
	    !store_event_add(pipeline->store, c->id, "provider_unreachable",
			     message_id, outbox_id, detail, error))
		return FALSE;
	if (pipeline->providers == NULL)
		return TRUE;
	return introduce_replace(pipeline, c, intro, "no_answer", message_id,
				 queued, error);
}
