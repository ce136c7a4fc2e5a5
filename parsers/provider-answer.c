/* provider-answer.c — a provider's accept or decline of an introduction
 * (see provider-answer.h).  The phrase table works like consent.c's. */
#include "provider-answer.h"

#include "phrase.h"
#include "quote.h"

enum kind {
	KIND_ACCEPT,
	KIND_DECLINE,
	KIND_CONDITION,
};

#define ACCEPT(words, lang)                                                    \
	{                                                                      \
		words, KIND_ACCEPT, KIND_DECLINE, lang                         \
	}
#define DECLINE(words, lang)                                                   \
	{                                                                      \
		words, KIND_DECLINE, -1, lang                                  \
	}
#define CONDITION(words, lang)                                                 \
	{                                                                      \
		words, KIND_CONDITION, -1, lang                                \
	}

static const struct phrase provider_phrases[] = {
	/* shared */
	ACCEPT("ok", NULL),
	ACCEPT("okay", NULL),
	ACCEPT("ja", NULL),
	ACCEPT("prima", NULL),
	/* en */
	ACCEPT("yes", "en"),
	ACCEPT("accept", "en"),
	ACCEPT("accepted", "en"),
	ACCEPT("we accept", "en"),
	ACCEPT("we take it", "en"),
	ACCEPT("we ll take it", "en"),
	ACCEPT("we will take it", "en"),
	ACCEPT("we take this", "en"),
	ACCEPT("we ll take this", "en"),
	ACCEPT("we can take", "en"),
	ACCEPT("we can help", "en"),
	ACCEPT("happy to help", "en"),
	ACCEPT("count us in", "en"),
	ACCEPT("on it", "en"),
	ACCEPT("we can do it", "en"),
	ACCEPT("sure", "en"),
	DECLINE("no", "en"),
	DECLINE("decline", "en"),
	DECLINE("we decline", "en"),
	DECLINE("no capacity", "en"),
	DECLINE("no time", "en"),
	DECLINE("not available", "en"),
	DECLINE("unavailable", "en"),
	DECLINE("unable", "en"),
	DECLINE("cannot take", "en"),
	DECLINE("can t take", "en"),
	DECLINE("cannot help", "en"),
	DECLINE("can t help", "en"),
	DECLINE("fully booked", "en"),
	DECLINE("too busy", "en"),
	DECLINE("full capacity", "en"),
	DECLINE("at capacity", "en"),
	DECLINE("not this time", "en"),
	DECLINE("we cannot", "en"),
	DECLINE("we can t", "en"),
	DECLINE("pass on this", "en"),
	DECLINE("unfortunately not", "en"),
	DECLINE("sorry no", "en"),
	CONDITION("only if", "en"),
	CONDITION("provided that", "en"),
	CONDITION("on condition", "en"),
	CONDITION("maybe", "en"),
	CONDITION("perhaps", "en"),
	CONDITION("not sure", "en"),
	CONDITION("next week", "en"),
	CONDITION("need to check", "en"),
	/* nl */
	ACCEPT("akkoord", "nl"),
	ACCEPT("wij nemen dit op ons", "nl"),
	ACCEPT("we nemen dit op ons", "nl"),
	ACCEPT("nemen dit op ons", "nl"),
	ACCEPT("nemen het op ons", "nl"),
	ACCEPT("nemen dit op", "nl"),
	ACCEPT("nemen het op", "nl"),
	ACCEPT("pakken dit op", "nl"),
	ACCEPT("pakken het op", "nl"),
	ACCEPT("kunnen helpen", "nl"),
	ACCEPT("helpen graag", "nl"),
	ACCEPT("aanvaard", "nl"),
	ACCEPT("aanvaarden", "nl"),
	ACCEPT("doen we", "nl"),
	ACCEPT("we doen het", "nl"),
	/* the one-word answers introduction_provider.tmpl asks for */
	ACCEPT("accepteren", "nl"),
	ACCEPT("accepteer", "nl"),
	ACCEPT("wij accepteren", "nl"),
	DECLINE("weigeren", "nl"),
	DECLINE("wij weigeren", "nl"),
	DECLINE("nee", "nl"),
	DECLINE("neen", "nl"),
	DECLINE("geen capaciteit", "nl"),
	DECLINE("geen tijd", "nl"),
	DECLINE("niet beschikbaar", "nl"),
	DECLINE("helaas niet", "nl"),
	DECLINE("helaas geen", "nl"),
	DECLINE("niet mogelijk", "nl"),
	DECLINE("zitten vol", "nl"),
	DECLINE("te druk", "nl"),
	DECLINE("kunnen we niet", "nl"),
	DECLINE("kunnen niet", "nl"),
	DECLINE("niet doen", "nl"),
	DECLINE("moeten passen", "nl"),
	CONDITION("alleen als", "nl"),
	CONDITION("mits", "nl"),
	CONDITION("op voorwaarde", "nl"),
	CONDITION("misschien", "nl"),
	CONDITION("volgende week", "nl"),
	/* fr */
	ACCEPT("oui", "fr"),
	ACCEPT("d accord", "fr"),
	ACCEPT("nous acceptons", "fr"),
	ACCEPT("acceptons", "fr"),
	ACCEPT("prenons", "fr"),
	ACCEPT("j accepte", "fr"),
	ACCEPT("accepte", "fr"),
	ACCEPT("nous prenons", "fr"),
	ACCEPT("on prend", "fr"),
	ACCEPT("nous nous en chargeons", "fr"),
	ACCEPT("on s en charge", "fr"),
	ACCEPT("volontiers", "fr"),
	ACCEPT("je m en occupe", "fr"),
	ACCEPT("on s en occupe", "fr"),
	ACCEPT("nous nous en occupons", "fr"),
	ACCEPT("accepter", "fr"),
	DECLINE("refuser", "fr"),
	DECLINE("refusons", "fr"),
	DECLINE("nous refusons", "fr"),
	DECLINE("je refuse", "fr"),
	DECLINE("non", "fr"),
	DECLINE("pas disponible", "fr"),
	DECLINE("pas disponibles", "fr"),
	DECLINE("indisponible", "fr"),
	DECLINE("pas de disponibilite", "fr"),
	DECLINE("pas de capacite", "fr"),
	DECLINE("malheureusement pas", "fr"),
	DECLINE("malheureusement non", "fr"),
	DECLINE("pas possible", "fr"),
	DECLINE("declinons", "fr"),
	DECLINE("complet", "fr"),
	DECLINE("complets", "fr"),
	DECLINE("sommes complets", "fr"),
	CONDITION("seulement si", "fr"),
	CONDITION("a condition", "fr"),
	CONDITION("sous reserve", "fr"),
	CONDITION("peut etre", "fr"),
	CONDITION("semaine prochaine", "fr"),
	/* de */
	ACCEPT("wir ubernehmen", "de"),
	ACCEPT("ubernehmen", "de"),
	ACCEPT("ubernehmen wir", "de"),
	ACCEPT("einverstanden", "de"),
	ACCEPT("gerne", "de"),
	ACCEPT("wir helfen", "de"),
	ACCEPT("konnen helfen", "de"),
	ACCEPT("machen wir", "de"),
	ACCEPT("wir machen das", "de"),
	ACCEPT("annehmen", "de"),
	ACCEPT("nehmen an", "de"),
	ACCEPT("wir nehmen an", "de"),
	DECLINE("lehnen ab", "de"),
	DECLINE("wir lehnen ab", "de"),
	DECLINE("nein", "de"),
	DECLINE("keine kapazitat", "de"),
	DECLINE("keine kapazitaten", "de"),
	DECLINE("keine zeit", "de"),
	DECLINE("nicht verfugbar", "de"),
	DECLINE("nicht moglich", "de"),
	DECLINE("leider nicht", "de"),
	DECLINE("ausgelastet", "de"),
	DECLINE("ablehnen", "de"),
	DECLINE("absagen", "de"),
	CONDITION("nur wenn", "de"),
	CONDITION("sofern", "de"),
	CONDITION("unter der bedingung", "de"),
	CONDITION("vielleicht", "de"),
	CONDITION("nachste woche", "de"),
};

