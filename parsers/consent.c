/* consent.c — a requester's yes or no to passing the case on (see
 * consent.h).
 *
 * The table holds folded phrases (phrase.h).  Negative phrases that
 * contain a negation ("geen bezwaar", "pas de problème", "kein Problem")
 * are entries of their own, so the longest match reads them as a yes
 * before the negation word could turn anything around. */
#include "consent.h"

#include "phrase.h"
#include "quote.h"

enum kind {
	KIND_YES,
	KIND_NO,
	KIND_CONDITION, /* a condition, deferral or doubt */
};

#define YES(words, lang)                                                       \
	{                                                                      \
		words, KIND_YES, KIND_NO, lang                                 \
	}
/* A yes that holds a negation itself ("geen bezwaar"): another negation
 * next to it is a double negative, not a no. */
#define YES_ALREADY_NEGATIVE(words, lang)                                      \
	{                                                                      \
		words, KIND_YES, -1, lang                                      \
	}
#define NO(words, lang)                                                        \
	{                                                                      \
		words, KIND_NO, -1, lang                                       \
	}
#define CONDITION(words, lang)                                                 \
	{                                                                      \
		words, KIND_CONDITION, -1, lang                                \
	}

static const struct phrase consent_phrases[] = {
	/* shared */
	YES("ok", NULL),
	YES("okay", NULL),
	YES("oke", NULL),
	YES("ja", NULL),
	YES("prima", NULL),
	CONDITION("dpo", NULL),
	/* en */
	YES("yes", "en"),
	YES("yep", "en"),
	YES("yeah", "en"),
	YES("sure", "en"),
	YES("agree", "en"),
	YES("agreed", "en"),
	YES("we agree", "en"),
	YES("i agree", "en"),
	YES("consent", "en"),
	YES("we consent", "en"),
	YES("go ahead", "en"),
	YES("please go ahead", "en"),
	YES("please do", "en"),
	YES("fine", "en"),
	YES("fine by us", "en"),
	YES("allowed", "en"),
	YES("approved", "en"),
	YES("of course", "en"),
	YES_ALREADY_NEGATIVE("no problem", "en"),
	YES_ALREADY_NEGATIVE("not a problem", "en"),
	YES_ALREADY_NEGATIVE("no objection", "en"),
	YES_ALREADY_NEGATIVE("no objections", "en"),
	NO("no", "en"),
	NO("nope", "en"),
	NO("no thanks", "en"),
	NO("no thank you", "en"),
	NO("no consent", "en"),
	NO("rather not", "en"),
	NO("do not share", "en"),
	NO("don t share", "en"),
	NO("do not want", "en"),
	NO("don t want", "en"),
	NO("please don t", "en"),
	NO("not at all", "en"),
	NO("refuse", "en"),
	NO("we refuse", "en"),
	NO("declined", "en"),
	CONDITION("but", "en"),
	CONDITION("except", "en"),
	CONDITION("only if", "en"),
	CONDITION("only after", "en"),
	CONDITION("provided that", "en"),
	CONDITION("on condition", "en"),
	CONDITION("unless", "en"),
	CONDITION("first", "en"),
	CONDITION("though", "en"),
	CONDITION("however", "en"),
	CONDITION("later", NULL),
	CONDITION("not now", "en"),
	CONDITION("maybe", "en"),
	CONDITION("perhaps", "en"),
	CONDITION("not sure", "en"),
	CONDITION("don t know", "en"),
	CONDITION("need to check", "en"),
	CONDITION("check with", "en"),
	CONDITION("privacy officer", "en"),
	CONDITION("data protection officer", "en"),
	CONDITION("legal", "en"),
	/* nl */
	YES("jazeker", "nl"),
	YES("ja hoor", "nl"),
	YES("jawel", "nl"),
	YES("akkoord", "nl"),
	YES("goed", "nl"),
	YES("graag", "nl"),
	YES("natuurlijk", "nl"),
	YES("uiteraard", "nl"),
	YES_ALREADY_NEGATIVE("geen enkel probleem", "nl"),
	YES_ALREADY_NEGATIVE("geen enkel bezwaar", "nl"),
	YES("toestemming", "nl"),
	YES("geven toestemming", "nl"),
	YES("ga uw gang", "nl"),
	YES("ga je gang", "nl"),
	YES_ALREADY_NEGATIVE("geen bezwaar", "nl"),
	YES_ALREADY_NEGATIVE("geen probleem", "nl"),
	YES("mag", "nl"),
	YES("dat mag", "nl"),
	YES("stemmen in", "nl"),
	YES("stem in", "nl"),
	NO("nee", "nl"),
	NO("neen", "nl"),
	NO("nee bedankt", "nl"),
	NO("liever niet", "nl"),
	NO("geen toestemming", "nl"),
	NO("niet delen", "nl"),
	NO("willen dat niet", "nl"),
	NO("willen we niet", "nl"),
	NO("stemmen niet in", "nl"),
	NO("stem niet in", "nl"),
	NO("weigeren", "nl"),
	CONDITION("maar", "nl"),
	CONDITION("behalve", "nl"),
	CONDITION("tenzij", "nl"),
	CONDITION("mits", "nl"),
	CONDITION("alleen als", "nl"),
	CONDITION("op voorwaarde", "nl"),
	CONDITION("eerst", "nl"),
	CONDITION("nu niet", "nl"),
	CONDITION("misschien", "nl"),
	CONDITION("weet niet", "nl"),
	CONDITION("weet ik niet", "nl"),
	CONDITION("overleggen", "nl"),
	CONDITION("navragen", "nl"),
	CONDITION("fg", "nl"),
	CONDITION("functionaris gegevensbescherming", "nl"),
	CONDITION("juridische dienst", "nl"),
	/* fr */
	YES("oui", "fr"),
	YES("d accord", "fr"),
	YES("accord", "fr"),
	YES("notre accord", "fr"),
	YES("nous donnons notre accord", "fr"),
	YES("j accepte", "fr"),
	YES("nous acceptons", "fr"),
	YES("accepte", "fr"),
	YES("entendu", "fr"),
	YES("volontiers", "fr"),
	YES("c est bon", "fr"),
	YES("ca marche", "fr"),
	YES("bien sur", "fr"),
	YES("allez y", "fr"),
	YES_ALREADY_NEGATIVE("pas de probleme", "fr"),
	YES_ALREADY_NEGATIVE("pas de souci", "fr"),
	YES_ALREADY_NEGATIVE("aucun probleme", "fr"),
	YES_ALREADY_NEGATIVE("pas d objection", "fr"),
	YES_ALREADY_NEGATIVE("aucune objection", "fr"),
	YES("consentement", "fr"),
	NO("non", "fr"),
	NO("non merci", "fr"),
	NO("pas d accord", "fr"),
	NO("plutot pas", "fr"),
	NO("pas de partage", "fr"),
	NO("refusons", "fr"),
	NO("je refuse", "fr"),
	NO("ne voulons pas", "fr"),
	NO("ne souhaitons pas", "fr"),
	CONDITION("mais", "fr"),
	CONDITION("sauf", "fr"),
	CONDITION("seulement si", "fr"),
	CONDITION("a condition", "fr"),
	CONDITION("sous reserve", "fr"),
	CONDITION("d abord", "fr"),
	CONDITION("plus tard", "fr"),
	CONDITION("pas maintenant", "fr"),
	CONDITION("peut etre", "fr"),
	CONDITION("je ne sais pas", "fr"),
	CONDITION("ne sais pas", "fr"),
	CONDITION("toutefois", "fr"),
	CONDITION("cependant", "fr"),
	CONDITION("rgpd", "fr"),
	CONDITION("delegue a la protection des donnees", "fr"),
	/* de */
	YES("jawohl", "de"),
	YES("einverstanden", "de"),
	YES("gerne", "de"),
	YES("gern", "de"),
	YES("passt", "de"),
	YES("klar", "de"),
	YES("selbstverstandlich", "de"),
	YES("in ordnung", "de"),
	YES("zustimmung", "de"),
	YES("stimmen zu", "de"),
	YES("stimme zu", "de"),
	YES_ALREADY_NEGATIVE("kein problem", "de"),
	YES_ALREADY_NEGATIVE("keine einwande", "de"),
	YES("naturlich", "de"),
	NO("nein", "de"),
	NO("nein danke", "de"),
	NO("lieber nicht", "de"),
	NO("bitte nicht", "de"),
	NO("wollen das nicht", "de"),
	NO("mochten das nicht", "de"),
	NO("keine weitergabe", "de"),
	NO("keine zustimmung", "de"),
	NO("stimmen nicht zu", "de"),
	NO("stimme nicht zu", "de"),
	NO("lehnen ab", "de"),
	NO("abgelehnt", "de"),
	CONDITION("aber", "de"),
	CONDITION("ausser", "de"),
	CONDITION("nur wenn", "de"),
	CONDITION("sofern", "de"),
	CONDITION("unter der bedingung", "de"),
	CONDITION("zuerst", "de"),
	CONDITION("erst", "de"),
	CONDITION("vorher", "de"),
	CONDITION("spater", "de"),
	CONDITION("jetzt nicht", "de"),
	CONDITION("vielleicht", "de"),
	CONDITION("weiss nicht", "de"),
	CONDITION("jedoch", "de"),
	CONDITION("allerdings", "de"),
	CONDITION("dsb", "de"),
	CONDITION("datenschutzbeauftragte", "de"),
	CONDITION("datenschutzbeauftragten", "de"),
	CONDITION("rucksprache", "de"),
};

