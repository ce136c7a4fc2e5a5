/* report-patterns.c — the report parser's tables: what hospitals write in
 * en, nl, fr and de, as GRegex patterns (PCRE2, UTF-8, Unicode word
 * boundaries, compiled case-insensitively unless said otherwise).
 *
 * Add words here, not code in report.c.  Every pattern must stay free of
 * nested unbounded repeats: they run on untrusted text. */
#include "report-patterns.h"

#include <glib.h>

const char *const report_field_ids[RF_COUNT] = {
	"organisation",	     "contact_name",
	"contact_phone",     "contact_email",
	"location",	     "country",
	"language",	     "incident_type",
	"care_impact",	     "systems_affected",
	"detected_at",	     "backups_available",
	"data_exfiltration", "ransom_note",
	"police_report",     "need",
};

/* "Don't know" in each language, shared by the yes/no fields. */
#define UNKNOWN_EN                                                             \
	"^\\s*(?:whether|if)\\b|unclear|unknown|not (?:yet "                   \
	")?(?:sure|clear|known)|don['’]t know|"                              \
	"do not know|no idea|to be (?:checked|confirmed)|investigating|"       \
	"being (?:checked|verified)"
#define UNKNOWN_NL                                                             \
	"^\\s*of\\b|onduidelijk|onbekend|weten (?:we |ik )?(?:nog "            \
	")?niet|niet zeker|"                                                   \
	"nog niet (?:duidelijk|bekend|geweten)|wordt (?:nog )?(?:bekeken|"     \
	"nagekeken|onderzocht)|geen idee|geen zicht op"
#define UNKNOWN_FR                                                               \
	"incertaine?s?|on ne sait pas|je ne sais pas|nous ne savons pas|"        \
	"pas (?:encore )?(?:clair|connu)|inconnue?s?|à vérifier|à confirmer|" \
	"en cours de vérification|aucune idée"
#define UNKNOWN_DE                                                             \
	"^\\s*ob\\b|unklar|unbekannt|wissen (?:wir |ich )?(?:noch "            \
	")?nicht|nicht sicher|"                                                \
	"wird (?:noch )?(?:geprüft|untersucht)|keine Ahnung|noch offen"

const struct report_yesno_pattern report_yesno_patterns[] = {
	/* care_impact ---------------------------------------------------- */
	{RF_CARE_IMPACT, RL_EN,
	 "patient care|care|clinical (?:systems|care|services)|"
	 "emergency (?:department|room)|\\bER\\b|A&E|"
	 "operations|surger(?:y|ies)|theatres?|outpatient clinics?|"
	 "consultations|wards?|patients",
	 "disrupted|affected|impacted|down|closed|divert(?:ed|ing)|"
	 "cancel+ed|postponed|on paper|standstill|stopped|halted|impossible",
	 "not (?:disrupted|affected|impacted)|no impact|unaffected|"
	 "continues|continuing|(?:running|working) normally|as "
	 "(?:usual|normal)|"
	 "no disruption",
	 UNKNOWN_EN},
	{RF_CARE_IMPACT, RL_NL,
	 "(?:patiënten)?zorg|spoed(?:gevallen|dienst|opname)?|\\bSEH\\b|"
	 "operaties|\\bOK\\b|OK-programma|raadplegingen|consultaties|"
	 "poli(?:kliniek|klinieken)?|afdelingen|patiënten",
	 "lig(?:t|gen) (?:stil|plat)|stilgelegd|gesloten|verstoord|ontregeld|"
	 "omgeleid|doorverwezen|afgeschakeld|uitgesteld|geannuleerd|geschrapt|"
	 "afgezegd|afgelast|"
	 "op papier|onmogelijk|getroffen|impact|hinder",
	 "niet verstoord|geen (?:impact|invloed|hinder)|"
	 "(?:loopt|lopen|gaat|gaan) (?:gewoon |normaal )?(?:door|verder)|"
	 "normaal|ongestoord",
	 UNKNOWN_NL},
	{RF_CARE_IMPACT, RL_FR,
	 "soins|urgences|bloc(?: opératoire)?|opérations|interventions|"
	 "consultations|patients",
	 "à l['’]arrêt|arrêtée?s?|fermée?s?|perturbée?s?|délestage|"
	 "délestée?s?|déroutée?s?|transférée?s?|annulée?s?|reportée?s?|"
	 "déprogrammée?s?|sur papier|mode dégradé|impossible|impactée?s?|"
	 "touchée?s?|affectée?s?",
	 "pas (?:perturbée?s?|touchée?s?|impactée?s?|d['’]impact)|"
	 "aucun impact|continuent|fonctionnent (?:normalement|encore)|"
	 "normalement|sans impact",
	 UNKNOWN_FR},
	{RF_CARE_IMPACT, RL_DE,
	 "(?:Patienten)?versorgung|Notaufnahme|Notfallambulanz|\\bOPs?\\b|"
	 "Operationen|Ambulanz|Stationen|Patienten|Sprechstunden?",
	 "geschlossen|abgemeldet|beeinträchtigt|gestört|ausgefallen|"
	 "eingeschränkt|umgeleitet|verschoben|abgesagt|auf Papier|unmöglich|"
	 "betroffen|Auswirkungen|steh(?:t|en) still|Stillstand|Notbetrieb",
	 "nicht (?:beeinträchtigt|betroffen|gestört)|keine Auswirkungen|"
	 "läuft (?:normal )?weiter|laufen (?:normal )?weiter|normal|"
	 "uneingeschränkt|ungestört",
	 UNKNOWN_DE},

	/* backups_available ---------------------------------------------- */
	{RF_BACKUPS_AVAILABLE, RL_EN, "back-?ups?|restore points|snapshots",
	 "available|fine|\\bok\\b|okay|intact|safe|clean|good|working|offline|"
	 "tapes?|we have|there are|exist|restor(?:e|ing)|usable",
	 "encrypted|gone|deleted|wiped|lost|unusable|corrupt\\w*|none|"
	 "also hit|destroyed",
	 UNKNOWN_EN},
	{RF_BACKUPS_AVAILABLE, RL_NL, "back-?ups?|reservekopie(?:ën)?",
	 "beschikbaar|aanwezig|in orde|\\bok\\b|intact|veilig|gelukkig|offline|"
	 "tapes?|hebben we|we hebben|er zijn|werken|bruikbaar|terugzetten|"
	 "herstellen|goed",
	 "versleuteld|weg|gewist|verwijderd|kwijt|onbruikbaar|corrupt|"
	 "ook (?:geraakt|getroffen)|vernietigd",
	 UNKNOWN_NL},
	{RF_BACKUPS_AVAILABLE, RL_FR, "sauvegardes?|back-?ups?",
	 "disponibles?|intactes?|saines?|\\bok\\b|en ordre|hors ligne|"
	 "bandes?|nous avons|on a|il y a|restaur\\w*|utilisables?|"
	 "heureusement|fonctionnent",
	 "chiffrées?|cryptées?|supprimées?|effacées?|perdues?|inutilisables?|"
	 "corrompues?|détruites?|aussi touchées?",
	 UNKNOWN_FR},
	{RF_BACKUPS_AVAILABLE, RL_DE,
	 "Back-?ups?|Datensicherung(?:en)?|Sicherungen",
	 "vorhanden|verfügbar|intakt|in Ordnung|\\bok\\b|sauber|offline|"
	 "Bänder|Tapes?|haben wir|wir haben|es gibt|nutzbar|zum Glück|"
	 "Wiederherstellung|zurückspielen|funktionieren",
	 "verschlüsselt|gelöscht|\\bweg\\b|verloren|unbrauchbar|beschädigt|"
	 "zerstört|auch betroffen",
	 UNKNOWN_DE},

	/* data_exfiltration ---------------------------------------------- */
	{RF_DATA_EXFILTRATION, RL_EN,
	 "exfiltrat\\w*|data\\b|files\\b|patient records|records\\b",
	 "stolen|leaked|exfiltrated|taken|copied|uploaded|published|posted|"
	 "for sale|out of (?:the|our) network",
	 NULL, UNKNOWN_EN "|possibl[ey]|may have|might have"},
	{RF_DATA_EXFILTRATION, RL_NL,
	 "exfiltrat\\w*|gegevens|data\\b|bestanden|patiëntgegevens|dossiers",
	 "gestolen|weggehaald|gelekt|buitgemaakt|gekopieerd|geüpload|"
	 "gepubliceerd|te koop|naar buiten",
	 NULL, UNKNOWN_NL "|mogelijk|misschien|eventueel"},
	{RF_DATA_EXFILTRATION, RL_FR, "exfiltr\\w*|données|fichiers|dossiers",
	 "volées?|dérobées?|exfiltrées?|fuité|copiées?|publiées?|en vente|"
	 "sorties?",
	 NULL, UNKNOWN_FR "|possible(?:ment)?|peut-être"},
	{RF_DATA_EXFILTRATION, RL_DE,
	 "Exfiltr\\w*|Daten|Dateien|Patientendaten|Akten|Datenabfluss",
	 "gestohlen|abgeflossen|abgezogen|exfiltriert|kopiert|veröffentlicht|"
	 "hochgeladen|zum Verkauf|entwendet",
	 NULL, UNKNOWN_DE "|möglicherweise|vielleicht|eventuell"},

	/* police_report -------------------------------------------------- */
	{RF_POLICE_REPORT, RL_EN,
	 "police|law enforcement|FCCU|cyber ?crime unit|prosecutor",
	 "reported|informed|notified|contacted|called|filed|involved|"
	 "on site|are here|aware|complaint",
	 "not yet", UNKNOWN_EN},
	{RF_POLICE_REPORT, RL_NL,
	 "politie|aangifte|FCCU|parket|recherche|klacht",
	 "gedaan|verwittigd|ingelicht|gecontacteerd|gebeld|op de hoogte|"
	 "ingediend|ter plaatse|langs geweest|gemeld|neergelegd",
	 "nog niet|nog geen", UNKNOWN_NL},
	{RF_POLICE_REPORT, RL_FR, "police|plainte|gendarmerie|FCCU|parquet",
	 "prévenue?|informée?|contactée?|appelée?|déposée?|porté|sur place|"
	 "avisée?|saisie?|alertée?",
	 "pas encore", UNKNOWN_FR},
	{RF_POLICE_REPORT, RL_DE,
	 "Polizei|Anzeige|\\bLKA\\b|\\bBKA\\b|Kripo|Staatsanwaltschaft|ZAC",
	 "informiert|verständigt|erstattet|eingeschaltet|kontaktiert|"
	 "angerufen|vor Ort|benachrichtigt|gestellt|aufgenommen",
	 "noch nicht|noch keine", UNKNOWN_DE},
};
const size_t report_yesno_pattern_count = G_N_ELEMENTS(report_yesno_patterns);

