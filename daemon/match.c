/* match.c — ranking providers for a support case (see match.h).
 *
 * One pass over the registry: each provider is excluded for the first
 * reason that applies, in the order of enum match_exclusion, or becomes
 * a candidate.  Local times are computed once per time zone, not once
 * per provider, so a call costs a few hundred nanoseconds per provider
 * (docs/performance.md). */
#include "match.h"

#include <string.h>

#define LOCATION_MAX_BYTES 200

const char *
match_exclusion_name(enum match_exclusion reason)
{
	switch (reason) {
	case MATCH_EXCLUDED_CONFLICT:
		return "conflict";
	case MATCH_EXCLUDED_PAUSED:
		return "paused";
	case MATCH_EXCLUDED_DECLINED:
		return "declined";
	case MATCH_EXCLUDED_INTRODUCED:
		return "introduced";
	case MATCH_EXCLUDED_SERVICE:
		return "service";
	case MATCH_EXCLUDED_REGION:
		return "region";
	case MATCH_EXCLUDED_LANGUAGE:
		return "language";
	case MATCH_EXCLUDED_CAPACITY:
		return "capacity";
	case MATCH_EXCLUDED_HOURS:
		return "hours";
	case MATCH_EXCLUDED_OFF_DUTY:
		return "off_duty";
	}
	return "unknown";
}

const char *
match_region_name(enum match_region region)
{
	switch (region) {
	case MATCH_REGION_ANY:
		return "any";
	case MATCH_REGION_ANYWHERE:
		return "anywhere";
	case MATCH_REGION_COUNTRY:
		return "country";
	case MATCH_REGION_COUNTRY_PART:
		return "country_part";
	case MATCH_REGION_PROVINCE:
		return "province";
	case MATCH_REGION_POSTCODE:
		return "postcode";
	}
	return "unknown";
}

static int
region_score(enum match_region region)
{
	switch (region) {
	case MATCH_REGION_ANY:
		return 0;
	case MATCH_REGION_ANYWHERE:
		return MATCH_SCORE_ANYWHERE;
	case MATCH_REGION_COUNTRY:
		return MATCH_SCORE_COUNTRY;
	case MATCH_REGION_COUNTRY_PART:
		return MATCH_SCORE_COUNTRY_PART;
	case MATCH_REGION_PROVINCE:
		return MATCH_SCORE_PROVINCE;
	case MATCH_REGION_POSTCODE:
		return MATCH_SCORE_POSTCODE;
	}
	return 0;
}

/* domain is lower case. */
static gboolean
domains_related(const char *domain, size_t domain_length, const char *own)
{
	size_t own_length = strlen(own);
	const char *longer = domain, *shorter = own;
	size_t long_length = domain_length, short_length = own_length;

	if (own_length > domain_length) {
		longer = own;
		shorter = domain;
		long_length = own_length;
		short_length = domain_length;
	}
	if (long_length == short_length)
		return memcmp(longer, shorter, long_length) == 0;
	/* "mail.az.example" is under "az.example"; the dot keeps
	 * "notaz.example" apart. */
	return longer[long_length - short_length - 1] == '.' &&
	       memcmp(longer + long_length - short_length, shorter,
		      short_length) == 0;
}

static gboolean
conflict_lower(const struct provider *provider, const char *domain)
{
	size_t length;

	if (domain == NULL || *domain == '\0')
		return FALSE;
	length = strlen(domain);
	for (size_t i = 0; provider->domains[i] != NULL; i++)
		if (domains_related(domain, length, provider->domains[i]))
			return TRUE;
	return FALSE;
}

gboolean
match_conflict_of_interest(const struct provider *provider, const char *domain)
{
	g_autofree char *lower = domain ? g_ascii_strdown(domain, -1) : NULL;

	return conflict_lower(provider, lower);
}

/* The best fit of the provider's regions, or FALSE when none fits. */
static gboolean
region_fit(const struct provider *provider, const struct match_case *c,
	   enum match_region *fit)
{
	gboolean found = FALSE;
	int best = -1;

	if (c->country == NULL) {
		*fit = MATCH_REGION_ANY;
		return TRUE;
	}
	for (guint i = 0; i < provider->region_count; i++) {
		const struct provider_region *r = &provider->regions[i];
		enum match_region this;

		if (r->kind == PROVIDER_REGION_ANYWHERE) {
			this = MATCH_REGION_ANYWHERE;
		} else if (g_ascii_strcasecmp(r->country, c->country) != 0) {
			continue;
		} else if (r->kind == PROVIDER_REGION_COUNTRY) {
			this = MATCH_REGION_COUNTRY;
		} else if (r->kind == PROVIDER_REGION_PROVINCE) {
			if (c->province == NULL)
				this = MATCH_REGION_COUNTRY_PART;
			else if (g_ascii_strcasecmp(r->subdivision,
						    c->province) == 0)
				this = MATCH_REGION_PROVINCE;
			else
				continue;
		} else {
			if (c->postcode == 0)
				this = MATCH_REGION_COUNTRY_PART;
			else if (c->postcode >= r->postcode_low &&
				 c->postcode <= r->postcode_high)
				this = MATCH_REGION_POSTCODE;
			else
				continue;
		}
		if (region_score(this) > best) {
			best = region_score(this);
			*fit = this;
			found = TRUE;
		}
	}
	return found;
}

