#!/bin/bash
# t13-tls: a server whose certificate does not name the host intaked
# connects to (signed by the trusted CA, but for wrong.example only) is
# refused, for IMAP and for SMTP: no login is attempted, the log says why.
. "$(dirname "$0")/../lib/test-lib.sh"

plan 13
stack_start
mailstack_set_cert imap wrong || BAIL_OUT "could not switch the IMAP certificate"
intaked_config
send_mail req1 --header "Subject: Ransomware" \
	--header "Message-ID: <t13-report@hospital-a.example.test>" \
	--body "Hello, our servers are encrypted. Please help. IT"
ok $? "report waiting in the CERT INBOX"
intaked_start || BAIL_OUT "intaked did not start"

logins() {
	# $1 imap or submission
	grep -c "$1-login: Info: Login: user=<cert@example.test>" \
		"$MAILSTACK_DOVECOT_LOG"
}
wait_for 'grep -qi "certificate" "$TEST_DIR/intaked.log"' 20
ok $? "intaked logs a certificate problem for IMAP"
sleep 3
is "$(logins imap)" 0 "no IMAP login by intaked with the wrong certificate"
# imap-read.py verifies the name too, so ask Dovecot directly.
is "$(mailstack_doveadm mailbox status -u cert@example.test messages INBOX)" \
	"INBOX messages=1" "the report is still in the INBOX"
is "$(case_count)" 0 "no case"
like "$(grep -i certificate "$TEST_DIR/intaked.log" | head -n 3)" \
	'(127\.0\.0\.1|wrong\.example|host|name)' "the log line says which host or name"

# IMAP fixed, submission serving the wrong certificate: the ack must wait.
mailstack_set_cert imap server || BAIL_OUT "restart failed"
mailstack_set_cert submission wrong || BAIL_OUT "restart failed"
mark=$(wc -l <"$TEST_DIR/intaked.log")
wait_cases 1 40
ok $? "with a good IMAP certificate the report becomes a case"
wait_for '[ "$(intakectl outbox --json | json_eval "d[0][\"attempts\"]" 2>/dev/null || echo 0)" -ge 1 ]' 30
ok $? "intaked tried to send the ack"
sleep 2
is "$(logins submission)" 0 "no SMTP AUTH by intaked with the wrong certificate"
tail -n "+$((mark + 1))" "$TEST_DIR/intaked.log" | grep -qi certificate
ok $? "intaked logs a certificate problem for SMTP"
is "$(mailbox_count req1)" 0 "no ack delivered"
isnt "$(intakectl outbox --json | json_eval 'd[0]["state"]')" sent "the ack is not marked sent"

# With the right certificate back the queued ack goes out.
mailstack_set_cert submission server || BAIL_OUT "restart failed"
wait_for '[ "$(mailbox_count req1)" -ge 1 ]' 40
ok $? "after the fix the ack is delivered"
intaked_stop
