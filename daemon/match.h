/* match.h — which volunteer providers to introduce to a support case.
 * Pure logic: the registry, the case, the providers' current state and
 * the time all come in as arguments; nothing is read or written.
 *
 * Every provider is either excluded, with one reason (conflict of
 * interest, paused, already declined or introduced, none of the needs,
 * region, language, capacity, hours, off duty for an urgent case), or a
 * candidate with a score and the facts behind it (needs covered, how
 * well the region fits, language, on call now, load).  Candidates are
 * ranked by score; among equal scores the one introduced longest ago
 * comes first (fair rotation), then file order.  The selection is whom
 * to introduce: the best candidate covering every need, or, when no one
 * covers them all, a set of candidates chosen greedily (each step the
 * one covering most of the needs still open, ties by rank). */
#ifndef INTAKED_MATCH_H
#define INTAKED_MATCH_H

#include <glib.h>

#include "providers.h"

/* Score parts (docs/providers.md lists them). */
#define MATCH_SCORE_COVERAGE	 100 /* times the share of needs covered */
#define MATCH_SCORE_POSTCODE	 30
#define MATCH_SCORE_PROVINCE	 25
#define MATCH_SCORE_COUNTRY	 15
#define MATCH_SCORE_ANYWHERE	 10
#define MATCH_SCORE_COUNTRY_PART 5 /* serves part of the country */
#define MATCH_SCORE_LANGUAGE	 20
#define MATCH_SCORE_ON_CALL	 20
#define MATCH_SCORE_LOAD	 15 /* times the share of capacity free */

/* The case, as matching sees it. */
struct match_case {
	guint32 needs;	      /* providers_needs_mask(); 0: any provider */
	const char *country;  /* ISO 3166-1 alpha-2 ("BE"), or NULL */
	const char *province; /* ISO 3166-2 ("BE-VOV"), or NULL */
	guint postcode;	      /* 0: unknown */
	const char *language; /* "nl"; NULL: any */
	/* The requester's mail domain ("az-voorbeeld.example"), or NULL. */
	const char *requester_domain;
	/* Only providers on call right now (a case that cannot wait, such
	 * as care_impact = yes). */
	gboolean urgent;
};

/* What the database knows about one provider for this case; index i
 * belongs to providers_at(i).  All zero: nothing known. */
struct match_state {
	int open_cases;
	int hours_used;
	gboolean paused;	/* paused from intakectl */
	gboolean introduced;	/* already introduced for this case */
	gboolean declined;	/* declined this case */
	gint64 last_introduced; /* Unix time of the last introduction to any
				   case; 0: never */
};

enum match_exclusion {
	MATCH_EXCLUDED_CONFLICT,   /* the requester's own organisation */
	MATCH_EXCLUDED_PAUSED,	   /* in the file or from intakectl */
	MATCH_EXCLUDED_DECLINED,   /* declined this case */
	MATCH_EXCLUDED_INTRODUCED, /* already introduced for this case */
	MATCH_EXCLUDED_SERVICE,	   /* offers none of the needs */
	MATCH_EXCLUDED_REGION,	   /* does not serve the case's region */
	MATCH_EXCLUDED_LANGUAGE,   /* does not speak the case's language */
	MATCH_EXCLUDED_CAPACITY,   /* max_open_cases reached */
	MATCH_EXCLUDED_HOURS,	   /* pledged hours used up */
	MATCH_EXCLUDED_OFF_DUTY,   /* urgent case, not on call now */
};

/* How a candidate's regions fit the case. */
enum match_region {
	MATCH_REGION_ANY,	   /* the case has no country */
	MATCH_REGION_ANYWHERE,	   /* "*" */
	MATCH_REGION_COUNTRY,	   /* the whole country */
	MATCH_REGION_COUNTRY_PART, /* provinces or postcodes of the country;
				      the case's are unknown */
	MATCH_REGION_PROVINCE,
	MATCH_REGION_POSTCODE,
};

struct match_candidate {
	const struct provider *provider; /* borrowed from the registry */
	guint index;			 /* providers_at(index) */
	int score;
	guint32 covered; /* the case's needs this provider offers */
	enum match_region region;
	gboolean language; /* speaks the case's language (FALSE: none set) */
	gboolean on_call;
	int open_cases;
	int max_open_cases;
	gint64 last_introduced;
};

struct match_excluded {
	const struct provider *provider;
	guint index;
	enum match_exclusion reason;
};

struct match_result {
	/* struct match_candidate, best first. */
	GArray *candidates;
	/* Indexes (guint) into candidates: whom to introduce. */
	GArray *selection;
	/* Needs of the case that no candidate offers. */
	guint32 uncovered;
	/* struct match_excluded, in registry order. */
	GArray *excluded;
};

/* Fills *match_case from a case's fields (field id -> value, as the
 * store keeps them): needs from "need", the country from "country"
 * ("other" matches only providers serving "*"), the postcode from
 * "location", the language from "language" or else case_language (may
 * be NULL), urgent from care_impact = yes, and the requester's domain
 * from requester_address (a bare addr-spec, "a@b.example", as the store
 * keeps it).  The strings are borrowed from field_values and
 * requester_address, which must outlive *match_case.
 * *unknown_needs (may be NULL) counts need values the registry does not
 * know. */
void match_case_from_fields(const struct providers *providers,
			    const GHashTable *field_values,
			    const char *requester_address,
			    const char *case_language,
			    struct match_case *match_case,
			    guint *unknown_needs);

/* Matches one case.  states has providers_count(providers) entries, or
 * is NULL (nothing known).  now is a Unix time.  Returns a new result;
 * free it with match_result_free(). */
struct match_result *match_run(const struct providers *providers,
			       const struct match_case *match_case,
			       const struct match_state *states, gint64 now);

void match_result_free(struct match_result *result);
typedef struct match_result MatchResult;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MatchResult, match_result_free)

/* The candidate at rank i (borrowed). */
const struct match_candidate *match_candidate_at(const struct match_result *,
						 guint rank);

/* "conflict", "paused", "declined", "introduced", "service", "region",
 * "language", "capacity", "hours", "off_duty" (static). */
const char *match_exclusion_name(enum match_exclusion reason);
/* "any", "anywhere", "country", "country_part", "province", "postcode". */
const char *match_region_name(enum match_region region);

/* One line of reasons for people and logs: "score=170
 * needs=forensics,recovery region=postcode language=nl on_call=yes
 * load=1/3".  Returns a new string. */
char *match_candidate_describe(const struct providers *providers,
			       const struct match_candidate *candidate);

/* Whether domain (a requester's mail domain) is, or is under, or is above
 * one of the provider's own domains (case-insensitive). */
gboolean match_conflict_of_interest(const struct provider *provider,
				    const char *domain);

/* The first four- or five-digit number standing alone in a free-text
 * location ("Kouter 1, 9000 Gent" -> 9000), for match_case.postcode; 0
 * when there is none.  Only the first 200 bytes are looked at. */
guint match_postcode_from_location(const char *location);

#endif
