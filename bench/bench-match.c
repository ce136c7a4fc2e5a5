/* bench-match.c — how long match_run() takes: one case against 1,000
 * providers (repeated), and 10,000 cases against 200 providers.  Prints
 * key=value lines (docs/performance.md, "Matching").
 *
 * The registry is generated as providers.conf text and loaded with
 * providers_load_string(), so loading is measured too.  Needs, regions,
 * languages, on-call windows, time zones, load and rotation state are
 * drawn from a seeded generator: every run sees the same data. */
#include <stdio.h>
#include <stdlib.h>

#include "match.h"

#define SEED 20261203

static const char *const needs[] = {
	"incident_response", "forensics", "recovery", "prevention",
	"awareness",	     "pentest",	  "appsec",   "other"};
static const char *const countries[] = {"BE", "NL", "FR", "DE", "LU"};
static const char *const provinces[] = {"VOV", "VWV", "VAN", "WLG", "BRU"};
static const char *const languages[] = {"en", "nl", "fr", "de"};
static const char *const zones[] = {"Europe/Brussels", "Europe/Amsterdam",
				    "Europe/Berlin", "UTC"};

static const char *
pick(GRand *rand, const char *const *list, size_t length)
{
	return list[g_rand_int_range(rand, 0, (gint32)length)];
}

static char *
registry_text(GRand *rand, guint count)
{
	GString *out = g_string_new("providers = (\n");

	for (guint i = 0; i < count; i++) {
		guint services = (guint)g_rand_int_range(rand, 1, 4);
		guint regions = (guint)g_rand_int_range(rand, 1, 4);
		guint mask = 0;

		g_string_append_printf(
			out,
			"%s{ id = \"p%u\"; name = \"Provider %u\";\n"
			"  contacts = [ \"intake@p%u.example.test\" ];\n"
			"  domains = [ \"p%u.example.test\" ];\n"
			"  services = [ ",
			i ? ",\n" : "", i, i, i, i);
		for (guint s = 0; s < services; s++) {
			guint bit = (guint)g_rand_int_range(
				rand, 0, G_N_ELEMENTS(needs));

			if (mask & (1u << bit))
				continue;
			g_string_append_printf(out, "%s\"%s\"",
					       mask ? ", " : "", needs[bit]);
			mask |= 1u << bit;
		}
		g_string_append(out, " ];\n  regions = [ ");
		for (guint r = 0; r < regions; r++) {
			const char *country =
				pick(rand, countries, G_N_ELEMENTS(countries));
			int kind = g_rand_int_range(rand, 0, 3);
			guint low = (guint)g_rand_int_range(rand, 1000, 9000);

			if (r > 0)
				g_string_append(out, ", ");
			if (kind == 0)
				g_string_append_printf(out, "\"%s\"", country);
			else if (kind == 1)
				g_string_append_printf(
					out, "\"%s-%s\"", country,
					pick(rand, provinces,
					     G_N_ELEMENTS(provinces)));
			else
				g_string_append_printf(out, "\"%s-%u-%u\"",
						       country, low, low + 999);
		}
		g_string_append_printf(
			out,
			" ];\n  languages = [ \"%s\", \"%s\" ];\n"
			"  capacity = { max_open_cases = %d; pledged_hours = "
			"%d; };\n",
			/* two different languages */
			languages[i % 4], languages[(i + 1 + (i / 4) % 3) % 4],
			g_rand_int_range(rand, 1, 10),
			g_rand_int_range(rand, 0, 200));
		if (g_rand_boolean(rand))
			g_string_append_printf(
				out,
				"  availability = { timezone = \"%s\";\n"
				"    on_call = [ \"Mon-Fri 08:00-18:00\", "
				"\"Sat 10:00-14:00\" ]; };\n",
				pick(rand, zones, G_N_ELEMENTS(zones)));
		g_string_append(out, "}");
	}
	g_string_append(out, "\n);\n");
	return g_string_free(out, FALSE);
}

struct bench_case {
	struct match_case c;
	char domain[64];
};

static void
make_case(GRand *rand, const struct providers *providers, guint provider_count,
	  struct bench_case *out)
{
	guint32 mask = 1u << g_rand_int_range(rand, 0, G_N_ELEMENTS(needs));

