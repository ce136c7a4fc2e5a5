#!/bin/bash
# bench/pgp.sh — `make bench`, OpenPGP part: encrypted and signed reports
# in, encrypted and signed acknowledgements out, against the cost of the
# bare gpg operations on the same messages.
#
# Starts the test mail stack and intaked with a CERT key (ed25519/cv25519)
# in its own GnuPG home; req1..req4 each have a key of their own, pinned by
# a warm-up report that carries it.  Then BENCH_PGP_N (default 100) PGP/MIME
# reports, encrypted to the CERT and signed by their sender (made with gpg
# beforehand), are submitted over BENCH_CONNECTIONS (default 4) sessions,
# and the script waits until every acknowledgement (encrypted to the
# requester and signed by the CERT) is delivered.  Prints key=value lines:
#   pgp_throughput_reports_per_s  reports / (last ack delivered - first
#                                 report accepted)
#   pgp_ms_per_report             the inverse, in ms
#   pgp_ack_latency_p50_ms/p95    SMTP acceptance of a report -> delivery
#                                 of its ack into the requester's mailbox
#   bare_gpg_ms_per_report        per report, from the shell, sequential:
#                                 one `gpg --decrypt` (decrypt and verify)
#                                 of the report's encrypted part plus one
#                                 `gpg --encrypt --sign` of its plaintext to
#                                 the requester and the CERT, in the CERT's
#                                 home with the same agent; measured before
#                                 and after the daemon run, the mean of both
#   pgp_vs_bare                   pgp_ms_per_report / bare_gpg_ms_per_report
#   intake_ms_per_report          the intake stage alone: `intakectl import`
#                                 of the same reports (decrypt, verify,
#                                 case, ack encrypted+signed, queued), whole
#                                 command including its start-up
#   intake_vs_bare                intake_ms_per_report / bare_gpg_ms_per_report
# A sample ack is decrypted and its signature checked with gpg.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 1
N=${BENCH_PGP_N:-100}
CONNECTIONS=${BENCH_CONNECTIONS:-4}

# shellcheck source=tests/lib/test-lib.sh
. tests/lib/test-lib.sh

[ -x "$INTAKED_BUILD/intaked" ] || { echo "bench: build first (make)" >&2; exit 1; }
PGP_MAIL=$TEST_LIB_DIR/pgp-mail.py
G=$TEST_DIR/g
mkdir -m 700 "$G"
USERS="req1 req2 req3 req4"

