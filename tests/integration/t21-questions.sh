#!/bin/bash
# t21-questions: the questionnaire conversation over real IMAP and SMTP.
# A report gets an acknowledgement with numbered questions; a reply with
# answers under the quoted questions fills the case and brings fewer
# questions; the final reply completes the case and brings a closing note;
# care_impact = yes notifies staff at once.  Then, with a short
# reminder_after, an unanswered case gets a reminder and, after
# max_rounds, is handed to staff.
. "$(dirname "$0")/../lib/test-lib.sh"

plan 27
stack_start

# Count the numbered question lines of a mail body.
questions_in() {
	grep -cE '^[0-9]{1,3}\. '
}
answer_mail() {
	"$PY" "$TEST_LIB_DIR/answer-mail.py" "$@"
}
# The JSON line of the newest message in USER's INBOX with a subject
# matching REGEX.
newest_with_subject() {
	imap_read "$1" list | "$PY" -c '
import json, re, sys
last = ""
for line in sys.stdin:
    if re.search(sys.argv[1], json.loads(line).get("subject") or ""):
        last = line
print(last, end="")
' "$2"
}
body_of() {
	imap_read "$1" body --uid "$(json_eval 'd["uid"]' <<<"$2")"
}
state_of() {
	case_show "$1" | json_eval 'd["state"]'
}

intaked_config "questionnaire=\"$REPO_ROOT/conf/questionnaire.conf\"" \
	questions.reminder_after=3600 questions.max_rounds=3
intaked_start || BAIL_OUT "intaked did not start"

# --- report -> ack with questions ---------------------------------------
send_mail req1 --header "Subject: Ransomware on our file server" \
	--header "Message-ID: <t21-report@hospital-a.example.test>" \
	--body "Hello, since this morning all files on our file server are encrypted. Organisation: AZ Voorbeeld. Regards, IT"
wait_for '[ "$(mailbox_count req1)" -ge 1 ]' 30
ok $? "the acknowledgement arrives"
ack=$(ack_of req1 "<t21-report@hospital-a.example.test>")
ackid=$(json_eval 'd["message-id"]' <<<"$ack")
ackbody=$(body_of req1 "$ack")
asked1=$(questions_in <<<"$ackbody")
((asked1 >= 2))
ok $? "the acknowledgement asks numbered questions ($asked1)"
like "$ackbody" '1\. ' "questions are numbered from 1"
like "$ackbody" 'phone number' "it asks for a phone number"
id=$(intakectl cases --json | json_eval 'd[0]["id"]')
is "$(state_of "$id")" waiting "the case waits for answers"
is "$(case_show "$id" | json_eval 'len(d["rounds"])')" 1 "one round recorded"
is "$(case_show "$id" | json_eval 'len(d["rounds"][0]["questions"])')" "$asked1" \
	"the round holds the questions the mail asked"

# --- inline answers under the quoted questions -> fewer questions --------
answer_mail inline 'phone=+32 475 55 01 23' 'kind of incident=ransomware' \
	'contact person=Jan Peeters, IT manager' <<<"$ackbody" >"$TEST_DIR/reply1.txt"
send_mail req1 --header "Subject: Re: $(json_eval 'd["subject"]' <<<"$ack")" \
	--header "Message-ID: <t21-reply1@hospital-a.example.test>" \
	--header "In-Reply-To: $ackid" \
	--header "References: <t21-report@hospital-a.example.test> $ackid" \
	--body "@$TEST_DIR/reply1.txt"
