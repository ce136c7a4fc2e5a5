/* answer.c — normalising one answer to one questionnaire field.
 *
 * Everything here works on a value already cut out of a mail, and on
 * short strings: every entry point checks its input against a limit in
 * answer.h before doing any work proportional to it. */
#include "answer.h"

#include <string.h>

/* Longest word prefix of an answer tried against the yes/no table:
 * "je ne sais pas" is the longest synonym. */
#define YESNO_MAX_WORDS 5
/* Longer answers are not "yes" or "no" with decoration. */
#define YESNO_MAX_BYTES 512
/* Longest word answer_closest() compares. */
#define CLOSEST_MAX_BYTES 64
#define QUOTE_MAX_CHARS	  60

GQuark
answer_error_quark(void)
{
	return g_quark_from_static_string("intaked-answer-error");
}

const char *
answer_yesno_name(enum answer_yesno value)
{
	switch (value) {
	case ANSWER_NO:
		return "no";
	case ANSWER_YES:
		return "yes";
	case ANSWER_UNKNOWN:
		return "unknown";
	}
	return "unknown";
}

char *
answer_quote(const char *value)
{
	g_autofree char *valid = g_utf8_make_valid(value, -1);
	GString *out = g_string_new("\"");
	size_t chars = 0;
	const char *p;

	for (p = valid; *p != '\0' && chars < QUOTE_MAX_CHARS;
	     p = g_utf8_next_char(p), chars++) {
		gunichar c = g_utf8_get_char(p);

		if (c < 0x20 || c == 0x7f)
			g_string_append_printf(out, "\\x%02x", (unsigned)c);
		else if (c == '"' || c == '\\')
			g_string_append_printf(out, "\\%c", (char)c);
		else
			g_string_append_unichar(out, c);
	}
	if (*p != '\0')
		g_string_append(out, "...");
	g_string_append_c(out, '"');
	return g_string_free(out, FALSE);
}

/* --- folding ---------------------------------------------------------- */

static gboolean
is_fold_space(gunichar c)
{
	return c == '_' || c == '-' || g_unichar_isspace(c) ||
	       (c >= 0x2010 && c <= 0x2015); /* hyphens and dashes */
}

char *
answer_fold(const char *text)
{
	g_autofree char *valid = g_utf8_make_valid(text, -1);
	g_autofree char *decomposed =
		g_utf8_normalize(valid, -1, G_NORMALIZE_NFD);
	g_autofree char *folded = g_utf8_casefold(decomposed, -1);
	GString *out = g_string_sized_new(strlen(folded));
	gboolean pending_space = FALSE;

	for (const char *p = folded; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		GUnicodeType type = g_unichar_type(c);

		/* NFD put the accents here: "é" is "e" + U+0301. */
		if (type == G_UNICODE_NON_SPACING_MARK ||
		    type == G_UNICODE_ENCLOSING_MARK)
			continue;
		if (is_fold_space(c)) {
			pending_space = TRUE;
			continue;
		}
		/* Mail clients turn ' into ’ as you type. */
		if (c == 0x2018 || c == 0x2019 || c == 0x00b4 || c == '`')
			c = '\'';
		if (pending_space && out->len > 0)
			g_string_append_c(out, ' ');
		pending_space = FALSE;
		g_string_append_unichar(out, c);
	}
	while (out->len > 0 && strchr(".!?,;: ", out->str[out->len - 1]))
		g_string_truncate(out, out->len - 1);
	return g_string_free(out, FALSE);
}

/* --- yes / no / unknown ----------------------------------------------- */

struct yesno_word {
	const char *folded; /* as answer_fold() leaves it */
	enum answer_yesno value;
};

/* Written in folded form: lower case, no accents, "ss" for "ß", a space
 * for '-'.  Single words that are also the start of a longer entry
 * ("no" / "no idea") are fine: the longest match wins. */