#define NEG RK_NEGATABLE
#define REQ RK_REQUEST

const struct report_keyword report_keywords[] = {
	/* incident_type: ransomware -------------------------------------- */
	{RF_INCIDENT_TYPE, RL_EN, "ransomware",
	 "ransomware|ransom ?(?:note|demand|message)|cryptolocker", 0.9, NEG},
	{RF_INCIDENT_TYPE, RL_EN, "ransomware",
	 "(?:^|[\\s(*\"'])\\.(?:lockbit\\w*|locked|encrypted|crypt|crypted|"
	 "akira|basta|rhysida|phobos|djvu|ryuk|conti|medusa|play)\\b",
	 0.9, 0},
	{RF_INCIDENT_TYPE, RL_EN, "ransomware",
	 "lock ?bit|black ?basta|black ?cat|alphv|akira|\\bconti\\b|ryuk|"
	 "rhysida|medusa ?locker|phobos|\\bclop\\b|8base|play ransomware",
	 0.85, 0},
	{RF_INCIDENT_TYPE, RL_EN, "ransomware",
	 "(?:files|servers?|drives?|everything|data|documents|systems) "
	 "(?:\\S+ ){0,3}"
	 "(?:encrypted|locked)|encrypted (?:files|servers?|drives?)",
	 0.8, NEG},
	{RF_INCIDENT_TYPE, RL_NL, "ransomware",
	 "gijzelsoftware|losgeld\\w*|geëncrypteerd", 0.9, NEG},
	{RF_INCIDENT_TYPE, RL_EN, "ransomware",
	 "(?:must|should|have to|asked to|moeten|doivent|devons|devrions|"
	 "müssen|sollen|sollten) (?:\\S+ ){0,3}(?:pay|betalen|payer|zahlen)\\b|"
	 "\\bbitcoins?\\b|\\bBTC\\b|asking for money",
	 0.8, NEG},
	{RF_INCIDENT_TYPE, RL_EN, "ransomware", "\\bencrypted\\b", 0.7, NEG},
	{RF_INCIDENT_TYPE, RL_NL, "ransomware", "versleuteld|gecrypt", 0.75,
	 NEG},
	{RF_INCIDENT_TYPE, RL_FR, "ransomware",
	 "rançongiciels?|ran[çc]on|logiciel de rançon", 0.9, NEG},
	{RF_INCIDENT_TYPE, RL_FR, "ransomware", "chiffrée?s?|cryptée?s", 0.75,
	 NEG},
	{RF_INCIDENT_TYPE, RL_DE, "ransomware",
	 "Verschlüsselungstrojaner|Erpressungstrojaner|Erpressersoftware|"
	 "Lösegeld\\w*|Erpresserschreiben|Erpresserbrief",
	 0.9, NEG},
	{RF_INCIDENT_TYPE, RL_DE, "ransomware", "verschlüsselt", 0.75, NEG},

	/* phishing ----------------------------------------------------------
	 */
	{RF_INCIDENT_TYPE, RL_EN, "phishing",
	 "phishing|phish\\w*|spear-?phishing", 0.85, NEG},
	{RF_INCIDENT_TYPE, RL_EN, "phishing",
	 "suspicious (?:e-?mail|mail|message|link)", 0.7, NEG},
	{RF_INCIDENT_TYPE, RL_NL, "phishing",
	 "verdachte (?:e-?mail|mail|link|bericht)", 0.7, NEG},
	{RF_INCIDENT_TYPE, RL_FR, "phishing",
	 "hameçonnage|filoutage|(?:e-?mail|courriel|message|lien) suspect", 0.8,
	 NEG},
	{RF_INCIDENT_TYPE, RL_DE, "phishing",
	 "verdächtige (?:E-?Mail|Mail|Nachricht|Link)", 0.7, NEG},

	/* malware -----------------------------------------------------------
	 */
	{RF_INCIDENT_TYPE, RL_EN, "malware",
	 "malware|virus|trojan|\\bworm\\b|emotet|qakbot|qbot|icedid|"
	 "cobalt ?strike|infostealer|keylogger|infected|web ?shells?",
	 0.75, NEG},
	{RF_INCIDENT_TYPE, RL_NL, "malware",
	 "schadelijke software|trojaan|besmet\\w*|geïnfecteerd", 0.75, NEG},
	{RF_INCIDENT_TYPE, RL_FR, "malware",
	 "logiciel malveillant|maliciel|infectée?s?|cheval de Troie", 0.75,
	 NEG},
	{RF_INCIDENT_TYPE, RL_DE, "malware",
	 "Schadsoftware|Trojaner|Schadcode|infiziert", 0.75, NEG},

	/* data_breach -------------------------------------------------------
	 */
	{RF_INCIDENT_TYPE, RL_EN, "data_breach",
	 "data ?breach|data leak|sent to the wrong "
	 "(?:recipient|person|address)|"
	 "unauthori[sz]ed access to (?:patient )?(?:records|files|data)",
	 0.8, NEG},
	{RF_INCIDENT_TYPE, RL_NL, "data_breach",
	 "datalek|verkeerd (?:verstuurd|verzonden)|verkeerde ontvanger|"
	 "onrechtmatig ingekeken|ongeoorloofd (?:ingekeken|geraadpleegd)",
	 0.85, NEG},
	{RF_INCIDENT_TYPE, RL_FR, "data_breach",
	 "fuite de données|violation de données|mauvais destinataire|"
	 "consultée?s? sans autorisation",
	 0.85, NEG},
	{RF_INCIDENT_TYPE, RL_DE, "data_breach",
	 "Datenleck|Datenpanne|Datenschutzverletzung|falsche?n? Empfänger|"
	 "unberechtigt\\w* (?:Zugriff|eingesehen)",
	 0.85, NEG},

	/* ddos --------------------------------------------------------------
	 */
	{RF_INCIDENT_TYPE, RL_EN, "ddos",
	 "\\bd?dos\\b|denial[- ]of[- ]service|flooded with traffic", 0.9, NEG},
	{RF_INCIDENT_TYPE, RL_NL, "ddos", "overbelastingsaanval", 0.9, NEG},
	{RF_INCIDENT_TYPE, RL_FR, "ddos", "déni de service", 0.9, NEG},
	{RF_INCIDENT_TYPE, RL_DE, "ddos", "Überlastungsangriff", 0.9, NEG},

	/* account_compromise ------------------------------------------------
	 */
	{RF_INCIDENT_TYPE, RL_EN, "account_compromise",
	 "(?:account|mailbox|inbox)s? (?:\\S+ ){0,4}(?:hacked|compromised|"
	 "taken over)|(?:hacked|compromised) (?:e-?mail )?(?:account|mailbox)|"
	 "sending spam from|forwarding rule|inbox rule",
	 0.85, NEG},
	{RF_INCIDENT_TYPE, RL_NL, "account_compromise",
	 "(?:account|mailbox|e-?mailaccount|mailbox) (?:\\S+ ){0,5}"
	 "(?:gehackt|overgenomen|gekaapt)|(?:gehackte?|overgenomen|gekaapte?) "
	 "(?:account|mailbox)|verstuurt spam|doorstuurregel",
	 0.85, NEG},
	{RF_INCIDENT_TYPE, RL_FR, "account_compromise",
	 "(?:compte|boîte (?:mail|aux lettres)|messagerie) (?:\\S+ ){0,4}"
	 "(?:piratée?|compromise?|usurpée?)|envoie des spams|"
	 "règle de transfert",
	 0.85, NEG},
	{RF_INCIDENT_TYPE, RL_DE, "account_compromise",
	 "(?:Konto|Postfach|Account) (?:\\S+ ){0,4}(?:gehackt|kompromittiert|"
	 "übernommen)|(?:gehackte?s?|kompromittierte?s?) (?:Konto|Postfach|"
	 "Account)|verschickt Spam|Weiterleitungsregel",
	 0.85, NEG},

	/* fraud ---------------------------------------------------------------
	 */
	{RF_INCIDENT_TYPE, RL_EN, "fraud",
	 "fraud|\\bscam\\b|bank details (?:were )?changed|"
	 "money (?:was |has been )?transferred",
	 0.85, NEG},
	{RF_INCIDENT_TYPE, RL_NL, "fraud",
	 "fraude|oplicht\\w*|rekeningnummer (?:\\S+ ){0,3}"
	 "(?:gewijzigd|veranderd|aangepast)|geld overgemaakt",
	 0.85, NEG},
	{RF_INCIDENT_TYPE, RL_FR, "fraud",
	 "fraude|escroquerie|arnaque|faux virement|"
	 "changement de RIB|virement (?:a été )?effectué",
	 0.85, NEG},
	{RF_INCIDENT_TYPE, RL_DE, "fraud",
	 "Betrug|Überweisungsbetrug|Kontoänderung|"
	 "Geld (?:\\S+ ){0,2}überwiesen",
	 0.85, NEG},

	{RF_INCIDENT_TYPE, RL_EN, "fraud",
	 "fake invoice|valse factuur|fausse facture|gefälschte Rechnung", 0.7,
	 NEG},

	{RF_INCIDENT_TYPE, RL_EN, "account_compromise",
	 "logged in from abroad|log-?ins? from (?:abroad|unknown)|"
	 "impossible travel|brute[- ]?force|password spraying|"
	 "failed (?:VPN )?log-?ins",
	 0.7, NEG},

	/* care_impact without a topic: working on paper is disruption */
	{RF_CARE_IMPACT, RL_EN, "yes",
	 "(?:on|op|auf|sur) (?:paper|papier)|mode dégradé|Notbetrieb|"
	 "noodprocedure|downtime procedures?",
	 0.65, NEG},

	/* none: no incident */
	{RF_INCIDENT_TYPE, RL_EN, "none",
	 "\\bno (?:security )?incident|not an? (?:security )?incident|"
	 "nothing (?:has )?"
	 "happened|nothing is wrong",
	 0.95, 0},
	{RF_INCIDENT_TYPE, RL_NL, "none",
	 "geen (?:beveiligings|security ?)?incident|niets (?:is )?gebeurd|"
	 "geen sprake van een incident|gaat niet om een incident",
	 0.95, 0},
	{RF_INCIDENT_TYPE, RL_FR, "none",
	 "pas d['’]incident|aucun incident|il ne s['’]est rien passé|"
	 "pas un incident|(?:il ne s['’]agit|ce n['’]est) pas d['’]un incident",
	 0.95, 0},
	{RF_INCIDENT_TYPE, RL_DE, "none",
	 "kein(?:en)? (?:Sicherheits)?vorfall|nichts passiert|kein Notfall|"
	 "nicht um einen (?:Sicherheits)?vorfall",
	 0.95, 0},

	/* other: an attack of unknown kind --------------------------------- */
	{RF_INCIDENT_TYPE, RL_EN, "other",
	 "hacked|cyber ?attack|attack|intrusion|breached", 0.4, NEG},
	{RF_INCIDENT_TYPE, RL_NL, "other", "gehackt|cyberaanval|aanval|inbraak",
	 0.4, NEG},
	{RF_INCIDENT_TYPE, RL_FR, "other",
	 "piratage|piratée?s?|cyberattaque|attaque|intrusion", 0.4, NEG},
	{RF_INCIDENT_TYPE, RL_DE, "other",
	 "gehackt|Cyberangriff|Hackerangriff|Angriff|Einbruch", 0.4, NEG},

	/* need ------------------------------------------------------------ */
	{RF_NEED, RL_EN, "incident_response",
	 "incident response|send (?:someone|a team|people)|on[- ]site support|"
	 "come (?:on site|over)",
	 0.75, NEG},
	{RF_NEED, RL_NL, "incident_response",
	 "incidentrespons|incidentafhandeling|iemand (?:sturen|langs)|"
	 "ter plaatse komen|langskomen",
	 0.75, NEG},
	{RF_NEED, RL_FR, "incident_response",
	 "réponse (?:à|aux) incidents?|envoyer (?:quelqu['’]un|une équipe)|"
	 "venir sur place",
	 0.75, NEG},
	{RF_NEED, RL_DE, "incident_response",
	 "Incident[- ]Response|Vorfallsbehandlung|jemanden (?:schicken|"
	 "vorbeischicken)|vor Ort kommen",
	 0.75, NEG},
	{RF_NEED, RL_EN, "incident_response",
	 "help us|need (?:your |urgent )?help|assist us|please help|"
	 "take a look|have a look|"
	 "support us|can you help|could you help|urgent(?:ly)? need support",
	 0.55, NEG | RK_WEAK},
	{RF_NEED, RL_NL, "incident_response",
	 "help(?:en)? ons|hulp nodig|graag hulp|dringend hulp|bijstand|"
	 "meekijken|kijken jullie mee|"
	 "ondersteuning nodig|kunnen jullie (?:ons )?helpen|"
	 "willen jullie (?:ons )?helpen",
	 0.55, NEG | RK_WEAK},
	{RF_NEED, RL_FR, "incident_response",
	 "aidez-nous|besoin d['’]aide|besoin de votre aide|"
	 "jeter un (?:œil|oeil)|"
	 "(?:pouvez|pourriez)-vous nous aider|besoin d['’]assistance|"
	 "besoin d['’]un accompagnement|nous aider",
	 0.55, NEG | RK_WEAK},
	{RF_NEED, RL_DE, "incident_response",
	 "helfen Sie uns|(?:brauchen|benötigen) (?:dringend )?(?:Ihre )?"
	 "(?:Hilfe|Unterstützung)|einen Blick darauf|"
	 "(?:können|könnten) Sie uns helfen|"
	 "bitte um (?:Hilfe|Unterstützung)|uns (?:bitte )?(?:helfen|"
	 "unterstützen)",
	 0.55, NEG | RK_WEAK},
	{RF_NEED, RL_EN, "forensics", "forensic\\w*|root cause|find out how",
	 0.75, NEG},
	{RF_NEED, RL_NL, "forensics",
	 "forensisch\\w*|forensics|uitzoeken hoe|oorzaak (?:achterhalen|"
	 "onderzoeken)",
	 0.75, NEG},
	{RF_NEED, RL_FR, "forensics",
	 "forensique|investigation numérique|analyse post-mortem|"
	 "comprendre comment",
	 0.75, NEG},
	{RF_NEED, RL_DE, "forensics",
	 "Forensik|forensische\\w*|herausfinden,? wie", 0.75, NEG},
	{RF_NEED, RL_EN, "recovery",
	 "recovery|recover|restor(?:e|ing)|get (?:\\S+ ){0,3}back "
	 "(?:up|online|running)|rebuild",
	 0.7, NEG | REQ},
	{RF_NEED, RL_NL, "recovery",
	 "herstel(?:len)?|heropstart|weer (?:aan de praat|draaiend|online)|"
	 "heropbouw",
	 0.7, NEG | REQ},
	{RF_NEED, RL_FR, "recovery",
	 "restaur\\w+|remise en (?:route|service)|redémarr\\w+|reconstruire",
	 0.7, NEG | REQ},
	{RF_NEED, RL_DE, "recovery",
	 "Wiederherstellung|wiederherstellen|Wiederanlauf|wieder ans Laufen|"
	 "Wiederaufbau",
	 0.7, NEG | REQ},
	{RF_NEED, RL_EN, "prevention",
	 "prevention|prevent|hardening|avoid (?:this|it) (?:happening )?again",
	 0.7, NEG | REQ},
	{RF_NEED, RL_NL, "prevention",
	 "preventie|voorkomen|verharden|verharding", 0.7, NEG | REQ},
	{RF_NEED, RL_FR, "prevention",
	 "prévention|prévenir|éviter que|durcissement", 0.7, NEG | REQ},
	{RF_NEED, RL_DE, "prevention",
	 "Prävention|Vorbeugung|verhindern|vermeiden|Härtung", 0.7, NEG | REQ},
	{RF_NEED, RL_EN, "awareness",
	 "awareness|(?:phishing|security) training|training for (?:our )?"
	 "staff",
	 0.8, NEG},
	{RF_NEED, RL_NL, "awareness",
	 "bewustmaking|bewustwording|awareness|opleiding|sessie voor "
	 "(?:ons )?personeel",
	 0.8, NEG},
	{RF_NEED, RL_FR, "awareness", "sensibilisation|formation", 0.8, NEG},
	{RF_NEED, RL_DE, "awareness", "Sensibilisierung|Schulung|Awareness",
	 0.8, NEG},
	{RF_NEED, RL_EN, "pentest",
	 "pen ?test\\w*|penetration test\\w*|security (?:audit|assessment)",
	 0.85, NEG},
	{RF_NEED, RL_NL, "pentest", "penetratietest\\w*|beveiligingsaudit",
	 0.85, NEG},
	{RF_NEED, RL_FR, "pentest",
	 "tests? d['’]intrusion|tests? de pénétration|audit de sécurité", 0.85,
	 NEG},
	{RF_NEED, RL_DE, "pentest",
	 "Penetrationstest\\w*|Pentest\\w*|Sicherheitsaudit", 0.85, NEG},
	{RF_NEED, RL_EN, "appsec",
	 "application security|code ?review|web ?app(?:lication)? (?:test|"
	 "scan|review)",
	 0.8, NEG},
	{RF_NEED, RL_NL, "appsec", "applicatiebeveiliging", 0.8, NEG},
	{RF_NEED, RL_FR, "appsec",
	 "sécurité (?:applicative|de nos applications|des applications)", 0.8,
	 NEG},
	{RF_NEED, RL_DE, "appsec", "Anwendungssicherheit", 0.8, NEG},

	/* systems_affected: value is the canonical name -------------------- */
	{RF_SYSTEMS_AFFECTED, RL_EN, "fileserver",
	 "file ?servers?|file shares?|network drives?|shared drives?", 0.7, 0},
	{RF_SYSTEMS_AFFECTED, RL_NL, "fileserver",
	 "fileservers?|bestandsservers?|netwerkschijf|netwerkschijven|"
	 "gedeelde mappen",
	 0.7, 0},
	{RF_SYSTEMS_AFFECTED, RL_FR, "fileserver",
	 "serveurs? de fichiers|partages? (?:réseau|de fichiers)|"
	 "lecteurs? réseau",
	 0.7, 0},
	{RF_SYSTEMS_AFFECTED, RL_DE, "fileserver",
	 "Dateiserver|Fileserver|Netzlaufwerke?|Dateiablage", 0.7, 0},
	{RF_SYSTEMS_AFFECTED, RL_EN, "EHR",
	 "\\b(?:EPD|EPR|EHR|EMR|DPI|KIS|HIS)\\b|patient records? system|"
	 "elektronisch patiëntendossier|dossier patient informatisé|"
	 "Krankenhausinformationssystem|ziekenhuisinformatiesysteem|"
	 "\\bHiX\\b|\\bEpic\\b|\\bOrbis\\b",
	 0.7, 0},
	{RF_SYSTEMS_AFFECTED, RL_EN, "e-mail",
	 "Exchange|mail ?servers?|Mailserver|messagerie|webmail|"
	 "e-?mail(?:systeem|system|-System)?(?= (?:is |are |ist |est |ligt )?"
	 "(?:down|plat|uit|hors service|ausgefallen|offline))",
	 0.7, 0},
	{RF_SYSTEMS_AFFECTED, RL_EN, "lab",
	 "\\blab(?:o|oratory|oratorium)?\\b|laboratoire|\\bLabor\\b|"
	 "Laborsystem|\\bLIS\\b",
	 0.7, 0},
	{RF_SYSTEMS_AFFECTED, RL_EN, "radiology",
	 "radiolog\\w*|\\bPACS\\b|imagerie|\\bRIS\\b", 0.7, 0},
	{RF_SYSTEMS_AFFECTED, RL_EN, "Active Directory",
	 "Active Directory|domain controllers?|domeincontrollers?|"
	 "contrôleurs? de domaine|Domänencontroller",
	 0.7, 0},
	{RF_SYSTEMS_AFFECTED, RL_EN, "VPN", "\\bVPN\\b|Citrix|remote access",
	 0.7, 0},
	{RF_SYSTEMS_AFFECTED, RL_EN, "website",
	 "website|webserver|site (?:web|internet)|Webseite|Homepage|portaal|"
	 "portail|patient portal|patiëntenportaal|Patientenportal|"
	 "Webportal",
	 0.6, 0},
	{RF_SYSTEMS_AFFECTED, RL_EN, "telephony",
	 "telefonie|telephony|téléphonie|Telefonanlage|\\bVoIP\\b", 0.7, 0},
	{RF_SYSTEMS_AFFECTED, RL_EN, "workstations",
	 "workstations|\\bpc['’]?s\\b|laptops|desktops|postes de travail|"
	 "ordinateurs|Arbeitsplatzrechner|Arbeitsplätze\\w*|werkposten|"
	 "werkstations",
	 0.6, 0},
	{RF_SYSTEMS_AFFECTED, RL_EN, "backup server",
	 "backup ?servers?|back-up servers?|serveurs? de sauvegarde|"
	 "Backup-Server|\\bNAS\\b|Veeam",
	 0.7, 0},
	{RF_SYSTEMS_AFFECTED, RL_EN, "ERP",
	 "\\bERP\\b|\\bSAP\\b|payroll|loonadministratie|facturatie|"
	 "facturation|Abrechnung",
	 0.6, 0},
	{RF_SYSTEMS_AFFECTED, RL_EN, "virtualisation",
	 "VMware|ESXi|hyperviseurs?|Hyper-V|vSphere|hypervisors?", 0.7, 0},
	{RF_SYSTEMS_AFFECTED, RL_EN, "servers",
	 "\\bservers?\\b|\\bserveurs?\\b", 0.5, 0},
	{RF_SYSTEMS_AFFECTED, RL_EN, "printers",
	 "printers?|print ?servers?|imprimantes?|Drucker|printservers?", 0.6,
	 0},
	{RF_SYSTEMS_AFFECTED, RL_EN, "pharmacy",
	 "apotheek|pharmacy|pharmacie|Apotheke", 0.6, 0},
};
const size_t report_keyword_count = G_N_ELEMENTS(report_keywords);

