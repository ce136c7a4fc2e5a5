#!/bin/bash
# t22-support: the support half end to end over real IMAP and SMTP, with
# three provider mailboxes.  A request for help that is not an incident:
# report, questions, answers, qualification as support, consent request;
# the attacks (consent from another address, a forged case tag without
# the token, a provider answering a case it was not introduced to) change
# nothing and reach staff; the requester's consent; the introduction; a
# decline and the re-match; an acceptance; the follow-up, whose "no help
# yet" flags the case for mediation; and a withdrawal by staff, which
# tells the provider.
. "$(dirname "$0")/../lib/test-lib.sh"

plan 48
stack_start

answer_mail() {
	"$PY" "$TEST_LIB_DIR/answer-mail.py" "$@"
}
# The JSON line of the newest message in USER's INBOX whose subject
# matches REGEX (empty if none).
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
count_with_subject() {
	imap_read "$1" list | "$PY" -c '
import json, re, sys
print(sum(1 for line in sys.stdin
          if re.search(sys.argv[1], json.loads(line).get("subject") or "")))
' "$2"
}
body_of() {
	imap_read "$1" body --uid "$(json_eval 'd["uid"]' <<<"$2")"
}
field() {
	json_eval "d[\"message-id\"]" <<<"$1"
}
show() {
	case_show "$id"
}
state_of() {
	show | json_eval 'd["state"]'
}
consent_state() {
	show | json_eval 'd["consent"]["state"]'
}
followup_sent() {
	show | json_eval 'd["qualification"]["followup_outbox"] is not None'
}
events_of() {
	show | json_eval "[e['detail'] for e in d['events'] if e['type'] == '$1']"
}

cat >"$TEST_DIR/providers.conf" <<'EOF'
providers = (
	{
		id = "alpha";
		name = "Alpha Security Volunteers";
		contacts = [ "prov1@example.test" ];
		services = [ "pentest", "awareness" ];
		regions = [ "*" ];
		languages = [ "en", "nl" ];
		capacity = { max_open_cases = 5; pledged_hours = 40; };
		offer = "Pentests and awareness sessions for hospitals.";
	},
	{
		id = "bravo";
		name = "Bravo Cyber Help";
		contacts = [ "prov2@example.test" ];
		services = [ "pentest", "awareness" ];
		regions = [ "*" ];
		languages = [ "en" ];
		capacity = { max_open_cases = 5; pledged_hours = 40; };
		offer = "Remote pentests.";
	},
	{
		id = "charlie";
		name = "Charlie Forensics";
		contacts = [ "prov3@example.test" ];
		fingerprint = "9D1E44B07C23A5F6E8B1D09C3A7E2F1045B6C8D2";
		services = [ "forensics" ];
		regions = [ "*" ];
		languages = [ "en" ];
		capacity = { max_open_cases = 5; pledged_hours = 40; };
	}
);
EOF
intaked_config "questionnaire=\"$REPO_ROOT/conf/questionnaire.conf\"" \
	"providers=\"$TEST_DIR/providers.conf\"" \
	support.answer_deadline=3600 support.followup_after=4 \
	questions.reminder_after=3600
intaked_start || BAIL_OUT "intaked did not start"

# --- report, questions, answers -> support -> consent request -----------
send_mail req1 --header "Subject: Request for help ZEBRAWORD" \
	--header "Message-ID: <t22-report@hospital-a.example.test>" \
	--body "Hello, there is no incident, but we would like a pentest of our patient portal. Regards, Jan Peeters, AZ Testziekenhuis"
wait_for '[ -n "$(ack_of req1 "<t22-report@hospital-a.example.test>")" ]' 30
ok $? "the acknowledgement arrives"
id=$(intakectl cases --json | json_eval 'd[0]["id"]')
last=$(ack_of req1 "<t22-report@hospital-a.example.test>")
# Answer whatever is asked, round after round, until nothing is missing.
for round in 1 2 3; do
	[ "$(state_of)" = waiting ] || break
	answer_mail numbered 'organisation=AZ Testziekenhuis' \
		'contact person=Jan Peeters' 'phone=+32 475 55 01 23' \
		'kind of incident=no incident' 'need from us=pentest, awareness' \
		'describe=A pentest of our patient portal before go-live' \
		<<<"$(body_of req1 "$last")" >"$TEST_DIR/answer$round.txt"
	send_mail req1 --header "Subject: Re: $(json_eval 'd["subject"]' <<<"$last")" \
		--header "Message-ID: <t22-answer$round@hospital-a.example.test>" \
		--header "In-Reply-To: $(field "$last")" \
		--body "@$TEST_DIR/answer$round.txt"
	wait_for '[ -n "$(ack_of req1 "<t22-answer'$round'@hospital-a.example.test>")" ]' 30
	last=$(ack_of req1 "<t22-answer$round@hospital-a.example.test>")
