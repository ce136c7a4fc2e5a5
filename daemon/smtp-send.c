/* smtp-send.c — SMTP submission over libetpan, as a visible state machine.
 *
 * libetpan quirks handled here (see the shared library notes):
 * - it verifies no certificate: tls_verify_stream() runs right after every
 *   handshake, before EHLO is trusted and before AUTH;
 * - its plain connect ignores the session timeout for reads (falling back
 *   to the global 300 s mailstream_network_delay), so the TCP connect is
 *   our own, with a timeout, and the stream is opened with
 *   mailstream_socket_open_timeout();
 * - the EHLO flags are stale after STARTTLS: EHLO is sent again;
 * - AUTH always goes through cyrus SASL, which fails without a word to
 *   the server when libsasl2-modules is missing;
 * - its error enum is coarse: the class comes from the reply code. */
#include "smtp-send.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <libetpan/libetpan.h>

#include "tls-verify.h"

/* Exported by libetpan 1.9.4 but missing from its installed headers; they
 * let EHLO carry the configured name instead of gethostname(). */
int mailsmtp_send_command(mailsmtp *session, char *command);
int mailsmtp_read_response(mailsmtp *session);
int mailesmtp_parse_ehlo(mailsmtp *session);

/* A session idle longer than this is probed with NOOP before reuse: the
 * server may have dropped it (Dovecot and Postfix time out idle clients). */
#define SMTP_IDLE_PROBE_SECONDS 3
/* QUIT on a healthy connection needs no more than this. */
#define SMTP_QUIT_TIMEOUT 5
/* RFC 5321 4.5.3.1.3: a path is at most 256 octets including <>. */
#define SMTP_MAX_ADDRESS 254

/* Steps of opening a session, in the order they run. */
enum smtp_phase {
	SMTP_PHASE_CONNECT,
	SMTP_PHASE_TLS, /* implicit TLS handshake */
	SMTP_PHASE_GREETING,
	SMTP_PHASE_EHLO,
	SMTP_PHASE_STARTTLS,
	SMTP_PHASE_VERIFY,   /* certificate check after either handshake */
	SMTP_PHASE_EHLO_TLS, /* EHLO again, inside TLS */
	SMTP_PHASE_AUTH,
	SMTP_PHASE_READY,
};

/* Where an open session stands between messages. */
enum smtp_state {
	SMTP_STATE_CLOSED,
	SMTP_STATE_READY,	/* authenticated, no transaction open */
	SMTP_STATE_TRANSACTION, /* MAIL was accepted; RSET before reuse */
};

struct smtp_session {
	mailsmtp *smtp;
	enum smtp_state state;
	char *settings;	  /* digest of what the session was opened with */
	char *where;	  /* "host:port", for errors */
	gint64 last_used; /* monotonic microseconds */
	gsize bytes_sent; /* counted by the stream logger */
};

GQuark
smtp_send_error_quark(void)
{
	return g_quark_from_static_string("intaked-smtp-send-error");
}

const char *
smtp_send_result_name(enum smtp_send_result result)
{
	switch (result) {
	case SMTP_SEND_OK:
		return "ok";
	case SMTP_SEND_TEMPORARY:
		return "temporary";
	case SMTP_SEND_PERMANENT:
		return "permanent";
	case SMTP_SEND_CONFIG:
		return "config";
	}
	return "unknown";
}

/* ---- replies and errors ---------------------------------------------- */

/* The server's last reply as one printable line, "550 5.1.1 No such user"
 * (libetpan keeps the code apart and joins continuation lines with LF).
 * Caller frees. */
static char *
server_reply(mailsmtp *smtp)
{
	GString *text = g_string_new(NULL);
	const char *p;

	if (smtp->response_code == 0)
		return g_string_free(text, FALSE);
	g_string_printf(text, "%d", smtp->response_code);
	if (smtp->response != NULL && smtp->response[0] != '\0') {
		g_string_append_c(text, ' ');
		for (p = smtp->response; *p != '\0'; p++) {
			if (*p == '\n' || *p == '\r' || *p == '\t')
				g_string_append_c(text, ' ');
			else if ((unsigned char)*p < 0x20 || *p == 0x7f)
				g_string_append_c(text, '?');
			else
				g_string_append_c(text, *p);
		}
	}
	while (text->len > 0 && text->str[text->len - 1] == ' ')
		g_string_truncate(text, text->len - 1);
	return g_string_free(text, FALSE);
}

