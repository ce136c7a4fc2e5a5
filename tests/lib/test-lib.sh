#!/bin/bash
# test-lib.sh — shared by the integration tests in tests/integration/.
#
# Each test sources this file, which gives it:
#   - TAP output: plan, ok, is, isnt, like, unlike, pass, fail, diag, skip,
#     skip_all, BAIL_OUT, done_testing ("ok N - ..." lines that prove reads);
#   - TEST_DIR, a private temp dir with a short path (/tmp/it.XXXXXX: GnuPG
#     sockets later need paths under 108 bytes);
#   - an EXIT trap that stops everything the test started (its intaked
#     processes, its mail stack's process groups, pids it registered with
#     test_track_pid) and removes TEST_DIR (kept with TEST_KEEP=1);
#   - the mail stack (mailstack.sh) and helpers for intaked: intaked_config,
#     intaked_start, intaked_stop, intaked_kill, intakectl, send_mail,
#     imap_read, wait_for.
#
# Environment: INTAKED_BUILD (default <repo>/build) holds intaked and
# intakectl; INTAKED_TEMPLATES (default <repo>/templates) the templates;
# INTAKED_VALGRIND=1 runs intaked under valgrind and fails the
# test on any valgrind error; TEST_VERBOSE=1 prints more diagnostics.

TEST_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$TEST_LIB_DIR/../.." && pwd)
INTAKED_BUILD=${INTAKED_BUILD:-$REPO_ROOT/build}
PY=/usr/bin/python3
TEST_NAME=$(basename "$0" .sh)

# shellcheck source=tests/lib/mailstack.sh
. "$TEST_LIB_DIR/mailstack.sh"

# --- TAP -------------------------------------------------------------------
_tap_n=0
_tap_failed=0
_tap_planned=

plan() {
	_tap_planned=$1
	echo "1..$1"
}