#define NEGATION_EN                                                                  \
	"\\b(?:not|no|never|none|without|isn['’]t|aren['’]t|wasn['’]t|"        \
	"weren['’]t|hasn['’]t|haven['’]t|don['’]t|doesn['’]t|didn['’]t|" \
	"cannot see any|nor|nothing|nobody|no one)\\b"
const char *const report_negations[RL_COUNT] = {
	[RL_EN] = NEGATION_EN,
	[RL_NL] = NEGATION_EN
	"|\\b(?:niet|geen|nooit|zonder|noch|niets|niemand)\\b",
	[RL_FR] = NEGATION_EN
	"|\\b(?:pas|ne|n['’]|jamais|aucune?|sans|ni|nulle|rien|personne)\\b",
	[RL_DE] = NEGATION_EN "|\\b(?:nicht|kein|keine|keinen|keiner|keines|"
			      "nie|niemals|ohne|nichts|niemand)\\b",
};

const char *const report_requests[RL_COUNT] = {
	[RL_EN] = "\\b(?:need|help|want|would like|request|assist\\w*|support|"
		  "can you|could you|please)\\b",
	[RL_NL] = "\\b(?:nodig|hulp|willen|wensen|graag|vragen|kunnen jullie|"
		  "ondersteuning|bijstand|helpen)\\b",
	[RL_FR] = "\\b(?:besoin|aide|aider|souhait\\w*|voudrions|voudrais|"
		  "demandons|pouvez-vous|pourriez-vous|merci de|"
		  "accompagnement|appui)\\b",
	[RL_DE] = "\\b(?:brauchen|benötigen|Hilfe|helfen|Unterstützung|"
		  "möchten|wünschen|bitten|können Sie|könnten Sie|"
		  "unterstützen)\\b",
};