static const struct yesno_word yesno_words[] = {
	/* en */
	{"yes", ANSWER_YES},
	{"y", ANSWER_YES},
	{"yeah", ANSWER_YES},
	{"yep", ANSWER_YES},
	{"yup", ANSWER_YES},
	{"correct", ANSWER_YES},
	{"true", ANSWER_YES},
	{"indeed", ANSWER_YES},
	{"affirmative", ANSWER_YES},
	{"no", ANSWER_NO},
	{"n", ANSWER_NO},
	{"nope", ANSWER_NO},
	{"none", ANSWER_NO},
	{"false", ANSWER_NO},
	{"not yet", ANSWER_NO},
	{"not at all", ANSWER_NO},
	{"unknown", ANSWER_UNKNOWN},
	{"don't know", ANSWER_UNKNOWN},
	{"dont know", ANSWER_UNKNOWN},
	{"do not know", ANSWER_UNKNOWN},
	{"i don't know", ANSWER_UNKNOWN},
	{"i dont know", ANSWER_UNKNOWN},
	{"i do not know", ANSWER_UNKNOWN},
	{"not sure", ANSWER_UNKNOWN},
	{"no idea", ANSWER_UNKNOWN},
	{"unclear", ANSWER_UNKNOWN},
	{"maybe", ANSWER_UNKNOWN},
	{"idk", ANSWER_UNKNOWN},
	/* nl */
	{"ja", ANSWER_YES},
	{"jazeker", ANSWER_YES},
	{"ja hoor", ANSWER_YES},
	{"jawel", ANSWER_YES},
	{"zeker", ANSWER_YES},
	{"klopt", ANSWER_YES},
	{"inderdaad", ANSWER_YES},
	{"juist", ANSWER_YES},
	{"nee", ANSWER_NO},
	{"neen", ANSWER_NO},
	{"nee hoor", ANSWER_NO},
	{"geen", ANSWER_NO},
	{"niet", ANSWER_NO},
	{"nog niet", ANSWER_NO},
	{"helemaal niet", ANSWER_NO},
	{"weet niet", ANSWER_UNKNOWN},
	{"weet ik niet", ANSWER_UNKNOWN},
	{"ik weet het niet", ANSWER_UNKNOWN},
	{"onbekend", ANSWER_UNKNOWN},
	{"nog onbekend", ANSWER_UNKNOWN},
	{"geen idee", ANSWER_UNKNOWN},
	{"onduidelijk", ANSWER_UNKNOWN},
	{"niet zeker", ANSWER_UNKNOWN},
	{"misschien", ANSWER_UNKNOWN},
	/* fr */
	{"oui", ANSWER_YES},
	{"ouais", ANSWER_YES},
	{"exact", ANSWER_YES},
	{"exactement", ANSWER_YES},
	{"effectivement", ANSWER_YES},
	{"tout a fait", ANSWER_YES},
	{"bien sur", ANSWER_YES},
	{"non", ANSWER_NO},
	{"nan", ANSWER_NO},
	{"aucun", ANSWER_NO},
	{"aucune", ANSWER_NO},
	{"pas", ANSWER_NO},
	{"pas encore", ANSWER_NO},
	{"pas du tout", ANSWER_NO},
	{"je ne sais pas", ANSWER_UNKNOWN},
	{"ne sais pas", ANSWER_UNKNOWN},
	{"sais pas", ANSWER_UNKNOWN},
	{"je sais pas", ANSWER_UNKNOWN},
	{"on ne sait pas", ANSWER_UNKNOWN},
	{"inconnu", ANSWER_UNKNOWN},
	{"aucune idee", ANSWER_UNKNOWN},
	{"pas sur", ANSWER_UNKNOWN},
	{"pas certain", ANSWER_UNKNOWN},
	{"incertain", ANSWER_UNKNOWN},
	{"peut etre", ANSWER_UNKNOWN},
	/* de */
	{"jawohl", ANSWER_YES},
	{"jep", ANSWER_YES},
	{"genau", ANSWER_YES},
	{"richtig", ANSWER_YES},
	{"stimmt", ANSWER_YES},
	{"nein", ANSWER_NO},
	{"kein", ANSWER_NO},
	{"keine", ANSWER_NO},
	{"nicht", ANSWER_NO},
	{"noch nicht", ANSWER_NO},
	{"gar nicht", ANSWER_NO},
	{"weiss nicht", ANSWER_UNKNOWN},
	{"weiss ich nicht", ANSWER_UNKNOWN},
	{"ich weiss es nicht", ANSWER_UNKNOWN},
	{"ich weiss nicht", ANSWER_UNKNOWN},
	{"unbekannt", ANSWER_UNKNOWN},
	{"keine ahnung", ANSWER_UNKNOWN},
	{"unklar", ANSWER_UNKNOWN},
	{"nicht sicher", ANSWER_UNKNOWN},
	{"vielleicht", ANSWER_UNKNOWN},
};