_tap_result() {
	# $1 0 or 1 (failed), $2 description
	_tap_n=$((_tap_n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $_tap_n - $2"
	else
		_tap_failed=$((_tap_failed + 1))
		echo "not ok $_tap_n - $2"
		local line func file
		read -r line func file <<<"$(caller 1)"
		diag "  Failed test '$2' at $file line $line"
	fi
}

# ok RC DESC: passes when RC is 0 (use as: cmd; ok $? "desc").
ok() {
	if [ "$1" = 0 ]; then _tap_result 0 "$2"; else _tap_result 1 "$2"; fi
}

pass() { _tap_result 0 "$1"; }
fail() { _tap_result 1 "$1"; }

is() {
	if [ "$1" = "$2" ]; then
		_tap_result 0 "$3"
	else
		_tap_result 1 "$3"
		diag "       got: '$1'"
		diag "  expected: '$2'"
	fi
}

isnt() {
	if [ "$1" != "$2" ]; then
		_tap_result 0 "$3"
	else
		_tap_result 1 "$3"
		diag "  got '$1', expected anything else"
	fi
}

# like GOT REGEX DESC (bash extended regex)
like() {
	if [[ $1 =~ $2 ]]; then
		_tap_result 0 "$3"
	else
		_tap_result 1 "$3"
		diag "                  '${1:0:600}'"
		diag "  doesn't match '$2'"
	fi
}

unlike() {
	if [[ $1 =~ $2 ]]; then
		_tap_result 1 "$3"
		diag "                  '${1:0:600}'"
		diag "        matches '$2'"
	else
		_tap_result 0 "$3"
	fi
}

diag() {
	local line
	while IFS= read -r line; do
		echo "# $line" >&2
	done <<<"$*"
}

note() {
	local line
	while IFS= read -r line; do
		echo "# $line"
	done <<<"$*"
}

# skip DESC REASON [N]: N skipped tests.
skip() {
	local i
	for ((i = 0; i < ${3:-1}; i++)); do
		_tap_n=$((_tap_n + 1))
		echo "ok $_tap_n - $1 # skip $2"
	done
}

skip_all() {
	echo "1..0 # SKIP $1"
	_tap_planned=0
	exit 0
}

BAIL_OUT() {
	echo "Bail out! $*"
	_tap_bailed=1
	exit 255
}

done_testing() {
	[ -n "$_tap_planned" ] || {
		echo "1..$_tap_n"
		_tap_planned=$_tap_n
	}
}

# --- cleanup -----------------------------------------------------------------
TEST_DIR=$(mktemp -d /tmp/it.XXXXXX) || BAIL_OUT "mktemp failed"
# Root mode Dovecot's auth and mail processes must traverse it.
[ "$(id -u)" = 0 ] && chmod 755 "$TEST_DIR"
_test_pids=()
_intaked_pids=()
_tap_bailed=

test_track_pid() {
	_test_pids+=("$1")
}

_test_show_logs() {
	local f
	for f in "$TEST_DIR/intaked.log" "$TEST_DIR/ms/log/dovecot.log" \
		"$TEST_DIR/ms/log/bridge.log"; do
		[ -s "$f" ] || continue
		diag "--- last lines of ${f#"$TEST_DIR"/}:"
		diag "$(tail -n "${TEST_LOG_LINES:-25}" "$f")"
	done
}

_test_cleanup() {
	local rc=$? pid
	trap - EXIT INT TERM HUP
	if [ -n "$_tap_planned" ] && [ "$_tap_n" != "$_tap_planned" ] &&
		[ -z "$_tap_bailed" ]; then
		diag "planned $_tap_planned tests but ran $_tap_n"
		rc=1
	fi
	[ "$_tap_failed" != 0 ] && rc=1
	# Logs first, while they still end with what went wrong.
	if [ "$rc" != 0 ] && [ -d "$TEST_DIR" ]; then
		_test_show_logs
	fi
	for pid in "${_intaked_pids[@]}"; do
		_intaked_stop_pid "$pid" 2>/dev/null
	done
	for pid in "${_test_pids[@]}"; do
		kill -TERM "$pid" 2>/dev/null
	done
	[ -d "$TEST_DIR/ms" ] && mailstack_stop "$TEST_DIR/ms"
	if [ "${TEST_KEEP:-0}" = 1 ]; then
		diag "kept $TEST_DIR"
	else
		rm -rf "$TEST_DIR"
	fi
	exit "$rc"
}
trap _test_cleanup EXIT
# Every way out runs the EXIT trap, including a closed output pipe
# (`t10-ack.sh | head`), after which writing must not kill us again.
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP
trap 'trap "" PIPE; exit 141' PIPE

# --- helpers -----------------------------------------------------------------

# wait_for "CMD" TIMEOUT [INTERVAL]: runs CMD (eval) until it succeeds;
# returns 1 after TIMEOUT seconds.
wait_for() {
	local cmd=$1 timeout=${2:-30} interval=${3:-0.2} deadline
	deadline=$((${EPOCHREALTIME/./} + ${timeout%.*} * 1000000))
	while ! eval "$cmd"; do
		((${EPOCHREALTIME/./} > deadline)) && return 1
		sleep "$interval"
	done
	return 0
}

# Starts this test's mail stack in $TEST_DIR/ms and exports its variables.
stack_start() {
	mailstack_start "$TEST_DIR/ms" >/dev/null || BAIL_OUT "mail stack did not start"
}

# imap_read USER ARGS...: tests/lib/imap-read.py as USER@example.test.
imap_read() {
	local user=$1
	shift
	"$PY" "$TEST_LIB_DIR/imap-read.py" --port "$IMAPS_PORT" --ca "$CA_FILE" \
		--user "$user@example.test" --password "pw-$user" "$@"
}

# send_mail FROM_USER [swaks options...]: submission with STARTTLS, AUTH
# and a verified certificate, to cert@example.test unless --to is given.
# Message-ID and Date are set by swaks; pass --header "Message-ID: <...>"
# to choose one.  Output goes to $TEST_DIR/swaks.log.
send_mail() {
	local user=$1 to=cert@example.test a
	shift
	for a in "$@"; do
		case $a in --to | -t) to= ;; esac
	done
	swaks --server 127.0.0.1 --port "$SMTP_PORT" --tls \
		--tls-ca-path "$CA_FILE" --tls-verify --auth PLAIN \
		--auth-user "$user@example.test" --auth-password "pw-$user" \
		--from "$user@example.test" ${to:+--to "$to"} \
		--suppress-data "$@" >>"$TEST_DIR/swaks.log" 2>&1
}

# make_secret FILE CONTENT: a 0600 file.
_make_secret() {
	(umask 077 && printf '%s\n' "$2" >"$1")
	chmod 600 "$1"
}

# intaked_config [FILE] [path=value...]: writes a configuration for this
# test's stack (default $TEST_DIR/intaked.conf, remembered as INTAKED_CONF).
# Overrides use the dotted key path and a libconfig literal, e.g.
#   intaked_config imap.idle=false imap.poll_interval=5 'smtp.tls="implicit"'
# A path not in the defaults is appended to its group; "path=" (empty)
# drops the key.
intaked_config() {
	local conf=$TEST_DIR/intaked.conf
	case ${1:-} in *=*) ;; "") ;; *) conf=$1; shift ;; esac
	[ -f "$TEST_DIR/token.secret" ] ||
		(umask 077 && head -c 64 /dev/urandom >"$TEST_DIR/token.secret")
	chmod 600 "$TEST_DIR/token.secret"
	[ -f "$TEST_DIR/imap.password" ] || _make_secret "$TEST_DIR/imap.password" pw-cert
	[ -f "$TEST_DIR/smtp.password" ] || _make_secret "$TEST_DIR/smtp.password" pw-cert
	"$PY" - "$conf" "$@" <<EOF
