/* test-provider-values.c — the value forms of providers.conf: regions,
 * on-call windows, fingerprints and domains, good and bad. */
#include <string.h>

#include "provider-values.h"

static void
test_regions(void)
{
	static const struct {
		const char *text;
		gboolean ok;
		enum provider_region_kind kind;
		const char *country;
		const char *subdivision;
		guint low, high;
	} rows[] = {
		{"*", TRUE, PROVIDER_REGION_ANYWHERE, "", NULL, 0, 0},
		{"BE", TRUE, PROVIDER_REGION_COUNTRY, "BE", NULL, 0, 0},
		{"nl", TRUE, PROVIDER_REGION_COUNTRY, "NL", NULL, 0, 0},
		{"BE-VOV", TRUE, PROVIDER_REGION_PROVINCE, "BE", "BE-VOV", 0,
		 0},
		{"fr-75", TRUE, PROVIDER_REGION_PROVINCE, "FR", "FR-75", 0, 0},
		{"NL-NH", TRUE, PROVIDER_REGION_PROVINCE, "NL", "NL-NH", 0, 0},
		{"BE-9000-9999", TRUE, PROVIDER_REGION_POSTCODE, "BE", NULL,
		 9000, 9999},
		{"DE-10115-14199", TRUE, PROVIDER_REGION_POSTCODE, "DE", NULL,
		 10115, 14199},
		{"BE-9000-9000", TRUE, PROVIDER_REGION_POSTCODE, "BE", NULL,
		 9000, 9000},
		{"", FALSE, 0, "", NULL, 0, 0},
		{"B", FALSE, 0, "", NULL, 0, 0},
		{"BEL", FALSE, 0, "", NULL, 0, 0},
		{"Belgium", FALSE, 0, "", NULL, 0, 0},
		{"B1", FALSE, 0, "", NULL, 0, 0},
		{"BE-", FALSE, 0, "", NULL, 0, 0},
		{"BE-VOVX", FALSE, 0, "", NULL, 0, 0},
		{"BE-V.V", FALSE, 0, "", NULL, 0, 0},
		{"BE-9999-9000", FALSE, 0, "", NULL, 0, 0},
		{"BE-900-999", FALSE, 0, "", NULL, 0, 0},
		{"BE-9000-999999", FALSE, 0, "", NULL, 0, 0},
		{"BE-9000", FALSE, 0, "", NULL, 0, 0}, /* 4 characters */
		{"BE-9000-", FALSE, 0, "", NULL, 0, 0},
		{"BE-9000-9999x", FALSE, 0, "", NULL, 0, 0},
		{"**", FALSE, 0, "", NULL, 0, 0},
	};

	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		struct provider_region region;
		gboolean ok = provider_parse_region(rows[i].text, &region);

		if (ok != rows[i].ok)
			g_test_message("region \"%s\"", rows[i].text);
		g_assert_true(ok == rows[i].ok);
		if (!ok)
			continue;
		g_assert_cmpint(region.kind, ==, rows[i].kind);
		g_assert_cmpstr(region.country, ==, rows[i].country);
		g_assert_cmpstr(region.subdivision, ==, rows[i].subdivision);
		g_assert_cmpuint(region.postcode_low, ==, rows[i].low);
		g_assert_cmpuint(region.postcode_high, ==, rows[i].high);
		g_free(region.subdivision);
	}
}

