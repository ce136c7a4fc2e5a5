#!/bin/bash
# t23-pgp-ahead: the intake read-ahead under stop and crash, with OpenPGP.
# Bursts of encrypted and signed reports (PGP/MIME, made with gpg) from
# four requesters whose keys are pinned arrive while intaked decrypts the
# next reports on its read-ahead thread and encrypts the acks on the
# intake thread.  SIGTERM in the middle of a burst (read-ahead holding
# prepared reports) stops intaked at once and cleanly; SIGKILL twice in
# the middle of another burst loses nothing.  In the end every report is
# processed exactly once, has exactly one ack in its requester's mailbox,
# every ack is encrypted (none went out in clear) and the read-ahead never
# had to hand a report back.
. "$(dirname "$0")/../lib/test-lib.sh"

command -v gpg >/dev/null || skip_all "gpg not installed"
N=${T23_N:-30}
plan 18

PGP_MAIL=$TEST_LIB_DIR/pgp-mail.py
G=$TEST_DIR/g
mkdir -m 700 "$G"
USERS="req1 req2 req3 req4"

gpg_in() { # HOME ARGS...
	local h=$1
	shift
	gpg --homedir "$h" --batch --no-tty "$@"
}
new_home() { # NAME UID -> prints the fingerprint
	mkdir -m 700 "$G/$1"
	gpg_in "$G/$1" --passphrase '' --quick-gen-key "$2" future-default default never >/dev/null 2>&1
	gpg_in "$G/$1" --with-colons --list-secret-keys 2>/dev/null |
		awk -F: '/^fpr:/ {print $10; exit}'
}
stop_agents() {
	local h
	for h in "$G"/*/; do gpgconf --homedir "$h" --kill all 2>/dev/null; done
	return 0
}
trap 'rc=$?; stop_agents; (exit $rc); _test_cleanup' EXIT

CERT_FPR=$(new_home c 'Example Test CERT <cert@example.test>')
declare -A FPR
for u in $USERS; do
	FPR[$u]=$(new_home "$u" "$u <$u@example.test>")
	gpg_in "$G/c" --armor --export | gpg_in "$G/$u" --import >/dev/null 2>&1
done

# db SQL [ARGS...]: one value from intaked's database.
db() {
	"$PY" - "$TEST_DIR/intaked.db" "$@" <<'PY'
import sqlite3, sys
print(sqlite3.connect(sys.argv[1], timeout=30).execute(
    sys.argv[2], sys.argv[3:]).fetchone()[0])
PY
}
processed() { # TAG: reports of that burst processed
	db "SELECT count(*) FROM messages WHERE state = 'processed' AND message_id LIKE ?" "$1-%"
}
acks_for() { # TAG: acks of that burst delivered to the requesters
	grep -c "\"in_reply_to\": \"<$1-" "$MAILSTACK_DELIVERIES"
}
make_burst() { # TAG
	local i u
	mkdir "$TEST_DIR/$1"
	set -- "$1" $USERS
	for ((i = 0; i < N; i++)); do
		u=${*:$((i % 4 + 2)):1}
		"$PY" "$PGP_MAIL" make pgp-mime --home "$G/$u" --from "$u@example.test" \
			--to "$CERT_FPR" --sign "${FPR[$u]}" --message-id "$1-$i@h.example.test" \
			--protected "Encrypted report $1 #$i" \
			--body "Ward $i of the hospital shows a ransom note since this morning ($1)." \
			>"$TEST_DIR/$1/$(printf %05d "$i")" || return 1
	done
}
send_burst() { # TAG: in the background; sets SENDER
	"$PY" "$PGP_MAIL" send-dir --port "$SMTP_PORT" --ca "$CA_FILE" \
		--connections 4 --out "$TEST_DIR/$1.jsonl" "$TEST_DIR/$1"/* \
		>"$TEST_DIR/$1.out" 2>&1 &
	SENDER=$!
	test_track_pid "$SENDER"
}
# check_burst TAG: exactly one ack per report of the burst, each in its
# requester's mailbox.
check_burst() {
	local u
	for u in $USERS; do imap_read "$u" list; done >"$TEST_DIR/acks.jsonl"
	"$PY" - "$TEST_DIR/$1.jsonl" "$TEST_DIR/acks.jsonl" <<'PY'
import collections, json, sys
sent = [json.loads(l)["message_id"] for l in open(sys.argv[1])]
got = collections.Counter(json.loads(l).get("in-reply-to") for l in open(sys.argv[2]))
dups = sum(1 for m in sent if got.get(m, 0) > 1)
missing = sum(1 for m in sent if got.get(m, 0) == 0)
print(f"reports={len(sent)} duplicates={dups} missing={missing}")
PY
}

stack_start
intaked_config "crypto.gnupg_home=\"$G/c\"" "crypto.key_fingerprint=\"$CERT_FPR\"" \
	"limits.new_cases_per_sender_per_hour=1000" \
	"limits.auto_replies_per_sender_per_hour=1000"
intaked_start || BAIL_OUT "intaked did not start"

# Warm-up: each requester's key arrives with a report and is pinned.
for u in $USERS; do
	"$PY" "$PGP_MAIL" make pgp-mime --home "$G/$u" --from "$u@example.test" \
		--to "$CERT_FPR" --sign "${FPR[$u]}" --attach-key \
		--message-id "warm-$u@h.example.test" --body "Warm-up, our key." >"$TEST_DIR/warm-$u"
	"$PY" "$PGP_MAIL" send --port "$SMTP_PORT" --ca "$CA_FILE" \
		--user "$u@example.test" --password "pw-$u" "$TEST_DIR/warm-$u"
done
wait_for '[ "$(acks_for warm)" -ge 4 ]' 60
ok $? "the four warm-up reports are answered"
is "$(db "SELECT count(*) FROM keys WHERE state = 'pinned'")" 4 "the four requesters' keys are pinned"
make_burst ta || BAIL_OUT "could not make burst ta"
make_burst tb || BAIL_OUT "could not make burst tb"

# --- SIGTERM while the read-ahead holds prepared reports ---------------------
# The burst waits in the mailbox, so the watcher stores it in one batch
# and the read-ahead always has the next reports to prepare.
intaked_stop
send_burst ta
wait "$SENDER"
ok $? "burst ta: all $N reports submitted"
intaked_start || BAIL_OUT "intaked did not restart"
wait_for '[ "$(processed ta)" -ge 5 ]' 60 0.05
ok $? "burst ta: processing has started"
start=${EPOCHREALTIME/./}
intaked_stop
ok $? "SIGTERM in the middle of the burst: intaked exits with status 0"
took=$(((${EPOCHREALTIME/./} - start) / 1000))
diag "stopped after ${took} ms with $(processed ta) of $N processed"
ok "$([ "$took" -lt 5000 ] && echo 0 || echo 1)" "it stops after the current step, within 5 s"
like "$(grep 'intake.stopping' "$TEST_DIR/intaked.log")" 'prepared_dropped=[1-9]' \
	"the read-ahead held prepared reports when it stopped"
like "$(tail -n 3 "$TEST_DIR/intaked.log")" 'daemon.stopped' "the log ends with daemon.stopped"
intaked_start || BAIL_OUT "intaked did not restart"
wait_for '[ "$(acks_for ta)" -ge '"$N"' ]' $((60 + N))
ok $? "burst ta: after the restart every report is answered"

# --- SIGKILL twice in the middle of a burst -----------------------------------
send_burst tb
wait_for '[ "$(processed tb)" -ge 3 ]' 60 0.05
intaked_kill
diag "SIGKILL #1 with $(processed tb) of $N processed"
intaked_start || BAIL_OUT "intaked did not restart"
sleep "0.$((RANDOM % 9 + 1))"
intaked_kill
diag "SIGKILL #2 with $(processed tb) of $N processed"
intaked_start || BAIL_OUT "intaked did not restart"
wait "$SENDER"
ok $? "burst tb: all $N reports submitted"
wait_for '[ "$(acks_for tb)" -ge '"$N"' ]' $((60 + N))
ok $? "burst tb: after the crashes every report is answered"
# Late duplicates would arrive now.
sleep 3

is "$(db "SELECT count(*) FROM messages WHERE state = 'received'")" 0 "no message is left received"
is "$(case_count)" $((4 + 2 * N)) "exactly one case per report"
is "$(check_burst ta)" "reports=$N duplicates=0 missing=0" "burst ta: exactly one ack per report"
is "$(check_burst tb)" "reports=$N duplicates=0 missing=0" "burst tb: exactly one ack per report"
is "$(db "SELECT count(*) FROM outbox WHERE kind = 'ack' AND instr(raw, 'multipart/encrypted') = 0")" 0 \
	"no ack was queued in clear"
is "$(db "SELECT count(*) FROM outbox WHERE kind = 'ack' AND state = 'sent'")" $((4 + 2 * N)) \
	"every ack is sent"
is "$(grep -c 'intake.ahead' "$TEST_DIR/intaked.log")" 0 "the read-ahead never handed a report back"
intaked_stop
stop_agents
