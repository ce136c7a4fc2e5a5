/* lang.c — which of en, nl, fr, de a short text is written in.
 *
 * Reports arrive as two or three hurried lines, far too short for n-gram
 * models.  Common words carry most of the signal: each known word votes
 * for the languages that use it, split evenly when several do ("de" is
 * Dutch and French).  Characteristic spellings add evidence: French
 * accents and elisions (l', qu'), German umlauts and ß, Dutch "ij".
 * URLs, addresses and numbers are ignored. */
#include <string.h>

#include "charset.h"
#include "lang.h"

/* Only the start of a long text is read: the language is decided within a
 * few lines, and the work stays bounded. */
#define MAX_TEXT_BYTES 16384
#define MAX_WORDS      600
/* Less evidence than this (about two distinctive words) is a guess. */
#define MIN_SCORE 1.5

enum language { LANG_EN, LANG_NL, LANG_FR, LANG_DE, LANG_COUNT };

static const char *const language_codes[LANG_COUNT] = {"en", "nl", "fr", "de"};

/* The word lists read better filled than one word per line. */
/* clang-format off */
static const char *const words_en[] = {
	"the", "and", "of", "to", "is", "in", "our", "we", "you", "your",
	"it", "this", "that", "for", "on", "with", "have", "has", "are", "was",
	"were", "be", "been", "all", "last", "night", "got", "get", "please",
	"help", "thanks", "thank", "hi", "hello", "dear", "regards", "kind",
	"best", "can", "could", "would", "will", "not", "no", "there", "they",
	"their", "from", "by", "at", "an", "as", "but", "or", "if", "what",
	"which", "who", "how", "when", "some", "any", "my", "me", "us", "so",
	"do", "does", "did", "just", "also", "still", "about", "after",
	"before", "now", "today", "yesterday", "morning", "evening", "files",
	"file", "encrypted", "attack", "attacked", "hacked", "down", "since",
	"think", "seems", "looks", "need", "sincerely", "hospital", "found",
	"seen", "see", "into", "out", "up", "one", "new", "more", "other",
	"like", "only", "than", "then", "them", "these", "those", "very",
	"where", "while", "being", "should", "must", "may", "might", "here",
	"i", "i'm", "we're", "it's", "don't", "can't", "cannot", "affected",
	"ransomware", "malware", "email", "systems", "system", "our", "urgent",
	"someone", "received", "suspicious", "access", "account", "report",
	"reporting", "incident", "appears", "happened", "what's", "let",
	"know", "asap", "phishing",
};

static const char *const words_nl[] = {
	"de", "het", "een", "en", "van", "ik", "je", "jij", "u", "we", "wij",
	"ons", "onze", "is", "zijn", "was", "waren", "dat", "die", "dit",
	"deze", "niet", "geen", "met", "op", "aan", "in", "voor", "naar", "om",
	"te", "er", "hebben", "heeft", "heb", "had", "hadden", "maar", "ook",
	"nog", "al", "alle", "als", "dan", "door", "bij", "uit", "over", "wat",
	"wie", "hoe", "waar", "wanneer", "kan", "kunnen", "moet", "moeten",
	"wordt", "worden", "werd", "zal", "zullen", "graag", "dank",
	"bedankt", "hallo", "goedemorgen", "goedemiddag", "beste", "groet",
	"groeten", "vriendelijke", "mvg", "vanochtend", "vannacht",
	"gisteren", "vandaag", "morgen", "zagen", "zien", "bestanden",
	"versleuteld", "gehackt", "spoed", "ligt", "stil", "ziekenhuis",
	"systemen", "gegevens", "melding", "hulp", "nodig", "omdat", "sinds",
	"lijkt", "mijn", "ze", "zij", "hun", "hij", "zich", "toen", "nu",
	"heel", "erg", "meer", "veel", "iets", "niets", "gaat", "gaan",
	"komt", "komen", "doen", "gedaan", "weten", "weet", "hierbij", "even",
	"wel", "echt", "zo", "vriendelijke", "geachte", "collega", "collega's",
	"gemeld", "getroffen", "verdacht", "gekregen", "ontvangen", "mail",
	"alstublieft", "svp", "kunt", "jullie", "werkt", "werken", "meer",
	"ransomware", "aanval", "inbraak", "storing", "ons", "hier",
};

