#!/bin/bash
# t11-reply: a reply to the acknowledgement (In-Reply-To) and a mail with
# only the case tag in its subject both join the existing case.
. "$(dirname "$0")/../lib/test-lib.sh"

plan 11
stack_start
intaked_config
intaked_start || BAIL_OUT "intaked did not start"

send_mail req1 --header "Subject: Phishing wave against nurses" \
	--header "Message-ID: <t11-report@hospital-a.example.test>" \
	--body "Hello, about fifty nurses received a phishing mail asking for their password. Three entered it. Regards, IT"
wait_for '[ "$(mailbox_count req1)" -ge 1 ]' 30
ok $? "ack arrives"
ack=$(ack_of req1 "<t11-report@hospital-a.example.test>")
ackid=$(json_eval 'd["message-id"]' <<<"$ack")
tag=$(json_eval 'd["subject"]' <<<"$ack" | grep -oE '\[CERT-[0-9]{4}-[0-9]{4}\]')
like "$tag" '^\[CERT-' "ack carries a case tag"
id=$(intakectl cases --json | json_eval 'd[0]["id"]')

# Reply by In-Reply-To/References only: subject without the tag.
send_mail req1 --header "Subject: more information" \
	--header "Message-ID: <t11-reply1@hospital-a.example.test>" \
	--header "In-Reply-To: $ackid" \
	--header "References: <t11-report@hospital-a.example.test> $ackid" \
	--body "We found the phishing domain: login-portal.example. Regards"
wait_for '[ "$(case_messages "$id" in)" -ge 2 ]' 30
ok $? "the threaded reply joins the case"
is "$(case_count)" 1 "still one case"
is "$(case_show "$id" | json_eval "[m['kind'] for m in d['messages'] if mid(m['message_id']) == 't11-reply1@hospital-a.example.test']")" \
	'["reply"]' "the reply is recorded with kind reply"

# Reply by subject tag only: no In-Reply-To, no References.
send_mail req1 --header "Subject: Update $tag: passwords reset" \
	--header "Message-ID: <t11-reply2@hospital-a.example.test>" \
	--body "All affected passwords have been reset."
wait_for '[ "$(case_messages "$id" in)" -ge 3 ]' 30
ok $? "a mail with only the case tag in its subject joins the case"
is "$(case_count)" 1 "still one case"

# A tag for a case that does not exist does not join anything.
send_mail req2 --header "Subject: Question [CERT-1999-9999]" \
	--header "Message-ID: <t11-other@az.example.test>" \
	--body "Hello, a new problem: our website was defaced this morning."
wait_processed 4
ok $? "all four messages processed"
wait_for '[ "$(case_count)" -ge 2 ]' 15
ok $? "a mail with an unknown case tag does not join case $id"
is "$(case_messages "$id" in)" 3 "case $id has exactly the report and two replies"

# Give a late second ack a chance to show up.
sleep 2
is "$(imap_read req1 list | grep -c '"in-reply-to": "<t11-report@')" 1 \
	"exactly one acknowledgement for the report"
intaked_stop