/* Class of a failed command from its reply code: 4xx is the server's
 * "later", 5xx its "never"; no reply at all is a network failure. */
static enum smtp_send_result
reply_class(int code)
{
	if (code >= 500 && code < 600)
		return SMTP_SEND_PERMANENT;
	return SMTP_SEND_TEMPORARY;
}

static enum smtp_send_result fail(GError **error, enum smtp_send_result result,
				  const char *format, ...) G_GNUC_PRINTF(3, 4);

static enum smtp_send_result
fail(GError **error, enum smtp_send_result result, const char *format, ...)
{
	va_list args;
	char *message;

	va_start(args, format);
	message = g_strdup_vprintf(format, args);
	va_end(args);
	g_set_error_literal(error, SMTP_SEND_ERROR, result, message);
	g_free(message);
	return result;
}

/* Error for a command the server answered badly (or not at all). */
static enum smtp_send_result
fail_reply(struct smtp_session *session, GError **error,
	   enum smtp_send_result result, const char *command, int rc)
{
	g_autofree char *reply = server_reply(session->smtp);
	/* While opening, say which server; in a transaction the command
	 * and the reply say it all ("RCPT TO:<x@y>: 550 5.1.1 ..."). */
	const char *where =
		session->state == SMTP_STATE_CLOSED ? session->where : NULL;

	if (session->smtp->response_code == 0)
		return fail(error, result, "%s%s%s: no reply (%s)",
			    where ? where : "", where ? ": " : "", command,
			    rc == MAILSMTP_ERROR_STREAM
				    ? "connection lost or timed out"
				    : mailsmtp_strerror(rc));
	return fail(error, result, "%s%s%s: %s", where ? where : "",
		    where ? ": " : "", command, reply);
}

/* ---- connection ------------------------------------------------------ */

static void
count_sent(mailsmtp *smtp, int log_type, const char *data, size_t size,
	   void *context)
{
	struct smtp_session *session = context;

	if (log_type == MAILSTREAM_LOG_TYPE_DATA_SENT ||
	    log_type == MAILSTREAM_LOG_TYPE_DATA_SENT_PRIVATE)
		session->bytes_sent += size;
}

static void
tls_setup(struct mailstream_ssl_context *context, void *data)
{
	const char *host = data;

	/* RFC 6066: SNI carries DNS names only, never an address. */
	if (!g_hostname_is_ip_address(host))
		mailstream_ssl_set_server_name(context, (char *)host);
}

/* Non-blocking connect to each address of host in turn, within timeout
 * seconds in all; returns a blocking socket or -1 with error.  libetpan's
 * own plain connect has no usable timeout (see top of file). */
