/* config-keys.c — every intaked.conf key: type, default or "required",
 * bounds, check and description.  config.c walks this table to load and
 * validate; docs/man/intaked.conf.5 documents the same keys in the same
 * words, and conf/intaked.conf shows them with their defaults. */
#include "config.h"
#include "config-keys.h"
#include "log.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <glib/gstdio.h>

#define CASE_PREFIX_MAX	  16
#define ADDRESS_MAX	  254
#define ADDRESS_LOCAL_MAX 64

static char *check_address(const void *field);
static char *check_case_prefix(const void *field);
static char *check_languages(const void *field);
static char *check_log_level(const void *field);
static char *check_gnupg_home(const void *field);
static char *check_fingerprint(const void *field);

/* The order of config_tls. */
static const char *const tls_names[] = {"implicit", "starttls", NULL};
/* The order of config_encrypt. */
static const char *const encrypt_names[] = {"opportunistic", "required", NULL};
static const char *const supported_languages[] = {"en", "nl", "fr", "de", NULL};
/* What a provider needs to get in touch and to know what is asked. */
static const char *const default_share_fields[] = {
	"organisation", "contact_name", "contact_email", "contact_phone",
	"location",	"country",	"need",		 "incident_type",
	"description",	NULL,
};

G_STATIC_ASSERT(sizeof(enum config_tls) == sizeof(int));
G_STATIC_ASSERT(sizeof(gboolean) == sizeof(int));

#define FIELD(member) offsetof(struct config, member)