wait_for '[ -n "$(ack_of req1 "<t21-reply1@hospital-a.example.test>")" ]' 30
ok $? "a follow-up with questions answers the reply"
follow=$(ack_of req1 "<t21-reply1@hospital-a.example.test>")
like "$(json_eval 'd["subject"]' <<<"$follow")" '^\[CERT-.*Questions' "the follow-up is a questions mail"
followid=$(json_eval 'd["message-id"]' <<<"$follow")
followbody=$(body_of req1 "$follow")
asked2=$(questions_in <<<"$followbody")
((asked2 >= 1))
ok $? "the follow-up still asks something ($asked2)"
unlike "$followbody" 'phone number' "the answered phone question is not asked again"
like "$followbody" 'patient care' "the ransomware questions are asked now"
show=$(case_show "$id")
is "$(json_eval 'd["fields"]["contact_phone"]["value"]' <<<"$show")" "+32475550123" \
	"the phone answer is stored normalised"
is "$(json_eval 'd["fields"]["contact_phone"]["source"]' <<<"$show")" reply \
	"with source reply"
is "$(json_eval 'd["fields"]["incident_type"]["value"]' <<<"$show")" ransomware \
	"the incident type is stored"
like "$(json_eval "[e['detail'] for e in d['events'] if e['type'] == 'field_set']" <<<"$show")" \
	'contact_phone: \(none\) -> \+32475550123' "the change is on the timeline"

# --- the final reply, numbered answers -> complete ------------------------
answer_mail numbered 'patient care=yes' 'systems=file server, EHR' \
	"backups=don't know" 'notice=22/11/2026 07:00' \
	'organisation=AZ Voorbeeld' 'contact person=Jan Peeters' \
	'kind of incident=ransomware' <<<"$followbody" >"$TEST_DIR/reply2.txt"
send_mail req1 --header "Subject: Re: $(json_eval 'd["subject"]' <<<"$follow")" \
	--header "Message-ID: <t21-reply2@hospital-a.example.test>" \
	--header "In-Reply-To: $followid" \
	--header "References: <t21-report@hospital-a.example.test> $followid" \
	--body "@$TEST_DIR/reply2.txt"
wait_for '[ -n "$(ack_of req1 "<t21-reply2@hospital-a.example.test>")" ]' 30
ok $? "a mail answers the final reply"
closing=$(ack_of req1 "<t21-reply2@hospital-a.example.test>")
like "$(json_eval 'd["subject"]' <<<"$closing")" 'Thank you' "it is the closing note"
is "$(questions_in <<<"$(body_of req1 "$closing")")" 0 "the closing note asks nothing"
is "$(state_of "$id")" incident "the case is complete and, patient care being affected, qualified as an incident"
is "$(case_show "$id" | json_eval 'd["missing"]')" "[]" "nothing required is missing"
wait_for '[ -n "$(newest_with_subject staff "'"$id"'.*URGENT")" ]' 30
ok $? "staff were told at once that patient care is affected"
intaked_stop

# --- no answer: reminder, then hand-over ---------------------------------
intaked_config "questionnaire=\"$REPO_ROOT/conf/questionnaire.conf\"" \
	questions.reminder_after=2 questions.max_rounds=2
intaked_start || BAIL_OUT "intaked did not restart"
send_mail req2 --header "Subject: Phishing mail" \
	--header "Message-ID: <t21-silent@az.example.test>" \
	--body "Hello, we received a phishing mail. Regards"
wait_for '[ -n "$(newest_with_subject req2 "Reminder")" ]' 30
ok $? "no answer: a reminder arrives"
reminder=$(newest_with_subject req2 "Reminder")
(($(questions_in <<<"$(body_of req2 "$reminder")") >= 1))
ok $? "the reminder asks the missing questions"
silent=$(intakectl cases --json | json_eval "[c['id'] for c in d if req(c) == 'req2@example.test'][0]")
wait_for '[ "$(state_of "$silent")" = handed_over ]' 30
ok $? "after max_rounds the case is handed to staff"
wait_for '[ -n "$(newest_with_subject staff "'"$silent"'.*Handed to staff")" ]' 30
ok $? "staff get the hand-over note"
sleep 3
is "$(imap_read req2 list | grep -c 'Reminder')" 1 "exactly one reminder, no more questions after the hand-over"
intaked_stop
