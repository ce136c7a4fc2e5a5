/* test-smtp-send.c — the SMTP client against scripted loopback servers.
 *
 * Only what needs no TLS is tested here (refusals before STARTTLS,
 * timeouts, input checks); the TLS paths run against Dovecot in the
 * integration tests. */
#include "smtp-send.h"

#include <gio/gio.h>
#include <signal.h>
#include <string.h>

/* A one-connection server: sends greeting, then answers each line by the
 * first rule whose prefix matches ("" matches all); records every line. */
struct fake_rule {
	const char *prefix;
	const char *reply; /* NULL: close the connection */
};

struct fake_server {
	GSocketListener *listener;
	guint16 port;
	const char *greeting; /* NULL: say nothing (a silent server) */
	const struct fake_rule *rules;
	GString *received;
	GThread *thread;
};

static gpointer
fake_serve(gpointer data)
{
	struct fake_server *f = data;
	g_autoptr(GSocketConnection) connection = NULL;
	g_autoptr(GDataInputStream) in = NULL;
	GOutputStream *out;
	char *line;

	connection = g_socket_listener_accept(f->listener, NULL, NULL, NULL);
	if (connection == NULL)
		return NULL;
	out = g_io_stream_get_output_stream(G_IO_STREAM(connection));
	in = g_data_input_stream_new(
		g_io_stream_get_input_stream(G_IO_STREAM(connection)));
	if (f->greeting == NULL) {
		/* Hold the connection without a word until the client
		 * gives up. */
		line = g_data_input_stream_read_line(in, NULL, NULL, NULL);
		g_free(line);
		return NULL;
	}
	g_output_stream_write_all(out, f->greeting, strlen(f->greeting), NULL,
				  NULL, NULL);
	while ((line = g_data_input_stream_read_line(in, NULL, NULL, NULL)) !=
	       NULL) {
		const struct fake_rule *rule = f->rules;

		g_strchomp(line);
		g_string_append_printf(f->received, "%s\n", line);
		while (rule->prefix != NULL &&
		       !g_str_has_prefix(line, rule->prefix))
			rule++;
		g_free(line);
		if (rule->prefix == NULL || rule->reply == NULL)
			break;
		g_output_stream_write_all(out, rule->reply, strlen(rule->reply),
					  NULL, NULL, NULL);
	}
	return NULL;
}

static void
fake_start(struct fake_server *f, const char *greeting,
	   const struct fake_rule *rules)
{
	g_autoptr(GInetAddress) loopback =
		g_inet_address_new_loopback(G_SOCKET_FAMILY_IPV4);
	g_autoptr(GSocketAddress) address =
		g_inet_socket_address_new(loopback, 0);
	g_autoptr(GSocketAddress) bound = NULL;
	g_autoptr(GError) error = NULL;

	f->listener = g_socket_listener_new();
	g_socket_listener_add_address(
		f->listener, address, G_SOCKET_TYPE_STREAM,
		G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error);
	g_assert_no_error(error);
	f->port = g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(bound));
	f->greeting = greeting;
	f->rules = rules;
	f->received = g_string_new(NULL);
	f->thread = g_thread_new("fake-smtp", fake_serve, f);
}

static char *
fake_finish(struct fake_server *f)
{
	g_thread_join(f->thread);
	g_socket_listener_close(f->listener);
	g_object_unref(f->listener);
	return g_string_free(f->received, FALSE);
}

static struct config_smtp
test_config(guint16 port, enum config_tls tls)
{
	struct config_smtp config = {
		.host = (char *)"127.0.0.1",
		.port = port,
		.tls = tls,
		.username = (char *)"cert@example.test",
		.password = (char *)"secret",
		.timeout = 2,
	};

	return config;
}

static const char *const one_rcpt[] = {"req1@example.test", NULL};

static enum smtp_send_result
send_one(const struct config_smtp *config, const char *helo,
	 const char *const *rcpt, GError **error)
{
	struct smtp_session *session = smtp_session_new();
	g_autoptr(GBytes) data =
		g_bytes_new_static("Subject: x\r\n\r\nx\r\n", 18);
	struct smtp_message message = {
		.mail_from = "cert@example.test",
		.rcpt_to = rcpt,
		.data = data,
	};
	g_autofree char *reply = NULL;
	enum smtp_send_result result =
		smtp_send(session, config, helo, &message, &reply, error);

	g_assert_false(smtp_session_is_open(session));
	smtp_session_free(&session);
	g_assert_null(session);
	return result;
}

static const struct fake_rule no_starttls[] = {
	{"EHLO ", "250-fake.example.test\r\n250 AUTH PLAIN LOGIN\r\n"},
	{"QUIT", "221 bye\r\n"},
	{"", "500 unexpected\r\n"},
	{NULL, NULL},
};

/* A server (or a man in the middle) that hides STARTTLS: refused before
 * anything but EHLO is said, password never sent. */
static void
test_no_starttls(void)
{
	struct fake_server f;
	g_autoptr(GError) error = NULL;
	g_autofree char *received = NULL;
	struct config_smtp config;

	fake_start(&f, "220 fake ESMTP\r\n", no_starttls);
	config = test_config(f.port, CONFIG_TLS_STARTTLS);
	g_assert_cmpint(
		send_one(&config, "client.example.test", one_rcpt, &error), ==,
		SMTP_SEND_CONFIG);
	g_assert_error(error, SMTP_SEND_ERROR, SMTP_SEND_CONFIG);
	g_assert_nonnull(strstr(error->message, "STARTTLS"));
	received = fake_finish(&f);
	g_assert_cmpstr(received, ==, "EHLO client.example.test\n");
}