const char *
consent_answer_name(enum consent_answer answer)
{
	switch (answer) {
	case CONSENT_UNCLEAR:
		return "unclear";
	case CONSENT_YES:
		return "yes";
	case CONSENT_NO:
		return "no";
	}
	return "unclear";
}

static void
decide(struct consent_result *result, const struct phrase_scan *scan)
{
	gint64 yes = phrase_scan_first_line(scan, KIND_YES);
	gint64 no = phrase_scan_first_line(scan, KIND_NO);
	gint64 condition = phrase_scan_first_line(scan, KIND_CONDITION);
	gint64 line = -1;

	result->answer = CONSENT_UNCLEAR;
	if (scan->lines->len == 0) {
		result->reason = "empty";
		return;
	}
	if (condition >= 0) {
		result->reason = "condition";
		line = condition;
	} else if (yes >= 0 && no >= 0) {
		result->reason = "mixed";
		line = MIN(yes, no);
	} else if (yes >= 0 && scan->stray_negation_lines->len > 0) {
		/* "ok, not the phone number": a partial yes. */
		result->reason = "condition";
		line = g_array_index(scan->stray_negation_lines, guint, 0);
	} else if (yes >= 0 && scan->question_lines->len > 0) {
		/* "Yes, but who are they?": they want to know first. */
		result->reason = "question";
		line = g_array_index(scan->question_lines, guint, 0);
	} else if (yes >= 0) {
		result->answer = CONSENT_YES;
		result->reason = "yes";
		line = yes;
	} else if (no >= 0) {
		result->answer = CONSENT_NO;
		result->reason = "no";
		line = no;
	} else if (scan->question_lines->len > 0) {
		result->reason = "question";
		line = g_array_index(scan->question_lines, guint, 0);
	} else {
		result->reason = "no_answer";
	}
	if (line >= 0)
		result->excerpt = phrase_scan_excerpt(
			scan, (guint)line, CONSENT_EXCERPT_MAX_CHARS);
}

