/* test-classify.c — which mail must never be answered, over small raw
 * messages shaped like the real thing. */
#include "classify.h"

#include <string.h>

#define OWN    "cert@cert.example"
#define DOMAIN "cert.example"

/* Headers most test mails share. */
#define PERSON                                                                 \
	"From: Jan Jansen <jan@hospital.example>\n"                            \
	"To: CERT <cert@cert.example>\n"                                       \
	"Date: Mon, 2 Mar 2026 10:00:00 +0100\n"                               \
	"Message-ID: <m1@hospital.example>\n"
#define PLAIN                                                                  \
	"MIME-Version: 1.0\n"                                                  \
	"Content-Type: text/plain; charset=utf-8\n"

struct classify_case {
	const char *name;
	const char *raw;
	enum classify_kind kind;
	const char *reason;
	const char *bounced_id; /* bounces only */
	const char *action;	/* bounces only */
};

static const struct classify_case cases[] = {
	/* ---- normal mail that must NOT be caught ---- */
	{"plain report",
	 PERSON "Subject: Ransomware on our PACS server\n" PLAIN "\n"
		"We see encrypted files since this morning.\n",
	 CLASSIFY_NORMAL, "normal", NULL, NULL},
	{"person says absent",
	 PERSON "Subject: I am absent tomorrow\n" PLAIN "\n"
		"Please call my colleague about the phishing wave.\n",
	 CLASSIFY_NORMAL, "normal", NULL, NULL},
	{"subject word absence",
	 PERSON "Subject: Absence of logging on firewall\n" PLAIN "\nx\n",
	 CLASSIFY_NORMAL, "normal", NULL, NULL},
	{"subject afwezig",
	 PERSON "Subject: Afwezig: logging van de firewall\n" PLAIN "\nx\n",
	 CLASSIFY_NORMAL, "normal", NULL, NULL},
	{"reply quoting an auto-reply subject",
	 PERSON "Subject: Re: Automatic reply: [CERT-2026-0042] Phishing\n"
		"In-Reply-To: <a@cert.example>\n" PLAIN "\n"
		"Sorry, I was away; here are the logs.\n",
	 CLASSIFY_NORMAL, "normal", NULL, NULL},
	{"auto-submitted no",
	 PERSON "Subject: Report\nAuto-Submitted: no\n" PLAIN "\nx\n",
	 CLASSIFY_NORMAL, "normal", NULL, NULL},
	{"spam flag no",
	 PERSON "Subject: Report\nX-Spam-Flag: NO\n"
		"X-Spam-Status: No, score=0.1 required=5.0\n" PLAIN "\nx\n",
	 CLASSIFY_NORMAL, "normal", NULL, NULL},
	{"receipt suppression only",
	 PERSON "Subject: Report\nX-Auto-Response-Suppress: DR, RN, NRN\n" PLAIN
		"\nx\n",
	 CLASSIFY_NORMAL, "normal", NULL, NULL},
	{"postmaster with a real return path",
	 "Return-Path: <postmaster@hospital.example>\n"
	 "From: postmaster@hospital.example\nTo: cert@cert.example\n"
	 "Subject: Our mail server was breached\n" PLAIN "\nx\n",
	 CLASSIFY_NORMAL, "normal", NULL, NULL},
	{"feedback-id is not a list",
	 PERSON "Subject: Report\nFeedback-ID: 1:2:3:ticketing\n" PLAIN "\nx\n",
	 CLASSIFY_NORMAL, "normal", NULL, NULL},
	{"forwarded bounce as attachment",
	 PERSON "Subject: Fwd: bounce we got\nMIME-Version: 1.0\n"
		"Content-Type: multipart/mixed; boundary=\"F\"\n\n"
		"--F\nContent-Type: text/plain\n\nLook at this.\n"
		"--F\nContent-Type: message/rfc822\n\n"
		"From: MAILER-DAEMON@mx.example\nSubject: Undelivered\n"
		"Auto-Submitted: auto-replied\nMIME-Version: 1.0\n"
		"Content-Type: multipart/report; "
		"report-type=delivery-status; boundary=\"B\"\n\n"
		"--B\nContent-Type: text/plain\n\nfailed\n"
		"--B\nContent-Type: message/delivery-status\n\n"
		"Action: failed\n--B--\n"
		"--F--\n",
	 CLASSIFY_NORMAL, "normal", NULL, NULL},

	/* ---- own mail ---- */
	{"own loop header",
	 "From: CERT <cert@cert.example>\nTo: jan@hospital.example\n"
	 "Subject: [CERT-2026-0042] Received\n"
	 "X-Intaked-Loop: cert@cert.example\nAuto-Submitted: "
	 "auto-replied\n" PLAIN "\nx\n",
	 CLASSIFY_OWN, "loop-header", NULL, NULL},
	{"loop header with another value, other sender",
	 PERSON "Subject: Re: [CERT-2026-0042] Received\n"
		"X-Intaked-Loop: whatever\n" PLAIN "\nx\n",
	 CLASSIFY_OWN, "loop-header", NULL, NULL},
	{"from own address",
	 "From: \"CERT\" <CERT@Cert.Example>\nTo: cert@cert.example\n"
	 "Subject: note to self\n" PLAIN "\nx\n",
	 CLASSIFY_OWN, "from:own-address", NULL, NULL},

	{"own message-id coming back",
	 "From: relay@forwarder.example\nTo: cert@cert.example\n"
	 "Message-ID: <intaked.2026-0042.17.0123@CERT.example>\n"
	 "Subject: [CERT-2026-0042] Received\n" PLAIN "\nx\n",
	 CLASSIFY_OWN, "message-id:own", NULL, NULL},
	{"intaked message-id of another domain",
	 PERSON
	 "Subject: x\nIn-Reply-To: <intaked.none.1.00@cert.example>\n" PLAIN
	 "\nx\n",
	 CLASSIFY_NORMAL, "normal", NULL, NULL},

	/* ---- bounces ---- */
	{"postfix dsn",
	 "Return-Path: <>\n"
	 "From: MAILER-DAEMON@mx.cert.example (Mail Delivery System)\n"
	 "To: cert@cert.example\n"
	 "Subject: Undelivered Mail Returned to Sender\n"
	 "Auto-Submitted: auto-replied\nMIME-Version: 1.0\n"
	 "Content-Type: multipart/report; report-type=delivery-status;\n"
	 "\tboundary=\"8F2A1C0042.1700000000/mx.cert.example\"\n\n"
	 "This is a MIME-encapsulated message.\n\n"
	 "--8F2A1C0042.1700000000/mx.cert.example\n"
	 "Content-Description: Notification\n"
	 "Content-Type: text/plain; charset=us-ascii\n\n"
	 "I'm sorry to have to inform you that your message could not\n"
	 "be delivered to one or more recipients.\n\n"
	 "<nobody@hospital.example>: host mx.hospital.example said: 550 5.1.1"
	 " User unknown\n\n"
	 "--8F2A1C0042.1700000000/mx.cert.example\n"
	 "Content-Description: Delivery report\n"
	 "Content-Type: message/delivery-status\n\n"
	 "Reporting-MTA: dns; mx.cert.example\n"
	 "X-Postfix-Queue-ID: 8F2A1C0042\n\n"
	 "Final-Recipient: rfc822; nobody@hospital.example\n"
	 "Original-Recipient: rfc822;nobody@hospital.example\n"
	 "Action: failed\nStatus: 5.1.1\n"
	 "Diagnostic-Code: smtp; 550 5.1.1 User unknown\n\n"
	 "--8F2A1C0042.1700000000/mx.cert.example\n"
	 "Content-Description: Undelivered Message Headers\n"
	 "Content-Type: text/rfc822-headers\n\n"
	 "Return-Path: <cert@cert.example>\n"
	 "From: CERT <cert@cert.example>\n"
	 "Subject: [CERT-2026-0042] Received\n"
	 "Message-ID:\n <intaked.2026-0042.17.0123abcd@cert.example>\n\n"
	 "--8F2A1C0042.1700000000/mx.cert.example--\n",
	 CLASSIFY_BOUNCE, "multipart/report;delivery-status",
	 "intaked.2026-0042.17.0123abcd@cert.example", "failed"},
	{"exchange ndr",
	 "From: postmaster@hospital.example\n"
	 "To: cert@cert.example\n"
	 "Subject: Undeliverable: [CERT-2026-0042] Received\n"
	 "Content-Language: en-US\nX-MS-Exchange-Message-Is-Ndr:\n"
	 "X-Auto-Response-Suppress: All\nMIME-Version: 1.0\n"
	 "Content-Type: multipart/report; report-type=\"delivery-status\";\n"
	 "\tboundary=\"_000_\"\n\n"
	 "--_000_\nContent-Type: multipart/alternative; boundary=\"_001_\"\n"
	 "\n--_001_\nContent-Type: text/plain; charset=\"us-ascii\"\n\n"
	 "Delivery has failed to these recipients or groups:\n"
	 "--_001_\nContent-Type: text/html; charset=\"us-ascii\"\n\n"
	 "<html><body>Delivery has failed</body></html>\n"
	 "--_001_--\n"
	 "--_000_\nContent-Type: message/delivery-status\n\n"
	 "Reporting-MTA: dns;EX01.hospital.example\n\n"
	 "Final-Recipient: rfc822;gone@hospital.example\n"
	 "Action: failed\nStatus: 5.1.10\n\n"
	 "--_000_\nContent-Type: message/rfc822\n\n"
	 "From: CERT <cert@cert.example>\nTo: gone@hospital.example\n"
	 "Subject: [CERT-2026-0042] Received\n"
	 "Message-ID: <intaked.2026-0042.18.feed@cert.example>\n\n"
	 "body\n"
	 "--_000_--\n",
	 CLASSIFY_BOUNCE, "multipart/report;delivery-status",
	 "intaked.2026-0042.18.feed@cert.example", "failed"},
	{"delayed dsn",
	 "Return-Path: <>\nFrom: Mail Delivery System "
	 "<MAILER-DAEMON@mx.cert.example>\nTo: cert@cert.example\n"
	 "Subject: Delayed Mail (still being retried)\nMIME-Version: 1.0\n"
	 "Content-Type: multipart/report; report-type=delivery-status; "
	 "boundary=\"D\"\n\n"
	 "--D\nContent-Type: text/plain\n\nstill trying\n"
	 "--D\nContent-Type: message/delivery-status\n\n"
	 "Reporting-MTA: dns; mx.cert.example\n\n"
	 "Final-Recipient: rfc822; slow@hospital.example\n"
	 "Action: delayed\nStatus: 4.4.1\n\n"
	 "--D\nContent-Type: message/global-headers\n\n"
	 "Message-Id: <slow-1@cert.example>\n\n"
	 "--D--\n",
	 CLASSIFY_BOUNCE, "multipart/report;delivery-status",
	 "slow-1@cert.example", "delayed"},
	{"status 4 without action",
	 "From: MAILER-DAEMON@mx.example\nTo: cert@cert.example\n"
	 "Subject: warning\nMIME-Version: 1.0\n"
	 "Content-Type: multipart/report; report-type=delivery-status; "
	 "boundary=\"D\"\n\n"
	 "--D\nContent-Type: message/delivery-status\n\n"
	 "Final-Recipient: rfc822; a@b.example\nStatus: 4.2.2\n\n"
	 "Final-Recipient: rfc822; c@b.example\nStatus: 4.2.2\n\n"
	 "--D--\n",
	 CLASSIFY_BOUNCE, "multipart/report;delivery-status", NULL, "delayed"},
	{"one failed among delayed recipients",
	 "From: MAILER-DAEMON@mx.example\nTo: cert@cert.example\n"
	 "Subject: warning\nMIME-Version: 1.0\n"
	 "Content-Type: multipart/report; report-type=delivery-status; "
	 "boundary=\"D\"\n\n"
	 "--D\nContent-Type: message/delivery-status\n\n"
	 "Final-Recipient: rfc822; a@b.example\nAction: delayed\n\n"
	 "Final-Recipient: rfc822; c@b.example\nAction: failed\n\n"
	 "--D--\n",
	 CLASSIFY_BOUNCE, "multipart/report;delivery-status", NULL, "failed"},
	{"qmail style text bounce",
	 "Return-Path: <>\n"
	 "From: MAILER-DAEMON@mail.hospital.example\n"
	 "To: cert@cert.example\nSubject: failure notice\n" PLAIN "\n"
	 "Hi. This is the qmail-send program at mail.hospital.example.\n"
	 "I'm afraid I wasn't able to deliver your message.\n\n"
	 "--- Below this line is a copy of the message.\n\n"
	 "Return-Path: <cert@cert.example>\n"
	 "  Message-ID: <qmail-orig@cert.example>\n"
	 "Subject: [CERT-2026-0042] Received\n",
	 CLASSIFY_BOUNCE, "from:mailer-daemon", "qmail-orig@cert.example",
	 "failed"},
	{"postmaster without return path",
	 "From: Postmaster <POSTMASTER@mx.example>\n"
	 "To: cert@cert.example\nSubject: Returned mail\n" PLAIN "\n"
	 "No Message-ID here.\n",
	 CLASSIFY_BOUNCE, "from:postmaster", NULL, "failed"},
	{"delivery-status part in a mixed bounce",
	 "From: mailer@mx.example\nTo: cert@cert.example\n"
	 "Subject: Returned\nMIME-Version: 1.0\n"
	 "Content-Type: multipart/mixed; boundary=\"M\"\n\n"
	 "--M\nContent-Type: text/plain\n\nreturned\n"
	 "--M\nContent-Type: message/delivery-status\n\n"
	 "Action: failed\nStatus: 5.0.0\n\n"
	 "--M--\n",
	 CLASSIFY_BOUNCE, "message/delivery-status", NULL, "failed"},
	{"exim x-failed-recipients",
	 "Return-Path: <>\nFrom: Mail Delivery System "
	 "<Mailer-Daemon@exim.example>\nTo: cert@cert.example\n"
	 "X-Failed-Recipients: gone@exim.example\n"
	 "Subject: Mail delivery failed: returning message to sender\n" PLAIN
	 "\n"
	 "This message was created automatically by mail delivery software.\n"
	 "------ This is a copy of the message, including all the headers.\n"
	 "Message-Id: <exim-orig@cert.example>\n",
	 CLASSIFY_BOUNCE, "x-failed-recipients", "exim-orig@cert.example",
	 "failed"},

	/* ---- auto-replies ---- */
	{"exchange oof",
	 "From: Piet de Vries <piet@hospital.example>\n"
	 "To: CERT <cert@cert.example>\n"
	 "Subject: Automatic reply: [CERT-2026-0042] Received\n"
	 "Thread-Topic: [CERT-2026-0042] Received\n"
	 "Auto-Submitted: auto-generated\n"
	 "X-Auto-Response-Suppress: All\n"
	 "X-MS-Exchange-Inbox-Rules-Loop: piet@hospital.example\n" PLAIN
	 "\nI am out of the office until Monday.\n",
	 CLASSIFY_AUTO_REPLY, "auto-submitted:auto-generated", NULL, NULL},
	{"gmail vacation responder",
	 "From: Jan <jan@gmail.example>\nTo: cert@cert.example\n"
	 "Subject: Vacation\nAuto-Submitted: auto-replied\n"
	 "Precedence: bulk\n" PLAIN "\nOn holiday.\n",
	 CLASSIFY_AUTO_REPLY, "auto-submitted:auto-replied", NULL, NULL},
	{"sieve vacation",
	 "Return-Path: <>\n"
	 "From: <anna@hospital.example>\nTo: <cert@cert.example>\n"
	 "Subject: Auto: [CERT-2026-0042] Received\n"
	 "Auto-Submitted: auto-replied (vacation)\n"
	 "Precedence: bulk\n" PLAIN "\nAway until March.\n",
	 CLASSIFY_AUTO_REPLY, "auto-submitted:auto-replied", NULL, NULL},
	{"auto-submitted odd case and parameters",
	 PERSON "Subject: x\nAuto-Submitted:  Auto-Notified; owner=x\n" PLAIN
		"\nx\n",
	 CLASSIFY_AUTO_REPLY, "auto-submitted:auto-notified", NULL, NULL},
	{"auto-submitted unknown value",
	 PERSON "Subject: x\nAuto-Submitted: auto-something\n" PLAIN "\nx\n",
	 CLASSIFY_AUTO_REPLY, "auto-submitted", NULL, NULL},
	{"x-autoreply",
	 PERSON "Subject: Re: x\nX-Autoreply: yes\n" PLAIN "\nx\n",
	 CLASSIFY_AUTO_REPLY, "x-autoreply", NULL, NULL},
	{"x-autorespond",
	 PERSON "Subject: Re: x\nX-Autorespond: Re: x\n" PLAIN "\nx\n",
	 CLASSIFY_AUTO_REPLY, "x-autorespond", NULL, NULL},
	{"x-autoresponder",
	 PERSON "Subject: Re: x\nX-AutoResponder: 1\n" PLAIN "\nx\n",
	 CLASSIFY_AUTO_REPLY, "x-autoresponder", NULL, NULL},
	{"x-auto-response-suppress oof",
	 PERSON "Subject: x\nX-Auto-Response-Suppress: DR, OOF\n" PLAIN "\nx\n",
	 CLASSIFY_AUTO_REPLY, "x-auto-response-suppress", NULL, NULL},
	{"precedence auto_reply",
	 PERSON "Subject: x\nPrecedence: auto_reply\n" PLAIN "\nx\n",
	 CLASSIFY_AUTO_REPLY, "precedence:auto_reply", NULL, NULL},
	{"mdn read receipt",
	 "From: Jan <jan@hospital.example>\nTo: cert@cert.example\n"
	 "Subject: Read: [CERT-2026-0042] Received\nMIME-Version: 1.0\n"
	 "Content-Type: multipart/report; "
	 "report-type=disposition-notification; boundary=\"R\"\n\n"
	 "--R\nContent-Type: text/plain\n\nYour message was read.\n"
	 "--R\nContent-Type: message/disposition-notification\n\n"
	 "Reporting-UA: client.example\n"
	 "Final-Recipient: rfc822;jan@hospital.example\n"
	 "Original-Message-ID: <a@cert.example>\n"
	 "Disposition: manual-action/MDN-sent-manually; displayed\n\n"
	 "--R--\n",
	 CLASSIFY_AUTO_REPLY, "multipart/report;disposition-notification", NULL,
	 NULL},
	{"null return path",
	 "Return-Path: < >\n" PERSON "Subject: notice\n" PLAIN "\nx\n",
	 CLASSIFY_AUTO_REPLY, "return-path:<>", NULL, NULL},
	{"subject automatic reply alone",
	 PERSON "Subject: Automatic reply: Phishing\n" PLAIN "\nx\n",
	 CLASSIFY_AUTO_REPLY, "subject:auto-reply", NULL, NULL},
	{"subject out of office",
	 PERSON "Subject: OUT OF OFFICE: back Monday\n" PLAIN "\nx\n",
	 CLASSIFY_AUTO_REPLY, "subject:auto-reply", NULL, NULL},
	{"subject dutch",
	 PERSON
	 "Subject: Automatisch antwoord: [CERT-2026-0042] Ontvangen\n" PLAIN
	 "\nx\n",
	 CLASSIFY_AUTO_REPLY, "subject:auto-reply", NULL, NULL},
	{"subject french encoded",
	 PERSON
	 "Subject: =?UTF-8?Q?R=C3=A9ponse_automatique=C2=A0:_absent?=\n" PLAIN
	 "\nx\n",
	 CLASSIFY_AUTO_REPLY, "subject:auto-reply", NULL, NULL},
	{"subject german",
	 PERSON "Subject: Abwesenheitsnotiz: Meldung\n" PLAIN "\nx\n",
	 CLASSIFY_AUTO_REPLY, "subject:auto-reply", NULL, NULL},
	{"subject lotus notes",
	 PERSON "Subject: AUTO: Jan Jansen is out of the office (returning "
		"03/09/2026)\n" PLAIN "\nx\n",
	 CLASSIFY_AUTO_REPLY, "subject:auto-reply", NULL, NULL},

	/* ---- lists ---- */
	{"mailing list digest",
	 "From: security-list-request@lists.example\n"
	 "To: security-list@lists.example\n"
	 "Subject: security-list Digest, Vol 12, Issue 3\n"
	 "List-Id: Security discussion <security-list.lists.example>\n"
	 "List-Unsubscribe: <mailto:security-list-request@lists.example?"
	 "subject=unsubscribe>\n"
	 "List-Post: <mailto:security-list@lists.example>\n"
	 "Precedence: list\nMIME-Version: 1.0\n"
	 "Content-Type: multipart/mixed; boundary=\"L\"\n\n"
	 "--L\nContent-Type: text/plain\n\nToday's topics\n"
	 "--L\nContent-Type: multipart/digest; boundary=\"G\"\n\n"
	 "--G\n\nFrom: a@b.example\nSubject: one\n\nfirst\n"
	 "--G--\n--L--\n",
	 CLASSIFY_LIST, "list-id", NULL, NULL},
	{"newsletter unsubscribe",
	 PERSON "Subject: Newsletter\n"
		"List-Unsubscribe: <https://news.example/u>\n" PLAIN "\nx\n",
	 CLASSIFY_LIST, "list-unsubscribe", NULL, NULL},
	{"list-post only", PERSON "Subject: x\nList-Post: NO\n" PLAIN "\nx\n",
	 CLASSIFY_LIST, "list-post", NULL, NULL},
	{"precedence bulk",
	 PERSON "Subject: x\nPrecedence: Bulk\n" PLAIN "\nx\n", CLASSIFY_LIST,
	 "precedence:bulk", NULL, NULL},
	{"precedence junk",
	 PERSON "Subject: x\nPrecedence: junk\n" PLAIN "\nx\n", CLASSIFY_LIST,
	 "precedence:junk", NULL, NULL},

	/* ---- spam ---- */
	{"spamassassin flag",
	 PERSON "Subject: Cheap pills\nX-Spam-Flag: YES\n"
		"X-Spam-Status: Yes, score=12.3 required=5.0\n" PLAIN "\nbuy\n",
	 CLASSIFY_SPAM, "x-spam-flag", NULL, NULL},
	{"spam status only",
	 PERSON "Subject: x\nX-Spam-Status: yes score=9\n" PLAIN "\nx\n",
	 CLASSIFY_SPAM, "x-spam-status", NULL, NULL},
	{"rspamd x-spam", PERSON "Subject: x\nX-Spam: Yes\n" PLAIN "\nx\n",
	 CLASSIFY_SPAM, "x-spam", NULL, NULL},
	{"spam status yesterday is not yes",
	 PERSON "Subject: x\nX-Spam-Status: Yesterday\n" PLAIN "\nx\n",
	 CLASSIFY_NORMAL, "normal", NULL, NULL},

	/* ---- order of the rules ---- */
	{"own beats bounce",
	 "From: MAILER-DAEMON@cert.example\nTo: cert@cert.example\n"
	 "X-Intaked-Loop: cert@cert.example\nSubject: x\n" PLAIN "\nx\n",
	 CLASSIFY_OWN, "loop-header", NULL, NULL},
	{"bounce beats auto-reply",
	 "Return-Path: <>\nFrom: MAILER-DAEMON@mx.example\n"
	 "To: cert@cert.example\nAuto-Submitted: auto-replied\n"
	 "Subject: Undelivered\n" PLAIN "\nx\n",
	 CLASSIFY_BOUNCE, "from:mailer-daemon", NULL, "failed"},
	{"auto-reply beats list",
	 PERSON "Subject: x\nAuto-Submitted: auto-replied\n"
		"List-Id: <l.example>\n" PLAIN "\nx\n",
	 CLASSIFY_AUTO_REPLY, "auto-submitted:auto-replied", NULL, NULL},
	{"list beats spam",
	 PERSON "Subject: x\nList-Id: <l.example>\nX-Spam-Flag: YES\n" PLAIN
		"\nx\n",
	 CLASSIFY_LIST, "list-id", NULL, NULL},
};