const struct config_key config_keys[] = {
	{.path = "database",
	 .type = KEY_PATH,
	 .flags = KEY_REQUIRED,
	 .offset = FIELD(database),
	 .description = "SQLite database holding every message, case, event "
			"and the outbox."},
	{.path = "templates",
	 .type = KEY_PATH,
	 .flags = KEY_REQUIRED,
	 .offset = FIELD(templates),
	 .description = "Directory with one sub-directory per language (en, "
			"nl, fr, de) holding the reply templates."},
	{.path = "log_level",
	 .type = KEY_STRING,
	 .default_string = "info",
	 .check = check_log_level,
	 .offset = FIELD(log_level),
	 .description = "debug, info, warning or error."},
	{.path = "languages",
	 .type = KEY_STRING_LIST,
	 .default_list = supported_languages,
	 .check = check_languages,
	 .offset = FIELD(languages),
	 .description = "Languages intaked answers in.  The first one is the "
			"fallback when a sender's language cannot be told or "
			"is not listed."},

	{.path = "identity.address",
	 .type = KEY_STRING,
	 .flags = KEY_REQUIRED,
	 .check = check_address,
	 .offset = FIELD(identity.address),
	 .description = "The CERT mailbox: the address requesters write to, "
			"and the From of every mail intaked sends."},
	{.path = "identity.name",
	 .type = KEY_STRING,
	 .flags = KEY_ALLOW_EMPTY,
	 .default_string = "",
	 .offset = FIELD(identity.name),
	 .description = "Display name in From."},
	{.path = "identity.case_prefix",
	 .type = KEY_STRING,
	 .default_string = "CERT",
	 .check = check_case_prefix,
	 .offset = FIELD(identity.case_prefix),
	 .description = "Case tags in subjects read [CERT-2026-0042].  "
			"Letters, digits, '-'."},
	{.path = "identity.token_secret_file",
	 .type = KEY_SECRET_FILE,
	 .flags = KEY_REQUIRED,
	 .offset = FIELD(identity.token_secret),
	 .description = "At least 32 random bytes, mode 0600, used to sign "
			"the case tokens in our Message-IDs."},
	{.path = "identity.staff_address",
	 .type = KEY_STRING,
	 .flags = KEY_EMPTY_IS_NULL,
	 .default_string = "",
	 .check = check_address,
	 .offset = FIELD(identity.staff_address),
	 .description = "Where notes to staff go (quarantined mail, cases "
			"where patient care is affected, cases handed over "
			"after unanswered questions).  Empty: no notes are "
			"mailed (they are still logged and recorded)."},

	{.path = "imap.host",
	 .type = KEY_STRING,
	 .flags = KEY_REQUIRED,
	 .offset = FIELD(imap.host),
	 .description = "IMAP server host name."},
	{.path = "imap.port",
	 .type = KEY_INT,
	 .flags = KEY_DEFAULT_DERIVED,
	 .min = 1,
	 .max = 65535,
	 .offset = FIELD(imap.port),
	 .description = "IMAP server port; default 993 with \"implicit\", "
			"143 with \"starttls\"."},
	{.path = "imap.tls",
	 .type = KEY_ENUM,
	 .default_number = CONFIG_TLS_IMPLICIT,
	 .enum_names = tls_names,
	 .enum_hint = "TLS is mandatory: intaked never logs in without it",
	 .offset = FIELD(imap.tls),
	 .description = "\"implicit\" (TLS from the start, usually 993) or "
			"\"starttls\" (143)."},
	{.path = "imap.ca_file",
	 .type = KEY_PATH,
	 .flags = KEY_EMPTY_IS_NULL,
	 .default_string = "",
	 .offset = FIELD(imap.ca_file),
	 .description = "PEM file of the CA that signs the server "
			"certificate.  Empty: the system trust store."},
	{.path = "imap.username",
	 .type = KEY_STRING,
	 .flags = KEY_REQUIRED,
	 .offset = FIELD(imap.username),
	 .description = "IMAP login name."},
	{.path = "imap.password_file",
	 .type = KEY_PASSWORD_FILE,
	 .flags = KEY_REQUIRED,
	 .offset = FIELD(imap.password),
	 .description = "File holding the password (first line), mode 0600 "
			"or tighter."},
	{.path = "imap.mailbox",
	 .type = KEY_STRING,
	 .default_string = "INBOX",
	 .offset = FIELD(imap.mailbox),
	 .description = "Mailbox watched for new mail."},
	{.path = "imap.processed_mailbox",
	 .type = KEY_STRING,
	 .default_string = "Processed",
	 .offset = FIELD(imap.processed_mailbox),
	 .description = "Every message is moved here once it is safely in "
			"the database."},
	{.path = "imap.quarantine_mailbox",
	 .type = KEY_STRING,
	 .default_string = "Quarantine",
	 .offset = FIELD(imap.quarantine_mailbox),
	 .description = "Messages over limits.max_message_bytes are moved "
			"here unread."},
	{.path = "imap.idle",
	 .type = KEY_BOOL,
	 .default_number = TRUE,
	 .offset = FIELD(imap.idle),
	 .description = "Use IMAP IDLE when the server offers it; otherwise "
			"poll."},
	{.path = "imap.poll_interval",
	 .type = KEY_INT,
	 .default_number = 60,
	 .min = 5,
	 .max = 3600,
	 .offset = FIELD(imap.poll_interval),
	 .description = "Seconds between polls when IDLE is off or not "
			"offered (5..3600)."},
	{.path = "imap.idle_restart",
	 .type = KEY_INT,
	 .default_number = 1500,
	 .min = 60,
	 .max = 1740,
	 .offset = FIELD(imap.idle_restart),
	 .description = "Seconds before IDLE is re-issued; RFC 2177 servers "
			"may drop an IDLE after 30 minutes (60..1740)."},
	{.path = "imap.timeout",
	 .type = KEY_INT,
	 .default_number = 60,
	 .min = 5,
	 .max = 600,
	 .offset = FIELD(imap.timeout),
	 .description = "Seconds a network operation may take (5..600)."},
	{.path = "imap.reconnect_max",
	 .type = KEY_INT,
	 .default_number = 300,
	 .min = 5,
	 .max = 3600,
	 .offset = FIELD(imap.reconnect_max),
	 .description = "Upper bound of the reconnect backoff, seconds "
			"(5..3600)."},

	{.path = "smtp.host",
	 .type = KEY_STRING,
	 .flags = KEY_REQUIRED,
	 .offset = FIELD(smtp.host),
	 .description = "SMTP submission server host name."},
	{.path = "smtp.port",
	 .type = KEY_INT,
	 .flags = KEY_DEFAULT_DERIVED,
	 .min = 1,
	 .max = 65535,
	 .offset = FIELD(smtp.port),
	 .description = "587 with \"starttls\", 465 with \"implicit\"."},
	{.path = "smtp.tls",
	 .type = KEY_ENUM,
	 .default_number = CONFIG_TLS_STARTTLS,
	 .enum_names = tls_names,
	 .enum_hint = "TLS is mandatory: intaked never logs in without it",
	 .offset = FIELD(smtp.tls),
	 .description = "\"implicit\" (TLS from the start, usually 465) or "
			"\"starttls\" (587)."},
	{.path = "smtp.ca_file",
	 .type = KEY_PATH,
	 .flags = KEY_EMPTY_IS_NULL,
	 .default_string = "",
	 .offset = FIELD(smtp.ca_file),
	 .description = "PEM file of the CA that signs the server "
			"certificate.  Empty: the system trust store."},
	{.path = "smtp.username",
	 .type = KEY_STRING,
	 .flags = KEY_REQUIRED,
	 .offset = FIELD(smtp.username),
	 .description = "SMTP AUTH login name."},
	{.path = "smtp.password_file",
	 .type = KEY_PASSWORD_FILE,
	 .flags = KEY_REQUIRED,
	 .offset = FIELD(smtp.password),
	 .description = "File holding the password (first line), mode 0600 "
			"or tighter."},
	{.path = "smtp.helo_name",
	 .type = KEY_STRING,
	 .flags = KEY_EMPTY_IS_NULL,
	 .default_string = "",
	 .offset = FIELD(smtp.helo_name),
	 .description = "EHLO name.  Empty: the domain of identity.address."},
	{.path = "smtp.timeout",
	 .type = KEY_INT,
	 .default_number = 60,
	 .min = 5,
	 .max = 600,
	 .offset = FIELD(smtp.timeout),
	 .description = "Seconds a network operation may take (5..600)."},
	{.path = "smtp.retry_initial",
	 .type = KEY_INT,
	 .default_number = 60,
	 .min = 1,
	 .max = 86400,
	 .offset = FIELD(smtp.retry_initial),
	 .description = "Seconds before the first retry after a temporary "
			"failure (4xx, connection error) (1..86400)."},
	{.path = "smtp.retry_max",
	 .type = KEY_INT,
	 .default_number = 3600,
	 .min = 1,
	 .max = 86400,
	 .offset = FIELD(smtp.retry_max),
	 .description = "Cap of the doubling retry delay, seconds "
			"(1..86400)."},
	{.path = "smtp.give_up_after",
	 .type = KEY_INT,
	 .default_number = 172800,
	 .min = 60,
	 .max = 2592000,
	 .offset = FIELD(smtp.give_up_after),
	 .description = "Seconds after which a message still failing "
			"temporarily is marked failed (60..2592000)."},
	{.path = "smtp.connections",
	 .type = KEY_INT,
	 .default_number = 8,
	 .min = 1,
	 .max = 16,
	 .offset = FIELD(smtp.connections),
	 .description = "SMTP sessions used in parallel (1..16).  Each waits "
			"for the server's reply to a message before the next, "
			"so a relaying server is used better by several."},
	{.path = "smtp.copy_to_self",
	 .type = KEY_BOOL,
	 .default_number = TRUE,
	 .offset = FIELD(smtp.copy_to_self),
	 .description = "Send every mail also to identity.address.  The copy "
			"is the CERT's record of what went out, and proves "
			"delivery of a mail whose sending a crash interrupted, "
			"so it is not sent twice."},
	{.path = "smtp.uncertain_grace",
	 .type = KEY_INT,
	 .default_number = 300,
	 .min = 5,
	 .max = 86400,
	 .offset = FIELD(smtp.uncertain_grace),
	 .description = "Seconds to wait for that copy before a mail whose "
			"sending was interrupted is sent again (5..86400)."},

	{.path = "limits.max_message_bytes",
	 .type = KEY_INT64,
	 .default_number = 26214400,
	 .min = 1024,
	 .max = G_MAXINT32,
	 .offset = FIELD(limits.max_message_bytes),
	 .description = "Larger messages are not fetched: they go to the "
			"quarantine mailbox and staff are told "
			"(1024..2147483647 bytes)."},
	{.path = "limits.max_mime_depth",
	 .type = KEY_INT,
	 .default_number = 32,
	 .min = 1,
	 .max = 256,
	 .offset = FIELD(limits.max_mime_depth),
	 .description = "MIME nesting beyond which a message is refused "
			"(1..256)."},
	{.path = "limits.max_mime_parts",
	 .type = KEY_INT,
	 .default_number = 500,
	 .min = 1,
	 .max = 100000,
	 .offset = FIELD(limits.max_mime_parts),
	 .description = "MIME part count beyond which a message is refused "
			"(1..100000)."},
	{.path = "limits.max_header_bytes",
	 .type = KEY_INT,
	 .default_number = 262144,
	 .min = 1024,
	 .max = 16777216,
	 .offset = FIELD(limits.max_header_bytes),
	 .description = "Bytes of the top-level header (1024..16777216)."},
	{.path = "limits.new_cases_per_sender_per_hour",
	 .type = KEY_INT,
	 .default_number = 10,
	 .min = 1,
	 .max = 100000,
	 .offset = FIELD(limits.new_cases_per_sender_per_hour),
	 .description = "New cases opened per sender per hour; further "
			"reports are stored and recorded but open no case and "
			"get no reply (1..100000)."},
	{.path = "limits.auto_replies_per_sender_per_hour",
	 .type = KEY_INT,
	 .default_number = 5,
	 .min = 0,
	 .max = 100000,
	 .offset = FIELD(limits.auto_replies_per_sender_per_hour),
	 .description = "Automatic replies per recipient per hour "
			"(0..100000)."},

	/* The crypto group is optional: without key_fingerprint, crypto
	 * is off and replies go out unsigned. */
	{.path = "crypto.gnupg_home",
	 .type = KEY_PATH,
	 .default_string = "/var/lib/intaked/gnupg",
	 .check = check_gnupg_home,
	 .offset = FIELD(crypto.gnupg_home),
	 .description = "GnuPG home holding the CERT key and the keys of "
			"requesters; a directory of mode 0700."},
	{.path = "crypto.key_fingerprint",
	 .type = KEY_STRING,
	 .flags = KEY_EMPTY_IS_NULL,
	 .default_string = "",
	 .check = check_fingerprint,
	 .offset = FIELD(crypto.key_fingerprint),
	 .description = "Fingerprint (40 hex digits) of the CERT key that "
			"signs every outgoing mail and decrypts incoming "
			"mail.  Required when the crypto group is present."},
	{.path = "crypto.passphrase_file",
	 .type = KEY_PASSWORD_FILE,
	 .offset = FIELD(crypto.passphrase),
	 .description = "File holding the passphrase of the CERT key (first "
			"line), mode 0600 or tighter.  Not set: the key has "
			"no passphrase."},
	{.path = "crypto.encrypt",
	 .type = KEY_ENUM,
	 .default_number = CONFIG_ENCRYPT_OPPORTUNISTIC,
	 .enum_names = encrypt_names,
	 .offset = FIELD(crypto.encrypt),
	 .description = "\"opportunistic\": replies are encrypted when the "
			"requester's key is known; \"required\": a reply with "
			"case content is never sent in clear."},
	{.path = "questionnaire",
	 .type = KEY_PATH,
	 .flags = KEY_EMPTY_IS_NULL,
	 .default_string = "",
	 .offset = FIELD(questionnaire),
	 .description = "questionnaire.conf: the case fields and the "
			"questions asked per incident type.  Empty or not "
			"set: no questions are asked."},
	{.path = "providers",
	 .type = KEY_PATH,
	 .flags = KEY_EMPTY_IS_NULL,
	 .default_string = "",
	 .offset = FIELD(providers),
	 .description = "providers.conf: the volunteer providers support "
			"cases can be introduced to, and the qualification "
			"rules.  Empty or not set: no providers."},
	{.path = "questions.reminder_after",
	 .type = KEY_INT,
	 .default_number = 172800,
	 .min = 1,
	 .max = 2592000,
	 .offset = FIELD(questions.reminder_after),
	 .description = "Seconds without an answer to the questions after "
			"which the requester gets a reminder asking the "
			"missing required questions again (1..2592000)."},
	{.path = "questions.max_rounds",
	 .type = KEY_INT,
	 .default_number = 3,
	 .min = 1,
	 .max = 20,
	 .offset = FIELD(questions.max_rounds),
	 .description = "Mails asking questions (the acknowledgement, "
			"follow-ups and reminders) per case.  When required "
			"answers are still missing after that many, the case "
			"is handed to staff (identity.staff_address) instead "
			"of asking again (1..20)."},
	{.path = "support.share_fields",
	 .type = KEY_STRING_LIST,
	 .default_list = default_share_fields,
	 .offset = FIELD(support.share_fields),
	 .description = "Case fields the consent request offers to share "
			"with a provider, and the only ones an introduction "
			"carries.  Fields the case has no value for are left "
			"out of both."},
	{.path = "support.answer_deadline",
	 .type = KEY_INT,
	 .default_number = 86400,
	 .min = 1,
	 .max = 2592000,
	 .offset = FIELD(support.answer_deadline),
	 .description = "Seconds a provider has to accept or decline an "
			"introduction; then the next candidate is introduced "
			"(1..2592000)."},
	{.path = "support.followup_after",
	 .type = KEY_INT,
	 .default_number = 604800,
	 .min = 1,
	 .max = 7776000,
	 .offset = FIELD(support.followup_after),
	 .description = "Seconds after a provider accepted before the "
			"requester is asked whether help arrived and was good "
			"(1..7776000)."},
	{.path = "support.max_consent_asks",
	 .type = KEY_INT,
	 .default_number = 3,
	 .min = 1,
	 .max = 10,
	 .offset = FIELD(support.max_consent_asks),
	 .description = "Consent requests per case (the first and the ones "
			"after an unclear answer); then staff take over "
			"(1..10)."},
};