static gboolean
is_word_break(char c)
{
	return c == ' ' || strchr(",.;:!()\"", c) != NULL;
}

/* The folded answer with punctuation between words made a space, so "ja,
 * klopt" has the words "ja" and "klopt".  A new string. */
static char *
yesno_words_of(const char *folded)
{
	GString *out = g_string_sized_new(strlen(folded));

	for (const char *p = folded; *p != '\0'; p++) {
		if (is_word_break(*p) || *p == '?') {
			if (out->len > 0 && out->str[out->len - 1] != ' ')
				g_string_append_c(out, ' ');
			continue;
		}
		g_string_append_c(out, *p);
	}
	while (out->len > 0 && out->str[out->len - 1] == ' ')
		g_string_truncate(out, out->len - 1);
	return g_string_free(out, FALSE);
}

static const struct yesno_word *
yesno_lookup(const char *words, size_t length)
{
	for (size_t i = 0; i < G_N_ELEMENTS(yesno_words); i++)
		if (strlen(yesno_words[i].folded) == length &&
		    memcmp(yesno_words[i].folded, words, length) == 0)
			return &yesno_words[i];
	return NULL;
}

gboolean
answer_parse_yesno(const char *text, enum answer_yesno *value)
{
	g_autofree char *folded = NULL;
	g_autofree char *words = NULL;
	size_t ends[YESNO_MAX_WORDS];
	size_t count = 0;

	if (strlen(text) > YESNO_MAX_BYTES)
		return FALSE;
	/* A lone "?" (or "???") under a question means "no idea". */
	if (text[strspn(text, " \t\r\n")] == '?' &&
	    text[strspn(text, "? \t\r\n")] == '\0') {
		*value = ANSWER_UNKNOWN;
		return TRUE;
	}
	folded = answer_fold(text);
	words = yesno_words_of(folded);
	if (*words == '\0')
		return FALSE;
	/* Where each of the first words ends. */
	for (size_t i = 0; count < YESNO_MAX_WORDS; i++) {
		if (words[i] == ' ' || words[i] == '\0')
			ends[count++] = i;
		if (words[i] == '\0')
			break;
	}
	while (count > 0) {
		const struct yesno_word *match =
			yesno_lookup(words, ends[--count]);

		if (match != NULL) {
			*value = match->value;
			return TRUE;
		}
	}
	return FALSE;
}

/* --- lists ------------------------------------------------------------ */

static gboolean
is_list_word(const char *word)
{
	static const char *const words[] = {"and", "en", "et", "und", NULL};

	for (size_t i = 0; words[i] != NULL; i++)
		if (g_ascii_strcasecmp(word, words[i]) == 0)
			return TRUE;
	return FALSE;
}

static void
flush_item(GPtrArray *items, GString *item)
{
	if (item->len > 0)
		g_ptr_array_add(items, g_strdup(item->str));
	g_string_truncate(item, 0);
}

/* Splits one piece between separator characters at the words "and",
 * "en", "et", "und", dropping a leading bullet. */
static void
split_piece(GPtrArray *items, const char *piece)
{
	g_auto(GStrv) words = g_strsplit_set(piece, " \t\r", -1);
	g_autoptr(GString) item = g_string_new(NULL);

	for (size_t i = 0; words[i] != NULL; i++) {
		const char *word = words[i];

		if (*word == '\0')
			continue;
		if (item->len == 0 &&
		    (strcmp(word, "-") == 0 || strcmp(word, "*") == 0 ||
		     strcmp(word, "\u2022") == 0))
			continue;
		if (is_list_word(word)) {
			flush_item(items, item);
			continue;
		}
		if (item->len > 0)
			g_string_append_c(item, ' ');
		g_string_append(item, word);
	}
	flush_item(items, item);
}