static const char *const words_fr[] = {
	"le", "la", "les", "un", "une", "des", "du", "de", "et", "est",
	"sont", "nous", "vous", "je", "il", "elle", "ils", "elles", "on", "ne",
	"pas", "plus", "que", "qui", "quoi", "dans", "sur", "pour", "par",
	"avec", "sans", "ce", "cet", "cette", "ces", "notre", "nos", "votre",
	"vos", "mon", "ma", "mes", "son", "sa", "ses", "leur", "leurs", "au",
	"aux", "a", "ont", "avons", "avez", "été", "être", "avoir", "fait",
	"faire", "mais", "ou", "où", "donc", "car", "si", "tout", "tous",
	"toutes", "toute", "bonjour", "bonsoir", "merci", "cordialement",
	"salutations", "madame", "monsieur", "nuit", "hier", "matin",
	"aujourd'hui", "soir", "piratés", "piraté", "chiffrés", "chiffré",
	"fichiers", "serveur", "serveurs", "aide", "besoin", "attaque",
	"hôpital", "depuis", "semble", "peut", "pouvez", "pourriez", "très",
	"aussi", "encore", "déjà", "rien", "comme", "y", "en", "suis",
	"sommes", "êtes", "messieurs", "dames", "urgence", "rançongiciel",
	"bien", "tous", "données", "équipe", "reçu", "courriel", "signaler",
	"quelqu'un", "ceci", "cela", "ça", "chez", "entre", "vers",
};

static const char *const words_de[] = {
	"der", "die", "das", "und", "ist", "sind", "war", "waren", "wir",
	"ihr", "sie", "er", "es", "ich", "du", "uns", "unser", "unsere",
	"unserer", "unseren", "ein", "eine", "einen", "einem", "einer",
	"nicht", "kein", "keine", "mit", "auf", "für", "von", "zu", "zum",
	"zur", "im", "in", "an", "am", "bei", "aus", "nach", "über", "auch",
	"noch", "schon", "nur", "aber", "oder", "wenn", "dass", "daß", "was",
	"wie", "wo", "wer", "hat", "haben", "habe", "wurde", "wurden",
	"werden", "wird", "kann", "können", "muss", "müssen", "bitte",
	"danke", "hallo", "guten", "tag", "morgen", "grüße", "gruß",
	"freundlichen", "mfg", "liebe", "lieber", "sehr", "geehrte",
	"geehrter", "geehrten", "damen", "herren", "heute", "gestern", "nacht",
	"alle", "alles", "verschlüsselt", "gehackt", "dateien", "hilfe",
	"dringend", "krankenhaus", "seit", "sich", "den", "dem", "des",
	"diese", "dieser", "dieses", "hier", "jetzt", "mehr", "viel", "so",
	"man", "um", "durch", "sein", "ob", "als", "dann", "angriff",
	"erpressung", "systeme", "daten", "gemeldet", "erhalten", "unsere",
	"mitarbeiter", "wurden", "heute", "früh", "funktioniert", "geht",
};

/* Greetings and sign-offs that decide on their own ("Cordialement,"). */
static const char *const strong_words[] = {
	"regards", "sincerely", "thanks", "please", "goedemorgen",
	"goedemiddag", "groet", "groeten", "vriendelijke", "alstublieft",
	"bedankt", "bonjour", "bonsoir", "cordialement", "merci",
	"salutations", "freundlichen", "grüße", "geehrte", "geehrter",
	"bitte", "danke",
};

/* clang-format on */

static const struct {
	enum language language;
	const char *const *words;
	gsize count;
} word_lists[] = {
	{LANG_EN, words_en, G_N_ELEMENTS(words_en)},
	{LANG_NL, words_nl, G_N_ELEMENTS(words_nl)},
	{LANG_FR, words_fr, G_N_ELEMENTS(words_fr)},
	{LANG_DE, words_de, G_N_ELEMENTS(words_de)},
};

/* Marks a strong word in the table (a bit above the languages). */
#define STRONG_WORD (1u << LANG_COUNT)

