/* smtp-send.h — the SMTP submission client (libetpan).
 *
 * One session talks to the configured submission server and is kept open
 * across messages.  Opening it runs, in order:
 *
 *   connect (own TCP connect with a timeout)
 *   implicit TLS:  TLS handshake (SNI) -> certificate check -> greeting
 *                  -> EHLO
 *   STARTTLS:      greeting -> EHLO -> STARTTLS (mandatory) -> TLS
 *                  handshake (SNI) -> certificate check -> EHLO again
 *   -> AUTH PLAIN or LOGIN (cyrus SASL) -> ready
 *
 * and each message then runs MAIL FROM -> RCPT TO (each) -> DATA -> ready.
 * Nothing is ever authenticated over an unverified or plaintext channel.
 * Only this file and imap-*.c include libetpan. */
#ifndef INTAKED_SMTP_SEND_H
#define INTAKED_SMTP_SEND_H

#include <glib.h>

#include "config.h"

/* What the caller should do with the message.  Decided from the server's
 * reply code (4xx versus 5xx), never from libetpan's error enum. */
enum smtp_send_result {
	SMTP_SEND_OK,	     /* 250 after DATA: sent */
	SMTP_SEND_TEMPORARY, /* connect, TLS handshake, network, 4xx: retry */
	SMTP_SEND_PERMANENT, /* 5xx to MAIL, RCPT or DATA: give up */
	SMTP_SEND_CONFIG,    /* certificate refused, AUTH rejected, no
			      * STARTTLS: our setup is wrong; retry later,
			      * log as an error */
};

/* Error domain of smtp_send(); the code is the enum smtp_send_result. */
#define SMTP_SEND_ERROR (smtp_send_error_quark())
GQuark smtp_send_error_quark(void);

/* "ok", "temporary", "permanent", "config". */
const char *smtp_send_result_name(enum smtp_send_result result);

struct smtp_message {
	const char *mail_from;	    /* envelope sender */
	const char *const *rcpt_to; /* envelope recipients, NULL-terminated */
	GBytes *data;		    /* complete message, CRLF line ends */
};

struct smtp_session;

/* A closed session; it connects on the first smtp_send().  Free with
 * smtp_session_free(). */
struct smtp_session *smtp_session_new(void);
/* Closes politely (QUIT) if open, frees, NULLs *session. */
void smtp_session_free(struct smtp_session **session);

gboolean smtp_session_is_open(const struct smtp_session *session);
/* Sends QUIT and closes; the next smtp_send() reconnects. */
void smtp_session_close(struct smtp_session *session);

/* Sends message through session, connecting first if it is closed or was
 * opened with other settings (a reload).  A session idle for a few
 * seconds is probed with NOOP, and one the server closed is reopened
 * transparently.  helo_name is the EHLO argument (a host name or an
 * address literal).
 *
 * Returns SMTP_SEND_OK and sets *reply to the server's final reply
 * ("250 2.0.0 Ok: queued as ..."; caller frees), or another class with
 * error (domain SMTP_SEND_ERROR, code = the class) naming the step and
 * carrying the server's reply: "RCPT TO:<x@y>: 550 5.1.1 User doesn't
 * exist".  After a failure the session is either ready for the next
 * message or closed; both are fine to pass again. */
enum smtp_send_result smtp_send(struct smtp_session *session,
				const struct config_smtp *config,
				const char *helo_name,
				const struct smtp_message *message,
				char **reply, GError **error);

#endif