const char *const report_detections[RL_COUNT] = {
	[RL_EN] = "\\b(?:noticed|discovered|detected|saw|seen|found|spotted|"
		  "started|began|since|reported|received|arrived|"
		  "flagged)\\b",
	[RL_NL] = "\\b(?:gemerkt|zagen|gezien|ontdekt|vastgesteld|gemeld|"
		  "opgemerkt|begon|begonnen|sinds|merkten|zag|ontvangen|"
		  "binnenkwam|binnengekomen|kregen)\\b",
	[RL_FR] = "\\b(?:constaté|découvert|remarqué|vu|aperçu|détecté|"
		  "commencé|depuis|signalé|reçue?s?|arrivée?s?|constatons)\\b",
	[RL_DE] = "\\b(?:bemerkt|entdeckt|festgestellt|gesehen|aufgefallen|"
		  "begann|begonnen|seit|gemeldet|erhalten|bekommen|ging|"
		  "eingegangen)\\b",
};

const char *const report_still_working[RL_COUNT] = {
	[RL_EN] = "still works|still working|still running|not affected|"
		  "unaffected|works fine|is fine",
	[RL_NL] = "werkt (?:nog|wel|gewoon)|werken (?:nog|wel|gewoon)|"
		  "niet getroffen|niet geraakt|draait (?:nog|gewoon)",
	[RL_FR] = "fonctionnent? (?:encore|toujours|normalement)|"
		  "pas touchée?s?|pas affectée?s?|épargnée?s?",
	[RL_DE] = "funktionier(?:t|en) (?:noch|normal)|nicht betroffen|"
		  "läuft (?:noch|normal)|laufen (?:noch|normal)",
};