done
wait_for '[ "$(state_of)" = awaiting_consent ]' 30
ok $? "the complete case is qualified as support and waits for consent"
is "$(show | json_eval 'd["qualification"]["decision"]')" support "qualification: support"
wait_for '[ -n "$(newest_with_subject req1 "Your consent")" ]' 30
ok $? "the requester gets the consent request"
request=$(newest_with_subject req1 "Your consent")
requestbody=$(body_of req1 "$request")
like "$requestbody" 'AZ Testziekenhuis' "it says exactly which values would be shared"
like "$requestbody" 'Penetration test' "and for which kind of help, by its label"
is "$(show | json_eval 'd["consent"]["state"]')" requested "consent is requested"
is "$(imap_read prov1 list | wc -l)" 0 "no provider has heard of the case yet"

# --- attacks: nothing changes, staff hear of each ------------------------
tag=$(json_eval 'd["subject"]' <<<"$request" | grep -oE '\[CERT-[0-9]{4}-[0-9]{4}\]')
send_mail req2 --header "Subject: Re: $tag consent" \
	--header "Message-ID: <t22-other@example.test>" \
	--header "In-Reply-To: $(field "$request")" \
	--body "Yes, we consent."
wait_for '[ "$(events_of consent_rejected | grep -c other)" -ge 1 ]' 30
ok $? "consent from another address is a rejected attempt"
send_mail req1 --header "Subject: $tag yes" \
	--header "Message-ID: <t22-forged@example.test>" \
	--body "Yes, go ahead."
wait_for '[ "$(events_of consent_rejected | grep -c token)" -ge 1 ]' 30
ok $? "a yes with only the case tag, without our token, is rejected too"
is "$(show | json_eval 'd["consent"]["state"]')" requested "consent is still only requested"
send_mail prov3 --header "Subject: Re: $tag we accept" \
	--header "Message-ID: <t22-intruder@example.test>" \
	--body "We accept this case and will contact the hospital."
wait_for '[ -n "$(events_of provider_rejected)" ]' 30
ok $? "a provider answering a case it was not introduced to is rejected"
is "$(show | json_eval 'len(d["introductions"])')" 0 "no introduction was recorded"
wait_for '[ "$(count_with_subject staff "'"${tag:1:-1}"'")" -ge 3 ]' 30
ok $? "staff were told of the three attempts"

# --- consent -> introduction ---------------------------------------------
send_mail req1 --header "Subject: Re: $(json_eval 'd["subject"]' <<<"$request")" \
	--header "Message-ID: <t22-consent@hospital-a.example.test>" \
	--header "In-Reply-To: $(field "$request")" \
	--body "Yes, we consent.

Jan"
wait_for '[ "$(consent_state)" = given ]' 30
ok $? "the requester's answer to the consent request is consent"
is "$(show | json_eval 'd["consent"]["proof"]')" token "proven by the request's token"
wait_for '[ "$(imap_read prov1 list | wc -l)" -ge 1 ]' 30
ok $? "the first provider gets an introduction"
intro1=$(newest_with_subject prov1 .)
intro1body=$(body_of prov1 "$intro1")
like "$intro1body" 'AZ Testziekenhuis' "the introduction carries the consented fields"
unlike "$intro1body" 'ZEBRAWORD' "and nothing else (the report's subject is not shared)"
like "$(field "$intro1")" "intaked\.${id}\." "its Message-ID carries the case token"
wait_for '[ -n "$(newest_with_subject req1 "Volunteer help for you")" ]' 30
ok $? "the requester is told whom we introduced"
is "$(state_of)" matching "the case waits for the provider"

# --- decline -> re-match -------------------------------------------------
send_mail prov1 --header "Subject: Re: $(json_eval 'd["subject"]' <<<"$intro1")" \
	--header "Message-ID: <t22-decline@prov1.example.test>" \
	--header "In-Reply-To: $(field "$intro1")" \
	--body "Sorry, we have to decline: no capacity this month.

> $(head -n 3 <<<"$intro1body" | tail -n 1)"
wait_for '[ "$(imap_read prov2 list | wc -l)" -ge 1 ]' 30
ok $? "after the decline the next provider is introduced"
is "$(show | json_eval "[i['state'] for i in d['introductions'] if i['provider'] == 'alpha'][0]")" \
	declined "the first introduction is declined"
