/* test-quote.c — quote_parse and quote_extract_urls on the replies and
 * forwards that mail clients in four languages produce.
 *
 * Longer bodies live in tests/corpus/quote/NAME.txt (found through
 * $INTAKED_SRCDIR, else relative to the current directory). */
#include <stdlib.h>
#include <string.h>

#include "quote.h"

/* String expectations: NULL means "must be absent" for the optional parts
 * (signature, footer, disclaimer, quoted) and "not checked" for the rest;
 * ANY means "not checked" everywhere. */
#define ANY "\001"

struct quote_case {
	const char *name;
	const char *body;    /* inline body, or */
	const char *file;    /* a corpus file */
	const char *subject; /* outer Subject */
	const char *fresh;   /* exact */
	const char *fresh_has;
	const char *fresh_lacks;
	/* segment kinds in order: F fresh, digit: quoted at that depth */
	const char *shape;
	const char *seg_texts; /* segment texts joined by "|" */
	const char *quoted_has;
	const char *quoted_lacks;
	const char *quote_at;	/* body at quote_offset starts with it */
	const char *signature;	/* substring */
	const char *footer;	/* exact */
	const char *disclaimer; /* substring */
	guint forwards;
	const char *fwd_from, *fwd_date, *fwd_subject, *fwd_to, *fwd_body_has;
	const char *fwd_urls; /* URLs of the first forward joined by "|" */
};

/* 268 bytes of words: with them an attribution line is longer than
 * QUOTE_MAX_MATCH_BYTES */
#define LONG_WORDS                                                             \
	"and a long list of names: Alice, Bob, Carol, Dave, Erin, Frank, "     \
	"Grace, Heidi, Ivan, Judy, Mallory, Niaj, Olivia, Peggy, Rupert, "     \
	"Sybil, Trent, Victor, Walter, Alice, Bob, Carol, Dave, Erin, "        \
	"Frank, Grace, Heidi, Ivan, Judy, Mallory, Niaj, Olivia, Peggy, "      \
	"Rupert and Sybil"
#define LINES_8                                                                \
	"> quoted\n> quoted\n> quoted\n> quoted\n"                             \
	"> quoted\n> quoted\n> quoted\n> quoted\n"
#define LINES_64 LINES_8 LINES_8 LINES_8 LINES_8 LINES_8 LINES_8 LINES_8 LINES_8

#define OUTLOOK_HEADER_EN                                                      \
	"From: CERT Intake <cert@cert.example>\n"                              \
	"Sent: Monday, March 2, 2026 9:14 AM\n"                                \
	"To: Jan <jan@az.example>\n"                                           \
	"Subject: [CERT-2026-0042] Your report\n"