GPtrArray *
answer_split_list(const char *text, GError **error)
{
	g_autoptr(GPtrArray) items = NULL;
	g_auto(GStrv) pieces = NULL;

	if (strlen(text) > ANSWER_MAX_BYTES) {
		g_set_error(error, ANSWER_ERROR, ANSWER_ERROR_TOO_LONG,
			    "is longer than %d bytes", ANSWER_MAX_BYTES);
		return NULL;
	}
	items = g_ptr_array_new_with_free_func(g_free);
	pieces = g_strsplit_set(text, ",;/&+\n", -1);
	for (size_t i = 0; pieces[i] != NULL; i++) {
		split_piece(items, pieces[i]);
		if (items->len > ANSWER_LIST_MAX_ITEMS) {
			g_set_error(error, ANSWER_ERROR, ANSWER_ERROR_TOO_LONG,
				    "has more than %d items",
				    ANSWER_LIST_MAX_ITEMS);
			return NULL;
		}
	}
	return g_steal_pointer(&items);
}

/* --- phone numbers ---------------------------------------------------- */

struct phone_plan {
	const char *country;
	const char *code;
	/* Digits after the trunk prefix 0 (the national significant number). */
	unsigned min_digits, max_digits;
	/* When set, numbers of max_digits start with one of these. */
	const char *long_starts;
};

/* The countries intaked serves first.  Belgium has 8-digit fixed and
 * 9-digit mobile numbers (04xx); the Netherlands and France always 9;
 * Germany varies with the area code. */
static const struct phone_plan phone_plans[] = {
	{"BE", "32", 8, 9, "4"},
	{"NL", "31", 9, 9, NULL},
	{"FR", "33", 9, 9, NULL},
	{"DE", "49", 6, 13, NULL},
};

/* E.164: at most 15 digits including the country code. */
#define PHONE_MAX_DIGITS 15
#define PHONE_MIN_DIGITS 6

static const struct phone_plan *
plan_for_country(const char *country)
{
	if (country == NULL)
		return NULL;
	for (size_t i = 0; i < G_N_ELEMENTS(phone_plans); i++)
		if (g_ascii_strcasecmp(country, phone_plans[i].country) == 0)
			return &phone_plans[i];
	return NULL;
}

/* Whether national (digits after the trunk 0) fits plan. */
static gboolean
plan_fits(const struct phone_plan *plan, const char *national)
{
	size_t length = strlen(national);

	if (length < plan->min_digits || length > plan->max_digits)
		return FALSE;
	return plan->long_starts == NULL || length < plan->max_digits ||
	       strchr(plan->long_starts, national[0]) != NULL;
}

static const struct phone_plan *
plan_for_code(const char *digits)
{
	for (size_t i = 0; i < G_N_ELEMENTS(phone_plans); i++)
		if (g_str_has_prefix(digits, phone_plans[i].code))
			return &phone_plans[i];
	return NULL;
}

/* Skips a label people put before a number: "tel:", "Tel.", "GSM",
 * "Telefon:".  Returns where the number starts. */
static const char *
skip_phone_label(const char *text)
{
	static const char *const labels[] = {
		"telephone", "téléphone", "telefoon", "telefon", "phone",
		"mobile",    "mobiel",	  "handy",    "gsm",	 "tél",
		"tel",	     "mob",	  NULL,
	};

	for (size_t i = 0; labels[i] != NULL; i++) {
		size_t length = strlen(labels[i]);
		const char *p = text + length;

		if (g_ascii_strncasecmp(text, labels[i], length) != 0 ||
		    g_ascii_isalpha(*p))
			continue;
		while (*p == '.' || *p == ':' || *p == ' ' || *p == '\t')
			p++;
		return p;
	}
	return text;
}

static char *
collapse_spaces(const char *text)
{
	g_auto(GStrv) words = g_strsplit_set(text, " \t\r\n", -1);
	GString *out = g_string_new(NULL);

	for (size_t i = 0; words[i] != NULL; i++) {
		if (*words[i] == '\0')
			continue;
		if (out->len > 0)
			g_string_append_c(out, ' ');
		g_string_append(out, words[i]);
	}
	return g_string_free(out, FALSE);
}