/* Local weekday (1..7) and minute of the day, per registry time zone. */
struct local_times {
	int *weekday;
	int *minute;
};

static void
local_times_init(struct local_times *times, const struct providers *providers,
		 gint64 now)
{
	guint count = providers_timezone_count(providers);
	g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc(now);

	times->weekday = g_new0(int, MAX(count, 1));
	times->minute = g_new0(int, MAX(count, 1));
	for (guint i = 0; i < count; i++) {
		g_autoptr(GDateTime) local = NULL;

		if (utc == NULL) /* outside GDateTime's years: Monday 00:00 */
			continue;
		local = g_date_time_to_timezone(
			utc, providers_timezone_at(providers, i));
		times->weekday[i] = g_date_time_get_day_of_week(local);
		times->minute[i] = g_date_time_get_hour(local) * 60 +
				   g_date_time_get_minute(local);
	}
}

static void
local_times_clear(struct local_times *times)
{
	g_free(times->weekday);
	g_free(times->minute);
}

static int
share(guint32 part, guint32 whole, int weight)
{
	int parts = __builtin_popcount(part);
	int all = __builtin_popcount(whole);

	return all == 0 ? weight : weight * parts / all;
}

static void
exclude(struct match_result *result, const struct provider *provider,
	guint index, enum match_exclusion reason)
{
	struct match_excluded excluded = {
		.provider = provider,
		.index = index,
		.reason = reason,
	};

	g_array_append_val(result->excluded, excluded);
}

