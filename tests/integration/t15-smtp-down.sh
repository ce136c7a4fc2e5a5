#!/bin/bash
# t15-smtp-down: while the SMTP side is down or answers 4xx, the outbox
# holds the ack (queued, attempts counting) and sends it once the server is
# back; a 5xx marks it failed for good.
. "$(dirname "$0")/../lib/test-lib.sh"

plan 16
stack_start
intaked_config smtp.retry_initial=1 smtp.retry_max=2
intaked_start || BAIL_OUT "intaked did not start"

# outbox_field ADDRESS FIELD: FIELD of the outbox entry addressed to ADDRESS.
outbox_field() {
	intakectl outbox --json 2>/dev/null | json_eval \
		"([e.get('$2') for e in d if '$1' in str(e.get('to'))] or [''])[0]"
}

report() {
	printf '%s\n' "From: $1@example.test" "To: cert@example.test" \
		"Subject: Incident $2" "Message-ID: <t15-$2@$1.example.test>" \
		"Date: $(date -R)" "MIME-Version: 1.0" \
		"Content-Type: text/plain; charset=utf-8" "" \
		"Hello, our hospital network is down since this morning ($2). IT"
}

# A. The relay behind submission is down: Dovecot answers 421 after AUTH.
mailstack_stop_bridge
report req1 relay-down >"$TEST_DIR/a.eml"
mailstack_deliver_offline cert "$TEST_DIR/a.eml"
wait_cases 1 30
ok $? "report delivered while the relay is down becomes a case"
wait_for '[ "$(outbox_field req1@example.test attempts)" -ge 2 ] 2>/dev/null' 30
ok $? "the ack is retried (attempts counting)"
is "$(outbox_field req1@example.test state)" queued "the ack stays queued"
isnt "$(outbox_field req1@example.test last_error)" "" "the last error is recorded"
is "$(mailbox_count req1)" 0 "nothing delivered meanwhile"
mailstack_start_bridge
wait_for '[ "$(mailbox_count req1)" -ge 1 ]' 30
ok $? "relay back: the ack is delivered"
wait_for '[ "$(outbox_field req1@example.test state)" = sent ]' 10
ok $? "the outbox entry is marked sent"

# B. A 451 at RCPT for the requester: temporary, retried.
mailstack_fault '{"RCPT req2@example.test": "451 4.3.0 Try again later"}'
send_mail req2 --header "Subject: Incident tempfail" \
	--header "Message-ID: <t15-tempfail@req2.example.test>" \
	--body "Hello, phishing mails are reaching our staff. IT"
wait_for '[ "$(outbox_field req2@example.test attempts)" -ge 2 ] 2>/dev/null' 40
ok $? "a 451 is retried"
is "$(outbox_field req2@example.test state)" queued "the ack stays queued after a 451"
like "$(outbox_field req2@example.test last_error)" '451' "last_error has the 451"
mailstack_clear_faults
wait_for '[ "$(mailbox_count req2)" -ge 1 ]' 30
ok $? "fault cleared: the ack is delivered"

# C. A 550 at RCPT: final.
mailstack_fault '{"RCPT req3@example.test": "550 5.1.1 Mailbox unavailable"}'
send_mail req3 --header "Subject: Incident permfail" \
	--header "Message-ID: <t15-permfail@req3.example.test>" \
	--body "Hello, our website was defaced this morning. IT"
wait_for '[ "$(outbox_field req3@example.test state)" = failed ]' 40
ok $? "a 550 marks the ack failed"
like "$(outbox_field req3@example.test last_error)" '550' "last_error has the 550"
attempts=$(outbox_field req3@example.test attempts)
mailstack_clear_faults
sleep 4
is "$(outbox_field req3@example.test attempts)" "$attempts" "a failed ack is not retried"
is "$(mailbox_count req3)" 0 "and never delivered"
# The ack's transaction also carries our own copy (smtp.copy_to_self).
is "$(grep -c '"rcpt_to": \["req1@example.test"' "$MAILSTACK_DELIVERIES")" 1 \
	"req1's ack was delivered exactly once"
intaked_stop