gboolean
answer_normalise_phone(const char *text, const char *country, char **normalised,
		       GError **error)
{
	g_autofree char *trimmed = NULL;
	g_autoptr(GString) digits = g_string_new(NULL);
	const struct phone_plan *plan;
	gboolean plus = FALSE, trunk_in_parens = FALSE;
	const char *start, *p, *international = NULL;

	if (strlen(text) > ANSWER_MAX_BYTES) {
		g_set_error(error, ANSWER_ERROR, ANSWER_ERROR_TOO_LONG,
			    "is longer than %d bytes", ANSWER_MAX_BYTES);
		return FALSE;
	}
	trimmed = g_strstrip(g_strdup(text));
	if (*trimmed == '\0') {
		g_set_error_literal(error, ANSWER_ERROR, ANSWER_ERROR_EMPTY,
				    "is empty");
		return FALSE;
	}
	if (strlen(trimmed) > ANSWER_PHONE_MAX_BYTES) {
		g_set_error(error, ANSWER_ERROR, ANSWER_ERROR_TOO_LONG,
			    "is too long for a phone number");
		return FALSE;
	}
	start = skip_phone_label(trimmed);
	p = start;
	if (*p == '+') {
		plus = TRUE;
		p++;
	}
	for (; *p != '\0'; p++) {
		if (g_ascii_isdigit(*p)) {
			g_string_append_c(digits, *p);
		} else if (p[0] == '(' && p[1] == '0' && p[2] == ')') {
			/* "+32 (0)9 ..." and "(0)9 ...": the trunk prefix
			 * dialled only from inside the country. */
			trunk_in_parens = TRUE;
			if (!plus && digits->len == 0)
				g_string_append_c(digits, '0');
			p += 2;
		} else if ((unsigned char)p[0] == 0xc2 &&
			   (unsigned char)p[1] == 0xa0) {
			p++; /* no-break space */
		} else if (strchr(" \t-./()", *p) == NULL) {
			g_set_error(error, ANSWER_ERROR, ANSWER_ERROR_INVALID,
				    "is not a phone number");
			return FALSE;
		}
	}
	if (digits->len < PHONE_MIN_DIGITS) {
		g_set_error(error, ANSWER_ERROR, ANSWER_ERROR_INVALID,
			    "has too few digits for a phone number");
		return FALSE;
	}
	if (plus)
		international = digits->str;
	else if (g_str_has_prefix(digits->str, "00") && digits->str[2] != '0')
		international = digits->str + 2;

	if (international != NULL) {
		GString *out;
		size_t length = strlen(international);

		if (length > PHONE_MAX_DIGITS ||
		    length < PHONE_MIN_DIGITS + 2) {
			g_set_error(error, ANSWER_ERROR, ANSWER_ERROR_INVALID,
				    "has %s digits for an international "
				    "number",
				    length > PHONE_MAX_DIGITS ? "too many"
							      : "too few");
			return FALSE;
		}
		out = g_string_new("+");
		plan = plan_for_code(international);
		/* "+32 0475 ..." is a common way of writing "+32 475 ...";
		 * no number in these plans starts with 0 after the code. */
		if (plan != NULL && !trunk_in_parens &&
		    international[strlen(plan->code)] == '0') {
			g_string_append(out, plan->code);
			g_string_append(out,
					international + strlen(plan->code) + 1);
		} else {
			g_string_append(out, international);
		}
		*normalised = g_string_free(out, FALSE);
		return TRUE;
	}
	if (digits->len > PHONE_MAX_DIGITS + 1) {
		g_set_error(error, ANSWER_ERROR, ANSWER_ERROR_INVALID,
			    "has too many digits for a phone number");
		return FALSE;
	}
	plan = plan_for_country(country);
	if (plan != NULL && digits->str[0] == '0' && digits->str[1] != '0' &&
	    plan_fits(plan, digits->str + 1)) {
		*normalised =
			g_strconcat("+", plan->code, digits->str + 1, NULL);
		return TRUE;
	}
	/* Not sure which country: keep what was written. */
	*normalised = collapse_spaces(start);
	return TRUE;
}

/* --- dates and times -------------------------------------------------- */

struct datetime {
	int year, month, day;
	int hour, minute, second; /* hour -1: no time */
	gboolean has_seconds;
	char zone[8]; /* "", "Z" or "+01:00" */
};