static int
compare_candidates(gconstpointer a, gconstpointer b)
{
	const struct match_candidate *x = a, *y = b;

	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	if (x->last_introduced != y->last_introduced)
		return x->last_introduced < y->last_introduced ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* Whom to introduce (see match.h). */
static void
select_candidates(struct match_result *result, guint32 needs)
{
	guint32 offered = 0;
	guint32 open;

	for (guint i = 0; i < result->candidates->len; i++)
		offered |= g_array_index(result->candidates,
					 struct match_candidate, i)
				   .covered;
	result->uncovered = needs & ~offered;
	if (result->candidates->len == 0)
		return;
	for (guint i = 0; i < result->candidates->len; i++) {
		const struct match_candidate *c = &g_array_index(
			result->candidates, struct match_candidate, i);

		/* One provider for everything beats a split: fewer
		 * people see the case. */
		if (c->covered == needs) {
			g_array_append_val(result->selection, i);
			return;
		}
	}
	open = needs & offered;
	while (open != 0) {
		guint best = 0;
		int best_count = 0;

		for (guint i = 0; i < result->candidates->len; i++) {
			int count = __builtin_popcount(
				g_array_index(result->candidates,
					      struct match_candidate, i)
					.covered &
				open);

			/* Strictly more: among equals the better rank. */
			if (count > best_count) {
				best = i;
				best_count = count;
			}
		}
		g_array_append_val(result->selection, best);
		open &= ~g_array_index(result->candidates,
				       struct match_candidate, best)
				 .covered;
	}
}

struct match_result *
match_run(const struct providers *providers, const struct match_case *c,
	  const struct match_state *states, gint64 now)
{
	struct match_result *result = g_new0(struct match_result, 1);
	guint count = providers_count(providers);
	guint language = providers_language_bit(c->language);
	g_autofree char *domain =
		c->requester_domain ? g_ascii_strdown(c->requester_domain, -1)
				    : NULL;
	struct local_times times;
	static const struct match_state nothing = {0};

	result->candidates =
		g_array_new(FALSE, FALSE, sizeof(struct match_candidate));
	result->selection = g_array_new(FALSE, FALSE, sizeof(guint));
	result->excluded =
		g_array_new(FALSE, FALSE, sizeof(struct match_excluded));
	local_times_init(&times, providers, now);

	for (guint i = 0; i < count; i++) {
		const struct provider *p = providers_at(providers, i);
		const struct match_state *state =
			states ? &states[i] : &nothing;
		struct match_candidate candidate = {
			.provider = p,
			.index = i,
			.covered = p->services & c->needs,
			.open_cases = state->open_cases,
			.max_open_cases = p->max_open_cases,
			.last_introduced = state->last_introduced,
		};

		if (conflict_lower(p, domain)) {
			exclude(result, p, i, MATCH_EXCLUDED_CONFLICT);
			continue;
		}
		if (p->paused || state->paused) {
			exclude(result, p, i, MATCH_EXCLUDED_PAUSED);
			continue;
		}
		if (state->declined) {
			exclude(result, p, i, MATCH_EXCLUDED_DECLINED);
			continue;
		}
		if (state->introduced) {
			exclude(result, p, i, MATCH_EXCLUDED_INTRODUCED);
			continue;
		}
		if (c->needs != 0 && candidate.covered == 0) {
			exclude(result, p, i, MATCH_EXCLUDED_SERVICE);
			continue;
		}
		if (!region_fit(p, c, &candidate.region)) {
			exclude(result, p, i, MATCH_EXCLUDED_REGION);
			continue;
		}
		if (language != 0 && !(p->languages_mask & language)) {
			exclude(result, p, i, MATCH_EXCLUDED_LANGUAGE);
			continue;
		}
		if (state->open_cases >= p->max_open_cases) {
			exclude(result, p, i, MATCH_EXCLUDED_CAPACITY);
			continue;
		}
		if (p->pledged_hours > 0 &&
		    state->hours_used >= p->pledged_hours) {
			exclude(result, p, i, MATCH_EXCLUDED_HOURS);
			continue;
		}
		candidate.on_call = provider_on_call_local(
			p, times.weekday[p->timezone_index],
			times.minute[p->timezone_index]);
		if (c->urgent && !candidate.on_call) {
			exclude(result, p, i, MATCH_EXCLUDED_OFF_DUTY);
			continue;
		}
		candidate.language = language != 0;
		candidate.score =
			share(candidate.covered, c->needs,
			      MATCH_SCORE_COVERAGE) +
			region_score(candidate.region) +
			(candidate.language ? MATCH_SCORE_LANGUAGE : 0) +
			(candidate.on_call ? MATCH_SCORE_ON_CALL : 0) +
			MATCH_SCORE_LOAD *
				(p->max_open_cases - state->open_cases) /
				p->max_open_cases;
		g_array_append_val(result->candidates, candidate);
	}
	local_times_clear(&times);
	g_array_sort(result->candidates, compare_candidates);
	select_candidates(result, c->needs);
	return result;
}

void
match_result_free(struct match_result *result)
{
	if (result == NULL)
		return;
	g_array_unref(result->candidates);
	g_array_unref(result->selection);
	g_array_unref(result->excluded);
	g_free(result);
}

const struct match_candidate *
match_candidate_at(const struct match_result *result, guint rank)
{
	g_return_val_if_fail(rank < result->candidates->len, NULL);
	return &g_array_index(result->candidates, struct match_candidate, rank);
}

char *
match_candidate_describe(const struct providers *providers,
			 const struct match_candidate *candidate)
{
	g_autofree char *needs =
		providers_needs_text(providers, candidate->covered);

	return g_strdup_printf(
		"score=%d needs=%s region=%s language=%s on_call=%s "
		"load=%d/%d",
		candidate->score, *needs ? needs : "-",
		match_region_name(candidate->region),
		candidate->language ? "yes" : "any",
		candidate->on_call ? "yes" : "no", candidate->open_cases,
		candidate->max_open_cases);
}

static const char *
field_of(const GHashTable *fields, const char *id)
{
	const char *value =
		fields ? g_hash_table_lookup((GHashTable *)fields, id) : NULL;

	return value != NULL && *value != '\0' ? value : NULL;
}

void
match_case_from_fields(const struct providers *providers,
		       const GHashTable *fields, const char *requester_address,
		       const char *case_language, struct match_case *c,
		       guint *unknown_needs)
{
	const char *at =
		requester_address ? strrchr(requester_address, '@') : NULL;
	const char *language = field_of(fields, "language");

	memset(c, 0, sizeof(*c));
	c->needs = providers_needs_mask(providers, field_of(fields, "need"),
					unknown_needs);
	c->country = field_of(fields, "country");
	c->postcode =
		match_postcode_from_location(field_of(fields, "location"));
	c->language = language ? language : case_language;
	c->urgent = g_strcmp0(field_of(fields, "care_impact"), "yes") == 0;
	c->requester_domain = at != NULL && at[1] != '\0' ? at + 1 : NULL;
}

guint
match_postcode_from_location(const char *location)
{
	size_t length;

	if (location == NULL)
		return 0;
	length = strnlen(location, LOCATION_MAX_BYTES);
	for (size_t i = 0; i < length; i++) {
		size_t digits = 0;
		guint value = 0;

		if (!g_ascii_isdigit(location[i]) ||
		    (i > 0 && g_ascii_isalnum(location[i - 1])))
			continue;
		while (i + digits < length &&
		       g_ascii_isdigit(location[i + digits])) {
			value = value * 10 +
				(guint)(location[i + digits] - '0');
			digits++;
			if (digits > 5)
				break;
		}
		if ((digits == 4 || digits == 5) &&
		    (i + digits >= length ||
		     !g_ascii_isalnum(location[i + digits])))
			return value;
		i += digits;
	}
	return 0;
}