static const struct quote_case cases[] = {
	/* --- garbage and trivial ---------------------------------------- */
	{.name = "empty", .body = "", .fresh = "", .shape = ""},
	{.name = "blank", .body = "\n \n\t\n\n", .fresh = "", .shape = ""},
	{.name = "only-quotes",
	 .body = "> first line\n> second line\n",
	 .fresh = "",
	 .shape = "1",
	 .seg_texts = "first line\nsecond line",
	 .quote_at = "> first"},
	{.name = "plain-nl",
	 .body = "Vanochtend om 7u zagen we dat alle bestanden op de "
		 "fileserver .lockbit hebben.\nSpoed ligt stil.\n",
	 .fresh = "Vanochtend om 7u zagen we dat alle bestanden op de "
		  "fileserver .lockbit hebben.\nSpoed ligt stil.",
	 .shape = "F",
	 .quote_at = "-"},
	{.name = "crlf",
	 .body = "Hello\r\n\r\nOn Mon, 2 Mar 2026 at 09:14, CERT "
		 "<cert@cert.example> wrote:\r\n> Question?\r\n",
	 .fresh = "Hello",
	 .shape = "F1",
	 .seg_texts = "Hello|Question?"},
	{.name = "invalid-utf8",
	 .body = "caf\xe9 \xff\xfe\n> \x80quoted\n",
	 .fresh_has = "caf",
	 .shape = "F1"},
	{.name = "only-signature",
	 .body = "-- \nJan Jansen\nAZ Voorbeeld\n",
	 .fresh = "",
	 .signature = "Jan Jansen\nAZ Voorbeeld"},
	{.name = "only-dashes-line",
	 .body = "--\n",
	 .fresh = "",
	 .signature = NULL},

	/* --- Gmail / Apple attribution lines ------------------------------ */
	{.name = "gmail-en-bottom",
	 .body = "On Mon, 2 Mar 2026 at 09:14, CERT Intake "
		 "<cert@cert.example> wrote:\n> Is patient care disrupted?\n"
		 "\nYes, the ER is on paper.\n",
	 .fresh = "Yes, the ER is on paper.",
	 .shape = "1F",
	 .quoted_has = "Is patient care disrupted?",
	 .quote_at = "On Mon"},
	{.name = "gmail-en-top",
	 .body = "No backups, sorry.\n\nOn Mon, 2 Mar 2026 at 09:14, CERT "
		 "Intake <cert@cert.example> wrote:\n\n> Do you have "
		 "backups?\n",
	 .fresh = "No backups, sorry.",
	 .shape = "F1",
	 .fresh_lacks = "wrote"},
	{.name = "gmail-en-wrapped-attribution",
	 .body = "Yes.\n\nOn Mon, Mar 2, 2026 at 9:14 AM CERT Intake of the "
		 "National Centre <\ncert-intake@cert.example> wrote:\n> "
		 "Is it ransomware?\n",
	 .fresh = "Yes.",
	 .shape = "F1",
	 .fresh_lacks = "wrote"},
	{.name = "gmail-nl-top",
	 .body = "Ja, alles ligt plat.\n\nOp ma 2 mrt 2026 om 09:14 schreef "
		 "CERT Intake <cert@cert.example>:\n> Is de zorg verstoord?\n",
	 .fresh = "Ja, alles ligt plat.",
	 .shape = "F1",
	 .quoted_has = "zorg verstoord"},
	{.name = "apple-nl-top",
	 .body = "Nee.\n\nOp 2 mrt. 2026 om 09:14 heeft CERT Intake "
		 "<cert@cert.example> het volgende geschreven:\n\n> Is er een "
		 "losgeldbrief?\n",
	 .fresh = "Nee.",
	 .shape = "F1"},
	{.name = "gmail-fr-nbsp",
	 .body = "Oui, depuis 7h.\n\nLe lun. 2 mars 2026 à 09:14, CERT "
		 "<cert@cert.example> a écrit\xc2\xa0:\n> Depuis quand ?\n",
	 .fresh = "Oui, depuis 7h.",
	 .shape = "F1"},
	{.name = "gmail-de-top",
	 .body = "Ja, seit heute früh.\n\nAm Mo., 2. März 2026 um 09:14 Uhr "
		 "schrieb CERT Intake <cert@cert.example>:\n> Ist die "
		 "Patientenversorgung betroffen?\n",
	 .fresh = "Ja, seit heute früh.",
	 .shape = "F1"},
	{.name = "html-converted-nl-cut",
	 .body = "Ja.\n\nOp ma 2 mrt 2026 om 09:14 schreef CERT Intake "
		 "<cert@cert.example>:\n\nBeste,\n1. Zijn er backups?\n",
	 .fresh = "Ja.",
	 .shape = "F1",
	 .seg_texts = "Ja.|Beste,\n1. Zijn er backups?",
	 .quote_at = "Op ma"},
	{.name = "not-an-attribution",
	 .body = "The ransom note says what the attacker wrote:\nYour files "
		 "are encrypted.\n",
	 .fresh_has = "Your files are encrypted.",
	 .shape = "F",
	 .quote_at = "-"},
	{.name = "hello-above-attribution",
	 .body = "Hello\nOn Mon, 2 Mar 2026 at 09:14, CERT wrote:\n> Q?\nA\n",
	 .fresh = "Hello\n\nA",
	 .shape = "F1F"},

	/* --- Thunderbird ------------------------------------------------- */
	{.name = "thunderbird-nl",
	 .body = "CERT Intake schreef op 02-03-2026 om 09:14:\n> Zijn er "
		 "backups?\n\nJa, op tape.\n",
	 .fresh = "Ja, op tape.",
	 .shape = "1F"},
	{.name = "thunderbird-en",
	 .body = "On 02/03/2026 09:14, CERT Intake wrote:\n> Backups?\n\n"
		 "Yes.\n",
	 .fresh = "Yes.",
	 .shape = "1F"},
	{.name = "thunderbird-fr",
	 .body = "Le 02/03/2026 à 09:14, CERT Intake a écrit :\n> "
		 "Sauvegardes ?\n\nNon.\n",
	 .fresh = "Non.",
	 .shape = "1F"},
	{.name = "thunderbird-de",
	 .body = "Am 02.03.26 um 09:14 schrieb CERT Intake:\n> Backups?\n\n"
		 "Nein.\n",
	 .fresh = "Nein.",
	 .shape = "1F"},

	/* --- quoting styles ---------------------------------------------- */
	{.name = "nested-gt-gt",
	 .body = "Top answer\n\n> outer\n>> inner\n> > inner too\n>>> deep\n",
	 .fresh = "Top answer",
	 .shape = "F123",
	 .seg_texts = "Top answer|outer|inner\ninner too|deep"},
	{.name = "inline-answers",
	 .body = "> 1. Is patient care disrupted?\nyes\n> 2. Do you have "
		 "backups?\nno\n> 3. Police report?\n\nnot yet\n",
	 .fresh = "yes\n\nno\n\nnot yet",
	 .shape = "1F1F1F",
	 .seg_texts = "1. Is patient care disrupted?|yes|2. Do you have "
		      "backups?|no|3. Police report?|not yet"},
	{.name = "quoted-blank-lines-kept",
	 .body = "> a\n>\n> b\n\nanswer\n",
	 .shape = "1F",
	 .seg_texts = "a\n\nb|answer"},
	{.name = "indented-quote",
	 .body = " > quoted\nfresh\n",
	 .shape = "1F",
	 .fresh = "fresh"},

	/* --- Outlook reply headers --------------------------------------- */
	{.name = "outlook-en-original",
	 .body = "Yes, since 7am.\n\n-----Original "
		 "Message-----\n" OUTLOOK_HEADER_EN
		 "\nIs patient care disrupted?\n",
	 .fresh = "Yes, since 7am.",
	 .shape = "F1",
	 .quoted_has = "Is patient care disrupted?",
	 .quoted_lacks = "Sent:",
	 .quote_at = "-----Original"},
	{.name = "outlook-nl-original",
	 .body = "Ja.\n\n-----Oorspronkelijk bericht-----\nVan: CERT "
		 "<cert@cert.example>\nVerzonden: maandag 2 maart 2026 9:14\n"
		 "Aan: Jan\nOnderwerp: Melding\n\nZijn er backups?\n",
	 .fresh = "Ja.",
	 .shape = "F1",
	 .quoted_has = "Zijn er backups?",
	 .quoted_lacks = "Onderwerp"},
	{.name = "outlook-fr-original",
	 .body = "Oui.\n\n-----Message d'origine-----\nDe : CERT "
		 "<cert@cert.example>\nEnvoyé : lundi 2 mars 2026 09:14\nÀ : "
		 "Jean\nObjet : Signalement\n\nSauvegardes ?\n",
	 .fresh = "Oui.",
	 .shape = "F1",
	 .quoted_has = "Sauvegardes ?",
	 .quoted_lacks = "Objet"},
	{.name = "outlook-de-original",
	 .body = "Ja.\n\n-----Ursprüngliche Nachricht-----\nVon: CERT "
		 "<cert@cert.example>\nGesendet: Montag, 2. März 2026 09:14\n"
		 "An: Hans\nBetreff: Meldung\n\nBackups vorhanden?\n",
	 .fresh = "Ja.",
	 .shape = "F1",
	 .quoted_has = "Backups vorhanden?",
	 .quoted_lacks = "Betreff"},
	{.name = "outlook-en-rule",
	 .body = "Yes.\n\n________________________________\n" OUTLOOK_HEADER_EN
		 "\nBackups?\n",
	 .fresh = "Yes.",
	 .shape = "F1",
	 .quoted_has = "Backups?",
	 .quote_at = "_____"},
	{.name = "outlook-nl-block",
	 .body = "Nee, geen aangifte.\n\nVan: CERT Intake <cert@cert.example>\n"
		 "Verzonden: maandag 2 maart 2026 09:14\nAan: Jan Peeters\n"
		 "CC: ICT\nOnderwerp: RE: melding\n\nAangifte gedaan?\n",
	 .fresh = "Nee, geen aangifte.",
	 .shape = "F1",
	 .quoted_has = "Aangifte gedaan?",
	 .quote_at = "Van: CERT"},
	{.name = "outlook-bold-headers",
	 .body = "Ja.\n\n*From:* CERT <cert@cert.example>\n*Sent:* Monday, "
		 "March 2, 2026 9:14\n*To:* Jan\n*Subject:* Report\n\nQ?\n",
	 .fresh = "Ja.",
	 .shape = "F1"},
	{.name = "from-line-in-text",
	 .body = "From: our firewall we see traffic to 203.0.113.5.\nTo: be "
		 "checked.\n",
	 .shape = "F",
	 .quote_at = "-"},

	/* --- signatures -------------------------------------------------- */
	{.name = "dash-signature-en",
	 .body = "Our mail server is down.\n\n-- \nJohn Smith\nIT manager\n",
	 .fresh = "Our mail server is down.",
	 .signature = "John Smith\nIT manager"},
	{.name = "signoff-nl",
	 .body = "Alle servers zijn versleuteld.\n\nMet vriendelijke groet,\n\n"
		 "Jan Jansen\nIT AZ Voorbeeld\nTel. 0475 55 01 23\n",
	 .fresh = "Alle servers zijn versleuteld.",
	 .signature = "Met vriendelijke groet,\n\nJan Jansen\nIT AZ "
		      "Voorbeeld\nTel. 0475 55 01 23"},
	{.name = "signoff-fr",
	 .body = "Nous avons été piratés cette nuit.\n\nCordialement,\nMarie "
		 "Dubois\nCHU Exemple\n",
	 .fresh = "Nous avons été piratés cette nuit.",
	 .signature = "Cordialement,\nMarie Dubois\nCHU Exemple"},
	{.name = "signoff-de",
	 .body = "Alle Dateien sind verschlüsselt.\n\nMit freundlichen Grüßen\n"
		 "Hans Müller\nKlinikum Beispielstadt\n",
	 .fresh = "Alle Dateien sind verschlüsselt.",
	 .signature = "Mit freundlichen Grüßen\nHans Müller"},
	{.name = "signoff-with-name",
	 .body = "Graag hulp.\n\nGroeten, Jan\n",
	 .fresh = "Graag hulp.",
	 .signature = "Groeten, Jan"},
	{.name = "signoff-before-dashes",
	 .body = "Help.\n\nRegards,\nJan\n-- \nJan Jansen | AZ Voorbeeld\n",
	 .fresh = "Help.",
	 .signature = "Regards,\nJan\nJan Jansen | AZ Voorbeeld"},
	{.name = "weak-signoff-keeps-answers",
	 .body = "Bedankt!\n\n1. ja\n2. nee\n",
	 .fresh = "Bedankt!\n\n1. ja\n2. nee"},
	{.name = "thanks-is-text",
	 .body = "Thanks, that helps.\n",
	 .fresh = "Thanks, that helps."},
	{.name = "weak-signoff-name",
	 .body = "Servers are back.\n\nThanks,\nPeter\n",
	 .fresh = "Servers are back.",
	 .signature = "Thanks,\nPeter"},

	{.name = "top-signature-then-quote",
	 .body = "Yes.\n-- \nJan\n\nOn Mon, 2 Mar 2026 at 09:14, CERT "
		 "wrote:\n> Q?\n",
	 .fresh = "Yes.",
	 .shape = "F1",
	 .signature = "Jan"},
	{.name = "signature-above-quote-disclaimer-below",
	 .body = "Yes.\n\nRegards,\nJan\n\nOn Mon, 2 Mar 2026 at 09:14, "
		 "CERT wrote:\n> Q?\n\nDISCLAIMER: confidential\n",
	 .fresh = "Yes.",
	 .shape = "F1",
	 .signature = "Regards,\nJan",
	 .disclaimer = "DISCLAIMER: confidential"},

	/* --- mobile footers ---------------------------------------------- */
	{.name = "footer-nl-iphone",
	 .body = "Bel me aub.\n\nVerstuurd vanaf mijn iPhone\n",
	 .fresh = "Bel me aub.",
	 .footer = "Verstuurd vanaf mijn iPhone"},
	{.name = "footer-fr-iphone",
	 .body = "Appelez-moi.\n\nEnvoyé de mon iPhone\n",
	 .fresh = "Appelez-moi.",
	 .footer = "Envoyé de mon iPhone"},
	{.name = "footer-de-iphone",
	 .body = "Bitte zurückrufen.\n\nVon meinem iPhone gesendet\n",
	 .fresh = "Bitte zurückrufen.",
	 .footer = "Von meinem iPhone gesendet"},
	{.name = "footer-en-iphone-top",
	 .body = "Yes.\n\nSent from my iPhone\n\nOn Mon, 2 Mar 2026 at 09:14, "
		 "CERT <cert@cert.example> wrote:\n> Backups?\n",
	 .fresh = "Yes.",
	 .shape = "F1",
	 .footer = "Sent from my iPhone"},
	{.name = "footer-outlook-android",
	 .body = "On it.\n\nSent from Outlook for Android\n",
	 .fresh = "On it.",
	 .footer = "Sent from Outlook for Android"},
	{.name = "footer-outlook-ios",
	 .body = "On it.\n\nGet Outlook for iOS\n",
	 .fresh = "On it.",
	 .footer = "Get Outlook for iOS"},
	{.name = "footer-samsung",
	 .body = "Ok.\n\nSent from my Samsung Galaxy smartphone.\n",
	 .fresh = "Ok.",
	 .footer = "Sent from my Samsung Galaxy smartphone."},
	{.name = "footer-nl-galaxy",
	 .body = "Ok.\n\nVerzonden vanaf mijn Galaxy\n",
	 .fresh = "Ok.",
	 .footer = "Verzonden vanaf mijn Galaxy"},
	{.name = "not-a-footer",
	 .body = "Von meinem Kollegen habe ich gehört, dass der Server "
		 "verschlüsselt ist.\n",
	 .fresh_has = "Von meinem Kollegen"},

	/* --- disclaimers ------------------------------------------------- */
	{.name = "disclaimer-en",
	 .body = "Please help.\n\nThis e-mail and any attachments are "
		 "confidential and intended solely for the addressee.\n",
	 .fresh = "Please help.",
	 .disclaimer = "This e-mail and any attachments are confidential"},
	{.name = "disclaimer-nl-with-signature",
	 .body = "Graag snel hulp.\n\nMvg,\nPiet\nAZ Noord\n\nDit bericht is "
		 "uitsluitend bestemd voor de geadresseerde.\nHet kan "
		 "vertrouwelijke informatie bevatten.\n",
	 .fresh = "Graag snel hulp.",
	 .signature = "Mvg,\nPiet\nAZ Noord",
	 .disclaimer = "Het kan vertrouwelijke informatie bevatten."},
	{.name = "disclaimer-fr",
	 .body = "Merci.\n\nCe message et ses pièces jointes sont "
		 "confidentiels.\n",
	 .fresh = "Merci.",
	 .disclaimer = "Ce message et ses pièces jointes"},
	{.name = "disclaimer-de",
	 .body = "Danke für die schnelle Hilfe bei dem Vorfall heute.\n\nDiese "
		 "E-Mail enthält vertrauliche Informationen.\n",
	 .fresh = "Danke für die schnelle Hilfe bei dem Vorfall heute.",
	 .disclaimer = "Diese E-Mail enthält vertrauliche"},
	{.name = "disclaimer-banner",
	 .body = "Help.\n\n*** DISCLAIMER ***\nThe views expressed are mine.\n",
	 .fresh = "Help.",
	 .disclaimer = "The views expressed are mine."},
	{.name = "disclaimer-after-quote",
	 .body = "Yes.\n\nOn Mon, 2 Mar 2026 at 09:14, CERT wrote:\n> Q?\n\n"
		 "Disclaimer: this e-mail is confidential.\n",
	 .fresh = "Yes.",
	 .shape = "F1",
	 .disclaimer = "this e-mail is confidential"},

	/* --- forwards ---------------------------------------------------- */
	{.name = "forward-gmail-en",
	 .body = "Phishing below.\n\n---------- Forwarded message ---------\n"
		 "From: IT Support <it@helpdesk-reset.example>\nDate: Mon, Mar "
		 "2, 2026 at 7:01 AM\nSubject: Password expires\nTo: "
		 "<staff@hospital.example>\n\n\nReset here: "
		 "https://helpdesk-reset.example/login?u=1.\n",
	 .subject = "Fwd: Password expires",
	 .fresh = "Phishing below.",
	 .shape = "F",
	 .forwards = 1,
	 .fwd_from = "IT Support <it@helpdesk-reset.example>",
	 .fwd_date = "Mon, Mar 2, 2026 at 7:01 AM",
	 .fwd_subject = "Password expires",
	 .fwd_to = "<staff@hospital.example>",
	 .fwd_body_has = "Reset here",
	 .fwd_urls = "https://helpdesk-reset.example/login?u=1"},
	{.name = "forward-thunderbird-nl",
	 .body = "Ter info.\n\n-------- Doorgestuurd bericht --------\n"
		 "Onderwerp: \tFactuur\nDatum: \tMon, 2 Mar 2026 07:00:00 "
		 "+0100\n"
		 "Van: \tBoekhouding <fact@factuur.example>\nAan: "
		 "\tinfo@az.example\n\nBetaal via hxxp://factuur[.]example/b\n",
	 .fresh = "Ter info.",
	 .forwards = 1,
	 .fwd_from = "Boekhouding <fact@factuur.example>",
	 .fwd_subject = "Factuur",
	 .fwd_to = "info@az.example",
	 .fwd_urls = "http://factuur.example/b"},
	{.name = "forward-thunderbird-en-original",
	 .body = "FYI\n\n-------- Original Message --------\nSubject: Invoice\n"
		 "Date: Mon, 2 Mar 2026 07:00:00 +0100\nFrom: a@b.example\n"
		 "To: c@d.example\n\nbody\n",
	 .fresh = "FYI",
	 .forwards = 1,
	 .fwd_from = "a@b.example",
	 .fwd_subject = "Invoice",
	 .fwd_body_has = "body"},
	{.name = "forward-thunderbird-fr",
	 .body = "Pour info.\n\n-------- Message transféré --------\nSujet : "
		 "Facture\nDate : Mon, 2 Mar 2026 07:00:00 +0100\nDe : "
		 "x@y.example\nPour : z@w.example\n\ncorps\n",
	 .fresh = "Pour info.",
	 .forwards = 1,
	 .fwd_from = "x@y.example",
	 .fwd_subject = "Facture",
	 .fwd_body_has = "corps"},
	{.name = "forward-thunderbird-de",
	 .body = "Zur Info.\n\n-------- Weitergeleitete Nachricht --------\n"
		 "Betreff: Rechnung\nDatum: Mon, 2 Mar 2026 07:00:00 +0100\n"
		 "Von: x@y.example\nAn: z@w.example\n\nText\n",
	 .fresh = "Zur Info.",
	 .forwards = 1,
	 .fwd_from = "x@y.example",
	 .fwd_subject = "Rechnung",
	 .fwd_to = "z@w.example"},
	{.name = "forward-apple-fr",
	 .body = "Voir ci-dessous.\n\nDébut du message réexpédié :\n\nDe : "
		 "Banque <info@banque.example>\nObjet : Votre compte\nDate : 2 "
		 "mars 2026 à 07:00:00 UTC+1\nÀ : moi@chu.example\n\nCliquez "
		 "hxxps[:]//banque-verif[.]example/x?a=1\n",
	 .fresh = "Voir ci-dessous.",
	 .forwards = 1,
	 .fwd_from = "Banque <info@banque.example>",
	 .fwd_subject = "Votre compte",
	 .fwd_date = "2 mars 2026 à 07:00:00 UTC+1",
	 .fwd_to = "moi@chu.example",
	 .fwd_urls = "https://banque-verif.example/x?a=1"},
	{.name = "forward-apple-nl",
	 .body = "Zie onder.\n\nBegin doorgestuurd bericht:\n\nVan: "
		 "x@y.example\nOnderwerp: Pakket\nDatum: 2 maart 2026\nAan: "
		 "z@w.example\n\nVolg uw pakket: https://pakket.example/t "
		 "https://pakket.example/t\n",
	 .fresh = "Zie onder.",
	 .forwards = 1,
	 .fwd_subject = "Pakket",
	 .fwd_urls = "https://pakket.example/t"},
	{.name = "forward-outlook-fw-subject",
	 .body = "See below.\n\n________________________________\n"
		 "From: Evil <evil@bad.example>\nSent: Monday, March 2, 2026 "
		 "7:00 AM\nTo: me@hosp.example\nSubject: Invoice\n\nPay now.\n",
	 .subject = "FW: Invoice",
	 .fresh = "See below.",
	 .quote_at = "-",
	 .forwards = 1,
	 .fwd_from = "Evil <evil@bad.example>",
	 .fwd_date = "Monday, March 2, 2026 7:00 AM",
	 .fwd_body_has = "Pay now."},
	{.name = "forward-outlook-tr-original",
	 .body = "Pour analyse.\n\n-----Message d'origine-----\nDe : Evil "
		 "<evil@bad.example>\nEnvoyé : lundi 2 mars 2026 07:00\nÀ : "
		 "moi\nObjet : Facture\n\nPayez.\n",
	 .subject = "[CERT-2026-0001] TR : Facture",
	 .fresh = "Pour analyse.",
	 .forwards = 1,
	 .fwd_from = "Evil <evil@bad.example>",
	 .fwd_subject = "Facture",
	 .fwd_body_has = "Payez."},
	{.name = "forward-outlook-wg-block",
	 .body = "Bitte prüfen.\n\nVon: Evil <evil@bad.example>\nGesendet: "
		 "Montag, 2. März 2026 07:00\nAn: mich\nBetreff: Rechnung\n\n"
		 "Zahlen Sie.\n",
	 .subject = "WG: Rechnung",
	 .fresh = "Bitte prüfen.",
	 .forwards = 1,
	 .fwd_from = "Evil <evil@bad.example>",
	 .fwd_subject = "Rechnung",
	 .fwd_body_has = "Zahlen Sie."},
	{.name = "forward-mutt",
	 .body = "Look.\n\n----- Forwarded message from Evil "
		 "<evil@bad.example> -----\n\nDate: Mon, 2 Mar 2026 07:00:00\n"
		 "From: Evil <evil@bad.example>\nSubject: Hi\n\nclick "
		 "http://bad.example/\n\n----- End forwarded message -----\n",
	 .fresh = "Look.",
	 .forwards = 1,
	 .fwd_from = "Evil <evil@bad.example>",
	 .fwd_subject = "Hi",
	 .fwd_urls = "http://bad.example/"},
	{.name = "forward-twice",
	 .body = "Two of them.\n\n---------- Forwarded message ---------\n"
		 "From: a@a.example\nSubject: one\n\nfirst\n\n---------- "
		 "Forwarded message ---------\nFrom: b@b.example\nSubject: "
		 "two\n\nsecond\n",
	 .fresh = "Two of them.",
	 .forwards = 2,
	 .fwd_from = "a@a.example",
	 .fwd_body_has = "first"},

	/* --- matching shortcuts --------------------------------------------
	 * quote.c folds ASCII, Latin-1 and U+2000..U+20FF itself and hands
	 * other characters to g_utf8_casefold(); blanks and apostrophes are
	 * normalised on either path.  These cases go through each path and
	 * must read exactly as before the shortcuts. */
	{.name = "signoff-latin1-capitals",
	 .body = "Ja, seit heute fr\xc3\xbch.\n\nMIT FREUNDLICHEN "
		 "GR\xc3\x9cSSEN\nHans M\xc3\xbcller\n",
	 .fresh = "Ja, seit heute fr\xc3\xbch.",
	 .shape = "F",
	 .signature = "MIT FREUNDLICHEN GR\xc3\x9cSSEN\nHans M\xc3\xbcller"},
	{.name = "signoff-capital-sharp-s-slow-path",
	 /* U+1E9E folds to "ss" through g_utf8_casefold() */
	 .body = "Erledigt.\n\nSCH\xc3\x96NE GR\xc3\x9c\xe1\xba\x9e"
		 "E\nHans\n",
	 .fresh = "Erledigt.",
	 .signature = "SCH\xc3\x96NE GR\xc3\x9c\xe1\xba\x9e"
		      "E\nHans"},
	{.name = "signoff-no-break-space",
	 .body = "Yes.\n\nKind\xc2\xa0regards,\nJan\n",
	 .fresh = "Yes.",
	 .signature = "Kind\xc2\xa0regards,\nJan"},
	{.name = "signoff-tabs-stars-and-blank-runs",
	 .body = "Yes.\n\n\t*Kind \t  Regards,\n\tJan\n",
	 .fresh = "Yes.",
	 .signature = "Regards,\n\tJan"},
	{.name = "separator-curly-apostrophe",
	 .body = "Oui.\n\n-----Message d\xe2\x80\x99origine-----\nDe : CERT\n"
		 "Envoy\xc3\xa9 : lundi 2 mars 2026 09:14\n\xc3\x80 : Jean\n"
		 "Objet : Signalement\n\nQuand ?\n",
	 .fresh = "Oui.",
	 .shape = "F1",
	 .quoted_has = "Quand ?",
	 .quoted_lacks = "Objet",
	 .quote_at = "-----Message d"},
	{.name = "outlook-fr-capital-keys",
	 .body = "Non.\n\nDE : CERT <cert@cert.example>\nENVOY\xc3\x89 : "
		 "lundi 2 mars 2026 09:14\n\xc3\x80 : Jean\nOBJET : "
		 "Signalement\n\nDes sauvegardes ?\n",
	 .fresh = "Non.",
	 .shape = "F1",
	 .quoted_has = "Des sauvegardes ?",
	 .quoted_lacks = "OBJET",
	 .quote_at = "DE : CERT"},
	{.name = "footer-capitals-accented",
	 .body = "Oui.\n\nENVOY\xc3\x89 DE MON IPHONE\n",
	 .fresh = "Oui.",
	 .footer = "ENVOY\xc3\x89 DE MON IPHONE"},
	{.name = "disclaimer-capitals-accented",
	 .body = "Non.\n\nCE MESSAGE ET SES PI\xc3\x88"
		 "CES JOINTES SONT "
		 "CONFIDENTIELS.\n",
	 .fresh = "Non.",
	 .disclaimer = "CE MESSAGE ET SES PI\xc3\x88"
		       "CES JOINTES"},
	{.name = "greek-and-kelvin-slow-path",
	 /* U+03A3 and U+212A fold through g_utf8_casefold() */
	 .body = "\xce\xa3\xce\xa4\xce\x9f \xe2\x84\xaa\n> q\n",
	 .fresh = "\xce\xa3\xce\xa4\xce\x9f \xe2\x84\xaa",
	 .shape = "F1"},
	{.name = "attribution-cut-by-match-limit",
	 /* only the first QUOTE_MAX_MATCH_BYTES of a line are matched, so
	  * a longer attribution is text */
	 .body = "Yes.\nOn Mon, 2 Mar 2026, " LONG_WORDS " wrote:\n> Q?\n",
	 .fresh_has = " wrote:",
	 .shape = "F1"},
	{.name = "subject-accented-reply-then-forward",
	 .body = "Voir ci-dessous.\n\n-----Original Message-----\nFrom: "
		 "x@example.org\nSent: Monday\nTo: y\nSubject: z\n\nbody\n",
	 .subject = "R\xc3\x89"
		    "F : TR: phishing",
	 .fresh = "Voir ci-dessous.",
	 .forwards = 1,
	 .fwd_from = "x@example.org",
	 .fwd_body_has = "body"},
	{.name = "subject-invalid-utf8-is-no-forward",
	 .body = "Voir ci-dessous.\n\n-----Original Message-----\nFrom: "
		 "x@example.org\nSent: Monday\nTo: y\nSubject: z\n\nbody\n",
	 .subject = "F\xc3W: phishing",
	 .fresh = "Voir ci-dessous.",
	 .shape = "F1",
	 .forwards = 0},
	{.name = "more-lines-than-kept-on-stack",
	 .body = LINES_64 LINES_64 "\nanswer\n-- \nJan\n",
	 .fresh = "answer",
	 .shape = "1F",
	 .signature = "Jan"},
	{.name = "valid-two-byte-characters",
	 .body = "caf\xc3\xa9 cr\xc3\xa8me \xc3\x9f\n> \xc3\xa9t\xc3\xa9\n",
	 .fresh = "caf\xc3\xa9 cr\xc3\xa8me \xc3\x9f",
	 .shape = "F1",
	 .quote_at = "> \xc3\xa9"},
	{.name = "surrogate-and-overlong-repaired",
	 .body = "ok \xed\xa0\x80 \xc0\xaf x\n",
	 .fresh_has = "ok ",
	 .fresh_lacks = "\xed\xa0"},

	/* --- corpus ------------------------------------------------------ */
	{.name = "corpus-outlook-nl-topreply",
	 .file = "outlook-nl-topreply",
	 .subject = "RE: [CERT-2026-0042] Uw melding: ransomware",
	 .fresh = "Goedemiddag,\n\nAntwoorden op jullie vragen:\nJa, de "
		  "patiëntenzorg is verstoord, spoed ligt stil.\nBackups: we "
		  "hebben offline tapes van vrijdag, maar nog niet "
		  "getest.\nGeen losgeldbrief gevonden, alleen bestanden met "
		  "extensie .lockbit.",
	 .shape = "F1",
	 .quoted_has = "2. Zijn er bruikbare backups?",
	 .quoted_lacks = "Verzonden:",
	 .quote_at = "-----Oorspronkelijk",
	 .signature = "Met vriendelijke groet,\n\nJan Peeters\nDiensthoofd "
		      "ICT\nAZ Voorbeeld Gent\nT +32 9 123 45 67 | GSM 0475 55 "
		      "01 23",
	 .disclaimer = "Disclaimer: Dit bericht is uitsluitend bestemd"},
	{.name = "corpus-gmail-fr-inline",
	 .file = "gmail-fr-inline",
	 .fresh = "Bonjour,\n\nVoici nos réponses dans le texte.\n\nNon, les "
		  "urgences fonctionnent normalement.\n\nPas de sauvegarde "
		  "récente, la dernière date de janvier.\n\nOui, ce matin.",
	 .shape = "F1F1F1F",
	 .seg_texts =
		 "Bonjour,\n\nVoici nos réponses dans le texte.|Bonjour,\n\n"
		 "Nous avons bien reçu votre signalement (dossier 2026-0043)."
		 "\n\n1. Les soins aux patients sont-ils perturbés ?|Non, les "
		 "urgences fonctionnent normalement.|2. Disposez-vous de "
		 "sauvegardes utilisables ?|Pas de sauvegarde récente, la "
		 "dernière date de janvier.|3. Avez-vous déposé plainte auprès "
		 "de la police ?|Oui, ce matin.",
	 .quote_at = "Le lun.",
	 .signature = "Cordialement,\nMarie Dubois\nResponsable sécurité, "
		      "CHU Exemple\n+33 1 23 45 67 89"},
	{.name = "corpus-apple-de-forward-phishing",
	 .file = "apple-de-forward-phishing",
	 .subject = "WG: Ihr Postfach ist voll",
	 .fresh = "Hallo CERT,\n\ndiese Mail haben heute früh mehrere "
		  "Mitarbeiter bekommen. Zwei haben auf den Link geklickt.",
	 .signature = "Viele Grüße\nHans Müller\nIT-Sicherheit, Klinikum "
		      "Beispielstadt",
	 .quote_at = "-",
	 .forwards = 1,
	 .fwd_from = "\"Microsoft 365\" <no-reply@micros0ft-support.example>",
	 .fwd_date = "2. März 2026 um 07:42:13 MEZ",
	 .fwd_subject = "Ihr Postfach ist voll – Aktion erforderlich",
	 .fwd_to = "personal@klinikum-beispiel.de",
	 .fwd_body_has = "Speicherlimit",
	 .fwd_urls = "https://login-micros0ft.example/verify?id=8812&u="
		     "personal|https://backup-login.example/owa"},
	{.name = "corpus-thunderbird-en-bottom",
	 .file = "thunderbird-en-bottom",
	 .fresh = "We are still checking. Patient care is not disrupted so "
		  "far, the ward systems run\non a separate network. Backups "
		  "exist but we do not know yet if they are clean.",
	 .shape = "1F",
	 .quote_at = "On 02/03/2026",
	 .quoted_has = "2. Do you have usable backups?",
	 .signature = "Regards,\nSarah Jones\nInfrastructure lead\nSt Example "
		      "Hospital"},
	{.name = "corpus-gmail-nl-forward-phishing",
	 .file = "gmail-nl-forward-phishing",
	 .subject = "Fwd: Dringend: uw kaartlezer verloopt",
	 .fresh = "Hoi,\n\nZie hieronder, deze phishing kwam vanochtend binnen "
		  "bij de apotheek. Niemand heeft geklikt denk ik.",
	 .signature = "Groeten,\nLotte",
	 .forwards = 1,
	 .fwd_from = "KBC Bank <info@kbc-veiligheid.example>",
	 .fwd_date = "ma 2 mrt 2026 om 06:55",
	 .fwd_subject = "Dringend: uw kaartlezer verloopt",
	 .fwd_to = "<apotheek@ziekenhuis-voorbeeld.nl>",
	 .fwd_urls = "http://kbc-veiligheid.example/activeer?klant=2231|"
		     "https://kbc-veiligheid.example/faq"},
	{.name = "corpus-outlook-en-forward-phishing",
	 .file = "outlook-en-forward-phishing",
	 .subject = "FW: Urgent payment",
	 .fresh = "Hi team,\n\nForwarding the mail our CFO received, it asks "
		  "for a payment to a new IBAN.",
	 .signature = "Thanks,\nPeter",
	 .quote_at = "-",
	 .forwards = 1,
	 .fwd_from = "Dr. A. Director <director@hosp1tal-example.com>",
	 .fwd_date = "Monday, March 2, 2026 8:03 AM",
	 .fwd_subject = "Urgent payment",
	 .fwd_to = "Finance <finance@hospital-example.org>",
	 .fwd_body_has = "Sent from my iPhone",
	 .fwd_urls = "http://invoice-portal.example/inv/2291"},
	{.name = "corpus-outlook-en-same-as-reply",
	 .file = "outlook-en-forward-phishing",
	 .subject = "RE: Urgent payment",
	 .shape = "F1",
	 .quoted_has = "Please pay the attached invoice",
	 .signature = "Thanks,\nPeter",
	 .quote_at = "_____"},
	{.name = "corpus-iphone-nl-topreply",
	 .file = "iphone-nl-topreply",
	 .fresh = "Ja hoor, de backups staan op een aparte NAS die niet "
		  "geraakt is.\nPolitie is nog niet verwittigd.",
	 .shape = "F1",
	 .footer = "Verstuurd vanaf mijn iPhone",
	 .quote_at = "Op 2 mrt.",
	 .quoted_has = "2. Is er aangifte gedaan bij de politie?"},
	{.name = "corpus-outlook-fr-reply-disclaimer",
	 .file = "outlook-fr-reply-disclaimer",
	 .fresh = "Bonjour,\n\nLe serveur de messagerie a été isolé à 10h. "
		  "Nous n'avons pas de rançon.",
	 .shape = "F1",
	 .quote_at = "De : CERT",
	 .quoted_has = "Quand le serveur",
	 .quoted_lacks = "Objet",
	 .signature = "Bien cordialement,\nJean Martin\nDSI – Centre "
		      "Hospitalier Exemple\nTél. 03 20 12 34 56",
	 .disclaimer = "Ce message et ses pièces jointes sont confidentiels"},
	{.name = "corpus-de-inline-nested",
	 .file = "de-inline-nested",
	 .fresh = "Heute früh um 7 Uhr durch die Nachtschicht.",
	 .shape = "12321F",
	 .quote_at = "Am 03.03.26",
	 .quoted_has = "Wann wurde der Angriff entdeckt?",
	 .signature = "Gruß\nHans",
	 .footer = "Von meinem iPhone gesendet"},
	{.name = "corpus-en-report-sig-disclaimer",
	 .file = "en-report-sig-disclaimer",
	 .fresh_has = "README file asks us",
	 .fresh_lacks = "Emma",
	 .shape = "F",
	 .quote_at = "-",
	 .signature = "Emma Williams\nHead of IT | Example General Hospital\n"
		      "Phone: +44 20 7946 0000\nwww.example-hospital.org",
	 .disclaimer =
		 "CONFIDENTIALITY NOTICE: This e-mail and any attachments"},
};

