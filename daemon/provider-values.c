/* provider-values.c — the value forms of providers.conf (see
 * provider-values.h).  Pure: strings in, structures out. */
#include "provider-values.h"

#include <string.h>

#define DOMAIN_MAX_BYTES 253

static const char *const day_names[] = {"mon", "tue", "wed", "thu",
					"fri", "sat", "sun", NULL};

/* "ABCD 1234 ..." -> 40 upper-case hex digits, or NULL. */
char *
provider_normalise_fingerprint(const char *text)
{
	GString *out = g_string_new(NULL);

	for (const char *p = text; *p != '\0'; p++) {
		if (*p == ' ')
			continue;
		if (!g_ascii_isxdigit(*p) || out->len >= 40) {
			g_string_free(out, TRUE);
			return NULL;
		}
		g_string_append_c(out, g_ascii_toupper(*p));
	}
	if (out->len != 40) {
		g_string_free(out, TRUE);
		return NULL;
	}
	return g_string_free(out, FALSE);
}

/* A host name of at least two labels, lower-cased; NULL if not. */
char *
provider_normalise_domain(const char *text)
{
	g_autofree char *lower = g_ascii_strdown(text, -1);
	g_auto(GStrv) labels = NULL;

	if (strlen(lower) > DOMAIN_MAX_BYTES || strchr(lower, '.') == NULL)
		return NULL;
	labels = g_strsplit(lower, ".", -1);
	for (size_t i = 0; labels[i] != NULL; i++) {
		size_t length = strlen(labels[i]);

		if (length == 0 || length > 63 || labels[i][0] == '-' ||
		    labels[i][length - 1] == '-')
			return NULL;
		for (const char *p = labels[i]; *p != '\0'; p++)
			if (!g_ascii_isalnum(*p) && *p != '-')
				return NULL;
	}
	return g_steal_pointer(&lower);
}

static gboolean
read_number(const char **p, guint min_digits, guint max_digits, guint *value)
{
	guint digits = 0;

	*value = 0;
	while (g_ascii_isdigit(**p) && digits < max_digits) {
		*value = *value * 10 + (guint)(**p - '0');
		(*p)++;
		digits++;
	}
	return digits >= min_digits && !g_ascii_isdigit(**p);
}

/* "*", "BE", "BE-VOV", "BE-9000-9999" (any case). */
gboolean
provider_parse_region(const char *text, struct provider_region *region)
{
	g_autofree char *upper = g_ascii_strup(text, -1);
	size_t length = strlen(upper);
	const char *p;

	memset(region, 0, sizeof(*region));
	if (strcmp(upper, "*") == 0) {
		region->kind = PROVIDER_REGION_ANYWHERE;
		return TRUE;
	}
	if (length < 2 || !g_ascii_isupper(upper[0]) ||
	    !g_ascii_isupper(upper[1]))
		return FALSE;
	memcpy(region->country, upper, 2);
	p = upper + 2;
	if (length == 2) {
		region->kind = PROVIDER_REGION_COUNTRY;
		return TRUE;
	}
	if (*p++ != '-')
		return FALSE;
	if (g_ascii_isdigit(*p) && strchr(p, '-') != NULL) {
		region->kind = PROVIDER_REGION_POSTCODE;
		if (!read_number(&p, 4, 5, &region->postcode_low) ||
		    *p++ != '-' ||
		    !read_number(&p, 4, 5, &region->postcode_high) ||
		    *p != '\0' || region->postcode_low > region->postcode_high)
			return FALSE;
		return TRUE;
	}
	length = strlen(p);
	if (length < 1 || length > 3)
		return FALSE;
	for (const char *q = p; *q != '\0'; q++)
		if (!g_ascii_isalnum(*q))
			return FALSE;
	region->kind = PROVIDER_REGION_PROVINCE;
	region->subdivision = g_strdup(upper);
	return TRUE;
}

static int
day_index(const char *text, size_t length)
{
	for (int i = 0; day_names[i] != NULL; i++)
		if (length == 3 &&
		    g_ascii_strncasecmp(text, day_names[i], 3) == 0)
			return i;
	return -1;
}

/* "Mon-Fri", "Sat,Sun", "Fri-Mon", "daily" -> bit mask, 0 if bad. */
static guint8
parse_days(const char *text)
{
	g_auto(GStrv) parts = NULL;
	guint8 days = 0;

	if (g_ascii_strcasecmp(text, "daily") == 0)
		return 0x7f;
	parts = g_strsplit(text, ",", -1);
	for (size_t i = 0; parts[i] != NULL; i++) {
		const char *dash = strchr(parts[i], '-');
		int first, last;

		if (dash == NULL) {
			first = last = day_index(parts[i], strlen(parts[i]));
		} else {
			first = day_index(parts[i], (size_t)(dash - parts[i]));
			last = day_index(dash + 1, strlen(dash + 1));
		}
		if (first < 0 || last < 0)
			return 0;
		for (int d = first;; d = (d + 1) % 7) {
			days |= (guint8)(1u << d);
			if (d == last)
				break;
		}
	}
	return days;
}

/* "HH:MM"; 24:00 only when allow_24. */
static gboolean
parse_clock(const char **p, gboolean allow_24, guint16 *minutes)
{
	guint hours, mins;

	if (!read_number(p, 2, 2, &hours) || *(*p)++ != ':' ||
	    !read_number(p, 2, 2, &mins) || mins > 59)
		return FALSE;
	if (hours > 24 || (hours == 24 && (!allow_24 || mins != 0)))
		return FALSE;
	*minutes = (guint16)(hours * 60 + mins);
	return TRUE;
}

/* "Mon-Fri 08:00-18:00". */
gboolean
provider_parse_window(const char *text, struct provider_window *window)
{
	const char *space = strchr(text, ' ');
	g_autofree char *days = NULL;
	const char *p;

	if (space == NULL)
		return FALSE;
	days = g_strndup(text, (gsize)(space - text));
	window->days = parse_days(days);
	p = space;
	while (*p == ' ')
		p++;
	if (window->days == 0 || !parse_clock(&p, FALSE, &window->start) ||
	    *p++ != '-' || !parse_clock(&p, TRUE, &window->end) || *p != '\0')
		return FALSE;
	return window->start != window->end;
}