wait_for '[ -n "$(newest_with_subject req1 "Update on volunteer help")" ]' 30
ok $? "the requester is told of the new provider"
is "$(count_with_subject prov3 .)" 0 "the forensics provider is never introduced"

# --- accept -> in progress -> follow-up -> mediation ---------------------
intro2=$(newest_with_subject prov2 .)
send_mail prov2 --header "Subject: Re: $(json_eval 'd["subject"]' <<<"$intro2")" \
	--header "Message-ID: <t22-accept@prov2.example.test>" \
	--header "In-Reply-To: $(field "$intro2")" \
	--body "We accept. We will call Jan tomorrow."
wait_for '[ "$(state_of)" = in_progress ]' 30
ok $? "the acceptance puts the case in progress"
is "$(show | json_eval "[i['state'] for i in d['introductions'] if i['provider'] == 'bravo'][0]")" \
	accepted "the second introduction is accepted"
wait_for '[ "$(followup_sent)" = true ]' 40
ok $? "after support.followup_after the follow-up is sent"
wait_for '[ -n "$(newest_with_subject req1 "How did the help go")" ]' 30
ok $? "the requester gets the follow-up"
followup=$(newest_with_subject req1 "How did the help go")
send_mail req1 --header "Subject: Re: $(json_eval 'd["subject"]' <<<"$followup")" \
	--header "Message-ID: <t22-followup@hospital-a.example.test>" \
	--header "In-Reply-To: $(field "$followup")" \
	--body "No, no help has arrived yet."
wait_for '[ "$(state_of)" = mediation ]' 30
ok $? "\"no help yet\" flags the case for mediation"
wait_for '[ -n "$(events_of mediation)" ]' 10
ok $? "the mediation flag is on the timeline (and staff were mailed)"

# --- withdrawal by staff -------------------------------------------------
intakectl consent withdraw "$id" >/dev/null
ok $? "staff withdraw the consent on the requester's behalf"
is "$(show | json_eval 'd["consent"]["state"]')" withdrawn "consent is withdrawn"
wait_for '[ "$(imap_read prov2 list | wc -l)" -ge 2 ]' 30
ok $? "the provider introduced is told"
is "$(show | json_eval "[i['state'] for i in d['introductions'] if i['provider'] == 'bravo'][0]")" \
	withdrawn "its introduction is withdrawn"

# --- intakectl ------------------------------------------------------------
like "$(intakectl case show "$id")" 'consent: withdrawn' "case show tells the consent story"
like "$(intakectl match "$id")" 'charlie +service' "match explains why a provider is excluded"
is "$(intakectl cases --by-priority --json | json_eval "[type(c['priority']).__name__ for c in d]")" \
	'["int"]' "cases --json carries each case's priority"
render=$(intakectl template render introduction_provider --case "$id")
like "$render" 'To: .*prov1@example\.test' "template render addresses a provider mail to the provider"
like "$render" 'Organisation: AZ Testziekenhuis' "and fills the consented fields from the case"
intakectl provider hours alpha 40 --case "$id" >/dev/null
is "$(intakectl provider show alpha --json | json_eval 'd["load"]["hours_used"]')" 40 \
	"provider hours count against the pledge"
intakectl provider pause bravo --reason "holiday" >/dev/null
like "$(intakectl provider show bravo)" 'paused' "provider pause is shown"
cp "$TEST_DIR/providers.conf" "$TEST_DIR/providers.before"
intakectl provider add echo --name "Echo Help" --contact echo@example.test \
	--service forensic --region BE --language en >/dev/null 2>"$TEST_DIR/add.err"
isnt $? 0 "provider add refuses an unknown service"
cmp -s "$TEST_DIR/providers.conf" "$TEST_DIR/providers.before"
ok $? "and leaves providers.conf as it was"
intakectl provider add echo --name "Echo Help" --contact echo@example.test \
	--service forensics --region BE --language en --max-open-cases 2 >/dev/null &&
	"$INTAKED_BUILD/intaked" -n -c "$INTAKED_CONF" >/dev/null
ok $? "provider add writes a provider the daemon accepts"
like "$(intakectl providers)" 'echo' "the new provider is listed"
is "$(intakectl keys --json | json_eval "[(k['kind'], k['provider'], k['state']) for k in d]")" \
	'[["provider", "charlie", "unchecked"]]' "keys lists the providers' keys too"
intaked_stop
