#!/bin/bash
# demo.sh — `make demo`: intaked end to end on this machine, in seconds.
#
# Installs missing Debian packages (contrib/install-deps.sh), builds, starts
# a private Dovecot + SMTP relay on loopback in a temp dir
# (tests/lib/mailstack.sh), starts intaked against it, sends the sample
# reports in contrib/demo-mail/ with swaks (English, Dutch, French, German
# and an HTML-only Outlook mail), waits for every acknowledgement to arrive
# in the requesters' mailboxes, and prints the cases and the
# acknowledgements read back over IMAP.  Then one request for support goes
# the whole way: questions and answers, the consent request, the
# requester's consent, the introduction to a volunteer provider
# (contrib/demo-providers.conf) and the provider's acceptance.  Everything
# it started is stopped on exit; nothing outside the temp dir is touched
# (except the packages).
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 1

bash contrib/install-deps.sh || exit 1
if [ -z "${INTAKED_BUILD:-}" ]; then
	make -s -j2 all || exit 1
fi

# test-lib.sh gives the temp dir, the cleanup trap and the helpers.
# shellcheck source=tests/lib/test-lib.sh
. tests/lib/test-lib.sh

t0=${EPOCHREALTIME/./}
elapsed() {
	printf '%d.%02d s' $(((${EPOCHREALTIME/./} - t0) / 1000000)) \
		$((((${EPOCHREALTIME/./} - t0) / 10000) % 100))
}

echo "== starting Dovecot (IMAP, submission) and the SMTP relay in $TEST_DIR"
stack_start
echo "   IMAPS 127.0.0.1:$IMAPS_PORT, submission 127.0.0.1:$SMTP_PORT (STARTTLS), CA $CA_FILE"

intaked_config "questionnaire=\"$ROOT/conf/questionnaire.conf\"" \
	"providers=\"$ROOT/contrib/demo-providers.conf\""
echo "== starting intaked -c $INTAKED_CONF"
"$INTAKED_BUILD/intaked" -n -c "$INTAKED_CONF" || {
	echo "demo: the generated configuration does not check" >&2
	exit 1
}
intaked_start || exit 1