/* Reads min..max digits.  Returns FALSE, and leaves *p alone, when there
 * are fewer than min. */
static gboolean
read_digits(const char **p, int min, int max, int *out)
{
	const char *q = *p;
	int value = 0, count = 0;

	while (count < max && g_ascii_isdigit(*q)) {
		value = value * 10 + (*q - '0');
		q++;
		count++;
	}
	if (count < min)
		return FALSE;
	*out = value;
	*p = q;
	return TRUE;
}

static void
skip_spaces(const char **p)
{
	while (**p == ' ' || **p == '\t' || **p == ',')
		(*p)++;
}

/* Skips a word case-insensitively if it stands alone.  "à" is two bytes. */
static gboolean
skip_word(const char **p, const char *word)
{
	size_t length = strlen(word);

	if (g_ascii_strncasecmp(*p, word, length) != 0 ||
	    g_ascii_isalpha((*p)[length]))
		return FALSE;
	*p += length;
	return TRUE;
}

/* "07:30", "7:30:15", "7u30", "7h30", "7.30", "7u", "7h", "7 uur", "7 Uhr",
 * each optionally followed by "u", "h", "uur", "Uhr". */
static gboolean
read_time(const char **p, struct datetime *dt)
{
	const char *q = *p;
	int hour, minute = 0, second = 0;
	gboolean has_minutes = FALSE;

	if (!read_digits(&q, 1, 2, &hour))
		return FALSE;
	if ((*q == ':' || *q == '.' || *q == 'h' || *q == 'u' || *q == 'H') &&
	    g_ascii_isdigit(q[1])) {
		q++;
		if (!read_digits(&q, 2, 2, &minute))
			return FALSE;
		has_minutes = TRUE;
		if (*q == ':' && g_ascii_isdigit(q[1])) {
			q++;
			if (!read_digits(&q, 2, 2, &second))
				return FALSE;
			dt->has_seconds = TRUE;
		}
	}
	while (*q == ' ')
		q++;
	if (!skip_word(&q, "uur") && !skip_word(&q, "uhr") &&
	    !skip_word(&q, "u") && !skip_word(&q, "h") && !has_minutes)
		return FALSE; /* a bare "7" is not a time */
	if (hour > 23 || minute > 59 || second > 59)
		return FALSE;
	dt->hour = hour;
	dt->minute = minute;
	dt->second = second;
	*p = q;
	return TRUE;
}

/* "Z", "+01:00", "+0100", "-05". */
static gboolean
read_zone(const char **p, struct datetime *dt)
{
	const char *q = *p;
	int hours, minutes = 0;
	char sign;

	if (*q == 'Z' || *q == 'z') {
		g_strlcpy(dt->zone, "Z", sizeof(dt->zone));
		*p = q + 1;
		return TRUE;
	}
	if (*q != '+' && *q != '-')
		return TRUE; /* no zone */
	sign = *q++;
	if (!read_digits(&q, 2, 2, &hours))
		return FALSE;
	if (*q == ':')
		q++;
	if (g_ascii_isdigit(*q) && !read_digits(&q, 2, 2, &minutes))
		return FALSE;
	if (hours > 14 || minutes > 59)
		return FALSE;
	g_snprintf(dt->zone, sizeof(dt->zone), "%c%02d:%02d", sign, hours,
		   minutes);
	*p = q;
	return TRUE;
}

/* "2026-03-14" or day first: "14/03/2026", "14-3-26", "14.03.2026". */
static gboolean
read_date(const char **p, struct datetime *dt)
{
	const char *q = *p;
	int first, second, third;
	char separator;

	if (read_digits(&q, 4, 4, &first)) {
		if (*q != '-')
			return FALSE;
		q++;
		if (!read_digits(&q, 1, 2, &second) || *q != '-')
			return FALSE;
		q++;
		if (!read_digits(&q, 1, 2, &third))
			return FALSE;
		dt->year = first;
		dt->month = second;
		dt->day = third;
	} else {
		q = *p;
		if (!read_digits(&q, 1, 2, &first))
			return FALSE;
		separator = *q;
		if (separator != '/' && separator != '-' && separator != '.')
			return FALSE;
		q++;
		if (!read_digits(&q, 1, 2, &second) || *q != separator)
			return FALSE;
		q++;
		if (read_digits(&q, 4, 4, &third))
			dt->year = third;
		else if (read_digits(&q, 2, 2, &third))
			dt->year = 2000 + third;
		else
			return FALSE;
		if (g_ascii_isdigit(*q))
			return FALSE;
		dt->day = first;
		dt->month = second;
	}
	if (dt->year < 1970 || dt->year > 2100 ||
	    !g_date_valid_dmy(dt->day, dt->month, dt->year))
		return FALSE;
	*p = q;
	return TRUE;
}

