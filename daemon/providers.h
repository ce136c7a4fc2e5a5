/* providers.h — the volunteer providers a support case can be offered
 * to, loaded from providers.conf (docs/providers.md).
 *
 * The file lists each provider (who, how to reach them, what they offer,
 * where and in which languages, how much they pledged, when they are on
 * call) and, optionally, the qualification rules (qualify.h).  A loaded
 * registry is immutable and reference counted like struct questionnaire,
 * so a reload can swap it under running stages; every pointer handed out
 * stays valid while the caller holds a reference.  What changes while
 * intaked runs (a provider paused from intakectl, open cases, hours used,
 * introductions) lives in the database and is passed to match_run()
 * (match.h) as struct match_state. */
#ifndef INTAKED_PROVIDERS_H
#define INTAKED_PROVIDERS_H

#include <glib.h>

#include "qualify.h"

#define PROVIDERS_ERROR providers_error_quark()
GQuark providers_error_quark(void);

enum providers_error_code {
	PROVIDERS_ERROR_LOAD, /* the file: message lists every problem */
};

/* Most needs a registry knows (services are a bit mask of them). */
#define PROVIDERS_MAX_NEEDS 32
/* Most providers in one file. */
#define PROVIDERS_MAX 10000

/* Language bits of provider.languages_mask. */
enum {
	PROVIDER_LANGUAGE_EN = 1 << 0,
	PROVIDER_LANGUAGE_NL = 1 << 1,
	PROVIDER_LANGUAGE_FR = 1 << 2,
	PROVIDER_LANGUAGE_DE = 1 << 3,
};

enum provider_region_kind {
	PROVIDER_REGION_ANYWHERE, /* "*": remote work, any country */
	PROVIDER_REGION_COUNTRY,  /* "BE": ISO 3166-1 alpha-2 */
	PROVIDER_REGION_PROVINCE, /* "BE-VOV": ISO 3166-2 subdivision */
	PROVIDER_REGION_POSTCODE, /* "BE-9000-9999": postcodes, inclusive */
};

struct provider_region {
	enum provider_region_kind kind;
	char country[3];    /* upper case; "" for ANYWHERE */
	char *subdivision;  /* PROVINCE: "BE-VOV"; else NULL */
	guint postcode_low; /* POSTCODE: the range, inclusive */
	guint postcode_high;
	char *text; /* as written, for people */
};

/* An on-call window: on the days in days (bit 0 Monday .. bit 6 Sunday)
 * from start to end, in minutes after local midnight.  end <= start
 * runs past midnight into the next day ("Mon-Fri 18:00-08:00"). */
struct provider_window {
	guint8 days;
	guint16 start; /* 0 .. 1439 */
	guint16 end;   /* 1 .. 1440 */
	char *text;    /* as written */
};

/* One provider.  Read-only for callers. */
struct provider {
	char *id;
	char *name;
	char **contacts;   /* addresses, NULL-terminated, at least one */
	char *fingerprint; /* 40 upper-case hex digits, or NULL */
	guint32 services;  /* bit i: need providers_need_name(i) */
	struct provider_region *regions;
	guint region_count;
	char **languages; /* "en", "nl", "fr", "de"; NULL-terminated */
	guint languages_mask;
	int max_open_cases;   /* > 0 */
	int pledged_hours;    /* expert hours pledged; 0: no hour budget */
	gboolean paused;      /* in the file; intakectl can pause too */
	char *timezone;	      /* of the windows, "Europe/Brussels" */
	guint timezone_index; /* into providers_timezone_at() */
	struct provider_window *windows;
	guint window_count; /* 0: always on call */
	char *offer;	    /* free text, or NULL */
	/* The provider's own organisation domains, lower case,
	 * NULL-terminated (maybe empty): never matched to a requester
	 * from one of them (conflict of interest). */
	char **domains;
	unsigned line; /* where it is declared */
};

struct providers;

/* Loads and validates path.  needs and incident_types (NULL-terminated)
 * are the values the questionnaire's need and incident_type fields take;
 * NULL: the shipped questionnaire's.  Every problem is collected as
 * "file:line: what is wrong", one per line, in error
 * (PROVIDERS_ERROR_LOAD), and NULL returned.  Returns a new reference. */
struct providers *providers_load(const char *path, const char *const *needs,
				 const char *const *incident_types,
				 GError **error);

/* Loads path with the need and incident_type values of questionnaire
 * (NULL: the shipped questionnaire's), as intaked and intakectl do. */
struct questionnaire;
struct providers *providers_load_for(const char *path,
				     const struct questionnaire *questionnaire,
				     GError **error);

/* Same, from a string; name is used in messages.  For tests. */
struct providers *providers_load_string(const char *text, const char *name,
					const char *const *needs,
					const char *const *incident_types,
					GError **error);

struct providers *providers_ref(struct providers *providers);
void providers_unref(struct providers **providers);

/* The file it was loaded from (borrowed). */
const char *providers_path(const struct providers *providers);

/* Providers in file order, 0 .. count - 1 (borrowed). */
guint providers_count(const struct providers *providers);
const struct provider *providers_at(const struct providers *providers,
				    guint index);
/* The provider called id and its index, or NULL (borrowed). */
const struct provider *providers_find(const struct providers *providers,
				      const char *id, guint *index);

/* The qualification rules of the file, or the built-in ones when it has
 * none (borrowed). */
const struct qualify_rules *
providers_qualify_rules(const struct providers *providers);

/* Needs: names by bit, and the bits of a stored list answer ("a,b").
 * Names the registry does not know are left out; *unknown (may be NULL)
 * counts them. */
guint providers_need_count(const struct providers *providers);
const char *providers_need_name(const struct providers *providers, guint bit);
guint32 providers_needs_mask(const struct providers *providers,
			     const char *list, guint *unknown);
/* "forensics,recovery" for a mask, in need order.  A new string. */
char *providers_needs_text(const struct providers *providers, guint32 mask);

/* PROVIDER_LANGUAGE_* for "en" .. "de" (any case); 0 for others. */
guint providers_language_bit(const char *lang);

/* The distinct time zones of the windows (borrowed). */
guint providers_timezone_count(const struct providers *providers);
GTimeZone *providers_timezone_at(const struct providers *providers,
				 guint index);

/* Whether provider is on call at local weekday (1 Monday .. 7 Sunday) and
 * minute (0 .. 1439) of its own time zone.  Without windows: always. */
gboolean provider_on_call_local(const struct provider *provider, int weekday,
				int minute);
/* The same at a Unix time (seconds). */
gboolean provider_on_call(const struct providers *providers,
			  const struct provider *provider, gint64 now);

#endif