/* Explicit withdrawals of consent, folded.  Each names the consent itself,
 * so "we withdraw the report" or a bare "no" is not one; a negation
 * before or after ("do not withdraw consent", "wir widerrufen unsere
 * Einwilligung nicht") turns it into WITHDRAW_NEGATED. */
enum withdraw_kind {
	WITHDRAW,
	WITHDRAW_NEGATED,
};

#define WITHDRAWAL(words, lang)                                                \
	{                                                                      \
		words, WITHDRAW, WITHDRAW_NEGATED, lang                        \
	}

static const struct phrase withdrawal_phrases[] = {
	/* en */
	WITHDRAWAL("withdraw consent", "en"),
	WITHDRAWAL("withdraw my consent", "en"),
	WITHDRAWAL("withdraw our consent", "en"),
	WITHDRAWAL("withdraw the consent", "en"),
	WITHDRAWAL("withdraw all consent", "en"),
	WITHDRAWAL("withdrawing consent", "en"),
	WITHDRAWAL("withdrawing our consent", "en"),
	WITHDRAWAL("withdrawing my consent", "en"),
	WITHDRAWAL("withdrawal of consent", "en"),
	WITHDRAWAL("withdrawal of our consent", "en"),
	WITHDRAWAL("withdrawal of my consent", "en"),
	WITHDRAWAL("revoke consent", "en"),
	WITHDRAWAL("revoke my consent", "en"),
	WITHDRAWAL("revoke our consent", "en"),
	WITHDRAWAL("revoke the consent", "en"),
	WITHDRAWAL("consent withdrawn", "en"),
	WITHDRAWAL("consent is withdrawn", "en"),
	WITHDRAWAL("consent revoked", "en"),
	WITHDRAWAL("no longer consent", "en"),
	/* nl */
	WITHDRAWAL("toestemming intrekken", "nl"),
	WITHDRAWAL("toestemming in te trekken", "nl"),
	WITHDRAWAL("toestemming ingetrokken", "nl"),
	WITHDRAWAL("trekken onze toestemming in", "nl"),
	WITHDRAWAL("trekken de toestemming in", "nl"),
	WITHDRAWAL("trekken wij onze toestemming in", "nl"),
	WITHDRAWAL("trekken we onze toestemming in", "nl"),
	WITHDRAWAL("trek mijn toestemming in", "nl"),
	WITHDRAWAL("trek de toestemming in", "nl"),
	WITHDRAWAL("trek ik mijn toestemming in", "nl"),
	WITHDRAWAL("trekt de toestemming in", "nl"),
	WITHDRAWAL("intrekking van de toestemming", "nl"),
	WITHDRAWAL("intrekking van onze toestemming", "nl"),
	/* fr */
	WITHDRAWAL("retire mon consentement", "fr"),
	WITHDRAWAL("retire notre consentement", "fr"),
	WITHDRAWAL("retirons notre consentement", "fr"),
	WITHDRAWAL("retirer mon consentement", "fr"),
	WITHDRAWAL("retirer notre consentement", "fr"),
	WITHDRAWAL("retirer le consentement", "fr"),
	WITHDRAWAL("retirer son consentement", "fr"),
	WITHDRAWAL("retrait du consentement", "fr"),
	WITHDRAWAL("retrait de mon consentement", "fr"),
	WITHDRAWAL("retrait de notre consentement", "fr"),
	WITHDRAWAL("consentement retire", "fr"),
	WITHDRAWAL("revoque mon consentement", "fr"),
	WITHDRAWAL("revoquons notre consentement", "fr"),
	/* de */
	WITHDRAWAL("widerrufe meine einwilligung", "de"),
	WITHDRAWAL("widerrufe ich meine einwilligung", "de"),
	WITHDRAWAL("widerrufen unsere einwilligung", "de"),
	WITHDRAWAL("widerrufen wir unsere einwilligung", "de"),
	WITHDRAWAL("widerrufe meine zustimmung", "de"),
	WITHDRAWAL("widerrufen unsere zustimmung", "de"),
	WITHDRAWAL("einwilligung widerrufen", "de"),
	WITHDRAWAL("einwilligung zu widerrufen", "de"),
	WITHDRAWAL("einwilligung zuruckziehen", "de"),
	WITHDRAWAL("einwilligung zuruckzuziehen", "de"),
	WITHDRAWAL("zustimmung widerrufen", "de"),
	WITHDRAWAL("zustimmung zuruckziehen", "de"),
	WITHDRAWAL("zustimmung zuruckzuziehen", "de"),
	WITHDRAWAL("ziehen unsere zustimmung zuruck", "de"),
	WITHDRAWAL("ziehe meine zustimmung zuruck", "de"),
	WITHDRAWAL("ziehen unsere einwilligung zuruck", "de"),
	WITHDRAWAL("ziehe meine einwilligung zuruck", "de"),
	WITHDRAWAL("widerruf der einwilligung", "de"),
	WITHDRAWAL("widerruf unserer einwilligung", "de"),
};