const struct report_relative_day report_relative_days[] = {
	{RL_EN, "this morning|early this morning", 0, RD_MORNING, 0},
	{RL_EN, "this afternoon", 0, RD_AFTERNOON, 0},
	{RL_EN, "this evening|tonight", 0, RD_EVENING, 0},
	{RL_EN, "last night|overnight|during the night", 0, RD_NIGHT, 0},
	{RL_EN, "yesterday morning", -1, RD_MORNING, 0},
	{RL_EN, "yesterday afternoon", -1, RD_AFTERNOON, 0},
	{RL_EN, "yesterday evening", -1, RD_EVENING, 0},
	{RL_EN, "the day before yesterday", -2, RD_ANY, 0},
	{RL_EN, "yesterday", -1, RD_ANY, 0},
	{RL_EN, "today|earlier today", 0, RD_ANY, 0},
	{RL_NL, "vanochtend|vanmorgen|deze ochtend|deze morgen", 0, RD_MORNING,
	 0},
	{RL_NL, "vanmiddag|deze middag", 0, RD_AFTERNOON, 0},
	{RL_NL, "vanavond", 0, RD_EVENING, 0},
	{RL_NL, "vannacht|afgelopen nacht|deze nacht", 0, RD_NIGHT, 0},
	{RL_NL, "gisteren ?ochtend|gistermorgen|gisteren ?morgen", -1,
	 RD_MORNING, 0},
	{RL_NL, "gisteren ?middag|gistermiddag", -1, RD_AFTERNOON, 0},
	{RL_NL, "gisteren ?avond|gisteravond", -1, RD_EVENING, 0},
	{RL_NL, "eergisteren", -2, RD_ANY, 0},
	{RL_NL, "gisteren", -1, RD_ANY, 0},
	{RL_NL, "vandaag", 0, RD_ANY, 0},
	{RL_FR, "ce matin", 0, RD_MORNING, 0},
	{RL_FR, "cet après-midi", 0, RD_AFTERNOON, 0},
	{RL_FR, "ce soir", 0, RD_EVENING, 0},
	{RL_FR, "cette nuit|la nuit dernière", 0, RD_NIGHT, 0},
	{RL_FR, "hier matin", -1, RD_MORNING, 0},
	{RL_FR, "hier après-midi", -1, RD_AFTERNOON, 0},
	{RL_FR, "hier soir", -1, RD_EVENING, 0},
	{RL_FR, "avant-hier", -2, RD_ANY, 0},
	{RL_FR, "hier", -1, RD_ANY, RK_LANG_ONLY},
	{RL_FR, "aujourd['’]hui", 0, RD_ANY, 0},
	{RL_DE, "heute (?:früh|morgen|Vormittag)", 0, RD_MORNING, 0},
	{RL_DE, "heute Nachmittag", 0, RD_AFTERNOON, 0},
	{RL_DE, "heute Abend", 0, RD_EVENING, 0},
	{RL_DE, "heute Nacht|letzte Nacht|in der Nacht", 0, RD_NIGHT, 0},
	{RL_DE, "gestern (?:früh|Morgen|Vormittag)", -1, RD_MORNING, 0},
	{RL_DE, "gestern Nachmittag", -1, RD_AFTERNOON, 0},
	{RL_DE, "gestern Abend", -1, RD_EVENING, 0},
	{RL_DE, "vorgestern", -2, RD_ANY, 0},
	{RL_DE, "gestern", -1, RD_ANY, 0},
	{RL_DE, "heute", 0, RD_ANY, 0},
};
const size_t report_relative_day_count = G_N_ELEMENTS(report_relative_days);

