#!/bin/bash
# t12-auto: an out-of-office reply and a bounce (DSN) are recorded but never
# answered; a DSN for one of our own mails marks that outbox entry failed.
. "$(dirname "$0")/../lib/test-lib.sh"

plan 15
stack_start
intaked_config
intaked_start || BAIL_OUT "intaked did not start"

# A stand-alone out-of-office notice (not threaded to anything).
send_mail req2 --header "Subject: Out of office: back on Monday" \
	--header "Message-ID: <t12-ooo1@az.example.test>" \
	--header "Auto-Submitted: auto-replied" \
	--body "I am out of the office until Monday and have limited access to mail."
ok $? "out-of-office submitted"

# A bounce for a message that is not ours.
dsn() {
	# $1 original Message-ID, $2 DSN Message-ID, $3 failed recipient
	cat <<DSN
From: Mail Delivery System <MAILER-DAEMON@example.test>
To: cert@example.test
Subject: Undelivered Mail Returned to Sender
Date: $(date -R)
Message-ID: $2
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
	boundary="dsn-boundary-t12"

This is a MIME-encapsulated message.

--dsn-boundary-t12
Content-Type: text/plain; charset=us-ascii

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients.

<$3>: host mx.example.test said: 550 5.1.1 User unknown

--dsn-boundary-t12
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.test
Arrival-Date: $(date -R)

Final-Recipient: rfc822; $3
Original-Recipient: rfc822;$3
Action: failed
Status: 5.1.1
Remote-MTA: dns; mx.example.test
Diagnostic-Code: smtp; 550 5.1.1 User unknown

--dsn-boundary-t12
Content-Type: text/rfc822-headers

From: Example Test CERT <cert@example.test>
To: $3
Subject: Some earlier mail
Message-ID: $1
Date: $(date -R)

--dsn-boundary-t12--
DSN
}
dsn "<unrelated-123@elsewhere.example.test>" "<t12-dsn1@mx.example.test>" \
	someone@elsewhere.example.test >"$TEST_DIR/dsn1.eml"
send_mail req3 --from '<>' --data "$TEST_DIR/dsn1.eml"
ok $? "bounce submitted with a null sender"

wait_processed 2
ok $? "both processed"
sleep 2
is "$(case_count)" 0 "neither opened a case"
is "$(mailbox_count req2)" 0 "no answer to the out-of-office"
is "$(intakectl outbox --json | json_eval 'len(d)')" 0 "nothing queued for them"

# Now a real report, then an out-of-office threaded to its ack, then a
# bounce of the ack.
send_mail req1 --header "Subject: Ransomware in the lab" \
	--header "Message-ID: <t12-report@hospital-a.example.test>" \
	--body "Hello, the lab computers are encrypted since this morning. Please help. IT"
wait_for '[ "$(mailbox_count req1)" -ge 1 ]' 30
ok $? "ack for the report arrives"
ack=$(ack_of req1 "<t12-report@hospital-a.example.test>")
ackid=$(json_eval 'd["message-id"]' <<<"$ack")
id=$(intakectl cases --json | json_eval 'd[0]["id"]')

send_mail req1 --header "Subject: Automatic reply: $(json_eval 'd["subject"]' <<<"$ack")" \
	--header "Message-ID: <t12-ooo2@hospital-a.example.test>" \
	--header "In-Reply-To: $ackid" \
	--header "Auto-Submitted: auto-replied" \
	--header "X-Auto-Response-Suppress: All" \
	--body "I am on leave until next week."
wait_for '[ "$(case_messages "$id" in)" -ge 2 ]' 30
ok $? "the threaded out-of-office is recorded on the case"
is "$(case_show "$id" | json_eval "[m['kind'] for m in d['messages'] if mid(m['message_id']) == 't12-ooo2@hospital-a.example.test']")" \
	'["auto_reply"]' "... with kind auto_reply"

dsn "$ackid" "<t12-dsn2@mx.example.test>" req1@example.test >"$TEST_DIR/dsn2.eml"
send_mail req3 --from '<>' --data "$TEST_DIR/dsn2.eml"
wait_for '[ "$(case_messages "$id" in)" -ge 3 ]' 30
ok $? "the bounce of our ack is recorded on the case"
is "$(case_show "$id" | json_eval "[m['kind'] for m in d['messages'] if mid(m['message_id']) == 't12-dsn2@mx.example.test']")" \
	'["bounce"]' "... with kind bounce"
wait_for "[ \"\$(intakectl outbox --json | json_eval \"[e['state'] for e in d if mid(e['message_id']) == mid('$ackid')]\")\" = '[\"failed\"]' ]" 15
ok $? "the ack's outbox entry is marked failed"

sleep 2
is "$(mailbox_count req1)" 1 "only the ack in req1's mailbox: no answer to the out-of-office or the bounce"
is "$(intakectl outbox --json | json_eval 'len(d)')" 1 "only the ack was ever queued"
is "$(case_count)" 1 "one case"
intaked_stop