static char *
load_body(const struct quote_case *c)
{
	const char *srcdir = g_getenv("INTAKED_SRCDIR");
	g_autofree char *name = NULL;
	g_autofree char *path = NULL;
	g_autoptr(GError) error = NULL;
	char *contents = NULL;

	if (c->file == NULL)
		return g_strdup(c->body);
	name = g_strconcat(c->file, ".txt", NULL);
	path = srcdir != NULL ? g_build_filename(srcdir, "tests", "corpus",
						 "quote", name, NULL)
			      : g_build_filename("tests", "corpus", "quote",
						 name, NULL);
	if (!g_file_get_contents(path, &contents, NULL, &error))
		g_error("%s", error->message);
	return contents;
}

/* NULL expectation: absent; ANY: not checked; else a substring. */
static void
check_part(const char *what, const char *got, const char *want)
{
	if (want != NULL && strcmp(want, ANY) == 0)
		return;
	if (want == NULL) {
		if (got != NULL)
			g_test_message("%s: unexpected \"%s\"", what, got);
		g_assert_null(got);
		return;
	}
	if (got == NULL || strstr(got, want) == NULL)
		g_test_message("%s: want \"%s\" in \"%s\"", what, want,
			       got != NULL ? got : "(null)");
	g_assert_nonnull(got);
	g_assert_nonnull(strstr(got, want));
}