import sys
conf, overrides = sys.argv[1], sys.argv[2:]
groups = {
 "": [("database", '"$TEST_DIR/intaked.db"'),
      ("templates", '"${INTAKED_TEMPLATES:-$REPO_ROOT/templates}"'),
      ("log_level", '"${INTAKED_LOG_LEVEL:-info}"'),
      ("languages", '[ "en", "nl", "fr", "de" ]')],
 "identity": [("address", '"cert@example.test"'),
      ("name", '"Example Test CERT"'),
      ("case_prefix", '"CERT"'),
      ("token_secret_file", '"$TEST_DIR/token.secret"'),
      ("staff_address", '"staff@example.test"')],
 "imap": [("host", '"127.0.0.1"'), ("port", '${IMAPS_PORT:-993}'),
      ("tls", '"implicit"'), ("ca_file", '"${CA_FILE:-}"'),
      ("username", '"cert@example.test"'),
      ("password_file", '"$TEST_DIR/imap.password"'),
      ("mailbox", '"INBOX"'), ("processed_mailbox", '"Processed"'),
      ("quarantine_mailbox", '"Quarantine"'), ("idle", 'true'),
      ("poll_interval", '5'), ("timeout", '10'), ("reconnect_max", '5')],
 "smtp": [("host", '"127.0.0.1"'), ("port", '${SMTP_PORT:-587}'),
      ("tls", '"starttls"'), ("ca_file", '"${CA_FILE:-}"'),
      ("username", '"cert@example.test"'),
      ("password_file", '"$TEST_DIR/smtp.password"'),
      ("timeout", '10'), ("retry_initial", '1'), ("retry_max", '2'),
      ("give_up_after", '600'), ("uncertain_grace", '15')],
 "limits": [("max_message_bytes", '26214400'),
      ("new_cases_per_sender_per_hour", '100000'),
      ("auto_replies_per_sender_per_hour", '100000')],
}
for o in overrides:
    path, _, value = o.partition("=")
    group, _, key = path.rpartition(".")
    entries = groups.setdefault(group, [])
    for i, (k, v) in enumerate(entries):
        if k == key:
            if value == "":
                del entries[i]
            else:
                entries[i] = (k, value)
            break
    else:
        if value != "":
            entries.append((key, value))
