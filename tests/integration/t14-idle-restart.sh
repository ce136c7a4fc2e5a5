#!/bin/bash
# t14-idle-restart: Dovecot is restarted while intaked sits in IDLE; mail
# that arrived while it was down, and mail sent right after it came back,
# is processed.
. "$(dirname "$0")/../lib/test-lib.sh"

plan 9
stack_start
intaked_config imap.idle=true imap.reconnect_max=5
intaked_start || BAIL_OUT "intaked did not start"

report() {
	# $1 user, $2 tag
	printf '%s\n' "From: $1@example.test" "To: cert@example.test" \
		"Subject: Incident $2" "Message-ID: <t14-$2@$1.example.test>" \
		"Date: $(date -R)" "MIME-Version: 1.0" \
		"Content-Type: text/plain; charset=utf-8" "" \
		"Hello, we see encrypted files on our servers ($2). Please help. IT"
}

report req1 first >"$TEST_DIR/first.eml"
send_mail req1 --data "$TEST_DIR/first.eml"
wait_for '[ "$(mailbox_count req1)" -ge 1 ]' 30
ok $? "first report acknowledged (intaked is up and idling)"
sleep 1

t_stop=${EPOCHREALTIME/./}
mailstack_stop_dovecot
ok $? "Dovecot stopped under intaked"
report req2 while-down >"$TEST_DIR/down.eml"
mailstack_deliver_offline cert "$TEST_DIR/down.eml"
sleep 2
mailstack_start_dovecot
ok $? "Dovecot started again on the same ports"
report req3 after >"$TEST_DIR/after.eml"
send_mail req3 --data "$TEST_DIR/after.eml"
ok $? "report sent right after the restart"

wait_for '[ "$(mailbox_count req2)" -ge 1 ]' 40
ok $? "the report that arrived while Dovecot was down is acknowledged"
wait_for '[ "$(mailbox_count req3)" -ge 1 ]' 40
ok $? "the report sent right after the restart is acknowledged"
diag "recovered $(((${EPOCHREALTIME/./} - t_stop) / 1000)) ms after the stop"
is "$(case_count)" 3 "three cases"
wait_processed 3 20
ok $? "all three reports moved to Processed"
intaked_running
ok $? "intaked is still running"
intaked_stop