const char *
provider_answer_name(enum provider_answer answer)
{
	switch (answer) {
	case PROVIDER_ANSWER_UNCLEAR:
		return "unclear";
	case PROVIDER_ANSWER_ACCEPT:
		return "accept";
	case PROVIDER_ANSWER_DECLINE:
		return "decline";
	}
	return "unclear";
}

/* Unlike consent, a question does not make an accept unclear: "We take
 * it.  Who is the contact?" is an accept.  A stray negation next to an
 * accept does ("ok, but not before Monday"). */
static void
decide(struct provider_answer_result *result, const struct phrase_scan *scan)
{
	gint64 accept = phrase_scan_first_line(scan, KIND_ACCEPT);
	gint64 decline = phrase_scan_first_line(scan, KIND_DECLINE);
	gint64 condition = phrase_scan_first_line(scan, KIND_CONDITION);
	gint64 line = -1;

	result->answer = PROVIDER_ANSWER_UNCLEAR;
	if (scan->lines->len == 0) {
		result->reason = "empty";
		return;
	}
	if (condition >= 0) {
		result->reason = "condition";
		line = condition;
	} else if (accept >= 0 && decline >= 0) {
		result->reason = "mixed";
		line = MIN(accept, decline);
	} else if (accept >= 0 && scan->stray_negation_lines->len > 0) {
		result->reason = "condition";
		line = g_array_index(scan->stray_negation_lines, guint, 0);
	} else if (accept >= 0) {
		result->answer = PROVIDER_ANSWER_ACCEPT;
		result->reason = "accept";
		line = accept;
	} else if (decline >= 0) {
		result->answer = PROVIDER_ANSWER_DECLINE;
		result->reason = "decline";
		line = decline;
	} else {
		result->reason = "no_answer";
	}
	if (line >= 0)
		result->excerpt = phrase_scan_excerpt(
			scan, (guint)line, PROVIDER_ANSWER_EXCERPT_MAX_CHARS);
}

struct provider_answer_result *
provider_answer_parse(const char *fresh)
{
	struct provider_answer_result *result =
		g_new0(struct provider_answer_result, 1);
	g_autoptr(PhraseScan) scan = phrase_scan(
		fresh, provider_phrases, G_N_ELEMENTS(provider_phrases));

	decide(result, scan);
	result->truncated = scan->truncated;
	if (scan->lines->len > 0)
		result->language = phrase_scan_language(scan);
	return result;
}

struct provider_answer_result *
provider_answer_parse_reply(const char *body, const char *subject)
{
	g_autoptr(QuoteResult) split = quote_parse(body ? body : "", subject);

	return provider_answer_parse(split->fresh);
}

void
provider_answer_result_free(struct provider_answer_result *result)
{
	if (result == NULL)
		return;
	g_free(result->excerpt);
	g_free(result);
}