const size_t config_keys_count = G_N_ELEMENTS(config_keys);

const char *
config_encrypt_name(enum config_encrypt encrypt)
{
	if ((int)encrypt >= 0 &&
	    (size_t)encrypt < G_N_ELEMENTS(encrypt_names) - 1)
		return encrypt_names[encrypt];
	return "unknown";
}

const char *
config_tls_name(enum config_tls tls)
{
	if ((int)tls >= 0 && (size_t)tls < G_N_ELEMENTS(tls_names) - 1)
		return tls_names[tls];
	return "unknown";
}

/* --- checks ----------------------------------------------------------- */

static gboolean
is_atext(char c)
{
	return g_ascii_isalnum(c) || strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL;
}

/* An addr-spec as intaked writes it in From and envelope: a dot-atom local
 * part and a host name.  Quoted local parts and address literals are legal
 * in RFC 5322 but have no place in a CERT's own configuration. */
static gboolean
is_addr_spec(const char *address)
{
	const char *at = strrchr(address, '@');
	const char *p;
	gboolean label_start = TRUE;

	if (at == NULL || at == address || at[1] == '\0' ||
	    strlen(address) > ADDRESS_MAX || at - address > ADDRESS_LOCAL_MAX)
		return FALSE;
	for (p = address; p < at; p++) {
		if (*p == '.') {
			if (p == address || p + 1 == at || p[1] == '.')
				return FALSE;
		} else if (!is_atext(*p)) {
			return FALSE;
		}
	}
	for (p = at + 1; *p != '\0'; p++) {
		if (*p == '.') {
			if (label_start || p[-1] == '-')
				return FALSE;
			label_start = TRUE;
		} else if (g_ascii_isalnum(*p) || (*p == '-' && !label_start)) {
			label_start = FALSE;
		} else {
			return FALSE;
		}
	}
	return !label_start && p[-1] != '-';
}