static const struct fake_rule starttls_refused[] = {
	{"EHLO ", "250-fake.example.test\r\n250 STARTTLS\r\n"},
	{"STARTTLS", "454 4.7.0 TLS not available now\r\n"},
	{"", NULL},
	{NULL, NULL},
};

static void
test_starttls_refused(void)
{
	struct fake_server f;
	g_autoptr(GError) error = NULL;
	g_autofree char *received = NULL;
	struct config_smtp config;

	fake_start(&f, "220 fake ESMTP\r\n", starttls_refused);
	config = test_config(f.port, CONFIG_TLS_STARTTLS);
	g_assert_cmpint(
		send_one(&config, "client.example.test", one_rcpt, &error), ==,
		SMTP_SEND_TEMPORARY);
	g_assert_nonnull(strstr(error->message,
				"STARTTLS: 454 4.7.0 TLS not available"));
	received = fake_finish(&f);
	g_assert_cmpstr(received, ==, "EHLO client.example.test\nSTARTTLS\n");
}

static const struct fake_rule nothing[] = {{NULL, NULL}};

static void
test_greeting_refused(void)
{
	struct fake_server f;
	g_autoptr(GError) error = NULL;
	g_autofree char *received = NULL;
	struct config_smtp config;

	fake_start(&f, "554 5.3.2 not accepting connections\r\n", nothing);
	config = test_config(f.port, CONFIG_TLS_STARTTLS);
	g_assert_cmpint(
		send_one(&config, "client.example.test", one_rcpt, &error), ==,
		SMTP_SEND_TEMPORARY);
	g_assert_nonnull(strstr(error->message, "greeting: 554 5.3.2"));
	received = fake_finish(&f);
}

/* libetpan's plain connect would wait 300 s for the greeting; ours stops
 * after the configured timeout. */
static void
test_silent_server(void)
{
	struct fake_server f;
	g_autoptr(GError) error = NULL;
	g_autofree char *received = NULL;
	struct config_smtp config;
	gint64 start;
	double took;

	for (int tls = 0; tls < 2; tls++) {
		fake_start(&f, NULL, nothing);
		config = test_config(f.port, tls ? CONFIG_TLS_IMPLICIT
						 : CONFIG_TLS_STARTTLS);
		config.timeout = 1;
		start = g_get_monotonic_time();
		g_assert_cmpint(send_one(&config, "client.example.test",
					 one_rcpt, &error),
				==, SMTP_SEND_TEMPORARY);
		took = (g_get_monotonic_time() - start) / 1e6;
		g_assert_cmpfloat(took, <, 4.0);
		g_clear_error(&error);
		g_free(fake_finish(&f));
	}
}

static void
test_connection_refused(void)
{
	struct fake_server f;
	g_autoptr(GError) error = NULL;
	struct config_smtp config;
	guint16 port;

	/* A port that was just free: nothing listens there now. */
	f.listener = g_socket_listener_new();
	port = g_socket_listener_add_any_inet_port(f.listener, NULL, &error);
	g_assert_no_error(error);
	g_socket_listener_close(f.listener);
	g_object_unref(f.listener);

	config = test_config(port, CONFIG_TLS_STARTTLS);
	g_assert_cmpint(
		send_one(&config, "client.example.test", one_rcpt, &error), ==,
		SMTP_SEND_TEMPORARY);
	g_assert_nonnull(strstr(error->message, "connect"));
}

/* Refused before any connection: nothing may reach the server that could
 * end a command line early. */
static void
test_bad_input(void)
{
	const char *const bad_rcpt[] = {"x@y.test>\r\nRSET", NULL};
	const char *const no_rcpt[] = {NULL};
	struct config_smtp config = test_config(1, CONFIG_TLS_STARTTLS);
	g_autoptr(GError) error = NULL;

	g_assert_cmpint(
		send_one(&config, "client.example.test", bad_rcpt, &error), ==,
		SMTP_SEND_PERMANENT);
	g_clear_error(&error);
	g_assert_cmpint(
		send_one(&config, "client.example.test", no_rcpt, &error), ==,
		SMTP_SEND_PERMANENT);
	g_clear_error(&error);
	g_assert_cmpint(send_one(&config, "bad name\r\nMAIL FROM:<x>", one_rcpt,
				 &error),
			==, SMTP_SEND_CONFIG);
	g_assert_nonnull(strstr(error->message, "EHLO name"));
}

int
main(int argc, char **argv)
{
	/* The daemon does the same: a peer closing must not kill us. */
	signal(SIGPIPE, SIG_IGN);
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/smtp-send/no-starttls", test_no_starttls);
	g_test_add_func("/smtp-send/starttls-refused", test_starttls_refused);
	g_test_add_func("/smtp-send/greeting-refused", test_greeting_refused);
	g_test_add_func("/smtp-send/silent-server", test_silent_server);
	g_test_add_func("/smtp-send/connection-refused",
			test_connection_refused);
	g_test_add_func("/smtp-send/bad-input", test_bad_input);
	return g_test_run();
}