static void
check_invariants(const char *body, const struct quote_result *r)
{
	gsize len = strlen(body), last = 0;

	g_assert_nonnull(r->fresh);
	g_assert_true(g_utf8_validate(r->fresh, -1, NULL));
	g_assert_cmpint(r->quote_offset, >=, -1);
	g_assert_cmpint(r->quote_offset, <=, (gssize)len);
	for (guint i = 0; i < r->segments->len; i++) {
		const struct quote_segment *seg = r->segments->pdata[i];

		g_assert_nonnull(seg->text);
		g_assert_true(seg->text[0] != '\0');
		g_assert_cmpuint(seg->offset, >=, last);
		g_assert_cmpuint(seg->offset, <, len);
		last = seg->offset;
		if (seg->kind == QUOTE_SEGMENT_FRESH) {
			const char *nl = strchr(seg->text, '\n');
			gsize n = nl != NULL ? (gsize)(nl - seg->text)
					     : strlen(seg->text);

			g_assert_cmpuint(seg->depth, ==, 0);
			if (g_utf8_validate(body, -1, NULL))
				g_assert_cmpint(strncmp(body + seg->offset,
							seg->text, n),
						==, 0);
		} else {
			g_assert_cmpuint(seg->depth, >, 0);
		}
	}
}

static void
run_case(gconstpointer data)
{
	const struct quote_case *c = data;
	g_autofree char *body = load_body(c);
	g_autoptr(QuoteResult) r = quote_parse(body, c->subject);
	GString *shape = g_string_new(NULL);
	GString *texts = g_string_new(NULL);

	check_invariants(body, r);
	for (guint i = 0; i < r->segments->len; i++) {
		const struct quote_segment *seg = r->segments->pdata[i];

		if (seg->kind == QUOTE_SEGMENT_FRESH)
			g_string_append_c(shape, 'F');
		else
			g_string_append_printf(shape, "%u", seg->depth);
		if (i > 0)
			g_string_append_c(texts, '|');
		g_string_append(texts, seg->text);
	}
	if (c->fresh != NULL)
		g_assert_cmpstr(r->fresh, ==, c->fresh);
	if (c->fresh_has != NULL)
		g_assert_nonnull(strstr(r->fresh, c->fresh_has));
	if (c->fresh_lacks != NULL)
		g_assert_null(strstr(r->fresh, c->fresh_lacks));
	if (c->shape != NULL)
		g_assert_cmpstr(shape->str, ==, c->shape);
	if (c->seg_texts != NULL)
		g_assert_cmpstr(texts->str, ==, c->seg_texts);
	if (c->quoted_has != NULL)
		check_part("quoted", r->quoted, c->quoted_has);
	if (c->quoted_lacks != NULL) {
		g_assert_nonnull(r->quoted);
		g_assert_null(strstr(r->quoted, c->quoted_lacks));
	}
	if (c->quote_at != NULL && strcmp(c->quote_at, "-") == 0) {
		g_assert_cmpint(r->quote_offset, ==, -1);
		g_assert_null(r->quoted);
	} else if (c->quote_at != NULL) {
		g_assert_cmpint(r->quote_offset, >=, 0);
		g_assert_true(
			g_str_has_prefix(body + r->quote_offset, c->quote_at));
	}
	check_part("signature", r->signature, c->signature);
	check_part("disclaimer", r->disclaimer, c->disclaimer);
	if (c->footer == NULL)
		g_assert_null(r->mobile_footer);
	else if (strcmp(c->footer, ANY) != 0)
		g_assert_cmpstr(r->mobile_footer, ==, c->footer);
	g_assert_cmpuint(r->forwards->len, ==, c->forwards);
	if (c->forwards > 0) {
		const struct quote_forward *f = r->forwards->pdata[0];
		g_autofree char *urls = NULL;

		if (c->fwd_from != NULL)
			g_assert_cmpstr(f->from, ==, c->fwd_from);
		if (c->fwd_date != NULL)
			g_assert_cmpstr(f->date, ==, c->fwd_date);
		if (c->fwd_subject != NULL)
			g_assert_cmpstr(f->subject, ==, c->fwd_subject);
		if (c->fwd_to != NULL)
			g_assert_cmpstr(f->to, ==, c->fwd_to);
		if (c->fwd_body_has != NULL)
			g_assert_nonnull(strstr(f->body, c->fwd_body_has));
		g_ptr_array_add(f->urls, NULL);
		urls = g_strjoinv("|", (char **)f->urls->pdata);
		g_ptr_array_set_size(f->urls, f->urls->len - 1);
		if (c->fwd_urls != NULL)
			g_assert_cmpstr(urls, ==, c->fwd_urls);
		/* a forward never leaks into the author's words */
		if (f->body[0] != '\0')
			g_assert_null(strstr(r->fresh, f->body));
	}
	g_string_free(shape, TRUE);
	g_string_free(texts, TRUE);
}