	if (g_rand_boolean(rand))
		mask |= 1u << g_rand_int_range(rand, 0, G_N_ELEMENTS(needs));
	out->c.needs = mask;
	out->c.country = pick(rand, countries, G_N_ELEMENTS(countries));
	out->c.province = NULL;
	out->c.postcode = (guint)g_rand_int_range(rand, 1000, 9999);
	out->c.language = pick(rand, languages, G_N_ELEMENTS(languages));
	/* One case in ten comes from a provider's own domain. */
	g_snprintf(out->domain, sizeof(out->domain), "%s%u.example.test",
		   g_rand_int_range(rand, 0, 10) == 0 ? "p" : "hospital",
		   g_rand_int_range(rand, 0, (gint32)provider_count));
	out->c.requester_domain = out->domain;
	out->c.urgent = g_rand_int_range(rand, 0, 20) == 0;
}

static struct providers *
make_registry(GRand *rand, guint count, double *load_ms)
{
	g_autofree char *text = registry_text(rand, count);
	g_autoptr(GError) error = NULL;
	gint64 start = g_get_monotonic_time();
	struct providers *providers =
		providers_load_string(text, "bench.conf", NULL, NULL, &error);

	*load_ms = (double)(g_get_monotonic_time() - start) / 1000.0;
	if (providers == NULL) {
		fprintf(stderr, "bench-match: %s\n", error->message);
		exit(1);
	}
	return providers;
}

static struct match_state *
make_states(GRand *rand, const struct providers *providers, gint64 now)
{
	guint count = providers_count(providers);
	struct match_state *states = g_new0(struct match_state, count);

	for (guint i = 0; i < count; i++) {
		const struct provider *p = providers_at(providers, i);

		states[i].open_cases =
			g_rand_int_range(rand, 0, p->max_open_cases + 1);
		states[i].hours_used = g_rand_int_range(rand, 0, 100);
		states[i].paused = g_rand_int_range(rand, 0, 25) == 0;
		states[i].last_introduced =
			g_rand_boolean(rand)
				? now - g_rand_int_range(rand, 0, 86400 * 30)
				: 0;
	}
	return states;
}

/* Runs cases against providers; returns microseconds per case and adds
 * up candidates and selections so the work cannot be optimised away. */
static double
run(const struct providers *providers, const struct match_state *states,
    const struct bench_case *cases, guint case_count, guint rounds, gint64 now,
    guint64 *candidates, guint64 *selected)
{
	gint64 start = g_get_monotonic_time();

	for (guint r = 0; r < rounds; r++) {
		for (guint i = 0; i < case_count; i++) {
			struct match_result *result =
				match_run(providers, &cases[i].c, states, now);

			*candidates += result->candidates->len;
			*selected += result->selection->len;
			match_result_free(result);
		}
	}
	return (double)(g_get_monotonic_time() - start) /
	       ((double)case_count * rounds);
}

int
main(void)
{
	g_autoptr(GRand) rand = g_rand_new_with_seed(SEED);
	/* 2026-12-07 10:00 in Brussels, a Monday. */
	const gint64 now = 1796634000;
	struct providers *large, *small;
	struct match_state *large_states, *small_states;
	struct bench_case *cases;
	const guint case_count = 10000;
	guint64 candidates = 0, selected = 0;
	double load_large_ms, load_small_ms, us_large, us_small;

	large = make_registry(rand, 1000, &load_large_ms);
	small = make_registry(rand, 200, &load_small_ms);
	large_states = make_states(rand, large, now);
	small_states = make_states(rand, small, now);
	cases = g_new0(struct bench_case, case_count);
	for (guint i = 0; i < case_count; i++)
		make_case(rand, small, 200, &cases[i]);

	/* Warm-up, then one case (100 different ones, 20 rounds) against
	 * 1,000 providers. */
	run(large, large_states, cases, 100, 1, now, &candidates, &selected);
	candidates = selected = 0;
	us_large = run(large, large_states, cases, 100, 20, now, &candidates,
		       &selected);
	printf("match_providers=1000 cases=2000 us_per_case=%.1f "
	       "candidates_per_case=%.1f selected_per_case=%.2f\n",
	       us_large, (double)candidates / 2000.0,
	       (double)selected / 2000.0);

	candidates = selected = 0;
	us_small = run(small, small_states, cases, case_count, 1, now,
		       &candidates, &selected);
	printf("match_providers=200 cases=%u us_per_case=%.1f total_ms=%.1f "
	       "candidates_per_case=%.1f selected_per_case=%.2f\n",
	       case_count, us_small, us_small * case_count / 1000.0,
	       (double)candidates / case_count, (double)selected / case_count);
	printf("providers_load_ms providers=1000 %.1f providers=200 %.1f\n",
	       load_large_ms, load_small_ms);

	g_free(cases);
	g_free(large_states);
	g_free(small_states);
	providers_unref(&large);
	providers_unref(&small);
	return 0;
}