gboolean
answer_normalise_datetime(const char *text, char **iso)
{
	static const char *const connectors[] = {
		"at",	"om",	"\xc3\xa0", "a",     "um",
		"vers", "rond", "gegen",    "tegen", NULL,
	};
	struct datetime dt = {.hour = -1};
	const char *p = text;
	GString *out;

	if (strlen(text) > YESNO_MAX_BYTES)
		return FALSE;
	while (g_ascii_isspace(*p))
		p++;
	if (!read_date(&p, &dt))
		return FALSE;
	if (*p == 'T' && g_ascii_isdigit(p[1])) {
		p++;
		if (!read_time(&p, &dt))
			return FALSE;
	} else {
		skip_spaces(&p);
		for (size_t i = 0; connectors[i] != NULL; i++)
			if (skip_word(&p, connectors[i]))
				break;
		skip_spaces(&p);
		if (g_ascii_isdigit(*p) && !read_time(&p, &dt))
			return FALSE;
	}
	if (dt.hour >= 0) {
		if (*p == ' ' && (p[1] == 'Z' || p[1] == '+' || p[1] == '-'))
			p++;
		if (!read_zone(&p, &dt))
			return FALSE;
	}
	while (g_ascii_isspace(*p) || *p == '.')
		p++;
	if (*p != '\0')
		return FALSE;

	out = g_string_new(NULL);
	g_string_append_printf(out, "%04d-%02d-%02d", dt.year, dt.month,
			       dt.day);
	if (dt.hour >= 0) {
		g_string_append_printf(out, "T%02d:%02d", dt.hour, dt.minute);
		if (dt.has_seconds)
			g_string_append_printf(out, ":%02d", dt.second);
		g_string_append(out, dt.zone);
	}
	*iso = g_string_free(out, FALSE);
	return TRUE;
}

/* --- e-mail addresses ------------------------------------------------- */

static gboolean
is_atext(char c)
{
	return g_ascii_isalnum(c) || strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL;
}

static gboolean
is_dot_atom(const char *start, const char *end)
{
	if (start == end || *start == '.' || end[-1] == '.')
		return FALSE;
	for (const char *p = start; p < end; p++)
		if ((*p == '.' && p[1] == '.') || (*p != '.' && !is_atext(*p)))
			return FALSE;
	return TRUE;
}

/* Host names; bytes over 0x7f are allowed for internationalised names
 * (the caller has checked UTF-8). */
static gboolean
is_domain(const char *domain)
{
	gboolean label_start = TRUE, dot = FALSE;
	const char *p;

	for (p = domain; *p != '\0'; p++) {
		if (*p == '.') {
			if (label_start || p[-1] == '-')
				return FALSE;
			label_start = TRUE;
			dot = TRUE;
		} else if (g_ascii_isalnum(*p) || (unsigned char)*p >= 0x80 ||
			   (*p == '-' && !label_start)) {
			label_start = FALSE;
		} else {
			return FALSE;
		}
	}
	return dot && !label_start && p[-1] != '-';
}

