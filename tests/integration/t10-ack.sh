#!/bin/bash
# t10-ack: a report becomes a case and its acknowledgement arrives in the
# requester's mailbox, threaded (case tag, In-Reply-To), marked as
# automatic, in the requester's language.
. "$(dirname "$0")/../lib/test-lib.sh"

plan 21
stack_start
intaked_config
intaked_start || BAIL_OUT "intaked did not start"

send_mail req1 --header "Subject: Ransomware on our file server" \
	--header "Message-ID: <t10-en@hospital-a.example.test>" \
	--body "Hello, since this morning all files on our file server are encrypted and a ransom note asks for bitcoin. We isolated the server. Please advise. Regards, IT"
ok $? "report from req1 submitted"

wait_for '[ "$(mailbox_count req1)" -ge 1 ]' 30
ok $? "an acknowledgement arrives in req1's INBOX"

ack=$(imap_read req1 list | head -n 1)
subject=$(json_eval 'd["subject"]' <<<"$ack")
like "$subject" '\[CERT-[0-9]{4}-[0-9]{4}\]' "ack subject carries the case tag"
is "$(json_eval 'd["in-reply-to"]' <<<"$ack")" "<t10-en@hospital-a.example.test>" \
	"ack In-Reply-To is the report's Message-ID"
like "$(json_eval 'd["references"]' <<<"$ack")" "<t10-en@hospital-a.example.test>" \
	"ack References has the report's Message-ID"
is "$(json_eval 'd["auto-submitted"]' <<<"$ack")" "auto-replied" "ack has Auto-Submitted: auto-replied"
like "$(json_eval 'd["x-intaked-loop"]' <<<"$ack")" '^.+$' "ack has X-Intaked-Loop"
like "$(json_eval 'd["from"]' <<<"$ack")" 'cert@example.test' "ack comes from the CERT address"
like "$(json_eval 'd["message-id"]' <<<"$ack")" '@example\.test>$' "ack Message-ID is on our domain"

wait_processed 1
ok $? "the report was moved from INBOX to Processed"

cases=$(intakectl cases --json)
is "$(json_eval 'len(d)' <<<"$cases")" 1 "one case"
id=$(json_eval 'd[0]["id"]' <<<"$cases")
like "$subject" "\[CERT-$id\]" "the tag in the subject is the case id"
is "$(json_eval 'req(d[0])' <<<"$cases")" "req1@example.test" "requester recorded"
is "$(json_eval 'd[0]["language"]' <<<"$cases")" en "language en"
show=$(case_show "$id")
is "$(json_eval "[m['kind'] for m in d['messages'] if m['direction'] == 'in']" <<<"$show")" '["report"]' \
	"timeline: the report, kind report"
is "$(json_eval "[mid(m['message_id']) for m in d['messages'] if m['direction'] == 'out']" <<<"$show")" \
	"[\"$(json_eval 'mid(d["message-id"])' <<<"$ack")\"]" "timeline: the ack, with its Message-ID"

# A Dutch report gets a Dutch acknowledgement.
send_mail req2 --header "Subject: Dringend: bestanden versleuteld" \
	--header "Message-ID: <t10-nl@az-voorbeeld.example.test>" \
	--body "Goedemorgen, vanochtend om 7u zagen we dat alle bestanden op de fileserver .lockbit hebben, spoed ligt stil, backups onduidelijk. Kunnen jullie ons helpen? Met vriendelijke groeten, Jan, IT AZ Voorbeeld Gent"
wait_for '[ "$(mailbox_count req2)" -ge 1 ]' 30
ok $? "an acknowledgement arrives in req2's INBOX"
nl=$(ack_of req2 "<t10-nl@az-voorbeeld.example.test>")
isnt "$nl" "" "req2's ack answers the Dutch report"
nlcase=$(intakectl cases --json | json_eval "[c for c in d if req(c) == 'req2@example.test'][0]")
is "$(json_eval 'd["language"]' <<<"$nlcase")" nl "the Dutch report's case has language nl"
enbody=$(imap_read req1 body --uid "$(json_eval 'd["uid"]' <<<"$ack")")
nlbody=$(imap_read req2 body --uid "$(json_eval 'd["uid"]' <<<"$nl")")
isnt "$nlbody" "$enbody" "the Dutch ack's text differs from the English one"
unlike "$nlbody" '(Dear|Thank you|Hello)' "the Dutch ack is not in English"

intaked_stop
