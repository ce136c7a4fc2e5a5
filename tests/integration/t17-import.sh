#!/bin/bash
# t17-import: `intakectl import` of a .eml file, a Maildir and an mbox runs
# the same intake pipeline as the IMAP watcher: cases and queued acks,
# which the daemon then sends.
. "$(dirname "$0")/../lib/test-lib.sh"

plan 22
stack_start
intaked_config

mail() {
	# $1 user, $2 id, $3 subject, $4 body
	printf '%s\n' "From: $1@example.test" "To: cert@example.test" \
		"Subject: $3" "Message-ID: <t17-$2@$1.example.test>" \
		"Date: Mon, 02 Mar 2026 08:00:00 +0100" "MIME-Version: 1.0" \
		"Content-Type: text/plain; charset=utf-8" \
		"Content-Transfer-Encoding: 8bit" "" "$4"
}
NL="Goedemorgen, vanochtend om 7u zagen we dat alle bestanden op de fileserver .lockbit hebben, spoed ligt stil, backups onduidelijk. Bel 0475 55 01 23 — Jan, IT AZ Voorbeeld Gent"
EN="Hello, our e-mail server was used to send spam overnight; two accounts look compromised. Regards, IT"

mail req1 eml "Bestanden versleuteld" "$NL" >"$TEST_DIR/report.eml"

md=$TEST_DIR/Maildir
mkdir -p "$md/new" "$md/cur" "$md/tmp"
mail req2 md1 "Spam from our server" "$EN" >"$md/new/1700000000.M1P1.test"
mail req2 md2 "Second incident" "$EN Also: a second unrelated issue." >"$md/cur/1700000001.M2P1.test:2,S"

{
	echo "From req3@example.test Mon Mar  2 08:00:00 2026"
	mail req3 mb1 "Phishing" "$EN"
	echo ">From the logs we see logins from abroad."
	echo
	echo "From req4@example.test Mon Mar  2 08:05:00 2026"
	mail req4 mb2 "Defacement" "Hello, our public website was defaced. IT"
	echo
} >"$TEST_DIR/mail.mbox"

intakectl import "$TEST_DIR/report.eml"
ok $? "import of a .eml file succeeds"
is "$(case_count)" 1 "one case"
outbox=$(intakectl outbox --json)
is "$(json_eval 'len(d)' <<<"$outbox")" 1 "one ack queued"
is "$(json_eval 'd[0]["state"]' <<<"$outbox")" queued "the ack is queued"
is "$(json_eval 'd[0]["kind"]' <<<"$outbox")" ack "kind ack"

intakectl import "$md"
ok $? "import of a Maildir succeeds"
is "$(case_count)" 3 "two more cases (new/ and cur/)"
intakectl import "$TEST_DIR/mail.mbox"
ok $? "import of an mbox succeeds"
is "$(case_count)" 5 "two more cases from the mbox"
is "$(intakectl outbox --json | json_eval "len([e for e in d if e['state'] == 'queued'])")" 5 \
	"five acks queued"

intakectl import "$TEST_DIR/report.eml" >/dev/null 2>&1
is "$(case_count)" 5 "importing the same message again opens no case"
is "$(intakectl outbox --json | json_eval 'len(d)')" 5 "and queues nothing"

# The daemon sends what the CLI queued.
intaked_start || BAIL_OUT "intaked did not start"
wait_for '[ "$(mailbox_count req2)" -ge 2 ] && [ "$(mailbox_count req4)" -ge 1 ]' 30
ok $? "the queued acks are delivered by the daemon"
isnt "$(ack_of req1 "<t17-eml@req1.example.test>")" "" "req1's ack answers the imported .eml"
isnt "$(ack_of req3 "<t17-mb1@req3.example.test>")" "" "req3's ack answers the first mbox message"

# The same report through the watcher gives the same case data.
mail req4 watcher "Bestanden versleuteld" "$NL" >"$TEST_DIR/watcher.eml"
send_mail req4 --data "$TEST_DIR/watcher.eml"
wait_cases 6 30
ok $? "the same report through IMAP becomes a case"
cases=$(intakectl cases --json)
imported=$(json_eval "[c for c in d if req(c) == 'req1@example.test'][0]" <<<"$cases")
watched=$(json_eval "[c for c in d if req(c) == 'req4@example.test' and c['language'] == 'nl'][:1]" <<<"$cases")
is "$(json_eval 'd["language"]' <<<"$imported")" nl "imported Dutch report: language nl"
# Field values, without the ones that name the sender or a message.
values='sorted((k, v.get("value") if isinstance(v, dict) else v) for k, v in F.items() if k not in ("contact_email", "contact_name"))'
is "$(json_eval "[d[0]['language'], ${values//F/d[0][\"fields\"]}] if d else None" <<<"$watched")" \
	"$(json_eval "[d['language'], ${values//F/d[\"fields\"]}]" <<<"$imported")" \
	"watcher and import give the same language and field values"
intaked_stop

# Staff correct a field; with the questionnaire configured the value is
# normalised (a Belgian number in international form) and unknown fields
# are refused.  The correction is on the timeline.
intaked_config "$INTAKED_CONF" "questionnaire=\"$REPO_ROOT/conf/questionnaire.conf\""
id=$(json_eval 'd["id"]' <<<"$imported")
intakectl case set "$id" country BE >/dev/null
intakectl case set "$id" contact_phone "0475 55 01 23" >/dev/null
is "$(intakectl case show "$id" --json | json_eval 'd["fields"]["contact_phone"]["value"] + " " + d["fields"]["contact_phone"]["source"]')" \
	"+32475550123 staff" "case set stores a normalised staff value"
intakectl case set "$id" no_such_field x >/dev/null 2>&1
isnt $? 0 "case set refuses a field the questionnaire does not have"
intakectl case set "$id" care_impact "purple elephant" >/dev/null 2>&1
isnt $? 0 "case set refuses a value the field does not allow"
like "$(intakectl case show "$id" --json | json_eval '[e["detail"] for e in d["events"] if e["type"] == "field_set"]')" \
	'contact_phone set to' "the correction is on the timeline"