const struct report_city report_cities[] = {
	/* Belgium */
	{"Antwerpen", "BE"},
	{"Anvers", "BE"},
	{"Gent", "BE"},
	{"Gand", "BE"},
	{"Brugge", "BE"},
	{"Bruges", "BE"},
	{"Leuven", "BE"},
	{"Louvain", "BE"},
	{"Hasselt", "BE"},
	{"Genk", "BE"},
	{"Kortrijk", "BE"},
	{"Aalst", "BE"},
	{"Mechelen", "BE"},
	{"Roeselare", "BE"},
	{"Oostende", "BE"},
	{"Brussel", "BE"},
	{"Bruxelles", "BE"},
	{"Brussels", "BE"},
	{"Liège", "BE"},
	{"Luik", "BE"},
	{"Namur", "BE"},
	{"Charleroi", "BE"},
	{"Mons", "BE"},
	{"Tournai", "BE"},
	{"Wavre", "BE"},
	{"Arlon", "BE"},
	{"Verviers", "BE"},
	{"Turnhout", "BE"},
	{"Sint-Niklaas", "BE"},
	{"Dendermonde", "BE"},
	{"Ieper", "BE"},
	{"Lier", "BE"},
	{"Bonheiden", "BE"},
	{"Ottignies", "BE"},
	{"Eupen", "BE"},
	/* Netherlands */
	{"Amsterdam", "NL"},
	{"Rotterdam", "NL"},
	{"Utrecht", "NL"},
	{"Den Haag", "NL"},
	{"Eindhoven", "NL"},
	{"Groningen", "NL"},
	{"Tilburg", "NL"},
	{"Breda", "NL"},
	{"Nijmegen", "NL"},
	{"Maastricht", "NL"},
	{"Leiden", "NL"},
	{"Zwolle", "NL"},
	{"Arnhem", "NL"},
	{"Haarlem", "NL"},
	{"Enschede", "NL"},
	{"Delft", "NL"},
	{"Amersfoort", "NL"},
	{"Apeldoorn", "NL"},
	{"Heerlen", "NL"},
	{"Venlo", "NL"},
	{"Deventer", "NL"},
	{"Alkmaar", "NL"},
	{"Leeuwarden", "NL"},
	{"Dordrecht", "NL"},
	/* France */
	{"Paris", "FR"},
	{"Lyon", "FR"},
	{"Marseille", "FR"},
	{"Lille", "FR"},
	{"Toulouse", "FR"},
	{"Bordeaux", "FR"},
	{"Nantes", "FR"},
	{"Strasbourg", "FR"},
	{"Rennes", "FR"},
	{"Reims", "FR"},
	{"Nancy", "FR"},
	{"Metz", "FR"},
	{"Rouen", "FR"},
	{"Montpellier", "FR"},
	{"Nice", "FR"},
	{"Grenoble", "FR"},
	{"Dijon", "FR"},
	{"Brest", "FR"},
	{"Amiens", "FR"},
	{"Caen", "FR"},
	{"Valenciennes", "FR"},
	{"Roubaix", "FR"},
	{"Tourcoing", "FR"},
	{"Arras", "FR"},
	{"Dunkerque", "FR"},
	{"Limoges", "FR"},
	/* Germany */
	{"Berlin", "DE"},
	{"Hamburg", "DE"},
	{"München", "DE"},
	{"Köln", "DE"},
	{"Frankfurt", "DE"},
	{"Düsseldorf", "DE"},
	{"Stuttgart", "DE"},
	{"Aachen", "DE"},
	{"Bonn", "DE"},
	{"Essen", "DE"},
	{"Dortmund", "DE"},
	{"Münster", "DE"},
	{"Leipzig", "DE"},
	{"Dresden", "DE"},
	{"Hannover", "DE"},
	{"Bremen", "DE"},
	{"Nürnberg", "DE"},
	{"Freiburg", "DE"},
	{"Heidelberg", "DE"},
	{"Mainz", "DE"},
	{"Trier", "DE"},
	{"Kiel", "DE"},
	{"Bielefeld", "DE"},
	{"Duisburg", "DE"},
	{"Krefeld", "DE"},
	{"Mönchengladbach", "DE"},
	/* Luxembourg */
	{"Luxembourg", "LU"},
	{"Esch-sur-Alzette", "LU"},
	{"Ettelbruck", "LU"},
	/* more hospital towns */
	{"Lens", "FR"},
	{"Douai", "FR"},
	{"Béthune", "FR"},
	{"Boulogne-sur-Mer", "FR"},
	{"Calais", "FR"},
	{"Le Havre", "FR"},
	{"Tours", "FR"},
	{"Angers", "FR"},
	{"Poitiers", "FR"},
	{"Ede", "NL"},
	{"Tiel", "NL"},
	{"Gouda", "NL"},
	{"Hengelo", "NL"},
	{"Almelo", "NL"},
	{"Sittard", "NL"},
	{"Roermond", "NL"},
	{"Emmen", "NL"},
	{"Assen", "NL"},
	{"Boom", "BE"},
	{"Lokeren", "BE"},
	{"Waregem", "BE"},
	{"Knokke", "BE"},
	{"La Louvière", "BE"},
	{"Huy", "BE"},
	{"Marche-en-Famenne", "BE"},
	{"Libramont", "BE"},
	{"Essen", "DE"},
	{"Wuppertal", "DE"},
	{"Bochum", "DE"},
	{"Hamm", "DE"},
	{"Düren", "DE"},
	{"Siegen", "DE"},
	{"Kassel", "DE"},
	{"Würzburg", "DE"},
	{"Regensburg", "DE"},
	{"Ulm", "DE"},
	{"Saarbrücken", "DE"},
	{"Koblenz", "DE"},
	{"Oldenburg", "DE"},
};
const size_t report_city_count = G_N_ELEMENTS(report_cities);