gpg_in() {
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

CERT_FPR=$(new_home c 'Bench CERT <cert@example.test>')
declare -A FPR
for u in $USERS; do
	FPR[$u]=$(new_home "$u" "$u <$u@example.test>")
	gpg_in "$G/c" --armor --export | gpg_in "$G/$u" --import >/dev/null 2>&1
done

stack_start
intaked_config "log_level=\"${BENCH_LOG_LEVEL:-warning}\"" \
	"crypto.gnupg_home=\"$G/c\"" "crypto.key_fingerprint=\"$CERT_FPR\""
intaked_start || exit 1

# Warm-up: one report per requester carrying its key, so that every key is
# pinned and intaked is logged in and idling.
for u in $USERS; do
	"$PY" "$PGP_MAIL" make pgp-mime --home "$G/$u" --from "$u@example.test" \
		--to "$CERT_FPR" --sign "${FPR[$u]}" --attach-key \
		--message-id "warm-$u@bench.example.test" \
		--body "Warm-up report, please ignore." >"$TEST_DIR/warm-$u" &&
		"$PY" "$PGP_MAIL" send --port "$SMTP_PORT" --ca "$CA_FILE" \
			--user "$u@example.test" --password "pw-$u" "$TEST_DIR/warm-$u" ||
		{ echo "bench: warm-up send failed" >&2; exit 1; }
done
for u in $USERS; do
	imap_read "$u" wait --count 1 --timeout 60 >/dev/null ||
		{ echo "bench: no ack for $u's warm-up" >&2; tail "$TEST_DIR/intaked.log" >&2; exit 1; }
done

# The bare cost: the same reports, the same agent, from the shell.  Prints
# the microseconds it took for all N.
bare_gpg() {
	local f i=0 u start
	set -- $USERS
	start=${EPOCHREALTIME/./}
	for f in "$TEST_DIR"/reports/*.asc; do
		u=${*:$((i % $# + 1)):1}
		gpg_in "$G/c" --trust-model always --decrypt "$f" 2>/dev/null >"$TEST_DIR/plain" || return 1
		gpg_in "$G/c" --trust-model always --armor --encrypt --sign \
			--recipient "${FPR[$u]}" --recipient "$CERT_FPR" \
			<"$TEST_DIR/plain" >/dev/null 2>&1 || return 1
		i=$((i + 1))
	done
	echo $((${EPOCHREALTIME/./} - start))
}

echo "bench: making $N encrypted and signed reports with gpg" >&2
mkdir "$TEST_DIR/reports"
set -- $USERS
for ((i = 0; i < N; i++)); do
	u=${*:$((i % $# + 1)):1}
	"$PY" "$PGP_MAIL" make pgp-mime --home "$G/$u" --from "$u@example.test" \
		--to "$CERT_FPR" --sign "${FPR[$u]}" --message-id "pgpbench-$i@bench.example.test" \
		--protected "Encrypted incident report #$i" \
		--body "Hello CERT, since this morning the file server of ward $i shows encrypted files and a ransom note. We isolated it. Regards, IT" \
		>"$TEST_DIR/reports/$(printf %05d "$i")" || exit 1
done

"$PY" - "$TEST_DIR/reports" <<'PY'
import email, os, sys
d = sys.argv[1]
for name in sorted(os.listdir(d)):
    m = email.message_from_bytes(open(os.path.join(d, name), "rb").read())
    open(os.path.join(d, name + ".asc"), "wb").write(
        m.get_payload()[1].get_payload(decode=True))
PY
# The machine's load changes between phases: the bare cost is measured
# before and after the daemon run, and the mean is the reference.
echo "bench: bare gpg on the same $N reports" >&2
bare_before=$(bare_gpg) || { echo "bench: bare gpg failed" >&2; exit 1; }

echo "bench: submitting $N reports over $CONNECTIONS connections" >&2
"$PY" "$PGP_MAIL" send-dir --port "$SMTP_PORT" --ca "$CA_FILE" \
	--connections "$CONNECTIONS" --out "$TEST_DIR/sent.jsonl" "$TEST_DIR"/reports/????? ||
	{ echo "bench: sending failed" >&2; exit 1; }
acked() {
	grep -c '"in_reply_to": "<pgpbench-' "$MAILSTACK_DELIVERIES"
}
timeout=$((60 + N))
wait_for '[ "$(acked)" -ge '"$N"' ]' "$timeout" 0.2 || {
	echo "bench: only $(acked) of $N acks after ${timeout}s" >&2
	tail -n 20 "$TEST_DIR/intaked.log" >&2
	exit 1
}
rss=$(awk '/^VmHWM:/ {print $2}' "/proc/$INTAKED_PID/status")
line=$(ack_of req1 "<pgpbench-0@bench.example.test>")
imap_read req1 fetch --uid "$(json_eval 'd["uid"]' <<<"$line")" >"$TEST_DIR/sample-ack"
sample=$("$PY" "$PGP_MAIL" check --home "$G/req1" "$TEST_DIR/sample-ack")
intaked_stop


bare_after=$(bare_gpg) || { echo "bench: bare gpg failed" >&2; exit 1; }

# The intake stage alone on the same reports: `intakectl import` (the
# same pipeline, no mail stack competing for the CPU) into a fresh
# database holding the same pinned keys, so every ack is encrypted+signed.
sed "s#^database = .*#database = \"$TEST_DIR/import.db\";#" "$INTAKED_CONF" >"$TEST_DIR/import.conf"
"$INTAKED_BUILD/intakectl" -c "$TEST_DIR/import.conf" keys >/dev/null || exit 1
"$PY" - "$TEST_DIR/intaked.db" "$TEST_DIR/import.db" <<'PY'
import sqlite3, sys
src, dst = sqlite3.connect(sys.argv[1]), sqlite3.connect(sys.argv[2])
dst.executemany("INSERT INTO keys VALUES (?, ?, ?, ?, ?, ?)", src.execute(
    "SELECT address, fingerprint, first_seen, last_seen, state, source "
    "FROM keys"))
dst.commit()
PY
mkdir -p "$TEST_DIR/maildir/new" "$TEST_DIR/maildir/cur"
for f in "$TEST_DIR"/reports/?????; do cp "$f" "$TEST_DIR/maildir/new/"; done
import_start=${EPOCHREALTIME/./}
"$INTAKED_BUILD/intakectl" -c "$TEST_DIR/import.conf" import "$TEST_DIR/maildir" >"$TEST_DIR/import.out" || exit 1
import_end=${EPOCHREALTIME/./}
encrypted=$("$PY" -c '
import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute(
    "SELECT count(*) FROM outbox WHERE state = ? AND kind = ? AND "
    "instr(raw, ?) > 0", ("queued", "ack", b"multipart/encrypted")).fetchone()[0])
' "$TEST_DIR/import.db")

"$PY" - "$TEST_DIR/sent.jsonl" "$MAILSTACK_DELIVERIES" "$bare_before" "$bare_after" "$N" "$rss" "$sample" \
	"$import_start" "$import_end" "$encrypted" <<'PY'
import json, math, sys
sent = {}
for line in open(sys.argv[1]):
    s = json.loads(line)
    sent[s["message_id"]] = s["accepted"]
acks = {}
for line in open(sys.argv[2]):
    d = json.loads(line)
    irt = d.get("in_reply_to")
    if irt in sent and irt not in acks:
        acks[irt] = d["time"]
lat = sorted((acks[m] - sent[m]) * 1000 for m in acks)

def pct(p):
    k = max(0, min(len(lat) - 1, math.ceil(p / 100 * len(lat)) - 1))
    return lat[k]

n = int(sys.argv[5])
elapsed = max(acks.values()) - min(sent.values())
ms_per = elapsed * 1000 / len(acks)
bare_before = int(sys.argv[3]) / 1000 / n
bare_after = int(sys.argv[4]) / 1000 / n
bare = (bare_before + bare_after) / 2
sample = json.loads(sys.argv[7])
print(f"pgp_reports={len(sent)}")
print(f"pgp_acks={len(acks)}")
print(f"pgp_sample_ack_encrypted={str(sample['decrypted']).lower()}")
print(f"pgp_sample_ack_cert_signature={'good' if sample['signed_by'] else 'missing'}")
print(f"pgp_elapsed_s={elapsed:.2f}")
print(f"pgp_throughput_reports_per_s={len(acks) / elapsed:.1f}")
print(f"pgp_ms_per_report={ms_per:.1f}")
print(f"pgp_ack_latency_p50_ms={pct(50):.0f}")
print(f"pgp_ack_latency_p95_ms={pct(95):.0f}")
print(f"pgp_ack_latency_max_ms={lat[-1]:.0f}")
intake = (int(sys.argv[9]) - int(sys.argv[8])) / 1000 / n
print(f"bare_gpg_ms_per_report={bare:.1f}")
print(f"bare_gpg_ms_before={bare_before:.1f}")
print(f"bare_gpg_ms_after={bare_after:.1f}")
print(f"pgp_vs_bare={ms_per / bare:.2f}")
print(f"intake_encrypted_acks={sys.argv[10]}")
print(f"intake_ms_per_report={intake:.1f}")
print(f"intake_vs_bare={intake / bare:.2f}")
print(f"intaked_peak_rss_kb={sys.argv[6]}")
PY