static void
test_windows(void)
{
	static const struct {
		const char *text;
		gboolean ok;
		guint8 days;
		guint start, end;
	} rows[] = {
		{"Mon-Fri 08:00-18:00", TRUE, 0x1f, 480, 1080},
		{"mon-fri 08:00-18:00", TRUE, 0x1f, 480, 1080},
		{"Sat,Sun 10:00-14:00", TRUE, 0x60, 600, 840},
		{"Fri-Mon 18:00-08:00", TRUE, 0x71, 1080, 480},
		{"daily 00:00-24:00", TRUE, 0x7f, 0, 1440},
		{"Wed 23:30-24:00", TRUE, 0x04, 1410, 1440},
		{"Mon,Wed-Thu 09:15-12:45", TRUE, 0x0d, 555, 765},
		{"Mon-Fri  08:00-18:00", TRUE, 0x1f, 480, 1080},
		{"Mon-Fri 8:00-18:00", FALSE, 0, 0, 0},
		{"Mon-Fri 08:00-18", FALSE, 0, 0, 0},
		{"Mon-Fri 08:00-08:00", FALSE, 0, 0, 0},
		{"Mon-Fri 24:00-08:00", FALSE, 0, 0, 0},
		{"Mon-Fri 08:60-09:00", FALSE, 0, 0, 0},
		{"Mon-Fri 08:00-24:01", FALSE, 0, 0, 0},
		{"Monday 08:00-18:00", FALSE, 0, 0, 0},
		{"Mon-Fry 08:00-18:00", FALSE, 0, 0, 0},
		{"Mon-Fri", FALSE, 0, 0, 0},
		{"08:00-18:00", FALSE, 0, 0, 0},
		{"Mon-Fri 08:00-18:00 CET", FALSE, 0, 0, 0},
		{"", FALSE, 0, 0, 0},
	};

	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		struct provider_window window = {0};
		gboolean ok = provider_parse_window(rows[i].text, &window);

		if (ok != rows[i].ok)
			g_test_message("window \"%s\"", rows[i].text);
		g_assert_true(ok == rows[i].ok);
		if (!ok)
			continue;
		g_assert_cmpuint(window.days, ==, rows[i].days);
		g_assert_cmpuint(window.start, ==, rows[i].start);
		g_assert_cmpuint(window.end, ==, rows[i].end);
	}
}

static void
test_fingerprints_and_domains(void)
{
	static const struct {
		const char *text;
		const char *expect;
	} fingerprints[] =
		{
			{"3F2A 9C41 7B0E 55D1 A8C6  0E9B 4D27 1F83 C6A0 B512",
			 "3F2A9C417B0E55D1A8C60E9B4D271F83C6A0B512"},
			{"9d1e44b07c23a5f6e8b1d09c3a7e2f1045b6c8d2",
			 "9D1E44B07C23A5F6E8B1D09C3A7E2F1045B6C8D2"},
			{"9d1e44b07c23a5f6e8b1d09c3a7e2f1045b6c8d", NULL},
			{"9d1e44b07c23a5f6e8b1d09c3a7e2f1045b6c8d2a", NULL},
			{"0x9d1e44b07c23a5f6e8b1d09c3a7e2f1045b6c8", NULL},
			{"", NULL},
		},
	  domains[] = {
		  {"Example.TEST", "example.test"},
		  {"mail.az-voorbeeld.example.test",
		   "mail.az-voorbeeld.example.test"},
		  {"localhost", NULL},
		  {"-bad.example", NULL},
		  {"bad-.example", NULL},
		  {"a..example", NULL},
		  {"under_score.example", NULL},
		  {"space .example", NULL},
		  {".example", NULL},
	  };

	for (size_t i = 0; i < G_N_ELEMENTS(fingerprints); i++) {
		g_autofree char *out =
			provider_normalise_fingerprint(fingerprints[i].text);

		g_assert_cmpstr(out, ==, fingerprints[i].expect);
	}
	for (size_t i = 0; i < G_N_ELEMENTS(domains); i++) {
		g_autofree char *out =
			provider_normalise_domain(domains[i].text);

		g_assert_cmpstr(out, ==, domains[i].expect);
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/provider-values/regions", test_regions);
	g_test_add_func("/provider-values/windows", test_windows);
	g_test_add_func("/provider-values/fingerprints-and-domains",
			test_fingerprints_and_domains);
	return g_test_run();
}