static GMimeMessage *
parse(const char *raw)
{
	GMimeStream *stream =
		g_mime_stream_mem_new_with_buffer(raw, strlen(raw));
	GMimeParser *parser = g_mime_parser_new_with_stream(stream);
	GMimeMessage *message = g_mime_parser_construct_message(parser, NULL);

	g_object_unref(parser);
	g_object_unref(stream);
	g_assert_nonnull(message);
	return message;
}

static void
test_classify(gconstpointer data)
{
	const struct classify_case *tc = data;
	GMimeMessage *message = parse(tc->raw);
	struct classify_result result;

	classify_message(message, OWN, DOMAIN, &result);
	g_assert_cmpstr(classify_kind_name(result.kind), ==,
			classify_kind_name(tc->kind));
	g_assert_cmpstr(result.reason, ==, tc->reason);
	if (tc->kind == CLASSIFY_BOUNCE) {
		g_assert_cmpstr(result.bounced_message_id, ==, tc->bounced_id);
		g_assert_cmpstr(result.bounce_action, ==, tc->action);
	} else {
		g_assert_null(result.bounced_message_id);
		g_assert_null(result.bounce_action);
	}
	classify_result_clear(&result);
	g_assert_null(result.bounced_message_id);
	g_object_unref(message);
}

static void
test_kind_names(void)
{
	static const char *const names[] = {
		"normal", "auto_reply", "bounce", "list", "spam", "own",
	};

	for (int kind = CLASSIFY_NORMAL; kind <= CLASSIFY_OWN; kind++)
		g_assert_cmpstr(classify_kind_name(kind), ==, names[kind]);
}