struct url_case {
	const char *text;
	const char *urls; /* joined by "|" */
};

static const struct url_case url_cases[] = {
	{"", ""},
	{"no links here", ""},
	{"see https://example.org/a.", "https://example.org/a"},
	{"(https://example.org/a)", "https://example.org/a"},
	{"https://en.wikipedia.org/wiki/Foo_(bar)",
	 "https://en.wikipedia.org/wiki/Foo_(bar)"},
	{"<http://x.example/p?q=1&r=2>, ok", "http://x.example/p?q=1&r=2"},
	{"hxxp://evil[.]example/x", "http://evil.example/x"},
	{"HXXPS://evil[.]example[.]com/login!",
	 "https://evil.example.com/login"},
	{"hxxps[:]//a(.)example/b", "https://a.example/b"},
	{"http[:]//a[dot]example", "http://a.example"},
	{"twice http://a.example http://a.example", "http://a.example"},
	{"two http://a.example, https://b.example;",
	 "http://a.example|https://b.example"},
	{"xhttp://not.example", ""},
	{"http:// nothing", ""},
	{"https://", ""},
	{"quoted \"https://q.example/x\" here", "https://q.example/x"},
	{"nbsp https://n.example/x\xc2\xa0next", "https://n.example/x"},
	{"https://idn.例え.example/パス", "https://idn.例え.example/パス"},
};