gboolean
answer_normalise_email(const char *text, char **normalised, GError **error)
{
	g_autofree char *trimmed = NULL;
	g_autofree char *domain = NULL;
	char *address, *at;
	size_t length;

	if (strlen(text) > ANSWER_MAX_BYTES) {
		g_set_error(error, ANSWER_ERROR, ANSWER_ERROR_TOO_LONG,
			    "is longer than %d bytes", ANSWER_MAX_BYTES);
		return FALSE;
	}
	trimmed = g_strstrip(g_strdup(text));
	if (*trimmed == '\0') {
		g_set_error_literal(error, ANSWER_ERROR, ANSWER_ERROR_EMPTY,
				    "is empty");
		return FALSE;
	}
	address = trimmed;
	if (g_ascii_strncasecmp(address, "mailto:", 7) == 0)
		address += 7;
	length = strlen(address);
	if (length >= 2 && address[0] == '<' && address[length - 1] == '>') {
		address[length - 1] = '\0';
		address++;
	}
	at = strrchr(address, '@');
	if (strlen(address) > ANSWER_EMAIL_MAX_BYTES || at == NULL ||
	    at - address > 64 || !is_dot_atom(address, at) ||
	    !g_utf8_validate(at + 1, -1, NULL) || !is_domain(at + 1)) {
		g_set_error(error, ANSWER_ERROR, ANSWER_ERROR_INVALID,
			    "is not an e-mail address like "
			    "name@example.org");
		return FALSE;
	}
	domain = g_utf8_strdown(at + 1, -1);
	*normalised = g_strdup_printf("%.*s@%s", (int)(at - address), address,
				      domain);
	return TRUE;
}

/* --- free text -------------------------------------------------------- */

gboolean
answer_normalise_text(const char *text, size_t max_chars, char **normalised,
		      GError **error)
{
	size_t length = strlen(text);
	GString *out;
	char *result;

	if (length > ANSWER_MAX_BYTES) {
		g_set_error(error, ANSWER_ERROR, ANSWER_ERROR_TOO_LONG,
			    "is longer than %d bytes", ANSWER_MAX_BYTES);
		return FALSE;
	}
	if (!g_utf8_validate(text, length, NULL)) {
		g_set_error_literal(error, ANSWER_ERROR, ANSWER_ERROR_INVALID,
				    "is not valid UTF-8");
		return FALSE;
	}
	out = g_string_sized_new(length);
	for (const char *p = text; *p != '\0'; p++) {
		if (*p == '\r' && p[1] == '\n')
			continue;
		if (*p == '\r' || (((unsigned char)*p < 0x20 || *p == 0x7f) &&
				   *p != '\n' && *p != '\t'))
			g_string_append_c(out, ' ');
		else
			g_string_append_c(out, *p);
	}
	result = g_strstrip(g_string_free(out, FALSE));
	if (*result == '\0') {
		g_free(result);
		g_set_error_literal(error, ANSWER_ERROR, ANSWER_ERROR_EMPTY,
				    "is empty");
		return FALSE;
	}
	if ((size_t)g_utf8_strlen(result, -1) > max_chars) {
		g_free(result);
		g_set_error(error, ANSWER_ERROR, ANSWER_ERROR_TOO_LONG,
			    "is longer than %zu characters", max_chars);
		return FALSE;
	}
	*normalised = result;
	return TRUE;
}

/* --- hints ------------------------------------------------------------ */

/* Levenshtein distance over bytes; both strings are at most
 * CLOSEST_MAX_BYTES long. */
static size_t
edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t row[CLOSEST_MAX_BYTES + 1];

	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diagonal = row[0];

		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t above = row[j];
			size_t best = diagonal + (a[i - 1] != b[j - 1]);

			best = MIN(best, row[j - 1] + 1);
			best = MIN(best, above + 1);
			row[j] = best;
			diagonal = above;
		}
	}
	return row[lb];
}

const char *
answer_closest(const char *word, const char *const *candidates,
	       size_t max_distance)
{
	g_autofree char *folded = NULL;
	const char *best = NULL;
	size_t best_distance = max_distance + 1;

	if (strlen(word) > CLOSEST_MAX_BYTES)
		return NULL;
	folded = answer_fold(word);
	if (strlen(folded) > CLOSEST_MAX_BYTES)
		return NULL;
	for (size_t i = 0; candidates[i] != NULL; i++) {
		g_autofree char *candidate = answer_fold(candidates[i]);
		size_t distance;

		if (strlen(candidate) > CLOSEST_MAX_BYTES)
			continue;
		distance = edit_distance(folded, candidate);
		if (distance < best_distance) {
			best_distance = distance;
			best = candidates[i];
		}
	}
	return best;
}
