#!/bin/bash
# demo.sh — `make demo`: intaked end to end on this machine, in seconds.
#
# Installs missing Debian packages (contrib/install-deps.sh), builds, starts
# a private Dovecot + SMTP relay on loopback in a temp dir
# (tests/lib/mailstack.sh), starts intaked against it, sends the sample
# reports in contrib/demo-mail/ with swaks (English, Dutch, French, German
# and an HTML-only Outlook mail), waits for every acknowledgement to arrive
# in the requesters' mailboxes, and prints the cases and the
# acknowledgements read back over IMAP.  Everything it started is stopped on
# exit; nothing outside the temp dir is touched (except the packages).
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

intaked_config
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

intaked_stop
echo "== done in $(elapsed); stopping everything"