static char *
check_address(const void *field)
{
	const char *address = *(char *const *)field;

	if (address == NULL || is_addr_spec(address))
		return NULL;
	return g_strdup_printf("= \"%s\" is not an address like "
			       "local@example.org",
			       address);
}

static char *
check_case_prefix(const void *field)
{
	const char *prefix = *(char *const *)field;
	size_t length = strlen(prefix);

	if (length < 1 || length > CASE_PREFIX_MAX)
		return g_strdup_printf("must be 1..%d characters",
				       CASE_PREFIX_MAX);
	for (const char *p = prefix; *p != '\0'; p++)
		if (!g_ascii_isalnum(*p) && *p != '-')
			return g_strdup(
				"may only contain letters, digits and '-'");
	return NULL;
}

static char *
check_languages(const void *field)
{
	char *const *languages = *(char **const *)field;

	if (languages[0] == NULL)
		return g_strdup("must name at least one language");
	for (size_t i = 0; languages[i] != NULL; i++) {
		if (!g_strv_contains(supported_languages, languages[i]))
			return g_strdup_printf(
				"has \"%s\"; supported are en, nl, fr, de",
				languages[i]);
		for (size_t j = 0; j < i; j++)
			if (strcmp(languages[i], languages[j]) == 0)
				return g_strdup_printf("lists \"%s\" twice",
						       languages[i]);
	}
	return NULL;
}