# Sample reports: file and sender.
declare -A sender=(
	[1-en-ransomware.eml]=req1
	[2-nl-lockbit.eml]=req2
	[3-fr-phishing.eml]=req3
	[4-de-trojaner.eml]=req4
	[5-nl-outlook-html.eml]=req1
)
declare -A expected=()
echo "== sending $(ls contrib/demo-mail/*.eml | wc -l) reports with swaks"
for f in contrib/demo-mail/*.eml; do
	name=$(basename "$f")
	user=${sender[$name]:-req1}
	if ! send_mail "$user" --data "$f"; then
		echo "demo: swaks failed for $name:" >&2
		tail -n 20 "$TEST_DIR/swaks.log" >&2
		exit 1
	fi
	expected[$user]=$((${expected[$user]:-0} + 1))
	printf '   %-26s from %s@example.test\n' "$name" "$user"
done

echo "== waiting for the acknowledgements"
for user in $(printf '%s\n' "${!expected[@]}" | sort); do
	if ! imap_read "$user" wait --count "${expected[$user]}" --timeout 30 >/dev/null; then
		echo "demo: $user@example.test got $(mailbox_count "$user") of ${expected[$user]} acknowledgements after 30 s" >&2
		echo "--- intaked.log:" >&2
		tail -n 30 "$TEST_DIR/intaked.log" >&2
		exit 1
	fi
done
echo "   all arrived after $(elapsed)"

echo
echo "== intakectl cases"
intakectl cases
echo
for user in $(printf '%s\n' "${!expected[@]}" | sort); do
	echo "== acknowledgements in $user@example.test's INBOX"
	imap_read "$user" list | while IFS= read -r line; do
		uid=$(json_eval 'd["uid"]' <<<"$line")
		json_eval '"   Subject:     " + str(d["subject"]) + "\n   From:        " + str(d["from"]) + "\n   In-Reply-To: " + str(d["in-reply-to"]) + "\n   Auto-Submitted: " + str(d["auto-submitted"])' <<<"$line"
		imap_read "$user" body --uid "$uid" | head -n 8 | sed 's/^/   | /'
		echo
	done
done

# --- a request for support, from report to introduction ----------------
newest() { # USER REGEX: the newest message of USER whose subject matches
	imap_read "$1" list | "$PY" -c '
import json, re, sys
last = ""
for line in sys.stdin:
    if re.search(sys.argv[1], json.loads(line).get("subject") or ""):
        last = line
print(last, end="")
' "$2"
}
body() { # USER JSON_LINE
	imap_read "$1" body --uid "$(json_eval 'd["uid"]' <<<"$2")"
}
reply() { # USER JSON_LINE MESSAGE_ID BODY
	send_mail "$1" --header "Subject: Re: $(json_eval 'd["subject"]' <<<"$2")" \
		--header "Message-ID: $3" \
		--header "In-Reply-To: $(json_eval 'd["message-id"]' <<<"$2")" \
		--body "$4"
}
waitfor() { # WHAT CONDITION
	wait_for "$2" 30 || {
		echo "demo: no $1 after 30 s; last lines of intaked.log:" >&2
		tail -n 20 "$TEST_DIR/intaked.log" >&2
		exit 1
	}
}
show() {
	intakectl case show "$id" --json | json_eval "$1"
}

echo "== a request for support from req4@example.test: not an incident"
send_mail req4 --header "Subject: Pentest before go-live" \
	--header "Message-ID: <demo-support@az-demo.example.test>" \
	--body "Hello, there is no incident. We would like a pentest of our new patient portal before it goes live. Regards, Jan Peeters, AZ Demo"
waitfor "acknowledgement" '[ -n "$(ack_of req4 "<demo-support@az-demo.example.test>")" ]'
id=$(intakectl cases --json | json_eval "[c['id'] for c in d if req(c) == 'req4@example.test'][0]")
last=$(ack_of req4 "<demo-support@az-demo.example.test>")
for round in 1 2 3; do
	[ "$(show 'd["state"]')" = waiting ] || break
	echo "   case $id asks: $(body req4 "$last" | grep -cE '^[0-9]{1,2}\. ') questions; req4 answers them"
	"$PY" tests/lib/answer-mail.py numbered 'organisation=AZ Demo' \
		'contact person=Jan Peeters' 'phone=+32 475 55 01 23' \
		'kind of incident=no incident' 'need from us=pentest' \
		'describe=A pentest of the patient portal' \
		<<<"$(body req4 "$last")" >"$TEST_DIR/answers$round.txt"
	reply req4 "$last" "<demo-answers$round@az-demo.example.test>" "@$TEST_DIR/answers$round.txt"
	waitfor "answer to the answers" '[ -n "$(ack_of req4 "<demo-answers'$round'@az-demo.example.test>")" ]'
	last=$(ack_of req4 "<demo-answers$round@az-demo.example.test>")
done
waitfor "consent request" '[ -n "$(newest req4 "Your consent")" ]'
request=$(newest req4 "Your consent")
echo "   qualified: $(show 'd["qualification"]["decision"]'); the consent request reads:"
body req4 "$request" | sed -n '1,24p' | sed 's/^/   | /'
echo "== intakectl match $id: whom intaked would introduce, and why"
intakectl match "$id" | sed 's/^/   /'
echo "== req4 answers the consent request: \"Yes, we consent.\""
reply req4 "$request" "<demo-consent@az-demo.example.test>" "Yes, we consent."
waitfor "introduction" '[ "$(show "len(d[\"introductions\"])")" -ge 1 ]'
provider=$(show 'd["introductions"][0]["provider"]')
address=$(show 'd["introductions"][0]["address"]')
user=${address%@*}
waitfor "introduction mail" '[ -n "$(newest "$user" .)" ]'
intro=$(newest "$user" .)
echo "== the introduction in $address's INBOX (only the consented fields)"
echo "   Subject: $(json_eval 'd["subject"]' <<<"$intro")"
body "$user" "$intro" | sed -n '1,22p' | sed 's/^/   | /'
echo "== $provider accepts"
reply "$user" "$intro" "<demo-accept@provider.example.test>" "We accept. We will call Jan tomorrow."
waitfor "acceptance" '[ "$(show "d[\"state\"]")" = in_progress ]'
echo
echo "== intakectl case show $id (the support part)"
intakectl case show "$id" | sed -n '/^Support/,$p' | sed 's/^/   /'

intaked_stop
echo "== done in $(elapsed); stopping everything"