const struct report_country_name report_country_names[] = {
	{"Belgium|België|Belgie|Belgique|Belgien", "BE"},
	{"Netherlands|Nederland|Pays-Bas|Niederlande", "NL"},
	{"France|Frankrijk|Frankreich", "FR"},
	{"Germany|Duitsland|Allemagne|Deutschland", "DE"},
	{"Luxembourg|Luxemburg", "LU"},
};
const size_t report_country_name_count = G_N_ELEMENTS(report_country_names);

const char *const report_webmail_domains[] = {
	"gmail.com",   "googlemail.com", "hotmail.com",
	"hotmail.be",  "hotmail.fr",	 "outlook.com",
	"outlook.be",  "live.com",	 "live.be",
	"yahoo.com",   "yahoo.fr",	 "icloud.com",
	"me.com",      "telenet.be",	 "skynet.be",
	"proximus.be", "scarlet.be",	 "orange.fr",
	"free.fr",     "laposte.net",	 "sfr.fr",
	"wanadoo.fr",  "web.de",	 "gmx.de",
	"gmx.net",     "t-online.de",	 "freenet.de",
	"ziggo.nl",    "kpnmail.nl",	 "xs4all.nl",
	"planet.nl",   "protonmail.com", "proton.me",
	NULL,
};

const char *const report_organisation_words =
	"\\b(?:ziekenhuis|ziekenhuizen|hospital|klinik|kliniek|kliniken|"
	"clinique|hôpital|centre hospitalier|zorg\\w*|santé|gmbh|ggmbh|vzw|"
	"asbl|bv|nv|ggz|woonzorg\\w*|rusthuis|maison de repos|pflegeheim|"
	"praxis|huisartsen\\w*|cabinet|medical|medisch|médical|"
	"universit\\w+|campus|groupe hospitalier|klinikum|krankenhaus|"
	"AZ|UZ|CHU|CHR|CHC|UMC|ZNA|GZA|MC)\\b|\\w+(?:ziekenhuis|klinik|"
	"krankenhaus|kliniken)\\b";