/* Deeply nested multiparts end the walk at its limit without harm. */
static void
test_deep_nesting(void)
{
	GString *raw =
		g_string_new(PERSON "Subject: deep\nMIME-Version: 1.0\n");
	GMimeMessage *message;
	struct classify_result result;

	for (int i = 0; i < 200; i++)
		g_string_append_printf(
			raw,
			"Content-Type: multipart/mixed; boundary=\"b%d\"\n\n"
			"--b%d\n",
			i, i);
	g_string_append(raw, "Content-Type: message/delivery-status\n\n"
			     "Action: failed\n");
	message = parse(raw->str);
	classify_message(message, OWN, DOMAIN, &result);
	g_assert_cmpint(result.kind, ==, CLASSIFY_NORMAL);
	classify_result_clear(&result);
	g_object_unref(message);
	g_string_free(raw, TRUE);
}

int
main(int argc, char **argv)
{
	g_mime_init();
	g_test_init(&argc, &argv, NULL);
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *path =
			g_strdup_printf("/classify/%s", cases[i].name);

		g_test_add_data_func(path, &cases[i], test_classify);
	}
	g_test_add_func("/classify/kind-names", test_kind_names);
	g_test_add_func("/classify/deep-nesting", test_deep_nesting);
	{
		int status = g_test_run();

		g_mime_shutdown();
		return status;
	}
}