static void
test_urls(void)
{
	for (gsize i = 0; i < G_N_ELEMENTS(url_cases); i++) {
		g_autoptr(GPtrArray) urls =
			quote_extract_urls(url_cases[i].text);
		g_autofree char *joined = NULL;

		g_ptr_array_add(urls, NULL);
		joined = g_strjoinv("|", (char **)urls->pdata);
		g_assert_cmpstr(joined, ==, url_cases[i].urls);
	}
	g_autoptr(GPtrArray) none = quote_extract_urls(NULL);
	g_assert_cmpuint(none->len, ==, 0);
}

static void
test_url_limits(void)
{
	GString *s = g_string_new(NULL);
	g_autoptr(GPtrArray) urls = NULL;

	/* an overlong URL is skipped, the one after it is kept */
	g_string_append(s, "https://long.example/");
	for (int i = 0; i < QUOTE_MAX_URL_BYTES + 10; i++)
		g_string_append_c(s, 'a');
	g_string_append(s, " https://short.example/");
	urls = quote_extract_urls(s->str);
	g_assert_cmpuint(urls->len, ==, 1);
	g_assert_cmpstr(urls->pdata[0], ==, "https://short.example/");
	g_ptr_array_unref(urls);

	g_string_truncate(s, 0);
	for (int i = 0; i < QUOTE_MAX_URLS + 50; i++)
		g_string_append_printf(s, "http://h%d.example/ ", i);
	urls = quote_extract_urls(s->str);
	g_assert_cmpuint(urls->len, ==, QUOTE_MAX_URLS);
	g_string_free(s, TRUE);
}