static gpointer
word_table_build(gpointer unused)
{
	GHashTable *table = g_hash_table_new(g_str_hash, g_str_equal);

	for (gsize l = 0; l < G_N_ELEMENTS(word_lists); l++) {
		for (gsize i = 0; i < word_lists[l].count; i++) {
			const char *word = word_lists[l].words[i];
			guint mask = GPOINTER_TO_UINT(
				g_hash_table_lookup(table, word));

			mask |= 1u << word_lists[l].language;
			g_hash_table_insert(table, (gpointer)word,
					    GUINT_TO_POINTER(mask));
		}
	}
	for (gsize i = 0; i < G_N_ELEMENTS(strong_words); i++) {
		guint mask = GPOINTER_TO_UINT(
			g_hash_table_lookup(table, strong_words[i]));

		g_hash_table_insert(table, (gpointer)strong_words[i],
				    GUINT_TO_POINTER(mask | STRONG_WORD));
	}
	return table;
}

/* The table word -> bit mask of languages (and STRONG_WORD), built from
 * the constant lists above on first use and never changed or freed
 * after: constant data that could not be written as a C initialiser,
 * not state.  Building it costs more than detecting the language of a
 * mail, so it is not built per call.  Borrowed. */
static GHashTable *
word_table(void)
{
	static GOnce once = G_ONCE_INIT;

	return g_once(&once, word_table_build, NULL);
}

/* Adds weight to every language in mask, split evenly. */
static void
vote(double *scores, guint mask, double weight)
{
	guint n = 0;

	for (int l = 0; l < LANG_COUNT; l++)
		n += (mask >> l) & 1;
	if (n == 0)
		return;
	for (int l = 0; l < LANG_COUNT; l++) {
		if ((mask >> l) & 1)
			scores[l] += weight / n;
	}
}

static gboolean
is_apostrophe(gunichar c)
{
	return c == '\'' || c == 0x2019;
}

/* Scores one word (lower case, letters and apostrophes only). */
static void
score_word(GHashTable *table, const char *word, double *scores)
{
	guint mask = GPOINTER_TO_UINT(g_hash_table_lookup(table, word));
	const char *apostrophe = NULL;
	gboolean french = FALSE, german = FALSE, ligature = FALSE;
	gboolean dutch = FALSE;

	if (mask != 0)
		vote(scores, mask & ~STRONG_WORD,
		     (mask & STRONG_WORD) ? 2.0 : 1.0);
	/* Spelling: one vote per word, however many accents it has.  One
	 * pass finds them, "ij" and the first apostrophe. */
	for (const char *p = word; *p != '\0'; p++) {
		if ((guchar)p[0] == 0xC3) {
			switch ((guchar)p[1]) {
			case 0xA9: /* é */
			case 0xA8: /* è */
			case 0xAA: /* ê */
			case 0xA0: /* à */
			case 0xA7: /* ç */
			case 0xB9: /* ù */
			case 0xA2: /* â */
			case 0xAE: /* î */
			case 0xB4: /* ô */
			case 0xBB: /* û */
				french = TRUE;
				break;
			case 0xA4: /* ä */
			case 0xB6: /* ö */
			case 0xBC: /* ü */
			case 0x9F: /* ß */
				german = TRUE;
				break;
			default:
				break;
			}
		} else if ((guchar)p[0] == 0xC5 && (guchar)p[1] == 0x93) {
			ligature = TRUE; /* œ */
		} else if (p[0] == 'i' && p[1] == 'j') {
			dutch = TRUE;
		} else if (p[0] == '\'' && apostrophe == NULL) {
			apostrophe = p;
		}
	}
	if (french)
		scores[LANG_FR] += 0.5;
	if (german)
		scores[LANG_DE] += 0.5;
	if (ligature)
		scores[LANG_FR] += 0.5;
	if (dutch)
		scores[LANG_NL] += 0.5;
	/* French elision: l'équipe, qu'il, n'est, d'un. */
	if (apostrophe != NULL && apostrophe[1] != '\0') {
		gsize prefix = apostrophe - word;

		if ((prefix == 1 && strchr("ldnjcsmt", word[0])) ||
		    (prefix == 2 && strncmp(word, "qu", 2) == 0)) {
			g_autofree char *rest = g_strdup(apostrophe + 1);
			guint rest_mask = GPOINTER_TO_UINT(
				g_hash_table_lookup(table, rest));

			scores[LANG_FR] += 1.0;
			if (rest_mask != 0)
				vote(scores, rest_mask & ~STRONG_WORD, 1.0);
		}
	}
}