static char *
check_log_level(const void *field)
{
	const char *name = *(char *const *)field;
	enum log_level level;

	if (log_level_parse(name, &level))
		return NULL;
	return g_strdup_printf("= \"%s\" is not debug, info, warning or error",
			       name);
}

/* Checked only when set explicitly: the default need not exist while the
 * crypto group is absent.  crypto_new() checks again at start-up. */
static char *
check_gnupg_home(const void *field)
{
	const char *path = *(char *const *)field;
	GStatBuf st;

	if (g_stat(path, &st) != 0)
		return g_strdup_printf("= \"%s\": %s", path, g_strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return g_strdup_printf("= \"%s\" is not a directory", path);
	if ((st.st_mode & 077) != 0)
		return g_strdup_printf("= \"%s\": mode %04o is too open; "
				       "chmod 700 %s",
				       path, (unsigned)(st.st_mode & 07777),
				       path);
	return NULL;
}

static char *
check_fingerprint(const void *field)
{
	char *fingerprint = *(char *const *)field;
	size_t length = 0;

	if (fingerprint == NULL)
		return NULL;
	for (const char *p = fingerprint; *p != '\0'; p++, length++)
		if (!g_ascii_isxdigit(*p))
			return g_strdup_printf("= \"%s\" is not 40 hex digits "
					       "(no spaces)",
					       fingerprint);
	if (length != 40)
		return g_strdup_printf("= \"%s\" is not 40 hex digits",
				       fingerprint);
	/* Stored upper case: GPGME reports fingerprints that way. */
	for (char *p = fingerprint; *p != '\0'; p++)
		*p = g_ascii_toupper(*p);
	return NULL;
}