out = ["# intaked configuration written by tests/lib/test-lib.sh"]
for k, v in groups[""]:
    out.append(f"{k} = {v};")
for g, entries in groups.items():
    if g == "":
        continue
    out.append(f"{g} = {{")
    for k, v in entries:
        out.append(f"\t{k} = {v};")
    out.append("};")
open(conf, "w").write("\n".join(out) + "\n")
EOF
	INTAKED_CONF=$conf
}

# No --error-exitcode: GPGME starts gpg through an intermediate child that
# only forks again and _exit()s, and valgrind's end-of-process leak check
# runs in that child too, where the other threads' stacks are gone, so
# their memory looks lost; --error-exitcode then turns the child's status
# into 99 and GPGME takes gpg for unusable ("Invalid crypto engine").
# Such a child runs only GPGME's code between fork and exec, so
# --child-silent-after-fork drops its output, and intaked's own log
# (valgrind.PID.log) is judged by intaked_stop from the error markers.
_valgrind_prefix() {
	[ "${INTAKED_VALGRIND:-0}" = 1 ] || return 0
	echo valgrind --quiet --child-silent-after-fork=yes \
		--error-markers=VALGRIND-ERROR-BEGIN,VALGRIND-ERROR-END \
		--leak-check=full \
		--show-leak-kinds=definite,possible \
		--errors-for-leak-kinds=definite,possible \
		--suppressions=/usr/share/glib-2.0/valgrind/glib.supp \
		--suppressions="$TEST_LIB_DIR/intaked.supp" \
		--log-file="$TEST_DIR/valgrind.%p.log"
}

# intaked_start [CONF]: runs intaked in the background (stderr appended to
# $TEST_DIR/intaked.log); sets INTAKED_PID.  Returns 1 if it exits at once.
intaked_start() {
	local conf=${1:-$INTAKED_CONF} vg
	vg=$(_valgrind_prefix)
	[ -x "$INTAKED_BUILD/intaked" ] || BAIL_OUT "no $INTAKED_BUILD/intaked (run make)"
	echo "--- intaked start $(date +%T.%N)" >>"$TEST_DIR/intaked.log"
	G_SLICE=always-malloc G_DEBUG=gc-friendly \
		$vg "$INTAKED_BUILD/intaked" -c "$conf" \
		</dev/null >>"$TEST_DIR/intaked.log" 2>&1 &
	INTAKED_PID=$!
	_intaked_pids+=("$INTAKED_PID")
	sleep 0.2
	if ! kill -0 "$INTAKED_PID" 2>/dev/null; then
		diag "intaked exited at once:"
		diag "$(tail -n 20 "$TEST_DIR/intaked.log")"
		return 1
	fi
	return 0
}

