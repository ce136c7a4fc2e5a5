/* intakectl-support.c — qualification, consent, introductions and
 * matching for people and scripts (see intakectl-support.h). */
#include "intakectl-support.h"

#include <string.h>

/* text with control characters (a terminal escape in a mail excerpt)
 * shown as '?'.  Returns a new string; "-" for NULL. */
static char *
clean(const char *text)
{
	char *out;

	if (text == NULL)
		return g_strdup("-");
	out = g_utf8_make_valid(text, -1);
	for (char *p = out; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	return out;
}

static char *
when(gint64 unix_time)
{
	g_autoptr(GDateTime) t = NULL;

	if (unix_time == 0)
		return g_strdup("-");
	t = g_date_time_new_from_unix_utc(unix_time);
	return g_date_time_format(t, "%Y-%m-%d %H:%M:%S UTC");
}

void
intakectl_support_print(FILE *out, const struct export_json_support *support)
{
	const struct store_qualification *q = support->qualification;
	const struct store_consent *k = support->consent;
	const GPtrArray *intros = support->introductions;

	fprintf(out, "\nSupport\n");
	fprintf(out, "  priority now: %d\n", support->priority);
	if (q == NULL) {
		fprintf(out, "  qualification: (not yet: the questionnaire "
			     "is not complete)\n");
	} else {
		g_autofree char *reason = clean(q->reason);
		g_autofree char *at = when(q->qualified_at);

		fprintf(out, "  qualification: %s by %s at %s, priority %d\n",
			q->qualification, q->qualified_by, at, q->priority);
		fprintf(out, "    %s\n", reason);
	}
	if (k != NULL) {
		g_autofree char *requested = when(k->requested_at);
		g_autofree char *answered = when(k->answered_at);
		g_autofree char *by = clean(k->answered_by);
		g_autofree char *excerpt = clean(k->excerpt);

		fprintf(out, "  consent: %s (asked %d time%s, last %s)\n",
			k->state, k->asks, k->asks == 1 ? "" : "s", requested);
		fprintf(out, "    covers fields: %s\n",
			k->fields[0] != '\0' ? k->fields : "(none)");
		fprintf(out, "    covers needs:  %s\n",
			k->needs != NULL ? k->needs : "(any)");
		if (k->answered_at != 0) {
			fprintf(out, "    answered %s by %s, proof %s",
				answered, by,
				k->proof != NULL ? k->proof : "-");
			if (k->message != 0)
				fprintf(out, ", msg=%" G_GINT64_FORMAT,
					k->message);
			fprintf(out, "\n    \"%s\"\n", excerpt);
		}
		if (k->withdrawn_at != 0) {
			g_autofree char *withdrawn = when(k->withdrawn_at);
			g_autofree char *wby = clean(k->withdrawn_by);

			fprintf(out, "    withdrawn %s by %s\n", withdrawn,
				wby);
		}
	}
	if (intros == NULL || intros->len == 0)
		return;
	fprintf(out, "  introductions:\n");
	for (guint i = 0; i < intros->len; i++) {
		const struct store_introduction *in = intros->pdata[i];
		g_autofree char *introduced = when(in->introduced_at);
		g_autofree char *deadline = when(in->deadline_at);
		g_autofree char *excerpt = clean(in->excerpt);

		fprintf(out,
			"    %-24s %-10s needs=%s to=%s "
			"outbox=%" G_GINT64_FORMAT
			"\n      introduced %s, answer by %s\n",
			in->provider, in->state,
			in->needs != NULL && in->needs[0] != '\0' ? in->needs
								  : "-",
			in->address, in->outbox, introduced, deadline);
		if (in->answered_at != 0 && in->excerpt != NULL)
			fprintf(out, "      \"%s\"\n", excerpt);
	}
}

static gboolean
selected(const struct match_result *result, guint rank)
{
	for (guint i = 0; i < result->selection->len; i++)
		if (g_array_index(result->selection, guint, i) == rank)
			return TRUE;
	return FALSE;
}

static int
match_json(FILE *out, const struct providers *providers,
	   const struct match_result *result, const char *case_text)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autofree char *text = NULL;
	g_autofree char *uncovered =
		providers_needs_text(providers, result->uncovered);
	g_auto(GStrv) needs = g_strsplit(uncovered, ",", -1);

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "case");
	json_builder_add_string_value(b, case_text);
	json_builder_set_member_name(b, "selection");
	json_builder_begin_array(b);
	for (guint i = 0; i < result->selection->len; i++)
		json_builder_add_string_value(
			b, match_candidate_at(
				   result,
				   g_array_index(result->selection, guint, i))
				   ->provider->id);
	json_builder_end_array(b);
	json_builder_set_member_name(b, "uncovered");
	json_builder_begin_array(b);
	for (guint i = 0; needs[i] != NULL; i++)
		if (needs[i][0] != '\0')
			json_builder_add_string_value(b, needs[i]);
	json_builder_end_array(b);
	json_builder_set_member_name(b, "candidates");
	json_builder_begin_array(b);
	for (guint i = 0; i < result->candidates->len; i++) {
		const struct match_candidate *c = match_candidate_at(result, i);
		g_autofree char *why = match_candidate_describe(providers, c);

		json_builder_begin_object(b);
		json_builder_set_member_name(b, "provider");
		json_builder_add_string_value(b, c->provider->id);
		json_builder_set_member_name(b, "score");
		json_builder_add_int_value(b, c->score);
		json_builder_set_member_name(b, "reasons");
		json_builder_add_string_value(b, why);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_set_member_name(b, "excluded");
	json_builder_begin_array(b);
	for (guint i = 0; i < result->excluded->len; i++) {
		const struct match_excluded *e = &g_array_index(
			result->excluded, struct match_excluded, i);

		json_builder_begin_object(b);
		json_builder_set_member_name(b, "provider");
		json_builder_add_string_value(b, e->provider->id);
		json_builder_set_member_name(b, "reason");
		json_builder_add_string_value(b,
					      match_exclusion_name(e->reason));
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_end_object(b);
	text = export_json_to_string(b);
	fputs(text, out);
	return 0;
}

int
intakectl_match_print(FILE *out, const struct providers *providers,
		      const struct match_result *result, const char *case_text,
		      gboolean json)
{
	g_autofree char *uncovered = NULL;

	if (json)
		return match_json(out, providers, result, case_text);
	fprintf(out, "Case as matched: %s\n", case_text);
	fprintf(out, "\nCandidates (best first; * = would be introduced)\n");
	if (result->candidates->len == 0)
		fprintf(out, "  (none)\n");
	for (guint i = 0; i < result->candidates->len; i++) {
		const struct match_candidate *c = match_candidate_at(result, i);
		g_autofree char *why = match_candidate_describe(providers, c);

		fprintf(out, "%c %2u. %-24s %s\n",
			selected(result, i) ? '*' : ' ', i + 1, c->provider->id,
			why);
	}
	if (result->uncovered != 0) {
		uncovered = providers_needs_text(providers, result->uncovered);
		fprintf(out, "\nNo candidate offers: %s\n", uncovered);
	}
	if (result->excluded->len > 0)
		fprintf(out, "\nExcluded\n");
	for (guint i = 0; i < result->excluded->len; i++) {
		const struct match_excluded *e = &g_array_index(
			result->excluded, struct match_excluded, i);

		fprintf(out, "  %-24s %s\n", e->provider->id,
			match_exclusion_name(e->reason));
	}
	return 0;
}