/* Whether line holds a question mark: asking how to withdraw is not
 * withdrawing. */
static gboolean
is_question_line(const struct phrase_scan *scan, guint line)
{
	for (guint i = 0; i < scan->question_lines->len; i++)
		if (g_array_index(scan->question_lines, guint, i) == line)
			return TRUE;
	return FALSE;
}

static struct phrase_scan *
scan_withdrawal(const char *fresh)
{
	return phrase_scan(fresh, withdrawal_phrases,
			   G_N_ELEMENTS(withdrawal_phrases));
}

/* The line of the first explicit withdrawal in scan, or -1. */
static gint64
withdrawal_line(const struct phrase_scan *scan)
{
	gint64 line = -1;

	for (guint i = 0; i < scan->hits->len; i++) {
		const struct phrase_hit *hit =
			&g_array_index(scan->hits, struct phrase_hit, i);

		/* "We withdraw consent. No, we do not withdraw consent":
		 * contradicting itself is not explicit. */
		if (hit->kind == WITHDRAW_NEGATED)
			return -1;
		if (line < 0 && !is_question_line(scan, hit->line))
			line = hit->line;
	}
	return line;
}

struct consent_result *
consent_parse(const char *fresh)
{
	struct consent_result *result = g_new0(struct consent_result, 1);
	g_autoptr(PhraseScan) scan = phrase_scan(fresh, consent_phrases,
						 G_N_ELEMENTS(consent_phrases));
	g_autoptr(PhraseScan) withdrawal = scan_withdrawal(fresh);
	gint64 withdrawn = withdrawal_line(withdrawal);

	if (withdrawn >= 0) {
		/* "withdraw consent" holds the word "consent", a yes in the
		 * table: a withdrawal is a no, whatever else it says. */
		result->answer = CONSENT_NO;
		result->reason = "withdrawal";
		result->excerpt =
			phrase_scan_excerpt(withdrawal, (guint)withdrawn,
					    CONSENT_EXCERPT_MAX_CHARS);
		result->truncated = withdrawal->truncated;
		result->language = phrase_scan_language(withdrawal);
		return result;
	}
	decide(result, scan);
	result->truncated = scan->truncated;
	if (scan->lines->len > 0)
		result->language = phrase_scan_language(scan);
	return result;
}

struct consent_result *
consent_parse_reply(const char *body, const char *subject)
{
	g_autoptr(QuoteResult) split = quote_parse(body ? body : "", subject);

	return consent_parse(split->fresh);
}

gboolean
consent_is_withdrawal(const char *fresh)
{
	g_autoptr(PhraseScan) scan = scan_withdrawal(fresh);

	return withdrawal_line(scan) >= 0;
}

gboolean
consent_is_withdrawal_reply(const char *body, const char *subject)
{
	g_autoptr(QuoteResult) split = quote_parse(body ? body : "", subject);

	return consent_is_withdrawal(split->fresh);
}

void
consent_result_free(struct consent_result *result)
{
	if (result == NULL)
		return;
	g_free(result->excerpt);
	g_free(result);
}
