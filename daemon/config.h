/* config.h — intaked.conf, declared once.
 *
 * Every key lives in one table in config.c (type, default, bounds, check);
 * the table drives loading, validation and `intaked -n`, and
 * docs/man/intaked.conf.5 documents the same keys.  A loaded configuration
 * is immutable and reference counted, so a SIGHUP reload can swap it under
 * running stages. */
#ifndef INTAKED_CONFIG_H
#define INTAKED_CONFIG_H

#include <glib.h>

#ifndef INTAKED_SYSCONFDIR
#define INTAKED_SYSCONFDIR "/etc"
#endif
#define CONFIG_DEFAULT_PATH INTAKED_SYSCONFDIR "/intaked/intaked.conf"

enum config_tls {
	CONFIG_TLS_IMPLICIT, /* TLS from the first byte (993, 465) */
	CONFIG_TLS_STARTTLS, /* plain connect, STARTTLS required before auth */
};

struct config_imap {
	char *host;
	int port;
	enum config_tls tls;
	char *ca_file; /* NULL: the system trust store */
	char *username;
	char *password; /* read from password_file */
	char *mailbox;
	char *processed_mailbox;
	char *quarantine_mailbox;
	gboolean idle;
	int poll_interval; /* seconds between polls without IDLE */
	int timeout;	   /* seconds per network operation */
	int idle_restart;  /* seconds before IDLE is re-issued (< 29 min) */
	int reconnect_max; /* cap of the reconnect backoff, seconds */
};

struct config_smtp {
	char *host;
	int port;
	enum config_tls tls;
	char *ca_file;
	char *username;
	char *password;
	char *helo_name; /* EHLO name; NULL: the identity's domain */
	int timeout;
	int retry_initial;     /* first retry delay after a 4xx, seconds */
	int retry_max;	       /* cap of the exponential backoff, seconds */
	int give_up_after;     /* seconds after which a 4xx becomes final */
	int connections;       /* parallel SMTP sessions */
	gboolean copy_to_self; /* every mail also to identity.address */
	int uncertain_grace;   /* seconds to wait for that copy after a crash */
};

struct config_identity {
	char *address;	      /* the CERT mailbox, From of every reply */
	char *domain;	      /* derived: part after '@' of address */
	char *name;	      /* display name */
	char *case_prefix;    /* "CERT" gives [CERT-2026-0042] */
	GBytes *token_secret; /* read from token_secret_file, >= 32 bytes */
	char *staff_address;  /* where notes to staff go; NULL: none */
};

struct config_limits {
	gint64 max_message_bytes;
	int max_mime_depth;
	int max_mime_parts;
	int max_header_bytes;
	int new_cases_per_sender_per_hour;
	int auto_replies_per_sender_per_hour;
};

enum config_encrypt {
	CONFIG_ENCRYPT_OPPORTUNISTIC, /* encrypt when the requester's key is
					 known */
	CONFIG_ENCRYPT_REQUIRED,      /* never send case content in clear */
};

/* The optional "crypto" group.  Absent (no key_fingerprint): crypto is off
 * and mail goes out unsigned. */
struct config_crypto {
	gboolean enabled;      /* derived: key_fingerprint is set */
	char *gnupg_home;      /* GnuPG home of the CERT key, a 0700 dir */
	char *key_fingerprint; /* 40 hex digits, upper case */
	char *passphrase;      /* from passphrase_file; NULL: none */
	enum config_encrypt encrypt;
};

/* The "questions" group: how intaked follows up on unanswered questions
 * (docs/questionnaire.md). */
struct config_questions {
	int reminder_after; /* seconds without an answer before a reminder */
	int max_rounds;	    /* mails asking questions before staff take over */
};

/* The "support" group: consent and introductions (docs/providers.md). */
struct config_support {
	char **share_fields;  /* field ids a consent covers; NULL-terminated */
	int answer_deadline;  /* seconds a provider has to answer */
	int followup_after;   /* seconds after acceptance: the follow-up */
	int max_consent_asks; /* consent requests before staff take over */
};

struct config {
	char *path; /* the file it was loaded from */
	char *database;
	char *templates;
	char *log_level;
	char **languages; /* NULL-terminated; the first is the fallback */
	struct config_identity identity;
	struct config_imap imap;
	struct config_smtp smtp;
	struct config_limits limits;
	struct config_crypto crypto;
	char *questionnaire; /* questionnaire.conf; NULL: none asked */
	char *providers;     /* providers.conf; NULL: no providers */
	struct config_questions questions;
	struct config_support support;
};

/* Loads and validates path.  On any problem returns NULL and sets error to
 * every problem found, one per line, as "file:line: what is wrong".
 * Secret files (password_file, token_secret_file) must be 0600 or tighter.
 * Returns a new reference; drop it with config_unref(). */
struct config *config_load(const char *path, GError **error);

/* Same, from a string; secret files are still read from disk.  For tests. */
struct config *config_load_string(const char *text, const char *name,
				  GError **error);

struct config *config_ref(struct config *config);
void config_unref(struct config **config);

/* "opportunistic" / "required". */
const char *config_encrypt_name(enum config_encrypt encrypt);

/* "implicit" / "starttls". */
const char *config_tls_name(enum config_tls tls);

#endif
