#!/bin/bash
# bench/run.sh — `make bench`: end-to-end figures for intaked on this
# machine.  Starts the test mail stack and intaked, sends BENCH_N reports
# (default 300) as fast as a small Python sender with BENCH_CONNECTIONS
# (default 4) connections can, and waits until every acknowledgement is
# delivered.  The reports go in as a hospital's mail does, through the
# CERT's MX: plain SMTP to the stack's relay, which delivers them over
# LMTP (BENCH_INBOUND=mx, the default).  BENCH_INBOUND=submission sends
# them through Dovecot's submission service with STARTTLS and AUTH
# instead, as before 2026-12-03 (session 10): two more TLS sessions'
# worth of work for the stack per report.  intaked's own mail always goes
# out through submission.  Prints plain key=value lines:
#   throughput_reports_per_s   reports / (last ack delivered - first report
#                              accepted)
#   ack_latency_p50_ms/p95/p99 SMTP acceptance of a report (250 to DATA)
#                              -> delivery of its ack into the requester's
#                              mailbox (the relay's LMTP delivery time,
#                              recorded with sub-ms resolution)
#   intaked_peak_rss_kb        VmHWM of intaked at the end
#   intaked_cpu_ms_per_report  CPU time (user + system) intaked spent per
#                              report during the burst, from /proc
#   machine_cpu_ms_per_report  CPU time of the whole machine per report in
#                              the same interval (intaked, the mail stack,
#                              the sender, and anything else running): the
#                              difference is what the test stack costs
# Acks are matched to reports by In-Reply-To, and counted again over IMAP.
# BENCH_QUESTIONNAIRE=1 runs with conf/questionnaire.conf.
# BENCH_RATE=R offers the reports evenly at R per second (the sustained
# case) instead of as fast as they are accepted (a burst); `make bench`
# offers 2000 at 110/s over 8 connections (with 4, one slow reply holds
# back a quarter of the offer).  Then these tell whether intaked kept up
# with the offer:
#   ack_rate_steady_per_s      acks delivered per second between the 10th
#                              and the 90th percentile of delivery times
#                              (the ramp-up and the tail left out)
#   ack_latency_p50_first_ms / ack_latency_p50_last_ms
#                              p50 over the first and the last quarter of
#                              the reports, in submission order: a backlog
#                              that grows shows as a later p50 well above
#                              the earlier one
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 1
N=${BENCH_N:-300}
CONNECTIONS=${BENCH_CONNECTIONS:-4}
INBOUND=${BENCH_INBOUND:-mx}
case $INBOUND in
mx | submission) ;;
*) echo "bench: BENCH_INBOUND is mx or submission" >&2; exit 2 ;;
esac

# shellcheck source=tests/lib/test-lib.sh
. tests/lib/test-lib.sh

[ -x "$INTAKED_BUILD/intaked" ] || { echo "bench: build first (make)" >&2; exit 1; }
stack_start
# BENCH_QUESTIONNAIRE=1: with the shipped questionnaire, so each report is
# also read by the report parser and its ack asks the open questions.
# BENCH_CONFIG: extra intaked_config overrides, e.g. "smtp.connections=8".
extra=()
if [ "${BENCH_QUESTIONNAIRE:-0}" = 1 ]; then
	extra+=("questionnaire=\"$ROOT/conf/questionnaire.conf\"")
fi
# shellcheck disable=SC2086
intaked_config "log_level=\"${BENCH_LOG_LEVEL:-warning}\"" "${extra[@]}" ${BENCH_CONFIG:-}
intaked_start || exit 1

# Warm-up: one report from prov1, so that intaked is logged in and idling.
send_mail prov1 --header "Subject: warm-up" --body "Warm-up report, please ignore." ||
	{ echo "bench: warm-up send failed" >&2; exit 1; }
imap_read prov1 wait --count 1 --timeout 60 >/dev/null ||
	{ echo "bench: no ack for the warm-up report" >&2; tail "$TEST_DIR/intaked.log" >&2; exit 1; }