const char *const report_role_words =
	"\\b(?:IT|ICT|CISO|CIO|CTO|CEO|DPO|manager|head|hoofd|diensthoofd|"
	"direktorin|leiterin|ärztliche|ärztlicher|chefarzt|chefärztin|"
	"oberarzt|oberärztin|pflegedienstleitung|geschäftsführer\\w*|"
	"directeur|director|direktor|leiter|leiterin|responsable|chef|"
	"coordinator|coördinator|coordinateur|officer|engineer|ingenieur|"
	"ingénieur|administrator|beheerder|administrateur|admin|"
	"helpdesk|servicedesk|service desk|support|team|dienst|service|"
	"abteilung|department|afdeling|security|sécurité|sicherheit|"
	"beveiliging|informatique|informatica|netwerk|network|réseau|"
	"systeem|system|système|infrastructure|infrastructuur|"
	"verpleegkundige|infirmier|infirmière|arts|médecin|arzt|ärztin|"
	"secretariaat|secrétariat|sekretariat|tel|tél|gsm|mobile|phone|"
	"telefon|fax|www|mail|e-mail)\\b";

/* Compiled case-sensitively: names start with a capital.  [ \t] rather
 * than \s: a name never runs over a line break. */
#define NAME_WORD "\\p{Lu}[\\p{L}\\p{M}'’.-]*"
#define CONNECTOR                                                              \
	"(?:de|du|des|van|der|den|la|le|am|an der|d['’]|l['’]|sur|en|"     \
	"St\\.?|Sint|Saint|Sankt)"
#define NAME_TAIL "(?:(?:[ \\t]+" CONNECTOR ")?[ \\t]*" NAME_WORD "){0,3}"

const char *const report_hospital_patterns[] = {
	/* "AZ Voorbeeld Gent", "CHU de Liège", "Klinikum Musterstadt" */
	"\\b(?:AZ|UZ|ZNA|GZA|ZOL|CHU|CHR|CHC|CH|CHIREC|UMC|UMCG|LUMC|MUMC|HUB|"
	"AP-HP|GHdC|Ziekenhuis|Hôpital|Hôpitaux|Clinique|Cliniques|"
	"Zorggroep|Ziekenhuisgroep|"
	"Klinikum|Krankenhaus|Kliniek|Kliniken|Uniklinik|"
	"Universitätsklinikum|Centre [Hh]ospitalier(?: [Uu]niversitaire| "
	"[Rr]égional)?|Groupe [Hh]ospitalier|Medisch Centrum|"
	"Universitair Ziekenhuis|Algemeen Ziekenhuis)"
	"(?:[ \\t]+" CONNECTOR ")?[ \\t]+" NAME_WORD NAME_TAIL,
	/* "Example General Hospital", "Evangelisches Krankenhaus Hamm" */
	"\\b(?:" NAME_WORD "(?:[ \\t]+" CONNECTOR ")?[ \\t]+){1,3}"
	"(?:Hospital|Medical Cent(?:er|re)|"
	"Ziekenhuis|Ziekenhuisgroep|Zorggroep|Krankenhaus|Klinikum|Klinik|"
	"Klinikverbund|Clinic|Kliniek)\\b"
	"(?:[ \\t]+" NAME_WORD "){0,2}",
	/* "Sint-Jansziekenhuis", "St. Elisabeth-Krankenhaus Köln" */
	"\\b(?:(?:St\\.?|Sint|Saint|Sankt)[ \\t-]+)?" NAME_WORD
	"(?i:ziekenhuis|krankenhaus|klinik|kliniek|hospital)"
	"(?:[ \\t]+" NAME_WORD "){0,2}",
	/* "maison de retraite Les Tilleuls", "woonzorgcentrum De Linde" */
	"(?i:maison de retraite|EHPAD|r[ée]sidence|woonzorgcentrum|rusthuis|"
	"verpleeghuis|Pflegeheim|Seniorenheim|Altenheim|nursing home|"
	"care home)(?:[ \\t]+" CONNECTOR ")?[ \\t]+" NAME_WORD NAME_TAIL,
	/* "Hausarztpraxis Lange", "Huisartsenpraktijk De Linde" */
	"\\b(?:\\p{Lu}\\p{Ll}*)?(?:praxis|Praxis|praktijk|Praktijk)"
	"(?:[ \\t]+Dr\\.?)?(?:[ \\t]+" CONNECTOR ")?[ \\t]+" NAME_WORD,
	NULL,
};

/* A line that only closes a mail. */
const char *const report_signoff_pattern =
	"^\\s*(?:(?:met )?(?:vriendelijke|hartelijke|beste) groet(?:en)?|"
	"mvg|groet|groeten|groetjes|(?:kind|best|warm) regards|regards|"
	"best(?: wishes)?|cheers|thanks?(?: you)?|many thanks|sincerely|"
	"yours(?: sincerely| truly)?|cordialement|bien cordialement|"
	"bien à (?:vous|toi)|salutations(?: distinguées)?|merci|"
	"(?:mit )?(?:freundlichen|besten|herzlichen|viele) grüßen?|"
	"(?:mit )?freundlichen grüssen|(?:freundliche|beste|liebe|herzliche|"
	"schöne) grüße|mfg|lg|viele grüße|grüße|gruß|"
	"danke|alvast bedankt|bedankt|dank u|dank je)\\b[\\s,.!]*$";

/* "ik ben Jan Peeters", "my name is", "je suis", "mein Name ist"; the
 * cue is case-insensitive, the name must be capitalised. */
const char *const report_introduction_pattern =
	"(?i:\\b(?:ik ben|mijn naam is|hier is|my name is|this is|"
	"je suis|je m['’]appelle|ici|ich bin|mein Name ist|hier ist))"
	"[ \\t]+(" NAME_WORD
	"(?:[ \\t]+(?:van |de |der |den |von |le |du )?" NAME_WORD "){0,2})";