/* Scores the words of one token (a run without white space, NUL
 * terminated), or none when it is a URL, address or path; returns how
 * many it scored. */
static guint
score_token(GHashTable *table, const char *token, GString *word, double *scores)
{
	gboolean digits = FALSE;
	guint words = 0;

	/* URLs, mail addresses and paths say nothing about the writer's
	 * language ("://" has its '/'): one pass finds them. */
	if (strpbrk(token, "/@\\") != NULL || strncmp(token, "www.", 4) == 0)
		return 0;
	g_string_truncate(word, 0);
	for (const char *p = token;; p = g_utf8_next_char(p)) {
		/* ASCII needs no decoding: most text is ASCII. */
		gunichar c =
			(guchar)*p < 0x80 ? (gunichar)*p : g_utf8_get_char(p);
		gboolean alpha = c < 0x80 ? g_ascii_isalpha((char)c)
					  : g_unichar_isalpha(c);
		gboolean digit = c < 0x80 ? g_ascii_isdigit((char)c)
					  : g_unichar_isdigit(c);

		if (alpha || (is_apostrophe(c) && word->len > 0)) {
			if (is_apostrophe(c))
				g_string_append_c(word, '\'');
			else if (c < 0x80)
				g_string_append_c(word, (char)c);
			else
				g_string_append_unichar(word, c);
			continue;
		}
		if (digit)
			digits = TRUE;
		/* A word ends: "7u" or "x86" are not words. */
		if (word->len > 0 && !digits) {
			while (word->len > 0 &&
			       word->str[word->len - 1] == '\'')
				g_string_truncate(word, word->len - 1);
			if (word->len > 0) {
				score_word(table, word->str, scores);
				words++;
			}
		}
		g_string_truncate(word, 0);
		if (!digit)
			digits = FALSE;
		if (c == 0)
			break;
	}
	return words;
}

/* Splits text into words and scores them. */
static void
score_text(const char *text, double *scores)
{
	GHashTable *table = word_table();
	g_autofree char *lower = NULL;
	g_autoptr(GString) word = g_string_new(NULL);
	gsize len = strlen(text);
	guint words = 0;
	char *token;

	if (len > MAX_TEXT_BYTES) {
		len = MAX_TEXT_BYTES;
		while (len > 0 && (text[len] & 0xC0) == 0x80)
			len--;
	}
	lower = charset_utf8_strdown(text, (gssize)len);
	/* Tokens between white space, cut in place. */
	token = lower;
	while (words < MAX_WORDS) {
		gsize n = strcspn(token, " \t\r\n");
		gboolean last = token[n] == '\0';

		token[n] = '\0';
		words += score_token(table, token, word, scores);
		if (last)
			break;
		token += n + 1;
	}
}

const char *
lang_detect(const char *text, const char *const *allowed, double *confidence)
{
	double scores[LANG_COUNT] = {0};
	gboolean permitted[LANG_COUNT];
	int best = -1;
	double best_score = 0;
	double second_score = 0;

	if (confidence != NULL)
		*confidence = 0;
	for (int l = 0; l < LANG_COUNT; l++)
		permitted[l] = allowed == NULL;
	for (gsize i = 0; allowed != NULL && allowed[i] != NULL; i++) {
		for (int l = 0; l < LANG_COUNT; l++) {
			if (g_ascii_strcasecmp(allowed[i], language_codes[l]) ==
			    0)
				permitted[l] = TRUE;
		}
	}
	if (text == NULL || !g_utf8_validate(text, -1, NULL))
		return NULL;
	score_text(text, scores);
	for (int l = 0; l < LANG_COUNT; l++) {
		if (!permitted[l])
			continue;
		if (best < 0 || scores[l] > best_score) {
			second_score = best_score;
			best_score = scores[l];
			best = l;
		} else if (scores[l] > second_score) {
			second_score = scores[l];
		}
	}
	/* Too little evidence, or a tie: better no answer than a guess. */
	if (best < 0 || best_score < MIN_SCORE ||
	    best_score - second_score < 0.5)
		return NULL;
	if (confidence != NULL)
		*confidence = (best_score - second_score) / best_score *
			      MIN(1.0, best_score / 6.0);
	return language_codes[best];
}