static void
test_null_and_free(void)
{
	g_autoptr(QuoteResult) r = quote_parse(NULL, NULL);

	g_assert_cmpstr(r->fresh, ==, "");
	g_assert_cmpuint(r->segments->len, ==, 0);
	quote_result_free(NULL);
}

/* Hostile sizes: the work is bounded by the QUOTE_MAX_* constants. */
static void
test_limits(void)
{
	GString *s = g_string_new(NULL);
	gint64 start = g_get_monotonic_time();
	struct quote_result *r;

	/* 100k lines, alternating quoted and fresh */
	for (int i = 0; i < 100000; i++)
		g_string_append(s, i % 2 ? "> quoted line\n" : "fresh line\n");
	r = quote_parse(s->str, NULL);
	g_assert_true(r->truncated);
	g_assert_cmpuint(r->segments->len, <=, QUOTE_MAX_LINES);
	quote_result_free(r);

	/* one 3 MiB line */
	g_string_truncate(s, 0);
	for (int i = 0; i < 3 * 1024 * 1024; i++)
		g_string_append_c(s, i % 7 ? 'x' : ' ');
	r = quote_parse(s->str, NULL);
	g_assert_false(r->truncated);
	g_assert_cmpuint(strlen(r->fresh), ==, s->len);
	quote_result_free(r);

	/* more than QUOTE_MAX_TEXT_BYTES, cut inside a UTF-8 character */
	g_string_truncate(s, 0);
	while (s->len < QUOTE_MAX_TEXT_BYTES + 100)
		g_string_append(s, "é");
	g_string_insert_c(s, 0, 'x');
	r = quote_parse(s->str, NULL);
	g_assert_true(r->truncated);
	g_assert_true(g_utf8_validate(r->fresh, -1, NULL));
	quote_result_free(r);

	/* a line of 100k '>' markers */
	g_string_truncate(s, 0);
	for (int i = 0; i < 100000; i++)
		g_string_append(s, "> ");
	g_string_append(s, "deep\n");
	r = quote_parse(s->str, NULL);
	g_assert_cmpuint(r->segments->len, ==, 1);
	quote_result_free(r);

	/* many forwards */
	g_string_truncate(s, 0);
	for (int i = 0; i < QUOTE_MAX_FORWARDS + 5; i++)
		g_string_append(s, "---------- Forwarded message ---------\n"
				   "From: a@b.example\n\nbody\n");
	r = quote_parse(s->str, NULL);
	g_assert_cmpuint(r->forwards->len, ==, QUOTE_MAX_FORWARDS);
	g_assert_true(r->truncated);
	quote_result_free(r);

	/* many candidate attribution and header lines */
	g_string_truncate(s, 0);
	for (int i = 0; i < 20000; i++)
		g_string_append(s, "On 1 wrote\nFrom: x\nSent: y\n-- \n");
	r = quote_parse(s->str, NULL);
	quote_result_free(r);

	g_string_free(s, TRUE);
	g_test_message("limits took %" G_GINT64_FORMAT " ms",
		       (g_get_monotonic_time() - start) / 1000);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *path =
			g_strconcat("/quote/parse/", cases[i].name, NULL);

		g_test_add_data_func(path, &cases[i], run_case);
	}
	g_test_add_func("/quote/urls", test_urls);
	g_test_add_func("/quote/url-limits", test_url_limits);
	g_test_add_func("/quote/null", test_null_and_free);
	g_test_add_func("/quote/limits", test_limits);
	return g_test_run();
}