# Waits for one of our intaked pids to exit (TERM, then KILL after $2 s);
# collects valgrind's verdict.
_intaked_stop_pid() {
	local pid=$1 grace=${2:-15} i rc
	kill -TERM "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null; return 0; }
	for ((i = 0; i < grace * 10; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		diag "intaked $pid ignored SIGTERM for ${grace}s; killing"
		kill -KILL "$pid" 2>/dev/null
	fi
	wait "$pid" 2>/dev/null
	rc=$?
	_intaked_forget "$pid"
	return $rc
}

_intaked_forget() {
	local p keep=()
	for p in "${_intaked_pids[@]}"; do
		[ "$p" = "$1" ] || keep+=("$p")
	done
	_intaked_pids=("${keep[@]}")
}

# intaked_stop: SIGTERM and wait; returns intaked's exit status.  Under
# valgrind, a valgrind error is a failed test.
intaked_stop() {
	local pid=${1:-$INTAKED_PID} rc
	[ -n "$pid" ] || return 0
	_intaked_stop_pid "$pid" "${INTAKED_STOP_GRACE:-15}"
	rc=$?
	if [ "${INTAKED_VALGRIND:-0}" = 1 ]; then
		# --quiet prints nothing on a clean run; warnings such as "set
		# address range perms" are not errors.
		if grep -Eqs 'VALGRIND-ERROR-BEGIN|ERROR SUMMARY: [1-9]|Invalid (read|write|free)|uninitialised|definitely lost|possibly lost|Mismatched free|Syscall param|Process terminating' \
			"$TEST_DIR"/valgrind.*.log; then
			_tap_result 1 "valgrind is clean for intaked"
			diag "$(cat "$TEST_DIR"/valgrind.*.log 2>/dev/null | head -n 60)"
		fi
		rm -f "$TEST_DIR"/valgrind.*.log
	fi
	return $rc
}

# intaked_kill: SIGKILL, as a crash.
intaked_kill() {
	local pid=${1:-$INTAKED_PID}
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	_intaked_forget "$pid"
	rm -f "$TEST_DIR"/valgrind.*.log
	return 0
}

intaked_running() {
	kill -0 "${1:-$INTAKED_PID}" 2>/dev/null
}

# intakectl ARGS...: the CLI on this test's configuration.
intakectl() {
	"$INTAKED_BUILD/intakectl" -c "$INTAKED_CONF" "$@"
}

# jq-less JSON queries: json_eval 'python expression over d' < json
json_eval() {
	"$PY" -c '
import json, sys
def req(c):
    """A case requester address; "requester" may be an object."""
    r = c.get("requester")
    return r.get("address") if isinstance(r, dict) else r
def mid(x):
    """A Message-ID without its angle brackets, for comparisons."""
    return (x or "").strip().strip("<>")
try:
    d = json.load(sys.stdin)
    r = eval(sys.argv[1])
except Exception as e:
    sys.exit(f"json_eval: {sys.argv[1][:60]}: {type(e).__name__}: {e}")
if isinstance(r, (dict, list)):
    print(json.dumps(r))
elif isinstance(r, bool):
    print("true" if r else "false")
elif r is not None:
    print(r)
' "$1"
}

# case_count: number of cases intakectl knows.
case_count() {
	intakectl cases --json 2>/dev/null | json_eval 'len(d)'
}

# mailbox_count USER [MAILBOX]
mailbox_count() {
	imap_read "$1" --mailbox "${2:-INBOX}" count 2>/dev/null
}

# grep_log REGEX: intaked's log matches.
grep_log() {
	grep -Eq "$1" "$TEST_DIR/intaked.log"
}

# wait_processed N [TIMEOUT]: the CERT INBOX is empty and Processed holds at
# least N messages (intaked stored and moved them).
wait_processed() {
	wait_for '[ "$(mailbox_count cert)" = 0 ] && [ "$(mailbox_count cert Processed)" -ge '"$1"' ]' "${2:-30}" 0.3
}

# wait_cases N [TIMEOUT]: intakectl knows at least N cases.
wait_cases() {
	wait_for '[ "$(case_count)" -ge '"$1"' ]' "${2:-30}" 0.3
}

# case_show ID: the case as JSON.
case_show() {
	intakectl case show "$1" --json
}

# case_messages ID DIRECTION: number of messages in that direction.
case_messages() {
	case_show "$1" 2>/dev/null |
		json_eval "len([m for m in d.get('messages', []) if m.get('direction') == '$2'])"
}

# send_many ARGS...: tests/lib/send-many.py on this stack.
send_many() {
	"$PY" "$TEST_LIB_DIR/send-many.py" --port "$SMTP_PORT" --ca "$CA_FILE" "$@"
}

# ack_of USER MESSAGE_ID: the JSON line of the message in USER's INBOX whose
# In-Reply-To is MESSAGE_ID (empty if none).
ack_of() {
	imap_read "$1" list | "$PY" -c '
import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("in-reply-to") == sys.argv[1]:
        print(line, end="")
        break
' "$2"
}
