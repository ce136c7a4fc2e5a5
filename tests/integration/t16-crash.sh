#!/bin/bash
# t16-crash: 200 reports arrive while intaked is killed with SIGKILL three
# times at random moments and restarted.  In the end: exactly 200 cases,
# every report processed exactly once, exactly one ack per report.
. "$(dirname "$0")/../lib/test-lib.sh"

N=${T16_N:-200}
plan 11
stack_start
intaked_config
intaked_start || BAIL_OUT "intaked did not start"

# rand_sleep MIN_MS MAX_MS
rand_sleep() {
	local ms=$(($1 + RANDOM % ($2 - $1 + 1)))
	sleep "$((ms / 1000)).$(printf '%03d' $((ms % 1000)))"
	echo "$ms"
}

send_many --count "$N" --tag t16 --connections 4 --out "$TEST_DIR/sent.jsonl" \
	>"$TEST_DIR/send-many.out" 2>&1 &
sender=$!
test_track_pid "$sender"

kills=0
crash() {
	intaked_kill
	kills=$((kills + 1))
	diag "SIGKILL #$kills ($1); $(wc -l <"$MAILSTACK_DELIVERIES") mails delivered so far"
	intaked_start || BAIL_OUT "intaked did not restart"
}
crash "after $(rand_sleep 300 1500) ms"
crash "after $(rand_sleep 300 2000) ms more"
# The third one while acks are going out.
wait_for '[ "$(grep -c "\"rcpt_to\": \[\"req" "$MAILSTACK_DELIVERIES")" -ge $((N / 4)) ]' 120 0.1
crash "after $(rand_sleep 0 700) ms into sending acks"

wait "$sender"
ok $? "$N reports submitted"
is "$(wc -l <"$TEST_DIR/sent.jsonl")" "$N" "all $N accepted by the server"
is "$kills" 3 "intaked was killed three times"

wait_processed "$N" 240
ok $? "all $N reports moved to Processed"
wait_cases "$N" 120
ok $? "$N cases exist"

acks_total() {
	local u t=0 n
	for u in req1 req2 req3 req4; do
		n=$(mailbox_count "$u")
		t=$((t + ${n:-0}))
	done
	echo "$t"
}
wait_for '[ "$(acks_total)" -ge '"$N"' ]' 240 1
ok $? "$N acks delivered"
# Late duplicates would arrive now.
sleep 5
is "$(case_count)" "$N" "exactly $N cases"
is "$(acks_total)" "$N" "exactly $N acks in the requesters' mailboxes"

# Every requester holds exactly one ack per report it sent.
for u in req1 req2 req3 req4; do
	imap_read "$u" list
done >"$TEST_DIR/acks.jsonl"
"$PY" - "$TEST_DIR/sent.jsonl" "$TEST_DIR/acks.jsonl" >"$TEST_DIR/acks.check" <<'PY'
import collections, json, sys
sent = [json.loads(l) for l in open(sys.argv[1])]
acks = [json.loads(l) for l in open(sys.argv[2])]
want = {s["message_id"]: s["from"] for s in sent}
got = collections.Counter(a["in-reply-to"] for a in acks)
dups = {k: v for k, v in got.items() if v > 1}
missing = [m for m in want if got.get(m, 0) == 0]
stray = [m for m in got if m not in want]
print(f"duplicates={len(dups)} missing={len(missing)} stray={len(stray)}")
for k in list(dups)[:5]: print("duplicate ack for", k)
for k in missing[:5]: print("no ack for", k)
PY
is "$(head -n 1 "$TEST_DIR/acks.check")" "duplicates=0 missing=0 stray=0" \
	"one ack per report, none missing, none stray"
[ "$(head -n 1 "$TEST_DIR/acks.check")" = "duplicates=0 missing=0 stray=0" ] ||
	diag "$(cat "$TEST_DIR/acks.check")"

# Every report is on exactly one case's timeline, once.
intakectl cases --json >"$TEST_DIR/cases.json"
"$PY" - "$INTAKED_BUILD/intakectl" "$INTAKED_CONF" "$TEST_DIR/cases.json" \
	"$TEST_DIR/sent.jsonl" >"$TEST_DIR/timeline.check" <<'PY'
import collections, json, subprocess, sys
ctl, conf, cases, sent = sys.argv[1:5]
seen = collections.Counter()
for c in json.load(open(cases)):
    out = subprocess.run([ctl, "-c", conf, "case", "show", str(c["id"]), "--json"],
                         capture_output=True, check=True).stdout
    for m in json.loads(out).get("messages", []):
        if m.get("direction") == "in":
            seen[(m.get("message_id") or "").strip("<>")] += 1
want = [json.loads(l)["message_id"].strip("<>") for l in open(sent)]
bad = [m for m in want if seen.get(m) != 1]
extra = [m for m in seen if m not in want]
print(f"bad={len(bad)} extra={len(extra)}")
for m in bad[:5]: print("report", m, "seen", seen.get(m, 0), "times")
PY
is "$(head -n 1 "$TEST_DIR/timeline.check")" "bad=0 extra=0" \
	"every report recorded exactly once on one case"
[ "$(head -n 1 "$TEST_DIR/timeline.check")" = "bad=0 extra=0" ] ||
	diag "$(cat "$TEST_DIR/timeline.check")"

is "$(intakectl outbox --json | json_eval "len([e for e in d if e.get('state') == 'sent'])")" "$N" \
	"$N outbox entries sent"
intaked_stop