static int
tcp_connect(const char *where, const char *host, int port, int timeout,
	    GError **error)
{
	struct addrinfo hints = {.ai_socktype = SOCK_STREAM,
				 .ai_family = AF_UNSPEC};
	struct addrinfo *addresses = NULL;
	gint64 deadline = g_get_monotonic_time() + (gint64)timeout * 1000000;
	char service[16];
	int saved = ETIMEDOUT;
	int fd = -1;
	int rc;

	g_snprintf(service, sizeof(service), "%d", port);
	rc = getaddrinfo(host, service, &hints, &addresses);
	if (rc != 0) {
		fail(error, SMTP_SEND_TEMPORARY, "%s: cannot resolve: %s",
		     where, gai_strerror(rc));
		return -1;
	}
	for (struct addrinfo *a = addresses; a != NULL; a = a->ai_next) {
		gint64 left = (deadline - g_get_monotonic_time()) / 1000;
		struct pollfd pfd;
		socklen_t len = sizeof(saved);

		if (left <= 0) {
			saved = ETIMEDOUT;
			break;
		}
		fd = socket(a->ai_family,
			    a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
			    a->ai_protocol);
		if (fd < 0) {
			saved = errno;
			continue;
		}
		if (connect(fd, a->ai_addr, a->ai_addrlen) == 0)
			break;
		if (errno != EINPROGRESS) {
			saved = errno;
			goto next;
		}
		pfd = (struct pollfd){.fd = fd, .events = POLLOUT};
		do {
			rc = poll(&pfd, 1, (int)MIN(left, G_MAXINT));
		} while (rc < 0 && errno == EINTR);
		if (rc == 0) {
			saved = ETIMEDOUT;
			goto next;
		}
		if (rc < 0 ||
		    getsockopt(fd, SOL_SOCKET, SO_ERROR, &saved, &len) < 0)
			saved = errno;
		if (saved == 0)
			break;
	next:
		close(fd);
		fd = -1;
	}
	freeaddrinfo(addresses);
	if (fd < 0) {
		fail(error, SMTP_SEND_TEMPORARY, "%s: connect: %s", where,
		     saved == ETIMEDOUT ? "timed out" : g_strerror(saved));
		return -1;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	return fd;
}

/* Closes the connection without a word (it is dead, or refused). */
static void
drop(struct smtp_session *session)
{
	if (session->smtp != NULL) {
		/* mailsmtp_free() would send QUIT over an open stream. */
		if (session->smtp->stream != NULL) {
			mailstream_close(session->smtp->stream);
			session->smtp->stream = NULL;
		}
		mailsmtp_free(session->smtp);
		session->smtp = NULL;
	}
	session->state = SMTP_STATE_CLOSED;
}

static void
set_timeout(struct smtp_session *session, int seconds)
{
	mailsmtp_set_timeout(session->smtp, seconds);
	if (session->smtp->stream != NULL)
		mailstream_low_set_timeout(
			mailstream_get_low(session->smtp->stream), seconds);
}

/* A host name or an address literal: nothing that could end the EHLO
 * line early or add a second command. */
static gboolean
helo_name_valid(const char *name)
{
	if (name == NULL || name[0] == '\0' || strlen(name) > 255)
		return FALSE;
	for (const char *p = name; *p != '\0'; p++)
		if (!g_ascii_isalnum(*p) && strchr(".-_:[]", *p) == NULL)
			return FALSE;
	return TRUE;
}

static enum smtp_send_result
ehlo(struct smtp_session *session, const char *helo_name, GError **error)
{
	g_autofree char *command = g_strdup_printf("EHLO %s\r\n", helo_name);
	int code;

	session->smtp->response_code = 0;
	if (mailsmtp_send_command(session->smtp, command) < 0)
		return fail_reply(session, error, SMTP_SEND_TEMPORARY, "EHLO",
				  MAILSMTP_ERROR_STREAM);
	code = mailsmtp_read_response(session->smtp);
	if (code != 250)
		/* A server that does not speak ESMTP can offer neither
		 * STARTTLS nor AUTH: that is a setup problem. */
		return fail_reply(session, error,
				  code >= 500 ? SMTP_SEND_CONFIG
					      : SMTP_SEND_TEMPORARY,
				  "EHLO", MAILSMTP_ERROR_STREAM);
	mailesmtp_parse_ehlo(session->smtp);
	return SMTP_SEND_OK;
}

static enum smtp_send_result
authenticate(struct smtp_session *session, const struct config_smtp *config,
	     GError **error)
{
	const char *mechanism;
	int rc;

	/* PLAIN or LOGIN only: inside verified TLS they are as good as any,
	 * and need only the stock SASL plugins. */
	if (session->smtp->auth & MAILSMTP_AUTH_PLAIN)
		mechanism = "PLAIN";
	else if (session->smtp->auth & MAILSMTP_AUTH_LOGIN)
		mechanism = "LOGIN";
	else
		return fail(error, SMTP_SEND_CONFIG,
			    "%s: server offers neither AUTH PLAIN nor LOGIN",
			    session->where);

	session->bytes_sent = 0;
	session->smtp->response_code = 0;
	rc = mailesmtp_auth_sasl(session->smtp, mechanism, config->host, NULL,
				 NULL, config->username, config->username,
				 config->password, NULL);
	if (rc == MAILSMTP_NO_ERROR)
		return SMTP_SEND_OK;
	if (session->bytes_sent == 0)
		return fail(error, SMTP_SEND_CONFIG,
			    "%s: AUTH %s: no SASL mechanism: is "
			    "libsasl2-modules installed?",
			    session->where, mechanism);
	if (session->smtp->response_code >= 400 &&
	    session->smtp->response_code < 500)
		return fail_reply(session, error, SMTP_SEND_TEMPORARY, "AUTH",
				  rc);
	if (session->smtp->response_code == 0)
		return fail_reply(session, error, SMTP_SEND_TEMPORARY, "AUTH",
				  rc);
	{
		g_autofree char *reply = server_reply(session->smtp);

		return fail(error, SMTP_SEND_CONFIG,
			    "%s: AUTH %s as %s rejected: %s", session->where,
			    mechanism, config->username, reply);
	}
}

/* Runs the opening phases until the session is ready or one fails. */
static enum smtp_send_result
open_session(struct smtp_session *session, const struct config_smtp *config,
	     const char *helo_name, GError **error)
{
	enum smtp_phase phase = SMTP_PHASE_CONNECT;
	enum smtp_send_result result = SMTP_SEND_OK;
	g_autoptr(GError) verify_error = NULL;
	mailstream *stream;
	int fd = -1;
	int rc;

	g_free(session->where);
	session->where = g_strdup_printf("%s:%d", config->host, config->port);
	if (!helo_name_valid(helo_name))
		return fail(error, SMTP_SEND_CONFIG,
			    "EHLO name \"%s\" is not a host name",
			    helo_name != NULL ? helo_name : "");
	session->smtp = mailsmtp_new(0, NULL);
	mailsmtp_set_timeout(session->smtp, config->timeout);

	while (result == SMTP_SEND_OK && phase != SMTP_PHASE_READY) {
		switch (phase) {
		case SMTP_PHASE_CONNECT:
			fd = tcp_connect(session->where, config->host,
					 config->port, config->timeout, error);
			if (fd < 0) {
				result = SMTP_SEND_TEMPORARY;
				break;
			}
			phase = config->tls == CONFIG_TLS_IMPLICIT
					? SMTP_PHASE_TLS
					: SMTP_PHASE_GREETING;
			break;

		case SMTP_PHASE_TLS:
			stream = mailstream_ssl_open_with_callback_timeout(
				fd, config->timeout, tls_setup, config->host);
			if (stream == NULL) {
				close(fd);
				result = fail(error, SMTP_SEND_TEMPORARY,
					      "%s: TLS handshake failed or "
					      "timed out",
					      session->where);
				break;
			}
			/* Not yet connected at the SMTP level: the greeting
			 * is read only once the peer is verified. */
			session->smtp->stream = stream;
			phase = SMTP_PHASE_VERIFY;
			break;

		case SMTP_PHASE_GREETING:
			if (session->smtp->stream == NULL) {
				stream = mailstream_socket_open_timeout(
					fd, config->timeout);
				if (stream == NULL) {
					close(fd);
					result =
						fail(error, SMTP_SEND_TEMPORARY,
						     "%s: cannot open stream",
						     session->where);
					break;
				}
			} else {
				stream = session->smtp->stream;
				session->smtp->stream = NULL;
			}
			set_timeout(session, config->timeout);
			/* mailsmtp_connect() closes the stream on failure. */
			rc = mailsmtp_connect(session->smtp, stream);
			if (rc != MAILSMTP_NO_ERROR) {
				result = fail_reply(session, error,
						    SMTP_SEND_TEMPORARY,
						    "greeting", rc);
				break;
			}
			mailsmtp_set_logger(session->smtp, count_sent, session);
			set_timeout(session, config->timeout);
			phase = SMTP_PHASE_EHLO;
			break;

		case SMTP_PHASE_EHLO:
			result = ehlo(session, helo_name, error);
			phase = config->tls == CONFIG_TLS_IMPLICIT
					? SMTP_PHASE_AUTH
					: SMTP_PHASE_STARTTLS;
			break;

		case SMTP_PHASE_STARTTLS:
			if (!(session->smtp->esmtp & MAILSMTP_ESMTP_STARTTLS)) {
				result = fail(error, SMTP_SEND_CONFIG,
					      "%s: server does not offer "
					      "STARTTLS; refusing to "
					      "authenticate without TLS",
					      session->where);
				break;
			}
			session->smtp->response_code = 0;
			rc = mailsmtp_socket_starttls_with_callback(
				session->smtp, tls_setup, config->host);
			if (rc != MAILSMTP_NO_ERROR) {
				result = session->smtp->response_code == 220
						 ? fail(error,
							SMTP_SEND_TEMPORARY,
							"%s: TLS handshake "
							"after "
							"STARTTLS failed or "
							"timed "
							"out",
							session->where)
						 : fail_reply(
							   session, error,
							   SMTP_SEND_TEMPORARY,
							   "STARTTLS", rc);
				break;
			}
			set_timeout(session, config->timeout);
			phase = SMTP_PHASE_VERIFY;
			break;

		case SMTP_PHASE_VERIFY:
			if (!tls_verify_stream(session->smtp->stream,
					       config->host, config->ca_file,
					       &verify_error)) {
				/* The message already names the host. */
				result = fail(error, SMTP_SEND_CONFIG, "%s",
					      verify_error->message);
				break;
			}
			phase = config->tls == CONFIG_TLS_IMPLICIT
					? SMTP_PHASE_GREETING
					: SMTP_PHASE_EHLO_TLS;
			break;

		case SMTP_PHASE_EHLO_TLS:
			/* What EHLO said before STARTTLS may have been forged,
			 * and AUTH is often only offered inside TLS. */
			result = ehlo(session, helo_name, error);
			phase = SMTP_PHASE_AUTH;
			break;

		case SMTP_PHASE_AUTH:
			result = authenticate(session, config, error);
			phase = SMTP_PHASE_READY;
			break;

		case SMTP_PHASE_READY:
			break;
		}
	}
	if (result != SMTP_SEND_OK) {
		drop(session);
		return result;
	}
	session->state = SMTP_STATE_READY;
	session->last_used = g_get_monotonic_time();
	return SMTP_SEND_OK;
}

/* ---- session --------------------------------------------------------- */

struct smtp_session *
smtp_session_new(void)
{
	return g_new0(struct smtp_session, 1);
}

gboolean
smtp_session_is_open(const struct smtp_session *session)
{
	return session->state != SMTP_STATE_CLOSED;
}

void
smtp_session_close(struct smtp_session *session)
{
	if (session->smtp != NULL && session->smtp->stream != NULL) {
		set_timeout(session, SMTP_QUIT_TIMEOUT);
		/* Its result reports the previous reply: meaningless. */
		mailsmtp_quit(session->smtp);
	}
	drop(session);
}

void
smtp_session_free(struct smtp_session **session)
{
	struct smtp_session *s = *session;

	if (s == NULL)
		return;
	smtp_session_close(s);
	g_free(s->settings);
	g_free(s->where);
	g_clear_pointer(session, g_free);
}

/* Everything that, changed by a reload, needs a new connection. */
static char *
settings_digest(const struct config_smtp *config, const char *helo_name)
{
	g_autofree char *text = g_strdup_printf(
		"%s\n%d\n%d\n%s\n%s\n%s\n%s\n%d", config->host, config->port,
		(int)config->tls, config->ca_file ? config->ca_file : "",
		config->username, config->password ? config->password : "",
		helo_name ? helo_name : "", config->timeout);

	return g_compute_checksum_for_string(G_CHECKSUM_SHA256, text, -1);
}

/* Makes an open session ready for a new transaction: RSET after a failed
 * one, NOOP after a pause.  FALSE when the connection is gone. */
static gboolean
prepare_reuse(struct smtp_session *session)
{
	gint64 idle = g_get_monotonic_time() - session->last_used;

	if (session->state == SMTP_STATE_TRANSACTION) {
		if (mailsmtp_reset(session->smtp) != MAILSMTP_NO_ERROR)
			return FALSE;
		session->state = SMTP_STATE_READY;
	} else if (idle > (gint64)SMTP_IDLE_PROBE_SECONDS * G_USEC_PER_SEC) {
		if (mailsmtp_noop(session->smtp) != MAILSMTP_NO_ERROR)
			return FALSE;
	}
	return TRUE;
}

/* An address libetpan will put between <> unchanged. */
static gboolean
address_valid(const char *address)
{
	if (address == NULL || strlen(address) > SMTP_MAX_ADDRESS)
		return FALSE;
	for (const char *p = address; *p != '\0'; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f || *p == '<' ||
		    *p == '>')
			return FALSE;
	return TRUE;
}

/* One transaction on a ready session. */
static enum smtp_send_result
transaction(struct smtp_session *session, const struct smtp_message *message,
	    char **reply, GError **error)
{
	gsize size;
	const char *data = g_bytes_get_data(message->data, &size);
	g_autofree char *step = NULL;
	int rc;

	session->smtp->response_code = 0;
	rc = mailsmtp_mail(session->smtp, message->mail_from);
	step = g_strdup_printf("MAIL FROM:<%s>", message->mail_from);
	if (rc != MAILSMTP_NO_ERROR)
		return fail_reply(session, error,
				  reply_class(session->smtp->response_code),
				  step, rc);
	session->state = SMTP_STATE_TRANSACTION;

	for (const char *const *rcpt = message->rcpt_to; *rcpt != NULL;
	     rcpt++) {
		session->smtp->response_code = 0;
		rc = mailsmtp_rcpt(session->smtp, *rcpt);
		if (rc != MAILSMTP_NO_ERROR) {
			/* One refused recipient fails the message: an outbox
			 * entry goes to all of its recipients or to none. */
			g_free(step);
			step = g_strdup_printf("RCPT TO:<%s>", *rcpt);
			return fail_reply(
				session, error,
				reply_class(session->smtp->response_code), step,
				rc);
		}
	}

	session->smtp->response_code = 0;
	rc = mailsmtp_data(session->smtp);
	if (rc != MAILSMTP_NO_ERROR)
		return fail_reply(session, error,
				  reply_class(session->smtp->response_code),
				  "DATA", rc);
	session->smtp->response_code = 0;
	rc = mailsmtp_data_message(session->smtp, data, size);
	if (rc != MAILSMTP_NO_ERROR || session->smtp->response_code / 100 != 2)
		return fail_reply(session, error,
				  reply_class(session->smtp->response_code),
				  "end of DATA", rc);
	session->state = SMTP_STATE_READY;
	*reply = server_reply(session->smtp);
	return SMTP_SEND_OK;
}

/* The connection is unusable after this reply: no reply (lost), or 421
 * (the server is closing it). */
static gboolean
connection_lost(const struct smtp_session *session)
{
	return session->smtp == NULL || session->smtp->stream == NULL ||
	       session->smtp->response_code == 0 ||
	       session->smtp->response_code == 421;
}

enum smtp_send_result
smtp_send(struct smtp_session *session, const struct config_smtp *config,
	  const char *helo_name, const struct smtp_message *message,
	  char **reply, GError **error)
{
	g_autofree char *settings = settings_digest(config, helo_name);
	enum smtp_send_result result;
	gboolean reused = FALSE;

	*reply = NULL;
	if (!address_valid(message->mail_from))
		return fail(error, SMTP_SEND_PERMANENT,
			    "MAIL FROM: invalid address");
	if (message->rcpt_to == NULL || message->rcpt_to[0] == NULL)
		return fail(error, SMTP_SEND_PERMANENT,
			    "RCPT TO: no recipient");
	for (const char *const *rcpt = message->rcpt_to; *rcpt != NULL; rcpt++)
		if (!address_valid(*rcpt))
			return fail(error, SMTP_SEND_PERMANENT,
				    "RCPT TO: invalid address");

	if (session->state != SMTP_STATE_CLOSED &&
	    g_strcmp0(session->settings, settings) != 0)
		smtp_session_close(session);
	if (session->state != SMTP_STATE_CLOSED) {
		if (prepare_reuse(session))
			reused = TRUE;
		else
			drop(session);
	}
	if (session->state == SMTP_STATE_CLOSED) {
		result = open_session(session, config, helo_name, error);
		if (result != SMTP_SEND_OK)
			return result;
		g_free(session->settings);
		session->settings = g_steal_pointer(&settings);
	}

	result = transaction(session, message, reply, error);
	if (result != SMTP_SEND_OK && reused && connection_lost(session) &&
	    session->state == SMTP_STATE_READY) {
		/* Not used since the server dropped it between messages:
		 * MAIL failed with nothing accepted.  Once more, afresh. */
		g_clear_error(error);
		drop(session);
		result = open_session(session, config, helo_name, error);
		if (result != SMTP_SEND_OK)
			return result;
		result = transaction(session, message, reply, error);
	}
	if (result != SMTP_SEND_OK && connection_lost(session))
		drop(session);
	session->last_used = g_get_monotonic_time();
	return result;
}