# CPU ticks of intaked (utime + stime) and of the machine (busy).
intaked_ticks() {
	awk '{print $14 + $15}' "/proc/$INTAKED_PID/stat"
}
machine_ticks() {
	awk '/^cpu / {print $2 + $3 + $4 + $7 + $8}' /proc/stat
}
ticks0=$(intaked_ticks)
machine0=$(machine_ticks)

tag=bench$$
inbound=(--port "$BRIDGE_PORT" --mx)
if [ "$INBOUND" = submission ]; then
	inbound=(--port "$SMTP_PORT")
fi
echo "bench: sending $N reports over $CONNECTIONS connections ($INBOUND)" >&2
"$PY" tests/lib/send-many.py "${inbound[@]}" --ca "$CA_FILE" \
	--count "$N" --connections "$CONNECTIONS" --tag "$tag" \
	--rate "${BENCH_RATE:-0}" \
	--out "$TEST_DIR/sent.jsonl" >/dev/null || { echo "bench: sending failed" >&2; exit 1; }

acked() {
	grep -c "\"in_reply_to\": \"<$tag-" "$MAILSTACK_DELIVERIES"
}
timeout=$((60 + N / 2))
wait_for '[ "$(acked)" -ge '"$N"' ]' "$timeout" 0.2 || {
	echo "bench: only $(acked) of $N acks after ${timeout}s" >&2
	tail -n 20 "$TEST_DIR/intaked.log" >&2
	exit 1
}
rss=$(awk '/^VmHWM:/ {print $2}' "/proc/$INTAKED_PID/status")
hz=$(getconf CLK_TCK)
intaked_cpu=$(((($(intaked_ticks) - ticks0) * 1000000 / hz) / N))
machine_cpu=$(((($(machine_ticks) - machine0) * 1000000 / hz) / N))

imap_acks=0
for u in req1 req2 req3 req4; do
	n=$(imap_read "$u" list | grep -c "\"in-reply-to\": \"<$tag-")
	imap_acks=$((imap_acks + n))
done
intaked_stop

"$PY" - "$TEST_DIR/sent.jsonl" "$MAILSTACK_DELIVERIES" "$tag" <<PY
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
order = sorted(acks, key=lambda m: sent[m])
quarter = max(1, len(order) // 4)

def p50(ids):
    v = sorted((acks[m] - sent[m]) * 1000 for m in ids)
    return v[(len(v) - 1) // 2]

times = sorted(acks.values())
lo, hi = len(times) // 10, len(times) * 9 // 10
steady = (hi - lo) / max(times[hi - 1] - times[lo], 1e-6) if hi - lo > 1 else 0.0

def pct(p):
    # nearest rank
    k = max(0, min(len(lat) - 1, math.ceil(p / 100 * len(lat)) - 1))
    return lat[k]

first = min(sent.values())
last_ack = max(acks.values())
last_sent = max(sent.values())
print(f"reports={len(sent)}")
print(f"acks={len(acks)}")
print(f"acks_verified_over_imap=$imap_acks")
print(f"submit_duration_s={last_sent - first:.2f}")
print(f"submit_rate_per_s={len(sent) / max(last_sent - first, 1e-6):.1f}")
print(f"elapsed_s={last_ack - first:.2f}")
print(f"throughput_reports_per_s={len(acks) / (last_ack - first):.1f}")
print(f"ack_latency_p50_ms={pct(50):.0f}")
print(f"ack_latency_p95_ms={pct(95):.0f}")
print(f"ack_latency_p99_ms={pct(99):.0f}")
print(f"ack_latency_max_ms={lat[-1]:.0f}")
print(f"mode={'sustained' if float('${BENCH_RATE:-0}') > 0 else 'burst'}")
print(f"ack_rate_steady_per_s={steady:.1f}")
print(f"ack_latency_p50_first_ms={p50(order[:quarter]):.0f}")
print(f"ack_latency_p50_last_ms={p50(order[-quarter:]):.0f}")
print(f"intaked_peak_rss_kb=$rss")
print(f"intaked_cpu_ms_per_report={$intaked_cpu / 1000:.2f}")
print(f"machine_cpu_ms_per_report={$machine_cpu / 1000:.2f}")
PY
